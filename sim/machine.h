/* machine.h - the machine behind rasim.h, shared by the files of sim/. */
#ifndef RASIM_SIM_MACHINE_H
#define RASIM_SIM_MACHINE_H

#include "rasim.h"
#include "isa/isa.h"
#include "loader/loader.h"
#include "mmu/mmu.h"
#include "sim/profile.h"
#include "ras/ras.h"

/* One architecture's CPU behind a common shape, so sim/ has one code path. */
enum sim_async { SIM_ASYNC_PENDING, SIM_ASYNC_DELIVERED, SIM_ASYNC_STOP };

struct sim_arch {
    enum rasim_arch arch;
    enum ld_arch ld_arch;
    void *(*cpu_new)(struct phys_mem *pm);
    void (*cpu_free)(void *cpu);
    void (*cpu_reset)(void *cpu);
    int (*reg_lookup)(const char *name);
    uint64_t (*reg_get)(const void *cpu, int index);
    void (*reg_set)(void *cpu, int index, uint64_t value);
    const char *(*gpr_name)(unsigned n);
    void (*run)(void *cpu, uint64_t max_insns, uint64_t sentinel, struct isa_stop *stop);
    /* Text of the instruction whose first bytes are word (little-endian,
     * 4 bytes read); returns its size. *known: inside the interpreted subset. */
    unsigned (*disasm)(uint32_t word, uint64_t pc, char *buf, size_t len, bool *known);
    /* Registers by index, for trace register diffs; names may be NULL for
     * unused indexes. set_tracer is NULL where tracing is not wired. */
    int (*reg_count)(void);
    const char *(*reg_name)(int index);
    /* Indexes [0, reg_common()) are the registers an ordinary instruction
     * can write, read in one call; the rest change only by exceptions, by
     * instructions insn_writes_system says yes to, and between runs. */
    /* Whether a register exists as the CPU is configured (an optional
     * feature's); NULL: every one always does. */
    bool (*reg_present)(const void *cpu, int index);
    int (*reg_common)(void);
    void (*reg_read_common)(const void *cpu, uint64_t *out);
    bool (*insn_writes_system)(uint32_t word);
    void (*set_tracer)(void *cpu, struct isa_tracer *tracer);
    /* The CPU's TLB, for the MMU checker; NULL where not reachable. The
     * checker also needs every data access to look the TLB up. */
    struct mmu_tlb *(*tlb)(void *cpu);
    void (*set_data_host_pointers)(void *cpu, bool on);
    /* An asynchronous memory error (a store under the async policy) at the
     * current instruction boundary: still pending (masked), delivered, or
     * a stop with no vector to take it (*stop describes it). */
    enum sim_async (*async_error)(void *cpu, struct isa_stop *stop);
    /* Architecture-specific settings; NULL where the architecture has none. */
    void (*set_misaligned_traps)(void *cpu, bool on);
    void (*set_htif)(void *cpu, uint64_t tohost_pa, uint64_t fromhost_pa);
    void (*set_svadu)(void *cpu, bool on);
    void (*set_ras_access_fault)(void *cpu, bool on);
    void (*set_feat_ras)(void *cpu, bool on);
};

const struct sim_arch *sim_arch_for(enum rasim_arch arch);

/* What the machine adds to a RAS record: where the CPU was, and what the
 * kernel model made of it. */
struct sim_error_note {
    bool known;
    uint64_t insns; /* exact: the consumption stopped the CPU here */
    uint64_t pc;
    uint64_t va;
    bool va_valid;
    char outcome[160]; /* "fixed up via TYPE at fixup", "oops", ... */
};

struct rasim_machine {
    const struct sim_arch *arch;
    void *cpu;
    struct phys_mem *pm;
    struct ras *ras;
    struct ld_image **images;
    size_t nimages;
    /* The kernel model: a built-in profile, or own_profile read from a
     * file; NULL for none. */
    const struct kernel_profile *profile;
    struct kernel_profile own_profile;
    uint64_t sentinel;
    bool sentinel_set;
    uint64_t clock;             /* instructions retired over the machine's life: the RAS clock */
    struct rasim_fixup *fixups; /* of the last run */
    size_t nfixups, capfixups;
    struct sim_error_note *notes; /* by RAS record index */
    size_t capnotes;
    struct sim_trace *trace; /* events, breakpoints, watchpoints: sim/trace.c */
    /* An asynchronous error taken from RAS and not delivered yet (masked). */
    struct ras_record async_rec;
    bool async_held;
    struct mmu_checker *checker; /* rasim_set_mmu_check: sim/mmu_check.c */
    struct tw *writer;           /* the trace being written: sim/trace_writer.c */
    /* rasim_set_stop_on_exception: the exception a run stopped before,
     * for the next run to hand to the kernel model. */
    bool stop_on_exception;
    bool pending;
    struct isa_stop pending_stop;
    char err[512];
};

/* The syndrome (ESR / scause) in words, for trace events. */
void sim_syndrome_words(const rasim_machine *m, uint64_t syndrome, char *buf, size_t len);

/* Set the machine's error message; returns -1. */
int sim_fail(rasim_machine *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
