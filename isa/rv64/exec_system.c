/*
 * exec_system.c - Zicsr, Zifencei, FENCE, the privileged instructions
 * (ECALL, EBREAK, MRET, SRET, WFI, SFENCE.VMA), Zicbom/Zicboz, and the
 * executor of everything outside the implemented subset.
 */
#include "isa/rv64/exec.h"

#include <stdio.h>

/* clang-format off */ /* one line per instruction, as a table */
INSN(illegal) { return ILLEGAL(); }

/* ---- ordering: one hart sees its own accesses in order ---- */
INSN(fence) { return NEXT; }
/* Writes to pages of decoded instructions drop them (icache.c), so this is
 * not needed for correctness; it is done anyway, as the instruction says.
 * d is one of the slots dropped: NPC is taken first. */
INSN(fence_i) { uint64_t next = NPC; rv64_icache_flush(cpu); return LEAVE(next); }

/* clang-format on */
/* ---- environment calls and breakpoints ---- */
INSN(ecall)
{
    static const uint64_t cause[4] = {CAUSE_USER_ECALL, CAUSE_SUPERVISOR_ECALL, 0,
                                      CAUSE_MACHINE_ECALL};
    return RAISE(cause[cpu->priv], 0);
}
INSN(ebreak)
{
    return RAISE(CAUSE_BREAKPOINT, pc);
}

/* ---- Zicsr: read the old value into rd, write the new one ---- */

/* A CSR instruction that writes (csrrw always; csrrs/csrrc unless the
 * source is x0 or uimm 0) needs write access; every form needs the CSR to
 * exist and be readable at this privilege. */
static uint64_t csr_op(EXEC_PARAMS, bool write, uint64_t (*update)(uint64_t old, uint64_t src),
                       uint64_t src)
{
    unsigned csr = (unsigned)IMM;
    uint64_t old;
    AT_PC();
    COUNT_RETIRED(); /* cycle, instret and time read it */
    if (!rv64_csr_allowed(cpu, csr, write) || !rv64_csr_read(cpu, csr, &old))
        return ILLEGAL();
    if (write && !rv64_csr_write(cpu, csr, update(old, src)))
        return ILLEGAL();
    WRITE_RD(old);
    return LEAVE(NPC);
}

/* clang-format off */ /* one line per instruction, as a table */
static uint64_t csr_set_to(uint64_t old, uint64_t src) { (void)old; return src; }
static uint64_t csr_set_bits(uint64_t old, uint64_t src) { return old | src; }
static uint64_t csr_clear_bits(uint64_t old, uint64_t src) { return old & ~src; }

INSN(csrrw) { return csr_op(EXEC_ARGS, true, csr_set_to, RS1); }
INSN(csrrs) { return csr_op(EXEC_ARGS, d->rs1 != 0, csr_set_bits, RS1); }
INSN(csrrc) { return csr_op(EXEC_ARGS, d->rs1 != 0, csr_clear_bits, RS1); }
INSN(csrrwi) { return csr_op(EXEC_ARGS, true, csr_set_to, d->rs1); }
INSN(csrrsi) { return csr_op(EXEC_ARGS, d->rs1 != 0, csr_set_bits, d->rs1); }
INSN(csrrci) { return csr_op(EXEC_ARGS, d->rs1 != 0, csr_clear_bits, d->rs1); }

/* clang-format on */

/* ---- trap return ---- */

/* MRET: back to MPP with MIE = MPIE; MPIE = 1, MPP = U; leaving M clears
 * MPRV. */
