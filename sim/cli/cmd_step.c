/*
 * cmd_step.c - `rasim step`: an interactive stepper over one routine.
 *
 *   rasim step FILE --sym NAME [every rasim call option] [--batch CMDFILE]
 *
 * The routine is set up as `rasim call` sets it up (call_prepare), then
 * commands are read: with line editing and history (libedit) when stdin is
 * a terminal, else from CMDFILE or stdin, each echoed after "(rasim) ". In
 * batch mode the first bad command ends the session with exit status 2.
 * This file holds the session, the command table and the helpers the
 * commands share (step.h).
 */
#include "sim/cli/step.h"
#include "sim/cli/print.h"

#include <errno.h>
#include <histedit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_WORDS 16

/* ---- helpers ----------------------------------------------------------- */

static bool parse_number(const char *text, uint64_t *out)
{
    char *end;
    if (!*text || *text == '-' || *text == '+' || *text == ' ')
        return false;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 0);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

int step_count(const char *what, const char *text, uint64_t *out)
{
    if (!parse_number(text, out) || *out == 0)
        return cli_error("expected %s (a positive number), got '%s'", what, text);
    return 0;
}

uint64_t step_reg(struct stepper *s, const char *name)
{
    uint64_t v = 0;
    rasim_get_reg(s->m, name, &v);
    return v;
}

const char *step_ret_reg(const struct stepper *s)
{
    return s->a64 ? "x0" : "a0";
}

static const struct call_buf *buf_named(struct stepper *s, const char *name, size_t len)
{
    for (size_t i = 0; i < s->call->nbufs; i++)
        if (strlen(s->call->bufs[i].name) == len && !strncmp(s->call->bufs[i].name, name, len))
            return &s->call->bufs[i];
    return NULL;
}

int step_eval(struct stepper *s, const char *text, uint64_t *out)
{
    if (text[0] == '$') {
        if (rasim_get_reg(s->m, text + 1, out) < 0)
            return cli_error("%s", rasim_error(s->m));
        return 0;
    }
    if (text[0] >= '0' && text[0] <= '9') {
        if (!parse_number(text, out))
            return cli_error("expected an address, got '%s'", text);
        return 0;
    }
    const char *plus = strchr(text, '+');
    size_t len = plus ? (size_t)(plus - text) : strlen(text);
    uint64_t off = 0, base;
    if (plus && !parse_number(plus + 1, &off))
        return cli_error("expected NAME+OFFSET with a number after '+', got '%s'", text);
    const struct call_buf *b = buf_named(s, text, len);
    if (b) {
        if (off > b->size)
            return cli_error("%s: offset 0x%llx is past the end of buffer '%s' (0x%llx bytes)",
                             text, (unsigned long long)off, b->name, (unsigned long long)b->size);
        *out = b->pa + off;
        return 0;
    }
    char name[256];
    if (len >= sizeof(name))
        return cli_error("name too long: '%s'", text);
    memcpy(name, text, len);
    name[len] = '\0';
    if (rasim_lookup_symbol(s->m, name, &base) < 0)
        return cli_error("no buffer, symbol or register named '%s'", name);
    /* While translation is off the code runs where it was placed. */
    struct rasim_pt pt;
    char what[160];
    uint64_t pa;
    if (step_regime(s, base, &pt, what, sizeof(what)) == 0 &&
        rasim_image_va_to_pa(s->m, base, &pa) == 0)
        base = pa;
    *out = base + off;
    return 0;
}

void step_describe(struct stepper *s, uint64_t addr, char *buf, size_t len)
{
    /* A symbol names addresses of its image only: one without a size (an
     * assembler label) would otherwise name everything after it. */
    uint64_t pa;
    if (rasim_image_va_to_pa(s->m, addr, &pa) == 0) {
        rasim_describe(s->m, addr, buf, len);
        if (strncmp(buf, "0x", 2))
            return;
    }
    snprintf(buf, len, "0x%llx", (unsigned long long)addr);
    for (size_t i = 0; i < s->call->nbufs; i++) {
        const struct call_buf *b = &s->call->bufs[i];
        if (addr >= b->pa && addr - b->pa < b->size) {
            snprintf(buf, len, "%s+0x%llx", b->name, (unsigned long long)(addr - b->pa));
            return;
        }
    }
}

