/*
 * ras_api.c - rasim.h: poison, the store policy, and the error log with
 * what the machine knows about each consumption.
 */
#include "sim/machine.h"
#include "sim/trace.h"
#include "ras/ras.h"

#include <string.h>

int rasim_poison(rasim_machine *m, const struct rasim_poison *p)
{
    struct ras_injection inj = {
        .pa = p->pa,
        .len = p->len,
        .granule = p->granule ? (enum ras_granule)p->granule : RAS_GRANULE_LINE,
        .storage = p->tag ? RAS_TAG : RAS_DATA,
        .count = p->count,
    };
    switch (p->kind) {
    case RASIM_POISON_PERSISTENT: inj.kind = RAS_PERSISTENT; break;
    case RASIM_POISON_TRANSIENT: inj.kind = RAS_TRANSIENT; break;
    case RASIM_POISON_AFTER: inj.kind = RAS_AFTER; break;
    case RASIM_POISON_AT_INSN: inj.kind = RAS_AT_INSN; break;
    }
    return ras_inject(m->ras, &inj, m->err, sizeof(m->err));
}

void rasim_poison_clear(rasim_machine *m)
{
    ras_reset(m->ras);
    if (m->notes) /* memset's pointer may not be NULL, even for 0 bytes */
        memset(m->notes, 0, m->capnotes * sizeof(*m->notes));
}

struct poison_list {
    void (*fn)(void *ctx, const struct rasim_poison *poison);
    void *ctx;
};

static void list_one(void *ctx, const struct ras_injection *run)
{
    const struct poison_list *l = ctx;
    struct rasim_poison p = {.pa = run->pa,
                             .len = run->len,
                             .granule = 1,
                             .tag = run->storage == RAS_TAG,
                             .count = run->count};
    switch (run->kind) {
    case RAS_PERSISTENT: p.kind = RASIM_POISON_PERSISTENT; break;
    case RAS_TRANSIENT: p.kind = RASIM_POISON_TRANSIENT; break;
    case RAS_AFTER: p.kind = RASIM_POISON_AFTER; break;
    case RAS_AT_INSN: p.kind = RASIM_POISON_AT_INSN; break;
    }
    l->fn(l->ctx, &p);
}

int rasim_poison_list(rasim_machine *m, void (*fn)(void *ctx, const struct rasim_poison *poison),
                      void *ctx)
{
    struct poison_list l = {fn, ctx};
    if (ras_list(m->ras, list_one, &l) < 0)
        return sim_fail(m, "out of host memory");
    return 0;
}

int rasim_set_store_policy(rasim_machine *m, enum rasim_store_policy policy)
{
    /* An asynchronous error is delivered at the next instruction boundary,
     * which only the traced loop stops at (so not in a build without). */
    if (sim_trace_watch_async(m, policy == RASIM_STORE_ASYNC) < 0)
        return -1;
    ras_set_store_policy(m->ras, policy == RASIM_STORE_KEEP    ? RAS_STORE_KEEP
                                 : policy == RASIM_STORE_ASYNC ? RAS_STORE_ASYNC
                                                               : RAS_STORE_CLEAR_FULL_LINE);
    return 0;
}

size_t rasim_error_log_count(const rasim_machine *m)
{
    return ras_log_count(m->ras);
}

static const char *access_name(enum phys_access_kind k)
{
    switch (k) {
    case PHYS_ACC_READ: return "read";
    case PHYS_ACC_WRITE: return "write";
    case PHYS_ACC_FETCH: return "fetch";
    case PHYS_ACC_WALK: return "walk";
    case PHYS_ACC_TAG_READ: return "tag-read";
    case PHYS_ACC_TAG_WRITE: return "tag-write";
    }
    return "?";
}

int rasim_error_log_get(const rasim_machine *m, size_t i, struct rasim_error_record *out)
{
    const struct ras_record *r = ras_log_get(m->ras, i);
    if (!r)
        return -1;
    memset(out, 0, sizeof(*out));
    out->seq = r->seq;
    out->insns = r->clock;
    out->access = access_name(r->access);
    out->pa = r->pa;
    out->tag = r->storage == RAS_TAG;
    out->async = r->async;
    const struct sim_error_note *n = i < m->capnotes ? &m->notes[i] : NULL;
    if (n && n->known) {
        out->pc_known = true;
        out->insns = n->insns;
        out->pc = n->pc;
        out->va = n->va;
        out->va_valid = n->va_valid;
        out->outcome = n->outcome;
    } else {
        out->outcome = r->async ? "asynchronous error pending" : "consumed";
    }
    return 0;
}
