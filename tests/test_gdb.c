/*
 * test_gdb.c - `rasim gdb` and `rasim run --gdb` driven by gdb-multiarch in
 * batch mode, as a user would: break on a symbol (loaded with the
 * add-symbol-file line rasim prints) and continue to it, info registers,
 * read memory, stepi, a write watchpoint, detach (the run then finishes),
 * kill, and a poisoned load stopping with SIGBUS at the load before the
 * kernel model recovers or the kernel dies. Expected values come from the
 * test's own buffers and from runs of `rasim call` and the C API, never
 * from the server. tests/test_gdb_server.c covers the protocol itself.
 */
#include "test_util.h"

#include "rasim.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Where `rasim call` (and so `rasim gdb`) places buffers: BUF_ARENA in
 * sim/cli/call_setup.h, each 4 KiB aligned with an absent page after it. */
#define DST 0x400000000ull
#define SRC 0x400002000ull

struct server {
    pid_t pid;
    char out[600], err[600];
    unsigned port;
    char symbols[1024]; /* the add-symbol-file command rasim printed */
};

/* Start rasim in the background and wait until it listens. */
static void serve(struct server *s, const char *args)
{
    snprintf(s->out, sizeof(s->out), "%s", tu_tmp("rasim.out"));
    snprintf(s->err, sizeof(s->err), "%s", tu_tmp("rasim.err"));
    unlink(s->err);
    char cmd[4096];
    snprintf(cmd, sizeof(cmd), "exec '%s' %s >'%s' 2>'%s' </dev/null", RASIM_BIN, args, s->out,
             s->err);
    s->pid = fork();
    ck_assert_int_ge(s->pid, 0);
    if (s->pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 400; i++) {
        size_t n;
        char *text = (char *)tu_read_file(s->err, &n);
        const char *at = text ? strstr(text, "listening on 127.0.0.1:") : NULL;
        if (at && strchr(at, '\n')) {
            s->port = (unsigned)atoi(at + strlen("listening on 127.0.0.1:"));
            const char *sym = strstr(text, "rasim: symbols for gdb: ");
            s->symbols[0] = '\0';
            if (sym) {
                sym += strlen("rasim: symbols for gdb: ");
                snprintf(s->symbols, sizeof(s->symbols), "%.*s", (int)strcspn(sym, "\n"), sym);
            }
            free(text);
            ck_assert_uint_gt(s->port, 0);
            return;
        }
        free(text);
        int st;
        ck_assert_msg(waitpid(s->pid, &st, WNOHANG) == 0, "rasim %s ended before listening", args);
        usleep(50000);
    }
    kill(s->pid, SIGKILL);
    ck_abort_msg("rasim %s did not listen within 20 s", args);
}

/* Wait for rasim to end; its exit status, stdout in *out. */
static int finish(struct server *s, char **out)
{
    int st = 0;
    for (int i = 0; i < 600 && waitpid(s->pid, &st, WNOHANG) == 0; i++)
        usleep(50000);
    if (waitpid(s->pid, &st, WNOHANG) == 0) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, &st, 0);
        ck_abort_msg("rasim did not end after the gdb session");
    }
    size_t n;
    *out = (char *)tu_read_file(s->out, &n);
    ck_assert_ptr_nonnull(*out);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* gdb-multiarch in batch mode: connect, load the symbols, run cmds. */
static char *gdb(const struct server *s, const char *arch, const char *const *cmds)
{
    char line[8192];
    int n = snprintf(line, sizeof(line),
                     "timeout 60 '%s' -batch -nx -ex 'set architecture %s' "
                     "-ex 'target remote 127.0.0.1:%u' -ex '%s'",
                     GDB_MULTIARCH, arch, s->port, s->symbols);
    for (; *cmds; cmds++)
        n += snprintf(line + n, sizeof(line) - (size_t)n, " -ex '%s'", *cmds);
    ck_assert_uint_lt((size_t)n, sizeof(line));
    char *out, *err;
    int rc = tu_run(line, &out, &err);
    ck_assert_msg(rc == 0,
                  "gdb-multiarch (from the Debian package of that name; "
                  "scripts/install-deps.sh check installs it) exited %d:\n%s%s",
                  rc, out, err);
    size_t lo = strlen(out), le = strlen(err);
    out = realloc(out, lo + le + 1);
    memcpy(out + lo, err, le + 1);
    free(err);
    return out;
}

