/*
 * checker.c - the MMU checker: break-before-make violations, misprogrammed
 * contiguous / NAPOT ranges, and stale use of TLB entries, reported with
 * the descriptor's physical address and the guest PC.
 *
 * How it sees things. Each TLB entry keeps the walk that filled it (the PA
 * and value of every descriptor read, struct mmu_result steps[]) and, for a
 * contiguous / NAPOT range, the PA of its 16-entry group (tlb_internal.h).
 * On a fill the checker marks the pages holding those descriptors
 * PHYS_PAGE_WATCH, so every later guest store to them reaches
 * check_store() through the physical memory's write observer. Descriptors
 * are read back with phys_peek(): checking never consumes poison, never
 * calls a device and never sets AF / A / D.
 *
 * What a descriptor is made of, for the comparisons (diff_a64, diff_rv):
 *   validity   arm64 Valid (0b01 at level 3 and a block at level 0 count as
 *              invalid: the walk faults on them); RISC-V V, with W-without-R
 *              and bits 60:54 counting as invalid (KERNEL-FACTS 4.1, 6).
 *   kind       table, block / superpage, or page (the size of the mapping).
 *   output     arm64 OA[47:12] above the block size, or the next-table
 *   address    address; RISC-V PPN (KERNEL-FACTS 4.1, 5.2).
 *   attributes arm64 AttrIndx and SH; RISC-V PBMT.
 *   contiguity arm64 Contiguous (bit 52); RISC-V N (bit 63).
 *   global     arm64 nG; RISC-V G.
 *   permissions arm64 AP[2:1], DBM (Linux's PTE_WRITE), PXN, UXN, GP, and
 *              APTable / PXNTable / UXNTable in tables; RISC-V R, W, X, U.
 *   ignored    arm64 AF, AP[2] when DBM is set in both values (writable-clean
 *              versus dirty: dirty state, 4.4), NS, nT, the software bits
 *              55-58 and PBHA 59-62; RISC-V A, D and RSW. The hardware
 *              updates these, or ignores them.
 *
 * (a) MMU_CHECK_BBM, on a store. KERNEL-FACTS 4.5: a live entry's output
 *     address, memory type / shareability, block size (table <-> block) or
 *     Contiguous bit may only change by writing an invalid entry, a TLBI
 *     covering the VA, then the new entry; Svnapot (5.3) asks the same of
 *     NAPOT PTEs (invalidate, SFENCE.VMA, rewrite). So when a store puts a
 *     valid value in a descriptor that a TLB entry still depends on, and the
 *     value differs from the one the entry holds in kind, output address,
 *     attributes, Contiguous / N or nG / G, it is reported. An entry depends
 *     on every descriptor of its walk while its leaf is cached, on each of
 *     the 16 descriptors of its group if it is a range (the value expected
 *     in slot j is the walked leaf with its output address moved by j
 *     pages; NAPOT PTEs are all alike), and on a table descriptor for as
 *     long as a walk cache may hold it: a last-level invalidation (TLBI
 *     VALE1 / VAALE1, SFENCE.VMA with rs1 != x0) drops the leaf but not the
 *     tables (tlb.c walk_live). Nothing is compared at the invalid store of
 *     the break: the entry stays until an invalidation removes it, so "write
 *     0, forget the TLBI, write the new value" is reported at the last
 *     store and "write 0, TLBI VAE1, write" is not. Changes to permissions,
 *     AF or dirty state need no BBM (4.5 lists what does); if a stale entry
 *     is then used, (c) says so. nG / G is included because a changed nG
 *     leaves a global and a non-global entry for one VA.
 * (b) MMU_CHECK_CONTIG, on a fill through a contiguous / NAPOT leaf
 *     (KERNEL-FACTS 4.5 "software rules", 5.3 "consistency", 8 contpte).
 *     The 16 descriptors of the group are peeked and each is compared with
 *     what it must hold to agree with the leaf the walk used: valid, same
 *     kind, output address continuing the leaf's by one page (block) per
 *     slot, same attributes and permissions, Contiguous / N set; AF and
 *     dirty state may differ (hardware updates scatter them, 4.4 and 8).
 *     For arm64 the group's first output address must also be aligned to
 *     the range (64 KiB, or 32 MiB for level-2 blocks); a NAPOT PTE carries
 *     its alignment in ppn[3:0] = 1000, and a slot with another pattern
 *     shows as an output address that disagrees. One report per disagreeing
 *     slot, plus one for a misaligned group (pte_pa = its first descriptor).
 * (c) MMU_CHECK_STALE, on a TLB hit. The descriptors the entry came from
 *     are peeked - the tables of its walk, then the leaf, or for a range the
 *     descriptor of the VA's own slot - and the first that now differs in
 *     validity, kind, output address, attributes, contiguity, global or
 *     permissions (not AF or dirty state) is reported with the VA looked
 *     up. This is the use the architecture makes of a stale entry (4.5:
 *     "use of either translation"; 6: the translation cache may hold old
 *     entries). Once per entry and current value.
 *
 * Reports are deduplicated on (kind, pte_pa, cached, current) and capped
 * at MMU_CHECK_MAX_REPORTS (the rest counted). The text carries the PC
 * (", at PC 0x...") when mmu_checker_set_pc() gave a way to ask for it.
 *
 * Limits: only guest stores are seen (PHYS_INIT placement and snapshot
 * restore are not); one PE, so no other CPU's TLB; a descriptor written in
 * two halves is judged after each half.
 */
