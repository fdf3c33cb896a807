/*
 * test_a64_idregs.c - the identification registers: each field the model
 * sets, read through the encoding clang's assembler gives the register's
 * name; the rest of the ID space reads as zero; the registers are
 * read-only and UNDEFINED at EL0; and what they advertise is there.
 *
 * Field positions as the Arm ARM gives them (register descriptions in
 * DDI 0487; Linux arch/arm64/tools/sysreg lists the same).
 */
#include "a64_harness.h"
#include "test_util.h"

#include <check.h>
#include <stdio.h>

static rasim_machine *m;

static void setup(void)
{
    m = a64h_machine("idregs.o");
}

static void teardown(void)
{
    rasim_free(m);
}

static uint64_t field(uint64_t reg, unsigned msb, unsigned lsb)
{
    return reg >> lsb & ((2ull << (msb - lsb)) - 1);
}

static uint64_t read_id(const char *name)
{
    char fn[64];
    snprintf(fn, sizeof(fn), "read_%s", name);
    return A64H_CALL(m, fn, 0);
}

/* Call fn expecting an UNDEFINED instruction exception (EC 0). */
static void undefined(const char *fn)
{
    struct rasim_stop stop;
    a64h_call(m, fn, (const uint64_t[]){0}, 1, &stop);
    ck_assert_msg(stop.reason == RASIM_STOP_EXCEPTION, "%s: no exception (%s)", fn,
                  rasim_stop_reason_name(stop.reason));
    ck_assert_msg(ESR_EC(stop.syndrome) == 0, "%s: EC 0x%llx", fn,
                  (unsigned long long)ESR_EC(stop.syndrome));
    ck_assert_uint_eq(stop.pc, a64h_sym(m, fn));
}

START_TEST(processor_features)
{
    uint64_t pfr0 = read_id("pfr0");
    ck_assert_uint_eq(field(pfr0, 3, 0), 1);   /* EL0: AArch64 only */
    ck_assert_uint_eq(field(pfr0, 7, 4), 1);   /* EL1: AArch64 only */
    ck_assert_uint_eq(field(pfr0, 11, 8), 0);  /* no EL2 */
    ck_assert_uint_eq(field(pfr0, 15, 12), 0); /* no EL3 */
    ck_assert_uint_eq(field(pfr0, 19, 16), 0); /* FP: implemented */
    ck_assert_uint_eq(field(pfr0, 23, 20), 0); /* AdvSIMD: implemented */
    ck_assert_uint_eq(field(pfr0, 31, 28), 0); /* RAS: off by default */
    ck_assert_uint_eq(field(pfr0, 35, 32), 0); /* no SVE */
    ck_assert_uint_eq(pfr0 >> 36, 0);

    uint64_t pfr1 = read_id("pfr1");
    ck_assert_uint_eq(field(pfr1, 11, 8), 2); /* MTE: FEAT_MTE2 */
    ck_assert_uint_eq(pfr1 & ~(0xfull << 8), 0);

    uint64_t dfr0 = read_id("dfr0");
    ck_assert_uint_eq(field(dfr0, 3, 0), 6);   /* DebugVer: Armv8.0 */
    ck_assert_uint_eq(field(dfr0, 11, 8), 0);  /* PMUVer: no PMU */
    ck_assert_uint_eq(field(dfr0, 15, 12), 1); /* BRPs: 2 */
    ck_assert_uint_eq(field(dfr0, 23, 20), 1); /* WRPs: 2 */
}
END_TEST

START_TEST(instruction_set_features)
{
    uint64_t isar0 = read_id("isar0");
    ck_assert_uint_eq(field(isar0, 23, 20), 2); /* Atomic: FEAT_LSE */
    ck_assert_uint_eq(field(isar0, 19, 16), 0); /* no CRC32 */
    ck_assert_uint_eq(field(isar0, 55, 52), 0); /* TS: CFINV alone is not FEAT_FlagM */
    ck_assert_uint_eq(field(isar0, 59, 56), 1); /* TLB: FEAT_TLBIOS, no ranges */
    ck_assert_uint_eq(isar0 & ~(0xfull << 20 | 0xfull << 56), 0);

    uint64_t isar1 = read_id("isar1");
    ck_assert_uint_eq(field(isar1, 3, 0), 2);   /* DPB: DC CVAP and CVADP */
    ck_assert_uint_eq(field(isar1, 23, 20), 1); /* LRCPC: LDAPR */
    ck_assert_uint_eq(field(isar1, 39, 36), 1); /* SB */
    ck_assert_uint_eq(field(isar1, 11, 4), 0);  /* APA, API: no pointer auth */
    ck_assert_uint_eq(isar1 & ~(0xfull | 0xfull << 20 | 0xfull << 36), 0);
}
END_TEST

