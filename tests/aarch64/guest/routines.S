/*
 * routines.S - memcpy, memset, copy_page, clear_page and the user-copy
 * routines, written for rasim in the style of arch/arm64/lib (our own
 * code): 16-byte LDP/STP bodies with overlapping unaligned heads and
 * tails, STNP and PRFM in copy_page, DC ZVA sized by DCZID_EL0, and
 * LDTR/STTR on the user side of copy_{from,to}_user with __ex_table
 * entries. test_a64_routines.c checks them against C.
 */
#include "func.h"

#define EX_TYPE_UACCESS_ERR_ZERO 2
#define XZR 31

/* One extable entry, as the kernel's _asm_extable does. */
.macro extable insn, fixup
	.pushsection __ex_table, "a"
	.balign	4
	.long	(\insn - .)
	.long	(\fixup - .)
	.short	EX_TYPE_UACCESS_ERR_ZERO
	.short	(XZR | (XZR << 5))
	.popsection
.endm

/*
 * void *rasim_memcpy(void *dst, const void *src, size_t n)
 * 0..15 bytes by size class; 16..32 as two overlapping 16-byte copies,
 * 33..64 as two overlapping 32-byte copies; larger: a 16-byte head, a
 * 64-byte loop on 16-aligned dst, and the last 64 bytes copied from the
 * end (overlapping what the loop did).
 */
