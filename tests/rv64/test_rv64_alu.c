/*
 * test_rv64_alu.c - RV64I, M, Zba, Zbb and Zbs computation, each
 * instruction run from real assembly (guest/ops.S, guest/ops_rvc.S) over
 * edge operands and random ones, against the manual's definition written
 * here in C; plus the cases the manual spells out by value (division by
 * zero and overflow, *W sign extension, shift amounts).
 */
#include "rv64_guest.h"
#include "test_util.h"

#include <stdlib.h>

typedef uint64_t (*ref_fn)(uint64_t a, uint64_t b);

static uint64_t s32(uint64_t v)
{
    return (uint64_t)(int64_t)(int32_t)(uint32_t)v;
}
static int64_t S(uint64_t v)
{
    return (int64_t)v;
}

/* clang-format off */ /* the reference definitions, one per line */
/* ---- the manual, in C ------------------------------------------------------ */
static uint64_t f_add(uint64_t a, uint64_t b) { return a + b; }
static uint64_t f_sub(uint64_t a, uint64_t b) { return a - b; }
static uint64_t f_sll(uint64_t a, uint64_t b) { return a << (b & 63); }
static uint64_t f_slt(uint64_t a, uint64_t b) { return S(a) < S(b); }
static uint64_t f_sltu(uint64_t a, uint64_t b) { return a < b; }
static uint64_t f_xor(uint64_t a, uint64_t b) { return a ^ b; }
static uint64_t f_srl(uint64_t a, uint64_t b) { return a >> (b & 63); }
static uint64_t f_sra(uint64_t a, uint64_t b) { return (uint64_t)(S(a) >> (b & 63)); }
static uint64_t f_or(uint64_t a, uint64_t b) { return a | b; }
static uint64_t f_and(uint64_t a, uint64_t b) { return a & b; }
static uint64_t f_addw(uint64_t a, uint64_t b) { return s32(a + b); }
static uint64_t f_subw(uint64_t a, uint64_t b) { return s32(a - b); }
static uint64_t f_sllw(uint64_t a, uint64_t b) { return s32((uint32_t)a << (b & 31)); }
static uint64_t f_srlw(uint64_t a, uint64_t b) { return s32((uint32_t)a >> (b & 31)); }
static uint64_t f_sraw(uint64_t a, uint64_t b) { return (uint64_t)(int64_t)((int32_t)a >> (b & 31)); }
static uint64_t f_mul(uint64_t a, uint64_t b) { return a * b; }
static uint64_t f_mulh(uint64_t a, uint64_t b) { return (uint64_t)(((__int128)S(a) * S(b)) >> 64); }
static uint64_t f_mulhsu(uint64_t a, uint64_t b) { return (uint64_t)(((__int128)S(a) * (__int128)b) >> 64); }
static uint64_t f_mulhu(uint64_t a, uint64_t b) { return (uint64_t)(((unsigned __int128)a * b) >> 64); }
static uint64_t f_div(uint64_t a, uint64_t b)
{
    return b == 0 ? ~0ull : (S(a) == INT64_MIN && S(b) == -1) ? a : (uint64_t)(S(a) / S(b));
}
static uint64_t f_divu(uint64_t a, uint64_t b) { return b ? a / b : ~0ull; }
static uint64_t f_rem(uint64_t a, uint64_t b)
{
    return b == 0 ? a : (S(a) == INT64_MIN && S(b) == -1) ? 0 : (uint64_t)(S(a) % S(b));
}
static uint64_t f_remu(uint64_t a, uint64_t b) { return b ? a % b : a; }
static uint64_t f_mulw(uint64_t a, uint64_t b) { return s32(a * b); }
static uint64_t f_divw(uint64_t a, uint64_t b)
{
    int32_t x = (int32_t)a, y = (int32_t)b;
    return y == 0 ? ~0ull : (x == INT32_MIN && y == -1) ? s32((uint32_t)x) : s32((uint32_t)(x / y));
}
static uint64_t f_divuw(uint64_t a, uint64_t b) { return (uint32_t)b ? s32((uint32_t)a / (uint32_t)b) : ~0ull; }
static uint64_t f_remw(uint64_t a, uint64_t b)
{
    int32_t x = (int32_t)a, y = (int32_t)b;
    return y == 0 ? s32((uint32_t)x) : (x == INT32_MIN && y == -1) ? 0 : s32((uint32_t)(x % y));
}
static uint64_t f_remuw(uint64_t a, uint64_t b) { return s32((uint32_t)b ? (uint32_t)a % (uint32_t)b : (uint32_t)a); }
static uint64_t f_sh1add(uint64_t a, uint64_t b) { return (a << 1) + b; }
static uint64_t f_sh2add(uint64_t a, uint64_t b) { return (a << 2) + b; }
static uint64_t f_sh3add(uint64_t a, uint64_t b) { return (a << 3) + b; }
static uint64_t f_add_uw(uint64_t a, uint64_t b) { return (uint32_t)a + b; }
static uint64_t f_sh1add_uw(uint64_t a, uint64_t b) { return ((uint64_t)(uint32_t)a << 1) + b; }
static uint64_t f_sh2add_uw(uint64_t a, uint64_t b) { return ((uint64_t)(uint32_t)a << 2) + b; }
static uint64_t f_sh3add_uw(uint64_t a, uint64_t b) { return ((uint64_t)(uint32_t)a << 3) + b; }
static uint64_t f_andn(uint64_t a, uint64_t b) { return a & ~b; }
static uint64_t f_orn(uint64_t a, uint64_t b) { return a | ~b; }
static uint64_t f_xnor(uint64_t a, uint64_t b) { return ~(a ^ b); }
static uint64_t f_max(uint64_t a, uint64_t b) { return S(a) > S(b) ? a : b; }
static uint64_t f_maxu(uint64_t a, uint64_t b) { return a > b ? a : b; }
static uint64_t f_min(uint64_t a, uint64_t b) { return S(a) < S(b) ? a : b; }
static uint64_t f_minu(uint64_t a, uint64_t b) { return a < b ? a : b; }
static uint64_t rot_l(uint64_t a, unsigned n) { n &= 63; return n ? a << n | a >> (64 - n) : a; }
static uint32_t rot_l32(uint32_t a, unsigned n) { n &= 31; return n ? a << n | a >> (32 - n) : a; }
static uint64_t f_rol(uint64_t a, uint64_t b) { return rot_l(a, (unsigned)b); }
static uint64_t f_ror(uint64_t a, uint64_t b) { return rot_l(a, 64 - (unsigned)(b & 63)); }
static uint64_t f_rolw(uint64_t a, uint64_t b) { return s32(rot_l32((uint32_t)a, (unsigned)b)); }
static uint64_t f_rorw(uint64_t a, uint64_t b) { return s32(rot_l32((uint32_t)a, 32 - (unsigned)(b & 31))); }
static uint64_t f_bclr(uint64_t a, uint64_t b) { return a & ~(1ull << (b & 63)); }
static uint64_t f_bext(uint64_t a, uint64_t b) { return (a >> (b & 63)) & 1; }
static uint64_t f_binv(uint64_t a, uint64_t b) { return a ^ (1ull << (b & 63)); }
static uint64_t f_bset(uint64_t a, uint64_t b) { return a | (1ull << (b & 63)); }
/* Counting by loops, not builtins, to be independent of the executor. */
static uint64_t f_clz(uint64_t a, uint64_t b) { (void)b; uint64_t n = 0; for (int i = 63; i >= 0 && !((a >> i) & 1); i--) n++; return n; }
static uint64_t f_ctz(uint64_t a, uint64_t b) { (void)b; uint64_t n = 0; for (int i = 0; i < 64 && !((a >> i) & 1); i++) n++; return n; }
static uint64_t f_cpop(uint64_t a, uint64_t b) { (void)b; uint64_t n = 0; for (int i = 0; i < 64; i++) n += (a >> i) & 1; return n; }
static uint64_t f_clzw(uint64_t a, uint64_t b) { (void)b; uint64_t n = 0; for (int i = 31; i >= 0 && !((a >> i) & 1); i--) n++; return n; }
static uint64_t f_ctzw(uint64_t a, uint64_t b) { (void)b; uint64_t n = 0; for (int i = 0; i < 32 && !((a >> i) & 1); i++) n++; return n; }
static uint64_t f_cpopw(uint64_t a, uint64_t b) { return f_cpop((uint32_t)a, b); }
static uint64_t f_sext_b(uint64_t a, uint64_t b) { (void)b; return (uint64_t)(int64_t)(int8_t)a; }
static uint64_t f_sext_h(uint64_t a, uint64_t b) { (void)b; return (uint64_t)(int64_t)(int16_t)a; }
static uint64_t f_zext_h(uint64_t a, uint64_t b) { (void)b; return (uint16_t)a; }
static uint64_t f_orc_b(uint64_t a, uint64_t b)
{
    (void)b;
    uint64_t r = 0;
    for (int i = 0; i < 8; i++)
        if ((a >> (8 * i)) & 0xff)
            r |= 0xffull << (8 * i);
    return r;
}
static uint64_t f_rev8(uint64_t a, uint64_t b)
{
    (void)b;
    uint64_t r = 0;
    for (int i = 0; i < 8; i++)
        r |= ((a >> (8 * i)) & 0xff) << (8 * (7 - i));
    return r;
}

