/*
 * test_rv64_mmu_diff_unicorn.c - Sv39 and Sv48 translation checked against
 * Unicorn 2 (Debian's libunicorn 2.0.1, QEMU 5.0's riscv64) with paging on:
 * random but valid trees (pointers, 4 KiB pages, 2 MiB / 1 GiB / 512 GiB
 * leaves, every R/W/X combination including the reserved ones, U, G, A and
 * D, misaligned superpages, invalid entries, non-global leaves under two
 * ASIDs), the same short guest sequence run on both in S-mode and U-mode,
 * and the outcome of each access compared: the value loaded (every data
 * doubleword holds its own PA), where a store landed, the page fault's
 * cause and stval, and the A/D bits the access set in the tables.
 *
 * How Unicorn 2.0.1 is driven, and why (each found by probing it):
 *  - It runs in M-mode and has no register for the privilege level, but
 *    MRET works: each case starts in M-mode (both engines), writes satp,
 *    SFENCE.VMA, sets mepc and mstatus (MPP = S or U, SUM, MXR) and MRETs
 *    to the access. U-mode runs the same code through a U alias of it.
 *  - It takes no exception: the UC_HOOK_INTR hook gets the cause (12, 13,
 *    15) before any trap entry, with the PC already advanced by 4 (Unicorn
 *    does that for riscv in cpu_handle_exception), and no stval; the cause
 *    is the whole architected report besides stval = the VA, which rasim's
 *    is checked against. Each case restarts from a uc_context saved in
 *    M-mode.
 *  - It checks the *virtual* address against its own memory map before it
 *    translates (unicorn-engine/unicorn issue 1718), so a scratch page is
 *    mapped at each VA accessed for the duration of the case.
 *
 * Unicorn limits, left out of generation:
 *  - A and D: QEMU 5.0 sets them in hardware, always, so rasim runs with
 *    Svadu (rasim_set_svadu) and the tables are compared after each case;
 *    Svade (a page fault for A = 0 or a store with D = 0) cannot be asked
 *    of Unicorn and stays with rasim's own tests.
 *  - Svnapot and Svpbmt: QEMU 5.0 has neither (rasim has both, PBMTE set
 *    at reset); it reads bits 63:54 as part of the PPN. N and PBMT stay 0.
 *  - Reserved PTE bits: QEMU 5.0 checks none of them - bits 60:54, PBMT =
 *    3, N without a NAPOT encoding, D/A/U in a pointer - and translates
 *    where the privileged spec's walk (step 3: "any bits or encodings that
 *    are reserved for future standard use are set") has a page fault;
 *    pinned by reserved_pte_bits_fault_unicorn_ignores_them. Random PTEs
 *    keep them clear.
 *  - External faults: an access whose PA has no memory reads 0 there
 *    rather than an access fault, so every leaf's output lies in RAM.
 *  - QEMU's TLB is not tagged by ASID (a satp write flushes it), so only
 *    sequences whose result the spec fixes are compared: a non-global leaf
 *    changed under a second ASID, then the first ASID again. A and D in
 *    the second tree's copies are not: a global translation cached from
 *    the first tree may serve the second without a walk (rasim's does;
 *    QEMU walks, and sets A there - the divergence this was found by).
 *
 * Cases per make check: RASIM_MMU_DIFF_N (default 8000) accesses, each of
 * one kind: LD and SD in S-mode (SUM, MXR random) and in U-mode (MXR
 * random), instruction fetch in S and U, and the ASID sequence.
 */
#include "rasim.h"
#include "diff_util.h"
#include "test_util.h"

#include <check.h>
#include <stdio.h>
#include <string.h>
#include <unicorn/unicorn.h>

/* ---- physical layout (both engines) ---------------------------------------- */

#define CODE_PA   0x80000000ull /* the snippets: VA = PA in S-mode */
#define U_ALIAS   0x200000ull   /* the same code at CODE_PA + U_ALIAS, U = 1 */
#define PT_PA     0x80200000ull /* the page-table pool, POOL_SIZE bytes */
#define DATA_PA   0xc0000000ull /* every leaf's output lies here */
#define DATA_SIZE 0x40000000ull /* 1 GiB, so a gigapage is all RAM */
#define FILL_SIZE 0x1000000ull  /* the first 16 MiB: each doubleword holds its PA */

#define NOP 0x00000013u /* addi x0, x0, 0 */

/* ---- PTEs and satp, privileged spec "Sv39"/"Sv48" (KERNEL-FACTS.md 5.2, 6) ----- */

#define PTE_V      (1ull << 0)
#define PTE_R      (1ull << 1)
#define PTE_W      (1ull << 2)
#define PTE_X      (1ull << 3)
#define PTE_U      (1ull << 4)
#define PTE_G      (1ull << 5)
#define PTE_A      (1ull << 6)
#define PTE_D      (1ull << 7)
#define PTE_RSW(x) ((uint64_t)(x) << 8) /* for software: ignored */
#define PTE_PPN    0x003ffffffffffc00ull

#define SATP_SV39 8ull
#define SATP_SV48 9ull

#define MSTATUS_MPP_S (1ull << 11)
#define MSTATUS_SUM   (1ull << 18)
#define MSTATUS_MXR   (1ull << 19)

