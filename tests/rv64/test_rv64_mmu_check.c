/*
 * test_rv64_mmu_check.c - the MMU checker on a running RV64 guest, through
 * rasim.h: a guest store that retargets a PTE the TLB holds is a
 * break-before-make violation reported with the PTE's address and the PC of
 * the store; using the stale entry afterwards is reported too; the
 * architected sequence (invalidate, sfence.vma, write) is clean; and the
 * warnings arrive as events in order.
 */
#include "rv64_pt.h"
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

static void expect_warning(rasim_machine *m, size_t i, const char *kind, uint64_t pte_pa,
                           uint64_t pc)
{
    struct rasim_mmu_warning w;
    ck_assert_int_eq(rasim_mmu_warning_get(m, i, &w), 0);
    ck_assert_str_eq(w.kind, kind);
    ck_assert_uint_eq(w.pte_pa, pte_pa);
    ck_assert_uint_eq(w.pc, pc);
    ck_assert_ptr_nonnull(strstr(w.text, "0x"));
}

START_TEST(retargeting_a_cached_pte_without_sfence_is_reported)
{
    rasim_machine *m = pt_machine(false);
    ck_assert_int_eq(rasim_set_mmu_check(m, true), 0);
    const uint64_t slot = pt_slot_a(VA_STALE);
    struct rasim_stop s = pt_go(m, guest_sym(m, "mmu_ld"), VA_STALE, 0, 0); /* fill the TLB */
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(rasim_mmu_warning_count(m), 0);

    /* The guest points the PTE at another page: the tables are identity
     * mapped, so the PTE's VA is its PA. */
    s = pt_go(m, guest_sym(m, "mmu_sd"), slot, pt_pte(PA_DATA(9), PTE_RWAD), 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(rasim_mmu_warning_count(m), 1);
    expect_warning(m, 0, "break-before-make", slot, guest_sym(m, "mmu_sd"));

    /* Without a fence the load still uses the old page: a stale use. */
    s = pt_go(m, guest_sym(m, "mmu_ld"), VA_STALE, 0, 0);
    ck_assert_uint_eq(guest_reg(m, "a0"), DATA_VALUE(8));
    ck_assert_uint_eq(rasim_mmu_warning_count(m), 2);
    expect_warning(m, 1, "stale", slot, guest_sym(m, "mmu_ld"));
    rasim_free(m);
}
END_TEST

/* Untraced runs execute chains, which keep the PC in a register: a store
 * in the middle of one is still reported at its own PC (as a traced run,
 * one instruction at a time, reports it). */
START_TEST(a_store_inside_a_chain_is_reported_at_its_pc)
{
    rasim_machine *m = pt_machine(false);
    ck_assert_int_eq(rasim_set_mmu_check(m, true), 0);
    const uint64_t slot = pt_slot_a(VA_STALE);
    /* The first run fills the TLB and decodes the code, so the second
     * runs as a chain. */
    pt_go(m, guest_sym(m, "mmu_sd_late"), VA_STALE, 0, 0);
    ck_assert_uint_eq(rasim_mmu_warning_count(m), 0);
    struct rasim_stop s =
        pt_go(m, guest_sym(m, "mmu_sd_late"), slot, pt_pte(PA_DATA(9), PTE_RWAD), 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(rasim_mmu_warning_count(m), 1);
    expect_warning(m, 0, "break-before-make", slot, guest_sym(m, "mmu_sd_late") + 8);
    rasim_free(m);
}
END_TEST

START_TEST(break_then_fence_then_make_is_clean)
{
    rasim_machine *m = pt_machine(false);
    ck_assert_int_eq(rasim_set_mmu_check(m, true), 0);
    const uint64_t slot = pt_slot_a(VA_STALE);
    pt_go(m, guest_sym(m, "mmu_ld"), VA_STALE, 0, 0);
    pt_go(m, guest_sym(m, "mmu_sd"), slot, 0, 0);                            /* break */
    pt_go(m, guest_sym(m, "mmu_fence_va_ld"), VA_RW, VA_STALE, 0);           /* sfence.vma VA */
    pt_go(m, guest_sym(m, "mmu_sd"), slot, pt_pte(PA_DATA(9), PTE_RWAD), 0); /* make */
    struct rasim_stop s = pt_go(m, guest_sym(m, "mmu_ld"), VA_STALE, 0, 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(guest_reg(m, "a0"), DATA_VALUE(9));
    ck_assert_uint_eq(rasim_mmu_warning_count(m), 0);
    rasim_free(m);
}
END_TEST

struct checks {
    struct rasim_event ev[8];
    size_t n;
};

static void record(void *ctx, const struct rasim_event *e)
{
    struct checks *c = ctx;
    if (c->n < 8)
        c->ev[c->n++] = *e;
}

START_TEST(warnings_are_events_and_off_drops_them)
{
    rasim_machine *m = pt_machine(false);
    ck_assert_int_eq(rasim_set_mmu_check(m, true), 0);
    struct checks c = {.n = 0};
    ck_assert_int_eq(rasim_set_event_sink(m, RASIM_EV_BIT(RASIM_EV_CHECK), record, &c), 0);
    const uint64_t slot = pt_slot_a(VA_STALE);
    pt_go(m, guest_sym(m, "mmu_ld"), VA_STALE, 0, 0);
    pt_go(m, guest_sym(m, "mmu_sd"), slot, pt_pte(PA_DATA(9), PTE_RWAD), 0);
    ck_assert_uint_eq(c.n, 1);
    ck_assert_int_eq(c.ev[0].kind, RASIM_EV_CHECK);
    ck_assert_str_eq(c.ev[0].check.kind, "break-before-make");
    ck_assert_uint_eq(c.ev[0].check.pte_pa, slot);
    ck_assert_uint_eq(c.ev[0].pc, guest_sym(m, "mmu_sd"));
    ck_assert_int_eq(rasim_set_mmu_check(m, false), 0);
    ck_assert_uint_eq(rasim_mmu_warning_count(m), 0);
    rasim_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rv64_mmu_check");
    TCase *tc = tcase_create("rv64_mmu_check");
    tcase_add_test(tc, retargeting_a_cached_pte_without_sfence_is_reported);
    tcase_add_test(tc, a_store_inside_a_chain_is_reported_at_its_pc);
    tcase_add_test(tc, break_then_fence_then_make_is_clean);
    tcase_add_test(tc, warnings_are_events_and_off_drops_them);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
