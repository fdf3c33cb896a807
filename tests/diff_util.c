/* diff_util.c - what the differential tests against Unicorn share (see diff_util.h). */
#include "diff_util.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* ---- random numbers ---------------------------------------------------- */

static uint64_t seed;

void rnd_seed(uint64_t s)
{
    seed = s;
}

uint64_t rnd64(void)
{
    /* xorshift64* */
    seed ^= seed >> 12;
    seed ^= seed << 25;
    seed ^= seed >> 27;
    return seed * 0x2545f4914f6cdd1dull;
}

unsigned rnd(unsigned n)
{
    return (unsigned)(rnd64() % n);
}

unsigned rnd_weighted(const unsigned *weight, unsigned n)
{
    unsigned total = 0;
    for (unsigned i = 0; i < n; i++)
        total += weight[i];
    unsigned r = rnd(total), k = 0;
    while (r >= weight[k])
        r -= weight[k++];
    return k;
}

/* ---- the page-table pool ----------------------------------------------- */

uint8_t pool[POOL_SIZE];
uint64_t pool_pa, pool_used, pool_high;
static uint8_t taken[POOL_SIZE / 64]; /* a bit per entry: generated (zero or not) */

void pool_reset(uint64_t pa)
{
    pool_pa = pa;
    pool_used = 0;
    memset(pool, 0, sizeof(pool));
}

uint64_t pool_alloc(void)
{
    if (pool_used + 4096 > POOL_SIZE)
        return 0;
    uint64_t pa = pool_pa + pool_used;
    memset(pool + pool_used, 0, 4096);
    memset(taken + pool_used / 64, 0, 4096 / 64);
    pool_used += 4096;
    if (pool_used > pool_high)
        pool_high = pool_used;
    return pa;
}

uint64_t pool_get(uint64_t pa)
{
    uint64_t d = 0;
    if (pa >= pool_pa && pa + 8 <= pool_pa + POOL_SIZE)
        memcpy(&d, pool + (pa - pool_pa), 8);
    return d;
}

void pool_put(uint64_t pa, uint64_t d)
{
    uint64_t e = (pa - pool_pa) / 8;
    memcpy(pool + (pa - pool_pa), &d, 8);
    taken[e / 8] |= (uint8_t)(1u << (e % 8));
}

bool pool_taken(uint64_t pa)
{
    uint64_t e = (pa - pool_pa) / 8;
    return (taken[e / 8] >> (e % 8)) & 1;
}

void pool_load(rasim_machine *m, uc_engine *uc)
{
    ck_assert_int_eq(rasim_write_phys(m, pool_pa, pool, pool_high), 0);
    ck_assert_int_eq(uc_mem_write(uc, pool_pa, pool, pool_high), UC_ERR_OK);
}

/* ---- the translation tests' engines ------------------------------------ */

bool rasim_wrote;
uint64_t rasim_write_pa;
int uc_intno;

static void on_event(void *ctx, const struct rasim_event *ev)
{
    (void)ctx;
    if (ev->kind == RASIM_EV_MEM && ev->mem.write && !ev->mem.tag) {
        rasim_wrote = true;
        rasim_write_pa = ev->mem.pa;
    }
}

uint64_t diff_fill_word(const struct diff_ram *ram, uint64_t pa)
{
    return pa << 32 | ram->nop;
}

void diff_restore_word(rasim_machine *m, uc_engine *uc, const struct diff_ram *ram, uint64_t pa)
{
    bool filled = pa >= ram->data_pa && pa < ram->data_pa + ram->fill_size;
    uint64_t v = filled ? diff_fill_word(ram, pa) : 0;
    rasim_write_phys(m, pa, &v, 8);
    uc_mem_write(uc, pa, &v, 8);
}

/* The filled part of the data RAM (malloc'd). */
static uint64_t *fill_image(const struct diff_ram *ram)
{
    uint64_t *fill = malloc(ram->fill_size);
    ck_assert_ptr_nonnull(fill);
    for (uint64_t i = 0; i < ram->fill_size / 8; i++)
        fill[i] = diff_fill_word(ram, ram->data_pa + 8 * i);
    return fill;
}

void diff_ram_rasim(rasim_machine *m, const struct diff_ram *ram)
{
    uint64_t *fill = fill_image(ram);
    ck_assert_int_eq(rasim_add_region(m, "code", ram->code_pa, 0x1000, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "pt", ram->pt_pa, POOL_SIZE, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "data", ram->data_pa, ram->data_size, RASIM_REGION_RAM),
                     0);
    ck_assert_int_eq(rasim_write_phys(m, ram->code_pa, ram->code, ram->code_size), 0);
    ck_assert_int_eq(rasim_write_phys(m, ram->data_pa, fill, ram->fill_size), 0);
    free(fill);
    ck_assert_int_eq(rasim_set_event_sink(m, RASIM_EV_BIT(RASIM_EV_MEM), on_event, NULL), 0);
}

void diff_rasim_run(rasim_machine *m, uint64_t start, uint64_t stop, struct rasim_stop *st)
{
    ck_assert_msg(rasim_set_reg(m, "pc", start) == 0, "pc: %s", rasim_error(m));
    rasim_set_return_sentinel(m, stop);
    rasim_wrote = false;
    ck_assert_int_eq(rasim_run(m, 100, st), 0);
}

static void on_intr(uc_engine *uc, uint32_t intno, void *user)
{
    (void)user;
    uc_intno = (int)intno;
    uc_emu_stop(uc);
}

void diff_ram_uc(uc_engine *uc, const struct diff_ram *ram)
{
    uint64_t *fill = fill_image(ram);
    ck_assert_int_eq(uc_mem_map(uc, ram->code_pa, 0x1000, UC_PROT_ALL), UC_ERR_OK);
    ck_assert_int_eq(uc_mem_map(uc, ram->pt_pa, POOL_SIZE, UC_PROT_ALL), UC_ERR_OK);
    ck_assert_int_eq(uc_mem_map(uc, ram->data_pa, ram->data_size, UC_PROT_ALL), UC_ERR_OK);
    ck_assert_int_eq(uc_mem_write(uc, ram->code_pa, ram->code, ram->code_size), UC_ERR_OK);
    ck_assert_int_eq(uc_mem_write(uc, ram->data_pa, fill, ram->fill_size), UC_ERR_OK);
    free(fill);
    uc_hook h;
    ck_assert_int_eq(uc_hook_add(uc, &h, UC_HOOK_INTR, (void *)on_intr, NULL, 1, 0), UC_ERR_OK);
}

uc_err diff_uc_run(uc_engine *uc, uint64_t va, uint64_t start, uint64_t stop)
{
    bool covered = uc_mem_map(uc, va & ~0xfffull, 0x1000, UC_PROT_ALL) == UC_ERR_OK;
    uc_intno = -1;
    uc_err err = uc_emu_start(uc, start, stop, 0, 0);
    if (covered)
        ck_assert_int_eq(uc_mem_unmap(uc, va & ~0xfffull, 0x1000), UC_ERR_OK);
    return err;
}

unsigned mmu_diff_cases(void)
{
    const char *s = getenv("RASIM_MMU_DIFF_N");
    unsigned long n = s ? strtoul(s, NULL, 0) : 0;
    return n ? (unsigned)n : 8000;
}
