/*
 * mmu.S - guest code for the translation suites (test_rv64_mmu.c,
 * test_rv64_ras.c). The tests build Sv39/Sv48 page tables in guest memory
 * (rv64_pt.h) and call these functions with translation on.
 *
 * Every function is a leaf that keeps ra, so the trap handlers below can
 * end a function that faulted by returning to ra. They use a0-a2, t4-t6;
 * the handlers clobber t0-t3.
 */
#include "macros.h"

	.data
	.balign 8
	.globl s_rec, m_rec, fix_pte, fix_bits
/* count, cause, epc, tval */
s_rec:		.dword 0, 0, 0, 0
m_rec:		.dword 0, 0, 0, 0
/* The S handler's fix-up: when fix_pte is non-zero, OR fix_bits into the
 * PTE there (a VA: page tables are mapped), fence stval, clear fix_pte and
 * retry the instruction. */
fix_pte:	.dword 0
fix_bits:	.dword 0

	.text
	.balign 4

/* ---- trap handlers -------------------------------------------------- */

FUNC(mmu_s_handler)
	lla	t0, s_rec
	ld	t1, 0(t0)
	addi	t1, t1, 1
	sd	t1, 0(t0)
	csrr	t1, scause
	sd	t1, 8(t0)
	csrr	t1, sepc
	sd	t1, 16(t0)
	csrr	t1, stval
	sd	t1, 24(t0)
	lla	t0, fix_pte
	ld	t1, 0(t0)
	beqz	t1, 1f
	ld	t2, 0(t1)
	ld	t3, 8(t0)
	or	t2, t2, t3
	sd	t2, 0(t1)
	sd	zero, 0(t0)
	csrr	t1, stval
	sfence.vma t1, zero
	sret			/* retry */
1:	csrw	sepc, ra	/* give up: back to the caller */
	sret

FUNC(mmu_m_handler)
	lla	t0, m_rec
	ld	t1, 0(t0)
	addi	t1, t1, 1
	sd	t1, 0(t0)
	csrr	t1, mcause
	sd	t1, 8(t0)
	csrr	t1, mepc
	sd	t1, 16(t0)
	csrr	t1, mtval
	sd	t1, 24(t0)
	csrw	mepc, ra
	mret

/* ---- single accesses ------------------------------------------------ */

FUNC(mmu_ld)
	ld	a0, 0(a0)
	ret

FUNC(mmu_lw)
	lw	a0, 0(a0)
	ret

FUNC(mmu_sd)
	sd	a1, 0(a0)
	ret

/* The store two instructions into a chain: reports must name its own PC,
 * not the chain's start. */
FUNC(mmu_sd_late)
	.option	push
	.option	norvc			/* the store at +8 */
	addi	a0, a0, 8
	addi	a0, a0, -8
	sd	a1, 0(a0)
	.option	pop
	ret

FUNC(mmu_amoadd)
	amoadd.d a0, a1, (a0)
	ret

FUNC(mmu_lr)
	lr.d	a0, (a0)
	ret

FUNC(mmu_sc)
	sc.d	a0, a1, (a0)
	ret

/* a0 = old value, a1 = the SC's result (0: stored) */
FUNC(mmu_lr_sc)
	lr.d	t4, (a0)
	sc.d	a1, a1, (a0)
	mv	a0, t4
	ret

FUNC(mmu_cbo_zero)
	CBO_ZERO(a0)
	ret

FUNC(mmu_cbo_clean)
	CBO_CLEAN(a0)
	ret

/* M-mode: write menvcfg = a0 and read it back. */
FUNC(mmu_csrw_menvcfg)
	csrw	menvcfg, a0
	csrr	a0, menvcfg
	ret

/* Call the code at a0 (which gets a0 = its own address); its a0 back. */
FUNC(mmu_call)
	mv	t6, ra
	jalr	a0
	jr	t6

/* ---- sfence.vma scopes: fence, then load a0 -------------------------- */

