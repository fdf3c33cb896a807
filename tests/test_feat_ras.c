/*
 * test_feat_ras.c - FEAT_RAS on arm64 (rasim_set_feat_ras): the error
 * record registers read by guest code assembled by clang (so the
 * encodings are clang's, not ours), after a poisoned load recovered
 * through __ex_table and after one taken to a guest vector; ESR ISS.SET;
 * ERRSELR_EL1; write-one-to-clear of ERXSTATUS_EL1; and, with FEAT_RAS
 * off, every one of those registers UNDEFINED.
 * The guest routines are tests/fixtures/ras/a64_ras.S.
 */
#include "rasim.h"
#include "test_util.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODE     0x40000000ull
#define DATA     0x40100000ull /* one page */
#define STACK    0x40200000ull
#define SENTINEL 0x7ffff000ull
#define POISONED (DATA + 0x48) /* its line is 0x40 .. 0x7f */

/* ERXSTATUS_EL1 fields (ras_record.c gives the sources). */
#define ST_AV   (1ull << 31)
#define ST_V    (1ull << 30)
#define ST_UE   (1ull << 29)
#define ST_ER   (1ull << 28)
#define ST_OF   (1ull << 27)
#define ST_MV   (1ull << 26)
#define ST_PN   (1ull << 22)
#define UET(s)  (((s) >> 20) & 3)
#define SERR(s) ((s)&0xff)
/* What one recorded consumption reads: V UE ER PN AV, UET UER, SERR 0x0C. */
#define RECORDED (ST_AV | ST_V | ST_UE | ST_ER | ST_PN | 3ull << 20 | 0x0c)
#define ADDR_NS  (1ull << 63)

#define ESR_SET(esr) (((esr) >> 11) & 3)

static rasim_machine *machine(bool feat_ras, const char *profile)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/a64_ras.o", FIXTURE_DIR);
    rasim_machine *m = rasim_new(RASIM_ARCH_AARCH64);
    ck_assert_ptr_nonnull(m);
    ck_assert_msg(rasim_set_profile(m, profile) == 0, "%s", rasim_error(m));
    struct rasim_load_options opt = {.base_set = true, .base = CODE};
    ck_assert_msg(rasim_load(m, path, &opt) >= 0, "%s", rasim_error(m));
    ck_assert_int_eq(rasim_add_region(m, "data", DATA, 0x1000, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "stack", STACK, 0x4000, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_set_feat_ras(m, feat_ras), 0);
    rasim_set_return_sentinel(m, SENTINEL);
    return m;
}

static uint64_t get(rasim_machine *m, const char *reg)
{
    uint64_t v;
    ck_assert_int_eq(rasim_get_reg(m, reg, &v), 0);
    return v;
}

static struct rasim_stop call(rasim_machine *m, const char *fn, uint64_t x0)
{
    uint64_t va;
    ck_assert_msg(rasim_lookup_symbol(m, fn, &va) == 0, "%s", fn);
    struct rasim_stop stop;
    rasim_set_reg(m, "x0", x0);
    rasim_set_reg(m, "x30", SENTINEL);
    rasim_set_reg(m, "sp", STACK + 0x4000);
    rasim_set_reg(m, "pc", va);
    rasim_run(m, 10000, &stop);
    return stop;
}

static char *describe(rasim_machine *m, const struct rasim_stop *s)
{
    static char buf[1024];
    rasim_stop_describe(m, s, buf, sizeof(buf));
    return buf;
}

static void returned(rasim_machine *m, const struct rasim_stop *s)
{
    ck_assert_msg(s->reason == RASIM_STOP_RETURNED, "%s", describe(m, s));
}

static void poison(rasim_machine *m, uint64_t pa)
{
    struct rasim_poison p = {.pa = pa, .len = 1};
    ck_assert_msg(rasim_poison(m, &p) == 0, "%s", rasim_error(m));
}

