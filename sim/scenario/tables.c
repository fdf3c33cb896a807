/*
 * tables.c - the page tables a scenario asks for (page_tables:), built in
 * simulated memory the way a kernel would have left them, and translation
 * turned on for the routine: arm64 stage 1 through TTBR0 with 4 KiB pages,
 * RV64 Sv39 or Sv48 through satp. Bit positions: KERNEL-FACTS.md 4.1
 * (arm64 descriptors), 5.2 (RISC-V PTE), 5.3 (Svnapot), 6 (satp).
 *
 * The tables live in the buffer "page_tables" (SC_TABLES_SIZE), which a
 * campaign can sweep like any other (poison met by the walk).
 */
#include "sim/scenario/scenario.h"

#include <stdio.h>
#include <string.h>

#define PAGE 0x1000ull

/* arm64 (KERNEL-FACTS 4.1) */
#define A_TABLE   3ull
#define A_PAGE    3ull
#define A_ATTR(i) ((uint64_t)(i) << 2) /* AttrIndx */
#define A_AP_EL0  (1ull << 6)          /* AP[1]: EL0 access */
#define A_AP_RO   (1ull << 7)          /* AP[2]: read-only */
#define A_SH_IS   (3ull << 8)
#define A_AF      (1ull << 10)
#define A_CONT    (1ull << 52)
#define A_PXN     (1ull << 53)
#define A_UXN     (1ull << 54)
/* MAIR_EL1: index 0 Normal write-back, tagged (0xf0, what Linux uses for
 * MTE so tags work through these tables); index 1 Device-nGnRnE (0x00). */
#define A_MAIR 0x00f0ull
/* RISC-V (KERNEL-FACTS 5.2) */
#define R_V       (1ull << 0)
#define R_R       (1ull << 1)
#define R_W       (1ull << 2)
#define R_X       (1ull << 3)
#define R_U       (1ull << 4)
#define R_A       (1ull << 6)
#define R_D       (1ull << 7)
#define R_PBMT_IO (2ull << 61)
#define R_N       (1ull << 63)

struct builder {
    rasim_machine *m;
    bool a64;
    unsigned levels;
    uint64_t next, end; /* free table pages */
    char *err;
    size_t errlen;
    const char *path;
};

static int failf(struct builder *b, const char *what, uint64_t va)
{
    snprintf(b->err, b->errlen, "%s: page_tables: %s at VA 0x%llx", b->path, what,
             (unsigned long long)va);
    return -1;
}

static uint64_t read64(struct builder *b, uint64_t pa)
{
    uint64_t v = 0;
    rasim_read_phys(b->m, pa, &v, sizeof(v));
    return v;
}

static void write64(struct builder *b, uint64_t pa, uint64_t v)
{
    rasim_write_phys(b->m, pa, &v, sizeof(v));
}

static int new_table(struct builder *b, uint64_t *pa)
{
    if (b->next >= b->end)
        return -1;
    *pa = b->next; /* the region starts zeroed: an empty table */
    b->next += PAGE;
    return 0;
}

/* The entry slot of the leaf level for va, making tables on the way. */
static int leaf_slot(struct builder *b, uint64_t root, uint64_t va, uint64_t *slot)
{
    uint64_t table = root;
    for (unsigned level = b->levels - 1; level > 0; level--) {
        uint64_t entry_pa = table + ((va >> (12 + 9 * level)) & 511) * 8;
        uint64_t e = read64(b, entry_pa), next;
        if (b->a64 ? (e & 3) == A_TABLE : (e & (R_V | R_R | R_W | R_X)) == R_V) {
            next = b->a64 ? e & 0x0000fffffffff000ull : ((e >> 10) & ((1ull << 44) - 1)) << 12;
        } else {
            if (new_table(b, &next) < 0)
                return failf(b, "more than 32 tables needed", va);
            write64(b, entry_pa, b->a64 ? next | A_TABLE : (next >> 12) << 10 | R_V);
        }
        table = next;
    }
    *slot = table + ((va >> 12) & 511) * 8;
    return 0;
}

