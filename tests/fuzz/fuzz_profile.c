/*
 * fuzz_profile.c - libFuzzer harness: any bytes as a kernel profile file.
 * Seeds: the shipped profiles/.
 */
#include "sim/profile.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    struct kernel_profile p;
    if (profile_parse("fuzz.yaml", (const char *)data, size, &p, err, sizeof(err)) == 0) {
        /* A profile that parses must be usable: every accepted type exists. */
        for (int c = 0; c < KM_NCLASSES; c++)
            for (int t = 0; t < EX_TYPE_MAX; t++)
                if (((p.accept[c] >> t) & 1) && !p.types[t].name[0] && p.accept[c] != 0xfffe)
                    abort();
    }
    return 0;
}
