/*
 * test_gdb_server.c - rasim_gdb_serve at the protocol level, over a
 * socketpair with the server in a thread: framing (checksums, NAKs, acks
 * and no-ack mode, packets too long), qSupported and the target
 * descriptions read in pieces, registers (g/G, p/P), memory by virtual
 * address (m/M, X with escaped bytes, partial reads, through page tables
 * without consuming poison), stepping, continuing, breakpoints and the
 * three kinds of watchpoint, ^C, the stops a poisoned load, an oops, a
 * fault and the budget make, detach and kill; and packets gdb never sends
 * (unknown, malformed, random) answered without harm. tests/test_gdb.c
 * runs gdb-multiarch itself.
 */
#include "test_util.h"

#include "rasim.h"

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define SRC      0x90000000ull
#define DST      0x90010000ull
#define STACK    0x90100000ull
#define SENTINEL 0x7ffff000ull
#define LEN      256u
#define LOOP     0x91000000ull /* a page of RAM for hand-written code */

/* ---- a machine to serve ------------------------------------------------ */

static uint8_t pattern(unsigned i)
{
    return (uint8_t)(i * 7 + 1);
}

/* rasim_memcpy_mc(DST, SRC, LEN) ready to run, profile riscv-copy-mc. */
static rasim_machine *rv_machine(void)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/rv64/memcpy_mc.o", EXAMPLES_DIR);
    rasim_machine *m = rasim_new(RASIM_ARCH_RV64);
    ck_assert_int_eq(rasim_set_profile(m, "riscv-copy-mc"), 0);
    struct rasim_load_options opt = {.base_set = true, .base = 0x80000000ull};
    ck_assert_msg(rasim_load(m, path, &opt) >= 0, "%s", rasim_error(m));
    ck_assert_int_eq(rasim_add_region(m, "src", SRC, 0x1000, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "dst", DST, 0x1000, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "stack", STACK, 0x1000, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "code", LOOP, 0x1000, RASIM_REGION_RAM), 0);
    uint8_t bytes[LEN];
    for (unsigned i = 0; i < LEN; i++)
        bytes[i] = pattern(i);
    ck_assert_int_eq(rasim_write_phys(m, SRC, bytes, LEN), 0);
    uint64_t entry;
    ck_assert_int_eq(rasim_lookup_symbol(m, "rasim_memcpy_mc", &entry), 0);
    rasim_set_return_sentinel(m, SENTINEL);
    rasim_set_reg(m, "a0", DST);
    rasim_set_reg(m, "a1", SRC);
    rasim_set_reg(m, "a2", LEN);
    rasim_set_reg(m, "ra", SENTINEL);
    rasim_set_reg(m, "sp", STACK + 0x1000);
    rasim_set_reg(m, "priv", 1);
    rasim_set_reg(m, "pc", entry);
    return m;
}

/* rasim_copy_mc_page(DST, SRC) on arm64, at EL1. */
static rasim_machine *a64_machine(const char *profile)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/aarch64/copy_mc_page.o", EXAMPLES_DIR);
    rasim_machine *m = rasim_new(RASIM_ARCH_AARCH64);
    ck_assert_int_eq(rasim_set_profile(m, profile), 0);
    struct rasim_load_options opt = {.base_set = true, .base = 0x40080000ull};
    ck_assert_msg(rasim_load(m, path, &opt) >= 0, "%s", rasim_error(m));
    ck_assert_int_eq(rasim_add_region(m, "src", SRC, 0x1000, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "dst", DST, 0x1000, RASIM_REGION_RAM), 0);
    ck_assert_int_eq(rasim_add_region(m, "stack", STACK, 0x1000, RASIM_REGION_RAM), 0);
    uint8_t bytes[0x1000];
    for (unsigned i = 0; i < sizeof(bytes); i++)
        bytes[i] = pattern(i);
    ck_assert_int_eq(rasim_write_phys(m, SRC, bytes, sizeof(bytes)), 0);
    uint64_t entry;
    ck_assert_int_eq(rasim_lookup_symbol(m, "rasim_copy_mc_page", &entry), 0);
    rasim_set_return_sentinel(m, SENTINEL);
    rasim_set_reg(m, "x0", DST);
    rasim_set_reg(m, "x1", SRC);
    rasim_set_reg(m, "cpsr", 0x3c5);
    rasim_set_reg(m, "sp", STACK + 0x1000);
    rasim_set_reg(m, "lr", SENTINEL);
    rasim_set_reg(m, "pc", entry);
    return m;
}

static uint64_t reg(rasim_machine *m, const char *name)
{
    uint64_t v = 0;
    ck_assert_msg(rasim_get_reg(m, name, &v) == 0, "%s", name);
    return v;
}

static unsigned insn_size(rasim_machine *m, uint64_t va)
{
    struct rasim_insn_text t;
    ck_assert_int_eq(rasim_disasm(m, va, &t), 0);
    return t.size;
}

/* ---- a client ------------------------------------------------------------ */

struct session {
    rasim_machine *m;
    int fd, server_fd;
    uint64_t max_insns;
    pthread_t thread;
    int end;
    struct rasim_stop stop;
    bool noack;
    char reply[0x10000];
    size_t reply_len;
    char console[8192]; /* O packets, decoded */
};

static void *serve(void *arg)
{
    struct session *s = arg;
    s->end = rasim_gdb_serve(s->m, s->server_fd, s->max_insns, &s->stop);
    return NULL;
}

