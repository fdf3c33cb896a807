/*
 * exec_dp_imm.c - Data processing -- immediate: PC-relative addressing,
 * add/subtract, logical, move wide, bitfield, extract.
 */
#include "isa/aarch64/alu.h"
#include "isa/aarch64/exception.h"

A64_EXEC(UNDEFINED)
{
    return a64_undefined(cpu);
}

/* ---- PC-relative addressing ------------------------------------------- */

A64_EXEC(ADR)
{
    a64_set_x(cpu, d->rd, cpu->pc + d->imm);
    return A64_NEXT;
}

A64_EXEC(ADRP)
{
    a64_set_x(cpu, d->rd, (cpu->pc & ~0xfffull) + d->imm);
    return A64_NEXT;
}

/* ---- Add/subtract (immediate): Rd|SP = Rn|SP +/- imm; the S forms write
 * Rd (XZR for CMP/CMN) and NZCV. ------------------------------------------ */

static uint64_t addsub(struct a64_cpu *cpu, uint64_t a, uint64_t b, bool sub, unsigned sf,
                       bool setflags)
{
    unsigned nzcv;
    uint64_t r = a64_add_with_carry(a, sub ? ~b : b, sub, sf, &nzcv);
    if (setflags)
        a64_set_nzcv(cpu, nzcv);
    return r;
}

A64_EXEC(ADD_imm)
{
    uint64_t r = addsub(cpu, a64_xsp(cpu, d->rn), d->imm, false, d->sf, false);
    a64_set_xsp(cpu, d->rd, r);
    return A64_NEXT;
}

A64_EXEC(ADDS_imm)
{
    a64_set_x(cpu, d->rd, addsub(cpu, a64_xsp(cpu, d->rn), d->imm, false, d->sf, true));
    return A64_NEXT;
}

A64_EXEC(SUB_imm)
{
    uint64_t r = addsub(cpu, a64_xsp(cpu, d->rn), d->imm, true, d->sf, false);
    a64_set_xsp(cpu, d->rd, r);
    return A64_NEXT;
}

A64_EXEC(SUBS_imm)
{
    a64_set_x(cpu, d->rd, addsub(cpu, a64_xsp(cpu, d->rn), d->imm, true, d->sf, true));
    return A64_NEXT;
}

/* ---- Logical (immediate): imm is DecodeBitMasks' wmask. AND/ORR/EOR
 * write Rd|SP; ANDS writes Rd (XZR for TST). ------------------------------ */

static uint64_t width(unsigned sf, uint64_t v)
{
    return sf ? v : (uint32_t)v;
}

A64_EXEC(AND_imm)
{
    a64_set_xsp(cpu, d->rd, width(d->sf, a64_x(cpu, d->rn) & d->imm));
    return A64_NEXT;
}

A64_EXEC(ORR_imm)
{
    a64_set_xsp(cpu, d->rd, width(d->sf, a64_x(cpu, d->rn) | d->imm));
    return A64_NEXT;
}

A64_EXEC(EOR_imm)
{
    a64_set_xsp(cpu, d->rd, width(d->sf, a64_x(cpu, d->rn) ^ d->imm));
    return A64_NEXT;
}

/* Logical flags: N and Z from the result, C and V cleared. */
static void logic_flags(struct a64_cpu *cpu, unsigned sf, uint64_t r)
{
    cpu->n = (unsigned)(r >> (sf ? 63 : 31)) & 1;
    cpu->z = r == 0;
    cpu->c = 0;
    cpu->v = 0;
}

A64_EXEC(ANDS_imm)
{
    uint64_t r = width(d->sf, a64_x(cpu, d->rn) & d->imm);
    logic_flags(cpu, d->sf, r);
    a64_set_x(cpu, d->rd, r);
    return A64_NEXT;
}

/* ---- Move wide: imm is imm16 << (16 * hw). ------------------------------ */

A64_EXEC(MOVN)
{
    a64_set_x(cpu, d->rd, width(d->sf, ~d->imm));
    return A64_NEXT;
}

A64_EXEC(MOVZ)
{
    a64_set_x(cpu, d->rd, d->imm);
    return A64_NEXT;
}

A64_EXEC(MOVK)
{
    uint64_t keep = ~(0xffffull << (16 * d->hw));
    a64_set_x(cpu, d->rd, width(d->sf, (a64_x(cpu, d->rd) & keep) | d->imm));
    return A64_NEXT;
}

/* ---- Bitfield: imm = wmask, imm2 = tmask, immr = R, amount = S. Aliases:
 * ASR/LSL/LSR (immediate), SBFX/UBFX, SBFIZ/UBFIZ, BFI/BFXIL, SXT*, UXT*. */

A64_EXEC(SBFM)
{
    uint64_t src = a64_x(cpu, d->rn);
    uint64_t bot = a64_ror(src, d->immr, d->sf) & d->imm;
    /* top = Replicate(src<S>) */
    uint64_t top = ((src >> d->amount) & 1) ? ~0ull : 0;
    a64_set_x(cpu, d->rd, width(d->sf, (top & ~d->imm2) | (bot & d->imm2)));
    return A64_NEXT;
}

A64_EXEC(BFM)
{
    uint64_t dst = a64_x(cpu, d->rd);
    uint64_t src = a64_x(cpu, d->rn);
    uint64_t bot = (dst & ~d->imm) | (a64_ror(src, d->immr, d->sf) & d->imm);
    a64_set_x(cpu, d->rd, width(d->sf, (dst & ~d->imm2) | (bot & d->imm2)));
    return A64_NEXT;
}

A64_EXEC(UBFM)
{
    uint64_t src = a64_x(cpu, d->rn);
    a64_set_x(cpu, d->rd, a64_ror(src, d->immr, d->sf) & d->imm & d->imm2);
    return A64_NEXT;
}

/* ---- EXTR: bits lsb+datasize-1 .. lsb of Rn:Rm (ROR when Rn == Rm). ---- */

A64_EXEC(EXTR)
{
    unsigned lsb = d->amount;
    uint64_t hi = a64_x(cpu, d->rn), lo = a64_x(cpu, d->rm), r;
    if (d->sf) {
        r = lsb ? (lo >> lsb) | (hi << (64 - lsb)) : lo;
    } else {
        uint32_t h = (uint32_t)hi, l = (uint32_t)lo;
        r = lsb ? (uint32_t)((l >> lsb) | (h << (32 - lsb))) : l;
    }
    a64_set_x(cpu, d->rd, r);
    return A64_NEXT;
}
