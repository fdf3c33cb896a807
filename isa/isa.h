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

#endif
