/*
 * test_rv64_ras.c - RAS delivery in the RV64 interpreter: poison consumed
 * by a data load, an AMO, LR, an instruction fetch or a page-table walk is
 * the hardware-error exception (19) by default, or the access fault
 * (5 / 7 / 1) by option, with stval the faulting VA and the poisoned PA in
 * the stop; stores consume nothing; absent memory stays an access fault.
 * Also Svadu (hardware A/D updates). Everything goes through rasim.h, with
 * no kernel profile so the stop is the architectural one. Guest code and
 * page tables: guest/mmu.S, rv64_pt.h.
 */
#include "rv64_pt.h"
#include "test_util.h"

struct fixture {
    rasim_machine *m;
};

/* satp A in S-mode, or Bare when bare; no trap vectors: exceptions stop. */
static struct fixture setup(bool bare, enum rasim_ras_delivery delivery)
{
    struct fixture f;
    f.m = pt_machine(false);
    if (bare)
        guest_set(f.m, "satp", 0);
    ck_assert_int_eq(rasim_set_ras_delivery(f.m, delivery), 0);
    return f;
}

static void teardown(struct fixture *f)
{
    rasim_free(f->m);
}

#define GRANULE_BYTE 1
#define GRANULE_LINE 64

static void poison(struct fixture *f, uint64_t pa, unsigned granule)
{
    struct rasim_poison p = {
        .pa = pa, .len = 1, .granule = granule, .kind = RASIM_POISON_PERSISTENT};
    if (rasim_poison(f->m, &p) < 0)
        ck_abort_msg("%s", rasim_error(f->m));
}

static struct rasim_stop run_raw(struct fixture *f, uint64_t pc, uint64_t a0, uint64_t a1)
{
    struct rasim_stop stop;
    guest_set(f->m, "a0", a0);
    guest_set(f->m, "a1", a1);
    guest_set(f->m, "ra", GUEST_SENTINEL);
    guest_set(f->m, "sp", GUEST_STACK);
    guest_set(f->m, "pc", pc);
    rasim_set_return_sentinel(f->m, GUEST_SENTINEL);
    rasim_run(f->m, PT_BUDGET, &stop);
    return stop;
}

static struct rasim_stop run_fn(struct fixture *f, const char *fn, uint64_t a0, uint64_t a1)
{
    return run_raw(f, guest_sym(f->m, fn), a0, a1);
}

/* The run stopped on an exception with this cause, stval and poisoned PA. */
static void expect_stop(const struct rasim_stop *s, uint64_t cause, uint64_t tval, uint64_t pa)
{
    if (s->reason != RASIM_STOP_EXCEPTION)
        ck_abort_msg("no exception: stop %d at 0x%llx", s->reason, (unsigned long long)s->pc);
    ck_assert_uint_eq(s->syndrome, cause);
    ck_assert(s->fault_addr_valid);
    ck_assert_uint_eq(s->fault_addr, tval);
    ck_assert(s->fault_pa_valid);
    ck_assert_uint_eq(s->fault_pa, pa);
}

static uint64_t cause_for(enum rasim_ras_delivery d, uint64_t access_fault)
{
    return d == RASIM_RAS_HW_ERROR ? CAUSE_HW_ERROR : access_fault;
}

/* ---- data ------------------------------------------------------------- */

