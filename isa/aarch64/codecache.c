/*
 * codecache.c - decode once: decoded instructions per 4 KiB physical page,
 * and the instruction fetch that uses them.
 *
 * Each page has 1024 slots, one per instruction location, each keeping the
 * word it was decoded from. The slots of a page with a host pointer are
 * trusted without looking at memory again, because every write to the page
 * is seen:
 *   - the page is marked PHYS_PAGE_CODE before its first slot is trusted
 *     (slots decoded before are dropped), so it never gets a write host
 *     pointer: this PE's stores to it take mem.c's slow path, which calls
 *     a64_code_written() to drop the slots of the words written
 *     (self-modifying code, with or without IC IVAU);
 *   - every other write to it (the host between runs, a snapshot restore,
 *     a walk's AF/dirty update) moves phys_code_generation(), and
 *     a64_caches_sync() then drops every slot.
 * A page without a host pointer (poison, watchpoints: the access hook must
 * see every fetch) is read through phys_load at each fetch, and its slot
 * checked against the word read. The access hook itself is not used for
 * this: it has a single slot, and RAS (poison) needs it.
 *
 * Decoding depends on the word and the slot's place in the page alone
 * (never on PSTATE or system registers), so a slot never goes stale for
 * any other reason. IC IVAU and IC IALLU still drop slots
 * (a64_code_invalidate), as the instructions say, although nothing needs it.
 */
#include "isa/aarch64/codecache.h"
#include "isa/aarch64/mem.h"
#include "isa/aarch64/ras_record.h"

#include <stdio.h>
#include <stdlib.h>

#define SLOTS_PER_PAGE (PHYS_PAGE_SIZE / 4)

struct a64_code_page {
    struct a64_insn slot[SLOTS_PER_PAGE]; /* first: 64-byte aligned, a line each */
    uint64_t ppage;                       /* PA >> 12 */
};

/* Open addressing on the physical page number; pages are never removed. */
struct a64_code_cache {
    struct a64_code_page **bucket;
    size_t nbuckets; /* power of two, at most half full */
    size_t count;
};

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p) {
        fprintf(stderr, "rasim: out of host memory\n");
        abort();
    }
    return p;
}

static size_t hash(uint64_t ppage, size_t nbuckets)
{
    return (size_t)((ppage * 0x9E3779B97F4A7C15ull) >> 17) & (nbuckets - 1);
}

static struct a64_code_cache *cache_new(void)
{
    struct a64_code_cache *c = xcalloc(1, sizeof(*c));
    c->nbuckets = 64;
    c->bucket = xcalloc(c->nbuckets, sizeof(*c->bucket));
    return c;
}

void a64_code_free(struct a64_cpu *cpu)
{
    struct a64_code_cache *c = cpu->code;
    if (!c)
        return;
    for (size_t i = 0; i < c->nbuckets; i++)
        free(c->bucket[i]);
    free(c->bucket);
    free(c);
    cpu->code = NULL;
}

static struct a64_code_page *lookup(struct a64_code_cache *c, uint64_t ppage)
{
    for (size_t i = hash(ppage, c->nbuckets);; i = (i + 1) & (c->nbuckets - 1)) {
        struct a64_code_page *p = c->bucket[i];
        if (!p || p->ppage == ppage)
            return p;
    }
}

static void insert(struct a64_code_cache *c, struct a64_code_page *page)
{
    size_t i = hash(page->ppage, c->nbuckets);
    while (c->bucket[i])
        i = (i + 1) & (c->nbuckets - 1);
    c->bucket[i] = page;
}

static struct a64_code_page *page_get(struct a64_cpu *cpu, uint64_t ppage)
{
    if (!cpu->code)
        cpu->code = cache_new();
    struct a64_code_cache *c = cpu->code;
    struct a64_code_page *page = lookup(c, ppage);
    if (page)
        return page;
    if ((c->count + 1) * 2 > c->nbuckets) {
        struct a64_code_page **old = c->bucket;
        size_t n = c->nbuckets;
        c->nbuckets *= 2;
        c->bucket = xcalloc(c->nbuckets, sizeof(*c->bucket));
        for (size_t i = 0; i < n; i++)
            if (old[i])
                insert(c, old[i]);
        free(old);
    }
    size_t size = (sizeof(*page) + 63) & ~(size_t)63; /* aligned_alloc wants a multiple */
    page = aligned_alloc(64, size);
    if (!page) {
        fprintf(stderr, "rasim: out of host memory\n");
        abort();
    }
    memset(page, 0, size);
    page->ppage = ppage;
    for (size_t i = 0; i < SLOTS_PER_PAGE; i++) {
        page->slot[i].exec = trans_UNDECODED;
        page->slot[i].off = (uint16_t)(i * 4);
    }
    insert(c, page);
    c->count++;
    return page;
}

