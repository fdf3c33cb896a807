/*
 * idregs.S - reads of the identification registers by their Arm names, so
 * that clang's assembler, not rasim, says which encoding each name has;
 * and one instruction of each feature the registers advertise, for
 * test_a64_idregs.c.
 */
#include "func.h"

.macro READ name, reg
FUNC read_\name
	mrs	x0, \reg
	ret
.endm

	READ pfr0, id_aa64pfr0_el1
	READ pfr1, id_aa64pfr1_el1
	READ dfr0, id_aa64dfr0_el1
	READ isar0, id_aa64isar0_el1
	READ isar1, id_aa64isar1_el1
	READ isar2, s3_0_c0_c6_2	// ID_AA64ISAR2_EL1 (too new for clang 14): RAZ
	READ mmfr0, id_aa64mmfr0_el1
	READ mmfr1, id_aa64mmfr1_el1
	READ mmfr2, id_aa64mmfr2_el1
	READ zfr0, s3_0_c0_c4_4	// ID_AA64ZFR0_EL1 (clang knows it only with SVE): RAZ
	READ revidr, revidr_el1
	READ midr, midr_el1
	READ reserved_c7_7, s3_0_c0_c7_7	// unallocated in the ID space: RAZ
	READ reserved_c4_7, s3_0_c0_c4_7
	READ outside_c8, s3_0_c0_c8_0	// outside the ID space: UNDEFINED

FUNC write_pfr0			// ID registers are read-only: UNDEFINED
	msr	s3_0_c0_c4_0, x0	// ID_AA64PFR0_EL1: the assembler refuses the name
	ret
FUNC write_reserved
	msr	s3_0_c0_c7_7, x0
	ret

/* What the fields say is there (armv8.5-a+memtag has each instruction):
 * each returns 0 without an exception. */
FUNC feat_lse			// ISAR0.Atomic: x0 = a RAM address
	mov	x1, #1
	ldadd	x1, x2, [x0]
	cas	x2, x1, [x0]
	mov	x0, #0
	ret
FUNC feat_lrcpc			// ISAR1.LRCPC
	ldaprb	w1, [x0]
	ldapr	x1, [x0]
	mov	x0, #0
	ret
FUNC feat_sb			// ISAR1.SB
	sb
	mov	x0, #0
	ret
FUNC feat_dpb2			// ISAR1.DPB
	dc	cvap, x0
	dc	cvadp, x0
	mov	x0, #0
	ret
FUNC feat_tlbios		// ISAR0.TLB
	tlbi	vmalle1os
	mov	x0, #0
	ret
FUNC feat_mte2			// PFR1.MTE: LDGM is an MTE2 instruction
	ldgm	x1, [x0]
	mov	x0, #0
	ret
