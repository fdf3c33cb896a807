/*
 * profile.h - kernel profiles: what a given kernel calls its extable types,
 * what each type's handler does, and which kernel-mode exceptions consult
 * the table at all (KERNEL-FACTS.md sections 1.3-1.5, 2.2, 3.2).
 *
 * Profiles are YAML data files (the files of profiles/, built into the library, or
 * a user's file); docs/profiles.md describes the format.
 */
#ifndef RASIM_SIM_PROFILE_H
#define RASIM_SIM_PROFILE_H

#include "loader/loader.h"

#include <stdbool.h>
#include <stddef.h>

/* How a type's 16-bit data field is laid out. */
enum ex_fields {
    EX_FIELDS_NONE,      /* data unused */
    EX_FIELDS_ERR_ZERO,  /* [4:0] register for -EFAULT, [9:5] register for 0 */
    EX_FIELDS_DATA_ADDR, /* [4:0] destination register, [9:5] address register */
};

/* What the kernel's handler for a type does. */
enum ex_handler {
    EXH_NONE,     /* no handler: finding such an entry is an oops */
    EXH_FIXUP,    /* PC <- fixup */
    EXH_ERR_ZERO, /* err <- -EFAULT, zero <- 0, PC <- fixup */
    EXH_ZEROPAD,  /* data <- aligned load at addr, shifted; PC <- fixup */
    EXH_BPF,      /* BPF JIT fixup: not modelled, reported as such */
};

#define EX_TYPE_MAX 16

struct ex_type_desc {
    char name[48]; /* without the EX_TYPE_ prefix; "" = not defined */
    enum ex_handler handler;
    enum ex_fields fields;
};

/* Kernel-mode exception classes a profile routes (names as in the files). */
enum km_class {
    /* arm64, by exception class and fault status code */
    KM_DATA_TRANSLATION,
    KM_DATA_ACCESS_FLAG,
    KM_DATA_PERMISSION,
    KM_DATA_ADDRESS_SIZE,
    KM_DATA_SEA,      /* DFSC 0x10 / 0x18 */
    KM_DATA_SEA_WALK, /* DFSC 0x13-0x17 / 0x1b-0x1f */
    KM_DATA_ALIGNMENT,
    KM_DATA_TAG_CHECK,
    KM_DATA_OTHER,
    KM_INSTRUCTION_ABORT,
    KM_UNDEFINED,
    KM_BRK,
    KM_SVC,
    KM_PC_ALIGNMENT,
    KM_SP_ALIGNMENT,
    KM_SERROR, /* asynchronous: a store's memory error under the async policy */
    /* riscv, by scause */
    KM_PAGE_FAULT,
    KM_ACCESS_FAULT,
    KM_MISALIGNED,
    KM_ILLEGAL_INSTRUCTION,
    KM_HARDWARE_ERROR,
    KM_BREAKPOINT,
    KM_ECALL,
    KM_UNKNOWN,
    KM_NCLASSES
};

const char *km_class_name(enum km_class c);

struct kernel_profile {
    char name[64];
    char source[512]; /* where it came from: "built-in" or the file path */
    enum ld_arch arch;
    struct ex_type_desc types[EX_TYPE_MAX];
    /* Per class: the types whose entries the kernel accepts for a fixup
     * (bit n = type n); 0 = the class never consults the table. */
    uint32_t accept[KM_NCLASSES];
    bool memory_failure; /* a recovered error queues memory_failure(pfn) */
};

/* Parse YAML text into *out. name is the file name used in messages. On
 * error returns -1 with "name:line:column: what was expected" in err. */
int profile_parse(const char *name, const char *text, size_t len, struct kernel_profile *out,
                  char *err, size_t errlen);

/* A built-in profile by name for an architecture, or NULL. */
const struct kernel_profile *profile_builtin(const char *name, enum ld_arch arch);
/* Names of the built-in profiles for an architecture, NULL-terminated. */
const char *const *profile_builtin_names(enum ld_arch arch);

#define PROFILE_DEFAULT "linux-6.12"

#endif
