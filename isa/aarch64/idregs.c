/*
 * idregs.c - the ID_AA64*_EL1 registers, field by field.
 *
 * Each field says what the model implements, and only that, so a kernel
 * that asks takes the path it would take on a PE like this one: Linux's
 * cpu_has_pan() reads ID_AA64MMFR1_EL1 with MRS, its cpufeature code reads
 * every register here at boot (older kernels' cpu_has_hw_af() read HAFDBS
 * on each page fault), the RAS code keys on ID_AA64PFR0_EL1.RAS. A
 * field left 0 means "not implemented", except TGran4, TGran64, FP and
 * AdvSIMD, where 0 means implemented and 0b1111 not.
 *
 * Sources: the Arm ARM (DDI 0487) register pages D24.2.80-94 and the
 * encodings of table D23-2; Linux arch/arm64/tools/sysreg lists the same
 * encodings, positions and values. docs/running.md has the table.
 */
#include "isa/aarch64/idregs.h"

#include "isa/aarch64/sysreg.h"

#define FIELD(value, lsb) ((uint64_t)(value) << (lsb))

/* ID_AA64PFR0_EL1 (3, 0, 0, 4, 0) */
#define PFR0_EL0_AARCH64_ONLY FIELD(1, 0)
#define PFR0_EL1_AARCH64_ONLY FIELD(1, 4)
/* EL2 [11:8] and EL3 [15:12] 0: not implemented (HVC, SMC are UNDEFINED). */
/* FP [19:16] and AdvSIMD [23:20] 0: implemented. The V registers and their
 * loads and stores are modelled; the arithmetic is outside the subset. */
#define PFR0_RAS FIELD(1, 28) /* FEAT_RAS: the error record (ras_record.c) */

/* ID_AA64PFR1_EL1 (3, 0, 0, 4, 1) */
/* MTE [11:8] 0b0010, FEAT_MTE2: the tag instructions including LDGM/STGM,
 * and tag storage (exec_mte.c). Tag check faults are not modelled. */
#define PFR1_MTE2 FIELD(2, 8)

/* ID_AA64ISAR0_EL1 (3, 0, 0, 6, 0) */
#define ISAR0_ATOMIC_LSE FIELD(2, 20) /* FEAT_LSE: CAS, CASP, LD<op>, SWP */
#define ISAR0_TLB_OS     FIELD(1, 56) /* FEAT_TLBIOS: TLBI <op>OS; no range forms */

/* ID_AA64ISAR1_EL1 (3, 0, 0, 6, 1) */
#define ISAR1_DPB2  FIELD(2, 0)  /* DC CVAP and DC CVADP */
#define ISAR1_LRCPC FIELD(1, 20) /* LDAPR, LDAPRB, LDAPRH */
#define ISAR1_SB    FIELD(1, 36) /* the SB barrier */

/* ID_AA64MMFR0_EL1 (3, 0, 0, 7, 0) */
#define MMFR0_PARANGE_48   FIELD(5, 0) /* mem.c: 48-bit physical addresses */
#define MMFR0_ASID_16      FIELD(2, 4) /* TCR_EL1.AS selects 16-bit ASIDs */
#define MMFR0_TGRAN64_NONE FIELD(0xf, 24)
/* TGran16 [23:20] 0: 16 KiB not supported; TGran4 [31:28] 0: 4 KiB
 * supported, the one granule the walker implements (walk_a64.c). */

/* ID_AA64MMFR1_EL1 (3, 0, 0, 7, 1) */
#define MMFR1_HAFDBS_AF_DIRTY FIELD(2, 0)  /* TCR_EL1.HA and HD (walk_a64.c) */
#define MMFR1_PAN             FIELD(1, 20) /* PSTATE.PAN; no AT S1E1RP/WP */

/* ID_AA64MMFR2_EL1 (3, 0, 0, 7, 2) */
#define MMFR2_UAO FIELD(1, 4) /* PSTATE.UAO */

/* ID_AA64DFR0_EL1 (3, 0, 0, 5, 0): the minimum an Armv8.0 PE reports:
 * Armv8 debug, two breakpoints and two watchpoints (each field holds the
 * number minus one), no PMU. The debug registers themselves are not
 * modelled (UNDEFINED); rasim's own breakpoints serve the user instead. */
#define DFR0_DEBUG_V8 FIELD(6, 0)
#define DFR0_BRPS_2   FIELD(1, 12)
#define DFR0_WRPS_2   FIELD(1, 20)

bool a64_in_id_space(unsigned key)
{
    unsigned crm = key >> 3 & 0xf;
    return (key & ~0x7fu) == A64_SYSREG_KEY(3, 0, 0, 0, 0) && crm >= 1 && crm <= 7;
}

uint64_t a64_id_register(const struct a64_cpu *cpu, unsigned key)
{
    switch (key) {
    case A64_SYSREG_KEY(3, 0, 0, 4, 0):
        return PFR0_EL0_AARCH64_ONLY | PFR0_EL1_AARCH64_ONLY | (cpu->feat_ras ? PFR0_RAS : 0);
    case A64_SYSREG_KEY(3, 0, 0, 4, 1): return PFR1_MTE2;
    case A64_SYSREG_KEY(3, 0, 0, 5, 0): return DFR0_DEBUG_V8 | DFR0_BRPS_2 | DFR0_WRPS_2;
    case A64_SYSREG_KEY(3, 0, 0, 6, 0): return ISAR0_ATOMIC_LSE | ISAR0_TLB_OS;
    case A64_SYSREG_KEY(3, 0, 0, 6, 1): return ISAR1_DPB2 | ISAR1_LRCPC | ISAR1_SB;
    case A64_SYSREG_KEY(3, 0, 0, 7, 0):
        return MMFR0_PARANGE_48 | MMFR0_ASID_16 | MMFR0_TGRAN64_NONE;
    case A64_SYSREG_KEY(3, 0, 0, 7, 1): return MMFR1_HAFDBS_AF_DIRTY | MMFR1_PAN;
    case A64_SYSREG_KEY(3, 0, 0, 7, 2): return MMFR2_UAO;
    default: return 0; /* REVIDR_EL1, the AArch32 ID registers, the unallocated */
    }
}
