/*
 * test_pt.c - `rasim pt walk|dump|diff` on page tables this test builds
 * itself from the architecture's bit layouts (KERNEL-FACTS 4.1, 5.1, 5.2,
 * 5.3, 6), written to image files and loaded with --mem; and the API's
 * inspection of the same kind of tables (rasim_pt_walk, and
 * rasim_debug_translate from the CPU's registers) never consuming poison.
 */
#include "test_util.h"

#include "rasim.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arm64 descriptors (KERNEL-FACTS 4.1) ---- */
#define A_TABLE 3ull
#define A_PAGE  3ull
#define A_BLOCK 1ull
#define A_AF    (1ull << 10)
#define A_SH    (3ull << 8)
#define A_RO    (1ull << 7) /* AP[2] */
#define A_DBM   (1ull << 51)
#define A_CONT  (1ull << 52)
#define A_UXN   (1ull << 54)
#define A_DIRTY (1ull << 55) /* Linux PTE_DIRTY */
#define A_PRESENT_INVALID (1ull << 11) /* 6.12, when Valid = 0 */

/* ---- RISC-V PTE bits (KERNEL-FACTS 5.2) ---- */
#define R_V (1ull << 0)
#define R_R (1ull << 1)
#define R_W (1ull << 2)
#define R_X (1ull << 3)
#define R_A (1ull << 6)
#define R_D (1ull << 7)
#define R_N (1ull << 63)
#define R_PPN(pa) (((pa) >> 12) << 10)

#define PAGES 8
static uint64_t mem[PAGES * 512]; /* tables, 4 KiB each, from the image base */

static void set(uint64_t base, uint64_t table_pa, unsigned index, uint64_t value)
{
    mem[(table_pa - base) / 8 + index] = value;
}

static const char *write_image(void)
{
    /* Own storage: tu_tmp() reuses its buffers. */
    static char path[512];
    snprintf(path, sizeof(path), "%s", tu_tmp("tables.bin"));
    ck_assert_int_eq(tu_write_file(path, mem, sizeof(mem)), 0);
    return path;
}

static char *pt(const char *args, int expect_rc)
{
    char cmd[4096], *out, *err;
    snprintf(cmd, sizeof(cmd), "timeout 20 '%s' pt %s", RASIM_BIN, args);
    int rc = tu_run(cmd, &out, &err);
    ck_assert_msg(rc == expect_rc, "rasim pt %s: exit %d: %s%s", args, rc, out, err);
    free(err);
    return out;
}

/*
 * An arm64 48-bit tree at 0x40000000 mapping
 *   0x40000000 +64K -> 0x50000000, a contiguous run of 16 pages
 *   0x40010000      -> 0x50010000, a read-only kernel page (PTE_DIRTY)
 *   0x40014000         a swap entry (6.12: type 3, offset 0x1234, exclusive)
 *   0x40018000         a present-invalid entry (6.12)
 *   0x40200000 +2M  -> 0x60000000, a block
 *   0x80000000 +1G  -> 0xc0000000, a read-only block
 * and a trans_pgd-like copy of it at 0x40004000 where the read-only page and
 * block became writable, the present-invalid entry valid, and the swap entry
 * was not copied.
 */
static uint64_t build_arm64(void)
{
    const uint64_t B = 0x40000000;
    memset(mem, 0, sizeof(mem));
    for (int copy = 0; copy < 2; copy++) {
        uint64_t l0 = B + copy * 0x4000, l1 = l0 + 0x1000, l2 = l0 + 0x2000, l3 = l0 + 0x3000;
        set(B, l0, 0, l1 | A_TABLE);
        set(B, l1, 1, l2 | A_TABLE);
        set(B, l1, 2, 0xc0000000 | A_BLOCK | A_AF | A_SH | (copy ? 0 : A_RO));
        set(B, l2, 0, l3 | A_TABLE);
        set(B, l2, 1, 0x60000000 | A_BLOCK | A_AF | A_SH | A_UXN);
        for (unsigned i = 0; i < 16; i++)
            set(B, l3, i, (0x50000000 + i * 0x1000ull) | A_PAGE | A_AF | A_SH | A_CONT);
        set(B, l3, 16,
            0x50010000 | A_PAGE | A_AF | A_SH | A_DIRTY | (copy ? A_DBM : A_RO));
        if (!copy)
            set(B, l3, 20, 3ull << 6 | 0x1234ull << 12 | 1ull << 2); /* KERNEL-FACTS 5.1 */
        set(B, l3, 24,
            0x50018000 | A_AF | A_SH | (copy ? A_PAGE : (A_PRESENT_INVALID | 2ull)));
    }
    return B;
}

