/*
 * icache.h - instruction fetch through the decoded-instruction cache.
 *
 * Decoded instructions live in per-physical-page tables with one slot per
 * 2 bytes (an instruction can start at any even address). They stay right
 * because every write to a page that has them is seen (icache.c), so a
 * fetch from the page of the last fetch is a compare and a load, and the
 * instructions after it run as a chain without fetching at all (exec.h).
 */
#ifndef RASIM_RV64_ICACHE_H
#define RASIM_RV64_ICACHE_H

#include "isa/rv64/cpu.h"

/* The decoded instruction at pc, or NULL after raising a fetch exception.
 * *single is set when it must run on its own, not as the start of a chain:
 * its page is fetched through phys_load (the access hook sees every fetch)
 * or it crosses into the next page. */
const struct rv64_insn *rv64_fetch_slow(struct rv64_cpu *cpu, uint64_t pc, bool *single);

static inline const struct rv64_insn *rv64_fetch(struct rv64_cpu *cpu, uint64_t pc, bool *single)
{
    /* Fast path: an even pc in the page of the last fetch (always plain
     * memory), at a decoded slot. */
    if (likely(cpu->ic_last && (pc & (~PHYS_PAGE_MASK | 1)) == cpu->ic_page)) {
        const struct rv64_insn *d = &cpu->ic_last->slot[(pc & PHYS_PAGE_MASK) >> 1];
        if (likely(d->exec != rv64_exec_fetch))
            return d;
    }
    return rv64_fetch_slow(cpu, pc, single);
}

#endif
