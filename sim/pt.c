/*
 * pt.c - page-table inspection: translate one VA showing every entry read,
 * and enumerate a whole tree as runs of mappings (`rasim pt walk|dump|diff`).
 *
 * Walks use the MMU's own walkers, configured as an EL1 / S-mode access
 * with hardware A/D updates off, inspecting (tables read as the host: no
 * RAS consumption), so looking never changes memory or the error log.
 * Enumeration reads tables as the host (PHYS_INIT) too.
 */
#include "sim/machine.h"
#include "mmu/translate.h"

#include <stdio.h>
#include <string.h>

/* A tree that points its tables at each other can make enumeration
 * exponential; past this many entries it is refused. */
#define PT_MAX_ENTRIES (16u << 20)

#define A64_OA_MASK 0x0000fffffffff000ull /* KERNEL-FACTS 4.1: OA[47:12] */
#define RV_PPN_MASK 0x003ffffffffffc00ull /* KERNEL-FACTS 5.2: PPN[53:10] */

static int layout_of(rasim_machine *m, const struct rasim_pt *pt, enum pte_layout *out)
{
    const char *name = pt->layout ? pt->layout : "linux-6.12";
    bool v61 = !strcmp(name, "linux-6.1"), v612 = !strcmp(name, "linux-6.12");
    if (!v61 && !v612)
        return sim_fail(m, "unknown page-table layout '%s' (expected linux-6.1 or linux-6.12)",
                        name);
    if (m->arch->arch == RASIM_ARCH_AARCH64)
        *out = v61 ? PTE_ARM64_6_1 : PTE_ARM64_6_12;
    else
        *out = v61 ? PTE_RISCV_6_1 : PTE_RISCV_6_12;
    return 0;
}

static int check_config(rasim_machine *m, const struct rasim_pt *pt)
{
    if (m->arch->arch == RASIM_ARCH_AARCH64) {
        if (pt->va_bits != 39 && pt->va_bits != 48)
            return sim_fail(m, "arm64 page tables: --va-bits must be 39 or 48, not %u",
                            pt->va_bits);
        if (!pt->root && !pt->root1)
            return sim_fail(m, "no root table given");
    } else {
        if (pt->va_bits != 39 && pt->va_bits != 48 && pt->va_bits != 57)
            return sim_fail(m, "rv64 page tables: the mode must be sv39, sv48 or sv57");
        if (!pt->root)
            return sim_fail(m, "no root table given");
    }
    if ((pt->root | pt->root1) & 0xfff)
        return sim_fail(m, "root tables must be 4 KiB aligned (0x%llx, 0x%llx)",
                        (unsigned long long)pt->root, (unsigned long long)pt->root1);
    return 0;
}

/* ---- walk -------------------------------------------------------------- */

/* The kernel's level numbering (0 = PTE) for a walker level. */
static unsigned kernel_level(const rasim_machine *m, int level)
{
    return m->arch->arch == RASIM_ARCH_AARCH64 ? (unsigned)(3 - level) : (unsigned)level;
}

