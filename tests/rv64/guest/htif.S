/*
 * htif.S - talking to the host through tohost, as riscv-tests and
 * bare-metal programs do (Spike's HTIF).
 */
#include "macros.h"

	.section .tohost, "aw", @progbits
	.balign 64
	.globl tohost, fromhost
tohost:		.dword 0
	.balign 64
fromhost:	.dword 0

	.text
/* riscv-tests' RVTEST_PASS: the low word first, then the high one. */
FUNC(htif_pass)
	li	t0, 1
	lla	t1, tohost
	sw	t0, 0(t1)
	sw	zero, 4(t1)
1:	j	1b

/* RVTEST_FAIL for test number a0: (a0 << 1) | 1. */
FUNC(htif_fail)
	slli	a0, a0, 1
	ori	a0, a0, 1
	lla	t1, tohost
	sd	a0, 0(t1)
1:	j	1b

/* Print the NUL-terminated string at a0 (device 1, command 1), then
 * return the number of characters. */
FUNC(htif_puts)
	lla	t1, tohost
	li	t2, 0x0101
	slli	t2, t2, 48
	mv	t3, a0
1:	lbu	t0, 0(t3)
	beqz	t0, 2f
	or	t0, t0, t2
	sd	t0, 0(t1)
	addi	t3, t3, 1
	j	1b
2:	sub	a0, t3, a0
	ret

	.section .rodata
	.globl hello
hello:	.asciz "hello, htif\n"
