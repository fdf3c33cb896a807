/*
 * test_disasm.c - `rasim disasm`: each instruction of a routine with its
 * symbol+offset, its encoding and text, and the __ex_table entry that
 * covers it. Addresses and encodings are checked against llvm-objdump on the
 * same code linked by ld.lld (so relocations are applied in both), RV64
 * mnemonics too (our text follows llvm-objdump's spelling); which
 * instructions carry an entry is checked against `rasim info`.
 */
#define _GNU_SOURCE /* memmem */
#include "test_util.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The example linked at 0x40000000 without relaxation, as a file path. */
static const char *linked(const char *arch, const char *name)
{
    static char exe[512];
    char cmd[2048], *out, *err;
    snprintf(exe, sizeof(exe), "%s", tu_tmp(name));
    snprintf(cmd, sizeof(cmd), "'%s' --no-relax -Ttext=0x40000000 -e 0 '%s' -o '%s'", LD_LLD,
             tu_example(arch, name), exe);
    ck_assert_msg(tu_run(cmd, &out, &err) == 0, "%s", err);
    free(out);
    free(err);
    return exe;
}

struct line {
    unsigned long long va;
    unsigned word;
    char mnemonic[32];
};

/* "<va>: <bytes> <mnemonic> ..." lines of llvm-objdump -d. */
static int objdump_lines(const char *file, struct line *lines, int max)
{
    char cmd[1024], *out;
    snprintf(cmd, sizeof(cmd), "'%s' -d '%s'", LLVM_OBJDUMP, file);
    ck_assert_int_eq(tu_run(cmd, &out, NULL), 0);
    int n = 0;
    char *save;
    for (char *l = strtok_r(out, "\n", &save); l && n < max; l = strtok_r(NULL, "\n", &save)) {
        unsigned b[4];
        char rest[256];
        int used;
        struct line *x = &lines[n];
        if (sscanf(l, " %llx: %n", &x->va, &used) != 1 || !strchr(l, ':'))
            continue;
        int got = sscanf(l + used, "%x %x %x %x %255[^\n]", &b[0], &b[1], &b[2], &b[3], rest);
        if (got == 5 && strlen(l + used) > 12 && l[used + 2] == ' ' && l[used + 11] == ' ') {
            x->word = b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24;
        } else if (sscanf(l + used, "%x %x %255[^\n]", &b[0], &b[1], rest) == 3) {
            x->word = b[0] | b[1] << 8;
        } else {
            continue;
        }
        sscanf(rest, "%31s", x->mnemonic);
        n++;
    }
    free(out);
    return n;
}

/* "  <va>  <sym+off>  <word>  <mnemonic> ..." lines of rasim disasm. */
static int rasim_lines(const char *out, struct line *lines, int max)
{
    int n = 0;
    char *copy = strdup(out), *save;
    for (char *l = strtok_r(copy, "\n", &save); l && n < max; l = strtok_r(NULL, "\n", &save)) {
        char where[256];
        if (sscanf(l, " %llx %255s %x %31s", &lines[n].va, where, &lines[n].word,
                   lines[n].mnemonic) == 4)
            n++;
    }
    free(copy);
    return n;
}

static void compare_with_objdump(const char *arch, const char *name, const char *syms,
                                 bool mnemonics)
{
    static struct line want[4096], got[4096];
    const char *exe = linked(arch, name);
    char args[2048];
    snprintf(args, sizeof(args), "disasm '%s' %s", exe, syms);
    char *out = tu_rasim_ok(args);
    int nw = objdump_lines(exe, want, 4096), ng = rasim_lines(out, got, 4096);
    ck_assert_int_gt(nw, 10);
    ck_assert_msg(ng == nw, "%s: rasim %d instructions, llvm-objdump %d\n%s", name, ng, nw, out);
    for (int i = 0; i < nw; i++) {
        ck_assert_msg(got[i].va == want[i].va && got[i].word == want[i].word,
                      "%s: rasim 0x%llx %08x, llvm-objdump 0x%llx %08x", name, got[i].va,
                      got[i].word, want[i].va, want[i].word);
        if (mnemonics)
            ck_assert_msg(!strcmp(got[i].mnemonic, want[i].mnemonic),
                          "%s at 0x%llx: rasim '%s', llvm-objdump '%s'", name, got[i].va,
                          got[i].mnemonic, want[i].mnemonic);
    }
    free(out);
}

