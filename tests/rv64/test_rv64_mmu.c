/*
 * test_rv64_mmu.c - the interpreter with Sv39/Sv48 translation on: guest
 * code (guest/mmu.S) running over page tables the test builds in guest
 * memory (rv64_pt.h), through the public API only.
 *
 * Loads, stores, AMOs, LR/SC, CBOs and fetch through 4 KiB pages,
 * megapages, a gigapage and Svnapot ranges; every page-fault and
 * access-fault cause with its stval; SUM, MXR, MPRV, Svade; the TLB's
 * staleness until the right sfence.vma; and the host-pointer caches
 * following satp, SUM, MXR, MPP and mode changes. Faults are taken by the
 * guest's recording handlers (s_rec, m_rec), which return to the caller.
 */
#include "rv64_pt.h"
#include "test_util.h"

static uint64_t sym(rasim_machine *m, const char *name)
{
    return guest_sym(m, name);
}

/* Offset of a symbol in alias_page (mapped at VA_CODE and VA_UCODE). */
static uint64_t alias_off(rasim_machine *m, const char *name)
{
    return sym(m, name) - sym(m, "alias_page");
}

/* Call fn(a0, a1, a2) in the current mode; it must come back (directly or
 * through a handler). Returns a0. */
static uint64_t call(rasim_machine *m, const char *fn, uint64_t a0, uint64_t a1, uint64_t a2)
{
    pt_rec_clear(m);
    struct rasim_stop stop = pt_go(m, sym(m, fn), a0, a1, a2);
    if (stop.reason != RASIM_STOP_RETURNED)
        ck_abort_msg("%s(0x%llx): stopped (%s) at 0x%llx, cause %llu, tval 0x%llx", fn,
                     (unsigned long long)a0, rasim_stop_reason_name(stop.reason),
                     (unsigned long long)stop.pc, (unsigned long long)stop.syndrome,
                     (unsigned long long)stop.fault_addr);
    return guest_reg(m, "a0");
}

/* fn(a0, a1, a2) must run without a trap. */
static uint64_t call_ok(rasim_machine *m, const char *fn, uint64_t a0, uint64_t a1, uint64_t a2)
{
    uint64_t r = call(m, fn, a0, a1, a2);
    struct pt_rec s = pt_rec(m, "s_rec"), mr = pt_rec(m, "m_rec");
    if (s.count || mr.count)
        ck_abort_msg("%s(0x%llx): trapped, cause %llu tval 0x%llx", fn, (unsigned long long)a0,
                     (unsigned long long)(s.count ? s.cause : mr.cause),
                     (unsigned long long)(s.count ? s.tval : mr.tval));
    return r;
}

/* fn(a0, a1) must take exactly one trap to S with this cause and stval. */
static struct pt_rec call_fault(rasim_machine *m, const char *fn, uint64_t a0, uint64_t a1,
                                uint64_t cause, uint64_t tval)
{
    call(m, fn, a0, a1, 0);
    struct pt_rec r = pt_rec(m, "s_rec");
    if (r.count != 1 || r.cause != cause || r.tval != tval)
        ck_abort_msg("%s(0x%llx): %llu traps, cause %llu tval 0x%llx; expected cause %llu tval "
                     "0x%llx",
                     fn, (unsigned long long)a0, (unsigned long long)r.count,
                     (unsigned long long)r.cause, (unsigned long long)r.tval,
                     (unsigned long long)cause, (unsigned long long)tval);
    return r;
}

