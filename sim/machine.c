/*
 * machine.c - rasim.h: machine lifetime, memory, registers, running.
 */
#include "sim/machine.h"
#include "sim/kernel_model.h"
#include "sim/trace.h"
#include "sim/trace_writer.h"
#include "ras/ras.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sim_fail(rasim_machine *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->err, sizeof(m->err), fmt, ap);
    va_end(ap);
    return -1;
}

enum rasim_arch rasim_arch_from_name(const char *name)
{
    switch (ld_arch_from_name(name)) {
    case LD_ARCH_AARCH64: return RASIM_ARCH_AARCH64;
    case LD_ARCH_RV64: return RASIM_ARCH_RV64;
    case LD_ARCH_NONE: break;
    }
    return RASIM_ARCH_NONE;
}

const char *rasim_arch_name(enum rasim_arch arch)
{
    return arch == RASIM_ARCH_AARCH64 ? "aarch64" : arch == RASIM_ARCH_RV64 ? "rv64" : "none";
}

/* RAS poison that arrives at an instruction count reads this clock. */
static uint64_t ras_clock(void *ctx)
{
    return ((const rasim_machine *)ctx)->clock;
}

rasim_machine *rasim_new(enum rasim_arch arch)
{
    const struct sim_arch *a = sim_arch_for(arch);
    if (!a)
        return NULL;
    rasim_machine *m = calloc(1, sizeof(*m));
    if (!m)
        return NULL;
    m->arch = a;
    m->pm = phys_new();
    m->cpu = m->pm ? a->cpu_new(m->pm) : NULL;
    m->ras = m->pm ? ras_new(m->pm) : NULL;
    if (m->ras)
        ras_set_clock(m->ras, ras_clock, m);
    m->profile = profile_builtin(PROFILE_DEFAULT, a->ld_arch);
    if (!m->cpu || !m->ras) {
        rasim_free(m);
        return NULL;
    }
    return m;
}

void rasim_free(rasim_machine *m)
{
    if (!m)
        return;
    sim_trace_writer_free(m); /* first: it may still describe PCs by symbol */
    for (size_t i = 0; i < m->nimages; i++)
        ld_image_free(m->images[i]);
    free(m->images);
    sim_trace_free(m);
    rasim_set_mmu_check(m, false); /* the checker goes before the TLB it watches */
    if (m->cpu)
        m->arch->cpu_free(m->cpu);
    ras_free(m->ras);
    phys_free(m->pm);
    free(m->fixups);
    free(m->notes);
    free(m);
}

enum rasim_arch rasim_get_arch(const rasim_machine *m)
{
    return m->arch->arch;
}

const char *rasim_error(const rasim_machine *m)
{
    return m->err;
}

/* ---- memory ----------------------------------------------------------- */

int rasim_add_region(rasim_machine *m, const char *name, uint64_t pa, uint64_t size,
                     enum rasim_region_kind kind)
{
    struct phys_region r = {.base = pa, .size = size};
    r.kind = kind == RASIM_REGION_ROM      ? PHYS_ROM
             : kind == RASIM_REGION_ABSENT ? PHYS_ABSENT
                                           : PHYS_RAM;
    snprintf(r.name, sizeof(r.name), "%s", name ? name : "ram");
    return phys_add_region(m->pm, &r, m->err, sizeof(m->err));
}

int rasim_add_device(rasim_machine *m, const char *name, uint64_t pa, uint64_t size,
                     const struct rasim_device *device)
{
    struct phys_region r = {.base = pa, .size = size, .kind = PHYS_DEVICE};
    snprintf(r.name, sizeof(r.name), "%s", name ? name : "device");
    r.device.read = device->read;
    r.device.write = device->write;
    r.device.ctx = device->ctx;
    return phys_add_region(m->pm, &r, m->err, sizeof(m->err));
}

static int phys_error(rasim_machine *m, const char *what, const struct phys_fault *f)
{
    return sim_fail(m, "%s at physical address 0x%llx: %s", what, (unsigned long long)f->pa,
                    phys_status_name(f->status));
}

int rasim_read_phys(rasim_machine *m, uint64_t pa, void *buf, size_t len)
{
    struct phys_fault f;
    if (phys_read(m->pm, pa, buf, len, PHYS_INIT, &f) != PHYS_OK)
        return phys_error(m, "read", &f);
    return 0;
}

int rasim_write_phys(rasim_machine *m, uint64_t pa, const void *buf, size_t len)
{
    struct phys_fault f;
    if (phys_write(m->pm, pa, buf, len, PHYS_INIT, &f) != PHYS_OK)
        return phys_error(m, "write", &f);
    return 0;
}