#define CAUSE_FETCH_PF 12
#define CAUSE_LOAD_PF  13
#define CAUSE_STORE_PF 15

static uint64_t pte(uint64_t pa, uint64_t flags)
{
    return (pa >> 12) << 10 | flags;
}

static uint64_t pte_pa(uint64_t p)
{
    return ((p & PTE_PPN) >> 10) << 12;
}

/* ---- trees, built in a host image of the pool, then copied into both ---------- */

/* Bytes mapped by a leaf at level i: 4K, 2M, 1G, 512G. */
static unsigned level_shift(int i)
{
    return 12 + 9 * (unsigned)i;
}

/* An entry accesses are aimed at: a leaf, or an invalid or reserved one. */
struct leaf {
    uint64_t va, size, slot;
    int level;
    bool valid;  /* a leaf the spec accepts as such (it may still fault) */
    bool global; /* G here or in a pointer above */
};

#define MAX_LEAVES 2048

struct tree {
    int levels; /* 3: Sv39, 4: Sv48 */
    uint64_t root;
    struct leaf leaf[MAX_LEAVES];
    unsigned nleaves;
    /* The second address space of the ASID sequence: one non-global leaf
     * changed on a cloned path. */
    uint64_t root_b;
    const struct leaf *changed;
    uint64_t a_end; /* the first tree's tables end here in the pool */
};

static void add_leaf(struct tree *t, uint64_t va, int level, uint64_t slot, bool valid, bool global)
{
    if (t->nleaves == MAX_LEAVES)
        return;
    t->leaf[t->nleaves++] = (struct leaf){.va = va,
                                          .size = 1ull << level_shift(level),
                                          .slot = slot,
                                          .level = level,
                                          .valid = valid,
                                          .global = global};
}

/* A leaf's R/W/X: the five the spec defines, and now and then W or W+X
 * (reserved: a page fault). */
static uint64_t leaf_rwx(bool *reserved)
{
    static const uint64_t ok[5] = {PTE_R, PTE_R | PTE_W, PTE_X, PTE_R | PTE_X,
                                   PTE_R | PTE_W | PTE_X};
    *reserved = rnd(16) == 0;
    if (*reserved)
        return rnd(2) ? PTE_W : PTE_W | PTE_X;
    return ok[rnd(5)];
}

static uint64_t leaf_flags(bool *reserved)
{
    uint64_t f = PTE_V | leaf_rwx(reserved) | PTE_RSW(rnd(4));
    if (rnd(2))
        f |= PTE_U;
    if (rnd(5) == 0)
        f |= PTE_G;
    if (rnd(4))
        f |= PTE_A;
    if (rnd(2))
        f |= PTE_D;
    return f;
}

/* An output address for a leaf at level i: mostly in the filled part; a
 * gigapage maps the data gigabyte, a terapage the first 512 GiB (of which
 * only the data gigabyte and the code are RAM). */
static uint64_t leaf_oa(int i)
{
    uint64_t size = 1ull << level_shift(i);
    if (i == 3)
        return 0;
    if (i == 2)
        return DATA_PA;
    uint64_t span = rnd(8) ? FILL_SIZE : DATA_SIZE;
    return DATA_PA + (uint64_t)rnd((unsigned)(span / size)) * size;
}

static void gen_table(struct tree *t, uint64_t table, int i, uint64_t va_base, bool global,
                      int avoid);

static void gen_entry(struct tree *t, uint64_t table, int i, unsigned idx, uint64_t va, bool global)
{
    uint64_t slot = table + 8ull * idx;
    unsigned r = rnd(100);
    static const unsigned pointer_pct[4] = {0, 45, 60, 85};
    if (i > 0 && r < pointer_pct[i]) {
        uint64_t next = pool_alloc();
        if (next) {
            bool g = rnd(8) == 0;
            pool_put(slot, pte(next, PTE_V | PTE_RSW(rnd(4)) | (g ? PTE_G : 0)));
            gen_table(t, next, i - 1, va, global || g, -1);
            return;
        }
        r = 99;
    }
    if (r >= 88) { /* invalid: zero, or anything with V clear */
        pool_put(slot, rnd(2) ? 0 : rnd64() & ~PTE_V);
        add_leaf(t, va, i, slot, false, global);
        return;
    }
    bool reserved;
    uint64_t f = leaf_flags(&reserved);
    uint64_t oa = leaf_oa(i);
    if (i > 0 && rnd(12) == 0) { /* a misaligned superpage: a page fault */
        oa += (uint64_t)(1 + rnd(511)) << 12;
        reserved = true;
    }
    pool_put(slot, pte(oa, f));
    add_leaf(t, va, i, slot, !reserved, global || (f & PTE_G));
}

static void gen_table(struct tree *t, uint64_t table, int i, uint64_t va_base, bool global,
                      int avoid)
{
    unsigned n = 1 + rnd(i == 0 ? 6 : 4);
    for (unsigned k = 0; k < n; k++) {
        unsigned idx = rnd(512);
        if ((int)idx == avoid || pool_taken(table + 8ull * idx))
            continue;
        uint64_t va = va_base + ((uint64_t)idx << level_shift(i));
        if (i == t->levels - 1 && (va >> (level_shift(i) + 8)) & 1) /* sign-extend */
            va |= ~0ull << (level_shift(i) + 9);
        gen_entry(t, table, i, idx, va, global);
    }
}

