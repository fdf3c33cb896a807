/*
 * exec.h - the vocabulary of the executors (exec_*.c), so that each
 * instruction reads like the manual's one-line description:
 *
 *     INSN(add) { WRITE_RD(RS1 + RS2); return NPC; }
 *
 * Executors read every operand before writing rd (rd may equal rs1), and
 * on an exception return straight away with no state changed.
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
#define WRITE_RD(v) (cpu->x[d->rd] = (uint64_t)(v)) /* x0 is cleared by the run loop */
#define ILLEGAL()   rv64_raise(cpu, CAUSE_ILLEGAL_INSN, d->bits)

/* Sign-extend a 32-bit result to 64 bits (the *W instructions). */
static inline uint64_t sext32(uint64_t v)
{
    return (uint64_t)(int64_t)(int32_t)(uint32_t)v;
}

/* Load size bytes at addr into v, or return from the executor on a fault. */
#define LOAD(addr, size, v)                                                                        \
    do {                                                                                           \
        if (!rv64_load(cpu, (addr), (size), &(v)))                                                 \
            return 0;                                                                              \
    } while (0)

#define STORE(addr, size, v)                                                                       \
    do {                                                                                           \
        if (!rv64_store(cpu, (addr), (size), (v)))                                                 \
            return 0;                                                                              \
    } while (0)

#endif
