/*
 * trace_text.c - the "text" trace: one aligned line per event, for people.
 *
 *        1  insn       rasim_memcpy_mc+0x0               00c6b7b3  sltu a5, a3, a2
 *        1  reg        a5         0x0000000000000001  (was 0x0000000000000000)
 *        9  mem        read  8  va 0x0000000090000000  pa 0x0000000090000000  0x...
 *
 * Columns: the instruction count, the event kind, then the kind's fields
 * (docs/traces.md). ANSI colours only when the trace goes to a terminal.
 *
 * The lines every instruction brings (insn, reg, mem) are put together by
 * hand, in place, in an output buffer of the format's own: with printf,
 * formatting was most of the time a traced run took. An insn line is the
 * count column and a tail that depends on the PC and the word alone,
 * made once per PC (struct tail). The rare kinds keep printf, after the
 * buffer is written out.
 */
#include "sim/trace_writer.h"

#include <stdlib.h>
#include <string.h>

/* Everything of an insn line after the count column, for one PC and word
 * (and the images loaded then: the symbol may change with them). */
struct tail {
    uint64_t pc;
    uint32_t word;
    bool filled;
    size_t images;
    size_t len;
    char text[480]; /* colours, kind, symbol, encoding, disassembly (see insn_tail) */
};
#define TAILS 1024 /* direct-mapped by PC, as tw_insn_text */

/* The format's state: pending output, the count column of the
 * instruction whose lines are being written (it repeats on each), and the
 * insn line tails. */
struct text {
    size_t n;
    char out[64 * 1024];
    bool have_count;
    uint64_t count;
    size_t count_len;
    size_t count_last_digit; /* where in count_text the count's last digit is */
    char count_text[64];
    /* The kind column of each kind (colours, name, padding), made at open. */
    size_t kind_len[RASIM_EV_NKINDS];
    char kind_text[RASIM_EV_NKINDS][48];
    struct tail tails[TAILS];
};

static void make_kind_columns(struct tw *w);

static int text_open(struct tw *w)
{
    w->state = calloc(1, sizeof(struct text));
    if (!w->state)
        return sim_fail(w->m, "out of memory");
    make_kind_columns(w);
    return 0;
}

static void write_out(struct tw *w)
{
    struct text *s = w->state;
    fwrite(s->out, 1, s->n, w->out);
    s->n = 0;
}

static void text_close(struct tw *w)
{
    write_out(w);
    free(w->state);
    w->state = NULL;
}

/* A line being put together, in place: at most TEXT_LINE_MAX bytes of buf (a
 * part that would not fit is cut short; the longest line the fast kinds
 * make is under TEXT_LINE_MAX - 1, which keeps room for the newline). */
#define TEXT_LINE_MAX 640
struct line {
    size_t n;
    char *buf;
};

static void put(struct line *l, const char *s, size_t n)
{
    if (n > TEXT_LINE_MAX - 1 - l->n)
        n = TEXT_LINE_MAX - 1 - l->n;
    memcpy(l->buf + l->n, s, n);
    l->n += n;
}

/* put() for a source that may be read up to 15 bytes past n (an array of
 * the format's own), in 16-byte pieces: a memcpy whose size the compiler
 * can bound but not know becomes rep movsq, whose start-up cost was a fifth
 * of a traced run at these lengths. */
static void put_cached(struct line *l, const char *s, size_t n)
{
    if (l->n + n + 16 > TEXT_LINE_MAX - 1) {
        put(l, s, n);
        return;
    }
    for (size_t i = 0; i < n; i += 16)
        memcpy(l->buf + l->n + i, s + i, 16);
    l->n += n;
}

static void put_str(struct line *l, const char *s)
{
    put(l, s, strlen(s));
}

/* s, then spaces up to width (printf's %-*s). */
static void put_left(struct line *l, const char *s, size_t width)
{
    size_t n = strlen(s);
    put(l, s, n);
    for (; n < width && l->n < TEXT_LINE_MAX - 1; n++)
        l->buf[l->n++] = ' ';
}

