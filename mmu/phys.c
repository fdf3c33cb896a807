/*
 * phys.c - sparse physical memory: regions, lazily allocated 4 KiB pages,
 * MTE tag storage, the access hook and the write observer for marked pages.
 *
 * Pages live in an open-addressing hash keyed by page frame number. A page is
 * allocated on its first write (or when a fast path asks for its host
 * pointer); reads of never-written RAM return zeros without allocating, so a
 * machine with gigabytes of declared RAM costs only what it touches.
 */
#include "mmu/phys_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *phys_status_name(enum phys_status status)
{
    switch (status) {
    case PHYS_OK: return "ok";
    case PHYS_ABSENT_ADDR: return "no memory at address";
    case PHYS_READ_ONLY: return "write to read-only memory";
    case PHYS_DEVICE_ERROR: return "device access refused";
    case PHYS_NO_TAGS: return "no tag storage";
    case PHYS_CROSSES_PAGE: return "access crosses a page";
    case PHYS_CHECK_FAILED: return "access stopped by hook";
    }
    return "unknown";
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p) {
        fprintf(stderr, "rasim: out of host memory\n");
        abort();
    }
    return p;
}

struct phys_mem *phys_new(void)
{
    struct phys_mem *pm = xcalloc(1, sizeof(*pm));
    pm->bucket_count = 1024;
    pm->buckets = xcalloc(pm->bucket_count, sizeof(*pm->buckets));
    pm->generation = 1;
    return pm;
}

void phys_free(struct phys_mem *pm)
{
    if (!pm)
        return;
    for (size_t i = 0; i < pm->bucket_count; i++) {
        struct phys_page *pg = pm->buckets[i];
        if (!pg)
            continue;
        free(pg->data);
        free(pg->tags);
        free(pg->snap_data);
        free(pg->snap_tags);
        free(pg);
    }
    for (size_t i = 0; i < pm->region_count; i++)
        free(pm->regions[i]);
    free(pm->regions);
    free(pm->buckets);
    free(pm->dirty);
    free(pm);
}

/* ---- regions ---------------------------------------------------------- */

int phys_add_region(struct phys_mem *pm, const struct phys_region *region, char *err, size_t errlen)
{
    uint64_t last = region->base + region->size - 1;
    if (region->size == 0) {
        snprintf(err, errlen, "region '%s' has zero size", region->name);
        return -1;
    }
    if (last < region->base) {
        snprintf(err, errlen, "region '%s' at 0x%llx size 0x%llx wraps the address space",
                 region->name, (unsigned long long)region->base, (unsigned long long)region->size);
        return -1;
    }
    size_t at = 0;
    while (at < pm->region_count && pm->regions[at]->base < region->base)
        at++;
    for (size_t i = 0; i < pm->region_count; i++) {
        const struct phys_region *r = pm->regions[i];
        uint64_t r_last = r->base + r->size - 1;
        if (region->base <= r_last && r->base <= last) {
            snprintf(err, errlen,
                     "region '%s' [0x%llx, 0x%llx] overlaps region '%s' [0x%llx, 0x%llx]",
                     region->name, (unsigned long long)region->base, (unsigned long long)last,
                     r->name, (unsigned long long)r->base, (unsigned long long)r_last);
            return -1;
        }
    }
    struct phys_region *copy = xcalloc(1, sizeof(*copy));
    *copy = *region;
    struct phys_region **grown =
        realloc(pm->regions, (pm->region_count + 1) * sizeof(*pm->regions));
    if (!grown) {
        free(copy);
        snprintf(err, errlen, "out of host memory");
        return -1;
    }
    pm->regions = grown;
    memmove(&pm->regions[at + 1], &pm->regions[at], (pm->region_count - at) * sizeof(*pm->regions));
    pm->regions[at] = copy;
    pm->region_count++;
    pm->generation++;
    return 0;
}

const struct phys_region *phys_region_at(const struct phys_mem *pm, uint64_t pa)
{
    size_t lo = 0, hi = pm->region_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct phys_region *r = pm->regions[mid];
        if (pa < r->base)
            hi = mid;
        else if (pa - r->base >= r->size)
            lo = mid + 1;
        else
            return r;
    }
    return NULL;
}

size_t phys_region_count(const struct phys_mem *pm)
{
    return pm->region_count;
}

