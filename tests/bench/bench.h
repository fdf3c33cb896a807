/*
 * bench.h - the benchmark harness (rasim-bench): workloads, engines and
 * what a run reports. See tests/bench/README.md.
 */
#ifndef RASIM_BENCH_H
#define RASIM_BENCH_H

#include "guest/bench_guest.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum bench_arch { ARCH_AARCH64, ARCH_RV64, NARCHES };
enum bench_workload { W_PAGE_COPY, W_INT_LOOP, W_PTWALK, NWORKLOADS };

extern const char *const arch_name[NARCHES];        /* "aarch64", "rv64" */
extern const char *const workload_name[NWORKLOADS]; /* "page_copy", "int_loop", "ptwalk_c" */
extern const char *const workload_arg[NWORKLOADS];  /* the user program's argv[1] */

/* ---- the guest program (elf.c) ----------------------------------------- */

#define MAX_SEGMENTS 8

struct segment {
    uint64_t va, memsz, filesz;
    const uint8_t *bytes; /* filesz bytes */
    bool write, exec;
};

/* bench-ARCH.elf, read once: the same bytes every engine runs. */
struct guest {
    enum bench_arch arch;
    char path[512];
    uint8_t *file;
    size_t file_size;
    struct segment seg[MAX_SEGMENTS];
    unsigned nseg;
    uint64_t entry[NWORKLOADS]; /* bench_page_copy, bench_int_loop, bench_ptwalk */
    uint64_t src, dst, pool, poison_page, halt;
    uint64_t text_lo, text_hi; /* __bench_text_start/_end: the workloads' code */
    uint64_t data_lo, data_hi; /* the writable segment */
};

int guest_read(struct guest *g, enum bench_arch arch, const char *path, char *err, size_t errlen);
void guest_free(struct guest *g);
/* An ELF symbol's value, or a section's address/size by name; -1 if absent. */
int bench_elf_symbol(const uint8_t *file, size_t size, const char *name, uint64_t *value);
int bench_elf_section(const uint8_t *file, size_t size, const char *name, uint64_t *addr,
                      uint64_t *len, const uint8_t **bytes);
int bench_read_file(const char *path, uint8_t **data, size_t *size);

/* Where the harness puts the stack for rasim and Unicorn (below the code). */
#define STACK_BASE 0x0f000000ull
#define STACK_SIZE 0x10000ull
/* The poisoned line of every poison map: inside bench_poison_page, which no
 * workload touches. */
#define POISON_OFFSET 0x40

/* ---- what a workload must do (expect.c) -------------------------------- */

/* The arguments of a call (x0.., a0..). */
struct call {
    uint64_t entry;
    uint64_t args[3];
    unsigned nargs;
};
void workload_call(const struct guest *g, enum bench_workload w, uint64_t n, struct call *c);

/* The exact dynamic instruction count of a workload at size n, from its
 * loop structure (page_copy, int_loop) or, for the compiled C of ptwalk,
 * from the per-round count measured on a counting engine (ptwalk_fit). */
bool expected_insns(enum bench_arch arch, enum bench_workload w, uint64_t n, uint64_t *insns);
void ptwalk_fit(enum bench_arch arch, uint64_t one_round, uint64_t two_rounds, const char *by);
const char *ptwalk_fitted_by(enum bench_arch arch);
/* The result a correct run reports: the return value (int_loop, ptwalk) or
 * the hash of the destination page (page_copy). */
uint64_t expected_result(enum bench_workload w, uint64_t n);
/* The source page, as every engine starts with it. */
void src_page(uint64_t words[BENCH_PAGE / 8]);

/* ---- engines ------------------------------------------------------------ */

struct run_result {
    double seconds;
    uint64_t result;
    bool counted; /* the engine counted the instructions it executed */
    uint64_t insns;
    uint64_t accesses; /* memory accesses checked against the poison map, if known */
    uint64_t hits;     /* ... and found poisoned (must be 0) */
};

struct engine {
    const char *name;  /* JSON key, --engine filter */
    const char *label; /* table row */
    bool rasim;        /* one of ours (ratios are rasim / peer) */
    /* Can it run this architecture here? If not, why ("n/a (...)"). */
    bool (*available)(const struct engine *e, const struct guest *g, char *why, size_t len);
    int (*run)(const struct engine *e, const struct guest *g, enum bench_workload w, uint64_t n,
               struct run_result *r, char *err, size_t errlen);
    const char *static_na; /* never available: the reason */
    int variant;
};

extern struct engine engines[];
extern const size_t nengines;

/* engine_rasim.c */
bool rasim_available(const struct engine *e, const struct guest *g, char *why, size_t len);
int rasim_bench_run(const struct engine *e, const struct guest *g, enum bench_workload w,
                    uint64_t n, struct run_result *r, char *err, size_t errlen);
enum {
    RASIM_FLAT,
    RASIM_FLAT_NOPOISON,
    RASIM_FLAT_POISON1M,
    RASIM_MMU,
    RASIM_MMU_TRACE,
    RASIM_MMU_TRACE_WINDOW,
    RASIM_MMU_HOOK
};
/* Guest instructions retired by all rasim runs of this process (profiles
 * divide host instructions by it). */
