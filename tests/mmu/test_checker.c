/*
 * test_checker.c - the MMU checker (mmu/checker.c) and the physical-memory
 * paths it stands on: the write observer on PHYS_PAGE_WATCH pages and the
 * side-effect-free phys_peek().
 *
 * Tables are built by hand in simulated RAM (arm64: 48-bit VA, 4 levels,
 * 4 KiB; RV64: Sv39), translated through the TLB, then rewritten with
 * phys_store as a guest would. Each rule is tested both ways: the
 * violation gives exactly the reports expected (kind, PTE PA, values), and
 * the correct sequence gives none.
 */
#include "mmu/mmu.h"

#include "tables.h"
#include "test_util.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAM_BASE 0x40000000ull
#define RAM_SIZE 0x04000000ull

static struct mmu_tlb *tlb;
static struct mmu_checker *chk;
static struct mmu_result res;
static bool hit;

static void phys_setup(void)
{
    tables_setup(RAM_BASE, RAM_SIZE);
}

/* ---- physical memory: write observer and peek ------------------------- */

struct seen {
    int calls;
    uint64_t pa;
    size_t len;
    uint8_t old[16], new[16];
};

static void observe(void *ctx, uint64_t pa, size_t len, const uint8_t *old_bytes,
                    const uint8_t *new_bytes)
{
    struct seen *s = ctx;
    s->calls++;
    s->pa = pa;
    s->len = len;
    memcpy(s->old, old_bytes, len < 16 ? len : 16);
    memcpy(s->new, new_bytes, len < 16 ? len : 16);
}

/* A tiny stand-in for RAS: reads of one "poisoned" doubleword fail; every
 * write is counted. */
static int hook_reads, hook_writes;
static uint64_t poisoned_pa;
static enum phys_status tiny_ras(void *ctx, enum phys_access_kind kind, uint64_t pa, size_t len,
                                 uint64_t *fault_pa)
{
    (void)ctx;
    if (kind == PHYS_ACC_WRITE) {
        hook_writes++;
        return PHYS_OK;
    }
    hook_reads++;
    if (poisoned_pa >= pa && poisoned_pa < pa + len) {
        *fault_pa = poisoned_pa;
        return PHYS_CHECK_FAILED;
    }
    return PHYS_OK;
}

START_TEST(observer_sees_guest_writes_to_watched_pages_only)
{
    struct seen s = {0};
    uint64_t page = RAM_BASE + 0x5000;
    wr(page + 8, 0x1111);
    ck_assert_ptr_nonnull(phys_page_host(pm, page, false));
    phys_set_write_observer(pm, observe, &s);
    wr(page + 8, 0x2222); /* not watched yet */
    ck_assert_int_eq(s.calls, 0);

    uint64_t gen = phys_generation(pm);
    phys_page_set_flags(pm, page, PHYS_PAGE_WATCH);
    ck_assert_uint_ne(phys_generation(pm), gen); /* cached host pointers go stale */
    ck_assert_ptr_null(phys_page_host(pm, page, false));
    ck_assert_ptr_null(phys_page_host(pm, page, true));

    wr(page + 8, 0x3333);
    ck_assert_int_eq(s.calls, 1);
    ck_assert_uint_eq(s.pa, page + 8);
    ck_assert_uint_eq(s.len, 8);
    ck_assert_uint_eq(s.old[0], 0x22);
    ck_assert_uint_eq(s.new[0], 0x33);

    /* Host placement is not a guest write. */
    ck_assert_int_eq(phys_store(pm, page + 8, 8, 0x4444, PHYS_INIT, NULL), PHYS_OK);
    ck_assert_int_eq(s.calls, 1);

    /* A write across into the next (unwatched) page: only the watched
     * piece is shown. */
    uint8_t buf[16];
    memset(buf, 0xab, sizeof(buf));
    ck_assert_int_eq(phys_write(pm, page + 0xff8, buf, 16, 0, NULL), PHYS_OK);
    ck_assert_int_eq(s.calls, 2);
    ck_assert_uint_eq(s.pa, page + 0xff8);
    ck_assert_uint_eq(s.len, 8);

    /* An aborted write is not observed. */
    ck_assert_int_eq(phys_write(pm, RAM_BASE + RAM_SIZE - 8, buf, 16, 0, NULL), PHYS_ABSENT_ADDR);
    ck_assert_int_eq(s.calls, 2);

    phys_set_write_observer(pm, NULL, NULL);
    wr(page + 8, 0x5555);
    ck_assert_int_eq(s.calls, 2);
    phys_page_clear_flags(pm, page, PHYS_PAGE_WATCH);
    ck_assert_ptr_nonnull(phys_page_host(pm, page, false));
}
END_TEST

START_TEST(watch_and_hook_on_one_page_both_work)
{
    struct seen s = {0};
    uint64_t page = RAM_BASE + 0x6000;
    wr(page, 1);
    phys_set_write_observer(pm, observe, &s);
    phys_set_access_hook(pm, tiny_ras, NULL);
    hook_reads = hook_writes = 0;
    poisoned_pa = page + 0x40;
    phys_page_set_flags(pm, page, PHYS_PAGE_WATCH | PHYS_PAGE_HOOK);
    wr(page, 2);
    ck_assert_int_eq(hook_writes, 1);
    ck_assert_int_eq(s.calls, 1);
    uint64_t v;
    struct phys_fault f;
    ck_assert_int_eq(phys_load(pm, page + 0x40, 8, &v, 0, &f), PHYS_CHECK_FAILED);
    ck_assert_uint_eq(f.pa, page + 0x40);
    /* Dropping WATCH leaves the hook in place. */
    phys_page_clear_flags(pm, page, PHYS_PAGE_WATCH);
    ck_assert_ptr_null(phys_page_host(pm, page, false));
    ck_assert_int_eq(phys_load(pm, page + 0x40, 8, &v, 0, NULL), PHYS_CHECK_FAILED);
    wr(page, 3);
    ck_assert_int_eq(s.calls, 1);
    ck_assert_int_eq(hook_writes, 2);
}
END_TEST

