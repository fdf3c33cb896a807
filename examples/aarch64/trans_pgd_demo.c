/*
 * trans_pgd_demo.c - a driver for trans_pgd.c shaped like hibernate's
 * resume (swsusp_arch_resume): copy the linear map, give the relocation
 * code a page of its own in the copy, switch TTBR1 to the copy with
 * break-before-make, and run the relocated code, which restores pages the
 * linear map had made read-only or taken away.
 *
 *   unsigned long rasim_trans_pgd_demo(void *tables, void *data);
 *
 * tables: TRANS_PGD_DEMO_TABLES bytes, zeroed, page aligned: the tables
 * built here and the pages the copy takes (the allocator zeroes those).
 * data: TRANS_PGD_DEMO_DATA bytes, 2 MiB aligned: the memory the linear
 * map covers besides the tables.
 *
 * Built with the MMU off (VA == PA; the scenario places images, stack and
 * buffers so), 39-bit VAs:
 *   TTBR0  identity 2 MiB blocks for this code (and the images loaded
 *          beside it, 64 KiB apart from 0x40080000) and the stack: the
 *          kernel's idmap, which the resume code runs from;
 *   TTBR1  the linear map at PAGE_OFFSET + PA ("swapper"):
 *            tables           16 pages, PAGE_KERNEL and contiguous (the
 *                             kernel sets PTE_CONT on 64 KiB aligned runs
 *                             of the linear map)
 *            data[0, 2M)      one 2 MiB block, read-only (the linear alias
 *                             of kernel text and rodata)
 *            data[2M, +64K)   16 pages: 0-3 PAGE_KERNEL, 4-7 PAGE_KERNEL_RO
 *                             (set_memory_ro), 8 PAGE_KERNEL with VALID
 *                             cleared (set_direct_map_invalid_noflush, as
 *                             for a kfence or secretmem page), 9-15
 *                             PAGE_KERNEL.
 * Each data page starts with a stamp (STAMP(i)), written before the MMU
 * is on, standing for the image's contents.
 *
 * Then, MMU on: rasim_trans_pgd_create_copy(PAGE_OFFSET, PAGE_END); a safe
 * page gets the exit code (copied, then cleaned to the point of
 * unification) and rasim_trans_pgd_map_page maps it at RELOC_VA,
 * PAGE_KERNEL_ROX; the copy's root PA goes to rasim_trans_pgd_root; TTBR1
 * goes to a zeroed page, TLBI VMALLE1, DSB NSH, then to the copy
 * (hibernate's break_before_make_ttbr_switch). The exit code, called at
 * RELOC_VA, copies page 8 over page 4 and page 9 over the block's first
 * page: both writes would fault in the original map, and page 8 would not
 * even read. Returns the sum of the words the two copies moved, or 0 with
 * the failing step in rasim_trans_pgd_demo_failed.
 */
#include "trans_pgd.h"

#define TRANS_PGD_DEMO_TABLES (16 * PAGE_SIZE)
#define TRANS_PGD_DEMO_DATA   (PMD_SIZE + 16 * PAGE_SIZE)
#define RELOC_VA              0xfffffffffe000000UL
#define STAMP(i)              (0x7472616e73000000UL | (i)) /* "trans" */

unsigned long rasim_trans_pgd_root;
unsigned long rasim_trans_pgd_demo_failed;
unsigned long rasim_trans_pgd_demo(void *tables, void *data);

/*
 * The exit code, position independent: copy a page, return the sum of its
 * words. Like the kernel's __hibernate_exit_text, it is assembly between
 * two labels, so it can be copied.
 *   unsigned long exit_copy_page(void *dst, const void *src);
 */
asm(".pushsection .text, \"ax\"\n"
    "	.balign	8\n"
    "trans_pgd_exit_text_start:\n"
    "	mov	x2, xzr\n"
    "	add	x3, x1, #1, lsl #12\n"
    "1:	ldp	x4, x5, [x1], #16\n"
    "	stp	x4, x5, [x0], #16\n"
    "	add	x2, x2, x4\n"
    "	add	x2, x2, x5\n"
    "	cmp	x1, x3\n"
    "	b.ne	1b\n"
    "	mov	x0, x2\n"
    "	ret\n"
    "trans_pgd_exit_text_end:\n"
    ".popsection\n");
extern const unsigned int trans_pgd_exit_text_start[] __attribute__((visibility("hidden")));
extern const unsigned int trans_pgd_exit_text_end[] __attribute__((visibility("hidden")));
typedef unsigned long (*exit_fn)(void *dst, const void *src);

/* ---- the allocator: pages after the early tables, zeroed (get_safe_page) */

struct safe_pages {
    unsigned long next, end; /* linear-map addresses */
};

static void clear_page(void *page)
{
    for (unsigned long p = (unsigned long)page; p < (unsigned long)page + PAGE_SIZE; p += 64)
        asm volatile("stp xzr, xzr, [%0]\n\t"
                     "stp xzr, xzr, [%0, #16]\n\t"
                     "stp xzr, xzr, [%0, #32]\n\t"
                     "stp xzr, xzr, [%0, #48]"
                     :
                     : "r"(p)
                     : "memory");
}

static void *safe_page_alloc(void *arg)
{
    struct safe_pages *pages = arg;
    if (pages->next + PAGE_SIZE > pages->end)
        return NULL;
    void *page = (void *)pages->next;
    pages->next += PAGE_SIZE;
    clear_page(page);
    return page;
}

