/*
 * run.c - a scenario's machine, one run of it, the outcome classification
 * and the expectations. Memory layout as for `rasim call`: buffers from
 * 0x4_0000_0000, each followed by absent memory; a 1 MiB stack; a return
 * sentinel that is never fetched.
 */
#include "sim/scenario/scenario.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_ARENA  0x400000000ull
#define STACK_BASE 0x3f0000000ull
#define STACK_SIZE 0x100000ull
#define PAGE       0x1000ull
#define SENTINEL   0xfffffffffffff000ull

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

const char *rasim_outcome_name(enum rasim_outcome o)
{
    static const char *const names[] = {"recovered", "wrong-residue", "silent",
                                        "oops",      "not-consumed",  "hang"};
    return o < RASIM_NOUTCOMES ? names[o] : "?";
}

bool rasim_scenario_accepts(const rasim_scenario *sc, enum rasim_outcome o)
{
    uint32_t accept =
        sc->accept ? sc->accept : (1u << RASIM_RECOVERED) | (1u << RASIM_NOT_CONSUMED);
    return (accept >> o) & 1;
}

rasim_scenario *rasim_scenario_load(const char *path, const char *const *search, char *err,
                                    size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    char *text = malloc(1 << 20);
    size_t len = text ? fread(text, 1, 1 << 20, f) : 0;
    bool too_big = text && len == (1 << 20) && fgetc(f) != EOF;
    fclose(f);
    rasim_scenario *sc = calloc(1, sizeof(*sc));
    if (!text || !sc || too_big) {
        fail(err, errlen, "%s: %s", path, too_big ? "larger than 1 MiB" : "out of memory");
        free(text);
        free(sc);
        return NULL;
    }
    snprintf(sc->path, sizeof(sc->path), "%s", path);
    sc->el = sc->mode = sc->store_policy = -1;
    sc->expect.fixups = sc->expect.errors = sc->expect.mmu_warnings = -1;
    sc->max_insns = RASIM_DEFAULT_MAX_INSNS;
    int rc = sc_parse(sc, text, len, search, err, errlen);
    free(text);
    if (rc == 0)
        rc = sc_measure_clean_run(sc, err, errlen);
    if (rc < 0) {
        free(sc);
        return NULL;
    }
    return sc;
}

void rasim_scenario_free(rasim_scenario *sc)
{
    free(sc);
}

enum rasim_arch rasim_scenario_arch(const rasim_scenario *sc)
{
    return sc->arch;
}

const char *rasim_scenario_profile(const rasim_scenario *sc)
{
    return sc->profile[0] ? sc->profile : "linux-6.12";
}

static uint8_t pattern_byte(uint64_t i)
{
    return (uint8_t)(i * 131 + 7);
}

/* A buffer's MTE allocation tags, one per 16-byte granule (new RAM starts
 * with tag 0). */
static int place_tags(rasim_machine *m, const struct sc_buffer *b)
{
    for (uint64_t g = 0; g < b->size / 16; g++) {
        uint8_t tag = b->tags == SC_FILL_PATTERN ? (uint8_t)((g * 7 + 3) & 0xf) : (uint8_t)b->tags;
        if (rasim_write_tag(m, b->pa + g * 16, tag) < 0)
            return -1;
    }
    return 0;
}

static int place_buffers(rasim_scenario *sc, rasim_machine *m, char *err, size_t errlen)
{
    uint64_t at = BUF_ARENA;
    for (unsigned i = 0; i < sc->nbuffers; i++) {
        struct sc_buffer *b = &sc->buffers[i];
        b->pa = (at + b->align - 1) & ~(b->align - 1);
        if (rasim_add_region(m, b->name, b->pa, b->size, RASIM_REGION_RAM) < 0)
            return fail(err, errlen, "%s: buffer %s: %s", sc->path, b->name, rasim_error(m));
        uint8_t *bytes = malloc(b->size);
        if (!bytes)
            return fail(err, errlen, "%s: buffer %s: out of memory", sc->path, b->name);
        for (uint64_t k = 0; k < b->size; k++)
            bytes[k] = b->fill == SC_FILL_PATTERN ? pattern_byte(k)
                       : b->fill == SC_FILL_ZERO  ? 0
                                                  : (uint8_t)b->fill;
        if (b->file[0]) {
            FILE *f = fopen(b->file, "rb");
            if (!f) {
                free(bytes);
                return fail(err, errlen, "%s: buffer %s: %s: %s", sc->path, b->name, b->file,
                            strerror(errno));
            }
            size_t n = fread(bytes, 1, b->size, f);
            bool more = fgetc(f) != EOF;
            fclose(f);
            (void)n;
            if (more) {
                free(bytes);
                return fail(err, errlen, "%s: buffer %s: %s is larger than the buffer", sc->path,
                            b->name, b->file);
            }
        }
        int rc = rasim_write_phys(m, b->pa, bytes, b->size);
        free(bytes);
        if (rc < 0)
            return fail(err, errlen, "%s: buffer %s: %s", sc->path, b->name, rasim_error(m));
        if (b->tags != SC_FILL_ZERO && place_tags(m, b) < 0)
            return fail(err, errlen, "%s: buffer %s: tags: %s", sc->path, b->name, rasim_error(m));
        at = ((b->pa + b->size + PAGE - 1) & ~(PAGE - 1)) + PAGE;
    }
    return 0;
}