/* Run from pc (a VA) with a0; one trap to S with this cause, stval, sepc. */
static void run_fault_at(rasim_machine *m, uint64_t pc, uint64_t a0, uint64_t cause, uint64_t tval,
                         uint64_t epc)
{
    pt_rec_clear(m);
    struct rasim_stop stop = pt_go(m, pc, a0, 0, 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    struct pt_rec r = pt_rec(m, "s_rec");
    ck_assert_uint_eq(r.count, 1);
    ck_assert_uint_eq(r.cause, cause);
    ck_assert_uint_eq(r.tval, tval);
    ck_assert_uint_eq(r.epc, epc);
}

static void set_status(rasim_machine *m, uint64_t set, uint64_t clear)
{
    uint64_t s = guest_reg(m, "mstatus");
    guest_set(m, "mstatus", (s & ~clear) | set);
}

/* ---- translation of each kind of access ---------------------------------- */

START_TEST(sv39_loads_and_stores_by_page_size)
{
    rasim_machine *m = pt_machine(true);
    /* 4 KiB */
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_RW, 0, 0), DATA_VALUE(0));
    ck_assert_uint_eq(call_ok(m, "mmu_lw", VA_RO, 0, 0), (uint64_t)(int64_t)(int32_t)1);
    call_ok(m, "mmu_sd", VA_RW + 8, 0x5eed, 0);
    ck_assert_uint_eq(guest_read64(m, PA_DATA(0) + 8), 0x5eed);
    /* megapage, gigapage, Svnapot 64 KiB */
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_MEGA + 0x123458, 0, 0), 0x3e6a);
    call_ok(m, "mmu_sd", VA_MEGA + 0x1ffff8, 0x6e6a, 0);
    ck_assert_uint_eq(guest_read64(m, PA_MEGA + 0x1ffff8), 0x6e6a);
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_GIGA + (PA_DATA(5) - PT_RAM), 0, 0), DATA_VALUE(5));
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_NAPOT + 0x5008, 0, 0), 0x4a907);
    call_ok(m, "mmu_sd", VA_NAPOT + 0xf000, 0xa907, 0);
    ck_assert_uint_eq(guest_read64(m, PA_NAPOT + 0xf000), 0xa907);
    /* AMO, LR/SC, cbo.zero */
    ck_assert_uint_eq(call_ok(m, "mmu_amoadd", VA_RW + 16, 5, 0), 0);
    ck_assert_uint_eq(call_ok(m, "mmu_amoadd", VA_RW + 16, 5, 0), 5);
    ck_assert_uint_eq(guest_read64(m, PA_DATA(0) + 16), 10);
    ck_assert_uint_eq(call_ok(m, "mmu_lr_sc", VA_RW + 16, 77, 0), 10);
    ck_assert_uint_eq(guest_reg(m, "a1"), 0); /* stored */
    ck_assert_uint_eq(guest_read64(m, PA_DATA(0) + 16), 77);
    guest_write64(m, PA_DATA(0) + 0x40, ~0ull);
    call_ok(m, "mmu_cbo_zero", VA_RW + 0x48, 0, 0);
    ck_assert_uint_eq(guest_read64(m, PA_DATA(0) + 0x40), 0);
    call_ok(m, "mmu_cbo_clean", VA_RO + 0x48, 0, 0);
    /* Svpbmt: an IO page is usable (PBMTE = 1) */
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_PBMT, 0, 0), DATA_VALUE(20));
    rasim_free(m);
}
END_TEST

/* The reservation is by physical address: a store through another
 * mapping of the same bytes breaks it. */
START_TEST(lr_sc_reserve_physical_bytes)
{
    rasim_machine *m = pt_machine(true);
    /* VA_GIGA + off and VA_RW both reach PA_DATA(0). */
    uint64_t alias = VA_GIGA + (PA_DATA(0) - PT_RAM);
    ck_assert_uint_eq(call_ok(m, "mmu_lr", VA_RW + 24, 0, 0), 0);
    call_ok(m, "mmu_sc", alias + 24, 9, 0);
    ck_assert_uint_eq(guest_reg(m, "a0"), 0); /* the alias holds the reservation */
    ck_assert_uint_eq(guest_read64(m, PA_DATA(0) + 24), 9);
    rasim_free(m);
}
END_TEST

START_TEST(fetch_through_each_page_size)
{
    rasim_machine *m = pt_machine(true);
    uint64_t off = alias_off(m, "alias_ret42");
    uint64_t ram_off = sym(m, "alias_ret42") - PT_RAM;
    ck_assert_uint_eq(call_ok(m, "mmu_call", VA_CODE + off, 0, 0), 42); /* 4 KiB */
    ck_assert_uint_eq(call_ok(m, "mmu_call", VA_MEGA_X + ram_off, 0, 0), 42);
    ck_assert_uint_eq(call_ok(m, "mmu_call", VA_NAPOT_X + ram_off, 0, 0), 42);
    ck_assert_uint_eq(call_ok(m, "mmu_call", VA_GIGA + ram_off, 0, 0), 42);
    /* A whole function run from the gigapage mapping. */
    pt_rec_clear(m);
    struct rasim_stop stop = pt_go(m, VA_GIGA + (sym(m, "mmu_ld") - PT_RAM), VA_RO, 0, 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(guest_reg(m, "a0"), DATA_VALUE(1));
    rasim_free(m);
}
END_TEST

START_TEST(sv48_four_levels)
{
    rasim_machine *m = pt_machine(true);
    /* Not canonical for Sv39 (bits 63:39 must copy bit 38). */
    call_fault(m, "mmu_ld", VA_SV48, 0, CAUSE_LOAD_PF, VA_SV48);
    guest_set(m, "satp", satp_48());
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_SV48, 0, 0), DATA_VALUE(19));
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_RW, 0, 0), DATA_VALUE(0));
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_MEGA + 0x123458, 0, 0), 0x3e6a);
    call_ok(m, "mmu_sd", VA_SV48 + 8, 0x48, 0);
    ck_assert_uint_eq(guest_read64(m, PA_DATA(19) + 8), 0x48);
    ck_assert_uint_eq(call_ok(m, "mmu_call", VA_CODE + alias_off(m, "alias_ret42"), 0, 0), 42);
    /* Sv48 canonical check: bit 47 copied up */
    call_fault(m, "mmu_ld", 1ull << 47, 0, CAUSE_LOAD_PF, 1ull << 47);
    rasim_free(m);
}
END_TEST

