/*
 * bench_guest.h - what the benchmark workloads and the harness agree on:
 * buffer sizes, full-size iteration counts, and the dynamic instruction
 * count of each assembly workload as a function of its loop structure.
 *
 * Included by the guest assembly (only the sizes and counts: no C), by the
 * guest C code and by the host harness.
 */
#ifndef RASIM_BENCH_GUEST_H
#define RASIM_BENCH_GUEST_H

#define BENCH_PAGE 4096

/* Full-size iteration counts (the harness may run fewer, see bench.c). */
#define BENCH_PAGE_COPY_N 200000ull   /* page copies: ~155M insns arm64, ~257M rv64 */
#define BENCH_INT_LOOP_N  50000000ull /* xorshift steps: ~470M arm64, ~750M rv64 */
#define BENCH_PTWALK_N    1000ull     /* build + walk rounds of a 4-level table */
#define BENCH_INT_SEED    0x9e3779b97f4a7c15ull

/*
 * page_copy.S: one 4 KiB page per outer iteration, 64 bytes per inner one.
 *   insns(n) = PC_ENTRY + n * (PC_PAGE_HEAD + 64 * PC_LINE + PC_PAGE_TAIL) + PC_EXIT
 * arm64: cbz | mov mov mov | 4 ldp, add, 4 stp, add, subs, b.ne | subs b.ne | ret
 * rv64:  beqz | mv mv li | 8 ld, 8 sd, addi addi addi bnez | addi bnez | ret
 * (n == 0: the entry branch is taken straight to the exit.)
 */
#define PC_A64_ENTRY     1
#define PC_A64_PAGE_HEAD 3
#define PC_A64_LINE      12
#define PC_A64_PAGE_TAIL 2
#define PC_A64_EXIT      1
#define PC_RV_ENTRY      1
#define PC_RV_PAGE_HEAD  3
#define PC_RV_LINE       20
#define PC_RV_PAGE_TAIL  2
#define PC_RV_EXIT       1

/*
 * int_loop.S: per iteration one xorshift64 step (x ^= x << 13; x ^= x >> 7;
 * x ^= x << 17), then two branches on the new value:
 *   bit 0 set: acc += x          clear: acc ^= x >> 3
 *   bit 2 set: acc += x >> 11    clear: nothing
 *   insns(n) = IL_ENTRY + IL_EXIT + sum over iterations of
 *              IL_BASE + (bit0 ? IL_ODD : IL_EVEN) + (bit2 ? IL_BIT2 : 0)
 * arm64: mov cbz | 3 eor, tbz, (add b | eor), tbz, (add), subs b.ne | mov ret
 * rv64:  li beqz | 6 (slli/srli xor), andi beqz, (add j | srli xor), andi beqz,
 *        (srli add), addi bnez | mv ret
 */
#define IL_A64_ENTRY 2
#define IL_A64_BASE  7
#define IL_A64_ODD   2
#define IL_A64_EVEN  1
#define IL_A64_BIT2  1
#define IL_A64_EXIT  2
#define IL_RV_ENTRY  2
#define IL_RV_BASE   12
#define IL_RV_ODD    2
#define IL_RV_EVEN   2
#define IL_RV_BIT2   2
#define IL_RV_EXIT   2

/* ptwalk.c: the table pool (4 KiB tables, allocated from index 0). */
#define PTW_POOL_TABLES 64
#define PTW_POOL_SIZE   (PTW_POOL_TABLES * BENCH_PAGE)

/* The source page's contents, word i (also written by the harness). */
#define BENCH_SRC_WORD(i)                                                                          \
    (((unsigned long long)(i) + 1) * 0x9e3779b97f4a7c15ull ^ 0x5555aaaa5555aaaaull)

#ifndef __ASSEMBLER__
#include <stdint.h>
void bench_page_copy(void *dst, const void *src, uint64_t n);
uint64_t bench_int_loop(uint64_t x, uint64_t n);
uint64_t bench_ptwalk(void *pool, uint64_t n);

/* A hash of a copied page, to check it without reading it back word by word. */
static inline uint64_t bench_page_hash(const uint64_t *w)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned i = 0; i < BENCH_PAGE / 8; i++)
        h = (h ^ w[i]) * 0x100000001b3ull;
    return h;
}
#endif

#endif
