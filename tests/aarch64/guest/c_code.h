/*
 * c_code.h - C routines built twice: for the guest by clang -O2
 * -ffreestanding -mgeneral-regs-only (LL/SC and LSE atomics variants),
 * and for the host with RASIM_HOST defined as the oracle.
 */
#ifndef RASIM_A64_C_CODE_H
#define RASIM_A64_C_CODE_H

#ifdef RASIM_HOST
#define F(name) host_##name
#else
#define F(name) name
#endif

typedef unsigned long u64;
typedef long s64;
typedef unsigned int u32;

u64 F(c_sort_sum)(int *a, u32 n);
u64 F(c_hash)(const unsigned char *p, u64 n);
u64 F(c_divmix)(s64 a, s64 b);
u64 F(c_bits)(u64 x);
u64 F(c_switch)(u32 k);
u64 F(c_mul128)(u64 a, u64 b);
u64 F(c_atomics)(u64 *p, u32 *w);
u64 F(c_spinlock_sum)(u32 *lock, u64 *counter, u32 n);
u64 F(c_strlen)(const char *s);
u64 F(c_fib)(u32 n);
u64 F(c_bitfields)(u64 x);

#ifndef RASIM_HOST
/* 128-bit compare-and-swap: CASP with LSE, LDAXP/STLXP without. */
u64 c_cas128(unsigned __int128 *p, u64 old_lo, u64 old_hi, u64 new_lo, u64 new_hi);
#endif

#endif
