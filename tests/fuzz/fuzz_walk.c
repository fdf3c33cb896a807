/*
 * fuzz_walk.c - libFuzzer harness: page tables from fuzzed bytes, for both
 * architectures, through rasim_pt_walk, rasim_pt_ranges and rasim_pt_diff,
 * the PTE codecs (mmu/translate.h) on every entry, and the MMU checker
 * watching a short generated program that loads through the tables, stores
 * into them and invalidates the TLB.
 *
 * Input: a header, then mode-specific bytes.
 *   flags   1 rv64 (else arm64)
 *           2 patch mode: identity tables (fuzz_machine.c) at FZ_TABLES and
 *             a copy at FZ_DATA, the copy patched; else raw mode: the rest
 *             of the input is 64 KiB of table memory at RAW_BASE
 *           4,8 VA size: arm64 39, 48, 39, 40 (refused); rv64 Sv39, 48, 57, 40
 *          16 layout linux-6.1 (else linux-6.12)
 *          32 a layout name that does not exist
 *          64 patch mode: run the checker program (else walk only)
 *         128 poison one line of table memory
 *   root, root1 / other-root selectors (2 bytes each), poison offset (2),
 *   NVAS x (VA (8), access (1)).
 *   raw mode: table memory. patch mode: 16 page attribute bytes, ASID (2),
 *   TCR HA/HD (1), patch count (1), NPATCH x (entry (2), op (1), value (8)),
 *   program: a count (1), then per op 3 bytes, register values 24 x 8.
 */
#include "fuzz_machine.h"
#include "mmu/translate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RAW_BASE   0x1000ull
#define RAW_SIZE   0x10000ull
#define NVAS       8
#define NPATCH     16
#define MAX_OPS    48
#define MAX_VISITS 1024 /* tables enumeration may visit: 512 entries each */

struct walk_header {
    uint8_t flags;
    uint16_t root, root1, poison;
    uint64_t va[NVAS];
    uint8_t access[NVAS];
};

static void check_text(const char *text, size_t len)
{
    if (!memchr(text, 0, len))
        abort();
}

static uint64_t root_of(uint16_t sel, bool raw)
{
    if (sel == 0)
        return 0;
    if (sel & 0x8000)
        return (uint64_t)(sel & 0x7fff) << 12; /* anywhere, maybe not memory */
    if (raw)
        return RAW_BASE + (uint64_t)(sel % (RAW_SIZE / 0x1000)) * 0x1000;
    static const uint64_t roots[8] = {FZ_TABLES,
                                      FZ_TABLES + 0x1000,
                                      FZ_TABLES + 0x2000,
                                      FZ_TABLES + 0x3000,
                                      FZ_DATA,
                                      FZ_DATA + 0x3000,
                                      FZ_CODE,
                                      FZ_ABSENT};
    return roots[sel & 7];
}

/* ---- a bound on enumeration ---------------------------------------------
 * Tables shared between branches are visited once per branch, so a few
 * table descriptors pointing at each other level after level make
 * rasim_pt_ranges visit up to its own limit of 16M entries. Count the
 * visits first (table descriptors as the hardware reads them) and skip
 * enumeration of trees that would take more than MAX_VISITS tables. */
struct visit {
    uint64_t pa;
    uint64_t n;
};

static uint64_t tree_visits(rasim_machine *m, bool a64, uint64_t root, int level, int last)
{
    struct visit cur[64], next[64];
    size_t ncur = 1, total = 0;
    cur[0] = (struct visit){root, 1};
    for (; ncur; level += a64 ? 1 : -1) {
        size_t nnext = 0;
        for (size_t i = 0; i < ncur; i++) {
            total += cur[i].n;
            if (total > MAX_VISITS)
                return total;
            uint64_t e[512];
            if (level == last || rasim_read_phys(m, cur[i].pa, e, sizeof(e)) < 0)
                continue;
            for (unsigned k = 0; k < 512; k++) {
                uint64_t next_pa;
                if (a64 && (e[k] & 3) == 3)
                    next_pa = e[k] & 0x0000fffffffff000ull;
                else if (!a64 && (e[k] & 0xf) == 1)
                    next_pa = ((e[k] >> 10) & ((1ull << 44) - 1)) << 12;
                else
                    continue;
                size_t j = 0;
                while (j < nnext && next[j].pa != next_pa)
                    j++;
                if (j == nnext) {
                    if (nnext == 64)
                        return MAX_VISITS + 1;
                    next[nnext++] = (struct visit){next_pa, 0};
                }
                next[j].n += cur[i].n;
                if (next[j].n > MAX_VISITS)
                    return MAX_VISITS + 1;
            }
        }
        memcpy(cur, next, nnext * sizeof(*next));
        ncur = nnext;
    }
    return total;
}

