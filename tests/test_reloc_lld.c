/*
 * test_reloc_lld.c - our relocation results against ld.lld's.
 *
 * For each fixture object: the loader places its sections and applies every
 * relocation; then ld.lld links the same object with a linker script that
 * puts each section at the address the loader chose. Every allocated
 * section's bytes must be identical, and the extable we decode must equal
 * the one decoded from lld's output. ld.lld is the oracle: it computes each
 * relocation independently of our code.
 */
#include "loader/loader.h"
#include "test_util.h"

#include <check.h>
#include <elf.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
    const char *name;
    uint64_t base;
    bool has_extable;
    bool neutralise_align;    /* lld 14 cannot link R_RISCV_ALIGN at all */
    const char *skip_compare; /* a section lld rebuilds rather than relocates */
};

static const struct fixture fixtures[] = {
    {"aarch64_relocs", 0x40080000, true, false, NULL},
    {"aarch64_extra", 0x40080000, false, false, NULL},
    {"rv64_relocs", 0x80000000, true, false, NULL},
    /* lld re-synthesises .eh_frame (pads records, adds a terminator), so its
     * bytes are not a relocation result to compare. */
    {"rv64_relax", 0x80000000, true, true, ".eh_frame"},
};

static struct ld_define defines[16];
static char define_names[16][256];

static size_t read_defsyms(const char *name, char *lld_args, size_t len)
{
    char path[512], line[256];
    snprintf(path, sizeof(path), "%s/reloc/%s.defsyms", FIXTURE_SRC_DIR, name);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    size_t n = 0;
    lld_args[0] = 0;
    while (fgets(line, sizeof(line), f) && n < 16) {
        char *eq = strchr(line, '=');
        if (!eq)
            continue;
        *eq = 0;
        snprintf(define_names[n], sizeof(define_names[n]), "%s", line);
        defines[n].name = define_names[n];
        defines[n].value = strtoull(eq + 1, NULL, 0);
        size_t used = strlen(lld_args);
        snprintf(lld_args + used, len - used, " --defsym %s=0x%llx", define_names[n],
                 (unsigned long long)defines[n].value);
        n++;
    }
    fclose(f);
    return n;
}

/* Copy of the object with R_RISCV_ALIGN turned into R_RISCV_NONE. Our
 * loader's action for ALIGN is none (code is not moved), so this leaves the
 * expected bytes unchanged and lets lld 14 link it. */
static void neutralise_align(const char *in, const char *out)
{
    size_t size;
    uint8_t *f = tu_read_file(in, &size);
    ck_assert_ptr_nonnull(f);
    Elf64_Ehdr eh;
    memcpy(&eh, f, sizeof(eh));
    int patched = 0;
    for (unsigned i = 0; i < eh.e_shnum; i++) {
        Elf64_Shdr sh;
        memcpy(&sh, f + eh.e_shoff + i * sizeof(sh), sizeof(sh));
        if (sh.sh_type != SHT_RELA)
            continue;
        for (uint64_t k = 0; k < sh.sh_size / sizeof(Elf64_Rela); k++) {
            Elf64_Rela r;
            uint8_t *p = f + sh.sh_offset + k * sizeof(r);
            memcpy(&r, p, sizeof(r));
            if (ELF64_R_TYPE(r.r_info) == R_RISCV_ALIGN) {
                r.r_info = ELF64_R_INFO(ELF64_R_SYM(r.r_info), R_RISCV_NONE);
                memcpy(p, &r, sizeof(r));
                patched++;
            }
        }
    }
    ck_assert_int_gt(patched, 0);
    ck_assert_int_eq(tu_write_file(out, f, size), 0);
    free(f);
}

/* Bytes of the placed image at [va, va+len), from the loader's segments. */
static const uint8_t *image_bytes(const struct ld_image *img, uint64_t va, uint64_t len)
{
    for (size_t i = 0; i < img->nsegments; i++) {
        const struct ld_segment *s = &img->segments[i];
        if (va >= s->va && va + len <= s->va + s->filesz)
            return s->bytes + (va - s->va);
    }
    return NULL;
}

/* Decode the extable from lld's output independently of the loader. */
static void compare_extable(const struct ld_image *img, const uint8_t *bytes, uint64_t va,
                            uint64_t size)
{
    ck_assert_uint_eq(size % 12, 0);
    ck_assert_uint_eq(img->nextable, size / 12);
    for (uint64_t i = 0; i < size / 12; i++) {
        const uint8_t *p = bytes + i * 12;
        int32_t insn_off, fixup_off;
        uint16_t type, data;
        memcpy(&insn_off, p, 4);
        memcpy(&fixup_off, p + 4, 4);
        memcpy(&type, p + 8, 2);
        memcpy(&data, p + 10, 2);
        uint64_t insn = va + i * 12 + (int64_t)insn_off;
        uint64_t fixup = va + i * 12 + 4 + (int64_t)fixup_off;
        const struct ld_extable_entry *e = ld_extable_find(img, insn);
        ck_assert_msg(e != NULL, "extable entry for insn 0x%llx missing", (unsigned long long)insn);
        ck_assert_uint_eq(e->fixup, fixup);
        ck_assert_uint_eq(e->type, type);
        ck_assert_uint_eq(e->data, data);
    }
    for (size_t i = 1; i < img->nextable; i++)
        ck_assert_uint_lt(img->extable[i - 1].insn, img->extable[i].insn);
}