/* A 32-bit instruction whose halves lie on two VA pages: the upper half
 * is translated on its own (here to a page that is not the next physical
 * one), and a fault there names that half with sepc at the start. */
START_TEST(fetch_crossing_a_page)
{
    rasim_machine *m = pt_machine(true);
    uint64_t fn = VA_CROSS + 0xffc, second = VA_CROSS + 0x1000;
    ck_assert_uint_eq(call_ok(m, "mmu_call", fn, 0, 0), fn + 1);
    pt_map_a(m, second, sym(m, "cross_page_alt"), PTE_RXA);
    ck_assert_uint_eq(call_ok(m, "mmu_fence_va_call", fn, second, 0), fn + 2);
    pt_map_a(m, second, sym(m, "cross_page_alt"), PTE_RXA & ~PTE_V);
    struct pt_rec r = call_fault(m, "mmu_fence_va_call", fn, second, CAUSE_FETCH_PF, second);
    ck_assert_uint_eq(r.epc, fn + 2);
    pt_map_a(m, second, sym(m, "cross_page_alt"), PTE_V | PTE_R | PTE_A); /* no X */
    r = call_fault(m, "mmu_fence_va_call", fn, second, CAUSE_FETCH_PF, second);
    ck_assert_uint_eq(r.epc, fn + 2);
    rasim_free(m);
}
END_TEST

/* Misaligned loads and stores across two VA pages: each page translates,
 * the first fault wins with stval in the piece that faulted, and nothing
 * is written when any piece faults. */
START_TEST(data_crossing_a_page)
{
    rasim_machine *m = pt_machine(true);
    uint32_t lo = 0x44332211, hi = 0x88776655;
    ck_assert_int_eq(rasim_write_phys(m, PA_DATA(13) + 0xffc, &lo, 4), 0);
    ck_assert_int_eq(rasim_write_phys(m, PA_DATA(12), &hi, 4), 0);
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_SPLIT + 0xffc, 0, 0), 0x8877665544332211ull);
    call_ok(m, "mmu_sd", VA_SPLIT + 0xffa, 0x0807060504030201ull, 0);
    uint8_t b[8];
    ck_assert_int_eq(rasim_read_phys(m, PA_DATA(13) + 0xffa, b, 6), 0);
    ck_assert_int_eq(rasim_read_phys(m, PA_DATA(12), b + 6, 2), 0);
    for (unsigned i = 0; i < 8; i++)
        ck_assert_uint_eq(b[i], i + 1);
    call_fault(m, "mmu_ld", VA_HALFINV + 0xffc, 0, CAUSE_LOAD_PF, VA_HALFINV + 0x1000);
    uint64_t before = guest_read64(m, PA_DATA(15) + 0xff8);
    call_fault(m, "mmu_sd", VA_HALFRO + 0xffc, ~0ull, CAUSE_STORE_PF, VA_HALFRO + 0x1000);
    ck_assert_uint_eq(guest_read64(m, PA_DATA(15) + 0xff8), before);
    ck_assert_uint_eq(guest_read64(m, PA_DATA(16)), DATA_VALUE(16));
    /* Both pages translate, the second to absent memory: an access fault
     * naming the second piece, and the first page left as it was. */
    before = guest_read64(m, PA_DATA(10) + 0xff8);
    call_fault(m, "mmu_sd", VA_GLOB + 0xffc, ~0ull, CAUSE_STORE_ACCESS, VA_ABS);
    ck_assert_uint_eq(guest_read64(m, PA_DATA(10) + 0xff8), before);
    call_fault(m, "mmu_ld", VA_GLOB + 0xffa, 0, CAUSE_LOAD_ACCESS, VA_ABS);
    rasim_free(m);
}
END_TEST

/* ---- faults ------------------------------------------------------------- */

struct fault_case {
    const char *fn;
    uint64_t a0, a1;
    uint64_t cause, tval;
};

