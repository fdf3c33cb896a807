/*
 * test_rv64_priv.c - the privileged architecture: CSR access rules per
 * mode, WARL fields, trap entry and return in each mode, delegation,
 * vectored mtvec, interrupts, counters, and the stop when the target mode
 * has no trap vector. Guest code: guest/trap.S.
 */
#include "rv64_guest.h"
#include "test_util.h"

#define U   0
#define SUP 1
#define M   3

#define CAUSE_ILLEGAL     2
#define CAUSE_BREAKPOINT  3
#define CAUSE_LOAD_ACCESS 5
#define CAUSE_ECALL_U     8
#define CAUSE_ECALL_S     9
#define CAUSE_ECALL_M     11
#define INTERRUPT         (1ull << 63)

#define MSTATUS_SIE  (1ull << 1)
#define MSTATUS_MIE  (1ull << 3)
#define MSTATUS_SPIE (1ull << 5)
#define MSTATUS_MPIE (1ull << 7)
#define MSTATUS_SPP  (1ull << 8)
#define MSTATUS_MPP  (3ull << 11)
#define MSTATUS_TVM  (1ull << 20)
#define MSTATUS_TW   (1ull << 21)
#define MSTATUS_TSR  (1ull << 22)

struct record {
    uint64_t count, cause, epc, tval, status;
};

static struct record record(rasim_machine *m, const char *which)
{
    struct record r;
    ck_assert_int_eq(rasim_read_phys(m, guest_sym(m, which), &r, sizeof(r)), 0);
    return r;
}

static void clear_records(rasim_machine *m)
{
    static const struct record zero;
    rasim_write_phys(m, guest_sym(m, "m_record"), &zero, sizeof(zero));
    rasim_write_phys(m, guest_sym(m, "s_record"), &zero, sizeof(zero));
}

/* A machine with both handlers installed and nothing delegated. */
static rasim_machine *trap_machine(void)
{
    rasim_machine *m = guest_new("trap.o");
    guest_set(m, "mtvec", guest_sym(m, "m_handler"));
    guest_set(m, "stvec", guest_sym(m, "s_handler"));
    guest_set(m, "medeleg", 0);
    return m;
}

/* Run snippet in mode priv with a0; it must come back. */
static uint64_t run_in(rasim_machine *m, const char *snippet, unsigned priv, uint64_t a0)
{
    clear_records(m);
    guest_set(m, "priv", priv);
    guest_set(m, "a0", a0);
    struct rasim_stop stop = guest_run_at(m, snippet);
    if (stop.reason != RASIM_STOP_RETURNED)
        ck_abort_msg("%s in mode %u: stopped (%s), cause %llu at 0x%llx", snippet, priv,
                     rasim_stop_reason_name(stop.reason), (unsigned long long)stop.syndrome,
                     (unsigned long long)stop.pc);
    return guest_reg(m, "a0");
}

/* Did snippet (a CSR access and ret) raise illegal instruction at M? */
static bool illegal_in(rasim_machine *m, const char *snippet, unsigned priv)
{
    run_in(m, snippet, priv, 0);
    struct record r = record(m, "m_record");
    return r.count == 1 && r.cause == CAUSE_ILLEGAL;
}

START_TEST(ecall_cause_names_the_mode)
{
    rasim_machine *m = trap_machine();
    static const struct {
        unsigned priv;
        uint64_t cause;
    } cases[] = {{U, CAUSE_ECALL_U}, {SUP, CAUSE_ECALL_S}, {M, CAUSE_ECALL_M}};
    for (int i = 0; i < 3; i++) {
        run_in(m, "do_ecall", cases[i].priv, 0);
        struct record r = record(m, "m_record");
        ck_assert_uint_eq(r.count, 1);
        ck_assert_uint_eq(r.cause, cases[i].cause);
        ck_assert_uint_eq(r.epc, guest_sym(m, "do_ecall") + 2); /* after the c.li */
        ck_assert_uint_eq(r.tval, 0);
        ck_assert_uint_eq((r.status & MSTATUS_MPP) >> 11, cases[i].priv);
        ck_assert_uint_eq(guest_reg(m, "priv"), cases[i].priv); /* mret went back */
    }
    rasim_free(m);
}
END_TEST

