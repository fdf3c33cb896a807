/*
 * test_ras.c - the poison map: granules, kinds, store policies, tag
 * storage, and the consumption log, seen through physical memory accesses
 * exactly as the interpreters will make them.
 */
#include "ras/ras.h"
#include "test_util.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define RAM 0x80000000ull

static struct phys_mem *pm;
static struct ras *ras;
static char err[256];

static void setup(void)
{
    pm = phys_new();
    struct phys_region r = {.base = RAM, .size = 1ull << 32, .kind = PHYS_RAM};
    strcpy(r.name, "ram");
    ck_assert_int_eq(phys_add_region(pm, &r, err, sizeof(err)), 0);
    struct phys_region rom = {.base = 0x1000, .size = 0x1000, .kind = PHYS_ROM};
    strcpy(rom.name, "rom");
    ck_assert_int_eq(phys_add_region(pm, &rom, err, sizeof(err)), 0);
    ras = ras_new(pm);
}

static void teardown(void)
{
    ras_free(ras);
    phys_free(pm);
}

static void inject(uint64_t pa, uint64_t len, enum ras_granule g, enum ras_kind kind,
                   uint64_t count, enum ras_storage storage)
{
    struct ras_injection inj = {
        .pa = pa, .len = len, .granule = g, .storage = storage, .kind = kind, .count = count};
    ck_assert_msg(ras_inject(ras, &inj, err, sizeof(err)) == 0, "%s", err);
}

/* A load's status, and the faulting PA when it fails. */
static enum phys_status load(uint64_t pa, unsigned size, uint64_t *fault_pa)
{
    uint64_t v;
    struct phys_fault f = {0};
    enum phys_status st = phys_load(pm, pa, size, &v, 0, &f);
    if (fault_pa)
        *fault_pa = f.pa;
    return st;
}

START_TEST(line_poison_is_consumed_by_reads_of_that_line_only)
{
    uint64_t at;
    inject(RAM + 0x1010, 1, RAS_GRANULE_LINE, RAS_PERSISTENT, 0, RAS_DATA);
    ck_assert(ras_poisoned(ras, RAS_DATA, RAM + 0x1000, 64, &at));
    ck_assert_uint_eq(at, RAM + 0x1000);                    /* widened to the whole line */
    ck_assert_int_eq(load(RAM + 0x0ff8, 8, NULL), PHYS_OK); /* previous line */
    ck_assert_int_eq(load(RAM + 0x1040, 8, NULL), PHYS_OK); /* next line */
    ck_assert_int_eq(load(RAM + 0x1038, 8, &at), PHYS_CHECK_FAILED);
    ck_assert_uint_eq(at, RAM + 0x1038);
    /* An access straddling into the line faults on the line's first byte. */
    ck_assert_int_eq(load(RAM + 0x0ffc, 8, &at), PHYS_CHECK_FAILED);
    ck_assert_uint_eq(at, RAM + 0x1000);
    ck_assert_uint_eq(ras_log_count(ras), 2);
    const struct ras_record *r = ras_log_get(ras, 1);
    ck_assert_uint_eq(r->seq, 1);
    ck_assert_uint_eq(r->pa, RAM + 0x1000);
    ck_assert_uint_eq(r->access_pa, RAM + 0x0ffc + 4); /* the hook sees the part in this page */
    ck_assert_int_eq(r->access, PHYS_ACC_READ);
    ck_assert_int_eq(r->storage, RAS_DATA);
    ck_assert(!r->async);
    /* Persistent: still there. Host-side reads (placement, inspection) never consume. */
    ck_assert_int_eq(load(RAM + 0x1000, 1, NULL), PHYS_CHECK_FAILED);
    uint64_t v;
    ck_assert_int_eq(phys_load(pm, RAM + 0x1000, 8, &v, PHYS_INIT, NULL), PHYS_OK);
}
END_TEST

