/*
 * test_pte.c - PTE codecs: swap entries and the exclusive bit for the four
 * layouts (KERNEL-FACTS.md 5.1, 5.2), decoding present / PROT_NONE /
 * present-invalid entries, formatting, and the decoder agreeing with the
 * walkers about which entries the hardware uses.
 */
#include "mmu/mmu.h"

#include "test_util.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static const enum pte_layout layouts[4] = {PTE_ARM64_6_1, PTE_ARM64_6_12, PTE_RISCV_6_1,
                                           PTE_RISCV_6_12};

static uint64_t rng = 0x853c49e6748fea9bull;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* The expected layout, written out from KERNEL-FACTS 5.1 / 5.2. */
struct swp_layout {
    unsigned type_shift, offset_shift, offset_bits;
    uint64_t exclusive; /* 0: none */
};
static struct swp_layout expected(enum pte_layout l)
{
    switch (l) {
    case PTE_ARM64_6_1: return (struct swp_layout){3, 8, 50, 1ull << 2};
    case PTE_ARM64_6_12: return (struct swp_layout){6, 12, 50, 1ull << 2};
    case PTE_RISCV_6_1: return (struct swp_layout){6, 11, 53, 0};
    case PTE_RISCV_6_12: return (struct swp_layout){7, 12, 52, 1ull << 6};
    }
    return (struct swp_layout){0, 0, 0, 0};
}

static void check_swap(enum pte_layout l, unsigned type, uint64_t offset)
{
    struct swp_layout x = expected(l);
    uint64_t omask = (1ull << x.offset_bits) - 1;
    offset &= omask;
    uint64_t e = pte_make_swap(l, type, offset);
    ck_assert_uint_eq(e, ((uint64_t)type << x.type_shift) | (offset << x.offset_shift));
    struct pte_desc d;
    ck_assert_int_eq(pte_decode(l, PTE_LEVEL_PTE, e, &d), 0);
    if (e == 0) {
        /* (0, 0) is pte_none; the kernel never uses offset 0 (swap header). */
        ck_assert(d.none);
    } else {
        ck_assert(d.is_swap);
        ck_assert(!d.present && !d.valid && !d.none);
        ck_assert_uint_eq(d.swp_type, type);
        ck_assert_uint_eq(d.swp_offset, offset);
        ck_assert(!d.swp_exclusive);
        ck_assert_uint_eq(d.swp_stray, 0);
    }
    /* Set, test, clear the exclusive bit: nothing else moves. */
    uint64_t ex = e;
    int rc = pte_swp_mkexclusive(l, &ex);
    if (!x.exclusive) {
        ck_assert_int_eq(rc, PTE_UNSUPPORTED);
        ck_assert_uint_eq(ex, e);
        ck_assert_int_eq(pte_swp_exclusive(l, e), PTE_UNSUPPORTED);
        ck_assert_int_eq(pte_swp_clear_exclusive(l, &ex), PTE_UNSUPPORTED);
        ck_assert(!d.swp_has_exclusive);
        return;
    }
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(ex, e | x.exclusive);
    ck_assert_uint_ne(ex, e);
    ck_assert_int_eq(pte_swp_exclusive(l, ex), 1);
    ck_assert_int_eq(pte_swp_exclusive(l, e), 0);
    struct pte_desc dx;
    pte_decode(l, PTE_LEVEL_PTE, ex, &dx);
    ck_assert(dx.is_swap && dx.swp_exclusive && dx.swp_has_exclusive);
    ck_assert(!dx.present && !dx.valid); /* the bit never makes it present */
    ck_assert_uint_eq(dx.swp_type, type);
    ck_assert_uint_eq(dx.swp_offset, offset);
    ck_assert_uint_eq(dx.swp_stray, 0);
    /* Also at the PMD level (migration entries of THPs). */
    pte_decode(l, PTE_LEVEL_PMD, ex, &dx);
    ck_assert(dx.is_swap && !dx.present);
    uint64_t back = ex;
    ck_assert_int_eq(pte_swp_clear_exclusive(l, &back), 0);
    ck_assert_uint_eq(back, e);
    /* Idempotent. */
    ck_assert_int_eq(pte_swp_mkexclusive(l, &ex), 0);
    ck_assert_uint_eq(ex, e | x.exclusive);
}