const struct phys_region *phys_region_get(const struct phys_mem *pm, size_t index)
{
    return index < pm->region_count ? pm->regions[index] : NULL;
}

/* ---- pages ------------------------------------------------------------ */

static size_t bucket_of(const struct phys_mem *pm, uint64_t pfn)
{
    /* Fibonacci hashing spreads the sequential PFNs of a region. */
    return (size_t)((pfn * 0x9E3779B97F4A7C15ull) >> 20) & (pm->bucket_count - 1);
}

struct phys_page *phys_page_find(const struct phys_mem *pm, uint64_t pfn)
{
    if (pm->last && pm->last->pfn == pfn)
        return pm->last;
    for (size_t i = bucket_of(pm, pfn);; i = (i + 1) & (pm->bucket_count - 1)) {
        struct phys_page *pg = pm->buckets[i];
        if (!pg)
            return NULL;
        if (pg->pfn == pfn) {
            ((struct phys_mem *)pm)->last = pg;
            return pg;
        }
    }
}

static void insert_page(struct phys_mem *pm, struct phys_page *pg)
{
    size_t i = bucket_of(pm, pg->pfn);
    while (pm->buckets[i])
        i = (i + 1) & (pm->bucket_count - 1);
    pm->buckets[i] = pg;
}

static void grow_buckets(struct phys_mem *pm)
{
    struct phys_page **old = pm->buckets;
    size_t old_count = pm->bucket_count;
    pm->bucket_count *= 2;
    pm->buckets = xcalloc(pm->bucket_count, sizeof(*pm->buckets));
    for (size_t i = 0; i < old_count; i++)
        if (old[i])
            insert_page(pm, old[i]);
    free(old);
}

void phys_mark_dirty(struct phys_mem *pm, struct phys_page *pg)
{
    if (!pm->snapshot_active || pg->dirty_epoch == pm->epoch)
        return;
    pg->dirty_epoch = pm->epoch;
    if (pm->dirty_count == pm->dirty_cap) {
        size_t cap = pm->dirty_cap ? pm->dirty_cap * 2 : 64;
        struct phys_page **grown = realloc(pm->dirty, cap * sizeof(*grown));
        if (!grown) {
            fprintf(stderr, "rasim: out of host memory\n");
            abort();
        }
        pm->dirty = grown;
        pm->dirty_cap = cap;
    }
    pm->dirty[pm->dirty_count++] = pg;
}

struct phys_page *phys_page_get(struct phys_mem *pm, uint64_t pfn)
{
    struct phys_page *pg = phys_page_find(pm, pfn);
    if (pg)
        return pg;
    if ((pm->page_count + 1) * 2 > pm->bucket_count)
        grow_buckets(pm);
    pg = xcalloc(1, sizeof(*pg));
    pg->pfn = pfn;
    pg->data = xcalloc(1, PHYS_PAGE_SIZE);
    /* A page born after the snapshot has no saved copy: restore zeroes it. */
    pg->dirty_epoch = pm->snapshot_active ? pm->epoch - 1 : 0;
    insert_page(pm, pg);
    pm->page_count++;
    pm->last = pg;
    return pg;
}

size_t phys_pages_allocated(const struct phys_mem *pm)
{
    return pm->page_count;
}

/* ---- byte access ------------------------------------------------------ */

static enum phys_status fail(struct phys_fault *fault, enum phys_status status, uint64_t pa)
{
    if (fault) {
        fault->status = status;
        fault->pa = pa;
    }
    return status;
}

/* Length of the piece of [pa, pa+len) that stays in one page and one region. */
static size_t chunk_len(uint64_t pa, size_t len, const struct phys_region *r)
{
    uint64_t in_page = PHYS_PAGE_SIZE - (pa & PHYS_PAGE_MASK);
    uint64_t in_region = r->size - (pa - r->base);
    uint64_t n = len;
    if (n > in_page)
        n = in_page;
    if (n > in_region)
        n = in_region;
    return (size_t)n;
}

static enum phys_status run_hook(struct phys_mem *pm, enum phys_access_kind kind, uint64_t pa,
                                 size_t len, unsigned flags, struct phys_fault *fault)
{
    if ((flags & PHYS_INIT) || !pm->hook)
        return PHYS_OK;
    struct phys_page *pg = phys_page_find(pm, pa >> PHYS_PAGE_SHIFT);
    if (!pg || !(pg->flags & PHYS_PAGE_HOOK))
        return PHYS_OK;
    uint64_t at = pa;
    enum phys_status st = pm->hook(pm->hook_ctx, kind, pa, len, &at);
    return st == PHYS_OK ? PHYS_OK : fail(fault, st, at);
}

