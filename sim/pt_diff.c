/*
 * pt_diff.c - what changed between two page-table trees, range by range.
 *
 * Both trees are enumerated into runs (pt.c); every boundary of either
 * splits the VA space into segments, each compared as "before" and "after"
 * entries, and consecutive segments with the same change are reported
 * once. The fields compared are the ones a reviewer of trans_pgd or
 * contpte code asks about: permissions, access/dirty state, contiguous,
 * attributes, output address, validity.
 */
#include "sim/machine.h"
#include "mmu/translate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define A64_OA_MASK 0x0000fffffffff000ull /* KERNEL-FACTS 4.1: OA[47:12] */
#define RV_PPN_MASK 0x003ffffffffffc00ull /* KERNEL-FACTS 5.2: PPN[53:10] */
#define RV_PTE_N    (1ull << 63)          /* Svnapot, 5.3 */

struct run_list {
    struct rasim_pt_range *r;
    size_t n, cap;
};

static void collect(void *ctx, const struct rasim_pt_range *range)
{
    struct run_list *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        struct rasim_pt_range *grown = realloc(l->r, l->cap * sizeof(*grown));
        if (!grown) {
            fprintf(stderr, "rasim: out of host memory\n");
            abort();
        }
        l->r = grown;
    }
    l->r[l->n++] = *range;
}

/* The run of l covering va, or NULL; *at advances monotonically. */
static const struct rasim_pt_range *covering(const struct run_list *l, size_t *at, uint64_t va)
{
    while (*at < l->n && l->r[*at].va + (l->r[*at].size - 1) < va)
        (*at)++;
    if (*at < l->n && l->r[*at].va <= va)
        return &l->r[*at];
    return NULL;
}

static enum pte_layout layout_for(const rasim_machine *m, const struct rasim_pt *pt)
{
    bool v61 = pt->layout && !strcmp(pt->layout, "linux-6.1");
    if (m->arch->arch == RASIM_ARCH_AARCH64)
        return v61 ? PTE_ARM64_6_1 : PTE_ARM64_6_12;
    return v61 ? PTE_RISCV_6_1 : PTE_RISCV_6_12;
}

static void add(char *buf, size_t len, const char *fmt, const char *a, const char *b)
{
    size_t used = strlen(buf);
    snprintf(buf + used, len - used, fmt, used ? " " : "", a, b);
}

static const char *ap_name(unsigned ap)
{
    static const char *const names[] = {"RW_EL1", "RW", "RO_EL1", "RO"};
    return names[ap & 3];
}

/* Named fields that differ between two leaves (KERNEL-FACTS 4.1, 5.2). */
static void field_changes(bool a64, const struct pte_desc *o, const struct pte_desc *n,
                          char *buf, size_t len)
{
#define FLAG(field, name)                                                   \
    if (o->field != n->field)                                               \
        add(buf, len, "%s%s%s", n->field ? "+" : "-", name);
    buf[0] = '\0';
    if (a64) {
        if (o->ap != n->ap)
            add(buf, len, "%sAP %s->%s", ap_name(o->ap), ap_name(n->ap));
        if (o->attrindx != n->attrindx) {
            char x[8], y[8];
            snprintf(x, sizeof(x), "%u", o->attrindx);
            snprintf(y, sizeof(y), "%u", n->attrindx);
            add(buf, len, "%sAttrIndx %s->%s", x, y);
        }
        FLAG(dbm, "DBM")
        FLAG(af, "AF")
        FLAG(ng, "nG")
        FLAG(cont, "CONT")
        FLAG(pxn, "PXN")
        FLAG(uxn, "UXN")
        FLAG(sw_dirty, "DIRTY")
    } else {
        FLAG(r, "R")
        FLAG(w, "W")
        FLAG(x, "X")
        FLAG(u, "U")
        FLAG(g, "G")
        FLAG(a, "A")
        FLAG(d, "D")
        FLAG(napot, "N")
        if (o->pbmt != n->pbmt)
            add(buf, len, "%sPBMT %s->%s", o->pbmt == 0 ? "PMA" : o->pbmt == 1 ? "NC" : "IO",
                n->pbmt == 0 ? "PMA" : n->pbmt == 1 ? "NC" : "IO");
    }
    if (o->k_write != n->k_write)
        add(buf, len, "%s%s%s", "", n->k_write ? "(now writable)" : "(now read-only)");
#undef FLAG
}

struct change_state {
    void (*fn)(void *ctx, const struct rasim_pt_change *change);
    void *ctx;
    struct rasim_pt_change cur;
    char key[256]; /* what segments of cur have in common */
    bool have;
};

/* A change over [va, va + size): joined to the one before when it goes on
 * from it with the same kind and key, else reported as a new one with
 * what (by default the key) as its description. */
static void report_as(struct change_state *st, uint64_t va, uint64_t size, const char *kind,
                      const char *key, const char *what)
{
    struct rasim_pt_change *c = &st->cur;
    if (st->have && c->va + c->size == va && !strcmp(c->kind, kind) && !strcmp(st->key, key)) {
        c->size += size;
        return;
    }
    if (st->have)
        st->fn(st->ctx, c);
    c->va = va;
    c->size = size;
    c->kind = kind;
    snprintf(st->key, sizeof(st->key), "%s", key);
    snprintf(c->what, sizeof(c->what), "%s", what ? what : key);
    st->have = true;
}

static void report(struct change_state *st, uint64_t va, uint64_t size, const char *kind,
                   const char *what)
{
    report_as(st, va, size, kind, what, NULL);
}

