/* yaml_read.c - see yaml_read.h. */
#include "sim/yaml_read.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int yr_open(struct yr *r, const char *name, const char *text, size_t len, char *err,
            size_t errlen)
{
    yaml_parser_t parser;
    memset(r, 0, sizeof(*r));
    r->name = name;
    r->err = err;
    r->errlen = errlen;
    if (!yaml_parser_initialize(&parser)) {
        snprintf(err, errlen, "%s: cannot start the YAML parser", name);
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int ok = yaml_parser_load(&parser, &r->doc);
    if (!ok)
        snprintf(err, errlen, "%s:%zu:%zu: %s", name, parser.problem_mark.line + 1,
                 parser.problem_mark.column + 1, parser.problem ? parser.problem : "bad YAML");
    yaml_parser_delete(&parser);
    return ok ? 0 : -1;
}

void yr_close(struct yr *r)
{
    yaml_document_delete(&r->doc);
}

yaml_node_t *yr_root(struct yr *r)
{
    return yaml_document_get_root_node(&r->doc);
}

int yr_fail(const struct yr *r, const yaml_node_t *node, const char *fmt, ...)
{
    int n = snprintf(r->err, r->errlen, "%s:%zu:%zu: ", r->name,
                     node ? node->start_mark.line + 1 : 1, node ? node->start_mark.column + 1 : 1);
    if (n < 0 || (size_t)n >= r->errlen)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

yaml_node_t *yr_node(const struct yr *r, int index)
{
    return yaml_document_get_node((yaml_document_t *)&r->doc, index);
}

const char *yr_scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

int yr_string(const struct yr *r, const yaml_node_t *n, const char *what, const char **out)
{
    if (!(*out = yr_scalar(n)))
        return yr_fail(r, n, "%s must be a single value", what);
    return 0;
}

int yr_u64(const struct yr *r, const yaml_node_t *n, const char *what, uint64_t *out)
{
    const char *s;
    char *end;
    if (yr_string(r, n, what, &s) < 0)
        return -1;
    if (!*s || *s == '-' || *s == '+' || *s == ' ')
        return yr_fail(r, n, "%s: expected an unsigned number, got '%s'", what, s);
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end)
        return yr_fail(r, n, "%s: expected an unsigned number, got '%s'", what, s);
    *out = v;
    return 0;
}

int yr_bool(const struct yr *r, const yaml_node_t *n, const char *what, bool *out)
{
    const char *s;
    if (yr_string(r, n, what, &s) < 0)
        return -1;
    if (strcmp(s, "true") && strcmp(s, "false"))
        return yr_fail(r, n, "%s must be true or false, not '%s'", what, s);
    *out = !strcmp(s, "true");
    return 0;
}

int yr_expect(const struct yr *r, const yaml_node_t *n, yaml_node_type_t type, const char *what)
{
    if (n && n->type == type)
        return 0;
    return yr_fail(r, n, "%s must be %s", what,
                   type == YAML_MAPPING_NODE    ? "a mapping (key: value)"
                   : type == YAML_SEQUENCE_NODE ? "a list"
                                                : "a single value");
}
