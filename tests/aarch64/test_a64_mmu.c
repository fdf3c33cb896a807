/*
 * test_a64_mmu.c - the interpreter with stage 1 translation on (SCTLR_EL1.M
 * = 1): page tables built by the test in guest memory (KERNEL-FACTS.md 4),
 * guest code fetched and data accessed through them, every fault with its
 * exact ESR and FAR (KERNEL-FACTS 2.1), PAN and the unprivileged loads and
 * stores, execute-never, hardware access flag and dirty state, the TLB
 * model and TLBI scopes, the host-pointer caches across PSTATE and
 * register changes, a fault taken to a guest vector and retried, and RAS
 * poison consumed by a walk.
 */
#include "a64_harness.h"
#include "test_util.h"

#include <check.h>
#include <string.h>

static rasim_machine *m;

/* Physical memory beyond the harness's code (A64H_CODE) and data regions. */
#define PT_BASE  0x48000000ull /* page tables (identity-mapped for the guest) */
#define PT_SIZE  0x200000ull
#define TGT_BASE 0x49000000ull /* pages the tests map and look at */
#define TGT_SIZE 0x800000ull
#define MB2      0x200000ull

/* Descriptor bits, KERNEL-FACTS 4.1. */
#define D_TABLE    3ull
#define D_PAGE     3ull
#define D_BLOCK    1ull
#define D_ATTR(i)  ((uint64_t)(i) << 2)
#define D_USER     (1ull << 6) /* AP[1]: EL0 access */
#define D_RDONLY   (1ull << 7) /* AP[2] */
#define D_SH_INNER (3ull << 8)
#define D_AF       (1ull << 10)
#define D_NG       (1ull << 11)
#define D_DBM      (1ull << 51)
#define D_CONT     (1ull << 52)
#define D_PXN      (1ull << 53)
#define D_UXN      (1ull << 54)
#define D_OA       0x0000fffffffff000ull

/* MAIR_EL1: index 0 Normal WB, 1 Tagged Normal (KERNEL-FACTS 9), 2 Device. */
#define MAIR          (0xffull | 0xf0ull << 8 | 0x00ull << 16)
#define ATTR_TAGGED   D_ATTR(1)
#define KDATA         (D_ATTR(0) | D_SH_INNER | D_AF | D_PXN | D_UXN) /* EL1 RW */
#define UDATA         (KDATA | D_USER)                                /* EL1 and EL0 RW */
#define KTEXT         (D_ATTR(0) | D_SH_INNER | D_AF | D_RDONLY)      /* exec at EL1 and EL0 */
#define PAGE_ATTRS(a) ((a) | D_NG)

/* TCR_EL1, KERNEL-FACTS 4.3. */
#define TCR_T0SZ(n) ((uint64_t)(n))
#define TCR_T1SZ(n) ((uint64_t)(n) << 16)
#define TCR_TG1_4K  (2ull << 30)
#define TCR_IPS_32  (0ull << 32)
#define TCR_IPS_48  (5ull << 32)
#define TCR_HA      (1ull << 39)
#define TCR_HD      (1ull << 40)
#define TCR_TBI0    (1ull << 37)
#define TCR_48      (TCR_T0SZ(16) | TCR_T1SZ(16) | TCR_TG1_4K | TCR_IPS_48)
#define TCR_39      (TCR_T0SZ(25) | TCR_T1SZ(25) | TCR_TG1_4K | TCR_IPS_48)

#define SCTLR_M   1ull
#define SCTLR_UCI (1ull << 26)
#define ASID(n)   ((uint64_t)(n) << 48)

#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define ISS_WNR     0x40
#define ISS_CM      0x100

/* VAs the tests map (all below 2^48: TTBR0, unless named otherwise). */
#define VA_CODE_ALIAS 0x0000123400000000ull /* the code again, 2 MiB block */
#define VA_PAGE       0x0000005555555000ull /* 4 KiB pages of TGT */
#define VA_BLOCK      0x0000006600200000ull /* a 2 MiB block of TGT */
#define VA_GIGA       0x0000008040000000ull /* a 1 GiB block over 0x40000000 */
#define VA_HI48       0xffff800012345000ull /* TTBR1, 48-bit */
#define VA_HI39       0xffffffc012345000ull /* TTBR1, 39-bit */

static uint64_t pt_next, root0, root1;

/* ---- memory and page tables, written from the host ---------------------- */

static uint64_t rd64(uint64_t pa)
{
    return a64h_read64(m, pa);
}

static void wr64(uint64_t pa, uint64_t v)
{
    a64h_write(m, pa, &v, 8);
}

static uint64_t pt_alloc(void)
{
    static const uint8_t zero[4096];
    uint64_t pa = pt_next;
    pt_next += 4096;
    ck_assert_uint_le(pt_next, PT_BASE + PT_SIZE);
    a64h_write(m, pa, zero, sizeof(zero));
    return pa;
}

static unsigned pt_index(uint64_t va, int level)
{
    return (unsigned)(va >> (12 + 9 * (3 - level))) & 511;
}

/* The PA of va's entry at level in the tree at root whose walks start at
 * level start (0 for 48-bit VAs, 1 for 39-bit), making tables on the way. */
static uint64_t pt_slot(uint64_t root, int start, uint64_t va, int level)
{
    uint64_t table = root;
    for (int l = start; l < level; l++) {
        uint64_t slot = table + 8 * pt_index(va, l);
        uint64_t d = rd64(slot);
        if (!(d & 1)) {
            d = pt_alloc() | D_TABLE;
            wr64(slot, d);
        }
        table = d & D_OA;
    }
    return table + 8 * pt_index(va, level);
}

/* Map va to pa with a level 3 page, or a level 1 or 2 block; returns the
 * entry's PA. */
static uint64_t pt_map_in(uint64_t root, int start, uint64_t va, uint64_t pa, int level,
                          uint64_t attrs)
{
    uint64_t slot = pt_slot(root, start, va, level);
    wr64(slot, pa | attrs | (level == 3 ? D_PAGE : D_BLOCK));
    return slot;
}

static uint64_t pt_map(uint64_t va, uint64_t pa, int level, uint64_t attrs)
{
    return pt_map_in((va >> 55) & 1 ? root1 : root0, 0, va, pa, level, attrs);
}

/* The identity map every test runs under: code, data (and stack), tables. */
static void identity_map(uint64_t r0, int start)
{
    pt_map_in(r0, start, A64H_CODE, A64H_CODE, 2, KTEXT);
    pt_map_in(r0, start, A64H_DATA, A64H_DATA, 2, KDATA);
    pt_map_in(r0, start, PT_BASE, PT_BASE, 2, KDATA);
}