rasim_machine *sc_build(rasim_scenario *sc, char *err, size_t errlen)
{
    rasim_machine *m = rasim_new(sc->arch);
    if (!m) {
        fail(err, errlen, "%s: cannot create a machine", sc->path);
        return NULL;
    }
    if (sc->profile[0] && rasim_set_profile(m, sc->profile) < 0)
        goto bad;
    for (unsigned i = 0; i < sc->nimages; i++)
        if (rasim_load(m, sc->images[i].path, &sc->images[i].opt) < 0)
            goto bad;
    if (place_buffers(sc, m, err, errlen) < 0) {
        rasim_free(m);
        return NULL;
    }
    if (rasim_add_region(m, "stack", STACK_BASE, STACK_SIZE, RASIM_REGION_RAM) < 0)
        goto bad;
    if (sc->store_policy >= 0 &&
        rasim_set_store_policy(m, (enum rasim_store_policy)sc->store_policy) < 0)
        goto bad;
    if (sc->check_mmu && rasim_set_mmu_check(m, true) < 0)
        goto bad;
    if (sc->feat_ras && rasim_set_feat_ras(m, true) < 0)
        goto bad;
    if (sc_build_tables(sc, m, err, errlen) < 0) {
        rasim_free(m);
        return NULL;
    }
    return m;
bad:
    fail(err, errlen, "%s: %s", sc->path, rasim_error(m));
    rasim_free(m);
    return NULL;
}

int sc_eval(const rasim_scenario *sc, rasim_machine *m, const struct sc_value *v, uint64_t *out,
            char *err, size_t errlen)
{
    if (!v->name[0]) {
        *out = v->offset;
        return 0;
    }
    const struct sc_buffer *b = sc_buffer(sc, v->name);
    uint64_t at;
    if (b) {
        if (v->offset > b->size)
            return fail(err, errlen, "%s:%d:%d: offset 0x%llx is past the end of buffer '%s'",
                        sc->path, v->line, v->column, (unsigned long long)v->offset, b->name);
        at = b->pa + v->offset;
    } else {
        uint64_t va;
        if (rasim_lookup_symbol(m, v->name, &va) < 0 || rasim_image_va_to_pa(m, va, &va) < 0)
            return fail(err, errlen, "%s:%d:%d: no buffer or symbol named '%s'", sc->path, v->line,
                        v->column, v->name);
        at = va + v->offset;
    }
    if (v->deref && rasim_read_phys(m, at, &at, sizeof(at)) < 0)
        return fail(err, errlen, "%s:%d:%d: the pointer at %s: %s", sc->path, v->line, v->column,
                    v->name, rasim_error(m));
    *out = at;
    return 0;
}

uint64_t sc_stack_base(void)
{
    return STACK_BASE;
}

uint64_t sc_stack_size(void)
{
    return STACK_SIZE;
}

/* The register that carries argument i (below SC_MAX_ARGS) of a call. */
static const char *arg_reg(const rasim_scenario *sc, unsigned i)
{
    static const char *const a64[] = {"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7"};
    static const char *const rv[] = {"a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7"};
    return sc->arch == RASIM_ARCH_AARCH64 ? a64[i] : rv[i];
}

