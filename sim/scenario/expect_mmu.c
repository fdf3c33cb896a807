/*
 * expect_mmu.c - the scenario expectations about page tables: pt_diff (the
 * differences between two trees are exactly the listed ones, as a
 * trans_pgd copy must show) and swap_roundtrip (the guest's swap-PTE
 * helpers agree with rasim's codec of the kernel's layout, and setting and
 * clearing the exclusive bit changes nothing else - the property the
 * kernel's debug_vm_pgtable checks).
 */
#include "sim/scenario/scenario.h"
#include "mmu/translate.h"

#include <stdio.h>
#include <string.h>

/* ---- pt_diff ------------------------------------------------------------ */

struct found {
    struct rasim_pt_change c[32];
    unsigned n;
};

static void collect(void *ctx, const struct rasim_pt_change *change)
{
    struct found *f = ctx;
    if (f->n < sizeof(f->c) / sizeof(*f->c))
        f->c[f->n] = *change;
    f->n++;
}

static void check_pt_diff(rasim_scenario *sc, rasim_machine *m, struct rasim_run_result *r)
{
    const struct sc_pt_diff *d = &sc->expect.pt_diff;
    char err[256], actual[256] = "";
    struct rasim_pt before = {.va_bits = d->va_bits, .layout = d->layout};
    struct rasim_pt after = before;
    if (sc_eval(sc, m, &d->before, &before.root, err, sizeof(err)) < 0 ||
        sc_eval(sc, m, &d->after, &after.root, err, sizeof(err)) < 0 ||
        (d->before1_set && sc_eval(sc, m, &d->before1, &before.root1, err, sizeof(err)) < 0) ||
        (d->after1_set && sc_eval(sc, m, &d->after1, &after.root1, err, sizeof(err)) < 0)) {
        sc_check(r, false, err, "pt_diff");
        return;
    }
    struct found f = {.n = 0};
    if (rasim_pt_diff(m, &before, &after, collect, &f) < 0) {
        sc_check(r, false, rasim_error(m), "pt_diff");
        return;
    }
    bool same = f.n == d->nchanges;
    for (unsigned i = 0; same && i < f.n; i++)
        same = f.c[i].va == d->changes[i].va && f.c[i].size == d->changes[i].size &&
               !strcmp(f.c[i].kind, d->changes[i].kind);
    size_t used = 0;
    for (unsigned i = 0; i < f.n && i < 32 && used < sizeof(actual); i++)
        used += (size_t)snprintf(actual + used, sizeof(actual) - used, "%s0x%llx+0x%llx %s",
                                 i ? "; " : "", (unsigned long long)f.c[i].va,
                                 (unsigned long long)f.c[i].size, f.c[i].kind);
    if (!f.n)
        snprintf(actual, sizeof(actual), "no differences");
    sc_check(r, same, actual, "pt_diff: exactly the %u listed changes", d->nchanges);
}

/* ---- swap_roundtrip ------------------------------------------------------ */

static enum pte_layout layout_of(const rasim_scenario *sc, const char *name)
{
    bool new = !strcmp(name, "linux-6.12");
    if (sc->arch == RASIM_ARCH_AARCH64)
        return new ? PTE_ARM64_6_12 : PTE_ARM64_6_1;
    return new ? PTE_RISCV_6_12 : PTE_RISCV_6_1;
}

struct swap_ctx {
    rasim_scenario *sc;
    rasim_machine *m;
    enum pte_layout layout;
    char why[256];
};

/* Call a one- or two-argument helper; false (with why) when it fails. */
static bool helper(struct swap_ctx *x, const char *sym, uint64_t a, uint64_t b, unsigned n,
                   uint64_t *ret)
{
    const uint64_t args[2] = {a, b};
    char err[192];
    if (sc_call(x->sc, x->m, sym, args, n, ret, err, sizeof(err)) == 0)
        return true;
    snprintf(x->why, sizeof(x->why), "%s", err);
    return false;
}

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        snprintf(x->why, sizeof(x->why), __VA_ARGS__);                                             \
        return false;                                                                              \
    } while (0)

