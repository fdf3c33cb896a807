/*
 * qemu_poison_plugin.c - a TCG plugin for qemu-user that checks every guest
 * memory access against a poison bitmap, the way one would make QEMU find
 * poison consumption: one callback per access, one bit per 64-byte line.
 *
 *   qemu-ARCH -plugin ./libbench_qemu_poison.so,base=0x..,size=0x..,poison=0x..,out=FILE
 *       [,count_lo=0x..,count_hi=0x..] [,trace=1]
 *
 * base/size: the guest range the bitmap covers; poison=: a poisoned line
 * (repeatable); out=: where to write "accesses N reads N writes N hits N
 * insns N" at exit. With count_lo/count_hi the plugin instead counts the
 * instructions executed in [count_lo, count_hi) with inline adds (no memory
 * callbacks): the harness uses that to check qemu runs the workloads with
 * the same instruction count as rasim. With trace=1 it instead calls back
 * on every instruction executed and records its address in a ring (what an
 * execution-log plugin does, minus the printing): the peer of rasim's
 * tracing and of Unicorn's code hook; "insns" counts those callbacks.
 *
 * Debian ships no qemu-plugin.h, so the few declarations needed are written
 * out here, as the plugin API has them at version 1 (QEMU_PLUGIN_VERSION 1,
 * what QEMU 7.2 implements; Debian bookworm's qemu-user is 7.2):
 * - signatures: include/qemu/qemu-plugin.h of qemu.git at version 1:
 *   qemu_plugin_install and qemu_info_t, qemu_plugin_register_vcpu_tb_trans_cb,
 *   qemu_plugin_tb_n_insns/_vaddr/_get_insn, qemu_plugin_register_vcpu_mem_cb
 *   with qemu_plugin_vcpu_mem_cb_t (vcpu, meminfo as uint32_t, guest vaddr,
 *   userdata), qemu_plugin_mem_is_store, qemu_plugin_mem_size_shift,
 *   qemu_plugin_register_vcpu_tb_exec_inline,
 *   qemu_plugin_register_vcpu_insn_exec_cb with qemu_plugin_vcpu_udata_cb_t
 *   (vcpu, userdata), qemu_plugin_insn_vaddr,
 *   qemu_plugin_register_atexit_cb, and the qemu_plugin_version symbol;
 * - the exports: every name of plugins/qemu-plugins.symbols at version 1
 *   (the list the qemu-plugin-sys crate keeps as qemu_plugin_api_v1.def)
 *   is exported by Debian's /usr/bin/qemu-aarch64 1:7.2+dfsg-7 (`nm -D`),
 *   which exports no other API name;
 * - and QEMU 7.2 loads it: its loader refuses a plugin whose
 *   qemu_plugin_version is outside [min, cur].
 * qemu_plugin_get_hwaddr() returns NULL in user mode, so the vaddr given to
 * the callback is the address checked.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- QEMU 7.2 plugin API (version 1), as declared by qemu-plugin.h ---- */

#define QEMU_PLUGIN_EXPORT  __attribute__((visibility("default")))
#define QEMU_PLUGIN_VERSION 1

typedef uint64_t qemu_plugin_id_t;
typedef uint32_t qemu_plugin_meminfo_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;

typedef struct qemu_info_t {
    const char *target_name;
    struct {
        int min;
        int cur;
    } version;
    bool system_emulation;
    union {
        struct {
            int smp_vcpus;
            int max_vcpus;
        } system;
    };
} qemu_info_t;

enum qemu_plugin_cb_flags {
    QEMU_PLUGIN_CB_NO_REGS,
    QEMU_PLUGIN_CB_R_REGS,
    QEMU_PLUGIN_CB_RW_REGS,
};

enum qemu_plugin_mem_rw {
    QEMU_PLUGIN_MEM_R = 1,
    QEMU_PLUGIN_MEM_W,
    QEMU_PLUGIN_MEM_RW,
};

enum qemu_plugin_op {
    QEMU_PLUGIN_INLINE_ADD_U64,
};

typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_mem_cb_t)(unsigned int vcpu_index, qemu_plugin_meminfo_t info,
                                          uint64_t vaddr, void *userdata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
void qemu_plugin_register_vcpu_mem_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_mem_cb_t cb,
                                      enum qemu_plugin_cb_flags flags, enum qemu_plugin_mem_rw rw,
                                      void *userdata);