START_TEST(peek_has_no_side_effects)
{
    uint64_t page = RAM_BASE + 0x7000, v = 1;
    wr(page + 0x40, 0x0123456789abcdefull);
    phys_set_access_hook(pm, tiny_ras, NULL);
    hook_reads = hook_writes = 0;
    poisoned_pa = page + 0x40;
    phys_page_set_flags(pm, page, PHYS_PAGE_HOOK);
    ck_assert_int_eq(phys_peek(pm, page + 0x40, 8, &v), PHYS_OK);
    ck_assert_uint_eq(v, 0x0123456789abcdefull);
    ck_assert_int_eq(phys_peek(pm, page + 0x44, 4, &v), PHYS_OK);
    ck_assert_uint_eq(v, 0x01234567);
    ck_assert_int_eq(hook_reads, 0);
    /* Never-written RAM peeks as zero without allocating a page. */
    size_t pages = phys_pages_allocated(pm);
    ck_assert_int_eq(phys_peek(pm, RAM_BASE + 0x100000, 8, &v), PHYS_OK);
    ck_assert_uint_eq(v, 0);
    ck_assert_uint_eq(phys_pages_allocated(pm), pages);
    ck_assert_int_eq(phys_peek(pm, 0x1000, 8, &v), PHYS_ABSENT_ADDR);
    ck_assert_int_eq(phys_peek(pm, page + 0xffc, 8, &v), PHYS_CROSSES_PAGE);
    /* The guest load still consumes the poison. */
    ck_assert_int_eq(phys_load(pm, page + 0x40, 8, &v, 0, NULL), PHYS_CHECK_FAILED);
    ck_assert_int_eq(hook_reads, 1);
}
END_TEST

/* ---- checker: shared set-up ---------------------------------------------- */

#define FAKE_PC 0xffff800010201234ull

static uint64_t fake_pc(void *ctx)
{
    (void)ctx;
    return FAKE_PC;
}

static void dump_reports(char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; chk && i < mmu_checker_count(chk) && at < len; i++) {
        int n = snprintf(buf + at, len - at, "\n  %s", mmu_checker_get(chk, i)->text);
        if (n < 0)
            break;
        at += (size_t)n;
    }
}

/* Exactly n reports so far (listing them when not). */
#define expect_count(n) expect_count_at(__LINE__, n)
static void expect_count_at(int line, size_t n)
{
    char buf[4096];
    dump_reports(buf, sizeof(buf));
    ck_assert_msg(mmu_checker_count(chk) == n, "line %d: expected %zu reports, have %zu:%s", line,
                  n, mmu_checker_count(chk), buf);
}

/* Report i has this kind and descriptor PA, and the fake PC; returns it. */
#define expect_report(i, kind, pte_pa) expect_report_at(__LINE__, i, kind, pte_pa)
static const struct mmu_check_report *expect_report_at(int line, size_t i, enum mmu_check_kind kind,
                                                       uint64_t pte_pa)
{
    const struct mmu_check_report *r = mmu_checker_get(chk, i);
    ck_assert_msg(r != NULL, "line %d: no report %zu", line, i);
    ck_assert_msg(r->kind == kind && r->pte_pa == pte_pa,
                  "line %d: report %zu: want %s at PA 0x%llx, have: %s", line, i,
                  mmu_check_kind_name(kind), (unsigned long long)pte_pa, r->text);
    ck_assert_uint_eq(r->pc, FAKE_PC);
    ck_assert_ptr_nonnull(strstr(r->text, "at PC 0xffff800010201234"));
    return r;
}

static void chk_setup(void)
{
    phys_setup();
    tlb = mmu_tlb_new(0);
    ck_assert_ptr_nonnull(tlb);
    chk = mmu_checker_new(pm, tlb, true);
    ck_assert_ptr_nonnull(chk);
    mmu_checker_set_pc(chk, fake_pc, NULL);
}

static void chk_teardown(void)
{
    mmu_checker_free(chk);
    chk = NULL;
    mmu_tlb_free(tlb);
    tables_teardown();
}

/* ---- arm64 (48-bit VA, 4 levels, 4 KiB) ---------------------------------- */

/* The PA of the descriptor at `level` on va's walk. */
static uint64_t a_desc_pa(uint64_t va, int level)
{
    uint64_t table = root0;
    for (int l = 0;; l++) {
        uint64_t dpa = table + ((va >> (39 - 9 * l)) & 511) * 8;
        if (l == level)
            return dpa;
        table = rd(dpa) & A_OA;
    }
}

static uint64_t a_xl(uint64_t va)
{
    struct mmu_a64_ctx c = a_ctx(1);
    int rc = mmu_tlb_a64_translate(tlb, pm, &c, va, MMU_ACC_READ, &res, &hit);
    ck_assert_msg(rc == 0, "va 0x%llx: %s (%s)", (unsigned long long)va, mmu_fault_name(res.fault),
                  mmu_reason_name(res.reason));
    return res.pa;
}

