/*
 * trace_text.c - the "text" trace: one aligned line per event, for people.
 *
 *        1  insn       rasim_memcpy_mc+0x0               00c6b7b3  sltu a5, a3, a2
 *        1  reg        a5         0x0000000000000001  (was 0x0000000000000000)
 *        9  mem        read  8  va 0x0000000090000000  pa 0x0000000090000000  0x...
 *
 * Columns: the instruction count, the event kind, then the kind's fields
 * (docs/traces.md). ANSI colours only when the trace goes to a terminal.
 */
#include "sim/trace_writer.h"

#include <string.h>

enum { DIM, BOLD, CYAN, YELLOW, RED, MAGENTA, BLUE, OFF };
static const char *const ansi[] = {"\033[2m",  "\033[1m",  "\033[36m", "\033[33m",
                                   "\033[31m", "\033[35m", "\033[34m", "\033[0m"};

static const char *paint(const struct tw *w, int colour)
{
    return w->color ? ansi[colour] : "";
}

static int kind_colour(enum rasim_event_kind kind)
{
    switch (kind) {
    case RASIM_EV_INSN: return BOLD;
    case RASIM_EV_REG: return DIM;
    case RASIM_EV_MEM: return YELLOW;
    case RASIM_EV_WALK:
    case RASIM_EV_TLBI: return BLUE;
    case RASIM_EV_EXCEPTION:
    case RASIM_EV_POISON:
    case RASIM_EV_CHECK: return RED;
    case RASIM_EV_FIXUP: return MAGENTA;
    case RASIM_EV_NKINDS: break;
    }
    return OFF;
}

static bool a64(const struct tw *w)
{
    return w->m->arch->arch == RASIM_ARCH_AARCH64;
}

static void insn_line(struct tw *w, const struct rasim_event *e)
{
    char sym[160], text[128], enc[16];
    rasim_describe(w->m, e->pc, sym, sizeof(sym));
    bool known = tw_disasm(w, e->insn.word, e->pc, text, sizeof(text));
    if (e->insn.size == 2)
        snprintf(enc, sizeof(enc), "%04x    ", e->insn.word & 0xffff);
    else
        snprintf(enc, sizeof(enc), "%08x", e->insn.word);
    fprintf(w->out, "%s%-32s%s  %s  %s%s", paint(w, CYAN), sym, paint(w, OFF), enc, text,
            known ? "" : "  (not in the interpreted subset)");
}

static void mem_line(struct tw *w, const struct rasim_event *e)
{
    const char *what =
        e->mem.tag ? (e->mem.write ? "tag-write" : "tag-read") : (e->mem.write ? "write" : "read");
    uint8_t bytes[16];
    char value[40];
    unsigned n = tw_mem_bytes(w, e, bytes);
    if (e->mem.tag)
        snprintf(value, sizeof(value), "0x%x", bytes[0] & 0xf);
    else
        tw_hex(bytes, n, true, value, sizeof(value));
    fprintf(w->out, "%-9s %u  va 0x%016llx  pa 0x%016llx  %s", what, e->mem.size,
            (unsigned long long)e->mem.va, (unsigned long long)e->mem.pa, value);
}

static void walk_line(struct tw *w, const struct rasim_event *e)
{
    const char *what = e->walk.fetch ? "fetch" : e->walk.write ? "write" : "read";
    fprintf(w->out, "%-5s va 0x%016llx -> ", what, (unsigned long long)e->walk.va);
    if (e->walk.ok)
        fprintf(w->out, "pa 0x%016llx  size 0x%llx  level %d", (unsigned long long)e->walk.pa,
                (unsigned long long)e->walk.size, e->walk.level);
    else
        fprintf(w->out, "%s%s fault%s  level %d", paint(w, RED),
                e->walk.fault ? e->walk.fault : "?", paint(w, OFF), e->walk.level);
    for (unsigned i = 0; i < e->walk.nsteps; i++)
        fprintf(w->out, "  | L%d 0x%llx: 0x%016llx", e->walk.steps[i].level,
                (unsigned long long)e->walk.steps[i].pa, (unsigned long long)e->walk.steps[i].desc);
}