START_TEST(ebreak_and_illegal_report_pc_and_instruction_bits)
{
    rasim_machine *m = trap_machine();
    run_in(m, "do_ebreak", M, 0);
    struct record r = record(m, "m_record");
    ck_assert_uint_eq(r.cause, CAUSE_BREAKPOINT);
    ck_assert_uint_eq(r.epc, guest_sym(m, "do_ebreak"));
    ck_assert_uint_eq(r.tval, r.epc);
    run_in(m, "do_c_ebreak", SUP, 0);
    r = record(m, "m_record");
    ck_assert_uint_eq(r.cause, CAUSE_BREAKPOINT);
    ck_assert_uint_eq(r.tval, guest_sym(m, "do_c_ebreak"));
    run_in(m, "do_illegal32", U, 0);
    r = record(m, "m_record");
    ck_assert_uint_eq(r.cause, CAUSE_ILLEGAL);
    ck_assert_uint_eq(r.tval, 0xffffffff);
    run_in(m, "do_illegal16", M, 0);
    r = record(m, "m_record");
    ck_assert_uint_eq(r.cause, CAUSE_ILLEGAL);
    ck_assert_uint_eq(r.tval, 0); /* c.unimp: the 16 bits of the instruction */
    rasim_free(m);
}
END_TEST

START_TEST(csr_access_rules_per_mode)
{
    rasim_machine *m = trap_machine();
    /* Too low a privilege. */
    ck_assert(illegal_in(m, "csr_read_sstatus", U));
    ck_assert(!illegal_in(m, "csr_read_sstatus", SUP));
    ck_assert(illegal_in(m, "csr_read_mstatus", SUP));
    ck_assert(!illegal_in(m, "csr_read_mstatus", M));
    ck_assert(illegal_in(m, "csr_read_mscratch", SUP));
    ck_assert(illegal_in(m, "csr_read_sscratch", U));
    /* Unimplemented, RV32-only, or an absent extension's CSR. */
    ck_assert(illegal_in(m, "csr_read_unimplemented", M));
    ck_assert(illegal_in(m, "csr_read_pmpcfg1", M));
    ck_assert(illegal_in(m, "csr_read_fflags", M));
    /* Read-only CSRs: any write is illegal, even in M; a pure read is not. */
    ck_assert(illegal_in(m, "csr_write_mhartid_rw", M));
    ck_assert(illegal_in(m, "csr_set_cycle", M));
    ck_assert(!illegal_in(m, "csr_read_cycle_with_csrrs_x0", M));
    ck_assert(!illegal_in(m, "csr_read_mhartid", M));
    ck_assert_uint_eq(run_in(m, "csr_read_mhartid", M, 0), 0);
    /* satp from S unless mstatus.TVM. */
    ck_assert(!illegal_in(m, "csr_read_satp", SUP));
    guest_set(m, "mstatus", guest_reg(m, "mstatus") | MSTATUS_TVM);
    ck_assert(illegal_in(m, "csr_read_satp", SUP));
    ck_assert(!illegal_in(m, "csr_read_satp", M));
    guest_set(m, "mstatus", guest_reg(m, "mstatus") & ~MSTATUS_TVM);
    /* Counters below M need mcounteren, and from U also scounteren. */
    guest_set(m, "mcounteren", 0);
    guest_set(m, "scounteren", 0);
    ck_assert(illegal_in(m, "csr_read_cycle", SUP));
    ck_assert(illegal_in(m, "csr_read_time", U));
    guest_set(m, "mcounteren", 7);
    ck_assert(!illegal_in(m, "csr_read_cycle", SUP));
    ck_assert(!illegal_in(m, "csr_read_instret", SUP));
    ck_assert(illegal_in(m, "csr_read_cycle", U));
    guest_set(m, "scounteren", 2); /* time only */
    ck_assert(!illegal_in(m, "csr_read_time", U));
    ck_assert(illegal_in(m, "csr_read_instret", U));
    /* Performance counters exist as read-only zero. */
    guest_set(m, "mcounteren", ~0ull);
    ck_assert_uint_eq(run_in(m, "csr_read_hpmcounter3", SUP, 0), 0);
    ck_assert(!illegal_in(m, "csr_read_pmpcfg0", M));
    ck_assert(illegal_in(m, "csr_read_pmpaddr0", SUP));
    rasim_free(m);
}
END_TEST

