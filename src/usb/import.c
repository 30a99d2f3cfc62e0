/* The import pipeline of bt_usb.h: verify → copy (content-addressed) → validate → measure →
 * activate in one transaction → prune → write back onto the stick. Until the activation's
 * COMMIT nothing the kiosk reads has changed: new objects and the new directory are only
 * reachable through the index, which the same transaction updates. */
#include "bangtin/bt_usb.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>

#include "bangtin/bt_cfgfile.h"
#include "bangtin/bt_content_store.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_panel_state.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_playlist_load.h"
#include "bangtin/bt_store.h"
#include "usb_export.h"
#include "usb_internal.h"

/* Progress is reported at most every this many bytes (and at each file's end). */
#define PROGRESS_STEP_BYTES (4 * 1024 * 1024)

typedef struct {
    char name[BT_SHA256_HEX_SIZE + 8]; /* temp file in content/tmp */
    const char *sha256;
} pending_object;

typedef struct {
    const bt_usb_options *o;
    bt_usb_result *r;
    bt_usb_progress progress;
    uint64_t unreported;
    double stage_start;
    usb_cstore cs;
    bool cs_open;
    bt_store *store;
    usb_package pkg;
    bool pkg_open;
    pending_object *pending;
    size_t pending_count;
    char dir[BT_MAX_PATH_BYTES];       /* the playlist's directory: content/playlists/<key> */
    char build[BT_SHA256_HEX_SIZE + 8];/* content/tmp/d-<key> while it is being built */
    bool built;                        /* the build directory exists (not yet published) */
    usb_copier *copier;                /* reads, hashes and stores the files (copy.c) */
    usb_validation early;              /* validation running during the copy */
    pthread_t early_thread;
    bool early_started, early_joined;
    bt_playlist playlist;
    bt_store_playlist active;
    int has_active;
    int version_line;                  /* of "version" in playlist.cfg, once peeked */
    usb_signature_policy policy;
} run;

static double mono_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool cancel_requested(const run *x)
{
    return x->o->cancel && atomic_load(x->o->cancel);
}

static void report(run *x)
{
    if (x->o->progress)
        x->o->progress(x->o->progress_ctx, &x->progress);
    x->unreported = 0;
}

static void enter_stage(run *x, bt_usb_stage stage)
{
    double now = mono_seconds();
    x->r->stage_seconds[x->progress.stage] += now - x->stage_start;
    x->stage_start = now;
    x->progress.stage = stage;
    x->progress.file = NULL;
    report(x);
}

static int copy_tick(void *ctx, uint64_t bytes)
{
    run *x = ctx;
    x->progress.bytes_done += bytes;
    x->unreported += bytes;
    if (x->unreported >= PROGRESS_STEP_BYTES)
        report(x);
    return cancel_requested(x) ? 1 : 0;
}

static void headline(bt_usb_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void headline(bt_usb_result *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->headline, sizeof(r->headline), fmt, ap);
    va_end(ap);
}

/* The outcome and the stage it was decided in. */
static void outcome(run *x, bt_usb_outcome oc)
{
    x->r->outcome = oc;
    x->r->stage = x->progress.stage;
}

static void refused_headline(run *x)
{
    bt_usb_result *r = x->r;
    outcome(x, BT_USB_REFUSED);
    if (r->title[0])
        headline(r, "Không nạp '%s' từ USB: có %zu lỗi cần sửa.", r->title, r->diags.errors);
    else
        headline(r, "Không nạp playlist từ USB: gói có %zu lỗi cần sửa.", r->diags.errors);
}

/* ---- copy ---------------------------------------------------------------------------------- */

static int add_pending(run *x, const char *name, const char *sha256)
{
    pending_object *bigger = realloc(x->pending, (x->pending_count + 1) * sizeof(*bigger));
    if (!bigger)
        return -1;
    x->pending = bigger;
    pending_object *p = &x->pending[x->pending_count++];
    snprintf(p->name, sizeof(p->name), "%s", name);
    p->sha256 = sha256;
    return 0;
}

static const pending_object *pending_find(const run *x, const char *sha256)
{
    for (size_t i = 0; i < x->pending_count; i++)
        if (strcmp(x->pending[i].sha256, sha256) == 0)
            return &x->pending[i];
    return NULL;
}

/* Learns the package's id and version from its (hash-checked) playlist.cfg, to refuse an old
 * version before copying the rest. Parse problems are left for the full validation. */
static void peek_identity(run *x, const char *path)
{
    bt_diags scratch;
    bt_node *root = NULL;
    bt_diags_init(&scratch);
    if (bt_cfgfile_read(path, BT_PLAYLIST_FILE, &root, &scratch) == 0) {
        const bt_node *id = bt_node_child(root, "id");
        const bt_node *title = bt_node_child(root, "title");
        const bt_node *version = bt_node_child(root, "version");
        if (id && id->type == BT_NODE_STRING && strlen(id->string_value) <= BT_MAX_ID_BYTES)
            snprintf(x->r->id, sizeof(x->r->id), "%s", id->string_value);
        if (title && title->type == BT_NODE_STRING)
            snprintf(x->r->title, sizeof(x->r->title), "%s", title->string_value);
        if (version && version->type == BT_NODE_INT && version->int_value > 0 &&
            version->int_value < INT32_MAX) {
            x->r->version = (int)version->int_value;
            x->version_line = version->line;
        }
    }
    bt_node_destroy(root);
    bt_diags_free(&scratch);
}

/* An older or equal version of the active playlist is refused unless forced. */
static int check_version(run *x)
{
    int line = x->version_line;
    bt_usb_result *r = x->r;
    if (x->o->force || x->has_active != 1 || !r->id[0] || r->version <= 0 ||
        strcmp(r->id, x->active.id) != 0 || r->version > x->active.version)
        return 0;
    bt_diags_add(&r->diags, BT_DIAG_ERROR, BT_PLAYLIST_FILE, line,
                 "phiên bản %d không mới hơn phiên bản đang phát (%d) của playlist \"%s\" — tăng "
                 "\"version\" trong playlist.cfg rồi đóng gói lại (muốn nạp lại bản cũ thì chạy "
                 "\"bangtin import --force\")",
                 r->version, x->active.version, r->id);
    return -1;
}