static void check_types_present(const struct fixture *fx, const char *obj)
{
    char cmd[1024], path[512], line[128];
    char *out;
    snprintf(cmd, sizeof(cmd), "'%s' -r '%s'", LLVM_READELF, obj);
    ck_assert_int_eq(tu_run(cmd, &out, NULL), 0);
    snprintf(path, sizeof(path), "%s/reloc/%s.types", FIXTURE_SRC_DIR, fx->name);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    int n = 0;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0])
            continue;
        char needle[160];
        snprintf(needle, sizeof(needle), " %s ", line);
        ck_assert_msg(strstr(out, needle), "%s: no %s relocation in the object", fx->name, line);
        n++;
    }
    fclose(f);
    ck_assert_int_gt(n, 5);
    free(out);
}

/* Section names go into the linker script quoted when they hold anything
 * lld's script lexer would read as an operator (___ksymtab+foo). */
static void script_name(FILE *f, const char *name)
{
    if (name[strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.")])
        fprintf(f, "\"%s\"", name);
    else
        fprintf(f, "%s", name);
}

/* Load obj, link it with ld.lld putting each section where the loader put
 * it, and require every allocated byte and the extable to match. */
static void compare_with_lld(const char *label, const char *obj, const struct ld_options *opt,
                             const char *lld_defs, bool neutralise, const char *skip,
                             bool has_extable)
{
    char linked[512], script[512], err[512], cmd[4096];
    struct ld_image *img;
    ck_assert_msg(ld_load(obj, opt, &img, err, sizeof(err)) == 0, "%s", err);

    snprintf(script, sizeof(script), "%s", tu_tmp("sections.ld"));
    FILE *ls = fopen(script, "w");
    ck_assert_ptr_nonnull(ls);
    fprintf(ls, "SECTIONS {\n");
    for (size_t i = 0; i < img->nsections; i++) {
        fprintf(ls, "  ");
        script_name(ls, img->sections[i].name);
        fprintf(ls, " 0x%llx : { *(", (unsigned long long)img->sections[i].va);
        script_name(ls, img->sections[i].name);
        fprintf(ls, ") }\n");
    }
    fprintf(ls, "}\n");
    fclose(ls);

    const char *input = obj;
    char patched[512];
    if (neutralise) {
        snprintf(patched, sizeof(patched), "%s", tu_tmp("noalign.o"));
        neutralise_align(obj, patched);
        input = patched;
    }
    snprintf(linked, sizeof(linked), "%s", tu_tmp("linked.elf"));
    /* --no-relax: keep lld from rewriting adrp+add into adr. -O0: no merging of
     * SHF_MERGE strings, which would move them (a module loader does not merge). */
    snprintf(cmd, sizeof(cmd), "'%s' --no-relax -O0 -T '%s'%s '%s' -o '%s'", LD_LLD, script, lld_defs,
             input, linked);
    char *lld_err;
    ck_assert_msg(tu_run(cmd, NULL, &lld_err) == 0, "%s: ld.lld failed: %s", label, lld_err);
    free(lld_err);

    size_t size;
    uint8_t *elfbytes = tu_read_file(linked, &size);
    ck_assert_ptr_nonnull(elfbytes);
    elf_version(EV_CURRENT);
    Elf *elf = elf_memory((char *)elfbytes, size);
    ck_assert_ptr_nonnull(elf);
    size_t shstrndx, compared = 0;
    elf_getshdrstrndx(elf, &shstrndx);
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(elf, scn))) {
        GElf_Shdr sh;
        gelf_getshdr(scn, &sh);
        const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
        if (!(sh.sh_flags & SHF_ALLOC) || sh.sh_type == SHT_NOBITS || sh.sh_size == 0)
            continue;
        if (skip && !strcmp(name, skip))
            continue;
        const uint8_t *ours = image_bytes(img, sh.sh_addr, sh.sh_size);
        ck_assert_msg(ours != NULL, "%s: section %s at 0x%llx not placed by the loader", label,
                      name, (unsigned long long)sh.sh_addr);
        const uint8_t *theirs = elfbytes + sh.sh_offset;
        for (uint64_t k = 0; k < sh.sh_size; k++)
            ck_assert_msg(ours[k] == theirs[k], "%s: %s+0x%llx: loader 0x%02x, ld.lld 0x%02x",
                          label, name, (unsigned long long)k, ours[k], theirs[k]);
        if (!strcmp(name, "__ex_table"))
            compare_extable(img, theirs, sh.sh_addr, sh.sh_size);
        compared++;
    }
    ck_assert_uint_ge(compared, 1);
    if (has_extable)
        ck_assert_uint_ge(img->nextable, 1);
    elf_end(elf);
    free(elfbytes);
    ld_image_free(img);
}