/* _i: 0 = hardware error, 1 = access fault. */
START_TEST(load_poison)
{
    enum rasim_ras_delivery d = (enum rasim_ras_delivery)_i;
    /* Bare: VA = PA. */
    struct fixture f = setup(true, d);
    poison(&f, PA_DATA(0) + 0x40, GRANULE_LINE);
    struct rasim_stop s = run_fn(&f, "mmu_ld", PA_DATA(0) + 0x48, 0);
    expect_stop(&s, cause_for(d, CAUSE_LOAD_ACCESS), PA_DATA(0) + 0x48, PA_DATA(0) + 0x48);
    ck_assert_uint_eq(s.exception_pc, guest_sym(f.m, "mmu_ld"));
    ck_assert_uint_eq(s.target_level, 1); /* delegated to S, as firmware does */
    /* A load across two lines, the second poisoned: stval names its piece. */
    s = run_fn(&f, "mmu_ld", PA_DATA(0) + 0x3c, 0);
    expect_stop(&s, cause_for(d, CAUSE_LOAD_ACCESS), PA_DATA(0) + 0x40, PA_DATA(0) + 0x40);
    /* The line before is clean. */
    s = run_fn(&f, "mmu_ld", PA_DATA(0) + 0x8, 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED);
    teardown(&f);

    /* Translated: stval is the VA, the stop keeps the PA. */
    f = setup(false, d);
    poison(&f, PA_DATA(0), GRANULE_LINE);
    s = run_fn(&f, "mmu_ld", VA_RW + 8, 0);
    expect_stop(&s, cause_for(d, CAUSE_LOAD_ACCESS), VA_RW + 8, PA_DATA(0) + 8);
    s = run_fn(&f, "mmu_lr", VA_RW + 16, 0);
    expect_stop(&s, cause_for(d, CAUSE_LOAD_ACCESS), VA_RW + 16, PA_DATA(0) + 16);
    /* An AMO's read part: an AMO's access fault is 7. */
    s = run_fn(&f, "mmu_amoadd", VA_RW + 24, 1);
    expect_stop(&s, cause_for(d, CAUSE_STORE_ACCESS), VA_RW + 24, PA_DATA(0) + 24);
    ck_assert_uint_eq(guest_read64(f.m, PA_DATA(0) + 24), 0); /* not written */
    /* Through a megapage, byte-granular poison: stval is the poisoned byte's VA. */
    poison(&f, PA_MEGA + 0x123459, GRANULE_BYTE);
    s = run_fn(&f, "mmu_ld", VA_MEGA + 0x123458, 0);
    expect_stop(&s, cause_for(d, CAUSE_LOAD_ACCESS), VA_MEGA + 0x123459, PA_MEGA + 0x123459);
    teardown(&f);
}
END_TEST

/* Stores never consume poison (ras/ decides what they do to it); absent
 * memory is an access fault whatever the RAS delivery. */
START_TEST(stores_and_absent_memory)
{
    struct fixture f = setup(false, RASIM_RAS_HW_ERROR);
    poison(&f, PA_DATA(0), GRANULE_LINE);
    struct rasim_stop s = run_fn(&f, "mmu_sd", VA_RW + 8, 0x5a);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(guest_read64(f.m, PA_DATA(0) + 8), 0x5a);
    s = run_fn(&f, "mmu_ld", VA_ABS, 0);
    expect_stop(&s, CAUSE_LOAD_ACCESS, VA_ABS, PA_ABSENT);
    s = run_fn(&f, "mmu_ld", VA_WALKABS, 0);
    expect_stop(&s, CAUSE_LOAD_ACCESS, VA_WALKABS, PA_ABSENT);
    s = run_raw(&f, VA_ABS, 0, 0);
    expect_stop(&s, CAUSE_FETCH_ACCESS, VA_ABS, PA_ABSENT);
    teardown(&f);
}
END_TEST

/* ---- fetch ------------------------------------------------------------ */

START_TEST(fetch_poison)
{
    enum rasim_ras_delivery d = (enum rasim_ras_delivery)_i;
    struct fixture f = setup(false, d);
    uint64_t off = guest_sym(f.m, "alias_ret42") - guest_sym(f.m, "alias_page");
    uint64_t pa = guest_sym(f.m, "alias_ret42");
    poison(&f, pa, GRANULE_LINE);
    struct rasim_stop s = run_fn(&f, "mmu_call", VA_CODE + off, 0);
    expect_stop(&s, cause_for(d, CAUSE_FETCH_ACCESS), VA_CODE + off, pa);
    ck_assert_uint_eq(s.exception_pc, VA_CODE + off);
    ck_assert(!s.insn_valid);
    /* The upper half of an instruction on a poisoned next page: stval names
     * that half, sepc the instruction. */
    uint64_t cross = guest_sym(f.m, "cross_page");
    poison(&f, cross + 0x1000, GRANULE_LINE);
    s = run_fn(&f, "mmu_call", VA_CROSS + 0xffc, 0);
    expect_stop(&s, cause_for(d, CAUSE_FETCH_ACCESS), VA_CROSS + 0x1000, cross + 0x1000);
    ck_assert_uint_eq(s.exception_pc, VA_CROSS + 0xffe);
    teardown(&f);
}
END_TEST

