/*
 * test_step.c - `rasim step` in batch mode, on our riscv memcpy_mc and, for
 * arm64, a caller with its callee, copy_mc_page, and a routine that turns
 * the MMU on: what a step shows against `rasim disasm` and the final
 * registers; breakpoints, watchpoints, next, finish; x/ formats against
 * bytes the test wrote; walk and tlb on routines that turn on Sv39 / the
 * arm64 MMU; poison consumed, fixed up, logged, and the backtrace after;
 * the extable near a load; bad commands; determinism. And the rasim.h calls
 * the stepper added, directly. (The arm64 tests say they are skipped if
 * its interpreter cannot be traced.)
 */
#include "test_util.h"

#include "rasim.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEN 200

static uint8_t pattern(unsigned i)
{
    return (uint8_t)(i * 7 + 1);
}

static const char *path_of(const char *dir, const char *name)
{
    static char buf[4][512];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

#define MEMCPY_MC path_of(EXAMPLES_DIR, "rv64/memcpy_mc.o")

/* The options of a copy of LEN bytes from src (the pattern) to dst. */
static const char *copy_args(const char *sym)
{
    static char args[1024];
    uint8_t bytes[256];
    for (unsigned i = 0; i < sizeof(bytes); i++)
        bytes[i] = pattern(i);
    const char *src = tu_tmp("src.bin");
    ck_assert_int_eq(tu_write_file(src, bytes, sizeof(bytes)), 0);
    snprintf(args, sizeof(args),
             "--sym %s --buf dst=256 --buf src=256,file='%s' --arg dst --arg src --arg %u", sym,
             src, LEN);
    return args;
}

/* rasim step FILE ARGS --batch SCRIPT */
static int step(const char *file, const char *args, const char *script, char **out, char **err)
{
    const char *path = tu_tmp("script.cmd");
    ck_assert_int_eq(tu_write_file(path, script, strlen(script)), 0);
    char cmd[4096];
    snprintf(cmd, sizeof(cmd), "timeout 60 '%s' step '%s' %s --batch '%s'", RASIM_BIN, file, args,
             path);
    return tu_run(cmd, out, err);
}

/* A session that must succeed, silently on stderr. */
static char *session(const char *file, const char *args, const char *script)
{
    char *out, *err;
    int rc = step(file, args, script, &out, &err);
    ck_assert_msg(rc == 0, "exit %d\nstdout:\n%s\nstderr:\n%s", rc, out, err);
    ck_assert_msg(!*err, "stderr: %s", err);
    free(err);
    return out;
}

static bool has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
        if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
            return true;
    return false;
}

#define ck_assert_line(text, line)                                                                 \
    ck_assert_msg(has_line(text, line), "no line '%s' in:\n%s", line, text)

/* Strings the helpers return, freed after each test. */
static char *owned[256];
static int nowned;

static char *keep(char *p)
{
    ck_assert_int_lt(nowned, 256);
    return owned[nowned++] = p;
}

static void free_owned(void)
{
    while (nowned)
        free(owned[--nowned]);
}

/* What the k-th echo of a command is followed by, up to the next echo
 * (freed after the test). */
static char *after_n(const char *out, const char *command, int k)
{
    char echo[256];
    snprintf(echo, sizeof(echo), "(rasim) %s\n", command);
    const char *p = out;
    for (int i = 0; i <= k; i++) {
        p = strstr(i ? p + 1 : p, echo);
        while (p && p != out && p[-1] != '\n')
            p = strstr(p + 1, echo);
        ck_assert_msg(p, "no '%s' (%d) in:\n%s", command, k, out);
    }
    p += strlen(echo);
    const char *end = strstr(p, "(rasim) ");
    return keep(strndup(p, end ? (size_t)(end - p) : strlen(p)));
}

static char *after(const char *out, const char *command)
{
    return after_n(out, command, 0);
}

/* The k-th little-endian 8-byte word of the pattern from offset off. */
static uint64_t pattern_word(unsigned off)
{
    uint64_t v = 0;
    for (unsigned b = 0; b < 8; b++)
        v |= (uint64_t)pattern(off + b) << (8 * b);
    return v;
}

static bool starts(const char *text, const char *prefix)
{
    return !strncmp(text, prefix, strlen(prefix));
}

/* The last value a `regs` listing in text gives the register. */
static uint64_t reg_in(const char *text, const char *name)
{
    uint64_t v = 0;
    bool found = false;
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        char n[32];
        unsigned long long x;
        if (sscanf(p, "%31s 0x%llx", n, &x) == 2 && !strcmp(n, name)) {
            v = x;
            found = true;
        }
    }
    ck_assert_msg(found, "no register %s in:\n%s", name, text);
    return v;
}

/* `rasim disasm` of one routine, one line per instruction. */
static char *disasm(const char *file, const char *sym)
{
    char cmd[1024], *out, *err;
    snprintf(cmd, sizeof(cmd), "'%s' disasm '%s' --sym %s", RASIM_BIN, file, sym);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    free(err);
    return out;
}

/* The `rasim disasm` line of the instruction at where ("sym+0x32"). */
static const char *disasm_line(const char *listing, const char *where, char *buf, size_t len)
{
    char key[128];
    snprintf(key, sizeof(key), "  %s ", where);
    const char *p = strstr(listing, key);
    ck_assert_msg(p, "no %s in:\n%s", where, listing);
    while (p > listing && p[-1] != '\n')
        p--;
    const char *end = strchr(p, '\n');
    snprintf(buf, len, "%.*s", (int)(end - p), p);
    return buf;
}

