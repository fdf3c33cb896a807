/*
 * test_rv64_mem.c - loads and stores (extension, compressed forms,
 * misaligned accesses performed or trapped, access faults with stval),
 * cache-block operations, self-modifying code, fetch at page edges, device
 * memory, snapshots under the fast path, and HTIF. Guest code:
 * guest/mem.S, guest/htif.S.
 */
#include "rv64_guest.h"
#include "test_util.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#define DATA    (GUEST_RAM + 0x80000) /* a free page-aligned area in RAM */
#define RAM_END (GUEST_RAM + GUEST_RAM_SIZE)
#define U       0
#define SUP     1
#define M       3

static struct rasim_stop call_stop(rasim_machine *m, const char *fn, uint64_t a0, uint64_t a1)
{
    guest_set(m, "a0", a0);
    guest_set(m, "a1", a1);
    return guest_run_at(m, fn);
}

static void expect_fault(rasim_machine *m, const char *fn, uint64_t a0, uint64_t a1, uint64_t cause,
                         uint64_t tval)
{
    struct rasim_stop stop = call_stop(m, fn, a0, a1);
    if (stop.reason != RASIM_STOP_EXCEPTION || stop.syndrome != cause || stop.fault_addr != tval)
        ck_abort_msg("%s(0x%llx): stop %s cause %llu tval 0x%llx, want cause %llu tval 0x%llx", fn,
                     (unsigned long long)a0, rasim_stop_reason_name(stop.reason),
                     (unsigned long long)stop.syndrome, (unsigned long long)stop.fault_addr,
                     (unsigned long long)cause, (unsigned long long)tval);
    ck_assert_uint_eq(stop.pc, guest_sym(m, fn)); /* the PC stays on the access */
}

START_TEST(loads_extend_by_kind)
{
    rasim_machine *m = guest_new("mem.o");
    guest_write64(m, DATA, 0x8081828384858687ull);
    ck_assert_uint_eq(guest_call2(m, "do_lb", DATA, 0), 0xffffffffffffff87ull);
    ck_assert_uint_eq(guest_call2(m, "do_lbu", DATA, 0), 0x87);
    ck_assert_uint_eq(guest_call2(m, "do_lh", DATA, 0), 0xffffffffffff8687ull);
    ck_assert_uint_eq(guest_call2(m, "do_lhu", DATA, 0), 0x8687);
    ck_assert_uint_eq(guest_call2(m, "do_lw", DATA + 4, 0), 0xffffffff80818283ull);
    ck_assert_uint_eq(guest_call2(m, "do_lwu", DATA + 4, 0), 0x80818283ull);
    ck_assert_uint_eq(guest_call2(m, "do_ld", DATA, 0), 0x8081828384858687ull);
    guest_call2(m, "do_sb", DATA, 0x1122334455667799ull);
    guest_call2(m, "do_sh", DATA + 2, 0xaabb);
    guest_call2(m, "do_sw", DATA + 4, 0xccddeeff);
    ck_assert_uint_eq(guest_read64(m, DATA), 0xccddeeffaabb8699ull);
    guest_call2(m, "do_sd", DATA + 8, 0x0123456789abcdefull);
    ck_assert_uint_eq(guest_read64(m, DATA + 8), 0x0123456789abcdefull);
    rasim_free(m);
}
END_TEST

