/*
 * test_a64_codecache.c - decode once, stay correct: code rewritten by the
 * guest (with and without IC IVAU), by the host, and by a snapshot restore
 * runs as written; the host-pointer fast paths step aside for pages the
 * RAS model poisons, so every poisoned load and fetch is seen; and a
 * rough speed figure.
 */
#include "a64_harness.h"
#include "test_util.h"

#include <check.h>
#include <stdio.h>
#include <time.h>

static rasim_machine *m;

static void setup(void)
{
    m = a64h_machine("smc.o");
}

static void teardown(void)
{
    rasim_free(m);
}

#define MOV_X0(imm) (0xd2800000u | (uint32_t)(imm) << 5) /* movz x0, #imm */

START_TEST(guest_patches_code)
{
    ck_assert_uint_eq(A64H_CALL(m, "patched", 0), 1); /* decoded once ... */
    ck_assert_uint_eq(A64H_CALL(m, "patch_with_maintenance", MOV_X0(2)), 2);
    ck_assert_uint_eq(A64H_CALL(m, "patched", 0), 2);
    ck_assert_uint_eq(A64H_CALL(m, "patch_without_maintenance", MOV_X0(3)), 3);
    ck_assert_uint_eq(A64H_CALL(m, "self_incrementing", 100), 100 * 101 / 2);
    ck_assert_uint_eq(A64H_CALL(m, "self_incrementing", 10), 55);
}
END_TEST

START_TEST(guest_patches_straight_line_code)
{
    /* Decoded once, then rewritten ahead of the PC within one page. */
    ck_assert_uint_eq(A64H_CALL(m, "patch_ahead", MOV_X0(1)), 1);
    ck_assert_uint_eq(A64H_CALL(m, "patch_ahead", MOV_X0(4)), 4);
    ck_assert_uint_eq(A64H_CALL(m, "patch_ahead", MOV_X0(1)), 1);
    ck_assert_uint_eq(A64H_CALL(m, "patch_ahead_with_maintenance", MOV_X0(1)), 1);
    ck_assert_uint_eq(A64H_CALL(m, "patch_ahead_with_maintenance", MOV_X0(6)), 6);
    ck_assert_uint_eq(A64H_CALL(m, "patch_ahead_with_maintenance", MOV_X0(1)), 1);
}
END_TEST

