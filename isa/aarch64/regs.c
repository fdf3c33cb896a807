/*
 * regs.c - AArch64 registers by name, for the C API, the CLI and the
 * kernel model's extable register fields.
 */
#include "isa/aarch64/codecache.h"
#include "isa/aarch64/exception.h"
#include "isa/aarch64/mem.h"
#include "isa/aarch64/ras_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Index layout: 0..30 x0..x30, then the named registers below, then
 * sysregs, then FEAT_RAS's error record registers (ras_record.h order). */
enum { R_SP = 31, R_PC, R_NZCV, R_CPSR, R_SP_EL0, R_SP_EL1, R_CURRENTEL, R_DAIF, R_PAN, R_SYSREG0 };
#define R_ERR0 (R_SYSREG0 + SR_COUNT)

static const char *const err_names[] = {
    [ERR_IDR] = "erridr_el1",     [ERR_SELR] = "errselr_el1",     [ERX_FR] = "erxfr_el1",
    [ERX_CTLR] = "erxctlr_el1",   [ERX_STATUS] = "erxstatus_el1", [ERX_ADDR] = "erxaddr_el1",
    [ERX_MISC0] = "erxmisc0_el1", [ERX_MISC1] = "erxmisc1_el1",
};
#define NERR (sizeof(err_names) / sizeof(*err_names))

/* Is index one of the error record registers? */
static bool is_err(int index)
{
    return index >= R_ERR0 && index < R_ERR0 + (int)NERR;
}

static const char *const sysreg_names[SR_COUNT] = {
    [SR_SCTLR_EL1] = "sctlr_el1",
    [SR_TCR_EL1] = "tcr_el1",
    [SR_TTBR0_EL1] = "ttbr0_el1",
    [SR_TTBR1_EL1] = "ttbr1_el1",
    [SR_MAIR_EL1] = "mair_el1",
    [SR_VBAR_EL1] = "vbar_el1",
    [SR_ESR_EL1] = "esr_el1",
    [SR_FAR_EL1] = "far_el1",
    [SR_ELR_EL1] = "elr_el1",
    [SR_SPSR_EL1] = "spsr_el1",
    [SR_CONTEXTIDR_EL1] = "contextidr_el1",
    [SR_TPIDR_EL0] = "tpidr_el0",
    [SR_TPIDR_EL1] = "tpidr_el1",
    [SR_TPIDRRO_EL0] = "tpidrro_el0",
    [SR_DCZID_EL0] = "dczid_el0",
    [SR_GMID_EL1] = "gmid_el1",
    [SR_MIDR_EL1] = "midr_el1",
    [SR_MPIDR_EL1] = "mpidr_el1",
    [SR_GCR_EL1] = "gcr_el1",
    [SR_RGSR_EL1] = "rgsr_el1",
    [SR_TFSR_EL1] = "tfsr_el1",
    [SR_TFSRE0_EL1] = "tfsre0_el1",
    [SR_CTR_EL0] = "ctr_el0",
};

static const char *const named[] = {
    [R_SP] = "sp",         [R_PC] = "pc",         [R_NZCV] = "nzcv",           [R_CPSR] = "cpsr",
    [R_SP_EL0] = "sp_el0", [R_SP_EL1] = "sp_el1", [R_CURRENTEL] = "currentel", [R_DAIF] = "daif",
    [R_PAN] = "pan",
};

static const char *const gpr_names[32] = {
    "x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",  "x8",  "x9",  "x10",
    "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21",
    "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30", "xzr",
};

const char *a64_gpr_name(unsigned n)
{
    return n < 32 ? gpr_names[n] : "?";
}

int a64_reg_count(void)
{
    return R_ERR0 + (int)NERR;
}

const char *a64_reg_name(int index)
{
    if (index >= 0 && index < 31)
        return gpr_names[index];
    if (index >= R_SP && index < R_SYSREG0)
        return named[index];
    if (index >= R_SYSREG0 && index < R_SYSREG0 + SR_COUNT)
        return sysreg_names[index - R_SYSREG0];
    if (is_err(index))
        return err_names[index - R_ERR0];
    return NULL;
}

bool a64_reg_present(const struct a64_cpu *cpu, int index)
{
    return !is_err(index) || cpu->feat_ras;
}

int a64_reg_lookup(const char *name)
{
    char lower[32];
    size_t n = strlen(name);
    if (n == 0 || n >= sizeof(lower))
        return -1;
    for (size_t i = 0; i <= n; i++)
        lower[i] = (char)((name[i] >= 'A' && name[i] <= 'Z') ? name[i] + 32 : name[i]);
    if (!strcmp(lower, "lr"))
        return 30;
    if (!strcmp(lower, "fp"))
        return 29;
    if ((lower[0] == 'x' || lower[0] == 'w') && lower[1] >= '0' && lower[1] <= '9') {
        char *end;
        long r = strtol(lower + 1, &end, 10);
        if (*end == '\0' && r >= 0 && r <= 30 && !(lower[1] == '0' && lower[2]))
            return (int)r;
        return -1;
    }
    for (int i = 0; i < a64_reg_count(); i++) {
        const char *nm = a64_reg_name(i);
        if (nm && !strcmp(nm, lower))
            return i;
    }
    return -1;
}

