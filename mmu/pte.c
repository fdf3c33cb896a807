/*
 * pte.c - PTE codecs: decode any 64-bit entry as a given kernel's layout
 * sees it, make swap entries, and the exclusive-bit helpers
 * (KERNEL-FACTS.md 4.1, 4.4, 5.1, 5.2, 5.3).
 *
 * The names follow the kernel's: pte_present(), pte_protnone(),
 * __swp_type(), __swp_offset(), pte_swp_mkexclusive() ...
 */
#include "mmu/translate_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- arm64: KERNEL-FACTS 4.1 ------------------------------------------- */
#define A_VALID               MMU_BIT(0)
#define A_TYPE                MMU_BIT(1)
#define A_AP1                 MMU_BIT(6) /* PTE_USER */
#define A_AP2                 MMU_BIT(7) /* PTE_RDONLY */
#define A_AF                  MMU_BIT(10)
#define A_NG                  MMU_BIT(11)
#define A_OA                  0x0000fffffffff000ull /* [47:12] */
#define A_GP                  MMU_BIT(50)
#define A_DBM                 MMU_BIT(51) /* PTE_WRITE */
#define A_CONT                MMU_BIT(52)
#define A_PXN                 MMU_BIT(53)
#define A_UXN                 MMU_BIT(54)
#define A_SW_DIRTY            MMU_BIT(55) /* PTE_DIRTY */
#define A_SPECIAL             MMU_BIT(56)
#define A_DEVMAP              MMU_BIT(57)
#define A_UFFD_WP             MMU_BIT(58) /* 6.12, present entries */
#define A_PROT_NONE           MMU_BIT(58) /* 6.1, only when !VALID */
#define A_PMD_PRESENT_INVALID MMU_BIT(59) /* 6.1 PMDs, only when !VALID */
#define A_PRESENT_INVALID     MMU_BIT(11) /* 6.12: PTE_NG reused when !VALID (5.1) */
#define A_T_PXN               MMU_BIT(59)
#define A_T_UXN               MMU_BIT(60)
#define A_T_NS                MMU_BIT(63)

/* arm64 swap entries, KERNEL-FACTS 5.1. */
#define A_SWP_EXCLUSIVE       MMU_BIT(2) /* both versions */
#define A61_SWP_TYPE_SHIFT    3          /* type [7:3] */
#define A61_SWP_OFFSET_SHIFT  8          /* offset [57:8] */
#define A612_SWP_UFFD_WP      MMU_BIT(3)
#define A612_SWP_TYPE_SHIFT   6  /* type [10:6] */
#define A612_SWP_OFFSET_SHIFT 12 /* offset [61:12] */
#define A_SWP_OFFSET_BITS     50

/* ---- RISC-V: KERNEL-FACTS 5.2 / 5.3 ------------------------------------ */
#define R_V         MMU_BIT(0)
#define R_R         MMU_BIT(1)
#define R_W         MMU_BIT(2)
#define R_X         MMU_BIT(3)
#define R_U         MMU_BIT(4)
#define R_G         MMU_BIT(5)
#define R_PROT_NONE MMU_BIT(5) /* only when !V */
#define R_A         MMU_BIT(6)
#define R_D         MMU_BIT(7)
#define R_LEAF      (R_R | R_W | R_X)
#define R_SPECIAL   MMU_BIT(8)
#define R_DEVMAP    MMU_BIT(9) /* 6.12 */
#define R_N         MMU_BIT(63)

/* RISC-V swap entries, KERNEL-FACTS 5.2. */
#define R61_SWP_TYPE_SHIFT    6  /* type [10:6] */
#define R61_SWP_OFFSET_SHIFT  11 /* offset [63:11] */
#define R612_SWP_EXCLUSIVE    MMU_BIT(6)
#define R612_SWP_TYPE_SHIFT   7  /* type [11:7] */
#define R612_SWP_OFFSET_SHIFT 12 /* offset [63:12] */

#define SWP_TYPE_BITS 5
#define SWP_TYPE_MASK ((1u << SWP_TYPE_BITS) - 1)

static bool is_arm64(enum pte_layout l)
{
    return l == PTE_ARM64_6_1 || l == PTE_ARM64_6_12;
}

