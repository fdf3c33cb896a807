/*
 * report_xml.c - campaign results as JUnit XML (one testcase per point, a
 * failure for each outcome the scenario does not accept) and as an SVG heat
 * map of each swept buffer, line by line, coloured by outcome. Both are
 * written with libxml2's text writer.
 */
#include "sim/cli/report.h"

#include <libxml/xmlwriter.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define X(s) ((const xmlChar *)(s))

static int fail(char *err, size_t errlen, const char *path)
{
    snprintf(err, errlen, "%s: cannot write", path);
    return -1;
}

static void attr(xmlTextWriterPtr w, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void attr(xmlTextWriterPtr w, const char *name, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    xmlTextWriterWriteAttribute(w, X(name), X(buf));
}

int report_write_junit(const struct report *r, const char *path, char *err, size_t errlen)
{
    xmlTextWriterPtr w = xmlNewTextWriterFilename(path, 0);
    if (!w)
        return fail(err, errlen, path);
    size_t failures = 0;
    for (size_t i = 0; i < r->nruns; i++)
        failures += !r->runs[i].accepted;
    xmlTextWriterSetIndent(w, 1);
    xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
    xmlTextWriterStartElement(w, X("testsuites"));
    attr(w, "name", "rasim campaign");
    attr(w, "tests", "%zu", r->nruns);
    attr(w, "failures", "%zu", failures);
    xmlTextWriterStartElement(w, X("testsuite"));
    attr(w, "name", "%s", r->scenario);
    attr(w, "tests", "%zu", r->nruns);
    attr(w, "failures", "%zu", failures);
    attr(w, "errors", "0");
    for (size_t i = 0; i < r->nruns; i++) {
        const struct report_run *run = &r->runs[i];
        xmlTextWriterStartElement(w, X("testcase"));
        attr(w, "classname", "%s", r->scenario);
        attr(w, "name", "poison %s", run->label);
        attr(w, "time", "0");
        if (!run->accepted) {
            xmlTextWriterStartElement(w, X("failure"));
            attr(w, "type", "%s", rasim_outcome_name(run->outcome));
            attr(w, "message", "%s at %s", rasim_outcome_name(run->outcome), run->where);
            char text[512];
            snprintf(text, sizeof(text), "%s%s%s", run->why, run->fixup[0] ? "; fixup " : "",
                     run->fixup);
            xmlTextWriterWriteString(w, X(text));
            xmlTextWriterEndElement(w);
        }
        xmlTextWriterEndElement(w);
    }
    xmlTextWriterEndElement(w);
    xmlTextWriterEndElement(w);
    int rc = xmlTextWriterEndDocument(w);
    xmlFreeTextWriter(w);
    return rc < 0 ? fail(err, errlen, path) : 0;
}

/* ---- SVG ------------------------------------------------------------------ */

static const char *const colours[RASIM_NOUTCOMES] = {
    [RASIM_RECOVERED] = "#2e7d32", [RASIM_WRONG_RESIDUE] = "#ef6c00", [RASIM_SILENT] = "#c62828",
    [RASIM_OOPS] = "#6a1b9a",      [RASIM_NOT_CONSUMED] = "#bdbdbd",  [RASIM_HANG] = "#212121",
};

#define CELL      12 /* pixels per line */
#define PER_ROW   64 /* lines per row: 4 KiB */
#define LEFT      90 /* room for the row labels */
#define TOP       50
#define GROUP_GAP 34

struct group {
    char region[64];
    bool tag;
    bool timed;
    uint64_t max_cell;
};

/* A run's cell in its group: its line, or for an instruction sweep the
 * instruction count at which the poison arrived. */
static uint64_t cell_of(const struct report_run *run)
{
    return run->timed ? run->insn : run->offset / 64;
}

static bool in_group(const struct group *g, const struct report_run *run)
{
    return !strcmp(g->region, run->region) && g->tag == run->tag && g->timed == run->timed;
}

static size_t groups_of(const struct report *r, struct group *g, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nruns; i++) {
        const struct report_run *run = &r->runs[i];
        size_t k;
        for (k = 0; k < n; k++)
            if (in_group(&g[k], run))
                break;
        if (k == n) {
            if (n == max)
                continue;
            memset(&g[n], 0, sizeof(g[n]));
            snprintf(g[n].region, sizeof(g[n].region), "%s", run->region);
            g[n].tag = run->tag;
            g[n].timed = run->timed;
            n++;
        }
        if (cell_of(run) > g[k].max_cell)
            g[k].max_cell = cell_of(run);
    }
    return n;
}

static void text(xmlTextWriterPtr w, int x, int y, const char *anchor, int size, const char *s)
{
    xmlTextWriterStartElement(w, X("text"));
    attr(w, "x", "%d", x);
    attr(w, "y", "%d", y);
    attr(w, "font-family", "sans-serif");
    attr(w, "font-size", "%d", size);
    attr(w, "text-anchor", "%s", anchor);
    xmlTextWriterWriteString(w, X(s));
    xmlTextWriterEndElement(w);
}

