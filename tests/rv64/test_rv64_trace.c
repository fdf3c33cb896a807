/*
 * test_rv64_trace.c - traces with translation on (rasim_trace_start): the
 * walk a load makes and the sfence.vma before it, as text and jsonl write
 * them (the entries read are those rv64_pt.h built); and the commit log
 * of a translated load (Spike logs the VA) and of a page fault (Spike's
 * trap lines).
 */
#include "rv64_pt.h"
#include "test_util.h"

#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

/* Run fn(a0) traced as fmt; the trace's bytes. */
static char *traced(const char *fmt, const char *fn, uint64_t a0, unsigned kinds)
{
    char name[64], spec[600];
    snprintf(name, sizeof(name), "mmu-trace.%s", fmt);
    snprintf(spec, sizeof(spec), "%s:%s", fmt, tu_tmp(name));
    rasim_machine *m = pt_machine(false);
    struct rasim_trace_filter f = {.kinds = kinds};
    ck_assert_msg(rasim_trace_start(m, spec, &f) == 0, "%s", rasim_error(m));
    pt_go(m, guest_sym(m, fn), a0, 0, 0);
    ck_assert_int_eq(rasim_trace_stop(m), 0);
    rasim_free(m);
    char *text = tu_read_text(tu_tmp(name));
    unlink(tu_tmp(name));
    return text;
}

START_TEST(jsonl_walks_show_the_entries_read_and_the_fence)
{
    char *out = traced("jsonl", "mmu_fence_all_ld", VA_RW,
                       RASIM_EV_BIT(RASIM_EV_WALK) | RASIM_EV_BIT(RASIM_EV_TLBI));
    rasim_machine *m = pt_machine(false);
    bool fence = false, walk = false;
    for (char *save = NULL, *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        json_t *o = json_loads(l, 0, NULL);
        ck_assert_ptr_nonnull(o);
        const char *kind = json_string_value(json_object_get(o, "kind"));
        if (!strcmp(kind, "tlbi")) {
            ck_assert_str_eq(json_string_value(json_object_get(o, "text")), "sfence.vma (all)");
            fence = true;
        } else if (!strcmp(json_string_value(json_object_get(o, "va")), "0x40000000") &&
                   !strcmp(json_string_value(json_object_get(o, "access")), "read")) {
            ck_assert(fence); /* the fence emptied the TLB: the load walks */
            ck_assert(json_is_true(json_object_get(o, "ok")));
            ck_assert_str_eq(json_string_value(json_object_get(o, "pa")), "0x80800000");
            ck_assert_int_eq(json_integer_value(json_object_get(o, "size")), 4096);
            json_t *steps = json_object_get(o, "steps");
            ck_assert_uint_eq(json_array_size(steps), 3);
            const uint64_t tables[3] = {PT_ROOT_A, PT_L1_A, PT_L0_A};
            for (unsigned i = 0; i < 3; i++) {
                json_t *s = json_array_get(steps, i);
                unsigned index = (unsigned)(VA_RW >> (30 - 9 * i)) & 511;
                char pa[24], desc[24];
                snprintf(pa, sizeof(pa), "0x%llx", (unsigned long long)(tables[i] + 8 * index));
                snprintf(desc, sizeof(desc), "0x%llx",
                         (unsigned long long)pt_get(m, tables[i], index));
                ck_assert_int_eq(json_integer_value(json_object_get(s, "level")), 2 - (int)i);
                ck_assert_str_eq(json_string_value(json_object_get(s, "pa")), pa);
                ck_assert_str_eq(json_string_value(json_object_get(s, "desc")), desc);
            }
            walk = true;
        }
        json_decref(o);
    }
    ck_assert(fence && walk);
    rasim_free(m);
    free(out);
}
END_TEST

START_TEST(text_walks_and_faults)
{
    char *out = traced("text", "mmu_fence_all_ld", VA_RW, RASIM_EV_BIT(RASIM_EV_WALK));
    ck_assert_ptr_nonnull(strstr(out, "read  va 0x0000000040000000 -> pa 0x0000000080800000  "
                                      "size 0x1000  level 0  | L2 0x80400008: "));
    free(out);
    out = traced("text", "mmu_ld", VA_INV, RASIM_EV_BIT(RASIM_EV_WALK));
    ck_assert_ptr_nonnull(strstr(out, "read  va 0x0000000040006000 -> page fault  level 0"));
    free(out);
}
END_TEST

START_TEST(commitlog_logs_the_va_and_the_page_fault_as_spike)
{
    char *out = traced("commitlog", "mmu_fence_all_ld", VA_RW, 0);
    ck_assert_ptr_nonnull(strstr(out, " mem 0x0000000040000000\n"));
    free(out);
    out = traced("commitlog", "mmu_ld", VA_INV, 0);
    ck_assert_ptr_nonnull(strstr(out, "core   0: exception trap_load_page_fault, epc 0x"));
    ck_assert_ptr_nonnull(strstr(out, "core   0:           tval 0x0000000040006000\n"));
    free(out);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rv64_trace");
    TCase *tc = tcase_create("rv64_trace");
    tcase_add_test(tc, jsonl_walks_show_the_entries_read_and_the_fence);
    tcase_add_test(tc, text_walks_and_faults);
    tcase_add_test(tc, commitlog_logs_the_va_and_the_page_fault_as_spike);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
