/*
 * reloc_aarch64.c - AArch64 ELF relocations (ELF for the Arm 64-bit
 * Architecture, "Static relocations"). Each case states its operation in the
 * ABI's notation; checked forms fail when the result does not fit, as a
 * static linker does.
 */
#include "loader/reloc.h"

#include <elf.h>

static uint64_t page(uint64_t x)
{
    return x & ~0xfffull;
}

static bool fits_signed(int64_t v, unsigned bits)
{
    return v >= -(1ll << (bits - 1)) && v < (1ll << (bits - 1));
}

/* ABS32-style range: the value is acceptable as either int32 or uint32. */
static bool fits_int_or_uint(int64_t v, unsigned bits)
{
    return v >= -(1ll << (bits - 1)) && v < (1ll << bits);
}

static void patch(uint8_t *loc, uint32_t mask, uint32_t bits)
{
    ld_put32(loc, (ld_get32(loc) & ~mask) | (bits & mask));
}

/* ADR/ADRP immediate: immlo in [30:29], immhi in [23:5]. */
static void patch_adr(uint8_t *loc, uint64_t imm)
{
    patch(loc, (3u << 29) | (0x7ffffu << 5),
          (uint32_t)((imm & 3) << 29 | ((imm >> 2) & 0x7ffff) << 5));
}

static unsigned width_of(uint32_t type)
{
    switch (type) {
    case R_AARCH64_ABS64:
    case R_AARCH64_PREL64: return 8;
    case R_AARCH64_ABS16:
    case R_AARCH64_PREL16: return 2;
    default: return 4;
    }
}

static int misaligned(const struct ld_ctx *ctx, const struct ld_reloc *r, uint64_t v,
                      unsigned align)
{
    return ld_fail(ctx,
                   "relocation %s at %s+0x%llx against '%s': value 0x%llx is not %u-byte aligned",
                   ld_reloc_name(LD_ARCH_AARCH64, r->type), r->section,
                   (unsigned long long)r->offset, r->symbol, (unsigned long long)v, align);
}