static void tlbi(enum mmu_tlbi_op op, uint64_t va, uint16_t asid)
{
    mmu_tlb_a64_tlbi(tlb, op, tlbi_arg(va, asid), a_ctx(1).tcr);
}

static void a_setup(void)
{
    chk_setup();
    root0 = new_table();
    root1 = new_table();
}

#define VA1 0x0000000000401000ull
#define VA2 0x0000000000402000ull

START_TEST(a64_oa_change_under_a_cached_entry_is_bbm_then_stale)
{
    uint64_t old = A_PAGE(0x7000ull) | A_NG, new = A_PAGE(0x8000ull) | A_NG;
    uint64_t dpa = a_put(root0, VA1, 3, old);
    ck_assert_uint_eq(a_xl(VA1), 0x7000);
    expect_count(0);
    wr(dpa, new);
    expect_count(1);
    const struct mmu_check_report *r = expect_report(0, MMU_CHECK_BBM, dpa);
    ck_assert_uint_eq(r->cached, old);
    ck_assert_uint_eq(r->current, new);
    ck_assert_uint_eq(r->va, VA1);
    ck_assert_uint_eq(r->asid, 1);
    ck_assert_int_eq(r->level, 3);
    ck_assert_ptr_nonnull(strstr(r->text, "break-before-make"));
    ck_assert_ptr_nonnull(strstr(r->text, "(output address)"));
    ck_assert_ptr_nonnull(strstr(r->text, "ASID 1"));
    /* The same store again is the same violation: reported once. */
    wr(dpa, new);
    expect_count(1);
    /* Using the stale entry: the hardware may still give 0x7000. */
    ck_assert_uint_eq(a_xl(VA1 + 8), 0x7008);
    ck_assert(hit);
    expect_count(2);
    r = expect_report(1, MMU_CHECK_STALE, dpa);
    ck_assert_uint_eq(r->va, VA1 + 8);
    ck_assert_uint_eq(r->cached, old);
    ck_assert_uint_eq(r->current, new);
    a_xl(VA1 + 16); /* once per entry and value */
    expect_count(2);
    mmu_checker_clear(chk);
    expect_count(0);
}
END_TEST

START_TEST(a64_break_before_make_done_right_is_silent)
{
    uint64_t d1 = a_put(root0, VA1, 3, A_PAGE(0x7000ull) | A_NG);
    uint64_t d2 = a_put(root0, VA2, 3, A_PAGE(0x9000ull) | A_NG);
    a_xl(VA1);
    a_xl(VA2);
    /* Invalid, TLBI VAE1 with the entry's VA and ASID, then the new one. */
    wr(d1, 0);
    tlbi(MMU_TLBI_VAE1IS, VA1, 1);
    wr(d1, A_PAGE(0x8000ull) | A_NG);
    /* VALE1 is enough for a leaf. */
    wr(d2, 0);
    tlbi(MMU_TLBI_VALE1IS, VA2, 1);
    wr(d2, A_PAGE(0xa000ull) | A_NG | A_ATTR(4));
    ck_assert_uint_eq(a_xl(VA1), 0x8000);
    ck_assert(!hit);
    ck_assert_uint_eq(a_xl(VA2), 0xa000);
    ck_assert(!hit);
    expect_count(0);
}
END_TEST

START_TEST(a64_break_without_tlbi_or_with_the_wrong_tlbi_is_reported)
{
    uint64_t d1 = a_put(root0, VA1, 3, A_PAGE(0x7000ull) | A_NG);
    uint64_t d2 = a_put(root0, VA2, 3, A_PAGE(0x9000ull) | A_NG);
    uint64_t d3 = a_put(root0, VA1 + 0x10000, 3, A_PAGE(0xb000ull) | A_NG);
    a_xl(VA1);
    a_xl(VA2);
    a_xl(VA1 + 0x10000);
    /* Invalid entry but no TLBI. */
    wr(d1, 0);
    expect_count(0); /* the break itself is fine */
    wr(d1, A_PAGE(0x8000ull) | A_NG);
    expect_count(1);
    expect_report(0, MMU_CHECK_BBM, d1);
    ck_assert_uint_eq(mmu_checker_get(chk, 0)->cached, A_PAGE(0x7000ull) | A_NG);
    /* TLBI for another ASID. */
    wr(d2, 0);
    tlbi(MMU_TLBI_VAE1, VA2, 2);
    wr(d2, A_PAGE(0xa000ull) | A_NG);
    expect_count(2);
    expect_report(1, MMU_CHECK_BBM, d2);
    /* TLBI for another VA. */
    wr(d3, 0);
    tlbi(MMU_TLBI_VAE1, VA1 + 0x11000, 1);
    wr(d3, A_PAGE(0xc000ull) | A_NG);
    expect_count(3);
    expect_report(2, MMU_CHECK_BBM, d3);
}
END_TEST

START_TEST(a64_attribute_size_and_ng_changes_need_bbm)
{
    uint64_t old = A_PAGE(0x7000ull) | A_NG;
    uint64_t d1 = a_put(root0, VA1, 3, old);
    a_xl(VA1);
    wr(d1, old | A_ATTR(3)); /* Normal -> Device */
    wr(d1, old & ~A_NG);     /* non-global -> global */
    expect_count(2);
    expect_report(0, MMU_CHECK_BBM, d1);
    ck_assert_ptr_nonnull(strstr(mmu_checker_get(chk, 0)->text, "(AttrIndx/SH)"));
    expect_report(1, MMU_CHECK_BBM, d1);
    ck_assert_ptr_nonnull(strstr(mmu_checker_get(chk, 1)->text, "(nG)"));
    /* A 2M block replaced by a table: a size change. */
    uint64_t bva = 0x0000000000a00000ull;
    uint64_t bpa = a_put(root0, bva, 2, A_BLOCK(0x40400000ull) | A_NG);
    a_xl(bva);
    wr(bpa, new_table() | 3);
    expect_count(3);
    expect_report(2, MMU_CHECK_BBM, bpa);
    ck_assert_int_eq(mmu_checker_get(chk, 2)->level, 2);
    ck_assert_ptr_nonnull(strstr(mmu_checker_get(chk, 2)->text, "block/table/page"));
}
END_TEST

