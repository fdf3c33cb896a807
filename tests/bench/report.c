/*
 * report.c - the benchmark's results: a table on stdout, JSON, and an SVG
 * chart of the rasim / peer ratios (log scale, with the goals marked).
 */
#include "bench.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The goals for rasim (arm64 reference machine, 2 cores). */
struct goal {
    const char *text;
    enum bench_workload w;
    const char *peer; /* ratio against this engine; NULL: absolute MIPS */
    double target;
    const char *who; /* the engine measured; NULL: the ratio engine (rasim-mmu) */
};
static const struct goal goals[] = {
    {"page_copy: rasim >= 3x qemu-user + poison plugin", W_PAGE_COPY, "qemu-poison", 3.0, NULL},
    {"ptwalk_c: rasim >= 0.7x qemu-user + poison plugin", W_PTWALK, "qemu-poison", 0.7, NULL},
    {"page_copy: rasim >= 10x Unicorn + mem hook", W_PAGE_COPY, "unicorn-mem", 10.0, NULL},
    {"ptwalk_c: rasim >= 10x Unicorn + mem hook", W_PTWALK, "unicorn-mem", 10.0, NULL},
    {"int_loop: rasim >= 300 MIPS", W_INT_LOOP, NULL, 300.0, NULL},
    /* Tracing every instruction beats the peers' ways to trace: rasim's
     * text trace (every instruction, register change and access, named and
     * formatted), and rasim's event sink recording PCs - the same work as
     * the peers' hooks. */
    {"page_copy: rasim text trace >= Unicorn + code hook", W_PAGE_COPY, "unicorn-code", 1.0,
     "rasim-trace"},
    {"int_loop: rasim text trace >= Unicorn + code hook", W_INT_LOOP, "unicorn-code", 1.0,
     "rasim-trace"},
    {"ptwalk_c: rasim text trace >= Unicorn + code hook", W_PTWALK, "unicorn-code", 1.0,
     "rasim-trace"},
    {"page_copy: rasim text trace >= qemu per-insn plugin", W_PAGE_COPY, "qemu-insn", 1.0,
     "rasim-trace"},
    {"int_loop: rasim text trace >= qemu per-insn plugin", W_INT_LOOP, "qemu-insn", 1.0,
     "rasim-trace"},
    {"ptwalk_c: rasim text trace >= qemu per-insn plugin", W_PTWALK, "qemu-insn", 1.0,
     "rasim-trace"},
    {"page_copy: rasim event sink >= Unicorn + code hook", W_PAGE_COPY, "unicorn-code", 1.0,
     "rasim-hook"},
    {"int_loop: rasim event sink >= Unicorn + code hook", W_INT_LOOP, "unicorn-code", 1.0,
     "rasim-hook"},
    {"ptwalk_c: rasim event sink >= Unicorn + code hook", W_PTWALK, "unicorn-code", 1.0,
     "rasim-hook"},
    {"page_copy: rasim event sink >= qemu per-insn plugin", W_PAGE_COPY, "qemu-insn", 1.0,
     "rasim-hook"},
    {"int_loop: rasim event sink >= qemu per-insn plugin", W_INT_LOOP, "qemu-insn", 1.0,
     "rasim-hook"},
    {"ptwalk_c: rasim event sink >= qemu per-insn plugin", W_PTWALK, "qemu-insn", 1.0,
     "rasim-hook"},
    /* A big poison map elsewhere costs clean pages nothing (within 2%). */
    {"page_copy: 1M poisoned lines >= 0.98x no poison", W_PAGE_COPY, "rasim-nopoison", 0.98,
     "rasim-poison1m"},
    {"int_loop: 1M poisoned lines >= 0.98x no poison", W_INT_LOOP, "rasim-nopoison", 0.98,
     "rasim-poison1m"},
    {"ptwalk_c: 1M poisoned lines >= 0.98x no poison", W_PTWALK, "rasim-nopoison", 0.98,
     "rasim-poison1m"},
    /* Tracing compiled in but off costs nothing (within 2%): rasim-mmu
     * against the same in a build with RASIM_TRACING=OFF. */
    {"page_copy: tracing off >= 0.98x built without", W_PAGE_COPY, "rasim-notrace", 0.98,
     "rasim-mmu"},
    {"int_loop: tracing off >= 0.98x built without", W_INT_LOOP, "rasim-notrace", 0.98,
     "rasim-mmu"},
    {"ptwalk_c: tracing off >= 0.98x built without", W_PTWALK, "rasim-notrace", 0.98, "rasim-mmu"},
};
#define CAMPAIGN_GOAL_S 0.050