int ld_reloc_aarch64(const struct ld_ctx *ctx, const struct ld_reloc *r)
{
    uint8_t *loc = r->loc;
    uint64_t SA = r->S + (uint64_t)r->A;
    int64_t rel = (int64_t)(SA - r->P);
    unsigned shift = 0;

    if (r->type == R_AARCH64_NONE || r->type == 256 /* R_AARCH64_NONE (withdrawn number) */)
        return 0;
    if (r->avail < width_of(r->type))
        return ld_fail(ctx, "relocation %s at %s+0x%llx runs past the end of the section",
                       ld_reloc_name(LD_ARCH_AARCH64, r->type), r->section,
                       (unsigned long long)r->offset);

    switch (r->type) {
    case R_AARCH64_ABS64: /* S + A */ ld_put64(loc, SA); return 0;
    case R_AARCH64_ABS32: /* S + A, int32 or uint32 */
        if (!fits_int_or_uint((int64_t)SA, 32))
            return ld_reloc_overflow(ctx, LD_ARCH_AARCH64, r, (int64_t)SA, "32 bits");
        ld_put32(loc, (uint32_t)SA);
        return 0;
    case R_AARCH64_ABS16:
        if (!fits_int_or_uint((int64_t)SA, 16))
            return ld_reloc_overflow(ctx, LD_ARCH_AARCH64, r, (int64_t)SA, "16 bits");
        ld_put16(loc, (uint16_t)SA);
        return 0;
    case R_AARCH64_PREL64: /* S + A - P */ ld_put64(loc, (uint64_t)rel); return 0;
    case R_AARCH64_PREL32:
        if (!fits_int_or_uint(rel, 32))
            return ld_reloc_overflow(ctx, LD_ARCH_AARCH64, r, rel, "32 bits");
        ld_put32(loc, (uint32_t)rel);
        return 0;
    case R_AARCH64_PREL16:
        if (!fits_int_or_uint(rel, 16))
            return ld_reloc_overflow(ctx, LD_ARCH_AARCH64, r, rel, "16 bits");
        ld_put16(loc, (uint16_t)rel);
        return 0;

    /* MOVZ/MOVK imm16 in [20:5]; Gn takes bits [16n+15:16n] of S + A. The
     * checked forms require the value to fit in 16(n+1) unsigned bits. */
    case R_AARCH64_MOVW_UABS_G0:
    case R_AARCH64_MOVW_UABS_G1:
    case R_AARCH64_MOVW_UABS_G2: {
        unsigned n = r->type == R_AARCH64_MOVW_UABS_G0   ? 0
                     : r->type == R_AARCH64_MOVW_UABS_G1 ? 1
                                                         : 2;
        if (SA >> (16 * (n + 1)))
            return ld_reloc_overflow(ctx, LD_ARCH_AARCH64, r, (int64_t)SA,
                                     n == 0   ? "16 unsigned bits"
                                     : n == 1 ? "32 unsigned bits"
                                              : "48 unsigned bits");
        patch(loc, 0xffffu << 5, (uint32_t)((SA >> (16 * n)) & 0xffff) << 5);
        return 0;
    }
    case R_AARCH64_MOVW_UABS_G0_NC: shift = 0; goto movw_nc;
    case R_AARCH64_MOVW_UABS_G1_NC: shift = 16; goto movw_nc;
    case R_AARCH64_MOVW_UABS_G2_NC: shift = 32; goto movw_nc;
    case R_AARCH64_MOVW_UABS_G3:
        shift = 48;
    movw_nc:
        patch(loc, 0xffffu << 5, (uint32_t)((SA >> shift) & 0xffff) << 5);
        return 0;

    case R_AARCH64_ADR_PREL_LO21: /* S + A - P, 21-bit signed, ADR */
        if (!fits_signed(rel, 21))
            return ld_reloc_overflow(ctx, LD_ARCH_AARCH64, r, rel, "±1 MiB");
        patch_adr(loc, (uint64_t)rel);
        return 0;
    case R_AARCH64_ADR_PREL_PG_HI21: /* Page(S + A) - Page(P), 33-bit signed, ADRP */
    case R_AARCH64_ADR_PREL_PG_HI21_NC: {
        int64_t pg = (int64_t)(page(SA) - page(r->P));
        if (r->type == R_AARCH64_ADR_PREL_PG_HI21 && !fits_signed(pg, 33))
            return ld_reloc_overflow(ctx, LD_ARCH_AARCH64, r, pg, "±4 GiB");
        patch_adr(loc, (uint64_t)pg >> 12);
        return 0;
    }
    case R_AARCH64_ADD_ABS_LO12_NC: /* (S + A) & 0xfff into ADD imm12 [21:10] */
        patch(loc, 0xfffu << 10, (uint32_t)(SA & 0xfff) << 10);
        return 0;
    /* Load/store unsigned offset: imm12 is scaled by the access size. */
    case R_AARCH64_LDST128_ABS_LO12_NC: shift++; /* fall through */
    case R_AARCH64_LDST64_ABS_LO12_NC: shift++;  /* fall through */
    case R_AARCH64_LDST32_ABS_LO12_NC: shift++;  /* fall through */
    case R_AARCH64_LDST16_ABS_LO12_NC: shift++;  /* fall through */
    case R_AARCH64_LDST8_ABS_LO12_NC:
        if (SA & ((1u << shift) - 1))
            return misaligned(ctx, r, SA, 1u << shift);
        patch(loc, 0xfffu << 10, (uint32_t)((SA & 0xfff) >> shift) << 10);
        return 0;

    case R_AARCH64_TSTBR14: /* S + A - P, TBZ/TBNZ imm14 [18:5] */
        if (rel & 3)
            return misaligned(ctx, r, (uint64_t)rel, 4);
        if (!fits_signed(rel, 16))
            return ld_reloc_overflow(ctx, LD_ARCH_AARCH64, r, rel, "±32 KiB");
        patch(loc, 0x3fffu << 5, (uint32_t)((rel >> 2) & 0x3fff) << 5);
        return 0;
    case R_AARCH64_CONDBR19:     /* B.cond, CBZ/CBNZ imm19 [23:5] */
    case R_AARCH64_LD_PREL_LO19: /* LDR (literal) imm19 [23:5] */
        if (rel & 3)
            return misaligned(ctx, r, (uint64_t)rel, 4);
        if (!fits_signed(rel, 21))
            return ld_reloc_overflow(ctx, LD_ARCH_AARCH64, r, rel, "±1 MiB");
        patch(loc, 0x7ffffu << 5, (uint32_t)((rel >> 2) & 0x7ffff) << 5);
        return 0;
    case R_AARCH64_JUMP26: /* B imm26 */
    case R_AARCH64_CALL26: /* BL imm26 */
        if (rel & 3)
            return misaligned(ctx, r, (uint64_t)rel, 4);
        if (!fits_signed(rel, 28))
            return ld_reloc_overflow(ctx, LD_ARCH_AARCH64, r, rel, "±128 MiB");
        patch(loc, 0x3ffffffu, (uint32_t)(rel >> 2));
        return 0;
    }
    return ld_fail(ctx, "unsupported relocation type %u (%s) in section %s at offset 0x%llx",
                   r->type, ld_reloc_name(LD_ARCH_AARCH64, r->type), r->section,
                   (unsigned long long)r->offset);
}
