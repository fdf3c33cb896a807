/*
 * report.c - the run list, the table, and the JSON form (read and write,
 * with jansson). JUnit and SVG are in report_xml.c.
 */
#include "sim/cli/report.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void report_add(struct report *r, const struct report_run *run)
{
    if (r->nruns == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 256;
        struct report_run *grown = realloc(r->runs, r->cap * sizeof(*grown));
        if (!grown) {
            fprintf(stderr, "rasim: out of memory\n");
            exit(2);
        }
        r->runs = grown;
    }
    r->runs[r->nruns++] = *run;
}

void report_free(struct report *r)
{
    free(r->runs);
    memset(r, 0, sizeof(*r));
}

static int by_index(const void *a, const void *b)
{
    const struct report_run *x = a, *y = b;
    return x->index < y->index ? -1 : x->index > y->index;
}

int report_finish(struct report *r, char *err, size_t errlen)
{
    if (r->nruns)
        qsort(r->runs, r->nruns, sizeof(*r->runs), by_index);
    size_t out = 0;
    for (size_t i = 0; i < r->nruns; i++) {
        if (out && r->runs[out - 1].index == r->runs[i].index) {
            if (r->runs[out - 1].outcome != r->runs[i].outcome) {
                snprintf(err, errlen, "point %zu (%s) is %s in one file and %s in another",
                         r->runs[i].index, r->runs[i].label,
                         rasim_outcome_name(r->runs[out - 1].outcome),
                         rasim_outcome_name(r->runs[i].outcome));
                return -1;
            }
            continue; /* the same point twice (overlapping shards) */
        }
        r->runs[out++] = r->runs[i];
    }
    r->nruns = out;
    return 0;
}

size_t report_count(const struct report *r, enum rasim_outcome o)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nruns; i++)
        n += r->runs[i].outcome == o;
    return n;
}

bool report_all_accepted(const struct report *r)
{
    for (size_t i = 0; i < r->nruns; i++)
        if (!r->runs[i].accepted)
            return false;
    return true;
}

enum rasim_outcome report_outcome_from_name(const char *name, bool *ok)
{
    for (int o = 0; o < RASIM_NOUTCOMES; o++)
        if (name && !strcmp(name, rasim_outcome_name((enum rasim_outcome)o))) {
            *ok = true;
            return (enum rasim_outcome)o;
        }
    *ok = false;
    return RASIM_OOPS;
}

/* ---- table --------------------------------------------------------------- */

void report_print_table(const struct report *r, FILE *out)
{
    size_t accepted = 0;
    for (size_t i = 0; i < r->nruns; i++)
        accepted += r->runs[i].accepted;
    fprintf(out, "campaign %s: %zu runs, profile %s\n", r->scenario, r->nruns, r->profile);
    fprintf(out, "  %-14s %6s  %s\n", "outcome", "runs", "first example");
    for (int o = 0; o < RASIM_NOUTCOMES; o++) {
        size_t n = report_count(r, (enum rasim_outcome)o);
        if (!n)
            continue;
        const struct report_run *first = NULL;
        for (size_t i = 0; i < r->nruns && !first; i++)
            if (r->runs[i].outcome == (enum rasim_outcome)o)
                first = &r->runs[i];
        fprintf(out, "  %-14s %6zu  %s at %s: %s%s\n", rasim_outcome_name((enum rasim_outcome)o), n,
                first->label, first->where, first->why, first->accepted ? "" : "  [not accepted]");
    }
    fprintf(out, "  %zu of %zu runs have an accepted outcome\n", accepted, r->nruns);
}

/* ---- JSON ----------------------------------------------------------------- */

static json_t *hex(uint64_t v)
{
    char buf[24];
    snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
    return json_string(buf);
}

static uint64_t unhex(const json_t *j)
{
    const char *s = json_string_value(j);
    return s ? strtoull(s, NULL, 0) : 0;
}