static bool layout_ok(enum pte_layout l)
{
    return l == PTE_ARM64_6_1 || l == PTE_ARM64_6_12 || l == PTE_RISCV_6_1 || l == PTE_RISCV_6_12;
}

const char *pte_layout_name(enum pte_layout layout)
{
    switch (layout) {
    case PTE_ARM64_6_1: return "arm64-6.1";
    case PTE_ARM64_6_12: return "arm64-6.12";
    case PTE_RISCV_6_1: return "riscv-6.1";
    case PTE_RISCV_6_12: return "riscv-6.12";
    }
    return "?";
}

/* ---- swap entries ------------------------------------------------------- */

static unsigned swp_type_shift(enum pte_layout l)
{
    switch (l) {
    case PTE_ARM64_6_1: return A61_SWP_TYPE_SHIFT;
    case PTE_ARM64_6_12: return A612_SWP_TYPE_SHIFT;
    case PTE_RISCV_6_1: return R61_SWP_TYPE_SHIFT;
    case PTE_RISCV_6_12: return R612_SWP_TYPE_SHIFT;
    }
    return 0;
}

static unsigned swp_offset_shift(enum pte_layout l)
{
    switch (l) {
    case PTE_ARM64_6_1: return A61_SWP_OFFSET_SHIFT;
    case PTE_ARM64_6_12: return A612_SWP_OFFSET_SHIFT;
    case PTE_RISCV_6_1: return R61_SWP_OFFSET_SHIFT;
    case PTE_RISCV_6_12: return R612_SWP_OFFSET_SHIFT;
    }
    return 0;
}

unsigned pte_swp_type_bits(enum pte_layout layout)
{
    return layout_ok(layout) ? SWP_TYPE_BITS : 0;
}

unsigned pte_swp_offset_bits(enum pte_layout layout)
{
    if (!layout_ok(layout))
        return 0;
    /* arm64: a 50-bit field; RISC-V: everything from the shift to bit 63. */
    return is_arm64(layout) ? A_SWP_OFFSET_BITS : 64 - swp_offset_shift(layout);
}

