/*
 * decode_rvc.c - the C extension: every RV64 compressed instruction
 * expanded to the 32-bit base instruction it stands for ("RVC Instruction
 * Set Listings" in the unprivileged manual). The decoder then treats the
 * expansion like any other word, so compressed code runs through the same
 * executors.
 *
 * Reserved encodings and the D-extension forms (c.fld, c.fsd, c.fldsp,
 * c.fsdsp: D is not implemented) expand to 0, which is illegal. HINT
 * encodings (c.nop with an immediate, c.li/c.lui/c.mv/c.add/c.slli with
 * rd = x0, ...) expand to their base instruction, which writes x0 and so
 * does nothing, exactly as the manual defines them.
 */
#include "isa/rv64/insn.h"

/* Base opcodes used by expansions. */
enum {
    OP_LOAD = 0x03,
    OP_IMM = 0x13,
    OP_IMM_32 = 0x1b,
    OP_STORE = 0x23,
    OP_OP = 0x33,
    OP_LUI = 0x37,
    OP_OP_32 = 0x3b,
    OP_BRANCH = 0x63,
    OP_JALR = 0x67,
    OP_JAL = 0x6f,
};

/* ---- base encoders -------------------------------------------------------- */

static uint32_t enc_r(unsigned f7, unsigned rs2, unsigned rs1, unsigned f3, unsigned rd,
                      unsigned op)
{
    return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}

