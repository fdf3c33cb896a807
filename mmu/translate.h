/*
 * translate.h - translation over physical memory: the arm64 VMSAv8-64
 * stage-1 walker (EL1&0, 4 KiB granule), the RV64 Sv39/Sv48/Sv57 walker, the
 * TLB with TLBI / SFENCE.VMA scopes, the checker for break-before-make,
 * contiguous / NAPOT ranges and stale TLB use, and the PTE codecs of the
 * Linux 6.1 and 6.12 layouts.
 *
 * The walkers are pure functions of (physical memory, register context, VA,
 * access): they read every descriptor with phys_load(), write hardware
 * updates (arm64 AF/DBM, RISC-V Svadu A/D) back with phys_store(), and
 * describe the result - or the fault, with its architectural code - in a
 * struct mmu_result that also lists every descriptor read.
 *
 * Bit positions come from /work/shared/KERNEL-FACTS.md (sections 4, 5 and 6);
 * each source file cites the section next to the constant.
 *
 * From an interpreter: fill a struct mmu_a64_ctx / mmu_rv64_ctx from the
 * system registers at the access (EL, PAN, UAO, LDTR/STTR; privilege after
 * MPRV, SUM, MXR), call mmu_tlb_*_translate() (or the walker directly for
 * AT-style lookups that must not fill), and on -1 raise the exception from
 * out->code: arm64 DFSC/IFSC (the EC, WnR, EA and FnV are the caller's),
 * RISC-V scause with stval = the VA. Cache maintenance by VA (DC CIVAC ...)
 * translates as MMU_ACC_READ. TLBI and SFENCE.VMA go to mmu_tlb_a64_tlbi()
 * and mmu_tlb_rv64_sfence_vma(); writes to TTBR, TCR, satp need nothing
 * here (entries are ASID-tagged), as on hardware.
 */
#ifndef RASIM_MMU_TRANSLATE_H
#define RASIM_MMU_TRANSLATE_H

#include "mmu/mmu.h"

/* ---- what both walkers report ------------------------------------------ */

enum mmu_access {
    MMU_ACC_READ,
    MMU_ACC_WRITE, /* also atomics / AMOs: write permission implies read on both */
    MMU_ACC_FETCH,
};

/* The class of a fault; code in struct mmu_result is the architectural value. */
enum mmu_fault {
    MMU_FAULT_NONE = 0,
    /* arm64 (code = DFSC/IFSC, KERNEL-FACTS 2.1) */
    MMU_FAULT_ADDR_SIZE,   /* 0x00 + level */
    MMU_FAULT_TRANSLATION, /* 0x04 + level */
    MMU_FAULT_ACCESS_FLAG, /* 0x08 + level */
    MMU_FAULT_PERMISSION,  /* 0x0C + level */
    MMU_FAULT_WALK_ABORT,  /* 0x14 + level: SEA on the walk or on a hardware update */
    /* RISC-V (code = scause, KERNEL-FACTS 3.1) */
    MMU_FAULT_PAGE,   /* 12 fetch, 13 load, 15 store/AMO */
    MMU_FAULT_ACCESS, /* 1 fetch, 5 load, 7 store/AMO: a PTE read or A/D write failed */
};

