/*
 * exec_atomic.c - exclusives with the local monitor, load-acquire and
 * store-release, and the FEAT_LSE atomics (CAS, CASP, SWP, LD<op>, and the
 * ST<op> aliases, which are LD<op> with Rt = XZR).
 *
 * One PE: acquire/release order nothing extra, and an atomic is a read then
 * a write with no one in between. What remains architectural is alignment:
 * without FEAT_LSE2 every one of these faults (DFSC 0x21) unless naturally
 * aligned, pairs to their total size.
 *
 * The local monitor: LDXR/LDXP open it for the physical range they read;
 * STXR/STXP succeed (status 0) only if it is still open for exactly that
 * range, and always close it. CLREX, ERET and exception entry close it.
 * Whether an ordinary store to the range closes it is IMPLEMENTATION
 * DEFINED; here it does not.
 */
#include "isa/aarch64/alu.h"
#include "isa/aarch64/mem.h"

/* Address of an exclusive or atomic: Xn|SP, translated for the monitor. */
static bool excl_address(struct a64_cpu *cpu, const struct a64_insn *d, unsigned size, unsigned acc,
                         uint64_t *va, uint64_t *pa)
{
    if (!a64_base(cpu, d->rn, va))
        return false;
    if (*va & (size - 1))
        return a64_alignment_fault(cpu, *va, acc);
    return a64_translate(cpu, *va, acc, pa);
}

static uint64_t width(unsigned size, uint64_t v)
{
    return size == 3 ? v : v & ((1ull << (8u << size)) - 1);
}

/* ---- exclusives ------------------------------------------------------------ */

A64_EXEC(LDXR)
{
    unsigned size = 1u << d->size;
    uint64_t va, pa, v;
    if (!excl_address(cpu, d, size, 0, &va, &pa) || !a64_load(cpu, va, size, &v, A64_ACC_ALIGN))
        return A64_EXCEPTION;
    cpu->excl_open = true;
    cpu->excl_pa = pa;
    cpu->excl_size = size;
    a64_set_x(cpu, d->rt, v);
    return A64_NEXT;
}

static bool monitor_passes(struct a64_cpu *cpu, uint64_t pa, unsigned size)
{
    bool pass = cpu->excl_open && cpu->excl_pa == pa && cpu->excl_size == size;
    cpu->excl_open = false;
    return pass;
}

A64_EXEC(STXR)
{
    unsigned size = 1u << d->size;
    uint64_t va, pa;
    if (!excl_address(cpu, d, size, A64_ACC_WRITE, &va, &pa))
        return A64_EXCEPTION;
    uint64_t v = a64_x(cpu, d->rt);
    if (!monitor_passes(cpu, pa, size)) {
        a64_set_x(cpu, d->rs, 1);
        return A64_NEXT;
    }
    if (!a64_store(cpu, va, size, v, A64_ACC_ALIGN))
        return A64_EXCEPTION;
    a64_set_x(cpu, d->rs, 0);
    return A64_NEXT;
}

/* LDXP/STXP: sz (d->sf) 0 for two W registers, 1 for two X registers. */
A64_EXEC(LDXP)
{
    unsigned elem = d->sf ? 8 : 4;
    uint64_t va, pa;
    uint8_t buf[16];
    if (!excl_address(cpu, d, 2 * elem, 0, &va, &pa) ||
        !a64_read(cpu, va, buf, 2 * elem, A64_ACC_ALIGN))
        return A64_EXCEPTION;
    cpu->excl_open = true;
    cpu->excl_pa = pa;
    cpu->excl_size = 2 * elem;
    a64_set_x(cpu, d->rt, a64_le(buf, elem));
    a64_set_x(cpu, d->rt2, a64_le(buf + elem, elem));
    return A64_NEXT;
}

A64_EXEC(STXP)
{
    unsigned elem = d->sf ? 8 : 4;
    uint64_t va, pa;
    uint64_t v[2] = {a64_x(cpu, d->rt), a64_x(cpu, d->rt2)};
    uint8_t buf[16];
    if (!excl_address(cpu, d, 2 * elem, A64_ACC_WRITE, &va, &pa))
        return A64_EXCEPTION;
    if (!monitor_passes(cpu, pa, 2 * elem)) {
        a64_set_x(cpu, d->rs, 1);
        return A64_NEXT;
    }
    memcpy(buf, &v[0], elem);
    memcpy(buf + elem, &v[1], elem);
    if (!a64_write(cpu, va, buf, 2 * elem, A64_ACC_ALIGN))
        return A64_EXCEPTION;
    a64_set_x(cpu, d->rs, 0);
    return A64_NEXT;
}

/* ---- load-acquire / store-release (and LDAPR, STLLR, LDLAR) -------------- */

A64_EXEC(LDAR)
{
    uint64_t va, v;
    if (!a64_base(cpu, d->rn, &va) || !a64_load(cpu, va, 1u << d->size, &v, A64_ACC_ALIGN))
        return A64_EXCEPTION;
    a64_set_x(cpu, d->rt, v);
    return A64_NEXT;
}

A64_EXEC(STLR)
{
    uint64_t va;
    if (!a64_base(cpu, d->rn, &va) ||
        !a64_store(cpu, va, 1u << d->size, a64_x(cpu, d->rt), A64_ACC_ALIGN))
        return A64_EXCEPTION;
    return A64_NEXT;
}

