/*
 * call_setup.h - what `rasim call` does before it runs a routine: load the
 * file, place the buffers, set the arguments, stack and return sentinel,
 * inject the poison. Shared by every command that runs one routine (call,
 * step, gdb, and --trace on them), so they accept the same options.
 */
#ifndef RASIM_CLI_CALL_SETUP_H
#define RASIM_CLI_CALL_SETUP_H

#include "sim/cli/cli.h"

#define MAX_BUFS 16
#define MAX_ARGS 8
/* Where buffers and the stack go: above anything our examples or a kernel
 * image placed at its usual low load address would occupy. */
#define BUF_ARENA  0x400000000ull
#define STACK_BASE 0x3f0000000ull
#define STACK_SIZE 0x100000ull
#define PAGE       0x1000ull
/* The return address given to the routine; reaching it ends the run. It is
 * never fetched, so it need not be mapped. */
#define CALL_SENTINEL 0xfffffffffffff000ull

struct call_buf {
    char name[64];
    uint64_t size, align, pa;
    int fill; /* -1: none */
    const char *file;
    const char *save;
};

#define MAX_POISON 64

struct call {
    struct cli_load load;
    const char *poison[MAX_POISON];
    size_t npoison;
    const char *store_policy;
    const char *sym;
    struct call_buf bufs[MAX_BUFS];
    size_t nbufs;
    const char *args[MAX_ARGS];
    size_t nargs;
    uint64_t max_insns;
    int el;                 /* aarch64: 0 or 1 */
    char mode;              /* rv64: 'm', 's', 'u' */
    bool check_mmu;         /* --check-mmu: the MMU checker watches the run */
    bool feat_ras;          /* --feat-ras: aarch64 models FEAT_RAS */
    struct cli_trace trace; /* --trace: started by call_prepare */
};

/* A struct call with its defaults. */
void call_init(struct call *c);
/* argv[*i] once command's own options are ruled out: a call, trace or load
 * option (with its value) or else the file. 0, or -1 for a bad value, an
 * unknown option or a second file (already reported). */
int call_arg(struct call *c, const char *command, int argc, char **argv, int *i);
/* Load the file and set everything up for the run from the routine's
 * entry, with the --trace started last; NULL after reporting the problem.
 * After the run, rasim_trace_stop (call_trace_stop) ends the trace. */
rasim_machine *call_prepare(struct call *c);
/* End the --trace, if any: 0 or an exit code (reported). */
int call_trace_stop(rasim_machine *m, struct call *c);
/* Write the --save buffers; 0 or an exit code (reported). */
int call_save_buffers(rasim_machine *m, struct call *c);
/* Print how the run ended as `rasim call` does: ret=0x<hex> and
 * insns=<decimal>, then one `fixup` line per recovery; or the fixups and
 * the stop in words (and an oops's backtrace, or where an exhausted budget
 * loops: this runs the machine on); then one `mmu:` line per MMU checker
 * warning. 0 if it returned without warnings, else 1. */
int call_report(rasim_machine *m, const struct rasim_stop *stop);
/* A number, BUF, BUF+OFF, SYMBOL or SYMBOL+OFF, as --arg takes; 0 or an
 * exit code (reported). */
int call_eval(rasim_machine *m, struct call *c, const char *expr, uint64_t *out);
/* Inject one --poison WHERE[:LEN][,kind=...][,in=...][,granule=...]; 0 or
 * an exit code (reported). */
int call_add_poison(rasim_machine *m, struct call *c, const char *spec);
void call_free(struct call *c);

#endif
