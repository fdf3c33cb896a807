/*
 * kernel_model.h - what Linux does with a kernel-mode exception, per
 * profile: find the __ex_table entry for the faulting instruction, decide
 * whether this kernel consults the table for this kind of exception and
 * accepts the entry's type, and run the type's handler (move PC, write
 * -EFAULT / 0 to registers, the zero-pad load) - or die.
 */
#ifndef RASIM_SIM_KERNEL_MODEL_H
#define RASIM_SIM_KERNEL_MODEL_H

#include "sim/machine.h"

enum km_verdict {
    KM_FIXED_UP,   /* registers and PC written: the run goes on */
    KM_OOPS,       /* the kernel would die: reason says why */
    KM_USER_MODE,  /* not a kernel-mode exception: the model does not act */
};

struct km_decision {
    enum km_verdict verdict;
    enum km_class cls;
    struct rasim_fixup fix; /* when fixed up */
    char reason[256];       /* when oops */
};

/* Decide, and for KM_FIXED_UP apply the fixup to the CPU. e is the
 * exception as the interpreter reported it; the CPU is still in the state
 * of the faulting instruction. */
void km_handle(rasim_machine *m, const struct isa_exception *e, struct km_decision *out);

/* The __ex_table entry for the instruction at pc (a link address, or the
 * load address of a raw image's code), or NULL; *bias is what to add to the
 * table's addresses to get addresses in pc's terms. */
const struct ld_extable_entry *km_find_extable(rasim_machine *m, uint64_t pc, uint64_t *bias);

/* Backtrace by frame pointers from the current state, as "sym+0xoff"
 * strings joined by " <- ", into buf. */
void km_backtrace(rasim_machine *m, char *buf, size_t len);

#endif
