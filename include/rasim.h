/*
 * rasim.h - the rasim C API.
 *
 * A machine is one CPU (AArch64 or RV64) over a sparse physical memory,
 * with loaded images (objects, linked ELF files, raw kernel images) and a
 * kernel profile that names extable types and, later, decides what the
 * kernel does with an exception. The rasim CLI uses nothing but this header.
 *
 * Conventions: functions returning int give 0 (or an index) on success and
 * -1 on failure, with a one-line message from rasim_error().
 */
#ifndef RASIM_H
#define RASIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RASIM_VERSION "0.1.0"

typedef struct rasim_machine rasim_machine;

enum rasim_arch {
    RASIM_ARCH_NONE = 0,
    RASIM_ARCH_AARCH64 = 1,
    RASIM_ARCH_RV64 = 2,
};

/* "aarch64"/"arm64" and "rv64"/"riscv64"; RASIM_ARCH_NONE if unknown. */
enum rasim_arch rasim_arch_from_name(const char *name);
const char *rasim_arch_name(enum rasim_arch arch);

rasim_machine *rasim_new(enum rasim_arch arch);
void rasim_free(rasim_machine *m);
enum rasim_arch rasim_get_arch(const rasim_machine *m);
/* The last error, one line, naming the file, field or address concerned. */
const char *rasim_error(const rasim_machine *m);

/* ---- physical memory -------------------------------------------------- */

enum rasim_region_kind {
    RASIM_REGION_RAM,
    RASIM_REGION_ROM,
    RASIM_REGION_ABSENT,
};

int rasim_add_region(rasim_machine *m, const char *name, uint64_t pa, uint64_t size,
                     enum rasim_region_kind kind);
/* A memory-mapped device: the callbacks get the offset into the region and
 * an access of 1, 2, 4 or 8 bytes; returning false makes the access an
 * external abort (arm64) / access fault (rv64) for the guest. */
struct rasim_device {
    bool (*read)(void *ctx, uint64_t offset, unsigned size, uint64_t *value);
    bool (*write)(void *ctx, uint64_t offset, unsigned size, uint64_t value);
    void *ctx;
};
int rasim_add_device(rasim_machine *m, const char *name, uint64_t pa, uint64_t size,
                     const struct rasim_device *device);

/* Host-side access (not an architectural access: no faults are taken). */
int rasim_read_phys(rasim_machine *m, uint64_t pa, void *buf, size_t len);
int rasim_write_phys(rasim_machine *m, uint64_t pa, const void *buf, size_t len);

/* MTE allocation tags (4 bits per 16-byte granule of RAM), host-side. */
int rasim_read_tag(rasim_machine *m, uint64_t pa, uint8_t *tag);
int rasim_write_tag(rasim_machine *m, uint64_t pa, uint8_t tag);

/* Remember memory now; restore puts back only the pages written since. */
int rasim_snapshot(rasim_machine *m);
size_t rasim_restore(rasim_machine *m);

/* ---- loading ---------------------------------------------------------- */

struct rasim_define {
    const char *name;
    uint64_t value;
};

struct rasim_load_options {
    bool base_set; /* ET_REL / ET_DYN: where to place it */
    uint64_t base;
    const char *system_map; /* makes the file a raw image */
    uint64_t load_pa;       /* raw image: physical load address */
    bool link_va_set;       /* raw image: the VA it was linked at (default load_pa) */
    uint64_t link_va;
    const struct rasim_define *defines; /* values for undefined symbols */
    size_t ndefines;
    bool no_auto_ram; /* by default RAM is declared where the image lands */
};

/* The architecture an ELF file is for (from e_machine), or RASIM_ARCH_NONE
 * when it is not a readable ELF file (for example a raw image). */
enum rasim_arch rasim_file_arch(const char *path);

/* Load a file; returns the image index. */
int rasim_load(rasim_machine *m, const char *path, const struct rasim_load_options *opt);

size_t rasim_image_count(const rasim_machine *m);

struct rasim_image_info {
    const char *path;
    const char *kind; /* "relocatable", "executable", "shared", "image" */
    uint64_t entry;
    size_t nsections;
    size_t nsymbols;
    size_t nextable;
};
int rasim_image_info(const rasim_machine *m, size_t image, struct rasim_image_info *out);

#define RASIM_SEC_WRITE  (1u << 1)
#define RASIM_SEC_EXEC   (1u << 2)
#define RASIM_SEC_NOBITS (1u << 3)

struct rasim_section {
    const char *name;
    uint64_t va;
    uint64_t pa;
    uint64_t size;
    unsigned flags;
};
int rasim_image_section(const rasim_machine *m, size_t image, size_t index,
                        struct rasim_section *out);

struct rasim_symbol {
    const char *name;
    uint64_t va;
    uint64_t size;
    const char *type; /* "func", "object", "notype", "other" */
    bool global;
};
int rasim_image_symbol(const rasim_machine *m, size_t image, size_t index,
                       struct rasim_symbol *out);