static int regime_rv64(struct stepper *s, struct rasim_pt *pt, char *what, size_t len)
{
    uint64_t satp = step_reg(s, "satp"), mode = satp >> 60;
    if (step_reg(s, "priv") == 3) {
        snprintf(what, len, "translation off: pa = va (M-mode)");
        return 0;
    }
    if (mode == 0) {
        snprintf(what, len, "translation off: pa = va (satp.MODE = Bare)");
        return 0;
    }
    if (mode < 8 || mode > 10) {
        snprintf(what, len, "satp.MODE %llu is not Bare, Sv39, Sv48 or Sv57",
                 (unsigned long long)mode);
        return -1;
    }
    pt->va_bits = mode == 8 ? 39 : mode == 9 ? 48 : 57;
    pt->root = (satp & ((1ull << 44) - 1)) << 12;
    snprintf(what, len, "sv%u, root 0x%llx, asid %llu (satp 0x%llx)", pt->va_bits,
             (unsigned long long)pt->root, (unsigned long long)((satp >> 44) & 0xffff),
             (unsigned long long)satp);
    return 1;
}

static int regime_a64(struct stepper *s, uint64_t va, struct rasim_pt *pt, char *what, size_t len)
{
    if (!(step_reg(s, "sctlr_el1") & 1)) {
        snprintf(what, len, "translation off: pa = va (SCTLR_EL1.M = 0)");
        return 0;
    }
    /* TCR_EL1 (KERNEL-FACTS 4.3): T0SZ [5:0], EPD0 [7], T1SZ [21:16], EPD1 [23];
     * TTBRn BADDR in [47:1], a 4 KiB-aligned table for our granule. */
    uint64_t tcr = step_reg(s, "tcr_el1");
    bool upper = (va >> 55) & 1;
    unsigned txsz = (unsigned)(upper ? (tcr >> 16) : tcr) & 0x3f;
    const uint64_t baddr = 0x0000fffffffff000ull;
    pt->root = (tcr >> 7) & 1 ? 0 : step_reg(s, "ttbr0_el1") & baddr;
    pt->root1 = (tcr >> 23) & 1 ? 0 : step_reg(s, "ttbr1_el1") & baddr;
    pt->va_bits = 64 - txsz;
    snprintf(what, len, "%s, root 0x%llx, %u-bit VAs (TCR_EL1 0x%llx)", upper ? "TTBR1" : "TTBR0",
             (unsigned long long)(upper ? pt->root1 : pt->root), pt->va_bits,
             (unsigned long long)tcr);
    return 1;
}

int step_regime(struct stepper *s, uint64_t va, struct rasim_pt *pt, char *what, size_t len)
{
    memset(pt, 0, sizeof(*pt));
    /* Non-present entries are the only ones the layouts disagree on. */
    if (!strcmp(rasim_profile_name(s->m), "linux-6.1"))
        pt->layout = "linux-6.1";
    return s->a64 ? regime_a64(s, va, pt, what, len) : regime_rv64(s, pt, what, len);
}

static int translate(struct stepper *s, uint64_t va, uint64_t *pa, char *err, size_t errlen)
{
    struct rasim_pt pt;
    char what[160];
    int on = step_regime(s, va, &pt, what, sizeof(what));
    if (on < 0) {
        snprintf(err, errlen, "%s", what);
        return -1;
    }
    if (!on) {
        *pa = va;
        return 0;
    }
    struct rasim_pt_walk w;
    if (rasim_pt_walk(s->m, &pt, va, RASIM_PT_READ, &w) < 0) {
        snprintf(err, errlen, "%s", rasim_error(s->m));
        return -1;
    }
    if (!w.ok) {
        snprintf(err, errlen, "VA 0x%llx does not translate (%s fault, level %d)",
                 (unsigned long long)va, w.fault, w.level);
        return -1;
    }
    *pa = w.pa;
    return 0;
}

int step_read(struct stepper *s, uint64_t addr, bool physical, void *buf, size_t len, char *err,
              size_t errlen)
{
    uint8_t *out = buf;
    while (len) {
        size_t chunk = 0x1000 - (addr & 0xfff);
        if (chunk > len)
            chunk = len;
        uint64_t pa = addr;
        if (!physical && translate(s, addr, &pa, err, errlen) < 0)
            return -1;
        if (rasim_read_phys(s->m, pa, out, chunk) < 0) {
            snprintf(err, errlen, "%s", rasim_error(s->m));
            return -1;
        }
        out += chunk;
        addr += chunk;
        len -= chunk;
    }
    return 0;
}

