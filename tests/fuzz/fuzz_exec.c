/*
 * fuzz_exec.c - libFuzzer harness: instruction words executed on a small
 * machine (fuzz_machine.h) through rasim.h, and every word disassembled.
 * Built twice: fuzz_exec_aarch64 and fuzz_exec_rv64 (FUZZ_ARCH). A host
 * crash, a sanitizer report or a hang is a finding; architectural faults
 * are what random words are expected to give.
 *
 * Input: a header, then the words (little-endian, at most MAX_WORDS).
 *   flags      1 MMU on (identity tables, fuzz_machine.c)
 *              2 profile "none" (else the default, or another built-in if
 *                sel has bit 7: the kernel model runs on the faults)
 *              4 guest vectors that step over a faulting instruction
 *             32 the MMU checker
 *             64 poison
 *              bits 3, 4 and 7 (as bits 0-2 of a number): 0-4 untraced;
 *                5 events on; 6 also a breakpoint and a watchpoint; 7 run
 *                untraced, then again with events, and require the same
 *                result; then once more comparing every register at every
 *                instruction, and require the same events as the usual
 *                diff (which compares system registers only after what
 *                can change them). The traced path is slower, so most
 *                inputs run without.
 *   mode       bits 0-1: arm64 EL1h, EL0, EL1t, EL1h+PAN; rv64 S, M, U,
 *              S+SUM+MXR. Bits 2-3: store policy. Bit 4: random page
 *              attributes. Bits 5-7: arm64 TCR.HA, TCR.HD, SCTLR.A; rv64
 *              Svadu, poison as access faults, misaligned traps.
 *   sel        bits 0-6: which other profile; bit 7: use it
 *   nextable   entries in a raw image's __ex_table (0: no image)
 *   events     the event kinds to send (bit n: kind n; bit 7 also the MMU
 *              checker's): register events cost a diff of every register
 *              per instruction, so not every traced input asks for them
 *   asid (2), V (8): a value registers may start from
 *   16 register selectors (reg_value), 16 page attribute bytes,
 *   2 x 6 poison bytes, 6 breakpoint / watchpoint bytes,
 *   MAX_EXTABLE x 5 extable bytes (insn word, fixup word, type, data).
 */
#include "fuzz_machine.h"
#include "sim/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FUZZ_ARCH
#error "build with -DFUZZ_ARCH=RASIM_ARCH_AARCH64 or RASIM_ARCH_RV64"
#endif

#define MAX_WORDS   1024
#define MAX_EXTABLE 8
#define BUDGET      2000
#define EXTABLE_AT  (FZ_CODE + 0x2f00) /* inside the image, before the vectors */

static char image_path[64], map_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    snprintf(image_path, sizeof(image_path), "/tmp/rasim-fuzz-exec-%d.img", (int)getpid());
    snprintf(map_path, sizeof(map_path), "/tmp/rasim-fuzz-exec-%d.map", (int)getpid());
    FILE *f = fopen(map_path, "w");
    if (!f)
        abort();
    fprintf(f,
            "%016llx T fuzz_code\n%016llx T fuzz_vectors\n%016llx R __start___ex_table\n"
            "%016llx R __stop___ex_table\n",
            FZ_CODE, FZ_VECTORS, EXTABLE_AT, EXTABLE_AT + 12 * MAX_EXTABLE);
    fclose(f);
    return 0;
}

enum { TRACE_EVENTS = 5, TRACE_BREAK = 6, TRACE_COMPARE = 7 };

struct header {
    uint8_t flags, trace, mode, sel, nextable, events;
    uint16_t asid;
    uint64_t v;
    uint8_t regsel[16], attrs[FZ_PAGES], poison[2][6], watch[6], extable[MAX_EXTABLE][5];
};

