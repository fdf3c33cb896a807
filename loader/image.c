/*
 * image.c - the loaded-image description: building it, symbols, lookups.
 */
#include "loader/loader_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ld_fail(const struct ld_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(ctx->err, ctx->errlen, "%s: ", ctx->path);
    if (n < 0 || (size_t)n >= ctx->errlen)
        return -1;
    va_start(ap, fmt);
    vsnprintf(ctx->err + n, ctx->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static void *grow(void *array, size_t count, size_t elem)
{
    /* Capacity doubles at powers of two, so no separate capacity field. */
    if (count && (count & (count - 1)))
        return array;
    size_t cap = count ? count * 2 : 8;
    void *p = realloc(array, cap * elem);
    if (!p) {
        fprintf(stderr, "rasim: out of host memory\n");
        abort();
    }
    memset((char *)p + count * elem, 0, (cap - count) * elem);
    return p;
}

static char *xstrdup(const char *s)
{
    char *p = strdup(s ? s : "");
    if (!p) {
        fprintf(stderr, "rasim: out of host memory\n");
        abort();
    }
    return p;
}

struct ld_segment *ld_add_segment(struct ld_image *img)
{
    img->segments = grow(img->segments, img->nsegments, sizeof(*img->segments));
    return &img->segments[img->nsegments++];
}

struct ld_section *ld_add_section(struct ld_image *img, const char *name)
{
    img->sections = grow(img->sections, img->nsections, sizeof(*img->sections));
    struct ld_section *s = &img->sections[img->nsections++];
    s->name = xstrdup(name);
    return s;
}

struct ld_symbol *ld_add_symbol(struct ld_image *img, const char *name)
{
    img->symbols = grow(img->symbols, img->nsymbols, sizeof(*img->symbols));
    struct ld_symbol *s = &img->symbols[img->nsymbols++];
    s->name = xstrdup(name);
    return s;
}

bool ld_is_temporary_name(const char *name)
{
    if (!name || !name[0])
        return true;
    if (name[0] == '.' && name[1] == 'L')
        return true;
    /* Mapping symbols: $x, $d, $a, $t, optionally followed by ".suffix". */
    if (name[0] == '$' && name[1] && (name[2] == '\0' || name[2] == '.'))
        return true;
    return false;
}

void ld_image_free(struct ld_image *img)
{
    if (!img)
        return;
    for (size_t i = 0; i < img->nsegments; i++)
        free(img->segments[i].bytes);
    for (size_t i = 0; i < img->nsections; i++)
        free(img->sections[i].name);
    for (size_t i = 0; i < img->nsymbols; i++)
        free(img->symbols[i].name);
    free(img->segments);
    free(img->sections);
    free(img->symbols);
    free(img->extable);
    free(img->path);
    free(img);
}

const char *ld_arch_name(enum ld_arch arch)
{
    switch (arch) {
    case LD_ARCH_AARCH64: return "aarch64";
    case LD_ARCH_RV64: return "rv64";
    case LD_ARCH_NONE: break;
    }
    return "none";
}

enum ld_arch ld_arch_from_name(const char *name)
{
    if (!strcmp(name, "aarch64") || !strcmp(name, "arm64"))
        return LD_ARCH_AARCH64;
    if (!strcmp(name, "rv64") || !strcmp(name, "riscv64") || !strcmp(name, "riscv"))
        return LD_ARCH_RV64;
    return LD_ARCH_NONE;
}

const char *ld_kind_name(enum ld_kind kind)
{
    switch (kind) {
    case LD_KIND_REL: return "relocatable";
    case LD_KIND_EXEC: return "executable";
    case LD_KIND_DYN: return "shared";
    case LD_KIND_IMAGE: return "image";
    }
    return "unknown";
}

/* ---- ordering --------------------------------------------------------- */

static int symbol_rank(const struct ld_symbol *s)
{
    /* Among symbols at one address, prefer the one that names it best. */
    if (!s->names_address)
        return 3;
    if (s->type == LD_SYM_FUNC || s->type == LD_SYM_OBJECT)
        return s->global ? 0 : 1;
    return 2;
}

static int cmp_symbol(const void *a, const void *b)
{
    const struct ld_symbol *x = a, *y = b;
    if (x->va != y->va)
        return x->va < y->va ? -1 : 1;
    int rx = symbol_rank(x), ry = symbol_rank(y);
    if (rx != ry)
        return rx - ry;
    /* Linker-script markers (_text, __start_foo) share addresses with the
     * function that follows them; the function is the better name. */
    size_t ux = strspn(x->name, "_"), uy = strspn(y->name, "_");
    if (ux != uy)
        return ux < uy ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int cmp_extable(const void *a, const void *b)
{
    const struct ld_extable_entry *x = a, *y = b;
    if (x->insn != y->insn)
        return x->insn < y->insn ? -1 : 1;
    return x->entry_va < y->entry_va ? -1 : x->entry_va > y->entry_va;
}

void ld_finish(struct ld_image *img)
{
    /* qsort's array may not be NULL even for zero elements. */
    if (img->nsymbols)
        qsort(img->symbols, img->nsymbols, sizeof(*img->symbols), cmp_symbol);
    if (img->nextable)
        qsort(img->extable, img->nextable, sizeof(*img->extable), cmp_extable);
    /* System.map symbols carry no size: each extends to the next address. */
    for (size_t i = 0; i < img->nsymbols; i++) {
        struct ld_symbol *s = &img->symbols[i];
        if (s->size || !s->names_address)
            continue;
        for (size_t j = i + 1; j < img->nsymbols; j++) {
            if (img->symbols[j].va > s->va && img->symbols[j].names_address) {
                s->size = img->symbols[j].va - s->va;
                break;
            }
        }
    }
}

/* ---- lookups ---------------------------------------------------------- */

const struct ld_symbol *ld_find_symbol(const struct ld_image *img, const char *name)
{
    const struct ld_symbol *best = NULL;
    for (size_t i = 0; i < img->nsymbols; i++) {
        const struct ld_symbol *s = &img->symbols[i];
        if (strcmp(s->name, name))
            continue;
        if (s->global)
            return s;
        if (!best)
            best = s;
    }
    return best;
}

const struct ld_symbol *ld_symbol_for(const struct ld_image *img, uint64_t va, uint64_t *offset)
{
    /* Last symbol with address <= va, then back up to one that names. */
    size_t lo = 0, hi = img->nsymbols;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (img->symbols[mid].va <= va)
            lo = mid + 1;
        else
            hi = mid;
    }
    while (lo > 0) {
        const struct ld_symbol *s = &img->symbols[--lo];
        if (!s->names_address)
            continue;
        /* Equal addresses are ordered best first: return the first of them. */
        while (lo > 0 && img->symbols[lo - 1].va == s->va && img->symbols[lo - 1].names_address)
            s = &img->symbols[--lo];
        *offset = va - s->va;
        return s;
    }
    return NULL;
}

void ld_describe(const struct ld_image *img, uint64_t va, char *buf, size_t len)
{
    uint64_t off = 0;
    const struct ld_symbol *s = img ? ld_symbol_for(img, va, &off) : NULL;
    /* A sized symbol only names addresses inside it. */
    if (s && s->size && off >= s->size)
        s = NULL;
    if (s)
        snprintf(buf, len, "%s+0x%llx", s->name, (unsigned long long)off);
    else
        snprintf(buf, len, "0x%llx", (unsigned long long)va);
}

const struct ld_extable_entry *ld_extable_find(const struct ld_image *img, uint64_t insn)
{
    size_t lo = 0, hi = img->nextable;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct ld_extable_entry *e = &img->extable[mid];
        if (e->insn == insn)
            return e;
        if (e->insn < insn)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
