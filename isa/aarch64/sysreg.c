/*
 * sysreg.c - MRS and MSR (register): the modelled system registers and
 * special-purpose registers, by encoding, with their EL0 access rules.
 * Any other encoding is UNDEFINED, as for a register the PE does not
 * implement, except in the ID register space (idregs.c), where the
 * unallocated encodings read as zero.
 */
#include "isa/aarch64/alu.h"
#include "isa/aarch64/exception.h"
#include "isa/aarch64/idregs.h"
#include "isa/aarch64/mem.h"
#include "isa/aarch64/ras_record.h"
#include "isa/aarch64/sysreg.h"

#include <stddef.h>

enum kind {
    K_RW,  /* sysreg[index], read/write */
    K_RO,  /* sysreg[index], read-only */
    K_TLB, /* sysreg[index], read/write; translation state: drop the host-pointer
              caches (not the TLB model: stale entries stay until a TLBI) */
    K_NZCV,
    K_DAIF,
    K_TCO,
    K_CURRENTEL,
    K_SPSEL,
    K_PAN,
    K_UAO,
    K_SP_EL0,
    K_ERR, /* a FEAT_RAS error record register (ras_record.c), index an a64_err_reg;
              UNDEFINED without FEAT_RAS */
    K_ID,  /* an identification register (idregs.c): read-only, reflects the
              configuration; UNDEFINED at EL0 (no FEAT_IDST) */
};

enum el0 {
    EL0_NO, /* UNDEFINED at EL0 */
    EL0_RW,
    EL0_RO,  /* reads only; writes are UNDEFINED */
    EL0_UCT, /* CTR_EL0: reads trap to EL1 (EC 0x18) unless SCTLR_EL1.UCT */
    EL0_UMA, /* DAIF: trap unless SCTLR_EL1.UMA */
};

struct sysreg {
    uint16_t key;
    const char *name;
    uint8_t kind;
    uint8_t el0;
    int8_t index;   /* into cpu->sysreg, or -1 */
    uint64_t wmask; /* writable bits */
};

/* clang-format off */
#define R(op0, op1, crn, crm, op2, name, kind, el0, index, wmask) \
    {A64_SYSREG_KEY(op0, op1, crn, crm, op2), name, kind, el0, index, wmask}
/* clang-format on */
#define ALL ~0ull