int report_write_json(const struct report *r, const char *shard, const char *path, char *err,
                      size_t errlen)
{
    json_t *root = json_object();
    json_object_set_new(root, "scenario", json_string(r->scenario));
    json_object_set_new(root, "arch", json_string(r->arch));
    json_object_set_new(root, "profile", json_string(r->profile));
    json_object_set_new(root, "shard", json_string(shard));
    json_t *accept = json_array();
    for (int o = 0; o < RASIM_NOUTCOMES; o++)
        if ((r->accept >> o) & 1)
            json_array_append_new(accept, json_string(rasim_outcome_name((enum rasim_outcome)o)));
    json_object_set_new(root, "accept", accept);
    json_t *runs = json_array();
    for (size_t i = 0; i < r->nruns; i++) {
        const struct report_run *run = &r->runs[i];
        json_t *o = json_object(), *point = json_object();
        json_object_set_new(o, "index", json_integer((json_int_t)run->index));
        json_object_set_new(point, "pa", hex(run->pa));
        json_object_set_new(point, "kind", json_string(run->tag ? "tag" : "data"));
        json_object_set_new(point, "label", json_string(run->label));
        json_object_set_new(point, "region", json_string(run->region));
        json_object_set_new(point, "offset", json_integer((json_int_t)run->offset));
        if (run->timed)
            json_object_set_new(point, "insn", json_integer((json_int_t)run->insn));
        json_object_set_new(o, "point", point);
        json_object_set_new(o, "outcome", json_string(rasim_outcome_name(run->outcome)));
        json_object_set_new(o, "accepted", json_boolean(run->accepted));
        json_object_set_new(o, "ret", hex(run->ret));
        json_object_set_new(o, "fixup", run->fixup[0] ? json_string(run->fixup) : json_null());
        json_object_set_new(o, "where", json_string(run->where));
        json_object_set_new(o, "why", json_string(run->why));
        json_object_set_new(o, "insns", json_integer((json_int_t)run->insns));
        json_array_append_new(runs, o);
    }
    json_object_set_new(root, "runs", runs);
    json_t *summary = json_object();
    for (int o = 0; o < RASIM_NOUTCOMES; o++)
        json_object_set_new(summary, rasim_outcome_name((enum rasim_outcome)o),
                            json_integer((json_int_t)report_count(r, (enum rasim_outcome)o)));
    json_object_set_new(summary, "total", json_integer((json_int_t)r->nruns));
    json_object_set_new(summary, "all_accepted", json_boolean(report_all_accepted(r)));
    json_object_set_new(root, "summary", summary);
    int rc = json_dump_file(root, path, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc < 0) {
        snprintf(err, errlen, "%s: cannot write", path);
        return -1;
    }
    return 0;
}

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

int report_read_json(struct report *r, const char *path, char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root) {
        snprintf(err, errlen, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
        return -1;
    }
    int rc = -1;
    json_t *runs = json_object_get(root, "runs");
    if (!json_is_object(root) || !json_is_array(runs) || !*str(root, "scenario")) {
        snprintf(err, errlen, "%s: not a rasim campaign report (no scenario or runs)", path);
        goto out;
    }
    if (r->scenario[0] && strcmp(r->scenario, str(root, "scenario"))) {
        snprintf(err, errlen, "%s: a report of %s, not of %s", path, str(root, "scenario"),
                 r->scenario);
        goto out;
    }
    snprintf(r->scenario, sizeof(r->scenario), "%s", str(root, "scenario"));
    snprintf(r->arch, sizeof(r->arch), "%s", str(root, "arch"));
    snprintf(r->profile, sizeof(r->profile), "%s", str(root, "profile"));
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(root, "accept"), i, v)
    {
        bool ok;
        enum rasim_outcome o = report_outcome_from_name(json_string_value(v), &ok);
        if (ok)
            r->accept |= 1u << o;
    }
    json_array_foreach(runs, i, v)
    {
        struct report_run run;
        bool ok;
        memset(&run, 0, sizeof(run));
        json_t *point = json_object_get(v, "point");
        run.outcome = report_outcome_from_name(str(v, "outcome"), &ok);
        if (!json_is_object(point) || !ok || !json_is_integer(json_object_get(v, "index"))) {
            snprintf(err, errlen, "%s: run %zu is not a campaign run (point, outcome, index)", path,
                     i);
            goto out;
        }
        run.index = (size_t)json_integer_value(json_object_get(v, "index"));
        run.pa = unhex(json_object_get(point, "pa"));
        run.tag = !strcmp(str(point, "kind"), "tag");
        snprintf(run.label, sizeof(run.label), "%s", str(point, "label"));
        snprintf(run.region, sizeof(run.region), "%s", str(point, "region"));
        run.offset = (uint64_t)json_integer_value(json_object_get(point, "offset"));
        json_t *insn = json_object_get(point, "insn");
        run.timed = json_is_integer(insn);
        run.insn = run.timed ? (uint64_t)json_integer_value(insn) : 0;
        run.accepted = json_is_true(json_object_get(v, "accepted"));
        run.ret = unhex(json_object_get(v, "ret"));
        snprintf(run.fixup, sizeof(run.fixup), "%s", str(v, "fixup"));
        snprintf(run.where, sizeof(run.where), "%s", str(v, "where"));
        snprintf(run.why, sizeof(run.why), "%s", str(v, "why"));
        run.insns = (uint64_t)json_integer_value(json_object_get(v, "insns"));
        report_add(r, &run);
    }
    rc = 0;
out:
    json_decref(root);
    return rc;
}
