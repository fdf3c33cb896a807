/*
 * test_machine.c - the C API: machines, regions, loading, registers by
 * name, profiles, snapshots, and the stop reasons of a run.
 */
#include "rasim.h"
#include "test_util.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(arch_names_round_trip)
{
    ck_assert_int_eq(rasim_arch_from_name("aarch64"), RASIM_ARCH_AARCH64);
    ck_assert_int_eq(rasim_arch_from_name("arm64"), RASIM_ARCH_AARCH64);
    ck_assert_int_eq(rasim_arch_from_name("rv64"), RASIM_ARCH_RV64);
    ck_assert_int_eq(rasim_arch_from_name("riscv64"), RASIM_ARCH_RV64);
    ck_assert_int_eq(rasim_arch_from_name("x86_64"), RASIM_ARCH_NONE);
    ck_assert_ptr_null(rasim_new(RASIM_ARCH_NONE));
    ck_assert_int_eq(rasim_file_arch(tu_example("aarch64", "clear_user")), RASIM_ARCH_AARCH64);
    ck_assert_int_eq(rasim_file_arch(tu_example("rv64", "clear_user")), RASIM_ARCH_RV64);
    ck_assert_int_eq(rasim_file_arch("/nonexistent"), RASIM_ARCH_NONE);
}
END_TEST

START_TEST(load_declares_ram_and_places_bytes)
{
    rasim_machine *m = rasim_new(RASIM_ARCH_AARCH64);
    struct rasim_load_options opt = {.base_set = true, .base = 0x40100000};
    ck_assert_int_eq(rasim_load(m, tu_example("aarch64", "clear_user"), &opt), 0);
    uint64_t va, pa;
    ck_assert_int_eq(rasim_lookup_symbol(m, "rasim_clear_user", &va), 0);
    ck_assert_uint_eq(va, 0x40100000);
    ck_assert_int_eq(rasim_image_va_to_pa(m, va, &pa), 0);
    ck_assert_uint_eq(pa, va);
    /* The first instruction is `add x2, x0, x1` = 0x8b010002. */
    uint32_t word = 0;
    ck_assert_int_eq(rasim_read_phys(m, pa, &word, 4), 0);
    ck_assert_uint_eq(word, 0x8b010002);
    char buf[64];
    rasim_describe(m, va + 8, buf, sizeof(buf));
    ck_assert_str_eq(buf, "rasim_clear_user+0x8");
    ck_assert_int_eq(rasim_lookup_symbol(m, "no_such_symbol", &va), -1);
    ck_assert_ptr_nonnull(strstr(rasim_error(m), "no_such_symbol"));

    /* A second object over the first is refused, not silently overlaid. */
    ck_assert_int_eq(rasim_load(m, tu_example("aarch64", "clear_user"), &opt), -1);
    ck_assert_ptr_nonnull(strstr(rasim_error(m), "overlaps"));
    opt.base = 0x40200000;
    ck_assert_int_eq(rasim_load(m, tu_example("aarch64", "clear_user"), &opt), 1);
    ck_assert_uint_eq(rasim_image_count(m), 2);
    struct rasim_image_info info;
    ck_assert_int_eq(rasim_image_info(m, 0, &info), 0);
    ck_assert_str_eq(info.kind, "relocatable");
    ck_assert_uint_eq(info.nextable, 2);
    ck_assert_int_eq(rasim_image_info(m, 2, &info), -1);
    rasim_free(m);
}
END_TEST