static bool small_tree(rasim_machine *m, const struct rasim_pt *pt)
{
    bool a64 = rasim_get_arch(m) == RASIM_ARCH_AARCH64;
    if (a64) {
        int start = pt->va_bits == 48 ? 0 : 1;
        return (pt->root ? tree_visits(m, true, pt->root, start, 3) : 0) +
                   (pt->root1 ? tree_visits(m, true, pt->root1, start, 3) : 0) <=
               MAX_VISITS;
    }
    int top = pt->va_bits == 39 ? 2 : pt->va_bits == 48 ? 3 : 4;
    return tree_visits(m, false, pt->root, top, 0) <= MAX_VISITS;
}

/* ---- callbacks ------------------------------------------------------------ */

struct ranges {
    size_t n;
    uint64_t end; /* where the last range ended; ranges come in VA order */
    bool wrapped;
};

static void on_range(void *ctx, const struct rasim_pt_range *r)
{
    struct ranges *s = ctx;
    check_text(r->text, sizeof(r->text));
    if (r->size == 0 || s->wrapped || (s->n && r->va < s->end))
        abort(); /* empty, or out of VA order */
    if (r->mapped && (r->leaves == 0 || r->leaf_size == 0 || r->size % r->leaf_size))
        abort();
    s->end = r->va + r->size;
    s->wrapped = s->end == 0;
    s->n++;
}

static void on_change(void *ctx, const struct rasim_pt_change *c)
{
    if (!c->kind || !*c->kind || c->size == 0)
        abort();
    check_text(c->what, sizeof(c->what));
    ++*(size_t *)ctx;
}

/* ---- the PTE codecs --------------------------------------------------------- */

static void codecs(uint64_t raw, uint64_t salt)
{
    static const enum pte_layout layouts[4] = {PTE_ARM64_6_1, PTE_ARM64_6_12, PTE_RISCV_6_1,
                                               PTE_RISCV_6_12};
    for (unsigned li = 0; li < 4; li++) {
        enum pte_layout l = layouts[li];
        struct pte_desc d;
        char buf[192];
        for (unsigned level = 0; level <= 5; level++) {
            if (pte_decode(l, level, raw, &d) == 0 && d.raw != raw)
                abort();
            pte_format_level(l, level, raw, buf, (salt >> level) % sizeof(buf) + 1);
            check_text(buf, sizeof(buf));
        }
        /* A swap entry made from (type, offset) reads back as them, and the
         * exclusive bit moves nothing else. */
        unsigned type = (unsigned)(salt & 31);
        uint64_t offset = raw & ((1ull << pte_swp_offset_bits(l)) - 1);
        uint64_t e = pte_make_swap(l, type, offset);
        if (e == 0)
            continue; /* (0, 0) is pte_none */
        if (pte_decode(l, PTE_LEVEL_PTE, e, &d) < 0 || !d.is_swap || d.swp_type != type ||
            d.swp_offset != offset || d.swp_stray)
            abort();
        uint64_t x = e;
        if (pte_swp_mkexclusive(l, &x) == PTE_UNSUPPORTED)
            continue;
        if (pte_swp_exclusive(l, x) != 1 || pte_decode(l, PTE_LEVEL_PTE, x, &d) < 0 || !d.is_swap ||
            d.swp_type != type || d.swp_offset != offset || !d.swp_exclusive)
            abort();
        if (pte_swp_clear_exclusive(l, &x) < 0 || x != e)
            abort();
    }
}

/* ---- walks, ranges, diff ------------------------------------------------------- */

static void inspect(rasim_machine *m, const struct walk_header *h, struct rasim_pt *pt,
                    const struct rasim_pt *other)
{
    for (unsigned i = 0; i < NVAS; i++) {
        struct rasim_pt_walk w;
        if (rasim_pt_walk(m, pt, h->va[i], (enum rasim_pt_access)(h->access[i] % 3), &w) < 0)
            continue; /* refused configuration */
        if (w.nsteps > 5)
            abort();
        for (unsigned s = 0; s < w.nsteps; s++)
            check_text(w.steps[s].text, sizeof(w.steps[s].text));
        check_text(w.attrs, sizeof(w.attrs));
        if (!w.ok && !w.fault)
            abort();
        if (w.ok && (w.size == 0 || (w.size & (w.size - 1))))
            abort(); /* a leaf maps a power of two */
        for (unsigned s = 0; s < w.nsteps; s++)
            codecs(w.steps[s].raw, h->va[i] ^ s);
    }
    if (small_tree(m, pt)) {
        struct ranges r = {0};
        rasim_pt_ranges(m, pt, on_range, &r);
    }
    if (other && small_tree(m, other) && small_tree(m, pt)) {
        size_t n = 0;
        rasim_pt_diff(m, pt, other, on_change, &n);
        size_t self = 0;
        if (rasim_pt_diff(m, pt, pt, on_change, &self) == 0 && self != 0)
            abort(); /* a tree does not differ from itself */
    }
}

