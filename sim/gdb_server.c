/*
 * gdb_server.c - the GDB remote serial protocol over a connected socket, so
 * gdb-multiarch can debug a routine as rasim runs it (`rasim gdb`, `rasim
 * run --gdb`). Like the CLI it is a client of rasim.h and nothing else.
 *
 * All-stop, one thread ("thread 1"). The run goes in slices of SLICE
 * instructions with a look at the socket between them for gdb's ^C. Stops:
 *   breakpoint (Z0/Z1)          T05 swbreak / hwbreak
 *   watchpoint (Z2/Z3/Z4)       T05 watch / rwatch / awatch:ADDR, after the access
 *                               (aarch64: gdb's step over the access is then answered
 *                               without running, the access being done)
 *   single step, ^C             T05, T02
 *   an exception on its way to the kernel model (rasim_set_stop_on_exception):
 *                               T0a SIGBUS when it consumed poison (the error log
 *                               grew), T04 SIGILL (undefined instruction), T05
 *                               SIGTRAP (BRK, EBREAK), else T0b SIGSEGV; continuing
 *                               with the signal (gdb's default for these) lets the
 *                               kernel model act, `signal 0` drops the exception
 *   an oops, or an exception that ends the run: the same signals; after one of
 *                               these (or the budget, T18 SIGXCPU) the run is over
 *                               and the next continue answers X (terminated)
 *   the routine returns         W with the low byte of the return value; the
 *                               whole value (and a guest exit's code) as console
 *                               output first, since gdb prints exit codes in octal
 * Every signal stop also prints the stop in words on gdb's console (O packets).
 * Signal numbers are gdb's (include/gdb/signals.def): SIGBUS is 10 there.
 */
#include "rasim.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PACKET_SIZE 0x4000 /* the largest packet gdb may send (qSupported PacketSize) */
#define SLICE       100000 /* instructions between looks for ^C */
#define MAX_REGS    256
#define MAX_BPS     256
#define MAX_WATCHES 32

/* gdb's signal numbers, not the host's. */
enum { SIG_INT = 2, SIG_ILL = 4, SIG_TRAP = 5, SIG_BUS = 10, SIG_SEGV = 11, SIG_XCPU = 24 };

struct buf {
    char *p;
    size_t len, cap;
    bool oom;
};

