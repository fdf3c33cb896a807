/*
 * driver_arm64.c - the native side of the arm64 kernel-routine comparison:
 * a static aarch64 Linux program, run under qemu-aarch64, that links the
 * kernel's own arch/arm64/lib objects (symbols prefixed with kern_ so they
 * do not clash with libc) and makes every call of kcases.h, printing
 *   <case> <return value, pointers as offsets, 0 if none> <hash of both areas>
 */
#include "kcases.h"

#include <stdio.h>

void *kern___memcpy(void *, const void *, unsigned long);
void *kern___memset(void *, int, unsigned long);
void *kern___memmove(void *, const void *, unsigned long);
unsigned long kern___arch_copy_to_user(void *, const void *, unsigned long);
unsigned long kern___arch_copy_from_user(void *, const void *, unsigned long);
unsigned long kern___arch_clear_user(void *, unsigned long);
void kern_copy_page(void *, const void *);
void kern_clear_page(void *);

static uint8_t areas[2 * KC_AREA] __attribute__((aligned(4096)));

int main(void)
{
    uint8_t *dst_area = areas, *src_area = areas + KC_AREA;
    for (unsigned i = 0; i < KC_NCASES_WITH_PAGES; i++) {
        struct kc_case c = kc_case(i);
        for (uint32_t k = 0; k < KC_AREA; k++) {
            dst_area[k] = kc_dst_byte(k);
            src_area[k] = kc_src_byte(k);
        }
        uint8_t *dst = dst_area + c.dst_off;
        uint8_t *src = c.overlap ? dst_area + c.src_off : src_area + c.src_off;
        uint64_t ret = 0;
        switch (c.routine) {
        case KC_MEMCPY: ret = (uint8_t *)kern___memcpy(dst, src, c.len) - dst_area; break;
        case KC_MEMSET: ret = (uint8_t *)kern___memset(dst, 0x5a, c.len) - dst_area; break;
        case KC_MEMMOVE: ret = (uint8_t *)kern___memmove(dst, src, c.len) - dst_area; break;
        case KC_COPY_TO_USER: ret = kern___arch_copy_to_user(dst, src, c.len); break;
        case KC_COPY_FROM_USER: ret = kern___arch_copy_from_user(dst, src, c.len); break;
        case KC_CLEAR_USER: ret = kern___arch_clear_user(dst, c.len); break;
        case KC_COPY_PAGE: kern_copy_page(dst, src); break;
        case KC_CLEAR_PAGE: kern_clear_page(dst); break;
        }
        printf("%u %llx %llx\n", i, (unsigned long long)ret,
               (unsigned long long)kc_hash(areas, sizeof(areas)));
    }
    return 0;
}
