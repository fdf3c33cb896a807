/*
 * swap_pte_overlap.c - BROKEN ON PURPOSE: arm64 swap-entry helpers for the
 * 6.1 layout, except that the exclusive bit was put at bit 8 - the first
 * bit of the offset field (bits 57:8) - instead of the free bit 2. Setting
 * it changes the entry's offset, so a page swapped out at offset 0x1234
 * would come back from 0x1235. Its scenario
 * (examples/broken/arm64-swap-pte-overlap.yaml) must fail the round trip.
 */
#define LAYOUT(name)     broken_arm64_##name
#define SWP_TYPE_SHIFT   3
#define SWP_OFFSET_SHIFT 8
#define SWP_OFFSET_BITS  50
#define SWP_EXCLUSIVE    (1UL << 8) /* overlaps offset bit 0 */
#include "../../swap_pte.inc"
