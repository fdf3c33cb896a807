/*
 * test_a64_alu.c - data processing and branches, run from guest/alu.S:
 * flags at the overflow boundaries against an independent oracle (128-bit
 * host arithmetic), shift amounts 0 and 63, 32-bit forms zeroing the upper
 * half, every condition for CSEL/CSINC/CSINV/CSNEG/CCMP/CCMN/B.cond,
 * division by zero, and the one-source operations.
 */
#include "a64_harness.h"
#include "test_util.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

static rasim_machine *m;

static void setup(void)
{
    m = a64h_machine("alu.o");
}

static void teardown(void)
{
    rasim_free(m);
}

#define N (1ull << 31)
#define Z (1ull << 30)
#define C (1ull << 29)
#define V (1ull << 28)

static const uint64_t edges[] = {
    0,
    1,
    2,
    0x7f,
    0x80,
    0xff,
    0x7fffffff,
    0x80000000,
    0xffffffff,
    0x100000000,
    0x7fffffffffffffff,
    0x8000000000000000,
    0x8000000000000001,
    0xfffffffffffffffe,
    0xffffffffffffffff,
    0x123456789abcdef0,
    0xfedcba9876543210,
};
#define NEDGES (sizeof(edges) / sizeof(edges[0]))

/* The oracle: AddWithCarry by 128-bit arithmetic, as the pseudocode says it
 * (unsigned_sum / signed_sum compared with the truncated result). */
static uint64_t awc(uint64_t x, uint64_t y, unsigned carry, unsigned bits, uint64_t *nzcv)
{
    typedef unsigned __int128 u128;
    typedef __int128 s128;
    uint64_t mask = bits == 64 ? ~0ull : 0xffffffffull;
    x &= mask;
    y &= mask;
    u128 usum = (u128)x + y + carry;
    s128 sx = bits == 64 ? (s128)(int64_t)x : (s128)(int32_t)x;
    s128 sy = bits == 64 ? (s128)(int64_t)y : (s128)(int32_t)y;
    s128 ssum = sx + sy + carry;
    uint64_t r = (uint64_t)usum & mask;
    s128 sr = bits == 64 ? (s128)(int64_t)r : (s128)(int32_t)r;
    *nzcv = ((r >> (bits - 1)) & 1 ? N : 0) | (r == 0 ? Z : 0) | ((u128)r != usum ? C : 0) |
            (sr != ssum ? V : 0);
    return r;
}

static void check_flags(const char *fn, unsigned bits, bool sub, bool with_carry)
{
    for (size_t i = 0; i < NEDGES; i++) {
        for (size_t j = 0; j < NEDGES; j++) {
            for (unsigned cin = 0; cin <= (with_carry ? 1u : 0u); cin++) {
                uint64_t a = edges[i], b = edges[j], want_nzcv;
                unsigned carry = with_carry ? cin : sub;
                uint64_t want = awc(a, sub ? ~b : b, carry, bits, &want_nzcv);
                uint64_t got = A64H_CALL(m, fn, a, b, cin ? C : 0);
                ck_assert_msg(got == want, "%s(%#llx, %#llx, c=%u) = %#llx, want %#llx", fn,
                              (unsigned long long)a, (unsigned long long)b, cin,
                              (unsigned long long)got, (unsigned long long)want);
                ck_assert_msg(a64h_reg(m, "x1") == want_nzcv,
                              "%s(%#llx, %#llx, c=%u) nzcv %#llx, want %#llx", fn,
                              (unsigned long long)a, (unsigned long long)b, cin,
                              (unsigned long long)a64h_reg(m, "x1"), (unsigned long long)want_nzcv);
            }
        }
    }
}

START_TEST(add_sub_flags_match_add_with_carry)
{
    check_flags("adds_x", 64, false, false);
    check_flags("adds_w", 32, false, false);
    check_flags("subs_x", 64, true, false);
    check_flags("subs_w", 32, true, false);
    check_flags("adcs_x", 64, false, true);
    check_flags("adcs_w", 32, false, true);
    check_flags("sbcs_x", 64, true, true);
    check_flags("sbcs_w", 32, true, true);
}
END_TEST

