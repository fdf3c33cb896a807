/*
 * main.c - the rasim command: dispatch, help and version.
 */
#include "sim/cli/cli.h"

#include <stdio.h>
#include <string.h>

#define LOAD_OPTIONS                                                                               \
    "  --arch aarch64|rv64     architecture (default: from the ELF header)\n"                      \
    "  --base ADDR             where to place a relocatable object or ET_DYN file\n"               \
    "  --define NAME=ADDR      value for an undefined symbol (repeatable)\n"                       \
    "  --map System.map        FILE is a raw image; symbols from this map\n"                       \
    "  --load-pa ADDR          raw image: physical load address\n"                                 \
    "  --link-va ADDR          raw image: virtual address it was linked at\n"                      \
    "  --profile NAME|PATH     kernel profile: linux-6.1, linux-6.12 (default),\n"                 \
    "                          arm64-copy-mc-v8, arm64-copy-mc-v13, riscv-copy-mc,\n"              \
    "                          a profile file, or none\n"

#define TRACE_OPTIONS                                                                              \
    "  --trace FORMAT[:PATH]   write the run's events as text, jsonl, tarmac (aarch64)\n"          \
    "                          or commitlog (rv64), to PATH or stdout (docs/traces.md)\n"          \
    "  --trace-range LO-HI     only instructions with LO <= PC < HI (repeatable)\n"                \
    "  --trace-sym NAME        only instructions inside symbol NAME (repeatable)\n"                \
    "  --trace-kinds K[,K]...  only these events: insn, reg, mem, walk, tlbi,\n"                   \
    "                          exception, poison, fixup (default all)\n"                           \
    "  --trace-window FROM-TO  only instructions FROM..TO, counted from 1 (FROM-: to\n"            \
    "                          the end)\n"

