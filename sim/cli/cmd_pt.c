/*
 * cmd_pt.c - `rasim pt walk|dump|diff`: page tables in memory images,
 * inspected the way the MMU reads them and the kernel encodes them.
 *
 *   rasim pt walk --arch A --mem PATH@PA... --root PA [--root1 PA]
 *                 [--va-bits 39|48 | --mode sv39|sv48|sv57] [--layout L]
 *                 [--access read|write|fetch] VA
 *   rasim pt dump (the same, without VA)
 *   rasim pt diff (the same, with --root given twice: before, then after;
 *                  --root1 likewise for arm64 high halves)
 */
#include "sim/cli/cli.h"
#include "sim/cli/print.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MEMS 16

struct pt_args {
    enum rasim_arch arch;
    const char *mems[MAX_MEMS];
    size_t nmems;
    uint64_t roots[2], roots1[2];
    size_t nroots, nroots1;
    unsigned va_bits;
    const char *layout;
    enum rasim_pt_access access;
    const char *va_text;
};

/* PATH@PA: the file's bytes become RAM at PA. */
static int load_mem(rasim_machine *m, const char *spec)
{
    const char *at = strrchr(spec, '@');
    uint64_t pa;
    if (!at || at == spec)
        return cli_error("--mem: expected PATH@PA, got '%s'", spec);
    if (!cli_parse_u64("--mem address", at + 1, &pa))
        return EXIT_BAD_INPUT;
    char path[4096];
    snprintf(path, sizeof(path), "%.*s", (int)(at - spec), spec);
    FILE *f = fopen(path, "rb");
    if (!f)
        return cli_error("--mem: %s: %s", path, strerror(errno));
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (size <= 0 || size > (1l << 30)) {
        fclose(f);
        return cli_error("--mem: %s: size %ld is not between 1 byte and 1 GiB", path, size);
    }
    uint8_t *bytes = malloc((size_t)size);
    size_t got = bytes ? fread(bytes, 1, (size_t)size, f) : 0;
    fclose(f);
    uint64_t region = ((uint64_t)size + 0xfff) & ~0xfffull;
    int rc = 0;
    if (got != (size_t)size)
        rc = cli_error("--mem: %s: read error", path);
    else if (rasim_add_region(m, path, pa & ~0xfffull, region + (pa & 0xfff), RASIM_REGION_RAM) <
                 0 ||
             rasim_write_phys(m, pa, bytes, (size_t)size) < 0)
        rc = cli_error("--mem %s: %s", spec, rasim_error(m));
    free(bytes);
    return rc;
}

static int parse(struct pt_args *a, int argc, char **argv, bool want_va)
{
    for (int i = 2; i < argc; i++) {
        const char *o = argv[i];
        bool takes = !strcmp(o, "--arch") || !strcmp(o, "--mem") || !strcmp(o, "--root") ||
                     !strcmp(o, "--root1") || !strcmp(o, "--va-bits") || !strcmp(o, "--mode") ||
                     !strcmp(o, "--layout") || !strcmp(o, "--access");
        if (takes && i + 1 >= argc)
            return cli_error("%s needs a value", o);
        const char *v = takes ? argv[++i] : NULL;
        uint64_t n;
        if (!strcmp(o, "--arch")) {
            a->arch = rasim_arch_from_name(v);
            if (!a->arch)
                return cli_error("--arch: expected aarch64 or rv64, got '%s'", v);
        } else if (!strcmp(o, "--mem")) {
            if (a->nmems == MAX_MEMS)
                return cli_error("--mem: at most %d images", MAX_MEMS);
            a->mems[a->nmems++] = v;
        } else if (!strcmp(o, "--root") || !strcmp(o, "--root1")) {
            bool one = !strcmp(o, "--root1");
            size_t *cnt = one ? &a->nroots1 : &a->nroots;
            if (*cnt == 2)
                return cli_error("%s given more than twice", o);
            if (!cli_parse_u64(o, v, &n))
                return EXIT_BAD_INPUT;
            (one ? a->roots1 : a->roots)[(*cnt)++] = n;
        } else if (!strcmp(o, "--va-bits")) {
            if (!cli_parse_u64("--va-bits", v, &n) || (n != 39 && n != 48))
                return cli_error("--va-bits: expected 39 or 48, got '%s'", v);
            a->va_bits = (unsigned)n;
        } else if (!strcmp(o, "--mode")) {
            if (strcmp(v, "sv39") && strcmp(v, "sv48") && strcmp(v, "sv57"))
                return cli_error("--mode: expected sv39, sv48 or sv57, got '%s'", v);
            a->va_bits = (unsigned)atoi(v + 2);
        } else if (!strcmp(o, "--layout")) {
            if (strcmp(v, "linux-6.1") && strcmp(v, "linux-6.12"))
                return cli_error("--layout: expected linux-6.1 or linux-6.12, got '%s'", v);
            a->layout = v;
        } else if (!strcmp(o, "--access")) {
            if (!strcmp(v, "read"))
                a->access = RASIM_PT_READ;
            else if (!strcmp(v, "write"))
                a->access = RASIM_PT_WRITE;
            else if (!strcmp(v, "fetch"))
                a->access = RASIM_PT_FETCH;
            else
                return cli_error("--access: expected read, write or fetch, got '%s'", v);
        } else if (o[0] == '-' && o[1] && !(o[1] >= '0' && o[1] <= '9')) {
            return cli_error("pt: unknown option '%s' (see 'rasim help pt')", o);
        } else if (want_va && !a->va_text) {
            a->va_text = o;
        } else {
            return cli_error("pt: unexpected argument '%s'", o);
        }
    }
    if (!a->arch)
        return cli_error("pt: --arch aarch64|rv64 is required");
    if (!a->nmems)
        return cli_error("pt: no memory given (--mem PATH@PA)");
    if (!a->nroots && !a->nroots1)
        return cli_error("pt: no root table given (--root PA)");
    if (a->arch == RASIM_ARCH_RV64 && a->nroots1)
        return cli_error("--root1 is for arm64 (TTBR1); rv64 has one root");
    if (!a->va_bits)
        a->va_bits = a->arch == RASIM_ARCH_AARCH64 ? 48 : 39;
    if (a->arch == RASIM_ARCH_AARCH64 && a->va_bits == 57)
        return cli_error("--mode is for rv64; arm64 uses --va-bits 39|48");
    if (want_va && !a->va_text)
        return cli_error("pt walk: which VA?");
    return 0;
}