static void buf_add(struct buf *b, const void *data, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *grown = realloc(b->p, cap);
        if (!grown) {
            b->oom = true;
            return;
        }
        b->p = grown;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    char *tmp = malloc((size_t)n + 1);
    if (!tmp) {
        b->oom = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(tmp, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf_add(b, tmp, (size_t)n);
    free(tmp);
}

static const char hexdigits[] = "0123456789abcdef";

static void buf_hex(struct buf *b, const void *data, size_t n)
{
    const unsigned char *s = data;
    for (size_t i = 0; i < n; i++) {
        char two[2] = {hexdigits[s[i] >> 4], hexdigits[s[i] & 15]};
        buf_add(b, two, 2);
    }
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A hex number at *s (at least one digit, at most 16), advancing *s. */
static bool parse_hex(const char **s, uint64_t *out)
{
    uint64_t v = 0;
    int n = 0;
    for (; hexval(**s) >= 0; (*s)++, n++) {
        if (n == 16)
            return false;
        v = v << 4 | (uint64_t)hexval(**s);
    }
    *out = v;
    return n > 0;
}

/* ---- the register layout and the target description ---------------------- */

enum feature { F_CORE, F_SYSTEM, F_VIRTUAL };

struct greg {
    const char *name;
    unsigned bits;
    enum feature feature;
    const char *type;
};

/* ---- one session ----------------------------------------------------------- */

struct bp {
    uint64_t addr;
    int type; /* 0 sw, 1 hw */
};

struct watch {
    uint64_t addr, len;
    int type; /* 2 write, 3 read, 4 access */
};

struct gdb {
    rasim_machine *m;
    bool a64;
    int fd;
    bool noack, closed;
    unsigned char in[4096];
    size_t in_len, in_pos;
    char pkt[PACKET_SIZE + 1];
    size_t pkt_len;
    struct buf out;  /* the reply being built */
    struct buf sent; /* the last packet sent, framed, for a NAK */

    struct greg regs[MAX_REGS];
    int nregs, ncore;
    struct buf xml;

    uint64_t left;  /* of the instruction budget */
    uint64_t total; /* instructions retired in the session */
    struct rasim_stop last;
    char stop_reply[160]; /* what '?' answers */
    int pending_sig;      /* a pending exception was reported with this signal */
    int fatal_sig;        /* the run ended with this signal; the next resume is X */
    bool exited;          /* W or X sent */
    bool interrupted;
    bool stepped_over; /* aarch64: a watch stop's access is done; see resume() */

    struct bp bps[MAX_BPS];
    size_t nbps;
    struct watch watches[MAX_WATCHES];
    size_t nwatches;
};

/* ---- bytes and packets ----------------------------------------------------- */

static bool send_all(struct gdb *g, const void *data, size_t n)
{
    const char *p = data;
    while (n && !g->closed) {
        ssize_t k = send(g->fd, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            g->closed = true;
            return false;
        }
        p += k;
        n -= (size_t)k;
    }
    return !g->closed;
}

/* More input; false at the end of the connection. */
static bool fill(struct gdb *g)
{
    if (g->in_pos < g->in_len)
        return true;
    if (g->closed)
        return false;
    for (;;) {
        ssize_t k = recv(g->fd, g->in, sizeof(g->in), 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            g->closed = true;
            return false;
        }
        g->in_pos = 0;
        g->in_len = (size_t)k;
        return true;
    }
}

static int next_byte(struct gdb *g)
{
    return fill(g) ? g->in[g->in_pos++] : -1;
}

/* Frame and send payload (escaping what the protocol reserves); wait for
 * gdb's '+' unless acknowledgments are off, resending on '-'. */
static void send_packet(struct gdb *g, const char *payload, size_t n)
{
    struct buf *f = &g->sent;
    f->len = 0;
    buf_add(f, "$", 1);
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)payload[i];
        if (c == '$' || c == '#' || c == '}' || c == '*') {
            char esc[2] = {'}', (char)(c ^ 0x20)};
            buf_add(f, esc, 2);
            sum += (unsigned char)'}' + (unsigned char)(c ^ 0x20);
        } else {
            buf_add(f, &c, 1);
            sum += c;
        }
    }
    char tail[3] = {'#', hexdigits[(sum >> 4) & 15], hexdigits[sum & 15]};
    buf_add(f, tail, 3);
    if (f->oom) {
        g->closed = true;
        return;
    }
    for (int tries = 0; tries < 8; tries++) {
        if (!send_all(g, f->p, f->len) || g->noack)
            return;
        int c;
        do {
            c = next_byte(g);
        } while (c >= 0 && c != '+' && c != '-' && c != '$' && c != 3);
        if (c != '-') {
            if (c == '$' || c == 3)
                g->in_pos--; /* a new packet: gdb took ours */
            return;
        }
    }
}

static void reply(struct gdb *g, const char *text)
{
    send_packet(g, text, strlen(text));
}

static void reply_out(struct gdb *g)
{
    if (g->out.oom)
        reply(g, "E0c");
    else
        send_packet(g, g->out.p ? g->out.p : "", g->out.len);
}

/* gdb's console: an O packet, while the target runs. */
static void console(struct gdb *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void console(struct gdb *g, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    struct buf o = {0};
    buf_add(&o, "O", 1);
    buf_hex(&o, text, strlen(text));
    if (!o.oom)
        send_packet(g, o.p, o.len);
    free(o.p);
}

/*
 * The next packet into g->pkt (payload only, escapes kept), acknowledged.
 * A bad checksum is answered '-' and the packet dropped; one too long is
 * dropped with '-' too. ^C outside a packet sets g->interrupted. false at
 * the end of the connection.
 */
static bool read_packet(struct gdb *g)
{
    for (;;) {
        int c = next_byte(g);
        if (c < 0)
            return false;
        if (c == 3) {
            g->interrupted = true;
            return true; /* an empty "packet": the caller looks at interrupted */
        }
        if (c != '$')
            continue; /* acks, noise */
        size_t n = 0;
        unsigned sum = 0;
        bool too_long = false;
        while ((c = next_byte(g)) >= 0 && c != '#') {
            if (c == '$') { /* a new start: what came before was noise */
                n = 0;
                sum = 0;
                too_long = false;
                continue;
            }
            sum += (unsigned)c;
            if (n < PACKET_SIZE)
                g->pkt[n++] = (char)c;
            else
                too_long = true;
        }
        int h1 = next_byte(g), h2 = next_byte(g);
        if (c < 0 || h1 < 0 || h2 < 0)
            return false;
        bool ok = hexval(h1) >= 0 && hexval(h2) >= 0 &&
                  (unsigned)(hexval(h1) << 4 | hexval(h2)) == (sum & 0xff);
        if (g->noack) {
            if (!ok || too_long)
                continue;
        } else if (!ok || too_long) {
            send_all(g, "-", 1);
            continue;
        } else {
            send_all(g, "+", 1);
        }
        g->pkt[n] = '\0';
        g->pkt_len = n;
        return true;
    }
}

/* Between slices: has gdb sent ^C? Other bytes wait for the next read. */
static void poll_interrupt(struct gdb *g)
{
    struct pollfd p = {.fd = g->fd, .events = POLLIN};
    while (g->in_pos == g->in_len && !g->closed && poll(&p, 1, 0) > 0) {
        if (!fill(g))
            return;
    }
    for (size_t i = g->in_pos; i < g->in_len; i++)
        if (g->in[i] == 3) {
            g->interrupted = true;
            memmove(g->in + i, g->in + i + 1, g->in_len - i - 1);
            g->in_len--;
            return;
        }
}

/* ---- registers ----------------------------------------------------------- */

static void add_reg(struct gdb *g, const char *name, unsigned bits, enum feature f,
                    const char *type)
{
    if (g->nregs < MAX_REGS)
        g->regs[g->nregs++] = (struct greg){name, bits, f, type};
}

static bool is_core(struct gdb *g, const char *name)
{
    for (int i = 0; i < g->ncore; i++)
        if (!strcmp(g->regs[i].name, name))
            return true;
    return false;
}

/* The layout gdb sees: the architecture's core feature in gdb's order
 * (these make up the g packet), then every other register rasim models. */
static void layout(struct gdb *g)
{
    rasim_machine *m = g->m;
    if (g->a64) {
        for (unsigned i = 0; i < 31; i++)
            add_reg(g, rasim_gpr_name(m, i), 64, F_CORE, "int");
        add_reg(g, "sp", 64, F_CORE, "data_ptr");
        add_reg(g, "pc", 64, F_CORE, "code_ptr");
        add_reg(g, "cpsr", 32, F_CORE, "cpsr_flags");
    } else {
        for (unsigned i = 0; i < 32; i++)
            add_reg(g, rasim_gpr_name(m, i), 64, F_CORE,
                    i == 1             ? "code_ptr"
                    : i >= 2 && i <= 4 ? "data_ptr"
                                       : "int");
        add_reg(g, "pc", 64, F_CORE, "code_ptr");
    }
    g->ncore = g->nregs;
    for (int i = 0; i < rasim_reg_count(m); i++) {
        const char *name = rasim_reg_name(m, i);
        if (!name || is_core(g, name))
            continue;
        if (!g->a64 && !strcmp(name, "priv"))
            add_reg(g, name, 64, F_VIRTUAL, "int");
        else
            add_reg(g, name, 64, F_SYSTEM, "int");
    }
}

static void describe_target(struct gdb *g)
{
    struct buf *x = &g->xml;
    buf_printf(x,
               "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
               "<target version=\"1.0\">\n<architecture>%s</architecture>\n",
               g->a64 ? "aarch64" : "riscv:rv64");
    static const char *const features[2][3] = {
        {"org.gnu.gdb.riscv.cpu", "org.gnu.gdb.riscv.csr", "org.gnu.gdb.riscv.virtual"},
        {"org.gnu.gdb.aarch64.core", "org.rasim.aarch64.sysregs", NULL},
    };
    for (int f = F_CORE; f <= F_VIRTUAL; f++) {
        const char *name = features[g->a64][f];
        bool any = false;
        for (int i = 0; i < g->nregs; i++)
            any |= g->regs[i].feature == (enum feature)f;
        if (!any || !name)
            continue;
        buf_printf(x, "<feature name=\"%s\">\n", name);
        if (g->a64 && f == F_CORE) /* PSTATE as SPSR lays it out */
            buf_printf(x, "<flags id=\"cpsr_flags\" size=\"4\">\n"
                          "<field name=\"SP\" start=\"0\" end=\"0\"/>\n"
                          "<field name=\"EL\" start=\"2\" end=\"3\"/>\n"
                          "<field name=\"nRW\" start=\"4\" end=\"4\"/>\n"
                          "<field name=\"F\" start=\"6\" end=\"6\"/>\n"
                          "<field name=\"I\" start=\"7\" end=\"7\"/>\n"
                          "<field name=\"A\" start=\"8\" end=\"8\"/>\n"
                          "<field name=\"D\" start=\"9\" end=\"9\"/>\n"
                          "<field name=\"IL\" start=\"20\" end=\"20\"/>\n"
                          "<field name=\"SS\" start=\"21\" end=\"21\"/>\n"
                          "<field name=\"PAN\" start=\"22\" end=\"22\"/>\n"
                          "<field name=\"UAO\" start=\"23\" end=\"23\"/>\n"
                          "<field name=\"TCO\" start=\"25\" end=\"25\"/>\n"
                          "<field name=\"V\" start=\"28\" end=\"28\"/>\n"
                          "<field name=\"C\" start=\"29\" end=\"29\"/>\n"
                          "<field name=\"Z\" start=\"30\" end=\"30\"/>\n"
                          "<field name=\"N\" start=\"31\" end=\"31\"/>\n"
                          "</flags>\n");
        for (int i = 0; i < g->nregs; i++) {
            const struct greg *r = &g->regs[i];
            if (r->feature != (enum feature)f)
                continue;
            buf_printf(x, "<reg name=\"%s\" bitsize=\"%u\" type=\"%s\" regnum=\"%d\"%s/>\n",
                       r->name, r->bits, r->type, i,
                       f == F_SYSTEM && g->a64 ? " group=\"system\"" : "");
        }
        buf_printf(x, "</feature>\n");
    }
    buf_printf(x, "</target>\n");
}

static void put_reg(struct gdb *g, int i)
{
    uint64_t v = 0;
    rasim_get_reg(g->m, g->regs[i].name, &v);
    unsigned char bytes[8];
    for (unsigned b = 0; b < 8; b++)
        bytes[b] = (unsigned char)(v >> (8 * b));
    buf_hex(&g->out, bytes, g->regs[i].bits / 8);
}

/* A little-endian register value of the register's size at *s. */
static bool get_value(struct gdb *g, int i, const char **s, uint64_t *out)
{
    uint64_t v = 0;
    for (unsigned b = 0; b < g->regs[i].bits / 8; b++) {
        int h = hexval((*s)[0]), l = h < 0 ? -1 : hexval((*s)[1]);
        if (h < 0 || l < 0)
            return false;
        v |= (uint64_t)(h << 4 | l) << (8 * b);
        *s += 2;
    }
    *out = v;
    return true;
}

static void cmd_g(struct gdb *g)
{
    for (int i = 0; i < g->ncore; i++)
        put_reg(g, i);
    reply_out(g);
}

/* G: the core registers; those whose value changes are written (views of
 * one another, such as cpsr's flags, are then not overwritten). */
static void cmd_G(struct gdb *g, const char *s)
{
    uint64_t v[MAX_REGS];
    for (int i = 0; i < g->ncore; i++)
        if (!get_value(g, i, &s, &v[i]))
            return reply(g, "E01");
    if (*s)
        return reply(g, "E01");
    for (int i = 0; i < g->ncore; i++) {
        uint64_t now = 0;
        rasim_get_reg(g->m, g->regs[i].name, &now);
        if (now != v[i])
            rasim_set_reg(g->m, g->regs[i].name, v[i]);
    }
    reply(g, "OK");
}

static void cmd_p(struct gdb *g, const char *s)
{
    uint64_t n;
    if (!parse_hex(&s, &n) || *s || n >= (uint64_t)g->nregs)
        return reply(g, "E01");
    put_reg(g, (int)n);
    reply_out(g);
}

static void cmd_P(struct gdb *g, const char *s)
{
    uint64_t n, v;
    if (!parse_hex(&s, &n) || *s++ != '=' || n >= (uint64_t)g->nregs ||
        !get_value(g, (int)n, &s, &v) || *s)
        return reply(g, "E01");
    if (rasim_set_reg(g->m, g->regs[n].name, v) < 0)
        return reply(g, "E01");
    reply(g, "OK");
}

/* ---- memory: virtual addresses through the current regime ----------------- */

/* Read or write [va, va+len) page by page; the bytes done. */
static size_t access_mem(struct gdb *g, uint64_t va, unsigned char *data, size_t len, bool write)
{
    size_t done = 0;
    while (done < len) {
        uint64_t at = va + done, pa;
        size_t n = 0x1000 - (size_t)(at & 0xfff);
        if (n > len - done)
            n = len - done;
        if (rasim_debug_translate(g->m, at, &pa) < 0)
            break;
        int rc = write ? rasim_write_phys(g->m, pa, data + done, n)
                       : rasim_read_phys(g->m, pa, data + done, n);
        if (rc < 0) {
            /* A region may end inside the page: byte by byte up to it. */
            size_t k = 0;
            while (k < n && (write ? rasim_write_phys(g->m, pa + k, data + done + k, 1)
                                   : rasim_read_phys(g->m, pa + k, data + done + k, 1)) == 0)
                k++;
            done += k;
            break;
        }
        done += n;
    }
    return done;
}

static bool addr_len(const char **s, uint64_t *addr, uint64_t *len)
{
    return parse_hex(s, addr) && *(*s)++ == ',' && parse_hex(s, len);
}

static void cmd_m(struct gdb *g, const char *s)
{
    uint64_t addr, len;
    if (!addr_len(&s, &addr, &len) || *s)
        return reply(g, "E01");
    if (len > (PACKET_SIZE - 16) / 2)
        len = (PACKET_SIZE - 16) / 2; /* gdb accepts a short read */
    unsigned char data[PACKET_SIZE / 2];
    size_t n = access_mem(g, addr, data, (size_t)len, false);
    if (n == 0 && len)
        return reply(g, "E01");
    buf_hex(&g->out, data, n);
    reply_out(g);
}

static void cmd_M(struct gdb *g, const char *s)
{
    uint64_t addr, len;
    unsigned char data[PACKET_SIZE / 2];
    if (!addr_len(&s, &addr, &len) || *s++ != ':' || len > sizeof(data) || strlen(s) != 2 * len)
        return reply(g, "E01");
    for (size_t i = 0; i < len; i++) {
        int h = hexval(s[2 * i]), l = hexval(s[2 * i + 1]);
        if (h < 0 || l < 0)
            return reply(g, "E01");
        data[i] = (unsigned char)(h << 4 | l);
    }
    reply(g, access_mem(g, addr, data, (size_t)len, true) == len ? "OK" : "E01");
}

/* X: binary data, '}' escaping the next byte (xor 0x20). */
static void cmd_X(struct gdb *g, const char *s)
{
    uint64_t addr, len;
    unsigned char data[PACKET_SIZE];
    if (!addr_len(&s, &addr, &len) || *s++ != ':' || len > sizeof(data))
        return reply(g, "E01");
    const char *end = g->pkt + g->pkt_len;
    size_t n = 0;
    while (s < end && n < len) {
        unsigned char c = (unsigned char)*s++;
        if (c == '}') {
            if (s == end)
                return reply(g, "E01");
            c = (unsigned char)(*s++ ^ 0x20);
        }
        data[n++] = c;
    }
    if (n != len || s != end)
        return reply(g, "E01");
    reply(g, access_mem(g, addr, data, (size_t)len, true) == len ? "OK" : "E01");
}

/* ---- breakpoints and watchpoints ---------------------------------------- */

static unsigned watch_kinds(int type)
{
    return type == 2   ? RASIM_WATCH_WRITE
           : type == 3 ? RASIM_WATCH_READ
                       : RASIM_WATCH_READ | RASIM_WATCH_WRITE;
}

static void cmd_Z(struct gdb *g, const char *s, bool insert)
{
    uint64_t type, addr, kind;
    if (!parse_hex(&s, &type) || *s++ != ',' || !addr_len(&s, &addr, &kind) || (*s && *s != ';'))
        return reply(g, "E01");
    if (type > 4)
        return reply(g, ""); /* not supported */
    if (type <= 1) {
        size_t i = 0;
        while (i < g->nbps && g->bps[i].addr != addr)
            i++;
        if (insert) {
            if (i < g->nbps)
                return reply(g, "OK"); /* already there */
            if (g->nbps == MAX_BPS || rasim_add_breakpoint(g->m, addr) < 0)
                return reply(g, "E01");
            g->bps[g->nbps++] = (struct bp){addr, (int)type};
        } else {
            if (i == g->nbps)
                return reply(g, "OK"); /* gone already */
            rasim_remove_breakpoint(g->m, addr);
            g->bps[i] = g->bps[--g->nbps];
        }
        return reply(g, "OK");
    }
    unsigned kinds = watch_kinds((int)type);
    if (kind == 0)
        return reply(g, "E01");
    if (insert) {
        if (g->nwatches == MAX_WATCHES || rasim_add_watchpoint(g->m, addr, kind, kinds, false) < 0)
            return reply(g, "E01");
        g->watches[g->nwatches++] = (struct watch){addr, kind, (int)type};
        return reply(g, "OK");
    }
    for (size_t i = 0; i < g->nwatches; i++)
        if (g->watches[i].addr == addr && g->watches[i].len == kind &&
            g->watches[i].type == (int)type) {
            rasim_remove_watchpoint(g->m, addr, kind, kinds, false);
            g->watches[i] = g->watches[--g->nwatches];
            return reply(g, "OK");
        }
    reply(g, "E01");
}

static bool breakpoint_at(const struct gdb *g, uint64_t pc, int *type)
{
    for (size_t i = 0; i < g->nbps; i++)
        if (g->bps[i].addr == pc) {
            *type = g->bps[i].type;
            return true;
        }
    return false;
}

static void clear_points(struct gdb *g)
{
    for (size_t i = 0; i < g->nbps; i++)
        rasim_remove_breakpoint(g->m, g->bps[i].addr);
    for (size_t i = 0; i < g->nwatches; i++) {
        const struct watch *w = &g->watches[i];
        rasim_remove_watchpoint(g->m, w->addr, w->len, watch_kinds(w->type), false);
    }
    g->nbps = g->nwatches = 0;
}

/* ---- stops ------------------------------------------------------------- */

static void stop_reply(struct gdb *g, int sig, const char *why)
{
    snprintf(g->stop_reply, sizeof(g->stop_reply), "T%02xthread:1;%s", sig, why);
    reply(g, g->stop_reply);
}

static void exit_reply(struct gdb *g, char kind, unsigned code)
{
    snprintf(g->stop_reply, sizeof(g->stop_reply), "%c%02x", kind, code & 0xff);
    g->exited = true;
    reply(g, g->stop_reply);
}

/* The signal for an exception stop: gdb's numbers. */
static int exception_signal(const struct gdb *g, const struct rasim_stop *st, bool poison)
{
    if (poison)
        return SIG_BUS;
    if (g->a64) {
        unsigned ec = (unsigned)(st->syndrome >> 26) & 0x3f;
        return ec == 0x00 ? SIG_ILL : ec == 0x3c ? SIG_TRAP : SIG_SEGV;
    }
    return st->syndrome == 2 ? SIG_ILL : st->syndrome == 3 ? SIG_TRAP : SIG_SEGV;
}

/* The stop in words on gdb's console, with the poison consumed. */
static void tell(struct gdb *g, const struct rasim_stop *st, bool poison, const char *prefix)
{
    char what[640];
    rasim_stop_describe(g->m, st, what, sizeof(what));
    char where[200] = "";
    size_t n = rasim_error_log_count(g->m);
    struct rasim_error_record rec;
    if (poison && n && rasim_error_log_get(g->m, n - 1, &rec) == 0) {
        bool va_valid = rec.va_valid || st->fault_addr_valid;
        uint64_t va = rec.va_valid ? rec.va : st->fault_addr;
        if (va_valid)
            snprintf(where, sizeof(where), "; poison consumed by a %s at VA 0x%llx, PA 0x%llx",
                     rec.access, (unsigned long long)va, (unsigned long long)rec.pa);
        else
            snprintf(where, sizeof(where), "; poison consumed by a %s at PA 0x%llx", rec.access,
                     (unsigned long long)rec.pa);
    }
    console(g, "rasim: %s%s%s\n", prefix, what, where);
    if (st->reason == RASIM_STOP_OOPS && st->backtrace[0])
        console(g, "rasim: backtrace: %s\n", st->backtrace);
}

/* Report a watchpoint stop as the kind of ours the access hit: a write or
 * read watchpoint for its own access, else an access watchpoint. */
static void watch_reply(struct gdb *g, const struct rasim_stop *st)
{
    int own = st->watch_write ? 2 : 3;
    const char *word = NULL;
    for (size_t i = 0; i < g->nwatches; i++) {
        const struct watch *w = &g->watches[i];
        if (st->watch_addr < w->addr || st->watch_addr - w->addr >= w->len)
            continue;
        if (w->type == own) {
            word = NULL;
            break;
        }
        if (w->type == 4)
            word = "awatch";
    }
    if (!word)
        word = st->watch_write ? "watch" : "rwatch";
    char why[64];
    snprintf(why, sizeof(why), "%s:%llx;", word, (unsigned long long)st->watch_addr);
    g->stepped_over = g->a64;
    stop_reply(g, SIG_TRAP, why);
}

/* c, s, C, S and vCont: run until something to report, and report it. */
static void resume(struct gdb *g, bool step, int sig)
{
    rasim_machine *m = g->m;
    if (g->exited)
        return reply(g, g->stop_reply);
    if (g->fatal_sig) {
        console(g, "rasim: the run is over\n");
        return exit_reply(g, 'X', (unsigned)g->fatal_sig);
    }
    /* gdb's aarch64 target takes watchpoints as Arm hardware raises them,
     * before the access, and single-steps over it after the stop; rasim
     * stops after the access, so that step is already done. */
    bool stepped_over = g->stepped_over;
    g->stepped_over = false;
    if (stepped_over && step)
        return stop_reply(g, SIG_TRAP, "");
    bool delivering = false;
    if (g->pending_sig) {
        if (sig)
            delivering = true; /* the kernel model acts on it first */
        else
            rasim_drop_exception(m);
    }
    int delivered = g->pending_sig;
    g->pending_sig = 0;
    g->interrupted = false;
    size_t log_before = rasim_error_log_count(m);
    for (bool first = true;; first = false) {
        struct rasim_stop st;
        int type = 0;
        if (!first && breakpoint_at(g, g->last.pc, &type)) {
            /* A slice ended on a breakpoint: a new run would step over it. */
            return stop_reply(g, SIG_TRAP, type ? "hwbreak:;" : "swbreak:;");
        }
        if (!g->left) {
            g->fatal_sig = SIG_XCPU;
            console(g, "rasim: the instruction budget is exhausted\n");
            return stop_reply(g, SIG_XCPU, "");
        }
        uint64_t n = step ? 1 : g->left < SLICE ? g->left : SLICE;
        rasim_run(m, n, &st);
        uint64_t used = st.reason == RASIM_STOP_BUDGET ? n : st.insns;
        g->left -= used < g->left ? used : g->left;
        g->total += st.insns;
        g->last = st;
        bool poison = rasim_error_log_count(m) > log_before;
        switch (st.reason) {
        case RASIM_STOP_BUDGET:
            if (step)
                return stop_reply(g, SIG_TRAP, "");
            poll_interrupt(g);
            if (g->closed)
                return;
            if (g->interrupted) {
                g->interrupted = false;
                return stop_reply(g, SIG_INT, "");
            }
            delivering = false;
            continue;
        case RASIM_STOP_BREAKPOINT:
            if (st.watch_hit)
                return watch_reply(g, &st);
            breakpoint_at(g, st.pc, &type);
            return stop_reply(g, SIG_TRAP, type ? "hwbreak:;" : "swbreak:;");
        case RASIM_STOP_RETURNED: {
            uint64_t ret = 0;
            rasim_get_reg(m, g->a64 ? "x0" : "a0", &ret);
            console(g, "rasim: returned 0x%llx after %llu instructions\n", (unsigned long long)ret,
                    (unsigned long long)g->total);
            return exit_reply(g, 'W', (unsigned)ret);
        }
        case RASIM_STOP_EXIT:
            console(g, "rasim: the guest exited with code %llu\n",
                    (unsigned long long)st.exit_code);
            return exit_reply(g, 'W', (unsigned)st.exit_code);
        case RASIM_STOP_EXCEPTION:
        case RASIM_STOP_OOPS: break;
        }
        if (st.pending) {
            g->pending_sig = exception_signal(g, &st, poison);
            tell(g, &st, poison, "");
            return stop_reply(g, g->pending_sig, "");
        }
        if (delivering && st.insns == 0) {
            /* The kernel model could not recover: the run dies of it. */
            tell(g, &st, false, "");
            return exit_reply(g, 'X', (unsigned)delivered);
        }
        g->fatal_sig = exception_signal(g, &st, poison);
        tell(g, &st, poison, "");
        return stop_reply(g, g->fatal_sig, "");
    }
}

/* The signal of C/S: "C sig[;addr]"; sets the PC when an address is given. */
static bool resume_args(struct gdb *g, const char *s, bool with_sig, int *sig)
{
    uint64_t v;
    *sig = 0;
    if (with_sig) {
        if (!parse_hex(&s, &v) || v > 0xff)
            return false;
        *sig = (int)v;
        if (*s == ';')
            s++;
        else if (*s)
            return false;
    }
    if (*s) {
        if (!parse_hex(&s, &v) || *s)
            return false;
        rasim_set_reg(g->m, "pc", v);
    }
    return true;
}

/* vCont;ACTION[:thread]...: one thread, so the first action is ours. */
static void cmd_vcont(struct gdb *g, const char *s)
{
    if (*s++ != ';')
        return reply(g, "E01");
    char a = *s++;
    int sig = 0;
    if (a == 'C' || a == 'S') {
        uint64_t v;
        if (!parse_hex(&s, &v) || v > 0xff)
            return reply(g, "E01");
        sig = (int)v;
    } else if (a != 'c' && a != 's') {
        return reply(g, "E01");
    }
    if (*s && *s != ':' && *s != ';')
        return reply(g, "E01");
    resume(g, a == 's' || a == 'S', sig);
}

/* qXfer:features:read:ANNEX:OFFSET,LENGTH */
static void cmd_xfer(struct gdb *g, const char *s)
{
    const char *annex = "target.xml:";
    if (strncmp(s, annex, strlen(annex)))
        return reply(g, "E00");
    s += strlen(annex);
    uint64_t off, len;
    if (!addr_len(&s, &off, &len) || *s)
        return reply(g, "E01");
    size_t size = g->xml.len;
    if (off > size)
        return reply(g, "E01");
    if (len > PACKET_SIZE - 16)
        len = PACKET_SIZE - 16;
    size_t n = size - off < len ? size - (size_t)off : (size_t)len;
    buf_add(&g->out, off + n < size ? "m" : "l", 1);
    buf_add(&g->out, g->xml.p + off, n);
    reply_out(g);
}

static void cmd_query(struct gdb *g, const char *p)
{
    if (!strncmp(p, "qSupported", 10)) {
        buf_printf(&g->out, "PacketSize=%x;qXfer:features:read+;swbreak+;hwbreak+;QStartNoAckMode+",
                   PACKET_SIZE);
        return reply_out(g);
    }
    if (!strncmp(p, "qXfer:features:read:", 20))
        return cmd_xfer(g, p + 20);
    if (!strcmp(p, "qAttached") || !strncmp(p, "qAttached:", 10))
        return reply(g, "1"); /* the run existed before gdb: quitting detaches */
    if (!strcmp(p, "qC"))
        return reply(g, "QC1");
    if (!strcmp(p, "qfThreadInfo"))
        return reply(g, "m1");
    if (!strcmp(p, "qsThreadInfo"))
        return reply(g, "l");
    if (!strcmp(p, "QStartNoAckMode")) {
        reply(g, "OK");
        g->noack = true;
        return;
    }
    reply(g, "");
}

enum session { GOING, DETACH, KILL };

static enum session handle(struct gdb *g)
{
    const char *p = g->pkt;
    g->out.len = 0;
    g->out.oom = false;
    if (g->exited && p[0] && (strchr("cCsS", p[0]) || !strncmp(p, "vCont;", 6))) {
        reply(g, g->stop_reply); /* still exited */
        return GOING;
    }
    if (g->exited && p[0] && strchr("gGpPmMXZz", p[0])) {
        reply(g, "E01"); /* no process any more */
        return GOING;
    }
    switch (p[0]) {
    case '?': reply(g, g->stop_reply); return GOING;
    case 'g': cmd_g(g); return GOING;
    case 'G': cmd_G(g, p + 1); return GOING;
    case 'p': cmd_p(g, p + 1); return GOING;
    case 'P': cmd_P(g, p + 1); return GOING;
    case 'm': cmd_m(g, p + 1); return GOING;
    case 'M': cmd_M(g, p + 1); return GOING;
    case 'X': cmd_X(g, p + 1); return GOING;
    case 'Z': cmd_Z(g, p + 1, true); return GOING;
    case 'z': cmd_Z(g, p + 1, false); return GOING;
    case 'H': reply(g, "OK"); return GOING;
    case 'T': reply(g, "OK"); return GOING;
    case 'c':
    case 's':
    case 'C':
    case 'S': {
        int sig;
        bool with_sig = p[0] == 'C' || p[0] == 'S';
        if (!resume_args(g, p + 1, with_sig, &sig))
            reply(g, "E01");
        else
            resume(g, p[0] == 's' || p[0] == 'S', sig);
        return GOING;
    }
    case 'D': reply(g, "OK"); return DETACH;
    case 'k': return KILL;
    case 'v':
        if (!strcmp(p, "vCont?"))
            reply(g, "vCont;c;C;s;S");
        else if (!strncmp(p, "vCont", 5))
            cmd_vcont(g, p + 5);
        else if (!strncmp(p, "vKill", 5)) {
            reply(g, "OK");
            return KILL;
        } else
            reply(g, ""); /* vMustReplyEmpty and whatever we do not know */
        return GOING;
    case 'q':
    case 'Q': cmd_query(g, p); return GOING;
    }
    reply(g, "");
    return GOING;
}

int rasim_gdb_serve(rasim_machine *m, int fd, uint64_t max_insns, struct rasim_stop *stop)
{
    memset(stop, 0, sizeof(*stop));
    struct gdb *g = calloc(1, sizeof(*g));
    if (!g || fd < 0) {
        free(g);
        return -1;
    }
    g->m = m;
    g->fd = fd;
    g->a64 = rasim_get_arch(m) == RASIM_ARCH_AARCH64;
    g->left = max_insns;
    layout(g);
    describe_target(g);
    rasim_get_reg(m, "pc", &g->last.pc);
    snprintf(g->stop_reply, sizeof(g->stop_reply), "T%02xthread:1;", SIG_TRAP);
    rasim_set_stop_on_exception(m, true);

    enum session how = GOING;
    while (how == GOING && !g->closed && !g->xml.oom) {
        if (!read_packet(g))
            break;
        if (g->interrupted) { /* ^C while stopped: nothing to interrupt */
            g->interrupted = false;
            continue;
        }
        how = handle(g);
    }

    /* Detached, or the connection is gone: the run goes on to its end. */
    clear_points(g);
    rasim_set_stop_on_exception(m, false);
    int end = RASIM_GDB_ENDED;
    *stop = g->last;
    if (how == KILL) {
        end = RASIM_GDB_KILLED;
        if (g->pending_sig)
            rasim_drop_exception(m);
    } else if (!g->exited && !g->fatal_sig) {
        end = RASIM_GDB_DETACHED;
        rasim_run(m, g->left, stop);
        g->total += stop->insns;
    } else if (!g->exited) {
        end = RASIM_GDB_DETACHED;
    }
    stop->insns = g->total;
    free(g->out.p);
    free(g->sent.p);
    free(g->xml.p);
    free(g);
    return end;
}