/* clang-format on */
struct op {
    const char *sym;
    ref_fn ref;
};

#define OP(name)                                                                                   \
    {                                                                                              \
#name, f_##name                                                                            \
    }
static const struct op reg_ops[] = {
    OP(add),    OP(sub),    OP(sll),    OP(slt),    OP(sltu),      OP(xor),       OP(srl),
    OP(sra),    OP(or),     OP(and),    OP(addw),   OP(subw),      OP(sllw),      OP(srlw),
    OP(sraw),   OP(mul),    OP(mulh),   OP(mulhsu), OP(mulhu),     OP(div),       OP(divu),
    OP(rem),    OP(remu),   OP(mulw),   OP(divw),   OP(divuw),     OP(remw),      OP(remuw),
    OP(sh1add), OP(sh2add), OP(sh3add), OP(add_uw), OP(sh1add_uw), OP(sh2add_uw), OP(sh3add_uw),
    OP(andn),   OP(orn),    OP(xnor),   OP(max),    OP(maxu),      OP(min),       OP(minu),
    OP(rol),    OP(ror),    OP(rolw),   OP(rorw),   OP(bclr),      OP(bext),      OP(binv),
    OP(bset),
};
static const struct op unary_ops[] = {
    OP(clz),    OP(ctz),    OP(cpop),   OP(clzw),  OP(ctzw), OP(cpopw),
    OP(sext_b), OP(sext_h), OP(zext_h), OP(orc_b), OP(rev8),
};

