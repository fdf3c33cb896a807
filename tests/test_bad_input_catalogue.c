/*
 * test_bad_input_catalogue.c - every case of tests/bad-input/cases.txt:
 * a command line that must exit 2 with exactly one line on stderr, the
 * one the catalogue gives, under `timeout 10` (so a crash or a hang fails
 * the case as surely as a wrong message does).
 *
 * The malformed ELF files are made here, at test time, from the build's
 * good objects by the edits of tests/bad-input/elf/recipes.txt; the other
 * inputs (maps, scenarios, profiles, stepper command files) are committed
 * text under tests/bad-input/. tests/bad-input/README.md has both formats.
 */
#include "test_util.h"

#include <check.h>
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char gen_dir[512];

/* ---- placeholders ------------------------------------------------------- */

/* {dir} the catalogue, {gen} the ELF files made from the recipes,
 * {examples} the build's example objects, {fixtures} its test fixtures. */
static void expand(const char *in, char *out, size_t len)
{
    static const struct {
        const char *name, *value;
    } vars[] = {{"{dir}", CATALOGUE_DIR},
                {"{gen}", gen_dir},
                {"{examples}", EXAMPLES_DIR},
                {"{fixtures}", FIXTURE_DIR}};
    size_t o = 0;
    while (*in && o + 1 < len) {
        size_t i;
        for (i = 0; i < sizeof(vars) / sizeof(*vars); i++)
            if (!strncmp(in, vars[i].name, strlen(vars[i].name)))
                break;
        if (i < sizeof(vars) / sizeof(*vars)) {
            o += (size_t)snprintf(out + o, len - o, "%s", vars[i].value);
            if (o >= len)
                o = len - 1;
            in += strlen(vars[i].name);
        } else {
            out[o++] = *in++;
        }
    }
    out[o] = 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = 0;
    return s;
}

/* ---- ELF recipes ---------------------------------------------------------- */

struct elf_file {
    uint8_t *b;
    size_t size;
};

static Elf64_Ehdr *eh(struct elf_file *f)
{
    ck_assert_msg(f->size >= sizeof(Elf64_Ehdr), "recipe edits a file shorter than a header");
    return (Elf64_Ehdr *)f->b;
}

static Elf64_Shdr *section(struct elf_file *f, const char *name)
{
    Elf64_Ehdr *e = eh(f);
    Elf64_Shdr *sh = (Elf64_Shdr *)(f->b + e->e_shoff);
    const char *names = (const char *)f->b + sh[e->e_shstrndx].sh_offset;
    for (unsigned i = 0; i < e->e_shnum; i++)
        if (!strcmp(names + sh[i].sh_name, name))
            return &sh[i];
    ck_abort_msg("recipe: no section '%s'", name);
    return NULL;
}

/* Set a field of size `width` at p: the recipes' only way to write. */
static void poke(void *p, size_t width, uint64_t v)
{
    switch (width) {
    case 1: *(uint8_t *)p = (uint8_t)v; break;
    case 2: *(uint16_t *)p = (uint16_t)v; break;
    case 4: *(uint32_t *)p = (uint32_t)v; break;
    default: *(uint64_t *)p = v; break;
    }
}

#define FIELD(s, f)                                                                                \
    {                                                                                              \
#f, offsetof(s, f), sizeof(((s *)0)->f)                                                    \
    }
struct field {
    const char *name;
    size_t offset, width;
};

static const struct field ehdr_fields[] = {
    {"class", EI_CLASS, 1},       {"data", EI_DATA, 1},           {"version", EI_VERSION, 1},
    FIELD(Elf64_Ehdr, e_type),    FIELD(Elf64_Ehdr, e_machine),   FIELD(Elf64_Ehdr, e_entry),
    FIELD(Elf64_Ehdr, e_phoff),   FIELD(Elf64_Ehdr, e_shoff),     FIELD(Elf64_Ehdr, e_phentsize),
    FIELD(Elf64_Ehdr, e_phnum),   FIELD(Elf64_Ehdr, e_shentsize), FIELD(Elf64_Ehdr, e_shnum),
    FIELD(Elf64_Ehdr, e_shstrndx)};
static const struct field shdr_fields[] = {
    FIELD(Elf64_Shdr, sh_name),   FIELD(Elf64_Shdr, sh_type),   FIELD(Elf64_Shdr, sh_flags),
    FIELD(Elf64_Shdr, sh_addr),   FIELD(Elf64_Shdr, sh_offset), FIELD(Elf64_Shdr, sh_size),
    FIELD(Elf64_Shdr, sh_link),   FIELD(Elf64_Shdr, sh_info),   FIELD(Elf64_Shdr, sh_addralign),
    FIELD(Elf64_Shdr, sh_entsize)};
static const struct field phdr_fields[] = {FIELD(Elf64_Phdr, p_type),   FIELD(Elf64_Phdr, p_flags),
                                           FIELD(Elf64_Phdr, p_offset), FIELD(Elf64_Phdr, p_vaddr),
                                           FIELD(Elf64_Phdr, p_paddr),  FIELD(Elf64_Phdr, p_filesz),
                                           FIELD(Elf64_Phdr, p_memsz),  FIELD(Elf64_Phdr, p_align)};
