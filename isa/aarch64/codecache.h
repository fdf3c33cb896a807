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

/* The hot path: PC in the current fetch page, host-readable, and the slot
 * still holding the word now in memory. */
static inline const struct a64_insn *a64_fetch(struct a64_cpu *cpu)
{
    uint64_t pc = cpu->pc;
    if (pc >> PHYS_PAGE_SHIFT == cpu->fetch_vpage && cpu->fetch_host && !(pc & 3)) {
        uint32_t word;
        memcpy(&word, cpu->fetch_host + (pc & PHYS_PAGE_MASK), 4);
        const struct a64_insn *slot = &cpu->fetch_slots[(pc & PHYS_PAGE_MASK) >> 2];
        if (slot->raw == word && slot->exec != trans_UNDECODED)
            return slot;
    }
    return a64_fetch_slow(cpu);
}

/* Forget decoded instructions: [pa, pa+len) (IC IVAU), or all (IC IALLU). */
void a64_code_invalidate(struct a64_cpu *cpu, uint64_t pa, uint64_t len);
void a64_code_invalidate_all(struct a64_cpu *cpu);
void a64_code_free(struct a64_cpu *cpu);

#endif
