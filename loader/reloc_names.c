/* reloc_names.c - relocation type names, for messages and for `rasim info`. */
#include "loader/reloc.h"

#include <elf.h>
#include <stdio.h>

#define N(x) [x] = #x

static const char *const aarch64_names[] = {
    [0] = "R_AARCH64_NONE",
    N(R_AARCH64_ABS64),
    N(R_AARCH64_ABS32),
    N(R_AARCH64_ABS16),
    N(R_AARCH64_PREL64),
    N(R_AARCH64_PREL32),
    N(R_AARCH64_PREL16),
    N(R_AARCH64_MOVW_UABS_G0),
    N(R_AARCH64_MOVW_UABS_G0_NC),
    N(R_AARCH64_MOVW_UABS_G1),
    N(R_AARCH64_MOVW_UABS_G1_NC),
    N(R_AARCH64_MOVW_UABS_G2),
    N(R_AARCH64_MOVW_UABS_G2_NC),
    N(R_AARCH64_MOVW_UABS_G3),
    N(R_AARCH64_MOVW_SABS_G0),
    N(R_AARCH64_MOVW_SABS_G1),
    N(R_AARCH64_MOVW_SABS_G2),
    N(R_AARCH64_LD_PREL_LO19),
    N(R_AARCH64_ADR_PREL_LO21),
    N(R_AARCH64_ADR_PREL_PG_HI21),
    N(R_AARCH64_ADR_PREL_PG_HI21_NC),
    N(R_AARCH64_ADD_ABS_LO12_NC),
    N(R_AARCH64_LDST8_ABS_LO12_NC),
    N(R_AARCH64_TSTBR14),
    N(R_AARCH64_CONDBR19),
    N(R_AARCH64_JUMP26),
    N(R_AARCH64_CALL26),
    N(R_AARCH64_LDST16_ABS_LO12_NC),
    N(R_AARCH64_LDST32_ABS_LO12_NC),
    N(R_AARCH64_LDST64_ABS_LO12_NC),
    N(R_AARCH64_MOVW_PREL_G0),
    N(R_AARCH64_MOVW_PREL_G0_NC),
    N(R_AARCH64_MOVW_PREL_G1),
    N(R_AARCH64_MOVW_PREL_G1_NC),
    N(R_AARCH64_MOVW_PREL_G2),
    N(R_AARCH64_MOVW_PREL_G2_NC),
    N(R_AARCH64_MOVW_PREL_G3),
    N(R_AARCH64_LDST128_ABS_LO12_NC),
    N(R_AARCH64_ADR_GOT_PAGE),
    N(R_AARCH64_LD64_GOT_LO12_NC),
    N(R_AARCH64_COPY),
    N(R_AARCH64_GLOB_DAT),
    N(R_AARCH64_JUMP_SLOT),
    N(R_AARCH64_RELATIVE),
};

static const char *const riscv_names[] = {
    N(R_RISCV_NONE),         N(R_RISCV_32),           N(R_RISCV_64),         N(R_RISCV_RELATIVE),
    N(R_RISCV_COPY),         N(R_RISCV_JUMP_SLOT),    N(R_RISCV_BRANCH),     N(R_RISCV_JAL),
    N(R_RISCV_CALL),         N(R_RISCV_CALL_PLT),     N(R_RISCV_GOT_HI20),   N(R_RISCV_PCREL_HI20),
    N(R_RISCV_PCREL_LO12_I), N(R_RISCV_PCREL_LO12_S), N(R_RISCV_HI20),       N(R_RISCV_LO12_I),
    N(R_RISCV_LO12_S),       N(R_RISCV_ADD8),         N(R_RISCV_ADD16),      N(R_RISCV_ADD32),
    N(R_RISCV_ADD64),        N(R_RISCV_SUB8),         N(R_RISCV_SUB16),      N(R_RISCV_SUB32),
    N(R_RISCV_SUB64),        N(R_RISCV_ALIGN),        N(R_RISCV_RVC_BRANCH), N(R_RISCV_RVC_JUMP),
    N(R_RISCV_RVC_LUI),      N(R_RISCV_RELAX),        N(R_RISCV_SUB6),       N(R_RISCV_SET6),
    N(R_RISCV_SET8),         N(R_RISCV_SET16),        N(R_RISCV_SET32),      N(R_RISCV_32_PCREL),
    N(R_RISCV_IRELATIVE),
};

const char *ld_reloc_name(enum ld_arch arch, uint32_t type)
{
    const char *const *table = arch == LD_ARCH_AARCH64 ? aarch64_names : riscv_names;
    size_t n = arch == LD_ARCH_AARCH64 ? sizeof(aarch64_names) / sizeof(*aarch64_names)
                                       : sizeof(riscv_names) / sizeof(*riscv_names);
    if (type < n && table[type])
        return table[type];
    return arch == LD_ARCH_AARCH64 ? "unknown AArch64 relocation" : "unknown RISC-V relocation";
}

int ld_reloc_overflow(const struct ld_ctx *ctx, enum ld_arch arch, const struct ld_reloc *r,
                      int64_t value, const char *what)
{
    return ld_fail(ctx, "relocation %s at %s+0x%llx against '%s': value 0x%llx does not fit %s",
                   ld_reloc_name(arch, r->type), r->section, (unsigned long long)r->offset,
                   r->symbol, (unsigned long long)value, what);
}
