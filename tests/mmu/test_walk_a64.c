/*
 * test_walk_a64.c - the arm64 stage 1 walker over hand-built page tables.
 *
 * Tables are written with a small builder below that knows only the
 * descriptor format of KERNEL-FACTS.md 4.1/4.2; expected PAs and descriptor
 * addresses are computed here from the layout the test built, not by the
 * walker's code.
 */
#include "mmu/mmu.h"

#include "test_util.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* Descriptor bits (KERNEL-FACTS 4.1). */
#define VALID   (1ull << 0)
#define TYPE    (1ull << 1)
#define ATTR(i) ((uint64_t)(i) << 2)
#define AP_EL0  (1ull << 6) /* AP[1] */
#define AP_RO   (1ull << 7) /* AP[2] */
#define SH_IS   (3ull << 8)
#define AF      (1ull << 10)
#define NG      (1ull << 11)
#define DBM     (1ull << 51)
#define CONT    (1ull << 52)
#define PXN     (1ull << 53)
#define UXN     (1ull << 54)
#define T_PXN   (1ull << 59)
#define T_UXN   (1ull << 60)
#define T_NOEL0 (1ull << 61) /* APTable[0] */
#define T_RO    (1ull << 62) /* APTable[1] */
#define OA_MASK 0x0000fffffffff000ull

/* TCR_EL1 (KERNEL-FACTS 4.3). */
#define TCR_T0SZ(n) ((uint64_t)(n))
#define TCR_EPD0    (1ull << 7)
#define TCR_T1SZ(n) ((uint64_t)(n) << 16)
#define TCR_A1      (1ull << 22)
#define TCR_EPD1    (1ull << 23)
#define TCR_TG1_4K  (2ull << 30)
#define TCR_IPS(n)  ((uint64_t)(n) << 32)
#define TCR_AS      (1ull << 36)
#define TCR_TBI0    (1ull << 37)
#define TCR_TBI1    (1ull << 38)
#define TCR_HA      (1ull << 39)
#define TCR_HD      (1ull << 40)

/* Linux's MAIR_EL1: 0 Normal 0xff, 1 Tagged 0xf0, 2 NC 0x44, 3 nGnRnE, 4 nGnRE. */
#define MAIR_LINUX 0x000000040044f0ffull

#define RAM_BASE    0x40000000ull
#define RAM_SIZE    0x04000000ull
#define ROM_BASE    0x10000000ull
#define ROM_SIZE    0x00100000ull
#define ABSENT_BASE 0x90000000ull
#define ABSENT_SIZE 0x00100000ull

static struct phys_mem *pm;
static uint64_t next_page;
static uint64_t root0, root1;

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

/* Index of va at a level: bits [47-9*level : 39-9*level]. */
static uint64_t idx(uint64_t va, int level)
{
    return (va >> (39 - 9 * level)) & 511;
}

/*
 * Put desc as the entry for va at level leaf, creating tables from the
 * start level down. Returns the descriptor's PA, or 0 when something other
 * than a table is already in the way (the random test skips those).
 */
static uint64_t put(uint64_t root, int start, uint64_t va, int leaf, uint64_t desc)
{
    uint64_t table = root;
    for (int lvl = start;; lvl++) {
        uint64_t dpa = table + idx(va, lvl) * 8;
        uint64_t d = rd(dpa);
        if (lvl == leaf) {
            if (d & VALID)
                return 0;
            wr(dpa, desc);
            return dpa;
        }
        if (!(d & VALID)) {
            d = new_table() | VALID | TYPE;
            wr(dpa, d);
        } else if (!(d & TYPE)) {
            return 0;
        }
        table = d & OA_MASK;
    }
}

/* PA of the table descriptor for va at level lvl (walking what is there). */
static uint64_t entry_pa(uint64_t root, int start, uint64_t va, int lvl)
{
    uint64_t table = root;
    for (int l = start; l < lvl; l++)
        table = rd(table + idx(va, l) * 8) & OA_MASK;
    return table + idx(va, lvl) * 8;
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
    root0 = new_table();
    root1 = new_table();
}

static void teardown(void)
{
    phys_free(pm);
}

/* 48-bit VAs both halves, 4K, 48-bit IPS, 16-bit ASIDs, EL1, MMU on. */
static struct mmu_a64_ctx ctx48(void)
{
    struct mmu_a64_ctx c = {0};
    c.sctlr = 1;
    c.tcr = TCR_T0SZ(16) | TCR_T1SZ(16) | TCR_TG1_4K | TCR_IPS(5) | TCR_AS;
    c.ttbr0 = root0 | (0x42ull << 48);
    c.ttbr1 = root1;
    c.mair = MAIR_LINUX;
    c.el = 1;
    return c;
}

static struct mmu_a64_ctx ctx39(void)
{
    struct mmu_a64_ctx c = ctx48();
    c.tcr = (c.tcr & ~0x3full & ~(0x3full << 16)) | TCR_T0SZ(25) | TCR_T1SZ(25);
    return c;
}

static struct mmu_result res;

static int xl(const struct mmu_a64_ctx *c, uint64_t va, enum mmu_access acc)
{
    return mmu_a64_translate(pm, c, va, acc, &res);
}

static void expect_ok(const struct mmu_a64_ctx *c, uint64_t va, enum mmu_access acc, uint64_t pa)
{
    int rc = xl(c, va, acc);
    ck_assert_msg(rc == 0, "va 0x%llx: %s (%s) level %d", (unsigned long long)va,
                  mmu_fault_name(res.fault), mmu_reason_name(res.reason), res.level);
    ck_assert_uint_eq(res.pa, pa);
}

static void expect_fault(const struct mmu_a64_ctx *c, uint64_t va, enum mmu_access acc,
                         enum mmu_fault f, enum mmu_reason why, int level, unsigned code)
{
    ck_assert_int_eq(xl(c, va, acc), -1);
    ck_assert_msg(res.fault == f && res.reason == why, "va 0x%llx: got %s (%s), want %s (%s)",
                  (unsigned long long)va, mmu_fault_name(res.fault), mmu_reason_name(res.reason),
                  mmu_fault_name(f), mmu_reason_name(why));
    ck_assert_int_eq(res.level, level);
    ck_assert_uint_eq(res.code, code);
}