START_TEST(add_sub_immediate_and_carry_forms)
{
    uint64_t nzcv;
    awc(4095, ~4095ull, 1, 64, &nzcv);
    A64H_CALL(m, "cmp_imm_x", 4095);
    ck_assert_uint_eq(a64h_reg(m, "x1"), nzcv); /* Z and C */
    ck_assert_uint_eq(nzcv, Z | C);
    A64H_CALL(m, "cmn_imm_shift_w", 0xfffff000);
    ck_assert_uint_eq(a64h_reg(m, "x1"), Z | C);
    ck_assert_uint_eq(A64H_CALL(m, "adds_imm_x", 0x7fffffffffffffff), 0x8000000000000000);
    ck_assert_uint_eq(a64h_reg(m, "x1"), N | V);
    ck_assert_uint_eq(A64H_CALL(m, "subs_imm_w", 0xffffffff00000000), 0xffffffff);
    ck_assert_uint_eq(a64h_reg(m, "x1"), N); /* 0 - 1: borrow, so C clear */
    ck_assert_uint_eq(A64H_CALL(m, "adc_x", 5, 6, C), 12);
    ck_assert_uint_eq(A64H_CALL(m, "adc_x", 5, 6, 0), 11);
    ck_assert_uint_eq(A64H_CALL(m, "sbc_w", 5, 6, C), 0xffffffff);
    ck_assert_uint_eq(A64H_CALL(m, "sbc_w", 5, 6, 0), 0xfffffffe);
}
END_TEST

START_TEST(shifted_register_amounts_zero_and_max)
{
    ck_assert_uint_eq(A64H_CALL(m, "add_lsl0", 1, 2), 3);
    ck_assert_uint_eq(A64H_CALL(m, "add_lsl63", 1, 3), 0x8000000000000001);
    ck_assert_uint_eq(A64H_CALL(m, "sub_lsr63", 10, 0x8000000000000000), 9);
    ck_assert_uint_eq(A64H_CALL(m, "add_asr63", 10, 0x8000000000000000), 9);
    ck_assert_uint_eq(A64H_CALL(m, "add_asr63", 10, 0x7fffffffffffffff), 10);
    ck_assert_uint_eq(A64H_CALL(m, "add_w_lsl31", 0xffffffff00000001, 1), 0x80000001);
    ck_assert_uint_eq(A64H_CALL(m, "add_w_asr31", 0, 0x80000000), 0xffffffff);
    ck_assert_uint_eq(A64H_CALL(m, "add_w", 0xdeadbeef00000001, 0xffffffff00000002), 3);
    ck_assert_uint_eq(A64H_CALL(m, "neg_x", 0, 5), (uint64_t)-5);
}
END_TEST

START_TEST(extended_register_forms_and_sp)
{
    ck_assert_uint_eq(A64H_CALL(m, "add_sxtw2", 100, 0xffffffff), 96);
    ck_assert_uint_eq(A64H_CALL(m, "add_uxtw", 100, 0x1ffffffff), 100 + 0xffffffffull);
    ck_assert_uint_eq(A64H_CALL(m, "sub_uxtb4", 0x1000, 0x1ff), 0x1000 - 0xff0);
    ck_assert_uint_eq(A64H_CALL(m, "add_sxth", 0, 0x8000), 0xffffffffffff8000);
    ck_assert_uint_eq(A64H_CALL(m, "add_w_sxtb", 0xffffffff00000000, 0x80), 0xffffff80);
    ck_assert_uint_eq(A64H_CALL(m, "adds_sxtx3", 1, (uint64_t)-1), (uint64_t)-7);
    ck_assert_uint_eq(a64h_reg(m, "x1"), N);
    ck_assert_uint_eq(A64H_CALL(m, "add_sp_uxtx", 0, 8), A64H_STACK + 8);
    ck_assert_uint_eq(A64H_CALL(m, "sp_arith", 16), A64H_STACK - 16);
    ck_assert_uint_eq(a64h_reg(m, "sp"), A64H_STACK);
}
END_TEST