static void has(const char *text, const char *what)
{
    ck_assert_msg(strstr(text, what) != NULL, "expected '%s' in:\n%s", what, text);
}

/* The hex number after `key` in text. */
static uint64_t number_after(const char *text, const char *key)
{
    const char *at = strstr(text, key);
    ck_assert_msg(at != NULL, "no '%s' in:\n%s", key, text);
    return strtoull(at + strlen(key), NULL, 16);
}

static uint8_t pattern(unsigned i)
{
    return (uint8_t)(i * 7 + 1);
}

static const char *pattern_file(unsigned size)
{
    static char path[600];
    snprintf(path, sizeof(path), "%s", tu_tmp("pattern.bin"));
    uint8_t *bytes = malloc(size);
    for (unsigned i = 0; i < size; i++)
        bytes[i] = pattern(i);
    ck_assert_int_eq(tu_write_file(path, bytes, size), 0);
    free(bytes);
    return path;
}

/* The image as rasim places it by default, for symbols and sizes. */
static rasim_machine *load(const char *file)
{
    enum rasim_arch arch = rasim_file_arch(file);
    rasim_machine *m = rasim_new(arch);
    struct rasim_load_options opt = {0};
    ck_assert_msg(rasim_load(m, file, &opt) >= 0, "%s", rasim_error(m));
    return m;
}

static void symbol(rasim_machine *m, const char *name, uint64_t *va, uint64_t *size)
{
    for (size_t k = 0;; k++) {
        struct rasim_symbol sym;
        ck_assert_msg(rasim_image_symbol(m, 0, k, &sym) == 0, "no symbol %s", name);
        if (!strcmp(sym.name, name)) {
            *va = sym.va;
            *size = sym.size;
            return;
        }
    }
}

static unsigned insn_size(rasim_machine *m, uint64_t va)
{
    struct rasim_insn_text t;
    ck_assert_int_eq(rasim_disasm(m, va, &t), 0);
    return t.size;
}

/* Where `rasim call` with these arguments took its fixup or oops: the
 * address of `SYMBOL+0xOFF` after `key`. */
static uint64_t call_fault_pc(rasim_machine *m, const char *args, const char *key)
{
    char cmd[4096], *out, *err;
    snprintf(cmd, sizeof(cmd), "'%s' call %s", RASIM_BIN, args);
    tu_run(cmd, &out, &err);
    const char *at = strstr(out, key);
    ck_assert_msg(at != NULL, "no '%s' in rasim call's output:\n%s%s", key, out, err);
    at += strlen(key);
    char name[128];
    unsigned long long off;
    ck_assert_int_eq(sscanf(at, "%127[^+]+0x%llx", name, &off), 2);
    uint64_t va;
    ck_assert_int_eq(rasim_lookup_symbol(m, name, &va), 0);
    free(out);
    free(err);
    return va + off;
}

/* ---- RV64: memcpy_mc ------------------------------------------------------ */

static char rv_file[512];
static char rv_args[2048];

static void rv_setup(const char *extra)
{
    snprintf(rv_file, sizeof(rv_file), "%s/rv64/memcpy_mc.o", EXAMPLES_DIR);
    snprintf(rv_args, sizeof(rv_args),
             "'%s' --sym rasim_memcpy_mc --buf dst=256 --buf src=256,file='%s' --arg dst "
             "--arg src --arg 256 %s",
             rv_file, pattern_file(256), extra);
}

