/*
 * test_events.c - the machine's event stream, breakpoints and watchpoints
 * (rasim.h), on our riscv memcpy_mc: every instruction, register change and
 * access of a copy, checked against what the copy must do; the poison,
 * exception and fixup events of a recovered run, in order; the same run
 * twice gives the same events; breakpoints stop before, watchpoints after,
 * the instruction; a run can stop before the kernel model acts on an
 * exception (for debuggers); and turning everything off leaves the
 * untraced path.
 */
#include "test_util.h"

#include "rasim.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SRC      0x90000000ull
#define DST      0x90010000ull
#define STACK    0x90100000ull
#define SENTINEL 0x7ffff000ull
#define LEN      256u

struct log {
    struct rasim_event ev[4096];
    char names[4096][24]; /* register names, copied: the event's pointer is borrowed */
    size_t n;
    char text[1 << 20]; /* every event as a line, to compare runs */
    size_t used;
};

static void record(void *ctx, const struct rasim_event *e)
{
    struct log *l = ctx;
    if (l->n < sizeof(l->ev) / sizeof(*l->ev)) {
        l->ev[l->n] = *e;
        if (e->kind == RASIM_EV_REG)
            snprintf(l->names[l->n], sizeof(l->names[0]), "%s", e->reg.name);
        l->n++;
    }
    int k = snprintf(l->text + l->used, sizeof(l->text) - l->used, "%s %llu 0x%llx",
                     rasim_event_kind_name(e->kind), (unsigned long long)e->icount,
                     (unsigned long long)e->pc);
    if (k > 0 && (size_t)k < sizeof(l->text) - l->used)
        l->used += (size_t)k;
    switch (e->kind) {
    case RASIM_EV_REG:
        k = snprintf(l->text + l->used, sizeof(l->text) - l->used, " %s=0x%llx\n", e->reg.name,
                     (unsigned long long)e->reg.value);
        break;
    case RASIM_EV_MEM:
        k = snprintf(l->text + l->used, sizeof(l->text) - l->used, " %c %u 0x%llx 0x%llx\n",
                     e->mem.write ? 'w' : 'r', e->mem.size, (unsigned long long)e->mem.va,
                     (unsigned long long)e->mem.value);
        break;
    default: k = snprintf(l->text + l->used, sizeof(l->text) - l->used, "\n"); break;
    }
    if (k > 0 && (size_t)k < sizeof(l->text) - l->used)
        l->used += (size_t)k;
}

static rasim_machine *machine(void)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/rv64/memcpy_mc.o", EXAMPLES_DIR);
    rasim_machine *m = rasim_new(RASIM_ARCH_RV64);
    ck_assert_int_eq(rasim_set_profile(m, "riscv-copy-mc"), 0);
    struct rasim_load_options opt = {.base_set = true, .base = 0x80000000ull};
    ck_assert_msg(rasim_load(m, path, &opt) >= 0, "%s", rasim_error(m));
    ck_assert_int_eq(rasim_add_region(m, "src", SRC, 0x1000, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "dst", DST, 0x1000, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "stack", STACK, 0x1000, RASIM_REGION_RAM), 0);
    uint8_t bytes[LEN];
    for (unsigned i = 0; i < LEN; i++)
        bytes[i] = (uint8_t)(i * 7 + 1);
    ck_assert_int_eq(rasim_write_phys(m, SRC, bytes, LEN), 0);
    rasim_set_return_sentinel(m, SENTINEL);
    return m;
}

/* Set up the call memcpy_mc(DST, SRC, LEN). */
static void call(rasim_machine *m)
{
    uint64_t entry;
    ck_assert_int_eq(rasim_lookup_symbol(m, "rasim_memcpy_mc", &entry), 0);
    rasim_set_reg(m, "a0", DST);
    rasim_set_reg(m, "a1", SRC);
    rasim_set_reg(m, "a2", LEN);
    rasim_set_reg(m, "ra", SENTINEL);
    rasim_set_reg(m, "sp", STACK + 0x1000);
    rasim_set_reg(m, "priv", 1);
    rasim_set_reg(m, "pc", entry);
}

