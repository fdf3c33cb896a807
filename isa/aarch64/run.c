/*
 * run.c - the AArch64 run loop: fetch (through the decoded-code cache),
 * execute, and take exceptions.
 *
 * Untraced, the loop runs straight-line stretches of the fetch page
 * (run_page): the slots of consecutive instructions are consecutive, so
 * it walks them with the PC in a register, and the checks that the simple
 * loop makes per instruction move to where they can change:
 *   - the budget and the return sentinel bound the stretch before it
 *     starts (at most the instructions left, and it stops short of the
 *     sentinel if the sentinel lies ahead in the page), and are checked
 *     again at every branch target, so a run retires exactly the budget
 *     and stops at the sentinel wherever it is reached;
 *   - per instruction there remain the compare of the slot's word with
 *     memory (code rewritten by anyone, see codecache.c), the compare of
 *     the fetch page (dropped by a TLBI, a translation register write, an
 *     EL change, or a phys_generation() move under a hook, all of which
 *     happen inside an executor), and the executor's verdict;
 *   - a taken branch that stays in the page continues the stretch.
 * Anything else (a new page, a fetch through phys_load, an empty or stale
 * slot, an illegal execution state, an exception) goes through the simple
 * loop below for one instruction. The traced instance is the simple loop
 * only, so the tracer sees each instruction before it runs.
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

/* Run from cpu->pc (in the fetch page, host-readable, aligned, not the
 * sentinel) for at most left instructions. Returns the number retired;
 * cpu->pc is the next instruction, or the one that raised. */
static __attribute__((noinline)) uint64_t run_page(struct a64_cpu *cpu, uint64_t left,
                                                   uint64_t sentinel, struct stretch_end *end)
{
    /* The sentinel's offset when it is in this page, else the page's end. */
    uint64_t sentinel_off = PHYS_PAGE_SIZE;
    if (sentinel >> PHYS_PAGE_SHIFT == cpu->fetch_vpage && !(sentinel & 3))
        sentinel_off = sentinel & PHYS_PAGE_MASK;
    uint64_t pc = cpu->pc;
    uint64_t off = pc & PHYS_PAGE_MASK;
    const struct a64_insn *d = cpu->fetch_slots + (off >> 2);
    const uint8_t *word = cpu->fetch_host + off;
    uint64_t budget = left; /* instructions left */
    enum a64_flow flow;
    for (;;) {
        /* A stretch from pc: it stops before the end of the page or the
         * sentinel if it lies ahead (and the budget, counted down). */
        const uint64_t stop = pc - off + (sentinel_off >= off ? sentinel_off : PHYS_PAGE_SIZE);
        if (pc == stop) {
            flow = A64_NEXT; /* at the sentinel */
            goto out;
        }
        for (;;) {
            uint32_t w;
            memcpy(&w, word, 4);
            cpu->pc = pc;
            if (w != d->raw) {
                flow = A64_UNDECODED; /* rewritten, or never decoded */
                goto out;
            }
            flow = d->exec(cpu, d);
            if (flow != A64_NEXT)
                break;
            pc += 4;
            word += 4;
            d++;
            if (--budget == 0 || pc == stop || !cpu->fetch_host) {
                cpu->pc = pc;
                goto out;
            }
        }
        if (flow != A64_BRANCH)
            goto out; /* an exception: not retired here (taking it decides, for SVC) */
        budget--;
        uint64_t to = cpu->pc;
        if ((to ^ pc) >> PHYS_PAGE_SHIFT || (to & 3) || !budget || !cpu->fetch_host || cpu->il)
            goto out;
        /* Same page: move d and word by the distance. */
        int64_t delta = (int64_t)(to - pc);
        d += delta / 4;
        word += delta;
        pc = to;
        off = to & PHYS_PAGE_MASK;
    }
out:
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
    uint64_t retired = 0;
    for (;;) {
        if (cpu->pc == sentinel) {
            stop->reason = ISA_STOP_RETURNED;
            break;
        }
        if (retired >= max_insns) {
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
            retired += run_page(cpu, max_insns - retired, sentinel, &end);
            if (end.flow == A64_NEXT || end.flow == A64_BRANCH)
                continue;
            if (end.flow == A64_EXCEPTION) {
                d = end.d;
                flow = A64_EXCEPTION;
                goto exception;
            }
            /* A64_UNDECODED: one instruction through fetch, below. */
        }
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
    if (cpu->tracer) {
        cpu->tracer->stop_after = false;
        loop(cpu, max_insns, sentinel, stop, cpu->tracer);
        cpu->tracer->stop_after = false;
    } else {
        loop(cpu, max_insns, sentinel, stop, NULL);
    }
}