/* ---- page-table walks --------------------------------------------------- */

START_TEST(walk_poison)
{
    enum rasim_ras_delivery d = (enum rasim_ras_delivery)_i;
    struct fixture f = setup(false, d);
    /* The leaf PTEs of VA_RW .. VA_WNR share one line. */
    poison(&f, pt_slot_a(VA_RW), GRANULE_LINE);
    struct rasim_stop s = run_fn(&f, "mmu_ld", VA_RW + 0x10, 0);
    expect_stop(&s, cause_for(d, CAUSE_LOAD_ACCESS), VA_RW + 0x10, pt_slot_a(VA_RW));
    s = run_fn(&f, "mmu_sd", VA_RO + 0x18, 1);
    expect_stop(&s, cause_for(d, CAUSE_STORE_ACCESS), VA_RO + 0x18, pt_slot_a(VA_RO));
    s = run_fn(&f, "mmu_amoadd", VA_U, 1);
    expect_stop(&s, cause_for(d, CAUSE_STORE_ACCESS), VA_U, pt_slot_a(VA_U));
    /* A fetch whose walk reads a poisoned table (the root line of VA_CODE's
     * gigabyte is clean; its L1 entry is not). */
    uint64_t off = guest_sym(f.m, "alias_ret42") - guest_sym(f.m, "alias_page");
    poison(&f, pt_slot_a(VA_CODE), GRANULE_LINE);
    s = run_fn(&f, "mmu_call", VA_CODE + off, 0);
    expect_stop(&s, cause_for(d, CAUSE_FETCH_ACCESS), VA_CODE + off, pt_slot_a(VA_CODE));
    /* A level-1 entry (VA_MEGA's megapage leaf). */
    poison(&f, PT_L1_A, GRANULE_LINE);
    s = run_fn(&f, "mmu_ld", VA_MEGA, 0);
    expect_stop(&s, cause_for(d, CAUSE_LOAD_ACCESS), VA_MEGA, PT_L1_A + 8);
    teardown(&f);
}
END_TEST

/* Poison injected between runs moves the memory generation, so the next
 * run starts with an empty TLB and its walk consumes poison in a PTE that
 * an earlier run had cached. */
START_TEST(walk_poison_after_a_cached_walk)
{
    struct fixture f = setup(false, RASIM_RAS_HW_ERROR);
    struct rasim_stop s = run_fn(&f, "mmu_ld", VA_RW, 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED);
    poison(&f, pt_slot_a(VA_RW), GRANULE_LINE);
    s = run_fn(&f, "mmu_ld", VA_RW, 0);
    expect_stop(&s, CAUSE_HW_ERROR, VA_RW, pt_slot_a(VA_RW));
    teardown(&f);
}
END_TEST

/* The hardware error is delegated to S (medeleg bit 19) and taken by the
 * guest's handler, which sees scause 19 and stval. */
START_TEST(hardware_error_reaches_the_guest_handler)
{
    struct fixture f = setup(false, RASIM_RAS_HW_ERROR);
    guest_set(f.m, "stvec", guest_sym(f.m, "mmu_s_handler"));
    poison(&f, PA_DATA(3), GRANULE_LINE);
    pt_rec_clear(f.m);
    struct rasim_stop s = run_fn(&f, "mmu_ld", VA_RW + 8, 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED); /* clean line */
    s = run_fn(&f, "mmu_ld", VA_GIGA + (PA_DATA(3) - PT_RAM) + 0x20, 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED);
    struct pt_rec r = pt_rec(f.m, "s_rec");
    ck_assert_uint_eq(r.count, 1);
    ck_assert_uint_eq(r.cause, CAUSE_HW_ERROR);
    ck_assert_uint_eq(r.tval, VA_GIGA + (PA_DATA(3) - PT_RAM) + 0x20);
    ck_assert_uint_eq(r.epc, guest_sym(f.m, "mmu_ld"));
    teardown(&f);
}
END_TEST