static uint32_t enc_i(int32_t imm, unsigned rs1, unsigned f3, unsigned rd, unsigned op)
{
    return (uint32_t)(imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}

static uint32_t enc_s(int32_t imm, unsigned rs2, unsigned rs1, unsigned f3, unsigned op)
{
    uint32_t u = (uint32_t)imm;
    return ((u >> 5) & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 31) << 7 | op;
}

static uint32_t enc_b(int32_t imm, unsigned rs2, unsigned rs1, unsigned f3)
{
    uint32_t u = (uint32_t)imm;
    return ((u >> 12) & 1) << 31 | ((u >> 5) & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
           ((u >> 1) & 0xf) << 8 | ((u >> 11) & 1) << 7 | OP_BRANCH;
}

static uint32_t enc_j(int32_t imm, unsigned rd)
{
    uint32_t u = (uint32_t)imm;
    return ((u >> 20) & 1) << 31 | ((u >> 1) & 0x3ff) << 21 | ((u >> 11) & 1) << 20 |
           ((u >> 12) & 0xff) << 12 | rd << 7 | OP_JAL;
}

/* ---- compressed fields -------------------------------------------------- */

/* clang-format off */ /* the fields of the RVC formats, one per line */
static unsigned bit(uint16_t c, unsigned n) { return (c >> n) & 1u; }
static unsigned bits(uint16_t c, unsigned hi, unsigned lo) { return (c >> lo) & ((1u << (hi - lo + 1)) - 1); }

static unsigned c_rd(uint16_t c) { return bits(c, 11, 7); }    /* also rs1 */
static unsigned c_rs2(uint16_t c) { return bits(c, 6, 2); }
static unsigned c_rdp(uint16_t c) { return 8 + bits(c, 4, 2); } /* rd', rs2' */
static unsigned c_rs1p(uint16_t c) { return 8 + bits(c, 9, 7); } /* rs1', rd' */

/* imm[5] = c[12], imm[4:0] = c[6:2], sign-extended (c.addi, c.li, c.andi ...). */
static int32_t c_imm6(uint16_t c) { return (int32_t)sext(bit(c, 12) << 5 | bits(c, 6, 2), 6); }
/* The same bits unsigned: shift amounts. */
static unsigned c_shamt(uint16_t c) { return bit(c, 12) << 5 | bits(c, 6, 2); }

static unsigned c_addi4spn_imm(uint16_t c)
{
    return bits(c, 12, 11) << 4 | bits(c, 10, 7) << 6 | bit(c, 6) << 2 | bit(c, 5) << 3;
}
static unsigned c_lw_imm(uint16_t c) { return bits(c, 12, 10) << 3 | bit(c, 6) << 2 | bit(c, 5) << 6; }
static unsigned c_ld_imm(uint16_t c) { return bits(c, 12, 10) << 3 | bits(c, 6, 5) << 6; }
static int32_t c_addi16sp_imm(uint16_t c)
{
    return (int32_t)sext(bit(c, 12) << 9 | bit(c, 6) << 4 | bit(c, 5) << 6 | bits(c, 4, 3) << 7 |
                             bit(c, 2) << 5,
                         10);
}
static int32_t c_lui_imm(uint16_t c) { return (int32_t)sext(bit(c, 12) << 17 | bits(c, 6, 2) << 12, 18); }
static int32_t c_j_imm(uint16_t c)
{
    return (int32_t)sext(bit(c, 12) << 11 | bit(c, 11) << 4 | bits(c, 10, 9) << 8 |
                             bit(c, 8) << 10 | bit(c, 7) << 6 | bit(c, 6) << 7 |
                             bits(c, 5, 3) << 1 | bit(c, 2) << 5,
                         12);
}
static int32_t c_b_imm(uint16_t c)
{
    return (int32_t)sext(bit(c, 12) << 8 | bits(c, 11, 10) << 3 | bits(c, 6, 5) << 6 |
                             bits(c, 4, 3) << 1 | bit(c, 2) << 5,
                         9);
}
static unsigned c_lwsp_imm(uint16_t c) { return bit(c, 12) << 5 | bits(c, 6, 4) << 2 | bits(c, 3, 2) << 6; }
static unsigned c_ldsp_imm(uint16_t c) { return bit(c, 12) << 5 | bits(c, 6, 5) << 3 | bits(c, 4, 2) << 6; }
static unsigned c_swsp_imm(uint16_t c) { return bits(c, 12, 9) << 2 | bits(c, 8, 7) << 6; }
static unsigned c_sdsp_imm(uint16_t c) { return bits(c, 12, 10) << 3 | bits(c, 9, 7) << 6; }

/* clang-format on */
/* ---- quadrants ---------------------------------------------------------- */

static uint32_t quadrant0(uint16_t c)
{
    switch (bits(c, 15, 13)) {
    case 0: /* c.addi4spn: nzuimm = 0 is reserved (and c = 0 is the defined-illegal word) */
        if (c_addi4spn_imm(c) == 0)
            return 0;
        return enc_i((int32_t)c_addi4spn_imm(c), 2, 0, c_rdp(c), OP_IMM);
    case 2: /* c.lw */ return enc_i((int32_t)c_lw_imm(c), c_rs1p(c), 2, c_rdp(c), OP_LOAD);
    case 3: /* c.ld */ return enc_i((int32_t)c_ld_imm(c), c_rs1p(c), 3, c_rdp(c), OP_LOAD);
    case 6: /* c.sw */ return enc_s((int32_t)c_lw_imm(c), c_rdp(c), c_rs1p(c), 2, OP_STORE);
    case 7: /* c.sd */ return enc_s((int32_t)c_ld_imm(c), c_rdp(c), c_rs1p(c), 3, OP_STORE);
    default: /* c.fld, c.fsd (D), 100 reserved */ return 0;
    }
}

static uint32_t quadrant1_arith(uint16_t c)
{
    unsigned rd = c_rs1p(c), rs2 = c_rdp(c);
    switch (bits(c, 11, 10)) {
    case 0: /* c.srli */ return enc_i((int32_t)c_shamt(c), rd, 5, rd, OP_IMM);
    case 1: /* c.srai */ return enc_i((int32_t)(c_shamt(c) | 0x400), rd, 5, rd, OP_IMM);
    case 2: /* c.andi */ return enc_i(c_imm6(c), rd, 7, rd, OP_IMM);
    }
    static const struct {
        unsigned f7, f3, op;
    } ops[8] = {
        {0x20, 0, OP_OP},    /* c.sub */
        {0x00, 4, OP_OP},    /* c.xor */
        {0x00, 6, OP_OP},    /* c.or */
        {0x00, 7, OP_OP},    /* c.and */
        {0x20, 0, OP_OP_32}, /* c.subw */
        {0x00, 0, OP_OP_32}, /* c.addw */
        {0, 0, 0},           /* reserved */
        {0, 0, 0},           /* reserved */
    };
    unsigned k = bit(c, 12) << 2 | bits(c, 6, 5);
    if (!ops[k].op)
        return 0;
    return enc_r(ops[k].f7, rs2, rd, ops[k].f3, rd, ops[k].op);
}

static uint32_t quadrant1(uint16_t c)
{
    unsigned rd = c_rd(c);
    switch (bits(c, 15, 13)) {
    case 0: /* c.addi (c.nop when rd = 0) */ return enc_i(c_imm6(c), rd, 0, rd, OP_IMM);
    case 1: /* c.addiw: rd = 0 reserved */ return rd ? enc_i(c_imm6(c), rd, 0, rd, OP_IMM_32) : 0;
    case 2: /* c.li */ return enc_i(c_imm6(c), 0, 0, rd, OP_IMM);
    case 3:
        if (rd == 2) { /* c.addi16sp: nzimm = 0 reserved */
            int32_t imm = c_addi16sp_imm(c);
            return imm ? enc_i(imm, 2, 0, 2, OP_IMM) : 0;
        }
        /* c.lui: nzimm = 0 reserved */
        return c_lui_imm(c) ? ((uint32_t)c_lui_imm(c) & 0xfffff000u) | rd << 7 | OP_LUI : 0;
    case 4: return quadrant1_arith(c);
    case 5: /* c.j */ return enc_j(c_j_imm(c), 0);
    case 6: /* c.beqz */ return enc_b(c_b_imm(c), 0, c_rs1p(c), 0);
    default: /* c.bnez */ return enc_b(c_b_imm(c), 0, c_rs1p(c), 1);
    }
}

static uint32_t quadrant2(uint16_t c)
{
    unsigned rd = c_rd(c), rs2 = c_rs2(c);
    switch (bits(c, 15, 13)) {
    case 0: /* c.slli */ return enc_i((int32_t)c_shamt(c), rd, 1, rd, OP_IMM);
    case 2: /* c.lwsp: rd = 0 reserved */
        return rd ? enc_i((int32_t)c_lwsp_imm(c), 2, 2, rd, OP_LOAD) : 0;
    case 3: /* c.ldsp: rd = 0 reserved */
        return rd ? enc_i((int32_t)c_ldsp_imm(c), 2, 3, rd, OP_LOAD) : 0;
    case 4:
        if (!bit(c, 12)) {
            if (rs2 == 0) /* c.jr: rs1 = 0 reserved */
                return rd ? enc_i(0, rd, 0, 0, OP_JALR) : 0;
            /* c.mv: the manual writes add rd, x0, rs2; addi rd, rs2, 0 has
             * the same effect and is the form llvm-objdump prints ("mv"). */
            return enc_i(0, rs2, 0, rd, OP_IMM);
        }
        if (rs2 == 0) /* c.ebreak, c.jalr */
            return rd ? enc_i(0, rd, 0, 1, OP_JALR) : 0x00100073;
        return enc_r(0, rs2, rd, 0, rd, OP_OP); /* c.add */
    case 6: /* c.swsp */ return enc_s((int32_t)c_swsp_imm(c), rs2, 2, 2, OP_STORE);
    case 7: /* c.sdsp */ return enc_s((int32_t)c_sdsp_imm(c), rs2, 2, 3, OP_STORE);
    default: /* c.fldsp, c.fsdsp (D) */ return 0;
    }
}

uint32_t rv64_expand_rvc(uint16_t c)
{
    switch (c & 3) {
    case 0: return quadrant0(c);
    case 1: return quadrant1(c);
    case 2: return quadrant2(c);
    default: return 0; /* not a compressed instruction */
    }
}
