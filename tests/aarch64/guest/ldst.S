/*
 * ldst.S - load/store routines for test_a64_ldst.c. x0 points to a data
 * buffer the test prepared; results come back in x0..x7.
 */
#include "func.h"

/* ---- sizes and sign extension, unsigned offset --------------------------- */
FUNC load_sizes			// x0 = buf: ldrb, ldrh, ldr w, ldr x at offsets 1, 2, 4, 8
	ldrb	w1, [x0, #1]
	ldrh	w2, [x0, #2]
	ldr	w3, [x0, #4]
	ldr	x4, [x0, #8]
	mov	x0, x1
	ret
FUNC load_signed		// sign-extending loads of 0x80 / 0x8000 / 0x80000000
	ldrsb	x1, [x0]
	ldrsb	w2, [x0]
	ldrsh	x3, [x0, #2]
	ldrsh	w4, [x0, #2]
	ldrsw	x5, [x0, #4]
	ldursb	x6, [x0, #0]
	ldursh	w7, [x0, #2]
	mov	x0, x1
	ret
FUNC store_sizes		// x0 = buf, x1 = value
	strb	w1, [x0]
	strh	w1, [x0, #2]
	str	w1, [x0, #4]
	str	x1, [x0, #8]
	stur	x1, [x0, #17]		// unaligned, unscaled
	ret

/* ---- index forms and writeback -------------------------------------------- */
FUNC pre_index			// x0 = buf: x1 = [x0 + 8]!, returns the new base
	ldr	x1, [x0, #8]!
	ret
FUNC post_index			// x1 = [x0], x0 += 16
	ldr	x1, [x0], #16
	ret
FUNC pre_index_store_neg	// [x0 - 8] = x1, x0 -= 8
	str	x1, [x0, #-8]!
	ret
FUNC post_index_w_signed
	ldrsw	x1, [x0], #-4
	ret
FUNC str_wb_same_reg		// STR x0, [x0], #8: stores x0's value before writeback
	.inst	0xf8008400		// str x0, [x0], #8
	ret
FUNC ldr_wb_same_reg		// LDR x0, [x0, #8]!: CONSTRAINED UNPREDICTABLE; we keep the load
	.inst	0xf8408c00		// ldr x0, [x0, #8]!
	ret
FUNC sp_base			// store and load through SP, pre/post index
	mov	x2, sp
	str	x0, [sp, #-16]!
	ldr	x1, [sp], #16
	mov	x3, sp
	sub	x0, x2, x3		// 0 when SP came back
	ret

/* ---- register offset ----------------------------------------------------- */
FUNC reg_offset			// x0 = buf, x1 = index
	ldr	x2, [x0, x1, lsl #3]
	ldr	w3, [x0, w1, uxtw #2]
	ldrb	w4, [x0, x1]
	ldrh	w5, [x0, w1, sxtw #1]
	mov	x0, x2
	ret
FUNC reg_offset_uxtw		// only the low 32 bits of the index count
	ldr	w0, [x0, w1, uxtw #2]
	ret
FUNC reg_offset_sxtw		// x0 = buf + 64, w1 = negative index
	ldr	x2, [x0, w1, sxtw #3]
	ldr	x3, [x0, w1, sxtw]
	mov	x0, x2
	ret
FUNC reg_offset_store		// [x0 + x1 * 8] = x2; strh at x0 + w1 (sxtw)
	str	x2, [x0, x1, lsl #3]
	strh	w2, [x0, w1, sxtw]
	ret

/* ---- literal --------------------------------------------------------------- */
FUNC literals
	ldr	x0, 1f
	ldr	w1, 1f
	ldrsw	x2, 2f
	ldr	q0, 3f
	str	q0, [x3]
	prfm	pldl1keep, 1f
	ret
	.balign	16
1:	.quad	0x8877665544332211
2:	.word	0x80000001
	.word	0
3:	.quad	0x0706050403020100, 0x0f0e0d0c0b0a0908

/* ---- pairs --------------------------------------------------------------- */
FUNC pairs			// x0 = buf
	stp	x1, x2, [x0]
	ldp	x3, x4, [x0]
	stp	w1, w2, [x0, #16]
	ldp	w5, w6, [x0, #16]
	ldpsw	x7, x8, [x0, #16]
	stnp	x2, x1, [x0, #32]
	ldnp	x9, x10, [x0, #32]
	mov	x0, x3
	mov	x1, x4
	mov	x2, x5
	mov	x3, x6
	mov	x4, x7
	mov	x5, x8
	mov	x6, x9
	mov	x7, x10
	ret
FUNC pair_pre_post		// x0 = buf
	stp	x1, x2, [x0, #16]!
	ldp	x3, x4, [x0], #-16
	mov	x1, x3
	mov	x2, x4
	ret
FUNC pair_sp			// push and pop a frame
	stp	x29, x30, [sp, #-32]!
	stp	x0, x1, [sp, #16]
	ldp	x2, x3, [sp, #16]
	ldp	x29, x30, [sp], #32
	add	x0, x2, x3
	ret

/* ---- unprivileged ---------------------------------------------------------- */
FUNC unprivileged		// x0 = buf
	sttr	x1, [x0]
	sttrb	w1, [x0, #8]
	sttrh	w1, [x0, #10]
	sttr	w1, [x0, #12]
	ldtr	x2, [x0]
	ldtrb	w3, [x0, #8]
	ldtrsb	x4, [x0, #8]
	ldtrsh	w5, [x0, #10]
	ldtrsw	x6, [x0, #12]
	ldtrh	w7, [x0, #10]
	mov	x0, x2
	mov	x1, x3
	mov	x2, x4
	mov	x3, x5
	mov	x4, x6
	mov	x5, x7
	ret

/* ---- SIMD&FP registers ------------------------------------------------------ */
FUNC q_copy			// copy 64 bytes x0 -> x1 through Q registers
	ldp	q0, q1, [x0]
	ldr	q2, [x0, #32]
	ldur	q3, [x0, #48]
	stp	q0, q1, [x1], #32
	str	q2, [x1, #0]
	mov	x2, #1
	str	q3, [x1, x2, lsl #4]
	mov	x0, x1
	ret
FUNC q_narrow			// loads of B/H/S/D clear the rest of the register
	ldr	q0, [x0]
	ldr	b0, [x0, #16]
	str	q0, [x1]
	ldr	q1, [x0]
	ldr	h1, [x0, #16]
	str	q1, [x1, #16]
	ldr	q2, [x0]
	ldr	s2, [x0, #16]
	str	q2, [x1, #32]
	ldr	q3, [x0]
	ldr	d3, [x0, #16]
	str	q3, [x1, #48]
	str	b3, [x1, #64]
	str	h3, [x1, #66]
	str	s3, [x1, #68]
	str	d3, [x1, #72]
	ret
FUNC q_pairs_index		// pre/post index and non-temporal Q pairs, and D/S pairs
	ldp	q0, q1, [x0], #32
	stnp	q0, q1, [x1]
	ldnp	q2, q3, [x1]
	stp	q3, q2, [x1, #32]!
	ldp	d4, d5, [x0, #-32]
	stp	d5, d4, [x1, #32]
	ldp	s6, s7, [x0, #-32]
	stp	s7, s6, [x1, #48]
	mov	x2, x0
	mov	x0, x1
	mov	x1, x2
	ret

/* ---- prefetch: no effect, never faults ------------------------------------- */
FUNC prefetches			// x0 = an address with no memory behind it
	prfm	pldl1keep, [x0]
	prfm	pstl3strm, [x0, #4088]
	prfum	plil2keep, [x0, #-1]
	prfm	pldl2keep, [x0, x1, lsl #3]
	mov	x0, #1
	ret
