/* A tiny reader of libconfig-like text into a bt_node tree, for unit tests that link only
 * bt_core (the real reader, io/cfgfile.c, needs libconfig). Enough for the validators' inputs:
 * groups, lists, arrays, strings, integers, floats and booleans, with line numbers. */
#include "bt_test_support.h"
#include "bt_test_tree.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>


typedef struct {
    const char *p;
    int line;
} reader;

static void skip_space(reader *r)
{
    for (;;) {
        if (*r->p == '\n') {
            r->line++;
            r->p++;
        } else if (*r->p == ' ' || *r->p == '\t' || *r->p == '\r') {
            r->p++;
        } else if (*r->p == '#' || (r->p[0] == '/' && r->p[1] == '/')) {
            while (*r->p && *r->p != '\n')
                r->p++;
        } else {
            return;
        }
    }
}

static void add_child(bt_node *parent, const bt_node *child)
{
    parent->children = realloc(parent->children, (parent->child_count + 1) * sizeof *child);
    assert_non_null(parent->children);
    parent->children[parent->child_count++] = *child;
}

static bool read_value(reader *r, bt_node *out);

/* Settings until `close` (or the end of text when close is '\0'). */
static bool read_settings(reader *r, bt_node *group, char close)
{
    for (;;) {
        skip_space(r);
        if (*r->p == close) {
            if (close)
                r->p++;
            return true;
        }
        const char *start = r->p;
        while ((*r->p >= 'a' && *r->p <= 'z') || (*r->p >= 'A' && *r->p <= 'Z') || *r->p == '_' ||
               (*r->p >= '0' && *r->p <= '9'))
            r->p++;
        if (r->p == start)
            return false;
        bt_node child;
        memset(&child, 0, sizeof child);
        child.line = r->line;
        size_t len = (size_t)(r->p - start);
        skip_space(r);
        if (*r->p != '=' && *r->p != ':')
            return false;
        r->p++;
        if (!read_value(r, &child))
            return false;
        child.name = malloc(len + 1);
        memcpy(child.name, start, len);
        child.name[len] = '\0';
        add_child(group, &child);
        skip_space(r);
        if (*r->p == ';' || *r->p == ',')
            r->p++;
    }
}

static bool read_string(reader *r, bt_node *out)
{
    size_t cap = 64, n = 0;
    char *s = malloc(cap);
    while (*r->p == '"') {
        r->p++;
        while (*r->p && *r->p != '"') {
            char ch = *r->p++;
            if (ch == '\\') {
                ch = *r->p++;
                ch = ch == 'n' ? '\n' : ch == 't' ? '\t' : ch;
            }
            if (n + 2 > cap)
                s = realloc(s, cap *= 2);
            s[n++] = ch;
        }
        if (*r->p != '"') {
            free(s);
            return false;
        }
        r->p++;
        skip_space(r); /* adjacent literals join, as in libconfig */
    }
    s[n] = '\0';
    out->type = BT_NODE_STRING;
    out->string_value = s;
    return true;
}

static bool read_value(reader *r, bt_node *out)
{
    skip_space(r);
    if (out->line == 0)
        out->line = r->line;
    if (*r->p == '"')
        return read_string(r, out);
    if (*r->p == '{') {
        r->p++;
        out->type = BT_NODE_GROUP;
        return read_settings(r, out, '}');
    }
    if (*r->p == '(' || *r->p == '[') {
        char close = *r->p == '(' ? ')' : ']';
        out->type = *r->p == '(' ? BT_NODE_LIST : BT_NODE_ARRAY;
        r->p++;
        for (;;) {
            skip_space(r);
            if (*r->p == close) {
                r->p++;
                return true;
            }
            bt_node elem;
            memset(&elem, 0, sizeof elem);
            if (!read_value(r, &elem))
                return false;
            add_child(out, &elem);
            skip_space(r);
            if (*r->p == ',')
                r->p++;
        }
    }
    if (strncmp(r->p, "true", 4) == 0 || strncmp(r->p, "false", 5) == 0) {
        out->type = BT_NODE_BOOL;
        out->bool_value = *r->p == 't';
        r->p += out->bool_value ? 4 : 5;
        return true;
    }
    char *end;
    long long v = strtoll(r->p, &end, 10);
    if (end == r->p)
        return false;
    out->type = BT_NODE_INT;
    out->int_value = v;
    r->p = end;
    return true;
}

/* Parses text into a heap root (caller destroys). */
bt_node *bt_test_parse_cfg(const char *text)
{
    reader r = {text, 1};
    bt_node *root = calloc(1, sizeof *root);
    assert_non_null(root);
    root->type = BT_NODE_GROUP;
    if (!read_settings(&r, root, '\0'))
        fail_msg("test config does not parse near line %d: %.20s", r.line, r.p);
    return root;
}

