/*
 * exec_system.c - exception generation (SVC, BRK), hints, barriers,
 * PSTATE immediates, and the SYS space: DC, IC and TLBI.
 *
 * One PE, in order, no caches modelled: barriers and cache cleaning have
 * nothing to order or write back. What stays observable is kept: the
 * by-VA maintenance operations translate their address and can fault, DC
 * ZVA and its MTE variants write memory and tags, IC drops decoded code,
 * and TLBI invalidates the TLB model with its architectural scope.
 */
#include "isa/aarch64/alu.h"
#include "isa/aarch64/codecache.h"
#include "isa/aarch64/mem.h"
#include "isa/aarch64/sysreg.h"

#include <stdio.h>

A64_EXEC(SVC)
{
    a64_raise(cpu, EC_SVC64, (uint32_t)d->imm);
    cpu->exc.ret = cpu->pc + 4; /* preferred return: the next instruction */
    return A64_EXCEPTION;
}

A64_EXEC(BRK)
{
    return a64_raise(cpu, EC_BRK64, (uint32_t)d->imm);
}

/* Every hint is a NOP here: NOP, YIELD, WFE, WFI, SEV, BTI, ESB, CSDB, and
 * the PAuth hints (PACIASP, AUTIASP, PACIBSP, AUTIBSP, XPACLRI), which are
 * NOPs on a PE without FEAT_PAuth. Unallocated hints are NOPs by rule. */
A64_EXEC(HINT)
{
    return A64_NEXT;
}

A64_EXEC(CLREX)
{
    cpu->excl_open = false;
    return A64_NEXT;
}

/* DSB, DMB, ISB, SB (and SSBB/PSSBB, DSB forms): ordering on one in-order PE. */
A64_EXEC(BARRIER)
{
    return A64_NEXT;
}

/* ---- MSR (immediate): PSTATE fields; d->op = op1:op2, d->crm = imm ------ */

#define PSTATE_CFINV   (0 << 3 | 0) /* FEAT_FlagM: invert PSTATE.C */
#define PSTATE_UAO     (0 << 3 | 3)
#define PSTATE_PAN     (0 << 3 | 4)
#define PSTATE_SPSEL   (0 << 3 | 5)
#define PSTATE_TCO     (3 << 3 | 4)
#define PSTATE_DAIFSET (3 << 3 | 6)
#define PSTATE_DAIFCLR (3 << 3 | 7)

A64_EXEC(MSR_imm)
{
    bool el0 = cpu->el == 0;
    switch (d->op) {
    case PSTATE_CFINV:
        if (d->crm != 0)
            break;
        cpu->c ^= 1;
        return A64_NEXT;
    case PSTATE_DAIFSET:
    case PSTATE_DAIFCLR:
        if (el0 && !(cpu->sysreg[SR_SCTLR_EL1] & SCTLR_UMA)) {
            unsigned key = A64_SYSREG_KEY(0, d->op >> 3, 4, d->crm, d->op & 7);
            return a64_trap_sysreg(cpu, key, 31, false);
        }
        if (d->op == PSTATE_DAIFSET)
            cpu->daif |= d->crm;
        else
            cpu->daif &= ~(unsigned)d->crm;
        return A64_NEXT;
    case PSTATE_SPSEL:
        if (el0)
            return a64_undefined(cpu);
        cpu->spsel = d->crm & 1;
        return A64_NEXT;
    case PSTATE_PAN: {
        if (el0)
            return a64_undefined(cpu);
        unsigned old_pan = cpu->pan;
        cpu->pan = d->crm & 1;
        a64_pstate_changed(cpu, cpu->el, old_pan);
        return A64_NEXT;
    }
    case PSTATE_UAO:
        if (el0)
            return a64_undefined(cpu);
        cpu->uao = d->crm & 1;
        return A64_NEXT;
    case PSTATE_TCO: /* allowed at EL0 too */ cpu->tco = d->crm & 1; return A64_NEXT;
    }
    return a64_undefined(cpu); /* SSBS, DIT, ...: not implemented */
}

/* ---- SYS: DC, IC, TLBI ---------------------------------------------------- */

enum sys_kind {
    DC_ZVA,  /* zero a DCZID_EL0 block */
    DC_GVA,  /* set the tags of a block */
    DC_GZVA, /* zero a block and set its tags */
    DC_VA,   /* clean and/or invalidate by VA: translate only */
    DC_IVA,  /* invalidate by VA: needs write permission; EL1 only */
    DC_SW,   /* by set/way: no address; EL1 only */
    IC_IVAU, /* invalidate instructions by VA to PoU */
    IC_ALL,  /* invalidate all instructions; EL1 only */
};

