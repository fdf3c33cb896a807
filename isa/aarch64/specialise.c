/*
 * specialise.c - executors for the common shapes of hot instructions,
 * chosen once, when a slot is decoded (a64_specialise, called by
 * a64_decode).
 *
 * A shape fixes what the general executor decides per instruction: 64- or
 * 32-bit, the shift type, whether SP is involved, the access size, the
 * addressing form. Each executor here does exactly what the general one
 * named beside it does for that shape, without the decisions; SP forms,
 * extended registers, exclusives and the rest stay general. A load or
 * store tries the host-pointer TLB inline, with a fixed-size copy, and on
 * a miss calls the general executor, which takes the slow path (and so
 * raises any fault exactly as before). test_a64_diff_unicorn runs every
 * shape against Unicorn.
 */
#include "isa/aarch64/alu.h"
#include "isa/aarch64/mem.h"

#define FAST(name) static enum a64_flow fast_##name(struct a64_cpu *cpu, const struct a64_insn *d)
#define ALWAYS     static inline __attribute__((always_inline))

/* Register n (not SP; 31 reads as zero). */
#define X(n) (cpu->x[n])

/* ---- flags --------------------------------------------------------------- */

/* NZCV of a + b (sub: a - b, as AddWithCarry(a, NOT(b), 1)) on 32 or 64 bits;
 * r is the result, zero-extended. */
ALWAYS void addsub_flags(struct a64_cpu *cpu, uint64_t a, uint64_t b, uint64_t r, bool sub,
                         unsigned sf)
{
    unsigned top = sf ? 63 : 31;
    if (!sf) {
        a = (uint32_t)a;
        b = (uint32_t)b;
    }
    cpu->n = (unsigned)(r >> top) & 1;
    cpu->z = r == 0;
    if (sub) {
        cpu->c = a >= b;
        cpu->v = (unsigned)((((a ^ b) & (a ^ r)) >> top) & 1);
    } else {
        cpu->c = r < a;
        cpu->v = (unsigned)(((~(a ^ b) & (a ^ r)) >> top) & 1);
    }
}

ALWAYS uint64_t width(unsigned sf, uint64_t v)
{
    return sf ? v : (uint32_t)v;
}

/* ---- ADD, SUB, ADDS, SUBS (immediate) with Rn not SP ---------------------- */

enum { OP_ADD, OP_SUB, OP_ADDS, OP_SUBS };

ALWAYS enum a64_flow addsub(struct a64_cpu *cpu, const struct a64_insn *d, uint64_t b, unsigned op,
                            unsigned sf)
{
    bool sub = op == OP_SUB || op == OP_SUBS;
    uint64_t a = X(d->rn);
    uint64_t r = width(sf, sub ? a - b : a + b);
    if (op == OP_ADDS || op == OP_SUBS)
        addsub_flags(cpu, a, b, r, sub, sf);
    a64_set_x(cpu, d->rd, r);
    return A64_NEXT;
}

/* trans_ADD_imm, trans_SUB_imm with Rd and Rn not SP */
FAST(ADD_imm_x)
{
    return addsub(cpu, d, d->imm, OP_ADD, 1);
}
FAST(ADD_imm_w)
{
    return addsub(cpu, d, d->imm, OP_ADD, 0);
}
FAST(SUB_imm_x)
{
    return addsub(cpu, d, d->imm, OP_SUB, 1);
}
FAST(SUB_imm_w)
{
    return addsub(cpu, d, d->imm, OP_SUB, 0);
}
/* trans_ADDS_imm, trans_SUBS_imm (CMN, CMP) with Rn not SP */
FAST(ADDS_imm_x)
{
    return addsub(cpu, d, d->imm, OP_ADDS, 1);
}
FAST(ADDS_imm_w)
{
    return addsub(cpu, d, d->imm, OP_ADDS, 0);
}
FAST(SUBS_imm_x)
{
    return addsub(cpu, d, d->imm, OP_SUBS, 1);
}
FAST(SUBS_imm_w)
{
    return addsub(cpu, d, d->imm, OP_SUBS, 0);
}

