/*
 * a64_harness.h - call guest routines built from our test assembly.
 *
 * A machine gets the object loaded at A64H_CODE, a RAM region for data at
 * A64H_DATA (the stack is its top), and a return sentinel in LR, then
 * a64h_call() runs one routine per the AAPCS64 (x0..x7 in, x0 out).
 */
#ifndef RASIM_A64_HARNESS_H
#define RASIM_A64_HARNESS_H

#include "rasim.h"

#include <stdint.h>

#define A64H_CODE     0x40000000ull
#define A64H_DATA     0x40400000ull /* 1 MiB of RAM */
#define A64H_DATA_LEN 0x100000ull
#define A64H_STACK    (A64H_DATA + A64H_DATA_LEN)
#define A64H_SENTINEL 0x7ffff000ull /* nothing there: reaching it is a return */

/* New AArch64 machine with <A64_GUEST_DIR>/<object> loaded and the kernel
 * profile "none" (exceptions stop the run as the interpreter reports
 * them); aborts the test on failure. */
rasim_machine *a64h_machine(const char *object);
/* Address of a symbol of the loaded object. */
uint64_t a64h_sym(rasim_machine *m, const char *name);

/* Call sym with up to 8 arguments; returns x0. *stop may be NULL, in which
 * case anything but a return fails the test. */
uint64_t a64h_call(rasim_machine *m, const char *sym, const uint64_t *args, unsigned nargs,
                   struct rasim_stop *stop);
#define A64H_CALL(m, sym, ...)                                                                     \
    a64h_call(m, sym, (const uint64_t[]){__VA_ARGS__},                                             \
              sizeof((const uint64_t[]){__VA_ARGS__}) / sizeof(uint64_t), NULL)

uint64_t a64h_reg(rasim_machine *m, const char *name);
void a64h_set(rasim_machine *m, const char *name, uint64_t value);

/* Host-side memory access (not architectural). */
void a64h_write(rasim_machine *m, uint64_t pa, const void *buf, size_t len);
void a64h_read(rasim_machine *m, uint64_t pa, void *buf, size_t len);
uint64_t a64h_read64(rasim_machine *m, uint64_t pa);


/* ESR fields (KERNEL-FACTS.md 2.1). */
#define ESR_EC(esr)  (((esr) >> 26) & 0x3f)
#define ESR_IL(esr)  (((esr) >> 25) & 1)
#define ESR_ISS(esr) ((esr)&0x1ffffff)
#define ESR_FSC(esr) ((esr)&0x3f)
#define ESR_WNR(esr) (((esr) >> 6) & 1)
#define ESR_CM(esr)  (((esr) >> 8) & 1)
#define ESR_FNV(esr) (((esr) >> 10) & 1)

#endif
