/*
 * test_kernel_rv64.c - the kernel's own arch/riscv/lib routines (built from
 * Debian's linux-source-6.1) run in rasim, against the same objects run
 * natively under qemu-riscv64: every call of kcases.h must return the same
 * value and leave both buffer areas byte-identical (compared by hash).
 *
 * In rasim the routines run in S-mode, where their csrs/csrc of
 * sstatus.SUM are real instructions; natively a SIGILL handler skips them.
 */
#include "kcases.h"
#include "rasim.h"
#include "test_util.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AREAS    0x90000000ull
#define STACK    0x90100000ull
#define SENTINEL 0x7ffff000ull

struct native {
    uint64_t ret[KC_NCASES];
    uint64_t hash[KC_NCASES];
};

static const char *const objects[] = {"memcpy", "memset", "memmove", "uaccess"};

/* The kernel is built for the soft-float ABI (no FP registers in the
 * kernel); glibc for lp64d. The routines contain no floating point, so the
 * native copies are marked double-float (e_flags bits 2:1 = 2, per the RISC-V
 * ELF psABI) to let the linker combine them. */
static void mark_double_float(const char *path)
{
    size_t n;
    uint8_t *f = tu_read_file(path, &n);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_gt(n, 52);
    uint32_t flags;
    memcpy(&flags, f + 48, 4); /* Elf64_Ehdr.e_flags */
    flags = (flags & ~0x6u) | 0x4u;
    memcpy(f + 48, &flags, 4);
    ck_assert_int_eq(tu_write_file(path, f, n), 0);
    free(f);
}

/* Build the native driver against prefixed copies of the objects, run it
 * under qemu-riscv64, and read back one line per case. */
static void run_native(struct native *n)
{
    char cmd[8192], objs[4096] = "", *out, *err;
    for (size_t i = 0; i < 4; i++) {
        char copy[512];
        snprintf(copy, sizeof(copy), "%s", tu_tmp(objects[i]));
        snprintf(cmd, sizeof(cmd), "'%s' --prefix-symbols=kern_ '%s/riscv/%s.o' '%s'",
                 LLVM_OBJCOPY, KERNEL_DIR, objects[i], copy);
        ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
        mark_double_float(copy);
        size_t used = strlen(objs);
        snprintf(objs + used, sizeof(objs) - used, " '%s'", copy);
    }
    const char *exe = tu_tmp("driver_riscv");
    snprintf(cmd, sizeof(cmd),
             "riscv64-linux-gnu-gcc -static -O1 -I'%s' '%s/driver_riscv.c'%s -o '%s'",
             KERNEL_TEST_SRC, KERNEL_TEST_SRC, objs, exe);
    ck_assert_msg(tu_run(cmd, &out, &err) == 0, "cross build failed: %s", err);
    free(out);
    free(err);
    snprintf(cmd, sizeof(cmd), "timeout 120 qemu-riscv64 '%s'", exe);
    ck_assert_msg(tu_run(cmd, &out, &err) == 0, "qemu-riscv64 failed: %s", err);
    unsigned count = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        unsigned i;
        unsigned long long ret, hash;
        ck_assert_int_eq(sscanf(line, "%u %llx %llx", &i, &ret, &hash), 3);
        ck_assert_uint_lt(i, KC_NCASES);
        n->ret[i] = ret;
        n->hash[i] = hash;
        count++;
    }
    ck_assert_uint_eq(count, KC_NCASES);
    free(out);
    free(err);
}

static const char *routine_name(enum kc_routine r)
{
    static const char *const names[] = {"__memcpy", "__memset", "__memmove",
                                        "__asm_copy_to_user", "__asm_copy_from_user",
                                        "__clear_user"};
    return names[r];
}

START_TEST(kernel_riscv_lib_matches_native)
{
    static struct native native;
    run_native(&native);

    rasim_machine *m = rasim_new(RASIM_ARCH_RV64);
    for (size_t i = 0; i < 4; i++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/riscv/%s.o", KERNEL_DIR, objects[i]);
        struct rasim_load_options opt = {.base_set = true, .base = 0x80000000ull + i * 0x10000};
        ck_assert_msg(rasim_load(m, path, &opt) >= 0, "%s", rasim_error(m));
    }
    ck_assert_int_eq(rasim_add_region(m, "areas", AREAS, 2 * KC_AREA, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "stack", STACK, 0x10000, RASIM_REGION_RAM), 0);
    rasim_set_return_sentinel(m, SENTINEL);

    static uint8_t init[2 * KC_AREA], now[2 * KC_AREA];
    for (uint32_t k = 0; k < KC_AREA; k++) {
        init[k] = kc_dst_byte(k);
        init[KC_AREA + k] = kc_src_byte(k);
    }
    uint64_t total_insns = 0;
    for (unsigned i = 0; i < KC_NCASES; i++) {
        struct kc_case c = kc_case(i);
        uint64_t entry, dst = AREAS + c.dst_off;
        uint64_t src = c.overlap ? AREAS + c.src_off : AREAS + KC_AREA + c.src_off;
        ck_assert_int_eq(rasim_write_phys(m, AREAS, init, sizeof(init)), 0);
        ck_assert_int_eq(rasim_lookup_symbol(m, routine_name(c.routine), &entry), 0);
        rasim_set_reg(m, "a0", dst);
        rasim_set_reg(m, "a1", c.routine == KC_MEMSET ? 0x5a : c.routine == KC_CLEAR_USER ? c.len : src);
        rasim_set_reg(m, "a2", c.len);
        rasim_set_reg(m, "ra", SENTINEL);
        rasim_set_reg(m, "sp", STACK + 0x10000);
        rasim_set_reg(m, "priv", 1);
        rasim_set_reg(m, "pc", entry);
        struct rasim_stop stop;
        rasim_run(m, 10000000, &stop);
        char what[512];
        rasim_stop_describe(m, &stop, what, sizeof(what));
        ck_assert_msg(stop.reason == RASIM_STOP_RETURNED, "case %u (%s len %u): %s", i,
                      routine_name(c.routine), c.len, what);
        total_insns += stop.insns;
        uint64_t ret;
        rasim_get_reg(m, "a0", &ret);
        if (c.routine == KC_MEMCPY || c.routine == KC_MEMSET || c.routine == KC_MEMMOVE)
            ret -= AREAS; /* pointers compare as offsets */
        ck_assert_int_eq(rasim_read_phys(m, AREAS, now, sizeof(now)), 0);
        ck_assert_msg(ret == native.ret[i] && kc_hash(now, sizeof(now)) == native.hash[i],
                      "case %u: %s(dst+%u, %s+%u, %u): rasim ret 0x%llx, native 0x%llx; "
                      "memory %s",
                      i, routine_name(c.routine), c.dst_off, c.overlap ? "dst" : "src",
                      c.src_off, c.len, (unsigned long long)ret,
                      (unsigned long long)native.ret[i],
                      kc_hash(now, sizeof(now)) == native.hash[i] ? "equal" : "differs");
    }
    fprintf(stderr, "kernel riscv lib: %u calls, %llu instructions, all equal to qemu-riscv64\n",
            (unsigned)KC_NCASES, (unsigned long long)total_insns);
    rasim_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("kernel_rv64");
    TCase *tc = tcase_create("kernel_rv64");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, kernel_riscv_lib_matches_native);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
