/*
 * exec_mte.c - FEAT_MTE/MTE2 instructions: tag arithmetic (IRG, GMI, ADDG,
 * SUBG, SUBP, SUBPS) and allocation tag loads and stores (LDG, STG, STZG,
 * ST2G, STZ2G, STGP, LDGM, STGM, STZGM). KERNEL-FACTS.md section 9.
 *
 * The logical tag of an address is bits 59:56. Allocation tag access
 * needs SCTLR_EL1.ATA (ATA0 at EL0); without it tags read as 0 and tag
 * writes are dropped, while the data side of STZG and friends still
 * happens. Memory with the MMU off is treated as Tagged (see mem.c).
 * Tag checking of ordinary loads and stores is not modelled.
 */
#include "isa/aarch64/alu.h"
#include "isa/aarch64/mem.h"

#define GRANULE MTE_GRANULE_SIZE

static unsigned tag_of(uint64_t addr)
{
    return (addr >> 56) & 0xf;
}

static uint64_t with_tag(uint64_t addr, unsigned tag)
{
    return (addr & ~(0xfull << 56)) | (uint64_t)(tag & 0xf) << 56;
}

/* ChooseNonExcludedTag: step offset times through the tags not excluded. */
static unsigned choose_non_excluded_tag(unsigned tag, unsigned offset, unsigned exclude)
{
    if ((exclude & 0xffff) == 0xffff)
        return 0;
    if (offset == 0)
        while (exclude & (1u << tag))
            tag = (tag + 1) & 0xf;
    while (offset) {
        offset--;
        tag = (tag + 1) & 0xf;
        while (exclude & (1u << tag))
            tag = (tag + 1) & 0xf;
    }
    return tag;
}

/* RandomTag: four steps of the RGSR_EL1.SEED LFSR (taps 5, 3, 2, 0). */
static unsigned random_tag(struct a64_cpu *cpu)
{
    uint64_t rgsr = cpu->sysreg[SR_RGSR_EL1];
    unsigned lfsr = (rgsr >> 8) & 0xffff, tag = 0;
    for (unsigned i = 0; i < 4; i++) {
        unsigned top = ((lfsr >> 5) ^ (lfsr >> 3) ^ (lfsr >> 2) ^ lfsr) & 1;
        lfsr = top << 15 | lfsr >> 1;
        tag |= top << i;
    }
    cpu->sysreg[SR_RGSR_EL1] = (rgsr & ~(0xffffull << 8)) | (uint64_t)lfsr << 8;
    return tag;
}

/* ---- tag arithmetic ------------------------------------------------------- */

/* IRG Xd|SP, Xn|SP{, Xm}: a random tag not in GCR_EL1.Exclude or Xm<15:0>.
 * GCR_EL1.RRND = 1 allows any IMPLEMENTATION DEFINED choice; the
 * deterministic RGSR_EL1 generator serves for both, so runs repeat. */
A64_EXEC(IRG)
{
    uint64_t operand = a64_xsp(cpu, d->rn);
    unsigned exclude = (unsigned)((a64_x(cpu, d->rm) | cpu->sysreg[SR_GCR_EL1]) & 0xffff);
    unsigned rtag = 0;
    if (a64_tag_access_enabled(cpu)) {
        unsigned start = cpu->sysreg[SR_RGSR_EL1] & 0xf;
        unsigned offset = random_tag(cpu);
        rtag = choose_non_excluded_tag(start, offset, exclude);
        cpu->sysreg[SR_RGSR_EL1] = (cpu->sysreg[SR_RGSR_EL1] & ~0xfull) | rtag;
    }
    a64_set_xsp(cpu, d->rd, with_tag(operand, rtag));
    return A64_NEXT;
}

/* GMI Xd, Xn|SP, Xm: Xm with the bit for Xn's tag set. */
A64_EXEC(GMI)
{
    unsigned tag = tag_of(a64_xsp(cpu, d->rn));
    a64_set_x(cpu, d->rd, a64_x(cpu, d->rm) | 1ull << tag);
    return A64_NEXT;
}

/* ADDG/SUBG Xd|SP, Xn|SP, #uimm6*16, #uimm4: address +/- offset, tag
 * stepped uimm4 times through the non-excluded tags. */
