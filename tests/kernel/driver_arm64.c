/*
 * driver_arm64.c - the native side of the arm64 kernel-routine comparison:
 * a static aarch64 Linux program, run under qemu-aarch64, that links the
 * kernel's own arch/arm64/lib objects (symbols prefixed with kern_ so they
 * do not clash with libc) and makes every call of kcases.h (driver.h's
 * loop), the page routines' too.
 */
#include "driver.h"

void *kern___memcpy(void *, const void *, unsigned long);
void *kern___memset(void *, int, unsigned long);
void *kern___memmove(void *, const void *, unsigned long);
unsigned long kern___arch_copy_to_user(void *, const void *, unsigned long);
unsigned long kern___arch_copy_from_user(void *, const void *, unsigned long);
unsigned long kern___arch_clear_user(void *, unsigned long);
void kern_copy_page(void *, const void *);
void kern_clear_page(void *);

int main(void)
{
    static const struct kc_routines r = {
        .memcpy = kern___memcpy,
        .memset = kern___memset,
        .memmove = kern___memmove,
        .copy_to_user = kern___arch_copy_to_user,
        .copy_from_user = kern___arch_copy_from_user,
        .clear_user = kern___arch_clear_user,
        .copy_page = kern_copy_page,
        .clear_page = kern_clear_page,
    };
    kc_drive(&r, KC_NCASES_WITH_PAGES);
    return 0;
}