INSN(mret)
{
    if (cpu->priv != RV64_PRIV_M)
        return ILLEGAL();
    uint64_t s = cpu->csr[CSR_MSTATUS];
    enum rv64_priv to = (enum rv64_priv)((s & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
    s = (s & ~MSTATUS_MIE) | ((s & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
    s = (s | MSTATUS_MPIE) & ~MSTATUS_MPP;
    if (to != RV64_PRIV_M)
        s &= ~MSTATUS_MPRV;
    cpu->csr[CSR_MSTATUS] = s;
    rv64_set_priv(cpu, to);
    cpu->events |= RV64_EV_IRQ;
    return LEAVE(cpu->csr[CSR_MEPC]);
}

/* SRET: back to SPP with SIE = SPIE; SPIE = 1, SPP = U. Illegal in U, and
 * in S when mstatus.TSR is set. */
INSN(sret)
{
    uint64_t s = cpu->csr[CSR_MSTATUS];
    if (cpu->priv == RV64_PRIV_U || (cpu->priv == RV64_PRIV_S && (s & MSTATUS_TSR)))
        return ILLEGAL();
    enum rv64_priv to = (s & MSTATUS_SPP) ? RV64_PRIV_S : RV64_PRIV_U;
    s = (s & ~MSTATUS_SIE) | ((s & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
    s = (s | MSTATUS_SPIE) & ~MSTATUS_SPP;
    s &= ~MSTATUS_MPRV; /* SRET always leaves for a mode below M */
    cpu->csr[CSR_MSTATUS] = s;
    rv64_set_priv(cpu, to);
    cpu->events |= RV64_EV_IRQ;
    return LEAVE(cpu->csr[CSR_SEPC]);
}

/* WFI: nothing can wake a hart that has no interrupt sources, and a
 * pending interrupt is taken at the next boundary anyway, so it is a NOP.
 * Illegal in U, and in S when mstatus.TW is set. */
INSN(wfi)
{
    if (cpu->priv == RV64_PRIV_U ||
        (cpu->priv == RV64_PRIV_S && (cpu->csr[CSR_MSTATUS] & MSTATUS_TW)))
        return ILLEGAL();
    return LEAVE(NPC);
}

/* SFENCE.VMA: illegal in U, and in S when mstatus.TVM is set. The TLB
 * drops what rs1 (a VA, when not x0) and rs2 (an ASID, when not x0) select
 * (KERNEL-FACTS 6 "sfence.vma rs1, rs2"); the host-pointer caches, which
 * only stand for TLB entries, are dropped whole. */
INSN(sfence_vma)
{
    if (cpu->priv == RV64_PRIV_U ||
        (cpu->priv == RV64_PRIV_S && (cpu->csr[CSR_MSTATUS] & MSTATUS_TVM)))
        return ILLEGAL();
    AT_PC();
    mmu_tlb_rv64_sfence_vma(cpu->tlb, d->rs1 != 0, RS1, d->rs2 != 0, RS2);
    rv64_host_flush(cpu);
    if (RASIM_TRACE_ON && cpu->tracer) {
        char text[96];
        int at = snprintf(text, sizeof(text), "sfence.vma");
        if (d->rs1)
            at += snprintf(text + at, sizeof(text) - (size_t)at, " va=0x%llx",
                           (unsigned long long)RS1);
        if (d->rs2)
            snprintf(text + at, sizeof(text) - (size_t)at, " asid=%llu",
                     (unsigned long long)(RS2 & 0xffff));
        if (!d->rs1 && !d->rs2)
            snprintf(text + at, sizeof(text) - (size_t)at, " (all)");
        cpu->tracer->tlbi(cpu->tracer->ctx, text);
    }
    return LEAVE(NPC);
}

/* ---- Zicbom / Zicboz ---- */

/* menvcfg/senvcfg fields that enable the CBOs below M. */
#define ENVCFG_CBIE(v)  (((v) >> 4) & 3)
#define ENVCFG_CBCFE(v) (((v) >> 6) & 1)
#define ENVCFG_CBZE(v)  (((v) >> 7) & 1)

/* Allowed in M; in S if menvcfg enables it; in U if senvcfg does too. */
static bool cbo_enabled(const struct rv64_cpu *cpu, unsigned (*field)(uint64_t envcfg))
{
    if (cpu->priv == RV64_PRIV_M)
        return true;
    if (!field(cpu->csr[CSR_MENVCFG]))
        return false;
    return cpu->priv == RV64_PRIV_S || field(cpu->csr[CSR_SENVCFG]);
}

/* clang-format off */ /* one line each */
static unsigned cbie(uint64_t v) { return ENVCFG_CBIE(v); }
static unsigned cbcfe(uint64_t v) { return ENVCFG_CBCFE(v); }
static unsigned cbze(uint64_t v) { return ENVCFG_CBZE(v); }

/* clang-format on */

/* There are no caches: clean, flush and inval only check that the block
 * could be accessed. (CBIE = 01 turns inval into flush; same thing here.) */
INSN(cbo_clean)
{
    if (!cbo_enabled(cpu, cbcfe))
        return ILLEGAL();
    AT_PC();
    return rv64_cbo_check(cpu, RS1) ? CONTINUE : TRAPPED;
}

INSN(cbo_flush)
{
    if (!cbo_enabled(cpu, cbcfe))
        return ILLEGAL();
    AT_PC();
    return rv64_cbo_check(cpu, RS1) ? CONTINUE : TRAPPED;
}

INSN(cbo_inval)
{
    if (!cbo_enabled(cpu, cbie))
        return ILLEGAL();
    AT_PC();
    return rv64_cbo_check(cpu, RS1) ? CONTINUE : TRAPPED;
}

INSN(cbo_zero)
{
    if (!cbo_enabled(cpu, cbze))
        return ILLEGAL();
    AT_PC();
    return rv64_cbo_zero(cpu, RS1) ? CONTINUE : TRAPPED;
}