/* v in decimal, right-aligned in width (printf's %*llu). */
static void put_dec(struct line *l, uint64_t v, size_t width)
{
    char digits[20];
    size_t n = 0;
    do {
        digits[sizeof(digits) - ++n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t pad = n; pad < width && l->n < TEXT_LINE_MAX - 1; pad++)
        l->buf[l->n++] = ' ';
    put(l, digits + sizeof(digits) - n, n);
}

/* The low digits hex digits of v, zero-padded (printf's %0*llx). */
static void put_hex(struct line *l, uint64_t v, unsigned digits)
{
    static const char hex[] = "0123456789abcdef";
    char out[16];
    for (unsigned i = digits; i-- > 0; v >>= 4)
        out[i] = hex[v & 15];
    put(l, out, digits);
}

/* A line starts where the pending output ends, with room for the longest. */
static struct line begin_line(struct tw *w)
{
    struct text *s = w->state;
    if (sizeof(s->out) - s->n < TEXT_LINE_MAX)
        write_out(w);
    return (struct line){0, s->out + s->n};
}

static void end_line(struct tw *w, struct line *l)
{
    struct text *s = w->state;
    l->buf[l->n++] = '\n'; /* put() kept room for it */
    s->n += l->n;
}

enum { DIM, BOLD, CYAN, YELLOW, RED, MAGENTA, BLUE, OFF };
static const char *const ansi[] = {"\033[2m",  "\033[1m",  "\033[36m", "\033[33m",
                                   "\033[31m", "\033[35m", "\033[34m", "\033[0m"};

static const char *paint(const struct tw *w, int colour)
{
    return w->color ? ansi[colour] : "";
}

static int kind_colour(enum rasim_event_kind kind)
{
    switch (kind) {
    case RASIM_EV_INSN: return BOLD;
    case RASIM_EV_REG: return DIM;
    case RASIM_EV_MEM: return YELLOW;
    case RASIM_EV_WALK:
    case RASIM_EV_TLBI: return BLUE;
    case RASIM_EV_EXCEPTION:
    case RASIM_EV_POISON:
    case RASIM_EV_CHECK: return RED;
    case RASIM_EV_FIXUP: return MAGENTA;
    case RASIM_EV_NKINDS: break;
    }
    return OFF;
}

static bool a64(const struct tw *w)
{
    return w->m->arch->arch == RASIM_ARCH_AARCH64;
}

/* The kind column: its colour, the name left-aligned in 9, two spaces. */
static void make_kind_columns(struct tw *w)
{
    struct text *s = w->state;
    for (int kind = 0; kind < RASIM_EV_NKINDS; kind++) {
        char buf[TEXT_LINE_MAX];
        struct line l = {0, buf};
        put_str(&l, paint(w, kind_colour((enum rasim_event_kind)kind)));
        put_left(&l, rasim_event_kind_name((enum rasim_event_kind)kind), 9);
        put_str(&l, paint(w, OFF));
        put(&l, "  ", 2);
        _Static_assert(sizeof(s->kind_text[0]) >= 16 + 5 + 9 + 4 + 2, "a kind column fits");
        s->kind_len[kind] = l.n;
        memcpy(s->kind_text[kind], buf, l.n);
    }
}

static void put_kind(struct tw *w, struct line *l, enum rasim_event_kind kind)
{
    struct text *s = w->state;
    put_cached(l, s->kind_text[kind], s->kind_len[kind]);
}

/* The insn line after its kind column. */
static void insn_line(struct tw *w, struct line *l, const struct rasim_event *e)
{
    const struct tw_insn_text *t = tw_insn_text(w, e->pc, e->insn.word);
    put_str(l, paint(w, CYAN));
    put_left(l, t->sym, 32);
    put_str(l, paint(w, OFF));
    put(l, "  ", 2);
    if (e->insn.size == 2) {
        put_hex(l, e->insn.word & 0xffff, 4);
        put(l, "    ", 4);
    } else {
        put_hex(l, e->insn.word, 8);
    }
    put(l, "  ", 2);
    put_str(l, t->text);
    if (!t->known)
        put_str(l, "  (not in the interpreted subset)");
}

static void reg_line(struct line *l, const struct rasim_event *e)
{
    put_left(l, e->reg.name, 10);
    put(l, " 0x", 3);
    put_hex(l, e->reg.value, 16);
    put(l, "  (was 0x", 9);
    put_hex(l, e->reg.old, 16);
    put(l, ")", 1);
}

static void mem_line(struct tw *w, struct line *l, const struct rasim_event *e)
{
    const char *what =
        e->mem.tag ? (e->mem.write ? "tag-write" : "tag-read") : (e->mem.write ? "write" : "read");
    uint8_t bytes[16];
    unsigned n = tw_mem_bytes(w, e, bytes);
    put_left(l, what, 9);
    put(l, " ", 1);
    put_dec(l, e->mem.size, 0);
    put(l, "  va 0x", 7);
    put_hex(l, e->mem.va, 16);
    put(l, "  pa 0x", 7);
    put_hex(l, e->mem.pa, 16);
    put(l, "  0x", 4);
    if (e->mem.tag) {
        put_hex(l, bytes[0] & 0xf, 1);
        return;
    }
    for (unsigned i = n; i-- > 0;) /* most significant first, two digits a byte */
        put_hex(l, bytes[i], 2);
}

static void walk_line(struct tw *w, const struct rasim_event *e)
{
    const char *what = e->walk.fetch ? "fetch" : e->walk.write ? "write" : "read";
    fprintf(w->out, "%-5s va 0x%016llx -> ", what, (unsigned long long)e->walk.va);
    if (e->walk.ok)
        fprintf(w->out, "pa 0x%016llx  size 0x%llx  level %d", (unsigned long long)e->walk.pa,
                (unsigned long long)e->walk.size, e->walk.level);
    else
        fprintf(w->out, "%s%s fault%s  level %d", paint(w, RED),
                e->walk.fault ? e->walk.fault : "?", paint(w, OFF), e->walk.level);
    for (unsigned i = 0; i < e->walk.nsteps; i++)
        fprintf(w->out, "  | L%d 0x%llx: 0x%016llx", e->walk.steps[i].level,
                (unsigned long long)e->walk.steps[i].pa, (unsigned long long)e->walk.steps[i].desc);
}

static void exception_line(struct tw *w, const struct rasim_event *e)
{
    char ret[160];
    rasim_describe(w->m, e->exception.return_pc, ret, sizeof(ret));
    fprintf(w->out, "%s%s%s  %s 0x%llx", paint(w, RED), e->exception.text, paint(w, OFF),
            a64(w) ? "ESR" : "scause", (unsigned long long)e->exception.syndrome);
    if (e->exception.addr_valid)
        fprintf(w->out, "  %s 0x%llx", a64(w) ? "FAR" : "stval",
                (unsigned long long)e->exception.addr);
    if (e->exception.pa_valid)
        fprintf(w->out, "  pa 0x%llx", (unsigned long long)e->exception.pa);
    fprintf(w->out, "  %s %s", a64(w) ? "ELR" : "epc", ret);
    if (!e->exception.taken)
        fputs("  -> no guest vector: the kernel model, or the end of the run", w->out);
    else if (a64(w))
        fprintf(w->out, "  -> taken to EL%u", e->exception.target_level);
    else
        fprintf(w->out, "  -> taken to %s-mode",
                e->exception.target_level == 3   ? "M"
                : e->exception.target_level == 1 ? "S"
                                                 : "U");
}

static void poison_line(struct tw *w, const struct rasim_event *e)
{
    const struct rasim_error_record *p = &e->poison;
    fprintf(w->out, "%s%s%s pa 0x%llx", paint(w, RED), p->access ? p->access : "?", paint(w, OFF),
            (unsigned long long)p->pa);
    if (p->va_valid)
        fprintf(w->out, "  va 0x%llx", (unsigned long long)p->va);
    if (p->tag)
        fputs("  in tag storage", w->out);
    if (p->async)
        fputs("  async", w->out);
    if (p->outcome && p->outcome[0])
        fprintf(w->out, "  -> %s", p->outcome);
}

static void fixup_line(struct tw *w, const struct rasim_event *e)
{
    const struct rasim_fixup *f = &e->fixup;
    char insn[160], to[160];
    rasim_describe(w->m, f->insn, insn, sizeof(insn));
    rasim_describe(w->m, f->fixup, to, sizeof(to));
    fprintf(w->out, "%s -> %s%s%s  %s(%u)  %s", insn, paint(w, MAGENTA), to, paint(w, OFF),
            f->type_name ? f->type_name : "?", f->type, f->exception ? f->exception : "?");
    for (int r = 0; r < f->nregs && r < 2; r++) {
        if (f->value[r] == (uint64_t)-14)
            fprintf(w->out, "  %s=-EFAULT", f->reg[r]);
        else
            fprintf(w->out, "  %s=0x%llx", f->reg[r], (unsigned long long)f->value[r]);
    }
    if (f->fault_addr_valid)
        fprintf(w->out, "  va 0x%llx", (unsigned long long)f->fault_addr);
    if (f->pa_valid)
        fprintf(w->out, "  pa 0x%llx", (unsigned long long)f->pa);
    if (f->memory_failure)
        fprintf(w->out, "  memory_failure(pfn=0x%llx)", (unsigned long long)f->pfn);
}

/* The tail of the insn line at e's PC, made once (struct tail). */
static const struct tail *insn_tail(struct tw *w, const struct rasim_event *e)
{
    struct text *s = w->state;
    size_t images = rasim_image_count(w->m);
    struct tail *t = &s->tails[(e->pc >> 1 ^ e->pc >> 13) & (TAILS - 1)];
    if (t->filled && t->pc == e->pc && t->word == e->insn.word && t->images == images)
        return t; /* (the word decides the size: 2 bytes only for a compressed RV64 one) */
    char buf[TEXT_LINE_MAX];
    struct line l = {0, buf};
    put_kind(w, &l, RASIM_EV_INSN);
    insn_line(w, &l, e);
    /* The longest tail: colours, kind, symbol padded, encoding, text and
     * the subset note; put_cached reads 16 bytes on. */
    _Static_assert(sizeof(t->text) - 16 >= 2 * 9 + 11 + sizeof(((struct tw_insn_text *)0)->sym) +
                                               2 + 12 + 2 +
                                               sizeof(((struct tw_insn_text *)0)->text) + 34,
                   "an insn line's tail fits");
    t->len = l.n < sizeof(t->text) - 16 ? l.n : sizeof(t->text) - 16; /* (never cut: above) */
    memcpy(t->text, buf, t->len);
    t->pc = e->pc;
    t->word = e->insn.word;
    t->images = images;
    t->filled = true;
    return t;
}

/* The count column of the previous instruction, for the next one: add
 * one to the digits in place. false when a digit more does not fit in
 * the padding. */
static bool count_next(struct text *s)
{
    for (size_t at = s->count_last_digit;; at--) {
        char *c = &s->count_text[at];
        if (*c == '9') {
            *c = '0';
            if (at == 0)
                return false;
            continue;
        }
        if (*c >= '0' && *c <= '8')
            ++*c;
        else if (*c == ' ')
            *c = '1';
        else
            return false; /* no padding left (or a colour code before it) */
        return true;
    }
}

/* The count column of the instruction e belongs to, made when the count
 * changes: one more than the last in place, anything else afresh. */
static void count_column(struct tw *w, const struct rasim_event *e)
{
    struct text *s = w->state;
    if (s->have_count && s->count == e->icount)
        return;
    if (s->have_count && e->icount == s->count + 1 && count_next(s)) {
        s->count = e->icount;
        return;
    }
    char buf[TEXT_LINE_MAX];
    struct line c = {0, buf};
    put_str(&c, paint(w, DIM));
    put_dec(&c, e->icount, 8);
    s->count_last_digit = c.n - 1;
    put_str(&c, paint(w, OFF));
    put(&c, "  ", 2);
    s->count_len = c.n < sizeof(s->count_text) - 16 ? c.n : sizeof(s->count_text) - 16;
    memcpy(s->count_text, buf, s->count_len);
    s->count = e->icount;
    s->have_count = true;
}

static void text_event(struct tw *w, const struct rasim_event *e)
{
    struct text *s = w->state;
    count_column(w, e);
    if (e->kind == RASIM_EV_INSN || e->kind == RASIM_EV_REG || e->kind == RASIM_EV_MEM) {
        struct line l = begin_line(w);
        put_cached(&l, s->count_text, s->count_len);
        if (e->kind == RASIM_EV_INSN) {
            const struct tail *t = insn_tail(w, e);
            put_cached(&l, t->text, t->len);
        } else {
            put_kind(w, &l, e->kind);
            if (e->kind == RASIM_EV_REG)
                reg_line(&l, e);
            else
                mem_line(w, &l, e);
        }
        end_line(w, &l);
        return;
    }
    write_out(w); /* what is pending first: the rest go through printf */
    char buf[TEXT_LINE_MAX];
    struct line l = {0, buf};
    put(&l, s->count_text, s->count_len);
    put_kind(w, &l, e->kind);
    fwrite(l.buf, 1, l.n, w->out);
    switch (e->kind) {
    case RASIM_EV_WALK: walk_line(w, e); break;
    case RASIM_EV_TLBI: fputs(e->tlbi.text, w->out); break;
    case RASIM_EV_EXCEPTION: exception_line(w, e); break;
    case RASIM_EV_POISON: poison_line(w, e); break;
    case RASIM_EV_FIXUP: fixup_line(w, e); break;
    case RASIM_EV_CHECK:
        fprintf(w->out, "%s%s%s", paint(w, RED), e->check.text, paint(w, OFF));
        break;
    case RASIM_EV_INSN:
    case RASIM_EV_REG:
    case RASIM_EV_MEM:
    case RASIM_EV_NKINDS: break;
    }
    fputc('\n', w->out);
}

const struct tw_format tw_text = {
    .name = "text",
    .open = text_open,
    .event = text_event,
    .flush = write_out,
    .close = text_close,
};
