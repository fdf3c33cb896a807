/*
 * rv64.h - the RV64 hart: state, registers by name, and the run loop.
 * Knows physical memory (mmu/), never sim/.
 */
#ifndef RASIM_RV64_H
#define RASIM_RV64_H

#include <stdbool.h>
#include <stddef.h>

#include "isa/isa.h"
#include "mmu/mmu.h"

struct rv64_cpu;

enum rv64_priv { RV64_PRIV_U = 0, RV64_PRIV_S = 1, RV64_PRIV_M = 3 };

struct rv64_cpu *rv64_cpu_new(struct phys_mem *pm);
void rv64_cpu_free(struct rv64_cpu *cpu);
/* Reset for running a routine: S-mode, satp bare, all x registers zero,
 * the TLB empty, and medeleg delegating to S every exception Linux handles
 * there, as SBI firmware arranges (all but ecall from S and M), with
 * menvcfg.PBMTE set (and ADUE with Svadu) as firmware would. Configuration -
 * the misaligned policy, HTIF, Svadu, RAS delivery - is kept. */
void rv64_cpu_reset(struct rv64_cpu *cpu);
void rv64_set_priv(struct rv64_cpu *cpu, enum rv64_priv priv);

/* Registers by name: x0..x31 and ABI names (zero, ra, sp, gp, tp, t0-t6,
 * s0/fp, s1-s11, a0-a7), pc, priv, and CSRs by their lower-case names
 * (sstatus, satp, mstatus, ...). Index < 0: unknown. */
int rv64_reg_lookup(const char *name);
int rv64_reg_count(void);
const char *rv64_reg_name(int index);
uint64_t rv64_reg_get(const struct rv64_cpu *cpu, int index);
void rv64_reg_set(struct rv64_cpu *cpu, int index, uint64_t value);
/* For tracers, which compare registers around every instruction: indexes
 * [0, rv64_reg_common()) are the ones an ordinary instruction can change
 * (x0..x31 and pc), read all at once. The rest (priv, CSRs) change only by
 * traps and by the instructions rv64_insn_writes_system says yes to. */
int rv64_reg_common(void);
void rv64_reg_read_common(const struct rv64_cpu *cpu, uint64_t *out);
bool rv64_insn_writes_system(uint32_t word);

/* x register n by ABI name, as the kernel's extable `data` fields name it
 * (0 is "zero", meaning no register). */
const char *rv64_gpr_name(unsigned n);

/*
 * Run until PC == sentinel, the budget is spent, an exception finds no trap
 * vector (the target mode's tvec is 0), or the guest exits through HTIF.
 * The budget counts instructions attempted (retired or trapping, so a trap
 * loop ends); stop->insns counts those retired.
 */
void rv64_run(struct rv64_cpu *cpu, uint64_t max_insns, uint64_t sentinel, struct isa_stop *stop);

/* Misaligned loads and stores are performed by default, as Linux expects of
 * its platforms; with traps on they raise address-misaligned (4, 6).
 * LR/SC and AMOs always trap when misaligned. Not touched by reset. */
void rv64_set_misaligned_traps(struct rv64_cpu *cpu, bool on);

/*
 * Svadu (hardware A/D updates). Off (the default) is Svade: a PTE with A =
 * 0, or D = 0 for a store, raises a page fault for software to fix, as Linux
 * 6.12 expects. On, menvcfg.ADUE becomes writable and is set (at once and at
 * every reset), and while ADUE = 1 the walk sets A (and D for stores) in
 * memory; the guest can clear ADUE to go back to faulting. Not touched by
 * reset.
 */
void rv64_set_svadu(struct rv64_cpu *cpu, bool on);

/*
 * How poison consumed by a read (PHYS_CHECK_FAILED from physical memory: a
 * data load, the read of an AMO, an instruction fetch, or a page-table walk)
 * is delivered: as the hardware-error exception (cause 19, the default), or
 * as the access fault of the access (load 5, store/AMO 7, fetch 1), which is
 * what Linux's extable handling understands today (KERNEL-FACTS 3.2). stval
 * is the faulting VA either way and the stop records the poisoned PA
 * (isa_exception.pa). Not touched by reset.
 */
enum rv64_ras_delivery { RV64_RAS_HW_ERROR, RV64_RAS_ACCESS_FAULT };
void rv64_set_ras_delivery(struct rv64_cpu *cpu, enum rv64_ras_delivery delivery);

/*
 * HTIF, the host interface of riscv-tests and Spike: a store to tohost is a
 * request. 1 ends the run (ISA_STOP_EXIT, exit_code 0, pass); (n << 1) | 1
 * ends it with exit_code n (test n failed); device 1 command 1 (bits 63:56 =
 * 1, 55:48 = 1) prints the low byte on stdout. tohost is cleared once the
 * request is served. fromhost is where replies would go; no request served
 * here needs one. tohost_pa == fromhost_pa == 0 turns HTIF off (the default).
 */
void rv64_set_htif(struct rv64_cpu *cpu, uint64_t tohost_pa, uint64_t fromhost_pa);

/* Attach (or, with NULL, detach) a tracer (isa/isa.h); it must outlive its
 * attachment. Not touched by reset. */
void rv64_set_tracer(struct rv64_cpu *cpu, struct isa_tracer *tracer);

/* Whether data accesses may use cached host pointers (the default). Off,
 * every load and store translates through the TLB, so the MMU checker sees
 * each use of a TLB entry. */
void rv64_set_data_host_pointers(struct rv64_cpu *cpu, bool on);

/* The hart's TLB (for the MMU checker, and inspection). */
struct mmu_tlb *rv64_tlb(struct rv64_cpu *cpu);

/*
 * Disassemble one instruction (a 16-bit one in the low half when its low two
 * bits are not 11) at pc, in llvm-objdump's text: ABI register names, its
 * aliases (li, mv, ret, beqz, csrr ...), compressed instructions shown as
 * the base instruction they expand to, branch targets as absolute
 * addresses. Returns the instruction length in bytes, or 0 when the word is
 * outside the implemented subset (buf then says "<unknown>"). The
 * defined-illegal c.unimp (0x0000) and unimp (csrrw x0, cycle, x0) are
 * shown as "unimp", with their length.
 */
int rv64_disasm(uint32_t insn, uint64_t pc, char *buf, size_t len);

#endif
