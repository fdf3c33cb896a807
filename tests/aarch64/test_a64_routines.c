/*
 * test_a64_routines.c - whole routines: our kernel-style memcpy, memset,
 * copy_page, clear_page and user copies (guest/routines.S) against C for
 * many sizes and alignments, and C compiled by clang -O2
 * -mgeneral-regs-only (guest/c_code.c, with LL/SC atomics and with LSE)
 * against the same C built for the host.
 */
#include "a64_harness.h"
#define RASIM_HOST 1 /* the host oracle's names: host_c_* */
#include "guest/c_code.h"
#include "test_util.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define SRC  (A64H_DATA + 0x10000)
#define DST  (A64H_DATA + 0x20000)
#define AREA 0x3000

static rasim_machine *m;
static uint8_t src[AREA], dst[AREA], want[AREA];

static void setup(void)
{
    m = a64h_machine("routines.o");
    for (size_t i = 0; i < AREA; i++)
        src[i] = (uint8_t)(i * 131 + 7);
    a64h_write(m, SRC, src, AREA);
}

static void teardown(void)
{
    rasim_free(m);
}

START_TEST(memcpy_all_small_sizes_and_alignments)
{
    for (unsigned so = 0; so < 16; so += 3) {
        for (unsigned doff = 0; doff < 16; doff += 5) {
            for (unsigned n = 0; n <= 300; n += (n < 80 ? 1 : 7)) {
                memset(want, 0xee, 512);
                a64h_write(m, DST, want, 512);
                memcpy(want + 64 + doff, src + so, n);
                ck_assert_uint_eq(A64H_CALL(m, "rasim_memcpy", DST + 64 + doff, SRC + so, n),
                                  DST + 64 + doff);
                a64h_read(m, DST, dst, 512);
                ck_assert_msg(!memcmp(dst, want, 512), "memcpy n=%u src+%u dst+%u", n, so, doff);
            }
        }
    }
}
END_TEST

START_TEST(memcpy_large)
{
    unsigned sizes[] = {4096, 4097, 5000, 8191, 65, 127, 128, 129};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        memset(want, 0, sizeof(want));
        a64h_write(m, DST, want, sizeof(want));
        memcpy(want + 3, src + 9, sizes[i]);
        A64H_CALL(m, "rasim_memcpy", DST + 3, SRC + 9, sizes[i]);
        a64h_read(m, DST, dst, sizeof(dst));
        ck_assert_msg(!memcmp(dst, want, sizeof(dst)), "memcpy n=%u", sizes[i]);
    }
}
END_TEST

START_TEST(memset_sizes_values_and_dc_zva)
{
    int values[] = {0, 0x5a, 0x1ff};
    for (size_t v = 0; v < 3; v++) {
        for (unsigned off = 0; off < 16; off += 7) {
            for (unsigned n = 0; n <= 1200; n += (n < 70 ? 1 : 37)) {
                memset(want, 0xee, 1400);
                a64h_write(m, DST, want, 1400);
                memset(want + 64 + off, values[v] & 0xff, n);
                A64H_CALL(m, "rasim_memset", DST + 64 + off, (uint64_t)values[v], n);
                a64h_read(m, DST, dst, 1400);
                ck_assert_msg(!memcmp(dst, want, 1400), "memset(%#x) n=%u off=%u", values[v], n,
                              off);
            }
        }
    }
}
END_TEST

START_TEST(page_routines)
{
    A64H_CALL(m, "rasim_copy_page", DST, SRC);
    a64h_read(m, DST, dst, 4096);
    ck_assert_mem_eq(dst, src, 4096);
    memset(want, 0, 4096);
    A64H_CALL(m, "rasim_clear_page", DST);
    a64h_read(m, DST, dst, 4096);
    ck_assert_mem_eq(dst, want, 4096);
    /* Another block size: DCZID_EL0.BS = 5 (128 bytes). */
    a64h_write(m, DST, src, 4096);
    a64h_set(m, "dczid_el0", 5);
    A64H_CALL(m, "rasim_clear_page", DST);
    a64h_read(m, DST, dst, 4096);
    ck_assert_mem_eq(dst, want, 4096);
}
END_TEST

