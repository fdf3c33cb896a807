/*
 * ras_record.c - FEAT_RAS on the PE: ISS.SET of a synchronous External
 * abort, and the PE's error record.
 *
 * The model has one error record (ERRIDR_EL1.NUM = 1), owned by the PE,
 * and it holds the latest consumption of poison: ras/ stops the access
 * (PHYS_CHECK_FAILED), mem.c / codecache.c raise the abort and call
 * a64_err_record_poison(). Every consumption is Recoverable (UER): the
 * abort is precise, the poisoned value never reaches a register, and
 * software must act on the location before going on (KERNEL-FACTS 2.1;
 * the Arm ARM's RAS overview: "on taking error exceptions, the PE error
 * state is Recoverable state (UER)"). Other external aborts (absent
 * memory, a device refusing) are not RAS errors and record nothing.
 *
 * Facts, with their sources (field layouts: Arm system register XML,
 * ERR<n>STATUS / ERRSELR_EL1 / ERR<n>FR pages, as published on
 * developer.arm.com and in the RAS System Architecture (IHI 0100);
 * encodings: Linux arch/arm64/include/asm/sysreg.h; bit positions also in
 * TF-A include/lib/extensions/ras_arch.h):
 *   ERRIDR_EL1    3,0,5,3,0  NUM [15:0]
 *   ERRSELR_EL1   3,0,5,3,1  SEL [15:0]; SEL >= NUM makes the ERX* registers
 *                            CONSTRAINED UNPREDICTABLE: we take "RAZ/WI"
 *   ERXFR_EL1     3,0,5,4,0  ED [1:0] = 0b01: reporting and logging always
 *                            enabled (ERXCTLR.ED is then RES0)
 *   ERXCTLR_EL1   3,0,5,4,1  nothing to control: RAZ/WI
 *   ERXSTATUS_EL1 3,0,5,4,2  AV 31, V 30, UE 29, ER 28, OF 27, MV 26,
 *                            CE [25:24], DE 23, PN 22, UET [21:20], CI 19,
 *                            IERR [15:8], SERR [7:0]
 *   ERXADDR_EL1   3,0,5,4,3  NS 63, SI 62, AI 61, VA 60, NSE 59, PADDR [55:0]
 *   ERXMISC0_EL1  3,0,5,5,0  IMPLEMENTATION DEFINED; MV = 0 here: RAZ/WI
 *   ERXMISC1_EL1  3,0,5,5,1  likewise
 * A recorded consumption reads: V = 1, UE = 1 (not corrected, not
 * deferred), ER = 1 (reported as an External abort), PN = 1 (a poison
 * value was detected, not a corrupt one), UET = 0b11 (UER: 00 UC, 01 UEU,
 * 10 UEO, 11 UER), SERR = 0x0C ("data value from (non-associative)
 * external memory, for example ECC error in SDRAM": the poison map is of
 * DRAM), IERR = 0, AV = 1 with ERXADDR = NS | PA of the poisoned byte (NS:
 * the PE runs, as Linux does, in Non-secure state), MV = 0. A second
 * consumption while UE is still set overwrites the syndrome (the record
 * reflects the latest) and sets OF: a syndrome was discarded.
 */
#include "isa/aarch64/ras_record.h"

#define ST_AV                     (1ull << 31)
#define ST_V                      (1ull << 30)
#define ST_UE                     (1ull << 29)
#define ST_ER                     (1ull << 28)
#define ST_OF                     (1ull << 27)
#define ST_MV                     (1ull << 26)
#define ST_CE                     (3ull << 24)
#define ST_DE                     (1ull << 23)
#define ST_PN                     (1ull << 22)
#define ST_UET_SHIFT              20
#define ST_UET                    (3ull << ST_UET_SHIFT)
#define ST_CI                     (1ull << 19)
#define UET_UER                   3ull
#define SERR_EXTERNAL_MEMORY_DATA 0x0cull