static void changed_after_signing(run *x, const char *path)
{
    char shown[BT_MAX_PATH_BYTES];
    bt_diags_add(&x->r->diags, BT_DIAG_ERROR, usb_printable(path, shown, sizeof(shown)), 0,
                 "nội dung khác với MANIFEST (mã SHA-256 không khớp): tệp đã bị thay đổi sau khi "
                 "ký — chép lại tệp gốc, hoặc đóng gói lại bằng bangtin pack");
    refused_headline(x);
}

/* Sets the outcome for a copy or hash that did not succeed. */
static void copy_failed(run *x, const char *path, usb_copy_status st, int err_no)
{
    char shown[BT_MAX_PATH_BYTES];
    usb_printable(path, shown, sizeof(shown));
    switch (st) {
    case USB_COPY_OK:
        break;
    case USB_COPY_LONG:
        changed_after_signing(x, path);
        break;
    case USB_COPY_READ_ERROR:
    case USB_COPY_SHORT:
        outcome(x, BT_USB_FAILED);
        headline(x->r, "USB bị rút ra hoặc lỗi đọc khi đang chép '%s' (%s) — chưa nạp gì.", shown,
                 st == USB_COPY_SHORT ? "tệp bị cụt" : usb_stick_reason(err_no));
        break;
    case USB_COPY_WRITE_ERROR:
        outcome(x, BT_USB_FAILED);
        headline(x->r, "Không ghi được vào bộ nhớ của máy: %s.", usb_disk_reason(err_no));
        break;
    case USB_COPY_CANCELLED:
        outcome(x, BT_USB_CANCELLED);
        headline(x->r, "Đã huỷ nạp playlist từ USB.");
        break;
    }
}

static int open_stick_file(run *x, const bt_manifest_entry *e)
{
    int in = usb_open_beneath(x->pkg.dirfd, e->path);
    if (in < 0) {
        int err = errno;
        char shown[BT_MAX_PATH_BYTES];
        usb_printable(e->path, shown, sizeof(shown));
        if (err == ELOOP || err == EINVAL) {
            bt_diags_add(&x->r->diags, BT_DIAG_ERROR, shown, 0, "%s — tệp đã bị thay đổi trong "
                         "lúc nạp; không nạp", usb_stick_reason(err));
            refused_headline(x);
        } else {
            outcome(x, BT_USB_FAILED);
            headline(x->r, "Không đọc được tệp '%s' từ USB (%s).", shown, usb_stick_reason(err));
        }
    }
    return in;
}

/* Makes the parent directories of rel inside the build directory. */
static int make_parents(run *x, const char *rel)
{
    char path[BT_MAX_PATH_BYTES + 80];
    for (const char *slash = strchr(rel, '/'); slash; slash = strchr(slash + 1, '/')) {
        snprintf(path, sizeof(path), "%s/%.*s", x->build, (int)(slash - rel), rel);
        if (mkdirat(x->cs.tmpfd, path, 0755) != 0 && errno != EEXIST)
            return -1;
    }
    return 0;
}

/* Copies an object into place when a hard link is impossible (a filesystem without them). */
/* The object copied into the build directory where a hard link is impossible: hashed on the way
 * (it must still be the signed bytes) and synced like every object, since the playlist is made
 * active from it. */
