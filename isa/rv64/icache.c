/*
 * icache.c - the decoded-instruction cache and the slow path of
 * instruction fetch.
 *
 * RV64_ICACHE_PAGES page tables, direct-mapped by a hash of the physical
 * page number and allocated on first use (2049 slots of 32 bytes). A
 * table's decoded instructions are trusted without looking at memory again,
 * because every write to its page is seen:
 *
 *   - the page is marked PHYS_PAGE_CODE before its first instruction is
 *     decoded, so it never gets a write host pointer: this hart's stores
 *     to it take mem.c's slow path, which calls rv64_code_written() to drop
 *     the instructions whose bytes changed (self-modifying code, with or
 *     without fence.i);
 *   - every other write to it (the host between runs, a snapshot restore,
 *     a walk's A/D update, HTIF) moves phys_code_generation(), and
 *     rv64_mem_sync() then drops every decoded instruction.
 *
 * Two kinds of fetch do not trust the table: pages without a host pointer
 * (poison, watchpoints: the access hook must see every fetch) are read
 * through phys_load each time and their slots checked against the bits
 * read, and an instruction that crosses into the next page is decoded
 * afresh each time (cpu->fetched), its second half being another page's.
 * Both run alone, never as the start of a chain.
 *
 * fence.i drops every decoded instruction, as the instruction says,
 * although nothing needs it.
 */
#include "isa/rv64/icache.h"

#include <stdio.h>
#include <stdlib.h>

uint64_t rv64_exec_fetch(struct rv64_cpu *cpu, const struct rv64_insn *d, uint64_t pc, uint64_t n)
{
    (void)d;
    cpu->chain = n;
    return pc;
}

static void clear_slots(struct rv64_code_page *pg)
{
    for (size_t i = 0; i < sizeof(pg->slot) / sizeof(pg->slot[0]); i++)
        pg->slot[i].exec = rv64_exec_fetch;
}

static size_t table_index(uint64_t pfn)
{
    /* Fibonacci hashing: pages a power of two apart (kernel text and a
     * module, say) do not all land in one entry. */
    return (size_t)((pfn * 0x9E3779B97F4A7C15ull) >> 58) % RV64_ICACHE_PAGES;
}

static struct rv64_code_page *page_for(struct rv64_cpu *cpu, uint64_t pfn)
{
    struct rv64_code_page **entry = &cpu->icache[table_index(pfn)];
    struct rv64_code_page *pg = *entry;
    if (pg && pg->pfn == pfn)
        return pg;
    if (!pg) {
        pg = malloc(sizeof(*pg));
        if (!pg) {
            fprintf(stderr, "rasim: out of host memory\n");
            abort();
        }
        *entry = pg;
    }
    /* Taken over from another page (which keeps PHYS_PAGE_CODE: clearing
     * it would move the generation for nothing). */
    clear_slots(pg);
    pg->pfn = pfn;
    pg->host = NULL;
    pg->host_known = false;
    return pg;
}

void rv64_icache_flush(struct rv64_cpu *cpu)
{
    for (unsigned i = 0; i < RV64_ICACHE_PAGES; i++)
        if (cpu->icache[i] && cpu->icache[i]->pfn != RV64_NO_PAGE)
            clear_slots(cpu->icache[i]);
    rv64_ic_forget(cpu);
}

void rv64_code_written(struct rv64_cpu *cpu, uint64_t pa, uint64_t len)
{
    uint64_t g = phys_code_generation(cpu->pm);
    if (g == cpu->code_generation)
        return; /* not a page of decoded instructions */
    cpu->code_generation = g;
    uint64_t pfn = pa >> PHYS_PAGE_SHIFT, off = pa & PHYS_PAGE_MASK;
    struct rv64_code_page *pg = cpu->icache[table_index(pfn)];
    if (!pg || pg->pfn != pfn || !len)
        return;
    /* Every instruction holding a written byte: those starting in
     * [off - 2, off + len) (a 32-bit one at off - 2 covers off). */
    uint64_t first = off >= 2 ? (off - 2) / 2 : 0, last = (off + len - 1) / 2;
    if (last >= PHYS_PAGE_SIZE / 2)
        last = PHYS_PAGE_SIZE / 2 - 1;
    for (uint64_t i = first; i <= last; i++)
        pg->slot[i].exec = rv64_exec_fetch;
}