START_TEST(fetches_and_walk_reads_consume_too)
{
    uint8_t b[4];
    struct phys_fault f;
    inject(RAM + 0x2000, 64, RAS_GRANULE_LINE, RAS_PERSISTENT, 0, RAS_DATA);
    /* The caller says what a read is for; the log keeps it. */
    ck_assert_int_eq(phys_read(pm, RAM + 0x2004, b, 4, PHYS_FETCH, &f), PHYS_CHECK_FAILED);
    ck_assert_uint_eq(f.pa, RAM + 0x2004);
    uint64_t v;
    ck_assert_int_eq(phys_load(pm, RAM + 0x2008, 8, &v, PHYS_WALK, &f), PHYS_CHECK_FAILED);
    ck_assert_int_eq(phys_read(pm, RAM + 0x2010, b, 4, 0, &f), PHYS_CHECK_FAILED);
    ck_assert_uint_eq(ras_log_count(ras), 3);
    ck_assert_int_eq(ras_log_get(ras, 0)->access, PHYS_ACC_FETCH);
    ck_assert_int_eq(ras_log_get(ras, 1)->access, PHYS_ACC_WALK);
    ck_assert_int_eq(ras_log_get(ras, 2)->access, PHYS_ACC_READ);
}
END_TEST

START_TEST(byte_and_page_granules)
{
    uint64_t at;
    inject(RAM + 0x3005, 1, RAS_GRANULE_BYTE, RAS_PERSISTENT, 0, RAS_DATA);
    ck_assert_int_eq(load(RAM + 0x3000, 4, NULL), PHYS_OK);
    ck_assert_int_eq(load(RAM + 0x3006, 2, NULL), PHYS_OK);
    ck_assert_int_eq(load(RAM + 0x3000, 8, &at), PHYS_CHECK_FAILED);
    ck_assert_uint_eq(at, RAM + 0x3005);

    inject(RAM + 0x5123, 1, RAS_GRANULE_PAGE, RAS_PERSISTENT, 0, RAS_DATA);
    ck_assert_uint_eq(ras_poisoned_lines(ras), 1 + 64);
    ck_assert_int_eq(load(RAM + 0x5000, 1, NULL), PHYS_CHECK_FAILED);
    ck_assert_int_eq(load(RAM + 0x5ff8, 8, NULL), PHYS_CHECK_FAILED);
    ck_assert_int_eq(load(RAM + 0x6000, 8, NULL), PHYS_OK);
}
END_TEST

START_TEST(transient_poison_goes_after_n_consumptions)
{
    inject(RAM + 0x4000, 8, RAS_GRANULE_LINE, RAS_TRANSIENT, 2, RAS_DATA);
    ck_assert_int_eq(load(RAM + 0x4000, 8, NULL), PHYS_CHECK_FAILED);
    ck_assert_int_eq(load(RAM + 0x4008, 8, NULL), PHYS_CHECK_FAILED);
    ck_assert_int_eq(load(RAM + 0x4000, 8, NULL), PHYS_OK);
    ck_assert_uint_eq(ras_poisoned_lines(ras), 0);
    ck_assert_uint_eq(phys_page_flags(pm, RAM + 0x4000) & PHYS_PAGE_HOOK, 0);
    ck_assert_uint_eq(ras_log_count(ras), 2);
    ck_assert_int_eq(ras_log_get(ras, 0)->kind, RAS_TRANSIENT);
}
END_TEST

START_TEST(poison_armed_after_n_accesses)
{
    inject(RAM + 0x7000, 64, RAS_GRANULE_LINE, RAS_AFTER, 3, RAS_DATA);
    ck_assert_int_eq(load(RAM + 0x7000, 8, NULL), PHYS_OK);
    ck_assert_int_eq(phys_store(pm, RAM + 0x7008, 8, 1, 0, NULL), PHYS_OK); /* counts too */
    ck_assert_int_eq(load(RAM + 0x7000, 8, NULL), PHYS_OK);
    ck_assert_int_eq(load(RAM + 0x7000, 8, NULL), PHYS_CHECK_FAILED); /* the 4th access */
    ck_assert_int_eq(load(RAM + 0x7000, 8, NULL), PHYS_CHECK_FAILED); /* then persistent */
}
END_TEST

static uint64_t fake_clock;
static uint64_t read_clock(void *ctx)
{
    return *(uint64_t *)ctx;
}

START_TEST(poison_arriving_at_an_instruction_count)
{
    ras_set_clock(ras, read_clock, &fake_clock);
    fake_clock = 10;
    inject(RAM + 0x8000, 64, RAS_GRANULE_LINE, RAS_AT_INSN, 100, RAS_DATA);
    ck_assert_int_eq(load(RAM + 0x8000, 8, NULL), PHYS_OK);
    fake_clock = 99;
    ck_assert_int_eq(load(RAM + 0x8000, 8, NULL), PHYS_OK);
    fake_clock = 100;
    ck_assert_int_eq(load(RAM + 0x8000, 8, NULL), PHYS_CHECK_FAILED);
    ck_assert_uint_eq(ras_log_get(ras, 0)->clock, 100);
}
END_TEST