void a64_code_invalidate(struct a64_cpu *cpu, uint64_t pa, uint64_t len)
{
    if (!cpu->code)
        return;
    for (uint64_t at = pa & ~3ull; at < pa + len; at += 4) {
        struct a64_code_page *page = lookup(cpu->code, at >> PHYS_PAGE_SHIFT);
        if (page)
            page->slot[(at & PHYS_PAGE_MASK) >> 2].exec = trans_UNDECODED;
    }
}

void a64_code_written(struct a64_cpu *cpu, uint64_t pa, uint64_t len)
{
    uint64_t gen = phys_code_generation(cpu->pm);
    if (gen == cpu->code_gen)
        return; /* not a page of decoded code */
    cpu->code_gen = gen;
    a64_code_invalidate(cpu, pa, len);
}

void a64_code_invalidate_all(struct a64_cpu *cpu)
{
    struct a64_code_cache *c = cpu->code;
    if (!c)
        return;
    for (size_t i = 0; i < c->nbuckets; i++)
        if (c->bucket[i])
            for (size_t s = 0; s < SLOTS_PER_PAGE; s++)
                c->bucket[i]->slot[s].exec = trans_UNDECODED;
}

A64_EXEC(UNDECODED)
{
    (void)cpu;
    (void)d;
    return A64_UNDECODED;
}

/* Read the word at PC through the physical memory API, so that an access
 * hook (poison on instruction fetch) sees every fetch from a hooked page,
 * as a fetch. */
static bool fetch_slow(struct a64_cpu *cpu, uint64_t pa, uint32_t *word)
{
    uint64_t v;
    struct phys_fault f;
    enum phys_status st = phys_load(cpu->pm, pa, 4, &v, PHYS_FETCH, &f);
    a64_caches_sync(cpu);
    if (st != PHYS_OK) {
        unsigned ec = cpu->el ? EC_IABT_CUR : EC_IABT_LOW;
        if (st == PHYS_CHECK_FAILED)
            a64_err_record_poison(cpu, f.pa);
        a64_raise_abort(cpu, ec, FSC_SEA | a64_sea_set_bits(cpu, FSC_SEA), cpu->pc, &f.pa);
        return false;
    }
    *word = (uint32_t)v;
    return true;
}

const struct a64_insn *a64_fetch_slow(struct a64_cpu *cpu)
{
    uint64_t pc = cpu->pc;
    if (pc & 3) {
        a64_raise_abort(cpu, EC_PC_ALIGN, 0, pc, NULL);
        return NULL;
    }
    uint64_t pa;
    uint32_t word;
    if (pc >> PHYS_PAGE_SHIFT != cpu->fetch_vpage) {
        if (!a64_translate(cpu, pc, A64_ACC_FETCH, &pa))
            return NULL;
        const uint8_t *host = phys_page_host(cpu->pm, pa, false);
        /* Read the word before creating a page of slots, so a fetch from
         * absent memory faults without leaving a page behind. */
        if (!host && !fetch_slow(cpu, pa, &word))
            return NULL;
        struct a64_code_page *page = page_get(cpu, pa >> PHYS_PAGE_SHIFT);
        if (host && !(phys_page_flags(cpu->pm, pa) & PHYS_PAGE_CODE)) {
            /* About to be trusted: no write host pointer may remain, and
             * what was decoded while the page was not watched may be stale. */
            phys_page_set_flags(cpu->pm, pa, PHYS_PAGE_CODE);
            a64_caches_sync(cpu); /* the generation moved: the host TLB is emptied */
            for (size_t i = 0; i < SLOTS_PER_PAGE; i++)
                page->slot[i].exec = trans_UNDECODED;
        }
        cpu->fetch_vpage = pc >> PHYS_PAGE_SHIFT;
        cpu->fetch_ppage = pa >> PHYS_PAGE_SHIFT;
        cpu->fetch_host = host;
        cpu->fetch_slots = page->slot;
        if (host)
            memcpy(&word, host + (pc & PHYS_PAGE_MASK), 4);
    } else {
        pa = cpu->fetch_ppage << PHYS_PAGE_SHIFT | (pc & PHYS_PAGE_MASK);
        if (cpu->fetch_host)
            memcpy(&word, cpu->fetch_host + (pc & PHYS_PAGE_MASK), 4);
        else if (!fetch_slow(cpu, pa, &word))
            return NULL;
    }
    /* A slot of a page without a host pointer is checked against the word
     * read; one of a trusted page is decoded if empty. */
    struct a64_insn *slot = &cpu->fetch_slots[(pc & PHYS_PAGE_MASK) >> 2];
    if (slot->raw != word || slot->exec == trans_UNDECODED)
        a64_decode(word, slot); /* keeps slot->off */
    return slot;
}
