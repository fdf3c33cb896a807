/*
 * engine_qemu.c - the workloads on qemu-user (Debian qemu-user: qemu-aarch64,
 * qemu-riscv64), as the static user program bench-ARCH.elf: one process
 * per run, the time measured inside the guest around the workload (see
 * guest/user.c), so qemu's start-up is not counted against it.
 *
 * QEMU_POISON adds the TCG plugin qemu_poison_plugin.c, which checks every
 * load and store against a poison bitmap covering the program's memory,
 * with one line of bench_poison_page poisoned (no workload touches it).
 * QEMU_INSN runs the same plugin in its trace mode: a callback on every
 * instruction executed, recording its address (the peer of rasim's traces).
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

const char *qemu_binary[NARCHES] = {"qemu-aarch64", "qemu-riscv64"};
const char *qemu_plugin_path;
const char *scratch_dir = ".";

/* Run argv, capturing its standard output; the exit status in *status. */
static int capture(char *const argv[], char *out, size_t outlen, int *status)
{
    int fd[2];
    if (pipe(fd) < 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    posix_spawn_file_actions_addclose(&fa, fd[1]);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (rc != 0) {
        close(fd[0]);
        errno = rc;
        return -1;
    }
    size_t len = 0;
    for (;;) {
        ssize_t got = read(fd[0], out + len, outlen - 1 - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        len += (size_t)got;
        if (len == outlen - 1)
            break;
    }
    out[len] = 0;
    close(fd[0]);
    while (waitpid(pid, status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

static void plugin_out_path(char *buf, size_t len)
{
    snprintf(buf, len, "%s/qemu-plugin-%ld.txt", scratch_dir, (long)getpid());
}

/* Run the program under qemu, with a plugin spec or none. */
static int run_qemu(const struct guest *g, enum bench_workload w, uint64_t n, const char *plugin,
                    struct run_result *r, char *err, size_t errlen)
{
    char count[32], out[512];
    snprintf(count, sizeof(count), "%" PRIu64, n);
    char *argv[8];
    int k = 0;
    argv[k++] = (char *)qemu_binary[g->arch];
    if (plugin) {
        argv[k++] = "-plugin";
        argv[k++] = (char *)plugin;
    }
    argv[k++] = (char *)g->path;
    argv[k++] = (char *)workload_arg[w];
    argv[k++] = count;
    if (bench_cpu_clock)
        argv[k++] = "cpu"; /* the guest times itself with the process CPU clock */
    argv[k] = NULL;
    int status;
    if (capture(argv, out, sizeof(out), &status) < 0) {
        snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(errno));
        return -1;
    }
    unsigned long long ns, result;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
        sscanf(out, "ns %llu result %llx", &ns, &result) != 2) {
        snprintf(err, errlen, "%s %s %s %s: exit status 0x%x, output '%.100s'", argv[0], g->path,
                 workload_arg[w], count, status, out);
        return -1;
    }
    r->seconds = (double)ns / 1e9;
    r->result = result;
    return 0;
}

static int read_plugin_report(const char *path, struct run_result *r, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    unsigned long long acc, rd, wr, hits, insns;
    int got = f ? fscanf(f, "accesses %llu reads %llu writes %llu hits %llu insns %llu", &acc, &rd,
                         &wr, &hits, &insns)
                : 0;
    if (f)
        fclose(f);
    remove(path);
    if (got != 5) {
        snprintf(err, errlen, "the poison plugin wrote no report to %s", path);
        return -1;
    }
    r->accesses = acc;
    r->hits = hits;
    r->insns = insns;
    return 0;
}

int qemu_bench_run(const struct engine *e, const struct guest *g, enum bench_workload w, uint64_t n,
                   struct run_result *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof(*r));
    if (e->variant == QEMU_PLAIN)
        return run_qemu(g, w, n, NULL, r, err, errlen);
    char path[400], spec[1024];
    plugin_out_path(path, sizeof(path));
    if (e->variant == QEMU_INSN) {
        snprintf(spec, sizeof(spec), "%s,trace=1,out=%s", qemu_plugin_path, path);
        if (run_qemu(g, w, n, spec, r, err, errlen) < 0 ||
            read_plugin_report(path, r, err, errlen) < 0)
            return -1;
        if (!r->insns) {
            snprintf(err, errlen, "the per-instruction plugin saw no instruction");
            return -1;
        }
        r->insns = 0; /* the whole program's, startup included: not the workload's count */
        return 0;
    }
    /* The bitmap covers the whole program image, code to the end of .bss. */
    uint64_t base = g->seg[0].va;
    snprintf(spec, sizeof(spec),
             "%s,base=0x%" PRIx64 ",size=0x%" PRIx64 ",poison=0x%" PRIx64 ",out=%s",
             qemu_plugin_path, base, g->data_hi - base, g->poison_page + POISON_OFFSET, path);
    if (run_qemu(g, w, n, spec, r, err, errlen) < 0 || read_plugin_report(path, r, err, errlen) < 0)
        return -1;
    r->insns = 0;
    if (r->hits) {
        snprintf(err, errlen, "the poison plugin saw %" PRIu64 " poisoned accesses", r->hits);
        return -1;
    }
    if (n && !r->accesses) {
        snprintf(err, errlen, "the poison plugin saw no memory access at all");
        return -1;
    }
    return 0;
}

int qemu_count(const struct guest *g, enum bench_workload w, uint64_t n, uint64_t *insns, char *err,
               size_t errlen)
{
    char path[400], spec[1024];
    plugin_out_path(path, sizeof(path));
    snprintf(spec, sizeof(spec), "%s,count_lo=0x%" PRIx64 ",count_hi=0x%" PRIx64 ",out=%s",
             qemu_plugin_path, g->text_lo, g->text_hi, path);
    struct run_result r;
    memset(&r, 0, sizeof(r));
    if (run_qemu(g, w, n, spec, &r, err, errlen) < 0 ||
        read_plugin_report(path, &r, err, errlen) < 0)
        return -1;
    *insns = r.insns;
    return 0;
}

bool qemu_available(const struct engine *e, const struct guest *g, char *why, size_t len)
{
    char out[256];
    int status;
    char *argv[] = {(char *)qemu_binary[g->arch], "--version", NULL};
    if (capture(argv, out, sizeof(out), &status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
        snprintf(why, len, "%s not found (Debian package qemu-user)", qemu_binary[g->arch]);
        return false;
    }
    if (e->variant != QEMU_PLAIN && (!qemu_plugin_path || access(qemu_plugin_path, R_OK))) {
        snprintf(why, len, "the plugin was not built");
        return false;
    }
    return true;
}
