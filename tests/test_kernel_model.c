/*
 * test_kernel_model.c - what the kernel model does with kernel-mode
 * exceptions, per profile: each handler (FIXUP, UACCESS_ERR_ZERO,
 * LOAD_UNALIGNED_ZEROPAD), each reason to oops (class not routed to the
 * table, no entry, type not accepted), poison consumed and recovered with
 * memory_failure, and profile files read from disk, good and bad.
 * The guest routines are tests/fixtures/kernel-model/rv64_km.S.
 */
#include "rasim.h"
#include "test_util.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAM      0x80100000ull /* data: 2 pages, then nothing */
#define STACK    0x80200000ull
#define SENTINEL 0x7ffff000ull
#define ABSENT   0x70000000ull

static rasim_machine *machine(const char *profile)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/rv64_km.o", FIXTURE_DIR);
    rasim_machine *m = rasim_new(RASIM_ARCH_RV64);
    ck_assert_ptr_nonnull(m);
    if (profile)
        ck_assert_msg(rasim_set_profile(m, profile) == 0, "%s", rasim_error(m));
    ck_assert_msg(rasim_load(m, path, NULL) >= 0, "%s", rasim_error(m));
    ck_assert_int_eq(rasim_add_region(m, "data", RAM, 0x2000, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "stack", STACK, 0x4000, RASIM_REGION_RAM), 0);
    rasim_set_return_sentinel(m, SENTINEL);
    return m;
}

static uint64_t sym(rasim_machine *m, const char *name)
{
    uint64_t va;
    ck_assert_msg(rasim_lookup_symbol(m, name, &va) == 0, "%s", name);
    return va;
}

static uint64_t get(rasim_machine *m, const char *reg)
{
    uint64_t v;
    ck_assert_int_eq(rasim_get_reg(m, reg, &v), 0);
    return v;
}

static struct rasim_stop call(rasim_machine *m, const char *fn, uint64_t a0, uint64_t a1,
                              uint64_t a2)
{
    struct rasim_stop stop;
    rasim_set_reg(m, "a0", a0);
    rasim_set_reg(m, "a1", a1);
    rasim_set_reg(m, "a2", a2);
    rasim_set_reg(m, "ra", SENTINEL);
    rasim_set_reg(m, "sp", STACK + 0x4000);
    rasim_set_reg(m, "s0", 0);
    rasim_set_reg(m, "priv", 1); /* S-mode: the kernel */
    rasim_set_reg(m, "pc", sym(m, fn));
    rasim_run(m, 100000, &stop);
    return stop;
}

static char *describe(rasim_machine *m, const struct rasim_stop *s)
{
    static char buf[1024];
    rasim_stop_describe(m, s, buf, sizeof(buf));
    return buf;
}