START_TEST(user_copies)
{
    for (unsigned n = 0; n < 40; n++) {
        memset(want, 0, 64);
        a64h_write(m, DST, want, 64);
        memcpy(want, src, n);
        ck_assert_uint_eq(A64H_CALL(m, "rasim_copy_to_user", DST, SRC, n), 0);
        a64h_read(m, DST, dst, 64);
        ck_assert_mem_eq(dst, want, 64);
        a64h_write(m, DST, want + 32, 32);
        ck_assert_uint_eq(A64H_CALL(m, "rasim_copy_from_user", DST, SRC + 1, n), 0);
        a64h_read(m, DST, dst, n);
        ck_assert_mem_eq(dst, src + 1, n);
    }
    /* The user buffer runs into absent memory: the STTR at the first
     * absent byte faults (data abort, WnR), with an extable entry there
     * for the kernel model to use. */
    uint64_t end = A64H_DATA + A64H_DATA_LEN;
    struct rasim_stop stop;
    a64h_call(m, "rasim_copy_to_user", (const uint64_t[]){end - 20, SRC, 64}, 3, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(ESR_EC(stop.syndrome), 0x25);
    ck_assert_uint_eq(ESR_ISS(stop.syndrome), 0x50);
    /* The 8-byte STTR at end - 4 straddles: FAR is its first absent byte. */
    ck_assert_uint_eq(a64h_reg(m, "x0"), end - 4);
    ck_assert_uint_eq(stop.fault_addr, end);
    struct rasim_extable_entry e;
    int found = 0;
    for (size_t i = 0; rasim_image_extable(m, 0, i, &e) == 0; i++)
        found |= e.insn == stop.pc;
    ck_assert(found);
    a64h_read(m, end - 20, dst, 16);
    ck_assert_mem_eq(dst, src, 16);
}
END_TEST

/* ---- clang-compiled C ------------------------------------------------------ */

static void check_c_code(const char *object)
{
    rasim_machine *c = a64h_machine(object);
    rasim_machine *saved = m;
    m = c;

    int arr[64], host_arr[64];
    for (int i = 0; i < 64; i++)
        arr[i] = host_arr[i] = (int)((i * 2654435761u) >> 7) - (1 << 23);
    a64h_write(m, SRC, arr, sizeof(arr));
    ck_assert_uint_eq(A64H_CALL(m, "c_sort_sum", SRC, 64), host_c_sort_sum(host_arr, 64));
    a64h_read(m, SRC, arr, sizeof(arr));
    ck_assert_mem_eq(arr, host_arr, sizeof(arr));

    a64h_write(m, DST, src, 1000);
    ck_assert_uint_eq(A64H_CALL(m, "c_hash", DST, 1000), host_c_hash(src, 1000));
    const char *text = "machine checks are not a theory";
    a64h_write(m, DST, text, strlen(text) + 1);
    ck_assert_uint_eq(A64H_CALL(m, "c_strlen", DST), strlen(text));

    static const int64_t nums[] = {
        1, -1,   7, -7, 1000000007, -123456789012345, 0x7fffffff, (int64_t)0x8000000000000001ull,
        3, 65536};
    for (size_t i = 0; i < 10; i++) {
        for (size_t j = 0; j < 10; j++) {
            uint64_t a = (uint64_t)nums[i], b = (uint64_t)nums[j];
            ck_assert_uint_eq(A64H_CALL(m, "c_divmix", a, b), host_c_divmix(nums[i], nums[j]));
            ck_assert_uint_eq(A64H_CALL(m, "c_mul128", a, b), host_c_mul128(a, b));
            ck_assert_uint_eq(A64H_CALL(m, "c_bits", a * b), host_c_bits(a * b));
            ck_assert_uint_eq(A64H_CALL(m, "c_bitfields", a * 31 + b),
                              host_c_bitfields(a * 31 + b));
        }
    }
    ck_assert_uint_eq(A64H_CALL(m, "c_bits", 0), host_c_bits(0));
    for (unsigned k = 0; k < 14; k++)
        ck_assert_uint_eq(A64H_CALL(m, "c_switch", k), host_c_switch(k));
    ck_assert_uint_eq(A64H_CALL(m, "c_fib", 20), 6765);

    uint64_t p = 0x1234, hp = 0x1234;
    uint32_t w = 9, hw = 9;
    a64h_write(m, DST, &p, 8);
    a64h_write(m, DST + 8, &w, 4);
    ck_assert_uint_eq(A64H_CALL(m, "c_atomics", DST, DST + 8), host_c_atomics(&hp, &hw));
    a64h_read(m, DST, &p, 8);
    a64h_read(m, DST + 8, &w, 4);
    ck_assert_uint_eq(p, hp);
    ck_assert_uint_eq(w, hw);

    uint64_t zero[2] = {0, 0};
    a64h_write(m, DST, zero, 16);
    ck_assert_uint_eq(A64H_CALL(m, "c_spinlock_sum", DST, DST + 8, 100), 4950);
    ck_assert_uint_eq(a64h_read64(m, DST), 0); /* unlocked */

    uint64_t pair[2] = {0x1111, 0x2222};
    a64h_write(m, DST + 16, pair, 16);
    ck_assert_uint_eq(A64H_CALL(m, "c_cas128", DST + 16, 0x1111, 0x2222, 0xaaaa, 0xbbbb), 1);
    ck_assert_uint_eq(a64h_read64(m, DST + 16), 0xaaaa);
    ck_assert_uint_eq(a64h_read64(m, DST + 24), 0xbbbb);
    ck_assert_uint_eq(A64H_CALL(m, "c_cas128", DST + 16, 0x1111, 0x2222, 0, 0), 0);
    ck_assert_uint_eq(a64h_read64(m, DST + 16), 0xaaaa);

    m = saved;
    rasim_free(c);
}

START_TEST(clang_code_with_ll_sc_atomics)
{
    check_c_code("c_llsc.o");
}
END_TEST

START_TEST(clang_code_with_lse_atomics)
{
    check_c_code("c_lse.o");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("a64_routines");
    TCase *tc = tcase_create("routines");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, memcpy_all_small_sizes_and_alignments);
    tcase_add_test(tc, memcpy_large);
    tcase_add_test(tc, memset_sizes_values_and_dc_zva);
    tcase_add_test(tc, page_routines);
    tcase_add_test(tc, user_copies);
    tcase_add_test(tc, clang_code_with_ll_sc_atomics);
    tcase_add_test(tc, clang_code_with_lse_atomics);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
