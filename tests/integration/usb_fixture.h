/* Shared by the USB tests: a ward key pair and an untrusted one, an appliance config that
 * trusts the ward's key, a data directory, and helpers that build packages the way an attacker
 * or a careless copy would (any MANIFEST, signed or not, files changed afterwards). Header-only
 * (static functions) because each tests/integration/test_*.c is its own executable. */
#ifndef BT_USB_FIXTURE_H
#define BT_USB_FIXTURE_H

#include "bt_test_support.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bangtin/bt_config.h"
#include "bangtin/bt_loudness.h"
#include "bangtin/bt_package.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_usb.h"
#include "bangtin/bt_sha256.h"

#define BANGTIN BT_BANGTIN_EXE
#define USB_BASIC BT_SOURCE_DIR "/tests/data/usb/basic"
/* 2025-11-24 00:00 in Hà Nội: the QR notice (highest priority) is on screen. */
#define USB_SHOT_AT "2025-11-24 00:00"

typedef struct {
    char root[700];
    char ward_key[800], ward_pub[800], other_key[800];
    char cfg_path[800];
    char data[800];
    bt_config cfg;
    bt_broadcast_limits limits;
} usb_fixture;

static void usb_fixture_setup(usb_fixture *f, const char *name, const char *extra_cfg)
{
    char err[512], cfg_text[2048];
    char *dir = bt_test_temp_dir(name);
    assert_non_null(dir);
    memset(f, 0, sizeof(*f));
    snprintf(f->root, sizeof(f->root), "%s", dir);
    free(dir);
    char base[720];
    snprintf(base, sizeof(base), "%s/ward", f->root);
    if (bt_package_keygen(base, NULL, err, sizeof(err)) != 0)
        fail_msg("keygen: %s", err);
    snprintf(f->ward_key, sizeof(f->ward_key), "%s.key", base);
    snprintf(f->ward_pub, sizeof(f->ward_pub), "%s.pub", base);
    snprintf(base, sizeof(base), "%s/other", f->root);
    if (bt_package_keygen(base, NULL, err, sizeof(err)) != 0)
        fail_msg("keygen: %s", err);
    snprintf(f->other_key, sizeof(f->other_key), "%s.key", base);
    snprintf(f->cfg_path, sizeof(f->cfg_path), "%s/bangtin.cfg", f->root);
    snprintf(cfg_text, sizeof(cfg_text), "trusted_keys = [ \"%s\" ];\n%s\n", f->ward_pub,
             extra_cfg ? extra_cfg : "");
    assert_int_equal(bt_test_write_file(f->cfg_path, cfg_text, strlen(cfg_text)), 0);
    bt_diags d;
    bt_diags_init(&d);
    if (bt_config_load(&f->cfg, f->cfg_path, &d) != 0)
        fail_msg("config: %s", d.count ? d.items[0].message : "?");
    bt_diags_free(&d);
    bt_config_broadcast_limits(&f->cfg, &f->limits);
    snprintf(f->data, sizeof(f->data), "%s/data", f->root);
}

static void usb_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void usb_sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    if (system(cmd) != 0)
        fail_msg("command failed: %s", cmd);
}

/* Replaces every occurrence of `from` by `to` in a text file. */
static void usb_replace_in_file(const char *path, const char *from, const char *to)
{
    size_t len;
    char *text = bt_test_read_file(path, &len);
    assert_non_null(text);
    char *out = malloc(len * 2 + strlen(to) * 8 + 16);
    assert_non_null(out);
    size_t o = 0, fl = strlen(from), tl = strlen(to);
    for (size_t i = 0; i < len;) {
        if (fl && strncmp(text + i, from, fl) == 0) {
            memcpy(out + o, to, tl);
            o += tl;
            i += fl;
        } else {
            out[o++] = text[i++];
        }
    }
    assert_int_equal(bt_test_write_file(path, out, o), 0);
    free(out);
    free(text);
}

/* A copy of the basic playlist as version `version` (its QR URL names the version too). */
__attribute__((unused)) static void usb_make_playlist(const char *dir, int version)
{
    char path[1200], to[64];
    usb_sh("rm -rf '%s' && mkdir -p '%s' && cp -r '%s'/. '%s'", dir, dir, USB_BASIC, dir);
    assert_true((size_t)snprintf(path, sizeof(path), "%s/playlist.cfg", dir) < sizeof(path));
    snprintf(to, sizeof(to), "version = %d;", version);
    usb_replace_in_file(path, "version = 1;", to);
    snprintf(to, sizeof(to), "usb-thu-v%d\"", version);
    usb_replace_in_file(path, "usb-thu-v1\"", to);
}

static bt_manifest *usb_collecting;
static size_t usb_collect_root_len;

