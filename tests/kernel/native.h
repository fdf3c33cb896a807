/*
 * native.h - the two references a kernel-routine test compares rasim with:
 * the same objects linked into a static program and run under qemu-user,
 * and (for a sample) the same call made through the `rasim call` command
 * line, which is how users and scripts run a routine.
 */
#ifndef RASIM_KERNEL_NATIVE_H
#define RASIM_KERNEL_NATIVE_H

#include "kcases.h"
#include "rasim.h"

#include <stddef.h>
#include <stdint.h>

/* What a call reports: its return value (pointers as offsets into the
 * destination area, 0 for routines that return nothing) and the hash of
 * both areas afterwards. */
struct kn_result {
    uint64_t ret;
    uint64_t hash;
};

struct kn_target {
    enum rasim_arch arch;
    const char *arch_dir;       /* "arm64" or "riscv": objects under KERNEL_DIR */
    const char *const *objects; /* object names without ".o" */
    size_t nobjects;
    const char *cc;     /* the cross compiler that links the driver */
    const char *driver; /* driver source, in this directory */
    const char *qemu;   /* qemu-user binary */
    /* Optional: adjust a prefixed copy of an object before linking. */
    void (*fix_object)(const char *path);
    unsigned ncases; /* cases 0..ncases-1 of kcases.h */
    /* Per routine of kcases.h: its symbol and the object that defines it. */
    const char *const *symbols;
    const char *const *symbol_objects;
};

/* Link the driver with kern_-prefixed copies of the objects, run it under
 * qemu-user and read one result per case into results[0..ncases-1]. */
void kn_run_native(const struct kn_target *t, struct kn_result *results);

/* An argument of a call: an offset into one of the two areas, or a number. */
struct kn_arg {
    enum { KN_IN_DST, KN_IN_SRC, KN_NUMBER } kind;
    uint64_t value;
};

/* The arguments of case c in ABI order; returns how many. */
unsigned kn_args(struct kc_case c, struct kn_arg args[3]);
/* Whether the routine returns its destination pointer (compared as an
 * offset), or nothing at all (compared as 0). */
int kn_returns_pointer(enum kc_routine r);
int kn_returns_nothing(enum kc_routine r);

/* Case c run by `rasim call OBJECT --sym SYM` on two buffers laid out like
 * the native areas. */
struct kn_result kn_call_cli(const struct kn_target *t, const char *object, const char *sym,
                             struct kc_case c);

/* The whole comparison: every case run in rasim (through the C API) against
 * qemu-user, and every cli_every'th case also through `rasim call`. */
void kn_compare(const struct kn_target *t, unsigned cli_every);

#endif
