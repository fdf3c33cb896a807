/*
 * parse.c - read a scenario file (docs/scenarios.md) into a struct
 * rasim_scenario. Every mistake is reported as file:line:column with what
 * was expected there.
 */
#include "sim/scenario/scenario.h"
#include "sim/yaml_read.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ctx {
    struct yr *r;
    rasim_scenario *sc;
    const char *const *search;
    const yaml_node_t *tags_key;     /* a buffer's tags:, checked against arch at the end */
    const yaml_node_t *feat_ras_key; /* feat_ras: true, likewise */
};

static bool key_is(const yaml_node_t *k, const char *name)
{
    const char *s = yr_scalar(k);
    return s && !strcmp(s, name);
}

static int unknown_key(struct ctx *c, const yaml_node_t *k, const char *where, const char *known)
{
    const char *s = yr_scalar(k);
    return yr_fail(c->r, k, "unknown key '%s' in %s (expected %s)", s ? s : "?", where, known);
}

static int copy_name(struct ctx *c, const yaml_node_t *n, const char *what, char *out,
                     size_t outlen)
{
    const char *s;
    if (yr_string(c->r, n, what, &s) < 0)
        return -1;
    if (!*s || strlen(s) >= outlen)
        return yr_fail(c->r, n, "%s must be 1 to %zu characters", what, outlen - 1);
    snprintf(out, outlen, "%s", s);
    return 0;
}

/* NUMBER, NAME or NAME+OFFSET. */
static int parse_value(struct ctx *c, const yaml_node_t *n, const char *what, struct sc_value *v)
{
    const char *s;
    memset(v, 0, sizeof(*v));
    if (yr_string(c->r, n, what, &s) < 0)
        return -1;
    v->line = (int)n->start_mark.line + 1;
    v->column = (int)n->start_mark.column + 1;
    if (isdigit((unsigned char)*s))
        return yr_u64(c->r, n, what, &v->offset);
    const char *plus = strchr(s, '+');
    size_t len = plus ? (size_t)(plus - s) : strlen(s);
    if (!len || len >= sizeof(v->name))
        return yr_fail(c->r, n, "%s: expected a number, NAME or NAME+OFFSET, got '%s'", what, s);
    for (size_t i = 0; i < len; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '.' || s[i] == '$'))
            return yr_fail(c->r, n, "%s: '%.*s' is not a name", what, (int)len, s);
    memcpy(v->name, s, len);
    if (plus) {
        char *end;
        v->offset = strtoull(plus + 1, &end, 0);
        if (!plus[1] || *end)
            return yr_fail(c->r, n, "%s: bad offset in '%s'", what, s);
    }
    return 0;
}

static int parse_choice(struct ctx *c, const yaml_node_t *n, const char *what,
                        const char *const *names, int *out)
{
    const char *s;
    if (yr_string(c->r, n, what, &s) < 0)
        return -1;
    for (int i = 0; names[i]; i++)
        if (!strcmp(s, names[i])) {
            *out = i;
            return 0;
        }
    char list[256] = "";
    for (int i = 0; names[i]; i++) {
        size_t used = strlen(list);
        snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", names[i]);
    }
    return yr_fail(c->r, n, "%s: expected one of %s, got '%s'", what, list, s);
}

/* A file the scenario names: next to the scenario, then on the search path. */
static int resolve(struct ctx *c, const yaml_node_t *n, const char *file, char *out, size_t len)
{
    if (file[0] == '/') {
        snprintf(out, len, "%s", file);
        if (access(out, R_OK) == 0)
            return 0;
        return yr_fail(c->r, n, "cannot read '%s'", file);
    }
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s", c->sc->path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof(dir), ".");
    if ((size_t)snprintf(out, len, "%s/%s", dir, file) < len && access(out, R_OK) == 0)
        return 0;
    for (const char *const *s = c->search; s && *s; s++)
        if ((size_t)snprintf(out, len, "%s/%s", *s, file) < len && access(out, R_OK) == 0)
            return 0;
    return yr_fail(c->r, n, "'%s' not found next to the scenario%s", file,
                   c->search && *c->search ? " or in the search directories (--search)" : "");
}

static int parse_image(struct ctx *c, const yaml_node_t *map)
{
    if (yr_expect(c->r, map, YAML_MAPPING_NODE, "an image") < 0)
        return -1;
    if (c->sc->nimages == SC_MAX_IMAGES)
        return yr_fail(c->r, map, "at most %d images", SC_MAX_IMAGES);
    struct sc_image *img = &c->sc->images[c->sc->nimages];
    memset(img, 0, sizeof(*img));
    const yaml_node_t *file = NULL;
    YR_PAIRS(map, kv)
    {
        yaml_node_t *k = yr_node(c->r, kv->key), *v = yr_node(c->r, kv->value);
        const char *s;
        if (key_is(k, "file")) {
            file = v;
        } else if (key_is(k, "base")) {
            if (yr_u64(c->r, v, "base", &img->opt.base) < 0)
                return -1;
            img->opt.base_set = true;
        } else if (key_is(k, "map")) {
            if (yr_string(c->r, v, "map", &s) < 0 || resolve(c, v, s, img->map, sizeof(img->map)))
                return -1;
            img->opt.system_map = img->map;
        } else if (key_is(k, "load_pa")) {
            if (yr_u64(c->r, v, "load_pa", &img->opt.load_pa) < 0)
                return -1;
        } else if (key_is(k, "link_va")) {
            if (yr_u64(c->r, v, "link_va", &img->opt.link_va) < 0)
                return -1;
            img->opt.link_va_set = true;
        } else if (key_is(k, "define")) {
            if (yr_expect(c->r, v, YAML_MAPPING_NODE, "define") < 0)
                return -1;
            YR_PAIRS(v, d)
            {
                if (img->opt.ndefines == SC_MAX_DEFINES)
                    return yr_fail(c->r, v, "at most %d defines", SC_MAX_DEFINES);
                size_t i = img->opt.ndefines;
                if (copy_name(c, yr_node(c->r, d->key), "a define's name", img->define_names[i],
                              SC_NAME) < 0 ||
                    yr_u64(c->r, yr_node(c->r, d->value), "a define's value",
                           &img->defines[i].value) < 0)
                    return -1;
                img->defines[i].name = img->define_names[i];
                img->opt.ndefines++;
            }
        } else {
            return unknown_key(c, k, "an image", "file, base, define, map, load_pa, link_va");
        }
    }
    const char *s;
    if (!file)
        return yr_fail(c->r, map, "an image needs a file");
    if (yr_string(c->r, file, "file", &s) < 0 || resolve(c, file, s, img->path, sizeof(img->path)))
        return -1;
    img->opt.defines = img->defines;
    c->sc->nimages++;
    return 0;
}

