/*
 * walk_a64.c - arm64 VMSAv8-64 stage 1 translation for the EL1&0 regime,
 * 4 KiB granule (KERNEL-FACTS.md section 4).
 *
 * The order of checks follows the architecture's walk: VA range (TxSZ, the
 * top bits, EPDx) and the TTBR base, then per level the descriptor read
 * (external abort on walk), validity and type (translation fault), the
 * table/output address against the output size (address size fault); at
 * the leaf the access flag (access flag fault), then permissions
 * (permission fault), and only for an access that is allowed the hardware
 * AF/dirty update, written back with one phys_store.
 */
#include "mmu/translate_internal.h"

/* Descriptor bits, KERNEL-FACTS 4.1. */
#define D_VALID       MMU_BIT(0)
#define D_TYPE        MMU_BIT(1) /* 1: table (levels 0-2) or page (level 3); 0: block */
#define D_ATTRINDX(d) ((unsigned)MMU_BITS(d, 4, 2))
#define D_AP1         MMU_BIT(6) /* EL0 access */
#define D_AP2         MMU_BIT(7) /* read-only */
#define D_SH(d)       ((unsigned)MMU_BITS(d, 9, 8))
#define D_AF          MMU_BIT(10)
#define D_NG          MMU_BIT(11)
#define D_OA          0x0000fffffffff000ull /* OA [47:12] */
#define D_DBM         MMU_BIT(51)
#define D_CONT        MMU_BIT(52)
#define D_PXN         MMU_BIT(53)
#define D_UXN         MMU_BIT(54)
/* Table descriptor limits, KERNEL-FACTS 4.1 ("Table descriptors"). */
#define T_PXN MMU_BIT(59)
#define T_UXN MMU_BIT(60)
#define T_AP0 MMU_BIT(61) /* APTable[0]: no EL0 access at lower levels */
#define T_AP1 MMU_BIT(62) /* APTable[1]: no write at lower levels */

/* TCR_EL1, KERNEL-FACTS 4.3. */
#define TCR_T0SZ(t) ((unsigned)MMU_BITS(t, 5, 0))
#define TCR_EPD0    MMU_BIT(7)
#define TCR_TG0(t)  ((unsigned)MMU_BITS(t, 15, 14)) /* 00 = 4K */
#define TCR_T1SZ(t) ((unsigned)MMU_BITS(t, 21, 16))
#define TCR_A1      MMU_BIT(22)
#define TCR_EPD1    MMU_BIT(23)
#define TCR_TG1(t)  ((unsigned)MMU_BITS(t, 31, 30)) /* 10 = 4K */
#define TCR_IPS(t)  ((unsigned)MMU_BITS(t, 34, 32))
#define TCR_AS      MMU_BIT(36)
#define TCR_TBI0    MMU_BIT(37)
#define TCR_TBI1    MMU_BIT(38)
#define TCR_HA      MMU_BIT(39)
#define TCR_HD      MMU_BIT(40)

/* SCTLR_EL1.M, and TTBRn_EL1 = ASID [63:48], BADDR [47:1], CnP [0]: ArmARM
 * register descriptions (not listed in KERNEL-FACTS). */
#define SCTLR_M      MMU_BIT(0)
#define TTBR_ASID(t) ((uint16_t)MMU_BITS(t, 63, 48))
#define TTBR_BADDR   0x0000fffffffffffeull

#define GRANULE_SHIFT 12
#define STRIDE        9 /* 512 entries per 4 KiB table */

/* Bytes mapped by one entry at a level: 512G, 1G, 2M, 4K. */
static unsigned level_shift(int level)
{
    return GRANULE_SHIFT + STRIDE * (unsigned)(3 - level);
}

/* The implemented PA size: 0 means 48; 4K without LPA2 gives at most 48. */
static unsigned pa_size(const struct mmu_a64_ctx *ctx)
{
    unsigned pa = ctx->pa_bits;
    return pa == 0 || pa > 48 ? 48 : pa < 32 ? 32 : pa;
}

/* TCR_EL1.IPS, KERNEL-FACTS 4.3; 52 needs 64K or DS, so 4K caps it at 48.
 * The reserved value 111 is treated as the largest. */
