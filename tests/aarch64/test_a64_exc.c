/*
 * test_a64_exc.c - every synchronous exception, ESR field by field
 * (KERNEL-FACTS.md 2.1): as a stop record when no vector table is
 * installed, and taken architecturally through VBAR_EL1 when one is
 * (ESR/ELR/SPSR/FAR, PSTATE on entry, the vector offset, ERET).
 */
#include "a64_harness.h"
#include "test_util.h"

#include <check.h>
#include <string.h>

static rasim_machine *m;

#define ABSENT     0x90000000ull
#define EL0T       0x0ull /* SPSR.M for EL0 */
#define EL1T       0x4ull
#define EL1H       0x5ull
#define SCTLR_A    (1ull << 1)
#define SCTLR_SA   (1ull << 3)
#define SCTLR_UMA  (1ull << 9)
#define SCTLR_UCT  (1ull << 15)
#define SCTLR_SPAN (1ull << 23)

static void setup(void)
{
    m = a64h_machine("exc.o");
}

static void teardown(void)
{
    rasim_free(m);
}

/* Call fn expecting an exception stop; returns the ESR. */
static uint64_t fault(const char *fn, uint64_t x0, struct rasim_stop *stop)
{
    a64h_call(m, fn, (const uint64_t[]){x0, 0x1234}, 2, stop);
    ck_assert_msg(stop->reason == RASIM_STOP_EXCEPTION, "%s: no exception (%s)", fn,
                  rasim_stop_reason_name(stop->reason));
    ck_assert_msg(ESR_IL(stop->syndrome) == 1, "%s: IL must be 1 for A64", fn);
    ck_assert_uint_eq(stop->syndrome >> 32, 0);
    return stop->syndrome;
}

static void at_el0(void)
{
    a64h_set(m, "cpsr", EL0T);
}

START_TEST(undefined_instruction)
{
    struct rasim_stop stop;
    uint64_t esr = fault("do_udf", 0, &stop);
    ck_assert_uint_eq(ESR_EC(esr), 0x00);
    ck_assert_uint_eq(ESR_ISS(esr), 0);
    ck_assert_uint_eq(stop.pc, a64h_sym(m, "do_udf"));
    ck_assert(stop.insn_valid);
    ck_assert_uint_eq(stop.insn, 0);
    ck_assert(!stop.fault_addr_valid);
    ck_assert_uint_eq(stop.insns, 0);
    /* HVC and SMC: no EL2 or EL3, so they are UNDEFINED. */
    ck_assert_uint_eq(ESR_EC(fault("do_hvc", 0, &stop)), 0x00);
    ck_assert_uint_eq(ESR_EC(fault("do_smc", 0, &stop)), 0x00);
    ck_assert_uint_eq(ESR_EC(fault("do_mrs_unknown", 0, &stop)), 0x00);
    ck_assert_uint_eq(ESR_EC(fault("do_msr_ro", 0, &stop)), 0x00);
    ck_assert_uint_eq(ESR_EC(fault("do_mrs_sp_el0", 0, &stop)), 0x00);
    ck_assert_uint_eq(stop.pc, a64h_sym(m, "do_mrs_sp_el0") + 4);
}
END_TEST

START_TEST(svc_and_brk)
{
    struct rasim_stop stop;
    uint64_t esr = fault("do_svc", 0, &stop);
    ck_assert_uint_eq(ESR_EC(esr), 0x15);
    ck_assert_uint_eq(ESR_ISS(esr), 0x1234);
    ck_assert_uint_eq(stop.pc, a64h_sym(m, "do_svc")); /* PC left on the SVC */
    /* The record's preferred return address is the instruction after it. */
    ck_assert_uint_eq(stop.exception_pc, a64h_sym(m, "do_svc") + 4);
    ck_assert_uint_eq(stop.target_level, 1);

    esr = fault("do_brk", 0, &stop);
    ck_assert_uint_eq(ESR_EC(esr), 0x3c);
    ck_assert_uint_eq(ESR_ISS(esr), 0x42);
    ck_assert_uint_eq(stop.exception_pc, a64h_sym(m, "do_brk")); /* BRK: the BRK itself */
}
END_TEST

