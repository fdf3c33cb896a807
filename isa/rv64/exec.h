/*
 * exec.h - the vocabulary of the executors (exec_*.c), so that each
 * instruction reads like the manual's one-line description:
 *
 *     INSN(add) { WRITE_RD(RS1 + RS2); return NEXT; }
 *
 * Executors read every operand before writing rd (rd may equal rs1), and
 * on an exception return straight away with no state changed.
 *
 * How an executor ends says what the run loop (run.c) must do next:
 *
 *   NEXT          the instruction retired; the next one in the page runs
 *                 at once (its executor is called from here: a chain of
 *                 instructions runs without the loop's per-instruction
 *                 checks), unless the chain has run its count;
 *   JUMP(target)  the same for a control transfer: the chain goes on at
 *                 target when it lies in the same page and is not the
 *                 return sentinel (that is where the sentinel is checked);
 *                 JUMP_BY(delta) to pc + delta, BRANCH(cond) for a
 *                 conditional branch;
 *   CONTINUE      NEXT, or LEAVE when a slow path raised an event (HTIF
 *                 exit, memory changed under the caches): after calls
 *                 into mem.c;
 *   LEAVE(npc)    retired, and back to the loop, which checks interrupts
 *                 and events before going on at npc: every instruction
 *                 that changes privilege, CSRs, translation or the decoded
 *                 instructions ends this way;
 *   TRAPPED       after rv64_raise(): nothing retired, the loop takes the
 *                 exception at this instruction.
 *
 * A chain stays in one page of plain memory (the loop starts it there),
 * so code is only reached through the fetch checks of the run loop. n, an
 * executor's fourth argument, is how many instructions the chain may still
 * retire, this one included: the loop sets it from the budget (so counts
 * are exact) and caps it, so the call depth stays small even where the
 * compiler does not turn the calls into jumps. It lives in a register; a
 * chain leaves what is left of it in cpu->chain when it returns, and an
 * executor that needs the exact count of retired instructions (the
 * counter CSRs: rv64_retired()) stores it there first.
 */
#ifndef RASIM_RV64_EXEC_H
#define RASIM_RV64_EXEC_H

#include "isa/rv64/cpu.h"
#include "isa/rv64/mem.h"

/* What every executor body and helper has: the CPU, the instruction, its
 * pc, the chain count, and len, the length of its encoding. */
#define EXEC_PARAMS                                                                                \
    struct rv64_cpu *cpu, const struct rv64_insn *d, uint64_t pc, uint64_t n, const unsigned len
#define EXEC_ARGS cpu, d, pc, n, len

/* INSN(name) { body } defines exec_<name> and exec_c_<name>: the body with
 * len a constant, 4 or 2 (so NPC and NEXT cost no load). */
#define INSN(name)                                                                                 \
    static inline __attribute__((always_inline)) uint64_t insn_##name(EXEC_PARAMS);                \
    uint64_t exec_##name(struct rv64_cpu *cpu, const struct rv64_insn *d, uint64_t pc, uint64_t n) \
    {                                                                                              \
        return insn_##name(cpu, d, pc, n, 4);                                                      \
    }                                                                                              \
    uint64_t exec_c_##name(struct rv64_cpu *cpu, const struct rv64_insn *d, uint64_t pc,           \
                           uint64_t n)                                                             \
    {                                                                                              \
        return insn_##name(cpu, d, pc, n, 2);                                                      \
    }                                                                                              \
    static inline __attribute__((always_inline)) uint64_t insn_##name(EXEC_PARAMS)

#define RS1         (cpu->x[d->rs1])
#define RS2         (cpu->x[d->rs2])
#define IMM         (d->imm)
#define SHAMT       ((unsigned)d->imm)
#define NPC         (pc + len)
#define WRITE_RD(v) (cpu->x[d->rd] = (uint64_t)(v)) /* rd = x0 writes x[RV64_X_SINK] */

/* The slot of the instruction delta bytes (even) after d's: slots are one
 * per 2 bytes, so that is delta half-slots away. */
static inline const struct rv64_insn *rv64_slot_after(const struct rv64_insn *d, int64_t delta)
{
    return (const struct rv64_insn *)((const char *)d + delta * (int64_t)(sizeof(*d) / 2));
}

/* Back to the run loop at pc, with n instructions of the chain left. */
static inline uint64_t rv64_chain_ends(struct rv64_cpu *cpu, uint64_t pc, uint64_t n)
{
    cpu->chain = n;
    return pc;
}

static inline uint64_t rv64_next(struct rv64_cpu *cpu, const struct rv64_insn *d, uint64_t pc,
                                 uint64_t n, unsigned len)
{
    if (unlikely(--n == 0))
        return rv64_chain_ends(cpu, pc + len, 0);
    const struct rv64_insn *next = rv64_slot_after(d, len);
    return next->exec(cpu, next, pc + len, n);
}

static inline uint64_t rv64_jump(struct rv64_cpu *cpu, const struct rv64_insn *d, uint64_t pc,
                                 uint64_t n, uint64_t target)
{
    if (unlikely(--n == 0) || ((target ^ pc) >> PHYS_PAGE_SHIFT) != 0 ||
        unlikely(target == cpu->sentinel))
        return rv64_chain_ends(cpu, target, n);
    /* Targets are even (branch offsets are, jalr clears bit 0). */
    const struct rv64_insn *next = rv64_slot_after(d, (int64_t)(target - pc));
    return next->exec(cpu, next, target, n);
}