static struct log *run_logged(rasim_machine *m, struct rasim_stop *stop)
{
    struct log *l = calloc(1, sizeof(*l));
    ck_assert_int_eq(rasim_set_event_sink(m, RASIM_EV_ALL, record, l), 0);
    call(m);
    ck_assert_int_eq(rasim_run(m, 100000, stop), 0);
    ck_assert_int_eq(rasim_set_event_sink(m, 0, NULL, NULL), 0);
    return l;
}

static size_t count(const struct log *l, enum rasim_event_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->ev[i].kind == kind;
    return n;
}

START_TEST(a_copy_reports_each_instruction_register_and_access)
{
    rasim_machine *m = machine();
    struct rasim_stop stop;
    struct log *l = run_logged(m, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(count(l, RASIM_EV_INSN), stop.insns);
    /* Loads cover exactly the source, stores exactly the destination, each
     * byte once, and what was stored is what was loaded. */
    uint8_t loaded[LEN] = {0}, stored[LEN] = {0};
    unsigned nread = 0, nwritten = 0;
    for (size_t i = 0; i < l->n; i++) {
        const struct rasim_event *e = &l->ev[i];
        if (e->kind != RASIM_EV_MEM)
            continue;
        ck_assert(!e->mem.tag);
        ck_assert_uint_eq(e->mem.va, e->mem.pa); /* Bare */
        uint64_t base = e->mem.write ? DST : SRC;
        ck_assert_msg(e->mem.va >= base && e->mem.va + e->mem.size <= base + LEN, "%s at 0x%llx",
                      e->mem.write ? "store" : "load", (unsigned long long)e->mem.va);
        for (unsigned b = 0; b < e->mem.size; b++)
            (e->mem.write ? stored : loaded)[e->mem.va - base + b] =
                (uint8_t)(e->mem.value >> (8 * b));
        if (e->mem.write)
            nwritten += e->mem.size;
        else
            nread += e->mem.size;
    }
    ck_assert_uint_eq(nread, LEN);
    ck_assert_uint_eq(nwritten, LEN);
    ck_assert_mem_eq(loaded, stored, LEN);
    /* Every register event names a register whose value then holds, and
     * the PC is never one of them; the return value is a0 = 0. */
    uint64_t a0_last = DST;
    for (size_t i = 0; i < l->n; i++)
        if (l->ev[i].kind == RASIM_EV_REG) {
            ck_assert_str_ne(l->names[i], "pc");
            ck_assert_uint_ne(l->ev[i].reg.old, l->ev[i].reg.value);
            if (!strcmp(l->names[i], "a0"))
                a0_last = l->ev[i].reg.value;
        }
    ck_assert_uint_eq(a0_last, 0);
    /* icount numbers instructions from 1, and events follow their insn. */
    ck_assert_int_eq(l->ev[0].kind, RASIM_EV_INSN);
    ck_assert_uint_eq(l->ev[0].icount, 1);
    ck_assert_uint_eq(l->ev[l->n - 1].icount, stop.insns);
    free(l);
    rasim_free(m);
}
END_TEST

START_TEST(a_recovered_run_reports_poison_exception_fixup_in_order)
{
    rasim_machine *m = machine();
    struct rasim_poison p = {.pa = SRC + 0x80, .len = 1, .kind = RASIM_POISON_PERSISTENT};
    ck_assert_int_eq(rasim_poison(m, &p), 0);
    struct rasim_stop stop;
    struct log *l = run_logged(m, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    size_t poison = SIZE_MAX, exc = SIZE_MAX, fix = SIZE_MAX;
    for (size_t i = 0; i < l->n; i++) {
        if (l->ev[i].kind == RASIM_EV_POISON)
            poison = i;
        if (l->ev[i].kind == RASIM_EV_EXCEPTION)
            exc = i;
        if (l->ev[i].kind == RASIM_EV_FIXUP)
            fix = i;
    }
    ck_assert_msg(poison < exc && exc < fix && fix < l->n, "%zu %zu %zu", poison, exc, fix);
    ck_assert_uint_eq(count(l, RASIM_EV_POISON), 1);
    ck_assert_uint_eq(l->ev[poison].poison.pa, SRC + 0x80);
    ck_assert_str_eq(l->ev[poison].poison.access, "read");
    const struct rasim_event *e = &l->ev[exc];
    ck_assert_uint_eq(e->exception.syndrome, 19);
    ck_assert_str_eq(e->exception.text, "hardware error");
    ck_assert(!e->exception.taken);
    ck_assert_uint_eq(e->exception.addr, SRC + 0x80);
    ck_assert_uint_eq(e->pc, e->exception.return_pc);
    ck_assert_uint_eq(l->ev[fix].fixup.insn, e->pc);
    /* The faulting load has no access event; EX_TYPE_FIXUP writes no
     * register, so the next event is the instruction at the fixup. */
    for (size_t i = exc; i > 0 && l->ev[i].kind != RASIM_EV_INSN; i--)
        ck_assert_int_ne(l->ev[i].kind, RASIM_EV_MEM);
    ck_assert_int_eq(l->ev[fix + 1].kind, RASIM_EV_INSN);
    ck_assert_uint_eq(l->ev[fix + 1].pc, l->ev[fix].fixup.fixup);
    free(l);
    rasim_free(m);
}
END_TEST

START_TEST(the_same_run_gives_the_same_events)
{
    rasim_machine *a = machine(), *b = machine();
    struct rasim_poison p = {.pa = SRC + 0x40, .len = 1, .kind = RASIM_POISON_PERSISTENT};
    ck_assert_int_eq(rasim_poison(a, &p), 0);
    ck_assert_int_eq(rasim_poison(b, &p), 0);
    struct rasim_stop s1, s2;
    struct log *x = run_logged(a, &s1), *y = run_logged(b, &s2);
    ck_assert_uint_gt(x->used, 1000);
    ck_assert_uint_eq(x->used, y->used);
    ck_assert(memcmp(x->text, y->text, x->used) == 0);
    free(x);
    free(y);
    rasim_free(a);
    rasim_free(b);
}
END_TEST

/* The instruction events of l, one line each. */
static char *insn_lines(const struct log *l)
{
    char *text = calloc(l->n + 1, 64);
    size_t used = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->ev[i].kind == RASIM_EV_INSN)
            used += (size_t)sprintf(
                text + used, "%llu 0x%llx 0x%x %u\n", (unsigned long long)l->ev[i].icount,
                (unsigned long long)l->ev[i].pc, l->ev[i].insn.word, l->ev[i].insn.size);
    return text;
}

/* A sink that asks for instructions only is served by a shorter path
 * (sim/trace.c on_insn_only): it must see the instructions a sink asking
 * for everything sees, through a recovered poisoned load too; and a
 * breakpoint set beside it must still stop the run. */
START_TEST(an_instruction_only_sink_sees_what_a_full_one_sees)
{
    rasim_machine *a = machine(), *b = machine();
    struct rasim_poison p = {.pa = SRC + 0x40, .len = 1, .kind = RASIM_POISON_PERSISTENT};
    ck_assert_int_eq(rasim_poison(a, &p), 0);
    ck_assert_int_eq(rasim_poison(b, &p), 0);
    struct rasim_stop s1, s2;
    struct log *all = run_logged(a, &s1);
    struct log *only = calloc(1, sizeof(*only));
    ck_assert_int_eq(rasim_set_event_sink(b, RASIM_EV_BIT(RASIM_EV_INSN), record, only), 0);
    call(b);
    ck_assert_int_eq(rasim_run(b, 100000, &s2), 0);
    ck_assert_int_eq(s2.reason, s1.reason);
    ck_assert_uint_eq(s2.insns, s1.insns);
    ck_assert_uint_gt(count(all, RASIM_EV_FIXUP), 0); /* the run did recover */
    ck_assert_uint_eq(only->n, count(all, RASIM_EV_INSN));
    char *x = insn_lines(all), *y = insn_lines(only);
    ck_assert_str_eq(x, y);
    free(x);
    free(y);

    /* A breakpoint turns the shorter path off; removed, it comes back. */
    uint64_t bp = all->ev[5].pc;
    only->n = 0;
    ck_assert_int_eq(rasim_add_breakpoint(b, bp), 0);
    call(b);
    ck_assert_int_eq(rasim_run(b, 100000, &s2), 0);
    ck_assert_int_eq(s2.reason, RASIM_STOP_BREAKPOINT);
    ck_assert_uint_eq(s2.pc, bp);
    ck_assert_int_eq(rasim_remove_breakpoint(b, bp), 0);
    ck_assert_int_eq(rasim_run(b, 100000, &s2), 0);
    ck_assert_int_eq(s2.reason, s1.reason);
    ck_assert_uint_eq(only->n, count(all, RASIM_EV_INSN));
    free(all);
    free(only);
    rasim_free(a);
    rasim_free(b);
}
END_TEST

START_TEST(breakpoints_stop_before_and_continue_past)
{
    rasim_machine *m = machine();
    uint64_t entry;
    ck_assert_int_eq(rasim_lookup_symbol(m, "rasim_memcpy_mc", &entry), 0);
    /* Find the load of the word loop with a traced run: the instruction
     * that loads from SRC + 8. */
    struct rasim_stop stop;
    struct log *l = run_logged(m, &stop);
    uint64_t loop_pc = 0;
    for (size_t i = 0; i < l->n && !loop_pc; i++)
        if (l->ev[i].kind == RASIM_EV_MEM && !l->ev[i].mem.write && l->ev[i].mem.va == SRC + 8)
            loop_pc = l->ev[i].pc;
    ck_assert_uint_ne(loop_pc, 0);
    free(l);

    ck_assert_int_eq(rasim_add_breakpoint(m, loop_pc), 0);
    ck_assert_int_eq(rasim_add_breakpoint(m, loop_pc), -1); /* once */
    call(m);
    unsigned hits = 0;
    for (;;) {
        ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
        if (stop.reason != RASIM_STOP_BREAKPOINT)
            break;
        ck_assert_uint_eq(stop.pc, loop_pc);
        ck_assert(!stop.watch_hit);
        uint64_t pc;
        rasim_get_reg(m, "pc", &pc);
        ck_assert_uint_eq(pc, loop_pc); /* stopped before it executed */
        hits++;
    }
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_ge(hits, 2);
    /* Removed, the same call runs through. */
    ck_assert_int_eq(rasim_remove_breakpoint(m, loop_pc), 0);
    ck_assert_int_eq(rasim_remove_breakpoint(m, loop_pc), -1);
    call(m);
    ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    rasim_free(m);
}
END_TEST

START_TEST(watchpoints_stop_after_the_access)
{
    rasim_machine *m = machine();
    struct rasim_stop stop;
    /* A write to DST+0x41, by VA. */
    ck_assert_int_eq(rasim_add_watchpoint(m, DST + 0x41, 1, RASIM_WATCH_WRITE, false), 0);
    call(m);
    ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_BREAKPOINT);
    ck_assert(stop.watch_hit && stop.watch_write);
    ck_assert_uint_eq(stop.watch_addr, DST + 0x41);
    uint8_t b;
    ck_assert_int_eq(rasim_read_phys(m, DST + 0x41, &b, 1), 0);
    ck_assert_uint_eq(b, (uint8_t)(0x41 * 7 + 1));    /* the store happened */
    ck_assert_int_eq(rasim_run(m, 100000, &stop), 0); /* continue */
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    ck_assert_int_eq(rasim_remove_watchpoint(m, DST + 0x41, 1, RASIM_WATCH_WRITE, false), 0);

    /* A read of the source's last byte, by PA. */
    ck_assert_int_eq(rasim_add_watchpoint(m, SRC + LEN - 1, 1, RASIM_WATCH_READ, true), 0);
    call(m);
    ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_BREAKPOINT);
    ck_assert(stop.watch_hit && !stop.watch_write);
    ck_assert_uint_eq(stop.watch_addr, SRC + LEN - 1);
    /* Reads never trip a write watchpoint. */
    ck_assert_int_eq(rasim_remove_watchpoint(m, SRC + LEN - 1, 1, RASIM_WATCH_READ, true), 0);
    ck_assert_int_eq(rasim_add_watchpoint(m, SRC, LEN, RASIM_WATCH_WRITE, false), 0);
    call(m);
    ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    ck_assert_int_eq(rasim_add_watchpoint(m, SRC, 0, RASIM_WATCH_WRITE, false), -1);
    ck_assert_int_eq(rasim_add_watchpoint(m, SRC, 1, 0, false), -1);
    rasim_free(m);
}
END_TEST

