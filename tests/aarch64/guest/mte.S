/*
 * mte.S - MTE tag instructions for test_a64_mte.c, and tag routines in the
 * style of arch/arm64/lib/mte.S (our own code, KERNEL-FACTS.md 9).
 */
#include "func.h"

FUNC stg_ldg			// x0 = granule, x1 = tag source; x0 = LDG result
	stg	x1, [x0]
	mov	x2, #0x1234
	ldg	x2, [x0]
	mov	x0, x2
	ret
FUNC stg_index			// pre-index then post-index writeback
	stg	x1, [x0, #16]!
	stg	x1, [x0], #32
	ret
FUNC stg_sp			// STG's Rt = 31 is SP: the tag comes from SP
	mov	x2, sp
	mov	sp, x1
	stg	sp, [x0]
	mov	sp, x2
	ret
FUNC st2g_at
	st2g	x1, [x0]
	ret
FUNC stzg_at
	stzg	x1, [x0]
	ret
FUNC stz2g_at
	stz2g	x1, [x0, #-32]!
	ret
FUNC stgp_at			// data from x1, x2; tag from the address x0
	stgp	x1, x2, [x0]
	ret
FUNC ldg_at			// x0 = address, x1 = register to merge into
	ldg	x1, [x0, #16]
	mov	x0, x1
	ret
FUNC ldgm_at
	ldgm	x1, [x0]
	mov	x0, x1
	ret
FUNC stgm_at
	stgm	x1, [x0]
	ret
FUNC stzgm_at
	stzgm	x1, [x0]
	ret
FUNC dc_gva_at
	dc	gva, x0
	ret
FUNC dc_gzva_at
	dc	gzva, x0
	ret
FUNC dc_zva_at
	dc	zva, x0
	ret
FUNC irg_excl			// x0 = pointer, x1 = extra exclusions
	irg	x0, x0, x1
	ret
FUNC irg_sp			// IRG Xd|SP, Xn|SP
	mov	x2, sp
	mov	sp, x0
	irg	sp, sp
	mov	x0, sp
	mov	sp, x2
	ret
FUNC gmi_of
	gmi	x0, x0, x1
	ret
FUNC addg_3			// +0x20, tag +3 (skipping excluded tags)
	addg	x0, x0, #32, #3
	ret
FUNC subg_1
	subg	x0, x0, #16, #1
	ret
FUNC subp_of
	subp	x0, x0, x1
	ret
FUNC subps_of
	subps	x0, x0, x1
	mrs	x1, nzcv
	ret

/*
 * Copy the tags of one page, as mte_copy_page_tags does: GMID_EL1.BS gives
 * the LDGM/STGM block (4 << BS bytes); x0 = to, x1 = from.
 */
FUNC rasim_mte_copy_page_tags
	mrs	x2, gmid_el1
	and	w2, w2, #0xf
	mov	x3, #4
	lsl	x3, x3, x2		// block bytes
1:	ldgm	x4, [x1]
	stgm	x4, [x0]
	add	x0, x0, x3
	add	x1, x1, x3
	tst	x0, #0xfff
	b.ne	1b
	ret

/* Clear a page's tags: STGM xzr per block. x0 = page. */
FUNC rasim_mte_clear_page_tags
	mrs	x1, gmid_el1
	and	w1, w1, #0xf
	mov	x2, #4
	lsl	x2, x2, x1
1:	stgm	xzr, [x0]
	add	x0, x0, x2
	tst	x0, #0xfff
	b.ne	1b
	ret

/* Zero a page and set its tags from the tag in x0's top byte (STZ2G loop). */
FUNC rasim_mte_zero_page_tagged
	add	x2, x0, #4096
1:	stz2g	x0, [x0], #32
	cmp	x0, x2
	b.ne	1b
	ret
