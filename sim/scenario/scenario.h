/*
 * scenario.h - a scenario as read from its file (parse.c), run once with
 * its expectations (run.c), or swept as a campaign (campaign.c). Like the
 * CLI, this module uses nothing but rasim.h to drive the machine.
 */
#ifndef RASIM_SCENARIO_H
#define RASIM_SCENARIO_H

#include "rasim.h"

#include <stddef.h>
#include <stdint.h>

#define SC_MAX_IMAGES  8
#define SC_MAX_BUFFERS 16
#define SC_MAX_ARGS    8
#define SC_MAX_POISON  32
#define SC_MAX_DEFINES 16
#define SC_MAX_MEMORY  8
#define SC_MAX_SWEEPS  8
#define SC_NAME        64

/* A value in a scenario: a number, or NAME+OFFSET where NAME is a buffer
 * or a symbol. */
struct sc_value {
    char name[SC_NAME]; /* "" for a plain number */
    uint64_t offset;
    bool deref;       /* the 8-byte value stored there, not its address (root_at:) */
    int line, column; /* for messages at run time */
};

struct sc_image {
    char path[1024]; /* resolved */
    struct rasim_load_options opt;
    struct rasim_define defines[SC_MAX_DEFINES];
    char define_names[SC_MAX_DEFINES][SC_NAME];
    char map[1024];
};

#define SC_FILL_ZERO    (-1)
#define SC_FILL_PATTERN (-2)

struct sc_buffer {
    char name[SC_NAME];
    uint64_t size, align;
    int fill;        /* a byte, or SC_FILL_* */
    char file[1024]; /* initial contents, or "" */
    int tags;        /* arm64 MTE allocation tags: a nibble, or SC_FILL_* */
    uint64_t pa;     /* assigned when the machine is built */
};

enum sc_contract_kind {
    SC_CONTRACT_NONE,
    SC_CONTRACT_BYTES_NOT_COPIED, /* ret = bytes not copied; the copied prefix is right */
    SC_CONTRACT_ERROR_CODE,       /* ret = 0 on success, non-zero on failure */
};

struct sc_contract {
    enum sc_contract_kind kind;
    struct sc_value dst, src;
    uint64_t len;
    bool error_set; /* error-code: failure must return exactly this */
    uint64_t error;
};

enum sc_ret_kind { SC_RET_ANY, SC_RET_EXACT, SC_RET_ZERO, SC_RET_NONZERO, SC_RET_CONTRACT };

struct sc_memory_expect {
    struct sc_value a, b; /* a equals b ... */
    uint64_t len;         /* ... over len bytes, or */
    bool len_copied;      /* over the bytes the routine says it copied (len - ret) */
    bool tags;            /* compare MTE allocation tags (per 16-byte granule), not bytes */
};

struct sc_value_expect {
    struct sc_value at; /* an 8-byte little-endian value in memory ... */
    uint64_t equals;    /* ... must equal this after the run */
};

#define SC_MAX_VALUES  8
#define SC_MAX_CHANGES 16

/* page_tables: a translation regime built for the routine (tables.c), in
 * a buffer of its own. */
#define SC_TABLES_BUFFER "page_tables"
#define SC_TABLES_SIZE   0x20000ull /* 32 tables */
#define SC_MAX_MAPS      16
#define SC_PERM_R        1u
#define SC_PERM_W        2u
#define SC_PERM_X        4u
struct sc_map {
    uint64_t va, size;
    struct sc_value to; /* the physical address mapped */
    unsigned perm;      /* SC_PERM_* */
    bool user;          /* EL0 / U-mode may access it */
    bool contiguous;    /* arm64 Contiguous bit / Svnapot, over aligned 64 KiB */
    bool device;        /* arm64 Device-nGnRnE / Svpbmt IO */
};
struct sc_tables {
    bool set;
    bool identity;    /* every image, buffer, the stack and the tables at VA = PA */
    unsigned va_bits; /* arm64: 39 or 48; rv64: 39 (Sv39) or 48 (Sv48) */
    struct sc_map maps[SC_MAX_MAPS];
    unsigned nmaps;
    /* built_by: a guest routine that builds the tables (MMU off) and
     * returns the root table's PA; instead of identity and map. */
    char built_by[SC_NAME];
    struct sc_value built_args[SC_MAX_ARGS];
    unsigned nbuilt_args;
    int line, column;
    uint64_t root; /* where the builder put the root table */
};

/* expect.pt_diff: the differences rasim_pt_diff finds between two trees. */
struct sc_pt_diff {
    bool set;
    struct sc_value before, after;   /* root table PAs */
    struct sc_value before1, after1; /* arm64 TTBR1 roots, optional */
    bool before1_set, after1_set;
    unsigned va_bits;
    char layout[16];
    struct {
        uint64_t va, size;
        char kind[24];
    } changes[SC_MAX_CHANGES];
    unsigned nchanges;
};

/* expect.swap_roundtrip: guest swap-PTE helpers against rasim's codec. */
struct sc_swap {
    bool set;
    char layout[16]; /* linux-6.1 / linux-6.12 */
    char make[SC_NAME], mkexclusive[SC_NAME], clear_exclusive[SC_NAME], exclusive[SC_NAME];
    char type[SC_NAME], offset[SC_NAME]; /* decoders, optional */
    int line, column;
};

