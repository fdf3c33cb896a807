/*
 * run.c - the RV64 run loop: fetch a decoded instruction and run it as the
 * start of a chain (exec.h: the instructions after it in the same page run
 * without coming back here), then deal with what the chain left in
 * cpu->events (an exception, an HTIF exit, a change that may unmask an
 * interrupt). The loop's checks - the return sentinel, interrupts, the
 * budget - are made where a chain starts; inside one, control transfers
 * check the sentinel, instructions that may unmask an interrupt end it,
 * and its length is the budget left, so counts stay exact.
 */
#include "isa/rv64/icache.h"

#include <string.h>

/* The longest chain: bounds the call depth where the executors' calls to
 * the next one are not turned into jumps (unoptimised builds). */
#define RV64_CHAIN_MAX 256

static void stop_with(struct isa_stop *stop, enum isa_stop_reason reason, uint64_t pc)
{
    stop->reason = reason;
    stop->pc = pc;
}

/* Take the exception the instruction at pc raised (insn_valid: it was
 * fetched, and its executor left its bits in trap_bits). Returns false
 * when the run must stop. */
static bool exception(struct rv64_cpu *cpu, bool insn_valid, uint64_t pc, struct isa_stop *stop)
{
    cpu->events &= ~RV64_EV_TRAP;
    if (rv64_take_trap(cpu, cpu->trap_cause, cpu->trap_tval, pc, stop))
        return true;
    if (insn_valid) {
        stop->exc.insn = cpu->trap_bits;
        stop->exc.insn_valid = true;
    }
    return false;
}

/* At an instruction boundary, take the interrupt that is pending and
 * enabled, if any. Returns false when the run must stop. */
static bool interrupts(struct rv64_cpu *cpu, struct isa_stop *stop)
{
    cpu->events &= ~RV64_EV_IRQ;
    uint64_t cause = rv64_pending_interrupt(cpu);
    if (!cause)
        return true;
    cpu->trap_pa_valid = false;
    return rv64_take_trap(cpu, cause, 0, cpu->pc, stop);
}

/* The loop, instantiated twice: untraced (no tracer test per instruction)
 * and traced (the tracer sees each instruction and may stop the run: every
 * chain is one instruction long). */
static inline __attribute__((always_inline)) void loop(struct rv64_cpu *cpu, uint64_t max_insns,
                                                       uint64_t sentinel, struct isa_stop *stop,
                                                       struct isa_tracer *const tracer)
{
    uint64_t steps = 0; /* instructions attempted: retired or trapping */
    for (;;) {
        uint64_t pc = cpu->pc;
        if (pc == sentinel) {
            stop_with(stop, ISA_STOP_RETURNED, pc);
            break;
        }
        if (unlikely(cpu->events & RV64_EV_IRQ)) {
            if (!interrupts(cpu, stop))
                break;
            if (cpu->pc != pc)
                continue; /* now at the handler: check the sentinel again */
        }
        if (steps >= max_insns) {
            stop_with(stop, ISA_STOP_BUDGET, pc);
            break;
        }
        bool single = tracer != NULL;
        const struct rv64_insn *d = rv64_fetch(cpu, pc, &single);
        uint64_t npc = pc;
        if (likely(d)) {
            if (tracer && tracer->insn(tracer->ctx, pc, d->bits, d->len)) {
                stop_with(stop, ISA_STOP_BREAKPOINT, pc);
                break;
            }
            uint64_t left = max_insns - steps;
            uint64_t n = single ? 1 : left < RV64_CHAIN_MAX ? left : RV64_CHAIN_MAX;
            cpu->chain_len = n;
            cpu->events &= ~RV64_EV_SYNC;
            npc = d->exec(cpu, d, pc, n);
            uint64_t retired = n - cpu->chain;
            cpu->chain = cpu->chain_len = 0;
            cpu->retired += retired;
            steps += retired;
        }
        if (unlikely(cpu->events & RV64_EV_TRAP)) {
            /* At npc: a failed fetch (d NULL), or the instruction whose
             * executor returned TRAPPED. A run that stops there (no
             * vector) leaves the CPU at that instruction. */
            steps++;
            cpu->pc = npc;
            if (!exception(cpu, d != NULL, npc, stop))
                break;
            if (tracer && tracer->stop_after) {
                stop_with(stop, ISA_STOP_BREAKPOINT, cpu->pc);
                break;
            }
            continue;
        }
        cpu->pc = npc;
        if (unlikely(cpu->events & RV64_EV_EXIT)) {
            cpu->events &= ~RV64_EV_EXIT;
            stop_with(stop, ISA_STOP_EXIT, npc);
            stop->exit_code = cpu->exit_code;
            break;
        }
        if (tracer && tracer->stop_after) {
            stop_with(stop, ISA_STOP_BREAKPOINT, npc);
            break;
        }
    }
}

void rv64_run(struct rv64_cpu *cpu, uint64_t max_insns, uint64_t sentinel, struct isa_stop *stop)
{
    memset(stop, 0, sizeof(*stop));
    const uint64_t start = cpu->retired;
    /* Memory, registers and the PC may have been changed by the host since
     * the last run: re-check the caches, and whether an interrupt is due.
     * Memory whose generation moved between runs was restored from a
     * snapshot, re-flagged or re-declared: walks cached before describe
     * other tables, so the TLB starts empty (always allowed: a TLB may drop
     * any entry). Within a run only sfence.vma (and the TLB's own
     * replacement) drops entries. */
    if (phys_generation(cpu->pm) != cpu->generation)
        mmu_tlb_flush_all(cpu->tlb);
    rv64_mem_sync(cpu);
    cpu->sentinel = sentinel;
    rv64_xlate_update(cpu);
    rv64_ic_forget(cpu);
    cpu->events = RV64_EV_IRQ;
    if (RASIM_TRACE_ON && cpu->tracer) {
        cpu->tracer->stop_after = false;
        loop(cpu, max_insns, sentinel, stop, cpu->tracer);
        cpu->tracer->stop_after = false;
    } else {
        loop(cpu, max_insns, sentinel, stop, NULL);
    }
    stop->insns = cpu->retired - start;
}
