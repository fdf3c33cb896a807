/*
 * campaign.c - run a scenario once per injection point, each from the same
 * snapshot, and classify every run (sc_classify).
 *
 * Points are enumerated in a fixed order from the scenario alone (sweep by
 * sweep, line by line, random points from their seed), so a point's index
 * is the same whether the campaign runs whole or as shards: shard K of N
 * runs the indices i with i % N == K.
 */
#include "sim/scenario/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE 64

static uint64_t lines_in(uint64_t size)
{
    return (size + LINE - 1) / LINE;
}

/* Points of one sweep. */
static size_t sweep_size(const rasim_scenario *sc, const struct sc_sweep *w)
{
    switch (w->kind) {
    case SC_SWEEP_LINES: return lines_in(sc_buffer(sc, w->buffer)->size);
    case SC_SWEEP_RANDOM: return w->count;
    case SC_SWEEP_INSNS: return sc->clean_insns;
    }
    return 0;
}

size_t rasim_campaign_size(const rasim_scenario *sc)
{
    size_t n = 0;
    for (unsigned i = 0; i < sc->nsweeps; i++)
        n += sweep_size(sc, &sc->sweeps[i]);
    return n;
}

int sc_measure_clean_run(rasim_scenario *sc, char *err, size_t errlen)
{
    bool needed = false;
    for (unsigned i = 0; i < sc->nsweeps; i++)
        needed |= sc->sweeps[i].kind == SC_SWEEP_INSNS;
    if (!needed)
        return 0;
    rasim_machine *m = sc_build(sc, err, errlen);
    if (!m)
        return -1;
    struct rasim_stop stop;
    int rc = sc_setup_call(sc, m, err, errlen);
    if (rc == 0) {
        rasim_run(m, sc->max_insns, &stop);
        if (stop.reason == RASIM_STOP_RETURNED) {
            sc->clean_insns = stop.insns;
        } else {
            char what[512];
            rasim_stop_describe(m, &stop, what, sizeof(what));
            snprintf(err, errlen, "%s: without poison the call does not return: %s", sc->path,
                     what);
            rc = -1;
        }
    }
    rasim_free(m);
    return rc;
}

/* xorshift64*: a small PRNG whose sequence is the same on every machine. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t x = *state ? *state : 0x9e3779b97f4a7c15ull;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545f4914f6cdd1dull;
}

/* Point number `index` of the campaign; without a machine, all but its
 * address (for its label). */
static int point_at(const rasim_scenario *sc, rasim_machine *m, size_t index, struct rasim_point *p,
                    char *err, size_t errlen)
{
    memset(p, 0, sizeof(*p));
    for (unsigned i = 0; i < sc->nsweeps; i++) {
        const struct sc_sweep *w = &sc->sweeps[i];
        size_t n = sweep_size(sc, w);
        if (index >= n) {
            index -= n;
            continue;
        }
        if (w->kind == SC_SWEEP_INSNS) {
            /* One location; the poison arrives after `index` instructions. */
            if (m && sc_eval(sc, m, &w->at, &p->pa, err, errlen) < 0)
                return -1;
            p->tag = w->tag;
            p->timed = true;
            p->insn = index;
            p->offset = w->at.offset;
            snprintf(p->region, sizeof(p->region), "%s", w->at.name);
            snprintf(p->label, sizeof(p->label), "%s+0x%llx%s @insn %zu", w->at.name,
                     (unsigned long long)w->at.offset, w->tag ? " (tag)" : "", index);
            return 0;
        }
        const struct sc_buffer *b = sc_buffer(sc, w->buffer);
        uint64_t off = 0;
        if (w->kind == SC_SWEEP_LINES) {
            off = index * LINE;
        } else {
            uint64_t state = w->seed;
            for (size_t k = 0; k <= index; k++)
                off = next_random(&state) % b->size;
            off &= ~(uint64_t)(LINE - 1); /* a line, as the hardware poisons */
        }
        p->pa = b->pa + off;
        p->tag = w->tag;
        p->offset = off;
        snprintf(p->region, sizeof(p->region), "%s", b->name);
        snprintf(p->label, sizeof(p->label), "%s+0x%llx%s", b->name, (unsigned long long)off,
                 w->tag ? " (tag)" : "");
        return 0;
    }
    return 0;
}

