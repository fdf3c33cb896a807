/*
 * trace.c - rasim.h events, breakpoints and watchpoints.
 *
 * One struct isa_tracer is attached to the CPU while anything needs it (an
 * event sink, a breakpoint, a watchpoint) and detached otherwise, so an
 * untraced run takes the interpreter's untraced loop. The interpreter
 * reports instructions, accesses, walks, invalidations and exceptions taken
 * to guest vectors; this file adds what only sim/ knows - register changes
 * (by comparing the registers before each instruction with their values
 * before the previous one: the ones ordinary instructions write every
 * time, the system ones only when something could have changed them),
 * poison consumed (new error-log records), the
 * exceptions that went to the kernel model or ended the run, and fixups
 * (sim_trace_after_isa, called by rasim_run).
 */
#include "sim/trace.h"
#include "ras/ras.h"
#include "sim/trace_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct watch {
    uint64_t addr, len;
    unsigned kinds;
    bool physical;
};

/* Who gets events: the rasim.h event sink and the trace being written
 * (trace_writer.c), each with its own kinds, so a trace runs beside the
 * stepper or the gdb server. */
enum { SINK_API, SINK_WRITER, NSINKS };

struct sink {
    unsigned mask;
    rasim_event_fn fn;
    void *ctx;
    sim_trace_keeps_fn keeps; /* NULL: every instruction */
};

struct sim_trace {
    rasim_machine *m;
    struct isa_tracer isa;
    bool attached;

    struct sink sinks[NSINKS];
    unsigned wanted;         /* the kinds any sink asks for (sinks_changed) */
    const struct sink *only; /* the one sink on_insn_only serves, or NULL */
    /* Every sink keeps only some instructions (sim_trace_keeps_fn): the
     * others' register changes need not be followed. */
    bool filtered;
    bool last_kept; /* the instruction begun last is one a sink keeps */

    uint64_t *bps;
    size_t nbps, capbps;
    struct watch *watches;
    size_t nwatches, capwatches;

    /* Register values before the last instruction, for the diff, and the
     * current ones; names[i] NULL for indexes not reported (pc, unused). */
    uint64_t *regs, *now;
    const char **names;
    int nregs, ncommon;
    bool regs_valid;
    /* Compare every register at the next diff, not only the common ones:
     * a system instruction ran, an exception was taken, the machine
     * stepped in between. */
    bool diff_all;
    bool always_all; /* sim_trace_compare_every_register */
    /* The events sent for every instruction, cleared once rather than
     * each time (an event is a few hundred bytes). */
    struct rasim_event insn_ev, reg_ev;

    uint64_t seq;       /* instructions begun since events were turned on */
    uint64_t pc;        /* of the current instruction */
    size_t poison_seen; /* error-log records already reported */
    size_t checks_seen; /* MMU checker warnings already reported */
    bool resuming;      /* the first instruction of a run ignores its breakpoint */
    uint64_t resume_pc;

    bool watch_hit, watch_write;
    uint64_t watch_addr;

    bool async_watch; /* the async store policy is on */
    bool async_due;   /* the last stop was to deliver an asynchronous error */
    bool async_later; /* masked: the next instruction runs first */
};

static const char *const kind_names[RASIM_EV_NKINDS] = {
    [RASIM_EV_INSN] = "insn",     [RASIM_EV_REG] = "reg",     [RASIM_EV_MEM] = "mem",
    [RASIM_EV_WALK] = "walk",     [RASIM_EV_TLBI] = "tlbi",   [RASIM_EV_EXCEPTION] = "exception",
    [RASIM_EV_POISON] = "poison", [RASIM_EV_FIXUP] = "fixup", [RASIM_EV_CHECK] = "check",
};

const char *rasim_event_kind_name(enum rasim_event_kind kind)
{
    return (unsigned)kind < RASIM_EV_NKINDS ? kind_names[kind] : "?";
}

static bool wants(const struct sim_trace *t, enum rasim_event_kind kind)
{
    return (t->wanted & RASIM_EV_BIT(kind)) != 0;
}