/* The reference figures for the peers (arm64 guest, MIPS). */
static const struct {
    const char *engine;
    enum bench_workload w;
    double mips;
} reference[] = {
    {"qemu", W_PAGE_COPY, 840},     {"qemu", W_INT_LOOP, 960},
    {"qemu", W_PTWALK, 770},        {"qemu-poison", W_PAGE_COPY, 95},
    {"qemu-poison", W_PTWALK, 520}, {"unicorn-mem", W_PAGE_COPY, 6.4},
    {"unicorn-mem", W_PTWALK, 167}, {"unicorn-code", W_INT_LOOP, 316},
};

static int engine_index(const char *name)
{
    for (size_t e = 0; e < nengines; e++)
        if (!strcmp(engines[e].name, name))
            return (int)e;
    return -1;
}

/* MIPS of engine who (-1: the ratio engine) over MIPS of peer. */
static bool ratio_of(const struct results *r, int a, int who, int peer, int w, double *out)
{
    if (who < 0)
        who = r->ref[a];
    if (who < 0 || peer < 0)
        return false;
    const struct cell *x = &r->cell[a][who][w], *y = &r->cell[a][peer][w];
    if (!x->measured || !y->measured || y->mips <= 0)
        return false;
    *out = x->mips / y->mips;
    return true;
}

static bool ratio(const struct results *r, int a, int peer, int w, double *out)
{
    return ratio_of(r, a, -1, peer, w, out);
}

/* How a goal stands: 1 met, 0 not met, -1 not measurable; *value measured. */
static int goal_status(const struct results *r, int a, const struct goal *g, double *value)
{
    if (r->ref[a] < 0 || !r->workload_on[g->w])
        return -1;
    if (!g->peer) {
        const struct cell *c = &r->cell[a][r->ref[a]][g->w];
        if (!c->measured)
            return -1;
        *value = c->mips;
        return c->mips >= g->target;
    }
    int who = g->who ? engine_index(g->who) : -1;
    if ((g->who && who < 0) || !ratio_of(r, a, who, engine_index(g->peer), g->w, value))
        return -1;
    return *value >= g->target;
}

static void short_why(const char *why, char *buf, size_t len)
{
    snprintf(buf, len, "%s", why);
    char *colon = strchr(buf, ':');
    if (colon)
        *colon = 0;
}