static const struct sysreg sysregs[] = {
    R(3, 0, 0, 0, 0, "MIDR_EL1", K_RO, EL0_NO, SR_MIDR_EL1, 0),
    R(3, 0, 0, 0, 5, "MPIDR_EL1", K_RO, EL0_NO, SR_MPIDR_EL1, 0),
    R(3, 0, 0, 0, 6, "REVIDR_EL1", K_ID, EL0_NO, -1, 0),
    R(3, 0, 0, 4, 0, "ID_AA64PFR0_EL1", K_ID, EL0_NO, -1, 0),
    R(3, 0, 0, 4, 1, "ID_AA64PFR1_EL1", K_ID, EL0_NO, -1, 0),
    R(3, 0, 0, 5, 0, "ID_AA64DFR0_EL1", K_ID, EL0_NO, -1, 0),
    R(3, 0, 0, 6, 0, "ID_AA64ISAR0_EL1", K_ID, EL0_NO, -1, 0),
    R(3, 0, 0, 6, 1, "ID_AA64ISAR1_EL1", K_ID, EL0_NO, -1, 0),
    R(3, 0, 0, 7, 0, "ID_AA64MMFR0_EL1", K_ID, EL0_NO, -1, 0),
    R(3, 0, 0, 7, 1, "ID_AA64MMFR1_EL1", K_ID, EL0_NO, -1, 0),
    R(3, 0, 0, 7, 2, "ID_AA64MMFR2_EL1", K_ID, EL0_NO, -1, 0),
    R(3, 1, 0, 0, 4, "GMID_EL1", K_RO, EL0_NO, SR_GMID_EL1, 0),
    R(3, 3, 0, 0, 1, "CTR_EL0", K_RO, EL0_UCT, SR_CTR_EL0, 0),
    R(3, 3, 0, 0, 7, "DCZID_EL0", K_RO, EL0_RO, SR_DCZID_EL0, 0),
    R(3, 0, 1, 0, 0, "SCTLR_EL1", K_TLB, EL0_NO, SR_SCTLR_EL1, ALL),
    R(3, 0, 1, 0, 5, "RGSR_EL1", K_RW, EL0_NO, SR_RGSR_EL1, 0xffff0f), /* SEED, TAG */
    R(3, 0, 1, 0, 6, "GCR_EL1", K_RW, EL0_NO, SR_GCR_EL1, 0x1ffff),    /* RRND, Exclude */
    R(3, 0, 2, 0, 0, "TTBR0_EL1", K_TLB, EL0_NO, SR_TTBR0_EL1, ALL),
    R(3, 0, 2, 0, 1, "TTBR1_EL1", K_TLB, EL0_NO, SR_TTBR1_EL1, ALL),
    R(3, 0, 2, 0, 2, "TCR_EL1", K_TLB, EL0_NO, SR_TCR_EL1, ALL),
    R(3, 0, 4, 0, 0, "SPSR_EL1", K_RW, EL0_NO, SR_SPSR_EL1, ALL),
    R(3, 0, 4, 0, 1, "ELR_EL1", K_RW, EL0_NO, SR_ELR_EL1, ALL),
    R(3, 0, 4, 1, 0, "SP_EL0", K_SP_EL0, EL0_NO, -1, ALL),
    R(3, 0, 4, 2, 0, "SPSel", K_SPSEL, EL0_NO, -1, 1),
    R(3, 0, 4, 2, 2, "CurrentEL", K_CURRENTEL, EL0_NO, -1, 0),
    R(3, 0, 4, 2, 3, "PAN", K_PAN, EL0_NO, -1, 1ull << 22),
    R(3, 0, 4, 2, 4, "UAO", K_UAO, EL0_NO, -1, 1ull << 23),
    R(3, 3, 4, 2, 0, "NZCV", K_NZCV, EL0_RW, -1, 0xfull << 28),
    R(3, 3, 4, 2, 1, "DAIF", K_DAIF, EL0_UMA, -1, 0xfull << 6),
    R(3, 3, 4, 2, 7, "TCO", K_TCO, EL0_RW, -1, 1ull << 25),
    R(3, 0, 5, 2, 0, "ESR_EL1", K_RW, EL0_NO, SR_ESR_EL1, ALL),
    /* FEAT_RAS; encodings from Linux arch/arm64/include/asm/sysreg.h
     * (SYS_ERRIDR_EL1 ...), checked against clang's assembler in tests */
    R(3, 0, 5, 3, 0, "ERRIDR_EL1", K_ERR, EL0_NO, ERR_IDR, ALL),
    R(3, 0, 5, 3, 1, "ERRSELR_EL1", K_ERR, EL0_NO, ERR_SELR, ALL),
    R(3, 0, 5, 4, 0, "ERXFR_EL1", K_ERR, EL0_NO, ERX_FR, ALL),
    R(3, 0, 5, 4, 1, "ERXCTLR_EL1", K_ERR, EL0_NO, ERX_CTLR, ALL),
    R(3, 0, 5, 4, 2, "ERXSTATUS_EL1", K_ERR, EL0_NO, ERX_STATUS, ALL),
    R(3, 0, 5, 4, 3, "ERXADDR_EL1", K_ERR, EL0_NO, ERX_ADDR, ALL),
    R(3, 0, 5, 5, 0, "ERXMISC0_EL1", K_ERR, EL0_NO, ERX_MISC0, ALL),
    R(3, 0, 5, 5, 1, "ERXMISC1_EL1", K_ERR, EL0_NO, ERX_MISC1, ALL),
    R(3, 0, 5, 6, 0, "TFSR_EL1", K_RW, EL0_NO, SR_TFSR_EL1, 3),
    R(3, 0, 5, 6, 1, "TFSRE0_EL1", K_RW, EL0_NO, SR_TFSRE0_EL1, 1),
    R(3, 0, 6, 0, 0, "FAR_EL1", K_RW, EL0_NO, SR_FAR_EL1, ALL),
    R(3, 0, 10, 2, 0, "MAIR_EL1", K_TLB, EL0_NO, SR_MAIR_EL1, ALL),
    R(3, 0, 12, 0, 0, "VBAR_EL1", K_RW, EL0_NO, SR_VBAR_EL1, ~0x7ffull),
    R(3, 0, 13, 0, 1, "CONTEXTIDR_EL1", K_RW, EL0_NO, SR_CONTEXTIDR_EL1, 0xffffffff),
    R(3, 0, 13, 0, 4, "TPIDR_EL1", K_RW, EL0_NO, SR_TPIDR_EL1, ALL),
    R(3, 3, 13, 0, 2, "TPIDR_EL0", K_RW, EL0_RW, SR_TPIDR_EL0, ALL),
    R(3, 3, 13, 0, 3, "TPIDRRO_EL0", K_RW, EL0_RO, SR_TPIDRRO_EL0, ALL),
};

#undef R

/* Any other encoding of the ID register space: reserved, RAZ. */
static const struct sysreg id_space_reserved = {0, NULL, K_ID, EL0_NO, -1, 0};

static const struct sysreg *find(unsigned key)
{
    for (size_t i = 0; i < sizeof(sysregs) / sizeof(sysregs[0]); i++)
        if (sysregs[i].key == key)
            return &sysregs[i];
    return a64_in_id_space(key) ? &id_space_reserved : NULL;
}