/* After the sinks changed: what they want together. Poison records and
 * checker warnings are only followed while someone wants them, so one
 * who starts to now hears of the new ones only. */
static void sinks_changed(struct sim_trace *t)
{
    unsigned was = t->wanted;
    t->wanted = 0;
    t->filtered = true;
    for (int i = 0; i < NSINKS; i++)
        if (t->sinks[i].fn) {
            t->wanted |= t->sinks[i].mask;
            t->filtered &= t->sinks[i].keeps != NULL;
        }
    if (!t->filtered)
        t->last_kept = true; /* a sink keeps everything, from now on */
    if (!(was & RASIM_EV_BIT(RASIM_EV_POISON)))
        t->poison_seen = rasim_error_log_count(t->m);
    if (!(was & RASIM_EV_BIT(RASIM_EV_CHECK)))
        t->checks_seen = rasim_mmu_warning_count(t->m);
}

/* Does a sink keep the instruction at pc, the icount-th? */
static bool kept(const struct sim_trace *t, uint64_t pc, uint64_t icount)
{
    if (!t->filtered)
        return true;
    for (int i = 0; i < NSINKS; i++)
        if (t->sinks[i].fn && t->sinks[i].keeps(t->sinks[i].ctx, pc, icount))
            return true;
    return false;
}

/* ev, numbered and placed, to every sink that wants its kind. */
static void deliver(struct sim_trace *t, const struct rasim_event *ev)
{
    for (int i = 0; i < NSINKS; i++)
        if (t->sinks[i].fn && (t->sinks[i].mask & RASIM_EV_BIT(ev->kind)))
            t->sinks[i].fn(t->sinks[i].ctx, ev);
}

/* An event of the current instruction: of one no sink keeps, none. */
static void emit(struct sim_trace *t, struct rasim_event *ev)
{
    if (!t->last_kept)
        return;
    ev->icount = t->seq;
    ev->pc = t->pc;
    deliver(t, ev);
}

/* ---- register changes ---------------------------------------------------- */

/* The current values of the registers the next diff compares. */
static int read_regs(struct sim_trace *t)
{
    const struct sim_arch *a = t->m->arch;
    a->reg_read_common(t->m->cpu, t->now);
    if (!t->diff_all && !t->always_all && t->regs_valid)
        return t->ncommon;
    for (int i = t->ncommon; i < t->nregs; i++)
        t->now[i] = a->reg_get(t->m->cpu, i);
    t->diff_all = false;
    return t->nregs;
}

static void snapshot_regs(struct sim_trace *t)
{
    t->diff_all = true;
    read_regs(t);
    memcpy(t->regs, t->now, (size_t)t->nregs * sizeof(*t->regs));
    t->regs_valid = true;
}

/* Report what changed since the snapshot, then take a new one. */
static void compare_regs(struct sim_trace *t)
{
    if (!t->regs_valid) {
        snapshot_regs(t);
        return;
    }
    int n = read_regs(t);
    const uint64_t *now = t->now;
    uint64_t *regs = t->regs;
    /* An instruction changes one or two registers: compare four at a time
     * (the arrays are padded to a multiple of four) and look closer only
     * where something differs. */
    for (int base = 0; base < n; base += 4) {
        if (!((now[base] ^ regs[base]) | (now[base + 1] ^ regs[base + 1]) |
              (now[base + 2] ^ regs[base + 2]) | (now[base + 3] ^ regs[base + 3])))
            continue;
        for (int i = base; i < base + 4 && i < n; i++) {
            uint64_t v = now[i];
            if (v == regs[i])
                continue;
            uint64_t old = regs[i];
            regs[i] = v;
            if (!t->names[i])
                continue;
            struct rasim_event *ev = &t->reg_ev;
            ev->reg.name = t->names[i];
            ev->reg.old = old;
            ev->reg.value = v;
            emit(t, ev);
        }
    }
}

