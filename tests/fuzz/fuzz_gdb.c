/*
 * fuzz_gdb.c - libFuzzer harness: any bytes as what gdb sends to the gdb
 * server (rasim_gdb_serve), over a socketpair, to a small RV64 routine with
 * poison on its source. The server must answer or drop every packet, and
 * end when the bytes do. Seeds: tests/fuzz/seeds/fuzz_gdb (sessions of
 * well-formed packets).
 */
#include "rasim.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CODE 0x80000000ull
#define SRC  0x80001000ull
#define DST  0x80002000ull

/* A byte-copy loop (a0 = dst, a1 = src, a2 = count) whose source is
 * poisoned half-way: stops, signals and a return to reach. */
static rasim_machine *machine(void)
{
    static const uint32_t code[] = {
        0x00060e63, /* loop: beqz a2, done */
        0x00058283, /*       lb t0, 0(a1) */
        0x00550023, /*       sb t0, 0(a0) */
        0x00150513, /*       addi a0, a0, 1 */
        0x00158593, /*       addi a1, a1, 1 */
        0xfff60613, /*       addi a2, a2, -1 */
        0xfe9ff06f, /*       j loop */
        0x00008067, /* done: ret */
    };
    rasim_machine *m = rasim_new(RASIM_ARCH_RV64);
    if (!m || rasim_add_region(m, "ram", CODE, 0x3000, RASIM_REGION_RAM) < 0 ||
        rasim_write_phys(m, CODE, code, sizeof(code)) < 0)
        abort();
    struct rasim_poison p = {.pa = SRC + 0x40, .len = 1, .granule = 64};
    rasim_poison(m, &p);
    rasim_set_return_sentinel(m, 0x7ffff000);
    rasim_set_reg(m, "ra", 0x7ffff000);
    rasim_set_reg(m, "a0", DST);
    rasim_set_reg(m, "a1", SRC);
    rasim_set_reg(m, "a2", 0x80);
    rasim_set_reg(m, "pc", CODE);
    return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int sv[2], big = 1 << 22;
    if (size > (1u << 20) || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        return 0;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
    setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
    setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
    /* All of gdb's side first, then its end: the server reads to EOF. Its
     * replies go unread; a reply that does not fit ends the session
     * (non-blocking), which the server must take as gdb going away. */
    for (size_t done = 0; done < size;) {
        ssize_t k = send(sv[0], data + done, size - done, MSG_NOSIGNAL);
        if (k <= 0)
            break;
        done += (size_t)k;
    }
    shutdown(sv[0], SHUT_WR);
    fcntl(sv[1], F_SETFL, O_NONBLOCK);
    rasim_machine *m = machine();
    struct rasim_stop stop;
    int end = rasim_gdb_serve(m, sv[1], 20000, &stop);
    if (end < 0 || stop.insns > 20000)
        abort();
    rasim_free(m);
    close(sv[0]);
    close(sv[1]);
    return 0;
}
