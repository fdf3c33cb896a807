/*
 * extable.c - decode the kernel's `__ex_table`.
 *
 * Each entry is 12 bytes, 4-byte aligned (KERNEL-FACTS.md section 1.1):
 *   int   insn;   offset from &insn to the instruction that may fault
 *   int   fixup;  offset from &fixup (entry + 4) to the continuation
 *   short type;   EX_TYPE_*, numbered per kernel version
 *   short data;   handler-specific register fields
 * arm64 and riscv share this layout (ARCH_HAS_RELATIVE_EXTABLE).
 */
#include "loader/loader_internal.h"

#include <stdlib.h>

#define EXTABLE_ENTRY_SIZE 12

int ld_parse_extable(const struct ld_ctx *ctx, struct ld_image *img, uint64_t va,
                     const uint8_t *bytes, uint64_t size)
{
    if (va % 4)
        return ld_fail(ctx, "__ex_table at 0x%llx is not 4-byte aligned", (unsigned long long)va);
    if (size % EXTABLE_ENTRY_SIZE)
        return ld_fail(ctx,
                       "__ex_table size 0x%llx is not a multiple of %d bytes (truncated entry)",
                       (unsigned long long)size, EXTABLE_ENTRY_SIZE);
    size_t n = size / EXTABLE_ENTRY_SIZE;
    if (n == 0)
        return 0;
    struct ld_extable_entry *grown =
        realloc(img->extable, (img->nextable + n) * sizeof(*img->extable));
    if (!grown)
        return ld_fail(ctx, "out of host memory for %zu extable entries", n);
    img->extable = grown;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = bytes + i * EXTABLE_ENTRY_SIZE;
        uint64_t entry = va + i * EXTABLE_ENTRY_SIZE;
        struct ld_extable_entry *e = &img->extable[img->nextable++];
        e->entry_va = entry;
        e->insn = entry + (uint64_t)(int64_t)(int32_t)ld_get32(p);
        e->fixup = entry + 4 + (uint64_t)(int64_t)(int32_t)ld_get32(p + 4);
        e->type = ld_get16(p + 8);
        e->data = ld_get16(p + 10);
    }
    return 0;
}
