/*
 * test_a64_mte.c - MTE tag instructions (KERNEL-FACTS.md 9) against the
 * allocation tags in physical memory: STG/ST2G/STZG/STZ2G/STGP, LDG,
 * LDGM/STGM/STZGM with GMID_EL1.BS, DC GVA/GZVA/ZVA with DCZID_EL0, IRG
 * with exclusions, GMI, ADDG/SUBG, SUBP(S), SCTLR_EL1.ATA, the alignment
 * fault, and a page tag copy in the kernel's style.
 */
#include "a64_harness.h"
#include "test_util.h"
#include "isa/aarch64/cpu.h"

#include <check.h>
#include <string.h>

static rasim_machine *m;
#define PAGE              (A64H_DATA + 0x4000)
#define TAGGED(addr, tag) ((addr) | (uint64_t)(tag) << 56)
#define TCR_TBI0          (1ull << 37)

static void setup(void)
{
    m = a64h_machine("mte.o");
    /* Top byte ignored for data, as Linux configures TTBR0's half. */
    a64h_set(m, "tcr_el1", TCR_TBI0);
}

static void teardown(void)
{
    rasim_free(m);
}

static unsigned tag_at(uint64_t pa)
{
    uint8_t tag = 0xff;
    ck_assert_int_eq(rasim_read_tag(m, pa, &tag), 0);
    return tag;
}

static void set_tag(uint64_t pa, unsigned tag)
{
    ck_assert_int_eq(rasim_write_tag(m, pa, (uint8_t)tag), 0);
}

START_TEST(stg_and_ldg)
{
    ck_assert_uint_eq(A64H_CALL(m, "stg_ldg", PAGE, TAGGED(0, 0xa)), 0x0a00000000001234);
    ck_assert_uint_eq(tag_at(PAGE), 0xa);
    ck_assert_uint_eq(tag_at(PAGE + 16), 0);
    /* LDG keeps the other bits of Xt and aligns the address down. */
    set_tag(PAGE + 32, 0x5);
    ck_assert_uint_eq(A64H_CALL(m, "ldg_at", PAGE + 16 + 7, 0xff00ffffffffffff),
                      0xf500ffffffffffff);
    /* A tagged base address works with TBI. */
    ck_assert_uint_eq(A64H_CALL(m, "ldg_at", TAGGED(PAGE + 16, 3), 0), TAGGED(0ull, 5));

    ck_assert_uint_eq(A64H_CALL(m, "stg_index", PAGE, TAGGED(0, 0x7)), PAGE + 48);
    ck_assert_uint_eq(tag_at(PAGE + 16), 0x7);
    ck_assert_uint_eq(tag_at(PAGE + 32), 0x5);
    A64H_CALL(m, "stg_sp", PAGE + 64, TAGGED(A64H_STACK, 0xc));
    ck_assert_uint_eq(tag_at(PAGE + 64), 0xc);
}
END_TEST

START_TEST(two_granules_zeroing_and_stgp)
{
    uint8_t junk[64], got[64], zero[64] = {0};
    memset(junk, 0xee, sizeof(junk));
    a64h_write(m, PAGE, junk, 64);
    A64H_CALL(m, "st2g_at", PAGE, TAGGED(0, 2));
    ck_assert_uint_eq(tag_at(PAGE), 2);
    ck_assert_uint_eq(tag_at(PAGE + 16), 2);
    ck_assert_uint_eq(tag_at(PAGE + 32), 0);
    a64h_read(m, PAGE, got, 64);
    ck_assert_mem_eq(got, junk, 64); /* ST2G writes no data */

    A64H_CALL(m, "stzg_at", PAGE, TAGGED(0, 3));
    a64h_read(m, PAGE, got, 32);
    ck_assert_mem_eq(got, zero, 16);
    ck_assert_mem_eq(got + 16, junk, 16);
    ck_assert_uint_eq(tag_at(PAGE), 3);

    ck_assert_uint_eq(A64H_CALL(m, "stz2g_at", PAGE + 64, TAGGED(0, 4)), PAGE + 32);
    a64h_read(m, PAGE + 32, got, 32);
    ck_assert_mem_eq(got, zero, 32);
    ck_assert_uint_eq(tag_at(PAGE + 32), 4);
    ck_assert_uint_eq(tag_at(PAGE + 48), 4);

    A64H_CALL(m, "stgp_at", TAGGED(PAGE + 128, 9), 0x1111, 0x2222);
    ck_assert_uint_eq(a64h_read64(m, PAGE + 128), 0x1111);
    ck_assert_uint_eq(a64h_read64(m, PAGE + 136), 0x2222);
    ck_assert_uint_eq(tag_at(PAGE + 128), 9);
}
END_TEST