START_TEST(logical_immediate_and_register)
{
    ck_assert_uint_eq(A64H_CALL(m, "and_imm_x", ~0ull), 0x5555555555555555);
    ck_assert_uint_eq(A64H_CALL(m, "orr_imm_w", 0xffffffff00000011), 0xff00ff11);
    ck_assert_uint_eq(A64H_CALL(m, "eor_imm_x", 3), 0xfffffffffffffffd);
    ck_assert_uint_eq(A64H_CALL(m, "ands_imm_x", ~0ull), 0x8000000000000000);
    ck_assert_uint_eq(a64h_reg(m, "x1"), N);
    ck_assert_uint_eq(A64H_CALL(m, "ands_imm_x", 0x7fffffffffffffff), 0);
    ck_assert_uint_eq(a64h_reg(m, "x1"), Z);
    A64H_CALL(m, "tst_imm_w", 0x80000000, 0, 0);
    ck_assert_uint_eq(a64h_reg(m, "x1"), N);
    ck_assert_uint_eq(A64H_CALL(m, "and_imm_sp", 0x40400123), 0x40400120);
    ck_assert_uint_eq(A64H_CALL(m, "bic_x", 0xff, 0x0f), 0xf0);
    ck_assert_uint_eq(A64H_CALL(m, "orn_w", 0, 0xffff0000), 0x0000ffff);
    ck_assert_uint_eq(A64H_CALL(m, "eon_x_ror1", 0, 1), ~0x8000000000000000ull);
    ck_assert_uint_eq(A64H_CALL(m, "orr_w_ror31", 0, 0x80000000), 1);
    ck_assert_uint_eq(A64H_CALL(m, "eor_lsr63", 1, 0x8000000000000000), 0);
    ck_assert_uint_eq(A64H_CALL(m, "ands_x", 0xf0, 0x0f), 0);
    ck_assert_uint_eq(a64h_reg(m, "x1"), Z);
    /* BICS: flags from a 32-bit result; C and V are always cleared. */
    ck_assert_uint_eq(A64H_CALL(m, "bics_w_asr31", 0x80000001, 0x7fffffff), 0x80000001);
    ck_assert_uint_eq(a64h_reg(m, "x1"), N);
    ck_assert_uint_eq(A64H_CALL(m, "mov_w", 0, 0xabcdef0012345678), 0x12345678);
    ck_assert_uint_eq(A64H_CALL(m, "mvn_x", 0, 0), ~0ull);
}
END_TEST

START_TEST(move_wide)
{
    ck_assert_uint_eq(A64H_CALL(m, "movz_x_48", 0), 0x1234000000000000);
    ck_assert_uint_eq(A64H_CALL(m, "movn_w", 0), 0xffffffff);
    ck_assert_uint_eq(A64H_CALL(m, "movn_x_16", 0), 0xfffffffffffeffff);
    ck_assert_uint_eq(A64H_CALL(m, "movk_x_32", 0x1111111111111111), 0x1111beef11111111);
    ck_assert_uint_eq(A64H_CALL(m, "movk_w_16", 0x1111111111111111), 0xcafe1111);
}
END_TEST

START_TEST(bitfield_and_extract)
{
    ck_assert_uint_eq(A64H_CALL(m, "ubfx_x_60_4", 0xa000000000000000), 0xa);
    ck_assert_uint_eq(A64H_CALL(m, "sbfx_x_0_1", 1), ~0ull);
    ck_assert_uint_eq(A64H_CALL(m, "sbfx_x_0_1", 2), 0);
    ck_assert_uint_eq(A64H_CALL(m, "sbfx_w_4_8", 0x800), 0xffffff80);
    ck_assert_uint_eq(A64H_CALL(m, "bfi_x_8_16", 0xffffffffffffffff, 0x1234), 0xffffffffff1234ff);
    ck_assert_uint_eq(A64H_CALL(m, "bfxil_w_28_4", 0xffffffff00000000, 0xa0000000), 0xa);
    ck_assert_uint_eq(A64H_CALL(m, "ubfiz_x_63_1", 3), 0x8000000000000000);
    ck_assert_uint_eq(A64H_CALL(m, "sbfiz_w_2_8", 0x80), 0xfffffe00);
    ck_assert_uint_eq(A64H_CALL(m, "lsl_x_63", 3), 0x8000000000000000);
    ck_assert_uint_eq(A64H_CALL(m, "lsl_x_0", 0x123), 0x123);
    ck_assert_uint_eq(A64H_CALL(m, "lsr_x_63", 0x8000000000000000), 1);
    ck_assert_uint_eq(A64H_CALL(m, "asr_x_63", 0x8000000000000000), ~0ull);
    ck_assert_uint_eq(A64H_CALL(m, "asr_w_31", 0x80000000), 0xffffffff);
    ck_assert_uint_eq(A64H_CALL(m, "lsr_w_0", 0xffffffff80000000), 0x80000000);
    ck_assert_uint_eq(A64H_CALL(m, "sxtb_x", 0x80), 0xffffffffffffff80);
    ck_assert_uint_eq(A64H_CALL(m, "sxth_w", 0xffff00008000), 0xffff8000);
    ck_assert_uint_eq(A64H_CALL(m, "sxtw_x", 0x80000000), 0xffffffff80000000);
    ck_assert_uint_eq(A64H_CALL(m, "uxtb_w", 0x1ff), 0xff);
    ck_assert_uint_eq(A64H_CALL(m, "uxth_w", 0xffffffff), 0xffff);
    ck_assert_uint_eq(A64H_CALL(m, "extr_x_0", 1, 2), 2);
    ck_assert_uint_eq(A64H_CALL(m, "extr_x_63", 1, 0x8000000000000000), 3);
    ck_assert_uint_eq(A64H_CALL(m, "extr_w_16", 0x1234, 0x56780000), 0x12345678);
    ck_assert_uint_eq(A64H_CALL(m, "ror_x_imm_13", 1), 1ull << 51);
}
END_TEST

