/*
 * campaign.c - a 4 KiB campaign: a machine-check-safe copy of a page, run
 * once per cache line of the source and of the destination (128 runs),
 * with that line poisoned; every run must end recovered (the error
 * reported, the copied part right) or with the poison not consumed.
 *
 * rasim: rasim_campaign() on the examples' scenario files - arm64
 * copy_mc_page (examples/scenarios/arm64-copy-mc-page.yaml, the v13 shape),
 * rv64 memcpy_mc (rv64-memcpy-mc.yaml) - timed whole: building the machine,
 * the run without poison, 128 restores and runs, judging each.
 *
 * Unicorn, as its users would do it: the same routine linked at a fixed
 * address, one engine for the sweep, per run the buffers rewritten and one
 * line set in a poison bitmap; a UC_HOOK_MEM_READ|WRITE callback stops the
 * emulation on a read of that line and the harness plays the kernel:
 * finds the faulting PC in __ex_table, applies the entry's handler and
 * resumes at the fixup (an empty
 * UC_HOOK_CODE over the routine makes that PC exact, see uc_sweep). Timed
 * whole as well, from uc_open.
 *
 * qemu-user has no equivalent: a version-1 plugin cannot change the
 * guest's registers or control flow, so it cannot deliver the error.
 */
#include "bench.h"

#include <rasim.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>

#define LINE 64

struct count_ctx {
    size_t runs, accepted;
};

static void count_run(void *ctx, size_t total, const struct rasim_campaign_run *run)
{
    struct count_ctx *c = ctx;
    c->runs++;
    c->accepted += run->accepted;
}

void campaign_rasim(enum bench_arch arch, const struct campaign_paths *p, unsigned runs,
                    struct campaign_result *out)
{
    memset(out, 0, sizeof(*out));
    char err[512];
    const char *search[] = {p->search[arch], NULL};
    rasim_scenario *sc = rasim_scenario_load(p->scenario[arch], search, err, sizeof(err));
    if (!sc) {
        snprintf(out->why, sizeof(out->why), "%s", err);
        return;
    }
    out->runs = rasim_campaign_size(sc);
    for (unsigned i = 0; i < runs && i < 16; i++) {
        struct count_ctx c = {0, 0};
        double t0 = run_clock();
        int rc = rasim_campaign(sc, 0, 1, count_run, &c, err, sizeof(err));
        double t = run_clock() - t0;
        if (rc < 0) {
            snprintf(out->why, sizeof(out->why), "%s", err);
            break;
        }
        out->all[out->nall++] = t;
        out->accepted = c.accepted;
        if (c.runs != out->runs) {
            snprintf(out->why, sizeof(out->why), "ran %zu of %zu points", c.runs, out->runs);
            break;
        }
    }
    rasim_scenario_free(sc);
    if (out->nall && out->nall == (runs < 16 ? runs : 16)) {
        out->available = true;
        out->seconds = median(out->all, out->nall);
    }
}

/* ---- Unicorn ------------------------------------------------------------ */

#define UC_SRC  0x20000000ull
#define UC_DST  0x20010000ull
#define UC_HALT 0x30000000ull

struct uc_campaign {
    uint64_t base, size; /* the bitmap covers [base, base + size) */
    uint64_t bitmap[(0x20000 / LINE) / 64];
    bool fault;
    uint64_t fault_pc;
    bool a64;
};

static bool uc_poisoned(const struct uc_campaign *c, uint64_t addr)
{
    uint64_t off = addr - c->base;
    if (off >= c->size)
        return false;
    uint64_t line = off / LINE;
    return (c->bitmap[line / 64] >> (line % 64)) & 1;
}

static void uc_on_mem(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value,
                      void *user)
{
    struct uc_campaign *c = user;
    if (type != UC_MEM_READ || c->fault)
        return;
    if (uc_poisoned(c, address) || uc_poisoned(c, address + (uint64_t)size - 1)) {
        c->fault = true;
        uc_reg_read(uc, c->a64 ? UC_ARM64_REG_PC : UC_RISCV_REG_PC, &c->fault_pc);
        uc_emu_stop(uc);
    }
}

static void uc_on_code(uc_engine *uc, uint64_t address, uint32_t size, void *user) {}

struct routine {
    uint8_t *file;
    size_t size;
    uint64_t entry;
    uint64_t text_lo, text_hi;
    uint64_t ex_addr, ex_len;
    const uint8_t *ex;
};

/* The __ex_table entry covering pc: its fixup (0 if none), type and data. */
static uint64_t find_fixup(const struct routine *rt, uint64_t pc, uint16_t *type, uint16_t *data)
{
    for (uint64_t off = 0; off + 12 <= rt->ex_len; off += 12) {
        int32_t insn, fixup;
        memcpy(&insn, rt->ex + off, 4);
        memcpy(&fixup, rt->ex + off + 4, 4);
        memcpy(type, rt->ex + off + 8, 2);
        memcpy(data, rt->ex + off + 10, 2);
        uint64_t at = rt->ex_addr + off;
        if (at + (uint64_t)(int64_t)insn == pc)
            return at + 4 + (uint64_t)(int64_t)fixup;
    }
    return 0;
}