int rasim_read_tag(rasim_machine *m, uint64_t pa, uint8_t *tag)
{
    enum phys_status st = phys_tag_peek(m->pm, pa, tag);
    if (st != PHYS_OK)
        return sim_fail(m, "tag at physical address 0x%llx: %s", (unsigned long long)pa,
                        phys_status_name(st));
    return 0;
}

int rasim_write_tag(rasim_machine *m, uint64_t pa, uint8_t tag)
{
    enum phys_status st = phys_tag_poke(m->pm, pa, tag);
    if (st != PHYS_OK)
        return sim_fail(m, "tag at physical address 0x%llx: %s", (unsigned long long)pa,
                        phys_status_name(st));
    return 0;
}

int rasim_snapshot(rasim_machine *m)
{
    if (phys_snapshot_take(m->pm) < 0)
        return sim_fail(m, "out of host memory for a snapshot");
    return 0;
}

size_t rasim_restore(rasim_machine *m)
{
    return phys_snapshot_restore(m->pm);
}

/* ---- registers -------------------------------------------------------- */

void rasim_reset_cpu(rasim_machine *m)
{
    m->arch->cpu_reset(m->cpu);
    m->pending = false;
}

static bool present(const rasim_machine *m, int i)
{
    return !m->arch->reg_present || m->arch->reg_present(m->cpu, i);
}

/* The index of register name, or -1 with the error. */
static int reg_index(rasim_machine *m, const char *name)
{
    int i = m->arch->reg_lookup(name);
    if (i < 0)
        return sim_fail(m, "unknown %s register '%s'", rasim_arch_name(m->arch->arch), name);
    if (!present(m, i))
        return sim_fail(
            m, "register '%s' exists only with FEAT_RAS (rasim_set_feat_ras, --feat-ras)", name);
    return i;
}

int rasim_get_reg(rasim_machine *m, const char *name, uint64_t *value)
{
    int i = reg_index(m, name);
    if (i < 0)
        return -1;
    *value = m->arch->reg_get(m->cpu, i);
    return 0;
}

int rasim_set_reg(rasim_machine *m, const char *name, uint64_t value)
{
    int i = reg_index(m, name);
    if (i < 0)
        return -1;
    m->arch->reg_set(m->cpu, i, value);
    return 0;
}

const char *rasim_gpr_name(const rasim_machine *m, unsigned n)
{
    return m->arch->gpr_name(n);
}

int rasim_reg_count(const rasim_machine *m)
{
    return m->arch->reg_count();
}

const char *rasim_reg_name(const rasim_machine *m, int index)
{
    return index >= 0 && index < m->arch->reg_count() && present(m, index)
               ? m->arch->reg_name(index)
               : NULL;
}

/* ---- architecture settings -------------------------------------------- */

int rasim_set_misaligned_traps(rasim_machine *m, bool on)
{
    if (!m->arch->set_misaligned_traps)
        return sim_fail(m, "misaligned-access traps are an rv64 setting");
    m->arch->set_misaligned_traps(m->cpu, on);
    return 0;
}

int rasim_set_htif(rasim_machine *m, uint64_t tohost_pa, uint64_t fromhost_pa)
{
    if (!m->arch->set_htif)
        return sim_fail(m, "HTIF (tohost/fromhost) is an rv64 interface");
    m->arch->set_htif(m->cpu, tohost_pa, fromhost_pa);
    return 0;
}

int rasim_set_svadu(rasim_machine *m, bool on)
{
    if (!m->arch->set_svadu)
        return sim_fail(m, "Svadu is an rv64 setting");
    m->arch->set_svadu(m->cpu, on);
    return 0;
}

int rasim_set_ras_delivery(rasim_machine *m, enum rasim_ras_delivery delivery)
{
    if (!m->arch->set_ras_access_fault)
        return sim_fail(m, "the RAS delivery choice is an rv64 setting");
    m->arch->set_ras_access_fault(m->cpu, delivery == RASIM_RAS_ACCESS_FAULT);
    return 0;
}

int rasim_set_feat_ras(rasim_machine *m, bool on)
{
    if (!m->arch->set_feat_ras)
        return sim_fail(m, "FEAT_RAS is an aarch64 setting");
    m->arch->set_feat_ras(m->cpu, on);
    return 0;
}

/* ---- running ---------------------------------------------------------- */

const char *rasim_stop_reason_name(enum rasim_stop_reason reason)
{
    switch (reason) {
    case RASIM_STOP_RETURNED: return "returned";
    case RASIM_STOP_BUDGET: return "budget exhausted";
    case RASIM_STOP_EXCEPTION: return "exception";
    case RASIM_STOP_BREAKPOINT: return "breakpoint";
    case RASIM_STOP_EXIT: return "exit";
    case RASIM_STOP_OOPS: return "oops";
    }
    return "unknown";
}