static unsigned output_size(const struct mmu_a64_ctx *ctx)
{
    static const unsigned ips_bits[8] = {32, 36, 40, 42, 44, 48, 48, 48};
    unsigned pa = pa_size(ctx);
    unsigned ips = ips_bits[TCR_IPS(ctx->tcr)];
    return ips < pa ? ips : pa;
}

unsigned mmu_a64_fsc(enum mmu_fault fault, int level)
{
    /* DFSC/IFSC, KERNEL-FACTS 2.1 */
    unsigned lvl = (unsigned)level & 3;
    switch (fault) {
    case MMU_FAULT_ADDR_SIZE: return 0x00 + lvl;
    case MMU_FAULT_TRANSLATION: return 0x04 + lvl;
    case MMU_FAULT_ACCESS_FLAG: return 0x08 + lvl;
    case MMU_FAULT_PERMISSION: return 0x0c + lvl;
    case MMU_FAULT_WALK_ABORT: return 0x14 + lvl;
    default: return 0;
    }
}

uint16_t mmu_a64_asid(const struct mmu_a64_ctx *ctx)
{
    /* TCR_EL1.A1 picks the TTBR holding the ASID, AS its width (4.3). */
    uint64_t ttbr = (ctx->tcr & TCR_A1) ? ctx->ttbr1 : ctx->ttbr0;
    uint16_t asid = TTBR_ASID(ttbr);
    return (ctx->tcr & TCR_AS) ? asid : (uint16_t)(asid & 0xff);
}

static int fault(struct mmu_result *out, enum mmu_fault f, enum mmu_reason why, int level)
{
    out->fault = f;
    out->reason = why;
    out->level = level;
    out->code = mmu_a64_fsc(f, level);
    return -1;
}

/*
 * Permissions (KERNEL-FACTS 4.1 AP[2:1] table; PAN, UAO, implied PXN and
 * hierarchical limits as the ArmARM's stage 1 permission rules):
 *   - the leaf's AP[2:1] gives EL1 and EL0 read/write; with TCR_EL1.HD in
 *     effect a DBM = 1 descriptor counts as writable (4.4);
 *   - APTable[0] takes EL0 access away, APTable[1] write access;
 *   - EL1 may not execute what EL0 may write (implied PXN), nor PXN /
 *     PXNTable; EL0 may not execute UXN / UXNTable (read permission is not
 *     needed to execute);
 *   - PAN: EL1 data accesses, other than unprivileged ones, fault on pages
 *     EL0 can read or write.
 */
enum mmu_reason mmu_a64_permission(const struct mmu_a64_ctx *ctx, uint64_t desc, unsigned limits,
                                   enum mmu_access acc, bool *dirty)
{
    bool hd = (ctx->tcr & TCR_HA) && (ctx->tcr & TCR_HD); /* HD needs HA (4.4) */
    bool ap2 = desc & D_AP2, ap1 = desc & D_AP1;
    bool writable_clean = ap2 && hd && (desc & D_DBM);
    if (writable_clean)
        ap2 = false;
    bool ur = ap1, uw = ap1 && !ap2, pw = !ap2;
    if (limits & MMU_TBL_NO_EL0)
        ur = uw = false;
    if (limits & MMU_TBL_RO)
        uw = pw = false;
    bool px = !((desc & D_PXN) || (limits & MMU_TBL_PXN) || uw);
    bool ux = !((desc & D_UXN) || (limits & MMU_TBL_UXN));

    bool el0 = ctx->el == 0 || (ctx->unpriv && !ctx->uao);
    *dirty = false;
    if (acc == MMU_ACC_FETCH) {
        if (!(el0 ? ux : px))
            return MMU_R_XN;
        return MMU_R_NONE;
    }
    if (el0) {
        if (!ur)
            return MMU_R_NO_ACCESS;
        if (acc == MMU_ACC_WRITE && !uw)
            return MMU_R_READ_ONLY;
    } else {
        if (ctx->pan && (ur || uw))
            return MMU_R_PAN;
        if (acc == MMU_ACC_WRITE && !pw)
            return MMU_R_READ_ONLY;
    }
    *dirty = acc == MMU_ACC_WRITE && writable_clean;
    return MMU_R_NONE;
}

