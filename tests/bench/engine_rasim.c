/*
 * engine_rasim.c - the workloads on rasim, through the public API only
 * (rasim.h), as a user would run them: a fresh machine per run, the
 * benchmark ELF loaded by rasim's loader, a stack region, the call set up
 * with the return sentinel at bench_halt. Only rasim_run() is timed.
 *
 * Variants (engine->variant):
 *   RASIM_FLAT           translation off, a poison map holding one line of
 *                        bench_poison_page (no workload touches that page)
 *   RASIM_FLAT_NOPOISON  translation off, no poison at all
 *   RASIM_FLAT_POISON1M  translation off, a poison map holding a million
 *                        lines (all of a 64 MiB RAM region no workload
 *                        touches): against RASIM_FLAT_NOPOISON, what a big
 *                        map costs the pages that hold no poison
 *   RASIM_MMU            stage-1 translation on with 4 KiB pages (Sv39 /
 *                        VMSAv8-64 4K granule, 39-bit VAs), plus the poison
 *                        map. Everything is mapped at VA = PA + MMU_ALIAS,
 *                        where there is no memory at all, so a run that
 *                        returns proves translation happened. The tables
 *                        are checked with rasim's own walker (rasim_pt_walk)
 *                        before the interpreter is asked to use them.
 *   RASIM_MMU_TRACE      RASIM_MMU, every instruction and access written
 *                        by a trace writer (text) to /dev/null: the
 *                        traced path, beside Unicorn's code hook
 *   RASIM_MMU_TRACE_WINDOW  RASIM_MMU_TRACE keeping the first 1000
 *                        instructions only (--trace-window 1-1000): what a
 *                        trace of a small part of a long run costs the rest
 *   RASIM_MMU_HOOK       RASIM_MMU with an event sink (rasim_set_event_sink)
 *                        for instructions that records each PC in a ring:
 *                        what Unicorn's code hook and qemu's per-instruction
 *                        plugin do, through rasim's own way to do it
 *
 * Whether a variant can run here is found by running it (rasim_available):
 * a small int_loop must return with the right value and instruction count.
 * That is how the harness notices the AArch64 interpreter or the MMU
 * landing: nothing needs to change here when they do.
 */
#include "bench.h"

#include <rasim.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MMU_ALIAS     0x2000000000ull   /* 128 GiB: below 2^38, a valid Sv39 / 39-bit VA */
#define POISON1M_BASE 0x40000000ull     /* a million poisoned lines: */
#define POISON1M_SIZE (1000000ull * 64) /* 15625 whole pages */
#define PT_BASE       0x0e000000ull     /* the page tables' RAM */
#define PT_TABLES     16

struct tables {
    uint64_t t[PT_TABLES][512];
    unsigned used;
};

static unsigned idx(uint64_t va, int level)
{
    return (unsigned)(va >> (12 + 9 * level)) & 511;
}

/* Map one 4 KiB page, three levels (Sv39 levels 2..0 / arm64 levels 1..3). */
static int map_page(struct tables *tb, enum bench_arch arch, uint64_t va, uint64_t pa)
{
    unsigned t = 0;
    for (int level = 2; level > 0; level--) {
        uint64_t *e = &tb->t[t][idx(va, level)];
        if (!*e) {
            if (tb->used == PT_TABLES)
                return -1;
            uint64_t next = PT_BASE + (uint64_t)tb->used++ * 4096;
            /* rv64: PPN << 10 | V; arm64: table descriptor, address | 0b11 */
            *e = arch == ARCH_RV64 ? (next >> 12) << 10 | 1 : next | 3;
        }
        uint64_t next = arch == ARCH_RV64 ? (*e >> 10) << 12 : *e & 0x0000fffffffff000ull;
        t = (unsigned)((next - PT_BASE) / 4096);
    }
    if (arch == ARCH_RV64) /* V R W X A D, S-mode (no U) */
        tb->t[t][idx(va, 0)] = (pa >> 12) << 10 | 0x01 | 0x02 | 0x04 | 0x08 | 0x40 | 0x80;
    else /* page descriptor: AF, inner shareable, AttrIndx 0, AP EL1 RW, UXN */
        tb->t[t][idx(va, 0)] = pa | 3 | 1ull << 10 | 3ull << 8 | 1ull << 54;
    return 0;
}