static int usb_collect(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    const char *rel = path + usb_collect_root_len + 1;
    if (type != FTW_F || !S_ISREG(st->st_mode) || strcmp(rel, BT_PACKAGE_MANIFEST) == 0 ||
        strcmp(rel, BT_PACKAGE_SIGNATURE) == 0)
        return 0;
    bt_manifest *m = usb_collecting;
    m->entries = realloc(m->entries, (m->count + 1) * sizeof(*m->entries));
    bt_manifest_entry *e = &m->entries[m->count++];
    memset(e, 0, sizeof(*e));
    e->path = strdup(rel);
    e->size = (uint64_t)st->st_size;
    size_t len;
    char *data = bt_test_read_file(path, &len);
    assert_non_null(data);
    bt_sha256_hex(data, len, e->sha256);
    free(data);
    return 0;
}

static int usb_by_path(const void *a, const void *b)
{
    return strcmp(((const bt_manifest_entry *)a)->path, ((const bt_manifest_entry *)b)->path);
}

typedef struct {
    const char *path;
    uint64_t size;
    const char *content; /* hashed for the entry (NULL: the path's real file, followed) */
} usb_extra_entry;

/* Writes MANIFEST for every regular file of dir plus `extra` entries (for things the walk must
 * refuse: symlinks, FIFOs, unsafe paths), and signs it with key (NULL = no MANIFEST.sig). */
static void usb_sign_dir(const char *dir, const char *key, const usb_extra_entry *extra,
                         size_t extra_count)
{
    bt_manifest m;
    bt_manifest_init(&m);
    usb_collecting = &m;
    usb_collect_root_len = strlen(dir);
    assert_int_equal(nftw(dir, usb_collect, 16, FTW_PHYS), 0);
    for (size_t i = 0; i < extra_count; i++) {
        m.entries = realloc(m.entries, (m.count + 1) * sizeof(*m.entries));
        bt_manifest_entry *e = &m.entries[m.count++];
        memset(e, 0, sizeof(*e));
        e->path = strdup(extra[i].path);
        e->size = extra[i].size;
        bt_sha256_hex(extra[i].content ? extra[i].content : "",
                          extra[i].content ? strlen(extra[i].content) : 0, e->sha256);
    }
    qsort(m.entries, m.count, sizeof(*m.entries), usb_by_path);
    size_t len;
    char *text = bt_manifest_format(&m, &len);
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, BT_PACKAGE_MANIFEST);
    assert_int_equal(bt_test_write_file(path, text, len), 0);
    snprintf(path, sizeof(path), "%s/%s", dir, BT_PACKAGE_SIGNATURE);
    unlink(path);
    if (key) {
        unsigned char secret[64];
        char err[512];
        if (bt_package_read_secret_key(key, secret, NULL, err, sizeof(err)) != 0)
            fail_msg("secret key: %s", err);
        char *sig = bt_package_sign(text, len, secret);
        assert_int_equal(bt_test_write_file(path, sig, strlen(sig)), 0);
        free(sig);
    }
    free(text);
    bt_manifest_free(&m);
}

__attribute__((unused)) static int usb_measure(void *ctx, const char *path, double *seconds,
                                               bt_silence *silence, char *err, size_t size)
{
    (void)ctx;
    bt_loudness l;
    if (bt_loudness_measure(path, &l, err, size) != 0)
        return -1;
    *seconds = l.duration_seconds;
    *silence = l.silence;
    return 0;
}

__attribute__((unused)) static void usb_options(usb_fixture *f, bt_usb_options *o)
{
    memset(o, 0, sizeof(*o));
    o->cfg = &f->cfg;
    o->data_dir = f->data;
    o->limits = &f->limits;
    o->now = 1763942400; /* 2025-11-24 07:00 in Hà Nội: logs of Quý III and Quý IV/2025 */
    o->measure_audio = usb_measure;
    o->write_back = true;
}

/* The active playlist in the store: 1 with id and version, 0 if none. */
__attribute__((unused)) static int usb_active(usb_fixture *f, bt_store_playlist *out)
{
    char path[1024], err[512];
    bt_store *s = NULL;
    snprintf(path, sizeof(path), "%s/%s", f->data, BT_STORE_FILE);
    if (bt_store_open(path, &s, err, sizeof(err)) != 0)
        fail_msg("store: %s", err);
    int found = bt_store_active_playlist(s, out);
    bt_store_close(s);
    return found;
}

/* Renders what the kiosk shows from the store's active playlist at USB_SHOT_AT. */
__attribute__((unused)) static void usb_screenshot(usb_fixture *f, const char *png)
{
    int status;
    char cmd[4096];
    snprintf(cmd, sizeof(cmd),
             BANGTIN " --config '%s' --data '%s' screenshot --at '" USB_SHOT_AT
                     "' --size 640x360 -o '%s' 2>&1",
             f->cfg_path, f->data, png);
    char *out = bt_test_run(cmd, &status);
    if (status != 0)
        fail_msg("screenshot failed: %s", out ? out : "");
    free(out);
}

/* Number of entries in data/content/<sub>. */
__attribute__((unused)) static int usb_count_entries(usb_fixture *f, const char *sub)
{
    char cmd[1200];
    int status;
    snprintf(cmd, sizeof(cmd), "ls -A '%s/content/%s' | wc -l", f->data, sub);
    char *out = bt_test_run(cmd, &status);
    assert_non_null(out);
    int n = atoi(out);
    free(out);
    return n;
}

#endif
