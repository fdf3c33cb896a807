/*
 * copy_mc_page.S - int rasim_copy_mc_page(void *to, const void *from)
 * (arm64), machine-check safe in the shape of the ARCH_HAS_COPY_MC series
 * round v13 (KERNEL-FACTS.md 2.2): every load AND every store carries an
 * EX_TYPE_KACCESS_ERR_ZERO_MEM_ERR entry (5) whose data names x0 as the
 * error register, so a memory error on either page continues at the fixup
 * with x0 = -EFAULT. Returns 0 when the page was copied, -EFAULT otherwise.
 * (The review of round v8, shared/seeds/000, asked for exactly this: an
 * error returned, and faults on the destination handled as well.)
 */
#include "mc_extable.inc"

.macro LDP_X a, b, mem:vararg
	ldp	\a, \b, \mem
	mem_err_entry .Lmc_fault
.endm
.macro STP_X a, b, mem:vararg
	stp	\a, \b, \mem
	mem_err_entry .Lmc_fault
.endm
.macro COPY_DONE
	mov	x0, #0
.endm

.macro body
#include "copy_page_template.inc"
.endm

	.text
	.balign	16
	.globl	rasim_copy_mc_page
	.type	rasim_copy_mc_page, %function
rasim_copy_mc_page:
	body
.Lmc_fault:
	ret				// x0 = -EFAULT, written by the fixup handler
	.size	rasim_copy_mc_page, . - rasim_copy_mc_page