static int map_range(struct tables *tb, enum bench_arch arch, uint64_t pa, uint64_t len)
{
    for (uint64_t p = pa & ~4095ull; p < pa + len; p += 4096)
        if (map_page(tb, arch, p + MMU_ALIAS, p) < 0)
            return -1;
    return 0;
}

static const char *reg_arg(enum bench_arch arch, unsigned i)
{
    static const char *const a64[] = {"x0", "x1", "x2"}, *const rv[] = {"a0", "a1", "a2"};
    return arch == ARCH_AARCH64 ? a64[i] : rv[i];
}

static int fail(rasim_machine *m, char *err, size_t errlen, const char *what)
{
    snprintf(err, errlen, "%s: %s", what, m ? rasim_error(m) : "out of memory");
    return -1;
}

/* Turn translation on over tables mapping the program, its stack and the
 * tables themselves at MMU_ALIAS. */
static int mmu_on(rasim_machine *m, const struct guest *g, char *err, size_t errlen)
{
    static struct tables tb;
    memset(&tb, 0, sizeof(tb));
    tb.used = 1;
    for (unsigned i = 0; i < g->nseg; i++)
        if (map_range(&tb, g->arch, g->seg[i].va, g->seg[i].memsz) < 0)
            goto full;
    if (map_range(&tb, g->arch, STACK_BASE, STACK_SIZE) < 0)
        goto full;
    if (rasim_add_region(m, "pgtables", PT_BASE, PT_TABLES * 4096, RASIM_REGION_RAM) < 0 ||
        rasim_write_phys(m, PT_BASE, tb.t, sizeof(tb.t)) < 0)
        return fail(m, err, errlen, "page tables");

    /* The tables must say what we mean before the interpreter uses them. */
    struct rasim_pt pt = {.root = PT_BASE, .va_bits = 39};
    uint64_t probe[] = {g->entry[W_INT_LOOP], g->dst, g->poison_page, STACK_BASE};
    for (size_t i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
        struct rasim_pt_walk w;
        if (rasim_pt_walk(m, &pt, probe[i] + MMU_ALIAS, RASIM_PT_READ, &w) < 0)
            return fail(m, err, errlen, "rasim_pt_walk");
        if (!w.ok || w.pa != probe[i]) {
            snprintf(err, errlen,
                     "harness bug: the benchmark's page tables do not map 0x%llx to 0x%llx (%s)",
                     (unsigned long long)(probe[i] + MMU_ALIAS), (unsigned long long)probe[i],
                     w.ok ? "wrong PA" : w.fault);
            return -1;
        }
    }
    if (g->arch == ARCH_RV64) {
        if (rasim_set_reg(m, "satp", 8ull << 60 | PT_BASE >> 12) < 0) /* Sv39, ASID 0 */
            return fail(m, err, errlen, "satp");
        return 0;
    }
    uint64_t sctlr = 0;
    uint64_t tcr = 25 | 1u << 8 | 1u << 10 | 3u << 12  /* T0SZ 25, WB WA, inner shareable, TG0 4K */
                   | 25u << 16 | 1u << 23 | 2ull << 30 /* T1SZ 25, EPD1, TG1 4K */
                   | 5ull << 32;                       /* IPS 48 bits */
    if (rasim_set_reg(m, "mair_el1", 0xff) < 0 || rasim_set_reg(m, "tcr_el1", tcr) < 0 ||
        rasim_set_reg(m, "ttbr0_el1", PT_BASE) < 0 || rasim_get_reg(m, "sctlr_el1", &sctlr) < 0 ||
        rasim_set_reg(m, "sctlr_el1", sctlr | 1 | 1u << 2 | 1u << 12) < 0) /* M, C, I */
        return fail(m, err, errlen, "translation registers");
    return 0;
full:
    snprintf(err, errlen, "harness bug: more than %d page tables needed", PT_TABLES);
    return -1;
}