START_TEST(regions_and_host_access)
{
    rasim_machine *m = rasim_new(RASIM_ARCH_RV64);
    ck_assert_int_eq(rasim_add_region(m, "ram", 0x80000000, 0x10000, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "rom", 0x80008000, 0x1000, RASIM_REGION_ROM), -1);
    ck_assert_ptr_nonnull(strstr(rasim_error(m), "overlaps region 'ram'"));
    uint64_t v = 0x0123456789abcdefull, r = 0;
    ck_assert_int_eq(rasim_write_phys(m, 0x80000010, &v, 8), 0);
    ck_assert_int_eq(rasim_read_phys(m, 0x80000010, &r, 8), 0);
    ck_assert_uint_eq(r, v);
    ck_assert_int_eq(rasim_read_phys(m, 0x90000000, &r, 8), -1);
    ck_assert_ptr_nonnull(strstr(rasim_error(m), "0x90000000"));

    ck_assert_int_eq(rasim_snapshot(m), 0);
    uint64_t junk = 0xffff;
    rasim_write_phys(m, 0x80000010, &junk, 8);
    ck_assert_uint_eq(rasim_restore(m), 1);
    rasim_read_phys(m, 0x80000010, &r, 8);
    ck_assert_uint_eq(r, v);
    rasim_free(m);
}
END_TEST

START_TEST(registers_by_architectural_name)
{
    rasim_machine *m = rasim_new(RASIM_ARCH_AARCH64);
    uint64_t v;
    ck_assert_int_eq(rasim_set_reg(m, "x3", 42), 0);
    ck_assert_int_eq(rasim_get_reg(m, "X3", &v), 0);
    ck_assert_uint_eq(v, 42);
    ck_assert_int_eq(rasim_set_reg(m, "lr", 7), 0);
    ck_assert_int_eq(rasim_get_reg(m, "x30", &v), 0);
    ck_assert_uint_eq(v, 7);
    ck_assert_int_eq(rasim_set_reg(m, "sp", 0x1000), 0);
    ck_assert_int_eq(rasim_get_reg(m, "sp_el1", &v), 0); /* reset state is EL1h */
    ck_assert_uint_eq(v, 0x1000);
    ck_assert_int_eq(rasim_get_reg(m, "currentel", &v), 0);
    ck_assert_uint_eq(v, 1 << 2);
    ck_assert_int_eq(rasim_get_reg(m, "dczid_el0", &v), 0);
    ck_assert_uint_eq(v, 4);
    ck_assert_int_eq(rasim_set_reg(m, "x31", 1), -1);
    ck_assert_int_eq(rasim_set_reg(m, "x07", 1), -1);
    ck_assert_int_eq(rasim_get_reg(m, "bogus_el3", &v), -1);
    ck_assert_ptr_nonnull(strstr(rasim_error(m), "unknown aarch64 register 'bogus_el3'"));
    ck_assert_str_eq(rasim_gpr_name(m, 31), "xzr");
    ck_assert_str_eq(rasim_gpr_name(m, 0), "x0");
    rasim_free(m);

    m = rasim_new(RASIM_ARCH_RV64);
    ck_assert_int_eq(rasim_set_reg(m, "a0", 5), 0);
    ck_assert_int_eq(rasim_get_reg(m, "x10", &v), 0);
    ck_assert_uint_eq(v, 5);
    ck_assert_int_eq(rasim_set_reg(m, "zero", 5), 0); /* writes to x0 are dropped */
    ck_assert_int_eq(rasim_get_reg(m, "x0", &v), 0);
    ck_assert_uint_eq(v, 0);
    ck_assert_int_eq(rasim_set_reg(m, "sstatus", 1ull << 18), 0); /* SUM */
    ck_assert_int_eq(rasim_get_reg(m, "mstatus", &v), 0);
    ck_assert_uint_eq(v & (1ull << 18), 1ull << 18);
    ck_assert_int_eq(rasim_set_reg(m, "sstatus", 1ull << 3), 0); /* MIE: not in sstatus */
    ck_assert_int_eq(rasim_get_reg(m, "mstatus", &v), 0);
    ck_assert_uint_eq(v & (1ull << 3), 0);
    ck_assert_int_eq(rasim_get_reg(m, "priv", &v), 0);
    ck_assert_uint_eq(v, 1); /* S-mode */
    ck_assert_str_eq(rasim_gpr_name(m, 0), "zero");
    ck_assert_str_eq(rasim_gpr_name(m, 10), "a0");
    rasim_free(m);
}
END_TEST