struct rasim_extable_entry {
    uint64_t entry; /* address of the entry itself */
    uint64_t insn;  /* the instruction it covers */
    uint64_t fixup; /* where execution continues */
    uint16_t type;  /* EX_TYPE_* number; see rasim_extable_type_name() */
    uint16_t data;
};
int rasim_image_extable(const rasim_machine *m, size_t image, size_t index,
                        struct rasim_extable_entry *out);

/* A symbol's VA, searching every image (global definitions first). */
int rasim_lookup_symbol(const rasim_machine *m, const char *name, uint64_t *va);
/* Where a VA of a loaded image was placed in physical memory. */
int rasim_image_va_to_pa(const rasim_machine *m, uint64_t va, uint64_t *pa);
/* "symbol+0xOFF", or "0xADDR" when no symbol names the address. */
void rasim_describe(const rasim_machine *m, uint64_t va, char *buf, size_t len);
/* The __ex_table entry covering the instruction at va, searching every
 * image (for a raw image va may be the link or the load address; the
 * entry's insn and fixup are then given in the same terms). 0, or -1 if no
 * entry covers it. */
int rasim_extable_lookup(const rasim_machine *m, uint64_t va, struct rasim_extable_entry *out);

/* One instruction of a loaded image as text. */
struct rasim_insn_text {
    uint64_t va;
    uint32_t word;  /* its encoding; a compressed RV64 one in the low half */
    unsigned size;  /* 4, or 2 for a compressed RV64 instruction */
    bool in_subset; /* the interpreter implements it (else running it is Undefined) */
    char text[128]; /* capstone's text for AArch64; llvm-objdump's spelling for RV64 */
};
/* Disassemble the instruction at va (a VA of a loaded image, read from
 * where the image was placed). 0, or -1 if va is not inside an image. */
int rasim_disasm(rasim_machine *m, uint64_t va, struct rasim_insn_text *out);
/* The same for an encoding at hand (an INSN event's word, or bytes read
 * through a translation): word holds the first 4 bytes at va, little-endian
 * (a compressed RV64 instruction in its low half; the rest is ignored). */
void rasim_disasm_word(const rasim_machine *m, uint64_t va, uint32_t word,
                       struct rasim_insn_text *out);

/* ---- kernel profile --------------------------------------------------- */

/*
 * The kernel the model follows when a kernel-mode exception (EL1, S-mode)
 * finds no guest vector: a built-in profile by name ("linux-6.1",
 * "linux-6.12" - the default -, "arm64-copy-mc-v8", "arm64-copy-mc-v13",
 * "riscv-copy-mc"), a profile file (a path: docs/profiles.md), or "none"
 * for no kernel model (every exception stops the run).
 */
int rasim_set_profile(rasim_machine *m, const char *name_or_path);
const char *rasim_profile_name(const rasim_machine *m);
/* The built-in profiles for the machine's architecture, NULL-terminated. */
const char *const *rasim_profile_names(const rasim_machine *m);

/* One recovery the kernel model made during the last run. */
struct rasim_fixup {
    uint64_t insn;  /* the faulting instruction */
    uint64_t fixup; /* where execution continued */
    uint16_t type;  /* EX_TYPE_* number and name */
    const char *type_name;
    const char *exception; /* the class: data-sea, hardware-error, page-fault ... */
    uint64_t fault_addr;   /* FAR / stval */
    bool fault_addr_valid;
    uint64_t pa; /* the physical address at fault (the poisoned byte) */
    bool pa_valid;
    int nregs; /* registers the handler wrote */
    const char *reg[2];
    uint64_t value[2];
    bool memory_failure; /* the profile queues memory_failure(pfn) */
    uint64_t pfn;
};
size_t rasim_fixup_count(const rasim_machine *m);
const struct rasim_fixup *rasim_fixup_get(const rasim_machine *m, size_t index);

/* A backtrace by frame pointers from the current state (arm64 frame
 * records at x29; riscv s0 with the caller's fp at [s0-16], ra at [s0-8]),
 * innermost first, as "sym+0xoff" joined by " <- ": what an oops prints in
 * struct rasim_stop's backtrace. A leaf routine's caller comes from LR / ra. */
void rasim_backtrace(rasim_machine *m, char *buf, size_t len);

/* How an extable entry's `data` field reads under the current profile. */
struct rasim_extable_decoded {
    const char *type_name;     /* "UACCESS_ERR_ZERO", or NULL if the profile has none */
    int nfields;               /* 0..2 register fields */
    const char *field_name[2]; /* "err"/"zero", or "data"/"addr" */
    const char *field_reg[2];  /* architectural register names */
};
void rasim_extable_decode(const rasim_machine *m, uint16_t type, uint16_t data,
                          struct rasim_extable_decoded *out);

/* ---- registers -------------------------------------------------------- */