static int parse_buffer(struct ctx *c, const yaml_node_t *map)
{
    if (yr_expect(c->r, map, YAML_MAPPING_NODE, "a buffer") < 0)
        return -1;
    if (c->sc->nbuffers == SC_MAX_BUFFERS)
        return yr_fail(c->r, map, "at most %d buffers", SC_MAX_BUFFERS);
    struct sc_buffer *b = &c->sc->buffers[c->sc->nbuffers];
    memset(b, 0, sizeof(*b));
    b->fill = SC_FILL_ZERO;
    b->tags = SC_FILL_ZERO;
    b->align = 4096;
    YR_PAIRS(map, kv)
    {
        yaml_node_t *k = yr_node(c->r, kv->key), *v = yr_node(c->r, kv->value);
        const char *s;
        if (key_is(k, "name")) {
            if (copy_name(c, v, "name", b->name, sizeof(b->name)) < 0)
                return -1;
        } else if (key_is(k, "size")) {
            if (yr_u64(c->r, v, "size", &b->size) < 0)
                return -1;
            if (!b->size || b->size > (1ull << 32))
                return yr_fail(c->r, v, "size must be between 1 byte and 4 GiB");
        } else if (key_is(k, "align")) {
            if (yr_u64(c->r, v, "align", &b->align) < 0)
                return -1;
            if (!b->align || (b->align & (b->align - 1)) || b->align > (1ull << 30))
                return yr_fail(c->r, v, "align must be a power of two up to 1 GiB");
        } else if (key_is(k, "fill")) {
            if (yr_string(c->r, v, "fill", &s) < 0)
                return -1;
            if (!strcmp(s, "pattern")) {
                b->fill = SC_FILL_PATTERN;
            } else if (!strcmp(s, "zero")) {
                b->fill = SC_FILL_ZERO;
            } else {
                uint64_t byte;
                if (yr_u64(c->r, v, "fill", &byte) < 0 || byte > 255)
                    return yr_fail(c->r, v, "fill must be a byte, 'zero' or 'pattern'");
                b->fill = (int)byte;
            }
        } else if (key_is(k, "file")) {
            if (yr_string(c->r, v, "file", &s) < 0 || resolve(c, v, s, b->file, sizeof(b->file)))
                return -1;
        } else if (key_is(k, "tags")) {
            c->tags_key = k;
            if (yr_string(c->r, v, "tags", &s) < 0)
                return -1;
            if (!strcmp(s, "pattern")) {
                b->tags = SC_FILL_PATTERN;
            } else if (!strcmp(s, "zero")) {
                b->tags = SC_FILL_ZERO;
            } else {
                uint64_t tag;
                if (yr_u64(c->r, v, "tags", &tag) < 0 || tag > 15)
                    return yr_fail(c->r, v, "tags must be 0..15, 'zero' or 'pattern'");
                b->tags = (int)tag;
            }
        } else {
            return unknown_key(c, k, "a buffer", "name, size, fill, file, align, tags");
        }
    }
    if (!b->name[0] || !b->size)
        return yr_fail(c->r, map, "a buffer needs a name and a size");
    if (sc_buffer(c->sc, b->name))
        return yr_fail(c->r, map, "buffer '%s' is declared twice", b->name);
    c->sc->nbuffers++;
    return 0;
}

/* args: [VALUE...], a routine's ABI arguments (at most SC_MAX_ARGS). */
static int parse_args(struct ctx *c, const yaml_node_t *v, struct sc_value *args, unsigned *n)
{
    if (yr_expect(c->r, v, YAML_SEQUENCE_NODE, "args") < 0)
        return -1;
    YR_ITEMS(v, it)
    {
        if (*n == SC_MAX_ARGS)
            return yr_fail(c->r, v, "at most %d arguments", SC_MAX_ARGS);
        if (parse_value(c, yr_node(c->r, *it), "an argument", &args[(*n)++]) < 0)
            return -1;
    }
    return 0;
}

static int parse_call(struct ctx *c, const yaml_node_t *map)
{
    static const char *const modes[] = {"u", "s", "m", NULL};
    rasim_scenario *sc = c->sc;
    if (yr_expect(c->r, map, YAML_MAPPING_NODE, "call") < 0)
        return -1;
    YR_PAIRS(map, kv)
    {
        yaml_node_t *k = yr_node(c->r, kv->key), *v = yr_node(c->r, kv->value);
        uint64_t n;
        int i;
        if (key_is(k, "symbol")) {
            if (copy_name(c, v, "symbol", sc->symbol, sizeof(sc->symbol)) < 0)
                return -1;
        } else if (key_is(k, "args")) {
            if (parse_args(c, v, sc->args, &sc->nargs) < 0)
                return -1;
        } else if (key_is(k, "el")) {
            if (yr_u64(c->r, v, "el", &n) < 0 || n > 1)
                return yr_fail(c->r, v, "el must be 0 or 1");
            sc->el = (int)n;
        } else if (key_is(k, "mode")) {
            if (parse_choice(c, v, "mode", modes, &i) < 0)
                return -1;
            sc->mode = i == 2 ? 3 : i;
        } else if (key_is(k, "max_insns")) {
            if (yr_u64(c->r, v, "max_insns", &sc->max_insns) < 0)
                return -1;
        } else {
            return unknown_key(c, k, "call", "symbol, args, el, mode, max_insns");
        }
    }
    if (!sc->symbol[0])
        return yr_fail(c->r, map, "call needs a symbol");
    return 0;
}

