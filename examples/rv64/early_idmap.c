/*
 * early_idmap.c - the Sv39 PTEs for early_idmap.inc (KERNEL-FACTS.md 5.2):
 * the PPN sits at bit 10; a pointer to the next table has V alone (R, W and
 * X clear); a 2 MiB megapage leaf has V, R, W, X and A and D already set,
 * so neither Svade faults nor Svadu updates happen on it.
 */
#define PTE_V          (1ul << 0)
#define PTE_R          (1ul << 1)
#define PTE_W          (1ul << 2)
#define PTE_X          (1ul << 3)
#define PTE_A          (1ul << 6)
#define PTE_D          (1ul << 7)
#define PTE_PPN(pa)    (((pa) >> 12) << 10)
#define TABLE_DESC(pa) (PTE_PPN(pa) | PTE_V)
#define BLOCK_DESC(pa) (PTE_PPN(pa) | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
#define IS_TABLE(e)    (((e) & (PTE_V | PTE_R | PTE_W | PTE_X)) == PTE_V)
#define TABLE_PA(e)    ((((e) >> 10) & ((1ul << 44) - 1)) << 12)

#include "../early_idmap.inc"
