/*
 * mem.c - the slow path of guest data accesses: translation (bare for now),
 * filling the host-pointer caches, physical accesses with their faults,
 * LR/SC reservations, AMOs and cache-block operations.
 */
#include "isa/rv64/mem.h"

enum rv64_access { ACC_LOAD, ACC_STORE };

/*
 * VA to PA. satp is stored but not yet walked: every access is Bare, as in
 * M-mode. The MMU work replaces this (Sv39/Sv48 from satp, MPRV, SUM, MXR)
 * and returns page faults (13 load, 15 store/AMO) from here; the host
 * pointer caches are keyed by VA and dropped by rv64_tlb_flush() on
 * sfence.vma and satp writes; once permissions depend on the mode (U bit,
 * SUM, MXR, MPRV) they must also be dropped, or tagged, when those change.
 */
static bool translate(struct rv64_cpu *cpu, uint64_t va, enum rv64_access acc, uint64_t *pa)
{
    (void)cpu;
    (void)acc;
    *pa = va;
    return true;
}

void rv64_mem_sync(struct rv64_cpu *cpu)
{
    uint64_t g = phys_generation(cpu->pm);
    if (g != cpu->generation) {
        cpu->generation = g;
        rv64_tlb_flush(cpu);
        rv64_icache_forget_hosts(cpu);
    }
}

void rv64_tlb_flush(struct rv64_cpu *cpu)
{
    for (unsigned i = 0; i < RV64_TLB_SIZE; i++) {
        cpu->rtlb[i].vpn = RV64_NO_PAGE;
        cpu->wtlb[i].vpn = RV64_NO_PAGE;
    }
    cpu->ic_last = NULL;
}

/* The host pointer for the page holding pa, cached for va's page; NULL when
 * the page must take the slow path. */
static uint8_t *fill(struct rv64_cpu *cpu, uint64_t va, uint64_t pa, bool write)
{
    uint64_t ppn = pa >> PHYS_PAGE_SHIFT;
    /* Stores to the HTIF page must reach rv64_htif_store(). */
    if (write && cpu->htif_on && ppn == cpu->tohost >> PHYS_PAGE_SHIFT)
        return NULL;
    uint8_t *host = phys_page_host(cpu->pm, pa, write);
    if (!host)
        return NULL;
    uint64_t vpn = va >> PHYS_PAGE_SHIFT;
    struct rv64_host_tlb *e = &(write ? cpu->wtlb : cpu->rtlb)[vpn % RV64_TLB_SIZE];
    e->vpn = vpn;
    e->ppn = ppn;
    e->host = host;
    return host;
}

/* An access fault: stval is the VA of the first byte that failed (for an
 * access split across pages, the piece that faulted). */
static bool access_fault(struct rv64_cpu *cpu, unsigned cause, uint64_t va, uint64_t pa,
                         uint64_t len, const struct phys_fault *f)
{
    uint64_t at = (f->pa >= pa && f->pa - pa < len) ? va + (f->pa - pa) : va;
    rv64_raise(cpu, cause, at);
    cpu->trap_pa = f->pa;
    cpu->trap_pa_valid = true;
    return false;
}

bool rv64_load_slow(struct rv64_cpu *cpu, uint64_t va, unsigned size, uint64_t *value,
                    unsigned fault_cause)
{
    uint64_t pa;
    if (va & (size - 1) & cpu->align_mask) {
        rv64_raise(
            cpu, fault_cause == CAUSE_LOAD_ACCESS ? CAUSE_MISALIGNED_LOAD : CAUSE_MISALIGNED_STORE,
            va);
        return false;
    }
    if (!translate(cpu, va, ACC_LOAD, &pa))
        return false;
    rv64_mem_sync(cpu);
    uint64_t off = va & PHYS_PAGE_MASK;
    if (off + size <= PHYS_PAGE_SIZE) {
        uint8_t *host = fill(cpu, va, pa, false);
        if (host) {
            *value = host_get(host + off, size);
            return true;
        }
    }
    struct phys_fault f;
    uint64_t v;
    enum phys_status st = phys_load(cpu->pm, pa, size, &v, 0, &f);
    rv64_mem_sync(cpu); /* a device callback or the hook may have changed memory */
    if (st != PHYS_OK)
        return access_fault(cpu, fault_cause, va, pa, size, &f);
    *value = v;
    return true;
}

