/*
 * decode.c - the A64 decoder, laid out like the Arm ARM's encoding index
 * (DDI 0487, C4.1): the top-level op0 field picks one of four groups, and
 * each group is a table of patterns tried in order.
 *
 * A pattern is the encoding diagram as a string, most significant bit
 * first, so a row can be held next to the manual's box:
 *   "sf:1 0 0 100010 sh:1 imm12:12 Rn:5 Rd:5"
 * Tokens are fixed bits ("100010", with x for "either"), a named field of
 * a width ("imm12:12", any value), or a named field with fixed bits
 * ("opc=01"). The names document; the mask and match are compiled from the
 * string once. Where two rows overlap the first wins, as in decodetree.
 *
 * Each row names a format: the one place where fields are pulled out of
 * the word, immediates are sign-extended, scaled or expanded, and the
 * manual's "unallocated" field values are refused.
 */
#include "isa/aarch64/insn.h"
#include "isa/aarch64/alu.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Formats: which fields an encoding has and how they are decoded. */
enum a64_fmt {
    F_NONE,
    /* data processing, immediate */
    F_PCREL,
    F_ADDSUB_IMM,
    F_ADDSUB_TAG,
    F_LOGIC_IMM,
    F_MOVEWIDE,
    F_BITFIELD,
    F_EXTR,
    /* branches, exceptions, system */
    F_B,
    F_BCOND,
    F_CB,
    F_TB,
    F_BR,
    F_EXC,
    F_HINT,
    F_BARRIER,
    F_MSR_IMM,
    F_SYS,
    F_SYSREG,
    /* loads and stores */
    F_LDST_LIT,
    F_LDST_UIMM,
    F_LDST_IMM9,
    F_LDST_REG,
    F_LDST_PAIR,
    F_LDST_EXCL,
    F_ATOMIC,
    F_LDST_TAG,
    /* data processing, register */
    F_LOGIC_SHIFT,
    F_ADDSUB_SHIFT,
    F_ADDSUB_EXT,
    F_RRR,
    F_CSEL,
    F_CCMP_REG,
    F_CCMP_IMM,
    F_DP3,
    F_RR,
};

struct a64_pattern {
    const char *bits;
    enum a64_fmt fmt;
    a64_exec_fn exec;
    const char *name;
    uint32_t mask, match; /* compiled from bits */
};

/* clang-format off */
#define P(bits, fmt, insn, name) {bits, fmt, trans_##insn, name, 0, 0}
/* clang-format on */

/* ---- Data processing -- immediate (op0 = 100x) -------------------------- */
static struct a64_pattern dp_imm[] = {
    P("0 immlo:2 10000 immhi:19 Rd:5", F_PCREL, ADR, "ADR"),
    P("1 immlo:2 10000 immhi:19 Rd:5", F_PCREL, ADRP, "ADRP"),
    P("sf:1 op=0 S=0 100010 sh:1 imm12:12 Rn:5 Rd:5", F_ADDSUB_IMM, ADD_imm, "ADD (immediate)"),
    P("sf:1 op=0 S=1 100010 sh:1 imm12:12 Rn:5 Rd:5", F_ADDSUB_IMM, ADDS_imm, "ADDS (immediate)"),
    P("sf:1 op=1 S=0 100010 sh:1 imm12:12 Rn:5 Rd:5", F_ADDSUB_IMM, SUB_imm, "SUB (immediate)"),
    P("sf:1 op=1 S=1 100010 sh:1 imm12:12 Rn:5 Rd:5", F_ADDSUB_IMM, SUBS_imm, "SUBS (immediate)"),
    P("sf=1 op=0 S=0 100011 0 uimm6:6 op3=00 uimm4:4 Rn:5 Rd:5", F_ADDSUB_TAG, ADDG, "ADDG"),
    P("sf=1 op=1 S=0 100011 0 uimm6:6 op3=00 uimm4:4 Rn:5 Rd:5", F_ADDSUB_TAG, SUBG, "SUBG"),
    P("sf:1 opc=00 100100 N:1 immr:6 imms:6 Rn:5 Rd:5", F_LOGIC_IMM, AND_imm, "AND (immediate)"),
    P("sf:1 opc=01 100100 N:1 immr:6 imms:6 Rn:5 Rd:5", F_LOGIC_IMM, ORR_imm, "ORR (immediate)"),
    P("sf:1 opc=10 100100 N:1 immr:6 imms:6 Rn:5 Rd:5", F_LOGIC_IMM, EOR_imm, "EOR (immediate)"),
    P("sf:1 opc=11 100100 N:1 immr:6 imms:6 Rn:5 Rd:5", F_LOGIC_IMM, ANDS_imm, "ANDS (immediate)"),
    P("sf:1 opc=00 100101 hw:2 imm16:16 Rd:5", F_MOVEWIDE, MOVN, "MOVN"),
    P("sf:1 opc=10 100101 hw:2 imm16:16 Rd:5", F_MOVEWIDE, MOVZ, "MOVZ"),
    P("sf:1 opc=11 100101 hw:2 imm16:16 Rd:5", F_MOVEWIDE, MOVK, "MOVK"),
    P("sf:1 opc=00 100110 N:1 immr:6 imms:6 Rn:5 Rd:5", F_BITFIELD, SBFM, "SBFM"),
    P("sf:1 opc=01 100110 N:1 immr:6 imms:6 Rn:5 Rd:5", F_BITFIELD, BFM, "BFM"),
    P("sf:1 opc=10 100110 N:1 immr:6 imms:6 Rn:5 Rd:5", F_BITFIELD, UBFM, "UBFM"),
    P("sf:1 op21=00 100111 N:1 o0=0 Rm:5 imms:6 Rn:5 Rd:5", F_EXTR, EXTR, "EXTR"),
    {0},
};

