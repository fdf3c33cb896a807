/*
 * test_tlb.c - the TLB model: fills, hits, stale translations until the
 * right invalidation, TLBI scopes (arm64) and SFENCE.VMA scopes (RV64),
 * global entries, contiguous and NAPOT ranges, and hardware dirty updates
 * through cached entries.
 */
#include "mmu/mmu.h"

#include "tables.h"
#include "test_util.h"

#include <check.h>

#define RAM_BASE 0x40000000ull
#define RAM_SIZE 0x01000000ull

static struct mmu_tlb *tlb;
static struct mmu_result res;
static bool hit;

static void setup(void)
{
    tables_setup(RAM_BASE, RAM_SIZE);
    tlb = mmu_tlb_new(0);
    ck_assert_ptr_nonnull(tlb);
}

static void teardown(void)
{
    mmu_tlb_free(tlb);
    tables_teardown();
}

/* ---- arm64 --------------------------------------------------------------- */

static uint64_t a_xl(const struct mmu_a64_ctx *c, uint64_t va, enum mmu_access acc)
{
    int rc = mmu_tlb_a64_translate(tlb, pm, c, va, acc, &res, &hit);
    ck_assert_msg(rc == 0, "va 0x%llx: %s (%s)", (unsigned long long)va, mmu_fault_name(res.fault),
                  mmu_reason_name(res.reason));
    return res.pa;
}

static void a_setup(void)
{
    setup();
    root0 = new_table();
    root1 = new_table();
}

START_TEST(a64_walk_fills_and_hits)
{
    struct mmu_a64_ctx c = a_ctx(1);
    a_put(root0, 0x1000, 3, A_PAGE(0x7000ull) | A_NG);
    ck_assert_uint_eq(a_xl(&c, 0x1008, MMU_ACC_READ), 0x7008);
    ck_assert(!hit);
    ck_assert_uint_eq(res.nsteps, 4);
    ck_assert_uint_eq(mmu_tlb_count(tlb), 1);
    ck_assert_uint_eq(a_xl(&c, 0x1ff0, MMU_ACC_WRITE), 0x7ff0);
    ck_assert(hit);
    ck_assert_uint_eq(res.nsteps, 0);
    ck_assert_uint_eq(res.va, 0x1ff0);
    ck_assert_uint_eq(mmu_tlb_count(tlb), 1);
    /* Faults are not cached. */
    struct mmu_result r;
    ck_assert_int_eq(mmu_tlb_a64_translate(tlb, pm, &c, 0x5000, MMU_ACC_READ, &r, &hit), -1);
    ck_assert_uint_eq(mmu_tlb_count(tlb), 1);
    /* MMU off bypasses the TLB. */
    c.sctlr = 0;
    ck_assert_uint_eq(a_xl(&c, 0x1008, MMU_ACC_READ), 0x1008);
    ck_assert(!hit);
}
END_TEST

START_TEST(a64_stale_translation_until_tlbi)
{
    struct mmu_a64_ctx c = a_ctx(1);
    uint64_t dpa = a_put(root0, 0x1000, 3, A_PAGE(0x7000ull) | A_NG);
    a_xl(&c, 0x1000, MMU_ACC_READ);
    /* Remap without maintenance: the old translation is still used. */
    wr(dpa, A_PAGE(0x9000ull) | A_NG);
    ck_assert_uint_eq(a_xl(&c, 0x1000, MMU_ACC_READ), 0x7000);
    ck_assert(hit);
    /* Unmap without maintenance: still translates. */
    wr(dpa, 0);
    ck_assert_uint_eq(a_xl(&c, 0x1000, MMU_ACC_READ), 0x7000);
    /* A TLBI for another ASID or another VA does not help. */
    mmu_tlb_a64_tlbi(tlb, MMU_TLBI_VAE1IS, tlbi_arg(0x1000, 2), c.tcr);
    mmu_tlb_a64_tlbi(tlb, MMU_TLBI_VALE1, tlbi_arg(0x2000, 1), c.tcr);
    ck_assert_uint_eq(a_xl(&c, 0x1000, MMU_ACC_READ), 0x7000);
    /* The right one does. */
    mmu_tlb_a64_tlbi(tlb, MMU_TLBI_VALE1IS, tlbi_arg(0x1000, 1), c.tcr);
    struct mmu_result r;
    ck_assert_int_eq(mmu_tlb_a64_translate(tlb, pm, &c, 0x1000, MMU_ACC_READ, &r, &hit), -1);
    ck_assert_int_eq(r.fault, MMU_FAULT_TRANSLATION);
    ck_assert_uint_eq(r.code, 0x07);
}
END_TEST

