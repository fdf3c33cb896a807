/*
 * test_a64_ldst.c - every load/store addressing mode for 8..128-bit
 * accesses, from guest/ldst.S: sizes and sign extension, pre/post index
 * writeback (also with Rn == Rt), SP as base, register offsets with each
 * extend, literals, pairs (LDP, STP, LDPSW, LDNP, STNP), the unprivileged
 * forms, Q/D/S/H/B registers, and PRFM.
 */
#include "a64_harness.h"
#include "test_util.h"

#include <check.h>
#include <string.h>

static rasim_machine *m;
#define BUF (A64H_DATA + 0x1000)

static void setup(void)
{
    m = a64h_machine("ldst.o");
}

static void teardown(void)
{
    rasim_free(m);
}

static void fill(uint64_t pa, size_t len)
{
    uint8_t b[256];
    for (size_t i = 0; i < len; i++)
        b[i] = (uint8_t)(0x10 + i);
    a64h_write(m, pa, b, len);
}

START_TEST(sizes_and_sign_extension)
{
    fill(BUF, 16);
    ck_assert_uint_eq(A64H_CALL(m, "load_sizes", BUF), 0x11);
    ck_assert_uint_eq(a64h_reg(m, "x2"), 0x1312);
    ck_assert_uint_eq(a64h_reg(m, "x3"), 0x17161514);
    ck_assert_uint_eq(a64h_reg(m, "x4"), 0x1f1e1d1c1b1a1918);

    uint8_t s[8] = {0x80, 0, 0x00, 0x80, 0x00, 0x00, 0x00, 0x80};
    a64h_write(m, BUF, s, 8);
    ck_assert_uint_eq(A64H_CALL(m, "load_signed", BUF), 0xffffffffffffff80);
    ck_assert_uint_eq(a64h_reg(m, "x2"), 0xffffff80); /* W destination: upper half 0 */
    ck_assert_uint_eq(a64h_reg(m, "x3"), 0xffffffffffff8000);
    ck_assert_uint_eq(a64h_reg(m, "x4"), 0xffff8000);
    ck_assert_uint_eq(a64h_reg(m, "x5"), 0xffffffff80000000);
    ck_assert_uint_eq(a64h_reg(m, "x6"), 0xffffffffffffff80);
    ck_assert_uint_eq(a64h_reg(m, "x7"), 0xffff8000);

    uint8_t zero[32] = {0}, got[32];
    a64h_write(m, BUF, zero, 32);
    A64H_CALL(m, "store_sizes", BUF, 0x0102030405060708);
    a64h_read(m, BUF, got, 32);
    uint8_t want[32] = {0x08, 0,    0x08, 0x07, 0x08, 0x07, 0x06, 0x05, 0x08,
                        0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0,    0x08,
                        0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01};
    ck_assert_mem_eq(got, want, 32);
}
END_TEST

START_TEST(index_forms_write_back)
{
    fill(BUF, 32);
    ck_assert_uint_eq(A64H_CALL(m, "pre_index", BUF), BUF + 8);
    ck_assert_uint_eq(a64h_reg(m, "x1"), 0x1f1e1d1c1b1a1918);
    ck_assert_uint_eq(A64H_CALL(m, "post_index", BUF), BUF + 16);
    ck_assert_uint_eq(a64h_reg(m, "x1"), 0x1716151413121110);
    ck_assert_uint_eq(A64H_CALL(m, "pre_index_store_neg", BUF + 8, 0xabcdef), BUF);
    ck_assert_uint_eq(a64h_read64(m, BUF), 0xabcdef);
    uint32_t neg = 0x80000000;
    a64h_write(m, BUF, &neg, 4);
    ck_assert_uint_eq(A64H_CALL(m, "post_index_w_signed", BUF), BUF - 4);
    ck_assert_uint_eq(a64h_reg(m, "x1"), 0xffffffff80000000);
    /* Rn == Rt: the store writes the base as it was; the load's value wins. */
    ck_assert_uint_eq(A64H_CALL(m, "str_wb_same_reg", BUF), BUF + 8);
    ck_assert_uint_eq(a64h_read64(m, BUF), BUF);
    uint64_t v = 0x5555;
    a64h_write(m, BUF + 8, &v, 8);
    ck_assert_uint_eq(A64H_CALL(m, "ldr_wb_same_reg", BUF), 0x5555);
    ck_assert_uint_eq(A64H_CALL(m, "sp_base", 0x77), 0);
    ck_assert_uint_eq(a64h_reg(m, "x1"), 0x77);
    ck_assert_uint_eq(a64h_read64(m, A64H_STACK - 16), 0x77);
}
END_TEST

START_TEST(register_offsets_with_each_extend)
{
    fill(BUF, 128);
    ck_assert_uint_eq(A64H_CALL(m, "reg_offset", BUF, 2), 0x2726252423222120);
    ck_assert_uint_eq(a64h_reg(m, "x3"), 0x1b1a1918);
    ck_assert_uint_eq(a64h_reg(m, "x4"), 0x12);
    ck_assert_uint_eq(a64h_reg(m, "x5"), 0x1514);
    /* uxtw takes only the low 32 bits of the index */
    ck_assert_uint_eq(A64H_CALL(m, "reg_offset_uxtw", BUF, 0xffffffff00000001), 0x17161514);
    ck_assert_uint_eq(A64H_CALL(m, "reg_offset_sxtw", BUF + 64, 0xfffffffe), 0x4746454443424140);
    ck_assert_uint_eq(a64h_reg(m, "x3"), 0x5554535251504f4e);
    A64H_CALL(m, "reg_offset_store", BUF + 16, ~0ull, 0x1122334455667788);
    ck_assert_uint_eq(a64h_read64(m, BUF + 8), 0x8822334455667788); /* strh over its top byte */
    uint16_t h;
    a64h_read(m, BUF + 15, &h, 2);
    ck_assert_uint_eq(h, 0x7788);
}
END_TEST