/* Architectural reset of the CPU (EL1 / S-mode, registers zero); memory,
 * images, poison and settings (profile, HTIF, ...) are kept. */
void rasim_reset_cpu(rasim_machine *m);
/* Instructions retired over the machine's life: the clock that poison of
 * kind RASIM_POISON_AT_INSN counts against. */
uint64_t rasim_instructions_retired(const rasim_machine *m);

/* By architectural name: x0..x30, sp, pc, nzcv, sctlr_el1 ... / a0, ra, sp,
 * pc, satp, sstatus ... With FEAT_RAS (rasim_set_feat_ras) also the error
 * record's erridr_el1, errselr_el1, erxfr_el1, erxctlr_el1, erxstatus_el1,
 * erxaddr_el1, erxmisc0_el1, erxmisc1_el1, which read and write as MRS and
 * MSR do (erxstatus_el1 is write-one-to-clear); without, they are errors. */
int rasim_get_reg(rasim_machine *m, const char *name, uint64_t *value);
int rasim_set_reg(rasim_machine *m, const char *name, uint64_t value);
/* General register n by name (arm64: x0..x30, xzr; rv64: ABI names). */
const char *rasim_gpr_name(const rasim_machine *m, unsigned n);
/* Every register the machine models, for debuggers that list them all:
 * index 0 .. rasim_reg_count() - 1 gives its name for rasim_get_reg (NULL
 * for an unused index, or one the configuration lacks: the error record
 * without FEAT_RAS). General registers come first, in order; then pc
 * and the named state (arm64 sp, cpsr ...; rv64 priv), then the system
 * registers / CSRs. */
int rasim_reg_count(const rasim_machine *m);
const char *rasim_reg_name(const rasim_machine *m, int index);

/* ---- RAS: poison and the error log ------------------------------------- */

enum rasim_poison_kind {
    RASIM_POISON_PERSISTENT, /* until stores clear it (per policy) or it is cleared */
    RASIM_POISON_TRANSIENT,  /* consumed `count` times, then gone */
    RASIM_POISON_AFTER,      /* harmless for `count` accesses to its line, then persistent */
    RASIM_POISON_AT_INSN,    /* arrives when `count` instructions have retired */
};

struct rasim_poison {
    uint64_t pa;
    uint64_t len;     /* widened to the granule */
    unsigned granule; /* 1, 64 (the default when 0) or 4096 bytes */
    bool tag;         /* the MTE tag storage of those bytes, not the data */
    enum rasim_poison_kind kind;
    uint64_t count;
};

/* Poison physical memory. A load, fetch or walk that reads a poisoned byte
 * takes the architecture's synchronous error; then the kernel model. */
int rasim_poison(rasim_machine *m, const struct rasim_poison *poison);
/* Remove all poison and empty the error log. */
void rasim_poison_clear(rasim_machine *m);
/* The poison present now: fn gets each run of poisoned bytes of one
 * storage, kind and count, in address order (data before tag storage), as
 * granule-1 poison (count: what remains of it). 0, or -1 out of memory. */
int rasim_poison_list(rasim_machine *m, void (*fn)(void *ctx, const struct rasim_poison *poison),
                      void *ctx);

enum rasim_store_policy {
    RASIM_STORE_CLEAR_FULL_LINE, /* a line is clean once all 64 bytes are rewritten (default) */
    RASIM_STORE_KEEP,            /* stores never clear poison */
    RASIM_STORE_ASYNC,           /* a store to poison raises an asynchronous error */
};
/* 0, or -1 when the policy cannot be had: RASIM_STORE_ASYNC needs the
 * traced loop, which a build with RASIM_TRACING=OFF does not have. */
int rasim_set_store_policy(rasim_machine *m, enum rasim_store_policy policy);

/* Every consumption of poison, in order. */
struct rasim_error_record {
    uint64_t seq;
    uint64_t insns;     /* instructions the machine had retired when it happened (exact
                         * when the error stopped the CPU; else as of the run's start) */
    const char *access; /* "read", "write", "fetch", "walk", "tag-read", "tag-write" */
    uint64_t pa;        /* the poisoned byte */
    bool tag;           /* in tag storage */
    bool async;         /* a store under RASIM_STORE_ASYNC */
    bool pc_known;      /* what the CPU was doing, when the error stopped it */
    uint64_t pc;
    uint64_t va;
    bool va_valid;
    const char *outcome; /* "fixed up via TYPE(n) to sym+off", "oops", ... */
};
size_t rasim_error_log_count(const rasim_machine *m);
int rasim_error_log_get(const rasim_machine *m, size_t index, struct rasim_error_record *out);

/* ---- architecture settings -------------------------------------------- */

/* RV64: misaligned loads and stores trap (cause 4/6) instead of being
 * performed, which is the default. Fails on other architectures. */
