/* c_code.c - see c_code.h. Plain C that exercises what clang emits at -O2. */
#include "c_code.h"

u64 F(c_sort_sum)(int *a, u32 n)
{
    for (u32 i = 1; i < n; i++) {
        int v = a[i];
        u32 j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
    u64 sum = 0;
    for (u32 i = 0; i < n; i++)
        sum = sum * 31 + (u64)(s64)a[i];
    return sum;
}

/* FNV-1a, 64-bit. */
u64 F(c_hash)(const unsigned char *p, u64 n)
{
    u64 h = 0xcbf29ce484222325ul;
    for (u64 i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ul;
    }
    return h;
}

u64 F(c_divmix)(s64 a, s64 b)
{
    u64 ua = (u64)a, ub = (u64)b;
    s64 q = a / b, r = a % b;
    u64 uq = ua / ub, ur = ua % ub;
    int wa = (int)a, wb = (int)b | 1;
    return (u64)q ^ ((u64)r << 7) ^ (uq << 13) ^ (ur << 29) ^ (u64)(s64)(wa / wb) ^
           ((u64)(u32)((u32)wa % (u32)wb) << 40);
}

u64 F(c_bits)(u64 x)
{
    u64 r = (u64)__builtin_popcountl(x);
    r |= (u64)(x ? __builtin_clzl(x) : 64) << 8;
    r |= (u64)(x ? __builtin_ctzl(x) : 64) << 16;
    r |= (u64)__builtin_bswap32((u32)x) << 24;
    r ^= __builtin_bswap64(x) >> 3;
    r ^= (x >> 17) | (x << 47); /* rotate */
    return r;
}

u64 F(c_switch)(u32 k)
{
    switch (k) {
    case 0: return 11;
    case 1: return 7;
    case 2: return 305;
    case 3: return 41;
    case 4: return 9999;
    case 5: return 3;
    case 6: return 17;
    case 7: return 1234567;
    case 8: return 5;
    case 9: return 81;
    default: return k * 3 + 1;
    }
}

u64 F(c_mul128)(u64 a, u64 b)
{
    unsigned __int128 p = (unsigned __int128)a * b;
    __int128 s = (__int128)(s64)a * (s64)b;
    return (u64)(p >> 64) ^ (u64)p ^ ((u64)(s >> 64) << 1);
}

u64 F(c_atomics)(u64 *p, u32 *w)
{
    u64 r = __atomic_fetch_add(p, 5, __ATOMIC_SEQ_CST);
    r += __atomic_fetch_or(p, 0x100, __ATOMIC_RELAXED);
    r += __atomic_fetch_and(p, ~1ul, __ATOMIC_ACQUIRE);
    r += __atomic_fetch_xor(p, 0xf0f0, __ATOMIC_RELEASE);
    r += __atomic_exchange_n(p, r, __ATOMIC_ACQ_REL);
    u64 expected = r;
    r += __atomic_compare_exchange_n(p, &expected, 77, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    u32 old = __atomic_load_n(w, __ATOMIC_ACQUIRE);
    while (
        !__atomic_compare_exchange_n(w, &old, old * 3 + 1, 1, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
        ;
    __atomic_store_n(w, *w + 1, __ATOMIC_RELEASE);
    __atomic_fetch_sub(w, 2, __ATOMIC_SEQ_CST);
    return r + *p + *w;
}

/* A test-and-set lock around a counter. */
u64 F(c_spinlock_sum)(u32 *lock, u64 *counter, u32 n)
{
    for (u32 i = 0; i < n; i++) {
        while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE))
            ;
        *counter += i;
        __atomic_store_n(lock, 0, __ATOMIC_RELEASE);
    }
    return *counter;
}

u64 F(c_strlen)(const char *s)
{
    const char *p = s;
    while (*p)
        p++;
    return (u64)(p - s);
}

u64 F(c_fib)(u32 n)
{
    return n < 2 ? n : F(c_fib)(n - 1) + F(c_fib)(n - 2);
}

struct packed {
    unsigned a : 3, b : 7, c : 13, d : 9;
    signed e : 5;
};

u64 F(c_bitfields)(u64 x)
{
    struct packed p;
    p.a = x & 7;
    p.b = (x >> 3) & 0x7f;
    p.c = (unsigned)(x >> 10);
    p.d = (unsigned)(x >> 23);
    p.e = (int)(x >> 32);
    return (u64)p.a + ((u64)p.b << 3) + ((u64)p.c << 10) + ((u64)p.d << 23) +
           (u64)(s64)p.e * 1000003;
}

#ifndef RASIM_HOST
u64 c_cas128(unsigned __int128 *p, u64 old_lo, u64 old_hi, u64 new_lo, u64 new_hi)
{
    unsigned __int128 expected = (unsigned __int128)old_hi << 64 | old_lo;
    unsigned __int128 desired = (unsigned __int128)new_hi << 64 | new_lo;
    return __atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}
#endif
