/* sysreg.h - system register and system instruction keys. */
#ifndef RASIM_A64_SYSREG_H
#define RASIM_A64_SYSREG_H

/* op0:op1:CRn:CRm:op2, the 16 bits 20:5 of MRS/MSR/SYS words; decode.c
 * stores it in insn.imm2. */
#define A64_SYSREG_KEY(op0, op1, crn, crm, op2)                                                    \
    ((unsigned)(op0) << 14 | (unsigned)(op1) << 11 | (unsigned)(crn) << 7 | (unsigned)(crm) << 3 | \
     (unsigned)(op2))

/* The Arm name of a modelled register ("TPIDR_EL1"), or NULL. */
const char *a64_sysreg_name(unsigned key);

#endif