/* The fixup of a poisoned load reads the record: the poisoned byte's PA. */
START_TEST(fixup_reads_the_record)
{
    rasim_machine *m = machine(true, "arm64-copy-mc-v13");
    poison(m, POISONED);
    struct rasim_stop s = call(m, "ras_fixup_load", POISONED);
    returned(m, &s);
    ck_assert_uint_eq(rasim_fixup_count(m), 1);
    ck_assert_uint_eq(get(m, "x0"), (uint64_t)-14);
    uint64_t st = get(m, "x2");
    ck_assert_uint_eq(st, RECORDED);
    ck_assert_uint_eq(UET(st), 3); /* UER */
    ck_assert_uint_eq(SERR(st), 0x0c);
    ck_assert(!(st & ST_MV));
    /* the whole line is poisoned; the record holds the first poisoned
     * byte the load touched, where it starts */
    ck_assert_uint_eq(get(m, "x3"), ADDR_NS | POISONED);
    rasim_free(m);
}
END_TEST

static void record_reg(void *ctx, const struct rasim_event *e)
{
    uint64_t *status = ctx;
    if (e->kind == RASIM_EV_REG && !strcmp(e->reg.name, "erxstatus_el1"))
        *status = e->reg.value;
}

/* The record by name, as debuggers and tests read it (rasim_get_reg, the
 * stepper, gdb's register list, trace register events): what MRS reads,
 * MSR's write-one-to-clear; and no such registers without FEAT_RAS. */
START_TEST(record_registers_by_name)
{
    rasim_machine *m = machine(true, "arm64-copy-mc-v13");
    ck_assert_uint_eq(get(m, "erridr_el1"), 1);
    ck_assert_uint_eq(get(m, "erxfr_el1"), 1);
    ck_assert_uint_eq(get(m, "erxstatus_el1"), 0);
    uint64_t seen = 0;
    ck_assert_int_eq(rasim_set_event_sink(m, RASIM_EV_BIT(RASIM_EV_REG), record_reg, &seen), 0);
    poison(m, POISONED);
    struct rasim_stop s = call(m, "ras_fixup_load", POISONED);
    returned(m, &s);
    ck_assert_uint_eq(seen, RECORDED); /* the consumption is a register change */
    ck_assert_uint_eq(get(m, "erxstatus_el1"), RECORDED);
    ck_assert_uint_eq(get(m, "ERXADDR_EL1"), ADDR_NS | POISONED);
    ck_assert_uint_eq(get(m, "erxstatus_el1"), get(m, "x2")); /* what the guest's MRS read */
    /* Writing V alone leaves an uncorrected error; writing back clears. */
    ck_assert_int_eq(rasim_set_reg(m, "erxstatus_el1", ST_V), 0);
    ck_assert_uint_eq(get(m, "erxstatus_el1"), RECORDED);
    ck_assert_int_eq(rasim_set_reg(m, "erxstatus_el1", RECORDED), 0);
    ck_assert_uint_eq(get(m, "erxstatus_el1"), 0);
    ck_assert_int_eq(rasim_set_reg(m, "erridr_el1", 5), 0); /* read-only: ignored */
    ck_assert_uint_eq(get(m, "erridr_el1"), 1);
    bool listed = false;
    for (int i = 0; i < rasim_reg_count(m); i++)
        listed |= rasim_reg_name(m, i) && !strcmp(rasim_reg_name(m, i), "erxstatus_el1");
    ck_assert(listed);
    rasim_free(m);

    m = machine(false, "none");
    uint64_t v;
    ck_assert_int_eq(rasim_get_reg(m, "erxstatus_el1", &v), -1);
    ck_assert_ptr_nonnull(strstr(rasim_error(m), "only with FEAT_RAS"));
    ck_assert_int_eq(rasim_set_reg(m, "errselr_el1", 0), -1);
    for (int i = 0; i < rasim_reg_count(m); i++) {
        const char *name = rasim_reg_name(m, i);
        ck_assert_msg(!name || strncmp(name, "er", 2), "%s listed without FEAT_RAS", name);
    }
    rasim_free(m);
}
END_TEST

