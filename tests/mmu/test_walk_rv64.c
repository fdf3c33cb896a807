/*
 * test_walk_rv64.c - the RISC-V Sv39/Sv48/Sv57 walker over hand-built page
 * tables. The builder below knows only the PTE format of KERNEL-FACTS.md
 * 5.2 and the VA split of section 6; expected PAs come from what it built.
 */
#include "mmu/mmu.h"

#include "test_util.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* PTE bits (KERNEL-FACTS 5.2). */
#define V         (1ull << 0)
#define R         (1ull << 1)
#define W         (1ull << 2)
#define X         (1ull << 3)
#define U         (1ull << 4)
#define G         (1ull << 5)
#define A         (1ull << 6)
#define D         (1ull << 7)
#define PBMT(n)   ((uint64_t)(n) << 61)
#define N         (1ull << 63)
#define PPN(pa)   (((pa) >> 12) << 10)
#define PTE_PA(p) ((((p) >> 10) & ((1ull << 44) - 1)) << 12)

/* satp (KERNEL-FACTS 6). */
#define SV39 8ull
#define SV48 9ull
#define SV57 10ull
static uint64_t satp(uint64_t mode, uint64_t asid, uint64_t root)
{
    return (mode << 60) | (asid << 44) | (root >> 12);
}

#define RAM_BASE    0x80000000ull
#define RAM_SIZE    0x04000000ull
#define ROM_BASE    0x10000000ull
#define ROM_SIZE    0x00100000ull
#define ABSENT_BASE 0xa0000000ull
#define ABSENT_SIZE 0x00100000ull

static struct phys_mem *pm;
static uint64_t next_page;
static uint64_t root;

static uint64_t new_table(void)
{
    uint64_t t = next_page;
    next_page += 0x1000;
    ck_assert_uint_lt(next_page, RAM_BASE + RAM_SIZE);
    return t;
}

static void wr(uint64_t pa, uint64_t v)
{
    unsigned flags = pa >= ROM_BASE && pa < ROM_BASE + ROM_SIZE ? PHYS_INIT : 0;
    ck_assert_int_eq(phys_store(pm, pa, 8, v, flags, NULL), PHYS_OK);
}

static uint64_t rd(uint64_t pa)
{
    uint64_t v = 0;
    ck_assert_int_eq(phys_load(pm, pa, 8, &v, 0, NULL), PHYS_OK);
    return v;
}

static uint64_t vpn(uint64_t va, int i)
{
    return (va >> (12 + 9 * i)) & 511;
}

/* Put pte as the entry for va at level leaf of a levels-deep tree; returns
 * its PA, or 0 when something other than a pointer is in the way. */
static uint64_t put(uint64_t top, int levels, uint64_t va, int leaf, uint64_t pte)
{
    uint64_t table = top;
    for (int i = levels - 1;; i--) {
        uint64_t pa = table + vpn(va, i) * 8;
        uint64_t p = rd(pa);
        if (i == leaf) {
            if (p & V)
                return 0;
            wr(pa, pte);
            return pa;
        }
        if (!(p & V)) {
            p = PPN(new_table()) | V;
            wr(pa, p);
        } else if (p & (R | X)) {
            return 0;
        }
        table = PTE_PA(p);
    }
}

static uint64_t entry_pa(uint64_t top, int levels, uint64_t va, int level)
{
    uint64_t table = top;
    for (int i = levels - 1; i > level; i--)
        table = PTE_PA(rd(table + vpn(va, i) * 8));
    return table + vpn(va, level) * 8;
}

static void add_region(uint64_t base, uint64_t size, enum phys_region_kind kind, const char *name)
{
    char err[128];
    struct phys_region r = {.base = base, .size = size, .kind = kind};
    strcpy(r.name, name);
    ck_assert_int_eq(phys_add_region(pm, &r, err, sizeof(err)), 0);
}

static void setup(void)
{
    pm = phys_new();
    add_region(RAM_BASE, RAM_SIZE, PHYS_RAM, "ram");
    add_region(ROM_BASE, ROM_SIZE, PHYS_ROM, "rom");
    add_region(ABSENT_BASE, ABSENT_SIZE, PHYS_ABSENT, "hole");
    next_page = RAM_BASE;
    root = new_table();
}

static void teardown(void)
{
    phys_free(pm);
}

