/*
 * ptwalk.c - page-table code as the kernel writes it: build a 4-level table
 * (512 entries of 8 bytes per 4 KiB table, 9 bits of VA per level, tables
 * taken from a pool and cleared when allocated), map pages at scattered
 * VAs, then translate VAs by walking it, both ones that are mapped and ones
 * whose walk stops at an empty entry on the way down.
 *
 * Entries hold pool indexes and page-frame numbers, never pointers, so the
 * result does not depend on where the pool is: the harness also builds this
 * file for the host (BENCH_HOST) to know the answer. Every round does the
 * same work, so the instruction count is linear in n.
 *
 *   uint64_t bench_ptwalk(void *pool, uint64_t n);  pool: PTW_POOL_SIZE bytes
 */
#include "bench_guest.h"

#include <stddef.h>

#define PTRS_PER_TABLE 512
#define PTE_VALID      (1ull << 0)
#define PTE_TABLE      (1ull << 1)
#define PTE_AF         (1ull << 10)
#define PTE_ADDR_MASK  0x0000fffffffff000ull
#define NMAP           1024 /* pages mapped per round */
#define NPASS          4    /* translation passes per round */
#define VA_SEED        0x243f6a8885a308d3ull

#ifndef BENCH_HOST
/* The compiler may turn the clearing loop into a memset call; there is no
 * libc in the guest. (A loop in a function named memset stays a loop.) */
void *memset(void *s, int c, size_t n);
void *memset(void *s, int c, size_t n)
{
    unsigned char *p = s;
    while (n--)
        *p++ = (unsigned char)c;
    return s;
}
#endif

struct pool {
    uint64_t *base;
    uint64_t next;
};

static uint64_t *table_at(const struct pool *p, uint64_t idx)
{
    return p->base + idx * PTRS_PER_TABLE;
}

static uint64_t alloc_table(struct pool *p)
{
    uint64_t idx = p->next++;
    uint64_t *t = table_at(p, idx);
    for (unsigned i = 0; i < PTRS_PER_TABLE; i++)
        t[i] = 0;
    return idx;
}

static uint64_t next_random(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

/* A VA in a clustered layout: 2 level-0 slots, 2 level-1 slots under each,
 * 8 level-2 slots under those, any level-3 slot (at most 39 tables). */
static uint64_t va_of(uint64_t r)
{
    return ((r >> 7) & 1) << 39 | ((r >> 13) & 1) << 30 | ((r >> 21) & 7) << 21 |
           ((r >> 33) & 511) << 12;
}

static uint64_t level_index(uint64_t va, int level)
{
    return (va >> (12 + 9 * level)) & (PTRS_PER_TABLE - 1);
}

static void map_page(struct pool *p, uint64_t root, uint64_t va, uint64_t pfn)
{
    uint64_t idx = root;
    for (int level = 3; level > 0; level--) {
        uint64_t *e = &table_at(p, idx)[level_index(va, level)];
        if (!(*e & PTE_VALID))
            *e = alloc_table(p) << 12 | PTE_TABLE | PTE_VALID;
        idx = (*e & PTE_ADDR_MASK) >> 12;
    }
    table_at(p, idx)[level_index(va, 0)] = pfn << 12 | PTE_AF | PTE_VALID;
}

/* The physical address va maps to, or the level whose entry was empty. */
static uint64_t translate(const struct pool *p, uint64_t root, uint64_t va)
{
    uint64_t idx = root;
    for (int level = 3; level > 0; level--) {
        uint64_t e = table_at(p, idx)[level_index(va, level)];
        if (!(e & PTE_VALID))
            return (uint64_t)level;
        idx = (e & PTE_ADDR_MASK) >> 12;
    }
    uint64_t e = table_at(p, idx)[level_index(va, 0)];
    if (!(e & PTE_VALID))
        return 0;
    return (e & PTE_ADDR_MASK) | (va & 0xfff);
}

uint64_t bench_ptwalk(void *pool, uint64_t n)
{
    uint64_t sum = 0;
    for (uint64_t round = 0; round < n; round++) {
        struct pool p = {pool, 0};
        uint64_t root = alloc_table(&p);
        uint64_t s = VA_SEED;
        for (uint64_t k = 0; k < NMAP; k++)
            map_page(&p, root, va_of(next_random(&s)), 0x100 + k);
        for (unsigned pass = 0; pass < NPASS; pass++) {
            s = VA_SEED;
            for (uint64_t k = 0; k < NMAP; k++) {
                uint64_t va = va_of(next_random(&s)) | ((k * 8) & 0xfff);
                sum += translate(&p, root, va);
                sum ^= translate(&p, root, va ^ (1ull << (30 + pass)));
            }
        }
        sum += p.next;
    }
    return sum;
}
