/*
 * test_rv64_atomics.c - the A extension: every AMO in both widths against
 * the manual's definition, LR/SC success and each way a reservation is
 * lost, and the faults (misaligned always traps; AMO faults are store/AMO
 * faults). Guest code: guest/amo.S.
 */
#include "rv64_guest.h"
#include "test_util.h"

#define DATA (GUEST_RAM + 0x80000)
#define M    3

typedef uint64_t (*amo_ref)(uint64_t mem, uint64_t src, unsigned size);

/* clang-format off */ /* the reference definitions, one per line */
static int64_t sx(uint64_t v, unsigned size) { return size == 4 ? (int32_t)v : (int64_t)v; }
static uint64_t zx(uint64_t v, unsigned size) { return size == 4 ? (uint32_t)v : v; }
static uint64_t r_swap(uint64_t a, uint64_t b, unsigned s) { (void)a; (void)s; return b; }
static uint64_t r_add(uint64_t a, uint64_t b, unsigned s) { (void)s; return a + b; }
static uint64_t r_xor(uint64_t a, uint64_t b, unsigned s) { (void)s; return a ^ b; }
static uint64_t r_and(uint64_t a, uint64_t b, unsigned s) { (void)s; return a & b; }
static uint64_t r_or(uint64_t a, uint64_t b, unsigned s) { (void)s; return a | b; }
static uint64_t r_min(uint64_t a, uint64_t b, unsigned s) { return sx(a, s) <= sx(b, s) ? a : b; }
static uint64_t r_max(uint64_t a, uint64_t b, unsigned s) { return sx(a, s) >= sx(b, s) ? a : b; }
static uint64_t r_minu(uint64_t a, uint64_t b, unsigned s) { return zx(a, s) <= zx(b, s) ? a : b; }
static uint64_t r_maxu(uint64_t a, uint64_t b, unsigned s) { return zx(a, s) >= zx(b, s) ? a : b; }

/* clang-format on */
static const struct {
    const char *name;
    amo_ref ref;
} amos[] = {
    {"swap", r_swap}, {"add", r_add}, {"xor", r_xor},   {"and", r_and},   {"or", r_or},
    {"min", r_min},   {"max", r_max}, {"minu", r_minu}, {"maxu", r_maxu},
};

static const uint64_t values[] = {
    0,
    1,
    0x7fffffff,
    0x80000000,
    0xffffffff,
    0x17fffffffull,
    0x7fffffffffffffffull,
    0x8000000000000000ull,
    ~0ull,
    0x123456789abcdef0ull,
};
#define NVALUES (sizeof(values) / sizeof(values[0]))

START_TEST(every_amo_in_both_widths)
{
    rasim_machine *m = guest_new("amo.o");
    const uint64_t guard = 0x5555aaaa5555aaaaull;
    for (size_t k = 0; k < sizeof(amos) / sizeof(amos[0]); k++)
        for (unsigned size = 4; size <= 8; size += 4)
            for (size_t i = 0; i < NVALUES; i++)
                for (size_t j = 0; j < NVALUES; j++) {
                    char sym[32];
                    snprintf(sym, sizeof(sym), "amo%s_%c", amos[k].name, size == 4 ? 'w' : 'd');
                    uint64_t mem = values[i], src = values[j];
                    /* .w works on the low word: the high word is a guard. */
                    guest_write64(m, DATA,
                                  size == 4 ? (guard & ~0xffffffffull) | (uint32_t)mem : mem);
                    uint64_t old = guest_call2(m, sym, DATA, src);
                    uint64_t want_mem = zx(amos[k].ref(mem, src, size), size);
                    uint64_t got_mem = guest_read64(m, DATA);
                    if (size == 4) {
                        ck_assert_uint_eq(got_mem >> 32, guard >> 32);
                        got_mem = (uint32_t)got_mem;
                    }
                    if (old != (uint64_t)sx(mem, size) || got_mem != want_mem)
                        ck_abort_msg("%s(mem 0x%llx, rs2 0x%llx): rd 0x%llx mem 0x%llx, want rd "
                                     "0x%llx mem 0x%llx",
                                     sym, (unsigned long long)mem, (unsigned long long)src,
                                     (unsigned long long)old, (unsigned long long)got_mem,
                                     (unsigned long long)sx(mem, size),
                                     (unsigned long long)want_mem);
                }
    guest_write64(m, DATA, 40);
    ck_assert_uint_eq(guest_call2(m, "amoadd_d_aqrl", DATA, 2), 40);
    ck_assert_uint_eq(guest_read64(m, DATA), 42);
    rasim_free(m);
}
END_TEST