void rasim_set_return_sentinel(rasim_machine *m, uint64_t addr)
{
    m->sentinel = addr;
    m->sentinel_set = true;
}

/* Attach what the CPU knows to the RAS record of the poison this exception
 * consumed, if it consumed any. */
/* Room for a note per error-log record up to n. */
static int grow_notes(rasim_machine *m, size_t n)
{
    if (n <= m->capnotes)
        return 0;
    size_t cap = m->capnotes ? m->capnotes : 16;
    while (cap < n)
        cap *= 2;
    struct sim_error_note *grown = realloc(m->notes, cap * sizeof(*grown));
    if (!grown)
        return -1;
    memset(grown + m->capnotes, 0, (cap - m->capnotes) * sizeof(*grown));
    m->notes = grown;
    m->capnotes = cap;
    return 0;
}

/* The outcome of the latest asynchronous record not yet described. */
static void note_async(rasim_machine *m, const char *outcome)
{
    for (size_t i = ras_log_count(m->ras); i-- > 0;) {
        const struct ras_record *r = ras_log_get(m->ras, i);
        if (!r->async)
            continue;
        if (grow_notes(m, i + 1) < 0 || m->notes[i].known)
            return;
        m->notes[i].known = true;
        m->notes[i].insns = m->clock;
        m->notes[i].pc = 0;
        rasim_get_reg(m, "pc", &m->notes[i].pc);
        snprintf(m->notes[i].outcome, sizeof(m->notes[i].outcome), "%s", outcome);
        return;
    }
}

static void note_error(rasim_machine *m, const struct isa_exception *e, const char *outcome)
{
    size_t n = ras_log_count(m->ras);
    if (!n || !e->pa_valid || ras_log_get(m->ras, n - 1)->pa != e->pa || grow_notes(m, n) < 0)
        return;
    struct sim_error_note *note = &m->notes[n - 1];
    if (note->known)
        return;
    note->known = true;
    note->insns = m->clock;
    note->pc = e->pc;
    note->va = e->addr;
    note->va_valid = e->addr_valid;
    snprintf(note->outcome, sizeof(note->outcome), "%s", outcome);
}

static void push_fixup(rasim_machine *m, const struct rasim_fixup *f)
{
    if (m->nfixups == m->capfixups) {
        size_t cap = m->capfixups ? m->capfixups * 2 : 8;
        struct rasim_fixup *grown = realloc(m->fixups, cap * sizeof(*grown));
        if (!grown)
            return;
        m->fixups = grown;
        m->capfixups = cap;
    }
    m->fixups[m->nfixups++] = *f;
}

static void stop_from_isa(struct rasim_stop *stop, const struct isa_stop *s)
{
    stop->reason = (enum rasim_stop_reason)s->reason;
    stop->pc = s->pc;
    stop->exit_code = s->exit_code;
    if (s->reason == ISA_STOP_EXCEPTION) {
        stop->syndrome = s->exc.syndrome;
        stop->fault_addr = s->exc.addr;
        stop->fault_addr_valid = s->exc.addr_valid;
        stop->insn = s->exc.insn;
        stop->insn_valid = s->exc.insn_valid;
        stop->exception_pc = s->exc.pc;
        stop->target_level = s->exc.target_el;
        stop->fault_pa = s->exc.pa;
        stop->fault_pa_valid = s->exc.pa_valid;
    }
}

void rasim_set_stop_on_exception(rasim_machine *m, bool on)
{
    m->stop_on_exception = on;
}

int rasim_drop_exception(rasim_machine *m)
{
    if (!m->pending)
        return sim_fail(m, "no exception is pending");
    note_error(m, &m->pending_stop.exc, "dropped by the debugger");
    m->pending = false;
    return 0;
}

/*
 * A store under the async policy raised an error, and the run stopped at
 * the next instruction boundary to deliver it: arm64 SError (to the guest's
 * VBAR, or to the kernel model when there is none), RV64 the supervisor
 * external interrupt. Returns true when the run goes on (delivered, or
 * still masked: the first instruction then runs before it is tried again);
 * false with *s the exception record for the kernel model.
 */
