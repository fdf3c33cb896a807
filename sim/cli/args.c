/* args.c - option values and the options shared by loading commands. */
#include "sim/cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *error_context;

void cli_error_context(const char *context)
{
    error_context = context;
}

int cli_error(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("rasim: ", stderr);
    if (error_context)
        fprintf(stderr, "%s: ", error_context);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return EXIT_BAD_INPUT;
}

bool cli_parse_u64(const char *option, const char *text, uint64_t *out)
{
    char *end;
    if (!text || !*text || *text == '-' || *text == '+' || *text == ' ')
        goto bad;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 0);
    if (errno || *end)
        goto bad;
    *out = v;
    return true;
bad:
    cli_error("%s: expected an unsigned number (decimal or 0x hex), got '%s'", option,
              text ? text : "");
    return false;
}

bool cli_parse_define(const char *text, struct rasim_define *out)
{
    const char *eq = strchr(text, '=');
    if (!eq || eq == text) {
        cli_error("--define: expected NAME=ADDR, got '%s'", text);
        return false;
    }
    char *name = strndup(text, (size_t)(eq - text));
    if (!name || !cli_parse_u64("--define", eq + 1, &out->value)) {
        free(name);
        return false;
    }
    out->name = name;
    return true;
}

const char *cli_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        cli_error("%s needs a value", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

/* Consume argv[*i] (and its value) if it is a load option; returns 1 if
 * consumed, 0 if not a load option, -1 on a bad value (already reported). */
static int cli_load_option(struct cli_load *load, int argc, char **argv, int *i)
{
    const char *arg = argv[*i], *v;
    if (!strcmp(arg, "--arch")) {
        if (!(v = cli_value(argc, argv, i)))
            return -1;
        load->arch = rasim_arch_from_name(v);
        if (load->arch == RASIM_ARCH_NONE) {
            cli_error("--arch: expected aarch64 or rv64, got '%s'", v);
            return -1;
        }
    } else if (!strcmp(arg, "--base")) {
        if (!(v = cli_value(argc, argv, i)) || !cli_parse_u64("--base", v, &load->opt.base))
            return -1;
        load->opt.base_set = true;
    } else if (!strcmp(arg, "--map")) {
        if (!(v = cli_value(argc, argv, i)))
            return -1;
        load->opt.system_map = v;
    } else if (!strcmp(arg, "--load-pa")) {
        if (!(v = cli_value(argc, argv, i)) || !cli_parse_u64("--load-pa", v, &load->opt.load_pa))
            return -1;
    } else if (!strcmp(arg, "--link-va")) {
        if (!(v = cli_value(argc, argv, i)) || !cli_parse_u64("--link-va", v, &load->opt.link_va))
            return -1;
        load->opt.link_va_set = true;
    } else if (!strcmp(arg, "--profile")) {
        if (!(v = cli_value(argc, argv, i)))
            return -1;
        load->profile = v;
    } else if (!strcmp(arg, "--define")) {
        if (!(v = cli_value(argc, argv, i)))
            return -1;
        struct rasim_define *grown = realloc(load->defines, (load->ndefines + 1) * sizeof(*grown));
        if (!grown) {
            cli_error("out of memory");
            return -1;
        }
        load->defines = grown;
        if (!cli_parse_define(v, &load->defines[load->ndefines]))
            return -1;
        load->ndefines++;
    } else {
        return 0;
    }
    return 1;
}

int cli_load_arg(struct cli_load *load, const char *command, int argc, char **argv, int *i)
{
    int used = cli_load_option(load, argc, argv, i);
    if (used)
        return used < 0 ? -1 : 0;
    const char *arg = argv[*i];
    if (arg[0] == '-' && arg[1]) {
        cli_error("%s: unknown option '%s' (see 'rasim help %s')", command, arg, command);
        return -1;
    }
    if (load->file) {
        cli_error("%s: more than one file given ('%s' and '%s')", command, load->file, arg);
        return -1;
    }
    load->file = arg;
    return 0;
}

rasim_machine *cli_load_machine(struct cli_load *load)
{
    if (!load->file) {
        cli_error("no input file given");
        return NULL;
    }
    enum rasim_arch file_arch = rasim_file_arch(load->file);
    enum rasim_arch arch = load->arch ? load->arch : file_arch;
    if (arch == RASIM_ARCH_NONE) {
        /* Let the loader say precisely what is wrong with the file. */
        arch = RASIM_ARCH_AARCH64;
        if (!load->opt.system_map) {
            rasim_machine *probe = rasim_new(arch);
            struct rasim_load_options o = load->opt;
            if (probe && rasim_load(probe, load->file, &o) < 0)
                cli_error("%s", rasim_error(probe));
            else
                cli_error("%s: cannot tell the architecture; give --arch", load->file);
            rasim_free(probe);
            return NULL;
        }
    }
    if (load->opt.system_map && !load->arch) {
        cli_error("%s: a raw image needs --arch aarch64 or --arch rv64", load->file);
        return NULL;
    }
    rasim_machine *m = rasim_new(arch);
    if (!m) {
        cli_error("cannot create a machine");
        return NULL;
    }
    if (load->profile && rasim_set_profile(m, load->profile) < 0) {
        cli_error("--profile: %s", rasim_error(m));
        rasim_free(m);
        return NULL;
    }
    load->opt.defines = load->defines;
    load->opt.ndefines = load->ndefines;
    if (rasim_load(m, load->file, &load->opt) < 0) {
        cli_error("%s", rasim_error(m));
        rasim_free(m);
        return NULL;
    }
    return m;
}

void cli_load_free(struct cli_load *load)
{
    for (size_t i = 0; i < load->ndefines; i++)
        free((char *)load->defines[i].name);
    free(load->defines);
}