#include "mmu/tlb_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mmu_checker {
    struct phys_mem *pm;
    struct mmu_tlb *tlb;
    enum tlb_arch arch;
    uint64_t (*pc)(void *ctx);
    void *pc_ctx;

    struct mmu_check_report *reports;
    size_t count, cap, dropped;

    uint64_t *watched; /* pages this checker marked PHYS_PAGE_WATCH */
    size_t nwatched, watched_cap;
};

/* ---- descriptor fields -------------------------------------------------- */

/* What differs between two descriptors. */
#define DF_VALID  (1u << 0)
#define DF_KIND   (1u << 1)
#define DF_OA     (1u << 2)
#define DF_ATTR   (1u << 3)
#define DF_CONT   (1u << 4)
#define DF_GLOBAL (1u << 5)
#define DF_PERM   (1u << 6)
/* What needs break-before-make (4.5); what a use of a stale entry notices. */
#define DF_BBM (DF_KIND | DF_OA | DF_ATTR | DF_CONT | DF_GLOBAL)
#define DF_USE (DF_BBM | DF_VALID | DF_PERM)

enum desc_kind { K_INVALID, K_TABLE, K_BLOCK, K_PAGE };

/* arm64 descriptor bits, KERNEL-FACTS 4.1. */
#define A_VALID   MMU_BIT(0)
#define A_TYPE    MMU_BIT(1)
#define A_ATTR    (0x7ull << 2) /* AttrIndx[2:0] */
#define A_AP1     MMU_BIT(6)
#define A_AP2     MMU_BIT(7)
#define A_SH      (0x3ull << 8)
#define A_NG      MMU_BIT(11)
#define A_OA      0x0000fffffffff000ull
#define A_GP      MMU_BIT(50)
#define A_DBM     MMU_BIT(51)
#define A_CONT    MMU_BIT(52)
#define A_PXN     MMU_BIT(53)
#define A_UXN     MMU_BIT(54)
#define A_T_LIMIT (0xfull << 59) /* PXNTable, UXNTable, APTable[1:0] */

/* RISC-V PTE bits, KERNEL-FACTS 5.2. */
#define R_V    MMU_BIT(0)
#define R_R    MMU_BIT(1)
#define R_W    MMU_BIT(2)
#define R_X    MMU_BIT(3)
#define R_U    MMU_BIT(4)
#define R_G    MMU_BIT(5)
#define R_PPN  (((1ull << 44) - 1) << 10)
#define R_RSVD (0x7full << 54)
#define R_PBMT (0x3ull << 61)
#define R_N    MMU_BIT(63)

