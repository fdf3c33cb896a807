/*
 * mem.h - data accesses by virtual address: the fast path through the
 * host-pointer TLB (inline here) and the slow path (mem.c) that translates,
 * checks alignment, goes through phys_read/phys_write, and raises aborts.
 *
 * Every function returning bool returns false after raising an exception
 * in cpu->exc; the executor then returns A64_EXCEPTION.
 */
#ifndef RASIM_A64_MEM_H
#define RASIM_A64_MEM_H

#include "isa/aarch64/exception.h"

#include <string.h>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the fast memory path copies guest little-endian bytes as host integers"
#endif

/* Access attributes. */
#define A64_ACC_WRITE  (1u << 0)
#define A64_ACC_UNPRIV (1u << 1) /* LDTR/STTR: EL0 permissions (when not UAO) */
#define A64_ACC_ALIGN                                                                              \
    (1u << 2)                   /* must be aligned to its size (exclusives, atomics,               \
                                   LDAR/STLR, tag stores): alignment fault otherwise */
#define A64_ACC_PAIR  (1u << 3) /* two registers: SCTLR_EL1.A checks each half */
#define A64_ACC_CM    (1u << 4) /* cache maintenance: reports CM=1, WnR=1 */
#define A64_ACC_FETCH (1u << 5) /* instruction fetch: instruction abort */

/* Slow path: any size up to one page, any alignment. */
bool a64_mem_access(struct a64_cpu *cpu, uint64_t va, void *buf, unsigned size, unsigned acc);
/* Translate va as the access acc would: flat with SCTLR_EL1.M = 0, stage 1
 * through the CPU's TLB with M = 1. Raises the abort the access would take
 * and returns false on a fault. */
bool a64_translate(struct a64_cpu *cpu, uint64_t va, unsigned acc, uint64_t *pa);

/* Raise the alignment fault (DFSC 0x21) an access at va takes. */
bool a64_alignment_fault(struct a64_cpu *cpu, uint64_t va, unsigned acc);

/* MTE allocation tags of the granule holding va. Memory without tag storage
 * reads tag 0 and ignores writes (it is Untagged). */
bool a64_tag_read(struct a64_cpu *cpu, uint64_t va, uint8_t *tag);
bool a64_tag_write(struct a64_cpu *cpu, uint64_t va, uint8_t tag);

/* The DC ZVA block: 4 << DCZID_EL0.BS bytes, BS at most 9 (2 KiB). */
#define A64_DCZVA_MAX 2048
static inline unsigned a64_dczva_size(const struct a64_cpu *cpu)
{
    unsigned bs = cpu->sysreg[SR_DCZID_EL0] & 0xf;
    return 4u << (bs > 9 ? 9 : bs);
}

/* AllocationTagAccessIsEnabled: SCTLR_EL1.ATA at EL1, ATA0 at EL0. */
static inline bool a64_tag_access_enabled(const struct a64_cpu *cpu)
{
    return cpu->sysreg[SR_SCTLR_EL1] & (cpu->el ? SCTLR_ATA : SCTLR_ATA0);
}

/* Caches of host pointers: drop everything (TLBI, writes to SCTLR, TCR,
 * TTBR0/1, MAIR), or drop it only if physical memory's generation moved. */
void a64_tlb_flush(struct a64_cpu *cpu);
void a64_caches_sync(struct a64_cpu *cpu);
/* PSTATE.EL or PAN may have changed (exception entry, ERET, MSR): pick the
 * host-pointer set for the EL and drop what the change makes unusable. */
void a64_pstate_changed(struct a64_cpu *cpu, unsigned old_el, unsigned old_pan);

/* The host-pointer set an access is checked in (see cpu.h). */
static inline struct a64_tlb_set *a64_tlb_set_for(struct a64_cpu *cpu, unsigned acc)
{
    return (acc & A64_ACC_UNPRIV) ? &cpu->tlb[A64_TLB_USER] : cpu->tlb_cur;
}