START_TEST(swap_entries_round_trip_for_every_type_and_offsets)
{
    for (int li = 0; li < 4; li++) {
        enum pte_layout l = layouts[li];
        struct swp_layout x = expected(l);
        ck_assert_uint_eq(pte_swp_type_bits(l), 5);
        ck_assert_uint_eq(pte_swp_offset_bits(l), x.offset_bits);
        uint64_t max = (1ull << x.offset_bits) - 1;
        for (unsigned type = 0; type < 32; type++) {
            uint64_t offsets[] = {0, 1, 2, max, max - 1, max >> 1, 0x1234, 0xfffff};
            for (unsigned k = 0; k < sizeof(offsets) / sizeof(offsets[0]); k++)
                check_swap(l, type, offsets[k]);
            for (int k = 0; k < 16; k++)
                check_swap(l, type, rnd());
        }
    }
}
END_TEST

START_TEST(swap_encodings_by_layout)
{
    /* type 3, offset 0x1234 (KERNEL-FACTS 5.1, 5.2) */
    ck_assert_uint_eq(pte_make_swap(PTE_ARM64_6_1, 3, 0x1234), (3ull << 3) | (0x1234ull << 8));
    ck_assert_uint_eq(pte_make_swap(PTE_ARM64_6_12, 3, 0x1234), (3ull << 6) | (0x1234ull << 12));
    ck_assert_uint_eq(pte_make_swap(PTE_RISCV_6_1, 3, 0x1234), (3ull << 6) | (0x1234ull << 11));
    ck_assert_uint_eq(pte_make_swap(PTE_RISCV_6_12, 3, 0x1234), (3ull << 7) | (0x1234ull << 12));
    /* Types and offsets are masked to their fields as __swp_entry() does. */
    ck_assert_uint_eq(pte_make_swap(PTE_ARM64_6_1, 32 + 3, 0x1234),
                      pte_make_swap(PTE_ARM64_6_1, 3, 0x1234));
    ck_assert_uint_eq(pte_make_swap(PTE_ARM64_6_1, 0, 1ull << 50), 0);
    ck_assert_uint_eq(pte_make_swap(PTE_RISCV_6_12, 31, 0), 31ull << 7);
    /* The largest arm64 6.1 offset stops below PTE_PROT_NONE (bit 58);
     * 6.12 below bit 62, clear of PTE_PRESENT_INVALID (bit 11). */
    uint64_t e = pte_make_swap(PTE_ARM64_6_1, 31, ~0ull);
    ck_assert_uint_eq(e & (1ull << 58), 0);
    ck_assert_uint_eq(e, 0x03ffffffffffff00ull | (31ull << 3));
    e = pte_make_swap(PTE_ARM64_6_12, 31, ~0ull);
    ck_assert_uint_eq(e, 0x3ffffffffffff000ull | (31ull << 6));
    /* RISC-V: offsets reach bit 63. */
    e = pte_make_swap(PTE_RISCV_6_12, 0, ~0ull);
    ck_assert_uint_eq(e, 0xfffffffffffff000ull);
    e = pte_make_swap(PTE_RISCV_6_1, 0, ~0ull);
    ck_assert_uint_eq(e, 0xfffffffffffff800ull);
    /* The exclusive bits. */
    uint64_t p = 0;
    pte_swp_mkexclusive(PTE_ARM64_6_1, &p);
    ck_assert_uint_eq(p, 1ull << 2);
    p = 0;
    pte_swp_mkexclusive(PTE_ARM64_6_12, &p);
    ck_assert_uint_eq(p, 1ull << 2);
    p = 0;
    pte_swp_mkexclusive(PTE_RISCV_6_12, &p);
    ck_assert_uint_eq(p, 1ull << 6);
    p = 0;
    ck_assert_int_eq(pte_swp_mkexclusive(PTE_RISCV_6_1, &p), PTE_UNSUPPORTED);
    ck_assert_uint_eq(p, 0);
    /* arm64 6.12: PTE_SWP_UFFD_WP is bit 3. */
    struct pte_desc d;
    pte_decode(PTE_ARM64_6_12, PTE_LEVEL_PTE, pte_make_swap(PTE_ARM64_6_12, 1, 5) | (1ull << 3),
               &d);
    ck_assert(d.is_swap && d.swp_uffd_wp && d.swp_stray == 0);
}
END_TEST

