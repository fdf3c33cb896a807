/* cpu.h - RV64 hart state, shared by the files of isa/rv64. */
#ifndef RASIM_RV64_CPU_H
#define RASIM_RV64_CPU_H

#include "isa/rv64/insn.h"
#include "isa/rv64/rv64.h"

#if defined(__GNUC__)
#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#else
#define likely(x)   (x)
#define unlikely(x) (x)
#endif

/* CSRs kept as plain storage, by index into rv64_cpu.csr (names in regs.c).
 * The rules for reading and writing them are in csr.c. */
enum rv64_csr {
    CSR_SSTATUS_SHADOW_UNUSED, /* sstatus is a view of mstatus; kept for numbering */
    CSR_MSTATUS,
    CSR_MISA,
    CSR_MEDELEG,
    CSR_MIDELEG,
    CSR_MIE,
    CSR_MIP,
    CSR_MTVEC,
    CSR_MSCRATCH,
    CSR_MEPC,
    CSR_MCAUSE,
    CSR_MTVAL,
    CSR_MCOUNTEREN,
    CSR_MENVCFG,
    CSR_STVEC,
    CSR_SSCRATCH,
    CSR_SEPC,
    CSR_SCAUSE,
    CSR_STVAL,
    CSR_SATP,
    CSR_SCOUNTEREN,
    CSR_SENVCFG,
    CSR_COUNT
};

/* mstatus fields (privileged spec, "Machine Status Register"). */
#define MSTATUS_SIE       (1ull << 1)
#define MSTATUS_MIE       (1ull << 3)
#define MSTATUS_SPIE      (1ull << 5)
#define MSTATUS_MPIE      (1ull << 7)
#define MSTATUS_SPP       (1ull << 8)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP       (3ull << MSTATUS_MPP_SHIFT)
#define MSTATUS_MPRV      (1ull << 17)
#define MSTATUS_SUM       (1ull << 18)
#define MSTATUS_MXR       (1ull << 19)
#define MSTATUS_TVM       (1ull << 20)
#define MSTATUS_TW        (1ull << 21)
#define MSTATUS_TSR       (1ull << 22)
/* sstatus is the S-mode view of mstatus: SIE, SPIE, UBE, SPP, VS, FS, XS,
 * SUM, MXR, UXL, SD. */
#define SSTATUS_MASK 0x80000003000de762ull

/* Exception causes (mcause/scause, interrupt bit clear). */
enum rv64_cause {
    CAUSE_MISALIGNED_FETCH = 0,
    CAUSE_FETCH_ACCESS = 1,
    CAUSE_ILLEGAL_INSN = 2,
    CAUSE_BREAKPOINT = 3,
    CAUSE_MISALIGNED_LOAD = 4,
    CAUSE_LOAD_ACCESS = 5,
    CAUSE_MISALIGNED_STORE = 6,
    CAUSE_STORE_ACCESS = 7,
    CAUSE_USER_ECALL = 8,
    CAUSE_SUPERVISOR_ECALL = 9,
    CAUSE_MACHINE_ECALL = 11,
    CAUSE_FETCH_PAGE_FAULT = 12,
    CAUSE_LOAD_PAGE_FAULT = 13,
    CAUSE_STORE_PAGE_FAULT = 15,
    CAUSE_SOFTWARE_CHECK = 18,
    CAUSE_HARDWARE_ERROR = 19,
};
#define CAUSE_INTERRUPT (1ull << 63)
/* Interrupt numbers (mip/mie bits). */
enum { IRQ_SSI = 1, IRQ_MSI = 3, IRQ_STI = 5, IRQ_MTI = 7, IRQ_SEI = 9, IRQ_MEI = 11 };

/* Work for the run loop after the current instruction (rv64_cpu.events). */
#define RV64_EV_TRAP (1u << 0) /* the instruction raised an exception */
#define RV64_EV_EXIT (1u << 1) /* HTIF asked to end the run */
#define RV64_EV_IRQ  (1u << 2) /* interrupt state changed: look for one */
#define RV64_EV_SYNC (1u << 3) /* caches dropped under a chain: end it, fetch again */

/* menvcfg fields of the MMU (KERNEL-FACTS 6 "Svadu / Svade"). */
#define MENVCFG_ADUE  (1ull << 61) /* Svadu: hardware A/D updates */
#define MENVCFG_PBMTE (1ull << 62) /* Svpbmt: PBMT bits usable below M */

/* A cached host pointer for one guest page of data (see mem.h). */
struct rv64_host_tlb {
    uint64_t page;   /* the VA of the page (va & ~PHYS_PAGE_MASK); RV64_NO_PAGE when empty */
    uintptr_t delta; /* host address - VA, for any byte of the page */
};
#define RV64_NO_PAGE  UINT64_MAX
#define RV64_TLB_SIZE 64

