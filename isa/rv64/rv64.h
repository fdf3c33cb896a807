/*
 * rv64.h - the RV64 hart: state, registers by name, and the run loop.
 * Knows physical memory (mmu/), never sim/.
 */
#ifndef RASIM_RV64_H
#define RASIM_RV64_H

#include "isa/isa.h"
#include "mmu/mmu.h"

struct rv64_cpu;

enum rv64_priv { RV64_PRIV_U = 0, RV64_PRIV_S = 1, RV64_PRIV_M = 3 };

struct rv64_cpu *rv64_cpu_new(struct phys_mem *pm);
void rv64_cpu_free(struct rv64_cpu *cpu);
/* Reset for running a routine: S-mode, satp bare, all x registers zero. */
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

/* x register n by ABI name, as the kernel's extable `data` fields name it
 * (0 is "zero", meaning no register). */
const char *rv64_gpr_name(unsigned n);

/* Run until PC == sentinel, the budget is spent, or an exception stops it. */
void rv64_run(struct rv64_cpu *cpu, uint64_t max_insns, uint64_t sentinel,
              struct isa_stop *stop);

#endif