START_TEST(full_line_write_clears_partial_write_does_not)
{
    uint8_t buf[64] = {0};
    inject(RAM + 0x9000, 64, RAS_GRANULE_LINE, RAS_PERSISTENT, 0, RAS_DATA);
    ck_assert_int_eq(phys_write(pm, RAM + 0x9000, buf, 32, 0, NULL), PHYS_OK);
    ck_assert_int_eq(load(RAM + 0x9000, 8, NULL), PHYS_CHECK_FAILED); /* still poisoned */
    ck_assert_int_eq(phys_write(pm, RAM + 0x9020, buf, 16, 0, NULL), PHYS_OK);
    ck_assert_int_eq(phys_write(pm, RAM + 0x9030, buf, 16, 0, NULL), PHYS_OK);
    ck_assert_int_eq(load(RAM + 0x9000, 8, NULL), PHYS_OK); /* every byte rewritten */
    ck_assert_uint_eq(ras_poisoned_lines(ras), 0);
    /* One 64-byte write (DC ZVA, a cache-line copy) clears it at once. */
    inject(RAM + 0x9040, 64, RAS_GRANULE_LINE, RAS_PERSISTENT, 0, RAS_DATA);
    ck_assert_int_eq(phys_write(pm, RAM + 0x9040, buf, 64, 0, NULL), PHYS_OK);
    ck_assert_int_eq(load(RAM + 0x9040, 8, NULL), PHYS_OK);
}
END_TEST

START_TEST(keep_policy_never_clears)
{
    uint8_t buf[64] = {0};
    ras_set_store_policy(ras, RAS_STORE_KEEP);
    inject(RAM + 0xa000, 64, RAS_GRANULE_LINE, RAS_PERSISTENT, 0, RAS_DATA);
    ck_assert_int_eq(phys_write(pm, RAM + 0xa000, buf, 64, 0, NULL), PHYS_OK);
    ck_assert_int_eq(load(RAM + 0xa000, 8, NULL), PHYS_CHECK_FAILED);
}
END_TEST

START_TEST(async_policy_lets_the_store_through_and_raises_later)
{
    struct ras_record r;
    ras_set_store_policy(ras, RAS_STORE_ASYNC);
    inject(RAM + 0xb000, 64, RAS_GRANULE_LINE, RAS_PERSISTENT, 0, RAS_DATA);
    ck_assert(!ras_async_take(ras, &r));
    ck_assert_int_eq(phys_store(pm, RAM + 0xb010, 4, 0x1234, 0, NULL), PHYS_OK);
    ck_assert(ras_async_take(ras, &r));
    ck_assert(r.async);
    ck_assert_uint_eq(r.pa, RAM + 0xb010);
    ck_assert_int_eq(r.access, PHYS_ACC_WRITE);
    ck_assert(!ras_async_take(ras, &r)); /* taken once */
    uint64_t v;
    phys_load(pm, RAM + 0xb010, 4, &v, PHYS_INIT, NULL);
    ck_assert_uint_eq(v, 0x1234); /* the store happened */
}
END_TEST

START_TEST(tag_storage_poison_is_separate_from_data)
{
    uint8_t tag;
    inject(RAM + 0xc020, 16, RAS_GRANULE_BYTE, RAS_PERSISTENT, 0, RAS_TAG);
    ck_assert_int_eq(load(RAM + 0xc020, 8, NULL), PHYS_OK); /* data is fine */
    ck_assert_int_eq(phys_tag_read(pm, RAM + 0xc000, &tag), PHYS_OK);
    ck_assert_int_eq(phys_tag_read(pm, RAM + 0xc02f, &tag), PHYS_CHECK_FAILED);
    ck_assert_uint_eq(ras_log_count(ras), 1);
    ck_assert_int_eq(ras_log_get(ras, 0)->storage, RAS_TAG);
    ck_assert_int_eq(ras_log_get(ras, 0)->access, PHYS_ACC_TAG_READ);
    ck_assert(!ras_poisoned(ras, RAS_DATA, RAM + 0xc000, 64, NULL));
}
END_TEST

/* A tag store is a read-modify-write of packed tag storage: it consumes
 * poison under every store policy; the host's peek and poke do not. */
