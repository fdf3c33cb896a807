/*
 * exec_m.c - M: multiply and divide. Division never traps: by zero the
 * quotient is all ones and the remainder the dividend; the signed overflow
 * (most negative / -1) gives the dividend and remainder 0 (the manual's
 * "Division by zero and division overflow" table).
 */
#include "isa/rv64/exec.h"

typedef __int128 s128;
typedef unsigned __int128 u128;

static uint64_t div64(int64_t a, int64_t b)
{
    if (b == 0)
        return UINT64_MAX;
    if (a == INT64_MIN && b == -1)
        return (uint64_t)a;
    return (uint64_t)(a / b);
}

static uint64_t rem64(int64_t a, int64_t b)
{
    if (b == 0)
        return (uint64_t)a;
    if (a == INT64_MIN && b == -1)
        return 0;
    return (uint64_t)(a % b);
}

static uint64_t div32(int32_t a, int32_t b)
{
    if (b == 0)
        return UINT64_MAX;
    if (a == INT32_MIN && b == -1)
        return sext32((uint32_t)a);
    return sext32((uint32_t)(a / b));
}

static uint64_t rem32(int32_t a, int32_t b)
{
    if (b == 0)
        return sext32((uint32_t)a);
    if (a == INT32_MIN && b == -1)
        return 0;
    return sext32((uint32_t)(a % b));
}

/* clang-format off */ /* one line per instruction, as a table */
INSN(mul) { WRITE_RD(RS1 * RS2); return NEXT; }
INSN(mulh) { WRITE_RD((uint64_t)(((s128)(int64_t)RS1 * (s128)(int64_t)RS2) >> 64)); return NEXT; }
INSN(mulhsu) { WRITE_RD((uint64_t)(((s128)(int64_t)RS1 * (s128)(u128)RS2) >> 64)); return NEXT; }
INSN(mulhu) { WRITE_RD((uint64_t)(((u128)RS1 * (u128)RS2) >> 64)); return NEXT; }
INSN(div) { WRITE_RD(div64((int64_t)RS1, (int64_t)RS2)); return NEXT; }
INSN(divu) { WRITE_RD(RS2 ? RS1 / RS2 : UINT64_MAX); return NEXT; }
INSN(rem) { WRITE_RD(rem64((int64_t)RS1, (int64_t)RS2)); return NEXT; }
INSN(remu) { WRITE_RD(RS2 ? RS1 % RS2 : RS1); return NEXT; }

INSN(mulw) { WRITE_RD(sext32(RS1 * RS2)); return NEXT; }
INSN(divw) { WRITE_RD(div32((int32_t)RS1, (int32_t)RS2)); return NEXT; }
INSN(divuw) { WRITE_RD((uint32_t)RS2 ? sext32((uint32_t)RS1 / (uint32_t)RS2) : UINT64_MAX); return NEXT; }
INSN(remw) { WRITE_RD(rem32((int32_t)RS1, (int32_t)RS2)); return NEXT; }
INSN(remuw) { WRITE_RD(sext32((uint32_t)RS2 ? (uint32_t)RS1 % (uint32_t)RS2 : (uint32_t)RS1)); return NEXT; }
/* clang-format on */
