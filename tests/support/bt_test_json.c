/* A strict recursive-descent JSON reader (RFC 8259) for tests: objects, arrays, strings with
 * every escape (\uXXXX and surrogate pairs to UTF-8), numbers, true, false, null. Anything
 * else, or anything after the value, makes the parse fail. */
#include "bt_test_json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Deeper than any document a bangtin command prints. */
#define MAX_DEPTH 32

typedef struct {
    const char *p;
    int depth;
} reader;

static bool parse_value(reader *r, bt_test_json *out);

static void skip_space(reader *r)
{
    while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')
        r->p++;
}

static void value_clear(bt_test_json *v)
{
    for (size_t i = 0; i < v->count; i++) {
        value_clear(&v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->string);
    memset(v, 0, sizeof *v);
}

static int hex4(const char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static size_t put_utf8(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* A string at r->p (opening quote included) into a malloc'd UTF-8 copy. */
static char *parse_string(reader *r)
{
    if (*r->p != '"')
        return NULL;
    r->p++;
    /* Decoded text is never longer than its escaped form. */
    const char *end = r->p;
    while (*end && *end != '"')
        end += *end == '\\' && end[1] ? 2 : 1;
    if (*end != '"')
        return NULL;
    char *s = malloc((size_t)(end - r->p) + 1), *o = s;
    if (!s)
        return NULL;
    while (*r->p != '"') {
        unsigned char c = (unsigned char)*r->p;
        if (c < 0x20)
            goto fail; /* control characters must be escaped */
        if (c != '\\') {
            *o++ = (char)c;
            r->p++;
            continue;
        }
        char e = r->p[1];
        r->p += 2;
        switch (e) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            int hi = hex4(r->p);
            if (hi < 0)
                goto fail;
            r->p += 4;
            uint32_t cp = (uint32_t)hi;
            if (hi >= 0xD800 && hi < 0xDC00) {
                int lo = r->p[0] == '\\' && r->p[1] == 'u' ? hex4(r->p + 2) : -1;
                if (lo < 0xDC00 || lo >= 0xE000)
                    goto fail;
                r->p += 6;
                cp = 0x10000 + (((uint32_t)hi - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
            } else if (hi >= 0xDC00 && hi < 0xE000) {
                goto fail;
            }
            o += put_utf8(cp, o);
            break;
        }
        default:
            goto fail;
        }
    }
    r->p++;
    *o = '\0';
    return s;
fail:
    free(s);
    return NULL;
}

static bool parse_number(reader *r, bt_test_json *out)
{
    const char *start = r->p;
    if (*r->p == '-')
        r->p++;
    if (*r->p == '0')
        r->p++;
    else if (*r->p >= '1' && *r->p <= '9')
        while (*r->p >= '0' && *r->p <= '9')
            r->p++;
    else
        return false;
    if (*r->p == '.') {
        r->p++;
        if (!(*r->p >= '0' && *r->p <= '9'))
            return false;
        while (*r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    if (*r->p == 'e' || *r->p == 'E') {
        r->p++;
        if (*r->p == '+' || *r->p == '-')
            r->p++;
        if (!(*r->p >= '0' && *r->p <= '9'))
            return false;
        while (*r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    out->type = BT_TEST_JSON_NUMBER;
    out->number = strtod(start, NULL);
    return true;
}

static bool append(bt_test_json *container, char *key, size_t *cap)
{
    if (container->count == *cap) {
        size_t grown = *cap ? *cap * 2 : 4;
        bt_test_json *items = realloc(container->items, grown * sizeof *items);
        if (!items)
            return false;
        container->items = items;
        if (container->type == BT_TEST_JSON_OBJECT) {
            char **keys = realloc(container->keys, grown * sizeof *keys);
            if (!keys)
                return false;
            container->keys = keys;
        }
        *cap = grown;
    }
    memset(&container->items[container->count], 0, sizeof container->items[0]);
    if (container->type == BT_TEST_JSON_OBJECT)
        container->keys[container->count] = key;
    container->count++;
    return true;
}

/* An array or object; close is ']' or '}'. */
static bool parse_container(reader *r, bt_test_json *out, char close)
{
    size_t cap = 0;
    out->type = close == '}' ? BT_TEST_JSON_OBJECT : BT_TEST_JSON_ARRAY;
    if (++r->depth > MAX_DEPTH)
        return false;
    r->p++;
    skip_space(r);
    if (*r->p == close) {
        r->p++;
        r->depth--;
        return true;
    }
    for (;;) {
        char *key = NULL;
        skip_space(r);
        if (close == '}') {
            key = parse_string(r);
            if (!key)
                return false;
            skip_space(r);
            if (*r->p != ':') {
                free(key);
                return false;
            }
            r->p++;
        }
        if (!append(out, key, &cap)) {
            free(key);
            return false;
        }
        if (!parse_value(r, &out->items[out->count - 1]))
            return false;
        skip_space(r);
        if (*r->p == ',') {
            r->p++;
            continue;
        }
        if (*r->p != close)
            return false;
        r->p++;
        r->depth--;
        return true;
    }
}

static bool literal(reader *r, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(r->p, word, n) != 0)
        return false;
    r->p += n;
    return true;
}

static bool parse_value(reader *r, bt_test_json *out)
{
    skip_space(r);
    switch (*r->p) {
    case '{': return parse_container(r, out, '}');
    case '[': return parse_container(r, out, ']');
    case '"':
        out->type = BT_TEST_JSON_STRING;
        out->string = parse_string(r);
        return out->string != NULL;
    case 't':
        out->type = BT_TEST_JSON_BOOL;
        out->boolean = true;
        return literal(r, "true");
    case 'f':
        out->type = BT_TEST_JSON_BOOL;
        return literal(r, "false");
    case 'n':
        out->type = BT_TEST_JSON_NULL;
        return literal(r, "null");
    default:
        return parse_number(r, out);
    }
}

bt_test_json *bt_test_json_parse(const char *text)
{
    reader r = {text, 0};
    bt_test_json *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    bool ok = parse_value(&r, v);
    skip_space(&r);
    if (!ok || *r.p != '\0') {
        bt_test_json_free(v);
        return NULL;
    }
    return v;
}

void bt_test_json_free(bt_test_json *value)
{
    if (!value)
        return;
    value_clear(value);
    free(value);
}

const bt_test_json *bt_test_json_get(const bt_test_json *object, const char *key)
{
    if (!object || object->type != BT_TEST_JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < object->count; i++)
        if (strcmp(object->keys[i], key) == 0)
            return &object->items[i];
    return NULL;
}