static struct session *start(rasim_machine *m, uint64_t max_insns)
{
    struct session *s = calloc(1, sizeof(*s));
    int sv[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    struct timeval tv = {.tv_sec = 20};
    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    s->m = m;
    s->fd = sv[0];
    s->server_fd = sv[1];
    s->max_insns = max_insns;
    s->end = -2;
    ck_assert_int_eq(pthread_create(&s->thread, NULL, serve, s), 0);
    return s;
}

/* Close our end (if still open) and wait for the server. */
static int finish(struct session *s)
{
    if (s->fd >= 0)
        close(s->fd);
    pthread_join(s->thread, NULL);
    close(s->server_fd);
    int end = s->end;
    return end;
}

static void send_raw(struct session *s, const void *data, size_t n)
{
    ck_assert_int_eq(send(s->fd, data, n, MSG_NOSIGNAL), (ssize_t)n);
}

static int recv_byte(struct session *s)
{
    unsigned char c;
    ssize_t k = recv(s->fd, &c, 1, 0);
    ck_assert_msg(k == 1, "the server sent nothing (connection closed or timed out)");
    return c;
}

static void frame(char *out, size_t cap, const char *payload, size_t n)
{
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (unsigned char)payload[i];
    ck_assert_uint_lt(n + 5, cap);
    out[0] = '$';
    memcpy(out + 1, payload, n);
    snprintf(out + 1 + n, 4, "#%02x", sum & 0xff);
}

/* Send a packet; in ack mode, the server's '+' or '-'. */
static int send_packet_n(struct session *s, const char *payload, size_t n)
{
    static char buf[0x20000];
    frame(buf, sizeof(buf), payload, n);
    send_raw(s, buf, n + 4);
    return s->noack ? '+' : recv_byte(s);
}

static int send_packet(struct session *s, const char *payload)
{
    return send_packet_n(s, payload, strlen(payload));
}

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The next packet that is not console output, into s->reply (escapes
 * removed), acknowledged; O packets are decoded into s->console. */
static const char *recv_packet(struct session *s)
{
    for (;;) {
        int c;
        while ((c = recv_byte(s)) != '$')
            ck_assert_msg(c == '+' || c == '-', "stray byte 0x%02x", c);
        size_t n = 0;
        unsigned sum = 0;
        bool esc = false;
        while ((c = recv_byte(s)) != '#') {
            sum += (unsigned)c;
            ck_assert_uint_lt(n, sizeof(s->reply) - 1);
            if (esc) {
                s->reply[n++] = (char)(c ^ 0x20);
                esc = false;
            } else if (c == '}') {
                esc = true;
            } else {
                ck_assert_msg(c != '*', "run-length encoding is not expected");
                s->reply[n++] = (char)c;
            }
        }
        int h = hexval(recv_byte(s)), l = hexval(recv_byte(s));
        ck_assert_msg(h >= 0 && l >= 0 && (unsigned)(h << 4 | l) == (sum & 0xff),
                      "bad checksum from the server");
        if (!s->noack)
            send_raw(s, "+", 1);
        s->reply[n] = '\0';
        s->reply_len = n;
        if (s->reply[0] == 'O' && n > 1 && n % 2 == 1) {
            size_t used = strlen(s->console);
            for (size_t i = 1; i + 1 < n && used + 1 < sizeof(s->console); i += 2)
                s->console[used++] = (char)(hexval(s->reply[i]) << 4 | hexval(s->reply[i + 1]));
            s->console[used] = '\0';
            continue;
        }
        return s->reply;
    }
}

/* One exchange: the reply. */
static const char *ask(struct session *s, const char *payload)
{
    ck_assert_int_eq(send_packet(s, payload), '+');
    return recv_packet(s);
}

static void expect(struct session *s, const char *payload, const char *want)
{
    const char *got = ask(s, payload);
    ck_assert_msg(!strcmp(got, want), "%s: got '%s', want '%s'", payload, got, want);
}

static void expect_prefix(struct session *s, const char *payload, const char *want)
{
    const char *got = ask(s, payload);
    ck_assert_msg(!strncmp(got, want, strlen(want)), "%s: got '%s', want '%s...'", payload, got,
                  want);
}

static uint64_t le_hex(const char *s, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned b = 0; b < bytes; b++)
        v |= (uint64_t)(hexval(s[2 * b]) << 4 | hexval(s[2 * b + 1])) << (8 * b);
    return v;
}

/* Little-endian hex digits into out, without a terminator. */
static void put_le_hex(char *out, uint64_t v, unsigned bytes)
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned b = 0; b < bytes; b++) {
        out[2 * b] = digits[(v >> (8 * b + 4)) & 15];
        out[2 * b + 1] = digits[(v >> (8 * b)) & 15];
    }
}

/* The whole target description, read in pieces of `piece` bytes. */
static char *target_xml(struct session *s, unsigned piece)
{
    char *xml = calloc(1, 1 << 20);
    size_t len = 0;
    for (;;) {
        char q[128];
        snprintf(q, sizeof(q), "qXfer:features:read:target.xml:%zx,%x", len, piece);
        const char *r = ask(s, q);
        ck_assert_msg(r[0] == 'm' || r[0] == 'l', "%s: %s", q, r);
        ck_assert_uint_le(s->reply_len - 1, piece);
        memcpy(xml + len, r + 1, s->reply_len - 1);
        len += s->reply_len - 1;
        if (r[0] == 'l')
            return xml;
        ck_assert_uint_eq(s->reply_len - 1, piece); /* 'm': more follows, a full piece */
    }
}

/* The regnum the description gives a register. */
static int regnum(const char *xml, const char *name)
{
    char key[64];
    snprintf(key, sizeof(key), "name=\"%s\"", name);
    const char *p = strstr(xml, key);
    ck_assert_msg(p != NULL, "no register %s", name);
    const char *n = strstr(p, "regnum=\"");
    ck_assert_ptr_nonnull(n);
    return atoi(n + 8);
}

