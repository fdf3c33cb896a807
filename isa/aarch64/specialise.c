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

/* Write register n of a shape chosen only when n is not 31, so x[31]
 * needs no reset (a64_set_x). */
#define SET_RD(n, v) (cpu->x[n] = (v))

/*
 * Retire and go on: run the next slot now, as a tail call, while the run
 * loop's stretch goes on (run.c: cpu->chain_end bounds it by the page, the
 * sentinel and the budget, and is NULL outside a stretch and once the fetch
 * page is dropped); else return to the loop, which does the same checks.
 * The slot is trusted (codecache.c): rewritten code has emptied it, and its
 * executor then returns A64_UNDECODED. The executor entered finds cpu->pc
 * and cpu->chain_d as the loop would have set them.
 */
ALWAYS enum a64_flow next(struct a64_cpu *cpu, const struct a64_insn *d)
{
    const struct a64_insn *n = d + 1;
    if ((uintptr_t)n >= (uintptr_t)cpu->chain_end)
        return A64_NEXT;
    cpu->pc = (cpu->fetch_vpage << PHYS_PAGE_SHIFT) + n->off;
    cpu->chain_d = n;
    return n->exec(cpu, n);
}

/*
 * A direct branch taken, d->imm bytes away, to a target in its own page
 * (a64_specialise gives the fast branch executors only to slots whose
 * target is): run the target now, as the run loop would, if a stretch runs
 * (cpu->chain_end is not NULL) and may go on there: the budget allows more
 * than the branch (cpu.h, chain_lim) and the target is not the sentinel.
 * The new piece stops before the page's end, the sentinel ahead, or the
 * end of the budget. Else return to the loop. (chain_lim stays as it is
 * when the fetch page is dropped: run.c counts what retired from it.)
 */
ALWAYS enum a64_flow taken(struct a64_cpu *cpu, const struct a64_insn *d)
{
    if (!cpu->chain_end)
        return A64_TAKEN;
    uintptr_t after = (uintptr_t)(d + 1);
    if (after >= cpu->chain_lim)
        return A64_TAKEN; /* the branch is the last the budget allows */
    const struct a64_insn *t = d + ((int64_t)d->imm >> 2); /* imm: a multiple of 4 */
    uintptr_t lim = cpu->chain_lim + ((uintptr_t)t - after);
    const struct a64_insn *stop =
        t <= cpu->chain_sentinel ? cpu->chain_sentinel : cpu->fetch_slots + (PHYS_PAGE_SIZE >> 2);
    if (t == stop)
        return A64_TAKEN; /* the sentinel */
    if (lim < (uintptr_t)stop)
        stop = (const struct a64_insn *)lim;
    cpu->chain_lim = lim;
    cpu->chain_end = stop;
    cpu->pc = (cpu->fetch_vpage << PHYS_PAGE_SHIFT) + t->off;
    cpu->chain_d = t;
    return t->exec(cpu, t);
}

/* ---- flags --------------------------------------------------------------- */

/* NZCV of a + b, or a - b (AddWithCarry(a, NOT(b), 1)), on 32 or 64 bits:
 * C is the unsigned carry out (for a subtraction, no borrow), V the signed
 * overflow. Written so the compiler can take all four from one host add. */
ALWAYS void addsub_flags(struct a64_cpu *cpu, uint64_t a, uint64_t b, bool sub, unsigned sf)
{
    bool n, z, c, v;
    if (sf) {
        int64_t r;
        v = sub ? __builtin_sub_overflow((int64_t)a, (int64_t)b, &r)
                : __builtin_add_overflow((int64_t)a, (int64_t)b, &r);
        n = r < 0;
        z = r == 0;
        c = sub ? a >= b : (uint64_t)r < a;
    } else {
        int32_t r;
        uint32_t wa = (uint32_t)a, wb = (uint32_t)b;
        v = sub ? __builtin_sub_overflow((int32_t)wa, (int32_t)wb, &r)
                : __builtin_add_overflow((int32_t)wa, (int32_t)wb, &r);
        n = r < 0;
        z = r == 0;
        c = sub ? wa >= wb : (uint32_t)r < wa;
    }
    cpu->n = n;
    cpu->z = z;
    cpu->c = c;
    cpu->v = v;
}

