/*
 * insn.h - a decoded A64 instruction and the executors that act on it.
 *
 * decode.c turns a 32-bit word into a struct a64_insn once per code
 * location (codecache.c keeps them per physical page); the run loop then
 * calls insn->exec. Fields carry the Arm ARM's names. Immediates are stored
 * fully decoded (sign-extended, scaled, or expanded to a bit mask), so an
 * executor never looks at the raw word.
 */
#ifndef RASIM_A64_INSN_H
#define RASIM_A64_INSN_H

#include "isa/aarch64/cpu.h"

#include <stddef.h>

/* What an executor tells the run loop. */
enum a64_flow {
    A64_NEXT,      /* retired; PC moves to the next instruction */
    A64_BRANCH,    /* retired; the executor set PC */
    A64_TAKEN,     /* retired; a direct branch taken: PC += d->imm (PC is left alone) */
    A64_EXCEPTION, /* not retired (or, for SVC, retired): cpu->exc holds it */
    A64_UNDECODED, /* not retired: the slot is empty (trans_UNDECODED); fetch decodes it */
};

struct a64_insn;
typedef enum a64_flow (*a64_exec_fn)(struct a64_cpu *cpu, const struct a64_insn *d);

/* Addressing forms of loads and stores with an immediate offset. */
enum a64_index { IDX_OFFSET, IDX_PRE, IDX_POST };

struct a64_insn {
    a64_exec_fn exec; /* trans_UNDECODED: slot not decoded yet */
    uint32_t raw;     /* the word this slot was decoded from */
    uint16_t off;     /* the slot's byte offset in its page (codecache.c; kept by decode) */
    union {
        uint8_t rd;
        uint8_t rt;
    };
    uint8_t rn;
    union {
        uint8_t rm;
        uint8_t rs;
    };
    union {
        uint8_t ra;
        uint8_t rt2;
    };
    uint8_t sf;   /* 1: 64-bit operation; signed loads: extend to 64 bits */
    uint8_t size; /* loads and stores: log2 of the access size in bytes */
    /* One small field, named as the encoding names it. */
    union {
        uint8_t shift;
        uint8_t option;
        uint8_t cond;
        uint8_t hw;
    };
    /* A second small field. */
    union {
        uint8_t amount;
        uint8_t nzcv;
        uint8_t bit;
        uint8_t index;
        uint8_t crm;
    };
    /* Third: acquire/release or signed-load flags, immr for bitfields. */
    union {
        uint8_t ordered;
        uint8_t immr;
        uint8_t op;
    };
    uint64_t imm;  /* decoded immediate (or wmask for bitfields) */
    uint64_t imm2; /* second immediate (tmask for bitfields, sysreg key) */
    /* A slot is 64 bytes, one cache line, so the run loop turns a PC offset
     * into a slot address with a shift (codecache.c allocates them aligned). */
    uint8_t pad_to_64[24];
};
_Static_assert(sizeof(struct a64_insn) == 64, "a decoded slot is one 64-byte line");

/* Decode one word into d (exec, fields, raw), keeping d->off, the slot's
 * place in its page (the shape of a direct branch depends on whether its
 * target is in the page). Never fails: encodings outside the subset
 * decode to trans_UNDEFINED. */
void a64_decode(uint32_t word, struct a64_insn *d);
/* Give a decoded slot the executor of its shape, where specialise.c has
 * one (64-bit, no SP, a fixed addressing form, ...): same behaviour, fewer
 * decisions per run. a64_decode does this; tests may call it directly. */
void a64_specialise(struct a64_insn *d);
/* The name of the encoding pattern a word matches ("ADD (immediate)"), or
 * "UNDEFINED"; for traces and tests. */
const char *a64_decode_name(uint32_t word);
/* The name of pattern number index, in table order; NULL past the end. */
const char *a64_decode_pattern_name(size_t index);

/* ---- executors, by encoding group (Arm ARM C4.1) ------------------------ */

#define A64_EXEC(name) enum a64_flow trans_##name(struct a64_cpu *cpu, const struct a64_insn *d)

A64_EXEC(UNDEFINED);
/* The executor of an empty slot of the decoded-code cache: it runs nothing
 * and returns A64_UNDECODED, so the run loop needs no test for "empty". */
A64_EXEC(UNDECODED);

/* Data processing -- immediate (exec_dp_imm.c) */
A64_EXEC(ADR);
A64_EXEC(ADRP);
A64_EXEC(ADD_imm);
A64_EXEC(ADDS_imm);
A64_EXEC(SUB_imm);
A64_EXEC(SUBS_imm);
A64_EXEC(AND_imm);
A64_EXEC(ORR_imm);
A64_EXEC(EOR_imm);
A64_EXEC(ANDS_imm);
A64_EXEC(MOVN);
A64_EXEC(MOVZ);
A64_EXEC(MOVK);
A64_EXEC(SBFM);
A64_EXEC(BFM);
A64_EXEC(UBFM);
A64_EXEC(EXTR);

