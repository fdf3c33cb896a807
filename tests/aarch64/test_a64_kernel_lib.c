/*
 * test_a64_kernel_lib.c - the kernel's own arch/arm64/lib routines
 * (linux-source-6.1, built by the `kernel` CTest fixture) run on rasim and
 * checked against what they are specified to do: memcpy/memmove, memset,
 * copy_page, clear_page, __arch_copy_{to,from}_user, __arch_clear_user and
 * the MTE tag routines of mte.S. A user copy that runs into absent memory
 * stops on an instruction the object's __ex_table covers.
 */
#include "a64_harness.h"
#include "test_util.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#define SRC  (A64H_DATA + 0x10000)
#define DST  (A64H_DATA + 0x20000)
#define AREA 0x3000

static rasim_machine *m;
static uint8_t src[AREA], dst[AREA], want[AREA];
static const char *const objects[] = {"memcpy",       "memset",         "copy_page",  "clear_page",
                                      "copy_to_user", "copy_from_user", "clear_user", "mte"};

static void setup(void)
{
    m = rasim_new(RASIM_ARCH_AARCH64);
    ck_assert_int_eq(rasim_set_profile(m, "none"), 0); /* the interpreter's own stops */
    for (size_t i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/arm64/%s.o", KERNEL_DIR, objects[i]);
        struct rasim_load_options opt = {.base_set = true, .base = A64H_CODE + 0x10000 * i};
        ck_assert_msg(rasim_load(m, path, &opt) >= 0, "%s", rasim_error(m));
    }
    ck_assert_int_eq(rasim_add_region(m, "data", A64H_DATA, A64H_DATA_LEN, RASIM_REGION_RAM), 0);
    rasim_set_return_sentinel(m, A64H_SENTINEL);
    for (size_t i = 0; i < AREA; i++)
        src[i] = (uint8_t)(i * 167 + 13);
    a64h_write(m, SRC, src, AREA);
}

static void teardown(void)
{
    rasim_free(m);
}

static const unsigned lens[] = {0,  1,  2,  3,  7,   8,   9,   15,  16,  17,  31,   32,  33,
                                63, 64, 65, 96, 127, 128, 129, 255, 256, 511, 1000, 4096};
static const unsigned offs[] = {0, 1, 3, 7, 8, 13};
#define NLENS (sizeof(lens) / sizeof(lens[0]))
#define NOFFS (sizeof(offs) / sizeof(offs[0]))

START_TEST(memcpy_and_memmove)
{
    for (size_t l = 0; l < NLENS; l++) {
        for (size_t a = 0; a < NOFFS; a++) {
            for (size_t b = 0; b < NOFFS; b++) {
                unsigned n = lens[l];
                memset(want, 0xee, 4200);
                a64h_write(m, DST, want, 4200);
                memcpy(want + 32 + offs[a], src + offs[b], n);
                ck_assert_uint_eq(A64H_CALL(m, "memcpy", DST + 32 + offs[a], SRC + offs[b], n),
                                  DST + 32 + offs[a]);
                a64h_read(m, DST, dst, 4200);
                ck_assert_msg(!memcmp(dst, want, 4200), "memcpy n=%u dst+%u src+%u", n, offs[a],
                              offs[b]);
            }
        }
    }
    /* memmove with the source overlapping the destination, either way */
    for (size_t l = 0; l < NLENS; l++) {
        for (int shift = -13; shift <= 13; shift += 13) {
            unsigned n = lens[l];
            a64h_write(m, DST, src, 4200);
            memcpy(want, src, 4200);
            memmove(want + 64 + shift, want + 64, n);
            A64H_CALL(m, "memmove", DST + 64 + shift, DST + 64, n);
            a64h_read(m, DST, dst, 4200);
            ck_assert_msg(!memcmp(dst, want, 4200), "memmove n=%u shift %d", n, shift);
        }
    }
}
END_TEST

START_TEST(memset_values)
{
    for (size_t l = 0; l < NLENS; l++) {
        for (size_t a = 0; a < NOFFS; a++) {
            for (int c = 0; c < 0x200; c += 0xa5) {
                unsigned n = lens[l];
                memset(want, 0xee, 4200);
                a64h_write(m, DST, want, 4200);
                memset(want + 32 + offs[a], c & 0xff, n);
                A64H_CALL(m, "memset", DST + 32 + offs[a], (uint64_t)c, n);
                a64h_read(m, DST, dst, 4200);
                ck_assert_msg(!memcmp(dst, want, 4200), "memset(%#x) n=%u off=%u", c, n, offs[a]);
            }
        }
    }
}
END_TEST