ALWAYS uint64_t width(unsigned sf, uint64_t v)
{
    return sf ? v : (uint32_t)v;
}

/* ---- ADD, SUB, ADDS, SUBS (immediate) with Rn not SP ---------------------- */

enum { OP_ADD, OP_SUB, OP_ADDS, OP_SUBS };

/* write: Rd is not 31; else (CMP, CMN) only the flags are kept. */
ALWAYS enum a64_flow addsub(struct a64_cpu *cpu, const struct a64_insn *d, uint64_t b, unsigned op,
                            unsigned sf, bool write)
{
    bool sub = op == OP_SUB || op == OP_SUBS;
    uint64_t a = X(d->rn);
    if (op == OP_ADDS || op == OP_SUBS)
        addsub_flags(cpu, a, b, sub, sf);
    if (write)
        SET_RD(d->rd, width(sf, sub ? a - b : a + b));
    return next(cpu, d);
}

/* trans_ADD_imm, trans_SUB_imm with Rd and Rn not SP */
FAST(ADD_imm_x)
{
    return addsub(cpu, d, d->imm, OP_ADD, 1, true);
}
FAST(ADD_imm_w)
{
    return addsub(cpu, d, d->imm, OP_ADD, 0, true);
}
FAST(SUB_imm_x)
{
    return addsub(cpu, d, d->imm, OP_SUB, 1, true);
}
FAST(SUB_imm_w)
{
    return addsub(cpu, d, d->imm, OP_SUB, 0, true);
}
/* trans_ADDS_imm, trans_SUBS_imm with Rn not SP; with Rd = XZR, CMN and CMP */
FAST(ADDS_imm_x)
{
    return addsub(cpu, d, d->imm, OP_ADDS, 1, true);
}
FAST(ADDS_imm_w)
{
    return addsub(cpu, d, d->imm, OP_ADDS, 0, true);
}
FAST(SUBS_imm_x)
{
    return addsub(cpu, d, d->imm, OP_SUBS, 1, true);
}
FAST(SUBS_imm_w)
{
    return addsub(cpu, d, d->imm, OP_SUBS, 0, true);
}
FAST(CMN_imm_x)
{
    return addsub(cpu, d, d->imm, OP_ADDS, 1, false);
}
FAST(CMN_imm_w)
{
    return addsub(cpu, d, d->imm, OP_ADDS, 0, false);
}
FAST(CMP_imm_x)
{
    return addsub(cpu, d, d->imm, OP_SUBS, 1, false);
}
FAST(CMP_imm_w)
{
    return addsub(cpu, d, d->imm, OP_SUBS, 0, false);
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
        return addsub(cpu, d, shifted(cpu, d, TYPE, 1), OP, 1, true);                              \
    }                                                                                              \
    FAST(NAME##_w_##T)                                                                             \
    {                                                                                              \
        return addsub(cpu, d, shifted(cpu, d, TYPE, 0), OP, 0, true);                              \
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
/* trans_ADDS_shift, trans_SUBS_shift with Rd = XZR and LSL: CMN, CMP */
FAST(CMN_shift_x)
{
    return addsub(cpu, d, shifted(cpu, d, SHIFT_LSL, 1), OP_ADDS, 1, false);
}
FAST(CMN_shift_w)
{
    return addsub(cpu, d, shifted(cpu, d, SHIFT_LSL, 0), OP_ADDS, 0, false);
}
FAST(CMP_shift_x)
{
    return addsub(cpu, d, shifted(cpu, d, SHIFT_LSL, 1), OP_SUBS, 1, false);
}
FAST(CMP_shift_w)
{
    return addsub(cpu, d, shifted(cpu, d, SHIFT_LSL, 0), OP_SUBS, 0, false);
}

/* ---- logical (shifted register) ----------------------------------------- */

enum { OP_AND, OP_ORR, OP_EOR, OP_ANDS };

/* The flags of ANDS and BICS: N and Z of the result, C and V clear. */
ALWAYS void logic_flags(struct a64_cpu *cpu, uint64_t r, unsigned sf)
{
    cpu->n = (r >> (sf ? 63 : 31)) & 1;
    cpu->z = r == 0;
    cpu->c = 0;
    cpu->v = 0;
}

/* Rn op b; write: Rd is not 31, else (TST) only the flags are kept. */
ALWAYS enum a64_flow logic(struct a64_cpu *cpu, const struct a64_insn *d, uint64_t b, unsigned op,
                           unsigned sf, bool write)
{
    uint64_t a = X(d->rn), r;
    switch (op) {
    case OP_AND:
    case OP_ANDS: r = a & b; break;
    case OP_ORR: r = a | b; break;
    default: r = a ^ b; break;
    }
    r = width(sf, r);
    if (op == OP_ANDS)
        logic_flags(cpu, r, sf);
    if (write)
        SET_RD(d->rd, r);
    return next(cpu, d);
}

/* trans_AND_reg, trans_BIC_reg, trans_ORR_reg, trans_ORN_reg, trans_EOR_reg,
 * trans_EON_reg, trans_ANDS_reg, trans_BICS_reg with Rd not XZR */
#define LOGIC_SHIFT(NAME, OP, INV, TYPE, T)                                                        \
    FAST(NAME##_x_##T)                                                                             \
    {                                                                                              \
        uint64_t b = shifted(cpu, d, TYPE, 1);                                                     \
        return logic(cpu, d, INV ? ~b : b, OP, 1, true);                                           \
    }                                                                                              \
    FAST(NAME##_w_##T)                                                                             \
    {                                                                                              \
        uint64_t b = shifted(cpu, d, TYPE, 0);                                                     \
        return logic(cpu, d, INV ? ~b : b, OP, 0, true);                                           \
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

/* trans_ANDS_reg with Rd = XZR and LSL: TST (shifted register) */
FAST(TST_reg_x)
{
    return logic(cpu, d, shifted(cpu, d, SHIFT_LSL, 1), OP_ANDS, 1, false);
}
FAST(TST_reg_w)
{
    return logic(cpu, d, shifted(cpu, d, SHIFT_LSL, 0), OP_ANDS, 0, false);
}

/* trans_ORR_reg with Rn = XZR and no shift: MOV (register) */
FAST(MOV_x)
{
    SET_RD(d->rd, X(d->rm));
    return next(cpu, d);
}
FAST(MOV_w)
{
    SET_RD(d->rd, (uint32_t)X(d->rm));
    return next(cpu, d);
}

/* trans_AND_imm, trans_ORR_imm, trans_EOR_imm with Rd not SP, trans_ANDS_imm
 * (TST with Rd = XZR): imm is the decoded bit mask */
#define LOGIC_IMM(NAME, OP, WRITE)                                                                 \
    FAST(NAME##_x)                                                                                 \
    {                                                                                              \
        return logic(cpu, d, d->imm, OP, 1, WRITE);                                                \
    }                                                                                              \
    FAST(NAME##_w)                                                                                 \
    {                                                                                              \
        return logic(cpu, d, d->imm, OP, 0, WRITE);                                                \
    }
LOGIC_IMM(AND_imm, OP_AND, true)
LOGIC_IMM(ORR_imm, OP_ORR, true)
LOGIC_IMM(EOR_imm, OP_EOR, true)
LOGIC_IMM(ANDS_imm, OP_ANDS, true)
LOGIC_IMM(TST_imm, OP_ANDS, false)

/* ---- bitfield (Rd not XZR): imm = wmask, imm2 = tmask ------------------ */

ALWAYS uint64_t ror(uint64_t x, unsigned r, unsigned sf)
{
    if (sf)
        return (x >> r) | (x << ((64 - r) & 63));
    uint32_t w = (uint32_t)x;
    return (w >> r) | (uint32_t)(w << ((32 - r) & 31));
}

/* trans_UBFM (LSL, LSR, UBFX, UBFIZ, UXTB, UXTH) */
ALWAYS enum a64_flow ubfm(struct a64_cpu *cpu, const struct a64_insn *d, unsigned sf)
{
    SET_RD(d->rd, ror(X(d->rn), d->immr, sf) & d->imm & d->imm2);
    return next(cpu, d);
}

/* trans_SBFM (ASR, SBFX, SBFIZ, SXTB, SXTH, SXTW) */
ALWAYS enum a64_flow sbfm(struct a64_cpu *cpu, const struct a64_insn *d, unsigned sf)
{
    uint64_t src = X(d->rn);
    uint64_t bot = ror(src, d->immr, sf) & d->imm;
    uint64_t top = 0 - ((src >> d->amount) & 1); /* Replicate(src<S>) */
    SET_RD(d->rd, width(sf, (top & ~d->imm2) | (bot & d->imm2)));
    return next(cpu, d);
}

/* trans_BFM (BFI, BFXIL) */
ALWAYS enum a64_flow bfm(struct a64_cpu *cpu, const struct a64_insn *d, unsigned sf)
{
    uint64_t dst = X(d->rd);
    uint64_t bot = (dst & ~d->imm) | (ror(X(d->rn), d->immr, sf) & d->imm);
    SET_RD(d->rd, width(sf, (dst & ~d->imm2) | (bot & d->imm2)));
    return next(cpu, d);
}

FAST(UBFM_x)
{
    return ubfm(cpu, d, 1);
}
FAST(UBFM_w)
{
    return ubfm(cpu, d, 0);
}
FAST(SBFM_x)
{
    return sbfm(cpu, d, 1);
}
FAST(SBFM_w)
{
    return sbfm(cpu, d, 0);
}
FAST(BFM_x)
{
    return bfm(cpu, d, 1);
}
FAST(BFM_w)
{
    return bfm(cpu, d, 0);
}

/* ---- conditional branch, one executor per condition ----------------------- */

ALWAYS enum a64_flow b_cond(struct a64_cpu *cpu, const struct a64_insn *d, unsigned cond)
{
    if (a64_cond_holds(cpu, cond))
        return taken(cpu, d);
    return next(cpu, d);
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

/* trans_B, trans_BL */
FAST(B)
{
    return taken(cpu, d);
}
FAST(BL)
{
    a64_set_x(cpu, 30, cpu->pc + 4);
    return taken(cpu, d);
}

/* trans_CBZ, trans_CBNZ, trans_TBZ, trans_TBNZ */
FAST(CBZ_x)
{
    if (X(d->rt) == 0)
        return taken(cpu, d);
    return next(cpu, d);
}
FAST(CBZ_w)
{
    if ((uint32_t)X(d->rt) == 0)
        return taken(cpu, d);
    return next(cpu, d);
}
FAST(CBNZ_x)
{
    if (X(d->rt) != 0)
        return taken(cpu, d);
    return next(cpu, d);
}
FAST(CBNZ_w)
{
    if ((uint32_t)X(d->rt) != 0)
        return taken(cpu, d);
    return next(cpu, d);
}
FAST(TBZ)
{
    if (!((X(d->rt) >> d->bit) & 1))
        return taken(cpu, d);
    return next(cpu, d);
}
FAST(TBNZ)
{
    if ((X(d->rt) >> d->bit) & 1)
        return taken(cpu, d);
    return next(cpu, d);
}

/* ---- move wide: imm is imm16 << (16 * hw) (Rd not XZR) ------------------- */

/* trans_MOVZ, trans_MOVN, trans_MOVK */
FAST(MOVZ)
{
    SET_RD(d->rd, d->imm);
    return next(cpu, d);
}
FAST(MOVN_x)
{
    SET_RD(d->rd, ~d->imm);
    return next(cpu, d);
}
FAST(MOVN_w)
{
    SET_RD(d->rd, (uint32_t)~d->imm);
    return next(cpu, d);
}
FAST(MOVK_x)
{
    SET_RD(d->rd, (X(d->rd) & ~(0xffffull << (16 * d->hw))) | d->imm);
    return next(cpu, d);
}
FAST(MOVK_w)
{
    SET_RD(d->rd, (uint32_t)((X(d->rd) & ~(0xffffull << (16 * d->hw))) | d->imm));
    return next(cpu, d);
}

/* ---- loads and stores with Rn not SP, loads into registers other than XZR */

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
    uint8_t *p;
    if (!a64_tlb_hit(cpu, imm_address(cpu, d, index), size, false, 0, &p))
        return trans_LDR_imm(cpu, d);
    uint64_t v = load_le(p, size);
    imm_writeback(cpu, d, index, true);
    SET_RD(d->rt, v);
    return next(cpu, d);
}

ALWAYS enum a64_flow str_imm(struct a64_cpu *cpu, const struct a64_insn *d, unsigned size,
                             unsigned index)
{
    uint8_t *p;
    if (!a64_tlb_hit(cpu, imm_address(cpu, d, index), size, true, 0, &p))
        return trans_STR_imm(cpu, d);
    store_le(p, X(d->rt), size);
    imm_writeback(cpu, d, index, false);
    return next(cpu, d);
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
    uint8_t *p;
    if (!a64_tlb_hit(cpu, reg_address(cpu, d), size, false, 0, &p))
        return trans_LDR_reg(cpu, d);
    SET_RD(d->rt, load_le(p, size));
    return next(cpu, d);
}

ALWAYS enum a64_flow str_reg(struct a64_cpu *cpu, const struct a64_insn *d, unsigned size)
{
    uint8_t *p;
    if (!a64_tlb_hit(cpu, reg_address(cpu, d), size, true, 0, &p))
        return trans_STR_reg(cpu, d);
    store_le(p, X(d->rt), size);
    return next(cpu, d);
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
    uint8_t *p;
    if (!a64_tlb_hit(cpu, imm_address(cpu, d, index), 16, false, 0, &p))
        return trans_LDP(cpu, d);
    uint64_t v1 = load_le(p, 8), v2 = load_le(p + 8, 8);
    if (index != IDX_OFFSET && d->rn != d->rt && d->rn != d->rt2)
        cpu->x[d->rn] += d->imm; /* suppressed when Rn is loaded */
    SET_RD(d->rt, v1);
    SET_RD(d->rt2, v2); /* Rt == Rt2 leaves Rt2's value */
    return next(cpu, d);
}

ALWAYS enum a64_flow stp_x(struct a64_cpu *cpu, const struct a64_insn *d, unsigned index)
{
    uint8_t *p;
    if (!a64_tlb_hit(cpu, imm_address(cpu, d, index), 16, true, 0, &p))
        return trans_STP(cpu, d);
    store_le(p, X(d->rt), 8);
    store_le(p + 8, X(d->rt2), 8);
    if (index != IDX_OFFSET)
        cpu->x[d->rn] += d->imm;
    return next(cpu, d);
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
    bool rd = d->rd != 31, rn = d->rn != 31;
#define SHAPE(general, cond, fast)                                                                 \
    if (e == trans_##general) {                                                                    \
        if (cond)                                                                                  \
            d->exec = (fast);                                                                      \
        return;                                                                                    \
    }
    /* Add and subtract (immediate): 31 is SP for Rn, and for Rd without S. */
    SHAPE(ADD_imm, rd && rn, sf ? fast_ADD_imm_x : fast_ADD_imm_w)
    SHAPE(SUB_imm, rd && rn, sf ? fast_SUB_imm_x : fast_SUB_imm_w)
    if (e == trans_ADDS_imm && rn) {
        d->exec =
            rd ? (sf ? fast_ADDS_imm_x : fast_ADDS_imm_w) : (sf ? fast_CMN_imm_x : fast_CMN_imm_w);
        return;
    }
    if (e == trans_SUBS_imm && rn) {
        d->exec =
            rd ? (sf ? fast_SUBS_imm_x : fast_SUBS_imm_w) : (sf ? fast_CMP_imm_x : fast_CMP_imm_w);
        return;
    }
    /* Shifted registers: 31 is XZR (ROR is unallocated for add/subtract). */
    if (e == trans_ADDS_shift && !rd && d->shift == SHIFT_LSL) {
        d->exec = sf ? fast_CMN_shift_x : fast_CMN_shift_w;
        return;
    }
    if (e == trans_SUBS_shift && !rd && d->shift == SHIFT_LSL) {
        d->exec = sf ? fast_CMP_shift_x : fast_CMP_shift_w;
        return;
    }
    if (e == trans_ANDS_reg && !rd && d->shift == SHIFT_LSL) {
        d->exec = sf ? fast_TST_reg_x : fast_TST_reg_w;
        return;
    }
    if (e == trans_ORR_reg && rd && !rn && d->amount == 0) {
        d->exec = sf ? fast_MOV_x : fast_MOV_w;
        return;
    }
    SHAPE(ADD_shift, rd && d->shift < 3, ADD_shift_shapes[sf][d->shift])
    SHAPE(SUB_shift, rd && d->shift < 3, SUB_shift_shapes[sf][d->shift])
    SHAPE(ADDS_shift, rd && d->shift < 3, ADDS_shift_shapes[sf][d->shift])
    SHAPE(SUBS_shift, rd && d->shift < 3, SUBS_shift_shapes[sf][d->shift])
    SHAPE(AND_reg, rd, AND_reg_shapes[sf][d->shift])
    SHAPE(BIC_reg, rd, BIC_reg_shapes[sf][d->shift])
    SHAPE(ORR_reg, rd, ORR_reg_shapes[sf][d->shift])
    SHAPE(ORN_reg, rd, ORN_reg_shapes[sf][d->shift])
    SHAPE(EOR_reg, rd, EOR_reg_shapes[sf][d->shift])
    SHAPE(EON_reg, rd, EON_reg_shapes[sf][d->shift])
    SHAPE(ANDS_reg, rd, ANDS_reg_shapes[sf][d->shift])
    SHAPE(BICS_reg, rd, BICS_reg_shapes[sf][d->shift])
    /* Logical (immediate): 31 is SP for Rd, except with S (TST); Rn is XZR. */
    SHAPE(AND_imm, rd, sf ? fast_AND_imm_x : fast_AND_imm_w)
    SHAPE(ORR_imm, rd, sf ? fast_ORR_imm_x : fast_ORR_imm_w)
    SHAPE(EOR_imm, rd, sf ? fast_EOR_imm_x : fast_EOR_imm_w)
    if (e == trans_ANDS_imm) {
        d->exec =
            rd ? (sf ? fast_ANDS_imm_x : fast_ANDS_imm_w) : (sf ? fast_TST_imm_x : fast_TST_imm_w);
        return;
    }
    SHAPE(UBFM, rd, sf ? fast_UBFM_x : fast_UBFM_w)
    SHAPE(SBFM, rd, sf ? fast_SBFM_x : fast_SBFM_w)
    SHAPE(BFM, rd, sf ? fast_BFM_x : fast_BFM_w)
    /* Direct branches whose target is in their own page (taken() runs
     * it); the others keep the general executor, and the run loop goes
     * to the other page. */
    bool near = (uint64_t)d->off + d->imm < PHYS_PAGE_SIZE; /* a target below the page wraps */
    SHAPE(B_cond, near, b_cond_shapes[d->cond])
    SHAPE(B, near, fast_B)
    SHAPE(BL, near, fast_BL)
    SHAPE(CBZ, near, sf ? fast_CBZ_x : fast_CBZ_w)
    SHAPE(CBNZ, near, sf ? fast_CBNZ_x : fast_CBNZ_w)
    SHAPE(TBZ, near, fast_TBZ)
    SHAPE(TBNZ, near, fast_TBNZ)
    SHAPE(MOVZ, rd, fast_MOVZ)
    SHAPE(MOVN, rd, sf ? fast_MOVN_x : fast_MOVN_w)
    SHAPE(MOVK, rd, sf ? fast_MOVK_x : fast_MOVK_w)
    /* Loads and stores of integer registers with Rn not SP (its alignment
     * check is the general executor's). d->size is log2 of the access. */
    SHAPE(LDR_imm, rn && d->rt != 31, ldr_imm_shapes[d->size][d->index])
    SHAPE(STR_imm, rn, str_imm_shapes[d->size][d->index])
    SHAPE(LDR_reg, rn && d->rt != 31 && d->option == 3, ldr_reg_shapes[d->size])
    SHAPE(STR_reg, rn && d->option == 3, str_reg_shapes[d->size])
    SHAPE(LDP, rn && d->rt != 31 && d->rt2 != 31 && d->size == 3, ldp_x_shapes[d->index])
    SHAPE(STP, rn && d->size == 3, stp_x_shapes[d->index])
#undef SHAPE
}
