/*
 * report.h - campaign results as a list of runs, whether they come from a
 * campaign just run or from merged JSON files, and the ways to write them:
 * a table, JSON (docs/campaigns.md), JUnit XML, and an SVG heat map.
 */
#ifndef RASIM_CLI_REPORT_H
#define RASIM_CLI_REPORT_H

#include "rasim.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct report_run {
    size_t index;
    char label[96];
    char region[64];
    uint64_t offset;
    uint64_t pa;
    bool tag;
    bool timed;    /* an instruction sweep: the poison arrived after ... */
    uint64_t insn; /* ... this many instructions */
    enum rasim_outcome outcome;
    uint64_t ret;
    uint64_t insns;
    char where[160];
    char fixup[288];
    char why[192];
    bool accepted;
};

struct report {
    char scenario[1024];
    char arch[16];
    char profile[64];
    uint32_t accept; /* bit per outcome */
    struct report_run *runs;
    size_t nruns, cap;
};

void report_add(struct report *r, const struct report_run *run);
void report_free(struct report *r);
/* Sort by index and drop duplicates (after a merge). -1 if two files
 * disagree about a point. */
int report_finish(struct report *r, char *err, size_t errlen);
size_t report_count(const struct report *r, enum rasim_outcome o);
bool report_all_accepted(const struct report *r);

void report_print_table(const struct report *r, FILE *out);
int report_write_json(const struct report *r, const char *shard, const char *path, char *err,
                      size_t errlen);
int report_read_json(struct report *r, const char *path, char *err, size_t errlen);
int report_write_junit(const struct report *r, const char *path, char *err, size_t errlen);
int report_write_svg(const struct report *r, const char *path, char *err, size_t errlen);

enum rasim_outcome report_outcome_from_name(const char *name, bool *ok);

#endif