/* S-mode, Sv39, Svadu (hardware A/D), Svnapot and Svpbmt present. */
static struct mmu_rv64_ctx ctx(uint64_t mode)
{
    struct mmu_rv64_ctx c = {0};
    c.satp = satp(mode, 7, root);
    c.priv = MMU_PRIV_S;
    c.adue = true;
    c.svnapot = true;
    c.svpbmt = true;
    return c;
}

static struct mmu_result res;

static void expect_ok(const struct mmu_rv64_ctx *c, uint64_t va, enum mmu_access acc, uint64_t pa)
{
    int rc = mmu_rv64_translate(pm, c, va, acc, &res);
    ck_assert_msg(rc == 0, "va 0x%llx: %s (%s) level %d", (unsigned long long)va,
                  mmu_fault_name(res.fault), mmu_reason_name(res.reason), res.level);
    ck_assert_uint_eq(res.pa, pa);
}

/* The scause of a page fault / access fault for each access (3.1). */
static unsigned page_fault(enum mmu_access acc)
{
    return acc == MMU_ACC_FETCH ? 12 : acc == MMU_ACC_READ ? 13 : 15;
}
static unsigned access_fault(enum mmu_access acc)
{
    return acc == MMU_ACC_FETCH ? 1 : acc == MMU_ACC_READ ? 5 : 7;
}

static void expect_fault(const struct mmu_rv64_ctx *c, uint64_t va, enum mmu_access acc,
                         enum mmu_fault f, enum mmu_reason why, int level)
{
    ck_assert_int_eq(mmu_rv64_translate(pm, c, va, acc, &res), -1);
    ck_assert_msg(res.fault == f && res.reason == why, "va 0x%llx: got %s (%s), want %s (%s)",
                  (unsigned long long)va, mmu_fault_name(res.fault), mmu_reason_name(res.reason),
                  mmu_fault_name(f), mmu_reason_name(why));
    ck_assert_int_eq(res.level, level);
    ck_assert_uint_eq(res.code, f == MMU_FAULT_PAGE ? page_fault(acc) : access_fault(acc));
}

static void expect_pf(const struct mmu_rv64_ctx *c, uint64_t va, enum mmu_access acc,
                      enum mmu_reason why, int level)
{
    expect_fault(c, va, acc, MMU_FAULT_PAGE, why, level);
}

static const enum mmu_access all_acc[3] = {MMU_ACC_READ, MMU_ACC_WRITE, MMU_ACC_FETCH};

#define LEAF (V | R | W | X | A | D)

/* ---- bare, levels, superpages ------------------------------------------- */

START_TEST(bare_and_m_mode_are_flat)
{
    struct mmu_rv64_ctx c = ctx(0);
    expect_ok(&c, 0x87654321, MMU_ACC_WRITE, 0x87654321);
    ck_assert(res.flat);
    ck_assert_uint_eq(res.nsteps, 0);
    /* M-mode ignores satp. */
    c = ctx(SV39);
    c.priv = MMU_PRIV_M;
    expect_ok(&c, 0x1234, MMU_ACC_FETCH, 0x1234);
    ck_assert(res.flat);
    /* Reserved modes. */
    c = ctx(SV39);
    c.satp = satp(11, 0, root);
    expect_pf(&c, 0x1234, MMU_ACC_READ, MMU_R_SATP_MODE, 0);
}
END_TEST

START_TEST(pages_with_three_four_and_five_levels)
{
    static const struct {
        uint64_t mode;
        int levels;
        uint64_t va;
    } cases[] = {
        {SV39, 3, 0x0000003456789000ull}, {SV39, 3, 0xffffffc012345000ull},
        {SV48, 4, 0x0000723456789000ull}, {SV48, 4, 0xffff823456789000ull},
        {SV57, 5, 0x00f0723456789000ull}, {SV57, 5, 0xff10723456789000ull},
    };
    for (unsigned k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        root = new_table();
        struct mmu_rv64_ctx c = ctx(cases[k].mode);
        uint64_t pa = 0x0000001234567000ull + k * 0x1000;
        uint64_t leaf = put(root, cases[k].levels, cases[k].va, 0, PPN(pa) | LEAF);
        expect_ok(&c, cases[k].va + 0x321, MMU_ACC_READ, pa + 0x321);
        ck_assert_int_eq(res.level, 0);
        ck_assert_uint_eq(res.nsteps, (unsigned)cases[k].levels);
        for (int s = 0; s < cases[k].levels; s++) {
            int i = cases[k].levels - 1 - s;
            ck_assert_int_eq(res.steps[s].level, i);
            ck_assert_uint_eq(res.steps[s].pa, entry_pa(root, cases[k].levels, cases[k].va, i));
        }
        ck_assert_uint_eq(res.steps[0].pa, root + vpn(cases[k].va, cases[k].levels - 1) * 8);
        ck_assert_uint_eq(res.desc_pa, leaf);
        ck_assert_uint_eq(res.asid, 7);
    }
}
END_TEST

