/*
 * csr.c - the CSRs: which exist, who may access them, and what a write
 * keeps (WARL fields). An access that fails any rule is an illegal
 * instruction; the executors in exec_system.c raise it.
 *
 * Access rules (privileged spec, "CSR Address Mapping Conventions"):
 * csr[11:10] = 3 marks a read-only CSR, csr[9:8] the lowest privilege that
 * may access it. On top: mstatus.TVM traps S-mode satp accesses, and the
 * counters need their mcounteren (and, from U, scounteren) bit.
 */
#include "isa/rv64/cpu.h"

enum {
    /* Unprivileged counters. */
    CSR_N_CYCLE = 0xc00,
    CSR_N_TIME = 0xc01,
    CSR_N_INSTRET = 0xc02,
    CSR_N_HPMCOUNTER3 = 0xc03,
    CSR_N_HPMCOUNTER31 = 0xc1f,
    /* Supervisor. */
    CSR_N_SSTATUS = 0x100,
    CSR_N_SIE = 0x104,
    CSR_N_STVEC = 0x105,
    CSR_N_SCOUNTEREN = 0x106,
    CSR_N_SENVCFG = 0x10a,
    CSR_N_SSCRATCH = 0x140,
    CSR_N_SEPC = 0x141,
    CSR_N_SCAUSE = 0x142,
    CSR_N_STVAL = 0x143,
    CSR_N_SIP = 0x144,
    CSR_N_SATP = 0x180,
    /* Machine. */
    CSR_N_MVENDORID = 0xf11,
    CSR_N_MARCHID = 0xf12,
    CSR_N_MIMPID = 0xf13,
    CSR_N_MHARTID = 0xf14,
    CSR_N_MCONFIGPTR = 0xf15,
    CSR_N_MSTATUS = 0x300,
    CSR_N_MISA = 0x301,
    CSR_N_MEDELEG = 0x302,
    CSR_N_MIDELEG = 0x303,
    CSR_N_MIE = 0x304,
    CSR_N_MTVEC = 0x305,
    CSR_N_MCOUNTEREN = 0x306,
    CSR_N_MENVCFG = 0x30a,
    CSR_N_MCOUNTINHIBIT = 0x320,
    CSR_N_MHPMEVENT3 = 0x323,
    CSR_N_MHPMEVENT31 = 0x33f,
    CSR_N_MSCRATCH = 0x340,
    CSR_N_MEPC = 0x341,
    CSR_N_MCAUSE = 0x342,
    CSR_N_MTVAL = 0x343,
    CSR_N_MIP = 0x344,
    CSR_N_PMPCFG0 = 0x3a0,
    CSR_N_PMPCFG15 = 0x3af,
    CSR_N_PMPADDR0 = 0x3b0,
    CSR_N_PMPADDR15 = 0x3bf,
    CSR_N_PMPADDR63 = 0x3ef,
    CSR_N_MCYCLE = 0xb00,
    CSR_N_MINSTRET = 0xb02,
    CSR_N_MHPMCOUNTER3 = 0xb03,
    CSR_N_MHPMCOUNTER31 = 0xb1f,
};