/*
 * Six entries: VA P and Q, each under ASID 1 (non-global), ASID 2
 * (non-global) and global. Returns which survive as a bit mask:
 * bit 0 P/1, 1 P/2, 2 P/G, 3 Q/1, 4 Q/2, 5 Q/G.
 */
#define P 0x0000000000010000ull
#define Q 0x0000000000020000ull
static unsigned a64_scope(enum mmu_tlbi_op op, uint64_t va, uint16_t asid)
{
    mmu_tlb_flush_all(tlb);
    /* Global entries are mapped at other VAs (P+0x1000, Q+0x1000) so that
     * each ASID's walk for P/Q fills its own entry. */
    static const uint64_t vas[6] = {P, P, P + 0x1000, Q, Q, Q + 0x1000};
    static const uint16_t asids[6] = {1, 2, 1, 1, 2, 1};
    for (int i = 0; i < 6; i++) {
        struct mmu_a64_ctx c = a_ctx(asids[i]);
        a_xl(&c, vas[i], MMU_ACC_READ);
        ck_assert(!hit);
    }
    ck_assert_uint_eq(mmu_tlb_count(tlb), 6);
    struct mmu_a64_ctx c1 = a_ctx(1);
    mmu_tlb_a64_tlbi(tlb, op, tlbi_arg(va, asid), c1.tcr);
    /* Which survive: look up without walking (a hit says it is cached). */
    unsigned mask = 0;
    for (int i = 0; i < 6; i++) {
        struct mmu_a64_ctx c = a_ctx(asids[i]);
        unsigned before = mmu_tlb_count(tlb);
        a_xl(&c, vas[i], MMU_ACC_READ);
        if (hit)
            mask |= 1u << i;
        else
            ck_assert_uint_eq(mmu_tlb_count(tlb), before + 1);
    }
    return mask;
}

START_TEST(a64_tlbi_scopes)
{
    a_put(root0, P, 3, A_PAGE(0x100000ull) | A_NG);
    a_put(root0, Q, 3, A_PAGE(0x200000ull) | A_NG);
    a_put(root0, P + 0x1000, 3, A_PAGE(0x300000ull));
    a_put(root0, Q + 0x1000, 3, A_PAGE(0x400000ull));
    ck_assert_uint_eq(a64_scope(MMU_TLBI_VMALLE1, 0, 0), 0);
    ck_assert_uint_eq(a64_scope(MMU_TLBI_VMALLE1IS, 0, 0), 0);
    /* By VA and ASID: that ASID's entry for the VA. */
    ck_assert_uint_eq(a64_scope(MMU_TLBI_VAE1, P, 1), 0x3e);
    ck_assert_uint_eq(a64_scope(MMU_TLBI_VALE1, P, 2), 0x3d);
    ck_assert_uint_eq(a64_scope(MMU_TLBI_VAE1IS, Q, 2), 0x2f);
    /* ... and global entries for the VA whatever the ASID. */
    ck_assert_uint_eq(a64_scope(MMU_TLBI_VAE1, P + 0x1000, 7), 0x3b);
    ck_assert_uint_eq(a64_scope(MMU_TLBI_VALE1IS, Q + 0x1000, 2), 0x1f);
    /* By ASID: every non-global entry of it. */
    ck_assert_uint_eq(a64_scope(MMU_TLBI_ASIDE1, 0, 1), 0x36);
    ck_assert_uint_eq(a64_scope(MMU_TLBI_ASIDE1IS, 0, 2), 0x2d);
    /* By VA, all ASIDs. */
    ck_assert_uint_eq(a64_scope(MMU_TLBI_VAAE1, P, 0), 0x3c);
    ck_assert_uint_eq(a64_scope(MMU_TLBI_VAALE1IS, Q + 0x1000, 0), 0x1f);
    ck_assert_uint_eq(a64_scope(MMU_TLBI_VAAE1IS, Q, 9), 0x27);
    ck_assert_uint_eq(a64_scope(MMU_TLBI_VAALE1, P + 0x1000, 0), 0x3b);
}
END_TEST

