/*
 * print.c - instructions, extable entries, recoveries and walks as the CLI
 * prints them (print.h).
 */
#include "sim/cli/print.h"

#include <stdio.h>
#include <string.h>

void print_insn_word(const struct rasim_insn_text *t)
{
    printf(t->size == 2 ? "%04x      " : "%08x  ", (unsigned)t->word);
}

/* Capstone and our RV64 text put a tab after the mnemonic: align the
 * operands, and keep tabs out of the rest so columns stay put. */
void print_insn_text(const char *text)
{
    const char *tab = strchr(text, '\t');
    if (!tab) {
        fputs(text, stdout);
        return;
    }
    printf("%-8.*s ", (int)(tab - text), text);
    for (const char *p = tab + 1; *p; p++)
        fputs(*p == '\t' ? "  " : (char[]){*p, '\0'}, stdout);
}

static const char *comment(rasim_machine *m)
{
    return rasim_get_arch(m) == RASIM_ARCH_AARCH64 ? "//" : "#";
}

void print_extable(rasim_machine *m, const struct rasim_extable_entry *e)
{
    struct rasim_extable_decoded d;
    char fixup[256];
    rasim_extable_decode(m, e->type, e->data, &d);
    rasim_describe(m, e->fixup, fixup, sizeof(fixup));
    printf("  %s extable -> %s %s(%u)", comment(m), fixup, d.type_name ? d.type_name : "UNKNOWN",
           e->type);
    for (int f = 0; f < d.nfields; f++)
        printf(" %s=%s", d.field_name[f], d.field_reg[f]);
    if (!d.type_name || (d.nfields == 0 && e->data))
        printf(" data=0x%x", e->data);
}

void print_disasm_line(rasim_machine *m, const struct rasim_insn_text *t, const char *mark)
{
    char where[256];
    rasim_describe(m, t->va, where, sizeof(where));
    printf("%s%016llx  %-28s ", mark, (unsigned long long)t->va, where);
    print_insn_word(t);
    print_insn_text(t->text);
    if (!t->in_subset)
        printf("  %s not in the interpreted subset: raises Undefined", comment(m));
    struct rasim_extable_entry e;
    if (rasim_extable_lookup(m, t->va, &e) == 0)
        print_extable(m, &e);
}

void print_fixup(rasim_machine *m, const struct rasim_fixup *f)
{
    char insn[160], to[160];
    rasim_describe(m, f->insn, insn, sizeof(insn));
    rasim_describe(m, f->fixup, to, sizeof(to));
    printf("fixup %s -> %s type=%s(%u) %s", insn, to, f->type_name, f->type, f->exception);
    for (int r = 0; r < f->nregs; r++) {
        if (f->value[r] == (uint64_t)-14)
            printf(" %s=-EFAULT", f->reg[r]);
        else
            printf(" %s=0x%llx", f->reg[r], (unsigned long long)f->value[r]);
    }
    if (f->fault_addr_valid)
        printf(" va=0x%llx", (unsigned long long)f->fault_addr);
    if (f->pa_valid)
        printf(" pa=0x%llx", (unsigned long long)f->pa);
    if (f->memory_failure)
        printf(" memory_failure(pfn=0x%llx)", (unsigned long long)f->pfn);
    printf("\n");
}

const char *print_size(uint64_t size, char *buf, size_t len)
{
    if (size >= (1ull << 30) && !(size & ((1ull << 30) - 1)))
        snprintf(buf, len, "%lluG", (unsigned long long)(size >> 30));
    else if (size >= (1ull << 20) && !(size & ((1ull << 20) - 1)))
        snprintf(buf, len, "%lluM", (unsigned long long)(size >> 20));
    else if (size >= 1024 && !(size & 1023))
        snprintf(buf, len, "%lluK", (unsigned long long)(size >> 10));
    else
        snprintf(buf, len, "0x%llx", (unsigned long long)size);
    return buf;
}

void print_walk(const struct rasim_pt_walk *w)
{
    for (unsigned i = 0; i < w->nsteps; i++)
        printf("level %d entry 0x%llx = 0x%016llx %s\n", w->steps[i].level,
               (unsigned long long)w->steps[i].entry_pa, (unsigned long long)w->steps[i].raw,
               w->steps[i].text);
    char sz[32];
    if (w->ok)
        printf("pa=0x%llx size=%s %s\n", (unsigned long long)w->pa,
               print_size(w->size, sz, sizeof(sz)), w->attrs);
    else
        printf("fault=%s level=%d\n", w->fault, w->level);
}