/* A store to poison under the async store policy goes through and raises
 * the supervisor external interrupt (RISC-V has no architected
 * asynchronous memory-error exception; a platform signals it through its
 * interrupt controller): pending while S-mode interrupts are off, taken at
 * the next boundary when they are on. */
START_TEST(async_store_error_is_the_external_interrupt)
{
    struct fixture f = setup(false, RASIM_RAS_HW_ERROR);
    const uint64_t seip = 1ull << 9, sstatus_sie = 1ull << 1;
    rasim_set_store_policy(f.m, RASIM_STORE_ASYNC);
    poison(&f, PA_DATA(3), GRANULE_LINE);
    const uint64_t va = VA_GIGA + (PA_DATA(3) - PT_RAM) + 0x20;
    struct rasim_stop s = run_fn(&f, "mmu_sd", va, 0x77);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(guest_reg(f.m, "mip") & seip, seip); /* pending */
    ck_assert_uint_eq(guest_read64(f.m, PA_DATA(3) + 0x20), 0x77);
    ck_assert_uint_eq(rasim_error_log_count(f.m), 1);

    /* Delegated to S and enabled: taken before the instruction after the
     * store, which is where sepc points. */
    guest_set(f.m, "mip", 0);
    guest_set(f.m, "mideleg", seip);
    guest_set(f.m, "mie", seip);
    guest_set(f.m, "sstatus", sstatus_sie);
    guest_set(f.m, "stvec", guest_sym(f.m, "mmu_s_handler"));
    pt_rec_clear(f.m);
    s = run_fn(&f, "mmu_sd", va, 0x78);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED);
    struct pt_rec r = pt_rec(f.m, "s_rec");
    ck_assert_uint_eq(r.count, 1);
    ck_assert_uint_eq(r.cause, (1ull << 63) | 9);
    struct rasim_insn_text sd;
    ck_assert_int_eq(rasim_disasm(f.m, guest_sym(f.m, "mmu_sd"), &sd), 0);
    ck_assert_uint_eq(r.epc, guest_sym(f.m, "mmu_sd") + sd.size); /* after the (c.)sd */
    teardown(&f);
}
END_TEST

/* ---- Svadu ---------------------------------------------------------------- */