START_TEST(lr_sc_succeeds_with_an_unbroken_reservation)
{
    rasim_machine *m = guest_new("amo.o");
    guest_write64(m, DATA, 1);
    ck_assert_uint_eq(guest_call2(m, "lr_sc_d", DATA, 0xabc), 0);
    ck_assert_uint_eq(guest_read64(m, DATA), 0xabc);
    guest_write64(m, DATA, ~0ull);
    ck_assert_uint_eq(guest_call2(m, "lr_sc_w", DATA, 0x12345678), 0);
    ck_assert_uint_eq(guest_read64(m, DATA), 0xffffffff12345678ull);
    /* A store to other bytes leaves the reservation alone. */
    ck_assert_uint_eq(guest_call2(m, "lr_store_elsewhere_sc", DATA, 7), 0);
    ck_assert_uint_eq(guest_read64(m, DATA), 7);
    /* lr.w sign-extends. */
    guest_write64(m, DATA, 0x80000000);
    ck_assert_uint_eq(guest_call2(m, "lr_w", DATA, 0), 0xffffffff80000000ull);
    rasim_free(m);
}
END_TEST

START_TEST(lr_sc_fails_when_the_reservation_is_lost)
{
    rasim_machine *m = guest_new("amo.o");
    guest_write64(m, DATA, 1);
    guest_write64(m, DATA + 8, 2);
    /* A store into the reserved bytes. */
    ck_assert_uint_eq(guest_call2(m, "lr_store_sc", DATA, 9), 1);
    ck_assert_uint_eq(guest_read64(m, DATA) & 0xffffffff, 1); /* sc wrote nothing */
    /* SC elsewhere. */
    ck_assert_uint_eq(guest_call2(m, "lr_sc_other_address", DATA, 9), 1);
    ck_assert_uint_eq(guest_read64(m, DATA + 8), 2);
    /* The first SC uses the reservation up. */
    ck_assert_uint_eq(guest_call2(m, "lr_sc_sc", DATA, 3), 2);
    /* No LR at all (the last SC cleared it). */
    ck_assert_uint_eq(guest_call2(m, "sc_d", DATA, 4), 1);
    ck_assert_uint_eq(guest_read64(m, DATA), 3);
    /* lr.w reserves 4 bytes; sc.d needs 8. */
    ck_assert_uint_eq(guest_call2(m, "lr_w_sc_d", DATA, 4), 1);
    /* A trap in between (taken and returned from). */
    guest_set(m, "mtvec", guest_sym(m, "skip_handler"));
    guest_set(m, "priv", M);
    ck_assert_uint_eq(guest_call2(m, "lr_trap_sc", DATA, 5), 1);
    ck_assert_uint_eq(guest_read64(m, DATA), 3);
    /* The same LR/SC without the trap does succeed. */
    ck_assert_uint_eq(guest_call2(m, "lr_sc_d", DATA, 5), 0);
    rasim_free(m);
}
END_TEST

static void expect_stop(rasim_machine *m, const char *fn, uint64_t addr, uint64_t cause,
                        uint64_t tval)
{
    guest_set(m, "a0", addr);
    guest_set(m, "a1", 1);
    struct rasim_stop stop = guest_run_at(m, fn);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(stop.syndrome, cause);
    ck_assert_uint_eq(stop.fault_addr, tval);
    ck_assert_uint_eq(stop.pc, guest_sym(m, fn));
}

START_TEST(atomic_faults)
{
    rasim_machine *m = guest_new("amo.o");
    /* Misaligned: always a trap, though plain accesses are performed. */
    expect_stop(m, "amoadd_d", DATA + 4, 6, DATA + 4);
    expect_stop(m, "amoswap_w", DATA + 2, 6, DATA + 2);
    expect_stop(m, "lr_d", DATA + 4, 4, DATA + 4);
    expect_stop(m, "sc_d", DATA + 1, 6, DATA + 1);
    /* Absent memory: an AMO is a store/AMO access fault even though it
     * reads first; LR is a load. */
    expect_stop(m, "amoor_d", 0x40000000, 7, 0x40000000);
    expect_stop(m, "lr_d", 0x40000000, 5, 0x40000000);
    /* ROM: the AMO faults and memory keeps its value. */
    ck_assert_int_eq(rasim_add_region(m, "rom", 0x90000000, 0x1000, RASIM_REGION_ROM), 0);
    uint64_t v = 77;
    rasim_write_phys(m, 0x90000000, &v, 8);
    expect_stop(m, "amoadd_d", 0x90000000, 7, 0x90000000);
    ck_assert_uint_eq(guest_read64(m, 0x90000000), 77);
    ck_assert_uint_eq(guest_reg(m, "a0"), 0x90000000); /* rd not written */
    rasim_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rv64_atomics");
    TCase *tc = tcase_create("atomics");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, every_amo_in_both_widths);
    tcase_add_test(tc, lr_sc_succeeds_with_an_unbroken_reservation);
    tcase_add_test(tc, lr_sc_fails_when_the_reservation_is_lost);
    tcase_add_test(tc, atomic_faults);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
