/*
 * trace_jsonl.c - the "jsonl" trace: one JSON object per event, per line,
 * for tools. The keys, their order and their meaning are docs/traces.md's
 * schema: change one only with that page. Addresses and register values
 * are "0x..." strings (a JSON number cannot hold every 64-bit value in all
 * readers); counts, sizes and levels are numbers.
 */
#include "sim/trace_writer.h"

#include <jansson.h>

static void set_hex(json_t *o, const char *key, uint64_t v)
{
    char buf[24];
    snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
    json_object_set_new(o, key, json_string(buf));
}

static void set_str(json_t *o, const char *key, const char *s)
{
    json_object_set_new(o, key, s ? json_string(s) : json_null());
}

static void set_int(json_t *o, const char *key, uint64_t v)
{
    json_object_set_new(o, key, json_integer((json_int_t)v));
}

static void set_bool(json_t *o, const char *key, bool v)
{
    json_object_set_new(o, key, json_boolean(v));
}

static void insn_fields(struct tw *w, json_t *o, const struct rasim_event *e)
{
    const struct tw_insn_text *t = tw_insn_text(w, e->pc, e->insn.word);
    set_hex(o, "word", e->insn.word);
    set_int(o, "size", e->insn.size);
    set_str(o, "sym", t->sym);
    set_str(o, "disasm", t->text);
    set_bool(o, "in_subset", t->known);
}

static void walk_fields(json_t *o, const struct rasim_event *e)
{
    set_hex(o, "va", e->walk.va);
    set_str(o, "access", e->walk.fetch ? "fetch" : e->walk.write ? "write" : "read");
    set_bool(o, "ok", e->walk.ok);
    if (e->walk.ok) {
        set_hex(o, "pa", e->walk.pa);
        set_int(o, "size", e->walk.size);
    } else {
        set_str(o, "fault", e->walk.fault);
    }
    set_int(o, "level", (uint64_t)(int64_t)e->walk.level);
    json_t *steps = json_array();
    for (unsigned i = 0; i < e->walk.nsteps; i++) {
        json_t *s = json_object();
        set_int(s, "level", (uint64_t)(int64_t)e->walk.steps[i].level);
        set_hex(s, "pa", e->walk.steps[i].pa);
        set_hex(s, "desc", e->walk.steps[i].desc);
        json_array_append_new(steps, s);
    }
    json_object_set_new(o, "steps", steps);
}

static void exception_fields(json_t *o, const struct rasim_event *e)
{
    set_hex(o, "syndrome", e->exception.syndrome);
    set_str(o, "text", e->exception.text);
    if (e->exception.addr_valid)
        set_hex(o, "addr", e->exception.addr);
    if (e->exception.pa_valid)
        set_hex(o, "pa", e->exception.pa);
    set_hex(o, "return_pc", e->exception.return_pc);
    set_int(o, "target_level", e->exception.target_level);
    set_bool(o, "taken", e->exception.taken);
}

static void poison_fields(json_t *o, const struct rasim_event *e)
{
    const struct rasim_error_record *p = &e->poison;
    set_int(o, "seq", p->seq);
    set_int(o, "insns", p->insns);
    set_str(o, "access", p->access);
    set_hex(o, "pa", p->pa);
    if (p->va_valid)
        set_hex(o, "va", p->va);
    set_bool(o, "tag", p->tag);
    set_bool(o, "async", p->async);
    set_str(o, "outcome", p->outcome ? p->outcome : "");
}

static void fixup_fields(struct tw *w, json_t *o, const struct rasim_event *e)
{
    const struct rasim_fixup *f = &e->fixup;
    char insn[160], to[160];
    rasim_describe(w->m, f->insn, insn, sizeof(insn));
    rasim_describe(w->m, f->fixup, to, sizeof(to));
    set_hex(o, "insn", f->insn);
    set_str(o, "insn_sym", insn);
    set_hex(o, "fixup", f->fixup);
    set_str(o, "fixup_sym", to);
    set_int(o, "type", f->type);
    set_str(o, "type_name", f->type_name);
    set_str(o, "exception", f->exception);
    if (f->fault_addr_valid)
        set_hex(o, "fault_addr", f->fault_addr);
    if (f->pa_valid)
        set_hex(o, "pa", f->pa);
    json_t *regs = json_array();
    for (int r = 0; r < f->nregs && r < 2; r++) {
        json_t *x = json_object();
        set_str(x, "name", f->reg[r]);
        set_hex(x, "value", f->value[r]);
        json_array_append_new(regs, x);
    }
    json_object_set_new(o, "regs", regs);
    if (f->memory_failure)
        set_hex(o, "pfn", f->pfn);
}

static void jsonl_event(struct tw *w, const struct rasim_event *e)
{
    json_t *o = json_object();
    if (!o) {
        w->failed = true;
        return;
    }
    set_str(o, "kind", rasim_event_kind_name(e->kind));
    set_int(o, "icount", e->icount);
    set_hex(o, "pc", e->pc);
    switch (e->kind) {
    case RASIM_EV_INSN: insn_fields(w, o, e); break;
    case RASIM_EV_REG:
        set_str(o, "name", e->reg.name);
        set_hex(o, "value", e->reg.value);
        set_hex(o, "old", e->reg.old);
        break;
    case RASIM_EV_MEM: {
        uint8_t bytes[16];
        char value[40];
        tw_hex(bytes, tw_mem_bytes(w, e, bytes), false, value, sizeof(value));
        set_str(o, "access", e->mem.write ? "write" : "read");
        set_hex(o, "va", e->mem.va);
        set_hex(o, "pa", e->mem.pa);
        set_int(o, "size", e->mem.size);
        set_str(o, "value", value);
        set_bool(o, "tag", e->mem.tag);
        break;
    }
    case RASIM_EV_WALK: walk_fields(o, e); break;
    case RASIM_EV_TLBI: set_str(o, "text", e->tlbi.text); break;
    case RASIM_EV_EXCEPTION: exception_fields(o, e); break;
    case RASIM_EV_POISON: poison_fields(o, e); break;
    case RASIM_EV_FIXUP: fixup_fields(w, o, e); break;
    case RASIM_EV_CHECK:
        set_str(o, "warning", e->check.kind);
        set_hex(o, "insn", e->check.pc);
        set_hex(o, "va", e->check.va);
        set_hex(o, "pte_pa", e->check.pte_pa);
        set_hex(o, "cached", e->check.cached);
        set_hex(o, "current", e->check.current);
        set_str(o, "text", e->check.text);
        break;
    case RASIM_EV_NKINDS: break;
    }
    if (json_dumpf(o, w->out, JSON_COMPACT | JSON_PRESERVE_ORDER) < 0)
        w->failed = true;
    fputc('\n', w->out);
    json_decref(o);
}

const struct tw_format tw_jsonl = {
    .name = "jsonl",
    .event = jsonl_event,
};