START_TEST(variable_shifts_use_the_amount_modulo_datasize)
{
    ck_assert_uint_eq(A64H_CALL(m, "lslv_x", 1, 64), 1);
    ck_assert_uint_eq(A64H_CALL(m, "lslv_x", 1, 63), 0x8000000000000000);
    ck_assert_uint_eq(A64H_CALL(m, "lsrv_x", 0x8000000000000000, 127), 1);
    ck_assert_uint_eq(A64H_CALL(m, "asrv_x", 0x8000000000000000, 63), ~0ull);
    ck_assert_uint_eq(A64H_CALL(m, "rorv_x", 1, 1), 0x8000000000000000);
    ck_assert_uint_eq(A64H_CALL(m, "rorv_x", 0x1234, 0), 0x1234);
    ck_assert_uint_eq(A64H_CALL(m, "lslv_w", 1, 32), 1);
    ck_assert_uint_eq(A64H_CALL(m, "lslv_w", 0xffffffff00000001, 31), 0x80000000);
    ck_assert_uint_eq(A64H_CALL(m, "lsrv_w", 0xffffffff80000000, 31), 1);
    ck_assert_uint_eq(A64H_CALL(m, "asrv_w", 0x80000000, 63), 0xffffffff);
    ck_assert_uint_eq(A64H_CALL(m, "rorv_w", 1, 33), 0x80000000);
}
END_TEST

START_TEST(multiply_and_divide)
{
    ck_assert_uint_eq(A64H_CALL(m, "madd_x", 3, 4, 5), 17);
    ck_assert_uint_eq(A64H_CALL(m, "msub_w", 3, 4, 5), 0xfffffff9);
    ck_assert_uint_eq(A64H_CALL(m, "smaddl_x", 0xffffffff, 2, 10), 8);
    ck_assert_uint_eq(A64H_CALL(m, "umaddl_x", 0xffffffff, 2, 10), 0x1fffffffe + 10);
    ck_assert_uint_eq(A64H_CALL(m, "smsubl_x", 0xffffffff, 2, 10), 12);
    ck_assert_uint_eq(A64H_CALL(m, "umsubl_x", 1, 2, 10), 8);
    ck_assert_uint_eq(A64H_CALL(m, "mul_w", 0x10000, 0x10000), 0);
    typedef unsigned __int128 u128;
    typedef __int128 s128;
    for (size_t i = 0; i < NEDGES; i++) {
        for (size_t j = 0; j < NEDGES; j++) {
            uint64_t a = edges[i], b = edges[j];
            ck_assert_uint_eq(A64H_CALL(m, "umulh_x", a, b), (uint64_t)(((u128)a * b) >> 64));
            ck_assert_uint_eq(A64H_CALL(m, "smulh_x", a, b),
                              (uint64_t)(((s128)(int64_t)a * (int64_t)b) >> 64));
        }
    }
    ck_assert_uint_eq(A64H_CALL(m, "udiv_x", 100, 7), 14);
    ck_assert_uint_eq(A64H_CALL(m, "udiv_x", 100, 0), 0); /* no trap, result 0 */
    ck_assert_uint_eq(A64H_CALL(m, "sdiv_x", 100, 0), 0);
    ck_assert_uint_eq(A64H_CALL(m, "udiv_w", 100, 0x100000000), 0);
    ck_assert_uint_eq(A64H_CALL(m, "sdiv_w", 0xffffffff00000000, 0), 0);
    ck_assert_uint_eq(A64H_CALL(m, "sdiv_x", (uint64_t)-100, 7), (uint64_t)-14);
    ck_assert_uint_eq(A64H_CALL(m, "sdiv_x", 0x8000000000000000, (uint64_t)-1), 0x8000000000000000);
    ck_assert_uint_eq(A64H_CALL(m, "sdiv_w", 0x80000000, 0xffffffff), 0x80000000);
    ck_assert_uint_eq(A64H_CALL(m, "sdiv_w", 0xfffffff9, 2), 0xfffffffd);
    ck_assert_uint_eq(A64H_CALL(m, "udiv_w", 0xffffffff, 2), 0x7fffffff);
}
END_TEST

