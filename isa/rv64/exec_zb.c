/*
 * exec_zb.c - bit manipulation: Zba (address generation), Zbb (basic) and
 * Zbs (single bit). Shift and bit indices use the low 6 bits (5 for *W).
 */
#include "isa/rv64/exec.h"

/* clang-format off */ /* one line per instruction, as a table */
static inline uint64_t rol64(uint64_t v, unsigned s) { s &= 63; return s ? v << s | v >> (64 - s) : v; }
static inline uint64_t ror64(uint64_t v, unsigned s) { s &= 63; return s ? v >> s | v << (64 - s) : v; }
static inline uint32_t rol32(uint32_t v, unsigned s) { s &= 31; return s ? v << s | v >> (32 - s) : v; }
static inline uint32_t ror32(uint32_t v, unsigned s) { s &= 31; return s ? v >> s | v << (32 - s) : v; }
static inline uint64_t zext32(uint64_t v) { return (uint32_t)v; }
static inline uint64_t bit(uint64_t index) { return 1ull << (index & 63); }

/* clang-format on */
static uint64_t orc_b(uint64_t v)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < 64; i += 8)
        if ((v >> i) & 0xff)
            r |= 0xffull << i;
    return r;
}

/* clang-format off */ /* one line per instruction, as a table */
/* ---- Zba ---- */
INSN(sh1add) { WRITE_RD((RS1 << 1) + RS2); return NEXT; }
INSN(sh2add) { WRITE_RD((RS1 << 2) + RS2); return NEXT; }
INSN(sh3add) { WRITE_RD((RS1 << 3) + RS2); return NEXT; }
INSN(add_uw) { WRITE_RD(zext32(RS1) + RS2); return NEXT; }
INSN(sh1add_uw) { WRITE_RD((zext32(RS1) << 1) + RS2); return NEXT; }
INSN(sh2add_uw) { WRITE_RD((zext32(RS1) << 2) + RS2); return NEXT; }
INSN(sh3add_uw) { WRITE_RD((zext32(RS1) << 3) + RS2); return NEXT; }
INSN(slli_uw) { WRITE_RD(zext32(RS1) << SHAMT); return NEXT; }

/* ---- Zbb: logic with negate ---- */
INSN(andn) { WRITE_RD(RS1 & ~RS2); return NEXT; }
INSN(orn) { WRITE_RD(RS1 | ~RS2); return NEXT; }
INSN(xnor) { WRITE_RD(~(RS1 ^ RS2)); return NEXT; }

/* ---- Zbb: counting (of zero input: the width) ---- */
INSN(clz) { WRITE_RD(RS1 ? __builtin_clzll(RS1) : 64); return NEXT; }
INSN(ctz) { WRITE_RD(RS1 ? __builtin_ctzll(RS1) : 64); return NEXT; }
INSN(cpop) { WRITE_RD(__builtin_popcountll(RS1)); return NEXT; }
INSN(clzw) { uint32_t v = (uint32_t)RS1; WRITE_RD(v ? __builtin_clz(v) : 32); return NEXT; }
INSN(ctzw) { uint32_t v = (uint32_t)RS1; WRITE_RD(v ? __builtin_ctz(v) : 32); return NEXT; }
INSN(cpopw) { WRITE_RD(__builtin_popcount((uint32_t)RS1)); return NEXT; }

/* ---- Zbb: min/max, extension ---- */
INSN(max) { WRITE_RD((int64_t)RS1 > (int64_t)RS2 ? RS1 : RS2); return NEXT; }
INSN(maxu) { WRITE_RD(RS1 > RS2 ? RS1 : RS2); return NEXT; }
INSN(min) { WRITE_RD((int64_t)RS1 < (int64_t)RS2 ? RS1 : RS2); return NEXT; }
INSN(minu) { WRITE_RD(RS1 < RS2 ? RS1 : RS2); return NEXT; }
INSN(sext_b) { WRITE_RD((int8_t)RS1); return NEXT; }
INSN(sext_h) { WRITE_RD((int16_t)RS1); return NEXT; }
INSN(zext_h) { WRITE_RD((uint16_t)RS1); return NEXT; }

/* ---- Zbb: rotations, byte operations ---- */
INSN(rol) { WRITE_RD(rol64(RS1, (unsigned)RS2)); return NEXT; }
INSN(ror) { WRITE_RD(ror64(RS1, (unsigned)RS2)); return NEXT; }
INSN(rori) { WRITE_RD(ror64(RS1, SHAMT)); return NEXT; }
INSN(rolw) { WRITE_RD(sext32(rol32((uint32_t)RS1, (unsigned)RS2))); return NEXT; }
INSN(rorw) { WRITE_RD(sext32(ror32((uint32_t)RS1, (unsigned)RS2))); return NEXT; }
INSN(roriw) { WRITE_RD(sext32(ror32((uint32_t)RS1, SHAMT))); return NEXT; }
INSN(orc_b) { WRITE_RD(orc_b(RS1)); return NEXT; }
INSN(rev8) { WRITE_RD(__builtin_bswap64(RS1)); return NEXT; }

/* ---- Zbs ---- */
INSN(bclr) { WRITE_RD(RS1 & ~bit(RS2)); return NEXT; }
INSN(bclri) { WRITE_RD(RS1 & ~bit(SHAMT)); return NEXT; }
INSN(bext) { WRITE_RD((RS1 >> (RS2 & 63)) & 1); return NEXT; }
INSN(bexti) { WRITE_RD((RS1 >> SHAMT) & 1); return NEXT; }
INSN(binv) { WRITE_RD(RS1 ^ bit(RS2)); return NEXT; }
INSN(binvi) { WRITE_RD(RS1 ^ bit(SHAMT)); return NEXT; }
INSN(bset) { WRITE_RD(RS1 | bit(RS2)); return NEXT; }
INSN(bseti) { WRITE_RD(RS1 | bit(SHAMT)); return NEXT; }
/* clang-format on */