START_TEST(superpages)
{
    struct mmu_rv64_ctx c = ctx(SV39);
    uint64_t va1 = 0x0000000040000000ull, pa1 = 0x00000000c0000000ull; /* 1G */
    put(root, 3, va1, 2, PPN(pa1) | LEAF);
    expect_ok(&c, va1 + 0x12345678, MMU_ACC_READ, pa1 + 0x12345678);
    ck_assert_int_eq(res.level, 2);
    ck_assert_uint_eq(res.size, 1ull << 30);
    ck_assert_uint_eq(res.nsteps, 1);
    uint64_t va2 = 0x0000000000600000ull, pa2 = 0x0000000081a00000ull; /* 2M */
    put(root, 3, va2, 1, PPN(pa2) | LEAF);
    expect_ok(&c, va2 + 0x1abcde, MMU_ACC_WRITE, pa2 + 0x1abcde);
    ck_assert_int_eq(res.level, 1);
    ck_assert_uint_eq(res.size, 1ull << 21);
    /* Sv48 terapage: 512G at level 3. */
    root = new_table();
    c = ctx(SV48);
    uint64_t va3 = 0x0000008000000000ull, pa3 = 0x0000010000000000ull;
    put(root, 4, va3, 3, PPN(pa3) | LEAF);
    expect_ok(&c, va3 + 0x123456789aull, MMU_ACC_FETCH, pa3 + 0x123456789aull);
    ck_assert_int_eq(res.level, 3);
    ck_assert_uint_eq(res.size, 1ull << 39);
}
END_TEST

START_TEST(misaligned_superpages_fault)
{
    struct mmu_rv64_ctx c = ctx(SV39);
    uint64_t va1 = 0x0000000000200000ull;
    put(root, 3, va1, 1, PPN(0x80201000ull) | LEAF); /* ppn[0] != 0 */
    expect_pf(&c, va1, MMU_ACC_READ, MMU_R_MISALIGNED_SUPERPAGE, 1);
    uint64_t va2 = 0x0000000040000000ull;
    put(root, 3, va2, 2, PPN(0x80200000ull) | LEAF); /* ppn[1] != 0 */
    expect_pf(&c, va2, MMU_ACC_WRITE, MMU_R_MISALIGNED_SUPERPAGE, 2);
    uint64_t va3 = 0x0000000080000000ull;
    put(root, 3, va3, 2, PPN(0x80001000ull) | LEAF); /* ppn[0] != 0 */
    expect_pf(&c, va3, MMU_ACC_FETCH, MMU_R_MISALIGNED_SUPERPAGE, 2);
}
END_TEST

START_TEST(non_canonical_vas_are_page_faults)
{
    struct mmu_rv64_ctx c = ctx(SV39);
    for (int k = 0; k < 3; k++) {
        expect_pf(&c, 0x0000004000000000ull, all_acc[k], MMU_R_NONCANONICAL, 2);
        expect_pf(&c, 0xffffffbfffffffffull, all_acc[k], MMU_R_NONCANONICAL, 2);
        expect_pf(&c, 0x8000000000001000ull, all_acc[k], MMU_R_NONCANONICAL, 2);
        ck_assert_uint_eq(res.nsteps, 0);
    }
    c = ctx(SV48);
    expect_pf(&c, 0x0000800000000000ull, MMU_ACC_READ, MMU_R_NONCANONICAL, 3);
    /* Canonical but unmapped: an ordinary invalid-PTE fault. */
    expect_pf(&c, 0xffff800000000000ull, MMU_ACC_READ, MMU_R_INVALID, 3);
}
END_TEST

