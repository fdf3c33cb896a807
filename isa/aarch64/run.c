/*
 * run.c - the AArch64 run loop: fetch (through the decoded-code cache),
 * execute, and take exceptions.
 *
 * Per instruction the loop costs the sentinel and budget compares, the
 * fetch-page compare, one load and compare to validate the decoded slot,
 * and an indirect call. Tracing and stepping live outside (DESIGN.md 3).
 */
#include "isa/aarch64/codecache.h"
#include "isa/aarch64/exception.h"
#include "isa/aarch64/mem.h"

#include <string.h>

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
        steps++;
        if (tracer && tracer->stop_after) {
            stop->reason = ISA_STOP_BREAKPOINT; /* a watchpoint, after the access */
            break;
        }
        const struct a64_insn *d = a64_fetch(cpu);
        if (tracer && d && tracer->insn(tracer->ctx, cpu->pc, d->raw, 4)) {
            stop->reason = ISA_STOP_BREAKPOINT;
            break;
        }
        enum a64_flow flow;
        if (!d)
            flow = A64_EXCEPTION;
        else if (cpu->il) /* after an illegal exception return */
            flow = a64_raise(cpu, EC_ILLEGAL_STATE, 0);
        else
            flow = d->exec(cpu, d);
        if (flow == A64_NEXT) {
            cpu->pc += 4;
            retired++;
        } else if (flow == A64_BRANCH) {
            retired++;
        } else {
            /* SVC completes before its exception: it counts as retired. */
            bool completed = cpu->exc.ret != cpu->pc;
            if (a64_take_exception(cpu, stop, d)) {
                stop->insns = retired;
                return;
            }
            retired += completed;
        }
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
