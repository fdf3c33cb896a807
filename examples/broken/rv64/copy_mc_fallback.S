/*
 * copy_mc_fallback.S - BROKEN ON PURPOSE. What riscv had before the copy_mc
 * patch (shared/seeds/001): with no ARCH_HAS_COPY_MC the generic
 * copy_mc_to_kernel() is a plain memcpy that returns 0. No load has an
 * __ex_table entry, so a memory error on the source is an oops in the
 * caller's context - the bug the patch fixes. Its campaign must say oops.
 */
.macro LOAD_B reg, mem
	lbu	\reg, \mem
.endm
.macro STORE_B reg, mem
	sb	\reg, \mem
.endm
.macro LOAD_REG reg, mem
	ld	\reg, \mem
.endm
.macro STORE_REG reg, mem
	sd	\reg, \mem
.endm
.macro COPY_DONE
	li	a0, 0			# "nothing left to copy", always
.endm

.macro body
#include "../../rv64/memcpy_template.inc"
.endm

	.text
	.globl	broken_copy_mc_to_kernel
	.type	broken_copy_mc_to_kernel, @function
broken_copy_mc_to_kernel:
	body
	.size	broken_copy_mc_to_kernel, . - broken_copy_mc_to_kernel
