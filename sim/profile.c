/*
 * profile.c - read kernel profiles (YAML, with libyaml) and keep the
 * built-in ones, which are the files of profiles/ compiled in.
 */
#include "sim/profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim/yaml_read.h"

static const char *const class_names[KM_NCLASSES] = {
    [KM_DATA_TRANSLATION] = "data-translation",
    [KM_DATA_ACCESS_FLAG] = "data-access-flag",
    [KM_DATA_PERMISSION] = "data-permission",
    [KM_DATA_ADDRESS_SIZE] = "data-address-size",
    [KM_DATA_SEA] = "data-sea",
    [KM_DATA_SEA_WALK] = "data-sea-walk",
    [KM_DATA_ALIGNMENT] = "data-alignment",
    [KM_DATA_TAG_CHECK] = "data-tag-check",
    [KM_DATA_OTHER] = "data-other",
    [KM_INSTRUCTION_ABORT] = "instruction-abort",
    [KM_UNDEFINED] = "undefined",
    [KM_BRK] = "brk",
    [KM_SVC] = "svc",
    [KM_PC_ALIGNMENT] = "pc-alignment",
    [KM_SP_ALIGNMENT] = "sp-alignment",
    [KM_SERROR] = "serror",
    [KM_PAGE_FAULT] = "page-fault",
    [KM_ACCESS_FAULT] = "access-fault",
    [KM_MISALIGNED] = "misaligned",
    [KM_ILLEGAL_INSTRUCTION] = "illegal-instruction",
    [KM_HARDWARE_ERROR] = "hardware-error",
    [KM_BREAKPOINT] = "breakpoint",
    [KM_ECALL] = "ecall",
    [KM_UNKNOWN] = "unknown",
};

const char *km_class_name(enum km_class c)
{
    return c < KM_NCLASSES ? class_names[c] : "?";
}

/* ---- reading ----------------------------------------------------------- */

static int parse_number(const struct yr *r, const yaml_node_t *n, unsigned max, unsigned *out)
{
    const char *s;
    char *end;
    if (yr_string(r, n, "number", &s) < 0)
        return -1;
    unsigned long v = strtoul(s, &end, 0);
    if (!*s || *end || v > max)
        return yr_fail(r, n, "expected a type number from 0 to %u, got '%s'", max, s);
    *out = (unsigned)v;
    return 0;
}

static int parse_handler(const struct yr *r, const yaml_node_t *n, enum ex_handler *out)
{
    static const struct {
        const char *name;
        enum ex_handler h;
    } handlers[] = {{"fixup", EXH_FIXUP},
                    {"err_zero", EXH_ERR_ZERO},
                    {"zeropad", EXH_ZEROPAD},
                    {"bpf", EXH_BPF},
                    {"none", EXH_NONE}};
    const char *s;
    if (yr_string(r, n, "handler", &s) < 0)
        return -1;
    for (size_t i = 0; i < sizeof(handlers) / sizeof(*handlers); i++)
        if (!strcmp(s, handlers[i].name)) {
            *out = handlers[i].h;
            return 0;
        }
    return yr_fail(r, n, "unknown handler '%s' (expected fixup, err_zero, zeropad, bpf or none)",
                   s);
}

/* One entry of `types:` - {number: N, name: NAME, handler: H}. */
static int parse_type(const struct yr *r, const yaml_node_t *map, struct kernel_profile *p)
{
    if (map->type != YAML_MAPPING_NODE)
        return yr_fail(r, map, "a type is {number: N, name: NAME, handler: H}");
    unsigned number = EX_TYPE_MAX;
    const char *name = NULL;
    enum ex_handler handler = EXH_NONE;
    for (yaml_node_pair_t *kv = map->data.mapping.pairs.start; kv < map->data.mapping.pairs.top;
         kv++) {
        yaml_node_t *k = yr_node(r, kv->key), *v = yr_node(r, kv->value);
        const char *key = yr_scalar(k);
        if (key && !strcmp(key, "number")) {
            if (parse_number(r, v, EX_TYPE_MAX - 1, &number) < 0)
                return -1;
        } else if (key && !strcmp(key, "name")) {
            if (yr_string(r, v, "name", &name) < 0)
                return -1;
        } else if (key && !strcmp(key, "handler")) {
            if (parse_handler(r, v, &handler) < 0)
                return -1;
        } else {
            return yr_fail(r, k, "unknown key '%s' in a type (expected number, name, handler)",
                           key ? key : "?");
        }
    }
    if (number == EX_TYPE_MAX || !name || !*name)
        return yr_fail(r, map, "a type needs a number and a name");
    if (strlen(name) >= sizeof(p->types[0].name))
        return yr_fail(r, map, "type name '%s' is too long", name);
    if (p->types[number].name[0])
        return yr_fail(r, map, "type %u is defined twice", number);
    struct ex_type_desc *t = &p->types[number];
    snprintf(t->name, sizeof(t->name), "%s", name);
    t->handler = handler;
    t->fields = handler == EXH_ERR_ZERO  ? EX_FIELDS_ERR_ZERO
                : handler == EXH_ZEROPAD ? EX_FIELDS_DATA_ADDR
                                         : EX_FIELDS_NONE;
    return 0;
}

