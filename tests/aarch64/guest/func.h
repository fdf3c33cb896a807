/* func.h - one global function per test routine (included by the .S files). */
.macro FUNC name
	.text
	.balign	4
	.globl	\name
	.type	\name, %function
\name:
.endm

/* Return NZCV in x1 after the instruction under test. */
.macro RET_NZCV
	mrs	x1, nzcv
	ret
.endm
