/*
 * bench.c - rasim-bench: the same workloads on rasim, qemu-user and
 * Unicorn, in one run, interleaved; MIPS per engine and workload, rasim /
 * peer ratios, campaign speed. `make bench` runs it; README.md says what
 * is measured and how.
 *
 *   rasim-bench [--quick] [--runs N] [--seconds S] [--arch A] [--engine E]
 *               [--workload W] [--no-campaign] [--out DIR]
 *
 * BENCH_QUICK=1 in the environment is --quick: small sizes, 3 runs, a
 * smoke test of the whole pipeline in well under a minute.
 *
 * Every run is checked: the result (page hash, return value) against the
 * host's own computation, and, for engines that count (rasim, Unicorn with
 * a code hook, qemu with the counting plugin), the dynamic instruction
 * count against the one the loop structure gives. A mismatch fails the
 * benchmark (exit status 1) after the report.
 */
#include "bench.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#ifndef BENCH_GUEST_DIR
#define BENCH_GUEST_DIR "build/tests/bench"
#endif
#ifndef BENCH_PLUGIN
#define BENCH_PLUGIN BENCH_GUEST_DIR "/libbench_qemu_poison.so"
#endif
#ifndef BENCH_OUT
#define BENCH_OUT "build/bench"
#endif
#ifndef BENCH_QEMU_AARCH64
#define BENCH_QEMU_AARCH64 "qemu-aarch64"
#endif
#ifndef BENCH_QEMU_RISCV64
#define BENCH_QEMU_RISCV64 "qemu-riscv64"
#endif
#ifndef BENCH_SCENARIOS
#define BENCH_SCENARIOS "examples/scenarios"
#endif
#ifndef BENCH_EXAMPLES
#define BENCH_EXAMPLES "build/examples"
#endif

struct engine engines[] = {
    {"rasim-mmu", "rasim, MMU on (4K pages) + poison", true, rasim_available, rasim_bench_run, NULL,
     RASIM_MMU},
    {"rasim", "rasim, MMU off + poison", true, rasim_available, rasim_bench_run, NULL, RASIM_FLAT},
    {"rasim-nopoison", "rasim, MMU off, no poison", true, rasim_available, rasim_bench_run, NULL,
     RASIM_FLAT_NOPOISON},
    {"rasim-poison1m", "rasim, MMU off + 1M poisoned lines", true, rasim_available, rasim_bench_run,
     NULL, RASIM_FLAT_POISON1M},
    {"rasim-trace", "rasim, MMU on + trace to /dev/null", true, rasim_available, rasim_bench_run,
     NULL, RASIM_MMU_TRACE},
    {"rasim-trace-window", "rasim, MMU on + trace of insns 1-1000", true, rasim_available,
     rasim_bench_run, NULL, RASIM_MMU_TRACE_WINDOW},
    {"rasim-hook", "rasim, MMU on + event sink per insn", true, rasim_available, rasim_bench_run,
     NULL, RASIM_MMU_HOOK},
    {"rasim-notrace", "rasim, MMU on, built without tracing", true, notrace_available,
     notrace_bench_run, NULL, RASIM_MMU},
    {"qemu", "qemu-user", false, qemu_available, qemu_bench_run, NULL, QEMU_PLAIN},
    {"qemu-poison", "qemu-user + poison plugin", false, qemu_available, qemu_bench_run, NULL,
     QEMU_POISON},
    {"qemu-insn", "qemu-user + per-insn plugin (trace)", false, qemu_available, qemu_bench_run,
     NULL, QEMU_INSN},
    {"unicorn", "Unicorn", false, unicorn_available, unicorn_bench_run, NULL, UC_PLAIN},
    {"unicorn-mem", "Unicorn + mem hook (poison)", false, unicorn_available, unicorn_bench_run,
     NULL, UC_MEMHOOK},
    {"unicorn-code", "Unicorn + code hook (trace)", false, unicorn_available, unicorn_bench_run,
     NULL, UC_CODEHOOK},
};
const size_t nengines = sizeof(engines) / sizeof(engines[0]);

double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool bench_cpu_clock;

double run_clock(void)
{
    if (!bench_cpu_clock)
        return now_seconds();
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double median(double *v, unsigned n)
{
    double s[MAX_RUNS];
    memcpy(s, v, n * sizeof(*s));
    qsort(s, n, sizeof(*s), cmp_double);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static double loadavg(void)
{
    double l = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &l) != 1)
            l = -1;
        fclose(f);
    }
    return l;
}