static void read_header(struct fz_in *in, struct header *h)
{
    h->flags = fz_u8(in);
    h->trace = (h->flags >> 3 & 3) | (h->flags >> 5 & 4);
    h->mode = fz_u8(in);
    h->sel = fz_u8(in);
    h->nextable = fz_u8(in) % (MAX_EXTABLE + 1);
    h->events = fz_u8(in);
    h->asid = fz_u16(in);
    h->v = fz_u64(in);
    for (unsigned i = 0; i < 16; i++)
        h->regsel[i] = fz_u8(in);
    for (unsigned i = 0; i < FZ_PAGES; i++)
        h->attrs[i] = fz_u8(in);
    for (unsigned p = 0; p < 2; p++)
        for (unsigned i = 0; i < 6; i++)
            h->poison[p][i] = fz_u8(in);
    for (unsigned i = 0; i < 6; i++)
        h->watch[i] = fz_u8(in);
    for (unsigned e = 0; e < MAX_EXTABLE; e++)
        for (unsigned i = 0; i < 5; i++)
            h->extable[e][i] = fz_u8(in);
}

/* A register's first value: addresses in every kind of region (and the
 * aliases, the holes, the top of the address space) or input bits. */
static uint64_t reg_value(uint8_t sel, uint64_t v)
{
    uint64_t k = sel >> 3;
    switch (sel & 7) {
    case 0: return k < 16 ? k : (uint64_t) - (int64_t)(k - 15);
    case 1: return FZ_DATA + k * 0x88;
    case 2: return FZ_TABLES + k * 0x208;
    case 3: return FZ_CODE + k * 4;
    case 4: return (k & 1 ? FZ_ROM : FZ_DEVICE) + (k >> 1) * 8;
    case 5: return (k & 1 ? FZ_ALIAS : FZ_HIGH) + (FZ_DATA - FZ_CODE) + (k >> 1) * 0x40;
    case 6: return v + k;
    default: {
        static const uint64_t edges[4] = {FZ_ABSENT, FZ_END - 8, 0xfffffffffffffff8ull,
                                          0x0000800000000000ull};
        return edges[k & 3] + (k >> 2);
    }
    }
}

static const char *const a64_args[16] = {"x0", "x1", "x2",  "x3",  "x4",  "x5",  "x6",  "x7",
                                         "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15"};
static const char *const rv_args[16] = {"a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7",
                                        "s2", "s3", "s4", "s5", "s6", "t0", "t1", "t2"};

static void write_image(const struct header *h, const uint8_t *words, size_t nwords, bool a64)
{
    static uint8_t img[EXTABLE_AT - FZ_CODE + 12 * MAX_EXTABLE];
    memset(img, 0, sizeof(img));
    memcpy(img, words, nwords * 4);
    unsigned step = a64 ? 4 : 2;
    for (unsigned e = 0; e < MAX_EXTABLE; e++) {
        uint64_t entry = EXTABLE_AT + 12 * e;
        const uint8_t *x = h->extable[e];
        /* Entries past nextable cover nothing in the code (type NONE). */
        uint64_t insn = e < h->nextable ? FZ_CODE + x[0] * step : FZ_DATA + e * 4;
        uint64_t fixup = FZ_CODE + x[1] * step;
        int32_t rel[2] = {(int32_t)(insn - entry), (int32_t)(fixup - (entry + 4))};
        uint16_t td[2] = {(uint16_t)(e < h->nextable ? x[2] & 15 : 0),
                          (uint16_t)(x[3] | x[4] << 8)};
        memcpy(img + (entry - FZ_CODE), rel, 8);
        memcpy(img + (entry - FZ_CODE) + 8, td, 4);
    }
    /* Words that spell the ELF magic, or an Image header's, would make
     * the loader read them as such: break it in the file (memory gets the
     * words as they are afterwards). */
    if (!memcmp(img,
                "\x7f"
                "ELF",
                4))
        img[0] ^= 0xff;
    if (!memcmp(img + 56, "ARM\x64", 4) || !memcmp(img + 56, "RSC\x05", 4))
        img[56] ^= 0xff;
    FILE *f = fopen(image_path, "wb");
    if (!f || fwrite(img, 1, sizeof(img), f) != sizeof(img))
        abort();
    fclose(f);
}