START_TEST(rv64_break_registers_memory_step_watch_detach)
{
    const char *saved = tu_tmp("dst.bin");
    char extra[700];
    snprintf(extra, sizeof(extra), "--save dst='%s'", saved);
    rv_setup(extra);
    rasim_machine *m = load(rv_file);
    uint64_t entry, size;
    symbol(m, "rasim_memcpy_mc", &entry, &size);

    struct server s;
    char args[4096];
    snprintf(args, sizeof(args), "gdb %s --port 0", rv_args);
    serve(&s, args);
    has(s.symbols, "add-symbol-file ");
    static const char *const cmds[] = {
        "break rasim_memcpy_mc",
        "continue",
        "info registers",
        "x/8xb $a1",
        "stepi",
        "printf \"stepped=%lx\\n\", $pc",
        "watch -l *(unsigned char *)$a0",
        "continue",
        "printf \"watched=%lx\\n\", $pc",
        "x/1xb 0x400000000",
        "detach",
        NULL,
    };
    char *out = gdb(&s, "riscv:rv64", cmds);

    /* The breakpoint by symbol, where gdb put it (past any prologue it
     * skips), inside the routine; the stop is there. */
    uint64_t bp = number_after(out, "Breakpoint 1 at 0x");
    ck_assert_msg(bp >= entry && bp < entry + size, "breakpoint at 0x%llx", (unsigned long long)bp);
    char line[128];
    snprintf(line, sizeof(line), "Breakpoint 1, 0x%016llx in rasim_memcpy_mc ()",
             (unsigned long long)bp);
    has(out, line);
    /* Registers: the arguments as rasim call passes them, pc at the stop. */
    ck_assert_uint_eq(number_after(out, "\na0             0x"), DST);
    ck_assert_uint_eq(number_after(out, "\na1             0x"), SRC);
    ck_assert_uint_eq(number_after(out, "\na2             0x"), 256);
    ck_assert_uint_eq(number_after(out, "\npc             0x"), bp);
    has(out, "\nsp             0x");
    /* Memory: the bytes this test wrote into src. */
    char bytes[128] = "0x400002000:";
    for (unsigned i = 0; i < 8; i++)
        snprintf(bytes + strlen(bytes), sizeof(bytes) - strlen(bytes), "\t0x%02x", pattern(i));
    has(out, bytes);
    /* stepi: the PC moves by the instruction's size (2 or 4). */
    ck_assert_uint_eq(number_after(out, "stepped="), bp + insn_size(m, bp));
    /* The watchpoint stops after the store: the byte copied is there. */
    has(out, "Hardware watchpoint 2: -location *(unsigned char *)$a0");
    has(out, "Old value = 0 '\\000'");
    has(out, "New value = 1 '\\001'");
    uint64_t watched = number_after(out, "watched=");
    ck_assert(watched > bp && watched < entry + size);
    has(out, "0x400000000:\t0x01");
    has(out, "[Inferior 1 (Remote target) detached]");

    /* Detached, the copy ran to its end. */
    char *rout;
    ck_assert_int_eq(finish(&s, &rout), 0);
    has(rout, "ret=0x0\ninsns=");
    size_t n;
    uint8_t *dst = tu_read_file(saved, &n);
    ck_assert_uint_eq(n, 256);
    for (unsigned i = 0; i < 256; i++)
        ck_assert_uint_eq(dst[i], pattern(i));
    free(dst);
    free(rout);
    free(out);
    rasim_free(m);
}
END_TEST

START_TEST(rv64_poisoned_load_stops_with_sigbus)
{
    rv_setup("--poison src+0x80");
    rasim_machine *m = load(rv_file);
    uint64_t load_pc = call_fault_pc(m, rv_args, "fixup ");
    struct server s;
    char args[4096];
    snprintf(args, sizeof(args), "gdb %s --port 0", rv_args);
    serve(&s, args);
    static const char *const cmds[] = {
        "continue", "printf \"at=%lx\\n\", $pc", "x/i $pc", "continue", NULL,
    };
    char *out = gdb(&s, "riscv:rv64", cmds);
    has(out, "Program received signal SIGBUS, Bus error.");
    ck_assert_uint_eq(number_after(out, "at="), load_pc);
    has(out, "poison consumed by a read at VA 0x400002080");
    /* Continued, the kernel model recovers; the routine returns 0x80 (the
     * bytes not copied), 0200 in gdb's octal. */
    has(out, "rasim: returned 0x80 after");
    has(out, "exited with code 0200]");
    char *rout;
    ck_assert_int_eq(finish(&s, &rout), 0);
    has(rout, "ret=0x80\n");
    has(rout, "fixup rasim_memcpy_mc+");
    free(rout);
    free(out);
    rasim_free(m);
}
END_TEST