/* ---- framing --------------------------------------------------------------- */

START_TEST(packets_are_checked_acknowledged_and_limited)
{
    struct session *s = start(rv_machine(), 1000000);
    /* Noise before a packet is ignored; a bad checksum is refused with '-'
     * and answers nothing; sent again correctly, the packet is answered. */
    send_raw(s, "+++xyz", 6);
    send_raw(s, "$?#00", 5);
    ck_assert_int_eq(recv_byte(s), '-');
    expect(s, "?", "T05thread:1;");
    /* Longer than the PacketSize we announce: refused, and the server goes on. */
    char *big = malloc(0x5000);
    memset(big, 'q', 0x5000);
    ck_assert_int_eq(send_packet_n(s, big, 0x5000), '-');
    free(big);
    expect(s, "?", "T05thread:1;");
    /* A '-' for our reply makes the server send it again. */
    ck_assert_int_eq(send_packet(s, "qC"), '+');
    char framed[16];
    frame(framed, sizeof(framed), "QC1", 3);
    char got[16] = {0};
    for (unsigned i = 0; i < strlen(framed); i++)
        got[i] = (char)recv_byte(s);
    ck_assert_str_eq(got, framed);
    send_raw(s, "-", 1);
    ck_assert_str_eq(recv_packet(s), "QC1");
    /* No-ack mode: no '+' either way afterwards. */
    expect(s, "QStartNoAckMode", "OK");
    s->noack = true;
    expect(s, "qC", "QC1");
    ck_assert_int_eq(send_packet(s, "?"), '+');
    ck_assert_int_eq(recv_byte(s), '$'); /* the reply itself, no ack first */
    while (recv_byte(s) != '#')
        ;
    recv_byte(s);
    recv_byte(s);
    send_raw(s, "$?#00", 5); /* a bad checksum is dropped silently now */
    expect(s, "qfThreadInfo", "m1");
    ck_assert_int_eq(finish(s), RASIM_GDB_DETACHED);
    rasim_free(s->m);
    free(s);
}
END_TEST

START_TEST(qsupported_and_the_riscv_target_description)
{
    struct session *s = start(rv_machine(), 1000000);
    const char *r = ask(s, "qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+");
    ck_assert_ptr_nonnull(strstr(r, "PacketSize=4000"));
    ck_assert_ptr_nonnull(strstr(r, "qXfer:features:read+"));
    ck_assert_ptr_nonnull(strstr(r, "swbreak+"));
    ck_assert_ptr_nonnull(strstr(r, "hwbreak+"));
    char *whole = target_xml(s, 0x3000), *pieces = target_xml(s, 97);
    ck_assert_str_eq(whole, pieces);
    ck_assert_ptr_nonnull(strstr(whole, "<architecture>riscv:rv64</architecture>"));
    ck_assert_ptr_nonnull(strstr(whole, "<feature name=\"org.gnu.gdb.riscv.cpu\">"));
    ck_assert_ptr_nonnull(strstr(whole, "<feature name=\"org.gnu.gdb.riscv.csr\">"));
    ck_assert_ptr_nonnull(strstr(whole, "<feature name=\"org.gnu.gdb.riscv.virtual\">"));
    ck_assert_int_eq(regnum(whole, "zero"), 0);
    ck_assert_int_eq(regnum(whole, "a0"), 10);
    ck_assert_int_eq(regnum(whole, "t6"), 31);
    ck_assert_int_eq(regnum(whole, "pc"), 32);
    /* Every register rasim models is there, once. */
    for (int i = 0; i < rasim_reg_count(s->m); i++) {
        const char *name = rasim_reg_name(s->m, i);
        if (!name)
            continue;
        char key[64];
        snprintf(key, sizeof(key), "name=\"%s\"", name);
        const char *at = strstr(whole, key);
        ck_assert_msg(at != NULL, "%s missing", name);
        ck_assert_msg(strstr(at + 1, key) == NULL, "%s twice", name);
    }
    /* Well-formed XML. */
    const char *path = tu_tmp("target.xml");
    ck_assert_int_eq(tu_write_file(path, whole, strlen(whole)), 0);
    char cmd[700], *out, *err;
    snprintf(cmd, sizeof(cmd), "xmllint --noout '%s'", path);
    ck_assert_msg(tu_run(cmd, &out, &err) == 0, "%s", err);
    free(out);
    free(err);
    /* The end exactly: an empty last piece; past it, or another annex: errors. */
    char q[128];
    snprintf(q, sizeof(q), "qXfer:features:read:target.xml:%zx,10", strlen(whole));
    expect(s, q, "l");
    snprintf(q, sizeof(q), "qXfer:features:read:target.xml:%zx,10", strlen(whole) + 1);
    expect_prefix(s, q, "E");
    expect_prefix(s, "qXfer:features:read:other.xml:0,100", "E");
    free(whole);
    free(pieces);
    ck_assert_int_eq(finish(s), RASIM_GDB_DETACHED);
    rasim_free(s->m);
    free(s);
}
END_TEST

/* ---- registers ----------------------------------------------------------- */

