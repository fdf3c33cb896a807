/*
 * disasm.c - RV64 instruction text, as llvm-objdump prints it (capstone 4
 * has no RISC-V): ABI register names, CSR names, the assembler's aliases
 * (nop, li, mv, not, neg, sext.w, seqz, snez, beqz, j, ret, csrr ...), and
 * compressed instructions as the base instruction they expand to. Branch
 * and jump targets are absolute addresses.
 *
 * The text comes from the same decode as execution (rv64_decode), so the
 * disassembler cannot disagree with the executor about what a word is.
 */
#include "isa/rv64/insn.h"
#include "isa/rv64/rv64.h"

#include <stdarg.h>
#include <stdio.h>

/* ---- names ---------------------------------------------------------------- */

static const char *reg(unsigned r)
{
    return rv64_gpr_name(r);
}

struct csr_name {
    unsigned num;
    const char *name;
};

/* CSRs by name (privileged spec, "CSR Listing"), as far as llvm-objdump
 * names them for RV64; others print as a decimal number. Numbered ranges
 * (hpmcounterN, pmpcfgN, ...) are generated in csr_name(). */
static const struct csr_name csr_names[] = {
    {0x000, "ustatus"},   {0x004, "uie"},       {0x005, "utvec"},         {0x040, "uscratch"},
    {0x041, "uepc"},      {0x042, "ucause"},    {0x043, "utval"},         {0x044, "uip"},
    {0x001, "fflags"},    {0x002, "frm"},       {0x003, "fcsr"},          {0x008, "vstart"},
    {0x009, "vxsat"},     {0x00a, "vxrm"},      {0x00f, "vcsr"},          {0x015, "seed"},
    {0xc00, "cycle"},     {0xc01, "time"},      {0xc02, "instret"},       {0xc20, "vl"},
    {0xc21, "vtype"},     {0xc22, "vlenb"},     {0x100, "sstatus"},       {0x102, "sedeleg"},
    {0x103, "sideleg"},   {0x104, "sie"},       {0x105, "stvec"},         {0x106, "scounteren"},
    {0x10a, "senvcfg"},   {0x140, "sscratch"},  {0x141, "sepc"},          {0x142, "scause"},
    {0x143, "stval"},     {0x144, "sip"},       {0x10c, "sstateen0"},     {0x10d, "sstateen1"},
    {0x10e, "sstateen2"}, {0x10f, "sstateen3"}, {0x14d, "stimecmp"},      {0x180, "satp"},
    {0x5a8, "scontext"},  {0xda0, "scountovf"}, {0x600, "hstatus"},       {0x602, "hedeleg"},
    {0x603, "hideleg"},   {0x604, "hie"},       {0x605, "htimedelta"},    {0x606, "hcounteren"},
    {0x607, "hgeie"},     {0x60a, "henvcfg"},   {0x643, "htval"},         {0x644, "hip"},
    {0x645, "hvip"},      {0x64a, "htinst"},    {0x60c, "hstateen0"},     {0x60d, "hstateen1"},
    {0x60e, "hstateen2"}, {0x60f, "hstateen3"}, {0x680, "hgatp"},         {0x6a8, "hcontext"},
    {0xe12, "hgeip"},     {0x200, "vsstatus"},  {0x204, "vsie"},          {0x205, "vstvec"},
    {0x240, "vsscratch"}, {0x241, "vsepc"},     {0x242, "vscause"},       {0x243, "vstval"},
    {0x244, "vsip"},      {0x24d, "vstimecmp"}, {0x280, "vsatp"},         {0xf11, "mvendorid"},
    {0xf12, "marchid"},   {0xf13, "mimpid"},    {0xf14, "mhartid"},       {0xf15, "mconfigptr"},
    {0x300, "mstatus"},   {0x301, "misa"},      {0x302, "medeleg"},       {0x303, "mideleg"},
    {0x304, "mie"},       {0x305, "mtvec"},     {0x306, "mcounteren"},    {0x30a, "menvcfg"},
    {0x340, "mscratch"},  {0x341, "mepc"},      {0x342, "mcause"},        {0x343, "mtval"},
    {0x30c, "mstateen0"}, {0x30d, "mstateen1"}, {0x30e, "mstateen2"},     {0x30f, "mstateen3"},
    {0x344, "mip"},       {0x34a, "mtinst"},    {0x34b, "mtval2"},        {0x747, "mseccfg"},
    {0xb00, "mcycle"},    {0xb02, "minstret"},  {0x320, "mcountinhibit"}, {0x7a0, "tselect"},
    {0x7a1, "tdata1"},    {0x7a2, "tdata2"},    {0x7a3, "tdata3"},        {0x7a8, "mcontext"},
    {0x7b0, "dcsr"},      {0x7b1, "dpc"},       {0x7b2, "dscratch0"},     {0x7b3, "dscratch1"},
};

