/*
 * decode.c - instruction bits to a decoded instruction, from the tables in
 * opcodes.h. Compressed instructions are first expanded to the base
 * instruction they stand for (decode_rvc.c), so every executor sees one
 * form and `c.addi` is `addi`.
 *
 * The search is linear over the 141 patterns. It runs once per instruction
 * location (decoded instructions are cached per page, see icache.c), so a
 * smarter index would buy nothing measurable.
 */
#include "isa/rv64/insn.h"

#include <stddef.h>

struct pattern {
    uint32_t match, mask;
    uint16_t op;
    uint8_t fmt;
    const char *mnemonic;
    rv64_exec_fn *exec, *exec_c; /* for the 4-byte and the 2-byte encoding */
};

#define RV64_PATTERN(name, mn, m, k, f) {m, k, RV64_OP_##name, f, mn, exec_##name, exec_c_##name},
static const struct pattern patterns[] = {RV64_ALL_INSNS(RV64_PATTERN)};
#undef RV64_PATTERN

/* By op, for the disassembler and traces. */
#define RV64_NAME(name, mn, m, k, f) [RV64_OP_##name] = mn,
static const char *const op_names[RV64_OP_COUNT] = {[RV64_OP_illegal] = "illegal",
                                                    RV64_ALL_INSNS(RV64_NAME)};
#undef RV64_NAME

#define RV64_FMT(name, mn, m, k, f) [RV64_OP_##name] = f,
static const uint8_t op_fmts[RV64_OP_COUNT] = {[RV64_OP_illegal] = FMT_NONE,
                                               RV64_ALL_INSNS(RV64_FMT)};
#undef RV64_FMT

const char *rv64_op_name(enum rv64_op op)
{
    return op < RV64_OP_COUNT ? op_names[op] : "?";
}

enum rv64_fmt rv64_op_fmt(enum rv64_op op)
{
    return op < RV64_OP_COUNT ? (enum rv64_fmt)op_fmts[op] : FMT_NONE;
}

/* The immediate each format carries: the only place that reads them. */
static int64_t decode_imm(enum rv64_fmt fmt, uint32_t i)
{
    switch (fmt) {
    case FMT_I:
    case FMT_LOAD: return imm_i(i);
    case FMT_S: return imm_s(i);
    case FMT_B: return imm_b(i);
    case FMT_U: return imm_u(i);
    case FMT_J: return imm_j(i);
    case FMT_SHIFT: return (i >> 20) & 0x3f; /* funct6 forms: 6 bits; W forms: bit 25 is 0 */
    case FMT_CSR:
    case FMT_CSRI: return insn_csr(i);
    case FMT_FENCE: return (i >> 20) & 0xfff;
    case FMT_R:
    case FMT_R1:
    case FMT_AMO:
    case FMT_LR:
    case FMT_CBO:
    case FMT_SFENCE:
    case FMT_NONE: break;
    }
    return 0;
}

/* len: of the encoding i came from (i is a compressed one's expansion
 * when 2). */
static void decode32(uint32_t i, unsigned len, struct rv64_insn *d)
{
    for (size_t k = 0; k < sizeof(patterns) / sizeof(patterns[0]); k++) {
        const struct pattern *p = &patterns[k];
        if ((i & p->mask) != p->match)
            continue;
        d->op = p->op;
        d->exec = len == 2 ? p->exec_c : p->exec;
        d->rd = (uint8_t)insn_rd(i);
        d->rs1 = (uint8_t)insn_rs1(i);
        d->rs2 = (uint8_t)insn_rs2(i);
        d->imm = decode_imm((enum rv64_fmt)p->fmt, i);
        return;
    }
    d->op = RV64_OP_illegal;
    d->exec = len == 2 ? exec_c_illegal : exec_illegal;
    d->rd = d->rs1 = d->rs2 = 0;
    d->imm = 0;
}

void rv64_decode(uint32_t bits, struct rv64_insn *d)
{
    if ((bits & 3) != 3) {
        uint16_t c = (uint16_t)bits;
        uint32_t base = rv64_expand_rvc(c);
        decode32(base, 2, d);
        d->bits = c;
        d->len = 2;
        /* The expansion of an illegal compressed word is 0, itself illegal. */
        return;
    }
    decode32(bits, 4, d);
    d->bits = bits;
    d->len = 4;
}
