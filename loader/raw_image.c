/*
 * raw_image.c - a raw kernel image (arm64 or riscv `Image`) at a load PA,
 * linked at a VA, with its symbols from System.map.
 *
 * Both architectures' Image headers keep the image's in-memory size (text to
 * the end of bss) at offset 16; when the header's magic is present the image
 * is given that size, so bss exists as zeros as it would after boot.
 */
#include "loader/loader_internal.h"

#include <stdlib.h>
#include <string.h>

#define IMAGE_SIZE_OFFSET   16
#define ARM64_MAGIC_OFFSET  56 /* "ARM\x64" */
#define RISCV_MAGIC2_OFFSET 56 /* "RSC\x05" */

static uint64_t header_image_size(const uint8_t *f, size_t size, enum ld_arch arch)
{
    if (size < 64)
        return 0;
    if (arch == LD_ARCH_AARCH64 && !memcmp(f + ARM64_MAGIC_OFFSET, "ARM\x64", 4))
        return ld_get64(f + IMAGE_SIZE_OFFSET);
    if (arch == LD_ARCH_RV64 && !memcmp(f + RISCV_MAGIC2_OFFSET, "RSC\x05", 4))
        return ld_get64(f + IMAGE_SIZE_OFFSET);
    return 0;
}

static int read_extable_range(const struct ld_ctx *ctx, struct ld_image *img,
                              const struct ld_segment *seg)
{
    const struct ld_symbol *a = ld_find_symbol(img, "__start___ex_table");
    const struct ld_symbol *b = ld_find_symbol(img, "__stop___ex_table");
    if (!a && !b)
        return 0;
    if (!a || !b)
        return ld_fail(ctx, "System.map has %s but not %s", a ? a->name : b->name,
                       a ? "__stop___ex_table" : "__start___ex_table");
    if (b->va < a->va)
        return ld_fail(ctx, "__stop___ex_table 0x%llx is below __start___ex_table 0x%llx",
                       (unsigned long long)b->va, (unsigned long long)a->va);
    if (a->va < seg->va || b->va - seg->va > seg->filesz)
        return ld_fail(ctx, "__ex_table [0x%llx, 0x%llx) lies outside the image [0x%llx, 0x%llx)",
                       (unsigned long long)a->va, (unsigned long long)b->va,
                       (unsigned long long)seg->va, (unsigned long long)(seg->va + seg->filesz));
    return ld_parse_extable(ctx, img, a->va, seg->bytes + (a->va - seg->va), b->va - a->va);
}

int ld_read_raw_image(const struct ld_ctx *ctx, const uint8_t *file, size_t file_size,
                      const struct ld_options *opt, struct ld_image *img)
{
    if (opt->arch == LD_ARCH_NONE)
        return ld_fail(ctx, "a raw image needs --arch aarch64 or --arch rv64");
    if (file_size == 0)
        return ld_fail(ctx, "image is empty");
    img->kind = LD_KIND_IMAGE;
    img->arch = opt->arch;

    struct ld_segment *seg = ld_add_segment(img);
    seg->pa = opt->load_pa;
    seg->va = opt->link_va_set ? opt->link_va : opt->load_pa;
    seg->filesz = file_size;
    uint64_t memsz = header_image_size(file, file_size, opt->arch);
    if (memsz > LD_MAX_SIZE || file_size > LD_MAX_SIZE)
        return ld_fail(ctx, "image claims 0x%llx bytes in memory (more than 1 GiB)",
                       (unsigned long long)(memsz > file_size ? memsz : file_size));
    seg->memsz = memsz > file_size ? memsz : file_size;
    seg->flags = LD_ALLOC | LD_WRITE | LD_EXEC;
    seg->bytes = malloc(file_size);
    if (!seg->bytes)
        return ld_fail(ctx, "out of host memory for a %zu-byte image", file_size);
    memcpy(seg->bytes, file, file_size);
    if (seg->va + seg->memsz - 1 < seg->va || seg->pa + seg->memsz - 1 < seg->pa)
        return ld_fail(ctx, "image of 0x%llx bytes at 0x%llx wraps the address space",
                       (unsigned long long)seg->memsz, (unsigned long long)seg->va);

    struct ld_section *s = ld_add_section(img, "image");
    s->va = seg->va;
    s->size = seg->memsz;
    s->align = 4096;
    s->flags = seg->flags;
    img->entry = seg->va;

    struct ld_ctx map_ctx = {.path = opt->map_path, .err = ctx->err, .errlen = ctx->errlen};
    if (ld_read_system_map(&map_ctx, opt->map_path, img) < 0)
        return -1;
    return read_extable_range(ctx, img, &img->segments[0]);
}