START_TEST(data_abort_on_absent_memory)
{
    struct rasim_stop stop;
    uint64_t esr = fault("do_load", ABSENT + 8, &stop);
    ck_assert_uint_eq(ESR_EC(esr), 0x25);
    /* ISV 0, FnV 0, EA 0, CM 0, S1PTW 0, WnR 0, DFSC 0x10: exactly 0x10. */
    ck_assert_uint_eq(ESR_ISS(esr), 0x10);
    ck_assert(stop.fault_addr_valid);
    ck_assert_uint_eq(stop.fault_addr, ABSENT + 8);
    ck_assert_uint_eq(stop.pc, a64h_sym(m, "do_load"));
    ck_assert_uint_eq(stop.insn, 0xf9400000); /* ldr x0, [x0] */

    ck_assert(stop.fault_pa_valid);
    ck_assert_uint_eq(stop.fault_pa, ABSENT + 8);

    esr = fault("do_store", ABSENT, &stop);
    ck_assert_uint_eq(ESR_ISS(esr), 0x50); /* WnR */
    esr = fault("do_ldtr", ABSENT, &stop);
    ck_assert_uint_eq(ESR_EC(esr), 0x25); /* taken from EL1, though EL0-checked */

    /* A pair straddling into absent memory: FAR names the first absent byte,
     * and the half that had memory is not written. */
    uint64_t end = A64H_DATA + A64H_DATA_LEN;
    uint64_t before = 0x1111, got;
    a64h_write(m, end - 8, &before, 8);
    a64h_call(m, "do_store_pair", (const uint64_t[]){end - 8, 7, 8}, 3, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(ESR_ISS(stop.syndrome), 0x50);
    ck_assert_uint_eq(stop.fault_addr, end);
    a64h_read(m, end - 8, &got, 8);
    ck_assert_uint_eq(got, 0x1111);

    /* Beyond the 48-bit PA range with the MMU off: address size fault, level 0. */
    esr = fault("do_load", 1ull << 48, &stop);
    ck_assert_uint_eq(ESR_ISS(esr), 0x00);
    ck_assert_uint_eq(stop.fault_addr, 1ull << 48);
}
END_TEST

START_TEST(write_to_rom_is_an_external_abort)
{
    struct rasim_stop stop;
    ck_assert_int_eq(rasim_add_region(m, "rom", 0x50000000, 0x1000, RASIM_REGION_ROM), 0);
    uint64_t esr = fault("do_store", 0x50000010, &stop);
    ck_assert_uint_eq(ESR_EC(esr), 0x25);
    ck_assert_uint_eq(ESR_ISS(esr), 0x50);
    ck_assert_uint_eq(stop.fault_addr, 0x50000010);
    /* Reading it is fine. */
    ck_assert_uint_eq(A64H_CALL(m, "do_load", 0x50000010), 0);
}
END_TEST

START_TEST(instruction_abort_and_pc_alignment)
{
    struct rasim_stop stop;
    uint64_t esr = fault("do_jump", ABSENT, &stop);
    ck_assert_uint_eq(ESR_EC(esr), 0x21);
    ck_assert_uint_eq(ESR_ISS(esr), 0x10); /* IFSC: SEA, nothing else */
    ck_assert_uint_eq(stop.fault_addr, ABSENT);
    ck_assert_uint_eq(stop.pc, ABSENT);
    ck_assert(!stop.insn_valid);
    ck_assert_uint_eq(stop.insns, 1); /* the BR retired */

    uint64_t target = a64h_sym(m, "do_udf") + 2;
    esr = fault("do_jump", target, &stop);
    ck_assert_uint_eq(ESR_EC(esr), 0x22);
    ck_assert_uint_eq(ESR_ISS(esr), 0);
    ck_assert(stop.fault_addr_valid);
    ck_assert_uint_eq(stop.fault_addr, target);
}
END_TEST

START_TEST(sp_and_data_alignment_checks)
{
    struct rasim_stop stop;
    uint64_t sctlr = a64h_reg(m, "sctlr_el1");
    /* Without SCTLR_EL1.SA a misaligned SP is fine; with it, EC 0x26. */
    A64H_CALL(m, "do_sp_misaligned", 0);
    a64h_set(m, "sctlr_el1", sctlr | SCTLR_SA);
    uint64_t esr = fault("do_sp_misaligned", 0, &stop);
    ck_assert_uint_eq(ESR_EC(esr), 0x26);
    ck_assert_uint_eq(ESR_ISS(esr), 0);
    ck_assert_uint_eq(stop.pc, a64h_sym(m, "do_sp_misaligned") + 4);

    /* Unaligned ordinary accesses: allowed (Normal memory) unless SCTLR_EL1.A. */
    a64h_set(m, "sctlr_el1", sctlr);
    A64H_CALL(m, "do_load_unaligned", A64H_DATA);
    a64h_set(m, "sctlr_el1", sctlr | SCTLR_A);
    esr = fault("do_load_unaligned", A64H_DATA, &stop);
    ck_assert_uint_eq(ESR_EC(esr), 0x25);
    ck_assert_uint_eq(ESR_ISS(esr), 0x21);
    ck_assert_uint_eq(stop.fault_addr, A64H_DATA + 1);
    A64H_CALL(m, "do_ldp_elem", A64H_DATA); /* each W element 4-aligned */
}
END_TEST

START_TEST(exceptions_from_el0)
{
    struct rasim_stop stop;
    at_el0();
    ck_assert_uint_eq(ESR_EC(fault("do_load", ABSENT, &stop)), 0x24);
    ck_assert_uint_eq(ESR_ISS(stop.syndrome), 0x10);
    at_el0();
    ck_assert_uint_eq(ESR_EC(fault("do_jump", ABSENT, &stop)), 0x20);
    at_el0();
    ck_assert_uint_eq(ESR_EC(fault("do_svc", 0, &stop)), 0x15);
    at_el0();
    ck_assert_uint_eq(ESR_EC(fault("do_mrs_sctlr", 0, &stop)), 0x00);
    at_el0();
    ck_assert_uint_eq(ESR_EC(fault("do_eret", 0, &stop)), 0x00);
    at_el0();
    ck_assert_uint_eq(ESR_EC(fault("do_ldgm", A64H_DATA, &stop)), 0x00);
    at_el0();
    ck_assert_uint_eq(ESR_EC(fault("do_msr_tpidrro", 0, &stop)), 0x00);
    at_el0();
    ck_assert_uint_eq(A64H_CALL(m, "do_mrs_tpidrro", 0), 0);

    /* Trapped to EL1 as EC 0x18: Op0 [21:20], Op2 [19:17], Op1 [16:14],
     * CRn [13:10], Rt [9:5], CRm [4:1], Direction [0] = 1 for a read. */
    at_el0();
    uint64_t esr = fault("do_mrs_ctr", 0, &stop);
    ck_assert_uint_eq(ESR_EC(esr), 0x18);
    ck_assert_uint_eq(ESR_ISS(esr), 3u << 20 | 1u << 17 | 3u << 14 | 0u << 10 | 5u << 5 | 1);
    a64h_set(m, "sctlr_el1", a64h_reg(m, "sctlr_el1") | SCTLR_UCT);
    at_el0();
    A64H_CALL(m, "do_mrs_ctr", 0);
    ck_assert_uint_eq(a64h_reg(m, "x5"), a64h_reg(m, "ctr_el0"));

    at_el0(); /* DC ZVA with SCTLR_EL1.DZE clear: DC is op0 1, op1 3, CRn 7, CRm 4, op2 1 */
    esr = fault("do_dc_zva", A64H_DATA, &stop);
    ck_assert_uint_eq(ESR_EC(esr), 0x18);
    ck_assert_uint_eq(ESR_ISS(esr), 1u << 20 | 1u << 17 | 3u << 14 | 7u << 10 | 0u << 5 | 4u << 1);
    at_el0();
    ck_assert_uint_eq(ESR_EC(fault("do_dc_civac", A64H_DATA, &stop)), 0x18);
    at_el0();
    esr = fault("do_daifset", 0, &stop);
    ck_assert_uint_eq(ESR_EC(esr), 0x18);
    ck_assert_uint_eq(ESR_ISS(esr), 0u << 20 | 6u << 17 | 3u << 14 | 4u << 10 | 31u << 5 | 2u << 1);
    a64h_set(m, "sctlr_el1", a64h_reg(m, "sctlr_el1") | SCTLR_UMA);
    at_el0();
    A64H_CALL(m, "do_daifset", 0);
    ck_assert_uint_eq(a64h_reg(m, "daif") & (1 << 7), 1 << 7);
}
END_TEST

START_TEST(tag_check_override)
{
    ck_assert_uint_eq(A64H_CALL(m, "tco_round_trip", 0), 1 << 25);
    ck_assert_uint_eq(a64h_reg(m, "x1"), 0);
    at_el0(); /* PSTATE.TCO is writable at EL0 */
    ck_assert_uint_eq(A64H_CALL(m, "tco_round_trip", 0), 1 << 25);
}
END_TEST

START_TEST(illegal_exception_return)
{
    struct rasim_stop stop;
    uint64_t esr = fault("illegal_return", 0, &stop);
    ck_assert_uint_eq(ESR_EC(esr), 0x0e);
    ck_assert_uint_eq(ESR_ISS(esr), 0);
    ck_assert_uint_eq(stop.pc, a64h_sym(m, "illegal_return") + 20); /* the nop after ERET */
    ck_assert_uint_eq(a64h_reg(m, "currentel"), 1 << 2);            /* stayed at EL1 */
    ck_assert_uint_eq(a64h_reg(m, "cpsr") & (1 << 20), 1 << 20);    /* PSTATE.IL */
}
END_TEST

/* ---- taken through the guest's vector table ------------------------------ */

static void install_vectors(void)
{
    a64h_set(m, "vbar_el1", a64h_sym(m, "vectors"));
    a64h_set(m, "x18", 0);
}

START_TEST(svc_taken_to_the_vector_and_eret_restores)
{
    install_vectors();
    uint64_t nzcv = 0xa0000000;
    ck_assert_uint_eq(A64H_CALL(m, "svc_preserves_pstate", 0, nzcv), nzcv);
    ck_assert_uint_eq(a64h_reg(m, "x1"), 0x3c0); /* DAIF as before */
    ck_assert_uint_eq(a64h_reg(m, "x18"), 1);
    ck_assert_uint_eq(a64h_reg(m, "x19"), 0x200); /* current EL, SP_EL1 */
    ck_assert_uint_eq(a64h_reg(m, "x20"), 0x15ull << 26 | 1 << 25 | 7);
    ck_assert_uint_eq(a64h_reg(m, "x21"), a64h_sym(m, "svc_preserves_pstate") + 8);
    ck_assert_uint_eq(a64h_reg(m, "x22"), nzcv | 0xf << 6 | EL1H);
    ck_assert_uint_eq(a64h_reg(m, "x24"), 1 << 2);
    ck_assert_uint_eq(a64h_reg(m, "x25"), 0xf << 6);
    ck_assert_uint_eq(a64h_reg(m, "x26"), 1);
    ck_assert_uint_eq(a64h_reg(m, "x17"), 1 << 25);        /* TCO set on entry */
    ck_assert_uint_eq(a64h_reg(m, "cpsr") & (1 << 25), 0); /* and restored by ERET */
    ck_assert_uint_eq(a64h_reg(m, "esr_el1"), a64h_reg(m, "x20"));
}
END_TEST

START_TEST(vector_offsets_by_source)
{
    install_vectors();
    /* EL1 with SP_EL0 (EL1t): offset 0x000; SPSR.M = 0b0100. */
    a64h_set(m, "cpsr", EL1T);
    A64H_CALL(m, "do_svc", 0);
    ck_assert_uint_eq(a64h_reg(m, "x19"), 0x000);
    ck_assert_uint_eq(a64h_reg(m, "x22") & 0xf, EL1T);
    ck_assert_uint_eq(a64h_reg(m, "x26"), 1); /* the handler runs on SP_EL1 */

    /* EL0: offset 0x400, SPSR.M = 0, handler at EL1 on SP_EL1, back at EL0. */
    a64h_set(m, "sp_el1", 0x40480000);
    a64h_set(m, "cpsr", EL0T);
    A64H_CALL(m, "do_svc", 0);
    ck_assert_uint_eq(a64h_reg(m, "x19"), 0x400);
    ck_assert_uint_eq(a64h_reg(m, "x22"), EL0T);
    ck_assert_uint_eq(a64h_reg(m, "x28"), 0x40480000);
    ck_assert_uint_eq(a64h_reg(m, "currentel"), 0);
    ck_assert_uint_eq(a64h_reg(m, "x18"), 2);
}
END_TEST

START_TEST(data_abort_taken_with_far_and_pan)
{
    install_vectors();
    uint64_t sctlr = a64h_reg(m, "sctlr_el1");
    /* SPAN set (the reset value): PSTATE.PAN is left alone on entry. */
    ck_assert_uint_eq(sctlr & SCTLR_SPAN, SCTLR_SPAN);
    A64H_CALL(m, "do_load", ABSENT + 0x40);
    ck_assert_uint_eq(a64h_reg(m, "x20"), 0x25ull << 26 | 1 << 25 | 0x10);
    ck_assert_uint_eq(a64h_reg(m, "x21"), a64h_sym(m, "do_load"));
    ck_assert_uint_eq(a64h_reg(m, "x23"), ABSENT + 0x40);
    ck_assert_uint_eq(a64h_reg(m, "far_el1"), ABSENT + 0x40);
    ck_assert_uint_eq(a64h_reg(m, "x27"), 0);
    /* SPAN clear: entry sets PAN, and ERET restores it from SPSR. */
    a64h_set(m, "sctlr_el1", sctlr & ~SCTLR_SPAN);
    A64H_CALL(m, "do_udf", 0);
    ck_assert_uint_eq(a64h_reg(m, "x20"), 1 << 25);
    ck_assert_uint_eq(a64h_reg(m, "x27"), 1 << 22);
    ck_assert_uint_eq(a64h_reg(m, "pan"), 0);
    /* FAR is not written for exceptions that do not define it. */
    ck_assert_uint_eq(a64h_reg(m, "far_el1"), ABSENT + 0x40);
}
END_TEST

/* A store to poison under the async store policy: the store goes through
 * and the SError (EC 0x2F, DFSC 0x11) is taken at the next instruction
 * boundary, to VBAR + 0x380 from EL1h, with ELR the instruction not yet
 * run and FAR untouched; masked by PSTATE.A it waits until unmasked. */
START_TEST(async_store_error_is_an_serror_at_the_next_boundary)
{
    const uint64_t at = A64H_DATA + 0x100, esr = 0x2full << 26 | 1 << 25 | 0x11;
    struct rasim_poison p = {.pa = at, .len = 1, .kind = RASIM_POISON_PERSISTENT};
    ck_assert_int_eq(rasim_poison(m, &p), 0);
    rasim_set_store_policy(m, RASIM_STORE_ASYNC);
    a64h_set(m, "far_el1", 0x1111);

    install_vectors();
    a64h_set(m, "cpsr", EL1H); /* DAIF clear */
    A64H_CALL(m, "do_store", at, 0x5a5a);
    ck_assert_uint_eq(a64h_reg(m, "x18"), 1);
    ck_assert_uint_eq(a64h_reg(m, "x19"), 0x380);
    ck_assert_uint_eq(a64h_reg(m, "x20"), esr);
    ck_assert_uint_eq(a64h_reg(m, "x21"), a64h_sym(m, "do_store") + 4);
    ck_assert_uint_eq(a64h_reg(m, "far_el1"), 0x1111);
    uint64_t v = 0;
    ck_assert_int_eq(rasim_read_phys(m, at, &v, 8), 0);
    ck_assert_uint_eq(v, 0x5a5a);
    ck_assert_uint_eq(rasim_error_log_count(m), 1);
    struct rasim_error_record r;
    ck_assert_int_eq(rasim_error_log_get(m, 0, &r), 0);
    ck_assert(r.async);
    ck_assert_str_eq(r.access, "write");

    /* Masked, it is taken right after the instruction that unmasks it. */
    a64h_set(m, "x18", 0);
    a64h_set(m, "cpsr", EL1H);
    A64H_CALL(m, "do_store_masked", at, 1);
    ck_assert_uint_eq(a64h_reg(m, "x18"), 1);
    ck_assert_uint_eq(a64h_reg(m, "x21"), a64h_sym(m, "do_store_masked") + 16);

    /* With no vector table the run stops with the SError's record. */
    a64h_set(m, "vbar_el1", 0);
    a64h_set(m, "cpsr", EL1H);
    struct rasim_stop stop;
    a64h_call(m, "do_store", (const uint64_t[]){at, 2}, 2, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(stop.syndrome, esr);
    ck_assert_uint_eq(stop.exception_pc, a64h_sym(m, "do_store") + 4);
    char what[256];
    rasim_stop_describe(m, &stop, what, sizeof(what));
    ck_assert_msg(strstr(what, "SError"), "%s", what);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("a64_exc");
    TCase *tc = tcase_create("exceptions");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, undefined_instruction);
    tcase_add_test(tc, svc_and_brk);
    tcase_add_test(tc, data_abort_on_absent_memory);
    tcase_add_test(tc, write_to_rom_is_an_external_abort);
    tcase_add_test(tc, instruction_abort_and_pc_alignment);
    tcase_add_test(tc, sp_and_data_alignment_checks);
    tcase_add_test(tc, exceptions_from_el0);
    tcase_add_test(tc, tag_check_override);
    tcase_add_test(tc, illegal_exception_return);
    tcase_add_test(tc, svc_taken_to_the_vector_and_eret_restores);
    tcase_add_test(tc, vector_offsets_by_source);
    tcase_add_test(tc, data_abort_taken_with_far_and_pan);
    tcase_add_test(tc, async_store_error_is_an_serror_at_the_next_boundary);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
