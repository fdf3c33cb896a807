/*
 * cmd_run_elf.c - `rasim run-elf`: run a bare-metal RISC-V test program, the
 * way riscv-tests and Spike do: from the ELF entry in M-mode until it writes
 * its verdict to `tohost` (HTIF).
 */
#include "sim/cli/cli.h"

#include <stdio.h>
#include <string.h>

int cmd_run_elf(int argc, char **argv)
{
    struct cli_load load = {0};
    uint64_t max_insns = RASIM_DEFAULT_MAX_INSNS;
    rasim_machine *m = NULL;
    int rc = EXIT_BAD_INPUT;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--max-insns")) {
            const char *v = cli_value(argc, argv, &i);
            if (!v || !cli_parse_u64("--max-insns", v, &max_insns))
                goto out;
        } else if (cli_load_arg(&load, "run-elf", argc, argv, &i) < 0) {
            goto out;
        }
    }
    if (!(m = cli_load_machine(&load)))
        goto out;
    uint64_t tohost;
    if (rasim_get_arch(m) != RASIM_ARCH_RV64) {
        cli_error("%s: run-elf runs RV64 programs that report through HTIF (tohost)", load.file);
        goto out;
    }
    if (rasim_lookup_symbol(m, "tohost", &tohost) < 0) {
        cli_error("%s: no 'tohost' symbol: run-elf needs a program that reports through HTIF",
                  load.file);
        goto out;
    }
    struct rasim_image_info info;
    rasim_image_info(m, 0, &info);
    rasim_set_reg(m, "priv", 3); /* M-mode */
    rasim_set_reg(m, "pc", info.entry);

    struct rasim_stop stop;
    rasim_run(m, max_insns, &stop);
    fflush(stdout); /* the guest's console output comes first */
    if (stop.reason == RASIM_STOP_EXIT && stop.exit_code == 0) {
        printf("pass (%llu instructions)\n", (unsigned long long)stop.insns);
        rc = 0;
    } else if (stop.reason == RASIM_STOP_EXIT) {
        printf("FAIL: test %llu (%llu instructions)\n", (unsigned long long)stop.exit_code,
               (unsigned long long)stop.insns);
        rc = 1;
    } else {
        char what[512];
        rasim_stop_describe(m, &stop, what, sizeof(what));
        printf("FAIL: %s\n", what);
        rc = 1;
    }
out:
    rasim_free(m);
    cli_load_free(&load);
    return rc;
}