int rasim_set_misaligned_traps(rasim_machine *m, bool on);
/* RV64: HTIF, the host interface of riscv-tests and Spike. A store to tohost
 * is a request: 1 ends the run as RASIM_STOP_EXIT with exit_code 0 (pass),
 * (n << 1) | 1 ends it with exit_code n (test n failed), device 1 command 1
 * prints a character. (0, 0) turns it off. Loading an RV64 ELF file that
 * defines `tohost` turns it on at that symbol. */
int rasim_set_htif(rasim_machine *m, uint64_t tohost_pa, uint64_t fromhost_pa);
/* RV64: A/D bits by hardware update (Svadu, menvcfg.ADUE writable and set)
 * instead of page faults (Svade, the default). Fails on other architectures. */
int rasim_set_svadu(rasim_machine *m, bool on);
/* RV64: how consumed poison is delivered: the hardware-error exception
 * (cause 19, the default), or the access fault of the access (1/5/7) as on
 * implementations without it. Fails on other architectures. */
enum rasim_ras_delivery { RASIM_RAS_HW_ERROR, RASIM_RAS_ACCESS_FAULT };
int rasim_set_ras_delivery(rasim_machine *m, enum rasim_ras_delivery delivery);
/* AArch64: model FEAT_RAS (off by default, so syndromes and the registers
 * that exist are those of a PE without it; kept by rasim_reset_cpu). On,
 * the error record registers ERRIDR_EL1, ERRSELR_EL1, ERXFR_EL1,
 * ERXCTLR_EL1, ERXSTATUS_EL1, ERXADDR_EL1, ERXMISC0/1_EL1 exist at EL1
 * (off they are UNDEFINED), one record holds the latest poison consumed
 * (docs/running.md), and synchronous external aborts carry ESR ISS.SET =
 * 0b00, Recoverable (UER). Fails on other architectures. */
int rasim_set_feat_ras(rasim_machine *m, bool on);

/* ---- page-table inspection (rasim pt) ---------------------------------- */

/* A tree to inspect in the machine's physical memory. Inspection reads
 * memory as the host (no RAS consumption, no hardware A/D updates). */
struct rasim_pt {
    uint64_t root;      /* arm64: the TTBR0 table (low VAs); rv64: the satp root table */
    uint64_t root1;     /* arm64: the TTBR1 table (high VAs), 0 for none; rv64: unused */
    unsigned va_bits;   /* arm64: 39 or 48; rv64: 39, 48 or 57 (Sv39/Sv48/Sv57) */
    const char *layout; /* kernel layout for non-present entries: "linux-6.1", "linux-6.12" */
};

enum rasim_pt_access { RASIM_PT_READ, RASIM_PT_WRITE, RASIM_PT_FETCH };

struct rasim_pt_step {
    int level;         /* arm64 lookup level; rv64 level i */
    uint64_t entry_pa; /* where the entry was read */
    uint64_t raw;
    char text[192]; /* the entry decoded */
};

struct rasim_pt_walk {
    struct rasim_pt_step steps[5];
    unsigned nsteps;
    bool ok;
    uint64_t pa;       /* translation, when ok */
    uint64_t size;     /* bytes the leaf maps (a contiguous/NAPOT range: the range) */
    char attrs[192];   /* the leaf decoded */
    const char *fault; /* when !ok: translation, access-flag, permission,
                          address-size, walk-abort (arm64); page, access (rv64) */
    int level;         /* of the fault */
    unsigned code;     /* arm64 DFSC; rv64 scause */
};

/* Translate one VA as an EL1 / S-mode access of the given kind, showing
 * every entry read. Returns 0 (out->ok says whether it translated) or -1
 * for a bad configuration. */
int rasim_pt_walk(rasim_machine *m, const struct rasim_pt *pt, uint64_t va,
                  enum rasim_pt_access access, struct rasim_pt_walk *out);

/* Where the CPU's current translation regime maps va, looked up as a
 * debugger does: from the registers as they are now (arm64 SCTLR_EL1.M,
 * TCR_EL1, TTBR0_EL1/TTBR1_EL1; rv64 satp and the privilege mode - none in
 * M-mode), tables read as the host (no poison consumed, no AF/A/D update,
 * the TLB neither used nor filled), permissions and missing access flags
 * ignored. PA = VA when translation is off. 0, or -1 when va is not
 * mapped (rasim_error() says at which level). */
int rasim_debug_translate(rasim_machine *m, uint64_t va, uint64_t *pa);

/* One run of the tree: consecutive leaves with the same attributes and
 * contiguous output addresses (blocks, contiguous and NAPOT runs included),
 * or a non-present entry that is not empty (swap, PROT_NONE...). */
struct rasim_pt_range {
    uint64_t va;
    uint64_t size;
    bool mapped;     /* a run of valid leaves; else one non-present entry */
    uint64_t pa;     /* first output address, when mapped */
    unsigned leaves; /* how many leaves the run joins */
    uint64_t leaf_size;
    uint64_t raw;   /* the first entry of the run */
    uint64_t attrs; /* the entry bits that are not the output address */
    char text[192]; /* the first entry decoded */
};

