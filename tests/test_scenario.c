/*
 * test_scenario.c - `rasim run`, `rasim campaign` and `rasim report merge`
 * on the example scenarios: outcomes per line that we know in advance,
 * the broken variants caught, JSON read back with jansson, JUnit and SVG
 * checked with xmllint, shards merged into what a whole run gives, the same
 * bytes twice, and bad scenario files refused with file:line:column.
 */
#include "test_util.h"

#include <check.h>
#include <dirent.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* rasim from the source tree's top, with the built examples on the search
 * path for commands that load scenarios. */
static int rasim(const char *args, char **out, char **err)
{
    char cmd[8192];
    bool scenario = strncmp(args, "report ", 7) != 0;
    snprintf(cmd, sizeof(cmd), "cd '%s/..' && timeout 120 '%s' %s%s%s%s", EXAMPLES_SRC, RASIM_BIN,
             args, scenario ? " --search '" : "", scenario ? EXAMPLES_DIR : "",
             scenario ? "'" : "");
    return tu_run(cmd, out, err);
}

static json_t *load_json(const char *path)
{
    json_error_t e;
    json_t *j = json_load_file(path, 0, &e);
    ck_assert_msg(j != NULL, "%s: %s", path, e.text);
    return j;
}

static long long summary(json_t *j, const char *key)
{
    return json_integer_value(json_object_get(json_object_get(j, "summary"), key));
}

START_TEST(run_checks_every_expectation)
{
    char *out, *err;
    ck_assert_int_eq(rasim("run examples/scenarios/rv64-memcpy-mc.yaml", &out, &err), 0);
    ck_assert_msg(strstr(out, "recovered at rasim_memcpy_mc+0x"), "%s", out);
    ck_assert_ptr_nonnull(
        strstr(out, "ok      ret == bytes not copied from the first poisoned byte (0x7c0)"));
    ck_assert_ptr_nonnull(strstr(out, "5 expectations, 0 failed"));
    free(out);
    free(err);
}
END_TEST