START_TEST(one_source_operations)
{
    ck_assert_uint_eq(A64H_CALL(m, "clz_x", 0), 64);
    ck_assert_uint_eq(A64H_CALL(m, "clz_x", 1), 63);
    ck_assert_uint_eq(A64H_CALL(m, "clz_x", ~0ull), 0);
    ck_assert_uint_eq(A64H_CALL(m, "clz_w", 0xffffffff00000000), 32);
    ck_assert_uint_eq(A64H_CALL(m, "clz_w", 0x00010000), 15);
    ck_assert_uint_eq(A64H_CALL(m, "cls_x", 0), 63);
    ck_assert_uint_eq(A64H_CALL(m, "cls_x", ~0ull), 63);
    ck_assert_uint_eq(A64H_CALL(m, "cls_x", 0x4000000000000000), 0);
    ck_assert_uint_eq(A64H_CALL(m, "cls_x", 0xe000000000000000), 2);
    ck_assert_uint_eq(A64H_CALL(m, "cls_w", 0), 31);
    ck_assert_uint_eq(A64H_CALL(m, "cls_w", 0xfffffff0), 27);
    ck_assert_uint_eq(A64H_CALL(m, "rbit_x", 1), 0x8000000000000000);
    ck_assert_uint_eq(A64H_CALL(m, "rbit_w", 0xffffffff00000003), 0xc0000000);
    ck_assert_uint_eq(A64H_CALL(m, "rev_x", 0x0102030405060708), 0x0807060504030201);
    ck_assert_uint_eq(A64H_CALL(m, "rev_w", 0xaabbccdd01020304), 0x04030201);
    ck_assert_uint_eq(A64H_CALL(m, "rev16_x", 0x0102030405060708), 0x0201040306050807);
    ck_assert_uint_eq(A64H_CALL(m, "rev16_w", 0xaabbccdd01020304), 0x02010403);
    ck_assert_uint_eq(A64H_CALL(m, "rev32_x", 0x0102030405060708), 0x0403020108070605);
}
END_TEST

/* ConditionHolds, written out from the Arm ARM's table. */
static bool holds(unsigned cond, uint64_t nzcv)
{
    bool n = nzcv & N, z = nzcv & Z, c = nzcv & C, v = nzcv & V;
    switch (cond) {
    case 0: return z;
    case 1: return !z;
    case 2: return c;
    case 3: return !c;
    case 4: return n;
    case 5: return !n;
    case 6: return v;
    case 7: return !v;
    case 8: return c && !z;
    case 9: return !(c && !z);
    case 10: return n == v;
    case 11: return n != v;
    case 12: return !z && n == v;
    case 13: return !(!z && n == v);
    default: return true; /* AL and NV */
    }
}

static const char *const conds[16] = {"eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
                                      "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"};

