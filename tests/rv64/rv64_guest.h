/*
 * rv64_guest.h - running guest programs from tests/rv64/guest/ through the
 * public API: one machine with RAM at GUEST_RAM, the object loaded at its
 * base, and calls that return to a sentinel outside memory.
 *
 * Header-only (static inline) because rasim_test() builds one .c per suite.
 */
#ifndef RASIM_TESTS_RV64_GUEST_H
#define RASIM_TESTS_RV64_GUEST_H

#include "rasim.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#define GUEST_RAM      0x80000000ull
#define GUEST_RAM_SIZE 0x00100000ull /* 1 MiB: code, data, stack */
#define GUEST_STACK    (GUEST_RAM + GUEST_RAM_SIZE - 64)
#define GUEST_SENTINEL 0x7ffff000ull /* no memory there: reaching it is "returned" */
#define GUEST_BUDGET   10000000ull

static inline rasim_machine *guest_new(const char *object)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", RV64_GUEST_DIR, object);
    rasim_machine *m = rasim_new(RASIM_ARCH_RV64);
    ck_assert_ptr_nonnull(m);
    /* These suites test the architecture: traps stop the run as they are,
     * with no kernel model deciding what Linux would make of them. */
    ck_assert_int_eq(rasim_set_profile(m, "none"), 0);
    ck_assert_int_eq(rasim_add_region(m, "ram", GUEST_RAM, GUEST_RAM_SIZE, RASIM_REGION_RAM), 0);
    struct rasim_load_options opt = {.base_set = true, .base = GUEST_RAM};
    if (rasim_load(m, path, &opt) < 0)
        ck_abort_msg("%s", rasim_error(m));
    rasim_set_return_sentinel(m, GUEST_SENTINEL);
    return m;
}

static inline uint64_t guest_sym(rasim_machine *m, const char *name)
{
    uint64_t va;
    if (rasim_lookup_symbol(m, name, &va) < 0)
        ck_abort_msg("no symbol %s", name);
    return va;
}

static inline uint64_t guest_reg(rasim_machine *m, const char *name)
{
    uint64_t v;
    ck_assert_int_eq(rasim_get_reg(m, name, &v), 0);
    return v;
}

static inline void guest_set(rasim_machine *m, const char *name, uint64_t value)
{
    ck_assert_int_eq(rasim_set_reg(m, name, value), 0);
}

/* Start `name` with ra at the sentinel and a fresh stack; run it. */
static inline struct rasim_stop guest_run_at(rasim_machine *m, const char *name)
{
    struct rasim_stop stop;
    guest_set(m, "ra", GUEST_SENTINEL);
    guest_set(m, "sp", GUEST_STACK);
    guest_set(m, "pc", guest_sym(m, name));
    rasim_run(m, GUEST_BUDGET, &stop);
    return stop;
}

/* Call name(a0, a1) and expect it to return; a0 after the call. */
static inline uint64_t guest_call2(rasim_machine *m, const char *name, uint64_t a0, uint64_t a1)
{
    guest_set(m, "a0", a0);
    guest_set(m, "a1", a1);
    struct rasim_stop stop = guest_run_at(m, name);
    if (stop.reason != RASIM_STOP_RETURNED)
        ck_abort_msg("%s: stopped (%s) at 0x%llx, cause %llu, tval 0x%llx", name,
                     rasim_stop_reason_name(stop.reason), (unsigned long long)stop.pc,
                     (unsigned long long)stop.syndrome, (unsigned long long)stop.fault_addr);
    return guest_reg(m, "a0");
}

static inline uint64_t guest_read64(rasim_machine *m, uint64_t pa)
{
    uint64_t v;
    ck_assert_int_eq(rasim_read_phys(m, pa, &v, 8), 0);
    return v;
}

static inline void guest_write64(rasim_machine *m, uint64_t pa, uint64_t v)
{
    ck_assert_int_eq(rasim_write_phys(m, pa, &v, 8), 0);
}

/* A deterministic generator for test operands (xorshift64*). */
static inline uint64_t guest_rand(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

#endif
