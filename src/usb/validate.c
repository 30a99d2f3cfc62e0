/* Validation of an imported playlist directory, safe to run on a thread of its own: every
 * image whole (imagecheck.c), then the validator of `bangtin check` (bt_playlist_load, which
 * decodes each image once), then every audio item (header, then the injected decoder), every
 * text bulletin (spoken by the injected speaker, then decoded) and the ward's loudspeaker
 * limits. Results go to the validation's own diags; the caller merges. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "bangtin/bt_playlist_load.h"
#include "usb_internal.h"

bool usb_path_is_media(const char *path)
{
    static const char *const ext[] = {".png", ".jpg", ".jpeg", ".ogg", ".mp3", ".wav"};
    size_t n = strlen(path);
    if (strcmp(path, BT_PLAYLIST_FILE) == 0)
        return true;
    for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
        size_t e = strlen(ext[i]);
        if (n >= e && strcasecmp(path + n - e, ext[i]) == 0)
            return true;
    }
    return false;
}

int usb_check_images(int dirfd, const bt_manifest *m, usb_file_set which, bt_diags *d)
{
    size_t errors_before = d->errors;
    for (size_t i = 0; i < m->count; i++) {
        const char *path = m->entries[i].path;
        bool media = usb_path_is_media(path);
        if ((which == USB_FILES_MEDIA && !media) || (which == USB_FILES_OTHER && media))
            continue;
        char why[256], shown[BT_MAX_PATH_BYTES];
        if (usb_image_check(dirfd, path, why, sizeof(why)) != 0)
            bt_diags_add(d, BT_DIAG_ERROR, usb_printable(path, shown, sizeof(shown)), 0, "%s",
                         why);
    }
    return d->errors > errors_before ? -1 : 0;
}

/* The header of an audio file matches its extension: a text file named .ogg is refused
 * whether or not a decoder is injected. */
static bool audio_header_ok(const char *path, const unsigned char *h, size_t n)
{
    size_t len = strlen(path);
    const char *ext = len >= 4 ? path + len - 4 : "";
    if (strcasecmp(ext, ".ogg") == 0)
        return n >= 4 && memcmp(h, "OggS", 4) == 0;
    if (strcasecmp(ext, ".wav") == 0)
        return n >= 12 && memcmp(h, "RIFF", 4) == 0 && memcmp(h + 8, "WAVE", 4) == 0;
    if (strcasecmp(ext, ".mp3") == 0)
        return n >= 3 && (memcmp(h, "ID3", 3) == 0 || (h[0] == 0xFF && (h[1] & 0xE0) == 0xE0));
    return false;
}

static bool cancelled(const usb_validation *v)
{
    return v->o->cancel && atomic_load(v->o->cancel);
}

/* A text bulletin: spoken into the content store now, at activation, then measured like a
 * file (the ward's limits need its length). */
static void speak_item(usb_validation *v, bt_broadcast_item *it)
{
    char err[512];
    double seconds = 0;
    bt_silence silence = {0};
    if (!v->o->speak)
        return;
    if (v->o->speak(v->o->speak_ctx, it, err, sizeof(err)) != 0) {
        bt_diags_add(&v->diags, BT_DIAG_ERROR, BT_PLAYLIST_FILE, it->line,
                     "tin \"%s\" (văn bản đọc): %s", it->id, err);
        return;
    }
    if (v->o->measure_audio &&
        v->o->measure_audio(v->o->measure_ctx, it->speech_path, &seconds, &silence, err,
                            sizeof(err)) != 0) {
        bt_diags_add(&v->diags, BT_DIAG_ERROR, BT_PLAYLIST_FILE, it->line,
                     "tin \"%s\" (văn bản đọc): %s", it->id, err);
        return;
    }
    it->duration_seconds = seconds;
    it->silence = silence;
}

