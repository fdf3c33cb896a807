/*
 * test_rv64_routines.c - real-world routines: kernel-style memcpy, memset
 * and a Zicboz clear_page (guest/string.S), run over every alignment of
 * source and destination and many lengths, checked byte for byte (guard
 * bytes included) against the C library.
 */
#include "rv64_guest.h"
#include "test_util.h"

#include <stdlib.h>

#define SRC  (GUEST_RAM + 0x80000)
#define DST  (GUEST_RAM + 0xa0000)
#define AREA 0x3000 /* bytes around each buffer that are compared */

static void fill(uint8_t *buf, size_t n, uint64_t *seed)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)guest_rand(seed);
}

static const size_t lengths[] = {0,  1,  2,   7,   8,   9,   15,  16,   17,   31,   63,  64,
                                 65, 71, 127, 128, 129, 200, 511, 1000, 4096, 4103, 8191};
#define NLENGTHS (sizeof(lengths) / sizeof(lengths[0]))

START_TEST(memcpy_matches_libc_for_every_alignment)
{
    rasim_machine *m = guest_new("string.o");
    static uint8_t src[AREA], dst[AREA], want[AREA], got[AREA];
    uint64_t seed = 1;
    fill(src, AREA, &seed);
    ck_assert_int_eq(rasim_write_phys(m, SRC, src, AREA), 0);
    for (size_t l = 0; l < NLENGTHS; l++)
        for (unsigned so = 0; so < 16; so++)
            for (unsigned doff = 0; doff < 16; doff++) {
                size_t n = lengths[l];
                if (n + 32 > AREA)
                    continue;
                fill(dst, AREA, &seed);
                rasim_write_phys(m, DST, dst, AREA);
                memcpy(want, dst, AREA);
                memcpy(want + doff, src + so, n);
                guest_set(m, "a2", n);
                uint64_t ret = guest_call2(m, "rasim_memcpy", DST + doff, SRC + so);
                ck_assert_uint_eq(ret, DST + doff);
                rasim_read_phys(m, DST, got, AREA);
                if (memcmp(got, want, AREA))
                    ck_abort_msg("memcpy(dst+%u, src+%u, %zu) differs from libc", doff, so, n);
            }
    rasim_free(m);
}
END_TEST

START_TEST(memset_matches_libc_for_every_alignment)
{
    rasim_machine *m = guest_new("string.o");
    static uint8_t dst[AREA], want[AREA], got[AREA];
    uint64_t seed = 2;
    static const int values[] = {0, 0x5a, 0x80, 0xff, 0x1234}; /* only the low byte counts */
    for (size_t l = 0; l < NLENGTHS; l++)
        for (unsigned doff = 0; doff < 16; doff++)
            for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
                size_t n = lengths[l];
                if (n + 16 > AREA)
                    continue;
                fill(dst, AREA, &seed);
                rasim_write_phys(m, DST, dst, AREA);
                memcpy(want, dst, AREA);
                memset(want + doff, values[v] & 0xff, n);
                guest_set(m, "a2", n);
                uint64_t ret = guest_call2(m, "rasim_memset", DST + doff, (uint64_t)values[v]);
                ck_assert_uint_eq(ret, DST + doff);
                rasim_read_phys(m, DST, got, AREA);
                if (memcmp(got, want, AREA))
                    ck_abort_msg("memset(dst+%u, 0x%x, %zu) differs from libc", doff, values[v], n);
            }
    rasim_free(m);
}
END_TEST

START_TEST(clear_page_with_cbo_zero)
{
    rasim_machine *m = guest_new("string.o");
    static uint8_t buf[3 * 4096];
    memset(buf, 0xa5, sizeof(buf));
    rasim_write_phys(m, DST, buf, sizeof(buf));
    guest_set(m, "menvcfg", 0x80); /* S-mode may use cbo.zero */
    guest_call2(m, "rasim_clear_page", DST + 4096, 0);
    rasim_read_phys(m, DST, buf, sizeof(buf));
    for (size_t i = 0; i < sizeof(buf); i++)
        ck_assert_uint_eq(buf[i], (i >= 4096 && i < 8192) ? 0 : 0xa5);
    rasim_free(m);
}
END_TEST

/* The copy runs through the fast path: count what one 4 KiB copy costs. */
START_TEST(memcpy_instruction_count_is_as_written)
{
    rasim_machine *m = guest_new("string.o");
    guest_set(m, "a0", DST);
    guest_set(m, "a1", SRC);
    guest_set(m, "a2", 4096);
    struct rasim_stop stop = guest_run_at(m, "rasim_memcpy");
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    /* 64 blocks of 20 instructions, plus the set-up and exits. */
    ck_assert_uint_ge(stop.insns, 64 * 20);
    ck_assert_uint_le(stop.insns, 64 * 20 + 30);
    rasim_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rv64_routines");
    TCase *tc = tcase_create("routines");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, memcpy_matches_libc_for_every_alignment);
    tcase_add_test(tc, memset_matches_libc_for_every_alignment);
    tcase_add_test(tc, clear_page_with_cbo_zero);
    tcase_add_test(tc, memcpy_instruction_count_is_as_written);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
