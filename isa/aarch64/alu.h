/*
 * alu.h - the Arm ARM's shared pseudocode functions the executors use:
 * AddWithCarry, ConditionHolds, DecodeBitMasks, ShiftReg, ExtendReg, and
 * register access with the XZR/SP distinction.
 */
#ifndef RASIM_A64_ALU_H
#define RASIM_A64_ALU_H

#include "isa/aarch64/cpu.h"

/* ---- registers ----------------------------------------------------------- */

/* X[n] where n == 31 reads the zero register. */
static inline uint64_t a64_x(const struct a64_cpu *cpu, unsigned n)
{
    return cpu->x[n];
}

/* X[n] = v where n == 31 discards: x[31] is scratch that reads back 0. */
static inline void a64_set_x(struct a64_cpu *cpu, unsigned n, uint64_t v)
{
    cpu->x[n] = v;
    cpu->x[31] = 0;
}

/* Write a W or X register: a W write zeroes bits 63:32. */
static inline void a64_set_r(struct a64_cpu *cpu, unsigned sf, unsigned n, uint64_t v)
{
    a64_set_x(cpu, n, sf ? v : (uint32_t)v);
}

/* Read a W or X register (W: bits 31:0, zero-extended). */
static inline uint64_t a64_r(const struct a64_cpu *cpu, unsigned sf, unsigned n)
{
    return sf ? cpu->x[n] : (uint32_t)cpu->x[n];
}

/* The stack pointer of the current EL and PSTATE.SP. */
static inline uint64_t *a64_sp(struct a64_cpu *cpu)
{
    return (cpu->el && cpu->spsel) ? &cpu->sp_el1 : &cpu->sp_el0;
}

/* Register n where 31 is SP (base registers, ADD/SUB immediate). */
static inline uint64_t a64_xsp(struct a64_cpu *cpu, unsigned n)
{
    return n == 31 ? *a64_sp(cpu) : cpu->x[n];
}

static inline void a64_set_xsp(struct a64_cpu *cpu, unsigned n, uint64_t v)
{
    if (n == 31)
        *a64_sp(cpu) = v;
    else
        cpu->x[n] = v;
}

/* ---- flags --------------------------------------------------------------- */

static inline void a64_set_nzcv(struct a64_cpu *cpu, unsigned nzcv)
{
    cpu->n = (nzcv >> 3) & 1;
    cpu->z = (nzcv >> 2) & 1;
    cpu->c = (nzcv >> 1) & 1;
    cpu->v = nzcv & 1;
}

/*
 * AddWithCarry(x, y, carry_in) for a datasize of 32 (sf = 0) or 64 bits.
 * Returns the result (zero-extended for 32 bits) and the NZCV it produces.
 */
static inline uint64_t a64_add_with_carry(uint64_t x, uint64_t y, unsigned carry, unsigned sf,
                                          unsigned *nzcv)
{
    uint64_t r;
    unsigned n, z, c, v;
    if (sf) {
        uint64_t t = x + y;
        r = t + carry;
        c = (t < x) | (r < t);
        v = (unsigned)((((x ^ r) & (y ^ r)) >> 63) & 1);
        n = (unsigned)(r >> 63);
    } else {
        uint64_t ux = (uint32_t)x, uy = (uint32_t)y;
        uint64_t u = ux + uy + carry;
        r = (uint32_t)u;
        c = (unsigned)(u >> 32);
        v = (unsigned)((((ux ^ r) & (uy ^ r)) >> 31) & 1);
        n = (unsigned)(r >> 31);
    }
    z = r == 0;
    *nzcv = n << 3 | z << 2 | c << 1 | v;
    return r;
}

/* ConditionHolds(cond), cond as encoded (EQ = 0 ... AL = 14, NV = 15). */
static inline bool a64_cond_holds(const struct a64_cpu *cpu, unsigned cond)
{
    bool result;
    switch (cond >> 1) {
    case 0: result = cpu->z; break;                      /* EQ / NE */
    case 1: result = cpu->c; break;                      /* CS / CC */
    case 2: result = cpu->n; break;                      /* MI / PL */
    case 3: result = cpu->v; break;                      /* VS / VC */
    case 4: result = cpu->c && !cpu->z; break;           /* HI / LS */
    case 5: result = cpu->n == cpu->v; break;            /* GE / LT */
    case 6: result = cpu->n == cpu->v && !cpu->z; break; /* GT / LE */
    default: result = true; break;                       /* AL / NV */
    }
    /* The low bit inverts, except for AL/NV which both mean "always". */
    if ((cond & 1) && cond != 15)
        result = !result;
    return result;
}

/* ---- shifts, rotates and extends ----------------------------------------- */

static inline uint64_t a64_ror(uint64_t x, unsigned r, unsigned sf)
{
    if (sf) {
        r &= 63;
        return r ? (x >> r) | (x << (64 - r)) : x;
    }
    uint32_t w = (uint32_t)x;
    r &= 31;
    return r ? (uint32_t)((w >> r) | (w << (32 - r))) : w;
}

enum { SHIFT_LSL, SHIFT_LSR, SHIFT_ASR, SHIFT_ROR };

/* ShiftReg: amount < datasize, guaranteed by the decoder. */
static inline uint64_t a64_shift(uint64_t x, unsigned type, unsigned amount, unsigned sf)
{
    if (!sf)
        x = (uint32_t)x;
    switch (type) {
    case SHIFT_LSL: x <<= amount; break;
    case SHIFT_LSR: x >>= amount; break;
    case SHIFT_ASR:
        x = sf ? (uint64_t)((int64_t)x >> amount) : (uint64_t)(int64_t)((int32_t)x >> amount);
        break;
    default: return a64_ror(x, amount, sf);
    }
    return sf ? x : (uint32_t)x;
}

/* ExtendReg: option UXTB..SXTX, then a left shift of 0..4. */
static inline uint64_t a64_extend(uint64_t x, unsigned option, unsigned shift)
{
    switch (option) {
    case 0: x = (uint8_t)x; break;
    case 1: x = (uint16_t)x; break;
    case 2: x = (uint32_t)x; break;
    case 3: break;
    case 4: x = (uint64_t)(int64_t)(int8_t)x; break;
    case 5: x = (uint64_t)(int64_t)(int16_t)x; break;
    case 6: x = (uint64_t)(int64_t)(int32_t)x; break;
    default: break;
    }
    return x << shift;
}

static inline uint64_t a64_sext(uint64_t x, unsigned bits)
{
    uint64_t m = 1ull << (bits - 1);
    x &= bits == 64 ? ~0ull : (1ull << bits) - 1;
    return (x ^ m) - m;
}

/* High 64 bits of the 128-bit product, without a 128-bit type. */
static inline uint64_t a64_umulh(uint64_t a, uint64_t b)
{
    uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

static inline uint64_t a64_smulh(uint64_t a, uint64_t b)
{
    uint64_t h = a64_umulh(a, b);
    /* Signed correction: (a - 2^64 [a<0]) * (b - 2^64 [b<0]). */
    if ((int64_t)a < 0)
        h -= b;
    if ((int64_t)b < 0)
        h -= a;
    return h;
}

/* DecodeBitMasks(N, imms, immr, immediate, datasize). Returns false for the
 * reserved combinations (the encoding is then unallocated). */
bool a64_decode_bit_masks(unsigned n, unsigned imms, unsigned immr, bool immediate,
                          unsigned datasize, uint64_t *wmask, uint64_t *tmask);

#endif
