/*
 * tlb.c - a TLB model tagged by ASID, with the invalidation scopes of arm64
 * TLBI (EL1&0) and RISC-V SFENCE.VMA (KERNEL-FACTS.md 4.5, 6).
 *
 * An entry is one successful walk: the leaf and the range it covers (a
 * 4 KiB page, a block / superpage, or a whole contiguous / NAPOT range),
 * the ASID it was filled under and whether it is global. Entries are never
 * dropped by writes to page tables, TTBR or satp: only by the invalidations,
 * so a routine that skips maintenance sees the stale translation.
 *
 * Walk caches (intermediate table entries) are not modelled for
 * translation, so the last-level-only forms (VALE1, VAALE1) remove the same
 * leaf entries as the all-level ones. While a checker is attached, each
 * entry also tracks which of its table descriptors a walk cache may still
 * hold (walk_live), so that a table descriptor changed after a last-level
 * invalidation is still caught (mmu/checker.c).
 */
#include "mmu/tlb_internal.h"

#include <stdlib.h>
#include <string.h>

#define TLB_DEFAULT_ENTRIES 64

struct mmu_tlb *mmu_tlb_new(unsigned entries)
{
    struct mmu_tlb *tlb = calloc(1, sizeof(*tlb));
    if (!tlb)
        return NULL;
    tlb->n = entries ? entries : TLB_DEFAULT_ENTRIES;
    tlb->e = calloc(tlb->n, sizeof(*tlb->e));
    if (!tlb->e) {
        free(tlb);
        return NULL;
    }
    return tlb;
}

void mmu_tlb_free(struct mmu_tlb *tlb)
{
    if (tlb) {
        free(tlb->e);
        free(tlb);
    }
}

void mmu_tlb_set_checker(struct mmu_tlb *tlb, struct mmu_checker *chk)
{
    tlb->chk = chk;
    if (!chk)
        for (unsigned i = 0; i < tlb->n; i++)
            tlb->e[i].walk_live = 0;
}

unsigned mmu_tlb_count(const struct mmu_tlb *tlb)
{
    unsigned c = 0;
    for (unsigned i = 0; i < tlb->n; i++)
        c += tlb->e[i].arch != 0;
    return c;
}

void mmu_tlb_for_each(const struct mmu_tlb *tlb,
                      void (*fn)(void *ctx, uint64_t va, const struct mmu_result *leaf), void *ctx)
{
    for (unsigned i = 0; i < tlb->n; i++)
        if (tlb->e[i].arch)
            fn(ctx, tlb->e[i].va, &tlb->e[i].r);
}

void mmu_tlb_flush_all(struct mmu_tlb *tlb)
{
    memset(tlb->e, 0, tlb->n * sizeof(*tlb->e));
}

static bool covers(const struct tlb_entry *e, uint64_t va)
{
    return va - e->va < e->size;
}

static struct tlb_entry *lookup(struct mmu_tlb *tlb, enum tlb_arch arch, uint64_t va, uint16_t asid)
{
    for (unsigned i = 0; i < tlb->n; i++) {
        struct tlb_entry *e = &tlb->e[i];
        if (e->arch == arch && covers(e, va) && (e->global || e->asid == asid))
            return e;
    }
    return NULL;
}

static void fill(struct mmu_tlb *tlb, enum tlb_arch arch, uint64_t va, const struct mmu_result *r)
{
    struct tlb_entry *e = &tlb->e[tlb->next];
    tlb->next = (tlb->next + 1) % tlb->n;
    e->arch = arch;
    e->size = r->range_size;
    e->va = va & ~(r->range_size - 1);
    e->asid = r->asid;
    e->global = r->global;
    e->r = *r;
    e->filled = arch;
    e->group_pa = r->desc_pa & ~(uint64_t)(TLB_GROUP_ENTRIES * 8 - 1);
    e->walk_live = 0;
    e->stale_seen = false;
    if (tlb->chk) {
        /* Every step but the leaf is a table descriptor. */
        e->walk_live = r->nsteps ? (1u << (r->nsteps - 1)) - 1 : 0;
        mmu_checker_fill(tlb->chk, e);
    }
}

/* The walk-cache bits of e whose table descriptors are used to translate
 * va: a table at a level covers the VA span of one entry of that level. */