START_TEST(invalid_pte_at_every_level)
{
    struct mmu_rv64_ctx c = ctx(SV39);
    uint64_t va = 0x0000000100000000ull;
    for (int k = 0; k < 3; k++)
        expect_pf(&c, va, all_acc[k], MMU_R_INVALID, 2);
    for (int i = 1; i >= 0; i--) {
        uint64_t v = va + ((uint64_t)(2 - i) << 30) + ((uint64_t)(2 - i) << 21);
        put(root, 3, v, i, PPN(0x80000000ull) | R | W | A | D); /* V clear */
        for (int k = 0; k < 3; k++)
            expect_pf(&c, v, all_acc[k], MMU_R_INVALID, i);
        ck_assert_uint_eq(res.nsteps, (unsigned)(3 - i));
    }
}
END_TEST

/* ---- reserved encodings -------------------------------------------------- */

START_TEST(reserved_bits_and_encodings)
{
    struct mmu_rv64_ctx c = ctx(SV39);
    uint64_t va = 0x1000;
    uint64_t leaf = put(root, 3, va, 0, PPN(0x81000000ull) | LEAF);
    uint64_t good = rd(leaf);
    expect_ok(&c, va, MMU_ACC_READ, 0x81000000ull);
    /* Each of bits 60:54. */
    for (int b = 54; b <= 60; b++) {
        wr(leaf, good | (1ull << b));
        expect_pf(&c, va, MMU_ACC_READ, MMU_R_RESERVED_BITS, 0);
    }
    /* PBMT: 3 reserved; anything non-zero without Svpbmt. */
    wr(leaf, good | PBMT(3));
    expect_pf(&c, va, MMU_ACC_READ, MMU_R_RESERVED_BITS, 0);
    wr(leaf, good | PBMT(2));
    expect_ok(&c, va, MMU_ACC_READ, 0x81000000ull);
    ck_assert_uint_eq(res.pbmt, 2);
    c.svpbmt = false;
    expect_pf(&c, va, MMU_ACC_READ, MMU_R_RESERVED_BITS, 0);
    c.svpbmt = true;
    /* N without Svnapot. */
    wr(leaf, PPN(0x81008000ull) | LEAF | N);
    c.svnapot = false;
    expect_pf(&c, va, MMU_ACC_READ, MMU_R_RESERVED_BITS, 0);
    c.svnapot = true;
    /* W without R, with or without X. */
    wr(leaf, PPN(0x81000000ull) | V | W | A | D);
    expect_pf(&c, va, MMU_ACC_READ, MMU_R_W_NO_R, 0);
    wr(leaf, PPN(0x81000000ull) | V | W | X | A | D);
    expect_pf(&c, va, MMU_ACC_FETCH, MMU_R_W_NO_R, 0);
    /* Reserved bits in a pointer fault at the pointer's level. */
    wr(leaf, good);
    uint64_t l1 = entry_pa(root, 3, va, 1);
    uint64_t ptr = rd(l1);
    wr(l1, ptr | (1ull << 57));
    expect_pf(&c, va, MMU_ACC_READ, MMU_R_RESERVED_BITS, 1);
    ck_assert_uint_eq(res.nsteps, 2);
}
END_TEST

START_TEST(non_leaf_a_d_u_n_pbmt_fault)
{
    struct mmu_rv64_ctx c = ctx(SV39);
    uint64_t va = 0x0000000000201000ull;
    put(root, 3, va, 0, PPN(0x81000000ull) | LEAF);
    uint64_t l2 = entry_pa(root, 3, va, 2), l1 = entry_pa(root, 3, va, 1);
    uint64_t p2 = rd(l2), p1 = rd(l1);
    uint64_t bad[] = {A, D, U, N, PBMT(1)};
    for (unsigned k = 0; k < 5; k++) {
        wr(l2, p2 | bad[k]);
        expect_pf(&c, va, MMU_ACC_READ, MMU_R_NONLEAF_BITS, 2);
        wr(l2, p2);
        wr(l1, p1 | bad[k]);
        expect_pf(&c, va, MMU_ACC_WRITE, MMU_R_NONLEAF_BITS, 1);
        wr(l1, p1);
    }
    /* G in a pointer is allowed and makes the leaf global. */
    expect_ok(&c, va, MMU_ACC_READ, 0x81000000ull);
    ck_assert(!res.global);
    wr(l1, p1 | G);
    expect_ok(&c, va, MMU_ACC_READ, 0x81000000ull);
    ck_assert(res.global);
    /* A pointer at level 0 has nowhere to go. */
    uint64_t va0 = 0x0000000000202000ull;
    put(root, 3, va0, 0, PPN(0x81000000ull) | V);
    expect_pf(&c, va0, MMU_ACC_READ, MMU_R_NO_LEAF, 0);
}
END_TEST

