/*
 * alu.S - data processing routines for test_a64_alu.c. Each takes its
 * operands in x0..x3 and returns the result in x0 (and NZCV in x1 where
 * flags matter). Flag inputs are set with MSR NZCV from x2 or x3.
 */
#include "func.h"

/* ---- add/subtract with flags: the AddWithCarry boundaries ---------------- */
FUNC adds_x
	adds	x0, x0, x1
	RET_NZCV
FUNC adds_w
	adds	w0, w0, w1
	RET_NZCV
FUNC subs_x
	subs	x0, x0, x1
	RET_NZCV
FUNC subs_w
	subs	w0, w0, w1
	RET_NZCV
FUNC adcs_x
	msr	nzcv, x2
	adcs	x0, x0, x1
	RET_NZCV
FUNC adcs_w
	msr	nzcv, x2
	adcs	w0, w0, w1
	RET_NZCV
FUNC sbcs_x
	msr	nzcv, x2
	sbcs	x0, x0, x1
	RET_NZCV
FUNC sbcs_w
	msr	nzcv, x2
	sbcs	w0, w0, w1
	RET_NZCV
FUNC adc_x
	msr	nzcv, x2
	adc	x0, x0, x1
	ret
FUNC sbc_w
	msr	nzcv, x2
	sbc	w0, w0, w1
	ret
FUNC cmp_imm_x			// SUBS XZR, x0, #4095
	cmp	x0, #4095
	RET_NZCV
FUNC cmn_imm_shift_w		// ADDS WZR, w0, #1, lsl #12
	cmn	w0, #1, lsl #12
	RET_NZCV
FUNC adds_imm_x
	adds	x0, x0, #1
	RET_NZCV
FUNC subs_imm_w
	subs	w0, w0, #1
	RET_NZCV

/* ---- add/subtract, shifted and extended register ------------------------- */
FUNC add_lsl0
	add	x0, x0, x1, lsl #0
	ret
FUNC add_lsl63
	add	x0, x0, x1, lsl #63
	ret
FUNC sub_lsr63
	sub	x0, x0, x1, lsr #63
	ret
FUNC add_asr63
	add	x0, x0, x1, asr #63
	ret
FUNC add_w_lsl31
	add	w0, w0, w1, lsl #31
	ret
FUNC add_w_asr31
	add	w0, w0, w1, asr #31
	ret
FUNC add_w			// upper half of x0 must come out zero
	add	w0, w0, w1
	ret
FUNC neg_x
	neg	x0, x1
	ret
FUNC add_sxtw2
	add	x0, x0, w1, sxtw #2
	ret
FUNC add_uxtw
	add	x0, x0, w1, uxtw
	ret
FUNC sub_uxtb4
	sub	x0, x0, w1, uxtb #4
	ret
FUNC add_sxth
	add	x0, x0, w1, sxth
	ret
FUNC add_w_sxtb
	add	w0, w0, w1, sxtb
	ret
FUNC adds_sxtx3
	adds	x0, x0, x1, sxtx #3
	RET_NZCV
FUNC add_sp_uxtx		// x0 = sp + x1 (Rn = SP)
	add	x0, sp, x1, uxtx
	ret
FUNC sp_arith			// write SP with ADD (imm) and read it back
	mov	x2, sp
	sub	sp, sp, #32
	add	sp, sp, x0, uxtx	// Rd = SP in the extended form
	mov	x0, sp
	mov	sp, x2
	ret

/* ---- logical ------------------------------------------------------------- */
FUNC and_imm_x
	and	x0, x0, #0x5555555555555555
	ret
FUNC orr_imm_w
	orr	w0, w0, #0xff00ff00
	ret
FUNC eor_imm_x
	eor	x0, x0, #0xfffffffffffffffe
	ret
FUNC ands_imm_x
	ands	x0, x0, #0x8000000000000000
	RET_NZCV
FUNC tst_imm_w
	tst	w0, #0x80000000
	RET_NZCV
FUNC and_imm_sp			// AND (immediate) may write SP
	mov	x2, sp
	and	sp, x0, #0xfffffffffffffff0
	mov	x0, sp
	mov	sp, x2
	ret
FUNC bic_x
	bic	x0, x0, x1
	ret
