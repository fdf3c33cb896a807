/*
 * ctrl.S - control transfer: each branch returns 1 when taken and 0 when
 * not; jumps return through the paths they should take.
 */
#include "macros.h"

	.option norvc
	.text
.macro BR op
FUNC(br_\op)
	\op	a0, a1, 1f
	li	a0, 0
	ret
1:	li	a0, 1
	ret
.endm
.irp op, beq, bne, blt, bge, bltu, bgeu
BR \op
.endr

	.option rvc
FUNC(br_c_beqz)
	c.beqz	a0, 1f
	li	a0, 0
	ret
1:	li	a0, 1
	ret
FUNC(br_c_bnez)
	c.bnez	a0, 1f
	li	a0, 0
	ret
1:	li	a0, 1
	ret

/* A backward branch loop: sums 1..a0. */
FUNC(sum_to)
	li	t0, 0
1:	beqz	a0, 2f
	add	t0, t0, a0
	addi	a0, a0, -1
	j	1b
2:	mv	a0, t0
	ret

/* jal links the next instruction; the callee adds 100. */
	.option norvc
FUNC(jal_call)
	mv	t1, ra
	jal	ra, add100
	mv	ra, t1
	ret
add100:
	addi	a0, a0, 100
	ret

/* jalr with an offset: a0 = address of add100 - 8. */
FUNC(jalr_offset)
	mv	t1, ra
	lla	t0, add100
	addi	t0, t0, -8
	jalr	ra, 8(t0)
	mv	ra, t1
	ret

/* jalr whose rd is its rs1: the target comes from the old value. */
FUNC(jalr_rd_is_rs1)
	mv	t1, ra
	lla	a0, 1f
	jalr	a0, 0(a0)
	li	a0, -1		/* skipped */
1:	mv	ra, t1		/* a0 = the link: address of the li above */
	ret

/* jalr to an odd address: bit 0 is cleared. */
FUNC(jalr_odd)
	lla	t0, 1f
	addi	t0, t0, 1
	jalr	zero, 0(t0)
	li	a0, -1
	ret
1:	li	a0, 1
	ret

	.option rvc
/* c.jal does not exist on RV64; c.jalr and c.j do. */
FUNC(c_jalr_call)
	mv	t1, ra
	lla	t0, add100
	c.jalr	t0
	mv	ra, t1
	ret
FUNC(c_j_forward)
	li	a0, 0
	c.j	1f
	li	a0, -1
1:	addi	a0, a0, 7
	ret