START_TEST(block_tag_transfers)
{
    /* GMID_EL1.BS = 6: 256-byte blocks, 16 nibbles, index address<7:4>. */
    for (unsigned i = 0; i < 16; i++)
        set_tag(PAGE + 256 + 16 * i, i ^ 0x5);
    uint64_t want = 0;
    for (unsigned i = 0; i < 16; i++)
        want |= (uint64_t)(i ^ 0x5) << (4 * i);
    ck_assert_uint_eq(A64H_CALL(m, "ldgm_at", PAGE + 256 + 0x77), want);
    A64H_CALL(m, "stgm_at", PAGE + 512, 0xfedcba9876543210);
    for (unsigned i = 0; i < 16; i++)
        ck_assert_uint_eq(tag_at(PAGE + 512 + 16 * i), i);

    /* A smaller block (BS = 4: 64 bytes) at offset 0x40: nibbles 4..7 only. */
    a64h_set(m, "gmid_el1", 4);
    ck_assert_uint_eq(A64H_CALL(m, "ldgm_at", PAGE + 256 + 0x40), want & 0xffff0000ull);

    /* STZGM: a DCZID_EL0 block (64 bytes) of zeros, tags from Xt<3:0>. */
    uint8_t junk[128], got[128], zero[64] = {0};
    memset(junk, 0xab, sizeof(junk));
    a64h_write(m, PAGE + 1024, junk, 128);
    A64H_CALL(m, "stzgm_at", PAGE + 1024 + 64 + 8, 0x6);
    a64h_read(m, PAGE + 1024, got, 128);
    ck_assert_mem_eq(got, junk, 64);
    ck_assert_mem_eq(got + 64, zero, 64);
    for (unsigned i = 0; i < 4; i++)
        ck_assert_uint_eq(tag_at(PAGE + 1024 + 64 + 16 * i), 6);
    ck_assert_uint_eq(tag_at(PAGE + 1024), 0);
}
END_TEST

START_TEST(dc_zero_and_tag_by_block)
{
    uint8_t junk[128], got[128], zero[64] = {0};
    memset(junk, 0xcd, sizeof(junk));
    a64h_write(m, PAGE, junk, 128);
    A64H_CALL(m, "dc_zva_at", PAGE + 64 + 13); /* the 64-byte block holding it */
    a64h_read(m, PAGE, got, 128);
    ck_assert_mem_eq(got, junk, 64);
    ck_assert_mem_eq(got + 64, zero, 64);

    A64H_CALL(m, "dc_gva_at", TAGGED(PAGE + 128, 0xb));
    for (unsigned i = 0; i < 4; i++)
        ck_assert_uint_eq(tag_at(PAGE + 128 + 16 * i), 0xb);
    a64h_write(m, PAGE, junk, 128);
    A64H_CALL(m, "dc_gzva_at", TAGGED(PAGE, 0xd));
    a64h_read(m, PAGE, got, 64);
    ck_assert_mem_eq(got, zero, 64);
    ck_assert_uint_eq(tag_at(PAGE + 48), 0xd);
}
END_TEST

