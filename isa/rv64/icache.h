/*
 * icache.h - instruction fetch through the decoded-instruction cache.
 *
 * Decoded instructions live in per-physical-page tables with one slot per
 * 2 bytes (an instruction can start at any even address). Each slot keeps
 * the raw bits it was decoded from, and every fetch compares them with the
 * bytes now in memory: a load and a compare, after which the slot is used
 * or decoded again. That is how writes to code (self-modifying code, a
 * loader, the host writing through rasim_write_phys, a snapshot restore)
 * are noticed, without a write barrier on code pages and without taking
 * the physical access hook, which is a single slot that RAS needs.
 */
#ifndef RASIM_RV64_ICACHE_H
#define RASIM_RV64_ICACHE_H

#include <string.h>

#include "isa/rv64/cpu.h"

/* The decoded instruction at pc, or NULL after raising a fetch exception. */
const struct rv64_insn *rv64_fetch_slow(struct rv64_cpu *cpu, uint64_t pc);

static inline const struct rv64_insn *rv64_fetch(struct rv64_cpu *cpu, uint64_t pc)
{
    const struct rv64_code_page *pg = cpu->ic_last;
    uint64_t off = pc & PHYS_PAGE_MASK;
    /* Fast path: same page as the last fetch, plain memory, and the whole
     * 4-byte window inside the page. */
    if (likely(pg && cpu->ic_vpn == pc >> PHYS_PAGE_SHIFT && pg->host &&
               off <= PHYS_PAGE_SIZE - 4)) {
        uint32_t raw;
        memcpy(&raw, pg->host + off, 4);
        if ((raw & 3) != 3)
            raw &= 0xffff;
        const struct rv64_insn *d = &pg->slot[off >> 1];
        if (likely(d->exec && d->bits == raw))
            return d;
    }
    return rv64_fetch_slow(cpu, pc);
}

#endif