START_TEST(warl_fields_keep_legal_values)
{
    rasim_machine *m = trap_machine();
    run_in(m, "csr_write_mtvec", M, 0x80001002); /* mode 2 is reserved */
    ck_assert_uint_eq(run_in(m, "csr_read_mtvec", M, 0), 0x80001000);
    run_in(m, "csr_write_mtvec", M, guest_sym(m, "m_handler"));
    run_in(m, "csr_write_mepc", M, 0x80000003);
    ck_assert_uint_eq(run_in(m, "csr_read_mepc", M, 0), 0x80000002);
    run_in(m, "csr_write_medeleg", M, ~0ull);
    ck_assert_uint_eq(run_in(m, "csr_read_medeleg", M, 0) & (1u << 11), 0); /* ecall from M */
    ck_assert_uint_eq(run_in(m, "csr_read_medeleg", M, 0) & (1u << 8), 1u << 8);
    run_in(m, "csr_write_medeleg", M, 0);
    run_in(m, "csr_write_mideleg", M, ~0ull);
    ck_assert_uint_eq(run_in(m, "csr_read_mideleg", M, 0), 0x222); /* SSI, STI, SEI */
    run_in(m, "csr_write_mideleg", M, 0);
    uint64_t misa = run_in(m, "csr_read_misa", M, 0);
    ck_assert_uint_eq(misa >> 62, 2);
    for (const char *e = "ABCIMSU"; *e; e++)
        ck_assert_uint_eq((misa >> (*e - 'A')) & 1, 1);
    run_in(m, "csr_write_misa", M, 0);
    ck_assert_uint_eq(run_in(m, "csr_read_misa", M, 0), misa);
    /* satp: Sv39 is stored; an unsupported mode leaves it unchanged. (From
     * M-mode, which does not translate: these tables are empty.) */
    uint64_t sv39 = 8ull << 60 | 0x80042;
    run_in(m, "csr_write_satp", M, sv39);
    run_in(m, "csr_write_satp", M, 10ull << 60 | 0x1234); /* Sv57 */
    ck_assert_uint_eq(run_in(m, "csr_read_satp", M, 0), sv39);
    run_in(m, "csr_write_satp", M, 0);
    /* sstatus is a window on mstatus: MIE and MPP cannot be reached. */
    run_in(m, "csr_write_mstatus", M, MSTATUS_MIE | MSTATUS_MPP);
    uint64_t sstatus = run_in(m, "csr_read_sstatus", SUP, 0);
    ck_assert_uint_eq(sstatus & (MSTATUS_MIE | MSTATUS_MPP), 0);
    run_in(m, "csr_write_sstatus", SUP, ~0ull);
    uint64_t mstatus = run_in(m, "csr_read_mstatus", M, 0);
    ck_assert_uint_eq(mstatus & MSTATUS_TSR, 0);           /* only sstatus bits changed */
    ck_assert_uint_eq(mstatus & (1ull << 18), 1ull << 18); /* SUM */
    ck_assert_uint_eq(mstatus & (3ull << 13), 0);          /* FS off: no F */
    ck_assert_uint_eq((mstatus >> 32) & 0xf, 0xa);         /* UXL = SXL = 64-bit */
    /* menvcfg: CBIE = 10 is reserved; PBMTE is writable (Svpbmt), ADUE is
     * not without Svadu, STCE is not (no Sstc). */
    run_in(m, "csr_write_menvcfg", M, 0x10 | 0x40 | 0x80 | (7ull << 61));
    ck_assert_uint_eq(run_in(m, "csr_read_menvcfg", M, 0), 0xd0 | (1ull << 62));
    run_in(m, "csr_write_menvcfg", M, 0x20);
    ck_assert_uint_eq(run_in(m, "csr_read_menvcfg", M, 0) & 0x30, 0x10);
    /* sie/sip show only what mideleg delegates. */
    run_in(m, "csr_write_mie", M, 0xaaa);
    ck_assert_uint_eq(run_in(m, "csr_read_sie", SUP, 0), 0);
    run_in(m, "csr_write_mideleg", M, 0x222);
    ck_assert_uint_eq(run_in(m, "csr_read_sie", SUP, 0), 0x222);
    run_in(m, "csr_write_mie", M, 0);
    run_in(m, "csr_write_mideleg", M, 0);
    /* pmp: a locked entry ignores writes. */
    run_in(m, "csr_write_pmpaddr0", M, 0x1234);
    run_in(m, "csr_write_pmpcfg0", M, 0x9f); /* L | NAPOT | RWX */
    run_in(m, "csr_write_pmpaddr0", M, 0x5678);
    run_in(m, "csr_write_pmpcfg0", M, 0);
    ck_assert_uint_eq(run_in(m, "csr_read_pmpaddr0", M, 0), 0x1234);
    ck_assert_uint_eq(run_in(m, "csr_read_pmpcfg0", M, 0), 0x9f);
    rasim_free(m);
}
END_TEST

