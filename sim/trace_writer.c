/*
 * trace_writer.c - rasim_trace_start/stop: open FORMAT[:PATH], resolve the
 * filter, listen to the machine's events beside its event sink (so the
 * stepper and the gdb server keep theirs), and hand each event (or, for
 * the formats that print per instruction, each whole instruction) to the
 * format.
 *
 * An instruction's events arrive after its INSN event and before the next
 * instruction's (its register changes last, when the next one begins or
 * the run ends), so a grouping format gets an instruction when the next
 * INSN arrives, or at rasim_trace_stop.
 */
#include "sim/trace_writer.h"
#include "sim/trace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct tw_format *const formats[] = {&tw_text, &tw_jsonl, &tw_tarmac, &tw_commitlog};
#define NFORMATS (sizeof(formats) / sizeof(*formats))

bool tw_keeps(const struct tw *w, enum rasim_event_kind kind)
{
    return (w->kinds & RASIM_EV_BIT(kind)) != 0;
}

/* An instruction's text, from its encoding alone: false if not in the
 * subset the interpreter runs. */
static bool disasm(const struct tw *w, uint32_t word, uint64_t pc, char *buf, size_t len)
{
    bool known = false;
    buf[0] = '\0';
    w->m->arch->disasm(word, pc, buf, len, &known);
    for (char *c = buf; *c; c++) /* llvm-objdump's tab after the mnemonic */
        if (*c == '\t')
            *c = ' ';
    return known;
}

enum { TEXTS = 4096 }; /* tw_insn_text's cache: ~1.2 MiB, touched as used */

const struct tw_insn_text *tw_insn_text(struct tw *w, uint64_t pc, uint32_t word)
{
    size_t images = rasim_image_count(w->m);
    if (w->texts_images != images) {
        memset(w->texts, 0, TEXTS * sizeof(*w->texts));
        w->texts_images = images;
    }
    /* PCs are 2-byte aligned at least (RV64C); fold in the page bits too,
     * so code at the same offset in different pages spreads. */
    struct tw_insn_text *t = &w->texts[(pc >> 1 ^ pc >> 13) & (TEXTS - 1)];
    if (t->filled && t->pc == pc && t->word == word)
        return t;
    t->pc = pc;
    t->word = word;
    t->filled = true;
    rasim_describe(w->m, pc, t->sym, sizeof(t->sym));
    t->known = disasm(w, word, pc, t->text, sizeof(t->text));
    return t;
}

unsigned tw_mem_bytes(const struct tw *w, const struct rasim_event *e, uint8_t out[16])
{
    unsigned n = e->mem.tag ? 1 : e->mem.size < 16 ? e->mem.size : 16;
    if (n > 8 && rasim_read_phys(w->m, e->mem.pa, out, n) == 0)
        return n;
    for (unsigned i = 0; i < 8; i++)
        out[i] = (uint8_t)(e->mem.value >> (8 * i));
    return n < 8 ? n : 8;
}

void tw_hex(const uint8_t *bytes, unsigned n, bool pad, char *buf, size_t len)
{
    size_t at = (size_t)snprintf(buf, len, "0x");
    bool lead = !pad;
    for (unsigned i = n; i-- > 0 && at + 3 <= len;) {
        if (lead && bytes[i] == 0 && i > 0)
            continue;
        at += (size_t)snprintf(buf + at, len - at, lead ? "%x" : "%02x", bytes[i]);
        lead = false;
    }
    if (!n && at + 2 <= len)
        snprintf(buf + at, len - at, "0");
}

unsigned tw_mask(const struct tw *w)
{
    return w->kinds | w->fmt->always;
}

/* ---- the filter ------------------------------------------------------------ */

static bool in_ranges(const struct tw *w, uint64_t pc)
{
    if (!w->nranges)
        return true;
    for (size_t i = 0; i < w->nranges; i++)
        if (pc >= w->ranges[i].lo && pc < w->ranges[i].hi)
            return true;
    return false;
}

static bool keeps_insn(const struct tw *w, uint64_t pc, uint64_t icount)
{
    return in_ranges(w, pc) && (!w->window || (icount >= w->from && icount <= w->to));
}

/* The filter, for the tracer (sim_trace_keeps_fn): handed over only when
 * there is one, so that a trace keeping everything costs no call. */
static bool keeps_for_tracer(void *w, uint64_t pc, uint64_t icount)
{
    return keeps_insn(w, pc, icount);
}