int sc_setup_call(rasim_scenario *sc, rasim_machine *m, char *err, size_t errlen)
{
    bool is_a64 = sc->arch == RASIM_ARCH_AARCH64;
    uint64_t entry;
    rasim_reset_cpu(m);
    if (rasim_lookup_symbol(m, sc->symbol, &entry) < 0 ||
        rasim_image_va_to_pa(m, entry, &entry) < 0)
        return fail(err, errlen, "%s: call: %s", sc->path, rasim_error(m));
    for (unsigned i = 0; i < sc->nargs; i++) {
        uint64_t v;
        if (sc_eval(sc, m, &sc->args[i], &v, err, errlen) < 0)
            return -1;
        rasim_set_reg(m, arg_reg(sc, i), v);
    }
    rasim_set_reg(m, "sp", STACK_BASE + STACK_SIZE);
    if (is_a64) {
        /* EL0t / EL1h with IRQ and FIQ masked (nothing here raises them) and
         * SError unmasked, as kernel code runs: an asynchronous memory error
         * is taken at once. */
        rasim_set_reg(m, "cpsr", sc->el == 0 ? 0x0c0 : 0x0c5);
        rasim_set_reg(m, "lr", SENTINEL);
    } else {
        rasim_set_reg(m, "priv", sc->mode < 0 ? 1 : (uint64_t)sc->mode);
        rasim_set_reg(m, "ra", SENTINEL);
    }
    rasim_set_reg(m, "pc", entry);
    rasim_set_return_sentinel(m, SENTINEL);
    sc_translation_on(sc, m);
    for (unsigned i = 0; i < sc->nregs; i++) {
        uint64_t v;
        if (sc_eval(sc, m, &sc->regs[i].value, &v, err, errlen) < 0)
            return -1;
        if (rasim_set_reg(m, sc->regs[i].name, v) < 0)
            return fail(err, errlen, "%s:%d:%d: registers: %s", sc->path, sc->regs[i].value.line,
                        sc->regs[i].value.column, rasim_error(m));
    }
    return 0;
}

static uint64_t return_value(const rasim_scenario *sc, rasim_machine *m)
{
    uint64_t v = 0;
    rasim_get_reg(m, sc->arch == RASIM_ARCH_AARCH64 ? "x0" : "a0", &v);
    return v;
}

/* The first synchronous consumption, if any. */
static bool first_consumption(rasim_machine *m, struct rasim_error_record *out)
{
    for (size_t i = 0; i < rasim_error_log_count(m); i++)
        if (rasim_error_log_get(m, i, out) == 0 && !out->async)
            return true;
    return false;
}

/* Do the first n bytes at a and b match? */
/* MTE allocation tags of [a, a+n) and [b, b+n), granule by granule. */
static bool same_tags(rasim_machine *m, uint64_t a, uint64_t b, uint64_t n, uint64_t *where)
{
    for (uint64_t off = 0; off < n; off += 16) {
        uint8_t x, y;
        if (rasim_read_tag(m, a + off, &x) < 0 || rasim_read_tag(m, b + off, &y) < 0 || x != y) {
            *where = off;
            return false;
        }
    }
    return true;
}

static bool same_bytes(rasim_machine *m, uint64_t a, uint64_t b, uint64_t n, uint64_t *where)
{
    uint8_t x[4096], y[4096];
    for (uint64_t done = 0; done < n;) {
        uint64_t k = n - done < sizeof(x) ? n - done : sizeof(x);
        if (rasim_read_phys(m, a + done, x, k) < 0 || rasim_read_phys(m, b + done, y, k) < 0) {
            *where = done;
            return false;
        }
        for (uint64_t i = 0; i < k; i++)
            if (x[i] != y[i]) {
                *where = done + i;
                return false;
            }
        done += k;
    }
    return true;
}

