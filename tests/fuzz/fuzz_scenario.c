/*
 * fuzz_scenario.c - libFuzzer harness: any bytes as a scenario file, parsed
 * as `rasim run` would (image files are resolved next to a scenario path
 * under /nonexistent, so none is found and no file is ever read).
 * Seeds: examples/scenarios/ and examples/broken/.
 */
#include "sim/scenario/scenario.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static rasim_scenario sc;
    char err[1024];
    memset(&sc, 0, sizeof(sc));
    strcpy(sc.path, "/nonexistent/fuzz.yaml");
    sc.el = sc.mode = sc.store_policy = -1;
    sc.expect.fixups = sc.expect.errors = -1;
    if (sc_parse(&sc, (const char *)data, size, NULL, err, sizeof(err)) == 0)
        (void)rasim_campaign_size(&sc); /* a parsed scenario can be sized */
    else if (!memchr(err, ':', strlen(err)))
        abort(); /* every error names a place */
    return 0;
}
