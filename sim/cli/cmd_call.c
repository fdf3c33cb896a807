/*
 * cmd_call.c - `rasim call`: run one routine on buffers and print its result.
 *
 *   rasim call FILE --sym NAME [--buf NAME=SIZE[,fill=BYTE][,file=PATH][,align=N]]...
 *              [--arg EXPR]... [--save NAME=PATH]... [--max-insns N] [--el 0|1 | --mode m|s|u]
 *              [--trace FORMAT[:PATH] [--trace-range LO-HI] [--trace-sym NAME]...]
 *
 * The set-up is call_setup.c's. Tests and scripts parse the output: on
 * success exactly `ret=0x<hex>` and `insns=<decimal>`.
 */
#include "sim/cli/call_setup.h"
#include "sim/cli/print.h"

#include <stdio.h>
#include <string.h>

/* One line per recovery the kernel model made, e.g.
 *   fixup f+0x20 -> f+0x2e type=FIXUP(1) access-fault va=0x400000064 pa=0x400000064 */
static void print_fixups(rasim_machine *m)
{
    for (size_t i = 0; i < rasim_fixup_count(m); i++)
        print_fixup(m, rasim_fixup_get(m, i));
}

/* One line per MMU checker warning (--check-mmu), after the result:
 *   mmu: break-before-make: PTE at PA 0x... changed ... at PC 0x... */
static void print_mmu_warnings(rasim_machine *m)
{
    for (size_t i = 0; i < rasim_mmu_warning_count(m); i++) {
        struct rasim_mmu_warning w;
        if (rasim_mmu_warning_get(m, i, &w) == 0)
            printf("mmu: %s\n", w.text); /* the text starts with the kind */
    }
}

int cmd_call(int argc, char **argv)
{
    struct call c;
    call_init(&c);
    rasim_machine *m = NULL;
    int rc = EXIT_BAD_INPUT;
    for (int i = 1; i < argc; i++)
        if (call_arg(&c, "call", argc, argv, &i) < 0)
            goto out;
    if (!(m = call_prepare(&c)))
        goto out;

    struct rasim_stop stop;
    rasim_run(m, c.max_insns, &stop);
    if ((rc = call_trace_stop(m, &c)) || (rc = call_save_buffers(m, &c)))
        goto out;
    size_t warnings = rasim_mmu_warning_count(m);
    if (stop.reason == RASIM_STOP_RETURNED) {
        uint64_t ret;
        rasim_get_reg(m, rasim_get_arch(m) == RASIM_ARCH_AARCH64 ? "x0" : "a0", &ret);
        printf("ret=0x%llx\ninsns=%llu\n", (unsigned long long)ret, (unsigned long long)stop.insns);
        print_fixups(m);
        print_mmu_warnings(m);
        rc = warnings ? 1 : 0;
    } else {
        char what[640];
        print_fixups(m);
        rasim_stop_describe(m, &stop, what, sizeof(what));
        printf("%s\n", what);
        uint64_t lo, hi;
        char a[96], b[96];
        if (stop.reason == RASIM_STOP_BUDGET && stop.insns &&
            rasim_loop_range(m, 1024, &lo, &hi) == 0) {
            rasim_describe(m, lo, a, sizeof(a));
            rasim_describe(m, hi, b, sizeof(b));
            printf("looping in %s..%s\n", a, b);
        }
        if (stop.reason == RASIM_STOP_OOPS && stop.backtrace[0])
            printf("backtrace: %s\n", stop.backtrace);
        print_mmu_warnings(m);
        rc = 1;
    }
out:
    rasim_free(m);
    call_free(&c);
    return rc;
}