START_TEST(a64_asid_tags_entries_and_8_bit_asids_compare_low_bits)
{
    /* Two address spaces mapping the same VA differently, switched by
     * TTBR0.ASID without invalidation. */
    uint64_t other = new_table();
    a_put(root0, 0x1000, 3, A_PAGE(0x7000ull) | A_NG);
    a_put(other, 0x1000, 3, A_PAGE(0x8000ull) | A_NG);
    struct mmu_a64_ctx c1 = a_ctx(1), c2 = a_ctx(2);
    c2.ttbr0 = other | (2ull << 48);
    ck_assert_uint_eq(a_xl(&c1, 0x1000, MMU_ACC_READ), 0x7000);
    ck_assert_uint_eq(a_xl(&c2, 0x1000, MMU_ACC_READ), 0x8000);
    ck_assert(!hit);
    ck_assert_uint_eq(a_xl(&c1, 0x1000, MMU_ACC_READ), 0x7000);
    ck_assert(hit);
    /* Reusing ASID 1 for the other tables without a flush: stale. */
    struct mmu_a64_ctx c3 = a_ctx(1);
    c3.ttbr0 = other | (1ull << 48);
    ck_assert_uint_eq(a_xl(&c3, 0x1000, MMU_ACC_READ), 0x7000);
    /* TLBI ASIDE1 for ASID 1 fixes it. */
    mmu_tlb_a64_tlbi(tlb, MMU_TLBI_ASIDE1, tlbi_arg(0, 1), c3.tcr);
    ck_assert_uint_eq(a_xl(&c3, 0x1000, MMU_ACC_READ), 0x8000);
    /* 8-bit ASIDs: 0x101 and 0x001 are the same ASID. */
    mmu_tlb_flush_all(tlb);
    struct mmu_a64_ctx c8 = a_ctx(0x101);
    c8.tcr &= ~(1ull << 36);
    a_xl(&c8, 0x1000, MMU_ACC_READ);
    mmu_tlb_a64_tlbi(tlb, MMU_TLBI_VAE1, tlbi_arg(0x1000, 0x001), c8.tcr);
    ck_assert_uint_eq(mmu_tlb_count(tlb), 0);
}
END_TEST

START_TEST(a64_upper_range_and_tagged_vas)
{
    struct mmu_a64_ctx c = a_ctx(1);
    uint64_t kva = 0xffff000000400000ull;
    uint64_t dpa = a_put(root1, kva, 3, A_PAGE(0x5000ull));
    c.tcr |= (1ull << 38); /* TBI1 */
    ck_assert_uint_eq(a_xl(&c, kva, MMU_ACC_READ), 0x5000);
    ck_assert(!hit);
    /* A different tag hits the same entry. */
    ck_assert_uint_eq(a_xl(&c, (kva & ~(0xffull << 56)) | (0x3cull << 56), MMU_ACC_READ), 0x5000);
    ck_assert(hit);
    /* TLBI by VA of a kernel address (operand holds VA[55:12]). */
    wr(dpa, A_PAGE(0x6000ull));
    mmu_tlb_a64_tlbi(tlb, MMU_TLBI_VAAE1IS, tlbi_arg(kva, 0), c.tcr);
    ck_assert_uint_eq(a_xl(&c, kva, MMU_ACC_READ), 0x6000);
    ck_assert(!hit);
}
END_TEST

