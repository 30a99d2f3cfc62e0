/* A small zip reader for tests: walks the central directory (found through the end record) and
 * inflates one entry with zlib. Enough for the packages our writers and libxlsxwriter make:
 * stored or deflated entries, no ZIP64, no encryption. */
#include "bt_test_zip.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

/* A zip larger than this is not a report. */
#define ZIP_MAX_BYTES (256L * 1024 * 1024)
#define EOCD_MIN 22
#define EOCD_SEARCH (EOCD_MIN + 0xFFFF)

static uint32_t rd16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t rd32(const unsigned char *p)
{
    return rd16(p) | rd16(p + 2) << 16;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *buf = NULL;
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (size >= EOCD_MIN && size <= ZIP_MAX_BYTES && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)size)) && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = buf ? (size_t)size : 0;
    return buf;
}

/* The central directory: *first entry, *count entries; -1 when there is none. */
static int central(const unsigned char *z, size_t len, size_t *first, size_t *count)
{
    size_t lowest = len > EOCD_SEARCH ? len - EOCD_SEARCH : 0;
    for (size_t i = len - EOCD_MIN + 1; i-- > lowest;) {
        if (rd32(z + i) != 0x06054b50)
            continue;
        *count = rd16(z + i + 10);
        *first = rd32(z + i + 16);
        return *first < len ? 0 : -1;
    }
    return -1;
}

/* Calls fn for every entry with its name and central header; stops when fn returns nonzero. */
typedef int (*entry_fn)(const unsigned char *z, size_t len, const unsigned char *hdr,
                        const char *name, size_t name_len, void *ctx);

static int walk(const unsigned char *z, size_t len, entry_fn fn, void *ctx)
{
    size_t p, count;
    if (central(z, len, &p, &count) != 0)
        return -1;
    for (size_t i = 0; i < count; i++) {
        if (p + 46 > len || rd32(z + p) != 0x02014b50)
            return -1;
        size_t n = rd16(z + p + 28), extra = rd16(z + p + 30), comment = rd16(z + p + 32);
        if (p + 46 + n > len)
            return -1;
        int rc = fn(z, len, z + p, (const char *)z + p + 46, n, ctx);
        if (rc)
            return rc;
        p += 46 + n + extra + comment;
    }
    return 0;
}

typedef struct {
    char *text;
    size_t len, cap;
} names;

static int add_name(const unsigned char *z, size_t len, const unsigned char *hdr,
                    const char *name, size_t name_len, void *ctx)
{
    (void)z;
    (void)len;
    (void)hdr;
    names *n = ctx;
    if (n->len + name_len + 2 > n->cap) {
        size_t cap = (n->len + name_len + 2) * 2;
        char *bigger = realloc(n->text, cap);
        if (!bigger)
            return -1;
        n->text = bigger;
        n->cap = cap;
    }
    memcpy(n->text + n->len, name, name_len);
    n->len += name_len;
    n->text[n->len++] = '\n';
    n->text[n->len] = '\0';
    return 0;
}

char *bt_test_zip_names(const char *path)
{
    size_t len;
    unsigned char *z = slurp(path, &len);
    names n = {NULL, 0, 0};
    if (!z || walk(z, len, add_name, &n) != 0) {
        free(n.text);
        n.text = NULL;
    }
    free(z);
    return n.text;
}

typedef struct {
    const char *want;
    char *out;
    size_t out_len;
} reading;

static int inflate_entry(const unsigned char *z, size_t len, const unsigned char *hdr,
                         const char *name, size_t name_len, void *ctx)
{
    reading *r = ctx;
    if (name_len != strlen(r->want) || memcmp(name, r->want, name_len) != 0)
        return 0;
    uint32_t method = rd16(hdr + 10), packed = rd32(hdr + 20), size = rd32(hdr + 24);
    size_t local = rd32(hdr + 42);
    if (local + 30 > len || rd32(z + local) != 0x04034b50)
        return -1;
    size_t data = local + 30 + rd16(z + local + 26) + rd16(z + local + 28);
    if (data + packed > len || !(r->out = malloc((size_t)size + 1)))
        return -1;
    if (method == 0 && packed == size) {
        memcpy(r->out, z + data, size);
    } else if (method == 8) {
        z_stream s;
        memset(&s, 0, sizeof s);
        if (inflateInit2(&s, -MAX_WBITS) != Z_OK)
            return -1;
        s.next_in = (Bytef *)(uintptr_t)(z + data);
        s.avail_in = packed;
        s.next_out = (Bytef *)r->out;
        s.avail_out = size;
        int rc = inflate(&s, Z_FINISH);
        inflateEnd(&s);
        if (rc != Z_STREAM_END || s.total_out != size)
            return -1;
    } else {
        return -1;
    }
    r->out[size] = '\0';
    r->out_len = size;
    return 1;
}

char *bt_test_zip_read(const char *path, const char *name, size_t *len)
{
    size_t zlen;
    unsigned char *z = slurp(path, &zlen);
    reading r = {name, NULL, 0};
    if (!z || walk(z, zlen, inflate_entry, &r) != 1) {
        free(r.out);
        r.out = NULL;
    }
    free(z);
    if (r.out && len)
        *len = r.out_len;
    return r.out;
}