START_TEST(a64_permission_and_af_changes_need_no_bbm)
{
    uint64_t base = A_PAGE(0x7000ull) | A_NG;
    uint64_t d1 = a_put(root0, VA1, 3, base);
    uint64_t d2 = a_put(root0, VA2, 3, A_PAGE(0x9000ull) | A_NG | A_DBM | A_RO);
    a_xl(VA1);
    a_xl(VA2);
    /* Read-only and execute-never: permissions only. */
    wr(d1, base | A_RO | A_UXN);
    /* AF cleared (test_and_clear_young), writable-clean -> dirty. */
    wr(d2, (A_PAGE(0x9000ull) | A_NG | A_DBM) & ~A_AF);
    expect_count(0);
    /* Using them: the permission change is a stale translation... */
    a_xl(VA1);
    ck_assert(hit);
    expect_count(1);
    const struct mmu_check_report *r = expect_report(0, MMU_CHECK_STALE, d1);
    ck_assert_uint_eq(r->va, VA1);
    ck_assert_uint_eq(r->cached, base);
    ck_assert_uint_eq(r->current, base | A_RO | A_UXN);
    ck_assert_ptr_nonnull(strstr(r->text, "(permissions)"));
    /* ... AF and dirty state are not. */
    a_xl(VA2);
    ck_assert(hit);
    expect_count(1);
    /* Nor is rewriting the value the entry holds. */
    wr(d1, base);
    a_xl(VA1);
    expect_count(1);
}
END_TEST

START_TEST(a64_table_descriptor_change_under_a_cached_walk)
{
    uint64_t d3 = a_put(root0, VA1, 3, A_PAGE(0x7000ull) | A_NG);
    uint64_t d2 = a_desc_pa(VA1, 2);
    uint64_t old_table = rd(d2);
    a_xl(VA1);
    /* A new PTE table with the same PTE: still a new output address for
     * the table descriptor. */
    uint64_t t = new_table();
    wr(t + (d3 & 0xfff), A_PAGE(0x7000ull) | A_NG);
    wr(d2, t | 3);
    expect_count(1);
    const struct mmu_check_report *r = expect_report(0, MMU_CHECK_BBM, d2);
    ck_assert_int_eq(r->level, 2);
    ck_assert_uint_eq(r->cached, old_table);
    ck_assert_ptr_nonnull(strstr(r->text, "table descriptor at PA"));
    /* Hit: the walk the entry came from is gone. */
    a_xl(VA1);
    ck_assert(hit);
    expect_count(2);
    expect_report(1, MMU_CHECK_STALE, d2);
}
END_TEST

START_TEST(a64_table_change_needs_a_tlbi_that_reaches_walk_caches)
{
    a_put(root0, VA1, 3, A_PAGE(0x7000ull) | A_NG);
    uint64_t v2 = 0x0000000000801000ull; /* another PMD entry */
    a_put(root0, v2, 3, A_PAGE(0x9000ull) | A_NG);
    uint64_t d2a = a_desc_pa(VA1, 2), d2b = a_desc_pa(v2, 2);
    a_xl(VA1);
    a_xl(v2);
    /* TLBI VALE1 (last level) drops the leaf but a walk cache may keep
     * the table descriptor. */
    wr(d2a, 0);
    tlbi(MMU_TLBI_VALE1, VA1, 1);
    wr(d2a, new_table() | 3);
    expect_count(1);
    expect_report(0, MMU_CHECK_BBM, d2a);
    /* TLBI VAE1 reaches it. */
    wr(d2b, 0);
    tlbi(MMU_TLBI_VAE1, v2, 1);
    wr(d2b, new_table() | 3);
    expect_count(1);
}
END_TEST

/* 16 level-3 descriptors for a 64 KiB range at va -> pa; dpa[] gets their PAs. */
static void a_cont_group(uint64_t va, uint64_t pa, uint64_t attrs, uint64_t *dpa)
{
    for (int i = 0; i < 16; i++)
        dpa[i] =
            a_put(root0, va + (uint64_t)i * 0x1000, 3, A_PAGE(pa + (uint64_t)i * 0x1000) | attrs);
}

START_TEST(a64_contpte_good_group_is_silent)
{
    uint64_t va = 0x0000000000730000ull, pa = 0x0000000045670000ull, dpa[16];
    a_cont_group(va, pa, A_CONT | A_NG, dpa);
    /* AF and dirty state may differ across the group (4.4, 8). */
    wr(dpa[4], rd(dpa[4]) & ~A_AF);
    ck_assert_uint_eq(a_xl(va + 0x3010), pa + 0x3010);
    for (int i = 0; i < 16; i++) {
        a_xl(va + (uint64_t)i * 0x1000);
        ck_assert(hit);
    }
    expect_count(0);
    ck_assert_uint_eq(mmu_tlb_count(tlb), 1);
}
END_TEST

