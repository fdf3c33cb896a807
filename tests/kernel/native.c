/*
 * native.c - run the kernel's objects natively under qemu-user, and single
 * cases through the `rasim call` command line (see native.h).
 */
#include "native.h"
#include "test_util.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kn_run_native(const struct kn_target *t, struct kn_result *results)
{
    char cmd[8192], objs[4096] = "", *out, *err;
    for (size_t i = 0; i < t->nobjects; i++) {
        char copy[512];
        snprintf(copy, sizeof(copy), "%s", tu_tmp(t->objects[i]));
        snprintf(cmd, sizeof(cmd), "'%s' --prefix-symbols=kern_ '%s/%s/%s.o' '%s'",
                 LLVM_OBJCOPY, KERNEL_DIR, t->arch_dir, t->objects[i], copy);
        ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
        if (t->fix_object)
            t->fix_object(copy);
        size_t used = strlen(objs);
        snprintf(objs + used, sizeof(objs) - used, " '%s'", copy);
    }
    const char *exe = tu_tmp(t->driver);
    snprintf(cmd, sizeof(cmd), "%s -static -O1 -I'%s' '%s/%s.c'%s -o '%s'", t->cc,
             KERNEL_TEST_SRC, KERNEL_TEST_SRC, t->driver, objs, exe);
    ck_assert_msg(tu_run(cmd, &out, &err) == 0, "cross build failed: %s", err);
    free(out);
    free(err);
    snprintf(cmd, sizeof(cmd), "timeout 120 %s '%s'", t->qemu, exe);
    ck_assert_msg(tu_run(cmd, &out, &err) == 0, "%s failed: %s", t->qemu, err);
    unsigned count = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        unsigned i;
        unsigned long long ret, hash;
        ck_assert_int_eq(sscanf(line, "%u %llx %llx", &i, &ret, &hash), 3);
        ck_assert_uint_lt(i, t->ncases);
        results[i].ret = ret;
        results[i].hash = hash;
        count++;
    }
    ck_assert_uint_eq(count, t->ncases);
    free(out);
    free(err);
}

unsigned kn_args(struct kc_case c, struct kn_arg args[3])
{
    struct kn_arg dst = {KN_IN_DST, c.dst_off};
    struct kn_arg src = {c.overlap ? KN_IN_DST : KN_IN_SRC, c.src_off};
    struct kn_arg len = {KN_NUMBER, c.len};
    switch (c.routine) {
    case KC_MEMSET:
        args[0] = dst;
        args[1] = (struct kn_arg){KN_NUMBER, 0x5a};
        args[2] = len;
        return 3;
    case KC_CLEAR_USER:
        args[0] = dst;
        args[1] = len;
        return 2;
    case KC_CLEAR_PAGE:
        args[0] = dst;
        return 1;
    case KC_COPY_PAGE:
        args[0] = dst;
        args[1] = src;
        return 2;
    default:
        args[0] = dst;
        args[1] = src;
        args[2] = len;
        return 3;
    }
}

int kn_returns_pointer(enum kc_routine r)
{
    return r == KC_MEMCPY || r == KC_MEMSET || r == KC_MEMMOVE;
}

int kn_returns_nothing(enum kc_routine r)
{
    return r == KC_COPY_PAGE || r == KC_CLEAR_PAGE;
}

static void write_area(const char *path, uint8_t (*byte)(uint32_t))
{
    static uint8_t area[KC_AREA];
    for (uint32_t k = 0; k < KC_AREA; k++)
        area[k] = byte(k);
    ck_assert_int_eq(tu_write_file(path, area, KC_AREA), 0);
}

struct kn_result kn_call_cli(const struct kn_target *t, const char *object, const char *sym,
                             struct kc_case c)
{
    char dst_in[512], src_in[512], dst_out[512], src_out[512];
    snprintf(dst_in, sizeof(dst_in), "%s", tu_tmp("cli-dst-in"));
    snprintf(src_in, sizeof(src_in), "%s", tu_tmp("cli-src-in"));
    snprintf(dst_out, sizeof(dst_out), "%s", tu_tmp("cli-dst-out"));
    snprintf(src_out, sizeof(src_out), "%s", tu_tmp("cli-src-out"));
    write_area(dst_in, kc_dst_byte);
    write_area(src_in, kc_src_byte);

