/* tlb_internal.h - the TLB's entries, shared by tlb.c and checker.c only. */
#ifndef RASIM_TLB_INTERNAL_H
#define RASIM_TLB_INTERNAL_H

#include "mmu/translate_internal.h"

enum tlb_arch { TLB_A64 = 1, TLB_RV64 };

/* Descriptors in a contiguous (arm64) or NAPOT (RISC-V) group. */
#define TLB_GROUP_ENTRIES 16

struct tlb_entry {
    enum tlb_arch arch; /* 0: the leaf is not cached (free or invalidated) */
    uint64_t va;        /* canonical base of the range */
    uint64_t size;      /* range size */
    uint16_t asid;
    bool global;
    struct mmu_result r; /* the walk that filled it: steps[] are the descriptors read */

    /* Where the translation came from, for the checker. */
    enum tlb_arch filled; /* arch of the fill; kept after the leaf is invalidated */
    uint64_t group_pa;    /* range entry: PA of the first of its 16 descriptors */
    /* Bit s: the table descriptor steps[s] may still sit in a walk cache.
     * Set only while a checker is attached; cleared by the invalidations
     * that reach table entries (not VALE1 / VAALE1 / SFENCE.VMA with rs1). */
    unsigned walk_live;
    /* The last stale use reported for this entry (once per current value). */
    bool stale_seen;
    uint64_t stale_pa, stale_val;
};

struct mmu_tlb {
    struct tlb_entry *e;
    unsigned n;
    unsigned next;           /* round-robin victim */
    struct mmu_checker *chk; /* NULL: no checking, no cost */
};

/* Attach (or with NULL detach) a checker; done by mmu_checker_new/free. */
void mmu_tlb_set_checker(struct mmu_tlb *tlb, struct mmu_checker *chk);

/* Called by the TLB while a checker is attached. */
void mmu_checker_fill(struct mmu_checker *chk, struct tlb_entry *e);
/* A hit on e for the canonical VA va (before permissions are applied). */
void mmu_checker_hit(struct mmu_checker *chk, struct tlb_entry *e, uint64_t va);

#endif