/* Run the code at pc as a call with no arguments; its x0. */
static uint64_t run_at(uint64_t pc)
{
    struct rasim_stop stop;
    a64h_set(m, "lr", A64H_SENTINEL);
    a64h_set(m, "pc", pc);
    ck_assert_int_eq(rasim_run(m, 1000, &stop), 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    return a64h_reg(m, "x0");
}

START_TEST(code_written_into_a_data_page)
{
    /* nop; mov x0, #k; ret in a page of data, the mov written by the
     * guest (so the page may hold a host pointer for writes), run, then
     * written again: the new word must be run, in a later run and in the
     * same one, although a run enters the page at the nop. Data stored
     * beside the code keeps its value. */
    const uint64_t at = A64H_DATA + 0x2000;
    const uint32_t nop_ret[2] = {0xd503201f, 0xd65f03c0};
    a64h_write(m, at, &nop_ret[0], 4);
    a64h_write(m, at + 8, &nop_ret[1], 4);
    A64H_CALL(m, "store_word", at + 4, MOV_X0(1));
    ck_assert_uint_eq(run_at(at), 1);
    A64H_CALL(m, "store_word", at + 4, MOV_X0(2));
    ck_assert_uint_eq(run_at(at), 2);
    ck_assert_uint_eq(A64H_CALL(m, "store_word_and_run", at + 4, MOV_X0(3), at), 3);
    ck_assert_uint_eq(A64H_CALL(m, "store_word_and_run", at + 4, MOV_X0(4), at), 4);
    A64H_CALL(m, "store_word", at + 12, 0x1234);
    A64H_CALL(m, "store_word", at + 16, 0);
    ck_assert_uint_eq(A64H_CALL(m, "load_at", at + 12), 0x1234);
    ck_assert_uint_eq(run_at(at), 4);
}
END_TEST

/* Where a run with a budget of n stops, on a fresh machine (so the code is
 * decoded as it runs) or on a warm one. */
static uint64_t pc_after(rasim_machine *mm, const char *sym, uint64_t x0, uint64_t n)
{
    struct rasim_stop stop;
    a64h_set(mm, "x0", x0);
    a64h_set(mm, "x1", 0);
    a64h_set(mm, "x2", 0);
    a64h_set(mm, "lr", A64H_SENTINEL);
    a64h_set(mm, "pc", a64h_sym(mm, sym));
    ck_assert_int_eq(rasim_run(mm, n, &stop), 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_BUDGET);
    ck_assert_uint_eq(stop.insns, n);
    return stop.pc;
}

START_TEST(budget_is_exact_while_decoding)
{
    /* spin: add, eor, subs, b.ne per iteration, then ret. Every budget
     * stops after exactly that many instructions, cold or warm, with the
     * PC of a one-at-a-time run. */
    uint64_t spin = a64h_sym(m, "spin");
    for (uint64_t n = 1; n <= 4 * 3; n++) {
        rasim_machine *cold = a64h_machine("smc.o");
        uint64_t pc = pc_after(cold, "spin", 3, n);
        rasim_free(cold);
        ck_assert_uint_eq(pc, n == 12 ? spin + 16 : spin + 4 * (n % 4));
        ck_assert_uint_eq(pc_after(m, "spin", 3, n), pc);
    }
    /* Long runs in one page, warm: budgets that end anywhere in the loop,
     * around the 4096 instructions run_page runs per call. */
    static const uint64_t budgets[] = {4095, 4096, 4097, 4098, 8191, 8193, 11999};
    for (size_t i = 0; i < sizeof(budgets) / sizeof(budgets[0]); i++)
        ck_assert_uint_eq(pc_after(m, "spin", 3000, budgets[i]), spin + 4 * (budgets[i] % 4));
    /* One instruction at a time gives the same count. */
    struct rasim_stop stop;
    uint64_t steps = 0;
    a64h_set(m, "x0", 5);
    a64h_set(m, "lr", A64H_SENTINEL);
    a64h_set(m, "pc", spin);
    do {
        ck_assert_int_eq(rasim_step(m, &stop), 0);
        steps += stop.insns;
    } while (stop.reason == RASIM_STOP_BUDGET);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(steps, 4 * 5 + 1);
}
END_TEST

START_TEST(sentinel_in_the_code_page)
{
    /* Reached by falling through (the ret after b.ne) and by a branch. */
    uint64_t spin = a64h_sym(m, "spin");
    struct rasim_stop stop;
    rasim_set_return_sentinel(m, spin + 16);
    a64h_call(m, "spin", (const uint64_t[]){3}, 1, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(stop.insns, 12);
    ck_assert_uint_eq(stop.pc, spin + 16);
    rasim_set_return_sentinel(m, spin);
    a64h_set(m, "x0", 3);
    a64h_set(m, "pc", spin + 4); /* eor, subs, b.ne back to the sentinel */
    ck_assert_int_eq(rasim_run(m, 100, &stop), 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(stop.insns, 3);
    ck_assert_uint_eq(stop.pc, spin);
}
END_TEST

START_TEST(host_writes_and_snapshot_restore)
{
    uint64_t at = a64h_sym(m, "patched");
    ck_assert_uint_eq(A64H_CALL(m, "patched", 0), 1);
    ck_assert_int_eq(rasim_snapshot(m), 0);
    uint32_t w = MOV_X0(7);
    a64h_write(m, at, &w, 4);
    ck_assert_uint_eq(A64H_CALL(m, "patched", 0), 7);
    rasim_restore(m);
    ck_assert_uint_eq(A64H_CALL(m, "patched", 0), 1);
    /* A guest write after the snapshot is undone too, and the page the
     * guest wrote through a cached host pointer is on the dirty list. */
    ck_assert_uint_eq(A64H_CALL(m, "patch_without_maintenance", MOV_X0(9)), 9);
    ck_assert_uint_eq(rasim_restore(m), 2); /* the code page and the stack page */
    ck_assert_uint_eq(A64H_CALL(m, "patched", 0), 1);
    /* Data written through the fast path is restored as well. */
    uint64_t v = 5;
    a64h_write(m, A64H_DATA, &v, 8);
    rasim_snapshot(m);
    ck_assert_uint_eq(A64H_CALL(m, "sum_words", A64H_DATA, 1), 5);
}
END_TEST

START_TEST(poisoned_data_is_seen_by_every_load)
{
    uint64_t buf = A64H_DATA + 0x3000;
    uint64_t words[64];
    for (int i = 0; i < 64; i++)
        words[i] = (uint64_t)i;
    a64h_write(m, buf, words, sizeof(words));
    /* Warm the fast path on the page first. */
    ck_assert_uint_eq(A64H_CALL(m, "sum_words", buf, 64), 64 * 63 / 2);

    struct rasim_poison poison = {
        .pa = buf + 0x100 + 8, .len = 1, .granule = 64, .kind = RASIM_POISON_PERSISTENT};
    ck_assert_int_eq(rasim_poison(m, &poison), 0);
    /* Other lines of the same page still load. */
    ck_assert_uint_eq(A64H_CALL(m, "sum_words", buf, 32), 32 * 31 / 2);
    struct rasim_stop stop;
    a64h_call(m, "sum_words", (const uint64_t[]){buf, 64}, 2, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(ESR_EC(stop.syndrome), 0x25);
    ck_assert_uint_eq(ESR_ISS(stop.syndrome), 0x10); /* SEA, FnV = 0, WnR = 0 */
    ck_assert_uint_eq(stop.fault_addr, buf + 0x100); /* first poisoned byte */
    ck_assert_uint_eq(rasim_error_log_count(m), 1);
    struct rasim_error_record rec;
    ck_assert_int_eq(rasim_error_log_get(m, 0, &rec), 0);
    ck_assert_uint_eq(rec.pa, buf + 0x100);
    ck_assert_str_eq(rec.access, "read");

    /* Cleared, the page takes the fast path again. */
    rasim_poison_clear(m);
    ck_assert_uint_eq(A64H_CALL(m, "sum_words", buf, 64), 64 * 63 / 2);
}
END_TEST

START_TEST(poisoned_code_is_seen_by_every_fetch)
{
    ck_assert_uint_eq(A64H_CALL(m, "spin", 10), 0); /* decoded and cached */
    uint64_t spin = a64h_sym(m, "spin");
    struct rasim_poison poison = {
        .pa = spin, .len = 4, .granule = 1, .kind = RASIM_POISON_TRANSIENT, .count = 1};
    ck_assert_int_eq(rasim_poison(m, &poison), 0);
    struct rasim_stop stop;
    a64h_call(m, "spin", (const uint64_t[]){10}, 1, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(ESR_EC(stop.syndrome), 0x21);
    ck_assert_uint_eq(ESR_ISS(stop.syndrome), 0x10);
    ck_assert_uint_eq(stop.fault_addr, spin);
    ck_assert_uint_eq(stop.pc, spin);
    struct rasim_error_record rec;
    ck_assert_int_eq(rasim_error_log_get(m, 0, &rec), 0);
    ck_assert_str_eq(rec.access, "fetch");
    /* Transient: consumed once, then the same code runs. */
    ck_assert_uint_eq(A64H_CALL(m, "spin", 10), 0);
}
END_TEST

START_TEST(speed)
{
    struct rasim_stop stop;
    uint64_t n = 5000000;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    a64h_call(m, "spin", (const uint64_t[]){n}, 1, &stop);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(stop.insns, 4 * n + 1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr, "a64: %.0f million instructions per second (ALU loop)\n",
            (double)stop.insns / s / 1e6);

    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < 40; i++)
        a64h_call(m, "sum_words", (const uint64_t[]){A64H_DATA, A64H_DATA_LEN / 8}, 2, &stop);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr, "a64: %.0f million instructions per second (load loop)\n",
            40.0 * (double)stop.insns / s / 1e6);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("a64_codecache");
    TCase *tc = tcase_create("codecache");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, guest_patches_code);
    tcase_add_test(tc, guest_patches_straight_line_code);
    tcase_add_test(tc, code_written_into_a_data_page);
    tcase_add_test(tc, budget_is_exact_while_decoding);
    tcase_add_test(tc, sentinel_in_the_code_page);
    tcase_add_test(tc, host_writes_and_snapshot_restore);
    tcase_add_test(tc, poisoned_data_is_seen_by_every_load);
    tcase_add_test(tc, poisoned_code_is_seen_by_every_fetch);
    tcase_add_test(tc, speed);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