static int parse_poison(struct ctx *c, const yaml_node_t *map)
{
    static const char *const granules[] = {"byte", "line", "page", NULL};
    static const char *const storages[] = {"data", "tag", NULL};
    static const char *const kinds[] = {"persistent", "transient", "after", "at", NULL};
    rasim_scenario *sc = c->sc;
    if (yr_expect(c->r, map, YAML_MAPPING_NODE, "a poison entry") < 0)
        return -1;
    if (sc->npoison == SC_MAX_POISON)
        return yr_fail(c->r, map, "at most %d poison entries", SC_MAX_POISON);
    struct rasim_poison *p = &sc->poison[sc->npoison];
    memset(p, 0, sizeof(*p));
    p->len = 1;
    p->granule = 64;
    bool have_at = false;
    YR_PAIRS(map, kv)
    {
        yaml_node_t *k = yr_node(c->r, kv->key), *v = yr_node(c->r, kv->value);
        int i;
        if (key_is(k, "at")) {
            if (parse_value(c, v, "at", &sc->poison_at[sc->npoison]) < 0)
                return -1;
            have_at = true;
        } else if (key_is(k, "len")) {
            if (yr_u64(c->r, v, "len", &p->len) < 0 || !p->len)
                return yr_fail(c->r, v, "len must be at least 1");
        } else if (key_is(k, "granule")) {
            if (parse_choice(c, v, "granule", granules, &i) < 0)
                return -1;
            p->granule = i == 0 ? 1 : i == 1 ? 64 : 4096;
        } else if (key_is(k, "in")) {
            if (parse_choice(c, v, "in", storages, &i) < 0)
                return -1;
            p->tag = i == 1;
        } else if (key_is(k, "kind")) {
            if (parse_choice(c, v, "kind", kinds, &i) < 0)
                return -1;
            p->kind = (enum rasim_poison_kind)i;
        } else if (key_is(k, "count")) {
            if (yr_u64(c->r, v, "count", &p->count) < 0)
                return -1;
        } else {
            return unknown_key(c, k, "a poison entry", "at, len, granule, in, kind, count");
        }
    }
    if (!have_at)
        return yr_fail(c->r, map, "a poison entry needs 'at'");
    sc->npoison++;
    return 0;
}

static int parse_contract(struct ctx *c, const yaml_node_t *map)
{
    static const char *const kinds[] = {"none", "bytes-not-copied", "error-code", NULL};
    struct sc_contract *ct = &c->sc->contract;
    if (yr_expect(c->r, map, YAML_MAPPING_NODE, "contract") < 0)
        return -1;
    YR_PAIRS(map, kv)
    {
        yaml_node_t *k = yr_node(c->r, kv->key), *v = yr_node(c->r, kv->value);
        int i;
        if (key_is(k, "kind")) {
            if (parse_choice(c, v, "kind", kinds, &i) < 0)
                return -1;
            ct->kind = (enum sc_contract_kind)i;
        } else if (key_is(k, "dst")) {
            if (parse_value(c, v, "dst", &ct->dst) < 0)
                return -1;
        } else if (key_is(k, "src")) {
            if (parse_value(c, v, "src", &ct->src) < 0)
                return -1;
        } else if (key_is(k, "len")) {
            if (yr_u64(c->r, v, "len", &ct->len) < 0)
                return -1;
        } else if (key_is(k, "error")) {
            const char *s = yr_scalar(v);
            if (s && !strcmp(s, "-EFAULT"))
                ct->error = (uint64_t)-14;
            else if (yr_u64(c->r, v, "error", &ct->error) < 0)
                return -1;
            ct->error_set = true;
        } else {
            return unknown_key(c, k, "contract", "kind, dst, src, len, error");
        }
    }
    if (ct->kind == SC_CONTRACT_BYTES_NOT_COPIED &&
        (!ct->dst.name[0] || !ct->src.name[0] || !ct->len))
        return yr_fail(c->r, map, "a bytes-not-copied contract needs dst, src and len");
    return 0;
}

static const char *const outcome_names[] = {"recovered",    "wrong-residue", "silent", "oops",
                                            "not-consumed", "hang",          NULL};

static int parse_memory_expect(struct ctx *c, const yaml_node_t *map)
{
    struct sc_expect *e = &c->sc->expect;
    if (yr_expect(c->r, map, YAML_MAPPING_NODE, "a memory expectation") < 0)
        return -1;
    if (e->nmemory == SC_MAX_MEMORY)
        return yr_fail(c->r, map, "at most %d memory expectations", SC_MAX_MEMORY);
    struct sc_memory_expect *me = &e->memory[e->nmemory];
    memset(me, 0, sizeof(*me));
    bool have_a = false, have_b = false, have_len = false;
    YR_PAIRS(map, kv)
    {
        yaml_node_t *k = yr_node(c->r, kv->key), *v = yr_node(c->r, kv->value);
        if (key_is(k, "equal")) {
            if (parse_value(c, v, "equal", &me->a) < 0)
                return -1;
            have_a = true;
        } else if (key_is(k, "to")) {
            if (parse_value(c, v, "to", &me->b) < 0)
                return -1;
            have_b = true;
        } else if (key_is(k, "len")) {
            const char *s = yr_scalar(v);
            if (s && !strcmp(s, "copied"))
                me->len_copied = true;
            else if (yr_u64(c->r, v, "len", &me->len) < 0)
                return -1;
            have_len = true;
        } else if (key_is(k, "in")) {
            static const char *const storages[] = {"data", "tag", NULL};
            int i;
            if (parse_choice(c, v, "in", storages, &i) < 0)
                return -1;
            me->tags = i == 1;
        } else {
            return unknown_key(c, k, "a memory expectation", "equal, to, len, in");
        }
    }
    if (!have_a || !have_b || !have_len)
        return yr_fail(c->r, map, "a memory expectation needs equal, to and len");
    e->nmemory++;
    return 0;
}

