/*
 * tables.h - translation tables written by hand into simulated RAM, for the
 * TLB and checker suites: tables are taken from the bottom of one RAM
 * region, and entries are written and read with phys_store/phys_load as a
 * guest would. arm64: 48-bit VA, 4 levels, 4 KiB granule; RV64: Sv39.
 */
#ifndef RASIM_TEST_MMU_TABLES_H
#define RASIM_TEST_MMU_TABLES_H

#include "mmu/mmu.h"

#include <stdint.h>

extern struct phys_mem *pm;

/* pm with one RAM region, [base, base + size), tables from its bottom. */
void tables_setup(uint64_t base, uint64_t size);
void tables_teardown(void);
/* The next 4 KiB page of the RAM, for a table. */
uint64_t new_table(void);
void wr(uint64_t pa, uint64_t v);
uint64_t rd(uint64_t pa);

/* ---- arm64 ----------------------------------------------------------------- */

/* Descriptors (KERNEL-FACTS 4.1). */
#define A_PAGE(pa)  ((pa) | 3 | (1ull << 10))
#define A_BLOCK(pa) ((pa) | 1 | (1ull << 10))
#define A_ATTR(i)   ((uint64_t)(i) << 2)
#define A_EL0       (1ull << 6)
#define A_RO        (1ull << 7)
#define A_AF        (1ull << 10)
#define A_NG        (1ull << 11)
#define A_DBM       (1ull << 51)
#define A_CONT      (1ull << 52)
#define A_UXN       (1ull << 54)
#define A_OA        0x0000fffffffff000ull

/* The roots a_ctx() puts in TTBR0 and TTBR1. */
extern uint64_t root0, root1;

/* Write desc as the entry for va at level `leaf` under root, making tables
 * on the way; returns the descriptor's PA. */
uint64_t a_put(uint64_t root, uint64_t va, int leaf, uint64_t desc);
/* EL1 with the MMU on: T0SZ = T1SZ = 16, TG1 4K, IPS 48, AS (16-bit
 * ASIDs), A1 = 0; TTBR0 root0 with asid, TTBR1 root1. */
struct mmu_a64_ctx a_ctx(uint16_t asid);
/* TLBI operand: VA[55:12] in bits 43:0, ASID in 63:48. */
uint64_t tlbi_arg(uint64_t va, uint16_t asid);

/* ---- RV64 ------------------------------------------------------------------ */

/* PTEs (KERNEL-FACTS 5.2). */
#define R_LEAF    (0x1ull | 0x2 | 0x4 | 0x8 | 0x40 | 0x80) /* V R W X A D */
#define R_W       (1ull << 2)
#define R_G       (1ull << 5)
#define R_A       (1ull << 6)
#define R_D       (1ull << 7)
#define R_N       (1ull << 63)
#define R_PBMT_IO (2ull << 61)
#define R_PPN(pa) (((pa) >> 12) << 10)

/* The root r_ctx() puts in satp. */
extern uint64_t rroot;

/* Write pte as the entry for va at level `leaf` (0: 4 KiB) of the Sv39 tree
 * under root, making tables on the way; returns the PTE's PA. */
uint64_t r_put(uint64_t root, uint64_t va, int leaf, uint64_t pte);
/* S-mode, Sv39 under rroot with asid, hardware A/D updates, Svnapot and
 * Svpbmt. */
struct mmu_rv64_ctx r_ctx(uint16_t asid);

#endif
