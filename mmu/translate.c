/* translate.c - names for faults and reasons, shared result set-up. */
#include "mmu/translate_internal.h"

#include <string.h>

void mmu_result_start(struct mmu_result *out, uint64_t va)
{
    memset(out, 0, sizeof(*out));
    out->va = va;
}

const char *mmu_fault_name(enum mmu_fault fault)
{
    switch (fault) {
    case MMU_FAULT_NONE: return "none";
    case MMU_FAULT_ADDR_SIZE: return "address size fault";
    case MMU_FAULT_TRANSLATION: return "translation fault";
    case MMU_FAULT_ACCESS_FLAG: return "access flag fault";
    case MMU_FAULT_PERMISSION: return "permission fault";
    case MMU_FAULT_WALK_ABORT: return "synchronous external abort on translation table walk";
    case MMU_FAULT_PAGE: return "page fault";
    case MMU_FAULT_ACCESS: return "access fault";
    }
    return "?";
}

const char *mmu_fault_word(enum mmu_fault fault)
{
    switch (fault) {
    case MMU_FAULT_NONE: return "none";
    case MMU_FAULT_ADDR_SIZE: return "address-size";
    case MMU_FAULT_TRANSLATION: return "translation";
    case MMU_FAULT_ACCESS_FLAG: return "access-flag";
    case MMU_FAULT_PERMISSION: return "permission";
    case MMU_FAULT_WALK_ABORT: return "walk-abort";
    case MMU_FAULT_PAGE: return "page";
    case MMU_FAULT_ACCESS: return "access";
    }
    return "?";
}

const char *mmu_reason_name(enum mmu_reason reason)
{
    switch (reason) {
    case MMU_R_NONE: return "none";
    case MMU_R_NONCANONICAL: return "VA outside the translated ranges";
    case MMU_R_INVALID: return "entry not valid";
    case MMU_R_WALK_READ: return "descriptor read failed";
    case MMU_R_WALK_UPDATE: return "hardware update of the descriptor failed";
    case MMU_R_RESERVED_TYPE: return "reserved descriptor type";
    case MMU_R_EPD: return "walks disabled by TCR_EL1.EPDx";
    case MMU_R_TXSZ: return "TxSZ out of range";
    case MMU_R_GRANULE: return "translation granule not 4 KiB";
    case MMU_R_TTBR_SIZE: return "TTBR base above the output size";
    case MMU_R_OA_SIZE: return "output address above the output size";
    case MMU_R_AF: return "access flag clear";
    case MMU_R_NO_ACCESS: return "privileged page";
    case MMU_R_READ_ONLY: return "write to a read-only page";
    case MMU_R_NO_READ: return "page not readable";
    case MMU_R_XN: return "execute never";
    case MMU_R_PAN: return "PAN: privileged access to a user page";
    case MMU_R_SUM: return "S-mode access to a U page with SUM=0";
    case MMU_R_U_EXEC: return "S-mode fetch from a U page";
    case MMU_R_SATP_MODE: return "satp.MODE not supported";
    case MMU_R_RESERVED_BITS: return "reserved PTE bits set";
    case MMU_R_W_NO_R: return "W without R";
    case MMU_R_NONLEAF_BITS: return "A/D/U/N/PBMT set in a non-leaf PTE";
    case MMU_R_NO_LEAF: return "no leaf PTE at level 0";
    case MMU_R_MISALIGNED_SUPERPAGE: return "misaligned superpage";
    case MMU_R_NAPOT_RESERVED: return "reserved NAPOT encoding";
    case MMU_R_A_CLEAR: return "A clear (Svade)";
    case MMU_R_D_CLEAR: return "D clear on a store (Svade)";
    }
    return "?";
}

enum phys_status mmu_read_desc(struct phys_mem *pm, bool inspect, uint64_t pa, uint64_t *desc,
                               struct phys_fault *fault)
{
    if (!inspect)
        return phys_load(pm, pa, 8, desc, PHYS_WALK, fault);
    enum phys_status st = phys_peek(pm, pa, 8, desc);
    if (st != PHYS_OK && fault) {
        fault->status = st;
        fault->pa = pa;
    }
    return st;
}
