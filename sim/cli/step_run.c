/*
 * step_run.c - the stepper's runs: step, next, finish, continue; its
 * breakpoints and watchpoints; and the event sink that shows what each
 * instruction did (step.h).
 *
 * The sink stays on for the whole session. It also keeps the calls it sees
 * execute (bl/blr on arm64, jal/jalr/c.jalr writing ra on rv64) with SP at
 * the call, which is how `finish` knows where the current routine returns.
 */
#include "sim/cli/step.h"
#include "sim/cli/print.h"

#include <stdio.h>
#include <string.h>

/* ---- the event stream ---------------------------------------------------- */

static bool is_call(const struct stepper *s, uint32_t w, unsigned size)
{
    if (s->a64) /* BL imm26; BLR Xn */
        return (w & 0xfc000000u) == 0x94000000u || (w & 0xfffffc1fu) == 0xd63f0000u;
    if (size == 2) /* c.jalr rs1: funct4 1001, rs2 = 0, rs1 != 0 */
        return (w & 0xf07fu) == 0x9002u && ((w >> 7) & 0x1f) != 0;
    unsigned opcode = w & 0x7f, rd = (w >> 7) & 0x1f, funct3 = (w >> 12) & 7;
    return rd == 1 && (opcode == 0x6f || (opcode == 0x67 && funct3 == 0)); /* jal/jalr ra */
}

static void track_frames(struct stepper *s, const struct rasim_event *e)
{
    uint64_t sp = step_reg(s, "sp");
    if (s->nframes && e->pc == s->frames[s->nframes - 1].ret && sp >= s->frames[s->nframes - 1].sp)
        s->nframes--;
    if (!is_call(s, e->insn.word, e->insn.size))
        return;
    if (s->nframes == STEP_MAX_FRAMES) { /* deep recursion: forget the outermost */
        memmove(s->frames, s->frames + 1, (STEP_MAX_FRAMES - 1) * sizeof(*s->frames));
        s->nframes--;
    }
    s->frames[s->nframes++] = (struct step_frame){e->pc + e->insn.size, sp};
}

/* The instruction an event belongs to, once: every event in a verbose run,
 * only those with something to report in a quiet one. */
static void show_insn(struct stepper *s, uint64_t pc)
{
    if (s->have_insn && s->insn_pc == pc) {
        if (s->insn_shown)
            return;
        struct rasim_insn_text t;
        rasim_disasm_word(s->m, pc, s->insn_word, &t);
        step_print_insn(s, &t);
        s->insn_shown = true;
        return;
    }
    char where[256];
    step_describe(s, pc, where, sizeof(where));
    printf("%s:\n", where);
}

static void gather_change(struct stepper *s, const struct rasim_event *e)
{
    for (size_t i = 0; i < s->nchanges; i++)
        if (!strcmp(s->changes[i].name, e->reg.name)) {
            s->changes[i].value = e->reg.value;
            return;
        }
    if (s->nchanges == STEP_MAX_CHANGES)
        return;
    struct step_change *c = &s->changes[s->nchanges++];
    snprintf(c->name, sizeof(c->name), "%s", e->reg.name);
    c->old = e->reg.old;
    c->value = e->reg.value;
}

static void print_change(const char *name, uint64_t value, uint64_t old)
{
    printf("  %s = 0x%llx (was 0x%llx)\n", name, (unsigned long long)value,
           (unsigned long long)old);
}

/* " = 0x<value>" of an access: the event's value up to 8 bytes; a wider
 * one (a 16-byte pair) from memory, which holds it once it is performed. */
static void print_value(struct stepper *s, uint64_t pa, unsigned size, uint64_t value, bool tag)
{
    uint8_t bytes[16];
    if (size <= 8 || tag) {
        printf(" = 0x%0*llx", size >= 8 ? 16 : (int)size * 2, (unsigned long long)value);
        return;
    }
    if (size > sizeof(bytes) || rasim_read_phys(s->m, pa, bytes, size) < 0)
        return;
    printf(" = 0x");
    for (unsigned i = size; i-- > 0;)
        printf("%02x", bytes[i]);
}

