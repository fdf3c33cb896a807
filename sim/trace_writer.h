/*
 * trace_writer.h - traces (rasim_trace_start): the part every format
 * shares (trace_writer.c: the FORMAT[:PATH] spec, the filter, instruction
 * groups) and what each format provides (trace_text.c, trace_jsonl.c,
 * trace_tarmac.c, trace_commitlog.c).
 *
 * tw_open/tw_event/tw_close are also the entry point for tests that feed a
 * writer events of their own (every line kind of a format, on demand).
 */
#ifndef RASIM_SIM_TRACE_WRITER_H
#define RASIM_SIM_TRACE_WRITER_H

#include "sim/machine.h"

#include <stdio.h>

struct tw;

/* An instruction as every format names it: symbol+offset and text. */
struct tw_insn_text {
    uint64_t pc;
    uint32_t word;
    bool filled;
    bool known; /* in the subset the interpreter runs */
    char sym[160];
    char text[128];
};

/* An event held until its instruction is complete, with copies of the
 * strings it points to (the machine's may move or change meanwhile). */
struct tw_held {
    struct rasim_event ev;
    char s0[48], s1[48], s2[24], s3[24], s4[192];
    uint8_t bytes[16]; /* a MEM event's bytes (tw_mem_bytes) */
    unsigned nbytes;
};

/* One instruction: its INSN event (absent for events before the first),
 * then every event that belongs to it, in order. */
struct tw_insn {
    const struct rasim_event *insn; /* NULL when there is none */
    const struct tw_held *ev;       /* the other events */
    size_t n;
    bool next_known; /* the next instruction has begun, at next_pc */
    uint64_t next_pc;
};

struct tw_format {
    const char *name;
    enum rasim_arch arch; /* RASIM_ARCH_NONE: every architecture */
    /* Kinds the format must see whatever the filter keeps. */
    unsigned always;
    /* Set up the format's state (w->state); -1 with sim_fail. May be NULL. */
    int (*open)(struct tw *w);
    /* Either event (each event as it comes, already filtered) or insn
     * (whole instructions, filtered by PC and window; the format asks
     * tw_keeps for kinds). */
    void (*event)(struct tw *w, const struct rasim_event *ev);
    void (*insn)(struct tw *w, const struct tw_insn *g);
    /* Hand whatever the format buffers to w->out. May be NULL. */
    void (*flush)(struct tw *w);
    void (*close)(struct tw *w);
};

extern const struct tw_format tw_text, tw_jsonl, tw_tarmac, tw_commitlog;

struct tw {
    rasim_machine *m;
    const struct tw_format *fmt;
    FILE *out;
    bool own_out; /* a file we opened (else stdout) */
    bool color;   /* ANSI colours: only on a terminal */
    void *state;

    /* The filter, resolved: PC ranges (symbols included), kinds, window. */
    struct rasim_trace_range *ranges;
    size_t nranges;
    unsigned kinds;
    bool window;
    uint64_t from, to;

    /* The instruction being collected (grouping formats). */
    struct rasim_event insn;
    bool have_insn;
    struct tw_held *held;
    size_t nheld, capheld;
    bool failed; /* out of memory while holding: events were lost */

    /* tw_insn_text's cache: direct-mapped by PC, filled for the images
     * loaded then (a later load empties it). */
    struct tw_insn_text *texts;
    size_t texts_images;
};

/* Open a trace of m as spec says, without listening to the machine yet.
 * NULL with sim_fail's message. */
struct tw *tw_open(rasim_machine *m, const char *spec, const struct rasim_trace_filter *filter);
/* The event mask the trace needs from the machine. */
unsigned tw_mask(const struct tw *w);
/* One event, as the machine delivers it (sim_trace_set_writer). */
void tw_event(void *w, const struct rasim_event *ev);
/* Flush what is held, close; -1 (with sim_fail) if writing failed. */
int tw_close(struct tw *w);

/* The bytes a MEM event moved, least significant first: its value, or for
 * an access wider than 8 bytes (an arm64 pair, whose value holds the low
 * half) what its PA holds now, where the access left it. Returns how many
 * (8 when the rest cannot be read). */
unsigned tw_mem_bytes(const struct tw *w, const struct rasim_event *e, uint8_t out[16]);
/* "0x" and the bytes as one number, most significant first: two digits a
 * byte when pad, else without leading zeros. */
void tw_hex(const uint8_t *bytes, unsigned n, bool pad, char *buf, size_t len);

/* The instruction word at pc, named: computed once per PC and word, since
 * a trace names the same few instructions again and again. Valid until
 * the next call. */
const struct tw_insn_text *tw_insn_text(struct tw *w, uint64_t pc, uint32_t word);

/* Is kind one the filter keeps? */
bool tw_keeps(const struct tw *w, enum rasim_event_kind kind);
/* The end of a run: the format's own buffer goes to its FILE, so the trace
 * keeps its place among what the caller prints between runs. */
void sim_trace_writer_flush(rasim_machine *m);

/* The machine's trace: rasim_free closes it. */
void sim_trace_writer_free(rasim_machine *m);

#endif
