/*
 * fuzz_machine.c - the machine shared by fuzz_exec_* and fuzz_walk
 * (fuzz_machine.h), built only through rasim.h.
 */
#include "fuzz_machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint8_t fz_u8(struct fz_in *in)
{
    return in->pos < in->size ? in->data[in->pos++] : 0;
}

uint16_t fz_u16(struct fz_in *in)
{
    uint16_t lo = fz_u8(in);
    return (uint16_t)(lo | fz_u8(in) << 8);
}

uint64_t fz_u64(struct fz_in *in)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)fz_u8(in) << (8 * i);
    return v;
}

static void harness_bug(rasim_machine *m, const char *what)
{
    fprintf(stderr, "fuzz harness bug: %s: %s\n", what, m ? rasim_error(m) : "");
    abort();
}

void fz_set(rasim_machine *m, const char *reg, uint64_t value)
{
    if (rasim_set_reg(m, reg, value) < 0)
        harness_bug(m, reg);
}

void fz_write(rasim_machine *m, uint64_t pa, const void *buf, size_t len)
{
    if (rasim_write_phys(m, pa, buf, len) < 0)
        harness_bug(m, "rasim_write_phys");
}

/* A device that answers most reads with a pattern and refuses a few
 * offsets (an external abort for the guest). */
static bool dev_read(void *ctx, uint64_t offset, unsigned size, uint64_t *value)
{
    *value = (offset * 0x0101010101010101ull) ^ size;
    return (offset & 0xf0) != 0xf0;
}

static bool dev_write(void *ctx, uint64_t offset, unsigned size, uint64_t value)
{
    return offset < 0x800;
}

rasim_machine *fz_machine_new(enum rasim_arch arch)
{
    static const struct rasim_device dev = {dev_read, dev_write, NULL};
    rasim_machine *m = rasim_new(arch);
    if (!m)
        harness_bug(NULL, "rasim_new");
    if (rasim_add_region(m, "code", FZ_CODE, FZ_DATA - FZ_CODE, RASIM_REGION_RAM) < 0 ||
        rasim_add_region(m, "data", FZ_DATA, FZ_TABLES - FZ_DATA, RASIM_REGION_RAM) < 0 ||
        rasim_add_region(m, "tables", FZ_TABLES, FZ_ROM - FZ_TABLES, RASIM_REGION_RAM) < 0 ||
        rasim_add_region(m, "rom", FZ_ROM, 0x1000, RASIM_REGION_ROM) < 0 ||
        rasim_add_region(m, "absent", FZ_ABSENT, 0x1000, RASIM_REGION_ABSENT) < 0 ||
        rasim_add_device(m, "dev", FZ_DEVICE, 0x1000, &dev) < 0 ||
        rasim_add_region(m, "stack", FZ_STACK, 0x1000, RASIM_REGION_RAM) < 0)
        harness_bug(m, "regions");
    return m;
}

/* arm64 descriptors (4 KiB granule) */
#define A64_TABLE    3ull
#define A64_BLOCK    1ull
#define A64_PAGE     3ull
#define A64_AF       (1ull << 10)
#define A64_SH_INNER (3ull << 8)
#define A64_AP_EL0   (1ull << 6)
#define A64_AP_RO    (1ull << 7)
#define A64_NG       (1ull << 11)
#define A64_DBM      (1ull << 51)
#define A64_CONT     (1ull << 52)
#define A64_PXN      (1ull << 53)
#define A64_UXN      (1ull << 54)
/* rv64 Sv39 */
#define RV_V     (1ull << 0)
#define RV_R     (1ull << 1)
#define RV_W     (1ull << 2)
#define RV_X     (1ull << 3)
#define RV_U     (1ull << 4)
#define RV_G     (1ull << 5)
#define RV_A     (1ull << 6)
#define RV_D     (1ull << 7)
#define RV_N     (1ull << 63)
#define RV_PTR   RV_V
#define RV_RWXAD (RV_V | RV_R | RV_W | RV_X | RV_A | RV_D)

static uint64_t rv_ppn(uint64_t pa)
{
    return (pa >> 12) << 10;
}

/* Page i's entry; attr bits vary it. The code and vector pages
 * (FZ_CODE..FZ_DATA) keep what a fetch at EL1 / S-mode needs. */
