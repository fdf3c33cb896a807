/*
 * kernel_api.c - rasim.h: choosing the kernel profile, reading extable
 * entries through it, and the recoveries of the last run.
 */
#include "sim/kernel_model.h"
#include "sim/machine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A profile argument is a file when it looks like a path. */
static bool is_path(const char *s)
{
    size_t n = strlen(s);
    return strchr(s, '/') || (n > 5 && !strcmp(s + n - 5, ".yaml")) ||
           (n > 4 && !strcmp(s + n - 4, ".yml"));
}

static int load_profile_file(rasim_machine *m, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return sim_fail(m, "%s: cannot open: %s", path, strerror(errno));
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            if (cap > (1u << 20)) {
                free(text);
                fclose(f);
                return sim_fail(m, "%s: larger than 1 MiB: not a profile", path);
            }
            char *grown = realloc(text, cap);
            if (!grown) {
                free(text);
                fclose(f);
                return sim_fail(m, "out of host memory");
            }
            text = grown;
        }
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (!got)
            break;
    }
    fclose(f);
    struct kernel_profile p;
    int rc = profile_parse(path, text, len, &p, m->err, sizeof(m->err));
    free(text);
    if (rc < 0)
        return -1;
    if (p.arch != m->arch->ld_arch)
        return sim_fail(m, "%s: profile '%s' is for %s, the machine is %s", path, p.name,
                        ld_arch_name(p.arch), rasim_arch_name(m->arch->arch));
    m->own_profile = p;
    m->profile = &m->own_profile;
    return 0;
}

int rasim_set_profile(rasim_machine *m, const char *name)
{
    if (!strcmp(name, "none")) {
        m->profile = NULL;
        return 0;
    }
    if (is_path(name))
        return load_profile_file(m, name);
    const struct kernel_profile *p = profile_builtin(name, m->arch->ld_arch);
    if (!p) {
        char list[256] = "";
        for (const char *const *n = profile_builtin_names(m->arch->ld_arch); *n; n++) {
            size_t used = strlen(list);
            snprintf(list + used, sizeof(list) - used, "%s%s", used ? ", " : "", *n);
        }
        return sim_fail(m, "unknown kernel profile '%s' for %s (built in: %s; or a file path)",
                        name, rasim_arch_name(m->arch->arch), list);
    }
    m->profile = p;
    return 0;
}

const char *rasim_profile_name(const rasim_machine *m)
{
    return m->profile ? m->profile->name : "none";
}

const char *const *rasim_profile_names(const rasim_machine *m)
{
    return profile_builtin_names(m->arch->ld_arch);
}

void rasim_extable_decode(const rasim_machine *m, uint16_t type, uint16_t data,
                          struct rasim_extable_decoded *out)
{
    /* Without a kernel model the default kernel's names still say the most. */
    const struct kernel_profile *p =
        m->profile ? m->profile : profile_builtin(PROFILE_DEFAULT, m->arch->ld_arch);
    memset(out, 0, sizeof(*out));
    const struct ex_type_desc *d = p && type < EX_TYPE_MAX ? &p->types[type] : NULL;
    if (!d || !d->name[0])
        return;
    out->type_name = d->name;
    switch (d->fields) {
    case EX_FIELDS_NONE: break;
    case EX_FIELDS_ERR_ZERO:
        out->nfields = 2;
        out->field_name[0] = "err";
        out->field_name[1] = "zero";
        break;
    case EX_FIELDS_DATA_ADDR:
        out->nfields = 2;
        out->field_name[0] = "data";
        out->field_name[1] = "addr";
        break;
    }
    if (out->nfields) {
        out->field_reg[0] = m->arch->gpr_name(data & 0x1f);
        out->field_reg[1] = m->arch->gpr_name((data >> 5) & 0x1f);
    }
}

void rasim_backtrace(rasim_machine *m, char *buf, size_t len)
{
    if (len)
        km_backtrace(m, buf, len);
}

size_t rasim_fixup_count(const rasim_machine *m)
{
    return m->nfixups;
}

const struct rasim_fixup *rasim_fixup_get(const rasim_machine *m, size_t index)
{
    return index < m->nfixups ? &m->fixups[index] : NULL;
}
