/* macros.h - shared by the rv64 guest programs (preprocessed assembly). */
#ifndef RV64_GUEST_MACROS_H
#define RV64_GUEST_MACROS_H

/* A global function symbol. */
#define FUNC(name) .globl name; .type name, @function; name:

/* Zicbom / Zicboz, which LLVM 14 cannot assemble: MISC-MEM, funct3 2,
 * rd 0, imm12 selects the operation. */
#define CBO_INVAL(rs1) .insn i 0x0f, 2, x0, 0(rs1)
#define CBO_CLEAN(rs1) .insn i 0x0f, 2, x0, 1(rs1)
#define CBO_FLUSH(rs1) .insn i 0x0f, 2, x0, 2(rs1)
#define CBO_ZERO(rs1)  .insn i 0x0f, 2, x0, 4(rs1)

#endif