START_TEST(a64_contiguous_and_block_entries_cover_their_range)
{
    struct mmu_a64_ctx c = a_ctx(1);
    uint64_t va = 0x0000000000730000ull, pa = 0x0000000045670000ull;
    uint64_t dpa[16];
    for (int i = 0; i < 16; i++)
        dpa[i] = a_put(root0, va + (uint64_t)i * 0x1000, 3,
                       A_PAGE(pa + (uint64_t)i * 0x1000) | A_CONT | A_NG);
    ck_assert_uint_eq(a_xl(&c, va + 0x3010, MMU_ACC_READ), pa + 0x3010);
    ck_assert(!hit);
    /* One entry covers all 16 pages. */
    for (int i = 0; i < 16; i++) {
        ck_assert_uint_eq(a_xl(&c, va + (uint64_t)i * 0x1000 + 8, MMU_ACC_READ),
                          pa + (uint64_t)i * 0x1000 + 8);
        ck_assert(hit);
    }
    ck_assert_uint_eq(mmu_tlb_count(tlb), 1);
    /* Unfold without a TLBI: the range entry keeps translating. */
    for (int i = 0; i < 16; i++)
        wr(dpa[i], A_PAGE(0x100000ull + (uint64_t)i * 0x1000) | A_NG);
    ck_assert_uint_eq(a_xl(&c, va + 0xf000, MMU_ACC_READ), pa + 0xf000);
    ck_assert(hit);
    /* A TLBI for any page of the range drops the whole entry. */
    mmu_tlb_a64_tlbi(tlb, MMU_TLBI_VALE1IS, tlbi_arg(va + 0x9000, 1), c.tcr);
    ck_assert_uint_eq(a_xl(&c, va + 0xf000, MMU_ACC_READ), 0x10f000);
    ck_assert(!hit);
    /* A 2M block entry. */
    a_put(root0, 0x0000000000a00000ull, 2, A_BLOCK(0x40400000ull) | A_NG);
    a_xl(&c, 0xa00000, MMU_ACC_READ);
    ck_assert_uint_eq(a_xl(&c, 0xbfffff, MMU_ACC_READ), 0x405fffff);
    ck_assert(hit);
}
END_TEST

START_TEST(a64_cached_permissions_and_dirty_update)
{
    struct mmu_a64_ctx c = a_ctx(1);
    c.tcr |= (1ull << 39) | (1ull << 40); /* HA, HD */
    uint64_t clean = A_PAGE(0x9000ull) | A_NG | A_RO | A_DBM;
    uint64_t dpa = a_put(root0, 0x3000, 3, clean);
    a_xl(&c, 0x3000, MMU_ACC_READ);
    ck_assert(!hit);
    ck_assert_uint_eq(rd(dpa), clean);
    /* A write through the writable-clean entry walks and clears AP[2]. */
    a_xl(&c, 0x3000, MMU_ACC_WRITE);
    ck_assert(!hit);
    ck_assert(res.updated);
    ck_assert_uint_eq(rd(dpa), clean & ~A_RO);
    a_xl(&c, 0x3008, MMU_ACC_WRITE);
    ck_assert(hit);
    ck_assert_uint_eq(mmu_tlb_count(tlb), 1);
    /* A read-only entry stays read-only from the TLB even after the PTE is
     * made writable in memory (a spurious fault, as on hardware)... */
    uint64_t ro = a_put(root0, 0x4000, 3, A_PAGE(0xa000ull) | A_NG | A_RO);
    a_xl(&c, 0x4000, MMU_ACC_READ);
    wr(ro, A_PAGE(0xa000ull) | A_NG);
    struct mmu_result r;
    ck_assert_int_eq(mmu_tlb_a64_translate(tlb, pm, &c, 0x4000, MMU_ACC_WRITE, &r, &hit), -1);
    ck_assert(hit);
    ck_assert_int_eq(r.fault, MMU_FAULT_PERMISSION);
    ck_assert_uint_eq(r.code, 0x0f);
    /* ... until the TLBI. */
    mmu_tlb_a64_tlbi(tlb, MMU_TLBI_VAE1, tlbi_arg(0x4000, 1), c.tcr);
    a_xl(&c, 0x4000, MMU_ACC_WRITE);
    /* The cached permissions are checked against the current EL and PAN. */
    a_put(root0, 0x5000, 3, A_PAGE(0xb000ull) | A_NG | A_EL0);
    a_xl(&c, 0x5000, MMU_ACC_READ);
    c.pan = true;
    ck_assert_int_eq(mmu_tlb_a64_translate(tlb, pm, &c, 0x5000, MMU_ACC_READ, &r, &hit), -1);
    ck_assert(hit);
    ck_assert_int_eq(r.reason, MMU_R_PAN);
    c.el = 0;
    a_xl(&c, 0x5000, MMU_ACC_READ);
    ck_assert(hit);
}
END_TEST