/* ---- stepping -------------------------------------------------------------- */

START_TEST(step_shows_each_instruction_as_disasm_does_and_what_it_changed)
{
    char *out = session(MEMCPY_MC, copy_args("rasim_memcpy_mc"), "step 30\nregs\n");
    char *steps = after(out, "step 30"), *regs = after(out, "regs");
    char *listing = disasm(MEMCPY_MC, "rasim_memcpy_mc");
    unsigned insns = 0;
    char last_name[64][16];
    uint64_t last_value[64];
    unsigned nnames = 0;
    for (char *line = strtok(steps, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] != ' ') {
            /* "<sym+off>  <encoding>  <text>" is disasm's line from the
             * encoding on, less any extable comment. */
            char where[128], buf[512];
            ck_assert_int_eq(sscanf(line, "%127s", where), 1);
            const char *d = disasm_line(listing, where, buf, sizeof(buf));
            const char *rest = line + strlen(where) + 2;
            ck_assert_msg(strstr(d, rest), "step: '%s'\ndisasm: '%s'", line, d);
            insns++;
            continue;
        }
        char name[16];
        unsigned long long value, old;
        if (sscanf(line, "  %15s = 0x%llx (was 0x%llx)", name, &value, &old) == 3) {
            ck_assert_uint_ne(value, old);
            unsigned i = 0;
            while (i < nnames && strcmp(last_name[i], name))
                i++;
            if (i == nnames)
                snprintf(last_name[nnames++], sizeof(last_name[0]), "%s", name);
            last_value[i] = value;
        }
    }
    ck_assert_uint_eq(insns, 30);
    /* The first instruction, mv t6, a0, copies dst's address. */
    ck_assert_line(out, "rasim_memcpy_mc+0x0  8faa      mv       t6, a0");
    ck_assert_line(out, "  t6 = 0x400000000 (was 0x0)");
    /* The word loop's load, with the bytes it read from src. */
    char read[96];
    snprintf(read, sizeof(read), "  read 8 bytes at src+0x0 = 0x%016llx",
             (unsigned long long)pattern_word(0));
    ck_assert_line(out, read);
    /* Every register a step changed ends as the last change said. */
    ck_assert_uint_ge(nnames, 5);
    for (unsigned i = 0; i < nnames; i++)
        ck_assert_msg(reg_in(regs, last_name[i]) == last_value[i], "%s: regs 0x%llx, step 0x%llx",
                      last_name[i], (unsigned long long)reg_in(regs, last_name[i]),
                      (unsigned long long)last_value[i]);
    free(listing);
    free(out);
}
END_TEST

START_TEST(break_on_symbol_offset_then_continue_stops_there)
{
    char *out = session(MEMCPY_MC, copy_args("rasim_memcpy_mc"),
                        "break rasim_memcpy_mc+0x32\ninfo breakpoints\ncontinue\nregs\n"
                        "continue\nx/1xg $a1\n");
    ck_assert_line(out, "1  breakpoint  rasim_memcpy_mc+0x32 (0x80000032)");
    char *first = after(out, "continue");
    ck_assert_str_eq(first, "breakpoint 1 at rasim_memcpy_mc+0x32\n"
                            "=> 0000000080000032  rasim_memcpy_mc+0x32         0005b383  ld       "
                            "t2, 0(a1)  # extable -> rasim_memcpy_mc+0x58 FIXUP(1)\n");
    char *regs = after(out, "regs");
    ck_assert_uint_eq(reg_in(regs, "pc"), 0x80000032);
    ck_assert_uint_eq(reg_in(regs, "a1"), 0x400002000); /* src: the load has not run */
    /* Continue runs the loop once more: a1 is at the next word. */
    char word[64];
    snprintf(word, sizeof(word), "src+0x8:  0x%016llx", (unsigned long long)pattern_word(8));
    ck_assert_line(out, word);
    free(out);
}
END_TEST

START_TEST(watch_on_a_destination_byte_stops_after_the_store)
{
    char *out = session(MEMCPY_MC, copy_args("rasim_memcpy_mc"),
                        "watch dst+0x13\ncontinue\nx/1xb dst+0x13\nx/1xb dst+0x18\nregs\n");
    ck_assert_line(out, "1  watchpoint  write dst+0x13 (0x400000013) len 1");
    /* The word loop's sd of dst+0x10..0x17; stopped after it, before the
     * next instruction. */
    char *stop = after(out, "continue"), want[512];
    snprintf(want, sizeof(want),
             "watchpoint 1: write 8 bytes at dst+0x10 = 0x%016llx by rasim_memcpy_mc+0x36\n"
             "=> 000000008000003a  rasim_memcpy_mc+0x3a         0521      addi     a0, a0, 8\n",
             (unsigned long long)pattern_word(0x10));
    ck_assert_str_eq(stop, want);
    char expect[64];
    snprintf(expect, sizeof(expect), "dst+0x13:  0x%02x", pattern(0x13));
    ck_assert_line(out, expect);
    ck_assert_line(out, "dst+0x18:  0x00"); /* the next word is not copied yet */
    ck_assert_uint_eq(reg_in(after(out, "regs"), "pc"), 0x8000003a);
    free(out);
}
END_TEST

