/*
 * trace_tarmac.c - the "tarmac" trace (AArch64): Arm's Tarmac text, as the
 * Fast Models TarmacTrace plug-in prints it, so Arm's Tarmac tools
 * (tarmac-browser, tarmac-callinfo, ...) read a rasim run.
 *
 * Followed: ARM-software/tarmac-trace-utilities, lib/parser.cpp (the
 * grammar those tools accept) and samples/calculator-aarch64-fastmodel.tarmac
 * (what Fast Models print); Arm's "TarmacTrace file format" page for the
 * fields. Per instruction, all with its instruction count as time:
 *
 *   7 clk IT (7) 40080010 f9400022 O EL1h_ns : ldr x2, [x1]
 *   7 clk MR8 90000000:000090000000 00000000_0000002a
 *   7 clk R X2 000000000000002A
 *
 * IT, or IS for a conditional branch that was not taken (Fast Models' "failed
 * its condition"); then its accesses (M<R|W><bytes> VA:PA value, 64-bit
 * values split by '_'), its register changes (X0..X30, SP_EL0/SP_EL1, cpsr
 * in 8 digits, system registers by their upper-case names), and for an
 * exception
 *
 *   9 clk E 0000000040080018 00000200 CoreEvent_CURRENT_SPx_SYNC
 *
 * (the vector's offset as the second field) - also for one no guest vector
 * took (the kernel model, or the end of the run). What Tarmac has no line
 * for goes in text lines of types the tools know and treat as text:
 * translation-table walks as TTW (as the AEM model's trace does), the
 * exception's decoded syndrome, consumed poison and kernel fixups as
 * INFO_EXCEPTION_REASON, TLB invalidations as R TLBI (the tools skip those
 * as system operations). MTE tag accesses and MMU checker warnings have no
 * Tarmac line and are left out. Checked against that grammar (tests/test_trace.c); no Fast Models
 * run was at hand to compare with.
 */
#include "sim/trace_writer.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct tarmac {
    uint64_t cpsr; /* PSTATE as the next instruction finds it */
};

static int tarmac_open(struct tw *w)
{
    struct tarmac *t = calloc(1, sizeof(*t));
    if (!t)
        return sim_fail(w->m, "out of memory");
    rasim_get_reg(w->m, "cpsr", &t->cpsr);
    w->state = t;
    return 0;
}

/* "EL1h_ns": the exception level, SP_ELx (h) or SP_EL0 (t); Linux runs in
 * the Non-secure state. */
static void mode_of(uint64_t cpsr, char *buf, size_t len)
{
    snprintf(buf, len, "EL%u%c_ns", (unsigned)(cpsr >> 2) & 3, (cpsr & 1) ? 'h' : 't');
}

static int64_t sext(uint64_t v, unsigned bits)
{
    uint64_t m = 1ull << (bits - 1);
    return (int64_t)((v ^ m) - m);
}

/* A conditional branch (B.cond, CBZ/CBNZ, TBZ/TBNZ) that went on to the
 * next instruction although its target is elsewhere. */
static bool not_taken(const struct tw_insn *g)
{
    uint32_t w = g->insn->insn.word;
    uint64_t pc = g->insn->pc;
    int64_t off;
    if ((w & 0xff000010u) == 0x54000000u || (w & 0x7e000000u) == 0x34000000u)
        off = sext((w >> 5) & 0x7ffff, 19) * 4;
    else if ((w & 0x7e000000u) == 0x36000000u)
        off = sext((w >> 5) & 0x3fff, 14) * 4;
    else
        return false;
    return g->next_known && g->next_pc == pc + 4 && off != 4;
}

