/*
 * test_kernel_rv64.c - the kernel's own arch/riscv/lib routines (built from
 * Debian's linux-source-6.1) run in rasim, against the same objects run
 * natively under qemu-riscv64: every call of kcases.h must return the same
 * value and leave both buffer areas byte-identical (compared by hash).
 *
 * In rasim the routines run in S-mode, where their csrs/csrc of
 * sstatus.SUM are real instructions; natively a SIGILL handler skips them.
 */
#include "native.h"
#include "test_util.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* The kernel is built for the soft-float ABI (no FP registers in the
 * kernel); glibc for lp64d. The routines contain no floating point, so the
 * native copies are marked double-float (e_flags bits 2:1 = 2, per the RISC-V
 * ELF psABI) to let the linker combine them. */
static void mark_double_float(const char *path)
{
    size_t n;
    uint8_t *f = tu_read_file(path, &n);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_gt(n, 52);
    uint32_t flags;
    memcpy(&flags, f + 48, 4); /* Elf64_Ehdr.e_flags */
    flags = (flags & ~0x6u) | 0x4u;
    memcpy(f + 48, &flags, 4);
    ck_assert_int_eq(tu_write_file(path, f, n), 0);
    free(f);
}

static const char *const objects[] = {"memcpy", "memset", "memmove", "uaccess"};
static const char *const symbols[KC_NROUTINES] = {
    [KC_MEMCPY] = "__memcpy",
    [KC_MEMSET] = "__memset",
    [KC_MEMMOVE] = "__memmove",
    [KC_COPY_TO_USER] = "__asm_copy_to_user",
    [KC_COPY_FROM_USER] = "__asm_copy_from_user",
    [KC_CLEAR_USER] = "__clear_user",
};
static const char *const symbol_objects[KC_NROUTINES] = {
    [KC_MEMCPY] = "memcpy",          [KC_MEMSET] = "memset",
    [KC_MEMMOVE] = "memmove",        [KC_COPY_TO_USER] = "uaccess",
    [KC_COPY_FROM_USER] = "uaccess", [KC_CLEAR_USER] = "uaccess",
};

START_TEST(kernel_riscv_lib_matches_native)
{
    const struct kn_target t = {
        .arch = RASIM_ARCH_RV64,
        .arch_dir = "riscv",
        .objects = objects,
        .nobjects = sizeof(objects) / sizeof(*objects),
        .cc = "riscv64-linux-gnu-gcc",
        .driver = "driver_riscv",
        .qemu = "qemu-riscv64",
        .fix_object = mark_double_float,
        .ncases = KC_NCASES,
        .symbols = symbols,
        .symbol_objects = symbol_objects,
    };
    kn_compare(&t, 97);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("kernel_rv64");
    TCase *tc = tcase_create("kernel_rv64");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, kernel_riscv_lib_matches_native);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
