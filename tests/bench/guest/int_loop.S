/*
 * int_loop.S - integer and branch heavy: an xorshift64 generator whose
 * value decides two branches per step, so the branch pattern is as random
 * as the generator. The harness replays the generator to know the result
 * and, from the branch counts, the exact number of instructions (IL_* in
 * bench_guest.h: keep them in step with any change here).
 *
 *   uint64_t bench_int_loop(uint64_t x, uint64_t n);   x != 0
 */
#include "bench_guest.h"

	.text
	.globl	bench_int_loop
	.type	bench_int_loop, %function
	.p2align 4
bench_int_loop:
#if defined(__aarch64__)
	mov	x2, #0				/* IL_A64_ENTRY */
	cbz	x1, 9f
1:	eor	x0, x0, x0, lsl #13		/* IL_A64_BASE (with tbz, tbz, subs, b.ne) */
	eor	x0, x0, x0, lsr #7
	eor	x0, x0, x0, lsl #17
	tbz	x0, #0, 2f
	add	x2, x2, x0			/* IL_A64_ODD */
	b	3f
2:	eor	x2, x2, x0, lsr #3		/* IL_A64_EVEN */
3:	tbz	x0, #2, 4f
	add	x2, x2, x0, lsr #11		/* IL_A64_BIT2 */
4:	subs	x1, x1, #1
	b.ne	1b
9:	mov	x0, x2				/* IL_A64_EXIT */
	ret
#elif defined(__riscv)
	li	a2, 0				/* IL_RV_ENTRY */
	beqz	a1, 9f
1:	slli	t0, a0, 13			/* IL_RV_BASE (with andi beqz x2, addi bnez) */
	xor	a0, a0, t0
	srli	t0, a0, 7
	xor	a0, a0, t0
	slli	t0, a0, 17
	xor	a0, a0, t0
	andi	t1, a0, 1
	beqz	t1, 2f
	add	a2, a2, a0			/* IL_RV_ODD */
	j	3f
2:	srli	t0, a0, 3			/* IL_RV_EVEN */
	xor	a2, a2, t0
3:	andi	t1, a0, 4
	beqz	t1, 4f
	srli	t0, a0, 11			/* IL_RV_BIT2 */
	add	a2, a2, t0
4:	addi	a1, a1, -1
	bnez	a1, 1b
9:	mv	a0, a2				/* IL_RV_EXIT */
	ret
#else
#error "int_loop.S: aarch64 or riscv64 only"
#endif
	.size	bench_int_loop, . - bench_int_loop