/* Bytes one descriptor maps at a level: arm64 levels count down to 3,
 * RISC-V ones down to 0 (4.2, 6). */
static uint64_t level_size(enum tlb_arch arch, int level)
{
    unsigned shift = arch == TLB_A64 ? 12 + 9 * (unsigned)(3 - level) : 12 + 9 * (unsigned)level;
    return 1ull << shift;
}

static enum desc_kind a64_kind(uint64_t d, int level)
{
    if (!(d & A_VALID))
        return K_INVALID;
    if (level == 3)
        return (d & A_TYPE) ? K_PAGE : K_INVALID; /* 0b01 at level 3: reserved */
    if (d & A_TYPE)
        return K_TABLE;
    return level == 0 ? K_INVALID : K_BLOCK;
}

static enum desc_kind rv_kind(uint64_t d, int level)
{
    if (!(d & R_V) || ((d & R_W) && !(d & R_R)) || (d & R_RSVD))
        return K_INVALID;
    if (d & (R_R | R_X))
        return level ? K_BLOCK : K_PAGE;
    return level ? K_TABLE : K_INVALID;
}

static enum desc_kind kind_of(enum tlb_arch arch, uint64_t d, int level)
{
    return arch == TLB_A64 ? a64_kind(d, level) : rv_kind(d, level);
}

static unsigned diff_a64(uint64_t a, uint64_t b, int level)
{
    enum desc_kind ka = a64_kind(a, level), kb = a64_kind(b, level);
    if (ka == K_INVALID || kb == K_INVALID)
        return ka != kb ? DF_VALID : 0;
    if (ka != kb)
        return DF_KIND;
    uint64_t x = a ^ b;
    unsigned df = 0;
    if (ka == K_TABLE) {
        df |= (x & A_OA) ? DF_OA : 0;
        df |= (x & A_T_LIMIT) ? DF_PERM : 0;
        return df;
    }
    df |= (x & A_OA & ~(level_size(TLB_A64, level) - 1)) ? DF_OA : 0;
    df |= (x & (A_ATTR | A_SH)) ? DF_ATTR : 0;
    df |= (x & A_CONT) ? DF_CONT : 0;
    df |= (x & A_NG) ? DF_GLOBAL : 0;
    df |= (x & (A_AP1 | A_DBM | A_PXN | A_UXN | A_GP)) ? DF_PERM : 0;
    /* AP[2] with DBM set in both is writable-clean vs dirty (4.4). */
    if ((x & A_AP2) && !((a & A_DBM) && (b & A_DBM)))
        df |= DF_PERM;
    return df;
}

static unsigned diff_rv(uint64_t a, uint64_t b, int level)
{
    enum desc_kind ka = rv_kind(a, level), kb = rv_kind(b, level);
    if (ka == K_INVALID || kb == K_INVALID)
        return ka != kb ? DF_VALID : 0;
    if (ka != kb)
        return DF_KIND;
    uint64_t x = a ^ b;
    unsigned df = 0;
    df |= (x & R_PPN) ? DF_OA : 0;
    df |= (x & R_G) ? DF_GLOBAL : 0;
    if (ka == K_TABLE)
        return df; /* A, D, U, N, PBMT are reserved in pointers (6) */
    df |= (x & R_PBMT) ? DF_ATTR : 0;
    df |= (x & R_N) ? DF_CONT : 0;
    df |= (x & (R_R | R_W | R_X | R_U)) ? DF_PERM : 0;
    return df;
}

static unsigned diff(enum tlb_arch arch, uint64_t a, uint64_t b, int level)
{
    return arch == TLB_A64 ? diff_a64(a, b, level) : diff_rv(a, b, level);
}

