/*
 * memcpy_mc_no_error.S - BROKEN ON PURPOSE. Every load has a fixup, so a
 * memory error is survived - but the fixup returns 0, telling the caller
 * the whole copy succeeded (the question Catalin Marinas asked of the
 * arm64 series in shared/seeds/000: "is there any error returned here?").
 * The destination keeps whatever was there: silent data corruption. Its
 * campaign must say silent.
 */
#define EX_TYPE_FIXUP 1

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
	fixup_prev .Lfault
.endm
.macro STORE_B reg, mem
	sb	\reg, \mem
.endm
.macro LOAD_REG reg, mem
	ld	\reg, \mem
	fixup_prev .Lfault
.endm
.macro STORE_REG reg, mem
	sd	\reg, \mem
.endm
.macro COPY_DONE
	li	a0, 0
.endm

.macro body
#include "../../rv64/memcpy_template.inc"
.endm

	.text
	.globl	broken_memcpy_mc_no_error
	.type	broken_memcpy_mc_no_error, @function
broken_memcpy_mc_no_error:
	body
.Lfault:
	li	a0, 0			# the bug: success, whatever happened
	ret
	.size	broken_memcpy_mc_no_error, . - broken_memcpy_mc_no_error
