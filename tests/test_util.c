/* test_util.c - small helpers shared by the Check suites. */
#include "test_util.h"

#include <check.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

uint8_t *tu_read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n + 1 : 1);
    if (buf && n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n > 0 ? n : 0] = 0;
        *size = n > 0 ? (size_t)n : 0;
    }
    return buf;
}

char *tu_read_text(const char *path)
{
    size_t n;
    char *s = (char *)tu_read_file(path, &n);
    ck_assert_msg(s != NULL, "cannot read %s", path);
    return s;
}

int tu_write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = fwrite(data, 1, size, f);
    fclose(f);
    return n == size ? 0 : -1;
}

const char *tu_tmp(const char *name)
{
    static char buf[8][512];
    static int next;
    char *p = buf[next++ % 8];
    snprintf(p, 512, "%s/%d-%s", TEST_TMP, (int)getpid(), name);
    return p;
}

const char *tu_example(const char *arch, const char *name)
{
    static char buf[8][512];
    static int next;
    char *p = buf[next++ % 8];
    snprintf(p, 512, "%s/%s/%s.o", EXAMPLES_DIR, arch, name);
    return p;
}

static char *slurp(const char *path)
{
    size_t n;
    char *s = (char *)tu_read_file(path, &n);
    return s ? s : calloc(1, 1);
}

int tu_run(const char *cmd, char **out, char **err)
{
    char outp[600], errp[600], full[4096];
    snprintf(outp, sizeof(outp), "%s", tu_tmp("stdout"));
    snprintf(errp, sizeof(errp), "%s", tu_tmp("stderr"));
    snprintf(full, sizeof(full), "%s >'%s' 2>'%s' </dev/null", cmd, outp, errp);
    int st = system(full);
    if (out)
        *out = slurp(outp);
    if (err)
        *err = slurp(errp);
    unlink(outp);
    unlink(errp);
    if (st == -1 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

uint64_t tu_env_u64(const char *name, uint64_t dflt)
{
    const char *s = getenv(name);
    if (!s || !*s)
        return dflt;
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    return *end ? dflt : (uint64_t)v;
}

int tu_rasim(const char *args, char **out, char **err)
{
    char cmd[4096];
    snprintf(cmd, sizeof(cmd), "'%s' %s", RASIM_BIN, args);
    return tu_run(cmd, out, err);
}

char *tu_rasim_ok(const char *args)
{
    char *out, *err;
    int rc = tu_rasim(args, &out, &err);
    ck_assert_msg(rc == 0, "rasim %s: exit %d: %s", args, rc, err);
    ck_assert_str_eq(err, "");
    free(err);
    return out;
}

int tu_count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        if (*s == '\n')
            n++;
    return n;
}

int tu_main(Suite *suite)
{
    SRunner *sr = srunner_create(suite);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
