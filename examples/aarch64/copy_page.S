/*
 * copy_page.S - void rasim_copy_page(void *to, const void *from) (arm64):
 * the template with plain LDP/STP. A memory error while copying is fatal,
 * as it is for the kernel's copy_page: no instruction has an extable entry.
 */
.macro LDP_X a, b, mem:vararg
	ldp	\a, \b, \mem
.endm
.macro STP_X a, b, mem:vararg
	stp	\a, \b, \mem
.endm
.macro COPY_DONE
.endm

.macro body
#include "copy_page_template.inc"
.endm

	.text
	.balign	16
	.globl	rasim_copy_page
	.type	rasim_copy_page, %function
rasim_copy_page:
	body
	.size	rasim_copy_page, . - rasim_copy_page