/* ---- Branches, exception generating and system instructions (101x) ------ */
static struct a64_pattern branch_sys[] = {
    P("0101010 o1=0 imm19:19 o0=0 cond:4", F_BCOND, B_cond, "B.cond"),
    P("11010100 opc=000 imm16:16 op2=000 LL=01", F_EXC, SVC, "SVC"),
    P("11010100 opc=001 imm16:16 op2=000 LL=00", F_EXC, BRK, "BRK"),
    /* HVC and SMC: no EL2 or EL3 is modelled, so they are UNDEFINED. */
    P("1101010100 L=0 op0=00 op1=011 CRn=0010 CRm:4 op2:3 Rt=11111", F_HINT, HINT, "HINT"),
    P("1101010100 L=0 op0=00 op1=011 CRn=0011 CRm:4 op2=010 Rt=11111", F_NONE, CLREX, "CLREX"),
    P("1101010100 L=0 op0=00 op1=011 CRn=0011 CRm:4 op2=1xx Rt=11111", F_BARRIER, BARRIER,
      "DSB/DMB/ISB/SB"),
    P("1101010100 L=0 op0=00 op1:3 CRn=0100 CRm:4 op2:3 Rt=11111", F_MSR_IMM, MSR_imm,
      "MSR (immediate)"),
    P("1101010100 L=0 op0=01 op1:3 CRn:4 CRm:4 op2:3 Rt:5", F_SYS, SYS, "SYS"),
    P("1101010100 L=0 op0=1x op1:3 CRn:4 CRm:4 op2:3 Rt:5", F_SYSREG, MSR_reg, "MSR (register)"),
    P("1101010100 L=1 op0=1x op1:3 CRn:4 CRm:4 op2:3 Rt:5", F_SYSREG, MRS, "MRS"),
    P("1101011 opc=0000 op2=11111 op3=000000 Rn:5 op4=00000", F_BR, BR, "BR"),
    P("1101011 opc=0001 op2=11111 op3=000000 Rn:5 op4=00000", F_BR, BLR, "BLR"),
    P("1101011 opc=0010 op2=11111 op3=000000 Rn:5 op4=00000", F_BR, RET, "RET"),
    P("1101011 opc=0100 op2=11111 op3=000000 Rn=11111 op4=00000", F_NONE, ERET, "ERET"),
    P("op=0 00101 imm26:26", F_B, B, "B"),
    P("op=1 00101 imm26:26", F_B, BL, "BL"),
    P("sf:1 011010 op=0 imm19:19 Rt:5", F_CB, CBZ, "CBZ"),
    P("sf:1 011010 op=1 imm19:19 Rt:5", F_CB, CBNZ, "CBNZ"),
    P("b5:1 011011 op=0 b40:5 imm14:14 Rt:5", F_TB, TBZ, "TBZ"),
    P("b5:1 011011 op=1 b40:5 imm14:14 Rt:5", F_TB, TBNZ, "TBNZ"),
    {0},
};

/* ---- Loads and stores (x1x0) ------------------------------------------- */
static struct a64_pattern ldst[] = {
    /* Load/store exclusive and ordered: size 001000 o2 L o1 Rs o0 Rt2 Rn Rt */
    P("size:2 001000 o2=0 L=0 o1=0 Rs:5 o0:1 Rt2:5 Rn:5 Rt:5", F_LDST_EXCL, STXR, "STXR"),
    P("size:2 001000 o2=0 L=1 o1=0 Rs:5 o0:1 Rt2:5 Rn:5 Rt:5", F_LDST_EXCL, LDXR, "LDXR"),
    P("1 sz:1 001000 o2=0 L=0 o1=1 Rs:5 o0:1 Rt2:5 Rn:5 Rt:5", F_LDST_EXCL, STXP, "STXP"),
    P("1 sz:1 001000 o2=0 L=1 o1=1 Rs:5 o0:1 Rt2:5 Rn:5 Rt:5", F_LDST_EXCL, LDXP, "LDXP"),
    P("0 sz:1 001000 o2=0 L:1 o1=1 Rs:5 o0:1 Rt2=11111 Rn:5 Rt:5", F_LDST_EXCL, CASP, "CASP"),
    /* o0 = 0 are STLLR/LDLAR (LORegions): with no LORegion they order as STLR/LDAR. */
    P("size:2 001000 o2=1 L=0 o1=0 Rs:5 o0:1 Rt2:5 Rn:5 Rt:5", F_LDST_EXCL, STLR, "STLR"),
    P("size:2 001000 o2=1 L=1 o1=0 Rs:5 o0:1 Rt2:5 Rn:5 Rt:5", F_LDST_EXCL, LDAR, "LDAR"),
    P("size:2 001000 o2=1 L:1 o1=1 Rs:5 o0:1 Rt2=11111 Rn:5 Rt:5", F_LDST_EXCL, CAS, "CAS"),

    /* Load register (literal): opc 011 V 00 imm19 Rt */
    P("opc=0x 011 V=0 00 imm19:19 Rt:5", F_LDST_LIT, LDR_lit, "LDR (literal)"),
    P("opc=10 011 V=0 00 imm19:19 Rt:5", F_LDST_LIT, LDRSW_lit, "LDRSW (literal)"),
    P("opc=11 011 V=0 00 imm19:19 Rt:5", F_LDST_LIT, PRFM, "PRFM (literal)"),
    P("opc:2 011 V=1 00 imm19:19 Rt:5", F_LDST_LIT, LDR_lit_simd, "LDR (literal, SIMD&FP)"),