static int parse_layout(struct ctx *c, const yaml_node_t *v, char *out, size_t len)
{
    static const char *const layouts[] = {"linux-6.1", "linux-6.12", NULL};
    int i;
    if (parse_choice(c, v, "layout", layouts, &i) < 0)
        return -1;
    snprintf(out, len, "%s", layouts[i]);
    return 0;
}

/* {root: EXPR[, root1: EXPR]}, or root_at / root1_at: EXPR for a root
 * pointer the routine stored at EXPR (8 bytes), or just EXPR. */
static int parse_tree(struct ctx *c, const yaml_node_t *v, const char *what, struct sc_value *root,
                      struct sc_value *root1, bool *root1_set)
{
    if (v->type == YAML_SCALAR_NODE)
        return parse_value(c, v, what, root);
    if (yr_expect(c->r, v, YAML_MAPPING_NODE, what) < 0)
        return -1;
    bool have_root = false;
    YR_PAIRS(v, kv)
    {
        yaml_node_t *k = yr_node(c->r, kv->key), *x = yr_node(c->r, kv->value);
        bool at = key_is(k, "root_at") || key_is(k, "root1_at");
        if (key_is(k, "root") || key_is(k, "root_at")) {
            if (parse_value(c, x, yr_scalar(k), root) < 0)
                return -1;
            root->deref = at;
            have_root = true;
        } else if (key_is(k, "root1") || key_is(k, "root1_at")) {
            if (parse_value(c, x, yr_scalar(k), root1) < 0)
                return -1;
            root1->deref = at;
            *root1_set = true;
        } else {
            return unknown_key(c, k, what, "root, root_at, root1, root1_at");
        }
    }
    return have_root ? 0 : yr_fail(c->r, v, "%s needs a root", what);
}

static int parse_pt_diff(struct ctx *c, const yaml_node_t *map)
{
    struct sc_pt_diff *d = &c->sc->expect.pt_diff;
    if (yr_expect(c->r, map, YAML_MAPPING_NODE, "pt_diff") < 0)
        return -1;
    memset(d, 0, sizeof(*d));
    snprintf(d->layout, sizeof(d->layout), "linux-6.12");
    bool have_before = false, have_after = false, have_changes = false;
    YR_PAIRS(map, kv)
    {
        yaml_node_t *k = yr_node(c->r, kv->key), *v = yr_node(c->r, kv->value);
        uint64_t n;
        if (key_is(k, "before")) {
            if (parse_tree(c, v, "before", &d->before, &d->before1, &d->before1_set) < 0)
                return -1;
            have_before = true;
        } else if (key_is(k, "after")) {
            if (parse_tree(c, v, "after", &d->after, &d->after1, &d->after1_set) < 0)
                return -1;
            have_after = true;
        } else if (key_is(k, "va_bits")) {
            if (yr_u64(c->r, v, "va_bits", &n) < 0 || (n != 39 && n != 48 && n != 57))
                return yr_fail(c->r, v, "va_bits must be 39, 48 or 57");
            d->va_bits = (unsigned)n;
        } else if (key_is(k, "layout")) {
            if (parse_layout(c, v, d->layout, sizeof(d->layout)) < 0)
                return -1;
        } else if (key_is(k, "changes")) {
            if (yr_expect(c->r, v, YAML_SEQUENCE_NODE, "changes") < 0)
                return -1;
            have_changes = true;
            YR_ITEMS(v, it)
            {
                yaml_node_t *item = yr_node(c->r, *it);
                if (yr_expect(c->r, item, YAML_MAPPING_NODE, "a change") < 0)
                    return -1;
                if (d->nchanges == SC_MAX_CHANGES)
                    return yr_fail(c->r, item, "at most %d changes", SC_MAX_CHANGES);
                bool have_va = false, have_size = false, have_kind = false;
                YR_PAIRS(item, p)
                {
                    yaml_node_t *pk = yr_node(c->r, p->key), *pv = yr_node(c->r, p->value);
                    const char *s;
                    if (key_is(pk, "va")) {
                        if (yr_u64(c->r, pv, "va", &d->changes[d->nchanges].va) < 0)
                            return -1;
                        have_va = true;
                    } else if (key_is(pk, "size")) {
                        if (yr_u64(c->r, pv, "size", &d->changes[d->nchanges].size) < 0)
                            return -1;
                        have_size = true;
                    } else if (key_is(pk, "kind")) {
                        if (yr_string(c->r, pv, "kind", &s) < 0)
                            return -1;
                        snprintf(d->changes[d->nchanges].kind, sizeof(d->changes[d->nchanges].kind),
                                 "%s", s);
                        have_kind = true;
                    } else {
                        return unknown_key(c, pk, "a change", "va, size, kind");
                    }
                }
                if (!have_va || !have_size || !have_kind)
                    return yr_fail(c->r, item, "a change needs va, size and kind");
                d->nchanges++;
            }
        } else {
            return unknown_key(c, k, "pt_diff", "before, after, va_bits, layout, changes");
        }
    }
    if (!have_before || !have_after || !have_changes || !d->va_bits)
        return yr_fail(c->r, map, "pt_diff needs before, after, va_bits and changes");
    d->set = true;
    return 0;
}