static int type_by_name(const struct kernel_profile *p, const char *name)
{
    for (int i = 0; i < EX_TYPE_MAX; i++)
        if (p->types[i].name[0] && !strcmp(p->types[i].name, name))
            return i;
    return -1;
}

/* One entry of `fixup:` - {exception: CLASS, types: any | [NAME, ...]}. */
static int parse_rule(const struct yr *r, const yaml_node_t *map, struct kernel_profile *p)
{
    if (map->type != YAML_MAPPING_NODE)
        return yr_fail(r, map, "a fixup rule is {exception: CLASS, types: any | [NAME, ...]}");
    int cls = -1;
    uint32_t accept = 0;
    bool have_types = false;
    for (yaml_node_pair_t *kv = map->data.mapping.pairs.start; kv < map->data.mapping.pairs.top;
         kv++) {
        yaml_node_t *k = yr_node(r, kv->key), *v = yr_node(r, kv->value);
        const char *key = yr_scalar(k), *s;
        if (key && !strcmp(key, "exception")) {
            if (yr_string(r, v, "exception", &s) < 0)
                return -1;
            for (int c = 0; c < KM_NCLASSES; c++)
                if (!strcmp(s, class_names[c]))
                    cls = c;
            if (cls < 0)
                return yr_fail(r, v, "unknown exception class '%s' (see docs/profiles.md)", s);
        } else if (key && !strcmp(key, "types")) {
            have_types = true;
            if ((s = yr_scalar(v)) && !strcmp(s, "any")) {
                accept = 0xffff & ~1u; /* every type but NONE (0) */
            } else if (v->type == YAML_SEQUENCE_NODE) {
                for (yaml_node_item_t *it = v->data.sequence.items.start;
                     it < v->data.sequence.items.top; it++) {
                    yaml_node_t *t = yr_node(r, *it);
                    int n = yr_scalar(t) ? type_by_name(p, yr_scalar(t)) : -1;
                    if (n < 0)
                        return yr_fail(r, t, "'%s' is not a type this profile defines",
                                       yr_scalar(t) ? yr_scalar(t) : "?");
                    accept |= 1u << n;
                }
            } else {
                return yr_fail(r, v, "types must be 'any' or a list of type names");
            }
        } else {
            return yr_fail(r, k, "unknown key '%s' in a fixup rule (expected exception, types)",
                           key ? key : "?");
        }
    }
    if (cls < 0 || !have_types)
        return yr_fail(r, map, "a fixup rule needs an exception and types");
    p->accept[cls] |= accept;
    return 0;
}