    /* Load/store pairs: opc 101 V 0 idx L imm7 Rt2 Rn Rt; idx 00 is the
     * no-allocate (LDNP/STNP) offset form, 01 post-, 10 offset, 11 pre-index. */
    P("opc=x0 101 V=0 0 idx:2 L=0 imm7:7 Rt2:5 Rn:5 Rt:5", F_LDST_PAIR, STP, "STP/STNP"),
    P("opc=x0 101 V=0 0 idx:2 L=1 imm7:7 Rt2:5 Rn:5 Rt:5", F_LDST_PAIR, LDP, "LDP/LDNP"),
    P("opc=01 101 V=0 0 idx=00 L:1 imm7:7 Rt2:5 Rn:5 Rt:5", F_NONE, UNDEFINED, "UNDEFINED"),
    P("opc=01 101 V=0 0 idx:2 L=1 imm7:7 Rt2:5 Rn:5 Rt:5", F_LDST_PAIR, LDPSW, "LDPSW"),
    P("opc=01 101 V=0 0 idx:2 L=0 imm7:7 Rt2:5 Rn:5 Rt:5", F_LDST_PAIR, STGP, "STGP"),
    P("opc:2 101 V=1 0 idx:2 L=0 imm7:7 Rt2:5 Rn:5 Rt:5", F_LDST_PAIR, STP_simd,
      "STP/STNP (SIMD&FP)"),
    P("opc:2 101 V=1 0 idx:2 L=1 imm7:7 Rt2:5 Rn:5 Rt:5", F_LDST_PAIR, LDP_simd,
      "LDP/LDNP (SIMD&FP)"),

    /* Load/store register (unsigned immediate): size 111 V 01 opc imm12 Rn Rt */
    P("size:2 111 V=0 01 opc=00 imm12:12 Rn:5 Rt:5", F_LDST_UIMM, STR_imm, "STR (immediate)"),
    P("size:2 111 V=0 01 opc=01 imm12:12 Rn:5 Rt:5", F_LDST_UIMM, LDR_imm, "LDR (immediate)"),
    P("size=0x 111 V=0 01 opc=1x imm12:12 Rn:5 Rt:5", F_LDST_UIMM, LDRS_imm,
      "LDRSB/LDRSH (immediate)"),
    P("size=10 111 V=0 01 opc=10 imm12:12 Rn:5 Rt:5", F_LDST_UIMM, LDRS_imm, "LDRSW (immediate)"),
    P("size=11 111 V=0 01 opc=10 imm12:12 Rn:5 Rt:5", F_LDST_UIMM, PRFM, "PRFM (immediate)"),
    P("size:2 111 V=1 01 opc=x0 imm12:12 Rn:5 Rt:5", F_LDST_UIMM, STR_imm_simd,
      "STR (immediate, SIMD&FP)"),
    P("size:2 111 V=1 01 opc=x1 imm12:12 Rn:5 Rt:5", F_LDST_UIMM, LDR_imm_simd,
      "LDR (immediate, SIMD&FP)"),

    /* Load/store register with a 9-bit immediate: size 111 V 00 opc 0 imm9
     * idx Rn Rt; idx 00 unscaled (LDUR), 01 post-, 10 unprivileged, 11 pre. */
    P("size:2 111 V=0 00 opc=00 0 imm9:9 10 Rn:5 Rt:5", F_LDST_IMM9, STTR, "STTR"),
    P("size:2 111 V=0 00 opc=01 0 imm9:9 10 Rn:5 Rt:5", F_LDST_IMM9, LDTR, "LDTR"),
    P("size=0x 111 V=0 00 opc=1x 0 imm9:9 10 Rn:5 Rt:5", F_LDST_IMM9, LDTRS, "LDTRSB/LDTRSH"),
    P("size=10 111 V=0 00 opc=10 0 imm9:9 10 Rn:5 Rt:5", F_LDST_IMM9, LDTRS, "LDTRSW"),
    P("size:2 111 V:1 00 opc:2 0 imm9:9 10 Rn:5 Rt:5", F_NONE, UNDEFINED, "UNDEFINED"),
    P("size=11 111 V=0 00 opc=10 0 imm9:9 00 Rn:5 Rt:5", F_LDST_IMM9, PRFM, "PRFUM"),
    P("size:2 111 V=0 00 opc=00 0 imm9:9 idx:2 Rn:5 Rt:5", F_LDST_IMM9, STR_imm,
      "STR/STUR (immediate)"),
    P("size:2 111 V=0 00 opc=01 0 imm9:9 idx:2 Rn:5 Rt:5", F_LDST_IMM9, LDR_imm,
      "LDR/LDUR (immediate)"),
    P("size=0x 111 V=0 00 opc=1x 0 imm9:9 idx:2 Rn:5 Rt:5", F_LDST_IMM9, LDRS_imm,
      "LDRSB/LDRSH/LDURSB/LDURSH (immediate)"),
    P("size=10 111 V=0 00 opc=10 0 imm9:9 idx:2 Rn:5 Rt:5", F_LDST_IMM9, LDRS_imm,
      "LDRSW/LDURSW (immediate)"),
    P("size:2 111 V=1 00 opc=x0 0 imm9:9 idx:2 Rn:5 Rt:5", F_LDST_IMM9, STR_imm_simd,
      "STR/STUR (immediate, SIMD&FP)"),
    P("size:2 111 V=1 00 opc=x1 0 imm9:9 idx:2 Rn:5 Rt:5", F_LDST_IMM9, LDR_imm_simd,
      "LDR/LDUR (immediate, SIMD&FP)"),

    /* Load/store register (register offset): size 111 V 00 opc 1 Rm option S 10 Rn Rt */
    P("size:2 111 V=0 00 opc=00 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5", F_LDST_REG, STR_reg,
      "STR (register)"),
    P("size:2 111 V=0 00 opc=01 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5", F_LDST_REG, LDR_reg,
      "LDR (register)"),
    P("size=0x 111 V=0 00 opc=1x 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5", F_LDST_REG, LDRS_reg,
      "LDRSB/LDRSH (register)"),
    P("size=10 111 V=0 00 opc=10 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5", F_LDST_REG, LDRS_reg,
      "LDRSW (register)"),
    P("size=11 111 V=0 00 opc=10 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5", F_LDST_REG, PRFM,
      "PRFM (register)"),
    P("size:2 111 V=1 00 opc=x0 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5", F_LDST_REG, STR_reg_simd,
      "STR (register, SIMD&FP)"),
    P("size:2 111 V=1 00 opc=x1 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5", F_LDST_REG, LDR_reg_simd,
      "LDR (register, SIMD&FP)"),

