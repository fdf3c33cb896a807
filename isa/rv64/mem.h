/*
 * mem.h - guest loads and stores from the executors.
 *
 * The fast path is a small direct-mapped cache of host pointers per guest
 * VA page (rv64_cpu.rtlb / wtlb), filled from phys_page_host() for pages
 * that are plain RAM (or ROM, for reads; write pointers not for pages that
 * hold decoded instructions, nor while an LR reservation is held) and
 * valid while phys_generation() is unchanged. With translation on, an entry also stands for a
 * successful translation of that page for that kind of access: it is filled only after one (a write
 * pointer only after a store translated, so with D = 1), and dropped with the TLB's view of it
 * (sfence.vma) and whenever what the translation depends on changes (rv64_xlate_update()).
 * Everything else - devices, pages the access hook watches (RAS poison, watchpoints), ROM writes,
 * absent memory, accesses that cross a page, the HTIF tohost page - goes through mem.c's slow path,
 * which translates, uses phys_load / phys_store / phys_read / phys_write and raises the exceptions.
 *
 * All return true on success and false after raising an exception.
 */
#ifndef RASIM_RV64_MEM_H
#define RASIM_RV64_MEM_H

#include <string.h>

#include "isa/rv64/cpu.h"

bool rv64_load_slow(struct rv64_cpu *cpu, uint64_t va, unsigned size, uint64_t *value);
bool rv64_store_slow(struct rv64_cpu *cpu, uint64_t va, unsigned size, uint64_t value);

/* An AMO's operation on the old memory value and rs2. */
typedef uint64_t rv64_amo_fn(uint64_t old, uint64_t src, unsigned size);
/* Read-modify-write of size bytes at va; *old gets the value read. AMOs
 * translate as stores and fault as stores (misaligned 6, page fault 15,
 * access 7; poison in the read part: 19 or 7) whatever part fails. */
bool rv64_amo(struct rv64_cpu *cpu, uint64_t va, unsigned size, rv64_amo_fn *fn, uint64_t src,
              uint64_t *old);
/* LR: load size (aligned) bytes at va and reserve them by physical
 * address. */
bool rv64_load_reserved(struct rv64_cpu *cpu, uint64_t va, unsigned size, uint64_t *value);
/* SC: with a reservation held, translate va as a store and write value if
 * the reservation holds those bytes; *done says whether it did. Without a
 * reservation it fails without touching memory. Ends the reservation. */
bool rv64_store_conditional(struct rv64_cpu *cpu, uint64_t va, unsigned size, uint64_t value,
                            bool *done);
/* Zicbom: fault (store/AMO page fault 15 or access fault 7, stval = va)
 * unless the 64-byte block holding va could be accessed; no other effect. */
bool rv64_cbo_check(struct rv64_cpu *cpu, uint64_t va);
/* Zicboz: zero the 64-byte block holding va. */
bool rv64_cbo_zero(struct rv64_cpu *cpu, uint64_t va);

#define RV64_CBO_BLOCK 64

static inline uint64_t host_get(const uint8_t *p, unsigned size)
{
    /* Host and guests are little-endian (as mmu/phys.c assumes). */
    switch (size) {
    case 1: return *p;
    case 2: {
        uint16_t v;
        memcpy(&v, p, 2);
        return v;
    }
    case 4: {
        uint32_t v;
        memcpy(&v, p, 4);
        return v;
    }
    default: {
        uint64_t v;
        memcpy(&v, p, 8);
        return v;
    }
    }
}

static inline void host_put(uint8_t *p, unsigned size, uint64_t value)
{
    switch (size) {
    case 1: *p = (uint8_t)value; break;
    case 2: {
        uint16_t v = (uint16_t)value;
        memcpy(p, &v, 2);
        break;
    }
    case 4: {
        uint32_t v = (uint32_t)value;
        memcpy(p, &v, 4);
        break;
    }
    default: memcpy(p, &value, 8); break;
    }
}

/* A store to any reserved byte breaks an LR reservation. (While one is
 * held no write pointer is cached, so the fast path below needs no check.) */
static inline void rv64_store_hits_reservation(struct rv64_cpu *cpu, uint64_t pa, uint64_t len)
{
    if (unlikely(pa < cpu->resv_end && pa + len > cpu->resv_start))
        rv64_clear_reservation(cpu);
}

/* The host-pointer cache entry for va's page, and whether it serves an
 * access of size bytes at va: one compare tests the page and the alignment
 * (misaligned accesses, which may cross the page, take the slow path). */
static inline const struct rv64_host_tlb *rv64_host_entry(const struct rv64_host_tlb *tlb,
                                                          uint64_t va)
{
    return &tlb[(va >> PHYS_PAGE_SHIFT) % RV64_TLB_SIZE];
}

static inline bool rv64_host_hit(const struct rv64_host_tlb *e, uint64_t va, unsigned size)
{
    return (va & ~(PHYS_PAGE_MASK ^ (size - 1))) == e->page;
}

/* The host address of va, for an entry that hit. */
static inline uint8_t *rv64_host_at(const struct rv64_host_tlb *e, uint64_t va)
{
    return (uint8_t *)(uintptr_t)(va + e->delta);
}

#endif