/* The code: VA 0x80000000 = PA (S-mode: R, X) and its alias at +2 MiB
 * (U-mode: R, X, U), two megapages in the slot for [2 GiB, 3 GiB), which
 * no random entry takes. */
#define CODE_SLOT_LO 0x80000000ull
#define CODE_SLOT_HI 0xc0000000ull

static void start_tree(struct tree *t, int levels)
{
    pool_reset(PT_PA);
    t->nleaves = 0;
    t->levels = levels;
    t->root = pool_alloc();
    uint64_t l1 = pool_alloc();
    pool_put(l1, pte(CODE_PA, PTE_V | PTE_R | PTE_X | PTE_A | PTE_D));
    pool_put(l1 + 8, pte(CODE_PA, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A | PTE_D));
    if (levels == 4) {
        uint64_t l2 = pool_alloc();
        pool_put(t->root, pte(l2, PTE_V));
        pool_put(l2 + 16, pte(l1, PTE_V));
    } else {
        pool_put(t->root + 16, pte(l1, PTE_V));
    }
}

static void gen_tree(struct tree *t)
{
    start_tree(t, rnd(2) ? 4 : 3);
    if (t->levels == 4) {
        uint64_t l2 = pte_pa(pool_get(t->root));
        gen_table(t, t->root, 3, 0, false, 0);
        gen_table(t, l2, 2, 0, false, 2);
    } else {
        gen_table(t, t->root, 2, 0, false, 2);
    }
}

/* The ASID sequence's second tree: clone the path to one non-global leaf
 * and move it, invalidate it, or take its R away. */
static void gen_tree_b(struct tree *t)
{
    t->root_b = 0;
    t->changed = NULL;
    t->a_end = pool_used;
    unsigned cand[MAX_LEAVES], n = 0;
    for (unsigned i = 0; i < t->nleaves; i++)
        if (t->leaf[i].valid && !t->leaf[i].global)
            cand[n++] = i;
    if (!n || pool_used + 5 * 4096 > POOL_SIZE)
        return;
    const struct leaf *lf = &t->leaf[cand[rnd(n)]];
    uint64_t src = t->root, dst = pool_alloc();
    t->root_b = dst;
    for (int i = t->levels - 1;; i--) {
        memcpy(pool + (dst - PT_PA), pool + (src - PT_PA), 4096);
        unsigned idx = (unsigned)(lf->va >> level_shift(i)) & 511;
        uint64_t slot = dst + 8ull * idx, p = pool_get(slot);
        if (i == lf->level) {
            unsigned how = lf->level < 2 ? rnd(3) : 1 + rnd(2);
            if (how == 0) {
                uint64_t oa = pte_pa(p);
                while (oa == pte_pa(p))
                    oa = leaf_oa(i);
                p = (p & ~PTE_PPN) | pte(oa, 0);
            } else if (how == 1) {
                p = 0;
            } else {
                p = (p & ~(PTE_R | PTE_W)) | PTE_X; /* X only: loads fault (MXR is 0) */
            }
            pool_put(slot, p);
            break;
        }
        uint64_t next = pool_alloc();
        pool_put(slot, (p & ~PTE_PPN) | pte(next, 0));
        src = pte_pa(p);
        dst = next;
    }
    t->changed = lf;
}

/* ---- the snippets: one code page, the same in both engines --------------------- */

enum kind {
    K_LD_S,    /* S-mode, SUM and MXR random */
    K_SD_S,    /* S-mode, SUM and MXR random */
    K_LD_U,    /* U-mode, MXR random */
    K_SD_U,    /* U-mode */
    K_FETCH_S, /* MRET to the VA */
    K_FETCH_U, /* MRET to the VA */
    K_ASID,    /* S-mode: LD under (tree, ASID a), (B, ASID b), (tree, a) */
    K_NKINDS
};
static const char *const kind_name[K_NKINDS] = {"ld s",    "sd s",    "ld u", "sd u",
                                                "fetch s", "fetch u", "asid"};

struct snippet {
    uint64_t start, op, end; /* op: where MRET goes; end: where both stop */
};

enum { SN_LD, SN_SD, SN_ASID, SN_COUNT };
static struct snippet sn[SN_COUNT];
static uint32_t code[256];
static unsigned ncode;

static uint64_t here(void)
{
    return CODE_PA + 4ull * ncode;
}

static void emit(uint32_t w)
{
    code[ncode++] = w;
}

/* Registers: t0 satp, t1 mepc, t2 mstatus, a1 the VA, a2 the value
 * stored, a3/a4 satp of the second and first ASID; results in a0, a5, a6.
 * The prologue runs in M-mode. */
static void begin(unsigned i)
{
    sn[i].start = here();
    emit(0x18029073); /* csrw satp, t0 */
    emit(0x12000073); /* sfence.vma */
    emit(0x34131073); /* csrw mepc, t1 */
    emit(0x30039073); /* csrw mstatus, t2 */
    emit(0x30200073); /* mret */
    sn[i].op = here();
}

