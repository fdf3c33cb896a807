/*
 * test_pt_examples.c - the page-table examples (examples/aarch64/contpte*,
 * trans_pgd*): the routines called on their own on blocks we build, the
 * fold's break-before-make order seen in the event stream, their scenarios
 * run with every expectation, the broken fold caught by the MMU checker,
 * the trans_pgd copy diffed both by the scenario and by `rasim pt diff` on
 * the saved tables, and the campaigns' outcome counts.
 */
#include "test_util.h"

#include "rasim.h"

#include <check.h>
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
    bool scenario = !strncmp(args, "run ", 4) || !strncmp(args, "campaign ", 9);
    snprintf(cmd, sizeof(cmd), "cd '%s/..' && timeout 120 '%s' %s%s%s%s", EXAMPLES_SRC, RASIM_BIN,
             args, scenario ? " --search '" : "", scenario ? EXAMPLES_DIR : "",
             scenario ? "'" : "");
    return tu_run(cmd, out, err);
}

static long long summary(json_t *j, const char *key)
{
    return json_integer_value(json_object_get(json_object_get(j, "summary"), key));
}

/* `rasim campaign SCENARIO --json`: the report, its summary checked. */
static json_t *campaign(const char *scenario, long long total, long long oops,
                        long long not_consumed)
{
    char args[1024], *out, *err;
    const char *json = tu_tmp("campaign.json");
    snprintf(args, sizeof(args), "campaign %s --json '%s'", scenario, json);
    ck_assert_msg(rasim(args, &out, &err) == 0, "%s%s", out, err);
    free(out);
    free(err);
    json_error_t e;
    json_t *j = json_load_file(json, 0, &e);
    ck_assert_msg(j != NULL, "%s", e.text);
    ck_assert_int_eq(summary(j, "total"), total);
    ck_assert_int_eq(summary(j, "oops"), oops);
    ck_assert_int_eq(summary(j, "not-consumed"), not_consumed);
    return j;
}

/* ---- contpte routines on a block we build -------------------------------- */

/* Descriptor bits (KERNEL-FACTS 4.1). */
#define D_RDONLY (1ull << 7)
#define D_AF     (1ull << 10)
#define D_DBM    (1ull << 51)
#define D_CONT   (1ull << 52)
#define D_UXN    (1ull << 54)
#define D_DIRTY  (1ull << 55)
/* A user page as the examples map it: PAGE_SHARED, old (AF clear):
 * page, AP[1], AP[2], SH inner, nG, DBM, PXN, UXN. */
#define USER_OLD 0x0068000000000bc3ull
#define BLOCK_PA 0x50000000ull

static const char *block_file(const char *name, const uint64_t *e)
{
    const char *path = tu_tmp(name);
    ck_assert_int_eq(tu_write_file(path, e, 16 * sizeof(*e)), 0);
    return path;
}

/* 16 entries for BLOCK_PA.., with bits added to all and entry 5 written
 * through (hardware dirty: AP[2] clear), entry 9 accessed (AF). */
static void block(uint64_t *e, uint64_t add)
{
    for (int i = 0; i < 16; i++)
        e[i] = USER_OLD | add | (BLOCK_PA + 0x1000ull * (unsigned)i);
    e[5] &= ~D_RDONLY;
    e[9] |= D_AF;
}

/* `rasim call` of a contpte routine on the block in file (a 4 KiB buffer
 * `ptes`); the x0 it returned, or the exit status's failure text. */
static int call_contpte(const char *sym, const char *file, const char *args, uint64_t *ret,
                        char **out)
{
    char cmd[2048], *err;
    snprintf(cmd, sizeof(cmd),
             "call '%s/aarch64/contpte.o' --sym %s --buf ptes=4096,file='%s' %s --max-insns 100000",
             EXAMPLES_DIR, sym, file, args);
    int rc = rasim(cmd, out, &err);
    free(err);
    if (rc == 0)
        ck_assert_int_eq(sscanf(*out, "ret=0x%llx", (unsigned long long *)ret), 1);
    return rc;
}

/* ptep_get gathers AF and dirty over a contiguous block (from entries 5
 * and 9 here) into whichever entry is asked for, and leaves an entry that
 * is not contiguous as it is; the lockless read agrees on a consistent
 * block and keeps retrying on an inconsistent one (one PFN out of
 * sequence), as the kernel's does - it never returns a torn view. */