static int copy_symbol(struct ctx *c, const yaml_node_t *v, const char *what, char *out)
{
    const char *s;
    if (yr_string(c->r, v, what, &s) < 0)
        return -1;
    if (!*s || strlen(s) >= SC_NAME)
        return yr_fail(c->r, v, "%s: expected a routine's name", what);
    snprintf(out, SC_NAME, "%s", s);
    return 0;
}

static int parse_swap(struct ctx *c, const yaml_node_t *map)
{
    struct sc_swap *w = &c->sc->expect.swap;
    if (yr_expect(c->r, map, YAML_MAPPING_NODE, "swap_roundtrip") < 0)
        return -1;
    memset(w, 0, sizeof(*w));
    w->line = (int)map->start_mark.line + 1;
    w->column = (int)map->start_mark.column + 1;
    YR_PAIRS(map, kv)
    {
        yaml_node_t *k = yr_node(c->r, kv->key), *v = yr_node(c->r, kv->value);
        int rc;
        if (key_is(k, "layout"))
            rc = parse_layout(c, v, w->layout, sizeof(w->layout));
        else if (key_is(k, "make"))
            rc = copy_symbol(c, v, "make", w->make);
        else if (key_is(k, "mkexclusive"))
            rc = copy_symbol(c, v, "mkexclusive", w->mkexclusive);
        else if (key_is(k, "clear_exclusive"))
            rc = copy_symbol(c, v, "clear_exclusive", w->clear_exclusive);
        else if (key_is(k, "exclusive"))
            rc = copy_symbol(c, v, "exclusive", w->exclusive);
        else if (key_is(k, "type"))
            rc = copy_symbol(c, v, "type", w->type);
        else if (key_is(k, "offset"))
            rc = copy_symbol(c, v, "offset", w->offset);
        else
            return unknown_key(c, k, "swap_roundtrip",
                               "layout, make, mkexclusive, clear_exclusive, exclusive, type, "
                               "offset");
        if (rc < 0)
            return -1;
    }
    if (!w->layout[0] || !w->make[0])
        return yr_fail(c->r, map, "swap_roundtrip needs layout and make");
    bool any = w->mkexclusive[0] || w->clear_exclusive[0] || w->exclusive[0];
    bool all = w->mkexclusive[0] && w->clear_exclusive[0] && w->exclusive[0];
    if (any && !all)
        return yr_fail(c->r, map,
                       "swap_roundtrip: mkexclusive, clear_exclusive and exclusive go together");
    w->set = true;
    return 0;
}

static int parse_bool(struct ctx *c, const yaml_node_t *v, const char *what, bool *out)
{
    static const char *const bools[] = {"false", "true", NULL};
    int i;
    if (parse_choice(c, v, what, bools, &i) < 0)
        return -1;
    *out = i == 1;
    return 0;
}

static int parse_map(struct ctx *c, const yaml_node_t *item, struct sc_map *mp)
{
    static const char *const perms[] = {"r", "rw", "rx", "rwx", "x", NULL};
    static const unsigned perm_bits[] = {SC_PERM_R, SC_PERM_R | SC_PERM_W, SC_PERM_R | SC_PERM_X,
                                         SC_PERM_R | SC_PERM_W | SC_PERM_X, SC_PERM_X};
    if (yr_expect(c->r, item, YAML_MAPPING_NODE, "a mapping") < 0)
        return -1;
    memset(mp, 0, sizeof(*mp));
    mp->perm = SC_PERM_R | SC_PERM_W;
    bool have_va = false, have_to = false, have_size = false;
    YR_PAIRS(item, p)
    {
        yaml_node_t *k = yr_node(c->r, p->key), *v = yr_node(c->r, p->value);
        int i, rc = 0;
        if (key_is(k, "va")) {
            rc = yr_u64(c->r, v, "va", &mp->va);
            have_va = true;
        } else if (key_is(k, "to")) {
            rc = parse_value(c, v, "to", &mp->to);
            have_to = true;
        } else if (key_is(k, "size")) {
            rc = yr_u64(c->r, v, "size", &mp->size);
            have_size = true;
        } else if (key_is(k, "perm")) {
            rc = parse_choice(c, v, "perm", perms, &i);
            if (rc == 0)
                mp->perm = perm_bits[i];
        } else if (key_is(k, "user")) {
            rc = parse_bool(c, v, "user", &mp->user);
        } else if (key_is(k, "contiguous")) {
            rc = parse_bool(c, v, "contiguous", &mp->contiguous);
        } else if (key_is(k, "device")) {
            rc = parse_bool(c, v, "device", &mp->device);
        } else {
            return unknown_key(c, k, "a mapping", "va, to, size, perm, user, contiguous, device");
        }
        if (rc < 0)
            return -1;
    }
    if (!have_va || !have_to || !have_size || !mp->size)
        return yr_fail(c->r, item, "a mapping needs va, to and a size");
    return 0;
}

/* page_tables.built_by: {symbol: NAME, args: [VALUE...]} */
static int parse_built_by(struct ctx *c, const yaml_node_t *map, struct sc_tables *t)
{
    if (yr_expect(c->r, map, YAML_MAPPING_NODE, "built_by") < 0)
        return -1;
    YR_PAIRS(map, kv)
    {
        yaml_node_t *k = yr_node(c->r, kv->key), *v = yr_node(c->r, kv->value);
        if (key_is(k, "symbol")) {
            if (copy_name(c, v, "symbol", t->built_by, sizeof(t->built_by)) < 0)
                return -1;
        } else if (key_is(k, "args")) {
            if (parse_args(c, v, t->built_args, &t->nbuilt_args) < 0)
                return -1;
        } else {
            return unknown_key(c, k, "built_by", "symbol, args");
        }
    }
    if (!t->built_by[0])
        return yr_fail(c->r, map, "built_by needs a symbol");
    t->line = (int)map->start_mark.line + 1;
    t->column = (int)map->start_mark.column + 1;
    return 0;
}