bool rv64_store_slow(struct rv64_cpu *cpu, uint64_t va, unsigned size, uint64_t value)
{
    uint64_t pa;
    if (va & (size - 1) & cpu->align_mask) {
        rv64_raise(cpu, CAUSE_MISALIGNED_STORE, va);
        return false;
    }
    if (!translate(cpu, va, ACC_STORE, &pa))
        return false;
    rv64_mem_sync(cpu);
    uint64_t off = va & PHYS_PAGE_MASK;
    if (off + size <= PHYS_PAGE_SIZE) {
        uint8_t *host = fill(cpu, va, pa, true);
        if (host) {
            rv64_store_hits_reservation(cpu, pa, size);
            host_put(host + off, size, value);
            return true;
        }
    }
    struct phys_fault f;
    enum phys_status st = phys_store(cpu->pm, pa, size, value, 0, &f);
    rv64_mem_sync(cpu);
    if (st != PHYS_OK)
        return access_fault(cpu, CAUSE_STORE_ACCESS, va, pa, size, &f);
    rv64_store_hits_reservation(cpu, pa, size);
    if (cpu->htif_on)
        rv64_htif_store(cpu, pa, size);
    return true;
}

bool rv64_amo(struct rv64_cpu *cpu, uint64_t va, unsigned size, rv64_amo_fn *fn, uint64_t src,
              uint64_t *old)
{
    uint64_t v;
    if (va & (size - 1)) {
        rv64_raise(cpu, CAUSE_MISALIGNED_STORE, va);
        return false;
    }
    /* The read cannot change memory, so a store that then faults (ROM)
     * leaves everything as it was. */
    if (!rv64_load_cause(cpu, va, size, &v, CAUSE_STORE_ACCESS) ||
        !rv64_store(cpu, va, size, fn(v, src, size)))
        return false;
    *old = v;
    return true;
}

/* Cache-block operations report every fault as a store/AMO fault, with
 * stval the address the instruction was given (rs1). */
static bool cbo_fault(struct rv64_cpu *cpu, uint64_t va, uint64_t pa)
{
    rv64_raise(cpu, CAUSE_STORE_ACCESS, va);
    cpu->trap_pa = pa;
    cpu->trap_pa_valid = true;
    return false;
}

bool rv64_cbo_check(struct rv64_cpu *cpu, uint64_t va)
{
    uint64_t pa;
    if (!translate(cpu, va & ~(uint64_t)(RV64_CBO_BLOCK - 1), ACC_STORE, &pa))
        return false;
    /* Permitted when a load or a store could reach the block: its first and
     * last bytes lie in declared, present memory. Nothing is read, so the
     * access hook (poison) is not consulted: writing a line back is not
     * consuming it. */
    const uint64_t ends[2] = {pa, pa + RV64_CBO_BLOCK - 1};
    for (unsigned i = 0; i < 2; i++) {
        const struct phys_region *r = phys_region_at(cpu->pm, ends[i]);
        if (!r || r->kind == PHYS_ABSENT)
            return cbo_fault(cpu, va, ends[i]);
    }
    return true;
}

bool rv64_cbo_zero(struct rv64_cpu *cpu, uint64_t va)
{
    static const uint8_t zeros[RV64_CBO_BLOCK];
    uint64_t block = va & ~(uint64_t)(RV64_CBO_BLOCK - 1), pa;
    if (!translate(cpu, block, ACC_STORE, &pa))
        return false;
    rv64_mem_sync(cpu);
    uint8_t *host = fill(cpu, block, pa, true);
    if (host) {
        memset(host + (pa & PHYS_PAGE_MASK), 0, RV64_CBO_BLOCK);
    } else {
        struct phys_fault f;
        enum phys_status st = phys_write(cpu->pm, pa, zeros, RV64_CBO_BLOCK, 0, &f);
        rv64_mem_sync(cpu);
        if (st != PHYS_OK)
            return cbo_fault(cpu, va, f.pa);
        if (cpu->htif_on)
            rv64_htif_store(cpu, pa, RV64_CBO_BLOCK);
    }
    rv64_store_hits_reservation(cpu, pa, RV64_CBO_BLOCK);
    return true;
}