/* What the kernel's handler does besides moving PC: arm64 type 5
 * (KACCESS_ERR_ZERO_MEM_ERR, as the v13 profile numbers it) writes -EFAULT
 * to the register data[4:0] names and zeroes data[9:5]; riscv type 1
 * (EX_TYPE_FIXUP) only moves PC. */
static int a64_reg(unsigned n)
{
    return n < 29 ? UC_ARM64_REG_X0 + (int)n : n == 29 ? UC_ARM64_REG_X29 : UC_ARM64_REG_X30;
}

static void apply_handler(uc_engine *uc, bool a64, uint16_t type, uint16_t data)
{
    if (!a64 || type != 5)
        return;
    unsigned err = data & 31, zero = (data >> 5) & 31;
    uint64_t efault = (uint64_t)-14, zeroval = 0;
    if (err != 31)
        uc_reg_write(uc, a64_reg(err), &efault);
    if (zero != 31)
        uc_reg_write(uc, a64_reg(zero), &zeroval);
}

static int uc_sweep(enum bench_arch arch, const struct routine *rt, size_t *accepted, char *err,
                    size_t errlen)
{
    bool a64 = arch == ARCH_AARCH64;
    uc_engine *uc;
    uc_err e = a64 ? uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc)
                   : uc_open(UC_ARCH_RISCV, UC_MODE_RISCV64, &uc);
    if (e) {
        snprintf(err, errlen, "uc_open: %s", uc_strerror(e));
        return -1;
    }
    int rc = -1;
    static struct uc_campaign c;
    memset(&c, 0, sizeof(c));
    c.a64 = a64;
    c.base = UC_SRC;
    c.size = UC_DST + BENCH_PAGE - UC_SRC;
    /* The routine's segments, the buffers, a page for the return address. */
    uint64_t phoff, phnum;
    memcpy(&phoff, rt->file + 32, 8);
    phnum = (uint64_t)rt->file[56] | (uint64_t)rt->file[57] << 8;
    for (uint64_t i = 0; i < phnum; i++) {
        const uint8_t *ph = rt->file + phoff + i * 56;
        uint32_t type;
        uint64_t off, va, filesz, memsz;
        memcpy(&type, ph, 4);
        memcpy(&off, ph + 8, 8);
        memcpy(&va, ph + 16, 8);
        memcpy(&filesz, ph + 32, 8);
        memcpy(&memsz, ph + 40, 8);
        if (type != 1 || !memsz) /* PT_LOAD */
            continue;
        uint64_t lo = va & ~4095ull, hi = (va + memsz + 4095) & ~4095ull;
        uc_mem_map(uc, lo, hi - lo, UC_PROT_ALL); /* segments may share a page */
        if (off + filesz > rt->size || uc_mem_write(uc, va, rt->file + off, filesz)) {
            snprintf(err, errlen, "cannot map the routine's segment at 0x%llx",
                     (unsigned long long)va);
            goto out;
        }
    }
    if (uc_mem_map(uc, UC_SRC, BENCH_PAGE, UC_PROT_READ | UC_PROT_WRITE) ||
        uc_mem_map(uc, UC_DST, BENCH_PAGE, UC_PROT_READ | UC_PROT_WRITE) ||
        uc_mem_map(uc, UC_HALT, 4096, UC_PROT_ALL) ||
        uc_mem_map(uc, STACK_BASE, STACK_SIZE, UC_PROT_READ | UC_PROT_WRITE)) {
        snprintf(err, errlen, "cannot map the buffers");
        goto out;
    }
    /* The PC Unicorn 2.0 reports inside a memory hook is only exact when a
     * code hook covers the instruction (unicorn-engine/unicorn#1643, #2040;
     * here rv64 read a stale PC without one), and the fixup is looked up
     * by that PC: so an empty code hook over the routine, as users add. */
    uc_hook hook, code_hook;
    if ((e = uc_hook_add(uc, &hook, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, (void *)uc_on_mem, &c, 1,
                         0)) ||
        (e = uc_hook_add(uc, &code_hook, UC_HOOK_CODE, (void *)uc_on_code, NULL, rt->text_lo,
                         rt->text_hi - 1))) {
        snprintf(err, errlen, "uc_hook_add: %s", uc_strerror(e));
        goto out;
    }
    static uint8_t src[BENCH_PAGE], zero[BENCH_PAGE], dst[BENCH_PAGE];
    for (unsigned i = 0; i < BENCH_PAGE; i++)
        src[i] = (uint8_t)(i * 7 + 3);
    int pc_reg = a64 ? UC_ARM64_REG_PC : UC_RISCV_REG_PC;
    int ret_reg = a64 ? UC_ARM64_REG_X0 : UC_RISCV_REG_A0;
    *accepted = 0;
    for (unsigned i = 0; i < 2 * BENCH_PAGE / LINE; i++) {
        bool on_src = i < BENCH_PAGE / LINE;
        uint64_t line_off = (on_src ? i : i - BENCH_PAGE / LINE) * LINE;
        uint64_t line = (on_src ? UC_SRC : UC_DST) + line_off;
        /* Restore what the last run changed, poison this run's line. */
        uc_mem_write(uc, UC_SRC, src, BENCH_PAGE);
        uc_mem_write(uc, UC_DST, zero, BENCH_PAGE);
        memset(c.bitmap, 0, sizeof(c.bitmap));
        uint64_t bit = (line - c.base) / LINE;
        c.bitmap[bit / 64] |= 1ull << (bit % 64);
        c.fault = false;
        uint64_t args[3] = {UC_DST, UC_SRC, BENCH_PAGE}, sp = STACK_BASE + STACK_SIZE, lr = UC_HALT;
        for (int k = 0; k < 3; k++)
            uc_reg_write(uc, ret_reg + k, &args[k]);
        uc_reg_write(uc, a64 ? UC_ARM64_REG_SP : UC_RISCV_REG_SP, &sp);
        uc_reg_write(uc, a64 ? UC_ARM64_REG_LR : UC_RISCV_REG_RA, &lr);
        e = uc_emu_start(uc, rt->entry, UC_HALT, 0, 0);
        bool consumed = false, oops = false;
        if (!e && c.fault) {
            /* The kernel's part: the entry for the faulting instruction. */
            consumed = true;
            uint16_t type = 0, data = 0;
            uint64_t fixup = find_fixup(rt, c.fault_pc, &type, &data);
            if (fixup) {
                apply_handler(uc, a64, type, data);
                e = uc_emu_start(uc, fixup, UC_HALT, 0, 0);
            } else {
                oops = true;
            }
        }
        uint64_t pc = 0, ret = 0;
        uc_reg_read(uc, pc_reg, &pc);
        uc_reg_read(uc, ret_reg, &ret);
        if (e || (!oops && pc != UC_HALT)) {
            snprintf(err, errlen, "run %u: %s at 0x%llx", i, uc_strerror(e),
                     (unsigned long long)pc);
            goto out;
        }
        uc_mem_read(uc, UC_DST, dst, BENCH_PAGE);
        bool ok;
        if (oops)
            ok = false;
        else if (!consumed)
            ok = ret == 0 && !memcmp(dst, src, BENCH_PAGE);
        else if (a64) /* error-code contract: -EFAULT */
            ok = ret == (uint64_t)-14;
        else /* bytes-not-copied: the copied prefix is right and stops before the error */
            ok = ret > 0 && ret <= BENCH_PAGE && BENCH_PAGE - ret <= line_off &&
                 !memcmp(dst, src, BENCH_PAGE - ret);
        *accepted += ok;
    }
    rc = 0;