START_TEST(registers_read_and_written_with_g_G_p_P)
{
    rasim_machine *m = rv_machine();
    struct session *s = start(m, 1000000);
    char *xml = target_xml(s, 0x3000);
    char g[33 * 16 + 1];
    snprintf(g, sizeof(g), "%s", ask(s, "g"));
    ck_assert_uint_eq(strlen(g), 33 * 16);
    ck_assert_uint_eq(le_hex(g + 10 * 16, 8), DST);
    ck_assert_uint_eq(le_hex(g + 11 * 16, 8), SRC);
    ck_assert_uint_eq(le_hex(g + 12 * 16, 8), LEN);
    ck_assert_uint_eq(le_hex(g + 32 * 16, 8), reg(m, "pc"));
    /* G with a3 and t6 changed writes those, and nothing else. */
    put_le_hex(g + 13 * 16, 0x1122334455667788ull, 8);
    put_le_hex(g + 31 * 16, 0xabcdefull, 8);
    char G[sizeof(g) + 1] = "G";
    strcat(G, g);
    expect(s, G, "OK");
    ck_assert_uint_eq(reg(m, "a3"), 0x1122334455667788ull);
    ck_assert_uint_eq(reg(m, "t6"), 0xabcdefull);
    ck_assert_uint_eq(reg(m, "a0"), DST);
    G[strlen(G) - 1] = '\0'; /* one digit short */
    expect_prefix(s, G, "E");
    expect_prefix(s, "Gzz", "E");
    /* p and P, by the description's numbers: a CSR, priv, pc. */
    char q[64], want[17];
    int sscratch = regnum(xml, "sscratch"), priv = regnum(xml, "priv");
    snprintf(q, sizeof(q), "P%x=efbeadde00000000", sscratch);
    expect(s, q, "OK");
    ck_assert_uint_eq(reg(m, "sscratch"), 0xdeadbeefull);
    snprintf(q, sizeof(q), "p%x", sscratch);
    expect(s, q, "efbeadde00000000");
    snprintf(q, sizeof(q), "p%x", priv);
    expect(s, q, "0100000000000000");
    put_le_hex(want, reg(m, "pc"), 8);
    want[16] = '\0';
    expect(s, "p20", want);
    snprintf(q, sizeof(q), "p%x", rasim_reg_count(m) + 100);
    expect_prefix(s, q, "E");
    expect_prefix(s, "P20=12", "E");
    expect_prefix(s, "P20", "E");
    expect_prefix(s, "p", "E");
    free(xml);
    ck_assert_int_eq(finish(s), RASIM_GDB_DETACHED);
    rasim_free(m);
    free(s);
}
END_TEST

/* ---- memory ------------------------------------------------------------- */

START_TEST(memory_by_virtual_address_with_m_M_X)
{
    rasim_machine *m = rv_machine();
    struct session *s = start(m, 1000000);
    char q[256], want[64] = "";
    for (unsigned i = 0; i < 8; i++)
        snprintf(want + 2 * i, 3, "%02x", pattern(i));
    snprintf(q, sizeof(q), "m%llx,8", (unsigned long long)SRC);
    expect(s, q, want);
    snprintf(q, sizeof(q), "M%llx,4:a1b2c3d4", (unsigned long long)DST + 4);
    expect(s, q, "OK");
    uint8_t back[8];
    ck_assert_int_eq(rasim_read_phys(m, DST + 4, back, 4), 0);
    ck_assert_uint_eq(back[0], 0xa1);
    ck_assert_uint_eq(back[3], 0xd4);
    /* X: the bytes the protocol reserves travel escaped. */
    static const uint8_t raw[8] = {0x23, 0x24, 0x7d, 0x2a, 0x00, 0xff, 0x03, 0x41};
    char xp[64];
    int n = snprintf(xp, sizeof(xp), "X%llx,8:", (unsigned long long)DST + 0x20);
    for (unsigned i = 0; i < 8; i++) {
        if (raw[i] == 0x23 || raw[i] == 0x24 || raw[i] == 0x7d || raw[i] == 0x2a) {
            xp[n++] = '}';
            xp[n++] = (char)(raw[i] ^ 0x20);
        } else {
            xp[n++] = (char)raw[i];
        }
    }
    ck_assert_int_eq(send_packet_n(s, xp, (size_t)n), '+');
    ck_assert_str_eq(recv_packet(s), "OK");
    ck_assert_int_eq(rasim_read_phys(m, DST + 0x20, back, 8), 0);
    ck_assert_mem_eq(back, raw, 8);
    snprintf(q, sizeof(q), "X%llx,0:", (unsigned long long)DST); /* gdb's probe */
    expect(s, q, "OK");
    snprintf(q, sizeof(q), "X%llx,2:}", (unsigned long long)DST); /* escape cut short */
    expect_prefix(s, q, "E");
    snprintf(q, sizeof(q), "X%llx,4:ab", (unsigned long long)DST); /* fewer bytes */
    expect_prefix(s, q, "E");
    /* Nothing there: an error; up to the end of a region: what is there. */
    expect_prefix(s, "m10,4", "E");
    snprintf(q, sizeof(q), "m%llx,8", (unsigned long long)SRC + 0x1000 - 3);
    ck_assert_uint_eq(strlen(ask(s, q)), 6);
    expect_prefix(s, "M10,1:00", "E");
    expect_prefix(s, "m", "E");
    expect_prefix(s, "mzz,1", "E");
    expect_prefix(s, "M1,2:zz", "E");
    expect_prefix(s, "M1,2:00", "E"); /* one byte for two */

    /* Through page tables (Sv39): VA 0xffffffc000000000 is SRC's page, the
     * tables in the code page, the leaf table poisoned: gdb's reads consume
     * nothing. */
    uint64_t va = 0xffffffc000000000ull, l2 = 0x92000000ull, l1 = 0x92001000ull, l0 = 0x92002000ull;
    ck_assert_int_eq(rasim_add_region(m, "tables", l2, 0x3000, RASIM_REGION_RAM), 0);
    uint64_t e2 = (l1 >> 12) << 10 | 1, e1 = (l0 >> 12) << 10 | 1,
             e0 = (SRC >> 12) << 10 | 0x3; /* V R, A clear */
    ck_assert_int_eq(rasim_write_phys(m, l2 + ((va >> 30) & 511) * 8, &e2, 8), 0);
    ck_assert_int_eq(rasim_write_phys(m, l1 + ((va >> 21) & 511) * 8, &e1, 8), 0);
    ck_assert_int_eq(rasim_write_phys(m, l0 + ((va >> 12) & 511) * 8, &e0, 8), 0);
    struct rasim_poison p = {.pa = l0, .len = 0x1000, .granule = 4096};
    ck_assert_int_eq(rasim_poison(m, &p), 0);
    rasim_set_reg(m, "satp", 8ull << 60 | l2 >> 12);
    snprintf(q, sizeof(q), "m%llx,8", (unsigned long long)va);
    expect(s, q, want);
    snprintf(q, sizeof(q), "m%llx,8", (unsigned long long)SRC); /* not mapped now */
    expect_prefix(s, q, "E");
    ck_assert_uint_eq(rasim_error_log_count(m), 0);
    uint64_t leaf;
    ck_assert_int_eq(rasim_read_phys(m, l0 + ((va >> 12) & 511) * 8, &leaf, 8), 0);
    ck_assert_uint_eq(leaf, e0); /* A still clear */
    ck_assert_int_eq(finish(s), RASIM_GDB_DETACHED);
    rasim_free(m);
    free(s);
}
END_TEST

