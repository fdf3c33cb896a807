/*
 * exc.S - routines that raise each synchronous exception, and a vector
 * table whose handler records the syndrome registers, for test_a64_exc.c.
 */
#include "func.h"

FUNC do_udf
	udf	#0
	ret
FUNC do_svc
	svc	#0x1234
	ret
FUNC do_hvc
	hvc	#1
	ret
FUNC do_smc
	smc	#1
	ret
FUNC do_brk
	brk	#0x42
	ret
FUNC do_load			// x0 = address
	ldr	x0, [x0]
	ret
FUNC do_store			// x0 = address
	str	x1, [x0]
	ret
FUNC do_store_masked		// the store with SError masked, then unmasked
	msr	daifset, #4
	str	x1, [x0]
	nop
	msr	daifclr, #4
	nop
	ret
FUNC do_store_pair		// stp across into absent memory: nothing is written
	stp	x1, x2, [x0]
	ret
FUNC do_ldtr
	ldtr	x0, [x0]
	ret
FUNC do_jump			// x0 = target
	br	x0
FUNC do_sp_misaligned		// with SCTLR_EL1.SA: the SP-based load faults
	sub	sp, sp, #8
	ldr	x0, [sp]
	add	sp, sp, #8
	ret
FUNC do_load_unaligned		// with SCTLR_EL1.A: an unaligned load faults
	ldr	x0, [x0, #1]
	ret
FUNC do_ldp_elem		// with SCTLR_EL1.A: LDP W at 4-aligned is fine
	ldp	w1, w2, [x0, #4]
	ret
FUNC do_mrs_unknown
	mrs	x0, s3_0_c15_c2_0
	ret
FUNC do_msr_ro			// MIDR_EL1 is read-only
	msr	s3_0_c0_c0_0, x0	// MIDR_EL1
	ret
FUNC do_mrs_sctlr
	mrs	x0, sctlr_el1
	ret
FUNC do_mrs_ctr
	mrs	x5, ctr_el0
	ret
FUNC do_mrs_tpidrro
	mrs	x0, tpidrro_el0
	ret
FUNC do_msr_tpidrro
	msr	tpidrro_el0, x0
	ret
FUNC do_dc_zva
	dc	zva, x0
	ret
FUNC do_dc_civac
	dc	civac, x0
	ret
FUNC do_daifset
	msr	daifset, #2
	ret
FUNC do_eret
	eret
FUNC do_ldgm
	ldgm	x1, [x0]
	ret
FUNC do_mrs_sp_el0		// UNDEFINED at EL1 while SPSel == 0
	msr	spsel, #0
	mrs	x0, sp_el0
	ret
FUNC illegal_return		// ERET to EL2: illegal; the next instruction faults
	mov	x1, #0x9		// SPSR.M = EL2h
	msr	spsr_el1, x1
	adr	x1, 1f
	msr	elr_el1, x1
	eret
1:	nop
	ret

FUNC tco_round_trip		// PSTATE.TCO by MSR (immediate), read by MRS
	msr	tco, #1
	mrs	x0, tco
	msr	tco, #0
	mrs	x1, tco
	ret

/* Set NZCV from x1, take an SVC, return NZCV and DAIF after it. */
FUNC svc_preserves_pstate
	msr	nzcv, x1
	svc	#7
	mrs	x0, nzcv
	mrs	x1, daif
	ret

/* ---- a vector table: each synchronous entry records which one it is in
 * x19 and branches to a handler that records the syndrome registers. ---- */
	.text
	.balign	2048
	.globl	vectors
vectors:
	mov	x19, #0x000		// current EL with SP_EL0
	b	handler
	.balign	0x80
	mov	x19, #0x080		// IRQ: never taken here
	b	.
	.balign	0x200
	mov	x19, #0x200		// current EL with SP_ELx
	b	handler
	.org	vectors + 0x380
	mov	x19, #0x380		// SError, current EL with SP_ELx
	b	handler
	.balign	0x400
	mov	x19, #0x400		// lower EL using AArch64
	b	handler

handler:
	mrs	x20, esr_el1
	mrs	x21, elr_el1
	mrs	x22, spsr_el1
	mrs	x23, far_el1
	mrs	x24, currentel
	mrs	x25, daif
	mrs	x26, spsel
	mrs	x27, pan
	mov	x28, sp
	mrs	x17, tco
	add	x18, x18, #1		// exceptions taken
	lsr	x9, x20, #26
	cmp	x9, #0x15		// SVC returns after itself; others skip the insn
	b.eq	1f
	cmp	x9, #0x2f		// SError: an interrupt, ELR has not run yet
	b.eq	1f
	add	x9, x21, #4
	msr	elr_el1, x9
1:	eret