static int copy_object(int from_dir, const char *from, int dirfd, const char *rel,
                       const char *sha256)
{
    int in = openat(from_dir, from, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (in < 0)
        return -1;
    int out = openat(dirfd, rel, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0444);
    if (out < 0) {
        close(in);
        return -1;
    }
    struct stat st;
    char hex[BT_SHA256_HEX_SIZE];
    int err_no = 0;
    int rc = fstat(in, &st) == 0 &&
                     usb_copy_hash(in, out, (uint64_t)st.st_size, hex, NULL, NULL, &err_no) ==
                         USB_COPY_OK &&
                     strcmp(hex, sha256) == 0 && fsync(out) == 0
                 ? 0
                 : -1;
    close(in);
    if (close(out) != 0)
        rc = -1;
    return rc;
}

/* Puts entry e into the build directory as a hard link to its object (objects/<sha> or, not
 * yet stored, tmp/o-<sha>). */
static int link_entry(run *x, const bt_manifest_entry *e)
{
    char rel[BT_MAX_PATH_BYTES + 80];
    const pending_object *p = pending_find(x, e->sha256);
    int from_dir = p ? x->cs.tmpfd : x->cs.objfd;
    const char *from = p ? p->name : e->sha256;
    snprintf(rel, sizeof(rel), "%s/%s", x->build, e->path);
    if (make_parents(x, e->path) != 0 ||
        (linkat(from_dir, from, x->cs.tmpfd, rel, 0) != 0 &&
         copy_object(from_dir, from, x->cs.tmpfd, rel, e->sha256) != 0)) {
        outcome(x, BT_USB_FAILED);
        headline(x->r, "Không ghi được vào bộ nhớ của máy: %s.", usb_disk_reason(errno));
        return -1;
    }
    return 0;
}

/* Sets the outcome for the copier's first failure. */
static void copy_failure(run *x, const usb_copy_failure *f)
{
    copy_failed(x, x->pkg.manifest.entries[f->tag].path, f->status, f->err_no);
}

/* Waits until everything queued is hashed and stored: what the validation reads next (or
 * playlist.cfg's version) must be signed bytes. 0, or -1 with the outcome set. */
static int copy_wait(run *x)
{
    usb_copy_failure f;
    if (usb_copier_wait(x->copier, &f) == 0)
        return 0;
    copy_failure(x, &f);
    return -1;
}

/* Queues one manifest entry (index) to be copied into content/tmp/o-<sha>, hashed on the way.
 * An entry whose object is already stored is only read and hashed from the stick: every file
 * on the stick must be the signed one. 0, or -1 with the outcome set. */
static int copy_entry(run *x, const bt_manifest_entry *e, size_t index)
{
    char name[BT_SHA256_HEX_SIZE + 8];
    bool stored = pending_find(x, e->sha256) ||
                  usb_cstore_has_object(&x->cs, x->store, e->sha256, e->size);
    x->progress.file = e->path;
    int in = open_stick_file(x, e);
    if (in < 0)
        return -1;
    int out = -1;
    if (!stored) {
        snprintf(name, sizeof(name), "o-%s", e->sha256);
        /* Mode 0444: objects are never written again once stored. */
        out = openat(x->cs.tmpfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
                     0444);
        if (out < 0 || add_pending(x, name, e->sha256) != 0) {
            int err = out < 0 ? errno : ENOMEM;
            if (out >= 0)
                close(out);
            close(in);
            outcome(x, BT_USB_FAILED);
            headline(x->r, "Không ghi được vào bộ nhớ của máy: %s.", usb_disk_reason(err));
            return -1;
        }
    }
    usb_copy_failure f;
    /* playlist.cfg, images and audio stay in the page cache: the validation reads them next. */
    int rc = usb_copier_add(x->copier, in, out, usb_path_is_media(e->path), e->size, e->sha256,
                            index, copy_tick, x, &f);
    close(in);
    if (rc != 0) {
        copy_failure(x, &f);
        return -1;
    }
    if (!stored)
        x->r->bytes_copied += e->size;
    return link_entry(x, e);
}

/* playlist.cfg is copied first and waited for: its (signed) version may refuse the package
 * before anything else is copied. */
static int copy_playlist_cfg(run *x, const bt_manifest_entry *e, size_t index)
{
    bool stored = pending_find(x, e->sha256) ||
                  usb_cstore_has_object(&x->cs, x->store, e->sha256, e->size);
    if (copy_entry(x, e, index) != 0 || copy_wait(x) != 0)
        return -1;
    if (stored)
        return 0; /* peeked after the validation, from the stored copy */
    char path[BT_MAX_PATH_BYTES + 80];
    snprintf(path, sizeof(path), "%s/tmp/o-%s", x->cs.root, e->sha256);
    peek_identity(x, path);
    if (check_version(x) != 0) {
        refused_headline(x);
        return -1;
    }
    return 0;
}

/* fsyncs every new object and moves it into objects/, then fsyncs the directories. */
static int store_pending(run *x)
{
    for (size_t i = 0; i < x->pending_count; i++) {
        pending_object *p = &x->pending[i];
        int fd = openat(x->cs.tmpfd, p->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 || fsync(fd) != 0 ||
            renameat(x->cs.tmpfd, p->name, x->cs.objfd, p->sha256) != 0) {
            int err = errno;
            if (fd >= 0)
                close(fd);
            outcome(x, BT_USB_FAILED);
            headline(x->r, "Không ghi được vào bộ nhớ của máy: %s.", usb_disk_reason(err));
            return -1;
        }
        close(fd);
    }
    if (usb_fsync_dir(x->cs.objfd) != 0) {
        outcome(x, BT_USB_FAILED);
        headline(x->r, "Không ghi được vào bộ nhớ của máy: %s.", usb_disk_reason(errno));
        return -1;
    }
    return 0;
}

/* fsyncs every directory of the build directory and renames it to playlists/<key>. */
static int publish_build(run *x)
{
    const bt_manifest *m = &x->pkg.manifest;
    char rel[BT_MAX_PATH_BYTES + 96];
    int err = 0;
    for (size_t i = 0; !err && i <= m->count; i++) {
        const char *path = i < m->count ? m->entries[i].path : "";
        const char *end = strrchr(path, '/');
        snprintf(rel, sizeof(rel), "%s%s%.*s", x->build, end ? "/" : "",
                 end ? (int)(end - path) : 0, path);
        int fd = openat(x->cs.tmpfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0 || usb_fsync_dir(fd) != 0)
            err = errno;
        if (fd >= 0)
            close(fd);
    }
    if (!err && (renameat(x->cs.tmpfd, x->build, x->cs.plfd, x->pkg.key) != 0 ||
                 usb_fsync_dir(x->cs.plfd) != 0 || usb_fsync_dir(x->cs.tmpfd) != 0))
        err = errno;
    if (err) {
        outcome(x, BT_USB_FAILED);
        headline(x->r, "Không ghi được vào bộ nhớ của máy: %s.", usb_disk_reason(err));
        return -1;
    }
    x->built = false;
    return 0;
}

/* The build directory becomes content/playlists/<key>, unless the store already has that very
 * package (imported before): then the build is dropped and the stored one is used. */
static int publish(run *x)
{
    struct stat st;
    usb_cstore_playlist_dir(&x->cs, x->pkg.key, x->dir, sizeof(x->dir));
    if (bt_content_has_playlist(x->store, x->pkg.key) == 1 &&
        fstatat(x->cs.plfd, x->pkg.key, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
        usb_remove_tree(x->cs.tmpfd, x->build);
        x->built = false;
        return 0;
    }
    usb_remove_tree(x->cs.plfd, x->pkg.key); /* a leftover the index does not know */
    return publish_build(x);
}

static void *early_validation_main(void *arg)
{
    usb_validate(arg);
    /* The decoders (SDL_image, SDL_mixer) keep per-thread error state that SDL frees only for
     * its own threads. */
    SDL_TLSCleanup();
    return NULL;
}

/* Once playlist.cfg and every image and audio file are in the build directory, the playlist
 * is validated on a thread of its own while the remaining files (documents) are copied. */
static void start_early_validation(run *x)
{
    char dir[BT_MAX_PATH_BYTES + 96];
    snprintf(dir, sizeof(dir), "%s/tmp/%s", x->cs.root, x->build);
    usb_validation_init(&x->early, x->o, &x->pkg.manifest, dir, USB_FILES_MEDIA);
    x->early_started = pthread_create(&x->early_thread, NULL, early_validation_main,
                                      &x->early) == 0;
    if (!x->early_started)
        usb_validation_free(&x->early);
}

static void join_early_validation(run *x)
{
    if (!x->early_started)
        return;
    pthread_join(x->early_thread, NULL);
    x->early_started = false;
    x->early_joined = true;
}

/* Copy order: playlist.cfg, images and audio, then the rest. */
static size_t order_entries(const bt_manifest *m, size_t *order)
{
    size_t n = 0, media = 0;
    const bt_manifest_entry *cfg = bt_manifest_find(m, BT_PLAYLIST_FILE);
    if (cfg)
        order[n++] = (size_t)(cfg - m->entries);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < m->count; i++) {
            const bt_manifest_entry *e = &m->entries[i];
            if (e != cfg && usb_path_is_media(e->path) == (pass == 0))
                order[n++] = i;
        }
        if (pass == 0)
            media = n;
    }
    return media;
}

