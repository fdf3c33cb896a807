/*
 * exec_ldst.c - single-register loads and stores: literal, immediate
 * (unsigned offset, unscaled, pre- and post-index), register offset,
 * unprivileged, for general and SIMD&FP registers, and PRFM.
 *
 * d->size is log2 of the access size; d->sf tells the signed loads whether
 * they extend to 64 bits (LDRSB Xt) or to 32 (LDRSB Wt, zero above).
 *
 * Writeback with Rn == Rt (not SP) is CONSTRAINED UNPREDICTABLE. For loads
 * we take the "writeback suppressed" choice, so Rt holds the loaded value;
 * stores store the value Rt had before writeback.
 */
#include "isa/aarch64/alu.h"
#include "isa/aarch64/mem.h"

/* Address of an immediate-offset form; false after an SP alignment fault. */
static bool imm_address(struct a64_cpu *cpu, const struct a64_insn *d, uint64_t *base,
                        uint64_t *addr)
{
    if (!a64_base(cpu, d->rn, base))
        return false;
    *addr = d->index == IDX_POST ? *base : *base + d->imm;
    return true;
}

static void writeback(struct a64_cpu *cpu, const struct a64_insn *d, uint64_t base, bool load)
{
    if (d->index == IDX_OFFSET)
        return;
    if (load && d->rn == d->rt && d->rn != 31)
        return;
    a64_set_xsp(cpu, d->rn, base + d->imm);
}

static uint64_t sign_extend_load(const struct a64_insn *d, uint64_t v)
{
    v = a64_sext(v, 8u << d->size);
    return d->sf ? v : (uint32_t)v;
}

static bool simd_load(struct a64_cpu *cpu, uint64_t addr, unsigned rt, unsigned size, unsigned acc)
{
    union a64_vreg v = {{0}};
    if (!a64_read(cpu, addr, v.b, 1u << size, acc))
        return false;
    cpu->vreg[rt] = v; /* narrower loads clear the rest of the register */
    return true;
}

static bool simd_store(struct a64_cpu *cpu, uint64_t addr, unsigned rt, unsigned size, unsigned acc)
{
    return a64_write(cpu, addr, cpu->vreg[rt].b, 1u << size, acc);
}

/* ---- literal -------------------------------------------------------------- */

A64_EXEC(LDR_lit)
{
    uint64_t v;
    if (!a64_load(cpu, cpu->pc + d->imm, 1u << d->size, &v, 0))
        return A64_EXCEPTION;
    a64_set_x(cpu, d->rt, v);
    return A64_NEXT;
}

A64_EXEC(LDRSW_lit)
{
    uint64_t v;
    if (!a64_load(cpu, cpu->pc + d->imm, 4, &v, 0))
        return A64_EXCEPTION;
    a64_set_x(cpu, d->rt, a64_sext(v, 32));
    return A64_NEXT;
}

A64_EXEC(LDR_lit_simd)
{
    if (!simd_load(cpu, cpu->pc + d->imm, d->rt, d->size, 0))
        return A64_EXCEPTION;
    return A64_NEXT;
}

/* Prefetch, in every addressing form: no effect, and it never faults. */
A64_EXEC(PRFM)
{
    return A64_NEXT;
}

/* ---- immediate offset: LDR/LDRB/LDRH, LDUR*, and their index forms ------ */

A64_EXEC(LDR_imm)
{
    uint64_t base, addr, v;
    if (!imm_address(cpu, d, &base, &addr) || !a64_load(cpu, addr, 1u << d->size, &v, 0))
        return A64_EXCEPTION;
    a64_set_x(cpu, d->rt, v);
    writeback(cpu, d, base, true);
    return A64_NEXT;
}

A64_EXEC(LDRS_imm)
{
    uint64_t base, addr, v;
    if (!imm_address(cpu, d, &base, &addr) || !a64_load(cpu, addr, 1u << d->size, &v, 0))
        return A64_EXCEPTION;
    a64_set_x(cpu, d->rt, sign_extend_load(d, v));
    writeback(cpu, d, base, true);
    return A64_NEXT;
}

A64_EXEC(STR_imm)
{
    uint64_t base, addr;
    if (!imm_address(cpu, d, &base, &addr) ||
        !a64_store(cpu, addr, 1u << d->size, a64_x(cpu, d->rt), 0))
        return A64_EXCEPTION;
    writeback(cpu, d, base, false);
    return A64_NEXT;
}

