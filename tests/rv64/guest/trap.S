/*
 * trap.S - trap handlers that record what the hart reported, and small
 * snippets that trap, for the privileged-architecture suite.
 *
 * The test sets mtvec = m_handler (or m_vectors | 1) and stvec =
 * s_handler, puts the hart in the mode it wants and calls a snippet. A
 * handler stores cause, epc, tval, status and the mode trapped from into
 * its record, steps over the trapping instruction (for exceptions) and
 * returns, so the snippet runs on and returns to the caller.
 */
#include "macros.h"

	.data
	.balign 8
	.globl m_record, s_record, ssi_vector_hits
/* count, cause, epc, tval, status-at-entry */
m_record:	.dword 0, 0, 0, 0, 0
s_record:	.dword 0, 0, 0, 0, 0
ssi_vector_hits: .dword 0
save:		.dword 0, 0, 0

	.text
	.balign 4

/* Record the trap in \rec using CSRs of the \x (m or s) level. */
.macro RECORD x, rec
	lla	t0, save
	sd	t1, 0(t0)
	sd	t2, 8(t0)
	sd	t3, 16(t0)
	lla	t0, \rec
	ld	t1, 0(t0)
	addi	t1, t1, 1
	sd	t1, 0(t0)
	csrr	t1, \x\()cause
	sd	t1, 8(t0)
	csrr	t1, \x\()epc
	sd	t1, 16(t0)
	csrr	t1, \x\()tval
	sd	t1, 24(t0)
	csrr	t1, \x\()status
	sd	t1, 32(t0)
	/* Interrupts: clear the pending bit (the software ones here) and
	 * return to the interrupted instruction. Exceptions: skip it. */
	csrr	t1, \x\()cause
	bgez	t1, 1f
	li	t2, 2		/* SSIP */
	csrc	\x\()ip, t2
	j	3f
1:	csrr	t1, \x\()epc
	lhu	t2, 0(t1)
	andi	t2, t2, 3
	li	t3, 3
	addi	t1, t1, 2
	bne	t2, t3, 2f
	addi	t1, t1, 2
2:	csrw	\x\()epc, t1
3:	lla	t0, save
	ld	t1, 0(t0)
	ld	t2, 8(t0)
	ld	t3, 16(t0)
.endm

	.balign 4
FUNC(m_handler)
	csrw	mscratch, t0
	RECORD	m, m_record
	csrr	t0, mscratch
	mret

	.balign 4
FUNC(s_handler)
	csrw	sscratch, t0
	RECORD	s, s_record
	csrr	t0, sscratch
	sret

/* Vectored mtvec: exceptions at +0, interrupt n at +4n. */
	.balign 64
FUNC(m_vectors)
	j	m_handler	/* 0: exceptions (and the user software interrupt) */
	j	m_ssi		/* 1: supervisor software interrupt */
	.rept 14
	j	m_bad
	.endr
m_ssi:
	csrw	mscratch, t0
	lla	t0, ssi_vector_hits
	ld	t1, 0(t0)	/* t1 is free: the interrupted snippet does not use it */
	addi	t1, t1, 1
	sd	t1, 0(t0)
	RECORD	m, m_record
	csrr	t0, mscratch
	mret
m_bad:
	ebreak
	j	m_bad

/* ---- snippets: each returns a0 (some value it read) ---- */

FUNC(do_ecall)
	li	a0, 0
	ecall
	ret

FUNC(do_ebreak)
	.option push
	.option norvc
	ebreak
	.option pop
	ret

FUNC(do_c_ebreak)
	c.ebreak
	ret

FUNC(do_illegal32)
	.4byte	0xffffffff	/* a reserved opcode */
	ret

FUNC(do_illegal16)
	.2byte	0x0000		/* c.unimp: defined illegal */
	ret

/* Whatever CSR the test put in a1 is read by csr_read_<name>. */
.macro CSR_READ name
FUNC(csr_read_\name)
	li	a0, -1
	csrr	a0, \name
	ret
FUNC(csr_write_\name)
	csrw	\name, a0
	ret
