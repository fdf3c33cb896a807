/*
 * profile.c - the built-in kernel profiles.
 *
 * Numbering from Debian's linux-source-6.1 and -6.12 (KERNEL-FACTS.md 1.3):
 * arm64 is the same in both; riscv 6.12 adds LOAD_UNALIGNED_ZEROPAD.
 */
#include "sim/profile.h"

#include <string.h>

#define T(n, f)                                                                                    \
    {                                                                                              \
        n, EX_FIELDS_##f                                                                           \
    }

static const struct kernel_profile profiles[] = {
    {"linux-6.1",
     LD_ARCH_AARCH64,
     {T("NONE", NONE), T("BPF", NONE), T("UACCESS_ERR_ZERO", ERR_ZERO),
      T("KACCESS_ERR_ZERO", ERR_ZERO), T("LOAD_UNALIGNED_ZEROPAD", DATA_ADDR)}},
    {"linux-6.12",
     LD_ARCH_AARCH64,
     {T("NONE", NONE), T("BPF", NONE), T("UACCESS_ERR_ZERO", ERR_ZERO),
      T("KACCESS_ERR_ZERO", ERR_ZERO), T("LOAD_UNALIGNED_ZEROPAD", DATA_ADDR)}},
    {"linux-6.1",
     LD_ARCH_RV64,
     {T("NONE", NONE), T("FIXUP", NONE), T("BPF", NONE), T("UACCESS_ERR_ZERO", ERR_ZERO)}},
    {"linux-6.12",
     LD_ARCH_RV64,
     {T("NONE", NONE), T("FIXUP", NONE), T("BPF", NONE), T("UACCESS_ERR_ZERO", ERR_ZERO),
      T("LOAD_UNALIGNED_ZEROPAD", DATA_ADDR)}},
};

static const char *const names[] = {"linux-6.1", "linux-6.12", NULL};

const struct kernel_profile *profile_find(const char *name, enum ld_arch arch)
{
    for (size_t i = 0; i < sizeof(profiles) / sizeof(*profiles); i++)
        if (profiles[i].arch == arch && !strcmp(profiles[i].name, name))
            return &profiles[i];
    return NULL;
}

const char *const *profile_names(void)
{
    return names;
}
