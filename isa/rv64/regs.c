/*
 * regs.c - RV64 registers by name, for the C API, the CLI and the kernel
 * model's extable register fields.
 */
#include "isa/rv64/cpu.h"

#include <stdlib.h>
#include <string.h>

/* Index layout: 0..31 x0..x31, then pc, priv, then the CSRs, then sstatus. */
enum { R_PC = 32, R_PRIV, R_CSR0 };
#define R_SSTATUS (R_CSR0 + CSR_COUNT)

static const char *const abi_names[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static const char *const csr_names[CSR_COUNT] = {
    [CSR_SSTATUS_SHADOW_UNUSED] = NULL,
    [CSR_MSTATUS] = "mstatus",
    [CSR_MISA] = "misa",
    [CSR_MEDELEG] = "medeleg",
    [CSR_MIDELEG] = "mideleg",
    [CSR_MIE] = "mie",
    [CSR_MIP] = "mip",
    [CSR_MTVEC] = "mtvec",
    [CSR_MSCRATCH] = "mscratch",
    [CSR_MEPC] = "mepc",
    [CSR_MCAUSE] = "mcause",
    [CSR_MTVAL] = "mtval",
    [CSR_MCOUNTEREN] = "mcounteren",
    [CSR_MENVCFG] = "menvcfg",
    [CSR_STVEC] = "stvec",
    [CSR_SSCRATCH] = "sscratch",
    [CSR_SEPC] = "sepc",
    [CSR_SCAUSE] = "scause",
    [CSR_STVAL] = "stval",
    [CSR_SATP] = "satp",
    [CSR_SCOUNTEREN] = "scounteren",
    [CSR_SENVCFG] = "senvcfg",
};

const char *rv64_gpr_name(unsigned n)
{
    return n < 32 ? abi_names[n] : "?";
}

int rv64_reg_count(void)
{
    return R_SSTATUS + 1;
}

const char *rv64_reg_name(int index)
{
    if (index >= 0 && index < 32)
        return abi_names[index];
    if (index == R_PC)
        return "pc";
    if (index == R_PRIV)
        return "priv";
    if (index >= R_CSR0 && index < R_CSR0 + CSR_COUNT)
        return csr_names[index - R_CSR0];
    if (index == R_SSTATUS)
        return "sstatus";
    return NULL;
}

int rv64_reg_lookup(const char *name)
{
    char lower[32];
    size_t n = strlen(name);
    if (n == 0 || n >= sizeof(lower))
        return -1;
    for (size_t i = 0; i <= n; i++)
        lower[i] = (char)((name[i] >= 'A' && name[i] <= 'Z') ? name[i] + 32 : name[i]);
    if (!strcmp(lower, "fp"))
        return 8;
    if (lower[0] == 'x' && lower[1] >= '0' && lower[1] <= '9') {
        char *end;
        long r = strtol(lower + 1, &end, 10);
        if (*end == '\0' && r >= 0 && r <= 31 && !(lower[1] == '0' && lower[2]))
            return (int)r;
        return -1;
    }
    for (int i = 0; i < rv64_reg_count(); i++) {
        const char *nm = rv64_reg_name(i);
        if (nm && !strcmp(nm, lower))
            return i;
    }
    return -1;
}

int rv64_reg_common(void)
{
    return R_PC + 1;
}

void rv64_reg_read_common(const struct rv64_cpu *cpu, uint64_t *out)
{
    memcpy(out, cpu->x, 32 * sizeof(*out));
    out[R_PC] = cpu->pc;
}

/* The SYSTEM major opcode (0b1110011): the Zicsr instructions, ECALL,
 * EBREAK, MRET, SRET, WFI and SFENCE.VMA. A compressed instruction never
 * writes a CSR or the privilege (C.EBREAK traps: an exception). */
bool rv64_insn_writes_system(uint32_t word)
{
    return (word & 3) == 3 && (word & 0x7f) == 0x73;
}

uint64_t rv64_reg_get(const struct rv64_cpu *cpu, int index)
{
    if (index >= 0 && index < 32)
        return cpu->x[index];
    if (index == R_PC)
        return cpu->pc;
    if (index == R_PRIV)
        return cpu->priv;
    if (index >= R_CSR0 && index < R_CSR0 + CSR_COUNT)
        return cpu->csr[index - R_CSR0];
    if (index == R_SSTATUS)
        return cpu->csr[CSR_MSTATUS] & SSTATUS_MASK;
    return 0;
}

void rv64_reg_set(struct rv64_cpu *cpu, int index, uint64_t value)
{
    if (index > 0 && index < 32)
        cpu->x[index] = value;
    else if (index == R_PC)
        cpu->pc = value;
    else if (index == R_PRIV)
        rv64_set_priv(cpu, (enum rv64_priv)value);
    else if (index >= R_CSR0 && index < R_CSR0 + CSR_COUNT)
        cpu->csr[index - R_CSR0] = value;
    else if (index == R_SSTATUS)
        cpu->csr[CSR_MSTATUS] = (cpu->csr[CSR_MSTATUS] & ~SSTATUS_MASK) | (value & SSTATUS_MASK);
    /* satp, mstatus, menvcfg or the mode may have changed. */
    rv64_xlate_update(cpu);
}

/* Every change of mode goes through here (trap entry, MRET, SRET, the
 * host), so the translation state follows it. */
void rv64_set_priv(struct rv64_cpu *cpu, enum rv64_priv priv)
{
    /* Reserved encoding 2 (hypervisor) is not modelled: keep the mode. */
    if (priv == RV64_PRIV_U || priv == RV64_PRIV_S || priv == RV64_PRIV_M)
        cpu->priv = priv;
    rv64_xlate_update(cpu);
}

struct rv64_cpu *rv64_cpu_new(struct phys_mem *pm)
{
    struct rv64_cpu *cpu = calloc(1, sizeof(*cpu));
    if (!cpu)
        return NULL;
    cpu->tlb = mmu_tlb_new(0);
    if (!cpu->tlb) {
        free(cpu);
        return NULL;
    }
    cpu->pm = pm;
    rv64_host_flush(cpu);
    rv64_cpu_reset(cpu);
    return cpu;
}

void rv64_cpu_free(struct rv64_cpu *cpu)
{
    if (!cpu)
        return;
    rv64_icache_free(cpu);
    mmu_tlb_free(cpu->tlb);
    free(cpu);
}

/* Exceptions Linux handles in S-mode, which SBI firmware (OpenSBI) either
 * delegates through medeleg or forwards: every cause but ecall from S or M.
 * With these in medeleg a routine run in S-mode reports its exceptions as
 * taken to S (isa_exception.target_el), as on a real platform. */
#define FIRMWARE_MEDELEG                                                                           \
    ((1u << CAUSE_MISALIGNED_FETCH) | (1u << CAUSE_FETCH_ACCESS) | (1u << CAUSE_ILLEGAL_INSN) |    \
     (1u << CAUSE_BREAKPOINT) | (1u << CAUSE_MISALIGNED_LOAD) | (1u << CAUSE_LOAD_ACCESS) |        \
     (1u << CAUSE_MISALIGNED_STORE) | (1u << CAUSE_STORE_ACCESS) | (1u << CAUSE_USER_ECALL) |      \
     (1u << CAUSE_FETCH_PAGE_FAULT) | (1u << CAUSE_LOAD_PAGE_FAULT) |                              \
     (1u << CAUSE_STORE_PAGE_FAULT) | (1u << CAUSE_SOFTWARE_CHECK) | (1u << CAUSE_HARDWARE_ERROR))

/* Architectural state only: the configuration (misaligned policy, HTIF)
 * and the caches survive. */
void rv64_cpu_reset(struct rv64_cpu *cpu)
{
    memset(cpu->x, 0, sizeof(cpu->x));
    memset(cpu->csr, 0, sizeof(cpu->csr));
    memset(cpu->pmpcfg, 0, sizeof(cpu->pmpcfg));
    memset(cpu->pmpaddr, 0, sizeof(cpu->pmpaddr));
    cpu->pc = 0;
    cpu->priv = RV64_PRIV_S;
    cpu->retired = 0;
    cpu->mcountinhibit = 0;
    cpu->cycle_offset = cpu->instret_offset = 0;
    cpu->cycle_frozen = cpu->instret_frozen = 0;
    rv64_clear_reservation(cpu);
    cpu->events = 0;
    /* misa: MXL=2 (64-bit), extensions A, B (Zba+Zbb+Zbs), C, I, M, S, U. */
    cpu->csr[CSR_MISA] = (2ull << 62) | (1u << 0) | (1u << 1) | (1u << 2) | (1u << 8) | (1u << 12) |
                         (1u << 18) | (1u << 20);
    /* mstatus: UXL = SXL = 2 (64-bit U and S modes). */
    cpu->csr[CSR_MSTATUS] = (2ull << 32) | (2ull << 34);
    cpu->csr[CSR_MEDELEG] = FIRMWARE_MEDELEG;
    /* Firmware (OpenSBI) turns on the extensions the hart has: Svpbmt, and
     * Svadu's hardware updates when it is configured. */
    cpu->csr[CSR_MENVCFG] = MENVCFG_PBMTE | (cpu->svadu ? MENVCFG_ADUE : 0);
    mmu_tlb_flush_all(cpu->tlb);
    rv64_host_flush(cpu);
    rv64_xlate_update(cpu);
}

void rv64_set_misaligned_traps(struct rv64_cpu *cpu, bool on)
{
    cpu->align_mask = on ? ~0ull : 0;
}

void rv64_set_svadu(struct rv64_cpu *cpu, bool on)
{
    cpu->svadu = on;
    /* menvcfg.ADUE exists only with Svadu (KERNEL-FACTS 6 "Svadu / Svade"). */
    if (on)
        cpu->csr[CSR_MENVCFG] |= MENVCFG_ADUE;
    else
        cpu->csr[CSR_MENVCFG] &= ~MENVCFG_ADUE;
    rv64_xlate_update(cpu);
}

void rv64_set_tracer(struct rv64_cpu *cpu, struct isa_tracer *tracer)
{
    cpu->tracer = tracer;
    /* Traced with every_access, each access must reach the slow path that
     * reports it: no host pointer filled before may survive. */
    rv64_host_flush(cpu);
}

void rv64_set_data_host_pointers(struct rv64_cpu *cpu, bool on)
{
    cpu->no_data_host_pointers = !on;
    rv64_host_flush(cpu);
}

struct mmu_tlb *rv64_tlb(struct rv64_cpu *cpu)
{
    return cpu->tlb;
}

void rv64_set_ras_delivery(struct rv64_cpu *cpu, enum rv64_ras_delivery delivery)
{
    cpu->ras_delivery = delivery;
}
