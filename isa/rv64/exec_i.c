/*
 * exec_i.c - RV64I: integer computation, control transfer, loads and
 * stores. (FENCE, ECALL and EBREAK are with the system instructions.)
 */
#include "isa/rv64/exec.h"

/* Shifts of signed values are written as unsigned shifts plus a cast, and
 * arithmetic right shifts rely on the compiler's (GCC/Clang) sign-filling
 * >> of negative values. */
/* clang-format off */ /* one line per instruction, as a table */
static inline uint64_t sra64(uint64_t v, unsigned s) { return (uint64_t)((int64_t)v >> s); }
static inline uint64_t sra32(uint64_t v, unsigned s) { return (uint64_t)(int64_t)((int32_t)(uint32_t)v >> s); }

/* ---- upper immediates and jumps ---- */
INSN(lui) { WRITE_RD(IMM); return NPC; }
INSN(auipc) { WRITE_RD(pc + IMM); return NPC; }
INSN(jal) { WRITE_RD(NPC); return pc + IMM; }
/* The target's bit 0 is cleared; with C there is no misaligned target. */
INSN(jalr) { uint64_t t = (RS1 + IMM) & ~1ull; WRITE_RD(NPC); return t; }

/* ---- conditional branches ---- */
INSN(beq) { return RS1 == RS2 ? pc + IMM : NPC; }
INSN(bne) { return RS1 != RS2 ? pc + IMM : NPC; }
INSN(blt) { return (int64_t)RS1 < (int64_t)RS2 ? pc + IMM : NPC; }
INSN(bge) { return (int64_t)RS1 >= (int64_t)RS2 ? pc + IMM : NPC; }
INSN(bltu) { return RS1 < RS2 ? pc + IMM : NPC; }
INSN(bgeu) { return RS1 >= RS2 ? pc + IMM : NPC; }

/* ---- loads: sign- or zero-extended to 64 bits ---- */
INSN(lb) { uint64_t v; LOAD(RS1 + IMM, 1, v); WRITE_RD((int8_t)v); return NPC; }
INSN(lh) { uint64_t v; LOAD(RS1 + IMM, 2, v); WRITE_RD((int16_t)v); return NPC; }
INSN(lw) { uint64_t v; LOAD(RS1 + IMM, 4, v); WRITE_RD(sext32(v)); return NPC; }
INSN(ld) { uint64_t v; LOAD(RS1 + IMM, 8, v); WRITE_RD(v); return NPC; }
INSN(lbu) { uint64_t v; LOAD(RS1 + IMM, 1, v); WRITE_RD(v); return NPC; }
INSN(lhu) { uint64_t v; LOAD(RS1 + IMM, 2, v); WRITE_RD(v); return NPC; }
INSN(lwu) { uint64_t v; LOAD(RS1 + IMM, 4, v); WRITE_RD(v); return NPC; }

/* ---- stores ---- */
INSN(sb) { STORE(RS1 + IMM, 1, RS2); return NPC; }
INSN(sh) { STORE(RS1 + IMM, 2, RS2); return NPC; }
INSN(sw) { STORE(RS1 + IMM, 4, RS2); return NPC; }
INSN(sd) { STORE(RS1 + IMM, 8, RS2); return NPC; }

/* ---- register-immediate ---- */
INSN(addi) { WRITE_RD(RS1 + IMM); return NPC; }
INSN(slti) { WRITE_RD((int64_t)RS1 < IMM); return NPC; }
INSN(sltiu) { WRITE_RD(RS1 < (uint64_t)IMM); return NPC; }
INSN(xori) { WRITE_RD(RS1 ^ IMM); return NPC; }
INSN(ori) { WRITE_RD(RS1 | IMM); return NPC; }
INSN(andi) { WRITE_RD(RS1 & IMM); return NPC; }
INSN(slli) { WRITE_RD(RS1 << SHAMT); return NPC; }
INSN(srli) { WRITE_RD(RS1 >> SHAMT); return NPC; }
INSN(srai) { WRITE_RD(sra64(RS1, SHAMT)); return NPC; }

/* ---- register-register (shift amounts: the low 6 bits of rs2) ---- */
INSN(add) { WRITE_RD(RS1 + RS2); return NPC; }
INSN(sub) { WRITE_RD(RS1 - RS2); return NPC; }
INSN(sll) { WRITE_RD(RS1 << (RS2 & 63)); return NPC; }
INSN(slt) { WRITE_RD((int64_t)RS1 < (int64_t)RS2); return NPC; }
INSN(sltu) { WRITE_RD(RS1 < RS2); return NPC; }
INSN(xor) { WRITE_RD(RS1 ^ RS2); return NPC; }
INSN(srl) { WRITE_RD(RS1 >> (RS2 & 63)); return NPC; }
INSN(sra) { WRITE_RD(sra64(RS1, RS2 & 63)); return NPC; }
INSN(or) { WRITE_RD(RS1 | RS2); return NPC; }
INSN(and) { WRITE_RD(RS1 & RS2); return NPC; }

/* ---- 32-bit (*W): operate on the low 32 bits, sign-extend the result;
 * shift amounts are the low 5 bits ---- */
INSN(addiw) { WRITE_RD(sext32(RS1 + IMM)); return NPC; }
INSN(slliw) { WRITE_RD(sext32(RS1 << SHAMT)); return NPC; }
INSN(srliw) { WRITE_RD(sext32((uint32_t)RS1 >> SHAMT)); return NPC; }
INSN(sraiw) { WRITE_RD(sra32(RS1, SHAMT)); return NPC; }
INSN(addw) { WRITE_RD(sext32(RS1 + RS2)); return NPC; }
INSN(subw) { WRITE_RD(sext32(RS1 - RS2)); return NPC; }
INSN(sllw) { WRITE_RD(sext32(RS1 << (RS2 & 31))); return NPC; }
INSN(srlw) { WRITE_RD(sext32((uint32_t)RS1 >> (RS2 & 31))); return NPC; }
INSN(sraw) { WRITE_RD(sra32(RS1, RS2 & 31)); return NPC; }
/* clang-format on */
