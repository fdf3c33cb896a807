/*
 * ras.h - the RAS model: poisoned physical memory and the log of every time
 * poison was consumed.
 *
 * ras/ knows physical addresses, never instructions. It sits under physical
 * memory as its access hook: pages holding poison are marked, so accesses to
 * every other page cost nothing, and an access that consumes poison comes
 * back to the interpreter as PHYS_CHECK_FAILED with the first poisoned byte,
 * which the interpreter delivers as the architecture's synchronous external
 * abort (arm64) or hardware-error / access-fault exception (RV64).
 */
#ifndef RASIM_RAS_H
#define RASIM_RAS_H

#include "mmu/mmu.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RAS_LINE_SIZE 64

/* How much an injection covers around the address it is given. */
enum ras_granule {
    RAS_GRANULE_BYTE = 1,
    RAS_GRANULE_LINE = RAS_LINE_SIZE, /* the default: a cache line */
    RAS_GRANULE_PAGE = 4096,
};

/* Which storage holds the poison: the data, or the MTE allocation tags of
 * those bytes. */
enum ras_storage {
    RAS_DATA,
    RAS_TAG,
};

enum ras_kind {
    RAS_PERSISTENT, /* until cleared by stores (per policy) or explicitly */
    RAS_TRANSIENT,  /* consumed `count` times, then gone */
    RAS_AFTER,      /* harmless for the first `count` accesses to its line, then persistent */
    RAS_AT_INSN,    /* harmless until the clock reaches `count`, then persistent */
};

/* What a store to poisoned memory does. */
enum ras_store_policy {
    /* The line is clean again once every one of its 64 bytes has been
     * written since it was poisoned (a full-line write, in one access or
     * several). A partial write leaves it poisoned and consumes nothing. */
    RAS_STORE_CLEAR_FULL_LINE,
    RAS_STORE_KEEP, /* stores never clear poison */
    /* A store touching poison is let through but raises an asynchronous
     * error (arm64 SError, RV64 interrupt) at the next instruction boundary:
     * see ras_async_pending(). */
    RAS_STORE_ASYNC,
};

struct ras_injection {
    uint64_t pa;
    uint64_t len;
    enum ras_granule granule;
    enum ras_storage storage;
    enum ras_kind kind;
    uint64_t count; /* transient: consumptions; after: accesses; at-insn: clock value */
};

/* One consumption of poison. sim/ adds what the CPU knows (PC, VA, outcome). */
struct ras_record {
    uint64_t seq;      /* 0, 1, 2 ... in order of consumption */
    uint64_t clock;    /* the clock when it happened (instructions retired) */
    enum phys_access_kind access;
    uint64_t pa;       /* first poisoned byte the access touched */
    uint64_t access_pa; /* start and length of the access itself */
    size_t access_len;
    enum ras_storage storage;
    enum ras_kind kind;
    bool async;        /* a store under RAS_STORE_ASYNC, not a synchronous consumption */
};

struct ras;

/* A RAS model over pm; installs itself as pm's access hook. */
struct ras *ras_new(struct phys_mem *pm);
void ras_free(struct ras *ras);

/* Poison [pa, pa+len) widened to the granule. Fails (-1, message in err) for
 * an empty or wrapping range or one with no RAM behind it. */
int ras_inject(struct ras *ras, const struct ras_injection *inj, char *err, size_t errlen);
/* Remove every poison in [pa, pa+len) of that storage. */
void ras_clear(struct ras *ras, enum ras_storage storage, uint64_t pa, uint64_t len);
/* Remove all poison and empty the log (between campaign runs). */
void ras_reset(struct ras *ras);

/* Is any byte of [pa, pa+len) poisoned now (armed or not)? First one in *first. */
bool ras_poisoned(const struct ras *ras, enum ras_storage storage, uint64_t pa, uint64_t len,
                  uint64_t *first);
/* Number of poisoned lines (for reports and tests). */
size_t ras_poisoned_lines(const struct ras *ras);
/* Call fn for each run of poisoned bytes with one storage, kind and count,
 * in address order (data storage first), as an injection of granule
 * RAS_GRANULE_BYTE that would recreate it. Returns 0, or -1 with no memory. */
int ras_list(const struct ras *ras, void (*fn)(void *ctx, const struct ras_injection *run),
             void *ctx);

void ras_set_store_policy(struct ras *ras, enum ras_store_policy policy);
/* The clock RAS_AT_INSN compares against and records carry: usually the
 * CPU's retired-instruction count. Without one the clock reads 0. */
void ras_set_clock(struct ras *ras, uint64_t (*now)(void *ctx), void *ctx);

/* The earliest RAS_AT_INSN poison still waiting for the clock, if any:
 * its arming time in *at. The machine stops a run there so the clock is
 * exact when it arrives. */
bool ras_next_trigger(const struct ras *ras, uint64_t *at);

size_t ras_log_count(const struct ras *ras);
const struct ras_record *ras_log_get(const struct ras *ras, size_t index);

/* An asynchronous error raised by a store (RAS_STORE_ASYNC) and not yet
 * delivered: returns it and clears it. */
bool ras_async_take(struct ras *ras, struct ras_record *out);
/* Whether one is waiting for ras_async_take(). */
bool ras_async_pending(const struct ras *ras);

#endif