START_TEST(tag_arithmetic)
{
    /* Exclude every tag but 5 (GCR_EL1.Exclude | Xm): IRG must pick 5. */
    a64h_set(m, "gcr_el1", 0xffff & ~(1u << 5) & ~(1u << 9));
    ck_assert_uint_eq(A64H_CALL(m, "irg_excl", TAGGED(PAGE, 0xf), 1u << 9), TAGGED(PAGE, 5));
    a64h_set(m, "gcr_el1", 0xffff);
    ck_assert_uint_eq(A64H_CALL(m, "irg_excl", TAGGED(PAGE, 0xf), 0), PAGE); /* all excluded */
    /* Otherwise the choice follows RGSR_EL1's seed, deterministically. */
    a64h_set(m, "gcr_el1", 0);
    a64h_set(m, "rgsr_el1", 0x1234 << 8);
    uint64_t a = A64H_CALL(m, "irg_excl", PAGE, 0);
    uint64_t rgsr = a64h_reg(m, "rgsr_el1");
    ck_assert_uint_ne(rgsr >> 8, 0x1234);   /* the LFSR stepped */
    ck_assert_uint_eq(rgsr & 0xf, a >> 56); /* RGSR_EL1.TAG = last tag */
    a64h_set(m, "rgsr_el1", 0x1234 << 8);
    ck_assert_uint_eq(A64H_CALL(m, "irg_excl", PAGE, 0), a);
    ck_assert_uint_eq(A64H_CALL(m, "irg_sp", PAGE, 0) & ~(0xfull << 56), PAGE);

    ck_assert_uint_eq(A64H_CALL(m, "gmi_of", TAGGED(0, 3), 0x1), 0x9);
    a64h_set(m, "gcr_el1", 1u << 2); /* exclude tag 2 */
    ck_assert_uint_eq(A64H_CALL(m, "addg_3", TAGGED(0x1000, 0)), TAGGED(0x1020ull, 4));
    ck_assert_uint_eq(A64H_CALL(m, "addg_3", TAGGED(0x1000, 0xf)), TAGGED(0x1020ull, 3));
    ck_assert_uint_eq(A64H_CALL(m, "subg_1", TAGGED(0x1000, 1)), TAGGED(0xff0ull, 3));
    /* SUBP ignores the tag byte and sign-extends from bit 55. */
    ck_assert_uint_eq(A64H_CALL(m, "subp_of", TAGGED(0x1000, 7), TAGGED(0x800, 2)), 0x800);
    ck_assert_uint_eq(A64H_CALL(m, "subp_of", 0x0080000000000000, 0), 0xff80000000000000);
    ck_assert_uint_eq(A64H_CALL(m, "subps_of", TAGGED(0x800, 1), 0x800), 0);
    ck_assert_uint_eq(a64h_reg(m, "x1"), 0x60000000); /* Z, C */
}
END_TEST

START_TEST(tag_access_disabled_and_alignment)
{
    uint64_t sctlr = a64h_reg(m, "sctlr_el1");
    set_tag(PAGE, 0x9);
    a64h_set(m, "sctlr_el1", sctlr & ~(1ull << 43));                          /* ATA off */
    ck_assert_uint_eq(A64H_CALL(m, "stg_ldg", PAGE, TAGGED(0, 0x1)), 0x1234); /* tag reads 0 */
    ck_assert_uint_eq(tag_at(PAGE), 0x9);                                     /* not written */
    a64h_set(m, "sctlr_el1", sctlr);

    struct rasim_stop stop;
    a64h_call(m, "stg_ldg", (const uint64_t[]){PAGE + 8, 0}, 2, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(ESR_EC(stop.syndrome), 0x25);
    ck_assert_uint_eq(ESR_FSC(stop.syndrome), 0x21);
    ck_assert_uint_eq(ESR_WNR(stop.syndrome), 1);
    ck_assert_uint_eq(stop.fault_addr, PAGE + 8);
    /* A tagged address without TBI is beyond the PA range. */
    a64h_set(m, "tcr_el1", 0);
    a64h_call(m, "ldg_at", (const uint64_t[]){TAGGED(PAGE, 1), 0}, 2, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(ESR_FSC(stop.syndrome), 0x00);
}
END_TEST

START_TEST(kernel_style_page_tag_routines)
{
    uint64_t from = PAGE, to = PAGE + 0x1000;
    for (unsigned i = 0; i < 256; i++)
        set_tag(from + 16 * i, (i * 7 + 3) & 0xf);
    A64H_CALL(m, "rasim_mte_copy_page_tags", to, from);
    for (unsigned i = 0; i < 256; i++)
        ck_assert_uint_eq(tag_at(to + 16 * i), (i * 7 + 3) & 0xf);
    A64H_CALL(m, "rasim_mte_clear_page_tags", to);
    for (unsigned i = 0; i < 256; i++)
        ck_assert_uint_eq(tag_at(to + 16 * i), 0);
    uint8_t junk[4096], got[4096], zero[4096] = {0};
    memset(junk, 0x5a, sizeof(junk));
    a64h_write(m, to, junk, 4096);
    A64H_CALL(m, "rasim_mte_zero_page_tagged", TAGGED(to, 0xe));
    a64h_read(m, to, got, 4096);
    ck_assert_mem_eq(got, zero, 4096);
    for (unsigned i = 0; i < 256; i++)
        ck_assert_uint_eq(tag_at(to + 16 * i), 0xe);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("a64_mte");
    TCase *tc = tcase_create("mte");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, stg_and_ldg);
    tcase_add_test(tc, two_granules_zeroing_and_stgp);
    tcase_add_test(tc, block_tag_transfers);
    tcase_add_test(tc, dc_zero_and_tag_by_block);
    tcase_add_test(tc, tag_arithmetic);
    tcase_add_test(tc, tag_access_disabled_and_alignment);
    tcase_add_test(tc, kernel_style_page_tag_routines);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