START_TEST(profiles_name_extable_types_per_kernel)
{
    rasim_machine *m = rasim_new(RASIM_ARCH_RV64);
    struct rasim_extable_decoded d;
    ck_assert_str_eq(rasim_profile_name(m), "linux-6.12");
    rasim_extable_decode(m, 4, 0x0a | (0x0b << 5), &d);
    ck_assert_str_eq(d.type_name, "LOAD_UNALIGNED_ZEROPAD");
    ck_assert_str_eq(d.field_reg[0], "a0");
    ck_assert_str_eq(d.field_reg[1], "a1");
    ck_assert_int_eq(rasim_set_profile(m, "linux-6.1"), 0);
    rasim_extable_decode(m, 4, 0, &d); /* riscv 6.1 has no type 4 */
    ck_assert_ptr_null(d.type_name);
    rasim_extable_decode(m, 3, 10, &d);
    ck_assert_str_eq(d.type_name, "UACCESS_ERR_ZERO");
    ck_assert_str_eq(d.field_name[0], "err");
    ck_assert_str_eq(d.field_reg[0], "a0");
    ck_assert_str_eq(d.field_reg[1], "zero");
    ck_assert_int_eq(rasim_set_profile(m, "linux-9.9"), -1);
    rasim_free(m);

    m = rasim_new(RASIM_ARCH_AARCH64);
    rasim_extable_decode(m, 2, 31 | (31 << 5), &d);
    ck_assert_str_eq(d.type_name, "UACCESS_ERR_ZERO");
    ck_assert_str_eq(d.field_reg[0], "xzr");
    rasim_extable_decode(m, 1, 0, &d);
    ck_assert_str_eq(d.type_name, "BPF");
    ck_assert_int_eq(d.nfields, 0);
    rasim_free(m);
}
END_TEST