#define PAGE(pa)  ((pa) | VALID | TYPE | AF)
#define BLOCK(pa) ((pa) | VALID | AF)

/* ---- MMU off ----------------------------------------------------------- */

START_TEST(mmu_off_is_flat_with_the_pa_size_check)
{
    struct mmu_a64_ctx c = ctx48();
    c.sctlr = 0;
    expect_ok(&c, 0x1234567, MMU_ACC_READ, 0x1234567);
    ck_assert(res.flat);
    ck_assert_uint_eq(res.nsteps, 0);
    /* Beyond the 48-bit PA: address size fault, level 0. */
    expect_fault(&c, 1ull << 48, MMU_ACC_READ, MMU_FAULT_ADDR_SIZE, MMU_R_OA_SIZE, 0, 0x00);
    /* A 40-bit implementation. */
    c.pa_bits = 40;
    expect_fault(&c, 1ull << 40, MMU_ACC_WRITE, MMU_FAULT_ADDR_SIZE, MMU_R_OA_SIZE, 0, 0x00);
    /* TBI: the top byte of a data address is ignored, not of a fetch. */
    c.pa_bits = 0;
    c.tcr |= TCR_TBI0;
    expect_ok(&c, 0x5a00000000001000ull, MMU_ACC_READ, 0x1000);
    expect_fault(&c, 0x5a00000000001000ull, MMU_ACC_FETCH, MMU_FAULT_ADDR_SIZE, MMU_R_OA_SIZE, 0,
                 0x00);
}
END_TEST

/* ---- ranges, levels ----------------------------------------------------- */

START_TEST(page_with_48_bit_va_walks_four_levels)
{
    struct mmu_a64_ctx c = ctx48();
    uint64_t va = 0x0000123456789000ull, pa = 0x0000008765432000ull;
    uint64_t leaf = put(root0, 0, va, 3, PAGE(pa) | NG | SH_IS | ATTR(0));
    expect_ok(&c, va + 0xabc, MMU_ACC_READ, pa + 0xabc);
    ck_assert_int_eq(res.level, 3);
    ck_assert_uint_eq(res.size, 0x1000);
    ck_assert_uint_eq(res.nsteps, 4);
    for (int l = 0; l < 4; l++) {
        ck_assert_int_eq(res.steps[l].level, l);
        ck_assert_uint_eq(res.steps[l].pa, entry_pa(root0, 0, va, l));
        ck_assert_uint_eq(res.steps[l].desc, rd(entry_pa(root0, 0, va, l)));
    }
    ck_assert_uint_eq(res.steps[0].pa, root0 + idx(va, 0) * 8);
    ck_assert_uint_eq(res.desc_pa, leaf);
    ck_assert_uint_eq(res.sh, 3);
    ck_assert_uint_eq(res.mair_attr, 0xff);
    ck_assert(!res.global);
    ck_assert_uint_eq(res.asid, 0x42);
    ck_assert(!res.updated);
}
END_TEST

START_TEST(page_with_39_bit_va_walks_three_levels)
{
    struct mmu_a64_ctx c = ctx39();
    uint64_t va = 0x0000004512345000ull, pa = 0x40800000ull;
    put(root0, 1, va, 3, PAGE(pa));
    expect_ok(&c, va + 8, MMU_ACC_READ, pa + 8);
    ck_assert_uint_eq(res.nsteps, 3);
    ck_assert_int_eq(res.steps[0].level, 1);
    ck_assert_uint_eq(res.steps[0].pa, root0 + ((va >> 30) & 511) * 8);
    /* Upper half, 39 bits: 0xffffff80_00000000 upwards, TTBR1. */
    uint64_t kva = 0xffffffc012345000ull;
    put(root1, 1, kva, 3, PAGE(0x41000000ull));
    expect_ok(&c, kva + 0x10, MMU_ACC_READ, 0x41000010ull);
    ck_assert_uint_eq(res.steps[0].pa, root1 + ((kva >> 30) & 511) * 8);
}
END_TEST

START_TEST(ttbr_is_chosen_by_va_bit_55)
{
    struct mmu_a64_ctx c = ctx48();
    uint64_t low = 0x0000000000400000ull, high = 0xffff000000400000ull;
    put(root0, 0, low, 3, PAGE(0x1000000ull));
    put(root1, 0, high, 3, PAGE(0x2000000ull));
    expect_ok(&c, low, MMU_ACC_READ, 0x1000000ull);
    ck_assert_uint_eq(res.steps[0].pa, root0 + idx(low, 0) * 8);
    expect_ok(&c, high, MMU_ACC_READ, 0x2000000ull);
    ck_assert_uint_eq(res.steps[0].pa, root1 + idx(high, 0) * 8);
    /* With TBI, bit 55 still chooses; the top byte is a tag. */
    c.tcr |= TCR_TBI0 | TCR_TBI1;
    expect_ok(&c, 0x3400000000400000ull, MMU_ACC_READ, 0x1000000ull);
    expect_ok(&c, 0x12ff000000400000ull, MMU_ACC_WRITE, 0x2000000ull);
}
END_TEST

