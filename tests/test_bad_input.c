/*
 * test_bad_input.c - malformed files give one clear line and exit 2.
 *
 * Each case derives a bad file from a valid example object (or writes a bad
 * System.map), then checks two things: ld_load() fails with a message that
 * starts with the file name and says what is wrong, and `rasim info` exits 2
 * with exactly that one line on stderr and nothing on stdout, under a
 * timeout, so a crash or a hang fails the test. `make asan` runs this suite
 * under AddressSanitizer as well.
 */
#include "loader/loader.h"
#include "test_util.h"

#include <check.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bad_file {
    uint8_t *bytes;
    size_t size;
};

static struct bad_file valid_object(void)
{
    char path[512];
    struct bad_file b;
    snprintf(path, sizeof(path), "%s/aarch64/clear_user.o", EXAMPLES_DIR);
    b.bytes = tu_read_file(path, &b.size);
    ck_assert_ptr_nonnull(b.bytes);
    return b;
}

static Elf64_Ehdr *ehdr(struct bad_file *b)
{
    return (Elf64_Ehdr *)b->bytes;
}

static Elf64_Shdr *section(struct bad_file *b, const char *name)
{
    Elf64_Ehdr *eh = ehdr(b);
    Elf64_Shdr *sh = (Elf64_Shdr *)(b->bytes + eh->e_shoff);
    const char *strtab = (const char *)b->bytes + sh[eh->e_shstrndx].sh_offset;
    for (unsigned i = 0; i < eh->e_shnum; i++)
        if (!strcmp(strtab + sh[i].sh_name, name))
            return &sh[i];
    ck_abort_msg("no section %s", name);
    return NULL;
}

static Elf64_Rela *first_rela(struct bad_file *b)
{
    return (Elf64_Rela *)(b->bytes + section(b, ".rela__ex_table")->sh_offset);
}

/* Write the file, then require the loader and the CLI to reject it. */
static void expect_rejected(struct bad_file *b, const char *name, const char *expected,
                            const char *extra_args)
{
    const char *path = tu_tmp(name);
    ck_assert_int_eq(tu_write_file(path, b->bytes, b->size), 0);

    if (!extra_args) {
        char err[512];
        struct ld_image *img;
        struct ld_options opt = {0};
        ck_assert_int_eq(ld_load(path, &opt, &img, err, sizeof(err)), -1);
        ck_assert_msg(!strncmp(err, path, strlen(path)), "message does not start with the file: %s",
                      err);
        ck_assert_msg(strstr(err, expected), "expected '%s' in: %s", expected, err);
        ck_assert_msg(!strchr(err, '\n'), "multi-line message: %s", err);
    }

    char cmd[2048], *out, *errtxt;
    snprintf(cmd, sizeof(cmd), "timeout 10 '%s' info '%s' %s", RASIM_BIN, path,
             extra_args ? extra_args : "");
    int rc = tu_run(cmd, &out, &errtxt);
    ck_assert_msg(rc == 2, "%s: exit %d, stderr: %s", name, rc, errtxt);
    ck_assert_msg(tu_count_lines(errtxt) == 1, "%s: stderr is not one line: %s", name, errtxt);
    ck_assert_msg(strstr(errtxt, expected), "%s: expected '%s' on stderr: %s", name, expected,
                  errtxt);
    ck_assert_str_eq(out, "");
    free(out);
    free(errtxt);
    free(b->bytes);
}

START_TEST(empty_file)
{
    struct bad_file b = {calloc(1, 1), 0};
    expect_rejected(&b, "empty.o", "not an ELF file", NULL);
}
END_TEST

START_TEST(truncated_header)
{
    struct bad_file b = valid_object();
    b.size = 40;
    expect_rejected(&b, "trunc-header.o", "truncated ELF header", NULL);
}
END_TEST

START_TEST(wrong_machine)
{
    struct bad_file b = valid_object();
    ehdr(&b)->e_machine = EM_X86_64;
    expect_rejected(&b, "x86.o", "unsupported e_machine 62", NULL);
}
END_TEST

