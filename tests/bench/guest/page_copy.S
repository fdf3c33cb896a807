/*
 * page_copy.S - copy one 4 KiB page n times, as the kernel's copy_page
 * does: ldp/stp pairs on arm64, an unrolled ld/sd loop on rv64. The
 * instruction counts per loop level are in bench_guest.h (PC_*): keep them
 * in step with any change here.
 *
 *   void bench_page_copy(void *dst, const void *src, uint64_t n);
 */
#include "bench_guest.h"

	.text
	.globl	bench_page_copy
	.type	bench_page_copy, %function
	.p2align 4
bench_page_copy:
#if defined(__aarch64__)
	cbz	x2, 3f				/* PC_A64_ENTRY */
1:	mov	x3, x0				/* PC_A64_PAGE_HEAD */
	mov	x4, x1
	mov	x5, #(BENCH_PAGE / 64)
2:	ldp	x6, x7, [x4]			/* PC_A64_LINE */
	ldp	x8, x9, [x4, #16]
	ldp	x10, x11, [x4, #32]
	ldp	x12, x13, [x4, #48]
	add	x4, x4, #64
	stp	x6, x7, [x3]
	stp	x8, x9, [x3, #16]
	stp	x10, x11, [x3, #32]
	stp	x12, x13, [x3, #48]
	add	x3, x3, #64
	subs	x5, x5, #1
	b.ne	2b
	subs	x2, x2, #1			/* PC_A64_PAGE_TAIL */
	b.ne	1b
3:	ret					/* PC_A64_EXIT */
#elif defined(__riscv)
	beqz	a2, 3f				/* PC_RV_ENTRY */
1:	mv	t0, a0				/* PC_RV_PAGE_HEAD */
	mv	t1, a1
	li	t2, BENCH_PAGE / 64
2:	ld	a3, 0(t1)			/* PC_RV_LINE */
	ld	a4, 8(t1)
	ld	a5, 16(t1)
	ld	a6, 24(t1)
	ld	a7, 32(t1)
	ld	t3, 40(t1)
	ld	t4, 48(t1)
	ld	t5, 56(t1)
	sd	a3, 0(t0)
	sd	a4, 8(t0)
	sd	a5, 16(t0)
	sd	a6, 24(t0)
	sd	a7, 32(t0)
	sd	t3, 40(t0)
	sd	t4, 48(t0)
	sd	t5, 56(t0)
	addi	t1, t1, 64
	addi	t0, t0, 64
	addi	t2, t2, -1
	bnez	t2, 2b
	addi	a2, a2, -1			/* PC_RV_PAGE_TAIL */
	bnez	a2, 1b
3:	ret					/* PC_RV_EXIT */
#else
#error "page_copy.S: aarch64 or riscv64 only"
#endif
	.size	bench_page_copy, . - bench_page_copy