START_TEST(compressed_loads_and_stores_reach_their_largest_offsets)
{
    rasim_machine *m = guest_new("mem.o");
    guest_call2(m, "do_c_sd", DATA, 0x1111222233334444ull);
    ck_assert_uint_eq(guest_read64(m, DATA + 248), 0x1111222233334444ull);
    ck_assert_uint_eq(guest_call2(m, "do_c_ld", DATA, 0), 0x1111222233334444ull);
    guest_call2(m, "do_c_sw", DATA, 0x87654321);
    ck_assert_uint_eq(guest_call2(m, "do_c_lw", DATA, 0), 0xffffffff87654321ull);
    guest_call2(m, "do_c_sdsp", DATA, 0x5555666677778888ull);
    ck_assert_uint_eq(guest_read64(m, DATA + 504), 0x5555666677778888ull);
    ck_assert_uint_eq(guest_call2(m, "do_c_ldsp", DATA, 0), 0x5555666677778888ull);
    guest_call2(m, "do_c_swsp", DATA, 0x12345678);
    ck_assert_uint_eq(guest_call2(m, "do_c_lwsp", DATA, 0), 0x12345678);
    rasim_free(m);
}
END_TEST

START_TEST(misaligned_accesses_are_performed_by_default)
{
    rasim_machine *m = guest_new("mem.o");
    guest_write64(m, DATA, 0x0706050403020100ull);
    guest_write64(m, DATA + 8, 0x0f0e0d0c0b0a0908ull);
    ck_assert_uint_eq(guest_call2(m, "do_ld", DATA + 3, 0), 0x0a09080706050403ull);
    ck_assert_uint_eq(guest_call2(m, "do_lw", DATA + 1, 0), 0x04030201);
    ck_assert_uint_eq(guest_call2(m, "do_lh", DATA + 7, 0), 0x0807);
    guest_call2(m, "do_sd", DATA + 5, 0xa0a1a2a3a4a5a6a7ull);
    ck_assert_uint_eq(guest_read64(m, DATA), 0xa5a6a70403020100ull);
    ck_assert_uint_eq(guest_read64(m, DATA + 8), 0x0f0e0da0a1a2a3a4ull);
    /* Across a page boundary, both ways. */
    uint64_t edge = DATA + 0x1000 - 4;
    guest_call2(m, "do_sd", edge, 0x1122334455667788ull);
    ck_assert_uint_eq(guest_call2(m, "do_ld", edge, 0), 0x1122334455667788ull);
    ck_assert_uint_eq(guest_call2(m, "do_lwu", edge + 2, 0), 0x33445566);
    rasim_free(m);
}
END_TEST

START_TEST(misaligned_accesses_trap_when_configured)
{
    rasim_machine *m = guest_new("mem.o");
    ck_assert_int_eq(rasim_set_misaligned_traps(m, true), 0);
    expect_fault(m, "do_ld", DATA + 4, 0, 4, DATA + 4);
    expect_fault(m, "do_lh", DATA + 1, 0, 4, DATA + 1);
    expect_fault(m, "do_sw", DATA + 2, 0, 6, DATA + 2);
    expect_fault(m, "do_sd", DATA + 0xffc, 0, 6, DATA + 0xffc);
    ck_assert_uint_eq(guest_call2(m, "do_lw", DATA + 4, 0), 0); /* aligned: fine */
    guest_call2(m, "do_lb", DATA + 3, 0);
    ck_assert_int_eq(rasim_set_misaligned_traps(m, false), 0);
    ck_assert_uint_eq(guest_call2(m, "do_ld", DATA + 4, 0), 0);
    rasim_free(m);
}
END_TEST

START_TEST(access_faults_name_the_virtual_address)
{
    rasim_machine *m = guest_new("mem.o");
    expect_fault(m, "do_ld", 0x40000000, 0, 5, 0x40000000);
    expect_fault(m, "do_sb", 0x40000123, 0, 7, 0x40000123);
    /* Straddling the end of RAM: stval is the first byte that is absent,
     * and the store wrote nothing. */
    guest_write64(m, RAM_END - 8, 0x1111111111111111ull);
    expect_fault(m, "do_sd", RAM_END - 4, 0, 7, RAM_END);
    ck_assert_uint_eq(guest_read64(m, RAM_END - 8), 0x1111111111111111ull);
    expect_fault(m, "do_lw", RAM_END - 2, 0, 5, RAM_END);
    /* ROM: readable, a store is a store access fault. */
    ck_assert_int_eq(rasim_add_region(m, "rom", 0x90000000, 0x1000, RASIM_REGION_ROM), 0);
    uint64_t v = 0x5a5a;
    rasim_write_phys(m, 0x90000000, &v, 8); /* host placement may write ROM */
    ck_assert_uint_eq(guest_call2(m, "do_ld", 0x90000000, 0), 0x5a5a);
    expect_fault(m, "do_sw", 0x90000010, 1, 7, 0x90000010);
    rasim_free(m);
}
END_TEST