/* kill, with --trace (a call option) writing what ran: one instruction. */
START_TEST(rv64_kill_with_a_trace)
{
    char trace[700], extra[800];
    snprintf(trace, sizeof(trace), "%s", tu_tmp("session.jsonl"));
    snprintf(extra, sizeof(extra), "--trace 'jsonl:%s'", trace);
    rv_setup(extra);
    struct server s;
    char args[4096];
    snprintf(args, sizeof(args), "gdb %s --port 0", rv_args);
    serve(&s, args);
    static const char *const cmds[] = {"stepi", "kill", NULL};
    char *out = gdb(&s, "riscv:rv64", cmds);
    has(out, "[Inferior 1 (Remote target) killed]");
    char *rout;
    ck_assert_int_eq(finish(&s, &rout), 0);
    has(rout, "killed from gdb at rasim_memcpy_mc+0x");
    has(rout, "insns=1\n");
    size_t n;
    char *events = (char *)tu_read_file(trace, &n);
    ck_assert_ptr_nonnull(events);
    unsigned insns = 0;
    for (const char *p = events; (p = strstr(p, "\"kind\":\"insn\"")) != NULL; p++)
        insns++;
    ck_assert_msg(insns == 1, "%u instructions traced:\n%s", insns, events);
    free(events);
    free(rout);
    free(out);
}
END_TEST

START_TEST(rv64_scenario_run_with_gdb)
{
    char args[2048];
    snprintf(args, sizeof(args), "run '%s/scenarios/rv64-memcpy-mc.yaml' --search '%s' --gdb 0",
             EXAMPLES_SRC, EXAMPLES_DIR);
    struct server s;
    serve(&s, args);
    static const char *const cmds[] = {
        "break rasim_memcpy_mc", "continue", "p/x $a2", "continue", "detach", NULL};
    char *out = gdb(&s, "riscv:rv64", cmds);
    has(out, "Breakpoint 1, ");
    has(out, "$1 = 0x1000");                                /* the scenario's length */
    has(out, "Program received signal SIGBUS, Bus error."); /* its poison at src+0x840 */
    has(out, "poison consumed by a read at VA 0x400000840");
    char *rout;
    ck_assert_int_eq(finish(&s, &rout), 0);
    has(rout, ": recovered at rasim_memcpy_mc+");
    has(rout, "5 expectations, 0 failed");
    free(rout);
    free(out);
}
END_TEST

/* ---- AArch64: copy_mc_page -------------------------------------------------- */

static char a64_file[512];
static char a64_args[2048];

static void a64_setup(const char *extra)
{
    snprintf(a64_file, sizeof(a64_file), "%s/aarch64/copy_mc_page.o", EXAMPLES_DIR);
    snprintf(a64_args, sizeof(a64_args),
             "'%s' --sym rasim_copy_mc_page --buf dst=4096 --buf src=4096,file='%s' --arg dst "
             "--arg src %s",
             a64_file, pattern_file(4096), extra);
}