/* SCTLR_EL1.M = 0: PA = VA, but bits above the implemented PA size up to
 * the top of the address (bit 55 with TBI for data) must be zero. */
static int translate_flat(const struct mmu_a64_ctx *ctx, uint64_t va, enum mmu_access acc,
                          struct mmu_result *out)
{
    unsigned pa_bits = pa_size(ctx);
    uint64_t tbi = (va >> 55) & 1 ? TCR_TBI1 : TCR_TBI0;
    unsigned top = (acc != MMU_ACC_FETCH && (ctx->tcr & tbi)) ? 55 : 63;
    out->flat = true;
    out->global = true;
    out->size = out->range_size = 1ull << GRANULE_SHIFT;
    if (MMU_BITS(va, top, pa_bits))
        return fault(out, MMU_FAULT_ADDR_SIZE, MMU_R_OA_SIZE, 0);
    out->pa = va & ((1ull << pa_bits) - 1);
    out->range_va = va & ~(out->size - 1);
    out->range_pa = out->pa & ~(out->size - 1);
    /* Data accesses are Device-nGnRnE with stage 1 off; fetches Normal. */
    out->mair_attr = acc == MMU_ACC_FETCH ? 0x44 : 0x00;
    return 0;
}

int mmu_a64_translate(struct phys_mem *pm, const struct mmu_a64_ctx *ctx, uint64_t va,
                      enum mmu_access acc, struct mmu_result *out)
{
    mmu_result_start(out, va);
    if (!(ctx->sctlr & SCTLR_M))
        return translate_flat(ctx, va, acc, out);

    /* Which range: VA bit 55 (4.3 "TTBR selection"). Faults found before
     * the walk starts are reported at level 0, as the ArmARM pseudocode
     * and QEMU do whatever the start level. */
    bool upper = (va >> 55) & 1;
    uint64_t tcr = ctx->tcr;
    if ((upper ? TCR_TG1(tcr) != 2 : TCR_TG0(tcr) != 0))
        return fault(out, MMU_FAULT_TRANSLATION, MMU_R_GRANULE, 0);
    unsigned txsz = upper ? TCR_T1SZ(tcr) : TCR_T0SZ(tcr);
    if (txsz < 16 || txsz > 39) /* IMPLEMENTATION DEFINED: we fault, as QEMU */
        return fault(out, MMU_FAULT_TRANSLATION, MMU_R_TXSZ, 0);
    unsigned inputsize = 64 - txsz;
    /* TBI makes bits 63:56 ignored for data; fetched addresses carry no tag. */
    bool tbi = acc != MMU_ACC_FETCH && (tcr & (upper ? TCR_TBI1 : TCR_TBI0));
    unsigned top = tbi ? 55 : 63;
    uint64_t above = MMU_BITS(va, top, inputsize);
    uint64_t all = MMU_BITS(~0ull, top, inputsize);
    if (above != (upper ? all : 0))
        return fault(out, MMU_FAULT_TRANSLATION, MMU_R_NONCANONICAL, 0);
    if (tcr & (upper ? TCR_EPD1 : TCR_EPD0))
        return fault(out, MMU_FAULT_TRANSLATION, MMU_R_EPD, 0);

    unsigned oasize = output_size(ctx);
    uint64_t ttbr = upper ? ctx->ttbr1 : ctx->ttbr0;
    uint64_t base = ttbr & TTBR_BADDR;
    if (base >> oasize)
        return fault(out, MMU_FAULT_ADDR_SIZE, MMU_R_TTBR_SIZE, 0);
    int level = 4 - (int)(inputsize - 4) / STRIDE;
    /* The start table holds 2^(inputsize - shift) entries, aligned to its
     * size (at least 64 bytes); BADDR bits below that are treated as 0. */
    unsigned index_bits = inputsize - level_shift(level);
    uint64_t align = 8ull << index_bits;
    if (align < 64)
        align = 64;
    base &= ~(align - 1);

