/*
 * stop_text.c - a run's stop in words, with the architecture's syndrome
 * decoded (ESR_EL1 per KERNEL-FACTS.md 2.1; scause per 3.1).
 */
#include "sim/machine.h"

#include <stdio.h>

/* DFSC/IFSC: the fault status code in ESR[5:0]. */
static const char *fsc_text(unsigned fsc, char *buf, size_t len)
{
    unsigned level = fsc & 3;
    switch (fsc & 0x3c) {
    case 0x00: snprintf(buf, len, "address size fault, level %u", level); return buf;
    case 0x04: snprintf(buf, len, "translation fault, level %u", level); return buf;
    case 0x08: snprintf(buf, len, "access flag fault, level %u", level); return buf;
    case 0x0c: snprintf(buf, len, "permission fault, level %u", level); return buf;
    case 0x14:
        snprintf(buf, len, "synchronous external abort on walk, level %u", level);
        return buf;
    case 0x1c: snprintf(buf, len, "parity/ECC error on walk, level %u", level); return buf;
    }
    switch (fsc) {
    case 0x10: return "synchronous external abort";
    case 0x11: return "tag check fault";
    case 0x13: return "synchronous external abort on walk, level -1";
    case 0x18: return "parity/ECC error";
    case 0x21: return "alignment fault";
    case 0x30: return "TLB conflict abort";
    case 0x31: return "unsupported atomic hardware update";
    }
    snprintf(buf, len, "fault status 0x%02x", fsc);
    return buf;
}

static void describe_a64(const rasim_machine *m, const struct rasim_stop *s, const char *where,
                         char *buf, size_t len)
{
    unsigned ec = (unsigned)(s->syndrome >> 26) & 0x3f;
    uint32_t iss = (uint32_t)s->syndrome & 0x1ffffff;
    char tmp[64], far[64];
    snprintf(far, sizeof(far), s->fault_addr_valid ? "0x%llx" : "unknown (FnV)",
             (unsigned long long)s->fault_addr);
    switch (ec) {
    case 0x00: snprintf(buf, len, "undefined instruction 0x%08x at %s", s->insn, where); return;
    case 0x15: snprintf(buf, len, "svc #0x%x at %s", iss & 0xffff, where); return;
    case 0x3c: snprintf(buf, len, "brk #0x%x at %s", iss & 0xffff, where); return;
    case 0x20:
    case 0x21:
        snprintf(buf, len, "abort (instruction fetch%s, %s) at %s", ec == 0x20 ? " from EL0" : "",
                 fsc_text(iss & 0x3f, tmp, sizeof(tmp)), where);
        return;
    case 0x24:
    case 0x25:
        snprintf(buf, len, "abort (data %s%s, %s) at VA %s in %s",
                 (iss >> 6) & 1 ? "write" : "read", ec == 0x24 ? " from EL0" : "",
                 fsc_text(iss & 0x3f, tmp, sizeof(tmp)), far, where);
        return;
    case 0x22: snprintf(buf, len, "PC alignment fault at %s", far); return;
    case 0x26: snprintf(buf, len, "SP alignment fault at %s", where); return;
    case 0x2f:
        snprintf(buf, len, "SError (asynchronous external abort%s) before %s",
                 (iss & 0x3f) == 0x11 ? ", a store's memory error" : "", where);
        return;
    }
    snprintf(buf, len, "exception EC 0x%02x (ESR 0x%llx) at %s", ec,
             (unsigned long long)s->syndrome, where);
}

static const char *const rv_causes[] = {
    [0] = "instruction address misaligned",
    [1] = "instruction access fault",
    [2] = "illegal instruction",
    [3] = "breakpoint",
    [4] = "load address misaligned",
    [5] = "load access fault",
    [6] = "store/AMO address misaligned",
    [7] = "store/AMO access fault",
    [8] = "ecall from U-mode",
    [9] = "ecall from S-mode",
    [11] = "ecall from M-mode",
    [12] = "instruction page fault",
    [13] = "load page fault",
    [15] = "store/AMO page fault",
    [18] = "software check",
    [19] = "hardware error",
};

