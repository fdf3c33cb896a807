/*
 * isa.h - what both interpreters report to sim/ when a run stops.
 *
 * The interpreters know memory (mmu/) and their architecture, never sim/:
 * when an exception is taken and the guest has installed no vector table,
 * they stop with ISA_STOP_EXCEPTION and a full architectural record, and
 * sim/'s kernel model decides what Linux would do with it.
 */
#ifndef RASIM_ISA_H
#define RASIM_ISA_H

#include <stdbool.h>
#include <stdint.h>

enum isa_stop_reason {
    ISA_STOP_RETURNED,   /* PC reached the caller's sentinel return address */
    ISA_STOP_BUDGET,     /* instruction budget exhausted */
    ISA_STOP_EXCEPTION,  /* exception with no guest vector to take it */
    ISA_STOP_BREAKPOINT, /* PC hit a breakpoint */
    ISA_STOP_EXIT,       /* guest asked to end the run (HTIF tohost) */
};

/* An exception as the architecture reports it. */
struct isa_exception {
    uint64_t pc;   /* preferred return address (ELR / sepc) */
    uint32_t insn; /* the instruction word, when it was fetched */
    bool insn_valid;
    uint64_t syndrome; /* arm64: ESR_ELx;  rv64: scause */
    uint64_t addr;     /* arm64: FAR_ELx;  rv64: stval */
    bool addr_valid;   /* arm64: !FnV */
    uint64_t pa;       /* physical address of a memory fault, when known */
    bool pa_valid;
    unsigned target_el; /* arm64: EL taken to; rv64: privilege mode taken to */
};

struct isa_stop {
    enum isa_stop_reason reason;
    uint64_t pc;              /* PC at the stop */
    uint64_t insns;           /* instructions retired by this run call */
    struct isa_exception exc; /* valid for ISA_STOP_EXCEPTION */
    uint64_t exit_code;       /* valid for ISA_STOP_EXIT */
};

/*
 * Tracing. sim/ attaches a tracer for traces, the stepper, gdb,
 * breakpoints and watchpoints. While one is attached the run loop takes its
 * traced path and host-pointer fast paths are bypassed, so every data
 * access reaches the slow path that reports it; detached, none of this
 * code runs (no per-instruction cost).
 *
 * A build configured with RASIM_TRACING=OFF has none of it: RASIM_TRACE_ON
 * is 0 there (a compile definition, 1 by default), every test of a tracer
 * is written `RASIM_TRACE_ON && cpu->tracer` and folds away, the traced
 * loops are never instantiated, and sim/ refuses to attach a tracer. It
 * exists to measure what having tracing compiled in costs (tests/bench).
 */
#ifndef RASIM_TRACE_ON
#define RASIM_TRACE_ON 1
#endif
struct mmu_result;

struct isa_mem_access {
    uint64_t va, pa; /* pa: of the first byte */
    unsigned size;   /* bytes (64 for a cache-block zero) */
    uint64_t value;  /* as the instruction saw it (the old value, for a read of an AMO) */
    bool write;
    bool tag; /* an MTE allocation-tag access: value is the tag(s) */
};

struct isa_tracer {
    void *ctx;
    /* The instruction at pc (its encoding, 2 or 4 bytes) is about to
     * execute. true stops the run before it does (a breakpoint). */
    bool (*insn)(void *ctx, uint64_t pc, uint32_t word, unsigned size);
    /* A data or tag access that was performed. */
    void (*mem)(void *ctx, const struct isa_mem_access *a);
    /* A translation that walked the tables (a TLB miss), or faulted. */
    void (*walk)(void *ctx, const struct mmu_result *r, bool fetch, bool write);
    /* A TLB invalidation, as text ("tlbi vae1is, x0 (va 0x..., asid 1)"). */
    void (*tlbi)(void *ctx, const char *text);
    /* An exception taken to a guest vector. (One that stops the run is
     * in the stop.) */
    void (*exception)(void *ctx, const struct isa_exception *e);
    /* Set by the callbacks: end the run after the current instruction with
     * ISA_STOP_BREAKPOINT (a watchpoint hit). The run loop clears it. */
    bool stop_after;
    /* The tracer looks at data accesses (reports them, walks, watchpoints):
     * every one goes through the TLB model and reaches mem(), as no page
     * gets a host pointer. Without, data accesses take the host-pointer
     * path untraced runs take (so the TLB model sees what it sees then).
     * Changing it takes set_tracer again, which empties the host TLB. */
    bool every_access;
};

#endif