/* The same for a pc-relative one: delta (even) from pc, known to the
 * executor without computing it from the target. */
static inline uint64_t rv64_jump_by(struct rv64_cpu *cpu, const struct rv64_insn *d, uint64_t pc,
                                    uint64_t n, int64_t delta)
{
    uint64_t target = pc + (uint64_t)delta;
    if (unlikely(--n == 0) || ((target ^ pc) >> PHYS_PAGE_SHIFT) != 0 ||
        unlikely(target == cpu->sentinel))
        return rv64_chain_ends(cpu, target, n);
    const struct rv64_insn *next = rv64_slot_after(d, delta);
    return next->exec(cpu, next, target, n);
}

static inline uint64_t rv64_trapped(struct rv64_cpu *cpu, const struct rv64_insn *d, uint64_t pc,
                                    uint64_t n)
{
    cpu->trap_bits = d->bits;
    return rv64_chain_ends(cpu, pc, n);
}

/* Chains leave cpu->pc at the chain's start. A slow path that may report
 * the instruction's PC - to the MMU checker, the event stream, the error
 * log - sets it first. */
#define AT_PC() (cpu->pc = pc)

#define NEXT           rv64_next(cpu, d, pc, n, len)
#define JUMP(target)   rv64_jump(cpu, d, pc, n, (target))
#define JUMP_BY(delta) rv64_jump_by(cpu, d, pc, n, (delta))
/* A conditional branch: to pc + imm if cond, else on as NEXT (falling
 * through is not a control transfer). */
#define BRANCH(cond) ((cond) ? JUMP_BY(IMM) : NEXT)
#define LEAVE(npc)   rv64_chain_ends(cpu, (npc), n - 1)
#define CONTINUE     (unlikely(cpu->events) ? LEAVE(NPC) : NEXT)
#define TRAPPED      rv64_trapped(cpu, d, pc, n)
/* Raise an exception and end the executor: return RAISE(cause, tval). */
#define RAISE(cause, tval) (rv64_raise(cpu, (cause), (tval)), TRAPPED)
#define ILLEGAL()          RAISE(CAUSE_ILLEGAL_INSN, d->bits)
/* Make rv64_retired() exact for what this executor calls. */
#define COUNT_RETIRED() ((void)(cpu->chain = n))

/* Sign-extend a 32-bit result to 64 bits (the *W instructions). */
static inline uint64_t sext32(uint64_t v)
{
    return (uint64_t)(int64_t)(int32_t)(uint32_t)v;
}

/*
 * Loads and stores: LOAD(size, sign) and STORE(size) do a whole load or
 * store instruction (rd = the size bytes at rs1 + imm, sign- or
 * zero-extended; the low size bytes of rs2 to rs1 + imm). The host-pointer
 * hit is done here; everything else (a miss, misalignment, translation,
 * devices, poison, faults) by the slow executors in exec_i.c, which finish
 * the instruction, so the fast path makes no call and needs no stack frame.
 */
struct rv64_load_kind {
    uint8_t size; /* bytes */
    bool sign;    /* sign-extended (else zero-extended) */
};
/* (The kind is one argument, so that all fit in registers and the fast
 * path can jump to these.) */
uint64_t rv64_exec_load_slow(EXEC_PARAMS, struct rv64_load_kind k);
uint64_t rv64_exec_store_slow(EXEC_PARAMS, unsigned size);

/* The load's value in rd, for either path. */
static inline void rv64_load_rd(struct rv64_cpu *cpu, const struct rv64_insn *d, uint64_t v,
                                struct rv64_load_kind k)
{
    WRITE_RD(k.sign && k.size < 8 ? (uint64_t)sext(v, 8u * k.size) : v);
}

static inline __attribute__((always_inline)) uint64_t rv64_exec_load(EXEC_PARAMS, unsigned size,
                                                                     bool sign)
{
    uint64_t va = RS1 + IMM;
    const struct rv64_host_tlb *e = rv64_host_entry(cpu->rtlb, va);
    const struct rv64_load_kind k = {(uint8_t)size, sign};
    if (unlikely(!rv64_host_hit(e, va, size)))
        return rv64_exec_load_slow(EXEC_ARGS, k);
    rv64_load_rd(cpu, d, host_get(rv64_host_at(e, va), size), k);
    return NEXT;
}

static inline __attribute__((always_inline)) uint64_t rv64_exec_store(EXEC_PARAMS, unsigned size)
{
    uint64_t va = RS1 + IMM;
    const struct rv64_host_tlb *e = rv64_host_entry(cpu->wtlb, va);
    if (unlikely(!rv64_host_hit(e, va, size)))
        return rv64_exec_store_slow(EXEC_ARGS, size);
    host_put(rv64_host_at(e, va), size, RS2);
    return NEXT;
}

#define SIGNED        true
#define UNSIGNED      false
#define LOAD(size, s) rv64_exec_load(EXEC_ARGS, (size), (s))
#define STORE(size)   rv64_exec_store(EXEC_ARGS, (size))

#endif
