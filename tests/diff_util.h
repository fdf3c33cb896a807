/*
 * diff_util.h - what the differential tests against Unicorn share: the
 * random numbers their cases are drawn from and, for the translation tests
 * (test_*_mmu_diff_unicorn.c), the pool their page tables are built in and
 * the RAM both engines get.
 */
#ifndef RASIM_DIFF_UTIL_H
#define RASIM_DIFF_UTIL_H

#include "rasim.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unicorn/unicorn.h>

/* ---- random numbers ---------------------------------------------------- */

/* xorshift64* from a fixed seed, so a failing case comes back the same:
 * each program seeds it once, in main(). */
void rnd_seed(uint64_t seed);
uint64_t rnd64(void);
/* Below n. */
unsigned rnd(unsigned n);
/* An index below n, drawn in proportion to weight[0..n-1]. */
unsigned rnd_weighted(const unsigned *weight, unsigned n);

/* ---- the page-table pool ----------------------------------------------- */

/* POOL_SIZE bytes of 4 KiB tables at guest PA pool_pa, built in the host
 * image pool[] and then copied into both engines. pool_used is what the
 * trees being built take; pool_high the most ever taken, the part of the
 * image a copy must carry. */
#define POOL_SIZE 0x100000ull /* 256 tables */
extern uint8_t pool[POOL_SIZE];
extern uint64_t pool_pa, pool_used, pool_high;

/* An empty pool at pa, for the next trees. */
void pool_reset(uint64_t pa);
/* A zeroed table, or 0 when the pool is spent. */
uint64_t pool_alloc(void);
/* The entry at pa; 0 outside the pool. */
uint64_t pool_get(uint64_t pa);
/* Write the entry at pa, and mark it generated (zero or not). */
void pool_put(uint64_t pa, uint64_t d);
/* Whether the entry at pa was generated. */
bool pool_taken(uint64_t pa);
/* Copy the image into both engines. */
void pool_load(rasim_machine *m, uc_engine *uc);

/* ---- the translation tests' engines ------------------------------------ */

/* Their RAM, at the same PAs in both: a code page, the pool (POOL_SIZE
 * bytes at pt_pa), and the data RAM, whose first fill_size bytes hold in
 * each doubleword its own PA in the upper half and a NOP in the lower, so
 * a load names the PA it reached and a fetch there executes a NOP. */
struct diff_ram {
    uint64_t code_pa;
    const void *code;
    size_t code_size; /* at most a page */
    uint64_t pt_pa;
    uint64_t data_pa, data_size, fill_size;
    uint32_t nop;
};
/* The filled part's doubleword at pa. */
uint64_t diff_fill_word(const struct diff_ram *ram, uint64_t pa);
/* Put the doubleword at pa back as the RAM started, in both engines. */
void diff_restore_word(rasim_machine *m, uc_engine *uc, const struct diff_ram *ram, uint64_t pa);

/* The RAM for rasim, and a sink that records the PA of each data store
 * (not MTE tag stores) in rasim_write_pa, setting rasim_wrote. */
extern bool rasim_wrote;
extern uint64_t rasim_write_pa;
void diff_ram_rasim(rasim_machine *m, const struct diff_ram *ram);
/* Run rasim from start, at most 100 instructions, until it returns to stop
 * (the return sentinel) or stops otherwise; the store record cleared
 * first. */
void diff_rasim_run(rasim_machine *m, uint64_t start, uint64_t stop, struct rasim_stop *st);
/* The RAM for Unicorn, and a UC_HOOK_INTR hook that stops the run at any
 * exception, its number in uc_intno. */
extern int uc_intno;
void diff_ram_uc(uc_engine *uc, const struct diff_ram *ram);
/* Run Unicorn from start to stop, uc_intno -1 first, with a scratch page at
 * va's page (unless something is mapped there) for the duration: it checks
 * the virtual address against its own map before it translates
 * (unicorn-engine/unicorn issue 1718). */
uc_err diff_uc_run(uc_engine *uc, uint64_t va, uint64_t start, uint64_t stop);

/* Accesses per run: RASIM_MMU_DIFF_N, else 8000. */
unsigned mmu_diff_cases(void);

#endif