static void reg_line(struct tw *w, uint64_t t, const struct rasim_event *e)
{
    const char *n = e->reg.name;
    unsigned long long v = (unsigned long long)e->reg.value;
    if (n[0] == 'x' && isdigit((unsigned char)n[1])) {
        fprintf(w->out, "%llu clk R X%s %016llX\n", (unsigned long long)t, n + 1, v);
    } else if (!strcmp(n, "cpsr")) {
        fprintf(w->out, "%llu clk R cpsr %08llX\n", (unsigned long long)t, v & 0xffffffffull);
    } else if (!strcmp(n, "sp") || !strcmp(n, "pc") || !strcmp(n, "nzcv") ||
               !strcmp(n, "currentel") || !strcmp(n, "daif") || !strcmp(n, "pan")) {
        return; /* views of SP_ELx and cpsr, which have their own lines */
    } else {
        char upper[48];
        size_t i = 0;
        for (; n[i] && i + 1 < sizeof(upper); i++)
            upper[i] = (char)toupper((unsigned char)n[i]);
        upper[i] = '\0';
        fprintf(w->out, "%llu clk R %s %016llX\n", (unsigned long long)t, upper, v);
    }
}

/* An access of 16 bytes (a pair) is two 8-byte lines, as Fast Models print
 * STP x29, x30 (and as Tarmac readers, which hold 64-bit values, take). */
static void mem_line(struct tw *w, uint64_t t, const struct tw_held *h)
{
    const struct rasim_event *e = &h->ev;
    if (e->mem.tag)
        return;
    for (unsigned at = 0; at < h->nbytes; at += 8) {
        unsigned size = h->nbytes - at < 8 ? h->nbytes - at : 8;
        uint64_t v = 0;
        for (unsigned i = size; i-- > 0;)
            v = v << 8 | h->bytes[at + i];
        fprintf(w->out, "%llu clk M%c%u %08llx:%012llx ", (unsigned long long)t,
                e->mem.write ? 'W' : 'R', size, (unsigned long long)(e->mem.va + at),
                (unsigned long long)(e->mem.pa + at));
        if (size == 8)
            fprintf(w->out, "%08llx_%08llx\n", (unsigned long long)(v >> 32),
                    (unsigned long long)(v & 0xffffffffull));
        else
            fprintf(w->out, "%0*llx\n", (int)(2 * size), (unsigned long long)v);
    }
}

static void walk_lines(struct tw *w, uint64_t t, const struct rasim_event *e)
{
    for (unsigned i = 0; i < e->walk.nsteps; i++)
        fprintf(w->out, "%llu clk TTW %016llx L%d %012llx:%016llx\n", (unsigned long long)t,
                (unsigned long long)e->walk.va, e->walk.steps[i].level,
                (unsigned long long)e->walk.steps[i].pa, (unsigned long long)e->walk.steps[i].desc);
    if (e->walk.ok)
        fprintf(w->out, "%llu clk TTW %016llx -> %012llx size %llx\n", (unsigned long long)t,
                (unsigned long long)e->walk.va, (unsigned long long)e->walk.pa,
                (unsigned long long)e->walk.size);
    else
        fprintf(w->out, "%llu clk TTW %016llx %s fault level %d\n", (unsigned long long)t,
                (unsigned long long)e->walk.va, e->walk.fault ? e->walk.fault : "?", e->walk.level);
}

/* The vector the exception goes to, named as Fast Models name
 * CoreEvent_CURRENT_SPx_SYNC, and its offset from VBAR_EL1. */
static void exception_lines(struct tw *w, uint64_t t, uint64_t cpsr, const struct rasim_event *e)
{
    unsigned from = (unsigned)(cpsr >> 2) & 3;
    bool serror = (e->exception.syndrome >> 26 & 0x3f) == 0x2f;
    const char *where = from < e->exception.target_level ? "LOWER64"
                        : (cpsr & 1)                     ? "CURRENT_SPx"
                                                         : "CURRENT_SP0";
    unsigned offset = (from < e->exception.target_level ? 0x400u
                       : (cpsr & 1)                     ? 0x200u
                                                        : 0u) +
                      (serror ? 0x180u : 0u);
    fprintf(w->out, "%llu clk E %016llx %08x CoreEvent_%s_%s\n", (unsigned long long)t,
            (unsigned long long)e->pc, offset, where, serror ? "SERROR" : "SYNC");
    fprintf(w->out, "%llu clk INFO_EXCEPTION_REASON %s, ESR 0x%llx", (unsigned long long)t,
            e->exception.text, (unsigned long long)e->exception.syndrome);
    if (e->exception.addr_valid)
        fprintf(w->out, ", FAR 0x%llx", (unsigned long long)e->exception.addr);
    fputs(e->exception.taken ? ", taken\n" : ", no guest vector\n", w->out);
}