static int add_range(struct tw *w, uint64_t lo, uint64_t hi)
{
    struct rasim_trace_range *grown = realloc(w->ranges, (w->nranges + 1) * sizeof(*grown));
    if (!grown)
        return sim_fail(w->m, "out of memory");
    w->ranges = grown;
    w->ranges[w->nranges++] = (struct rasim_trace_range){lo, hi};
    return 0;
}

/* Where a symbol without a size ends: the next symbol of its image, or
 * the end of its section (as `rasim disasm` reads it). 0 if neither. */
static uint64_t end_of(rasim_machine *m, size_t img, uint64_t va)
{
    uint64_t end = 0;
    struct rasim_image_info info;
    rasim_image_info(m, img, &info);
    for (size_t i = 0; i < info.nsections; i++) {
        struct rasim_section sec;
        if (rasim_image_section(m, img, i, &sec) == 0 && va >= sec.va && va - sec.va < sec.size)
            end = sec.va + sec.size;
    }
    for (size_t i = 0; i < info.nsymbols; i++) {
        struct rasim_symbol o;
        if (rasim_image_symbol(m, img, i, &o) == 0 && o.va > va && (!end || o.va < end))
            end = o.va;
    }
    return end;
}

static int add_symbol(struct tw *w, const char *name)
{
    rasim_machine *m = w->m;
    uint64_t va, end = 0;
    if (rasim_lookup_symbol(m, name, &va) < 0)
        return sim_fail(m, "trace symbol '%s': no such symbol in the loaded images", name);
    for (size_t img = 0; img < rasim_image_count(m) && !end; img++) {
        struct rasim_image_info info;
        rasim_image_info(m, img, &info);
        for (size_t i = 0; i < info.nsymbols && !end; i++) {
            struct rasim_symbol s;
            if (rasim_image_symbol(m, img, i, &s) == 0 && s.va == va && !strcmp(s.name, name))
                end = s.size ? va + s.size : end_of(m, img, va);
        }
    }
    if (end <= va)
        return sim_fail(m, "trace symbol '%s' has no size and nothing follows it", name);
    if (add_range(w, va, end) < 0)
        return -1;
    /* Code runs where the image was placed when the MMU is off. */
    uint64_t pa;
    if (rasim_image_va_to_pa(m, va, &pa) == 0 && pa != va)
        return add_range(w, pa, pa + (end - va));
    return 0;
}

static int set_filter(struct tw *w, const struct rasim_trace_filter *f)
{
    w->kinds = RASIM_EV_ALL;
    if (!f)
        return 0;
    if (f->kinds & ~(unsigned)RASIM_EV_ALL)
        return sim_fail(w->m, "trace kinds 0x%x: no such event kind", f->kinds);
    if (f->kinds)
        w->kinds = f->kinds;
    if (f->window && f->from > f->to)
        return sim_fail(w->m, "trace window %llu-%llu is empty", (unsigned long long)f->from,
                        (unsigned long long)f->to);
    w->window = f->window;
    w->from = f->from;
    w->to = f->to;
    for (size_t i = 0; i < f->nranges; i++) {
        if (f->ranges[i].lo >= f->ranges[i].hi)
            return sim_fail(w->m, "trace range 0x%llx-0x%llx is empty",
                            (unsigned long long)f->ranges[i].lo,
                            (unsigned long long)f->ranges[i].hi);
        if (add_range(w, f->ranges[i].lo, f->ranges[i].hi) < 0)
            return -1;
    }
    for (size_t i = 0; i < f->nsymbols; i++)
        if (add_symbol(w, f->symbols[i]) < 0)
            return -1;
    return 0;
}

/* ---- opening and closing ------------------------------------------------- */

static const struct tw_format *format_named(const char *name, size_t len)
{
    for (size_t i = 0; i < NFORMATS; i++)
        if (strlen(formats[i]->name) == len && !strncmp(formats[i]->name, name, len))
            return formats[i];
    return NULL;
}

static void free_tw(struct tw *w)
{
    free(w->texts);
    free(w->ranges);
    free(w->held);
    free(w);
}

