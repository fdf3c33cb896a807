/*
 * early_idmap.c - the arm64 descriptors for early_idmap.inc (VMSAv8-64,
 * 4 KiB granule; KERNEL-FACTS.md 4.1): a table descriptor is the next
 * table's address with bits[1:0] = 0b11; a level-2 block descriptor has
 * bits[1:0] = 0b01, AttrIndx 0 (the scenario's MAIR gives Normal memory),
 * inner shareable (SH = 0b11), AF set, AP = 0b00 (EL1 read-write) and UXN.
 */
#define DESC_TABLE     3ul
#define DESC_BLOCK     1ul
#define DESC_SH_IS     (3ul << 8)
#define DESC_AF        (1ul << 10)
#define DESC_UXN       (1ul << 54)
#define DESC_OA        0x0000fffffffff000ul
#define TABLE_DESC(pa) ((pa) | DESC_TABLE)
#define BLOCK_DESC(pa) ((pa) | DESC_BLOCK | DESC_SH_IS | DESC_AF | DESC_UXN)
#define IS_TABLE(e)    (((e)&3) == DESC_TABLE)
#define TABLE_PA(e)    ((e)&DESC_OA)

#include "../early_idmap.inc"