static uint64_t leaf(const struct builder *b, uint64_t pa, const struct sc_map *map)
{
    if (b->a64) {
        uint64_t d = pa | A_PAGE | A_AF | A_SH_IS | A_ATTR(map->device ? 1 : 0);
        if (!(map->perm & SC_PERM_W))
            d |= A_AP_RO;
        if (map->user)
            d |= A_AP_EL0 | A_PXN; /* EL1 never executes user pages */
        else
            d |= A_UXN;
        if (!(map->perm & SC_PERM_X))
            d |= A_PXN | A_UXN;
        if (map->contiguous)
            d |= A_CONT;
        return d;
    }
    uint64_t d = (pa >> 12) << 10 | R_V | R_A | R_D;
    d |= (map->perm & SC_PERM_R ? R_R : 0) | (map->perm & SC_PERM_W ? R_W : 0) |
         (map->perm & SC_PERM_X ? R_X : 0) | (map->user ? R_U : 0) | (map->device ? R_PBMT_IO : 0);
    if (map->contiguous) /* Svnapot 64 KiB: ppn[3:0] = 1000 in all 16 PTEs */
        d = ((d >> 10 & ~0xfull) | 8) << 10 | (d & 0x3ff) | (d & (0x3ffull << 54)) | R_N;
    return d;
}

static int map_range(struct builder *b, uint64_t root, uint64_t va, uint64_t pa,
                     const struct sc_map *map)
{
    if ((va | pa | map->size) & (PAGE - 1))
        return failf(b, "a mapping must be 4 KiB aligned", va);
    if (map->contiguous && ((va | pa | map->size) & 0xffff))
        return failf(b, "a contiguous mapping must be 64 KiB aligned", va);
    for (uint64_t off = 0; off < map->size; off += PAGE) {
        uint64_t slot;
        if (leaf_slot(b, root, va + off, &slot) < 0)
            return -1;
        /* NAPOT PTEs all carry the range's base; contiguous ones their page. */
        uint64_t at = map->contiguous && !b->a64 ? pa + (off & ~0xffffull) : pa + off;
        write64(b, slot, leaf(b, at, map));
    }
    return 0;
}

/* Every image's sections, every buffer, the stack and the tables, at
 * VA = PA, read-write-execute for the routine's privilege. */
static int map_identity(rasim_scenario *sc, struct builder *b, uint64_t root, uint64_t stack,
                        uint64_t stack_size)
{
    bool user = sc->arch == RASIM_ARCH_AARCH64 ? sc->el == 0 : sc->mode == 0;
    struct sc_map all = {.perm = SC_PERM_R | SC_PERM_W | SC_PERM_X, .user = user};
    for (size_t i = 0; i < rasim_image_count(b->m); i++) {
        struct rasim_image_info info;
        rasim_image_info(b->m, i, &info);
        for (size_t s = 0; s < info.nsections; s++) {
            struct rasim_section sec;
            if (rasim_image_section(b->m, i, s, &sec) < 0 || !sec.size)
                continue;
            uint64_t lo = sec.pa & ~(PAGE - 1), hi = (sec.pa + sec.size + PAGE - 1) & ~(PAGE - 1);
            all.size = hi - lo;
            if (map_range(b, root, lo, lo, &all) < 0)
                return -1;
        }
    }
    for (unsigned i = 0; i < sc->nbuffers; i++) {
        const struct sc_buffer *buf = &sc->buffers[i];
        all.size = (buf->size + PAGE - 1) & ~(PAGE - 1);
        if (map_range(b, root, buf->pa, buf->pa, &all) < 0)
            return -1;
    }
    all.size = stack_size;
    return map_range(b, root, stack, stack, &all);
}

