/*
 * contpte_demo.c - a driver for the contpte routines (contpte.c): an EL1
 * translation regime built in the caller's buffer, a 64 KiB user range
 * mapped by 16 single PTEs, folded into one contiguous block and unfolded
 * again, with the hardware managing AF and dirty state (TCR_EL1.HA/HD,
 * KERNEL-FACTS.md 4.4) as on the CPUs contpte was written for.
 *
 *   unsigned long rasim_contpte_demo(void *tables, void *data,
 *                                    contpte_fold_fn fold);
 *
 * tables: CONTPTE_DEMO_TABLES bytes, zeroed, page aligned, for the tables;
 * data: the 64 KiB the user range maps, 64 KiB aligned (the block's PFNs
 * must be). fold is the routine under test: rasim_contpte_fold, or a
 * broken one (examples/broken/aarch64/contpte_fold_no_tlbi.c).
 *
 * The regime: TTBR0 with ASID 1, 39-bit VAs, identity 2 MiB blocks (global)
 * for this code and fold (contpte.o, loaded beside it, shares the block),
 * the stack and both buffers - the scenario places images, stack and
 * buffers where VA == PA with the MMU off - and the user range
 * at USER_VA, PAGE_SHARED but old (AF clear), as fault-around maps pages
 * on CPUs with hardware AF. TTBR1 is unused (EPD1).
 *
 * Steps (each one checked; a failure returns 0 and leaves its number in
 * rasim_contpte_demo_failed):
 *   1. read a word of each of the 16 pages through USER_VA: the TLB now
 *      holds 16 page translations and the hardware set AF in each entry;
 *   2. fold: the 16 entries become one contiguous block (young, clean);
 *   3. read the 16 words again, through the block;
 *   4. write to page 9: the hardware dirties entry 9 only, so entry 0 is
 *      clean while ptep_get / ptep_get_lockless of entry 0 say dirty;
 *   5. unfold: 16 single entries again, each young and dirty (gathered);
 *   6. read the 16 words a third time.
 * Returns the sum of the 16 words (the same at each reading, and equal to
 * what the identity map reads at the same physical addresses).
 */
#include "contpte.h"

#define CONTPTE_DEMO_TABLES (8 * PAGE_SIZE)
#define USER_VA             0x0000005555550000UL
#define USER_ASID           1UL

unsigned long rasim_contpte_demo_failed;

/* One word of each page, at a different offset in each (the buffer's
 * pattern repeats every 4 KiB), checked against the identity map. */
static u64 touch(const char *data)
{
    u64 sum = 0;
    for (unsigned long i = 0; i < CONT_PTES; i++) {
        unsigned long off = i * PAGE_SIZE + i * 8;
        u64 user = READ_ONCE(*(const u64 *)(USER_VA + off));
        if (user != READ_ONCE(*(const u64 *)(data + off)))
            return 0;
        sum += user;
    }
    return sum;
}

static unsigned long failed(unsigned long step)
{
    rasim_contpte_demo_failed = step;
    return 0;
}

unsigned long rasim_contpte_demo(void *tables, void *data, contpte_fold_fn fold)
{
    struct early_pt pt = {(u64)tables, (u64)tables + CONTPTE_DEMO_TABLES};
    pgd_t *pgdp = early_alloc(&pt);
    u64 sp;
    pte_t *ptep, pte;

    rasim_contpte_demo_failed = 0;
    asm("mov %0, sp" : "=r"(sp));
    if (!pgdp || early_idmap_block(&pt, pgdp, (u64)rasim_contpte_demo, PAGE_KERNEL_EXEC) ||
        early_idmap_block(&pt, pgdp, (u64)fold, PAGE_KERNEL_EXEC) ||
        early_idmap_block(&pt, pgdp, (u64)&rasim_contpte_demo_failed, PAGE_KERNEL) ||
        early_idmap_block(&pt, pgdp, sp - 1, PAGE_KERNEL) ||
        early_idmap_block(&pt, pgdp, (u64)tables, PAGE_KERNEL) ||
        early_idmap_block(&pt, pgdp, (u64)data, PAGE_KERNEL) ||
        early_map_pages(&pt, pgdp, USER_VA, (u64)data, CONT_PTE_SIZE,
                        pte_val(pte_mkold(__pte(PAGE_SHARED)))))
        return failed(100);
    ptep = early_pte(&pt, pgdp, USER_VA);
    cpu_enable_mmu((u64)pgdp | TTBR_ASID(USER_ASID), 0, TCR_EL1_VALUE | TCR_EPD1 | TCR_HA | TCR_HD);

    /* 1. Sixteen page translations in the TLB, AF set in each entry. */
    u64 sum = touch(data);
    pte = __ptep_get(ptep);
    if (!sum || !pte_young(pte) || pte_cont(pte) || pte_dirty(pte))
        return failed(1);

    /* 2. Fold. */
    if (fold(USER_VA, ptep, USER_ASID))
        return failed(2);
    dsb(ishst);
    isb();
    pte = __ptep_get(ptep);
    if (!pte_valid_cont(pte) || !pte_young(pte) || pte_dirty(pte))
        return failed(2);

    /* 3. Through the block. */
    if (touch(data) != sum)
        return failed(3);

    /* 4. Dirty one page: the block is dirty, entry 0 is not. */
    WRITE_ONCE(*(u64 *)(USER_VA + 9 * PAGE_SIZE + 0x100), 0x5a5a5a5a5a5a5a5aUL);
    pte_t got = rasim_contpte_ptep_get(ptep);
    pte_t lockless = rasim_contpte_ptep_get_lockless(ptep);
    if (pte_dirty(__ptep_get(ptep)) || !pte_dirty(got) || !pte_young(got) ||
        pte_val(lockless) != pte_val(got))
        return failed(4);

    /* 5. Unfold: every entry young and dirty. */
    rasim_contpte_unfold(USER_VA, ptep, USER_ASID);
    dsb(ishst);
    isb();
    for (int i = 0; i < CONT_PTES; i++) {
        pte = __ptep_get(ptep + i);
        if (!pte_valid(pte) || pte_cont(pte) || !pte_young(pte) || !pte_dirty(pte))
            return failed(5);
    }

    /* 6. Sixteen pages again. */
    if (touch(data) != sum)
        return failed(6);
    return sum;
}
