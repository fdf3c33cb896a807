/*
 * trace.h - sim/'s side of events, breakpoints and watchpoints (rasim.h):
 * what rasim_run tells the tracer around each interpreter run.
 */
#ifndef RASIM_SIM_TRACE_H
#define RASIM_SIM_TRACE_H

#include "sim/machine.h"

/* What everything that needs a tracer says in a RASIM_TRACING=OFF build
 * (RASIM_TRACE_ON 0, isa/isa.h). */
#define SIM_NO_TRACING "this build has no tracing (RASIM_TRACING=OFF)"

/* Before a run: breakpoints at the current PC are stepped over once. */
void sim_trace_run_start(rasim_machine *m);
/* After the interpreter stopped: poison consumed, and an exception that was
 * not taken to a guest vector (it goes to the kernel model or ends the run). */
void sim_trace_after_isa(rasim_machine *m, const struct isa_stop *s);
/* The kernel model recovered. */
void sim_trace_fixup(rasim_machine *m, const struct rasim_fixup *fix);
/* The run's end: the last register changes, and which watchpoint stopped it. */
void sim_trace_run_end(rasim_machine *m, struct rasim_stop *stop);
void sim_trace_free(rasim_machine *m);
/* Compare every register at every instruction, the system ones too: the
 * reference the usual diff (common registers, the rest only after what
 * can change them) is checked against by the fuzzers. -1 as traceable. */
int sim_trace_compare_every_register(rasim_machine *m, bool on);
/* Whether a sink keeps the instruction at pc, the icount-th of its trace
 * (a filter). Of one that none keeps, register changes are not followed
 * and its INSN event is sent only when it ends the group of one kept;
 * every event still carries the pc and icount of its instruction. */
typedef bool (*sim_trace_keeps_fn)(void *ctx, uint64_t pc, uint64_t icount);

/* The trace being written (trace_writer.c) gets events as the event sink
 * does (rasim_set_event_sink), beside it; fn == NULL: no more. keeps: its
 * filter, or NULL. */
int sim_trace_set_writer(rasim_machine *m, unsigned mask, rasim_event_fn fn, void *ctx,
                         sim_trace_keeps_fn keeps);

/* Stop runs at the instruction boundary after a store raised an
 * asynchronous error (the async store policy), for rasim_run to deliver.
 * -1 (with the machine's error) when it cannot: no tracing in this build. */
int sim_trace_watch_async(rasim_machine *m, bool on);
/* Whether the last breakpoint stop was for that, and clear it. */
bool sim_trace_async_due(rasim_machine *m);
/* Still masked: let the next instruction run before trying again. */
void sim_trace_async_later(rasim_machine *m);
/* An asynchronous error waits for delivery (raised, or held while masked). */
bool sim_async_waiting(rasim_machine *m);

#endif