/* "output address, attributes" for the differences in df. */
static void diff_names(enum tlb_arch arch, unsigned df, char *buf, size_t len)
{
    static const char *const a64[] = {"validity",    "block/table/page", "output address",
                                      "AttrIndx/SH", "Contiguous bit",   "nG",
                                      "permissions"};
    static const char *const rv[] = {
        "validity",   "superpage/pointer/page", "output address", "PBMT", "N bit", "G",
        "permissions"};
    const char *const *names = arch == TLB_A64 ? a64 : rv;
    size_t at = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < 7; i++)
        if (df & (1u << i)) {
            int n = snprintf(buf + at, len - at, "%s%s", at ? ", " : "", names[i]);
            if (n < 0 || (size_t)n >= len - at)
                return;
            at += (size_t)n;
        }
}

/* ---- the entry's view of its descriptors -------------------------------- */

static bool is_range(const struct tlb_entry *e)
{
    return e->r.contiguous || e->r.napot;
}

static unsigned leaf_slot(const struct tlb_entry *e)
{
    return (unsigned)((e->r.desc_pa - e->group_pa) / 8);
}

/* What slot j of a range entry's group holds if it agrees with the leaf the
 * walk used: arm64 moves the output address by one page / block per slot
 * (4.5); NAPOT PTEs are all alike (5.3, Linux writes one value 16 times). */
static uint64_t slot_expect(const struct tlb_entry *e, unsigned j)
{
    uint64_t leaf = e->r.desc;
    if (e->filled != TLB_A64)
        return leaf;
    uint64_t mask = A_OA & ~(e->r.size - 1);
    uint64_t oa = (leaf & mask) + ((uint64_t)j - leaf_slot(e)) * e->r.size;
    return (leaf & ~mask) | (oa & mask);
}

/* arm64: the output address of the group's first slot, as the leaf implies. */
static uint64_t group_oa(const struct tlb_entry *e)
{
    return (uint64_t)(e->r.desc & A_OA & ~(e->r.size - 1)) - leaf_slot(e) * e->r.size;
}

/* ---- reports ------------------------------------------------------------ */

const char *mmu_check_kind_name(enum mmu_check_kind kind)
{
    switch (kind) {
    case MMU_CHECK_BBM: return "break-before-make";
    case MMU_CHECK_CONTIG: return "misprogrammed range";
    case MMU_CHECK_STALE: return "stale TLB use";
    }
    return "?";
}

static void report(struct mmu_checker *chk, const struct mmu_check_report *r)
{
    for (size_t i = 0; i < chk->count; i++) {
        const struct mmu_check_report *o = &chk->reports[i];
        if (o->kind == r->kind && o->pte_pa == r->pte_pa && o->cached == r->cached &&
            o->current == r->current)
            return;
    }
    if (chk->count == MMU_CHECK_MAX_REPORTS) {
        chk->dropped++;
        return;
    }
    if (chk->count == chk->cap) {
        size_t cap = chk->cap ? chk->cap * 2 : 16;
        struct mmu_check_report *grown = realloc(chk->reports, cap * sizeof(*grown));
        if (!grown) {
            chk->dropped++;
            return;
        }
        chk->reports = grown;
        chk->cap = cap;
    }
    chk->reports[chk->count++] = *r;
}

/* Fill the common fields; the caller writes text and calls report(). */
static void start(struct mmu_checker *chk, struct mmu_check_report *r, enum mmu_check_kind kind,
                  const struct tlb_entry *e, uint64_t va, uint64_t pte_pa, int level,
                  uint64_t cached, uint64_t current)
{
    memset(r, 0, sizeof(*r));
    r->kind = kind;
    r->pc = chk->pc ? chk->pc(chk->pc_ctx) : 0;
    r->va = va;
    r->pte_pa = pte_pa;
    r->cached = cached;
    r->current = current;
    r->global = e->global;
    r->asid = e->global ? 0 : e->asid;
    r->level = level;
}

/* End the text with ", at PC 0x..." when a pc callback is set. */
static void finish(const struct mmu_checker *chk, struct mmu_check_report *r, int n)
{
    if (n < 0 || (size_t)n >= sizeof(r->text))
        return;
    size_t at = (size_t)n;
    if (chk->pc)
        snprintf(r->text + at, sizeof(r->text) - at, ", at PC 0x%" PRIx64, r->pc);
}