static const struct cli_command commands[] = {
    {"info", "show a file's placed sections, symbols and exception table",
     "usage: rasim info FILE [options] [--json]\n"
     "\n"
     "Loads FILE as the simulator would (relocations applied, sections placed)\n"
     "and prints one line per section, symbol and __ex_table entry:\n"
     "  extable <insn-sym>+0x<off> -> <fixup-sym>+0x<off> type=<NAME>(<n>) err=<reg> zero=<reg>\n"
     "Type names and data-field meanings come from the kernel profile.\n"
     "\n"
     "options:\n" LOAD_OPTIONS "  --json                  the same data as one JSON object\n",
     cmd_info},
    {"disasm", "disassemble routines with symbol+offset and their __ex_table entries",
     "usage: rasim disasm FILE [--sym NAME]... [options]\n"
     "\n"
     "Loads FILE as `rasim call` would and prints each instruction of the named\n"
     "routines (every function of FILE when no --sym is given):\n"
     "  <va>  <sym>+0x<off>  <encoding>  <instruction>\n"
     "An instruction the exception table covers ends with\n"
     "  // extable -> <fixup-sym>+0x<off> <TYPE>(<n>) err=<reg> zero=<reg>\n"
     "(type names and fields per the kernel profile), and one outside the\n"
     "interpreted subset with `not in the interpreted subset`. A symbol without\n"
     "a size runs to the next symbol or the end of its section.\n"
     "\n"
     "options:\n"
     "  --sym NAME              a routine to disassemble (repeatable)\n" LOAD_OPTIONS,
     cmd_disasm},
    {"call", "run one routine on buffers and print its return value",
     "usage: rasim call FILE --sym NAME [options]\n"
     "\n"
     "Loads FILE, creates the buffers, passes the arguments in ABI order\n"
     "(AAPCS64 x0..x7, RISC-V a0..a7), sets the return address to a sentinel and a\n"
     "stack, runs NAME (EL1 / S-mode by default, MMU off) until it returns, and\n"
     "prints exactly two lines:\n"
     "  ret=0x<hex>\n"
     "  insns=<decimal>\n"
     "If the run stops otherwise it prints the stop (undefined instruction, abort,\n"
     "budget exhausted ...) with the PC as symbol+offset, and exits 1.\n"
     "\n"
     "options:\n"
     "  --sym NAME              the routine to call\n"
     "  --buf NAME=SIZE[,fill=BYTE][,file=PATH][,align=N]\n"
     "                          a buffer in its own RAM region followed by absent\n"
     "                          memory (so an overrun aborts); 4 KiB aligned unless\n"
     "                          align= says otherwise; zero-filled unless fill= or\n"
     "                          file= (file= last) (repeatable)\n"
     "  --arg EXPR              next argument: a number, BUF, BUF+OFF, SYMBOL or\n"
     "                          SYMBOL+OFF (repeatable, at most 8)\n"
     "  --save NAME=PATH        write buffer NAME's bytes to PATH after the run\n"
     "  --max-insns N           instruction budget (default 100000000)\n"
     "  --el 0|1                aarch64: exception level to run at (default 1)\n"
     "  --mode m|s|u            rv64: privilege mode to run in (default s)\n"
     "  --poison WHERE[:LEN][,kind=persistent|transient:N|after:N|at:N][,in=data|tag]\n"
     "                 [,granule=byte|line|page]\n"
     "                          poison memory: WHERE is BUF+OFF, SYMBOL+OFF or a\n"
     "                          physical address; a cache line by default (repeatable)\n"
     "  --store-policy clear|keep|async\n"
     "                          what a store to poison does (default clear: a line\n"
     "                          is clean once all of it is rewritten)\n"
     "  --check-mmu             the MMU checker watches the run: one `mmu:` line per\n"
     "                          break-before-make, contiguous or stale-TLB warning,\n"
     "                          and exit 1 if there is any\n"
     "  --feat-ras              aarch64: model FEAT_RAS: the error record registers\n"
     "                          (ERRSELR_EL1, ERXSTATUS_EL1, ERXADDR_EL1 ...) exist\n"
     "                          and hold the latest poison consumed; SEAs carry\n"
     "                          ESR.SET = UER (default: off, the registers UNDEFINED)\n"
     "\n"
     "A kernel-mode exception is handled as the --profile kernel would: recovered\n"
     "through __ex_table (one `fixup` line each, after ret= and insns=) or an oops\n"
     "(`oops: ...`, a backtrace, exit 1). --profile none reports it as it is.\n\n" LOAD_OPTIONS "\n"
     "With --trace the events of the run come first (on stdout, or in PATH), then\n"
     "the lines above, unchanged.\n" TRACE_OPTIONS,
     cmd_call},
    {"step", "step through one routine: breakpoints, watchpoints, registers, memory",
     "usage: rasim step FILE --sym NAME [rasim call options] [--batch CMDFILE]\n"
     "\n"
     "Sets the routine up exactly as `rasim call` does (the same options: --buf,\n"
     "--arg, --poison, --max-insns, --el/--mode, --profile ...) and reads commands:\n"
     "with line editing and history (~/.rasim_history) when stdin is a terminal,\n"
     "else from CMDFILE or stdin, each echoed after \"(rasim) \". In batch mode a bad\n"
     "command is a one-line error naming it, and ends the session with exit 2.\n"
     "Addresses are numbers, $REG, BUF+OFF, SYMBOL+OFF; pa:ADDR is physical.\n"
     "\n"
     "commands (short forms in parentheses):\n"
     "  step [N] (s)            run N instructions, each as <sym+off> <encoding> <text>\n"
     "                          then the registers and memory it changed, and any\n"
     "                          exception, poison consumed or fixup\n"
     "  next (n)                like step, but a call (bl/blr, jal/jalr ra) runs until\n"
     "                          it returns; shows what the call changed\n"
     "  finish                  run until the current routine returns\n"
     "  continue (c)            run to a breakpoint, watchpoint, the return, an oops\n"
     "                          or the budget\n"
     "  break WHERE (b)         WHERE: SYMBOL, SYMBOL+OFF or an address\n"
     "  watch ADDR|pa:ADDR [LEN] [r|w|rw]\n"
     "                          stop after an access (default 1 byte, writes)\n"
     "  delete [N] (d)          delete one, or all; info breakpoints: list them\n"
     "  regs, sysregs           general registers; system registers / CSRs\n"
     "  x/FMT ADDR              memory as gdb shows it: x/16xb, x/4xg, x/8i\n"
     "                          (formats x d u c i, sizes b h w g)\n"
     "  disas [SYMBOL|ADDR] [N] instructions around PC, with extable entries\n"
     "  walk VA [read|write|fetch]\n"
     "                          translate VA in the current regime (satp / TTBRn)\n"
     "  tlb                     the TLB's entries\n"
     "  poison list|add SPEC|clear\n"
     "                          SPEC as --poison takes it\n"
     "  extable                 the __ex_table entries nearest PC\n"
     "  log                     the error log; bt: backtrace by frame pointers\n"
     "  help, quit (q)\n"
     "\n"
     "options:\n"
     "  --batch CMDFILE         read commands from CMDFILE\n"
     "  (and every option of `rasim help call`)\n",
     cmd_step},
    {"gdb", "debug one routine with gdb: a GDB remote-protocol server",
     "usage: rasim gdb FILE --port N --sym NAME [rasim call options]\n"
     "\n"
     "Sets the routine up exactly as `rasim call` does (buffers, arguments, stack,\n"
     "poison, profile), listens on 127.0.0.1:N (0: a free port), prints on stderr\n"
     "  rasim: symbols for gdb: add-symbol-file FILE -s .text 0x... ...\n"
     "  listening on 127.0.0.1:PORT\n"
     "and serves one gdb connection, stopped before the routine's first\n"
     "instruction:\n"
     "  gdb-multiarch -ex 'target remote 127.0.0.1:PORT' -ex 'add-symbol-file ...'\n"
     "Registers (with the system registers / CSRs and priv), memory by virtual\n"
     "address through the current page tables, stepi, continue, ^C, break, watch,\n"
     "rwatch, awatch, detach and kill work as usual. A poison consumption stops\n"
     "with SIGBUS at the instruction, before the kernel model acts (continue lets\n"
     "it: fixup or oops; `signal 0` drops it); other faults stop with SIGSEGV\n"
     "(SIGILL, SIGTRAP for undefined and breakpoint instructions). The return\n"
     "ends the program with its value's low byte as the exit code (the whole\n"
     "value is printed on gdb's console). After the session it prints what\n"
     "`rasim call` prints (or `killed from gdb at ...`) and exits 0. `rasim run\n"
     "SCENARIO --gdb PORT` serves a scenario's run the same way. See\n"
     "docs/running.md, \"Debugging with gdb\".\n"
     "\n"
     "options:\n"
     "  --port N                TCP port on 127.0.0.1 to listen on (0: any free one)\n"
     "  and every option of `rasim call` (see 'rasim help call')\n",
     cmd_gdb},
    {"run-elf", "run a bare-metal RV64 test program that reports through HTIF",
     "usage: rasim run-elf FILE [--max-insns N]\n"
     "\n"
     "Runs FILE (an RV64 ELF defining `tohost`, as riscv-tests programs do) from its\n"
     "entry in M-mode. A store of 1 to tohost is a pass (exit 0); (n << 1) | 1 is a\n"
     "failure of test n (exit 1); device 1 command 1 prints a character. Any other\n"
     "end of the run (an exception with no trap vector, the budget) is a failure.\n"
     "\n"
     "options:\n"
     "  --max-insns N           instruction budget (default 100000000)\n"
     "  --base ADDR             where to place a relocatable object\n"
     "  --define NAME=ADDR      value for an undefined symbol (repeatable)\n",
     cmd_run_elf},
    {"pt", "inspect page tables in memory images: walk one VA, dump, diff two trees",
     "usage: rasim pt walk|dump|diff --arch aarch64|rv64 --mem PATH@PA... --root PA [options] "
     "[VA]\n"
     "\n"
     "  walk VA   one line per entry read (level, entry PA, raw value, decoded), then\n"
     "            pa=0x<hex> size=<size> <attributes>, or fault=<kind> level=<n>\n"
     "  dump      every mapped range (contiguous/NAPOT runs and blocks coalesced) and\n"
     "            every non-present entry that is not empty (swap entries decoded)\n"
     "  diff      --root twice (before, after): what changed, range by range, e.g. a\n"
     "            linear map and its trans_pgd copy\n"
     "\n"
     "options:\n"
     "  --mem PATH@PA           the bytes of PATH become RAM at PA (repeatable)\n"
     "  --root PA               arm64 TTBR0 table / rv64 satp root table\n"
     "  --root1 PA              arm64 TTBR1 table (the high half)\n"
     "  --va-bits 39|48         arm64 VA size (default 48)\n"
     "  --mode sv39|sv48|sv57   rv64 translation mode (default sv39)\n"
     "  --layout linux-6.1|linux-6.12\n"
     "                          how the kernel encodes non-present entries (default 6.12)\n"
     "  --access read|write|fetch\n"
     "                          walk: the access to check, as EL1 / S-mode (default read)\n",
     cmd_pt},
    {"run", "run a scenario file once and check its expectations",
     "usage: rasim run SCENARIO.yaml [--search DIR]... [--gdb PORT] [--trace FORMAT[:PATH] ...]\n"
     "\n"
     "Builds the machine the scenario describes (docs/scenarios.md), injects its\n"
     "poison, calls its routine, classifies the run (recovered, wrong-residue,\n"
     "silent, oops, not-consumed, hang) and checks each expectation, printing\n"
     "expected and actual values for any that fails. Exit 0 when all hold, 1 when\n"
     "one fails (or gdb killed the run), 2 for a bad scenario (file:line:column:\n"
     "what was expected).\n"
     "\n"
     "options:\n"
     "  --search DIR, -I DIR    also look for the scenario's images here\n"
     "  --gdb PORT              serve the run to one gdb on 127.0.0.1:PORT (0: a free\n"
     "                          port), as `rasim gdb` does; it is judged once gdb\n"
     "                          detaches or the run ends (see 'rasim help gdb')\n" TRACE_OPTIONS,
     cmd_run},
    {"campaign", "sweep poison over a scenario's buffers and classify every run",
     "usage: rasim campaign SCENARIO.yaml [--search DIR]... [--json PATH] [--junit PATH]\n"
     "                      [--svg PATH] [--shard K/N] [--quiet]\n"
     "                      [--trace FORMAT[:PATH] --trace-point INDEX|LABEL ...]\n"
     "\n"
     "Runs the scenario once per injection point its campaign declares (each\n"
     "cache line of a buffer, in data or tag storage, or N random points), every\n"
     "run from the same snapshot, and classifies each run. Prints a table of the\n"
     "outcomes with the first example of each. Exit 0 when every outcome is one\n"
     "the scenario accepts, 1 otherwise, 2 for bad input.\n"
     "\n"
     "options:\n"
     "  --json PATH             one record per run and a summary (docs/campaigns.md)\n"
     "  --junit PATH            a testcase per point, failing for unaccepted outcomes\n"
     "  --svg PATH              a heat map of the swept buffers by outcome\n"
     "  --shard K/N             run only points i with i % N == K-1 (merge the JSON\n"
     "                          with 'rasim report merge')\n"
     "  --quiet                 no table, no progress bar\n"
     "  --search DIR, -I DIR    also look for the scenario's images here\n"
     "  --trace-point INDEX|LABEL\n"
     "                          run only this point (its index, or its label such as\n"
     "                          src+0x40), traced: --trace needs it, since tracing\n"
     "                          every run of a campaign is refused\n" TRACE_OPTIONS,
     cmd_campaign},
    {"report", "merge the JSON of campaign shards",
     "usage: rasim report merge A.json B.json... [-o OUT.json] [--junit PATH] [--svg PATH]\n"
     "\n"
     "Joins shard reports of one scenario into one, prints the table, and writes\n"
     "the merged JSON, JUnit and SVG. Exit 0 when every outcome is accepted.\n",
     cmd_report},
};

