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
 *   LEAVE(npc)    retired, and back to the loop, which checks interrupts
 *                 and events before going on at npc: every instruction
 *                 that changes privilege, CSRs, translation or the decoded
 *                 instructions ends this way;
 *   TRAPPED       after rv64_raise(): nothing retired, the loop takes the
 *                 exception at this instruction.
 *
 * A chain stays in one page of plain memory (the loop starts it there),
 * so code is only reached through the fetch checks of the run loop. Its
 * length is bounded by cpu->chain, which the loop sets from the budget
 * (exact instruction counts) and caps, so the call depth stays small
 * even where the compiler does not turn the calls into jumps.
 */
#ifndef RASIM_RV64_EXEC_H
#define RASIM_RV64_EXEC_H

#include "isa/rv64/cpu.h"
#include "isa/rv64/mem.h"

#define INSN(name)                                                                                 \
    uint64_t exec_##name(struct rv64_cpu *cpu, const struct rv64_insn *d, uint64_t pc)

#define RS1         (cpu->x[d->rs1])
#define RS2         (cpu->x[d->rs2])
#define IMM         (d->imm)
#define SHAMT       ((unsigned)d->imm)
#define NPC         (pc + d->len)
#define WRITE_RD(v) (cpu->x[d->rd] = (uint64_t)(v)) /* rd = x0 writes x[RV64_X_SINK] */

/* The slot of the instruction delta bytes (even) after d's: slots are one
 * per 2 bytes, so that is delta half-slots away. */
static inline const struct rv64_insn *rv64_slot_after(const struct rv64_insn *d, int64_t delta)
{
    return (const struct rv64_insn *)((const char *)d + delta * (int64_t)(sizeof(*d) / 2));
}

static inline uint64_t rv64_next(struct rv64_cpu *cpu, const struct rv64_insn *d, uint64_t pc)
{
    if (unlikely(--cpu->chain == 0))
        return pc + d->len;
    const struct rv64_insn *next = rv64_slot_after(d, d->len);
    return next->exec(cpu, next, pc + d->len);
}

static inline uint64_t rv64_jump(struct rv64_cpu *cpu, const struct rv64_insn *d, uint64_t pc,
                                 uint64_t target)
{
    if (unlikely(--cpu->chain == 0) || ((target ^ pc) >> PHYS_PAGE_SHIFT) != 0 ||
        unlikely(target == cpu->sentinel))
        return target;
    /* Targets are even (branch offsets are, jalr clears bit 0). */
    const struct rv64_insn *next = rv64_slot_after(d, (int64_t)(target - pc));
    return next->exec(cpu, next, target);
}

static inline uint64_t rv64_leave(struct rv64_cpu *cpu, uint64_t npc)
{
    cpu->chain--;
    return npc;
}

static inline uint64_t rv64_trapped(struct rv64_cpu *cpu, const struct rv64_insn *d, uint64_t pc)
{
    cpu->trap_bits = d->bits;
    return pc;
}

#define NEXT         rv64_next(cpu, d, pc)
#define JUMP(target) rv64_jump(cpu, d, pc, (target))
#define LEAVE(npc)   rv64_leave(cpu, (npc))
#define TRAPPED      rv64_trapped(cpu, d, pc)
/* Raise an exception and end the executor: return RAISE(cause, tval). */
#define RAISE(cause, tval) (rv64_raise(cpu, (cause), (tval)), TRAPPED)
#define ILLEGAL()          RAISE(CAUSE_ILLEGAL_INSN, d->bits)

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
uint64_t rv64_exec_load_slow(struct rv64_cpu *cpu, const struct rv64_insn *d, uint64_t pc,
                             unsigned size, bool sign);
uint64_t rv64_exec_store_slow(struct rv64_cpu *cpu, const struct rv64_insn *d, uint64_t pc,
                              unsigned size);

/* The load's value in rd, for either path. */
static inline void rv64_load_rd(struct rv64_cpu *cpu, const struct rv64_insn *d, uint64_t v,
                                unsigned size, bool sign)
{
    WRITE_RD(sign && size < 8 ? (uint64_t)sext(v, 8 * size) : v);
}

static inline __attribute__((always_inline)) uint64_t rv64_exec_load(struct rv64_cpu *cpu,
                                                                     const struct rv64_insn *d,
                                                                     uint64_t pc, unsigned size,
                                                                     bool sign)
{
    uint64_t va = RS1 + IMM;
    const struct rv64_host_tlb *e = rv64_host_entry(cpu->rtlb, va);
    if (unlikely(!rv64_host_hit(e, va, size)))
        return rv64_exec_load_slow(cpu, d, pc, size, sign);
    rv64_load_rd(cpu, d, host_get(e->host + (va & PHYS_PAGE_MASK), size), size, sign);
    return NEXT;
}

static inline __attribute__((always_inline)) uint64_t
rv64_exec_store(struct rv64_cpu *cpu, const struct rv64_insn *d, uint64_t pc, unsigned size)
{
    uint64_t va = RS1 + IMM;
    const struct rv64_host_tlb *e = rv64_host_entry(cpu->wtlb, va);
    if (unlikely(!rv64_host_hit(e, va, size)))
        return rv64_exec_store_slow(cpu, d, pc, size);
    host_put(e->host + (va & PHYS_PAGE_MASK), size, RS2);
    return NEXT;
}

#define SIGNED        true
#define UNSIGNED      false
#define LOAD(size, s) rv64_exec_load(cpu, d, pc, (size), (s))
#define STORE(size)   rv64_exec_store(cpu, d, pc, (size))

#endif
