/*
 * exec_a.c - A: load-reserved / store-conditional and the AMOs.
 *
 * The reservation covers exactly the bytes LR read, by physical address
 * (mem.c). A store by this hart to any of them (mem.h), any SC, or any
 * trap breaks it. SC succeeds (rd =
 * 0) only with an unbroken reservation holding all the bytes it writes;
 * otherwise it writes nothing and rd = 1. Misaligned LR, SC and AMOs always
 * trap, whatever rv64_set_misaligned_traps() says (no Zam).
 */
#include "isa/rv64/exec.h"

static uint64_t lr(EXEC_PARAMS, unsigned size)
{
    uint64_t addr = RS1, v;
    AT_PC();
    if (addr & (size - 1))
        return RAISE(CAUSE_MISALIGNED_LOAD, addr);
    if (!rv64_load_reserved(cpu, addr, size, &v))
        return TRAPPED;
    WRITE_RD(size == 4 ? sext32(v) : v);
    return CONTINUE;
}

static uint64_t sc(EXEC_PARAMS, unsigned size)
{
    uint64_t addr = RS1;
    bool done;
    AT_PC();
    if (addr & (size - 1))
        return RAISE(CAUSE_MISALIGNED_STORE, addr);
    if (!rv64_store_conditional(cpu, addr, size, RS2, &done))
        return TRAPPED;
    WRITE_RD(!done);
    return CONTINUE;
}

/* clang-format off */ /* one line per instruction, as a table */
INSN(lr_w) { return lr(EXEC_ARGS, 4); }
INSN(lr_d) { return lr(EXEC_ARGS, 8); }
INSN(sc_w) { return sc(EXEC_ARGS, 4); }
INSN(sc_d) { return sc(EXEC_ARGS, 8); }

/* clang-format on */
/* ---- AMOs: rd gets the old value (sign-extended for .w), memory gets
 * op(old, rs2). Signed comparisons are on the access width. ---- */

static int64_t as_signed(uint64_t v, unsigned size)
{
    return size == 4 ? (int64_t)(int32_t)(uint32_t)v : (int64_t)v;
}

static uint64_t as_unsigned(uint64_t v, unsigned size)
{
    return size == 4 ? (uint32_t)v : v;
}

/* clang-format off */ /* one line per instruction, as a table */
static uint64_t op_swap(uint64_t a, uint64_t b, unsigned s) { (void)a; (void)s; return b; }
static uint64_t op_add(uint64_t a, uint64_t b, unsigned s) { (void)s; return a + b; }
static uint64_t op_xor(uint64_t a, uint64_t b, unsigned s) { (void)s; return a ^ b; }
static uint64_t op_and(uint64_t a, uint64_t b, unsigned s) { (void)s; return a & b; }
static uint64_t op_or(uint64_t a, uint64_t b, unsigned s) { (void)s; return a | b; }
static uint64_t op_min(uint64_t a, uint64_t b, unsigned s) { return as_signed(a, s) < as_signed(b, s) ? a : b; }
static uint64_t op_max(uint64_t a, uint64_t b, unsigned s) { return as_signed(a, s) > as_signed(b, s) ? a : b; }
static uint64_t op_minu(uint64_t a, uint64_t b, unsigned s) { return as_unsigned(a, s) < as_unsigned(b, s) ? a : b; }
static uint64_t op_maxu(uint64_t a, uint64_t b, unsigned s) { return as_unsigned(a, s) > as_unsigned(b, s) ? a : b; }

/* clang-format on */
static uint64_t amo(EXEC_PARAMS, unsigned size, rv64_amo_fn *fn)
{
    uint64_t old;
    AT_PC();
    if (!rv64_amo(cpu, RS1, size, fn, RS2, &old))
        return TRAPPED;
    WRITE_RD(size == 4 ? sext32(old) : old);
    return CONTINUE;
}

/* clang-format off */ /* one line per instruction, as a table */
INSN(amoswap_w) { return amo(EXEC_ARGS, 4, op_swap); }
INSN(amoadd_w) { return amo(EXEC_ARGS, 4, op_add); }
INSN(amoxor_w) { return amo(EXEC_ARGS, 4, op_xor); }
INSN(amoand_w) { return amo(EXEC_ARGS, 4, op_and); }
INSN(amoor_w) { return amo(EXEC_ARGS, 4, op_or); }
INSN(amomin_w) { return amo(EXEC_ARGS, 4, op_min); }
INSN(amomax_w) { return amo(EXEC_ARGS, 4, op_max); }
INSN(amominu_w) { return amo(EXEC_ARGS, 4, op_minu); }
INSN(amomaxu_w) { return amo(EXEC_ARGS, 4, op_maxu); }
INSN(amoswap_d) { return amo(EXEC_ARGS, 8, op_swap); }
INSN(amoadd_d) { return amo(EXEC_ARGS, 8, op_add); }
INSN(amoxor_d) { return amo(EXEC_ARGS, 8, op_xor); }
INSN(amoand_d) { return amo(EXEC_ARGS, 8, op_and); }
INSN(amoor_d) { return amo(EXEC_ARGS, 8, op_or); }
INSN(amomin_d) { return amo(EXEC_ARGS, 8, op_min); }
INSN(amomax_d) { return amo(EXEC_ARGS, 8, op_max); }
INSN(amominu_d) { return amo(EXEC_ARGS, 8, op_minu); }
INSN(amomaxu_d) { return amo(EXEC_ARGS, 8, op_maxu); }
/* clang-format on */