/* One misprogramming per group; each gives exactly one CONTIG report. */
START_TEST(a64_contpte_misprogrammed_groups)
{
    uint64_t pa = 0x0000000045670000ull, dpa[16];
    struct {
        int slot;       /* the entry made to disagree, -1 = misaligned base */
        uint64_t value; /* its value (slot >= 0) */
        const char *why;
    } cases[] = {
        {5, A_PAGE(pa + 0x5000) | A_NG, "Contiguous bit"},
        {7, A_PAGE(pa + 0x9000) | A_NG | A_CONT, "output address"},
        {9, A_PAGE(pa + 0x9000) | A_NG | A_CONT | A_ATTR(2), "AttrIndx/SH"},
        {11, 0, "validity"},
        {-1, 0, "not aligned"},
    };
    for (unsigned c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        mmu_checker_clear(chk);
        uint64_t va = 0x0000000001000000ull + c * 0x10000ull;
        a_cont_group(va, cases[c].slot < 0 ? pa + 0x1000 : pa, A_CONT | A_NG, dpa);
        if (cases[c].slot >= 0)
            wr(dpa[cases[c].slot], cases[c].value);
        a_xl(va + 0x2000); /* the fill checks the group */
        expect_count(1);
        uint64_t at = cases[c].slot < 0 ? dpa[0] : dpa[cases[c].slot];
        const struct mmu_check_report *r = expect_report(0, MMU_CHECK_CONTIG, at);
        ck_assert_msg(strstr(r->text, cases[c].why), "case %u: %s", c, r->text);
        if (cases[c].slot >= 0) {
            ck_assert_uint_eq(r->current, cases[c].value);
            ck_assert_uint_eq(r->cached,
                              A_PAGE(pa + (uint64_t)cases[c].slot * 0x1000) | A_NG | A_CONT);
            ck_assert_uint_eq(r->va, va + (uint64_t)cases[c].slot * 0x1000);
        }
        /* Filling again from another VA of the group: not again. */
        tlbi(MMU_TLBI_VMALLE1, 0, 0);
        a_xl(va + 0xe000);
        expect_count(1);
    }
}
END_TEST

START_TEST(a64_contpte_fold_without_bbm_is_reported_per_pte)
{
    uint64_t va = 0x0000000000730000ull, pa = 0x0000000045670000ull, dpa[16];
    a_cont_group(va, pa, A_NG, dpa);
    for (int i = 0; i < 16; i++)
        a_xl(va + (uint64_t)i * 0x1000);
    ck_assert_uint_eq(mmu_tlb_count(tlb), 16);
    /* contpte_try_fold() without contpte_convert()'s BBM. */
    for (int i = 0; i < 16; i++)
        wr(dpa[i], rd(dpa[i]) | A_CONT);
    expect_count(16);
    for (int i = 0; i < 16; i++) {
        const struct mmu_check_report *r = expect_report((size_t)i, MMU_CHECK_BBM, dpa[i]);
        ck_assert_ptr_nonnull(strstr(r->text, "(Contiguous bit)"));
    }
}
END_TEST

START_TEST(a64_contpte_fold_with_bbm_is_silent)
{
    uint64_t pa = 0x0000000045670000ull, dpa[16];
    for (int by_asid = 0; by_asid < 2; by_asid++) {
        uint64_t va = 0x0000000000730000ull + (uint64_t)by_asid * 0x10000;
        a_cont_group(va, pa, A_NG, dpa);
        for (int i = 0; i < 16; i++)
            a_xl(va + (uint64_t)i * 0x1000);
        /* contpte_convert(): clear all 16, flush, write them with CONT. */
        for (int i = 0; i < 16; i++)
            wr(dpa[i], 0);
        if (by_asid)
            tlbi(MMU_TLBI_ASIDE1, 0, 1);
        else
            for (int i = 0; i < 16; i++)
                tlbi(MMU_TLBI_VALE1IS, va + (uint64_t)i * 0x1000, 1);
        for (int i = 0; i < 16; i++)
            wr(dpa[i], A_PAGE(pa + (uint64_t)i * 0x1000) | A_NG | A_CONT);
        ck_assert_uint_eq(a_xl(va + 0x5000), pa + 0x5000);
        ck_assert(!hit);
        ck_assert_uint_eq(a_xl(va + 0xf000), pa + 0xf000);
        ck_assert(hit);
    }
    expect_count(0);
}
END_TEST

START_TEST(a64_level2_contiguous_blocks)
{
    /* 16 x 2 MiB = a 32 MiB range at level 2 (4.2). */
    uint64_t va = 0x0000000042000000ull, pa = 0x0000000080000000ull, dpa[16];
    for (int i = 0; i < 16; i++)
        dpa[i] = a_put(root0, va + ((uint64_t)i << 21), 2,
                       A_BLOCK(pa + ((uint64_t)i << 21)) | A_NG | A_CONT);
    ck_assert_uint_eq(a_xl(va + 0x1234567), pa + 0x1234567);
    expect_count(0);
    /* Block 6 pointing one block too far. */
    uint64_t vb = 0x0000000044000000ull;
    for (int i = 0; i < 16; i++)
        dpa[i] = a_put(root0, vb + ((uint64_t)i << 21), 2,
                       A_BLOCK(pa + ((uint64_t)(i == 6 ? 7 : i) << 21)) | A_NG | A_CONT);
    a_xl(vb);
    expect_count(1);
    const struct mmu_check_report *r = expect_report(0, MMU_CHECK_CONTIG, dpa[6]);
    ck_assert_int_eq(r->level, 2);
    ck_assert_uint_eq(r->va, vb + (6ull << 21));
    ck_assert_ptr_nonnull(strstr(r->text, "output address"));
    /* A fold-like change of a block under its cached range entry. */
    wr(dpa[3], A_BLOCK(pa + (3ull << 21)) | A_NG);
    expect_count(2);
    expect_report(1, MMU_CHECK_BBM, dpa[3]);
}
END_TEST