START_TEST(thirty_two_bit_class)
{
    struct bad_file b = valid_object();
    b.bytes[EI_CLASS] = ELFCLASS32;
    expect_rejected(&b, "elf32.o", "not a 64-bit ELF", NULL);
}
END_TEST

START_TEST(section_table_past_end)
{
    struct bad_file b = valid_object();
    ehdr(&b)->e_shoff = b.size - 8;
    expect_rejected(&b, "shoff.o", "section header table", NULL);
}
END_TEST

START_TEST(section_table_count_past_end)
{
    struct bad_file b = valid_object();
    ehdr(&b)->e_shnum = 0xfff0;
    expect_rejected(&b, "shnum.o", "runs past the end of the file", NULL);
}
END_TEST

START_TEST(section_data_past_end)
{
    struct bad_file b = valid_object();
    section(&b, ".text")->sh_offset = 0x7fffffff;
    expect_rejected(&b, "text-offset.o", "runs past the end of the file", NULL);
}
END_TEST

START_TEST(symbol_table_past_end)
{
    struct bad_file b = valid_object();
    section(&b, ".symtab")->sh_size = 0x100000;
    expect_rejected(&b, "symtab-size.o", "runs past the end of the file", NULL);
}
END_TEST

START_TEST(relocation_against_missing_section)
{
    struct bad_file b = valid_object();
    section(&b, ".rela__ex_table")->sh_info = 0x7777;
    expect_rejected(&b, "rela-info.o", "applies to missing section", NULL);
}
END_TEST

START_TEST(symbol_index_out_of_range)
{
    struct bad_file b = valid_object();
    Elf64_Rela *r = first_rela(&b);
    r->r_info = ELF64_R_INFO(9999, ELF64_R_TYPE(r->r_info));
    expect_rejected(&b, "sym-index.o", "symbol index 9999", NULL);
}
END_TEST

START_TEST(unknown_relocation_type)
{
    struct bad_file b = valid_object();
    Elf64_Rela *r = first_rela(&b);
    r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), 1000);
    expect_rejected(&b, "reloc-type.o", "unsupported relocation type 1000", NULL);
}
END_TEST

START_TEST(relocation_offset_past_section)
{
    struct bad_file b = valid_object();
    first_rela(&b)->r_offset = 0x10000;
    expect_rejected(&b, "reloc-offset.o", "past the end of __ex_table", NULL);
}
END_TEST

START_TEST(relocation_entry_size)
{
    struct bad_file b = valid_object();
    section(&b, ".rela__ex_table")->sh_entsize = 16;
    expect_rejected(&b, "rela-entsize.o", "entry size 16", NULL);
}
END_TEST

START_TEST(symbol_name_outside_string_table)
{
    struct bad_file b = valid_object();
    Elf64_Shdr *symtab = section(&b, ".symtab");
    Elf64_Sym *syms = (Elf64_Sym *)(b.bytes + symtab->sh_offset);
    size_t n = symtab->sh_size / sizeof(Elf64_Sym);
    syms[n - 1].st_name = 0x7fffffff;
    expect_rejected(&b, "sym-name.o", "outside the string table", NULL);
}
END_TEST

START_TEST(truncated_extable)
{
    struct bad_file b = valid_object();
    section(&b, "__ex_table")->sh_size = 20; /* two entries are 24 bytes */
    expect_rejected(&b, "extable-trunc.o", "not a multiple of 12", NULL);
}
END_TEST

