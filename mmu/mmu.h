/*
 * mmu.h - the memory system: physical memory (this file's first half) and,
 * layered on it, translation (walkers, TLB; added by the MMU work).
 *
 * Physical memory is a sparse 64-bit address space made of declared regions.
 * Anything outside a declared region, or in a region declared absent, is an
 * external abort for the guest and never a host fault: every guest access goes
 * through these bounds-checked calls or through a host pointer obtained from
 * phys_page_host() for a page that is plain RAM.
 */
#ifndef RASIM_MMU_H
#define RASIM_MMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PHYS_PAGE_SHIFT 12
#define PHYS_PAGE_SIZE  (1ull << PHYS_PAGE_SHIFT)
#define PHYS_PAGE_MASK  (PHYS_PAGE_SIZE - 1)
/* MTE: one 4-bit allocation tag per 16-byte granule. */
#define MTE_GRANULE_SIZE  16
#define MTE_GRANULES_PAGE (PHYS_PAGE_SIZE / MTE_GRANULE_SIZE)

enum phys_region_kind {
    PHYS_RAM,    /* read/write, tag storage */
    PHYS_ROM,    /* readable; guest writes abort; loadable by the host */
    PHYS_DEVICE, /* accesses go to callbacks */
    PHYS_ABSENT, /* declared hole: every access aborts */
};

/* What a physical access reports. Anything but PHYS_OK is an external abort
 * (or, for PHYS_CHECK_FAILED, whatever the access hook decided). */
enum phys_status {
    PHYS_OK = 0,
    PHYS_ABSENT_ADDR,  /* no region, or an absent one */
    PHYS_READ_ONLY,    /* guest write to ROM */
    PHYS_DEVICE_ERROR, /* device callback refused */
    PHYS_NO_TAGS,      /* tag access to memory without tag storage */
    PHYS_CROSSES_PAGE, /* caller asked for no page crossing */
    PHYS_CHECK_FAILED, /* the access hook (RAS) stopped the access */
};

const char *phys_status_name(enum phys_status status);

/* Device regions: offset is relative to the region base. Return false to
 * make the access an external abort. */
struct phys_device_ops {
    bool (*read)(void *ctx, uint64_t offset, unsigned size, uint64_t *value);
    bool (*write)(void *ctx, uint64_t offset, unsigned size, uint64_t value);
    void *ctx;
};

struct phys_region {
    uint64_t base;
    uint64_t size;
    enum phys_region_kind kind;
    char name[32];
    struct phys_device_ops device;
};

/* Where a failed access stopped: the status and the first faulting byte. */
struct phys_fault {
    enum phys_status status;
    uint64_t pa;
};

/* Access flags. */
#define PHYS_NO_CROSS (1u << 0) /* the access must stay inside one 4 KiB page */
#define PHYS_INIT     (1u << 1) /* host-side image placement: may write ROM, no hooks */
/* What a read is for, so RAS can tell poison consumed by an instruction
 * fetch or a page-table walk from a data load (they are delivered
 * differently: arm64 IABT / SEA on walk; RV64 instruction access fault). */
#define PHYS_FETCH (1u << 2)
#define PHYS_WALK  (1u << 3)

/* Kinds of access, as the access hook sees them. */
enum phys_access_kind {
    PHYS_ACC_READ,
    PHYS_ACC_WRITE,
    PHYS_ACC_FETCH,
    PHYS_ACC_WALK,
    PHYS_ACC_TAG_READ,
    PHYS_ACC_TAG_WRITE,
};

/*
 * The access hook is how RAS (poison) sees memory traffic. It is called only
 * for pages marked with phys_page_set_flags(PHYS_PAGE_HOOK), so an unmarked
 * page costs nothing, and only once the whole access is known to be
 * possible, so a hook's side effects (poison cleared by a store) never
 * happen for an access that then aborts. [pa, pa+len) lies in one page. To
 * stop the access it returns non-OK and sets *fault_pa to the byte at fault.
 */
typedef enum phys_status (*phys_access_hook)(void *ctx, enum phys_access_kind kind, uint64_t pa,
                                             size_t len, uint64_t *fault_pa);

struct phys_mem;

struct phys_mem *phys_new(void);
void phys_free(struct phys_mem *pm);

/* Declare a region. Fails (returns -1, message in err) on overlap, zero size,
 * or a range that wraps the 64-bit space. */
int phys_add_region(struct phys_mem *pm, const struct phys_region *region, char *err,
                    size_t errlen);
/* The region holding pa, or NULL. */
const struct phys_region *phys_region_at(const struct phys_mem *pm, uint64_t pa);
size_t phys_region_count(const struct phys_mem *pm);
const struct phys_region *phys_region_get(const struct phys_mem *pm, size_t index);

/* Byte-granular access of any length; on failure *fault says where. */
enum phys_status phys_read(struct phys_mem *pm, uint64_t pa, void *buf, size_t len, unsigned flags,
                           struct phys_fault *fault);
