/*
 * trans_pgd.c - transitional page tables for hibernate resume and kexec
 * (KERNEL-FACTS.md 7, the kernel's arch/arm64/mm/trans_pgd.c, written
 * afresh): a copy of the linear map in which everything can be written,
 * so the code restoring memory may overwrite any page, and one page mapped
 * for the relocation code that runs from the copy.
 *
 * How the copy treats each entry, as Linux 6.12 does:
 *   - a valid PTE: pte_mkwrite_novma (DBM set; AP[2] cleared since kernel
 *     PTEs are software-dirty), everything else kept, the Contiguous bit
 *     included;
 *   - an invalid PTE that is not none - a page the kernel took out of the
 *     linear map (set_direct_map_invalid_noflush: kfence, secretmem,
 *     vmalloc aliases) - writable and valid again (pte_mkpresent);
 *   - a none PTE: left none;
 *   - a block (2 MiB pmd, 1 GiB pud): AP[2] cleared, nothing else;
 *   - a table: a fresh page from the caller's allocator for each one.
 *
 * Geometry as pgtable.h: 39-bit VAs, three levels (the pud level folded
 * into the pgd). Tables are reached through the linear map (__va / __pa),
 * so these run with the MMU on, as in the kernel.
 *
 * Scenario: examples/scenarios/arm64-trans-pgd.yaml (driver
 * trans_pgd_demo.c).
 */
#include "trans_pgd.h"

static void *trans_alloc(struct trans_pgd_info *info)
{
    return info->trans_alloc_page(info->trans_alloc_arg);
}

static void _copy_pte(pte_t *dst_ptep, pte_t *src_ptep)
{
    pte_t pte = __ptep_get(src_ptep);

    if (pte_valid(pte)) {
        /* Resume may overwrite read-only pages: make them writable. */
        __set_pte(dst_ptep, pte_mkwrite_novma(pte));
    } else if (!pte_none(pte)) {
        /* A page removed from the linear map is still memory the image
         * may need to restore: map it again. */
        __set_pte(dst_ptep, pte_mkpresent(pte_mkwrite_novma(pte)));
    }
}

static int copy_pte(struct trans_pgd_info *info, pmd_t *dst_pmdp, pmd_t *src_pmdp,
                    unsigned long start, unsigned long end)
{
    pte_t *dst_ptep = trans_alloc(info);
    if (!dst_ptep)
        return -ENOMEM;
    WRITE_ONCE(dst_pmdp->pmd, __pa(dst_ptep) | PMD_TYPE_TABLE);

    pte_t *src_ptep = (pte_t *)__va(pmd_page_paddr(__pmd(READ_ONCE(src_pmdp->pmd))));
    unsigned long addr = start;
    do {
        _copy_pte(dst_ptep + pte_index(addr), src_ptep + pte_index(addr));
    } while (addr += PAGE_SIZE, addr != end);
    return 0;
}

static int copy_pmd(struct trans_pgd_info *info, pgd_t *dst_pgdp, pgd_t *src_pgdp,
                    unsigned long start, unsigned long end)
{
    pmd_t *dst_pmdp = trans_alloc(info);
    if (!dst_pmdp)
        return -ENOMEM;
    WRITE_ONCE(dst_pgdp->pgd, __pa(dst_pmdp) | PMD_TYPE_TABLE);

    pmd_t *src_pmdp = (pmd_t *)__va(pgd_page_paddr(__pgd(READ_ONCE(src_pgdp->pgd))));
    unsigned long addr = start, next;
    do {
        pmd_t pmd = __pmd(READ_ONCE(src_pmdp[pmd_index(addr)].pmd));
        next = pmd_addr_end(addr, end);
        if (pmd_none(pmd))
            continue;
        if (pmd_table(pmd)) {
            if (copy_pte(info, &dst_pmdp[pmd_index(addr)], &src_pmdp[pmd_index(addr)], addr, next))
                return -ENOMEM;
        } else {
            WRITE_ONCE(dst_pmdp[pmd_index(addr)].pmd, pmd_val(pmd) & ~PMD_SECT_RDONLY);
        }
    } while (addr = next, addr != end);
    return 0;
}

