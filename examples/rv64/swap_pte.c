/*
 * swap_pte.c - riscv swap-entry helpers for the Linux 6.1 and 6.12 PTE
 * layouts (KERNEL-FACTS.md 5.2), from examples/swap_pte.inc:
 *   6.1:  type bits 10:6, offset from bit 11; no exclusive bit
 *   6.12: exclusive bit 6 (_PAGE_ACCESSED's position), type bits 11:7,
 *         offset from bit 12
 * Scenarios examples/scenarios/rv64-swap-pte-6.{1,12}.yaml check them
 * against rasim's own codec of the same layouts.
 */
#define LAYOUT(name)     rasim_riscv_6_1_##name
#define SWP_TYPE_SHIFT   6
#define SWP_OFFSET_SHIFT 11
#define SWP_OFFSET_BITS  53
#include "../swap_pte.inc"

#define LAYOUT(name)     rasim_riscv_6_12_##name
#define SWP_TYPE_SHIFT   7
#define SWP_OFFSET_SHIFT 12
#define SWP_OFFSET_BITS  52
#define SWP_EXCLUSIVE    (1UL << 6)
#include "../swap_pte.inc"