static void set_why(struct rasim_run_result *out, enum rasim_outcome o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_why(struct rasim_run_result *out, enum rasim_outcome o, const char *fmt, ...)
{
    va_list ap;
    out->outcome = o;
    va_start(ap, fmt);
    vsnprintf(out->why, sizeof(out->why), fmt, ap);
    va_end(ap);
}

void sc_classify(const rasim_scenario *sc, rasim_machine *m, const struct rasim_stop *stop,
                 struct rasim_run_result *out)
{
    struct rasim_error_record rec;
    bool consumed = first_consumption(m, &rec);
    char err[256];
    out->stop = *stop;
    out->ret = return_value(sc, m);
    out->nfixups = (unsigned)rasim_fixup_count(m);
    if (out->nfixups) {
        const struct rasim_fixup *f = rasim_fixup_get(m, 0);
        char a[96], b[96];
        rasim_describe(m, f->insn, a, sizeof(a));
        rasim_describe(m, f->fixup, b, sizeof(b));
        snprintf(out->fixup, sizeof(out->fixup), "%s -> %s %s(%u)", a, b, f->type_name, f->type);
    }
    if (consumed && rec.pc_known)
        rasim_describe(m, rec.pc, out->where, sizeof(out->where));
    else if (stop->reason == RASIM_STOP_RETURNED)
        snprintf(out->where, sizeof(out->where), "%.140s (returned)", sc->symbol);
    else
        rasim_describe(m, stop->pc, out->where, sizeof(out->where));

    switch (stop->reason) {
    case RASIM_STOP_BUDGET: {
        /* Where it loops: the PCs of the next 1024 instructions. */
        uint64_t lo, hi;
        char a[96] = "?", b[96] = "?";
        if (rasim_loop_range(m, 1024, &lo, &hi) == 0) {
            rasim_describe(m, lo, a, sizeof(a));
            rasim_describe(m, hi, b, sizeof(b));
        }
        set_why(out, RASIM_HANG, "the budget of %llu instructions ran out, looping in %s..%s",
                (unsigned long long)sc->max_insns, a, b);
        return;
    }
    case RASIM_STOP_RETURNED: break;
    default: {
        char what[640];
        rasim_stop_describe(m, stop, what, sizeof(what));
        set_why(out, RASIM_OOPS, "%s", what);
        return;
    }
    }
    if (!consumed) {
        set_why(out, RASIM_NOT_CONSUMED, "returned without reading the poison");
        return;
    }
    const struct sc_contract *ct = &sc->contract;
    uint64_t dst = 0, src = 0, where = 0;
    switch (ct->kind) {
    case SC_CONTRACT_BYTES_NOT_COPIED:
        if (sc_eval(sc, m, &ct->dst, &dst, err, sizeof(err)) < 0 ||
            sc_eval(sc, m, &ct->src, &src, err, sizeof(err)) < 0) {
            set_why(out, RASIM_WRONG_RESIDUE, "the contract cannot be checked: %s", err);
            return;
        }
        if (out->ret == 0) {
            set_why(out, RASIM_SILENT, "returned 0 (all copied) after consuming poison at 0x%llx",
                    (unsigned long long)rec.pa);
            return;
        }
        if (out->ret > ct->len) {
            set_why(out, RASIM_WRONG_RESIDUE, "returned 0x%llx, more than the 0x%llx asked for",
                    (unsigned long long)out->ret, (unsigned long long)ct->len);
            return;
        }
        uint64_t copied = ct->len - out->ret;
        if (!rec.tag && rec.pa >= src && rec.pa < src + copied) {
            set_why(out, RASIM_WRONG_RESIDUE,
                    "returned 0x%llx, claiming the poisoned source byte src+0x%llx was copied",
                    (unsigned long long)out->ret, (unsigned long long)(rec.pa - src));
            return;
        }
        if (!same_bytes(m, dst, src, copied, &where)) {
            set_why(out, RASIM_WRONG_RESIDUE,
                    "returned 0x%llx but the copied bytes differ from the source at +0x%llx",
                    (unsigned long long)out->ret, (unsigned long long)where);
            return;
        }
        set_why(out, RASIM_RECOVERED, "returned 0x%llx: 0x%llx bytes copied correctly",
                (unsigned long long)out->ret, (unsigned long long)copied);
        return;
    case SC_CONTRACT_ERROR_CODE:
        if (out->ret == 0) {
            set_why(out, RASIM_SILENT, "returned 0 (success) after consuming poison at 0x%llx",
                    (unsigned long long)rec.pa);
            return;
        }
        if (ct->error_set && out->ret != ct->error) {
            set_why(out, RASIM_WRONG_RESIDUE, "returned 0x%llx, not the error 0x%llx",
                    (unsigned long long)out->ret, (unsigned long long)ct->error);
            return;
        }
        set_why(out, RASIM_RECOVERED, "returned the error 0x%llx", (unsigned long long)out->ret);
        return;
    case SC_CONTRACT_NONE:
        if (!out->nfixups) {
            set_why(out, RASIM_SILENT, "consumed poison and returned without a fixup");
            return;
        }
        set_why(out, RASIM_RECOVERED, "fixed up and returned");
        return;
    }
}

/* ---- one run with expectations ------------------------------------------ */

void sc_check(struct rasim_run_result *r, bool ok, const char *actual, const char *fmt, ...)
{
    if (r->nchecks == sizeof(r->checks) / sizeof(*r->checks))
        return;
    struct rasim_check *c = &r->checks[r->nchecks++];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->what, sizeof(c->what), fmt, ap);
    va_end(ap);
    c->ok = ok;
    snprintf(c->actual, sizeof(c->actual), "%s", ok ? "" : actual);
    if (!ok)
        r->nfailed++;
}

