/*
 * fuzz_elf.c - libFuzzer harness: any bytes as an ELF file for the loader.
 * Seeds are our fixture and example objects, so mutations reach relocation,
 * symbol and extable code rather than dying at the magic number. On success
 * the lookups a trace would make are exercised too.
 */
#include "loader/loader.h"

#include <stdint.h>
#include <stdlib.h>

/* The fixtures' undefined symbols, so mutated fixtures get past resolution. */
static const struct ld_define defines[] = {
    {"ext_func", 0x40100000}, {"ext_data", 0x40200000}, {"ext_small", 0x1230},
    {"ext_abs", 0x12abc},     {"ext_small16", 0x7ff0},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    struct ld_image *img;
    struct ld_options opt = {.defines = defines, .ndefines = sizeof(defines) / sizeof(*defines)};
    if (ld_load_buffer("fuzz.o", data, size, &opt, &img, err, sizeof(err)) < 0)
        return 0;
    char buf[256];
    for (size_t i = 0; i < img->nextable; i++) {
        ld_describe(img, img->extable[i].insn, buf, sizeof(buf));
        ld_describe(img, img->extable[i].fixup, buf, sizeof(buf));
        if (ld_extable_find(img, img->extable[i].insn) == NULL)
            abort(); /* every entry must be findable by its own address */
    }
    for (size_t i = 0; i < img->nsymbols; i++)
        ld_find_symbol(img, img->symbols[i].name);
    ld_image_free(img);
    return 0;
}
