/*
 * mem.c - the slow path of data accesses, translation, and MTE tags.
 *
 * Host-pointer TLB. An entry maps one page of VA to the host bytes that
 * phys_page_host() gave for its physical page: plain RAM (or ROM, for
 * reads) with no access hook flags. It is valid while phys_generation() is
 * unchanged. The generation only moves through the phys_* API: from
 * outside a run (snapshot, restore, regions, page flags), which a64_run
 * checks on entry, or from inside one through a hook or device callback,
 * which can only run under a phys_read/phys_write call made here or in the
 * fetch path, after which a64_caches_sync() checks again. So the fast path
 * never has to ask. A write pointer is requested only on a write, because
 * asking for one marks the page dirty for snapshots.
 *
 * Memory type. With the MMU off the architecture makes data accesses
 * Device-nGnRnE, where any unaligned access faults. We deliberately treat
 * memory as Normal instead (and, for MTE, as Tagged): the routines under
 * test were written for Normal kernel memory and would otherwise fault on
 * their first unaligned load. The alignment the architecture demands even
 * of Normal memory (exclusives, atomics, acquire/release, tag stores) and
 * SCTLR_EL1.A are still checked.
 */
#include "isa/aarch64/mem.h"

/* Implemented physical address size (ID_AA64MMFR0_EL1.PARange = 48 bits). */
#define PA_BITS 48

void a64_tlb_flush(struct a64_cpu *cpu)
{
    for (unsigned i = 0; i < A64_TLB_SIZE; i++)
        cpu->tlb[i].vpage = UINT64_MAX;
    cpu->fetch_vpage = UINT64_MAX;
}

void a64_caches_sync(struct a64_cpu *cpu)
{
    uint64_t gen = phys_generation(cpu->pm);
    if (gen != cpu->phys_gen) {
        a64_tlb_flush(cpu);
        cpu->phys_gen = gen;
    }
}

/* The abort an access takes: instruction abort for fetches, data abort
 * otherwise, from the current EL or from EL0. */
static bool abort_at(struct a64_cpu *cpu, uint64_t va, unsigned fsc, unsigned acc,
                     const uint64_t *pa)
{
    unsigned ec;
    uint32_t iss = fsc;
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
 * Stage 1 translation. The stage 1 walker (mmu/) is not wired in yet; this
 * is where the MMU work plugs it. Today VA == PA whatever SCTLR_EL1.M says, as the
 * architecture translates with stage 1 off (AArch64.TranslateAddressS1Off):
 * bits above the implemented PA size, up to AddrTop (bit 55 when
 * TCR_EL1.TBI0/TBI1 makes the top byte ignored for data, else 63), must be
 * zero or the access takes an address size fault at level 0.
 *
 * When the walker lands it is called here for SCTLR_EL1.M == 1, with EL0
 * permissions for A64_ACC_UNPRIV at EL1 (unless PSTATE.UAO), PAN, and faults
 * raised through abort_at(); the host-pointer TLB entries then must carry
 * per-EL permissions, and a64_tlb_flush() already runs on TLBI
 * (exec_system.c) and on SCTLR/TCR/TTBR/MAIR writes (sysreg.c).
 */
#define TCR_TBI0 (1ull << 37)
#define TCR_TBI1 (1ull << 38)

bool a64_translate(struct a64_cpu *cpu, uint64_t va, unsigned acc, uint64_t *pa)
{
    uint64_t tbi = (va >> 55) & 1 ? TCR_TBI1 : TCR_TBI0;
    unsigned top = (!(acc & A64_ACC_FETCH) && (cpu->sysreg[SR_TCR_EL1] & tbi)) ? 55 : 63;
    uint64_t above = va >> PA_BITS;
    if (above & ((2ull << (top - PA_BITS)) - 1))
        return abort_at(cpu, va, FSC_ADDR_SIZE_L0, acc, NULL);
    *pa = va & ((1ull << PA_BITS) - 1);
    return true;
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

/* Refill the TLB entry for va's page and return the host page, or NULL
 * when the page must take the slow path (hooked, device, absent). */
static uint8_t *tlb_fill(struct a64_cpu *cpu, uint64_t va, uint64_t pa, bool write)
{
    uint8_t *host = phys_page_host(cpu->pm, pa, write);
    if (!host)
        return NULL;
    struct a64_tlb_entry *e = &cpu->tlb[(va >> PHYS_PAGE_SHIFT) & (A64_TLB_SIZE - 1)];
    e->vpage = va >> PHYS_PAGE_SHIFT;
    e->host = host;
    e->perm = write ? (A64_TLB_R | A64_TLB_W) : A64_TLB_R;
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
            host = tlb_fill(cpu, piece[i].va, pa, write);
        if (host) {
            if (write)
                memcpy(host + (pa & PHYS_PAGE_MASK), p, len);
            else
                memcpy(p, host + (pa & PHYS_PAGE_MASK), len);
        } else {
            struct phys_fault f;
            enum phys_status st = write ? phys_write(cpu->pm, pa, p, len, 0, &f)
                                        : phys_read(cpu->pm, pa, p, len, 0, &f);
            a64_caches_sync(cpu); /* a hook may have changed page flags */
            if (st != PHYS_OK)
                return abort_at(cpu, piece[i].va + (f.pa - pa), FSC_SEA, acc, &f.pa);
        }
        p += len;
    }
    return true;
}

/* ---- MTE allocation tags ------------------------------------------------- */

static bool tag_status(struct a64_cpu *cpu, uint64_t va, uint64_t pa, enum phys_status st,
                       unsigned acc)
{
    a64_caches_sync(cpu);
    if (st == PHYS_OK || st == PHYS_NO_TAGS)
        return true;
    return abort_at(cpu, va, FSC_SEA, acc, &pa);
}

bool a64_tag_read(struct a64_cpu *cpu, uint64_t va, uint8_t *tag)
{
    uint64_t pa;
    if (!a64_translate(cpu, va, 0, &pa))
        return false;
    *tag = 0;
    enum phys_status st = phys_tag_read(cpu->pm, pa, tag);
    if (st == PHYS_NO_TAGS)
        *tag = 0;
    return tag_status(cpu, va, pa, st, 0);
}

bool a64_tag_write(struct a64_cpu *cpu, uint64_t va, uint8_t tag)
{
    uint64_t pa;
    if (!a64_translate(cpu, va, A64_ACC_WRITE, &pa))
        return false;
    return tag_status(cpu, va, pa, phys_tag_write(cpu->pm, pa, tag), A64_ACC_WRITE);
}