START_TEST(page_routines)
{
    A64H_CALL(m, "copy_page", DST, SRC);
    a64h_read(m, DST, dst, 4096);
    ck_assert_mem_eq(dst, src, 4096);
    A64H_CALL(m, "clear_page", DST);
    a64h_read(m, DST, dst, 4096);
    memset(want, 0, 4096);
    ck_assert_mem_eq(dst, want, 4096);
    /* DCZID_EL0.DZP set: clear_page takes its STNP fallback. */
    a64h_write(m, DST, src, 4096);
    a64h_set(m, "dczid_el0", 0x14);
    A64H_CALL(m, "clear_page", DST);
    a64h_read(m, DST, dst, 4096);
    ck_assert_mem_eq(dst, want, 4096);
}
END_TEST

START_TEST(user_copies)
{
    for (size_t l = 0; l < NLENS; l++) {
        for (size_t a = 0; a < NOFFS; a += 2) {
            unsigned n = lens[l], o = offs[a];
            memset(want, 0xee, 4200);
            a64h_write(m, DST, want, 4200);
            memcpy(want + 16 + o, src + 5, n);
            ck_assert_uint_eq(A64H_CALL(m, "__arch_copy_to_user", DST + 16 + o, SRC + 5, n), 0);
            a64h_read(m, DST, dst, 4200);
            ck_assert_msg(!memcmp(dst, want, 4200), "copy_to_user n=%u", n);

            a64h_write(m, DST, want + 2100, 2100);
            memcpy(want + 2100, src + o, n);
            ck_assert_uint_eq(A64H_CALL(m, "__arch_copy_from_user", DST, SRC + o, n), 0);
            a64h_read(m, DST, dst, n);
            ck_assert_msg(!memcmp(dst, src + o, n), "copy_from_user n=%u", n);

            memset(want, 0xee, 4200);
            a64h_write(m, DST, want, 4200);
            memset(want + 16 + o, 0, n);
            ck_assert_uint_eq(A64H_CALL(m, "__arch_clear_user", DST + 16 + o, n), 0);
            a64h_read(m, DST, dst, 4200);
            ck_assert_msg(!memcmp(dst, want, 4200), "clear_user n=%u", n);
        }
    }
}
END_TEST

/* Is addr an instruction some loaded image's __ex_table covers? */
static bool has_extable_entry(uint64_t addr)
{
    struct rasim_extable_entry e;
    for (size_t img = 0; img < rasim_image_count(m); img++)
        for (size_t i = 0; rasim_image_extable(m, img, i, &e) == 0; i++)
            if (e.insn == addr)
                return true;
    return false;
}

START_TEST(user_copy_into_absent_memory_faults_where_the_extable_says)
{
    uint64_t end = A64H_DATA + A64H_DATA_LEN;
    struct rasim_stop stop;
    const char *fns[] = {"__arch_copy_to_user", "__arch_clear_user", "__arch_copy_from_user"};
    for (int f = 0; f < 3; f++) {
        uint64_t args[3];
        if (f == 0)
            args[0] = end - 100, args[1] = SRC, args[2] = 300;
        else if (f == 1)
            args[0] = end - 100, args[1] = 300;
        else
            args[0] = DST, args[1] = end - 100, args[2] = 300;
        a64h_call(m, fns[f], args, f == 1 ? 2 : 3, &stop);
        ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
        ck_assert_uint_eq(ESR_EC(stop.syndrome), 0x25);
        ck_assert_uint_eq(ESR_FSC(stop.syndrome), 0x10);
        ck_assert_uint_eq(ESR_WNR(stop.syndrome), f != 2);
        ck_assert_uint_ge(stop.fault_addr, end);
        ck_assert_uint_lt(stop.fault_addr, end + 64);
        ck_assert_msg(has_extable_entry(stop.pc), "%s faulted at %#llx with no extable entry",
                      fns[f], (unsigned long long)stop.pc);
    }
}
END_TEST