/* ---- RV64 ----------------------------------------------------------------- */

static uint64_t r_xl(const struct mmu_rv64_ctx *c, uint64_t va, enum mmu_access acc)
{
    int rc = mmu_tlb_rv64_translate(tlb, pm, c, va, acc, &res, &hit);
    ck_assert_msg(rc == 0, "va 0x%llx: %s (%s)", (unsigned long long)va, mmu_fault_name(res.fault),
                  mmu_reason_name(res.reason));
    return res.pa;
}

static void r_setup(void)
{
    setup();
    rroot = new_table();
}

START_TEST(rv64_stale_translation_until_sfence)
{
    struct mmu_rv64_ctx c = r_ctx(1);
    uint64_t pte = r_put(rroot, 0x1000, 0, R_PPN(0x7000ull) | R_LEAF);
    ck_assert_uint_eq(r_xl(&c, 0x1010, MMU_ACC_READ), 0x7010);
    ck_assert(!hit);
    wr(pte, R_PPN(0x9000ull) | R_LEAF);
    ck_assert_uint_eq(r_xl(&c, 0x1010, MMU_ACC_READ), 0x7010);
    ck_assert(hit);
    mmu_tlb_rv64_sfence_vma(tlb, true, 0x2000, true, 1); /* other VA */
    mmu_tlb_rv64_sfence_vma(tlb, true, 0x1000, true, 2); /* other ASID */
    ck_assert_uint_eq(r_xl(&c, 0x1010, MMU_ACC_READ), 0x7010);
    /* A non-canonical VA is a no-op, not an exception. */
    mmu_tlb_rv64_sfence_vma(tlb, true, 0x8000000000001000ull, false, 0);
    ck_assert_uint_eq(r_xl(&c, 0x1010, MMU_ACC_READ), 0x7010);
    mmu_tlb_rv64_sfence_vma(tlb, true, 0x1abc, true, 1);
    ck_assert_uint_eq(r_xl(&c, 0x1010, MMU_ACC_READ), 0x9010);
    ck_assert(!hit);
    /* Bare mode and M-mode bypass the TLB. */
    c.priv = MMU_PRIV_M;
    ck_assert_uint_eq(r_xl(&c, 0x1010, MMU_ACC_READ), 0x1010);
    ck_assert(!hit);
}
END_TEST

/* Entries: P under ASID 1, P under ASID 2, global at P+0x1000, same at Q. */
static unsigned rv64_scope(bool has_va, uint64_t va, bool has_asid, uint16_t asid)
{
    mmu_tlb_flush_all(tlb);
    static const uint64_t vas[6] = {P, P, P + 0x1000, Q, Q, Q + 0x1000};
    static const uint16_t asids[6] = {1, 2, 1, 1, 2, 1};
    for (int i = 0; i < 6; i++) {
        struct mmu_rv64_ctx c = r_ctx(asids[i]);
        r_xl(&c, vas[i], MMU_ACC_READ);
        ck_assert(!hit);
    }
    mmu_tlb_rv64_sfence_vma(tlb, has_va, va, has_asid, asid);
    unsigned mask = 0;
    for (int i = 0; i < 6; i++) {
        struct mmu_rv64_ctx c = r_ctx(asids[i]);
        r_xl(&c, vas[i], MMU_ACC_READ);
        if (hit)
            mask |= 1u << i;
    }
    return mask;
}