START_TEST(trap_entry_updates_status_and_delegation_goes_to_s)
{
    rasim_machine *m = trap_machine();
    /* S to M: MPP = S, MPIE = the old MIE, MIE cleared. */
    guest_set(m, "mstatus", guest_reg(m, "mstatus") | MSTATUS_MIE);
    run_in(m, "do_ecall", SUP, 0);
    struct record r = record(m, "m_record");
    ck_assert_uint_eq((r.status & MSTATUS_MPP) >> 11, SUP);
    ck_assert_uint_eq(r.status & MSTATUS_MPIE, MSTATUS_MPIE);
    ck_assert_uint_eq(r.status & MSTATUS_MIE, 0);

    /* U to S by medeleg: sepc/scause, SPP = U, SPIE = old SIE, SIE = 0. */
    guest_set(m, "medeleg", 1u << CAUSE_ECALL_U);
    guest_set(m, "mstatus", guest_reg(m, "mstatus") | MSTATUS_SIE);
    run_in(m, "do_ecall", U, 0);
    ck_assert_uint_eq(record(m, "m_record").count, 0);
    r = record(m, "s_record");
    ck_assert_uint_eq(r.count, 1);
    ck_assert_uint_eq(r.cause, CAUSE_ECALL_U);
    ck_assert_uint_eq(r.epc, guest_sym(m, "do_ecall") + 2);
    ck_assert_uint_eq(r.status & MSTATUS_SPP, 0);
    ck_assert_uint_eq(r.status & MSTATUS_SPIE, MSTATUS_SPIE);
    ck_assert_uint_eq(r.status & MSTATUS_SIE, 0);
    ck_assert_uint_eq(guest_reg(m, "priv"), U);

    /* S to S when delegated; SPP = S. */
    guest_set(m, "medeleg", 1u << CAUSE_ILLEGAL);
    run_in(m, "do_illegal32", SUP, 0);
    r = record(m, "s_record");
    ck_assert_uint_eq(r.cause, CAUSE_ILLEGAL);
    ck_assert_uint_eq(r.status & MSTATUS_SPP, MSTATUS_SPP);
    ck_assert_uint_eq(record(m, "m_record").count, 0);

    /* A trap in M is never delegated. */
    run_in(m, "do_illegal32", M, 0);
    ck_assert_uint_eq(record(m, "s_record").count, 0);
    ck_assert_uint_eq(record(m, "m_record").count, 1);
    rasim_free(m);
}
END_TEST

START_TEST(mret_and_sret_return_to_the_saved_mode)
{
    rasim_machine *m = trap_machine();
    for (unsigned to = 0; to <= 3; to += (to == 1 ? 2 : 1)) {
        guest_set(m, "mstatus", guest_reg(m, "mstatus") & ~MSTATUS_MIE);
        run_in(m, "mret_to_mode", M, to);
        ck_assert_uint_eq(guest_reg(m, "priv"), to);
        uint64_t s = guest_reg(m, "mstatus");
        ck_assert_uint_eq(s & MSTATUS_MIE, MSTATUS_MIE); /* = MPIE */
        ck_assert_uint_eq(s & MSTATUS_MPIE, MSTATUS_MPIE);
        ck_assert_uint_eq(s & MSTATUS_MPP, 0); /* least privileged: U */
    }
    /* sret to S with SPIE set, and to U. */
    run_in(m, "sret_with", SUP, MSTATUS_SPP | MSTATUS_SPIE);
    ck_assert_uint_eq(guest_reg(m, "priv"), SUP);
    ck_assert_uint_eq(guest_reg(m, "mstatus") & (MSTATUS_SIE | MSTATUS_SPP), MSTATUS_SIE);
    run_in(m, "sret_with", M, 0);
    ck_assert_uint_eq(guest_reg(m, "priv"), U);
    ck_assert_uint_eq(guest_reg(m, "mstatus") & MSTATUS_SIE, 0);
    /* mret below M, sret in U or with TSR: illegal. */
    ck_assert(illegal_in(m, "do_mret", SUP));
    ck_assert(illegal_in(m, "do_sret", U));
    guest_set(m, "mstatus", guest_reg(m, "mstatus") | MSTATUS_TSR);
    ck_assert(illegal_in(m, "do_sret", SUP));
    guest_set(m, "mstatus", guest_reg(m, "mstatus") & ~MSTATUS_TSR);
    rasim_free(m);
}
END_TEST