/* "ASID 1", or "(global)" for a global entry. */
static const char *who(const struct mmu_check_report *r, char *buf, size_t len)
{
    if (r->global)
        snprintf(buf, len, "(global)");
    else
        snprintf(buf, len, "ASID %u", r->asid);
    return buf;
}

static const char *what(enum tlb_arch arch, bool leaf)
{
    if (leaf)
        return "PTE";
    return arch == TLB_A64 ? "table descriptor" : "non-leaf PTE";
}

/* ---- (a) stores --------------------------------------------------------- */

static void check_bbm(struct mmu_checker *chk, const struct tlb_entry *e, uint64_t pte_pa,
                      int level, bool leaf, uint64_t cached, uint64_t value, uint64_t va)
{
    if (kind_of(e->filled, value, level) == K_INVALID)
        return; /* the break: the entry stays until invalidated */
    unsigned df = diff(e->filled, cached, value, level) & DF_BBM;
    if (!df)
        return;
    struct mmu_check_report r;
    char names[96], tag[24];
    start(chk, &r, MMU_CHECK_BBM, e, va, pte_pa, level, cached, value);
    diff_names(e->filled, df, names, sizeof(names));
    int n = snprintf(r.text, sizeof(r.text),
                     "break-before-make: %s at PA 0x%" PRIx64 " changed 0x%" PRIx64 " -> 0x%" PRIx64
                     " (%s) while the TLB holds VA 0x%" PRIx64 " %s",
                     what(e->filled, leaf), pte_pa, cached, value, names, va,
                     who(&r, tag, sizeof(tag)));
    finish(chk, &r, n);
    report(chk, &r);
}

/* A guest store left value in the descriptor at pa (8-byte aligned). */
static void check_store(struct mmu_checker *chk, uint64_t pa, uint64_t value)
{
    struct mmu_tlb *tlb = chk->tlb;
    for (unsigned i = 0; i < tlb->n; i++) {
        const struct tlb_entry *e = &tlb->e[i];
        bool live = e->arch != 0;
        if (e->filled != chk->arch || (!live && !e->walk_live))
            continue;
        const struct mmu_result *w = &e->r;
        if (live && is_range(e) && pa - e->group_pa < TLB_GROUP_ENTRIES * 8) {
            unsigned j = (unsigned)((pa - e->group_pa) / 8);
            check_bbm(chk, e, pa, w->level, true, slot_expect(e, j), value, e->va + j * w->size);
        } else if (live && pa == w->desc_pa) {
            check_bbm(chk, e, pa, w->level, true, w->desc, value, e->va);
        }
        for (unsigned s = 0; s + 1 < w->nsteps; s++)
            if (w->steps[s].pa == pa && (live || (e->walk_live & (1u << s))))
                check_bbm(chk, e, pa, w->steps[s].level, false, w->steps[s].desc, value, e->va);
    }
}

/* The write observer: every descriptor slot the write changed. */
static void observe(void *ctx, uint64_t pa, size_t len, const uint8_t *old_bytes,
                    const uint8_t *new_bytes)
{
    struct mmu_checker *chk = ctx;
    (void)new_bytes;
    for (uint64_t slot = pa & ~7ull; slot < pa + len; slot += 8) {
        uint64_t now;
        if (phys_peek(chk->pm, slot, 8, &now) != PHYS_OK)
            continue;
        uint64_t before = now;
        for (unsigned b = 0; b < 8; b++) {
            uint64_t at = slot + b;
            if (at >= pa && at < pa + len) {
                before &= ~(0xffull << (8 * b));
                before |= (uint64_t)old_bytes[at - pa] << (8 * b);
            }
        }
        if (before != now)
            check_store(chk, slot, now);
    }
}

/* ---- (b) fills ---------------------------------------------------------- */