static unsigned tables_covering(const struct tlb_entry *e, uint64_t va)
{
    unsigned bits = 0;
    for (unsigned s = 0; s + 1 < e->r.nsteps; s++) {
        int level = e->r.steps[s].level;
        /* arm64 levels count down to the leaf (3), RISC-V ones to 0. */
        unsigned shift =
            e->filled == TLB_A64 ? 12 + 9 * (unsigned)(3 - level) : 12 + 9 * (unsigned)level;
        if (((va ^ e->va) >> shift) == 0)
            bits |= 1u << s;
    }
    return bits;
}

/* The result a hit gives: the cached leaf, placed at this VA, no walk. */
static void from_entry(const struct tlb_entry *e, uint64_t va, uint64_t canon,
                       struct mmu_result *out)
{
    *out = e->r;
    out->va = va;
    out->pa = e->r.range_pa + (canon - e->va);
    out->nsteps = 0;
    out->updated = false;
    out->fault = MMU_FAULT_NONE;
    out->reason = MMU_R_NONE;
    out->code = 0;
}

/* ---- arm64 -------------------------------------------------------------- */

#define A64_SCTLR_M  MMU_BIT(0)
#define A64_TCR_AS   MMU_BIT(36) /* KERNEL-FACTS 4.3 */
#define A64_TCR_TBI0 MMU_BIT(37)
#define A64_TCR_TBI1 MMU_BIT(38)
#define A64_D_AP2    MMU_BIT(7) /* KERNEL-FACTS 4.1 */

/* Sign-extend from bit 55: the VA with its tag (or top byte) made canonical.
 * Only called for VAs the walker accepted or for TLBI operands. */
static uint64_t a64_canon(uint64_t va)
{
    return (va >> 55) & 1 ? va | 0xff00000000000000ull : va & 0x00ffffffffffffffull;
}

int mmu_tlb_a64_translate(struct mmu_tlb *tlb, struct phys_mem *pm, const struct mmu_a64_ctx *ctx,
                          uint64_t va, enum mmu_access acc, struct mmu_result *out, bool *hit)
{
    if (hit)
        *hit = false;
    if (!(ctx->sctlr & A64_SCTLR_M))
        return mmu_a64_translate(pm, ctx, va, acc, out);
    /* With TBI the top byte selects nothing; without it, a VA whose top
     * byte is not a copy of bit 55 faults in the walker and never hits. */
    bool upper = (va >> 55) & 1;
    bool tbi = acc != MMU_ACC_FETCH && (ctx->tcr & (upper ? A64_TCR_TBI1 : A64_TCR_TBI0));
    uint64_t canon = a64_canon(va);
    struct tlb_entry *e =
        (tbi || canon == va) ? lookup(tlb, TLB_A64, canon, mmu_a64_asid(ctx)) : NULL;
    if (e) {
        bool dirty;
        enum mmu_reason why = mmu_a64_permission(ctx, e->r.desc, e->r.table_limits, acc, &dirty);
        if (!dirty) {
            if (hit)
                *hit = true;
            from_entry(e, va, canon, out);
            if (tlb->chk)
                mmu_checker_hit(tlb->chk, e, canon);
            if (why == MMU_R_NONE)
                return 0;
            /* The cached permissions refuse: a permission fault, as the
             * hardware raises from a TLB entry without walking. */
            out->fault = MMU_FAULT_PERMISSION;
            out->reason = why;
            out->code = mmu_a64_fsc(MMU_FAULT_PERMISSION, e->r.level);
            return -1;
        }
        /* A write through a writable-clean entry: the hardware dirty update
         * needs the descriptor, so walk again (4.4). */
        e->arch = 0;
        e->walk_live = 0;
    }
    int rc = mmu_a64_translate(pm, ctx, va, acc, out);
    if (rc == 0)
        fill(tlb, TLB_A64, canon, out);
    return rc;
}