START_TEST(non_canonical_vas_are_translation_faults_at_level_0)
{
    struct mmu_a64_ctx c = ctx48();
    /* 48-bit: bits 63:48 must copy bit 55. */
    expect_fault(&c, 0x0001000000000000ull, MMU_ACC_READ, MMU_FAULT_TRANSLATION, MMU_R_NONCANONICAL,
                 0, 0x04);
    expect_fault(&c, 0xfffe000000000000ull, MMU_ACC_READ, MMU_FAULT_TRANSLATION, MMU_R_NONCANONICAL,
                 0, 0x04);
    expect_fault(&c, 0x0080000000000000ull, MMU_ACC_WRITE, MMU_FAULT_TRANSLATION,
                 MMU_R_NONCANONICAL, 0, 0x04);
    ck_assert_uint_eq(res.nsteps, 0);
    /* 39-bit: the gap between the ranges is wider; still level 0, before
     * any descriptor is read, though the walk would start at level 1. */
    c = ctx39();
    expect_fault(&c, 0x0000008000000000ull, MMU_ACC_READ, MMU_FAULT_TRANSLATION, MMU_R_NONCANONICAL,
                 0, 0x04);
    expect_fault(&c, 0xffffff7fffffffffull, MMU_ACC_FETCH, MMU_FAULT_TRANSLATION,
                 MMU_R_NONCANONICAL, 0, 0x04);
    ck_assert_uint_eq(res.nsteps, 0);
    /* A tagged pointer without TBI is non-canonical; with TBI a data access
     * is fine but a fetch is not. */
    c = ctx48();
    uint64_t va = 0x0000000000400000ull;
    put(root0, 0, va, 3, PAGE(0x1000000ull));
    expect_fault(&c, va | (0x5aull << 56), MMU_ACC_READ, MMU_FAULT_TRANSLATION, MMU_R_NONCANONICAL,
                 0, 0x04);
    c.tcr |= TCR_TBI0;
    expect_ok(&c, va | (0x5aull << 56), MMU_ACC_READ, 0x1000000ull);
    expect_fault(&c, va | (0x5aull << 56), MMU_ACC_FETCH, MMU_FAULT_TRANSLATION, MMU_R_NONCANONICAL,
                 0, 0x04);
}
END_TEST

START_TEST(epd_and_bad_tcr_fault_before_the_walk)
{
    struct mmu_a64_ctx c = ctx48();
    put(root0, 0, 0x1000, 3, PAGE(0x5000ull));
    put(root1, 0, 0xffff800000001000ull, 3, PAGE(0x6000ull));
    c.tcr |= TCR_EPD0;
    expect_fault(&c, 0x1000, MMU_ACC_READ, MMU_FAULT_TRANSLATION, MMU_R_EPD, 0, 0x04);
    expect_ok(&c, 0xffff800000001000ull, MMU_ACC_READ, 0x6000);
    c.tcr = (c.tcr & ~TCR_EPD0) | TCR_EPD1;
    expect_ok(&c, 0x1000, MMU_ACC_READ, 0x5000);
    expect_fault(&c, 0xffff800000001000ull, MMU_ACC_READ, MMU_FAULT_TRANSLATION, MMU_R_EPD, 0,
                 0x04);
    /* TxSZ outside 16..39 */
    c = ctx48();
    c.tcr = (c.tcr & ~0x3full) | TCR_T0SZ(12);
    expect_fault(&c, 0x1000, MMU_ACC_READ, MMU_FAULT_TRANSLATION, MMU_R_TXSZ, 0, 0x04);
    /* TG1 = 0 is not 4K for TTBR1 (the encodings differ, 4.3). */
    c = ctx48();
    c.tcr &= ~TCR_TG1_4K;
    expect_fault(&c, 0xffff800000001000ull, MMU_ACC_READ, MMU_FAULT_TRANSLATION, MMU_R_GRANULE, 0,
                 0x04);
    expect_ok(&c, 0x1000, MMU_ACC_READ, 0x5000);
}
END_TEST

START_TEST(blocks_at_levels_1_and_2)
{
    struct mmu_a64_ctx c = ctx48();
    uint64_t va1 = 0x0000004080000000ull; /* 1G aligned */
    uint64_t pa1 = 0x0000000c40000000ull;
    put(root0, 0, va1, 1, BLOCK(pa1));
    expect_ok(&c, va1 + 0x12345678, MMU_ACC_READ, pa1 + 0x12345678);
    ck_assert_int_eq(res.level, 1);
    ck_assert_uint_eq(res.size, 1ull << 30);
    ck_assert_uint_eq(res.nsteps, 2);
    uint64_t va2 = 0x0000000000600000ull, pa2 = 0x0000000040a00000ull;
    put(root0, 0, va2, 2, BLOCK(pa2));
    expect_ok(&c, va2 + 0x1fffff, MMU_ACC_READ, pa2 + 0x1fffff);
    ck_assert_int_eq(res.level, 2);
    ck_assert_uint_eq(res.size, 1ull << 21);
    /* Output address bits below the block size are ignored (RES0). */
    uint64_t va3 = 0x0000000000800000ull;
    put(root0, 0, va3, 2, BLOCK(pa2 | 0x5000));
    expect_ok(&c, va3 + 0x10, MMU_ACC_READ, pa2 + 0x10);
}
END_TEST

START_TEST(reserved_descriptor_types_are_translation_faults)
{
    struct mmu_a64_ctx c = ctx48();
    /* A block at level 0 (needs LPA2). */
    uint64_t va0 = 0x0000008000000000ull;
    put(root0, 0, va0, 0, BLOCK(0));
    expect_fault(&c, va0, MMU_ACC_READ, MMU_FAULT_TRANSLATION, MMU_R_RESERVED_TYPE, 0, 0x04);
    /* 0b01 at level 3. */
    uint64_t va3 = 0x0000000000002000ull;
    put(root0, 0, va3, 3, BLOCK(0x3000));
    expect_fault(&c, va3, MMU_ACC_READ, MMU_FAULT_TRANSLATION, MMU_R_RESERVED_TYPE, 3, 0x07);
    ck_assert_uint_eq(res.nsteps, 4);
}
END_TEST

