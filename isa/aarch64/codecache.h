/*
 * codecache.h - decoded instructions per physical page, and fetch.
 */
#ifndef RASIM_A64_CODECACHE_H
#define RASIM_A64_CODECACHE_H

#include "isa/aarch64/insn.h"

#include <string.h>

/* Fetch and decode the instruction at PC; NULL after raising an exception
 * (PC alignment, instruction abort). */
const struct a64_insn *a64_fetch_slow(struct a64_cpu *cpu);

/* The hot path: PC in the current fetch page, host-readable (so a page of
 * trusted slots, codecache.c), and the slot decoded. */
static inline const struct a64_insn *a64_fetch(struct a64_cpu *cpu)
{
    uint64_t pc = cpu->pc;
    if (pc >> PHYS_PAGE_SHIFT == cpu->fetch_vpage && cpu->fetch_host && !(pc & 3)) {
        const struct a64_insn *slot = &cpu->fetch_slots[(pc & PHYS_PAGE_MASK) >> 2];
        if (slot->exec != trans_UNDECODED)
            return slot;
    }
    return a64_fetch_slow(cpu);
}

/* Forget decoded instructions: [pa, pa+len) (IC IVAU), or all (IC IALLU). */
void a64_code_invalidate(struct a64_cpu *cpu, uint64_t pa, uint64_t len);
void a64_code_invalidate_all(struct a64_cpu *cpu);
/* This PE wrote [pa, pa + len) through phys_write, as all its writes to
 * pages of decoded code go: drop the slots of the words it touched if the
 * write was to such a page (phys_code_generation() moved). Call before
 * a64_caches_sync(), which would drop every slot for it. */
void a64_code_written(struct a64_cpu *cpu, uint64_t pa, uint64_t len);
void a64_code_free(struct a64_cpu *cpu);

#endif