/* The same, when someone asks for register changes; else no snapshot
 * either, until someone does. (Inline: most instructions of a trace that
 * wants none come this way, and a call would cost them its prologue.) */
static inline void diff_regs(struct sim_trace *t)
{
    if (wants(t, RASIM_EV_REG) && t->last_kept)
        compare_regs(t);
    else
        t->regs_valid = false; /* a fresh snapshot when one is needed */
}

/* ---- poison, exceptions, fixups ---------------------------------------- */

static void report_poison(struct sim_trace *t)
{
    if (!wants(t, RASIM_EV_POISON))
        return;
    size_t n = rasim_error_log_count(t->m);
    if (n < t->poison_seen)
        t->poison_seen = 0; /* cleared meanwhile (rasim_poison_clear) */
    for (; t->poison_seen < n; t->poison_seen++) {
        struct rasim_event ev = {.kind = RASIM_EV_POISON};
        rasim_error_log_get(t->m, t->poison_seen, &ev.poison);
        emit(t, &ev);
    }
}

static void report_checks(struct sim_trace *t)
{
    if (!wants(t, RASIM_EV_CHECK))
        return;
    size_t n = rasim_mmu_warning_count(t->m);
    if (n < t->checks_seen)
        t->checks_seen = 0; /* cleared meanwhile */
    for (; t->checks_seen < n; t->checks_seen++) {
        struct rasim_event ev = {.kind = RASIM_EV_CHECK};
        rasim_mmu_warning_get(t->m, t->checks_seen, &ev.check);
        emit(t, &ev);
    }
}

static void report_exception(struct sim_trace *t, const struct isa_exception *e, bool taken)
{
    if (!wants(t, RASIM_EV_EXCEPTION))
        return;
    struct rasim_event ev = {.kind = RASIM_EV_EXCEPTION};
    ev.exception.syndrome = e->syndrome;
    ev.exception.addr = e->addr;
    ev.exception.addr_valid = e->addr_valid;
    ev.exception.pa = e->pa;
    ev.exception.pa_valid = e->pa_valid;
    ev.exception.return_pc = e->pc;
    ev.exception.target_level = e->target_el;
    ev.exception.taken = taken;
    sim_syndrome_words(t->m, e->syndrome, ev.exception.text, sizeof(ev.exception.text));
    emit(t, &ev);
}

/* ---- the interpreter's callbacks ------------------------------------------ */

static bool on_insn(void *ctx, uint64_t pc, uint32_t word, unsigned size)
{
    struct sim_trace *t = ctx;
    if (t->async_watch && !t->async_later && sim_async_waiting(t->m)) {
        t->async_due = true; /* deliver it at this boundary, before pc runs */
        return true;
    }
    t->async_later = false;
    diff_regs(t); /* the previous instruction's effects */
    report_poison(t);
    report_checks(t);
    bool resuming = t->resuming && pc == t->resume_pc;
    t->resuming = false;
    if (!resuming)
        for (size_t i = 0; i < t->nbps; i++)
            if (t->bps[i] == pc)
                return true;
    uint64_t seq = ++t->seq;
    t->pc = pc;
    bool closes = t->last_kept; /* this INSN ends the group of a kept one */
    t->last_kept = kept(t, pc, seq);
    if (wants(t, RASIM_EV_REG) && t->last_kept) {
        if (!t->regs_valid)
            snapshot_regs(t); /* after instructions no sink kept */
        if (t->m->arch->insn_writes_system(word))
            t->diff_all = true; /* its effects are compared at the next diff */
    }
    if (wants(t, RASIM_EV_INSN) && (t->last_kept || closes)) {
        /* Numbered from the values at hand: reading back the two just
         * stored, as one, stalls on store forwarding. */
        struct rasim_event *ev = &t->insn_ev;
        ev->icount = seq;
        ev->pc = pc;
        ev->insn.word = word;
        ev->insn.size = size;
        deliver(t, ev);
    }
    return false;
}