START_TEST(addresses_and_encodings_match_llvm_objdump)
{
    compare_with_objdump("aarch64", "copy_mc_page", "", false);
    compare_with_objdump("aarch64", "clear_user", "--sym rasim_clear_user", false);
    /* RV64 mixes 2- and 4-byte instructions: the lengths must agree too. */
    compare_with_objdump("rv64", "memcpy_mc", "", true);
    compare_with_objdump("rv64", "clear_user", "", true);
}
END_TEST

/* The lines of `out` that carry an extable comment. */
static int extable_lines(const char *out, const char *must_contain)
{
    int n = 0;
    for (const char *p = strstr(out, "extable ->"); p; p = strstr(p + 1, "extable ->")) {
        const char *eol = strchr(p, '\n');
        ck_assert_ptr_nonnull(eol);
        ck_assert_msg(!must_contain ||
                          memmem(p, (size_t)(eol - p), must_contain, strlen(must_contain)),
                      "extable line without '%s': %.*s", must_contain, (int)(eol - p), p);
        n++;
    }
    return n;
}

START_TEST(every_covered_instruction_shows_its_entry)
{
    char args[1024];
    /* Under the profile of the reviewed series (seeds/000, v13) the type
     * has a name and fields; every ldp and stp of the copy is covered. */
    snprintf(args, sizeof(args), "disasm '%s' --profile arm64-copy-mc-v13",
             tu_example("aarch64", "copy_mc_page"));
    char *out = tu_rasim_ok(args);
    int covered = extable_lines(out, "KACCESS_ERR_ZERO_MEM_ERR(5) err=x0 zero=xzr");
    snprintf(args, sizeof(args), "info '%s'", tu_example("aarch64", "copy_mc_page"));
    char *info = tu_rasim_ok(args);
    int entries = 0;
    for (const char *p = strstr(info, "\nextable "); p; p = strstr(p + 1, "\nextable "))
        entries++;
    ck_assert_int_gt(entries, 0);
    ck_assert_int_eq(covered, entries);
    for (const char *p = out; (p = strstr(p, "ldp ")) != NULL; p++) {
        const char *eol = strchr(p, '\n');
        ck_assert_msg(memmem(p, (size_t)(eol - p), "extable ->", 10), "uncovered: %.*s",
                      (int)(eol - p), p);
    }
    free(out);
    free(info);

    /* The default profile does not know type 5: it says so. */
    snprintf(args, sizeof(args), "disasm '%s'", tu_example("aarch64", "copy_mc_page"));
    out = tu_rasim_ok(args);
    ck_assert_int_eq(extable_lines(out, "UNKNOWN(5) data=0x3e0"), entries);
    free(out);

    /* RV64: each load's entry in the comment syntax of RISC-V assembly. */
    snprintf(args, sizeof(args), "disasm '%s' --sym rasim_memcpy_mc",
             tu_example("rv64", "memcpy_mc"));
    out = tu_rasim_ok(args);
    ck_assert_int_gt(extable_lines(out, "-> rasim_memcpy_mc+0x"), 0);
    ck_assert_ptr_nonnull(strstr(out, "  # extable -> "));
    free(out);
}
END_TEST