/* Call fn for every range of the tree, in VA order. -1 with a message for a
 * bad configuration or a tree too large to enumerate (a cyclic one). */
int rasim_pt_ranges(rasim_machine *m, const struct rasim_pt *pt,
                    void (*fn)(void *ctx, const struct rasim_pt_range *range), void *ctx);

/* One difference between two trees over [va, va+size). */
struct rasim_pt_change {
    uint64_t va;
    uint64_t size;
    const char *kind; /* "added", "dropped", "made valid", "made invalid", "moved",
                         "attributes" */
    char what[256];   /* the fields that changed, e.g. "AP RO_EL1->RW_EL1 +DBM" */
};

/* Compare the tree `before` with `after` (for example a linear map and its
 * trans_pgd copy) and call fn for each run of identical change. */
int rasim_pt_diff(rasim_machine *m, const struct rasim_pt *before, const struct rasim_pt *after,
                  void (*fn)(void *ctx, const struct rasim_pt_change *change), void *ctx);

/* One entry of the CPU's TLB: a translation it holds, as a walk filled it. */
struct rasim_tlb_entry {
    uint64_t va; /* the range it translates (a contiguous / NAPOT range: all of it) */
    uint64_t size;
    uint64_t pa;   /* where va goes */
    uint16_t asid; /* it was filled under */
    bool global;
    int level;       /* of the leaf: arm64 lookup level; rv64 level i */
    uint64_t pte;    /* the leaf as read */
    uint64_t pte_pa; /* where it was read */
    char text[192];  /* the leaf decoded */
};

/* Call fn for each valid entry of the CPU's TLB, in slot order. -1 where
 * the architecture's TLB cannot be reached yet. */
int rasim_tlb_entries(rasim_machine *m, void (*fn)(void *ctx, const struct rasim_tlb_entry *entry),
                      void *ctx);

/* ---- the MMU checker (docs/mmu.md) -------------------------------------- */

/* Watch the page tables the TLB holds translations from, and report (a)
 * break-before-make violations, (b) misprogrammed contiguous / NAPOT
 * ranges, (c) stale use of a TLB entry that no longer matches the tables.
 * Reports accumulate until rasim_mmu_warnings_clear(); turning it off drops
 * them. -1 where the architecture's TLB is not reachable. */
int rasim_set_mmu_check(rasim_machine *m, bool on);

struct rasim_mmu_warning {
    const char *kind; /* "break-before-make", "contiguous", "stale" */
    uint64_t pc;      /* the instruction that stored, or translated */
    uint64_t va;      /* the translation concerned */
    uint64_t pte_pa;  /* the descriptor concerned */
    uint64_t cached;  /* what the TLB holds (contiguous: what the slot must agree with) */
    uint64_t current; /* what is being stored / is in memory */
    char text[256];   /* one line */
};
size_t rasim_mmu_warning_count(const rasim_machine *m);
int rasim_mmu_warning_get(const rasim_machine *m, size_t index, struct rasim_mmu_warning *out);
void rasim_mmu_warnings_clear(rasim_machine *m);

/* ---- running ---------------------------------------------------------- */

enum rasim_stop_reason {
    RASIM_STOP_RETURNED,  /* reached the return sentinel */
    RASIM_STOP_BUDGET,    /* instruction budget exhausted */
    RASIM_STOP_EXCEPTION, /* an exception no guest vector took */
    RASIM_STOP_BREAKPOINT,
    RASIM_STOP_EXIT, /* guest requested exit */
    RASIM_STOP_OOPS, /* the kernel model says the kernel would die */
};
const char *rasim_stop_reason_name(enum rasim_stop_reason reason);

struct rasim_stop {
    enum rasim_stop_reason reason;
    uint64_t pc;
    uint64_t insns;
    /* RASIM_STOP_EXCEPTION: arm64 ESR/FAR, rv64 scause/stval */
    uint64_t syndrome;
    uint64_t fault_addr;
    bool fault_addr_valid;
    uint32_t insn;
    bool insn_valid;
    uint64_t exception_pc; /* preferred return address (ELR / sepc) */
    unsigned target_level; /* arm64: EL taken to; rv64: privilege mode taken to */
    uint64_t fault_pa;     /* physical address of a memory fault, when known */
    bool fault_pa_valid;
    bool pending; /* stopped before the kernel model acted: rasim_set_stop_on_exception */
    uint64_t exit_code;
    /* RASIM_STOP_BREAKPOINT from a watchpoint: the access that hit it */
    bool watch_hit;
    bool watch_write;
    uint64_t watch_addr; /* the VA (or PA for a physical watchpoint) */
    /* RASIM_STOP_OOPS: why, and the backtrace by frame pointers */
    char reason_text[256];
    char backtrace[512];
};