/* ---- shifted register operands -------------------------------------------- */

/* ShiftReg(Rm, type, amount) on 32 or 64 bits, amount < datasize. */
ALWAYS uint64_t shifted(const struct a64_cpu *cpu, const struct a64_insn *d, unsigned type,
                        unsigned sf)
{
    uint64_t x = X(d->rm);
    unsigned amount = d->amount;
    if (sf) {
        switch (type) {
        case SHIFT_LSL: return x << amount;
        case SHIFT_LSR: return x >> amount;
        case SHIFT_ASR: return (uint64_t)((int64_t)x >> amount);
        default: return (x >> amount) | (x << ((64 - amount) & 63));
        }
    }
    uint32_t w = (uint32_t)x;
    switch (type) {
    case SHIFT_LSL: return (uint32_t)(w << amount);
    case SHIFT_LSR: return w >> amount;
    case SHIFT_ASR: return (uint32_t)((int32_t)w >> amount);
    default: return (uint32_t)((w >> amount) | (w << ((32 - amount) & 31)));
    }
}

/* trans_ADD_shift, trans_SUB_shift, trans_ADDS_shift, trans_SUBS_shift */
#define ADDSUB_SHIFT(NAME, OP, TYPE, T)                                                            \
    FAST(NAME##_x_##T)                                                                             \
    {                                                                                              \
        return addsub(cpu, d, shifted(cpu, d, TYPE, 1), OP, 1);                                    \
    }                                                                                              \
    FAST(NAME##_w_##T)                                                                             \
    {                                                                                              \
        return addsub(cpu, d, shifted(cpu, d, TYPE, 0), OP, 0);                                    \
    }
#define ADDSUB_SHIFTS(NAME, OP)                                                                    \
    ADDSUB_SHIFT(NAME, OP, SHIFT_LSL, lsl)                                                         \
    ADDSUB_SHIFT(NAME, OP, SHIFT_LSR, lsr)                                                         \
    ADDSUB_SHIFT(NAME, OP, SHIFT_ASR, asr)                                                         \
    static const a64_exec_fn NAME##_shapes[2][3] = {                                               \
        {fast_##NAME##_w_lsl, fast_##NAME##_w_lsr, fast_##NAME##_w_asr},                           \
        {fast_##NAME##_x_lsl, fast_##NAME##_x_lsr, fast_##NAME##_x_asr},                           \
    };
ADDSUB_SHIFTS(ADD_shift, OP_ADD)
ADDSUB_SHIFTS(SUB_shift, OP_SUB)
ADDSUB_SHIFTS(ADDS_shift, OP_ADDS)
ADDSUB_SHIFTS(SUBS_shift, OP_SUBS)

/* ---- logical (shifted register) ----------------------------------------- */

enum { OP_AND, OP_ORR, OP_EOR, OP_ANDS };

ALWAYS enum a64_flow logic(struct a64_cpu *cpu, const struct a64_insn *d, unsigned op, bool invert,
                           unsigned type, unsigned sf)
{
    uint64_t a = X(d->rn), b = shifted(cpu, d, type, sf), r;
    if (invert)
        b = ~b;
    switch (op) {
    case OP_AND:
    case OP_ANDS: r = a & b; break;
    case OP_ORR: r = a | b; break;
    default: r = a ^ b; break;
    }
    r = width(sf, r);
    if (op == OP_ANDS) {
        cpu->n = (unsigned)(r >> (sf ? 63 : 31)) & 1;
        cpu->z = r == 0;
        cpu->c = 0;
        cpu->v = 0;
    }
    a64_set_x(cpu, d->rd, r);
    return A64_NEXT;
}

/* trans_AND_reg, trans_BIC_reg, trans_ORR_reg, trans_ORN_reg, trans_EOR_reg,
 * trans_EON_reg, trans_ANDS_reg, trans_BICS_reg */
#define LOGIC_SHIFT(NAME, OP, INV, TYPE, T)                                                        \
    FAST(NAME##_x_##T)                                                                             \
    {                                                                                              \
        return logic(cpu, d, OP, INV, TYPE, 1);                                                    \
    }                                                                                              \
    FAST(NAME##_w_##T)                                                                             \
    {                                                                                              \
        return logic(cpu, d, OP, INV, TYPE, 0);                                                    \
    }
#define LOGIC_SHIFTS(NAME, OP, INV)                                                                \
    LOGIC_SHIFT(NAME, OP, INV, SHIFT_LSL, lsl)                                                     \
    LOGIC_SHIFT(NAME, OP, INV, SHIFT_LSR, lsr)                                                     \
    LOGIC_SHIFT(NAME, OP, INV, SHIFT_ASR, asr)                                                     \
    LOGIC_SHIFT(NAME, OP, INV, SHIFT_ROR, ror)                                                     \
    static const a64_exec_fn NAME##_shapes[2][4] = {                                               \
        {fast_##NAME##_w_lsl, fast_##NAME##_w_lsr, fast_##NAME##_w_asr, fast_##NAME##_w_ror},      \
        {fast_##NAME##_x_lsl, fast_##NAME##_x_lsr, fast_##NAME##_x_asr, fast_##NAME##_x_ror},      \
    };
LOGIC_SHIFTS(AND_reg, OP_AND, false)
LOGIC_SHIFTS(BIC_reg, OP_AND, true)
LOGIC_SHIFTS(ORR_reg, OP_ORR, false)
LOGIC_SHIFTS(ORN_reg, OP_ORR, true)
LOGIC_SHIFTS(EOR_reg, OP_EOR, false)
LOGIC_SHIFTS(EON_reg, OP_EOR, true)
LOGIC_SHIFTS(ANDS_reg, OP_ANDS, false)
LOGIC_SHIFTS(BICS_reg, OP_ANDS, true)

/* trans_ORR_reg with Rn = XZR and no shift: MOV (register) */
FAST(MOV_x)
{
    a64_set_x(cpu, d->rd, X(d->rm));
    return A64_NEXT;
}
FAST(MOV_w)
{
    a64_set_x(cpu, d->rd, (uint32_t)X(d->rm));
    return A64_NEXT;
}

/* ---- bitfield ------------------------------------------------------------ */

/* trans_UBFM (LSL, LSR, UBFX, UBFIZ, UXTB, UXTH) */
FAST(UBFM_x)
{
    uint64_t x = X(d->rn);
    unsigned r = d->immr;
    a64_set_x(cpu, d->rd, ((x >> r) | (x << ((64 - r) & 63))) & d->imm & d->imm2);
    return A64_NEXT;
}

FAST(UBFM_w)
{
    uint32_t w = (uint32_t)X(d->rn);
    unsigned r = d->immr;
    a64_set_x(cpu, d->rd, ((w >> r) | (uint32_t)(w << ((32 - r) & 31))) & d->imm & d->imm2);
    return A64_NEXT;
}

/* ---- conditional branch, one executor per condition ----------------------- */

ALWAYS enum a64_flow b_cond(struct a64_cpu *cpu, const struct a64_insn *d, unsigned cond)
{
    if (!a64_cond_holds(cpu, cond))
        return A64_NEXT;
    cpu->pc += d->imm;
    return A64_BRANCH;
}

/* trans_B_cond */
#define B_COND(c)                                                                                  \
    FAST(B_cond_##c)                                                                               \
    {                                                                                              \
        return b_cond(cpu, d, c);                                                                  \
    }
/* One per condition, EQ (0) ... NV (15). */
#define B_CONDS(a, b, c, d) B_COND(a) B_COND(b) B_COND(c) B_COND(d)
B_CONDS(0, 1, 2, 3)
B_CONDS(4, 5, 6, 7)
B_CONDS(8, 9, 10, 11)
B_CONDS(12, 13, 14, 15)
static const a64_exec_fn b_cond_shapes[16] = {
    fast_B_cond_0,  fast_B_cond_1,  fast_B_cond_2,  fast_B_cond_3,  fast_B_cond_4,  fast_B_cond_5,
    fast_B_cond_6,  fast_B_cond_7,  fast_B_cond_8,  fast_B_cond_9,  fast_B_cond_10, fast_B_cond_11,
    fast_B_cond_12, fast_B_cond_13, fast_B_cond_14, fast_B_cond_15,
};

/* ---- loads and stores with Rn not SP ------------------------------------- */

ALWAYS uint64_t load_le(const uint8_t *p, unsigned size)
{
    return a64_le(p, size);
}

ALWAYS void store_le(uint8_t *p, uint64_t v, unsigned size)
{
    memcpy(p, &v, size); /* little-endian host, checked in mem.h */
}

/* The address of an immediate form and its writeback value. */
ALWAYS uint64_t imm_address(const struct a64_cpu *cpu, const struct a64_insn *d, unsigned index)
{
    uint64_t base = X(d->rn);
    return index == IDX_POST ? base : base + d->imm;
}

ALWAYS void imm_writeback(struct a64_cpu *cpu, const struct a64_insn *d, unsigned index, bool load)
{
    if (index == IDX_OFFSET || (load && d->rn == d->rt))
        return; /* loads with Rn == Rt: writeback suppressed (exec_ldst.c) */
    cpu->x[d->rn] += d->imm;
}

ALWAYS enum a64_flow ldr_imm(struct a64_cpu *cpu, const struct a64_insn *d, unsigned size,
                             unsigned index)
{
    const uint8_t *p = a64_tlb_lookup(cpu, imm_address(cpu, d, index), size, false, 0);
    if (!p)
        return trans_LDR_imm(cpu, d);
    uint64_t v = load_le(p, size);
    imm_writeback(cpu, d, index, true);
    a64_set_x(cpu, d->rt, v);
    return A64_NEXT;
}

ALWAYS enum a64_flow str_imm(struct a64_cpu *cpu, const struct a64_insn *d, unsigned size,
                             unsigned index)
{
    uint8_t *p = a64_tlb_lookup(cpu, imm_address(cpu, d, index), size, true, 0);
    if (!p)
        return trans_STR_imm(cpu, d);
    store_le(p, X(d->rt), size);
    imm_writeback(cpu, d, index, false);
    return A64_NEXT;
}

/* trans_LDR_imm, trans_STR_imm: LDR/LDUR/LDRB/LDRH and stores, by size and form */
#define LDST_IMM(S, SIZE)                                                                          \
    FAST(LDR_##S##_off)                                                                            \
    {                                                                                              \
        return ldr_imm(cpu, d, SIZE, IDX_OFFSET);                                                  \
    }                                                                                              \
    FAST(LDR_##S##_pre)                                                                            \
    {                                                                                              \
        return ldr_imm(cpu, d, SIZE, IDX_PRE);                                                     \
    }                                                                                              \
    FAST(LDR_##S##_post)                                                                           \
    {                                                                                              \
        return ldr_imm(cpu, d, SIZE, IDX_POST);                                                    \
    }                                                                                              \
    FAST(STR_##S##_off)                                                                            \
    {                                                                                              \
        return str_imm(cpu, d, SIZE, IDX_OFFSET);                                                  \
    }                                                                                              \
    FAST(STR_##S##_pre)                                                                            \
    {                                                                                              \
        return str_imm(cpu, d, SIZE, IDX_PRE);                                                     \
    }                                                                                              \
    FAST(STR_##S##_post)                                                                           \
    {                                                                                              \
        return str_imm(cpu, d, SIZE, IDX_POST);                                                    \
    }
LDST_IMM(b, 1)
LDST_IMM(h, 2)
LDST_IMM(w, 4)
LDST_IMM(x, 8)
/* By log2 size, then IDX_OFFSET, IDX_PRE, IDX_POST. */
static const a64_exec_fn ldr_imm_shapes[4][3] = {
    {fast_LDR_b_off, fast_LDR_b_pre, fast_LDR_b_post},
    {fast_LDR_h_off, fast_LDR_h_pre, fast_LDR_h_post},
    {fast_LDR_w_off, fast_LDR_w_pre, fast_LDR_w_post},
    {fast_LDR_x_off, fast_LDR_x_pre, fast_LDR_x_post},
};
static const a64_exec_fn str_imm_shapes[4][3] = {
    {fast_STR_b_off, fast_STR_b_pre, fast_STR_b_post},
    {fast_STR_h_off, fast_STR_h_pre, fast_STR_h_post},
    {fast_STR_w_off, fast_STR_w_pre, fast_STR_w_post},
    {fast_STR_x_off, fast_STR_x_pre, fast_STR_x_post},
};

/* [Xn, Xm{, LSL #amount}] */
ALWAYS uint64_t reg_address(const struct a64_cpu *cpu, const struct a64_insn *d)
{
    return X(d->rn) + (X(d->rm) << d->amount);
}

ALWAYS enum a64_flow ldr_reg(struct a64_cpu *cpu, const struct a64_insn *d, unsigned size)
{
    const uint8_t *p = a64_tlb_lookup(cpu, reg_address(cpu, d), size, false, 0);
    if (!p)
        return trans_LDR_reg(cpu, d);
    a64_set_x(cpu, d->rt, load_le(p, size));
    return A64_NEXT;
}

ALWAYS enum a64_flow str_reg(struct a64_cpu *cpu, const struct a64_insn *d, unsigned size)
{
    uint8_t *p = a64_tlb_lookup(cpu, reg_address(cpu, d), size, true, 0);
    if (!p)
        return trans_STR_reg(cpu, d);
    store_le(p, X(d->rt), size);
    return A64_NEXT;
}

/* trans_LDR_reg, trans_STR_reg with option LSL (UXTX) */
#define LDST_REG(S, SIZE)                                                                          \
    FAST(LDR_##S##_reg)                                                                            \
    {                                                                                              \
        return ldr_reg(cpu, d, SIZE);                                                              \
    }                                                                                              \
    FAST(STR_##S##_reg)                                                                            \
    {                                                                                              \
        return str_reg(cpu, d, SIZE);                                                              \
    }
LDST_REG(b, 1)
LDST_REG(h, 2)
LDST_REG(w, 4)
LDST_REG(x, 8)
static const a64_exec_fn ldr_reg_shapes[4] = {fast_LDR_b_reg, fast_LDR_h_reg, fast_LDR_w_reg,
                                              fast_LDR_x_reg};
static const a64_exec_fn str_reg_shapes[4] = {fast_STR_b_reg, fast_STR_h_reg, fast_STR_w_reg,
                                              fast_STR_x_reg};

/* LDP and STP of X registers: one 16-byte access (exec_ldst_pair.c). */
ALWAYS enum a64_flow ldp_x(struct a64_cpu *cpu, const struct a64_insn *d, unsigned index)
{
    const uint8_t *p = a64_tlb_lookup(cpu, imm_address(cpu, d, index), 16, false, 0);
    if (!p)
        return trans_LDP(cpu, d);
    uint64_t v1 = load_le(p, 8), v2 = load_le(p + 8, 8);
    if (index != IDX_OFFSET && d->rn != d->rt && d->rn != d->rt2)
        cpu->x[d->rn] += d->imm; /* suppressed when Rn is loaded */
    cpu->x[d->rt] = v1;
    a64_set_x(cpu, d->rt2, v2); /* Rt == Rt2 leaves Rt2's value */
    return A64_NEXT;
}

ALWAYS enum a64_flow stp_x(struct a64_cpu *cpu, const struct a64_insn *d, unsigned index)
{
    uint8_t *p = a64_tlb_lookup(cpu, imm_address(cpu, d, index), 16, true, 0);
    if (!p)
        return trans_STP(cpu, d);
    store_le(p, X(d->rt), 8);
    store_le(p + 8, X(d->rt2), 8);
    if (index != IDX_OFFSET)
        cpu->x[d->rn] += d->imm;
    return A64_NEXT;
}

/* trans_LDP, trans_STP of X registers (LDNP, STNP too) */
FAST(LDP_x_off)
{
    return ldp_x(cpu, d, IDX_OFFSET);
}
FAST(LDP_x_pre)
{
    return ldp_x(cpu, d, IDX_PRE);
}
FAST(LDP_x_post)
{
    return ldp_x(cpu, d, IDX_POST);
}
FAST(STP_x_off)
{
    return stp_x(cpu, d, IDX_OFFSET);
}
FAST(STP_x_pre)
{
    return stp_x(cpu, d, IDX_PRE);
}
FAST(STP_x_post)
{
    return stp_x(cpu, d, IDX_POST);
}
static const a64_exec_fn ldp_x_shapes[3] = {fast_LDP_x_off, fast_LDP_x_pre, fast_LDP_x_post};
static const a64_exec_fn stp_x_shapes[3] = {fast_STP_x_off, fast_STP_x_pre, fast_STP_x_post};

/* ---- choosing ------------------------------------------------------------ */

void a64_specialise(struct a64_insn *d)
{
    a64_exec_fn e = d->exec;
    unsigned sf = d->sf != 0;
#define SHAPE(general, cond, fast)                                                                 \
    if (e == trans_##general) {                                                                    \
        if (cond)                                                                                  \
            d->exec = (fast);                                                                      \
        return;                                                                                    \
    }
    /* Immediate adds and subtracts: 31 is SP for Rn (and Rd without S). */
    SHAPE(ADD_imm, d->rd != 31 && d->rn != 31, sf ? fast_ADD_imm_x : fast_ADD_imm_w)
    SHAPE(SUB_imm, d->rd != 31 && d->rn != 31, sf ? fast_SUB_imm_x : fast_SUB_imm_w)
    SHAPE(ADDS_imm, d->rn != 31, sf ? fast_ADDS_imm_x : fast_ADDS_imm_w)
    SHAPE(SUBS_imm, d->rn != 31, sf ? fast_SUBS_imm_x : fast_SUBS_imm_w)
    /* Shifted registers (ROR is unallocated for add/subtract). */
    SHAPE(ADD_shift, d->shift < 3, ADD_shift_shapes[sf][d->shift])
    SHAPE(SUB_shift, d->shift < 3, SUB_shift_shapes[sf][d->shift])
    SHAPE(ADDS_shift, d->shift < 3, ADDS_shift_shapes[sf][d->shift])
    SHAPE(SUBS_shift, d->shift < 3, SUBS_shift_shapes[sf][d->shift])
    SHAPE(AND_reg, true, AND_reg_shapes[sf][d->shift])
    SHAPE(BIC_reg, true, BIC_reg_shapes[sf][d->shift])
    if (e == trans_ORR_reg && d->rn == 31 && d->amount == 0) {
        d->exec = sf ? fast_MOV_x : fast_MOV_w;
        return;
    }
    SHAPE(ORR_reg, true, ORR_reg_shapes[sf][d->shift])
    SHAPE(ORN_reg, true, ORN_reg_shapes[sf][d->shift])
    SHAPE(EOR_reg, true, EOR_reg_shapes[sf][d->shift])
    SHAPE(EON_reg, true, EON_reg_shapes[sf][d->shift])
    SHAPE(ANDS_reg, true, ANDS_reg_shapes[sf][d->shift])
    SHAPE(BICS_reg, true, BICS_reg_shapes[sf][d->shift])
    SHAPE(UBFM, true, sf ? fast_UBFM_x : fast_UBFM_w)
    SHAPE(B_cond, true, b_cond_shapes[d->cond])
    /* Loads and stores: integer registers, Rn not SP (its alignment check
     * is the general executor's). d->size is log2 of the access size. */
    SHAPE(LDR_imm, d->rn != 31, ldr_imm_shapes[d->size][d->index])
    SHAPE(STR_imm, d->rn != 31, str_imm_shapes[d->size][d->index])
    SHAPE(LDR_reg, d->rn != 31 && d->option == 3, ldr_reg_shapes[d->size])
    SHAPE(STR_reg, d->rn != 31 && d->option == 3, str_reg_shapes[d->size])
    SHAPE(LDP, d->rn != 31 && d->size == 3, ldp_x_shapes[d->index])
    SHAPE(STP, d->rn != 31 && d->size == 3, stp_x_shapes[d->index])
#undef SHAPE
}