/* How EL0 may use an operation: never, if SCTLR_EL1.UCI, if SCTLR_EL1.DZE. */
enum { SYS_EL1, SYS_UCI, SYS_DZE };

struct sys_op {
    uint16_t key;
    uint8_t kind;
    uint8_t el0;
};

/* clang-format off */
#define S(op1, crm, op2, kind, el0) {A64_SYSREG_KEY(1, op1, 7, crm, op2), kind, el0}
/* clang-format on */
static const struct sys_op sys_ops[] = {
    S(0, 1, 0, IC_ALL, SYS_EL1),  /* IC IALLUIS */
    S(0, 5, 0, IC_ALL, SYS_EL1),  /* IC IALLU */
    S(3, 5, 1, IC_IVAU, SYS_UCI), /* IC IVAU */
    S(0, 6, 1, DC_IVA, SYS_EL1),  /* DC IVAC */
    S(0, 6, 3, DC_IVA, SYS_EL1),  /* DC IGVAC */
    S(0, 6, 5, DC_IVA, SYS_EL1),  /* DC IGDVAC */
    S(0, 6, 2, DC_SW, SYS_EL1),   /* DC ISW */
    S(0, 10, 2, DC_SW, SYS_EL1),  /* DC CSW */
    S(0, 14, 2, DC_SW, SYS_EL1),  /* DC CISW */
    S(3, 4, 1, DC_ZVA, SYS_DZE),  /* DC ZVA */
    S(3, 4, 3, DC_GVA, SYS_DZE),  /* DC GVA */
    S(3, 4, 4, DC_GZVA, SYS_DZE), /* DC GZVA */
    S(3, 10, 1, DC_VA, SYS_UCI),  /* DC CVAC */
    S(3, 10, 3, DC_VA, SYS_UCI),  /* DC CGVAC */
    S(3, 10, 5, DC_VA, SYS_UCI),  /* DC CGDVAC */
    S(3, 11, 1, DC_VA, SYS_UCI),  /* DC CVAU */
    S(3, 12, 1, DC_VA, SYS_UCI),  /* DC CVAP */
    S(3, 12, 3, DC_VA, SYS_UCI),  /* DC CGVAP */
    S(3, 12, 5, DC_VA, SYS_UCI),  /* DC CGDVAP */
    S(3, 13, 1, DC_VA, SYS_UCI),  /* DC CVADP */
    S(3, 13, 3, DC_VA, SYS_UCI),  /* DC CGVADP */
    S(3, 13, 5, DC_VA, SYS_UCI),  /* DC CGDVADP */
    S(3, 14, 1, DC_VA, SYS_UCI),  /* DC CIVAC */
    S(3, 14, 3, DC_VA, SYS_UCI),  /* DC CIGVAC */
    S(3, 14, 5, DC_VA, SYS_UCI),  /* DC CIGDVAC */
};
#undef S

/* DC ZVA / GVA / GZVA on the DCZID_EL0-sized block holding Xt. */
static enum a64_flow dc_zero_tag(struct a64_cpu *cpu, uint64_t xt, bool zero, bool tags)
{
    uint64_t dczid = cpu->sysreg[SR_DCZID_EL0];
    if (dczid & (1u << 4)) /* DZP: prohibited */
        return a64_undefined(cpu);
    unsigned size = a64_dczva_size(cpu);
    uint64_t addr = xt & ~(uint64_t)(size - 1);
    if (zero) {
        static const uint8_t zeros[A64_DCZVA_MAX];
        if (!a64_write(cpu, addr, zeros, size, 0))
            return A64_EXCEPTION;
    }
    if (tags && a64_tag_access_enabled(cpu)) {
        uint8_t tag = (xt >> 56) & 0xf;
        for (unsigned off = 0; off < size; off += MTE_GRANULE_SIZE)
            if (!a64_tag_write(cpu, addr + off, tag))
                return A64_EXCEPTION;
    }
    return A64_NEXT;
}

/*
 * TLB maintenance for the EL1&0 regime: TLBI <op>{IS,OS}, op0 = 1, op1 = 0,
 * CRn = 8, CRm = 3 (Inner Shareable), 1 (Outer Shareable, FEAT_TLBIOS) or
 * 7 (local); op2 selects the operation (ArmARM C5.5, "TLB maintenance
 * instructions"). On one PE the shareable forms have the local scope. Xt
 * carries VA[55:12] in bits 43:0 and the ASID in 63:48; the TLB model
 * applies the scope (by VA, by ASID, global entries spared or not). The
 * range forms (FEAT_TLBIRANGE, CRm = 2, 5, 6) and the other encodings are
 * not implemented: UNDEFINED. Every TLBI also drops the host-pointer
 * caches, which hold translations too.
 */
