/*
 * swap_pte.c - arm64 swap-entry helpers for the Linux 6.1 and 6.12 PTE
 * layouts (KERNEL-FACTS.md 5.1), from examples/swap_pte.inc:
 *   6.1:  exclusive bit 2, type bits 7:3, offset bits 57:8
 *   6.12: exclusive bit 2 (uffd-wp bit 3), type bits 10:6, offset bits 61:12
 * Scenarios examples/scenarios/arm64-swap-pte-6.{1,12}.yaml check them
 * against rasim's own codec of the same layouts.
 */
#define LAYOUT(name)     rasim_arm64_6_1_##name
#define SWP_TYPE_SHIFT   3
#define SWP_OFFSET_SHIFT 8
#define SWP_OFFSET_BITS  50
#define SWP_EXCLUSIVE    (1UL << 2)
#include "../swap_pte.inc"

#define LAYOUT(name)     rasim_arm64_6_12_##name
#define SWP_TYPE_SHIFT   6
#define SWP_OFFSET_SHIFT 12
#define SWP_OFFSET_BITS  50
#define SWP_EXCLUSIVE    (1UL << 2)
#include "../swap_pte.inc"