void rv64_icache_forget_hosts(struct rv64_cpu *cpu)
{
    for (unsigned i = 0; i < RV64_ICACHE_PAGES; i++)
        if (cpu->icache[i]) {
            cpu->icache[i]->host = NULL;
            cpu->icache[i]->host_known = false;
        }
    rv64_ic_forget(cpu);
}

void rv64_icache_free(struct rv64_cpu *cpu)
{
    for (unsigned i = 0; i < RV64_ICACHE_PAGES; i++) {
        free(cpu->icache[i]);
        cpu->icache[i] = NULL;
    }
    rv64_ic_forget(cpu);
}

/* The page's host pointer (NULL: fetch through phys_load), looked up once
 * per generation. A page that has one is marked PHYS_PAGE_CODE before any
 * of its slots is trusted; slots decoded before (checked against memory at
 * every fetch while the page had no host pointer) are dropped. */
static const uint8_t *page_host(struct rv64_cpu *cpu, struct rv64_code_page *pg, uint64_t pa)
{
    if (!pg->host_known) {
        const uint8_t *host = phys_page_host(cpu->pm, pa, false);
        if (host && !(phys_page_flags(cpu->pm, pa) & PHYS_PAGE_CODE)) {
            phys_page_set_flags(cpu->pm, pa, PHYS_PAGE_CODE);
            rv64_mem_sync(cpu); /* the generation moved: no write pointer to it is left */
            clear_slots(pg);
        }
        pg->host = host;
        pg->host_known = true;
    }
    return pg->host;
}

/* Fetch 16 bits at pa (VA va), raising an instruction access fault (or,
 * for poison, the hardware error) that names va when that fails. */
static bool fetch16(struct rv64_cpu *cpu, uint64_t va, uint64_t pa, uint32_t *half)
{
    uint64_t v;
    struct phys_fault f;
    enum phys_status st = phys_load(cpu->pm, pa, 2, &v, PHYS_FETCH, &f);
    rv64_mem_sync(cpu);
    if (st != PHYS_OK) {
        rv64_raise(cpu, rv64_phys_fault_cause(cpu, MMU_ACC_FETCH, st), va);
        cpu->trap_pa = f.pa;
        cpu->trap_pa_valid = true;
        return false;
    }
    *half = (uint32_t)v;
    return true;
}

/* The physical address of the instruction bytes at va (even) when fetch
 * translates: from the fetch translations of recent VA pages, or through
 * the TLB; raises the fault (12, 1, 19) with stval = va when there is none.
 * Callers take the flat case (pa = va) themselves, so Bare and M-mode pay
 * one test. */
static bool fetch_pa(struct rv64_cpu *cpu, uint64_t va, uint64_t *pa)
{
    uint64_t vpn = va >> PHYS_PAGE_SHIFT;
    struct rv64_fetch_tlb *e = &cpu->itlb[vpn % RV64_TLB_SIZE];
    if (e->vpn != vpn) {
        uint64_t p;
        if (!rv64_translate(cpu, va, MMU_ACC_FETCH, MMU_ACC_FETCH, va, &p))
            return false;
        rv64_mem_sync(cpu); /* the walk may have consumed transient poison */
        e->vpn = vpn;
        e->ppn = p >> PHYS_PAGE_SHIFT;
    }
    *pa = e->ppn << PHYS_PAGE_SHIFT | (va & PHYS_PAGE_MASK);
    return true;
}

/* Decode raw into d for execution: rd = x0 writes the sink register. */
static void decode(uint32_t raw, struct rv64_insn *d)
{
    rv64_decode(raw, d);
    if (d->rd == 0)
        d->rd = RV64_X_SINK;
}

