/*
 * clear_user.S - clear n bytes of user memory from the kernel (riscv).
 *
 *   unsigned long rasim_clear_user(void __user *to, unsigned long n);
 *
 * Returns the number of bytes NOT cleared: 0 on success. The caller runs in
 * S-mode with sstatus.SUM set so user pages are reachable. Each store has an
 * EX_TYPE_FIXUP entry (riscv numbering: 1): a fault continues at the fixup,
 * which computes what is left.
 */
#define EX_TYPE_FIXUP 1

.macro extable insn, fixup, type, data
	.pushsection __ex_table, "a"
	.balign 4
	.long	(\insn - .)
	.long	(\fixup - .)
	.short	\type
	.short	\data
	.popsection
.endm

	.text
	.globl	rasim_clear_user
	.type	rasim_clear_user, @function
rasim_clear_user:
	add	a3, a0, a1		# a3: end of the buffer, for the fixup
	beqz	a1, .Ldone
	andi	t0, a0, 7		# word stores only from an aligned address
	bnez	t0, .Lbytes
	li	t1, 8
.Lwords:
	bltu	a1, t1, .Lbytes
1:	sd	zero, 0(a0)
	extable	1b, .Lfault, EX_TYPE_FIXUP, 0
	addi	a0, a0, 8
	addi	a1, a1, -8
	j	.Lwords
.Lbytes:
	beqz	a1, .Ldone
2:	sb	zero, 0(a0)
	extable	2b, .Lfault, EX_TYPE_FIXUP, 0
	addi	a0, a0, 1
	addi	a1, a1, -1
	j	.Lbytes
.Ldone:
	li	a0, 0
	ret
.Lfault:
	sub	a0, a3, a0		# bytes from the faulting address to the end
	ret
	.size	rasim_clear_user, . - rasim_clear_user