/* A guest vector sees ESR_EL1 (DFSC 0x10, SET = 0b00 UER), FAR and the
 * record; SET is defined only with FEAT_RAS, and UER is its 0b00. */
START_TEST(vector_sees_esr_and_record)
{
    for (int on = 0; on <= 1; on++) {
        rasim_machine *m = machine(on, "none");
        poison(m, DATA + 0x100);
        rasim_set_reg(m, "x6", (uint64_t)on); /* the handler reads the record */
        struct rasim_stop s = call(m, "ras_vector_load", DATA + 0x108);
        returned(m, &s);
        uint64_t esr = get(m, "x4");
        ck_assert_uint_eq(esr >> 26, 0x25);    /* data abort, same EL */
        ck_assert_uint_eq(esr & 0x3f, 0x10);   /* SEA, not on a walk */
        ck_assert_uint_eq(ESR_SET(esr), 0);    /* UER (and RES0 without FEAT_RAS) */
        ck_assert_uint_eq(esr, 0x96000010ull); /* nothing else: IL, no FnV, no WnR */
        ck_assert_uint_eq(get(m, "x5"), DATA + 0x108);
        if (on) {
            ck_assert_uint_eq(get(m, "x2"), RECORDED);
            ck_assert_uint_eq(get(m, "x3"), ADDR_NS | (DATA + 0x108));
        }
        rasim_free(m);
    }
}
END_TEST

/* Without FEAT_RAS the registers do not exist: the MRS is UNDEFINED. */
START_TEST(off_registers_are_undefined)
{
    static const char *const fns[] = {"ras_read_status", "ras_read_addr", "ras_read_idr",
                                      "ras_read_fr",     "ras_read_misc", "ras_write_status",
                                      "ras_selr"};
    for (size_t i = 0; i < sizeof(fns) / sizeof(*fns); i++) {
        rasim_machine *m = machine(false, "none");
        struct rasim_stop s = call(m, fns[i], 0);
        ck_assert_msg(s.reason == RASIM_STOP_EXCEPTION, "%s: %s", fns[i], describe(m, &s));
        ck_assert_uint_eq(s.syndrome >> 26, 0); /* EC 0: unknown reason */
        rasim_free(m);
    }
    /* the exception is the MRS's own: PC stays on it */
    rasim_machine *m = machine(false, "none");
    struct rasim_stop s = call(m, "ras_read_status", 0);
    uint64_t va;
    ck_assert_int_eq(rasim_lookup_symbol(m, "ras_read_status", &va), 0);
    ck_assert_uint_eq(s.pc, va);
    rasim_free(m);
}
END_TEST

/* At EL0 the EL1 registers are UNDEFINED even with FEAT_RAS. */
START_TEST(el0_undefined)
{
    rasim_machine *m = machine(true, "none");
    rasim_set_reg(m, "cpsr", 0); /* EL0t */
    struct rasim_stop s = call(m, "ras_read_status", 0);
    ck_assert_msg(s.reason == RASIM_STOP_EXCEPTION, "%s", describe(m, &s));
    ck_assert_uint_eq(s.syndrome >> 26, 0);
    rasim_free(m);
}
END_TEST

START_TEST(id_and_feature_registers)
{
    rasim_machine *m = machine(true, "none");
    struct rasim_stop s = call(m, "ras_read_idr", 0);
    returned(m, &s);
    ck_assert_uint_eq(get(m, "x0"), 1); /* NUM: one record */
    s = call(m, "ras_read_fr", 0);
    returned(m, &s);
    ck_assert_uint_eq(get(m, "x0"), 1); /* ED 0b01: always enabled */
    s = call(m, "ras_read_misc", 0);
    returned(m, &s);
    ck_assert_uint_eq(get(m, "x0") | get(m, "x1") | get(m, "x2"), 0);
    /* before any error: not valid */
    s = call(m, "ras_read_status", 0);
    returned(m, &s);
    ck_assert_uint_eq(get(m, "x0"), 0);
    /* ERRIDR_EL1 is read-only: MSR is UNDEFINED */
    s = call(m, "ras_write_idr", 0);
    ck_assert_msg(s.reason == RASIM_STOP_EXCEPTION, "%s", describe(m, &s));
    ck_assert_uint_eq(s.syndrome >> 26, 0);
    rasim_free(m);
}
END_TEST