/* Why, in more detail than the architecture reports (for traces and tests). */
enum mmu_reason {
    MMU_R_NONE = 0,
    MMU_R_NONCANONICAL,  /* VA in neither range / not sign-extended */
    MMU_R_INVALID,       /* descriptor or PTE not valid */
    MMU_R_WALK_READ,     /* phys_load of a descriptor failed (see phys) */
    MMU_R_WALK_UPDATE,   /* phys_store of a hardware AF/dirty/A/D update failed */
    MMU_R_RESERVED_TYPE, /* arm64: block at level 0; 0b01 at level 3 */
    MMU_R_EPD,           /* arm64: TCR_EL1.EPDx = 1 */
    MMU_R_TXSZ,          /* arm64: TxSZ outside 16..39 */
    MMU_R_GRANULE,       /* arm64: TCR_EL1.TG0/TG1 not 4 KiB (not modelled) */
    MMU_R_TTBR_SIZE,     /* arm64: TTBR base address above the output size */
    MMU_R_OA_SIZE,       /* arm64: table or output address above the output size */
    MMU_R_AF,            /* arm64: AF = 0 with TCR_EL1.HA = 0 */
    MMU_R_NO_ACCESS,     /* EL0 / U-mode access to a privileged page */
    MMU_R_READ_ONLY,     /* write to a page that does not allow it */
    MMU_R_NO_READ,       /* RISC-V: load from a page without R (and no MXR+X) */
    MMU_R_XN,            /* execute not permitted (XN, PXN, UXN, no X) */
    MMU_R_PAN,           /* arm64: PSTATE.PAN and an EL0-accessible page */
    MMU_R_SUM,           /* RISC-V: S-mode load/store to a U page with SUM = 0 */
    MMU_R_U_EXEC,        /* RISC-V: S-mode fetch from a U page */
    MMU_R_SATP_MODE,     /* RISC-V: satp.MODE not Bare/Sv39/Sv48/Sv57 */
    MMU_R_RESERVED_BITS, /* RISC-V: bits 60:54, PBMT/N without the extension, PBMT = 3 */
    MMU_R_W_NO_R,        /* RISC-V: W = 1 with R = 0 */
    MMU_R_NONLEAF_BITS,  /* RISC-V: A, D, U, N or PBMT set in a non-leaf PTE */
    MMU_R_NO_LEAF,       /* RISC-V: pointer PTE at level 0 */
    MMU_R_MISALIGNED_SUPERPAGE,
    MMU_R_NAPOT_RESERVED, /* RISC-V: N = 1 at level > 0 or ppn[0][3:0] != 1000 */
    MMU_R_A_CLEAR,        /* RISC-V Svade: A = 0 */
    MMU_R_D_CLEAR,        /* RISC-V Svade: store with D = 0 */
};

const char *mmu_fault_name(enum mmu_fault fault);
/* The fault in one word, as rasim_pt_walk and walk events report it:
 * "translation", "access-flag", ...; "none". */
const char *mmu_fault_word(enum mmu_fault fault);
const char *mmu_reason_name(enum mmu_reason reason);

/* One descriptor read: up to 5 (Sv57). */
#define MMU_MAX_STEPS 5
struct mmu_walk_step {
    int level;     /* arm64: lookup level 0..3; RISC-V: i, LEVELS-1 down to 0 */
    uint64_t pa;   /* where the descriptor was read */
    uint64_t desc; /* the value read, before any hardware update */
};

/* arm64 limits gathered from table descriptors (APTable, XNTable). */
#define MMU_TBL_NO_EL0 (1u << 0) /* APTable[0]: no EL0 access below */
#define MMU_TBL_RO     (1u << 1) /* APTable[1]: no write below */
#define MMU_TBL_UXN    (1u << 2)
#define MMU_TBL_PXN    (1u << 3)

struct mmu_result {
    uint64_t va;
    uint64_t pa; /* valid when fault == MMU_FAULT_NONE */

    /* The fault, if any. */
    enum mmu_fault fault;
    enum mmu_reason reason;
    int level;              /* of the fault, or of the leaf on success */
    unsigned code;          /* arm64 DFSC/IFSC; RISC-V scause */
    struct phys_fault phys; /* the physical failure for WALK_ABORT / ACCESS */

    /* The walk, in order. nsteps == 0 when translation is off (flat). */
    struct mmu_walk_step steps[MMU_MAX_STEPS];
    unsigned nsteps;
    bool flat; /* arm64 SCTLR_EL1.M = 0, RISC-V Bare or M-mode: PA = VA */

    /* A hardware update of the leaf (arm64 AF/DBM, RISC-V Svadu A/D). */
    bool updated;
    uint64_t update_pa, update_old, update_new;

