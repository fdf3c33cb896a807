/*
 * mem.S - loads, stores, cache-block operations and code that rewrites
 * itself, for the memory suite. Arguments in a0 (address), a1 (value).
 */
#include "macros.h"

	.text
.macro LOAD op
FUNC(do_\op)
	\op	a0, 0(a0)
	ret
.endm
.macro STORE op
FUNC(do_\op)
	\op	a1, 0(a0)
	ret
.endm
.irp op, lb, lh, lw, ld, lbu, lhu, lwu
LOAD \op
.endr
.irp op, sb, sh, sw, sd
STORE \op
.endr

/* Compressed loads and stores, with the largest offsets they encode. */
FUNC(do_c_ld)
	c.ld	a0, 248(a0)
	ret
FUNC(do_c_sd)
	c.sd	a1, 248(a0)
	ret
FUNC(do_c_lw)
	c.lw	a0, 124(a0)
	ret
FUNC(do_c_sw)
	c.sw	a1, 124(a0)
	ret
/* Stack-relative forms: sp = a0 for the call. */
FUNC(do_c_ldsp)
	mv	t0, sp
	mv	sp, a0
	c.ldsp	a0, 504(sp)
	mv	sp, t0
	ret
FUNC(do_c_sdsp)
	mv	t0, sp
	mv	sp, a0
	c.sdsp	a1, 504(sp)
	mv	sp, t0
	ret
FUNC(do_c_lwsp)
	mv	t0, sp
	mv	sp, a0
	c.lwsp	a0, 252(sp)
	mv	sp, t0
	ret
FUNC(do_c_swsp)
	mv	t0, sp
	mv	sp, a0
	c.swsp	a1, 252(sp)
	mv	sp, t0
	ret

FUNC(do_cbo_zero)
	CBO_ZERO(a0)
	ret
FUNC(do_cbo_clean)
	CBO_CLEAN(a0)
	ret
FUNC(do_cbo_flush)
	CBO_FLUSH(a0)
	ret
FUNC(do_cbo_inval)
	CBO_INVAL(a0)
	ret

FUNC(do_fence_i)
	fence.i
	ret

/* patch_and_call(a0 = address, a1 = instruction word): store the word at
 * a0 (with no fence.i), then call a0. */
FUNC(patch_and_call)
	addi	sp, sp, -16
	sd	ra, 0(sp)
	sw	a1, 0(a0)
	jalr	a0
	ld	ra, 0(sp)
	addi	sp, sp, 16
	ret

/* A routine that is rewritten: returns 1 until patched. */
	.balign 4
FUNC(patchable)
	.option push
	.option norvc
	li	a0, 1
	.option pop
	ret

/* A loop that rewrites its own next instruction while it runs: each pass
 * stores "addi a0, a0, 2" over "addi a0, a0, 1" at 1f, so only the first
 * pass adds 1. Three passes: 1 + 2 + 2 = 5. */
FUNC(self_modifying_loop)
	.option push
	.option norvc
	li	a0, 0
	li	t1, 3
	lla	t2, 1f
	li	t3, 0x00250513		/* addi a0, a0, 2 */
0:
1:	addi	a0, a0, 1
	sw	t3, 0(t2)
	addi	t1, t1, -1
	bnez	t1, 0b
	.option pop
	ret

/* amoswap.w a1 into (a0); the old word in a0. */
FUNC(do_amoswap_w)
	amoswap.w	a0, a1, (a0)
	ret

/* A 64-byte block of its own that holds a routine (returns 5), for
 * cbo.zero and AMOs over code. */
	.balign 64
FUNC(block_code)
	.option push
	.option norvc
	li	a0, 5
	ret
	.option pop
	.balign 64

/* A compressed instruction in the last two bytes of a page executes
 * without touching the next page (end_of_page is placed by the test). */
FUNC(c_addi_a0_1)
	c.addi	a0, 1
	c.jr	ra
