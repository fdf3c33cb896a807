/*
 * step_show.c - what the stepper shows without running: registers, memory,
 * disassembly, a translation, the TLB, poison, the extable, the error log
 * and the backtrace (step.h). Instructions, extable entries and walks are
 * printed as `rasim disasm` and `rasim pt walk` print them (print.h).
 */
#include "sim/cli/step.h"
#include "sim/cli/print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int no_arguments(int argc)
{
    return argc > 1 ? cli_error("takes no arguments") : 0;
}

/* ---- registers ------------------------------------------------------------- */

static void print_reg(struct stepper *s, const char *name, uint64_t v, bool annotate)
{
    printf("%-14s 0x%016llx", name, (unsigned long long)v);
    if (annotate) {
        char where[256];
        step_describe(s, v, where, sizeof(where));
        if (v == CALL_SENTINEL)
            printf("  <return sentinel>");
        else if (strncmp(where, "0x", 2))
            printf("  <%s>", where);
    }
    putchar('\n');
}

int step_cmd_regs(struct stepper *s, int argc, char **argv)
{
    if (no_arguments(argc))
        return EXIT_BAD_INPUT;
    /* arm64 x0..x30, rv64 ra..t6 (x0 is zero), then sp, pc and the flags. */
    for (unsigned n = s->a64 ? 0 : 1; n < (s->a64 ? 31u : 32u); n++) {
        const char *name = rasim_gpr_name(s->m, n);
        print_reg(s, name, step_reg(s, name), true);
    }
    static const char *const a64_rest[] = {"sp", "pc", "nzcv"};
    static const char *const rv_rest[] = {"pc"};
    const char *const *rest = s->a64 ? a64_rest : rv_rest;
    size_t nrest = s->a64 ? 3 : 1;
    for (size_t i = 0; i < nrest; i++)
        print_reg(s, rest[i], step_reg(s, rest[i]), strcmp(rest[i], "nzcv") != 0);
    return 0;
}

/* The names isa/aarch64/regs.c and isa/rv64/regs.c give their system
 * registers; any the machine does not have is left out (the error record
 * without FEAT_RAS). */
static const char *const a64_sysregs[] = {
    "cpsr",         "currentel",   "daif",        "pan",           "sp_el0",         "sp_el1",
    "sctlr_el1",    "tcr_el1",     "ttbr0_el1",   "ttbr1_el1",     "mair_el1",       "vbar_el1",
    "esr_el1",      "far_el1",     "elr_el1",     "spsr_el1",      "contextidr_el1", "tpidr_el0",
    "tpidr_el1",    "tpidrro_el0", "midr_el1",    "mpidr_el1",     "ctr_el0",        "dczid_el0",
    "gmid_el1",     "gcr_el1",     "rgsr_el1",    "tfsr_el1",      "tfsre0_el1",     "erridr_el1",
    "errselr_el1",  "erxfr_el1",   "erxctlr_el1", "erxstatus_el1", "erxaddr_el1",    "erxmisc0_el1",
    "erxmisc1_el1",
};
static const char *const rv_sysregs[] = {
    "priv",       "sstatus",  "stvec",   "sscratch", "sepc",    "scause",     "stval",   "satp",
    "scounteren", "senvcfg",  "mstatus", "misa",     "medeleg", "mideleg",    "mie",     "mip",
    "mtvec",      "mscratch", "mepc",    "mcause",   "mtval",   "mcounteren", "menvcfg",
};

int step_cmd_sysregs(struct stepper *s, int argc, char **argv)
{
    if (no_arguments(argc))
        return EXIT_BAD_INPUT;
    const char *const *names = s->a64 ? a64_sysregs : rv_sysregs;
    size_t n = s->a64 ? sizeof(a64_sysregs) / sizeof(*a64_sysregs)
                      : sizeof(rv_sysregs) / sizeof(*rv_sysregs);
    for (size_t i = 0; i < n; i++) {
        uint64_t v;
        if (rasim_get_reg(s->m, names[i], &v) == 0)
            print_reg(s, names[i], v, false);
    }
    return 0;
}

/* ---- memory ---------------------------------------------------------------- */

/* ADDR or pa:ADDR */
static int eval_where(struct stepper *s, const char *text, uint64_t *addr, bool *physical)
{
    *physical = !strncmp(text, "pa:", 3);
    return step_eval(s, *physical ? text + 3 : text, addr);
}

static int print_insns(struct stepper *s, uint64_t addr, bool physical, uint64_t count,
                       uint64_t end)
{
    uint64_t pc = step_reg(s, "pc");
    for (uint64_t i = 0; i < count && addr < end; i++) {
        struct rasim_insn_text t;
        char err[256];
        if (step_insn_at(s, addr, physical, &t, err, sizeof(err)) < 0)
            return cli_error("0x%llx: %s", (unsigned long long)addr, err);
        print_disasm_line(s->m, &t, !physical && addr == pc ? "=> " : "   ");
        putchar('\n');
        addr += t.size;
    }
    return 0;
}