/* ---- permissions --------------------------------------------------------- */

START_TEST(u_bit_sum_and_mxr)
{
    struct mmu_rv64_ctx c = ctx(SV39);
    uint64_t spage = 0x10000, upage = 0x11000, xonly = 0x12000, ronly = 0x13000, uxpage = 0x14000;
    put(root, 3, spage, 0, PPN(0x81000000ull) | LEAF);
    put(root, 3, upage, 0, PPN(0x81001000ull) | LEAF | U);
    put(root, 3, xonly, 0, PPN(0x81002000ull) | V | X | A | D);
    put(root, 3, ronly, 0, PPN(0x81003000ull) | V | R | A | D);
    put(root, 3, uxpage, 0, PPN(0x81004000ull) | V | R | X | U | A | D);
    /* S-mode: U pages need SUM for loads/stores and are never executable. */
    expect_ok(&c, spage, MMU_ACC_FETCH, 0x81000000ull);
    expect_pf(&c, upage, MMU_ACC_READ, MMU_R_SUM, 0);
    expect_pf(&c, upage, MMU_ACC_WRITE, MMU_R_SUM, 0);
    expect_pf(&c, upage, MMU_ACC_FETCH, MMU_R_U_EXEC, 0);
    c.sum = true;
    expect_ok(&c, upage, MMU_ACC_READ, 0x81001000ull);
    expect_ok(&c, upage, MMU_ACC_WRITE, 0x81001000ull);
    expect_pf(&c, uxpage, MMU_ACC_FETCH, MMU_R_U_EXEC, 0);
    c.sum = false;
    /* R/W/X and MXR. */
    expect_pf(&c, xonly, MMU_ACC_READ, MMU_R_NO_READ, 0);
    c.mxr = true;
    expect_ok(&c, xonly, MMU_ACC_READ, 0x81002000ull);
    expect_pf(&c, xonly, MMU_ACC_WRITE, MMU_R_READ_ONLY, 0);
    c.mxr = false;
    expect_pf(&c, ronly, MMU_ACC_WRITE, MMU_R_READ_ONLY, 0);
    expect_pf(&c, ronly, MMU_ACC_FETCH, MMU_R_XN, 0);
    /* U-mode: only U pages. */
    c.priv = MMU_PRIV_U;
    expect_pf(&c, spage, MMU_ACC_READ, MMU_R_NO_ACCESS, 0);
    expect_pf(&c, spage, MMU_ACC_FETCH, MMU_R_NO_ACCESS, 0);
    expect_ok(&c, upage, MMU_ACC_WRITE, 0x81001000ull);
    expect_ok(&c, uxpage, MMU_ACC_FETCH, 0x81004000ull);
    expect_pf(&c, uxpage, MMU_ACC_WRITE, MMU_R_READ_ONLY, 0);
    /* SUM means nothing to U-mode. */
    c.sum = true;
    expect_pf(&c, spage, MMU_ACC_READ, MMU_R_NO_ACCESS, 0);
}
END_TEST

START_TEST(svade_faults_on_a_and_d)
{
    struct mmu_rv64_ctx c = ctx(SV39);
    c.adue = false;
    uint64_t va = 0x20000;
    uint64_t leaf = put(root, 3, va, 0, PPN(0x81000000ull) | V | R | W | X);
    for (int k = 0; k < 3; k++)
        expect_pf(&c, va, all_acc[k], MMU_R_A_CLEAR, 0);
    wr(leaf, rd(leaf) | A);
    expect_ok(&c, va, MMU_ACC_READ, 0x81000000ull);
    expect_ok(&c, va, MMU_ACC_FETCH, 0x81000000ull);
    expect_pf(&c, va, MMU_ACC_WRITE, MMU_R_D_CLEAR, 0);
    ck_assert(!res.updated);
    ck_assert_uint_eq(rd(leaf), PPN(0x81000000ull) | V | R | W | X | A);
    wr(leaf, rd(leaf) | D);
    expect_ok(&c, va, MMU_ACC_WRITE, 0x81000000ull);
    /* Permission faults come before A/D: a store to a read-only page with
     * A = 0 is a store page fault for the permission. */
    uint64_t va2 = 0x21000;
    put(root, 3, va2, 0, PPN(0x81001000ull) | V | R);
    expect_pf(&c, va2, MMU_ACC_WRITE, MMU_R_READ_ONLY, 0);
}
END_TEST

