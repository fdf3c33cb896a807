/*
 * user.c - the workloads as a static Linux user program, for qemu-user:
 *
 *   bench-ARCH.elf page_copy|int_loop|ptwalk N [cpu]
 *
 * prints "ns NANOSECONDS result HEX" and exits 0. The time is taken in the
 * guest with clock_gettime around the workload alone, so qemu's start-up
 * and ELF loading are not counted (its translation of the workload is, as
 * rasim's decoding and Unicorn's translation are): CLOCK_MONOTONIC, or
 * with "cpu" CLOCK_PROCESS_CPUTIME_ID (qemu-user passes it to the host:
 * the CPU time of the qemu process). No libc: raw syscalls,
 * whose numbers are the generic ones on both arm64 and riscv64.
 *
 * The buffers are defined here, in .bss, which the linker script places
 * 1 MiB away from all code: no page holds both code and written data, so
 * a JIT never re-translates because of the workload's stores.
 */
#include "bench_guest.h"

#define SYS_write                64
#define SYS_exit_group           94
#define SYS_clock_gettime        113
#define CLOCK_MONOTONIC          1
#define CLOCK_PROCESS_CPUTIME_ID 2

uint64_t bench_src[BENCH_PAGE / 8] __attribute__((aligned(BENCH_PAGE)));
uint64_t bench_dst[BENCH_PAGE / 8] __attribute__((aligned(BENCH_PAGE)));
uint64_t bench_pool[PTW_POOL_SIZE / 8] __attribute__((aligned(BENCH_PAGE)));
/* Holds the poison of the peers' poison maps; no workload touches it. */
uint64_t bench_poison_page[BENCH_PAGE / 8] __attribute__((aligned(BENCH_PAGE)));

void bench_user_main(uint64_t *sp);

static long sys3(long nr, long a0, long a1, long a2)
{
#if defined(__aarch64__)
    register long x8 __asm__("x8") = nr;
    register long x0 __asm__("x0") = a0;
    register long x1 __asm__("x1") = a1;
    register long x2 __asm__("x2") = a2;
    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
    return x0;
#elif defined(__riscv)
    register long a7r __asm__("a7") = nr;
    register long a0r __asm__("a0") = a0;
    register long a1r __asm__("a1") = a1;
    register long a2r __asm__("a2") = a2;
    __asm__ volatile("ecall" : "+r"(a0r) : "r"(a7r), "r"(a1r), "r"(a2r) : "memory");
    return a0r;
#endif
}

static long bench_clock = CLOCK_MONOTONIC;

static uint64_t now_ns(void)
{
    struct {
        long sec, nsec;
    } ts;
    sys3(SYS_clock_gettime, bench_clock, (long)&ts, 0);
    return (uint64_t)ts.sec * 1000000000ull + (uint64_t)ts.nsec;
}

static __attribute__((noreturn)) void quit(int code)
{
    for (;;)
        sys3(SYS_exit_group, code, 0, 0);
}

static void say(const char *s)
{
    long n = 0;
    while (s[n])
        n++;
    sys3(SYS_write, 1, (long)s, n);
}

static char *put_u64(char *p, uint64_t v, unsigned base)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static int same(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

void bench_user_main(uint64_t *sp)
{
    long argc = (long)sp[0];
    char **argv = (char **)(sp + 1);
    if (argc != 3 && !(argc == 4 && same(argv[3], "cpu"))) {
        say("usage: bench.elf page_copy|int_loop|ptwalk N [cpu]\n");
        quit(2);
    }
    if (argc == 4)
        bench_clock = CLOCK_PROCESS_CPUTIME_ID;
    uint64_t n = 0;
    for (const char *c = argv[2]; *c >= '0' && *c <= '9'; c++)
        n = n * 10 + (uint64_t)(*c - '0');
    for (unsigned i = 0; i < BENCH_PAGE / 8; i++)
        bench_src[i] = BENCH_SRC_WORD(i);

    uint64_t t0, t1, result;
    if (same(argv[1], "page_copy")) {
        t0 = now_ns();
        bench_page_copy(bench_dst, bench_src, n);
        t1 = now_ns();
        result = bench_page_hash(bench_dst);
    } else if (same(argv[1], "int_loop")) {
        t0 = now_ns();
        result = bench_int_loop(BENCH_INT_SEED, n);
        t1 = now_ns();
    } else if (same(argv[1], "ptwalk")) {
        t0 = now_ns();
        result = bench_ptwalk(bench_pool, n);
        t1 = now_ns();
    } else {
        say("bench.elf: unknown workload\n");
        quit(2);
    }
    char line[96], *p = line;
    const char *w = "ns ";
    while (*w)
        *p++ = *w++;
    p = put_u64(p, t1 - t0, 10);
    w = " result ";
    while (*w)
        *p++ = *w++;
    p = put_u64(p, result, 16);
    *p++ = '\n';
    *p = 0;
    say(line);
    quit(0);
}