START_TEST(contpte_ptep_get_gathers_and_lockless_retries)
{
    uint64_t e[16], ret;
    char *out;
    /* What entry i must read as: its own PFN, young, dirty (PTE_DIRTY set
     * and AP[2] clear, since DBM is set). */
#define GATHERED(i)                                                                                \
    ((USER_OLD | D_CONT | D_AF | D_DIRTY | (BLOCK_PA + 0x1000ull * (i))) & ~D_RDONLY)
    block(e, D_CONT);
    const char *good = block_file("contpte-good.bin", e);
    ck_assert_int_eq(call_contpte("rasim_contpte_ptep_get", good, "--arg ptes", &ret, &out), 0);
    ck_assert_uint_eq(ret, GATHERED(0));
    free(out);
    ck_assert_int_eq(call_contpte("rasim_contpte_ptep_get", good, "--arg ptes+0x18", &ret, &out),
                     0);
    ck_assert_uint_eq(ret, GATHERED(3));
    free(out);
    ck_assert_int_eq(
        call_contpte("rasim_contpte_ptep_get_lockless", good, "--arg ptes+0x78", &ret, &out), 0);
    ck_assert_uint_eq(ret, GATHERED(15));
    free(out);

    block(e, 0); /* not contiguous: each entry is its own */
    const char *single = block_file("contpte-single.bin", e);
    ck_assert_int_eq(call_contpte("rasim_contpte_ptep_get", single, "--arg ptes", &ret, &out), 0);
    ck_assert_uint_eq(ret, e[0]);
    free(out);
    ck_assert_int_eq(
        call_contpte("rasim_contpte_ptep_get_lockless", single, "--arg ptes+0x48", &ret, &out), 0);
    ck_assert_uint_eq(ret, e[9]);
    free(out);

    block(e, D_CONT);
    e[7] += 0x1000; /* caught half way through a repaint */
    const char *torn = block_file("contpte-torn.bin", e);
    ck_assert_int_eq(
        call_contpte("rasim_contpte_ptep_get_lockless", torn, "--arg ptes", &ret, &out), 1);
    ck_assert_msg(strstr(out, "budget exhausted at rasim_contpte_ptep_get_lockless+"), "%s", out);
    free(out);
#undef GATHERED
}
END_TEST

/* fold refuses a block that may not be folded, leaving it as it was: an
 * entry with another protection, or PFNs not starting 64 KiB aligned. */
START_TEST(contpte_fold_refuses_what_cannot_be_folded)
{
    uint64_t e[16], ret, after[16];
    char *out, args[1024];
    const char *saved = tu_tmp("contpte-refused.bin");
    for (int bad = 0; bad < 2; bad++) {
        block(e, 0);
        for (int i = 0; i < 16; i++)
            e[i] += bad ? 0x1000 : 0;
        if (!bad)
            e[12] &= ~D_UXN;
        const char *file = block_file("contpte-unfoldable.bin", e);
        snprintf(args, sizeof(args), "--arg 0x5555550000 --arg ptes --arg 1 --save ptes='%s'",
                 saved);
        ck_assert_int_eq(call_contpte("rasim_contpte_fold", file, args, &ret, &out), 0);
        ck_assert_uint_eq((uint32_t)ret, (uint32_t)-22); /* int -EINVAL */
        free(out);
        size_t size;
        uint8_t *bytes = tu_read_file(saved, &size);
        ck_assert_ptr_nonnull(bytes);
        memcpy(after, bytes, sizeof(after));
        free(bytes);
        ck_assert_mem_eq(after, e, sizeof(e));
    }
}
END_TEST

/* ---- the fold's break-before-make, in the event stream -------------------- */

struct bbm_log {
    uint64_t ptes;  /* PA of the block */
    int zeroes;     /* stores of 0 to the block */
    int last_zero;  /* event index of the last one */
    int first_new;  /* of the first store of a non-zero value, or -1 */
    int news;       /* stores of non-zero values */
    int tlbis;      /* TLBI events */
    int first_tlbi; /* event index */
    int last_tlbi;  /* event index */
    int dsb_ish;    /* index of the first DSB ISH after the last TLBI, or -1 */
    char tlbi[16][96];
    int n; /* events so far */
};