static void mmu_on(uint64_t tcr)
{
    a64h_set(m, "mair_el1", MAIR);
    a64h_set(m, "tcr_el1", tcr);
    a64h_set(m, "ttbr0_el1", root0 | ASID(1));
    a64h_set(m, "ttbr1_el1", root1);
    a64h_set(m, "sctlr_el1", a64h_reg(m, "sctlr_el1") | SCTLR_M);
}

static void setup(void)
{
    m = a64h_machine("mmu.o");
    ck_assert_int_eq(rasim_add_region(m, "pt", PT_BASE, PT_SIZE, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "tgt", TGT_BASE, TGT_SIZE, RASIM_REGION_RAM), 0);
    pt_next = PT_BASE;
    root0 = pt_alloc();
    root1 = pt_alloc();
    identity_map(root0, 0);
}

static void teardown(void)
{
    rasim_free(m);
}

/* ---- calling guest code -------------------------------------------------- */

/* Call the routine at pc (any VA) with x0.. = args. */
static void call_at(uint64_t pc, const uint64_t *args, unsigned n, struct rasim_stop *stop)
{
    static const char *const xn[4] = {"x0", "x1", "x2", "x3"};
    for (unsigned i = 0; i < n && i < 4; i++)
        a64h_set(m, xn[i], args[i]);
    a64h_set(m, "lr", A64H_SENTINEL);
    a64h_set(m, "sp", A64H_STACK);
    a64h_set(m, "pc", pc);
    ck_assert_int_eq(rasim_run(m, 1000000, stop), 0);
}

/* Call sym expecting a return; the result is x0. */
static uint64_t run_ok(const char *sym, uint64_t a0, uint64_t a1, uint64_t a2)
{
    struct rasim_stop stop;
    call_at(a64h_sym(m, sym), (const uint64_t[]){a0, a1, a2}, 3, &stop);
    ck_assert_msg(stop.reason == RASIM_STOP_RETURNED,
                  "%s: stopped (%s) at pc 0x%llx, esr 0x%llx far 0x%llx", sym,
                  rasim_stop_reason_name(stop.reason), (unsigned long long)stop.pc,
                  (unsigned long long)stop.syndrome, (unsigned long long)stop.fault_addr);
    return a64h_reg(m, "x0");
}

/* Call sym expecting an abort with exactly this EC and ISS, FAR = far. */
static void run_abort(const char *sym, uint64_t a0, uint64_t a1, unsigned ec, uint32_t iss,
                      uint64_t far, struct rasim_stop *stop)
{
    struct rasim_stop local;
    if (!stop)
        stop = &local;
    call_at(a64h_sym(m, sym), (const uint64_t[]){a0, a1}, 2, stop);
    ck_assert_msg(stop->reason == RASIM_STOP_EXCEPTION, "%s: %s, not an abort", sym,
                  rasim_stop_reason_name(stop->reason));
    ck_assert_msg(stop->syndrome == ((uint64_t)ec << 26 | 1u << 25 | iss),
                  "%s: ESR 0x%llx, expected EC 0x%x ISS 0x%x", sym,
                  (unsigned long long)stop->syndrome, ec, iss);
    ck_assert(stop->fault_addr_valid);
    ck_assert_uint_eq(stop->fault_addr, far);
}

static void at_el0(void)
{
    a64h_set(m, "cpsr", 0x0); /* EL0t */
}

static void at_el1(void)
{
    a64h_set(m, "cpsr", 0x5); /* EL1h */
}

/* TLBI operand: VA[55:12] in bits 43:0, ASID in 63:48. */
static uint64_t tlbi_arg(uint64_t va, unsigned asid)
{
    return ((va >> 12) & 0xfffffffffffull) | ASID(asid);
}

/* ---- tests ---------------------------------------------------------------- */

