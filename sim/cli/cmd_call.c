/*
 * cmd_call.c - `rasim call`: run one routine on buffers and print its result.
 *
 *   rasim call FILE --sym NAME [--buf NAME=SIZE[,fill=BYTE][,file=PATH][,align=N]]...
 *              [--arg EXPR]... [--save NAME=PATH]... [--max-insns N] [--el 0|1 | --mode m|s|u]
 *              [--trace FORMAT[:PATH] [--trace-range LO-HI] [--trace-sym NAME]...]
 *
 * The set-up and the report are call_setup.c's. Tests and scripts parse the
 * output: on success exactly `ret=0x<hex>` and `insns=<decimal>`.
 */
#include "sim/cli/call_setup.h"

#include <string.h>

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
    rc = call_report(m, &stop);
out:
    rasim_free(m);
    call_free(&c);
    return rc;
}