START_TEST(aarch64_registers_memory_step_and_sigbus)
{
    a64_setup("--poison src+0x1c0 --profile linux-6.1 --feat-ras");
    rasim_machine *m = load(a64_file);
    uint64_t entry, size;
    symbol(m, "rasim_copy_mc_page", &entry, &size);
    uint64_t load_pc = call_fault_pc(m, a64_args, " in ");
    struct server s;
    char args[4096];
    snprintf(args, sizeof(args), "gdb %s --port 0", a64_args);
    serve(&s, args);
    static const char *const cmds[] = {
        "info registers",
        "x/8xb $x1",
        "stepi",
        "printf \"stepped=%lx\\n\", $pc",
        "info registers sctlr_el1",
        "continue",
        "printf \"at=%lx\\n\", $pc",
        "printf \"record=%lx\\n\", $erxstatus_el1",
        "printf \"record_addr=%lx\\n\", $erxaddr_el1",
        "continue",
        NULL,
    };
    char *out = gdb(&s, "aarch64", cmds);
    ck_assert_uint_eq(number_after(out, "\nx0             0x"), DST);
    ck_assert_uint_eq(number_after(out, "\nx1             0x"), SRC);
    ck_assert_uint_eq(number_after(out, "\npc             0x"), entry);
    /* cpsr, with gdb's flags: EL1 on SP_EL1 (EL1h). */
    const char *cpsr = strstr(out, "\ncpsr           0x");
    ck_assert_ptr_nonnull(cpsr);
    char flags[128];
    snprintf(flags, sizeof(flags), "%.*s", (int)strcspn(cpsr + 1, "\n"), cpsr + 1);
    has(flags, "[ SP EL=1 ");
    ck_assert_uint_eq(number_after(cpsr, "cpsr           0x") & 0xf, 0x5);
    char bytes[128] = "0x400002000:";
    for (unsigned i = 0; i < 8; i++)
        snprintf(bytes + strlen(bytes), sizeof(bytes) - strlen(bytes), "\t0x%02x", pattern(i));
    has(out, bytes);
    ck_assert_uint_eq(number_after(out, "stepped="), entry + 4);
    uint64_t sctlr;
    rasim_machine *fresh = rasim_new(RASIM_ARCH_AARCH64);
    rasim_get_reg(fresh, "sctlr_el1", &sctlr);
    rasim_free(fresh);
    ck_assert_uint_eq(number_after(out, "\nsctlr_el1      0x"), sctlr);
    /* The SEA on the poisoned line stops before the kernel model; linux-6.1
     * then dies of it, and so does the program. */
    has(out, "Program received signal SIGBUS, Bus error.");
    ck_assert_uint_eq(number_after(out, "at="), load_pc);
    has(out, "poison consumed by a read at VA 0x4000021c0");
    /* FEAT_RAS (--feat-ras): the error record, among the system registers. */
    ck_assert_uint_eq(number_after(out, "record="), 0xf070000c);
    ck_assert_uint_eq(number_after(out, "record_addr="), 0x8000000000000000ull | 0x4000021c0ull);
    has(out, "rasim: oops: ");
    has(out, "Program terminated with signal SIGBUS, Bus error.");
    char *rout;
    ck_assert_int_eq(finish(&s, &rout), 0);
    has(rout, "oops: ");
    free(rout);
    free(out);
    rasim_free(m);
}
END_TEST

/* Breakpoints and watchpoints go through rasim_add_breakpoint and
 * rasim_add_watchpoint: run as their own CTest test (test_gdb
 * aarch64-break), skipped where aarch64 cannot break. gdb's aarch64 target
 * steps over a watched access after the stop; the stop must still show
 * where the access left the routine. */
START_TEST(aarch64_break_and_watch)
{
    a64_setup("");
    rasim_machine *m = load(a64_file);
    uint64_t entry, size;
    symbol(m, "rasim_copy_mc_page", &entry, &size);
    struct server s;
    char args[4096];
    snprintf(args, sizeof(args), "gdb %s --port 0", a64_args);
    serve(&s, args);
    static const char *const cmds[] = {
        "break rasim_copy_mc_page",
        "continue",
        "watch -l *(unsigned char *)($x0 + 0x41)",
        "continue",
        "printf \"watched=%lx\\n\", $pc",
        "x/1xb 0x400000041",
        "detach",
        NULL,
    };
    char *out = gdb(&s, "aarch64", cmds);
    uint64_t bp = number_after(out, "Breakpoint 1 at 0x");
    ck_assert(bp >= entry && bp < entry + size);
    has(out, "Breakpoint 1, ");
    has(out, "Old value = 0 '\\000'");
    char value[64];
    snprintf(value, sizeof(value), "0x400000041:\t0x%02x", pattern(0x41));
    has(out, value);
    /* gdb shows the stop right after the store, where the API stops: the
     * same routine on the same bytes, watched through rasim.h. */
    ck_assert_int_eq(rasim_add_region(m, "dst", DST, 0x1000, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "src", SRC, 0x1000, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "stack", 0x3f0000000ull, 0x100000, RASIM_REGION_RAM), 0);
    uint8_t bytes[4096];
    for (unsigned i = 0; i < sizeof(bytes); i++)
        bytes[i] = pattern(i);
    ck_assert_int_eq(rasim_write_phys(m, SRC, bytes, sizeof(bytes)), 0);
    rasim_set_reg(m, "x0", DST);
    rasim_set_reg(m, "x1", SRC);
    rasim_set_reg(m, "sp", 0x3f0100000ull);
    rasim_set_reg(m, "pc", entry);
    ck_assert_int_eq(rasim_add_watchpoint(m, DST + 0x41, 1, RASIM_WATCH_WRITE, false), 0);
    struct rasim_stop want;
    rasim_run(m, 100000, &want);
    ck_assert(want.watch_hit);
    ck_assert_uint_eq(number_after(out, "watched="), want.pc);
    char *rout;
    ck_assert_int_eq(finish(&s, &rout), 0);
    has(rout, "ret=0x0\n");
    free(rout);
    free(out);
    rasim_free(m);
}
END_TEST