static void csr_name(unsigned csr, char *out, size_t len)
{
    for (size_t i = 0; i < sizeof(csr_names) / sizeof(csr_names[0]); i++)
        if (csr_names[i].num == csr) {
            snprintf(out, len, "%s", csr_names[i].name);
            return;
        }
    if (csr >= 0xc03 && csr <= 0xc1f)
        snprintf(out, len, "hpmcounter%u", csr - 0xc00);
    else if (csr >= 0xb03 && csr <= 0xb1f)
        snprintf(out, len, "mhpmcounter%u", csr - 0xb00);
    else if (csr >= 0x323 && csr <= 0x33f)
        snprintf(out, len, "mhpmevent%u", csr - 0x320);
    else if (csr >= 0x3a0 && csr <= 0x3af && !(csr & 1))
        snprintf(out, len, "pmpcfg%u", csr - 0x3a0); /* odd ones are RV32-only */
    else if (csr >= 0x3b0 && csr <= 0x3ef)
        snprintf(out, len, "pmpaddr%u", csr - 0x3b0);
    else
        snprintf(out, len, "%u", csr);
}

/* "iorw" letters of a FENCE predecessor/successor set. */
static void fence_set(unsigned set, char *out)
{
    char *p = out;
    if (set & 8)
        *p++ = 'i';
    if (set & 4)
        *p++ = 'o';
    if (set & 2)
        *p++ = 'r';
    if (set & 1)
        *p++ = 'w';
    if (p == out)
        p += sprintf(p, "unknown");
    *p = '\0';
}

/* ---- output ---------------------------------------------------------------- */