START_TEST(stray_bits_in_swap_entries_are_reported)
{
    struct pte_desc d;
    /* arm64 6.1: bit 1 and bits 63:59 are outside the fields. */
    pte_decode(PTE_ARM64_6_1, PTE_LEVEL_PTE, pte_make_swap(PTE_ARM64_6_1, 1, 1) | 2, &d);
    ck_assert(d.is_swap);
    ck_assert_uint_eq(d.swp_stray, 2);
    pte_decode(PTE_ARM64_6_1, PTE_LEVEL_PTE, pte_make_swap(PTE_ARM64_6_1, 1, 1) | (1ull << 60), &d);
    ck_assert_uint_eq(d.swp_stray, 1ull << 60);
    /* arm64 6.12: bits 5:4. */
    pte_decode(PTE_ARM64_6_12, PTE_LEVEL_PTE, pte_make_swap(PTE_ARM64_6_12, 1, 1) | 0x30, &d);
    ck_assert_uint_eq(d.swp_stray, 0x30);
    /* riscv: R/W/X/U (bits 4:1). */
    pte_decode(PTE_RISCV_6_12, PTE_LEVEL_PTE, pte_make_swap(PTE_RISCV_6_12, 1, 1) | 0x6, &d);
    ck_assert(d.is_swap);
    ck_assert_uint_eq(d.swp_stray, 0x6);
}
END_TEST

/* ---- present, PROT_NONE, present-invalid ---------------------------------- */

START_TEST(valid_entries_never_decode_as_swap)
{
    for (int li = 0; li < 4; li++) {
        for (int k = 0; k < 2000; k++) {
            uint64_t v = rnd() | 1; /* Valid / V */
            for (unsigned level = 0; level < 4; level++) {
                struct pte_desc d;
                ck_assert_int_eq(pte_decode(layouts[li], level, v, &d), 0);
                ck_assert(d.valid && d.present && !d.is_swap && !d.none);
                ck_assert(d.is_table || d.is_leaf);
            }
        }
    }
}
END_TEST

START_TEST(arm64_prot_none_and_present_invalid)
{
    struct pte_desc d;
    /* Bits of KERNEL-FACTS 4.1 / 5.1. */
    uint64_t pa = 0x40123000ull, af = 1ull << 10, sh = 3ull << 8, rdonly = 1ull << 7,
             user = 1ull << 6, ng = 1ull << 11, pxn = 1ull << 53, uxn = 1ull << 54;
    /* 6.1 PAGE_NONE: PROT_NONE (58), RDONLY, nG, PXN, UXN, no VALID. */
    uint64_t none61 = pa | af | sh | (1ull << 58) | rdonly | ng | pxn | uxn;
    pte_decode(PTE_ARM64_6_1, PTE_LEVEL_PTE, none61, &d);
    ck_assert(d.present && !d.valid && d.prot_none && !d.is_swap && d.is_leaf);
    ck_assert_uint_eq(d.oa, pa);
    /* The same entry in 6.12 is PRESENT_INVALID (bit 11 = nG) and, with no
     * user access and UXN, protnone. */
    pte_decode(PTE_ARM64_6_12, PTE_LEVEL_PTE, none61, &d);
    ck_assert(d.present && d.present_invalid && d.prot_none);
    /* 6.12 PAGE_NONE without bit 58 is still PROT_NONE; in 6.1 it would
     * be a swap entry. */
    uint64_t none612 = pa | af | sh | rdonly | ng | pxn | uxn;
    pte_decode(PTE_ARM64_6_12, PTE_LEVEL_PTE, none612, &d);
    ck_assert(d.present && d.prot_none);
    pte_decode(PTE_ARM64_6_1, PTE_LEVEL_PTE, none612, &d);
    ck_assert(d.is_swap && !d.present);
    /* 6.12 pmd_mkinvalid() of a user PMD: present, invalid, not protnone. */
    uint64_t user_pmd = 0x40200000ull | af | sh | user | ng | pxn | 1; /* valid block */
    uint64_t inval = (user_pmd & ~1ull) | ng;
    pte_decode(PTE_ARM64_6_12, PTE_LEVEL_PMD, inval, &d);
    ck_assert(d.present && d.present_invalid && !d.prot_none && d.is_block);
    ck_assert_uint_eq(d.size, 2ull << 20);
    /* 6.1: PMD_PRESENT_INVALID (bit 59) only at the PMD level. */
    uint64_t inval61 = (user_pmd & ~1ull) | (1ull << 59);
    pte_decode(PTE_ARM64_6_1, PTE_LEVEL_PMD, inval61, &d);
    ck_assert(d.present && d.present_invalid && !d.prot_none);
    pte_decode(PTE_ARM64_6_1, PTE_LEVEL_PTE, inval61, &d);
    ck_assert(!d.present && d.is_swap);
}
END_TEST

