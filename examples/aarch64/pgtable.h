/*
 * pgtable.h - the arm64 page-table vocabulary the contpte and trans_pgd
 * examples share, spelled as the kernel spells it: descriptor bits
 * (KERNEL-FACTS.md 4.1), the PTE helpers for access flag and dirty state
 * (4.4), TLB maintenance, and an early mapper that builds an EL1 regime
 * in a caller's buffer and turns the MMU on.
 *
 * Geometry: 4 KiB granule, 39-bit VAs (CONFIG_ARM64_VA_BITS_39), so three
 * levels: pgd (level 1, 1 GiB an entry) -> pmd (level 2, 2 MiB) -> pte
 * (level 3, 4 KiB). A walk starts at level 1 when T0SZ/T1SZ = 25 (4.2, 4.3).
 *
 * Guest code: built with -ffreestanding -nostdinc, so no libc; memory the
 * MMU also reads is accessed with READ_ONCE / WRITE_ONCE, as the kernel
 * does, which also keeps the compiler from turning loops into memset or
 * memcpy calls that nothing would resolve.
 */
#ifndef RASIM_EXAMPLES_PGTABLE_H
#define RASIM_EXAMPLES_PGTABLE_H

typedef unsigned long u64;
typedef unsigned long phys_addr_t;
typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)

#define EINVAL 22
#define ENOMEM 12

#define READ_ONCE(x)     (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define BIT(n)           (1UL << (n))

/* ---- geometry (KERNEL-FACTS 4.2) ------------------------------------------ */

#define PAGE_SHIFT   12
#define PAGE_SIZE    (1UL << PAGE_SHIFT)
#define PMD_SHIFT    21
#define PMD_SIZE     (1UL << PMD_SHIFT)
#define PGDIR_SHIFT  30
#define PGDIR_SIZE   (1UL << PGDIR_SHIFT)
#define PTRS_PER_PTE 512
#define PTRS_PER_PMD 512
#define PTRS_PER_PGD 512
#define VA_BITS      39

/* The linear map: all of physical memory at PAGE_OFFSET, the bottom half of
 * the TTBR1 range (Documentation/arm64/memory.rst), with PHYS_OFFSET 0. */
#define PAGE_OFFSET (-(1UL << VA_BITS))
#define PAGE_END    (PAGE_OFFSET + (1UL << (VA_BITS - 1)))
#define __va(pa)    ((void *)((unsigned long)(pa) + PAGE_OFFSET))
#define __pa(va)    ((phys_addr_t)(va)-PAGE_OFFSET)

/* Contiguous PTEs: 16 entries, 64 KiB (4.2, CONFIG_ARM64_CONT_PTE_SHIFT). */
#define CONT_PTES     16
#define CONT_PTE_SIZE (CONT_PTES * PAGE_SIZE)

/* ---- descriptor bits (KERNEL-FACTS 4.1) ----------------------------------- */

#define PTE_VALID       BIT(0)
#define PTE_TABLE_BIT   BIT(1)
#define PTE_TYPE_MASK   (3UL << 0)
#define PTE_TYPE_PAGE   (3UL << 0)
#define PMD_TYPE_TABLE  (3UL << 0)
#define PMD_TYPE_SECT   (1UL << 0)
#define PTE_ATTRINDX(t) ((u64)(t) << 2)
#define PTE_USER        BIT(6)     /* AP[1] */
#define PTE_RDONLY      BIT(7)     /* AP[2] */
#define PTE_SHARED      (3UL << 8) /* SH: inner shareable */
#define PTE_AF          BIT(10)
#define PTE_NG          BIT(11)
#define PTE_ADDR_MASK   0x0000fffffffff000UL /* OA[47:12] */
#define PTE_WRITE       BIT(51)              /* DBM */
#define PTE_CONT        BIT(52)
#define PTE_PXN         BIT(53)
#define PTE_UXN         BIT(54)
#define PTE_DIRTY       BIT(55) /* software dirty, both 6.1 and 6.12 */
#define PMD_SECT_RDONLY BIT(7)  /* AP[2] of a block */
#define PUD_SECT_RDONLY BIT(7)