.endm
CSR_READ mstatus
CSR_READ sstatus
CSR_READ satp
CSR_READ mhartid
CSR_READ cycle
CSR_READ instret
CSR_READ time
CSR_READ misa
CSR_READ mscratch
CSR_READ sscratch
CSR_READ mepc
CSR_READ medeleg
CSR_READ mideleg
CSR_READ mie
CSR_READ sie
CSR_READ mip
CSR_READ sip
CSR_READ mtvec
CSR_READ menvcfg
CSR_READ senvcfg
CSR_READ pmpcfg0
CSR_READ pmpaddr0
CSR_READ mcycle
CSR_READ minstret
CSR_READ mcountinhibit
CSR_READ hpmcounter3

FUNC(csr_read_unimplemented)
	li	a0, -1
	csrr	a0, 0x7c0	/* a custom machine CSR nobody implements */
	ret

FUNC(csr_read_pmpcfg1)
	li	a0, -1
	csrr	a0, 0x3a1	/* RV32 only */
	ret

FUNC(csr_read_fflags)
	li	a0, -1
	csrr	a0, fflags	/* no F: FS is off */
	ret

/* Writes to read-only CSRs, with csrrw and with csrrs of a non-zero rs1;
 * csrrs with x0 only reads, and is allowed. */
FUNC(csr_write_mhartid_rw)
	csrw	mhartid, a0
	ret
FUNC(csr_set_cycle)
	li	a1, 1
	csrs	cycle, a1
	ret
FUNC(csr_read_cycle_with_csrrs_x0)
	csrrs	a0, cycle, x0
	ret

/* instret counts retired instructions: two reads two instructions apart. */
FUNC(instret_delta)
	.option push
	.option norvc
	csrr	t0, instret
	nop
	csrr	a0, instret
	.option pop
	sub	a0, a0, t0
	ret

/* minstret written: the next instruction reads exactly the value. */
FUNC(minstret_write_read)
	csrw	minstret, a0
	csrr	a0, minstret
	ret

FUNC(do_mret)
	mret
	ret		/* reached when mret was illegal and the handler skipped it */

FUNC(do_sret)
	sret
	ret

FUNC(do_wfi)
	wfi
	ret

FUNC(do_sfence)
	sfence.vma
	ret

FUNC(do_sfence_args)
	sfence.vma	a0, a1
	ret

/* mret to the mode in a0 at label 1: with MPIE set; returns the mode
 * reached, read from a CSR only M could read (so it traps unless M). */
FUNC(mret_to_mode)
	li	t0, 3 << 11
	csrc	mstatus, t0
	slli	a0, a0, 11
	csrs	mstatus, a0
	li	t0, 1 << 7	/* MPIE */
	csrs	mstatus, t0
	lla	t0, 1f
	csrw	mepc, t0
	mret
1:	ret

/* sret with SPP and SPIE from a0 (bit 8 SPP, bit 5 SPIE) to label 1. */
FUNC(sret_with)
	li	t0, (1 << 8) | (1 << 5)
	csrc	sstatus, t0
	csrs	sstatus, a0
	lla	t0, 1f
	csrw	sepc, t0
	sret
1:	ret

/* Enable the supervisor software interrupt at M: mie.SSIE, then make it
 * pending, then open mstatus.MIE. The interrupt arrives right after the
 * csrsi; a0 counts the instructions that ran after it. */
FUNC(raise_ssi_in_m)
	li	a0, 0
	li	t0, 2
	csrs	mie, t0
	csrs	mip, t0
	csrsi	mstatus, 8
FUNC(after_ssi)
	addi	a0, a0, 1
	ret

/* Load and store from a0. */
FUNC(load64)
	ld	a0, 0(a0)
	ret
FUNC(store64)
	sd	a1, 0(a0)
	ret

/* The same from S-mode, for an interrupt delegated to S. */
FUNC(raise_ssi_in_s)
	li	a0, 0
	li	t0, 2
	csrs	sie, t0
	csrs	sip, t0
	csrsi	sstatus, 2
FUNC(after_ssi_s)
	addi	a0, a0, 1
	ret

FUNC(do_nothing)
	ret
