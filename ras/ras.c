/*
 * ras.c - the poison map and the consumption log.
 *
 * Poison is kept per 64-byte line (and storage) in an open-addressing hash:
 * a byte mask of what is poisoned, a mask of what has been written since,
 * and the injection's kind. A page holding any poisoned line is marked with
 * PHYS_PAGE_HOOK, so physical memory consults us for that page only.
 */
#include "ras/ras.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MASK ((uint64_t)RAS_LINE_SIZE - 1)

struct ras_line {
    uint64_t key;      /* line address | storage; 0 = empty slot */
    uint64_t poisoned; /* bit i: byte i of the line is poisoned */
    uint64_t written;  /* bit i: byte i written since it was poisoned */
    uint64_t count;    /* see enum ras_kind */
    enum ras_kind kind;
};

struct ras {
    struct phys_mem *pm;
    struct ras_line *slots;
    size_t nslots; /* power of two, at most half full */
    size_t nlines;
    size_t nat; /* lines of kind RAS_AT_INSN (ras_next_trigger looks only if any) */
    enum ras_store_policy policy;
    uint64_t (*clock)(void *ctx);
    void *clock_ctx;
    struct ras_record *log;
    size_t nlog, caplog;
    bool async_pending;
    struct ras_record async;
};

/* Line addresses are 64-aligned, so the low bit can carry the storage and
 * the key is never 0 for a real line... except line 0 of data storage, hence
 * the +2 bias. */
static uint64_t key_of(uint64_t line_pa, enum ras_storage storage)
{
    return (line_pa | (uint64_t)storage) + 2;
}

static uint64_t line_of_key(uint64_t key)
{
    return (key - 2) & ~LINE_MASK;
}

static size_t slot_of(const struct ras *ras, uint64_t key)
{
    return (size_t)((key >> 6) * 0x9E3779B97F4A7C15ull >> 17) & (ras->nslots - 1);
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

static struct ras_line *find(const struct ras *ras, uint64_t key)
{
    for (size_t i = slot_of(ras, key);; i = (i + 1) & (ras->nslots - 1)) {
        if (ras->slots[i].key == key)
            return &ras->slots[i];
        if (ras->slots[i].key == 0)
            return NULL;
    }
}

static void grow(struct ras *ras);

static struct ras_line *get(struct ras *ras, uint64_t key)
{
    struct ras_line *l = find(ras, key);
    if (l)
        return l;
    if ((ras->nlines + 1) * 2 > ras->nslots)
        grow(ras);
    size_t i = slot_of(ras, key);
    while (ras->slots[i].key)
        i = (i + 1) & (ras->nslots - 1);
    memset(&ras->slots[i], 0, sizeof(ras->slots[i]));
    ras->slots[i].key = key;
    ras->nlines++;
    return &ras->slots[i];
}

static void grow(struct ras *ras)
{
    struct ras_line *old = ras->slots;
    size_t n = ras->nslots;
    ras->nslots *= 2;
    ras->slots = xcalloc(ras->nslots, sizeof(*ras->slots));
    for (size_t i = 0; i < n; i++) {
        if (!old[i].key)
            continue;
        size_t j = slot_of(ras, old[i].key);
        while (ras->slots[j].key)
            j = (j + 1) & (ras->nslots - 1);
        ras->slots[j] = old[i];
    }
    free(old);
}

static bool page_has_poison(const struct ras *ras, uint64_t page)
{
    for (uint64_t line = page; line < page + PHYS_PAGE_SIZE; line += RAS_LINE_SIZE)
        if (find(ras, key_of(line, RAS_DATA)) || find(ras, key_of(line, RAS_TAG)))
            return true;
    return false;
}

/* Linear-probing delete: shift later members of the cluster back. */
static void remove_line(struct ras *ras, struct ras_line *l)
{
    uint64_t page = line_of_key(l->key) & ~PHYS_PAGE_MASK;
    size_t i = (size_t)(l - ras->slots);
    if (l->kind == RAS_AT_INSN)
        ras->nat--;
    ras->slots[i].key = 0;
    ras->nlines--;
    for (size_t j = (i + 1) & (ras->nslots - 1); ras->slots[j].key;
         j = (j + 1) & (ras->nslots - 1)) {
        size_t home = slot_of(ras, ras->slots[j].key);
        /* Move j back to i if its home is not in (i, j] cyclically. */
        bool between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!between) {
            ras->slots[i] = ras->slots[j];
            ras->slots[j].key = 0;
            i = j;
        }
    }
    if (!page_has_poison(ras, page))
        phys_page_clear_flags(ras->pm, page, PHYS_PAGE_HOOK);
}