START_TEST(page_and_access_faults)
{
    static const struct fault_case cases[] = {
        {"mmu_ld", VA_INV + 0x10, 0, CAUSE_LOAD_PF, VA_INV + 0x10},
        {"mmu_sd", VA_INV + 0x18, 1, CAUSE_STORE_PF, VA_INV + 0x18},
        {"mmu_sd", VA_RO + 8, 1, CAUSE_STORE_PF, VA_RO + 8},
        {"mmu_ld", VA_WNR, 0, CAUSE_LOAD_PF, VA_WNR},
        {"mmu_ld", VA_MISAL + 0x20, 0, CAUSE_LOAD_PF, VA_MISAL + 0x20},
        {"mmu_ld", 0x4000000000ull, 0, CAUSE_LOAD_PF, 0x4000000000ull}, /* bit 38 alone */
        {"mmu_ld", VA_XO, 0, CAUSE_LOAD_PF, VA_XO},
        /* AMOs, SC and cbo.zero fault as stores; LR as a load */
        {"mmu_amoadd", VA_RO, 1, CAUSE_STORE_PF, VA_RO},
        {"mmu_amoadd", VA_INV, 1, CAUSE_STORE_PF, VA_INV},
        {"mmu_amoadd", VA_U, 1, CAUSE_STORE_PF, VA_U},
        {"mmu_lr", VA_INV + 8, 0, CAUSE_LOAD_PF, VA_INV + 8},
        {"mmu_lr_sc", VA_RO + 8, 1, CAUSE_STORE_PF, VA_RO + 8},
        {"mmu_cbo_zero", VA_RO + 0x48, 0, CAUSE_STORE_PF, VA_RO + 0x48},
        /* a management CBO: store page fault, stval = rs1 */
        {"mmu_cbo_clean", VA_INV + 0x48, 0, CAUSE_STORE_PF, VA_INV + 0x48},
        {"mmu_cbo_clean", VA_U + 0x48, 0, CAUSE_STORE_PF, VA_U + 0x48},
        /* access faults: the leaf, or a table, in absent memory */
        {"mmu_ld", VA_ABS + 0x20, 0, CAUSE_LOAD_ACCESS, VA_ABS + 0x20},
        {"mmu_sd", VA_ABS + 0x28, 1, CAUSE_STORE_ACCESS, VA_ABS + 0x28},
        {"mmu_amoadd", VA_ABS, 1, CAUSE_STORE_ACCESS, VA_ABS},
        {"mmu_ld", VA_WALKABS + 0x30, 0, CAUSE_LOAD_ACCESS, VA_WALKABS + 0x30},
        {"mmu_sd", VA_WALKABS + 0x38, 1, CAUSE_STORE_ACCESS, VA_WALKABS + 0x38},
        {"mmu_cbo_zero", VA_WALKABS + 0x48, 0, CAUSE_STORE_ACCESS, VA_WALKABS + 0x48},
    };
    rasim_machine *m = pt_machine(true);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct fault_case *c = &cases[i];
        struct pt_rec r = call_fault(m, c->fn, c->a0, c->a1, c->cause, c->tval);
        ck_assert_uint_eq(r.epc, sym(m, c->fn) + (strcmp(c->fn, "mmu_lr_sc") ? 0 : 4));
    }
    /* Nothing was written by the stores that faulted. */
    ck_assert_uint_eq(guest_read64(m, PA_DATA(1)), DATA_VALUE(1));
    ck_assert_uint_eq(guest_read64(m, PA_DATA(1) + 8), 0);
    ck_assert_uint_eq(guest_read64(m, PA_DATA(6) + 0x18), 0);
    /* Instruction fetch: page faults and access faults, stval = sepc = pc. */
    run_fault_at(m, VA_RW, 0, CAUSE_FETCH_PF, VA_RW, VA_RW);
    run_fault_at(m, VA_INV + 4, 0, CAUSE_FETCH_PF, VA_INV + 4, VA_INV + 4);
    run_fault_at(m, VA_ABS, 0, CAUSE_FETCH_ACCESS, VA_ABS, VA_ABS);
    run_fault_at(m, VA_WALKABS, 0, CAUSE_FETCH_ACCESS, VA_WALKABS, VA_WALKABS);
    /* Svpbmt off (menvcfg.PBMTE = 0): PBMT bits are reserved. */
    guest_set(m, "menvcfg", MENVCFG_CBO);
    call_fault(m, "mmu_ld", VA_PBMT, 0, CAUSE_LOAD_PF, VA_PBMT);
    rasim_free(m);
}
END_TEST

/* ---- SUM, MXR, U-mode, MPRV --------------------------------------------- */

