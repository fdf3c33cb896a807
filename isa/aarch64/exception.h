/*
 * exception.h - raising synchronous exceptions, taking them to EL1, ERET.
 *
 * An executor that faults calls one of the a64_raise* functions, which
 * record the syndrome in cpu->exc, and returns A64_EXCEPTION. The run loop
 * then calls a64_take_exception(): with no guest vector table (VBAR_EL1 ==
 * 0) the run stops with the architectural record for sim/'s kernel model;
 * otherwise the exception is taken as the architecture does.
 */
#ifndef RASIM_A64_EXCEPTION_H
#define RASIM_A64_EXCEPTION_H

#include "isa/aarch64/insn.h"

/* ESR_ELx.EC values (KERNEL-FACTS.md 2.1; Arm ARM D17.2.37). */
#define EC_UNKNOWN       0x00
#define EC_ILLEGAL_STATE 0x0e
#define EC_SVC64         0x15
#define EC_SYS64         0x18 /* trapped MSR, MRS or system instruction */
#define EC_IABT_LOW      0x20
#define EC_IABT_CUR      0x21
#define EC_PC_ALIGN      0x22
#define EC_DABT_LOW      0x24
#define EC_DABT_CUR      0x25
#define EC_SP_ALIGN      0x26
#define EC_BRK64         0x3c

#define ESR_IL (1u << 25) /* 32-bit instruction */

/* Data/instruction abort ISS fields. */
#define ISS_WNR          (1u << 6)
#define ISS_CM           (1u << 8)
#define FSC_ADDR_SIZE_L0 0x00
#define FSC_SEA          0x10 /* synchronous external abort, not on a walk */
#define FSC_ALIGNMENT    0x21

/* Raise an exception whose preferred return address is this instruction
 * and which does not write FAR. */
enum a64_flow a64_raise(struct a64_cpu *cpu, unsigned ec, uint32_t iss);
/* The Undefined Instruction exception (EC 0). */
enum a64_flow a64_undefined(struct a64_cpu *cpu);
/* An abort: FAR = far; pa, when known, goes to the stop record. */
enum a64_flow a64_raise_abort(struct a64_cpu *cpu, unsigned ec, uint32_t iss, uint64_t far,
                              const uint64_t *pa);
/* A trapped MSR/MRS/SYS (EC 0x18) of the system register key (op0:op1:
 * CRn:CRm:op2, as decode.c stores it) with Rt and the direction. */
enum a64_flow a64_trap_sysreg(struct a64_cpu *cpu, unsigned key, unsigned rt, bool read);

/* Take cpu->exc. Returns true when the run must stop (no vector table),
 * with stop->exc filled and PC left at the faulting instruction. */
bool a64_take_exception(struct a64_cpu *cpu, struct isa_stop *stop, const struct a64_insn *d);

/* PSTATE in SPSR format, and back (ERET, the register API). */
uint64_t a64_pstate_to_spsr(const struct a64_cpu *cpu);

#endif