/* The budget a run gets unless told otherwise (--max-insns, a scenario's
 * max_insns): a run that exhausts it is a hang. */
#define RASIM_DEFAULT_MAX_INSNS 100000000ull

/* The address whose reaching ends a run as RASIM_STOP_RETURNED: set it as
 * the link register / ra of a call. Default: none. */
void rasim_set_return_sentinel(rasim_machine *m, uint64_t addr);
int rasim_run(rasim_machine *m, uint64_t max_insns, struct rasim_stop *stop);
/* The stop in words, one line, with addresses as symbol+offset, e.g.
 * "abort (data read, synchronous external abort) at VA 0x... in f+0x1c". */
void rasim_stop_describe(const rasim_machine *m, const struct rasim_stop *stop, char *buf,
                         size_t len);
int rasim_step(rasim_machine *m, struct rasim_stop *stop);

/* Where a run that exhausted its budget is looping: runs up to n more
 * instructions (it changes the machine's state) and gives the lowest and
 * highest PC executed. 0, or -1 where the architecture cannot be traced. */
int rasim_loop_range(rasim_machine *m, unsigned n, uint64_t *lo, uint64_t *hi);

/* For debuggers: with on, a run stops where an exception would go to the
 * kernel model, before the model acts: RASIM_STOP_EXCEPTION with
 * stop.pending, the CPU still at the faulting instruction and any poison
 * it consumed already in the error log. The next rasim_run / rasim_step
 * first hands that exception to the model - a fixup (which counts as the
 * faulting instruction against the budget) or an oops - and goes on from
 * there; rasim_drop_exception() forgets it instead, so the next run starts
 * from the PC as it is then (gdb's `signal 0`). Off by default. Without a
 * kernel model (profile "none") an exception ends the run as always. */
void rasim_set_stop_on_exception(rasim_machine *m, bool on);
/* 0, or -1 when no exception is pending. */
int rasim_drop_exception(rasim_machine *m);

/* ---- events: what the machine did (traces, the stepper, gdb) ----------- */

enum rasim_event_kind {
    RASIM_EV_INSN,      /* an instruction is about to execute */
    RASIM_EV_REG,       /* a register changed (general, system register or CSR; not PC) */
    RASIM_EV_MEM,       /* a data or tag access that was performed */
    RASIM_EV_WALK,      /* a translation that walked the tables, or faulted */
    RASIM_EV_TLBI,      /* a TLB invalidation (TLBI, SFENCE.VMA) */
    RASIM_EV_EXCEPTION, /* an exception: taken to a guest vector, or ending the run */
    RASIM_EV_POISON,    /* poison consumed (an error-log record) */
    RASIM_EV_FIXUP,     /* the kernel model recovered through __ex_table */
    RASIM_EV_CHECK,     /* an MMU checker warning */
    RASIM_EV_NKINDS
};
#define RASIM_EV_BIT(kind) (1u << (kind))
#define RASIM_EV_ALL       ((1u << RASIM_EV_NKINDS) - 1)
const char *rasim_event_kind_name(enum rasim_event_kind kind); /* "insn", "reg" ... */

struct rasim_event {
    enum rasim_event_kind kind;
    uint64_t icount; /* the instruction it belongs to: 1, 2 ... from when events were turned on */
    uint64_t pc;     /* of the instruction the event belongs to */
    union {
        struct {
            uint32_t word;
            unsigned size; /* 4, or 2 (compressed RV64) */
        } insn;
        struct {
            const char *name; /* architectural name: x3, sp, nzcv, sctlr_el1, a0, satp ... */
            uint64_t old, value;
        } reg;
        struct {
            uint64_t va, pa;
            unsigned size;
            uint64_t value;
            bool write;
            bool tag; /* MTE allocation tag */
        } mem;
        struct {
            uint64_t va;
            bool ok;           /* translated; else fault says why */
            uint64_t pa, size; /* when ok: the output address, and the leaf's size */
            const char *fault; /* "translation", "permission", "page", "access" ... */
            int level;         /* of the leaf or of the fault */
            bool fetch, write; /* the access that walked */
            unsigned nsteps;   /* descriptors read, in order */
            struct {
                int level;
                uint64_t pa, desc;
            } steps[5];
        } walk;
        struct {
            char text[96]; /* "sfence.vma va=0x... asid=1", "tlbi vae1is ..." */
        } tlbi;
        struct {
            uint64_t syndrome; /* ESR / scause */
            uint64_t addr;     /* FAR / stval */
            bool addr_valid;
            uint64_t pa;
            bool pa_valid;
            uint64_t return_pc; /* ELR / sepc */
            unsigned target_level;
            bool taken;     /* to a guest vector (else it went to the kernel model or
                               ended the run) */
            char text[160]; /* decoded: "SEA, not on walk, read", "load page fault" ... */
        } exception;
        struct rasim_error_record poison;
        struct rasim_fixup fixup;
        struct rasim_mmu_warning check;
    };
};