static void print_access(struct stepper *s, const struct rasim_event *e)
{
    char where[256];
    step_describe(s, e->mem.va, where, sizeof(where));
    printf("  %s%s %u byte%s at %s", e->mem.tag ? "tag " : "", e->mem.write ? "write" : "read",
           e->mem.size, e->mem.size == 1 ? "" : "s", where);
    if (e->mem.pa != e->mem.va)
        printf(" (pa 0x%llx)", (unsigned long long)e->mem.pa);
    print_value(s, e->mem.pa, e->mem.size, e->mem.value, e->mem.tag);
    putchar('\n');
}

static void print_exception(struct stepper *s, const struct rasim_event *e)
{
    printf("  exception: %s (%s 0x%llx", e->exception.text, s->a64 ? "ESR" : "scause",
           (unsigned long long)e->exception.syndrome);
    if (e->exception.addr_valid)
        printf(", %s 0x%llx", s->a64 ? "FAR" : "stval", (unsigned long long)e->exception.addr);
    printf(")%s\n", e->exception.taken ? ", taken to the guest's vector" : "");
}

static void print_poison(struct stepper *s, const struct rasim_event *e)
{
    char where[256];
    step_describe(s, e->poison.pa, where, sizeof(where));
    printf("  poison consumed: %s%s at pa 0x%llx (%s)\n", e->poison.async ? "asynchronous " : "",
           e->poison.access, (unsigned long long)e->poison.pa, where);
}

void step_sink(void *ctx, const struct rasim_event *e)
{
    struct stepper *s = ctx;
    switch (e->kind) {
    case RASIM_EV_INSN:
        track_frames(s, e);
        s->have_insn = true;
        s->insn_shown = false;
        s->insn_pc = e->pc;
        s->insn_word = e->insn.word;
        s->insn_size = e->insn.size;
        s->nmem = 0;
        if (s->verbose)
            show_insn(s, e->pc);
        break;
    case RASIM_EV_REG:
        if (s->verbose)
            print_change(e->reg.name, e->reg.value, e->reg.old);
        else
            gather_change(s, e);
        break;
    case RASIM_EV_MEM:
        if (s->nmem < STEP_MAX_MEM)
            s->mem[s->nmem++] = (struct step_access){e->mem.va,   e->mem.pa,    e->mem.value,
                                                     e->mem.size, e->mem.write, e->mem.tag};
        if (s->verbose)
            print_access(s, e);
        break;
    case RASIM_EV_EXCEPTION:
        show_insn(s, e->pc);
        print_exception(s, e);
        break;
    case RASIM_EV_POISON:
        show_insn(s, e->pc);
        print_poison(s, e);
        break;
    case RASIM_EV_FIXUP:
        show_insn(s, e->pc);
        printf("  ");
        print_fixup(s->m, &e->fixup);
        break;
    case RASIM_EV_CHECK: /* --check-mmu; the text starts with the kind */
        show_insn(s, e->pc);
        printf("  mmu: %s\n", e->check.text);
        break;
    default: break;
    }
}

/* ---- breakpoints and watchpoints ------------------------------------------ */

static const struct step_point *breakpoint_at(const struct stepper *s, uint64_t pc)
{
    for (size_t i = 0; i < s->npoints; i++)
        if (!s->points[i].watch && s->points[i].addr == pc)
            return &s->points[i];
    return NULL;
}

static const char *kinds_text(unsigned kinds)
{
    return kinds == (RASIM_WATCH_READ | RASIM_WATCH_WRITE) ? "read/write"
           : kinds == RASIM_WATCH_READ                     ? "read"
                                                           : "write";
}

static void print_point(struct stepper *s, const struct step_point *p)
{
    char where[256];
    step_describe(s, p->addr, where, sizeof(where));
    if (!p->watch)
        printf("%d  breakpoint  %s (0x%llx)\n", p->num, where, (unsigned long long)p->addr);
    else if (p->physical)
        printf("%d  watchpoint  %s pa:0x%llx len %llu\n", p->num, kinds_text(p->kinds),
               (unsigned long long)p->addr, (unsigned long long)p->len);
    else
        printf("%d  watchpoint  %s %s (0x%llx) len %llu\n", p->num, kinds_text(p->kinds), where,
               (unsigned long long)p->addr, (unsigned long long)p->len);
}

static int add_point(struct stepper *s, const struct step_point *p)
{
    if (s->npoints == STEP_MAX_POINTS)
        return cli_error("at most %d breakpoints and watchpoints", STEP_MAX_POINTS);
    int rc = p->watch ? rasim_add_watchpoint(s->m, p->addr, p->len, p->kinds, p->physical)
                      : rasim_add_breakpoint(s->m, p->addr);
    if (rc < 0)
        return cli_error("%s", rasim_error(s->m));
    struct step_point *n = &s->points[s->npoints++];
    *n = *p;
    n->num = s->next_num++;
    print_point(s, n);
    return 0;
}

