/*
 * walk_rv64.c - RISC-V Sv39 / Sv48 / Sv57 translation from satp, with
 * Svnapot, Svpbmt and either Svade or Svadu (KERNEL-FACTS.md sections 5.2,
 * 5.3 and 6). The numbered steps below are those of the walk algorithm in
 * section 6.
 */
#include "mmu/translate_internal.h"

/* PTE bits, KERNEL-FACTS 5.2. */
#define PTE_V       MMU_BIT(0)
#define PTE_R       MMU_BIT(1)
#define PTE_W       MMU_BIT(2)
#define PTE_X       MMU_BIT(3)
#define PTE_U       MMU_BIT(4)
#define PTE_G       MMU_BIT(5)
#define PTE_A       MMU_BIT(6)
#define PTE_D       MMU_BIT(7)
#define PTE_PPN(p)  MMU_BITS(p, 53, 10)
#define PTE_RSVD(p) MMU_BITS(p, 60, 54)
#define PTE_PBMT(p) ((unsigned)MMU_BITS(p, 62, 61))
#define PTE_N       MMU_BIT(63)

/* satp, KERNEL-FACTS 6. */
#define SATP_MODE(s) ((unsigned)MMU_BITS(s, 63, 60))
#define SATP_ASID(s) ((uint16_t)MMU_BITS(s, 59, 44))
#define SATP_PPN(s)  MMU_BITS(s, 43, 0)
#define SATP_BARE    0
#define SATP_SV39    8
#define SATP_SV48    9
#define SATP_SV57    10

#define PAGE_SHIFT  12
#define VPN_BITS    9
#define NAPOT_SHIFT 4 /* 64 KiB = 16 pages, ppn[0][3:0] = 1000 (5.3) */

unsigned mmu_rv64_cause(enum mmu_fault fault, enum mmu_access acc)
{
    /* scause, KERNEL-FACTS 3.1 */
    if (fault == MMU_FAULT_PAGE)
        return acc == MMU_ACC_FETCH ? 12 : acc == MMU_ACC_READ ? 13 : 15;
    if (fault == MMU_FAULT_ACCESS)
        return acc == MMU_ACC_FETCH ? 1 : acc == MMU_ACC_READ ? 5 : 7;
    return 0;
}

static int fault(struct mmu_result *out, enum mmu_fault f, enum mmu_reason why, int level,
                 enum mmu_access acc)
{
    out->fault = f;
    out->reason = why;
    out->level = level;
    out->code = mmu_rv64_cause(f, acc);
    return -1;
}

/* Steps 6 and 8: the U bit against the privilege, SUM and MXR, then R/W/X
 * (section 6 "SUM/MXR"). */
enum mmu_reason mmu_rv64_permission(const struct mmu_rv64_ctx *ctx, uint64_t pte,
                                    enum mmu_access acc)
{
    if (ctx->priv == MMU_PRIV_U && !(pte & PTE_U))
        return MMU_R_NO_ACCESS;
    if (ctx->priv == MMU_PRIV_S && (pte & PTE_U)) {
        if (acc == MMU_ACC_FETCH)
            return MMU_R_U_EXEC; /* S-mode never executes U pages */
        if (!ctx->sum)
            return MMU_R_SUM;
    }
    switch (acc) {
    case MMU_ACC_FETCH: return (pte & PTE_X) ? MMU_R_NONE : MMU_R_XN;
    case MMU_ACC_READ:
        return ((pte & PTE_R) || (ctx->mxr && (pte & PTE_X))) ? MMU_R_NONE : MMU_R_NO_READ;
    case MMU_ACC_WRITE: return (pte & PTE_W) ? MMU_R_NONE : MMU_R_READ_ONLY;
    }
    return MMU_R_NONE;
}

/* Step 3: encodings that are reserved in any PTE. */
static enum mmu_reason reserved(const struct mmu_rv64_ctx *ctx, uint64_t pte)
{
    if (PTE_RSVD(pte))
        return MMU_R_RESERVED_BITS;
    unsigned pbmt = PTE_PBMT(pte);
    if (pbmt && (!ctx->svpbmt || pbmt == 3)) /* Svpbmt: 3 is reserved */
        return MMU_R_RESERVED_BITS;
    if ((pte & PTE_N) && !ctx->svnapot)
        return MMU_R_RESERVED_BITS;
    if ((pte & PTE_W) && !(pte & PTE_R))
        return MMU_R_W_NO_R;
    return MMU_R_NONE;
}

int mmu_rv64_translate(struct phys_mem *pm, const struct mmu_rv64_ctx *ctx, uint64_t va,
                       enum mmu_access acc, struct mmu_result *out)
{
    mmu_result_start(out, va);
    unsigned mode = SATP_MODE(ctx->satp);
    if (ctx->priv == MMU_PRIV_M || mode == SATP_BARE) {
        out->flat = true;
        out->global = true;
        out->pa = va;
        out->size = out->range_size = 1ull << PAGE_SHIFT;
        out->range_va = va & ~(out->size - 1);
        out->range_pa = out->range_va;
        return 0;
    }
    int levels;
    switch (mode) {
    case SATP_SV39: levels = 3; break;
    case SATP_SV48: levels = 4; break;
    case SATP_SV57: levels = 5; break;
    default: return fault(out, MMU_FAULT_PAGE, MMU_R_SATP_MODE, 0, acc);
    }
    out->asid = SATP_ASID(ctx->satp);

