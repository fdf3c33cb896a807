/*
 * memcpy.S - void *rasim_memcpy(void *dst, const void *src, size_t n)
 * (riscv): the template with plain loads and stores. A memory error during
 * the copy is fatal, as it is for the kernel's own memcpy.
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
	mv	a0, t6			# memcpy returns dst
.endm

.macro body
#include "memcpy_template.inc"
.endm

	.text
	.globl	rasim_memcpy
	.type	rasim_memcpy, @function
rasim_memcpy:
	body
	.size	rasim_memcpy, . - rasim_memcpy