START_TEST(arm64_walk_shows_each_level_and_the_result)
{
    uint64_t base = build_arm64();
    char args[2048];
    const char *img = write_image();
    snprintf(args, sizeof(args), "walk --arch aarch64 --mem '%s@0x%llx' --root 0x%llx 0x40000123",
             img, (unsigned long long)base, (unsigned long long)base);
    char *out = pt(args, 0);
    ck_assert_int_eq(tu_count_lines(out), 5); /* levels 0..3, then the result */
    ck_assert_ptr_nonnull(strstr(out, "level 0 entry 0x40000000 = 0x0000000040001003"));
    ck_assert_ptr_nonnull(strstr(out, "level 3 entry 0x40003000 = "));
    ck_assert_msg(strstr(out, "pa=0x50000123 size=64K") != NULL, "%s", out);
    free(out);

    static const struct {
        const char *va, *access, *want;
    } cases[] = {
        {"0x40200010", "read", "pa=0x60000010 size=2M"},
        {"0x80001234", "read", "pa=0xc0001234 size=1G"},
        {"0x40014000", "read", "fault=translation level=3"},  /* swap entry */
        {"0x40010000", "write", "fault=permission level=3"},  /* read-only page */
        {"0x40200000", "fetch", "fault=permission level=2"},  /* UXN only: EL1 may... */
        {"0x9000000000", "read", "fault=translation level=0"}, /* nothing at L0[1] */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        snprintf(args, sizeof(args),
                 "walk --arch aarch64 --mem '%s@0x40000000' --root 0x40000000 --access %s %s",
                 img, cases[i].access, cases[i].va);
        out = pt(args, 0);
        if (!strcmp(cases[i].access, "fetch"))
            /* UXN forbids EL0 only: an EL1 fetch of this block is allowed. */
            ck_assert_msg(strstr(out, "pa=0x60000000 size=2M") != NULL, "%s", out);
        else
            ck_assert_msg(strstr(out, cases[i].want) != NULL, "%s: want %s in:\n%s", cases[i].va,
                          cases[i].want, out);
        free(out);
    }
}
END_TEST

