/*
 * mte_copy_page_tags.S - void rasim_mte_copy_page_tags(void *to,
 * const void *from) (arm64): copy the MTE allocation tags of one page, as
 * the kernel does next to copy_page() for a tagged page. No instruction has
 * an extable entry: a memory error in tag storage is fatal here, as it is
 * for the kernel's own mte_copy_page_tags.
 */
	.arch_extension memtag

.macro LDGM_X xt, mem:vararg
	ldgm	\xt, \mem
.endm
.macro STGM_X xt, mem:vararg
	stgm	\xt, \mem
.endm
.macro TAGS_DONE
.endm

.macro body
#include "mte_tags_template.inc"
.endm

	.text
	.balign	16
	.globl	rasim_mte_copy_page_tags
	.type	rasim_mte_copy_page_tags, %function
rasim_mte_copy_page_tags:
	body
	.size	rasim_mte_copy_page_tags, . - rasim_mte_copy_page_tags
