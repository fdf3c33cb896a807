/*
 * notrace.c - rasim-notrace: rasim-mmu's setup run by a rasim built with
 * RASIM_TRACING=OFF, to measure what tracing compiled in but off costs
 * (the goal: rasim-mmu within 2% of it).
 *
 * That rasim is another build (make bench configures it in
 * build/bench-notrace and builds only its rasim-bench), so each run is a
 * process of its own, like memory.c's: the other build's rasim-bench with
 *
 *   --engine-child ENGINE ARCH ELF WORKLOAD N [--cpu-time]
 *
 * runs one rasim engine of its own on one workload, timed as in this
 * process (rasim_run only), and prints "run SECONDS INSNS RESULT TRACING"
 * (TRACING: whether that build has tracing, RASIM_TRACE_ON) or "error WHY".
 * The harness checks result and count as for every other run.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef BENCH_NOTRACE
#define BENCH_NOTRACE "build/bench-notrace/tests/bench/rasim-bench"
#endif

const char *notrace_binary = BENCH_NOTRACE;

int engine_child(int argc, char **argv)
{
    if (argc < 7 || argc > 8 || (argc == 8 && strcmp(argv[7], "--cpu-time"))) {
        printf("error usage: --engine-child ENGINE ARCH ELF WORKLOAD N [--cpu-time]\n");
        return 2;
    }
    bench_cpu_clock = argc == 8;
    const struct engine *e = NULL;
    for (size_t k = 0; k < nengines; k++)
        if (!strcmp(argv[2], engines[k].name) && engines[k].run == rasim_bench_run)
            e = &engines[k];
    int arch = -1, w = -1;
    for (int k = 0; k < NARCHES; k++)
        if (!strcmp(argv[3], arch_name[k]))
            arch = k;
    for (int k = 0; k < NWORKLOADS; k++)
        if (!strcmp(argv[5], workload_name[k]))
            w = k;
    if (!e || arch < 0 || w < 0) {
        printf("error unknown rasim engine, architecture or workload: %s %s %s\n", argv[2], argv[3],
               argv[5]);
        return 2;
    }
    struct guest g;
    struct run_result r;
    char err[600];
    if (guest_read(&g, (enum bench_arch)arch, argv[4], err, sizeof(err)) < 0 ||
        e->run(e, &g, (enum bench_workload)w, strtoull(argv[6], NULL, 0), &r, err, sizeof(err)) <
            0) {
        printf("error %s\n", err);
        return 1;
    }
    guest_free(&g);
    printf("run %.9f %llu %llu %d\n", r.seconds, (unsigned long long)r.insns,
           (unsigned long long)r.result, RASIM_TRACE_ON);
    return 0;
}

/* One run in the child; *tracing: whether its build has tracing. */
static int child_run(const struct guest *g, enum bench_workload w, uint64_t n, struct run_result *r,
                     int *tracing, char *err, size_t errlen)
{
    memset(r, 0, sizeof(*r));
    char cmd[1600], line[700];
    snprintf(cmd, sizeof(cmd), "'%s' --engine-child rasim-mmu %s '%s' %s %llu%s 2>&1",
             notrace_binary, arch_name[g->arch], g->path, workload_name[w], (unsigned long long)n,
             bench_cpu_clock ? " --cpu-time" : "");
    FILE *p = popen(cmd, "r");
    if (!p) {
        snprintf(err, errlen, "cannot start %s", notrace_binary);
        return -1;
    }
    bool got = fgets(line, sizeof(line), p) != NULL;
    pclose(p);
    if (!got) {
        snprintf(err, errlen, "%s said nothing", notrace_binary);
        return -1;
    }
    line[strcspn(line, "\n")] = 0;
    unsigned long long insns, result;
    if (sscanf(line, "run %lf %llu %llu %d", &r->seconds, &insns, &result, tracing) != 4) {
        snprintf(err, errlen, "%s", strncmp(line, "error ", 6) ? line : line + 6);
        return -1;
    }
    r->counted = true;
    r->insns = insns;
    r->result = result;
    return 0;
}

int notrace_bench_run(const struct engine *e, const struct guest *g, enum bench_workload w,
                      uint64_t n, struct run_result *r, char *err, size_t errlen)
{
    int tracing;
    return child_run(g, w, n, r, &tracing, err, errlen);
}

bool notrace_available(const struct engine *e, const struct guest *g, char *why, size_t len)
{
    if (access(notrace_binary, X_OK) != 0) {
        snprintf(why, len,
                 "no build without tracing: %s is missing (make bench builds it, "
                 "configured with -DRASIM_TRACING=OFF)",
                 notrace_binary);
        return false;
    }
    /* rasim-mmu's own check, in the child, which must have no tracing. */
    const uint64_t n = 64;
    struct run_result r;
    int tracing = 1;
    char err[600];
    uint64_t want;
    expected_insns(g->arch, W_INT_LOOP, n, &want);
    if (child_run(g, W_INT_LOOP, n, &r, &tracing, err, sizeof(err)) < 0) {
        snprintf(why, len, "%s: %s", notrace_binary, err);
        return false;
    }
    if (tracing) {
        snprintf(why, len, "%s has tracing compiled in (not a RASIM_TRACING=OFF build)",
                 notrace_binary);
        return false;
    }
    if (r.result != expected_result(W_INT_LOOP, n) || r.insns != want) {
        snprintf(why, len, "%s: int_loop(%llu) returned 0x%llx after %llu instructions",
                 notrace_binary, (unsigned long long)n, (unsigned long long)r.result,
                 (unsigned long long)r.insns);
        return false;
    }
    return true;
}