START_TEST(cache_block_operations)
{
    rasim_machine *m = guest_new("mem.o");
    guest_set(m, "priv", M); /* below M they need menvcfg: next test */
    for (uint64_t a = DATA; a < DATA + 256; a += 8)
        guest_write64(m, a, ~0ull);
    /* cbo.zero clears exactly the 64-byte block holding a0. */
    guest_call2(m, "do_cbo_zero", DATA + 64 + 17, 0);
    for (uint64_t a = DATA; a < DATA + 256; a += 8)
        ck_assert_uint_eq(guest_read64(m, a), (a >= DATA + 64 && a < DATA + 128) ? 0 : ~0ull);
    /* clean, flush, inval: no effect on memory. */
    guest_call2(m, "do_cbo_clean", DATA, 0);
    guest_call2(m, "do_cbo_flush", DATA + 8, 0);
    guest_call2(m, "do_cbo_inval", DATA + 200, 0);
    ck_assert_uint_eq(guest_read64(m, DATA), ~0ull);
    ck_assert_uint_eq(guest_read64(m, DATA + 192), ~0ull);
    /* No memory there: a store/AMO access fault naming rs1. */
    expect_fault(m, "do_cbo_clean", 0x40000010, 0, 7, 0x40000010);
    expect_fault(m, "do_cbo_inval", 0x40000010, 0, 7, 0x40000010);
    expect_fault(m, "do_cbo_zero", 0x40000021, 0, 7, 0x40000021);
    ck_assert_int_eq(rasim_add_region(m, "rom", 0x90000000, 0x1000, RASIM_REGION_ROM), 0);
    expect_fault(m, "do_cbo_zero", 0x90000040, 0, 7, 0x90000040);
    guest_call2(m, "do_cbo_flush", 0x90000040, 0); /* ROM can be flushed */
    rasim_free(m);
}
END_TEST

START_TEST(cache_block_operations_need_envcfg_below_m)
{
    rasim_machine *m = guest_new("mem.o");
    /* Reset: menvcfg = 0, so S-mode CBOs are illegal. */
    expect_fault(m, "do_cbo_zero", DATA, 0, 2, 0x0045200f);
    expect_fault(m, "do_cbo_clean", DATA, 0, 2, 0x0015200f);
    expect_fault(m, "do_cbo_inval", DATA, 0, 2, 0x0005200f);
    guest_set(m, "menvcfg", 0xd0); /* CBZE, CBCFE, CBIE = 01 */
    guest_call2(m, "do_cbo_zero", DATA, 0);
    guest_call2(m, "do_cbo_clean", DATA, 0);
    guest_call2(m, "do_cbo_inval", DATA, 0);
    /* U also needs senvcfg. */
    guest_set(m, "priv", U);
    expect_fault(m, "do_cbo_zero", DATA, 0, 2, 0x0045200f);
    guest_set(m, "priv", U);
    guest_set(m, "senvcfg", 0x80);
    guest_call2(m, "do_cbo_zero", DATA, 0);
    guest_set(m, "priv", U);
    expect_fault(m, "do_cbo_flush", DATA, 0, 2, 0x0025200f);
    /* M needs nothing. */
    guest_set(m, "menvcfg", 0);
    guest_set(m, "priv", M);
    guest_call2(m, "do_cbo_zero", DATA, 0);
    rasim_free(m);
}
END_TEST