/* ---- what gdb never sends -------------------------------------------------- */

START_TEST(unknown_and_malformed_packets_are_answered_without_harm)
{
    rasim_machine *m = rv_machine();
    struct session *s = start(m, 1000000);
    static const char *const unknown[] = {"qFooBar",   "vFooBar",  "vMustReplyEmpty",
                                          "!",         "qOffsets", "qTStatus",
                                          "Z9,1000,4", "jfoo",     "QNonStop:1"};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(*unknown); i++)
        expect(s, unknown[i], "");
    static const char *const bad[] = {"",
                                      "m",
                                      "m1",
                                      "m1,",
                                      "M",
                                      "X",
                                      "X1",
                                      "p1g",
                                      "Pzz=1",
                                      "Z0",
                                      "Z0,",
                                      "Z0,1000",
                                      "z2,1,0",
                                      "Z2,90000000,0",
                                      "c zz",
                                      "Czz",
                                      "C05;zz",
                                      "vCont",
                                      "vCont;x",
                                      "vCont;Czz",
                                      "qXfer:features:read:target.xml:",
                                      "qXfer:features:read:",
                                      "G",
                                      "H"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
        ask(s, bad[i]); /* some reply, any */
    /* Random bytes, framed: still alive, and the machine did not move. */
    uint64_t pc = reg(m, "pc"), x = 0x9e3779b97f4a7c15ull;
    char junk[64];
    for (int i = 0; i < 500; i++) {
        size_t n = 1 + (size_t)(x % 40);
        for (size_t k = 0; k < n; k++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            junk[k] = (char)(x & 0x7f);
            if (junk[k] == '$' || junk[k] == '#' || junk[k] == '}' || junk[k] == 3 ||
                (k == 0 && (!junk[0] || strchr("cCsSDkvZzGMXPQ", junk[0]))))
                junk[k] = 'q'; /* no framing by chance; no resume, detach, kill or write */
        }
        ck_assert_int_eq(send_packet_n(s, junk, n), '+');
        recv_packet(s);
    }
    expect(s, "?", "T05thread:1;");
    ck_assert_uint_eq(reg(m, "pc"), pc);
    ck_assert_int_eq(finish(s), RASIM_GDB_DETACHED);
    rasim_free(m);
    free(s);
}
END_TEST

/* ---- running ----------------------------------------------------------- */