START_TEST(riscv_prot_none_and_thp_present_invalid)
{
    struct pte_desc d;
    uint64_t ppn = 0x81234ull << 10;
    /* PAGE_NONE = PROT_NONE (bit 5) | READ, V clear (5.2). */
    for (int li = 2; li < 4; li++) {
        pte_decode(layouts[li], PTE_LEVEL_PTE, ppn | (1ull << 5) | (1ull << 1), &d);
        ck_assert(d.present && !d.valid && d.prot_none && !d.is_swap && d.is_leaf);
        ck_assert_uint_eq(d.oa, 0x81234000ull);
        ck_assert(!d.g);
    }
    /* A THP PMD with V cleared by split_huge_page() keeps R/W: present. */
    uint64_t pmd = (0x81200ull << 10) | 0x2 | 0x4 | 0x40 | 0x80;
    pte_decode(PTE_RISCV_6_12, PTE_LEVEL_PMD, pmd, &d);
    ck_assert(d.present && d.present_invalid && !d.is_swap && d.is_block);
    pte_decode(PTE_RISCV_6_12, PTE_LEVEL_PTE, pmd, &d);
    ck_assert(!d.present && d.is_swap && d.swp_stray);
}
END_TEST

START_TEST(arm64_present_entries_decode)
{
    struct pte_desc d;
    uint64_t page = 0x40001000ull | 3 | (1ull << 10) | (1ull << 11) | (1ull << 54) | (1ull << 52) |
                    (2ull << 2) | (1ull << 6) | (1ull << 51);
    pte_decode(PTE_ARM64_6_12, PTE_LEVEL_PTE, page, &d);
    ck_assert(d.valid && d.present && d.is_leaf && !d.is_block && !d.is_table && !d.reserved);
    ck_assert_uint_eq(d.oa, 0x40001000ull);
    ck_assert_uint_eq(d.size, 0x1000);
    ck_assert_uint_eq(d.attrindx, 2);
    ck_assert_uint_eq(d.ap, 1);
    ck_assert(d.af && d.ng && d.uxn && d.cont && d.dbm && !d.pxn);
    /* DBM without RDONLY is hardware dirty; PTE_WRITE is DBM (4.4). */
    ck_assert(d.k_write && d.k_dirty && d.k_young);
    pte_decode(PTE_ARM64_6_12, PTE_LEVEL_PTE, page | (1ull << 7), &d);
    ck_assert(d.k_write && !d.k_dirty);
    pte_decode(PTE_ARM64_6_12, PTE_LEVEL_PTE, page | (1ull << 7) | (1ull << 55), &d);
    ck_assert(d.k_dirty && d.sw_dirty);
    /* bit 58: UFFD_WP in 6.12, nothing for a valid 6.1 entry. */
    pte_decode(PTE_ARM64_6_12, PTE_LEVEL_PTE, page | (1ull << 58), &d);
    ck_assert(d.uffd_wp);
    pte_decode(PTE_ARM64_6_1, PTE_LEVEL_PTE, page | (1ull << 58), &d);
    ck_assert(!d.uffd_wp && !d.prot_none);
    /* Table at the PMD level with hierarchical limits. */
    uint64_t table = 0x40005000ull | 3 | (1ull << 59) | (1ull << 60) | (2ull << 61);
    pte_decode(PTE_ARM64_6_1, PTE_LEVEL_PMD, table, &d);
    ck_assert(d.is_table && !d.is_leaf);
    ck_assert_uint_eq(d.oa, 0x40005000ull);
    ck_assert_uint_eq(d.aptable, 2);
    ck_assert(d.pxntable && d.uxntable && !d.nstable);
    /* Blocks: 2M at PMD, 1G at PUD; reserved at the top and 0b01 at PTE. */
    pte_decode(PTE_ARM64_6_1, PTE_LEVEL_PMD, 0x40200000ull | 1 | (1ull << 10), &d);
    ck_assert(d.is_leaf && d.is_block && !d.reserved);
    ck_assert_uint_eq(d.size, 2ull << 20);
    pte_decode(PTE_ARM64_6_1, PTE_LEVEL_PUD, 0x80000000ull | 1, &d);
    ck_assert(d.is_block && d.size == 1ull << 30);
    pte_decode(PTE_ARM64_6_1, 3, 0x80000000ull | 1, &d);
    ck_assert(d.reserved);
    pte_decode(PTE_ARM64_6_1, PTE_LEVEL_PTE, 0x80000000ull | 1, &d);
    ck_assert(d.reserved && d.valid);
    /* Bad arguments. */
    ck_assert_int_eq(pte_decode(PTE_ARM64_6_1, 4, 1, &d), -1);
    ck_assert_int_eq(pte_decode((enum pte_layout)9, 0, 1, &d), -1);
}
END_TEST