int rasim_pt_walk(rasim_machine *m, const struct rasim_pt *pt, uint64_t va,
                  enum rasim_pt_access access, struct rasim_pt_walk *out)
{
    enum pte_layout layout;
    if (check_config(m, pt) < 0 || layout_of(m, pt, &layout) < 0)
        return -1;
    enum mmu_access acc = access == RASIM_PT_WRITE   ? MMU_ACC_WRITE
                          : access == RASIM_PT_FETCH ? MMU_ACC_FETCH
                                                     : MMU_ACC_READ;
    struct mmu_result r;
    int rc;
    if (m->arch->arch == RASIM_ARCH_AARCH64) {
        /* TCR_EL1 (KERNEL-FACTS 4.3): TxSZ, EPDx for a missing root, TG1 =
         * 0b10 (4 KiB), IPS = 0b101 (48 bits), 16-bit ASIDs; HA = HD = 0. */
        uint64_t txsz = 64 - pt->va_bits;
        uint64_t tcr = txsz | (pt->root ? 0 : 1ull << 7) | txsz << 16 |
                       (pt->root1 ? 0 : 1ull << 23) | 2ull << 30 | 5ull << 32 | 1ull << 36;
        struct mmu_a64_ctx ctx = {.sctlr = 1,
                                  .tcr = tcr,
                                  .ttbr0 = pt->root,
                                  .ttbr1 = pt->root1,
                                  .el = 1,
                                  .inspect = true};
        rc = mmu_a64_translate(m->pm, &ctx, va, acc, &r);
    } else {
        /* satp (KERNEL-FACTS 6): MODE 8/9/10 = Sv39/48/57, PPN of the root. */
        uint64_t mode = pt->va_bits == 39 ? 8 : pt->va_bits == 48 ? 9 : 10;
        struct mmu_rv64_ctx ctx = {.satp = mode << 60 | pt->root >> 12,
                                   .priv = MMU_PRIV_S,
                                   .sum = true,
                                   .svnapot = true,
                                   .svpbmt = true,
                                   .inspect = true};
        rc = mmu_rv64_translate(m->pm, &ctx, va, acc, &r);
    }
    memset(out, 0, sizeof(*out));
    out->nsteps = r.nsteps;
    for (unsigned i = 0; i < r.nsteps && i < 5; i++) {
        struct rasim_pt_step *s = &out->steps[i];
        s->level = r.steps[i].level;
        s->entry_pa = r.steps[i].pa;
        s->raw = r.steps[i].desc;
        pte_format_level(layout, kernel_level(m, s->level), s->raw, s->text, sizeof(s->text));
    }
    out->ok = rc == 0;
    out->level = r.level;
    out->code = r.code;
    if (out->ok) {
        out->pa = r.pa;
        out->size = r.range_size ? r.range_size : r.size;
        pte_format_level(layout, kernel_level(m, r.level), r.desc, out->attrs,
                         sizeof(out->attrs));
    } else {
        out->fault = mmu_fault_word(r.fault);
    }
    return 0;
}

/* ---- the TLB ------------------------------------------------------------- */

struct tlb_list {
    rasim_machine *m;
    void (*fn)(void *ctx, const struct rasim_tlb_entry *entry);
    void *ctx;
};

static void tlb_one(void *ctx, uint64_t va, const struct mmu_result *r)
{
    const struct tlb_list *l = ctx;
    /* A TLB holds valid leaves only, which both kernel layouts encode alike. */
    enum pte_layout layout =
        l->m->arch->arch == RASIM_ARCH_AARCH64 ? PTE_ARM64_6_12 : PTE_RISCV_6_12;
    struct rasim_tlb_entry e = {.va = va,
                                .size = r->range_size ? r->range_size : r->size,
                                .pa = r->range_pa,
                                .asid = r->asid,
                                .global = r->global,
                                .level = r->level,
                                .pte = r->desc,
                                .pte_pa = r->desc_pa};
    pte_format_level(layout, kernel_level(l->m, r->level), r->desc, e.text, sizeof(e.text));
    l->fn(l->ctx, &e);
}

int rasim_tlb_entries(rasim_machine *m, void (*fn)(void *ctx, const struct rasim_tlb_entry *entry),
                      void *ctx)
{
    struct mmu_tlb *tlb = m->arch->tlb ? m->arch->tlb(m->cpu) : NULL;
    if (!tlb)
        return sim_fail(m, "%s: no TLB on this architecture yet", rasim_arch_name(m->arch->arch));
    struct tlb_list l = {m, fn, ctx};
    mmu_tlb_for_each(tlb, tlb_one, &l);
    return 0;
}

/* ---- a debugger's translation ------------------------------------------ */

static uint64_t reg(rasim_machine *m, const char *name)
{
    uint64_t v = 0;
    rasim_get_reg(m, name, &v);
    return v;
}

