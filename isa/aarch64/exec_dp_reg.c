/*
 * exec_dp_reg.c - Data processing -- register: logical and add/subtract
 * (shifted and extended register), with carry, conditional compare and
 * select, 1-, 2- and 3-source operations.
 */
#include "isa/aarch64/alu.h"
#include "isa/aarch64/exception.h"

static uint64_t width(unsigned sf, uint64_t v)
{
    return sf ? v : (uint32_t)v;
}

static void logic_flags(struct a64_cpu *cpu, unsigned sf, uint64_t r)
{
    cpu->n = (unsigned)(r >> (sf ? 63 : 31)) & 1;
    cpu->z = r == 0;
    cpu->c = 0;
    cpu->v = 0;
}

/* ---- Logical (shifted register) ----------------------------------------- */

static uint64_t operand2(const struct a64_cpu *cpu, const struct a64_insn *d)
{
    return a64_shift(a64_x(cpu, d->rm), d->shift, d->amount, d->sf);
}

A64_EXEC(AND_reg)
{
    a64_set_r(cpu, d->sf, d->rd, a64_x(cpu, d->rn) & operand2(cpu, d));
    return A64_NEXT;
}

A64_EXEC(BIC_reg)
{
    a64_set_r(cpu, d->sf, d->rd, a64_x(cpu, d->rn) & ~operand2(cpu, d));
    return A64_NEXT;
}

A64_EXEC(ORR_reg)
{
    a64_set_r(cpu, d->sf, d->rd, a64_x(cpu, d->rn) | operand2(cpu, d));
    return A64_NEXT;
}

A64_EXEC(ORN_reg)
{
    a64_set_r(cpu, d->sf, d->rd, a64_x(cpu, d->rn) | ~operand2(cpu, d));
    return A64_NEXT;
}

A64_EXEC(EOR_reg)
{
    a64_set_r(cpu, d->sf, d->rd, a64_x(cpu, d->rn) ^ operand2(cpu, d));
    return A64_NEXT;
}

A64_EXEC(EON_reg)
{
    a64_set_r(cpu, d->sf, d->rd, a64_x(cpu, d->rn) ^ ~operand2(cpu, d));
    return A64_NEXT;
}

A64_EXEC(ANDS_reg)
{
    uint64_t r = width(d->sf, a64_x(cpu, d->rn) & operand2(cpu, d));
    logic_flags(cpu, d->sf, r);
    a64_set_x(cpu, d->rd, r);
    return A64_NEXT;
}

A64_EXEC(BICS_reg)
{
    uint64_t r = width(d->sf, a64_x(cpu, d->rn) & ~operand2(cpu, d));
    logic_flags(cpu, d->sf, r);
    a64_set_x(cpu, d->rd, r);
    return A64_NEXT;
}

/* ---- Add/subtract (shifted register): all registers, 31 is XZR --------- */

static uint64_t addsub(struct a64_cpu *cpu, unsigned sf, uint64_t a, uint64_t b, bool sub,
                       bool setflags)
{
    unsigned nzcv;
    uint64_t r = a64_add_with_carry(a, sub ? ~b : b, sub, sf, &nzcv);
    if (setflags)
        a64_set_nzcv(cpu, nzcv);
    return r;
}

A64_EXEC(ADD_shift)
{
    a64_set_x(cpu, d->rd, addsub(cpu, d->sf, a64_x(cpu, d->rn), operand2(cpu, d), false, false));
    return A64_NEXT;
}

A64_EXEC(ADDS_shift)
{
    a64_set_x(cpu, d->rd, addsub(cpu, d->sf, a64_x(cpu, d->rn), operand2(cpu, d), false, true));
    return A64_NEXT;
}

A64_EXEC(SUB_shift)
{
    a64_set_x(cpu, d->rd, addsub(cpu, d->sf, a64_x(cpu, d->rn), operand2(cpu, d), true, false));
    return A64_NEXT;
}

