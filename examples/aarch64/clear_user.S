/*
 * clear_user.S - clear n bytes of user memory from the kernel (arm64).
 *
 *   unsigned long rasim_clear_user(void __user *to, unsigned long n);
 *
 * Returns the number of bytes NOT cleared: 0 on success. The stores are
 * STTR/STTRB, the unprivileged forms, so an EL1 caller gets EL0's
 * permissions; each one carries an __ex_table entry so that a fault on the
 * user address lands at the fixup instead of oopsing. The entries use
 * EX_TYPE_UACCESS_ERR_ZERO with both register fields set to xzr (no
 * register written), as the kernel's uaccess macros do for such loops.
 */
#define EX_TYPE_UACCESS_ERR_ZERO 2
#define XZR 31

/* One extable entry: self-relative insn and fixup offsets, type, data. */
.macro extable insn, fixup, type, err, zero
	.pushsection __ex_table, "a"
	.balign 4
	.long	(\insn - .)
	.long	(\fixup - .)
	.short	\type
	.short	(\err | (\zero << 5))
	.popsection
.endm

	.text
	.balign	4
	.globl	rasim_clear_user
	.type	rasim_clear_user, %function
rasim_clear_user:
	add	x2, x0, x1		// x2: end of the buffer, for the fixup
	subs	x1, x1, #8
	b.mi	.Lbytes
.Lwords:
1:	sttr	xzr, [x0]		// 8 bytes at a time while 8 remain
	extable	1b, .Lfault, EX_TYPE_UACCESS_ERR_ZERO, XZR, XZR
	add	x0, x0, #8
	subs	x1, x1, #8
	b.pl	.Lwords
.Lbytes:
	adds	x1, x1, #8		// 0..7 bytes left
	b.eq	.Ldone
2:	sttrb	wzr, [x0]
	extable	2b, .Lfault, EX_TYPE_UACCESS_ERR_ZERO, XZR, XZR
	add	x0, x0, #1
	subs	x1, x1, #1
	b.ne	2b
.Ldone:
	mov	x0, #0
	ret
.Lfault:
	sub	x0, x2, x0		// bytes from the faulting address to the end
	ret
	.size	rasim_clear_user, . - rasim_clear_user