const char *a64_sysreg_name(unsigned key)
{
    const struct sysreg *r = find(key);
    return r ? r->name : NULL;
}

/* false when EL0 (or EL1) may make the access; otherwise raise what it takes. */
static bool el0_denied(struct a64_cpu *cpu, const struct sysreg *r, unsigned key, unsigned rt,
                       bool read, enum a64_flow *flow)
{
    if (cpu->el != 0)
        return false;
    uint64_t sctlr = cpu->sysreg[SR_SCTLR_EL1];
    switch (r->el0) {
    case EL0_RW: return false;
    case EL0_RO:
        if (read)
            return false;
        break;
    case EL0_UCT:
        if (!read)
            break;
        if (sctlr & SCTLR_UCT)
            return false;
        *flow = a64_trap_sysreg(cpu, key, rt, read);
        return true;
    case EL0_UMA:
        if (sctlr & SCTLR_UMA)
            return false;
        *flow = a64_trap_sysreg(cpu, key, rt, read);
        return true;
    default: break;
    }
    *flow = a64_undefined(cpu);
    return true;
}

A64_EXEC(MRS)
{
    unsigned key = (unsigned)d->imm2;
    const struct sysreg *r = find(key);
    enum a64_flow flow;
    if (!r || (r->kind == K_ERR && !cpu->feat_ras))
        return a64_undefined(cpu);
    if (el0_denied(cpu, r, key, d->rt, true, &flow))
        return flow;
    uint64_t v = 0;
    switch (r->kind) {
    case K_RW:
    case K_RO:
    case K_TLB: v = cpu->sysreg[r->index]; break;
    case K_NZCV:
        v = (uint64_t)cpu->n << 31 | (uint64_t)cpu->z << 30 | (uint64_t)cpu->c << 29 |
            (uint64_t)cpu->v << 28;
        break;
    case K_DAIF: v = (uint64_t)cpu->daif << 6; break;
    case K_TCO: v = (uint64_t)cpu->tco << 25; break;
    case K_CURRENTEL: v = (uint64_t)cpu->el << 2; break;
    case K_SPSEL: v = cpu->spsel; break;
    case K_PAN: v = (uint64_t)cpu->pan << 22; break;
    case K_UAO: v = (uint64_t)cpu->uao << 23; break;
    case K_SP_EL0:
        if (!cpu->spsel) /* SP_EL0 is the current SP: use "SP" instead */
            return a64_undefined(cpu);
        v = cpu->sp_el0;
        break;
    case K_ERR: v = a64_err_read(cpu, (enum a64_err_reg)r->index); break;
    case K_ID: v = a64_id_register(cpu, key); break;
    }
    /* DCZID_EL0.DZP (bit 4) reads 1 at EL0 when DC ZVA is not allowed there. */
    if (r->index == SR_DCZID_EL0 && cpu->el == 0 && !(cpu->sysreg[SR_SCTLR_EL1] & SCTLR_DZE))
        v |= 1u << 4;
    a64_set_x(cpu, d->rt, v);
    return A64_NEXT;
}

A64_EXEC(MSR_reg)
{
    unsigned key = (unsigned)d->imm2;
    const struct sysreg *r = find(key);
    enum a64_flow flow;
    if (!r || (r->kind == K_ERR && !cpu->feat_ras))
        return a64_undefined(cpu);
    if (el0_denied(cpu, r, key, d->rt, false, &flow))
        return flow;
    uint64_t v = a64_x(cpu, d->rt) & r->wmask;
    switch (r->kind) {
    case K_RO:
    case K_ID:
    case K_CURRENTEL: return a64_undefined(cpu);
    case K_RW: cpu->sysreg[r->index] = v; break;
    case K_TLB:
        cpu->sysreg[r->index] = v;
        a64_tlb_flush(cpu);
        break;
    case K_NZCV: a64_set_nzcv(cpu, (unsigned)(v >> 28)); break;
    case K_DAIF: cpu->daif = (unsigned)(v >> 6) & 0xf; break;
    case K_TCO: cpu->tco = (unsigned)(v >> 25) & 1; break;
    case K_SPSEL: cpu->spsel = (unsigned)v & 1; break;
    case K_PAN: {
        unsigned old_pan = cpu->pan;
        cpu->pan = (unsigned)(v >> 22) & 1;
        a64_pstate_changed(cpu, cpu->el, old_pan);
        break;
    }
    case K_UAO: cpu->uao = (unsigned)(v >> 23) & 1; break;
    case K_SP_EL0:
        if (!cpu->spsel)
            return a64_undefined(cpu);
        cpu->sp_el0 = v;
        break;
    case K_ERR:
        if (!a64_err_write(cpu, (enum a64_err_reg)r->index, v))
            return a64_undefined(cpu);
        break;
    }
    return A64_NEXT;
}