START_TEST(next_runs_a_call_to_its_return)
{
    char *out = session(MEMCPY_MC, copy_args("rasim_copy_mc_to_user"),
                        "step 4\nnext\nnext\nregs\nbt\nx/8xb dst+0xc0\n");
    char *second = after_n(out, "next", 1); /* over the jalr */
    ck_assert_msg(starts(second, "rasim_copy_mc_to_user+0x10  f90080e7  jalr     -112(ra)\n"
                                 "  ra = 0x80000078 (was 0x80000070)\n"
                                 "  returned after "),
                  "%s", second);
    ck_assert_line(second, "  a0 = 0x0 (was 0x400000000)");
    ck_assert_line(second, "  a2 = 0x0 (was 0xc8)");
    ck_assert_uint_eq(reg_in(after(out, "regs"), "pc"), 0x80000078);
    /* The caller, once: its ra is stale after the return. */
    ck_assert_str_eq(after(out, "bt"), "#0 rasim_copy_mc_to_user+0x14\n");
    char expect[128];
    snprintf(expect, sizeof(expect),
             "dst+0xc0:  0x%02x  0x%02x  0x%02x  0x%02x  0x%02x  0x%02x  "
             "0x%02x  0x%02x",
             pattern(0xc0), pattern(0xc1), pattern(0xc2), pattern(0xc3), pattern(0xc4),
             pattern(0xc5), pattern(0xc6), pattern(0xc7));
    ck_assert_line(out, expect);
    free(out);

    /* A breakpoint in the callee stops next there. */
    out = session(MEMCPY_MC, copy_args("rasim_copy_mc_to_user"),
                  "break rasim_memcpy_mc+0x2\nstep 5\nnext\nbt\n");
    ck_assert_line(out, "breakpoint 1 at rasim_memcpy_mc+0x2");
    ck_assert_str_eq(after(out, "bt"), "#0 rasim_memcpy_mc+0x2\n#1 rasim_copy_mc_to_user+0x14\n");
    free(out);
}
END_TEST

START_TEST(finish_returns_to_the_caller_then_to_the_sentinel)
{
    char *out = session(MEMCPY_MC, copy_args("rasim_copy_mc_to_user"),
                        "break rasim_memcpy_mc+0x32\ncontinue\ndelete\nfinish\nfinish\n");
    char *one = after_n(out, "finish", 1);
    ck_assert_msg(strstr(out, "(rasim) finish\nreturned to rasim_copy_mc_to_user+0x14 after "),
                  "%s", out);
    ck_assert_msg(strstr(out, " instructions: a0 = 0x0\n=> 0000000080000078  "
                              "rasim_copy_mc_to_user+0x14 "),
                  "%s", out);
    ck_assert_msg(starts(one, "returned to the caller: a0 = 0x0 ("), "%s", one);
    free(out);
}
END_TEST

START_TEST(x_formats_read_back_the_bytes_written)
{
    char *out = session(MEMCPY_MC, copy_args("rasim_memcpy_mc"),
                        "x/16xb src\nx/2xg src\nx/4xw src+4\nx/2dh src+0x10\nx/3c src+9\n"
                        "x/2uw src\nx/3i rasim_memcpy_mc\nx/2xb pa:0x400002000\n");
    char line[256];
    int n = snprintf(line, sizeof(line), "src+0x0:");
    for (unsigned i = 0; i < 8; i++)
        n += snprintf(line + n, sizeof(line) - (size_t)n, "  0x%02x", pattern(i));
    ck_assert_line(out, line);
    n = snprintf(line, sizeof(line), "src+0x8:");
    for (unsigned i = 8; i < 16; i++)
        n += snprintf(line + n, sizeof(line) - (size_t)n, "  0x%02x", pattern(i));
    ck_assert_line(out, line);

    uint64_t g[2] = {0, 0};
    uint32_t w[6] = {0};
    for (unsigned i = 0; i < 16; i++)
        g[i / 8] |= (uint64_t)pattern(i) << (8 * (i % 8));
    for (unsigned i = 0; i < 24; i++)
        w[i / 4] |= (uint32_t)pattern(i) << (8 * (i % 4));
    snprintf(line, sizeof(line), "src+0x0:  0x%016llx  0x%016llx", (unsigned long long)g[0],
             (unsigned long long)g[1]);
    ck_assert_line(out, line);
    uint32_t w4[4];
    for (unsigned k = 0; k < 4; k++) {
        w4[k] = 0;
        for (unsigned b = 0; b < 4; b++)
            w4[k] |= (uint32_t)pattern(4 + 4 * k + b) << (8 * b);
    }
    snprintf(line, sizeof(line), "src+0x4:  0x%08x  0x%08x  0x%08x  0x%08x", w4[0], w4[1], w4[2],
             w4[3]);
    ck_assert_line(out, line);
    int16_t h0 = (int16_t)(pattern(0x10) | pattern(0x11) << 8);
    int16_t h1 = (int16_t)(pattern(0x12) | pattern(0x13) << 8);
    ck_assert_int_lt(h1, 0); /* d is signed */
    snprintf(line, sizeof(line), "src+0x10:  %d  %d", h0, h1);
    ck_assert_line(out, line);
    ck_assert_line(out, "src+0x9:  '@'  'G'  'N'");
    snprintf(line, sizeof(line), "src+0x0:  %u  %u", w[0], w[1]);
    ck_assert_line(out, line);
    snprintf(line, sizeof(line), "pa:0x400002000:  0x%02x  0x%02x", pattern(0), pattern(1));
    ck_assert_line(out, line);

    /* x/i prints rasim disasm's lines (one column more, for the => mark). */
    char *listing = disasm(MEMCPY_MC, "rasim_memcpy_mc"), buf[512];
    char *insns = after(out, "x/3i rasim_memcpy_mc");
    const char *offs[] = {"rasim_memcpy_mc+0x0", "rasim_memcpy_mc+0x2", "rasim_memcpy_mc+0x4"};
    char *p = insns;
    for (int i = 0; i < 3; i++) {
        char *end = strchr(p, '\n');
        ck_assert_ptr_nonnull(end);
        *end = '\0';
        ck_assert_str_eq(p + 3, disasm_line(listing, offs[i], buf, sizeof(buf)) + 2);
        ck_assert(!strncmp(p, i == 0 ? "=> " : "   ", 3)); /* PC is the first */
        p = end + 1;
    }
    free(listing);
    free(out);
}
END_TEST