    /* The mapping (on success; on an access flag, permission or A/D fault
     * these describe the leaf that refused; on earlier faults desc and
     * desc_pa are the last descriptor read). */
    uint64_t desc; /* leaf descriptor as in memory after any update */
    uint64_t desc_pa;
    uint64_t size;     /* bytes the leaf maps: 4K, 2M, 1G, 512G, ... */
    uint64_t range_va; /* contiguous / NAPOT range (else == the leaf): base VA */
    uint64_t range_pa; /* its base PA */
    uint64_t range_size;
    bool contiguous; /* arm64 Contiguous bit */
    bool napot;      /* RISC-V Svnapot 64 KiB */
    bool global;     /* arm64 nG = 0; RISC-V G set on any level */
    uint16_t asid;   /* the ASID in use (0 when the regime has none) */

    /* arm64 attributes */
    unsigned attrindx;     /* descriptor AttrIndx[2:0] */
    uint8_t mair_attr;     /* MAIR_EL1 byte it selects */
    unsigned sh;           /* SH[1:0] */
    unsigned table_limits; /* MMU_TBL_* gathered from tables */
    /* RISC-V attributes */
    unsigned pbmt; /* Svpbmt: 0 PMA, 1 NC, 2 IO */
};

/* ---- arm64 ------------------------------------------------------------- */

struct mmu_a64_ctx {
    uint64_t sctlr; /* SCTLR_EL1: M (bit 0) enables stage 1 */
    uint64_t tcr;   /* TCR_EL1 */
    uint64_t ttbr0, ttbr1;
    uint64_t mair;
    unsigned el;      /* current EL: 0 or 1 */
    bool pan;         /* PSTATE.PAN */
    bool uao;         /* PSTATE.UAO: LDTR/STTR at EL1 use EL1 permissions */
    bool unpriv;      /* the access is LDTR/STTR (unprivileged) */
    unsigned pa_bits; /* implemented PA size (ID_AA64MMFR0_EL1.PARange): 32..48; 0 = 48 */
    bool inspect;     /* a look from the host (debugger, rasim pt): see mmu_read_desc() */
};

/* Stage 1 translation for the EL1&0 regime. Returns 0, or -1 with
 * out->fault set. Every descriptor read goes through phys_load. */
int mmu_a64_translate(struct phys_mem *pm, const struct mmu_a64_ctx *ctx, uint64_t va,
                      enum mmu_access acc, struct mmu_result *out);

/* ---- RV64 -------------------------------------------------------------- */

enum mmu_rv_priv { MMU_PRIV_U = 0, MMU_PRIV_S = 1, MMU_PRIV_M = 3 };

struct mmu_rv64_ctx {
    uint64_t satp;
    enum mmu_rv_priv priv; /* effective privilege of the access (MPRV applied) */
    bool sum;              /* sstatus.SUM */
    bool mxr;              /* sstatus.MXR */
    bool adue;             /* menvcfg.ADUE: Svadu hardware A/D update; false = Svade */
    bool svnapot;          /* Svnapot implemented */
    bool svpbmt;           /* Svpbmt implemented (and menvcfg.PBMTE) */
    bool inspect;          /* a look from the host (debugger, rasim pt): see mmu_read_desc() */
};

/* Sv39/Sv48/Sv57 translation. Returns 0, or -1 with out->fault set. */
int mmu_rv64_translate(struct phys_mem *pm, const struct mmu_rv64_ctx *ctx, uint64_t va,
                       enum mmu_access acc, struct mmu_result *out);

/* ---- TLB ----------------------------------------------------------------
 *
 * A software model of a TLB, so a routine that forgets maintenance keeps
 * using a stale translation as hardware may. Entries are filled by
 * successful walks and hold the leaf (4 KiB page, block/superpage, or a
 * whole contiguous / NAPOT range), its ASID and whether it is global.
 * Permissions are checked on every hit against the current context, as the
 * hardware checks the cached permissions; a write that needs a hardware
 * dirty update (arm64 DBM, RISC-V Svadu D) walks again.
 */
struct mmu_tlb;