A64_EXEC(SUBS_shift)
{
    a64_set_x(cpu, d->rd, addsub(cpu, d->sf, a64_x(cpu, d->rn), operand2(cpu, d), true, true));
    return A64_NEXT;
}

/* ---- Add/subtract (extended register): Rn is Xn|SP; Rd is Xd|SP unless
 * flags are set. ------------------------------------------------------------ */

static uint64_t extended(const struct a64_cpu *cpu, const struct a64_insn *d)
{
    return a64_extend(a64_x(cpu, d->rm), d->option, d->amount);
}

A64_EXEC(ADD_ext)
{
    uint64_t r = addsub(cpu, d->sf, a64_xsp(cpu, d->rn), extended(cpu, d), false, false);
    a64_set_xsp(cpu, d->rd, r);
    return A64_NEXT;
}

A64_EXEC(ADDS_ext)
{
    a64_set_x(cpu, d->rd, addsub(cpu, d->sf, a64_xsp(cpu, d->rn), extended(cpu, d), false, true));
    return A64_NEXT;
}

A64_EXEC(SUB_ext)
{
    uint64_t r = addsub(cpu, d->sf, a64_xsp(cpu, d->rn), extended(cpu, d), true, false);
    a64_set_xsp(cpu, d->rd, r);
    return A64_NEXT;
}

A64_EXEC(SUBS_ext)
{
    a64_set_x(cpu, d->rd, addsub(cpu, d->sf, a64_xsp(cpu, d->rn), extended(cpu, d), true, true));
    return A64_NEXT;
}

/* ---- Add/subtract with carry ------------------------------------------- */

static uint64_t with_carry(struct a64_cpu *cpu, const struct a64_insn *d, bool sub, bool flags)
{
    unsigned nzcv;
    uint64_t m = a64_x(cpu, d->rm);
    uint64_t r = a64_add_with_carry(a64_x(cpu, d->rn), sub ? ~m : m, cpu->c, d->sf, &nzcv);
    if (flags)
        a64_set_nzcv(cpu, nzcv);
    return r;
}

A64_EXEC(ADC)
{
    a64_set_x(cpu, d->rd, with_carry(cpu, d, false, false));
    return A64_NEXT;
}

A64_EXEC(ADCS)
{
    a64_set_x(cpu, d->rd, with_carry(cpu, d, false, true));
    return A64_NEXT;
}

A64_EXEC(SBC)
{
    a64_set_x(cpu, d->rd, with_carry(cpu, d, true, false));
    return A64_NEXT;
}

A64_EXEC(SBCS)
{
    a64_set_x(cpu, d->rd, with_carry(cpu, d, true, true));
    return A64_NEXT;
}

/* ---- Conditional compare: flags of Rn +/- operand if cond, else #nzcv --- */

static void ccmp(struct a64_cpu *cpu, const struct a64_insn *d, uint64_t operand, bool sub)
{
    unsigned nzcv = d->nzcv;
    if (a64_cond_holds(cpu, d->cond))
        a64_add_with_carry(a64_x(cpu, d->rn), sub ? ~operand : operand, sub, d->sf, &nzcv);
    a64_set_nzcv(cpu, nzcv);
}

A64_EXEC(CCMN_reg)
{
    ccmp(cpu, d, a64_x(cpu, d->rm), false);
    return A64_NEXT;
}

A64_EXEC(CCMP_reg)
{
    ccmp(cpu, d, a64_x(cpu, d->rm), true);
    return A64_NEXT;
}

A64_EXEC(CCMN_imm)
{
    ccmp(cpu, d, d->imm, false);
    return A64_NEXT;
}

A64_EXEC(CCMP_imm)
{
    ccmp(cpu, d, d->imm, true);
    return A64_NEXT;
}

/* ---- Conditional select: Rd = cond ? Rn : f(Rm) ------------------------- */