START_TEST(memory_model_features)
{
    uint64_t mmfr0 = read_id("mmfr0");
    ck_assert_uint_eq(field(mmfr0, 3, 0), 5);     /* PARange: 48 bits */
    ck_assert_uint_eq(field(mmfr0, 7, 4), 2);     /* ASIDBits: 16 */
    ck_assert_uint_eq(field(mmfr0, 23, 20), 0);   /* TGran16: not supported */
    ck_assert_uint_eq(field(mmfr0, 27, 24), 0xf); /* TGran64: not supported */
    ck_assert_uint_eq(field(mmfr0, 31, 28), 0);   /* TGran4: supported */
    ck_assert_uint_eq(mmfr0 >> 32, 0);

    uint64_t mmfr1 = read_id("mmfr1");
    ck_assert_uint_eq(field(mmfr1, 3, 0), 2);   /* HAFDBS: access flag and dirty */
    ck_assert_uint_eq(field(mmfr1, 23, 20), 1); /* PAN */
    ck_assert_uint_eq(mmfr1 & ~(0xfull | 0xfull << 20), 0);

    uint64_t mmfr2 = read_id("mmfr2");
    ck_assert_uint_eq(field(mmfr2, 7, 4), 1);   /* UAO */
    ck_assert_uint_eq(field(mmfr2, 19, 16), 0); /* VARange: 48 bits */
    ck_assert_uint_eq(field(mmfr2, 39, 36), 0); /* IDS: ID-space traps are EC 0 */
    ck_assert_uint_eq(mmfr2 & ~(0xfull << 4), 0);
}
END_TEST

START_TEST(the_rest_of_the_id_space_reads_zero)
{
    ck_assert_uint_eq(read_id("isar2"), 0);
    ck_assert_uint_eq(read_id("zfr0"), 0);
    ck_assert_uint_eq(read_id("revidr"), 0);
    ck_assert_uint_eq(read_id("reserved_c7_7"), 0);
    ck_assert_uint_eq(read_id("reserved_c4_7"), 0);
    ck_assert_uint_eq(read_id("midr"), a64h_reg(m, "midr_el1"));
    ck_assert_uint_ne(read_id("midr"), 0);
    undefined("read_outside_c8"); /* CRm 8 is not ID space */
}
END_TEST

START_TEST(read_only_and_el1_only)
{
    undefined("write_pfr0");
    undefined("write_reserved");
    const char *reads[] = {"read_pfr0", "read_mmfr1", "read_reserved_c7_7", "read_revidr"};
    for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
        a64h_set(m, "cpsr", 0); /* EL0t: no FEAT_IDST, so UNDEFINED, not trapped */
        undefined(reads[i]);
    }
}
END_TEST

/* PFR0.RAS says whether the error record registers exist, and follows the
 * machine's configuration both ways. */
START_TEST(ras_field_follows_feat_ras)
{
    ck_assert_int_eq(rasim_set_feat_ras(m, true), 0);
    ck_assert_uint_eq(field(read_id("pfr0"), 31, 28), 1);
    ck_assert_uint_eq(a64h_reg(m, "erridr_el1"), 1); /* one record */
    ck_assert_int_eq(rasim_set_feat_ras(m, false), 0);
    ck_assert_uint_eq(field(read_id("pfr0"), 31, 28), 0);
}
END_TEST

/* Everything advertised executes at EL1 without an exception. */
START_TEST(advertised_features_execute)
{
    const char *fns[] = {"feat_lse",  "feat_lrcpc",  "feat_sb",
                         "feat_dpb2", "feat_tlbios", "feat_mte2"};
    for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
        struct rasim_stop stop;
        uint64_t ret = a64h_call(m, fns[i], (const uint64_t[]){A64H_DATA}, 1, &stop);
        ck_assert_msg(stop.reason == RASIM_STOP_RETURNED, "%s: %s", fns[i],
                      rasim_stop_reason_name(stop.reason));
        ck_assert_uint_eq(ret, 0);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("a64_idregs");
    TCase *tc = tcase_create("idregs");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, processor_features);
    tcase_add_test(tc, instruction_set_features);
    tcase_add_test(tc, memory_model_features);
    tcase_add_test(tc, the_rest_of_the_id_space_reads_zero);
    tcase_add_test(tc, read_only_and_el1_only);
    tcase_add_test(tc, ras_field_follows_feat_ras);
    tcase_add_test(tc, advertised_features_execute);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