/* A fetch translation: VA page to physical page (icache.c). */
struct rv64_fetch_tlb {
    uint64_t vpn; /* RV64_NO_PAGE when empty */
    uint64_t ppn;
};

/* What the host-pointer caches of one kind (data, fetch) were filled under:
 * they stay valid while it is unchanged (mem.c, rv64_xlate_update()). */
struct rv64_xlate_key {
    uint64_t satp;
    uint64_t bits; /* privilege, SUM, MXR, menvcfg fields, flat */
};

/* Decoded instructions of one physical page, 2-byte granular (icache.c),
 * and one slot past the last, which sends a chain back to the run loop. */
struct rv64_code_page {
    uint64_t pfn;        /* RV64_NO_PAGE when empty */
    const uint8_t *host; /* bytes to fetch from; NULL: through phys_load */
    bool host_known;     /* host was looked up under the current generation */
    struct rv64_insn slot[PHYS_PAGE_SIZE / 2 + 1];
};
#define RV64_ICACHE_PAGES 64

struct rv64_cpu {
    /* ---- architectural state ---- */
    /* x[0] reads zero: it is never written, as instructions with rd = x0
     * are decoded to write x[RV64_X_SINK] instead (icache.c). */
    uint64_t x[33];
    uint64_t pc;
    enum rv64_priv priv;
    uint64_t csr[CSR_COUNT];
    uint64_t pmpcfg[2]; /* pmpcfg0, pmpcfg2 (RV64 has no odd pmpcfg) */
    uint64_t pmpaddr[16];
    /* Counters: cycle and instret both count retired instructions (one per
     * cycle); time reads the same count. Each reads retired + offset, or the
     * frozen value while mcountinhibit stops it. */
    uint64_t retired;
    uint64_t mcountinhibit;
    uint64_t cycle_offset, instret_offset;
    uint64_t cycle_frozen, instret_frozen;
    /* LR/SC: the reserved bytes [resv_start, resv_end); empty when equal. */
    uint64_t resv_start, resv_end;

    /* ---- the run (run.c): a chain of instructions executed without
     * returning to the run loop ---- */
    unsigned events;
    uint64_t chain;     /* instructions the chain did not retire (exec.h: n) */
    uint64_t chain_len; /* what it started with */
    uint64_t sentinel;  /* control transfers to it end the chain */

    /* ---- the exception being raised by the current instruction ---- */
    uint32_t trap_bits; /* its encoding (the executor that raised sets it) */
    uint64_t trap_cause, trap_tval;
    uint64_t trap_pa;
    bool trap_pa_valid;

    /* ---- configuration (survives rv64_cpu_reset) ---- */
    struct phys_mem *pm;
    uint64_t align_mask; /* ~0: misaligned loads/stores trap; 0: performed */
    bool svadu;          /* Svadu implemented: menvcfg.ADUE writable, reset to 1 */
    enum rv64_ras_delivery ras_delivery;
    bool htif_on;
    uint64_t tohost, fromhost;
    /* sim/'s tracer, or NULL (rv64_set_tracer): see isa/isa.h. */
    struct isa_tracer *tracer;
    /* Data accesses may not use host pointers (rv64_set_data_host_pointers):
     * the MMU checker must see every translation go through the TLB. */
    bool no_data_host_pointers;
    uint64_t exit_code;

    /* ---- translation ---- */
    /* The TLB (mmu/): the architectural cache of translations, which only
     * sfence.vma empties, so stale entries are seen as hardware may. */
    struct mmu_tlb *tlb;
    /* Derived from priv, mstatus, satp (rv64_xlate_update): PA = VA for
     * data (M-mode without MPRV, or Bare) and for fetch (M-mode or Bare). */
    bool data_flat, fetch_flat;
    struct rv64_xlate_key data_key, fetch_key;

    /* ---- caches (contents are never architecturally visible) ---- */
    uint64_t generation;      /* phys_generation() the host pointers belong to */
    uint64_t code_generation; /* phys_code_generation() the decoded instructions belong to */
    /* Host pointers by VA page: read (rtlb) and write (wtlb) are filled
     * separately, each only after a translation for that access succeeded,
     * and dropped when the data key changes or on sfence.vma. */
    struct rv64_host_tlb rtlb[RV64_TLB_SIZE], wtlb[RV64_TLB_SIZE];
    struct rv64_fetch_tlb itlb[RV64_TLB_SIZE];
    struct rv64_code_page *icache[RV64_ICACHE_PAGES];
    /* The plain-memory page of the last fetch, for the VA page at ic_page
     * (the page's VA: pc & ~PHYS_PAGE_MASK). */
    struct rv64_code_page *ic_last;
    uint64_t ic_page;
    /* The page fetched from before that (VA page ic_prev_page), while its
     * table still holds physical page ic_prev_pfn: calls and returns
     * between two pages swap the two (icache.c). */
    struct rv64_code_page *ic_prev;
    uint64_t ic_prev_page, ic_prev_pfn;
    /* An instruction that crosses into the next page, decoded for one
     * execution (its second half is another page's); the slots after it
     * only give NEXT an address to form. */
    struct rv64_insn fetched[3];
};