static uint64_t *current_sp(struct a64_cpu *cpu)
{
    return (cpu->el && cpu->spsel) ? &cpu->sp_el1 : &cpu->sp_el0;
}

static uint64_t nzcv_bits(const struct a64_cpu *cpu)
{
    return (uint64_t)cpu->n << 31 | (uint64_t)cpu->z << 30 | (uint64_t)cpu->c << 29 |
           (uint64_t)cpu->v << 28;
}

int a64_reg_common(void)
{
    return R_SP_EL1 + 1;
}

void a64_reg_read_common(const struct a64_cpu *cpu, uint64_t *out)
{
    memcpy(out, cpu->x, 31 * sizeof(*out));
    out[R_SP] = *current_sp((struct a64_cpu *)cpu);
    out[R_PC] = cpu->pc;
    out[R_NZCV] = nzcv_bits(cpu);
    out[R_CPSR] = a64_pstate_to_spsr(cpu);
    out[R_SP_EL0] = cpu->sp_el0;
    out[R_SP_EL1] = cpu->sp_el1;
}

/* Exception generation (SVC, HVC, SMC, BRK, HLT: 0xd4......), system
 * (MSR, MRS, SYS, hints, barriers: 0xd5......), and ERET / DRPS, the
 * branches that restore PSTATE from SPSR. Everything else writes only
 * general registers, SP, NZCV and memory - or faults, which the tracer
 * sees as an exception. */
bool a64_insn_writes_system(uint32_t word)
{
    return (word & 0xfe000000u) == 0xd4000000u || word == 0xd69f03e0u || word == 0xd6bf03e0u;
}

uint64_t a64_reg_get(const struct a64_cpu *cpu, int index)
{
    if (index >= 0 && index < 31)
        return cpu->x[index];
    switch (index) {
    case R_SP: return *current_sp((struct a64_cpu *)cpu);
    case R_PC: return cpu->pc;
    case R_NZCV: return nzcv_bits(cpu);
    case R_CPSR: return a64_pstate_to_spsr(cpu);
    case R_SP_EL0: return cpu->sp_el0;
    case R_SP_EL1: return cpu->sp_el1;
    case R_CURRENTEL: return (uint64_t)cpu->el << 2;
    case R_DAIF: return (uint64_t)cpu->daif << 6;
    case R_PAN: return (uint64_t)cpu->pan << 22;
    }
    if (index >= R_SYSREG0 && index < R_SYSREG0 + SR_COUNT)
        return cpu->sysreg[index - R_SYSREG0];
    if (is_err(index) && cpu->feat_ras)
        return a64_err_read(cpu, (enum a64_err_reg)(index - R_ERR0)); /* as MRS reads it */
    return 0;
}

void a64_reg_set(struct a64_cpu *cpu, int index, uint64_t value)
{
    if (index >= 0 && index < 31) {
        cpu->x[index] = value;
        return;
    }
    unsigned old_el = cpu->el, old_pan = cpu->pan;
    switch (index) {
    case R_SP: *current_sp(cpu) = value; return;
    case R_PC: cpu->pc = value; return;
    case R_NZCV:
    case R_CPSR:
        cpu->n = (value >> 31) & 1;
        cpu->z = (value >> 30) & 1;
        cpu->c = (value >> 29) & 1;
        cpu->v = (value >> 28) & 1;
        if (index == R_CPSR) {
            cpu->uao = (value >> 23) & 1;
            cpu->pan = (value >> 22) & 1;
            cpu->daif = (value >> 6) & 0xf;
            cpu->il = (value >> 20) & 1;
            cpu->tco = (value >> 25) & 1;
            cpu->el = (value >> 2) & 1; /* EL2/EL3 are not modelled */
            cpu->spsel = value & 1;
            a64_pstate_changed(cpu, old_el, old_pan);
        }
        return;
    case R_SP_EL0: cpu->sp_el0 = value; return;
    case R_SP_EL1: cpu->sp_el1 = value; return;
    case R_CURRENTEL:
        cpu->el = (value >> 2) & 1;
        a64_pstate_changed(cpu, old_el, old_pan);
        return;
    case R_DAIF: cpu->daif = (value >> 6) & 0xf; return;
    case R_PAN:
        cpu->pan = (value >> 22) & 1;
        a64_pstate_changed(cpu, old_el, old_pan);
        return;
    }
    if (index >= R_SYSREG0 && index < R_SYSREG0 + SR_COUNT) {
        cpu->sysreg[index - R_SYSREG0] = value;
        /* SCTLR/TCR/TTBR/MAIR may change how addresses translate: the
         * host-pointer caches go, the TLB model stays (as an MSR would). */
        a64_tlb_flush(cpu);
    }
    /* As MSR writes it: ERXSTATUS write-one-to-clear, the read-only ones
     * left as they are. */
    if (is_err(index) && cpu->feat_ras)
        (void)a64_err_write(cpu, (enum a64_err_reg)(index - R_ERR0), value);
}