static void poison(rasim_machine *m, const uint8_t *p, bool a64)
{
    static const uint64_t base[4] = {FZ_DATA, FZ_TABLES, FZ_CODE, FZ_STACK};
    static const uint64_t span[4] = {0x4000, 0x4000, 0x4000, 0x1000};
    static const unsigned granule[4] = {1, 64, 4096, 0};
    unsigned w = p[0] & 3;
    struct rasim_poison ps = {
        .pa = base[w] + ((uint64_t)(p[1] | p[2] << 8) % span[w]),
        .len = (uint64_t)p[3] + 1,
        .granule = granule[p[4] & 3],
        .tag = a64 && (p[4] & 4),
        .kind = (enum rasim_poison_kind)((p[4] >> 3) & 3),
        .count = p[5] % 64,
    };
    (void)rasim_poison(m, &ps); /* may refuse (e.g. poison over the edge): fine */
}

/* The machine the header describes, ready to run at FZ_CODE. */
enum { EVENTS_OFF, EVENTS_ON, EVENTS_EVERY_REGISTER };

static rasim_machine *build(const struct header *h, const uint8_t *words, size_t nwords, int events,
                            uint64_t *event_hash)
{
    const bool a64 = FUZZ_ARCH == RASIM_ARCH_AARCH64;
    rasim_machine *m = fz_machine_new(FUZZ_ARCH);
    if (h->flags & 2) {
        if (rasim_set_profile(m, "none") < 0)
            abort();
    } else if (h->sel & 0x80) {
        const char *const *names = rasim_profile_names(m);
        size_t n = 0;
        while (names[n])
            n++;
        if (n && rasim_set_profile(m, names[(h->sel & 0x7f) % n]) < 0)
            abort();
    }
    if (h->nextable) {
        write_image(h, words, nwords, a64);
        struct rasim_load_options o = {
            .system_map = map_path, .load_pa = FZ_CODE, .no_auto_ram = true};
        if (rasim_load(m, image_path, &o) < 0) {
            fprintf(stderr, "%s\n", rasim_error(m));
            abort();
        }
    }
    if (nwords)
        fz_write(m, FZ_CODE, words, nwords * 4);
    /* Data: a fixed pattern (made once: loops here cost every input), V
     * at the start of each page. */
    static uint8_t fill[0x4000];
    if (!fill[1])
        for (size_t i = 0; i < sizeof(fill); i++)
            fill[i] = (uint8_t)(i * 0x9d + 0x5a);
    fz_write(m, FZ_DATA, fill, sizeof(fill));
    for (uint64_t p = FZ_DATA; p < FZ_TABLES; p += 0x1000)
        fz_write(m, p, &h->v, 8);
    fz_build_tables(m, FZ_TABLES, h->mode & 16 ? h->attrs : NULL);

    /* Registers: arguments from the selectors, the rest at data. */
    uint64_t sentinel = FZ_CODE + nwords * 4;
    for (unsigned i = 0; i < 16; i++)
        fz_set(m, a64 ? a64_args[i] : rv_args[i], reg_value(h->regsel[i], h->v));
    if (a64) {
        for (unsigned i = 16; i < 29; i++) {
            char name[8];
            snprintf(name, sizeof(name), "x%u", i);
            fz_set(m, name, FZ_DATA + i * 0x100);
        }
        static const uint64_t cpsr[4] = {5, 0, 4, 5 | 1u << 22}; /* EL1h, EL0t, EL1t, PAN */
        fz_set(m, "cpsr", cpsr[h->mode & 3]);
        fz_set(m, "sp_el0", FZ_STACK + 0xff0);
        fz_set(m, "sp_el1", FZ_STACK + 0xfe0);
        fz_set(m, "x29", FZ_STACK + 0xf00);
        fz_set(m, "x30", sentinel);
    } else {
        fz_set(m, "gp", FZ_DATA + 0x800);
        fz_set(m, "tp", FZ_DATA + 0x1000);
        for (unsigned i = 23; i < 28; i++) /* s7..s11 */
            fz_set(m, rasim_gpr_name(m, i), FZ_DATA + i * 0x100);
        for (unsigned i = 28; i < 32; i++) /* t3..t6 */
            fz_set(m, rasim_gpr_name(m, i), FZ_DATA + i * 0x100);
        fz_set(m, "s0", FZ_STACK + 0xf00);
        fz_set(m, "s1", FZ_DATA);
        fz_set(m, "sp", FZ_STACK + 0xff0);
        fz_set(m, "ra", sentinel);
        static const uint64_t priv[4] = {1, 3, 0, 1};
        fz_set(m, "priv", priv[h->mode & 3]);
        if ((h->mode & 3) == 3)
            fz_set(m, "sstatus", 1ull << 18 | 1ull << 19); /* SUM, MXR */
        if (rasim_set_svadu(m, h->mode & 32) < 0 ||
            rasim_set_ras_delivery(m, h->mode & 64 ? RASIM_RAS_ACCESS_FAULT : RASIM_RAS_HW_ERROR) <
                0 ||
            rasim_set_misaligned_traps(m, h->mode & 128) < 0)
            abort();
        if (h->asid & 0x4000)
            rasim_set_htif(m, FZ_DATA + 0x100, FZ_DATA + 0x108);
    }
    fz_set(m, "pc", FZ_CODE);
    rasim_set_return_sentinel(m, sentinel);
    if (h->flags & 4)
        fz_install_vectors(m, h->v);
    if (h->flags & 1) {
        uint64_t tcr = (h->mode & 32 ? 1ull << 39 : 0) | (h->mode & 64 ? 1ull << 40 : 0);
        fz_mmu_on(m, tcr, h->asid);
    }
    if (a64 && (h->mode & 128)) {
        uint64_t sctlr;
        rasim_get_reg(m, "sctlr_el1", &sctlr);
        fz_set(m, "sctlr_el1", sctlr | 2); /* A: alignment checks */
    }
    rasim_set_store_policy(m, (enum rasim_store_policy)(((h->mode >> 2) & 3) % 3));
    if (h->flags & 64) {
        poison(m, h->poison[0], a64);
        if (h->poison[1][0] & 0x80)
            poison(m, h->poison[1], a64);
    }
    if (h->trace == TRACE_BREAK) {
        const uint8_t *w = h->watch;
        if (rasim_add_breakpoint(m, FZ_CODE + (uint64_t)w[0] * (a64 ? 4 : 2)) < 0)
            abort();
        uint64_t at = (w[5] & 1 ? FZ_DATA : FZ_ALIAS + (FZ_DATA - FZ_CODE)) +
                      (uint64_t)(w[1] | w[2] << 8) % 0x4000;
        (void)rasim_add_watchpoint(m, at, (uint64_t)w[3] + 1, 1 + (w[4] % 3), w[5] & 2);
    }
    if ((h->flags & 32) && rasim_set_mmu_check(m, true) < 0)
        abort();
    unsigned mask = h->events | (h->events & 0x80 ? RASIM_EV_BIT(RASIM_EV_CHECK) : 0);
    if (events && rasim_set_event_sink(m, mask ? mask : RASIM_EV_BIT(RASIM_EV_INSN), fz_event_hash,
                                       event_hash) < 0)
        abort();
    if (events == EVENTS_EVERY_REGISTER && sim_trace_compare_every_register(m, true) < 0)
        abort();
    return m;
}

