/*
 * kernel_model.c - the kernel's exception-table recovery, as a profile says
 * a given kernel does it (KERNEL-FACTS.md 1.5, 2.2, 3.2).
 *
 * The order of questions follows the kernel: what kind of exception is this
 * (fault_info[] by DFSC on arm64, excp_vect_table by scause on riscv);
 * does that path call fixup_exception() at all; is there an entry for the
 * faulting instruction; does this kernel's handler table accept its type;
 * then the type's handler.
 */
#include "sim/kernel_model.h"
#include "ras/ras.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define EFAULT_VALUE ((uint64_t)-14) /* -EFAULT, written as the full 64-bit register */

static enum km_class classify_a64(uint64_t esr)
{
    unsigned ec = (unsigned)(esr >> 26) & 0x3f, fsc = (unsigned)esr & 0x3f;
    switch (ec) {
    case 0x24: /* data abort from EL0 */
    case 0x25: /* data abort, same EL (KERNEL-FACTS 2.1) */
        switch (fsc & 0x3c) {
        case 0x00: return KM_DATA_ADDRESS_SIZE;
        case 0x04: return KM_DATA_TRANSLATION;
        case 0x08: return KM_DATA_ACCESS_FLAG;
        case 0x0c: return KM_DATA_PERMISSION;
        case 0x14:
        case 0x1c: return KM_DATA_SEA_WALK;
        }
        switch (fsc) {
        case 0x10:
        case 0x18: return KM_DATA_SEA;
        case 0x13:
        case 0x1b: return KM_DATA_SEA_WALK;
        case 0x11: return KM_DATA_TAG_CHECK;
        case 0x21: return KM_DATA_ALIGNMENT;
        }
        return KM_DATA_OTHER;
    case 0x20:
    case 0x21: return KM_INSTRUCTION_ABORT;
    case 0x00: return KM_UNDEFINED;
    case 0x3c: return KM_BRK;
    case 0x15: return KM_SVC;
    case 0x22: return KM_PC_ALIGNMENT;
    case 0x26: return KM_SP_ALIGNMENT;
    case 0x2f: return KM_SERROR;
    }
    return KM_DATA_OTHER;
}

static enum km_class classify_rv(uint64_t cause)
{
    switch (cause) { /* KERNEL-FACTS 3.1 */
    case 12:
    case 13:
    case 15: return KM_PAGE_FAULT;
    case 1:
    case 5:
    case 7: return KM_ACCESS_FAULT;
    case 0:
    case 4:
    case 6: return KM_MISALIGNED;
    case 2: return KM_ILLEGAL_INSTRUCTION;
    case 3: return KM_BREAKPOINT;
    case 8:
    case 9:
    case 11: return KM_ECALL;
    case 19: return KM_HARDWARE_ERROR;
    }
    return KM_UNKNOWN;
}

static uint64_t reg(rasim_machine *m, const char *name)
{
    return m->arch->reg_get(m->cpu, m->arch->reg_lookup(name));
}

static void set_reg(rasim_machine *m, const char *name, uint64_t v)
{
    m->arch->reg_set(m->cpu, m->arch->reg_lookup(name), v);
}

static bool kernel_mode(rasim_machine *m)
{
    if (m->arch->arch == RASIM_ARCH_AARCH64)
        return (reg(m, "currentel") >> 2) >= 1;
    return reg(m, "priv") >= 1; /* S or M */
}

/* With the MMU off a routine runs at its load address, which for a raw
 * image differs from the link address the table speaks in. */
const struct ld_extable_entry *km_find_extable(rasim_machine *m, uint64_t pc, uint64_t *bias)
{
    for (size_t i = 0; i < m->nimages; i++) {
        const struct ld_image *img = m->images[i];
        const struct ld_extable_entry *e = ld_extable_find(img, pc);
        if (e) {
            *bias = 0;
            return e;
        }
        for (size_t s = 0; s < img->nsegments; s++) {
            const struct ld_segment *seg = &img->segments[s];
            if (seg->pa != seg->va && pc >= seg->pa && pc - seg->pa < seg->memsz &&
                (e = ld_extable_find(img, seg->va + (pc - seg->pa)))) {
                *bias = seg->pa - seg->va;
                return e;
            }
        }
    }
    return NULL;
}

/* x<n> for the registers a data field names; "no register" is skipped:
 * arm64 31 (xzr), riscv 0 (zero) (KERNEL-FACTS 1.4). */
static bool write_gpr(rasim_machine *m, unsigned n, uint64_t value, struct rasim_fixup *fix)
{
    bool a64 = m->arch->arch == RASIM_ARCH_AARCH64;
    if ((a64 && n == 31) || (!a64 && n == 0))
        return false;
    char name[8];
    snprintf(name, sizeof(name), "x%u", n);
    set_reg(m, name, value);
    fix->reg[fix->nregs] = m->arch->gpr_name(n);
    fix->value[fix->nregs] = value;
    fix->nregs++;
    return true;
}