/* Whether the host-pointer TLB holds the page of [va, va+size) for this
 * kind of access with no check due; if so *host is the address of va. */
static inline bool a64_tlb_hit(struct a64_cpu *cpu, uint64_t va, unsigned size, bool write,
                               unsigned acc, uint8_t **host)
{
    uint64_t vpage = va >> PHYS_PAGE_SHIFT;
    struct a64_tlb_set *set = a64_tlb_set_for(cpu, acc);
    const struct a64_tlb_entry *e = &(write ? set->w : set->r)[vpage & (A64_TLB_SIZE - 1)];
    if (e->vpage != vpage || (va & PHYS_PAGE_MASK) > PHYS_PAGE_SIZE - size)
        return false;
    /* Sizes with A64_ACC_ALIGN are powers of two. SCTLR_EL1.A needs no
     * test: no entry is filled while it is set (mem.c tlb_fill). */
    if ((acc & A64_ACC_ALIGN) && (va & (size - 1)))
        return false;
    *host = (uint8_t *)(uintptr_t)(va + e->addend);
    return true;
}

/* Host address of [va, va+size) when the host-pointer TLB holds its page
 * for this kind of access and no check is due; else NULL. */
static inline uint8_t *a64_tlb_lookup(struct a64_cpu *cpu, uint64_t va, unsigned size, bool write,
                                      unsigned acc)
{
    uint8_t *p;
    return a64_tlb_hit(cpu, va, size, write, acc, &p) ? p : NULL;
}

static inline bool a64_read(struct a64_cpu *cpu, uint64_t va, void *buf, unsigned size,
                            unsigned acc)
{
    uint8_t *p;
    if (a64_tlb_hit(cpu, va, size, false, acc, &p)) {
        memcpy(buf, p, size);
        return true;
    }
    return a64_mem_access(cpu, va, buf, size, acc);
}

static inline bool a64_write(struct a64_cpu *cpu, uint64_t va, const void *buf, unsigned size,
                             unsigned acc)
{
    uint8_t *p;
    if (a64_tlb_hit(cpu, va, size, true, acc, &p)) {
        memcpy(p, buf, size);
        return true;
    }
    return a64_mem_access(cpu, va, (void *)buf, size, acc | A64_ACC_WRITE);
}

static inline uint64_t a64_le(const uint8_t *p, unsigned size)
{
    switch (size) {
    case 1: return p[0];
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

/* Integer load of 1, 2, 4 or 8 bytes, zero-extended. */
static inline bool a64_load(struct a64_cpu *cpu, uint64_t va, unsigned size, uint64_t *v,
                            unsigned acc)
{
    uint8_t *p;
    if (a64_tlb_hit(cpu, va, size, false, acc, &p)) {
        *v = a64_le(p, size);
        return true;
    }
    uint8_t b[8];
    if (!a64_mem_access(cpu, va, b, size, acc))
        return false;
    *v = a64_le(b, size);
    return true;
}

static inline bool a64_store(struct a64_cpu *cpu, uint64_t va, unsigned size, uint64_t v,
                             unsigned acc)
{
    return a64_write(cpu, va, &v, size, acc); /* little-endian host: low bytes first */
}

/* The base register of an address: Xn, or SP with the SP alignment check
 * (SCTLR_EL1.SA at EL1, SA0 at EL0) that raises EC 0x26. */
static inline bool a64_base(struct a64_cpu *cpu, unsigned rn, uint64_t *addr)
{
    if (rn != 31) {
        *addr = cpu->x[rn];
        return true;
    }
    uint64_t sp = cpu->el && cpu->spsel ? cpu->sp_el1 : cpu->sp_el0;
    if ((sp & 15) && (cpu->sysreg[SR_SCTLR_EL1] & (cpu->el ? SCTLR_SA : SCTLR_SA0))) {
        a64_raise(cpu, EC_SP_ALIGN, 0);
        return false;
    }
    *addr = sp;
    return true;
}

#endif