    /* Atomic memory operations (FEAT_LSE): size 111 V 00 A R 1 Rs o3 opc 00 Rn Rt */
    P("size:2 111 V=0 00 A:1 R:1 1 Rs:5 o3=0 opc=000 00 Rn:5 Rt:5", F_ATOMIC, LDADD, "LDADD"),
    P("size:2 111 V=0 00 A:1 R:1 1 Rs:5 o3=0 opc=001 00 Rn:5 Rt:5", F_ATOMIC, LDCLR, "LDCLR"),
    P("size:2 111 V=0 00 A:1 R:1 1 Rs:5 o3=0 opc=010 00 Rn:5 Rt:5", F_ATOMIC, LDEOR, "LDEOR"),
    P("size:2 111 V=0 00 A:1 R:1 1 Rs:5 o3=0 opc=011 00 Rn:5 Rt:5", F_ATOMIC, LDSET, "LDSET"),
    P("size:2 111 V=0 00 A:1 R:1 1 Rs:5 o3=0 opc=100 00 Rn:5 Rt:5", F_ATOMIC, LDSMAX, "LDSMAX"),
    P("size:2 111 V=0 00 A:1 R:1 1 Rs:5 o3=0 opc=101 00 Rn:5 Rt:5", F_ATOMIC, LDSMIN, "LDSMIN"),
    P("size:2 111 V=0 00 A:1 R:1 1 Rs:5 o3=0 opc=110 00 Rn:5 Rt:5", F_ATOMIC, LDUMAX, "LDUMAX"),
    P("size:2 111 V=0 00 A:1 R:1 1 Rs:5 o3=0 opc=111 00 Rn:5 Rt:5", F_ATOMIC, LDUMIN, "LDUMIN"),
    P("size:2 111 V=0 00 A:1 R:1 1 Rs:5 o3=1 opc=000 00 Rn:5 Rt:5", F_ATOMIC, SWP, "SWP"),
    /* LDAPR (FEAT_LRCPC): a load-acquire; single-PE, so LDAR's semantics. */
    P("size:2 111 V=0 00 A=1 R=0 1 Rs=11111 o3=1 opc=100 00 Rn:5 Rt:5", F_LDST_EXCL, LDAR, "LDAPR"),

    /* Load/store memory tags (FEAT_MTE): 11011001 opc 1 imm9 op2 Rn Rt */
    P("11011001 opc=00 1 imm9=000000000 op2=00 Rn:5 Rt:5", F_LDST_TAG, STZGM, "STZGM"),
    P("11011001 opc=00 1 imm9:9 op2=x1 Rn:5 Rt:5", F_LDST_TAG, STG, "STG"),
    P("11011001 opc=00 1 imm9:9 op2=1x Rn:5 Rt:5", F_LDST_TAG, STG, "STG"),
    P("11011001 opc=01 1 imm9:9 op2=00 Rn:5 Rt:5", F_LDST_TAG, LDG, "LDG"),
    P("11011001 opc=01 1 imm9:9 op2=x1 Rn:5 Rt:5", F_LDST_TAG, STZG, "STZG"),
    P("11011001 opc=01 1 imm9:9 op2=1x Rn:5 Rt:5", F_LDST_TAG, STZG, "STZG"),
    P("11011001 opc=10 1 imm9=000000000 op2=00 Rn:5 Rt:5", F_LDST_TAG, STGM, "STGM"),
    P("11011001 opc=10 1 imm9:9 op2=x1 Rn:5 Rt:5", F_LDST_TAG, ST2G, "ST2G"),
    P("11011001 opc=10 1 imm9:9 op2=1x Rn:5 Rt:5", F_LDST_TAG, ST2G, "ST2G"),
    P("11011001 opc=11 1 imm9=000000000 op2=00 Rn:5 Rt:5", F_LDST_TAG, LDGM, "LDGM"),
    P("11011001 opc=11 1 imm9:9 op2=x1 Rn:5 Rt:5", F_LDST_TAG, STZ2G, "STZ2G"),
    P("11011001 opc=11 1 imm9:9 op2=1x Rn:5 Rt:5", F_LDST_TAG, STZ2G, "STZ2G"),
    {0},
};

/* ---- Data processing -- register (x101) --------------------------------- */
static struct a64_pattern dp_reg[] = {
    P("sf:1 opc=00 01010 shift:2 N=0 Rm:5 imm6:6 Rn:5 Rd:5", F_LOGIC_SHIFT, AND_reg,
      "AND (shifted register)"),
    P("sf:1 opc=00 01010 shift:2 N=1 Rm:5 imm6:6 Rn:5 Rd:5", F_LOGIC_SHIFT, BIC_reg,
      "BIC (shifted register)"),
    P("sf:1 opc=01 01010 shift:2 N=0 Rm:5 imm6:6 Rn:5 Rd:5", F_LOGIC_SHIFT, ORR_reg,
      "ORR (shifted register)"),
    P("sf:1 opc=01 01010 shift:2 N=1 Rm:5 imm6:6 Rn:5 Rd:5", F_LOGIC_SHIFT, ORN_reg,
      "ORN (shifted register)"),
    P("sf:1 opc=10 01010 shift:2 N=0 Rm:5 imm6:6 Rn:5 Rd:5", F_LOGIC_SHIFT, EOR_reg,
      "EOR (shifted register)"),
    P("sf:1 opc=10 01010 shift:2 N=1 Rm:5 imm6:6 Rn:5 Rd:5", F_LOGIC_SHIFT, EON_reg,
      "EON (shifted register)"),
    P("sf:1 opc=11 01010 shift:2 N=0 Rm:5 imm6:6 Rn:5 Rd:5", F_LOGIC_SHIFT, ANDS_reg,
      "ANDS (shifted register)"),
    P("sf:1 opc=11 01010 shift:2 N=1 Rm:5 imm6:6 Rn:5 Rd:5", F_LOGIC_SHIFT, BICS_reg,
      "BICS (shifted register)"),