/* A machine ready to call workload w at size n; *off is VA - PA. */
static rasim_machine *setup(const struct engine *e, const struct guest *g, enum bench_workload w,
                            uint64_t n, char *err, size_t errlen)
{
    rasim_machine *m = rasim_new(g->arch == ARCH_AARCH64 ? RASIM_ARCH_AARCH64 : RASIM_ARCH_RV64);
    if (!m) {
        fail(NULL, err, errlen, "rasim_new");
        return NULL;
    }
    uint64_t page[BENCH_PAGE / 8];
    src_page(page);
    if (rasim_load(m, g->path, NULL) < 0 ||
        rasim_add_region(m, "stack", STACK_BASE, STACK_SIZE, RASIM_REGION_RAM) < 0 ||
        rasim_write_phys(m, g->src, page, sizeof(page)) < 0) {
        fail(m, err, errlen, "setup");
        goto out;
    }
    if (e->variant == RASIM_FLAT_POISON1M) {
        struct rasim_poison p = {.pa = POISON1M_BASE,
                                 .len = POISON1M_SIZE,
                                 .granule = 64,
                                 .kind = RASIM_POISON_PERSISTENT};
        if (rasim_add_region(m, "poisoned", POISON1M_BASE, POISON1M_SIZE, RASIM_REGION_RAM) < 0 ||
            rasim_poison(m, &p) < 0) {
            fail(m, err, errlen, "poison");
            goto out;
        }
    } else if (e->variant != RASIM_FLAT_NOPOISON) {
        struct rasim_poison p = {.pa = g->poison_page + POISON_OFFSET,
                                 .len = 1,
                                 .granule = 64,
                                 .kind = RASIM_POISON_PERSISTENT};
        if (rasim_poison(m, &p) < 0) {
            fail(m, err, errlen, "poison");
            goto out;
        }
    }
    uint64_t off = 0;
    if (e->variant == RASIM_MMU || e->variant == RASIM_MMU_TRACE ||
        e->variant == RASIM_MMU_TRACE_WINDOW || e->variant == RASIM_MMU_HOOK) {
        if (mmu_on(m, g, err, errlen) < 0)
            goto out;
        off = MMU_ALIAS;
    }
    struct call c;
    workload_call(g, w, n, &c);
    bool a64 = g->arch == ARCH_AARCH64;
    for (unsigned i = 0; i < c.nargs; i++) {
        bool pointer = c.args[i] >= g->data_lo && c.args[i] < g->data_hi;
        if (rasim_set_reg(m, reg_arg(g->arch, i), c.args[i] + (pointer ? off : 0)) < 0) {
            fail(m, err, errlen, "arguments");
            goto out;
        }
    }
    rasim_set_return_sentinel(m, g->halt + off);
    if (rasim_set_reg(m, a64 ? "x30" : "ra", g->halt + off) < 0 ||
        rasim_set_reg(m, "sp", STACK_BASE + STACK_SIZE + off) < 0 ||
        rasim_set_reg(m, "pc", c.entry + off) < 0) {
        fail(m, err, errlen, "registers");
        goto out;
    }
    return m;
out:
    rasim_free(m);
    return NULL;
}

uint64_t rasim_insns_total;

/* RASIM_MMU_HOOK's sink: each PC into a ring, as the peers' hooks do. */
struct pc_ring {
    uint64_t pc[4096];
    uint64_t n;
};

static void record_pc(void *ctx, const struct rasim_event *ev)
{
    struct pc_ring *ring = ctx;
    ring->pc[ring->n++ % 4096] = ev->pc;
}

