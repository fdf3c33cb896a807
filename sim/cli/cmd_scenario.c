/*
 * cmd_scenario.c - `rasim run` (one run of a scenario, its expectations
 * checked) and `rasim campaign` (the scenario swept over its injection
 * points), and `rasim report merge` (shards joined).
 */
#include "sim/cli/cli.h"
#include "sim/cli/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SEARCH 16

struct scenario_args {
    const char *file;
    const char *search[MAX_SEARCH + 1];
    size_t nsearch;
    const char *json, *junit, *svg;
    unsigned shard, nshards; /* shard counts from 0 */
    bool quiet;
    struct cli_trace trace;
    bool gdb; /* run: serve the run to gdb on this port */
    unsigned gdb_port;
};

static int parse_shard(const char *v, struct scenario_args *a)
{
    unsigned k, n;
    char extra;
    if (sscanf(v, "%u/%u%c", &k, &n, &extra) != 2 || !n || !k || k > n)
        return cli_error("--shard: expected K/N with 1 <= K <= N, got '%s'", v);
    a->shard = k - 1;
    a->nshards = n;
    return 0;
}

static int parse(int argc, char **argv, struct scenario_args *a, bool campaign)
{
    a->nshards = 1;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        int used = cli_trace_option(&a->trace, campaign, argc, argv, &i);
        if (used < 0)
            return EXIT_BAD_INPUT;
        if (used)
            continue;
        bool takes = !strcmp(o, "--search") || !strcmp(o, "-I") ||
                     (campaign && (!strcmp(o, "--json") || !strcmp(o, "--junit") ||
                                   !strcmp(o, "--svg") || !strcmp(o, "--shard"))) ||
                     (!campaign && !strcmp(o, "--gdb"));
        if (takes && i + 1 >= argc)
            return cli_error("%s needs a value", o);
        const char *v = takes ? argv[++i] : NULL;
        if (!strcmp(o, "--search") || !strcmp(o, "-I")) {
            if (a->nsearch == MAX_SEARCH)
                return cli_error("--search: at most %d directories", MAX_SEARCH);
            a->search[a->nsearch++] = v;
        } else if (campaign && !strcmp(o, "--json")) {
            a->json = v;
        } else if (campaign && !strcmp(o, "--junit")) {
            a->junit = v;
        } else if (campaign && !strcmp(o, "--svg")) {
            a->svg = v;
        } else if (campaign && !strcmp(o, "--shard")) {
            if (parse_shard(v, a))
                return EXIT_BAD_INPUT;
        } else if (!campaign && !strcmp(o, "--gdb")) {
            if (cli_parse_port(v, &a->gdb_port))
                return EXIT_BAD_INPUT;
            a->gdb = true;
        } else if (campaign && !strcmp(o, "--quiet")) {
            a->quiet = true;
        } else if (o[0] == '-' && o[1]) {
            return cli_error("%s: unknown option '%s' (see 'rasim help %s')", argv[0], o, argv[0]);
        } else if (a->file) {
            return cli_error("%s: more than one scenario given", argv[0]);
        } else {
            a->file = o;
        }
    }
    if (!a->file)
        return cli_error("%s: which scenario file?", argv[0]);
    if (cli_trace_check(&a->trace))
        return EXIT_BAD_INPUT;
    if (campaign && a->trace.spec && !a->trace.point)
        return cli_error("campaign: --trace traces one run: choose it with --trace-point "
                         "INDEX|LABEL (tracing every run of a campaign is refused)");
    if (a->trace.point && a->nshards > 1)
        return cli_error("campaign: --trace-point runs one point: --shard does not apply");
    return 0;
}

static rasim_scenario *load(const struct scenario_args *a)
{
    char err[1024];
    rasim_scenario *sc = rasim_scenario_load(a->file, a->search, err, sizeof(err));
    if (!sc)
        cli_error("%s", err);
    return sc;
}

/* rasim run --gdb: the scenario's run served to one gdb. */
struct gdb_run {
    unsigned port;
    bool killed, failed;
};

static int serve_gdb(void *ctx, rasim_machine *m, uint64_t max_insns, struct rasim_stop *stop,
                     char *err, size_t errlen)
{
    struct gdb_run *g = ctx;
    int end;
    if (cli_gdb_session(m, g->port, max_insns, stop, &end)) {
        g->failed = true; /* reported */
        return -1;
    }
    if (end == RASIM_GDB_KILLED) {
        g->killed = true;
        snprintf(err, errlen, "the run was killed from gdb: no expectation checked");
        return -1;
    }
    return 0;
}