/* The kernel's level numbering (0 = PTE) of a leaf of this size. */
static unsigned klevel_of(uint64_t leaf_size)
{
    unsigned klevel = 0;
    for (uint64_t s = leaf_size; s > 4096; s >>= 9)
        klevel++;
    return klevel;
}

/* The leaf of run r that maps va, decoded. A run's text is its first
 * entry's; a change that starts further in names the entry it concerns
 * (its own output address), not the run's first. RISC-V NAPOT entries
 * encode their range, not the page: those keep the run's text. */
static const char *leaf_text(const rasim_machine *m, enum pte_layout lay,
                             const struct rasim_pt_range *r, uint64_t va, char *buf, size_t len)
{
    if (!r->mapped || va == r->va)
        return r->text;
    uint64_t pa = r->pa + ((va - r->va) & ~(r->leaf_size - 1)), raw;
    if (m->arch->arch == RASIM_ARCH_AARCH64)
        raw = (r->raw & ~A64_OA_MASK) | pa;
    else if (r->raw & RV_PTE_N)
        return r->text;
    else
        raw = (r->raw & ~RV_PPN_MASK) | ((pa >> 12) << 10);
    pte_format_level(lay, klevel_of(r->leaf_size), raw, buf, len);
    return buf;
}

static void compare(const rasim_machine *m, enum pte_layout lay, const struct rasim_pt_range *a,
                    const struct rasim_pt_range *b, uint64_t va, uint64_t size,
                    struct change_state *st)
{
    bool a64 = m->arch->arch == RASIM_ARCH_AARCH64;
    char text[192];
    if (!a && !b)
        return;
    if (!a || !b) {
        const struct rasim_pt_range *r = a ? a : b;
        report_as(st, va, size, a ? "dropped" : "added", r->text,
                  leaf_text(m, lay, r, va, text, sizeof(text)));
        return;
    }
    if (a->mapped != b->mapped) {
        report_as(st, va, size, b->mapped ? "made valid" : "made invalid", b->text,
                  leaf_text(m, lay, b, va, text, sizeof(text)));
        return;
    }
    if (!a->mapped) {
        if (a->raw != b->raw)
            report(st, va, size, "attributes", b->text);
        return;
    }
    uint64_t pa_a = a->pa + (va - a->va), pa_b = b->pa + (va - b->va);
    if (pa_a != pa_b) {
        char what[64];
        snprintf(what, sizeof(what), "pa 0x%llx->0x%llx", (unsigned long long)pa_a,
                 (unsigned long long)pa_b);
        report(st, va, size, "moved", what);
        return;
    }
    if (a->attrs == b->attrs && a->leaf_size == b->leaf_size)
        return;
    struct pte_desc o, n;
    pte_decode(lay, klevel_of(a->leaf_size), a->raw, &o);
    pte_decode(lay, klevel_of(b->leaf_size), b->raw, &n);
    char what[256];
    field_changes(a64, &o, &n, what, sizeof(what));
    if (a->leaf_size != b->leaf_size) {
        size_t used = strlen(what);
        snprintf(what + used, sizeof(what) - used, "%sleaf size 0x%llx->0x%llx", used ? " " : "",
                 (unsigned long long)a->leaf_size, (unsigned long long)b->leaf_size);
    }
    if (what[0])
        report(st, va, size, "attributes", what);
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* Every place a run of either list starts or ends (the end of a run that
 * reaches the top of the address space is implicit). */
static size_t boundaries(const struct run_list *a, const struct run_list *b, uint64_t **out)
{
    size_t n = 0, cap = 2 * (a->n + b->n) + 1;
    uint64_t *p = malloc(cap * sizeof(*p));
    if (!p) {
        fprintf(stderr, "rasim: out of host memory\n");
        abort();
    }
    for (int side = 0; side < 2; side++) {
        const struct run_list *l = side ? b : a;
        for (size_t i = 0; i < l->n; i++) {
            uint64_t last = l->r[i].va + (l->r[i].size - 1);
            p[n++] = l->r[i].va;
            if (last != UINT64_MAX)
                p[n++] = last + 1;
        }
    }
    qsort(p, n, sizeof(*p), cmp_u64);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || p[i] != p[u - 1])
            p[u++] = p[i];
    *out = p;
    return u;
}

int rasim_pt_diff(rasim_machine *m, const struct rasim_pt *before, const struct rasim_pt *after,
                  void (*fn)(void *ctx, const struct rasim_pt_change *change), void *ctx)
{
    struct run_list a = {0}, b = {0};
    uint64_t *pts = NULL;
    int rc = -1;
    if (rasim_pt_ranges(m, before, collect, &a) < 0 || rasim_pt_ranges(m, after, collect, &b) < 0)
        goto out;
    enum pte_layout lay = layout_for(m, after);
    struct change_state st = {.fn = fn, .ctx = ctx};
    size_t np = boundaries(&a, &b, &pts), ia = 0, ib = 0;
    for (size_t k = 0; k < np; k++) {
        uint64_t lo = pts[k];
        uint64_t last = k + 1 < np ? pts[k + 1] - 1 : UINT64_MAX;
        const struct rasim_pt_range *ra = covering(&a, &ia, lo);
        const struct rasim_pt_range *rb = covering(&b, &ib, lo);
        if (ra || rb)
            compare(m, lay, ra, rb, lo, last - lo + 1, &st);
    }
    if (st.have)
        fn(ctx, &st.cur);
    rc = 0;
out:
    free(pts);
    free(a.r);
    free(b.r);
    return rc;
}