static void end(unsigned i)
{
    sn[i].end = here();
    emit(NOP); /* never executed: both stop here */
}

static void build_code(void)
{
    ncode = 0;
    begin(SN_LD);
    emit(0x0005b503); /* ld a0, 0(a1) */
    end(SN_LD);
    begin(SN_SD);
    emit(0x00c5b023); /* sd a2, 0(a1) */
    end(SN_SD);
    begin(SN_ASID);
    emit(0x0005b503); /* ld a0, 0(a1) */
    emit(0x18069073); /* csrw satp, a3 */
    emit(0x0005b783); /* ld a5, 0(a1) */
    emit(0x18071073); /* csrw satp, a4 */
    emit(0x0005b803); /* ld a6, 0(a1) */
    end(SN_ASID);
}

static uint64_t asid_load_pc(unsigned i)
{
    return sn[SN_ASID].op + 8ull * i;
}

/* ---- one access ---------------------------------------------------------------- */

struct access {
    enum kind kind;
    uint64_t va;
    bool sum, mxr;
    uint64_t satp[2]; /* address space a, b */
};

static bool is_store(enum kind k)
{
    return k == K_SD_S || k == K_SD_U;
}

static bool is_fetch(enum kind k)
{
    return k == K_FETCH_S || k == K_FETCH_U;
}

static bool in_u(enum kind k)
{
    return k == K_LD_U || k == K_SD_U || k == K_FETCH_U;
}

/* Start, stop, mepc and mstatus of a run. */
static void route(const struct access *a, uint64_t *start, uint64_t *stop, uint64_t *mepc,
                  uint64_t *mstatus)
{
    const struct snippet *s = &sn[is_store(a->kind) ? SN_SD : a->kind == K_ASID ? SN_ASID : SN_LD];
    uint64_t alias = in_u(a->kind) ? U_ALIAS : 0;
    *start = s->start;
    *mepc = s->op + alias;
    *stop = s->end + alias;
    if (is_fetch(a->kind)) {
        *mepc = a->va;
        *stop = a->va + 4;
    }
    *mstatus = (in_u(a->kind) ? 0 : MSTATUS_MPP_S) | (a->sum ? MSTATUS_SUM : 0) |
               (a->mxr ? MSTATUS_MXR : 0);
}

#define STORE_VALUE 0x5157000000000000ull
#define UNTOUCHED   0xdeadbeefdeadbeefull

/* a0-a6 and t0-t2 at the start of a run, as begin() and the snippets take them. */
static void start_regs(const struct access *a, uint64_t mepc, uint64_t mstatus, uint64_t x[10])
{
    const uint64_t v[10] = {UNTOUCHED, a->va,     STORE_VALUE, a->satp[1], a->satp[0],
                            UNTOUCHED, UNTOUCHED, a->satp[0],  mepc,       mstatus};
    memcpy(x, v, sizeof(v));
}

/* OUT_ILLEGAL: a fetch that reached unfilled RAM (0 is illegal): fetched. */
enum what { OUT_OK, OUT_FAULT, OUT_ILLEGAL, OUT_OTHER };
static const char *const what_name[] = {"ok", "page fault", "illegal instruction", "other"};
#define CAUSE_ILLEGAL 2

struct result {
    enum what what;
    unsigned cause;
    uint64_t pc; /* rasim: the faulting instruction; Unicorn: 4 past it */
    uint64_t tval;
    uint64_t a0, a5, a6;
    bool stored;
    uint64_t store_pa;
    char text[160];
};

/* ---- rasim ------------------------------------------------------------------------- */

/* Both engines' RAM: the layout above, the code built by build_code(). */
static const struct diff_ram ram = {.code_pa = CODE_PA,
                                    .code = code,
                                    .code_size = sizeof(code),
                                    .pt_pa = PT_PA,
                                    .data_pa = DATA_PA,
                                    .data_size = DATA_SIZE,
                                    .fill_size = FILL_SIZE,
                                    .nop = NOP};

static rasim_machine *m;

static void rset(const char *name, uint64_t v)
{
    ck_assert_msg(rasim_set_reg(m, name, v) == 0, "%s: %s", name, rasim_error(m));
}

static uint64_t rget(const char *name)
{
    uint64_t v = 0;
    ck_assert_msg(rasim_get_reg(m, name, &v) == 0, "%s: %s", name, rasim_error(m));
    return v;
}

static void rasim_setup(void)
{
    m = rasim_new(RASIM_ARCH_RV64);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(rasim_set_profile(m, "none"), 0); /* every exception ends the run */
    diff_ram_rasim(m, &ram);
    ck_assert_int_eq(rasim_set_svadu(m, true), 0); /* as QEMU 5.0 updates A and D */
}