START_TEST(words_outside_the_subset_are_marked)
{
    char args[1024];
    snprintf(args, sizeof(args), "disasm '%s/udf_aarch64.o'", FIXTURE_DIR);
    char *out = tu_rasim_ok(args);
    ck_assert_msg(strstr(out, "undefined_routine+0x0") && strstr(out, "00000000  ") &&
                      strstr(out, "not in the interpreted subset: raises Undefined"),
                  "%s", out);
    free(out);
    snprintf(args, sizeof(args), "disasm '%s/udf_rv64.o'", FIXTURE_DIR);
    out = tu_rasim_ok(args);
    ck_assert_msg(strstr(out, "not in the interpreted subset"), "%s", out);
    free(out);
    /* and a routine we run is not */
    snprintf(args, sizeof(args), "disasm '%s'", tu_example("rv64", "memcpy_mc"));
    out = tu_rasim_ok(args);
    ck_assert_ptr_null(strstr(out, "not in the interpreted subset"));
    free(out);
}
END_TEST

/* A raw image with a System.map: symbols have no size, so a routine runs
 * to the next symbol; the table is found through the map and speaks in
 * link addresses. */
START_TEST(raw_image_routines_end_at_the_next_symbol)
{
    char cmd[2048], *out, *err;
    const char *exe = tu_tmp("img.elf"), *bin = tu_tmp("Image"), *map = tu_tmp("System.map");
    const unsigned long long link_va = 0xffff800008000000ull;
    snprintf(cmd, sizeof(cmd),
             "'%s' -Ttext=0x%llx --section-start=__ex_table=0x%llx -e rasim_clear_user '%s' -o "
             "'%s' && '%s' -O binary '%s' '%s'",
             LD_LLD, link_va, link_va + 0x100, tu_example("aarch64", "clear_user"), exe,
             LLVM_OBJCOPY, exe, bin);
    ck_assert_msg(tu_run(cmd, &out, &err) == 0, "%s", err);
    free(out);
    free(err);
    FILE *f = fopen(map, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "%016llx T _text\n%016llx T rasim_clear_user\n%016llx T _etext\n", link_va, link_va,
            link_va + 0x44);
    fprintf(f, "%016llx R __start___ex_table\n%016llx R __stop___ex_table\n", link_va + 0x100,
            link_va + 0x118);
    fclose(f);
    char args[2048];
    snprintf(args, sizeof(args),
             "disasm '%s' --arch aarch64 --map '%s' --load-pa 0x40200000 --link-va 0x%llx "
             "--sym rasim_clear_user",
             bin, map, link_va);
    out = tu_rasim_ok(args);
    ck_assert_int_eq(tu_count_lines(out), 1 + 0x44 / 4);
    ck_assert_ptr_nonnull(strstr(out, "ffff800008000040  rasim_clear_user+0x40"));
    ck_assert_int_eq(extable_lines(out, "UACCESS_ERR_ZERO(2)"), 2);
    free(out);
}
END_TEST

START_TEST(bad_input_is_one_line_and_exit_2)
{
    static const char *const cases[][2] = {
        {"disasm '%s' --sym no_such_routine", "no symbol 'no_such_routine'"},
        {"disasm '%s' --sym", "--sym needs a value"},
        {"disasm '%s' --frobnicate", "unknown option '--frobnicate'"},
        {"disasm /nonexistent/file.o", "/nonexistent/file.o"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        char args[1024], *out, *err;
        snprintf(args, sizeof(args), cases[i][0], tu_example("rv64", "memcpy_mc"));
        ck_assert_int_eq(tu_rasim(args, &out, &err), 2);
        ck_assert_msg(strstr(err, cases[i][1]) && tu_count_lines(err) == 1, "%s: %s", args, err);
        ck_assert_str_eq(out, "");
        free(out);
        free(err);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("disasm");
    TCase *tc = tcase_create("disasm");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, addresses_and_encodings_match_llvm_objdump);
    tcase_add_test(tc, every_covered_instruction_shows_its_entry);
    tcase_add_test(tc, words_outside_the_subset_are_marked);
    tcase_add_test(tc, raw_image_routines_end_at_the_next_symbol);
    tcase_add_test(tc, bad_input_is_one_line_and_exit_2);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