static const uint64_t edges[] = {
    0,
    1,
    2,
    3,
    31,
    32,
    33,
    63,
    64,
    0x7f,
    0x80,
    0xff,
    0x7fff,
    0x8000,
    0xffff,
    0x7fffffff,
    0x80000000,
    0xffffffff,
    0x100000000ull,
    0x7fffffffffffffffull,
    0x8000000000000000ull,
    0xfffffffffffffffeull,
    0xffffffffffffffffull,
    0xffffffff80000000ull,
    0x0123456789abcdefull,
    0xfedcba9876543210ull,
};
#define NEDGES (sizeof(edges) / sizeof(edges[0]))

static void check_op(rasim_machine *m, const char *prefix, const struct op *op, bool unary)
{
    char sym[64];
    snprintf(sym, sizeof(sym), "%s_%s", prefix, op->sym);
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < NEDGES; i++)
        for (size_t j = 0; j < (unary ? 1 : NEDGES); j++) {
            uint64_t a = edges[i], b = edges[j];
            uint64_t got = guest_call2(m, sym, a, b), want = op->ref(a, b);
            if (got != want)
                ck_abort_msg("%s(0x%llx, 0x%llx) = 0x%llx, want 0x%llx", sym, (unsigned long long)a,
                             (unsigned long long)b, (unsigned long long)got,
                             (unsigned long long)want);
        }
    for (int k = 0; k < 200; k++) {
        uint64_t a = guest_rand(&seed), b = guest_rand(&seed);
        uint64_t got = guest_call2(m, sym, a, b), want = op->ref(a, b);
        if (got != want)
            ck_abort_msg("%s(0x%llx, 0x%llx) = 0x%llx, want 0x%llx", sym, (unsigned long long)a,
                         (unsigned long long)b, (unsigned long long)got, (unsigned long long)want);
    }
}