START_TEST(wfi_and_sfence_vma_permissions)
{
    rasim_machine *m = trap_machine();
    ck_assert(!illegal_in(m, "do_wfi", M));
    ck_assert(!illegal_in(m, "do_wfi", SUP));
    ck_assert(illegal_in(m, "do_wfi", U));
    guest_set(m, "mstatus", guest_reg(m, "mstatus") | MSTATUS_TW);
    ck_assert(illegal_in(m, "do_wfi", SUP));
    ck_assert(!illegal_in(m, "do_wfi", M));
    ck_assert(!illegal_in(m, "do_sfence", SUP));
    ck_assert(!illegal_in(m, "do_sfence_args", SUP));
    ck_assert(illegal_in(m, "do_sfence", U));
    guest_set(m, "mstatus", guest_reg(m, "mstatus") | MSTATUS_TVM);
    ck_assert(illegal_in(m, "do_sfence", SUP));
    ck_assert(!illegal_in(m, "do_sfence", M));
    rasim_free(m);
}
END_TEST

START_TEST(vectored_mtvec_is_for_interrupts_only)
{
    rasim_machine *m = trap_machine();
    uint64_t vectors = guest_sym(m, "m_vectors");
    guest_set(m, "mtvec", vectors | 1);
    guest_set(m, "mstatus", guest_reg(m, "mstatus") & ~MSTATUS_MIE);
    /* The interrupt arrives through entry 1 as soon as MIE opens, with
     * mepc at the next instruction; the snippet then finishes. */
    ck_assert_uint_eq(run_in(m, "raise_ssi_in_m", M, 0), 1);
    ck_assert_uint_eq(guest_read64(m, guest_sym(m, "ssi_vector_hits")), 1);
    struct record r = record(m, "m_record");
    ck_assert_uint_eq(r.cause, INTERRUPT | 1);
    ck_assert_uint_eq(r.epc, guest_sym(m, "after_ssi"));
    ck_assert_uint_eq(r.tval, 0);
    ck_assert_uint_eq(guest_reg(m, "mip") & 2, 0); /* the handler cleared it */
    /* An exception goes to the base even in vectored mode. */
    run_in(m, "do_ecall", M, 0);
    ck_assert_uint_eq(record(m, "m_record").cause, CAUSE_ECALL_M);
    ck_assert_uint_eq(guest_read64(m, guest_sym(m, "ssi_vector_hits")), 1);
    rasim_free(m);
}
END_TEST

START_TEST(delegated_interrupts_go_to_s_and_never_interrupt_m)
{
    rasim_machine *m = trap_machine();
    guest_set(m, "mideleg", 2);
    /* In S with SIE: taken by s_handler, sepc after the csrsi. */
    ck_assert_uint_eq(run_in(m, "raise_ssi_in_s", SUP, 0), 1);
    struct record r = record(m, "s_record");
    ck_assert_uint_eq(r.count, 1);
    ck_assert_uint_eq(r.cause, INTERRUPT | 1);
    ck_assert_uint_eq(r.epc, guest_sym(m, "after_ssi_s"));
    ck_assert_uint_eq(record(m, "m_record").count, 0);
    /* Pending and enabled, but delegated: M-mode with MIE ignores it. */
    guest_set(m, "mstatus", guest_reg(m, "mstatus") & ~MSTATUS_SIE);
    run_in(m, "raise_ssi_in_m", M, 0);
    ck_assert_uint_eq(record(m, "m_record").count, 0);
    ck_assert_uint_eq(record(m, "s_record").count, 0);
    ck_assert_uint_eq(guest_reg(m, "mip") & 2, 2);
    /* Still pending: U-mode takes it at once (to S, whatever SIE says). */
    run_in(m, "do_nothing", U, 0);
    ck_assert_uint_eq(record(m, "s_record").cause, INTERRUPT | 1);
    ck_assert_uint_eq(record(m, "s_record").epc, guest_sym(m, "do_nothing"));
    rasim_free(m);
}
END_TEST