extern uint64_t rasim_insns_total;

/* notrace.c: rasim-mmu in a build without tracing (RASIM_TRACING=OFF),
 * that build's rasim-bench run per run as a child process. */
extern const char *notrace_binary;
bool notrace_available(const struct engine *e, const struct guest *g, char *why, size_t len);
int notrace_bench_run(const struct engine *e, const struct guest *g, enum bench_workload w,
                      uint64_t n, struct run_result *r, char *err, size_t errlen);
/* The child: --engine-child ENGINE ARCH ELF WORKLOAD N [--cpu-time]. */
int engine_child(int argc, char **argv);

/* engine_qemu.c */
extern const char *qemu_binary[NARCHES];
extern const char *qemu_plugin_path;
extern const char *scratch_dir;
bool qemu_available(const struct engine *e, const struct guest *g, char *why, size_t len);
int qemu_bench_run(const struct engine *e, const struct guest *g, enum bench_workload w, uint64_t n,
                   struct run_result *r, char *err, size_t errlen);
/* The instructions qemu executes in the workloads' code (counting plugin). */
int qemu_count(const struct guest *g, enum bench_workload w, uint64_t n, uint64_t *insns, char *err,
               size_t errlen);
enum { QEMU_PLAIN, QEMU_POISON, QEMU_INSN };

/* engine_unicorn.c */
bool unicorn_available(const struct engine *e, const struct guest *g, char *why, size_t len);
int unicorn_bench_run(const struct engine *e, const struct guest *g, enum bench_workload w,
                      uint64_t n, struct run_result *r, char *err, size_t errlen);
enum { UC_PLAIN, UC_MEMHOOK, UC_CODEHOOK };
const char *unicorn_version(void);

/* ---- campaigns (campaign.c) --------------------------------------------- */

struct campaign_result {
    bool available;
    char why[600];
    size_t runs;     /* per campaign */
    size_t accepted; /* in the last campaign */
    double seconds;  /* median per campaign */
    double all[16];
    unsigned nall;
};

struct campaign_paths {
    const char *scenario[NARCHES]; /* rasim scenario files */
    const char *search[NARCHES];   /* where their images are */
    const char *linked[NARCHES];   /* the routine linked for Unicorn */
    const char *entry[NARCHES];    /* its symbol */
};

void campaign_rasim(enum bench_arch arch, const struct campaign_paths *p, unsigned runs,
                    struct campaign_result *out);
void campaign_unicorn(enum bench_arch arch, const struct campaign_paths *p, unsigned runs,
                      struct campaign_result *out);

/* ---- memory (memory.c) --------------------------------------------------- */

struct memory_result {
    bool measured, met;
    char why[320];
    double base_mib, peak_mib; /* peak resident set before the machine, and in all */
};

/* 1 GiB declared, 10 MiB touched, measured in a child process (this program
 * with --rss-child ARCH ELF, which runs memory_child). */
void memory_measure(enum bench_arch arch, const char *elf, struct memory_result *out);
int memory_child(enum bench_arch arch, const char *elf);

/* ---- results (bench.c measures, report.c reports) ----------------------- */

#define MAX_RUNS    16
#define MAX_ENGINES 16

struct cell {
    bool measured;
    bool failed;
    char err[512];
    uint64_t n;     /* workload size per run */
    uint64_t insns; /* instructions per run (exact) */
    double secs[MAX_RUNS];
    unsigned nsecs;
    double median_s, mips;
    uint64_t accesses; /* poison checks per run, where the engine reports them */
};

struct results {
    bool quick;
    bool cpu_clock; /* runs timed in CPU time (--cpu-time) */
    unsigned runs;
    double cap; /* seconds a run is sized to take at most */
    bool arch_on[NARCHES], engine_on[MAX_ENGINES], workload_on[NWORKLOADS];
    bool engine_ok[NARCHES][MAX_ENGINES];
    char engine_why[NARCHES][MAX_ENGINES][320];
    struct cell cell[NARCHES][MAX_ENGINES][NWORKLOADS];
    int ref[NARCHES];                           /* the rasim engine the ratios use, -1 for none */
    char count_check[NARCHES][NWORKLOADS][160]; /* how each instruction count was checked */
    bool campaigns_on;
    struct campaign_result camp[NARCHES][2]; /* [0] rasim, [1] Unicorn */
    bool memory_on;
    struct memory_result mem[NARCHES];
    double load_before, load_after;
    double wall;
    unsigned nfailures;
};

void report_table(const struct results *r, FILE *f);
int report_json(const struct results *r, const char *path);
int report_svg(const struct results *r, const char *path);

/* ---- timing ------------------------------------------------------------- */

double now_seconds(void);
/* What the engines' runs are timed with: wall time, or with --cpu-time the
 * CPU time of the thread running the guest (qemu: its process), so that
 * other processes on a busy machine do not count. */
extern bool bench_cpu_clock;
double run_clock(void);
double median(double *v, unsigned n);

#endif
