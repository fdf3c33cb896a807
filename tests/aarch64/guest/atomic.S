/*
 * atomic.S - exclusives, acquire/release and LSE atomics for
 * test_a64_atomic.c. x0 is the address; results in x0..x3.
 */
#include "func.h"

FUNC ldxr_stxr			// increment [x0]; x0 = status
	ldxr	x1, [x0]
	add	x1, x1, #1
	stxr	w2, x1, [x0]
	mov	x0, x2
	ret
FUNC stxr_alone			// no LDXR before: fails, memory unchanged
	clrex
	mov	x1, #99
	stxr	w2, x1, [x0]
	mov	x0, x2
	ret
FUNC stxr_after_clrex
	ldxr	x1, [x0]
	clrex
	stxr	w2, x1, [x0]
	mov	x0, x2
	ret
FUNC stxr_other_address
	ldxr	x1, [x0]
	add	x3, x0, #8
	stxr	w2, x1, [x3]
	mov	x0, x2
	ret
FUNC stxr_twice			// the first store closes the monitor
	ldaxr	x1, [x0]
	stlxr	w2, x1, [x0]
	stxr	w3, x1, [x0]
	mov	x0, x2
	mov	x1, x3
	ret
FUNC stxr_other_size
	ldxr	x1, [x0]
	stxr	w2, w1, [x0]
	mov	x0, x2
	ret
FUNC exclusive_bytes		// byte and halfword exclusives
	ldxrb	w1, [x0]
	add	w1, w1, #1
	stxrb	w2, w1, [x0]
	ldaxrh	w3, [x0, #0]
	stlxrh	w4, w3, [x0]
	add	x0, x2, x4
	ret
FUNC exclusive_pair_x		// swap the two halves of [x0] as one 128-bit exclusive
	ldaxp	x1, x2, [x0]
	stlxp	w3, x2, x1, [x0]
	mov	x0, x3
	ret
FUNC exclusive_pair_w
	ldxp	w1, w2, [x0]
	stxp	w3, w2, w1, [x0]
	mov	x0, x3
	ret
FUNC acquire_release
	ldar	x1, [x0]
	stlr	x1, [x0, #0]
	ldarb	w2, [x0]
	stlrh	w2, [x0]
	ldapr	w3, [x0]
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	ret

/* ---- LSE ----------------------------------------------------------------- */
FUNC cas_x			// x0 = addr, x1 = expected, x2 = new; x0 = old
	casal	x1, x2, [x0]
	mov	x0, x1
	ret
FUNC cas_w
	cas	w1, w2, [x0]
	mov	x0, x1
	ret
FUNC cas_b
	casb	w1, w2, [x0]
	mov	x0, x1
	ret
FUNC cash_h
	caslh	w1, w2, [x0]
	mov	x0, x1
	ret
FUNC casp_x			// x2:x3 expected, x4:x5 new
	caspal	x2, x3, x4, x5, [x0]
	mov	x0, x2
	mov	x1, x3
	ret
FUNC casp_w
	casp	w2, w3, w4, w5, [x0]
	mov	x0, x2
	mov	x1, x3
	ret
FUNC swp_x
	swpal	x1, x2, [x0]
	mov	x0, x2
	ret
FUNC swp_b
	swpb	w1, w2, [x0]
	mov	x0, x2
	ret
FUNC ldadd_x
	ldaddal	x1, x2, [x0]
	mov	x0, x2
	ret
FUNC ldadd_w_wraps
	ldadd	w1, w2, [x0]
	mov	x0, x2
	ret
FUNC ldclr_h
	ldclrh	w1, w2, [x0]
	mov	x0, x2
	ret
FUNC ldeor_b
	ldeorb	w1, w2, [x0]
	mov	x0, x2
	ret
FUNC ldset_w
	ldsetl	w1, w2, [x0]
	mov	x0, x2
	ret
FUNC ldsmax_b
	ldsmaxb	w1, w2, [x0]
	mov	x0, x2
	ret
FUNC ldsmin_h
	ldsminh	w1, w2, [x0]
	mov	x0, x2
	ret
FUNC ldumax_w
	ldumax	w1, w2, [x0]
	mov	x0, x2
	ret
FUNC ldumin_x
	ldumin	x1, x2, [x0]
	mov	x0, x2
	ret
FUNC stadd_x			// ST<op>: LD<op> with Rt = XZR
	mov	x2, #5
	stadd	x1, [x0]
	mov	x0, x2
	ret

/* ---- alignment: every one of these needs natural alignment -------------- */
FUNC ldxr_at
	ldxr	x1, [x0]
	ret
FUNC stxr_at
	stxr	w2, x1, [x0]
	ret
FUNC ldxp_at
	ldxp	x1, x2, [x0]
	ret
FUNC ldar_w_at
	ldar	w1, [x0]
	ret
FUNC stlr_h_at
	stlrh	w1, [x0]
	ret
FUNC cas_at
	cas	x1, x2, [x0]
	ret
FUNC ldadd_at
	ldadd	w1, w2, [x0]
	ret
FUNC casp_at
	casp	x2, x3, x4, x5, [x0]
	ret