/*
 * Check the whole access before touching anything, so that a write that
 * faults on its second page leaves the first page unchanged.
 */
static enum phys_status check_access(struct phys_mem *pm, uint64_t pa, size_t len,
                                     enum phys_access_kind kind, unsigned flags,
                                     struct phys_fault *fault)
{
    if (len == 0)
        return PHYS_OK;
    if (pa + (len - 1) < pa)
        return fail(fault, PHYS_ABSENT_ADDR, 0);
    if ((flags & PHYS_NO_CROSS) && ((pa & PHYS_PAGE_MASK) + len > PHYS_PAGE_SIZE))
        return fail(fault, PHYS_CROSSES_PAGE, pa);
    uint64_t at = pa;
    size_t left = len;
    while (left) {
        const struct phys_region *r = phys_region_at(pm, at);
        if (!r || r->kind == PHYS_ABSENT)
            return fail(fault, PHYS_ABSENT_ADDR, at);
        size_t n = chunk_len(at, left, r);
        if (r->kind == PHYS_DEVICE && n != len)
            return fail(fault, PHYS_DEVICE_ERROR, at);
        if (r->kind == PHYS_ROM && kind == PHYS_ACC_WRITE && !(flags & PHYS_INIT))
            return fail(fault, PHYS_READ_ONLY, at);
        at += n;
        left -= n;
    }
    /* Only a possible access reaches the hook, one page at a time. */
    for (at = pa, left = len; left;) {
        size_t n = chunk_len(at, left, phys_region_at(pm, at));
        enum phys_status st = run_hook(pm, kind, at, n, flags, fault);
        if (st != PHYS_OK)
            return st;
        at += n;
        left -= n;
    }
    return PHYS_OK;
}

static enum phys_status device_access(const struct phys_region *r, uint64_t pa, void *buf,
                                      size_t len, bool write, struct phys_fault *fault)
{
    if (len != 1 && len != 2 && len != 4 && len != 8)
        return fail(fault, PHYS_DEVICE_ERROR, pa);
    uint64_t value = 0;
    if (write) {
        memcpy(&value, buf, len); /* host is little-endian, as the guests */
        if (!r->device.write || !r->device.write(r->device.ctx, pa - r->base, (unsigned)len, value))
            return fail(fault, PHYS_DEVICE_ERROR, pa);
        return PHYS_OK;
    }
    if (!r->device.read || !r->device.read(r->device.ctx, pa - r->base, (unsigned)len, &value))
        return fail(fault, PHYS_DEVICE_ERROR, pa);
    memcpy(buf, &value, len);
    return PHYS_OK;
}

/* memcpy for the bytes of one access: the sizes loads and stores have
 * are copied as such. (For a size it can bound but not know, the compiler
 * inlines rep movsq, whose start-up cost was most of a slow-path access.) */
static inline void copy_access(void *dst, const void *src, size_t n)
{
    switch (n) {
    case 1: memcpy(dst, src, 1); break;
    case 2: memcpy(dst, src, 2); break;
    case 4: memcpy(dst, src, 4); break;
    case 8: memcpy(dst, src, 8); break;
    case 16: memcpy(dst, src, 16); break;
    default: memcpy(dst, src, n); break;
    }
}

static enum phys_status access_kind(struct phys_mem *pm, uint64_t pa, void *buf, size_t len,
                                    enum phys_access_kind kind, unsigned flags,
                                    struct phys_fault *fault)
{
    bool write = kind == PHYS_ACC_WRITE;
    enum phys_status st = check_access(pm, pa, len, kind, flags, fault);
    if (st != PHYS_OK)
        return st;
    uint8_t *p = buf;
    while (len) {
        const struct phys_region *r = phys_region_at(pm, pa);
        size_t n = chunk_len(pa, len, r);
        if (r->kind == PHYS_DEVICE)
            return device_access(r, pa, p, n, write, fault);
        uint64_t off = pa & PHYS_PAGE_MASK;
        if (write) {
            struct phys_page *pg = phys_page_get(pm, pa >> PHYS_PAGE_SHIFT);
            phys_mark_dirty(pm, pg);
            if (pg->flags & PHYS_PAGE_CODE)
                pm->code_generation++;
            if ((pg->flags & PHYS_PAGE_WATCH) && pm->observer && !(flags & PHYS_INIT)) {
                uint8_t old[PHYS_PAGE_SIZE];
                memcpy(old, pg->data + off, n);
                memcpy(pg->data + off, p, n);
                pm->observer(pm->observer_ctx, pa, n, old, pg->data + off);
            } else {
                copy_access(pg->data + off, p, n);
            }
        } else {
            struct phys_page *pg = phys_page_find(pm, pa >> PHYS_PAGE_SHIFT);
            if (pg)
                copy_access(p, pg->data + off, n);
            else
                memset(p, 0, n);
        }
        pa += n;
        p += n;
        len -= n;
    }
    return PHYS_OK;
}

