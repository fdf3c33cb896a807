/* cpu.h - AArch64 architectural state, shared by the files of isa/aarch64. */
#ifndef RASIM_A64_CPU_H
#define RASIM_A64_CPU_H

#include "isa/aarch64/aarch64.h"

/* System registers modelled, by index into a64_cpu.sysreg. */
enum a64_sysreg {
    SR_SCTLR_EL1, SR_TCR_EL1, SR_TTBR0_EL1, SR_TTBR1_EL1, SR_MAIR_EL1, SR_VBAR_EL1,
    SR_ESR_EL1, SR_FAR_EL1, SR_ELR_EL1, SR_SPSR_EL1, SR_CONTEXTIDR_EL1, SR_TPIDR_EL0,
    SR_TPIDR_EL1, SR_TPIDRRO_EL0, SR_DCZID_EL0, SR_GMID_EL1, SR_MIDR_EL1, SR_MPIDR_EL1,
    SR_GCR_EL1, SR_RGSR_EL1, SR_TFSR_EL1, SR_TFSRE0_EL1,
    SR_COUNT
};

struct a64_cpu {
    uint64_t x[31];
    uint64_t sp_el0, sp_el1;
    uint64_t pc;
    /* PSTATE, field by field. */
    unsigned n, z, c, v;
    unsigned el;    /* 0 or 1 */
    unsigned spsel; /* 0: SP_EL0, 1: SP_ELx */
    unsigned daif;  /* D A I F in bits 3..0 */
    unsigned pan, uao;
    uint64_t sysreg[SR_COUNT];
    struct phys_mem *pm;
};

#endif