struct tw *tw_open(rasim_machine *m, const char *spec, const struct rasim_trace_filter *filter)
{
    if (!spec || !*spec) {
        sim_fail(m, "trace format missing (expected text, jsonl, tarmac or commitlog)");
        return NULL;
    }
    const char *colon = strchr(spec, ':');
    size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
    const struct tw_format *fmt = format_named(spec, len);
    if (!fmt) {
        sim_fail(m, "trace format '%.*s' is unknown (expected text, jsonl, tarmac or commitlog)",
                 (int)len, spec);
        return NULL;
    }
    if (fmt->arch != RASIM_ARCH_NONE && fmt->arch != m->arch->arch) {
        sim_fail(m, "trace format '%s' is for %s machines, and this one is %s", fmt->name,
                 rasim_arch_name(fmt->arch), rasim_arch_name(m->arch->arch));
        return NULL;
    }
    const char *path = colon ? colon + 1 : NULL;
    if (path && !*path) {
        sim_fail(m, "trace path is empty in '%s' (expected FORMAT or FORMAT:PATH)", spec);
        return NULL;
    }
    struct tw *w = calloc(1, sizeof(*w));
    if (!w) {
        sim_fail(m, "out of memory");
        return NULL;
    }
    w->m = m;
    w->fmt = fmt;
    w->texts = calloc(TEXTS, sizeof(*w->texts));
    if (!w->texts) {
        sim_fail(m, "out of memory");
        free(w);
        return NULL;
    }
    w->texts_images = rasim_image_count(m);
    if (set_filter(w, filter) < 0) {
        free_tw(w);
        return NULL;
    }
    if (path && strcmp(path, "-")) {
        w->out = fopen(path, "w");
        if (!w->out) {
            sim_fail(m, "trace path '%s': %s", path, strerror(errno));
            free_tw(w);
            return NULL;
        }
        w->own_out = true;
    } else {
        w->out = stdout;
    }
    w->color = isatty(fileno(w->out)) && !getenv("NO_COLOR");
    if (fmt->open && fmt->open(w) < 0) {
        if (w->own_out)
            fclose(w->out);
        free_tw(w);
        return NULL;
    }
    return w;
}

/* ---- instructions, whole ------------------------------------------------- */

static const char *keep(char *dst, size_t size, const char *src)
{
    if (!src)
        return NULL;
    snprintf(dst, size, "%s", src);
    return dst;
}

static void hold(struct tw *w, const struct rasim_event *ev)
{
    if (w->nheld == w->capheld) {
        size_t cap = w->capheld ? 2 * w->capheld : 32;
        struct tw_held *grown = realloc(w->held, cap * sizeof(*grown));
        if (!grown) {
            w->failed = true;
            return;
        }
        w->held = grown;
        w->capheld = cap;
    }
    struct tw_held *h = &w->held[w->nheld++];
    h->ev = *ev;
    h->nbytes = ev->kind == RASIM_EV_MEM ? tw_mem_bytes(w, ev, h->bytes) : 0;
    switch (ev->kind) {
    case RASIM_EV_REG: h->ev.reg.name = keep(h->s0, sizeof(h->s0), ev->reg.name); break;
    case RASIM_EV_WALK: h->ev.walk.fault = keep(h->s0, sizeof(h->s0), ev->walk.fault); break;
    case RASIM_EV_CHECK: h->ev.check.kind = keep(h->s0, sizeof(h->s0), ev->check.kind); break;
    case RASIM_EV_POISON:
        h->ev.poison.access = keep(h->s0, sizeof(h->s0), ev->poison.access);
        h->ev.poison.outcome = keep(h->s4, sizeof(h->s4), ev->poison.outcome);
        break;
    case RASIM_EV_FIXUP:
        h->ev.fixup.type_name = keep(h->s0, sizeof(h->s0), ev->fixup.type_name);
        h->ev.fixup.exception = keep(h->s1, sizeof(h->s1), ev->fixup.exception);
        for (int i = 0; i < 2; i++)
            h->ev.fixup.reg[i] = keep(i ? h->s3 : h->s2, sizeof(h->s2), ev->fixup.reg[i]);
        break;
    default: break;
    }
}