static void remove_point(struct stepper *s, size_t i)
{
    const struct step_point *p = &s->points[i];
    if (p->watch)
        rasim_remove_watchpoint(s->m, p->addr, p->len, p->kinds, p->physical);
    else
        rasim_remove_breakpoint(s->m, p->addr);
    memmove(&s->points[i], &s->points[i + 1], (s->npoints - i - 1) * sizeof(*s->points));
    s->npoints--;
}

int step_cmd_break(struct stepper *s, int argc, char **argv)
{
    if (argc != 2)
        return cli_error("expected break SYMBOL|SYMBOL+OFF|ADDR");
    struct step_point p = {0};
    if (step_eval(s, argv[1], &p.addr))
        return EXIT_BAD_INPUT;
    const struct step_point *old = breakpoint_at(s, p.addr);
    if (old)
        return cli_error("breakpoint %d is already at 0x%llx", old->num,
                         (unsigned long long)p.addr);
    return add_point(s, &p);
}

int step_cmd_watch(struct stepper *s, int argc, char **argv)
{
    if (argc < 2 || argc > 4)
        return cli_error("expected watch ADDR|pa:ADDR [LEN] [r|w|rw]");
    struct step_point p = {.watch = true, .len = 1, .kinds = RASIM_WATCH_WRITE};
    const char *where = argv[1];
    if (!strncmp(where, "pa:", 3)) {
        p.physical = true;
        where += 3;
    }
    if (step_eval(s, where, &p.addr))
        return EXIT_BAD_INPUT;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "r"))
            p.kinds = RASIM_WATCH_READ;
        else if (!strcmp(argv[i], "w"))
            p.kinds = RASIM_WATCH_WRITE;
        else if (!strcmp(argv[i], "rw"))
            p.kinds = RASIM_WATCH_READ | RASIM_WATCH_WRITE;
        else if (i == 2) {
            if (step_count("a length", argv[i], &p.len))
                return EXIT_BAD_INPUT;
        } else
            return cli_error("expected r, w or rw, got '%s'", argv[i]);
    }
    return add_point(s, &p);
}

int step_cmd_delete(struct stepper *s, int argc, char **argv)
{
    if (argc > 2)
        return cli_error("expected delete [N]");
    if (argc == 1) {
        while (s->npoints)
            remove_point(s, s->npoints - 1);
        printf("deleted all breakpoints and watchpoints\n");
        return 0;
    }
    uint64_t n;
    if (step_count("a breakpoint number", argv[1], &n))
        return EXIT_BAD_INPUT;
    for (size_t i = 0; i < s->npoints; i++)
        if ((uint64_t)s->points[i].num == n) {
            remove_point(s, i);
            printf("deleted %llu\n", (unsigned long long)n);
            return 0;
        }
    return cli_error("no breakpoint or watchpoint %llu", (unsigned long long)n);
}

int step_cmd_info(struct stepper *s, int argc, char **argv)
{
    static const char *const words[] = {"breakpoints", "break", "b", "watchpoints", "watch"};
    bool ok = argc == 2;
    for (size_t i = 0; ok && i < sizeof(words) / sizeof(*words); i++)
        if (!strcmp(argv[1], words[i]))
            break;
        else if (i + 1 == sizeof(words) / sizeof(*words))
            ok = false;
    if (!ok)
        return cli_error("expected info breakpoints");
    if (!s->npoints)
        printf("no breakpoints or watchpoints\n");
    for (size_t i = 0; i < s->npoints; i++)
        print_point(s, &s->points[i]);
    return 0;
}

/* ---- running --------------------------------------------------------------- */

static int budget_spent(struct stepper *s)
{
    return cli_error("the instruction budget is spent (%llu retired; --max-insns %llu)",
                     (unsigned long long)s->insns, (unsigned long long)s->call->max_insns);
}

/* Run at most max instructions of what the session's budget leaves. */
static void run(struct stepper *s, uint64_t max, struct rasim_stop *stop)
{
    if (max > s->budget)
        max = s->budget;
    s->have_insn = false;
    rasim_run(s->m, max, stop);
    s->insns += stop->insns;
    uint64_t used = stop->reason == RASIM_STOP_BUDGET ? max : stop->insns;
    s->budget -= used < s->budget ? used : s->budget;
    if (stop->reason == RASIM_STOP_RETURNED)
        s->nframes = 0;
}