#define RV64_X_SINK 32 /* the register instructions with rd = x0 write */

/* Instructions retired so far, exact also inside a chain once the
 * executor stored its n (exec.h: COUNT_RETIRED); the run loop adds the
 * chain's count to retired when it ends. */
static inline uint64_t rv64_retired(const struct rv64_cpu *cpu)
{
    return cpu->retired + (cpu->chain_len - cpu->chain);
}

/* Forget the pages of the last fetches (when fetch translation or host
 * pointers may have changed). */
static inline void rv64_ic_forget(struct rv64_cpu *cpu)
{
    cpu->ic_last = NULL;
    cpu->ic_prev = NULL;
}

/* ---- trap.c ---- */
/* Raise an exception for the current instruction; executors return this. */
uint64_t rv64_raise(struct rv64_cpu *cpu, uint64_t cause, uint64_t tval);
/* Take the pending exception (or interrupt, cause with CAUSE_INTERRUPT) at
 * epc. Returns false, with *stop filled, when the target mode has no trap
 * vector: then nothing changed and the run must stop. */
bool rv64_take_trap(struct rv64_cpu *cpu, uint64_t cause, uint64_t tval, uint64_t epc,
                    struct isa_stop *stop);
/* The highest-priority enabled interrupt, as a cause, or 0. */
uint64_t rv64_pending_interrupt(const struct rv64_cpu *cpu);
void rv64_clear_reservation(struct rv64_cpu *cpu);

/* ---- csr.c ---- */
/* false: the access is illegal (no such CSR, too low a privilege, a write
 * to a read-only CSR, or a rule such as mstatus.TVM or counteren). */
bool rv64_csr_read(struct rv64_cpu *cpu, unsigned csr, uint64_t *value);
bool rv64_csr_write(struct rv64_cpu *cpu, unsigned csr, uint64_t value);
bool rv64_csr_allowed(const struct rv64_cpu *cpu, unsigned csr, bool write);
uint64_t rv64_mstatus_write_mask(void);

/* ---- mem.c: translation ---- */
/* Recompute data_flat / fetch_flat and the keys from priv, mstatus, satp
 * and menvcfg, dropping the host-pointer caches of the kind whose key
 * changed. Called after every change to any of them. */
void rv64_xlate_update(struct rv64_cpu *cpu);
/* Translate va for acc through the TLB (the caller has checked the flat
 * case). On a fault raise it as an access of kind report (the cause), with
 * stval tval, and return false. */
bool rv64_translate(struct rv64_cpu *cpu, uint64_t va, enum mmu_access acc, enum mmu_access report,
                    uint64_t tval, uint64_t *pa);
/* The cause for a failed physical access of kind report: hardware error
 * (19) or the access fault, per rv64_set_ras_delivery(), when RAS stopped
 * it (poison consumed); the access fault (1, 5, 7) otherwise. */
unsigned rv64_phys_fault_cause(const struct rv64_cpu *cpu, enum mmu_access report,
                               enum phys_status status);

/* ---- mem.c, icache.c: caches ---- */
/* Drop host pointers if physical memory moved under them. */
void rv64_mem_sync(struct rv64_cpu *cpu);
/* Forget every host pointer and fetch translation (data and fetch). */
void rv64_host_flush(struct rv64_cpu *cpu);
void rv64_host_flush_data(struct rv64_cpu *cpu);
void rv64_host_flush_fetch(struct rv64_cpu *cpu);
/* Forget every decoded instruction (fence.i). */
void rv64_icache_flush(struct rv64_cpu *cpu);
/* This hart wrote [pa, pa + len) (one page) through phys_write/phys_store,
 * as all its writes to pages of decoded instructions go: drop the decoded
 * instructions that held any of those bytes. Call before rv64_mem_sync(). */
void rv64_code_written(struct rv64_cpu *cpu, uint64_t pa, uint64_t len);
void rv64_icache_forget_hosts(struct rv64_cpu *cpu);
void rv64_icache_free(struct rv64_cpu *cpu);

/* ---- htif.c ---- */
/* A store touched [pa, pa + size): serve tohost if it was hit. */
void rv64_htif_store(struct rv64_cpu *cpu, uint64_t pa, unsigned size);

#endif