static enum a64_flow addsub_tag(struct a64_cpu *cpu, const struct a64_insn *d, bool sub)
{
    uint64_t operand = a64_xsp(cpu, d->rn);
    unsigned rtag = 0;
    if (a64_tag_access_enabled(cpu))
        rtag = choose_non_excluded_tag(tag_of(operand), (unsigned)d->imm2,
                                       (unsigned)cpu->sysreg[SR_GCR_EL1] & 0xffff);
    uint64_t r = sub ? operand - d->imm : operand + d->imm;
    a64_set_xsp(cpu, d->rd, with_tag(r, rtag));
    return A64_NEXT;
}

A64_EXEC(ADDG)
{
    return addsub_tag(cpu, d, false);
}

A64_EXEC(SUBG)
{
    return addsub_tag(cpu, d, true);
}

/* SUBP(S) Xd, Xn|SP, Xm|SP: difference of the 56-bit sign-extended
 * addresses (tags stripped); SUBPS sets NZCV (CMPP). */
static uint64_t subp(struct a64_cpu *cpu, const struct a64_insn *d, bool setflags)
{
    uint64_t a = a64_sext(a64_xsp(cpu, d->rn), 56), b = a64_sext(a64_xsp(cpu, d->rm), 56);
    unsigned nzcv;
    uint64_t r = a64_add_with_carry(a, ~b, 1, 1, &nzcv);
    if (setflags)
        a64_set_nzcv(cpu, nzcv);
    return r;
}

A64_EXEC(SUBP)
{
    a64_set_x(cpu, d->rd, subp(cpu, d, false));
    return A64_NEXT;
}

A64_EXEC(SUBPS)
{
    a64_set_x(cpu, d->rd, subp(cpu, d, true));
    return A64_NEXT;
}

/* ---- single-granule tag stores: STG, STZG, ST2G, STZ2G -------------------
 * The tag comes from Xt|SP (Rt = 31 is SP here); the address must be
 * 16-byte aligned or the store takes an alignment fault. */

static enum a64_flow store_tags(struct a64_cpu *cpu, const struct a64_insn *d, unsigned granules,
                                bool zero)
{
    uint64_t base, addr;
    if (!a64_base(cpu, d->rn, &base))
        return A64_EXCEPTION;
    addr = d->index == IDX_POST ? base : base + d->imm;
    if (addr & (GRANULE - 1)) {
        a64_alignment_fault(cpu, addr, A64_ACC_WRITE);
        return A64_EXCEPTION;
    }
    unsigned tag = tag_of(a64_xsp(cpu, d->rt));
    if (zero) {
        static const uint8_t zeros[2 * GRANULE];
        if (!a64_write(cpu, addr, zeros, granules * GRANULE, 0))
            return A64_EXCEPTION;
    }
    if (a64_tag_access_enabled(cpu))
        for (unsigned i = 0; i < granules; i++)
            if (!a64_tag_write(cpu, addr + i * GRANULE, (uint8_t)tag))
                return A64_EXCEPTION;
    if (d->index != IDX_OFFSET)
        a64_set_xsp(cpu, d->rn, base + d->imm);
    return A64_NEXT;
}

A64_EXEC(STG)
{
    return store_tags(cpu, d, 1, false);
}

A64_EXEC(STZG)
{
    return store_tags(cpu, d, 1, true);
}

A64_EXEC(ST2G)
{
    return store_tags(cpu, d, 2, false);
}

A64_EXEC(STZ2G)
{
    return store_tags(cpu, d, 2, true);
}

/* STGP Xt1, Xt2, [Xn|SP...]: 16 bytes of data and the granule's tag from
 * the address itself. */