/* x/FMT: [count][format][size], as gdb reads it. */
int step_cmd_x(struct stepper *s, int argc, char **argv)
{
    const char *f = strchr(argv[0], '/');
    uint64_t count = 1;
    char format = 'x', size = 'w';
    if (f) {
        char *end;
        f++;
        if (*f >= '0' && *f <= '9') {
            count = strtoull(f, &end, 10);
            if (!count || count > 4096)
                return cli_error("the count must be 1 to 4096");
            f = end;
        }
        for (; *f; f++) {
            if (strchr("xduci", *f))
                format = *f;
            else if (strchr("bhwg", *f))
                size = *f;
            else
                return cli_error("unknown letter '%c' (formats x d u c i, sizes b h w g)", *f);
        }
    }
    if (argc != 2)
        return cli_error("expected x/FMT ADDR (for example x/16xb dst, x/4xg $sp, x/8i $pc)");
    uint64_t addr;
    bool physical;
    if (eval_where(s, argv[1], &addr, &physical))
        return EXIT_BAD_INPUT;
    if (format == 'i')
        return print_insns(s, addr, physical, count, UINT64_MAX);
    if (format == 'c')
        size = 'b';
    unsigned bytes = size == 'b' ? 1 : size == 'h' ? 2 : size == 'w' ? 4 : 8;
    unsigned per_line = size == 'g' ? 2 : size == 'w' ? 4 : 8;
    uint8_t *data = malloc(count * bytes);
    char err[256];
    if (!data)
        return cli_error("out of memory");
    if (step_read(s, addr, physical, data, count * bytes, err, sizeof(err)) < 0) {
        free(data);
        return cli_error("%s", err);
    }
    for (uint64_t i = 0; i < count; i++) {
        uint64_t at = addr + i * bytes, v = 0;
        if (i % per_line == 0) {
            char where[256];
            if (physical)
                snprintf(where, sizeof(where), "pa:0x%llx", (unsigned long long)at);
            else
                step_describe(s, at, where, sizeof(where));
            printf("%s%s:", i ? "\n" : "", where);
        }
        for (unsigned b = 0; b < bytes; b++)
            v |= (uint64_t)data[i * bytes + b] << (8 * b);
        unsigned shift = 64 - 8 * bytes;
        switch (format) {
        case 'x': printf("  0x%0*llx", (int)bytes * 2, (unsigned long long)v); break;
        case 'u': printf("  %llu", (unsigned long long)v); break;
        case 'd': printf("  %lld", (long long)((int64_t)(v << shift) >> shift)); break;
        case 'c':
            if (v >= 0x20 && v < 0x7f && v != '\'' && v != '\\')
                printf("  '%c'", (char)v);
            else
                printf("  '\\x%02llx'", (unsigned long long)v);
            break;
        }
    }
    putchar('\n');
    free(data);
    return 0;
}

/* ---- disassembly ------------------------------------------------------------- */

/* A symbol's size, searching every image (0 when it has none). */
static uint64_t symbol_size(struct stepper *s, const char *name)
{
    for (size_t img = 0; img < rasim_image_count(s->m); img++) {
        struct rasim_image_info info;
        rasim_image_info(s->m, img, &info);
        for (size_t i = 0; i < info.nsymbols; i++) {
            struct rasim_symbol sym;
            if (rasim_image_symbol(s->m, img, i, &sym) == 0 && !strcmp(sym.name, name))
                return sym.size;
        }
    }
    return 0;
}

/* The start of the routine holding pc, from its symbol+offset. */
static uint64_t routine_start(struct stepper *s, uint64_t pc)
{
    char where[256];
    rasim_describe(s->m, pc, where, sizeof(where));
    const char *plus = strrchr(where, '+');
    unsigned long long off;
    if (strncmp(where, "0x", 2) && plus && sscanf(plus + 1, "%llx", &off) == 1 && off <= pc)
        return pc - off;
    return pc;
}

#define DISAS_BEFORE 4
#define DISAS_AFTER  6