int step_insn_at(struct stepper *s, uint64_t addr, bool physical, struct rasim_insn_text *t,
                 char *err, size_t errlen)
{
    uint8_t b[4] = {0, 0, 0, 0};
    if (step_read(s, addr, physical, b, 2, err, errlen) < 0)
        return -1;
    bool wide = s->a64 || (b[0] & 3) == 3;
    if (wide && step_read(s, addr + 2, physical, b + 2, 2, err, errlen) < 0)
        return -1;
    rasim_disasm_word(
        s->m, addr,
        (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24, t);
    return 0;
}

void step_print_insn(struct stepper *s, const struct rasim_insn_text *t)
{
    char where[256];
    step_describe(s, t->va, where, sizeof(where));
    printf("%s  ", where);
    print_insn_word(t);
    print_insn_text(t->text);
    putchar('\n');
}

void step_print_location(struct stepper *s)
{
    uint64_t pc = step_reg(s, "pc");
    struct rasim_insn_text t;
    char err[256];
    if (pc == CALL_SENTINEL)
        return; /* returned: nothing to fetch there */
    if (step_insn_at(s, pc, false, &t, err, sizeof(err)) < 0) {
        printf("=> 0x%llx: %s\n", (unsigned long long)pc, err);
        return;
    }
    print_disasm_line(s->m, &t, "=> ");
    putchar('\n');
}

/* ---- commands ----------------------------------------------------------- */

static int cmd_help(struct stepper *s, int argc, char **argv);

static int cmd_quit(struct stepper *s, int argc, char **argv)
{
    if (argc > 1)
        return cli_error("takes no arguments");
    s->quit = true;
    return 0;
}

struct step_command {
    const char *name, *alias;
    step_fn fn;
    const char *usage, *help;
};

static const struct step_command commands[] = {
    {"step", "s", step_cmd_step, "step [N]", "run N instructions (1), each with what it changed"},
    {"next", "n", step_cmd_next, "next", "like step, but a call runs until it returns"},
    {"finish", NULL, step_cmd_finish, "finish", "run until the current routine returns"},
    {"continue", "c", step_cmd_continue, "continue",
     "run to a breakpoint, watchpoint, the return, an oops or the budget"},
    {"break", "b", step_cmd_break, "break SYMBOL|SYMBOL+OFF|ADDR", "stop before that instruction"},
    {"watch", NULL, step_cmd_watch, "watch ADDR|pa:ADDR [LEN] [r|w|rw]",
     "stop after an access to those bytes (1 byte, w)"},
    {"delete", "d", step_cmd_delete, "delete [N]", "delete breakpoint/watchpoint N, or all"},
    {"info", "i", step_cmd_info, "info breakpoints", "list breakpoints and watchpoints"},
    {"regs", NULL, step_cmd_regs, "regs", "general registers"},
    {"sysregs", NULL, step_cmd_sysregs, "sysregs", "system registers / CSRs"},
    {"x", NULL, step_cmd_x, "x/FMT ADDR|pa:ADDR", "memory: FMT = count, x d u c i, b h w g"},
    {"disas", NULL, step_cmd_disas, "disas [SYMBOL|ADDR] [N]",
     "instructions around PC (or there), with extable entries"},
    {"walk", NULL, step_cmd_walk, "walk VA [read|write|fetch]",
     "translate VA in the current regime, every entry shown"},
    {"tlb", NULL, step_cmd_tlb, "tlb", "the TLB's entries"},
    {"poison", NULL, step_cmd_poison, "poison list|add SPEC|clear",
     "the poison present; add it as --poison does; clear it"},
    {"extable", NULL, step_cmd_extable, "extable", "the __ex_table entries nearest PC"},
    {"log", NULL, step_cmd_log, "log", "the error log: each consumption of poison"},
    {"bt", NULL, step_cmd_bt, "bt", "backtrace by frame pointers"},
    {"help", "h", cmd_help, "help", "this list"},
    {"quit", "q", cmd_quit, "quit", "end the session"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(*commands))

static int cmd_help(struct stepper *s, int argc, char **argv)
{
    (void)s;
    (void)argc;
    (void)argv;
    for (size_t i = 0; i < NCOMMANDS; i++) {
        char head[64];
        snprintf(head, sizeof(head), "%s%s%s%s", commands[i].usage, commands[i].alias ? " (" : "",
                 commands[i].alias ? commands[i].alias : "", commands[i].alias ? ")" : "");
        printf("%-38s %s\n", head, commands[i].help);
    }
    return 0;
}

static const struct step_command *lookup(const char *word)
{
    if (!strncmp(word, "x/", 2))
        word = "x";
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(word, commands[i].name) ||
            (commands[i].alias && !strcmp(word, commands[i].alias)))
            return &commands[i];
    return NULL;
}

/* Run one line; 0, or non-zero for a bad command (reported). */
static int execute(struct stepper *s, char *line)
{
    char *argv[MAX_WORDS + 1], *save = NULL;
    int argc = 0;
    for (char *w = strtok_r(line, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        if (argc == MAX_WORDS)
            return cli_error("step: too many words (at most %d)", MAX_WORDS);
        argv[argc++] = w;
    }
    if (!argc)
        return 0;
    argv[argc] = NULL;
    const struct step_command *c = lookup(argv[0]);
    if (!c)
        return cli_error("step: unknown command '%s' (see help)", argv[0]);
    char context[96];
    snprintf(context, sizeof(context), "step: %s", argv[0]);
    cli_error_context(context);
    int rc = c->fn(s, argc, argv);
    cli_error_context(NULL);
    fflush(stdout);
    return rc;
}

/* ---- input --------------------------------------------------------------- */

static void chomp(char *line)
{
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ' ||
                 line[n - 1] == '\t'))
        line[--n] = '\0';
}