static void bbm_record(void *ctx, const struct rasim_event *ev)
{
    struct bbm_log *l = ctx;
    int at = l->n++;
    if (ev->kind == RASIM_EV_MEM && ev->mem.write && ev->mem.pa - l->ptes < 128) {
        if (ev->mem.value == 0) {
            l->zeroes++;
            l->last_zero = at;
        } else {
            if (l->first_new < 0)
                l->first_new = at;
            l->news++;
        }
    } else if (ev->kind == RASIM_EV_TLBI) {
        if (l->tlbis < 16)
            snprintf(l->tlbi[l->tlbis], sizeof(l->tlbi[0]), "%s", ev->tlbi.text);
        if (!l->tlbis++)
            l->first_tlbi = at;
        l->last_tlbi = at;
    } else if (ev->kind == RASIM_EV_INSN && ev->insn.word == 0xd5033b9f /* dsb ish */ && l->tlbis &&
               l->dsb_ish < 0) {
        l->dsb_ish = at;
    }
}

/* Run a fold on the block at 0x400000000 (MMU off: the order of the
 * accesses is what is checked); returns x0. */
static uint64_t fold_events(const char *object, const char *sym, struct bbm_log *l)
{
    char path[1024];
    uint64_t e[16], pc, x0;
    rasim_machine *m = rasim_new(RASIM_ARCH_AARCH64);
    snprintf(path, sizeof(path), "%s/aarch64/contpte.o", EXAMPLES_DIR);
    ck_assert_msg(rasim_load(m, path, NULL) >= 0, "%s", rasim_error(m));
    if (object) {
        snprintf(path, sizeof(path), "%s/%s", EXAMPLES_DIR, object);
        ck_assert_msg(rasim_load(m, path, NULL) >= 0, "%s", rasim_error(m));
    }
    ck_assert_int_eq(rasim_add_region(m, "ptes", 0x400000000ull, 4096, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "stack", 0x3f0000000ull, 0x10000, RASIM_REGION_RAM), 0);
    block(e, 0);
    ck_assert_int_eq(rasim_write_phys(m, 0x400000000ull, e, sizeof(e)), 0);
    ck_assert_int_eq(rasim_lookup_symbol(m, sym, &pc), 0);
    rasim_set_reg(m, "x0", 0x555555f000ull); /* the VA entry 15 maps */
    rasim_set_reg(m, "x1", 0x400000000ull + 8 * 15);
    rasim_set_reg(m, "x2", 1);
    rasim_set_reg(m, "sp", 0x3f0010000ull);
    rasim_set_reg(m, "lr", 0xfffffffffffff000ull);
    rasim_set_reg(m, "pc", pc);
    rasim_set_return_sentinel(m, 0xfffffffffffff000ull);
    memset(l, 0, sizeof(*l));
    l->ptes = 0x400000000ull;
    l->first_new = l->dsb_ish = -1;
    ck_assert_int_eq(rasim_set_event_sink(m,
                                          RASIM_EV_BIT(RASIM_EV_MEM) | RASIM_EV_BIT(RASIM_EV_TLBI) |
                                              RASIM_EV_BIT(RASIM_EV_INSN),
                                          bbm_record, l),
                     0);
    struct rasim_stop stop;
    ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    rasim_get_reg(m, "x0", &x0);
    uint64_t now[16];
    ck_assert_int_eq(rasim_read_phys(m, 0x400000000ull, now, sizeof(now)), 0);
    for (int i = 0; i < 16; i++) /* folded: CONT, young and dirty gathered from 9 and 5 */
        ck_assert_uint_eq(now[i], ((e[i] | D_CONT | D_AF | D_DIRTY) & ~D_RDONLY));
    rasim_free(m);
    return x0;
}

/* contpte_convert's order: all 16 entries cleared, then one TLBI VALE1IS
 * per page with the operand the architecture wants (VA[55:12], ASID 1 in
 * bits 63:48, decoded back by the interpreter), a DSB ISH, and only then
 * the 16 new entries. The broken fold writes the same entries with no
 * TLBI at all. */
START_TEST(contpte_fold_is_break_before_make)
{
    struct bbm_log l;
    ck_assert_uint_eq(fold_events(NULL, "rasim_contpte_fold", &l), 0);
    ck_assert_int_eq(l.zeroes, 16);
    ck_assert_int_eq(l.news, 16);
    ck_assert_int_eq(l.tlbis, 16);
    for (int i = 0; i < 16; i++) {
        char want[96];
        snprintf(want, sizeof(want), "tlbi vale1is va=0x%llx asid=1",
                 0x5555550000ull + 0x1000ull * (unsigned)i);
        ck_assert_str_eq(l.tlbi[i], want);
    }
    ck_assert_int_lt(l.last_zero, l.first_tlbi);
    ck_assert_int_gt(l.dsb_ish, l.last_tlbi);
    ck_assert_int_lt(l.dsb_ish, l.first_new);

    ck_assert_uint_eq(
        fold_events("broken/aarch64/contpte_fold_no_tlbi.o", "broken_contpte_fold_no_tlbi", &l), 0);
    ck_assert_int_eq(l.zeroes, 16);
    ck_assert_int_eq(l.news, 16);
    ck_assert_int_eq(l.tlbis, 0);
}
END_TEST