START_TEST(translation_fault_at_every_level)
{
    struct mmu_a64_ctx c = ctx48();
    /* Level 0: nothing mapped. */
    uint64_t va = 0x0000010000000000ull;
    expect_fault(&c, va, MMU_ACC_READ, MMU_FAULT_TRANSLATION, MMU_R_INVALID, 0, 0x04);
    ck_assert_uint_eq(res.nsteps, 1);
    ck_assert_uint_eq(res.steps[0].pa, root0 + idx(va, 0) * 8);
    /* Levels 1..3: build down to level L-1 with an invalid entry
     * (non-zero, Valid = 0) at level L. */
    for (int l = 1; l <= 3; l++) {
        uint64_t v = va + ((uint64_t)l << 30) + ((uint64_t)l << 21);
        put(root0, 0, v, l, 0xdead0000ull); /* Valid clear */
        expect_fault(&c, v, MMU_ACC_WRITE, MMU_FAULT_TRANSLATION, MMU_R_INVALID, l,
                     0x04 + (unsigned)l);
        ck_assert_uint_eq(res.nsteps, (unsigned)l + 1);
        ck_assert_uint_eq(res.desc, 0xdead0000ull);
        expect_fault(&c, v, MMU_ACC_FETCH, MMU_FAULT_TRANSLATION, MMU_R_INVALID, l,
                     0x04 + (unsigned)l);
    }
}
END_TEST

START_TEST(address_size_faults_for_tables_outputs_and_ttbr)
{
    struct mmu_a64_ctx c = ctx48();
    c.tcr = (c.tcr & ~TCR_IPS(7)) | TCR_IPS(2); /* 40 bits */
    uint64_t big = 1ull << 40;
    /* Table address beyond 40 bits at level 0, 1, 2. */
    for (int l = 0; l <= 2; l++) {
        uint64_t va = 0x0000100000000000ull * (uint64_t)(l + 1);
        put(root0, 0, va, l, big | VALID | TYPE);
        expect_fault(&c, va, MMU_ACC_READ, MMU_FAULT_ADDR_SIZE, MMU_R_OA_SIZE, l,
                     0x00 + (unsigned)l);
    }
    /* Output address beyond 40 bits: page and blocks. */
    uint64_t vp = 0x0000700000001000ull;
    put(root0, 0, vp, 3, PAGE(big));
    expect_fault(&c, vp, MMU_ACC_READ, MMU_FAULT_ADDR_SIZE, MMU_R_OA_SIZE, 3, 0x03);
    uint64_t vb = 0x0000700040000000ull;
    put(root0, 0, vb, 2, BLOCK(big | (1ull << 21)));
    expect_fault(&c, vb, MMU_ACC_READ, MMU_FAULT_ADDR_SIZE, MMU_R_OA_SIZE, 2, 0x02);
    /* 1ull << 39 is inside 40 bits. */
    uint64_t vok = 0x0000700000002000ull;
    put(root0, 0, vok, 3, PAGE(1ull << 39));
    expect_ok(&c, vok, MMU_ACC_READ, 1ull << 39);
    /* The output size is the smaller of IPS and the implemented PA size. */
    c = ctx48();
    c.pa_bits = 40;
    expect_fault(&c, vp, MMU_ACC_READ, MMU_FAULT_ADDR_SIZE, MMU_R_OA_SIZE, 3, 0x03);
    /* TTBR base beyond the output size: level 0 ("or TTBR"). */
    c = ctx48();
    c.tcr = (c.tcr & ~TCR_IPS(7)) | TCR_IPS(2);
    c.ttbr0 = big | (0x42ull << 48);
    expect_fault(&c, 0x1000, MMU_ACC_READ, MMU_FAULT_ADDR_SIZE, MMU_R_TTBR_SIZE, 0, 0x00);
    ck_assert_uint_eq(res.nsteps, 0);
}
END_TEST

/* ---- access flag, permissions ------------------------------------------ */

START_TEST(access_flag_fault_or_hardware_update_at_each_leaf_level)
{
    struct mmu_a64_ctx c = ctx48();
    struct {
        int level;
        uint64_t va, desc;
    } cases[] = {
        {1, 0x0000000040000000ull, 0x0000000080000000ull | VALID},
        {2, 0x0000000000200000ull, 0x0000000000a00000ull | VALID},
        {3, 0x0000000000001000ull, 0x0000000000005000ull | VALID | TYPE},
    };
    for (int i = 0; i < 3; i++) {
        uint64_t dpa = put(root0, 0, cases[i].va, cases[i].level, cases[i].desc);
        c.tcr &= ~TCR_HA;
        expect_fault(&c, cases[i].va, MMU_ACC_READ, MMU_FAULT_ACCESS_FLAG, MMU_R_AF, cases[i].level,
                     0x08 + (unsigned)cases[i].level);
        ck_assert_uint_eq(rd(dpa), cases[i].desc); /* untouched */
        /* HA = 1: the walk sets AF in memory instead. */
        c.tcr |= TCR_HA;
        expect_ok(&c, cases[i].va, MMU_ACC_READ, cases[i].desc & OA_MASK);
        ck_assert(res.updated);
        ck_assert_uint_eq(res.update_pa, dpa);
        ck_assert_uint_eq(res.update_old, cases[i].desc);
        ck_assert_uint_eq(res.update_new, cases[i].desc | AF);
        ck_assert_uint_eq(rd(dpa), cases[i].desc | AF);
        /* Next time nothing to update. */
        expect_ok(&c, cases[i].va, MMU_ACC_READ, cases[i].desc & OA_MASK);
        ck_assert(!res.updated);
    }
}
END_TEST

START_TEST(access_flag_fault_comes_before_permission_fault)
{
    struct mmu_a64_ctx c = ctx48();
    uint64_t va = 0x3000;
    uint64_t dpa = put(root0, 0, va, 3, 0x7000ull | VALID | TYPE | AP_RO);
    expect_fault(&c, va, MMU_ACC_WRITE, MMU_FAULT_ACCESS_FLAG, MMU_R_AF, 3, 0x0b);
    /* With HA = 1 the write still faults on permission, and a faulting
     * access does not set AF. */
    c.tcr |= TCR_HA;
    expect_fault(&c, va, MMU_ACC_WRITE, MMU_FAULT_PERMISSION, MMU_R_READ_ONLY, 3, 0x0f);
    ck_assert_uint_eq(rd(dpa) & AF, 0);
}
END_TEST