int rasim_debug_translate(rasim_machine *m, uint64_t va, uint64_t *pa)
{
    struct mmu_result r;
    int rc;
    if (m->arch->arch == RASIM_ARCH_AARCH64) {
        /* As EL1 without PAN, and with TCR_EL1.HA so a clear access flag
         * does not hide the mapping (an inspecting walk updates nothing). */
        struct mmu_a64_ctx ctx = {.sctlr = reg(m, "sctlr_el1"),
                                  .tcr = reg(m, "tcr_el1") | 1ull << 39,
                                  .ttbr0 = reg(m, "ttbr0_el1"),
                                  .ttbr1 = reg(m, "ttbr1_el1"),
                                  .el = 1,
                                  .inspect = true};
        rc = mmu_a64_translate(m->pm, &ctx, va, MMU_ACC_READ, &r);
    } else {
        if (reg(m, "priv") == 3) {
            *pa = va; /* M-mode: no translation */
            return 0;
        }
        /* As S-mode with SUM and MXR, and Svadu so clear A/D bits do not
         * hide the mapping (an inspecting walk updates nothing). */
        struct mmu_rv64_ctx ctx = {.satp = reg(m, "satp"),
                                   .priv = MMU_PRIV_S,
                                   .sum = true,
                                   .mxr = true,
                                   .adue = true,
                                   .svnapot = true,
                                   .svpbmt = true,
                                   .inspect = true};
        rc = mmu_rv64_translate(m->pm, &ctx, va, MMU_ACC_READ, &r);
    }
    if (rc == 0) {
        *pa = r.pa;
        return 0;
    }
    if (r.fault == MMU_FAULT_PERMISSION || r.fault == MMU_FAULT_ACCESS_FLAG ||
        (r.fault == MMU_FAULT_PAGE && r.range_size && r.reason != MMU_R_MISALIGNED_SUPERPAGE &&
         r.reason != MMU_R_NAPOT_RESERVED)) {
        /* A leaf that maps va but refuses this access: the debugger reads it. */
        *pa = r.range_pa + (va - r.range_va);
        return 0;
    }
    return sim_fail(m, "VA 0x%llx is not mapped: %s (%s) at level %d", (unsigned long long)va,
                    mmu_fault_name(r.fault), mmu_reason_name(r.reason), r.level);
}

/* ---- enumeration --------------------------------------------------------- */

struct walker {
    rasim_machine *m;
    enum pte_layout layout;
    bool a64;
    unsigned top;   /* walker level of the root */
    uint64_t count; /* entries visited */
    void (*fn)(void *ctx, const struct rasim_pt_range *range);
    void *ctx;
    struct rasim_pt_range run; /* the run being gathered */
    bool have_run;
    uint64_t path[6]; /* tables from the root to the one being visited */
    unsigned depth;
};

/* Bits of the VA an entry at walker level `level` covers. */
static unsigned shift_of(const struct walker *w, int level)
{
    return w->a64 ? 12 + 9 * (unsigned)(3 - level) : 12 + 9 * (unsigned)level;
}

static void flush(struct walker *w)
{
    if (w->have_run)
        w->fn(w->ctx, &w->run);
    w->have_run = false;
}

static void emit_leaf(struct walker *w, uint64_t va, uint64_t pa, uint64_t size, uint64_t raw,
                      unsigned klevel)
{
    uint64_t attrs = raw & ~(w->a64 ? A64_OA_MASK : RV_PPN_MASK);
    struct rasim_pt_range *r = &w->run;
    if (w->have_run && r->mapped && r->leaf_size == size && r->attrs == attrs &&
        r->va + r->size == va && r->pa + r->size == pa) {
        r->size += size;
        r->leaves++;
        return;
    }
    flush(w);
    memset(r, 0, sizeof(*r));
    r->va = va;
    r->size = r->leaf_size = size;
    r->mapped = true;
    r->pa = pa;
    r->leaves = 1;
    r->raw = raw;
    r->attrs = attrs;
    pte_format_level(w->layout, klevel, raw, r->text, sizeof(r->text));
    w->have_run = true;
}

static void emit_other(struct walker *w, uint64_t va, uint64_t size, uint64_t raw,
                       unsigned klevel, const char *text)
{
    flush(w);
    struct rasim_pt_range *r = &w->run;
    memset(r, 0, sizeof(*r));
    r->va = va;
    r->size = size;
    r->raw = raw;
    if (text)
        snprintf(r->text, sizeof(r->text), "%s", text);
    else
        pte_format_level(w->layout, klevel, raw, r->text, sizeof(r->text));
    w->have_run = true;
    flush(w);
}