static uint64_t a64_page(unsigned i, uint8_t b)
{
    if (FZ_CODE + i * 0x1000ull < FZ_DATA)
        b &= (uint8_t) ~(1 | 8);
    uint64_t d = (FZ_CODE + i * 0x1000ull) | A64_PAGE | A64_AF | A64_SH_INNER;
    d &= b & 1 ? ~A64_AF : ~0ull;
    d |= (b & 2 ? A64_AP_RO : 0) | (b & 4 ? A64_AP_EL0 : 0) | (b & 8 ? A64_PXN : 0) |
         (b & 16 ? A64_UXN : 0) | (b & 32 ? A64_DBM : 0) | (b & 64 ? A64_NG : 0) |
         (b & 128 ? A64_CONT : 0);
    return d;
}

static uint64_t rv_page(unsigned i, uint8_t b)
{
    if (FZ_CODE + i * 0x1000ull < FZ_DATA)
        b &= (uint8_t) ~(1 | 4 | 8 | 64);
    uint64_t d = rv_ppn(FZ_CODE + i * 0x1000ull) | RV_RWXAD;
    d &= ~((b & 1 ? RV_A : 0) | (b & 2 ? RV_W : 0) | (b & 8 ? RV_X : 0) | (b & 16 ? RV_D : 0) |
           (b & 64 ? RV_R : 0));
    d |= (b & 4 ? RV_U : 0) | (b & 32 ? RV_G : 0) | (b & 128 ? RV_N : 0);
    return d;
}

void fz_build_tables(rasim_machine *m, uint64_t base, const uint8_t *attrs)
{
    static uint64_t t[4][512];
    memset(t, 0, sizeof(t));
    const uint64_t l2 = base + 0x1000, l3 = base + 0x2000;
    if (rasim_get_arch(m) == RASIM_ARCH_AARCH64) {
        /* TTBR0 (t[0]): L1[1] -> L2; L2[0] -> L3 (the 16 pages); L2[1] a
         * block aliasing the first 2 MiB. TTBR1 (t[3]): L1[511] -> the
         * same L2. */
        t[0][1] = l2 | A64_TABLE;
        t[1][0] = l3 | A64_TABLE;
        t[1][1] = FZ_CODE | A64_BLOCK | A64_AF | A64_SH_INNER;
        for (unsigned i = 0; i < FZ_PAGES; i++)
            t[2][i] = a64_page(i, attrs ? attrs[i] : 0);
        t[3][511] = l2 | A64_TABLE;
    } else {
        /* root[1] -> L1; L1[0] -> L0 (the 16 pages); L1[1] a superpage
         * aliasing the first 2 MiB; root[511] -> the same L1. */
        t[0][1] = rv_ppn(l2) | RV_PTR;
        t[0][511] = rv_ppn(l2) | RV_PTR;
        t[1][0] = rv_ppn(l3) | RV_PTR;
        t[1][1] = rv_ppn(FZ_CODE) | RV_RWXAD;
        for (unsigned i = 0; i < FZ_PAGES; i++)
            t[2][i] = rv_page(i, attrs ? attrs[i] : 0);
    }
    fz_write(m, base, t, sizeof(t));
}

void fz_mmu_on(rasim_machine *m, uint64_t tcr_extra, uint16_t asid)
{
    if (rasim_get_arch(m) == RASIM_ARCH_RV64) {
        fz_set(m, "satp", 8ull << 60 | (uint64_t)asid << 44 | FZ_TABLES >> 12);
        return;
    }
    uint64_t sctlr = 0;
    uint64_t tcr = 25 | 1u << 8 | 1u << 10 | 3u << 12 /* T0SZ 25, WB, inner shareable, 4K */
                   | 25u << 16 | 1u << 24 | 1u << 26 | 3u << 28 /* T1SZ 25, WB, inner */
                   | 2ull << 30 | 5ull << 32 | tcr_extra;       /* TG1 4K, IPS 48 bits */
    fz_set(m, "mair_el1", 0x0044ff); /* 0: normal WB, 1: normal NC, 2: device */
    fz_set(m, "tcr_el1", tcr);
    fz_set(m, "ttbr0_el1", (uint64_t)asid << 48 | FZ_TABLES);
    fz_set(m, "ttbr1_el1", (uint64_t)asid << 48 | (FZ_TABLES + 0x3000));
    if (rasim_get_reg(m, "sctlr_el1", &sctlr) < 0)
        harness_bug(m, "sctlr_el1");
    fz_set(m, "sctlr_el1", sctlr | 1 | 1u << 2 | 1u << 12); /* M, C, I */
}