START_TEST(tag_stores_consume_tag_poison_host_access_does_not)
{
    inject(RAM + 0xc040, 16, RAS_GRANULE_BYTE, RAS_PERSISTENT, 0, RAS_TAG);
    uint8_t tag;
    ck_assert_int_eq(phys_tag_peek(pm, RAM + 0xc040, &tag), PHYS_OK);
    ck_assert_int_eq(phys_tag_poke(pm, RAM + 0xc040, 3), PHYS_OK);
    ck_assert_uint_eq(ras_log_count(ras), 0);
    ck_assert_int_eq(phys_tag_write(pm, RAM + 0xc030, 1), PHYS_OK); /* the granule before */
    ck_assert_int_eq(phys_tag_write(pm, RAM + 0xc040, 1), PHYS_CHECK_FAILED);
    ck_assert_uint_eq(ras_log_count(ras), 1);
    ck_assert_int_eq(ras_log_get(ras, 0)->access, PHYS_ACC_TAG_WRITE);
    ck_assert_int_eq(ras_log_get(ras, 0)->storage, RAS_TAG);
    ck_assert_int_eq(phys_tag_peek(pm, RAM + 0xc040, &tag), PHYS_OK);
    ck_assert_uint_eq(tag, 3); /* the failed store changed nothing */
}
END_TEST

START_TEST(clear_and_reset_unmark_pages)
{
    inject(RAM + 0xd000, 64, RAS_GRANULE_LINE, RAS_PERSISTENT, 0, RAS_DATA);
    inject(RAM + 0xd800, 64, RAS_GRANULE_LINE, RAS_PERSISTENT, 0, RAS_DATA);
    ras_clear(ras, RAS_DATA, RAM + 0xd000, 64);
    ck_assert_uint_ne(phys_page_flags(pm, RAM + 0xd000) & PHYS_PAGE_HOOK, 0); /* one left */
    ck_assert_int_eq(load(RAM + 0xd000, 8, NULL), PHYS_OK);
    ras_clear(ras, RAS_DATA, RAM + 0xd800, 8); /* part of a line: the rest stays */
    ck_assert_int_eq(load(RAM + 0xd808, 8, NULL), PHYS_CHECK_FAILED);
    ras_clear(ras, RAS_DATA, RAM + 0xd800, 64);
    ck_assert_uint_eq(phys_page_flags(pm, RAM + 0xd000) & PHYS_PAGE_HOOK, 0);
    ck_assert_ptr_nonnull(phys_page_host(pm, RAM + 0xd000, false)); /* fast path again */

    inject(RAM + 0xe000, 64, RAS_GRANULE_LINE, RAS_PERSISTENT, 0, RAS_DATA);
    load(RAM + 0xe000, 8, NULL);
    ras_reset(ras);
    ck_assert_uint_eq(ras_poisoned_lines(ras), 0);
    ck_assert_uint_eq(ras_log_count(ras), 0);
    ck_assert_int_eq(load(RAM + 0xe000, 8, NULL), PHYS_OK);
    ck_assert_uint_eq(phys_page_flags(pm, RAM + 0xe000) & PHYS_PAGE_HOOK, 0);
}
END_TEST

START_TEST(bad_injections_are_refused)
{
    struct ras_injection inj = {.pa = 0x70000000, .len = 8, .granule = RAS_GRANULE_LINE};
    ck_assert_int_eq(ras_inject(ras, &inj, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "no RAM"));
    inj.pa = 0x1000; /* ROM */
    ck_assert_int_eq(ras_inject(ras, &inj, err, sizeof(err)), -1);
    inj.pa = RAM;
    inj.len = 0;
    ck_assert_int_eq(ras_inject(ras, &inj, err, sizeof(err)), -1);
    inj.pa = UINT64_MAX - 4;
    inj.len = 16;
    ck_assert_int_eq(ras_inject(ras, &inj, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "wraps"));
    inj.pa = RAM;
    inj.len = 8;
    inj.granule = 32;
    ck_assert_int_eq(ras_inject(ras, &inj, err, sizeof(err)), -1);
}
END_TEST