/* One entry: make it, then (when the helpers exist) mark and unmark it. */
static bool roundtrip(struct swap_ctx *x, unsigned type, uint64_t offset)
{
    const struct sc_swap *w = &x->sc->expect.swap;
    uint64_t pte, want = pte_make_swap(x->layout, type, offset), v;
    struct pte_desc d;
    if (!helper(x, w->make, type, offset, 2, &pte))
        return false;
    if (pte != want)
        FAIL("%s(%u, 0x%llx) = 0x%llx, the layout says 0x%llx", w->make, type,
             (unsigned long long)offset, (unsigned long long)pte, (unsigned long long)want);
    if (w->type[0] && (!helper(x, w->type, pte, 0, 1, &v) || v != type))
        FAIL("%s(0x%llx) = 0x%llx, not type %u", w->type, (unsigned long long)pte,
             (unsigned long long)v, type);
    if (w->offset[0] && (!helper(x, w->offset, pte, 0, 1, &v) || v != offset))
        FAIL("%s(0x%llx) = 0x%llx, not offset 0x%llx", w->offset, (unsigned long long)pte,
             (unsigned long long)v, (unsigned long long)offset);
    if (!w->mkexclusive[0])
        return true;
    uint64_t excl, back, flag;
    if (!helper(x, w->exclusive, pte, 0, 1, &flag))
        return false;
    if (flag)
        FAIL("%s(0x%llx) = %llu for a fresh entry", w->exclusive, (unsigned long long)pte,
             (unsigned long long)flag);
    if (!helper(x, w->mkexclusive, pte, 0, 1, &excl))
        return false;
    pte_decode(x->layout, PTE_LEVEL_PTE, excl, &d);
    if (d.valid || d.present)
        FAIL("%s made 0x%llx %s", w->mkexclusive, (unsigned long long)excl,
             d.valid ? "valid" : "present");
    if (!d.is_swap || d.swp_type != type || d.swp_offset != offset)
        FAIL("%s(type %u offset 0x%llx) gave 0x%llx, which reads as type %u offset 0x%llx",
             w->mkexclusive, type, (unsigned long long)offset, (unsigned long long)excl, d.swp_type,
             (unsigned long long)d.swp_offset);
    if (d.swp_has_exclusive && !d.swp_exclusive)
        FAIL("%s(0x%llx) = 0x%llx: the layout's exclusive bit is not set", w->mkexclusive,
             (unsigned long long)pte, (unsigned long long)excl);
    if (!helper(x, w->exclusive, excl, 0, 1, &flag))
        return false;
    if (flag != 1)
        FAIL("%s(0x%llx) = %llu after %s", w->exclusive, (unsigned long long)excl,
             (unsigned long long)flag, w->mkexclusive);
    if (!helper(x, w->clear_exclusive, excl, 0, 1, &back))
        return false;
    if (back != pte)
        FAIL("%s(0x%llx) = 0x%llx, not the entry before %s (0x%llx)", w->clear_exclusive,
             (unsigned long long)excl, (unsigned long long)back, w->mkexclusive,
             (unsigned long long)pte);
    return true;
}

static void check_swap(rasim_scenario *sc, rasim_machine *m, struct rasim_run_result *r)
{
    const struct sc_swap *w = &sc->expect.swap;
    struct swap_ctx x = {sc, m, layout_of(sc, w->layout), ""};
    unsigned tbits = pte_swp_type_bits(x.layout), obits = pte_swp_offset_bits(x.layout);
    /* Every type; offsets at the field's edges and a spread of bit patterns. */
    const uint64_t omax = (obits >= 64 ? ~0ull : (1ull << obits) - 1);
    const uint64_t offsets[] = {
        0, 1, 0x1234, 0x5555555555555555ull & omax, 0xaaaaaaaaaaaaaaaaull & omax, omax >> 1, omax};
    bool ok = true;
    for (unsigned type = 0; ok && type < (1u << tbits); type++)
        for (size_t i = 0; ok && i < sizeof(offsets) / sizeof(*offsets); i++)
            ok = roundtrip(&x, type, offsets[i]);
    sc_check(r, ok, x.why, "swap entries round-trip through the %s layout (%s)", w->layout,
             w->mkexclusive[0] ? "make, exclusive bit set and cleared" : "make and decode");
}

void sc_check_mmu(rasim_scenario *sc, rasim_machine *m, struct rasim_run_result *r)
{
    if (sc->expect.pt_diff.set)
        check_pt_diff(sc, m, r);
    if (sc->expect.swap.set)
        check_swap(sc, m, r);
}