typedef void (*rasim_event_fn)(void *ctx, const struct rasim_event *event);

/* Send the events whose kinds are in mask (RASIM_EV_BIT...) to fn during
 * rasim_run/rasim_step. fn == NULL turns events off. While events are on
 * (or breakpoints or watchpoints are set) the machine runs its traced path;
 * otherwise that costs nothing. Same inputs give the same events. -1 where
 * the architecture cannot be traced yet (so neither can it break or
 * watch). A trace (rasim_trace_start) gets the same events beside the
 * sink. */
int rasim_set_event_sink(rasim_machine *m, unsigned mask, rasim_event_fn fn, void *ctx);

/* A breakpoint stops a run with RASIM_STOP_BREAKPOINT before the
 * instruction at va executes; a run that starts on a breakpoint executes
 * it first (so "continue" goes on). 0, or -1 if already set / not set. */
int rasim_add_breakpoint(rasim_machine *m, uint64_t va);
int rasim_remove_breakpoint(rasim_machine *m, uint64_t va);

/* A watchpoint stops a run with RASIM_STOP_BREAKPOINT after an instruction
 * that reads or writes (per kinds) a byte of [addr, addr+len): VAs, or PAs
 * when physical. stop.watch_* say which access. */
#define RASIM_WATCH_READ  1u
#define RASIM_WATCH_WRITE 2u
int rasim_add_watchpoint(rasim_machine *m, uint64_t addr, uint64_t len, unsigned kinds,
                         bool physical);
int rasim_remove_watchpoint(rasim_machine *m, uint64_t addr, uint64_t len, unsigned kinds,
                            bool physical);

/* ---- traces: the events written out (docs/traces.md) ------------------- */

/* PCs in [lo, hi). */
struct rasim_trace_range {
    uint64_t lo, hi;
};

/* Which events a trace keeps. An event is kept when the PC of its
 * instruction is inside one of the ranges or symbols (any PC when none is
 * given), its kind is in kinds, and its icount is inside [from, to] when
 * window is set. A symbol covers [start, start + size), or when it has no
 * size runs to the next symbol of its image or the end of its section; a
 * symbol of an image placed at a PA other than its VA covers both. */
struct rasim_trace_filter {
    const struct rasim_trace_range *ranges;
    size_t nranges;
    const char *const *symbols;
    size_t nsymbols;
    unsigned kinds; /* RASIM_EV_BIT()s; 0 keeps every kind */
    bool window;
    uint64_t from, to; /* icount, both included */
};

/*
 * Write the machine's events, from now until rasim_trace_stop (or
 * rasim_free), as spec says: "FORMAT" (to stdout) or "FORMAT:PATH" (a file,
 * truncated; "-" is stdout). Formats: "text" (one aligned line per event,
 * ANSI colours only on a terminal), "jsonl" (one JSON object per event),
 * "tarmac" (Arm Tarmac text, AArch64 machines) and "commitlog" (Spike's
 * --log-commits text, RV64 machines). filter may be NULL (keep everything).
 * The trace gets the events beside the event sink (rasim_set_event_sink),
 * which keeps working; icount restarts at 1 unless a sink is listening
 * already. A bad spec is -1 with a one-line message naming the format, the
 * path or the filter field.
 */
int rasim_trace_start(rasim_machine *m, const char *spec, const struct rasim_trace_filter *filter);
/* Flush and close the trace. -1 (with the trace closed all the same) if
 * writing it failed, or no trace runs. */
int rasim_trace_stop(rasim_machine *m);

/* ---- the GDB remote serial protocol (docs/running.md) ------------------ */

enum rasim_gdb_end {
    RASIM_GDB_ENDED,    /* the run ended while gdb was attached (W or X sent) */
    RASIM_GDB_DETACHED, /* gdb detached or went away; the run then went on to its end */
    RASIM_GDB_KILLED,   /* gdb killed the run where it stood */
};

/* Serve one gdb connection on fd (a connected stream socket, or one end of
 * a socketpair) for a run of at most max_insns instructions from the
 * machine's current state, set up as for rasim_run. gdb sees one thread
 * stopped before its first instruction; stops, signals and packets are in
 * docs/running.md. Breakpoints and watchpoints gdb set are removed at the
 * end; the fd is left open. stop: how the run ended (when killed: where it
 * stood), with insns counting the whole run. Returns how the session
 * ended, or -1 if it could not start (fd < 0, no memory). */
int rasim_gdb_serve(rasim_machine *m, int fd, uint64_t max_insns, struct rasim_stop *stop);

/* ---- scenarios and campaigns (docs/scenarios.md) ----------------------- */

typedef struct rasim_scenario rasim_scenario;

/* Read a scenario file. Images it names are looked for next to it, then in
 * the search directories (NULL-terminated, may be NULL). NULL on error, with
 * "file:line:column: what was expected" in err. */