int report_write_svg(const struct report *r, const char *path, char *err, size_t errlen)
{
    struct group groups[32];
    size_t ngroups = groups_of(r, groups, 32);
    int height = TOP;
    for (size_t g = 0; g < ngroups; g++)
        height += GROUP_GAP + (int)(groups[g].max_cell / PER_ROW + 1) * CELL;
    height += 70; /* legend */
    int width = LEFT + PER_ROW * CELL + 20;

    xmlTextWriterPtr w = xmlNewTextWriterFilename(path, 0);
    if (!w)
        return fail(err, errlen, path);
    xmlTextWriterSetIndent(w, 1);
    xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
    xmlTextWriterStartElement(w, X("svg"));
    attr(w, "xmlns", "http://www.w3.org/2000/svg");
    attr(w, "width", "%d", width);
    attr(w, "height", "%d", height);
    attr(w, "viewBox", "0 0 %d %d", width, height);
    xmlTextWriterStartElement(w, X("rect"));
    attr(w, "width", "100%%");
    attr(w, "height", "100%%");
    attr(w, "fill", "white");
    xmlTextWriterEndElement(w);
    char buf[1200];
    snprintf(buf, sizeof(buf), "rasim campaign: %.1023s (profile %.63s, %zu runs)", r->scenario,
             r->profile, r->nruns);
    text(w, 10, 22, "start", 14, buf);

    int y = TOP;
    for (size_t g = 0; g < ngroups; g++) {
        const struct group *gr = &groups[g];
        if (gr->timed)
            snprintf(buf, sizeof(buf),
                     "%.63s%s: one line poisoned after each instruction in turn; rows of %d",
                     gr->region, gr->tag ? " (tag storage)" : "", PER_ROW);
        else
            snprintf(buf, sizeof(buf), "%.63s%s: poison per 64-byte line; rows of 4 KiB",
                     gr->region, gr->tag ? " (tag storage)" : "");
        text(w, 10, y + 16, "start", 12, buf);
        y += GROUP_GAP - 8;
        /* column axis: byte offset (or instruction) within the row */
        for (int c = 0; c < PER_ROW; c += 16) {
            if (gr->timed)
                snprintf(buf, sizeof(buf), "+%d", c);
            else
                snprintf(buf, sizeof(buf), "+0x%x", c * 64);
            text(w, LEFT + c * CELL, y - 2, "start", 9, buf);
        }
        uint64_t rows = gr->max_cell / PER_ROW + 1;
        for (uint64_t row = 0; row < rows; row++) {
            if (gr->timed)
                snprintf(buf, sizeof(buf), "insn %llu", (unsigned long long)(row * PER_ROW));
            else
                snprintf(buf, sizeof(buf), "%.63s+0x%llx", gr->region,
                         (unsigned long long)(row * PER_ROW * 64));
            text(w, LEFT - 6, y + (int)row * CELL + CELL - 2, "end", 9, buf);
        }
        for (size_t i = 0; i < r->nruns; i++) {
            const struct report_run *run = &r->runs[i];
            if (!in_group(gr, run))
                continue;
            uint64_t line = cell_of(run);
            xmlTextWriterStartElement(w, X("rect"));
            attr(w, "x", "%d", LEFT + (int)(line % PER_ROW) * CELL);
            attr(w, "y", "%d", y + (int)(line / PER_ROW) * CELL);
            attr(w, "width", "%d", CELL - 1);
            attr(w, "height", "%d", CELL - 1);
            attr(w, "fill", "%s", colours[run->outcome]);
            if (!run->accepted) {
                attr(w, "stroke", "black");
                attr(w, "stroke-width", "1.5");
            }
            xmlTextWriterStartElement(w, X("title"));
            snprintf(buf, sizeof(buf), "%s: %s at %s - %s", run->label,
                     rasim_outcome_name(run->outcome), run->where, run->why);
            xmlTextWriterWriteString(w, X(buf));
            xmlTextWriterEndElement(w);
            xmlTextWriterEndElement(w);
        }
        y += (int)rows * CELL + 8;
    }

    /* legend: every outcome, with its count */
    y += 20;
    int x = 10;
    for (int o = 0; o < RASIM_NOUTCOMES; o++) {
        xmlTextWriterStartElement(w, X("rect"));
        attr(w, "x", "%d", x);
        attr(w, "y", "%d", y);
        attr(w, "width", "%d", CELL);
        attr(w, "height", "%d", CELL);
        attr(w, "fill", "%s", colours[o]);
        xmlTextWriterEndElement(w);
        snprintf(buf, sizeof(buf), "%s (%zu)", rasim_outcome_name((enum rasim_outcome)o),
                 report_count(r, (enum rasim_outcome)o));
        text(w, x + CELL + 4, y + CELL - 2, "start", 11, buf);
        x += 125;
    }
    text(w, 10, y + 36, "start", 10,
         "a black border marks an outcome the scenario does not accept");
    xmlTextWriterEndElement(w);
    int rc = xmlTextWriterEndDocument(w);
    xmlFreeTextWriter(w);
    return rc < 0 ? fail(err, errlen, path) : 0;
}