    P("sf:1 op=0 S=0 01011 shift:2 0 Rm:5 imm6:6 Rn:5 Rd:5", F_ADDSUB_SHIFT, ADD_shift,
      "ADD (shifted register)"),
    P("sf:1 op=0 S=1 01011 shift:2 0 Rm:5 imm6:6 Rn:5 Rd:5", F_ADDSUB_SHIFT, ADDS_shift,
      "ADDS (shifted register)"),
    P("sf:1 op=1 S=0 01011 shift:2 0 Rm:5 imm6:6 Rn:5 Rd:5", F_ADDSUB_SHIFT, SUB_shift,
      "SUB (shifted register)"),
    P("sf:1 op=1 S=1 01011 shift:2 0 Rm:5 imm6:6 Rn:5 Rd:5", F_ADDSUB_SHIFT, SUBS_shift,
      "SUBS (shifted register)"),
    P("sf:1 op=0 S=0 01011 opt=00 1 Rm:5 option:3 imm3:3 Rn:5 Rd:5", F_ADDSUB_EXT, ADD_ext,
      "ADD (extended register)"),
    P("sf:1 op=0 S=1 01011 opt=00 1 Rm:5 option:3 imm3:3 Rn:5 Rd:5", F_ADDSUB_EXT, ADDS_ext,
      "ADDS (extended register)"),
    P("sf:1 op=1 S=0 01011 opt=00 1 Rm:5 option:3 imm3:3 Rn:5 Rd:5", F_ADDSUB_EXT, SUB_ext,
      "SUB (extended register)"),
    P("sf:1 op=1 S=1 01011 opt=00 1 Rm:5 option:3 imm3:3 Rn:5 Rd:5", F_ADDSUB_EXT, SUBS_ext,
      "SUBS (extended register)"),

    P("sf:1 op=0 S=0 11010000 Rm:5 000000 Rn:5 Rd:5", F_RRR, ADC, "ADC"),
    P("sf:1 op=0 S=1 11010000 Rm:5 000000 Rn:5 Rd:5", F_RRR, ADCS, "ADCS"),
    P("sf:1 op=1 S=0 11010000 Rm:5 000000 Rn:5 Rd:5", F_RRR, SBC, "SBC"),
    P("sf:1 op=1 S=1 11010000 Rm:5 000000 Rn:5 Rd:5", F_RRR, SBCS, "SBCS"),

    P("sf:1 op=0 S=1 11010010 Rm:5 cond:4 0 o2=0 Rn:5 o3=0 nzcv:4", F_CCMP_REG, CCMN_reg,
      "CCMN (register)"),
    P("sf:1 op=1 S=1 11010010 Rm:5 cond:4 0 o2=0 Rn:5 o3=0 nzcv:4", F_CCMP_REG, CCMP_reg,
      "CCMP (register)"),
    P("sf:1 op=0 S=1 11010010 imm5:5 cond:4 1 o2=0 Rn:5 o3=0 nzcv:4", F_CCMP_IMM, CCMN_imm,
      "CCMN (immediate)"),
    P("sf:1 op=1 S=1 11010010 imm5:5 cond:4 1 o2=0 Rn:5 o3=0 nzcv:4", F_CCMP_IMM, CCMP_imm,
      "CCMP (immediate)"),

    P("sf:1 op=0 S=0 11010100 Rm:5 cond:4 op2=00 Rn:5 Rd:5", F_CSEL, CSEL, "CSEL"),
    P("sf:1 op=0 S=0 11010100 Rm:5 cond:4 op2=01 Rn:5 Rd:5", F_CSEL, CSINC, "CSINC"),
    P("sf:1 op=1 S=0 11010100 Rm:5 cond:4 op2=00 Rn:5 Rd:5", F_CSEL, CSINV, "CSINV"),
    P("sf:1 op=1 S=0 11010100 Rm:5 cond:4 op2=01 Rn:5 Rd:5", F_CSEL, CSNEG, "CSNEG"),

    P("sf:1 op54=00 11011 op31=000 Rm:5 o0=0 Ra:5 Rn:5 Rd:5", F_DP3, MADD, "MADD"),
    P("sf:1 op54=00 11011 op31=000 Rm:5 o0=1 Ra:5 Rn:5 Rd:5", F_DP3, MSUB, "MSUB"),
    P("sf=1 op54=00 11011 op31=001 Rm:5 o0=0 Ra:5 Rn:5 Rd:5", F_DP3, SMADDL, "SMADDL"),
    P("sf=1 op54=00 11011 op31=001 Rm:5 o0=1 Ra:5 Rn:5 Rd:5", F_DP3, SMSUBL, "SMSUBL"),
    P("sf=1 op54=00 11011 op31=010 Rm:5 o0=0 Ra:5 Rn:5 Rd:5", F_DP3, SMULH, "SMULH"),
    P("sf=1 op54=00 11011 op31=101 Rm:5 o0=0 Ra:5 Rn:5 Rd:5", F_DP3, UMADDL, "UMADDL"),
    P("sf=1 op54=00 11011 op31=101 Rm:5 o0=1 Ra:5 Rn:5 Rd:5", F_DP3, UMSUBL, "UMSUBL"),
    P("sf=1 op54=00 11011 op31=110 Rm:5 o0=0 Ra:5 Rn:5 Rd:5", F_DP3, UMULH, "UMULH"),

    /* Data-processing (2 source): sf 0 S 11010110 Rm opcode Rn Rd */
    P("sf:1 0 S=0 11010110 Rm:5 opcode=000010 Rn:5 Rd:5", F_RRR, UDIV, "UDIV"),
    P("sf:1 0 S=0 11010110 Rm:5 opcode=000011 Rn:5 Rd:5", F_RRR, SDIV, "SDIV"),
    P("sf:1 0 S=0 11010110 Rm:5 opcode=001000 Rn:5 Rd:5", F_RRR, LSLV, "LSLV"),
    P("sf:1 0 S=0 11010110 Rm:5 opcode=001001 Rn:5 Rd:5", F_RRR, LSRV, "LSRV"),
    P("sf:1 0 S=0 11010110 Rm:5 opcode=001010 Rn:5 Rd:5", F_RRR, ASRV, "ASRV"),
    P("sf:1 0 S=0 11010110 Rm:5 opcode=001011 Rn:5 Rd:5", F_RRR, RORV, "RORV"),
    P("sf=1 0 S=0 11010110 Rm:5 opcode=000000 Rn:5 Rd:5", F_RRR, SUBP, "SUBP"),
    P("sf=1 0 S=1 11010110 Rm:5 opcode=000000 Rn:5 Rd:5", F_RRR, SUBPS, "SUBPS"),
    P("sf=1 0 S=0 11010110 Rm:5 opcode=000100 Rn:5 Rd:5", F_RRR, IRG, "IRG"),
    P("sf=1 0 S=0 11010110 Rm:5 opcode=000101 Rn:5 Rd:5", F_RRR, GMI, "GMI"),

