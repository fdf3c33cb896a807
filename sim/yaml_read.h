/*
 * yaml_read.h - reading the YAML files people write (profiles, scenarios)
 * with libyaml's document API, and reporting mistakes as
 * "file:line:column: what was expected".
 */
#ifndef RASIM_SIM_YAML_READ_H
#define RASIM_SIM_YAML_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

struct yr {
    const char *name; /* the file, for messages */
    yaml_document_t doc;
    char *err;
    size_t errlen;
};

/* Parse text; -1 with the position of the syntax error. yr_close() after. */
int yr_open(struct yr *r, const char *name, const char *text, size_t len, char *err,
            size_t errlen);
void yr_close(struct yr *r);
yaml_node_t *yr_root(struct yr *r);

/* "name:line:column: message" at node (the document start when NULL); -1. */
int yr_fail(const struct yr *r, const yaml_node_t *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

yaml_node_t *yr_node(const struct yr *r, int index);
const char *yr_scalar(const yaml_node_t *n); /* NULL unless a scalar */
int yr_string(const struct yr *r, const yaml_node_t *n, const char *what, const char **out);
/* An unsigned number: decimal or 0x hex. */
int yr_u64(const struct yr *r, const yaml_node_t *n, const char *what, uint64_t *out);
int yr_bool(const struct yr *r, const yaml_node_t *n, const char *what, bool *out);
int yr_expect(const struct yr *r, const yaml_node_t *n, yaml_node_type_t type, const char *what);

/* Iterate a mapping's pairs / a sequence's items. */
#define YR_PAIRS(map, kv)                                                     \
    for (yaml_node_pair_t *kv = (map)->data.mapping.pairs.start;              \
         kv < (map)->data.mapping.pairs.top; kv++)
#define YR_ITEMS(seq, it)                                                     \
    for (yaml_node_item_t *it = (seq)->data.sequence.items.start;             \
         it < (seq)->data.sequence.items.top; it++)

#endif
