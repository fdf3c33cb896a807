/*
 * idregs.h - the AArch64 identification registers: what the modelled PE
 * says it implements, to software that asks (MRS of ID_AA64*_EL1).
 */
#ifndef RASIM_A64_IDREGS_H
#define RASIM_A64_IDREGS_H

#include "isa/aarch64/cpu.h"

#include <stdbool.h>
#include <stdint.h>

/* The ID register space: op0 3, op1 0, CRn 0, CRm 1..7 (any op2). Its
 * encodings are all readable at EL1; the unallocated ones are RAZ, so that
 * software can read registers a later architecture version added. */
bool a64_in_id_space(unsigned key);

/* The value of the ID register at key (a64_in_id_space, or REVIDR_EL1):
 * the fields of the features the model implements, given its
 * configuration (FEAT_RAS may be on or off); 0 for the rest. */
uint64_t a64_id_register(const struct a64_cpu *cpu, unsigned key);

#endif
