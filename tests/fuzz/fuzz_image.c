/*
 * fuzz_image.c - libFuzzer harness: any bytes as a raw arm64/riscv Image,
 * with a System.map whose __ex_table bounds fall inside the first 4 KiB, so
 * the fuzzed bytes are decoded as extable entries and Image headers.
 */
#include "loader/loader.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char map_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    snprintf(map_path, sizeof(map_path), "/tmp/rasim-fuzz-%d.map", (int)getpid());
    FILE *f = fopen(map_path, "w");
    if (!f)
        abort();
    fprintf(f, "ffff800008000000 T _text\n"
               "ffff800008000040 T start\n"
               "ffff800008000100 R __start___ex_table\n"
               "ffff800008000160 R __stop___ex_table\n");
    fclose(f);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    struct ld_image *img;
    struct ld_options opt = {.arch = size && (data[0] & 1) ? LD_ARCH_RV64 : LD_ARCH_AARCH64,
                             .map_path = map_path,
                             .load_pa = 0x40200000,
                             .link_va = 0xffff800008000000ull,
                             .link_va_set = true};
    if (ld_load_buffer("Image", data, size, &opt, &img, err, sizeof(err)) == 0) {
        char buf[256];
        for (size_t i = 0; i < img->nextable; i++)
            ld_describe(img, img->extable[i].insn, buf, sizeof(buf));
        ld_image_free(img);
    }
    return 0;
}