/* ---- RV64 Sv39 ------------------------------------------------------------ */

static uint64_t r_xl(uint64_t va)
{
    struct mmu_rv64_ctx c = r_ctx(1);
    int rc = mmu_tlb_rv64_translate(tlb, pm, &c, va, MMU_ACC_READ, &res, &hit);
    ck_assert_msg(rc == 0, "va 0x%llx: %s (%s)", (unsigned long long)va, mmu_fault_name(res.fault),
                  mmu_reason_name(res.reason));
    return res.pa;
}

static void r_setup(void)
{
    phys_setup();
    tlb = mmu_tlb_new(0);
    chk = mmu_checker_new(pm, tlb, false);
    ck_assert_ptr_nonnull(chk);
    mmu_checker_set_pc(chk, fake_pc, NULL);
    rroot = new_table();
}

START_TEST(rv64_bbm_and_each_sfence_scope)
{
    struct {
        bool global, fence, has_va, has_asid;
        uint64_t va_delta; /* rs1 minus the PTE's VA */
        uint16_t asid;     /* rs2 */
        size_t reports;    /* BBM reports the rewrite gives */
    } cases[] = {
        {false, false, false, false, 0, 0, 1},    /* no SFENCE.VMA at all */
        {false, true, false, false, 0, 0, 0},     /* x0, x0 */
        {false, true, true, false, 0x10, 0, 0},   /* by VA */
        {false, true, true, true, 0, 1, 0},       /* by VA and ASID */
        {false, true, false, true, 0, 1, 0},      /* by ASID, non-global entry */
        {false, true, false, true, 0, 2, 1},      /* another ASID */
        {false, true, true, false, 0x1000, 0, 1}, /* another VA */
        {true, true, false, true, 0, 1, 1},       /* a global entry survives an ASID fence */
        {true, true, true, true, 0, 1, 1},        /* ... and a VA + ASID one */
        {true, true, true, false, 0, 0, 0},       /* by VA alone reaches it */
    };
    for (unsigned c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        mmu_checker_clear(chk);
        uint64_t va = 0x10000 + c * 0x2000;
        uint64_t g = cases[c].global ? R_G : 0;
        uint64_t pte = r_put(rroot, va, 0, R_PPN(0x7000ull) | R_LEAF | g);
        r_xl(va);
        wr(pte, 0);
        if (cases[c].fence)
            mmu_tlb_rv64_sfence_vma(tlb, cases[c].has_va, va + cases[c].va_delta, cases[c].has_asid,
                                    cases[c].asid);
        wr(pte, R_PPN(0x8000ull) | R_LEAF | g);
        ck_assert_msg(mmu_checker_count(chk) == cases[c].reports, "case %u: %zu reports", c,
                      mmu_checker_count(chk));
        if (cases[c].reports) {
            const struct mmu_check_report *r = expect_report(0, MMU_CHECK_BBM, pte);
            ck_assert_uint_eq(r->cached, R_PPN(0x7000ull) | R_LEAF | g);
            ck_assert_uint_eq(r->current, R_PPN(0x8000ull) | R_LEAF | g);
            ck_assert_uint_eq(r->global, cases[c].global);
        }
        mmu_tlb_rv64_sfence_vma(tlb, false, 0, false, 0);
    }
}
END_TEST

START_TEST(rv64_pbmt_n_and_superpage_changes_need_bbm)
{
    uint64_t va = 0x20000, leaf = R_PPN(0x7000ull) | R_LEAF;
    uint64_t pte = r_put(rroot, va, 0, leaf);
    r_xl(va);
    wr(pte, leaf | R_PBMT_IO);
    expect_count(1);
    expect_report(0, MMU_CHECK_BBM, pte);
    ck_assert_ptr_nonnull(strstr(mmu_checker_get(chk, 0)->text, "(PBMT)"));
    /* A 2 MiB superpage split into a table without SFENCE.VMA. */
    uint64_t sva = 0x400000;
    uint64_t pmd = r_put(rroot, sva, 1, R_PPN(0x40800000ull) | R_LEAF);
    r_xl(sva);
    wr(pmd, R_PPN(new_table()) | 1);
    expect_count(2);
    expect_report(1, MMU_CHECK_BBM, pmd);
    ck_assert_int_eq(mmu_checker_get(chk, 1)->level, 1);
}
END_TEST

START_TEST(rv64_napot_group_that_disagrees)
{
    uint64_t pa = 0x41230000, napot = R_PPN(pa) | (8ull << 10) | R_LEAF | R_N, pte[16];
    uint64_t va = 0x350000;
    for (int i = 0; i < 16; i++)
        pte[i] = r_put(rroot, va + (uint64_t)i * 0x1000, 0, napot);
    /* A/D may differ between the aliases (5.3). */
    wr(pte[2], napot & ~(R_A | R_D));
    r_xl(va + 0x1000);
    expect_count(0);
    mmu_tlb_rv64_sfence_vma(tlb, false, 0, false, 0);
    /* One PTE without N (a 4 KiB mapping of the same page)... */
    wr(pte[3], R_PPN(pa + 0x3000) | R_LEAF);
    r_xl(va + 0x1000);
    expect_count(1);
    const struct mmu_check_report *r = expect_report(0, MMU_CHECK_CONTIG, pte[3]);
    ck_assert_ptr_nonnull(strstr(r->text, "NAPOT range"));
    ck_assert_uint_eq(r->cached, napot);
    ck_assert_uint_eq(r->current, R_PPN(pa + 0x3000) | R_LEAF);
    /* ... and another one read-only. */
    mmu_tlb_rv64_sfence_vma(tlb, false, 0, false, 0);
    wr(pte[3], napot);
    wr(pte[12], napot & ~R_W);
    r_xl(va);
    expect_count(2);
    expect_report(1, MMU_CHECK_CONTIG, pte[12]);
    ck_assert_ptr_nonnull(strstr(mmu_checker_get(chk, 1)->text, "(permissions)"));
}
END_TEST

