/*
 * ops_rvc.S - the compressed computational instructions, each in its own
 * function, for the ALU suite: c_<name> computes a0 from a0 and a1.
 */
#include "macros.h"

	.text
.macro CR name, insn
FUNC(c_\name)
	\insn	a0, a1
	ret
.endm
.macro CI name, insn, imm, label
FUNC(c_\name\()_\label)
	\insn	a0, \imm
	ret
.endm

CR add, c.add
CR sub, c.sub
CR xor, c.xor
CR or, c.or
CR and, c.and
CR subw, c.subw
CR addw, c.addw
CR mv, c.mv
CI addi, c.addi, -32, m32
CI addi, c.addi, 31, 31
CI addiw, c.addiw, -1, m1
CI addiw, c.addiw, 0, 0
CI li, c.li, -32, m32
CI li, c.li, 31, 31
CI lui, c.lui, 0x1f, 1f
CI lui, c.lui, 0xfffe0, fffe0
CI slli, c.slli, 63, 63
CI slli, c.slli, 1, 1
CI srli, c.srli, 63, 63
CI srli, c.srli, 32, 32
CI srai, c.srai, 63, 63
CI srai, c.srai, 1, 1
CI andi, c.andi, -32, m32
CI andi, c.andi, 31, 31

/* Stack-pointer forms: return the address they compute. */
FUNC(c_addi16sp_m512)
	mv	t0, sp
	c.addi16sp	sp, -512
	mv	a0, sp
	mv	sp, t0
	ret
FUNC(c_addi16sp_496)
	mv	t0, sp
	c.addi16sp	sp, 496
	mv	a0, sp
	mv	sp, t0
	ret
FUNC(c_addi4spn_1020)
	c.addi4spn	a0, sp, 1020
	ret
FUNC(c_addi4spn_4)
	c.addi4spn	a0, sp, 4
	ret
