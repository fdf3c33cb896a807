/*
 * test_checker.c - the MMU checker (mmu/checker.c) and the physical-memory
 * paths it stands on: the write observer on PHYS_PAGE_WATCH pages and the
 * side-effect-free phys_peek().
 */
#include "mmu/mmu.h"

#include "test_util.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define RAM_BASE 0x40000000ull
#define RAM_SIZE 0x04000000ull

static struct phys_mem *pm;
static uint64_t next_page;

static void wr(uint64_t pa, uint64_t v)
{
    ck_assert_int_eq(phys_store(pm, pa, 8, v, 0, NULL), PHYS_OK);
}

static void phys_setup(void)
{
    char err[128];
    pm = phys_new();
    struct phys_region r = {.base = RAM_BASE, .size = RAM_SIZE, .kind = PHYS_RAM};
    strcpy(r.name, "ram");
    ck_assert_int_eq(phys_add_region(pm, &r, err, sizeof(err)), 0);
    next_page = RAM_BASE;
}

static void phys_teardown(void)
{
    phys_free(pm);
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

int main(void)
{
    Suite *s = suite_create("checker");
    TCase *tp = tcase_create("phys");
    tcase_add_checked_fixture(tp, phys_setup, phys_teardown);
    tcase_add_test(tp, observer_sees_guest_writes_to_watched_pages_only);
    tcase_add_test(tp, watch_and_hook_on_one_page_both_work);
    tcase_add_test(tp, peek_has_no_side_effects);
    suite_add_tcase(s, tp);
    return tu_main(s);
}