int rasim_bench_run(const struct engine *e, const struct guest *g, enum bench_workload w,
                    uint64_t n, struct run_result *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof(*r));
    rasim_machine *m = setup(e, g, w, n, err, errlen);
    if (!m)
        return -1;
    uint64_t budget;
    if (expected_insns(g->arch, w, n, &budget))
        budget += 1000; /* a run that loses its way still ends */
    else
        budget = 1ull << 40;
    struct rasim_stop stop;
    const struct rasim_trace_filter first_1000 = {.window = true, .from = 1, .to = 1000};
    bool traced = e->variant == RASIM_MMU_TRACE || e->variant == RASIM_MMU_TRACE_WINDOW;
    if (traced &&
        rasim_trace_start(m, "text:/dev/null",
                          e->variant == RASIM_MMU_TRACE_WINDOW ? &first_1000 : NULL) < 0) {
        fail(m, err, errlen, "trace");
        rasim_free(m);
        return -1;
    }
    static struct pc_ring ring;
    ring.n = 0;
    if (e->variant == RASIM_MMU_HOOK &&
        rasim_set_event_sink(m, RASIM_EV_BIT(RASIM_EV_INSN), record_pc, &ring) < 0) {
        fail(m, err, errlen, "event sink");
        rasim_free(m);
        return -1;
    }
    double t0 = run_clock();
    rasim_run(m, budget, &stop);
    r->seconds = run_clock() - t0;
    if (traced)
        rasim_trace_stop(m);
    rasim_insns_total += stop.insns;
    int rc = -1;
    if (e->variant == RASIM_MMU_HOOK && ring.n != stop.insns) {
        snprintf(err, errlen, "the event sink saw %llu instructions of %llu",
                 (unsigned long long)ring.n, (unsigned long long)stop.insns);
        goto out;
    }
    if (stop.reason != RASIM_STOP_RETURNED) {
        char what[640];
        rasim_stop_describe(m, &stop, what, sizeof(what));
        snprintf(err, errlen, "%s", what);
        goto out;
    }
    r->counted = true;
    r->insns = stop.insns;
    if (w == W_PAGE_COPY) {
        uint64_t page[BENCH_PAGE / 8];
        if (rasim_read_phys(m, g->dst, page, sizeof(page)) < 0) {
            fail(m, err, errlen, "reading dst");
            goto out;
        }
        r->result = bench_page_hash(page);
    } else if (rasim_get_reg(m, reg_arg(g->arch, 0), &r->result) < 0) {
        fail(m, err, errlen, "result");
        goto out;
    }
    if (e->variant != RASIM_FLAT_NOPOISON && rasim_error_log_count(m) != 0) {
        snprintf(err, errlen, "the workload consumed poison it never touches");
        goto out;
    }
    rc = 0;
out:
    rasim_free(m);
    return rc;
}

bool rasim_available(const struct engine *e, const struct guest *g, char *why, size_t len)
{
    /* A short int_loop: it must return, with the right value and count. */
    const uint64_t n = 64;
    struct run_result r;
    char err[512] = "";
    uint64_t want;
    expected_insns(g->arch, W_INT_LOOP, n, &want);
    if (rasim_bench_run(e, g, W_INT_LOOP, n, &r, err, sizeof(err)) == 0) {
        if (r.result == expected_result(W_INT_LOOP, n) && r.insns == want)
            return true;
        snprintf(err, sizeof(err), "int_loop(%llu) returned 0x%llx after %llu instructions",
                 (unsigned long long)n, (unsigned long long)r.result, (unsigned long long)r.insns);
    }
    if (e->variant == RASIM_MMU_TRACE || e->variant == RASIM_MMU_TRACE_WINDOW ||
        e->variant == RASIM_MMU_HOOK) {
        /* Only the trace's fault when the same call works untraced (a
         * build without tracing says so here). */
        struct engine mmu = *e;
        mmu.variant = RASIM_MMU;
        if (rasim_available(&mmu, g, why, len))
            snprintf(why, len, "%s", err);
        return false;
    }
    if (e->variant == RASIM_MMU) {
        /* Only the MMU's fault when the same call works untranslated. */
        struct engine flat = *e;
        flat.variant = RASIM_FLAT;
        char err2[512];
        if (rasim_bench_run(&flat, g, W_INT_LOOP, n, &r, err2, sizeof(err2)) == 0)
            snprintf(why, len, "MMU not wired yet: %s", err);
        else
            snprintf(why, len, "%s interpreter cannot run the workloads yet: %s",
                     arch_name[g->arch], err2);
        return false;
    }
    snprintf(why, len, "%s interpreter cannot run the workloads yet: %s", arch_name[g->arch], err);
    return false;
}