static int visit_table(struct walker *w, uint64_t table, int level, uint64_t va_base,
                       unsigned va_bits);

/* Sign-extend a VA from its top translated bit (RV64 upper half). */
static uint64_t canonical(uint64_t va, unsigned bits)
{
    return (va & (1ull << (bits - 1))) ? va | ~((1ull << bits) - 1) : va;
}

static int visit(struct walker *w, uint64_t table, int level, uint64_t va_base, unsigned va_bits)
{
    /* A table that is its own ancestor makes the tree infinite. (Tables
     * shared between branches are legal and visited once per branch.) */
    for (unsigned i = 0; i < w->depth; i++)
        if (w->path[i] == table)
            return sim_fail(w->m, "table at 0x%llx points back to itself (cyclic tables)",
                            (unsigned long long)table);
    if (w->depth == sizeof(w->path) / sizeof(*w->path))
        return sim_fail(w->m, "tables nest deeper than the architecture allows");
    w->path[w->depth++] = table;
    int rc = visit_table(w, table, level, va_base, va_bits);
    w->depth--;
    return rc;
}

static int visit_table(struct walker *w, uint64_t table, int level, uint64_t va_base,
                       unsigned va_bits)
{
    uint64_t entries[512];
    struct phys_fault f;
    unsigned shift = shift_of(w, level);
    unsigned klevel = kernel_level(w->m, level);
    if (phys_read(w->m->pm, table, entries, sizeof(entries), PHYS_INIT, &f) != PHYS_OK) {
        char text[96];
        snprintf(text, sizeof(text), "table at 0x%llx is not in memory",
                 (unsigned long long)table);
        emit_other(w, va_base, 1ull << (shift + 9 < 64 ? shift + 9 : 63), 0, klevel, text);
        return 0;
    }
    /* The root table of a 39-bit arm64 tree indexes VA[38:30]; every other
     * table has 512 entries of 1 << shift bytes. */
    for (unsigned i = 0; i < 512; i++) {
        if (++w->count > PT_MAX_ENTRIES)
            return sim_fail(w->m, "page tables have more than %u entries (cyclic tables?)",
                            PT_MAX_ENTRIES);
        uint64_t raw = entries[i];
        uint64_t va = va_base + ((uint64_t)i << shift);
        if (!w->a64)
            va = canonical(va, va_bits);
        if (raw == 0)
            continue;
        struct pte_desc d;
        pte_decode(w->layout, klevel, raw, &d);
        if (d.valid && d.is_table && level != (w->a64 ? 3 : 0)) {
            uint64_t next = d.oa;
            if (visit(w, next, w->a64 ? level + 1 : level - 1, va, va_bits) < 0)
                return -1;
        } else if (d.valid && d.is_leaf && !d.reserved) {
            uint64_t size = 1ull << shift;
            uint64_t pa = d.napot ? d.oa + (va & (d.size - 1)) : d.oa;
            emit_leaf(w, va, pa, size, raw, klevel);
        } else {
            emit_other(w, va, 1ull << shift, raw, klevel, NULL);
        }
    }
    return 0;
}

int rasim_pt_ranges(rasim_machine *m, const struct rasim_pt *pt,
                    void (*fn)(void *ctx, const struct rasim_pt_range *range), void *ctx)
{
    struct walker w = {.m = m, .fn = fn, .ctx = ctx};
    if (check_config(m, pt) < 0 || layout_of(m, pt, &w.layout) < 0)
        return -1;
    w.a64 = m->arch->arch == RASIM_ARCH_AARCH64;
    int rc = 0;
    if (w.a64) {
        int start = pt->va_bits == 48 ? 0 : 1; /* KERNEL-FACTS 4.2 */
        if (pt->root)
            rc = visit(&w, pt->root, start, 0, pt->va_bits);
        if (rc == 0 && pt->root1)
            rc = visit(&w, pt->root1, start, ~0ull << pt->va_bits, pt->va_bits);
    } else {
        int top = pt->va_bits == 39 ? 2 : pt->va_bits == 48 ? 3 : 4;
        rc = visit(&w, pt->root, top, 0, pt->va_bits);
    }
    if (rc == 0)
        flush(&w);
    return rc;
}