static const struct field sym_fields[] = {FIELD(Elf64_Sym, st_name), FIELD(Elf64_Sym, st_info),
                                          FIELD(Elf64_Sym, st_shndx), FIELD(Elf64_Sym, st_value),
                                          FIELD(Elf64_Sym, st_size)};

static const struct field *find_field(const struct field *fs, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(fs[i].name, name))
            return &fs[i];
    ck_abort_msg("recipe: unknown field '%s'", name);
    return NULL;
}
#define FIND(fs, name) find_field(fs, sizeof(fs) / sizeof(*fs), name)

static uint64_t number(const char *s)
{
    char *end;
    errno = 0;
    uint64_t v = *s == '-' ? (uint64_t)strtoll(s, &end, 0) : strtoull(s, &end, 0);
    ck_assert_msg(!errno && *s && !*end, "recipe: '%s' is not a number", s);
    return v;
}

/* One edit: "truncate N", "ehdr FIELD V", "shdr SECTION FIELD V",
 * "phdr INDEX FIELD V", "sym INDEX|last FIELD V",
 * "rela SECTION INDEX r_offset|sym|type|r_addend V". */
static void edit(struct elf_file *f, char *text)
{
    char *w[6] = {0};
    int n = 0;
    for (char *tok = strtok(text, " \t"); tok && n < 6; tok = strtok(NULL, " \t"))
        w[n++] = tok;
    ck_assert_msg(n >= 2, "recipe: empty edit");
    if (!strcmp(w[0], "truncate") && n == 2) {
        uint64_t size = number(w[1]);
        ck_assert_uint_le(size, f->size);
        f->size = size;
    } else if (!strcmp(w[0], "ehdr") && n == 3) {
        const struct field *fd = FIND(ehdr_fields, w[1]);
        poke(f->b + fd->offset, fd->width, number(w[2]));
    } else if (!strcmp(w[0], "shdr") && n == 4) {
        const struct field *fd = FIND(shdr_fields, w[2]);
        poke((uint8_t *)section(f, w[1]) + fd->offset, fd->width, number(w[3]));
    } else if (!strcmp(w[0], "phdr") && n == 4) {
        uint64_t i = number(w[1]);
        ck_assert_uint_lt(i, eh(f)->e_phnum);
        const struct field *fd = FIND(phdr_fields, w[2]);
        poke(f->b + eh(f)->e_phoff + i * sizeof(Elf64_Phdr) + fd->offset, fd->width, number(w[3]));
    } else if (!strcmp(w[0], "sym") && n == 4) {
        Elf64_Shdr *st = section(f, ".symtab");
        uint64_t count = st->sh_size / sizeof(Elf64_Sym);
        uint64_t i = !strcmp(w[1], "last") ? count - 1 : number(w[1]);
        ck_assert_uint_lt(i, count);
        const struct field *fd = FIND(sym_fields, w[2]);
        poke(f->b + st->sh_offset + i * sizeof(Elf64_Sym) + fd->offset, fd->width, number(w[3]));
    } else if (!strcmp(w[0], "rela") && n == 5) {
        Elf64_Shdr *rs = section(f, w[1]);
        uint64_t i = number(w[2]);
        ck_assert_uint_lt(i, rs->sh_size / sizeof(Elf64_Rela));
        Elf64_Rela *r = (Elf64_Rela *)(f->b + rs->sh_offset) + i;
        uint64_t v = number(w[4]);
        if (!strcmp(w[3], "r_offset"))
            r->r_offset = v;
        else if (!strcmp(w[3], "sym"))
            r->r_info = ELF64_R_INFO(v, ELF64_R_TYPE(r->r_info));
        else if (!strcmp(w[3], "type"))
            r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), v);
        else if (!strcmp(w[3], "r_addend"))
            r->r_addend = (int64_t)v;
        else
            ck_abort_msg("recipe: unknown relocation field '%s'", w[3]);
    } else {
        ck_abort_msg("recipe: cannot read edit '%s'", w[0]);
    }
}

/* Each line: NAME FROM EDIT[; EDIT]... (FROM may use the placeholders). */
static int make_elf_files(void)
{
    char path[1024], line[1024];
    snprintf(path, sizeof(path), "%s/elf/recipes.txt", CATALOGUE_DIR);
    FILE *in = fopen(path, "r");
    ck_assert_msg(in != NULL, "%s: %s", path, strerror(errno));
    int made = 0;
    while (fgets(line, sizeof(line), in)) {
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char name[256], from[512], src[1024];
        int used = 0;
        ck_assert_msg(sscanf(s, "%255s %511s %n", name, from, &used) == 2, "recipe: '%s'", s);
        expand(from, src, sizeof(src));
        struct elf_file f;
        f.b = tu_read_file(src, &f.size);
        ck_assert_msg(f.b != NULL, "recipe %s: cannot read %s", name, src);
        for (char *e = s + used, *next; e && *e; e = next) {
            next = strchr(e, ';');
            if (next)
                *next++ = 0;
            edit(&f, trim(e));
        }
        snprintf(path, sizeof(path), "%s/%s", gen_dir, name);
        ck_assert_int_eq(tu_write_file(path, f.b, f.size), 0);
        free(f.b);
        made++;
    }
    fclose(in);
    return made;
}

