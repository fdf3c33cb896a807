/* reloc.h - one relocation to apply, and the per-architecture appliers. */
#ifndef RASIM_RELOC_H
#define RASIM_RELOC_H

#include "loader/loader_internal.h"

/* The psABI names: S symbol value, A addend, P place. */
struct ld_reloc {
    uint32_t type;
    uint8_t *loc;   /* bytes at the place, inside the section copy */
    uint64_t avail; /* bytes from loc to the end of the section */
    uint64_t P;
    uint64_t S;
    int64_t A;
    const char *section; /* for messages: the section being relocated */
    uint64_t offset;     /* and the offset in it */
    const char *symbol;
};

/* RISC-V PCREL_LO12 relocations name the auipc whose PCREL_HI20 they pair
 * with; this is the list of those HI20 sites and their computed values. */
struct ld_rv_hi20 {
    uint64_t place;
    uint64_t value; /* S + A - P of the HI20 relocation */
};
struct ld_rv_hi20_table {
    struct ld_rv_hi20 *items;
    size_t count;
};

const char *ld_reloc_name(enum ld_arch arch, uint32_t type);
int ld_reloc_aarch64(const struct ld_ctx *ctx, const struct ld_reloc *r);
int ld_reloc_riscv(const struct ld_ctx *ctx, const struct ld_reloc *r,
                   const struct ld_rv_hi20_table *hi20);
/* Report a relocation whose result does not fit its field. */
int ld_reloc_overflow(const struct ld_ctx *ctx, enum ld_arch arch, const struct ld_reloc *r,
                      int64_t value, const char *what);

#endif
