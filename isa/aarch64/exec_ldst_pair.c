/*
 * exec_ldst_pair.c - load/store pair: LDP, STP, LDNP, STNP (no-allocate is
 * only a cache hint), LDPSW, the SIMD&FP forms up to Q registers, and STGP.
 *
 * The two registers move as one access of twice the element size, so a
 * pair that straddles into absent memory faults before writing anything
 * (the architecture allows either). SCTLR_EL1.A checks each element.
 *
 * Writeback with Rn == Rt or Rn == Rt2 (not SP) is CONSTRAINED
 * UNPREDICTABLE: loads suppress the writeback, stores store the registers'
 * values from before it. LDP with Rt == Rt2 leaves Rt2's value.
 */
#include "isa/aarch64/alu.h"
#include "isa/aarch64/mem.h"

static bool pair_address(struct a64_cpu *cpu, const struct a64_insn *d, uint64_t *base,
                         uint64_t *addr)
{
    if (!a64_base(cpu, d->rn, base))
        return false;
    *addr = d->index == IDX_POST ? *base : *base + d->imm;
    return true;
}

static void pair_writeback(struct a64_cpu *cpu, const struct a64_insn *d, uint64_t base, bool load)
{
    if (d->index == IDX_OFFSET)
        return;
    if (load && d->rn != 31 && (d->rn == d->rt || d->rn == d->rt2))
        return;
    a64_set_xsp(cpu, d->rn, base + d->imm);
}

static enum a64_flow load_pair(struct a64_cpu *cpu, const struct a64_insn *d, bool sign)
{
    uint64_t base, addr;
    unsigned elem = 1u << d->size;
    uint8_t buf[16];
    if (!pair_address(cpu, d, &base, &addr) || !a64_read(cpu, addr, buf, 2 * elem, A64_ACC_PAIR))
        return A64_EXCEPTION;
    uint64_t v1 = a64_le(buf, elem), v2 = a64_le(buf + elem, elem);
    if (sign) {
        v1 = a64_sext(v1, 32);
        v2 = a64_sext(v2, 32);
    }
    a64_set_x(cpu, d->rt, v1);
    a64_set_x(cpu, d->rt2, v2);
    pair_writeback(cpu, d, base, true);
    return A64_NEXT;
}

A64_EXEC(LDP)
{
    return load_pair(cpu, d, false);
}

A64_EXEC(LDPSW)
{
    return load_pair(cpu, d, true);
}

A64_EXEC(STP)
{
    uint64_t base, addr;
    unsigned elem = 1u << d->size;
    uint64_t v[2] = {a64_x(cpu, d->rt), a64_x(cpu, d->rt2)};
    uint8_t buf[16];
    memcpy(buf, &v[0], elem);
    memcpy(buf + elem, &v[1], elem);
    if (!pair_address(cpu, d, &base, &addr) || !a64_write(cpu, addr, buf, 2 * elem, A64_ACC_PAIR))
        return A64_EXCEPTION;
    pair_writeback(cpu, d, base, false);
    return A64_NEXT;
}

A64_EXEC(LDP_simd)
{
    uint64_t base, addr;
    unsigned elem = 1u << d->size;
    uint8_t buf[32];
    if (!pair_address(cpu, d, &base, &addr) || !a64_read(cpu, addr, buf, 2 * elem, A64_ACC_PAIR))
        return A64_EXCEPTION;
    union a64_vreg v1 = {{0}}, v2 = {{0}};
    memcpy(v1.b, buf, elem);
    memcpy(v2.b, buf + elem, elem);
    cpu->vreg[d->rt] = v1;
    cpu->vreg[d->rt2] = v2;
    if (d->index != IDX_OFFSET)
        a64_set_xsp(cpu, d->rn, base + d->imm);
    return A64_NEXT;
}

A64_EXEC(STP_simd)
{
    uint64_t base, addr;
    unsigned elem = 1u << d->size;
    uint8_t buf[32];
    memcpy(buf, cpu->vreg[d->rt].b, elem);
    memcpy(buf + elem, cpu->vreg[d->rt2].b, elem);
    if (!pair_address(cpu, d, &base, &addr) || !a64_write(cpu, addr, buf, 2 * elem, A64_ACC_PAIR))
        return A64_EXCEPTION;
    if (d->index != IDX_OFFSET)
        a64_set_xsp(cpu, d->rn, base + d->imm);
    return A64_NEXT;
}