START_TEST(svadu_writes_a_and_d_back)
{
    struct mmu_rv64_ctx c = ctx(SV39);
    uint64_t va = 0x30000;
    uint64_t pte = PPN(0x81000000ull) | V | R | W;
    uint64_t leaf = put(root, 3, va, 0, pte);
    expect_ok(&c, va, MMU_ACC_READ, 0x81000000ull);
    ck_assert(res.updated);
    ck_assert_uint_eq(res.update_pa, leaf);
    ck_assert_uint_eq(rd(leaf), pte | A); /* a load sets A only */
    expect_ok(&c, va, MMU_ACC_READ, 0x81000000ull);
    ck_assert(!res.updated);
    expect_ok(&c, va + 8, MMU_ACC_WRITE, 0x81000008ull);
    ck_assert(res.updated);
    ck_assert_uint_eq(rd(leaf), pte | A | D);
    ck_assert_uint_eq(res.desc, pte | A | D);
    /* A store to a fresh PTE sets both at once. */
    wr(leaf, pte);
    expect_ok(&c, va, MMU_ACC_WRITE, 0x81000000ull);
    ck_assert_uint_eq(rd(leaf), pte | A | D);
    /* Superpages too. */
    uint64_t vb = 0x0000000000400000ull;
    uint64_t lb = put(root, 3, vb, 1, PPN(0x81200000ull) | V | R);
    expect_ok(&c, vb + 0x1234, MMU_ACC_READ, 0x81201234ull);
    ck_assert_uint_eq(rd(lb), PPN(0x81200000ull) | V | R | A);
}
END_TEST

/* ---- Svnapot -------------------------------------------------------------- */

START_TEST(napot_64k_ranges)
{
    struct mmu_rv64_ctx c = ctx(SV39);
    uint64_t va = 0x0000000000350000ull, pa = 0x0000000081230000ull; /* 64K aligned */
    /* pte_mknapot: PFN bits [3:0] = 1000, N set, in all 16 entries. */
    for (int i = 0; i < 16; i++)
        put(root, 3, va + (uint64_t)i * 0x1000, 0, PPN(pa) | (8ull << 10) | LEAF | N);
    for (int i = 0; i < 16; i++) {
        uint64_t off = (uint64_t)i * 0x1000 + 0x10 * (uint64_t)i;
        expect_ok(&c, va + off, MMU_ACC_READ, pa + off);
        ck_assert(res.napot);
        ck_assert_uint_eq(res.range_va, va);
        ck_assert_uint_eq(res.range_pa, pa);
        ck_assert_uint_eq(res.range_size, 0x10000);
        ck_assert_uint_eq(res.size, 0x1000);
    }
    /* Reserved ppn[0][3:0]: xxx1, xx1x, x1xx, 0xxx. */
    static const uint64_t low[] = {0x9, 0x1, 0xa, 0x2, 0xc, 0x4, 0x0, 0x7};
    uint64_t leaf = entry_pa(root, 3, va, 0);
    for (unsigned k = 0; k < sizeof(low) / sizeof(low[0]); k++) {
        wr(leaf, PPN(pa) | (low[k] << 10) | LEAF | N);
        expect_pf(&c, va, MMU_ACC_READ, MMU_R_NAPOT_RESERVED, 0);
    }
    /* N at level 1 (a superpage) is reserved. */
    uint64_t vb = 0x0000000000800000ull;
    put(root, 3, vb, 1, PPN(0x81400000ull) | LEAF | N);
    expect_pf(&c, vb, MMU_ACC_READ, MMU_R_NAPOT_RESERVED, 1);
}
END_TEST