/* Data processing -- register (exec_dp_reg.c) */
A64_EXEC(AND_reg);
A64_EXEC(BIC_reg);
A64_EXEC(ORR_reg);
A64_EXEC(ORN_reg);
A64_EXEC(EOR_reg);
A64_EXEC(EON_reg);
A64_EXEC(ANDS_reg);
A64_EXEC(BICS_reg);
A64_EXEC(ADD_shift);
A64_EXEC(ADDS_shift);
A64_EXEC(SUB_shift);
A64_EXEC(SUBS_shift);
A64_EXEC(ADD_ext);
A64_EXEC(ADDS_ext);
A64_EXEC(SUB_ext);
A64_EXEC(SUBS_ext);
A64_EXEC(ADC);
A64_EXEC(ADCS);
A64_EXEC(SBC);
A64_EXEC(SBCS);
A64_EXEC(CCMN_reg);
A64_EXEC(CCMP_reg);
A64_EXEC(CCMN_imm);
A64_EXEC(CCMP_imm);
A64_EXEC(CSEL);
A64_EXEC(CSINC);
A64_EXEC(CSINV);
A64_EXEC(CSNEG);
A64_EXEC(MADD);
A64_EXEC(MSUB);
A64_EXEC(SMADDL);
A64_EXEC(SMSUBL);
A64_EXEC(UMADDL);
A64_EXEC(UMSUBL);
A64_EXEC(SMULH);
A64_EXEC(UMULH);
A64_EXEC(UDIV);
A64_EXEC(SDIV);
A64_EXEC(LSLV);
A64_EXEC(LSRV);
A64_EXEC(ASRV);
A64_EXEC(RORV);
A64_EXEC(RBIT);
A64_EXEC(REV16);
A64_EXEC(REV32);
A64_EXEC(REV);
A64_EXEC(CLZ);
A64_EXEC(CLS);

/* Branches, exception generating and system instructions (exec_branch.c,
 * exec_system.c; ERET in exception.c, MRS and MSR (register) in sysreg.c) */
A64_EXEC(B);
A64_EXEC(BL);
A64_EXEC(B_cond);
A64_EXEC(CBZ);
A64_EXEC(CBNZ);
A64_EXEC(TBZ);
A64_EXEC(TBNZ);
A64_EXEC(BR);
A64_EXEC(BLR);
A64_EXEC(RET);
A64_EXEC(ERET);
A64_EXEC(SVC);
A64_EXEC(BRK);
A64_EXEC(HINT);
A64_EXEC(CLREX);
A64_EXEC(BARRIER);
A64_EXEC(MSR_imm);
A64_EXEC(SYS);
A64_EXEC(MSR_reg);
A64_EXEC(MRS);

/* Loads and stores (exec_ldst.c, exec_ldst_pair.c) */
A64_EXEC(LDR_lit);
A64_EXEC(LDRSW_lit);
A64_EXEC(LDR_lit_simd);
A64_EXEC(PRFM);
A64_EXEC(LDR_imm);
A64_EXEC(LDRS_imm);
A64_EXEC(STR_imm);
A64_EXEC(LDR_imm_simd);
A64_EXEC(STR_imm_simd);
A64_EXEC(LDR_reg);
A64_EXEC(LDRS_reg);
A64_EXEC(STR_reg);
A64_EXEC(LDR_reg_simd);
A64_EXEC(STR_reg_simd);
A64_EXEC(LDTR);
A64_EXEC(LDTRS);
A64_EXEC(STTR);
A64_EXEC(LDP);
A64_EXEC(LDPSW);
A64_EXEC(STP);
A64_EXEC(LDP_simd);
A64_EXEC(STP_simd);

/* Exclusives, acquire/release and LSE atomics (exec_atomic.c) */
A64_EXEC(LDXR);
A64_EXEC(STXR);
A64_EXEC(LDXP);
A64_EXEC(STXP);
A64_EXEC(LDAR);
A64_EXEC(STLR);
A64_EXEC(CAS);
A64_EXEC(CASP);
A64_EXEC(SWP);
A64_EXEC(LDADD);
A64_EXEC(LDCLR);
A64_EXEC(LDEOR);
A64_EXEC(LDSET);
A64_EXEC(LDSMAX);
A64_EXEC(LDSMIN);
A64_EXEC(LDUMAX);
A64_EXEC(LDUMIN);

/* Memory tagging (exec_mte.c) */
A64_EXEC(ADDG);
A64_EXEC(SUBG);
A64_EXEC(IRG);
A64_EXEC(GMI);
A64_EXEC(SUBP);
A64_EXEC(SUBPS);
A64_EXEC(STG);
A64_EXEC(STZG);
A64_EXEC(ST2G);
A64_EXEC(STZ2G);
A64_EXEC(LDG);
A64_EXEC(STGM);
A64_EXEC(STZGM);
A64_EXEC(LDGM);
A64_EXEC(STGP);

#endif
