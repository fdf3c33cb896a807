/*
 * run.c - the AArch64 run loop: fetch (through the decoded-code cache),
 * execute, and take exceptions.
 *
 * Untraced, the loop runs stretches of the fetch page (run_page): the
 * slots of consecutive instructions are consecutive, and the checks the
 * simple loop makes per instruction move to where they can change:
 *   - a stretch is bounded before it starts by the end of the page, the
 *     return sentinel if it lies ahead in the page, and the budget; a
 *     branch target starts a new bound, so a run retires exactly the
 *     budget and stops at the sentinel wherever it is reached;
 *   - per instruction there remain the test that the fetch page is still
 *     the fetch page (it is dropped by a TLBI, a translation register
 *     write, an EL change, an illegal exception return, or a
 *     phys_generation() move under a hook, all of which happen inside an
 *     executor: cpu->chain_end and fetch_host go to NULL), and the
 *     executor's verdict. The slots are trusted, not compared with memory
 *     (codecache.c says why that is safe).
 * Threaded dispatch: within a stretch, specialise.c's executors make those
 * checks themselves and tail-call the next slot's executor, or, for a
 * direct branch taken to the same page, the target's, keeping the bound
 * (cpu->chain_end, chain_lim) as this loop would; they come back here at
 * the end of the stretch, on any other flow, or when the next executor is
 * a general one (which returns here). Every executor entered finds cpu->pc
 * and cpu->chain_d (its slot) set, so general executors, faults and the
 * retired count see exactly what the simple loop gives them.
 * Anything else (a new page, a fetch through phys_load, an empty or stale
 * slot, an illegal execution state, an exception) goes through the simple
 * loop below for one instruction. The traced instance is the simple loop
 * only (cpu->chain_end stays NULL, so no executor runs on by itself), and
 * the tracer sees each instruction before it runs.
 */
#include "isa/aarch64/codecache.h"
#include "isa/aarch64/exception.h"
#include "isa/aarch64/mem.h"

#include <string.h>

/* What a stretch ended with: the flow of its last executor (A64_NEXT when
 * it ran out of instructions, page or budget), and that executor's slot. */
struct stretch_end {
    enum a64_flow flow;
    const struct a64_insn *d;
};

/* At most this many instructions run without returning to run_page: a
 * bound on the depth of the executors' tail calls should a compiler not
 * turn them into jumps. */
#define CHAIN_MAX 4096

/* Run from cpu->pc (in the fetch page, host-readable, aligned, not the
 * sentinel) for at most left instructions. Returns the number retired;
 * cpu->pc is the next instruction, or the one that raised. */
static __attribute__((noinline)) uint64_t run_page(struct a64_cpu *cpu, uint64_t left,
                                                   uint64_t sentinel, struct stretch_end *end)
{
    const uint64_t base = cpu->pc & ~PHYS_PAGE_MASK;
    const struct a64_insn *const slots = cpu->fetch_slots;
    /* Where a stretch must stop: the end of the page, or the sentinel when
     * it is in the page at or after the stretch's start. */
    const struct a64_insn *const page_end = slots + (PHYS_PAGE_SIZE >> 2);
    cpu->chain_sentinel = (sentinel & ~PHYS_PAGE_MASK) == base && !(sentinel & 3)
                              ? slots + ((sentinel & PHYS_PAGE_MASK) >> 2)
                              : page_end;
    const struct a64_insn *d = slots + ((cpu->pc & PHYS_PAGE_MASK) >> 2);
    uint64_t budget = left; /* instructions left */
    enum a64_flow flow;
    for (;;) {
        /* A stretch from d to the page's end, the sentinel or the end of
         * the budget, whichever comes first. Executors run on by
         * themselves, through branches in the page too, keeping chain_*
         * (cpu.h) as this loop would. */
        const struct a64_insn *stop = d <= cpu->chain_sentinel ? cpu->chain_sentinel : page_end;
        const uint64_t cap = budget < CHAIN_MAX ? budget : CHAIN_MAX;
        if (cap < (uint64_t)(stop - d))
            stop = d + cap;
        if (d == stop) {
            flow = A64_NEXT; /* at the sentinel */
            goto out;
        }
        /* Retired in the stretch, when it ends at slot e: the slots from
         * first to e, less what the taken branches jumped over (they moved
         * chain_lim by as much). */
        const struct a64_insn *const first = d;
        const uintptr_t lim = (uintptr_t)(d + cap);
        cpu->chain_lim = lim;
        cpu->chain_end = stop;
        for (;;) {
            /* The slot is trusted (codecache.c); an empty one (never
             * decoded, or its word rewritten) returns A64_UNDECODED. */
            cpu->pc = base + d->off;
            cpu->chain_d = d;
            flow = d->exec(cpu, d);
            d = cpu->chain_d; /* the last slot run */
            if (flow != A64_NEXT)
                break;
            d++;
            if ((uintptr_t)d >= (uintptr_t)cpu->chain_end || !cpu->fetch_host) {
                /* The end of the stretch (or the fetch page was dropped). */
                budget -= ((uintptr_t)d - (uintptr_t)first - (cpu->chain_lim - lim)) / sizeof(*d);
                cpu->pc = base + ((uint64_t)(d - slots) << 2);
                goto out;
            }
        }
        /* Retired: up to d, with d itself unless it raised (counted below). */
        budget -= ((uintptr_t)d - (uintptr_t)first - (cpu->chain_lim - lim)) / sizeof(*d);
        uint64_t to;
        if (flow == A64_TAKEN) {
            to = cpu->pc + d->imm;
            cpu->pc = to;
            flow = A64_BRANCH;
        } else if (flow == A64_BRANCH) {
            to = cpu->pc;
        } else {
            goto out; /* not retired: an exception (taking it decides, for SVC) */
        }
        /* A taken branch to an aligned PC in the same page continues, if
         * the page is still the fetch page (an ERET to an illegal state, an
         * EL change or a flush drops it). */
        if (--budget == 0 || ((to ^ base) & ~(uint64_t)(PHYS_PAGE_MASK & ~3u)) || !cpu->fetch_host)
            goto out;
        d = slots + ((to & PHYS_PAGE_MASK) >> 2);
    }
out:
    cpu->chain_end = NULL;
    end->flow = flow;
    end->d = d;
    return left - budget;
}