/* ---- access faults on the walk -------------------------------------------- */

static enum phys_status refuse(void *ctx, enum phys_access_kind kind, uint64_t pa, size_t len,
                               uint64_t *fault_pa)
{
    (void)ctx;
    (void)kind;
    (void)len;
    *fault_pa = pa;
    return PHYS_CHECK_FAILED;
}

START_TEST(pte_reads_from_absent_memory_are_access_faults)
{
    struct mmu_rv64_ctx c = ctx(SV39);
    /* Root in a hole: level 2. */
    c.satp = satp(SV39, 0, ABSENT_BASE);
    for (int k = 0; k < 3; k++)
        expect_fault(&c, 0x1000, all_acc[k], MMU_FAULT_ACCESS, MMU_R_WALK_READ, 2);
    ck_assert_int_eq(res.phys.status, PHYS_ABSENT_ADDR);
    ck_assert_uint_eq(res.phys.pa, ABSENT_BASE + vpn(0x1000, 2) * 8);
    /* A pointer into the hole at levels 1 and 0. */
    c = ctx(SV39);
    for (int i = 1; i >= 0; i--) {
        uint64_t va = 0x0000000040000000ull * (uint64_t)(2 - i);
        uint64_t hole = ABSENT_BASE + 0x1000 * (uint64_t)(2 - i);
        put(root, 3, va, i + 1, PPN(hole) | V);
        for (int k = 0; k < 3; k++)
            expect_fault(&c, va, all_acc[k], MMU_FAULT_ACCESS, MMU_R_WALK_READ, i);
        ck_assert_uint_eq(res.steps[2 - i].pa, hole + vpn(va, i) * 8);
    }
    /* The access hook (RAS) refusing the PTE read. */
    uint64_t va = 0x5000;
    uint64_t leaf = put(root, 3, va, 0, PPN(0x81000000ull) | LEAF);
    phys_set_access_hook(pm, refuse, NULL);
    phys_page_set_flags(pm, leaf, PHYS_PAGE_HOOK);
    expect_fault(&c, va, MMU_ACC_WRITE, MMU_FAULT_ACCESS, MMU_R_WALK_READ, 0);
    ck_assert_int_eq(res.phys.status, PHYS_CHECK_FAILED);
    ck_assert_uint_eq(res.phys.pa, leaf);
}
END_TEST

/* An inspecting walk (a debugger's, rasim pt's) reads PTEs as the host:
 * the hook that refuses a guest walk is not asked, and the A/D update
 * Svadu would make is reported as done but not written. */
START_TEST(inspecting_walks_read_as_the_host_and_update_nothing)
{
    struct mmu_rv64_ctx c = ctx(SV39);
    c.inspect = true;
    uint64_t va = 0x7000;
    uint64_t pte = PPN(0x81000000ull) | V | R | W; /* A = D = 0 */
    uint64_t leaf = put(root, 3, va, 0, pte);
    phys_set_access_hook(pm, refuse, NULL);
    phys_page_set_flags(pm, leaf, PHYS_PAGE_HOOK);
    expect_ok(&c, va + 0x10, MMU_ACC_WRITE, 0x81000010ull);
    ck_assert(!res.updated);
    phys_set_access_hook(pm, NULL, NULL);
    ck_assert_uint_eq(rd(leaf), pte);
    /* The same walk by the guest is refused by the hook. */
    phys_set_access_hook(pm, refuse, NULL);
    c.inspect = false;
    expect_fault(&c, va, MMU_ACC_READ, MMU_FAULT_ACCESS, MMU_R_WALK_READ, 0);
}
END_TEST

START_TEST(svadu_update_that_cannot_be_written_is_an_access_fault)
{
    struct mmu_rv64_ctx c = ctx(SV39);
    uint64_t va = 0x6000;
    uint64_t l2 = ROM_BASE, l1 = ROM_BASE + 0x1000, l0 = ROM_BASE + 0x2000;
    wr(l2 + vpn(va, 2) * 8, PPN(l1) | V);
    wr(l1 + vpn(va, 1) * 8, PPN(l0) | V);
    wr(l0 + vpn(va, 0) * 8, PPN(0x81000000ull) | V | R | W); /* A = D = 0 */
    c.satp = satp(SV39, 0, l2);
    expect_fault(&c, va, MMU_ACC_READ, MMU_FAULT_ACCESS, MMU_R_WALK_UPDATE, 0);
    expect_fault(&c, va, MMU_ACC_WRITE, MMU_FAULT_ACCESS, MMU_R_WALK_UPDATE, 0);
    ck_assert_int_eq(res.phys.status, PHYS_READ_ONLY);
    /* With Svade the same tables give page faults instead. */
    c.adue = false;
    expect_pf(&c, va, MMU_ACC_READ, MMU_R_A_CLEAR, 0);
}
END_TEST