static void rasim_case(const struct access *a, struct result *r)
{
    uint64_t start, stop_at, mepc, mstatus, x[10];
    route(a, &start, &stop_at, &mepc, &mstatus);
    start_regs(a, mepc, mstatus, x);
    static const char *const xn[10] = {"a0", "a1", "a2", "a3", "a4", "a5", "a6", "t0", "t1", "t2"};
    for (unsigned i = 0; i < 10; i++)
        rset(xn[i], x[i]);
    rset("priv", 3); /* M */
    struct rasim_stop st;
    diff_rasim_run(m, start, stop_at, &st);
    memset(r, 0, sizeof(*r));
    r->a0 = rget("a0");
    r->a5 = rget("a5");
    r->a6 = rget("a6");
    r->stored = rasim_wrote;
    r->store_pa = rasim_write_pa;
    if (st.reason == RASIM_STOP_RETURNED) {
        r->what = OUT_OK;
    } else if (st.reason == RASIM_STOP_EXCEPTION &&
               (st.syndrome == CAUSE_FETCH_PF || st.syndrome == CAUSE_LOAD_PF ||
                st.syndrome == CAUSE_STORE_PF)) {
        r->what = OUT_FAULT;
        r->cause = (unsigned)st.syndrome;
        r->pc = st.exception_pc;
        r->tval = st.fault_addr;
    } else if (st.reason == RASIM_STOP_EXCEPTION && st.syndrome == CAUSE_ILLEGAL) {
        r->what = OUT_ILLEGAL;
    } else {
        r->what = OUT_OTHER;
    }
    rasim_stop_describe(m, &st, r->text, sizeof(r->text));
}

/* ---- Unicorn ------------------------------------------------------------------------ */

static uc_engine *uc;
static uc_context *uc_m; /* M-mode: each case starts here */

static void uc_setup(void)
{
    ck_assert_int_eq(uc_open(UC_ARCH_RISCV, UC_MODE_RISCV64, &uc), UC_ERR_OK);
    diff_ram_uc(uc, &ram);
    ck_assert_int_eq(uc_context_alloc(uc, &uc_m), UC_ERR_OK);
    ck_assert_int_eq(uc_context_save(uc, uc_m), UC_ERR_OK);
}

static void uc_set(int reg, uint64_t v)
{
    ck_assert_int_eq(uc_reg_write(uc, reg, &v), UC_ERR_OK);
}

static uint64_t uc_get(int reg)
{
    uint64_t v;
    ck_assert_int_eq(uc_reg_read(uc, reg, &v), UC_ERR_OK);
    return v;
}

static void uc_case(const struct access *a, struct result *r)
{
    uint64_t start, stop_at, mepc, mstatus, x[10];
    route(a, &start, &stop_at, &mepc, &mstatus);
    start_regs(a, mepc, mstatus, x);
    ck_assert_int_eq(uc_context_restore(uc, uc_m), UC_ERR_OK);
    static const int xn[10] = {UC_RISCV_REG_A0, UC_RISCV_REG_A1, UC_RISCV_REG_A2, UC_RISCV_REG_A3,
                               UC_RISCV_REG_A4, UC_RISCV_REG_A5, UC_RISCV_REG_A6, UC_RISCV_REG_T0,
                               UC_RISCV_REG_T1, UC_RISCV_REG_T2};
    for (unsigned i = 0; i < 10; i++)
        uc_set(xn[i], x[i]);
    uc_err err = diff_uc_run(uc, a->va, start, stop_at);
    memset(r, 0, sizeof(*r));
    r->pc = uc_get(UC_RISCV_REG_PC);
    r->a0 = uc_get(UC_RISCV_REG_A0);
    r->a5 = uc_get(UC_RISCV_REG_A5);
    r->a6 = uc_get(UC_RISCV_REG_A6);
    if (err == UC_ERR_OK && uc_intno < 0 && r->pc == stop_at) {
        r->what = OUT_OK;
    } else if (err == UC_ERR_OK && (uc_intno == CAUSE_FETCH_PF || uc_intno == CAUSE_LOAD_PF ||
                                    uc_intno == CAUSE_STORE_PF)) {
        r->what = OUT_FAULT;
        r->cause = (unsigned)uc_intno;
    } else if (err == UC_ERR_OK && uc_intno == CAUSE_ILLEGAL) {
        r->what = OUT_ILLEGAL;
    } else {
        r->what = OUT_OTHER;
    }
    snprintf(r->text, sizeof(r->text), "%s, exception %d, pc %#llx", uc_strerror(err), uc_intno,
             (unsigned long long)r->pc);
}

/* ---- comparing ---------------------------------------------------------------------- */

/* Print the PTEs on va's path, read from the host image of the pool. */
static void dump_path(const struct tree *t, uint64_t va, uint64_t satp)
{
    uint64_t table = (satp & 0xfffffffffffull) << 12;
    for (int i = t->levels - 1; i >= 0; i--) {
        uint64_t slot = table + 8 * ((va >> level_shift(i)) & 511);
        uint64_t p = pool_get(slot);
        fprintf(stderr, "    level %d pte %#llx = %#018llx\n", i, (unsigned long long)slot,
                (unsigned long long)p);
        if (!(p & PTE_V) || (p & (PTE_R | PTE_X)))
            break;
        table = pte_pa(p);
    }
}