/* ---- contpte scenarios ------------------------------------------------------ */

START_TEST(contpte_scenario_folds_and_unfolds_cleanly)
{
    char *out, *err;
    ck_assert_int_eq(rasim("run examples/scenarios/arm64-contpte.yaml", &out, &err), 0);
    ck_assert_msg(strstr(out, "ok      ret == 0x6d9a6794718e6b0\n") &&
                      strstr(out, "ok      rasim_contpte_demo_failed+0x0 == 0x0\n") &&
                      strstr(out, "ok      tables+0x5ac8 == 0xe8000400019f43\n") &&
                      strstr(out, "ok      0 MMU checker warnings\n") &&
                      strstr(out, "6 expectations, 0 failed"),
                  "%s", out);
    free(out);
    free(err);
}
END_TEST

/* The fold without TLBI: the driver sees nothing wrong (same data, same
 * final entries); the checker reports each of the 16 entries rewritten with
 * the Contiguous bit while the TLB holds its page translation, then each of
 * the 16 stale page translations used by the next reading (step 3), the
 * first of them named. */
START_TEST(contpte_fold_without_tlbi_is_caught)
{
    char *out, *err;
    ck_assert_int_eq(rasim("run examples/broken/arm64-contpte-fold-no-tlbi.yaml", &out, &err), 1);
    ck_assert_msg(strstr(out, "ok      ret == 0x6d9a6794718e6b0\n") &&
                      strstr(out, "ok      tables+0x5af8 == 0xe800040001ff43\n") &&
                      strstr(out, "FAILED  0 MMU checker warnings: got 32; ") &&
                      strstr(out, "; the first: break-before-make: PTE at PA 0x400005a80 changed "
                                  "0x68000400010fc3 -> 0x78000400010fc3 (Contiguous bit) while "
                                  "the TLB holds VA 0x5555550000 ASID 1, at PC ") &&
                      strstr(out, "6 expectations, 1 failed"),
                  "%s", out);
    free(out);
    free(err);
}
END_TEST

/* Every line of the contpte tables: oops where a descriptor is read (by
 * the early mapper, or by the walk for the 16 PTEs), not-consumed
 * elsewhere; the scenario's comment says which lines and why. */
START_TEST(contpte_campaign_oopses_where_descriptors_are_read)
{
    static const struct {
        unsigned offset;
        const char *where;
    } oops[] = {
        {0x0, "rasim_contpte_demo+"},
        {0x40, "rasim_contpte_demo+"},
        {0x80, "early_idmap_block+"},
        {0xa80, "early_map_pages+"},
        {0x1000, "rasim_contpte_demo+"},
        {0x2c00, "rasim_contpte_demo+"},
        {0x3000, "early_idmap_block+"},
        {0x4540, "early_map_pages+"},
        {0x5a80, "touch+"},
        {0x5ac0, "touch+"},
    };
    json_t *j = campaign("examples/scenarios/arm64-contpte.yaml", 512, 10, 502);
    json_t *runs = json_object_get(j, "runs");
    size_t k = 0;
    for (size_t i = 0; i < json_array_size(runs); i++) {
        json_t *run = json_array_get(runs, i);
        const char *outcome = json_string_value(json_object_get(run, "outcome"));
        if (strcmp(outcome, "oops"))
            continue;
        json_t *point = json_object_get(run, "point");
        const char *where = json_string_value(json_object_get(run, "where"));
        const char *why = json_string_value(json_object_get(run, "why"));
        ck_assert_uint_lt(k, sizeof(oops) / sizeof(*oops));
        ck_assert_int_eq(json_integer_value(json_object_get(point, "offset")), oops[k].offset);
        ck_assert_msg(!strncmp(where, oops[k].where, strlen(oops[k].where)), "%s", where);
        /* The level-3 lines are consumed by the walk, the others by loads. */
        ck_assert_msg(!strstr(why, "on walk") == (oops[k].offset < 0x5000), "%s", why);
        k++;
    }
    ck_assert_uint_eq(k, 10);
    json_decref(j);
}
END_TEST