/* A scenario whose expectation is wrong: expected vs actual, exit 1. */
START_TEST(a_failed_expectation_says_what_and_what_was_found)
{
    const char *path = tu_tmp("wrong.yaml");
    char text[2048];
    snprintf(text, sizeof(text),
             "arch: rv64\nprofile: riscv-copy-mc\nimages:\n  - {file: rv64/memcpy_mc.o}\n"
             "buffers:\n  - {name: src, size: 256, fill: pattern}\n  - {name: dst, size: 256}\n"
             "call: {symbol: rasim_memcpy_mc, args: [dst, src, 256]}\n"
             "poison:\n  - {at: src+0x80}\n"
             "expect: {ret: 0, outcome: silent}\n");
    ck_assert_int_eq(tu_write_file(path, text, strlen(text)), 0);
    char args[2048], *out, *err;
    snprintf(args, sizeof(args), "run '%s'", path);
    ck_assert_int_eq(rasim(args, &out, &err), 1);
    ck_assert_msg(strstr(out, "FAILED  ret == 0x0: got ret 0x80"), "%s", out);
    ck_assert_msg(strstr(out, "FAILED  outcome silent: got recovered"), "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "2 expectations, 2 failed"));
    free(out);
    free(err);
}
END_TEST

/* memcpy_mc over every line of a 4 KiB source and destination: each source
 * line is recovered with the residue from that line on; the destination is
 * only written, so its poison is never read. Checked in the JSON, line by
 * line, and in the JUnit and SVG. */
START_TEST(campaign_outcome_per_line_is_known)
{
    char args[4096], *out, *err;
    const char *json = tu_tmp("c.json"), *junit = tu_tmp("c.xml"), *svg = tu_tmp("c.svg");
    char j[512], x[512], s[512];
    snprintf(j, sizeof(j), "%s", json);
    snprintf(x, sizeof(x), "%s", junit);
    snprintf(s, sizeof(s), "%s", svg);
    snprintf(args, sizeof(args),
             "campaign examples/scenarios/rv64-memcpy-mc.yaml --json '%s' --junit '%s' --svg '%s'",
             j, x, s);
    ck_assert_int_eq(rasim(args, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "128 of 128 runs have an accepted outcome"));
    free(out);
    free(err);

    json_t *root = load_json(j);
    ck_assert_int_eq(summary(root, "total"), 128);
    ck_assert_int_eq(summary(root, "recovered"), 64);
    ck_assert_int_eq(summary(root, "not-consumed"), 64);
    json_t *runs = json_object_get(root, "runs");
    for (size_t i = 0; i < 64; i++) {
        json_t *run = json_array_get(runs, i);
        json_t *point = json_object_get(run, "point");
        ck_assert_int_eq(json_integer_value(json_object_get(point, "offset")), (json_int_t)i * 64);
        ck_assert_str_eq(json_string_value(json_object_get(point, "region")), "src");
        char want[32];
        snprintf(want, sizeof(want), "0x%zx", 4096 - i * 64); /* bytes from the line on */
        ck_assert_str_eq(json_string_value(json_object_get(run, "ret")), want);
        ck_assert_str_eq(json_string_value(json_object_get(run, "outcome")), "recovered");
    }
    json_decref(root);

    char cmd[2048], *lint;
    snprintf(cmd, sizeof(cmd), "xmllint --noout '%s' '%s'", x, s);
    ck_assert_msg(tu_run(cmd, NULL, &lint) == 0, "%s", lint);
    free(lint);
    snprintf(cmd, sizeof(cmd), "xmllint --xpath 'count(//testcase)' '%s'", x);
    ck_assert_int_eq(tu_run(cmd, &out, NULL), 0);
    ck_assert_str_eq(out, "128\n");
    free(out);
    snprintf(cmd, sizeof(cmd),
             "xmllint --xpath \"count(//*[local-name()='rect'][*[local-name()='title']])\" '%s'",
             s);
    ck_assert_int_eq(tu_run(cmd, &out, NULL), 0);
    ck_assert_str_eq(out, "128\n"); /* one cell per run */
    free(out);
}
END_TEST

/* The arm64 pair: copy_mc_page recovers every source line with -EFAULT
 * and never reads the destination; round v8's variants are caught. */
START_TEST(arm64_copy_mc_page_and_its_broken_rounds)
{
    char *out, *err;
    ck_assert_int_eq(
        rasim("campaign examples/scenarios/arm64-copy-mc-page.yaml --quiet", &out, &err), 0);
    free(out);
    free(err);
    ck_assert_int_eq(rasim("run examples/scenarios/arm64-copy-mc-user-highpage.yaml", &out, &err),
                     0);
    ck_assert_msg(strstr(out, "ok      rasim_nqueued+0x0 == 0x1"), "%s", out);
    free(out);
    free(err);
    ck_assert_int_eq(rasim("campaign examples/broken/arm64-copy-mc-page-v8.yaml", &out, &err), 1);
    ck_assert_msg(strstr(out, "  wrong-residue      64") && strstr(out, "not the error"), "%s",
                  out);
    free(out);
    free(err);
    ck_assert_int_eq(rasim("campaign examples/broken/arm64-copy-mc-highpage-zero.yaml", &out, &err),
                     1);
    ck_assert_msg(strstr(out, "  silent             64"), "%s", out);
    free(out);
    free(err);
}
END_TEST

/* MTE tag copies with poison in tag storage: the machine-check-safe copy
 * recovers every line of both pages (the destination's STGM reads poison
 * through its read-modify-write); the plain copy dies on each; round v8's
 * copy with an entry on the LDGM only dies on every destination line. */
START_TEST(mte_tag_copies_under_tag_storage_poison)
{
    char *out, *err;
    ck_assert_int_eq(rasim("run examples/scenarios/arm64-mte-copy-mc-page-tags.yaml", &out, &err),
                     0);
    ck_assert_msg(strstr(out, "ok      dst+0x0 tags equal those of src+0x0 over 0x800 bytes"), "%s",
                  out);
    free(out);
    free(err);
    ck_assert_int_eq(rasim("run examples/scenarios/arm64-mte-copy-page-tags.yaml", &out, &err), 0);
    ck_assert_msg(strstr(out, "ok      dst+0x0 tags equal those of src+0x0 over 0x1000 bytes"),
                  "%s", out);
    free(out);
    free(err);
    ck_assert_int_eq(
        rasim("campaign examples/scenarios/arm64-mte-copy-mc-page-tags.yaml", &out, &err), 0);
    ck_assert_msg(strstr(out, "  recovered         128"), "%s", out);
    free(out);
    free(err);
    ck_assert_int_eq(rasim("campaign examples/scenarios/arm64-mte-copy-page-tags.yaml", &out, &err),
                     0);
    ck_assert_msg(strstr(out, "  oops              128"), "%s", out);
    free(out);
    free(err);
    ck_assert_int_eq(
        rasim("campaign examples/broken/arm64-mte-copy-mc-tags-load-only.yaml", &out, &err), 1);
    ck_assert_msg(strstr(out, "  recovered          64  src+0x0 (tag)") &&
                      strstr(out, "  oops               64  dst+0x0 (tag)") &&
                      strstr(out, "data write, synchronous external abort"),
                  "%s", out);
    free(out);
    free(err);
}
END_TEST

/* Swap entries: our helpers for each layout round-trip through rasim's
 * codec; the broken layout's exclusive bit changes the offset, and the
 * failure says which entry and how. */
START_TEST(swap_helpers_round_trip_and_the_overlap_is_caught)
{
    static const char *const good[] = {
        "examples/scenarios/arm64-swap-pte-6.1.yaml", "examples/scenarios/arm64-swap-pte-6.12.yaml",
        "examples/scenarios/rv64-swap-pte-6.1.yaml", "examples/scenarios/rv64-swap-pte-6.12.yaml"};
    char args[512], *out, *err;
    for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
        snprintf(args, sizeof(args), "run %s", good[i]);
        ck_assert_msg(rasim(args, &out, &err) == 0, "%s: %s%s", good[i], out, err);
        ck_assert_msg(strstr(out, "ok      swap entries round-trip through the linux-6."), "%s",
                      out);
        ck_assert_ptr_nonnull(strstr(out, "2 expectations, 0 failed"));
        free(out);
        free(err);
    }
    ck_assert_int_eq(rasim("run examples/broken/arm64-swap-pte-overlap.yaml", &out, &err), 1);
    ck_assert_msg(strstr(out, "FAILED  swap entries round-trip through the linux-6.1 layout") &&
                      strstr(out, "broken_arm64_pte_swp_mkexclusive(type 0 offset 0x0) gave "
                                  "0x100, which reads as type 0 offset 0x1"),
                  "%s", out);
    free(out);
    free(err);
}
END_TEST

