/*
 * test_call.c - `rasim call`: its option grammar, its errors, and how it
 * reports a run that does not return. (Runs that return are tested with the
 * interpreters, per architecture.)
 */
#include "test_util.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int call(const char *args, char **out, char **err)
{
    char cmd[2048];
    snprintf(cmd, sizeof(cmd), "timeout 20 '%s' call %s", RASIM_BIN, args);
    return tu_run(cmd, out, err);
}

START_TEST(undefined_instruction_stops_the_run_with_its_word_and_symbol)
{
    char args[1024], *out, *err;
    const char *saved = tu_tmp("dst.bin");
    snprintf(args, sizeof(args),
             "'%s/udf_aarch64.o' --sym undefined_routine --buf dst=100,fill=0x5a --arg dst "
             "--save dst='%s'",
             FIXTURE_DIR, saved);
    /* At EL1 the kernel model decides: Linux dies of an undefined
     * instruction in kernel mode (no fixup path looks at the table). */
    ck_assert_int_eq(call(args, &out, &err), 1);
    ck_assert_str_eq(out, "oops: undefined instruction 0x00000000 at undefined_routine+0x0 (in "
                          "kernel mode; linux-6.12 does not look in __ex_table for undefined)\n"
                          "backtrace: undefined_routine+0x0\n");
    ck_assert_str_eq(err, "");
    free(out);
    free(err);
    /* --save wrote the buffer as it stood: 100 bytes of the fill. */
    size_t n;
    uint8_t *bytes = tu_read_file(saved, &n);
    ck_assert_ptr_nonnull(bytes);
    ck_assert_uint_eq(n, 100);
    for (size_t i = 0; i < n; i++)
        ck_assert_uint_eq(bytes[i], 0x5a);
    free(bytes);

    /* With no kernel model, the exception itself. */
    snprintf(args, sizeof(args), "'%s/udf_aarch64.o' --sym undefined_routine --profile none",
             FIXTURE_DIR);
    ck_assert_int_eq(call(args, &out, &err), 1);
    ck_assert_str_eq(out, "undefined instruction 0x00000000 at undefined_routine+0x0\n");
    free(out);
    free(err);

    snprintf(args, sizeof(args), "'%s/udf_rv64.o' --sym undefined_routine --mode m", FIXTURE_DIR);
    ck_assert_int_eq(call(args, &out, &err), 1);
    ck_assert_str_eq(out,
                     "oops: illegal instruction 0x00000000 at undefined_routine+0x0 (in kernel "
                     "mode, illegal-instruction, and no __ex_table entry for the instruction)\n"
                     "backtrace: undefined_routine+0x0\n");
    free(out);
    free(err);
}
END_TEST

START_TEST(buffer_contents_come_from_a_file)
{
    char args[1024], *out, *err;
    const char *src = tu_tmp("src.bin"), *saved = tu_tmp("copy.bin");
    ck_assert_int_eq(tu_write_file(src, "hello", 5), 0);
    snprintf(args, sizeof(args),
             "'%s/udf_aarch64.o' --sym undefined_routine --buf b=16,fill=0x2e,file='%s' "
             "--save b='%s'",
             FIXTURE_DIR, src, saved);
    ck_assert_int_eq(call(args, &out, &err), 1);
    free(out);
    free(err);
    size_t n;
    uint8_t *bytes = tu_read_file(saved, &n);
    ck_assert_uint_eq(n, 16);
    ck_assert_mem_eq(bytes, "hello...........", 16);
    free(bytes);
}
END_TEST