#define ADDR_NS    (1ull << 63)
#define ADDR_WMASK (0x1full << 59 | ((1ull << 56) - 1)) /* NS SI AI VA NSE, PADDR */

#define ERRIDR_NUM 1 /* one record */
#define ERXFR_ED   1 /* 0b01: always enabled */

void a64_set_feat_ras(struct a64_cpu *cpu, bool on)
{
    cpu->feat_ras = on;
}

uint32_t a64_sea_set_bits(const struct a64_cpu *cpu, unsigned fsc)
{
    bool defined = fsc == 0x10 || fsc == 0x12 || fsc == 0x13 || (fsc >= 0x14 && fsc <= 0x17);
    if (!cpu->feat_ras || !defined)
        return 0;
    return ISS_SET_UER << ISS_SET_SHIFT; /* 0b00: the bits read as without FEAT_RAS */
}

void a64_err_record_poison(struct a64_cpu *cpu, uint64_t pa)
{
    if (!cpu->feat_ras)
        return;
    struct a64_err_record *e = &cpu->err;
    bool overflow = (e->status & ST_V) && (e->status & ST_UE);
    e->status = ST_AV | ST_V | ST_UE | ST_ER | ST_PN | UET_UER << ST_UET_SHIFT |
                SERR_EXTERNAL_MEMORY_DATA | (overflow ? ST_OF : 0);
    e->addr = ADDR_NS | (pa & ((1ull << 56) - 1));
}

/* A write to ERR<n>STATUS: the status bits are write-one-to-clear, with
 * the architecture's guards: UE stays while OF stays set, and AV, V, ER,
 * MV, PN, UET and CI stay while UE stays set (so writing back the value
 * read clears the whole record, and writing V alone does not drop an
 * uncorrected error). IERR and SERR are RW with an IMPLEMENTATION DEFINED
 * set of values; ours hold only what was recorded, so writes leave them.
 * Once V is 0 the other fields are UNKNOWN: we make them all 0. */
static uint64_t status_write(uint64_t s, uint64_t w)
{
    uint64_t clr = w & ST_OF;
    bool of_stays = (s & ST_OF) && !(clr & ST_OF);
    if (!of_stays)
        clr |= w & ST_UE;
    bool ue_stays = (s & ST_UE) && !(clr & ST_UE);
    if (!ue_stays)
        clr |= w & (ST_AV | ST_V | ST_ER | ST_MV | ST_CE | ST_DE | ST_PN | ST_UET | ST_CI);
    s &= ~clr;
    return (s & ST_V) ? s : 0;
}

uint64_t a64_err_read(const struct a64_cpu *cpu, enum a64_err_reg reg)
{
    bool selected = cpu->errselr < ERRIDR_NUM;
    switch (reg) {
    case ERR_IDR: return ERRIDR_NUM;
    case ERR_SELR: return cpu->errselr;
    case ERX_FR: return selected ? ERXFR_ED : 0;
    case ERX_STATUS: return selected ? cpu->err.status : 0;
    case ERX_ADDR: return selected ? cpu->err.addr : 0;
    case ERX_CTLR:
    case ERX_MISC0:
    case ERX_MISC1: return 0;
    }
    return 0;
}

bool a64_err_write(struct a64_cpu *cpu, enum a64_err_reg reg, uint64_t value)
{
    bool selected = cpu->errselr < ERRIDR_NUM;
    switch (reg) {
    case ERR_IDR:
    case ERX_FR: return false;
    case ERR_SELR: cpu->errselr = value & 0xffff; break;
    case ERX_STATUS:
        if (selected)
            cpu->err.status = status_write(cpu->err.status, value);
        break;
    case ERX_ADDR:
        if (selected)
            cpu->err.addr = value & ADDR_WMASK;
        break;
    case ERX_CTLR:
    case ERX_MISC0:
    case ERX_MISC1: break;
    }
    return true;
}