static int copy_all(run *x)
{
    const bt_manifest *m = &x->pkg.manifest;
    size_t *order = calloc(m->count + 1, sizeof(*order));
    int rc = -1;
    x->progress.bytes_total = m->total_bytes;
    x->progress.files_total = m->count;
    report(x);
    snprintf(x->build, sizeof(x->build), "d-%s", x->pkg.key);
    usb_remove_tree(x->cs.tmpfd, x->build);
    if (!order || usb_copier_start(&x->copier, m->count) != 0 ||
        mkdirat(x->cs.tmpfd, x->build, 0755) != 0) {
        outcome(x, BT_USB_FAILED);
        headline(x->r, "Không ghi được vào bộ nhớ của máy: %s.",
                 usb_disk_reason(order && x->copier ? errno : ENOMEM));
        goto done;
    }
    x->built = true;
    size_t media = order_entries(m, order);
    for (size_t k = 0; k <= m->count; k++) {
        /* Once playlist.cfg, the images and the audio are stored and checked, they are
         * validated on a thread of their own while the rest is copied. */
        if (k == media) {
            if (copy_wait(x) != 0)
                goto done;
            start_early_validation(x);
        }
        if (k == m->count)
            break;
        const bt_manifest_entry *e = &m->entries[order[k]];
        if (cancel_requested(x)) {
            copy_failed(x, e->path, USB_COPY_CANCELLED, 0);
            goto done;
        }
        bool cfg = k == 0 && strcmp(e->path, BT_PLAYLIST_FILE) == 0;
        if ((cfg ? copy_playlist_cfg(x, e, order[k]) : copy_entry(x, e, order[k])) != 0)
            goto done;
        x->progress.files_done++;
        report(x);
    }
    if (cancel_requested(x)) { /* asked for while the last file was read */
        copy_failed(x, "", USB_COPY_CANCELLED, 0);
        goto done;
    }
    if (copy_wait(x) != 0)
        goto done;
    rc = 0;
done:
    usb_copier_finish(x->copier); /* its threads and buffers are not needed any more */
    x->copier = NULL;
    free(order);
    return rc;
}

/* ---- validation ---------------------------------------------------------------------------- */

/* Moves a finished validation's results into the run: its diagnostics into the result and,
 * when valid, its playlist. */
static int adopt_validation(run *x, usb_validation *v)
{
    bt_usb_result *r = x->r;
    for (size_t i = 0; i < v->diags.count; i++) {
        const bt_diag *dg = &v->diags.items[i];
        bt_diags_add(&r->diags, dg->severity, dg->file, dg->line, "%s", dg->message);
    }
    r->diags.dropped += v->diags.dropped;
    int rc = -1;
    if (v->rc == USB_VALIDATION_OK) {
        x->playlist = v->playlist;
        bt_playlist_init(&v->playlist);
        rc = 0;
    } else if (v->rc == USB_VALIDATION_FAILED) {
        outcome(x, BT_USB_FAILED);
        headline(r, "Không đọc lại được playlist vừa chép: %s.", usb_disk_reason(v->err_no));
    } else if (v->rc == USB_VALIDATION_CANCELLED) {
        outcome(x, BT_USB_CANCELLED);
        headline(r, "Đã huỷ nạp playlist từ USB.");
    } else {
        refused_headline(x);
    }
    usb_validation_free(v);
    return rc;
}

/* The early validation's verdict stands when it found the playlist valid (validating more
 * files cannot change that: the validator reads only playlist.cfg and the files it names);
 * otherwise the whole directory is validated again, so every message is about the final
 * directory. Files that were not in the early batch get their image check here. */
