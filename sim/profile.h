/*
 * profile.h - kernel profiles: what a given kernel calls its extable types
 * and what their `data` fields hold (KERNEL-FACTS.md section 1.3, 1.4).
 * The exception-handling policy of each profile joins this with the RAS work.
 */
#ifndef RASIM_SIM_PROFILE_H
#define RASIM_SIM_PROFILE_H

#include "loader/loader.h"

/* How a type's 16-bit data field is laid out. */
enum ex_fields {
    EX_FIELDS_NONE,      /* data unused */
    EX_FIELDS_ERR_ZERO,  /* [4:0] register for -EFAULT, [9:5] register for 0 */
    EX_FIELDS_DATA_ADDR, /* [4:0] destination register, [9:5] address register */
};

#define EX_TYPE_MAX 16

struct ex_type_desc {
    const char *name; /* without the EX_TYPE_ prefix; NULL = not defined */
    enum ex_fields fields;
};

struct kernel_profile {
    const char *name;
    enum ld_arch arch;
    struct ex_type_desc types[EX_TYPE_MAX];
};

/* The built-in profile of that name for that architecture, or NULL. */
const struct kernel_profile *profile_find(const char *name, enum ld_arch arch);
const char *const *profile_names(void);

#define PROFILE_DEFAULT "linux-6.12"

#endif
