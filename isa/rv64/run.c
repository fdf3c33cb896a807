/*
 * run.c - the RV64 run loop: fetch, decode, execute, and traps.
 *
 * Until the RV64 decoder lands every fetched instruction is outside the
 * implemented subset, which the privileged spec answers with an
 * illegal-instruction exception (cause 2, stval = the instruction bits).
 */
#include "isa/rv64/cpu.h"

#include <string.h>

#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS     1
#define CAUSE_ILLEGAL_INSN     2

static void trap(struct rv64_cpu *cpu, struct isa_stop *stop, uint64_t cause, uint64_t tval)
{
    struct isa_exception *e = &stop->exc;
    memset(e, 0, sizeof(*e));
    e->pc = cpu->pc;
    e->syndrome = cause;
    e->addr = tval;
    e->addr_valid = true;
    e->target_el = cpu->priv == RV64_PRIV_M ? RV64_PRIV_M : RV64_PRIV_S;
    stop->reason = ISA_STOP_EXCEPTION;
    stop->pc = cpu->pc;
}

void rv64_run(struct rv64_cpu *cpu, uint64_t max_insns, uint64_t sentinel, struct isa_stop *stop)
{
    memset(stop, 0, sizeof(*stop));
    for (;;) {
        if (cpu->pc == sentinel) {
            stop->reason = ISA_STOP_RETURNED;
            stop->pc = cpu->pc;
            return;
        }
        if (stop->insns >= max_insns) {
            stop->reason = ISA_STOP_BUDGET;
            stop->pc = cpu->pc;
            return;
        }
        if (cpu->pc & 1) {
            trap(cpu, stop, CAUSE_MISALIGNED_FETCH, cpu->pc);
            return;
        }
        /* Fetch 16 bits first: a compressed instruction at the end of
         * memory must not fault on bytes it does not have. */
        uint64_t lo, hi = 0;
        struct phys_fault fault;
        if (phys_load(cpu->pm, cpu->pc, 2, &lo, 0, &fault) != PHYS_OK ||
            ((lo & 3) == 3 && phys_load(cpu->pm, cpu->pc + 2, 2, &hi, 0, &fault) != PHYS_OK)) {
            trap(cpu, stop, CAUSE_FETCH_ACCESS, fault.pa == cpu->pc ? cpu->pc : cpu->pc + 2);
            stop->exc.pa = fault.pa;
            stop->exc.pa_valid = true;
            return;
        }
        uint32_t insn = (lo & 3) == 3 ? (uint32_t)(lo | hi << 16) : (uint32_t)lo;
        /* No instruction is implemented yet: every encoding is illegal. */
        trap(cpu, stop, CAUSE_ILLEGAL_INSN, insn);
        stop->exc.insn = insn;
        stop->exc.insn_valid = true;
        return;
    }
}
