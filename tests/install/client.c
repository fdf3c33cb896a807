/* client.c - a user of the installed library, as docs/api.md shows one. */
#include <rasim.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    rasim_machine *m = rasim_new(RASIM_ARCH_AARCH64);
    if (!m || rasim_load(m, argv[1], NULL) < 0) {
        fprintf(stderr, "%s\n", m ? rasim_error(m) : "no machine");
        return 2;
    }
    uint64_t entry;
    if (rasim_lookup_symbol(m, "rasim_clear_user", &entry) < 0)
        return 1;
    struct rasim_extable_entry e;
    char where[128];
    rasim_image_extable(m, 0, 0, &e);
    rasim_describe(m, e.insn, where, sizeof(where));
    printf("%s %s\n", RASIM_VERSION, where);
    rasim_free(m);
    return strncmp(where, "rasim_clear_user+0x", 19) != 0;
}
