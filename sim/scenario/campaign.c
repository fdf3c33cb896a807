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

size_t rasim_campaign_size(const rasim_scenario *sc)
{
    size_t n = 0;
    for (unsigned i = 0; i < sc->nsweeps; i++) {
        const struct sc_sweep *w = &sc->sweeps[i];
        n += w->kind == SC_SWEEP_LINES ? lines_in(sc_buffer(sc, w->buffer)->size) : w->count;
    }
    return n;
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

/* Point number `index` of the campaign. */
static void point_at(const rasim_scenario *sc, size_t index, struct rasim_point *p)
{
    memset(p, 0, sizeof(*p));
    for (unsigned i = 0; i < sc->nsweeps; i++) {
        const struct sc_sweep *w = &sc->sweeps[i];
        const struct sc_buffer *b = sc_buffer(sc, w->buffer);
        size_t n = w->kind == SC_SWEEP_LINES ? lines_in(b->size) : w->count;
        if (index >= n) {
            index -= n;
            continue;
        }
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
        return;
    }
}

int rasim_campaign(rasim_scenario *sc, unsigned shard, unsigned nshards,
                   void (*fn)(void *ctx, size_t total, const struct rasim_campaign_run *run),
                   void *ctx, char *err, size_t errlen)
{
    if (!nshards || shard >= nshards) {
        snprintf(err, errlen, "shard %u of %u does not exist", shard + 1, nshards);
        return -1;
    }
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
    size_t total = points / nshards + (shard < points % nshards);
    for (size_t i = shard; i < points; i += nshards) {
        struct rasim_campaign_run run;
        memset(&run, 0, sizeof(run));
        run.index = i;
        point_at(sc, i, &run.point);
        rasim_restore(m);
        rasim_poison_clear(m);
        if (sc_setup_call(sc, m, err, errlen) < 0)
            goto out;
        struct rasim_poison p = {
            .pa = run.point.pa, .len = 1, .granule = LINE, .tag = run.point.tag};
        if (rasim_poison(m, &p) < 0) {
            snprintf(err, errlen, "%s: poison at %s: %s", sc->path, run.point.label,
                     rasim_error(m));
            goto out;
        }
        rasim_run(m, sc->max_insns, &stop);
        sc_classify(sc, m, &stop, &run.result);
        run.accepted = rasim_scenario_accepts(sc, run.result.outcome);
        fn(ctx, total, &run);
    }
    rc = 0;
out:
    rasim_free(m);
    return rc;
}