static void describe(const struct tree *t, const struct access *a, const struct result *ra,
                     const struct result *ru)
{
    fprintf(stderr, "case: %s va %#llx sum %d mxr %d satp %#llx (b: %#llx)\n", kind_name[a->kind],
            (unsigned long long)a->va, a->sum, a->mxr, (unsigned long long)a->satp[0],
            (unsigned long long)a->satp[1]);
    dump_path(t, a->va, a->satp[0]);
    if (a->kind == K_ASID) {
        fprintf(stderr, "  second address space:\n");
        dump_path(t, a->va, a->satp[1]);
    }
    fprintf(stderr, "  rasim:   %s cause %u, a0 %#llx a5 %#llx a6 %#llx: %s\n", what_name[ra->what],
            ra->cause, (unsigned long long)ra->a0, (unsigned long long)ra->a5,
            (unsigned long long)ra->a6, ra->text);
    fprintf(stderr, "  unicorn: %s cause %u, a0 %#llx a5 %#llx a6 %#llx: %s\n", what_name[ru->what],
            ru->cause, (unsigned long long)ru->a0, (unsigned long long)ru->a5,
            (unsigned long long)ru->a6, ru->text);
}

static uint8_t tables_r[POOL_SIZE], tables_u[POOL_SIZE];

/* The tables after the case: both engines set the same A and D bits in
 * the first [PT_PA, PT_PA + end). Then back to the generated trees. */
static const char *compare_tables(uint64_t end, char *why, size_t n)
{
    ck_assert_int_eq(rasim_read_phys(m, PT_PA, tables_r, pool_high), 0);
    ck_assert_int_eq(uc_mem_read(uc, PT_PA, tables_u, pool_high), UC_ERR_OK);
    for (uint64_t off = 0; off < end; off += 8) {
        uint64_t r, u;
        memcpy(&r, tables_r + off, 8);
        memcpy(&u, tables_u + off, 8);
        if (r != u) {
            snprintf(why, n, "PTE %#llx afterwards: rasim %#llx, unicorn %#llx (was %#llx)",
                     (unsigned long long)(PT_PA + off), (unsigned long long)r,
                     (unsigned long long)u, (unsigned long long)pool_get(PT_PA + off));
            return why;
        }
    }
    if (memcmp(tables_r, pool, pool_high) || memcmp(tables_u, pool, pool_high))
        pool_load(m, uc);
    return NULL;
}

static unsigned seen_ok[K_NKINDS], seen_fault[K_NKINDS];
static unsigned seen_leaf[4]; /* completed accesses by leaf level */

/* The leaf of the first address space va lies in, or NULL. */
static const struct leaf *leaf_of(const struct tree *t, uint64_t va)
{
    for (unsigned i = 0; i < t->nleaves; i++)
        if (t->leaf[i].valid && va - t->leaf[i].va < t->leaf[i].size)
            return &t->leaf[i];
    return NULL;
}
static unsigned seen_ad; /* cases that set A or D */

static const char *compare(const struct access *a, const struct result *ra, const struct result *ru,
                           char *why, size_t n)
{
    enum kind k = a->kind;
    if (ru->what == OUT_OTHER || (ru->what == OUT_ILLEGAL && !is_fetch(k))) {
        snprintf(why, n, "unicorn stopped otherwise: %s", ru->text);
        return why;
    }
    if (ra->what != ru->what) {
        snprintf(why, n, "rasim %s, unicorn %s", what_name[ra->what], what_name[ru->what]);
        return why;
    }
    if (ru->what == OUT_FAULT) {
        unsigned want = is_fetch(k) ? CAUSE_FETCH_PF : is_store(k) ? CAUSE_STORE_PF : CAUSE_LOAD_PF;
        if (ra->cause != ru->cause || ru->cause != want || ra->tval != a->va ||
            ra->pc + 4 != ru->pc) {
            snprintf(why, n,
                     "fault: rasim cause %u stval %#llx at %#llx, unicorn cause %u at %#llx "
                     "(Unicorn reports the PC plus 4)",
                     ra->cause, (unsigned long long)ra->tval, (unsigned long long)ra->pc, ru->cause,
                     (unsigned long long)ru->pc);
            return why;
        }
        return NULL;
    }
    if (is_fetch(k))
        return NULL;
    if (k == K_ASID) {
        if (ra->a0 != ru->a0 || ra->a5 != ru->a5 || ra->a6 != ru->a6) {
            snprintf(why, n, "loaded values differ");
            return why;
        }
        return NULL;
    }
    if (!is_store(k)) {
        if (ra->a0 != ru->a0) {
            snprintf(why, n, "loaded values differ (so do the PAs)");
            return why;
        }
        return NULL;
    }
    /* A store: at rasim's PA (its memory event) both memories hold the
     * value; then the old word goes back. */
    uint64_t vr = 0, vu = 0;
    if (!ra->stored) {
        snprintf(why, n, "rasim returned from a store without storing");
        return why;
    }
    rasim_read_phys(m, ra->store_pa, &vr, 8);
    uc_mem_read(uc, ra->store_pa, &vu, 8);
    if (vr != STORE_VALUE || vu != STORE_VALUE) {
        snprintf(why, n, "store: rasim wrote PA %#llx, where unicorn holds %#llx",
                 (unsigned long long)ra->store_pa, (unsigned long long)vu);
        return why;
    }
    diff_restore_word(m, uc, &ram, ra->store_pa);
    return NULL;
}