    char cmd[8192];
    int n = snprintf(cmd, sizeof(cmd),
                     "'%s' call '%s/%s/%s.o' --sym %s --buf dst=%u,file='%s' "
                     "--buf src=%u,file='%s' --save dst='%s' --save src='%s'",
                     RASIM_BIN, KERNEL_DIR, t->arch_dir, object, sym, KC_AREA, dst_in, KC_AREA,
                     src_in, dst_out, src_out);
    struct kn_arg args[3];
    unsigned nargs = kn_args(c, args);
    for (unsigned i = 0; i < nargs; i++) {
        static const char *const area[] = {"dst", "src"};
        if (args[i].kind == KN_NUMBER)
            n += snprintf(cmd + n, sizeof(cmd) - (size_t)n, " --arg %llu",
                          (unsigned long long)args[i].value);
        else
            n += snprintf(cmd + n, sizeof(cmd) - (size_t)n, " --arg %s+%llu",
                          area[args[i].kind], (unsigned long long)args[i].value);
    }
    char *out, *err;
    ck_assert_msg(tu_run(cmd, &out, &err) == 0, "%s\n%s%s", cmd, out, err);
    unsigned long long ret, insns;
    ck_assert_msg(sscanf(out, "ret=0x%llx\ninsns=%llu", &ret, &insns) == 2, "%s", out);
    ck_assert_int_eq(tu_count_lines(out), 2);
    free(out);
    free(err);

    /* Buffers are page aligned and every pointer-returning case has its
     * destination within the first page, so the offset is the low bits. */
    struct kn_result r = {ret, 0};
    if (kn_returns_pointer(c.routine))
        r.ret = ret & 0xfff;
    else if (kn_returns_nothing(c.routine))
        r.ret = 0;

    static uint8_t both[2 * KC_AREA];
    size_t dn, sn;
    uint8_t *d = tu_read_file(dst_out, &dn), *s = tu_read_file(src_out, &sn);
    ck_assert(d && s && dn == KC_AREA && sn == KC_AREA);
    memcpy(both, d, KC_AREA);
    memcpy(both + KC_AREA, s, KC_AREA);
    free(d);
    free(s);
    r.hash = kc_hash(both, sizeof(both));
    return r;
}

#define AREAS    0x90000000ull
#define STACK    0x90100000ull
#define SENTINEL 0x7ffff000ull

static rasim_machine *load_all(const struct kn_target *t)
{
    rasim_machine *m = rasim_new(t->arch);
    ck_assert_ptr_nonnull(m);
    for (size_t i = 0; i < t->nobjects; i++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/%s/%s.o", KERNEL_DIR, t->arch_dir, t->objects[i]);
        struct rasim_load_options opt = {.base_set = true, .base = 0x80000000ull + i * 0x10000};
        ck_assert_msg(rasim_load(m, path, &opt) >= 0, "%s", rasim_error(m));
    }
    ck_assert_int_eq(rasim_add_region(m, "areas", AREAS, 2 * KC_AREA, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "stack", STACK, 0x10000, RASIM_REGION_RAM), 0);
    rasim_set_return_sentinel(m, SENTINEL);
    return m;
}