/* MAIR_EL1 index 0 is Normal write-back (Linux MT_NORMAL, attribute 0xff). */
#define MT_NORMAL 0

/* ---- protections, as the kernel composes them (4.4: all PAGE_KERNEL*
 * carry PTE_DIRTY) ------------------------------------------------------- */

#define PROT_DEFAULT (PTE_TYPE_PAGE | PTE_AF | PTE_SHARED)
#define PAGE_KERNEL                                                                                \
    (PROT_DEFAULT | PTE_PXN | PTE_UXN | PTE_WRITE | PTE_DIRTY | PTE_ATTRINDX(MT_NORMAL))
#define PAGE_KERNEL_RO   ((PAGE_KERNEL & ~PTE_WRITE) | PTE_RDONLY)
#define PAGE_KERNEL_ROX  ((PAGE_KERNEL & ~(PTE_WRITE | PTE_PXN)) | PTE_RDONLY)
#define PAGE_KERNEL_EXEC (PAGE_KERNEL & ~PTE_PXN)
/* A user page, read/write: writable-clean (DBM with AP[2] set) until the
 * hardware dirties it, not global, never executable at EL1. */
#define PAGE_SHARED                                                                                \
    (PROT_DEFAULT | PTE_USER | PTE_RDONLY | PTE_NG | PTE_PXN | PTE_UXN | PTE_WRITE |               \
     PTE_ATTRINDX(MT_NORMAL))

/* ---- types ---------------------------------------------------------------- */

typedef u64 pteval_t;
typedef struct {
    pteval_t pte;
} pte_t;
typedef struct {
    u64 pmd;
} pmd_t;
typedef struct {
    u64 pgd;
} pgd_t;
typedef struct {
    u64 pgprot;
} pgprot_t;

#define pte_val(x)    ((x).pte)
#define pmd_val(x)    ((x).pmd)
#define pgd_val(x)    ((x).pgd)
#define pgprot_val(x) ((x).pgprot)
#define __pte(x)      ((pte_t){(x)})
#define __pmd(x)      ((pmd_t){(x)})
#define __pgd(x)      ((pgd_t){(x)})
#define __pgprot(x)   ((pgprot_t){(x)})

/* ---- PTE helpers (4.4) ---------------------------------------------------- */

static inline unsigned long pte_pfn(pte_t pte)
{
    return (pte_val(pte) & PTE_ADDR_MASK) >> PAGE_SHIFT;
}

static inline pte_t pfn_pte(unsigned long pfn, pgprot_t prot)
{
    return __pte(((u64)pfn << PAGE_SHIFT) | pgprot_val(prot));
}

/* Everything but the output address. */
static inline pgprot_t pte_pgprot(pte_t pte)
{
    return __pgprot(pte_val(pte) & ~PTE_ADDR_MASK);
}

static inline bool pte_none(pte_t pte)
{
    return !pte_val(pte);
}

static inline bool pte_valid(pte_t pte)
{
    return pte_val(pte) & PTE_VALID;
}

static inline bool pte_cont(pte_t pte)
{
    return pte_val(pte) & PTE_CONT;
}

static inline bool pte_valid_cont(pte_t pte)
{
    return (pte_val(pte) & (PTE_VALID | PTE_CONT)) == (PTE_VALID | PTE_CONT);
}

static inline bool pte_young(pte_t pte)
{
    return pte_val(pte) & PTE_AF;
}

static inline bool pte_write(pte_t pte)
{
    return pte_val(pte) & PTE_WRITE;
}

static inline bool pte_hw_dirty(pte_t pte)
{
    return pte_write(pte) && !(pte_val(pte) & PTE_RDONLY);
}

static inline bool pte_sw_dirty(pte_t pte)
{
    return pte_val(pte) & PTE_DIRTY;
}

static inline bool pte_dirty(pte_t pte)
{
    return pte_sw_dirty(pte) || pte_hw_dirty(pte);
}