/* ---- choosing accesses ------------------------------------------------------------- */

static bool in_code_slot(uint64_t va)
{
    return va >= CODE_SLOT_LO && va < CODE_SLOT_HI;
}

/* A VA inside the entry; for a leaf, where its output is RAM (mostly the
 * filled part). */
static uint64_t va_in(const struct leaf *lf)
{
    uint64_t oa = pte_pa(pool_get(lf->slot)) & ~(lf->size - 1), lo = 0, hi = lf->size;
    if (lf->valid && oa + lf->size > DATA_PA && oa < DATA_PA + DATA_SIZE) {
        uint64_t end = rnd(4) ? DATA_PA + FILL_SIZE : DATA_PA + DATA_SIZE;
        lo = oa < DATA_PA ? DATA_PA - oa : 0;
        hi = oa + lf->size < end ? lf->size : end - oa;
    }
    return lf->va + lo + rnd64() % (hi - lo);
}

/* Whether va falls in a terapage: mostly over PAs with no memory, where
 * Unicorn reads 0 and rasim has an access fault (see the header). */
static bool in_terapage(const struct tree *t, uint64_t va)
{
    for (unsigned i = 0; i < t->nleaves; i++) {
        const struct leaf *lf = &t->leaf[i];
        if (lf->level == 3 && lf->valid && va - lf->va < lf->size)
            return true;
    }
    return false;
}

/* A VA: mostly inside a chosen entry, else anywhere canonical (not in a
 * terapage), sometimes not canonical. 8-aligned. */
static uint64_t pick_va(const struct tree *t)
{
    unsigned vabits = 12 + 9 * (unsigned)t->levels;
    for (;;) {
        uint64_t va;
        unsigned r = rnd(100);
        if (r < 85 && t->nleaves) {
            va = va_in(&t->leaf[rnd(t->nleaves)]);
        } else if (r < 96) {
            va = rnd64() & ((1ull << vabits) - 1);
            if ((va >> (vabits - 1)) & 1)
                va |= ~0ull << vabits;
            if (in_terapage(t, va))
                continue;
        } else {
            va = rnd64();
        }
        va &= ~7ull;
        if (!in_code_slot(va) && !in_code_slot(va + 4))
            return va;
    }
}

static uint64_t satp_of(const struct tree *t, uint64_t root, unsigned asid)
{
    return (t->levels == 4 ? SATP_SV48 : SATP_SV39) << 60 | (uint64_t)asid << 44 | root >> 12;
}

static void make_access(const struct tree *t, struct access *a)
{
    static const unsigned weight[K_NKINDS] = {22, 14, 14, 10, 12, 10, 18};
    unsigned k = rnd_weighted(weight, K_NKINDS);
    if (k == K_ASID && !t->changed)
        k = K_LD_S;
    memset(a, 0, sizeof(*a));
    a->kind = (enum kind)k;
    a->va = pick_va(t);
    a->sum = !in_u(a->kind) && rnd(2);
    a->mxr = k != K_ASID && rnd(2); /* the second tree takes R away */
    unsigned asid_a = rnd(65536), asid_b = asid_a ^ (1 + rnd(65535));
    a->satp[0] = satp_of(t, t->root, asid_a);
    if (k == K_ASID) {
        a->satp[1] = satp_of(t, t->root_b, asid_b);
        if (rnd(3)) /* mostly at the leaf that differs */
            a->va = va_in(t->changed) & ~7ull;
    }
}

/* ---- the tests ---------------------------------------------------------------------- */

static void engines_up(void)
{
    build_code();
    rasim_setup();
    uc_setup();
}

static void engines_down(void)
{
    uc_context_free(uc_m);
    uc_close(uc);
    rasim_free(m);
}