/* The async store policy over the destination of copy_mc_page: each store
 * to a poisoned line raises an SError at the next instruction boundary,
 * which no kernel recovers from: every destination line is an oops. */
START_TEST(async_stores_end_in_serror_oopses)
{
    const char *path = tu_tmp("async.yaml");
    char text[1024], args[1024], *out, *err;
    snprintf(text, sizeof(text),
             "arch: aarch64\nprofile: arm64-copy-mc-v13\nimages: [{file: aarch64/copy_mc_page.o}]\n"
             "buffers:\n  - {name: src, size: 4096, fill: pattern}\n  - {name: dst, size: 4096}\n"
             "call: {symbol: rasim_copy_mc_page, args: [dst, src]}\n"
             "contract: {kind: error-code, error: -EFAULT}\nstore_policy: async\n"
             "campaign: {sweep: [{lines: dst}], accept: [oops]}\n");
    ck_assert_int_eq(tu_write_file(path, text, strlen(text)), 0);
    snprintf(args, sizeof(args), "campaign '%s'", path);
    ck_assert_int_eq(rasim(args, &out, &err), 0);
    ck_assert_msg(strstr(out, "  oops               64") && strstr(out, "SError"), "%s", out);
    free(out);
    free(err);
}
END_TEST

/* An instruction sweep: one source line poisoned after each instruction of
 * the clean run in turn. Poison that arrives before memcpy_mc reads the line
 * is recovered; after the read it is never consumed; the switch happens
 * once, and there is one run per instruction. */
