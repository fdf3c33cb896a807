/*
 * expect.c - what each workload must produce, and how many instructions it
 * must take, known without running any engine: the page hash of a copy,
 * the int_loop generator replayed on the host (which also gives the branch
 * counts that fix its instruction count), ptwalk built for the host.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>

const char *const arch_name[NARCHES] = {"aarch64", "rv64"};
const char *const workload_name[NWORKLOADS] = {"page_copy", "int_loop", "ptwalk_c"};
const char *const workload_arg[NWORKLOADS] = {"page_copy", "int_loop", "ptwalk"};

void src_page(uint64_t words[BENCH_PAGE / 8])
{
    for (unsigned i = 0; i < BENCH_PAGE / 8; i++)
        words[i] = BENCH_SRC_WORD(i);
}

void workload_call(const struct guest *g, enum bench_workload w, uint64_t n, struct call *c)
{
    c->entry = g->entry[w];
    switch (w) {
    case W_PAGE_COPY:
        c->args[0] = g->dst;
        c->args[1] = g->src;
        c->args[2] = n;
        c->nargs = 3;
        break;
    case W_INT_LOOP:
        c->args[0] = BENCH_INT_SEED;
        c->args[1] = n;
        c->nargs = 2;
        break;
    default:
        c->args[0] = g->pool;
        c->args[1] = n;
        c->nargs = 2;
        break;
    }
}

/* int_loop replayed: the result and how often each branch went which way. */
struct int_replay {
    uint64_t n, result, odd, bit2;
};

static const struct int_replay *int_loop_replay(uint64_t n)
{
    static struct int_replay cache[8];
    static unsigned next;
    for (unsigned i = 0; i < 8; i++) /* an unused entry is the right answer for n = 0 */
        if (cache[i].n == n)
            return &cache[i];
    uint64_t x = BENCH_INT_SEED, acc = 0, odd = 0, bit2 = 0;
    for (uint64_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if (x & 1) {
            acc += x;
            odd++;
        } else {
            acc ^= x >> 3;
        }
        if (x & 4) {
            acc += x >> 11;
            bit2++;
        }
    }
    struct int_replay *r = &cache[next++ % 8];
    *r = (struct int_replay){n, acc, odd, bit2};
    return r;
}

static struct {
    bool fitted;
    uint64_t first, per_round;
    char by[64];
} ptwalk_counts[NARCHES];

void ptwalk_fit(enum bench_arch arch, uint64_t one_round, uint64_t two_rounds, const char *by)
{
    ptwalk_counts[arch].fitted = true;
    ptwalk_counts[arch].per_round = two_rounds - one_round;
    ptwalk_counts[arch].first = one_round;
    snprintf(ptwalk_counts[arch].by, sizeof(ptwalk_counts[arch].by), "%s", by);
}

const char *ptwalk_fitted_by(enum bench_arch arch)
{
    return ptwalk_counts[arch].fitted ? ptwalk_counts[arch].by : NULL;
}

bool expected_insns(enum bench_arch arch, enum bench_workload w, uint64_t n, uint64_t *insns)
{
    bool a64 = arch == ARCH_AARCH64;
    switch (w) {
    case W_PAGE_COPY:
        if (a64)
            *insns = PC_A64_ENTRY + PC_A64_EXIT +
                     n * (PC_A64_PAGE_HEAD + (BENCH_PAGE / 64) * PC_A64_LINE + PC_A64_PAGE_TAIL);
        else
            *insns = PC_RV_ENTRY + PC_RV_EXIT +
                     n * (PC_RV_PAGE_HEAD + (BENCH_PAGE / 64) * PC_RV_LINE + PC_RV_PAGE_TAIL);
        return true;
    case W_INT_LOOP: {
        const struct int_replay *r = int_loop_replay(n);
        if (a64)
            *insns = IL_A64_ENTRY + IL_A64_EXIT + n * IL_A64_BASE + r->odd * IL_A64_ODD +
                     (n - r->odd) * IL_A64_EVEN + r->bit2 * IL_A64_BIT2;
        else
            *insns = IL_RV_ENTRY + IL_RV_EXIT + n * IL_RV_BASE + r->odd * IL_RV_ODD +
                     (n - r->odd) * IL_RV_EVEN + r->bit2 * IL_RV_BIT2;
        return true;
    }
    default:
        /* Every round does the same work: first + (n - 1) * per_round. */
        if (!ptwalk_counts[arch].fitted || n == 0)
            return false;
        *insns = ptwalk_counts[arch].first + (n - 1) * ptwalk_counts[arch].per_round;
        return true;
    }
}

uint64_t expected_result(enum bench_workload w, uint64_t n)
{
    static uint64_t page[BENCH_PAGE / 8];
    switch (w) {
    case W_PAGE_COPY:
        if (n)
            src_page(page);
        else
            for (unsigned i = 0; i < BENCH_PAGE / 8; i++)
                page[i] = 0;
        return bench_page_hash(page);
    case W_INT_LOOP: return int_loop_replay(n)->result;
    default: {
        static struct {
            uint64_t n, result;
            bool set;
        } cache[8];
        static unsigned next;
        for (unsigned i = 0; i < 8; i++)
            if (cache[i].set && cache[i].n == n)
                return cache[i].result;
        static uint64_t pool[PTW_POOL_SIZE / 8];
        uint64_t r = bench_ptwalk(pool, n);
        unsigned slot = next++ % 8;
        cache[slot].n = n;
        cache[slot].result = r;
        cache[slot].set = true;
        return r;
    }
    }
}