START_TEST(sum_from_s_mode)
{
    rasim_machine *m = pt_machine(true);
    call_fault(m, "mmu_ld", VA_U + 8, 0, CAUSE_LOAD_PF, VA_U + 8);
    call_fault(m, "mmu_sd", VA_U + 8, 1, CAUSE_STORE_PF, VA_U + 8);
    set_status(m, MSTATUS_SUM, 0);
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_U, 0, 0), DATA_VALUE(3));
    call_ok(m, "mmu_sd", VA_U + 8, 0x5a, 0);
    ck_assert_uint_eq(guest_read64(m, PA_DATA(3) + 8), 0x5a);
    /* S-mode never executes a U page, SUM or not. */
    uint64_t fn = VA_UCODE + alias_off(m, "alias_ret42");
    struct pt_rec r = call_fault(m, "mmu_call", fn, 0, CAUSE_FETCH_PF, fn);
    ck_assert_uint_eq(r.epc, fn);
    rasim_free(m);
}
END_TEST

START_TEST(user_mode_pages)
{
    rasim_machine *m = pt_machine(true);
    uint64_t ld = VA_UCODE + alias_off(m, "alias_ld");
    guest_set(m, "priv", 0);
    pt_rec_clear(m);
    ck_assert_int_eq(pt_go(m, ld, VA_U, 0, 0).reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(guest_reg(m, "a0"), DATA_VALUE(3));
    ck_assert_uint_eq(pt_rec(m, "s_rec").count, 0);
    /* U-mode cannot touch S pages (trap to S, medeleg) nor run S code. */
    guest_set(m, "priv", 0);
    run_fault_at(m, ld, VA_RW, CAUSE_LOAD_PF, VA_RW, ld);
    guest_set(m, "priv", 0);
    uint64_t s_code = VA_CODE + alias_off(m, "alias_ld");
    run_fault_at(m, s_code, VA_U, CAUSE_FETCH_PF, s_code, s_code);
    rasim_free(m);
}
END_TEST

START_TEST(mxr_makes_execute_only_readable)
{
    rasim_machine *m = pt_machine(true);
    call_fault(m, "mmu_ld", VA_XO, 0, CAUSE_LOAD_PF, VA_XO);
    set_status(m, MSTATUS_MXR, 0);
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_XO, 0, 0), DATA_VALUE(2));
    call_fault(m, "mmu_sd", VA_XO, 1, CAUSE_STORE_PF, VA_XO); /* loads only */
    rasim_free(m);
}
END_TEST

/* M-mode with MPRV: loads and stores use MPP's privilege and translation;
 * fetch stays flat (the code runs at its physical address). */
START_TEST(mprv_translates_m_mode_data)
{
    rasim_machine *m = pt_machine(true);
    guest_set(m, "priv", 3);
    set_status(m, MSTATUS_MPRV | MSTATUS_MPP_S, MSTATUS_MPP_M);
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_RW, 0, 0), DATA_VALUE(0));
    call_ok(m, "mmu_sd", VA_RW + 0x30, 0x3333, 0);
    ck_assert_uint_eq(guest_read64(m, PA_DATA(0) + 0x30), 0x3333);
    /* MPP = S obeys SUM */
    call(m, "mmu_ld", VA_U, 0, 0);
    struct pt_rec r = pt_rec(m, "m_rec");
    ck_assert_uint_eq(r.count, 1);
    ck_assert_uint_eq(r.cause, CAUSE_LOAD_PF);
    ck_assert_uint_eq(r.tval, VA_U);
    /* The handler's trap entry set MPP = M: put S back for the next run. */
    set_status(m, MSTATUS_MPRV | MSTATUS_MPP_S, MSTATUS_MPP_M);
    set_status(m, MSTATUS_SUM, 0);
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_U, 0, 0), DATA_VALUE(3));
    /* MPP = U: S pages fault, U pages work */
    set_status(m, MSTATUS_MPRV, MSTATUS_MPP_M);
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_U, 0, 0), DATA_VALUE(3));
    set_status(m, MSTATUS_MPRV, MSTATUS_MPP_M);
    call(m, "mmu_ld", VA_RW, 0, 0);
    r = pt_rec(m, "m_rec");
    ck_assert_uint_eq(r.count, 1);
    ck_assert_uint_eq(r.cause, CAUSE_LOAD_PF);
    /* MPRV = 0: flat, VA_RW is absent physical memory */
    set_status(m, 0, MSTATUS_MPRV);
    call(m, "mmu_ld", VA_RW, 0, 0);
    r = pt_rec(m, "m_rec");
    ck_assert_uint_eq(r.count, 1);
    ck_assert_uint_eq(r.cause, CAUSE_LOAD_ACCESS);
    ck_assert_uint_eq(r.tval, VA_RW);
    ck_assert_uint_eq(call_ok(m, "mmu_ld", PA_DATA(4), 0, 0), DATA_VALUE(4));
    rasim_free(m);
}
END_TEST