/* A sink that wants no accesses lets data take the host-pointer path the
 * untraced run takes; asking for accesses or a watchpoint afterwards must
 * still see every one, from host pointers that run filled too. */
START_TEST(accesses_asked_for_after_a_run_that_did_not_are_all_seen)
{
    rasim_machine *m = machine();
    struct rasim_stop stop;
    struct log *l = calloc(1, sizeof(*l));
    ck_assert_int_eq(rasim_set_event_sink(m, RASIM_EV_BIT(RASIM_EV_INSN), record, l), 0);
    call(m);
    ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(l->n, stop.insns); /* one event per instruction, nothing else */
    uint8_t src[LEN], dst[LEN];
    ck_assert_int_eq(rasim_read_phys(m, SRC, src, LEN), 0);
    ck_assert_int_eq(rasim_read_phys(m, DST, dst, LEN), 0);
    ck_assert_mem_eq(src, dst, LEN);

    /* Now the accesses: every byte read and written is reported. */
    memset(l, 0, sizeof(*l));
    ck_assert_int_eq(rasim_set_event_sink(
                         m, RASIM_EV_BIT(RASIM_EV_INSN) | RASIM_EV_BIT(RASIM_EV_MEM), record, l),
                     0);
    call(m);
    ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
    unsigned nread = 0, nwritten = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->ev[i].kind == RASIM_EV_MEM && l->ev[i].mem.va >= SRC && l->ev[i].mem.va < DST + LEN)
            *(l->ev[i].mem.write ? &nwritten : &nread) += l->ev[i].mem.size;
    ck_assert_uint_eq(nread, LEN);
    ck_assert_uint_eq(nwritten, LEN);

    /* Instructions only again, then a watchpoint: it stops the run. */
    ck_assert_int_eq(rasim_set_event_sink(m, RASIM_EV_BIT(RASIM_EV_INSN), record, l), 0);
    call(m);
    ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
    ck_assert_int_eq(rasim_add_watchpoint(m, DST + 0x80, 8, RASIM_WATCH_WRITE, false), 0);
    call(m);
    ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_BREAKPOINT);
    ck_assert(stop.watch_hit && stop.watch_write);
    free(l);
    rasim_free(m);
}
END_TEST