FUNC orn_w
	orn	w0, w0, w1
	ret
FUNC eon_x_ror1
	eon	x0, x0, x1, ror #1
	ret
FUNC orr_w_ror31
	orr	w0, w0, w1, ror #31
	ret
FUNC eor_lsr63
	eor	x0, x0, x1, lsr #63
	ret
FUNC ands_x
	ands	x0, x0, x1
	RET_NZCV
FUNC bics_w_asr31
	bics	w0, w0, w1, asr #31
	RET_NZCV
FUNC mov_w			// MOV Wd, Wm: zero-extends
	mov	w0, w1
	ret
FUNC mvn_x
	mvn	x0, x1
	ret

/* ---- move wide ----------------------------------------------------------- */
FUNC movz_x_48
	movz	x0, #0x1234, lsl #48
	ret
FUNC movn_w
	movn	w0, #0
	ret
FUNC movn_x_16
	movn	x0, #0x1, lsl #16
	ret
FUNC movk_x_32
	movk	x0, #0xbeef, lsl #32
	ret
FUNC movk_w_16			// a W write: bits 63:32 cleared
	movk	w0, #0xcafe, lsl #16
	ret

/* ---- bitfield and extract ------------------------------------------------ */
FUNC ubfx_x_60_4
	ubfx	x0, x0, #60, #4
	ret
FUNC sbfx_x_0_1
	sbfx	x0, x0, #0, #1
	ret
FUNC sbfx_w_4_8
	sbfx	w0, w0, #4, #8
	ret
FUNC bfi_x_8_16
	bfi	x0, x1, #8, #16
	ret
FUNC bfxil_w_28_4
	bfxil	w0, w1, #28, #4
	ret
FUNC ubfiz_x_63_1
	ubfiz	x0, x0, #63, #1
	ret
FUNC sbfiz_w_2_8
	sbfiz	w0, w0, #2, #8
	ret
FUNC lsl_x_63
	lsl	x0, x0, #63
	ret
FUNC lsl_x_0
	lsl	x0, x0, #0
	ret
FUNC lsr_x_63
	lsr	x0, x0, #63
	ret
FUNC asr_x_63
	asr	x0, x0, #63
	ret
FUNC asr_w_31
	asr	w0, w0, #31
	ret
FUNC lsr_w_0
	lsr	w0, w0, #0
	ret
FUNC sxtb_x
	sxtb	x0, w0
	ret
FUNC sxth_w
	sxth	w0, w0
	ret
FUNC sxtw_x
	sxtw	x0, w0
	ret
FUNC uxtb_w
	uxtb	w0, w0
	ret
FUNC uxth_w
	uxth	w0, w0
	ret
FUNC extr_x_0
	extr	x0, x0, x1, #0
	ret
FUNC extr_x_63
	extr	x0, x0, x1, #63
	ret
FUNC extr_w_16
	extr	w0, w0, w1, #16
	ret
FUNC ror_x_imm_13
	ror	x0, x0, #13
	ret

/* ---- variable shifts: the amount is taken modulo the datasize ------------ */
FUNC lslv_x
	lsl	x0, x0, x1
	ret
FUNC lsrv_x
	lsr	x0, x0, x1
	ret
FUNC asrv_x
	asr	x0, x0, x1
	ret
FUNC rorv_x
	ror	x0, x0, x1
	ret
FUNC lslv_w
	lsl	w0, w0, w1
	ret
FUNC lsrv_w
	lsr	w0, w0, w1
	ret
FUNC asrv_w
	asr	w0, w0, w1
	ret
FUNC rorv_w
	ror	w0, w0, w1
	ret

/* ---- multiply and divide ------------------------------------------------- */
FUNC madd_x
	madd	x0, x0, x1, x2
	ret
FUNC msub_w
	msub	w0, w0, w1, w2
	ret
FUNC smaddl_x
	smaddl	x0, w0, w1, x2
	ret
FUNC umaddl_x
	umaddl	x0, w0, w1, x2
	ret
FUNC smsubl_x
	smsubl	x0, w0, w1, x2
	ret
FUNC umsubl_x
	umsubl	x0, w0, w1, x2
	ret
FUNC smulh_x
	smulh	x0, x0, x1
	ret
