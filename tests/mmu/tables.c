/* tables.c - translation tables written by hand into simulated RAM (see tables.h). */
#include "tables.h"

#include <check.h>
#include <string.h>

struct phys_mem *pm;
static uint64_t next_page;

void tables_setup(uint64_t base, uint64_t size)
{
    char err[128];
    pm = phys_new();
    struct phys_region r = {.base = base, .size = size, .kind = PHYS_RAM};
    strcpy(r.name, "ram");
    ck_assert_int_eq(phys_add_region(pm, &r, err, sizeof(err)), 0);
    next_page = base;
}

void tables_teardown(void)
{
    phys_free(pm);
}

uint64_t new_table(void)
{
    uint64_t t = next_page;
    next_page += 0x1000;
    return t;
}

void wr(uint64_t pa, uint64_t v)
{
    ck_assert_int_eq(phys_store(pm, pa, 8, v, 0, NULL), PHYS_OK);
}

uint64_t rd(uint64_t pa)
{
    uint64_t v = 0;
    ck_assert_int_eq(phys_load(pm, pa, 8, &v, 0, NULL), PHYS_OK);
    return v;
}

/* ---- arm64 ----------------------------------------------------------------- */

uint64_t root0, root1;

uint64_t a_put(uint64_t root, uint64_t va, int leaf, uint64_t desc)
{
    uint64_t table = root;
    for (int l = 0;; l++) {
        uint64_t dpa = table + ((va >> (39 - 9 * l)) & 511) * 8;
        if (l == leaf) {
            wr(dpa, desc);
            return dpa;
        }
        uint64_t d = rd(dpa);
        if (!(d & 1)) {
            d = new_table() | 3;
            wr(dpa, d);
        }
        table = d & A_OA;
    }
}

struct mmu_a64_ctx a_ctx(uint16_t asid)
{
    struct mmu_a64_ctx c = {0};
    c.sctlr = 1;
    c.tcr = 16 | (16ull << 16) | (2ull << 30) | (5ull << 32) | (1ull << 36);
    c.ttbr0 = root0 | ((uint64_t)asid << 48);
    c.ttbr1 = root1;
    c.el = 1;
    return c;
}

uint64_t tlbi_arg(uint64_t va, uint16_t asid)
{
    return ((va >> 12) & ((1ull << 44) - 1)) | ((uint64_t)asid << 48);
}

/* ---- RV64 ------------------------------------------------------------------ */

uint64_t rroot;

uint64_t r_put(uint64_t root, uint64_t va, int leaf, uint64_t pte)
{
    uint64_t table = root;
    for (int i = 2;; i--) {
        uint64_t pa = table + ((va >> (12 + 9 * i)) & 511) * 8;
        if (i == leaf) {
            wr(pa, pte);
            return pa;
        }
        uint64_t p = rd(pa);
        if (!(p & 1)) {
            p = R_PPN(new_table()) | 1;
            wr(pa, p);
        }
        table = ((p >> 10) & ((1ull << 44) - 1)) << 12;
    }
}

struct mmu_rv64_ctx r_ctx(uint16_t asid)
{
    struct mmu_rv64_ctx c = {0};
    c.satp = (8ull << 60) | ((uint64_t)asid << 44) | (rroot >> 12);
    c.priv = MMU_PRIV_S;
    c.adue = true;
    c.svnapot = true;
    c.svpbmt = true;
    return c;
}