static int validate(run *x)
{
    bt_usb_result *r = x->r;
    int dirfd = open(x->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    bool others_ok = dirfd >= 0 &&
                     usb_check_images(dirfd, &x->pkg.manifest, USB_FILES_OTHER, &r->diags) == 0;
    if (dirfd >= 0)
        close(dirfd);
    join_early_validation(x);
    usb_validation v;
    if (x->early_joined && x->early.rc == USB_VALIDATION_OK && others_ok) {
        v = x->early;
        memset(&x->early, 0, sizeof(x->early));
        x->early_joined = false;
    } else {
        if (x->early_joined)
            usb_validation_free(&x->early);
        x->early_joined = false;
        if (!others_ok && dirfd >= 0) {
            refused_headline(x);
            return -1;
        }
        usb_validation_init(&v, x->o, &x->pkg.manifest, x->dir, USB_FILES_MEDIA);
        enter_stage(x, BT_USB_STAGE_VALIDATE);
        usb_validate(&v);
    }
    if (adopt_validation(x, &v) != 0)
        return -1;
    snprintf(r->id, sizeof(r->id), "%s", x->playlist.id);
    snprintf(r->title, sizeof(r->title), "%s", x->playlist.title);
    r->version = x->playlist.version;
    r->notices = x->playlist.notice_count;
    r->items = x->playlist.broadcasts.item_count;
    if (x->version_line == 0) { /* playlist.cfg was already stored: not peeked while copying */
        char path[BT_MAX_PATH_BYTES + 32];
        snprintf(path, sizeof(path), "%s/%s", x->dir, BT_PLAYLIST_FILE);
        peek_identity(x, path);
    }
    if (check_version(x) != 0) {
        refused_headline(x);
        return -1;
    }
    return 0;
}

/* ---- activation ---------------------------------------------------------------------------- */

static void prune(usb_cstore *cs, bt_store *store, int keep)
{
    char **keys = NULL, **objects = NULL;
    size_t key_count = 0, object_count = 0;
    if (bt_content_prune(store, keep, &keys, &key_count, &objects, &object_count) != 0) {
        bt_log_warn("không dọn được kho nội dung; sẽ thử lại lần nạp sau");
        return;
    }
    for (size_t i = 0; i < key_count; i++)
        usb_cstore_remove_playlist(cs, keys[i]);
    for (size_t i = 0; i < object_count; i++)
        usb_cstore_remove_object(cs, objects[i]);
    /* The index forgot them for good; a removal the disk did not make durable only brings
     * debris back after a power cut, which the next import's sweep deletes. */
    if ((key_count || object_count) &&
        (usb_fsync_dir(cs->plfd) != 0 || usb_fsync_dir(cs->objfd) != 0))
        bt_log_error("Đã dọn kho nội dung nhưng không đồng bộ được thư mục xuống đĩa (%s): nếu "
                     "mất điện, tệp đã xoá có thể còn lại và sẽ được dọn ở lần nạp sau.",
                     usb_disk_reason(errno));
    bt_content_free_strings(keys, key_count);
    bt_content_free_strings(objects, object_count);
}

static int activate(run *x)
{
    bt_usb_result *r = x->r;
    const bt_manifest *m = &x->pkg.manifest;
    bt_content_playlist p;
    memset(&p, 0, sizeof(p));
    bt_content_file *files = calloc(m->count ? m->count : 1, sizeof(*files));
    if (!files) {
        outcome(x, BT_USB_FAILED);
        headline(r, "Không đủ bộ nhớ để nạp playlist.");
        return -1;
    }
    for (size_t i = 0; i < m->count; i++)
        files[i] = (bt_content_file){m->entries[i].path, m->entries[i].sha256, m->entries[i].size};
    snprintf(p.key, sizeof(p.key), "%s", x->pkg.key);
    snprintf(p.id, sizeof(p.id), "%s", x->playlist.id);
    p.version = x->playlist.version;
    snprintf(p.title, sizeof(p.title), "%s", x->playlist.title);
    snprintf(p.dir, sizeof(p.dir), "%s", x->dir);
    p.notices = (int)x->playlist.notice_count;
    p.items = (int)x->playlist.broadcasts.item_count;
    snprintf(p.signer, sizeof(p.signer), "%s",
             x->pkg.signature == BT_SIGNATURE_VALID ? x->pkg.signer : "");
    p.imported_at = x->o->now;
    p.pin_approved_at = r->pin_approved_at;
    int rc = bt_content_activate(x->store, &p, files, m->count, x->o->now, false, &x->playlist);
    free(files);
    if (rc != 0) {
        outcome(x, BT_USB_FAILED);
        headline(r, "Không ghi được cơ sở dữ liệu của máy khi kích hoạt playlist.");
        return -1;
    }
    outcome(x, BT_USB_IMPORTED);
    if (r->approval == BT_USB_APPROVAL_APPROVED) {
        char when[64];
        headline(r, "Đã nạp '%s' (gói chưa ký, %s): %zu thông báo, %zu bản tin. Có thể rút USB.",
                 r->title, bt_usb_approved_text(r->pin_approved_at, when, sizeof when),
                 r->notices, r->items);
        bt_log_warn("USB: playlist \"%s\" phiên bản %d %s", r->id, r->version, when);
    } else {
        headline(r, "Đã nạp '%s': %zu thông báo, %zu bản tin. Có thể rút USB.", r->title,
                 r->notices, r->items);
    }
    prune(&x->cs, x->store, x->o->cfg->usb_keep_playlists);
    return 0;
}

/* ---- approval with the PIN (usb.unsigned = "pin") ------------------------------------------ */

const char *bt_usb_approved_text(bt_wall at, char *buf, size_t size)
{
    char hhmm[16], date[32];
    snprintf(buf, size, "được duyệt bằng mã PIN lúc %s ngày %s",
             bt_time_format_hhmm(at, hhmm, sizeof hhmm),
             bt_time_format_ddmmyyyy(bt_time_day_of(at), date, sizeof date));
    return buf;
}

typedef struct {
    const run *x;
    const char *old_dir;
} file_compare;

/* bt_playlist_same_file_fn: the new file's hash is in MANIFEST (checked while copying); the
 * playing one's is computed from its stored copy. */
static bool same_file(void *ctx, const char *old_path, const char *new_path)
{
    const file_compare *fc = ctx;
    const bt_manifest_entry *e = bt_manifest_find(&fc->x->pkg.manifest, new_path);
    char path[BT_MAX_PATH_BYTES * 2 + 2], hex[BT_SHA256_HEX_SIZE];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", fc->old_dir, old_path);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (!e || fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        (uint64_t)st.st_size != e->size) {
        if (fd >= 0)
            close(fd);
        return false;
    }
    int err_no = 0;
    usb_copy_status cs = usb_copy_hash(fd, -1, (uint64_t)st.st_size, hex, NULL, NULL, &err_no);
    close(fd);
    return cs == USB_COPY_OK && strcmp(hex, e->sha256) == 0;
}