    /* Data-processing (1 source): sf 1 S 11010110 opcode2 opcode Rn Rd */
    P("sf:1 1 S=0 11010110 opcode2=00000 opcode=000000 Rn:5 Rd:5", F_RR, RBIT, "RBIT"),
    P("sf:1 1 S=0 11010110 opcode2=00000 opcode=000001 Rn:5 Rd:5", F_RR, REV16, "REV16"),
    P("sf=0 1 S=0 11010110 opcode2=00000 opcode=000010 Rn:5 Rd:5", F_RR, REV, "REV (32-bit)"),
    P("sf=1 1 S=0 11010110 opcode2=00000 opcode=000010 Rn:5 Rd:5", F_RR, REV32, "REV32"),
    P("sf=1 1 S=0 11010110 opcode2=00000 opcode=000011 Rn:5 Rd:5", F_RR, REV, "REV (64-bit)"),
    P("sf:1 1 S=0 11010110 opcode2=00000 opcode=000100 Rn:5 Rd:5", F_RR, CLZ, "CLZ"),
    P("sf:1 1 S=0 11010110 opcode2=00000 opcode=000101 Rn:5 Rd:5", F_RR, CLS, "CLS"),
    {0},
};

#undef P

/* ---- compiling the diagrams ---------------------------------------------- */

static void bad_pattern(const char *bits, const char *why)
{
    fprintf(stderr, "rasim: A64 decode pattern \"%s\": %s\n", bits, why);
    abort();
}

static void compile(struct a64_pattern *p)
{
    uint32_t mask = 0, match = 0;
    int pos = 32;
    const char *s = p->bits;
    while (*s) {
        while (*s == ' ')
            s++;
        const char *end = s;
        while (*end && *end != ' ')
            end++;
        const char *colon = memchr(s, ':', (size_t)(end - s));
        const char *eq = memchr(s, '=', (size_t)(end - s));
        if (colon) { /* name:width, any value */
            pos -= atoi(colon + 1);
        } else {
            for (const char *c = eq ? eq + 1 : s; c < end; c++) {
                pos--;
                if (pos < 0)
                    break;
                if (*c == '0' || *c == '1') {
                    mask |= 1u << pos;
                    match |= (uint32_t)(*c - '0') << pos;
                } else if (*c != 'x') {
                    bad_pattern(p->bits, "bits must be 0, 1 or x");
                }
            }
        }
        if (pos < 0)
            bad_pattern(p->bits, "more than 32 bits");
        s = end;
    }
    if (pos != 0)
        bad_pattern(p->bits, "fewer than 32 bits");
    p->mask = mask;
    p->match = match;
}

static struct a64_pattern *const groups[] = {dp_imm, branch_sys, ldst, dp_reg};
static pthread_once_t compiled = PTHREAD_ONCE_INIT;

static void compile_all(void)
{
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
        for (struct a64_pattern *p = groups[g]; p->bits; p++)
            compile(p);
}

/* ---- fields, by the manual's names --------------------------------------- */