static struct results R;
static struct guest guests[NARCHES];

static uint64_t full_size(enum bench_workload w)
{
    static const uint64_t full[NWORKLOADS] = {BENCH_PAGE_COPY_N, BENCH_INT_LOOP_N, BENCH_PTWALK_N};
    uint64_t n = R.quick ? full[w] / 100 : full[w];
    return n ? n : 1;
}

static void fail_cell(enum bench_arch a, size_t e, enum bench_workload w, const char *what,
                      const char *err)
{
    struct cell *c = &R.cell[a][e][w];
    if (!c->failed) {
        c->failed = true;
        snprintf(c->err, sizeof(c->err), "%s: %s", what, err);
        R.nfailures++;
    }
    fprintf(stderr, "\nFAIL [%s] %s %s: %s: %s\n", arch_name[a], engines[e].name, workload_name[w],
            what, err);
}

/* One run, checked. */
static int run_checked(enum bench_arch a, size_t e, enum bench_workload w, uint64_t n,
                       struct run_result *r)
{
    char err[512] = "";
    const struct engine *eng = &engines[e];
    if (eng->run(eng, &guests[a], w, n, r, err, sizeof(err)) < 0) {
        fail_cell(a, e, w, "run", err);
        return -1;
    }
    uint64_t want = expected_result(w, n);
    if (r->result != want) {
        snprintf(err, sizeof(err), "n=%llu: result 0x%llx, expected 0x%llx", (unsigned long long)n,
                 (unsigned long long)r->result, (unsigned long long)want);
        fail_cell(a, e, w, "wrong result", err);
        return -1;
    }
    uint64_t insns;
    if (r->counted && expected_insns((enum bench_arch)a, w, n, &insns) && r->insns != insns) {
        snprintf(err, sizeof(err),
                 "n=%llu: executed %llu instructions, the loop structure gives %llu",
                 (unsigned long long)n, (unsigned long long)r->insns, (unsigned long long)insns);
        fail_cell(a, e, w, "wrong instruction count", err);
        return -1;
    }
    return 0;
}

/* ptwalk is compiled C: its count per round comes from a counting engine
 * (two sizes), then must hold for every other size and engine. */
static void fit_ptwalk(enum bench_arch a)
{
    static const char *const order[] = {"rasim", "rasim-nopoison", "rasim-mmu", "unicorn-code"};
    for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
        for (size_t e = 0; e < nengines; e++) {
            if (strcmp(engines[e].name, order[k]) || !R.engine_ok[a][e])
                continue;
            struct run_result r1, r2;
            char err[512];
            if (engines[e].run(&engines[e], &guests[a], W_PTWALK, 1, &r1, err, sizeof(err)) < 0 ||
                engines[e].run(&engines[e], &guests[a], W_PTWALK, 2, &r2, err, sizeof(err)) < 0) {
                fail_cell(a, e, W_PTWALK, "counting", err);
                return;
            }
            ptwalk_fit(a, r1.insns, r2.insns, engines[e].name);
            snprintf(R.count_check[a][W_PTWALK], sizeof(R.count_check[a][W_PTWALK]),
                     "%llu + %llu per round (from %s at n=1,2); checked on every counted run",
                     (unsigned long long)r1.insns, (unsigned long long)(r2.insns - r1.insns),
                     engines[e].name);
            return;
        }
    /* No counting engine in-process: qemu's counting plugin. */
    uint64_t c1, c2;
    char err[512];
    if (qemu_count(&guests[a], W_PTWALK, 1, &c1, err, sizeof(err)) == 0 &&
        qemu_count(&guests[a], W_PTWALK, 2, &c2, err, sizeof(err)) == 0) {
        ptwalk_fit(a, c1, c2, "qemu count plugin");
        snprintf(R.count_check[a][W_PTWALK], sizeof(R.count_check[a][W_PTWALK]),
                 "%llu + %llu per round (qemu counting plugin at n=1,2)", (unsigned long long)c1,
                 (unsigned long long)(c2 - c1));
    }
}