    unsigned limits = 0;
    uint64_t desc;
    for (;;) {
        unsigned shift = level_shift(level);
        uint64_t index = (va >> shift) & ((1ull << index_bits) - 1);
        uint64_t dpa = base + index * 8;
        struct mmu_walk_step *st = &out->steps[out->nsteps++];
        st->level = level;
        st->pa = dpa;
        out->desc_pa = dpa;
        enum phys_status ps = mmu_read_desc(pm, ctx->inspect, dpa, &desc, &out->phys);
        if (ps != PHYS_OK) {
            out->phys.status = ps;
            return fault(out, MMU_FAULT_WALK_ABORT, MMU_R_WALK_READ, level);
        }
        st->desc = desc;
        out->desc = desc;
        if (!(desc & D_VALID))
            return fault(out, MMU_FAULT_TRANSLATION, MMU_R_INVALID, level);
        if (level < 3 && (desc & D_TYPE)) {
            uint64_t next = desc & D_OA;
            if (next >> oasize)
                return fault(out, MMU_FAULT_ADDR_SIZE, MMU_R_OA_SIZE, level);
            if (desc & T_AP0)
                limits |= MMU_TBL_NO_EL0;
            if (desc & T_AP1)
                limits |= MMU_TBL_RO;
            if (desc & T_UXN)
                limits |= MMU_TBL_UXN;
            if (desc & T_PXN)
                limits |= MMU_TBL_PXN;
            base = next;
            level++;
            index_bits = STRIDE;
            continue;
        }
        /* 0b01 at level 3 is reserved; blocks exist at levels 1 and 2 (4.2). */
        if (level == 3 ? !(desc & D_TYPE) : level == 0)
            return fault(out, MMU_FAULT_TRANSLATION, MMU_R_RESERVED_TYPE, level);
        break;
    }

    /* The leaf. */
    uint64_t size = 1ull << level_shift(level);
    uint64_t oa = desc & D_OA & ~(size - 1);
    out->level = level;
    out->size = size;
    out->table_limits = limits;
    out->attrindx = D_ATTRINDX(desc);
    out->mair_attr = (uint8_t)(ctx->mair >> (8 * out->attrindx));
    out->sh = D_SH(desc);
    out->global = !(desc & D_NG);
    out->asid = mmu_a64_asid(ctx);
    out->contiguous = desc & D_CONT;
    /* Contiguous: 16 entries, so a 64K / 32M / 16G range (4.2). */
    out->range_size = out->contiguous ? 16 * size : size;
    out->range_va = va & ~(out->range_size - 1);
    out->range_pa = oa & ~(out->range_size - 1);
    if (oa >> oasize)
        return fault(out, MMU_FAULT_ADDR_SIZE, MMU_R_OA_SIZE, level);

    /* Access flag (4.4): with HA = 0 a fault, ahead of permissions. */
    bool ha = tcr & TCR_HA;
    if (!(desc & D_AF) && !ha)
        return fault(out, MMU_FAULT_ACCESS_FLAG, MMU_R_AF, level);
    bool dirty;
    enum mmu_reason why = mmu_a64_permission(ctx, desc, limits, acc, &dirty);
    if (why != MMU_R_NONE)
        return fault(out, MMU_FAULT_PERMISSION, why, level);

    /* Hardware updates (4.4): set AF; a write through DBM clears AP[2]. An
     * inspecting walk reports the translation without making them. */
    uint64_t updated = desc | D_AF;
    if (dirty)
        updated &= ~D_AP2;
    if (updated != desc && !ctx->inspect) {
        out->updated = true;
        out->update_pa = out->desc_pa;
        out->update_old = desc;
        out->update_new = updated;
        enum phys_status ps = phys_store(pm, out->desc_pa, 8, updated, 0, &out->phys);
        if (ps != PHYS_OK) {
            out->phys.status = ps;
            return fault(out, MMU_FAULT_WALK_ABORT, MMU_R_WALK_UPDATE, level);
        }
        out->desc = updated;
    }
    out->pa = oa | (va & (size - 1));
    return 0;
}