/* Svade (the default): A = 0, or D = 0 for a store, is a page fault and
 * the PTE is left alone. */
START_TEST(svade_faults_on_a_and_d)
{
    rasim_machine *m = pt_machine(true);
    call_fault(m, "mmu_ld", VA_NOA, 0, CAUSE_LOAD_PF, VA_NOA);
    call_fault(m, "mmu_sd", VA_NOA, 1, CAUSE_STORE_PF, VA_NOA);
    call_fault(m, "mmu_cbo_clean", VA_NOA, 0, CAUSE_STORE_PF, VA_NOA);
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_NOD, 0, 0), DATA_VALUE(5));
    call_fault(m, "mmu_sd", VA_NOD + 8, 1, CAUSE_STORE_PF, VA_NOD + 8);
    call_fault(m, "mmu_amoadd", VA_NOD + 8, 1, CAUSE_STORE_PF, VA_NOD + 8);
    ck_assert_uint_eq(guest_read64(m, PA_DATA(5) + 8), 0);
    ck_assert_uint_eq(guest_read64(m, pt_slot_a(VA_NOA)),
                      pt_pte(PA_DATA(4), PTE_V | PTE_R | PTE_W));
    ck_assert_uint_eq(guest_read64(m, pt_slot_a(VA_NOD)),
                      pt_pte(PA_DATA(5), PTE_V | PTE_R | PTE_W | PTE_A));
    rasim_free(m);
}
END_TEST

/* A page fault taken by the guest's stvec handler, which sets A (or D)
 * as Linux's software A/D handling does, fences and SRETs back to retry. */
START_TEST(trap_handler_fixes_and_retries)
{
    rasim_machine *m = pt_machine(true);
    uint64_t fix[2] = {pt_slot_a(VA_NOA2), PTE_A};
    ck_assert_int_eq(rasim_write_phys(m, sym(m, "fix_pte"), fix, sizeof(fix)), 0);
    ck_assert_uint_eq(call(m, "mmu_ld", VA_NOA2 + 8, 0, 0), 0);
    struct pt_rec r = pt_rec(m, "s_rec");
    ck_assert_uint_eq(r.count, 1);
    ck_assert_uint_eq(r.cause, CAUSE_LOAD_PF);
    ck_assert_uint_eq(r.tval, VA_NOA2 + 8);
    ck_assert_uint_eq(r.epc, sym(m, "mmu_ld"));
    ck_assert_uint_eq(guest_read64(m, sym(m, "fix_pte")), 0); /* the handler ran its fix */
    ck_assert_uint_eq(guest_read64(m, pt_slot_a(VA_NOA2)),
                      pt_pte(PA_DATA(17), PTE_V | PTE_R | PTE_W | PTE_D | PTE_A));
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_NOA2, 0, 0), DATA_VALUE(17));
    /* and a store to a clean page: D */
    fix[0] = pt_slot_a(VA_NOD);
    fix[1] = PTE_D;
    ck_assert_int_eq(rasim_write_phys(m, sym(m, "fix_pte"), fix, sizeof(fix)), 0);
    call(m, "mmu_sd", VA_NOD + 0x10, 0xd1d, 0);
    r = pt_rec(m, "s_rec");
    ck_assert_uint_eq(r.count, 1);
    ck_assert_uint_eq(r.cause, CAUSE_STORE_PF);
    ck_assert_uint_eq(guest_read64(m, PA_DATA(5) + 0x10), 0xd1d);
    rasim_free(m);
}
END_TEST

/* ---- the TLB: stale until the right sfence.vma ------------------------- */