static enum a64_flow tlbi(struct a64_cpu *cpu, unsigned key, uint64_t xt)
{
    unsigned crm = (key >> 3) & 15, op2 = key & 7;
    enum mmu_tlbi_op op;
    if (crm != 1 && crm != 3 && crm != 7)
        return a64_undefined(cpu);
    switch (op2) {
    case 0: op = MMU_TLBI_VMALLE1; break;
    case 1: op = MMU_TLBI_VAE1; break;
    case 2: op = MMU_TLBI_ASIDE1; break;
    case 3: op = MMU_TLBI_VAAE1; break;
    case 5: op = MMU_TLBI_VALE1; break;
    case 7: op = MMU_TLBI_VAALE1; break;
    default: return a64_undefined(cpu);
    }
    mmu_tlb_a64_tlbi(cpu->mmu, op, xt, cpu->sysreg[SR_TCR_EL1]);
    a64_tlb_flush(cpu);
    if (RASIM_TRACE_ON && cpu->tracer) {
        static const char *const names[] = {
            [MMU_TLBI_VMALLE1] = "vmalle1", [MMU_TLBI_VAE1] = "vae1",
            [MMU_TLBI_ASIDE1] = "aside1",   [MMU_TLBI_VAAE1] = "vaae1",
            [MMU_TLBI_VALE1] = "vale1",     [MMU_TLBI_VAALE1] = "vaale1"};
        static const char *const domain[16] = {[1] = "os", [3] = "is", [7] = ""};
        char text[96];
        if (op == MMU_TLBI_VMALLE1)
            snprintf(text, sizeof(text), "tlbi %s%s", names[op], domain[crm]);
        else
            snprintf(text, sizeof(text), "tlbi %s%s va=0x%llx asid=%u", names[op], domain[crm],
                     (unsigned long long)((xt & 0xfffffffffffull) << 12), (unsigned)(xt >> 48));
        cpu->tracer->tlbi(cpu->tracer->ctx, text);
    }
    return A64_NEXT;
}

A64_EXEC(SYS)
{
    unsigned key = (unsigned)d->imm2;
    unsigned op1 = (key >> 11) & 7, crn = (key >> 7) & 15;
    uint64_t xt = a64_x(cpu, d->rt);

    if (crn == 8 && op1 == 0) {
        if (cpu->el == 0)
            return a64_undefined(cpu);
        return tlbi(cpu, key, xt);
    }
    const struct sys_op *op = NULL;
    for (size_t i = 0; i < sizeof(sys_ops) / sizeof(sys_ops[0]); i++)
        if (sys_ops[i].key == key)
            op = &sys_ops[i];
    if (!op)
        return a64_undefined(cpu); /* AT, other SYS: not modelled */

    if (cpu->el == 0) {
        uint64_t sctlr = cpu->sysreg[SR_SCTLR_EL1];
        if (op->el0 == SYS_EL1)
            return a64_undefined(cpu);
        if ((op->el0 == SYS_UCI && !(sctlr & SCTLR_UCI)) ||
            (op->el0 == SYS_DZE && !(sctlr & SCTLR_DZE)))
            return a64_trap_sysreg(cpu, key, d->rt, false);
    }

    uint64_t pa;
    switch (op->kind) {
    case DC_ZVA: return dc_zero_tag(cpu, xt, true, false);
    case DC_GVA: return dc_zero_tag(cpu, xt, false, true);
    case DC_GZVA: return dc_zero_tag(cpu, xt, true, true);
    case DC_VA:
        if (!a64_translate(cpu, xt, A64_ACC_CM, &pa))
            return A64_EXCEPTION;
        return A64_NEXT;
    case DC_IVA:
        if (!a64_translate(cpu, xt, A64_ACC_CM | A64_ACC_WRITE, &pa))
            return A64_EXCEPTION;
        return A64_NEXT;
    case DC_SW: return A64_NEXT;
    case IC_IVAU: {
        if (!a64_translate(cpu, xt, A64_ACC_CM, &pa))
            return A64_EXCEPTION;
        uint64_t line = 4ull << (cpu->sysreg[SR_CTR_EL0] & 0xf); /* IminLine, in words */
        a64_code_invalidate(cpu, pa & ~(line - 1), line);
        return A64_NEXT;
    }
    case IC_ALL: a64_code_invalidate_all(cpu); return A64_NEXT;
    }
    return a64_undefined(cpu);
}