A64_EXEC(CSEL)
{
    uint64_t r = a64_cond_holds(cpu, d->cond) ? a64_x(cpu, d->rn) : a64_x(cpu, d->rm);
    a64_set_r(cpu, d->sf, d->rd, r);
    return A64_NEXT;
}

A64_EXEC(CSINC)
{
    uint64_t r = a64_cond_holds(cpu, d->cond) ? a64_x(cpu, d->rn) : a64_x(cpu, d->rm) + 1;
    a64_set_r(cpu, d->sf, d->rd, r);
    return A64_NEXT;
}

A64_EXEC(CSINV)
{
    uint64_t r = a64_cond_holds(cpu, d->cond) ? a64_x(cpu, d->rn) : ~a64_x(cpu, d->rm);
    a64_set_r(cpu, d->sf, d->rd, r);
    return A64_NEXT;
}

A64_EXEC(CSNEG)
{
    uint64_t r = a64_cond_holds(cpu, d->cond) ? a64_x(cpu, d->rn) : 0 - a64_x(cpu, d->rm);
    a64_set_r(cpu, d->sf, d->rd, r);
    return A64_NEXT;
}

/* ---- Data-processing (3 source) ----------------------------------------- */

A64_EXEC(MADD)
{
    uint64_t r = a64_x(cpu, d->ra) + a64_x(cpu, d->rn) * a64_x(cpu, d->rm);
    a64_set_r(cpu, d->sf, d->rd, r);
    return A64_NEXT;
}

A64_EXEC(MSUB)
{
    uint64_t r = a64_x(cpu, d->ra) - a64_x(cpu, d->rn) * a64_x(cpu, d->rm);
    a64_set_r(cpu, d->sf, d->rd, r);
    return A64_NEXT;
}

static uint64_t sw(const struct a64_cpu *cpu, unsigned n)
{
    return (uint64_t)(int64_t)(int32_t)a64_x(cpu, n);
}

static uint64_t uw(const struct a64_cpu *cpu, unsigned n)
{
    return (uint32_t)a64_x(cpu, n);
}

A64_EXEC(SMADDL)
{
    a64_set_x(cpu, d->rd, a64_x(cpu, d->ra) + sw(cpu, d->rn) * sw(cpu, d->rm));
    return A64_NEXT;
}

A64_EXEC(SMSUBL)
{
    a64_set_x(cpu, d->rd, a64_x(cpu, d->ra) - sw(cpu, d->rn) * sw(cpu, d->rm));
    return A64_NEXT;
}

A64_EXEC(UMADDL)
{
    a64_set_x(cpu, d->rd, a64_x(cpu, d->ra) + uw(cpu, d->rn) * uw(cpu, d->rm));
    return A64_NEXT;
}

A64_EXEC(UMSUBL)
{
    a64_set_x(cpu, d->rd, a64_x(cpu, d->ra) - uw(cpu, d->rn) * uw(cpu, d->rm));
    return A64_NEXT;
}

A64_EXEC(SMULH)
{
    a64_set_x(cpu, d->rd, a64_smulh(a64_x(cpu, d->rn), a64_x(cpu, d->rm)));
    return A64_NEXT;
}

A64_EXEC(UMULH)
{
    a64_set_x(cpu, d->rd, a64_umulh(a64_x(cpu, d->rn), a64_x(cpu, d->rm)));
    return A64_NEXT;
}

/* ---- Data-processing (2 source) ----------------------------------------- */

/* Division by zero gives 0 (no trap in A64); INT_MIN / -1 wraps. */
A64_EXEC(UDIV)
{
    uint64_t n = a64_r(cpu, d->sf, d->rn), m = a64_r(cpu, d->sf, d->rm);
    a64_set_r(cpu, d->sf, d->rd, m ? n / m : 0);
    return A64_NEXT;
}

