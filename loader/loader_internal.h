/* loader_internal.h - helpers shared by the loader's readers. */
#ifndef RASIM_LOADER_INTERNAL_H
#define RASIM_LOADER_INTERNAL_H

#include "loader/loader.h"

#include <stdarg.h>
#include <stdio.h>

/* No section, segment or image may claim more than this: a size field in a
 * malformed file must end as an error, not as a host allocation. */
#define LD_MAX_SIZE (1ull << 30)

/* Where a reader reports: the file name leads every message. */
struct ld_ctx {
    const char *path;
    char *err;
    size_t errlen;
};

/* Format "PATH: message" into the error buffer; returns -1. */
int ld_fail(const struct ld_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Growable arrays of the image: each returns the new element, zeroed. */
struct ld_segment *ld_add_segment(struct ld_image *img);
struct ld_section *ld_add_section(struct ld_image *img, const char *name);
struct ld_symbol *ld_add_symbol(struct ld_image *img, const char *name);

/* True for names that must never name an address: .L temporaries, mapping
 * symbols ($x, $d, $x.12), empty names. */
bool ld_is_temporary_name(const char *name);

/* Decode `__ex_table` bytes located at va; appends to img->extable. */
int ld_parse_extable(const struct ld_ctx *ctx, struct ld_image *img, uint64_t va,
                     const uint8_t *bytes, uint64_t size);

/* Sort symbols and extable, give sizeless symbols the distance to the next. */
void ld_finish(struct ld_image *img);

/* Readers, by input kind. The ELF file is already in memory. */
int ld_read_elf(const struct ld_ctx *ctx, const uint8_t *file, size_t file_size,
                const struct ld_options *opt, struct ld_image *img);
int ld_read_raw_image(const struct ld_ctx *ctx, const uint8_t *file, size_t file_size,
                      const struct ld_options *opt, struct ld_image *img);
int ld_read_system_map(const struct ld_ctx *ctx, const char *map_path, struct ld_image *img);
/* The same from an open stream (tests and fuzzing use fmemopen). */
int ld_parse_system_map(const struct ld_ctx *ctx, FILE *f, struct ld_image *img);

static inline uint32_t ld_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint16_t ld_get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}
static inline uint64_t ld_get64(const uint8_t *p)
{
    return (uint64_t)ld_get32(p) | (uint64_t)ld_get32(p + 4) << 32;
}
static inline void ld_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void ld_put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static inline void ld_put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

#endif
