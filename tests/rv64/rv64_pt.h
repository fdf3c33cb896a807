/*
 * rv64_pt.h - Sv39 and Sv48 page tables built by the test in guest memory
 * (through rasim_write_phys), over a machine with 16 MiB of RAM and
 * guest/mmu.S loaded at its base. Shared by test_rv64_mmu.c and
 * test_rv64_ras.c; header-only as rv64_guest.h is.
 *
 * PTE and satp layouts: KERNEL-FACTS.md 5.2 and 6 (priv spec "Sv39",
 * "Sv48", "Svnapot", "Svpbmt").
 *
 * Address spaces A (ASID 1) and B (ASID 2) share:
 *   VA 0x80000000-0x801fffff  identity, 4 KiB pages, RWX (code, data, stack)
 *   VA 0x80200000-0x80ffffff  identity, megapages, RW (page tables, data)
 *   VA 0xc0000000             gigapage -> PA 0x80000000, RWX
 * and differ in the test gigabyte at VA 0x40000000 (tables below). Sv48
 * root PT_ROOT_48 reuses root A as its first level-2 table and maps
 * VA_SV48 (not canonical for Sv39) through four levels.
 */
#ifndef RASIM_TESTS_RV64_PT_H
#define RASIM_TESTS_RV64_PT_H

#include "rv64_guest.h"

#define PT_RAM      0x80000000ull
#define PT_RAM_SIZE 0x01000000ull
#define PT_BUDGET   200000ull

/* PTE bits. */
#define PTE_V       (1ull << 0)
#define PTE_R       (1ull << 1)
#define PTE_W       (1ull << 2)
#define PTE_X       (1ull << 3)
#define PTE_U       (1ull << 4)
#define PTE_G       (1ull << 5)
#define PTE_A       (1ull << 6)
#define PTE_D       (1ull << 7)
#define PTE_N       (1ull << 63)
#define PTE_PBMT_IO (2ull << 61)
#define PTE_RWAD    (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define PTE_RXA     (PTE_V | PTE_R | PTE_X | PTE_A)
#define PTE_RWXAD   (PTE_RWAD | PTE_X)

#define SATP_SV39 (8ull << 60)
#define SATP_SV48 (9ull << 60)
#define ASID_A    1ull
#define ASID_B    2ull

#define MSTATUS_SUM   (1ull << 18)
#define MSTATUS_MXR   (1ull << 19)
#define MSTATUS_MPRV  (1ull << 17)
#define MSTATUS_MPP_S (1ull << 11)
#define MSTATUS_MPP_M (3ull << 11)
#define MENVCFG_CBO   0xf0ull /* CBIE = 11, CBCFE, CBZE */
#define MENVCFG_PBMTE (1ull << 62)
#define MENVCFG_ADUE  (1ull << 61)

/* Causes. */
#define CAUSE_FETCH_ACCESS 1
#define CAUSE_LOAD_ACCESS  5
#define CAUSE_STORE_ACCESS 7
#define CAUSE_FETCH_PF     12
#define CAUSE_LOAD_PF      13
#define CAUSE_STORE_PF     15
#define CAUSE_HW_ERROR     19

/* Table pages. */
#define PT_ROOT_A   0x80400000ull
#define PT_ROOT_B   0x80401000ull
#define PT_L1_IDENT 0x80402000ull
#define PT_L0_IDENT 0x80403000ull
#define PT_L1_A     0x80404000ull
#define PT_L0_A     0x80405000ull
#define PT_L1_B     0x80406000ull
#define PT_L0_B     0x80407000ull
#define PT_ROOT_48  0x80408000ull
#define PT_48_L2    0x80409000ull
#define PT_48_L1    0x8040a000ull
#define PT_48_L0    0x8040b000ull
#define PA_ABSENT   0x90000000ull /* no memory there */

/* Data pages: PA_DATA(n) starts with DATA_VALUE(n). */
#define PA_DATA(n)    (0x80800000ull + (uint64_t)(n)*0x1000)
#define DATA_VALUE(n) (0xd0d0000000000000ull | (uint64_t)(n))
#define PT_NDATA      24