static inline pte_t pte_mkyoung(pte_t pte)
{
    return __pte(pte_val(pte) | PTE_AF);
}

static inline pte_t pte_mkold(pte_t pte)
{
    return __pte(pte_val(pte) & ~PTE_AF);
}

static inline pte_t pte_mkdirty(pte_t pte)
{
    pte = __pte(pte_val(pte) | PTE_DIRTY);
    if (pte_write(pte))
        pte = __pte(pte_val(pte) & ~PTE_RDONLY);
    return pte;
}

static inline pte_t pte_mkclean(pte_t pte)
{
    return __pte((pte_val(pte) & ~PTE_DIRTY) | PTE_RDONLY);
}

/* Linux 6.12's pte_mkwrite_novma: DBM on, and AP[2] off if sw-dirty. */
static inline pte_t pte_mkwrite_novma(pte_t pte)
{
    pte = __pte(pte_val(pte) | PTE_WRITE);
    if (pte_sw_dirty(pte))
        pte = __pte(pte_val(pte) & ~PTE_RDONLY);
    return pte;
}

/* Linux 6.12's pte_mkpresent (mainline pte_mkvalid): VALID on, nothing else. */
static inline pte_t pte_mkpresent(pte_t pte)
{
    return __pte(pte_val(pte) | PTE_VALID);
}

static inline pte_t pte_mkcont(pte_t pte)
{
    return __pte(pte_val(pte) | PTE_CONT);
}

static inline pte_t pte_mknoncont(pte_t pte)
{
    return __pte(pte_val(pte) & ~PTE_CONT);
}

static inline pte_t __ptep_get(pte_t *ptep)
{
    return __pte(READ_ONCE(ptep->pte));
}

static inline void __set_pte(pte_t *ptep, pte_t pte)
{
    WRITE_ONCE(ptep->pte, pte_val(pte));
}

/* Atomic, so an AF / dirty update the hardware makes meanwhile is not lost. */
static inline pte_t __ptep_get_and_clear(pte_t *ptep)
{
    return __pte(__atomic_exchange_n(&ptep->pte, 0, __ATOMIC_RELAXED));
}

/* ---- table and block entries ---------------------------------------------- */

static inline bool pmd_none(pmd_t pmd)
{
    return !pmd_val(pmd);
}

static inline bool pmd_table(pmd_t pmd)
{
    return (pmd_val(pmd) & PTE_TYPE_MASK) == PMD_TYPE_TABLE;
}

static inline bool pmd_sect(pmd_t pmd)
{
    return (pmd_val(pmd) & PTE_TYPE_MASK) == PMD_TYPE_SECT;
}

static inline bool pgd_none(pgd_t pgd)
{
    return !pgd_val(pgd);
}

static inline bool pgd_table(pgd_t pgd)
{
    return (pgd_val(pgd) & PTE_TYPE_MASK) == PMD_TYPE_TABLE;
}

static inline phys_addr_t pmd_page_paddr(pmd_t pmd)
{
    return pmd_val(pmd) & PTE_ADDR_MASK;
}

static inline phys_addr_t pgd_page_paddr(pgd_t pgd)
{
    return pgd_val(pgd) & PTE_ADDR_MASK;
}

/* A block from a page protection (the kernel's mk_pmd_sect_prot). */
static inline u64 mk_sect_prot(u64 prot)
{
    return prot & ~PTE_TABLE_BIT;
}

static inline unsigned long pgd_index(unsigned long addr)
{
    return (addr >> PGDIR_SHIFT) & (PTRS_PER_PGD - 1);
}

static inline unsigned long pmd_index(unsigned long addr)
{
    return (addr >> PMD_SHIFT) & (PTRS_PER_PMD - 1);
}

static inline unsigned long pte_index(unsigned long addr)
{
    return (addr >> PAGE_SHIFT) & (PTRS_PER_PTE - 1);
}

