/*
 * alu.c - shared pseudocode that is too long to inline (see alu.h).
 */
#include "isa/aarch64/alu.h"

static uint64_t ones(unsigned n)
{
    return n >= 64 ? ~0ull : (1ull << n) - 1;
}

/* Replicate an esize-bit element across 64 bits. */
static uint64_t replicate(uint64_t elem, unsigned esize)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < 64; i += esize)
        r |= elem << i;
    return r;
}

static uint64_t ror_elem(uint64_t x, unsigned r, unsigned esize)
{
    r %= esize;
    if (!r)
        return x;
    return ((x >> r) | (x << (esize - r))) & ones(esize);
}

bool a64_decode_bit_masks(unsigned n, unsigned imms, unsigned immr, bool immediate,
                          unsigned datasize, uint64_t *wmask, uint64_t *tmask)
{
    /* len = HighestSetBit(N:NOT(imms)) */
    unsigned combined = (n << 6) | (~imms & 0x3f);
    int len = -1;
    for (int i = 6; i >= 0; i--) {
        if (combined & (1u << i)) {
            len = i;
            break;
        }
    }
    if (len < 1)
        return false;
    unsigned esize = 1u << len;
    if (esize > datasize)
        return false;
    unsigned levels = (unsigned)ones((unsigned)len);
    if (immediate && (imms & levels) == levels)
        return false;
    unsigned s = imms & levels;
    unsigned r = immr & levels;
    unsigned diff = (s - r) & levels; /* d = UInt(diff<len-1:0>) */
    uint64_t welem = ones(s + 1);
    uint64_t telem = ones(diff + 1);
    *wmask = replicate(ror_elem(welem, r, esize), esize) & ones(datasize);
    *tmask = replicate(telem, esize) & ones(datasize);
    return true;
}