/* The test gigabyte (VA 0x40000000) of space A, 4 KiB pages. */
#define VA_RW      0x40000000ull   /* data 0, RW */
#define VA_RO      0x40001000ull   /* data 1, R */
#define VA_XO      0x40002000ull   /* data 2, X only */
#define VA_U       0x40003000ull   /* data 3, RW U */
#define VA_NOA     0x40004000ull   /* data 4, RW, A = 0, D = 0 */
#define VA_NOD     0x40005000ull   /* data 5, RW, A = 1, D = 0 */
#define VA_INV     0x40006000ull   /* V = 0 */
#define VA_WNR     0x40007000ull   /* data 7, W without R: reserved */
#define VA_CODE    0x40008000ull   /* alias_page, R X */
#define VA_UCODE   0x40009000ull   /* alias_page, R X U */
#define VA_CROSS   0x4000a000ull   /* cross_page, then cross_page + 0x1000 */
#define VA_STALE   0x4000c000ull   /* data 8 (retargeted by tests) */
#define VA_GLOB    0x4000d000ull   /* data 10, G (retargeted by tests) */
#define VA_ABS     0x4000e000ull   /* -> PA_ABSENT */
#define VA_FN      0x4000f000ull   /* A: ret_one_page; B: ret_two_page */
#define VA_SPLIT   0x40010000ull   /* data 13, then data 12 */
#define VA_HALFINV 0x40012000ull   /* data 14, then V = 0 */
#define VA_HALFRO  0x40014000ull   /* data 15, then data 16 read-only */
#define VA_NOA2    0x40016000ull   /* data 17, A = 0 (fixed by the S handler) */
#define VA_PBMT    0x40017000ull   /* data 20, PBMT = IO */
#define VA_NAPOT   0x40020000ull   /* 64 KiB NAPOT -> PA_NAPOT, RW */
#define VA_NAPOT_X 0x40030000ull   /* 64 KiB NAPOT -> PT_RAM, R X */
#define VA_MEGA    0x40200000ull   /* megapage -> PA_MEGA, RW */
#define VA_MISAL   0x40400000ull   /* megapage with a misaligned PPN */
#define VA_MEGA_X  0x40600000ull   /* megapage -> PT_RAM, R X */
#define VA_WALKABS 0x40800000ull   /* L1 pointer to a table in absent memory */
#define VA_GIGA    0xc0000000ull   /* gigapage -> PT_RAM */
#define VA_SV48    0x8000000000ull /* Sv48 only: data 19 */
#define PA_NAPOT   0x80c00000ull
#define PA_MEGA    0x80a00000ull
/* Space B: VA_RW -> data 18, VA_FN -> ret_two_page. */

static inline uint64_t pt_pte(uint64_t pa, uint64_t flags)
{
    return (pa >> 12) << 10 | flags;
}

static inline void pt_set(rasim_machine *m, uint64_t table, unsigned index, uint64_t pte)
{
    guest_write64(m, table + 8ull * index, pte);
}

static inline uint64_t pt_get(rasim_machine *m, uint64_t table, unsigned index)
{
    return guest_read64(m, table + 8ull * index);
}

/* Where the leaf PTE of a 4 KiB test page of space A lives. */
static inline uint64_t pt_slot_a(uint64_t va)
{
    return PT_L0_A + ((va >> 12) & 511) * 8;
}

static inline void pt_map_a(rasim_machine *m, uint64_t va, uint64_t pa, uint64_t flags)
{
    guest_write64(m, pt_slot_a(va), pt_pte(pa, flags));
}

static inline uint64_t satp_a(void)
{
    return SATP_SV39 | ASID_A << 44 | PT_ROOT_A >> 12;
}

static inline uint64_t satp_b(void)
{
    return SATP_SV39 | ASID_B << 44 | PT_ROOT_B >> 12;
}

static inline uint64_t satp_48(void)
{
    return SATP_SV48 | ASID_A << 44 | PT_ROOT_48 >> 12;
}