/* The memory a run may have changed, folded into the read-back hash. */
static uint64_t memory_hash(rasim_machine *m, uint64_t h)
{
    static uint8_t buf[0x4000];
    static const uint64_t at[4] = {FZ_CODE, FZ_DATA, FZ_TABLES, FZ_STACK};
    static const size_t len[4] = {0x4000, 0x4000, 0x4000, 0x1000};
    for (unsigned r = 0; r < 4; r++) {
        if (rasim_read_phys(m, at[r], buf, len[r]) < 0)
            abort();
        for (size_t i = 0; i < len[r]; i += 8) {
            uint64_t v;
            memcpy(&v, buf + i, 8);
            h = (h ^ v) * 0x100000001b3ull;
        }
    }
    return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in = {data, size, 0};
    struct header h;
    read_header(&in, &h);
    size_t nwords = (size - in.pos) / 4;
    if (in.pos > size)
        nwords = 0;
    if (nwords > MAX_WORDS)
        nwords = MAX_WORDS;
    const uint8_t *words = data + (in.pos < size ? in.pos : size);
    static uint8_t wordbuf[MAX_WORDS * 4];
    memcpy(wordbuf, words, nwords * 4);

    uint64_t ev = 0;
    rasim_machine *m =
        build(&h, wordbuf, nwords,
              h.trace == TRACE_EVENTS || h.trace == TRACE_BREAK ? EVENTS_ON : EVENTS_OFF, &ev);

    /* Every word (every halfword on rv64) through the disassembler. */
    const bool a64 = FUZZ_ARCH == RASIM_ARCH_AARCH64;
    for (size_t off = 0; off + 2 <= nwords * 4; off += a64 ? 4 : 2) {
        uint8_t b[4] = {0, 0, 0, 0};
        memcpy(b, wordbuf + off, off + 4 <= nwords * 4 ? 4 : 2);
        struct rasim_insn_text t;
        rasim_disasm_word(
            m, FZ_CODE + off,
            (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24, &t);
        if ((t.size != 4 && t.size != 2) || (a64 && t.size != 4) ||
            !memchr(t.text, 0, sizeof(t.text)))
            abort();
        if (h.nextable && off + 4 <= nwords * 4) {
            struct rasim_insn_text u;
            if (rasim_disasm(m, FZ_CODE + off, &u) < 0 || u.size != t.size ||
                strcmp(u.text, t.text))
                abort(); /* the image path reads the same bytes */
        }
    }

    struct rasim_stop stop;
    if (rasim_run(m, BUDGET, &stop) < 0) {
        fprintf(stderr, "rasim_run: %s\n", rasim_error(m));
        abort();
    }
    uint64_t result = fz_read_back(m, &stop);

    /* The same machine run with events on (the traced path) must end the
     * same way: tracing is an observer. */
    if (h.trace == TRACE_COMPARE) {
        result = memory_hash(m, result);
        uint64_t ev2 = 0;
        rasim_machine *m2 = build(&h, wordbuf, nwords, EVENTS_ON, &ev2);
        struct rasim_stop stop2;
        if (rasim_run(m2, BUDGET, &stop2) < 0)
            abort();
        uint64_t result2 = memory_hash(m2, fz_read_back(m2, &stop2));
        if (result2 != result) {
            fprintf(stderr,
                    "traced run differs: stop %s pc 0x%llx insns %llu vs %s pc 0x%llx "
                    "insns %llu\n",
                    rasim_stop_reason_name(stop.reason), (unsigned long long)stop.pc,
                    (unsigned long long)stop.insns, rasim_stop_reason_name(stop2.reason),
                    (unsigned long long)stop2.pc, (unsigned long long)stop2.insns);
            abort();
        }
        rasim_free(m2);
        uint64_t ev3 = 0;
        rasim_machine *m3 = build(&h, wordbuf, nwords, EVENTS_EVERY_REGISTER, &ev3);
        if (rasim_run(m3, BUDGET, &stop2) < 0)
            abort();
        if (ev3 != ev2) {
            fprintf(stderr, "register events differ from comparing every register\n");
            abort();
        }
        rasim_free(m3);
    }

    /* A few single steps from wherever it stopped. */
    for (int i = 0; i < 3 && stop.reason != RASIM_STOP_EXIT; i++)
        if (rasim_step(m, &stop) < 0)
            break;
    fz_read_back(m, &stop);
    rasim_free(m);
    return 0;
}