/* qemu runs the same code: its counting plugin must agree as well. */
static void check_qemu_counts(enum bench_arch a)
{
    static const uint64_t small[NWORKLOADS] = {3, 1000, 3};
    for (int w = 0; w < NWORKLOADS; w++) {
        if (!R.workload_on[w])
            continue;
        uint64_t got, want;
        char err[512];
        char *text = R.count_check[a][w];
        size_t len = sizeof(R.count_check[a][w]);
        size_t used = strlen(text);
        if (!expected_insns(a, (enum bench_workload)w, small[w], &want))
            continue;
        if (qemu_count(&guests[a], (enum bench_workload)w, small[w], &got, err, sizeof(err)) < 0) {
            snprintf(text + used, len - used, "%sqemu counting plugin: %s", used ? "; " : "", err);
            continue;
        }
        if (got != want) {
            for (size_t e = 0; e < nengines; e++)
                if (!strcmp(engines[e].name, "qemu")) {
                    snprintf(err, sizeof(err),
                             "qemu executed %llu instructions at n=%llu, the "
                             "loop structure gives %llu",
                             (unsigned long long)got, (unsigned long long)small[w],
                             (unsigned long long)want);
                    fail_cell(a, e, (enum bench_workload)w, "wrong instruction count", err);
                }
            continue;
        }
        snprintf(text + used, len - used, "%sqemu counting plugin agrees at n=%llu (%llu)",
                 used ? "; " : "", (unsigned long long)small[w], (unsigned long long)got);
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: rasim-bench [--quick] [--runs N] [--seconds S] [--arch aarch64|rv64]\n"
                    "                   [--engine NAME] [--workload page_copy|int_loop|ptwalk_c]\n"
                    "                   [--no-campaign] [--no-memory] [--cpu-time] [--out DIR]\n"
                    "engines:");
    for (size_t e = 0; e < nengines; e++)
        fprintf(stderr, " %s", engines[e].name);
    fprintf(stderr, "\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *out = BENCH_OUT, *guest_dir = BENCH_GUEST_DIR;
    bool arch_filter = false, engine_filter = false, workload_filter = false;
    const char *q = getenv("BENCH_QUICK");
    R.quick = q && *q && strcmp(q, "0");
    R.runs = 0;
    R.cap = 0;
    R.campaigns_on = true;
    R.memory_on = true;
    if (argc == 4 && !strcmp(argv[1], "--rss-child")) /* memory.c */
        return memory_child(strcmp(argv[2], arch_name[ARCH_RV64]) ? ARCH_AARCH64 : ARCH_RV64,
                            argv[3]);
    if (argc > 1 && !strcmp(argv[1], "--engine-child")) /* notrace.c */
        return engine_child(argc, argv);
    const char *clk = getenv("BENCH_CLOCK");
    bench_cpu_clock = clk && !strcmp(clk, "cpu");
    const char *s = getenv("BENCH_SECONDS");
    if (s && *s)
        R.cap = atof(s);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--quick")) {
            R.quick = true;
        } else if (!strcmp(a, "--no-campaign")) {
            R.campaigns_on = false;
        } else if (!strcmp(a, "--no-memory")) {
            R.memory_on = false;
        } else if (!strcmp(a, "--cpu-time")) {
            bench_cpu_clock = true;
        } else if (v && !strcmp(a, "--runs")) {
            R.runs = (unsigned)atoi(v), i++;
        } else if (v && !strcmp(a, "--seconds")) {
            R.cap = atof(v), i++;
        } else if (v && !strcmp(a, "--out")) {
            out = v, i++;
        } else if (v && !strcmp(a, "--guest-dir")) {
            guest_dir = v, i++;
        } else if (v && !strcmp(a, "--arch")) {
            arch_filter = true;
            bool known = false;
            for (int k = 0; k < NARCHES; k++)
                if (!strcmp(v, arch_name[k]) || (k == ARCH_AARCH64 && !strcmp(v, "arm64")) ||
                    (k == ARCH_RV64 && !strcmp(v, "riscv64")))
                    R.arch_on[k] = known = true;
            if (!known)
                usage();
            i++;
        } else if (v && !strcmp(a, "--engine")) {
            engine_filter = true;
            bool known = false;
            for (size_t k = 0; k < nengines; k++)
                if (!strcmp(v, engines[k].name))
                    R.engine_on[k] = known = true;
            if (!known)
                usage();
            i++;
        } else if (v && !strcmp(a, "--workload")) {
            workload_filter = true;
            bool known = false;
            for (int k = 0; k < NWORKLOADS; k++)
                if (!strcmp(v, workload_name[k]) || !strcmp(v, workload_arg[k]))
                    R.workload_on[k] = known = true;
            if (!known)
                usage();
            i++;
        } else {
            usage();
        }
    }
    if (!R.runs)
        R.runs = R.quick ? 3 : 5;
    if (R.runs > MAX_RUNS)
        R.runs = MAX_RUNS;
    if (R.cap <= 0)
        R.cap = R.quick ? 0.1 : 1.0;
    for (int k = 0; k < NARCHES; k++)
        if (!arch_filter)
            R.arch_on[k] = true;
    for (size_t k = 0; k < nengines; k++)
        if (!engine_filter)
            R.engine_on[k] = true;
    for (int k = 0; k < NWORKLOADS; k++)
        if (!workload_filter)
            R.workload_on[k] = true;
    if (engine_filter || workload_filter)
        R.campaigns_on = R.memory_on = false;

    R.cpu_clock = bench_cpu_clock;
    mkdir(out, 0777);
    scratch_dir = out;
    qemu_plugin_path = BENCH_PLUGIN;
    qemu_binary[ARCH_AARCH64] = BENCH_QEMU_AARCH64;
    qemu_binary[ARCH_RV64] = BENCH_QEMU_RISCV64;
    R.load_before = loadavg();
    double start = now_seconds();

    /* Which engine can run which architecture here. */
    for (int a = 0; a < NARCHES; a++) {
        if (!R.arch_on[a])
            continue;
        char path[600], err[600];
        snprintf(path, sizeof(path), "%s/bench-%s.elf", guest_dir, arch_name[a]);
        if (guest_read(&guests[a], (enum bench_arch)a, path, err, sizeof(err)) < 0) {
            fprintf(stderr, "rasim-bench: %s\n", err);
            return 2;
        }
        for (size_t e = 0; e < nengines; e++) {
            if (!R.engine_on[e])
                continue;
            if (engines[e].static_na) {
                snprintf(R.engine_why[a][e], sizeof(R.engine_why[a][e]), "%s",
                         engines[e].static_na);
                continue;
            }
            R.engine_ok[a][e] = engines[e].available(&engines[e], &guests[a], R.engine_why[a][e],
                                                     sizeof(R.engine_why[a][e]));
        }
        if (R.workload_on[W_PTWALK])
            fit_ptwalk((enum bench_arch)a);
        for (int w = 0; w < NWORKLOADS; w++) {
            if (w == W_PTWALK)
                continue;
            snprintf(R.count_check[a][w], sizeof(R.count_check[a][w]),
                     "%s; checked on every counted run",
                     w == W_PAGE_COPY ? "entry + exit + n * (page head + 64 lines + page tail)"
                                      : "replayed branch counts x per-path lengths");
        }
        for (size_t e = 0; e < nengines; e++)
            if (R.engine_ok[a][e] && !strcmp(engines[e].name, "qemu")) {
                check_qemu_counts((enum bench_arch)a);
                break;
            }
    }

    /* Size each run: full size, or what fits in R.cap seconds. */
    fprintf(stderr, "rasim-bench: sizing");
    for (int a = 0; a < NARCHES; a++)
        for (size_t e = 0; e < nengines; e++)
            for (int w = 0; w < NWORKLOADS; w++) {
                if (!R.arch_on[a] || !R.engine_ok[a][e] || !R.workload_on[w])
                    continue;
                struct cell *c = &R.cell[a][e][w];
                uint64_t full = full_size((enum bench_workload)w);
                uint64_t ncal = full / (R.quick ? 8 : 32);
                if (!ncal)
                    ncal = 1;
                struct run_result r;
                if (!expected_insns((enum bench_arch)a, (enum bench_workload)w, 1, &c->insns)) {
                    fail_cell((enum bench_arch)a, e, (enum bench_workload)w, "counting",
                              "no engine could count ptwalk's instructions");
                    continue;
                }
                if (run_checked((enum bench_arch)a, e, (enum bench_workload)w, ncal, &r) < 0)
                    continue;
                double t = r.seconds > 1e-6 ? r.seconds : 1e-6;
                c->n = full;
                if (t * (double)full / (double)ncal > R.cap) {
                    c->n = (uint64_t)((double)ncal * R.cap / t);
                    if (c->n < ncal)
                        c->n = ncal;
                }
                expected_insns((enum bench_arch)a, (enum bench_workload)w, c->n, &c->insns);
                fputc('.', stderr);
            }

    /* The measurement: rounds, every engine once per round and workload. */
    for (unsigned round = 0; round < R.runs; round++) {
        fprintf(stderr, "\nrasim-bench: round %u/%u", round + 1, R.runs);
        for (int a = 0; a < NARCHES; a++)
            for (int w = 0; w < NWORKLOADS; w++)
                for (size_t e = 0; e < nengines; e++) {
                    struct cell *c = &R.cell[a][e][w];
                    if (!R.arch_on[a] || !R.engine_ok[a][e] || !R.workload_on[w] || c->failed ||
                        !c->n)
                        continue;
                    struct run_result r;
                    if (run_checked((enum bench_arch)a, e, (enum bench_workload)w, c->n, &r) < 0)
                        continue;
                    c->secs[c->nsecs++] = r.seconds;
                    c->accesses = r.accesses;
                    fputc('.', stderr);
                }
    }
    for (int a = 0; a < NARCHES; a++)
        for (size_t e = 0; e < nengines; e++)
            for (int w = 0; w < NWORKLOADS; w++) {
                struct cell *c = &R.cell[a][e][w];
                if (c->failed || !c->nsecs)
                    continue;
                c->measured = true;
                c->median_s = median(c->secs, c->nsecs);
                c->mips = (double)c->insns / c->median_s / 1e6;
            }

    /* Campaigns, rasim and Unicorn alternating. */
    if (R.campaigns_on) {
        fprintf(stderr, "\nrasim-bench: campaigns");
        struct campaign_paths p = {
            .scenario = {BENCH_SCENARIOS "/arm64-copy-mc-page.yaml",
                         BENCH_SCENARIOS "/rv64-memcpy-mc.yaml"},
            .search = {BENCH_EXAMPLES, BENCH_EXAMPLES},
            .linked = {BENCH_GUEST_DIR "/arm64-copy-mc-page.elf",
                       BENCH_GUEST_DIR "/rv64-memcpy-mc.elf"},
            .entry = {"rasim_copy_mc_page", "rasim_memcpy_mc"},
        };
        for (int a = 0; a < NARCHES; a++) {
            if (!R.arch_on[a])
                continue;
            campaign_rasim((enum bench_arch)a, &p, R.runs, &R.camp[a][0]);
            campaign_unicorn((enum bench_arch)a, &p, R.runs, &R.camp[a][1]);
            for (int k = 0; k < 2; k++) {
                struct campaign_result *c = &R.camp[a][k];
                if (c->available && c->accepted != c->runs) {
                    fprintf(stderr, "\nFAIL [%s] %s campaign: %zu of %zu runs accepted\n",
                            arch_name[a], k ? "unicorn" : "rasim", c->accepted, c->runs);
                    R.nfailures++;
                }
            }
        }
    }
    /* Memory, in a process of its own, on machines that can run. */
    if (R.memory_on) {
        fprintf(stderr, "\nrasim-bench: memory");
        for (int a = 0; a < NARCHES; a++) {
            bool runs = false;
            for (size_t e = 0; e < nengines; e++)
                runs |= !strcmp(engines[e].name, "rasim") && R.engine_ok[a][e];
            if (!R.arch_on[a])
                continue;
            if (runs)
                memory_measure((enum bench_arch)a, guests[a].path, &R.mem[a]);
            else
                snprintf(R.mem[a].why, sizeof(R.mem[a].why), "rasim cannot run %s here",
                         arch_name[a]);
        }
    }
    fprintf(stderr, "\nrasim-bench: rasim retired %llu guest instructions in all\n",
            (unsigned long long)rasim_insns_total);
    R.wall = now_seconds() - start;
    R.load_after = loadavg();

    for (int a = 0; a < NARCHES; a++) {
        R.ref[a] = -1;
        for (size_t e = 0; e < nengines && R.ref[a] < 0; e++)
            if (!strcmp(engines[e].name, "rasim-mmu") && R.engine_ok[a][e])
                R.ref[a] = (int)e;
        for (size_t e = 0; e < nengines && R.ref[a] < 0; e++)
            if (!strcmp(engines[e].name, "rasim") && R.engine_ok[a][e])
                R.ref[a] = (int)e;
    }
    report_table(&R, stdout);
    char path[600];
    snprintf(path, sizeof(path), "%s/bench.json", out);
    if (report_json(&R, path) == 0)
        printf("JSON: %s\n", path);
    snprintf(path, sizeof(path), "%s/ratios.svg", out);
    if (report_svg(&R, path) == 0)
        printf("chart: %s\n", path);
    for (int a = 0; a < NARCHES; a++)
        guest_free(&guests[a]);
    if (R.nfailures) {
        printf("%u FAILURES (see above): the benchmark is not valid\n", R.nfailures);
        return 1;
    }
    return 0;
}