static int copy_page_tables(struct trans_pgd_info *info, pgd_t *dst_pgdp, pgd_t *src_pgdp,
                            unsigned long start, unsigned long end)
{
    unsigned long addr = start, next;
    do {
        pgd_t pgd = __pgd(READ_ONCE(src_pgdp[pgd_index(addr)].pgd));
        next = pgd_addr_end(addr, end);
        if (pgd_none(pgd))
            continue;
        if (pgd_table(pgd)) {
            if (copy_pmd(info, &dst_pgdp[pgd_index(addr)], &src_pgdp[pgd_index(addr)], addr, next))
                return -ENOMEM;
        } else {
            /* A 1 GiB block (the pud level, folded here). */
            WRITE_ONCE(dst_pgdp[pgd_index(addr)].pgd, pgd_val(pgd) & ~PUD_SECT_RDONLY);
        }
    } while (addr = next, addr != end);
    return 0;
}

/*
 * Copy [start, end) of the tree at src_pgdp (the kernel's init_mm, here a
 * parameter) into tables from info's allocator; *dst_pgdp is the new root.
 * Callers pass the linear map, PAGE_OFFSET..PAGE_END. 0 or -ENOMEM.
 */
int rasim_trans_pgd_create_copy(struct trans_pgd_info *info, pgd_t *src_pgdp, pgd_t **dst_pgdp,
                                unsigned long start, unsigned long end)
{
    pgd_t *trans_pgd = trans_alloc(info);
    if (!trans_pgd)
        return -ENOMEM;
    int rc = copy_page_tables(info, trans_pgd, src_pgdp, start, end);
    if (!rc)
        *dst_pgdp = trans_pgd;
    return rc;
}

/*
 * Map the page at page (a linear-map address) at dst_addr in trans_pgd
 * with pgprot, making the tables on the way: how the relocation code is
 * given a home that the restore cannot overwrite. An entry on the way that
 * is a block is refused (-EINVAL): the relocation page must not land in a
 * range the copy already maps.
 */
int rasim_trans_pgd_map_page(struct trans_pgd_info *info, pgd_t *trans_pgd, void *page,
                             unsigned long dst_addr, pgprot_t pgprot)
{
    pgd_t *pgdp = &trans_pgd[pgd_index(dst_addr)];
    pgd_t pgd = __pgd(READ_ONCE(pgdp->pgd));
    if (pgd_none(pgd)) {
        pmd_t *pmdp = trans_alloc(info);
        if (!pmdp)
            return -ENOMEM;
        pgd = __pgd(__pa(pmdp) | PMD_TYPE_TABLE);
        WRITE_ONCE(pgdp->pgd, pgd_val(pgd));
    } else if (!pgd_table(pgd)) {
        return -EINVAL;
    }

    pmd_t *pmdp = (pmd_t *)__va(pgd_page_paddr(pgd)) + pmd_index(dst_addr);
    pmd_t pmd = __pmd(READ_ONCE(pmdp->pmd));
    if (pmd_none(pmd)) {
        pte_t *ptep = trans_alloc(info);
        if (!ptep)
            return -ENOMEM;
        pmd = __pmd(__pa(ptep) | PMD_TYPE_TABLE);
        WRITE_ONCE(pmdp->pmd, pmd_val(pmd));
    } else if (!pmd_table(pmd)) {
        return -EINVAL;
    }

    pte_t *ptep = (pte_t *)__va(pmd_page_paddr(pmd)) + pte_index(dst_addr);
    __set_pte(ptep, pfn_pte(__pa(page) >> PAGE_SHIFT, pgprot));
    return 0;
}
