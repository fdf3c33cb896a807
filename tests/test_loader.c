/*
 * test_loader.c - symbols, symbol+offset naming, the extable, linked ELF
 * files and raw images with a System.map.
 */
#include "loader/loader_internal.h"
#include "test_util.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char err[512];

static struct ld_image *load(const char *path, const struct ld_options *opt)
{
    struct ld_image *img;
    ck_assert_msg(ld_load(path, opt, &img, err, sizeof(err)) == 0, "%s", err);
    return img;
}

START_TEST(symbol_plus_offset_names_by_the_enclosing_function)
{
    struct ld_options opt = {0};
    struct ld_image *img = load(tu_example("aarch64", "clear_user"), &opt);
    const struct ld_symbol *f = ld_find_symbol(img, "rasim_clear_user");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(f->va, LD_DEFAULT_BASE_AARCH64);
    ck_assert_int_eq(f->type, LD_SYM_FUNC);
    char buf[128];
    ld_describe(img, f->va + 0xc, buf, sizeof(buf));
    ck_assert_str_eq(buf, "rasim_clear_user+0xc");
    /* Past the end of a sized function: not named by it. */
    ld_describe(img, f->va + f->size + 0x1000, buf, sizeof(buf));
    ck_assert_str_eq(buf, "0x40081044");
    /* Mapping symbols and .L temporaries are not in the table at all. */
    for (size_t i = 0; i < img->nsymbols; i++) {
        ck_assert_msg(img->symbols[i].name[0] != '$', "%s", img->symbols[i].name);
        ck_assert_msg(strncmp(img->symbols[i].name, ".L", 2), "%s", img->symbols[i].name);
    }
    ld_image_free(img);
}
END_TEST

START_TEST(extable_entries_resolve_to_absolute_addresses)
{
    struct ld_options opt = {.base_set = true, .base = 0x80200000};
    struct ld_image *img = load(tu_example("rv64", "clear_user"), &opt);
    ck_assert_uint_eq(img->nextable, 2);
    const struct ld_symbol *f = ld_find_symbol(img, "rasim_clear_user");
    for (size_t i = 0; i < img->nextable; i++) {
        const struct ld_extable_entry *e = &img->extable[i];
        ck_assert_uint_ge(e->insn, f->va);
        ck_assert_uint_lt(e->insn, f->va + f->size);
        ck_assert_uint_eq(e->type, 1); /* EX_TYPE_FIXUP */
        ck_assert_ptr_eq(ld_extable_find(img, e->insn), e);
    }
    /* Both entries share the one fixup. */
    ck_assert_uint_eq(img->extable[0].fixup, img->extable[1].fixup);
    ck_assert_ptr_null(ld_extable_find(img, f->va));
    ld_image_free(img);
}
END_TEST

/* A linked executable made from the aarch64 example by ld.lld. */
START_TEST(linked_elf_is_placed_by_program_headers)
{
    char cmd[2048], *out, *e;
    const char *exe = tu_tmp("linked.elf");
    snprintf(cmd, sizeof(cmd), "'%s' -Ttext=0x40000000 -e rasim_clear_user '%s' -o '%s'", LD_LLD,
             tu_example("aarch64", "clear_user"), exe);
    ck_assert_msg(tu_run(cmd, &out, &e) == 0, "%s", e);
    free(out);
    free(e);
    struct ld_options opt = {0};
    struct ld_image *img = load(exe, &opt);
    ck_assert_int_eq(img->kind, LD_KIND_EXEC);
    const struct ld_symbol *f = ld_find_symbol(img, "rasim_clear_user");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(img->entry, f->va);
    ck_assert_uint_eq(img->nextable, 2);
    ck_assert_uint_ge(img->extable[0].insn, f->va);
    ck_assert_uint_lt(img->extable[1].insn, f->va + f->size);
    ck_assert_uint_ge(img->nsegments, 1);
    ld_image_free(img);

    /* --base is refused for an ET_EXEC file: it cannot be moved. */
    struct ld_options bad = {.base_set = true, .base = 0x1000};
    ck_assert_int_eq(ld_load(exe, &bad, &img, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "--base"));
}
END_TEST