int step_cmd_disas(struct stepper *s, int argc, char **argv)
{
    if (argc > 3)
        return cli_error("expected disas [SYMBOL|ADDR] [N]");
    uint64_t count = DISAS_AFTER, addr, end = UINT64_MAX;
    if (argc == 3 && step_count("a number of instructions", argv[2], &count))
        return EXIT_BAD_INPUT;
    if (argc >= 2) {
        if (step_eval(s, argv[1], &addr))
            return EXIT_BAD_INPUT;
        uint64_t size = strpbrk(argv[1], "+$") ? 0 : symbol_size(s, argv[1]);
        if (argc == 2 && size) { /* a whole routine */
            count = 4096;
            end = addr + size;
        } else if (argc == 2) {
            count = DISAS_BEFORE + DISAS_AFTER;
        }
        return print_insns(s, addr, false, count, end);
    }
    /* Around PC: decode from the routine's start (instructions may be 2 or
     * 4 bytes) and keep the last few before PC. */
    uint64_t pc = step_reg(s, "pc"), before[DISAS_BEFORE], n = 0;
    char err[256];
    addr = routine_start(s, pc);
    while (addr < pc) {
        struct rasim_insn_text t;
        if (step_insn_at(s, addr, false, &t, err, sizeof(err)) < 0)
            break;
        before[n++ % DISAS_BEFORE] = addr;
        addr += t.size;
    }
    uint64_t first = pc;
    if (addr == pc && n)
        first = n < DISAS_BEFORE ? before[0] : before[n % DISAS_BEFORE];
    uint64_t shown = n < DISAS_BEFORE ? n : DISAS_BEFORE;
    return print_insns(s, first, false, (addr == pc ? shown : 0) + count, UINT64_MAX);
}

/* ---- translation and the TLB ----------------------------------------------- */

int step_cmd_walk(struct stepper *s, int argc, char **argv)
{
    if (argc < 2 || argc > 3)
        return cli_error("expected walk VA [read|write|fetch]");
    uint64_t va;
    if (step_eval(s, argv[1], &va))
        return EXIT_BAD_INPUT;
    enum rasim_pt_access access = RASIM_PT_READ;
    if (argc == 3) {
        if (!strcmp(argv[2], "write"))
            access = RASIM_PT_WRITE;
        else if (!strcmp(argv[2], "fetch"))
            access = RASIM_PT_FETCH;
        else if (strcmp(argv[2], "read"))
            return cli_error("expected read, write or fetch, got '%s'", argv[2]);
    }
    struct rasim_pt pt;
    char what[160];
    int on = step_regime(s, va, &pt, what, sizeof(what));
    if (on < 0)
        return cli_error("%s", what);
    printf("%s\n", what);
    if (!on)
        return 0;
    struct rasim_pt_walk w;
    if (rasim_pt_walk(s->m, &pt, va, access, &w) < 0)
        return cli_error("%s", rasim_error(s->m));
    print_walk(&w);
    return 0;
}

struct tlb_listing {
    struct stepper *s;
    size_t n;
};

static void print_tlb_entry(void *ctx, const struct rasim_tlb_entry *e)
{
    struct tlb_listing *l = ctx;
    char size[32];
    printf("0x%016llx-0x%016llx -> 0x%llx %s asid %u%s level %d pte 0x%016llx at 0x%llx %s\n",
           (unsigned long long)e->va, (unsigned long long)(e->va + (e->size - 1)),
           (unsigned long long)e->pa, print_size(e->size, size, sizeof(size)), e->asid,
           e->global ? " global" : "", e->level, (unsigned long long)e->pte,
           (unsigned long long)e->pte_pa, e->text);
    l->n++;
}

int step_cmd_tlb(struct stepper *s, int argc, char **argv)
{
    if (no_arguments(argc))
        return EXIT_BAD_INPUT;
    struct tlb_listing l = {s, 0};
    if (rasim_tlb_entries(s->m, print_tlb_entry, &l) < 0)
        return cli_error("%s", rasim_error(s->m));
    if (!l.n)
        printf("the TLB is empty\n");
    return 0;
}

/* ---- poison, the extable, the error log, the backtrace ------------------------- */

struct poison_listing {
    struct stepper *s;
    size_t n;
};

static void print_poison(void *ctx, const struct rasim_poison *p)
{
    struct poison_listing *l = ctx;
    char where[256];
    step_describe(l->s, p->pa, where, sizeof(where));
    printf("pa 0x%llx-0x%llx (%llu byte%s, %s) %s ", (unsigned long long)p->pa,
           (unsigned long long)(p->pa + p->len - 1), (unsigned long long)p->len,
           p->len == 1 ? "" : "s", where, p->tag ? "tag" : "data");
    switch (p->kind) {
    case RASIM_POISON_PERSISTENT: printf("persistent\n"); break;
    case RASIM_POISON_TRANSIENT:
        printf("transient: %llu more consumptions\n", (unsigned long long)p->count);
        break;
    case RASIM_POISON_AFTER:
        printf("after %llu accesses to its line\n", (unsigned long long)p->count);
        break;
    case RASIM_POISON_AT_INSN:
        printf("arriving at instruction %llu\n", (unsigned long long)p->count);
        break;
    }
    l->n++;
}