/* ---- translation --------------------------------------------------------------- */

START_TEST(walk_and_tlb_follow_the_routine_turning_on_sv39)
{
    const char *file = path_of(FIXTURE_DIR, "step_rv64_sv39.o");
    char *out = session(file, "--sym sv39_alias_read --buf b=4096,fill=0x11 --arg b",
                        "walk b\ntlb\nstep 7\nwalk 0x440000010\nwalk 0x480000000 write\n"
                        "step 4\ntlb\nx/1xg 0x440000008\nsysregs\n");
    ck_assert_str_eq(after(out, "walk b"), "translation off: pa = va (satp.MODE = Bare)\n");
    ck_assert_str_eq(after(out, "tlb"), "the TLB is empty\n");
    ck_assert_line(out, "  satp = 0x8000000000080001 (was 0x0)");
    /* The alias gigapage: root[17] maps 17 GiB to the arena at 16 GiB. */
    ck_assert_str_eq(after(out, "walk 0x440000010"),
                     "sv39, root 0x80001000, asid 0 (satp 0x8000000000080001)\n"
                     "level 2 entry 0x80001088 = 0x00000001000000cf block pa=0x400000000 "
                     "size=1G R W X A D\n"
                     "pa=0x400000010 size=1G block pa=0x400000000 size=1G R W X A D\n");
    ck_assert_str_eq(after(out, "walk 0x480000000 write"),
                     "sv39, root 0x80001000, asid 0 (satp 0x8000000000080001)\n"
                     "level 2 entry 0x80001090 = 0x0000000000000000 none\n"
                     "fault=page level=2\n");
    /* After the load through the alias: the code's entry and the alias's. */
    char *tlb = after_n(out, "tlb", 1);
    ck_assert_line(tlb, "0x0000000080000000-0x00000000bfffffff -> 0x80000000 1G asid 0 level 2 "
                        "pte 0x00000000200000cf at 0x80001010 block pa=0x80000000 size=1G R W X "
                        "A D");
    ck_assert_line(tlb, "0x0000000440000000-0x000000047fffffff -> 0x400000000 1G asid 0 level 2 "
                        "pte 0x00000001000000cf at 0x80001088 block pa=0x400000000 size=1G R W X "
                        "A D");
    ck_assert_int_eq(tu_count_lines(tlb), 2);
    /* x reads through the translation. */
    ck_assert_line(out, "0x440000008:  0x1111111111111111");
    char satp[64];
    snprintf(satp, sizeof(satp), "%-14s 0x%016llx", "satp", 0x8000000000080001ull);
    ck_assert_line(out, satp);
    free(out);
}
END_TEST

START_TEST(mmu_checker_warnings_show_at_their_instruction)
{
    const char *file = path_of(FIXTURE_DIR, "step_rv64_sv39.o");
    char *out = session(file, "--sym sv39_retarget --buf b=4096,fill=0x11 --arg b --check-mmu",
                        "continue\n");
    ck_assert_str_eq(after(out, "continue"),
                     "sv39_retarget+0x38  09eeb423  sd       t5, 136(t4)\n"
                     "  mmu: break-before-make: PTE at PA 0x80001088 changed 0x1000000cf -> "
                     "0xf00000cf (output address) while the TLB holds VA 0x440000000 ASID 0, at "
                     "PC 0x80000062\n"
                     "sv39_retarget+0x3c  000e3503  ld       a0, 0(t3)\n"
                     "  mmu: stale TLB use: VA 0x440000000 ASID 0 translated by a TLB entry whose "
                     "PTE at PA 0x80001088 changed 0x1000000cf -> 0xf00000cf (output address), at "
                     "PC 0x80000066\n"
                     "returned to the caller: a0 = 0x1111111111111111 (19 instructions)\n");
    free(out);
}
END_TEST

/* ---- poison, the extable ------------------------------------------------------ */

