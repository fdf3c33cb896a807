/*
 * test_trace.c - trace writers (rasim_trace_start, sim/trace_*.c) and the
 * --trace options of call, run and campaign.
 *
 * On our riscv memcpy_mc and copy_mc_to_user: the same call gives the same
 * bytes in every format; jsonl lines parse and carry the keys
 * docs/traces.md documents; text lines name the right symbol+offset and
 * disassembly, with colours on a terminal and never in a file; commitlog
 * lines follow Spike's grammar and say what the events say; each filter
 * keeps exactly the events it should. Tarmac is checked against the
 * grammar of Arm's tarmac-trace-utilities parser on a made-up sequence fed
 * through the writer's internal entry point (every line kind, written
 * before AArch64 emitted events) and on a real arm64 call, against its
 * events. A trace runs beside the event sink (and the stepper).
 *
 * There is no Spike or Fast Model here to compare with (Spike is not a
 * Debian package): the grammars checked are those of their sources, as the
 * writers' comments cite.
 */
#define _XOPEN_SOURCE 700 /* posix_openpt */

#include "test_util.h"

#include "rasim.h"
#include "sim/trace_writer.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BASE     0x80000000ull
#define SRC      0x90000000ull
#define DST      0x90010000ull
#define STACK    0x90100000ull
#define SENTINEL 0x7ffff000ull
#define LEN      512u

static rasim_machine *machine(void)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/rv64/memcpy_mc.o", EXAMPLES_DIR);
    rasim_machine *m = rasim_new(RASIM_ARCH_RV64);
    ck_assert_int_eq(rasim_set_profile(m, "riscv-copy-mc"), 0);
    struct rasim_load_options opt = {.base_set = true, .base = BASE};
    ck_assert_msg(rasim_load(m, path, &opt) >= 0, "%s", rasim_error(m));
    ck_assert_int_eq(rasim_add_region(m, "src", SRC, 0x1000, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "dst", DST, 0x1000, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "stack", STACK, 0x1000, RASIM_REGION_RAM), 0);
    uint8_t bytes[LEN];
    for (unsigned i = 0; i < LEN; i++)
        bytes[i] = (uint8_t)(i * 7 + 1);
    ck_assert_int_eq(rasim_write_phys(m, SRC, bytes, LEN), 0);
    rasim_set_return_sentinel(m, SENTINEL);
    return m;
}

static uint64_t sym(rasim_machine *m, const char *name)
{
    uint64_t va;
    ck_assert_int_eq(rasim_lookup_symbol(m, name, &va), 0);
    return va;
}

/* Set up name(DST, SRC, LEN), in S-mode. */
static void call(rasim_machine *m, const char *name)
{
    rasim_set_reg(m, "a0", DST);
    rasim_set_reg(m, "a1", SRC);
    rasim_set_reg(m, "a2", LEN);
    rasim_set_reg(m, "ra", SENTINEL);
    rasim_set_reg(m, "sp", STACK + 0x1000);
    rasim_set_reg(m, "priv", 1);
    rasim_set_reg(m, "pc", sym(m, name));
}

/* Poison a line of the source in the middle of the copy. */
static void poison(rasim_machine *m)
{
    struct rasim_poison p = {.pa = SRC + 0x100, .len = 1, .kind = RASIM_POISON_PERSISTENT};
    ck_assert_int_eq(rasim_poison(m, &p), 0);
}

/* Run routine traced as FMT into a file of ours; the file's bytes. */
static char *traced(const char *fmt, const char *routine, bool poisoned,
                    const struct rasim_trace_filter *f)
{
    static unsigned n;
    char name[64], spec[600];
    snprintf(name, sizeof(name), "trace%u.%s", n++, fmt);
    snprintf(spec, sizeof(spec), "%s:%s", fmt, tu_tmp(name));
    rasim_machine *m = machine();
    if (poisoned)
        poison(m);
    call(m, routine);
    ck_assert_msg(rasim_trace_start(m, spec, f) == 0, "%s", rasim_error(m));
    struct rasim_stop stop;
    ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    ck_assert_int_eq(rasim_trace_stop(m), 0);
    ck_assert_int_eq(rasim_trace_stop(m), -1); /* once */
    rasim_free(m);
    char *z = tu_read_text(tu_tmp(name));
    unlink(tu_tmp(name));
    return z;
}