START_TEST(run_stops_at_the_return_sentinel_and_on_budget)
{
    rasim_machine *m = rasim_new(RASIM_ARCH_AARCH64);
    struct rasim_stop stop;
    rasim_set_return_sentinel(m, 0xdead0000);
    rasim_set_reg(m, "pc", 0xdead0000);
    ck_assert_int_eq(rasim_run(m, 100, &stop), 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(stop.insns, 0);
    rasim_set_reg(m, "pc", 0x1000);
    ck_assert_int_eq(rasim_run(m, 0, &stop), 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_BUDGET);
    ck_assert_uint_eq(stop.pc, 0x1000);
    rasim_free(m);
}
END_TEST

/* ESR_ELx: EC [31:26], IL [25], IFSC [5:0] (KERNEL-FACTS.md 2.1). */
START_TEST(aarch64_fetch_from_absent_memory_is_an_instruction_abort)
{
    rasim_machine *m = rasim_new(RASIM_ARCH_AARCH64);
    rasim_set_profile(m, "none"); /* the architecture, not the kernel model */
    struct rasim_stop stop;
    rasim_set_reg(m, "pc", 0x70000000);
    rasim_run(m, 10, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(stop.syndrome >> 26, 0x21);  /* instruction abort, same EL */
    ck_assert_uint_eq(stop.syndrome & 0x3f, 0x10); /* synchronous external abort */
    ck_assert_uint_eq((stop.syndrome >> 25) & 1, 1);
    ck_assert(stop.fault_addr_valid);
    ck_assert_uint_eq(stop.fault_addr, 0x70000000);
    rasim_free(m);
}
END_TEST

START_TEST(aarch64_permanently_undefined_word_raises_undefined)
{
    rasim_machine *m = rasim_new(RASIM_ARCH_AARCH64);
    rasim_set_profile(m, "none"); /* the architecture, not the kernel model */
    struct rasim_stop stop;
    uint32_t udf = 0x00000000; /* UDF #0 */
    rasim_add_region(m, "ram", 0x40000000, 0x1000, RASIM_REGION_RAM);
    rasim_write_phys(m, 0x40000000, &udf, 4);
    rasim_set_reg(m, "pc", 0x40000000);
    rasim_run(m, 10, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(stop.syndrome >> 26, 0); /* EC 0: unknown reason */
    ck_assert(stop.insn_valid);
    ck_assert_uint_eq(stop.insn, udf);
    ck_assert_uint_eq(stop.pc, 0x40000000);
    rasim_free(m);
}
END_TEST

START_TEST(rv64_fetch_faults_and_illegal_instruction)
{
    rasim_machine *m = rasim_new(RASIM_ARCH_RV64);
    rasim_set_profile(m, "none"); /* the architecture, not the kernel model */
    struct rasim_stop stop;
    rasim_set_reg(m, "pc", 0x70000000);
    rasim_run(m, 10, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(stop.syndrome, 1); /* instruction access fault */
    ck_assert_uint_eq(stop.fault_addr, 0x70000000);

    rasim_set_reg(m, "pc", 0x70000001);
    rasim_run(m, 10, &stop);
    ck_assert_uint_eq(stop.syndrome, 0); /* instruction address misaligned */

    /* A 32-bit instruction whose second half is absent: stval names the
     * half that faulted. */
    rasim_add_region(m, "ram", 0x80000000, 0x1000, RASIM_REGION_RAM);
    uint16_t half = 0x0013; /* low half of a 32-bit opcode (addi) */
    rasim_write_phys(m, 0x80000ffe, &half, 2);
    rasim_set_reg(m, "pc", 0x80000ffe);
    rasim_run(m, 10, &stop);
    ck_assert_uint_eq(stop.syndrome, 1);
    ck_assert_uint_eq(stop.fault_addr, 0x80001000);

    uint32_t zero = 0; /* the all-zero word is defined to be illegal */
    rasim_write_phys(m, 0x80000000, &zero, 4);
    rasim_set_reg(m, "pc", 0x80000000);
    rasim_run(m, 10, &stop);
    ck_assert_uint_eq(stop.syndrome, 2);
    ck_assert_uint_eq(stop.fault_addr, 0);
    rasim_free(m);
}
END_TEST

START_TEST(architecture_settings_belong_to_their_architecture)
{
    rasim_machine *m = rasim_new(RASIM_ARCH_AARCH64);
    ck_assert_int_eq(rasim_set_htif(m, 0x80001000, 0), -1);
    ck_assert_ptr_nonnull(strstr(rasim_error(m), "rv64"));
    ck_assert_int_eq(rasim_set_misaligned_traps(m, true), -1);
    rasim_free(m);
    m = rasim_new(RASIM_ARCH_RV64);
    ck_assert_int_eq(rasim_set_htif(m, 0x80001000, 0x80001040), 0);
    ck_assert_int_eq(rasim_set_misaligned_traps(m, true), 0);
    rasim_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("machine");
    TCase *tc = tcase_create("machine");
    tcase_add_test(tc, arch_names_round_trip);
    tcase_add_test(tc, load_declares_ram_and_places_bytes);
    tcase_add_test(tc, regions_and_host_access);
    tcase_add_test(tc, registers_by_architectural_name);
    tcase_add_test(tc, profiles_name_extable_types_per_kernel);
    tcase_add_test(tc, run_stops_at_the_return_sentinel_and_on_budget);
    tcase_add_test(tc, aarch64_fetch_from_absent_memory_is_an_instruction_abort);
    tcase_add_test(tc, aarch64_permanently_undefined_word_raises_undefined);
    tcase_add_test(tc, rv64_fetch_faults_and_illegal_instruction);
    tcase_add_test(tc, architecture_settings_belong_to_their_architecture);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
