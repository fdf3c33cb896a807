/*
 * system_map.c - read a System.map (`nm` output: "ADDRESS TYPE NAME").
 */
#include "loader/loader_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* nm type letters: lower case is local. Absolute ('a'), undefined ('U'),
 * and debug ('N') symbols never name code or data addresses. */
static bool letter_names_address(char t)
{
    return strchr("tTdDrRbBgGsSvVwW", t) != NULL;
}

static int parse_line(const struct ld_ctx *ctx, unsigned lineno, char *line, struct ld_image *img)
{
    char *p = line, *end;
    size_t len = strlen(line);
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' ' ||
                   line[len - 1] == '\t'))
        line[--len] = '\0';
    if (len == 0)
        return 0;
    if (!isxdigit((unsigned char)*p))
        goto bad;
    errno = 0;
    unsigned long long addr = strtoull(p, &end, 16);
    if (errno || end == p || *end != ' ' || end - p > 16)
        goto bad;
    p = end + 1;
    char type = *p;
    if (!isalpha((unsigned char)type) || p[1] != ' ' || !p[2])
        goto bad;
    const char *name = p + 2;
    for (const char *q = name; *q; q++)
        if (isspace((unsigned char)*q))
            goto bad;
    struct ld_symbol *s = ld_add_symbol(img, name);
    s->va = addr;
    s->global = isupper((unsigned char)type);
    s->type = (type == 't' || type == 'T') ? LD_SYM_FUNC
              : letter_names_address(type) ? LD_SYM_OBJECT
                                           : LD_SYM_OTHER;
    s->names_address = s->type != LD_SYM_OTHER && !ld_is_temporary_name(name);
    return 0;
bad:
    if (len > 60)
        strcpy(line + 57, "...");
    return ld_fail(ctx, "line %u: expected 'ADDRESS TYPE NAME', got '%s'", lineno, line);
}

int ld_read_system_map(const struct ld_ctx *ctx, const char *map_path, struct ld_image *img)
{
    FILE *f = fopen(map_path, "r");
    if (!f)
        return ld_fail(ctx, "cannot open: %s", strerror(errno));
    int rc = ld_parse_system_map(ctx, f, img);
    fclose(f);
    return rc;
}

#define MAX_LINE 4095

int ld_parse_system_map(const struct ld_ctx *ctx, FILE *f, struct ld_image *img)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned lineno = 0;
    int rc = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        lineno++;
        if (n > MAX_LINE + 1 || (n == MAX_LINE + 1 && line[n - 1] != '\n')) {
            rc = ld_fail(ctx, "line %u: longer than %d characters", lineno, MAX_LINE);
            break;
        }
        if (memchr(line, '\0', (size_t)n)) {
            rc = ld_fail(ctx, "line %u: contains a NUL byte (not a text file?)", lineno);
            break;
        }
        if (parse_line(ctx, lineno, line, img) < 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0 && ferror(f))
        rc = ld_fail(ctx, "read error: %s", strerror(errno));
    free(line);
    return rc;
}
