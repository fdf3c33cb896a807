/* cli.h - shared pieces of the rasim command line. Uses only rasim.h. */
#ifndef RASIM_CLI_H
#define RASIM_CLI_H

#include "rasim.h"

#include <stdbool.h>
#include <stdint.h>

/* Exit codes: 0 success, 1 the run or check failed, 2 bad input. */
#define EXIT_BAD_INPUT 2

/* Print "rasim: message" on stderr (stdout flushed first, so the two stay
 * in order on a terminal); returns EXIT_BAD_INPUT. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* While set (not NULL), errors read "rasim: CONTEXT: message": the stepper
 * names the command that failed. */
void cli_error_context(const char *context);

/* A whole-string unsigned number (decimal, 0x hex, 0 octal) for an option. */
bool cli_parse_u64(const char *option, const char *text, uint64_t *out);
/* The value after option argv[*i] (advancing *i), or NULL after reporting
 * that it is missing. */
const char *cli_value(int argc, char **argv, int *i);
/* NAME=ADDR for --define. */
bool cli_parse_define(const char *text, struct rasim_define *out);

/* Options shared by every command that loads a file. */
struct cli_load {
    const char *file;
    enum rasim_arch arch;
    const char *profile;
    struct rasim_load_options opt;
    struct rasim_define *defines;
    size_t ndefines;
};
/* argv[*i] once command's own options are ruled out: a load option (with
 * its value) or else the file. 0, or -1 for a bad value, an unknown option
 * or a second file (already reported). */
int cli_load_arg(struct cli_load *load, const char *command, int argc, char **argv, int *i);
/* Create the machine and load the file; reports errors itself. */
rasim_machine *cli_load_machine(struct cli_load *load);
void cli_load_free(struct cli_load *load);

/* --trace FORMAT[:PATH] and its filter options (trace_opts.c), shared by
 * call (and every command using call_setup), run and campaign. */
#define CLI_TRACE_MAX 16
struct cli_trace {
    const char *spec;
    struct rasim_trace_range ranges[CLI_TRACE_MAX];
    size_t nranges;
    const char *symbols[CLI_TRACE_MAX];
    size_t nsymbols;
    unsigned kinds;
    bool window;
    uint64_t from, to;
    const char *point;                /* campaign: --trace-point INDEX|LABEL */
    struct rasim_trace_filter filter; /* built by cli_trace_check */
};
/* Consume argv[*i] (and its value) if it is a trace option (--trace-point
 * only when point is allowed): 1 if consumed, 0 if not one, -1 for a bad
 * value (already reported). */
int cli_trace_option(struct cli_trace *t, bool point, int argc, char **argv, int *i);
/* After the options: a filter needs --trace; builds t->filter. 0 or
 * EXIT_BAD_INPUT (reported). */
int cli_trace_check(struct cli_trace *t);

struct cli_command {
    const char *name;
    const char *summary;
    const char *usage;
    int (*run)(int argc, char **argv);
};

int cmd_info(int argc, char **argv);
int cmd_call(int argc, char **argv);
int cmd_run_elf(int argc, char **argv);
int cmd_pt(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_campaign(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_step(int argc, char **argv);
int cmd_gdb(int argc, char **argv);

/* --port / --gdb: a TCP port, 0 for any free one; 0 or an exit code. */
int cli_parse_port(const char *text, unsigned *port);
/* Listen on 127.0.0.1:port (printing "listening on 127.0.0.1:PORT" and
 * gdb's add-symbol-file lines on stderr), serve one gdb connection for the
 * run of m, and leave how it ended in *stop and *end (enum rasim_gdb_end).
 * 0, or an exit code (reported). */
int cli_gdb_session(rasim_machine *m, unsigned port, uint64_t max_insns, struct rasim_stop *stop,
                    int *end);

#endif