int step_cmd_poison(struct stepper *s, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "list";
    if (!strcmp(sub, "list") && argc <= 2) {
        struct poison_listing l = {s, 0};
        if (rasim_poison_list(s->m, print_poison, &l) < 0)
            return cli_error("%s", rasim_error(s->m));
        if (!l.n)
            printf("no poison\n");
        return 0;
    }
    if (!strcmp(sub, "add") && argc == 3) {
        if (call_add_poison(s->m, s->call, argv[2]))
            return EXIT_BAD_INPUT;
        printf("poisoned %s\n", argv[2]);
        return 0;
    }
    if (!strcmp(sub, "clear") && argc == 2) {
        rasim_poison_clear(s->m);
        printf("poison cleared, and the error log\n");
        return 0;
    }
    return cli_error("expected poison list | poison add WHERE[:LEN][,opts] | poison clear");
}

static int by_insn(const void *a, const void *b)
{
    const struct rasim_extable_entry *x = a, *y = b;
    return x->insn < y->insn ? -1 : x->insn > y->insn;
}

#define EXTABLE_AROUND 3

int step_cmd_extable(struct stepper *s, int argc, char **argv)
{
    if (no_arguments(argc))
        return EXIT_BAD_INPUT;
    size_t n = 0, cap = 0;
    struct rasim_extable_entry *all = NULL;
    for (size_t img = 0; img < rasim_image_count(s->m); img++) {
        struct rasim_image_info info;
        rasim_image_info(s->m, img, &info);
        for (size_t i = 0; i < info.nextable; i++) {
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                struct rasim_extable_entry *grown = realloc(all, cap * sizeof(*all));
                if (!grown) {
                    free(all);
                    return cli_error("out of memory");
                }
                all = grown;
            }
            if (rasim_image_extable(s->m, img, i, &all[n]) == 0)
                n++;
        }
    }
    if (!n) {
        free(all);
        printf("no __ex_table entries\n");
        return 0;
    }
    qsort(all, n, sizeof(*all), by_insn);
    /* The entries on either side of PC, nearest first in address order. */
    uint64_t pc = step_reg(s, "pc");
    size_t at = 0;
    while (at < n && all[at].insn < pc)
        at++;
    size_t from = at > EXTABLE_AROUND ? at - EXTABLE_AROUND : 0;
    size_t to = at + EXTABLE_AROUND < n ? at + EXTABLE_AROUND : n;
    if (at < n && all[at].insn == pc && to < n)
        to++; /* PC's own entry and three after it */
    for (size_t i = from; i < to; i++) {
        struct rasim_insn_text t;
        if (rasim_disasm(s->m, all[i].insn, &t) < 0) {
            char where[256];
            rasim_describe(s->m, all[i].insn, where, sizeof(where));
            printf("%s%016llx  %-28s ", all[i].insn == pc ? "=> " : "   ",
                   (unsigned long long)all[i].insn, where);
            print_extable(s->m, &all[i]);
        } else {
            print_disasm_line(s->m, &t, all[i].insn == pc ? "=> " : "   ");
        }
        putchar('\n');
    }
    free(all);
    return 0;
}

int step_cmd_log(struct stepper *s, int argc, char **argv)
{
    if (no_arguments(argc))
        return EXIT_BAD_INPUT;
    size_t n = rasim_error_log_count(s->m);
    if (!n)
        printf("the error log is empty\n");
    for (size_t i = 0; i < n; i++) {
        struct rasim_error_record r;
        char where[256];
        if (rasim_error_log_get(s->m, i, &r) < 0)
            continue;
        step_describe(s, r.pa, where, sizeof(where));
        printf("#%llu %s%s pa 0x%llx (%s)", (unsigned long long)r.seq,
               r.async ? "asynchronous " : "", r.access, (unsigned long long)r.pa, where);
        if (r.va_valid)
            printf(" va 0x%llx", (unsigned long long)r.va);
        if (r.pc_known) {
            rasim_describe(s->m, r.pc, where, sizeof(where));
            printf(" at %s", where);
        }
        printf(" after %llu instructions: %s\n", (unsigned long long)r.insns, r.outcome);
    }
    return 0;
}

int step_cmd_bt(struct stepper *s, int argc, char **argv)
{
    if (no_arguments(argc))
        return EXIT_BAD_INPUT;
    char bt[1024];
    rasim_backtrace(s->m, bt, sizeof(bt));
    unsigned frame = 0;
    for (char *p = bt; p && *p; frame++) {
        char *next = strstr(p, " <- ");
        if (next)
            *next = '\0';
        printf("#%u %s\n", frame, p);
        p = next ? next + 4 : NULL;
    }
    return 0;
}
