/* test_phys.c - physical memory: regions, access rules, tags, snapshots. */
#include "mmu/mmu.h"

#include "test_util.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static struct phys_mem *pm;
static char err[256];

static void add(uint64_t base, uint64_t size, enum phys_region_kind kind, const char *name)
{
    struct phys_region r = {.base = base, .size = size, .kind = kind};
    strcpy(r.name, name);
    ck_assert_int_eq(phys_add_region(pm, &r, err, sizeof(err)), 0);
}

static void setup(void)
{
    pm = phys_new();
    add(0x80000000, 0x100000, PHYS_RAM, "ram");
    add(0x10000, 0x2000, PHYS_ROM, "rom");
    add(0x90000000, 0x1000, PHYS_ABSENT, "hole");
}

static void teardown(void)
{
    phys_free(pm);
}

START_TEST(overlapping_regions_are_refused)
{
    struct phys_region r = {.base = 0x800ff000, .size = 0x2000, .kind = PHYS_RAM};
    strcpy(r.name, "late");
    ck_assert_int_eq(phys_add_region(pm, &r, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "overlaps region 'ram'"));
    r.base = UINT64_MAX - 0xfff;
    r.size = 0x2000;
    ck_assert_int_eq(phys_add_region(pm, &r, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "wraps"));
    r.size = 0;
    ck_assert_int_eq(phys_add_region(pm, &r, err, sizeof(err)), -1);
}
END_TEST

START_TEST(little_endian_loads_and_stores_of_every_size)
{
    static const unsigned sizes[] = {1, 2, 4, 8};
    for (int i = 0; i < 4; i++) {
        uint64_t v = 0, pa = 0x80000100 + 16 * i;
        ck_assert_int_eq(phys_store(pm, pa, sizes[i], 0x1122334455667788ull, 0, NULL), PHYS_OK);
        ck_assert_int_eq(phys_load(pm, pa, sizes[i], &v, 0, NULL), PHYS_OK);
        uint64_t mask = sizes[i] == 8 ? ~0ull : (1ull << (8 * sizes[i])) - 1;
        ck_assert_uint_eq(v, 0x1122334455667788ull & mask);
    }
    uint8_t b[8];
    phys_read(pm, 0x80000100 + 48, b, 8, 0, NULL);
    ck_assert_uint_eq(b[0], 0x88); /* least significant byte first */
    ck_assert_uint_eq(b[7], 0x11);
    /* 16-byte access (Q registers, LDP of X) */
    uint8_t q[16], r[16];
    for (int i = 0; i < 16; i++)
        q[i] = (uint8_t)(i * 7);
    ck_assert_int_eq(phys_write(pm, 0x80000200, q, 16, 0, NULL), PHYS_OK);
    ck_assert_int_eq(phys_read(pm, 0x80000200, r, 16, 0, NULL), PHYS_OK);
    ck_assert_mem_eq(q, r, 16);
}
END_TEST

START_TEST(unwritten_ram_reads_zero_without_allocating)
{
    uint64_t v = 1;
    ck_assert_int_eq(phys_load(pm, 0x800f0000, 8, &v, 0, NULL), PHYS_OK);
    ck_assert_uint_eq(v, 0);
    ck_assert_uint_eq(phys_pages_allocated(pm), 0);
}
END_TEST

START_TEST(absent_memory_is_an_abort_with_the_faulting_address)
{
    struct phys_fault f;
    uint64_t v;
    ck_assert_int_eq(phys_load(pm, 0x70000000, 4, &v, 0, &f), PHYS_ABSENT_ADDR);
    ck_assert_uint_eq(f.pa, 0x70000000);
    ck_assert_int_eq(phys_load(pm, 0x90000010, 4, &v, 0, &f), PHYS_ABSENT_ADDR);
    ck_assert_uint_eq(f.pa, 0x90000010);
    /* Top of the address space: no wrap to zero. */
    ck_assert_int_eq(phys_load(pm, UINT64_MAX - 2, 8, &v, 0, &f), PHYS_ABSENT_ADDR);
}
END_TEST