A64_EXEC(STGP)
{
    uint64_t base, addr;
    if (!a64_base(cpu, d->rn, &base))
        return A64_EXCEPTION;
    addr = d->index == IDX_POST ? base : base + d->imm;
    if (addr & (GRANULE - 1)) {
        a64_alignment_fault(cpu, addr, A64_ACC_WRITE);
        return A64_EXCEPTION;
    }
    uint64_t v[2] = {a64_x(cpu, d->rt), a64_x(cpu, d->rt2)};
    if (!a64_write(cpu, addr, v, sizeof(v), A64_ACC_PAIR))
        return A64_EXCEPTION;
    if (a64_tag_access_enabled(cpu) && !a64_tag_write(cpu, addr, (uint8_t)tag_of(addr)))
        return A64_EXCEPTION;
    if (d->index != IDX_OFFSET)
        a64_set_xsp(cpu, d->rn, base + d->imm);
    return A64_NEXT;
}

/* LDG Xt, [Xn|SP, #simm]: insert the allocation tag of the granule into
 * Xt<59:56>, keeping the other bits of Xt. */
A64_EXEC(LDG)
{
    uint64_t base;
    uint8_t tag = 0;
    if (!a64_base(cpu, d->rn, &base))
        return A64_EXCEPTION;
    uint64_t addr = (base + d->imm) & ~(uint64_t)(GRANULE - 1);
    if (a64_tag_access_enabled(cpu) && !a64_tag_read(cpu, addr, &tag))
        return A64_EXCEPTION;
    a64_set_x(cpu, d->rt, with_tag(a64_x(cpu, d->rt), tag));
    return A64_NEXT;
}

/* ---- block tag transfers (EL1 only) --------------------------------------
 * LDGM/STGM move the tags of the 4 << GMID_EL1.BS byte block holding Xn,
 * one nibble per granule at nibble index address<7:4>. STZGM zeroes a
 * DCZID_EL0-sized block and sets its tags from Xt<3:0>. */

/* 4 << GMID_EL1.BS bytes; BS is at most 6 (256 bytes, 16 tags in Xt). */
static unsigned gm_block(const struct a64_cpu *cpu)
{
    unsigned bs = cpu->sysreg[SR_GMID_EL1] & 0xf;
    return 4u << (bs > 6 ? 6 : bs);
}

A64_EXEC(LDGM)
{
    if (cpu->el == 0)
        return a64_undefined(cpu);
    uint64_t base, data = 0;
    if (!a64_base(cpu, d->rn, &base))
        return A64_EXCEPTION;
    unsigned size = gm_block(cpu);
    uint64_t addr = base & ~(uint64_t)(size - 1);
    if (a64_tag_access_enabled(cpu)) {
        for (unsigned i = 0; i < size / GRANULE; i++, addr += GRANULE) {
            uint8_t tag;
            if (!a64_tag_read(cpu, addr, &tag))
                return A64_EXCEPTION;
            data |= (uint64_t)tag << (4 * ((addr >> 4) & 0xf));
        }
    }
    a64_set_x(cpu, d->rt, data);
    return A64_NEXT;
}

A64_EXEC(STGM)
{
    if (cpu->el == 0)
        return a64_undefined(cpu);
    uint64_t base, data = a64_x(cpu, d->rt);
    if (!a64_base(cpu, d->rn, &base))
        return A64_EXCEPTION;
    unsigned size = gm_block(cpu);
    uint64_t addr = base & ~(uint64_t)(size - 1);
    if (a64_tag_access_enabled(cpu))
        for (unsigned i = 0; i < size / GRANULE; i++, addr += GRANULE)
            if (!a64_tag_write(cpu, addr, (uint8_t)(data >> (4 * ((addr >> 4) & 0xf)))))
                return A64_EXCEPTION;
    return A64_NEXT;
}

A64_EXEC(STZGM)
{
    if (cpu->el == 0)
        return a64_undefined(cpu);
    uint64_t base;
    if (!a64_base(cpu, d->rn, &base))
        return A64_EXCEPTION;
    unsigned size = a64_dczva_size(cpu);
    uint64_t addr = base & ~(uint64_t)(size - 1);
    static const uint8_t zeros[A64_DCZVA_MAX];
    if (!a64_write(cpu, addr, zeros, size, 0))
        return A64_EXCEPTION;
    uint8_t tag = a64_x(cpu, d->rt) & 0xf;
    if (a64_tag_access_enabled(cpu))
        for (unsigned off = 0; off < size; off += GRANULE)
            if (!a64_tag_write(cpu, addr + off, tag))
                return A64_EXCEPTION;
    return A64_NEXT;
}