/* What staff see before they approve: the package and its differences from what is playing. */
static void build_preview(run *x, bt_usb_preview *pv)
{
    memset(pv, 0, sizeof *pv);
    snprintf(pv->id, sizeof pv->id, "%s", x->playlist.id);
    snprintf(pv->title, sizeof pv->title, "%s", x->playlist.title);
    pv->version = x->playlist.version;
    pv->notices = x->playlist.notice_count;
    pv->sessions = x->playlist.broadcasts.session_count;
    pv->items = x->playlist.broadcasts.item_count;
    pv->signature = x->pkg.signature;
    snprintf(pv->signer, sizeof pv->signer, "%s", x->pkg.signer);
    bt_playlist old;
    bt_playlist_init(&old);
    bool have_old = false;
    if (x->has_active == 1) {
        pv->has_active = true;
        snprintf(pv->active_id, sizeof pv->active_id, "%s", x->active.id);
        snprintf(pv->active_title, sizeof pv->active_title, "%s", x->active.title);
        pv->active_version = x->active.version;
        bt_diags scratch;
        bt_diags_init(&scratch);
        have_old = bt_playlist_load_for_display(x->active.dir, &old, &scratch) == 0;
        pv->active_unreadable = !have_old;
        bt_diags_free(&scratch);
    }
    file_compare fc = {x, x->active.dir};
    bt_playlist_diff_compute(have_old ? &old : NULL, &x->playlist, same_file, &fc, &pv->diff);
    bt_playlist_free(&old);
}

/* Why a package staff did not approve is not loaded, in the words of the receipt. */
static void not_approved(run *x, bt_usb_approval a)
{
    bt_usb_result *r = x->r;
    if (a == BT_USB_APPROVAL_CANCELLED) {
        outcome(x, BT_USB_CANCELLED);
        headline(r, "Đã huỷ nạp playlist từ USB (máy dừng lúc đang chờ duyệt bằng mã PIN).");
        return;
    }
    outcome(x, BT_USB_REFUSED);
    switch (a) {
    case BT_USB_APPROVAL_REFUSED:
        headline(r, "Không nạp '%s': gói chưa ký và cán bộ đã bấm Huỷ, không duyệt.", r->title);
        break;
    case BT_USB_APPROVAL_LOCKED:
        headline(r, "Không nạp '%s': gói chưa ký, không được duyệt — nhập sai mã PIN %d lần nên "
                    "máy khoá ô nhập mã %d giây.", r->title, BT_PANEL_MAX_WRONG_PINS,
                 BT_PANEL_LOCKOUT_MS / 1000);
        break;
    case BT_USB_APPROVAL_TIMED_OUT:
        headline(r, "Không nạp '%s': gói chưa ký, không được duyệt — hết %d phút chờ mà không ai "
                    "nhập mã PIN. Rút USB ra rồi cắm lại để thử lại.", r->title,
                 BT_PANEL_APPROVAL_MS / 60000);
        break;
    default:
        headline(r, "Không nạp '%s': gói chưa ký và máy không hỏi được mã PIN để duyệt (chưa đặt "
                    "panel.pin, hoặc màn hình không hiện được) — đóng gói bằng khoá tin cậy của "
                    "máy.", r->title);
        break;
    }
}

/* Asks staff, once the package passed every check; 0 when approved (the import goes on). */
static int ask_approval(run *x)
{
    bt_usb_result *r = x->r;
    bt_usb_preview *pv = malloc(sizeof *pv);
    bt_usb_approval a = BT_USB_APPROVAL_UNAVAILABLE;
    bt_wall at = 0;
    if (pv) {
        build_preview(x, pv);
        bt_log_info("USB: gói \"%s\" phiên bản %d chưa có chữ ký tin cậy — chờ cán bộ duyệt bằng "
                    "mã PIN", pv->id, pv->version);
        a = x->o->approve(x->o->approve_ctx, pv, &at);
        r->asked_diff = pv->diff;
        free(pv);
    }
    r->approval = a;
    if (a == BT_USB_APPROVAL_APPROVED) {
        r->pin_approved_at = at;
        return 0;
    }
    not_approved(x, a);
    return -1;
}

/* ---- the signing time ----------------------------------------------------------------------- */

/* "12 phút", "5 giờ", "9 473 ngày": how far behind, in the unit staff would use. */
static const char *behind_text(int64_t seconds, char *buf, size_t size)
{
    if (seconds < 2 * 3600)
        snprintf(buf, size, "%lld phút", (long long)((seconds + 59) / 60));
    else if (seconds < 2 * BT_SECONDS_PER_DAY)
        snprintf(buf, size, "%lld giờ", (long long)(seconds / 3600));
    else
        snprintf(buf, size, "%lld ngày", (long long)(seconds / BT_SECONDS_PER_DAY));
    return buf;
}

/* Compares the appliance's clock with the package's signing time (its file was checked against
 * MANIFEST while it was copied). A package only reaches the appliance after it was signed, so a
 * clock that reads earlier is wrong; a later one is normal. A package without the file (packed
 * by an older bangtin) is not checked. */