bool qemu_plugin_mem_is_store(qemu_plugin_meminfo_t info);
unsigned int qemu_plugin_mem_size_shift(qemu_plugin_meminfo_t info);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op,
                                              void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
                                            qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);

QEMU_PLUGIN_EXPORT extern int qemu_plugin_version;
QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
                                           char **argv);

/* ---- the plugin -------------------------------------------------------- */

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define LINE_SHIFT 6

static uint64_t base, size;
static uint64_t *bitmap; /* one bit per line of [base, base + size) */
static uint64_t reads, writes, hits;
static uint64_t count_lo, count_hi, insns;
static bool counting, tracing;
static uint64_t ring[4096]; /* tracing: the last addresses executed */
static char *out_path;

static bool poisoned(uint64_t va)
{
    uint64_t off = va - base;
    if (off >= size)
        return false;
    uint64_t line = off >> LINE_SHIFT;
    return (bitmap[line / 64] >> (line % 64)) & 1;
}

static void on_access(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void *udata)
{
    uint64_t last = vaddr + (1u << qemu_plugin_mem_size_shift(info)) - 1;
    if (qemu_plugin_mem_is_store(info))
        writes++;
    else
        reads++;
    if (poisoned(vaddr) || poisoned(last))
        hits++;
}

static void on_insn(unsigned int vcpu, void *udata)
{
    ring[insns++ % 4096] = (uint64_t)(uintptr_t)udata;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    size_t n = qemu_plugin_tb_n_insns(tb);
    if (tracing) {
        for (size_t i = 0; i < n; i++) {
            struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_insn, QEMU_PLUGIN_CB_NO_REGS,
                                                   (void *)(uintptr_t)qemu_plugin_insn_vaddr(insn));
        }
        return;
    }
    if (counting) {
        /* A TB ends at a branch, so one that starts in the range stays in it
         * (the workloads are whole functions, entered by call, left by ret). */
        uint64_t va = qemu_plugin_tb_vaddr(tb);
        if (va >= count_lo && va < count_hi)
            qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &insns, n);
        return;
    }
    for (size_t i = 0; i < n; i++)
        qemu_plugin_register_vcpu_mem_cb(qemu_plugin_tb_get_insn(tb, i), on_access,
                                         QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_MEM_RW, NULL);
}

static void at_exit(qemu_plugin_id_t id, void *udata)
{
    FILE *f = fopen(out_path, "w");
    if (!f)
        return;
    fprintf(f,
            "accesses %" PRIu64 " reads %" PRIu64 " writes %" PRIu64 " hits %" PRIu64
            " insns %" PRIu64 "\n",
            reads + writes, reads, writes, hits, insns);
    fclose(f);
}

static bool arg_u64(const char *arg, const char *key, uint64_t *v)
{
    size_t k = strlen(key);
    if (strncmp(arg, key, k) || arg[k] != '=')
        return false;
    *v = strtoull(arg + k + 1, NULL, 0);
    return true;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
                                           char **argv)
{
    uint64_t poison[64];
    unsigned npoison = 0;
    for (int i = 0; i < argc; i++) {
        uint64_t v;
        if (arg_u64(argv[i], "base", &base) || arg_u64(argv[i], "size", &size) ||
            arg_u64(argv[i], "count_lo", &count_lo) || arg_u64(argv[i], "count_hi", &count_hi))
            continue;
        if (arg_u64(argv[i], "poison", &v) && npoison < 64) {
            poison[npoison++] = v;
            continue;
        }
        if (!strcmp(argv[i], "trace=1")) {
            tracing = true;
            continue;
        }
        if (!strncmp(argv[i], "out=", 4)) {
            out_path = strdup(argv[i] + 4);
            continue;
        }
        fprintf(stderr, "bench poison plugin: unknown argument '%s'\n", argv[i]);
        return -1;
    }
    if (!out_path || (!size && !count_hi && !tracing)) {
        fprintf(stderr, "bench poison plugin: needs out= and base=/size=, count_lo=/count_hi= "
                        "or trace=1\n");
        return -1;
    }
    counting = count_hi > count_lo;
    uint64_t lines = (size >> LINE_SHIFT) + 1;
    bitmap = calloc(lines / 64 + 1, sizeof(*bitmap));
    if (!bitmap)
        return -1;
    for (unsigned i = 0; i < npoison; i++) {
        if (poison[i] - base >= size)
            continue;
        uint64_t line = (poison[i] - base) >> LINE_SHIFT;
        bitmap[line / 64] |= 1ull << (line % 64);
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, at_exit, NULL);
    return 0;
}