START_TEST(ap_bits_for_el1_and_el0)
{
    struct mmu_a64_ctx c = ctx48();
    uint64_t rw_el1 = 0x10000, rw_el0 = 0x11000, ro_el1 = 0x12000, ro_el0 = 0x13000;
    put(root0, 0, rw_el1, 3, PAGE(0x20000ull));
    put(root0, 0, rw_el0, 3, PAGE(0x21000ull) | AP_EL0);
    put(root0, 0, ro_el1, 3, PAGE(0x22000ull) | AP_RO);
    put(root0, 0, ro_el0, 3, PAGE(0x23000ull) | AP_RO | AP_EL0);
    /* EL1 */
    expect_ok(&c, rw_el1, MMU_ACC_WRITE, 0x20000);
    expect_ok(&c, rw_el0, MMU_ACC_WRITE, 0x21000);
    expect_ok(&c, ro_el1, MMU_ACC_READ, 0x22000);
    expect_fault(&c, ro_el1, MMU_ACC_WRITE, MMU_FAULT_PERMISSION, MMU_R_READ_ONLY, 3, 0x0f);
    expect_fault(&c, ro_el0, MMU_ACC_WRITE, MMU_FAULT_PERMISSION, MMU_R_READ_ONLY, 3, 0x0f);
    /* EL0 */
    c.el = 0;
    expect_fault(&c, rw_el1, MMU_ACC_READ, MMU_FAULT_PERMISSION, MMU_R_NO_ACCESS, 3, 0x0f);
    expect_ok(&c, rw_el0, MMU_ACC_WRITE, 0x21000);
    expect_fault(&c, ro_el1, MMU_ACC_READ, MMU_FAULT_PERMISSION, MMU_R_NO_ACCESS, 3, 0x0f);
    expect_ok(&c, ro_el0, MMU_ACC_READ, 0x23000);
    expect_fault(&c, ro_el0, MMU_ACC_WRITE, MMU_FAULT_PERMISSION, MMU_R_READ_ONLY, 3, 0x0f);
    /* Permission faults on blocks report the block's level. */
    uint64_t vb = 0x0000000000400000ull;
    put(root0, 0, vb, 2, BLOCK(0x40000000ull) | AP_RO);
    c.el = 1;
    expect_fault(&c, vb, MMU_ACC_WRITE, MMU_FAULT_PERMISSION, MMU_R_READ_ONLY, 2, 0x0e);
}
END_TEST

START_TEST(pan_and_unprivileged_accesses)
{
    struct mmu_a64_ctx c = ctx48();
    uint64_t user = 0x10000, kern = 0x11000;
    put(root0, 0, user, 3, PAGE(0x20000ull) | AP_EL0 | PXN);
    put(root0, 0, kern, 3, PAGE(0x21000ull));
    c.pan = true;
    /* EL1 data access to an EL0-accessible page: PAN fault. */
    expect_fault(&c, user, MMU_ACC_READ, MMU_FAULT_PERMISSION, MMU_R_PAN, 3, 0x0f);
    expect_fault(&c, user, MMU_ACC_WRITE, MMU_FAULT_PERMISSION, MMU_R_PAN, 3, 0x0f);
    expect_ok(&c, kern, MMU_ACC_READ, 0x21000);
    /* LDTR/STTR are checked as EL0: PAN does not apply, EL1-only pages fault. */
    c.unpriv = true;
    expect_ok(&c, user, MMU_ACC_READ, 0x20000);
    expect_ok(&c, user, MMU_ACC_WRITE, 0x20000);
    expect_fault(&c, kern, MMU_ACC_READ, MMU_FAULT_PERMISSION, MMU_R_NO_ACCESS, 3, 0x0f);
    /* With UAO they use EL1 permissions (and PAN again). */
    c.uao = true;
    expect_ok(&c, kern, MMU_ACC_WRITE, 0x21000);
    expect_fault(&c, user, MMU_ACC_READ, MMU_FAULT_PERMISSION, MMU_R_PAN, 3, 0x0f);
    /* PAN = 0: EL1 reaches user pages. */
    c.uao = c.unpriv = c.pan = false;
    expect_ok(&c, user, MMU_ACC_WRITE, 0x20000);
    /* A user page read-only at EL0 is still EL0-accessible for PAN. */
    uint64_t uro = 0x12000;
    put(root0, 0, uro, 3, PAGE(0x22000ull) | AP_EL0 | AP_RO);
    c.pan = true;
    expect_fault(&c, uro, MMU_ACC_READ, MMU_FAULT_PERMISSION, MMU_R_PAN, 3, 0x0f);
}
END_TEST

START_TEST(execute_never_bits)
{
    struct mmu_a64_ctx c = ctx48();
    uint64_t plain = 0x10000, pxn = 0x11000, uxn = 0x12000, user_rw = 0x13000, user_ro = 0x14000,
             xonly = 0x15000;
    put(root0, 0, plain, 3, PAGE(0x20000ull) | AP_RO);
    put(root0, 0, pxn, 3, PAGE(0x21000ull) | AP_EL0 | AP_RO | PXN);
    put(root0, 0, uxn, 3, PAGE(0x22000ull) | UXN);
    put(root0, 0, user_rw, 3, PAGE(0x23000ull) | AP_EL0);
    put(root0, 0, user_ro, 3, PAGE(0x24000ull) | AP_EL0 | AP_RO);
    put(root0, 0, xonly, 3, PAGE(0x25000ull)); /* no EL0 data access, UXN = 0 */
    expect_ok(&c, plain, MMU_ACC_FETCH, 0x20000);
    expect_fault(&c, pxn, MMU_ACC_FETCH, MMU_FAULT_PERMISSION, MMU_R_XN, 3, 0x0f);
    expect_ok(&c, uxn, MMU_ACC_FETCH, 0x22000);
    /* EL1 never executes what EL0 can write (implied PXN). */
    expect_fault(&c, user_rw, MMU_ACC_FETCH, MMU_FAULT_PERMISSION, MMU_R_XN, 3, 0x0f);
    expect_ok(&c, user_ro, MMU_ACC_FETCH, 0x24000);
    /* PAN does not apply to fetches. */
    c.pan = true;
    expect_ok(&c, user_ro, MMU_ACC_FETCH, 0x24000);
    c.el = 0;
    expect_ok(&c, pxn, MMU_ACC_FETCH, 0x21000);
    expect_fault(&c, uxn, MMU_ACC_FETCH, MMU_FAULT_PERMISSION, MMU_R_XN, 3, 0x0f);
    expect_ok(&c, user_rw, MMU_ACC_FETCH, 0x23000);
    /* Execute needs no read permission: execute-only at EL0. */
    expect_ok(&c, xonly, MMU_ACC_FETCH, 0x25000);
    expect_fault(&c, xonly, MMU_ACC_READ, MMU_FAULT_PERMISSION, MMU_R_NO_ACCESS, 3, 0x0f);
}
END_TEST