START_TEST(poison_is_consumed_fixed_up_logged_and_the_backtrace_follows)
{
    char *out = session(MEMCPY_MC, copy_args("rasim_copy_mc_to_user"),
                        "poison list\npoison add src+0x40\npoison list\n"
                        "break rasim_memcpy_mc+0x58\ncontinue\nlog\nbt\nregs\n"
                        "poison clear\npoison list\nlog\ncontinue\n");
    ck_assert_str_eq(after_n(out, "poison list", 0), "no poison\n");
    ck_assert_str_eq(after_n(out, "poison list", 1),
                     "pa 0x400002040-0x40000207f (64 bytes, src+0x40) data persistent\n");
    /* The fixup line is rasim call's for the same run. */
    char cmd[2048], *call_out, *err;
    snprintf(cmd, sizeof(cmd), "'%s' call '%s' %s --poison src+0x40", RASIM_BIN, MEMCPY_MC,
             copy_args("rasim_copy_mc_to_user"));
    ck_assert_int_eq(tu_run(cmd, &call_out, &err), 0);
    char *fixup = strstr(call_out, "fixup ");
    ck_assert_ptr_nonnull(fixup);
    char expect[1024];
    snprintf(expect, sizeof(expect),
             "rasim_memcpy_mc+0x32  0005b383  ld       t2, 0(a1)\n"
             "  poison consumed: read at pa 0x400002040 (src+0x40)\n"
             "  exception: hardware error (scause 0x13, stval 0x400002040)\n"
             "  %s"
             "breakpoint 1 at rasim_memcpy_mc+0x58\n"
             "=> 0000000080000058  rasim_memcpy_mc+0x58         8532      mv       a0, a2\n",
             fixup);
    char *stop = after(out, "continue");
    ck_assert_str_eq(stop, expect);
    char *log = after(out, "log");
    ck_assert_msg(starts(log, "#0 read pa 0x400002040 (src+0x40) va 0x400002040 at "
                              "rasim_memcpy_mc+0x32 after "),
                  "%s", log);
    ck_assert_msg(strstr(log, " instructions: fixed up via FIXUP(1) to rasim_memcpy_mc+0x58\n"),
                  "%s", log);
    ck_assert_int_eq(tu_count_lines(log), 1);
    ck_assert_str_eq(after(out, "bt"), "#0 rasim_memcpy_mc+0x58\n#1 rasim_copy_mc_to_user+0x14\n");
    ck_assert_uint_eq(reg_in(after(out, "regs"), "a2"), LEN - 0x40); /* bytes not copied */
    ck_assert_str_eq(after(out, "poison clear"), "poison cleared, and the error log\n");
    ck_assert_str_eq(after_n(out, "poison list", 2), "no poison\n");
    ck_assert_str_eq(after_n(out, "log", 1), "the error log is empty\n");
    ck_assert_msg(strstr(out, "(rasim) continue\nreturned to the caller: a0 = 0x88 ("), "%s", out);
    free(call_out);
    free(err);
    free(out);
}
END_TEST

START_TEST(extable_near_a_load_shows_its_entry)
{
    char *out = session(MEMCPY_MC, copy_args("rasim_memcpy_mc"),
                        "extable\nbreak rasim_memcpy_mc+0x32\ncontinue\nextable\ndisas\n");
    char *listing = disasm(MEMCPY_MC, "rasim_memcpy_mc"), a[512], b[512], c[512];
    disasm_line(listing, "rasim_memcpy_mc+0x1c", a, sizeof(a));
    disasm_line(listing, "rasim_memcpy_mc+0x32", b, sizeof(b));
    disasm_line(listing, "rasim_memcpy_mc+0x44", c, sizeof(c));
    ck_assert_ptr_nonnull(strstr(b, "# extable -> rasim_memcpy_mc+0x58 FIXUP(1)"));
    char expect[2048];
    snprintf(expect, sizeof(expect), " %s\n=> %s\n %s\n", a, b + 2, c);
    ck_assert_str_eq(after_n(out, "extable", 1), expect);
    /* Before the routine ran, PC is before all three. */
    snprintf(expect, sizeof(expect), " %s\n %s\n %s\n", a, b, c);
    ck_assert_str_eq(after_n(out, "extable", 0), expect);
    /* disas around PC marks it and keeps its entry. */
    char *d = after(out, "disas");
    snprintf(expect, sizeof(expect), "=> %s\n", b + 2);
    ck_assert_msg(strstr(d, expect), "%s", d);
    ck_assert_int_eq(tu_count_lines(d), 10);
    free(listing);
    free(out);
}
END_TEST

/* ---- errors, determinism ------------------------------------------------------- */

