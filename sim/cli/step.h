/*
 * step.h - `rasim step`, the interactive stepper over one routine, set up
 * exactly as `rasim call` sets it up (call_setup.h). Its files:
 *   cmd_step.c   options, the input (libedit or a batch file), the commands
 *                table, and the helpers below
 *   step_run.c   step, next, finish, continue, breakpoints and watchpoints,
 *                and the event stream that shows what each instruction did
 *   step_show.c  registers, memory, disassembly, a translation, the TLB,
 *                poison, the extable, the error log, the backtrace
 * Like every command, a client of rasim.h only.
 */
#ifndef RASIM_CLI_STEP_H
#define RASIM_CLI_STEP_H

#include "sim/cli/call_setup.h"

#define STEP_MAX_POINTS  64
#define STEP_MAX_FRAMES  256
#define STEP_MAX_CHANGES 128
#define STEP_MAX_MEM     8

/* A breakpoint or watchpoint; numbered together, as gdb numbers them. */
struct step_point {
    int num;
    bool watch;
    uint64_t addr; /* breakpoint: the PC; watchpoint: the VA, or the PA if physical */
    uint64_t len;
    unsigned kinds; /* RASIM_WATCH_READ / _WRITE */
    bool physical;
};

/* A call the stepper saw execute: where it returns, and SP at the call. */
struct step_frame {
    uint64_t ret, sp;
};

/* A register's change over a run: its value before and its value now. */
struct step_change {
    char name[24];
    uint64_t old, value;
};

/* A data access of the current instruction (for a watchpoint's stop). */
struct step_access {
    uint64_t va, pa, value;
    unsigned size;
    bool write, tag;
};

struct stepper {
    rasim_machine *m;
    struct call *call;
    bool a64;
    bool events;     /* the event stream works on this architecture */
    uint64_t budget; /* instructions the session may still attempt (--max-insns) */
    uint64_t insns;  /* retired so far */
    bool quit;

    struct step_point points[STEP_MAX_POINTS];
    size_t npoints;
    int next_num;

    /* Calls seen (bl/blr, jal/jalr with rd = ra) that have not returned. */
    struct step_frame frames[STEP_MAX_FRAMES];
    size_t nframes;

    /* The event sink. Verbose (step): every instruction and what it did.
     * Quiet (the other runs): only exceptions, poison and fixups, each
     * after its instruction, and register changes gathered for `next`. */
    bool verbose;
    bool have_insn, insn_shown;
    uint64_t insn_pc;
    uint32_t insn_word;
    unsigned insn_size;
    struct step_change changes[STEP_MAX_CHANGES];
    size_t nchanges;
    struct step_access mem[STEP_MAX_MEM];
    size_t nmem;
};

/* A command: argv[0] is its name as typed. 0, or non-zero after a one-line
 * error (cli_error names the command). */
typedef int (*step_fn)(struct stepper *s, int argc, char **argv);

/* ---- helpers (cmd_step.c) -------------------------------------------------- */

/* An address: a number, $REG, BUF[+OFF] (a --buf buffer), SYMBOL[+OFF]
 * (where the code runs: the load address while translation is off). */
int step_eval(struct stepper *s, const char *text, uint64_t *out);
/* A count: a positive number. */
int step_count(const char *what, const char *text, uint64_t *out);
/* sym+0xoff, buf+0xoff, or 0xADDR. */
void step_describe(struct stepper *s, uint64_t addr, char *buf, size_t len);
uint64_t step_reg(struct stepper *s, const char *name);
/* The register holding a return value: x0 or a0. */
const char *step_ret_reg(const struct stepper *s);
/* The translation regime for va from the live registers: 1 and *pt, or 0
 * with translation off; what in words either way. -1 when the registers
 * hold no usable configuration (what says why). */
int step_regime(struct stepper *s, uint64_t va, struct rasim_pt *pt, char *what, size_t len);
/* Bytes at a VA (translated as a read in the current regime) or a PA. 0, or
 * -1 with the reason in err. */
int step_read(struct stepper *s, uint64_t addr, bool physical, void *buf, size_t len, char *err,
              size_t errlen);
/* The instruction at addr, read as step_read reads. */
int step_insn_at(struct stepper *s, uint64_t addr, bool physical, struct rasim_insn_text *t,
                 char *err, size_t errlen);
/* "<sym+off>  <encoding>  <text>": an instruction as step shows it. */
void step_print_insn(struct stepper *s, const struct rasim_insn_text *t);
/* "=>" and the disasm line of the instruction at PC: where a run stopped. */
void step_print_location(struct stepper *s);

/* ---- running (step_run.c) ------------------------------------------------ */

/* The event sink rasim_set_event_sink is given. */
void step_sink(void *ctx, const struct rasim_event *e);
int step_cmd_step(struct stepper *s, int argc, char **argv);
int step_cmd_next(struct stepper *s, int argc, char **argv);
int step_cmd_finish(struct stepper *s, int argc, char **argv);
int step_cmd_continue(struct stepper *s, int argc, char **argv);
int step_cmd_break(struct stepper *s, int argc, char **argv);
int step_cmd_watch(struct stepper *s, int argc, char **argv);
int step_cmd_delete(struct stepper *s, int argc, char **argv);
int step_cmd_info(struct stepper *s, int argc, char **argv);

/* ---- looking (step_show.c) ----------------------------------------------- */

int step_cmd_regs(struct stepper *s, int argc, char **argv);
int step_cmd_sysregs(struct stepper *s, int argc, char **argv);
int step_cmd_x(struct stepper *s, int argc, char **argv);
int step_cmd_disas(struct stepper *s, int argc, char **argv);
int step_cmd_walk(struct stepper *s, int argc, char **argv);
int step_cmd_tlb(struct stepper *s, int argc, char **argv);
int step_cmd_poison(struct stepper *s, int argc, char **argv);
int step_cmd_extable(struct stepper *s, int argc, char **argv);
int step_cmd_log(struct stepper *s, int argc, char **argv);
int step_cmd_bt(struct stepper *s, int argc, char **argv);

#endif
