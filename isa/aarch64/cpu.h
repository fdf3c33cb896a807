/* cpu.h - AArch64 architectural state, shared by the files of isa/aarch64. */
#ifndef RASIM_A64_CPU_H
#define RASIM_A64_CPU_H

#include "isa/aarch64/aarch64.h"

/* System registers modelled, by index into a64_cpu.sysreg. */
enum a64_sysreg {
    SR_SCTLR_EL1,
    SR_TCR_EL1,
    SR_TTBR0_EL1,
    SR_TTBR1_EL1,
    SR_MAIR_EL1,
    SR_VBAR_EL1,
    SR_ESR_EL1,
    SR_FAR_EL1,
    SR_ELR_EL1,
    SR_SPSR_EL1,
    SR_CONTEXTIDR_EL1,
    SR_TPIDR_EL0,
    SR_TPIDR_EL1,
    SR_TPIDRRO_EL0,
    SR_DCZID_EL0,
    SR_GMID_EL1,
    SR_MIDR_EL1,
    SR_MPIDR_EL1,
    SR_GCR_EL1,
    SR_RGSR_EL1,
    SR_TFSR_EL1,
    SR_TFSRE0_EL1,
    SR_CTR_EL0,
    SR_COUNT
};

/* SCTLR_EL1 bits the interpreter acts on. */
#define SCTLR_M    (1ull << 0)  /* stage 1 MMU enable */
#define SCTLR_A    (1ull << 1)  /* alignment checking */
#define SCTLR_SA   (1ull << 3)  /* SP alignment check, EL1 */
#define SCTLR_SA0  (1ull << 4)  /* SP alignment check, EL0 */
#define SCTLR_UMA  (1ull << 9)  /* EL0 may access DAIF */
#define SCTLR_DZE  (1ull << 14) /* EL0 may use DC ZVA (and DC GVA/GZVA) */
#define SCTLR_UCT  (1ull << 15) /* EL0 may read CTR_EL0 */
#define SCTLR_UCI  (1ull << 26) /* EL0 may use DC CVAU/CIVAC/CVAC, IC IVAU */
#define SCTLR_SPAN (1ull << 23) /* 0: PSTATE.PAN is set on exception entry */
#define SCTLR_ATA0 (1ull << 42) /* EL0 allocation tag access */
#define SCTLR_ATA  (1ull << 43) /* EL1 allocation tag access */

/* A 128-bit SIMD&FP register: only loads and stores of V registers are
 * modelled (kernel routines save and copy through them), no arithmetic. */
union a64_vreg {
    uint8_t b[16];
    uint64_t d[2]; /* d[0] is bits 63:0 */
};

/* The PE's FEAT_RAS error record (ras_record.c): ERR0STATUS, ERR0ADDR. */
struct a64_err_record {
    uint64_t status;
    uint64_t addr;
};

/* A synchronous exception raised by an instruction, waiting to be taken. */
struct a64_pending {
    uint64_t esr;
    uint64_t far;
    bool far_valid; /* FAR_EL1 is written (aborts, PC alignment) */
    uint64_t pa;    /* physical address of a memory fault */
    bool pa_valid;
    uint64_t ret; /* preferred return address (ELR_EL1) */
};

/*
 * Host-pointer TLB: not architectural, it exists for speed. An entry maps a
 * page of VA to the host bytes of a plain-RAM page (and its PA); see mem.c.
 *
 * With the MMU on, whether an access may use a page depends on the access
 * type and on the permission context (ArmARM D8, stage 1 permissions:
 * PSTATE.EL, PAN, UAO, and LDTR/STTR). So entries are kept per context and
 * per access type:
 *   - set A64_TLB_PRIV holds EL1 accesses (checked with PAN as it was when
 *     they were filled: the set is dropped whenever PAN changes);
 *   - set A64_TLB_USER holds accesses checked with EL0 permissions: every
 *     access at EL0, and LDTR/STTR at EL1 while PSTATE.UAO is 0. They
 *     depend on nothing in PSTATE;
 *   - in each set, r[] entries were filled by a read that translated and w[]
 *     entries by a write that translated (with any hardware dirty-state
 *     update already done), so a read never vouches for a write;
 *   - instruction fetch has its own entry (fetch_vpage), dropped when the
 *     EL changes.
 */