/* The loop, instantiated twice: untraced (no tracer test per instruction)
 * and traced (the tracer sees each instruction and may stop the run). */
static inline __attribute__((always_inline)) void loop(struct a64_cpu *cpu, uint64_t max_insns,
                                                       uint64_t sentinel, struct isa_stop *stop,
                                                       struct isa_tracer *const tracer)
{
    /* The budget counts steps: instructions retired and exceptions taken,
     * so a vector that faults itself (an exception loop that retires
     * nothing) still ends the run, as on RV64. */
    uint64_t retired = 0, steps = 0;
    for (;;) {
        if (cpu->pc == sentinel) {
            stop->reason = ISA_STOP_RETURNED;
            break;
        }
        if (steps >= max_insns) {
            stop->reason = ISA_STOP_BUDGET;
            break;
        }
        if (tracer && tracer->stop_after) {
            stop->reason = ISA_STOP_BREAKPOINT; /* a watchpoint, after the access */
            break;
        }
        const struct a64_insn *d;
        enum a64_flow flow;
        uint64_t pc = cpu->pc;
        if (!tracer && pc >> PHYS_PAGE_SHIFT == cpu->fetch_vpage && cpu->fetch_host && !(pc & 3) &&
            !cpu->il) {
            struct stretch_end end;
            const uint64_t n = run_page(cpu, max_insns - steps, sentinel, &end);
            retired += n;
            steps += n;
            if (end.flow == A64_NEXT || end.flow == A64_BRANCH)
                continue;
            if (end.flow == A64_EXCEPTION) {
                steps++; /* the exception is a step of its own */
                d = end.d;
                flow = A64_EXCEPTION;
                goto exception;
            }
            /* A64_UNDECODED: one instruction through fetch, below. */
            if (steps >= max_insns)
                continue; /* the budget check above ends the run */
        }
        steps++;
        d = a64_fetch(cpu);
        if (tracer && d && tracer->insn(tracer->ctx, cpu->pc, d->raw, 4)) {
            stop->reason = ISA_STOP_BREAKPOINT;
            break;
        }
        if (!d)
            flow = A64_EXCEPTION;
        else if (cpu->il) /* after an illegal exception return */
            flow = a64_raise(cpu, EC_ILLEGAL_STATE, 0);
        else
            flow = d->exec(cpu, d);
        if (flow == A64_NEXT) {
            cpu->pc += 4;
            retired++;
            continue;
        }
        if (flow == A64_TAKEN) {
            cpu->pc += d->imm;
            retired++;
            continue;
        }
        if (flow == A64_BRANCH) {
            retired++;
            continue;
        }
    exception:;
        /* SVC completes before its exception: it counts as retired. */
        bool completed = cpu->exc.ret != cpu->pc;
        if (a64_take_exception(cpu, stop, d)) {
            stop->insns = retired;
            return;
        }
        retired += completed;
    }
    stop->pc = cpu->pc;
    stop->insns = retired;
}

void a64_run(struct a64_cpu *cpu, uint64_t max_insns, uint64_t sentinel, struct isa_stop *stop)
{
    memset(stop, 0, sizeof(*stop));
    a64_caches_sync(cpu); /* memory may have changed since the last run */
    if (RASIM_TRACE_ON && cpu->tracer) {
        cpu->tracer->stop_after = false;
        loop(cpu, max_insns, sentinel, stop, cpu->tracer);
        cpu->tracer->stop_after = false;
    } else {
        loop(cpu, max_insns, sentinel, stop, NULL);
    }
}
