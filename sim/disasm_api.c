/*
 * disasm_api.c - rasim.h: loaded instructions as text, and the exception
 * table entry that covers one, for `rasim disasm`, traces and the stepper.
 */
#include "sim/kernel_model.h"
#include "sim/machine.h"

#include <string.h>

int rasim_disasm(rasim_machine *m, uint64_t va, struct rasim_insn_text *out)
{
    uint64_t pa;
    if (rasim_image_va_to_pa(m, va, &pa) < 0)
        return -1;
    /* Two bytes first: a compressed RV64 instruction may end its section. */
    uint8_t b[4] = {0, 0, 0, 0};
    if (rasim_read_phys(m, pa, b, 2) < 0)
        return -1;
    bool wide = m->arch->arch == RASIM_ARCH_AARCH64 || (b[0] & 3) == 3;
    if (wide && rasim_read_phys(m, pa + 2, b + 2, 2) < 0)
        return -1;
    rasim_disasm_word(
        m, va, (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24,
        out);
    return 0;
}

void rasim_disasm_word(const rasim_machine *m, uint64_t va, uint32_t word,
                       struct rasim_insn_text *out)
{
    memset(out, 0, sizeof(*out));
    out->va = va;
    out->word = word;
    out->size = m->arch->disasm(word, va, out->text, sizeof(out->text), &out->in_subset);
    if (out->size == 2)
        out->word &= 0xffff;
}

int rasim_extable_lookup(const rasim_machine *m, uint64_t va, struct rasim_extable_entry *out)
{
    uint64_t bias;
    const struct ld_extable_entry *e = km_find_extable((rasim_machine *)m, va, &bias);
    if (!e)
        return -1;
    out->entry = e->entry_va;
    out->insn = va;
    out->fixup = e->fixup + bias;
    out->type = e->type;
    out->data = e->data;
    return 0;
}