START_TEST(translated_fetch_and_data)
{
    /* 4 KiB pages, a 2 MiB block, a 1 GiB block, all at an offset. */
    pt_map(VA_PAGE, TGT_BASE + 0x3000, 3, KDATA);
    pt_map(VA_BLOCK, TGT_BASE + MB2, 2, KDATA);
    pt_map(VA_GIGA, 0x40000000, 1, KDATA);
    pt_map(VA_CODE_ALIAS, A64H_CODE, 2, KTEXT);
    wr64(TGT_BASE + 0x3010, 0x1111);
    wr64(TGT_BASE + MB2 + 0x12348, 0x2222);
    wr64(TGT_BASE + 0x7000, 0x3333);
    mmu_on(TCR_48);

    ck_assert_uint_eq(run_ok("do_load", VA_PAGE + 0x10, 0, 0), 0x1111);
    ck_assert_uint_eq(run_ok("do_load", VA_BLOCK + 0x12348, 0, 0), 0x2222);
    ck_assert_uint_eq(run_ok("do_load", VA_GIGA + (TGT_BASE + 0x7000 - 0x40000000), 0, 0), 0x3333);
    run_ok("do_store", VA_PAGE + 0x18, 0xabcd, 0);
    ck_assert_uint_eq(rd64(TGT_BASE + 0x3018), 0xabcd);
    /* The VA itself is not memory. */
    ck_assert_uint_eq(rd64(TGT_BASE + 0x5018), 0);

    /* The code run from another VA: fetch translated too. */
    uint64_t alias = VA_CODE_ALIAS + (a64h_sym(m, "do_load_pair") - A64H_CODE);
    struct rasim_stop stop;
    wr64(TGT_BASE + 0x3020, 7);
    wr64(TGT_BASE + 0x3028, 8);
    call_at(alias, (const uint64_t[]){VA_PAGE + 0x20}, 1, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(a64h_reg(m, "x0"), 7);
    ck_assert_uint_eq(a64h_reg(m, "x1"), 8);
    ck_assert_uint_gt(stop.insns, 2);
}
END_TEST

START_TEST(contiguous_range_is_one_translation)
{
    /* 16 entries with the Contiguous bit map 64 KiB (KERNEL-FACTS 4.2). */
    uint64_t va = 0x0000007700000000ull, pa = TGT_BASE + 0x10000;
    uint64_t slot[16];
    for (unsigned i = 0; i < 16; i++) {
        slot[i] = pt_map(va + i * 0x1000, pa + i * 0x1000, 3, PAGE_ATTRS(KDATA) | D_CONT);
        wr64(pa + i * 0x1000, 0x100 + i);
    }
    wr64(TGT_BASE + 0x30000, 0xdead);
    mmu_on(TCR_48);
    ck_assert_uint_eq(run_ok("do_load", va + 5 * 0x1000, 0, 0), 0x105);
    /* Entry 9 rewritten without TLBI: the TLB holds the whole range from
     * the walk of entry 5, so page 9 still translates through it. */
    wr64(slot[9], (TGT_BASE + 0x30000) | PAGE_ATTRS(KDATA) | D_PAGE);
    ck_assert_uint_eq(run_ok("do_load", va + 9 * 0x1000, 0, 0), 0x109);
    run_ok("tlbi_vae1", tlbi_arg(va + 9 * 0x1000, 1), 0, 0);
    ck_assert_uint_eq(run_ok("do_load", va + 9 * 0x1000, 0, 0), 0xdead);
}
END_TEST

START_TEST(ttbr1_and_39_bit_vas)
{
    pt_map(VA_HI48, TGT_BASE + 0x4000, 3, KDATA);
    wr64(TGT_BASE + 0x4008, 0x4848);
    mmu_on(TCR_48);
    ck_assert_uint_eq(run_ok("do_load", VA_HI48 + 8, 0, 0), 0x4848);

    /* 39-bit VAs in both ranges: walks start at level 1 (KERNEL-FACTS 4.2). */
    uint64_t r0 = pt_alloc(), r1 = pt_alloc();
    identity_map(r0, 1);
    pt_map_in(r1, 1, VA_HI39, TGT_BASE + 0x6000, 3, KDATA);
    pt_map_in(r0, 1, 0x0000004000123000ull, TGT_BASE + 0x6000, 3, KDATA);
    wr64(TGT_BASE + 0x6010, 0x3939);
    a64h_set(m, "tcr_el1", TCR_39);
    a64h_set(m, "ttbr0_el1", r0 | ASID(7));
    a64h_set(m, "ttbr1_el1", r1 | ASID(7));
    run_ok("tlbi_vmalle1", 0, 0, 0);
    ck_assert_uint_eq(run_ok("do_load", VA_HI39 + 0x10, 0, 0), 0x3939);
    ck_assert_uint_eq(run_ok("do_load", 0x0000004000123010ull, 0, 0), 0x3939);
    /* A 48-bit kernel VA is outside the 39-bit upper range: translation fault. */
    struct rasim_stop stop;
    call_at(a64h_sym(m, "do_load"), (const uint64_t[]){VA_HI48}, 1, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(stop.syndrome >> 26, EC_DABT_CUR);
    ck_assert_uint_eq(stop.syndrome & 0x3c, 0x04);
    ck_assert_uint_eq(stop.fault_addr, VA_HI48);
}
END_TEST

START_TEST(fault_syndromes_at_each_level)
{
    struct rasim_stop stop;
    pt_map(VA_PAGE, TGT_BASE, 3, KDATA);
    pt_map(VA_PAGE + 0x1000, TGT_BASE, 3, KDATA & ~D_AF);
    pt_map(VA_PAGE + 0x2000, TGT_BASE, 3, KDATA | D_RDONLY);
    pt_map(VA_BLOCK, TGT_BASE + MB2, 2, KDATA & ~D_AF);
    pt_map(VA_BLOCK + MB2, TGT_BASE + MB2, 2, KDATA | D_RDONLY);
    pt_map(0x0000009000000000ull, 0x40000000, 1, KDATA & ~D_AF);
    pt_map(0x0000009040000000ull, 0x40000000, 1, KDATA | D_RDONLY);
    mmu_on(TCR_48);

    /* Translation faults: level 0 (no L1 table), 1, 2, 3. */
    run_abort("do_load", 0x0000f00000000000ull, 0, EC_DABT_CUR, 0x04, 0x0000f00000000000ull, &stop);
    ck_assert_uint_eq(stop.pc, a64h_sym(m, "do_load"));
    ck_assert_uint_eq(stop.exception_pc, a64h_sym(m, "do_load"));
    ck_assert(!stop.fault_pa_valid);
    run_abort("do_load", 0xc0000008ull, 0, EC_DABT_CUR, 0x05, 0xc0000008ull, NULL);
    run_abort("do_load", 0x40600010ull, 0, EC_DABT_CUR, 0x06, 0x40600010ull, NULL);
    run_abort("do_load", VA_PAGE + 0x3ff8, 0, EC_DABT_CUR, 0x07, VA_PAGE + 0x3ff8, NULL);
    run_abort("do_store", VA_PAGE + 0x3000, 1, EC_DABT_CUR, 0x07 | ISS_WNR, VA_PAGE + 0x3000, NULL);
    /* Access flag faults (TCR_EL1.HA = 0): levels 3, 2, 1. */
    run_abort("do_load", VA_PAGE + 0x1008, 0, EC_DABT_CUR, 0x0b, VA_PAGE + 0x1008, NULL);
    run_abort("do_store", VA_BLOCK + 0x40, 0, EC_DABT_CUR, 0x0a | ISS_WNR, VA_BLOCK + 0x40, NULL);
    run_abort("do_load", 0x0000009000000100ull, 0, EC_DABT_CUR, 0x09, 0x0000009000000100ull, NULL);
    /* Permission faults: a store to a read-only page and block. */
    ck_assert_uint_eq(run_ok("do_load", VA_PAGE + 0x2000, 0, 0), 0);
    run_abort("do_store", VA_PAGE + 0x2010, 5, EC_DABT_CUR, 0x0f | ISS_WNR, VA_PAGE + 0x2010, NULL);
    run_abort("do_store", VA_BLOCK + MB2 + 8, 5, EC_DABT_CUR, 0x0e | ISS_WNR, VA_BLOCK + MB2 + 8,
              NULL);
    run_abort("do_store", 0x0000009040000010ull, 5, EC_DABT_CUR, 0x0d | ISS_WNR,
              0x0000009040000010ull, NULL);
    /* From EL0: EL1-only page, EC 0x24. */
    at_el0();
    run_abort("do_load", VA_PAGE + 8, 0, EC_DABT_LOW, 0x0f, VA_PAGE + 8, NULL);
    run_abort("do_load", VA_PAGE + 0x3008, 0, EC_DABT_LOW, 0x07, VA_PAGE + 0x3008, NULL);
    at_el1();

    /* Instruction abort on a jump to an unmapped VA: IFSC, no WnR. */
    run_abort("do_jump", 0xc0000000ull, 0, EC_IABT_CUR, 0x05, 0xc0000000ull, &stop);
    ck_assert_uint_eq(stop.pc, 0xc0000000ull);
    ck_assert_uint_eq(stop.exception_pc, 0xc0000000ull);

    /* Output address above TCR_EL1.IPS (32 bits): address size fault, level 3. */
    pt_map(VA_PAGE + 0x5000, 0x100000000ull, 3, KDATA);
    a64h_set(m, "tcr_el1", (TCR_48 & ~(7ull << 32)) | TCR_IPS_32);
    run_abort("do_load", VA_PAGE + 0x5000, 0, EC_DABT_CUR, 0x03, VA_PAGE + 0x5000, NULL);
}
END_TEST

START_TEST(pan_and_unprivileged_accesses)
{
    uint64_t user = VA_PAGE, kern = VA_PAGE + 0x1000, user_ro = VA_PAGE + 0x2000;
    pt_map(user, TGT_BASE, 3, UDATA);
    pt_map(kern, TGT_BASE + 0x1000, 3, KDATA);
    pt_map(user_ro, TGT_BASE + 0x2000, 3, UDATA | D_RDONLY);
    wr64(TGT_BASE, 0x5555);
    wr64(TGT_BASE + 0x1000, 0x6666);
    mmu_on(TCR_48);

    /* PAN clear: EL1 reads a user page. */
    a64h_set(m, "pan", 0);
    ck_assert_uint_eq(run_ok("do_load", user, 0, 0), 0x5555);
    /* The uaccess pattern: PAN set, LDTR/STTR still reach the user page. */
    ck_assert_uint_eq(run_ok("uaccess_copy", user, 0x7777, 0), 0x5555);
    ck_assert_uint_eq(rd64(TGT_BASE + 8), 0x7777);
    ck_assert_uint_eq(a64h_reg(m, "pan"), 1ull << 22);
    /* ... while LDR faults: permission, level 3, EC 0x25. */
    run_abort("do_load", user + 8, 0, EC_DABT_CUR, 0x0f, user + 8, NULL);
    run_abort("do_store", user + 8, 1, EC_DABT_CUR, 0x0f | ISS_WNR, user + 8, NULL);
    /* LDTR/STTR use EL0 permissions: an EL1-only page or a read-only one
     * faults, taken from EL1 (EC 0x25). */
    run_abort("do_ldtr", kern, 0, EC_DABT_CUR, 0x0f, kern, NULL);
    run_abort("do_sttr", user_ro + 16, 1, EC_DABT_CUR, 0x0f | ISS_WNR, user_ro + 16, NULL);
    ck_assert_uint_eq(run_ok("do_ldtr", user_ro, 0, 0), 0);
    /* With PSTATE.UAO they are EL1 accesses: PAN applies, EL1 pages are fine. */
    run_abort("ldtr_with_uao", user, 0, EC_DABT_CUR, 0x0f, user, NULL);
    a64h_set(m, "cpsr", 0x5 | 1ull << 22); /* EL1h, PAN, UAO clear again */
    ck_assert_uint_eq(run_ok("ldtr_with_uao", kern, 0, 0), 0x6666);
    /* At EL0, LDTR is an ordinary EL0 load. */
    at_el0();
    ck_assert_uint_eq(run_ok("do_ldtr", user, 0, 0), 0x5555);
    run_abort("do_ldtr", kern, 0, EC_DABT_LOW, 0x0f, kern, NULL);
}
END_TEST

START_TEST(execute_never)
{
    struct rasim_stop stop;
    uint64_t pxn = 0x0000100000000000ull, uxn = 0x0000100000200000ull;
    uint64_t user_rw = 0x0000100000400000ull;
    pt_map(pxn, A64H_CODE, 2, KTEXT | D_PXN);
    pt_map(uxn, A64H_CODE, 2, KTEXT | D_UXN);
    pt_map(user_rw, A64H_CODE, 2, (KTEXT & ~D_RDONLY) | D_USER); /* EL0-writable */
    mmu_on(TCR_48);
    uint64_t off = a64h_sym(m, "do_load") - A64H_CODE;

    /* PXN: EL1 cannot fetch; permission fault at level 2, EC 0x21. */
    call_at(pxn + off, (const uint64_t[]){A64H_DATA}, 1, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(stop.syndrome, (uint64_t)EC_IABT_CUR << 26 | 1u << 25 | 0x0e);
    ck_assert_uint_eq(stop.fault_addr, pxn + off);
    ck_assert_uint_eq(stop.exception_pc, pxn + off);
    /* ... but EL0 can. */
    pt_map(A64H_DATA, A64H_DATA, 2, UDATA);
    run_ok("tlbi_vmalle1", 0, 0, 0);
    at_el0();
    call_at(pxn + off, (const uint64_t[]){A64H_DATA}, 1, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    /* UXN: EL0 cannot fetch (EC 0x20), EL1 can. */
    call_at(uxn + off, (const uint64_t[]){A64H_DATA}, 1, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(stop.syndrome, (uint64_t)EC_IABT_LOW << 26 | 1u << 25 | 0x0e);
    ck_assert_uint_eq(stop.fault_addr, uxn + off);
    at_el1();
    call_at(uxn + off, (const uint64_t[]){A64H_DATA}, 1, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    /* EL1 may not execute what EL0 may write (implied PXN). */
    call_at(user_rw + off, (const uint64_t[]){A64H_DATA}, 1, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(stop.syndrome, (uint64_t)EC_IABT_CUR << 26 | 1u << 25 | 0x0e);
}
END_TEST

START_TEST(hardware_access_flag)
{
    uint64_t slot = pt_map(VA_PAGE, TGT_BASE + 0x1000, 3, KDATA & ~D_AF);
    wr64(TGT_BASE + 0x1000, 0xaf);
    mmu_on(TCR_48 | TCR_HA);
    ck_assert_uint_eq(rd64(slot) & D_AF, 0);
    ck_assert_uint_eq(run_ok("do_load", VA_PAGE, 0, 0), 0xaf);
    ck_assert_uint_eq(rd64(slot), (TGT_BASE + 0x1000) | KDATA | D_PAGE);
}
END_TEST

START_TEST(hardware_dirty_state)
{
    /* Writable-clean: DBM = 1 with AP[2] = 1 (KERNEL-FACTS 4.4). */
    uint64_t clean = (KDATA | D_RDONLY | D_DBM) & ~D_AF;
    uint64_t slot = pt_map(VA_PAGE, TGT_BASE + 0x1000, 3, clean);
    mmu_on(TCR_48 | TCR_HA | TCR_HD);
    /* A read sets AF and leaves it clean. */
    run_ok("do_load", VA_PAGE, 0, 0);
    ck_assert_uint_eq(rd64(slot), (TGT_BASE + 0x1000) | clean | D_AF | D_PAGE);
    /* A write after it (the read's translation does not allow writes)
     * makes it dirty: AP[2] cleared in memory. */
    run_ok("load_then_store", VA_PAGE + 8, 0xd1, 0);
    ck_assert_uint_eq(rd64(TGT_BASE + 0x1008), 0xd1);
    ck_assert_uint_eq(rd64(slot), ((TGT_BASE + 0x1000) | clean | D_AF | D_PAGE) & ~D_RDONLY);

    /* HD = 0: the same write is a permission fault. */
    uint64_t slot2 = pt_map(VA_PAGE + 0x1000, TGT_BASE + 0x2000, 3, clean | D_AF);
    a64h_set(m, "tcr_el1", TCR_48 | TCR_HA);
    run_abort("load_then_store", VA_PAGE + 0x1008, 1, EC_DABT_CUR, 0x0f | ISS_WNR, VA_PAGE + 0x1008,
              NULL);
    ck_assert_uint_eq(rd64(slot2) & D_RDONLY, D_RDONLY);
}
END_TEST

/* One TLBI operation against a stale non-global entry (ASID 1) of VA_PAGE:
 * an operand that misses keeps it, the right one drops it. */
static void check_tlbi(const char *fn, uint64_t miss, uint64_t hit, uint64_t slot)
{
    wr64(slot, TGT_BASE | PAGE_ATTRS(KDATA) | D_PAGE);
    run_ok("tlbi_vmalle1", 0, 0, 0);
    ck_assert_uint_eq(run_ok("do_load", VA_PAGE, 0, 0), 0x1111);
    wr64(slot, (TGT_BASE + 0x1000) | PAGE_ATTRS(KDATA) | D_PAGE);
    ck_assert_msg(run_ok("do_load", VA_PAGE, 0, 0) == 0x1111, "%s: not stale", fn);
    if (miss != UINT64_MAX) {
        run_ok(fn, miss, 0, 0);
        ck_assert_msg(run_ok("do_load", VA_PAGE, 0, 0) == 0x1111, "%s: dropped on a miss", fn);
    }
    run_ok(fn, hit, 0, 0);
    ck_assert_msg(run_ok("do_load", VA_PAGE, 0, 0) == 0x2222, "%s: still stale", fn);
}

START_TEST(stale_tlb_until_the_right_tlbi)
{
    uint64_t slot = pt_map(VA_PAGE, TGT_BASE, 3, PAGE_ATTRS(KDATA));
    wr64(TGT_BASE, 0x1111);
    wr64(TGT_BASE + 0x1000, 0x2222);
    mmu_on(TCR_48);
    uint64_t other_va = tlbi_arg(VA_PAGE + 0x1000, 1), other_asid = tlbi_arg(VA_PAGE, 2);
    uint64_t right = tlbi_arg(VA_PAGE, 1);
    check_tlbi("tlbi_vae1", other_va, right, slot);
    check_tlbi("tlbi_vae1is", other_asid, right, slot);
    check_tlbi("tlbi_vale1", other_asid, right, slot);
    check_tlbi("tlbi_vale1is", other_va, right, slot);
    check_tlbi("tlbi_vaae1", other_va, other_asid, slot); /* any ASID */
    check_tlbi("tlbi_vaae1is", other_va, other_asid, slot);
    check_tlbi("tlbi_vaale1", other_va, other_asid, slot);
    check_tlbi("tlbi_vaale1is", other_va, other_asid, slot);
    check_tlbi("tlbi_aside1", ASID(2), ASID(1), slot);
    check_tlbi("tlbi_aside1is", ASID(2), ASID(1), slot);
    check_tlbi("tlbi_vmalle1", UINT64_MAX, 0, slot);
    check_tlbi("tlbi_vmalle1is", UINT64_MAX, 0, slot);

    /* A global entry survives TLBI ASIDE1. */
    wr64(slot, TGT_BASE | KDATA | D_PAGE);
    run_ok("tlbi_vmalle1", 0, 0, 0);
    ck_assert_uint_eq(run_ok("do_load", VA_PAGE, 0, 0), 0x1111);
    wr64(slot, (TGT_BASE + 0x1000) | KDATA | D_PAGE);
    run_ok("tlbi_aside1", ASID(1), 0, 0);
    ck_assert_uint_eq(run_ok("do_load", VA_PAGE, 0, 0), 0x1111);

    /* An entry made invalid stays usable until the TLBI; then it faults. */
    wr64(slot, 0);
    ck_assert_uint_eq(run_ok("do_load", VA_PAGE, 0, 0), 0x1111);
    run_ok("tlbi_vaale1", tlbi_arg(VA_PAGE, 0), 0, 0);
    run_abort("do_load", VA_PAGE, 0, EC_DABT_CUR, 0x07, VA_PAGE, NULL);

    /* Writing TTBR0 (same ASID) keeps the TLB: the old translation stays. */
    wr64(slot, TGT_BASE | PAGE_ATTRS(KDATA) | D_PAGE);
    ck_assert_uint_eq(run_ok("do_load", VA_PAGE, 0, 0), 0x1111);
    uint64_t r2 = pt_alloc();
    identity_map(r2, 0);
    pt_map_in(r2, 0, VA_PAGE, TGT_BASE + 0x1000, 3, PAGE_ATTRS(KDATA));
    a64h_set(m, "ttbr0_el1", r2 | ASID(1));
    ck_assert_uint_eq(run_ok("do_load", VA_PAGE, 0, 0), 0x1111);
    /* ... and so does an MSR TTBR0_EL1 by the guest. */
    run_ok("load_across_ttbr0_switch", root0 | ASID(1), r2 | ASID(1), VA_PAGE);
    ck_assert_uint_eq(a64h_reg(m, "x0"), 0x1111);
    ck_assert_uint_eq(a64h_reg(m, "x1"), 0x1111);
    /* A reset empties it. */
    rasim_reset_cpu(m);
    mmu_on(TCR_48);
    a64h_set(m, "ttbr0_el1", r2 | ASID(1));
    ck_assert_uint_eq(run_ok("do_load", VA_PAGE, 0, 0), 0x2222);

    /* The range forms (FEAT_TLBIRANGE) are not implemented. */
    struct rasim_stop stop;
    call_at(a64h_sym(m, "tlbi_rvae1"), (const uint64_t[]){0}, 1, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(stop.syndrome, 1u << 25);
}
END_TEST

START_TEST(host_caches_follow_the_permission_context)
{
    uint64_t user = VA_PAGE, kern = VA_PAGE + 0x1000, ro = VA_PAGE + 0x2000;
    pt_map(user, TGT_BASE, 3, UDATA);
    pt_map(kern, TGT_BASE + 0x1000, 3, KDATA);
    pt_map(ro, TGT_BASE + 0x2000, 3, KDATA | D_RDONLY);
    mmu_on(TCR_48);
    uint64_t base = a64h_sym(m, "load_then_set_pan");
    struct rasim_stop stop;

    /* PAN set between two loads of a user page: the second faults. */
    run_abort("load_then_set_pan", user, 0, EC_DABT_CUR, 0x0f, user, &stop);
    ck_assert_uint_eq(stop.pc, base + 12);
    a64h_set(m, "pan", 0);
    run_abort("load_then_set_pan_reg", user, 0, EC_DABT_CUR, 0x0f, user, &stop);
    ck_assert_uint_eq(stop.pc, a64h_sym(m, "load_then_set_pan_reg") + 16);
    a64h_set(m, "pan", 0);
    /* EL1 reads an EL1-only page, ERETs to EL0, which must not. */
    uint64_t el0 = a64h_sym(m, "el0_load");
    run_abort("load_then_eret_el0", kern, el0, EC_DABT_LOW, 0x0f, kern, &stop);
    ck_assert_uint_eq(stop.pc, el0);
    at_el1();
    /* An LDR does not vouch for an LDTR, a read not for a write. */
    run_abort("load_then_ldtr", kern, 0, EC_DABT_CUR, 0x0f, kern, NULL);
    run_abort("load_then_store", ro, 1, EC_DABT_CUR, 0x0f | ISS_WNR, ro, NULL);

    /* Fetch: EL1 runs from a UXN page, then ERETs to EL0 in that page. */
    uint64_t uxn = 0x0000100000200000ull;
    pt_map(uxn, A64H_CODE, 2, KTEXT | D_UXN);
    pt_map(user, TGT_BASE, 3, UDATA);
    call_at(uxn + (base - A64H_CODE), (const uint64_t[]){user}, 1, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION); /* PAN, as above: it ran */
    a64h_set(m, "pan", 0);
    uint64_t el0_alias = uxn + (el0 - A64H_CODE);
    call_at(uxn + (a64h_sym(m, "load_then_eret_el0") - A64H_CODE),
            (const uint64_t[]){user, el0_alias}, 2, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(stop.syndrome, (uint64_t)EC_IABT_LOW << 26 | 1u << 25 | 0x0e);
    ck_assert_uint_eq(stop.fault_addr, el0_alias);
}
END_TEST

START_TEST(register_writes_drop_host_caches)
{
    /* With the MMU off VA X is PA X; with it on, X maps elsewhere. */
    uint64_t x = TGT_BASE + 0x4000;
    pt_map(x, TGT_BASE + 0x5000, 3, PAGE_ATTRS(KDATA)); /* not global: ASID 1 only */
    wr64(TGT_BASE + 0x4000, 0x0ff);
    wr64(TGT_BASE + 0x5000, 0x0aa);
    a64h_set(m, "mair_el1", MAIR);
    a64h_set(m, "tcr_el1", TCR_48);
    a64h_set(m, "ttbr0_el1", root0 | ASID(1));
    ck_assert_uint_eq(run_ok("do_load", x, 0, 0), 0x0ff);
    uint64_t sctlr = a64h_reg(m, "sctlr_el1") | SCTLR_M;
    ck_assert_uint_eq(run_ok("mmu_on_then_load", sctlr, x, 0), 0x0aa);

    /* MSR TTBR0_EL1 to another ASID's tables between two loads. */
    uint64_t r2 = pt_alloc();
    identity_map(r2, 0);
    pt_map_in(r2, 0, x, TGT_BASE + 0x4000, 3, PAGE_ATTRS(KDATA));
    run_ok("load_across_ttbr0_switch", root0 | ASID(1), r2 | ASID(2), x);
    ck_assert_uint_eq(a64h_reg(m, "x0"), 0x0aa);
    ck_assert_uint_eq(a64h_reg(m, "x1"), 0x0ff);
}
END_TEST

START_TEST(translation_fault_taken_and_retried)
{
    /* The guest's handler maps the page on demand and ERETs to retry. */
    uint64_t va = VA_PAGE + 0x1000;
    pt_map(VA_PAGE, TGT_BASE, 3, KDATA); /* makes the level 3 table */
    uint64_t slot = pt_slot(root0, 0, va, 3);
    wr64(TGT_BASE + 0x1020, 0xfeed);
    mmu_on(TCR_48);
    a64h_set(m, "vbar_el1", a64h_sym(m, "mmu_vectors"));
    a64h_set(m, "x22", va + 0x20);
    a64h_set(m, "x20", slot); /* the tables are identity-mapped */
    a64h_set(m, "x21", (TGT_BASE + 0x1000) | KDATA | D_PAGE);
    ck_assert_uint_eq(run_ok("demand_load", va + 0x20, 0, 0), 0xfeed);
    ck_assert_uint_eq(a64h_reg(m, "x27"), 1);
    ck_assert_uint_eq(a64h_reg(m, "x24"), (uint64_t)EC_DABT_CUR << 26 | 1u << 25 | 0x07);
    ck_assert_uint_eq(a64h_reg(m, "x25"), va + 0x20);
    ck_assert_uint_eq(a64h_reg(m, "x26"), a64h_sym(m, "demand_load") + 4);
    ck_assert_uint_eq(a64h_reg(m, "far_el1"), va + 0x20);
    ck_assert_uint_eq(rd64(slot), (TGT_BASE + 0x1000) | KDATA | D_PAGE);

    /* From EL0, to the lower-EL vector: EC 0x24, permission (EL1-only). */
    a64h_set(m, "x21", (TGT_BASE + 0x1000) | UDATA | D_PAGE);
    run_ok("tlbi_vmalle1", 0, 0, 0);
    pt_map(A64H_DATA, A64H_DATA, 2, UDATA);
    at_el0();
    /* Then load the (EL1-only) table page: the handler wrote it at EL1, and
     * back at EL0 that access must not be reusable. */
    ck_assert_uint_eq(run_ok("demand_load2", va + 0x20, slot, 0), 0xbad);
    ck_assert_uint_eq(a64h_reg(m, "x2"), 0xfeed);
    ck_assert_uint_eq(a64h_reg(m, "x27"), 2);
    ck_assert_uint_eq(a64h_reg(m, "x25"), slot);
    ck_assert_uint_eq(a64h_reg(m, "x24"), (uint64_t)EC_DABT_LOW << 26 | 1u << 25 | 0x0e);
    ck_assert_uint_eq(a64h_reg(m, "currentel"), 0);
}
END_TEST

/* Poison the cache line of one descriptor. */
static void poison(uint64_t pa)
{
    struct rasim_poison p = {.pa = pa, .len = 8, .kind = RASIM_POISON_PERSISTENT};
    ck_assert_msg(rasim_poison(m, &p) == 0, "%s", rasim_error(m));
}

START_TEST(poison_on_a_table_walk)
{
    /* A VA whose tables share no line with the identity map's. */
    uint64_t va = 0x0000080000000000ull + 0x1234000;
    pt_map(va, TGT_BASE + 0x7000, 3, KDATA);
    wr64(TGT_BASE + 0x7018, 0x5151);
    uint64_t slot[4];
    for (int level = 0; level < 4; level++)
        slot[level] = pt_slot(root0, 0, va, level);
    mmu_on(TCR_48);

    struct rasim_stop stop;
    for (int level = 0; level < 4; level++) {
        poison(slot[level]);
        /* SEA on the walk: DFSC 0x14 + level, FAR the VA, the PA the
         * descriptor's (KERNEL-FACTS 2.1). */
        run_abort("do_load", va + 0x18, 0, EC_DABT_CUR, 0x14 + (unsigned)level, va + 0x18, &stop);
        ck_assert(stop.fault_pa_valid);
        ck_assert_uint_eq(stop.fault_pa, slot[level]);
        struct rasim_error_record rec;
        ck_assert_uint_eq(rasim_error_log_count(m), 1);
        ck_assert_int_eq(rasim_error_log_get(m, 0, &rec), 0);
        ck_assert_str_eq(rec.access, "walk");
        ck_assert_uint_eq(rec.pa, slot[level]);
        rasim_poison_clear(m);
    }
    ck_assert_uint_eq(run_ok("do_load", va + 0x18, 0, 0), 0x5151);

    /* Poison in the data itself: DFSC 0x10, the translated PA. */
    poison(TGT_BASE + 0x7018);
    run_abort("do_load", va + 0x18, 0, EC_DABT_CUR, 0x10, va + 0x18, &stop);
    ck_assert_uint_eq(stop.fault_pa, TGT_BASE + 0x7018);
    rasim_poison_clear(m);

    /* A fetch whose walk reads poison: instruction abort, IFSC 0x14 + 3. */
    uint64_t code_va = 0x0000090000000000ull;
    uint64_t off = a64h_sym(m, "do_load") & 0xfff;
    uint64_t code_slot = pt_map(code_va, a64h_sym(m, "do_load") & ~0xfffull, 3, KTEXT);
    poison(code_slot);
    call_at(code_va + off, (const uint64_t[]){va}, 1, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(stop.syndrome, (uint64_t)EC_IABT_CUR << 26 | 1u << 25 | 0x17);
    ck_assert_uint_eq(stop.fault_addr, code_va + off);
    ck_assert_uint_eq(stop.fault_pa, code_slot);
}
END_TEST

START_TEST(atomics_exclusives_and_maintenance)
{
    uint64_t rw = VA_PAGE, ro = VA_PAGE + 0x1000, none = VA_PAGE + 0x2000;
    uint64_t user = VA_PAGE + 0x3000;
    pt_map(rw, TGT_BASE + 0x8000, 3, KDATA);
    pt_map(ro, TGT_BASE + 0x9000, 3, KDATA | D_RDONLY);
    pt_map(user, TGT_BASE + 0xa000, 3, UDATA);
    wr64(TGT_BASE + 0x8000, 40);
    mmu_on(TCR_48);

    /* LSE: the old value from the translated PA, the sum stored there. */
    ck_assert_uint_eq(run_ok("do_ldadd", rw, 2, 0), 40);
    ck_assert_uint_eq(rd64(TGT_BASE + 0x8000), 42);
    /* A fault a read would take reports WnR = 0, one only the write takes
     * WnR = 1 (ArmARM, ISS WnR for atomics). */
    run_abort("do_ldadd", none, 1, EC_DABT_CUR, 0x07, none, NULL);
    run_abort("do_ldadd", ro, 1, EC_DABT_CUR, 0x0f | ISS_WNR, ro, NULL);
    /* CAS: a failed compare on a read-only page still checks the write. */
    ck_assert_uint_eq(run_ok("do_cas", rw, 42, 50), 42);
    ck_assert_uint_eq(rd64(TGT_BASE + 0x8000), 50);
    run_abort("do_cas", ro, 1, EC_DABT_CUR, 0x0f | ISS_WNR, ro, NULL);
    /* Exclusives: the monitor on the translated PA. */
    ck_assert_uint_eq(run_ok("do_ldxr_stxr", rw + 8, 77, 0), 0);
    ck_assert_uint_eq(rd64(TGT_BASE + 0x8008), 77);
    run_abort("do_stxr", ro, 1, EC_DABT_CUR, 0x0f | ISS_WNR, ro, NULL);
    /* A pair across into an unmapped page: FAR is that page's first byte. */
    run_abort("do_load_pair", ro + 0xff8, 0, EC_DABT_CUR, 0x07, none, NULL);

    /* DC by VA: translation faults with CM and WnR; no permission fault at
     * EL1 except DC IVAC; PAN does not apply. DC ZVA is a store. */
    run_abort("do_dc_civac", none + 0x40, 0, EC_DABT_CUR, 0x07 | ISS_CM | ISS_WNR, none + 0x40,
              NULL);
    run_abort("do_ic_ivau", none, 0, EC_DABT_CUR, 0x07 | ISS_CM | ISS_WNR, none, NULL);
    run_ok("do_dc_civac", ro, 0, 0);
    run_abort("do_dc_ivac", ro, 0, EC_DABT_CUR, 0x0f | ISS_CM | ISS_WNR, ro, NULL);
    run_abort("do_dc_zva", ro, 0, EC_DABT_CUR, 0x0f | ISS_WNR, ro, NULL);
    a64h_set(m, "pan", 1ull << 22);
    run_ok("do_dc_civac", user, 0, 0);
    run_abort("do_dc_zva", user, 0, EC_DABT_CUR, 0x0f | ISS_WNR, user, NULL);
    a64h_set(m, "pan", 0);
    wr64(TGT_BASE + 0x8040, 0x1234);
    run_ok("do_dc_zva", rw + 0x40, 0, 0);
    ck_assert_uint_eq(rd64(TGT_BASE + 0x8040), 0);
    /* At EL0 (SCTLR_EL1.UCI) they need read permission at EL0. */
    a64h_set(m, "sctlr_el1", a64h_reg(m, "sctlr_el1") | SCTLR_UCI);
    pt_map(A64H_DATA, A64H_DATA, 2, UDATA);
    run_ok("tlbi_vmalle1", 0, 0, 0);
    at_el0();
    run_ok("do_dc_civac", user, 0, 0);
    run_abort("do_dc_civac", rw, 0, EC_DABT_LOW, 0x0f | ISS_CM | ISS_WNR, rw, NULL);
}
END_TEST

START_TEST(mte_tags_through_translation)
{
    uint64_t tagged = VA_PAGE, plain = VA_PAGE + 0x1000;
    pt_map(tagged, TGT_BASE + 0xb000, 3, KDATA | ATTR_TAGGED);
    pt_map(plain, TGT_BASE + 0xc000, 3, KDATA);
    ck_assert_int_eq(rasim_write_tag(m, TGT_BASE + 0xc020, 9), 0);
    mmu_on(TCR_48 | TCR_TBI0); /* logical tags in VA bits 59:56 */
    uint8_t tag;
    /* Tagged Normal memory (MAIR 0xF0): STG sets the tag at the translated PA. */
    run_ok("do_stg", tagged + 0x30 + (5ull << 56), 0, 0);
    ck_assert_int_eq(rasim_read_tag(m, TGT_BASE + 0xb030, &tag), 0);
    ck_assert_uint_eq(tag, 5);
    ck_assert_uint_eq(run_ok("do_ldg", tagged + 0x30, 0, 0), 5);
    /* Untagged memory: tags read as 0 and writes are ignored. */
    ck_assert_uint_eq(run_ok("do_ldg", plain + 0x20, 0, 0), 0);
    run_ok("do_stg", plain + 0x20 + (3ull << 56), 0, 0);
    ck_assert_int_eq(rasim_read_tag(m, TGT_BASE + 0xc020, &tag), 0);
    ck_assert_uint_eq(tag, 9);
    /* A tag store to a read-only page faults like a store. */
    pt_map(plain, TGT_BASE + 0xc000, 3, KDATA | ATTR_TAGGED | D_RDONLY);
    run_ok("tlbi_vmalle1", 0, 0, 0);
    run_abort("do_stg", plain + 0x40, 0, EC_DABT_CUR, 0x0f | ISS_WNR, plain + 0x40, NULL);
}
END_TEST

START_TEST(alignment_checked_on_cached_pages)
{
    /* An aligned atomic caches the page; an unaligned one must still take
     * the alignment fault (DFSC 0x21), MMU off and on. */
    for (int on = 0; on < 2; on++) {
        if (on) {
            pt_map(VA_PAGE, TGT_BASE + 0x1000, 3, KDATA);
            mmu_on(TCR_48);
        }
        uint64_t va = on ? VA_PAGE : TGT_BASE;
        ck_assert_uint_eq(run_ok("do_ldadd", va + 8, 1, 0), 0);
        run_abort("do_ldadd", va + 4, 1, EC_DABT_CUR, 0x21, va + 4, NULL);
        run_abort("do_cas", va + 2, 1, EC_DABT_CUR, 0x21, va + 2, NULL);
        ck_assert_uint_eq(run_ok("do_load", va + 8, 0, 0), 1);
    }
}
END_TEST

/* A reset - every scenario and campaign run starts from one - keeps what
 * is attached to the CPU: with the MMU checker on, every use of a TLB entry
 * still reaches it (no host-pointer shortcut), so a stale translation used
 * twice after a mapping moved without break-before-make is reported for
 * each page; and an event sink still gets its events. */
static void count_events(void *ctx, const struct rasim_event *e)
{
    (void)e;
    (*(unsigned *)ctx)++;
}

START_TEST(reset_keeps_the_checker_and_the_event_sink)
{
    uint64_t slot0 = pt_map(VA_PAGE, TGT_BASE, 3, PAGE_ATTRS(KDATA));
    uint64_t slot1 = pt_map(VA_PAGE + 0x1000, TGT_BASE + 0x1000, 3, PAGE_ATTRS(KDATA));
    ck_assert_int_eq(rasim_set_mmu_check(m, true), 0);
    rasim_reset_cpu(m);
    mmu_on(TCR_48);
    for (int round = 0; round < 2; round++) {
        run_ok("do_load", VA_PAGE, 0, 0);
        run_ok("do_load", VA_PAGE + 0x1000, 0, 0);
        if (!round) { /* move both pages, no invalid entry, no TLBI */
            run_ok("do_store", slot0, (TGT_BASE + 0x2000) | PAGE_ATTRS(KDATA) | D_PAGE, 0);
            run_ok("do_store", slot1, (TGT_BASE + 0x3000) | PAGE_ATTRS(KDATA) | D_PAGE, 0);
        }
    }
    unsigned bbm = 0, stale = 0;
    for (size_t i = 0; i < rasim_mmu_warning_count(m); i++) {
        struct rasim_mmu_warning w;
        ck_assert_int_eq(rasim_mmu_warning_get(m, i, &w), 0);
        bbm += !strcmp(w.kind, "break-before-make");
        stale += !strcmp(w.kind, "stale");
    }
    ck_assert_uint_eq(bbm, 2);
    ck_assert_uint_eq(stale, 2);

    unsigned events = 0;
    ck_assert_int_eq(rasim_set_event_sink(m, RASIM_EV_BIT(RASIM_EV_INSN), count_events, &events),
                     0);
    rasim_reset_cpu(m);
    run_ok("do_load", TGT_BASE, 0, 0); /* MMU off after the reset */
    ck_assert_uint_eq(events, 2);      /* ldr, ret */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("a64_mmu");
    TCase *tc = tcase_create("mmu");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, translated_fetch_and_data);
    tcase_add_test(tc, contiguous_range_is_one_translation);
    tcase_add_test(tc, ttbr1_and_39_bit_vas);
    tcase_add_test(tc, fault_syndromes_at_each_level);
    tcase_add_test(tc, pan_and_unprivileged_accesses);
    tcase_add_test(tc, execute_never);
    tcase_add_test(tc, hardware_access_flag);
    tcase_add_test(tc, hardware_dirty_state);
    tcase_add_test(tc, stale_tlb_until_the_right_tlbi);
    tcase_add_test(tc, host_caches_follow_the_permission_context);
    tcase_add_test(tc, register_writes_drop_host_caches);
    tcase_add_test(tc, translation_fault_taken_and_retried);
    tcase_add_test(tc, poison_on_a_table_walk);
    tcase_add_test(tc, atomics_exclusives_and_maintenance);
    tcase_add_test(tc, mte_tags_through_translation);
    tcase_add_test(tc, alignment_checked_on_cached_pages);
    tcase_add_test(tc, reset_keeps_the_checker_and_the_event_sink);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
