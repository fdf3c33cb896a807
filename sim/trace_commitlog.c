/*
 * trace_commitlog.c - the "commitlog" trace (RV64): Spike's commit log, as
 * `spike --log-commits` prints it, so a rasim run can be diffed against
 * Spike's or fed to the tools that read Spike logs.
 *
 * Followed: riscv-software-src/riscv-isa-sim, riscv/execute.cc,
 * commit_log_print_insn() and commit_log_print_value(): per retired
 * instruction
 *
 *   core   0: 1 0x0000000080000010 (0x00b50533) x10 0x0000000000000003 mem 0x...
 *
 * i.e. "core%4d: ", the privilege the instruction ran in ("%1d "), the PC
 * (0x and xlen/4 digits), the encoding ("(0x%08x)", "(0x%04x)" when
 * compressed), then each register written in Spike's order (its map key:
 * x registers by number, then CSRs by number), " x%-2d " or " c%d_<name> "
 * and the value (0x and 16 digits), then every load " mem 0x<addr>", then
 * every store " mem 0x<addr> 0x<value>" with 2 digits per byte stored.
 * Spike never commits an instruction that traps; with -l it prints the
 * trap instead (riscv/processor.cc, processor_t::take_trap()):
 *
 *   core   0: exception trap_load_access_fault, epc 0x0000000080000010
 *   core   0:           tval 0x0000000090000040
 *
 * with the trap names of riscv/trap.h ("trap #19" for a cause it does not
 * name, "interrupt #9" for an interrupt, as trap_t::name() does), and so
 * do we. Checked against those
 * sources only: Spike is not packaged by Debian, so no reference run.
 *
 * Where we differ (docs/traces.md): a register appears when its value
 * changed (events carry changes, Spike logs writes, so `addi a0, a0, 0`
 * shows no x10), and writing sstatus shows both c768_mstatus and
 * c256_sstatus. Poison, fixups, walks and sfence.vma have no commit-log
 * line; register changes made by a trap or by the kernel model's fixup
 * are not shown (Spike shows none for a trap either).
 */
#include "sim/trace_writer.h"

#include <stdlib.h>
#include <string.h>

/* The CSRs we model, by their numbers in the privileged specification. */
static const struct {
    const char *name;
    unsigned number;
} csrs[] = {
    {"sstatus", 0x100},  {"stvec", 0x105},    {"scounteren", 0x106}, {"senvcfg", 0x10a},
    {"sscratch", 0x140}, {"sepc", 0x141},     {"scause", 0x142},     {"stval", 0x143},
    {"satp", 0x180},     {"mstatus", 0x300},  {"misa", 0x301},       {"medeleg", 0x302},
    {"mideleg", 0x303},  {"mie", 0x304},      {"mtvec", 0x305},      {"mcounteren", 0x306},
    {"menvcfg", 0x30a},  {"mscratch", 0x340}, {"mepc", 0x341},       {"mcause", 0x342},
    {"mtval", 0x343},    {"mip", 0x344},
};

/* riscv/trap.h's names, by cause. */
static const char *const trap_names[] = {
    [0] = "instruction_address_misaligned",
    [1] = "instruction_access_fault",
    [2] = "illegal_instruction",
    [3] = "breakpoint",
    [4] = "load_address_misaligned",
    [5] = "load_access_fault",
    [6] = "store_address_misaligned",
    [7] = "store_access_fault",
    [8] = "user_ecall",
    [9] = "supervisor_ecall",
    [10] = "virtual_supervisor_ecall",
    [11] = "machine_ecall",
    [12] = "instruction_page_fault",
    [13] = "load_page_fault",
    [15] = "store_page_fault",
    [16] = "double_trap",
    [18] = "software_check",
    [20] = "instruction_guest_page_fault",
    [21] = "load_guest_page_fault",
    [22] = "virtual_instruction",
    [23] = "store_guest_page_fault",
};

struct commitlog {
    uint64_t priv; /* the mode the next instruction runs in */
    const char *gpr[32];
};

/* Spike's key for a register write: (number << 4) | type, x = 0, CSR = 4. */
static int reg_key(const struct commitlog *c, const char *name)
{
    for (int n = 1; n < 32; n++)
        if (!strcmp(c->gpr[n], name))
            return n << 4;
    for (size_t i = 0; i < sizeof(csrs) / sizeof(*csrs); i++)
        if (!strcmp(csrs[i].name, name))
            return (int)(csrs[i].number << 4 | 4);
    return -1; /* pc, priv: not registers Spike logs */
}

static int commitlog_open(struct tw *w)
{
    if (!tw_keeps(w, RASIM_EV_INSN))
        return sim_fail(w->m, "trace format 'commitlog' prints one line per instruction: its "
                              "kinds must include insn");
    struct commitlog *c = calloc(1, sizeof(*c));
    if (!c)
        return sim_fail(w->m, "out of memory");
    rasim_get_reg(w->m, "priv", &c->priv);
    for (unsigned n = 0; n < 32; n++)
        c->gpr[n] = rasim_gpr_name(w->m, n);
    w->state = c;
    return 0;
}

