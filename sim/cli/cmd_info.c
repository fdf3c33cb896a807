/*
 * cmd_info.c - `rasim info`: what a file places in memory, its symbols and
 * its exception table as the chosen kernel profile reads it.
 */
#include "sim/cli/cli.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static void flags_text(unsigned flags, char out[4])
{
    int n = 0;
    out[n++] = 'a';
    if (flags & RASIM_SEC_WRITE)
        out[n++] = 'w';
    if (flags & RASIM_SEC_EXEC)
        out[n++] = 'x';
    out[n] = '\0';
}

static json_t *hex(uint64_t v)
{
    char buf[24];
    snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
    return json_string(buf);
}

static void print_text(rasim_machine *m, size_t img)
{
    struct rasim_image_info info;
    rasim_image_info(m, img, &info);
    printf("image %s %s %s entry=0x%llx profile=%s\n", info.path, info.kind,
           rasim_arch_name(rasim_get_arch(m)), (unsigned long long)info.entry,
           rasim_profile_name(m));
    for (size_t i = 0; i < info.nsections; i++) {
        struct rasim_section s;
        char fl[4];
        rasim_image_section(m, img, i, &s);
        flags_text(s.flags, fl);
        printf("section %-20s va=0x%llx pa=0x%llx size=0x%llx flags=%s%s\n", s.name,
               (unsigned long long)s.va, (unsigned long long)s.pa, (unsigned long long)s.size, fl,
               (s.flags & RASIM_SEC_NOBITS) ? " nobits" : "");
    }
    for (size_t i = 0; i < info.nsymbols; i++) {
        struct rasim_symbol s;
        rasim_image_symbol(m, img, i, &s);
        printf("symbol %-28s va=0x%llx size=0x%llx type=%s bind=%s\n", s.name,
               (unsigned long long)s.va, (unsigned long long)s.size, s.type,
               s.global ? "global" : "local");
    }
    for (size_t i = 0; i < info.nextable; i++) {
        struct rasim_extable_entry e;
        struct rasim_extable_decoded d;
        char insn[256], fixup[256];
        rasim_image_extable(m, img, i, &e);
        rasim_extable_decode(m, e.type, e.data, &d);
        rasim_describe(m, e.insn, insn, sizeof(insn));
        rasim_describe(m, e.fixup, fixup, sizeof(fixup));
        printf("extable %s -> %s type=%s(%u)", insn, fixup, d.type_name ? d.type_name : "UNKNOWN",
               e.type);
        for (int f = 0; f < d.nfields; f++)
            printf(" %s=%s", d.field_name[f], d.field_reg[f]);
        if (!d.type_name || (d.nfields == 0 && e.data))
            printf(" data=0x%x", e.data);
        printf("\n");
    }
}

static json_t *to_json(rasim_machine *m, size_t img)
{
    struct rasim_image_info info;
    rasim_image_info(m, img, &info);
    json_t *root = json_object();
    json_object_set_new(root, "file", json_string(info.path));
    json_object_set_new(root, "kind", json_string(info.kind));
    json_object_set_new(root, "arch", json_string(rasim_arch_name(rasim_get_arch(m))));
    json_object_set_new(root, "entry", hex(info.entry));
    json_object_set_new(root, "profile", json_string(rasim_profile_name(m)));

    json_t *secs = json_array();
    for (size_t i = 0; i < info.nsections; i++) {
        struct rasim_section s;
        char fl[4];
        rasim_image_section(m, img, i, &s);
        flags_text(s.flags, fl);
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(s.name));
        json_object_set_new(o, "va", hex(s.va));
        json_object_set_new(o, "pa", hex(s.pa));
        json_object_set_new(o, "size", json_integer((json_int_t)s.size));
        json_object_set_new(o, "flags", json_string(fl));
        json_object_set_new(o, "nobits", json_boolean(s.flags & RASIM_SEC_NOBITS));
        json_array_append_new(secs, o);
    }
    json_object_set_new(root, "sections", secs);

    json_t *syms = json_array();
    for (size_t i = 0; i < info.nsymbols; i++) {
        struct rasim_symbol s;
        rasim_image_symbol(m, img, i, &s);
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(s.name));
        json_object_set_new(o, "va", hex(s.va));
        json_object_set_new(o, "size", json_integer((json_int_t)s.size));
        json_object_set_new(o, "type", json_string(s.type));
        json_object_set_new(o, "bind", json_string(s.global ? "global" : "local"));
        json_array_append_new(syms, o);
    }
    json_object_set_new(root, "symbols", syms);

    json_t *ext = json_array();
    for (size_t i = 0; i < info.nextable; i++) {
        struct rasim_extable_entry e;
        struct rasim_extable_decoded d;
        char insn[256], fixup[256];
        rasim_image_extable(m, img, i, &e);
        rasim_extable_decode(m, e.type, e.data, &d);
        rasim_describe(m, e.insn, insn, sizeof(insn));
        rasim_describe(m, e.fixup, fixup, sizeof(fixup));
        json_t *o = json_object();
        json_object_set_new(o, "entry", hex(e.entry));
        json_object_set_new(o, "insn", hex(e.insn));
        json_object_set_new(o, "insn_sym", json_string(insn));
        json_object_set_new(o, "fixup", hex(e.fixup));
        json_object_set_new(o, "fixup_sym", json_string(fixup));
        json_object_set_new(o, "type", json_integer(e.type));
        json_object_set_new(o, "type_name", d.type_name ? json_string(d.type_name) : json_null());
        json_object_set_new(o, "data", json_integer(e.data));
        for (int f = 0; f < d.nfields; f++)
            json_object_set_new(o, d.field_name[f], json_string(d.field_reg[f]));
        json_array_append_new(ext, o);
    }
    json_object_set_new(root, "extable", ext);
    return root;
}

int cmd_info(int argc, char **argv)
{
    struct cli_load load = {0};
    bool json = false;
    int rc = EXIT_BAD_INPUT;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = true;
        else if (cli_load_arg(&load, "info", argc, argv, &i) < 0)
            goto out;
    }
    rasim_machine *m = cli_load_machine(&load);
    if (!m)
        goto out;
    if (json) {
        json_t *root = to_json(m, 0);
        json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(root);
    } else {
        print_text(m, 0);
    }
    rasim_free(m);
    rc = 0;
out:
    cli_load_free(&load);
    return rc;
}