START_TEST(code_writes_are_noticed)
{
    rasim_machine *m = guest_new("mem.o");
    uint64_t fn = guest_sym(m, "patchable");
    ck_assert_uint_eq(guest_call2(m, "patchable", 0, 0), 1);
    /* The guest rewrites decoded code without fence.i, and runs it. */
    ck_assert_uint_eq(guest_call2(m, "patch_and_call", fn, 0x00200513), 2); /* li a0, 2 */
    ck_assert_uint_eq(guest_call2(m, "patchable", 0, 0), 2);
    /* The host rewrites it between runs. */
    uint32_t li3 = 0x00300513;
    rasim_write_phys(m, fn, &li3, 4);
    ck_assert_uint_eq(guest_call2(m, "patchable", 0, 0), 3);
    /* A 32-bit instruction replaced by a compressed one plus another. */
    uint32_t c_li_4_and_ret = 0x80824511; /* c.li a0, 4; c.jr ra */
    rasim_write_phys(m, fn, &c_li_4_and_ret, 4);
    ck_assert_uint_eq(guest_call2(m, "patchable", 0, 0), 4);
    /* A loop rewriting its own next instruction. */
    ck_assert_uint_eq(guest_call2(m, "self_modifying_loop", 0, 0), 5);
    ck_assert_uint_eq(guest_call2(m, "self_modifying_loop", 0, 0), 6); /* already patched */
    guest_call2(m, "do_fence_i", 0, 0);
    ck_assert_uint_eq(guest_call2(m, "patchable", 0, 0), 4);
    rasim_free(m);
}
END_TEST

/* Decoded instructions are only trusted because every write to their
 * page is seen: by each kind of store, by part of an instruction, and by
 * a snapshot restore. */
START_TEST(code_writes_of_every_kind_are_noticed)
{
    rasim_machine *m = guest_new("mem.o");
    uint64_t fn = guest_sym(m, "patchable"), block = guest_sym(m, "block_code");
    ck_assert_uint_eq(guest_call2(m, "patchable", 0, 0), 1);
    /* The upper half of "li a0, 1" (0x00100513), by a halfword store. */
    guest_call2(m, "do_sh", fn + 2, 0x0030);
    ck_assert_uint_eq(guest_call2(m, "patchable", 0, 0), 3);
    /* A byte, a word, a doubleword (the same instruction and the ret). */
    guest_call2(m, "do_sb", fn + 2, 0x40);
    ck_assert_uint_eq(guest_call2(m, "patchable", 0, 0), 4);
    uint64_t ret = guest_read64(m, fn) >> 32;
    guest_call2(m, "do_sd", fn, ret << 32 | 0x00600513); /* li a0, 6 */
    ck_assert_uint_eq(guest_call2(m, "patchable", 0, 0), 6);
    guest_call2(m, "do_sw", fn, 0x00700513); /* li a0, 7 */
    ck_assert_uint_eq(guest_call2(m, "patchable", 0, 0), 7);
    /* An AMO, then cbo.zero (in M: no menvcfg needed): zeros are an
     * illegal instruction. */
    guest_set(m, "priv", M);
    ck_assert_uint_eq(guest_call2(m, "block_code", 0, 0), 5);
    ck_assert_uint_eq(guest_call2(m, "do_amoswap_w", block, 0x00800513), 0x00500513);
    ck_assert_uint_eq(guest_call2(m, "block_code", 0, 0), 8);
    guest_call2(m, "do_cbo_zero", block, 0);
    struct rasim_stop stop = call_stop(m, "block_code", 0, 0);
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXCEPTION);
    ck_assert_uint_eq(stop.syndrome, 2);
    ck_assert_uint_eq(stop.pc, block);
    /* Restoring a snapshot puts the decoded code back as well. */
    ck_assert_int_eq(rasim_snapshot(m), 0);
    ck_assert_uint_eq(guest_call2(m, "patch_and_call", fn, 0x00900513), 9); /* li a0, 9 */
    ck_assert_uint_ge(rasim_restore(m), 1);
    ck_assert_uint_eq(guest_call2(m, "patchable", 0, 0), 7);
    rasim_free(m);
}
END_TEST