#define NCOMMANDS (sizeof(commands) / sizeof(*commands))

static void usage(FILE *out)
{
    fprintf(out, "usage: rasim COMMAND [options]\n"
                 "\n"
                 "rasim runs AArch64 and RV64 kernel routines on a modelled CPU, MMU and\n"
                 "memory, injects hardware memory errors, and models the kernel's\n"
                 "exception-table recovery.\n"
                 "\n"
                 "commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "  %-10s %s\n", "help", "help COMMAND: options of one command");
    fprintf(out, "\n  rasim --version    print the version\n"
                 "\nExit status: 0 success, 1 the run or a check failed, 2 bad input.\n");
}

static const struct cli_command *find(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_BAD_INPUT;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("rasim %s\n", RASIM_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "help")) {
        if (argc < 3) {
            usage(stdout);
            return 0;
        }
        const struct cli_command *c = find(argv[2]);
        if (!c)
            return cli_error("help: unknown command '%s' (see 'rasim --help')", argv[2]);
        fputs(c->usage, stdout);
        return 0;
    }
    const struct cli_command *c = find(cmd);
    if (!c)
        return cli_error("unknown command '%s' (see 'rasim --help')", cmd);
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(c->usage, stdout);
            return 0;
        }
    return c->run(argc - 1, argv + 1);
}