static void oops(struct km_decision *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void oops(struct km_decision *out, const char *fmt, ...)
{
    va_list ap;
    out->verdict = KM_OOPS;
    va_start(ap, fmt);
    vsnprintf(out->reason, sizeof(out->reason), fmt, ap);
    va_end(ap);
}

/* Did this exception consume poison? RAS logged it at the same address. */
static bool poison_consumed(const rasim_machine *m, const struct isa_exception *e)
{
    size_t n = ras_log_count(m->ras);
    return n && e->pa_valid && ras_log_get(m->ras, n - 1)->pa == e->pa;
}

void km_handle(rasim_machine *m, const struct isa_exception *e, struct km_decision *out)
{
    const struct kernel_profile *p = m->profile;
    bool a64 = m->arch->arch == RASIM_ARCH_AARCH64;
    memset(out, 0, sizeof(*out));
    if (!kernel_mode(m)) {
        out->verdict = KM_USER_MODE;
        return;
    }
    out->cls = a64 ? classify_a64(e->syndrome) : classify_rv(e->syndrome);
    const char *cls = km_class_name(out->cls);
    uint32_t accept = p->accept[out->cls];
    if (!accept) {
        oops(out, "in kernel mode; %s does not look in __ex_table for %s", p->name, cls);
        return;
    }
    uint64_t bias = 0;
    const struct ld_extable_entry *entry = km_find_extable(m, e->pc, &bias);
    if (!entry) {
        oops(out, "in kernel mode, %s, and no __ex_table entry for the instruction", cls);
        return;
    }
    const struct ex_type_desc *t = entry->type < EX_TYPE_MAX ? &p->types[entry->type] : NULL;
    char tname[64];
    snprintf(tname, sizeof(tname), "%s(%u)", t && t->name[0] ? t->name : "UNKNOWN", entry->type);
    if (!t || !t->name[0] || !(accept & (1u << entry->type))) {
        oops(out, "in kernel mode, %s; %s does not accept its entry of type %s there", cls, p->name,
             tname);
        return;
    }

    struct rasim_fixup *fix = &out->fix;
    fix->insn = e->pc;
    fix->fixup = entry->fixup + bias;
    fix->type = entry->type;
    fix->type_name = t->name;
    fix->exception = cls;
    fix->fault_addr = e->addr;
    fix->fault_addr_valid = e->addr_valid;
    fix->pa = e->pa;
    fix->pa_valid = e->pa_valid;

    switch (t->handler) {
    case EXH_NONE: oops(out, "%s; the entry of type %s has no handler", cls, tname); return;
    case EXH_BPF: oops(out, "%s; %s fixups (BPF JIT code) are not modelled", cls, tname); return;
    case EXH_FIXUP: break;
    case EXH_ERR_ZERO:
        /* err <- -EFAULT, zero <- 0 (ex_handler_uaccess_err_zero) */
        write_gpr(m, entry->data & 0x1f, EFAULT_VALUE, fix);
        write_gpr(m, (entry->data >> 5) & 0x1f, 0, fix);
        break;
    case EXH_ZEROPAD: {
        /* The aligned 8 bytes holding the address, shifted down by the
         * misalignment: the bytes past the page read as zero
         * (ex_handler_load_unaligned_zeropad). The MMU is off here, so the
         * address is read as physical. */
        char addr_reg[8];
        snprintf(addr_reg, sizeof(addr_reg), "x%u", (entry->data >> 5) & 0x1f);
        uint64_t addr = reg(m, addr_reg), word = 0;
        struct phys_fault f;
        if (phys_load(m->pm, addr & ~7ull, 8, &word, PHYS_INIT, &f) != PHYS_OK) {
            oops(out, "%s; the zero-pad fixup's own load at 0x%llx faults", cls,
                 (unsigned long long)(addr & ~7ull));
            return;
        }
        write_gpr(m, entry->data & 0x1f, word >> (8 * (addr & 7)), fix);
        break;
    }
    }
    set_reg(m, "pc", fix->fixup);
    if (p->memory_failure && poison_consumed(m, e)) {
        fix->memory_failure = true;
        fix->pfn = e->pa >> 12;
    }
    out->verdict = KM_FIXED_UP;
}

void km_backtrace(rasim_machine *m, char *buf, size_t len)
{
    bool a64 = m->arch->arch == RASIM_ARCH_AARCH64;
    size_t used = 0;
    char where[160];
    uint64_t frames[16];
    unsigned n = 0;
    frames[n++] = reg(m, "pc");
    /* Frame records: arm64 [fp] = caller's fp, [fp+8] = return address;
     * riscv with frame pointers: [fp-16] = caller's fp, [fp-8] = ra. */
    uint64_t fp = reg(m, a64 ? "x29" : "s0");
    while (n < 16 && fp && !(fp & 7)) {
        uint64_t rec[2];
        uint64_t at = a64 ? fp : fp - 16;
        if (phys_read(m->pm, at, rec, sizeof(rec), PHYS_INIT, NULL) != PHYS_OK)
            break;
        uint64_t ret = rec[1], next = rec[0];
        if (!ret || (m->sentinel_set && ret == m->sentinel))
            break;
        frames[n++] = ret;
        if (next <= fp) /* frames go up the stack */
            break;
        fp = next;
    }
    if (n == 1) { /* a leaf routine: its caller is in the link register */
        uint64_t lr = reg(m, a64 ? "x30" : "ra");
        /* (LR == PC: back in the caller after a call, LR is stale) */
        if (lr && lr != frames[0] && !(m->sentinel_set && lr == m->sentinel))
            frames[n++] = lr;
    }
    buf[0] = '\0';
    for (unsigned i = 0; i < n && used < len; i++) {
        rasim_describe(m, frames[i], where, sizeof(where));
        int w = snprintf(buf + used, len - used, "%s%s", i ? " <- " : "", where);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}