static void report_watch(struct stepper *s, const struct rasim_stop *stop)
{
    const struct step_point *hit = NULL;
    for (size_t i = 0; i < s->npoints && !hit; i++) {
        const struct step_point *p = &s->points[i];
        if (p->watch && stop->watch_addr >= p->addr && stop->watch_addr - p->addr < p->len &&
            (p->kinds & (stop->watch_write ? RASIM_WATCH_WRITE : RASIM_WATCH_READ)))
            hit = p;
    }
    char where[256];
    printf("watchpoint %d: %s", hit ? hit->num : 0, stop->watch_write ? "write" : "read");
    /* The access itself, from the events of the instruction that made it. */
    const struct step_access *access = NULL;
    for (size_t i = 0; i < s->nmem && !access; i++) {
        const struct step_access *a = &s->mem[i];
        uint64_t at = hit && hit->physical ? a->pa : a->va;
        if (a->write == stop->watch_write && stop->watch_addr >= at &&
            stop->watch_addr - at < a->size)
            access = a;
    }
    if (access) {
        step_describe(s, access->va, where, sizeof(where));
        printf(" %u byte%s at %s", access->size, access->size == 1 ? "" : "s", where);
        if (access->pa != access->va)
            printf(" (pa 0x%llx)", (unsigned long long)access->pa);
        print_value(s, access->pa, access->size, access->value, access->tag);
    } else {
        step_describe(s, stop->watch_addr, where, sizeof(where));
        printf(" at %s%s", hit && hit->physical ? "pa " : "", where);
    }
    if (s->have_insn) {
        step_describe(s, s->insn_pc, where, sizeof(where));
        printf(" by %s", where);
    }
    printf("\n");
}

/* Why a run stopped, and where it is now. */
static void report_stop(struct stepper *s, const struct rasim_stop *stop)
{
    char what[640];
    switch (stop->reason) {
    case RASIM_STOP_RETURNED:
        printf("returned to the caller: %s = 0x%llx (%llu instructions)\n", step_ret_reg(s),
               (unsigned long long)step_reg(s, step_ret_reg(s)), (unsigned long long)s->insns);
        return;
    case RASIM_STOP_BREAKPOINT:
        if (stop->watch_hit) {
            report_watch(s, stop);
        } else {
            const struct step_point *p = breakpoint_at(s, stop->pc);
            step_describe(s, stop->pc, what, sizeof(what));
            printf("breakpoint %d at %s\n", p ? p->num : 0, what);
        }
        step_print_location(s);
        return;
    default:
        rasim_stop_describe(s->m, stop, what, sizeof(what));
        printf("%s\n", what);
        if (stop->reason == RASIM_STOP_OOPS && stop->backtrace[0])
            printf("backtrace: %s\n", stop->backtrace);
        if (stop->reason == RASIM_STOP_BUDGET)
            step_print_location(s);
        return;
    }
}

/* Single steps, each shown with what it did. Stops early on a breakpoint
 * (after the first step), a watchpoint, or any other end of the run. */
static int step_n(struct stepper *s, uint64_t n, struct rasim_stop *last)
{
    memset(last, 0, sizeof(*last));
    for (uint64_t i = 0; i < n; i++) {
        if (!s->budget) {
            if (i == 0)
                return budget_spent(s);
            report_stop(s, last); /* budget exhausted on the way */
            break;
        }
        if (!s->events) { /* no event stream: at least the instruction */
            struct rasim_insn_text t;
            char err[256];
            if (step_insn_at(s, step_reg(s, "pc"), false, &t, err, sizeof(err)) == 0)
                step_print_insn(s, &t);
        }
        s->verbose = true;
        run(s, 1, last);
        s->verbose = false;
        bool plain = last->reason == RASIM_STOP_BUDGET ||
                     (last->reason == RASIM_STOP_BREAKPOINT && !last->watch_hit);
        if (!plain) {
            report_stop(s, last);
            break;
        }
        if (i + 1 < n && breakpoint_at(s, last->pc)) {
            last->reason = RASIM_STOP_BREAKPOINT;
            report_stop(s, last);
            break;
        }
    }
    return 0;
}