START_TEST(step_continue_breakpoints_and_watchpoints)
{
    rasim_machine *m = rv_machine();
    uint64_t entry = reg(m, "pc");
    struct session *s = start(m, 1000000);
    expect(s, "?", "T05thread:1;");
    expect(s, "vCont?", "vCont;c;C;s;S");
    expect(s, "s", "T05thread:1;");
    uint64_t second = entry + insn_size(m, entry);
    ck_assert_uint_eq(reg(m, "pc"), second);
    expect(s, "vCont;s:1", "T05thread:1;");
    uint64_t third = second + insn_size(m, second);
    ck_assert_uint_eq(reg(m, "pc"), third);
    /* A breakpoint further on stops before its instruction. */
    uint64_t bp = third + insn_size(m, third);
    bp += insn_size(m, bp);
    char q[128];
    snprintf(q, sizeof(q), "Z0,%llx,2", (unsigned long long)bp);
    expect(s, q, "OK");
    expect(s, q, "OK"); /* twice is harmless */
    expect(s, "vCont;c:1", "T05thread:1;swbreak:;");
    ck_assert_uint_eq(reg(m, "pc"), bp);
    snprintf(q, sizeof(q), "z0,%llx,2", (unsigned long long)bp);
    expect(s, q, "OK");
    /* Watchpoints stop after the access, with its address. */
    snprintf(q, sizeof(q), "Z2,%llx,1", (unsigned long long)DST + 0x41);
    expect(s, q, "OK");
    snprintf(q, sizeof(q), "T05thread:1;watch:%llx;", (unsigned long long)DST + 0x41);
    expect(s, "c", q);
    uint8_t b;
    ck_assert_int_eq(rasim_read_phys(m, DST + 0x41, &b, 1), 0);
    ck_assert_uint_eq(b, pattern(0x41));
    snprintf(q, sizeof(q), "z2,%llx,1", (unsigned long long)DST + 0x41);
    expect(s, q, "OK");
    expect_prefix(s, q, "E"); /* not there any more */
    snprintf(q, sizeof(q), "Z3,%llx,2", (unsigned long long)SRC + 0xf0);
    expect(s, q, "OK");
    snprintf(q, sizeof(q), "T05thread:1;rwatch:%llx;", (unsigned long long)SRC + 0xf0);
    expect(s, "c", q);
    snprintf(q, sizeof(q), "z3,%llx,2", (unsigned long long)SRC + 0xf0);
    expect(s, q, "OK");
    snprintf(q, sizeof(q), "Z4,%llx,1", (unsigned long long)DST + 0xf8);
    expect(s, q, "OK");
    snprintf(q, sizeof(q), "T05thread:1;awatch:%llx;", (unsigned long long)DST + 0xf8);
    expect(s, "c", q);
    snprintf(q, sizeof(q), "z4,%llx,1", (unsigned long long)DST + 0xf8);
    expect(s, q, "OK");
    /* To the end: the return value on the console, its low byte in W. */
    expect(s, "c", "W00");
    ck_assert_msg(strstr(s->console, "rasim: returned 0x0 after") != NULL, "%s", s->console);
    expect(s, "c", "W00");      /* still exited */
    expect_prefix(s, "g", "E"); /* no process */
    expect(s, "?", "W00");
    expect(s, "D", "OK");
    ck_assert_int_eq(finish(s), RASIM_GDB_ENDED);
    ck_assert_int_eq(s->stop.reason, RASIM_STOP_RETURNED);
    ck_assert_int_eq(rasim_remove_watchpoint(m, DST + 0xf8, 1, 3, false), -1); /* cleaned up */
    uint8_t dst[LEN];
    ck_assert_int_eq(rasim_read_phys(m, DST, dst, LEN), 0);
    for (unsigned i = 0; i < LEN; i++)
        ck_assert_uint_eq(dst[i], pattern(i));
    rasim_free(m);
    free(s);
}
END_TEST

START_TEST(interrupt_a_continue_then_kill)
{
    rasim_machine *m = rv_machine();
    uint32_t loop = 0x0000006f; /* j . */
    ck_assert_int_eq(rasim_write_phys(m, LOOP, &loop, 4), 0);
    rasim_set_reg(m, "pc", LOOP);
    struct session *s = start(m, 1ull << 40);
    ck_assert_int_eq(send_packet(s, "c"), '+');
    usleep(100000);
    send_raw(s, "\003", 1);
    ck_assert_str_eq(recv_packet(s), "T02thread:1;");
    ck_assert_uint_eq(reg(m, "pc"), LOOP);
    ck_assert_int_eq(send_packet(s, "vCont;c:1"), '+');
    usleep(50000);
    send_raw(s, "\003", 1);
    ck_assert_str_eq(recv_packet(s), "T02thread:1;");
    ck_assert_int_eq(send_packet(s, "k"), '+');
    ck_assert_int_eq(finish(s), RASIM_GDB_KILLED);
    ck_assert_uint_gt(s->stop.insns, 0);
    ck_assert_uint_eq(s->stop.pc, LOOP);
    rasim_free(m);
    free(s);
}
END_TEST

/* The run goes in slices of 100000 instructions; a slice that ends with
 * the PC on a breakpoint must stop there, not start the next slice by
 * stepping over it. The loop below reaches LOOP+8 after exactly 100000. */
START_TEST(a_breakpoint_where_a_slice_ends_still_stops)
{
    rasim_machine *m = rv_machine();
    static const uint32_t code[] = {
        0xfff28293, /* loop: addi t0, t0, -1 */
        0xfe029ee3, /*       bnez t0, loop */
        0x00130313, /*       addi t1, t1, 1 */
        0x0000006f, /* here: j here */
    };
    ck_assert_int_eq(rasim_write_phys(m, LOOP, code, sizeof(code)), 0);
    rasim_set_reg(m, "pc", LOOP);
    rasim_set_reg(m, "t0", 50000);
    struct session *s = start(m, 200000);
    char q[64];
    snprintf(q, sizeof(q), "Z0,%llx,4", (unsigned long long)LOOP + 8);
    expect(s, q, "OK");
    expect(s, "c", "T05thread:1;swbreak:;");
    ck_assert_uint_eq(reg(m, "pc"), LOOP + 8);
    ck_assert_uint_eq(reg(m, "t1"), 0);
    ck_assert_int_eq(send_packet(s, "k"), '+');
    ck_assert_int_eq(finish(s), RASIM_GDB_KILLED);
    ck_assert_uint_eq(s->stop.insns, 100000);
    rasim_free(m);
    free(s);
}
END_TEST