enum phys_status phys_write(struct phys_mem *pm, uint64_t pa, const void *buf, size_t len,
                            unsigned flags, struct phys_fault *fault);
/* Little-endian loads and stores of 1, 2, 4 or 8 bytes. */
enum phys_status phys_load(struct phys_mem *pm, uint64_t pa, unsigned size, uint64_t *value,
                           unsigned flags, struct phys_fault *fault);
enum phys_status phys_store(struct phys_mem *pm, uint64_t pa, unsigned size, uint64_t value,
                            unsigned flags, struct phys_fault *fault);

/* MTE allocation tags (RAM only). Tags are 4 bits; the high nibble is ignored. */
enum phys_status phys_tag_read(struct phys_mem *pm, uint64_t pa, uint8_t *tag);
enum phys_status phys_tag_write(struct phys_mem *pm, uint64_t pa, uint8_t tag);
/* The same from the host (loading, inspecting, checking results): no access
 * hook, so poisoned tag storage is neither consumed nor cleared. */
enum phys_status phys_tag_peek(struct phys_mem *pm, uint64_t pa, uint8_t *tag);
enum phys_status phys_tag_poke(struct phys_mem *pm, uint64_t pa, uint8_t tag);

/*
 * Host pointer to the 4 KiB page holding pa, for fast paths that cache it.
 * Returns NULL unless the page is RAM (or ROM, for reads) with neither
 * PHYS_PAGE_HOOK nor PHYS_PAGE_WATCH set, and for a write pointer without
 * PHYS_PAGE_CODE either.
 * A write pointer marks the page dirty. Cached pointers are valid while
 * phys_generation() is unchanged: it moves whenever a cached pointer could
 * become wrong (snapshot, restore, flag changes).
 */
uint8_t *phys_page_host(struct phys_mem *pm, uint64_t pa, bool for_write);
uint64_t phys_generation(const struct phys_mem *pm);

/* Page flags that route accesses through the hook or the write observer. */
#define PHYS_PAGE_HOOK  (1u << 0)
#define PHYS_PAGE_WATCH (1u << 1) /* guest writes are shown to the write observer */
/* An interpreter keeps decoded instructions of this page: no write host
 * pointer, so every write to it (guest or host, and a snapshot restore)
 * goes through here and moves phys_code_generation(). */
#define PHYS_PAGE_CODE (1u << 2)
void phys_set_access_hook(struct phys_mem *pm, phys_access_hook hook, void *ctx);
void phys_page_set_flags(struct phys_mem *pm, uint64_t pa, unsigned flags);
void phys_page_clear_flags(struct phys_mem *pm, uint64_t pa, unsigned flags);
unsigned phys_page_flags(const struct phys_mem *pm, uint64_t pa);
/* Counts writes to PHYS_PAGE_CODE pages: decoded instructions made when it
 * had another value may be stale. */
uint64_t phys_code_generation(const struct phys_mem *pm);

/*
 * The write observer is how the MMU checker sees page tables change. It is
 * called for pages marked PHYS_PAGE_WATCH, after each successful guest write
 * (phys_write / phys_store without PHYS_INIT), once per piece of the write
 * that lies in one watched page, right after that piece is stored: old_bytes
 * is what [pa, pa+len) held before, new_bytes what it holds now (valid only
 * during the call). A page marked both HOOK and WATCH goes through the
 * access hook first; a write the hook stops is not observed. Watched pages,
 * like hooked ones, get no host pointer from phys_page_host(), so fast paths
 * come back here. The observer must not write guest memory. One observer per
 * memory; NULL removes it.
 */
typedef void (*phys_write_observer)(void *ctx, uint64_t pa, size_t len, const uint8_t *old_bytes,
                                    const uint8_t *new_bytes);
void phys_set_write_observer(struct phys_mem *pm, phys_write_observer fn, void *ctx);

/*
 * Host-side look at RAM or ROM with no side effect: no access hook (so no
 * poison consumed), no page allocated, no device callback (PHYS_DEVICE_ERROR),
 * nothing marked dirty. [pa, pa+size) must lie in one page; size 1, 2, 4, 8.
 * For checkers and inspection, never for guest accesses.
 */
enum phys_status phys_peek(const struct phys_mem *pm, uint64_t pa, unsigned size, uint64_t *value);

/*
 * Snapshot: remember every page now, then phys_snapshot_restore() puts memory
 * back by copying only the pages written since (pages first touched after the
 * snapshot go back to zero). Restore may be called any number of times;
 * returns the number of pages copied back. One snapshot per memory.
 */
int phys_snapshot_take(struct phys_mem *pm);
size_t phys_snapshot_restore(struct phys_mem *pm);
void phys_snapshot_drop(struct phys_mem *pm);

/* Pages holding storage (for tests and memory accounting). */
size_t phys_pages_allocated(const struct phys_mem *pm);

#endif

#include "mmu/translate.h"