START_TEST(register_register_ops_match_the_manual)
{
    rasim_machine *m = guest_new("ops.o");
    for (size_t i = 0; i < sizeof(reg_ops) / sizeof(reg_ops[0]); i++)
        check_op(m, "r", &reg_ops[i], false);
    for (size_t i = 0; i < sizeof(unary_ops) / sizeof(unary_ops[0]); i++)
        check_op(m, "u", &unary_ops[i], true);
    rasim_free(m);
}
END_TEST

/* The values the manual's table gives for the corner cases, by hand. */
START_TEST(division_by_zero_and_overflow_per_spec)
{
    rasim_machine *m = guest_new("ops.o");
    const uint64_t min64 = 0x8000000000000000ull, m1 = ~0ull;
    ck_assert_uint_eq(guest_call2(m, "r_div", 7, 0), m1);
    ck_assert_uint_eq(guest_call2(m, "r_divu", 7, 0), m1);
    ck_assert_uint_eq(guest_call2(m, "r_rem", 7, 0), 7);
    ck_assert_uint_eq(guest_call2(m, "r_remu", 7, 0), 7);
    ck_assert_uint_eq(guest_call2(m, "r_div", min64, m1), min64);
    ck_assert_uint_eq(guest_call2(m, "r_rem", min64, m1), 0);
    ck_assert_uint_eq(guest_call2(m, "r_div", (uint64_t)-7, 2), (uint64_t)-3); /* toward zero */
    ck_assert_uint_eq(guest_call2(m, "r_rem", (uint64_t)-7, 2), (uint64_t)-1);
    /* 32-bit forms read only the low halves and sign-extend their result. */
    ck_assert_uint_eq(guest_call2(m, "r_divw", 0xdead00000007ull, 0xbeef00000000ull), m1);
    ck_assert_uint_eq(guest_call2(m, "r_divuw", 7, 0x100000000ull), m1);
    ck_assert_uint_eq(guest_call2(m, "r_remw", 0x1ffffffffull, 0), m1);
    ck_assert_uint_eq(guest_call2(m, "r_remuw", 0x80000000ull, 0), 0xffffffff80000000ull);
    ck_assert_uint_eq(guest_call2(m, "r_divw", 0x80000000ull, m1), 0xffffffff80000000ull);
    ck_assert_uint_eq(guest_call2(m, "r_remw", 0x80000000ull, m1), 0);
    ck_assert_uint_eq(guest_call2(m, "r_divuw", 0xfffffffeull, 1), 0xfffffffffffffffeull);
    ck_assert_uint_eq(guest_call2(m, "r_mulw", 0x10000, 0x8000), 0xffffffff80000000ull);
    ck_assert_uint_eq(guest_call2(m, "r_mulhsu", m1, m1), m1);
    ck_assert_uint_eq(guest_call2(m, "r_mulhu", m1, m1), m1 - 1);
    ck_assert_uint_eq(guest_call2(m, "r_mulh", min64, min64), 0x4000000000000000ull);
    rasim_free(m);
}
END_TEST

START_TEST(shift_amounts_use_six_bits_and_w_forms_five)
{
    rasim_machine *m = guest_new("ops.o");
    ck_assert_uint_eq(guest_call2(m, "r_sll", 1, 64), 1); /* 64 & 63 = 0 */
    ck_assert_uint_eq(guest_call2(m, "r_sll", 1, 127), 1ull << 63);
    ck_assert_uint_eq(guest_call2(m, "r_sra", 0x8000000000000000ull, 63), ~0ull);
    ck_assert_uint_eq(guest_call2(m, "r_sllw", 1, 32), 1); /* 32 & 31 = 0 */
    ck_assert_uint_eq(guest_call2(m, "r_sllw", 1, 31), 0xffffffff80000000ull);
    ck_assert_uint_eq(guest_call2(m, "r_srlw", 0xffffffff80000000ull, 0), 0xffffffff80000000ull);
    ck_assert_uint_eq(guest_call2(m, "r_srlw", 0xffffffff80000000ull, 1), 0x40000000);
    ck_assert_uint_eq(guest_call2(m, "r_sraw", 0x80000000ull, 31), ~0ull);
    ck_assert_uint_eq(guest_call2(m, "i_slli_63", 3, 0), 1ull << 63);
    ck_assert_uint_eq(guest_call2(m, "i_srai_63", 0x8000000000000000ull, 0), ~0ull);
    ck_assert_uint_eq(guest_call2(m, "i_srli_32", 0xffffffff00000000ull, 0), 0xffffffff);
    ck_assert_uint_eq(guest_call2(m, "i_slliw_31", 1, 0), 0xffffffff80000000ull);
    ck_assert_uint_eq(guest_call2(m, "i_srliw_0", 0x80000000ull, 0), 0xffffffff80000000ull);
    ck_assert_uint_eq(guest_call2(m, "i_sraiw_31", 0x80000000ull, 0), ~0ull);
    ck_assert_uint_eq(guest_call2(m, "i_roriw_1", 1, 0), 0xffffffff80000000ull);
    ck_assert_uint_eq(guest_call2(m, "i_rori_63", 1, 0), 2);
    ck_assert_uint_eq(guest_call2(m, "i_bexti_63", 1ull << 63, 0), 1);
    ck_assert_uint_eq(guest_call2(m, "i_slli_uw_32", 0xffffffff80000001ull, 0),
                      0x8000000100000000ull);
    rasim_free(m);
}
END_TEST