static void watch(struct mmu_checker *chk, uint64_t pa)
{
    uint64_t page = pa & ~PHYS_PAGE_MASK;
    if (phys_page_flags(chk->pm, page) & PHYS_PAGE_WATCH)
        return; /* already: do not move phys_generation() again */
    if (chk->nwatched == chk->watched_cap) {
        size_t cap = chk->watched_cap ? chk->watched_cap * 2 : 16;
        uint64_t *grown = realloc(chk->watched, cap * sizeof(*grown));
        if (!grown)
            return;
        chk->watched = grown;
        chk->watched_cap = cap;
    }
    chk->watched[chk->nwatched++] = page;
    phys_page_set_flags(chk->pm, page, PHYS_PAGE_WATCH);
}

static void contig_report(struct mmu_checker *chk, const struct tlb_entry *e, uint64_t pte_pa,
                          unsigned j, uint64_t expect, uint64_t value, unsigned df)
{
    const struct mmu_result *w = &e->r;
    const char *range = e->filled == TLB_A64 ? "contiguous range" : "NAPOT range";
    struct mmu_check_report r;
    char names[96];
    start(chk, &r, MMU_CHECK_CONTIG, e, e->va + j * w->size, pte_pa, w->level, expect, value);
    int n;
    if (!df) {
        n = snprintf(r.text, sizeof(r.text),
                     "misprogrammed %s: output address 0x%" PRIx64 " of the group at PA 0x%" PRIx64
                     " (VA 0x%" PRIx64 ") not aligned to 0x%" PRIx64,
                     range, group_oa(e), pte_pa, e->va, e->size);
    } else {
        diff_names(e->filled, df, names, sizeof(names));
        n = snprintf(r.text, sizeof(r.text),
                     "misprogrammed %s: PTE at PA 0x%" PRIx64 " (entry %u of 16) is 0x%" PRIx64
                     ", the PTE at PA 0x%" PRIx64 " used for VA 0x%" PRIx64 " implies 0x%" PRIx64
                     " (%s)",
                     range, pte_pa, j, value, w->desc_pa, w->va, expect, names);
    }
    finish(chk, &r, n);
    report(chk, &r);
}

/* The 16 descriptors of a range the walk just used (KERNEL-FACTS 4.5, 5.3). */
static void check_group(struct mmu_checker *chk, const struct tlb_entry *e)
{
    const struct mmu_result *w = &e->r;
    if (e->filled == TLB_A64) {
        if (group_oa(e) & (e->size - 1)) {
            uint64_t v = 0;
            phys_peek(chk->pm, e->group_pa, 8, &v);
            contig_report(chk, e, e->group_pa, 0, slot_expect(e, 0), v, 0);
        }
    }
    for (unsigned j = 0; j < TLB_GROUP_ENTRIES; j++) {
        if (j == leaf_slot(e))
            continue;
        uint64_t pa = e->group_pa + 8 * j, v;
        if (phys_peek(chk->pm, pa, 8, &v) != PHYS_OK)
            continue;
        uint64_t expect = slot_expect(e, j);
        unsigned df = diff(e->filled, expect, v, w->level) & DF_USE;
        if (df)
            contig_report(chk, e, pa, j, expect, v, df);
    }
}

static void adopt(struct mmu_checker *chk, struct tlb_entry *e)
{
    for (unsigned s = 0; s < e->r.nsteps; s++)
        watch(chk, e->r.steps[s].pa);
    if (is_range(e))
        check_group(chk, e);
}

void mmu_checker_fill(struct mmu_checker *chk, struct tlb_entry *e)
{
    if (e->filled == chk->arch)
        adopt(chk, e);
}

/* ---- (c) hits ----------------------------------------------------------- */

