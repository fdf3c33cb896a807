/*
 * fuzz_machine.h - the small machine the execution and walk harnesses build
 * through rasim.h: RAM for code, data, page tables and a stack, a ROM page,
 * an absent page and a device page, an identity map of all of it (arm64
 * 39-bit VAs from TTBR0 and an alias from TTBR1; rv64 Sv39), and guest
 * vectors that step over a faulting instruction so a run goes on.
 */
#ifndef RASIM_FUZZ_MACHINE_H
#define RASIM_FUZZ_MACHINE_H

#include "rasim.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FZ_CODE    0x40000000ull /* RAM: the fuzzed words (up to FZ_VECTORS) */
#define FZ_VECTORS 0x40003000ull /* arm64 VBAR_EL1 (2 KiB aligned); rv64 mtvec, stvec + 0x40 */
#define FZ_DATA    0x40004000ull /* RAM, 16 KiB */
#define FZ_TABLES  0x40008000ull /* RAM, four 4 KiB tables */
#define FZ_ROM     0x4000c000ull
#define FZ_ABSENT  0x4000d000ull
#define FZ_DEVICE  0x4000e000ull
#define FZ_STACK   0x4000f000ull /* RAM, 4 KiB */
#define FZ_END     0x40010000ull
#define FZ_PAGES   16
/* The same 2 MiB again: arm64 and rv64 map VA FZ_ALIAS to PA FZ_CODE by a
 * block / superpage, and the top 1 GiB of VAs (FZ_HIGH) to FZ_CODE too. */
#define FZ_ALIAS 0x40200000ull
#define FZ_HIGH  0xffffffffc0000000ull

/* Input bytes, read front to back; zero past the end. */
struct fz_in {
    const uint8_t *data;
    size_t size, pos;
};
uint8_t fz_u8(struct fz_in *in);
uint16_t fz_u16(struct fz_in *in);
uint64_t fz_u64(struct fz_in *in);

/* A machine with the regions above (code and data zero-filled). NULL only
 * if the API refuses (a harness bug: it aborts). */
rasim_machine *fz_machine_new(enum rasim_arch arch);

/* Write the identity tables (four 4 KiB tables) at base, FZ_TABLES for
 * fz_mmu_on(). attrs[i] (may be NULL: plain read-write pages) varies page
 * i's permission and state bits (see fuzz_machine.c); the code and vector
 * pages stay fetchable. Layout: arm64 TTBR0 root at base, TTBR1 root at
 * base + 0x3000; rv64 root at base. */
void fz_build_tables(rasim_machine *m, uint64_t base, const uint8_t *attrs);

/* Point the translation registers at the tables and turn the MMU on.
 * tcr_extra: arm64 TCR_EL1 bits ORed in (HA, HD); asid for both. */
void fz_mmu_on(rasim_machine *m, uint64_t tcr_extra, uint16_t asid);

/* Handlers at FZ_VECTORS that return past the faulting instruction (arm64:
 * ELR + 4; rv64: xEPC + 2, which is a valid instruction boundary with C),
 * and the vector registers set. rv64: delegate says which causes go to
 * S-mode (medeleg). */
void fz_install_vectors(rasim_machine *m, uint64_t delegate);

/* Checked setters: a refusal is a harness bug and aborts. */
void fz_set(rasim_machine *m, const char *reg, uint64_t value);
void fz_write(rasim_machine *m, uint64_t pa, const void *buf, size_t len);

/* An event sink that reads every field an event carries (so a bad pointer
 * in one is a sanitizer report) and folds them into *(uint64_t *)ctx. */
void fz_event_hash(void *ctx, const struct rasim_event *event);

/* Everything rasim.h says about a machine after a run, read back (the
 * stop in words, the backtrace, the error log, fixups, TLB, MMU
 * warnings), so those paths see fuzzed state. Returns a hash of it. */
uint64_t fz_read_back(rasim_machine *m, const struct rasim_stop *stop);

#endif