static int parse_tables(struct ctx *c, const yaml_node_t *map)
{
    struct sc_tables *t = &c->sc->tables;
    if (yr_expect(c->r, map, YAML_MAPPING_NODE, "page_tables") < 0)
        return -1;
    YR_PAIRS(map, kv)
    {
        yaml_node_t *k = yr_node(c->r, kv->key), *v = yr_node(c->r, kv->value);
        uint64_t n;
        if (key_is(k, "identity")) {
            if (parse_bool(c, v, "identity", &t->identity) < 0)
                return -1;
        } else if (key_is(k, "va_bits")) {
            if (yr_u64(c->r, v, "va_bits", &n) < 0 || (n != 39 && n != 48))
                return yr_fail(c->r, v, "va_bits must be 39 or 48");
            t->va_bits = (unsigned)n;
        } else if (key_is(k, "map")) {
            if (yr_expect(c->r, v, YAML_SEQUENCE_NODE, "map") < 0)
                return -1;
            YR_ITEMS(v, it)
            {
                if (t->nmaps == SC_MAX_MAPS)
                    return yr_fail(c->r, v, "at most %d mappings", SC_MAX_MAPS);
                if (parse_map(c, yr_node(c->r, *it), &t->maps[t->nmaps]) < 0)
                    return -1;
                t->nmaps++;
            }
        } else if (key_is(k, "built_by")) {
            if (parse_built_by(c, v, t) < 0)
                return -1;
        } else {
            return unknown_key(c, k, "page_tables", "identity, va_bits, map, built_by");
        }
    }
    if (t->built_by[0] && (t->identity || t->nmaps))
        return yr_fail(c->r, map,
                       "page_tables: built_by builds the tables; give no identity or map");
    if (!t->identity && !t->nmaps && !t->built_by[0])
        return yr_fail(c->r, map,
                       "page_tables maps nothing: give identity: true, a map or built_by");
    if (!t->va_bits)
        t->va_bits = c->sc->arch == RASIM_ARCH_AARCH64 ? 48 : 39;
    /* The tables are a buffer of their own, so a campaign can sweep them
     * ({lines: page_tables}) and expectations can name them. */
    if (sc_buffer(c->sc, SC_TABLES_BUFFER))
        return yr_fail(c->r, map, "a buffer is already named '%s'", SC_TABLES_BUFFER);
    if (c->sc->nbuffers == SC_MAX_BUFFERS)
        return yr_fail(c->r, map, "no room for the page_tables buffer (at most %d buffers)",
                       SC_MAX_BUFFERS);
    struct sc_buffer *b = &c->sc->buffers[c->sc->nbuffers++];
    memset(b, 0, sizeof(*b));
    snprintf(b->name, sizeof(b->name), "%s", SC_TABLES_BUFFER);
    b->size = SC_TABLES_SIZE;
    b->align = 4096;
    b->fill = SC_FILL_ZERO;
    b->tags = SC_FILL_ZERO;
    t->set = true;
    return 0;
}

static int parse_expect(struct ctx *c, const yaml_node_t *map)
{
    struct sc_expect *e = &c->sc->expect;
    if (yr_expect(c->r, map, YAML_MAPPING_NODE, "expect") < 0)
        return -1;
    YR_PAIRS(map, kv)
    {
        yaml_node_t *k = yr_node(c->r, kv->key), *v = yr_node(c->r, kv->value);
        uint64_t n;
        int i;
        if (key_is(k, "outcome")) {
            if (parse_choice(c, v, "outcome", outcome_names, &i) < 0)
                return -1;
            e->has_outcome = true;
            e->outcome = (enum rasim_outcome)i;
        } else if (key_is(k, "ret")) {
            const char *s;
            if (yr_string(c->r, v, "ret", &s) < 0)
                return -1;
            if (!strcmp(s, "zero")) {
                e->ret = SC_RET_ZERO;
            } else if (!strcmp(s, "nonzero")) {
                e->ret = SC_RET_NONZERO;
            } else if (!strcmp(s, "bytes-not-copied")) {
                e->ret = SC_RET_CONTRACT;
            } else if (!strcmp(s, "-EFAULT")) {
                e->ret = SC_RET_EXACT;
                e->ret_value = (uint64_t)-14;
            } else {
                if (yr_u64(c->r, v, "ret", &e->ret_value) < 0)
                    return yr_fail(c->r, v,
                                   "ret: expected a number, zero, nonzero, -EFAULT or "
                                   "bytes-not-copied, got '%s'",
                                   s);
                e->ret = SC_RET_EXACT;
            }
        } else if (key_is(k, "fixups") || key_is(k, "errors")) {
            if (yr_u64(c->r, v, yr_scalar(k), &n) < 0 || n > 1000000)
                return yr_fail(c->r, v, "%s must be a count", yr_scalar(k));
            *(key_is(k, "fixups") ? &e->fixups : &e->errors) = (int)n;
        } else if (key_is(k, "values")) {
            if (yr_expect(c->r, v, YAML_SEQUENCE_NODE, "values") < 0)
                return -1;
            YR_ITEMS(v, it)
            {
                yaml_node_t *item = yr_node(c->r, *it);
                if (yr_expect(c->r, item, YAML_MAPPING_NODE, "a value expectation") < 0)
                    return -1;
                if (e->nvalues == SC_MAX_VALUES)
                    return yr_fail(c->r, item, "at most %d value expectations", SC_MAX_VALUES);
                struct sc_value_expect *ve = &e->values[e->nvalues];
                bool have_at = false, have_eq = false;
                YR_PAIRS(item, p)
                {
                    yaml_node_t *pk = yr_node(c->r, p->key), *pv = yr_node(c->r, p->value);
                    if (key_is(pk, "at")) {
                        if (parse_value(c, pv, "at", &ve->at) < 0)
                            return -1;
                        have_at = true;
                    } else if (key_is(pk, "equals")) {
                        if (yr_u64(c->r, pv, "equals", &ve->equals) < 0)
                            return -1;
                        have_eq = true;
                    } else {
                        return unknown_key(c, pk, "a value expectation", "at, equals");
                    }
                }
                if (!have_at || !have_eq)
                    return yr_fail(c->r, item, "a value expectation needs at and equals");
                e->nvalues++;
            }
        } else if (key_is(k, "memory")) {
            if (yr_expect(c->r, v, YAML_SEQUENCE_NODE, "memory") < 0)
                return -1;
            YR_ITEMS(v, it)
            if (parse_memory_expect(c, yr_node(c->r, *it)) < 0)
                return -1;
        } else if (key_is(k, "mmu_warnings")) {
            if (yr_u64(c->r, v, "mmu_warnings", &n) < 0 || n > 1000000)
                return yr_fail(c->r, v, "mmu_warnings must be a count");
            if (!c->sc->check_mmu)
                return yr_fail(c->r, k, "mmu_warnings needs check_mmu: true");
            e->mmu_warnings = (int)n;
        } else if (key_is(k, "pt_diff")) {
            if (parse_pt_diff(c, v) < 0)
                return -1;
        } else if (key_is(k, "swap_roundtrip")) {
            if (parse_swap(c, v) < 0)
                return -1;
        } else {
            return unknown_key(c, k, "expect",
                               "outcome, ret, fixups, errors, memory, values, mmu_warnings, "
                               "pt_diff, swap_roundtrip");
        }
    }
    return 0;
}