static uint64_t now(const struct ras *ras)
{
    return ras->clock ? ras->clock(ras->clock_ctx) : 0;
}

static bool armed(const struct ras *ras, const struct ras_line *l)
{
    switch (l->kind) {
    case RAS_AFTER: return l->count == 0;
    case RAS_AT_INSN: return now(ras) >= l->count;
    case RAS_PERSISTENT:
    case RAS_TRANSIENT: break;
    }
    return true;
}

/* Bytes of the line at line_pa that [pa, pa+len) covers, as a mask. */
static uint64_t bytes_in_line(uint64_t line_pa, uint64_t pa, uint64_t len)
{
    uint64_t lo = pa > line_pa ? pa - line_pa : 0;
    uint64_t end = pa + len, hi = end < line_pa + RAS_LINE_SIZE ? end - line_pa : RAS_LINE_SIZE;
    if (hi <= lo)
        return 0;
    uint64_t n = hi - lo;
    return (n == 64 ? ~0ull : ((1ull << n) - 1)) << lo;
}

static void record(struct ras *ras, enum phys_access_kind access, uint64_t pa, uint64_t access_pa,
                   size_t access_len, enum ras_storage storage, enum ras_kind kind, bool async)
{
    if (ras->nlog == ras->caplog) {
        ras->caplog = ras->caplog ? ras->caplog * 2 : 16;
        struct ras_record *grown = realloc(ras->log, ras->caplog * sizeof(*grown));
        if (!grown) {
            fprintf(stderr, "rasim: out of host memory\n");
            abort();
        }
        ras->log = grown;
    }
    struct ras_record *r = &ras->log[ras->nlog];
    r->seq = ras->nlog++;
    r->clock = now(ras);
    r->access = access;
    r->pa = pa;
    r->access_pa = access_pa;
    r->access_len = access_len;
    r->storage = storage;
    r->kind = kind;
    r->async = async;
    if (async && !ras->async_pending) {
        ras->async_pending = true;
        ras->async = *r;
    }
}

/*
 * Which accesses consume poison synchronously. Data stores do not: they are
 * posted, and what they do to poison is the store policy's business. A tag
 * store does: tags are 4 bits per 16-byte granule packed into tag storage,
 * so STG/STGM write part of a tag-storage line and the memory system must
 * read the rest of it (read-modify-write), which reads the poison. That is
 * why a machine-check-safe tag copy needs an entry on its STGM as well as
 * on its LDGM (the review of seeds/000 asks exactly this).
 */
static bool consumes(enum phys_access_kind k)
{
    return k == PHYS_ACC_READ || k == PHYS_ACC_FETCH || k == PHYS_ACC_WALK ||
           k == PHYS_ACC_TAG_READ || k == PHYS_ACC_TAG_WRITE;
}

/* The hook physical memory calls for marked pages. */
static enum phys_status ras_hook(void *ctx, enum phys_access_kind access, uint64_t pa, size_t len,
                                 uint64_t *fault_pa)
{
    struct ras *ras = ctx;
    enum ras_storage storage = RAS_DATA;
    uint64_t start = pa, end = pa + len;
    if (access == PHYS_ACC_TAG_READ || access == PHYS_ACC_TAG_WRITE) {
        /* A tag access touches the tag of the whole 16-byte granule. */
        storage = RAS_TAG;
        start = pa & ~(uint64_t)(MTE_GRANULE_SIZE - 1);
        end = start + MTE_GRANULE_SIZE;
    }
    for (uint64_t line = start & ~LINE_MASK; line < end; line += RAS_LINE_SIZE) {
        struct ras_line *l = find(ras, key_of(line, storage));
        if (!l)
            continue;
        uint64_t mask = bytes_in_line(line, start, end - start);
        if (!armed(ras, l)) {
            if (l->kind == RAS_AFTER)
                l->count--; /* this access is one of the harmless ones */
            continue;
        }
        uint64_t hit = l->poisoned & mask;
        if (consumes(access)) {
            if (!hit)
                continue;
            uint64_t at = line + (uint64_t)__builtin_ctzll(hit);
            record(ras, access, at, pa, len, storage, l->kind, false);
            *fault_pa = at;
            if (l->kind == RAS_TRANSIENT && --l->count == 0)
                remove_line(ras, l);
            return PHYS_CHECK_FAILED;
        }
        switch (ras->policy) {
        case RAS_STORE_CLEAR_FULL_LINE:
            l->written |= mask;
            if (l->written == ~0ull)
                remove_line(ras, l);
            break;
        case RAS_STORE_KEEP: break;
        case RAS_STORE_ASYNC:
            if (hit)
                record(ras, access, line + (uint64_t)__builtin_ctzll(hit), pa, len, storage,
                       l->kind, true);
            break;
        }
    }
    return PHYS_OK;
}