START_TEST(immediates_are_sign_extended)
{
    rasim_machine *m = guest_new("ops.o");
    static const struct {
        const char *label;
        int64_t imm;
    } imms[] = {
        {"0", 0}, {"1", 1}, {"m1", -1}, {"2047", 2047}, {"m2048", -2048},
    };
    for (size_t k = 0; k < 5; k++) {
        uint64_t imm = (uint64_t)imms[k].imm;
        for (size_t i = 0; i < NEDGES; i++) {
            uint64_t a = edges[i];
            char sym[64];
#define CHECK_I(name, expr)                                                                        \
    do {                                                                                           \
        snprintf(sym, sizeof(sym), "i_%s_%s", name, imms[k].label);                                \
        uint64_t got = guest_call2(m, sym, a, 0), want = (expr);                                   \
        if (got != want)                                                                           \
            ck_abort_msg("%s(0x%llx) = 0x%llx, want 0x%llx", sym, (unsigned long long)a,           \
                         (unsigned long long)got, (unsigned long long)want);                       \
    } while (0)
            CHECK_I("addi", a + imm);
            CHECK_I("slti", S(a) < (int64_t)imm);
            CHECK_I("sltiu", a < imm);
            CHECK_I("xori", a ^ imm);
            CHECK_I("ori", a | imm);
            CHECK_I("andi", a & imm);
            CHECK_I("addiw", s32(a + imm));
        }
    }
    static const unsigned shamts[] = {0, 1, 31, 32, 63};
    for (size_t k = 0; k < 5; k++) {
        unsigned sh = shamts[k];
        for (size_t i = 0; i < NEDGES; i++) {
            uint64_t a = edges[i];
            char sym[64];
#define CHECK_SH(name, expr)                                                                       \
    do {                                                                                           \
        snprintf(sym, sizeof(sym), "i_%s_%u", name, sh);                                           \
        uint64_t got = guest_call2(m, sym, a, 0), want = (expr);                                   \
        if (got != want)                                                                           \
            ck_abort_msg("%s(0x%llx) = 0x%llx, want 0x%llx", sym, (unsigned long long)a,           \
                         (unsigned long long)got, (unsigned long long)want);                       \
    } while (0)
            CHECK_SH("slli", f_sll(a, sh));
            CHECK_SH("srli", f_srl(a, sh));
            CHECK_SH("srai", f_sra(a, sh));
            CHECK_SH("rori", f_ror(a, sh));
            CHECK_SH("bclri", f_bclr(a, sh));
            CHECK_SH("bexti", f_bext(a, sh));
            CHECK_SH("binvi", f_binv(a, sh));
            CHECK_SH("bseti", f_bset(a, sh));
            CHECK_SH("slli_uw", (uint64_t)(uint32_t)a << sh);
            if (sh < 32) {
                CHECK_SH("slliw", f_sllw(a, sh));
                CHECK_SH("srliw", f_srlw(a, sh));
                CHECK_SH("sraiw", f_sraw(a, sh));
                CHECK_SH("roriw", f_rorw(a, sh));
            }
        }
    }
    rasim_free(m);
}
END_TEST