START_TEST(every_condition_for_select_compare_and_branch)
{
    char fn[32];
    for (unsigned cond = 0; cond < 16; cond++) {
        for (uint64_t f = 0; f < 16; f++) {
            uint64_t nzcv = f << 28, want_nzcv;
            bool h = holds(cond, nzcv);
            snprintf(fn, sizeof(fn), "csel_%s", conds[cond]);
            ck_assert_uint_eq(A64H_CALL(m, fn, 11, 22, nzcv), h ? 11 : 22);
            snprintf(fn, sizeof(fn), "csinc_%s", conds[cond]);
            ck_assert_uint_eq(A64H_CALL(m, fn, 11, ~0ull, nzcv), h ? 11 : 0);
            snprintf(fn, sizeof(fn), "csinv_%s", conds[cond]);
            ck_assert_uint_eq(A64H_CALL(m, fn, 0xffffffff0000000b, 0, nzcv), h ? 0xb : 0xffffffff);
            snprintf(fn, sizeof(fn), "csneg_%s", conds[cond]);
            ck_assert_uint_eq(A64H_CALL(m, fn, 11, 22, nzcv), h ? 11 : (uint64_t)-22);

            snprintf(fn, sizeof(fn), "ccmp_%s", conds[cond]);
            awc(5, ~7ull, 1, 64, &want_nzcv);
            A64H_CALL(m, fn, 5, 7, nzcv);
            ck_assert_uint_eq(a64h_reg(m, "x1"), h ? want_nzcv : 0xaull << 28);
            snprintf(fn, sizeof(fn), "ccmp_imm_%s", conds[cond]);
            A64H_CALL(m, fn, 31, 0, nzcv);
            ck_assert_uint_eq(a64h_reg(m, "x1"), h ? (Z | C) : 0x5ull << 28);
            snprintf(fn, sizeof(fn), "ccmn_%s", conds[cond]);
            awc(~0ull, 1, 0, 64, &want_nzcv);
            A64H_CALL(m, fn, ~0ull, 1, nzcv);
            ck_assert_uint_eq(a64h_reg(m, "x1"), h ? want_nzcv : 0x3ull << 28);

            snprintf(fn, sizeof(fn), "bcond_%s", conds[cond]);
            ck_assert_uint_eq(A64H_CALL(m, fn, 0, 0, nzcv), h);
        }
    }
}
END_TEST

START_TEST(branches)
{
    ck_assert_uint_eq(A64H_CALL(m, "cbz_w", 0xffffffff00000000), 1);
    ck_assert_uint_eq(A64H_CALL(m, "cbz_w", 1), 0);
    ck_assert_uint_eq(A64H_CALL(m, "cbnz_x", 0x100000000), 1);
    ck_assert_uint_eq(A64H_CALL(m, "cbnz_x", 0), 0);
    ck_assert_uint_eq(A64H_CALL(m, "tbz_0", 2), 1);
    ck_assert_uint_eq(A64H_CALL(m, "tbz_0", 1), 0);
    ck_assert_uint_eq(A64H_CALL(m, "tbnz_63", 0x8000000000000000), 1);
    ck_assert_uint_eq(A64H_CALL(m, "tbnz_63", 0x7fffffffffffffff), 0);
    ck_assert_uint_eq(A64H_CALL(m, "tbz_w31", 0x7fffffff), 1);
    ck_assert_uint_eq(A64H_CALL(m, "call_chain", 40), 42);
    ck_assert_uint_eq(A64H_CALL(m, "blr_x30", 1), 2);
    ck_assert_uint_eq(A64H_CALL(m, "ret_x5", 0), 77);
    uint64_t self = a64h_sym(m, "adr_self");
    ck_assert_uint_eq(A64H_CALL(m, "adr_self", 0), self);
    ck_assert_uint_eq(a64h_reg(m, "x1"), self & ~0xfffull);
    ck_assert_uint_eq(A64H_CALL(m, "adr_back", 0), a64h_sym(m, "adr_back") - 4);
}
END_TEST

START_TEST(retired_instructions_are_counted)
{
    struct rasim_stop stop;
    a64h_call(m, "add_one", (const uint64_t[]){1}, 1, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(stop.insns, 2); /* add, ret */
    ck_assert_uint_eq(stop.pc, A64H_SENTINEL);
    a64h_set(m, "pc", a64h_sym(m, "call_chain"));
    ck_assert_int_eq(rasim_run(m, 3, &stop), 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_BUDGET);
    ck_assert_uint_eq(stop.insns, 3);
    ck_assert_uint_eq(stop.pc, a64h_sym(m, "add_one")); /* stp, mov, bl */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("a64_alu");
    TCase *tc = tcase_create("alu");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, add_sub_flags_match_add_with_carry);
    tcase_add_test(tc, add_sub_immediate_and_carry_forms);
    tcase_add_test(tc, shifted_register_amounts_zero_and_max);
    tcase_add_test(tc, extended_register_forms_and_sp);
    tcase_add_test(tc, logical_immediate_and_register);
    tcase_add_test(tc, move_wide);
    tcase_add_test(tc, bitfield_and_extract);
    tcase_add_test(tc, variable_shifts_use_the_amount_modulo_datasize);
    tcase_add_test(tc, multiply_and_divide);
    tcase_add_test(tc, one_source_operations);
    tcase_add_test(tc, every_condition_for_select_compare_and_branch);
    tcase_add_test(tc, branches);
    tcase_add_test(tc, retired_instructions_are_counted);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
