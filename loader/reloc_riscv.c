/*
 * reloc_riscv.c - RISC-V ELF relocations (RISC-V ELF psABI, "Relocations").
 *
 * No linker relaxation is performed: code is never moved, so R_RISCV_RELAX
 * and R_RISCV_ALIGN need no action (the assembler's padding NOPs stay and
 * every offset it computed stays right).
 */
#include "loader/reloc.h"

#include <elf.h>

static bool fits_signed(int64_t v, unsigned bits)
{
    return v >= -(1ll << (bits - 1)) && v < (1ll << (bits - 1));
}

static uint32_t bit(uint64_t v, unsigned from)
{
    return (uint32_t)(v >> from) & 1;
}

static uint32_t bits(uint64_t v, unsigned hi, unsigned lo)
{
    return (uint32_t)(v >> lo) & ((1u << (hi - lo + 1)) - 1);
}

/* I-type imm[11:0] in [31:20]. */
static uint32_t set_itype(uint32_t insn, uint64_t imm)
{
    return (insn & 0x000fffffu) | bits(imm, 11, 0) << 20;
}

/* S-type imm[11:5] in [31:25], imm[4:0] in [11:7]. */
static uint32_t set_stype(uint32_t insn, uint64_t imm)
{
    return (insn & 0x01fff07fu) | bits(imm, 11, 5) << 25 | bits(imm, 4, 0) << 7;
}

/* U-type imm[31:12]; the +0x800 rounds so that the low 12 bits, which the
 * paired I/S-type instruction sign-extends, add back to the value. */
static uint32_t set_utype(uint32_t insn, uint64_t value)
{
    return (insn & 0xfffu) | (uint32_t)((value + 0x800) & 0xfffff000u);
}

/* B-type: imm[12|10:5] in [31:25], imm[4:1|11] in [11:7]. */
static uint32_t set_btype(uint32_t insn, uint64_t imm)
{
    return (insn & 0x01fff07fu) | bit(imm, 12) << 31 | bits(imm, 10, 5) << 25 |
           bits(imm, 4, 1) << 8 | bit(imm, 11) << 7;
}

/* J-type: imm[20|10:1|11|19:12] in [31:12]. */
static uint32_t set_jtype(uint32_t insn, uint64_t imm)
{
    return (insn & 0xfffu) | bit(imm, 20) << 31 | bits(imm, 10, 1) << 21 | bit(imm, 11) << 20 |
           bits(imm, 19, 12) << 12;
}

/* CB format (c.beqz/c.bnez): offset[8|4:3] in [12:10], offset[7:6|2:1|5] in [6:2]. */
static uint16_t set_cbtype(uint16_t insn, uint64_t imm)
{
    return (uint16_t)((insn & 0xe383u) | bit(imm, 8) << 12 | bits(imm, 4, 3) << 10 |
                      bits(imm, 7, 6) << 5 | bits(imm, 2, 1) << 3 | bit(imm, 5) << 2);
}

/* CJ format (c.j/c.jal): offset[11|4|9:8|10|6|7|3:1|5] in [12:2]. */
static uint16_t set_cjtype(uint16_t insn, uint64_t imm)
{
    return (uint16_t)((insn & 0xe003u) | bit(imm, 11) << 12 | bit(imm, 4) << 11 |
                      bits(imm, 9, 8) << 9 | bit(imm, 10) << 8 | bit(imm, 6) << 7 |
                      bit(imm, 7) << 6 | bits(imm, 3, 1) << 3 | bit(imm, 5) << 2);
}

static unsigned width_of(uint32_t type)
{
    switch (type) {
    case R_RISCV_64:
    case R_RISCV_ADD64:
    case R_RISCV_SUB64:
    case R_RISCV_CALL:
    case R_RISCV_CALL_PLT: return 8;
    case R_RISCV_ADD8:
    case R_RISCV_SUB8:
    case R_RISCV_SET6:
    case R_RISCV_SUB6:
    case R_RISCV_SET8: return 1;
    case R_RISCV_ADD16:
    case R_RISCV_SUB16:
    case R_RISCV_SET16:
    case R_RISCV_RVC_BRANCH:
    case R_RISCV_RVC_JUMP: return 2;
    case R_RISCV_NONE:
    case R_RISCV_RELAX:
    case R_RISCV_ALIGN: return 0;
    default: return 4;
    }
}