static int emit(char *buf, size_t len, int ret, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int emit(char *buf, size_t len, int ret, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    return ret;
}

/* mnemonic + tab + operands, the layout llvm-objdump uses. */
#define OUT(...) emit(buf, len, n, __VA_ARGS__)

static unsigned long long target(uint64_t pc, int64_t imm)
{
    return (unsigned long long)(pc + (uint64_t)imm);
}

/* ---- aliases, by instruction ------------------------------------------------ */

static int alias(const struct rv64_insn *d, uint64_t pc, char *buf, size_t len, int n)
{
    unsigned rd = d->rd, rs1 = d->rs1, rs2 = d->rs2;
    long long imm = (long long)d->imm;
    char csr[24];
    switch ((enum rv64_op)d->op) {
    case RV64_OP_addi:
        if (rd == 0 && rs1 == 0 && imm == 0)
            return OUT("nop");
        if (rs1 == 0)
            return OUT("li\t%s, %lld", reg(rd), imm);
        if (imm == 0)
            return OUT("mv\t%s, %s", reg(rd), reg(rs1));
        break;
    case RV64_OP_addiw:
        if (imm == 0)
            return OUT("sext.w\t%s, %s", reg(rd), reg(rs1));
        break;
    case RV64_OP_xori:
        if (imm == -1)
            return OUT("not\t%s, %s", reg(rd), reg(rs1));
        break;
    case RV64_OP_sub:
        if (rs1 == 0)
            return OUT("neg\t%s, %s", reg(rd), reg(rs2));
        break;
    case RV64_OP_subw:
        if (rs1 == 0)
            return OUT("negw\t%s, %s", reg(rd), reg(rs2));
        break;
    case RV64_OP_sltiu:
        if (imm == 1)
            return OUT("seqz\t%s, %s", reg(rd), reg(rs1));
        break;
    case RV64_OP_sltu:
        if (rs1 == 0)
            return OUT("snez\t%s, %s", reg(rd), reg(rs2));
        break;
    case RV64_OP_slt:
        if (rs2 == 0)
            return OUT("sltz\t%s, %s", reg(rd), reg(rs1));
        if (rs1 == 0)
            return OUT("sgtz\t%s, %s", reg(rd), reg(rs2));
        break;
    case RV64_OP_add_uw:
        if (rs2 == 0)
            return OUT("zext.w\t%s, %s", reg(rd), reg(rs1));
        break;
    case RV64_OP_beq:
        if (rs2 == 0)
            return OUT("beqz\t%s, 0x%llx", reg(rs1), target(pc, imm));
        break;
    case RV64_OP_bne:
        if (rs2 == 0)
            return OUT("bnez\t%s, 0x%llx", reg(rs1), target(pc, imm));
        break;
    case RV64_OP_bge:
        if (rs1 == 0)
            return OUT("blez\t%s, 0x%llx", reg(rs2), target(pc, imm));
        if (rs2 == 0)
            return OUT("bgez\t%s, 0x%llx", reg(rs1), target(pc, imm));
        break;
    case RV64_OP_blt:
        if (rs2 == 0)
            return OUT("bltz\t%s, 0x%llx", reg(rs1), target(pc, imm));
        if (rs1 == 0)
            return OUT("bgtz\t%s, 0x%llx", reg(rs2), target(pc, imm));
        break;
    case RV64_OP_jal:
        if (rd == 0)
            return OUT("j\t0x%llx", target(pc, imm));
        if (rd == 1)
            return OUT("jal\t0x%llx", target(pc, imm));
        break;
    case RV64_OP_jalr:
        if (rd == 0 && rs1 == 1 && imm == 0)
            return OUT("ret");
        if (imm == 0) {
            if (rd == 0)
                return OUT("jr\t%s", reg(rs1));
            if (rd == 1)
                return OUT("jalr\t%s", reg(rs1));
            return OUT("jalr\t%s, %s", reg(rd), reg(rs1));
        }
        if (rd == 0)
            return OUT("jr\t%lld(%s)", imm, reg(rs1));
        if (rd == 1)
            return OUT("jalr\t%lld(%s)", imm, reg(rs1));
        break;
    case RV64_OP_csrrs:
        if (rs1 == 0) {
            if (imm == 0xc00)
                return OUT("rdcycle\t%s", reg(rd));
            if (imm == 0xc01)
                return OUT("rdtime\t%s", reg(rd));
            if (imm == 0xc02)
                return OUT("rdinstret\t%s", reg(rd));
            csr_name((unsigned)imm, csr, sizeof(csr));
            return OUT("csrr\t%s, %s", reg(rd), csr);
        }
        if (rd == 0) {
            csr_name((unsigned)imm, csr, sizeof(csr));
            return OUT("csrs\t%s, %s", csr, reg(rs1));
        }
        break;
    case RV64_OP_csrrw:
        if (rd == 0) {
            if (imm == 0xc00 && rs1 == 0)
                return OUT("unimp");
            csr_name((unsigned)imm, csr, sizeof(csr));
            return OUT("csrw\t%s, %s", csr, reg(rs1));
        }
        break;
    case RV64_OP_csrrc:
        if (rd == 0) {
            csr_name((unsigned)imm, csr, sizeof(csr));
            return OUT("csrc\t%s, %s", csr, reg(rs1));
        }
        break;
    case RV64_OP_csrrwi:
    case RV64_OP_csrrsi:
    case RV64_OP_csrrci:
        if (rd == 0) {
            static const char *const names[] = {"csrwi", "csrsi", "csrci"};
            csr_name((unsigned)imm, csr, sizeof(csr));
            return OUT("%s\t%s, %u", names[d->op - RV64_OP_csrrwi], csr, rs1);
        }
        break;
    case RV64_OP_fence: {
        unsigned fm = (unsigned)(imm >> 8) & 0xf, pred = (unsigned)(imm >> 4) & 0xf,
                 succ = (unsigned)imm & 0xf;
        if (fm == 8 && pred == 3 && succ == 3)
            return OUT("fence.tso");
        if (pred == 0xf && succ == 0xf)
            return OUT("fence");
        char p[8], s[8];
        fence_set(pred, p);
        fence_set(succ, s);
        return OUT("fence\t%s, %s", p, s);
    }
    case RV64_OP_sfence_vma:
        if (rs2 == 0)
            return rs1 == 0 ? OUT("sfence.vma") : OUT("sfence.vma\t%s", reg(rs1));
        break;
    default: break;
    }
    return -1;
}

/* Compressed HINTs (rd = x0, or a zero shift amount) are printed in their
 * c. form, as llvm-objdump does: their base expansion would read as a real
 * operation on x0. Returns -1 for anything else. */
static int rvc_hint(uint16_t c, char *buf, size_t len, int n)
{
    unsigned op = c & 3, funct3 = c >> 13, rd = (c >> 7) & 31, rs2 = (c >> 2) & 31;
    unsigned rdp = 8 + ((c >> 7) & 7);
    unsigned shamt = ((c >> 12) & 1) << 5 | rs2;
    long long imm6 = (long long)sext(shamt, 6);
    if (op == 1 && funct3 == 0 && rd == 0 && imm6 != 0)
        return OUT("c.nop\t%lld", imm6);
    if (op == 1 && funct3 == 2 && rd == 0)
        return OUT("c.li\tzero, %lld", imm6);
    if (op == 1 && funct3 == 3 && rd == 0 && imm6 != 0)
        return OUT("c.lui\tzero, %lld", imm6);
    if (op == 1 && funct3 == 4 && ((c >> 10) & 3) < 2 && shamt == 0)
        return OUT("%s\t%s", ((c >> 10) & 3) ? "c.srai64" : "c.srli64", reg(rdp));
    if (op == 2 && funct3 == 0 && shamt == 0)
        return OUT("c.slli64\t%s", reg(rd));
    if (op == 2 && funct3 == 0 && rd == 0)
        return OUT("c.slli\tzero, %u", shamt);
    if (op == 2 && funct3 == 4 && rd == 0 && rs2 != 0)
        return OUT("%s\tzero, %s", (c >> 12) & 1 ? "c.add" : "c.mv", reg(rs2));
    return -1;
}

/* ---- the general forms, by format ------------------------------------------ */

static int general(const struct rv64_insn *d, uint64_t pc, char *buf, size_t len, int n)
{
    const char *mn = rv64_op_name((enum rv64_op)d->op);
    unsigned rd = d->rd, rs1 = d->rs1, rs2 = d->rs2;
    long long imm = (long long)d->imm;
    char csr[24];
    /* aq/rl suffixes of the A extension (bits 26 and 25 of the base word). */
    uint32_t base = d->len == 2 ? rv64_expand_rvc((uint16_t)d->bits) : d->bits;
    const char *order = (const char *[]){"", ".rl", ".aq", ".aqrl"}[(base >> 25) & 3];
    switch (rv64_op_fmt((enum rv64_op)d->op)) {
    case FMT_R: return OUT("%s\t%s, %s, %s", mn, reg(rd), reg(rs1), reg(rs2));
    case FMT_R1: return OUT("%s\t%s, %s", mn, reg(rd), reg(rs1));
    case FMT_I:
        if (d->op == RV64_OP_jalr)
            return OUT("%s\t%s, %lld(%s)", mn, reg(rd), imm, reg(rs1));
        return OUT("%s\t%s, %s, %lld", mn, reg(rd), reg(rs1), imm);
    case FMT_SHIFT: return OUT("%s\t%s, %s, %lld", mn, reg(rd), reg(rs1), imm);
    case FMT_LOAD: return OUT("%s\t%s, %lld(%s)", mn, reg(rd), imm, reg(rs1));
    case FMT_S: return OUT("%s\t%s, %lld(%s)", mn, reg(rs2), imm, reg(rs1));
    case FMT_B: return OUT("%s\t%s, %s, 0x%llx", mn, reg(rs1), reg(rs2), target(pc, imm));
    case FMT_U: return OUT("%s\t%s, %llu", mn, reg(rd), ((unsigned long long)imm >> 12) & 0xfffff);
    case FMT_J: return OUT("%s\t%s, 0x%llx", mn, reg(rd), target(pc, imm));
    case FMT_CSR:
        csr_name((unsigned)imm, csr, sizeof(csr));
        return OUT("%s\t%s, %s, %s", mn, reg(rd), csr, reg(rs1));
    case FMT_CSRI:
        csr_name((unsigned)imm, csr, sizeof(csr));
        return OUT("%s\t%s, %s, %u", mn, reg(rd), csr, rs1);
    case FMT_AMO: return OUT("%s%s\t%s, %s, (%s)", mn, order, reg(rd), reg(rs2), reg(rs1));
    case FMT_LR: return OUT("%s%s\t%s, (%s)", mn, order, reg(rd), reg(rs1));
    case FMT_CBO: return OUT("%s\t(%s)", mn, reg(rs1));
    case FMT_SFENCE: return OUT("%s\t%s, %s", mn, reg(rs1), reg(rs2));
    case FMT_FENCE:
    case FMT_NONE: break;
    }
    return OUT("%s", mn);
}

int rv64_disasm(uint32_t insn, uint64_t pc, char *buf, size_t len)
{
    struct rv64_insn d;
    rv64_decode(insn, &d);
    int n = d.len;
    if (d.len == 2 && (uint16_t)insn == 0)
        return OUT("unimp"); /* c.unimp: the all-zero halfword, defined illegal */
    if (d.op == RV64_OP_illegal)
        return emit(buf, len, 0, "<unknown>");
    int r = d.len == 2 ? rvc_hint((uint16_t)insn, buf, len, n) : -1;
    if (r < 0)
        r = alias(&d, pc, buf, len, n);
    return r >= 0 ? r : general(&d, pc, buf, len, n);
}