START_TEST(asid_and_global)
{
    struct mmu_rv64_ctx c = ctx(SV48);
    c.satp = satp(SV48, 0xbeef, root);
    put(root, 4, 0x1000, 0, PPN(0x81000000ull) | LEAF);
    put(root, 4, 0x2000, 0, PPN(0x81001000ull) | LEAF | G);
    expect_ok(&c, 0x1000, MMU_ACC_READ, 0x81000000ull);
    ck_assert_uint_eq(res.asid, 0xbeef);
    ck_assert(!res.global);
    expect_ok(&c, 0x2000, MMU_ACC_READ, 0x81001000ull);
    ck_assert(res.global);
}
END_TEST

/* ---- random mappings against the builder --------------------------------- */

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

START_TEST(random_mappings_translate_as_built)
{
    static const uint64_t modes[3] = {SV39, SV48, SV57};
    int total = 0;
    for (int m = 0; m < 3; m++) {
        root = new_table();
        int levels = 3 + m;
        struct mmu_rv64_ctx c = ctx(modes[m]);
        unsigned vabits = 12 + 9 * (unsigned)levels;
        struct {
            uint64_t va, pa, size;
            int level;
        } maps[100];
        int n = 0;
        for (int k = 0; k < 100; k++) {
            int level = (int)(rnd() % 3); /* 4K, 2M, 1G */
            uint64_t size = 1ull << (12 + 9 * level);
            uint64_t va = rnd() & ((1ull << (vabits - 1)) - 1) & ~(size - 1);
            if (rnd() & 1)
                va |= ~((1ull << (vabits - 1)) - 1); /* upper half */
            uint64_t pa = rnd() & ((1ull << 56) - 1) & ~(size - 1);
            uint64_t pte = PPN(pa) | V | R | A | (rnd() & (W | X | G)) | D;
            if (!put(root, levels, va, level, pte))
                continue;
            maps[n].va = va;
            maps[n].pa = pa;
            maps[n].size = size;
            maps[n].level = level;
            n++;
        }
        for (int k = 0; k < n; k++) {
            uint64_t off = rnd() & (maps[k].size - 1);
            expect_ok(&c, maps[k].va + off, MMU_ACC_READ, maps[k].pa + off);
            ck_assert_int_eq(res.level, maps[k].level);
            ck_assert_uint_eq(res.nsteps, (unsigned)(levels - maps[k].level));
        }
        total += n;
    }
    ck_assert_int_gt(total, 250);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("walk_rv64");
    TCase *tc = tcase_create("walk_rv64");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, bare_and_m_mode_are_flat);
    tcase_add_test(tc, pages_with_three_four_and_five_levels);
    tcase_add_test(tc, superpages);
    tcase_add_test(tc, misaligned_superpages_fault);
    tcase_add_test(tc, non_canonical_vas_are_page_faults);
    tcase_add_test(tc, invalid_pte_at_every_level);
    tcase_add_test(tc, reserved_bits_and_encodings);
    tcase_add_test(tc, non_leaf_a_d_u_n_pbmt_fault);
    tcase_add_test(tc, u_bit_sum_and_mxr);
    tcase_add_test(tc, svade_faults_on_a_and_d);
    tcase_add_test(tc, svadu_writes_a_and_d_back);
    tcase_add_test(tc, napot_64k_ranges);
    tcase_add_test(tc, pte_reads_from_absent_memory_are_access_faults);
    tcase_add_test(tc, svadu_update_that_cannot_be_written_is_an_access_fault);
    tcase_add_test(tc, inspecting_walks_read_as_the_host_and_update_nothing);
    tcase_add_test(tc, asid_and_global);
    tcase_add_test(tc, random_mappings_translate_as_built);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
