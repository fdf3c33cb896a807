/*
 * copy_mc_page_v8.S - BROKEN ON PURPOSE: round v8 of the arm64 copy_mc
 * series as reviewed in shared/seeds/000. Loads and stores carry entries of
 * a new type whose handler only moves PC (profile arm64-copy-mc-v8), and
 * the fixup is a bare `ret`: the caller gets back whatever x0 held - the
 * advancing destination pointer - instead of an error ("is there any error
 * returned here?"). Its campaign must say wrong-residue.
 */
#define EX_TYPE_COPY_MC_PAGE 5

.macro fixup_entry fixup
	.pushsection __ex_table, "a"
	.balign	4
	.long	(99f - 4 - .)
	.long	(\fixup - .)
	.short	EX_TYPE_COPY_MC_PAGE
	.short	0
	.popsection
99:
.endm

.macro LDP_X a, b, mem:vararg
	ldp	\a, \b, \mem
	fixup_entry .Lfault
.endm
.macro STP_X a, b, mem:vararg
	stp	\a, \b, \mem
	fixup_entry .Lfault
.endm
.macro COPY_DONE
	mov	x0, #0
.endm

.macro body
#include "../../aarch64/copy_page_template.inc"
.endm

	.text
	.balign	16
	.globl	broken_copy_mc_page_v8
	.type	broken_copy_mc_page_v8, %function
broken_copy_mc_page_v8:
	body
.Lfault:
	ret				// the bug: no error is set
	.size	broken_copy_mc_page_v8, . - broken_copy_mc_page_v8
