/*
 * amo.S - LR/SC and the AMOs, for the atomics suite. a0 = address,
 * a1 = operand; a0 returns the old value (AMOs) or the SC result.
 */
#include "macros.h"

	.text
.macro AMO op, w
FUNC(amo\op\()_\w)
	amo\op\().\w	a0, a1, (a0)
	ret
.endm
.irp op, swap, add, xor, and, or, min, max, minu, maxu
AMO \op, w
AMO \op, d
.endr

/* The same with ordering bits, which change nothing on one hart. */
FUNC(amoadd_d_aqrl)
	amoadd.d.aqrl	a0, a1, (a0)
	ret

FUNC(lr_d)
	lr.d	a0, (a0)
	ret
FUNC(lr_w)
	lr.w	a0, (a0)
	ret
FUNC(sc_d)
	sc.d	a0, a1, (a0)
	ret

/* lr then sc of a1 at the same address: 0 (success). */
FUNC(lr_sc_d)
	lr.d.aq	t0, (a0)
	sc.d.rl	a0, a1, (a0)
	ret
FUNC(lr_sc_w)
	lr.w	t0, (a0)
	sc.w	a0, a1, (a0)
	ret

/* A store to the reserved bytes in between breaks it: 1. */
FUNC(lr_store_sc)
	lr.d	t0, (a0)
	sw	zero, 4(a0)
	sc.d	a0, a1, (a0)
	ret

/* A store elsewhere does not: 0. */
FUNC(lr_store_elsewhere_sc)
	lr.d	t0, (a0)
	sd	zero, 8(a0)
	sc.d	a0, a1, (a0)
	ret

/* sc to an address the reservation does not cover: 1, nothing written. */
FUNC(lr_sc_other_address)
	lr.d	t0, (a0)
	addi	t1, a0, 8
	sc.d	a0, a1, (t1)
	ret

/* The second sc finds no reservation: returns first | second << 1 = 2. */
FUNC(lr_sc_sc)
	mv	t1, a0
	lr.d	t0, (t1)
	sc.d	t2, a1, (t1)
	sc.d	t3, a1, (t1)
	slli	t3, t3, 1
	or	a0, t2, t3
	ret

/* A trap (ecall, handled and returned by the test's M handler) breaks
 * the reservation: 1. */
FUNC(lr_trap_sc)
	lr.d	t0, (a0)
	ecall
	sc.d	a0, a1, (a0)
	ret

/* lr.w reserves 4 bytes: an sc.d over 8 of them fails. */
FUNC(lr_w_sc_d)
	lr.w	t0, (a0)
	sc.d	a0, a1, (a0)
	ret

/* M handler for lr_trap_sc: skip the ecall and return. */
	.balign 4
FUNC(skip_handler)
	csrr	t0, mepc
	addi	t0, t0, 4
	csrw	mepc, t0
	mret
