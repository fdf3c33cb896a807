/*
 * trace_opts.c - the trace options of call, run and campaign:
 *   --trace FORMAT[:PATH]   text, jsonl, tarmac (aarch64), commitlog (rv64)
 *   --trace-range LO-HI     only instructions with LO <= PC < HI (repeatable)
 *   --trace-sym NAME        only instructions inside symbol NAME (repeatable)
 *   --trace-kinds K,K...    only these event kinds
 *   --trace-window FROM-TO  only instructions FROM..TO (counted from 1)
 *   --trace-point I|LABEL   campaign: the one point whose run is traced
 */
#include "sim/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "A-B" (B may be empty when open is allowed: up to the end). */
static bool parse_pair(const char *option, const char *v, bool open, uint64_t *a, uint64_t *b)
{
    const char *dash = v[0] ? strchr(v + 1, '-') : NULL;
    if (!dash) {
        cli_error("%s: expected %s, got '%s'", option, open ? "FROM-TO" : "LO-HI", v);
        return false;
    }
    char first[64];
    size_t len = (size_t)(dash - v);
    if (len >= sizeof(first)) {
        cli_error("%s: '%s' is too long", option, v);
        return false;
    }
    memcpy(first, v, len);
    first[len] = '\0';
    if (!cli_parse_u64(option, first, a))
        return false;
    if (open && !dash[1]) {
        *b = UINT64_MAX;
        return true;
    }
    return cli_parse_u64(option, dash + 1, b);
}

static bool parse_kinds(const char *v, unsigned *kinds)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", v);
    *kinds = 0;
    char *save = NULL;
    for (char *k = strtok_r(buf, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
        if (!strcmp(k, "all")) {
            *kinds |= RASIM_EV_ALL;
            continue;
        }
        int found = -1;
        for (int i = 0; i < RASIM_EV_NKINDS && found < 0; i++)
            if (!strcmp(k, rasim_event_kind_name((enum rasim_event_kind)i)))
                found = i;
        if (found < 0) {
            cli_error("--trace-kinds: unknown kind '%s' (expected insn, reg, mem, walk, tlbi, "
                      "exception, poison, fixup or all)",
                      k);
            return false;
        }
        *kinds |= RASIM_EV_BIT(found);
    }
    if (!*kinds) {
        cli_error("--trace-kinds: expected a list such as insn,mem, got '%s'", v);
        return false;
    }
    return true;
}

int cli_trace_option(struct cli_trace *t, bool point, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (strcmp(a, "--trace") && strcmp(a, "--trace-range") && strcmp(a, "--trace-sym") &&
        strcmp(a, "--trace-kinds") && strcmp(a, "--trace-window") &&
        (!point || strcmp(a, "--trace-point")))
        return 0;
    const char *v = cli_value(argc, argv, i);
    if (!v)
        return -1;
    if (!strcmp(a, "--trace")) {
        if (t->spec)
            return cli_error("--trace: given twice ('%s' and '%s'): one trace per run", t->spec, v),
                   -1;
        t->spec = v;
    } else if (!strcmp(a, "--trace-range")) {
        uint64_t lo, hi;
        if (!parse_pair("--trace-range", v, false, &lo, &hi))
            return -1;
        if (lo >= hi)
            return cli_error("--trace-range: LO-HI needs LO < HI, got '%s'", v), -1;
        if (t->nranges == CLI_TRACE_MAX)
            return cli_error("--trace-range: at most %d", CLI_TRACE_MAX), -1;
        t->ranges[t->nranges++] = (struct rasim_trace_range){lo, hi};
    } else if (!strcmp(a, "--trace-sym")) {
        if (t->nsymbols == CLI_TRACE_MAX)
            return cli_error("--trace-sym: at most %d", CLI_TRACE_MAX), -1;
        t->symbols[t->nsymbols++] = v;
    } else if (!strcmp(a, "--trace-kinds")) {
        if (!parse_kinds(v, &t->kinds))
            return -1;
    } else if (!strcmp(a, "--trace-window")) {
        if (!parse_pair("--trace-window", v, true, &t->from, &t->to))
            return -1;
        if (t->from > t->to)
            return cli_error("--trace-window: FROM-TO needs FROM <= TO, got '%s'", v), -1;
        t->window = true;
    } else {
        t->point = v;
    }
    return 1;
}

int cli_trace_check(struct cli_trace *t)
{
    if (!t->spec) {
        const char *which = t->nranges    ? "--trace-range"
                            : t->nsymbols ? "--trace-sym"
                            : t->kinds    ? "--trace-kinds"
                            : t->window   ? "--trace-window"
                            : t->point    ? "--trace-point"
                                          : NULL;
        if (which)
            return cli_error("%s: filters a trace: give --trace FORMAT[:PATH] too", which);
        return 0;
    }
    t->filter = (struct rasim_trace_filter){
        .ranges = t->ranges,
        .nranges = t->nranges,
        .symbols = t->symbols,
        .nsymbols = t->nsymbols,
        .kinds = t->kinds,
        .window = t->window,
        .from = t->from,
        .to = t->to,
    };
    return 0;
}