FUNC(mmu_fence_all_ld)
	sfence.vma
	ld	a0, 0(a0)
	ret

FUNC(mmu_fence_va_ld)		/* a1 = VA */
	sfence.vma a1, zero
	ld	a0, 0(a0)
	ret

FUNC(mmu_fence_asid_ld)		/* a2 = ASID */
	sfence.vma zero, a2
	ld	a0, 0(a0)
	ret

FUNC(mmu_fence_va_asid_ld)	/* a1 = VA, a2 = ASID */
	sfence.vma a1, a2
	ld	a0, 0(a0)
	ret

/* Fence VA a1, then call a0. */
FUNC(mmu_fence_va_call)
	sfence.vma a1, zero
	mv	t6, ra
	jalr	a0
	jr	t6

/* ---- what the host-pointer caches must follow ------------------------ */

/* Load a0, write satp = a1 (no fence: ASIDs differ), load a0 again:
 * a0 = first value, a1 = second. */
FUNC(mmu_satp_switch_ld)
	ld	t4, 0(a0)
	csrw	satp, a1
	ld	a1, 0(a0)
	mv	a0, t4
	ret

/* Call a0, write satp = a1, call a0 again: a0 = first result, a1 = second. */
FUNC(mmu_satp_switch_call)
	mv	t6, ra
	mv	t5, a1
	mv	t4, a0
	jalr	t4
	mv	a2, a0
	csrw	satp, t5
	mv	a0, t4
	jalr	t4
	mv	a1, a0
	mv	a0, a2
	jr	t6

/* Load a0 with sstatus.SUM set by the caller, clear SUM, load again. */
FUNC(mmu_sum_drop_ld)
	ld	a1, 0(a0)
	li	t4, 1 << 18
	csrc	sstatus, t4
	ld	a0, 0(a0)
	ret

/* Load a0 with sstatus.MXR set by the caller, clear MXR, load again. */
FUNC(mmu_mxr_drop_ld)
	ld	a1, 0(a0)
	li	t4, 1 << 19
	csrc	sstatus, t4
	ld	a0, 0(a0)
	ret

/* M-mode with MPRV = 1 and MPP = S: load a0, set MPP = U, load again. */
FUNC(mmu_mpp_drop_ld)
	ld	a1, 0(a0)
	li	t4, 3 << 11
	csrc	mstatus, t4
	ld	a0, 0(a0)
	ret

/* S-mode: load a0, then SRET to U-mode at a1 (which gets a0). */
FUNC(mmu_sret_to_user)
	ld	t4, 0(a0)
	csrw	sepc, a1
	li	t4, 1 << 8
	csrc	sstatus, t4
	sret

/* ---- code reached through other mappings ------------------------------ */

	.balign 4096
/* Mapped S (VA_CODE) and U (VA_UCODE), by a megapage and a NAPOT range. */
FUNC(alias_page)
FUNC(alias_ld)
	ld	a0, 0(a0)
	ret
FUNC(alias_ret42)
	li	a0, 42
	ret

	.balign 4096
FUNC(ret_one_page)
	li	a0, 1
	ret

	.balign 4096
FUNC(ret_two_page)
	li	a0, 2
	ret

/*
 * cross_fn starts 4 bytes before the end of cross_page: a c.nop, then
 * addi a0, a0, 1 (0x00150513) whose upper half opens the next page. The
 * page after that holds the upper half of addi a0, a0, 2 (0x00250513), so
 * mapping it in place of the next page changes the instruction.
 */
	.balign 4096
FUNC(cross_page)
	.skip	4092, 0
FUNC(cross_fn)
	.half	0x0001		/* c.nop */
	.half	0x0513		/* addi a0, a0, 1: low half */
	.half	0x0015		/* ... high half, next page */
	.half	0x8082		/* ret */
	.balign 4096
FUNC(cross_page_alt)
	.half	0x0025		/* addi a0, a0, 2: high half */
	.half	0x8082		/* ret */
	.balign 4096