static inline void pt_build(rasim_machine *m)
{
    uint64_t sym;
    /* Shared: identity and the gigapage. */
    for (unsigned i = 0; i < 512; i++)
        pt_set(m, PT_L0_IDENT, i, pt_pte(PT_RAM + i * 0x1000ull, PTE_RWXAD));
    pt_set(m, PT_L1_IDENT, 0, pt_pte(PT_L0_IDENT, PTE_V));
    for (unsigned i = 1; i < 8; i++)
        pt_set(m, PT_L1_IDENT, i, pt_pte(PT_RAM + i * 0x200000ull, PTE_RWAD));
    const uint64_t roots[2] = {PT_ROOT_A, PT_ROOT_B}, l1[2] = {PT_L1_A, PT_L1_B};
    for (unsigned r = 0; r < 2; r++) {
        pt_set(m, roots[r], 1, pt_pte(l1[r], PTE_V));
        pt_set(m, roots[r], 2, pt_pte(PT_L1_IDENT, PTE_V));
        pt_set(m, roots[r], 3, pt_pte(PT_RAM, PTE_RWXAD));
    }
    /* Space A, the test gigabyte. */
    pt_set(m, PT_L1_A, 0, pt_pte(PT_L0_A, PTE_V));
    pt_set(m, PT_L1_A, 1, pt_pte(PA_MEGA, PTE_RWAD));
    pt_set(m, PT_L1_A, 2, pt_pte(PA_MEGA + 0x1000, PTE_RWAD));
    pt_set(m, PT_L1_A, 3, pt_pte(PT_RAM, PTE_RXA));
    pt_set(m, PT_L1_A, 4, pt_pte(PA_ABSENT, PTE_V));
    for (unsigned n = 0; n < PT_NDATA; n++)
        guest_write64(m, PA_DATA(n), DATA_VALUE(n));
    guest_write64(m, PA_MEGA + 0x123458, 0x3e6a);
    guest_write64(m, PA_NAPOT + 0x5008, 0x4a907);
    pt_map_a(m, VA_RW, PA_DATA(0), PTE_RWAD);
    pt_map_a(m, VA_RO, PA_DATA(1), PTE_V | PTE_R | PTE_A);
    pt_map_a(m, VA_XO, PA_DATA(2), PTE_V | PTE_X | PTE_A);
    pt_map_a(m, VA_U, PA_DATA(3), PTE_RWAD | PTE_U);
    pt_map_a(m, VA_NOA, PA_DATA(4), PTE_V | PTE_R | PTE_W);
    pt_map_a(m, VA_NOD, PA_DATA(5), PTE_V | PTE_R | PTE_W | PTE_A);
    pt_map_a(m, VA_INV, PA_DATA(6), PTE_RWAD & ~PTE_V);
    pt_map_a(m, VA_WNR, PA_DATA(7), PTE_V | PTE_W | PTE_A | PTE_D);
    sym = guest_sym(m, "alias_page");
    pt_map_a(m, VA_CODE, sym, PTE_RXA);
    pt_map_a(m, VA_UCODE, sym, PTE_RXA | PTE_U);
    sym = guest_sym(m, "cross_page");
    pt_map_a(m, VA_CROSS, sym, PTE_RXA);
    pt_map_a(m, VA_CROSS + 0x1000, sym + 0x1000, PTE_RXA);
    pt_map_a(m, VA_STALE, PA_DATA(8), PTE_RWAD);
    pt_map_a(m, VA_GLOB, PA_DATA(10), PTE_RWAD | PTE_G);
    pt_map_a(m, VA_ABS, PA_ABSENT, PTE_RWXAD);
    pt_map_a(m, VA_FN, guest_sym(m, "ret_one_page"), PTE_RXA);
    pt_map_a(m, VA_SPLIT, PA_DATA(13), PTE_RWAD);
    pt_map_a(m, VA_SPLIT + 0x1000, PA_DATA(12), PTE_RWAD);
    pt_map_a(m, VA_HALFINV, PA_DATA(14), PTE_RWAD);
    pt_map_a(m, VA_HALFRO, PA_DATA(15), PTE_RWAD);
    pt_map_a(m, VA_HALFRO + 0x1000, PA_DATA(16), PTE_V | PTE_R | PTE_A);
    pt_map_a(m, VA_NOA2, PA_DATA(17), PTE_V | PTE_R | PTE_W | PTE_D);
    pt_map_a(m, VA_PBMT, PA_DATA(20), PTE_RWAD | PTE_PBMT_IO);
    /* Svnapot 64 KiB: ppn[3:0] = 1000, every PTE of the range alike. */
    for (unsigned i = 0; i < 16; i++) {
        pt_map_a(m, VA_NAPOT + i * 0x1000ull, PA_NAPOT | 0x8000, PTE_RWAD | PTE_N);
        pt_map_a(m, VA_NAPOT_X + i * 0x1000ull, PT_RAM | 0x8000, PTE_RXA | PTE_N);
    }
    /* Space B. */
    pt_set(m, PT_L1_B, 0, pt_pte(PT_L0_B, PTE_V));
    pt_set(m, PT_L0_B, (VA_RW >> 12) & 511, pt_pte(PA_DATA(18), PTE_RWAD));
    pt_set(m, PT_L0_B, (VA_FN >> 12) & 511, pt_pte(guest_sym(m, "ret_two_page"), PTE_RXA));
    /* Sv48: root[0] is Sv39 root A seen as a level-2 table. */
    pt_set(m, PT_ROOT_48, 0, pt_pte(PT_ROOT_A, PTE_V));
    pt_set(m, PT_ROOT_48, 1, pt_pte(PT_48_L2, PTE_V));
    pt_set(m, PT_48_L2, 0, pt_pte(PT_48_L1, PTE_V));
    pt_set(m, PT_48_L1, 0, pt_pte(PT_48_L0, PTE_V));
    pt_set(m, PT_48_L0, 0, pt_pte(PA_DATA(19), PTE_RWAD));
}