/* The end of the entry covering addr at a level, or end if sooner. */
static inline unsigned long pgd_addr_end(unsigned long addr, unsigned long end)
{
    unsigned long boundary = (addr + PGDIR_SIZE) & ~(PGDIR_SIZE - 1);
    return boundary - 1 < end - 1 ? boundary : end;
}

static inline unsigned long pmd_addr_end(unsigned long addr, unsigned long end)
{
    unsigned long boundary = (addr + PMD_SIZE) & ~(PMD_SIZE - 1);
    return boundary - 1 < end - 1 ? boundary : end;
}

/* ---- barriers and TLB maintenance ----------------------------------------- */

#define dsb(opt) asm volatile("dsb " #opt : : : "memory")
#define isb()    asm volatile("isb" : : : "memory")

/* The TLBI operand (ArmARM TLBI, KERNEL-FACTS 8): VA[55:12] in bits 43:0,
 * the ASID in bits 63:48 (the kernel's __TLBI_VADDR). */
static inline u64 __tlbi_vaddr(unsigned long addr, unsigned long asid)
{
    return ((addr >> 12) & ((1UL << 44) - 1)) | (asid << 48);
}

static inline void __tlbi_vale1is(u64 arg)
{
    asm volatile("tlbi vale1is, %0" : : "r"(arg) : "memory");
}

/* ---- an early mapper ----------------------------------------------------- *
 * Builds tables in a buffer before the MMU is on, when VA == PA, the way
 * head.S / map_kernel do it early in boot: pages come from a bump
 * allocator over the buffer, which the caller gives zeroed. */

struct early_pt {
    u64 next, end; /* physical */
};

static inline void *early_alloc(struct early_pt *pt)
{
    u64 page = pt->next;
    if (page + PAGE_SIZE > pt->end)
        return NULL;
    pt->next = page + PAGE_SIZE;
    return (void *)page;
}

/* The pmd entry for addr, making the pmd table if the pgd entry is none. */
static inline pmd_t *early_pmd(struct early_pt *pt, pgd_t *pgdp, unsigned long addr)
{
    pgd_t *slot = &pgdp[pgd_index(addr)];
    pgd_t pgd = __pgd(READ_ONCE(slot->pgd));
    if (pgd_none(pgd)) {
        void *table = early_alloc(pt);
        if (!table)
            return NULL;
        pgd = __pgd((u64)table | PMD_TYPE_TABLE);
        WRITE_ONCE(slot->pgd, pgd_val(pgd));
    }
    return (pmd_t *)pgd_page_paddr(pgd) + pmd_index(addr);
}

/* Map [addr, addr + size) to pa with 2 MiB blocks (all three aligned). */
static inline int early_map_blocks(struct early_pt *pt, pgd_t *pgdp, unsigned long addr,
                                   phys_addr_t pa, unsigned long size, u64 prot)
{
    for (unsigned long end = addr + size; addr != end; addr += PMD_SIZE, pa += PMD_SIZE) {
        pmd_t *pmdp = early_pmd(pt, pgdp, addr);
        if (!pmdp)
            return -ENOMEM;
        WRITE_ONCE(pmdp->pmd, pa | mk_sect_prot(prot));
    }
    return 0;
}

/* The 2 MiB block of identity map around addr, unless one is there. */
static inline int early_idmap_block(struct early_pt *pt, pgd_t *pgdp, unsigned long addr, u64 prot)
{
    addr = ALIGN_DOWN(addr, PMD_SIZE);
    pmd_t *pmdp = early_pmd(pt, pgdp, addr);
    if (!pmdp)
        return -ENOMEM;
    if (READ_ONCE(pmdp->pmd))
        return 0;
    WRITE_ONCE(pmdp->pmd, addr | mk_sect_prot(prot));
    return 0;
}