/* Writable bits. */
#define MSTATUS_WRITABLE                                                                           \
    (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_MPP |         \
     MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
#define SSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR)
/* Exceptions that may be delegated: all defined causes but ecall from M (11)
 * and the reserved 10 and 14. */
#define MEDELEG_WRITABLE 0x000cb3ffull
/* Interrupts: the S-level ones are delegable, pending bits settable by M. */
#define S_IRQS       ((1ull << IRQ_SSI) | (1ull << IRQ_STI) | (1ull << IRQ_SEI))
#define M_IRQS       ((1ull << IRQ_MSI) | (1ull << IRQ_MTI) | (1ull << IRQ_MEI))
#define MIE_WRITABLE (S_IRQS | M_IRQS)
/* menvcfg/senvcfg: FIOM (0), CBIE (5:4), CBCFE (6), CBZE (7); menvcfg also
 * PBMTE (Svpbmt is implemented) and ADUE when Svadu is (rv64_set_svadu).
 * STCE stays 0: no Sstc. */
#define ENVCFG_WRITABLE   0xf1ull
#define ENVCFG_CBIE_SHIFT 4
/* Counters: CY, TM, IR and the 29 hpm counters. */
#define COUNTEREN_WRITABLE 0xffffffffull
#define SATP_MODE_SHIFT    60

uint64_t rv64_mstatus_write_mask(void)
{
    return MSTATUS_WRITABLE;
}

/* ---- counters ------------------------------------------------------------- */

static uint64_t counter_read(const struct rv64_cpu *cpu, unsigned inhibit_bit, uint64_t offset,
                             uint64_t frozen)
{
    return (cpu->mcountinhibit >> inhibit_bit) & 1 ? frozen : rv64_retired(cpu) + offset;
}

/* Writing a counter: the value written is what the next instruction reads,
 * so the retirement of the writing instruction itself is discounted. */
static void counter_write(const struct rv64_cpu *cpu, unsigned inhibit_bit, uint64_t value,
                          uint64_t *offset, uint64_t *frozen)
{
    if ((cpu->mcountinhibit >> inhibit_bit) & 1)
        *frozen = value;
    else
        *offset = value - (rv64_retired(cpu) + 1);
}

static void inhibit_write(struct rv64_cpu *cpu, uint64_t value)
{
    /* Freeze a counter where it is, or restart it from its frozen value. */
    uint64_t old = cpu->mcountinhibit;
    value &= 5; /* CY and IR; time cannot stop, the hpm counters do not exist */
    if ((value ^ old) & 1) {
        if (value & 1)
            cpu->cycle_frozen = rv64_retired(cpu) + cpu->cycle_offset;
        else
            cpu->cycle_offset = cpu->cycle_frozen - (rv64_retired(cpu) + 1);
    }
    if ((value ^ old) & 4) {
        if (value & 4)
            cpu->instret_frozen = rv64_retired(cpu) + cpu->instret_offset;
        else
            cpu->instret_offset = cpu->instret_frozen - (rv64_retired(cpu) + 1);
    }
    cpu->mcountinhibit = value;
}

/* From S or U, counter n needs mcounteren bit n; from U also scounteren's. */
static bool counter_enabled(const struct rv64_cpu *cpu, unsigned n)
{
    if (cpu->priv == RV64_PRIV_M)
        return true;
    if (!((cpu->csr[CSR_MCOUNTEREN] >> n) & 1))
        return false;
    return cpu->priv == RV64_PRIV_S || ((cpu->csr[CSR_SCOUNTEREN] >> n) & 1);
}

/* ---- access rules --------------------------------------------------------- */

bool rv64_csr_allowed(const struct rv64_cpu *cpu, unsigned csr, bool write)
{
    if (write && (csr >> 10) == 3)
        return false;
    if (((csr >> 8) & 3) > (unsigned)cpu->priv)
        return false;
    if (csr == CSR_N_SATP && cpu->priv == RV64_PRIV_S && (cpu->csr[CSR_MSTATUS] & MSTATUS_TVM))
        return false;
    if (csr >= CSR_N_CYCLE && csr <= CSR_N_HPMCOUNTER31)
        return counter_enabled(cpu, csr - CSR_N_CYCLE);
    return true;
}

/* ---- reads ---------------------------------------------------------------- */

bool rv64_csr_read(struct rv64_cpu *cpu, unsigned csr, uint64_t *value)
{
    const uint64_t *c = cpu->csr;
    uint64_t v;
    switch (csr) {
    case CSR_N_TIME: v = rv64_retired(cpu); break; /* no timer device: one tick per instruction */
    case CSR_N_CYCLE:
    case CSR_N_MCYCLE: v = counter_read(cpu, 0, cpu->cycle_offset, cpu->cycle_frozen); break;
    case CSR_N_INSTRET:
    case CSR_N_MINSTRET: v = counter_read(cpu, 2, cpu->instret_offset, cpu->instret_frozen); break;
    case CSR_N_SSTATUS: v = c[CSR_MSTATUS] & SSTATUS_MASK; break;
    case CSR_N_SIE: v = c[CSR_MIE] & c[CSR_MIDELEG]; break;
    case CSR_N_SIP: v = c[CSR_MIP] & c[CSR_MIDELEG]; break;
    case CSR_N_STVEC: v = c[CSR_STVEC]; break;
    case CSR_N_SCOUNTEREN: v = c[CSR_SCOUNTEREN]; break;
    case CSR_N_SENVCFG: v = c[CSR_SENVCFG]; break;
    case CSR_N_SSCRATCH: v = c[CSR_SSCRATCH]; break;
    case CSR_N_SEPC: v = c[CSR_SEPC]; break;
    case CSR_N_SCAUSE: v = c[CSR_SCAUSE]; break;
    case CSR_N_STVAL: v = c[CSR_STVAL]; break;
    case CSR_N_SATP: v = c[CSR_SATP]; break;
    case CSR_N_MVENDORID:
    case CSR_N_MARCHID:
    case CSR_N_MIMPID:
    case CSR_N_MHARTID:
    case CSR_N_MCONFIGPTR: v = 0; break;
    case CSR_N_MSTATUS: v = c[CSR_MSTATUS]; break;
    case CSR_N_MISA: v = c[CSR_MISA]; break;
    case CSR_N_MEDELEG: v = c[CSR_MEDELEG]; break;
    case CSR_N_MIDELEG: v = c[CSR_MIDELEG]; break;
    case CSR_N_MIE: v = c[CSR_MIE]; break;
    case CSR_N_MIP: v = c[CSR_MIP]; break;
    case CSR_N_MTVEC: v = c[CSR_MTVEC]; break;
    case CSR_N_MCOUNTEREN: v = c[CSR_MCOUNTEREN]; break;
    case CSR_N_MENVCFG: v = c[CSR_MENVCFG]; break;
    case CSR_N_MCOUNTINHIBIT: v = cpu->mcountinhibit; break;
    case CSR_N_MSCRATCH: v = c[CSR_MSCRATCH]; break;
    case CSR_N_MEPC: v = c[CSR_MEPC]; break;
    case CSR_N_MCAUSE: v = c[CSR_MCAUSE]; break;
    case CSR_N_MTVAL: v = c[CSR_MTVAL]; break;
    case CSR_N_PMPCFG0: v = cpu->pmpcfg[0]; break;
    case CSR_N_PMPCFG0 + 2: v = cpu->pmpcfg[1]; break;
    default:
        if ((csr >= CSR_N_HPMCOUNTER3 && csr <= CSR_N_HPMCOUNTER31) ||
            (csr >= CSR_N_MHPMCOUNTER3 && csr <= CSR_N_MHPMCOUNTER31) ||
            (csr >= CSR_N_MHPMEVENT3 && csr <= CSR_N_MHPMEVENT31)) {
            v = 0; /* no hardware performance monitor: read-only zero (WARL) */
            break;
        }
        /* RV64 has only the even pmpcfg registers; entries past 15 are
         * read-only zero. */
        if (csr > CSR_N_PMPCFG0 + 2 && csr <= CSR_N_PMPCFG15 && !(csr & 1)) {
            v = 0;
            break;
        }
        if (csr >= CSR_N_PMPADDR0 && csr <= CSR_N_PMPADDR63) {
            v = csr <= CSR_N_PMPADDR15 ? cpu->pmpaddr[csr - CSR_N_PMPADDR0] : 0;
            break;
        }
        return false;
    }
    *value = v;
    return true;
}

/* ---- writes --------------------------------------------------------------- */

static uint64_t merge(uint64_t old, uint64_t value, uint64_t mask)
{
    return (old & ~mask) | (value & mask);
}

static void write_mstatus(struct rv64_cpu *cpu, uint64_t value, uint64_t mask)
{
    uint64_t old = cpu->csr[CSR_MSTATUS];
    /* MPP is WARL over the implemented modes: 2 is reserved, keep the old. */
    if ((mask & MSTATUS_MPP) && ((value & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) == 2)
        value = (value & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
    cpu->csr[CSR_MSTATUS] = merge(old, value, mask);
    cpu->events |= RV64_EV_IRQ;
    rv64_xlate_update(cpu); /* SUM, MXR, MPRV, MPP */
}

/* tvec: BASE is 4-aligned; MODE 2 and 3 are reserved, so bit 1 never sticks. */
static uint64_t legal_tvec(uint64_t value)
{
    return value & ~2ull;
}

/* envcfg.CBIE = 10 is reserved: keep the old field. */
static uint64_t legal_envcfg(uint64_t old, uint64_t value, uint64_t writable)
{
    if (((value >> ENVCFG_CBIE_SHIFT) & 3) == 2)
        value = (value & ~(3ull << ENVCFG_CBIE_SHIFT)) | (old & (3ull << ENVCFG_CBIE_SHIFT));
    return value & writable;
}

/* pmpcfg: a locked entry (L, bit 7 of its byte) ignores writes to its
 * configuration and address. No check is enforced: memory is not PMP-
 * protected yet. */
static bool pmp_locked(const struct rv64_cpu *cpu, unsigned entry)
{
    return entry < 16 && ((cpu->pmpcfg[entry / 8] >> (8 * (entry % 8) + 7)) & 1);
}

static void write_pmpcfg(struct rv64_cpu *cpu, unsigned reg, uint64_t value)
{
    uint64_t keep = 0;
    for (unsigned b = 0; b < 8; b++)
        if (pmp_locked(cpu, reg * 8 + b))
            keep |= 0xffull << (8 * b);
    cpu->pmpcfg[reg] = merge(value, cpu->pmpcfg[reg], keep);
}

static void write_pmpaddr(struct rv64_cpu *cpu, unsigned entry, uint64_t value)
{
    if (entry < 16 && !pmp_locked(cpu, entry))
        cpu->pmpaddr[entry] = value & ((1ull << 54) - 1); /* PA bits 55:2 */
}

bool rv64_csr_write(struct rv64_cpu *cpu, unsigned csr, uint64_t value)
{
    uint64_t *c = cpu->csr;
    switch (csr) {
    case CSR_N_MCYCLE: counter_write(cpu, 0, value, &cpu->cycle_offset, &cpu->cycle_frozen); break;
    case CSR_N_MINSTRET:
        counter_write(cpu, 2, value, &cpu->instret_offset, &cpu->instret_frozen);
        break;
    case CSR_N_SSTATUS: write_mstatus(cpu, value, SSTATUS_WRITABLE); break;
    case CSR_N_SIE:
        c[CSR_MIE] = merge(c[CSR_MIE], value, c[CSR_MIDELEG] & MIE_WRITABLE);
        cpu->events |= RV64_EV_IRQ;
        break;
    case CSR_N_SIP: /* only SSIP is writable through sip, and only if delegated */
        c[CSR_MIP] = merge(c[CSR_MIP], value, c[CSR_MIDELEG] & (1ull << IRQ_SSI));
        cpu->events |= RV64_EV_IRQ;
        break;
    case CSR_N_STVEC: c[CSR_STVEC] = legal_tvec(value); break;
    case CSR_N_SCOUNTEREN: c[CSR_SCOUNTEREN] = value & COUNTEREN_WRITABLE; break;
    case CSR_N_SENVCFG:
        c[CSR_SENVCFG] = legal_envcfg(c[CSR_SENVCFG], value, ENVCFG_WRITABLE);
        break;
    case CSR_N_SSCRATCH: c[CSR_SSCRATCH] = value; break;
    case CSR_N_SEPC: c[CSR_SEPC] = value & ~1ull; break;
    case CSR_N_SCAUSE: c[CSR_SCAUSE] = value; break;
    case CSR_N_STVAL: c[CSR_STVAL] = value; break;
    case CSR_N_SATP: {
        /* Bare (0), Sv39 (8) and Sv48 (9) are accepted; any other MODE
         * makes the whole write have no effect (KERNEL-FACTS 6 "satp").
         * The TLB is ASID-tagged and keeps its entries, as hardware does;
         * the host-pointer caches follow the new satp. */
        uint64_t mode = value >> SATP_MODE_SHIFT;
        if (mode == 0 || mode == 8 || mode == 9) {
            c[CSR_SATP] = value;
            rv64_xlate_update(cpu);
        }
        break;
    }
    case CSR_N_MSTATUS: write_mstatus(cpu, value, MSTATUS_WRITABLE); break;
    case CSR_N_MISA: break; /* WARL: the extensions cannot be turned off */
    case CSR_N_MEDELEG: c[CSR_MEDELEG] = value & MEDELEG_WRITABLE; break;
    case CSR_N_MIDELEG:
        c[CSR_MIDELEG] = value & S_IRQS;
        cpu->events |= RV64_EV_IRQ;
        break;
    case CSR_N_MIE:
        c[CSR_MIE] = value & MIE_WRITABLE;
        cpu->events |= RV64_EV_IRQ;
        break;
    case CSR_N_MIP: /* M-level pending bits come from devices, not software */
        c[CSR_MIP] = merge(c[CSR_MIP], value, S_IRQS);
        cpu->events |= RV64_EV_IRQ;
        break;
    case CSR_N_MTVEC: c[CSR_MTVEC] = legal_tvec(value); break;
    case CSR_N_MCOUNTEREN: c[CSR_MCOUNTEREN] = value & COUNTEREN_WRITABLE; break;
    case CSR_N_MENVCFG:
        c[CSR_MENVCFG] =
            legal_envcfg(c[CSR_MENVCFG], value,
                         ENVCFG_WRITABLE | MENVCFG_PBMTE | (cpu->svadu ? MENVCFG_ADUE : 0));
        rv64_xlate_update(cpu);
        break;
    case CSR_N_MCOUNTINHIBIT: inhibit_write(cpu, value); break;
    case CSR_N_MSCRATCH: c[CSR_MSCRATCH] = value; break;
    case CSR_N_MEPC: c[CSR_MEPC] = value & ~1ull; break;
    case CSR_N_MCAUSE: c[CSR_MCAUSE] = value; break;
    case CSR_N_MTVAL: c[CSR_MTVAL] = value; break;
    case CSR_N_PMPCFG0: write_pmpcfg(cpu, 0, value); break;
    case CSR_N_PMPCFG0 + 2: write_pmpcfg(cpu, 1, value); break;
    default: {
        uint64_t ignored;
        if (csr >= CSR_N_PMPADDR0 && csr <= CSR_N_PMPADDR63) {
            write_pmpaddr(cpu, csr - CSR_N_PMPADDR0, value);
            break;
        }
        /* The read-only-zero WARL registers accept and drop writes. */
        return rv64_csr_read(cpu, csr, &ignored);
    }
    }
    return true;
}
