/*
 * driver.h - the loop of the native drivers (driver_arm64.c,
 * driver_riscv.c), each built for its own guest and run under qemu-user:
 * every call of kcases.h on fresh areas, through the kernel's routines the
 * driver links, printing
 *   <case> <return value, pointers as offsets, 0 if none> <hash of both areas>
 */
#ifndef RASIM_KERNEL_DRIVER_H
#define RASIM_KERNEL_DRIVER_H

#include "kcases.h"

#include <stdio.h>

/* The kernel's routines (kern_-prefixed copies); NULL where the
 * architecture's lib has none, whose cases the driver does not run. */
struct kc_routines {
    void *(*memcpy)(void *, const void *, unsigned long);
    void *(*memset)(void *, int, unsigned long);
    void *(*memmove)(void *, const void *, unsigned long);
    unsigned long (*copy_to_user)(void *, const void *, unsigned long);
    unsigned long (*copy_from_user)(void *, const void *, unsigned long);
    unsigned long (*clear_user)(void *, unsigned long);
    void (*copy_page)(void *, const void *);
    void (*clear_page)(void *);
};

static uint8_t kc_areas[2 * KC_AREA] __attribute__((aligned(4096)));

/* Cases 0..ncases-1. */
static inline void kc_drive(const struct kc_routines *r, unsigned ncases)
{
    uint8_t *dst_area = kc_areas, *src_area = kc_areas + KC_AREA;
    for (unsigned i = 0; i < ncases; i++) {
        struct kc_case c = kc_case(i);
        for (uint32_t k = 0; k < KC_AREA; k++) {
            dst_area[k] = kc_dst_byte(k);
            src_area[k] = kc_src_byte(k);
        }
        uint8_t *dst = dst_area + c.dst_off;
        uint8_t *src = c.overlap ? dst_area + c.src_off : src_area + c.src_off;
        uint64_t ret = 0;
        switch (c.routine) {
        case KC_MEMCPY: ret = (uint8_t *)r->memcpy(dst, src, c.len) - dst_area; break;
        case KC_MEMSET: ret = (uint8_t *)r->memset(dst, 0x5a, c.len) - dst_area; break;
        case KC_MEMMOVE: ret = (uint8_t *)r->memmove(dst, src, c.len) - dst_area; break;
        case KC_COPY_TO_USER: ret = r->copy_to_user(dst, src, c.len); break;
        case KC_COPY_FROM_USER: ret = r->copy_from_user(dst, src, c.len); break;
        case KC_CLEAR_USER: ret = r->clear_user(dst, c.len); break;
        case KC_COPY_PAGE: r->copy_page(dst, src); break;
        case KC_CLEAR_PAGE: r->clear_page(dst); break;
        }
        printf("%u %llx %llx\n", i, (unsigned long long)ret,
               (unsigned long long)kc_hash(kc_areas, sizeof(kc_areas)));
    }
}

#endif