START_TEST(upper_immediates)
{
    rasim_machine *m = guest_new("ops.o");
    static const struct {
        const char *label;
        uint64_t want;
    } cases[] = {
        {"0", 0},
        {"1", 0x1000},
        {"7ffff", 0x7ffff000},
        {"80000", 0xffffffff80000000ull},
        {"fffff", 0xfffffffffffff000ull},
    };
    for (size_t i = 0; i < 5; i++) {
        char sym[32];
        snprintf(sym, sizeof(sym), "lui_%s", cases[i].label);
        ck_assert_uint_eq(guest_call2(m, sym, 0, 0), cases[i].want);
        snprintf(sym, sizeof(sym), "auipc_%s", cases[i].label);
        ck_assert_uint_eq(guest_call2(m, sym, 0, 0), cases[i].want);
    }
    rasim_free(m);
}
END_TEST

/* Compressed computational forms expand to the base instruction. */
START_TEST(compressed_forms_compute_like_their_expansion)
{
    rasim_machine *m = guest_new("ops_rvc.o");
    static const struct op rvc_ops[] = {
        OP(add), OP(sub), OP(xor), OP(or), OP(and), OP(subw), OP(addw),
    };
    for (size_t i = 0; i < sizeof(rvc_ops) / sizeof(rvc_ops[0]); i++)
        check_op(m, "c", &rvc_ops[i], false);
    for (size_t i = 0; i < NEDGES; i++) {
        uint64_t a = edges[i];
        ck_assert_uint_eq(guest_call2(m, "c_mv", 0, a), a);
        ck_assert_uint_eq(guest_call2(m, "c_addi_m32", a, 0), a - 32);
        ck_assert_uint_eq(guest_call2(m, "c_addi_31", a, 0), a + 31);
        ck_assert_uint_eq(guest_call2(m, "c_addiw_m1", a, 0), s32(a - 1));
        ck_assert_uint_eq(guest_call2(m, "c_addiw_0", a, 0), s32(a)); /* sext.w */
        ck_assert_uint_eq(guest_call2(m, "c_slli_63", a, 0), a << 63);
        ck_assert_uint_eq(guest_call2(m, "c_slli_1", a, 0), a << 1);
        ck_assert_uint_eq(guest_call2(m, "c_srli_63", a, 0), a >> 63);
        ck_assert_uint_eq(guest_call2(m, "c_srli_32", a, 0), a >> 32);
        ck_assert_uint_eq(guest_call2(m, "c_srai_63", a, 0), f_sra(a, 63));
        ck_assert_uint_eq(guest_call2(m, "c_srai_1", a, 0), f_sra(a, 1));
        ck_assert_uint_eq(guest_call2(m, "c_andi_m32", a, 0), a & ~31ull);
        ck_assert_uint_eq(guest_call2(m, "c_andi_31", a, 0), a & 31);
    }
    ck_assert_uint_eq(guest_call2(m, "c_li_m32", 5, 0), (uint64_t)-32);
    ck_assert_uint_eq(guest_call2(m, "c_li_31", 5, 0), 31);
    ck_assert_uint_eq(guest_call2(m, "c_lui_1f", 5, 0), 0x1f000);
    ck_assert_uint_eq(guest_call2(m, "c_lui_fffe0", 5, 0), (uint64_t)-32 << 12);
    ck_assert_uint_eq(guest_call2(m, "c_addi16sp_m512", 0, 0), GUEST_STACK - 512);
    ck_assert_uint_eq(guest_call2(m, "c_addi16sp_496", 0, 0), GUEST_STACK + 496);
    ck_assert_uint_eq(guest_call2(m, "c_addi4spn_1020", 0, 0), GUEST_STACK + 1020);
    ck_assert_uint_eq(guest_call2(m, "c_addi4spn_4", 0, 0), GUEST_STACK + 4);
    rasim_free(m);
}
END_TEST