START_TEST(stale_translation_until_sfence)
{
    rasim_machine *m = pt_machine(true);
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_STALE, 0, 0), DATA_VALUE(8));
    pt_map_a(m, VA_STALE, PA_DATA(9), PTE_RWAD); /* no fence */
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_STALE, 0, 0), DATA_VALUE(8));
    call_ok(m, "mmu_sd", VA_STALE + 8, 0x01d, 0); /* the store goes the old way too */
    ck_assert_uint_eq(guest_read64(m, PA_DATA(8) + 8), 0x01d);
    ck_assert_uint_eq(call_ok(m, "mmu_fence_va_ld", VA_STALE, VA_RW, 0), DATA_VALUE(8));
    ck_assert_uint_eq(call_ok(m, "mmu_fence_asid_ld", VA_STALE, 0, ASID_B), DATA_VALUE(8));
    ck_assert_uint_eq(call_ok(m, "mmu_fence_va_asid_ld", VA_STALE, VA_STALE, ASID_B),
                      DATA_VALUE(8));
    /* any byte of the page names it */
    ck_assert_uint_eq(call_ok(m, "mmu_fence_va_ld", VA_STALE, VA_STALE + 0x800, 0), DATA_VALUE(9));
    pt_map_a(m, VA_STALE, PA_DATA(8), PTE_RWAD);
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_STALE, 0, 0), DATA_VALUE(9));
    ck_assert_uint_eq(call_ok(m, "mmu_fence_asid_ld", VA_STALE, 0, ASID_A), DATA_VALUE(8));
    pt_map_a(m, VA_STALE, PA_DATA(9), PTE_RWAD);
    ck_assert_uint_eq(call_ok(m, "mmu_fence_va_asid_ld", VA_STALE, VA_STALE, ASID_A),
                      DATA_VALUE(9));
    pt_map_a(m, VA_STALE, PA_DATA(8), PTE_RWAD);
    ck_assert_uint_eq(call_ok(m, "mmu_fence_all_ld", VA_STALE, 0, 0), DATA_VALUE(8));
    /* A global entry survives the ASID-scoped fences. */
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_GLOB, 0, 0), DATA_VALUE(10));
    pt_map_a(m, VA_GLOB, PA_DATA(11), PTE_RWAD | PTE_G);
    ck_assert_uint_eq(call_ok(m, "mmu_fence_asid_ld", VA_GLOB, 0, ASID_A), DATA_VALUE(10));
    ck_assert_uint_eq(call_ok(m, "mmu_fence_va_asid_ld", VA_GLOB, VA_GLOB, ASID_A), DATA_VALUE(10));
    ck_assert_uint_eq(call_ok(m, "mmu_fence_va_ld", VA_GLOB, VA_GLOB, 0), DATA_VALUE(11));
    /* A stale PTE that became invalid still translates until fenced. */
    pt_map_a(m, VA_GLOB, PA_DATA(11), PTE_RWAD & ~PTE_V);
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_GLOB, 0, 0), DATA_VALUE(11));
    call_fault(m, "mmu_fence_all_ld", VA_GLOB, 0, CAUSE_LOAD_PF, VA_GLOB);
    /* Fetch: the old code runs until the fence. */
    ck_assert_uint_eq(call_ok(m, "mmu_call", VA_FN, 0, 0), 1);
    pt_map_a(m, VA_FN, sym(m, "ret_two_page"), PTE_RXA);
    ck_assert_uint_eq(call_ok(m, "mmu_call", VA_FN, 0, 0), 1);
    ck_assert_uint_eq(call_ok(m, "mmu_fence_va_call", VA_FN, VA_RW, 0), 1);
    ck_assert_uint_eq(call_ok(m, "mmu_fence_va_call", VA_FN, VA_FN, 0), 2);
    rasim_free(m);
}
END_TEST

/* ---- the host-pointer caches follow what translation depends on -------- */

START_TEST(host_caches_follow_satp)
{
    rasim_machine *m = pt_machine(true);
    /* In one run, no fence (the spaces have different ASIDs). */
    call_ok(m, "mmu_satp_switch_ld", VA_RW, satp_b(), 0);
    ck_assert_uint_eq(guest_reg(m, "a0"), DATA_VALUE(0));
    ck_assert_uint_eq(guest_reg(m, "a1"), DATA_VALUE(18));
    guest_set(m, "satp", satp_a());
    call_ok(m, "mmu_satp_switch_call", VA_FN, satp_b(), 0);
    ck_assert_uint_eq(guest_reg(m, "a0"), 1);
    ck_assert_uint_eq(guest_reg(m, "a1"), 2);
    /* Between runs, satp set by the host. */
    guest_set(m, "satp", satp_a());
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_RW, 0, 0), DATA_VALUE(0));
    guest_set(m, "satp", satp_b());
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_RW, 0, 0), DATA_VALUE(18));
    ck_assert_uint_eq(call_ok(m, "mmu_call", VA_FN, 0, 0), 2);
    guest_set(m, "satp", satp_a());
    ck_assert_uint_eq(call_ok(m, "mmu_call", VA_FN, 0, 0), 1);
    /* Bare again: the VA is a PA once more. */
    guest_set(m, "satp", 0);
    ck_assert_uint_eq(call_ok(m, "mmu_ld", PA_DATA(18), 0, 0), DATA_VALUE(18));
    call(m, "mmu_ld", VA_RW, 0, 0);
    ck_assert_uint_eq(pt_rec(m, "s_rec").cause, CAUSE_LOAD_ACCESS);
    rasim_free(m);
}
END_TEST

