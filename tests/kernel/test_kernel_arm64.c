/*
 * test_kernel_arm64.c - the kernel's own arch/arm64/lib routines (built from
 * Debian's linux-source-6.1) run in rasim at EL1, against the same objects
 * linked into a static program run at EL0 under qemu-aarch64: every call of
 * kcases.h, plus copy_page and clear_page on whole pages, must return the
 * same value and leave both areas byte-identical (compared by hash).
 *
 * The user-copy routines' ldtr/sttr behave as plain loads and stores at
 * EL0, so the native side needs no help. mte.o is not run natively: its
 * LDGM/STGM are undefined at EL0 (test_a64_kernel_lib checks it in rasim).
 */
#include "native.h"
#include "test_util.h"

#include <check.h>

static const char *const objects[] = {"memcpy",         "memset",     "copy_to_user",
                                      "copy_from_user", "clear_user", "copy_page",
                                      "clear_page"};
static const char *const symbols[] = {
    [KC_MEMCPY] = "__memcpy",
    [KC_MEMSET] = "__memset",
    [KC_MEMMOVE] = "__memmove",
    [KC_COPY_TO_USER] = "__arch_copy_to_user",
    [KC_COPY_FROM_USER] = "__arch_copy_from_user",
    [KC_CLEAR_USER] = "__arch_clear_user",
    [KC_COPY_PAGE] = "copy_page",
    [KC_CLEAR_PAGE] = "clear_page",
};
static const char *const symbol_objects[] = {
    [KC_MEMCPY] = "memcpy",
    [KC_MEMSET] = "memset",
    [KC_MEMMOVE] = "memcpy", /* memcpy.S defines both */
    [KC_COPY_TO_USER] = "copy_to_user",
    [KC_COPY_FROM_USER] = "copy_from_user",
    [KC_CLEAR_USER] = "clear_user",
    [KC_COPY_PAGE] = "copy_page",
    [KC_CLEAR_PAGE] = "clear_page",
};

START_TEST(kernel_arm64_lib_matches_native)
{
    const struct kn_target t = {
        .arch = RASIM_ARCH_AARCH64,
        .arch_dir = "arm64",
        .objects = objects,
        .nobjects = sizeof(objects) / sizeof(*objects),
        .cc = "aarch64-linux-gnu-gcc",
        .driver = "driver_arm64",
        .qemu = "qemu-aarch64",
        .fix_object = NULL,
        .ncases = KC_NCASES_WITH_PAGES,
        .symbols = symbols,
        .symbol_objects = symbol_objects,
    };
    kn_compare(&t, 97);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("kernel_arm64");
    TCase *tc = tcase_create("kernel_arm64");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, kernel_arm64_lib_matches_native);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
