/*
 * kcases.h - the calls made to the kernel's library routines, shared by the
 * native driver (run under qemu-user) and the rasim side of the comparison,
 * so both make exactly the same calls on exactly the same bytes.
 *
 * Plain C with no dependencies: it is compiled for the guest by the cross
 * compiler and for the host by the test.
 */
#ifndef RASIM_KCASES_H
#define RASIM_KCASES_H

#include <stdint.h>

/* Buffers: two 8 KiB areas; a case touches at most 4 KiB + offsets. */
#define KC_AREA 8192u

enum kc_routine {
    KC_MEMCPY,         /* dst, src, n -> dst */
    KC_MEMSET,         /* dst, c, n -> dst */
    KC_MEMMOVE,        /* dst, src, n -> dst; src and dst may overlap */
    KC_COPY_TO_USER,   /* to, from, n -> bytes not copied */
    KC_COPY_FROM_USER, /* to, from, n -> bytes not copied */
    KC_CLEAR_USER,     /* to, n -> bytes not cleared */
    KC_NROUTINES,
    /* arm64 only, after the common cases: whole pages at page offsets. */
    KC_COPY_PAGE = KC_NROUTINES, /* to, from */
    KC_CLEAR_PAGE,               /* to */
};

struct kc_case {
    enum kc_routine routine;
    uint32_t len;
    uint32_t dst_off; /* offsets into the destination area */
    uint32_t src_off; /* into the source area, or (memmove overlap) into the destination area */
    int overlap;      /* memmove: the source lies in the destination area */
};

static const uint32_t kc_lens[] = {0,  1,  2,  3,   7,   8,   9,   15,  16,   17,  31,  32,
                                   33, 63, 64, 65,  127, 128, 129, 255, 256, 511, 1000, 4096};
static const uint32_t kc_offs[] = {0, 1, 3, 7, 8, 13};

#define KC_NLENS (sizeof(kc_lens) / sizeof(*kc_lens))
#define KC_NOFFS (sizeof(kc_offs) / sizeof(*kc_offs))
#define KC_PER_ROUTINE (KC_NLENS * KC_NOFFS * KC_NOFFS)
/* memmove gets a second set with the source inside the destination area. */
#define KC_NCASES (KC_NROUTINES * KC_PER_ROUTINE + KC_PER_ROUTINE)
/* copy_page: each of the two destination pages from each source page;
 * clear_page: each destination page. */
#define KC_NPAGE_CASES 6u
#define KC_NCASES_WITH_PAGES (KC_NCASES + KC_NPAGE_CASES)

/* Case i of the deterministic list. */
static inline struct kc_case kc_case(unsigned i)
{
    struct kc_case c = {0, 0, 0, 0, 0};
    if (i >= KC_NCASES) {
        unsigned p = i - KC_NCASES;
        c.routine = p < 4 ? KC_COPY_PAGE : KC_CLEAR_PAGE;
        c.len = 4096;
        c.dst_off = (p & 1) * 4096;
        c.src_off = ((p >> 1) & 1) * 4096;
        return c;
    }
    unsigned r = i / KC_PER_ROUTINE, k = i % KC_PER_ROUTINE;
    c.routine = r < KC_NROUTINES ? (enum kc_routine)r : KC_MEMMOVE;
    c.overlap = r >= KC_NROUTINES;
    c.len = kc_lens[k / (KC_NOFFS * KC_NOFFS)];
    c.dst_off = kc_offs[(k / KC_NOFFS) % KC_NOFFS];
    c.src_off = kc_offs[k % KC_NOFFS];
    if (c.overlap) /* source 0..13 bytes after or, by an odd offset, before */
        c.dst_off += (k & 1) ? 16 : 0;
    return c;
}

/* The initial bytes of the source and destination areas. */
static inline uint8_t kc_src_byte(uint32_t i)
{
    return (uint8_t)(i * 131u + 7u);
}
static inline uint8_t kc_dst_byte(uint32_t i)
{
    return (uint8_t)(0xc3u ^ (i * 17u));
}

/* FNV-1a over an area: what each side reports after a call. */
static inline uint64_t kc_hash(const uint8_t *p, uint32_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint32_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

#endif