struct mmu_tlb *mmu_tlb_new(unsigned entries); /* 0 = a default size */
void mmu_tlb_free(struct mmu_tlb *tlb);
/* Number of valid entries (for tests and traces). */
unsigned mmu_tlb_count(const struct mmu_tlb *tlb);
/* Call fn for each valid entry, in slot order: the canonical base VA of the
 * range it translates and the walk that filled it (range_pa, range_size,
 * asid, global, level, desc, desc_pa describe the leaf). For inspection. */
void mmu_tlb_for_each(const struct mmu_tlb *tlb,
                      void (*fn)(void *ctx, uint64_t va, const struct mmu_result *leaf), void *ctx);

/* Translate through the TLB: a hit checks permissions; a miss walks and
 * fills. *hit (may be NULL) says which happened. Same result as the walker. */
int mmu_tlb_a64_translate(struct mmu_tlb *tlb, struct phys_mem *pm, const struct mmu_a64_ctx *ctx,
                          uint64_t va, enum mmu_access acc, struct mmu_result *out, bool *hit);
int mmu_tlb_rv64_translate(struct mmu_tlb *tlb, struct phys_mem *pm, const struct mmu_rv64_ctx *ctx,
                           uint64_t va, enum mmu_access acc, struct mmu_result *out, bool *hit);

/* arm64 TLBI for the EL1&0 regime. The IS forms behave as the local ones
 * on this single-PE model. xt is the TLBI operand as the instruction gives it:
 * VA[55:12] in bits 43:0 and the ASID in bits 63:48. */
enum mmu_tlbi_op {
    MMU_TLBI_VMALLE1, /* everything */
    MMU_TLBI_VAE1,    /* by VA and ASID, all levels; global entries too */
    MMU_TLBI_VALE1,   /* by VA and ASID, last level only */
    MMU_TLBI_ASIDE1,  /* by ASID, non-global entries only */
    MMU_TLBI_VAAE1,   /* by VA, any ASID */
    MMU_TLBI_VAALE1,  /* by VA, any ASID, last level only */
};
/* The flush scope of an IS operation equals the local one (single PE). */
#define MMU_TLBI_VMALLE1IS MMU_TLBI_VMALLE1
#define MMU_TLBI_VAE1IS    MMU_TLBI_VAE1
#define MMU_TLBI_VALE1IS   MMU_TLBI_VALE1
#define MMU_TLBI_ASIDE1IS  MMU_TLBI_ASIDE1
#define MMU_TLBI_VAAE1IS   MMU_TLBI_VAAE1
#define MMU_TLBI_VAALE1IS  MMU_TLBI_VAALE1
/* tcr supplies TCR_EL1.AS (8- or 16-bit ASID compare). */
void mmu_tlb_a64_tlbi(struct mmu_tlb *tlb, enum mmu_tlbi_op op, uint64_t xt, uint64_t tcr);

/* RISC-V SFENCE.VMA rs1, rs2: has_va / has_asid say whether rs1 / rs2 is
 * a register other than x0. Global entries survive ASID-scoped fences. */
void mmu_tlb_rv64_sfence_vma(struct mmu_tlb *tlb, bool has_va, uint64_t va, bool has_asid,
                             uint64_t asid);
/* Drop everything (satp/TTBR writes need not: ASIDs tag the entries). */
void mmu_tlb_flush_all(struct mmu_tlb *tlb);

