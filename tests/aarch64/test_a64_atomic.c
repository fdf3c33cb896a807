/*
 * test_a64_atomic.c - exclusives pass and fail with the local monitor,
 * load-acquire/store-release, the LSE atomics at each size, and the
 * alignment faults the architecture demands of all of them.
 */
#include "a64_harness.h"
#include "test_util.h"

#include <check.h>
#include <string.h>

static rasim_machine *m;
#define BUF (A64H_DATA + 0x2000)

static void setup(void)
{
    m = a64h_machine("atomic.o");
}

static void teardown(void)
{
    rasim_free(m);
}

static void put64(uint64_t pa, uint64_t v)
{
    a64h_write(m, pa, &v, 8);
}

START_TEST(exclusive_pass_and_fail)
{
    put64(BUF, 41);
    ck_assert_uint_eq(A64H_CALL(m, "ldxr_stxr", BUF), 0);
    ck_assert_uint_eq(a64h_read64(m, BUF), 42);
    ck_assert_uint_eq(A64H_CALL(m, "stxr_alone", BUF), 1);
    ck_assert_uint_eq(a64h_read64(m, BUF), 42);
    ck_assert_uint_eq(A64H_CALL(m, "stxr_after_clrex", BUF), 1);
    ck_assert_uint_eq(A64H_CALL(m, "stxr_other_address", BUF), 1);
    ck_assert_uint_eq(A64H_CALL(m, "stxr_twice", BUF), 0);
    ck_assert_uint_eq(a64h_reg(m, "x1"), 1);
    ck_assert_uint_eq(A64H_CALL(m, "stxr_other_size", BUF), 1);
    ck_assert_uint_eq(a64h_read64(m, BUF), 42);

    put64(BUF, 0x12ff);
    ck_assert_uint_eq(A64H_CALL(m, "exclusive_bytes", BUF), 0);
    ck_assert_uint_eq(a64h_read64(m, BUF), 0x1200);

    put64(BUF, 0x1111);
    put64(BUF + 8, 0x2222);
    ck_assert_uint_eq(A64H_CALL(m, "exclusive_pair_x", BUF), 0);
    ck_assert_uint_eq(a64h_read64(m, BUF), 0x2222);
    ck_assert_uint_eq(a64h_read64(m, BUF + 8), 0x1111);
    ck_assert_uint_eq(A64H_CALL(m, "exclusive_pair_w", BUF), 0);
    ck_assert_uint_eq(a64h_read64(m, BUF), 0x0000222200000000);
}
END_TEST

START_TEST(acquire_release)
{
    put64(BUF, 0x8877665544332211);
    ck_assert_uint_eq(A64H_CALL(m, "acquire_release", BUF), 0x8877665544332211);
    ck_assert_uint_eq(a64h_reg(m, "x1"), 0x11);
    ck_assert_uint_eq(a64h_reg(m, "x2"), 0x44330011);
}
END_TEST

START_TEST(compare_and_swap)
{
    put64(BUF, 5);
    ck_assert_uint_eq(A64H_CALL(m, "cas_x", BUF, 5, 9), 5);
    ck_assert_uint_eq(a64h_read64(m, BUF), 9);
    ck_assert_uint_eq(A64H_CALL(m, "cas_x", BUF, 5, 7), 9); /* fails: memory kept */
    ck_assert_uint_eq(a64h_read64(m, BUF), 9);
    put64(BUF, 0xffffffff00000005);
    /* W form: compares the low 32 bits of Ws; Ws gets the zero-extended old value */
    ck_assert_uint_eq(A64H_CALL(m, "cas_w", BUF, 0xabcdef0000000005, 6), 5);
    ck_assert_uint_eq(a64h_read64(m, BUF), 0xffffffff00000006);
    ck_assert_uint_eq(A64H_CALL(m, "cas_b", BUF, 0x106, 0x77), 6);
    ck_assert_uint_eq(a64h_read64(m, BUF), 0xffffffff00000077);
    ck_assert_uint_eq(A64H_CALL(m, "cash_h", BUF, 0x77, 0xbeef), 0x77);
    ck_assert_uint_eq(a64h_read64(m, BUF), 0xffffffff0000beef);

    put64(BUF, 1);
    put64(BUF + 8, 2);
    ck_assert_uint_eq(A64H_CALL(m, "casp_x", BUF, 0, 1, 2, 3, 4), 1);
    ck_assert_uint_eq(a64h_reg(m, "x1"), 2);
    ck_assert_uint_eq(a64h_read64(m, BUF), 3);
    ck_assert_uint_eq(a64h_read64(m, BUF + 8), 4);
    ck_assert_uint_eq(A64H_CALL(m, "casp_x", BUF, 0, 1, 2, 5, 6), 3); /* mismatch */
    ck_assert_uint_eq(a64h_read64(m, BUF), 3);
    put64(BUF, 0x0000000200000001);
    ck_assert_uint_eq(A64H_CALL(m, "casp_w", BUF, 0, 1, 2, 7, 8), 1);
    ck_assert_uint_eq(a64h_reg(m, "x1"), 2);
    ck_assert_uint_eq(a64h_read64(m, BUF), 0x0000000800000007);
}
END_TEST

