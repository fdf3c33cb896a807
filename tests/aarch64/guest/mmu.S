/*
 * mmu.S - routines for test_a64_mmu.c: accesses of every kind through
 * stage 1 translation, TLB maintenance, PSTATE changes between accesses,
 * and a vector table whose handler maps a page on demand.
 */
#include "func.h"

FUNC do_load			// x0 = address
	ldr	x0, [x0]
	ret
FUNC do_store			// x0 = address, x1 = value
	str	x1, [x0]
	ret
FUNC do_load_pair		// x0 = address: x0, x1 = the two words
	ldp	x2, x1, [x0]
	mov	x0, x2
	ret
FUNC do_ldtr
	ldtr	x0, [x0]
	ret
FUNC do_sttr
	sttr	x1, [x0]
	ret
FUNC do_ldadd			// x0 = address, x1 = addend: x0 = old value
	ldadd	x1, x0, [x0]
	ret
FUNC do_cas			// x0 = address, x1 = expected, x2 = new: x0 = old value
	cas	x1, x2, [x0]
	mov	x0, x1
	ret
FUNC do_ldxr_stxr		// x0 = address, x1 = value: x0 = status
	ldxr	x2, [x0]
	stxr	w3, x1, [x0]
	mov	x0, x3
	ret
FUNC do_stxr			// with no monitor open: still translated as a write
	stxr	w3, x1, [x0]
	mov	x0, x3
	ret
FUNC do_dc_civac
	dc	civac, x0
	ret
FUNC do_dc_ivac
	dc	ivac, x0
	ret
FUNC do_dc_zva
	dc	zva, x0
	ret
FUNC do_ic_ivau
	ic	ivau, x0
	ret
FUNC do_stg			// x0 = tagged address: its tag to its granule
	stg	x0, [x0]
	ret
FUNC do_ldg			// x0 = address: x0 = its granule's allocation tag
	mov	x1, #0
	ldg	x1, [x0]
	ubfx	x0, x1, #56, #4
	ret
FUNC do_jump			// x0 = target
	br	x0

/* Turn the MMU on (x0 = SCTLR_EL1) and load from x1 through it. */
FUNC mmu_on_then_load
	msr	sctlr_el1, x0
	isb
	ldr	x0, [x1]
	ret

/* Load x2 under TTBR0 = x0, then under TTBR0 = x1: x0, x1 = the two values. */
FUNC load_across_ttbr0_switch
	msr	ttbr0_el1, x0
	isb
	ldr	x3, [x2]
	msr	ttbr0_el1, x1
	isb
	ldr	x1, [x2]
	mov	x0, x3
	ret

/* ---- TLB maintenance: x0 = the operand (VA >> 12, ASID << 48). ----------- */
.macro TLBI_FN name, op
FUNC \name
	dsb	ishst
	tlbi	\op, x0
	dsb	ish
	isb
	ret
.endm
TLBI_FN tlbi_vae1, vae1
TLBI_FN tlbi_vae1is, vae1is
TLBI_FN tlbi_vale1, vale1
TLBI_FN tlbi_vale1is, vale1is
TLBI_FN tlbi_aside1, aside1
TLBI_FN tlbi_aside1is, aside1is
TLBI_FN tlbi_vaae1, vaae1
TLBI_FN tlbi_vaae1is, vaae1is
TLBI_FN tlbi_vaale1, vaale1
TLBI_FN tlbi_vaale1is, vaale1is
FUNC tlbi_vmalle1
	tlbi	vmalle1
	dsb	nsh
	isb
	ret
FUNC tlbi_vmalle1is
	tlbi	vmalle1is
	dsb	ish
	isb
	ret
FUNC tlbi_rvae1			// FEAT_TLBIRANGE: not implemented
	tlbi	rvae1, x0
	ret

/* ---- PSTATE changes between two accesses to the same page ---------------- */

/* Load x0 with PAN clear, then again with PAN set (must fault). */
FUNC load_then_set_pan
	msr	pan, #0
	ldr	x1, [x0]
	msr	pan, #1
	ldr	x0, [x0]
	ret

/* Same, PAN set through MSR (register). */
FUNC load_then_set_pan_reg
	msr	pan, #0
	ldr	x1, [x0]
	mov	x2, #(1 << 22)
	msr	s3_0_c4_c2_3, x2	// PAN
	ldr	x0, [x0]
	ret

/* The uaccess pattern with PAN set: LDR faults, LDTR and STTR work
 * (x0 = user address, x1 = value to store after it). */
FUNC uaccess_copy
	msr	pan, #1
	ldtr	x2, [x0]
	sttr	x1, [x0, #8]
	mov	x0, x2
	ret

/* Load x0 at EL1, then ERET to EL0 and load it there (x1 = the EL0
 * entry point, el0_load below; the run stops on its exception or SVC). */
FUNC load_then_eret_el0
	ldr	x2, [x0]
	msr	elr_el1, x1
	msr	spsr_el1, xzr		// EL0t, all exceptions unmasked
	eret
FUNC el0_load
	ldr	x0, [x0]
	svc	#0

/* LDR then LDTR of the same EL1-only page: the LDTR must fault. */
FUNC load_then_ldtr
	ldr	x1, [x0]
	ldtr	x0, [x0]
	ret

/* Store to x0 after loading it: the load vouches only for reads. */
FUNC load_then_store
	ldr	x2, [x0]
	str	x1, [x0]
	ret

/* With UAO set, LDTR at EL1 is an ordinary EL1 access (PAN applies). */
FUNC ldtr_with_uao
	msr	uao, #1
	ldtr	x0, [x0]
	msr	uao, #0
	ret

/* ---- a vector table whose handler maps a page on demand ------------------
 * x22 = the VA to map on demand, x20 = VA of its level 3 entry, x21 = the
 * entry. The handler records ESR_EL1, FAR_EL1, ELR_EL1 in x24, x25, x26,
 * counts in x27; for a fault on x22 it writes the entry and returns to
 * retry the instruction, for any other it skips the instruction with
 * x0 = 0xbad. */
	.text
	.balign	2048
	.globl	mmu_vectors
mmu_vectors:
	b	demand_map		// current EL with SP_EL0
	.balign	0x200
	b	demand_map		// current EL with SP_ELx
	.balign	0x200
	b	demand_map		// lower EL

demand_map:
	mrs	x24, esr_el1
	mrs	x25, far_el1
	mrs	x26, elr_el1
	add	x27, x27, #1
	cmp	x25, x22
	b.ne	1f
	str	x21, [x20]
	dsb	ishst
	isb
	eret
1:	add	x26, x26, #4
	msr	elr_el1, x26
	mov	x0, #0xbad
	eret

/* Load x0 through a page the handler maps; x0 = the value. */
FUNC demand_load
	mov	x27, #0
	ldr	x0, [x0]
	ret

/* The same, then load x1: x0 = the second value (0xbad if it faulted). */
FUNC demand_load2
	mov	x27, #0
	ldr	x2, [x0]
	ldr	x0, [x1]
	ret