/* Find (or decode) the instruction at pc from scratch, making its page the
 * last one when it is plain memory. */
static const struct rv64_insn *fetch_page(struct rv64_cpu *cpu, uint64_t pc, bool *single)
{
    if (pc & 1) {
        rv64_raise(cpu, CAUSE_MISALIGNED_FETCH, pc);
        return NULL;
    }
    rv64_mem_sync(cpu);
    uint64_t page = pc & ~PHYS_PAGE_MASK;
    uint64_t pa = pc;
    if (unlikely(!cpu->fetch_flat) && !fetch_pa(cpu, pc, &pa))
        return NULL;
    /* Decoded instructions belong to the physical page; only the way to
     * it (ic_last / ic_page, the itlb) is by VA. */
    struct rv64_code_page *pg = page_for(cpu, pa >> PHYS_PAGE_SHIFT);
    const uint8_t *host = page_host(cpu, pg, pa);
    uint64_t off = pa & PHYS_PAGE_MASK;
    uint32_t raw, hi;
    /* Read 16 bits first: a compressed instruction at the end of memory
     * (or of a mapping) must not fault on bytes it does not have. */
    if (host)
        raw = (uint32_t)host[off] | (uint32_t)host[off + 1] << 8;
    else if (!fetch16(cpu, pc, pa, &raw))
        return NULL;
    bool crosses = false;
    if ((raw & 3) == 3) {
        uint64_t pa2 = pa + 2;
        crosses = off + 4 > PHYS_PAGE_SIZE;
        if (host && !crosses)
            hi = (uint32_t)host[off + 2] | (uint32_t)host[off + 3] << 8;
        /* The upper half on the next VA page translates on its own: a fault
         * there names pc + 2 while sepc stays pc (KERNEL-FACTS 3.1 "stval"). */
        else if ((crosses && !cpu->fetch_flat && !fetch_pa(cpu, pc + 2, &pa2)) ||
                 !fetch16(cpu, pc + 2, pa2, &hi))
            return NULL;
        raw |= hi << 16;
    }
    struct rv64_insn *d = &pg->slot[off >> 1];
    if (crosses) {
        *single = true;
        d = &cpu->fetched[0];
        decode(raw, d);
        return d;
    }
    if (!host) {
        *single = true;
        if (d->exec == rv64_exec_fetch || d->bits != raw)
            decode(raw, d);
        return d;
    }
    /* fetch16 (for a crossing instruction) or page_host may have moved the
     * generation and forgotten the last pages: then there is no previous
     * one to keep. */
    struct rv64_code_page *last = cpu->ic_last;
    if (last && last != pg && cpu->ic_page != page) {
        cpu->ic_prev = last;
        cpu->ic_prev_page = cpu->ic_page;
        cpu->ic_prev_pfn = last->pfn;
    }
    cpu->ic_last = pg;
    cpu->ic_page = page;
    if (d->exec == rv64_exec_fetch)
        decode(raw, d);
    return d;
}

const struct rv64_insn *rv64_fetch_slow(struct rv64_cpu *cpu, uint64_t pc, bool *single)
{
    /* Back to the page fetched before the last one (a return, or the next
     * call between the same two pages): swap it in. Its table must still
     * hold the physical page it was found for. */
    struct rv64_code_page *prev = cpu->ic_prev;
    uint64_t page = pc & ~PHYS_PAGE_MASK;
    if (prev && cpu->ic_prev_page == page && !(pc & 1) && prev->pfn == cpu->ic_prev_pfn) {
        const struct rv64_insn *d = &prev->slot[(pc & PHYS_PAGE_MASK) >> 1];
        if (d->exec != rv64_exec_fetch) {
            cpu->ic_prev = cpu->ic_last;
            cpu->ic_prev_page = cpu->ic_page;
            cpu->ic_prev_pfn = cpu->ic_last ? cpu->ic_last->pfn : RV64_NO_PAGE;
            cpu->ic_last = prev;
            cpu->ic_page = page;
            return d;
        }
    }
    return fetch_page(cpu, pc, single);
}