struct a64_cpu *a64_cpu_new(struct phys_mem *pm)
{
    struct a64_cpu *cpu = calloc(1, sizeof(*cpu));
    if (!cpu)
        return NULL;
    cpu->pm = pm;
    cpu->mmu = mmu_tlb_new(0);
    if (!cpu->mmu) {
        free(cpu);
        return NULL;
    }
    a64_cpu_reset(cpu);
    return cpu;
}

void a64_cpu_free(struct a64_cpu *cpu)
{
    if (!cpu)
        return;
    a64_code_free(cpu);
    mmu_tlb_free(cpu->mmu);
    free(cpu);
}

struct mmu_tlb *a64_cpu_tlb(struct a64_cpu *cpu)
{
    return cpu->mmu;
}

void a64_set_tracer(struct a64_cpu *cpu, struct isa_tracer *tracer)
{
    cpu->tracer = tracer;
    /* Traced with every_access, each access must reach the slow path that
     * reports it: no host pointer filled before may survive. */
    a64_tlb_flush(cpu);
}

void a64_set_data_host_pointers(struct a64_cpu *cpu, bool on)
{
    cpu->no_data_host_pointers = !on;
    a64_tlb_flush(cpu);
}

void a64_cpu_reset(struct a64_cpu *cpu)
{
    /* Decoded code survives a reset, with the code generation it is good
     * for (a write since then drops it at the next run). The TLB model is
     * emptied, so a run that starts from reset (a scenario, a campaign run
     * after a restore) sees no translation of an earlier one. */
    struct phys_mem *pm = cpu->pm;
    struct a64_code_cache *code = cpu->code;
    uint64_t code_gen = cpu->code_gen;
    struct mmu_tlb *mmu = cpu->mmu;
    /* Configuration survives too: sim/'s tracer, the MMU checker's mode and
     * FEAT_RAS (whose error record, being state, is cleared). */
    struct isa_tracer *tracer = cpu->tracer;
    bool no_host = cpu->no_data_host_pointers;
    bool feat_ras = cpu->feat_ras;
    memset(cpu, 0, sizeof(*cpu));
    cpu->feat_ras = feat_ras;
    cpu->pm = pm;
    cpu->code = code;
    cpu->code_gen = code_gen;
    cpu->mmu = mmu;
    cpu->tracer = tracer;
    cpu->no_data_host_pointers = no_host;
    mmu_tlb_flush_all(mmu);
    a64_tlb_flush(cpu);
    cpu->phys_gen = phys_generation(pm);
    cpu->el = 1;
    cpu->spsel = 1;
    cpu->daif = 0xf;
    cpu->tlb_cur = &cpu->tlb[A64_TLB_PRIV];
    /* Fixed identification and feature values (DESIGN.md: MIDR/MPIDR fixed). */
    cpu->sysreg[SR_MIDR_EL1] = 0x410fd0c0;  /* Arm, Neoverse-N1-like part number */
    cpu->sysreg[SR_MPIDR_EL1] = 0x80000000; /* RES1 bit 31, affinity 0 */
    cpu->sysreg[SR_DCZID_EL0] = 4;          /* DC ZVA block = 4 << 4 = 64 bytes */
    cpu->sysreg[SR_GMID_EL1] = 6;           /* LDGM/STGM block = 4 << 6 = 256 bytes */
    /* 64-byte lines (IminLine, DminLine = 4 words << 4), ERG/CWG 4, PIPT. */
    cpu->sysreg[SR_CTR_EL0] = 0x8444c004;
    /* SCTLR_EL1 RES1 bits of Armv8.0; M (MMU) clear; ATA set, as Linux does
     * on an MTE system, so the tag instructions reach tag storage. */
    cpu->sysreg[SR_SCTLR_EL1] = 0x30d00800 | SCTLR_ATA;
}

void a64_vreg_get(const struct a64_cpu *cpu, unsigned n, uint8_t out[16])
{
    memcpy(out, cpu->vreg[n & 31].b, 16);
}

void a64_vreg_set(struct a64_cpu *cpu, unsigned n, const uint8_t in[16])
{
    memcpy(cpu->vreg[n & 31].b, in, 16);
}
