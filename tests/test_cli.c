/*
 * test_cli.c - the rasim command line: help, version, and `rasim info` in
 * text and JSON. Where the extable entries point is checked against
 * llvm-objdump's disassembly of the same object, not against numbers we
 * wrote down.
 */
#include "test_util.h"

#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Offsets (from the function start) of disassembly lines containing `what`. */
static int objdump_offsets(const char *obj, const char *what, unsigned long *offs, int max)
{
    char cmd[1024], *out;
    snprintf(cmd, sizeof(cmd), "'%s' -d --no-show-raw-insn '%s'", LLVM_OBJDUMP, obj);
    ck_assert_int_eq(tu_run(cmd, &out, NULL), 0);
    int n = 0;
    for (char *line = strtok(out, "\n"); line && n < max; line = strtok(NULL, "\n")) {
        unsigned long off;
        char rest[256];
        if (sscanf(line, " %lx: %255[^\n]", &off, rest) == 2 && strstr(rest, what))
            offs[n++] = off;
    }
    free(out);
    return n;
}

START_TEST(version_and_help)
{
    char *out = tu_rasim_ok("--version");
    ck_assert_str_eq(out, "rasim 0.1.0\n");
    free(out);
    out = tu_rasim_ok("--help");
    ck_assert_ptr_nonnull(strstr(out, "info"));
    ck_assert_ptr_nonnull(strstr(out, "Exit status"));
    free(out);
    out = tu_rasim_ok("help info");
    ck_assert_ptr_nonnull(strstr(out, "extable <insn-sym>+0x<off> -> <fixup-sym>+0x<off>"));
    ck_assert_ptr_nonnull(strstr(out, "--profile"));
    free(out);
    out = tu_rasim_ok("info --help");
    ck_assert_ptr_nonnull(strstr(out, "usage: rasim info"));
    free(out);

    char *err;
    ck_assert_int_eq(tu_rasim("", &out, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "usage: rasim"));
    free(out);
    free(err);
}
END_TEST

START_TEST(info_aarch64_extable_lines_match_the_disassembly)
{
    unsigned long stores[4], fixup[2];
    ck_assert_int_eq(objdump_offsets(tu_example("aarch64", "clear_user"), "sttr", stores, 4), 2);
    ck_assert_int_eq(
        objdump_offsets(tu_example("aarch64", "clear_user"), "sub\tx0, x2, x0", fixup, 2), 1);

    char args[1024], want[256];
    snprintf(args, sizeof(args), "info '%s'", tu_example("aarch64", "clear_user"));
    char *out = tu_rasim_ok(args);
    for (int i = 0; i < 2; i++) {
        snprintf(want, sizeof(want),
                 "extable rasim_clear_user+0x%lx -> rasim_clear_user+0x%lx "
                 "type=UACCESS_ERR_ZERO(2) err=xzr zero=xzr\n",
                 stores[i], fixup[0]);
        ck_assert_msg(strstr(out, want), "missing line: %s in:\n%s", want, out);
    }
    ck_assert_ptr_nonnull(strstr(out, "section .text"));
    ck_assert_ptr_nonnull(strstr(out, "section __ex_table"));
    ck_assert_ptr_nonnull(strstr(out, "symbol rasim_clear_user"));
    ck_assert_ptr_nonnull(strstr(out, "profile=linux-6.12"));
    free(out);
}
END_TEST

START_TEST(info_rv64_names_types_by_profile)
{
    unsigned long stores[4], fixup[2];
    ck_assert_int_eq(objdump_offsets(tu_example("rv64", "clear_user"), "zero, 0(a0)", stores, 4),
                     2);
    ck_assert_int_eq(objdump_offsets(tu_example("rv64", "clear_user"), "sub\ta0, a3, a0", fixup, 2),
                     1);
    char args[1024], want[256];
    snprintf(args, sizeof(args), "info '%s' --profile linux-6.1", tu_example("rv64", "clear_user"));
    char *out = tu_rasim_ok(args);
    for (int i = 0; i < 2; i++) {
        snprintf(want, sizeof(want),
                 "extable rasim_clear_user+0x%lx -> rasim_clear_user+0x%lx type=FIXUP(1)\n",
                 stores[i], fixup[0]);
        ck_assert_msg(strstr(out, want), "missing line: %s in:\n%s", want, out);
    }
    ck_assert_ptr_nonnull(strstr(out, "profile=linux-6.1"));
    free(out);
}
END_TEST

