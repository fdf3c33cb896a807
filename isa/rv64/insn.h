/*
 * insn.h - a decoded RV64 instruction, its named fields, and the one place
 * that extracts fields and immediates from instruction bits.
 */
#ifndef RASIM_RV64_INSN_H
#define RASIM_RV64_INSN_H

#include <stdint.h>

#include "isa/rv64/opcodes.h"

struct rv64_cpu;
struct rv64_insn;

/* Operand formats, named after the manual's instruction formats. */
enum rv64_fmt {
    FMT_R,      /* rd, rs1, rs2 */
    FMT_R1,     /* rd, rs1 (unary: clz, sext.b, rev8 ...) */
    FMT_I,      /* rd, rs1, imm12 */
    FMT_LOAD,   /* rd, imm12(rs1) */
    FMT_S,      /* rs2, imm12(rs1) */
    FMT_B,      /* rs1, rs2, pc-relative imm13 */
    FMT_U,      /* rd, imm20 << 12 */
    FMT_J,      /* rd, pc-relative imm21 */
    FMT_SHIFT,  /* rd, rs1, shamt (imm = shamt) */
    FMT_CSR,    /* rd, csr, rs1 (imm = csr number) */
    FMT_CSRI,   /* rd, csr, uimm5 (imm = csr number, rs1 = uimm5) */
    FMT_AMO,    /* rd, rs2, (rs1) */
    FMT_LR,     /* rd, (rs1) */
    FMT_FENCE,  /* pred, succ (imm = imm12: fm, pred, succ) */
    FMT_CBO,    /* (rs1) */
    FMT_SFENCE, /* rs1, rs2 */
    FMT_NONE,
};

#define RV64_OP_ENUM(name, mn, match, mask, fmt) RV64_OP_##name,
enum rv64_op {
    RV64_OP_illegal, /* not in the implemented subset */
    RV64_ALL_INSNS(RV64_OP_ENUM) RV64_OP_COUNT
};
#undef RV64_OP_ENUM

/*
 * An executor runs one decoded instruction at pc and, when that is allowed,
 * goes on with the next decoded instruction of the chain (exec.h: NEXT,
 * JUMP), n - 1 at most; it returns the pc at which the run loop continues,
 * leaving in cpu->chain how many of the n were not retired. On an
 * exception it calls rv64_raise() and returns TRAPPED (its own pc); it must
 * not have changed any architectural state before (read operands, access
 * memory, then write rd).
 */
typedef uint64_t rv64_exec_fn(struct rv64_cpu *cpu, const struct rv64_insn *d, uint64_t pc,
                              uint64_t n);

/* One executor per instruction, exec_<name>, defined in exec_<ext>.c, and
 * the same for a compressed (2-byte) encoding, exec_c_<name> (exec.h). */
#define RV64_EXEC_DECL(name, mn, match, mask, fmt) rv64_exec_fn exec_##name, exec_c_##name;
RV64_ALL_INSNS(RV64_EXEC_DECL)
#undef RV64_EXEC_DECL
rv64_exec_fn exec_illegal, exec_c_illegal;
/* What an empty slot holds: no instruction; back to the run loop, which
 * fetches (decodes) pc. Also the slot past a page's last one. */
rv64_exec_fn rv64_exec_fetch;

struct rv64_insn {
    rv64_exec_fn *exec; /* rv64_exec_fetch: slot not decoded yet */
    int64_t imm;        /* sign-extended immediate, shamt, or CSR number */
    uint32_t bits;      /* the instruction as fetched (16 bits for compressed) */
    uint16_t op;        /* enum rv64_op */
    uint8_t rd, rs1, rs2;
    uint8_t len; /* 2 or 4 */
};

/* ---- fields, as the manual names them ----------------------------------- */

/* clang-format off */ /* the fields, one per line */
static inline unsigned insn_opcode(uint32_t i) { return i & 0x7f; }
static inline unsigned insn_rd(uint32_t i) { return (i >> 7) & 31; }
static inline unsigned insn_funct3(uint32_t i) { return (i >> 12) & 7; }
static inline unsigned insn_rs1(uint32_t i) { return (i >> 15) & 31; }
static inline unsigned insn_rs2(uint32_t i) { return (i >> 20) & 31; }
static inline unsigned insn_funct7(uint32_t i) { return i >> 25; }
static inline unsigned insn_csr(uint32_t i) { return i >> 20; }

/* clang-format on */
/* Sign-extend the low `bits` bits of v. */
static inline int64_t sext(uint64_t v, unsigned bits)
{
    return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

/* clang-format off */ /* the immediates, one per line */
static inline int64_t imm_i(uint32_t i) { return sext(i >> 20, 12); }
static inline int64_t imm_s(uint32_t i) { return sext(((i >> 25) << 5) | ((i >> 7) & 31), 12); }
static inline int64_t imm_b(uint32_t i)
{
    return sext(((i >> 31) << 12) | (((i >> 7) & 1) << 11) | (((i >> 25) & 0x3f) << 5) |
                    (((i >> 8) & 0xf) << 1),
                13);
}
static inline int64_t imm_u(uint32_t i) { return sext(i & 0xfffff000u, 32); }
static inline int64_t imm_j(uint32_t i)
{
    return sext(((i >> 31) << 20) | (((i >> 12) & 0xff) << 12) | (((i >> 20) & 1) << 11) |
                    (((i >> 21) & 0x3ff) << 1),
                21);
}

/* clang-format on */
/* ---- decoding (decode.c, decode_rvc.c) ---------------------------------- */

/* Decode a 32-bit instruction or, when its low two bits are not 11, a
 * 16-bit one. Unknown encodings decode to RV64_OP_illegal with exec_illegal. */
void rv64_decode(uint32_t bits, struct rv64_insn *d);
/* The 32-bit instruction a compressed one stands for; 0 (itself illegal)
 * for reserved and unimplemented compressed encodings. */
uint32_t rv64_expand_rvc(uint16_t c);
/* The table entry for an op: mnemonic and format. */
const char *rv64_op_name(enum rv64_op op);
enum rv64_fmt rv64_op_fmt(enum rv64_op op);

#endif