/* msr tpidr_el1, x0; mrs x0, elr_el1; add x0, x0, #4; msr elr_el1, x0;
 * mrs x0, tpidr_el1; eret */
static const uint32_t a64_skip[] = {0xd518d080, 0xd5384020, 0x91001000,
                                    0xd5184020, 0xd538d080, 0xd69f03e0};
/* csrw mscratch, t0; csrr t0, mepc; addi t0, t0, 2; csrw mepc, t0;
 * csrr t0, mscratch; mret - then the same with the S-mode CSRs and sret */
static const uint32_t rv_skip[] = {0x34029073, 0x341022f3, 0x00228293, 0x34129073,
                                   0x340022f3, 0x30200073, 0x14029073, 0x141022f3,
                                   0x00228293, 0x14129073, 0x140022f3, 0x10200073};

void fz_install_vectors(rasim_machine *m, uint64_t delegate)
{
    if (rasim_get_arch(m) == RASIM_ARCH_AARCH64) {
        /* All 16 entries of the table (0x80 bytes apart). */
        for (unsigned e = 0; e < 16; e++)
            fz_write(m, FZ_VECTORS + e * 0x80, a64_skip, sizeof(a64_skip));
        fz_set(m, "vbar_el1", FZ_VECTORS);
        return;
    }
    fz_write(m, FZ_VECTORS, rv_skip, 6 * 4);
    fz_write(m, FZ_VECTORS + 0x40, rv_skip + 6, 6 * 4);
    fz_set(m, "mtvec", FZ_VECTORS);
    fz_set(m, "stvec", FZ_VECTORS + 0x40);
    fz_set(m, "medeleg", delegate);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v;
    h *= 0x100000001b3ull;
    return h ^ (h >> 29);
}

static uint64_t mix_str(uint64_t h, const char *s)
{
    if (!s)
        return mix(h, 0x5a);
    for (; *s; s++)
        h = mix(h, (uint8_t)*s);
    return mix(h, 0);
}

static uint64_t mix_record(uint64_t h, const struct rasim_error_record *r)
{
    h = mix(h, r->seq);
    h = mix(h, r->pa);
    h = mix(h, r->tag | r->async << 1 | r->pc_known << 2 | r->va_valid << 3);
    h = mix(h, r->pc_known ? r->pc : 0);
    h = mix(h, r->va_valid ? r->va : 0);
    h = mix_str(h, r->access);
    return mix_str(h, r->outcome);
}

static uint64_t mix_fixup(uint64_t h, const struct rasim_fixup *f)
{
    h = mix(h, f->insn);
    h = mix(h, f->fixup);
    h = mix(h, f->type);
    h = mix_str(h, f->type_name);
    h = mix_str(h, f->exception);
    h = mix(h, f->fault_addr_valid ? f->fault_addr : 1);
    h = mix(h, f->pa_valid ? f->pa : 1);
    for (int i = 0; i < f->nregs && i < 2; i++) {
        h = mix_str(h, f->reg[i]);
        h = mix(h, f->value[i]);
    }
    return mix(h, f->memory_failure ? f->pfn : 3);
}