/* ERRSELR_EL1.SEL reads back; SEL 1 selects no record (RAZ/WI). */
START_TEST(errselr_round_trip)
{
    rasim_machine *m = machine(true, "arm64-copy-mc-v13");
    poison(m, POISONED);
    struct rasim_stop s = call(m, "ras_fixup_load", POISONED);
    returned(m, &s);
    s = call(m, "ras_selr", 1);
    returned(m, &s);
    ck_assert_uint_eq(get(m, "x0"), 1);
    ck_assert_uint_eq(get(m, "x1"), 0);         /* no record 1 */
    s = call(m, "ras_selr", 0x1234ffff0000ull); /* SEL is [15:0] */
    returned(m, &s);
    ck_assert_uint_eq(get(m, "x0"), 0);
    ck_assert_uint_eq(get(m, "x1"), RECORDED);
    rasim_free(m);
}
END_TEST

/* ERXSTATUS_EL1 is write-one-to-clear, with V kept while UE stays. */
START_TEST(status_w1c)
{
    rasim_machine *m = machine(true, "arm64-copy-mc-v13");
    poison(m, POISONED);
    struct rasim_stop s = call(m, "ras_fixup_load", POISONED);
    returned(m, &s);
    s = call(m, "ras_write_status", 0); /* zeros are ignored */
    returned(m, &s);
    ck_assert_uint_eq(get(m, "x0"), RECORDED);
    s = call(m, "ras_write_status", ST_V); /* V alone: UE stays, so V stays */
    returned(m, &s);
    ck_assert_uint_eq(get(m, "x0"), RECORDED);
    s = call(m, "ras_write_status", ST_UE); /* UE alone clears UE */
    returned(m, &s);
    ck_assert_uint_eq(get(m, "x0"), RECORDED & ~ST_UE);
    s = call(m, "ras_write_status", ST_V); /* now V clears: the record is empty */
    returned(m, &s);
    ck_assert_uint_eq(get(m, "x0"), 0);
    rasim_free(m);
}
END_TEST

/* Writing back what was read clears the record; the next consumption
 * fills it again, and one on top of a valid record sets OF. */
START_TEST(write_back_clears_and_overflow)
{
    rasim_machine *m = machine(true, "arm64-copy-mc-v13");
    poison(m, POISONED);
    poison(m, DATA + 0x200);
    struct rasim_stop s = call(m, "ras_fixup_load", POISONED);
    returned(m, &s);
    s = call(m, "ras_write_status", RECORDED);
    returned(m, &s);
    ck_assert_uint_eq(get(m, "x0"), 0);
    s = call(m, "ras_fixup_load", DATA + 0x200);
    returned(m, &s);
    ck_assert_uint_eq(get(m, "x2"), RECORDED);
    ck_assert_uint_eq(get(m, "x3"), ADDR_NS | (DATA + 0x200));
    s = call(m, "ras_fixup_load", POISONED); /* not cleared: overflow */
    returned(m, &s);
    ck_assert_uint_eq(get(m, "x2"), RECORDED | ST_OF);
    ck_assert_uint_eq(get(m, "x3"), ADDR_NS | POISONED); /* the latest */
    /* UE is held while OF stays: clearing needs OF too */
    s = call(m, "ras_write_status", RECORDED);
    returned(m, &s);
    ck_assert_uint_eq(get(m, "x0"), RECORDED | ST_OF);
    s = call(m, "ras_write_status", RECORDED | ST_OF);
    returned(m, &s);
    ck_assert_uint_eq(get(m, "x0"), 0);
    rasim_free(m);
}
END_TEST

