/* diff_util.c - what the differential tests against Unicorn share (see diff_util.h). */
#include "diff_util.h"

/* ---- random numbers --------------------------------------------------------- */

static uint64_t seed;

void rnd_seed(uint64_t s)
{
    seed = s;
}

uint64_t rnd64(void)
{
    /* xorshift64* */
    seed ^= seed >> 12;
    seed ^= seed << 25;
    seed ^= seed >> 27;
    return seed * 0x2545f4914f6cdd1dull;
}

unsigned rnd(unsigned n)
{
    return (unsigned)(rnd64() % n);
}

unsigned rnd_weighted(const unsigned *weight, unsigned n)
{
    unsigned total = 0;
    for (unsigned i = 0; i < n; i++)
        total += weight[i];
    unsigned r = rnd(total), k = 0;
    while (r >= weight[k])
        r -= weight[k++];
    return k;
}