static void poison_line(rasim_machine *m, uint64_t pa)
{
    struct rasim_poison p = {.pa = pa, .len = 1, .granule = 64};
    if (rasim_poison(m, &p) < 0)
        abort();
}

static const char *layout_name(uint8_t flags)
{
    return flags & 32 ? "linux-4.19" : flags & 16 ? "linux-6.1" : "linux-6.12";
}

static unsigned va_bits(uint8_t flags, bool a64)
{
    static const unsigned a[4] = {39, 48, 39, 40}, r[4] = {39, 48, 57, 40};
    return (a64 ? a : r)[(flags >> 2) & 3];
}

static void raw_mode(const struct walk_header *h, struct fz_in *in, enum rasim_arch arch)
{
    rasim_machine *m = rasim_new(arch);
    if (!m || rasim_add_region(m, "tables", RAW_BASE, RAW_SIZE, RASIM_REGION_RAM) < 0)
        abort();
    size_t n = in->size - in->pos;
    if (n > RAW_SIZE)
        n = RAW_SIZE;
    if (n && rasim_write_phys(m, RAW_BASE, in->data + in->pos, n) < 0)
        abort();
    if (h->flags & 128)
        poison_line(m, RAW_BASE + (h->poison % RAW_SIZE));
    for (size_t off = 0; off + 8 <= n && off < 4096; off += 8) {
        uint64_t raw;
        memcpy(&raw, in->data + in->pos + off, 8);
        if (raw)
            codecs(raw, off);
    }
    bool a64 = arch == RASIM_ARCH_AARCH64;
    struct rasim_pt pt = {.root = root_of(h->root, true),
                          .root1 = a64 ? root_of(h->root1, true) : 0,
                          .va_bits = va_bits(h->flags, a64),
                          .layout = layout_name(h->flags)};
    struct rasim_pt other = pt;
    other.root = root_of((uint16_t)(h->root1 ^ h->poison), true);
    inspect(m, h, &pt, &other);
    rasim_free(m);
}

/* ---- patch mode and the checker program -------------------------------------- */

static void apply_patches(rasim_machine *m, struct fz_in *in, uint64_t base)
{
    unsigned n = fz_u8(in) % (NPATCH + 1);
    for (unsigned i = 0; i < n; i++) {
        uint64_t at = base + (uint64_t)(fz_u16(in) % 2048) * 8;
        uint8_t op = fz_u8(in);
        uint64_t v = fz_u64(in), old;
        if (rasim_read_phys(m, at, &old, 8) < 0)
            abort();
        uint64_t now = op % 4 == 0 ? old ^ v : op % 4 == 1 ? v : op % 4 == 2 ? old | v : old & ~v;
        fz_write(m, at, &now, 8);
    }
}

/* Registers x1..x7: VAs; x8..x15: table entries; x16..x23: values to
 * store; x24..x27: TLBI operands. */