static void check_audio(usb_validation *v, int dirfd)
{
    bt_broadcasts *b = &v->playlist.broadcasts;
    size_t errors_before = v->diags.errors;
    for (size_t i = 0; i < b->item_count && !cancelled(v); i++) {
        bt_broadcast_item *it = &b->items[i];
        char shown[BT_MAX_PATH_BYTES], err[512], path[BT_MAX_PATH_BYTES * 2];
        unsigned char head[16];
        if (it->text) {
            speak_item(v, it);
            continue;
        }
        usb_printable(it->audio, shown, sizeof(shown));
        int fd = usb_open_beneath(dirfd, it->audio);
        if (fd < 0) {
            bt_diags_add(&v->diags, BT_DIAG_ERROR, BT_PLAYLIST_FILE, it->line,
                         "tin \"%s\": không có tệp âm thanh \"%s\" trong gói — chép tệp vào đúng "
                         "chỗ rồi đóng gói lại", it->id, shown);
            continue;
        }
        ssize_t n = read(fd, head, sizeof(head));
        close(fd);
        if (n < 0 || !audio_header_ok(it->audio, head, (size_t)n)) {
            bt_diags_add(&v->diags, BT_DIAG_ERROR, shown, 0,
                         "không phải tệp âm thanh đúng như đuôi tên tệp (tin \"%s\", playlist.cfg "
                         "dòng %d) — xuất lại tệp từ phần mềm ghi âm dưới dạng .ogg, .mp3 hoặc "
                         ".wav", it->id, it->line);
            continue;
        }
        snprintf(path, sizeof(path), "%s/%s", v->dir, it->audio);
        double seconds = 0;
        bt_silence silence = {0};
        if (v->o->measure_audio &&
            v->o->measure_audio(v->o->measure_ctx, path, &seconds, &silence, err,
                                sizeof(err)) != 0) {
            bt_diags_add(&v->diags, BT_DIAG_ERROR, shown, 0, "tin \"%s\" (playlist.cfg dòng %d): "
                         "%s", it->id, it->line, err);
            continue;
        }
        it->duration_seconds = seconds;
        it->silence = silence;
    }
    bool all_measured = v->diags.errors == errors_before;
    /* A mostly silent item refuses the package as `check` and `pack` refuse it. */
    if (v->o->limits && !cancelled(v))
        bt_broadcasts_check_silence(b, v->o->limits, BT_PLAYLIST_FILE, &v->diags);
    if (all_measured && v->o->limits && b->session_count)
        bt_broadcasts_check_limits(b, v->o->limits, BT_PLAYLIST_FILE, &v->diags);
}

/* Issue 15: every video notice's clip decoded whole (the injected decoder runs it in a child);
 * the probe's header checks were the validator's. */
static void check_videos(usb_validation *v)
{
    const bt_playlist *p = &v->playlist;
    for (size_t i = 0; v->o->decode_video && i < p->notice_count && !cancelled(v); i++) {
        const bt_notice *n = &p->notices[i];
        char path[BT_MAX_PATH_BYTES * 2], err[768];
        if (n->kind != BT_NOTICE_VIDEO || !n->video)
            continue;
        snprintf(path, sizeof(path), "%s/%s", v->dir, n->video);
        if (v->o->decode_video(v->o->decode_video_ctx, path, err, sizeof(err)) != 0)
            bt_diags_add(&v->diags, BT_DIAG_ERROR, BT_PLAYLIST_FILE, n->line,
                         "thông báo \"%s\", video \"%s\": %s", n->id, n->video, err);
    }
}

void usb_validation_init(usb_validation *v, const bt_usb_options *o, const bt_manifest *m,
                         const char *dir, usb_file_set images)
{
    memset(v, 0, sizeof(*v));
    v->o = o;
    v->manifest = m;
    snprintf(v->dir, sizeof(v->dir), "%s", dir);
    v->images = images;
    bt_playlist_init(&v->playlist);
    bt_diags_init(&v->diags);
}

void usb_validate(usb_validation *v)
{
    int dirfd = open(v->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) {
        v->rc = USB_VALIDATION_FAILED;
        v->err_no = errno;
        return;
    }
    v->rc = USB_VALIDATION_REFUSED;
    /* Whole images first: a cut PNG would hang the decoder inside bt_playlist_load. */
    bt_playlist_load_options load = {.decode_images = true, .glyphs = v->o->glyphs};
    if (usb_check_images(dirfd, v->manifest, v->images, &v->diags) == 0 &&
        bt_playlist_load_ex(v->dir, &load, &v->playlist, &v->diags) == BT_LOAD_VALID) {
        check_audio(v, dirfd);
        check_videos(v);
        if (cancelled(v))
            v->rc = USB_VALIDATION_CANCELLED;
        else if (v->diags.errors == 0)
            v->rc = USB_VALIDATION_OK;
    }
    close(dirfd);
}

void usb_validation_free(usb_validation *v)
{
    bt_playlist_free(&v->playlist);
    bt_diags_free(&v->diags);
}
