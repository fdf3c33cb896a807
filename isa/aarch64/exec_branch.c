/*
 * exec_branch.c - branches: immediate, conditional, compare/test and
 * branch, and to a register. Offsets are decoded to bytes. A direct branch
 * that is taken returns A64_TAKEN and the run loop moves PC by d->imm, so
 * the target is known without a round trip through cpu->pc.
 */
#include "isa/aarch64/alu.h"
#include "isa/aarch64/insn.h"

A64_EXEC(B)
{
    return A64_TAKEN;
}

A64_EXEC(BL)
{
    a64_set_x(cpu, 30, cpu->pc + 4);
    return A64_TAKEN;
}

A64_EXEC(B_cond)
{
    if (!a64_cond_holds(cpu, d->cond))
        return A64_NEXT;
    return A64_TAKEN;
}

A64_EXEC(CBZ)
{
    if (a64_r(cpu, d->sf, d->rt) != 0)
        return A64_NEXT;
    return A64_TAKEN;
}

A64_EXEC(CBNZ)
{
    if (a64_r(cpu, d->sf, d->rt) == 0)
        return A64_NEXT;
    return A64_TAKEN;
}

A64_EXEC(TBZ)
{
    if ((a64_x(cpu, d->rt) >> d->bit) & 1)
        return A64_NEXT;
    return A64_TAKEN;
}

A64_EXEC(TBNZ)
{
    if (!((a64_x(cpu, d->rt) >> d->bit) & 1))
        return A64_NEXT;
    return A64_TAKEN;
}

/* The target is read before X30 is written, so BLR X30 works. A target
 * that is not 4-byte aligned faults on the next fetch (PC alignment). */
A64_EXEC(BR)
{
    cpu->pc = a64_x(cpu, d->rn);
    return A64_BRANCH;
}

A64_EXEC(BLR)
{
    uint64_t target = a64_x(cpu, d->rn);
    a64_set_x(cpu, 30, cpu->pc + 4);
    cpu->pc = target;
    return A64_BRANCH;
}

A64_EXEC(RET)
{
    cpu->pc = a64_x(cpu, d->rn);
    return A64_BRANCH;
}