static void poison_line(struct tw *w, uint64_t t, const struct rasim_event *e)
{
    const struct rasim_error_record *p = &e->poison;
    fprintf(w->out, "%llu clk INFO_EXCEPTION_REASON poison consumed: %s pa 0x%llx%s",
            (unsigned long long)t, p->access ? p->access : "?", (unsigned long long)p->pa,
            p->tag ? " (tag)" : "");
    if (p->va_valid)
        fprintf(w->out, " va 0x%llx", (unsigned long long)p->va);
    fputc('\n', w->out);
}

static void fixup_line(struct tw *w, uint64_t t, const struct rasim_event *e)
{
    const struct rasim_fixup *f = &e->fixup;
    char insn[160], to[160];
    rasim_describe(w->m, f->insn, insn, sizeof(insn));
    rasim_describe(w->m, f->fixup, to, sizeof(to));
    fprintf(w->out, "%llu clk INFO_EXCEPTION_REASON fixup: %s -> %s %s(%u)", (unsigned long long)t,
            insn, to, f->type_name ? f->type_name : "?", f->type);
    for (int r = 0; r < f->nregs && r < 2; r++)
        fprintf(w->out, " %s=0x%llx", f->reg[r], (unsigned long long)f->value[r]);
    fputc('\n', w->out);
}

static void tarmac_insn(struct tw *w, const struct tw_insn *g)
{
    struct tarmac *s = w->state;
    uint64_t cpsr = s->cpsr; /* the instruction ran in this state */
    for (size_t i = 0; i < g->n; i++)
        if (g->ev[i].ev.kind == RASIM_EV_REG && !strcmp(g->ev[i].ev.reg.name, "cpsr"))
            s->cpsr = g->ev[i].ev.reg.value;
    uint64_t t = g->insn ? g->insn->icount : g->n ? g->ev[0].ev.icount : 0;
    if (g->insn && tw_keeps(w, RASIM_EV_INSN)) {
        char mode[16];
        mode_of(cpsr, mode, sizeof(mode));
        const char *text = tw_insn_text(w, g->insn->pc, g->insn->insn.word)->text;
        fprintf(w->out, "%llu clk %s (%llu) %08llx %08x O %s : %s\n", (unsigned long long)t,
                not_taken(g) ? "IS" : "IT", (unsigned long long)t, (unsigned long long)g->insn->pc,
                g->insn->insn.word, mode, text);
    }
    for (size_t i = 0; i < g->n; i++) {
        const struct rasim_event *e = &g->ev[i].ev;
        if (!tw_keeps(w, e->kind))
            continue;
        switch (e->kind) {
        case RASIM_EV_REG: reg_line(w, t, e); break;
        case RASIM_EV_MEM: mem_line(w, t, &g->ev[i]); break;
        case RASIM_EV_WALK: walk_lines(w, t, e); break;
        case RASIM_EV_TLBI:
            fprintf(w->out, "%llu clk R TLBI %s\n", (unsigned long long)t,
                    strncmp(e->tlbi.text, "tlbi ", 5) ? e->tlbi.text : e->tlbi.text + 5);
            break;
        case RASIM_EV_EXCEPTION: exception_lines(w, t, cpsr, e); break;
        case RASIM_EV_POISON: poison_line(w, t, e); break;
        case RASIM_EV_FIXUP: fixup_line(w, t, e); break;
        case RASIM_EV_INSN:
        case RASIM_EV_CHECK: /* no Tarmac line: text and jsonl have them */
        case RASIM_EV_NKINDS: break;
        }
    }
}

static void tarmac_close(struct tw *w)
{
    free(w->state);
}

const struct tw_format tw_tarmac = {
    .name = "tarmac",
    .arch = RASIM_ARCH_AARCH64,
    /* Whole instructions (IS needs the next PC), and cpsr for the mode. */
    .always = RASIM_EV_BIT(RASIM_EV_INSN) | RASIM_EV_BIT(RASIM_EV_REG),
    .open = tarmac_open,
    .insn = tarmac_insn,
    .close = tarmac_close,
};