static int parse_sweep(struct ctx *c, const yaml_node_t *map)
{
    static const char *const storages[] = {"data", "tag", NULL};
    rasim_scenario *sc = c->sc;
    if (yr_expect(c->r, map, YAML_MAPPING_NODE, "a sweep") < 0)
        return -1;
    if (sc->nsweeps == SC_MAX_SWEEPS)
        return yr_fail(c->r, map, "at most %d sweeps", SC_MAX_SWEEPS);
    struct sc_sweep *w = &sc->sweeps[sc->nsweeps];
    memset(w, 0, sizeof(*w));
    w->seed = 1;
    bool have_kind = false;
    const yaml_node_t *buf_node = NULL;
    YR_PAIRS(map, kv)
    {
        yaml_node_t *k = yr_node(c->r, kv->key), *v = yr_node(c->r, kv->value);
        uint64_t n;
        int i;
        if (key_is(k, "lines")) {
            if (copy_name(c, v, "lines", w->buffer, sizeof(w->buffer)) < 0)
                return -1;
            w->kind = SC_SWEEP_LINES;
            have_kind = true;
            buf_node = v;
        } else if (key_is(k, "random")) {
            if (yr_u64(c->r, v, "random", &n) < 0 || !n || n > 1000000)
                return yr_fail(c->r, v, "random must be a count from 1 to 1000000");
            w->kind = SC_SWEEP_RANDOM;
            w->count = (unsigned)n;
            have_kind = true;
        } else if (key_is(k, "instructions")) {
            if (parse_value(c, v, "instructions", &w->at) < 0)
                return -1;
            if (!w->at.name[0])
                return yr_fail(c->r, v, "instructions: expected BUFFER+OFFSET or SYMBOL+OFFSET");
            w->kind = SC_SWEEP_INSNS;
            memcpy(w->buffer, w->at.name, sizeof(w->buffer)); /* both SC_NAME long */
            have_kind = true;
        } else if (key_is(k, "over")) {
            if (copy_name(c, v, "over", w->buffer, sizeof(w->buffer)) < 0)
                return -1;
            buf_node = v;
        } else if (key_is(k, "seed")) {
            if (yr_u64(c->r, v, "seed", &w->seed) < 0)
                return -1;
        } else if (key_is(k, "in")) {
            if (parse_choice(c, v, "in", storages, &i) < 0)
                return -1;
            w->tag = i == 1;
        } else {
            return unknown_key(c, k, "a sweep", "lines, random, over, instructions, seed, in");
        }
    }
    if (!have_kind || !w->buffer[0])
        return yr_fail(c->r, map,
                       "a sweep is {lines: BUFFER}, {random: N, over: BUFFER} or "
                       "{instructions: LOCATION}");
    if (w->kind != SC_SWEEP_INSNS && !sc_buffer(sc, w->buffer))
        return yr_fail(c->r, buf_node, "no buffer named '%s'", w->buffer);
    sc->nsweeps++;
    return 0;
}

static int parse_campaign(struct ctx *c, const yaml_node_t *map)
{
    rasim_scenario *sc = c->sc;
    if (yr_expect(c->r, map, YAML_MAPPING_NODE, "campaign") < 0)
        return -1;
    YR_PAIRS(map, kv)
    {
        yaml_node_t *k = yr_node(c->r, kv->key), *v = yr_node(c->r, kv->value);
        int i;
        if (key_is(k, "sweep")) {
            if (yr_expect(c->r, v, YAML_SEQUENCE_NODE, "sweep") < 0)
                return -1;
            YR_ITEMS(v, it)
            if (parse_sweep(c, yr_node(c->r, *it)) < 0)
                return -1;
        } else if (key_is(k, "accept")) {
            if (yr_expect(c->r, v, YAML_SEQUENCE_NODE, "accept") < 0)
                return -1;
            YR_ITEMS(v, it)
            {
                if (parse_choice(c, yr_node(c->r, *it), "accept", outcome_names, &i) < 0)
                    return -1;
                sc->accept |= 1u << i;
            }
        } else {
            return unknown_key(c, k, "campaign", "sweep, accept");
        }
    }
    return 0;
}