START_TEST(literal_loads)
{
    ck_assert_uint_eq(A64H_CALL(m, "literals", 0, 0, 0, BUF), 0x8877665544332211);
    ck_assert_uint_eq(a64h_reg(m, "x1"), 0x44332211);
    ck_assert_uint_eq(a64h_reg(m, "x2"), 0xffffffff80000001);
    uint8_t q[16];
    a64h_read(m, BUF, q, 16);
    for (int i = 0; i < 16; i++)
        ck_assert_uint_eq(q[i], i);
}
END_TEST

START_TEST(pairs_all_forms)
{
    A64H_CALL(m, "pairs", BUF, 0x1111111122222222, 0x80000000ffffffff);
    ck_assert_uint_eq(a64h_reg(m, "x0"), 0x1111111122222222);
    ck_assert_uint_eq(a64h_reg(m, "x1"), 0x80000000ffffffff);
    ck_assert_uint_eq(a64h_reg(m, "x2"), 0x22222222);
    ck_assert_uint_eq(a64h_reg(m, "x3"), 0xffffffff);
    ck_assert_uint_eq(a64h_reg(m, "x4"), 0x22222222);
    ck_assert_uint_eq(a64h_reg(m, "x5"), 0xffffffffffffffff); /* LDPSW */
    ck_assert_uint_eq(a64h_reg(m, "x6"), 0x80000000ffffffff);
    ck_assert_uint_eq(a64h_reg(m, "x7"), 0x1111111122222222);
    ck_assert_uint_eq(a64h_read64(m, BUF + 16), 0xffffffff22222222);

    ck_assert_uint_eq(A64H_CALL(m, "pair_pre_post", BUF, 7, 9), BUF);
    ck_assert_uint_eq(a64h_reg(m, "x1"), 7);
    ck_assert_uint_eq(a64h_reg(m, "x2"), 9);
    ck_assert_uint_eq(a64h_read64(m, BUF + 24), 9);
    ck_assert_uint_eq(A64H_CALL(m, "pair_sp", 40, 2), 42);
    ck_assert_uint_eq(a64h_reg(m, "sp"), A64H_STACK);
}
END_TEST

START_TEST(unprivileged_forms)
{
    /* At EL1 with the MMU off, LDTR/STTR reach memory as LDR/STR do. */
    A64H_CALL(m, "unprivileged", BUF, 0x8182838485868788);
    ck_assert_uint_eq(a64h_reg(m, "x0"), 0x8182838485868788);
    ck_assert_uint_eq(a64h_reg(m, "x1"), 0x88);
    ck_assert_uint_eq(a64h_reg(m, "x2"), 0xffffffffffffff88);
    ck_assert_uint_eq(a64h_reg(m, "x3"), 0xffff8788);
    ck_assert_uint_eq(a64h_reg(m, "x4"), 0xffffffff85868788);
    ck_assert_uint_eq(a64h_reg(m, "x5"), 0x8788);
}
END_TEST

START_TEST(q_registers)
{
    uint8_t src[128], dst[128];
    fill(BUF, 128);
    a64h_read(m, BUF, src, 128);
    ck_assert_uint_eq(A64H_CALL(m, "q_copy", BUF, BUF + 0x100), BUF + 0x120);
    a64h_read(m, BUF + 0x100, dst, 64);
    ck_assert_mem_eq(dst, src, 64);

    A64H_CALL(m, "q_narrow", BUF, BUF + 0x200);
    a64h_read(m, BUF + 0x200, dst, 80);
    uint8_t want[80] = {0};
    want[0] = src[16];
    memcpy(want + 16, src + 16, 2);
    memcpy(want + 32, src + 16, 4);
    memcpy(want + 48, src + 16, 8);
    want[64] = src[16];
    memcpy(want + 66, src + 16, 2);
    memcpy(want + 68, src + 16, 4);
    memcpy(want + 72, src + 16, 8);
    ck_assert_mem_eq(dst, want, 80);

    ck_assert_uint_eq(A64H_CALL(m, "q_pairs_index", BUF, BUF + 0x300), BUF + 0x320);
    ck_assert_uint_eq(a64h_reg(m, "x1"), BUF + 32);
    a64h_read(m, BUF + 0x300, dst, 128);
    ck_assert_mem_eq(dst, src, 32);           /* stnp q0, q1 */
    ck_assert_mem_eq(dst + 32, src + 16, 16); /* stp q3, q2 */
    ck_assert_mem_eq(dst + 48, src, 16);
    ck_assert_mem_eq(dst + 64, src + 8, 8); /* stp d5, d4 */
    ck_assert_mem_eq(dst + 72, src, 8);
    ck_assert_mem_eq(dst + 80, src + 4, 4); /* stp s7, s6 */
    ck_assert_mem_eq(dst + 84, src, 4);
}
END_TEST

START_TEST(prefetch_never_faults)
{
    ck_assert_uint_eq(A64H_CALL(m, "prefetches", 0x90000000, 5), 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("a64_ldst");
    TCase *tc = tcase_create("ldst");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, sizes_and_sign_extension);
    tcase_add_test(tc, index_forms_write_back);
    tcase_add_test(tc, register_offsets_with_each_extend);
    tcase_add_test(tc, literal_loads);
    tcase_add_test(tc, pairs_all_forms);
    tcase_add_test(tc, unprivileged_forms);
    tcase_add_test(tc, q_registers);
    tcase_add_test(tc, prefetch_never_faults);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