void report_table(const struct results *r, FILE *f)
{
    fprintf(f,
            "\nrasim benchmark (%s: median of %u runs, each sized to at most %.1f s; "
            "load average %.2f before, %.2f after; %.0f s in all)\n",
            r->quick ? "QUICK smoke run, not a measurement" : "full", r->runs, r->cap,
            r->load_before, r->load_after, r->wall);
    fprintf(f, "times: %s\n",
            r->cpu_clock ? "CPU time of the thread (qemu: process) running the guest (--cpu-time)"
                         : "wall clock");
    fprintf(f, "Unicorn %s; cells are MIPS [millions of instructions per run]\n",
            unicorn_version());
    for (int a = 0; a < NARCHES; a++) {
        if (!r->arch_on[a])
            continue;
        fprintf(f, "\n== %s guest\n%-36s", arch_name[a], "engine");
        for (int w = 0; w < NWORKLOADS; w++)
            if (r->workload_on[w])
                fprintf(f, " %18s", workload_name[w]);
        fprintf(f, "\n");
        for (size_t e = 0; e < nengines; e++) {
            if (!r->engine_on[e])
                continue;
            fprintf(f, "%-36s", engines[e].label);
            if (!r->engine_ok[a][e]) {
                char s[96];
                short_why(r->engine_why[a][e], s, sizeof(s));
                fprintf(f, " n/a (%s)\n", s);
                continue;
            }
            for (int w = 0; w < NWORKLOADS; w++) {
                if (!r->workload_on[w])
                    continue;
                const struct cell *c = &r->cell[a][e][w];
                char cellbuf[40];
                if (c->failed)
                    snprintf(cellbuf, sizeof(cellbuf), "FAIL");
                else if (!c->measured)
                    snprintf(cellbuf, sizeof(cellbuf), "-");
                else
                    snprintf(cellbuf, sizeof(cellbuf),
                             c->insns < 10000000 ? "%.1f [%.1fM]" : "%.1f [%.0fM]", c->mips,
                             (double)c->insns / 1e6);
                fprintf(f, " %18s", cellbuf);
            }
            fprintf(f, "\n");
        }
        if (r->ref[a] < 0) {
            fprintf(f, "ratios: n/a (no rasim engine runs %s here)\n", arch_name[a]);
        } else {
            fprintf(f, "\nratio %s / peer (same run)\n%-36s", engines[r->ref[a]].label, "peer");
            for (int w = 0; w < NWORKLOADS; w++)
                if (r->workload_on[w])
                    fprintf(f, " %18s", workload_name[w]);
            fprintf(f, "\n");
            for (size_t e = 0; e < nengines; e++) {
                if (engines[e].rasim || !r->engine_on[e])
                    continue;
                fprintf(f, "%-36s", engines[e].label);
                for (int w = 0; w < NWORKLOADS; w++) {
                    if (!r->workload_on[w])
                        continue;
                    double x;
                    char b[32] = "n/a";
                    if (ratio(r, a, (int)e, w, &x))
                        snprintf(b, sizeof(b), "%.2fx", x);
                    fprintf(f, " %18s", b);
                }
                fprintf(f, "\n");
            }
        }
        fprintf(
            f,
            "\ngoals (%s; the issue set them on an arm64 reference machine)\n%-52s %10s %10s  %s\n",
            arch_name[a], "", "target", "measured", "status");
        for (size_t g = 0; g < sizeof(goals) / sizeof(goals[0]); g++) {
            double v = 0;
            int st = goal_status(r, a, &goals[g], &v);
            char t[24], m[24];
            snprintf(t, sizeof(t), goals[g].peer ? "%gx" : "%.0f MIPS", goals[g].target);
            if (st < 0)
                snprintf(m, sizeof(m), "n/a");
            else
                snprintf(m, sizeof(m), goals[g].peer ? "%.2fx" : "%.0f MIPS", v);
            fprintf(f, "%-52s %10s %10s  %s\n", goals[g].text, t, m,
                    st < 0 ? "n/a"
                    : st   ? "met"
                           : "NOT MET");
        }
        if (r->campaigns_on) {
            const struct campaign_result *c = &r->camp[a][0];
            char m[24] = "n/a";
            if (c->available)
                snprintf(m, sizeof(m), "%.1f ms", c->seconds * 1e3);
            fprintf(f, "%-52s %10s %10s  %s\n", "campaign: 4 KiB (128 runs) under 50 ms", "50 ms",
                    m,
                    !c->available                  ? "n/a"
                    : c->seconds < CAMPAIGN_GOAL_S ? "met"
                                                   : "NOT MET");
        }
        if (r->memory_on) {
            const struct memory_result *mr = &r->mem[a];
            char m[24] = "n/a";
            if (mr->measured)
                snprintf(m, sizeof(m), "%.1f MiB", mr->peak_mib);
            fprintf(f, "%-52s %10s %10s  %s\n", "memory: 1 GiB declared, 10 MiB touched", "64 MiB",
                    m,
                    !mr->measured ? "n/a"
                    : mr->met     ? "met"
                                  : "NOT MET");
            if (mr->measured)
                fprintf(f,
                        "  (peak resident set of a process of its own; %.1f MiB of it before "
                        "the machine existed)\n",
                        mr->base_mib);
        }
        if (a == ARCH_AARCH64) {
            fprintf(f, "\npeer figures: the issue's reference machine vs here (arm64 guest)\n");
            for (size_t k = 0; k < sizeof(reference) / sizeof(reference[0]); k++) {
                int e = engine_index(reference[k].engine);
                const struct cell *c = &r->cell[a][e][reference[k].w];
                char m[24] = "n/a";
                if (c->measured)
                    snprintf(m, sizeof(m), "%.1f", c->mips);
                fprintf(f, "  %-30s %-10s reference %7.1f MIPS, here %8s\n", engines[e].label,
                        workload_name[reference[k].w], reference[k].mips, m);
            }
        }
        fprintf(f, "\ninstruction counts (%s):\n", arch_name[a]);
        for (int w = 0; w < NWORKLOADS; w++)
            if (r->workload_on[w])
                fprintf(f, "  %-10s %s\n", workload_name[w],
                        r->count_check[a][w][0] ? r->count_check[a][w] : "not checked");
    }
    if (r->campaigns_on) {
        fprintf(f,
                "\n== campaigns: a machine-check-safe page copy, every line of src and dst "
                "poisoned in turn (median of %u)\n",
                r->runs);
        fprintf(f, "%-24s %-40s %-40s %s\n", "", "rasim", "Unicorn + mem hook", "ratio");
        for (int a = 0; a < NARCHES; a++) {
            if (!r->arch_on[a])
                continue;
            char col[2][64];
            for (int k = 0; k < 2; k++) {
                const struct campaign_result *c = &r->camp[a][k];
                if (c->available)
                    snprintf(col[k], sizeof(col[k]), "%zu runs %.1f ms, %.0f runs/s, %zu ok",
                             c->runs, c->seconds * 1e3, (double)c->runs / c->seconds, c->accepted);
                else
                    snprintf(col[k], sizeof(col[k]), "n/a (see below)");
            }
            char rat[24] = "n/a";
            if (r->camp[a][0].available && r->camp[a][1].available)
                snprintf(rat, sizeof(rat), "%.2fx", r->camp[a][1].seconds / r->camp[a][0].seconds);
            fprintf(f, "%-24s %-40s %-40s %s\n",
                    a == ARCH_AARCH64 ? "aarch64 copy_mc_page" : "rv64 memcpy_mc", col[0], col[1],
                    rat);
        }
        fprintf(f, "qemu-user: n/a (a version-1 TCG plugin cannot redirect the guest to a fixup, "
                   "so it cannot deliver a memory error)\n");
    }
    fprintf(f, "\nn/a and failures:\n");
    for (int a = 0; a < NARCHES; a++) {
        if (!r->arch_on[a])
            continue;
        for (size_t e = 0; e < nengines; e++)
            if (r->engine_on[e] && !r->engine_ok[a][e])
                fprintf(f, "  [%s] %s: n/a (%s)\n", arch_name[a], engines[e].name,
                        r->engine_why[a][e]);
        for (size_t e = 0; e < nengines; e++)
            for (int w = 0; w < NWORKLOADS; w++)
                if (r->cell[a][e][w].failed)
                    fprintf(f, "  [%s] %s %s: FAIL %s\n", arch_name[a], engines[e].name,
                            workload_name[w], r->cell[a][e][w].err);
        for (int k = 0; k < 2 && r->campaigns_on; k++)
            if (!r->camp[a][k].available)
                fprintf(f, "  [%s] %s campaign: n/a (%s)\n", arch_name[a], k ? "unicorn" : "rasim",
                        r->camp[a][k].why);
        if (r->memory_on && !r->mem[a].measured)
            fprintf(f, "  [%s] memory: n/a (%s)\n", arch_name[a], r->mem[a].why);
    }
}

