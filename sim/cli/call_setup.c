/*
 * call_setup.c - the options and the set-up of `rasim call`, shared by the
 * commands that run one routine (call_setup.h).
 *
 * Each buffer is its own RAM region followed by absent memory, so a routine
 * that overruns it takes an external abort instead of silently writing a
 * neighbour.
 */
#include "sim/cli/call_setup.h"
#include "sim/cli/print.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct call_buf *find_buf(struct call *c, const char *name, size_t len)
{
    for (size_t i = 0; i < c->nbufs; i++)
        if (strlen(c->bufs[i].name) == len && !strncmp(c->bufs[i].name, name, len))
            return &c->bufs[i];
    return NULL;
}

static bool valid_name(const char *s, size_t len)
{
    if (len == 0 || len >= 64 || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (size_t i = 0; i < len; i++)
        if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}

/* NAME=SIZE[,fill=BYTE][,file=PATH][,align=N] */
static bool parse_buf(struct call *c, const char *text)
{
    if (c->nbufs == MAX_BUFS)
        return cli_error("--buf: at most %d buffers", MAX_BUFS), false;
    const char *eq = strchr(text, '=');
    if (!eq || !valid_name(text, (size_t)(eq - text)))
        return cli_error("--buf: expected NAME=SIZE[,fill=BYTE][,file=PATH][,align=N] with NAME "
                         "an identifier, got '%s'",
                         text),
               false;
    if (find_buf(c, text, (size_t)(eq - text)))
        return cli_error("--buf: buffer '%.*s' given twice", (int)(eq - text), text), false;
    struct call_buf *b = &c->bufs[c->nbufs];
    memset(b, 0, sizeof(*b));
    memcpy(b->name, text, (size_t)(eq - text));
    b->fill = -1;
    b->align = PAGE;
    char *spec = strdup(eq + 1), *save = NULL;
    bool ok = false;
    for (char *part = strtok_r(spec, ",", &save), *first = part; part;
         part = strtok_r(NULL, ",", &save)) {
        uint64_t v;
        if (part == first) {
            if (!cli_parse_u64("--buf size", part, &b->size))
                goto out;
        } else if (!strncmp(part, "fill=", 5)) {
            if (!cli_parse_u64("--buf fill", part + 5, &v))
                goto out;
            if (v > 0xff) {
                cli_error("--buf %s: fill=%s is not a byte", b->name, part + 5);
                goto out;
            }
            b->fill = (int)v;
        } else if (!strncmp(part, "file=", 5)) {
            b->file = eq + 1 + (part + 5 - spec); /* points into argv, which outlives us */
            char *comma = strchr(b->file, ',');
            if (comma) {
                cli_error("--buf %s: put file= last (paths may not contain ',')", b->name);
                goto out;
            }
        } else if (!strncmp(part, "align=", 6)) {
            if (!cli_parse_u64("--buf align", part + 6, &v))
                goto out;
            if (v == 0 || (v & (v - 1)) || v > (1ull << 30)) {
                cli_error("--buf %s: align=%s is not a power of two up to 1 GiB", b->name,
                          part + 6);
                goto out;
            }
            b->align = v;
        } else {
            cli_error("--buf %s: unknown field '%s' (expected fill=, file=, align=)", b->name,
                      part);
            goto out;
        }
    }
    if (b->size == 0 || b->size > (1ull << 32)) {
        cli_error("--buf %s: size must be between 1 byte and 4 GiB", b->name);
        goto out;
    }
    c->nbufs++;
    ok = true;
out:
    free(spec);
    return ok;
}

static bool parse_save(struct call *c, const char *text)
{
    const char *eq = strchr(text, '=');
    struct call_buf *b = eq ? find_buf(c, text, (size_t)(eq - text)) : NULL;
    if (!eq || !eq[1])
        return cli_error("--save: expected NAME=PATH, got '%s'", text), false;
    if (!b)
        return cli_error("--save: no buffer named '%.*s' (declare it with --buf first)",
                         (int)(eq - text), text),
               false;
    b->save = eq + 1;
    return true;
}

/* Buffers in their own regions, a page of absent memory after each. */
static int place_buffers(rasim_machine *m, struct call *c)
{
    uint64_t at = BUF_ARENA;
    for (size_t i = 0; i < c->nbufs; i++) {
        struct call_buf *b = &c->bufs[i];
        b->pa = (at + b->align - 1) & ~(b->align - 1);
        if (rasim_add_region(m, b->name, b->pa, b->size, RASIM_REGION_RAM) < 0)
            return cli_error("--buf %s: %s", b->name, rasim_error(m));
        uint8_t *bytes = malloc(b->size);
        if (!bytes)
            return cli_error("--buf %s: out of memory", b->name);
        memset(bytes, b->fill < 0 ? 0 : b->fill, b->size);
        if (b->file) {
            FILE *f = fopen(b->file, "rb");
            if (!f) {
                free(bytes);
                return cli_error("--buf %s: %s: %s", b->name, b->file, strerror(errno));
            }
            size_t n = fread(bytes, 1, b->size, f);
            int extra = fgetc(f);
            fclose(f);
            if (extra != EOF) {
                free(bytes);
                return cli_error("--buf %s: %s is larger than the buffer (0x%llx bytes)", b->name,
                                 b->file, (unsigned long long)b->size);
            }
            (void)n;
        }
        int rc = rasim_write_phys(m, b->pa, bytes, b->size);
        free(bytes);
        if (rc < 0)
            return cli_error("--buf %s: %s", b->name, rasim_error(m));
        at = ((b->pa + b->size + PAGE - 1) & ~(PAGE - 1)) + PAGE;
    }
    return 0;
}

/* A number, BUF, BUF+OFF, SYMBOL or SYMBOL+OFF. Symbols of an image are run
 * where the image was placed (its load PA: the MMU is off). */
static int eval(rasim_machine *m, struct call *c, const char *option, const char *expr,
                uint64_t *out)
{
    if (expr[0] >= '0' && expr[0] <= '9')
        return cli_parse_u64(option, expr, out) ? 0 : EXIT_BAD_INPUT;
    const char *plus = strchr(expr, '+');
    size_t len = plus ? (size_t)(plus - expr) : strlen(expr);
    uint64_t off = 0, base;
    char offset[32];
    snprintf(offset, sizeof(offset), "%s offset", option);
    if (plus && !cli_parse_u64(offset, plus + 1, &off))
        return EXIT_BAD_INPUT;
    struct call_buf *b = find_buf(c, expr, len);
    if (b) {
        if (off > b->size)
            return cli_error("%s %s: offset 0x%llx is past the end of buffer '%s' (0x%llx bytes)",
                             option, expr, (unsigned long long)off, b->name,
                             (unsigned long long)b->size);
        *out = b->pa + off;
        return 0;
    }
    char name[256];
    if (len >= sizeof(name))
        return cli_error("%s: name too long: '%s'", option, expr);
    memcpy(name, expr, len);
    name[len] = 0;
    if (rasim_lookup_symbol(m, name, &base) < 0 || rasim_image_va_to_pa(m, base, &base) < 0)
        return cli_error("%s %s: no buffer or symbol named '%s'", option, expr, name);
    *out = base + off;
    return 0;
}

int call_eval(rasim_machine *m, struct call *c, const char *expr, uint64_t *out)
{
    return eval(m, c, "--arg", expr, out);
}

/*
 * --poison WHERE[:LEN][,kind=persistent|transient:N|after:N|at:N][,in=data|tag]
 *                      [,granule=byte|line|page]
 * WHERE is BUF+OFF, SYMBOL+OFF or a physical address.
 */
int call_add_poison(rasim_machine *m, struct call *c, const char *spec)
{
    char buf[512];
    snprintf(buf, sizeof(buf), "%s", spec);
    char *save = NULL, *where = strtok_r(buf, ",", &save);
    struct rasim_poison p = {.len = 1, .granule = 64, .kind = RASIM_POISON_PERSISTENT};
    if (!where)
        return cli_error("--poison: expected WHERE[:LEN][,kind=...][,in=data|tag]");
    char *colon = strchr(where, ':');
    if (colon) {
        *colon = '\0';
        if (!cli_parse_u64("--poison length", colon + 1, &p.len) || !p.len)
            return cli_error("--poison %s: the length must be at least 1", spec);
    }
    int rc = eval(m, c, "--poison", where, &p.pa);
    if (rc)
        return rc;
    for (char *f = strtok_r(NULL, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
        uint64_t n = 0;
        if (!strcmp(f, "kind=persistent")) {
            p.kind = RASIM_POISON_PERSISTENT;
        } else if (!strncmp(f, "kind=transient:", 15) || !strncmp(f, "kind=after:", 11) ||
                   !strncmp(f, "kind=at:", 8)) {
            if (!cli_parse_u64("--poison count", strchr(f, ':') + 1, &n))
                return EXIT_BAD_INPUT;
            p.kind = !strncmp(f, "kind=transient:", 15) ? RASIM_POISON_TRANSIENT
                     : !strncmp(f, "kind=after:", 11)   ? RASIM_POISON_AFTER
                                                        : RASIM_POISON_AT_INSN;
            p.count = n;
        } else if (!strcmp(f, "in=data") || !strcmp(f, "in=tag")) {
            p.tag = !strcmp(f, "in=tag");
        } else if (!strcmp(f, "granule=byte")) {
            p.granule = 1;
        } else if (!strcmp(f, "granule=line")) {
            p.granule = 64;
        } else if (!strcmp(f, "granule=page")) {
            p.granule = 4096;
        } else {
            return cli_error("--poison %s: unknown field '%s' (expected kind=persistent|"
                             "transient:N|after:N|at:N, in=data|tag, granule=byte|line|page)",
                             spec, f);
        }
    }
    if (rasim_poison(m, &p) < 0)
        return cli_error("--poison %s: %s", spec, rasim_error(m));
    return 0;
}

static int setup_cpu(rasim_machine *m, struct call *c, uint64_t entry)
{
    bool a64 = rasim_get_arch(m) == RASIM_ARCH_AARCH64;
    static const char *const a64_args[] = {"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7"};
    static const char *const rv_args[] = {"a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7"};
    if (a64 && c->mode)
        return cli_error("--mode is for rv64; aarch64 uses --el 0|1");
    if (!a64 && c->el >= 0)
        return cli_error("--el is for aarch64; rv64 uses --mode m|s|u");
    for (size_t i = 0; i < c->nargs; i++) {
        uint64_t v;
        int rc = call_eval(m, c, c->args[i], &v);
        if (rc)
            return rc;
        rasim_set_reg(m, a64 ? a64_args[i] : rv_args[i], v);
    }
    if (rasim_add_region(m, "stack", STACK_BASE, STACK_SIZE, RASIM_REGION_RAM) < 0)
        return cli_error("stack: %s", rasim_error(m));
    if (a64) {
        /* PSTATE.M: EL1h (0b0101) or EL0t (0b0000); IRQ and FIQ masked, SError
         * unmasked as in kernel code (see sim/scenario/run.c). */
        rasim_set_reg(m, "cpsr", c->el == 0 ? 0x0c0 : 0x0c5);
        rasim_set_reg(m, "sp", STACK_BASE + STACK_SIZE);
        rasim_set_reg(m, "lr", CALL_SENTINEL);
    } else {
        rasim_set_reg(m, "priv", c->mode == 'm' ? 3 : c->mode == 'u' ? 0 : 1);
        rasim_set_reg(m, "sp", STACK_BASE + STACK_SIZE);
        rasim_set_reg(m, "ra", CALL_SENTINEL);
    }
    rasim_set_reg(m, "pc", entry);
    rasim_set_return_sentinel(m, CALL_SENTINEL);
    return 0;
}

int call_save_buffers(rasim_machine *m, struct call *c)
{
    for (size_t i = 0; i < c->nbufs; i++) {
        struct call_buf *b = &c->bufs[i];
        if (!b->save)
            continue;
        uint8_t *bytes = malloc(b->size);
        if (!bytes || rasim_read_phys(m, b->pa, bytes, b->size) < 0) {
            free(bytes);
            return cli_error("--save %s: cannot read the buffer", b->name);
        }
        FILE *f = fopen(b->save, "wb");
        size_t n = f ? fwrite(bytes, 1, b->size, f) : 0;
        if (f && fclose(f) != 0)
            n = 0;
        free(bytes);
        if (n != b->size)
            return cli_error("--save %s: cannot write %s: %s", b->name, b->save, strerror(errno));
    }
    return 0;
}

void call_init(struct call *c)
{
    memset(c, 0, sizeof(*c));
    c->max_insns = RASIM_DEFAULT_MAX_INSNS;
    c->el = -1;
}

/* Consume argv[*i] (and its value) if it is one of call's own options: 1
 * if consumed, 0 if not one, -1 for a bad value (already reported). */
static int call_option(struct call *c, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (!strcmp(a, "--check-mmu")) {
        c->check_mmu = true;
        return 1;
    }
    if (!strcmp(a, "--feat-ras")) {
        c->feat_ras = true;
        return 1;
    }
    bool takes_value = !strcmp(a, "--sym") || !strcmp(a, "--buf") || !strcmp(a, "--arg") ||
                       !strcmp(a, "--save") || !strcmp(a, "--max-insns") || !strcmp(a, "--el") ||
                       !strcmp(a, "--mode") || !strcmp(a, "--poison") ||
                       !strcmp(a, "--store-policy");
    if (!takes_value)
        return 0;
    const char *v = cli_value(argc, argv, i);
    if (!v)
        return -1;
    if (!strcmp(a, "--sym")) {
        c->sym = v;
    } else if (!strcmp(a, "--buf")) {
        if (!parse_buf(c, v))
            return -1;
    } else if (!strcmp(a, "--arg")) {
        if (c->nargs == MAX_ARGS)
            return cli_error("--arg: at most %d arguments are passed in registers", MAX_ARGS), -1;
        c->args[c->nargs++] = v;
    } else if (!strcmp(a, "--save")) {
        if (!parse_save(c, v))
            return -1;
    } else if (!strcmp(a, "--poison")) {
        if (c->npoison == MAX_POISON)
            return cli_error("--poison: at most %d", MAX_POISON), -1;
        c->poison[c->npoison++] = v;
    } else if (!strcmp(a, "--store-policy")) {
        if (strcmp(v, "clear") && strcmp(v, "keep") && strcmp(v, "async"))
            return cli_error("--store-policy: expected clear, keep or async, got '%s'", v), -1;
        c->store_policy = v;
    } else if (!strcmp(a, "--max-insns")) {
        if (!cli_parse_u64("--max-insns", v, &c->max_insns))
            return -1;
    } else if (!strcmp(a, "--el")) {
        if (strcmp(v, "0") && strcmp(v, "1"))
            return cli_error("--el: expected 0 or 1, got '%s'", v), -1;
        c->el = v[0] - '0';
    } else if (!strcmp(a, "--mode")) {
        if (strcmp(v, "m") && strcmp(v, "s") && strcmp(v, "u"))
            return cli_error("--mode: expected m, s or u, got '%s'", v), -1;
        c->mode = v[0];
    }
    return 1;
}

int call_arg(struct call *c, const char *command, int argc, char **argv, int *i)
{
    int used = cli_trace_option(&c->trace, false, argc, argv, i);
    if (!used)
        used = call_option(c, argc, argv, i);
    if (used)
        return used < 0 ? -1 : 0;
    return cli_load_arg(&c->load, command, argc, argv, i);
}

rasim_machine *call_prepare(struct call *c)
{
    if (!c->sym) {
        cli_error("--sym NAME is required");
        return NULL;
    }
    if (cli_trace_check(&c->trace))
        return NULL;
    rasim_machine *m = cli_load_machine(&c->load);
    if (!m)
        return NULL;
    uint64_t entry;
    if (rasim_lookup_symbol(m, c->sym, &entry) < 0 || rasim_image_va_to_pa(m, entry, &entry) < 0) {
        cli_error("--sym: %s", rasim_error(m));
        goto fail;
    }
    if (place_buffers(m, c) || setup_cpu(m, c, entry))
        goto fail;
    for (size_t i = 0; i < c->npoison; i++)
        if (call_add_poison(m, c, c->poison[i]))
            goto fail;
    if (c->check_mmu && rasim_set_mmu_check(m, true) < 0) {
        cli_error("--check-mmu: %s", rasim_error(m));
        goto fail;
    }
    if (c->feat_ras && rasim_set_feat_ras(m, true) < 0) {
        cli_error("--feat-ras: %s", rasim_error(m));
        goto fail;
    }
    if (c->store_policy &&
        rasim_set_store_policy(m, c->store_policy[0] == 'k'   ? RASIM_STORE_KEEP
                                  : c->store_policy[0] == 'a' ? RASIM_STORE_ASYNC
                                                              : RASIM_STORE_CLEAR_FULL_LINE) < 0) {
        cli_error("--store-policy: %s", rasim_error(m));
        goto fail;
    }
    if (c->trace.spec && rasim_trace_start(m, c->trace.spec, &c->trace.filter) < 0) {
        cli_error("%s", rasim_error(m));
        goto fail;
    }
    return m;
fail:
    rasim_free(m);
    return NULL;
}

int call_trace_stop(rasim_machine *m, struct call *c)
{
    if (c->trace.spec && rasim_trace_stop(m) < 0)
        return cli_error("%s", rasim_error(m));
    return 0;
}

void call_free(struct call *c)
{
    cli_load_free(&c->load);
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

int call_report(rasim_machine *m, const struct rasim_stop *stop)
{
    size_t warnings = rasim_mmu_warning_count(m);
    if (stop->reason == RASIM_STOP_RETURNED) {
        uint64_t ret;
        rasim_get_reg(m, rasim_get_arch(m) == RASIM_ARCH_AARCH64 ? "x0" : "a0", &ret);
        printf("ret=0x%llx\ninsns=%llu\n", (unsigned long long)ret,
               (unsigned long long)stop->insns);
        for (size_t i = 0; i < rasim_fixup_count(m); i++)
            print_fixup(m, rasim_fixup_get(m, i));
        print_mmu_warnings(m);
        return warnings ? 1 : 0;
    }
    char what[640];
    for (size_t i = 0; i < rasim_fixup_count(m); i++)
        print_fixup(m, rasim_fixup_get(m, i));
    rasim_stop_describe(m, stop, what, sizeof(what));
    printf("%s\n", what);
    uint64_t lo, hi;
    char a[96], b[96];
    if (stop->reason == RASIM_STOP_BUDGET && stop->insns &&
        rasim_loop_range(m, 1024, &lo, &hi) == 0) {
        rasim_describe(m, lo, a, sizeof(a));
        rasim_describe(m, hi, b, sizeof(b));
        printf("looping in %s..%s\n", a, b);
    }
    if (stop->reason == RASIM_STOP_OOPS && stop->backtrace[0])
        printf("backtrace: %s\n", stop->backtrace);
    print_mmu_warnings(m);
    return 1;
}