/* ---- trans_pgd ---------------------------------------------------------------- */

/* The scenario: the relocated code ran from the copy and restored the
 * pages, and pt_diff finds exactly the four intended changes. Dropping one
 * of them from the list makes the expectation fail and name all four. */
START_TEST(trans_pgd_scenario_shows_exactly_the_intended_changes)
{
    char *out, *err;
    ck_assert_int_eq(rasim("run examples/scenarios/arm64-trans-pgd.yaml", &out, &err), 0);
    ck_assert_msg(
        strstr(out, "ok      ret == 0xa6bb94a7cbdef803\n") &&
            strstr(out, "ok      rasim_trans_pgd_root+0x0 == 0x400007000\n") &&
            strstr(out, "ok      data+0x204000 equals data+0x208000 over 0x1000 bytes\n") &&
            strstr(out, "ok      0 MMU checker warnings\n") &&
            strstr(out, "ok      pt_diff: exactly the 4 listed changes\n") &&
            strstr(out, "9 expectations, 0 failed"),
        "%s", out);
    free(out);
    free(err);

    char path[1024];
    snprintf(path, sizeof(path), "%s/scenarios/arm64-trans-pgd.yaml", EXAMPLES_SRC);
    char *text = tu_read_text(path);
    const char *line = "      - {va: 0xffffff8400408000, size: 0x1000, kind: made valid}\n";
    char *at = strstr(text, line);
    ck_assert_ptr_nonnull(at);
    memmove(at, at + strlen(line), strlen(at + strlen(line)) + 1);
    const char *three = tu_tmp("trans-pgd-three.yaml");
    ck_assert_int_eq(tu_write_file(three, text, strlen(text)), 0);
    free(text);
    char args[1024];
    snprintf(args, sizeof(args), "run '%s'", three);
    ck_assert_int_eq(rasim(args, &out, &err), 1);
    ck_assert_msg(strstr(out, "FAILED  pt_diff: exactly the 3 listed changes: got "
                              "0xffffff8400200000+0x200000 attributes; "
                              "0xffffff8400404000+0x4000 attributes; "
                              "0xffffff8400408000+0x1000 made valid; "
                              "0xfffffffffe000000+0x1000 added\n"),
                  "%s", out);
    free(out);
    free(err);
}
END_TEST

/* The same differences from the command line: the two objects linked into
 * one (rasim call loads one file), run with `rasim call`, the tables saved,
 * and `rasim pt diff` of the linear map (TTBR1 at tables+0x1000) against
 * the copy (tables+0x7000, the root the scenario checks is stored),
 * with the identical idmap as TTBR0 of both. */
START_TEST(trans_pgd_copy_diffed_from_saved_tables)
{
    char cmd[4096], *out, *err;
    char obj[512], tables[512];
    snprintf(obj, sizeof(obj), "%s", tu_tmp("trans_pgd_linked.o"));
    snprintf(tables, sizeof(tables), "%s", tu_tmp("trans_pgd_tables.bin"));
    snprintf(cmd, sizeof(cmd),
             "'%s' -r '%s/aarch64/trans_pgd.o' '%s/aarch64/trans_pgd_demo.o' -o '%s'", LD_LLD,
             EXAMPLES_DIR, EXAMPLES_DIR, obj);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    snprintf(cmd, sizeof(cmd),
             "call '%s' --sym rasim_trans_pgd_demo --buf tables=0x10000 "
             "--buf data=0x210000,align=0x200000 --arg tables --arg data --save tables='%s'",
             obj, tables);
    ck_assert_msg(rasim(cmd, &out, &err) == 0, "%s%s", out, err);
    ck_assert_msg(!strncmp(out, "ret=0x", 6) && strncmp(out, "ret=0x0\n", 8), "%s", out);
    free(out);
    free(err);

    snprintf(cmd, sizeof(cmd),
             "pt diff --arch aarch64 --mem '%s@0x400000000' --va-bits 39 --root 0x400000000 "
             "--root1 0x400001000 --root 0x400000000 --root1 0x400007000",
             tables);
    ck_assert_msg(rasim(cmd, &out, &err) == 0, "%s%s", out, err);
    static const char *const want[] = {
        "0xffffff8400200000-0xffffff84003fffff 2M attributes: AP RO_EL1->RW_EL1\n",
        "0xffffff8400404000-0xffffff8400407fff 16K attributes: AP RO_EL1->RW_EL1 +DBM (now "
        "writable)\n",
        "0xffffff8400408000-0xffffff8400408fff 4K made valid: page pa=0x400408000 AttrIndx=0 "
        "AP=RW_EL1 SH=3 AF DBM PXN UXN DIRTY\n",
        "0xfffffffffe000000-0xfffffffffe000fff 4K added: page pa=0x40000b000 AttrIndx=0 "
        "AP=RO_EL1 SH=3 AF UXN DIRTY\n",
    };
    const char *p = out;
    for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
        ck_assert_msg(!strncmp(p, want[i], strlen(want[i])), "line %zu: want %sgot:\n%s", i,
                      want[i], out);
        p += strlen(want[i]);
    }
    ck_assert_msg(*p == '\0', "more than the four changes:\n%s", out);
    free(out);
    free(err);

    /* Before the copy, page 8 is the one non-present entry of the linear
     * map; in the copy the 16 pages are one writable run. */
    snprintf(cmd, sizeof(cmd),
             "pt dump --arch aarch64 --mem '%s@0x400000000' --va-bits 39 --root1 0x400007000",
             tables);
    ck_assert_msg(rasim(cmd, &out, &err) == 0, "%s%s", out, err);
    ck_assert_msg(strstr(out,
                         "0xffffff8400400000-0xffffff840040ffff -> 0x400400000 64K (16 x 4K) "
                         "page pa=0x400400000 AttrIndx=0 AP=RW_EL1 SH=3 AF DBM PXN UXN DIRTY\n"),
                  "%s", out);
    ck_assert_int_eq(tu_count_lines(out), 4);
    free(out);
    free(err);
}
END_TEST