void fz_event_hash(void *ctx, const struct rasim_event *e)
{
    uint64_t h = *(uint64_t *)ctx;
    h = mix(h, e->kind);
    h = mix(h, e->icount);
    h = mix(h, e->pc);
    h = mix_str(h, rasim_event_kind_name(e->kind));
    switch (e->kind) {
    case RASIM_EV_INSN: h = mix(h, e->insn.word | (uint64_t)e->insn.size << 32); break;
    case RASIM_EV_REG:
        h = mix_str(h, e->reg.name);
        h = mix(h, e->reg.old);
        h = mix(h, e->reg.value);
        break;
    case RASIM_EV_MEM:
        h = mix(h, e->mem.va);
        h = mix(h, e->mem.pa);
        h = mix(h, e->mem.size | e->mem.write << 8 | e->mem.tag << 9);
        h = mix(h, e->mem.value);
        break;
    case RASIM_EV_WALK:
        h = mix(h, e->walk.va);
        h = mix(h, e->walk.ok | e->walk.fetch << 1 | e->walk.write << 2);
        if (e->walk.ok) {
            h = mix(h, e->walk.pa);
            h = mix(h, e->walk.size);
        } else {
            h = mix_str(h, e->walk.fault);
        }
        h = mix(h, (uint64_t)e->walk.level);
        if (e->walk.nsteps > 5)
            abort(); /* steps[] holds five */
        for (unsigned i = 0; i < e->walk.nsteps; i++) {
            h = mix(h, (uint64_t)e->walk.steps[i].level);
            h = mix(h, e->walk.steps[i].pa);
            h = mix(h, e->walk.steps[i].desc);
        }
        break;
    case RASIM_EV_TLBI:
        if (!memchr(e->tlbi.text, 0, sizeof(e->tlbi.text)))
            abort();
        h = mix_str(h, e->tlbi.text);
        break;
    case RASIM_EV_EXCEPTION:
        if (!memchr(e->exception.text, 0, sizeof(e->exception.text)))
            abort();
        h = mix(h, e->exception.syndrome);
        h = mix(h, e->exception.addr_valid ? e->exception.addr : 1);
        h = mix(h, e->exception.pa_valid ? e->exception.pa : 1);
        h = mix(h, e->exception.return_pc);
        h = mix(h, e->exception.target_level | e->exception.taken << 4);
        h = mix_str(h, e->exception.text);
        break;
    case RASIM_EV_POISON: h = mix_record(h, &e->poison); break;
    case RASIM_EV_FIXUP: h = mix_fixup(h, &e->fixup); break;
    case RASIM_EV_CHECK:
        h = mix_str(h, e->check.kind);
        h = mix(h, e->check.pte_pa);
        h = mix(h, e->check.cached);
        h = mix(h, e->check.current);
        h = mix_str(h, e->check.text);
        break;
    case RASIM_EV_NKINDS: abort();
    }
    *(uint64_t *)ctx = h;
}

static void tlb_entry(void *ctx, const struct rasim_tlb_entry *t)
{
    uint64_t *h = ctx;
    *h = mix(*h, t->va);
    *h = mix(*h, t->size);
    *h = mix(*h, t->pa);
    *h = mix(*h, t->asid | (uint64_t)t->global << 16 | (uint64_t)(t->level & 0xff) << 17);
    *h = mix(*h, t->pte);
    *h = mix(*h, t->pte_pa);
    *h = mix_str(*h, t->text);
}

uint64_t fz_read_back(rasim_machine *m, const struct rasim_stop *stop)
{
    uint64_t h = 0xcbf29ce484222325ull;
    char buf[1024];
    h = mix(h, stop->reason);
    h = mix(h, stop->pc);
    h = mix(h, stop->insns);
    rasim_stop_describe(m, stop, buf, sizeof(buf));
    h = mix_str(h, buf);
    h = mix_str(h, rasim_stop_reason_name(stop->reason));
    rasim_backtrace(m, buf, sizeof(buf));
    h = mix_str(h, buf);
    for (unsigned i = 0; i < 32; i++) {
        uint64_t v = 0;
        const char *name = rasim_gpr_name(m, i);
        if (name && rasim_get_reg(m, name, &v) == 0)
            h = mix(h, v);
    }
    for (size_t i = 0; i < rasim_error_log_count(m); i++) {
        struct rasim_error_record r;
        if (rasim_error_log_get(m, i, &r) < 0)
            abort();
        h = mix_record(h, &r);
    }
    for (size_t i = 0; i < rasim_fixup_count(m); i++) {
        const struct rasim_fixup *f = rasim_fixup_get(m, i);
        if (!f)
            abort();
        h = mix_fixup(h, f);
    }
    for (size_t i = 0; i < rasim_mmu_warning_count(m); i++) {
        struct rasim_mmu_warning w;
        if (rasim_mmu_warning_get(m, i, &w) < 0)
            abort();
        h = mix_str(h, w.kind);
        h = mix_str(h, w.text);
    }
    rasim_tlb_entries(m, tlb_entry, &h);
    return h;
}