START_TEST(a_million_poisoned_lines_elsewhere)
{
    /* The map must stay correct (and cheap for untouched pages) at scale. */
    for (uint64_t i = 0; i < 1000000; i++) {
        struct ras_injection inj = {
            .pa = RAM + 0x10000000 + i * 128, .len = 1, .granule = RAS_GRANULE_LINE};
        ck_assert_int_eq(ras_inject(ras, &inj, err, sizeof(err)), 0);
    }
    ck_assert_uint_eq(ras_poisoned_lines(ras), 1000000);
    ck_assert_int_eq(load(RAM + 0x10000000 + 999999 * 128, 8, NULL), PHYS_CHECK_FAILED);
    ck_assert_int_eq(load(RAM + 0x10000000 + 999999 * 128 + 64, 8, NULL), PHYS_OK);
    ck_assert_int_eq(load(RAM, 8, NULL), PHYS_OK);
    ck_assert_ptr_nonnull(phys_page_host(pm, RAM, false)); /* unpoisoned page: fast path */
    ras_clear(ras, RAS_DATA, RAM + 0x10000000, 1000000 * 128);
    ck_assert_uint_eq(ras_poisoned_lines(ras), 0);
}
END_TEST

struct runs {
    struct ras_injection run[8];
    int n;
};

static void note_run(void *ctx, const struct ras_injection *run)
{
    struct runs *r = ctx;
    if (r->n < 8)
        r->run[r->n] = *run;
    r->n++;
}

START_TEST(list_gives_runs_in_address_order)
{
    /* Injected out of order: a tag line, a transient byte, two persistent
     * lines that join into one run, a persistent byte after a gap. */
    inject(RAM + 0x3000, 1, RAS_GRANULE_LINE, RAS_PERSISTENT, 0, RAS_TAG);
    inject(RAM + 0x2005, 1, RAS_GRANULE_BYTE, RAS_TRANSIENT, 2, RAS_DATA);
    inject(RAM + 0x1040, 1, RAS_GRANULE_LINE, RAS_PERSISTENT, 0, RAS_DATA);
    inject(RAM + 0x1000, 1, RAS_GRANULE_LINE, RAS_PERSISTENT, 0, RAS_DATA);
    inject(RAM + 0x10a0, 1, RAS_GRANULE_BYTE, RAS_PERSISTENT, 0, RAS_DATA);
    struct runs r = {0};
    ck_assert_int_eq(ras_list(ras, note_run, &r), 0);
    ck_assert_int_eq(r.n, 4);
    ck_assert_uint_eq(r.run[0].pa, RAM + 0x1000);
    ck_assert_uint_eq(r.run[0].len, 128);
    ck_assert_int_eq(r.run[0].storage, RAS_DATA);
    ck_assert_uint_eq(r.run[1].pa, RAM + 0x10a0);
    ck_assert_uint_eq(r.run[1].len, 1);
    ck_assert_uint_eq(r.run[2].pa, RAM + 0x2005);
    ck_assert_int_eq(r.run[2].kind, RAS_TRANSIENT);
    ck_assert_uint_eq(r.run[2].count, 2);
    ck_assert_uint_eq(r.run[3].pa, RAM + 0x3000);
    ck_assert_uint_eq(r.run[3].len, 64);
    ck_assert_int_eq(r.run[3].storage, RAS_TAG);
    /* Cleared bytes split a run; nothing left lists nothing. */
    ras_clear(ras, RAS_DATA, RAM + 0x1010, 0x10);
    r.n = 0;
    ras_list(ras, note_run, &r);
    ck_assert_int_eq(r.n, 5);
    ck_assert_uint_eq(r.run[0].len, 0x10);
    ck_assert_uint_eq(r.run[1].pa, RAM + 0x1020);
    ras_reset(ras);
    r.n = 0;
    ck_assert_int_eq(ras_list(ras, note_run, &r), 0);
    ck_assert_int_eq(r.n, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ras");
    TCase *tc = tcase_create("ras");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, line_poison_is_consumed_by_reads_of_that_line_only);
    tcase_add_test(tc, fetches_and_walk_reads_consume_too);
    tcase_add_test(tc, byte_and_page_granules);
    tcase_add_test(tc, transient_poison_goes_after_n_consumptions);
    tcase_add_test(tc, poison_armed_after_n_accesses);
    tcase_add_test(tc, poison_arriving_at_an_instruction_count);
    tcase_add_test(tc, full_line_write_clears_partial_write_does_not);
    tcase_add_test(tc, keep_policy_never_clears);
    tcase_add_test(tc, async_policy_lets_the_store_through_and_raises_later);
    tcase_add_test(tc, tag_storage_poison_is_separate_from_data);
    tcase_add_test(tc, tag_stores_consume_tag_poison_host_access_does_not);
    tcase_add_test(tc, clear_and_reset_unmark_pages);
    tcase_add_test(tc, bad_injections_are_refused);
    tcase_add_test(tc, a_million_poisoned_lines_elsewhere);
    tcase_add_test(tc, list_gives_runs_in_address_order);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