/* Every line of the trans_pgd tables: oops exactly where the scenario's
 * comment says something is read, page by page; not-consumed elsewhere. */
START_TEST(trans_pgd_campaign_oopses_where_descriptors_are_read)
{
    /* oops lines per page of `tables` (the scenario's table) */
    static const int per_page[16] = {2, 32, 1, 1, 64, 64, 64, 2, 1, 0, 2, 1, 1, 1, 0, 0};
    json_t *j = campaign("examples/scenarios/arm64-trans-pgd.yaml", 1024, 236, 788);
    int got[16] = {0};
    json_t *runs = json_object_get(j, "runs");
    for (size_t i = 0; i < json_array_size(runs); i++) {
        json_t *run = json_array_get(runs, i);
        if (strcmp(json_string_value(json_object_get(run, "outcome")), "oops"))
            continue;
        long long off =
            json_integer_value(json_object_get(json_object_get(run, "point"), "offset"));
        const char *why = json_string_value(json_object_get(run, "why"));
        got[off / 4096]++;
        if (off / 4096 == 1) /* the linear map's root: entries 0-255 */
            ck_assert_int_lt(off % 4096, 0x800);
        if (off == 0x7fc0 || off == 0xcf80) /* read by map_page */
            ck_assert_msg(strstr(why, "in rasim_trans_pgd_map_page+"), "%s", why);
        if (off == 0xb000) /* the exit code, fetched */
            ck_assert_msg(strstr(why, "instruction fetch, synchronous external abort)"), "%s", why);
        if (off == 0xd000) /* the exit code's PTE, walked to fetch it */
            ck_assert_msg(strstr(why, "instruction fetch, synchronous external abort on walk, "
                                      "level 3"),
                          "%s", why);
    }
    for (int p = 0; p < 16; p++)
        ck_assert_msg(got[p] == per_page[p], "page %d of tables: %d oops, expected %d", p, got[p],
                      per_page[p]);
    json_decref(j);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pt_examples");
    TCase *tc = tcase_create("contpte");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, contpte_ptep_get_gathers_and_lockless_retries);
    tcase_add_test(tc, contpte_fold_refuses_what_cannot_be_folded);
    tcase_add_test(tc, contpte_fold_is_break_before_make);
    tcase_add_test(tc, contpte_scenario_folds_and_unfolds_cleanly);
    tcase_add_test(tc, contpte_fold_without_tlbi_is_caught);
    tcase_add_test(tc, contpte_campaign_oopses_where_descriptors_are_read);
    suite_add_tcase(s, tc);
    tc = tcase_create("trans_pgd");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, trans_pgd_scenario_shows_exactly_the_intended_changes);
    tcase_add_test(tc, trans_pgd_copy_diffed_from_saved_tables);
    tcase_add_test(tc, trans_pgd_campaign_oopses_where_descriptors_are_read);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