static void check_expectations(rasim_scenario *sc, rasim_machine *m, struct rasim_run_result *r)
{
    const struct sc_expect *e = &sc->expect;
    char actual[256], err[256];
    if (e->has_outcome) {
        snprintf(actual, sizeof(actual), "%s (%s)", rasim_outcome_name(r->outcome), r->why);
        sc_check(r, r->outcome == e->outcome, actual, "outcome %s", rasim_outcome_name(e->outcome));
    }
    snprintf(actual, sizeof(actual), "ret 0x%llx", (unsigned long long)r->ret);
    switch (e->ret) {
    case SC_RET_ANY: break;
    case SC_RET_EXACT:
        sc_check(r, r->ret == e->ret_value, actual, "ret == 0x%llx",
                 (unsigned long long)e->ret_value);
        break;
    case SC_RET_ZERO: sc_check(r, r->ret == 0, actual, "ret == 0"); break;
    case SC_RET_NONZERO: sc_check(r, r->ret != 0, actual, "ret != 0"); break;
    case SC_RET_CONTRACT: {
        /* Exactly the bytes from the first poisoned source byte to the end. */
        struct rasim_error_record rec;
        uint64_t src = 0;
        bool have = first_consumption(m, &rec) &&
                    sc_eval(sc, m, &sc->contract.src, &src, err, sizeof(err)) == 0 &&
                    rec.pa >= src && rec.pa - src < sc->contract.len;
        uint64_t want = have ? sc->contract.len - (rec.pa - src) : 0;
        sc_check(r, have && r->ret == want, have ? actual : "no poison consumed in the source",
                 "ret == bytes not copied from the first poisoned byte (0x%llx)",
                 (unsigned long long)want);
        break;
    }
    }
    if (e->fixups >= 0) {
        snprintf(actual, sizeof(actual), "%u", r->nfixups);
        sc_check(r, (int)r->nfixups == e->fixups, actual, "%d fixups", e->fixups);
    }
    if (e->errors >= 0) {
        snprintf(actual, sizeof(actual), "%zu", rasim_error_log_count(m));
        sc_check(r, (int)rasim_error_log_count(m) == e->errors, actual, "%d error-log records",
                 e->errors);
    }
    for (unsigned i = 0; i < e->nvalues; i++) {
        const struct sc_value_expect *ve = &e->values[i];
        uint64_t at, got = 0;
        if (sc_eval(sc, m, &ve->at, &at, err, sizeof(err)) < 0 ||
            rasim_read_phys(m, at, &got, sizeof(got)) < 0) {
            sc_check(r, false, err, "value expectation %u", i + 1);
            continue;
        }
        snprintf(actual, sizeof(actual), "0x%llx", (unsigned long long)got);
        sc_check(r, got == ve->equals, actual, "%s+0x%llx == 0x%llx", ve->at.name,
                 (unsigned long long)ve->at.offset, (unsigned long long)ve->equals);
    }
    for (unsigned i = 0; i < e->nmemory; i++) {
        const struct sc_memory_expect *me = &e->memory[i];
        uint64_t a, b, where = 0, len = me->len;
        if (me->len_copied)
            len = r->ret <= sc->contract.len ? sc->contract.len - r->ret : 0;
        if (sc_eval(sc, m, &me->a, &a, err, sizeof(err)) < 0 ||
            sc_eval(sc, m, &me->b, &b, err, sizeof(err)) < 0) {
            sc_check(r, false, err, "memory expectation %u", i + 1);
            continue;
        }
        bool same = me->tags ? same_tags(m, a, b, len, &where) : same_bytes(m, a, b, len, &where);
        snprintf(actual, sizeof(actual), "first difference at +0x%llx", (unsigned long long)where);
        sc_check(r, same, actual, "%s+0x%llx %s %s+0x%llx over 0x%llx bytes", me->a.name,
                 (unsigned long long)me->a.offset, me->tags ? "tags equal those of" : "equals",
                 me->b.name, (unsigned long long)me->b.offset, (unsigned long long)len);
    }
    if (e->mmu_warnings >= 0) {
        size_t n = rasim_mmu_warning_count(m);
        struct rasim_mmu_warning w = {.text = ""};
        if (n)
            rasim_mmu_warning_get(m, 0, &w);
        snprintf(actual, sizeof(actual), "%zu; the first: %.200s", n, w.text);
        sc_check(r, n == (size_t)e->mmu_warnings, actual, "%d MMU checker warnings",
                 e->mmu_warnings);
    }
    sc_check_mmu(sc, m, r);
}