START_TEST(hierarchical_table_limits)
{
    struct mmu_a64_ctx c = ctx48();
    /* Four level-1 tables, each with one limit on its level-1 entry. */
    uint64_t base = 0x0000000100000000ull;
    uint64_t limits[4] = {T_NOEL0, T_RO, T_UXN, T_PXN};
    uint64_t va[4];
    for (int i = 0; i < 4; i++) {
        va[i] = base + ((uint64_t)i << 30) + 0x5000;
        put(root0, 0, va[i], 3, PAGE(0x30000ull + (uint64_t)i * 0x1000) | AP_EL0);
        uint64_t l1 = entry_pa(root0, 0, va[i], 1);
        wr(l1, rd(l1) | limits[i]);
    }
    /* APTable[0]: EL0 loses access; so PAN no longer applies at EL1, and
     * EL1 may execute (EL0 can no longer write it). */
    c.el = 0;
    expect_fault(&c, va[0], MMU_ACC_READ, MMU_FAULT_PERMISSION, MMU_R_NO_ACCESS, 3, 0x0f);
    c.el = 1;
    c.pan = true;
    expect_ok(&c, va[0], MMU_ACC_WRITE, 0x30000);
    expect_ok(&c, va[0], MMU_ACC_FETCH, 0x30000);
    c.pan = false;
    /* APTable[1]: no writes at any EL. */
    expect_fault(&c, va[1], MMU_ACC_WRITE, MMU_FAULT_PERMISSION, MMU_R_READ_ONLY, 3, 0x0f);
    c.el = 0;
    expect_fault(&c, va[1], MMU_ACC_WRITE, MMU_FAULT_PERMISSION, MMU_R_READ_ONLY, 3, 0x0f);
    expect_ok(&c, va[1], MMU_ACC_READ, 0x31000);
    /* UXNTable / PXNTable */
    expect_fault(&c, va[2], MMU_ACC_FETCH, MMU_FAULT_PERMISSION, MMU_R_XN, 3, 0x0f);
    expect_ok(&c, va[3], MMU_ACC_FETCH, 0x33000);
    c.el = 1;
    /* The leaf is EL0-writable (implied PXN at EL1) for va[2]/va[3]; make
     * va[3]'s leaf read-only to see PXNTable alone. */
    wr(entry_pa(root0, 0, va[3], 3), rd(entry_pa(root0, 0, va[3], 3)) | AP_RO);
    expect_fault(&c, va[3], MMU_ACC_FETCH, MMU_FAULT_PERMISSION, MMU_R_XN, 3, 0x0f);
    ck_assert_uint_eq(res.table_limits, MMU_TBL_PXN);
}
END_TEST

START_TEST(dirty_state_by_dbm)
{
    struct mmu_a64_ctx c = ctx48();
    uint64_t va = 0x40000, pa = 0x50000;
    uint64_t clean = PAGE(pa) | AP_EL0 | AP_RO | DBM | NG; /* Linux writable-clean user page */
    uint64_t dpa = put(root0, 0, va, 3, clean);
    /* HD = 0: a write is a permission fault. */
    c.tcr |= TCR_HA;
    c.el = 0;
    expect_fault(&c, va, MMU_ACC_WRITE, MMU_FAULT_PERMISSION, MMU_R_READ_ONLY, 3, 0x0f);
    /* HD = 1: a read changes nothing, a write clears AP[2]. */
    c.tcr |= TCR_HD;
    expect_ok(&c, va, MMU_ACC_READ, pa);
    ck_assert(!res.updated);
    ck_assert_uint_eq(rd(dpa), clean);
    expect_ok(&c, va + 4, MMU_ACC_WRITE, pa + 4);
    ck_assert(res.updated);
    ck_assert_uint_eq(rd(dpa), clean & ~AP_RO);
    ck_assert_uint_eq(res.desc, clean & ~AP_RO);
    /* AF and dirty in one update. */
    wr(dpa, clean & ~AF);
    expect_ok(&c, va, MMU_ACC_WRITE, pa);
    ck_assert_uint_eq(rd(dpa), (clean & ~AP_RO) | AF);
    /* DBM = 0: read-only stays read-only. */
    wr(dpa, clean & ~DBM);
    expect_fault(&c, va, MMU_ACC_WRITE, MMU_FAULT_PERMISSION, MMU_R_READ_ONLY, 3, 0x0f);
    /* HD without HA is not in effect. */
    wr(dpa, clean);
    c.tcr &= ~TCR_HA;
    expect_fault(&c, va, MMU_ACC_WRITE, MMU_FAULT_PERMISSION, MMU_R_READ_ONLY, 3, 0x0f);
    ck_assert_uint_eq(rd(dpa), clean);
    /* APTable[1] still forbids the write. */
    c.tcr |= TCR_HA;
    uint64_t l2 = entry_pa(root0, 0, va, 2);
    wr(l2, rd(l2) | T_RO);
    expect_fault(&c, va, MMU_ACC_WRITE, MMU_FAULT_PERMISSION, MMU_R_READ_ONLY, 3, 0x0f);
    ck_assert_uint_eq(rd(dpa), clean);
}
END_TEST