/* ---- checker ------------------------------------------------------------
 *
 * Attached to one TLB and its physical memory, the checker reports (rules
 * and reasons at the top of mmu/checker.c):
 *   MMU_CHECK_BBM    a store replaces a valid descriptor that a TLB entry
 *                    (or, for a table descriptor, a walk cache) may still
 *                    hold with another valid one that differs in output
 *                    address, attributes, size, Contiguous / N bit or nG / G,
 *                    without the break-before-make sequence in between;
 *   MMU_CHECK_CONTIG a walk used a contiguous (arm64) or NAPOT (RISC-V)
 *                    range whose 16 entries disagree, or whose output
 *                    address is not aligned to the range;
 *   MMU_CHECK_STALE  a TLB hit gave a translation that the tables in memory
 *                    no longer give (AF and dirty state aside).
 * It marks the pages holding the descriptors of each TLB fill
 * PHYS_PAGE_WATCH and installs itself as the memory's write observer; it
 * reads descriptors with phys_peek(), so checking never consumes poison or
 * sets A/D bits. With no checker attached the TLB and physical memory pay
 * one NULL test. One checker per TLB (and per memory: it owns the write
 * observer). Free the checker before the TLB.
 *
 * From a machine (--check-mmu): after creating the TLB, mmu_checker_new(pm,
 * tlb, arm64) and mmu_checker_set_pc(chk, fn, cpu) with fn returning the PC
 * of the instruction being executed; print or match mmu_checker_get(chk, i)
 * ->text after the run. TLBI / SFENCE.VMA must reach the TLB through
 * mmu_tlb_a64_tlbi() / mmu_tlb_rv64_sfence_vma() for the checker to see them.
 */
struct mmu_checker;

enum mmu_check_kind {
    MMU_CHECK_BBM,
    MMU_CHECK_CONTIG,
    MMU_CHECK_STALE,
};

#define MMU_CHECK_MAX_REPORTS 1024 /* more are counted, not kept */

struct mmu_check_report {
    enum mmu_check_kind kind;
    uint64_t pc;      /* from the pc callback at the time; 0 without one */
    uint64_t va;      /* the VA the TLB entry translates (BBM, CONTIG: the
                         page of the descriptor; STALE: the VA looked up) */
    uint64_t pte_pa;  /* the descriptor concerned */
    uint64_t cached;  /* BBM, STALE: the value the TLB entry holds for it;
                         CONTIG: the value that slot needs to agree with the
                         descriptor the walk used */
    uint64_t current; /* BBM: the value being stored; CONTIG, STALE: in memory */
    uint16_t asid;    /* of the TLB entry (0 for a global one) */
    bool global;
    int level;      /* of the descriptor: arm64 lookup level, RISC-V i */
    char text[256]; /* one line, no newline; ends ", at PC 0x..." when a pc
                       callback is set */
};

/* Attach to tlb and pm (existing TLB entries are adopted). arm64 picks
 * which TLB entries are checked: arm64 or RV64 ones. NULL on no memory. */
struct mmu_checker *mmu_checker_new(struct phys_mem *pm, struct mmu_tlb *tlb, bool arm64);
/* Detach from the TLB and memory, unwatch the pages it watched, free. */
void mmu_checker_free(struct mmu_checker *chk);
/* The PC of the guest instruction being executed, asked when reporting. */
void mmu_checker_set_pc(struct mmu_checker *chk, uint64_t (*pc)(void *ctx), void *ctx);

/* Reports so far, in order, each (kind, pte_pa, cached, current) once. */
size_t mmu_checker_count(const struct mmu_checker *chk);
const struct mmu_check_report *mmu_checker_get(const struct mmu_checker *chk, size_t i);
/* Reports not kept because MMU_CHECK_MAX_REPORTS were already held. */
size_t mmu_checker_dropped(const struct mmu_checker *chk);
/* Forget every report (and which stale uses were seen). */
void mmu_checker_clear(struct mmu_checker *chk);
const char *mmu_check_kind_name(enum mmu_check_kind kind);

/* ---- PTE codecs ---------------------------------------------------------
 *
 * Decode any 64-bit entry as a given kernel's layout sees it (KERNEL-FACTS
 * 4.1, 5.1, 5.2, 5.3). level counts from the leaf table up, with the
 * kernel's names: 0 = PTE (arm64 level 3, RISC-V level 0), 1 = PMD, 2 = PUD,
 * 3 = the next (arm64 level 0; RISC-V Sv48 level 3), 4 = RISC-V Sv57 level 4.
 */
enum pte_layout { PTE_ARM64_6_1, PTE_ARM64_6_12, PTE_RISCV_6_1, PTE_RISCV_6_12 };

