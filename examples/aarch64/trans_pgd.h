/*
 * trans_pgd.h - the interface of trans_pgd.c (KERNEL-FACTS.md 7): the
 * caller supplies the page allocator, as hibernate (get_safe_page) and
 * kexec (kimage pages) do; it returns a zeroed page, by its linear-map
 * address, or NULL.
 */
#ifndef RASIM_EXAMPLES_TRANS_PGD_H
#define RASIM_EXAMPLES_TRANS_PGD_H

#include "pgtable.h"

struct trans_pgd_info {
    void *(*trans_alloc_page)(void *arg);
    void *trans_alloc_arg;
};

int rasim_trans_pgd_create_copy(struct trans_pgd_info *info, pgd_t *src_pgdp, pgd_t **dst_pgdp,
                                unsigned long start, unsigned long end);
int rasim_trans_pgd_map_page(struct trans_pgd_info *info, pgd_t *trans_pgd, void *page,
                             unsigned long dst_addr, pgprot_t pgprot);

#endif
