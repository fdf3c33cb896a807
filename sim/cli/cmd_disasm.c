/*
 * cmd_disasm.c - `rasim disasm`: a routine as loaded, one instruction per
 * line with its symbol+offset, and the exception-table entry of every
 * instruction that has one - what a reviewer checks a machine-check-safe
 * copy for (every load covered, with the type the kernel will accept).
 */
#include "sim/cli/cli.h"
#include "sim/cli/print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct range {
    const char *name;
    uint64_t start, end;
};

/* The section of an image holding va, or false. */
static bool section_of(rasim_machine *m, size_t img, uint64_t va, struct rasim_section *out)
{
    struct rasim_image_info info;
    rasim_image_info(m, img, &info);
    for (size_t i = 0; i < info.nsections; i++)
        if (rasim_image_section(m, img, i, out) == 0 && va >= out->va && va - out->va < out->size)
            return true;
    return false;
}

/* A symbol without a size (System.map has none, nor has assembly without
 * .size) runs to the next symbol or the end of its section. */
static uint64_t end_of(rasim_machine *m, size_t img, const struct rasim_symbol *s,
                       const struct rasim_section *sec)
{
    if (s->size)
        return s->va + s->size;
    uint64_t end = sec->va + sec->size;
    struct rasim_image_info info;
    rasim_image_info(m, img, &info);
    for (size_t i = 0; i < info.nsymbols; i++) {
        struct rasim_symbol o;
        if (rasim_image_symbol(m, img, i, &o) == 0 && o.va > s->va && o.va < end)
            end = o.va;
    }
    return end;
}

/* Where symbol `name` lies, searching every image. */
static bool find_range(rasim_machine *m, const char *name, struct range *out)
{
    uint64_t va;
    if (rasim_lookup_symbol(m, name, &va) < 0)
        return false;
    for (size_t img = 0; img < rasim_image_count(m); img++) {
        struct rasim_image_info info;
        rasim_image_info(m, img, &info);
        for (size_t i = 0; i < info.nsymbols; i++) {
            struct rasim_symbol s;
            struct rasim_section sec;
            if (rasim_image_symbol(m, img, i, &s) < 0 || strcmp(s.name, name) || s.va != va ||
                !section_of(m, img, va, &sec))
                continue;
            *out = (struct range){name, va, end_of(m, img, &s, &sec)};
            return true;
        }
    }
    return false;
}

/* Every function symbol of the first image, in address order of the table. */
static size_t all_functions(rasim_machine *m, struct range **out)
{
    struct rasim_image_info info;
    rasim_image_info(m, 0, &info);
    *out = calloc(info.nsymbols ? info.nsymbols : 1, sizeof(**out));
    size_t n = 0;
    for (size_t i = 0; *out && i < info.nsymbols; i++) {
        struct rasim_symbol s;
        struct rasim_section sec;
        if (rasim_image_symbol(m, 0, i, &s) == 0 && !strcmp(s.type, "func") &&
            section_of(m, 0, s.va, &sec) && (sec.flags & RASIM_SEC_EXEC))
            (*out)[n++] = (struct range){s.name, s.va, end_of(m, 0, &s, &sec)};
    }
    return n;
}

static int print_range(rasim_machine *m, const struct range *r)
{
    printf("%s:\n", r->name);
    for (uint64_t va = r->start; va < r->end;) {
        struct rasim_insn_text t;
        if (rasim_disasm(m, va, &t) < 0) {
            cli_error("disasm: %s+0x%llx: %s", r->name, (unsigned long long)(va - r->start),
                      rasim_error(m));
            return EXIT_BAD_INPUT;
        }
        print_disasm_line(m, &t, "  ");
        putchar('\n');
        va += t.size;
    }
    return 0;
}

int cmd_disasm(int argc, char **argv)
{
    struct cli_load load = {0};
    struct range *ranges = NULL;
    const char **names = calloc((size_t)argc, sizeof(*names));
    size_t nnames = 0, nranges = 0;
    int rc = EXIT_BAD_INPUT;
    rasim_machine *m = NULL;
    if (!names)
        goto out;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--sym")) {
            if (!(names[nnames] = cli_value(argc, argv, &i)))
                goto out;
            nnames++;
        } else if (cli_load_arg(&load, "disasm", argc, argv, &i) < 0) {
            goto out;
        }
    }
    if (!(m = cli_load_machine(&load)))
        goto out;
    if (nnames) {
        if (!(ranges = calloc(nnames, sizeof(*ranges))))
            goto out;
        for (size_t i = 0; i < nnames; i++, nranges++)
            if (!find_range(m, names[i], &ranges[i])) {
                cli_error("disasm: %s: no symbol '%s'", load.file, names[i]);
                goto out;
            }
    } else if (!(nranges = all_functions(m, &ranges))) {
        cli_error("disasm: %s: no function symbols; name one with --sym", load.file);
        goto out;
    }
    rc = 0;
    for (size_t i = 0; i < nranges && rc == 0; i++)
        rc = print_range(m, &ranges[i]);
out:
    rasim_free(m);
    free(ranges);
    free(names);
    cli_load_free(&load);
    return rc;
}