/* ---- the cases ------------------------------------------------------------ */

struct result {
    int cases, failed;
    char report[8192];
};

static void fail_case(struct result *r, int line, const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail_case(struct result *r, int line, const char *cmd, const char *fmt, ...)
{
    size_t o = strlen(r->report);
    if (o + 200 < sizeof(r->report)) {
        va_list ap;
        o += (size_t)snprintf(r->report + o, sizeof(r->report) - o, "\ncases.txt:%d: $ %.200s\n  ",
                              line, cmd);
        va_start(ap, fmt);
        vsnprintf(r->report + o, sizeof(r->report) - o, fmt, ap);
        va_end(ap);
    }
    r->failed++;
}

static void run_case(struct result *r, int line, const char *cmd, int want_rc, const char *want)
{
    char full[4096], *out, *err;
    snprintf(full, sizeof(full), "cd '%s' && timeout 10 '%s' %s", TEST_TMP, RASIM_BIN, cmd);
    int rc = tu_run(full, &out, &err);
    r->cases++;
    char *nl = strchr(err, '\n');
    if (rc == 124)
        fail_case(r, line, cmd, "hang: killed after 10 s");
    else if (rc < 0 || rc > 128)
        fail_case(r, line, cmd, "crash: exit %d, stderr: %.300s", rc, err);
    else if (rc != want_rc)
        fail_case(r, line, cmd, "exit %d, expected %d; stderr: %.300s", rc, want_rc, err);
    else if (tu_count_lines(err) != 1 || (nl && nl[1]))
        fail_case(r, line, cmd, "stderr is not one line: %.400s", err);
    else if (strncmp(err, want, (size_t)(nl - err)) || strlen(want) != (size_t)(nl - err))
        fail_case(r, line, cmd, "stderr: %.*s\n  expected: %s", (int)(nl - err), err, want);
    free(out);
    free(err);
}

/* Cases are two lines: "$ ARGS" (the rasim command line, in sh syntax)
 * then "CODE MESSAGE". Blank lines and '#' lines between cases. */
static void run_catalogue(struct result *r)
{
    char path[1024], line[2048], cmd[4096] = "";
    snprintf(path, sizeof(path), "%s/cases.txt", CATALOGUE_DIR);
    FILE *in = fopen(path, "r");
    ck_assert_msg(in != NULL, "%s: %s", path, strerror(errno));
    int lineno = 0, cmd_line = 0;
    while (fgets(line, sizeof(line), in)) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        if (s[0] == '$' && s[1] == ' ') {
            ck_assert_msg(!cmd[0], "cases.txt:%d: a command with no expectation", cmd_line);
            expand(s + 2, cmd, sizeof(cmd));
            cmd_line = lineno;
            continue;
        }
        ck_assert_msg(cmd[0], "cases.txt:%d: an expectation with no command", lineno);
        char *end;
        long code = strtol(s, &end, 10);
        ck_assert_msg(end != s && *end == ' ', "cases.txt:%d: expected 'CODE MESSAGE'", lineno);
        ck_assert_msg(code == 2, "cases.txt:%d: bad input exits 2", lineno);
        char want[2048];
        expand(end + 1, want, sizeof(want));
        run_case(r, cmd_line, cmd, (int)code, want);
        cmd[0] = 0;
    }
    ck_assert_msg(!cmd[0], "cases.txt:%d: a command with no expectation", cmd_line);
    fclose(in);
}

START_TEST(every_case_gives_its_one_line)
{
    /* RASIM_BAD_INPUT_GEN=DIR keeps the made files there, to look at. */
    const char *keep = getenv("RASIM_BAD_INPUT_GEN");
    snprintf(gen_dir, sizeof(gen_dir), "%s", keep ? keep : tu_tmp("bad-input"));
    ck_assert(mkdir(gen_dir, 0755) == 0 || errno == EEXIST);
    int made = make_elf_files();
    ck_assert_int_gt(made, 0);
    static struct result r;
    memset(&r, 0, sizeof(r));
    run_catalogue(&r);
    printf("bad-input catalogue: %d cases, %d ELF files made, %d failed\n", r.cases, made,
           r.failed);
    if (!keep) {
        char rm[600];
        snprintf(rm, sizeof(rm), "rm -rf '%s'", gen_dir);
        ck_assert_int_eq(system(rm), 0);
    }
    ck_assert_msg(r.failed == 0, "%d of %d cases failed:%s", r.failed, r.cases, r.report);
    ck_assert_int_ge(r.cases, 60);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("bad_input_catalogue");
    TCase *tc = tcase_create("catalogue");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, every_case_gives_its_one_line);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
