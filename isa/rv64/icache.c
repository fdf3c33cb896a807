/*
 * icache.c - the decoded-instruction cache (see icache.h for how code
 * writes are noticed) and the slow path of instruction fetch.
 *
 * RV64_ICACHE_PAGES page tables, direct-mapped by a hash of the physical
 * page number and allocated on first use (64 KiB each: 2048 slots of 32
 * bytes). A decoded slot is a pure function of the bits it holds, and every
 * use checks those bits against memory, so a table taken over by another
 * page needs no clearing: slots whose bits still match stay right.
 */
#include "isa/rv64/icache.h"

#include <stdio.h>
#include <stdlib.h>

static struct rv64_code_page *page_for(struct rv64_cpu *cpu, uint64_t pfn)
{
    /* Fibonacci hashing: pages a power of two apart (kernel text and a
     * module, say) do not all land in one entry. */
    size_t index = (size_t)((pfn * 0x9E3779B97F4A7C15ull) >> 58) % RV64_ICACHE_PAGES;
    struct rv64_code_page **entry = &cpu->icache[index];
    struct rv64_code_page *pg = *entry;
    if (pg && pg->pfn == pfn)
        return pg;
    if (!pg) {
        pg = calloc(1, sizeof(*pg));
        if (!pg) {
            fprintf(stderr, "rasim: out of host memory\n");
            abort();
        }
        *entry = pg;
    }
    pg->pfn = pfn;
    pg->host = NULL;
    pg->host_known = false;
    return pg;
}

void rv64_icache_flush(struct rv64_cpu *cpu)
{
    for (unsigned i = 0; i < RV64_ICACHE_PAGES; i++)
        if (cpu->icache[i]) {
            memset(cpu->icache[i]->slot, 0, sizeof(cpu->icache[i]->slot));
            cpu->icache[i]->pfn = RV64_NO_PAGE;
        }
    cpu->ic_last = NULL;
}

void rv64_icache_forget_hosts(struct rv64_cpu *cpu)
{
    for (unsigned i = 0; i < RV64_ICACHE_PAGES; i++)
        if (cpu->icache[i]) {
            cpu->icache[i]->host = NULL;
            cpu->icache[i]->host_known = false;
        }
    cpu->ic_last = NULL;
}

void rv64_icache_free(struct rv64_cpu *cpu)
{
    for (unsigned i = 0; i < RV64_ICACHE_PAGES; i++) {
        free(cpu->icache[i]);
        cpu->icache[i] = NULL;
    }
    cpu->ic_last = NULL;
}

/* Fetch 16 bits at pa (VA va), raising an instruction access fault that
 * names va when there is nothing there. */
static bool fetch16(struct rv64_cpu *cpu, uint64_t va, uint64_t pa, uint32_t *half)
{
    uint64_t v;
    struct phys_fault f;
    enum phys_status st = phys_load(cpu->pm, pa, 2, &v, PHYS_FETCH, &f);
    rv64_mem_sync(cpu);
    if (st != PHYS_OK) {
        rv64_raise(cpu, CAUSE_FETCH_ACCESS, va);
        cpu->trap_pa = f.pa;
        cpu->trap_pa_valid = true;
        return false;
    }
    *half = (uint32_t)v;
    return true;
}

const struct rv64_insn *rv64_fetch_slow(struct rv64_cpu *cpu, uint64_t pc)
{
    if (pc & 1) {
        rv64_raise(cpu, CAUSE_MISALIGNED_FETCH, pc);
        return NULL;
    }
    rv64_mem_sync(cpu);
    /* Fetch translation is bare, like data (mem.c): pa = va. */
    uint64_t pa = pc;
    struct rv64_code_page *pg = page_for(cpu, pa >> PHYS_PAGE_SHIFT);
    if (!pg->host_known) {
        pg->host = phys_page_host(cpu->pm, pa, false);
        pg->host_known = true;
    }
    uint64_t off = pa & PHYS_PAGE_MASK;
    uint32_t raw, hi;
    /* Read 16 bits first: a compressed instruction at the end of memory
     * must not fault on bytes it does not have. */
    if (pg->host)
        raw = (uint32_t)pg->host[off] | (uint32_t)pg->host[off + 1] << 8;
    else if (!fetch16(cpu, pc, pa, &raw))
        return NULL;
    if ((raw & 3) == 3) {
        if (pg->host && off + 4 <= PHYS_PAGE_SIZE)
            hi = (uint32_t)pg->host[off + 2] | (uint32_t)pg->host[off + 3] << 8;
        else if (!fetch16(cpu, pc + 2, pa + 2, &hi))
            return NULL;
        raw |= hi << 16;
    }
    /* fetch16 may have moved the generation and dropped ic_last; the page
     * table itself stays valid. */
    cpu->ic_last = pg;
    cpu->ic_vpn = pc >> PHYS_PAGE_SHIFT;
    struct rv64_insn *d = &pg->slot[off >> 1];
    if (!d->exec || d->bits != raw)
        rv64_decode(raw, d);
    return d;
}