START_TEST(relocations_match_lld)
{
    const struct fixture *fx = &fixtures[_i];
    char obj[512], lld_defs[1024];
    snprintf(obj, sizeof(obj), "%s/%s.o", FIXTURE_DIR, fx->name);
    check_types_present(fx, obj);
    size_t ndef = read_defsyms(fx->name, lld_defs, sizeof(lld_defs));
    struct ld_options opt = {
        .base_set = true, .base = fx->base, .defines = defines, .ndefines = ndef};
    compare_with_lld(fx->name, obj, &opt, lld_defs, fx->neutralise_align, fx->skip_compare,
                     fx->has_extable);
}
END_TEST

/* The kernel's own routines, built from Debian's linux-source-6.1: real
 * objects with real __ex_table, ADD32/SUB32 pairs, ALIGN and RVC
 * relocations, and sections named like ___ksymtab+__arch_copy_from_user. */
static const struct {
    const char *path;
    uint64_t base;
    bool has_extable;
} kernel_objects[] = {
    {"arm64/copy_page.o", 0x40080000, false},     {"arm64/clear_page.o", 0x40080000, false},
    {"arm64/memcpy.o", 0x40080000, false},        {"arm64/memset.o", 0x40080000, false},
    {"arm64/copy_from_user.o", 0x40080000, true}, {"arm64/copy_to_user.o", 0x40080000, true},
    {"arm64/clear_user.o", 0x40080000, true},     {"arm64/mte.o", 0x40080000, true},
    {"riscv/memcpy.o", 0x80000000, false},        {"riscv/memset.o", 0x80000000, false},
    {"riscv/memmove.o", 0x80000000, false},       {"riscv/uaccess.o", 0x80000000, true},
};

START_TEST(kernel_objects_match_lld)
{
    char obj[512];
    snprintf(obj, sizeof(obj), "%s/%s", KERNEL_DIR, kernel_objects[_i].path);
    struct ld_options opt = {.base_set = true, .base = kernel_objects[_i].base};
    bool riscv = !strncmp(kernel_objects[_i].path, "riscv", 5);
    compare_with_lld(kernel_objects[_i].path, obj, &opt, "", riscv, NULL,
                     kernel_objects[_i].has_extable);
}
END_TEST

START_TEST(undefined_symbol_names_itself_unless_defined)
{
    char obj[512], err[512];
    snprintf(obj, sizeof(obj), "%s/aarch64_relocs.o", FIXTURE_DIR);
    struct ld_options opt = {0};
    struct ld_image *img;
    ck_assert_int_eq(ld_load(obj, &opt, &img, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "undefined symbol 'ext_"));
    ck_assert_ptr_nonnull(strstr(err, "--define"));
    ck_assert_ptr_nonnull(strstr(err, obj));
}
END_TEST

START_TEST(out_of_range_branch_is_an_error_not_a_wrap)
{
    char obj[512], err[512];
    snprintf(obj, sizeof(obj), "%s/aarch64_relocs.o", FIXTURE_DIR);
    /* ext_func 4 GiB away: CALL26 cannot reach it. */
    struct ld_define d[] = {
        {"ext_func", 0x140100000ull}, {"ext_data", 0x40200000}, {"ext_small", 0x1230}};
    struct ld_options opt = {.base_set = true, .base = 0x40080000, .defines = d, .ndefines = 3};
    struct ld_image *img;
    ck_assert_int_eq(ld_load(obj, &opt, &img, err, sizeof(err)), -1);
    ck_assert_msg(strstr(err, "does not fit") != NULL, "%s", err);
    ck_assert_msg(strstr(err, "R_AARCH64_") != NULL, "%s", err);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("reloc_lld");
    TCase *tc = tcase_create("lld");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, relocations_match_lld, 0, sizeof(fixtures) / sizeof(*fixtures));
    tcase_add_loop_test(tc, kernel_objects_match_lld, 0,
                        sizeof(kernel_objects) / sizeof(*kernel_objects));
    tcase_add_test(tc, undefined_symbol_names_itself_unless_defined);
    tcase_add_test(tc, out_of_range_branch_is_an_error_not_a_wrap);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