START_TEST(branches_and_jumps)
{
    rasim_machine *m = guest_new("ctrl.o");
    for (size_t i = 0; i < NEDGES; i++)
        for (size_t j = 0; j < NEDGES; j++) {
            uint64_t a = edges[i], b = edges[j];
            ck_assert_uint_eq(guest_call2(m, "br_beq", a, b), a == b);
            ck_assert_uint_eq(guest_call2(m, "br_bne", a, b), a != b);
            ck_assert_uint_eq(guest_call2(m, "br_blt", a, b), S(a) < S(b));
            ck_assert_uint_eq(guest_call2(m, "br_bge", a, b), S(a) >= S(b));
            ck_assert_uint_eq(guest_call2(m, "br_bltu", a, b), a < b);
            ck_assert_uint_eq(guest_call2(m, "br_bgeu", a, b), a >= b);
        }
    ck_assert_uint_eq(guest_call2(m, "br_c_beqz", 0, 0), 1);
    ck_assert_uint_eq(guest_call2(m, "br_c_beqz", 1ull << 63, 0), 0);
    ck_assert_uint_eq(guest_call2(m, "br_c_bnez", 1ull << 63, 0), 1);
    ck_assert_uint_eq(guest_call2(m, "br_c_bnez", 0, 0), 0);
    ck_assert_uint_eq(guest_call2(m, "sum_to", 100, 0), 5050);
    ck_assert_uint_eq(guest_call2(m, "jal_call", 1, 0), 101);
    ck_assert_uint_eq(guest_call2(m, "jalr_offset", 2, 0), 102);
    ck_assert_uint_eq(guest_call2(m, "jalr_rd_is_rs1", 0, 0), guest_sym(m, "jalr_rd_is_rs1") + 16);
    ck_assert_uint_eq(guest_call2(m, "jalr_odd", 0, 0), 1);
    ck_assert_uint_eq(guest_call2(m, "c_jalr_call", 3, 0), 103);
    ck_assert_uint_eq(guest_call2(m, "c_j_forward", 0, 0), 7);
    rasim_free(m);
}
END_TEST

/* Where a run stops on its budget does not depend on how the interpreter
 * groups instructions (chains, exec.h): a run of k instructions ends
 * exactly where k runs of one do, with k retired, at every k through a
 * loop, its branches and the return. */
static void start_sum_to(rasim_machine *m)
{
    guest_set(m, "a0", 10);
    guest_set(m, "t0", 0xdead);
    guest_set(m, "ra", GUEST_SENTINEL);
    guest_set(m, "pc", guest_sym(m, "sum_to"));
}

START_TEST(budgets_stop_where_single_steps_do)
{
    rasim_machine *m = guest_new("ctrl.o");
    struct rasim_stop stop;
    for (uint64_t k = 1; k < 60; k++) {
        start_sum_to(m);
        uint64_t steps = 0;
        do {
            rasim_run(m, 1, &stop);
            ck_assert_uint_eq(stop.insns, 1);
            steps++;
        } while (steps < k && stop.reason == RASIM_STOP_BUDGET);
        uint64_t pc = guest_reg(m, "pc"), a0 = guest_reg(m, "a0"), t0 = guest_reg(m, "t0");
        start_sum_to(m);
        rasim_run(m, k, &stop);
        ck_assert_uint_eq(stop.insns, steps);
        ck_assert_int_eq(stop.reason, guest_reg(m, "pc") == GUEST_SENTINEL ? RASIM_STOP_RETURNED
                                                                           : RASIM_STOP_BUDGET);
        ck_assert_uint_eq(guest_reg(m, "pc"), pc);
        ck_assert_uint_eq(guest_reg(m, "a0"), a0);
        ck_assert_uint_eq(guest_reg(m, "t0"), t0);
    }
    /* li, 10 x (beqz add addi j), beqz, mv, ret */
    ck_assert_uint_eq(stop.insns, 44);
    ck_assert_uint_eq(guest_reg(m, "a0"), 55);
    rasim_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rv64_alu");
    TCase *tc = tcase_create("alu");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, register_register_ops_match_the_manual);
    tcase_add_test(tc, division_by_zero_and_overflow_per_spec);
    tcase_add_test(tc, shift_amounts_use_six_bits_and_w_forms_five);
    tcase_add_test(tc, immediates_are_sign_extended);
    tcase_add_test(tc, upper_immediates);
    tcase_add_test(tc, compressed_forms_compute_like_their_expansion);
    tcase_add_test(tc, branches_and_jumps);
    tcase_add_test(tc, budgets_stop_where_single_steps_do);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