A64_EXEC(LDR_imm_simd)
{
    uint64_t base, addr;
    if (!imm_address(cpu, d, &base, &addr) || !simd_load(cpu, addr, d->rt, d->size, 0))
        return A64_EXCEPTION;
    if (d->index != IDX_OFFSET)
        a64_set_xsp(cpu, d->rn, base + d->imm);
    return A64_NEXT;
}

A64_EXEC(STR_imm_simd)
{
    uint64_t base, addr;
    if (!imm_address(cpu, d, &base, &addr) || !simd_store(cpu, addr, d->rt, d->size, 0))
        return A64_EXCEPTION;
    if (d->index != IDX_OFFSET)
        a64_set_xsp(cpu, d->rn, base + d->imm);
    return A64_NEXT;
}

/* ---- register offset: [Xn|SP, (W|X)m{, extend {#amount}}] --------------- */

static bool reg_address(struct a64_cpu *cpu, const struct a64_insn *d, uint64_t *addr)
{
    uint64_t base;
    if (!a64_base(cpu, d->rn, &base))
        return false;
    *addr = base + a64_extend(a64_x(cpu, d->rm), d->option, d->amount);
    return true;
}

A64_EXEC(LDR_reg)
{
    uint64_t addr, v;
    if (!reg_address(cpu, d, &addr) || !a64_load(cpu, addr, 1u << d->size, &v, 0))
        return A64_EXCEPTION;
    a64_set_x(cpu, d->rt, v);
    return A64_NEXT;
}

A64_EXEC(LDRS_reg)
{
    uint64_t addr, v;
    if (!reg_address(cpu, d, &addr) || !a64_load(cpu, addr, 1u << d->size, &v, 0))
        return A64_EXCEPTION;
    a64_set_x(cpu, d->rt, sign_extend_load(d, v));
    return A64_NEXT;
}

A64_EXEC(STR_reg)
{
    uint64_t addr;
    if (!reg_address(cpu, d, &addr) || !a64_store(cpu, addr, 1u << d->size, a64_x(cpu, d->rt), 0))
        return A64_EXCEPTION;
    return A64_NEXT;
}

A64_EXEC(LDR_reg_simd)
{
    uint64_t addr;
    if (!reg_address(cpu, d, &addr) || !simd_load(cpu, addr, d->rt, d->size, 0))
        return A64_EXCEPTION;
    return A64_NEXT;
}

A64_EXEC(STR_reg_simd)
{
    uint64_t addr;
    if (!reg_address(cpu, d, &addr) || !simd_store(cpu, addr, d->rt, d->size, 0))
        return A64_EXCEPTION;
    return A64_NEXT;
}

/* ---- unprivileged: LDTR*, STTR* ------------------------------------------
 * At EL1 they are checked with EL0's permissions, unless PSTATE.UAO is set
 * (then they behave as the ordinary forms). At EL0 they are ordinary. */

static unsigned unpriv(const struct a64_cpu *cpu)
{
    return (cpu->el == 1 && !cpu->uao) ? A64_ACC_UNPRIV : 0;
}

A64_EXEC(LDTR)
{
    uint64_t base, v;
    if (!a64_base(cpu, d->rn, &base) ||
        !a64_load(cpu, base + d->imm, 1u << d->size, &v, unpriv(cpu)))
        return A64_EXCEPTION;
    a64_set_x(cpu, d->rt, v);
    return A64_NEXT;
}

A64_EXEC(LDTRS)
{
    uint64_t base, v;
    if (!a64_base(cpu, d->rn, &base) ||
        !a64_load(cpu, base + d->imm, 1u << d->size, &v, unpriv(cpu)))
        return A64_EXCEPTION;
    a64_set_x(cpu, d->rt, sign_extend_load(d, v));
    return A64_NEXT;
}

A64_EXEC(STTR)
{
    uint64_t base;
    if (!a64_base(cpu, d->rn, &base) ||
        !a64_store(cpu, base + d->imm, 1u << d->size, a64_x(cpu, d->rt), unpriv(cpu)))
        return A64_EXCEPTION;
    return A64_NEXT;
}