START_TEST(riscv_present_entries_decode)
{
    struct pte_desc d;
    uint64_t leaf = (0x81234ull << 10) | 0xff | (1ull << 8) | (1ull << 61);
    pte_decode(PTE_RISCV_6_12, PTE_LEVEL_PTE, leaf, &d);
    ck_assert(d.valid && d.is_leaf && !d.reserved);
    ck_assert(d.r && d.w && d.x && d.u && d.g && d.a && d.d && d.special);
    ck_assert_uint_eq(d.pbmt, 1);
    ck_assert_uint_eq(d.oa, 0x81234000ull);
    ck_assert(d.k_write && d.k_dirty && d.k_young);
    /* bit 9 is _PAGE_DEVMAP in 6.12 only. */
    pte_decode(PTE_RISCV_6_12, PTE_LEVEL_PTE, leaf | (1ull << 9), &d);
    ck_assert(d.devmap);
    pte_decode(PTE_RISCV_6_1, PTE_LEVEL_PTE, leaf | (1ull << 9), &d);
    ck_assert(!d.devmap);
    /* Pointer; pointer at the PTE level is reserved. */
    pte_decode(PTE_RISCV_6_1, PTE_LEVEL_PMD, (0x80001ull << 10) | 1, &d);
    ck_assert(d.is_table && !d.reserved && d.oa == 0x80001000ull);
    pte_decode(PTE_RISCV_6_1, PTE_LEVEL_PTE, (0x80001ull << 10) | 1, &d);
    ck_assert(d.is_table && d.reserved);
    pte_decode(PTE_RISCV_6_1, PTE_LEVEL_PMD, (0x80001ull << 10) | 1 | 0x40, &d);
    ck_assert(d.is_table && d.reserved); /* A in a pointer */
    /* NAPOT: pte_mknapot() PFN [3:0] = 1000; pte_pfn() clears bit 3. */
    uint64_t napot = (0x81238ull << 10) | 0xcf | (1ull << 63);
    pte_decode(PTE_RISCV_6_12, PTE_LEVEL_PTE, napot, &d);
    ck_assert(d.napot && !d.reserved);
    ck_assert_uint_eq(d.oa, 0x81230000ull);
    ck_assert_uint_eq(d.size, 0x10000);
    pte_decode(PTE_RISCV_6_12, PTE_LEVEL_PTE, (0x81239ull << 10) | 0xcf | (1ull << 63), &d);
    ck_assert(d.napot && d.reserved);
    pte_decode(PTE_RISCV_6_12, PTE_LEVEL_PMD, (0x81200ull << 10) | 0xcf | (1ull << 63), &d);
    ck_assert(d.reserved);
    /* Reserved bits, PBMT 3, W without R. */
    pte_decode(PTE_RISCV_6_12, PTE_LEVEL_PTE, leaf | (1ull << 55), &d);
    ck_assert(d.reserved && d.rsvd_bits == 1ull << 55);
    pte_decode(PTE_RISCV_6_12, PTE_LEVEL_PTE, leaf | (3ull << 61), &d);
    ck_assert(d.reserved);
    pte_decode(PTE_RISCV_6_12, PTE_LEVEL_PTE, (0x81234ull << 10) | 0x5, &d);
    ck_assert(d.reserved);
}
END_TEST

/* ---- format ---------------------------------------------------------------- */