/* ---- compare and swap ----------------------------------------------------
 * CAS and CASP translate as writes even when the comparison fails and
 * nothing is stored (the ArmARM's pseudocode translates an atomic
 * compare-and-swap with a write access descriptor; QEMU does the same), so
 * a failed compare on a page without write permission still faults, with
 * WnR = 1: a read would not have faulted (see the WnR rule in mem.c). */

static bool cas_write_check(struct a64_cpu *cpu, uint64_t va, unsigned size)
{
    uint64_t pa;
    return a64_tlb_lookup(cpu, va, size, true, A64_ACC_ALIGN) ||
           a64_translate(cpu, va, A64_ACC_WRITE | A64_ACC_ALIGN, &pa);
}

/* CAS Rs, Rt, [Xn]: if [Xn] == Rs then [Xn] = Rt; Rs = old value. */
A64_EXEC(CAS)
{
    unsigned size = 1u << d->size;
    uint64_t va, old;
    if (!a64_base(cpu, d->rn, &va) || !a64_load(cpu, va, size, &old, A64_ACC_ALIGN))
        return A64_EXCEPTION;
    if (old == width(d->size, a64_x(cpu, d->rs))) {
        if (!a64_store(cpu, va, size, a64_x(cpu, d->rt), A64_ACC_ALIGN))
            return A64_EXCEPTION;
    } else if (!cas_write_check(cpu, va, size)) {
        return A64_EXCEPTION;
    }
    a64_set_x(cpu, d->rs, old);
    return A64_NEXT;
}

/* CASP Rs, Rs+1, Rt, Rt+1, [Xn]: the pairs must start at even registers. */
A64_EXEC(CASP)
{
    if ((d->rs & 1) || (d->rt & 1))
        return a64_undefined(cpu);
    unsigned elem = d->sf ? 8 : 4;
    uint64_t va;
    uint8_t buf[16];
    if (!a64_base(cpu, d->rn, &va) || !a64_read(cpu, va, buf, 2 * elem, A64_ACC_ALIGN))
        return A64_EXCEPTION;
    uint64_t old1 = a64_le(buf, elem), old2 = a64_le(buf + elem, elem);
    uint64_t cmp1 = a64_x(cpu, d->rs), cmp2 = a64_x(cpu, d->rs + 1u);
    if (elem == 4) {
        cmp1 = (uint32_t)cmp1;
        cmp2 = (uint32_t)cmp2;
    }
    if (old1 == cmp1 && old2 == cmp2) {
        uint64_t v[2] = {a64_x(cpu, d->rt), a64_x(cpu, d->rt + 1u)};
        memcpy(buf, &v[0], elem);
        memcpy(buf + elem, &v[1], elem);
        if (!a64_write(cpu, va, buf, 2 * elem, A64_ACC_ALIGN))
            return A64_EXCEPTION;
    } else if (!cas_write_check(cpu, va, 2 * elem)) {
        return A64_EXCEPTION;
    }
    a64_set_x(cpu, d->rs, old1);
    a64_set_x(cpu, d->rs + 1u, old2);
    return A64_NEXT;
}

/* ---- atomic memory operations: Rt = old; [Xn] = op(old, Rs) ------------- */

enum ldop { OP_ADD, OP_CLR, OP_EOR, OP_SET, OP_SMAX, OP_SMIN, OP_UMAX, OP_UMIN, OP_SWP };

static enum a64_flow atomic_op(struct a64_cpu *cpu, const struct a64_insn *d, enum ldop op)
{
    unsigned size = 1u << d->size, bits = 8u << d->size;
    uint64_t va, old;
    if (!a64_base(cpu, d->rn, &va) || !a64_load(cpu, va, size, &old, A64_ACC_ALIGN))
        return A64_EXCEPTION;
    uint64_t s = width(d->size, a64_x(cpu, d->rs)), v;
    int64_t so = (int64_t)a64_sext(old, bits), ss = (int64_t)a64_sext(s, bits);
    switch (op) {
    case OP_ADD: v = old + s; break;
    case OP_CLR: v = old & ~s; break;
    case OP_EOR: v = old ^ s; break;
    case OP_SET: v = old | s; break;
    case OP_SMAX: v = so > ss ? old : s; break;
    case OP_SMIN: v = so < ss ? old : s; break;
    case OP_UMAX: v = old > s ? old : s; break;
    case OP_UMIN: v = old < s ? old : s; break;
    default: v = s; break;
    }
    if (!a64_store(cpu, va, size, v, A64_ACC_ALIGN))
        return A64_EXCEPTION;
    a64_set_x(cpu, d->rt, old);
    return A64_NEXT;
}

A64_EXEC(LDADD)
{
    return atomic_op(cpu, d, OP_ADD);
}

A64_EXEC(LDCLR)
{
    return atomic_op(cpu, d, OP_CLR);
}

A64_EXEC(LDEOR)
{
    return atomic_op(cpu, d, OP_EOR);
}

A64_EXEC(LDSET)
{
    return atomic_op(cpu, d, OP_SET);
}

A64_EXEC(LDSMAX)
{
    return atomic_op(cpu, d, OP_SMAX);
}

A64_EXEC(LDSMIN)
{
    return atomic_op(cpu, d, OP_SMIN);
}

A64_EXEC(LDUMAX)
{
    return atomic_op(cpu, d, OP_UMAX);
}

A64_EXEC(LDUMIN)
{
    return atomic_op(cpu, d, OP_UMIN);
}

A64_EXEC(SWP)
{
    return atomic_op(cpu, d, OP_SWP);
}