START_TEST(instruction_sweep_finds_the_window_of_a_read)
{
    const char *path = tu_tmp("insns.yaml"), *json = tu_tmp("insns.json");
    char text[1024], args[2048], j[512], *out, *err;
    snprintf(j, sizeof(j), "%s", json);
    snprintf(text, sizeof(text),
             "arch: rv64\nprofile: riscv-copy-mc\nimages: [{file: rv64/memcpy_mc.o}]\n"
             "buffers:\n  - {name: src, size: 256, fill: pattern}\n  - {name: dst, size: 256}\n"
             "call: {symbol: rasim_memcpy_mc, args: [dst, src, 256]}\n"
             "contract: {kind: bytes-not-copied, dst: dst, src: src, len: 256}\n"
             "campaign: {sweep: [{instructions: src+0x40}], accept: [recovered, not-consumed]}\n");
    ck_assert_int_eq(tu_write_file(path, text, strlen(text)), 0);
    snprintf(args, sizeof(args), "run '%s'", path);
    ck_assert_int_eq(rasim(args, &out, &err), 0);
    unsigned long long insns = 0;
    const char *at = strstr(out, "insns=");
    ck_assert_ptr_nonnull(at);
    sscanf(at, "insns=%llu", &insns);
    ck_assert_uint_gt(insns, 10);
    free(out);
    free(err);

    snprintf(args, sizeof(args), "campaign '%s' --json '%s' --svg '%s'", path, j, tu_tmp("i.svg"));
    ck_assert_int_eq(rasim(args, &out, &err), 0);
    free(out);
    free(err);
    json_t *root = load_json(j);
    json_t *runs = json_object_get(root, "runs");
    ck_assert_uint_eq(json_array_size(runs), insns);
    size_t switches = 0;
    const char *prev = NULL;
    for (size_t i = 0; i < json_array_size(runs); i++) {
        json_t *run = json_array_get(runs, i);
        json_t *point = json_object_get(run, "point");
        ck_assert_int_eq(json_integer_value(json_object_get(point, "insn")), (json_int_t)i);
        const char *o = json_string_value(json_object_get(run, "outcome"));
        if (prev && strcmp(prev, o))
            switches++;
        prev = o;
    }
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(runs, 0), "outcome")),
                     "recovered");
    ck_assert_str_eq(prev, "not-consumed");
    ck_assert_uint_eq(switches, 1);
    json_decref(root);
}
END_TEST

/* A routine that never returns is a hang, and the outcome says where it
 * loops. */
START_TEST(a_hang_says_where_it_loops)
{
    const char *path = tu_tmp("hang.yaml");
    char text[1024], args[1024], *out, *err;
    snprintf(text, sizeof(text),
             "arch: rv64\nimages: [{file: %s/spin_rv64.o}]\ncall: {symbol: spin_routine, "
             "max_insns: 500}\nexpect: {outcome: hang}\n",
             FIXTURE_DIR);
    ck_assert_int_eq(tu_write_file(path, text, strlen(text)), 0);
    snprintf(args, sizeof(args), "run '%s'", path);
    ck_assert_int_eq(rasim(args, &out, &err), 0);
    ck_assert_msg(strstr(out, "the budget of 500 instructions ran out, looping in "
                              "spin_routine+0x2..spin_routine+0x8"),
                  "%s", out);
    free(out);
    free(err);
}
END_TEST

/* Scenarios with rasim-built page tables: the MMU-on runs recover as the
 * MMU-off ones do, and a campaign over the tables' own lines meets poison
 * on walks - a fetch walk or a store's is fatal; an arm64 walk SEA is never
 * fixed up by round v13; an RV64 hardware error on the source's walk goes
 * through the load's FIXUP entry. The counts are those of the tables the
 * builder lays out (three regions of images, buffers and stack). */