int sc_call(rasim_scenario *sc, rasim_machine *m, const char *symbol, const uint64_t *args,
            unsigned nargs, uint64_t *ret, char *err, size_t errlen)
{
    bool is_a64 = sc->arch == RASIM_ARCH_AARCH64;
    uint64_t entry;
    if (rasim_lookup_symbol(m, symbol, &entry) < 0 || rasim_image_va_to_pa(m, entry, &entry) < 0)
        return fail(err, errlen, "%s: %s", sc->path, rasim_error(m));
    rasim_reset_cpu(m);
    for (unsigned i = 0; i < nargs && i < 8; i++)
        rasim_set_reg(m, arg_reg(sc, i), args[i]);
    rasim_set_reg(m, "sp", STACK_BASE + STACK_SIZE);
    rasim_set_reg(m, is_a64 ? "lr" : "ra", SENTINEL);
    rasim_set_reg(m, "pc", entry);
    rasim_set_return_sentinel(m, SENTINEL);
    struct rasim_stop stop;
    rasim_run(m, sc->max_insns, &stop);
    if (stop.reason != RASIM_STOP_RETURNED) {
        char what[512];
        rasim_stop_describe(m, &stop, what, sizeof(what));
        return fail(err, errlen, "%s did not return: %s", symbol, what);
    }
    *ret = return_value(sc, m);
    return 0;
}

int rasim_scenario_run(rasim_scenario *sc, struct rasim_run_result *r, char *err, size_t errlen)
{
    return rasim_scenario_run_with(sc, NULL, NULL, r, err, errlen);
}

int rasim_scenario_run_with(rasim_scenario *sc, rasim_run_fn run, void *ctx,
                            struct rasim_run_result *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof(*r));
    rasim_machine *m = sc_build(sc, err, errlen);
    if (!m)
        return -1;
    int rc = sc_setup_call(sc, m, err, errlen);
    for (unsigned i = 0; rc == 0 && i < sc->npoison; i++) {
        struct rasim_poison p = sc->poison[i];
        if ((rc = sc_eval(sc, m, &sc->poison_at[i], &p.pa, err, errlen)) == 0 &&
            (rc = rasim_poison(m, &p)) < 0)
            fail(err, errlen, "%s:%d:%d: poison: %s", sc->path, sc->poison_at[i].line,
                 sc->poison_at[i].column, rasim_error(m));
    }
    struct rasim_stop stop;
    if (rc == 0 && (rc = sc_run_traced_with(sc, m, run, ctx, &stop, err, errlen)) == 0) {
        sc_classify(sc, m, &stop, r);
        if (r->outcome == RASIM_NOT_CONSUMED && !sc->npoison)
            snprintf(r->why, sizeof(r->why), "returned; the scenario injects no poison");
        check_expectations(sc, m, r);
    }
    rasim_free(m);
    return rc;
}

void rasim_scenario_trace(rasim_scenario *sc, const char *spec,
                          const struct rasim_trace_filter *filter)
{
    sc->trace_spec = spec;
    sc->trace_filter = filter;
}

int sc_run_traced(rasim_scenario *sc, rasim_machine *m, struct rasim_stop *stop, char *err,
                  size_t errlen)
{
    return sc_run_traced_with(sc, m, NULL, NULL, stop, err, errlen);
}

int sc_run_traced_with(rasim_scenario *sc, rasim_machine *m, rasim_run_fn run, void *ctx,
                       struct rasim_stop *stop, char *err, size_t errlen)
{
    if (sc->trace_spec && rasim_trace_start(m, sc->trace_spec, sc->trace_filter) < 0)
        return fail(err, errlen, "%s", rasim_error(m));
    int rc = 0;
    if (run)
        rc = run(ctx, m, sc->max_insns, stop, err, errlen);
    else
        rasim_run(m, sc->max_insns, stop);
    if (sc->trace_spec && rasim_trace_stop(m) < 0 && rc == 0)
        return fail(err, errlen, "%s", rasim_error(m));
    return rc;
}