/* ---- the user copies under the MMU -------------------------------------
 * As Linux runs them: stage 1 on (KERNEL-FACTS 4), PSTATE.PAN set, the user
 * buffer reachable only through EL0 mappings, which the routines' LDTR/STTR
 * use. A user page that is not mapped is a translation fault on an
 * instruction with an extable entry, and the 6.1 kernel model fixes it up:
 * the routine returns the bytes it did not copy. */
#define UVA     0x10000000ull         /* user buffer: two pages, then a hole */
#define UPA     (A64H_DATA + 0x60000) /* where the two pages are */
#define PT      (A64H_DATA + 0x40000) /* four tables */
#define D_TABLE 3ull
#define KDATA   (0x710ull | 1ull << 53 | 1ull << 54) /* AF, inner, EL1 RW, XN */
#define KTEXT   (0x710ull | 1ull << 7)               /* EL1 RO, executable */
#define UDATA   (KDATA | 1ull << 6)                  /* EL0 RW too */

static void wr64(uint64_t pa, uint64_t v)
{
    a64h_write(m, pa, &v, 8);
}

static void mmu_on_with_user_buffer(void)
{
    static const uint8_t zero[0x5000];
    a64h_write(m, PT, zero, sizeof(zero));
    uint64_t l0 = PT, l1 = PT + 0x1000, l2 = PT + 0x2000, l2u = PT + 0x3000, l3u = PT + 0x4000;
    wr64(l0, l1 | D_TABLE);         /* VA 0 .. 512 GiB */
    wr64(l1 + 8 * 1, l2 | D_TABLE); /* 1 GiB .. 2 GiB: code and data */
    wr64(l2 + 8 * ((A64H_CODE >> 21) & 511), A64H_CODE | KTEXT | 1);
    wr64(l2 + 8 * ((A64H_DATA >> 21) & 511), A64H_DATA | KDATA | 1);
    wr64(l1 + 8 * 0, l2u | D_TABLE); /* 0 .. 1 GiB: the user buffer */
    wr64(l2u + 8 * ((UVA >> 21) & 511), l3u | D_TABLE);
    wr64(l3u + 8 * ((UVA >> 12) & 511), UPA | UDATA | 3);
    wr64(l3u + 8 * ((UVA >> 12) & 511) + 8, (UPA + 0x1000) | UDATA | 3);
    a64h_set(m, "mair_el1", 0xff);
    a64h_set(m, "tcr_el1", 16 | 16ull << 16 | 2ull << 30 | 5ull << 32); /* 48-bit, 4K */
    a64h_set(m, "ttbr0_el1", l0);
    a64h_set(m, "sctlr_el1", a64h_reg(m, "sctlr_el1") | 1);
    a64h_set(m, "cpsr", 0x5 | 1ull << 22); /* EL1h, PAN */
}

START_TEST(user_copies_under_the_mmu_with_pan)
{
    mmu_on_with_user_buffer();
    /* Whole copies across the two user pages. */
    ck_assert_uint_eq(A64H_CALL(m, "__arch_copy_to_user", UVA + 100, SRC, 5000), 0);
    a64h_read(m, UPA + 100, dst, 5000);
    ck_assert_mem_eq(dst, src, 5000);
    ck_assert_uint_eq(A64H_CALL(m, "__arch_copy_from_user", DST, UVA + 100, 5000), 0);
    a64h_read(m, DST, dst, 5000);
    ck_assert_mem_eq(dst, src, 5000);
    ck_assert_uint_eq(a64h_reg(m, "pan"), 1ull << 22);

    /* Into the hole: the 6.1 kernel model fixes the translation fault up. */
    ck_assert_int_eq(rasim_set_profile(m, "linux-6.1"), 0);
    const char *fns[] = {"__arch_copy_to_user", "__arch_copy_from_user", "__arch_clear_user"};
    for (int f = 0; f < 3; f++) {
        uint64_t at = UVA + 0x2000 - 100;
        uint64_t ret = f == 0   ? A64H_CALL(m, fns[f], at, SRC, 300)
                       : f == 1 ? A64H_CALL(m, fns[f], DST, at, 300)
                                : A64H_CALL(m, fns[f], at, 300);
        ck_assert_msg(ret >= 200 && ret <= 300, "%s returned %llu", fns[f],
                      (unsigned long long)ret);
        ck_assert_uint_eq(rasim_fixup_count(m), 1);
        const struct rasim_fixup *fx = rasim_fixup_get(m, 0);
        ck_assert_str_eq(fx->exception, "data-translation");
        ck_assert_uint_ge(fx->fault_addr, UVA + 0x2000);
        ck_assert_uint_lt(fx->fault_addr, UVA + 0x2000 + 64);
    }

    /* A plain kernel load (memcpy's LDR) from the user buffer under PAN is
     * a permission fault with no extable entry: the kernel oopses. */
    struct rasim_stop stop;
    a64h_call(m, "memcpy", (const uint64_t[]){DST, UVA, 64}, 3, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_OOPS);
    ck_assert_uint_eq(ESR_EC(stop.syndrome), 0x25);
    ck_assert_uint_eq(ESR_FSC(stop.syndrome), 0x0f);
}
END_TEST