static void print_trap(struct tw *w, const struct rasim_event *e)
{
    uint64_t cause = e->exception.syndrome;
    const char *name = cause < sizeof(trap_names) / sizeof(*trap_names) ? trap_names[cause] : NULL;
    if (cause >> 63) /* an interrupt: trap_t::name() gives "interrupt #<code>" */
        fprintf(w->out, "core%4d: exception interrupt #%u, epc 0x%016llx\n", 0,
                (unsigned)(cause & 0xff), (unsigned long long)e->exception.return_pc);
    else if (name)
        fprintf(w->out, "core%4d: exception trap_%s, epc 0x%016llx\n", 0, name,
                (unsigned long long)e->exception.return_pc);
    else
        fprintf(w->out, "core%4d: exception trap #%llu, epc 0x%016llx\n", 0,
                (unsigned long long)cause, (unsigned long long)e->exception.return_pc);
    if (e->exception.addr_valid)
        fprintf(w->out, "core%4d:           tval 0x%016llx\n", 0,
                (unsigned long long)e->exception.addr);
}

struct write {
    int key;
    const char *name;
    uint64_t value;
};

static int by_key(const void *a, const void *b)
{
    const struct write *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

static void print_regs(struct tw *w, const struct tw_insn *g)
{
    struct commitlog *c = w->state;
    struct write writes[64];
    size_t n = 0;
    for (size_t i = 0; i < g->n && n < 64; i++) {
        const struct rasim_event *e = &g->ev[i].ev;
        int key = e->kind == RASIM_EV_REG ? reg_key(c, e->reg.name) : -1;
        if (key >= 0)
            writes[n++] = (struct write){key, e->reg.name, e->reg.value};
    }
    qsort(writes, n, sizeof(*writes), by_key);
    for (size_t i = 0; i < n; i++) {
        if (writes[i].key & 4)
            fprintf(w->out, " c%d_%s ", writes[i].key >> 4, writes[i].name);
        else
            fprintf(w->out, " x%-2d ", writes[i].key >> 4);
        fprintf(w->out, "0x%016llx", (unsigned long long)writes[i].value);
    }
}

static void print_mem(struct tw *w, const struct tw_insn *g, bool stores)
{
    for (size_t i = 0; i < g->n; i++) {
        const struct rasim_event *e = &g->ev[i].ev;
        if (e->kind != RASIM_EV_MEM || e->mem.tag || e->mem.write != stores)
            continue;
        fprintf(w->out, " mem 0x%016llx", (unsigned long long)e->mem.va);
        if (stores) {
            char value[40];
            tw_hex(g->ev[i].bytes, g->ev[i].nbytes, true, value, sizeof(value));
            fprintf(w->out, " %s", value);
        }
    }
}

static void commitlog_insn(struct tw *w, const struct tw_insn *g)
{
    struct commitlog *c = w->state;
    uint64_t priv = c->priv;
    const struct rasim_event *trap = NULL;
    for (size_t i = 0; i < g->n; i++) {
        const struct rasim_event *e = &g->ev[i].ev;
        if (e->kind == RASIM_EV_REG && !strcmp(e->reg.name, "priv"))
            c->priv = e->reg.value;
        if (e->kind == RASIM_EV_EXCEPTION && !trap)
            trap = e;
    }
    if (!g->insn)
        return;
    if (trap) {
        if (tw_keeps(w, RASIM_EV_EXCEPTION))
            print_trap(w, trap);
        return;
    }
    const struct rasim_event *e = g->insn;
    fprintf(w->out, "core%4d: %1d 0x%016llx (0x%0*x)", 0, (int)priv, (unsigned long long)e->pc,
            e->insn.size == 2 ? 4 : 8, e->insn.size == 2 ? e->insn.word & 0xffff : e->insn.word);
    if (tw_keeps(w, RASIM_EV_REG))
        print_regs(w, g);
    if (tw_keeps(w, RASIM_EV_MEM)) {
        print_mem(w, g, false);
        print_mem(w, g, true);
    }
    fputc('\n', w->out);
}

static void commitlog_close(struct tw *w)
{
    free(w->state);
}

const struct tw_format tw_commitlog = {
    .name = "commitlog",
    .arch = RASIM_ARCH_RV64,
    /* priv, and whether the instruction trapped (then it is not committed). */
    .always =
        RASIM_EV_BIT(RASIM_EV_INSN) | RASIM_EV_BIT(RASIM_EV_REG) | RASIM_EV_BIT(RASIM_EV_EXCEPTION),
    .open = commitlog_open,
    .insn = commitlog_insn,
    .close = commitlog_close,
};