START_TEST(poison_stops_with_sigbus_before_the_kernel_model)
{
    /* Where the load is, and what the run returns, from a run without gdb. */
    struct rasim_poison p = {.pa = SRC + 0x80, .len = 1, .kind = RASIM_POISON_PERSISTENT};
    rasim_machine *ref = rv_machine();
    ck_assert_int_eq(rasim_poison(ref, &p), 0);
    struct rasim_stop st;
    rasim_run(ref, 100000, &st);
    ck_assert_int_eq(st.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(rasim_fixup_count(ref), 1);
    uint64_t load = rasim_fixup_get(ref, 0)->insn;
    rasim_free(ref);

    rasim_machine *m = rv_machine();
    ck_assert_int_eq(rasim_poison(m, &p), 0);
    struct session *s = start(m, 100000);
    expect(s, "c", "T0athread:1;"); /* gdb's SIGBUS */
    ck_assert_uint_eq(reg(m, "pc"), load);
    ck_assert_msg(strstr(s->console, "poison consumed by a read at VA 0x90000080") != NULL, "%s",
                  s->console);
    ck_assert_uint_eq(rasim_fixup_count(m), 0);
    /* signal 0: dropped; the load runs again and stops again. */
    s->console[0] = '\0';
    expect(s, "c", "T0athread:1;");
    ck_assert_uint_eq(reg(m, "pc"), load);
    ck_assert_uint_eq(rasim_error_log_count(m), 2);
    /* Continued with the signal: the kernel model fixes it up; the routine
     * returns the bytes not copied. */
    expect(s, "vCont;C0a:1", "W80");
    ck_assert_msg(strstr(s->console, "rasim: returned 0x80") != NULL, "%s", s->console);
    ck_assert_int_eq(send_packet(s, "k"), '+');
    ck_assert_int_eq(finish(s), RASIM_GDB_KILLED);
    ck_assert_uint_eq(rasim_fixup_count(m), 1);
    rasim_free(m);
    free(s);

    /* A step with the signal delivers it and stops at the fixup. */
    m = rv_machine();
    ck_assert_int_eq(rasim_poison(m, &p), 0);
    s = start(m, 100000);
    expect(s, "c", "T0athread:1;");
    expect(s, "S0a", "T05thread:1;");
    ck_assert_uint_eq(rasim_fixup_count(m), 1);
    ck_assert_uint_eq(reg(m, "pc"), rasim_fixup_get(m, 0)->fixup);
    ck_assert_int_eq(finish(s), RASIM_GDB_DETACHED); /* gone: the run finishes */
    ck_assert_int_eq(s->stop.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(reg(m, "a0"), LEN - 0x80);
    rasim_free(m);
    free(s);
}
END_TEST

START_TEST(oopses_faults_and_the_budget_end_the_run)
{
    /* No kernel model: the poisoned load ends the run; after the SIGBUS
     * stop the run is over (X). */
    struct rasim_poison p = {.pa = SRC + 0x80, .len = 1, .kind = RASIM_POISON_PERSISTENT};
    rasim_machine *m = rv_machine();
    ck_assert_int_eq(rasim_set_profile(m, "none"), 0);
    ck_assert_int_eq(rasim_poison(m, &p), 0);
    struct session *s = start(m, 100000);
    expect(s, "c", "T0athread:1;");
    expect(s, "C0a", "X0a");
    ck_assert_int_eq(send_packet(s, "k"), '+');
    ck_assert_int_eq(finish(s), RASIM_GDB_KILLED);
    rasim_free(m);
    free(s);

    /* arm64 under linux-6.1: the kernel dies of the SEA - after the SIGBUS
     * stop, delivering it terminates the program at once. */
    m = a64_machine("linux-6.1");
    p.pa = SRC + 0x1c0;
    ck_assert_int_eq(rasim_poison(m, &p), 0);
    s = start(m, 100000);
    expect(s, "c", "T0athread:1;");
    expect(s, "vCont;C0a:1", "X0a");
    ck_assert_msg(strstr(s->console, "oops:") != NULL, "%s", s->console);
    expect(s, "D", "OK");
    ck_assert_int_eq(finish(s), RASIM_GDB_ENDED);
    ck_assert_int_eq(s->stop.reason, RASIM_STOP_OOPS);
    rasim_free(m);
    free(s);

    /* A load from nothing: SIGSEGV; an undefined instruction: SIGILL;
     * EBREAK: SIGTRAP. */
    static const struct {
        uint32_t word;
        const char *reply;
    } cases[] = {{0x00003283, "T0bthread:1;"}, /* ld t0, 0(zero) */
                 {0x00000000, "T04thread:1;"},
                 {0x00100073, "T05thread:1;"}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        m = rv_machine();
        ck_assert_int_eq(rasim_write_phys(m, LOOP, &cases[i].word, 4), 0);
        rasim_set_reg(m, "pc", LOOP);
        s = start(m, 100000);
        expect(s, "c", cases[i].reply);
        ck_assert_uint_eq(reg(m, "pc"), LOOP);
        ck_assert_int_eq(send_packet(s, "k"), '+');
        ck_assert_int_eq(finish(s), RASIM_GDB_KILLED);
        rasim_free(m);
        free(s);
    }

    /* The budget: SIGXCPU, then the run is over. */
    m = rv_machine();
    s = start(m, 10);
    expect(s, "c", "T18thread:1;");
    expect(s, "c", "X18");
    ck_assert_int_eq(finish(s), RASIM_GDB_ENDED);
    ck_assert_uint_eq(s->stop.insns, 10);
    rasim_free(m);
    free(s);
}
END_TEST

START_TEST(detach_lets_the_run_finish)
{
    rasim_machine *m = rv_machine();
    uint64_t entry = reg(m, "pc");
    struct session *s = start(m, 100000);
    char q[64];
    uint64_t bp = entry + insn_size(m, entry);
    snprintf(q, sizeof(q), "Z0,%llx,2", (unsigned long long)bp);
    expect(s, q, "OK");
    expect(s, "c", "T05thread:1;swbreak:;");
    expect(s, "D;1", "OK");
    ck_assert_int_eq(finish(s), RASIM_GDB_DETACHED);
    ck_assert_int_eq(s->stop.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(reg(m, "a0"), 0);
    ck_assert_int_eq(rasim_remove_breakpoint(m, bp), -1); /* gdb's breakpoint is gone */
    rasim_free(m);
    free(s);
}
END_TEST

/* ---- aarch64 ------------------------------------------------------------ */

START_TEST(aarch64_registers_description_memory_and_breakpoints)
{
    rasim_machine *m = a64_machine("arm64-copy-mc-v13");
    uint64_t entry = reg(m, "pc");
    struct session *s = start(m, 100000);
    char *xml = target_xml(s, 0x3000);
    ck_assert_ptr_nonnull(strstr(xml, "<architecture>aarch64</architecture>"));
    ck_assert_ptr_nonnull(strstr(xml, "<feature name=\"org.gnu.gdb.aarch64.core\">"));
    ck_assert_ptr_nonnull(
        strstr(xml, "<reg name=\"cpsr\" bitsize=\"32\" type=\"cpsr_flags\" regnum=\"33\""));
    ck_assert_int_eq(regnum(xml, "x30"), 30);
    ck_assert_int_eq(regnum(xml, "sp"), 31);
    ck_assert_int_eq(regnum(xml, "pc"), 32);
    ck_assert_int_gt(regnum(xml, "sctlr_el1"), 33);
    ck_assert_int_gt(regnum(xml, "ttbr1_el1"), 33);
    const char *path = tu_tmp("a64.xml");
    ck_assert_int_eq(tu_write_file(path, xml, strlen(xml)), 0);
    char cmd[700], *out, *err;
    snprintf(cmd, sizeof(cmd), "xmllint --noout '%s'", path);
    ck_assert_msg(tu_run(cmd, &out, &err) == 0, "%s", err);
    free(out);
    free(err);
    const char *g = ask(s, "g");
    ck_assert_uint_eq(strlen(g), 33 * 16 + 8);
    ck_assert_uint_eq(le_hex(g, 8), DST);
    ck_assert_uint_eq(le_hex(g + 16, 8), SRC);
    ck_assert_uint_eq(le_hex(g + 31 * 16, 8), STACK + 0x1000);
    ck_assert_uint_eq(le_hex(g + 32 * 16, 8), entry);
    ck_assert_uint_eq(le_hex(g + 33 * 16, 4), 0x3c5);
    char q[64];
    snprintf(q, sizeof(q), "p%x", regnum(xml, "sctlr_el1"));
    ck_assert_uint_eq(le_hex(ask(s, q), 8), reg(m, "sctlr_el1"));
    snprintf(q, sizeof(q), "m%llx,4", (unsigned long long)SRC + 4);
    char want[16];
    for (unsigned i = 0; i < 4; i++)
        snprintf(want + 2 * i, 3, "%02x", pattern(4 + i));
    expect(s, q, want);
    expect(s, "s", "T05thread:1;");
    ck_assert_uint_eq(reg(m, "pc"), entry + 4);
    /* A breakpoint, then a watchpoint: stopped after the store, as the API
     * stops (the reference run); gdb's aarch64 target then steps over the
     * access it believes still to come, which is answered without running. */
    snprintf(q, sizeof(q), "Z0,%llx,4", (unsigned long long)entry + 12);
    expect(s, q, "OK");
    expect(s, "c", "T05thread:1;swbreak:;");
    ck_assert_uint_eq(reg(m, "pc"), entry + 12);
    snprintf(q, sizeof(q), "z0,%llx,4", (unsigned long long)entry + 12);
    expect(s, q, "OK");
    rasim_machine *ref = a64_machine("arm64-copy-mc-v13");
    struct rasim_stop after;
    ck_assert_int_eq(rasim_add_watchpoint(ref, DST + 0x41, 1, RASIM_WATCH_WRITE, false), 0);
    rasim_run(ref, 100000, &after);
    ck_assert(after.watch_hit);
    rasim_free(ref);
    snprintf(q, sizeof(q), "Z2,%llx,1", (unsigned long long)DST + 0x41);
    expect(s, q, "OK");
    char stop[64];
    snprintf(stop, sizeof(stop), "T05thread:1;watch:%llx;", (unsigned long long)DST + 0x41);
    expect(s, "c", stop);
    ck_assert_uint_eq(reg(m, "pc"), after.pc);
    snprintf(q, sizeof(q), "z2,%llx,1", (unsigned long long)DST + 0x41);
    expect(s, q, "OK");
    expect(s, "vCont;s:1", "T05thread:1;");
    ck_assert_uint_eq(reg(m, "pc"), after.pc); /* the step over the store: done already */
    expect(s, "vCont;s:1", "T05thread:1;");
    ck_assert_uint_eq(reg(m, "pc"), after.pc + 4); /* the next one runs */
    free(xml);
    ck_assert_int_eq(finish(s), RASIM_GDB_DETACHED);
    ck_assert_int_eq(s->stop.reason, RASIM_STOP_RETURNED);
    ck_assert_uint_eq(reg(m, "x0"), 0);
    rasim_free(m);
    free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gdb_server");
    TCase *tc = tcase_create("gdb_server");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, packets_are_checked_acknowledged_and_limited);
    tcase_add_test(tc, qsupported_and_the_riscv_target_description);
    tcase_add_test(tc, registers_read_and_written_with_g_G_p_P);
    tcase_add_test(tc, memory_by_virtual_address_with_m_M_X);
    tcase_add_test(tc, unknown_and_malformed_packets_are_answered_without_harm);
    tcase_add_test(tc, step_continue_breakpoints_and_watchpoints);
    tcase_add_test(tc, interrupt_a_continue_then_kill);
    tcase_add_test(tc, a_breakpoint_where_a_slice_ends_still_stops);
    tcase_add_test(tc, poison_stops_with_sigbus_before_the_kernel_model);
    tcase_add_test(tc, oopses_faults_and_the_budget_end_the_run);
    tcase_add_test(tc, detach_lets_the_run_finish);
    tcase_add_test(tc, aarch64_registers_description_memory_and_breakpoints);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
