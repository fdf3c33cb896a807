/*
 * fuzz_sysmap.c - libFuzzer harness: any bytes as a System.map.
 */
#include "loader/loader_internal.h"

#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    struct ld_ctx ctx = {.path = "System.map", .err = err, .errlen = sizeof(err)};
    struct ld_image *img = calloc(1, sizeof(*img));
    FILE *f = size ? fmemopen((void *)data, size, "r") : NULL;
    if (img && f && ld_parse_system_map(&ctx, f, img) == 0) {
        ld_finish(img);
        char buf[256];
        for (size_t i = 0; i < img->nsymbols; i++)
            ld_describe(img, img->symbols[i].va + 1, buf, sizeof(buf));
    }
    if (f)
        fclose(f);
    ld_image_free(img);
    return 0;
}