START_TEST(contiguous_ranges_are_reported)
{
    struct mmu_a64_ctx c = ctx48();
    uint64_t va = 0x0000000000730000ull, pa = 0x0000000045670000ull; /* 64K aligned */
    for (int i = 0; i < 16; i++)
        put(root0, 0, va + (uint64_t)i * 0x1000, 3, PAGE(pa + (uint64_t)i * 0x1000) | CONT);
    expect_ok(&c, va + 0x5123, MMU_ACC_READ, pa + 0x5123);
    ck_assert(res.contiguous);
    ck_assert_uint_eq(res.range_size, 0x10000);
    ck_assert_uint_eq(res.range_va, va);
    ck_assert_uint_eq(res.range_pa, pa);
    ck_assert_uint_eq(res.size, 0x1000);
    /* 16 x 2M at level 2 = 32M. */
    uint64_t vb = 0x0000000042000000ull, pb = 0x0000000086000000ull;
    for (int i = 0; i < 16; i++)
        put(root0, 0, vb + ((uint64_t)i << 21), 2, BLOCK(pb + ((uint64_t)i << 21)) | CONT);
    expect_ok(&c, vb + 0x1234567, MMU_ACC_READ, pb + 0x1234567);
    ck_assert_uint_eq(res.range_size, 32ull << 20);
    ck_assert_uint_eq(res.range_va, vb);
    ck_assert_uint_eq(res.range_pa, pb);
    /* Not contiguous: the range is the leaf. */
    put(root0, 0, 0x9000, 3, PAGE(0xa000ull));
    expect_ok(&c, 0x9000, MMU_ACC_READ, 0xa000);
    ck_assert(!res.contiguous);
    ck_assert_uint_eq(res.range_size, 0x1000);
}
END_TEST

START_TEST(asid_and_global)
{
    struct mmu_a64_ctx c = ctx48();
    c.ttbr0 = root0 | (0x1234ull << 48);
    c.ttbr1 = root1 | (0x5678ull << 48);
    put(root0, 0, 0x1000, 3, PAGE(0x2000ull) | NG);
    put(root0, 0, 0x3000, 3, PAGE(0x4000ull));
    expect_ok(&c, 0x1000, MMU_ACC_READ, 0x2000);
    ck_assert(!res.global);
    ck_assert_uint_eq(res.asid, 0x1234);
    expect_ok(&c, 0x3000, MMU_ACC_READ, 0x4000);
    ck_assert(res.global);
    c.tcr |= TCR_A1; /* ASID from TTBR1, as Linux does */
    expect_ok(&c, 0x1000, MMU_ACC_READ, 0x2000);
    ck_assert_uint_eq(res.asid, 0x5678);
    c.tcr &= ~TCR_AS; /* 8-bit ASIDs */
    expect_ok(&c, 0x1000, MMU_ACC_READ, 0x2000);
    ck_assert_uint_eq(res.asid, 0x78);
}
END_TEST

START_TEST(mair_attribute_of_attrindx)
{
    struct mmu_a64_ctx c = ctx48();
    static const uint8_t want[5] = {0xff, 0xf0, 0x44, 0x00, 0x04};
    for (unsigned i = 0; i < 5; i++) {
        uint64_t va = 0x100000 + i * 0x1000;
        put(root0, 0, va, 3, PAGE(0x200000ull) | ATTR(i));
        expect_ok(&c, va, MMU_ACC_READ, 0x200000);
        ck_assert_uint_eq(res.attrindx, i);
        ck_assert_uint_eq(res.mair_attr, want[i]);
    }
}
END_TEST

/* ---- the walk reading memory that is not there -------------------------- */

static enum phys_status refuse(void *ctx, enum phys_access_kind kind, uint64_t pa, size_t len,
                               uint64_t *fault_pa)
{
    (void)ctx;
    (void)kind;
    (void)len;
    *fault_pa = pa;
    return PHYS_CHECK_FAILED;
}

START_TEST(external_abort_on_walk_at_each_level)
{
    struct mmu_a64_ctx c = ctx48();
    /* Level 0: the TTBR points into a hole. */
    c.ttbr0 = ABSENT_BASE;
    expect_fault(&c, 0x1000, MMU_ACC_READ, MMU_FAULT_WALK_ABORT, MMU_R_WALK_READ, 0, 0x14);
    ck_assert_int_eq(res.phys.status, PHYS_ABSENT_ADDR);
    ck_assert_uint_eq(res.phys.pa, ABSENT_BASE);
    ck_assert_uint_eq(res.steps[0].pa, ABSENT_BASE);
    /* Levels 1..3: the table descriptor above points into the hole. */
    c = ctx48();
    for (int l = 1; l <= 3; l++) {
        uint64_t va = 0x0000200000000000ull * (uint64_t)l;
        uint64_t hole_table = ABSENT_BASE + 0x1000 * (uint64_t)l;
        put(root0, 0, va, l - 1, hole_table | VALID | TYPE);
        expect_fault(&c, va, MMU_ACC_FETCH, MMU_FAULT_WALK_ABORT, MMU_R_WALK_READ, l,
                     0x14 + (unsigned)l);
        ck_assert_uint_eq(res.nsteps, (unsigned)l + 1);
        ck_assert_uint_eq(res.phys.pa, hole_table + idx(va, l) * 8);
        ck_assert_uint_eq(res.steps[l].pa, hole_table + idx(va, l) * 8);
    }
    /* The access hook (RAS poison) stopping a descriptor read. */
    uint64_t va = 0x0000000000123000ull;
    uint64_t leaf = put(root0, 0, va, 3, PAGE(0x7000ull));
    phys_set_access_hook(pm, refuse, NULL);
    phys_page_set_flags(pm, leaf, PHYS_PAGE_HOOK);
    expect_fault(&c, va, MMU_ACC_READ, MMU_FAULT_WALK_ABORT, MMU_R_WALK_READ, 3, 0x17);
    ck_assert_int_eq(res.phys.status, PHYS_CHECK_FAILED);
    ck_assert_uint_eq(res.phys.pa, leaf);
    ck_assert_uint_eq(res.steps[3].pa, leaf);
    phys_page_clear_flags(pm, leaf, PHYS_PAGE_HOOK);
    expect_ok(&c, va, MMU_ACC_READ, 0x7000);
}
END_TEST