static void check_signed_at(run *x)
{
    bt_usb_result *r = x->r;
    char rel[BT_SHA256_HEX_SIZE + 64], *text = NULL;
    size_t len = 0;
    if (!bt_manifest_find(&x->pkg.manifest, BT_PACKAGE_SIGNED_AT_FILE))
        return;
    snprintf(rel, sizeof rel, "%s/%s", x->pkg.key, BT_PACKAGE_SIGNED_AT_FILE);
    if (usb_read_small(x->cs.plfd, rel, BT_PACKAGE_SIGNED_AT_MAX_BYTES, false, &text, &len) != 0 ||
        bt_package_signed_at_parse(text, len, &r->signed_at) != 0) {
        bt_diags_add(&r->diags, BT_DIAG_WARNING, BT_PACKAGE_SIGNED_AT_FILE, 0,
                     "không đọc được thời điểm ký gói — không so được đồng hồ của máy với nó");
        free(text);
        return;
    }
    free(text);
    int64_t behind = r->signed_at - x->o->now;
    if (behind <= BT_PACKAGE_CLOCK_SLACK_SECONDS)
        return;
    r->clock_behind_seconds = behind;
    char now_hhmm[16], now_date[32], at_hhmm[16], at_date[32], gap[32];
    bt_diags_add(&r->diags, BT_DIAG_WARNING, "", 0,
                 "ĐỒNG HỒ CỦA MÁY ĐANG SAI: máy chỉ %s ngày %s, sớm hơn lúc gói được ký (%s ngày "
                 "%s) %s — hãy đặt lại ngày giờ của máy (\"Bảng theo dõi\", nhập mã PIN, chọn "
                 "\"Đặt ngày giờ\"). Nếu đồng hồ của máy đúng thì đồng hồ của máy tính đóng gói "
                 "đang chạy nhanh.",
                 bt_time_format_hhmm(x->o->now, now_hhmm, sizeof now_hhmm),
                 bt_time_format_ddmmyyyy(bt_time_day_of(x->o->now), now_date, sizeof now_date),
                 bt_time_format_hhmm(r->signed_at, at_hhmm, sizeof at_hhmm),
                 bt_time_format_ddmmyyyy(bt_time_day_of(r->signed_at), at_date, sizeof at_date),
                 behind_text(behind, gap, sizeof gap));
    bt_log_warn("USB: đồng hồ của máy chậm hơn thời điểm ký gói %s", gap);
}

/* ---- the whole run ------------------------------------------------------------------------- */

static int open_store(run *x)
{
    char path[BT_MAX_PATH_BYTES + 32], err[512];
    snprintf(path, sizeof(path), "%s/%s", x->o->data_dir, BT_STORE_FILE);
    if (bt_store_open(path, &x->store, err, sizeof(err)) != 0) {
        outcome(x, BT_USB_FAILED);
        headline(x->r, "Không mở được cơ sở dữ liệu của máy: %s", err);
        return -1;
    }
    return 0;
}

/* Locks the content store, opens the database and sweeps debris of earlier runs. */
static int begin(run *x, const bt_usb_options *o, bt_usb_result *r)
{
    memset(x, 0, sizeof(*x));
    x->o = o;
    x->r = r;
    x->pkg.dirfd = -1;
    x->stage_start = mono_seconds();
    bt_playlist_init(&x->playlist);
    if (!o || !o->cfg || !o->data_dir) {
        outcome(x, BT_USB_FAILED);
        headline(r, "Thiếu cấu hình để nạp playlist.");
        return -1;
    }
    if (usb_cstore_open(o->data_dir, &x->cs, &r->diags) != 0) {
        outcome(x, BT_USB_FAILED);
        headline(r, "Không nạp được playlist lúc này.");
        return -1;
    }
    x->cs_open = true;
    if (open_store(x) != 0)
        return -1;
    usb_cstore_sweep(&x->cs, x->store);
    x->has_active = bt_store_active_playlist(x->store, &x->active);
    return 0;
}

static void finish(run *x, const char *package_dir)
{
    bt_usb_result *r = x->r;
    usb_copier_finish(x->copier);
    x->copier = NULL;
    join_early_validation(x);
    if (x->early_joined)
        usb_validation_free(&x->early);
    if (r->outcome != BT_USB_IMPORTED && x->store && x->cs_open)
        usb_cstore_sweep(&x->cs, x->store); /* nothing of a refused package stays on disk */
    if (x->pkg_open)
        usb_package_close(&x->pkg);
    if (x->o && x->o->write_back && package_dir && !r->package_missing) {
        enter_stage(x, BT_USB_STAGE_WRITE_BACK);
        usb_write_back(package_dir, x->o, x->store, r);
    }
    if (x->cs_open)
        usb_cstore_close(&x->cs);
    bt_store_close(x->store);
    free(x->pending);
    bt_playlist_free(&x->playlist);
    if (x->o)
        enter_stage(x, BT_USB_STAGE_DONE);
    if (r->outcome == BT_USB_IMPORTED)
        r->stage = BT_USB_STAGE_DONE;
    bt_log_info("USB: %s", r->headline);
}

/* The package path names nothing to import (missing, or a file): nothing is written either,
 * least of all a results folder beside a guessed parent. */
static void package_missing(run *x, const char *dir)
{
    char shown[BT_MAX_PATH_BYTES];
    outcome(x, BT_USB_FAILED);
    x->r->package_missing = true;
    headline(x->r, "Không có thư mục gói \"%s\" — không nạp gì, không ghi gì.",
             usb_printable(dir, shown, sizeof(shown)));
}

