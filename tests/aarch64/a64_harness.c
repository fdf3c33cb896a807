/* a64_harness.c - see a64_harness.h. */
#include "a64_harness.h"

#include <check.h>
#include <stdio.h>

rasim_machine *a64h_machine(const char *object)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", A64_GUEST_DIR, object);
    rasim_machine *m = rasim_new(RASIM_ARCH_AARCH64);
    ck_assert_ptr_nonnull(m);
    /* No kernel model: these suites check the interpreter's own stop record. */
    ck_assert_int_eq(rasim_set_profile(m, "none"), 0);
    struct rasim_load_options opt = {.base_set = true, .base = A64H_CODE};
    ck_assert_msg(rasim_load(m, path, &opt) >= 0, "%s", rasim_error(m));
    ck_assert_msg(rasim_add_region(m, "data", A64H_DATA, A64H_DATA_LEN, RASIM_REGION_RAM) == 0,
                  "%s", rasim_error(m));
    rasim_set_return_sentinel(m, A64H_SENTINEL);
    return m;
}

uint64_t a64h_sym(rasim_machine *m, const char *name)
{
    uint64_t va;
    ck_assert_msg(rasim_lookup_symbol(m, name, &va) == 0, "%s", rasim_error(m));
    return va;
}

uint64_t a64h_reg(rasim_machine *m, const char *name)
{
    uint64_t v;
    ck_assert_msg(rasim_get_reg(m, name, &v) == 0, "%s", rasim_error(m));
    return v;
}

void a64h_set(rasim_machine *m, const char *name, uint64_t value)
{
    ck_assert_msg(rasim_set_reg(m, name, value) == 0, "%s", rasim_error(m));
}

uint64_t a64h_call(rasim_machine *m, const char *sym, const uint64_t *args, unsigned nargs,
                   struct rasim_stop *stop)
{
    static const char *const xn[8] = {"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7"};
    struct rasim_stop local;
    for (unsigned i = 0; i < nargs && i < 8; i++)
        a64h_set(m, xn[i], args[i]);
    a64h_set(m, "lr", A64H_SENTINEL);
    a64h_set(m, "sp", A64H_STACK);
    a64h_set(m, "pc", a64h_sym(m, sym));
    ck_assert_int_eq(rasim_run(m, 100000000, stop ? stop : &local), 0);
    if (!stop)
        ck_assert_msg(local.reason == RASIM_STOP_RETURNED,
                      "%s: stopped (%s) at pc 0x%llx, esr 0x%llx far 0x%llx insn 0x%08x", sym,
                      rasim_stop_reason_name(local.reason), (unsigned long long)local.pc,
                      (unsigned long long)local.syndrome, (unsigned long long)local.fault_addr,
                      local.insn);
    return a64h_reg(m, "x0");
}

void a64h_write(rasim_machine *m, uint64_t pa, const void *buf, size_t len)
{
    ck_assert_msg(rasim_write_phys(m, pa, buf, len) == 0, "%s", rasim_error(m));
}

void a64h_read(rasim_machine *m, uint64_t pa, void *buf, size_t len)
{
    ck_assert_msg(rasim_read_phys(m, pa, buf, len) == 0, "%s", rasim_error(m));
}

uint64_t a64h_read64(rasim_machine *m, uint64_t pa)
{
    uint64_t v;
    a64h_read(m, pa, &v, 8);
    return v;
}

