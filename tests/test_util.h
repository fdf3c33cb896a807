/* test_util.h - small helpers shared by the Check suites. */
#ifndef RASIM_TEST_UTIL_H
#define RASIM_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Whole file into a malloc'd buffer, NUL after its bytes (NULL on failure). */
uint8_t *tu_read_file(const char *path, size_t *size);
/* Whole file as a string (malloc'd); the test fails if it cannot be read. */
char *tu_read_text(const char *path);
int tu_write_file(const char *path, const void *data, size_t size);
/* A built example object: "<EXAMPLES_DIR>/<arch>/<name>.o" (arch as the
 * examples' folders name it: aarch64, rv64). Eight stay valid at a time. */
const char *tu_example(const char *arch, const char *name);
/* A path under TEST_TMP unique to this process: "<tmp>/<pid>-<name>". */
const char *tu_tmp(const char *name);

/* Run a shell command; stdout and stderr captured (malloc'd, NUL-ended).
 * Returns the exit status, or -1 if it did not exit normally. */
int tu_run(const char *cmd, char **out, char **err);
/* Run the built rasim with args (its command line after the program,
 * quoted for the shell by the caller); as tu_run. */
int tu_rasim(const char *args, char **out, char **err);
/* The same for a run that must succeed quietly (exit 0, nothing on
 * stderr); its stdout (malloc'd). */
char *tu_rasim_ok(const char *args);
/* Number of lines in s. */
int tu_count_lines(const char *s);

/* A number from the environment (decimal or 0x hex), or dflt when unset:
 * the knobs of long runs such as `make fuzz-diff SEED=... N=...`. */
uint64_t tu_env_u64(const char *name, uint64_t dflt);

/* Run a Check suite; the exit status for main(). */
struct Suite;
int tu_main(struct Suite *suite);

#endif