static int parse_root(struct ctx *c)
{
    static const char *const archs[] = {"aarch64", "rv64", NULL};
    static const char *const policies[] = {"clear", "keep", "async", NULL};
    rasim_scenario *sc = c->sc;
    yaml_node_t *root = yr_root(c->r);
    if (yr_expect(c->r, root, YAML_MAPPING_NODE, "a scenario") < 0)
        return -1;
    /* Buffers first: sweeps and values name them. */
    /* call, expect, campaign, page_tables: after arch and buffers */
    const yaml_node_t *later[4] = {NULL, NULL, NULL, NULL};
    bool have_arch = false;
    YR_PAIRS(root, kv)
    {
        yaml_node_t *k = yr_node(c->r, kv->key), *v = yr_node(c->r, kv->value);
        const char *s;
        int i;
        if (key_is(k, "arch")) {
            if (parse_choice(c, v, "arch", archs, &i) < 0)
                return -1;
            sc->arch = i == 0 ? RASIM_ARCH_AARCH64 : RASIM_ARCH_RV64;
            have_arch = true;
        } else if (key_is(k, "profile")) {
            if (yr_string(c->r, v, "profile", &s) < 0)
                return -1;
            if (strchr(s, '/') || strstr(s, ".yaml")) {
                if (resolve(c, v, s, sc->profile, sizeof(sc->profile)) < 0)
                    return -1;
            } else {
                snprintf(sc->profile, sizeof(sc->profile), "%s", s);
            }
        } else if (key_is(k, "images")) {
            if (yr_expect(c->r, v, YAML_SEQUENCE_NODE, "images") < 0)
                return -1;
            YR_ITEMS(v, it)
            if (parse_image(c, yr_node(c->r, *it)) < 0)
                return -1;
        } else if (key_is(k, "buffers")) {
            if (yr_expect(c->r, v, YAML_SEQUENCE_NODE, "buffers") < 0)
                return -1;
            YR_ITEMS(v, it)
            if (parse_buffer(c, yr_node(c->r, *it)) < 0)
                return -1;
        } else if (key_is(k, "call")) {
            later[0] = v;
        } else if (key_is(k, "registers")) {
            if (yr_expect(c->r, v, YAML_MAPPING_NODE, "registers") < 0)
                return -1;
            YR_PAIRS(v, rv)
            {
                yaml_node_t *rk = yr_node(c->r, rv->key), *rval = yr_node(c->r, rv->value);
                const char *name = yr_scalar(rk);
                if (sc->nregs == sizeof(sc->regs) / sizeof(*sc->regs))
                    return yr_fail(c->r, rk, "at most 16 registers");
                if (!name || !*name || strlen(name) >= sizeof(sc->regs[0].name))
                    return yr_fail(c->r, rk, "registers: expected a register's name");
                snprintf(sc->regs[sc->nregs].name, sizeof(sc->regs[0].name), "%s", name);
                if (parse_value(c, rval, name, &sc->regs[sc->nregs].value) < 0)
                    return -1;
                sc->nregs++;
            }
        } else if (key_is(k, "page_tables")) {
            later[3] = v;
        } else if (key_is(k, "check_mmu")) {
            static const char *const bools[] = {"false", "true", NULL};
            if (parse_choice(c, v, "check_mmu", bools, &i) < 0)
                return -1;
            sc->check_mmu = i == 1;
        } else if (key_is(k, "feat_ras")) {
            static const char *const bools[] = {"false", "true", NULL};
            if (parse_choice(c, v, "feat_ras", bools, &i) < 0)
                return -1;
            sc->feat_ras = i == 1;
            if (sc->feat_ras)
                c->feat_ras_key = k;
        } else if (key_is(k, "store_policy")) {
            if (parse_choice(c, v, "store_policy", policies, &i) < 0)
                return -1;
            sc->store_policy = i;
        } else if (key_is(k, "poison")) {
            if (yr_expect(c->r, v, YAML_SEQUENCE_NODE, "poison") < 0)
                return -1;
            YR_ITEMS(v, it)
            if (parse_poison(c, yr_node(c->r, *it)) < 0)
                return -1;
        } else if (key_is(k, "contract")) {
            if (parse_contract(c, v) < 0)
                return -1;
        } else if (key_is(k, "expect")) {
            later[1] = v;
        } else if (key_is(k, "campaign")) {
            later[2] = v;
        } else {
            return unknown_key(c, k, "a scenario",
                               "arch, profile, images, buffers, call, registers, page_tables, "
                               "check_mmu, feat_ras, store_policy, poison, contract, expect, "
                               "campaign");
        }
    }
    if (!have_arch)
        return yr_fail(c->r, root, "a scenario needs arch: aarch64 or rv64");
    if (c->feat_ras_key && sc->arch != RASIM_ARCH_AARCH64)
        return yr_fail(c->r, c->feat_ras_key, "feat_ras: FEAT_RAS is an aarch64 feature");
    if (c->tags_key && sc->arch != RASIM_ARCH_AARCH64)
        return yr_fail(c->r, c->tags_key, "tags: MTE allocation tags exist on aarch64 only");
    if (!sc->nimages)
        return yr_fail(c->r, root, "a scenario needs at least one image");
    if (!later[0])
        return yr_fail(c->r, root, "a scenario needs a call");
    if (parse_call(c, later[0]) < 0 || (later[3] && parse_tables(c, later[3]) < 0) ||
        (later[1] && parse_expect(c, later[1]) < 0) ||
        (later[2] && parse_campaign(c, later[2]) < 0))
        return -1;
    return 0;
}

int sc_parse(rasim_scenario *sc, const char *text, size_t len, const char *const *search, char *err,
             size_t errlen)
{
    struct yr r;
    if (yr_open(&r, sc->path, text, len, err, errlen) < 0)
        return -1;
    struct ctx c = {&r, sc, search, NULL, NULL};
    int rc = parse_root(&c);
    yr_close(&r);
    return rc;
}

const struct sc_buffer *sc_buffer(const rasim_scenario *sc, const char *name)
{
    for (unsigned i = 0; i < sc->nbuffers; i++)
        if (!strcmp(sc->buffers[i].name, name))
            return &sc->buffers[i];
    return NULL;
}
