/*
 * ops.S - one tiny function per instruction (and per immediate), for the
 * ALU suite: a0 = op(a0, a1), computed into t0 so rd, rs1 and rs2 are three
 * different registers. Built without RVC so each is the 32-bit form; the
 * compressed forms are in ops_rvc.S.
 */
#include "macros.h"

	.option norvc
	.text

/* r_<name>: t0 = a0 op a1 */
.macro R name, insn
FUNC(r_\name)
	\insn	t0, a0, a1
	mv	a0, t0
	ret
.endm

/* u_<name>: t0 = op a0 */
.macro U name, insn
FUNC(u_\name)
	\insn	t0, a0
	mv	a0, t0
	ret
.endm

/* i_<name>_<label>: t0 = a0 op imm */
.macro I name, insn, imm, label
FUNC(i_\name\()_\label)
	\insn	t0, a0, \imm
	mv	a0, t0
	ret
.endm

/* RV64I */
R add, add
R sub, sub
R sll, sll
R slt, slt
R sltu, sltu
R xor, xor
R srl, srl
R sra, sra
R or, or
R and, and
R addw, addw
R subw, subw
R sllw, sllw
R srlw, srlw
R sraw, sraw
/* M */
R mul, mul
R mulh, mulh
R mulhsu, mulhsu
R mulhu, mulhu
R div, div
R divu, divu
R rem, rem
R remu, remu
R mulw, mulw
R divw, divw
R divuw, divuw
R remw, remw
R remuw, remuw
/* Zba */
R sh1add, sh1add
R sh2add, sh2add
R sh3add, sh3add
R add_uw, add.uw
R sh1add_uw, sh1add.uw
R sh2add_uw, sh2add.uw
R sh3add_uw, sh3add.uw
/* Zbb */
R andn, andn
R orn, orn
R xnor, xnor
R max, max
R maxu, maxu
R min, min
R minu, minu
R rol, rol
R ror, ror
R rolw, rolw
R rorw, rorw
U clz, clz
U ctz, ctz
U cpop, cpop
U clzw, clzw
U ctzw, ctzw
U cpopw, cpopw
U sext_b, sext.b
U sext_h, sext.h
U zext_h, zext.h
U orc_b, orc.b
U rev8, rev8
/* Zbs */
R bclr, bclr
R bext, bext
R binv, binv
R bset, bset

/* Immediates: each instruction at its edges. */
.irp op, addi, slti, sltiu, xori, ori, andi, addiw
I \op, \op, 0, 0
I \op, \op, 1, 1
I \op, \op, -1, m1
I \op, \op, 2047, 2047
I \op, \op, -2048, m2048
.endr
.irp op, slli, srli, srai, rori, bclri, bexti, binvi, bseti
.irp sh, 0, 1, 31, 32, 63
I \op, \op, \sh, \sh
.endr
.endr
.irp sh, 0, 1, 31, 32, 63
I slli_uw, slli.uw, \sh, \sh
.endr
.irp op, slliw, srliw, sraiw, roriw
.irp sh, 0, 1, 31
I \op, \op, \sh, \sh
.endr
.endr

/* Upper immediates: lui_<label> returns the value, auipc_<label> the value
 * minus its own address. */
.macro UPPER label, imm
FUNC(lui_\label)
	lui	a0, \imm
	ret
FUNC(auipc_\label)
1:	auipc	a0, \imm
	lla	t0, 1b
	sub	a0, a0, t0
	ret
.endm
UPPER 0, 0
UPPER 1, 1
UPPER 7ffff, 0x7ffff
UPPER 80000, 0x80000
UPPER fffff, 0xfffff