START_TEST(page_tables_built_for_the_routine)
{
    char *out, *err;
    ck_assert_int_eq(rasim("run examples/scenarios/rv64-memcpy-mc-mmu.yaml", &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "2 expectations, 0 failed"));
    free(out);
    free(err);
    ck_assert_int_eq(rasim("run examples/scenarios/arm64-copy-mc-page-mmu.yaml", &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "3 expectations, 0 failed"));
    free(out);
    free(err);
    /* registers: applied after the call's set-up - here PSTATE.PAN does
     * not matter to kernel pages, and a wrong SCTLR turns the MMU off. */
    const char *path = tu_tmp("regs.yaml");
    char text[1024], args[512];
    snprintf(text, sizeof(text),
             "arch: rv64\nimages: [{file: rv64/memcpy_mc.o}]\nbuffers: [{name: s, size: 64, "
             "fill: pattern}, {name: d, size: 64}]\ncall: {symbol: rasim_memcpy_mc, args: [d, s, "
             "64]}\nregisters: {a2: 8}\nexpect: {ret: 0, values: [{at: d+8, equals: 0}], "
             "memory: [{equal: d, to: s, len: 8}]}\n");
    ck_assert_int_eq(tu_write_file(path, text, strlen(text)), 0);
    snprintf(args, sizeof(args), "run '%s'", path);
    ck_assert_msg(rasim(args, &out, &err) == 0, "%s", out); /* a2 = 8, not 64: 8 bytes */
    free(out);
    free(err);
    ck_assert_int_eq(rasim("campaign examples/scenarios/rv64-memcpy-mc-mmu.yaml", &out, &err), 0);
    ck_assert_msg(
        strstr(out, "  recovered           3  page_tables+") &&
            strstr(out, "  oops                3  page_tables+0x0 at rasim_memcpy_mc+0x0") &&
            strstr(out, "  not-consumed     2042"),
        "%s", out);
    free(out);
    free(err);
    ck_assert_int_eq(rasim("campaign examples/scenarios/arm64-copy-mc-page-mmu.yaml", &out, &err),
                     0);
    ck_assert_msg(strstr(out, "  oops               10  page_tables+0x0") &&
                      strstr(out, "synchronous external abort on walk, level 0") &&
                      strstr(out, "  not-consumed     2038"),
                  "%s", out);
    free(out);
    free(err);
}
END_TEST

/* Every shipped scenario holds: its run meets its expectations and its
 * campaign (when it has one) accepts every outcome. */
/* page_tables.built_by: the guest's own builder makes the tables. Proof
 * that translation uses them and nothing else: leave the buffers out of
 * its map and the routine's first load of src faults, where the shipped
 * example (the same builder mapping the buffers) recovers. */
static void run_own_tables(const char *example, bool map_buffers, int want_rc, const char *want)
{
    char *text = tu_read_text(example), *out, *err, args[512];
    ck_assert_ptr_nonnull(text);
    if (!map_buffers) {
        static const char range[] = "src, page_tables+0x20000";
        char *buffers = strstr(text, range);
        ck_assert_ptr_nonnull(buffers);
        memset(buffers, ' ', strlen(range));
        memcpy(buffers, "0, 0", 4); /* an empty range */
    }
    const char *path = tu_tmp("own-tables.yaml");
    ck_assert_int_eq(tu_write_file(path, text, strlen(text)), 0);
    snprintf(args, sizeof(args), "run '%s'", path);
    int rc = rasim(args, &out, &err);
    ck_assert_msg(rc == want_rc, "%s: exit %d: %s%s", example, rc, out, err);
    ck_assert_msg(strstr(out, want) != NULL, "%s: no '%s' in: %s", example, want, out);
    free(text);
    free(out);
    free(err);
}

START_TEST(page_tables_built_by_a_guest_routine)
{
    static const char *const rv = EXAMPLES_SRC "/scenarios/rv64-memcpy-mc-early-idmap.yaml";
    static const char *const a64 = EXAMPLES_SRC "/scenarios/arm64-copy-mc-page-early-idmap.yaml";
    run_own_tables(rv, true, 0, "recovered at rasim_memcpy_mc+0x32");
    run_own_tables(rv, false, 1, "ret=0x1000"); /* the fault on the first load is fixed up */
    run_own_tables(a64, true, 0, "recovered at rasim_copy_mc_page+0x14");
    run_own_tables(a64, false, 1, "translation fault");
}
END_TEST