FUNC rasim_memcpy
	add	x4, x1, x2		// src end
	add	x5, x0, x2		// dst end
	cmp	x2, #16
	b.lo	.Lcpy_small
	cmp	x2, #32
	b.hi	.Lcpy_33
	ldp	x6, x7, [x1]
	ldp	x8, x9, [x4, #-16]
	stp	x6, x7, [x0]
	stp	x8, x9, [x5, #-16]
	ret
.Lcpy_33:
	cmp	x2, #64
	b.hi	.Lcpy_large
	ldp	x6, x7, [x1]
	ldp	x8, x9, [x1, #16]
	ldp	x10, x11, [x4, #-32]
	ldp	x12, x13, [x4, #-16]
	stp	x6, x7, [x0]
	stp	x8, x9, [x0, #16]
	stp	x10, x11, [x5, #-32]
	stp	x12, x13, [x5, #-16]
	ret
.Lcpy_small:
	tbz	x2, #3, 1f		// 8..15
	ldr	x6, [x1]
	ldr	x7, [x4, #-8]
	str	x6, [x0]
	str	x7, [x5, #-8]
	ret
1:	tbz	x2, #2, 2f		// 4..7
	ldr	w6, [x1]
	ldr	w7, [x4, #-4]
	str	w6, [x0]
	str	w7, [x5, #-4]
	ret
2:	cbz	x2, 3f			// 1..3: first, middle, last byte
	lsr	x8, x2, #1
	ldrb	w6, [x1]
	ldrb	w7, [x4, #-1]
	ldrb	w9, [x1, x8]
	strb	w6, [x0]
	strb	w9, [x0, x8]
	strb	w7, [x5, #-1]
3:	ret
.Lcpy_large:
	ldp	x6, x7, [x1]		// head, unaligned
	stp	x6, x7, [x0]
	and	x3, x0, #15
	sub	x3, x3, #16		// -(16 - misalignment)
	sub	x1, x1, x3		// advance both by 16 - misalignment
	sub	x6, x0, x3		// x6: aligned dst cursor
	sub	x2, x5, x6		// bytes left from there
	subs	x2, x2, #64
	b.ls	.Lcpy_tail64
.Lcpy_loop64:
	ldp	x7, x8, [x1]
	ldp	x9, x10, [x1, #16]
	ldp	x11, x12, [x1, #32]
	ldp	x13, x14, [x1, #48]
	add	x1, x1, #64
	stp	x7, x8, [x6]
	stp	x9, x10, [x6, #16]
	stp	x11, x12, [x6, #32]
	stp	x13, x14, [x6, #48]
	add	x6, x6, #64
	subs	x2, x2, #64
	b.hi	.Lcpy_loop64
.Lcpy_tail64:				// the last 64 bytes, from the end
	ldp	x7, x8, [x4, #-64]
	ldp	x9, x10, [x4, #-48]
	ldp	x11, x12, [x4, #-32]
	ldp	x13, x14, [x4, #-16]
	stp	x7, x8, [x5, #-64]
	stp	x9, x10, [x5, #-48]
	stp	x11, x12, [x5, #-32]
	stp	x13, x14, [x5, #-16]
	ret

/*
 * void *rasim_memset(void *dst, int c, size_t n)
 * The byte is replicated by multiplication; zeroing 256 bytes or more
 * uses DC ZVA on whole blocks when DCZID_EL0 allows it.
 */
FUNC rasim_memset
	and	w1, w1, #0xff
	mov	x3, #0x0101010101010101
	mul	x1, x1, x3
	add	x5, x0, x2		// end
	cmp	x2, #16
	b.lo	.Lset_small
	stp	x1, x1, [x0]		// head
	stp	x1, x1, [x5, #-16]	// tail
	cmp	x2, #32
	b.ls	.Lset_done
	and	x6, x0, #~15
	add	x6, x6, #16		// first aligned 16 after the head
	cbnz	x1, .Lset_loop
	cmp	x2, #256
	b.lo	.Lset_loop
	mrs	x7, dczid_el0
	tbnz	w7, #4, .Lset_loop	// DZP: DC ZVA prohibited
	and	w7, w7, #0xf
	mov	x8, #4
	lsl	x8, x8, x7		// block bytes
	sub	x9, x8, #1
.Lset_to_block:				// 16 bytes at a time up to a block boundary
	sub	x7, x5, x6
	cmp	x7, #16
	b.le	.Lset_done
	tst	x6, x9
	b.eq	.Lset_zva
	stp	xzr, xzr, [x6], #16
	b	.Lset_to_block
.Lset_zva:
	sub	x10, x5, x8
.Lset_zva_loop:
	cmp	x6, x10
	b.hi	.Lset_loop
	dc	zva, x6
	add	x6, x6, x8
	b	.Lset_zva_loop
.Lset_loop:
	sub	x7, x5, x6
	cmp	x7, #16
	b.le	.Lset_done		// the tail store covered it
	stp	x1, x1, [x6], #16
	b	.Lset_loop
.Lset_small:
	tbz	x2, #3, 1f
	str	x1, [x0]
	str	x1, [x5, #-8]
	b	.Lset_done
1:	tbz	x2, #2, 2f
	str	w1, [x0]
	str	w1, [x5, #-4]
	b	.Lset_done
2:	cbz	x2, .Lset_done
	strb	w1, [x0]
	strb	w1, [x5, #-1]
	lsr	x3, x2, #1
	strb	w1, [x0, x3]
.Lset_done:
	ret

/* void rasim_copy_page(void *to, const void *from): 4 KiB, 128 bytes a turn,
 * loads one turn ahead, non-temporal stores, prefetch ahead. */
FUNC rasim_copy_page
	prfm	pldl1strm, [x1, #128]
	prfm	pldl1strm, [x1, #256]
	ldp	x2, x3, [x1]
	ldp	x4, x5, [x1, #16]
	ldp	x6, x7, [x1, #32]
	ldp	x8, x9, [x1, #48]
	ldp	x10, x11, [x1, #64]
	ldp	x12, x13, [x1, #80]
	ldp	x14, x15, [x1, #96]
	ldp	x16, x17, [x1, #112]
	add	x0, x0, #256
	add	x1, x1, #128
1:	tst	x0, #0xfff
	prfm	pldl1strm, [x1, #384]
	stnp	x2, x3, [x0, #-256]
	ldp	x2, x3, [x1]
	stnp	x4, x5, [x0, #16 - 256]
	ldp	x4, x5, [x1, #16]
	stnp	x6, x7, [x0, #32 - 256]
	ldp	x6, x7, [x1, #32]
	stnp	x8, x9, [x0, #48 - 256]
	ldp	x8, x9, [x1, #48]
	stnp	x10, x11, [x0, #64 - 256]
	ldp	x10, x11, [x1, #64]
	stnp	x12, x13, [x0, #80 - 256]
	ldp	x12, x13, [x1, #80]
	stnp	x14, x15, [x0, #96 - 256]
	ldp	x14, x15, [x1, #96]
	stnp	x16, x17, [x0, #112 - 256]
	ldp	x16, x17, [x1, #112]
	add	x0, x0, #128
	add	x1, x1, #128
	b.ne	1b
	stnp	x2, x3, [x0, #-256]
	stnp	x4, x5, [x0, #16 - 256]
	stnp	x6, x7, [x0, #32 - 256]
	stnp	x8, x9, [x0, #48 - 256]
	stnp	x10, x11, [x0, #64 - 256]
	stnp	x12, x13, [x0, #80 - 256]
	stnp	x14, x15, [x0, #96 - 256]
	stnp	x16, x17, [x0, #112 - 256]
	ret

/* void rasim_clear_page(void *page): DC ZVA per DCZID_EL0 block. */
FUNC rasim_clear_page
	mrs	x1, dczid_el0
	and	w1, w1, #0xf
	mov	x2, #4
	lsl	x2, x2, x1
1:	dc	zva, x0
	add	x0, x0, x2
	tst	x0, #0xfff
	b.ne	1b
	ret

/*
 * unsigned long rasim_copy_to_user(void __user *to, const void *from, unsigned long n)
 * unsigned long rasim_copy_from_user(void *to, const void __user *from, unsigned long n)
 * Return the bytes not copied. 8 bytes a turn, then bytes; only the user
 * side is unprivileged (STTR / LDTR) and carries an extable entry.
 */
FUNC rasim_copy_to_user
	add	x3, x0, x2		// user end, for the fixup
	subs	x2, x2, #8
	b.lt	2f
1:	ldr	x4, [x1], #8
10:	sttr	x4, [x0]
	extable	10b, .Luser_fault
	add	x0, x0, #8
	subs	x2, x2, #8
	b.ge	1b
2:	adds	x2, x2, #8
	b.eq	4f
3:	ldrb	w4, [x1], #1
11:	sttrb	w4, [x0]
	extable	11b, .Luser_fault
	add	x0, x0, #1
	subs	x2, x2, #1
	b.ne	3b
4:	mov	x0, #0
	ret
.Luser_fault:
	sub	x0, x3, x0
	ret

FUNC rasim_copy_from_user
	add	x3, x1, x2
	mov	x5, x1
	subs	x2, x2, #8
	b.lt	2f
12:	ldtr	x4, [x1]
	extable	12b, .Luser_fault_from
	add	x1, x1, #8
	str	x4, [x0], #8
	subs	x2, x2, #8
	b.ge	12b
2:	adds	x2, x2, #8
	b.eq	4f
13:	ldtrb	w4, [x1]
	extable	13b, .Luser_fault_from
	add	x1, x1, #1
	strb	w4, [x0], #1
	subs	x2, x2, #1
	b.ne	13b
4:	mov	x0, #0
	ret
.Luser_fault_from:
	sub	x0, x3, x1
	ret