rasim_scenario *rasim_scenario_load(const char *path, const char *const *search, char *err,
                                    size_t errlen);
void rasim_scenario_free(rasim_scenario *sc);
enum rasim_arch rasim_scenario_arch(const rasim_scenario *sc);
/* The kernel profile the scenario names (a name or a path), or the default. */
const char *rasim_scenario_profile(const rasim_scenario *sc);

/* How a run went, judged against the scenario's contract. */
enum rasim_outcome {
    RASIM_RECOVERED,     /* poison consumed, fixed up, and the contract held */
    RASIM_WRONG_RESIDUE, /* fixed up, but the returned count or error is wrong */
    RASIM_SILENT,        /* poison consumed but success reported, or corrupt data */
    RASIM_OOPS,          /* the kernel would die */
    RASIM_NOT_CONSUMED,  /* the poison was never read */
    RASIM_HANG,          /* the instruction budget ran out */
    RASIM_NOUTCOMES
};
const char *rasim_outcome_name(enum rasim_outcome outcome);
bool rasim_scenario_accepts(const rasim_scenario *sc, enum rasim_outcome outcome);

struct rasim_check {
    char what[96]; /* "ret == 0x7a3", "dst equals src over 2045 bytes" ... */
    bool ok;
    char actual[256]; /* what was found, when it failed */
};

struct rasim_run_result {
    enum rasim_outcome outcome;
    char why[192]; /* what decided the outcome */
    struct rasim_stop stop;
    uint64_t ret;
    char where[160]; /* where poison was consumed (else the stop PC), as sym+off */
    char fixup[288]; /* the first recovery: "insn -> fixup TYPE(n)", or "" */
    unsigned nfixups;
    unsigned nchecks, nfailed; /* the scenario's expectations */
    struct rasim_check checks[16];
};

/* Run once with the scenario's own poison and check its expectations.
 * 0 (result->nfailed says whether they held), or -1 with err if the
 * scenario cannot be run at all (a symbol missing, a bad buffer...). */
int rasim_scenario_run(rasim_scenario *sc, struct rasim_run_result *result, char *err,
                       size_t errlen);
/* The same with the run itself done by run instead of rasim_run (a gdb
 * server, for example): it gets the machine set up and poisoned, and the
 * scenario's budget, and leaves how the run ended in *stop. It returns 0,
 * or -1 with err to give the run up (then nothing is checked and
 * rasim_scenario_run_with returns -1). */
typedef int (*rasim_run_fn)(void *ctx, rasim_machine *m, uint64_t max_insns,
                            struct rasim_stop *stop, char *err, size_t errlen);
int rasim_scenario_run_with(rasim_scenario *sc, rasim_run_fn run, void *ctx,
                            struct rasim_run_result *result, char *err, size_t errlen);

/* One injection point of a campaign. */
struct rasim_point {
    uint64_t pa;
    bool tag;        /* in MTE tag storage */
    char label[96];  /* "src+0x40", or "src+0x40 @insn 17" */
    char region[64]; /* the buffer swept */
    uint64_t offset; /* into it */
    bool timed;      /* an {instructions: ...} sweep: the poison arrives ... */
    uint64_t insn;   /* ... when the routine has retired this many instructions */
};

struct rasim_campaign_run {
    size_t index; /* in the whole campaign (the same under any sharding) */
    struct rasim_point point;
    struct rasim_run_result result;
    bool accepted;
};

/* Run the scenario once per campaign point (only those with index % nshards
 * == shard), each from the same snapshot, calling fn after each run with
 * the number of runs in the slice. -1 with err if it cannot start (for
 * example the scenario does not return without poison). */
int rasim_campaign(rasim_scenario *sc, unsigned shard, unsigned nshards,
                   void (*fn)(void *ctx, size_t total, const struct rasim_campaign_run *run),
                   void *ctx, char *err, size_t errlen);
size_t rasim_campaign_size(const rasim_scenario *sc);
/* The index of the campaign point labelled label, as the campaign's table
 * and JSON name it ("src+0x40", "src+0x40 @insn 12"). 0, or -1 if none is. */
int rasim_campaign_point_index(const rasim_scenario *sc, const char *label, size_t *index);
/* Run point number index alone, as rasim_campaign would (after the same
 * run without poison, from the same snapshot). */
int rasim_campaign_run_point(rasim_scenario *sc, size_t index, struct rasim_campaign_run *run,
                             char *err, size_t errlen);

/* Trace the run of rasim_scenario_run, or of rasim_campaign_run_point, as
 * rasim_trace_start(spec, filter) would; spec and filter are borrowed and
 * must stay valid while the scenario runs. NULL spec: no trace.
 * rasim_campaign refuses to run while a trace is asked for: a trace of
 * every run of a whole campaign is not offered. */
void rasim_scenario_trace(rasim_scenario *sc, const char *spec,
                          const struct rasim_trace_filter *filter);

#ifdef __cplusplus
}
#endif

#endif