START_TEST(rv64_sfence_vma_scopes)
{
    r_put(rroot, P, 0, R_PPN(0x100000ull) | R_LEAF);
    r_put(rroot, Q, 0, R_PPN(0x200000ull) | R_LEAF);
    r_put(rroot, P + 0x1000, 0, R_PPN(0x300000ull) | R_LEAF | R_G);
    r_put(rroot, Q + 0x1000, 0, R_PPN(0x400000ull) | R_LEAF | R_G);
    /* x0, x0: everything. */
    ck_assert_uint_eq(rv64_scope(false, 0, false, 0), 0);
    /* x0, asid: that ASID's non-global entries; globals survive. */
    ck_assert_uint_eq(rv64_scope(false, 0, true, 1), 0x36);
    ck_assert_uint_eq(rv64_scope(false, 0, true, 2), 0x2d);
    /* va, x0: every entry for the VA, global or not. */
    ck_assert_uint_eq(rv64_scope(true, P + 0x10, false, 0), 0x3c);
    ck_assert_uint_eq(rv64_scope(true, Q + 0x1000, false, 0), 0x1f);
    /* va, asid: that ASID's entry for the VA; globals survive. */
    ck_assert_uint_eq(rv64_scope(true, P, true, 2), 0x3d);
    ck_assert_uint_eq(rv64_scope(true, P + 0x1000, true, 1), 0x3f);
    ck_assert_uint_eq(rv64_scope(true, Q, true, 1), 0x37);
}
END_TEST

START_TEST(rv64_napot_and_superpage_entries_cover_their_range)
{
    struct mmu_rv64_ctx c = r_ctx(1);
    uint64_t va = 0x350000, pa = 0x41230000;
    for (int i = 0; i < 16; i++)
        r_put(rroot, va + (uint64_t)i * 0x1000, 0, R_PPN(pa) | (8ull << 10) | R_LEAF | R_N);
    r_xl(&c, va, MMU_ACC_READ);
    for (int i = 0; i < 16; i++) {
        ck_assert_uint_eq(r_xl(&c, va + (uint64_t)i * 0x1000 + 4, MMU_ACC_READ),
                          pa + (uint64_t)i * 0x1000 + 4);
        ck_assert(hit);
    }
    ck_assert_uint_eq(mmu_tlb_count(tlb), 1);
    mmu_tlb_rv64_sfence_vma(tlb, true, va + 0xe000, false, 0);
    ck_assert_uint_eq(mmu_tlb_count(tlb), 0);
    /* A 2M megapage. */
    r_put(rroot, 0x600000, 1, R_PPN(0x40800000ull) | R_LEAF);
    r_xl(&c, 0x600000, MMU_ACC_READ);
    ck_assert_uint_eq(r_xl(&c, 0x7ffff8, MMU_ACC_READ), 0x409ffff8);
    ck_assert(hit);
}
END_TEST

START_TEST(rv64_store_through_clean_entry_sets_d_or_faults)
{
    struct mmu_rv64_ctx c = r_ctx(1);
    uint64_t clean = R_PPN(0x7000ull) | (R_LEAF & ~R_D);
    uint64_t pte = r_put(rroot, 0x1000, 0, clean);
    r_xl(&c, 0x1000, MMU_ACC_READ);
    ck_assert_uint_eq(rd(pte), clean);
    /* Svadu: the store walks again and sets D in memory. */
    r_xl(&c, 0x1000, MMU_ACC_WRITE);
    ck_assert(!hit);
    ck_assert_uint_eq(rd(pte), clean | R_D);
    r_xl(&c, 0x1008, MMU_ACC_WRITE);
    ck_assert(hit);
    /* Svade: the store page-faults, from memory, not the cached entry. */
    wr(pte, clean);
    mmu_tlb_rv64_sfence_vma(tlb, false, 0, false, 0);
    c.adue = false;
    r_xl(&c, 0x1000, MMU_ACC_READ);
    struct mmu_result r;
    ck_assert_int_eq(mmu_tlb_rv64_translate(tlb, pm, &c, 0x1000, MMU_ACC_WRITE, &r, &hit), -1);
    ck_assert_int_eq(r.reason, MMU_R_D_CLEAR);
    ck_assert_uint_eq(r.code, 15);
    /* Cached permissions follow SUM. */
    uint64_t u = r_put(rroot, 0x2000, 0, R_PPN(0x8000ull) | R_LEAF | (1ull << 4));
    (void)u;
    c.sum = true;
    r_xl(&c, 0x2000, MMU_ACC_READ);
    c.sum = false;
    ck_assert_int_eq(mmu_tlb_rv64_translate(tlb, pm, &c, 0x2000, MMU_ACC_READ, &r, &hit), -1);
    ck_assert(hit);
    ck_assert_int_eq(r.reason, MMU_R_SUM);
    ck_assert_uint_eq(r.code, 13);
}
END_TEST