static void describe_rv(const struct rasim_stop *s, const char *where, char *buf, size_t len)
{
    uint64_t cause = s->syndrome;
    const char *name = cause < sizeof(rv_causes) / sizeof(*rv_causes) ? rv_causes[cause] : NULL;
    if (cause == 2)
        snprintf(buf, len, "illegal instruction 0x%08llx at %s", (unsigned long long)s->fault_addr,
                 where);
    else if (name)
        snprintf(buf, len, "%s (stval 0x%llx) at %s", name, (unsigned long long)s->fault_addr,
                 where);
    else
        snprintf(buf, len, "exception cause %llu (stval 0x%llx) at %s", (unsigned long long)cause,
                 (unsigned long long)s->fault_addr, where);
}

/* The syndrome alone in words, for trace events: "data abort: SEA, not on
 * walk, read", "load page fault". */
void sim_syndrome_words(const rasim_machine *m, uint64_t syndrome, char *buf, size_t len)
{
    if (m->arch->arch != RASIM_ARCH_AARCH64) {
        const char *name =
            syndrome < sizeof(rv_causes) / sizeof(*rv_causes) ? rv_causes[syndrome] : NULL;
        if (name)
            snprintf(buf, len, "%s", name);
        else
            snprintf(buf, len, "cause %llu", (unsigned long long)syndrome);
        return;
    }
    unsigned ec = (unsigned)(syndrome >> 26) & 0x3f, fsc = (unsigned)syndrome & 0x3f;
    char tmp[64];
    const char *what = fsc_text(fsc, tmp, sizeof(tmp));
    if (fsc == 0x10)
        what = "SEA";
    switch (ec) {
    case 0x20:
    case 0x21:
        snprintf(buf, len, "instruction abort%s: %s%s", ec == 0x20 ? " from EL0" : "", what,
                 fsc == 0x10 ? ", not on walk" : "");
        return;
    case 0x24:
    case 0x25:
        snprintf(buf, len, "data abort%s: %s%s, %s", ec == 0x24 ? " from EL0" : "", what,
                 fsc == 0x10 ? ", not on walk" : "", (syndrome >> 6) & 1 ? "write" : "read");
        return;
    case 0x00: snprintf(buf, len, "undefined instruction"); return;
    case 0x15: snprintf(buf, len, "svc #0x%x", (unsigned)syndrome & 0xffff); return;
    case 0x3c: snprintf(buf, len, "brk #0x%x", (unsigned)syndrome & 0xffff); return;
    case 0x22: snprintf(buf, len, "PC alignment fault"); return;
    case 0x26: snprintf(buf, len, "SP alignment fault"); return;
    case 0x2f: snprintf(buf, len, "SError: asynchronous external abort"); return;
    }
    snprintf(buf, len, "EC 0x%02x", ec);
}

void rasim_stop_describe(const rasim_machine *m, const struct rasim_stop *s, char *buf, size_t len)
{
    char where[160];
    rasim_describe(m, s->pc, where, sizeof(where));
    switch (s->reason) {
    case RASIM_STOP_RETURNED: snprintf(buf, len, "returned to the caller"); return;
    case RASIM_STOP_BUDGET:
        snprintf(buf, len, "budget exhausted at %s after %llu instructions", where,
                 (unsigned long long)s->insns);
        return;
    case RASIM_STOP_BREAKPOINT: snprintf(buf, len, "breakpoint at %s", where); return;
    case RASIM_STOP_EXIT:
        snprintf(buf, len, "guest exit with code %llu", (unsigned long long)s->exit_code);
        return;
    case RASIM_STOP_OOPS:
    case RASIM_STOP_EXCEPTION: break;
    }
    char what[384];
    if (m->arch->arch == RASIM_ARCH_AARCH64)
        describe_a64(m, s, where, what, sizeof(what));
    else
        describe_rv(s, where, what, sizeof(what));
    /* An oops says what the exception was, then why the kernel dies of it. */
    if (s->reason == RASIM_STOP_OOPS)
        snprintf(buf, len, "oops: %s (%s)", what, s->reason_text);
    else
        snprintf(buf, len, "%s", what);
}