/* Bad command lines: one line on stderr, exit 2, nothing listens. */
START_TEST(bad_gdb_command_lines)
{
    rv_setup("");
    /* A port already taken. */
    int taken = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof(a);
    ck_assert_int_eq(bind(taken, (struct sockaddr *)&a, sizeof(a)), 0);
    ck_assert_int_eq(listen(taken, 1), 0);
    ck_assert_int_eq(getsockname(taken, (struct sockaddr *)&a, &alen), 0);
    char busy[64];
    snprintf(busy, sizeof(busy), "--port %u", ntohs(a.sin_port));
    struct {
        const char *args, *words;
    } cases[] = {
        {"", "--port N is required"},
        {"--port 70000", "is not a TCP port"},
        {"--port x", "--port: expected an unsigned number"},
        {"--port", "--port needs a value"},
        {"--port 0 --bogus", "unknown option '--bogus'"},
        {busy, "cannot listen on 127.0.0.1:"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        char cmd[4096], *out, *err;
        snprintf(cmd, sizeof(cmd), "timeout 20 '%s' gdb %s %s", RASIM_BIN, rv_args, cases[i].args);
        ck_assert_msg(tu_run(cmd, &out, &err) == 2, "%s: %s", cases[i].args, err);
        ck_assert_msg(strstr(err, cases[i].words) != NULL, "%s: %s", cases[i].args, err);
        ck_assert_int_eq(tu_count_lines(err), 1);
        free(out);
        free(err);
    }
    close(taken);
    char cmd[4096], *out, *err;
    snprintf(cmd, sizeof(cmd), "timeout 20 '%s' run '%s/scenarios/rv64-memcpy-mc.yaml' --gdb",
             RASIM_BIN, EXAMPLES_SRC);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 2);
    ck_assert_msg(strstr(err, "--gdb needs a value") != NULL, "%s", err);
    free(out);
    free(err);
    snprintf(cmd, sizeof(cmd),
             "timeout 20 '%s' campaign '%s/scenarios/rv64-memcpy-mc.yaml' --gdb 0", RASIM_BIN,
             EXAMPLES_SRC);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 2); /* run only */
    free(out);
    free(err);
}
END_TEST

/* Exit status for "skipped" (SKIP_RETURN_CODE in tests/CMakeLists.txt). */
#define SKIPPED 77

int main(int argc, char **argv)
{
    Suite *s = suite_create("gdb");
    TCase *tc = tcase_create("gdb");
    tcase_set_timeout(tc, 180);
    if (argc > 1 && !strcmp(argv[1], "aarch64-break")) {
        rasim_machine *m = rasim_new(RASIM_ARCH_AARCH64);
        if (rasim_add_breakpoint(m, 0x1000) < 0) {
            printf("SKIPPED: gdb breakpoints and watchpoints on aarch64 wait for "
                   "rasim_add_breakpoint there (%s)\n",
                   rasim_error(m));
            rasim_free(m);
            return SKIPPED;
        }
        rasim_free(m);
        tcase_add_test(tc, aarch64_break_and_watch);
    } else {
        tcase_add_test(tc, rv64_break_registers_memory_step_watch_detach);
        tcase_add_test(tc, rv64_poisoned_load_stops_with_sigbus);
        tcase_add_test(tc, rv64_kill_with_a_trace);
        tcase_add_test(tc, rv64_scenario_run_with_gdb);
        tcase_add_test(tc, aarch64_registers_memory_step_and_sigbus);
        tcase_add_test(tc, bad_gdb_command_lines);
    }
    suite_add_tcase(s, tc);
    return tu_main(s);
}
