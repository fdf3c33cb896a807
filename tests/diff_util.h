/*
 * diff_util.h - what the differential tests against Unicorn share: the
 * random numbers their cases are drawn from.
 */
#ifndef RASIM_DIFF_UTIL_H
#define RASIM_DIFF_UTIL_H

#include <stdint.h>

/* ---- random numbers --------------------------------------------------------- */

/* xorshift64* from a fixed seed, so a failing case comes back the same:
 * each program seeds it once, in main(). */
void rnd_seed(uint64_t seed);
uint64_t rnd64(void);
/* Below n. */
unsigned rnd(unsigned n);
/* An index below n, drawn in proportion to weight[0..n-1]. */
unsigned rnd_weighted(const unsigned *weight, unsigned n);

#endif
