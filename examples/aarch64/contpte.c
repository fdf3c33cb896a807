/*
 * contpte.c - contiguous PTEs for user mappings (KERNEL-FACTS.md 8, the
 * kernel's arch/arm64/mm/contpte.c, written afresh): reading a PTE of a
 * 16-entry block with AF and dirty gathered over the block, with and
 * without the page-table lock, and folding / unfolding a block with
 * break-before-make.
 *
 * Why gather: with hardware AF / dirty management (4.4) the update lands on
 * whichever of the 16 descriptors the walk used, so the block's state is
 * the OR over all of them.
 *
 * Why break-before-make: setting or clearing the Contiguous bit of live
 * entries changes the size of the translation the TLB may hold (4.5); the
 * old entries must be invalid and invalidated before the new ones are
 * written, or the TLB can hold both a 4 KiB and a 64 KiB entry for one VA
 * (a TLB conflict abort, or either translation used).
 *
 * Scenarios: examples/scenarios/arm64-contpte.yaml (driver contpte_demo.c),
 * and the fold without TLBI, examples/broken/arm64-contpte-fold-no-tlbi.yaml.
 */
#include "contpte.h"

/*
 * ptep_get(): the entry, and if it is part of a valid contiguous block, the
 * entry with AF and dirty ORed in from all 16. The caller holds the
 * page-table lock, so nobody folds or unfolds the block meanwhile.
 */
pte_t rasim_contpte_ptep_get(pte_t *ptep)
{
    pte_t orig_pte = __ptep_get(ptep);
    if (!pte_valid_cont(orig_pte))
        return orig_pte;

    pte_t *start = contpte_align_down(ptep);
    for (int i = 0; i < CONT_PTES; i++) {
        pte_t pte = __ptep_get(start + i);
        if (pte_dirty(pte))
            orig_pte = pte_mkdirty(orig_pte);
        if (pte_young(pte))
            orig_pte = pte_mkyoung(orig_pte);
    }
    return orig_pte;
}

/*
 * ptep_get_lockless(): the same without the lock, so the block may be
 * unfolded, refolded or repainted while it is read. The view is only
 * trusted if all 16 entries read agree with the target entry: valid,
 * contiguous, PFNs consecutive around the target's, the same protection
 * once AF and dirty are set aside. Otherwise an update was caught half
 * way and everything is read again. No ordering between the reads is
 * needed: any interleaving that passes the check is a consistent block.
 */
pte_t rasim_contpte_ptep_get_lockless(pte_t *orig_ptep)
{
    pte_t orig_pte;
retry:
    orig_pte = __ptep_get(orig_ptep);
    if (!pte_valid_cont(orig_pte))
        return orig_pte;

    pgprot_t orig_prot = contpte_prot(orig_pte);
    pte_t *ptep = contpte_align_down(orig_ptep);
    unsigned long pfn = pte_pfn(orig_pte) - (unsigned long)(orig_ptep - ptep);
    for (int i = 0; i < CONT_PTES; i++, ptep++, pfn++) {
        pte_t pte = __ptep_get(ptep);
        if (!pte_valid_cont(pte) || pte_pfn(pte) != pfn ||
            pgprot_val(contpte_prot(pte)) != pgprot_val(orig_prot))
            goto retry;
        if (pte_dirty(pte))
            orig_pte = pte_mkdirty(orig_pte);
        if (pte_young(pte))
            orig_pte = pte_mkyoung(orig_pte);
    }
    return orig_pte;
}

/*
 * Invalidate the block's 16 pages in every TLB of the inner shareable
 * domain, last level only (the tables above did not change), and wait for
 * it: the kernel's __flush_tlb_range(vma, start, start + 64K, PAGE_SIZE,
 * true, 3) for an mm whose ASID is asid.
 */
static void contpte_flush_tlb_range(unsigned long start, unsigned long asid)
{
    dsb(ishst);
    for (unsigned long addr = start; addr < start + CONT_PTE_SIZE; addr += PAGE_SIZE)
        __tlbi_vale1is(__tlbi_vaddr(addr, asid));
    dsb(ish);
}

/*
 * contpte_convert(): rewrite the block of ptep as pte says (Contiguous set
 * or clear), break-before-make:
 *   1. clear every entry, gathering its AF and dirty into the new value
 *      (atomically: the hardware may be setting them as we go);
 *   2. TLBI by VA for each page, then DSB: no TLB still holds the old
 *      translations;
 *   3. write the 16 new entries, consecutive PFNs, with what was gathered.
 * Between 1 and 3 an access faults and the fault handler waits on the
 * page-table lock, which is why the kernel does this for user mms only.
 */
static void contpte_convert(unsigned long addr, pte_t *ptep, pte_t pte, unsigned long asid)
{
    pte_t *start_ptep = contpte_align_down(ptep);
    unsigned long start_addr = ALIGN_DOWN(addr, CONT_PTE_SIZE);

    pte = contpte_first(pte);
    for (int i = 0; i < CONT_PTES; i++)
        pte = contpte_gather(pte, __ptep_get_and_clear(start_ptep + i));

    contpte_flush_tlb_range(start_addr, asid);

    contpte_set_ptes(start_ptep, pte);
}

/* Fold the block of ptep (mapping addr) into one contiguous range if it
 * may be (contpte_foldable): 0, or -EINVAL with the block untouched. */
int rasim_contpte_fold(unsigned long addr, pte_t *ptep, unsigned long asid)
{
    if (!contpte_foldable(addr, ptep))
        return -EINVAL;
    contpte_convert(addr, ptep, pte_mkcont(__ptep_get(ptep)), asid);
    return 0;
}

/* Unfold the block of ptep back into 16 single entries, before one of them
 * is changed on its own (contpte_try_unfold). Nothing to do unless it is a
 * valid contiguous block. */
void rasim_contpte_unfold(unsigned long addr, pte_t *ptep, unsigned long asid)
{
    pte_t pte = __ptep_get(ptep);
    if (!pte_valid_cont(pte))
        return;
    contpte_convert(addr, ptep, pte_mknoncont(pte), asid);
}