#define A64_TLB_SIZE 256
struct a64_tlb_entry {
    uint64_t vpage;   /* VA >> 12; UINT64_MAX when empty */
    uintptr_t addend; /* the host address of a byte of the page is its VA + addend */
};
enum { A64_TLB_PRIV, A64_TLB_USER };
struct a64_tlb_set {
    struct a64_tlb_entry r[A64_TLB_SIZE]; /* host pointer usable for reads */
    struct a64_tlb_entry w[A64_TLB_SIZE]; /* ... for writes (the page was marked dirty) */
    uint64_t r_ppage[A64_TLB_SIZE];       /* PA >> 12 of each r[] entry */
    uint64_t w_ppage[A64_TLB_SIZE];       /* ... and of each w[] entry */
};

struct a64_code_cache; /* codecache.c */
struct a64_insn;       /* insn.h */
struct mmu_tlb;        /* mmu/translate.h: the architectural TLB model */

struct a64_cpu {
    /* x[31] is the zero register: always 0, written only by a64_set_x(),
     * which keeps it 0. SP is separate (sp_el0 / sp_el1). */
    uint64_t x[32];
    uint64_t sp_el0, sp_el1;
    uint64_t pc;
    /* PSTATE, field by field. The flags are bytes: an executor sets each
     * with one store of a compare's result. */
    uint8_t n, z, c, v;
    unsigned el;    /* 0 or 1 */
    unsigned spsel; /* 0: SP_EL0, 1: SP_ELx */
    unsigned daif;  /* D A I F in bits 3..0 */
    unsigned pan, uao;
    unsigned il;  /* illegal execution state (after an illegal ERET) */
    unsigned tco; /* MTE tag check override (no tag checks are modelled) */
    uint64_t sysreg[SR_COUNT];
    union a64_vreg vreg[32];

    /* FEAT_RAS (a64_set_feat_ras; configuration, kept by reset): the
     * error record registers exist and hold the latest poison consumed. */
    bool feat_ras;
    uint64_t errselr; /* ERRSELR_EL1 */
    struct a64_err_record err;

    /* Local exclusive monitor (LDXR/STXR): open for one physical range. */
    bool excl_open;
    uint64_t excl_pa;
    unsigned excl_size;

    struct phys_mem *pm;
    /* The TLB of stage 1 translation (SCTLR_EL1.M = 1): ASID-tagged, filled
     * by walks, emptied only by TLBI (and reset), as on hardware. */
    struct mmu_tlb *mmu;
    /* sim/'s tracer, or NULL (a64_set_tracer): see isa/isa.h. */
    struct isa_tracer *tracer;
    /* Data accesses may not use host pointers (a64_set_data_host_pointers):
     * the MMU checker must see every translation go through the TLB. */
    bool no_data_host_pointers;

    /* ---- not architectural: the exception being raised, and caches ---- */
    struct a64_pending exc;
    uint64_t phys_gen;           /* phys_generation() the caches below were filled at */
    uint64_t code_gen;           /* phys_code_generation() the decoded code is good for */
    struct a64_tlb_set tlb[2];   /* by A64_TLB_PRIV / A64_TLB_USER */
    struct a64_tlb_set *tlb_cur; /* the set of ordinary accesses at this EL */
    struct a64_code_cache *code; /* decoded instructions per physical page */
    /* The page instructions are being fetched from. */
    uint64_t fetch_vpage; /* UINT64_MAX when none */
    /* NULL: fetch through phys_load (hooked page), or no fetch page; the
     * run loop leaves a page when this becomes NULL (mem.c fetch_drop). */
    const uint8_t *fetch_host;
    uint64_t fetch_ppage;
    struct a64_insn *fetch_slots;
    /* A stretch of the fetch page being run (run.c, specialise.c):
     * executors may run the next slot themselves while it is below
     * chain_end (NULL outside a stretch, and after the fetch page is
     * dropped), and a taken branch its target in the page. chain_d is the
     * slot running now. The budget is chain_lim: the address the slot
     * after the last one allowed would have if the code since the last
     * taken branch ran on in a line (it may lie past the page); each taken
     * branch moves it by the jump. The stretch stops before chain_sentinel
     * (the return sentinel's slot in this page, or the page's end). */
    const struct a64_insn *chain_end;
    const struct a64_insn *chain_d;
    uintptr_t chain_lim;
    const struct a64_insn *chain_sentinel;
};

#endif