/* The kernel's caches_clean_inval_pou: new code, then fetched through
 * another VA. */
static void caches_clean_inval_pou(unsigned long start, unsigned long end)
{
    for (unsigned long p = start; p < end; p += 64)
        asm volatile("dc cvau, %0" : : "r"(p) : "memory");
    dsb(ish);
    for (unsigned long p = start; p < end; p += 64)
        asm volatile("ic ivau, %0" : : "r"(p) : "memory");
    dsb(ish);
    isb();
}

static void copy_exit_text(void *page)
{
    const unsigned int *src = trans_pgd_exit_text_start;
    unsigned int *dst = page;
    for (; src < trans_pgd_exit_text_end; src++, dst++)
        WRITE_ONCE(*dst, READ_ONCE(*src));
    caches_clean_inval_pou((unsigned long)page, (unsigned long)dst);
}

static unsigned long failed(unsigned long step)
{
    rasim_trans_pgd_demo_failed = step;
    return 0;
}

/* The tables as the running kernel has them, built with the MMU off. */
static int build_regime(struct early_pt *pt, pgd_t *idmap, pgd_t *swapper, u64 tables, u64 data)
{
    u64 sp, pages = data + PMD_SIZE;
    asm("mov %0, sp" : "=r"(sp));
    if (early_idmap_block(pt, idmap, (u64)rasim_trans_pgd_demo, PAGE_KERNEL_EXEC) ||
        early_idmap_block(pt, idmap, (u64)&rasim_trans_pgd_root, PAGE_KERNEL) ||
        early_idmap_block(pt, idmap, sp - 1, PAGE_KERNEL))
        return -ENOMEM;
    if (early_map_pages(pt, swapper, (u64)__va(tables), tables, TRANS_PGD_DEMO_TABLES,
                        PAGE_KERNEL | PTE_CONT) ||
        early_map_blocks(pt, swapper, (u64)__va(data), data, PMD_SIZE, PAGE_KERNEL_RO) ||
        early_map_pages(pt, swapper, (u64)__va(pages), pages, 4 * PAGE_SIZE, PAGE_KERNEL) ||
        early_map_pages(pt, swapper, (u64)__va(pages + 4 * PAGE_SIZE), pages + 4 * PAGE_SIZE,
                        4 * PAGE_SIZE, PAGE_KERNEL_RO) ||
        early_map_pages(pt, swapper, (u64)__va(pages + 8 * PAGE_SIZE), pages + 8 * PAGE_SIZE,
                        8 * PAGE_SIZE, PAGE_KERNEL))
        return -ENOMEM;
    /* Page 8 taken out of the linear map: VALID cleared, the rest kept. */
    pte_t *ptep = early_pte(pt, swapper, (u64)__va(pages + 8 * PAGE_SIZE));
    __set_pte(ptep, __pte(pte_val(__ptep_get(ptep)) & ~PTE_VALID));
    /* The image's contents. */
    for (unsigned long i = 0; i < 16; i++)
        WRITE_ONCE(*(u64 *)(pages + i * PAGE_SIZE), STAMP(i));
    return 0;
}

unsigned long rasim_trans_pgd_demo(void *tables, void *data)
{
    struct early_pt pt = {(u64)tables, (u64)tables + TRANS_PGD_DEMO_TABLES};
    pgd_t *idmap = early_alloc(&pt), *swapper = early_alloc(&pt);
    u64 pages = (u64)data + PMD_SIZE;

    rasim_trans_pgd_demo_failed = 0;
    rasim_trans_pgd_root = 0;
    if (!idmap || !swapper || build_regime(&pt, idmap, swapper, (u64)tables, (u64)data))
        return failed(100);
    cpu_enable_mmu((u64)idmap, (u64)swapper, TCR_EL1_VALUE);

    /* From here on, tables and data only through the linear map. */
    struct safe_pages safe = {(unsigned long)__va(pt.next), (unsigned long)__va(pt.end)};
    struct trans_pgd_info info = {.trans_alloc_page = safe_page_alloc, .trans_alloc_arg = &safe};
    pgd_t *trans_pgd;
    if (rasim_trans_pgd_create_copy(&info, __va(swapper), &trans_pgd, PAGE_OFFSET, PAGE_END))
        return failed(1);

    void *page = safe_page_alloc(&safe);
    if (!page)
        return failed(2);
    copy_exit_text(page);
    if (rasim_trans_pgd_map_page(&info, trans_pgd, page, RELOC_VA, __pgprot(PAGE_KERNEL_ROX)))
        return failed(3);
    rasim_trans_pgd_root = __pa(trans_pgd);

    /* break_before_make_ttbr_switch: nothing may translate through the old
     * TTBR1 tables once the new ones are in. */
    void *zero_page = safe_page_alloc(&safe);
    if (!zero_page)
        return failed(4);
    write_sysreg(__pa(zero_page), ttbr1_el1);
    isb();
    asm volatile("tlbi vmalle1" : : : "memory");
    dsb(nsh);
    write_sysreg(__pa(trans_pgd), ttbr1_el1);
    isb();

    exit_fn exit_copy_page = (exit_fn)RELOC_VA;
    unsigned long sum = exit_copy_page(__va(pages + 4 * PAGE_SIZE), __va(pages + 8 * PAGE_SIZE));
    sum += exit_copy_page(__va(data), __va(pages + 9 * PAGE_SIZE));
    return sum;
}
