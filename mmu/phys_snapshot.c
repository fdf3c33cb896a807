/*
 * phys_snapshot.c - snapshot and restore of physical memory.
 *
 * Campaigns run one scenario hundreds of times; each run must start from the
 * same memory. Taking a snapshot copies every page once; afterwards every
 * write path records the page on a dirty list the first time it is written,
 * and restore copies back only those pages.
 */
#include "mmu/phys_internal.h"

#include <stdlib.h>
#include <string.h>

static void forget_copies(struct phys_mem *pm)
{
    for (size_t i = 0; i < pm->bucket_count; i++) {
        struct phys_page *pg = pm->buckets[i];
        if (!pg)
            continue;
        free(pg->snap_data);
        free(pg->snap_tags);
        pg->snap_data = pg->snap_tags = NULL;
    }
}

/* Start a new epoch: every page is clean again, cached write pointers stale. */
static void new_epoch(struct phys_mem *pm)
{
    pm->epoch++;
    pm->dirty_count = 0;
    pm->generation++;
}

int phys_snapshot_take(struct phys_mem *pm)
{
    forget_copies(pm);
    for (size_t i = 0; i < pm->bucket_count; i++) {
        struct phys_page *pg = pm->buckets[i];
        if (!pg)
            continue;
        pg->snap_data = malloc(PHYS_PAGE_SIZE);
        if (!pg->snap_data)
            return -1;
        memcpy(pg->snap_data, pg->data, PHYS_PAGE_SIZE);
        if (pg->tags) {
            pg->snap_tags = malloc(MTE_GRANULES_PAGE);
            if (!pg->snap_tags)
                return -1;
            memcpy(pg->snap_tags, pg->tags, MTE_GRANULES_PAGE);
        }
    }
    pm->snapshot_active = true;
    new_epoch(pm);
    return 0;
}

size_t phys_snapshot_restore(struct phys_mem *pm)
{
    if (!pm->snapshot_active)
        return 0;
    size_t restored = pm->dirty_count;
    for (size_t i = 0; i < pm->dirty_count; i++) {
        struct phys_page *pg = pm->dirty[i];
        if (pg->flags & PHYS_PAGE_CODE)
            pm->code_generation++;
        if (pg->snap_data)
            memcpy(pg->data, pg->snap_data, PHYS_PAGE_SIZE);
        else
            memset(pg->data, 0, PHYS_PAGE_SIZE);
        if (pg->tags) {
            if (pg->snap_tags)
                memcpy(pg->tags, pg->snap_tags, MTE_GRANULES_PAGE);
            else
                memset(pg->tags, 0, MTE_GRANULES_PAGE);
        }
    }
    new_epoch(pm);
    return restored;
}

void phys_snapshot_drop(struct phys_mem *pm)
{
    forget_copies(pm);
    pm->snapshot_active = false;
    new_epoch(pm);
}