static rasim_machine *machine(const struct pt_args *a)
{
    rasim_machine *m = rasim_new(a->arch);
    for (size_t i = 0; m && i < a->nmems; i++)
        if (load_mem(m, a->mems[i])) {
            rasim_free(m);
            return NULL;
        }
    return m;
}

static void print_range(void *ctx, const struct rasim_pt_range *r)
{
    char sz[32], leaf[32];
    (void)ctx;
    if (r->mapped)
        printf("0x%016llx-0x%016llx -> 0x%llx %s (%u x %s) %s\n", (unsigned long long)r->va,
               (unsigned long long)(r->va + (r->size - 1)), (unsigned long long)r->pa,
               print_size(r->size, sz, sizeof(sz)), r->leaves,
               print_size(r->leaf_size, leaf, sizeof(leaf)), r->text);
    else
        printf("0x%016llx-0x%016llx %s\n", (unsigned long long)r->va,
               (unsigned long long)(r->va + (r->size - 1)), r->text);
}

static void print_change(void *ctx, const struct rasim_pt_change *c)
{
    char sz[32];
    (void)ctx;
    printf("0x%016llx-0x%016llx %s %s: %s\n", (unsigned long long)c->va,
           (unsigned long long)(c->va + (c->size - 1)), print_size(c->size, sz, sizeof(sz)),
           c->kind, c->what);
}

int cmd_pt(int argc, char **argv)
{
    if (argc < 2)
        return cli_error("pt: expected walk, dump or diff (see 'rasim help pt')");
    const char *sub = argv[1];
    bool walk = !strcmp(sub, "walk"), dump = !strcmp(sub, "dump"), diff = !strcmp(sub, "diff");
    if (!walk && !dump && !diff)
        return cli_error("pt: unknown subcommand '%s' (expected walk, dump or diff)", sub);
    struct pt_args a = {0};
    int rc = parse(&a, argc, argv, walk);
    if (rc)
        return rc;
    if (diff && (a.nroots == 1 || a.nroots1 == 1) && a.nroots + a.nroots1 < 2)
        return cli_error("pt diff: give --root twice (before, after)");
    if (!diff && (a.nroots > 1 || a.nroots1 > 1))
        return cli_error("pt %s: one --root (and one --root1)", sub);
    rasim_machine *m = machine(&a);
    if (!m)
        return EXIT_BAD_INPUT;
    struct rasim_pt pt = {.root = a.roots[0], .root1 = a.roots1[0], .va_bits = a.va_bits,
                          .layout = a.layout};
    rc = 0;
    if (walk) {
        uint64_t va;
        struct rasim_pt_walk w;
        if (!cli_parse_u64("VA", a.va_text, &va))
            rc = EXIT_BAD_INPUT;
        else if (rasim_pt_walk(m, &pt, va, a.access, &w) < 0)
            rc = cli_error("pt walk: %s", rasim_error(m));
        else
            print_walk(&w);
    } else if (dump) {
        if (rasim_pt_ranges(m, &pt, print_range, NULL) < 0)
            rc = cli_error("pt dump: %s", rasim_error(m));
    } else {
        struct rasim_pt after = pt;
        if (a.nroots == 2)
            after.root = a.roots[1];
        if (a.nroots1 == 2)
            after.root1 = a.roots1[1];
        if (rasim_pt_diff(m, &pt, &after, print_change, NULL) < 0)
            rc = cli_error("pt diff: %s", rasim_error(m));
    }
    rasim_free(m);
    return rc;
}
