/*
 * mem.c - the slow path of data accesses, translation, and MTE tags.
 *
 * Translation. With SCTLR_EL1.M = 0 addresses are flat (VA == PA, with the
 * address size check below), exactly as before the MMU existed and at the
 * same cost. With M = 1 every data access, tag access, cache maintenance
 * by VA and instruction fetch goes through the stage 1 walker of mmu/ via
 * the CPU's own ASID-tagged TLB model (cpu->mmu), with the permission
 * context taken from the live system registers and PSTATE (EL, PAN, UAO,
 * and LDTR/STTR). A fault becomes the abort the architecture raises:
 * instruction abort (EC 0x21 / 0x20) for a fetch, data abort (EC 0x25 /
 * 0x24) otherwise, ISS from the walker's DFSC/IFSC (KERNEL-FACTS 2.1),
 * WnR for writes, CM and WnR for cache maintenance, FAR = the faulting VA,
 * FnV = 0, S1PTW = 0 (there is no stage 2), EA = 0 (the classification is
 * IMPLEMENTATION DEFINED; ours is 0 for every abort). A walk that reads
 * poison (or absent memory) is the walker's MMU_FAULT_WALK_ABORT, DFSC/IFSC
 * 0x14 + level, "SEA on a table walk" (KERNEL-FACTS 2.1); an access that
 * reads poison itself stays DFSC 0x10. For both, the PA of the failing
 * byte goes to the stop record. With FEAT_RAS both carry ISS.SET, and
 * poison (not other external aborts) is recorded in the PE's error record
 * (ras_record.c).
 *
 * Host-pointer TLB. An entry maps one page of VA to the host bytes that
 * phys_page_host() gave for its physical page: plain RAM (or ROM, for
 * reads) with no access hook flags. Entries are kept per permission
 * context and access type (cpu.h), so a hit never skips a check the
 * translation made: it is valid while
 *   - phys_generation() is unchanged. The generation only moves through the
 *     phys_* API: from outside a run (snapshot, restore, regions, page
 *     flags), which a64_run checks on entry, or from inside one through a
 *     hook or device callback, which can only run under a phys_* call made
 *     here (walks included) or in the fetch path, after which
 *     a64_caches_sync() checks again. So the fast path never has to ask;
 *   - and, with the MMU on, no TLBI ran and no translation register
 *     (SCTLR, TCR, TTBR0/1, MAIR) was written: both drop everything, while
 *     the TLB model keeps its entries, as hardware does (a stale
 *     translation stays in use until the right TLBI). PAN changes drop the
 *     EL1 set; EL changes pick the other set and drop the fetch page.
 * Keeping a translation in the host-pointer TLB after the TLB model evicted
 * it is allowed: a TLB may hold an entry until it is invalidated.
 * A write pointer is requested only on a write, because asking for one
 * marks the page dirty for snapshots, and only after a write translated,
 * so any hardware dirty-state (DBM) update has been made by the walk.
 *
 * Memory type. With the MMU off the architecture makes data accesses
 * Device-nGnRnE, where any unaligned access faults. We deliberately treat
 * memory as Normal instead (and, for MTE, as Tagged): the routines under
 * test were written for Normal kernel memory and would otherwise fault on
 * their first unaligned load. The alignment the architecture demands even
 * of Normal memory (exclusives, atomics, acquire/release, tag stores) and
 * SCTLR_EL1.A are still checked. With the MMU on, MTE allocation tags exist
 * only in memory whose MAIR_EL1 attribute is Tagged Normal (0xF0,
 * KERNEL-FACTS 9); the memory type is otherwise not modelled (a Device
 * mapping does not make unaligned accesses fault).
 */
#include "isa/aarch64/codecache.h"
#include "isa/aarch64/mem.h"
#include "isa/aarch64/ras_record.h"

/* Implemented physical address size (ID_AA64MMFR0_EL1.PARange = 48 bits). */
#define PA_BITS 48

/* TCR_EL1.TBI0 / TBI1, KERNEL-FACTS 4.3. */
#define TCR_TBI0 (1ull << 37)
#define TCR_TBI1 (1ull << 38)