START_TEST(atomic_memory_operations)
{
    put64(BUF, 10);
    ck_assert_uint_eq(A64H_CALL(m, "swp_x", BUF, 20), 10);
    ck_assert_uint_eq(a64h_read64(m, BUF), 20);
    ck_assert_uint_eq(A64H_CALL(m, "swp_b", BUF, 0x1ff), 20);
    ck_assert_uint_eq(a64h_read64(m, BUF), 0xff);
    ck_assert_uint_eq(A64H_CALL(m, "ldadd_x", BUF, 1), 0xff);
    ck_assert_uint_eq(a64h_read64(m, BUF), 0x100);
    put64(BUF, 0xaaaaaaaaffffffff);
    ck_assert_uint_eq(A64H_CALL(m, "ldadd_w_wraps", BUF, 1), 0xffffffff);
    ck_assert_uint_eq(a64h_read64(m, BUF), 0xaaaaaaaa00000000);
    put64(BUF, 0xffff);
    ck_assert_uint_eq(A64H_CALL(m, "ldclr_h", BUF, 0x0f0f), 0xffff);
    ck_assert_uint_eq(a64h_read64(m, BUF), 0xf0f0);
    ck_assert_uint_eq(A64H_CALL(m, "ldeor_b", BUF, 0xff), 0xf0);
    ck_assert_uint_eq(a64h_read64(m, BUF), 0xf00f);
    ck_assert_uint_eq(A64H_CALL(m, "ldset_w", BUF, 0x80000000), 0xf00f);
    ck_assert_uint_eq(a64h_read64(m, BUF), 0x8000f00f);
    /* signed byte compare: 0x0f (15) vs 0x80 (-128) */
    ck_assert_uint_eq(A64H_CALL(m, "ldsmax_b", BUF, 0x80), 0x0f);
    ck_assert_uint_eq(a64h_read64(m, BUF) & 0xff, 0x0f);
    ck_assert_uint_eq(A64H_CALL(m, "ldsmin_h", BUF, 0x8000), 0xf00f);
    ck_assert_uint_eq(a64h_read64(m, BUF) & 0xffff, 0x8000); /* -32768 < -4081 */
    ck_assert_uint_eq(A64H_CALL(m, "ldumax_w", BUF, 0x90000000), 0x80008000);
    ck_assert_uint_eq(a64h_read64(m, BUF), 0x90000000);
    ck_assert_uint_eq(A64H_CALL(m, "ldumin_x", BUF, 3), 0x90000000);
    ck_assert_uint_eq(a64h_read64(m, BUF), 3);
    ck_assert_uint_eq(A64H_CALL(m, "stadd_x", BUF, 4), 5); /* x2 untouched */
    ck_assert_uint_eq(a64h_read64(m, BUF), 7);
}
END_TEST

/* Data abort, same EL, alignment fault: EC 0x25, DFSC 0x21, FAR = VA. */
static void expect_alignment_fault(const char *fn, uint64_t va, bool write)
{
    struct rasim_stop stop;
    a64h_call(m, fn, (const uint64_t[]){va}, 1, &stop);
    ck_assert_msg(stop.reason == RASIM_STOP_EXCEPTION, "%s did not fault", fn);
    ck_assert_uint_eq(ESR_EC(stop.syndrome), 0x25);
    ck_assert_uint_eq(ESR_IL(stop.syndrome), 1);
    ck_assert_uint_eq(ESR_FSC(stop.syndrome), 0x21);
    ck_assert_uint_eq(ESR_WNR(stop.syndrome), write);
    ck_assert(stop.fault_addr_valid);
    ck_assert_uint_eq(stop.fault_addr, va);
    ck_assert_uint_eq(stop.pc, a64h_sym(m, fn));
}

START_TEST(misaligned_exclusives_and_atomics_fault)
{
    expect_alignment_fault("ldxr_at", BUF + 4, false);
    expect_alignment_fault("stxr_at", BUF + 1, true);
    expect_alignment_fault("ldxp_at", BUF + 8, false); /* pair: aligned to 16 */
    expect_alignment_fault("ldar_w_at", BUF + 2, false);
    expect_alignment_fault("stlr_h_at", BUF + 1, true);
    expect_alignment_fault("cas_at", BUF + 4, false);
    expect_alignment_fault("ldadd_at", BUF + 6, false);
    expect_alignment_fault("casp_at", BUF + 8, false);
    /* Aligned, they run. */
    ck_assert_uint_eq(A64H_CALL(m, "ldxr_at", BUF + 8), BUF + 8);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("a64_atomic");
    TCase *tc = tcase_create("atomic");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, exclusive_pass_and_fail);
    tcase_add_test(tc, acquire_release);
    tcase_add_test(tc, compare_and_swap);
    tcase_add_test(tc, atomic_memory_operations);
    tcase_add_test(tc, misaligned_exclusives_and_atomics_fault);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
