/*
 * loader.c - ld_load(): read the file, decide what it is, and run its reader.
 */
#include "loader/loader_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Larger inputs than this are refused rather than read into host memory. */
#define LD_MAX_FILE (1ull << 31)

static int read_whole_file(const struct ld_ctx *ctx, uint8_t **out, size_t *size)
{
    FILE *f = fopen(ctx->path, "rb");
    if (!f)
        return ld_fail(ctx, "cannot open: %s", strerror(errno));
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            if (cap > LD_MAX_FILE) {
                free(buf);
                fclose(f);
                return ld_fail(ctx, "file is larger than %llu bytes", LD_MAX_FILE);
            }
            uint8_t *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                fclose(f);
                return ld_fail(ctx, "out of host memory");
            }
            buf = grown;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (err) {
        free(buf);
        return ld_fail(ctx, "cannot read: %s", strerror(err));
    }
    *out = buf;
    *size = len;
    return 0;
}

int ld_load_buffer(const char *name, const uint8_t *bytes, size_t size,
                   const struct ld_options *opt, struct ld_image **out, char *err, size_t errlen)
{
    struct ld_ctx ctx = {.path = name, .err = err, .errlen = errlen};
    *out = NULL;
    /* Our own copy: libelf reads it in place and the readers keep pointers
     * into it while they work. */
    uint8_t *file = malloc(size ? size : 1);
    struct ld_image *img = calloc(1, sizeof(*img));
    if (!file || !img || !(img->path = strdup(name))) {
        free(file);
        free(img);
        return ld_fail(&ctx, "out of host memory");
    }
    if (size)
        memcpy(file, bytes, size);
    int rc;
    bool is_elf = size >= 4 && !memcmp(file, "\177ELF", 4);
    if (opt->map_path)
        rc = is_elf ? ld_fail(&ctx, "is an ELF file; --map is for raw images")
                    : ld_read_raw_image(&ctx, file, size, opt, img);
    else if (is_elf)
        rc = ld_read_elf(&ctx, file, size, opt, img);
    else
        rc = ld_fail(&ctx,
                     "not an ELF file (no \\177ELF magic); for a raw image give --map System.map");
    free(file);
    if (rc < 0) {
        ld_image_free(img);
        return -1;
    }
    ld_finish(img);
    *out = img;
    return 0;
}

int ld_load(const char *path, const struct ld_options *opt, struct ld_image **out, char *err,
            size_t errlen)
{
    struct ld_ctx ctx = {.path = path, .err = err, .errlen = errlen};
    uint8_t *file = NULL;
    size_t size = 0;
    *out = NULL;
    if (read_whole_file(&ctx, &file, &size) < 0)
        return -1;
    int rc = ld_load_buffer(path, file, size, opt, out, err, errlen);
    free(file);
    return rc;
}