int bt_usb_import(const char *package_dir, const bt_usb_options *o, bt_usb_result *r)
{
    run x;
    char dir[BT_MAX_PATH_BYTES];
    bt_usb_result_init(r);
    /* Before anything else: "stick/bangtin/" must open nothing "stick/bangtin" would refuse.
     * A path too long to hold (or none) names no folder. */
    if (usb_path_trim(package_dir, dir, sizeof(dir)) != 0)
        dir[0] = '\0';
    if (begin(&x, o, r) != 0)
        goto done;

    enter_stage(&x, BT_USB_STAGE_VERIFY);
    x.policy = usb_signature_policy_of(o->cfg, o->approve != NULL);
    usb_package_status ps = usb_package_open(dir, &o->cfg->trusted_keys, x.policy, &x.pkg,
                                             &r->diags);
    x.pkg_open = true;
    snprintf(r->signer, sizeof(r->signer), "%s", x.pkg.signer);
    r->bytes_total = x.pkg.manifest.total_bytes;
    if (ps == USB_PACKAGE_MISSING) {
        package_missing(&x, dir);
        goto done;
    }
    if (ps == USB_PACKAGE_NOT_PACKAGE) {
        bt_diags_add(&r->diags, BT_DIAG_ERROR, BT_PACKAGE_MANIFEST, 0,
                     "thư mục chưa được đóng gói (thiếu MANIFEST) — trên máy tính của phường chạy "
                     "\"bangtin pack THƯ_MỤC_PLAYLIST Ổ_USB/bangtin --key KHOÁ.key\" rồi cắm lại "
                     "USB");
        refused_headline(&x);
        goto done;
    }
    if (ps == USB_PACKAGE_UNREADABLE) {
        outcome(&x, BT_USB_FAILED);
        headline(r, "Không đọc được gói trên USB (USB bị rút ra hoặc hỏng?).");
        goto done;
    }
    if (ps == USB_PACKAGE_REFUSED) {
        refused_headline(&x);
        goto done;
    }

    enter_stage(&x, BT_USB_STAGE_COPY);
    if (copy_all(&x) != 0 || store_pending(&x) != 0)
        goto done;
    enter_stage(&x, BT_USB_STAGE_VALIDATE);
    join_early_validation(&x); /* before its directory moves */
    if (publish(&x) != 0)
        goto done;
    check_signed_at(&x);
    if (validate(&x) != 0)
        goto done;
    if (x.policy == USB_SIGNATURE_PIN && usb_signature_approvable(x.pkg.signature) &&
        ask_approval(&x) != 0)
        goto done;
    enter_stage(&x, BT_USB_STAGE_ACTIVATE);
    activate(&x);

done:
    finish(&x, dir[0] ? dir : NULL);
    return r->outcome == BT_USB_IMPORTED ? 0 : -1;
}

int bt_usb_rollback(const bt_usb_options *o, bt_usb_result *r)
{
    run x;
    bt_content_playlist target;
    bt_usb_result_init(r);
    if (begin(&x, o, r) != 0)
        goto done;
    enter_stage(&x, BT_USB_STAGE_VALIDATE);
    int found = bt_content_rollback_target(x.store, &target);
    if (found <= 0) {
        if (found < 0) {
            outcome(&x, BT_USB_FAILED);
            headline(r, "Không đọc được cơ sở dữ liệu của máy.");
        } else {
            outcome(&x, BT_USB_REFUSED);
            headline(r, "Không có playlist nào trước đó để quay lại (máy giữ %d playlist gần "
                        "nhất nạp từ USB).", o->cfg->usb_keep_playlists);
        }
        goto done;
    }
    snprintf(r->id, sizeof(r->id), "%s", target.id);
    snprintf(r->title, sizeof(r->title), "%s", target.title);
    r->version = target.version;
    /* It was valid when imported; loading it again proves its directory is intact. */
    if (bt_playlist_load(target.dir, &x.playlist, &r->diags) != 0) {
        outcome(&x, BT_USB_FAILED);
        headline(r, "Playlist trước đó ('%s') không còn đọc được trên máy; không quay lại.",
                 target.title);
        goto done;
    }
    r->notices = x.playlist.notice_count;
    r->items = x.playlist.broadcasts.item_count;
    enter_stage(&x, BT_USB_STAGE_ACTIVATE);
    if (bt_content_activate(x.store, &target, NULL, 0, o->now, true, &x.playlist) != 0) {
        outcome(&x, BT_USB_FAILED);
        headline(r, "Không ghi được cơ sở dữ liệu của máy khi quay lại playlist trước.");
        goto done;
    }
    outcome(&x, BT_USB_IMPORTED);
    headline(r, "Đã quay lại '%s' (phiên bản %d): %zu thông báo, %zu bản tin.", target.title,
             target.version, r->notices, r->items);
    prune(&x.cs, x.store, o->cfg->usb_keep_playlists);
done:
    finish(&x, NULL);
    return r->outcome == BT_USB_IMPORTED ? 0 : -1;
}

/* ---- results ------------------------------------------------------------------------------- */

void bt_usb_result_init(bt_usb_result *r)
{
    memset(r, 0, sizeof(*r));
    bt_diags_init(&r->diags);
    r->outcome = BT_USB_FAILED;
}

void bt_usb_result_free(bt_usb_result *r)
{
    bt_diags_free(&r->diags);
}

char *bt_usb_result_text(const bt_usb_result *r)
{
    size_t size = strlen(r->headline) + strlen(r->stick_note) + 256;
    size += r->diags.count * (BT_MAX_PATH_BYTES + BT_MAX_DIAG_MESSAGE + 32);
    char *text = malloc(size);
    if (!text)
        return NULL;
    size_t used = (size_t)snprintf(text, size, "%s\n", r->headline);
    /* Sorted copy: the caller's result stays as it is. */
    bt_diags sorted = r->diags;
    bt_diag *items = NULL;
    if (r->diags.count) {
        items = malloc(r->diags.count * sizeof(*items));
        if (items) {
            memcpy(items, r->diags.items, r->diags.count * sizeof(*items));
            sorted.items = items;
            bt_diags_sort(&sorted);
        }
    }
    for (size_t i = 0; items && i < sorted.count; i++) {
        char line[BT_MAX_PATH_BYTES + BT_MAX_DIAG_MESSAGE + 64];
        used += (size_t)snprintf(text + used, size - used, "%s\n",
                                 bt_diag_format(&sorted.items[i], line, sizeof(line)));
    }
    free(items);
    if (r->diags.dropped)
        used += (size_t)snprintf(text + used, size - used,
                                 "… và %zu vấn đề khác (sửa các lỗi trên rồi thử lại)\n",
                                 r->diags.dropped);
    if (r->outcome != BT_USB_IMPORTED)
        used += (size_t)snprintf(text + used, size - used, "%s\n", BT_USB_KEPT_MESSAGE);
    if (r->stick_note[0])
        snprintf(text + used, size - used, "%s\n", r->stick_note);
    return text;
}