static void program(rasim_machine *m, struct fz_in *in, bool a64, bool events)
{
    unsigned nops = fz_u8(in) % (MAX_OPS + 1);
    uint32_t code[MAX_OPS * 2];
    size_t nw = 0;
    for (unsigned i = 0; i < nops; i++) {
        uint8_t op = fz_u8(in), r1 = fz_u8(in), r2 = fz_u8(in);
        unsigned va = 1 + r1 % 7, tab = 8 + r1 % 8, val = 16 + r2 % 8, tl = 24 + r2 % 4;
        switch (op % 5) {
        case 0: /* load through a translation */
            code[nw++] = a64 ? 0xf9400000 | va << 5 | 28 : va << 15 | 3 << 12 | 28 << 7 | 0x03;
            break;
        case 1: /* store into the tables */
            code[nw++] = a64 ? 0xf9000000 | tab << 5 | val : val << 20 | tab << 15 | 3 << 12 | 0x23;
            break;
        case 2: /* invalidate: everything, or one VA */
            if (a64)
                code[nw++] = op & 8 ? 0xd508871f : 0xd5088720 | tl; /* tlbi vmalle1 / vae1 */
            else
                code[nw++] = 0x12000073 | (op & 8 ? 0 : va << 15) | (op & 16 ? tl << 20 : 0);
            break;
        case 3: /* barriers */
            code[nw++] = a64 ? (op & 8 ? 0xd5033fdf : 0xd5033b9f) : 0x0ff0000f;
            break;
        default: /* store through a translation */
            code[nw++] = a64 ? 0xf9000000 | va << 5 | val : val << 20 | va << 15 | 3 << 12 | 0x23;
            break;
        }
    }
    fz_write(m, FZ_CODE, code, nw * 4);
    static const uint64_t va_base[4] = {FZ_DATA, FZ_ALIAS + (FZ_DATA - FZ_CODE),
                                        FZ_HIGH + (FZ_DATA - FZ_CODE), FZ_TABLES};
    for (unsigned r = 1; r < 28; r++) {
        uint64_t v = fz_u64(in), value;
        if (r < 8)
            value = va_base[v & 3] + ((v >> 2) & 0xfff8);
        else if (r < 16)
            value = FZ_TABLES + ((v >> 3) % 2048) * 8;
        else if (r < 24)
            value = v;
        else
            value = a64 ? (v & 0xffff000000000000ull) | (va_base[v & 3] >> 12) : va_base[v & 3];
        fz_set(m, rasim_gpr_name(m, r), value);
    }
    /* Values stored into the tables are often the entry there, changed. */
    for (unsigned r = 16; r < 24; r++) {
        uint64_t v, at, old;
        rasim_get_reg(m, rasim_gpr_name(m, r), &v);
        rasim_get_reg(m, rasim_gpr_name(m, r - 8), &at);
        if ((v & 3) != 0 && rasim_read_phys(m, at, &old, 8) == 0)
            fz_set(m, rasim_gpr_name(m, r), old ^ (v >> 2));
    }
    fz_set(m, "pc", FZ_CODE);
    rasim_set_return_sentinel(m, FZ_CODE + nw * 4);
    fz_install_vectors(m, 0xb1ff);
    if (rasim_set_profile(m, "none") < 0 || rasim_set_mmu_check(m, true) < 0)
        abort();
    uint64_t hash = 0;
    if (events && rasim_set_event_sink(m, RASIM_EV_ALL, fz_event_hash, &hash) < 0)
        abort();
    struct rasim_stop stop;
    if (rasim_run(m, 4 * MAX_OPS + 100, &stop) < 0)
        abort();
    fz_read_back(m, &stop);
    for (size_t i = 0; i < rasim_mmu_warning_count(m); i++) {
        struct rasim_mmu_warning w;
        if (rasim_mmu_warning_get(m, i, &w) < 0)
            abort();
        check_text(w.text, sizeof(w.text));
    }
}

static void patch_mode(const struct walk_header *h, struct fz_in *in, enum rasim_arch arch)
{
    bool a64 = arch == RASIM_ARCH_AARCH64;
    rasim_machine *m = fz_machine_new(arch);
    uint8_t attrs[FZ_PAGES];
    for (unsigned i = 0; i < FZ_PAGES; i++)
        attrs[i] = fz_u8(in);
    uint16_t asid = fz_u16(in);
    uint8_t tcr = fz_u8(in);
    fz_build_tables(m, FZ_TABLES, attrs);
    fz_build_tables(m, FZ_DATA, attrs);
    apply_patches(m, in, FZ_DATA);
    if (h->flags & 128)
        poison_line(m, FZ_TABLES + (h->poison % 0x4000));
    struct rasim_pt before = {.root = FZ_TABLES,
                              .root1 = a64 ? FZ_TABLES + 0x3000 : 0,
                              .va_bits = va_bits(h->flags, a64),
                              .layout = layout_name(h->flags)};
    struct rasim_pt after = before;
    after.root = h->root ? root_of(h->root, false) : FZ_DATA; /* default: the patched copy */
    after.root1 = a64 ? FZ_DATA + 0x3000 : 0;
    inspect(m, h, &after, &before);
    if (h->flags & 64) {
        /* The checker program runs over the patched tables at FZ_TABLES. */
        apply_patches(m, in, FZ_TABLES);
        fz_mmu_on(m, (tcr & 1 ? 1ull << 39 : 0) | (tcr & 2 ? 1ull << 40 : 0), asid);
        program(m, in, a64, tcr & 4);
    }
    rasim_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in = {data, size, 0};
    struct walk_header h;
    h.flags = fz_u8(&in);
    h.root = fz_u16(&in);
    h.root1 = fz_u16(&in);
    h.poison = fz_u16(&in);
    for (unsigned i = 0; i < NVAS; i++) {
        h.va[i] = fz_u64(&in);
        h.access[i] = fz_u8(&in);
    }
    enum rasim_arch arch = h.flags & 1 ? RASIM_ARCH_RV64 : RASIM_ARCH_AARCH64;
    if (h.flags & 2)
        patch_mode(&h, &in, arch);
    else
        raw_mode(&h, &in, arch);
    return 0;
}
