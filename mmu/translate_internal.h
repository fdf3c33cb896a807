/* translate_internal.h - what the walkers share with the TLB (mmu/ only). */
#ifndef RASIM_TRANSLATE_INTERNAL_H
#define RASIM_TRANSLATE_INTERNAL_H

#include "mmu/translate.h"

/* Bits [hi:lo] of x. */
#define MMU_BITS(x, hi, lo) (((x) >> (lo)) & ((2ull << ((hi) - (lo))) - 1))
#define MMU_BIT(n)          (1ull << (n))

/*
 * Read a descriptor for a walk. An inspecting walk (ctx->inspect) reads as
 * the host with phys_peek: no RAS consumption, no device access, nothing
 * allocated; such a walk must also make no hardware update (its caller
 * turns them off: TCR_EL1.HA/HD, menvcfg.ADUE).
 */
enum phys_status mmu_read_desc(struct phys_mem *pm, bool inspect, uint64_t pa, uint64_t *desc,
                               struct phys_fault *fault);

/* Start a result: everything zero, va recorded. */
void mmu_result_start(struct mmu_result *out, uint64_t va);

/*
 * arm64 permission check of a leaf, given the table limits gathered on the
 * way (MMU_TBL_*). Returns MMU_R_NONE when the access is allowed; *dirty is
 * set when it is allowed only through a hardware dirty-state update (a
 * write through DBM = 1, AP[2] = 1 with TCR_EL1.HD in effect).
 */
enum mmu_reason mmu_a64_permission(const struct mmu_a64_ctx *ctx, uint64_t desc, unsigned limits,
                                   enum mmu_access acc, bool *dirty);
/* The architectural fault code for an arm64 fault class at a level. */
unsigned mmu_a64_fsc(enum mmu_fault fault, int level);
/* The current ASID: from TTBR1 or TTBR0 by TCR_EL1.A1, 8 or 16 bits by AS. */
uint16_t mmu_a64_asid(const struct mmu_a64_ctx *ctx);

/*
 * RISC-V permission check (U/SUM/MXR and R/W/X) of a leaf PTE. Returns
 * MMU_R_NONE when allowed. A/D are not looked at.
 */
enum mmu_reason mmu_rv64_permission(const struct mmu_rv64_ctx *ctx, uint64_t pte,
                                    enum mmu_access acc);
/* scause for a RISC-V fault class and access. */
unsigned mmu_rv64_cause(enum mmu_fault fault, enum mmu_access acc);

#endif