START_TEST(rv64_stale_use_after_change_without_sfence)
{
    uint64_t va = 0x30000, leaf = R_PPN(0x7000ull) | R_LEAF;
    uint64_t pte = r_put(rroot, va, 0, leaf),
             pte2 = r_put(rroot, va + 0x1000, 0, leaf + R_PPN(0x1000));
    r_xl(va);
    r_xl(va + 0x1000);
    wr(pte, leaf & ~R_W);                    /* write permission removed */
    wr(pte2, (leaf + R_PPN(0x1000)) & ~R_D); /* dirty cleared */
    expect_count(0);
    r_xl(va + 0x10);
    ck_assert(hit);
    r_xl(va + 0x1010);
    ck_assert(hit);
    expect_count(1);
    const struct mmu_check_report *r = expect_report(0, MMU_CHECK_STALE, pte);
    ck_assert_uint_eq(r->va, va + 0x10);
    ck_assert_uint_eq(r->current, leaf & ~R_W);
    /* Fenced: a fresh walk, nothing stale. */
    mmu_tlb_rv64_sfence_vma(tlb, true, va, false, 0);
    r_xl(va);
    ck_assert(!hit);
    r_xl(va);
    ck_assert(hit);
    expect_count(1);
}
END_TEST

START_TEST(rv64_non_leaf_change_needs_sfence_without_rs1)
{
    uint64_t va = 0x40000000; /* VPN[2] = 1 */
    r_put(rroot, va, 0, R_PPN(0x7000ull) | R_LEAF);
    uint64_t root_pte = rroot + 8;
    r_xl(va);
    /* SFENCE.VMA with rs1 orders only leaf PTEs (6). */
    wr(root_pte, 0);
    mmu_tlb_rv64_sfence_vma(tlb, true, va, false, 0);
    wr(root_pte, R_PPN(new_table()) | 1);
    expect_count(1);
    expect_report(0, MMU_CHECK_BBM, root_pte);
    ck_assert_ptr_nonnull(strstr(mmu_checker_get(chk, 0)->text, "non-leaf PTE"));
    /* x0, x0 does. */
    wr(root_pte, 0);
    mmu_tlb_rv64_sfence_vma(tlb, false, 0, false, 0);
    wr(root_pte, R_PPN(new_table()) | 1);
    expect_count(1);
}
END_TEST

/* ---- life, costs, RAS, limits ------------------------------------------- */

START_TEST(no_checker_no_reports_and_attaching_later_adopts_entries)
{
    mmu_checker_free(chk);
    chk = NULL;
    uint64_t d1 = a_put(root0, VA1, 3, A_PAGE(0x7000ull) | A_NG);
    a_xl(VA1);
    /* Nothing watched: the fast path keeps its host pointer. */
    ck_assert_ptr_nonnull(phys_page_host(pm, d1, true));
    wr(d1, A_PAGE(0x8000ull) | A_NG); /* a violation nobody checks */
    ck_assert_uint_eq(a_xl(VA1), 0x7000);
    ck_assert(hit);
    /* Attach: the cached entry is adopted and its tables watched. */
    chk = mmu_checker_new(pm, tlb, true);
    mmu_checker_set_pc(chk, fake_pc, NULL);
    expect_count(0);
    ck_assert_uint_ne(phys_page_flags(pm, d1) & PHYS_PAGE_WATCH, 0);
    ck_assert_ptr_null(phys_page_host(pm, d1, true));
    wr(d1, A_PAGE(0x9000ull) | A_NG);
    expect_count(1);
    expect_report(0, MMU_CHECK_BBM, d1);
    /* Freeing unwatches what it watched. */
    mmu_checker_free(chk);
    chk = NULL;
    ck_assert_uint_eq(phys_page_flags(pm, d1) & PHYS_PAGE_WATCH, 0);
    ck_assert_ptr_nonnull(phys_page_host(pm, d1, true));
    wr(d1, A_PAGE(0xa000ull) | A_NG);
    a_xl(VA1);
}
END_TEST

