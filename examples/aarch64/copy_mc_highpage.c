/*
 * copy_mc_highpage.c - the C caller, in the style of the kernel's
 * copy_mc_user_highpage() for architectures that have copy_mc (6.12
 * include/linux/highmem.h): copy the page machine-check safely; on failure
 * queue memory_failure() for the poisoned source page and report the error.
 *
 * Pages are given by address here (no struct page); memory_failure_queue()
 * is modelled by recording the PFN, so a scenario can check it was called.
 */
int rasim_copy_mc_page(void *to, const void *from);

#define PAGE_SHIFT 12
#define MAX_QUEUED 8

unsigned long rasim_queued_pfns[MAX_QUEUED];
unsigned long rasim_nqueued;

void rasim_memory_failure_queue(unsigned long pfn)
{
    if (rasim_nqueued < MAX_QUEUED)
        rasim_queued_pfns[rasim_nqueued] = pfn;
    rasim_nqueued++;
}

int rasim_copy_mc_user_highpage(void *to, const void *from)
{
    int ret = rasim_copy_mc_page(to, from);
    if (ret)
        rasim_memory_failure_queue((unsigned long)from >> PAGE_SHIFT);
    return ret;
}
