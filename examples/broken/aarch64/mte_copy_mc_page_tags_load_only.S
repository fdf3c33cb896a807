/*
 * mte_copy_mc_page_tags_load_only.S - the tag copy of round v8 of the arm64
 * ARCH_HAS_COPY_MC series (shared/seeds/000), in our words: only the LDGM
 * has an extable entry. The reviewer asked "here you skip the destination.
 * Any reason?" - a memory error in the destination's tag storage, read by
 * the STGM's read-modify-write, finds no entry and the kernel dies. Its
 * campaign (examples/broken/arm64-mte-copy-mc-tags-load-only.yaml) shows
 * every destination line as an oops.
 */
	.arch_extension memtag

#include "../../aarch64/mc_extable.inc"

.macro LDGM_X xt, mem:vararg
	ldgm	\xt, \mem
	mem_err_entry .Ltags_fault
.endm
.macro STGM_X xt, mem:vararg
	stgm	\xt, \mem		// no entry: the destination is skipped
.endm
.macro TAGS_DONE
	mov	x0, #0
.endm

.macro body
#include "../../aarch64/mte_tags_template.inc"
.endm

	.text
	.balign	16
	.globl	broken_mte_copy_mc_page_tags
	.type	broken_mte_copy_mc_page_tags, %function
broken_mte_copy_mc_page_tags:
	body
.Ltags_fault:
	ret
	.size	broken_mte_copy_mc_page_tags, . - broken_mte_copy_mc_page_tags