START_TEST(arm64_dump_coalesces_runs_and_decodes_swap)
{
    uint64_t base = build_arm64();
    char args[2048];
    snprintf(args, sizeof(args), "dump --arch aarch64 --mem '%s@0x%llx' --root 0x%llx",
             write_image(), (unsigned long long)base, (unsigned long long)base);
    char *out = pt(args, 0);
    ck_assert_msg(strstr(out, "0x0000000040000000-0x000000004000ffff -> 0x50000000 64K (16 x 4K)"),
                  "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "0x0000000040010000-0x0000000040010fff -> 0x50010000 4K (1 x 4K)"));
    ck_assert_msg(strstr(out, "0x0000000040014000-0x0000000040014fff swap type=3 offset=0x1234 exclusive"),
                  "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "0x0000000040200000-0x00000000403fffff -> 0x60000000 2M (1 x 2M)"));
    ck_assert_ptr_nonnull(strstr(out, "0x0000000080000000-0x00000000bfffffff -> 0xc0000000 1G (1 x 1G)"));
    ck_assert_int_eq(tu_count_lines(out), 6);
    free(out);
}
END_TEST

START_TEST(arm64_diff_shows_what_trans_pgd_changed)
{
    build_arm64();
    char args[2048];
    snprintf(args, sizeof(args),
             "diff --arch aarch64 --mem '%s@0x40000000' --root 0x40000000 --root 0x40004000",
             write_image());
    char *out = pt(args, 0);
    ck_assert_msg(strstr(out, "0x0000000040010000-0x0000000040010fff 4K attributes: AP RO_EL1->RW_EL1 +DBM"),
                  "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "0x0000000040014000-0x0000000040014fff 4K dropped: swap type=3"));
    ck_assert_ptr_nonnull(strstr(out, "0x0000000040018000-0x0000000040018fff 4K made valid"));
    ck_assert_ptr_nonnull(strstr(out, "0x0000000080000000-0x00000000bfffffff 1G attributes: AP RO_EL1->RW_EL1"));
    /* The contiguous run and the block are the same in both: not listed. */
    ck_assert_ptr_null(strstr(out, "0x0000000040000000-"));
    ck_assert_ptr_null(strstr(out, "0x0000000040200000-"));
    ck_assert_int_eq(tu_count_lines(out), 4);
    free(out);
}
END_TEST

/* A change inside a run is named by its own entry: page 8 of 16 taken out
 * of the "before" map (VALID cleared) is made valid, and four pages added
 * after the run, in a copy where all 20 form one run. The texts give each
 * change's own output address, and the four added pages stay one change. */
START_TEST(arm64_diff_names_the_entry_that_changed)
{
    const uint64_t B = 0x40000000;
    memset(mem, 0, sizeof(mem));
    for (int copy = 0; copy < 2; copy++) {
        uint64_t l0 = B + copy * 0x4000, l1 = l0 + 0x1000, l2 = l0 + 0x2000, l3 = l0 + 0x3000;
        set(B, l0, 0, l1 | A_TABLE);
        set(B, l1, 1, l2 | A_TABLE);
        set(B, l2, 0, l3 | A_TABLE);
        for (unsigned i = 0; i < (copy ? 20u : 16u); i++)
            set(B, l3, i, (0x50000000 + i * 0x1000ull) | A_PAGE | A_AF | A_SH | A_DIRTY | A_DBM);
        if (!copy)
            set(B, l3, 8, (0x50008000 | A_PAGE | A_AF | A_SH | A_DIRTY | A_DBM) & ~1ull);
    }
    char args[2048];
    snprintf(args, sizeof(args),
             "diff --arch aarch64 --mem '%s@0x40000000' --root 0x40000000 --root 0x40004000",
             write_image());
    char *out = pt(args, 0);
    ck_assert_msg(strstr(out, "0x0000000040008000-0x0000000040008fff 4K made valid: page "
                              "pa=0x50008000 "),
                  "%s", out);
    ck_assert_msg(strstr(out, "0x0000000040010000-0x0000000040013fff 16K added: page "
                              "pa=0x50010000 "),
                  "%s", out);
    ck_assert_int_eq(tu_count_lines(out), 2);
    free(out);
}
END_TEST

/*
 * An Sv39 tree at 0x80000000 mapping
 *   0x80000000 +64K -> 0x88000000, one NAPOT range (16 PTEs)
 *   0x80010000      -> 0x88010000, read-only
 *   0x80014000         a swap entry (riscv 6.12: type 3, offset 0x55, exclusive)
 *   0x80200000 +2M  -> 0x90000000, a megapage
 */
static void build_rv64(void)
{
    const uint64_t B = 0x80000000, root = B, l1 = B + 0x1000, l0 = B + 0x2000;
    memset(mem, 0, sizeof(mem));
    set(B, root, 2, R_PPN(l1) | R_V);
    set(B, l1, 0, R_PPN(l0) | R_V);
    set(B, l1, 1, R_PPN(0x90000000ull) | R_V | R_R | R_W | R_X | R_A | R_D);
    for (unsigned i = 0; i < 16; i++) /* KERNEL-FACTS 5.3: ppn[3:0] = 1000 */
        set(B, l0, i, R_PPN(0x88000000ull) | (8ull << 10) | R_N | R_V | R_R | R_W | R_A | R_D);
    set(B, l0, 16, R_PPN(0x88010000ull) | R_V | R_R | R_A);
    set(B, l0, 20, 3ull << 7 | 0x55ull << 12 | 1ull << 6); /* KERNEL-FACTS 5.2 (6.12) */
}

START_TEST(rv64_walk_dump_napot_and_megapage)
{
    build_rv64();
    char args[2048];
    const char *img = write_image();
    snprintf(args, sizeof(args),
             "walk --arch rv64 --mode sv39 --mem '%s@0x80000000' --root 0x80000000 0x80000123", img);
    char *out = pt(args, 0);
    ck_assert_int_eq(tu_count_lines(out), 4); /* levels 2, 1, 0, then the result */
    ck_assert_msg(strstr(out, "pa=0x88000123 size=64K") != NULL, "%s", out);
    free(out);
    snprintf(args, sizeof(args),
             "walk --arch rv64 --mem '%s@0x80000000' --root 0x80000000 --access write 0x80010008",
             img);
    out = pt(args, 0);
    ck_assert_msg(strstr(out, "fault=page level=0") != NULL, "%s", out);
    free(out);
    snprintf(args, sizeof(args), "walk --arch rv64 --mem '%s@0x80000000' --root 0x80000000 0x80201000",
             img);
    out = pt(args, 0);
    ck_assert_msg(strstr(out, "pa=0x90001000 size=2M") != NULL, "%s", out);
    free(out);

    snprintf(args, sizeof(args), "dump --arch rv64 --mem '%s@0x80000000' --root 0x80000000", img);
    out = pt(args, 0);
    ck_assert_msg(strstr(out, "0x0000000080000000-0x000000008000ffff -> 0x88000000 64K (16 x 4K)"),
                  "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "0x0000000080014000-0x0000000080014fff swap type=3 offset=0x55 exclusive"));
    ck_assert_ptr_nonnull(strstr(out, "0x0000000080200000-0x00000000803fffff -> 0x90000000 2M"));
    free(out);
    /* The 6.1 layout has no exclusive bit and puts the type at bit 6. */
    snprintf(args, sizeof(args),
             "dump --arch rv64 --layout linux-6.1 --mem '%s@0x80000000' --root 0x80000000", img);
    out = pt(args, 0);
    ck_assert_ptr_null(strstr(out, "exclusive"));
    free(out);
}
END_TEST

START_TEST(bad_pt_arguments)
{
    build_rv64();
    const char *img = write_image();
    static const char *const cases[][2] = {
        {"walk --arch rv64 --root 0x80000000 0x1000", "no memory given"},
        {"frob --arch rv64", "unknown subcommand 'frob'"},
        {"walk --arch rv64 --mem %s@0x80000000 0x1000", "no root table given"},
        {"walk --arch rv64 --mem %s@0x80000000 --root 0x80000010 0x1000", "4 KiB aligned"},
        {"walk --arch rv64 --mem %s@0x80000000 --root 0x80000000", "which VA"},
        {"walk --arch rv64 --mem %s --root 0x80000000 0x1", "expected PATH@PA"},
        {"walk --arch rv64 --mem /nonexistent@0x0 --root 0x80000000 0x1", "/nonexistent"},
        {"dump --arch rv64 --mem %s@0x80000000 --root 0x80000000 --root1 0x80001000",
         "--root1 is for arm64"},
        {"dump --arch aarch64 --mem %s@0x80000000 --root 0x80000000 --va-bits 40",
         "--va-bits: expected 39 or 48"},
        {"dump --arch rv64 --mem %s@0x80000000 --root 0x80000000 --layout linux-5.0",
         "--layout: expected"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        char args[2048], cmd[4096], *out, *err;
        snprintf(args, sizeof(args), cases[i][0], img);
        snprintf(cmd, sizeof(cmd), "timeout 20 '%s' pt %s", RASIM_BIN, args);
        ck_assert_msg(tu_run(cmd, &out, &err) == 2, "%s", args);
        ck_assert_msg(strstr(err, cases[i][1]), "'%s': %s", args, err);
        ck_assert_int_eq(tu_count_lines(err), 1);
        free(out);
        free(err);
    }
}
END_TEST

START_TEST(cyclic_tables_are_refused_not_followed_forever)
{
    /* Every entry of the root points back at the root: 512^3 leaves if followed. */
    memset(mem, 0, sizeof(mem));
    for (unsigned i = 0; i < 512; i++)
        set(0x80000000, 0x80000000, i, R_PPN(0x80000000ull) | R_V);
    char args[2048], cmd[4096], *out, *err;
    snprintf(args, sizeof(args), "dump --arch rv64 --mem '%s@0x80000000' --root 0x80000000",
             write_image());
    snprintf(cmd, sizeof(cmd), "timeout 60 '%s' pt %s", RASIM_BIN, args);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 2);
    ck_assert_msg(strstr(err, "cyclic") != NULL, "%s", err);
    free(out);
    free(err);
}
END_TEST

/* rasim_pt_walk reads tables as the host (rasim.h): a poisoned table is
 * not consumed - the error log stays empty - and the walk translates. */
START_TEST(a_walk_of_a_poisoned_table_consumes_nothing)
{
    rasim_machine *m = rasim_new(RASIM_ARCH_RV64);
    ck_assert_int_eq(rasim_add_region(m, "ram", 0x80000000ull, 0x100000, RASIM_REGION_RAM), 0);
    uint64_t leaf = R_PPN(0x80000000ull) | R_V | R_R | R_W | R_X | R_A | R_D; /* 1 GiB at VA 0 */
    ck_assert_int_eq(rasim_write_phys(m, 0x80000000ull, &leaf, 8), 0);
    struct rasim_poison p = {.pa = 0x80000000ull, .len = 1, .granule = 64};
    ck_assert_int_eq(rasim_poison(m, &p), 0);
    struct rasim_pt tree = {.root = 0x80000000ull, .va_bits = 39};
    struct rasim_pt_walk w;
    ck_assert_int_eq(rasim_pt_walk(m, &tree, 0x1234, RASIM_PT_READ, &w), 0);
    ck_assert_msg(w.ok, "walk failed: %s", w.fault ? w.fault : "?");
    ck_assert_uint_eq(w.pa, 0x80001234ull);
    ck_assert_uint_eq(rasim_error_log_count(m), 0);
    rasim_free(m);
}
END_TEST

/* rasim_debug_translate follows the CPU's registers as they are now. */
START_TEST(debug_translation_follows_satp_and_the_privilege)
{
    rasim_machine *m = rasim_new(RASIM_ARCH_RV64);
    ck_assert_int_eq(rasim_add_region(m, "ram", 0x80000000ull, 0x100000, RASIM_REGION_RAM), 0);
    /* Sv39: VA 0xffffffc000003000 -> PA 0x80009000 through three tables,
     * the leaf without A (Svade would fault): the debugger still sees it. */
    uint64_t va = 0xffffffc000003000ull, l2 = 0x80000000ull, l1 = 0x80001000ull, l0 = 0x80002000ull;
    uint64_t e2 = R_PPN(l1) | R_V, e1 = R_PPN(l0) | R_V, e0 = R_PPN(0x80009000ull) | R_V | R_R;
    ck_assert_int_eq(rasim_write_phys(m, l2 + ((va >> 30) & 511) * 8, &e2, 8), 0);
    ck_assert_int_eq(rasim_write_phys(m, l1 + ((va >> 21) & 511) * 8, &e1, 8), 0);
    ck_assert_int_eq(rasim_write_phys(m, l0 + ((va >> 12) & 511) * 8, &e0, 8), 0);
    struct rasim_poison p = {.pa = l0, .len = 4096, .granule = 4096};
    ck_assert_int_eq(rasim_poison(m, &p), 0);
    uint64_t pa = 0;
    ck_assert_int_eq(rasim_set_reg(m, "priv", 1), 0);
    ck_assert_int_eq(rasim_debug_translate(m, va + 0x123, &pa), 0); /* satp Bare */
    ck_assert_uint_eq(pa, va + 0x123);
    ck_assert_int_eq(rasim_set_reg(m, "satp", 8ull << 60 | l2 >> 12), 0);
    ck_assert_msg(rasim_debug_translate(m, va + 0x123, &pa) == 0, "%s", rasim_error(m));
    ck_assert_uint_eq(pa, 0x80009123ull);
    ck_assert_uint_eq(rasim_error_log_count(m), 0); /* the poisoned table was not consumed */
    uint64_t back = 0;
    ck_assert_int_eq(rasim_read_phys(m, l0 + ((va >> 12) & 511) * 8, &back, 8), 0);
    ck_assert_uint_eq(back, e0); /* no A set */
    ck_assert_int_eq(rasim_debug_translate(m, va + 0x1000, &pa), -1);
    ck_assert_msg(strstr(rasim_error(m), "not mapped") != NULL, "%s", rasim_error(m));
    ck_assert_int_eq(rasim_set_reg(m, "priv", 3), 0); /* M-mode: no translation */
    ck_assert_int_eq(rasim_debug_translate(m, va, &pa), 0);
    ck_assert_uint_eq(pa, va);
    rasim_free(m);
}
END_TEST

START_TEST(debug_translation_follows_sctlr_tcr_and_ttbr1)
{
    rasim_machine *m = rasim_new(RASIM_ARCH_AARCH64);
    ck_assert_int_eq(rasim_add_region(m, "ram", 0x80000000ull, 0x100000, RASIM_REGION_RAM), 0);
    /* 48-bit VAs, 4 KiB granule: VA 0xffff000000201000 -> PA 0x80005000, AF clear. */
    uint64_t va = 0xffff000000201000ull,
             t[4] = {0x80000000ull, 0x80001000ull, 0x80002000ull, 0x80003000ull};
    for (int level = 0; level < 4; level++) {
        uint64_t index = (va >> (39 - 9 * level)) & 511;
        uint64_t desc = level < 3 ? t[level + 1] | A_TABLE : 0x80005000ull | A_PAGE | A_SH;
        ck_assert_int_eq(rasim_write_phys(m, t[level] + index * 8, &desc, 8), 0);
    }
    uint64_t pa = 0;
    ck_assert_int_eq(rasim_debug_translate(m, 0x80000010ull, &pa), 0); /* SCTLR_EL1.M = 0 */
    ck_assert_uint_eq(pa, 0x80000010ull);
    uint64_t sctlr = 0;
    ck_assert_int_eq(rasim_get_reg(m, "sctlr_el1", &sctlr), 0);
    /* T0SZ = T1SZ = 16, TG1 = 4 KiB, EPD0: no low half. */
    ck_assert_int_eq(rasim_set_reg(m, "tcr_el1", 16 | 1ull << 7 | 16ull << 16 | 2ull << 30), 0);
    ck_assert_int_eq(rasim_set_reg(m, "ttbr1_el1", t[0]), 0);
    ck_assert_int_eq(rasim_set_reg(m, "sctlr_el1", sctlr | 1), 0);
    ck_assert_msg(rasim_debug_translate(m, va + 0xabc, &pa) == 0, "%s", rasim_error(m));
    ck_assert_uint_eq(pa, 0x80005abcull);
    ck_assert_int_eq(rasim_debug_translate(m, 0x1000, &pa), -1); /* EPD0 */
    ck_assert_int_eq(rasim_debug_translate(m, va + 0x1000, &pa), -1);
    rasim_free(m);
}
END_TEST

START_TEST(registers_by_index_name_every_register_once)
{
    enum rasim_arch arches[2] = {RASIM_ARCH_AARCH64, RASIM_ARCH_RV64};
    for (int a = 0; a < 2; a++) {
        rasim_machine *m = rasim_new(arches[a]);
        int n = rasim_reg_count(m), named = 0;
        ck_assert_int_gt(n, 33);
        for (int i = 0; i < 31; i++)
            ck_assert_str_eq(rasim_reg_name(m, i), rasim_gpr_name(m, (unsigned)i));
        for (int i = 0; i < n; i++) {
            const char *name = rasim_reg_name(m, i);
            if (!name)
                continue;
            named++;
            uint64_t v;
            ck_assert_msg(rasim_get_reg(m, name, &v) == 0, "%s", name);
            for (int j = 0; j < i; j++)
                ck_assert_msg(!rasim_reg_name(m, j) || strcmp(rasim_reg_name(m, j), name),
                              "%s twice", name);
        }
        ck_assert_int_gt(named, 40);
        ck_assert_ptr_null(rasim_reg_name(m, n));
        ck_assert_ptr_null(rasim_reg_name(m, -1));
        rasim_free(m);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pt");
    TCase *tc = tcase_create("pt");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, arm64_walk_shows_each_level_and_the_result);
    tcase_add_test(tc, arm64_dump_coalesces_runs_and_decodes_swap);
    tcase_add_test(tc, arm64_diff_shows_what_trans_pgd_changed);
    tcase_add_test(tc, arm64_diff_names_the_entry_that_changed);
    tcase_add_test(tc, rv64_walk_dump_napot_and_megapage);
    tcase_add_test(tc, bad_pt_arguments);
    tcase_add_test(tc, cyclic_tables_are_refused_not_followed_forever);
    tcase_add_test(tc, a_walk_of_a_poisoned_table_consumes_nothing);
    tcase_add_test(tc, debug_translation_follows_satp_and_the_privilege);
    tcase_add_test(tc, debug_translation_follows_sctlr_tcr_and_ttbr1);
    tcase_add_test(tc, registers_by_index_name_every_register_once);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