static const char *fmt(enum pte_layout l, unsigned level, uint64_t pte)
{
    static char buf[256];
    int n = pte_format_level(l, level, pte, buf, sizeof(buf));
    ck_assert_int_eq(n, (int)strlen(buf));
    return buf;
}

START_TEST(one_line_descriptions)
{
    uint64_t page = 0x40001000ull | 3 | (1ull << 10) | (1ull << 11) | (1ull << 54) | (1ull << 52);
    ck_assert_str_eq(fmt(PTE_ARM64_6_1, 0, page),
                     "page pa=0x40001000 AttrIndx=0 AP=RW_EL1 AF nG UXN CONT");
    uint64_t sw = pte_make_swap(PTE_ARM64_6_12, 3, 0x1234);
    pte_swp_mkexclusive(PTE_ARM64_6_12, &sw);
    ck_assert_str_eq(fmt(PTE_ARM64_6_12, 0, sw), "swap type=3 offset=0x1234 exclusive");
    ck_assert_str_eq(fmt(PTE_RISCV_6_1, 0, pte_make_swap(PTE_RISCV_6_1, 31, 0xabc)),
                     "swap type=31 offset=0xabc");
    ck_assert_str_eq(fmt(PTE_RISCV_6_1, 0, 0), "none");
    ck_assert_str_eq(
        fmt(PTE_ARM64_6_1, 1, 0x40200000ull | 1 | (1ull << 10) | (3ull << 6) | (1ull << 53)),
        "block pa=0x40200000 size=2M AttrIndx=0 AP=RO_EL0 AF PXN");
    ck_assert_str_eq(fmt(PTE_ARM64_6_1, 2, 0x40005000ull | 3 | (1ull << 60) | (1ull << 61)),
                     "table pa=0x40005000 APTable=1 UXNTable");
    ck_assert_str_eq(fmt(PTE_RISCV_6_12, 0, (0x80001ull << 10) | 0xcf),
                     "page pa=0x80001000 R W X A D");
    ck_assert_str_eq(
        fmt(PTE_RISCV_6_12, 0, (0x81238ull << 10) | 0xcb | (1ull << 63) | (2ull << 61)),
        "napot pa=0x81230000 size=64K R X A D PBMT=IO");
    ck_assert_str_eq(fmt(PTE_RISCV_6_12, 0, (0x81234ull << 10) | 0x22),
                     "prot_none pa=0x81234000 R");
    uint64_t none61 =
        0x40123000ull | (1ull << 10) | (1ull << 58) | (1ull << 7) | (1ull << 11) | (3ull << 53);
    ck_assert_str_eq(fmt(PTE_ARM64_6_1, 0, none61),
                     "prot_none pa=0x40123000 AttrIndx=0 AP=RO_EL1 AF nG PXN UXN");
    /* The same bits in 6.12: bit 11 is PRESENT_INVALID there, 58 UFFD_WP. */
    ck_assert_str_eq(fmt(PTE_ARM64_6_12, 0, none61),
                     "prot_none pa=0x40123000 AttrIndx=0 AP=RO_EL1 AF PXN UXN UFFD_WP");
    /* A short buffer still gets a terminated prefix; the count is whole. */
    char small[8];
    int n = pte_format(PTE_ARM64_6_1, page, small, sizeof(small));
    ck_assert_int_eq(n, (int)strlen("page pa=0x40001000 AttrIndx=0 AP=RW_EL1 AF nG UXN CONT"));
    ck_assert_str_eq(small, "page pa");
    ck_assert_int_eq(pte_format(PTE_ARM64_6_1, page, NULL, 0), n);
}
END_TEST

/* ---- the decoder and the walkers agree ------------------------------------- */

static struct phys_mem *pm;

static void add_ram(uint64_t base, uint64_t size)
{
    char err[128];
    struct phys_region r = {.base = base, .size = size, .kind = PHYS_RAM};
    strcpy(r.name, "ram");
    ck_assert_int_eq(phys_add_region(pm, &r, err, sizeof(err)), 0);
}