START_TEST(host_caches_follow_sum_mxr_mpp)
{
    rasim_machine *m = pt_machine(true);
    set_status(m, MSTATUS_SUM, 0);
    struct pt_rec r = call_fault(m, "mmu_sum_drop_ld", VA_U, 0, CAUSE_LOAD_PF, VA_U);
    ck_assert_uint_gt(r.epc, sym(m, "mmu_sum_drop_ld"));
    ck_assert_uint_eq(guest_reg(m, "a1"), DATA_VALUE(3)); /* the first load worked */
    set_status(m, MSTATUS_MXR, 0);
    call_fault(m, "mmu_mxr_drop_ld", VA_XO, 0, CAUSE_LOAD_PF, VA_XO);
    ck_assert_uint_eq(guest_reg(m, "a1"), DATA_VALUE(2));
    /* M-mode, MPRV = 1: MPP S -> U between two loads of an S page. */
    guest_set(m, "priv", 3);
    set_status(m, MSTATUS_MPRV | MSTATUS_MPP_S, MSTATUS_MPP_M);
    pt_rec_clear(m);
    ck_assert_int_eq(pt_go(m, sym(m, "mmu_mpp_drop_ld"), VA_RW, 0, 0).reason, RASIM_STOP_RETURNED);
    r = pt_rec(m, "m_rec");
    ck_assert_uint_eq(r.count, 1);
    ck_assert_uint_eq(r.cause, CAUSE_LOAD_PF);
    ck_assert_uint_eq(r.tval, VA_RW);
    ck_assert_uint_eq(guest_reg(m, "a1"), DATA_VALUE(0));
    rasim_free(m);
}
END_TEST

/* SRET to U-mode: the S-mode read pointer of an S page must not serve the
 * U-mode load of the same VA. */
START_TEST(host_caches_follow_mode_changes)
{
    rasim_machine *m = pt_machine(true);
    uint64_t u_ld = VA_UCODE + alias_off(m, "alias_ld");
    pt_rec_clear(m);
    ck_assert_int_eq(pt_go(m, sym(m, "mmu_sret_to_user"), VA_RW, u_ld, 0).reason,
                     RASIM_STOP_RETURNED);
    struct pt_rec r = pt_rec(m, "s_rec");
    ck_assert_uint_eq(r.count, 1);
    ck_assert_uint_eq(r.cause, CAUSE_LOAD_PF);
    ck_assert_uint_eq(r.tval, VA_RW);
    ck_assert_uint_eq(r.epc, u_ld);
    /* and back in S through the host: the page reads again */
    guest_set(m, "priv", 1);
    ck_assert_uint_eq(call_ok(m, "mmu_ld", VA_RW, 0, 0), DATA_VALUE(0));
    /* S <-> M over Bare keeps working both ways (flat either way). */
    guest_set(m, "satp", 0);
    ck_assert_uint_eq(call_ok(m, "mmu_ld", PA_DATA(1), 0, 0), DATA_VALUE(1));
    guest_set(m, "priv", 3);
    ck_assert_uint_eq(call_ok(m, "mmu_ld", PA_DATA(1), 0, 0), DATA_VALUE(1));
    rasim_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rv64_mmu");
    TCase *tc = tcase_create("translate");
    tcase_add_test(tc, sv39_loads_and_stores_by_page_size);
    tcase_add_test(tc, lr_sc_reserve_physical_bytes);
    tcase_add_test(tc, fetch_through_each_page_size);
    tcase_add_test(tc, sv48_four_levels);
    tcase_add_test(tc, fetch_crossing_a_page);
    tcase_add_test(tc, data_crossing_a_page);
    suite_add_tcase(s, tc);
    tc = tcase_create("faults");
    tcase_add_test(tc, page_and_access_faults);
    tcase_add_test(tc, sum_from_s_mode);
    tcase_add_test(tc, user_mode_pages);
    tcase_add_test(tc, mxr_makes_execute_only_readable);
    tcase_add_test(tc, mprv_translates_m_mode_data);
    tcase_add_test(tc, svade_faults_on_a_and_d);
    tcase_add_test(tc, trap_handler_fixes_and_retries);
    suite_add_tcase(s, tc);
    tc = tcase_create("tlb");
    tcase_add_test(tc, stale_translation_until_sfence);
    tcase_add_test(tc, host_caches_follow_satp);
    tcase_add_test(tc, host_caches_follow_sum_mxr_mpp);
    tcase_add_test(tc, host_caches_follow_mode_changes);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