enum phys_status phys_read(struct phys_mem *pm, uint64_t pa, void *buf, size_t len, unsigned flags,
                           struct phys_fault *fault)
{
    enum phys_access_kind kind = (flags & PHYS_FETCH)  ? PHYS_ACC_FETCH
                                 : (flags & PHYS_WALK) ? PHYS_ACC_WALK
                                                       : PHYS_ACC_READ;
    return access_kind(pm, pa, buf, len, kind, flags, fault);
}

enum phys_status phys_write(struct phys_mem *pm, uint64_t pa, const void *buf, size_t len,
                            unsigned flags, struct phys_fault *fault)
{
    return access_kind(pm, pa, (void *)buf, len, PHYS_ACC_WRITE, flags, fault);
}

static bool valid_size(unsigned size)
{
    return size == 1 || size == 2 || size == 4 || size == 8;
}

enum phys_status phys_load(struct phys_mem *pm, uint64_t pa, unsigned size, uint64_t *value,
                           unsigned flags, struct phys_fault *fault)
{
    uint8_t b[8] = {0};
    if (!valid_size(size))
        return fail(fault, PHYS_DEVICE_ERROR, pa);
    enum phys_status st = phys_read(pm, pa, b, size, flags, fault);
    if (st != PHYS_OK)
        return st;
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)b[i] << (8 * i);
    *value = v;
    return PHYS_OK;
}

enum phys_status phys_store(struct phys_mem *pm, uint64_t pa, unsigned size, uint64_t value,
                            unsigned flags, struct phys_fault *fault)
{
    uint8_t b[8];
    if (!valid_size(size))
        return fail(fault, PHYS_DEVICE_ERROR, pa);
    for (unsigned i = 0; i < size; i++)
        b[i] = (uint8_t)(value >> (8 * i));
    return phys_write(pm, pa, b, size, flags, fault);
}

/* ---- MTE tags --------------------------------------------------------- */

static bool tag_capable(const struct phys_mem *pm, uint64_t pa)
{
    const struct phys_region *r = phys_region_at(pm, pa);
    return r && r->kind == PHYS_RAM;
}

static enum phys_status tag_read(struct phys_mem *pm, uint64_t pa, uint8_t *tag, unsigned flags)
{
    if (!tag_capable(pm, pa))
        return phys_region_at(pm, pa) ? PHYS_NO_TAGS : PHYS_ABSENT_ADDR;
    enum phys_status st = run_hook(pm, PHYS_ACC_TAG_READ, pa, 1, flags, NULL);
    if (st != PHYS_OK)
        return st;
    struct phys_page *pg = phys_page_find(pm, pa >> PHYS_PAGE_SHIFT);
    *tag = (pg && pg->tags) ? pg->tags[(pa & PHYS_PAGE_MASK) / MTE_GRANULE_SIZE] : 0;
    return PHYS_OK;
}

static enum phys_status tag_write(struct phys_mem *pm, uint64_t pa, uint8_t tag, unsigned flags)
{
    if (!tag_capable(pm, pa))
        return phys_region_at(pm, pa) ? PHYS_NO_TAGS : PHYS_ABSENT_ADDR;
    enum phys_status st = run_hook(pm, PHYS_ACC_TAG_WRITE, pa, 1, flags, NULL);
    if (st != PHYS_OK)
        return st;
    struct phys_page *pg = phys_page_get(pm, pa >> PHYS_PAGE_SHIFT);
    if (!pg->tags)
        pg->tags = xcalloc(1, MTE_GRANULES_PAGE);
    phys_mark_dirty(pm, pg);
    pg->tags[(pa & PHYS_PAGE_MASK) / MTE_GRANULE_SIZE] = tag & 0xf;
    return PHYS_OK;
}