static int misaligned(const struct ld_ctx *ctx, const struct ld_reloc *r, int64_t v)
{
    return ld_fail(ctx, "relocation %s at %s+0x%llx against '%s': offset 0x%llx is odd",
                   ld_reloc_name(LD_ARCH_RV64, r->type), r->section, (unsigned long long)r->offset,
                   r->symbol, (unsigned long long)v);
}

static const struct ld_rv_hi20 *find_hi20(const struct ld_rv_hi20_table *t, uint64_t place)
{
    for (size_t i = 0; i < t->count; i++)
        if (t->items[i].place == place)
            return &t->items[i];
    return NULL;
}

int ld_reloc_riscv(const struct ld_ctx *ctx, const struct ld_reloc *r,
                   const struct ld_rv_hi20_table *hi20)
{
    uint8_t *loc = r->loc;
    uint64_t SA = r->S + (uint64_t)r->A;
    int64_t rel = (int64_t)(SA - r->P);
    const char *name = ld_reloc_name(LD_ARCH_RV64, r->type);

    if (r->avail < width_of(r->type))
        return ld_fail(ctx, "relocation %s at %s+0x%llx runs past the end of the section", name,
                       r->section, (unsigned long long)r->offset);

    switch (r->type) {
    case R_RISCV_NONE:
    case R_RISCV_RELAX: /* relaxation is never performed */
    case R_RISCV_ALIGN: /* code is not moved, so the padding stays valid */ return 0;

    case R_RISCV_64: ld_put64(loc, SA); return 0;
    case R_RISCV_32:
        if (!((int64_t)SA >= INT32_MIN && (int64_t)SA <= (int64_t)UINT32_MAX))
            return ld_reloc_overflow(ctx, LD_ARCH_RV64, r, (int64_t)SA, "32 bits");
        ld_put32(loc, (uint32_t)SA);
        return 0;
    case R_RISCV_32_PCREL:
        if (!fits_signed(rel, 32))
            return ld_reloc_overflow(ctx, LD_ARCH_RV64, r, rel, "32 signed bits");
        ld_put32(loc, (uint32_t)rel);
        return 0;

    /* Label differences the assembler could not resolve: word += / -= S + A. */
    case R_RISCV_ADD8: loc[0] = (uint8_t)(loc[0] + SA); return 0;
    case R_RISCV_ADD16: ld_put16(loc, (uint16_t)(ld_get16(loc) + SA)); return 0;
    case R_RISCV_ADD32: ld_put32(loc, (uint32_t)(ld_get32(loc) + SA)); return 0;
    case R_RISCV_ADD64: ld_put64(loc, ld_get64(loc) + SA); return 0;
    case R_RISCV_SUB8: loc[0] = (uint8_t)(loc[0] - SA); return 0;
    case R_RISCV_SUB16: ld_put16(loc, (uint16_t)(ld_get16(loc) - SA)); return 0;
    case R_RISCV_SUB32: ld_put32(loc, (uint32_t)(ld_get32(loc) - SA)); return 0;
    case R_RISCV_SUB64: ld_put64(loc, ld_get64(loc) - SA); return 0;
    /* 6-bit fields (DWARF call frame advance): the top two bits are kept. */
    case R_RISCV_SET6: loc[0] = (uint8_t)((loc[0] & 0xc0) | (SA & 0x3f)); return 0;
    case R_RISCV_SUB6: loc[0] = (uint8_t)((loc[0] & 0xc0) | ((loc[0] - SA) & 0x3f)); return 0;
    case R_RISCV_SET8: loc[0] = (uint8_t)SA; return 0;
    case R_RISCV_SET16: ld_put16(loc, (uint16_t)SA); return 0;
    case R_RISCV_SET32: ld_put32(loc, (uint32_t)SA); return 0;

    case R_RISCV_BRANCH: /* B-type, ±4 KiB */
        if (rel & 1)
            return misaligned(ctx, r, rel);
        if (!fits_signed(rel, 13))
            return ld_reloc_overflow(ctx, LD_ARCH_RV64, r, rel, "±4 KiB");
        ld_put32(loc, set_btype(ld_get32(loc), (uint64_t)rel));
        return 0;
    case R_RISCV_JAL: /* J-type, ±1 MiB */
        if (rel & 1)
            return misaligned(ctx, r, rel);
        if (!fits_signed(rel, 21))
            return ld_reloc_overflow(ctx, LD_ARCH_RV64, r, rel, "±1 MiB");
        ld_put32(loc, set_jtype(ld_get32(loc), (uint64_t)rel));
        return 0;
    case R_RISCV_RVC_BRANCH: /* CB format, ±256 bytes */
        if (rel & 1)
            return misaligned(ctx, r, rel);
        if (!fits_signed(rel, 9))
            return ld_reloc_overflow(ctx, LD_ARCH_RV64, r, rel, "±256 bytes");
        ld_put16(loc, set_cbtype(ld_get16(loc), (uint64_t)rel));
        return 0;
    case R_RISCV_RVC_JUMP: /* CJ format, ±2 KiB */
        if (rel & 1)
            return misaligned(ctx, r, rel);
        if (!fits_signed(rel, 12))
            return ld_reloc_overflow(ctx, LD_ARCH_RV64, r, rel, "±2 KiB");
        ld_put16(loc, set_cjtype(ld_get16(loc), (uint64_t)rel));
        return 0;

    case R_RISCV_CALL: /* auipc + jalr pair, S + A - P */
    case R_RISCV_CALL_PLT:
        if (!fits_signed(rel + 0x800, 32))
            return ld_reloc_overflow(ctx, LD_ARCH_RV64, r, rel, "±2 GiB");
        ld_put32(loc, set_utype(ld_get32(loc), (uint64_t)rel));
        ld_put32(loc + 4, set_itype(ld_get32(loc + 4), (uint64_t)rel));
        return 0;
    case R_RISCV_PCREL_HI20:
        if (!fits_signed(rel + 0x800, 32))
            return ld_reloc_overflow(ctx, LD_ARCH_RV64, r, rel, "±2 GiB");
        ld_put32(loc, set_utype(ld_get32(loc), (uint64_t)rel));
        return 0;
    case R_RISCV_PCREL_LO12_I:
    case R_RISCV_PCREL_LO12_S: {
        /* S is the address of the auipc; its HI20 value supplies the low
         * bits. The addend of the LO12 relocation is not used. */
        const struct ld_rv_hi20 *h = find_hi20(hi20, r->S);
        if (!h)
            return ld_fail(
                ctx,
                "relocation %s at %s+0x%llx: no R_RISCV_PCREL_HI20 at 0x%llx ('%s') to pair with",
                name, r->section, (unsigned long long)r->offset, (unsigned long long)r->S,
                r->symbol);
        uint32_t insn = ld_get32(loc);
        ld_put32(loc, r->type == R_RISCV_PCREL_LO12_I ? set_itype(insn, h->value)
                                                      : set_stype(insn, h->value));
        return 0;
    }
    case R_RISCV_HI20: /* absolute, lui */
        if (!fits_signed((int64_t)SA + 0x800, 32))
            return ld_reloc_overflow(ctx, LD_ARCH_RV64, r, (int64_t)SA, "±2 GiB absolute");
        ld_put32(loc, set_utype(ld_get32(loc), SA));
        return 0;
    case R_RISCV_LO12_I: ld_put32(loc, set_itype(ld_get32(loc), SA)); return 0;
    case R_RISCV_LO12_S: ld_put32(loc, set_stype(ld_get32(loc), SA)); return 0;
    }
    return ld_fail(ctx, "unsupported relocation type %u (%s) in section %s at offset 0x%llx",
                   r->type, name, r->section, (unsigned long long)r->offset);
}
