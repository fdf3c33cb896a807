/*
 * copy_mc_highpage_zero.c - BROKEN ON PURPOSE: the copy_mc_user_highpage
 * of round v8 (shared/seeds/000), which calls the machine-check-safe copy
 * and then returns 0 whatever happened ("This one always returns 0. Does
 * it actually catch any memory failures?"). Its campaign must say silent.
 */
int rasim_copy_mc_page(void *to, const void *from);

int broken_copy_mc_user_highpage(void *to, const void *from)
{
    rasim_copy_mc_page(to, from);
    return 0;
}