out:
    uc_close(uc);
    return rc;
}

void campaign_unicorn(enum bench_arch arch, const struct campaign_paths *p, unsigned runs,
                      struct campaign_result *out)
{
    memset(out, 0, sizeof(*out));
    struct routine rt;
    memset(&rt, 0, sizeof(rt));
    if (bench_read_file(p->linked[arch], &rt.file, &rt.size) < 0 || rt.size < 64) {
        snprintf(out->why, sizeof(out->why), "%s: cannot read it", p->linked[arch]);
        free(rt.file);
        return;
    }
    if (bench_elf_symbol(rt.file, rt.size, p->entry[arch], &rt.entry) < 0 ||
        bench_elf_section(rt.file, rt.size, "__ex_table", &rt.ex_addr, &rt.ex_len, &rt.ex) < 0) {
        snprintf(out->why, sizeof(out->why), "%s: no %s or no __ex_table", p->linked[arch],
                 p->entry[arch]);
        free(rt.file);
        return;
    }
    const uint8_t *text;
    uint64_t text_len;
    if (bench_elf_section(rt.file, rt.size, ".text", &rt.text_lo, &text_len, &text) < 0) {
        snprintf(out->why, sizeof(out->why), "%s: no .text", p->linked[arch]);
        free(rt.file);
        return;
    }
    rt.text_hi = rt.text_lo + text_len;
    out->runs = 2 * BENCH_PAGE / LINE;
    for (unsigned i = 0; i < runs && i < 16; i++) {
        char err[256];
        double t0 = run_clock();
        int rc = uc_sweep(arch, &rt, &out->accepted, err, sizeof(err));
        double t = run_clock() - t0;
        if (rc < 0) {
            snprintf(out->why, sizeof(out->why), "%s", err);
            break;
        }
        out->all[out->nall++] = t;
    }
    free(rt.file);
    if (out->nall && out->nall == (runs < 16 ? runs : 16)) {
        out->available = true;
        out->seconds = median(out->all, out->nall);
    }
}