/* Only poison is a RAS error: an abort on absent memory records nothing. */
START_TEST(absent_memory_records_nothing)
{
    rasim_machine *m = machine(true, "none");
    rasim_set_reg(m, "x6", 1);
    struct rasim_stop s = call(m, "ras_vector_load", 0x30000000);
    returned(m, &s);
    ck_assert_uint_eq(get(m, "x4") & 0x3f, 0x10); /* an SEA all the same */
    ck_assert_uint_eq(get(m, "x2"), 0);
    rasim_free(m);
}
END_TEST

/* The record is state (cleared by reset); FEAT_RAS is a setting (kept). */
START_TEST(reset_clears_record_keeps_setting)
{
    rasim_machine *m = machine(true, "arm64-copy-mc-v13");
    poison(m, POISONED);
    struct rasim_stop s = call(m, "ras_fixup_load", POISONED);
    returned(m, &s);
    rasim_reset_cpu(m);
    s = call(m, "ras_read_status", 0);
    returned(m, &s);
    ck_assert_uint_eq(get(m, "x0"), 0);
    rasim_free(m);
}
END_TEST

START_TEST(rv64_refuses)
{
    rasim_machine *m = rasim_new(RASIM_ARCH_RV64);
    ck_assert_int_eq(rasim_set_feat_ras(m, true), -1);
    ck_assert_str_eq(rasim_error(m), "FEAT_RAS is an aarch64 setting");
    rasim_free(m);
}
END_TEST

/* The switch from the command line and from a scenario: ERRIDR_EL1 reads
 * NUM = 1 with it, and is an undefined instruction without it. */
START_TEST(cli_option_and_scenario_key)
{
    char args[1024], *out, *err;
    snprintf(args, sizeof(args), "call '%s/a64_ras.o' --sym ras_read_idr --feat-ras", FIXTURE_DIR);
    out = tu_rasim_ok(args);
    ck_assert_msg(strstr(out, "ret=0x1\n") != NULL, "%s", out);
    free(out);
    snprintf(args, sizeof(args), "call '%s/a64_ras.o' --sym ras_read_idr", FIXTURE_DIR);
    ck_assert_int_eq(tu_rasim(args, &out, &err), 1);
    ck_assert_msg(strstr(out, "undefined") != NULL, "%s", out);
    free(out);
    free(err);

    for (int on = 0; on < 2; on++) {
        char text[512];
        const char *path = tu_tmp("feat-ras.yaml");
        snprintf(text, sizeof(text),
                 "arch: aarch64\nimages: [{file: a64_ras.o}]\ncall: {symbol: ras_read_idr}\n"
                 "%sexpect: {ret: 1}\n",
                 on ? "feat_ras: true\n" : "");
        ck_assert_int_eq(tu_write_file(path, text, strlen(text)), 0);
        snprintf(args, sizeof(args), "run '%s' --search '%s'", path, FIXTURE_DIR);
        int rc = tu_rasim(args, &out, &err);
        ck_assert_msg(rc == (on ? 0 : 1), "feat_ras %d: exit %d: %s%s", on, rc, out, err);
        free(out);
        free(err);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("feat_ras");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, fixup_reads_the_record);
    tcase_add_test(tc, record_registers_by_name);
    tcase_add_test(tc, vector_sees_esr_and_record);
    tcase_add_test(tc, off_registers_are_undefined);
    tcase_add_test(tc, el0_undefined);
    tcase_add_test(tc, id_and_feature_registers);
    tcase_add_test(tc, errselr_round_trip);
    tcase_add_test(tc, status_w1c);
    tcase_add_test(tc, write_back_clears_and_overflow);
    tcase_add_test(tc, absent_memory_records_nothing);
    tcase_add_test(tc, reset_clears_record_keeps_setting);
    tcase_add_test(tc, rv64_refuses);
    tcase_add_test(tc, cli_option_and_scenario_key);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_main(suite());
}
