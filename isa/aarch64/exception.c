/*
 * exception.c - synchronous exceptions to EL1 and exception return.
 *
 * Only EL0 and EL1 exist (no EL2/EL3), all in AArch64, so every exception
 * targets EL1 and the vector offset depends only on where it came from
 * (Arm ARM D1.3.2): current EL with SP_EL0 +0x000, current EL with SP_ELx
 * +0x200, lower EL +0x400; synchronous exceptions are at +0 within those.
 */
#include "isa/aarch64/exception.h"
#include "isa/aarch64/mem.h"

#include <string.h>

enum a64_flow a64_raise(struct a64_cpu *cpu, unsigned ec, uint32_t iss)
{
    struct a64_pending *e = &cpu->exc;
    memset(e, 0, sizeof(*e));
    e->esr = (uint64_t)ec << 26 | ESR_IL | iss;
    e->ret = cpu->pc;
    return A64_EXCEPTION;
}

enum a64_flow a64_undefined(struct a64_cpu *cpu)
{
    return a64_raise(cpu, EC_UNKNOWN, 0);
}

enum a64_flow a64_raise_abort(struct a64_cpu *cpu, unsigned ec, uint32_t iss, uint64_t far,
                              const uint64_t *pa)
{
    a64_raise(cpu, ec, iss);
    cpu->exc.far = far;
    cpu->exc.far_valid = true;
    if (pa) {
        cpu->exc.pa = *pa;
        cpu->exc.pa_valid = true;
    }
    return A64_EXCEPTION;
}

/* ISS for EC 0x18: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10],
 * Rt [9:5], CRm [4:1], Direction [0] (1 = read, MRS). */
enum a64_flow a64_trap_sysreg(struct a64_cpu *cpu, unsigned key, unsigned rt, bool read)
{
    unsigned op0 = (key >> 14) & 3, op1 = (key >> 11) & 7, crn = (key >> 7) & 15;
    unsigned crm = (key >> 3) & 15, op2 = key & 7;
    uint32_t iss = op0 << 20 | op2 << 17 | op1 << 14 | crn << 10 | rt << 5 | crm << 1 | read;
    return a64_raise(cpu, EC_SYS64, iss);
}

uint64_t a64_pstate_to_spsr(const struct a64_cpu *cpu)
{
    return (uint64_t)cpu->n << 31 | (uint64_t)cpu->z << 30 | (uint64_t)cpu->c << 29 |
           (uint64_t)cpu->v << 28 | (uint64_t)cpu->tco << 25 | (uint64_t)cpu->uao << 23 |
           (uint64_t)cpu->pan << 22 | (uint64_t)cpu->il << 20 | (uint64_t)cpu->daif << 6 |
           (uint64_t)cpu->el << 2 | cpu->spsel;
}

/* Take cpu->exc to the vector at `kind` within the group the current EL and
 * SPSel select (0: synchronous, 0x180: SError). */
static bool take(struct a64_cpu *cpu, struct isa_stop *stop, const struct a64_insn *d,
                 uint64_t kind);

bool a64_take_exception(struct a64_cpu *cpu, struct isa_stop *stop, const struct a64_insn *d)
{
    return take(cpu, stop, d, 0);
}

enum a64_serror a64_take_serror(struct a64_cpu *cpu, uint64_t esr, struct isa_stop *stop)
{
    if (cpu->daif & 4) /* PSTATE.A (DAIF bit 2 here: D A I F in bits 3..0) */
        return A64_SERROR_MASKED;
    /* An interrupt: the instruction at PC has not run and is where to
     * return; FAR is not written. */
    cpu->exc = (struct a64_pending){.esr = esr, .ret = cpu->pc};
    memset(stop, 0, sizeof(*stop));
    return take(cpu, stop, NULL, 0x180) ? A64_SERROR_NO_VECTOR : A64_SERROR_TAKEN;
}