START_TEST(err_zero_writes_efault_and_zero_and_continues)
{
    rasim_machine *m = machine(NULL); /* the default, linux-6.12 */
    struct rasim_stop s = call(m, "km_get_user", 0, ABSENT, 0);
    ck_assert_msg(s.reason == RASIM_STOP_RETURNED, "%s", describe(m, &s));
    ck_assert_uint_eq(get(m, "a0"), (uint64_t)-14); /* -EFAULT, all 64 bits */
    ck_assert_uint_eq(get(m, "a1"), 0);
    ck_assert_uint_eq(rasim_fixup_count(m), 1);
    const struct rasim_fixup *f = rasim_fixup_get(m, 0);
    ck_assert_str_eq(f->type_name, "UACCESS_ERR_ZERO");
    ck_assert_uint_eq(f->type, 3);
    ck_assert_str_eq(f->exception, "access-fault");
    ck_assert_int_eq(f->nregs, 2);
    ck_assert_str_eq(f->reg[0], "a0");
    ck_assert_str_eq(f->reg[1], "a1");
    ck_assert(f->fault_addr_valid);
    ck_assert_uint_eq(f->fault_addr, ABSENT);
    char where[64];
    rasim_describe(m, f->insn, where, sizeof(where));
    ck_assert_str_eq(where, "km_get_user+0x4"); /* c.mv (2) + c.li (2): the ld */
    /* A good pointer: no fault, no fixup, the value. */
    uint64_t v = 0x1122334455667788ull;
    rasim_write_phys(m, RAM, &v, 8);
    s = call(m, "km_get_user", 0, RAM, 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(get(m, "a0"), 0);
    ck_assert_uint_eq(get(m, "a1"), v);
    ck_assert_uint_eq(rasim_fixup_count(m), 0);
    rasim_free(m);
}
END_TEST

START_TEST(zeropad_reads_what_is_there_and_zeroes_the_rest)
{
    rasim_machine *m = machine("linux-6.12");
    const uint8_t tail[3] = {0xaa, 0xbb, 0xcc};
    uint64_t end = RAM + 0x2000; /* nothing after: the 8-byte load crosses into absence */
    rasim_write_phys(m, end - 8, "\x11\x22\x33\x44\x55\xaa\xbb\xcc", 8);
    (void)tail;
    struct rasim_stop s = call(m, "km_load_zeropad", end - 3, 0, 0);
    ck_assert_msg(s.reason == RASIM_STOP_RETURNED, "%s", describe(m, &s));
    ck_assert_uint_eq(get(m, "a0"), 0xccbbaaull); /* little-endian, zero-padded */
    ck_assert_uint_eq(rasim_fixup_count(m), 1);
    ck_assert_str_eq(rasim_fixup_get(m, 0)->type_name, "LOAD_UNALIGNED_ZEROPAD");
    rasim_free(m);

    /* riscv 6.1 has no type 4: the same entry is one the kernel cannot use. */
    m = machine("linux-6.1");
    s = call(m, "km_load_zeropad", end - 3, 0, 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_OOPS);
    ck_assert_msg(strstr(s.reason_text, "UNKNOWN(4)") != NULL, "%s", s.reason_text);
    rasim_free(m);
}
END_TEST

START_TEST(oops_without_an_entry_has_a_backtrace)
{
    rasim_machine *m = machine(NULL);
    struct rasim_stop s = call(m, "km_load_no_entry", ABSENT, 0, 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_OOPS);
    char *text = describe(m, &s);
    ck_assert_msg(strstr(text, "oops: load access fault") && strstr(text, "km_leaf_load+0x0") &&
                      strstr(text, "no __ex_table entry"),
                  "%s", text);
    /* leaf, then its caller found through the frame record */
    ck_assert_msg(strstr(s.backtrace, "km_leaf_load+0x0 <- km_load_no_entry+0x"), "%s",
                  s.backtrace);
    rasim_free(m);
}
END_TEST

START_TEST(oops_when_the_kernel_does_not_look_in_the_table)
{
    rasim_machine *m = machine(NULL);
    struct rasim_stop s = call(m, "km_ebreak", 0, 0, 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_OOPS);
    ck_assert_msg(strstr(s.reason_text, "does not look in __ex_table for breakpoint"), "%s",
                  s.reason_text);
    rasim_free(m);
    /* With no kernel model the trap is simply reported. */
    m = machine("none");
    s = call(m, "km_ebreak", 0, 0, 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(s.syndrome, 3);
    rasim_free(m);
}
END_TEST

START_TEST(user_mode_faults_are_not_the_kernel_models)
{
    rasim_machine *m = machine(NULL);
    rasim_set_reg(m, "a1", ABSENT);
    rasim_set_reg(m, "ra", SENTINEL);
    rasim_set_reg(m, "pc", sym(m, "km_get_user"));
    rasim_set_reg(m, "priv", 0);
    struct rasim_stop s;
    rasim_run(m, 1000, &s);
    ck_assert_int_eq(s.reason, RASIM_STOP_EXCEPTION); /* Linux would signal the task */
    ck_assert_uint_eq(rasim_fixup_count(m), 0);
    rasim_free(m);
}
END_TEST

/* Poison on the source of a FIXUP-protected copy: recovered, with the bytes
 * not copied returned, the error logged with where it happened, and (for a
 * profile that does it) memory_failure queued for the page. */
START_TEST(poisoned_source_is_recovered_and_logged)
{
    rasim_machine *m = machine("riscv-copy-mc");
    uint8_t src[256];
    for (int i = 0; i < 256; i++)
        src[i] = (uint8_t)i;
    rasim_write_phys(m, RAM, src, sizeof(src));
    struct rasim_poison p = {.pa = RAM + 100, .len = 1}; /* the line 64..127 */
    ck_assert_int_eq(rasim_poison(m, &p), 0);
    struct rasim_stop s = call(m, "km_copy", RAM + 0x1000, RAM, 256);
    ck_assert_msg(s.reason == RASIM_STOP_RETURNED, "%s", describe(m, &s));
    ck_assert_uint_eq(get(m, "a0"), 256 - 64); /* the copy stopped at the line */
    uint8_t dst[64];
    rasim_read_phys(m, RAM + 0x1000, dst, 64);
    ck_assert_mem_eq(dst, src, 64);
    ck_assert_uint_eq(rasim_fixup_count(m), 1);
    const struct rasim_fixup *f = rasim_fixup_get(m, 0);
    ck_assert_msg(!strcmp(f->exception, "hardware-error") || !strcmp(f->exception, "access-fault"),
                  "%s", f->exception);
    ck_assert(f->pa_valid);
    ck_assert_uint_eq(f->pa, RAM + 64);
    ck_assert(f->memory_failure);
    ck_assert_uint_eq(f->pfn, (RAM + 64) >> 12);

    ck_assert_uint_eq(rasim_error_log_count(m), 1);
    struct rasim_error_record r;
    ck_assert_int_eq(rasim_error_log_get(m, 0, &r), 0);
    ck_assert_str_eq(r.access, "read");
    ck_assert_uint_eq(r.pa, RAM + 64);
    ck_assert(r.pc_known);
    char where[64];
    rasim_describe(m, r.pc, where, sizeof(where));
    ck_assert_str_eq(where, "km_copy+0x6");
    ck_assert_msg(strstr(r.outcome, "fixed up via FIXUP(1) to km_copy+0x"), "%s", r.outcome);
    ck_assert_uint_gt(r.insns, 64 * 6); /* 64 iterations of the loop came first */
    rasim_free(m);
}
END_TEST

/* The same poison with a routine that has no entry for the load: the kernel
 * dies, and the log says so. */
START_TEST(poison_without_a_fixup_is_an_oops)
{
    rasim_machine *m = machine(NULL);
    struct rasim_poison p = {.pa = RAM, .len = 8};
    ck_assert_int_eq(rasim_poison(m, &p), 0);
    struct rasim_stop s = call(m, "km_load_no_entry", RAM, 0, 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_OOPS);
    struct rasim_error_record r;
    ck_assert_int_eq(rasim_error_log_get(m, 0, &r), 0);
    ck_assert_str_eq(r.outcome, "oops");
    rasim_free(m);
}
END_TEST

/* ---- profile files ---- */

static const char *write_text(const char *name, const char *text)
{
    static char path[8][512];
    static int next;
    char *p = path[next++ % 8];
    snprintf(p, 512, "%s", tu_tmp(name));
    ck_assert_int_eq(tu_write_file(p, text, strlen(text)), 0);
    return p;
}

START_TEST(a_users_profile_decides)
{
    /* A kernel whose access-fault path takes only FIXUP entries: the
     * UACCESS_ERR_ZERO entry of km_get_user is refused. */
    const char *path = write_text("strict.yaml", "name: strict\n"
                                                 "arch: rv64\n"
                                                 "types:\n"
                                                 "  - {number: 1, name: FIXUP, handler: fixup}\n"
                                                 "  - {number: 3, name: UACCESS_ERR_ZERO, handler: err_zero}\n"
                                                 "fixup:\n"
                                                 "  - {exception: access-fault, types: [FIXUP]}\n");
    rasim_machine *m = machine(path);
    ck_assert_str_eq(rasim_profile_name(m), "strict");
    struct rasim_stop s = call(m, "km_get_user", 0, ABSENT, 0);
    ck_assert_int_eq(s.reason, RASIM_STOP_OOPS);
    ck_assert_msg(strstr(s.reason_text, "strict does not accept its entry of type UACCESS_ERR_ZERO(3)"),
                  "%s", s.reason_text);
    rasim_free(m);
}
END_TEST

START_TEST(bad_profile_files_name_the_line_and_column)
{
    static const char *const cases[][2] = {
        {"name: x\narch: rv64\ntypes:\n  - {number: 1, nmae: FIXUP}\n",
         ":4:17: unknown key 'nmae' in a type"},
        {"name: x\narch: sparc\ntypes: []\n", ":2:7: arch must be aarch64 or rv64"},
        {"name: x\narch: rv64\ntypes:\n  - {number: 99, name: A}\n",
         ":4:14: expected a type number from 0 to 15"},
        {"name: x\narch: rv64\ntypes:\n  - {number: 1, name: A, handler: jump}\n",
         ":4:35: unknown handler 'jump'"},
        {"name: x\narch: rv64\ntypes:\n  - {number: 1, name: A}\nfixup:\n  - {exception: "
         "page-fult, types: any}\n",
         ":6:17: unknown exception class 'page-fult'"},
        {"name: x\narch: rv64\ntypes:\n  - {number: 1, name: A}\nfixup:\n  - {exception: "
         "page-fault, types: [B]}\n",
         ":6:37: 'B' is not a type this profile defines"},
        {"name: x\narch: rv64\ntypes: [\n", "did not find expected node content"},
        {"name: x\narch: rv64\ncolour: blue\ntypes: []\n", ":3:1: unknown key 'colour'"},
        {"name: x\narch: aarch64\ntypes: []\n", "is for aarch64, the machine is rv64"},
        {"name: x\narch: rv64\ntypes:\n  - {number: 1, name: A}\n  - {number: 1, name: B}\n",
         ":5:5: type 1 is defined twice"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        const char *path = write_text("bad.yaml", cases[i][0]);
        rasim_machine *m = rasim_new(RASIM_ARCH_RV64);
        ck_assert_int_eq(rasim_set_profile(m, path), -1);
        ck_assert_msg(strstr(rasim_error(m), cases[i][1]) && !strncmp(rasim_error(m), path, strlen(path)),
                      "case %zu: want '%s' in: %s", i, cases[i][1], rasim_error(m));
        ck_assert_str_eq(rasim_profile_name(m), "linux-6.12"); /* unchanged */
        rasim_free(m);
    }
}
END_TEST

START_TEST(every_built_in_profile_parses)
{
    static const char *const a64[] = {"linux-6.1", "linux-6.12", "arm64-copy-mc-v8",
                                      "arm64-copy-mc-v13"};
    static const char *const rv[] = {"linux-6.1", "linux-6.12", "riscv-copy-mc"};
    rasim_machine *m = rasim_new(RASIM_ARCH_AARCH64);
    for (size_t i = 0; i < 4; i++)
        ck_assert_msg(rasim_set_profile(m, a64[i]) == 0, "%s: %s", a64[i], rasim_error(m));
    size_t n = 0;
    for (const char *const *p = rasim_profile_names(m); *p; p++)
        n++;
    ck_assert_uint_eq(n, 4);
    ck_assert_int_eq(rasim_set_profile(m, "riscv-copy-mc"), -1); /* not for arm64 */
    rasim_free(m);
    m = rasim_new(RASIM_ARCH_RV64);
    for (size_t i = 0; i < 3; i++)
        ck_assert_msg(rasim_set_profile(m, rv[i]) == 0, "%s: %s", rv[i], rasim_error(m));
    rasim_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("kernel_model");
    TCase *tc = tcase_create("kernel_model");
    tcase_add_test(tc, err_zero_writes_efault_and_zero_and_continues);
    tcase_add_test(tc, zeropad_reads_what_is_there_and_zeroes_the_rest);
    tcase_add_test(tc, oops_without_an_entry_has_a_backtrace);
    tcase_add_test(tc, oops_when_the_kernel_does_not_look_in_the_table);
    tcase_add_test(tc, user_mode_faults_are_not_the_kernel_models);
    tcase_add_test(tc, poisoned_source_is_recovered_and_logged);
    tcase_add_test(tc, poison_without_a_fixup_is_an_oops);
    tcase_add_test(tc, a_users_profile_decides);
    tcase_add_test(tc, bad_profile_files_name_the_line_and_column);
    tcase_add_test(tc, every_built_in_profile_parses);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