START_TEST(translations_agree_with_unicorn)
{
    static struct tree t;
    engines_up();
    unsigned want = mmu_diff_cases(), done = 0, trees = 0, asid_visible = 0;
    char why[320];
    while (done < want) {
        gen_tree(&t);
        gen_tree_b(&t);
        pool_load(m, uc);
        trees++;
        for (unsigned c = 0; c < 24 && done < want; c++, done++) {
            struct access a;
            struct result ra, ru;
            make_access(&t, &a);
            rasim_case(&a, &ra);
            uc_case(&a, &ru);
            const char *d = compare(&a, &ra, &ru, why, sizeof(why));
            if (!d) {
                /* Not the second tree's copy of a global leaf: its A and D
                 * may stay clear as the hart may use the global translation
                 * cached from the first tree (rasim does; QEMU flushes its
                 * TLB at the satp write and walks). */
                d = compare_tables(a.kind == K_ASID ? t.a_end : pool_high, why, sizeof(why));
                if (!d && memcmp(tables_r, pool, pool_high))
                    seen_ad++;
            }
            if (d) {
                describe(&t, &a, &ra, &ru);
                ck_abort_msg("tree %u case %u (%s, va %#llx): %s", trees, done, kind_name[a.kind],
                             (unsigned long long)a.va, d);
            }
            if (ra.what == OUT_FAULT)
                seen_fault[a.kind]++;
            else
                seen_ok[a.kind]++;
            const struct leaf *lf = leaf_of(&t, a.va);
            if (lf)
                seen_leaf[lf->level]++;
            if (a.kind == K_ASID && ((ra.what == OUT_OK && ra.a5 != ra.a0) ||
                                     (ra.what == OUT_FAULT && ra.pc == asid_load_pc(1))))
                asid_visible++;
        }
    }
    fprintf(stderr, "rv64 mmu vs unicorn: %u trees, %u accesses agree\n", trees, done);
    for (unsigned k = 0; k < K_NKINDS; k++)
        fprintf(stderr, "  %-8s %5u completed %5u faulted\n", kind_name[k], seen_ok[k],
                seen_fault[k]);
    fprintf(stderr, "  accesses that set A or D: %u\n", seen_ad);
    fprintf(stderr, "  ASID sequences where the second address space differed: %u\n", asid_visible);
    fprintf(stderr, "  completed through 4K pages %u, 2M %u, 1G %u, 512G %u\n", seen_leaf[0],
            seen_leaf[1], seen_leaf[2], seen_leaf[3]);
    if (want >= 2000) {
        for (unsigned k = 0; k < K_NKINDS; k++)
            ck_assert_msg(seen_ok[k] && seen_fault[k], "%s: %u completed, %u faulted", kind_name[k],
                          seen_ok[k], seen_fault[k]);
        ck_assert_uint_gt(seen_ad, 0);
        ck_assert_uint_gt(asid_visible, 0);
        for (int l = 0; l <= 3; l++)
            ck_assert_msg(seen_leaf[l], "nothing completed through a level %d leaf", l);
    }
    engines_down();
}
END_TEST

/* A Unicorn 2.0.1 (QEMU 5.0) limit, and why random PTEs keep reserved
 * bits clear: it checks none, and translates. The privileged spec's walk
 * ("Virtual Address Translation Process", step 3: "if any bits or
 * encodings that are reserved for future standard use are set within pte,
 * stop and raise a page-fault exception"; the Sv39 section reserves bits
 * 63-54, PBMT = 3 (and any PBMT without Svpbmt), N outside a NAPOT
 * encoding (and any N without Svnapot), and
 * D, A and U in a non-leaf PTE) has a load page fault for each, which is
 * what rasim reports (KERNEL-FACTS.md 6, steps 3 and 4). QEMU 5.0 takes
 * the PPN as pte >> 10, so a leaf's bits 62-54 move the PA to where there
 * is no memory (Unicorn reads 0) and bit 63 falls off the top; the
 * pointer's A changes nothing. If Unicorn starts faulting, generate such
 * PTEs. */
START_TEST(reserved_pte_bits_fault_unicorn_ignores_them)
{
    static struct tree t;
    engines_up();
    start_tree(&t, 3);
    uint64_t l1 = pool_alloc(), l0 = pool_alloc(), l0b = pool_alloc();
    const uint64_t rw = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
    pool_put(t.root, pte(l1, PTE_V));          /* VA [0, 1 GiB) */
    pool_put(l1, pte(l0, PTE_V));              /* VA [0, 2 MiB) */
    pool_put(l1 + 8, pte(l0b, PTE_V | PTE_A)); /* VA [2 MiB, 4 MiB): A in a pointer */
    pool_put(l0 + 8, pte(DATA_PA + 0x1000, rw) | 1ull << 54);  /* a reserved bit */
    pool_put(l0 + 16, pte(DATA_PA + 0x2000, rw) | 3ull << 61); /* PBMT = 3: reserved */
    pool_put(l0 + 24, pte(DATA_PA + 0x3000, rw) | 1ull << 63); /* N, ppn[3:0] = 0011 */
    pool_put(l0b + 32, pte(DATA_PA + 0x4000, rw));
    pool_load(m, uc);
    static const struct {
        uint64_t va, value; /* what Unicorn loads */
    } cases[] = {{0x1008, 0},
                 {0x2008, 0},
                 {0x3008, (DATA_PA + 0x3008) << 32 | NOP},
                 {0x204008, (DATA_PA + 0x4008) << 32 | NOP}};
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct access a = {.kind = K_LD_S, .va = cases[i].va};
        a.satp[0] = satp_of(&t, t.root, 1);
        struct result ra, ru;
        rasim_case(&a, &ra);
        uc_case(&a, &ru);
        ck_assert_msg(ra.what == OUT_FAULT && ra.cause == CAUSE_LOAD_PF && ra.tval == a.va,
                      "va %#llx: rasim %s (%s), want a load page fault", (unsigned long long)a.va,
                      what_name[ra.what], ra.text);
        ck_assert_msg(ru.what == OUT_OK && ru.a0 == cases[i].value,
                      "va %#llx: unicorn %s, a0 %#llx: it checks reserved bits now",
                      (unsigned long long)a.va, what_name[ru.what], (unsigned long long)ru.a0);
    }
    engines_down();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rv64_mmu_diff_unicorn");
    TCase *tc = tcase_create("diff");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, translations_agree_with_unicorn);
    tcase_add_test(tc, reserved_pte_bits_fault_unicorn_ignores_them);
    suite_add_tcase(s, tc);
    rnd_seed(0xbb67ae8584caa73bull);
    return tu_main(s);
}