static bool take(struct a64_cpu *cpu, struct isa_stop *stop, const struct a64_insn *d,
                 uint64_t kind)
{
    const struct a64_pending *e = &cpu->exc;
    uint64_t vbar = cpu->sysreg[SR_VBAR_EL1];

    if (vbar == 0) {
        /* No guest vector table: hand the record to sim/ untouched. */
        struct isa_exception *x = &stop->exc;
        memset(x, 0, sizeof(*x));
        x->pc = e->ret;
        x->syndrome = e->esr;
        x->addr = e->far;
        x->addr_valid = e->far_valid;
        x->pa = e->pa;
        x->pa_valid = e->pa_valid;
        x->target_el = 1;
        if (d) {
            x->insn = d->raw;
            x->insn_valid = true;
        }
        stop->reason = ISA_STOP_EXCEPTION;
        stop->pc = cpu->pc;
        return true;
    }

    if (RASIM_TRACE_ON && cpu->tracer) {
        const struct isa_exception x = {.pc = e->ret,
                                        .syndrome = e->esr,
                                        .addr = e->far,
                                        .addr_valid = e->far_valid,
                                        .pa = e->pa,
                                        .pa_valid = e->pa_valid,
                                        .target_el = 1};
        cpu->tracer->exception(cpu->tracer->ctx, &x);
    }
    unsigned old_el = cpu->el, old_pan = cpu->pan;
    uint64_t offset = cpu->el == 0 ? 0x400 : cpu->spsel ? 0x200 : 0x000;
    cpu->sysreg[SR_SPSR_EL1] = a64_pstate_to_spsr(cpu);
    cpu->sysreg[SR_ELR_EL1] = e->ret;
    cpu->sysreg[SR_ESR_EL1] = e->esr;
    if (e->far_valid)
        cpu->sysreg[SR_FAR_EL1] = e->far;
    /* AArch64.TakeException: EL1h, DAIF masked, IL and UAO cleared, TCO set,
     * PAN set unless SCTLR_EL1.SPAN says to leave it. */
    cpu->el = 1;
    cpu->spsel = 1;
    cpu->daif = 0xf;
    cpu->il = 0;
    cpu->uao = 0;
    cpu->tco = 1;
    if (!(cpu->sysreg[SR_SCTLR_EL1] & SCTLR_SPAN))
        cpu->pan = 1;
    /* Whether taking an exception clears the local monitor is IMPLEMENTATION
     * DEFINED; we clear it, as ERET must. */
    cpu->excl_open = false;
    a64_pstate_changed(cpu, old_el, old_pan);
    cpu->pc = (vbar & ~0x7ffull) + offset + kind;
    return false;
}

/* ERET: PSTATE from SPSR_EL1, PC from ELR_EL1. A return to EL2/EL3 (not
 * modelled), to AArch32, or to EL0 with SP_EL1 is an illegal exception
 * return: EL and SP stay, PSTATE.IL is set, and the next instruction
 * takes an Illegal Execution state exception. */
A64_EXEC(ERET)
{
    if (cpu->el == 0)
        return a64_undefined(cpu);
    uint64_t spsr = cpu->sysreg[SR_SPSR_EL1];
    unsigned m = spsr & 0x1f;
    unsigned old_el = cpu->el, old_pan = cpu->pan;
    bool legal = m == 0x0 || m == 0x4 || m == 0x5;
    cpu->n = (spsr >> 31) & 1;
    cpu->z = (spsr >> 30) & 1;
    cpu->c = (spsr >> 29) & 1;
    cpu->v = (spsr >> 28) & 1;
    cpu->tco = (spsr >> 25) & 1;
    cpu->uao = (spsr >> 23) & 1;
    cpu->pan = (spsr >> 22) & 1;
    cpu->daif = (spsr >> 6) & 0xf;
    if (legal) {
        cpu->il = (spsr >> 20) & 1;
        cpu->el = m >> 2;
        cpu->spsel = m & 1;
    } else {
        cpu->il = 1;
    }
    cpu->excl_open = false;
    a64_pstate_changed(cpu, old_el, old_pan);
    cpu->pc = cpu->sysreg[SR_ELR_EL1];
    return A64_BRANCH;
}