static int parse_root(const struct yr *r, struct kernel_profile *p)
{
    yaml_node_t *root = yaml_document_get_root_node((yaml_document_t *)&r->doc);
    if (!root || root->type != YAML_MAPPING_NODE)
        return yr_fail(r, root, "a profile is a mapping with name, arch, types and fixup");
    const yaml_node_t *types = NULL, *fixup = NULL;
    for (yaml_node_pair_t *kv = root->data.mapping.pairs.start; kv < root->data.mapping.pairs.top;
         kv++) {
        yaml_node_t *k = yr_node(r, kv->key), *v = yr_node(r, kv->value);
        const char *key = yr_scalar(k), *s;
        if (key && !strcmp(key, "name")) {
            if (yr_string(r, v, "name", &s) < 0)
                return -1;
            if (!*s || strlen(s) >= sizeof(p->name))
                return yr_fail(r, v, "name must be 1 to %zu characters", sizeof(p->name) - 1);
            snprintf(p->name, sizeof(p->name), "%s", s);
        } else if (key && !strcmp(key, "arch")) {
            if (yr_string(r, v, "arch", &s) < 0)
                return -1;
            p->arch = ld_arch_from_name(s);
            if (p->arch == LD_ARCH_NONE)
                return yr_fail(r, v, "arch must be aarch64 or rv64, not '%s'", s);
        } else if (key && !strcmp(key, "types")) {
            if (v->type != YAML_SEQUENCE_NODE)
                return yr_fail(r, v, "types must be a list");
            types = v;
        } else if (key && !strcmp(key, "fixup")) {
            if (v->type != YAML_SEQUENCE_NODE)
                return yr_fail(r, v, "fixup must be a list");
            fixup = v;
        } else if (key && !strcmp(key, "memory_failure")) {
            if (yr_bool(r, v, "memory_failure", &p->memory_failure) < 0)
                return -1;
        } else {
            return yr_fail(r, k,
                           "unknown key '%s' (expected name, arch, types, fixup, memory_failure)",
                           key ? key : "?");
        }
    }
    if (!p->name[0] || p->arch == LD_ARCH_NONE || !types)
        return yr_fail(r, root, "a profile needs name, arch and types");
    /* Types first: fixup rules name them. */
    for (yaml_node_item_t *it = types->data.sequence.items.start;
         it < types->data.sequence.items.top; it++)
        if (parse_type(r, yr_node(r, *it), p) < 0)
            return -1;
    if (fixup)
        for (yaml_node_item_t *it = fixup->data.sequence.items.start;
             it < fixup->data.sequence.items.top; it++)
            if (parse_rule(r, yr_node(r, *it), p) < 0)
                return -1;
    return 0;
}

int profile_parse(const char *name, const char *text, size_t len, struct kernel_profile *out,
                  char *err, size_t errlen)
{
    struct yr r;
    memset(out, 0, sizeof(*out));
    snprintf(out->source, sizeof(out->source), "%s", name);
    if (yr_open(&r, name, text, len, err, errlen) < 0)
        return -1;
    int rc = parse_root(&r, out);
    yr_close(&r);
    return rc;
}

/* ---- built-in profiles -------------------------------------------------- */

/* profiles_builtin.c, generated by the build from the files of profiles/. */
struct builtin_profile_text {
    const char *file;
    const unsigned char *text;
    size_t len;
};
extern const struct builtin_profile_text rasim_builtin_profiles[];
extern const size_t rasim_builtin_profile_count;

#define MAX_BUILTIN 32
static struct kernel_profile parsed[MAX_BUILTIN];
static size_t nparsed;
static bool loaded;

static void load_builtins(void)
{
    if (loaded)
        return;
    loaded = true;
    for (size_t i = 0; i < rasim_builtin_profile_count && nparsed < MAX_BUILTIN; i++) {
        char err[256];
        const struct builtin_profile_text *b = &rasim_builtin_profiles[i];
        if (profile_parse(b->file, (const char *)b->text, b->len, &parsed[nparsed], err,
                          sizeof(err)) == 0) {
            snprintf(parsed[nparsed].source, sizeof(parsed[nparsed].source), "built-in %s",
                     b->file);
            nparsed++;
        } else {
            /* A shipped profile that does not parse is a build defect; the
             * tests load every one, so this is never silent. */
            fprintf(stderr, "rasim: built-in profile %s\n", err);
        }
    }
}

const struct kernel_profile *profile_builtin(const char *name, enum ld_arch arch)
{
    load_builtins();
    for (size_t i = 0; i < nparsed; i++)
        if (parsed[i].arch == arch && !strcmp(parsed[i].name, name))
            return &parsed[i];
    return NULL;
}

const char *const *profile_builtin_names(enum ld_arch arch)
{
    static const char *names[2][MAX_BUILTIN + 1];
    const char **out = names[arch == LD_ARCH_RV64];
    load_builtins();
    size_t n = 0;
    for (size_t i = 0; i < nparsed; i++)
        if (parsed[i].arch == arch)
            out[n++] = parsed[i].name;
    out[n] = NULL;
    return out;
}