/* Case c through the C API, at EL1 / in S-mode as in the kernel. */
static struct kn_result call_api(rasim_machine *m, const struct kn_target *t, struct kc_case c,
                                 uint64_t *insns)
{
    static const char *const a64[] = {"x0", "x1", "x2", "lr"};
    static const char *const rv[] = {"a0", "a1", "a2", "ra"};
    const char *const *reg = t->arch == RASIM_ARCH_AARCH64 ? a64 : rv;
    static uint8_t init[2 * KC_AREA], now[2 * KC_AREA];
    for (uint32_t k = 0; k < KC_AREA; k++) {
        init[k] = kc_dst_byte(k);
        init[KC_AREA + k] = kc_src_byte(k);
    }
    ck_assert_int_eq(rasim_write_phys(m, AREAS, init, sizeof(init)), 0);

    uint64_t entry;
    ck_assert_int_eq(rasim_lookup_symbol(m, t->symbols[c.routine], &entry), 0);
    struct kn_arg args[3];
    unsigned nargs = kn_args(c, args);
    for (unsigned i = 0; i < nargs; i++) {
        uint64_t v = args[i].value;
        if (args[i].kind == KN_IN_DST)
            v += AREAS;
        else if (args[i].kind == KN_IN_SRC)
            v += AREAS + KC_AREA;
        ck_assert_int_eq(rasim_set_reg(m, reg[i], v), 0);
    }
    ck_assert_int_eq(rasim_set_reg(m, reg[3], SENTINEL), 0);
    ck_assert_int_eq(rasim_set_reg(m, "sp", STACK + 0x10000), 0);
    if (t->arch == RASIM_ARCH_RV64)
        ck_assert_int_eq(rasim_set_reg(m, "priv", 1), 0);
    ck_assert_int_eq(rasim_set_reg(m, "pc", entry), 0);

    struct rasim_stop stop;
    rasim_run(m, 10000000, &stop);
    char what[512];
    rasim_stop_describe(m, &stop, what, sizeof(what));
    ck_assert_msg(stop.reason == RASIM_STOP_RETURNED, "%s len %u: %s", t->symbols[c.routine],
                  c.len, what);
    *insns += stop.insns;

    struct kn_result r = {0, 0};
    ck_assert_int_eq(rasim_get_reg(m, reg[0], &r.ret), 0);
    if (kn_returns_pointer(c.routine))
        r.ret -= AREAS;
    else if (kn_returns_nothing(c.routine))
        r.ret = 0;
    ck_assert_int_eq(rasim_read_phys(m, AREAS, now, sizeof(now)), 0);
    r.hash = kc_hash(now, sizeof(now));
    return r;
}

static void expect_same(const struct kn_target *t, unsigned i, const char *how,
                        struct kn_result got, struct kn_result want)
{
    struct kc_case c = kc_case(i);
    ck_assert_msg(got.ret == want.ret && got.hash == want.hash,
                  "case %u: %s(dst+%u, %s+%u, %u) %s: ret 0x%llx, %s 0x%llx; memory %s", i,
                  t->symbols[c.routine], c.dst_off, c.overlap ? "dst" : "src", c.src_off, c.len,
                  how, (unsigned long long)got.ret, t->qemu, (unsigned long long)want.ret,
                  got.hash == want.hash ? "equal" : "differs");
}

void kn_compare(const struct kn_target *t, unsigned cli_every)
{
    struct kn_result *native = calloc(t->ncases, sizeof(*native));
    ck_assert_ptr_nonnull(native);
    kn_run_native(t, native);

    rasim_machine *m = load_all(t);
    uint64_t insns = 0;
    unsigned cli_calls = 0;
    for (unsigned i = 0; i < t->ncases; i++) {
        struct kc_case c = kc_case(i);
        expect_same(t, i, "in rasim", call_api(m, t, c, &insns), native[i]);
        if (i % cli_every == 0 || i >= KC_NCASES) {
            struct kn_result r =
                kn_call_cli(t, t->symbol_objects[c.routine], t->symbols[c.routine], c);
            expect_same(t, i, "by rasim call", r, native[i]);
            cli_calls++;
        }
    }
    fprintf(stderr,
            "kernel %s lib: %u calls (%llu instructions) and %u through rasim call, all equal "
            "to %s\n",
            t->arch_dir, t->ncases, (unsigned long long)insns, cli_calls, t->qemu);
    rasim_free(m);
    free(native);
}
