/* phys_internal.h - physical memory representation, shared by phys*.c only. */
#ifndef RASIM_PHYS_INTERNAL_H
#define RASIM_PHYS_INTERNAL_H

#include "mmu/mmu.h"

struct phys_page {
    uint64_t pfn;
    uint8_t *data;      /* PHYS_PAGE_SIZE bytes */
    uint8_t *tags;      /* MTE_GRANULES_PAGE tags, one per byte; NULL = all zero */
    uint8_t *snap_data; /* copy at snapshot time; NULL = page born after it */
    uint8_t *snap_tags;
    uint32_t dirty_epoch; /* == phys_mem.epoch when already on the dirty list */
    uint32_t flags;       /* PHYS_PAGE_* */
};

struct phys_mem {
    struct phys_region **regions; /* sorted by base, never overlapping */
    size_t region_count;

    struct phys_page **buckets; /* open addressing on pfn, never deleted */
    size_t bucket_count;        /* power of two, at most half full */
    size_t page_count;
    struct phys_page *last; /* one-entry lookup cache */

    phys_access_hook hook;
    void *hook_ctx;
    phys_write_observer observer;
    void *observer_ctx;
    uint64_t generation;
    uint64_t code_generation; /* writes to PHYS_PAGE_CODE pages */

    bool snapshot_active;
    uint32_t epoch;
    struct phys_page **dirty;
    size_t dirty_count, dirty_cap;
};

struct phys_page *phys_page_find(const struct phys_mem *pm, uint64_t pfn);
struct phys_page *phys_page_get(struct phys_mem *pm, uint64_t pfn);
void phys_mark_dirty(struct phys_mem *pm, struct phys_page *pg);

#endif