/* built_by: the guest's own builder runs from reset with translation off
 * (sc_call), as early boot code would, and its return value is the root. */
static int run_builder(rasim_scenario *sc, rasim_machine *m, char *err, size_t errlen)
{
    struct sc_tables *t = &sc->tables;
    uint64_t args[SC_MAX_ARGS], root;
    for (unsigned i = 0; i < t->nbuilt_args; i++)
        if (sc_eval(sc, m, &t->built_args[i], &args[i], err, errlen) < 0)
            return -1;
    uint64_t entry;
    if (rasim_lookup_symbol(m, t->built_by, &entry) < 0) {
        snprintf(err, errlen, "%s:%d:%d: page_tables: built_by: no symbol named '%s'", sc->path,
                 t->line, t->column, t->built_by);
        return -1;
    }
    char why[512];
    if (sc_call(sc, m, t->built_by, args, t->nbuilt_args, &root, why, sizeof(why)) < 0) {
        snprintf(err, errlen, "%s:%d:%d: page_tables: built_by: %s", sc->path, t->line, t->column,
                 why);
        return -1;
    }
    uint8_t probe;
    if (!root || (root & (PAGE - 1)) || rasim_read_phys(m, root, &probe, 1) < 0) {
        snprintf(err, errlen,
                 "%s:%d:%d: page_tables: built_by: %s returned 0x%llx, not the address of a "
                 "root table in memory",
                 sc->path, t->line, t->column, t->built_by, (unsigned long long)root);
        return -1;
    }
    t->root = root;
    return 0;
}

int sc_build_tables(rasim_scenario *sc, rasim_machine *m, char *err, size_t errlen)
{
    struct sc_tables *t = &sc->tables;
    if (!t->set)
        return 0;
    if (t->built_by[0])
        return run_builder(sc, m, err, errlen);
    const struct sc_buffer *buf = sc_buffer(sc, SC_TABLES_BUFFER);
    struct builder b = {
        m, sc->arch == RASIM_ARCH_AARCH64, 0, buf->pa, buf->pa + buf->size, err, errlen, sc->path};
    /* arm64: 39-bit VAs start at level 1, 48-bit at level 0; Sv39 has 3
     * levels, Sv48 4. */
    b.levels = t->va_bits == 48 ? 4 : 3;
    new_table(&b, &t->root);
    if (t->identity && map_identity(sc, &b, t->root, sc_stack_base(), sc_stack_size()) < 0)
        return -1;
    for (unsigned i = 0; i < t->nmaps; i++) {
        uint64_t pa;
        if (sc_eval(sc, m, &t->maps[i].to, &pa, err, errlen) < 0 ||
            map_range(&b, t->root, t->maps[i].va, pa, &t->maps[i]) < 0)
            return -1;
    }
    return 0;
}

void sc_translation_on(const rasim_scenario *sc, rasim_machine *m)
{
    const struct sc_tables *t = &sc->tables;
    if (!t->set)
        return;
    if (sc->arch == RASIM_ARCH_AARCH64) {
        /* TCR_EL1: T0SZ, inner/outer write-back, inner shareable, 4 KiB
         * TG0, no TTBR1 walks (EPD1), 48-bit IPS. */
        uint64_t tcr =
            (64 - t->va_bits) | 1ull << 8 | 1ull << 10 | 3ull << 12 | 1ull << 23 | 5ull << 32;
        uint64_t sctlr = 0;
        rasim_set_reg(m, "mair_el1", A_MAIR);
        rasim_set_reg(m, "tcr_el1", tcr);
        rasim_set_reg(m, "ttbr0_el1", t->root);
        rasim_get_reg(m, "sctlr_el1", &sctlr);
        rasim_set_reg(m, "sctlr_el1", sctlr | 1); /* M */
    } else {
        uint64_t mode = t->va_bits == 48 ? 9 : 8;
        rasim_set_reg(m, "satp", mode << 60 | t->root >> 12);
    }
}