int cmd_run(int argc, char **argv)
{
    struct scenario_args a = {0};
    int rc = parse(argc, argv, &a, false);
    if (rc)
        return rc;
    rasim_scenario *sc = load(&a);
    if (!sc)
        return EXIT_BAD_INPUT;
    if (a.trace.spec)
        rasim_scenario_trace(sc, a.trace.spec, &a.trace.filter);
    struct rasim_run_result r;
    char err[1024];
    struct gdb_run g = {.port = a.gdb_port};
    if (rasim_scenario_run_with(sc, a.gdb ? serve_gdb : NULL, &g, &r, err, sizeof(err)) < 0) {
        rasim_scenario_free(sc);
        if (g.failed)
            return EXIT_BAD_INPUT;
        rc = cli_error("%s", err);
        return g.killed ? 1 : rc;
    }
    printf("%s: %s at %s (%s)\n", a.file, rasim_outcome_name(r.outcome), r.where, r.why);
    if (r.fixup[0])
        printf("  fixup %s\n", r.fixup);
    printf("  ret=0x%llx insns=%llu\n", (unsigned long long)r.ret,
           (unsigned long long)r.stop.insns);
    for (unsigned i = 0; i < r.nchecks; i++) {
        if (r.checks[i].ok)
            printf("  ok      %s\n", r.checks[i].what);
        else
            printf("  FAILED  %s: got %s\n", r.checks[i].what, r.checks[i].actual);
    }
    printf("%u expectations, %u failed\n", r.nchecks, r.nfailed);
    rasim_scenario_free(sc);
    return r.nfailed ? 1 : 0;
}

struct progress {
    struct report *report;
    bool bar;
};

static void on_run(void *ctx, size_t total, const struct rasim_campaign_run *run)
{
    struct progress *p = ctx;
    struct report_run rr;
    memset(&rr, 0, sizeof(rr));
    rr.index = run->index;
    snprintf(rr.label, sizeof(rr.label), "%s", run->point.label);
    snprintf(rr.region, sizeof(rr.region), "%s", run->point.region);
    rr.offset = run->point.offset;
    rr.pa = run->point.pa;
    rr.tag = run->point.tag;
    rr.timed = run->point.timed;
    rr.insn = run->point.insn;
    rr.outcome = run->result.outcome;
    rr.ret = run->result.ret;
    rr.insns = run->result.stop.insns;
    snprintf(rr.where, sizeof(rr.where), "%s", run->result.where);
    snprintf(rr.fixup, sizeof(rr.fixup), "%s", run->result.fixup);
    snprintf(rr.why, sizeof(rr.why), "%s", run->result.why);
    rr.accepted = run->accepted;
    report_add(p->report, &rr);
    if (p->bar) {
        size_t done = p->report->nruns, width = 40, fill = done * width / (total ? total : 1);
        fprintf(stderr, "\r[%.*s%*s] %zu/%zu", (int)fill,
                "========================================", (int)(width - fill), "", done, total);
        if (done == total)
            fputc('\n', stderr);
    }
}

static int write_outputs(const struct report *r, const struct scenario_args *a, const char *shard)
{
    char err[1024];
    if ((a->json && report_write_json(r, shard, a->json, err, sizeof(err)) < 0) ||
        (a->junit && report_write_junit(r, a->junit, err, sizeof(err)) < 0) ||
        (a->svg && report_write_svg(r, a->svg, err, sizeof(err)) < 0))
        return cli_error("%s", err);
    return 0;
}

/* --trace-point: a point's index, or its label (src+0x40). */
static int find_point(const rasim_scenario *sc, const char *want, size_t *index)
{
    size_t n = rasim_campaign_size(sc);
    if (!n)
        return cli_error("--trace-point: the scenario declares no campaign sweep");
    if (want[0] >= '0' && want[0] <= '9') {
        uint64_t i;
        if (!cli_parse_u64("--trace-point", want, &i))
            return EXIT_BAD_INPUT;
        if (i >= n)
            return cli_error("--trace-point: point %llu does not exist (0..%zu)",
                             (unsigned long long)i, n - 1);
        *index = (size_t)i;
        return 0;
    }
    if (rasim_campaign_point_index(sc, want, index) == 0)
        return 0;
    return cli_error("--trace-point: no point is labelled '%s' (labels are the campaign "
                     "table's, such as src+0x40; or give an index 0..%zu)",
                     want, n - 1);
}