START_TEST(every_example_scenario_holds)
{
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/scenarios", EXAMPLES_SRC);
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    unsigned n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml"))
            continue;
        char args[2048], *out, *err;
        snprintf(args, sizeof(args), "run examples/scenarios/%s", e->d_name);
        ck_assert_msg(rasim(args, &out, &err) == 0, "%s:\n%s%s", e->d_name, out, err);
        free(out);
        free(err);
        snprintf(args, sizeof(args), "campaign examples/scenarios/%s --quiet", e->d_name);
        int rc = rasim(args, &out, &err);
        ck_assert_msg(rc == 0 || (rc == 2 && strstr(err, "declares no campaign sweep")),
                      "%s: campaign exit %d:\n%s%s", e->d_name, rc, out, err);
        free(out);
        free(err);
        n++;
    }
    closedir(d);
    ck_assert_uint_ge(n, 19);
}
END_TEST

START_TEST(broken_variants_are_caught)
{
    char *out, *err, args[4096];
    const char *junit = tu_tmp("broken.xml");
    char x[512];
    snprintf(x, sizeof(x), "%s", junit);
    snprintf(args, sizeof(args), "campaign examples/broken/rv64-copy-mc-fallback.yaml --junit '%s'",
             x);
    ck_assert_int_eq(rasim(args, &out, &err), 1);
    ck_assert_msg(strstr(out, "  oops               64") && strstr(out, "no __ex_table entry"),
                  "%s", out);
    free(out);
    free(err);
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "xmllint --xpath 'count(//failure[@type=\"oops\"])' '%s'", x);
    ck_assert_int_eq(tu_run(cmd, &out, NULL), 0);
    ck_assert_str_eq(out, "64\n");
    free(out);

    ck_assert_int_eq(rasim("campaign examples/broken/rv64-memcpy-mc-no-error.yaml", &out, &err), 1);
    ck_assert_msg(strstr(out, "  silent             64") && strstr(out, "returned 0 (all copied)"),
                  "%s", out);
    free(out);
    free(err);
}
END_TEST

static json_t *runs_without_shard(const char *path)
{
    json_t *j = load_json(path);
    json_object_del(j, "shard");
    return j;
}

START_TEST(shards_merge_into_the_whole_and_runs_repeat_exactly)
{
    char args[4096], *out, *err, whole[512], again[512], parts[3][512], merged[512];
    snprintf(whole, sizeof(whole), "%s", tu_tmp("whole.json"));
    snprintf(again, sizeof(again), "%s", tu_tmp("again.json"));
    snprintf(merged, sizeof(merged), "%s", tu_tmp("merged.json"));
    snprintf(args, sizeof(args),
             "campaign examples/scenarios/rv64-memcpy-mc.yaml --quiet --json '%s'", whole);
    ck_assert_int_eq(rasim(args, &out, &err), 0);
    free(out);
    free(err);
    snprintf(args, sizeof(args),
             "campaign examples/scenarios/rv64-memcpy-mc.yaml --quiet --json '%s'", again);
    ck_assert_int_eq(rasim(args, &out, &err), 0);
    free(out);
    free(err);
    size_t n1, n2;
    uint8_t *a = tu_read_file(whole, &n1), *b = tu_read_file(again, &n2);
    ck_assert_uint_eq(n1, n2);
    ck_assert_mem_eq(a, b, n1); /* deterministic, byte for byte */
    free(a);
    free(b);

    for (int k = 0; k < 3; k++) {
        snprintf(parts[k], sizeof(parts[k]), "%s",
                 tu_tmp(k == 0   ? "p1.json"
                        : k == 1 ? "p2.json"
                                 : "p3.json"));
        snprintf(args, sizeof(args),
                 "campaign examples/scenarios/rv64-memcpy-mc.yaml --quiet --shard %d/3 --json '%s'",
                 k + 1, parts[k]);
        ck_assert_int_eq(rasim(args, &out, &err), 0);
        free(out);
        free(err);
    }
    json_t *p1 = load_json(parts[0]);
    ck_assert_int_eq(summary(p1, "total"), 43); /* 128 = 43 + 43 + 42 */
    json_decref(p1);
    snprintf(args, sizeof(args), "report merge '%s' '%s' '%s' -o '%s'", parts[2], parts[0],
             parts[1], merged);
    ck_assert_int_eq(rasim(args, &out, &err), 0);
    free(out);
    free(err);
    json_t *w = runs_without_shard(whole), *m = runs_without_shard(merged);
    ck_assert_msg(json_equal(json_object_get(w, "runs"), json_object_get(m, "runs")),
                  "merged runs differ from the whole campaign");
    ck_assert(json_equal(json_object_get(w, "summary"), json_object_get(m, "summary")));
    json_decref(w);
    json_decref(m);
}
END_TEST