struct sc_expect {
    struct sc_value_expect values[SC_MAX_VALUES];
    unsigned nvalues;
    bool has_outcome;
    enum rasim_outcome outcome;
    enum sc_ret_kind ret;
    uint64_t ret_value;
    int fixups; /* -1: not checked */
    int errors; /* error-log records; -1: not checked */
    struct sc_memory_expect memory[SC_MAX_MEMORY];
    unsigned nmemory;
    int mmu_warnings; /* -1: not checked */
    struct sc_pt_diff pt_diff;
    struct sc_swap swap;
};

enum sc_sweep_kind {
    SC_SWEEP_LINES,  /* each line of a buffer */
    SC_SWEEP_RANDOM, /* N random lines of a buffer */
    SC_SWEEP_INSNS,  /* one location, poisoned after each instruction in turn */
};

struct sc_sweep {
    enum sc_sweep_kind kind;
    char buffer[SC_NAME];
    bool tag;
    unsigned count; /* random */
    uint64_t seed;
    struct sc_value at; /* instructions: the location poisoned */
};

struct rasim_scenario {
    char path[1024];
    enum rasim_arch arch;
    char profile[1024]; /* a name or a resolved path; "" = default */
    struct sc_image images[SC_MAX_IMAGES];
    unsigned nimages;
    struct sc_buffer buffers[SC_MAX_BUFFERS];
    unsigned nbuffers;
    char symbol[256];
    struct sc_value args[SC_MAX_ARGS];
    unsigned nargs;
    int el;   /* arm64: 0/1; -1 default */
    int mode; /* rv64: 0 (u), 1 (s), 3 (m); -1 default */
    uint64_t max_insns;
    int store_policy; /* -1: default */
    struct rasim_poison poison[SC_MAX_POISON];
    struct sc_value poison_at[SC_MAX_POISON];
    unsigned npoison;
    struct sc_contract contract;
    struct sc_expect expect;
    struct sc_sweep sweeps[SC_MAX_SWEEPS];
    unsigned nsweeps;
    uint32_t accept; /* bit per enum rasim_outcome; 0 = the default set */
    bool check_mmu;  /* the MMU checker watches every run */
    bool feat_ras;   /* arm64: model FEAT_RAS (error record registers) */
    struct sc_tables tables;
    struct {
        char name[32];
        struct sc_value value;
    } regs[16]; /* registers: set after the call's own set-up */
    unsigned nregs;
    uint64_t clean_insns; /* instructions of the run without poison (instruction sweeps) */
    /* rasim_scenario_trace: borrowed from the caller */
    const char *trace_spec;
    const struct rasim_trace_filter *trace_filter;
};

int sc_parse(rasim_scenario *sc, const char *text, size_t len, const char *const *search, char *err,
             size_t errlen);

/* The machine for a scenario: images loaded, buffers placed and filled, the
 * profile set. NULL with err. */
rasim_machine *sc_build(rasim_scenario *sc, char *err, size_t errlen);
/* Registers for the call, on a reset CPU. */
int sc_setup_call(rasim_scenario *sc, rasim_machine *m, char *err, size_t errlen);
/* A value's address / number. */
int sc_eval(const rasim_scenario *sc, rasim_machine *m, const struct sc_value *v, uint64_t *out,
            char *err, size_t errlen);
/* Classify a finished run against the contract, and describe it. */
void sc_classify(const rasim_scenario *sc, rasim_machine *m, const struct rasim_stop *stop,
                 struct rasim_run_result *out);
const struct sc_buffer *sc_buffer(const rasim_scenario *sc, const char *name);
/* rasim_run, traced when the scenario asks: -1 with err if the trace
 * cannot start or be written. */
int sc_run_traced(rasim_scenario *sc, rasim_machine *m, struct rasim_stop *stop, char *err,
                  size_t errlen);
/* The same with the run done by run when given (rasim_scenario_run_with). */
int sc_run_traced_with(rasim_scenario *sc, rasim_machine *m, rasim_run_fn run, void *ctx,
                       struct rasim_stop *stop, char *err, size_t errlen);

/* Build the scenario's page tables in their own RAM region (sc_build), and
 * turn translation on for a call (sc_setup_call). */
int sc_build_tables(rasim_scenario *sc, rasim_machine *m, char *err, size_t errlen);
void sc_translation_on(const rasim_scenario *sc, rasim_machine *m);
/* Where the routine's stack is. */
uint64_t sc_stack_base(void);
uint64_t sc_stack_size(void);

/* For {instructions: ...} sweeps: count the instructions of the run without
 * poison (sc->clean_insns). */
int sc_measure_clean_run(rasim_scenario *sc, char *err, size_t errlen);

/* Record one expectation's result. */
void sc_check(struct rasim_run_result *r, bool ok, const char *actual, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The page-table and swap-PTE expectations (expect_mmu.c). */
void sc_check_mmu(rasim_scenario *sc, rasim_machine *m, struct rasim_run_result *r);
/* Call a routine of the loaded images with up to 8 arguments, from a reset
 * CPU; its return value, or -1 with err when it does not return. */
int sc_call(rasim_scenario *sc, rasim_machine *m, const char *symbol, const uint64_t *args,
            unsigned nargs, uint64_t *ret, char *err, size_t errlen);

#endif