static bool matches(const char *pattern, const char *line)
{
    regex_t re;
    ck_assert_int_eq(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
    bool ok = regexec(&re, line, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

/* The lines of text, split in place. */
static size_t lines_of(char *text, char **lines, size_t max)
{
    size_t n = 0;
    for (char *save = NULL, *l = strtok_r(text, "\n", &save); l && n < max;
         l = strtok_r(NULL, "\n", &save))
        lines[n++] = l;
    return n;
}

/* ---- events, recorded, to compare the writers with -------------------- */

struct log {
    struct rasim_event ev[8192];
    char names[8192][24];
    size_t n;
};

static void record(void *ctx, const struct rasim_event *e)
{
    struct log *l = ctx;
    if (l->n == sizeof(l->ev) / sizeof(*l->ev))
        return;
    l->ev[l->n] = *e;
    if (e->kind == RASIM_EV_REG)
        snprintf(l->names[l->n], sizeof(l->names[0]), "%s", e->reg.name);
    l->n++;
}

static struct log *recorded(const char *routine, bool poisoned)
{
    struct log *l = calloc(1, sizeof(*l));
    rasim_machine *m = machine();
    if (poisoned)
        poison(m);
    call(m, routine);
    ck_assert_int_eq(rasim_set_event_sink(m, RASIM_EV_ALL, record, l), 0);
    struct rasim_stop stop;
    ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
    rasim_free(m);
    return l;
}

/* ---- determinism ---------------------------------------------------------- */

static char *tarmac_synthetic(void);

START_TEST(the_same_call_gives_the_same_bytes_in_every_format)
{
    const char *formats[] = {"text", "jsonl", "commitlog"};
    for (size_t i = 0; i < 3; i++) {
        char *a = traced(formats[i], "rasim_copy_mc_to_user", true, NULL);
        char *b = traced(formats[i], "rasim_copy_mc_to_user", true, NULL);
        ck_assert_uint_gt(strlen(a), 1000);
        ck_assert_msg(!strcmp(a, b), "%s differs between two runs", formats[i]);
        free(a);
        free(b);
    }
    char *a = tarmac_synthetic(), *b = tarmac_synthetic();
    ck_assert_uint_gt(strlen(a), 500);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
}
END_TEST

/* ---- text -------------------------------------------------------------------- */

START_TEST(text_names_symbol_offset_and_disassembly_without_escapes_in_a_file)
{
    char *out = traced("text", "rasim_memcpy_mc", false, NULL);
    ck_assert_ptr_null(strchr(out, '\033'));
    rasim_machine *m = machine();
    uint64_t entry = sym(m, "rasim_memcpy_mc");
    static char *lines[20000];
    size_t n = lines_of(out, lines, 20000), ninsn = 0;
    ck_assert_uint_gt(n, 100);
    for (size_t i = 0; i < n; i++) {
        unsigned long long icount;
        char kind[16];
        ck_assert_int_eq(sscanf(lines[i], "%llu %15s", &icount, kind), 2);
        ck_assert_msg(matches("^ *[0-9]+  [a-z]+ *  [^ ]", lines[i]), "%s", lines[i]);
        /* The count right-aligned in 8 columns, across 9 -> 10 and 99 -> 100
         * (the writer adds one to the previous column in place). */
        char want_count[16];
        snprintf(want_count, sizeof(want_count), "%8llu  ", icount);
        ck_assert_msg(!strncmp(lines[i], want_count, 10), "%s", lines[i]);
        if (!strcmp(kind, "reg"))
            ck_assert_msg(matches("^ +[0-9]+  reg        [a-z0-9]+ +0x[0-9a-f]{16}  \\(was "
                                  "0x[0-9a-f]{16}\\)$",
                                  lines[i]),
                          "%s", lines[i]);
        if (!strcmp(kind, "mem"))
            ck_assert_msg(matches("^ +[0-9]+  mem        (read|write) +[1248]  va 0x[0-9a-f]{16}  "
                                  "pa 0x[0-9a-f]{16}  0x[0-9a-f]+$",
                                  lines[i]),
                          "%s", lines[i]);
        if (strcmp(kind, "insn"))
            continue;
        /* "<icount>  insn       <sym>+0x<off>   <encoding>  <text>" */
        ninsn++;
        ck_assert_uint_eq(icount, ninsn);
        char symoff[160], enc[16];
        int at = 0;
        ck_assert_int_eq(sscanf(lines[i], "%*u insn %159s %15s %n", symoff, enc, &at), 2);
        unsigned long long off;
        ck_assert_msg(sscanf(symoff, "rasim_memcpy_mc+0x%llx", &off) == 1, "%s", lines[i]);
        struct rasim_insn_text t;
        ck_assert_int_eq(rasim_disasm(m, entry + off, &t), 0);
        char want_enc[16], want_text[128];
        snprintf(want_enc, sizeof(want_enc), t.size == 2 ? "%04x" : "%08x", t.word);
        snprintf(want_text, sizeof(want_text), "%s", t.text);
        for (char *c = want_text; *c; c++)
            if (*c == '\t')
                *c = ' ';
        ck_assert_str_eq(enc, want_enc);
        ck_assert_str_eq(lines[i] + at, want_text);
        if (ninsn == 1)
            ck_assert_str_eq(symoff, "rasim_memcpy_mc+0x0");
    }
    ck_assert_uint_gt(ninsn, 50);
    rasim_free(m);
    free(out);
}
END_TEST

START_TEST(text_is_coloured_on_a_terminal)
{
    unsetenv("NO_COLOR");
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    ck_assert_int_ge(master, 0);
    ck_assert_int_eq(grantpt(master), 0);
    ck_assert_int_eq(unlockpt(master), 0);
    char spec[256];
    snprintf(spec, sizeof(spec), "text:%s", ptsname(master));
    rasim_machine *m = machine();
    call(m, "rasim_memcpy_mc");
    struct rasim_trace_filter f = {.window = true, .from = 1, .to = 3};
    ck_assert_msg(rasim_trace_start(m, spec, &f) == 0, "%s", rasim_error(m));
    struct rasim_stop stop;
    rasim_run(m, 100000, &stop);
    ck_assert_int_eq(rasim_trace_stop(m), 0);
    rasim_free(m);
    fcntl(master, F_SETFL, O_NONBLOCK);
    char buf[8192];
    ssize_t got = 0, k;
    while ((k = read(master, buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
        got += k;
    buf[got > 0 ? got : 0] = '\0';
    close(master);
    ck_assert_ptr_nonnull(strstr(buf, "\033[1minsn"));
    ck_assert_ptr_nonnull(strstr(buf, "rasim_memcpy_mc+0x0"));
}
END_TEST

/* ---- jsonl ---------------------------------------------------------------- */

/* The keys of each kind as docs/traces.md documents them: required, then
 * (after "|") those present only when they apply. */
static const char *const schema[RASIM_EV_NKINDS] = {
    [RASIM_EV_INSN] = "word size sym disasm in_subset |",
    [RASIM_EV_REG] = "name value old |",
    [RASIM_EV_MEM] = "access va pa size value tag |",
    [RASIM_EV_WALK] = "va access ok level steps | pa size fault",
    [RASIM_EV_TLBI] = "text |",
    [RASIM_EV_EXCEPTION] = "syndrome text return_pc target_level taken | addr pa",
    [RASIM_EV_POISON] = "seq insns access pa tag async outcome | va",
    [RASIM_EV_FIXUP] = ("insn insn_sym fixup fixup_sym type type_name exception regs | "
                        "fault_addr pa pfn"), /* one string: parentheses tell clang so */
    [RASIM_EV_CHECK] = "warning insn va pte_pa cached current text |",
};
/* Keys holding an address or a register value: "0x..." strings. */
static const char *const hex_keys[] = {
    "pc",   "word",  "value", "old",  "va",     "pa",     "addr",    "return_pc", "syndrome",
    "insn", "fixup", "pfn",   "desc", "pte_pa", "cached", "current", "fault_addr"};

static bool in_list(const char *list, const char *key, bool optional)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", list);
    bool after_bar = false;
    for (char *save = NULL, *k = strtok_r(buf, " ", &save); k; k = strtok_r(NULL, " ", &save)) {
        if (!strcmp(k, "|"))
            after_bar = true;
        else if (!strcmp(k, key) && after_bar == optional)
            return true;
    }
    return false;
}

static void check_hex(json_t *v, const char *key, const char *line)
{
    if (!json_is_string(v))
        return;
    for (size_t i = 0; i < sizeof(hex_keys) / sizeof(*hex_keys); i++)
        if (!strcmp(key, hex_keys[i]))
            ck_assert_msg(matches("^0x[0-9a-f]+$", json_string_value(v)), "%s in %s", key, line);
}

/* One jsonl line: an object with the common keys, then the kind's. */
static enum rasim_event_kind check_json_line(const char *line)
{
    json_error_t e;
    json_t *o = json_loads(line, 0, &e);
    ck_assert_msg(o && json_is_object(o), "%s: %s", line, e.text);
    const char *kind = json_string_value(json_object_get(o, "kind"));
    ck_assert_ptr_nonnull(kind);
    int k = -1;
    for (int i = 0; i < RASIM_EV_NKINDS; i++)
        if (!strcmp(kind, rasim_event_kind_name((enum rasim_event_kind)i)))
            k = i;
    ck_assert_msg(k >= 0, "%s", line);
    ck_assert(json_is_integer(json_object_get(o, "icount")));
    ck_assert(json_is_string(json_object_get(o, "pc")));
    /* Every required key present; no key undocumented. */
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", schema[k]);
    for (char *save = NULL, *key = strtok_r(buf, " ", &save); key && strcmp(key, "|");
         key = strtok_r(NULL, " ", &save))
        ck_assert_msg(json_object_get(o, key) != NULL, "no %s in %s", key, line);
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        bool common = !strcmp(key, "kind") || !strcmp(key, "icount") || !strcmp(key, "pc");
        ck_assert_msg(common || in_list(schema[k], key, false) || in_list(schema[k], key, true),
                      "undocumented key %s in %s", key, line);
        check_hex(v, key, line);
    }
    if (k == RASIM_EV_WALK) {
        size_t i;
        json_t *s;
        json_array_foreach(json_object_get(o, "steps"), i, s)
        {
            ck_assert(json_is_integer(json_object_get(s, "level")));
            check_hex(json_object_get(s, "pa"), "pa", line);
            check_hex(json_object_get(s, "desc"), "desc", line);
        }
    }
    json_decref(o);
    return (enum rasim_event_kind)k;
}

/* One event of every kind, made up, through the jsonl writer. */
static char *jsonl_synthetic(void)
{
    rasim_machine *m = machine();
    const char *path = tu_tmp("synthetic.jsonl");
    char spec[600];
    snprintf(spec, sizeof(spec), "jsonl:%s", path);
    struct tw *w = tw_open(m, spec, NULL);
    ck_assert_ptr_nonnull(w);
    struct rasim_event e[RASIM_EV_NKINDS];
    memset(e, 0, sizeof(e));
    for (int i = 0; i < RASIM_EV_NKINDS; i++) {
        e[i].kind = (enum rasim_event_kind)i;
        e[i].icount = 1;
        e[i].pc = BASE;
    }
    e[0].insn.word = 0x00b50533;
    e[0].insn.size = 4;
    e[1].reg.name = "a0";
    e[1].reg.value = 3;
    e[2].mem.va = SRC;
    e[2].mem.pa = SRC;
    e[2].mem.size = 8;
    e[2].mem.value = 42;
    e[3].walk.va = 0x40000000;
    e[3].walk.ok = true;
    e[3].walk.pa = 0x90000000;
    e[3].walk.size = 0x1000;
    e[3].walk.nsteps = 1;
    e[3].walk.steps[0].level = 2;
    e[3].walk.steps[0].pa = 0x90200008;
    e[3].walk.steps[0].desc = 0x240000cf;
    snprintf(e[4].tlbi.text, sizeof(e[4].tlbi.text), "sfence.vma (all)");
    e[5].exception.syndrome = 19;
    e[5].exception.addr = SRC;
    e[5].exception.addr_valid = true;
    snprintf(e[5].exception.text, sizeof(e[5].exception.text), "hardware error");
    e[6].poison = (struct rasim_error_record){.access = "read", .pa = SRC, .outcome = "consumed"};
    e[7].fixup.insn = BASE;
    e[7].fixup.fixup = BASE + 0x58;
    e[7].fixup.type = 1;
    e[7].fixup.type_name = "FIXUP";
    e[7].fixup.exception = "hardware-error";
    e[7].fixup.nregs = 1;
    e[7].fixup.reg[0] = "a0";
    e[7].fixup.value[0] = (uint64_t)-14;
    e[8].check.kind = "break-before-make";
    e[8].check.pc = BASE;
    e[8].check.va = 0x40000000;
    e[8].check.pte_pa = 0x80405000;
    e[8].check.cached = 0x202000c7;
    e[8].check.current = 0x202004c7;
    snprintf(e[8].check.text, sizeof(e[8].check.text), "break-before-make: made up");
    for (int i = 0; i < RASIM_EV_NKINDS; i++)
        tw_event(w, &e[i]);
    ck_assert_int_eq(tw_close(w), 0);
    rasim_free(m);
    char *z = tu_read_text(path);
    unlink(path);
    return z;
}

START_TEST(jsonl_lines_parse_and_carry_the_documented_keys)
{
    unsigned seen = 0;
    char *out = traced("jsonl", "rasim_copy_mc_to_user", true, NULL);
    static char *lines[20000];
    size_t n = lines_of(out, lines, 20000);
    ck_assert_uint_gt(n, 100);
    for (size_t i = 0; i < n; i++)
        seen |= RASIM_EV_BIT(check_json_line(lines[i]));
    ck_assert_uint_eq(seen, RASIM_EV_BIT(RASIM_EV_INSN) | RASIM_EV_BIT(RASIM_EV_REG) |
                                RASIM_EV_BIT(RASIM_EV_MEM) | RASIM_EV_BIT(RASIM_EV_EXCEPTION) |
                                RASIM_EV_BIT(RASIM_EV_POISON) | RASIM_EV_BIT(RASIM_EV_FIXUP));
    free(out);
    /* Every kind, made up. */
    out = jsonl_synthetic();
    n = lines_of(out, lines, 20000);
    ck_assert_uint_eq(n, RASIM_EV_NKINDS);
    seen = 0;
    for (size_t i = 0; i < n; i++)
        seen |= RASIM_EV_BIT(check_json_line(lines[i]));
    ck_assert_uint_eq(seen, RASIM_EV_ALL);
    free(out);
    /* docs/traces.md documents each key. */
    char doc_path[512];
    snprintf(doc_path, sizeof(doc_path), "%s/../docs/traces.md", EXAMPLES_SRC);
    char *doc = tu_read_text(doc_path);
    for (int k = 0; k < RASIM_EV_NKINDS; k++) {
        char buf[256], want[64];
        snprintf(buf, sizeof(buf), "%s", schema[k]);
        for (char *save = NULL, *key = strtok_r(buf, " ", &save); key;
             key = strtok_r(NULL, " ", &save)) {
            if (!strcmp(key, "|"))
                continue;
            snprintf(want, sizeof(want), "`%s`", key);
            ck_assert_msg(strstr(doc, want), "docs/traces.md does not document %s", want);
        }
    }
    free(doc);
}
END_TEST

/* ---- commitlog ------------------------------------------------------------- */

#define COMMIT_RE                                                                                  \
    "^core   0: [0-3] 0x[0-9a-f]{16} \\(0x([0-9a-f]{8}|[0-9a-f]{4})\\)"                            \
    "( x([0-9] |[12][0-9]|3[01]) 0x[0-9a-f]{16}| c[0-9]+_[a-z]+ 0x[0-9a-f]{16})*"                  \
    "( mem 0x[0-9a-f]{16})*"                                                                       \
    "( mem 0x[0-9a-f]{16} 0x([0-9a-f]{2}|[0-9a-f]{4}|[0-9a-f]{8}|[0-9a-f]{16}))*$"

static int xnum(const char *abi)
{
    static const char *const names[32] = {
        "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
        "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
        "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    };
    for (int i = 0; i < 32; i++)
        if (!strcmp(names[i], abi))
            return i;
    return -1;
}

START_TEST(commitlog_follows_spike_and_agrees_with_the_events)
{
    struct log *l = recorded("rasim_copy_mc_to_user", true);
    char *out = traced("commitlog", "rasim_copy_mc_to_user", true, NULL);
    /* Spike's spacing: " x5  0x", " x10 0x". */
    ck_assert_ptr_nonnull(strstr(out, " x5  0x"));
    ck_assert_ptr_nonnull(strstr(out, " x10 0x"));
    static char *lines[20000];
    size_t n = lines_of(out, lines, 20000), line = 0;
    uint64_t priv = 1;
    bool saw_csr = false, saw_store = false, saw_trap = false;
    for (size_t i = 0; i < l->n; i++) {
        if (l->ev[i].kind != RASIM_EV_INSN)
            continue;
        const struct rasim_event *insn = &l->ev[i];
        size_t end = i + 1;
        while (end < l->n && l->ev[end].kind != RASIM_EV_INSN)
            end++;
        const struct rasim_event *trap = NULL;
        uint64_t next_priv = priv;
        for (size_t j = i + 1; j < end; j++) {
            if (l->ev[j].kind == RASIM_EV_EXCEPTION)
                trap = &l->ev[j];
            if (l->ev[j].kind == RASIM_EV_REG && !strcmp(l->names[j], "priv"))
                next_priv = l->ev[j].reg.value;
        }
        ck_assert_uint_lt(line, n);
        const char *s = lines[line++];
        if (trap) {
            /* Spike commits no trapping instruction; -l prints the trap. */
            char want[128];
            snprintf(want, sizeof(want), "core   0: exception trap #19, epc 0x%016llx",
                     (unsigned long long)insn->pc);
            ck_assert_str_eq(s, want);
            ck_assert_uint_lt(line, n);
            snprintf(want, sizeof(want), "core   0:           tval 0x%016llx",
                     (unsigned long long)trap->exception.addr);
            ck_assert_str_eq(lines[line++], want);
            saw_trap = true;
            priv = next_priv;
            continue;
        }
        ck_assert_msg(matches(COMMIT_RE, s), "not Spike's grammar: %s", s);
        int p, at = 0;
        unsigned long long pc;
        unsigned word;
        ck_assert_int_eq(sscanf(s, "core   0: %d 0x%llx (0x%x)%n", &p, &pc, &word, &at), 3);
        ck_assert_uint_eq(p, priv);
        ck_assert_uint_eq(pc, insn->pc);
        ck_assert_uint_eq(word, insn->insn.size == 2 ? insn->insn.word & 0xffff : insn->insn.word);
        /* What the line says was written, loaded and stored, against the
         * events of that instruction, in order. */
        size_t j = i + 1, lk = i + 1, sk = i + 1;
        const char *rest = s + at;
        while (*rest) {
            int x, used = 0;
            unsigned long long v, a;
            char csr[32];
            if (sscanf(rest, " x%d 0x%llx%n", &x, &v, &used) == 2) {
                while (j < end && (l->ev[j].kind != RASIM_EV_REG || xnum(l->names[j]) < 0))
                    j++;
                ck_assert_uint_lt(j, end);
                ck_assert_int_eq(x, xnum(l->names[j]));
                ck_assert_uint_eq(v, l->ev[j].reg.value);
                j++;
            } else if (sscanf(rest, " c%d_%31[a-z] 0x%llx%n", &x, csr, &v, &used) == 3) {
                uint64_t want = 0;
                bool found = false;
                for (size_t k = i + 1; k < end; k++)
                    if (l->ev[k].kind == RASIM_EV_REG && !strcmp(l->names[k], csr)) {
                        want = l->ev[k].reg.value;
                        found = true;
                    }
                ck_assert_msg(found, "%s: no %s change", s, csr);
                ck_assert_uint_eq(v, want);
                ck_assert_int_eq(x, !strcmp(csr, "sstatus") ? 0x100 : 0x300);
                saw_csr = true;
            } else if (sscanf(rest, " mem 0x%llx 0x%llx%n", &a, &v, &used) == 2) {
                while (sk < end && !(l->ev[sk].kind == RASIM_EV_MEM && l->ev[sk].mem.write))
                    sk++;
                ck_assert_uint_lt(sk, end);
                ck_assert_uint_eq(a, l->ev[sk].mem.va);
                ck_assert_uint_eq(v, l->ev[sk].mem.value);
                sk++;
                saw_store = true;
            } else if (sscanf(rest, " mem 0x%llx%n", &a, &used) == 1) {
                while (lk < end && !(l->ev[lk].kind == RASIM_EV_MEM && !l->ev[lk].mem.write))
                    lk++;
                ck_assert_uint_lt(lk, end);
                ck_assert_uint_eq(a, l->ev[lk].mem.va);
                lk++;
            } else {
                ck_abort_msg("cannot read '%s' in %s", rest, s);
            }
            rest += used;
        }
        /* Every x register change is on the line. */
        for (; j < end; j++)
            ck_assert_msg(l->ev[j].kind != RASIM_EV_REG || xnum(l->names[j]) < 0,
                          "%s: %s not shown", s, l->names[j]);
        priv = next_priv;
    }
    ck_assert_uint_eq(line, n);
    ck_assert(saw_csr && saw_store && saw_trap);
    free(out);
    free(l);
}
END_TEST

/* ---- tarmac ------------------------------------------------------------------ */

/*
 * The line forms tarmac-trace-utilities' lib/parser.cpp accepts, for the
 * lines we write: "<time> clk" then IT/IS "(<n>) <pc> <opcode> O
 * <mode> : <disasm>", R "<reg> <hex>", M<R|W><bytes> "<va>:<pa> <value>"
 * with as many digits as bytes (64-bit values split by '_'), E "<pc> <hex>
 * CoreEvent_...", and the text-only types it knows (TTW,
 * INFO_EXCEPTION_REASON). R lines of registers it knows must carry their
 * width: X and SP_ELx 16 digits, cpsr 8.
 */
static const char *const tarmac_re[] = {
    "^[0-9]+ clk (IT|IS) \\([0-9]+\\) [0-9a-f]+ [0-9a-f]{8} O EL[0-3][ht]_(s|ns) : [^ ].*$",
    "^[0-9]+ clk R (X([0-9]|[12][0-9]|30)|SP_EL[0-3]) [0-9A-F]{16}$",
    "^[0-9]+ clk R cpsr [0-9A-F]{8}$",
    "^[0-9]+ clk R [A-Z][A-Z0-9_]*_EL[0-3] [0-9A-F]{16}$",
    "^[0-9]+ clk R TLBI [a-z0-9]+.*$",
    ("^[0-9]+ clk M[RW](1 [0-9a-f]+:[0-9a-f]+ [0-9a-f]{2}|2 [0-9a-f]+:[0-9a-f]+ [0-9a-f]{4}|4 "
     "[0-9a-f]+:[0-9a-f]+ [0-9a-f]{8}|8 [0-9a-f]+:[0-9a-f]+ [0-9a-f]{8}_[0-9a-f]{8})$"),
    "^[0-9]+ clk E [0-9a-f]+ [0-9a-f]{8} CoreEvent_[A-Za-z0-9_]+$",
    "^[0-9]+ clk (TTW|INFO_EXCEPTION_REASON) [0-9A-Za-z].*$",
};

static void feed(struct tw *w, struct rasim_event e)
{
    tw_event(w, &e);
}

static struct rasim_event insn(uint64_t n, uint64_t pc, uint32_t word)
{
    return (struct rasim_event){
        .kind = RASIM_EV_INSN, .icount = n, .pc = pc, .insn = {.word = word, .size = 4}};
}

static struct rasim_event reg(uint64_t n, uint64_t pc, const char *name, uint64_t v)
{
    return (struct rasim_event){
        .kind = RASIM_EV_REG, .icount = n, .pc = pc, .reg = {.name = name, .value = v}};
}

static struct rasim_event mem(uint64_t n, uint64_t pc, bool write, unsigned size, uint64_t va,
                              uint64_t v)
{
    struct rasim_event e = {.kind = RASIM_EV_MEM, .icount = n, .pc = pc};
    e.mem.va = va;
    e.mem.pa = va - 0xffff000000000000ull;
    e.mem.size = size;
    e.mem.value = v;
    e.mem.write = write;
    return e;
}

#define K(a) 0xffff000000000000ull + (a)

/* An EL1 copy with a machine check in the middle, made up: loads and
 * stores of each size, a conditional branch not taken and one taken, a
 * walk, a tag access (no Tarmac line), poison, an exception the kernel
 * model fixes up, a TLBI, and an exception taken to the guest's vector. */
static char *tarmac_synthetic(void)
{
    rasim_machine *m = rasim_new(RASIM_ARCH_AARCH64);
    ck_assert_int_eq(rasim_set_reg(m, "cpsr", 0x3c5), 0); /* EL1h */
    const char *path = tu_tmp("synthetic.tarmac");
    char spec[600];
    snprintf(spec, sizeof(spec), "tarmac:%s", path);
    struct tw *w = tw_open(m, spec, NULL);
    ck_assert_msg(w != NULL, "%s", rasim_error(m));
    uint64_t pc = K(0x40080000);
    feed(w, insn(1, pc, 0xf9400022)); /* ldr x2, [x1] */
    feed(w, mem(1, pc, false, 8, K(0x90000000), 0x2a));
    feed(w, reg(1, pc, "x2", 0x2a));
    feed(w, insn(2, pc + 4, 0xa9be7bfd)); /* stp x29, x30, [sp, #-0x20]! */
    feed(w, mem(2, pc + 4, true, 8, K(0x900fffe0), 0));
    feed(w, mem(2, pc + 4, true, 8, K(0x900fffe8), 0x2105e0));
    feed(w, reg(2, pc + 4, "sp", K(0x900fffe0)));
    feed(w, reg(2, pc + 4, "sp_el1", K(0x900fffe0)));
    feed(w, insn(3, pc + 8, 0x34000040));  /* cbz w0, +8: not taken */
    feed(w, insn(4, pc + 12, 0x54000041)); /* b.ne +8: taken */
    feed(w, insn(5, pc + 20, 0x39400023)); /* ldrb w3, [x1] */
    struct rasim_event walk = {.kind = RASIM_EV_WALK, .icount = 5, .pc = pc + 20};
    walk.walk.va = K(0x90000040);
    walk.walk.ok = true;
    walk.walk.pa = 0x90000040;
    walk.walk.size = 0x1000;
    walk.walk.level = 3;
    walk.walk.nsteps = 2;
    walk.walk.steps[0].level = 2;
    walk.walk.steps[0].pa = 0x80002008;
    walk.walk.steps[0].desc = 0x80003003;
    walk.walk.steps[1].level = 3;
    walk.walk.steps[1].pa = 0x80003000;
    walk.walk.steps[1].desc = 0x90000743;
    feed(w, walk);
    struct rasim_event tag = mem(5, pc + 20, false, 1, K(0x90000040), 3);
    tag.mem.tag = true;
    feed(w, tag);
    struct rasim_event p = {.kind = RASIM_EV_POISON, .icount = 5, .pc = pc + 20};
    p.poison.access = "read";
    p.poison.pa = 0x90000040;
    feed(w, p);
    struct rasim_event x = {.kind = RASIM_EV_EXCEPTION, .icount = 5, .pc = pc + 20};
    x.exception.syndrome = 0x96000010; /* EC 0x25, DFSC 0x10 */
    x.exception.addr = K(0x90000040);
    x.exception.addr_valid = true;
    x.exception.return_pc = pc + 20;
    x.exception.target_level = 1;
    snprintf(x.exception.text, sizeof(x.exception.text), "SEA, not on walk, read");
    feed(w, x);
    struct rasim_event f = {.kind = RASIM_EV_FIXUP, .icount = 5, .pc = pc + 20};
    f.fixup.insn = pc + 20;
    f.fixup.fixup = pc + 0x40;
    f.fixup.type = 5;
    f.fixup.type_name = "KACCESS_ERR_ZERO_MEM_ERR";
    f.fixup.nregs = 1;
    f.fixup.reg[0] = "x0";
    f.fixup.value[0] = (uint64_t)-14;
    feed(w, f);
    feed(w, reg(5, pc + 20, "x0", (uint64_t)-14));
    feed(w, insn(6, pc + 0x40, 0xd5088720)); /* tlbi vae1is, x0 */
    struct rasim_event t = {.kind = RASIM_EV_TLBI, .icount = 6, .pc = pc + 0x40};
    snprintf(t.tlbi.text, sizeof(t.tlbi.text), "tlbi vae1is va=0x40000000 asid=1");
    feed(w, t);
    feed(w, insn(7, pc + 0x44, 0x39000043)); /* strb w3, [x2] */
    feed(w, mem(7, pc + 0x44, true, 1, K(0x90010000), 0x7));
    feed(w, insn(8, pc + 0x48, 0x79000043)); /* strh w3, [x2] */
    feed(w, mem(8, pc + 0x48, true, 2, K(0x90010000), 0x107));
    feed(w, insn(9, pc + 0x4c, 0xb9000043)); /* str w3, [x2] */
    feed(w, mem(9, pc + 0x4c, true, 4, K(0x90010000), 0x3020107));
    feed(w, insn(10, pc + 0x50, 0xd4200000)); /* brk #0: taken to the vector */
    x.icount = 10;
    x.pc = pc + 0x50;
    x.exception.syndrome = 0xf2000000;
    x.exception.addr_valid = false;
    x.exception.taken = true;
    snprintf(x.exception.text, sizeof(x.exception.text), "BRK #0");
    feed(w, x);
    feed(w, reg(10, pc + 0x50, "cpsr", 0x3c5));
    feed(w, reg(10, pc + 0x50, "elr_el1", pc + 0x50));
    feed(w, reg(10, pc + 0x50, "esr_el1", 0xf2000000));
    feed(w, reg(10, pc + 0x50, "nzcv", 0));
    feed(w, insn(11, K(0x40000200), 0xd503201f)); /* nop, at the vector */
    ck_assert_int_eq(tw_close(w), 0);
    rasim_free(m);
    char *z = tu_read_text(path);
    unlink(path);
    return z;
}

START_TEST(tarmac_lines_follow_the_tarmac_grammar)
{
    char *out = tarmac_synthetic();
    char *copy = strdup(out);
    static char *lines[1000];
    size_t n = lines_of(copy, lines, 1000);
    unsigned long long last = 0;
    for (size_t i = 0; i < n; i++) {
        bool ok = false;
        for (size_t r = 0; r < sizeof(tarmac_re) / sizeof(*tarmac_re) && !ok; r++)
            ok = matches(tarmac_re[r], lines[i]);
        ck_assert_msg(ok, "not a Tarmac line: %s", lines[i]);
        unsigned long long t, id;
        ck_assert_int_eq(sscanf(lines[i], "%llu clk", &t), 1);
        ck_assert_uint_ge(t, last); /* time never goes back */
        last = t;
        if (sscanf(lines[i], "%*u clk I%*c (%llu)", &id) == 1)
            ck_assert_uint_eq(id, t);
    }
    /* What each made-up event became. */
    const char *want[] = {
        "1 clk IT (1) ffff000040080000 f9400022 O EL1h_ns : ldr x2, [x1]\n",
        "1 clk MR8 ffff000090000000:000090000000 00000000_0000002a\n",
        "1 clk R X2 000000000000002A\n",
        "2 clk MW8 ffff0000900fffe8:0000900fffe8 00000000_002105e0\n",
        "2 clk R SP_EL1 FFFF0000900FFFE0\n",
        "3 clk IS (3) ffff000040080008 34000040 O EL1h_ns : cbz w0, ",
        "4 clk IT (4) ffff00004008000c 54000041 O EL1h_ns : b.ne ",
        "5 clk TTW ffff000090000040 L2 000080002008:0000000080003003\n",
        "5 clk TTW ffff000090000040 -> 000090000040 size 1000\n",
        "5 clk INFO_EXCEPTION_REASON poison consumed: read pa 0x90000040\n",
        "5 clk E ffff000040080014 00000200 CoreEvent_CURRENT_SPx_SYNC\n",
        "5 clk INFO_EXCEPTION_REASON SEA, not on walk, read, ESR 0x96000010, FAR "
        "0xffff000090000040, no guest vector\n",
        "5 clk INFO_EXCEPTION_REASON fixup: 0xffff000040080014 -> 0xffff000040080040 "
        "KACCESS_ERR_ZERO_MEM_ERR(5) x0=0xfffffffffffffff2\n",
        "5 clk R X0 FFFFFFFFFFFFFFF2\n",
        "6 clk R TLBI vae1is va=0x40000000 asid=1\n",
        "7 clk MW1 ffff000090010000:000090010000 07\n",
        "8 clk MW2 ffff000090010000:000090010000 0107\n",
        "9 clk MW4 ffff000090010000:000090010000 03020107\n",
        "10 clk R cpsr 000003C5\n",
        "10 clk R ESR_EL1 00000000F2000000\n",
        "11 clk IT (11) ffff000040000200 d503201f O EL1h_ns : nop\n",
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++)
        ck_assert_msg(strstr(out, want[i]), "no line %s in\n%s", want[i], out);
    /* No line for the tag access, nor for the views of SP and cpsr. */
    ck_assert_ptr_null(strstr(out, "5 clk MR1"));
    ck_assert_ptr_null(strstr(out, " R SP "));
    ck_assert_ptr_null(strstr(out, "NZCV"));
    free(copy);
    free(out);
}
END_TEST

/* ---- filters ----------------------------------------------------------------- */

struct keep {
    uint64_t lo, hi;   /* PCs, or none if equal */
    unsigned kinds;    /* 0: all */
    uint64_t from, to; /* icount window, or none if to == 0 */
};

/* The lines of the unfiltered jsonl trace a filter should keep. */
static char *expected(const char *full, const struct keep *k)
{
    char *copy = strdup(full), *out = calloc(1, strlen(full) + 1), *at = out;
    static char *lines[40000];
    size_t n = lines_of(copy, lines, 40000);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_loads(lines[i], 0, NULL);
        ck_assert_ptr_nonnull(o);
        uint64_t pc = strtoull(json_string_value(json_object_get(o, "pc")), NULL, 16);
        uint64_t ic = (uint64_t)json_integer_value(json_object_get(o, "icount"));
        const char *kind = json_string_value(json_object_get(o, "kind"));
        bool keep = true;
        if (k->lo != k->hi)
            keep = keep && pc >= k->lo && pc < k->hi;
        if (k->to)
            keep = keep && ic >= k->from && ic <= k->to;
        if (k->kinds) {
            bool in = false;
            for (int j = 0; j < RASIM_EV_NKINDS; j++)
                if ((k->kinds & RASIM_EV_BIT(j)) &&
                    !strcmp(kind, rasim_event_kind_name((enum rasim_event_kind)j)))
                    in = true;
            keep = keep && in;
        }
        if (keep)
            at += sprintf(at, "%s\n", lines[i]);
        json_decref(o);
    }
    free(copy);
    return out;
}

START_TEST(each_filter_keeps_exactly_what_it_should)
{
    rasim_machine *m = machine();
    uint64_t memcpy_mc = sym(m, "rasim_memcpy_mc"), user = sym(m, "rasim_copy_mc_to_user");
    rasim_free(m);
    char *full = traced("jsonl", "rasim_copy_mc_to_user", true, NULL);
    const char *loop[] = {"rasim_memcpy_mc"}, *outer[] = {"rasim_copy_mc_to_user"};
    struct rasim_trace_range word_loop = {memcpy_mc + 0x2e, memcpy_mc + 0x42};
    struct {
        struct rasim_trace_filter f;
        struct keep k;
    } cases[] = {
        {{.ranges = &word_loop, .nranges = 1}, {.lo = word_loop.lo, .hi = word_loop.hi}},
        {{.symbols = outer, .nsymbols = 1}, {.lo = user, .hi = user + 34}},
        {{.kinds = RASIM_EV_BIT(RASIM_EV_MEM) | RASIM_EV_BIT(RASIM_EV_FIXUP)},
         {.kinds = RASIM_EV_BIT(RASIM_EV_MEM) | RASIM_EV_BIT(RASIM_EV_FIXUP)}},
        {{.window = true, .from = 20, .to = 40}, {.from = 20, .to = 40}},
        {{.symbols = loop,
          .nsymbols = 1,
          .kinds = RASIM_EV_BIT(RASIM_EV_INSN),
          .window = true,
          .from = 10,
          .to = 60},
         {.lo = memcpy_mc,
          .hi = memcpy_mc + 92,
          .kinds = RASIM_EV_BIT(RASIM_EV_INSN),
          .from = 10,
          .to = 60}},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        char *got = traced("jsonl", "rasim_copy_mc_to_user", true, &cases[i].f);
        char *want = expected(full, &cases[i].k);
        ck_assert_uint_gt(strlen(want), 0);
        ck_assert_uint_lt(strlen(want), strlen(full));
        ck_assert_msg(!strcmp(got, want), "filter %zu keeps the wrong events", i);
        free(got);
        free(want);
    }
    free(full);
}
END_TEST

/* ---- the command line ---------------------------------------------------------- */

static char *call_args(const char *extra)
{
    static char buf[2048];
    snprintf(buf, sizeof(buf),
             "call '%s/rv64/memcpy_mc.o' --sym rasim_memcpy_mc --buf src=256,fill=7 --buf dst=256 "
             "--arg dst --arg src --arg 256 --poison src+0x80 --profile riscv-copy-mc %s",
             EXAMPLES_DIR, extra);
    return buf;
}

START_TEST(cli_call_traces_the_same_bytes_and_prints_what_it_printed)
{
    char *plain, *err;
    ck_assert_int_eq(tu_rasim(call_args(""), &plain, &err), 0);
    free(err);
    const char *formats[] = {"text", "jsonl", "commitlog"};
    for (size_t i = 0; i < 3; i++) {
        char paths[2][512], args[1024];
        uint8_t *bytes[2];
        size_t size[2];
        for (int k = 0; k < 2; k++) {
            char name[32], *out;
            snprintf(name, sizeof(name), "cli%d.%s", k, formats[i]);
            snprintf(paths[k], sizeof(paths[k]), "%s", tu_tmp(name));
            snprintf(args, sizeof(args), "--trace %s:'%s'", formats[i], paths[k]);
            ck_assert_int_eq(tu_rasim(call_args(args), &out, &err), 0);
            ck_assert_str_eq(out, plain); /* the call's own lines, unchanged */
            ck_assert_str_eq(err, "");
            free(out);
            free(err);
            bytes[k] = tu_read_file(paths[k], &size[k]);
            ck_assert_ptr_nonnull(bytes[k]);
            unlink(paths[k]);
        }
        ck_assert_uint_gt(size[0], 500);
        ck_assert_uint_eq(size[0], size[1]);
        ck_assert(memcmp(bytes[0], bytes[1], size[0]) == 0);
        ck_assert(memchr(bytes[0], '\033', size[0]) == NULL);
        free(bytes[0]);
        free(bytes[1]);
    }
    /* To stdout: the trace, then the same lines. */
    char *out;
    ck_assert_int_eq(tu_rasim(call_args("--trace commitlog --trace-window 1-3"), &out, &err), 0);
    ck_assert_int_eq(tu_count_lines(out), 3 + tu_count_lines(plain));
    ck_assert_str_eq(out + strlen(out) - strlen(plain), plain);
    free(out);
    free(err);
    free(plain);
}
END_TEST

START_TEST(cli_bad_trace_options_are_one_line_and_exit_2)
{
    const char *bad[] = {
        "--trace foo",
        "--trace text:/nonexistent/dir/t.txt",
        "--trace tarmac",
        "--trace text:",
        "--trace text --trace jsonl",
        "--trace-sym rasim_memcpy_mc",
        "--trace text --trace-sym nosuch",
        "--trace text --trace-range 0x10-0x8",
        "--trace text --trace-range 0x10",
        "--trace text --trace-kinds insn,bogus",
        "--trace text --trace-window 9-2",
        "--trace commitlog --trace-kinds mem",
        "--trace text --trace-point 3",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        char *out, *err;
        ck_assert_msg(tu_rasim(call_args(bad[i]), &out, &err) == 2, "%s: %s", bad[i], err);
        ck_assert_msg(tu_count_lines(err) == 1 && !strncmp(err, "rasim: ", 7), "%s: %s", bad[i],
                      err);
        ck_assert_str_eq(out, "");
        free(out);
        free(err);
    }
}
END_TEST

START_TEST(cli_run_and_one_campaign_point_are_traced)
{
    char scenario[512], args[2048], *out, *err;
    snprintf(scenario, sizeof(scenario), "'%s/scenarios/rv64-memcpy-mc.yaml' --search '%s'",
             EXAMPLES_SRC, EXAMPLES_DIR);
    const char *path = tu_tmp("run.jsonl");
    snprintf(args, sizeof(args), "run %s --trace jsonl:'%s' --trace-kinds poison,fixup", scenario,
             path);
    ck_assert_int_eq(tu_rasim(args, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "recovered"));
    free(out);
    free(err);
    char *t = tu_read_text(path);
    ck_assert_int_eq(tu_count_lines(t), 2);
    ck_assert_ptr_nonnull(strstr(t, "\"kind\":\"poison\""));
    ck_assert_ptr_nonnull(strstr(t, "\"kind\":\"fixup\""));
    free(t);
    unlink(path);

    /* A whole campaign is not traced. */
    snprintf(args, sizeof(args), "campaign %s --trace text", scenario);
    ck_assert_int_eq(tu_rasim(args, &out, &err), 2);
    ck_assert_int_eq(tu_count_lines(err), 1);
    ck_assert_ptr_nonnull(strstr(err, "--trace-point"));
    free(out);
    free(err);
    /* One point, by label or by index: the same run. */
    char *by[2];
    const char *which[2] = {"src+0x40", "1"};
    for (int k = 0; k < 2; k++) {
        snprintf(args, sizeof(args), "campaign %s --trace commitlog --trace-point %s", scenario,
                 which[k]);
        ck_assert_int_eq(tu_rasim(args, &by[k], &err), 0);
        ck_assert_str_eq(err, "");
        free(err);
    }
    ck_assert_str_eq(by[0], by[1]);
    ck_assert_ptr_nonnull(strstr(by[0], "core   0: exception trap #19, epc 0x"));
    ck_assert_ptr_nonnull(strstr(by[0], "1 runs"));
    free(by[0]);
    free(by[1]);
    const char *bad[] = {"--trace text --trace-point 100000", "--trace text --trace-point nope",
                         "--trace-point 1", "--trace text --trace-point 1 --shard 1/2"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        snprintf(args, sizeof(args), "campaign %s %s", scenario, bad[i]);
        ck_assert_msg(tu_rasim(args, &out, &err) == 2, "%s", bad[i]);
        ck_assert_msg(tu_count_lines(err) == 1, "%s: %s", bad[i], err);
        free(out);
        free(err);
    }
}
END_TEST

/* ---- AArch64, end to end -------------------------------------------------- */

/* rasim call of arm64 copy_mc_page traced as fmt; the file's bytes. */
static char *a64_call(const char *fmt, bool poisoned, int k)
{
    char name[64], args[2048], *out, *err;
    snprintf(name, sizeof(name), "a64-%d.%s", k, fmt);
    const char *path = tu_tmp(name);
    snprintf(args, sizeof(args),
             "call '%s/aarch64/copy_mc_page.o' --sym rasim_copy_mc_page --buf src=4096,fill=3 "
             "--buf dst=4096 --arg dst --arg src --profile arm64-copy-mc-v13 %s --trace %s:'%s'",
             EXAMPLES_DIR, poisoned ? "--poison src+0x100" : "", fmt, path);
    ck_assert_msg(tu_rasim(args, &out, &err) == 0, "%s", err);
    free(out);
    free(err);
    char *text = tu_read_text(path);
    unlink(path);
    return text;
}

START_TEST(tarmac_of_an_arm64_call_follows_the_grammar_and_the_events)
{
    for (int poisoned = 0; poisoned < 2; poisoned++) {
        char *a = a64_call("tarmac", poisoned, 0), *b = a64_call("tarmac", poisoned, 1);
        ck_assert_uint_gt(strlen(a), 1000);
        ck_assert_str_eq(a, b); /* the same call, the same bytes */
        free(b);
        char *json = a64_call("jsonl", poisoned, 0);
        static char *lines[40000], *jlines[80000];
        char *copy = strdup(a);
        size_t n = lines_of(copy, lines, 40000), nj = lines_of(json, jlines, 80000), insns = 0;
        for (size_t i = 0; i < n; i++) {
            bool ok = false;
            for (size_t r = 0; r < sizeof(tarmac_re) / sizeof(*tarmac_re) && !ok; r++)
                ok = matches(tarmac_re[r], lines[i]);
            ck_assert_msg(ok, "not a Tarmac line: %s", lines[i]);
            insns += matches("^[0-9]+ clk I[TS] ", lines[i]);
            /* Each X register line is a register event of that instruction. */
            unsigned long long t, v;
            unsigned x;
            if (sscanf(lines[i], "%llu clk R X%u %llx", &t, &x, &v) == 3) {
                char want[128];
                snprintf(want, sizeof(want), "{\"kind\":\"reg\",\"icount\":%llu,", t);
                bool found = false;
                for (size_t j = 0; j < nj && !found; j++) {
                    char name[8], value[24];
                    snprintf(name, sizeof(name), "\"x%u\"", x);
                    snprintf(value, sizeof(value), "\"0x%llx\"", v);
                    found = !strncmp(jlines[j], want, strlen(want)) && strstr(jlines[j], name) &&
                            strstr(jlines[j], value);
                }
                ck_assert_msg(found, "no register event for %s", lines[i]);
            }
        }
        size_t ninsn = 0;
        for (size_t j = 0; j < nj; j++)
            ninsn += strstr(jlines[j], "{\"kind\":\"insn\"") == jlines[j];
        ck_assert_uint_eq(insns, ninsn);
        free(json);
        free(copy);
        if (poisoned) {
            ck_assert_ptr_nonnull(strstr(a, " clk INFO_EXCEPTION_REASON poison consumed: read pa "
                                            "0x400000100\n"));
            ck_assert(matches("clk E 0000000040080004 00000200 CoreEvent_CURRENT_SPx_SYNC", a));
            ck_assert_ptr_nonnull(strstr(a, " clk INFO_EXCEPTION_REASON fixup: "
                                            "rasim_copy_mc_page+0x4 -> rasim_copy_mc_page+0x5c "
                                            "KACCESS_ERR_ZERO_MEM_ERR(5)"));
        } else {
            /* The loop's b.ne falls through once, at the end. */
            ck_assert_ptr_nonnull(strstr(a, " clk IS ("));
            /* An LDP of two X registers: two 8-byte lines. */
            ck_assert_ptr_nonnull(strstr(a,
                                         "2 clk MR8 400000000:000400000000 03030303_03030303\n"
                                         "2 clk MR8 400000008:000400000008 03030303_03030303\n"));
        }
        free(a);
    }
    /* The 16 bytes of a pair in text and jsonl. */
    char *t = a64_call("text", false, 0);
    ck_assert(matches("       2  mem        read      16  va 0x0000000400000000  pa "
                      "0x0000000400000000  0x(03){16}\n",
                      t));
    free(t);
    /* commitlog is for RV64. */
    char args[1024], *out, *err;
    snprintf(args, sizeof(args),
             "call '%s/aarch64/copy_mc_page.o' --sym rasim_copy_mc_page --buf src=4096 --buf "
             "dst=4096 --arg dst --arg src --trace commitlog",
             EXAMPLES_DIR);
    ck_assert_int_eq(tu_rasim(args, &out, &err), 2);
    ck_assert_str_eq(err, "rasim: trace format 'commitlog' is for rv64 machines, and this one is "
                          "aarch64\n");
    free(out);
    free(err);
}
END_TEST

/* ---- beside the event sink ---------------------------------------------------- */

START_TEST(a_trace_runs_beside_the_event_sink)
{
    /* A sink first, then a trace: both see every instruction, counted alike. */
    rasim_machine *m = machine();
    struct log *l = calloc(1, sizeof(*l));
    ck_assert_int_eq(rasim_set_event_sink(m, RASIM_EV_ALL, record, l), 0);
    const char *path = tu_tmp("beside.jsonl");
    char spec[600];
    snprintf(spec, sizeof(spec), "jsonl:%s", path);
    struct rasim_trace_filter f = {.kinds = RASIM_EV_BIT(RASIM_EV_INSN)};
    ck_assert_msg(rasim_trace_start(m, spec, &f) == 0, "%s", rasim_error(m));
    ck_assert_int_eq(rasim_trace_start(m, spec, &f), -1); /* one trace at a time */
    call(m, "rasim_memcpy_mc");
    struct rasim_stop stop;
    ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
    ck_assert_int_eq(rasim_trace_stop(m), 0);
    size_t ninsn = 0;
    for (size_t i = 0; i < l->n; i++)
        ninsn += l->ev[i].kind == RASIM_EV_INSN;
    ck_assert_uint_eq(ninsn, stop.insns);
    char *text = tu_read_text(path);
    ck_assert_int_eq(tu_count_lines(text), (int)ninsn);
    char last[64];
    snprintf(last, sizeof(last), "\"icount\":%llu,", (unsigned long long)stop.insns);
    ck_assert_ptr_nonnull(strstr(text, last));
    free(text);
    /* The sink goes on after the trace stopped. */
    size_t before = l->n;
    call(m, "rasim_memcpy_mc");
    ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
    ck_assert_uint_gt(l->n, before);
    ck_assert_int_eq(rasim_set_event_sink(m, 0, NULL, NULL), 0);
    /* A trace first, then a sink: the trace's count does not restart. */
    ck_assert_int_eq(rasim_trace_start(m, spec, &f), 0);
    call(m, "rasim_memcpy_mc");
    ck_assert_int_eq(rasim_run(m, 10, &stop), 0);
    ck_assert_int_eq(rasim_set_event_sink(m, RASIM_EV_ALL, record, l), 0);
    ck_assert_int_eq(rasim_run(m, 10, &stop), 0);
    ck_assert_int_eq(rasim_trace_stop(m), 0);
    text = tu_read_text(path);
    ck_assert_int_eq(tu_count_lines(text), 20);
    ck_assert_ptr_nonnull(strstr(text, "\"icount\":20,"));
    free(text);
    unlink(path);
    free(l);
    rasim_free(m);
}
END_TEST

START_TEST(a_text_trace_on_stdout_keeps_its_place_among_what_is_printed_between_runs)
{
    /* The text format buffers lines of its own; each run's end hands them
     * to stdout, so a caller printing between runs (the CLI, the stepper)
     * sees its line after the run's trace and before the next one's. */
    const char *path = tu_tmp("stdout-order.txt");
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    dup2(fd, STDOUT_FILENO);
    close(fd);
    rasim_machine *m = machine();
    call(m, "rasim_memcpy_mc");
    struct rasim_trace_filter f = {.kinds = RASIM_EV_BIT(RASIM_EV_INSN)};
    ck_assert_msg(rasim_trace_start(m, "text", &f) == 0, "%s", rasim_error(m));
    struct rasim_stop stop;
    ck_assert_int_eq(rasim_run(m, 3, &stop), 0);
    printf("-- between runs\n");
    ck_assert_int_eq(rasim_run(m, 2, &stop), 0);
    printf("-- after the second run\n");
    ck_assert_int_eq(rasim_trace_stop(m), 0);
    rasim_free(m);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    char *text = tu_read_text(path);
    char *lines[16];
    ck_assert_uint_eq(lines_of(text, lines, 16), 7);
    for (int i = 0; i < 7; i++) {
        const char *want = i == 3 ? "-- between runs" : i == 6 ? "-- after the second run" : NULL;
        if (want)
            ck_assert_str_eq(lines[i], want);
        else
            ck_assert_msg(matches("^ +[1-5]  insn ", lines[i]), "line %d: %s", i, lines[i]);
    }
    free(text);
    unlink(path);
}
END_TEST

START_TEST(commitlog_names_traps_and_interrupts_as_spike)
{
    rasim_machine *m = machine();
    const char *path = tu_tmp("traps.commitlog");
    char spec[600];
    snprintf(spec, sizeof(spec), "commitlog:%s", path);
    struct tw *w = tw_open(m, spec, NULL);
    ck_assert_ptr_nonnull(w);
    const uint64_t causes[] = {13, 2, 19, 1ull << 63 | 9};
    for (unsigned i = 0; i < 4; i++) {
        struct rasim_event in = {.kind = RASIM_EV_INSN, .icount = i + 1, .pc = BASE + 4 * i};
        in.insn.word = 0x0005b383;
        in.insn.size = 4;
        tw_event(w, &in);
        struct rasim_event x = {.kind = RASIM_EV_EXCEPTION, .icount = i + 1, .pc = BASE + 4 * i};
        x.exception.syndrome = causes[i];
        x.exception.return_pc = BASE + 4 * i;
        x.exception.addr = 0x40006000;
        x.exception.addr_valid = i == 0;
        tw_event(w, &x);
    }
    ck_assert_int_eq(tw_close(w), 0);
    rasim_free(m);
    char *text = tu_read_text(path);
    ck_assert_str_eq(text, "core   0: exception trap_load_page_fault, epc 0x0000000080000000\n"
                           "core   0:           tval 0x0000000040006000\n"
                           "core   0: exception trap_illegal_instruction, epc 0x0000000080000004\n"
                           "core   0: exception trap #19, epc 0x0000000080000008\n"
                           "core   0: exception interrupt #9, epc 0x000000008000000c\n");
    free(text);
    unlink(path);
}
END_TEST

START_TEST(the_stepper_session_is_traced_and_prints_the_same)
{
    const char *cmds = tu_tmp("step.cmds"), *path = tu_tmp("step.commitlog");
    ck_assert_int_eq(tu_write_file(cmds, "step 3\ncontinue\n", 16), 0);
    char args[2][2048], *out[2], *err;
    for (int k = 0; k < 2; k++) {
        snprintf(args[k], sizeof(args[k]),
                 "step '%s/rv64/memcpy_mc.o' --sym rasim_memcpy_mc --buf src=64,fill=7 --buf "
                 "dst=64 --arg dst --arg src --arg 16 --batch '%s' %s%s",
                 EXAMPLES_DIR, cmds, k ? "--trace commitlog:" : "", k ? path : "");
        ck_assert_msg(tu_rasim(args[k], &out[k], &err) == 0, "%s", err);
        free(err);
    }
    ck_assert_str_eq(out[0], out[1]); /* the session itself is the same */
    char *text = tu_read_text(path);
    ck_assert_ptr_nonnull(strstr(out[0], "(27 instructions)"));
    ck_assert_int_eq(tu_count_lines(text), 27);
    free(text);
    free(out[0]);
    free(out[1]);
    unlink(path);
    unlink(cmds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("trace");
    TCase *tc = tcase_create("trace");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, the_same_call_gives_the_same_bytes_in_every_format);
    tcase_add_test(tc, text_names_symbol_offset_and_disassembly_without_escapes_in_a_file);
    tcase_add_test(tc, text_is_coloured_on_a_terminal);
    tcase_add_test(tc, jsonl_lines_parse_and_carry_the_documented_keys);
    tcase_add_test(tc, commitlog_follows_spike_and_agrees_with_the_events);
    tcase_add_test(tc, tarmac_lines_follow_the_tarmac_grammar);
    tcase_add_test(tc, each_filter_keeps_exactly_what_it_should);
    tcase_add_test(tc, cli_call_traces_the_same_bytes_and_prints_what_it_printed);
    tcase_add_test(tc, cli_bad_trace_options_are_one_line_and_exit_2);
    tcase_add_test(tc, cli_run_and_one_campaign_point_are_traced);
    tcase_add_test(tc, tarmac_of_an_arm64_call_follows_the_grammar_and_the_events);
    tcase_add_test(tc, a_trace_runs_beside_the_event_sink);
    tcase_add_test(tc, a_text_trace_on_stdout_keeps_its_place_among_what_is_printed_between_runs);
    tcase_add_test(tc, commitlog_names_traps_and_interrupts_as_spike);
    tcase_add_test(tc, the_stepper_session_is_traced_and_prints_the_same);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