START_TEST(decoder_and_arm64_walker_agree_on_usable_leaves)
{
    pm = phys_new();
    add_ram(0x40000000ull, 0x100000);
    /* Tables at 0x40000000 (L0), +0x1000 (L1), +0x2000 (L2), +0x3000 (L3);
     * VA 0 goes through entry 0 everywhere. */
    for (int l = 0; l < 3; l++)
        phys_store(pm, 0x40000000ull + 0x1000ull * (uint64_t)l, 8,
                   (0x40001000ull + 0x1000ull * (uint64_t)l) | 3, 0, NULL);
    struct mmu_a64_ctx c = {.sctlr = 1,
                            .tcr = 16 | (16ull << 16) | (2ull << 30) | (5ull << 32),
                            .ttbr0 = 0x40000000ull,
                            .el = 1};
    int usable = 0;
    for (int k = 0; k < 4000; k++) {
        /* Random entry, AF set, OA inside 48 bits, both Valid/Type cases. */
        uint64_t v =
            (rnd() & ~0x0000fffffffff000ull) | (rnd() & 0x0000fffffffff000ull) | (1ull << 10);
        phys_store(pm, 0x40003000ull, 8, v, 0, NULL);
        struct mmu_result r;
        int rc = mmu_a64_translate(pm, &c, 0x123, MMU_ACC_READ, &r);
        struct pte_desc d;
        pte_decode(PTE_ARM64_6_12, PTE_LEVEL_PTE, v, &d);
        bool use = d.valid && d.is_leaf && !d.reserved;
        ck_assert_int_eq(rc == 0, use);
        if (use) {
            ck_assert_uint_eq(r.pa, d.oa + 0x123);
            usable++;
        }
    }
    ck_assert_int_gt(usable, 500);
    phys_free(pm);
}
END_TEST

START_TEST(decoder_and_rv64_walker_agree_on_usable_leaves)
{
    pm = phys_new();
    add_ram(0x80000000ull, 0x100000);
    for (int i = 0; i < 2; i++)
        phys_store(pm, 0x80000000ull + 0x1000ull * (uint64_t)i, 8,
                   (((0x80001000ull + 0x1000ull * (uint64_t)i) >> 12) << 10) | 1, 0, NULL);
    struct mmu_rv64_ctx c = {.satp = (8ull << 60) | (0x80000000ull >> 12),
                             .priv = MMU_PRIV_S,
                             .sum = true,
                             .mxr = true,
                             .adue = true,
                             .svnapot = true,
                             .svpbmt = true};
    int usable = 0;
    for (int k = 0; k < 4000; k++) {
        /* Random, but with few reserved bits so that many are usable. */
        uint64_t v = rnd();
        if (k & 1)
            v &= ~(0x7full << 54);
        if (k & 2)
            v &= ~(1ull << 63);
        v |= 1;
        phys_store(pm, 0x80002000ull, 8, v, 0, NULL);
        struct mmu_result r;
        int rc = mmu_rv64_translate(pm, &c, 0x456, MMU_ACC_READ, &r);
        struct pte_desc d;
        pte_decode(PTE_RISCV_6_12, PTE_LEVEL_PTE, v, &d);
        bool use = d.valid && d.is_leaf && !d.reserved;
        ck_assert_msg((rc == 0) == use, "pte 0x%llx: walker %s, decoder %s", (unsigned long long)v,
                      rc ? mmu_reason_name(r.reason) : "ok", use ? "usable" : "not usable");
        if (use) {
            ck_assert_uint_eq(r.pa, d.oa + 0x456); /* VA page 0: vpn[0][3:0] = 0 */
            usable++;
        }
    }
    ck_assert_int_gt(usable, 300);
    phys_free(pm);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pte");
    TCase *tc = tcase_create("pte");
    tcase_add_test(tc, swap_entries_round_trip_for_every_type_and_offsets);
    tcase_add_test(tc, swap_encodings_by_layout);
    tcase_add_test(tc, stray_bits_in_swap_entries_are_reported);
    tcase_add_test(tc, valid_entries_never_decode_as_swap);
    tcase_add_test(tc, arm64_prot_none_and_present_invalid);
    tcase_add_test(tc, riscv_prot_none_and_thp_present_invalid);
    tcase_add_test(tc, arm64_present_entries_decode);
    tcase_add_test(tc, riscv_present_entries_decode);
    tcase_add_test(tc, one_line_descriptions);
    tcase_add_test(tc, decoder_and_arm64_walker_agree_on_usable_leaves);
    tcase_add_test(tc, decoder_and_rv64_walker_agree_on_usable_leaves);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