static bool deliver_async(rasim_machine *m, struct isa_stop *s)
{
    if (ras_async_take(m->ras, &m->async_rec))
        m->async_held = true;
    if (!m->async_held)
        return true;
    struct isa_stop as;
    uint64_t insns = s->insns;
    switch (m->arch->async_error(m->cpu, &as)) {
    case SIM_ASYNC_PENDING: sim_trace_async_later(m); return true;
    case SIM_ASYNC_DELIVERED:
        m->async_held = false;
        note_async(m, m->arch->arch == RASIM_ARCH_AARCH64
                          ? "delivered as an SError to the guest's vector"
                          : "raised the supervisor external interrupt");
        return true;
    case SIM_ASYNC_STOP: break;
    }
    m->async_held = false;
    *s = as;
    s->insns = insns;
    s->exc.pa = m->async_rec.pa; /* the poisoned byte the store touched */
    s->exc.pa_valid = true;
    return false;
}

/*
 * Run the CPU; when it stops on a kernel-mode exception with no guest
 * vector, ask the kernel model, and either continue at the fixup or stop
 * with an oops. A run is also split where RAS poison is due to arrive, so
 * the RAS clock is exact when it does. With stop_on_exception the run
 * stops before asking the model, and the next run asks it first.
 */
int rasim_run(rasim_machine *m, uint64_t max_insns, struct rasim_stop *stop)
{
    /* Without a sentinel no PC can match: an odd address on both ISAs
     * whose fetch would fault before reaching it. */
    uint64_t sentinel = m->sentinel_set ? m->sentinel : UINT64_MAX;
    uint64_t left = max_insns, retired = 0;
    memset(stop, 0, sizeof(*stop));
    m->nfixups = 0;
    sim_trace_run_start(m);
    struct isa_stop s;
    bool deliver = m->pending;
    if (deliver) {
        s = m->pending_stop;
        m->pending = false;
    }
    for (;;) {
        if (deliver) {
            deliver = false; /* the pending exception, to the model below */
        } else {
            uint64_t slice = left, due;
            bool split = ras_next_trigger(m->ras, &due) && due - m->clock < slice;
            if (split)
                slice = due - m->clock;
            m->arch->run(m->cpu, slice, sentinel, &s);
            retired += s.insns;
            m->clock += s.insns;
            if (s.reason == ISA_STOP_BREAKPOINT && sim_trace_async_due(m)) {
                left = left > s.insns ? left - s.insns : 0;
                if (deliver_async(m, &s) && left)
                    continue; /* delivered, or still pending: go on */
                if (!left && s.reason != ISA_STOP_EXCEPTION) {
                    s.reason = ISA_STOP_BUDGET;
                    stop_from_isa(stop, &s);
                    break;
                }
            }
            sim_trace_after_isa(m, &s);
            if (s.reason == ISA_STOP_BUDGET) {
                left -= slice;
                if (split && left)
                    continue; /* the poison has arrived: go on */
                stop_from_isa(stop, &s);
                break;
            }
            if (s.reason != ISA_STOP_EXCEPTION || !m->profile) {
                if (s.reason == ISA_STOP_EXCEPTION)
                    note_error(m, &s.exc, "stopped the run (no kernel model)");
                stop_from_isa(stop, &s);
                break;
            }
            if (m->stop_on_exception) {
                m->pending = true;
                m->pending_stop = s;
                stop_from_isa(stop, &s);
                stop->pending = true;
                break;
            }
        }
        struct km_decision d;
        km_handle(m, &s.exc, &d);
        if (d.verdict == KM_FIXED_UP) {
            char where[96], outcome[160];
            rasim_describe(m, d.fix.fixup, where, sizeof(where));
            snprintf(outcome, sizeof(outcome), "fixed up via %s(%u) to %s", d.fix.type_name,
                     d.fix.type, where);
            note_error(m, &s.exc, outcome);
            push_fixup(m, &d.fix);
            sim_trace_fixup(m, &d.fix);
            /* The faulting instruction counts against the budget, so a
             * routine that faults forever still ends. */
            uint64_t used = s.insns + 1;
            left = left > used ? left - used : 0;
            if (left)
                continue;
            stop->reason = RASIM_STOP_BUDGET;
            stop->pc = d.fix.fixup;
            break;
        }
        stop_from_isa(stop, &s);
        if (d.verdict == KM_OOPS) {
            note_error(m, &s.exc, "oops");
            stop->reason = RASIM_STOP_OOPS;
            snprintf(stop->reason_text, sizeof(stop->reason_text), "%s", d.reason);
            km_backtrace(m, stop->backtrace, sizeof(stop->backtrace));
        } else {
            note_error(m, &s.exc, "stopped the run (user mode)");
        }
        break;
    }
    stop->insns = retired;
    sim_trace_run_end(m, stop);
    return 0;
}

uint64_t rasim_instructions_retired(const rasim_machine *m)
{
    return m->clock;
}

int rasim_step(rasim_machine *m, struct rasim_stop *stop)
{
    return rasim_run(m, 1, stop);
}
