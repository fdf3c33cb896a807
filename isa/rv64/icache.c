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
    rv64_ic_forget(cpu);
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

/* Find (or decode) the instruction at pc from scratch, making its page the
 * last one. */
static const struct rv64_insn *fetch_page(struct rv64_cpu *cpu, uint64_t pc)
{
    if (pc & 1) {
        rv64_raise(cpu, CAUSE_MISALIGNED_FETCH, pc);
        return NULL;
    }
    rv64_mem_sync(cpu);
    uint64_t vpn = pc >> PHYS_PAGE_SHIFT;
    /* The last page becomes the previous one, as it is now (page_for may
     * hand its table to another page). */
    struct rv64_code_page *last = cpu->ic_last;
    uint64_t last_vpn = cpu->ic_vpn, last_pfn = last ? last->pfn : RV64_NO_PAGE;
    uint64_t pa = pc;
    if (unlikely(!cpu->fetch_flat) && !fetch_pa(cpu, pc, &pa))
        return NULL;
    /* Decoded instructions belong to the physical page; only the way to
     * it (ic_last / ic_vpn, the itlb) is by VA. */
    struct rv64_code_page *pg = page_for(cpu, pa >> PHYS_PAGE_SHIFT);
    if (!pg->host_known) {
        pg->host = phys_page_host(cpu->pm, pa, false);
        pg->host_known = true;
    }
    uint64_t off = pa & PHYS_PAGE_MASK;
    uint32_t raw, hi;
    /* Read 16 bits first: a compressed instruction at the end of memory
     * (or of a mapping) must not fault on bytes it does not have. */
    if (pg->host)
        raw = (uint32_t)pg->host[off] | (uint32_t)pg->host[off + 1] << 8;
    else if (!fetch16(cpu, pc, pa, &raw))
        return NULL;
    if ((raw & 3) == 3) {
        uint64_t pa2 = pa + 2;
        if (pg->host && off + 4 <= PHYS_PAGE_SIZE)
            hi = (uint32_t)pg->host[off + 2] | (uint32_t)pg->host[off + 3] << 8;
        /* The upper half on the next VA page translates on its own: a fault
         * there names pc + 2 while sepc stays pc (KERNEL-FACTS 3.1 "stval"). */
        else if ((off + 4 > PHYS_PAGE_SIZE && !cpu->fetch_flat && !fetch_pa(cpu, pc + 2, &pa2)) ||
                 !fetch16(cpu, pc + 2, pa2, &hi))
            return NULL;
        raw |= hi << 16;
    }
    /* fetch16 may have moved the generation and dropped ic_last (then the
     * last page is not kept either); the page table itself stays valid. */
    if (last && cpu->ic_last == last && last_vpn != vpn) {
        cpu->ic_prev = last;
        cpu->ic_prev_vpn = last_vpn;
        cpu->ic_prev_pfn = last_pfn;
    }
    cpu->ic_last = pg;
    cpu->ic_vpn = vpn;
    struct rv64_insn *d = &pg->slot[off >> 1];
    if (!d->exec || d->bits != raw)
        rv64_decode(raw, d);
    return d;
}

const struct rv64_insn *rv64_fetch_slow(struct rv64_cpu *cpu, uint64_t pc)
{
    /* Back to the page fetched before the last one (a return, or the next
     * call between the same two pages): swap it in, under the fast path's
     * conditions and with the same trust in its host pointer (the caches
     * are in step with memory at every instruction boundary). Its table
     * must still hold the physical page it was found for. */
    struct rv64_code_page *prev = cpu->ic_prev;
    uint64_t vpn = pc >> PHYS_PAGE_SHIFT, off = pc & PHYS_PAGE_MASK;
    if (prev && cpu->ic_prev_vpn == vpn && !(pc & 1) && prev->pfn == cpu->ic_prev_pfn &&
        prev->host && off <= PHYS_PAGE_SIZE - 4) {
        uint32_t raw;
        memcpy(&raw, prev->host + off, 4);
        if ((raw & 3) != 3)
            raw &= 0xffff;
        const struct rv64_insn *d = &prev->slot[off >> 1];
        if (d->exec && d->bits == raw) {
            cpu->ic_prev = cpu->ic_last;
            cpu->ic_prev_vpn = cpu->ic_vpn;
            cpu->ic_prev_pfn = cpu->ic_last ? cpu->ic_last->pfn : RV64_NO_PAGE;
            cpu->ic_last = prev;
            cpu->ic_vpn = vpn;
            return d;
        }
    }
    return fetch_page(cpu, pc);
}
