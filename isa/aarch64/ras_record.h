/*
 * ras_record.h - FEAT_RAS on the PE: the synchronous error type of an
 * external abort (ESR ISS.SET) and the PE's one error record, read and
 * written through the ERR* / ERX* system registers.
 *
 * Off by default (a64_set_feat_ras): then the registers are UNDEFINED, as
 * on a PE without FEAT_RAS, and no syndrome changes.
 */
#ifndef RASIM_A64_RAS_RECORD_H
#define RASIM_A64_RAS_RECORD_H

#include "isa/aarch64/cpu.h"

/* ESR_ELx ISS.SET, bits [12:11], "Synchronous Error Type": the PE error
 * state after a synchronous External abort, defined when FEAT_RAS is
 * implemented and DFSC/IFSC is 0x10, 0x12/0x13 or 0x14..0x17 (RES0
 * otherwise). 0b00 Recoverable (UER), 0b10 Uncontainable (UC), 0b11
 * Restartable (UEO), 0b01 reserved. Source: the Arm system register XML
 * for ESR_EL1 (ISS encoding for a Data Abort), as decoded by
 * arm_system_register_parser; google/aarch64-esr-decoder; KERNEL-FACTS 2.1. */
#define ISS_SET_SHIFT 11
#define ISS_SET_UER   0u
#define ISS_SET_UC    2u
#define ISS_SET_UEO   3u

/* The record registers, by the index sysreg.c keeps for them. */
enum a64_err_reg {
    ERR_IDR,    /* ERRIDR_EL1 */
    ERR_SELR,   /* ERRSELR_EL1 */
    ERX_FR,     /* ERXFR_EL1 */
    ERX_CTLR,   /* ERXCTLR_EL1 */
    ERX_STATUS, /* ERXSTATUS_EL1 */
    ERX_ADDR,   /* ERXADDR_EL1 */
    ERX_MISC0,  /* ERXMISC0_EL1 */
    ERX_MISC1,  /* ERXMISC1_EL1 */
};

/* The ISS.SET bits a synchronous External abort with this fault status
 * code carries (0 without FEAT_RAS, or where SET is not defined). */
uint32_t a64_sea_set_bits(const struct a64_cpu *cpu, unsigned fsc);
/* Poison at pa was consumed and the PE takes a synchronous External abort
 * for it: record it (with FEAT_RAS; nothing otherwise). */
void a64_err_record_poison(struct a64_cpu *cpu, uint64_t pa);

/* MRS / MSR of a record register (FEAT_RAS on). MSR of ERRIDR_EL1 or
 * ERXFR_EL1 is false: those are read-only, the write is UNDEFINED. */
uint64_t a64_err_read(const struct a64_cpu *cpu, enum a64_err_reg reg);
bool a64_err_write(struct a64_cpu *cpu, enum a64_err_reg reg, uint64_t value);

#endif
