/*
 * test_rv64_events.c - the RV64 events only translation produces: a walk
 * with the PTEs it read (checked against the tables rv64_pt.h built), a
 * walk that faults, sfence.vma with its scope, and an exception taken to
 * the guest's vector versus one that ends the run.
 */
#include "rv64_pt.h"
#include "test_util.h"

#include <stdlib.h>

struct log {
    struct rasim_event ev[512];
    size_t n;
};

static void record(void *ctx, const struct rasim_event *e)
{
    struct log *l = ctx;
    if (l->n < sizeof(l->ev) / sizeof(*l->ev))
        l->ev[l->n++] = *e;
}

static const struct rasim_event *find(const struct log *l, enum rasim_event_kind kind, size_t from)
{
    for (size_t i = from; i < l->n; i++)
        if (l->ev[i].kind == kind)
            return &l->ev[i];
    return NULL;
}

/* The data walk of VA (fetch walks of the code come first). */
static const struct rasim_event *data_walk(const struct log *l, uint64_t va)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->ev[i].kind == RASIM_EV_WALK && !l->ev[i].walk.fetch && l->ev[i].walk.va == va)
            return &l->ev[i];
    return NULL;
}

START_TEST(a_walk_shows_the_ptes_it_read)
{
    rasim_machine *m = pt_machine(false);
    struct log *l = calloc(1, sizeof(*l));
    ck_assert_int_eq(rasim_set_event_sink(m, RASIM_EV_ALL, record, l), 0);
    struct rasim_stop s = pt_go(m, guest_sym(m, "mmu_fence_all_ld"), VA_RW, 0, 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED);

    const struct rasim_event *fence = find(l, RASIM_EV_TLBI, 0);
    ck_assert_ptr_nonnull(fence);
    ck_assert_str_eq(fence->tlbi.text, "sfence.vma (all)");
    const struct rasim_event *w = data_walk(l, VA_RW);
    ck_assert_ptr_nonnull(w);
    ck_assert(w > fence); /* the fence emptied the TLB: the load walks */
    ck_assert(w->walk.ok && !w->walk.write);
    ck_assert_uint_eq(w->walk.pa, PA_DATA(0));
    ck_assert_uint_eq(w->walk.size, 4096);
    ck_assert_uint_eq(w->walk.nsteps, 3);
    const uint64_t tables[3] = {PT_ROOT_A, PT_L1_A, PT_L0_A};
    for (unsigned i = 0; i < 3; i++) {
        unsigned index = (unsigned)(VA_RW >> (30 - 9 * i)) & 511;
        ck_assert_int_eq(w->walk.steps[i].level, 2 - (int)i);
        ck_assert_uint_eq(w->walk.steps[i].pa, tables[i] + 8 * index);
        ck_assert_uint_eq(w->walk.steps[i].desc, pt_get(m, tables[i], index));
    }
    const struct rasim_event *ld = find(l, RASIM_EV_MEM, (size_t)(w - l->ev));
    ck_assert_ptr_nonnull(ld);
    ck_assert_uint_eq(ld->mem.va, VA_RW);
    ck_assert_uint_eq(ld->mem.pa, PA_DATA(0));
    ck_assert_uint_eq(ld->mem.value, DATA_VALUE(0));
    ck_assert_uint_eq(ld->pc, w->pc);

    /* A fenced VA and ASID say so. */
    l->n = 0;
    s = pt_go(m, guest_sym(m, "mmu_fence_va_asid_ld"), VA_RW, VA_RW, ASID_A);
    fence = find(l, RASIM_EV_TLBI, 0);
    ck_assert_ptr_nonnull(fence);
    ck_assert_str_eq(fence->tlbi.text, "sfence.vma va=0x40000000 asid=1");
    free(l);
    rasim_free(m);
}
END_TEST

START_TEST(a_fault_is_a_failed_walk_then_the_exception)
{
    rasim_machine *m = pt_machine(false);
    struct log *l = calloc(1, sizeof(*l));
    ck_assert_int_eq(rasim_set_event_sink(m, RASIM_EV_ALL, record, l), 0);
    struct rasim_stop s = pt_go(m, guest_sym(m, "mmu_ld"), VA_INV, 0, 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_EXCEPTION);
    const struct rasim_event *w = data_walk(l, VA_INV);
    ck_assert_ptr_nonnull(w);
    ck_assert(!w->walk.ok);
    ck_assert_str_eq(w->walk.fault, "page");
    ck_assert_int_eq(w->walk.level, 0);
    const struct rasim_event *e = find(l, RASIM_EV_EXCEPTION, (size_t)(w - l->ev));
    ck_assert_ptr_nonnull(e);
    ck_assert(!e->exception.taken);
    ck_assert_uint_eq(e->exception.syndrome, CAUSE_LOAD_PF);
    ck_assert_str_eq(e->exception.text, "load page fault");
    ck_assert_uint_eq(e->exception.addr, VA_INV);
    free(l);
    rasim_free(m);

    /* With the guest's handlers installed it is taken, to S-mode. */
    m = pt_machine(true);
    l = calloc(1, sizeof(*l));
    ck_assert_int_eq(rasim_set_event_sink(m, RASIM_EV_BIT(RASIM_EV_EXCEPTION), record, l), 0);
    s = pt_go(m, guest_sym(m, "mmu_ld"), VA_INV, 0, 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(l->n, 1);
    ck_assert(l->ev[0].exception.taken);
    ck_assert_uint_eq(l->ev[0].exception.target_level, 1);
    ck_assert_uint_eq(l->ev[0].exception.syndrome, CAUSE_LOAD_PF);
    free(l);
    rasim_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rv64_events");
    TCase *tc = tcase_create("rv64_events");
    tcase_add_test(tc, a_walk_shows_the_ptes_it_read);
    tcase_add_test(tc, a_fault_is_a_failed_walk_then_the_exception);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