/* MAIR_EL1 attribute of Tagged Normal memory (KERNEL-FACTS 9, MT_NORMAL_TAGGED). */
#define MAIR_TAGGED 0xf0

static void set_flush(struct a64_tlb_set *set)
{
    for (unsigned i = 0; i < A64_TLB_SIZE; i++) {
        set->r[i].vpage = UINT64_MAX;
        set->w[i].vpage = UINT64_MAX;
    }
}

/* Forget the fetch page. fetch_host goes to NULL with it: the run loop
 * tests that, after each instruction, to leave the page it was running. */
static void fetch_drop(struct a64_cpu *cpu)
{
    cpu->fetch_vpage = UINT64_MAX;
    cpu->fetch_host = NULL;
    cpu->chain_end = NULL; /* and no executor runs the next slot of it */
}

void a64_tlb_flush(struct a64_cpu *cpu)
{
    set_flush(&cpu->tlb[A64_TLB_PRIV]);
    set_flush(&cpu->tlb[A64_TLB_USER]);
    fetch_drop(cpu);
}

void a64_caches_sync(struct a64_cpu *cpu)
{
    uint64_t gen = phys_generation(cpu->pm);
    if (gen != cpu->phys_gen) {
        a64_tlb_flush(cpu);
        cpu->phys_gen = gen;
    }
    /* Code written by someone else (the host, a snapshot restore, a walk's
     * AF/dirty update): no telling which instructions, so all of them. */
    gen = phys_code_generation(cpu->pm);
    if (gen != cpu->code_gen) {
        a64_code_invalidate_all(cpu);
        cpu->code_gen = gen;
    }
}

void a64_pstate_changed(struct a64_cpu *cpu, unsigned old_el, unsigned old_pan)
{
    cpu->tlb_cur = &cpu->tlb[cpu->el ? A64_TLB_PRIV : A64_TLB_USER];
    /* After an illegal exception return the next instruction raises, which
     * only the run loop's one-at-a-time path checks: leave the page. */
    if (cpu->il)
        fetch_drop(cpu);
    if (!(cpu->sysreg[SR_SCTLR_EL1] & SCTLR_M))
        return; /* flat: no permission depends on PSTATE */
    /* PAN only changes EL1 data permissions; the EL changes which of
     * PXN / UXN applies to fetches (ArmARM D8 stage 1 permissions). */
    if (cpu->pan != old_pan)
        set_flush(&cpu->tlb[A64_TLB_PRIV]);
    if (cpu->el != old_el)
        fetch_drop(cpu);
}

/* The abort an access takes: instruction abort for fetches, data abort
 * otherwise, from the current EL or from EL0. WnR is 1 for writes and, as
 * the ArmARM's ISS description says, always for cache maintenance (which
 * also sets CM). Atomics read first and write second, each translated as
 * itself, so a fault a read would also have taken reports WnR = 0 and one
 * only the write takes reports WnR = 1, which is the rule the ArmARM gives
 * for instructions that both read and write. */
static bool abort_at(struct a64_cpu *cpu, uint64_t va, unsigned fsc, unsigned acc,
                     const uint64_t *pa)
{
    unsigned ec;
    uint32_t iss = fsc | a64_sea_set_bits(cpu, fsc);
    if (acc & A64_ACC_FETCH) {
        ec = cpu->el ? EC_IABT_CUR : EC_IABT_LOW;
    } else {
        ec = cpu->el ? EC_DABT_CUR : EC_DABT_LOW;
        if (acc & (A64_ACC_WRITE | A64_ACC_CM))
            iss |= ISS_WNR;
        if (acc & A64_ACC_CM)
            iss |= ISS_CM;
    }
    a64_raise_abort(cpu, ec, iss, va, pa);
    return false;
}

/*
 * Stage 1 off (AArch64.TranslateAddressS1Off): VA == PA, but bits above the
 * implemented PA size, up to AddrTop (bit 55 when TCR_EL1.TBI0/TBI1 makes
 * the top byte ignored for data, else 63), must be zero or the access takes
 * an address size fault at level 0.
 */