/* ---- JSON ---------------------------------------------------------------- */

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void json_campaign(FILE *f, const struct campaign_result *c)
{
    fprintf(f, "{\"available\": %s", c->available ? "true" : "false");
    if (c->available) {
        fprintf(f,
                ", \"runs\": %zu, \"accepted\": %zu, \"median_s\": %.6f, \"runs_per_s\": %.1f,"
                " \"seconds\": [",
                c->runs, c->accepted, c->seconds, (double)c->runs / c->seconds);
        for (unsigned i = 0; i < c->nall; i++)
            fprintf(f, "%s%.6f", i ? ", " : "", c->all[i]);
        fprintf(f, "]");
    } else {
        fprintf(f, ", \"why\": ");
        json_str(f, c->why);
    }
    fprintf(f, "}");
}

int report_json(const struct results *r, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "{\n  \"quick\": %s, \"runs\": %u, \"cap_s\": %.3f, \"wall_s\": %.1f,\n",
            r->quick ? "true" : "false", r->runs, r->cap, r->wall);
    fprintf(f, "  \"clock\": \"%s\",\n", r->cpu_clock ? "cpu" : "wall");
    fprintf(f, "  \"loadavg_before\": %.2f, \"loadavg_after\": %.2f, \"unicorn\": ", r->load_before,
            r->load_after);
    json_str(f, unicorn_version());
    fprintf(f, ",\n  \"archs\": {");
    bool first_arch = true;
    for (int a = 0; a < NARCHES; a++) {
        if (!r->arch_on[a])
            continue;
        fprintf(f, "%s\n    ", first_arch ? "" : ",");
        first_arch = false;
        json_str(f, arch_name[a]);
        fprintf(f, ": {\n      \"ratio_engine\": ");
        if (r->ref[a] >= 0)
            json_str(f, engines[r->ref[a]].name);
        else
            fprintf(f, "null");
        fprintf(f, ",\n      \"engines\": {");
        bool first = true;
        for (size_t e = 0; e < nengines; e++) {
            if (!r->engine_on[e])
                continue;
            fprintf(f, "%s\n        ", first ? "" : ",");
            first = false;
            json_str(f, engines[e].name);
            fprintf(f, ": {\"label\": ");
            json_str(f, engines[e].label);
            if (!r->engine_ok[a][e]) {
                fprintf(f, ", \"available\": false, \"why\": ");
                json_str(f, r->engine_why[a][e]);
                fprintf(f, "}");
                continue;
            }
            fprintf(f, ", \"available\": true, \"workloads\": {");
            bool fw = true;
            for (int w = 0; w < NWORKLOADS; w++) {
                if (!r->workload_on[w])
                    continue;
                const struct cell *c = &r->cell[a][e][w];
                fprintf(f, "%s\n          ", fw ? "" : ",");
                fw = false;
                json_str(f, workload_name[w]);
                fprintf(f, ": {\"n\": %llu, \"insns\": %llu", (unsigned long long)c->n,
                        (unsigned long long)c->insns);
                if (c->failed) {
                    fprintf(f, ", \"failed\": ");
                    json_str(f, c->err);
                } else if (c->measured) {
                    fprintf(f, ", \"median_s\": %.6f, \"mips\": %.2f, \"seconds\": [", c->median_s,
                            c->mips);
                    for (unsigned i = 0; i < c->nsecs; i++)
                        fprintf(f, "%s%.6f", i ? ", " : "", c->secs[i]);
                    fprintf(f, "]");
                    if (c->accesses)
                        fprintf(f, ", \"poison_checks\": %llu", (unsigned long long)c->accesses);
                }
                fprintf(f, "}");
            }
            fprintf(f, "}}");
        }
        fprintf(f, "\n      },\n      \"ratios\": {");
        bool fr = true;
        for (size_t e = 0; e < nengines; e++) {
            if (engines[e].rasim || !r->engine_on[e])
                continue;
            fprintf(f, "%s\n        ", fr ? "" : ",");
            fr = false;
            json_str(f, engines[e].name);
            fprintf(f, ": {");
            bool fw = true;
            for (int w = 0; w < NWORKLOADS; w++) {
                double x;
                if (!r->workload_on[w])
                    continue;
                fprintf(f, "%s", fw ? "" : ", ");
                fw = false;
                json_str(f, workload_name[w]);
                if (ratio(r, a, (int)e, w, &x))
                    fprintf(f, ": %.4f", x);
                else
                    fprintf(f, ": null");
            }
            fprintf(f, "}");
        }
        fprintf(f, "\n      },\n      \"goals\": [");
        for (size_t g = 0; g < sizeof(goals) / sizeof(goals[0]); g++) {
            double v = 0;
            int st = goal_status(r, a, &goals[g], &v);
            fprintf(f, "%s\n        {\"goal\": ", g ? "," : "");
            json_str(f, goals[g].text);
            fprintf(f, ", \"target\": %.2f, ", goals[g].target);
            if (st < 0)
                fprintf(f, "\"measured\": null, \"status\": \"n/a\"}");
            else
                fprintf(f, "\"measured\": %.4f, \"status\": \"%s\"}", v, st ? "met" : "not met");
        }
        fprintf(f, "\n      ],\n      \"instruction_counts\": {");
        for (int w = 0; w < NWORKLOADS; w++) {
            fprintf(f, "%s", w ? ", " : "");
            json_str(f, workload_name[w]);
            fprintf(f, ": ");
            json_str(f, r->count_check[a][w]);
        }
        fprintf(f, "}");
        if (r->campaigns_on) {
            fprintf(f, ",\n      \"campaign\": {\"rasim\": ");
            json_campaign(f, &r->camp[a][0]);
            fprintf(f, ", \"unicorn-mem\": ");
            json_campaign(f, &r->camp[a][1]);
            fprintf(f, ", \"qemu\": {\"available\": false, \"why\": \"a version-1 TCG plugin "
                       "cannot redirect the guest to a fixup\"}}");
        }
        if (r->memory_on) {
            const struct memory_result *mr = &r->mem[a];
            fprintf(f, ",\n      \"memory\": {\"declared_mib\": 1024, \"touched_mib\": 10, ");
            if (mr->measured)
                fprintf(f,
                        "\"peak_rss_mib\": %.1f, \"before_machine_mib\": %.1f, \"status\": \"%s\"}",
                        mr->peak_mib, mr->base_mib, mr->met ? "met" : "not met");
            else {
                fprintf(f, "\"status\": \"n/a\", \"why\": ");
                json_str(f, mr->why);
                fprintf(f, "}");
            }
        }
        fprintf(f, "\n    }");
    }
    fprintf(f, "\n  },\n  \"failures\": %u\n}\n", r->nfailures);
    return fclose(f);
}

