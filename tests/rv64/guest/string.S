/*
 * string.S - memcpy, memset and clear_page in the style of the riscv
 * kernel's lib/ routines (our own code): byte steps up to an aligned
 * destination, 64-byte unrolled blocks of doubleword accesses, a
 * shift-and-merge loop when the source is misaligned against the
 * destination, and byte tails. clear_page uses Zicboz as the kernel does
 * when the CPU has it.
 *
 *   void *rasim_memcpy(void *dst, const void *src, size_t n);
 *   void *rasim_memset(void *dst, int c, size_t n);
 *   void rasim_clear_page(void *page);
 */
#include "macros.h"

	.text
FUNC(rasim_memcpy)
	mv	t6, a0			/* return dst */
	li	a3, 16
	bltu	a2, a3, .Lcopy_bytes	/* short: not worth aligning */

	/* Bytes until dst is 8-aligned. */
	andi	a3, a0, 7
	beqz	a3, .Ldst_aligned
	li	a4, 8
	sub	a3, a4, a3
	sub	a2, a2, a3
1:	lbu	a4, 0(a1)
	sb	a4, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a3, a3, -1
	bnez	a3, 1b

.Ldst_aligned:
	andi	a3, a1, 7
	bnez	a3, .Lsrc_misaligned

	/* Both aligned: 64 bytes per iteration. */
	srli	a3, a2, 6
	beqz	a3, .Lcopy_words
.Lcopy_block:
	ld	t0, 0(a1)
	ld	t1, 8(a1)
	ld	t2, 16(a1)
	ld	t3, 24(a1)
	ld	t4, 32(a1)
	ld	t5, 40(a1)
	ld	a4, 48(a1)
	ld	a5, 56(a1)
	sd	t0, 0(a0)
	sd	t1, 8(a0)
	sd	t2, 16(a0)
	sd	t3, 24(a0)
	sd	t4, 32(a0)
	sd	t5, 40(a0)
	sd	a4, 48(a0)
	sd	a5, 56(a0)
	addi	a0, a0, 64
	addi	a1, a1, 64
	addi	a3, a3, -1
	bnez	a3, .Lcopy_block
	andi	a2, a2, 63
.Lcopy_words:
	srli	a3, a2, 3
	beqz	a3, .Lcopy_tail
1:	ld	t0, 0(a1)
	sd	t0, 0(a0)
	addi	a0, a0, 8
	addi	a1, a1, 8
	addi	a3, a3, -1
	bnez	a3, 1b
.Lcopy_tail:
	andi	a2, a2, 7
	j	.Lcopy_bytes

	/* src is off by a3 bytes: read aligned doublewords and merge each
	 * pair with shifts, so every load and store stays aligned. */
.Lsrc_misaligned:
	slli	t3, a3, 3		/* right shift, in bits */
	neg	t4, t3			/* left shift: 64 - t3, mod 64 */
	andi	a1, a1, -8
	srli	a5, a2, 3		/* whole doublewords to store */
	beqz	a5, .Lmerge_done
	ld	t0, 0(a1)
1:	ld	t1, 8(a1)
	srl	t2, t0, t3
	sll	t5, t1, t4
	or	t2, t2, t5
	sd	t2, 0(a0)
	mv	t0, t1
	addi	a1, a1, 8
	addi	a0, a0, 8
	addi	a5, a5, -1
	bnez	a5, 1b
.Lmerge_done:
	add	a1, a1, a3		/* back to the real source position */
	andi	a2, a2, 7

.Lcopy_bytes:
	beqz	a2, .Lcopy_done
1:	lbu	a4, 0(a1)
	sb	a4, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	bnez	a2, 1b
.Lcopy_done:
	mv	a0, t6
	ret
	.size	rasim_memcpy, . - rasim_memcpy

FUNC(rasim_memset)
	mv	t6, a0
	andi	a1, a1, 0xff
	li	a3, 16
	bltu	a2, a3, .Lset_bytes

	/* Spread the byte over a doubleword. */
	slli	a3, a1, 8
	or	a1, a1, a3
	slli	a3, a1, 16
	or	a1, a1, a3
	slli	a3, a1, 32
	or	a1, a1, a3

	andi	a3, a0, 7
	beqz	a3, .Lset_aligned
	li	a4, 8
	sub	a3, a4, a3
	sub	a2, a2, a3
1:	sb	a1, 0(a0)
	addi	a0, a0, 1
	addi	a3, a3, -1
	bnez	a3, 1b
.Lset_aligned:
	srli	a3, a2, 6
	beqz	a3, .Lset_words
.Lset_block:
	sd	a1, 0(a0)
	sd	a1, 8(a0)
	sd	a1, 16(a0)
	sd	a1, 24(a0)
	sd	a1, 32(a0)
	sd	a1, 40(a0)
	sd	a1, 48(a0)
	sd	a1, 56(a0)
	addi	a0, a0, 64
	addi	a3, a3, -1
	bnez	a3, .Lset_block
	andi	a2, a2, 63
.Lset_words:
	srli	a3, a2, 3
	beqz	a3, .Lset_tail
1:	sd	a1, 0(a0)
	addi	a0, a0, 8
	addi	a3, a3, -1
	bnez	a3, 1b
.Lset_tail:
	andi	a2, a2, 7
.Lset_bytes:
	beqz	a2, .Lset_done
1:	sb	a1, 0(a0)
	addi	a0, a0, 1
	addi	a2, a2, -1
	bnez	a2, 1b
.Lset_done:
	mv	a0, t6
	ret
	.size	rasim_memset, . - rasim_memset

/* 4 KiB of zeros, 64 bytes per cbo.zero. */
FUNC(rasim_clear_page)
	li	a1, 4096 / 64
1:	CBO_ZERO(a0)
	addi	a0, a0, 64
	addi	a1, a1, -1
	bnez	a1, 1b
	ret
	.size	rasim_clear_page, . - rasim_clear_page
