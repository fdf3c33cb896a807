/*
 * contpte.h - what the contpte routines (contpte.c) and the broken fold
 * (broken/aarch64/contpte_fold_no_tlbi.c) share: the block arithmetic and
 * the check that a block may be folded (KERNEL-FACTS.md 8, the kernel's
 * __contpte_try_fold).
 */
#ifndef RASIM_EXAMPLES_CONTPTE_H
#define RASIM_EXAMPLES_CONTPTE_H

#include "pgtable.h"

/* The fold routine a driver is given (good or broken). */
typedef int (*contpte_fold_fn)(unsigned long addr, pte_t *ptep, unsigned long asid);

int rasim_contpte_fold(unsigned long addr, pte_t *ptep, unsigned long asid);
void rasim_contpte_unfold(unsigned long addr, pte_t *ptep, unsigned long asid);
pte_t rasim_contpte_ptep_get(pte_t *ptep);
pte_t rasim_contpte_ptep_get_lockless(pte_t *ptep);

/* The first PTE of the 16-entry block holding ptep. */
static inline pte_t *contpte_align_down(pte_t *ptep)
{
    return (pte_t *)ALIGN_DOWN((unsigned long)ptep, sizeof(*ptep) * CONT_PTES);
}

/* The protection a block must share, AF and dirty state aside. */
static inline pgprot_t contpte_prot(pte_t pte)
{
    return pte_pgprot(pte_mkold(pte_mkclean(pte)));
}

/*
 * May the block of ptep (mapping addr) be folded? Every entry valid and
 * not contiguous, the PFNs consecutive from a 64 KiB aligned one, the
 * protection the same in all 16 (AF and dirty may differ: the hardware sets
 * them per entry), and the VA aligned like the PFN. (The kernel also asks
 * that one folio cover the block and that the mm be a user mm; a caller
 * here vouches for both.)
 */
static inline bool contpte_foldable(unsigned long addr, pte_t *ptep)
{
    pte_t *start = contpte_align_down(ptep);
    pte_t pte = __ptep_get(ptep);
    if (!pte_valid(pte) || pte_cont(pte))
        return false;
    unsigned long pfn = pte_pfn(pte) - (unsigned long)(ptep - start);
    if (pfn % CONT_PTES || pte_index(addr) % CONT_PTES != (unsigned long)(ptep - start))
        return false;
    pgprot_t prot = contpte_prot(pte);
    for (int i = 0; i < CONT_PTES; i++) {
        pte_t subpte = __ptep_get(start + i);
        if (!pte_valid(subpte) ||
            pte_val(pte_mkold(pte_mkclean(subpte))) != pte_val(pfn_pte(pfn + i, prot)))
            return false;
    }
    return true;
}

/* The new value of the block's first entry when converting it: the PFN
 * aligned down to the block, the protection of pte. */
static inline pte_t contpte_first(pte_t pte)
{
    return pfn_pte(ALIGN_DOWN(pte_pfn(pte), CONT_PTES), pte_pgprot(pte));
}

/* Gather AF and dirty of an entry being cleared into pte. */
static inline pte_t contpte_gather(pte_t pte, pte_t ptent)
{
    if (pte_dirty(ptent))
        pte = pte_mkdirty(pte);
    if (pte_young(ptent))
        pte = pte_mkyoung(pte);
    return pte;
}

/* Write the 16 entries of a block from its first value, PFN by PFN. */
static inline void contpte_set_ptes(pte_t *ptep, pte_t pte)
{
    for (int i = 0; i < CONT_PTES; i++, ptep++)
        __set_pte(ptep, pfn_pte(pte_pfn(pte) + i, pte_pgprot(pte)));
}

#endif