START_TEST(small_tlb_evicts_round_robin)
{
    mmu_tlb_free(tlb);
    tlb = mmu_tlb_new(2);
    struct mmu_rv64_ctx c = r_ctx(1);
    for (int i = 0; i < 3; i++)
        r_put(rroot, 0x1000 * (uint64_t)(i + 1), 0, R_PPN(0x10000ull * (uint64_t)(i + 1)) | R_LEAF);
    r_xl(&c, 0x1000, MMU_ACC_READ);
    r_xl(&c, 0x2000, MMU_ACC_READ);
    r_xl(&c, 0x3000, MMU_ACC_READ); /* evicts 0x1000 */
    ck_assert_uint_eq(mmu_tlb_count(tlb), 2);
    r_xl(&c, 0x3000, MMU_ACC_READ);
    ck_assert(hit);
    r_xl(&c, 0x1000, MMU_ACC_READ);
    ck_assert(!hit);
}
END_TEST

struct seen {
    uint64_t va[4], pa[4], size[4];
    int n;
};

static void see(void *ctx, uint64_t va, const struct mmu_result *leaf)
{
    struct seen *s = ctx;
    if (s->n < 4) {
        s->va[s->n] = va;
        s->pa[s->n] = leaf->range_pa;
        s->size[s->n] = leaf->range_size;
    }
    s->n++;
}

START_TEST(for_each_lists_the_valid_entries_with_their_ranges)
{
    struct mmu_rv64_ctx c = r_ctx(1);
    r_put(rroot, 0x5000, 0, R_PPN(0x40123000ull) | R_LEAF);
    r_put(rroot, 0x600000, 1, R_PPN(0x40800000ull) | R_LEAF);
    r_xl(&c, 0x5008, MMU_ACC_READ);
    r_xl(&c, 0x612345, MMU_ACC_READ);
    struct seen s = {0};
    mmu_tlb_for_each(tlb, see, &s);
    ck_assert_int_eq(s.n, 2);
    ck_assert_uint_eq(s.va[0], 0x5000);
    ck_assert_uint_eq(s.pa[0], 0x40123000);
    ck_assert_uint_eq(s.size[0], 0x1000);
    ck_assert_uint_eq(s.va[1], 0x600000);
    ck_assert_uint_eq(s.pa[1], 0x40800000);
    ck_assert_uint_eq(s.size[1], 0x200000);
    /* Invalidated entries are not listed. */
    mmu_tlb_rv64_sfence_vma(tlb, true, 0x5000, false, 0);
    s.n = 0;
    mmu_tlb_for_each(tlb, see, &s);
    ck_assert_int_eq(s.n, 1);
    ck_assert_uint_eq(s.va[0], 0x600000);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tlb");
    TCase *ta = tcase_create("a64");
    tcase_add_checked_fixture(ta, a_setup, teardown);
    tcase_add_test(ta, a64_walk_fills_and_hits);
    tcase_add_test(ta, a64_stale_translation_until_tlbi);
    tcase_add_test(ta, a64_tlbi_scopes);
    tcase_add_test(ta, a64_asid_tags_entries_and_8_bit_asids_compare_low_bits);
    tcase_add_test(ta, a64_upper_range_and_tagged_vas);
    tcase_add_test(ta, a64_contiguous_and_block_entries_cover_their_range);
    tcase_add_test(ta, a64_cached_permissions_and_dirty_update);
    suite_add_tcase(s, ta);
    TCase *tr = tcase_create("rv64");
    tcase_add_checked_fixture(tr, r_setup, teardown);
    tcase_add_test(tr, rv64_stale_translation_until_sfence);
    tcase_add_test(tr, rv64_sfence_vma_scopes);
    tcase_add_test(tr, rv64_napot_and_superpage_entries_cover_their_range);
    tcase_add_test(tr, rv64_store_through_clean_entry_sets_d_or_faults);
    tcase_add_test(tr, small_tlb_evicts_round_robin);
    tcase_add_test(tr, for_each_lists_the_valid_entries_with_their_ranges);
    suite_add_tcase(s, tr);
    return tu_main(s);
}