/* The one traced run of --trace-point, reported as a campaign of one. */
static int traced_point(rasim_scenario *sc, const struct scenario_args *a, struct progress *p,
                        char *err, size_t errlen)
{
    size_t index = 0;
    int rc = find_point(sc, a->trace.point, &index);
    if (rc)
        return rc;
    rasim_scenario_trace(sc, a->trace.spec, &a->trace.filter);
    struct rasim_campaign_run run;
    if (rasim_campaign_run_point(sc, index, &run, err, errlen) < 0)
        return cli_error("%s", err);
    on_run(p, 1, &run);
    return 0;
}

int cmd_campaign(int argc, char **argv)
{
    struct scenario_args a = {0};
    int rc = parse(argc, argv, &a, true);
    if (rc)
        return rc;
    rasim_scenario *sc = load(&a);
    if (!sc)
        return EXIT_BAD_INPUT;
    struct report report;
    memset(&report, 0, sizeof(report));
    snprintf(report.scenario, sizeof(report.scenario), "%s", a.file);
    for (int o = 0; o < RASIM_NOUTCOMES; o++)
        if (rasim_scenario_accepts(sc, (enum rasim_outcome)o))
            report.accept |= 1u << o;
    struct progress p = {&report, !a.quiet && isatty(2)};
    char err[1024];
    if (a.trace.point) {
        rc = traced_point(sc, &a, &p, err, sizeof(err));
        if (rc) {
            report_free(&report);
            rasim_scenario_free(sc);
            return rc;
        }
    } else if (rasim_campaign(sc, a.shard, a.nshards, on_run, &p, err, sizeof(err)) < 0) {
        report_free(&report);
        rasim_scenario_free(sc);
        return cli_error("%s", err);
    }
    rc = 0;
    char shard[32];
    snprintf(shard, sizeof(shard), "%u/%u", a.shard + 1, a.nshards);
    snprintf(report.arch, sizeof(report.arch), "%s", rasim_arch_name(rasim_scenario_arch(sc)));
    snprintf(report.profile, sizeof(report.profile), "%s", rasim_scenario_profile(sc));
    if (!a.quiet)
        report_print_table(&report, stdout);
    if (write_outputs(&report, &a, shard))
        rc = EXIT_BAD_INPUT;
    else if (!report_all_accepted(&report))
        rc = 1;
    report_free(&report);
    rasim_scenario_free(sc);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    struct scenario_args a = {0};
    struct report report;
    const char *files[256];
    size_t nfiles = 0;
    const char *out = NULL;
    memset(&report, 0, sizeof(report));
    if (argc < 2 || strcmp(argv[1], "merge"))
        return cli_error("report: expected 'merge' (see 'rasim help report')");
    for (int i = 2; i < argc; i++) {
        const char *o = argv[i];
        bool takes = !strcmp(o, "-o") || !strcmp(o, "--json") || !strcmp(o, "--junit") ||
                     !strcmp(o, "--svg");
        if (takes && i + 1 >= argc)
            return cli_error("%s needs a value", o);
        if (!strcmp(o, "-o") || !strcmp(o, "--json"))
            out = argv[++i];
        else if (!strcmp(o, "--junit"))
            a.junit = argv[++i];
        else if (!strcmp(o, "--svg"))
            a.svg = argv[++i];
        else if (o[0] == '-' && o[1])
            return cli_error("report merge: unknown option '%s'", o);
        else if (nfiles == sizeof(files) / sizeof(*files))
            return cli_error("report merge: at most %zu files", nfiles);
        else
            files[nfiles++] = o;
    }
    if (!nfiles)
        return cli_error("report merge: which JSON files?");
    char err[1024];
    for (size_t i = 0; i < nfiles; i++)
        if (report_read_json(&report, files[i], err, sizeof(err)) < 0) {
            report_free(&report);
            return cli_error("%s", err);
        }
    if (report_finish(&report, err, sizeof(err)) < 0) {
        report_free(&report);
        return cli_error("report merge: %s", err);
    }
    a.json = out;
    report_print_table(&report, stdout);
    int rc = write_outputs(&report, &a, "merged") ? EXIT_BAD_INPUT
             : report_all_accepted(&report)       ? 0
                                                  : 1;
    report_free(&report);
    return rc;
}
