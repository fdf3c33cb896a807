/*
 * memcpy_mc.S - machine-check-safe copies (riscv), in the shape of the
 * riscv copy_mc patch (shared/seeds/001): the memcpy template, but every
 * LOAD carries an EX_TYPE_FIXUP entry, so a hardware error (or access
 * fault) on the source continues at the fixup, which returns the bytes
 * still outstanding. Stores are plain: the destination is the kernel's own
 * memory.
 *
 *   unsigned long rasim_memcpy_mc(void *dst, const void *src, size_t n);
 *   unsigned long rasim_copy_mc_to_kernel(void *dst, const void *src, size_t n);
 *   unsigned long rasim_copy_mc_to_user(void __user *dst, const void *src, size_t n);
 * return 0 when everything was copied, else the bytes not copied.
 */
#define EX_TYPE_FIXUP 1
#define SR_SUM (1 << 18)

/* An __ex_table entry for the instruction just before it. */
.macro fixup_prev fixup
	.pushsection __ex_table, "a"
	.balign	4
	.long	(99f - 4 - .)
	.long	(\fixup - .)
	.short	EX_TYPE_FIXUP
	.short	0
	.popsection
99:
.endm

.macro LOAD_B reg, mem
	lbu	\reg, \mem
	fixup_prev .Lmc_fault
.endm
.macro STORE_B reg, mem
	sb	\reg, \mem
.endm
.macro LOAD_REG reg, mem
	ld	\reg, \mem
	fixup_prev .Lmc_fault
.endm
.macro STORE_REG reg, mem
	sd	\reg, \mem
.endm
.macro COPY_DONE
	li	a0, 0			# nothing left to copy
.endm

.macro body
#include "memcpy_template.inc"
.endm

	.text
	.globl	rasim_memcpy_mc
	.type	rasim_memcpy_mc, @function
rasim_memcpy_mc:
	body
.Lmc_fault:
	mv	a0, a2			# the bytes not copied, including the failed chunk
	ret
	.size	rasim_memcpy_mc, . - rasim_memcpy_mc

/* The kernel's names for it: to kernel memory, and to user memory with
 * sstatus.SUM set around the copy so S-mode may touch user pages. */
	.globl	rasim_copy_mc_to_kernel
	.type	rasim_copy_mc_to_kernel, @function
rasim_copy_mc_to_kernel:
	tail	rasim_memcpy_mc
	.size	rasim_copy_mc_to_kernel, . - rasim_copy_mc_to_kernel

	.globl	rasim_copy_mc_to_user
	.type	rasim_copy_mc_to_user, @function
rasim_copy_mc_to_user:
	addi	sp, sp, -16
	sd	ra, 8(sp)
	li	t5, SR_SUM
	csrs	sstatus, t5
	call	rasim_memcpy_mc
	li	t5, SR_SUM
	csrc	sstatus, t5
	ld	ra, 8(sp)
	addi	sp, sp, 16
	ret
	.size	rasim_copy_mc_to_user, . - rasim_copy_mc_to_user
