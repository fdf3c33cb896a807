/*
 * engine_unicorn.c - the workloads on Unicorn 2 (Debian libunicorn-dev),
 * the way its users run kernel routines: the program's segments mapped
 * with uc_mem_map, the call set up in registers, uc_emu_start() until the
 * return address (bench_halt). A fresh engine per run; only uc_emu_start()
 * is timed, which includes Unicorn translating the workload.
 *
 * Variants (engine->variant):
 *   UC_PLAIN     no hooks
 *   UC_MEMHOOK   a UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE callback over all
 *                memory checking each access against a poison bitmap (one
 *                bit per 64-byte line, one line of bench_poison_page set):
 *                how Unicorn users inject memory errors
 *   UC_CODEHOOK  a UC_HOOK_CODE callback recording every PC in a ring and
 *                counting them: how Unicorn users trace; the count is also
 *                checked against the workload's known instruction count
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>

struct hook_state {
    uint64_t base, size;
    uint64_t *bitmap;
    uint64_t accesses, hits;
    uint64_t insns;
    uint64_t ring[4096];
};

static bool poisoned(const struct hook_state *h, uint64_t addr)
{
    uint64_t off = addr - h->base;
    if (off >= h->size)
        return false;
    uint64_t line = off >> 6;
    return (h->bitmap[line / 64] >> (line % 64)) & 1;
}

static void on_mem(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value,
                   void *user)
{
    struct hook_state *h = user;
    h->accesses++;
    if (poisoned(h, address) || poisoned(h, address + (uint64_t)size - 1))
        h->hits++;
}

static void on_code(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    struct hook_state *h = user;
    h->ring[h->insns++ % 4096] = address;
}

const char *unicorn_version(void)
{
    static char buf[32];
    unsigned major, minor;
    uc_version(&major, &minor);
    snprintf(buf, sizeof(buf), "%u.%u", major, minor);
    return buf;
}

static int uc_fail(uc_err e, const char *what, char *err, size_t errlen)
{
    snprintf(err, errlen, "unicorn %s: %s", what, uc_strerror(e));
    return -1;
}

/* Map the program's segments and the stack, and write the source page. */
static int load(uc_engine *uc, const struct guest *g, char *err, size_t errlen)
{
    uc_err e;
    for (unsigned i = 0; i < g->nseg; i++) {
        const struct segment *s = &g->seg[i];
        uint64_t lo = s->va & ~4095ull, hi = (s->va + s->memsz + 4095) & ~4095ull;
        uint32_t prot =
            UC_PROT_READ | (s->write ? UC_PROT_WRITE : 0) | (s->exec ? UC_PROT_EXEC : 0);
        if ((e = uc_mem_map(uc, lo, hi - lo, prot)) ||
            (e = uc_mem_write(uc, s->va, s->bytes, s->filesz)))
            return uc_fail(e, "mapping the program", err, errlen);
    }
    uint64_t page[BENCH_PAGE / 8];
    src_page(page);
    if ((e = uc_mem_map(uc, STACK_BASE, STACK_SIZE, UC_PROT_READ | UC_PROT_WRITE)) ||
        (e = uc_mem_write(uc, g->src, page, sizeof(page))))
        return uc_fail(e, "mapping the stack", err, errlen);
    return 0;
}

int unicorn_bench_run(const struct engine *eng, const struct guest *g, enum bench_workload w,
                      uint64_t n, struct run_result *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof(*r));
    bool a64 = g->arch == ARCH_AARCH64;
    uc_engine *uc;
    uc_err e = a64 ? uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc)
                   : uc_open(UC_ARCH_RISCV, UC_MODE_RISCV64, &uc);
    if (e)
        return uc_fail(e, "uc_open", err, errlen);
    int rc = -1;
    static struct hook_state h;
    memset(&h, 0, sizeof(h));
    if (load(uc, g, err, errlen) < 0)
        goto out;

    struct call c;
    workload_call(g, w, n, &c);
    int arg0 = a64 ? UC_ARM64_REG_X0 : UC_RISCV_REG_A0;
    uint64_t sp = STACK_BASE + STACK_SIZE, lr = g->halt;
    for (unsigned i = 0; i < c.nargs; i++)
        uc_reg_write(uc, arg0 + (int)i, &c.args[i]);
    uc_reg_write(uc, a64 ? UC_ARM64_REG_SP : UC_RISCV_REG_SP, &sp);
    uc_reg_write(uc, a64 ? UC_ARM64_REG_LR : UC_RISCV_REG_RA, &lr);

    uc_hook hook;
    if (eng->variant == UC_MEMHOOK) {
        /* The bitmap covers the whole program image, code to the end of .bss. */
        h.base = g->seg[0].va;
        h.size = g->data_hi - h.base;
        h.bitmap = calloc((h.size >> 6) / 64 + 1, sizeof(uint64_t));
        if (!h.bitmap) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
        uint64_t line = (g->poison_page + POISON_OFFSET - h.base) >> 6;
        h.bitmap[line / 64] |= 1ull << (line % 64);
        e = uc_hook_add(uc, &hook, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, (void *)on_mem, &h, 1, 0);
    } else if (eng->variant == UC_CODEHOOK) {
        e = uc_hook_add(uc, &hook, UC_HOOK_CODE, (void *)on_code, &h, 1, 0);
    }
    if (e) {
        uc_fail(e, "uc_hook_add", err, errlen);
        goto out;
    }

    double t0 = run_clock();
    e = uc_emu_start(uc, c.entry, g->halt, 0, 0);
    r->seconds = run_clock() - t0;
    uint64_t pc = 0;
    uc_reg_read(uc, a64 ? UC_ARM64_REG_PC : UC_RISCV_REG_PC, &pc);
    if (e || pc != g->halt) {
        snprintf(err, errlen, "uc_emu_start: %s, stopped at 0x%llx", uc_strerror(e),
                 (unsigned long long)pc);
        goto out;
    }
    if (w == W_PAGE_COPY) {
        uint64_t page[BENCH_PAGE / 8];
        if ((e = uc_mem_read(uc, g->dst, page, sizeof(page)))) {
            uc_fail(e, "reading dst", err, errlen);
            goto out;
        }
        r->result = bench_page_hash(page);
    } else {
        uc_reg_read(uc, arg0, &r->result);
    }
    if (eng->variant == UC_CODEHOOK) {
        r->counted = true;
        r->insns = h.insns;
    }
    r->accesses = h.accesses;
    r->hits = h.hits;
    if (h.hits) {
        snprintf(err, errlen, "the memory hook saw %llu poisoned accesses",
                 (unsigned long long)h.hits);
        goto out;
    }
    if (eng->variant == UC_MEMHOOK && n && w != W_INT_LOOP && !h.accesses) {
        snprintf(err, errlen, "the memory hook saw no access at all");
        goto out;
    }
    rc = 0;
out:
    free(h.bitmap);
    h.bitmap = NULL;
    uc_close(uc);
    return rc;
}

bool unicorn_available(const struct engine *e, const struct guest *g, char *why, size_t len)
{
    uc_arch arch = g->arch == ARCH_AARCH64 ? UC_ARCH_ARM64 : UC_ARCH_RISCV;
    if (!uc_arch_supported(arch)) {
        snprintf(why, len, "this Unicorn has no %s", arch_name[g->arch]);
        return false;
    }
    return true;
}