FUNC umulh_x
	umulh	x0, x0, x1
	ret
FUNC mul_w
	mul	w0, w0, w1
	ret
FUNC udiv_x
	udiv	x0, x0, x1
	ret
FUNC sdiv_x
	sdiv	x0, x0, x1
	ret
FUNC udiv_w
	udiv	w0, w0, w1
	ret
FUNC sdiv_w
	sdiv	w0, w0, w1
	ret

/* ---- one-source ---------------------------------------------------------- */
FUNC clz_x
	clz	x0, x0
	ret
FUNC clz_w
	clz	w0, w0
	ret
FUNC cls_x
	cls	x0, x0
	ret
FUNC cls_w
	cls	w0, w0
	ret
FUNC rbit_x
	rbit	x0, x0
	ret
FUNC rbit_w
	rbit	w0, w0
	ret
FUNC rev_x
	rev	x0, x0
	ret
FUNC rev_w
	rev	w0, w0
	ret
FUNC rev16_x
	rev16	x0, x0
	ret
FUNC rev16_w
	rev16	w0, w0
	ret
FUNC rev32_x
	rev32	x0, x0
	ret

/* ---- conditions: one routine per condition for CSEL, CSINC, CSINV, CSNEG,
 * CCMP (register and immediate), CCMN, CSET and B.cond; NZCV comes in x2. */
.irp cond, eq, ne, cs, cc, mi, pl, vs, vc, hi, ls, ge, lt, gt, le, al, nv
FUNC csel_\cond
	msr	nzcv, x2
	csel	x0, x0, x1, \cond
	ret
FUNC csinc_\cond
	msr	nzcv, x2
	csinc	x0, x0, x1, \cond
	ret
FUNC csinv_\cond
	msr	nzcv, x2
	csinv	w0, w0, w1, \cond
	ret
FUNC csneg_\cond
	msr	nzcv, x2
	csneg	x0, x0, x1, \cond
	ret
FUNC ccmp_\cond
	msr	nzcv, x2
	ccmp	x0, x1, #0b1010, \cond
	RET_NZCV
FUNC ccmp_imm_\cond
	msr	nzcv, x2
	ccmp	w0, #31, #0b0101, \cond
	RET_NZCV
FUNC ccmn_\cond
	msr	nzcv, x2
	ccmn	x0, x1, #0b0011, \cond
	RET_NZCV
FUNC bcond_\cond
	msr	nzcv, x2
	mov	x0, #0
	b.\cond	1f
	ret
1:	mov	x0, #1
	ret
.endr

/* ---- branches ------------------------------------------------------------ */
FUNC cbz_w			// 1 if w0 == 0 (the upper half is ignored)
	cbz	w0, 1f
	mov	x0, #0
	ret
1:	mov	x0, #1
	ret
FUNC cbnz_x
	cbnz	x0, 1f
	mov	x0, #0
	ret
1:	mov	x0, #1
	ret
FUNC tbz_0
	tbz	x0, #0, 1f
	mov	x0, #0
	ret
1:	mov	x0, #1
	ret
FUNC tbnz_63
	tbnz	x0, #63, 1f
	mov	x0, #0
	ret
1:	mov	x0, #1
	ret
FUNC tbz_w31
	tbz	w0, #31, 1f
	mov	x0, #0
	ret
1:	mov	x0, #1
	ret
FUNC call_chain			// BL, BLR, BR and RET through a register
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	add_one
	adr	x9, add_one
	blr	x9
	adr	x10, 2f
	br	x10
	brk	#1
2:	ldp	x29, x30, [sp], #16
	ret
FUNC add_one
	add	x0, x0, #1
	ret
FUNC blr_x30			// BLR x30: the target is read before LR is written
	stp	x29, x30, [sp, #-16]!
	adr	x30, add_one
	blr	x30
	ldp	x29, x30, [sp], #16
	ret
FUNC ret_x5
	adr	x5, 1f
	ret	x5
	brk	#2
1:	mov	x0, #77
	ret
FUNC adr_self			// x0 = address of adr_self, x1 = its page (ADRP)
	adr	x0, adr_self
	adrp	x1, adr_self
	ret
FUNC adr_back
	adr	x0, .-4
	ret
