/*
 * run.c - the AArch64 run loop: fetch, decode, execute, and exceptions.
 *
 * Until the A64 decoder lands every fetched word is outside the implemented
 * subset, and the architecture's answer to that is the Undefined Instruction
 * exception (EC 0), never a skip.
 */
#include "isa/aarch64/cpu.h"

#include <string.h>

#define EC_UNKNOWN   0x00
#define EC_IABT_LOW  0x20
#define EC_IABT_CUR  0x21
#define EC_PC_ALIGN  0x22
#define ESR_IL       (1u << 25)
#define FSC_SEA      0x10 /* synchronous external abort, not on a walk */

static uint64_t esr(unsigned ec, uint32_t iss)
{
    return (uint64_t)ec << 26 | ESR_IL | iss;
}

static void take(struct a64_cpu *cpu, struct isa_stop *stop, uint64_t syndrome, uint64_t far,
                 bool far_valid)
{
    struct isa_exception *e = &stop->exc;
    memset(e, 0, sizeof(*e));
    e->pc = cpu->pc;
    e->syndrome = syndrome;
    e->addr = far;
    e->addr_valid = far_valid;
    e->target_el = 1;
    stop->reason = ISA_STOP_EXCEPTION;
    stop->pc = cpu->pc;
}

void a64_run(struct a64_cpu *cpu, uint64_t max_insns, uint64_t sentinel, struct isa_stop *stop)
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
        if (cpu->pc & 3) {
            take(cpu, stop, esr(EC_PC_ALIGN, 0), cpu->pc, true);
            return;
        }
        uint64_t word;
        struct phys_fault fault;
        if (phys_load(cpu->pm, cpu->pc, 4, &word, 0, &fault) != PHYS_OK) {
            unsigned ec = cpu->el ? EC_IABT_CUR : EC_IABT_LOW;
            take(cpu, stop, esr(ec, FSC_SEA), cpu->pc, true);
            stop->exc.pa = fault.pa;
            stop->exc.pa_valid = true;
            return;
        }
        /* No instruction is implemented yet: every encoding is unallocated. */
        take(cpu, stop, esr(EC_UNKNOWN, 0), 0, false);
        stop->exc.insn = (uint32_t)word;
        stop->exc.insn_valid = true;
        return;
    }
}
