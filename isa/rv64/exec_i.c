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
INSN(lui) { WRITE_RD(IMM); return NEXT; }
INSN(auipc) { WRITE_RD(pc + IMM); return NEXT; }
INSN(jal) { WRITE_RD(NPC); return JUMP_BY(IMM); }
/* The target's bit 0 is cleared; with C there is no misaligned target. */
INSN(jalr) { uint64_t t = (RS1 + IMM) & ~1ull; WRITE_RD(NPC); return JUMP(t); }

/* ---- conditional branches ---- */
INSN(beq) { return BRANCH(RS1 == RS2); }
INSN(bne) { return BRANCH(RS1 != RS2); }
INSN(blt) { return BRANCH((int64_t)RS1 < (int64_t)RS2); }
INSN(bge) { return BRANCH((int64_t)RS1 >= (int64_t)RS2); }
INSN(bltu) { return BRANCH(RS1 < RS2); }
INSN(bgeu) { return BRANCH(RS1 >= RS2); }

/* ---- loads: sign- or zero-extended to 64 bits ---- */
INSN(lb) { return LOAD(1, SIGNED); }
INSN(lh) { return LOAD(2, SIGNED); }
INSN(lw) { return LOAD(4, SIGNED); }
INSN(ld) { return LOAD(8, SIGNED); }
INSN(lbu) { return LOAD(1, UNSIGNED); }
INSN(lhu) { return LOAD(2, UNSIGNED); }
INSN(lwu) { return LOAD(4, UNSIGNED); }

/* ---- stores: the low bytes of rs2 ---- */
INSN(sb) { return STORE(1); }
INSN(sh) { return STORE(2); }
INSN(sw) { return STORE(4); }
INSN(sd) { return STORE(8); }

/* ---- register-immediate ---- */
INSN(addi) { WRITE_RD(RS1 + IMM); return NEXT; }
INSN(slti) { WRITE_RD((int64_t)RS1 < IMM); return NEXT; }
INSN(sltiu) { WRITE_RD(RS1 < (uint64_t)IMM); return NEXT; }
INSN(xori) { WRITE_RD(RS1 ^ IMM); return NEXT; }
INSN(ori) { WRITE_RD(RS1 | IMM); return NEXT; }
INSN(andi) { WRITE_RD(RS1 & IMM); return NEXT; }
INSN(slli) { WRITE_RD(RS1 << SHAMT); return NEXT; }
INSN(srli) { WRITE_RD(RS1 >> SHAMT); return NEXT; }
INSN(srai) { WRITE_RD(sra64(RS1, SHAMT)); return NEXT; }

/* ---- register-register (shift amounts: the low 6 bits of rs2) ---- */
INSN(add) { WRITE_RD(RS1 + RS2); return NEXT; }
INSN(sub) { WRITE_RD(RS1 - RS2); return NEXT; }
INSN(sll) { WRITE_RD(RS1 << (RS2 & 63)); return NEXT; }
INSN(slt) { WRITE_RD((int64_t)RS1 < (int64_t)RS2); return NEXT; }
INSN(sltu) { WRITE_RD(RS1 < RS2); return NEXT; }
INSN(xor) { WRITE_RD(RS1 ^ RS2); return NEXT; }
INSN(srl) { WRITE_RD(RS1 >> (RS2 & 63)); return NEXT; }
INSN(sra) { WRITE_RD(sra64(RS1, RS2 & 63)); return NEXT; }
INSN(or) { WRITE_RD(RS1 | RS2); return NEXT; }
INSN(and) { WRITE_RD(RS1 & RS2); return NEXT; }

/* ---- 32-bit (*W): operate on the low 32 bits, sign-extend the result;
 * shift amounts are the low 5 bits ---- */
INSN(addiw) { WRITE_RD(sext32(RS1 + IMM)); return NEXT; }
INSN(slliw) { WRITE_RD(sext32(RS1 << SHAMT)); return NEXT; }
INSN(srliw) { WRITE_RD(sext32((uint32_t)RS1 >> SHAMT)); return NEXT; }
INSN(sraiw) { WRITE_RD(sra32(RS1, SHAMT)); return NEXT; }
INSN(addw) { WRITE_RD(sext32(RS1 + RS2)); return NEXT; }
INSN(subw) { WRITE_RD(sext32(RS1 - RS2)); return NEXT; }
INSN(sllw) { WRITE_RD(sext32(RS1 << (RS2 & 31))); return NEXT; }
INSN(srlw) { WRITE_RD(sext32((uint32_t)RS1 >> (RS2 & 31))); return NEXT; }
INSN(sraw) { WRITE_RD(sra32(RS1, RS2 & 31)); return NEXT; }
/* clang-format on */

/* ---- the slow path of loads and stores (exec.h) ---- */

/* The value in registers, not through a pointer to a local: then the
 * executor can still end with a jump to the next one. */
struct loaded {
    uint64_t value;
    bool ok;
};

static __attribute__((noinline)) struct loaded load_slow(struct rv64_cpu *cpu, uint64_t va,
                                                         unsigned size)
{
    struct loaded r;
    r.ok = rv64_load_slow(cpu, va, size, &r.value);
    return r;
}

uint64_t rv64_exec_load_slow(EXEC_PARAMS, struct rv64_load_kind k)
{
    AT_PC();
    struct loaded r = load_slow(cpu, RS1 + IMM, k.size);
    if (!r.ok)
        return TRAPPED;
    rv64_load_rd(cpu, d, r.value, k);
    return CONTINUE;
}

uint64_t rv64_exec_store_slow(EXEC_PARAMS, unsigned size)
{
    AT_PC();
    if (!rv64_store_slow(cpu, RS1 + IMM, size, RS2))
        return TRAPPED;
    return CONTINUE;
}