static bool translate_flat(struct a64_cpu *cpu, uint64_t va, unsigned acc, uint64_t *pa)
{
    uint64_t tbi = (va >> 55) & 1 ? TCR_TBI1 : TCR_TBI0;
    unsigned top = (!(acc & A64_ACC_FETCH) && (cpu->sysreg[SR_TCR_EL1] & tbi)) ? 55 : 63;
    uint64_t above = va >> PA_BITS;
    if (above & ((2ull << (top - PA_BITS)) - 1))
        return abort_at(cpu, va, FSC_ADDR_SIZE_L0, acc, NULL);
    *pa = va & ((1ull << PA_BITS) - 1);
    return true;
}

/*
 * Stage 1 on: through the TLB model. The context is the live registers and
 * PSTATE. LDTR/STTR at EL1 (A64_ACC_UNPRIV, set only while PSTATE.UAO is 0)
 * are checked as EL0 accesses, so PAN does not apply to them.
 *
 * Cache maintenance by VA (A64_ACC_CM): the ArmARM's permission check says
 * data cache maintenance by VA cannot take a stage 1 permission fault other
 * than DC IVAC, which needs write permission, and the operations executed
 * at EL0, which need read permission; PAN does not apply to them (AccType_DC
 * is excluded from the PAN check). They do take translation, access flag
 * and address size faults. At EL1 a read never lacks permission except by
 * PAN, so dropping PAN gives exactly that; IC IVAU is treated the same.
 */
static bool translate_mmu(struct a64_cpu *cpu, uint64_t va, unsigned acc, struct mmu_result *r)
{
    struct mmu_a64_ctx ctx = {
        .sctlr = cpu->sysreg[SR_SCTLR_EL1],
        .tcr = cpu->sysreg[SR_TCR_EL1],
        .ttbr0 = cpu->sysreg[SR_TTBR0_EL1],
        .ttbr1 = cpu->sysreg[SR_TTBR1_EL1],
        .mair = cpu->sysreg[SR_MAIR_EL1],
        .el = cpu->el,
        .pan = cpu->pan && !((acc & A64_ACC_CM) && cpu->el),
        .uao = cpu->uao,
        .unpriv = (acc & A64_ACC_UNPRIV) != 0,
        .pa_bits = PA_BITS,
    };
    enum mmu_access type = MMU_ACC_READ;
    if (acc & A64_ACC_FETCH)
        type = MMU_ACC_FETCH;
    else if (acc & A64_ACC_WRITE)
        type = MMU_ACC_WRITE;
    bool hit = true;
    int rc = mmu_tlb_a64_translate(cpu->mmu, cpu->pm, &ctx, va, type, r, &hit);
    a64_caches_sync(cpu); /* a walk read memory: a hook may have changed page flags */
    if (RASIM_TRACE_ON && cpu->tracer && (!hit || rc != 0))
        cpu->tracer->walk(cpu->tracer->ctx, r, type == MMU_ACC_FETCH, type == MMU_ACC_WRITE);
    if (rc == 0)
        return true;
    /* An external abort on the walk (poison, absent table memory): the PA of
     * the failing byte of the descriptor, for the stop record and RAS. */
    const uint64_t *pa = r->fault == MMU_FAULT_WALK_ABORT ? &r->phys.pa : NULL;
    if (pa && r->phys.status == PHYS_CHECK_FAILED)
        a64_err_record_poison(cpu, *pa);
    return abort_at(cpu, va, r->code, acc, pa);
}

/* Translate; *attr (when asked for) receives the MAIR_EL1 attribute of the
 * mapping (Tagged Normal with the MMU off, see above). */
