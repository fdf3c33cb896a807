/*
 * mmu_check.c - rasim.h: the MMU checker (mmu/checker.c) attached to the
 * CPU's TLB, its reports as rasim_mmu_warning, and as events.
 */
#include "sim/machine.h"

#include <stdio.h>
#include <string.h>

/* The checker asks for the PC of the instruction executing: the
 * interpreters keep it in the pc register until the instruction retires. */
static uint64_t current_pc(void *ctx)
{
    rasim_machine *m = ctx;
    uint64_t pc = 0;
    rasim_get_reg(m, "pc", &pc);
    return pc;
}

int rasim_set_mmu_check(rasim_machine *m, bool on)
{
    if (!on) {
        if (m->checker)
            m->arch->set_data_host_pointers(m->cpu, true);
        mmu_checker_free(m->checker);
        m->checker = NULL;
        return 0;
    }
    if (m->checker)
        return 0;
    struct mmu_tlb *tlb = m->arch->tlb ? m->arch->tlb(m->cpu) : NULL;
    if (!tlb)
        return sim_fail(m, "%s: the MMU checker cannot reach this architecture's TLB yet",
                        rasim_arch_name(m->arch->arch));
    m->checker = mmu_checker_new(m->pm, tlb, m->arch->arch == RASIM_ARCH_AARCH64);
    if (!m->checker)
        return sim_fail(m, "out of memory");
    mmu_checker_set_pc(m->checker, current_pc, m);
    /* Host-pointer fast paths stand for TLB entries; the checker must see
     * each use of one to catch a stale use. */
    m->arch->set_data_host_pointers(m->cpu, false);
    return 0;
}

size_t rasim_mmu_warning_count(const rasim_machine *m)
{
    return m->checker ? mmu_checker_count(m->checker) : 0;
}

static const char *kind_name(enum mmu_check_kind kind)
{
    switch (kind) {
    case MMU_CHECK_BBM: return "break-before-make";
    case MMU_CHECK_CONTIG: return "contiguous";
    case MMU_CHECK_STALE: return "stale";
    }
    return "?";
}

int rasim_mmu_warning_get(const rasim_machine *m, size_t index, struct rasim_mmu_warning *out)
{
    if (index >= rasim_mmu_warning_count(m))
        return sim_fail((rasim_machine *)m, "no MMU warning %zu", index);
    const struct mmu_check_report *r = mmu_checker_get(m->checker, index);
    memset(out, 0, sizeof(*out));
    out->kind = kind_name(r->kind);
    out->pc = r->pc;
    out->va = r->va;
    out->pte_pa = r->pte_pa;
    out->cached = r->cached;
    out->current = r->current;
    snprintf(out->text, sizeof(out->text), "%s", r->text);
    return 0;
}

void rasim_mmu_warnings_clear(rasim_machine *m)
{
    if (m->checker)
        mmu_checker_clear(m->checker);
}