START_TEST(info_applies_base_and_defines)
{
    char args[1024];
    snprintf(args, sizeof(args),
             "info '%s/aarch64_relocs.o' --base 0x50000000 --define ext_func=0x50100000 "
             "--define ext_data=0x50200000 --define ext_small=0x1230",
             FIXTURE_DIR);
    char *out = tu_rasim_ok(args);
    ck_assert_ptr_nonnull(strstr(out, "section .text                va=0x50000000"));
    /* The fixture's KACCESS entry: data 0x62 = err x2, zero x3. */
    ck_assert_ptr_nonnull(strstr(out, "type=KACCESS_ERR_ZERO(3) err=x2 zero=x3"));
    ck_assert_ptr_nonnull(strstr(out, "type=UACCESS_ERR_ZERO(2) err=x0 zero=x1"));
    ck_assert_ptr_nonnull(strstr(out, "type=UACCESS_ERR_ZERO(2) err=xzr zero=xzr"));
    free(out);
}
END_TEST

START_TEST(info_json_carries_the_same_data)
{
    char args[1024];
    snprintf(args, sizeof(args), "info --json '%s'", tu_example("aarch64", "clear_user"));
    char *out = tu_rasim_ok(args);
    json_error_t jerr;
    json_t *root = json_loads(out, 0, &jerr);
    ck_assert_msg(root != NULL, "invalid JSON at line %d: %s", jerr.line, jerr.text);
    ck_assert_str_eq(json_string_value(json_object_get(root, "arch")), "aarch64");
    ck_assert_str_eq(json_string_value(json_object_get(root, "kind")), "relocatable");
    ck_assert_str_eq(json_string_value(json_object_get(root, "profile")), "linux-6.12");
    json_t *secs = json_object_get(root, "sections");
    ck_assert_uint_eq(json_array_size(secs), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(secs, 0), "name")), ".text");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(secs, 0), "va")),
                     "0x40080000");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(secs, 0), "flags")), "ax");
    json_t *syms = json_object_get(root, "symbols");
    ck_assert_uint_eq(json_array_size(syms), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(syms, 0), "type")), "func");
    json_t *ext = json_object_get(root, "extable");
    ck_assert_uint_eq(json_array_size(ext), 2);
    for (size_t i = 0; i < 2; i++) {
        json_t *e = json_array_get(ext, i);
        ck_assert_str_eq(json_string_value(json_object_get(e, "type_name")), "UACCESS_ERR_ZERO");
        ck_assert_int_eq(json_integer_value(json_object_get(e, "type")), 2);
        ck_assert_str_eq(json_string_value(json_object_get(e, "err")), "xzr");
        ck_assert_str_eq(json_string_value(json_object_get(e, "zero")), "xzr");
        ck_assert_ptr_nonnull(
            strstr(json_string_value(json_object_get(e, "insn_sym")), "rasim_clear_user+0x"));
    }
    json_decref(root);
    free(out);
}
END_TEST

START_TEST(output_is_deterministic)
{
    char args[1024];
    snprintf(args, sizeof(args), "info --json '%s'", tu_example("rv64", "clear_user"));
    char *a = tu_rasim_ok(args), *b = tu_rasim_ok(args);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("cli");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, version_and_help);
    tcase_add_test(tc, info_aarch64_extable_lines_match_the_disassembly);
    tcase_add_test(tc, info_rv64_names_types_by_profile);
    tcase_add_test(tc, info_applies_base_and_defines);
    tcase_add_test(tc, info_json_carries_the_same_data);
    tcase_add_test(tc, output_is_deterministic);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