struct ras *ras_new(struct phys_mem *pm)
{
    struct ras *ras = xcalloc(1, sizeof(*ras));
    ras->pm = pm;
    ras->nslots = 256;
    ras->slots = xcalloc(ras->nslots, sizeof(*ras->slots));
    ras->policy = RAS_STORE_CLEAR_FULL_LINE;
    phys_set_access_hook(pm, ras_hook, ras);
    return ras;
}

void ras_free(struct ras *ras)
{
    if (!ras)
        return;
    phys_set_access_hook(ras->pm, NULL, NULL);
    free(ras->slots);
    free(ras->log);
    free(ras);
}

int ras_inject(struct ras *ras, const struct ras_injection *inj, char *err, size_t errlen)
{
    uint64_t g = inj->granule ? (uint64_t)inj->granule : RAS_LINE_SIZE;
    if (g != 1 && g != RAS_LINE_SIZE && g != PHYS_PAGE_SIZE) {
        snprintf(err, errlen, "granule %llu is not 1, 64 or 4096 bytes", (unsigned long long)g);
        return -1;
    }
    uint64_t start = inj->pa & ~(g - 1);
    uint64_t end = inj->pa + inj->len;
    if (inj->len == 0 || end < inj->pa || end + (g - 1) < end) {
        snprintf(err, errlen, "poison range at 0x%llx (+0x%llx) is empty or wraps",
                 (unsigned long long)inj->pa, (unsigned long long)inj->len);
        return -1;
    }
    end = (end + g - 1) & ~(g - 1);
    for (uint64_t p = start; p < end; p = (p | PHYS_PAGE_MASK) + 1) {
        const struct phys_region *r = phys_region_at(ras->pm, p);
        if (!r || r->kind != PHYS_RAM) {
            snprintf(err, errlen, "cannot poison 0x%llx: no RAM there", (unsigned long long)p);
            return -1;
        }
        if (p + 1 == 0 || (p | PHYS_PAGE_MASK) + 1 == 0)
            break;
    }
    for (uint64_t line = start & ~LINE_MASK; line < end; line += RAS_LINE_SIZE) {
        struct ras_line *l = get(ras, key_of(line, inj->storage));
        ras->nat -= l->poisoned && l->kind == RAS_AT_INSN; /* a line already there changes kind */
        ras->nat += inj->kind == RAS_AT_INSN;
        l->poisoned |= bytes_in_line(line, start, end - start);
        l->written = 0;
        l->kind = inj->kind;
        l->count = inj->count;
        if (inj->kind == RAS_TRANSIENT && l->count == 0)
            l->count = 1;
        phys_page_set_flags(ras->pm, line, PHYS_PAGE_HOOK);
    }
    return 0;
}

void ras_clear(struct ras *ras, enum ras_storage storage, uint64_t pa, uint64_t len)
{
    uint64_t end = pa + len < pa ? UINT64_MAX : pa + len;
    for (uint64_t line = pa & ~LINE_MASK; line < end; line += RAS_LINE_SIZE) {
        struct ras_line *l = find(ras, key_of(line, storage));
        if (l) {
            l->poisoned &= ~bytes_in_line(line, pa, end - pa);
            if (!l->poisoned)
                remove_line(ras, l);
        }
        if (line + RAS_LINE_SIZE < line)
            break;
    }
}

void ras_reset(struct ras *ras)
{
    for (size_t i = 0; i < ras->nslots; i++)
        if (ras->slots[i].key)
            phys_page_clear_flags(ras->pm, line_of_key(ras->slots[i].key), PHYS_PAGE_HOOK);
    memset(ras->slots, 0, ras->nslots * sizeof(*ras->slots));
    ras->nlines = 0;
    ras->nat = 0;
    ras->nlog = 0;
    ras->async_pending = false;
}

