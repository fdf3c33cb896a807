/*
 * mte_copy_mc_page_tags.S - int rasim_mte_copy_mc_page_tags(void *to,
 * const void *from) (arm64): the machine-check-safe tag copy. Both the LDGM
 * (source tag storage) and the STGM (destination tag storage: a tag store
 * is a read-modify-write of packed tag storage, so it reads poison too)
 * carry an EX_TYPE_KACCESS_ERR_ZERO_MEM_ERR entry naming x0, as the data
 * copy in copy_mc_page.S does. Returns 0, or -EFAULT after a memory error.
 * The review of the series (shared/seeds/000) asked why the destination
 * was skipped: examples/broken/aarch64/mte_copy_mc_page_tags_load_only.S is
 * that round, and its campaign shows what the skip costs.
 */
	.arch_extension memtag

#include "mc_extable.inc"

.macro LDGM_X xt, mem:vararg
	ldgm	\xt, \mem
	mem_err_entry .Ltags_fault
.endm
.macro STGM_X xt, mem:vararg
	stgm	\xt, \mem
	mem_err_entry .Ltags_fault
.endm
.macro TAGS_DONE
	mov	x0, #0
.endm

.macro body
#include "mte_tags_template.inc"
.endm

	.text
	.balign	16
	.globl	rasim_mte_copy_mc_page_tags
	.type	rasim_mte_copy_mc_page_tags, %function
rasim_mte_copy_mc_page_tags:
	body
.Ltags_fault:
	ret				// x0 = -EFAULT, written by the fixup handler
	.size	rasim_mte_copy_mc_page_tags, . - rasim_mte_copy_mc_page_tags