START_TEST(failed_hardware_update_is_an_external_abort)
{
    /* Tables in ROM: readable, but the AF update cannot be written. */
    struct mmu_a64_ctx c = ctx48();
    uint64_t rom_root = ROM_BASE, rom_l1 = ROM_BASE + 0x1000, rom_l2 = ROM_BASE + 0x2000,
             rom_l3 = ROM_BASE + 0x3000;
    uint64_t va = 0x5000;
    wr(rom_root + idx(va, 0) * 8, rom_l1 | VALID | TYPE);
    wr(rom_l1 + idx(va, 1) * 8, rom_l2 | VALID | TYPE);
    wr(rom_l2 + idx(va, 2) * 8, rom_l3 | VALID | TYPE);
    wr(rom_l3 + idx(va, 3) * 8, 0x9000ull | VALID | TYPE); /* AF = 0 */
    c.ttbr0 = rom_root;
    c.tcr |= TCR_HA;
    expect_fault(&c, va, MMU_ACC_READ, MMU_FAULT_WALK_ABORT, MMU_R_WALK_UPDATE, 3, 0x17);
    ck_assert_int_eq(res.phys.status, PHYS_READ_ONLY);
    ck_assert_uint_eq(res.update_pa, rom_l3 + idx(va, 3) * 8);
}
END_TEST

/* ---- cross-check against the builder on random mappings ---------------- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

START_TEST(random_mappings_translate_as_built)
{
    struct mmu_a64_ctx c48 = ctx48(), c39 = ctx39();
    struct map {
        uint64_t va, pa, size;
        int level;
        bool upper;
    } maps[300];
    int n = 0;
    for (int round = 0; round < 2; round++) {
        /* Each round its own tables: round 0 48-bit, round 1 39-bit. */
        root0 = new_table();
        root1 = new_table();
        c48.ttbr0 = root0;
        c48.ttbr1 = root1;
        c39.ttbr0 = root0;
        c39.ttbr1 = root1;
        unsigned vabits = round ? 39 : 48;
        int start = round ? 1 : 0;
        int first = n;
        for (int i = 0; i < 150; i++) {
            int level = 1 + (int)(rnd() % 3);
            uint64_t size = 1ull << (39 - 9 * level);
            bool upper = rnd() & 1;
            uint64_t va = rnd() & ((1ull << vabits) - 1) & ~(size - 1);
            if (upper)
                va |= ~((1ull << vabits) - 1);
            uint64_t pa = rnd() & ((1ull << 48) - 1) & ~(size - 1);
            uint64_t desc = pa | VALID | AF | (level == 3 ? TYPE : 0) | (rnd() & (AP_EL0 | NG));
            if (!put(upper ? root1 : root0, start, va, level, desc))
                continue;
            maps[n++] = (struct map){va, pa, size, level, upper};
        }
        const struct mmu_a64_ctx *c = round ? &c39 : &c48;
        for (int i = first; i < n; i++) {
            for (int k = 0; k < 4; k++) {
                uint64_t off = rnd() & (maps[i].size - 1);
                expect_ok(c, maps[i].va + off, MMU_ACC_READ, maps[i].pa + off);
                ck_assert_int_eq(res.level, maps[i].level);
                ck_assert_uint_eq(res.nsteps, (unsigned)(maps[i].level - start + 1));
                ck_assert_uint_eq(res.steps[0].pa,
                                  (maps[i].upper ? root1 : root0) + idx(maps[i].va, start) * 8);
            }
        }
    }
    ck_assert_int_gt(n, 200);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("walk_a64");
    TCase *tc = tcase_create("walk_a64");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, mmu_off_is_flat_with_the_pa_size_check);
    tcase_add_test(tc, page_with_48_bit_va_walks_four_levels);
    tcase_add_test(tc, page_with_39_bit_va_walks_three_levels);
    tcase_add_test(tc, ttbr_is_chosen_by_va_bit_55);
    tcase_add_test(tc, non_canonical_vas_are_translation_faults_at_level_0);
    tcase_add_test(tc, epd_and_bad_tcr_fault_before_the_walk);
    tcase_add_test(tc, blocks_at_levels_1_and_2);
    tcase_add_test(tc, reserved_descriptor_types_are_translation_faults);
    tcase_add_test(tc, translation_fault_at_every_level);
    tcase_add_test(tc, address_size_faults_for_tables_outputs_and_ttbr);
    tcase_add_test(tc, access_flag_fault_or_hardware_update_at_each_leaf_level);
    tcase_add_test(tc, access_flag_fault_comes_before_permission_fault);
    tcase_add_test(tc, ap_bits_for_el1_and_el0);
    tcase_add_test(tc, pan_and_unprivileged_accesses);
    tcase_add_test(tc, execute_never_bits);
    tcase_add_test(tc, hierarchical_table_limits);
    tcase_add_test(tc, dirty_state_by_dbm);
    tcase_add_test(tc, contiguous_ranges_are_reported);
    tcase_add_test(tc, asid_and_global);
    tcase_add_test(tc, mair_attribute_of_attrindx);
    tcase_add_test(tc, external_abort_on_walk_at_each_level);
    tcase_add_test(tc, failed_hardware_update_is_an_external_abort);
    tcase_add_test(tc, random_mappings_translate_as_built);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
