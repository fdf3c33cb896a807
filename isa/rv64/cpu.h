/* cpu.h - RV64 hart state, shared by the files of isa/rv64. */
#ifndef RASIM_RV64_CPU_H
#define RASIM_RV64_CPU_H

#include "isa/rv64/rv64.h"

/* CSRs modelled, by index into rv64_cpu.csr (numbers in regs.c). */
enum rv64_csr {
    CSR_SSTATUS_SHADOW_UNUSED, /* sstatus is a view of mstatus; kept for numbering */
    CSR_MSTATUS, CSR_MISA, CSR_MEDELEG, CSR_MIDELEG, CSR_MIE, CSR_MIP, CSR_MTVEC,
    CSR_MSCRATCH, CSR_MEPC, CSR_MCAUSE, CSR_MTVAL, CSR_MCOUNTEREN, CSR_MENVCFG,
    CSR_STVEC, CSR_SSCRATCH, CSR_SEPC, CSR_SCAUSE, CSR_STVAL, CSR_SATP, CSR_SCOUNTEREN,
    CSR_SENVCFG,
    CSR_COUNT
};

struct rv64_cpu {
    uint64_t x[32]; /* x[0] is kept zero */
    uint64_t pc;
    enum rv64_priv priv;
    uint64_t csr[CSR_COUNT];
    struct phys_mem *pm;
};

#endif