START_TEST(counters_count_retired_instructions)
{
    rasim_machine *m = trap_machine();
    ck_assert_uint_eq(run_in(m, "instret_delta", M, 0), 2);
    ck_assert_uint_eq(run_in(m, "minstret_write_read", M, 1000), 1000);
    run_in(m, "csr_write_mcountinhibit", M, 4); /* IR */
    ck_assert_uint_eq(run_in(m, "instret_delta", M, 0), 0);
    run_in(m, "csr_write_mcountinhibit", M, 0);
    ck_assert_uint_eq(run_in(m, "instret_delta", M, 0), 2);
    uint64_t c0 = run_in(m, "csr_read_mcycle", M, 0);
    uint64_t c1 = run_in(m, "csr_read_mcycle", M, 0);
    ck_assert_uint_gt(c1, c0);
    rasim_free(m);
}
END_TEST

/* With no vector in the target mode the run stops at the instruction. */
START_TEST(no_trap_vector_stops_the_run)
{
    rasim_machine *m = guest_new("trap.o");
    struct rasim_stop stop;
    /* Reset state: S-mode, stvec 0, exceptions delegated as SBI firmware
     * does; an illegal instruction stops with the PC on it. */
    stop = guest_run_at(m, "do_illegal32");
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(stop.syndrome, CAUSE_ILLEGAL);
    ck_assert_uint_eq(stop.pc, guest_sym(m, "do_illegal32"));
    ck_assert_uint_eq(guest_reg(m, "pc"), stop.pc);
    ck_assert(stop.insn_valid);
    ck_assert_uint_eq(stop.insn, 0xffffffff);
    ck_assert_uint_eq(stop.fault_addr, 0xffffffff);
    ck_assert_uint_eq(stop.insns, 0);
    ck_assert_uint_eq(guest_reg(m, "priv"), SUP); /* nothing was taken */
    ck_assert_uint_eq(guest_reg(m, "scause"), 0);
    /* ecall from S is the firmware's (not delegated): mtvec = 0 stops. */
    stop = guest_run_at(m, "do_ecall");
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(stop.syndrome, CAUSE_ECALL_S);
    ck_assert_uint_eq(stop.insns, 1);
    /* A load from absent memory: access fault with stval = the VA. */
    guest_set(m, "a0", 0x40000008);
    stop = guest_run_at(m, "load64");
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(stop.syndrome, CAUSE_LOAD_ACCESS);
    ck_assert_uint_eq(stop.fault_addr, 0x40000008);
    /* An interrupt with no vector: the syndrome carries the interrupt bit
     * and the PC stays on the instruction it arrived before. */
    guest_set(m, "priv", M);
    guest_set(m, "mie", 2);
    guest_set(m, "mip", 2);
    guest_set(m, "mstatus", guest_reg(m, "mstatus") | MSTATUS_MIE);
    stop = guest_run_at(m, "do_nothing");
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(stop.syndrome, INTERRUPT | 1);
    ck_assert_uint_eq(stop.pc, guest_sym(m, "do_nothing"));
    ck_assert(!stop.insn_valid);
    rasim_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rv64_priv");
    TCase *tc = tcase_create("priv");
    tcase_add_test(tc, ecall_cause_names_the_mode);
    tcase_add_test(tc, ebreak_and_illegal_report_pc_and_instruction_bits);
    tcase_add_test(tc, csr_access_rules_per_mode);
    tcase_add_test(tc, warl_fields_keep_legal_values);
    tcase_add_test(tc, trap_entry_updates_status_and_delegation_goes_to_s);
    tcase_add_test(tc, mret_and_sret_return_to_the_saved_mode);
    tcase_add_test(tc, wfi_and_sfence_vma_permissions);
    tcase_add_test(tc, vectored_mtvec_is_for_interrupts_only);
    tcase_add_test(tc, delegated_interrupts_go_to_s_and_never_interrupt_m);
    tcase_add_test(tc, counters_count_retired_instructions);
    tcase_add_test(tc, no_trap_vector_stops_the_run);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
