/*
 * aarch64.h - the AArch64 CPU: state, registers by name, and the run loop.
 * Knows physical memory (mmu/), never sim/.
 */
#ifndef RASIM_AARCH64_H
#define RASIM_AARCH64_H

#include "isa/isa.h"
#include "mmu/mmu.h"

struct a64_cpu;
struct mmu_tlb;

struct a64_cpu *a64_cpu_new(struct phys_mem *pm);
void a64_cpu_free(struct a64_cpu *cpu);
/* Architectural reset for running a routine: EL1, SP_EL1 selected (EL1h),
 * interrupts masked, MMU off, SCTLR_EL1.ATA set (MTE tag access, as Linux
 * configures it), all general registers zero, no vector table (VBAR_EL1 0). */
void a64_cpu_reset(struct a64_cpu *cpu);
/* The CPU's TLB model (stage 1, SCTLR_EL1.M = 1), owned by the CPU: for
 * attaching an mmu_checker (mmu/translate.h) or inspecting entries. */
struct mmu_tlb *a64_cpu_tlb(struct a64_cpu *cpu);

/* Registers by name: x0..x30, w0..w30 (read: low half), sp, pc, lr (x30),
 * fp (x29), xzr, nzcv, cpsr, and the modelled system registers by their
 * lower-case Arm names (sctlr_el1, esr_el1, ...). Index < 0: unknown. */
int a64_reg_lookup(const char *name);
int a64_reg_count(void);
const char *a64_reg_name(int index);
uint64_t a64_reg_get(const struct a64_cpu *cpu, int index);
void a64_reg_set(struct a64_cpu *cpu, int index, uint64_t value);
/* Whether register index exists as this CPU is configured: FEAT_RAS's
 * error record registers (erridr_el1, errselr_el1, erxstatus_el1, ...)
 * only with a64_set_feat_ras. They read and write as MRS and MSR do. */
bool a64_reg_present(const struct a64_cpu *cpu, int index);
/* For tracers, which compare registers around every instruction: indexes
 * [0, a64_reg_common()) are the ones an ordinary instruction can change
 * (x0..x30, sp and its banked copies, pc, nzcv, cpsr), read all at once.
 * The rest change only by exceptions and by the instructions
 * a64_insn_writes_system says yes to. */
int a64_reg_common(void);
void a64_reg_read_common(const struct a64_cpu *cpu, uint64_t *out);
bool a64_insn_writes_system(uint32_t word);

/* General register n as the kernel's extable `data` fields name it:
 * 0..30 are x0..x30 and 31 is xzr ("no register"). */
const char *a64_gpr_name(unsigned n);

/* Run until PC == sentinel, the budget is spent, or an exception stops it.
 * stop->insns counts retired instructions. An exception with VBAR_EL1 == 0
 * stops the run (ISA_STOP_EXCEPTION, PC left at the faulting instruction);
 * with a vector table installed it is taken to EL1 and the run goes on. */
void a64_run(struct a64_cpu *cpu, uint64_t max_insns, uint64_t sentinel, struct isa_stop *stop);

/* SIMD&FP register n (0..31) as 16 little-endian bytes. */
void a64_vreg_get(const struct a64_cpu *cpu, unsigned n, uint8_t out[16]);
void a64_vreg_set(struct a64_cpu *cpu, unsigned n, const uint8_t in[16]);

/* Disassemble one instruction at pc into buf (always NUL-terminated).
 * Returns the length of the full text, as snprintf does. */
int a64_disasm(uint32_t word, uint64_t pc, char *buf, size_t len);
/* Whether the interpreter implements the word (capstone names more of A64
 * than we run, so its text alone does not say). */
bool a64_in_subset(uint32_t word);

/*
 * An SError (asynchronous external abort: a store's memory error under the
 * async store policy) at the current instruction boundary, with syndrome
 * esr. Masked by PSTATE.A it stays pending (A64_SERROR_MASKED: ask again
 * later); otherwise it is taken to VBAR_EL1 + 0x180 of the vector group
 * (A64_SERROR_TAKEN), or, with no vector table, *stop describes it
 * (A64_SERROR_NO_VECTOR) as for a synchronous exception.
 */
enum a64_serror { A64_SERROR_MASKED, A64_SERROR_TAKEN, A64_SERROR_NO_VECTOR };
enum a64_serror a64_take_serror(struct a64_cpu *cpu, uint64_t esr, struct isa_stop *stop);

/* FEAT_RAS (off by default; kept by reset). On, the error record
 * registers (ERRIDR_EL1, ERRSELR_EL1, ERX*_EL1) exist at EL1 and record
 * each consumption of poison, and synchronous External aborts carry
 * ISS.SET. Off, those registers are UNDEFINED. See ras_record.c. */
void a64_set_feat_ras(struct a64_cpu *cpu, bool on);

/* Attach (or, with NULL, detach) a tracer (isa/isa.h); it must outlive its
 * attachment. Not touched by reset. */
void a64_set_tracer(struct a64_cpu *cpu, struct isa_tracer *tracer);
/* Whether data accesses may use cached host pointers (the default). Off,
 * every access translates through the TLB, so the MMU checker sees each use
 * of a TLB entry. */
void a64_set_data_host_pointers(struct a64_cpu *cpu, bool on);

#endif