int step_cmd_step(struct stepper *s, int argc, char **argv)
{
    uint64_t n = 1;
    if (argc > 2)
        return cli_error("expected step [N]");
    if (argc == 2 && step_count("a number of instructions", argv[1], &n))
        return EXIT_BAD_INPUT;
    struct rasim_stop stop;
    return step_n(s, n, &stop);
}

/*
 * Run quietly until PC reaches target with SP back at sp (or above: the
 * frame of the call has been popped), through a temporary breakpoint.
 * 1 when it got there, 0 when something else stopped the run (reported).
 */
static int run_to(struct stepper *s, uint64_t target, uint64_t sp, uint64_t *ran)
{
    bool temporary = !breakpoint_at(s, target);
    if (temporary && rasim_add_breakpoint(s->m, target) < 0)
        return cli_error("%s", rasim_error(s->m)), -1;
    uint64_t before = s->insns;
    struct rasim_stop stop;
    int got = 0;
    s->nchanges = 0;
    for (;;) {
        if (!s->budget) {
            budget_spent(s);
            got = -1;
            break;
        }
        run(s, s->budget, &stop);
        if (stop.reason == RASIM_STOP_BREAKPOINT && !stop.watch_hit && stop.pc == target) {
            if (step_reg(s, "sp") >= sp) {
                got = 1;
                break;
            }
            if (temporary)
                continue; /* a deeper activation of the same call */
        }
        report_stop(s, &stop);
        break;
    }
    if (temporary)
        rasim_remove_breakpoint(s->m, target);
    /* The breakpoint stopped the run before the return's INSN event. */
    if (got == 1 && s->nframes && s->frames[s->nframes - 1].ret == target)
        s->nframes--;
    *ran = s->insns - before;
    return got;
}

int step_cmd_next(struct stepper *s, int argc, char **argv)
{
    if (argc > 1)
        return cli_error("takes no arguments");
    uint64_t pc = step_reg(s, "pc"), sp = step_reg(s, "sp"), ran;
    struct rasim_insn_text t;
    char err[256];
    struct rasim_stop stop;
    if (step_insn_at(s, pc, false, &t, err, sizeof(err)) < 0 || !is_call(s, t.word, t.size))
        return step_n(s, 1, &stop);
    /* The call itself, shown; then the callee, quietly, to its return. */
    int rc = step_n(s, 1, &stop);
    if (rc || stop.reason != RASIM_STOP_BUDGET || stop.pc == pc + t.size)
        return rc;
    if (breakpoint_at(s, stop.pc)) { /* the callee's first instruction */
        stop.reason = RASIM_STOP_BREAKPOINT;
        report_stop(s, &stop);
        return 0;
    }
    int got = run_to(s, pc + t.size, sp, &ran);
    if (got < 0)
        return EXIT_BAD_INPUT;
    if (!got)
        return 0;
    printf("  returned after %llu instructions\n", (unsigned long long)ran);
    for (size_t i = 0; i < s->nchanges; i++)
        if (s->changes[i].value != s->changes[i].old)
            print_change(s->changes[i].name, s->changes[i].value, s->changes[i].old);
    return 0;
}

int step_cmd_finish(struct stepper *s, int argc, char **argv)
{
    if (argc > 1)
        return cli_error("takes no arguments");
    struct rasim_stop stop;
    if (!s->nframes) { /* the routine called: to the return sentinel */
        if (!s->budget)
            return budget_spent(s);
        run(s, s->budget, &stop);
        report_stop(s, &stop);
        return 0;
    }
    struct step_frame f = s->frames[s->nframes - 1];
    uint64_t ran;
    int got = run_to(s, f.ret, f.sp, &ran);
    if (got < 0)
        return EXIT_BAD_INPUT;
    if (got) {
        char where[256];
        step_describe(s, f.ret, where, sizeof(where));
        printf("returned to %s after %llu instructions: %s = 0x%llx\n", where,
               (unsigned long long)ran, step_ret_reg(s),
               (unsigned long long)step_reg(s, step_ret_reg(s)));
        step_print_location(s);
    }
    return 0;
}

int step_cmd_continue(struct stepper *s, int argc, char **argv)
{
    if (argc > 1)
        return cli_error("takes no arguments");
    if (!s->budget)
        return budget_spent(s);
    struct rasim_stop stop;
    run(s, s->budget, &stop);
    report_stop(s, &stop);
    return 0;
}