START_TEST(bad_call_options_are_one_line_errors)
{
    static const char *const cases[][2] = {
        {"--buf b=16", "--sym NAME is required"},
        {"--sym undefined_routine --buf 9b=16", "NAME an identifier"},
        {"--sym undefined_routine --buf b=0", "size must be between"},
        {"--sym undefined_routine --buf b=16 --buf b=32", "given twice"},
        {"--sym undefined_routine --buf b=16,fill=300", "is not a byte"},
        {"--sym undefined_routine --buf b=16,align=3", "not a power of two"},
        {"--sym undefined_routine --buf b=16,colour=red", "unknown field 'colour=red'"},
        {"--sym undefined_routine --buf b=16,file=/nonexistent", "/nonexistent"},
        {"--sym undefined_routine --save c=/tmp/x", "no buffer named 'c'"},
        {"--sym undefined_routine --arg nothing_here", "no buffer or symbol named 'nothing_here'"},
        {"--sym undefined_routine --buf b=16 --arg b+17", "past the end of buffer 'b'"},
        {"--sym undefined_routine --arg 1 --arg 2 --arg 3 --arg 4 --arg 5 --arg 6 --arg 7 "
         "--arg 8 --arg 9",
         "at most 8"},
        {"--sym undefined_routine --el 2", "--el: expected 0 or 1"},
        {"--sym undefined_routine --mode s", "--mode is for rv64"},
        {"--sym undefined_routine --max-insns lots", "--max-insns: expected an unsigned number"},
        {"--sym missing_routine", "no symbol 'missing_routine'"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        char args[1024], *out, *err;
        snprintf(args, sizeof(args), "'%s/udf_aarch64.o' %s", FIXTURE_DIR, cases[i][0]);
        int rc = call(args, &out, &err);
        ck_assert_msg(rc == 2, "'%s': exit %d", cases[i][0], rc);
        ck_assert_msg(strstr(err, cases[i][1]), "'%s': stderr: %s", cases[i][0], err);
        ck_assert_int_eq(tu_count_lines(err), 1);
        ck_assert_str_eq(out, "");
        free(out);
        free(err);
    }
}
END_TEST

/* A routine that never returns: the budget ends it, and rasim says where it
 * loops (the lowest and highest PC of the next instructions). */
START_TEST(a_hang_reports_its_loop)
{
    char args[1024], *out, *err;
    snprintf(args, sizeof(args), "'%s/spin_rv64.o' --sym spin_routine --max-insns 1000",
             FIXTURE_DIR);
    ck_assert_int_eq(call(args, &out, &err), 1);
    ck_assert_msg(strstr(out, "budget exhausted at spin_routine+0x") &&
                      strstr(out, "after 1000 instructions\n") &&
                      strstr(out, "looping in spin_routine+0x2..spin_routine+0x8\n"),
                  "%s", out);
    free(out);
    free(err);
}
END_TEST

START_TEST(budget_zero_reports_where_it_stopped)
{
    char args[1024], *out, *err;
    snprintf(args, sizeof(args), "'%s/udf_rv64.o' --sym undefined_routine --max-insns 0",
             FIXTURE_DIR);
    ck_assert_int_eq(call(args, &out, &err), 1);
    ck_assert_str_eq(out, "budget exhausted at undefined_routine+0x0 after 0 instructions\n");
    free(out);
    free(err);
}
END_TEST

/*
 * rv64: the example clear_user on a 100-byte buffer. The instruction count
 * follows from the loop structure in examples/rv64/clear_user.S: 5 set-up
 * instructions, 12 word iterations of 5, the failing length test, 4 byte
 * iterations of 5, the final test, and li + ret: 5 + 60 + 1 + 20 + 1 + 2.
 */
START_TEST(rv64_clear_user_returns_zero_and_clears_the_buffer)
{
    char args[1024], *out, *err;
    const char *saved = tu_tmp("cleared.bin");
    snprintf(args, sizeof(args),
             "'%s/rv64/clear_user.o' --sym rasim_clear_user --buf dst=100,fill=0xaa --arg dst "
             "--arg 100 --save dst='%s'",
             EXAMPLES_DIR, saved);
    ck_assert_int_eq(call(args, &out, &err), 0);
    ck_assert_str_eq(out, "ret=0x0\ninsns=89\n");
    free(out);
    free(err);
    /* The MMU checker on a run with translation off: nothing to say, and
     * the output is unchanged. */
    char checked[1100];
    snprintf(checked, sizeof(checked), "%s --check-mmu", args);
    ck_assert_int_eq(call(checked, &out, &err), 0);
    ck_assert_str_eq(out, "ret=0x0\ninsns=89\n");
    free(out);
    free(err);
    size_t n;
    uint8_t *bytes = tu_read_file(saved, &n);
    ck_assert_uint_eq(n, 100);
    for (size_t i = 0; i < n; i++)
        ck_assert_uint_eq(bytes[i], 0);
    free(bytes);
}
END_TEST

/* An overrun runs into the absent page after the buffer. The word store at
 * dst+96 faults at the first absent byte (dst+100); the kernel model takes
 * the routine's EX_TYPE_FIXUP entry, and clear_user returns the 12 bytes
 * from dst+96 to the end as not cleared. Without a kernel model the run
 * stops at the store. */
START_TEST(rv64_overrun_is_recovered_through_the_extable)
{
    char args[1024], *out, *err;
    snprintf(args, sizeof(args),
             "'%s/rv64/clear_user.o' --sym rasim_clear_user --buf dst=100 --arg dst+8 --arg 100",
             EXAMPLES_DIR);
    ck_assert_int_eq(call(args, &out, &err), 0);
    ck_assert_msg(!strncmp(out, "ret=0xc\ninsns=", strlen("ret=0xc\ninsns=")), "%s", out);
    ck_assert_msg(strstr(out, "\nfixup rasim_clear_user+0x14 -> rasim_clear_user+0x2e "
                              "type=FIXUP(1) access-fault va=0x400000064 pa=0x400000064\n"),
                  "%s", out);
    free(out);
    free(err);
    snprintf(args, sizeof(args),
             "'%s/rv64/clear_user.o' --sym rasim_clear_user --buf dst=100 --arg dst+8 --arg 100 "
             "--profile none",
             EXAMPLES_DIR);
    ck_assert_int_eq(call(args, &out, &err), 1);
    ck_assert_str_eq(out, "store/AMO access fault (stval 0x400000064) at rasim_clear_user+0x14\n");
    free(out);
    free(err);
}
END_TEST

/* Poison on the source of a FIXUP-protected copy, from the command line. */
START_TEST(poison_from_the_command_line)
{
    char args[1024], *out, *err;
    snprintf(args, sizeof(args),
             "'%s/rv64_km.o' --sym km_copy --buf dst=256 --buf src=256,fill=7 --arg dst --arg src "
             "--arg 256 --poison src+130 --profile riscv-copy-mc",
             FIXTURE_DIR);
    ck_assert_int_eq(call(args, &out, &err), 0);
    ck_assert_msg(!strncmp(out, "ret=0x80\n", strlen("ret=0x80\n")), "%s", out); /* at line 128 */
    ck_assert_msg(strstr(out, "memory_failure(pfn=0x"), "%s", out);
    free(out);
    free(err);
    static const char *const bad[][2] = {
        {"--poison nowhere", "no buffer or symbol named 'nowhere'"},
        {"--poison src+1,kind=sometimes", "unknown field 'kind=sometimes'"},
        {"--poison src+1:0", "the length must be at least 1"},
        {"--poison 0x10", "no RAM there"},
        {"--store-policy maybe", "--store-policy: expected clear, keep or async"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        snprintf(args, sizeof(args), "'%s/rv64_km.o' --sym km_copy --buf src=64 %s", FIXTURE_DIR,
                 bad[i][0]);
        ck_assert_int_eq(call(args, &out, &err), 2);
        ck_assert_msg(strstr(err, bad[i][1]), "%s: %s", bad[i][0], err);
        ck_assert_int_eq(tu_count_lines(err), 1);
        free(out);
        free(err);
    }
}
END_TEST

static int run_elf(const char *args, char **out, char **err)
{
    char cmd[2048];
    snprintf(cmd, sizeof(cmd), "timeout 20 '%s' run-elf %s", RASIM_BIN, args);
    return tu_run(cmd, out, err);
}

START_TEST(run_elf_reports_pass_fail_and_console_output)
{
    char args[1024], *out, *err;
    snprintf(args, sizeof(args), "'%s/htif_pass.elf'", FIXTURE_DIR);
    ck_assert_int_eq(run_elf(args, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "hello from the guest\npass ("));
    free(out);
    free(err);
    snprintf(args, sizeof(args), "'%s/htif_fail.elf'", FIXTURE_DIR);
    ck_assert_int_eq(run_elf(args, &out, &err), 1);
    ck_assert_ptr_nonnull(strstr(out, "FAIL: test 2 ("));
    free(out);
    free(err);
    /* A tiny budget: the run does not finish, which is a failure too. */
    snprintf(args, sizeof(args), "'%s/htif_pass.elf' --max-insns 10", FIXTURE_DIR);
    ck_assert_int_eq(run_elf(args, &out, &err), 1);
    ck_assert_ptr_nonnull(strstr(out, "FAIL: budget exhausted"));
    free(out);
    free(err);
}
END_TEST

START_TEST(run_elf_needs_an_rv64_htif_program)
{
    char args[1024], *out, *err;
    snprintf(args, sizeof(args), "'%s/rv64/clear_user.o'", EXAMPLES_DIR);
    ck_assert_int_eq(run_elf(args, &out, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "no 'tohost' symbol"));
    free(out);
    free(err);
    snprintf(args, sizeof(args), "'%s/aarch64/clear_user.o'", EXAMPLES_DIR);
    ck_assert_int_eq(run_elf(args, &out, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "runs RV64 programs"));
    ck_assert_int_eq(tu_count_lines(err), 1);
    free(out);
    free(err);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("call");
    TCase *tc = tcase_create("call");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, undefined_instruction_stops_the_run_with_its_word_and_symbol);
    tcase_add_test(tc, buffer_contents_come_from_a_file);
    tcase_add_test(tc, bad_call_options_are_one_line_errors);
    tcase_add_test(tc, budget_zero_reports_where_it_stopped);
    tcase_add_test(tc, a_hang_reports_its_loop);
    tcase_add_test(tc, rv64_clear_user_returns_zero_and_clears_the_buffer);
    tcase_add_test(tc, rv64_overrun_is_recovered_through_the_extable);
    tcase_add_test(tc, poison_from_the_command_line);
    tcase_add_test(tc, run_elf_reports_pass_fail_and_console_output);
    tcase_add_test(tc, run_elf_needs_an_rv64_htif_program);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