START_TEST(watched_table_page_still_goes_through_the_ras_hook)
{
    uint64_t d1 = a_put(root0, VA1, 3, A_PAGE(0x7000ull) | A_NG);
    uint64_t d2 = a_put(root0, VA2, 3, A_PAGE(0x9000ull) | A_NG);
    a_xl(VA1);
    phys_set_access_hook(pm, tiny_ras, NULL);
    hook_reads = hook_writes = 0;
    poisoned_pa = d2; /* poison in the same PTE page */
    phys_page_set_flags(pm, d1, PHYS_PAGE_HOOK);
    ck_assert_uint_eq(phys_page_flags(pm, d1), PHYS_PAGE_HOOK | PHYS_PAGE_WATCH);
    /* The store reaches the hook and the checker. */
    wr(d1, A_PAGE(0x8000ull) | A_NG | A_RO);
    ck_assert_int_eq(hook_writes, 1);
    expect_count(1);
    expect_report(0, MMU_CHECK_BBM, d1);
    /* The hit's check peeks without reading through the hook. */
    a_xl(VA1);
    ck_assert(hit);
    ck_assert_int_eq(hook_reads, 0);
    expect_count(2);
    expect_report(1, MMU_CHECK_STALE, d1);
    /* The poison is still consumed by a walk of that page. */
    struct mmu_a64_ctx c = a_ctx(1);
    ck_assert_int_eq(mmu_tlb_a64_translate(tlb, pm, &c, VA2, MMU_ACC_READ, &res, &hit), -1);
    ck_assert_int_eq(res.fault, MMU_FAULT_WALK_ABORT);
    ck_assert_int_eq(hook_reads, 1);
    phys_set_access_hook(pm, NULL, NULL);
}
END_TEST

START_TEST(partial_and_wide_stores_are_judged_per_descriptor)
{
    uint64_t d1 = a_put(root0, VA1, 3, A_PAGE(0x7000ull) | A_NG);
    uint64_t d2 = a_put(root0, VA2, 3, A_PAGE(0x9000ull) | A_NG);
    a_xl(VA1);
    a_xl(VA2);
    /* A 4-byte store of the low half moves the output address. */
    ck_assert_int_eq(phys_store(pm, d1, 4, (uint32_t)(A_PAGE(0x8000ull) | A_NG), 0, NULL), PHYS_OK);
    expect_count(1);
    ck_assert_uint_eq(expect_report(0, MMU_CHECK_BBM, d1)->current, A_PAGE(0x8000ull) | A_NG);
    /* One 16-byte write over both (as STP would): each descriptor judged. */
    uint64_t two[2] = {A_PAGE(0x7000ull) | A_NG | A_ATTR(1), A_PAGE(0xa000ull) | A_NG};
    ck_assert_uint_eq(d2, d1 + 8);
    ck_assert_int_eq(phys_write(pm, d1, two, sizeof(two), 0, NULL), PHYS_OK);
    expect_count(3);
    expect_report(1, MMU_CHECK_BBM, d1);
    expect_report(2, MMU_CHECK_BBM, d2);
}
END_TEST

START_TEST(reports_are_capped_and_counted)
{
    uint64_t d1 = a_put(root0, VA1, 3, A_PAGE(0x7000ull) | A_NG);
    a_xl(VA1);
    for (uint64_t i = 0; i < MMU_CHECK_MAX_REPORTS + 10; i++)
        wr(d1, A_PAGE(0x100000ull + i * 0x1000) | A_NG);
    expect_count(MMU_CHECK_MAX_REPORTS);
    ck_assert_uint_eq(mmu_checker_dropped(chk), 10);
    ck_assert_ptr_null(mmu_checker_get(chk, MMU_CHECK_MAX_REPORTS));
    mmu_checker_clear(chk);
    ck_assert_uint_eq(mmu_checker_dropped(chk), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("checker");
    TCase *tp = tcase_create("phys");
    tcase_add_checked_fixture(tp, phys_setup, tables_teardown);
    tcase_add_test(tp, observer_sees_guest_writes_to_watched_pages_only);
    tcase_add_test(tp, watch_and_hook_on_one_page_both_work);
    tcase_add_test(tp, peek_has_no_side_effects);
    suite_add_tcase(s, tp);
    TCase *ta = tcase_create("a64");
    tcase_add_checked_fixture(ta, a_setup, chk_teardown);
    tcase_add_test(ta, a64_oa_change_under_a_cached_entry_is_bbm_then_stale);
    tcase_add_test(ta, a64_break_before_make_done_right_is_silent);
    tcase_add_test(ta, a64_break_without_tlbi_or_with_the_wrong_tlbi_is_reported);
    tcase_add_test(ta, a64_attribute_size_and_ng_changes_need_bbm);
    tcase_add_test(ta, a64_permission_and_af_changes_need_no_bbm);
    tcase_add_test(ta, a64_table_descriptor_change_under_a_cached_walk);
    tcase_add_test(ta, a64_table_change_needs_a_tlbi_that_reaches_walk_caches);
    tcase_add_test(ta, a64_contpte_good_group_is_silent);
    tcase_add_test(ta, a64_contpte_misprogrammed_groups);
    tcase_add_test(ta, a64_contpte_fold_without_bbm_is_reported_per_pte);
    tcase_add_test(ta, a64_contpte_fold_with_bbm_is_silent);
    tcase_add_test(ta, a64_level2_contiguous_blocks);
    tcase_add_test(ta, no_checker_no_reports_and_attaching_later_adopts_entries);
    tcase_add_test(ta, watched_table_page_still_goes_through_the_ras_hook);
    tcase_add_test(ta, partial_and_wide_stores_are_judged_per_descriptor);
    tcase_add_test(ta, reports_are_capped_and_counted);
    suite_add_tcase(s, ta);
    TCase *tr = tcase_create("rv64");
    tcase_add_checked_fixture(tr, r_setup, chk_teardown);
    tcase_add_test(tr, rv64_bbm_and_each_sfence_scope);
    tcase_add_test(tr, rv64_pbmt_n_and_superpage_changes_need_bbm);
    tcase_add_test(tr, rv64_napot_group_that_disagrees);
    tcase_add_test(tr, rv64_stale_use_after_change_without_sfence);
    tcase_add_test(tr, rv64_non_leaf_change_needs_sfence_without_rs1);
    suite_add_tcase(s, tr);
    return tu_main(s);
}
