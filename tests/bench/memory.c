/*
 * memory.c - the memory goal: a machine with 1 GiB of declared RAM whose
 * guest writes 10 MiB of it must stay under 64 MiB resident.
 *
 * Measured in a process of its own (this program again, with --rss-child),
 * so nothing the harness did before - Unicorn, the other machines - is
 * counted: it makes the machine (the benchmark ELF, a stack, 1 GiB of RAM
 * at MEM_BASE), runs the guest's memset over MEM_TOUCHED bytes of that RAM,
 * checks the bytes, and reports its peak resident set (getrusage
 * ru_maxrss), and the same before the machine existed (the program alone).
 */
#include "bench.h"

#include <inttypes.h>
#include <rasim.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define MEM_BASE     0x40000000ull
#define MEM_DECLARED (1ull << 30) /* 1 GiB */
#define MEM_TOUCHED  (10ull << 20)
#define MEM_GOAL_MIB 64.0

static double peak_mib(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_maxrss / 1024.0; /* KiB on Linux */
}

/* The child: prints "rss BASE PEAK" (MiB) or "error WHY". */
int memory_child(enum bench_arch arch, const char *elf)
{
    double base = peak_mib();
    struct guest g;
    char err[512];
    if (guest_read(&g, arch, elf, err, sizeof(err)) < 0) {
        printf("error %s\n", err);
        return 1;
    }
    uint64_t memset_va;
    if (bench_elf_symbol(g.file, g.file_size, "memset", &memset_va) < 0) {
        printf("error no memset in %s\n", elf);
        return 1;
    }
    bool a64 = arch == ARCH_AARCH64;
    rasim_machine *m = rasim_new(a64 ? RASIM_ARCH_AARCH64 : RASIM_ARCH_RV64);
    struct rasim_stop stop;
    const char *what = "setup";
    if (!m || rasim_load(m, g.path, NULL) < 0 ||
        rasim_add_region(m, "stack", STACK_BASE, STACK_SIZE, RASIM_REGION_RAM) < 0 ||
        rasim_add_region(m, "ram", MEM_BASE, MEM_DECLARED, RASIM_REGION_RAM) < 0)
        goto fail;
    what = "registers";
    rasim_set_return_sentinel(m, g.halt);
    if (rasim_set_reg(m, a64 ? "x0" : "a0", MEM_BASE + MEM_DECLARED / 2) < 0 ||
        rasim_set_reg(m, a64 ? "x1" : "a1", 0x5a) < 0 ||
        rasim_set_reg(m, a64 ? "x2" : "a2", MEM_TOUCHED) < 0 ||
        rasim_set_reg(m, a64 ? "x30" : "ra", g.halt) < 0 ||
        rasim_set_reg(m, "sp", STACK_BASE + STACK_SIZE) < 0 ||
        rasim_set_reg(m, "pc", memset_va) < 0)
        goto fail;
    what = "run";
    if (rasim_run(m, 1ull << 36, &stop) < 0 || stop.reason != RASIM_STOP_RETURNED)
        goto fail;
    for (uint64_t off = 0; off < MEM_TOUCHED; off += MEM_TOUCHED / 16) {
        uint8_t b = 0;
        rasim_read_phys(m, MEM_BASE + MEM_DECLARED / 2 + off, &b, 1);
        if (b != 0x5a) {
            printf("error memset left 0x%02x at +0x%" PRIx64 "\n", b, off);
            return 1;
        }
    }
    printf("rss %.1f %.1f\n", base, peak_mib());
    rasim_free(m);
    guest_free(&g);
    return 0;
fail:
    printf("error %s: %s\n", what, m ? rasim_error(m) : "rasim_new failed");
    return 1;
}

void memory_measure(enum bench_arch arch, const char *elf, struct memory_result *out)
{
    memset(out, 0, sizeof(*out));
    char self[512], cmd[1200], line[300];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0) {
        snprintf(out->why, sizeof(out->why), "cannot find this program (/proc/self/exe)");
        return;
    }
    self[n] = 0;
    snprintf(cmd, sizeof(cmd), "'%s' --rss-child %s '%s'", self, arch_name[arch], elf);
    FILE *p = popen(cmd, "r");
    if (!p || !fgets(line, sizeof(line), p)) {
        snprintf(out->why, sizeof(out->why), "the child process said nothing");
        if (p)
            pclose(p);
        return;
    }
    pclose(p);
    line[strcspn(line, "\n")] = 0;
    if (sscanf(line, "rss %lf %lf", &out->base_mib, &out->peak_mib) == 2) {
        out->measured = true;
        out->met = out->peak_mib < MEM_GOAL_MIB;
    } else {
        snprintf(out->why, sizeof(out->why), "%s", strncmp(line, "error ", 6) ? line : line + 6);
    }
}