/*
 * A machine with the tables built, running in S-mode under satp A, CBOs
 * enabled. With handlers, stvec and mtvec point at guest/mmu.S's recording
 * handlers; without, an exception stops the run.
 */
static inline rasim_machine *pt_machine(bool handlers)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/mmu.o", RV64_GUEST_DIR);
    rasim_machine *m = rasim_new(RASIM_ARCH_RV64);
    ck_assert_ptr_nonnull(m);
    /* The architecture alone: no kernel model takes a trap. */
    ck_assert_int_eq(rasim_set_profile(m, "none"), 0);
    ck_assert_int_eq(rasim_add_region(m, "ram", PT_RAM, PT_RAM_SIZE, RASIM_REGION_RAM), 0);
    struct rasim_load_options opt = {.base_set = true, .base = PT_RAM};
    if (rasim_load(m, path, &opt) < 0)
        ck_abort_msg("%s", rasim_error(m));
    rasim_set_return_sentinel(m, GUEST_SENTINEL);
    /* The layout the tables assume: code pages where .balign put them. */
    ck_assert_uint_eq(guest_sym(m, "cross_page") & 0xfff, 0);
    ck_assert_uint_eq(guest_sym(m, "cross_fn") & 0xfff, 0xffc);
    ck_assert_uint_lt(guest_sym(m, "cross_page_alt"), PT_RAM + 0x8000);
    pt_build(m);
    guest_set(m, "menvcfg", MENVCFG_CBO | MENVCFG_PBMTE);
    guest_set(m, "stvec", handlers ? guest_sym(m, "mmu_s_handler") : 0);
    guest_set(m, "mtvec", handlers ? guest_sym(m, "mmu_m_handler") : 0);
    guest_set(m, "priv", 1);
    guest_set(m, "satp", satp_a());
    return m;
}

struct pt_rec {
    uint64_t count, cause, epc, tval;
};

static inline struct pt_rec pt_rec(rasim_machine *m, const char *which)
{
    struct pt_rec r;
    ck_assert_int_eq(rasim_read_phys(m, guest_sym(m, which), &r, sizeof(r)), 0);
    return r;
}

static inline void pt_rec_clear(rasim_machine *m)
{
    static const struct pt_rec zero;
    ck_assert_int_eq(rasim_write_phys(m, guest_sym(m, "s_rec"), &zero, sizeof(zero)), 0);
    ck_assert_int_eq(rasim_write_phys(m, guest_sym(m, "m_rec"), &zero, sizeof(zero)), 0);
}

/* Run from pc (the caller is the sentinel) with a0..a2. */
static inline struct rasim_stop pt_go(rasim_machine *m, uint64_t pc, uint64_t a0, uint64_t a1,
                                      uint64_t a2)
{
    struct rasim_stop stop;
    guest_set(m, "a0", a0);
    guest_set(m, "a1", a1);
    guest_set(m, "a2", a2);
    guest_set(m, "ra", GUEST_SENTINEL);
    guest_set(m, "sp", GUEST_STACK);
    guest_set(m, "pc", pc);
    ck_assert_int_eq(rasim_run(m, PT_BUDGET, &stop), 0);
    return stop;
}

#endif