static void expect_page_fault(const struct rasim_stop *s, uint64_t cause, uint64_t tval)
{
    ck_assert_int_eq(s->reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(s->syndrome, cause);
    ck_assert_uint_eq(s->fault_addr, tval);
    ck_assert(!s->fault_pa_valid);
}

/* M-mode: write menvcfg through the CSR instruction; the value read back. */
static uint64_t write_menvcfg(struct fixture *f, uint64_t value)
{
    guest_set(f->m, "priv", 3);
    struct rasim_stop s = run_fn(f, "mmu_csrw_menvcfg", value, 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED);
    guest_set(f->m, "priv", 1);
    return guest_reg(f->m, "a0");
}

START_TEST(svadu_updates_a_and_d)
{
    struct fixture f = setup(false, RASIM_RAS_HW_ERROR);
    rasim_machine *m = f.m;
    const uint64_t noa = pt_pte(PA_DATA(4), PTE_V | PTE_R | PTE_W);
    const uint64_t env = MENVCFG_PBMTE | MENVCFG_CBO;
    /* Svade (the default): a page fault, the PTE untouched, ADUE read-only 0. */
    struct rasim_stop s = run_fn(&f, "mmu_ld", VA_NOA, 0);
    expect_page_fault(&s, CAUSE_LOAD_PF, VA_NOA);
    ck_assert_uint_eq(guest_read64(m, pt_slot_a(VA_NOA)), noa);
    ck_assert_uint_eq(write_menvcfg(&f, env | MENVCFG_ADUE), env);

    /* Svadu: ADUE set, and writable. */
    ck_assert_int_eq(rasim_set_svadu(m, true), 0);
    ck_assert_uint_eq(guest_reg(m, "menvcfg"), env | MENVCFG_ADUE);
    ck_assert_uint_eq(write_menvcfg(&f, env), env);
    ck_assert_uint_eq(write_menvcfg(&f, env | MENVCFG_ADUE), env | MENVCFG_ADUE);
    /* A load sets A only; the store after it must still walk to set D. */
    s = run_fn(&f, "mmu_ld", VA_NOA, 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(guest_reg(m, "a0"), DATA_VALUE(4));
    ck_assert_uint_eq(guest_read64(m, pt_slot_a(VA_NOA)), noa | PTE_A);
    s = run_fn(&f, "mmu_sd", VA_NOA + 8, 0xad);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(guest_read64(m, pt_slot_a(VA_NOA)), noa | PTE_A | PTE_D);
    ck_assert_uint_eq(guest_read64(m, PA_DATA(4) + 8), 0xad);
    /* An AMO on a clean page sets D; so does cbo.zero. */
    s = run_fn(&f, "mmu_amoadd", VA_NOD + 8, 3);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(guest_read64(m, pt_slot_a(VA_NOD)) & (PTE_A | PTE_D), PTE_A | PTE_D);
    /* A fetch sets A. */
    uint64_t off = guest_sym(m, "alias_ret42") - guest_sym(m, "alias_page");
    pt_map_a(m, VA_CODE, guest_sym(m, "alias_page"), PTE_V | PTE_R | PTE_X);
    s = run_fn(&f, "mmu_fence_va_call", VA_CODE + off, VA_CODE);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(guest_reg(m, "a0"), 42);
    ck_assert_uint_eq(guest_read64(m, pt_slot_a(VA_CODE)) & (PTE_A | PTE_D), PTE_A);

    /* ADUE = 0 from the guest: Svade again. */
    write_menvcfg(&f, env);
    s = run_fn(&f, "mmu_ld", VA_NOA2, 0);
    expect_page_fault(&s, CAUSE_LOAD_PF, VA_NOA2);
    write_menvcfg(&f, env | MENVCFG_ADUE);
    s = run_fn(&f, "mmu_ld", VA_NOA2, 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED);
    /* Svadu off: ADUE cleared and read-only. */
    ck_assert_int_eq(rasim_set_svadu(m, false), 0);
    ck_assert_uint_eq(guest_reg(m, "menvcfg"), env);
    ck_assert_uint_eq(write_menvcfg(&f, env | MENVCFG_ADUE), env);
    s = run_fn(&f, "mmu_sd", VA_NOD + 0x100, 1);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED); /* D already set above */
    pt_map_a(m, VA_NOD, PA_DATA(5), PTE_V | PTE_R | PTE_W | PTE_A);
    s = run_fn(&f, "mmu_fence_all_ld", VA_RW, 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED);
    s = run_fn(&f, "mmu_sd", VA_NOD + 0x100, 1);
    expect_page_fault(&s, CAUSE_STORE_PF, VA_NOD + 0x100);
    /* Reset keeps the configuration: ADUE comes back with Svadu on. */
    ck_assert_int_eq(rasim_set_svadu(m, true), 0);
    rasim_reset_cpu(m);
    ck_assert_uint_eq(guest_reg(m, "menvcfg"), MENVCFG_PBMTE | MENVCFG_ADUE);
    teardown(&f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rv64_ras");
    TCase *tc = tcase_create("ras");
    tcase_add_loop_test(tc, load_poison, 0, 2);
    tcase_add_test(tc, stores_and_absent_memory);
    tcase_add_loop_test(tc, fetch_poison, 0, 2);
    tcase_add_loop_test(tc, walk_poison, 0, 2);
    tcase_add_test(tc, walk_poison_after_a_cached_walk);
    tcase_add_test(tc, hardware_error_reaches_the_guest_handler);
    tcase_add_test(tc, async_store_error_is_the_external_interrupt);
    suite_add_tcase(s, tc);
    tc = tcase_create("svadu");
    tcase_add_test(tc, svadu_updates_a_and_d);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