/*
 * on_insn when all that is asked is every instruction, by one sink: no
 * registers, accesses or other kinds, no filter, breakpoint, watchpoint or
 * asynchronous delivery to look after (only_insns() says when). The sink
 * gets the same events; the call costs no more than the sink's own.
 */
static bool on_insn_only(void *ctx, uint64_t pc, uint32_t word, unsigned size)
{
    struct sim_trace *t = ctx;
    struct rasim_event *ev = &t->insn_ev;
    ev->icount = ++t->seq;
    ev->pc = pc;
    ev->insn.word = word;
    ev->insn.size = size;
    t->pc = pc;
    t->resuming = false;
    t->only->fn(t->only->ctx, ev);
    return false;
}

/* The sink on_insn_only serves, or NULL when on_insn must run. */
static const struct sink *only_insns(const struct sim_trace *t)
{
    if (t->wanted != RASIM_EV_BIT(RASIM_EV_INSN) || t->filtered || t->nbps || t->nwatches ||
        t->async_watch)
        return NULL;
    const struct sink *only = NULL;
    for (int i = 0; i < NSINKS; i++)
        if (t->sinks[i].fn) {
            if (only || t->sinks[i].keeps)
                return NULL;
            only = &t->sinks[i];
        }
    return only;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

static void on_mem(void *ctx, const struct isa_mem_access *a)
{
    struct sim_trace *t = ctx;
    if (wants(t, RASIM_EV_MEM)) {
        struct rasim_event ev = {.kind = RASIM_EV_MEM};
        ev.mem.va = a->va;
        ev.mem.pa = a->pa;
        ev.mem.size = a->size;
        ev.mem.value = a->value;
        ev.mem.write = a->write;
        ev.mem.tag = a->tag;
        emit(t, &ev);
    }
    for (size_t i = 0; i < t->nwatches && !t->watch_hit; i++) {
        const struct watch *w = &t->watches[i];
        uint64_t at = w->physical ? a->pa : a->va;
        if (!(w->kinds & (a->write ? RASIM_WATCH_WRITE : RASIM_WATCH_READ)) ||
            !overlaps(at, a->size, w->addr, w->len))
            continue;
        t->watch_hit = true;
        t->watch_write = a->write;
        t->watch_addr = at > w->addr ? at : w->addr;
        t->isa.stop_after = true;
    }
}

static void on_walk(void *ctx, const struct mmu_result *r, bool fetch, bool write)
{
    struct sim_trace *t = ctx;
    if (!wants(t, RASIM_EV_WALK))
        return;
    struct rasim_event ev = {.kind = RASIM_EV_WALK};
    ev.walk.va = r->va;
    ev.walk.ok = r->fault == MMU_FAULT_NONE;
    ev.walk.pa = ev.walk.ok ? r->pa : 0;
    ev.walk.size = ev.walk.ok ? r->size : 0;
    ev.walk.fault = ev.walk.ok ? NULL : mmu_fault_word(r->fault);
    ev.walk.level = r->level;
    ev.walk.fetch = fetch;
    ev.walk.write = write;
    ev.walk.nsteps = r->nsteps < 5 ? r->nsteps : 5;
    for (unsigned i = 0; i < ev.walk.nsteps; i++) {
        ev.walk.steps[i].level = r->steps[i].level;
        ev.walk.steps[i].pa = r->steps[i].pa;
        ev.walk.steps[i].desc = r->steps[i].desc;
    }
    emit(t, &ev);
}

static void on_tlbi(void *ctx, const char *text)
{
    struct sim_trace *t = ctx;
    if (!wants(t, RASIM_EV_TLBI))
        return;
    struct rasim_event ev = {.kind = RASIM_EV_TLBI};
    snprintf(ev.tlbi.text, sizeof(ev.tlbi.text), "%s", text);
    emit(t, &ev);
}

static void on_exception(void *ctx, const struct isa_exception *e)
{
    struct sim_trace *t = ctx;
    t->diff_all = true;
    report_poison(t);
    report_exception(t, e, true);
}

/* ---- attaching ------------------------------------------------------------ */

static struct sim_trace *trace_of(rasim_machine *m)
{
    if (!m->trace) {
        struct sim_trace *t = calloc(1, sizeof(*t));
        if (!t)
            return NULL;
        t->m = m;
        t->isa = (struct isa_tracer){.ctx = t,
                                     .insn = on_insn,
                                     .mem = on_mem,
                                     .walk = on_walk,
                                     .tlbi = on_tlbi,
                                     .exception = on_exception};
        t->insn_ev.kind = RASIM_EV_INSN;
        t->reg_ev.kind = RASIM_EV_REG;
        t->nregs = m->arch->reg_count();
        t->ncommon = m->arch->reg_common();
        size_t padded = ((size_t)t->nregs + 3) & ~(size_t)3; /* diff_regs */
        t->regs = calloc(padded, sizeof(*t->regs));
        t->now = calloc(padded, sizeof(*t->now));
        t->names = calloc((size_t)t->nregs, sizeof(*t->names));
        if (!t->regs || !t->now || !t->names) {
            free(t->regs);
            free(t->now);
            free(t->names);
            free(t);
            return NULL;
        }
        for (int i = 0; i < t->nregs; i++) {
            const char *name = m->arch->reg_name(i);
            t->names[i] = name && strcmp(name, "pc") ? name : NULL;
        }
        m->trace = t;
    }
    return m->trace;
}

/* Attach the tracer while something needs it; detach when nothing does. */
static void update_attachment(struct sim_trace *t)
{
    bool need = t->sinks[SINK_API].fn || t->sinks[SINK_WRITER].fn || t->nbps || t->nwatches ||
                t->async_watch;
    /* Accesses, walks and watchpoints need every access on the slow path;
     * instructions, registers and the rest do not. */
    bool every = wants(t, RASIM_EV_MEM) || wants(t, RASIM_EV_WALK) || t->nwatches;
    t->only = only_insns(t);
    t->isa.insn = t->only ? on_insn_only : on_insn;
    if (t->only)
        t->regs_valid = false; /* not kept: a sink that asks for registers later starts afresh */
    if (need != t->attached || (need && every != t->isa.every_access)) {
        t->isa.every_access = every;
        t->m->arch->set_tracer(t->m->cpu, need ? &t->isa : NULL);
        t->attached = need;
    }
}

static int traceable(rasim_machine *m)
{
    if (!RASIM_TRACE_ON)
        return sim_fail(m, SIM_NO_TRACING);
    if (!m->arch->set_tracer)
        return sim_fail(m, "%s: tracing is not available yet on this architecture",
                        rasim_arch_name(m->arch->arch));
    return trace_of(m) ? 0 : sim_fail(m, "out of memory");
}

static int set_sink(rasim_machine *m, int which, unsigned mask, rasim_event_fn fn, void *ctx,
                    sim_trace_keeps_fn keeps)
{
    if (traceable(m) < 0)
        return -1;
    struct sim_trace *t = m->trace;
    t->sinks[which] = (struct sink){fn ? mask : 0, fn, fn ? ctx : NULL, fn ? keeps : NULL};
    /* Events start now - unless the other sink is listening, whose count
     * and register snapshot go on. */
    bool fresh = !t->sinks[!which].fn;
    if (fresh) {
        t->seq = 0;
        t->last_kept = true;   /* the first diff is against the run's start */
        t->regs_valid = false; /* the next run's start takes the snapshot */
        t->wanted = 0;         /* so poison and checks are counted from now */
    }
    sinks_changed(t);
    if (!fresh && !t->regs_valid && wants(t, RASIM_EV_REG))
        snapshot_regs(t); /* the other sink's run goes on: changes from here */
    update_attachment(t);
    return 0;
}

int rasim_set_event_sink(rasim_machine *m, unsigned mask, rasim_event_fn fn, void *ctx)
{
    return set_sink(m, SINK_API, mask, fn, ctx, NULL);
}

int sim_trace_set_writer(rasim_machine *m, unsigned mask, rasim_event_fn fn, void *ctx,
                         sim_trace_keeps_fn keeps)
{
    return set_sink(m, SINK_WRITER, mask, fn, ctx, keeps);
}

int sim_trace_compare_every_register(rasim_machine *m, bool on)
{
    if (traceable(m) < 0)
        return -1;
    m->trace->always_all = on;
    return 0;
}

int rasim_add_breakpoint(rasim_machine *m, uint64_t va)
{
    if (traceable(m) < 0)
        return -1;
    struct sim_trace *t = m->trace;
    for (size_t i = 0; i < t->nbps; i++)
        if (t->bps[i] == va)
            return sim_fail(m, "a breakpoint is already set at 0x%llx", (unsigned long long)va);
    if (t->nbps == t->capbps) {
        size_t cap = t->capbps ? 2 * t->capbps : 8;
        uint64_t *grown = realloc(t->bps, cap * sizeof(*grown));
        if (!grown)
            return sim_fail(m, "out of memory");
        t->bps = grown;
        t->capbps = cap;
    }
    t->bps[t->nbps++] = va;
    update_attachment(t);
    return 0;
}

int rasim_remove_breakpoint(rasim_machine *m, uint64_t va)
{
    struct sim_trace *t = m->trace;
    for (size_t i = 0; t && i < t->nbps; i++)
        if (t->bps[i] == va) {
            t->bps[i] = t->bps[--t->nbps];
            update_attachment(t);
            return 0;
        }
    return sim_fail(m, "no breakpoint at 0x%llx", (unsigned long long)va);
}

int rasim_add_watchpoint(rasim_machine *m, uint64_t addr, uint64_t len, unsigned kinds,
                         bool physical)
{
    if (!len || addr + len < addr || !(kinds & (RASIM_WATCH_READ | RASIM_WATCH_WRITE)) ||
        (kinds & ~(RASIM_WATCH_READ | RASIM_WATCH_WRITE)))
        return sim_fail(m, "a watchpoint needs a length, no wrap, and read and/or write");
    if (traceable(m) < 0)
        return -1;
    struct sim_trace *t = m->trace;
    if (t->nwatches == t->capwatches) {
        size_t cap = t->capwatches ? 2 * t->capwatches : 8;
        struct watch *grown = realloc(t->watches, cap * sizeof(*grown));
        if (!grown)
            return sim_fail(m, "out of memory");
        t->watches = grown;
        t->capwatches = cap;
    }
    t->watches[t->nwatches++] = (struct watch){addr, len, kinds, physical};
    update_attachment(t);
    return 0;
}

int rasim_remove_watchpoint(rasim_machine *m, uint64_t addr, uint64_t len, unsigned kinds,
                            bool physical)
{
    struct sim_trace *t = m->trace;
    for (size_t i = 0; t && i < t->nwatches; i++) {
        const struct watch *w = &t->watches[i];
        if (w->addr == addr && w->len == len && w->kinds == kinds && w->physical == physical) {
            t->watches[i] = t->watches[--t->nwatches];
            update_attachment(t);
            return 0;
        }
    }
    return sim_fail(m, "no such watchpoint at 0x%llx", (unsigned long long)addr);
}

/* ---- rasim_run's side ----------------------------------------------------- */

void sim_trace_run_start(rasim_machine *m)
{
    struct sim_trace *t = m->trace;
    if (!RASIM_TRACE_ON || !t || !t->attached)
        return;
    uint64_t pc = 0;
    rasim_get_reg(m, "pc", &pc);
    t->resuming = true;
    t->resume_pc = pc;
    t->watch_hit = false;
    t->diff_all = true; /* the registers may have been set since */
    if (!t->regs_valid && wants(t, RASIM_EV_REG))
        snapshot_regs(t);
}

void sim_trace_after_isa(rasim_machine *m, const struct isa_stop *s)
{
    struct sim_trace *t = m->trace;
    if (!RASIM_TRACE_ON || !t || !t->attached)
        return;
    t->diff_all = true;
    report_poison(t);
    if (s->reason == ISA_STOP_EXCEPTION)
        report_exception(t, &s->exc, false);
}

void sim_trace_fixup(rasim_machine *m, const struct rasim_fixup *fix)
{
    struct sim_trace *t = m->trace;
    if (!RASIM_TRACE_ON || !t || !t->attached)
        return;
    t->diff_all = true; /* the model moved the PC and set registers */
    if (!wants(t, RASIM_EV_FIXUP))
        return;
    struct rasim_event ev = {.kind = RASIM_EV_FIXUP};
    ev.fixup = *fix;
    emit(t, &ev);
}

void sim_trace_run_end(rasim_machine *m, struct rasim_stop *stop)
{
    struct sim_trace *t = m->trace;
    if (!RASIM_TRACE_ON || !t || !t->attached)
        return;
    t->diff_all = true;
    diff_regs(t); /* the last instruction's effects */
    report_poison(t);
    report_checks(t);
    if (stop->reason == RASIM_STOP_BREAKPOINT && t->watch_hit) {
        stop->watch_hit = true;
        stop->watch_write = t->watch_write;
        stop->watch_addr = t->watch_addr;
    }
    t->watch_hit = false;
    sim_trace_writer_flush(m);
}

int sim_trace_watch_async(rasim_machine *m, bool on)
{
    if (!on && !m->trace)
        return 0;
    if (traceable(m) < 0)
        return -1;
    m->trace->async_watch = on;
    update_attachment(m->trace);
    return 0;
}

void sim_trace_async_later(rasim_machine *m)
{
    if (m->trace) {
        m->trace->async_later = true;
        m->trace->diff_all = true; /* an interrupt may now be pending */
    }
}

bool sim_async_waiting(rasim_machine *m)
{
    return m->async_held || ras_async_pending(m->ras);
}

bool sim_trace_async_due(rasim_machine *m)
{
    if (!RASIM_TRACE_ON || !m->trace || !m->trace->async_due)
        return false;
    m->trace->async_due = false;
    m->trace->diff_all = true; /* delivery writes system registers */
    return true;
}

struct pc_span {
    uint64_t lo, hi;
    bool any;
};

static void span(void *ctx, const struct rasim_event *ev)
{
    struct pc_span *s = ctx;
    if (!s->any || ev->pc < s->lo)
        s->lo = ev->pc;
    if (!s->any || ev->pc > s->hi)
        s->hi = ev->pc;
    s->any = true;
}

int rasim_loop_range(rasim_machine *m, unsigned n, uint64_t *lo, uint64_t *hi)
{
    if (traceable(m) < 0)
        return -1;
    struct sim_trace *t = m->trace;
    /* The sink and the trace, if any, are set aside: this is not part of a
     * run. */
    struct sink saved[NSINKS];
    memcpy(saved, t->sinks, sizeof(saved));
    memset(t->sinks, 0, sizeof(t->sinks));
    struct pc_span s = {0, 0, false};
    t->sinks[SINK_API] = (struct sink){RASIM_EV_BIT(RASIM_EV_INSN), span, &s, NULL};
    sinks_changed(t);
    update_attachment(t);
    struct isa_stop stop;
    uint64_t pc = 0;
    rasim_get_reg(m, "pc", &pc);
    m->arch->run(m->cpu, n, m->sentinel_set ? m->sentinel : UINT64_MAX, &stop);
    memcpy(t->sinks, saved, sizeof(saved));
    sinks_changed(t);
    t->regs_valid = false; /* registers moved on: the next diff starts afresh */
    update_attachment(t);
    *lo = s.any ? s.lo : pc;
    *hi = s.any ? s.hi : pc;
    return 0;
}

void sim_trace_free(rasim_machine *m)
{
    struct sim_trace *t = m->trace;
    if (!t)
        return;
    if (t->attached)
        m->arch->set_tracer(m->cpu, NULL);
    free(t->bps);
    free(t->watches);
    free(t->regs);
    free(t->now);
    free(t->names);
    free(t);
    m->trace = NULL;
}
