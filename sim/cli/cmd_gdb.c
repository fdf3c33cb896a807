/*
 * cmd_gdb.c - `rasim gdb FILE --port N [call options]`: the routine set up
 * as `rasim call` sets it up, one gdb served over TCP on 127.0.0.1
 * (rasim_gdb_serve), then the result printed as `rasim call` prints it.
 * cli_gdb_session() is also what `rasim run --gdb N` serves a scenario's
 * run with.
 */
#include "sim/cli/call_setup.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* What gdb needs to see the symbols of each loaded ELF file where rasim
 * placed it: an add-symbol-file line with every section's address. */
static void symbol_hints(rasim_machine *m)
{
    for (size_t i = 0; i < rasim_image_count(m); i++) {
        struct rasim_image_info info;
        if (rasim_image_info(m, i, &info) < 0 || !strcmp(info.kind, "image"))
            continue; /* a raw image has no ELF symbols for gdb */
        char path[PATH_MAX];
        if (!realpath(info.path, path))
            snprintf(path, sizeof(path), "%s", info.path);
        fprintf(stderr, "rasim: symbols for gdb: add-symbol-file %s", path);
        for (size_t k = 0; k < info.nsections; k++) {
            struct rasim_section s;
            if (rasim_image_section(m, i, k, &s) == 0 && s.size)
                fprintf(stderr, " -s %s 0x%llx", s.name, (unsigned long long)s.va);
        }
        fputc('\n', stderr);
    }
}

int cli_gdb_session(rasim_machine *m, unsigned port, uint64_t max_insns, struct rasim_stop *stop,
                    int *end)
{
    int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (ls < 0)
        return cli_error("gdb: socket: %s", strerror(errno));
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof(a);
    if (bind(ls, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(ls, 1) < 0 ||
        getsockname(ls, (struct sockaddr *)&a, &alen) < 0) {
        int e = errno;
        close(ls);
        return cli_error("gdb: cannot listen on 127.0.0.1:%u: %s", port, strerror(e));
    }
    symbol_hints(m);
    fprintf(stderr, "listening on 127.0.0.1:%u\n", ntohs(a.sin_port));
    fflush(stderr);
    int fd;
    while ((fd = accept(ls, NULL, NULL)) < 0 && errno == EINTR)
        ;
    int e = errno;
    close(ls);
    if (fd < 0)
        return cli_error("gdb: accept: %s", strerror(e));
    /* Packets are small and answered one by one: no Nagle delays. */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    *end = rasim_gdb_serve(m, fd, max_insns, stop);
    close(fd);
    if (*end < 0)
        return cli_error("gdb: cannot serve: %s", rasim_error(m));
    return 0;
}

int cli_parse_port(const char *text, unsigned *port)
{
    uint64_t v;
    if (!cli_parse_u64("--port", text, &v))
        return EXIT_BAD_INPUT;
    if (v > 65535)
        return cli_error("--port: %s is not a TCP port (0 picks a free one)", text);
    *port = (unsigned)v;
    return 0;
}

int cmd_gdb(int argc, char **argv)
{
    struct call c;
    call_init(&c);
    rasim_machine *m = NULL;
    int rc = EXIT_BAD_INPUT, end;
    unsigned port = 0;
    bool have_port = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--port")) {
            const char *v = cli_value(argc, argv, &i);
            if (!v || cli_parse_port(v, &port))
                goto out;
            have_port = true;
        } else if (call_arg(&c, "gdb", argc, argv, &i) < 0) {
            goto out;
        }
    }
    if (!have_port) {
        cli_error("gdb: --port N is required (0 picks a free port)");
        goto out;
    }
    if (!(m = call_prepare(&c)))
        goto out;
    struct rasim_stop stop;
    if ((rc = cli_gdb_session(m, port, c.max_insns, &stop, &end)))
        goto out;
    if ((rc = call_trace_stop(m, &c)) || (rc = call_save_buffers(m, &c)))
        goto out;
    if (end == RASIM_GDB_KILLED) {
        char where[160];
        rasim_describe(m, stop.pc, where, sizeof(where));
        printf("killed from gdb at %s\ninsns=%llu\n", where, (unsigned long long)stop.insns);
    } else {
        call_report(m, &stop);
    }
    rc = 0; /* gdb was served: how the routine ended is in the output */
out:
    rasim_free(m);
    call_free(&c);
    return rc;
}