/* ---- SVG ---------------------------------------------------------------- */

int report_svg(const struct results *r, const char *path)
{
    static const char *const peers[] = {"qemu",    "qemu-poison", "qemu-insn",
                                        "unicorn", "unicorn-mem", "unicorn-code"};
    static const char *const colour[] = {"#4e79a7", "#f28e2b", "#76b7b2",
                                         "#59a14f", "#e15759", "#b07aa1"};
    const int npeers = 6, W = 1040, panel = 330, top = 60;
    int narch = 0;
    for (int a = 0; a < NARCHES; a++)
        narch += r->arch_on[a];
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int H = top + narch * panel + 40;
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "font-family=\"sans-serif\" font-size=\"12\">\n",
            W, H);
    fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
    fprintf(f,
            "<text x=\"20\" y=\"24\" font-size=\"16\">rasim / peer speed (MIPS ratio, "
            "same run; log scale; above 1x rasim is faster)%s</text>\n",
            r->quick ? " - QUICK smoke run" : "");
    for (int p = 0; p < npeers; p++) {
        int e = engine_index(peers[p]);
        fprintf(f,
                "<rect x=\"%d\" y=\"36\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                "<text x=\"%d\" y=\"46\">%s</text>\n",
                20 + p * 204, colour[p], 36 + p * 204, engines[e].label);
    }
    /* log10 scale from 0.01x to 1000x */
    const double lo = -2, hi = 3;
    int y0 = top;
    for (int a = 0; a < NARCHES; a++) {
        if (!r->arch_on[a])
            continue;
        int px = 70, pw = W - 100, ph = panel - 70, py = y0 + 30;
        fprintf(f, "<text x=\"20\" y=\"%d\" font-size=\"14\">%s guest: %s</text>\n", y0 + 18,
                arch_name[a], r->ref[a] >= 0 ? engines[r->ref[a]].label : "no rasim engine");
        for (int d = (int)lo; d <= (int)hi; d++) {
            double y = py + ph - (d - lo) / (hi - lo) * ph;
            fprintf(f,
                    "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%gx</text>\n",
                    px, px + pw, y, y, d == 0 ? "black" : "#ddd", px - 6, y + 4, pow(10, d));
        }
        if (r->ref[a] < 0) {
            fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"14\" fill=\"#888\">n/a: %s</text>\n",
                    px + 20, py + ph / 2, "rasim cannot run this architecture's workloads yet");
        }
        int gw = pw / NWORKLOADS;
        for (int w = 0; w < NWORKLOADS; w++) {
            int gx = px + w * gw;
            fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", gx + gw / 2,
                    py + ph + 18, workload_name[w]);
            int bw = (gw - 40) / npeers;
            for (int p = 0; p < npeers; p++) {
                int e = engine_index(peers[p]);
                double x;
                int bx = gx + 20 + p * bw;
                if (!ratio(r, a, e, w, &x))
                    continue;
                double v = log10(x);
                v = v < lo ? lo : v > hi ? hi : v;
                double yv = py + ph - (v - lo) / (hi - lo) * ph,
                       y1 = py + ph - (0 - lo) / (hi - lo) * ph;
                double yt = yv < y1 ? yv : y1, hgt = fabs(y1 - yv);
                fprintf(f,
                        "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\">"
                        "<title>%s %s: %.2fx</title></rect>\n",
                        bx, yt, bw - 4, hgt < 1 ? 1 : hgt, colour[p], engines[e].label,
                        workload_name[w], x);
                fprintf(f,
                        "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">"
                        "%.2g</text>\n",
                        bx + (bw - 4) / 2, yv < y1 ? yv - 3 : yv + 11, x);
                for (size_t g = 0; g < sizeof(goals) / sizeof(goals[0]); g++) {
                    if ((int)goals[g].w != w || !goals[g].peer || strcmp(goals[g].peer, peers[p]))
                        continue;
                    double yg = py + ph - (log10(goals[g].target) - lo) / (hi - lo) * ph;
                    fprintf(f,
                            "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
                            "stroke=\"black\" stroke-width=\"2\" stroke-dasharray=\"4 2\">"
                            "<title>goal %gx</title></line>\n",
                            bx - 2, bx + bw - 2, yg, yg, goals[g].target);
                }
            }
        }
        y0 += panel;
    }
    fprintf(f,
            "<text x=\"20\" y=\"%d\" fill=\"#555\">dashed: the issue's goals (page_copy: 3x "
            "qemu + poison plugin, 10x Unicorn + mem hook; ptwalk_c: 0.7x, 10x)</text>\n",
            H - 14);
    fprintf(f, "</svg>\n");
    return fclose(f);
}