A64_EXEC(SDIV)
{
    uint64_t r;
    if (d->sf) {
        int64_t n = (int64_t)a64_x(cpu, d->rn), m = (int64_t)a64_x(cpu, d->rm);
        r = m == 0 ? 0 : (m == -1) ? 0 - (uint64_t)n : (uint64_t)(n / m);
    } else {
        int32_t n = (int32_t)a64_x(cpu, d->rn), m = (int32_t)a64_x(cpu, d->rm);
        r = m == 0 ? 0 : (m == -1) ? 0 - (uint64_t)(int64_t)n : (uint64_t)(int64_t)(n / m);
    }
    a64_set_r(cpu, d->sf, d->rd, r);
    return A64_NEXT;
}

/* Variable shifts: the amount is Rm modulo the datasize. */
static enum a64_flow shiftv(struct a64_cpu *cpu, const struct a64_insn *d, unsigned type)
{
    unsigned amount = (unsigned)a64_x(cpu, d->rm) & (d->sf ? 63 : 31);
    a64_set_x(cpu, d->rd, a64_shift(a64_x(cpu, d->rn), type, amount, d->sf));
    return A64_NEXT;
}

A64_EXEC(LSLV)
{
    return shiftv(cpu, d, SHIFT_LSL);
}

A64_EXEC(LSRV)
{
    return shiftv(cpu, d, SHIFT_LSR);
}

A64_EXEC(ASRV)
{
    return shiftv(cpu, d, SHIFT_ASR);
}

A64_EXEC(RORV)
{
    return shiftv(cpu, d, SHIFT_ROR);
}

/* ---- Data-processing (1 source) ----------------------------------------- */

static uint64_t bswap64(uint64_t x)
{
    uint64_t r = 0;
    for (int i = 0; i < 8; i++)
        r = r << 8 | ((x >> (8 * i)) & 0xff);
    return r;
}

A64_EXEC(RBIT)
{
    uint64_t x = a64_x(cpu, d->rn), r = 0;
    unsigned bits = d->sf ? 64 : 32;
    for (unsigned i = 0; i < bits; i++)
        r |= ((x >> i) & 1) << (bits - 1 - i);
    a64_set_x(cpu, d->rd, r);
    return A64_NEXT;
}

/* Byte-reverse each 16-bit halfword. */
A64_EXEC(REV16)
{
    uint64_t x = a64_x(cpu, d->rn);
    uint64_t r = ((x & 0x00ff00ff00ff00ffull) << 8) | ((x >> 8) & 0x00ff00ff00ff00ffull);
    a64_set_r(cpu, d->sf, d->rd, r);
    return A64_NEXT;
}

/* Byte-reverse each 32-bit word (64-bit form only). */
A64_EXEC(REV32)
{
    uint64_t x = bswap64(a64_x(cpu, d->rn));
    a64_set_x(cpu, d->rd, x << 32 | x >> 32);
    return A64_NEXT;
}

/* Byte-reverse the whole register (32 or 64 bits). */
A64_EXEC(REV)
{
    uint64_t x = bswap64(a64_x(cpu, d->rn));
    a64_set_x(cpu, d->rd, d->sf ? x : x >> 32);
    return A64_NEXT;
}

static unsigned clz(uint64_t x, unsigned bits)
{
    unsigned n = 0;
    for (int i = (int)bits - 1; i >= 0 && !((x >> i) & 1); i--)
        n++;
    return n;
}

A64_EXEC(CLZ)
{
    unsigned bits = d->sf ? 64 : 32;
    a64_set_x(cpu, d->rd, clz(a64_r(cpu, d->sf, d->rn), bits));
    return A64_NEXT;
}

/* CountLeadingSignBits(x) = CountLeadingZeroBits(x<N-1:1> EOR x<N-2:0>). */
A64_EXEC(CLS)
{
    unsigned bits = d->sf ? 64 : 32;
    uint64_t x = a64_r(cpu, d->sf, d->rn);
    uint64_t low = bits == 64 ? x & ~(1ull << 63) : x & 0x7fffffffull;
    a64_set_x(cpu, d->rd, clz((x >> 1) ^ low, bits - 1));
    return A64_NEXT;
}