START_TEST(bad_commands_are_one_line_errors_that_end_the_batch)
{
    static const char *const cases[][2] = {
        {"frobnicate", "step: unknown command 'frobnicate'"},
        {"step 0", "step: step: expected a number of instructions"},
        {"step many", "step: step: expected a number of instructions"},
        {"next 2", "step: next: takes no arguments"},
        {"break", "step: break: expected break SYMBOL"},
        {"break no_such_symbol", "step: break: no buffer, symbol or register named"},
        {"break rasim_memcpy_mc+zz", "step: break: expected NAME+OFFSET"},
        {"watch dst 4 sideways", "step: watch: expected r, w or rw"},
        {"watch dst+0x200", "past the end of buffer 'dst'"},
        {"delete 9", "step: delete: no breakpoint or watchpoint 9"},
        {"info registers", "step: info: expected info breakpoints"},
        {"x/4q src", "step: x/4q: unknown letter 'q'"},
        {"x/4xb", "step: x/4xb: expected x/FMT ADDR"},
        {"x/4xb 0x10", "step: x/4xb: "},
        {"x/4xb $nosuch", "step: x/4xb: unknown rv64 register 'nosuch'"},
        {"disas 1 2 3", "step: disas: expected disas"},
        {"walk", "step: walk: expected walk VA"},
        {"walk dst sideways", "step: walk: expected read, write or fetch"},
        {"poison add nowhere+4", "step: poison: --poison nowhere+4: no buffer or symbol"},
        {"poison add src+4,kind=sometimes", "step: poison: --poison src+4,kind=sometimes"},
        {"poison frob", "step: poison: expected poison list"},
        {"regs now", "step: regs: takes no arguments"},
        {"bt full", "step: bt: takes no arguments"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        char script[256], *out, *err;
        snprintf(script, sizeof(script), "%s\nregs\n", cases[i][0]);
        int rc = step(MEMCPY_MC, copy_args("rasim_memcpy_mc"), script, &out, &err);
        ck_assert_msg(rc == 2, "'%s': exit %d", cases[i][0], rc);
        ck_assert_msg(!strncmp(err, "rasim: ", 7) && strstr(err, cases[i][1]), "'%s': stderr: %s",
                      cases[i][0], err);
        ck_assert_msg(tu_count_lines(err) == 1, "'%s': stderr: %s", cases[i][0], err);
        /* The echo is the last thing: nothing after the bad command ran. */
        char tail[300];
        snprintf(tail, sizeof(tail), "(rasim) %s\n", cases[i][0]);
        size_t n = strlen(out), t = strlen(tail);
        ck_assert_msg(n >= t && !strcmp(out + n - t, tail), "'%s': stdout: %s", cases[i][0], out);
        free(out);
        free(err);
    }
    /* Bad options are the command line's errors, before any session. */
    char *out, *err;
    ck_assert_int_eq(tu_rasim("help step", &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "--batch CMDFILE"));
    ck_assert_ptr_nonnull(strstr(out, "x/FMT ADDR"));
    free(out);
    free(err);
    ck_assert_int_eq(step(MEMCPY_MC, "--sym rasim_memcpy_mc --bogus", "regs\n", &out, &err), 2);
    ck_assert_str_eq(out, "");
    ck_assert_ptr_nonnull(strstr(err, "step: unknown option '--bogus'"));
    free(out);
    free(err);
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "'%s' step '%s' --sym rasim_memcpy_mc --batch /nonexistent",
             RASIM_BIN, MEMCPY_MC);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "--batch: /nonexistent"));
    free(out);
    free(err);
}
END_TEST

START_TEST(the_same_batch_twice_gives_the_same_output)
{
    const char *script = "step 20\nbreak rasim_memcpy_mc+0x32\nwatch dst+0x40 8 rw\ncontinue\n"
                         "poison add src+0x80,granule=byte\ncontinue\ncontinue\ndelete\nnext\n"
                         "regs\nsysregs\nx/8xg dst\nlog\nbt\nextable\ndisas\ntlb\ninfo b\n"
                         "finish\n";
    const char *args = copy_args("rasim_copy_mc_to_user");
    char *a = session(MEMCPY_MC, args, script), *b = session(MEMCPY_MC, args, script);
    ck_assert_uint_gt(strlen(a), 3000);
    ck_assert_str_eq(a, b);
    ck_assert_ptr_nonnull(strstr(a, "poison consumed"));
    free(a);
    free(b);
}
END_TEST

/* ---- the rasim.h calls the stepper added -------------------------------------- */

static rasim_machine *rv64_machine(const char *file)
{
    rasim_machine *m = rasim_new(RASIM_ARCH_RV64);
    struct rasim_load_options opt = {.base_set = true, .base = 0x80000000ull};
    ck_assert_msg(rasim_load(m, file, &opt) >= 0, "%s", rasim_error(m));
    return m;
}

struct poison_runs {
    struct rasim_poison p[4];
    int n;
};

static void note_poison(void *ctx, const struct rasim_poison *p)
{
    struct poison_runs *r = ctx;
    if (r->n < 4)
        r->p[r->n] = *p;
    r->n++;
}

START_TEST(api_poison_list_backtrace_and_disasm_word)
{
    rasim_machine *m = rv64_machine(MEMCPY_MC);
    ck_assert_int_eq(rasim_add_region(m, "ram", 0x90000000, 0x10000, RASIM_REGION_RAM), 0);
    struct rasim_poison tag = {.pa = 0x90002000, .len = 1, .tag = true};
    struct rasim_poison two = {
        .pa = 0x90001010, .len = 2, .granule = 1, .kind = RASIM_POISON_TRANSIENT, .count = 3};
    ck_assert_int_eq(rasim_poison(m, &tag), 0);
    ck_assert_int_eq(rasim_poison(m, &two), 0);
    struct poison_runs r = {0};
    ck_assert_int_eq(rasim_poison_list(m, note_poison, &r), 0);
    ck_assert_int_eq(r.n, 2);
    ck_assert_uint_eq(r.p[0].pa, 0x90001010);
    ck_assert_uint_eq(r.p[0].len, 2);
    ck_assert_int_eq(r.p[0].kind, RASIM_POISON_TRANSIENT);
    ck_assert_uint_eq(r.p[0].count, 3);
    ck_assert(!r.p[0].tag);
    ck_assert_uint_eq(r.p[1].pa, 0x90002000); /* tag storage after data */
    ck_assert_uint_eq(r.p[1].len, 64);
    ck_assert(r.p[1].tag);
    rasim_poison_clear(m);
    r.n = 0;
    ck_assert_int_eq(rasim_poison_list(m, note_poison, &r), 0);
    ck_assert_int_eq(r.n, 0);

    /* A leaf with no frame pointer: its caller from ra. */
    char bt[256];
    rasim_set_reg(m, "pc", 0x80000010);
    rasim_set_reg(m, "ra", 0x80000078);
    rasim_backtrace(m, bt, sizeof(bt));
    ck_assert_str_eq(bt, "rasim_memcpy_mc+0x10 <- rasim_copy_mc_to_user+0x14");

    /* A word gives what the loaded instruction gives. */
    struct rasim_insn_text loaded, word;
    ck_assert_int_eq(rasim_disasm(m, 0x80000032, &loaded), 0);
    rasim_disasm_word(m, 0x80000032, 0x0005b383, &word);
    ck_assert_str_eq(word.text, loaded.text);
    ck_assert_uint_eq(word.size, 4);
    rasim_disasm_word(m, 0x80000000, 0xdead8faa, &word); /* c.mv: the high half is ignored */
    ck_assert_uint_eq(word.size, 2);
    ck_assert_uint_eq(word.word, 0x8faa);
    ck_assert_str_eq(word.text, "mv\tt6, a0");
    rasim_free(m);
}
END_TEST