void mmu_tlb_a64_tlbi(struct mmu_tlb *tlb, enum mmu_tlbi_op op, uint64_t xt, uint64_t tcr)
{
    /* Operand (ArmARM TLBI): VA[55:12] in Xt[43:0], ASID in Xt[63:48]. */
    uint64_t va = a64_canon(MMU_BITS(xt, 43, 0) << 12);
    uint16_t asid = (uint16_t)MMU_BITS(xt, 63, 48);
    uint16_t mask = (tcr & A64_TCR_AS) ? 0xffff : 0xff;
    for (unsigned i = 0; i < tlb->n; i++) {
        struct tlb_entry *e = &tlb->e[i];
        if (e->arch != TLB_A64 && !(e->walk_live && e->filled == TLB_A64))
            continue;
        bool asid_match = (e->asid & mask) == (asid & mask);
        bool drop = false;
        unsigned tables = 0; /* walk-cache bits this operation reaches */
        switch (op) {
        case MMU_TLBI_VMALLE1:
            drop = true;
            tables = e->walk_live;
            break;
        case MMU_TLBI_VAE1:
        case MMU_TLBI_VALE1:
            drop = covers(e, va) && (e->global || asid_match);
            if (op == MMU_TLBI_VAE1 && (e->global || asid_match))
                tables = tables_covering(e, va);
            break;
        case MMU_TLBI_ASIDE1:
            drop = !e->global && asid_match;
            tables = drop ? e->walk_live : 0;
            break;
        case MMU_TLBI_VAAE1:
        case MMU_TLBI_VAALE1:
            drop = covers(e, va);
            if (op == MMU_TLBI_VAAE1)
                tables = tables_covering(e, va);
            break;
        }
        if (drop)
            e->arch = 0;
        e->walk_live &= ~tables;
    }
}

/* ---- RISC-V ------------------------------------------------------------- */

#define RV_SATP_MODE(s) ((unsigned)MMU_BITS(s, 63, 60)) /* KERNEL-FACTS 6 */
#define RV_SATP_ASID(s) ((uint16_t)MMU_BITS(s, 59, 44))
#define RV_PTE_D        MMU_BIT(7) /* KERNEL-FACTS 5.2 */

int mmu_tlb_rv64_translate(struct mmu_tlb *tlb, struct phys_mem *pm, const struct mmu_rv64_ctx *ctx,
                           uint64_t va, enum mmu_access acc, struct mmu_result *out, bool *hit)
{
    if (hit)
        *hit = false;
    if (ctx->priv == MMU_PRIV_M || RV_SATP_MODE(ctx->satp) == 0)
        return mmu_rv64_translate(pm, ctx, va, acc, out);
    struct tlb_entry *e = lookup(tlb, TLB_RV64, va, RV_SATP_ASID(ctx->satp));
    if (e) {
        enum mmu_reason why = mmu_rv64_permission(ctx, e->r.desc, acc);
        bool need_d = why == MMU_R_NONE && acc == MMU_ACC_WRITE && !(e->r.desc & RV_PTE_D);
        if (!need_d) {
            if (hit)
                *hit = true;
            from_entry(e, va, va, out);
            if (tlb->chk)
                mmu_checker_hit(tlb->chk, e, va);
            if (why == MMU_R_NONE)
                return 0;
            out->fault = MMU_FAULT_PAGE;
            out->reason = why;
            out->code = mmu_rv64_cause(MMU_FAULT_PAGE, acc);
            return -1;
        }
        /* A store through an entry with D = 0: D is set (Svadu) or the
         * store faults (Svade) from memory, never from the cache (6). */
        e->arch = 0;
        e->walk_live = 0;
    }
    int rc = mmu_rv64_translate(pm, ctx, va, acc, out);
    if (rc == 0)
        fill(tlb, TLB_RV64, va, out);
    return rc;
}

void mmu_tlb_rv64_sfence_vma(struct mmu_tlb *tlb, bool has_va, uint64_t va, bool has_asid,
                             uint64_t asid)
{
    /* Section 6 "sfence.vma rs1, rs2"; an ASID-scoped fence spares global
     * entries, and a VA no entry covers (e.g. not canonical) is a no-op.
     * With rs1 != x0 only leaf entries are ordered, so walk-cache bits stay. */
    for (unsigned i = 0; i < tlb->n; i++) {
        struct tlb_entry *e = &tlb->e[i];
        if (e->arch != TLB_RV64 && !(e->walk_live && e->filled == TLB_RV64))
            continue;
        if (has_asid && (e->global || e->asid != (uint16_t)asid))
            continue;
        if (!has_va)
            e->walk_live = 0;
        if (has_va && !covers(e, va))
            continue;
        e->arch = 0;
    }
}