int rasim_campaign_point_index(const rasim_scenario *sc, const char *label, size_t *index)
{
    size_t n = rasim_campaign_size(sc);
    for (size_t i = 0; i < n; i++) {
        struct rasim_point p;
        if (point_at(sc, NULL, i, &p, NULL, 0) == 0 && !strcmp(p.label, label)) {
            *index = i;
            return 0;
        }
    }
    return -1;
}

/* Run points first, first + step ... (below the campaign's size), each from
 * the snapshot taken before a run without poison; traced if asked. */
static int sweep(rasim_scenario *sc, size_t first, size_t step, size_t total,
                 void (*fn)(void *ctx, size_t total, const struct rasim_campaign_run *run),
                 void *ctx, char *err, size_t errlen)
{
    size_t points = rasim_campaign_size(sc);
    if (!points) {
        snprintf(err, errlen, "%s: the scenario declares no campaign sweep", sc->path);
        return -1;
    }
    rasim_machine *m = sc_build(sc, err, errlen);
    if (!m)
        return -1;
    int rc = -1;
    struct rasim_stop stop;
    if (rasim_snapshot(m) < 0) {
        snprintf(err, errlen, "%s: %s", sc->path, rasim_error(m));
        goto out;
    }
    /* Without poison the call must return: otherwise every run would be
     * judged against a routine that does not work at all. */
    if (sc_setup_call(sc, m, err, errlen) < 0)
        goto out;
    rasim_run(m, sc->max_insns, &stop);
    if (stop.reason != RASIM_STOP_RETURNED) {
        char what[640];
        rasim_stop_describe(m, &stop, what, sizeof(what));
        snprintf(err, errlen, "%s: without poison the call does not return: %s", sc->path, what);
        goto out;
    }
    for (size_t i = first; i < points; i += step) {
        struct rasim_campaign_run run;
        memset(&run, 0, sizeof(run));
        run.index = i;
        rasim_restore(m);
        rasim_poison_clear(m);
        if (point_at(sc, m, i, &run.point, err, errlen) < 0 ||
            sc_setup_call(sc, m, err, errlen) < 0)
            goto out;
        struct rasim_poison p = {
            .pa = run.point.pa, .len = 1, .granule = LINE, .tag = run.point.tag};
        if (run.point.timed) {
            p.kind = RASIM_POISON_AT_INSN;
            p.count = rasim_instructions_retired(m) + run.point.insn;
        }
        if (rasim_poison(m, &p) < 0) {
            snprintf(err, errlen, "%s: poison at %s: %s", sc->path, run.point.label,
                     rasim_error(m));
            goto out;
        }
        if (sc_run_traced(sc, m, &stop, err, errlen) < 0)
            goto out;
        sc_classify(sc, m, &stop, &run.result);
        run.accepted = rasim_scenario_accepts(sc, run.result.outcome);
        fn(ctx, total, &run);
    }
    rc = 0;
out:
    rasim_free(m);
    return rc;
}

int rasim_campaign(rasim_scenario *sc, unsigned shard, unsigned nshards,
                   void (*fn)(void *ctx, size_t total, const struct rasim_campaign_run *run),
                   void *ctx, char *err, size_t errlen)
{
    if (!nshards || shard >= nshards) {
        snprintf(err, errlen, "shard %u of %u does not exist", shard + 1, nshards);
        return -1;
    }
    if (sc->trace_spec) {
        snprintf(err, errlen,
                 "%s: a trace is asked for, and tracing every run of a campaign is "
                 "refused: trace one point (rasim_campaign_run_point)",
                 sc->path);
        return -1;
    }
    size_t points = rasim_campaign_size(sc);
    size_t total = points / nshards + (shard < points % nshards);
    return sweep(sc, shard, nshards, total, fn, ctx, err, errlen);
}

static void keep_run(void *ctx, size_t total, const struct rasim_campaign_run *run)
{
    (void)total;
    *(struct rasim_campaign_run *)ctx = *run;
}

int rasim_campaign_run_point(rasim_scenario *sc, size_t index, struct rasim_campaign_run *run,
                             char *err, size_t errlen)
{
    size_t points = rasim_campaign_size(sc);
    if (points && index >= points) {
        snprintf(err, errlen, "%s: campaign point %zu does not exist (0..%zu)", sc->path, index,
                 points - 1);
        return -1;
    }
    memset(run, 0, sizeof(*run));
    return sweep(sc, index, points ? points : 1, 1, keep_run, run, err, errlen);
}