/* rasim_set_stop_on_exception: the run stops at the poisoned load before
 * the kernel model acts; the next run delivers it (the fixup, then the
 * return), a step delivers it and stops at the fixup, and a dropped one is
 * taken again when the load runs again. The result is the same as a run
 * that never stopped. */
START_TEST(a_run_can_stop_before_the_kernel_model_acts)
{
    struct rasim_poison p = {.pa = SRC + 0x80, .len = 1, .kind = RASIM_POISON_PERSISTENT};
    rasim_machine *ref = machine();
    ck_assert_int_eq(rasim_poison(ref, &p), 0);
    struct rasim_stop want, stop, end;
    call(ref);
    ck_assert_int_eq(rasim_run(ref, 100000, &want), 0);
    ck_assert_int_eq(want.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(rasim_fixup_count(ref), 1);
    uint64_t want_ret, fixup = rasim_fixup_get(ref, 0)->fixup, load = rasim_fixup_get(ref, 0)->insn;
    rasim_get_reg(ref, "a0", &want_ret);
    ck_assert_uint_eq(want_ret, LEN - 0x80);

    rasim_machine *m = machine();
    ck_assert_int_eq(rasim_poison(m, &p), 0);
    rasim_set_stop_on_exception(m, true);
    ck_assert_int_eq(rasim_drop_exception(m), -1); /* nothing pending */
    call(m);
    ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert(stop.pending);
    ck_assert_uint_eq(stop.pc, load);
    ck_assert_uint_eq(stop.fault_addr, SRC + 0x80);
    ck_assert_uint_eq(rasim_error_log_count(m), 1);
    ck_assert_uint_eq(rasim_fixup_count(m), 0);
    uint64_t pc;
    rasim_get_reg(m, "pc", &pc);
    ck_assert_uint_eq(pc, load); /* nothing has acted yet */
    ck_assert_int_eq(rasim_run(m, 100000, &end), 0);
    ck_assert_int_eq(end.reason, RASIM_STOP_RETURNED);
    ck_assert(!end.pending);
    ck_assert_uint_eq(rasim_fixup_count(m), 1);
    uint64_t ret;
    rasim_get_reg(m, "a0", &ret);
    ck_assert_uint_eq(ret, want_ret);
    ck_assert_uint_eq(stop.insns + end.insns, want.insns);
    struct rasim_error_record rec;
    ck_assert_int_eq(rasim_error_log_get(m, 0, &rec), 0);
    ck_assert_msg(strstr(rec.outcome, "fixed up") != NULL, "%s", rec.outcome);

    /* A step from the pending exception delivers it and stops at the fixup. */
    rasim_poison_clear(m);
    ck_assert_int_eq(rasim_poison(m, &p), 0);
    call(m);
    ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
    ck_assert(stop.pending);
    ck_assert_int_eq(rasim_step(m, &stop), 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_BUDGET);
    rasim_get_reg(m, "pc", &pc);
    ck_assert_uint_eq(pc, fixup);

    /* Dropped, the load runs again and stops again: a second record. */
    rasim_poison_clear(m);
    ck_assert_int_eq(rasim_poison(m, &p), 0);
    call(m);
    ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
    ck_assert(stop.pending);
    ck_assert_int_eq(rasim_drop_exception(m), 0);
    ck_assert_int_eq(rasim_error_log_get(m, 0, &rec), 0);
    ck_assert_str_eq(rec.outcome, "dropped by the debugger");
    ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
    ck_assert(stop.pending);
    ck_assert_uint_eq(stop.pc, load);
    ck_assert_uint_eq(stop.insns, 0);
    ck_assert_uint_eq(rasim_error_log_count(m), 2);
    ck_assert_uint_eq(rasim_fixup_count(m), 0);

    /* Without a kernel model the exception ends the run, not pending. */
    ck_assert_int_eq(rasim_set_profile(m, "none"), 0);
    ck_assert_int_eq(rasim_drop_exception(m), 0);
    ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert(!stop.pending);
    ck_assert_int_eq(rasim_drop_exception(m), -1);
    rasim_free(m);
    rasim_free(ref);
}
END_TEST

START_TEST(poison_after_a_clear_is_reported_while_events_stay_on)
{
    /* A stepper keeps its sink on across `poison clear`, which empties the
     * error log: the next consumption must still be an event. */
    rasim_machine *m = machine();
    struct log *l = calloc(1, sizeof(*l));
    ck_assert_int_eq(rasim_set_event_sink(m, RASIM_EV_ALL, record, l), 0);
    struct rasim_poison p = {.pa = SRC + 0x80, .len = 1, .kind = RASIM_POISON_PERSISTENT};
    struct rasim_stop stop;
    for (int run = 0; run < 2; run++) {
        rasim_poison_clear(m);
        ck_assert_int_eq(rasim_poison(m, &p), 0);
        call(m);
        ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
        ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
        ck_assert_uint_eq(rasim_error_log_count(m), 1);
        ck_assert_uint_eq(count(l, RASIM_EV_POISON), (size_t)run + 1);
    }
    ck_assert_int_eq(rasim_set_event_sink(m, 0, NULL, NULL), 0);
    free(l);
    rasim_free(m);
}
END_TEST

/* arm64 copy_mc_page (round v13) with a poisoned source line: the SEA is
 * decoded in words, and the KACCESS_ERR_ZERO_MEM_ERR fixup's write of
 * -EFAULT to x0 is a register event of the faulting instruction. */
START_TEST(aarch64_fixup_writes_show_as_register_events)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/aarch64/copy_mc_page.o", EXAMPLES_DIR);
    rasim_machine *m = rasim_new(RASIM_ARCH_AARCH64);
    ck_assert_int_eq(rasim_set_profile(m, "arm64-copy-mc-v13"), 0);
    ck_assert_msg(rasim_load(m, path, NULL) >= 0, "%s", rasim_error(m));
    ck_assert_int_eq(rasim_add_region(m, "src", SRC, 0x1000, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "dst", DST, 0x1000, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "stack", STACK, 0x1000, RASIM_REGION_RAM), 0);
    struct rasim_poison p = {.pa = SRC + 0x100, .len = 1, .kind = RASIM_POISON_PERSISTENT};
    ck_assert_int_eq(rasim_poison(m, &p), 0);
    rasim_set_return_sentinel(m, SENTINEL);
    uint64_t entry;
    ck_assert_int_eq(rasim_lookup_symbol(m, "rasim_copy_mc_page", &entry), 0);
    rasim_set_reg(m, "x0", DST);
    rasim_set_reg(m, "x1", SRC);
    rasim_set_reg(m, "lr", SENTINEL);
    rasim_set_reg(m, "sp", STACK + 0x1000);
    rasim_set_reg(m, "pc", entry);
    struct log *l = calloc(1, sizeof(*l));
    ck_assert_int_eq(rasim_set_event_sink(m, RASIM_EV_ALL, record, l), 0);
    struct rasim_stop stop;
    ck_assert_int_eq(rasim_run(m, 100000, &stop), 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    size_t exc = SIZE_MAX, fix = SIZE_MAX;
    for (size_t i = 0; i < l->n; i++) {
        if (l->ev[i].kind == RASIM_EV_EXCEPTION)
            exc = i;
        if (l->ev[i].kind == RASIM_EV_FIXUP)
            fix = i;
    }
    ck_assert(exc < fix && fix + 1 < l->n);
    ck_assert_str_eq(l->ev[exc].exception.text, "data abort: SEA, not on walk, read");
    ck_assert_uint_eq(l->ev[exc].exception.addr, SRC + 0x100);
    ck_assert_int_eq(l->ev[fix + 1].kind, RASIM_EV_REG);
    ck_assert_str_eq(l->names[fix + 1], "x0");
    ck_assert_uint_eq(l->ev[fix + 1].reg.value, (uint64_t)-14);
    ck_assert_uint_eq(l->ev[fix + 1].pc, l->ev[fix].fixup.insn);
    /* The loads before it: 0x100 bytes in ldp pairs of 16. */
    unsigned loaded = 0;
    for (size_t i = 0; i < exc; i++)
        if (l->ev[i].kind == RASIM_EV_MEM && !l->ev[i].mem.write)
            loaded += l->ev[i].mem.size;
    ck_assert_uint_eq(loaded, 0x100);
    free(l);
    rasim_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("events");
    TCase *tc = tcase_create("events");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_copy_reports_each_instruction_register_and_access);
    tcase_add_test(tc, a_recovered_run_reports_poison_exception_fixup_in_order);
    tcase_add_test(tc, the_same_run_gives_the_same_events);
    tcase_add_test(tc, an_instruction_only_sink_sees_what_a_full_one_sees);
    tcase_add_test(tc, breakpoints_stop_before_and_continue_past);
    tcase_add_test(tc, watchpoints_stop_after_the_access);
    tcase_add_test(tc, accesses_asked_for_after_a_run_that_did_not_are_all_seen);
    tcase_add_test(tc, a_run_can_stop_before_the_kernel_model_acts);
    tcase_add_test(tc, poison_after_a_clear_is_reported_while_events_stay_on);
    tcase_add_test(tc, aarch64_fixup_writes_show_as_register_events);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