static bool translate(struct a64_cpu *cpu, uint64_t va, unsigned acc, uint64_t *pa, uint8_t *attr)
{
    if (!(cpu->sysreg[SR_SCTLR_EL1] & SCTLR_M)) {
        if (attr)
            *attr = MAIR_TAGGED;
        return translate_flat(cpu, va, acc, pa);
    }
    if (!attr && !(acc & (A64_ACC_FETCH | A64_ACC_CM))) {
        /* A page the host-pointer TLB holds for this access and context
         * translated since the last TLBI or register change. */
        uint64_t vpage = va >> PHYS_PAGE_SHIFT;
        unsigned i = vpage & (A64_TLB_SIZE - 1);
        struct a64_tlb_set *set = a64_tlb_set_for(cpu, acc);
        bool write = acc & A64_ACC_WRITE;
        if ((write ? set->w : set->r)[i].vpage == vpage) {
            uint64_t ppage = write ? set->w_ppage[i] : set->r_ppage[i];
            *pa = ppage << PHYS_PAGE_SHIFT | (va & PHYS_PAGE_MASK);
            return true;
        }
    }
    struct mmu_result r;
    if (!translate_mmu(cpu, va, acc, &r))
        return false;
    *pa = r.pa;
    if (attr)
        *attr = r.mair_attr;
    return true;
}

bool a64_translate(struct a64_cpu *cpu, uint64_t va, unsigned acc, uint64_t *pa)
{
    return translate(cpu, va, acc, pa, NULL);
}

bool a64_alignment_fault(struct a64_cpu *cpu, uint64_t va, unsigned acc)
{
    return abort_at(cpu, va, FSC_ALIGNMENT, acc, NULL);
}

static bool alignment_ok(const struct a64_cpu *cpu, uint64_t va, unsigned size, unsigned acc)
{
    if (acc & A64_ACC_ALIGN)
        return (va & (size - 1)) == 0;
    if (cpu->sysreg[SR_SCTLR_EL1] & SCTLR_A) {
        unsigned elem = (acc & A64_ACC_PAIR) ? size / 2 : size;
        if (elem <= 16 && (elem & (elem - 1)) == 0)
            return (va & (elem - 1)) == 0;
    }
    return true;
}

/* Refill the host-pointer TLB entry of va's page for this access (a read
 * entry; a write fills the write entry too, as write permission implies
 * read permission in the same context) and return the host page, or NULL
 * when the page must take the slow path (hooked, device, absent). */
static uint8_t *tlb_fill(struct a64_cpu *cpu, uint64_t va, uint64_t pa, unsigned acc)
{
    if ((RASIM_TRACE_ON && cpu->tracer && cpu->tracer->every_access) || cpu->no_data_host_pointers)
        return NULL; /* every access must reach the slow path (tracer, MMU checker) */
    if (cpu->sysreg[SR_SCTLR_EL1] & SCTLR_A)
        return NULL; /* alignment checks are the slow path's (writing SCTLR flushes) */
    bool write = acc & A64_ACC_WRITE;
    uint8_t *host = phys_page_host(cpu->pm, pa, write);
    if (!host)
        return NULL;
    struct a64_tlb_set *set = a64_tlb_set_for(cpu, acc);
    unsigned i = (va >> PHYS_PAGE_SHIFT) & (A64_TLB_SIZE - 1);
    struct a64_tlb_entry e = {va >> PHYS_PAGE_SHIFT, (uintptr_t)host - (va & ~PHYS_PAGE_MASK)};
    set->r[i] = e;
    set->r_ppage[i] = pa >> PHYS_PAGE_SHIFT;
    if (write) {
        set->w[i] = e;
        set->w_ppage[i] = pa >> PHYS_PAGE_SHIFT;
    }
    return host;
}