/* Commands from a file or a pipe, each echoed; the first bad one ends it. */
static int run_batch(struct stepper *s, FILE *in)
{
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    while (!s->quit && getline(&line, &cap, in) >= 0) {
        chomp(line);
        char *p = line + strspn(line, " \t");
        if (!*p || *p == '#')
            continue;
        printf("(rasim) %s\n", p);
        if (execute(s, p)) {
            rc = EXIT_BAD_INPUT;
            break;
        }
    }
    free(line);
    return rc;
}

static char *prompt(EditLine *el)
{
    (void)el;
    return "(rasim) ";
}

/* A terminal: libedit's line editing, history (kept in ~/.rasim_history),
 * and an empty line repeats the last command, as in gdb. */
static int run_terminal(struct stepper *s)
{
    EditLine *el = el_init("rasim", stdin, stdout, stderr);
    History *hist = history_init();
    if (!el || !hist) {
        if (el)
            el_end(el);
        if (hist)
            history_end(hist);
        return run_batch(s, stdin);
    }
    HistEvent ev;
    history(hist, &ev, H_SETSIZE, 1000);
    char path[4096] = "";
    const char *home = getenv("HOME");
    if (home && *home) {
        snprintf(path, sizeof(path), "%s/.rasim_history", home);
        history(hist, &ev, H_LOAD, path);
    }
    el_set(el, EL_PROMPT, prompt);
    el_set(el, EL_EDITOR, "emacs");
    el_set(el, EL_HIST, history, hist);
    el_source(el, NULL);
    char last[1024] = "";
    int count;
    const char *got;
    while (!s->quit && (got = el_gets(el, &count)) != NULL) {
        char line[1024];
        snprintf(line, sizeof(line), "%s", got);
        chomp(line);
        char *p = line + strspn(line, " \t");
        if (!*p)
            p = strcpy(line, last); /* repeat */
        else {
            history(hist, &ev, H_ENTER, p);
            snprintf(last, sizeof(last), "%s", p);
        }
        if (*p && *p != '#')
            execute(s, p);
    }
    if (!s->quit)
        putchar('\n');
    if (path[0])
        history(hist, &ev, H_SAVE, path);
    history_end(hist);
    el_end(el);
    return 0;
}

/* ---- the command --------------------------------------------------------- */

#define EVENTS                                                                                     \
    (RASIM_EV_BIT(RASIM_EV_INSN) | RASIM_EV_BIT(RASIM_EV_REG) | RASIM_EV_BIT(RASIM_EV_MEM) |       \
     RASIM_EV_BIT(RASIM_EV_EXCEPTION) | RASIM_EV_BIT(RASIM_EV_POISON) |                            \
     RASIM_EV_BIT(RASIM_EV_FIXUP) | RASIM_EV_BIT(RASIM_EV_CHECK))

int cmd_step(int argc, char **argv)
{
    struct call c;
    call_init(&c);
    const char *batch = NULL;
    struct stepper *s = NULL;
    rasim_machine *m = NULL;
    FILE *in = NULL;
    int rc = EXIT_BAD_INPUT;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--batch")) {
            if (!(batch = cli_value(argc, argv, &i)))
                goto out;
        } else if (call_arg(&c, "step", argc, argv, &i) < 0) {
            goto out;
        }
    }
    if (batch && !(in = fopen(batch, "r"))) {
        cli_error("--batch: %s: %s", batch, strerror(errno));
        goto out;
    }
    if (!(m = call_prepare(&c)))
        goto out;
    if (!(s = calloc(1, sizeof(*s)))) {
        cli_error("out of memory");
        goto out;
    }
    s->m = m;
    s->call = &c;
    s->a64 = rasim_get_arch(m) == RASIM_ARCH_AARCH64;
    s->budget = c.max_insns;
    s->next_num = 1;
    s->events = rasim_set_event_sink(m, EVENTS, step_sink, s) == 0;
    if (!s->events)
        cli_error("step: %s: steps show each instruction but not what it changed, and "
                  "breakpoints and watchpoints are refused",
                  rasim_error(m));
    step_print_location(s);
    if (in)
        rc = run_batch(s, in);
    else if (isatty(STDIN_FILENO))
        rc = run_terminal(s);
    else
        rc = run_batch(s, stdin);
    if (s->events)
        rasim_set_event_sink(m, 0, NULL, NULL);
    if (call_trace_stop(m, &c) && rc == 0) /* --trace: the session's events */
        rc = EXIT_BAD_INPUT;
out:
    if (in)
        fclose(in);
    free(s);
    rasim_free(m);
    call_free(&c);
    return rc;
}
