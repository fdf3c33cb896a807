/*
 * driver_riscv.c - the native side of the kernel-routine comparison: a
 * static riscv64 Linux program, run under qemu-riscv64, that links the
 * kernel's own arch/riscv/lib objects (symbols prefixed with kern_ so they
 * do not clash with libc) and makes every call of kcases.h (driver.h's
 * loop) but the page routines', which riscv's lib does not have.
 * The uaccess routines set and clear sstatus.SUM with csrs/csrc, which user
 * mode may not do: a SIGILL handler steps over those two instructions only.
 */
#define _GNU_SOURCE
#include "driver.h"

#include <signal.h>
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

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = skip_csr;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);
    static const struct kc_routines r = {
        .memcpy = kern___memcpy,
        .memset = kern___memset,
        .memmove = kern___memmove,
        .copy_to_user = kern___asm_copy_to_user,
        .copy_from_user = kern___asm_copy_from_user,
        .clear_user = kern___clear_user,
    };
    kc_drive(&r, KC_NCASES); /* no page routines in riscv lib */
    return 0;
}
