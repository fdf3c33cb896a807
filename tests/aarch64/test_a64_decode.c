/*
 * test_a64_decode.c - the decoder against the assembler: every pattern of
 * the tables matches the words LLVM produces for it (guest/decode.S), the
 * unallocated encodings decode to UNDEFINED, and disassembly names words
 * capstone does not know.
 */
#include "a64_harness.h"
#include "isa/aarch64/aarch64.h"
#include "isa/aarch64/insn.h"
#include "test_util.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(every_word_decodes_to_its_pattern)
{
    rasim_machine *m = a64h_machine("decode.o");
    uint64_t words = a64h_sym(m, "decode_words"), end = a64h_sym(m, "decode_words_end");
    uint64_t names = a64h_sym(m, "decode_names");
    size_t n = (end - words) / 4;
    ck_assert_uint_gt(n, 200);
    char name[128];
    for (size_t i = 0; i < n; i++) {
        uint32_t w;
        a64h_read(m, words + 4 * i, &w, 4);
        size_t k = 0;
        do {
            a64h_read(m, names++, &name[k], 1);
        } while (name[k++] && k < sizeof(name));
        char text[128];
        a64_disasm(w, words + 4 * i, text, sizeof(text));
        ck_assert_msg(!strcmp(a64_decode_name(w), name),
                      "word %zu 0x%08x (%s): decoded as %s, want %s", i, w, text,
                      a64_decode_name(w), name);
    }
    rasim_free(m);
}
END_TEST

/* Each pattern's name appears in decode.S, so no row is untested. */
START_TEST(decode_s_covers_every_pattern)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/decode.S", A64_GUEST_SRC_DIR);
    size_t len;
    char *src = (char *)tu_read_file(path, &len);
    ck_assert_ptr_nonnull(src);
    size_t count = 0;
    for (const char *name; (name = a64_decode_pattern_name(count)); count++) {
        char quoted[160];
        snprintf(quoted, sizeof(quoted), "T \"%s\"", name);
        ck_assert_msg(strstr(src, quoted), "pattern %s has no word in decode.S", name);
    }
    ck_assert_uint_gt(count, 150);
    free(src);
}
END_TEST

START_TEST(disassembly_from_capstone_with_a_fallback)
{
    char buf[128];
    a64_disasm(0x8b010002, 0x1000, buf, sizeof(buf)); /* add x2, x0, x1 */
    ck_assert_str_eq(buf, "add\tx2, x0, x1");
    a64_disasm(0xd65f03c0, 0x1000, buf, sizeof(buf));
    ck_assert_str_eq(buf, "ret");
    a64_disasm(0x14000002, 0x1000, buf, sizeof(buf)); /* b .+8 */
    ck_assert_str_eq(buf, "b\t#0x1008");
    /* Capstone 4 has no MTE: the decoder names the encoding. */
    int n = a64_disasm(0xd9200841, 0x1000, buf, sizeof(buf)); /* stg x1, [x2] */
    if (strncmp(buf, "stg", 3) != 0)
        ck_assert_str_eq(buf, ".inst\t0xd9200841\t// STG");
    ck_assert_int_eq(n, (int)strlen(buf));
    a64_disasm(0x00000000, 0x1000, buf, sizeof(buf));
    ck_assert_ptr_nonnull(strstr(buf, "0x00000000"));
    /* A short buffer is still terminated. */
    char small[4];
    a64_disasm(0x8b010002, 0x1000, small, sizeof(small));
    ck_assert_str_eq(small, "add");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("a64_decode");
    TCase *tc = tcase_create("decode");
    tcase_add_test(tc, every_word_decodes_to_its_pattern);
    tcase_add_test(tc, decode_s_covers_every_pattern);
    tcase_add_test(tc, disassembly_from_capstone_with_a_fallback);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
