/*
 * mem.c - the slow path of guest data accesses: translation (flat, or
 * Sv39/Sv48 through the MMU's TLB), filling the host-pointer caches,
 * physical accesses with their faults (access faults, and RAS poison
 * delivered as a hardware error or an access fault), LR/SC reservations by
 * physical address, AMOs and cache-block operations.
 *
 * Spec references: "priv" is the RISC-V privileged specification (sections
 * named as in its text), "KERNEL-FACTS" is /work/shared/KERNEL-FACTS.md,
 * "CMO" is the unprivileged specification's chapter on Zicbom/Zicboz.
 */
#include "isa/rv64/mem.h"

#define SATP_MODE_SHIFT 60

/* ---- translation state -------------------------------------------------- */

/* The privilege loads and stores use: MPP when mstatus.MPRV = 1 in M-mode
 * (priv "Memory Privilege in mstatus Register"). Fetches always use priv. */
static enum rv64_priv data_priv(const struct rv64_cpu *cpu)
{
    uint64_t s = cpu->csr[CSR_MSTATUS];
    if (cpu->priv == RV64_PRIV_M && (s & MSTATUS_MPRV))
        return (enum rv64_priv)((s & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
    return cpu->priv;
}

void rv64_host_flush_data(struct rv64_cpu *cpu)
{
    for (unsigned i = 0; i < RV64_TLB_SIZE; i++) {
        cpu->rtlb[i].page = RV64_NO_PAGE;
        cpu->wtlb[i].page = RV64_NO_PAGE;
    }
}

void rv64_host_flush_fetch(struct rv64_cpu *cpu)
{
    for (unsigned i = 0; i < RV64_TLB_SIZE; i++)
        cpu->itlb[i].vpn = RV64_NO_PAGE;
    rv64_ic_forget(cpu);
}

void rv64_host_flush(struct rv64_cpu *cpu)
{
    rv64_host_flush_data(cpu);
    rv64_host_flush_fetch(cpu);
}

/*
 * Every input of a translation but the page tables and the TLB (which
 * sfence.vma covers): satp (mode, ASID, root), the effective privilege,
 * SUM and MXR (data only: S-mode never executes U pages whatever SUM says,
 * and MXR widens loads only; KERNEL-FACTS 6 "SUM/MXR"), and the menvcfg
 * fields ADUE and PBMTE. Flat (Bare, or M-mode without MPRV) is one key
 * whatever the rest holds, so switching between S and M over Bare, as the
 * kernel model's runs do, keeps the caches.
 */
void rv64_xlate_update(struct rv64_cpu *cpu)
{
    uint64_t s = cpu->csr[CSR_MSTATUS];
    uint64_t satp = cpu->csr[CSR_SATP];
    uint64_t env = cpu->csr[CSR_MENVCFG] & (MENVCFG_ADUE | MENVCFG_PBMTE);
    enum rv64_priv dp = data_priv(cpu);
    bool bare = (satp >> SATP_MODE_SHIFT) == 0;
    cpu->data_flat = bare || dp == RV64_PRIV_M;
    cpu->fetch_flat = bare || cpu->priv == RV64_PRIV_M;
    struct rv64_xlate_key d = {0, 1}, f = {0, 1}; /* bit 0: flat */
    if (!cpu->data_flat) {
        d.satp = satp;
        d.bits = (uint64_t)dp << 1 | (s & (MSTATUS_SUM | MSTATUS_MXR)) | env;
    }
    if (!cpu->fetch_flat) {
        f.satp = satp;
        f.bits = (uint64_t)cpu->priv << 1 | env;
    }
    if (d.satp != cpu->data_key.satp || d.bits != cpu->data_key.bits) {
        cpu->data_key = d;
        rv64_host_flush_data(cpu);
    }
    if (f.satp != cpu->fetch_key.satp || f.bits != cpu->fetch_key.bits) {
        cpu->fetch_key = f;
        rv64_host_flush_fetch(cpu);
    }
}

unsigned rv64_phys_fault_cause(const struct rv64_cpu *cpu, enum mmu_access report,
                               enum phys_status status)
{
    /* KERNEL-FACTS 3.1: hardware error (19) for corrupted data used by an
     * instruction; 1/5/7 for PMA violations (absent memory, ROM writes). */
    if (status == PHYS_CHECK_FAILED && cpu->ras_delivery == RV64_RAS_HW_ERROR)
        return CAUSE_HARDWARE_ERROR;
    return report == MMU_ACC_FETCH  ? CAUSE_FETCH_ACCESS
           : report == MMU_ACC_READ ? CAUSE_LOAD_ACCESS
                                    : CAUSE_STORE_ACCESS;
}

static unsigned page_fault_cause(enum mmu_access report)
{
    return report == MMU_ACC_FETCH  ? CAUSE_FETCH_PAGE_FAULT
           : report == MMU_ACC_READ ? CAUSE_LOAD_PAGE_FAULT
                                    : CAUSE_STORE_PAGE_FAULT;
}

bool rv64_translate(struct rv64_cpu *cpu, uint64_t va, enum mmu_access acc, enum mmu_access report,
                    uint64_t tval, uint64_t *pa)
{
    uint64_t s = cpu->csr[CSR_MSTATUS], env = cpu->csr[CSR_MENVCFG];
    const struct mmu_rv64_ctx ctx = {
        .satp = cpu->csr[CSR_SATP],
        .priv = (enum mmu_rv_priv)(acc == MMU_ACC_FETCH ? cpu->priv : data_priv(cpu)),
        .sum = (s & MSTATUS_SUM) != 0,
        .mxr = (s & MSTATUS_MXR) != 0,
        .adue = cpu->svadu && (env & MENVCFG_ADUE),
        .svnapot = true,
        .svpbmt = (env & MENVCFG_PBMTE) != 0,
    };
    struct mmu_result r;
    bool hit = true;
    int rc = mmu_tlb_rv64_translate(cpu->tlb, cpu->pm, &ctx, va, acc, &r, &hit);
    if (RASIM_TRACE_ON && cpu->tracer && (!hit || rc != 0))
        cpu->tracer->walk(cpu->tracer->ctx, &r, acc == MMU_ACC_FETCH, acc == MMU_ACC_WRITE);
    if (rc == 0) {
        *pa = r.pa;
        return true;
    }
    /* out->code is scause for acc (KERNEL-FACTS 3.1): 12/13/15 for page
     * faults, 1/5/7 when a PTE read or A/D write failed (step 2 / 9 of the
     * walk, KERNEL-FACTS 6). A walk that consumed poison reports
     * PHYS_CHECK_FAILED in phys.status and is a hardware error by default. */
    rv64_mem_sync(cpu); /* the walk may have consumed transient poison */
    unsigned cause = r.code;
    if (r.fault == MMU_FAULT_ACCESS)
        cause = rv64_phys_fault_cause(cpu, report, r.phys.status);
    else if (report != acc)
        cause = page_fault_cause(report);
    rv64_raise(cpu, cause, tval);
    if (r.fault == MMU_FAULT_ACCESS) {
        cpu->trap_pa = r.phys.pa;
        cpu->trap_pa_valid = true;
    }
    return false;
}

/* Data translation: flat costs one test. */
static inline bool xlate(struct rv64_cpu *cpu, uint64_t va, enum mmu_access acc,
                         enum mmu_access report, uint64_t tval, uint64_t *pa)
{
    if (likely(cpu->data_flat)) {
        *pa = va;
        return true;
    }
    return rv64_translate(cpu, va, acc, report, tval, pa);
}

/* ---- host pointers ------------------------------------------------------ */

void rv64_mem_sync(struct rv64_cpu *cpu)
{
    uint64_t g = phys_generation(cpu->pm);
    if (g != cpu->generation) {
        cpu->generation = g;
        rv64_host_flush(cpu);
        rv64_icache_forget_hosts(cpu);
        cpu->events |= RV64_EV_SYNC;
    }
    /* Code written by someone else (the host, a page-table walk's A/D
     * update, HTIF): no telling which instructions, so all of them. */
    g = phys_code_generation(cpu->pm);
    if (g != cpu->code_generation) {
        cpu->code_generation = g;
        rv64_icache_flush(cpu);
        cpu->events |= RV64_EV_SYNC;
    }
}

/* The host pointer for the page holding pa, cached for va's page; NULL when
 * the page must take the slow path. Only called once va translated for
 * this kind of access. */
static uint8_t *fill(struct rv64_cpu *cpu, uint64_t va, uint64_t pa, bool write)
{
    if ((RASIM_TRACE_ON && cpu->tracer && cpu->tracer->every_access) || cpu->no_data_host_pointers)
        return NULL; /* every access must reach the slow path (tracer, MMU checker) */
    uint64_t ppn = pa >> PHYS_PAGE_SHIFT;
    /* Stores to the HTIF page must reach rv64_htif_store(), and while a
     * reservation is held every store must reach the check that breaks it. */
    if (write && ((cpu->htif_on && ppn == cpu->tohost >> PHYS_PAGE_SHIFT) ||
                  cpu->resv_start < cpu->resv_end))
        return NULL;
    uint8_t *host = phys_page_host(cpu->pm, pa, write);
    if (!host)
        return NULL;
    uint64_t vpn = va >> PHYS_PAGE_SHIFT;
    struct rv64_host_tlb *e = &(write ? cpu->wtlb : cpu->rtlb)[vpn % RV64_TLB_SIZE];
    e->page = va & ~PHYS_PAGE_MASK;
    e->delta = (uintptr_t)host - (uintptr_t)e->page;
    return host;
}

/* ---- physical accesses -------------------------------------------------- */

/* Tell the tracer about an access that was performed. */
static void traced(struct rv64_cpu *cpu, uint64_t va, uint64_t pa, unsigned size, uint64_t value,
                   bool write)
{
    if (RASIM_TRACE_ON && cpu->tracer) {
        const struct isa_mem_access a = {va, pa, size, value, write, false};
        cpu->tracer->mem(cpu->tracer->ctx, &a);
    }
}

/* A physical access of kind report failed: an access fault, or poison
 * (hardware error by default). stval is the VA of the first byte that
 * failed, which for an access split across pages lies in the piece that
 * faulted (KERNEL-FACTS 3.1 "stval"); the stop records its PA. */
static bool phys_fault(struct rv64_cpu *cpu, enum mmu_access report, uint64_t va, uint64_t pa,
                       uint64_t len, const struct phys_fault *f)
{
    uint64_t at = (f->pa >= pa && f->pa - pa < len) ? va + (f->pa - pa) : va;
    rv64_raise(cpu, rv64_phys_fault_cause(cpu, report, f->status), at);
    cpu->trap_pa = f->pa;
    cpu->trap_pa_valid = true;
    return false;
}

/* Read len bytes at pa (VA va) into buf. */
static bool read_pa(struct rv64_cpu *cpu, uint64_t va, uint64_t pa, void *buf, size_t len,
                    enum mmu_access report)
{
    struct phys_fault f;
    enum phys_status st = phys_read(cpu->pm, pa, buf, len, 0, &f);
    rv64_mem_sync(cpu); /* a device callback or the hook may have changed memory */
    return st == PHYS_OK || phys_fault(cpu, report, va, pa, len, &f);
}

static bool write_pa(struct rv64_cpu *cpu, uint64_t va, uint64_t pa, const void *buf, size_t len)
{
    struct phys_fault f;
    enum phys_status st = phys_write(cpu->pm, pa, buf, len, 0, &f);
    rv64_code_written(cpu, pa, len);
    rv64_mem_sync(cpu);
    if (st != PHYS_OK)
        return phys_fault(cpu, MMU_ACC_WRITE, va, pa, len, &f);
    rv64_store_hits_reservation(cpu, pa, len);
    if (cpu->htif_on)
        rv64_htif_store(cpu, pa, (unsigned)len);
    return true;
}

/* Could a store write [pa, pa + len) (one page) without an access fault?
 * For *fault_pa, the first byte that could not. */
static bool writable(const struct rv64_cpu *cpu, uint64_t pa, uint64_t len, uint64_t *fault_pa)
{
    const uint64_t ends[2] = {pa, pa + len - 1};
    for (unsigned i = 0; i < 2; i++) {
        const struct phys_region *r = phys_region_at(cpu->pm, ends[i]);
        if (!r || r->kind == PHYS_ABSENT || r->kind == PHYS_ROM) {
            *fault_pa = ends[i];
            return false;
        }
    }
    return true;
}

/*
 * The pieces of an access that crosses a page: both pages translate first,
 * so the first fault in address order wins and nothing is accessed before
 * every translation succeeded (KERNEL-FACTS 3.1 "Priorities"). Pieces
 * that turn out physically contiguous (always, when flat) are one access.
 */
static bool split(struct rv64_cpu *cpu, uint64_t va, unsigned size, enum mmu_access acc,
                  uint64_t pa[2], unsigned n[2])
{
    n[0] = (unsigned)(PHYS_PAGE_SIZE - (va & PHYS_PAGE_MASK));
    n[1] = size - n[0];
    if (!xlate(cpu, va, acc, acc, va, &pa[0]) ||
        !xlate(cpu, va + n[0], acc, acc, va + n[0], &pa[1]))
        return false;
    rv64_mem_sync(cpu);
    if (pa[1] == pa[0] + n[0]) {
        n[0] = size;
        n[1] = 0;
    }
    return true;
}

bool rv64_load_slow(struct rv64_cpu *cpu, uint64_t va, unsigned size, uint64_t *value)
{
    uint64_t pa;
    if (va & (size - 1) & cpu->align_mask) {
        rv64_raise(cpu, CAUSE_MISALIGNED_LOAD, va);
        return false;
    }
    uint64_t off = va & PHYS_PAGE_MASK;
    uint8_t buf[8];
    if (off + size <= PHYS_PAGE_SIZE) {
        if (!xlate(cpu, va, MMU_ACC_READ, MMU_ACC_READ, va, &pa))
            return false;
        rv64_mem_sync(cpu);
        uint8_t *host = fill(cpu, va, pa, false);
        if (host) {
            *value = host_get(host + off, size);
            return true;
        }
        struct phys_fault f;
        uint64_t v;
        enum phys_status st = phys_load(cpu->pm, pa, size, &v, 0, &f);
        rv64_mem_sync(cpu);
        if (st != PHYS_OK)
            return phys_fault(cpu, MMU_ACC_READ, va, pa, size, &f);
        *value = v;
        traced(cpu, va, pa, size, v, false);
        return true;
    }
    uint64_t pas[2];
    unsigned n[2];
    if (!split(cpu, va, size, MMU_ACC_READ, pas, n))
        return false;
    if (!read_pa(cpu, va, pas[0], buf, n[0], MMU_ACC_READ) ||
        (n[1] && !read_pa(cpu, va + n[0], pas[1], buf + n[0], n[1], MMU_ACC_READ)))
        return false;
    *value = host_get(buf, size);
    traced(cpu, va, pas[0], size, *value, false);
    return true;
}

bool rv64_store_slow(struct rv64_cpu *cpu, uint64_t va, unsigned size, uint64_t value)
{
    uint64_t pa;
    if (va & (size - 1) & cpu->align_mask) {
        rv64_raise(cpu, CAUSE_MISALIGNED_STORE, va);
        return false;
    }
    uint64_t off = va & PHYS_PAGE_MASK;
    uint8_t buf[8];
    host_put(buf, size, value);
    if (off + size <= PHYS_PAGE_SIZE) {
        if (!xlate(cpu, va, MMU_ACC_WRITE, MMU_ACC_WRITE, va, &pa))
            return false;
        rv64_mem_sync(cpu);
        uint8_t *host = fill(cpu, va, pa, true);
        if (host) {
            rv64_store_hits_reservation(cpu, pa, size);
            host_put(host + off, size, value);
            return true;
        }
        struct phys_fault f;
        enum phys_status st = phys_store(cpu->pm, pa, size, value, 0, &f);
        rv64_code_written(cpu, pa, size);
        rv64_mem_sync(cpu);
        if (st != PHYS_OK)
            return phys_fault(cpu, MMU_ACC_WRITE, va, pa, size, &f);
        rv64_store_hits_reservation(cpu, pa, size);
        traced(cpu, va, pa, size, value, true);
        if (cpu->htif_on)
            rv64_htif_store(cpu, pa, size);
        return true;
    }
    uint64_t pas[2], bad;
    unsigned n[2];
    if (!split(cpu, va, size, MMU_ACC_WRITE, pas, n))
        return false;
    if (n[1]) {
        /* Two physical pages: leave both unchanged when the second cannot
         * be written, as a single physical access would. */
        if (!writable(cpu, pas[1], n[1], &bad)) {
            struct phys_fault f = {PHYS_ABSENT_ADDR, bad};
            return phys_fault(cpu, MMU_ACC_WRITE, va + n[0], pas[1], n[1], &f);
        }
        if (!write_pa(cpu, va, pas[0], buf, n[0]) ||
            !write_pa(cpu, va + n[0], pas[1], buf + n[0], n[1]))
            return false;
    } else if (!write_pa(cpu, va, pas[0], buf, n[0])) {
        return false;
    }
    traced(cpu, va, pas[0], size, value, true);
    return true;
}

/* ---- LR/SC -------------------------------------------------------------- */

bool rv64_load_reserved(struct rv64_cpu *cpu, uint64_t va, unsigned size, uint64_t *value)
{
    uint64_t pa;
    uint8_t buf[8];
    if (!xlate(cpu, va, MMU_ACC_READ, MMU_ACC_READ, va, &pa))
        return false;
    rv64_mem_sync(cpu);
    if (!read_pa(cpu, va, pa, buf, size, MMU_ACC_READ))
        return false;
    *value = host_get(buf, size);
    traced(cpu, va, pa, size, *value, false);
    /* The reservation is on physical memory: stores through another
     * mapping of the same bytes break it too, so none may use a cached
     * write pointer while it is held (fill() caches none). */
    cpu->resv_start = pa;
    cpu->resv_end = pa + size;
    for (unsigned i = 0; i < RV64_TLB_SIZE; i++)
        cpu->wtlb[i].page = RV64_NO_PAGE;
    return true;
}

bool rv64_store_conditional(struct rv64_cpu *cpu, uint64_t va, unsigned size, uint64_t value,
                            bool *done)
{
    uint64_t pa;
    *done = false;
    if (cpu->resv_start < cpu->resv_end) {
        if (!xlate(cpu, va, MMU_ACC_WRITE, MMU_ACC_WRITE, va, &pa))
            return false;
        rv64_mem_sync(cpu);
        if (pa >= cpu->resv_start && pa + size <= cpu->resv_end) {
            uint8_t buf[8];
            host_put(buf, size, value);
            if (!write_pa(cpu, va, pa, buf, size))
                return false;
            traced(cpu, va, pa, size, value, true);
            *done = true;
        }
    }
    rv64_clear_reservation(cpu);
    return true;
}

/* ---- AMOs --------------------------------------------------------------- */

bool rv64_amo(struct rv64_cpu *cpu, uint64_t va, unsigned size, rv64_amo_fn *fn, uint64_t src,
              uint64_t *old)
{
    uint64_t off = va & PHYS_PAGE_MASK, pa, v;
    if (va & (size - 1)) {
        rv64_raise(cpu, CAUSE_MISALIGNED_STORE, va);
        return false;
    }
    /* A write pointer means the page translated for a store: an AMO needs
     * no more (write permission implies read, KERNEL-FACTS 6 step 3). And
     * there is no reservation to break while write pointers are cached. */
    const struct rv64_host_tlb *e = rv64_host_entry(cpu->wtlb, va);
    uint8_t *host = rv64_host_hit(e, va, size) ? rv64_host_at(e, va & ~PHYS_PAGE_MASK) : NULL;
    if (!host) {
        /* AMOs translate and fault as stores (15, 7) whatever part fails. */
        if (!xlate(cpu, va, MMU_ACC_WRITE, MMU_ACC_WRITE, va, &pa))
            return false;
        rv64_mem_sync(cpu);
        host = fill(cpu, va, pa, true);
    }
    if (host) {
        v = host_get(host + off, size);
        host_put(host + off, size, fn(v, src, size));
        *old = v;
        return true;
    }
    /* The read cannot change memory, so a store that then faults (ROM)
     * leaves everything as it was. Poison in the read part is delivered
     * (19, or 7 as an AMO's access fault); stores never consume it. */
    struct phys_fault f;
    enum phys_status st = phys_load(cpu->pm, pa, size, &v, 0, &f);
    rv64_mem_sync(cpu);
    if (st != PHYS_OK)
        return phys_fault(cpu, MMU_ACC_WRITE, va, pa, size, &f);
    st = phys_store(cpu->pm, pa, size, fn(v, src, size), 0, &f);
    rv64_code_written(cpu, pa, size);
    rv64_mem_sync(cpu);
    if (st != PHYS_OK)
        return phys_fault(cpu, MMU_ACC_WRITE, va, pa, size, &f);
    rv64_store_hits_reservation(cpu, pa, size);
    traced(cpu, va, pa, size, v, false);
    traced(cpu, va, pa, size, fn(v, src, size), true);
    if (cpu->htif_on)
        rv64_htif_store(cpu, pa, size);
    *old = v;
    return true;
}

/* ---- cache-block operations --------------------------------------------- */

/* CBOs report every fault as a store/AMO fault, with stval the address the
 * instruction was given (rs1) (CMO "Cache-Block Operations", faults). */
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
    /* A management CBO may access the block when a load or a store may
     * (CMO); W implies R (KERNEL-FACTS 6 step 3), so that is a load's
     * translation, A bit included, with a store page fault when it does
     * not permit one. */
    if (!xlate(cpu, va & ~(uint64_t)(RV64_CBO_BLOCK - 1), MMU_ACC_READ, MMU_ACC_WRITE, va, &pa))
        return false;
    rv64_mem_sync(cpu);
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
    /* cbo.zero is a store to the block (CMO): write permission and D. */
    if (!xlate(cpu, block, MMU_ACC_WRITE, MMU_ACC_WRITE, va, &pa))
        return false;
    rv64_mem_sync(cpu);
    uint8_t *host = fill(cpu, block, pa, true);
    if (host) {
        memset(host + (pa & PHYS_PAGE_MASK), 0, RV64_CBO_BLOCK);
    } else {
        struct phys_fault f;
        enum phys_status st = phys_write(cpu->pm, pa, zeros, RV64_CBO_BLOCK, 0, &f);
        rv64_code_written(cpu, pa, RV64_CBO_BLOCK);
        rv64_mem_sync(cpu);
        if (st != PHYS_OK)
            return cbo_fault(cpu, va, f.pa);
        if (cpu->htif_on)
            rv64_htif_store(cpu, pa, RV64_CBO_BLOCK);
    }
    rv64_store_hits_reservation(cpu, pa, RV64_CBO_BLOCK);
    traced(cpu, block, pa, RV64_CBO_BLOCK, 0, true);
    return true;
}
