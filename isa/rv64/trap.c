/*
 * trap.c - raising exceptions, trap entry (with medeleg/mideleg delegation
 * to S-mode) and interrupt selection ("Machine Trap Delegation", "Machine
 * Cause" and "Machine Interrupt" sections of the privileged spec).
 *
 * When the mode a trap goes to has no vector installed (its tvec is 0), the
 * trap is not taken: the run stops with ISA_STOP_EXCEPTION and the PC left
 * at the trapping instruction, so sim/'s kernel model can do what Linux's
 * handler would.
 */
#include "isa/rv64/cpu.h"

#include <string.h>

uint64_t rv64_raise(struct rv64_cpu *cpu, uint64_t cause, uint64_t tval)
{
    cpu->events |= RV64_EV_TRAP;
    cpu->trap_cause = cause;
    cpu->trap_tval = tval;
    cpu->trap_pa_valid = false;
    return 0; /* the next pc of a trapping instruction is never used */
}

void rv64_clear_reservation(struct rv64_cpu *cpu)
{
    cpu->resv_start = cpu->resv_end = 0;
}

/* The mode a trap goes to: M unless delegated, and never to a lower mode
 * than the current one. */
static enum rv64_priv target_mode(const struct rv64_cpu *cpu, uint64_t cause)
{
    uint64_t code = cause & ~CAUSE_INTERRUPT;
    uint64_t deleg = (cause & CAUSE_INTERRUPT) ? cpu->csr[CSR_MIDELEG] : cpu->csr[CSR_MEDELEG];
    if (cpu->priv <= RV64_PRIV_S && code < 64 && ((deleg >> code) & 1))
        return RV64_PRIV_S;
    return RV64_PRIV_M;
}

static void fill_stop(const struct rv64_cpu *cpu, uint64_t cause, uint64_t tval, uint64_t epc,
                      enum rv64_priv target, struct isa_stop *stop)
{
    struct isa_exception *e = &stop->exc;
    memset(e, 0, sizeof(*e));
    e->pc = epc;
    e->syndrome = cause;
    e->addr = tval;
    e->addr_valid = true;
    e->pa = cpu->trap_pa;
    e->pa_valid = cpu->trap_pa_valid;
    e->target_el = target;
    stop->reason = ISA_STOP_EXCEPTION;
    stop->pc = epc;
}

bool rv64_take_trap(struct rv64_cpu *cpu, uint64_t cause, uint64_t tval, uint64_t epc,
                    struct isa_stop *stop)
{
    enum rv64_priv target = target_mode(cpu, cause);
    uint64_t tvec = cpu->csr[target == RV64_PRIV_S ? CSR_STVEC : CSR_MTVEC];
    /* A trap breaks an LR reservation, taken or not: Linux's trap path
     * would clear it too. */
    rv64_clear_reservation(cpu);
    if (tvec == 0) {
        fill_stop(cpu, cause, tval, epc, target, stop);
        return false;
    }
    uint64_t *status = &cpu->csr[CSR_MSTATUS];
    uint64_t s = *status;
    if (target == RV64_PRIV_S) {
        cpu->csr[CSR_SEPC] = epc;
        cpu->csr[CSR_SCAUSE] = cause;
        cpu->csr[CSR_STVAL] = tval;
        s = (s & ~MSTATUS_SPIE) | ((s & MSTATUS_SIE) ? MSTATUS_SPIE : 0);
        s = (s & ~MSTATUS_SPP) | (cpu->priv == RV64_PRIV_S ? MSTATUS_SPP : 0);
        s &= ~MSTATUS_SIE;
    } else {
        cpu->csr[CSR_MEPC] = epc;
        cpu->csr[CSR_MCAUSE] = cause;
        cpu->csr[CSR_MTVAL] = tval;
        s = (s & ~MSTATUS_MPIE) | ((s & MSTATUS_MIE) ? MSTATUS_MPIE : 0);
        s = (s & ~MSTATUS_MPP) | ((uint64_t)cpu->priv << MSTATUS_MPP_SHIFT);
        s &= ~MSTATUS_MIE;
    }
    *status = s;
    if (RASIM_TRACE_ON && cpu->tracer) {
        struct isa_stop seen;
        fill_stop(cpu, cause, tval, epc, target, &seen);
        cpu->tracer->exception(cpu->tracer->ctx, &seen.exc);
    }
    rv64_set_priv(cpu, target);
    /* Vectored mode (tvec[1:0] = 1) applies to interrupts only. */
    uint64_t base = tvec & ~3ull;
    if ((tvec & 3) == 1 && (cause & CAUSE_INTERRUPT))
        base += 4 * (cause & ~CAUSE_INTERRUPT);
    cpu->pc = base;
    cpu->events |= RV64_EV_IRQ;
    return true;
}

uint64_t rv64_pending_interrupt(const struct rv64_cpu *cpu)
{
    uint64_t pending = cpu->csr[CSR_MIP] & cpu->csr[CSR_MIE];
    if (!pending)
        return 0;
    uint64_t status = cpu->csr[CSR_MSTATUS];
    uint64_t deleg = cpu->csr[CSR_MIDELEG];
    /* Interrupts for M are enabled below M, or in M with MIE; delegated ones
     * below S, or in S with SIE (never in M). */
    bool m_on = cpu->priv < RV64_PRIV_M || (status & MSTATUS_MIE);
    bool s_on = cpu->priv < RV64_PRIV_S || (cpu->priv == RV64_PRIV_S && (status & MSTATUS_SIE));
    uint64_t take = m_on ? pending & ~deleg : 0;
    if (!take && s_on)
        take = pending & deleg;
    if (!take)
        return 0;
    /* Priority: MEI, MSI, MTI, SEI, SSI, STI. */
    static const unsigned order[] = {IRQ_MEI, IRQ_MSI, IRQ_MTI, IRQ_SEI, IRQ_SSI, IRQ_STI};
    for (unsigned i = 0; i < sizeof(order) / sizeof(order[0]); i++)
        if (take & (1ull << order[i]))
            return CAUSE_INTERRUPT | order[i];
    return 0;
}