    /* VA bits above the translated ones must copy its top bit (section 6). */
    unsigned vabits = PAGE_SHIFT + VPN_BITS * (unsigned)levels;
    uint64_t above = MMU_BITS(va, 63, vabits - 1);
    if (above != 0 && above != MMU_BITS(~0ull, 63, vabits - 1))
        return fault(out, MMU_FAULT_PAGE, MMU_R_NONCANONICAL, levels - 1, acc);

    /* Step 1. */
    uint64_t a = SATP_PPN(ctx->satp) << PAGE_SHIFT;
    int i = levels - 1;
    bool global = false;
    uint64_t pte;
    for (;;) {
        /* Step 2: a failed PTE read is an access fault of the access type. */
        uint64_t vpn =
            MMU_BITS(va, PAGE_SHIFT + VPN_BITS * i + VPN_BITS - 1, PAGE_SHIFT + VPN_BITS * i);
        uint64_t pte_pa = a + vpn * 8;
        struct mmu_walk_step *st = &out->steps[out->nsteps++];
        st->level = i;
        st->pa = pte_pa;
        out->desc_pa = pte_pa;
        enum phys_status ps = mmu_read_desc(pm, ctx->inspect, pte_pa, &pte, &out->phys);
        if (ps != PHYS_OK) {
            out->phys.status = ps;
            return fault(out, MMU_FAULT_ACCESS, MMU_R_WALK_READ, i, acc);
        }
        st->desc = pte;
        out->desc = pte;
        /* Step 3. */
        if (!(pte & PTE_V))
            return fault(out, MMU_FAULT_PAGE, MMU_R_INVALID, i, acc);
        enum mmu_reason why = reserved(ctx, pte);
        if (why != MMU_R_NONE)
            return fault(out, MMU_FAULT_PAGE, why, i, acc);
        if (pte & PTE_G)
            global = true; /* G in a pointer makes everything below global */
        if (pte & (PTE_R | PTE_X))
            break;
        /* Step 4: a pointer. D, A, U, N and PBMT must be 0 here (the
         * spec reserves them; like Spike we fault). */
        if ((pte & (PTE_A | PTE_D | PTE_U | PTE_N)) || PTE_PBMT(pte))
            return fault(out, MMU_FAULT_PAGE, MMU_R_NONLEAF_BITS, i, acc);
        if (i == 0)
            return fault(out, MMU_FAULT_PAGE, MMU_R_NO_LEAF, i, acc);
        i--;
        a = PTE_PPN(pte) << PAGE_SHIFT;
    }

    /* The leaf at level i. */
    uint64_t ppn = PTE_PPN(pte);
    unsigned lshift = VPN_BITS * (unsigned)i; /* ppn bits supplied by the VA */
    out->level = i;
    out->size = 1ull << (PAGE_SHIFT + lshift);
    out->global = global;
    out->pbmt = PTE_PBMT(pte);
    out->range_size = out->size;
    /* Step 5: misaligned superpage. */
    if (i > 0 && (ppn & ((1ull << lshift) - 1)))
        return fault(out, MMU_FAULT_PAGE, MMU_R_MISALIGNED_SUPERPAGE, i, acc);
    /* Svnapot (5.3): only 64 KiB at level 0 is defined. */
    if (pte & PTE_N) {
        if (i != 0 || (ppn & 0xf) != 0x8)
            return fault(out, MMU_FAULT_PAGE, MMU_R_NAPOT_RESERVED, i, acc);
        out->napot = true;
        out->range_size = 1ull << (PAGE_SHIFT + NAPOT_SHIFT);
        ppn = (ppn & ~0xfull) | MMU_BITS(va, PAGE_SHIFT + NAPOT_SHIFT - 1, PAGE_SHIFT);
    }
    uint64_t pa_page = ((ppn >> lshift) << lshift) << PAGE_SHIFT;
    out->range_va = va & ~(out->range_size - 1);
    out->range_pa = pa_page & ~(out->range_size - 1);

    /* Steps 6 and 8. */
    enum mmu_reason why = mmu_rv64_permission(ctx, pte, acc);
    if (why != MMU_R_NONE)
        return fault(out, MMU_FAULT_PAGE, why, i, acc);

    /* Step 9: A, and D for a store. An inspecting walk reports the
     * translation without making the update. */
    bool need_a = !(pte & PTE_A);
    bool need_d = acc == MMU_ACC_WRITE && !(pte & PTE_D);
    if ((need_a || need_d) && !ctx->adue)
        return fault(out, MMU_FAULT_PAGE, need_a ? MMU_R_A_CLEAR : MMU_R_D_CLEAR, i, acc);
    if ((need_a || need_d) && !ctx->inspect) {
        uint64_t updated = pte | PTE_A | (acc == MMU_ACC_WRITE ? PTE_D : 0);
        out->updated = true;
        out->update_pa = out->desc_pa;
        out->update_old = pte;
        out->update_new = updated;
        enum phys_status ps = phys_store(pm, out->desc_pa, 8, updated, 0, &out->phys);
        if (ps != PHYS_OK) {
            out->phys.status = ps;
            return fault(out, MMU_FAULT_ACCESS, MMU_R_WALK_UPDATE, i, acc);
        }
        out->desc = updated;
    }
    /* Step 10. */
    out->pa = pa_page | (va & (out->size - 1));
    return 0;
}