START_TEST(fetch_at_page_and_memory_edges)
{
    rasim_machine *m = guest_new("mem.o");
    /* A compressed ret in the last two bytes of RAM: runs, and the next
     * page (absent) is never touched. */
    uint16_t c_ret = 0x8082;
    rasim_write_phys(m, RAM_END - 2, &c_ret, 2);
    guest_set(m, "pc", RAM_END - 2);
    guest_set(m, "ra", GUEST_SENTINEL);
    struct rasim_stop stop;
    rasim_run(m, 10, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    /* A 32-bit instruction across two RAM pages. */
    uint64_t at = DATA + 0x1000 - 2;
    uint32_t addi = 0x00150513; /* addi a0, a0, 1 */
    rasim_write_phys(m, at, &addi, 4);
    rasim_write_phys(m, at + 4, &c_ret, 2);
    guest_set(m, "a0", 41);
    guest_set(m, "pc", at);
    rasim_run(m, 10, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(guest_reg(m, "a0"), 42);
    /* Rewriting its second half is seen too. */
    uint16_t hi = 0x0075; /* upper half of addi a0, a0, 7 (0x00750513) */
    rasim_write_phys(m, at + 2, &hi, 2);
    guest_set(m, "pc", at);
    rasim_run(m, 10, &stop);
    ck_assert_uint_eq(guest_reg(m, "a0"), 49);
    rasim_free(m);
}
END_TEST

/* A device: 8 registers of 8 bytes, counting accesses. */
struct dev {
    uint64_t regs[8];
    int reads, writes;
};

static bool dev_read(void *ctx, uint64_t off, unsigned size, uint64_t *value)
{
    struct dev *d = ctx;
    if (off % 8 || size != 8 || off >= 64)
        return false;
    d->reads++;
    *value = d->regs[off / 8];
    return true;
}

static bool dev_write(void *ctx, uint64_t off, unsigned size, uint64_t value)
{
    struct dev *d = ctx;
    if (off % 8 || size != 8 || off >= 64)
        return false;
    d->writes++;
    d->regs[off / 8] = value;
    return true;
}

START_TEST(device_memory_takes_the_slow_path_every_time)
{
    rasim_machine *m = guest_new("mem.o");
    static struct dev dev;
    memset(&dev, 0, sizeof(dev));
    struct rasim_device d = {dev_read, dev_write, &dev};
    ck_assert_int_eq(rasim_add_device(m, "dev", 0x10000000, 0x1000, &d), 0);
    guest_call2(m, "do_sd", 0x10000008, 77);
    guest_call2(m, "do_sd", 0x10000008, 78);
    ck_assert_uint_eq(guest_call2(m, "do_ld", 0x10000008, 0), 78);
    ck_assert_uint_eq(guest_call2(m, "do_ld", 0x10000008, 0), 78);
    ck_assert_int_eq(dev.writes, 2);
    ck_assert_int_eq(dev.reads, 2);
    /* The device refuses a 4-byte access: an access fault. */
    expect_fault(m, "do_lw", 0x10000000, 0, 5, 0x10000000);
    rasim_free(m);
}
END_TEST

START_TEST(snapshot_restore_is_seen_by_the_fast_path)
{
    rasim_machine *m = guest_new("mem.o");
    guest_call2(m, "do_sd", DATA, 1);
    ck_assert_int_eq(rasim_snapshot(m), 0);
    guest_call2(m, "do_sd", DATA, 2); /* through the cached host pointer */
    ck_assert_uint_eq(guest_call2(m, "do_ld", DATA, 0), 2);
    ck_assert_uint_ge(rasim_restore(m), 1);
    ck_assert_uint_eq(guest_call2(m, "do_ld", DATA, 0), 1);
    guest_call2(m, "do_sd", DATA, 3); /* the page is dirty again */
    ck_assert_uint_ge(rasim_restore(m), 1);
    ck_assert_uint_eq(guest_read64(m, DATA), 1);
    rasim_free(m);
}
END_TEST

/* ---- HTIF ---- */

static rasim_machine *htif_machine(void)
{
    rasim_machine *m = guest_new("htif.o");
    ck_assert_int_eq(rasim_set_htif(m, guest_sym(m, "tohost"), guest_sym(m, "fromhost")), 0);
    guest_set(m, "priv", M);
    return m;
}

START_TEST(htif_pass_and_fail_end_the_run)
{
    rasim_machine *m = htif_machine();
    struct rasim_stop stop = guest_run_at(m, "htif_pass");
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXIT);
    ck_assert_uint_eq(stop.exit_code, 0);
    ck_assert_uint_eq(stop.insns, 4); /* li, auipc + addi (lla), and the sw that exits */
    ck_assert_uint_eq(guest_read64(m, guest_sym(m, "tohost")), 0); /* served and cleared */
    guest_set(m, "a0", 5);
    stop = guest_run_at(m, "htif_fail");
    ck_assert_int_eq(stop.reason, RASIM_STOP_EXIT);
    ck_assert_uint_eq(stop.exit_code, 5);
    /* Without HTIF the same stores are plain memory and the loop spins. */
    ck_assert_int_eq(rasim_set_htif(m, 0, 0), 0);
    guest_set(m, "a0", 5);
    guest_set(m, "ra", GUEST_SENTINEL);
    guest_set(m, "pc", guest_sym(m, "htif_fail"));
    rasim_run(m, 1000, &stop);
    ck_assert_int_eq(stop.reason, RASIM_STOP_BUDGET);
    ck_assert_uint_eq(guest_read64(m, guest_sym(m, "tohost")), 11);
    rasim_free(m);
}
END_TEST

START_TEST(htif_console_prints_characters)
{
    rasim_machine *m = htif_machine();
    const char *path = tu_tmp("htif-stdout");
    fflush(stdout);
    int saved = dup(1);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ck_assert_int_ge(fd, 0);
    dup2(fd, 1);
    close(fd);
    uint64_t n = guest_call2(m, "htif_puts", guest_sym(m, "hello"), 0);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    ck_assert_uint_eq(n, 12);
    size_t len;
    char *text = (char *)tu_read_file(path, &len);
    ck_assert_ptr_nonnull(text);
    ck_assert_uint_eq(len, 12);
    ck_assert(!memcmp(text, "hello, htif\n", 12));
    free(text);
    rasim_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rv64_mem");
    TCase *tc = tcase_create("mem");
    tcase_add_test(tc, loads_extend_by_kind);
    tcase_add_test(tc, compressed_loads_and_stores_reach_their_largest_offsets);
    tcase_add_test(tc, misaligned_accesses_are_performed_by_default);
    tcase_add_test(tc, misaligned_accesses_trap_when_configured);
    tcase_add_test(tc, access_faults_name_the_virtual_address);
    tcase_add_test(tc, cache_block_operations);
    tcase_add_test(tc, cache_block_operations_need_envcfg_below_m);
    tcase_add_test(tc, code_writes_are_noticed);
    tcase_add_test(tc, code_writes_of_every_kind_are_noticed);
    tcase_add_test(tc, fetch_at_page_and_memory_edges);
    tcase_add_test(tc, device_memory_takes_the_slow_path_every_time);
    tcase_add_test(tc, snapshot_restore_is_seen_by_the_fast_path);
    tcase_add_test(tc, htif_pass_and_fail_end_the_run);
    tcase_add_test(tc, htif_console_prints_characters);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