#define PTE_LEVEL_PTE 0
#define PTE_LEVEL_PMD 1
#define PTE_LEVEL_PUD 2

/* Returned by the exclusive-bit helpers for a layout without the bit. */
#define PTE_UNSUPPORTED (-1)

struct pte_desc {
    enum pte_layout layout;
    unsigned level;
    uint64_t raw;

    bool none;     /* pte_none(): all zero */
    bool valid;    /* the hardware would use it (arm64 Valid, RISC-V V) */
    bool present;  /* the kernel's pte_present(): valid, PROT_NONE or present-invalid */
    bool is_table; /* points to a next-level table */
    bool is_leaf;  /* page or block/superpage (also for present-but-invalid) */
    bool is_block; /* leaf above the PTE level */
    bool reserved; /* an encoding the hardware faults on (arm64 0b01 at PTE or
                      block at level 0; RISC-V W without R, pointer at PTE level) */
    uint64_t oa;   /* output address (table, page, block; NAPOT range base) */
    uint64_t size; /* bytes a leaf maps (range size for NAPOT) */

    /* arm64 */
    unsigned attrindx, ap, sh;
    bool af, ng, dbm, cont, pxn, uxn, gp;
    unsigned aptable; /* table descriptors */
    bool uxntable, pxntable, nstable;
    bool sw_dirty, special, devmap, uffd_wp; /* Linux software bits (present) */
    /* RISC-V */
    bool r, w, x, u, g, a, d;
    unsigned rsw, pbmt;
    bool napot;
    uint64_t rsvd_bits; /* bits 60:54 */

    /* kernel view of a present leaf */
    bool k_write; /* pte_write() */
    bool k_dirty; /* pte_dirty() */
    bool k_young; /* pte_young() */

    /* non-present */
    bool prot_none;       /* pte_protnone() */
    bool present_invalid; /* arm64 6.12 PTE_PRESENT_INVALID / 6.1 PMD_PRESENT_INVALID */
    bool is_swap;         /* !none && !present: a swap (or migration...) entry */
    unsigned swp_type;
    uint64_t swp_offset;
    bool swp_has_exclusive; /* the layout has _PAGE_SWP_EXCLUSIVE / PTE_SWP_EXCLUSIVE */
    bool swp_exclusive;
    bool swp_uffd_wp;   /* arm64 6.12 PTE_SWP_UFFD_WP */
    uint64_t swp_stray; /* bits set that the swap layout says must be 0 */
};

/* Fill d; returns 0, or -1 for an unknown layout or level. */
int pte_decode(enum pte_layout layout, unsigned level, uint64_t pte, struct pte_desc *d);

/* __swp_entry() then __swp_entry_to_pte(): type and offset are masked to
 * the field widths as the kernel's macros do. */
uint64_t pte_make_swap(enum pte_layout layout, unsigned type, uint64_t offset);
unsigned pte_swp_type_bits(enum pte_layout layout);   /* 5 everywhere */
unsigned pte_swp_offset_bits(enum pte_layout layout); /* 50, 50, 53, 52 */
/* 1 or 0, or PTE_UNSUPPORTED (RISC-V 6.1 has no exclusive bit). */
int pte_swp_exclusive(enum pte_layout layout, uint64_t pte);
/* Set / clear the exclusive bit in *pte; 0, or PTE_UNSUPPORTED with *pte untouched. */
int pte_swp_mkexclusive(enum pte_layout layout, uint64_t *pte);
int pte_swp_clear_exclusive(enum pte_layout layout, uint64_t *pte);

/* One line describing the entry, e.g.
 * "page pa=0x40001000 AttrIndx=0 AP=RW_EL1 AF nG UXN CONT" or
 * "swap type=3 offset=0x1234 exclusive". Returns snprintf's count. */
int pte_format(enum pte_layout layout, uint64_t pte, char *buf, size_t len); /* PTE level */
int pte_format_level(enum pte_layout layout, unsigned level, uint64_t pte, char *buf, size_t len);
const char *pte_layout_name(enum pte_layout layout);

#endif