/* The pte entry for addr, making the pte table if the pmd entry is none. */
static inline pte_t *early_pte(struct early_pt *pt, pgd_t *pgdp, unsigned long addr)
{
    pmd_t *pmdp = early_pmd(pt, pgdp, addr);
    if (!pmdp)
        return NULL;
    pmd_t pmd = __pmd(READ_ONCE(pmdp->pmd));
    if (pmd_none(pmd)) {
        void *table = early_alloc(pt);
        if (!table)
            return NULL;
        pmd = __pmd((u64)table | PMD_TYPE_TABLE);
        WRITE_ONCE(pmdp->pmd, pmd_val(pmd));
    }
    if (!pmd_table(pmd))
        return NULL;
    return (pte_t *)pmd_page_paddr(pmd) + pte_index(addr);
}

/* Map [addr, addr + size) to pa with 4 KiB pages. */
static inline int early_map_pages(struct early_pt *pt, pgd_t *pgdp, unsigned long addr,
                                  phys_addr_t pa, unsigned long size, u64 prot)
{
    for (unsigned long end = addr + size; addr != end; addr += PAGE_SIZE, pa += PAGE_SIZE) {
        pte_t *ptep = early_pte(pt, pgdp, addr);
        if (!ptep)
            return -ENOMEM;
        __set_pte(ptep, pfn_pte(pa >> PAGE_SHIFT, __pgprot(prot)));
    }
    return 0;
}

/* ---- the EL1 regime ------------------------------------------------------- */

/* MAIR_EL1: attribute 0 (MT_NORMAL) Normal write-back. */
#define MAIR_EL1_VALUE 0xffUL

/* TCR_EL1 (KERNEL-FACTS 4.3): 39-bit VAs in both halves, 4 KiB granules
 * (TG0 = 0b00, TG1 = 0b10), walks inner/outer write-back inner shareable,
 * 48-bit IPS, 8-bit ASIDs taken from TTBR0 (A1 = 0). */
#define TCR_T0SZ(n)   ((u64)(64 - (n)) << 0)
#define TCR_T1SZ(n)   ((u64)(64 - (n)) << 16)
#define TCR_IRGN0_WB  (1UL << 8)
#define TCR_ORGN0_WB  (1UL << 10)
#define TCR_SH0_INNER (3UL << 12)
#define TCR_EPD1      BIT(23)
#define TCR_IRGN1_WB  (1UL << 24)
#define TCR_ORGN1_WB  (1UL << 26)
#define TCR_SH1_INNER (3UL << 28)
#define TCR_TG1_4K    (2UL << 30)
#define TCR_IPS_48    (5UL << 32)
#define TCR_HA        BIT(39)
#define TCR_HD        BIT(40)
#define TCR_EL1_VALUE                                                                              \
    (TCR_T0SZ(VA_BITS) | TCR_IRGN0_WB | TCR_ORGN0_WB | TCR_SH0_INNER | TCR_T1SZ(VA_BITS) |         \
     TCR_IRGN1_WB | TCR_ORGN1_WB | TCR_SH1_INNER | TCR_TG1_4K | TCR_IPS_48)

#define SCTLR_ELx_M BIT(0)

#define TTBR_ASID(asid) ((u64)(asid) << 48)

#define write_sysreg(v, r) asm volatile("msr " #r ", %0" : : "r"((u64)(v)) : "memory")
#define read_sysreg(r)                                                                             \
    ({                                                                                             \
        u64 __val;                                                                                 \
        asm volatile("mrs %0, " #r : "=r"(__val));                                                 \
        __val;                                                                                     \
    })

/* Install the regime and turn stage 1 on: the code doing it must be
 * identity-mapped, since the next fetch is translated. */
static inline void cpu_enable_mmu(u64 ttbr0, u64 ttbr1, u64 tcr)
{
    dsb(ishst);
    write_sysreg(MAIR_EL1_VALUE, mair_el1);
    write_sysreg(tcr, tcr_el1);
    write_sysreg(ttbr0, ttbr0_el1);
    write_sysreg(ttbr1, ttbr1_el1);
    isb();
    asm volatile("tlbi vmalle1" : : : "memory");
    dsb(nsh);
    write_sysreg(read_sysreg(sctlr_el1) | SCTLR_ELx_M, sctlr_el1);
    isb();
}

#endif
