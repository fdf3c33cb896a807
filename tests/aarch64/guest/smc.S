/*
 * smc.S - self-modifying code, loops for timing, and loads for the poison
 * tests of test_a64_codecache.c.
 */
#include "func.h"

FUNC patched			// returns 1 until patched
	mov	x0, #1
	ret

/* Write the word in w0 over patched's first instruction, with the cache
 * maintenance the architecture asks for, and call it. */
FUNC patch_with_maintenance
	stp	x29, x30, [sp, #-16]!
	adr	x1, patched
	str	w0, [x1]
	dc	cvau, x1
	dsb	ish
	ic	ivau, x1
	dsb	ish
	isb
	bl	patched
	ldp	x29, x30, [sp], #16
	ret

/* The same without maintenance: rasim's decoded code follows memory
 * anyway (as a PE with CTR_EL0.DIC/IDC-like coherence would). */
FUNC patch_without_maintenance
	stp	x29, x30, [sp, #-16]!
	adr	x1, patched
	str	w0, [x1]
	bl	patched
	ldp	x29, x30, [sp], #16
	ret

/* A loop that rewrites the instruction it is about to run again: the
 * add immediate grows by one each time round. */
FUNC self_incrementing		// x0 = iterations; returns the sum
	mov	x2, #0
	adr	x3, 1f
1:	add	x2, x2, #1
	ldr	w4, [x3]
	add	w4, w4, #(1 << 10)	// imm12 += 1
	str	w4, [x3]
	subs	x0, x0, #1
	b.ne	1b
	mov	w4, #0x0442		// put back: add x2, x2, #1 = 0x91000442
	movk	w4, #0x9100, lsl #16
	str	w4, [x3]
	mov	x0, x2
	ret

FUNC spin			// x0 = iterations, 4 instructions each
1:	add	x1, x1, #1
	eor	x2, x2, x1
	subs	x0, x0, #1
	b.ne	1b
	ret

FUNC sum_words			// x0 = buffer, x1 = count of 64-bit words
	mov	x2, #0
1:	ldr	x3, [x0], #8
	add	x2, x2, x3
	subs	x1, x1, #1
	b.ne	1b
	mov	x0, x2
	ret

FUNC load_at
	ldr	x0, [x0]
	ret

/* Store w0 over the instruction two ahead, in straight-line code, and run
 * into it with no branch in between: the store must be seen even though
 * the old word was decoded and the run did not leave the page. */
FUNC patch_ahead
	adr	x1, 1f
	str	w0, [x1]
	nop
1:	mov	x0, #1
	ret

/* The same, with the maintenance the architecture asks for. */
FUNC patch_ahead_with_maintenance
	adr	x1, 1f
	str	w0, [x1]
	dc	cvau, x1
	dsb	ish
	ic	ivau, x1
	dsb	ish
	isb
1:	mov	x0, #1
	ret

FUNC store_word			// *(u32 *)x0 = w1
	str	w1, [x0]
	ret

/* Store w1 at x0 and jump to x2: code written into a page of data and run
 * in the same run. */
FUNC store_word_and_run
	str	w1, [x0]
	br	x2