START_TEST(access_crossing_out_of_a_region_faults_on_the_first_missing_byte)
{
    struct phys_fault f;
    uint8_t buf[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    uint64_t end = 0x80000000 + 0x100000;
    ck_assert_int_eq(phys_write(pm, end - 4, buf, 8, 0, &f), PHYS_ABSENT_ADDR);
    ck_assert_uint_eq(f.pa, end);
    /* Nothing was written: the access is checked before it is performed. */
    uint64_t v = 0;
    phys_load(pm, end - 4, 4, &v, 0, NULL);
    ck_assert_uint_eq(v, 0);
}
END_TEST

START_TEST(page_crossing_allowed_unless_the_caller_forbids_it)
{
    struct phys_fault f;
    uint64_t v;
    ck_assert_int_eq(phys_store(pm, 0x80000ffc, 8, 0xa1a2a3a4a5a6a7a8ull, 0, NULL), PHYS_OK);
    ck_assert_int_eq(phys_load(pm, 0x80000ffc, 8, &v, 0, NULL), PHYS_OK);
    ck_assert_uint_eq(v, 0xa1a2a3a4a5a6a7a8ull);
    ck_assert_int_eq(phys_load(pm, 0x80000ffc, 8, &v, PHYS_NO_CROSS, &f), PHYS_CROSSES_PAGE);
    ck_assert_uint_eq(f.pa, 0x80000ffc);
}
END_TEST

START_TEST(rom_is_loadable_by_the_host_but_not_writable_by_the_guest)
{
    struct phys_fault f;
    uint64_t v;
    ck_assert_int_eq(phys_store(pm, 0x10000, 4, 0xd503201f, PHYS_INIT, NULL), PHYS_OK);
    ck_assert_int_eq(phys_store(pm, 0x10000, 4, 0, 0, &f), PHYS_READ_ONLY);
    ck_assert_int_eq(phys_load(pm, 0x10000, 4, &v, 0, NULL), PHYS_OK);
    ck_assert_uint_eq(v, 0xd503201f);
    ck_assert_ptr_null(phys_page_host(pm, 0x10000, true));
    ck_assert_ptr_nonnull(phys_page_host(pm, 0x10000, false));
}
END_TEST

static uint64_t dev_last_write;
static bool dev_read(void *ctx, uint64_t off, unsigned size, uint64_t *v)
{
    *v = 0xabcd0000 | off | size;
    return off < 0x100;
}
static bool dev_write(void *ctx, uint64_t off, unsigned size, uint64_t v)
{
    dev_last_write = v;
    return true;
}

START_TEST(device_regions_call_back_and_refuse_odd_sizes)
{
    struct phys_region r = {.base = 0x20000, .size = 0x1000, .kind = PHYS_DEVICE};
    strcpy(r.name, "uart");
    r.device.read = dev_read;
    r.device.write = dev_write;
    ck_assert_int_eq(phys_add_region(pm, &r, err, sizeof(err)), 0);
    uint64_t v;
    ck_assert_int_eq(phys_load(pm, 0x20010, 4, &v, 0, NULL), PHYS_OK);
    ck_assert_uint_eq(v, 0xabcd0014);
    ck_assert_int_eq(phys_store(pm, 0x20000, 8, 42, 0, NULL), PHYS_OK);
    ck_assert_uint_eq(dev_last_write, 42);
    ck_assert_int_eq(phys_load(pm, 0x20200, 4, &v, 0, NULL), PHYS_DEVICE_ERROR);
    uint8_t buf[3];
    ck_assert_int_eq(phys_read(pm, 0x20000, buf, 3, 0, NULL), PHYS_DEVICE_ERROR);
    ck_assert_ptr_null(phys_page_host(pm, 0x20000, false));
}
END_TEST

START_TEST(mte_tags_are_four_bits_per_granule_in_ram_only)
{
    uint8_t t;
    ck_assert_int_eq(phys_tag_read(pm, 0x80000000, &t), PHYS_OK);
    ck_assert_uint_eq(t, 0);
    ck_assert_int_eq(phys_tag_write(pm, 0x80000010, 0x1b), PHYS_OK); /* high nibble dropped */
    ck_assert_int_eq(phys_tag_read(pm, 0x8000001f, &t), PHYS_OK);    /* same granule */
    ck_assert_uint_eq(t, 0xb);
    ck_assert_int_eq(phys_tag_read(pm, 0x80000020, &t), PHYS_OK); /* next granule */
    ck_assert_uint_eq(t, 0);
    ck_assert_int_eq(phys_tag_write(pm, 0x10000, 1), PHYS_NO_TAGS);
    ck_assert_int_eq(phys_tag_read(pm, 0x70000000, &t), PHYS_ABSENT_ADDR);
}
END_TEST

START_TEST(snapshot_restore_copies_back_only_dirtied_pages)
{
    for (int i = 0; i < 16; i++)
        phys_store(pm, 0x80000000 + i * 4096ull, 8, 0x1000 + i, 0, NULL);
    phys_tag_write(pm, 0x80003000, 5);
    ck_assert_int_eq(phys_snapshot_take(pm), 0);
    uint64_t gen = phys_generation(pm);

    /* Dirty two old pages (one by a tag only) and create one new page. */
    phys_store(pm, 0x80002008, 8, 0xdead, 0, NULL);
    phys_tag_write(pm, 0x80003000, 9);
    phys_store(pm, 0x80050000, 4, 0xbeef, 0, NULL);
    ck_assert_uint_eq(phys_snapshot_restore(pm), 3);
    ck_assert_uint_ne(phys_generation(pm), gen);

    uint64_t v;
    uint8_t t;
    phys_load(pm, 0x80002008, 8, &v, 0, NULL);
    ck_assert_uint_eq(v, 0);
    phys_load(pm, 0x80002000, 8, &v, 0, NULL);
    ck_assert_uint_eq(v, 0x1002);
    phys_tag_read(pm, 0x80003000, &t);
    ck_assert_uint_eq(t, 5);
    phys_load(pm, 0x80050000, 4, &v, 0, NULL);
    ck_assert_uint_eq(v, 0); /* born after the snapshot: back to zero */

    /* Nothing written since: nothing to restore. Repeatable. */
    ck_assert_uint_eq(phys_snapshot_restore(pm), 0);
    phys_store(pm, 0x80000000, 1, 0xff, 0, NULL);
    phys_store(pm, 0x80000001, 1, 0xff, 0, NULL);
    ck_assert_uint_eq(phys_snapshot_restore(pm), 1);
    phys_load(pm, 0x80000000, 8, &v, 0, NULL);
    ck_assert_uint_eq(v, 0x1000);
}
END_TEST

START_TEST(host_write_pointer_marks_the_page_dirty)
{
    phys_store(pm, 0x80004000, 8, 7, 0, NULL);
    phys_snapshot_take(pm);
    uint8_t *p = phys_page_host(pm, 0x80004000, true);
    ck_assert_ptr_nonnull(p);
    p[0] = 99;
    ck_assert_uint_eq(phys_snapshot_restore(pm), 1);
    ck_assert_uint_eq(p[0], 7);
}
END_TEST

static int hook_calls;
/* Stops reads at the byte 3 past the start of what it is shown. */
static enum phys_status stop_reads(void *ctx, enum phys_access_kind kind, uint64_t pa, size_t len,
                                   uint64_t *fault_pa)
{
    hook_calls++;
    *fault_pa = pa + 3;
    return kind == PHYS_ACC_READ ? PHYS_CHECK_FAILED : PHYS_OK;
}

START_TEST(access_hook_sees_only_marked_pages)
{
    uint64_t v;
    struct phys_fault f;
    hook_calls = 0;
    phys_set_access_hook(pm, stop_reads, NULL);
    ck_assert_int_eq(phys_load(pm, 0x80006000, 8, &v, 0, NULL), PHYS_OK);
    ck_assert_int_eq(hook_calls, 0);
    phys_page_set_flags(pm, 0x80006000, PHYS_PAGE_HOOK);
    ck_assert_ptr_null(phys_page_host(pm, 0x80006000, false));
    ck_assert_int_eq(phys_load(pm, 0x80006ff8, 8, &v, 0, &f), PHYS_CHECK_FAILED);
    ck_assert_uint_eq(f.pa, 0x80006ff8 + 3); /* the hook names the byte */
    /* An access that would abort on an absent page never reaches the hook. */
    int calls = hook_calls;
    uint8_t buf[16] = {0};
    ck_assert_int_eq(phys_write(pm, 0x800ffff8, buf, 16, 0, &f), PHYS_ABSENT_ADDR);
    phys_page_set_flags(pm, 0x800ff000, PHYS_PAGE_HOOK);
    ck_assert_int_eq(phys_write(pm, 0x800ffff8, buf, 16, 0, &f), PHYS_ABSENT_ADDR);
    ck_assert_int_eq(hook_calls, calls);
    phys_page_clear_flags(pm, 0x800ff000, PHYS_PAGE_HOOK);
    ck_assert_int_eq(phys_store(pm, 0x80006000, 8, 1, 0, NULL), PHYS_OK);
    /* Host-side placement is not a guest access: no hook. */
    int before = hook_calls;
    ck_assert_int_eq(phys_load(pm, 0x80006000, 8, &v, PHYS_INIT, NULL), PHYS_OK);
    ck_assert_int_eq(hook_calls, before);
    phys_page_clear_flags(pm, 0x80006000, PHYS_PAGE_HOOK);
    ck_assert_int_eq(phys_load(pm, 0x80006000, 8, &v, 0, NULL), PHYS_OK);
}
END_TEST

START_TEST(many_sparse_pages_stay_addressable)
{
    /* Forces the page hash to grow several times. */
    struct phys_region r = {.base = 0x100000000ull, .size = 1ull << 36, .kind = PHYS_RAM};
    strcpy(r.name, "big");
    ck_assert_int_eq(phys_add_region(pm, &r, err, sizeof(err)), 0);
    for (uint64_t i = 0; i < 5000; i++)
        phys_store(pm, r.base + i * 0x100000ull + 8, 8, i * 3, 0, NULL);
    for (uint64_t i = 0; i < 5000; i++) {
        uint64_t v;
        phys_load(pm, r.base + i * 0x100000ull + 8, 8, &v, 0, NULL);
        ck_assert_uint_eq(v, i * 3);
    }
    ck_assert_uint_eq(phys_pages_allocated(pm), 5000);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("phys");
    TCase *tc = tcase_create("phys");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, overlapping_regions_are_refused);
    tcase_add_test(tc, little_endian_loads_and_stores_of_every_size);
    tcase_add_test(tc, unwritten_ram_reads_zero_without_allocating);
    tcase_add_test(tc, absent_memory_is_an_abort_with_the_faulting_address);
    tcase_add_test(tc, access_crossing_out_of_a_region_faults_on_the_first_missing_byte);
    tcase_add_test(tc, page_crossing_allowed_unless_the_caller_forbids_it);
    tcase_add_test(tc, rom_is_loadable_by_the_host_but_not_writable_by_the_guest);
    tcase_add_test(tc, device_regions_call_back_and_refuse_odd_sizes);
    tcase_add_test(tc, mte_tags_are_four_bits_per_granule_in_ram_only);
    tcase_add_test(tc, snapshot_restore_copies_back_only_dirtied_pages);
    tcase_add_test(tc, host_write_pointer_marks_the_page_dirty);
    tcase_add_test(tc, access_hook_sees_only_marked_pages);
    tcase_add_test(tc, many_sparse_pages_stay_addressable);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