struct tlb_seen {
    struct rasim_tlb_entry e[4];
    int n;
};

static void note_tlb(void *ctx, const struct rasim_tlb_entry *e)
{
    struct tlb_seen *t = ctx;
    if (t->n < 4)
        t->e[t->n] = *e;
    t->n++;
}

START_TEST(api_tlb_entries)
{
    rasim_machine *m = rv64_machine(path_of(FIXTURE_DIR, "step_rv64_sv39.o"));
    ck_assert_int_eq(rasim_add_region(m, "buf", 0x400000000, 0x1000, RASIM_REGION_RAM), 0);
    uint64_t v = 0x1234;
    ck_assert_int_eq(rasim_write_phys(m, 0x400000000, &v, 8), 0);
    rasim_set_reg(m, "a0", 0x400000000);
    rasim_set_reg(m, "ra", 0x7ffff000);
    rasim_set_reg(m, "pc", 0x80000000);
    rasim_set_return_sentinel(m, 0x7ffff000);
    struct rasim_stop stop;
    ck_assert_int_eq(rasim_run(m, 100, &stop), 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    struct tlb_seen t = {0};
    ck_assert_int_eq(rasim_tlb_entries(m, note_tlb, &t), 0);
    ck_assert_int_eq(t.n, 2);
    ck_assert_uint_eq(t.e[1].va, 0x440000000);
    ck_assert_uint_eq(t.e[1].pa, 0x400000000);
    ck_assert_uint_eq(t.e[1].size, 1ull << 30);
    ck_assert_int_eq(t.e[1].level, 2);
    ck_assert_uint_eq(t.e[1].pte_pa, 0x80001088);
    ck_assert_uint_eq(t.e[1].pte, (0x400000000ull >> 12) << 10 | 0xcf);
    ck_assert_ptr_nonnull(strstr(t.e[1].text, "R W X A D"));
    rasim_free(m);

    /* arm64: refused until the interpreter's TLB is reachable. */
    m = rasim_new(RASIM_ARCH_AARCH64);
    t.n = 0;
    if (rasim_tlb_entries(m, note_tlb, &t) < 0)
        ck_assert_str_eq(rasim_error(m), "aarch64: no TLB on this architecture yet");
    else
        ck_assert_int_eq(t.n, 0); /* reset: empty */
    rasim_free(m);
}
END_TEST

/* ---- arm64: runs once its interpreter can be traced ---------------------------- */

static void ignore(void *ctx, const struct rasim_event *e)
{
    (void)ctx;
    (void)e;
}

/* Whether the arm64 interpreter can be traced yet; says so when not. */
static bool a64_traceable(void)
{
    rasim_machine *m = rasim_new(RASIM_ARCH_AARCH64);
    bool ok = rasim_set_event_sink(m, RASIM_EV_ALL, ignore, NULL) == 0;
    if (!ok)
        printf("test_step: SKIPPED the aarch64 stepper tests while %s\n", rasim_error(m));
    rasim_free(m);
    return ok;
}

START_TEST(a64_step_next_finish_bt)
{
    if (!a64_traceable())
        return;
    const char *file = path_of(FIXTURE_DIR, "step_a64_calls.o");
    char *out = session(file, "--sym outer --buf d=16 --buf s=16,fill=0x22 --arg d --arg s",
                        "step 2\nnext\nbt\nfinish\n");
    ck_assert_line(out, "outer+0x0  a9bf7bfd  stp      x29, x30, [sp, #-0x10]!");
    ck_assert_line(out, "  sp = 0x3f00ffff0 (was 0x3f0100000)");
    /* The pair as one access: x30 (the sentinel) above x29 (0). */
    ck_assert_line(out, "  write 16 bytes at 0x3f00ffff0 = 0xfffffffffffff0000000000000000000");
    ck_assert_line(out, "outer+0x8  94000004  bl       #0x40080018");
    ck_assert_line(out, "  x30 = 0x4008000c (was 0xfffffffffffff000)");
    ck_assert_msg(strstr(out, "  returned after 4 instructions\n"), "%s", out);
    ck_assert_line(out, "  x0 = 0x0 (was 0x400000000)");
    ck_assert_line(out, "  x2 = 0x2222222222222222 (was 0x0)");
    ck_assert_str_eq(after(out, "bt"), "#0 outer+0xc\n");
    /* Not in a call the stepper saw: finish runs to the sentinel. */
    ck_assert_msg(strstr(out, "(rasim) finish\nreturned to the caller: x0 = 0x1 ("), "%s", out);
    free(out);
    /* Stopped inside inner, finish returns to outer. */
    out = session(file, "--sym outer --buf d=16 --buf s=16 --arg d --arg s",
                  "break inner+0x4\ncontinue\nbt\nfinish\n");
    ck_assert_str_eq(after(out, "bt"), "#0 inner+0x4\n#1 outer+0xc\n");
    ck_assert_msg(strstr(out, "returned to outer+0xc after 3 instructions: x0 = 0x0\n"), "%s", out);
    free(out);
}
END_TEST

START_TEST(a64_poison_watch_and_extable)
{
    if (!a64_traceable())
        return;
    const char *file = path_of(EXAMPLES_DIR, "aarch64/copy_mc_page.o");
    char *out = session(file,
                        "--sym rasim_copy_mc_page --buf dst=4096 --buf src=4096,fill=0x41 "
                        "--arg dst --arg src --profile arm64-copy-mc-v13",
                        "watch dst+0x8\ncontinue\npoison add src+0x80\ndelete\ncontinue\nlog\n"
                        "extable\n");
    ck_assert_line(out, "watchpoint 1: write 16 bytes at dst+0x0 = "
                        "0x41414141414141414141414141414141 by rasim_copy_mc_page+0x24");
    ck_assert_line(out, "  poison consumed: read at pa 0x400002080 (src+0x80)");
    ck_assert_line(out, "  exception: data abort: SEA, not on walk, read (ESR 0x96000010, FAR "
                        "0x400002080)");
    ck_assert_line(out, "  fixup rasim_copy_mc_page+0x4 -> rasim_copy_mc_page+0x5c "
                        "type=KACCESS_ERR_ZERO_MEM_ERR(5) data-sea x0=-EFAULT va=0x400002080 "
                        "pa=0x400002080 memory_failure(pfn=0x400002)");
    ck_assert_msg(strstr(out, "returned to the caller: x0 = 0xfffffffffffffff2 ("), "%s", out);
    ck_assert_msg(
        strstr(out, "fixed up via KACCESS_ERR_ZERO_MEM_ERR(5) to rasim_copy_mc_page+0x5c"), "%s",
        out);
    free(out);
}
END_TEST

START_TEST(a64_walk_and_tlb_follow_the_routine_turning_the_mmu_on)
{
    if (!a64_traceable())
        return;
    const char *file = path_of(FIXTURE_DIR, "step_a64_calls.o");
    char *out = session(file, "--sym a64_mmu_alias_read --buf b=4096,fill=0x11 --arg b",
                        "walk b\nstep 14\nwalk 0x440000010\nwalk 0x480000000\nstep 3\ntlb\n"
                        "x/1xg 0x440000008\n");
    ck_assert_str_eq(after(out, "walk b"), "translation off: pa = va (SCTLR_EL1.M = 0)\n");
    ck_assert_line(out, "  tcr_el1 = 0x500803519 (was 0x0)");
    ck_assert_str_eq(after(out, "walk 0x440000010"),
                     "TTBR0, root 0x40081000, 39-bit VAs (TCR_EL1 0x500803519)\n"
                     "level 1 entry 0x40081088 = 0x0000000400000701 block pa=0x400000000 "
                     "size=1G AttrIndx=0 AP=RW_EL1 SH=3 AF\n"
                     "pa=0x400000010 size=1G block pa=0x400000000 size=1G AttrIndx=0 AP=RW_EL1 "
                     "SH=3 AF\n");
    ck_assert_str_eq(after(out, "walk 0x480000000"),
                     "TTBR0, root 0x40081000, 39-bit VAs (TCR_EL1 0x500803519)\n"
                     "level 1 entry 0x40081090 = 0x0000000000000000 none\n"
                     "fault=translation level=1\n");
    ck_assert_line(out, "  read 8 bytes at 0x440000000 (pa 0x400000000) = 0x1111111111111111");
    char *tlb = after(out, "tlb");
    ck_assert_line(tlb, "0x0000000440000000-0x000000047fffffff -> 0x400000000 1G asid 0 global "
                        "level 1 pte 0x0000000400000701 at 0x40081088 block pa=0x400000000 "
                        "size=1G AttrIndx=0 AP=RW_EL1 SH=3 AF");
    ck_assert_int_eq(tu_count_lines(tlb), 2);
    ck_assert_line(out, "0x440000008:  0x1111111111111111");
    free(out);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("step");
    TCase *tc = tcase_create("step");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, NULL, free_owned);
    tcase_add_test(tc, step_shows_each_instruction_as_disasm_does_and_what_it_changed);
    tcase_add_test(tc, break_on_symbol_offset_then_continue_stops_there);
    tcase_add_test(tc, watch_on_a_destination_byte_stops_after_the_store);
    tcase_add_test(tc, next_runs_a_call_to_its_return);
    tcase_add_test(tc, finish_returns_to_the_caller_then_to_the_sentinel);
    tcase_add_test(tc, x_formats_read_back_the_bytes_written);
    tcase_add_test(tc, walk_and_tlb_follow_the_routine_turning_on_sv39);
    tcase_add_test(tc, mmu_checker_warnings_show_at_their_instruction);
    tcase_add_test(tc, poison_is_consumed_fixed_up_logged_and_the_backtrace_follows);
    tcase_add_test(tc, extable_near_a_load_shows_its_entry);
    tcase_add_test(tc, bad_commands_are_one_line_errors_that_end_the_batch);
    tcase_add_test(tc, the_same_batch_twice_gives_the_same_output);
    tcase_add_test(tc, api_poison_list_backtrace_and_disasm_word);
    tcase_add_test(tc, api_tlb_entries);
    tcase_add_test(tc, a64_step_next_finish_bt);
    tcase_add_test(tc, a64_poison_watch_and_extable);
    tcase_add_test(tc, a64_walk_and_tlb_follow_the_routine_turning_the_mmu_on);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
