/* What every fuzz target shares: the libFuzzer entry points, a check that stops the run when a
 * property the code promises is broken (not only when a sanitizer fires), and checks of the
 * diagnostics every validator hands back. Header-only so each target stays one file. */
#ifndef BT_FUZZ_H
#define BT_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_broadcast.h"
#include "bangtin/bt_diag.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_tree.h"

/* libFuzzer's interface (also called by fuzz/standalone.c). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A broken promise is a finding like a sanitizer report: say which and abort, so libFuzzer
 * (or the standalone driver) saves the input. */
#define FUZZ_CHECK(cond)                                                                          \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond);         \
            abort();                                                                              \
        }                                                                                         \
    } while (0)

/* A NUL-terminated heap copy of the input (the parsers under test take C strings). The caller
 * frees it. Aborts on allocation failure: inputs are small. */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    FUZZ_CHECK(s != NULL);
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* True if buf[0..size) holds a NUL: a field of a struct was terminated inside its array. */
static inline bool fuzz_terminated(const char *buf, size_t size)
{
    return memchr(buf, '\0', size) != NULL;
}

/* What every diagnostic list must satisfy whatever the input: counts agree, every record is
 * terminated inside its arrays, and every message is valid UTF-8 (messages go on screen and onto
 * the stick; libconfig accepts invalid UTF-8, so a message that echoes the file unfiltered would
 * carry it there). Each record is also formatted, as the shells do. */
static inline void fuzz_check_diags(const bt_diags *d)
{
    char line[BT_MAX_PATH_BYTES + BT_MAX_DIAG_MESSAGE + 64];
    size_t errors = 0, warnings = 0;
    FUZZ_CHECK(d->count <= BT_MAX_DIAGS);
    FUZZ_CHECK(d->count + d->dropped == d->errors + d->warnings);
    for (size_t i = 0; i < d->count; i++) {
        const bt_diag *g = &d->items[i];
        FUZZ_CHECK(g->severity == BT_DIAG_ERROR || g->severity == BT_DIAG_WARNING);
        if (g->severity == BT_DIAG_ERROR)
            errors++;
        else
            warnings++;
        FUZZ_CHECK(g->line >= 0);
        FUZZ_CHECK(fuzz_terminated(g->file, sizeof g->file));
        FUZZ_CHECK(fuzz_terminated(g->message, sizeof g->message));
        FUZZ_CHECK(bt_text_utf8_valid(g->message, strlen(g->message)));
        bt_diag_format(g, line, sizeof line);
        FUZZ_CHECK(fuzz_terminated(line, sizeof line));
    }
    FUZZ_CHECK(errors <= d->errors && warnings <= d->warnings);
}

/* Parsed loudspeaker windows: within the day, each non-empty, in order and apart. */
static inline void fuzz_check_windows(const bt_broadcast_limits *lim)
{
    FUZZ_CHECK(lim->window_count <= BT_MAX_HOUR_SPANS);
    for (size_t i = 0; i < lim->window_count; i++) {
        FUZZ_CHECK(lim->windows[i].start_minute >= 0);
        FUZZ_CHECK(lim->windows[i].start_minute < lim->windows[i].end_minute);
        FUZZ_CHECK(lim->windows[i].end_minute <= 1440);
        if (i > 0)
            FUZZ_CHECK(lim->windows[i - 1].end_minute <= lim->windows[i].start_minute);
    }
}

static inline bool fuzz_is_scalar(bt_node_type t)
{
    return t == BT_NODE_INT || t == BT_NODE_FLOAT || t == BT_NODE_BOOL || t == BT_NODE_STRING;
}

/* What the validators take for granted about a tree from src/io/cfgfile.c: group members have
 * names and elements do not, strings have a value and nothing else does, arrays hold scalars of
 * one type, and nesting stops at BT_MAX_CONFIG_DEPTH. */
static inline void fuzz_check_node(const bt_node *n, int depth)
{
    bool aggregate = n->type == BT_NODE_GROUP || n->type == BT_NODE_LIST ||
                     n->type == BT_NODE_ARRAY;
    FUZZ_CHECK(depth <= BT_MAX_CONFIG_DEPTH);
    FUZZ_CHECK(n->line >= 0);
    FUZZ_CHECK((n->type == BT_NODE_STRING) == (n->string_value != NULL));
    FUZZ_CHECK(aggregate || (n->child_count == 0 && n->children == NULL));
    FUZZ_CHECK((n->child_count == 0) == (n->children == NULL));
    for (size_t i = 0; i < n->child_count; i++) {
        const bt_node *c = &n->children[i];
        if (n->type == BT_NODE_GROUP)
            FUZZ_CHECK(c->name != NULL && c->name[0] != '\0');
        else
            FUZZ_CHECK(c->name == NULL);
        if (n->type == BT_NODE_ARRAY)
            FUZZ_CHECK(fuzz_is_scalar(c->type) && c->type == n->children[0].type);
        fuzz_check_node(c, depth + 1);
    }
}

static inline void fuzz_check_tree(const bt_node *root)
{
    FUZZ_CHECK(root != NULL);
    FUZZ_CHECK(root->type == BT_NODE_GROUP && root->name == NULL && root->line == 0);
    fuzz_check_node(root, 0);
}

#endif