START_TEST(bad_scenarios_are_one_line_errors)
{
    static const char *const cases[][2] = {
        {"arch: rv64\nimages: [{file: rv64/memcpy_mc.o}]\ncall: {symbol: x}\ncolour: red\n",
         ":4:1: unknown key 'colour' in a scenario"},
        {"arch: rv64\nimages: [{file: rv64/memcpy_mc.o}]\ncall: {symbol: x, args: 3}\n",
         ":3:25: args must be a list"},
        {"arch: rv65\n", ":1:7: arch: expected one of aarch64, rv64, got 'rv65'"},
        {"arch: rv64\nimages: [{file: nothere.o}]\ncall: {symbol: x}\n",
         ":2:17: 'nothere.o' not found"},
        {"arch: rv64\nimages: [{file: rv64/memcpy_mc.o}]\nbuffers: [{name: a, size: 0}]\n"
         "call: {symbol: x}\n",
         ":3:27: size must be between"},
        {"arch: rv64\nimages: [{file: rv64/memcpy_mc.o}]\ncall: {symbol: x}\n"
         "campaign: {sweep: [{lines: nobuf}]}\n",
         ":4:28: no buffer named 'nobuf'"},
        {"arch: rv64\nimages: [{file: rv64/memcpy_mc.o}]\ncall: {symbol: x}\n"
         "expect: {outcome: fine}\n",
         ":4:19: outcome: expected one of recovered"},
        {"arch: rv64\nimages: [{file: rv64/memcpy_mc.o}]\n", "a scenario needs a call"},
        {"arch: rv64\nimages: [{file: rv64/memcpy_mc.o}]\ncall: {symbol: no_such_routine}\n",
         "no symbol 'no_such_routine'"},
        {"arch: rv64\nimages: [{file: rv64/memcpy_mc.o, base: 0x80000000},"
         " {file: rv64/memcpy.o, base: 0x80000000}]\ncall: {symbol: rasim_memcpy}\n",
         "overlaps"},
        {"arch: rv64\nimages: [{file: rv64/memcpy_mc.o}]\ncall: {symbol: rasim_memcpy_mc, args: "
         "[ghost]}\n",
         ":3:40: no buffer or symbol named 'ghost'"},
        {"arch: rv64\nimages: [{file: rv64/memcpy_mc.o}\n", "did not find expected"},
        {"arch: rv64\nimages: [{file: rv64/memcpy_mc.o}]\nbuffers: [{name: a, size: 64, tags: 1}]\n"
         "call: {symbol: x}\n",
         ":3:31: tags: MTE allocation tags exist on aarch64 only"},
        {"arch: aarch64\nimages: [{file: aarch64/copy_page.o}]\n"
         "buffers: [{name: a, size: 64, tags: 16}]\ncall: {symbol: x}\n",
         ":3:37: tags must be 0..15"},
        {"arch: aarch64\nimages: [{file: aarch64/copy_page.o}]\nbuffers: [{name: a, size: 64}]\n"
         "call: {symbol: rasim_copy_page}\nexpect: {memory: [{equal: a, to: a, len: 1, in: "
         "tags}]}\n",
         ":5:49: in: expected one of data, tag, got 'tags'"},
        {"arch: aarch64\nimages: [{file: aarch64/copy_page.o}]\ncall: {symbol: x}\n"
         "expect: {mmu_warnings: 0}\n",
         ":4:10: mmu_warnings needs check_mmu: true"},
        {"arch: aarch64\nimages: [{file: aarch64/swap_pte.o}]\ncall: {symbol: x}\n"
         "expect: {swap_roundtrip: {layout: linux-6.1, make: m, exclusive: e}}\n",
         ":4:26: swap_roundtrip: mkexclusive, clear_exclusive and exclusive go together"},
        {"arch: aarch64\nimages: [{file: aarch64/swap_pte.o}]\ncall: {symbol: x}\n"
         "expect: {swap_roundtrip: {layout: linux-7, make: m}}\n",
         ":4:35: layout: expected one of linux-6.1, linux-6.12, got 'linux-7'"},
        {"arch: aarch64\nimages: [{file: aarch64/swap_pte.o}]\ncall: {symbol: x}\n"
         "expect: {pt_diff: {before: a, after: b, changes: []}}\n",
         ":4:19: pt_diff needs before, after, va_bits and changes"},
        {"arch: rv64\nimages: [{file: rv64/memcpy_mc.o}]\ncall: {symbol: rasim_memcpy_mc}\n"
         "registers: {a7: 1, nosuchreg: 2}\n",
         ":4:31: registers: unknown rv64 register 'nosuchreg'"},
        {"arch: rv64\nimages: [{file: rv64/memcpy_mc.o}]\ncall: {symbol: x}\n"
         "page_tables: {va_bits: 39}\n",
         ":4:14: page_tables maps nothing: give identity: true, a map or built_by"},
        {"arch: rv64\nimages: [{file: rv64/memcpy_mc.o}]\ncall: {symbol: x}\n"
         "page_tables: {map: [{va: 0x1000, to: 0x2000}]}\n",
         ":4:21: a mapping needs va, to and a size"},
        {"arch: rv64\nimages: [{file: rv64/memcpy_mc.o}]\ncall: {symbol: rasim_memcpy_mc}\n"
         "page_tables: {map: [{va: 0x1000, to: 0x2000, size: 0x1000, contiguous: true}]}\n",
         "page_tables: a contiguous mapping must be 64 KiB aligned at VA 0x1000"},
        {"arch: aarch64\nimages: [{file: aarch64/swap_pte.o}]\ncall: {symbol: x}\n"
         "expect: {pt_diff: {before: {root1: a}, after: b, va_bits: 48, changes: []}}\n",
         ":4:28: before needs a root"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        char path[512], args[2048], *out, *err;
        snprintf(path, sizeof(path), "%s", tu_tmp("bad.yaml"));
        ck_assert_int_eq(tu_write_file(path, cases[i][0], strlen(cases[i][0])), 0);
        snprintf(args, sizeof(args), "run '%s'", path);
        int rc = rasim(args, &out, &err);
        ck_assert_msg(rc == 2, "case %zu: exit %d (%s%s)", i, rc, out, err);
        ck_assert_msg(strstr(err, cases[i][1]), "case %zu: want '%s' in: %s", i, cases[i][1], err);
        ck_assert_msg(tu_count_lines(err) == 1, "case %zu: %s", i, err);
        free(out);
        free(err);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("scenario");
    TCase *tc = tcase_create("scenario");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, run_checks_every_expectation);
    tcase_add_test(tc, a_failed_expectation_says_what_and_what_was_found);
    tcase_add_test(tc, campaign_outcome_per_line_is_known);
    tcase_add_test(tc, broken_variants_are_caught);
    tcase_add_test(tc, every_example_scenario_holds);
    tcase_add_test(tc, page_tables_built_for_the_routine);
    tcase_add_test(tc, page_tables_built_by_a_guest_routine);
    tcase_add_test(tc, a_hang_says_where_it_loops);
    tcase_add_test(tc, instruction_sweep_finds_the_window_of_a_read);
    tcase_add_test(tc, async_stores_end_in_serror_oopses);
    tcase_add_test(tc, swap_helpers_round_trip_and_the_overlap_is_caught);
    tcase_add_test(tc, mte_tag_copies_under_tag_storage_poison);
    tcase_add_test(tc, arm64_copy_mc_page_and_its_broken_rounds);
    tcase_add_test(tc, shards_merge_into_the_whole_and_runs_repeat_exactly);
    tcase_add_test(tc, bad_scenarios_are_one_line_errors);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