static uint64_t swp_offset_mask(enum pte_layout l)
{
    unsigned bits = pte_swp_offset_bits(l);
    return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

/* The exclusive bit of a layout, or 0 when it has none (riscv 6.1). */
static uint64_t swp_exclusive_bit(enum pte_layout l)
{
    switch (l) {
    case PTE_ARM64_6_1:
    case PTE_ARM64_6_12: return A_SWP_EXCLUSIVE;
    case PTE_RISCV_6_12: return R612_SWP_EXCLUSIVE;
    case PTE_RISCV_6_1: return 0;
    }
    return 0;
}

uint64_t pte_make_swap(enum pte_layout layout, unsigned type, uint64_t offset)
{
    if (!layout_ok(layout))
        return 0;
    return ((uint64_t)(type & SWP_TYPE_MASK) << swp_type_shift(layout)) |
           ((offset & swp_offset_mask(layout)) << swp_offset_shift(layout));
}

int pte_swp_exclusive(enum pte_layout layout, uint64_t pte)
{
    uint64_t bit = swp_exclusive_bit(layout);
    if (!bit)
        return PTE_UNSUPPORTED;
    return (pte & bit) != 0;
}

int pte_swp_mkexclusive(enum pte_layout layout, uint64_t *pte)
{
    uint64_t bit = swp_exclusive_bit(layout);
    if (!bit)
        return PTE_UNSUPPORTED;
    *pte |= bit;
    return 0;
}

int pte_swp_clear_exclusive(enum pte_layout layout, uint64_t *pte)
{
    uint64_t bit = swp_exclusive_bit(layout);
    if (!bit)
        return PTE_UNSUPPORTED;
    *pte &= ~bit;
    return 0;
}

/* Every bit a swap entry of the layout may use; the rest must be 0. */
static uint64_t swp_fields(enum pte_layout l)
{
    uint64_t f = ((uint64_t)SWP_TYPE_MASK << swp_type_shift(l)) |
                 (swp_offset_mask(l) << swp_offset_shift(l)) | swp_exclusive_bit(l);
    if (l == PTE_ARM64_6_12)
        f |= A612_SWP_UFFD_WP;
    return f;
}

static void decode_swap(enum pte_layout l, uint64_t pte, struct pte_desc *d)
{
    d->is_swap = true;
    d->swp_type = (unsigned)(pte >> swp_type_shift(l)) & SWP_TYPE_MASK;
    d->swp_offset = (pte >> swp_offset_shift(l)) & swp_offset_mask(l);
    d->swp_has_exclusive = swp_exclusive_bit(l) != 0;
    d->swp_exclusive = pte & swp_exclusive_bit(l);
    d->swp_uffd_wp = l == PTE_ARM64_6_12 && (pte & A612_SWP_UFFD_WP);
    d->swp_stray = pte & ~swp_fields(l);
}

/* ---- decode ------------------------------------------------------------- */

static void decode_arm64_leaf_attrs(enum pte_layout l, uint64_t pte, struct pte_desc *d)
{
    d->attrindx = (unsigned)MMU_BITS(pte, 4, 2);
    d->ap = (unsigned)MMU_BITS(pte, 7, 6);
    d->sh = (unsigned)MMU_BITS(pte, 9, 8);
    d->af = pte & A_AF;
    d->ng = pte & A_NG;
    d->gp = pte & A_GP;
    d->dbm = pte & A_DBM;
    d->cont = pte & A_CONT;
    d->pxn = pte & A_PXN;
    d->uxn = pte & A_UXN;
    d->sw_dirty = pte & A_SW_DIRTY;
    d->special = pte & A_SPECIAL;
    d->devmap = pte & A_DEVMAP;
    d->uffd_wp = l == PTE_ARM64_6_12 && (pte & A_UFFD_WP);
    /* The kernel's view (4.4): PTE_WRITE is DBM; dirty is hw or sw dirty. */
    d->k_write = d->dbm;
    d->k_dirty = d->sw_dirty || (d->dbm && !(pte & A_AP2));
    d->k_young = d->af;
}

static void decode_arm64(enum pte_layout l, unsigned level, uint64_t pte, struct pte_desc *d)
{
    int hwlevel = 3 - (int)level; /* ArmARM lookup level */
    d->valid = pte & A_VALID;
    if (d->valid) {
        d->present = true;
        if (hwlevel < 3 && (pte & A_TYPE)) {
            d->is_table = true;
            d->oa = pte & A_OA;
            d->aptable = (unsigned)MMU_BITS(pte, 62, 61);
            d->uxntable = pte & A_T_UXN;
            d->pxntable = pte & A_T_PXN;
            d->nstable = pte & A_T_NS;
            return;
        }
        /* 0b01 at level 3 and blocks at level 0 are reserved (4.1, 4.2). */
        if (hwlevel == 3 ? !(pte & A_TYPE) : hwlevel == 0)
            d->reserved = true;
    } else {
        bool pi;
        if (l == PTE_ARM64_6_1) {
            /* pte_present() = VALID or PTE_PROT_NONE; PMDs also
             * PMD_PRESENT_INVALID (5.1). */
            d->prot_none = pte & A_PROT_NONE;
            d->present_invalid = level == PTE_LEVEL_PMD && (pte & A_PMD_PRESENT_INVALID);
            pi = d->prot_none || d->present_invalid;
        } else {
            /* PTE_PRESENT_INVALID (bit 11); protnone when it has no user
             * access and no user exec (5.1). */
            d->present_invalid = pte & A_PRESENT_INVALID;
            d->prot_none = d->present_invalid && !(pte & A_AP1) && (pte & A_UXN);
            pi = d->present_invalid;
        }
        if (!pi) {
            decode_swap(l, pte, d);
            return;
        }
        d->present = true;
    }
    /* A leaf: page, block, or a present-but-invalid one. */
    d->is_leaf = true;
    d->is_block = level > 0;
    d->size = 1ull << (12 + 9 * level);
    d->oa = pte & A_OA & ~(d->size - 1);
    decode_arm64_leaf_attrs(l, pte, d);
}

static void decode_riscv(enum pte_layout l, unsigned level, uint64_t pte, struct pte_desc *d)
{
    d->valid = pte & R_V;
    d->r = pte & R_R;
    d->w = pte & R_W;
    d->x = pte & R_X;
    d->u = pte & R_U;
    d->a = pte & R_A;
    d->d = pte & R_D;
    d->rsw = (unsigned)MMU_BITS(pte, 9, 8);
    d->pbmt = (unsigned)MMU_BITS(pte, 62, 61);
    d->rsvd_bits = MMU_BITS(pte, 60, 54) << 54;
    if (d->valid) {
        d->g = pte & R_G;
        d->present = true;
    } else {
        /* pte_present() = V or PROT_NONE (5.2). A PMD with THP is also
         * present while split_huge_page() has cleared V and PROT_NONE but
         * left R/W/X (pmd_present() checks _PAGE_LEAF; riscv pgtable.h). */
        d->prot_none = pte & R_PROT_NONE;
        d->present_invalid = level == PTE_LEVEL_PMD && !d->prot_none && (pte & R_LEAF);
        if (!d->prot_none && !d->present_invalid) {
            decode_swap(l, pte, d);
            return;
        }
        d->present = true;
    }
    uint64_t ppn = MMU_BITS(pte, 53, 10);
    if (!(pte & R_LEAF)) {
        d->is_table = true;
        d->oa = ppn << 12;
        /* A pointer where only leaves may be, or with bits a pointer must
         * not have (section 6, step 4: D, A, U, N, PBMT; 60:54 anywhere). */
        if (level == 0 || (pte & (R_A | R_D | R_U | R_N)) || d->pbmt || d->rsvd_bits)
            d->reserved = true;
        return;
    }
    d->is_leaf = true;
    d->is_block = level > 0;
    d->size = 1ull << (12 + 9 * level);
    d->special = pte & R_SPECIAL;
    d->devmap = l == PTE_RISCV_6_12 && (pte & R_DEVMAP);
    d->k_write = d->w;
    d->k_dirty = d->d;
    d->k_young = d->a;
    if ((d->w && !d->r) || d->rsvd_bits || d->pbmt == 3)
        d->reserved = true;
    if (pte & R_N) {
        /* Svnapot (5.3): 64 KiB at the PTE level with ppn[3:0] = 1000. */
        d->napot = true;
        if (level != 0 || (ppn & 0xf) != 0x8) {
            d->reserved = true;
        } else {
            d->size = 1ull << 16;
            ppn &= ~0xfull;
        }
    }
    d->oa = (ppn << 12) & ~(d->size - 1);
}

int pte_decode(enum pte_layout layout, unsigned level, uint64_t pte, struct pte_desc *d)
{
    memset(d, 0, sizeof(*d));
    if (!layout_ok(layout) || level > (is_arm64(layout) ? 3u : 4u))
        return -1;
    d->layout = layout;
    d->level = level;
    d->raw = pte;
    d->swp_has_exclusive = swp_exclusive_bit(layout) != 0;
    if (pte == 0) {
        d->none = true;
        return 0;
    }
    if (is_arm64(layout))
        decode_arm64(layout, level, pte, d);
    else
        decode_riscv(layout, level, pte, d);
    return 0;
}

/* ---- format ------------------------------------------------------------- */

struct out {
    char *buf;
    size_t len;
    int n;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t at = (size_t)o->n < o->len ? (size_t)o->n : o->len;
    int k = vsnprintf(o->buf ? o->buf + at : NULL, o->len - at, fmt, ap);
    va_end(ap);
    if (k > 0)
        o->n += k;
}

static void flag(struct out *o, bool on, const char *name)
{
    if (on)
        put(o, " %s", name);
}

static const char *size_name(uint64_t size)
{
    switch (size) {
    case 1ull << 12: return "4K";
    case 1ull << 16: return "64K";
    case 1ull << 21: return "2M";
    case 1ull << 30: return "1G";
    case 1ull << 39: return "512G";
    case 1ull << 48: return "256T";
    }
    return "?";
}

static void format_arm64(struct out *o, const struct pte_desc *d)
{
    static const char *const ap_names[4] = {"RW_EL1", "RW_EL0", "RO_EL1", "RO_EL0"};
    if (d->is_table) {
        put(o, "table pa=0x%" PRIx64, d->oa);
        if (d->aptable)
            put(o, " APTable=%u", d->aptable);
        flag(o, d->uxntable, "UXNTable");
        flag(o, d->pxntable, "PXNTable");
        flag(o, d->nstable, "NSTable");
        return;
    }
    const char *kind = d->reserved                 ? "reserved"
                       : !d->valid && d->prot_none ? "prot_none"
                       : !d->valid                 ? "present-invalid"
                       : d->is_block               ? "block"
                                                   : "page";
    put(o, "%s pa=0x%" PRIx64, kind, d->oa);
    if (d->is_block)
        put(o, " size=%s", size_name(d->size));
    put(o, " AttrIndx=%u AP=%s", d->attrindx, ap_names[d->ap & 3]);
    if (d->sh)
        put(o, " SH=%u", d->sh);
    flag(o, d->af, "AF");
    /* In 6.12 bit 11 of an invalid entry is PTE_PRESENT_INVALID, not nG. */
    flag(o, d->ng && (d->valid || d->layout != PTE_ARM64_6_12), "nG");
    flag(o, d->dbm, "DBM");
    flag(o, d->pxn, "PXN");
    flag(o, d->uxn, "UXN");
    flag(o, d->cont, "CONT");
    flag(o, d->gp, "GP");
    flag(o, d->sw_dirty, "DIRTY");
    flag(o, d->special, "SPECIAL");
    flag(o, d->devmap, "DEVMAP");
    flag(o, d->uffd_wp, "UFFD_WP");
}

static void format_riscv(struct out *o, const struct pte_desc *d)
{
    static const char *const pbmt_names[4] = {"PMA", "NC", "IO", "reserved"};
    if (d->is_table) {
        put(o, "%s pa=0x%" PRIx64, d->reserved ? "reserved table" : "table", d->oa);
        flag(o, d->g, "G");
        return;
    }
    const char *kind = d->reserved                 ? "reserved"
                       : !d->valid && d->prot_none ? "prot_none"
                       : !d->valid                 ? "present-invalid"
                       : d->napot                  ? "napot"
                       : d->is_block               ? "block"
                                                   : "page";
    put(o, "%s pa=0x%" PRIx64, kind, d->oa);
    if (d->is_block || d->napot)
        put(o, " size=%s", size_name(d->size));
    flag(o, d->r, "R");
    flag(o, d->w, "W");
    flag(o, d->x, "X");
    flag(o, d->u, "U");
    flag(o, d->g, "G");
    flag(o, d->a, "A");
    flag(o, d->d, "D");
    if (d->pbmt)
        put(o, " PBMT=%s", pbmt_names[d->pbmt]);
    flag(o, d->napot && d->reserved, "N");
    flag(o, d->special, "SPECIAL");
    flag(o, d->devmap, "DEVMAP");
    if (d->rsvd_bits)
        put(o, " rsvd=0x%" PRIx64, d->rsvd_bits);
}

int pte_format_level(enum pte_layout layout, unsigned level, uint64_t pte, char *buf, size_t len)
{
    struct out o = {buf, buf ? len : 0, 0};
    if (buf && len)
        buf[0] = '\0';
    struct pte_desc d;
    if (pte_decode(layout, level, pte, &d) < 0) {
        put(&o, "bad layout or level");
        return o.n;
    }
    if (d.none) {
        put(&o, "none");
    } else if (d.is_swap) {
        put(&o, "swap type=%u offset=0x%" PRIx64, d.swp_type, d.swp_offset);
        flag(&o, d.swp_exclusive, "exclusive");
        flag(&o, d.swp_uffd_wp, "uffd_wp");
        if (d.swp_stray)
            put(&o, " stray=0x%" PRIx64, d.swp_stray);
    } else if (is_arm64(layout)) {
        format_arm64(&o, &d);
    } else {
        format_riscv(&o, &d);
    }
    return o.n;
}

int pte_format(enum pte_layout layout, uint64_t pte, char *buf, size_t len)
{
    return pte_format_level(layout, PTE_LEVEL_PTE, pte, buf, len);
}