/* The held strings live in the held array, which may have moved since. */
static void retarget(struct tw_held *h)
{
    const struct rasim_event *e = &h->ev;
    switch (e->kind) {
    case RASIM_EV_REG: h->ev.reg.name = e->reg.name ? h->s0 : NULL; break;
    case RASIM_EV_WALK: h->ev.walk.fault = e->walk.fault ? h->s0 : NULL; break;
    case RASIM_EV_CHECK: h->ev.check.kind = e->check.kind ? h->s0 : NULL; break;
    case RASIM_EV_POISON:
        h->ev.poison.access = e->poison.access ? h->s0 : NULL;
        h->ev.poison.outcome = e->poison.outcome ? h->s4 : NULL;
        break;
    case RASIM_EV_FIXUP:
        h->ev.fixup.type_name = e->fixup.type_name ? h->s0 : NULL;
        h->ev.fixup.exception = e->fixup.exception ? h->s1 : NULL;
        h->ev.fixup.reg[0] = e->fixup.reg[0] ? h->s2 : NULL;
        h->ev.fixup.reg[1] = e->fixup.reg[1] ? h->s3 : NULL;
        break;
    default: break;
    }
}

static void flush(struct tw *w, bool next_known, uint64_t next_pc)
{
    if (!w->have_insn && !w->nheld)
        return;
    const struct rasim_event *first = w->have_insn ? &w->insn : &w->held[0].ev;
    if (keeps_insn(w, first->pc, first->icount)) {
        for (size_t i = 0; i < w->nheld; i++)
            retarget(&w->held[i]);
        struct tw_insn g = {
            .insn = w->have_insn ? &w->insn : NULL,
            .ev = w->held,
            .n = w->nheld,
            .next_known = next_known,
            .next_pc = next_pc,
        };
        w->fmt->insn(w, &g);
    }
    w->have_insn = false;
    w->nheld = 0;
}

void tw_event(void *ctx, const struct rasim_event *ev)
{
    struct tw *w = ctx;
    if (w->fmt->event) {
        if (tw_keeps(w, ev->kind) && keeps_insn(w, ev->pc, ev->icount))
            w->fmt->event(w, ev);
        return;
    }
    if (ev->kind == RASIM_EV_INSN) {
        flush(w, true, ev->pc);
        w->insn = *ev;
        w->have_insn = true;
        return;
    }
    /* Every event carries its instruction's pc and icount: one the filter
     * drops need not wait for its group (whose INSN may not come). */
    if (!keeps_insn(w, ev->pc, ev->icount))
        return;
    hold(w, ev);
}

int tw_close(struct tw *w)
{
    rasim_machine *m = w->m;
    if (!w->fmt->event)
        flush(w, false, 0);
    if (w->fmt->close)
        w->fmt->close(w);
    bool bad = fflush(w->out) != 0 || ferror(w->out);
    if (w->own_out && fclose(w->out) != 0)
        bad = true;
    bool lost = w->failed;
    free_tw(w);
    if (lost)
        return sim_fail(m, "trace: out of memory, events were lost");
    if (bad)
        return sim_fail(m, "trace: writing failed: %s", strerror(errno));
    return 0;
}

/* ---- rasim.h ----------------------------------------------------------------- */

int rasim_trace_start(rasim_machine *m, const char *spec, const struct rasim_trace_filter *filter)
{
    if (m->writer)
        return sim_fail(m, "a trace is already running (rasim_trace_stop it first)");
    if (!RASIM_TRACE_ON)
        return sim_fail(m, SIM_NO_TRACING);
    if (!m->arch->set_tracer)
        return sim_fail(m, "%s: tracing is not available yet on this architecture",
                        rasim_arch_name(m->arch->arch));
    struct tw *w = tw_open(m, spec, filter);
    if (!w)
        return -1;
    bool filtered = w->nranges || w->window;
    if (sim_trace_set_writer(m, tw_mask(w), tw_event, w, filtered ? keeps_for_tracer : NULL) < 0) {
        char why[sizeof(m->err)];
        snprintf(why, sizeof(why), "%s", rasim_error(m));
        tw_close(w);
        return sim_fail(m, "%s", why);
    }
    m->writer = w;
    return 0;
}

int rasim_trace_stop(rasim_machine *m)
{
    struct tw *w = m->writer;
    if (!w)
        return sim_fail(m, "no trace is running");
    sim_trace_set_writer(m, 0, NULL, NULL, NULL);
    m->writer = NULL;
    return tw_close(w);
}

void sim_trace_writer_flush(rasim_machine *m)
{
    struct tw *w = m->writer;
    if (w && w->fmt->flush)
        w->fmt->flush(w);
}

void sim_trace_writer_free(rasim_machine *m)
{
    if (m->writer)
        rasim_trace_stop(m);
}