bool ras_poisoned(const struct ras *ras, enum ras_storage storage, uint64_t pa, uint64_t len,
                  uint64_t *first)
{
    uint64_t end = pa + len < pa ? UINT64_MAX : pa + len;
    for (uint64_t line = pa & ~LINE_MASK; line < end; line += RAS_LINE_SIZE) {
        const struct ras_line *l = find(ras, key_of(line, storage));
        uint64_t hit = l ? l->poisoned & bytes_in_line(line, pa, end - pa) : 0;
        if (hit) {
            if (first)
                *first = line + (uint64_t)__builtin_ctzll(hit);
            return true;
        }
        if (line + RAS_LINE_SIZE < line)
            break;
    }
    return false;
}

size_t ras_poisoned_lines(const struct ras *ras)
{
    return ras->nlines;
}

static int by_key(const void *a, const void *b)
{
    const struct ras_line *x = *(const struct ras_line *const *)a;
    const struct ras_line *y = *(const struct ras_line *const *)b;
    /* The storage is the key's low bit: order by it, then by address. */
    uint64_t kx = x->key - 2, ky = y->key - 2;
    uint64_t sx = kx & LINE_MASK, sy = ky & LINE_MASK;
    if (sx != sy)
        return sx < sy ? -1 : 1;
    return kx < ky ? -1 : kx > ky;
}

int ras_list(const struct ras *ras, void (*fn)(void *ctx, const struct ras_injection *run),
             void *ctx)
{
    const struct ras_line **lines = malloc((ras->nlines ? ras->nlines : 1) * sizeof(*lines));
    if (!lines)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < ras->nslots; i++)
        if (ras->slots[i].key && ras->slots[i].poisoned)
            lines[n++] = &ras->slots[i];
    qsort(lines, n, sizeof(*lines), by_key);
    struct ras_injection run = {0};
    bool open = false;
    for (size_t i = 0; i < n; i++) {
        const struct ras_line *l = lines[i];
        uint64_t line = line_of_key(l->key);
        enum ras_storage storage = (enum ras_storage)((l->key - 2) & LINE_MASK);
        for (unsigned b = 0; b < RAS_LINE_SIZE; b++) {
            if (!((l->poisoned >> b) & 1))
                continue;
            uint64_t pa = line + b;
            if (open && run.pa + run.len == pa && run.storage == storage && run.kind == l->kind &&
                run.count == l->count) {
                run.len++;
                continue;
            }
            if (open)
                fn(ctx, &run);
            run = (struct ras_injection){.pa = pa,
                                         .len = 1,
                                         .granule = RAS_GRANULE_BYTE,
                                         .storage = storage,
                                         .kind = l->kind,
                                         .count = l->count};
            open = true;
        }
    }
    if (open)
        fn(ctx, &run);
    free(lines);
    return 0;
}

void ras_set_store_policy(struct ras *ras, enum ras_store_policy policy)
{
    ras->policy = policy;
}

void ras_set_clock(struct ras *ras, uint64_t (*clock)(void *ctx), void *ctx)
{
    ras->clock = clock;
    ras->clock_ctx = ctx;
}

bool ras_next_trigger(const struct ras *ras, uint64_t *at)
{
    bool found = false;
    if (!ras->nat)
        return false; /* without a scan: rasim_run asks at every start */
    uint64_t t = now(ras);
    for (size_t i = 0; i < ras->nslots; i++) {
        const struct ras_line *l = &ras->slots[i];
        if (l->key && l->kind == RAS_AT_INSN && l->count > t && (!found || l->count < *at)) {
            *at = l->count;
            found = true;
        }
    }
    return found;
}

size_t ras_log_count(const struct ras *ras)
{
    return ras->nlog;
}

const struct ras_record *ras_log_get(const struct ras *ras, size_t index)
{
    return index < ras->nlog ? &ras->log[index] : NULL;
}

bool ras_async_pending(const struct ras *ras)
{
    return ras->async_pending;
}

bool ras_async_take(struct ras *ras, struct ras_record *out)
{
    if (!ras->async_pending)
        return false;
    *out = ras->async;
    ras->async_pending = false;
    return true;
}