/*
 * A raw image: the flat bytes of the linked example, loaded at a PA with its
 * link VA, symbols from a System.map we write in nm format, and the extable
 * found between __start___ex_table and __stop___ex_table.
 */
START_TEST(raw_image_with_system_map)
{
    char cmd[2048], *out, *e;
    const char *exe = tu_tmp("img.elf"), *bin = tu_tmp("Image"), *map = tu_tmp("System.map");
    const uint64_t link_va = 0xffff800008000000ull, load_pa = 0x40200000;
    snprintf(
        cmd, sizeof(cmd),
        "'%s' -Ttext=0x%llx --section-start=__ex_table=0x%llx -e rasim_clear_user '%s' -o '%s'",
        LD_LLD, (unsigned long long)link_va, (unsigned long long)(link_va + 0x100),
        tu_example("aarch64", "clear_user"), exe);
    ck_assert_msg(tu_run(cmd, &out, &e) == 0, "%s", e);
    free(out);
    free(e);
    snprintf(cmd, sizeof(cmd), "'%s' -O binary '%s' '%s'", LLVM_OBJCOPY, exe, bin);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    FILE *f = fopen(map, "w");
    fprintf(f, "%016llx T _text\n", (unsigned long long)link_va);
    fprintf(f, "%016llx T rasim_clear_user\n", (unsigned long long)link_va);
    fprintf(f, "%016llx T _etext\n", (unsigned long long)(link_va + 0x44));
    fprintf(f, "%016llx R __start___ex_table\n", (unsigned long long)(link_va + 0x100));
    fprintf(f, "%016llx R __stop___ex_table\n", (unsigned long long)(link_va + 0x118));
    fprintf(f, "0000000000000400 A an_absolute_constant\n");
    fclose(f);

    struct ld_options opt = {.arch = LD_ARCH_AARCH64,
                             .map_path = map,
                             .load_pa = load_pa,
                             .link_va = link_va,
                             .link_va_set = true};
    struct ld_image *img = load(bin, &opt);
    ck_assert_int_eq(img->kind, LD_KIND_IMAGE);
    ck_assert_uint_eq(img->segments[0].pa, load_pa);
    ck_assert_uint_eq(img->segments[0].va, link_va);
    ck_assert_uint_eq(img->nextable, 2);
    char buf[128];
    ld_describe(img, img->extable[0].insn, buf, sizeof(buf));
    ck_assert_str_eq(buf, "rasim_clear_user+0xc");
    ld_describe(img, img->extable[1].fixup, buf, sizeof(buf));
    ck_assert_str_eq(buf, "rasim_clear_user+0x3c");
    /* Absolute symbols are findable but never name an address. */
    ck_assert_ptr_nonnull(ld_find_symbol(img, "an_absolute_constant"));
    ld_describe(img, 0x404, buf, sizeof(buf));
    ck_assert_str_eq(buf, "0x404");
    ld_image_free(img);
}
END_TEST

START_TEST(temporary_names_are_recognised)
{
    ck_assert(ld_is_temporary_name(".Ltmp0"));
    ck_assert(ld_is_temporary_name("$x"));
    ck_assert(ld_is_temporary_name("$d.12"));
    ck_assert(!ld_is_temporary_name("$xyz"));
    ck_assert(!ld_is_temporary_name("copy_page"));
    ck_assert(!ld_is_temporary_name(".text_start"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("loader");
    TCase *tc = tcase_create("loader");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, symbol_plus_offset_names_by_the_enclosing_function);
    tcase_add_test(tc, extable_entries_resolve_to_absolute_addresses);
    tcase_add_test(tc, linked_elf_is_placed_by_program_headers);
    tcase_add_test(tc, raw_image_with_system_map);
    tcase_add_test(tc, temporary_names_are_recognised);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