bool a64_mem_access(struct a64_cpu *cpu, uint64_t va, void *buf, unsigned size, unsigned acc)
{
    bool write = acc & A64_ACC_WRITE;
    if (!alignment_ok(cpu, va, size, acc))
        return abort_at(cpu, va, FSC_ALIGNMENT, acc, NULL);

    /* Translate every page the access touches before touching memory, so
     * a translation fault on the second page leaves the first unwritten. */
    struct {
        uint64_t va, pa;
        unsigned len;
    } piece[2];
    unsigned npieces = 0;
    for (unsigned done = 0; done < size;) {
        uint64_t at = va + done;
        unsigned len = (unsigned)(PHYS_PAGE_SIZE - (at & PHYS_PAGE_MASK));
        if (len > size - done)
            len = size - done;
        uint64_t pa;
        if (!a64_translate(cpu, at, acc, &pa))
            return false;
        if (npieces && piece[npieces - 1].pa + piece[npieces - 1].len == pa) {
            piece[npieces - 1].len += len; /* physically contiguous: one access */
        } else {
            if (npieces == 2) /* more than two pages: only for size > 4 KiB */
                return abort_at(cpu, at, FSC_ALIGNMENT, acc, NULL);
            piece[npieces].va = at;
            piece[npieces].pa = pa;
            piece[npieces].len = len;
            npieces++;
        }
        done += len;
    }

    uint8_t *p = buf;
    for (unsigned i = 0; i < npieces; i++) {
        uint64_t pa = piece[i].pa;
        unsigned len = piece[i].len;
        uint8_t *host = NULL;
        if ((pa & PHYS_PAGE_MASK) + len <= PHYS_PAGE_SIZE)
            host = tlb_fill(cpu, piece[i].va, pa, acc);
        if (host) {
            if (write)
                memcpy(host + (pa & PHYS_PAGE_MASK), p, len);
            else
                memcpy(p, host + (pa & PHYS_PAGE_MASK), len);
        } else {
            struct phys_fault f;
            enum phys_status st = write ? phys_write(cpu->pm, pa, p, len, 0, &f)
                                        : phys_read(cpu->pm, pa, p, len, 0, &f);
            if (write) /* before the sync, which would drop every slot for it */
                a64_code_written(cpu, pa, len);
            a64_caches_sync(cpu); /* a hook may have changed page flags */
            if (st == PHYS_CHECK_FAILED)
                a64_err_record_poison(cpu, f.pa);
            if (st != PHYS_OK)
                return abort_at(cpu, piece[i].va + (f.pa - pa), FSC_SEA, acc, &f.pa);
        }
        p += len;
    }
    if (RASIM_TRACE_ON && cpu->tracer) {
        struct isa_mem_access a = {va, piece[0].pa, size, 0, write, false};
        memcpy(&a.value, buf, size < 8 ? size : 8); /* little-endian; the first 8 of a pair */
        cpu->tracer->mem(cpu->tracer->ctx, &a);
    }
    return true;
}

/* ---- MTE allocation tags ------------------------------------------------- */

static bool tag_status(struct a64_cpu *cpu, uint64_t va, uint64_t pa, enum phys_status st,
                       unsigned acc, uint8_t tag)
{
    a64_caches_sync(cpu);
    if (st == PHYS_CHECK_FAILED)
        a64_err_record_poison(cpu, pa);
    if (st != PHYS_OK && st != PHYS_NO_TAGS)
        return abort_at(cpu, va, FSC_SEA, acc, &pa);
    if (RASIM_TRACE_ON && cpu->tracer) {
        const struct isa_mem_access a = {va, pa, MTE_GRANULE_SIZE, tag, acc & A64_ACC_WRITE, true};
        cpu->tracer->mem(cpu->tracer->ctx, &a);
    }
    return true;
}

bool a64_tag_read(struct a64_cpu *cpu, uint64_t va, uint8_t *tag)
{
    uint64_t pa;
    uint8_t attr;
    if (!translate(cpu, va, 0, &pa, &attr))
        return false;
    *tag = 0;
    if (attr != MAIR_TAGGED) /* Untagged memory: tags read as 0 (KERNEL-FACTS 9) */
        return true;
    enum phys_status st = phys_tag_read(cpu->pm, pa, tag);
    if (st == PHYS_NO_TAGS)
        *tag = 0;
    return tag_status(cpu, va, pa, st, 0, *tag);
}

bool a64_tag_write(struct a64_cpu *cpu, uint64_t va, uint8_t tag)
{
    uint64_t pa;
    uint8_t attr;
    if (!translate(cpu, va, A64_ACC_WRITE, &pa, &attr))
        return false;
    if (attr != MAIR_TAGGED) /* Untagged memory: tag writes are ignored */
        return true;
    return tag_status(cpu, va, pa, phys_tag_write(cpu->pm, pa, tag), A64_ACC_WRITE, tag);
}
