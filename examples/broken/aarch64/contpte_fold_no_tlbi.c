/*
 * contpte_fold_no_tlbi.c - a contpte fold that skips the TLB invalidation
 * between clearing the 16 entries and writing them back with the
 * Contiguous bit: the break-before-make sequence without its middle
 * (KERNEL-FACTS.md 4.5, 8). The TLB still holds the 16 page translations
 * when the 64 KiB ones are written, so it may hold both for one VA: a TLB
 * conflict abort, or either translation, on real hardware. (Mainline only
 * drops the TLBI on CPUs with BBML2_NOABORT, where the architecture promises
 * no conflict abort and no amalgamation.) The data read back is the same,
 * so only the MMU checker sees it: examples/broken/arm64-contpte-fold-no-tlbi.yaml.
 */
#include "../../aarch64/contpte.h"

int broken_contpte_fold_no_tlbi(unsigned long addr, pte_t *ptep, unsigned long asid)
{
    (void)asid; /* the TLBI that would have used it is missing */
    if (!contpte_foldable(addr, ptep))
        return -EINVAL;

    pte_t *start_ptep = contpte_align_down(ptep);
    pte_t pte = contpte_first(pte_mkcont(__ptep_get(ptep)));
    for (int i = 0; i < CONT_PTES; i++)
        pte = contpte_gather(pte, __ptep_get_and_clear(start_ptep + i));

    dsb(ishst); /* ordered, but nothing invalidated */

    contpte_set_ptes(start_ptep, pte);
    return 0;
}