static void exception_line(struct tw *w, const struct rasim_event *e)
{
    char ret[160];
    rasim_describe(w->m, e->exception.return_pc, ret, sizeof(ret));
    fprintf(w->out, "%s%s%s  %s 0x%llx", paint(w, RED), e->exception.text, paint(w, OFF),
            a64(w) ? "ESR" : "scause", (unsigned long long)e->exception.syndrome);
    if (e->exception.addr_valid)
        fprintf(w->out, "  %s 0x%llx", a64(w) ? "FAR" : "stval",
                (unsigned long long)e->exception.addr);
    if (e->exception.pa_valid)
        fprintf(w->out, "  pa 0x%llx", (unsigned long long)e->exception.pa);
    fprintf(w->out, "  %s %s", a64(w) ? "ELR" : "epc", ret);
    if (!e->exception.taken)
        fputs("  -> no guest vector: the kernel model, or the end of the run", w->out);
    else if (a64(w))
        fprintf(w->out, "  -> taken to EL%u", e->exception.target_level);
    else
        fprintf(w->out, "  -> taken to %s-mode",
                e->exception.target_level == 3   ? "M"
                : e->exception.target_level == 1 ? "S"
                                                 : "U");
}

static void poison_line(struct tw *w, const struct rasim_event *e)
{
    const struct rasim_error_record *p = &e->poison;
    fprintf(w->out, "%s%s%s pa 0x%llx", paint(w, RED), p->access ? p->access : "?", paint(w, OFF),
            (unsigned long long)p->pa);
    if (p->va_valid)
        fprintf(w->out, "  va 0x%llx", (unsigned long long)p->va);
    if (p->tag)
        fputs("  in tag storage", w->out);
    if (p->async)
        fputs("  async", w->out);
    if (p->outcome && p->outcome[0])
        fprintf(w->out, "  -> %s", p->outcome);
}

static void fixup_line(struct tw *w, const struct rasim_event *e)
{
    const struct rasim_fixup *f = &e->fixup;
    char insn[160], to[160];
    rasim_describe(w->m, f->insn, insn, sizeof(insn));
    rasim_describe(w->m, f->fixup, to, sizeof(to));
    fprintf(w->out, "%s -> %s%s%s  %s(%u)  %s", insn, paint(w, MAGENTA), to, paint(w, OFF),
            f->type_name ? f->type_name : "?", f->type, f->exception ? f->exception : "?");
    for (int r = 0; r < f->nregs && r < 2; r++) {
        if (f->value[r] == (uint64_t)-14)
            fprintf(w->out, "  %s=-EFAULT", f->reg[r]);
        else
            fprintf(w->out, "  %s=0x%llx", f->reg[r], (unsigned long long)f->value[r]);
    }
    if (f->fault_addr_valid)
        fprintf(w->out, "  va 0x%llx", (unsigned long long)f->fault_addr);
    if (f->pa_valid)
        fprintf(w->out, "  pa 0x%llx", (unsigned long long)f->pa);
    if (f->memory_failure)
        fprintf(w->out, "  memory_failure(pfn=0x%llx)", (unsigned long long)f->pfn);
}

static void text_event(struct tw *w, const struct rasim_event *e)
{
    fprintf(w->out, "%s%8llu%s  %s%-9s%s  ", paint(w, DIM), (unsigned long long)e->icount,
            paint(w, OFF), paint(w, kind_colour(e->kind)), rasim_event_kind_name(e->kind),
            paint(w, OFF));
    switch (e->kind) {
    case RASIM_EV_INSN: insn_line(w, e); break;
    case RASIM_EV_REG:
        fprintf(w->out, "%-10s 0x%016llx  (was 0x%016llx)", e->reg.name,
                (unsigned long long)e->reg.value, (unsigned long long)e->reg.old);
        break;
    case RASIM_EV_MEM: mem_line(w, e); break;
    case RASIM_EV_WALK: walk_line(w, e); break;
    case RASIM_EV_TLBI: fputs(e->tlbi.text, w->out); break;
    case RASIM_EV_EXCEPTION: exception_line(w, e); break;
    case RASIM_EV_POISON: poison_line(w, e); break;
    case RASIM_EV_FIXUP: fixup_line(w, e); break;
    case RASIM_EV_CHECK:
        fprintf(w->out, "%s%s%s", paint(w, RED), e->check.text, paint(w, OFF));
        break;
    case RASIM_EV_NKINDS: break;
    }
    fputc('\n', w->out);
}

const struct tw_format tw_text = {
    .name = "text",
    .event = text_event,
};