enum phys_status phys_tag_read(struct phys_mem *pm, uint64_t pa, uint8_t *tag)
{
    return tag_read(pm, pa, tag, 0);
}

enum phys_status phys_tag_write(struct phys_mem *pm, uint64_t pa, uint8_t tag)
{
    return tag_write(pm, pa, tag, 0);
}

enum phys_status phys_tag_peek(struct phys_mem *pm, uint64_t pa, uint8_t *tag)
{
    return tag_read(pm, pa, tag, PHYS_INIT);
}

enum phys_status phys_tag_poke(struct phys_mem *pm, uint64_t pa, uint8_t tag)
{
    return tag_write(pm, pa, tag, PHYS_INIT);
}

/* ---- fast-path support and hooks --------------------------------------- */

uint8_t *phys_page_host(struct phys_mem *pm, uint64_t pa, bool for_write)
{
    const struct phys_region *r = phys_region_at(pm, pa);
    if (!r || (r->kind != PHYS_RAM && !(r->kind == PHYS_ROM && !for_write)))
        return NULL;
    /* The whole page must belong to the region for a host pointer to be safe. */
    uint64_t page = pa & ~PHYS_PAGE_MASK;
    if (page < r->base || page + PHYS_PAGE_MASK > r->base + (r->size - 1))
        return NULL;
    struct phys_page *pg = phys_page_get(pm, pa >> PHYS_PAGE_SHIFT);
    if (pg->flags & (PHYS_PAGE_HOOK | PHYS_PAGE_WATCH))
        return NULL;
    if (for_write) {
        if (pg->flags & PHYS_PAGE_CODE)
            return NULL;
        phys_mark_dirty(pm, pg);
    }
    return pg->data;
}

uint64_t phys_generation(const struct phys_mem *pm)
{
    return pm->generation;
}

uint64_t phys_code_generation(const struct phys_mem *pm)
{
    return pm->code_generation;
}

void phys_set_access_hook(struct phys_mem *pm, phys_access_hook hook, void *ctx)
{
    pm->hook = hook;
    pm->hook_ctx = ctx;
    pm->generation++;
}

void phys_set_write_observer(struct phys_mem *pm, phys_write_observer fn, void *ctx)
{
    pm->observer = fn;
    pm->observer_ctx = ctx;
}

enum phys_status phys_peek(const struct phys_mem *pm, uint64_t pa, unsigned size, uint64_t *value)
{
    if (!valid_size(size))
        return PHYS_DEVICE_ERROR;
    if ((pa & PHYS_PAGE_MASK) + size > PHYS_PAGE_SIZE)
        return PHYS_CROSSES_PAGE;
    const struct phys_region *r = phys_region_at(pm, pa);
    if (!r || r->kind == PHYS_ABSENT || pa - r->base > r->size - size)
        return PHYS_ABSENT_ADDR;
    if (r->kind == PHYS_DEVICE)
        return PHYS_DEVICE_ERROR;
    const struct phys_page *pg = phys_page_find(pm, pa >> PHYS_PAGE_SHIFT);
    uint64_t v = 0;
    if (pg)
        for (unsigned i = 0; i < size; i++)
            v |= (uint64_t)pg->data[(pa & PHYS_PAGE_MASK) + i] << (8 * i);
    *value = v;
    return PHYS_OK;
}

void phys_page_set_flags(struct phys_mem *pm, uint64_t pa, unsigned flags)
{
    struct phys_page *pg = phys_page_get(pm, pa >> PHYS_PAGE_SHIFT);
    pg->flags |= flags;
    pm->generation++;
}

void phys_page_clear_flags(struct phys_mem *pm, uint64_t pa, unsigned flags)
{
    struct phys_page *pg = phys_page_find(pm, pa >> PHYS_PAGE_SHIFT);
    if (pg) {
        pg->flags &= ~flags;
        pm->generation++;
    }
}

unsigned phys_page_flags(const struct phys_mem *pm, uint64_t pa)
{
    struct phys_page *pg = phys_page_find(pm, pa >> PHYS_PAGE_SHIFT);
    return pg ? pg->flags : 0;
}