void mmu_checker_hit(struct mmu_checker *chk, struct tlb_entry *e, uint64_t va)
{
    if (e->filled != chk->arch)
        return;
    const struct mmu_result *w = &e->r;
    uint64_t pa = w->desc_pa, cached = w->desc, now = 0;
    int level = w->level;
    bool leaf = true;
    unsigned df = 0;
    for (unsigned s = 0; s + 1 < w->nsteps && !df; s++) {
        if (phys_peek(chk->pm, w->steps[s].pa, 8, &now) != PHYS_OK)
            continue;
        df = diff(e->filled, w->steps[s].desc, now, w->steps[s].level) & DF_USE;
        if (df) {
            pa = w->steps[s].pa;
            cached = w->steps[s].desc;
            level = w->steps[s].level;
            leaf = false;
        }
    }
    if (!df) {
        if (is_range(e)) {
            unsigned j = (unsigned)((va - e->va) / w->size);
            pa = e->group_pa + 8 * j;
            cached = slot_expect(e, j);
        }
        if (phys_peek(chk->pm, pa, 8, &now) != PHYS_OK)
            return;
        df = diff(e->filled, cached, now, level) & DF_USE;
    }
    if (!df || (e->stale_seen && e->stale_pa == pa && e->stale_val == now))
        return;
    e->stale_seen = true;
    e->stale_pa = pa;
    e->stale_val = now;
    struct mmu_check_report r;
    char names[96], tag[24];
    start(chk, &r, MMU_CHECK_STALE, e, va, pa, level, cached, now);
    diff_names(e->filled, df, names, sizeof(names));
    int n = snprintf(r.text, sizeof(r.text),
                     "stale TLB use: VA 0x%" PRIx64 " %s translated by a TLB entry whose %s at PA "
                     "0x%" PRIx64 " changed 0x%" PRIx64 " -> 0x%" PRIx64 " (%s)",
                     va, who(&r, tag, sizeof(tag)), what(e->filled, leaf), pa, cached, now, names);
    finish(chk, &r, n);
    report(chk, &r);
}

/* ---- life ---------------------------------------------------------------- */

struct mmu_checker *mmu_checker_new(struct phys_mem *pm, struct mmu_tlb *tlb, bool arm64)
{
    struct mmu_checker *chk = calloc(1, sizeof(*chk));
    if (!chk)
        return NULL;
    chk->pm = pm;
    chk->tlb = tlb;
    chk->arch = arm64 ? TLB_A64 : TLB_RV64;
    mmu_tlb_set_checker(tlb, chk);
    phys_set_write_observer(pm, observe, chk);
    /* Entries filled before: watch their tables; walk caches may hold
     * every table descriptor of a live entry. */
    for (unsigned i = 0; i < tlb->n; i++) {
        struct tlb_entry *e = &tlb->e[i];
        if (e->arch && e->filled == chk->arch) {
            e->walk_live = e->r.nsteps ? (1u << (e->r.nsteps - 1)) - 1 : 0;
            adopt(chk, e);
        }
    }
    return chk;
}

void mmu_checker_free(struct mmu_checker *chk)
{
    if (!chk)
        return;
    mmu_tlb_set_checker(chk->tlb, NULL);
    phys_set_write_observer(chk->pm, NULL, NULL);
    for (size_t i = 0; i < chk->nwatched; i++)
        phys_page_clear_flags(chk->pm, chk->watched[i], PHYS_PAGE_WATCH);
    free(chk->watched);
    free(chk->reports);
    free(chk);
}

void mmu_checker_set_pc(struct mmu_checker *chk, uint64_t (*pc)(void *ctx), void *ctx)
{
    chk->pc = pc;
    chk->pc_ctx = ctx;
}

size_t mmu_checker_count(const struct mmu_checker *chk)
{
    return chk->count;
}

const struct mmu_check_report *mmu_checker_get(const struct mmu_checker *chk, size_t i)
{
    return i < chk->count ? &chk->reports[i] : NULL;
}

size_t mmu_checker_dropped(const struct mmu_checker *chk)
{
    return chk->dropped;
}

void mmu_checker_clear(struct mmu_checker *chk)
{
    chk->count = 0;
    chk->dropped = 0;
    for (unsigned i = 0; i < chk->tlb->n; i++)
        chk->tlb->e[i].stale_seen = false;
}