START_TEST(bad_system_map_line)
{
    const char *map = tu_tmp("bad.map");
    const char *text = "ffff800008000000 T _text\nthis is not a symbol line\n";
    ck_assert_int_eq(tu_write_file(map, text, strlen(text)), 0);
    struct bad_file b = {malloc(64), 64};
    memset(b.bytes, 0x1f, 64);
    char args[1024];
    snprintf(args, sizeof(args), "--arch aarch64 --map '%s' --load-pa 0x40000000", map);
    expect_rejected(&b, "Image", "line 2: expected 'ADDRESS TYPE NAME'", args);

    char err[512];
    struct ld_image *img;
    const char *image = tu_tmp("Image2");
    uint8_t bytes[64] = {0};
    tu_write_file(image, bytes, sizeof(bytes));
    struct ld_options opt = {.arch = LD_ARCH_AARCH64, .map_path = map};
    ck_assert_int_eq(ld_load(image, &opt, &img, err, sizeof(err)), -1);
    ck_assert_msg(!strncmp(err, map, strlen(map)), "map errors name the map: %s", err);
}
END_TEST

START_TEST(raw_image_needs_arch_and_map_extable_must_fit)
{
    const char *map = tu_tmp("ok.map");
    const char *text = "0000000040000000 T start\n"
                       "0000000040000100 R __start___ex_table\n"
                       "0000000040000200 R __stop___ex_table\n";
    ck_assert_int_eq(tu_write_file(map, text, strlen(text)), 0);
    struct bad_file b = {calloc(1, 64), 64};
    char args[1024];
    snprintf(args, sizeof(args), "--map '%s' --load-pa 0x40000000", map);
    expect_rejected(&b, "Image-noarch", "needs --arch", args);

    b.bytes = calloc(1, 64);
    snprintf(args, sizeof(args), "--arch rv64 --map '%s' --load-pa 0x40000000", map);
    expect_rejected(&b, "Image-small", "lies outside the image", args);
}
END_TEST

START_TEST(missing_file_and_bad_options)
{
    char *out, *err;
    ck_assert_int_eq(tu_rasim("info /nonexistent/x.o", &out, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/x.o: cannot open"));
    free(out);
    free(err);
    static const char *const cases[][2] = {
        {"info x.o --base banana", "--base: expected an unsigned number"},
        {"info x.o --arch sparc", "--arch: expected aarch64 or rv64"},
        {"info x.o --define foo", "--define: expected NAME=ADDR"},
        {"info x.o --frobnicate", "unknown option '--frobnicate'"},
        {"info x.o --base", "--base needs a value"},
        {"frob", "unknown command 'frob'"},
        {"help frob", "unknown command 'frob'"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        ck_assert_int_eq(tu_rasim(cases[i][0], &out, &err), 2);
        ck_assert_msg(strstr(err, cases[i][1]), "'%s': %s", cases[i][0], err);
        ck_assert_int_eq(tu_count_lines(err), 1);
        free(out);
        free(err);
    }
}
END_TEST

START_TEST(profile_must_exist)
{
    char cmd[1024], *out, *err;
    snprintf(cmd, sizeof(cmd), "'%s' info '%s/rv64/clear_user.o' --profile linux-2.6", RASIM_BIN,
             EXAMPLES_DIR);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "unknown kernel profile 'linux-2.6'"));
    free(out);
    free(err);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("bad_input");
    TCase *tc = tcase_create("bad_input");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, empty_file);
    tcase_add_test(tc, truncated_header);
    tcase_add_test(tc, wrong_machine);
    tcase_add_test(tc, thirty_two_bit_class);
    tcase_add_test(tc, section_table_past_end);
    tcase_add_test(tc, section_table_count_past_end);
    tcase_add_test(tc, section_data_past_end);
    tcase_add_test(tc, symbol_table_past_end);
    tcase_add_test(tc, relocation_against_missing_section);
    tcase_add_test(tc, symbol_index_out_of_range);
    tcase_add_test(tc, unknown_relocation_type);
    tcase_add_test(tc, relocation_offset_past_section);
    tcase_add_test(tc, relocation_entry_size);
    tcase_add_test(tc, symbol_name_outside_string_table);
    tcase_add_test(tc, truncated_extable);
    tcase_add_test(tc, bad_system_map_line);
    tcase_add_test(tc, raw_image_needs_arch_and_map_extable_must_fit);
    tcase_add_test(tc, missing_file_and_bad_options);
    tcase_add_test(tc, profile_must_exist);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
