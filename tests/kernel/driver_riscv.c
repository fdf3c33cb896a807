/*
 * driver_riscv.c - the native side of the kernel-routine comparison: a
 * static riscv64 Linux program, run under qemu-riscv64, that links the
 * kernel's own arch/riscv/lib objects (symbols prefixed with kern_ so they
 * do not clash with libc) and makes every call of kcases.h, printing
 *   <case> <return value, pointers as offsets> <hash of both areas>
 * The uaccess routines set and clear sstatus.SUM with csrs/csrc, which user
 * mode may not do: a SIGILL handler steps over those two instructions only.
 */
#define _GNU_SOURCE
#include "kcases.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

void *kern___memcpy(void *, const void *, unsigned long);
void *kern___memset(void *, int, unsigned long);
void *kern___memmove(void *, const void *, unsigned long);
unsigned long kern___asm_copy_to_user(void *, const void *, unsigned long);
unsigned long kern___asm_copy_from_user(void *, const void *, unsigned long);
unsigned long kern___clear_user(void *, unsigned long);

static void skip_csr(int sig, siginfo_t *si, void *uc_void)
{
    ucontext_t *uc = uc_void;
    uint32_t insn;
    memcpy(&insn, (void *)uc->uc_mcontext.__gregs[0], 4);
    /* SYSTEM opcode with funct3 CSRRS/CSRRC (csrs/csrc) on sstatus (0x100). */
    if ((insn & 0x7f) != 0x73 || (insn >> 20) != 0x100)
        abort();
    uc->uc_mcontext.__gregs[0] += 4;
    (void)sig;
    (void)si;
}

static uint8_t areas[2 * KC_AREA] __attribute__((aligned(4096)));

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = skip_csr;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);
    uint8_t *dst_area = areas, *src_area = areas + KC_AREA;
    for (unsigned i = 0; i < KC_NCASES; i++) {
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
        case KC_COPY_TO_USER: ret = kern___asm_copy_to_user(dst, src, c.len); break;
        case KC_COPY_FROM_USER: ret = kern___asm_copy_from_user(dst, src, c.len); break;
        case KC_CLEAR_USER: ret = kern___clear_user(dst, c.len); break;
        default: break; /* no page routines in riscv lib */
        }
        printf("%u %llx %llx\n", i, (unsigned long long)ret,
               (unsigned long long)kc_hash(areas, sizeof(areas)));
    }
    return 0;
}