static inline unsigned bits(uint32_t w, unsigned hi, unsigned lo)
{
    return (w >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static inline uint64_t sbits(uint32_t w, unsigned hi, unsigned lo)
{
    return a64_sext(bits(w, hi, lo), hi - lo + 1);
}

#define Rd(w)      bits(w, 4, 0)
#define Rt(w)      bits(w, 4, 0)
#define Rn(w)      bits(w, 9, 5)
#define Rm(w)      bits(w, 20, 16)
#define Rs(w)      bits(w, 20, 16)
#define Ra(w)      bits(w, 14, 10)
#define Rt2(w)     bits(w, 14, 10)
#define sf(w)      bits(w, 31, 31)
#define size(w)    bits(w, 31, 30)
#define V(w)       bits(w, 26, 26)
#define opc(w)     bits(w, 23, 22)
#define N(w)       bits(w, 22, 22)
#define immr(w)    bits(w, 21, 16)
#define imms(w)    bits(w, 15, 10)
#define imm6(w)    bits(w, 15, 10)
#define imm12(w)   bits(w, 21, 10)
#define sh(w)      bits(w, 22, 22)
#define shift(w)   bits(w, 23, 22)
#define hw(w)      bits(w, 22, 21)
#define imm16(w)   bits(w, 20, 5)
#define option(w)  bits(w, 15, 13)
#define imm3(w)    bits(w, 12, 10)
#define S(w)       bits(w, 12, 12)
#define cond_lo(w) bits(w, 3, 0)
#define cond_hi(w) bits(w, 15, 12)
#define nzcv(w)    bits(w, 3, 0)
#define imm5(w)    bits(w, 20, 16)
#define CRm(w)     bits(w, 11, 8)
#define op2(w)     bits(w, 7, 5)
#define op1(w)     bits(w, 18, 16)
#define CRn(w)     bits(w, 15, 12)
#define imm19(w)   sbits(w, 23, 5)
#define imm26(w)   sbits(w, 25, 0)
#define imm14(w)   sbits(w, 18, 5)
#define imm9(w)    sbits(w, 20, 12)
#define imm7(w)    sbits(w, 21, 15)
#define idx9(w)    bits(w, 11, 10)
#define idx7(w)    bits(w, 24, 23)
#define L(w)       bits(w, 22, 22)
#define o0(w)      bits(w, 15, 15)
#define A(w)       bits(w, 23, 23)
#define R(w)       bits(w, 22, 22)

/* Addressing form of the imm9 class (bits 11:10) and of pairs (bits 24:23). */
static const uint8_t imm9_index[4] = {IDX_OFFSET, IDX_POST, IDX_OFFSET, IDX_PRE};
static const uint8_t pair_index[4] = {IDX_OFFSET, IDX_POST, IDX_OFFSET, IDX_PRE};

/* log2 of the access size of a register load/store: integer size, or for
 * SIMD&FP opc<1>:size (opc<1> with size 00 is the 128-bit Q form). */
static bool ldst_size(uint32_t w, uint8_t *log2)
{
    unsigned sz = size(w);
    if (V(w) && (opc(w) & 2)) {
        if (sz != 0)
            return false;
        sz = 4;
    }
    *log2 = (uint8_t)sz;
    return true;
}

/* Fill d from w per format; false for an unallocated field value. */
static bool extract(enum a64_fmt fmt, uint32_t w, struct a64_insn *d)
{
    uint64_t wmask, tmask;
    d->sf = (uint8_t)sf(w);
    switch (fmt) {
    case F_NONE: return true;
    case F_PCREL:
        d->rd = (uint8_t)Rd(w);
        d->imm = a64_sext((uint64_t)imm19(w) << 2 | bits(w, 30, 29), 21);
        if (bits(w, 31, 31))
            d->imm <<= 12; /* ADRP: 4 KiB pages */
        return true;
    case F_ADDSUB_IMM:
        d->rd = (uint8_t)Rd(w);
        d->rn = (uint8_t)Rn(w);
        d->imm = (uint64_t)imm12(w) << (sh(w) ? 12 : 0);
        return true;
    case F_ADDSUB_TAG:
        d->rd = (uint8_t)Rd(w);
        d->rn = (uint8_t)Rn(w);
        d->imm = (uint64_t)bits(w, 21, 16) << 4; /* uimm6, in granules */
        d->imm2 = bits(w, 13, 10);               /* uimm4: tag offset */
        return true;
    case F_LOGIC_IMM:
        d->rd = (uint8_t)Rd(w);
        d->rn = (uint8_t)Rn(w);
        if (!sf(w) && N(w))
            return false;
        return a64_decode_bit_masks(N(w), imms(w), immr(w), true, sf(w) ? 64 : 32, &d->imm, &tmask);
    case F_MOVEWIDE:
        d->rd = (uint8_t)Rd(w);
        d->hw = (uint8_t)hw(w);
        if (!sf(w) && hw(w) >= 2)
            return false;
        d->imm = (uint64_t)imm16(w) << (16 * hw(w));
        return true;
    case F_BITFIELD:
        d->rd = (uint8_t)Rd(w);
        d->rn = (uint8_t)Rn(w);
        if (N(w) != sf(w) || (!sf(w) && ((immr(w) | imms(w)) & 0x20)))
            return false;
        if (!a64_decode_bit_masks(N(w), imms(w), immr(w), false, sf(w) ? 64 : 32, &wmask, &tmask))
            return false;
        d->immr = (uint8_t)immr(w);
        d->amount = (uint8_t)imms(w);
        d->imm = wmask;
        d->imm2 = tmask;
        return true;
    case F_EXTR:
        d->rd = (uint8_t)Rd(w);
        d->rn = (uint8_t)Rn(w);
        d->rm = (uint8_t)Rm(w);
        if (N(w) != sf(w) || (!sf(w) && (imms(w) & 0x20)))
            return false;
        d->amount = (uint8_t)imms(w); /* lsb */
        return true;
    case F_B: d->imm = imm26(w) << 2; return true;
    case F_BCOND:
        d->cond = (uint8_t)cond_lo(w);
        d->imm = imm19(w) << 2;
        return true;
    case F_CB:
        d->rt = (uint8_t)Rt(w);
        d->imm = imm19(w) << 2;
        return true;
    case F_TB:
        d->rt = (uint8_t)Rt(w);
        d->bit = (uint8_t)(bits(w, 31, 31) << 5 | bits(w, 23, 19));
        d->imm = imm14(w) << 2;
        return true;
    case F_BR: d->rn = (uint8_t)Rn(w); return true;
    case F_EXC: d->imm = imm16(w); return true;
    case F_HINT: d->imm = CRm(w) << 3 | op2(w); return true;
    case F_BARRIER:
        d->crm = (uint8_t)CRm(w);
        d->op = (uint8_t)op2(w);
        return true;
    case F_MSR_IMM:
        d->crm = (uint8_t)CRm(w);
        d->op = (uint8_t)(op1(w) << 3 | op2(w)); /* the PSTATE field */
        return true;
    case F_SYS:
    case F_SYSREG:
        d->rt = (uint8_t)Rt(w);
        /* op0:op1:CRn:CRm:op2, bits 20:5 of the word: the sysreg key. */
        d->imm2 = bits(w, 20, 5);
        return true;
    case F_LDST_LIT:
        d->rt = (uint8_t)Rt(w);
        d->imm = imm19(w) << 2;
        d->size = (uint8_t)(2 + bits(w, 31, 30)); /* SIMD: S, D, Q; integer W, X */
        if (V(w) && bits(w, 31, 30) == 3)
            return false;
        return true;
    case F_LDST_UIMM:
        d->rt = (uint8_t)Rt(w);
        d->rn = (uint8_t)Rn(w);
        if (!ldst_size(w, &d->size))
            return false;
        d->imm = (uint64_t)imm12(w) << d->size;
        d->index = IDX_OFFSET;
        d->sf = !(opc(w) & 1); /* signed loads: opc 10 to X, 11 to W */
        return true;
    case F_LDST_IMM9:
        d->rt = (uint8_t)Rt(w);
        d->rn = (uint8_t)Rn(w);
        if (!ldst_size(w, &d->size))
            return false;
        d->imm = imm9(w);
        d->index = imm9_index[idx9(w)];
        d->sf = !(opc(w) & 1);
        return true;
    case F_LDST_REG:
        d->rt = (uint8_t)Rt(w);
        d->rn = (uint8_t)Rn(w);
        d->rm = (uint8_t)Rm(w);
        if (!ldst_size(w, &d->size) || !(option(w) & 2))
            return false;
        d->option = (uint8_t)option(w);
        d->amount = S(w) ? d->size : 0;
        d->sf = !(opc(w) & 1);
        return true;
    case F_LDST_PAIR: {
        d->rt = (uint8_t)Rt(w);
        d->rt2 = (uint8_t)Rt2(w);
        d->rn = (uint8_t)Rn(w);
        unsigned o = bits(w, 31, 30);
        if (V(w)) {
            if (o == 3)
                return false;
            d->size = (uint8_t)(2 + o); /* S, D, Q */
        } else if (o == 1) {
            d->size = 2; /* LDPSW; STGP scales by 16 below */
        } else {
            d->size = (uint8_t)(2 + (o >> 1)); /* W, X */
        }
        unsigned scale = (!V(w) && o == 1 && !L(w)) ? 4 : d->size;
        d->imm = imm7(w) << scale;
        d->index = pair_index[idx7(w)];
        return true;
    }
    case F_LDST_EXCL:
        d->rt = (uint8_t)Rt(w);
        d->rt2 = (uint8_t)Rt2(w);
        d->rn = (uint8_t)Rn(w);
        d->rs = (uint8_t)Rs(w);
        d->size = (uint8_t)size(w);
        /* Pairs (LDXP/STXP/CASP): sz picks 32- or 64-bit registers. */
        d->sf = (uint8_t)bits(w, 30, 30);
        d->ordered = (uint8_t)(L(w) << 1 | o0(w)); /* acquire, release */
        return true;
    case F_ATOMIC:
        d->rt = (uint8_t)Rt(w);
        d->rn = (uint8_t)Rn(w);
        d->rs = (uint8_t)Rs(w);
        d->size = (uint8_t)size(w);
        d->ordered = (uint8_t)(A(w) << 1 | R(w)); /* acquire, release */
        return true;
    case F_LDST_TAG:
        d->rt = (uint8_t)Rt(w);
        d->rn = (uint8_t)Rn(w);
        d->imm = imm9(w) << 4; /* in tag granules */
        d->index = imm9_index[idx9(w)];
        return true;
    case F_LOGIC_SHIFT:
    case F_ADDSUB_SHIFT:
        d->rd = (uint8_t)Rd(w);
        d->rn = (uint8_t)Rn(w);
        d->rm = (uint8_t)Rm(w);
        d->shift = (uint8_t)shift(w);
        d->amount = (uint8_t)imm6(w);
        if (!sf(w) && (imm6(w) & 0x20))
            return false;
        return fmt == F_LOGIC_SHIFT || shift(w) != SHIFT_ROR;
    case F_ADDSUB_EXT:
        d->rd = (uint8_t)Rd(w);
        d->rn = (uint8_t)Rn(w);
        d->rm = (uint8_t)Rm(w);
        d->option = (uint8_t)option(w);
        d->amount = (uint8_t)imm3(w);
        return imm3(w) <= 4;
    case F_RRR:
    case F_CSEL:
        d->rd = (uint8_t)Rd(w);
        d->rn = (uint8_t)Rn(w);
        d->rm = (uint8_t)Rm(w);
        d->cond = (uint8_t)cond_hi(w);
        return true;
    case F_CCMP_REG:
    case F_CCMP_IMM:
        d->rn = (uint8_t)Rn(w);
        d->rm = (uint8_t)Rm(w);
        d->imm = imm5(w);
        d->cond = (uint8_t)cond_hi(w);
        d->nzcv = (uint8_t)nzcv(w);
        return true;
    case F_DP3:
        d->rd = (uint8_t)Rd(w);
        d->rn = (uint8_t)Rn(w);
        d->rm = (uint8_t)Rm(w);
        d->ra = (uint8_t)Ra(w);
        return true;
    case F_RR:
        d->rd = (uint8_t)Rd(w);
        d->rn = (uint8_t)Rn(w);
        return true;
    }
    return false;
}

/* ---- the top level: op0 = bits 28:25 (C4.1) ------------------------------ */

static const struct a64_pattern *find(uint32_t w)
{
    pthread_once(&compiled, compile_all);
    const struct a64_pattern *table;
    switch (bits(w, 28, 25)) {
    case 0x8:
    case 0x9: table = dp_imm; break; /* 100x */
    case 0xa:
    case 0xb: table = branch_sys; break; /* 101x */
    case 0x4:
    case 0x6:
    case 0xc:
    case 0xe: table = ldst; break; /* x1x0 */
    case 0x5:
    case 0xd: table = dp_reg; break; /* x101 */
    default: return NULL;            /* reserved, SME, SVE, SIMD&FP data processing */
    }
    for (const struct a64_pattern *p = table; p->bits; p++)
        if ((w & p->mask) == p->match)
            return p;
    return NULL;
}

void a64_decode(uint32_t word, struct a64_insn *d)
{
    const struct a64_pattern *p = find(word);
    const uint16_t off = d->off; /* the slot's place: kept, a64_specialise reads it */
    memset(d, 0, sizeof(*d));
    d->raw = word;
    d->off = off;
    if (p && extract(p->fmt, word, d)) {
        d->exec = p->exec;
        a64_specialise(d);
        return;
    }
    memset(d, 0, sizeof(*d));
    d->raw = word;
    d->off = off;
    d->exec = trans_UNDEFINED;
}

const char *a64_decode_pattern_name(size_t index)
{
    pthread_once(&compiled, compile_all);
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
        for (const struct a64_pattern *p = groups[g]; p->bits; p++)
            if (index-- == 0)
                return p->name;
    }
    return NULL;
}

const char *a64_decode_name(uint32_t word)
{
    const struct a64_pattern *p = find(word);
    struct a64_insn d;
    if (!p || !extract(p->fmt, word, &d))
        return "UNDEFINED";
    return p->name;
}