static unsigned tag_at(uint64_t pa)
{
    uint8_t tag = 0xff;
    ck_assert_int_eq(rasim_read_tag(m, pa, &tag), 0);
    return tag;
}

START_TEST(mte_page_tag_routines)
{
    uint64_t from = DST, to = DST + 0x1000, store = SRC;
    for (unsigned i = 0; i < 256; i++)
        ck_assert_int_eq(rasim_write_tag(m, from + 16 * i, (uint8_t)((i * 5 + 1) & 0xf)), 0);
    A64H_CALL(m, "mte_copy_page_tags", to, from);
    for (unsigned i = 0; i < 256; i++)
        ck_assert_uint_eq(tag_at(to + 16 * i), (i * 5 + 1) & 0xf);

    /* save packs 16 tags per 64-bit word; restore puts them back */
    A64H_CALL(m, "mte_save_page_tags", from, store);
    for (unsigned w = 0; w < 16; w++) {
        uint64_t want_word = 0;
        for (unsigned k = 0; k < 16; k++)
            want_word |= (uint64_t)(((w * 16 + k) * 5 + 1) & 0xf) << (4 * k);
        ck_assert_uint_eq(a64h_read64(m, store + 8 * w), want_word);
    }
    A64H_CALL(m, "mte_clear_page_tags", to);
    for (unsigned i = 0; i < 256; i++)
        ck_assert_uint_eq(tag_at(to + 16 * i), 0);
    A64H_CALL(m, "mte_restore_page_tags", to, store);
    for (unsigned i = 0; i < 256; i++)
        ck_assert_uint_eq(tag_at(to + 16 * i), (i * 5 + 1) & 0xf);

    /* zero and clear: data and tags both 0, by DC GZVA or (DZP) STZ2G */
    for (int dzp = 0; dzp < 2; dzp++) {
        a64h_set(m, "dczid_el0", 4 | dzp << 4);
        a64h_write(m, to, src, 4096);
        A64H_CALL(m, "mte_restore_page_tags", to, store);
        A64H_CALL(m, "mte_zero_clear_page_tags", to | 0x0300000000000000ull);
        a64h_read(m, to, dst, 4096);
        memset(want, 0, 4096);
        ck_assert_mem_eq(dst, want, 4096);
        for (unsigned i = 0; i < 256; i++)
            ck_assert_uint_eq(tag_at(to + 16 * i), 0);
    }

    /* tags to and from a user buffer, one byte per granule */
    ck_assert_uint_eq(A64H_CALL(m, "mte_copy_tags_to_user", store, from, 256), 256);
    for (unsigned i = 0; i < 256; i++) {
        uint8_t b;
        a64h_read(m, store + i, &b, 1);
        ck_assert_uint_eq(b, (i * 5 + 1) & 0xf);
    }
    ck_assert_uint_eq(A64H_CALL(m, "mte_copy_tags_from_user", to, store, 256), 256);
    for (unsigned i = 0; i < 256; i++)
        ck_assert_uint_eq(tag_at(to + 16 * i), (i * 5 + 1) & 0xf);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("a64_kernel_lib");
    TCase *tc = tcase_create("kernel_lib");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, memcpy_and_memmove);
    tcase_add_test(tc, memset_values);
    tcase_add_test(tc, page_routines);
    tcase_add_test(tc, user_copies);
    tcase_add_test(tc, user_copy_into_absent_memory_faults_where_the_extable_says);
    tcase_add_test(tc, mte_page_tag_routines);
    tcase_add_test(tc, user_copies_under_the_mmu_with_pan);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
