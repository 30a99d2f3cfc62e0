/* The playlist model and its validation. A playlist is a directory holding playlist.cfg and its
 * assets. Validation takes the parsed tree (bt_tree.h) and an asset probe supplied by the shell,
 * finds every problem in one pass and reports each with file, line and a Vietnamese message. */
#ifndef BT_PLAYLIST_H
#define BT_PLAYLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_broadcast.h"
#include "bt_diag.h"
#include "bt_limits.h"
#include "bt_records.h"
#include "bt_targets.h"
#include "bt_time.h"
#include "bt_tree.h"

#define BT_PLAYLIST_FILE "playlist.cfg"
#define BT_DAY_NONE_FROM INT32_MIN /* no lower date bound */
#define BT_DAY_NONE_UNTIL INT32_MAX /* no upper date bound */
#define BT_WEEKDAYS_ALL 0x7F        /* bit 0 = Thứ Hai … bit 6 = Chủ Nhật */
#define BT_DEFAULT_NOTICE_SECONDS 15
#define BT_DEFAULT_PRIORITY 5

/* BT_NOTICE_SCHEDULE (issue 3, appended): "Lịch phát thanh hôm nay", today's loudspeaker
 * sessions and their state; the rows come from core/schedule through the app, not the notice. */
/* BT_NOTICE_VIDEO (issue 15, appended): a clip (MP4 H.264/AAC or WebM VP9/Opus) letterboxed in
 * the stage like an image. */
typedef enum {
    BT_NOTICE_TEXT,
    BT_NOTICE_IMAGE,
    BT_NOTICE_QR,
    BT_NOTICE_SCHEDULE,
    BT_NOTICE_VIDEO
} bt_notice_kind;
/* A public results notice (issue 5), `kind = "results"; target = "cchc-loa-quy";` in
 * playlist.cfg, e.g. "Quý IV/2025: đã phát 3/2 tin bài CCHC trên loa phường": validated with its
 * own keys (target required and naming one of the playlist's targets; no body, qr_url or image),
 * then held as a BT_NOTICE_TEXT notice whose `target` is set, so rotation, layout and screen treat
 * it as text. Its body is filled at run time by the app (bt_app_results_fill) from the target's
 * progress (bt_target_public_text). */
#define BT_NOTICE_RESULTS_NAME "results"
/* The title a schedule notice shows when it has none of its own. */
#define BT_SCHEDULE_NOTICE_TITLE "Lịch phát thanh hôm nay"
/* The title a results notice shows when it has none of its own. */
#define BT_RESULTS_NOTICE_TITLE "Kết quả thực hiện kế hoạch tuyên truyền CCHC"

typedef struct {
    int16_t start_minute; /* inclusive, 0..1439 */
    int16_t end_minute;   /* exclusive, 1..1440; always > start_minute */
} bt_minute_span;

typedef struct {
    char *id;          /* owned; unique within the playlist */
    bt_notice_kind kind;
    char *title;       /* owned NFC; may be NULL for image notices (schedule: the default) */
    char *body;        /* owned NFC; text notices; may be NULL */
    char *qr_url;      /* owned; text and image (optional) and qr (required) notices */
    char *qr_caption;  /* owned NFC; may be NULL */
    char *image;       /* owned; path relative to the playlist directory (image notices) */
    char *topic;       /* owned; free tag such as "dich-vu-cong"; may be NULL */
    int duration_seconds;
    bt_day from_day, until_day; /* inclusive */
    uint8_t weekdays;  /* BT_WEEKDAYS_ALL by default */
    bt_minute_span hours[BT_MAX_HOUR_SPANS];
    size_t hour_count; /* 0 = all day */
    int priority;      /* BT_MIN_PRIORITY..BT_MAX_PRIORITY, higher shows first */
    bool urgent;       /* interrupts the rotation while it is in its time */
    int line;          /* line of the notice in playlist.cfg */
    char *target;      /* owned; set only on results notices: the target's id (issue 5) */
    /* Its image is missing or broken on disk (issue 10): only a display load sets it
     * (bt_asset_probe.skip_unavailable), with a warning; rotation passes the notice over, so
     * one lost file costs one notice, not the screen. */
    bool unavailable;
    /* Pixels of the image as the probe read them (image notices); 0 when unknown. `check`
     * compares them with the box the screen gives the image (bt_screen_check_legibility). */
    int image_width, image_height;
    /* Image notices (issue 14): show the title under the picture. Off by default: the picture
     * fills the screen and the title is for staff (panel, reports, the fallback slide). */
    bool caption;
    /* Image notices (issue 15): `fit = "whole"` shows the whole picture letterboxed as before;
     * by default (false) an infographic much taller than the stage fills its width and scrolls
     * from top to bottom over the notice's duration, so its text stays readable. */
    bool fit_whole;
    /* Video notices (issue 15). `video`: owned path relative to the playlist directory. The
     * clip's pixels are in image_width/image_height and its length in video_ms (0: not probed,
     * e.g. the staff tools without video). duration_seconds is the clip's length rounded up
     * unless the notice's `duration` is set (duration_set): shorter cuts it, longer holds the
     * last frame or, with `loop`, plays it again. `sound`: the clip's sound on the screen's own
     * output (muted by default). */
    char *video;
    long long video_ms;
    bool duration_set;
    bool loop;
    bool sound;
} bt_notice;

/* What the shell's probe read from a video file's headers (libavformat), for the validator to
 * judge against bt_limits.h. Names are FFmpeg's: container "mov,mp4,m4a,3gp,3g2,mj2" or
 * "matroska,webm", codecs "h264", "vp9", "aac", "opus" ("" = no such stream). */
typedef struct {
    char container[48];
    char video_codec[24];
    char audio_codec[24];
    int width, height;
    int fps_milli;          /* frames per 1000 seconds (29 970 for NTSC's 29.97) */
    long long duration_ms;  /* as the container says */
    long long bytes;        /* the file's size */
} bt_video_facts;

typedef struct {
    char *id;
    int version;
    char *title;
    bt_day valid_from, valid_until;
    bt_notice *notices;
    size_t notice_count;
    char **ticker;      /* owned NFC lines */
    size_t ticker_count;
    bt_broadcasts broadcasts; /* the loudspeaker part; empty when the playlist has none */
    bt_targets targets;       /* what the culture department counts; empty when none */
    bt_records records;       /* tin/bài staff recorded on channels the appliance cannot see */
} bt_playlist;

/* What the shell can tell core about an asset file, without core touching the disk. */
typedef enum {
    BT_ASSET_OK,
    BT_ASSET_MISSING,      /* no such regular file */
    BT_ASSET_UNSAFE_PATH,  /* absolute, contains "..", or leaves the playlist directory */
    BT_ASSET_UNDECODABLE,  /* exists but is not a PNG/JPEG the appliance can decode */
    BT_ASSET_TOO_LARGE,    /* dimensions beyond BT_MAX_IMAGE_SIDE */
    BT_ASSET_NO_DECODER    /* a video, and the appliance's video module does not open */
} bt_asset_status;

/* Whether the screen's fonts draw a character. Core never opens a font: the shell that knows
 * them (the ui room, with SDL_ttf) answers, and the validator names every character a text
 * uses that it would draw as an empty box. covers NULL: not checked. */
typedef struct {
    bool (*covers)(void *ctx, uint32_t codepoint);
    void *ctx;
} bt_glyph_probe;

typedef struct {
    /* Checks an image relative to the playlist directory; may be NULL (assets not checked). */
    bt_asset_status (*probe_image)(void *ctx, const char *relative_path, int *width, int *height);
    void *ctx;
    /* false (checking, packing, importing): an image the probe refuses is an error. true (the
     * kiosk showing its active playlist): it is a warning naming the notice and the file, and the
     * notice is kept with `unavailable` set, so the other notices still show. Only what the
     * probe says about the file on disk is forgiven; a wrong path in playlist.cfg stays an
     * error. */
    bool skip_unavailable;
    /* Set (check, pack, activate, the USB import): every text a person reads is checked for
     * the screen, each problem an error on its key's line: every character the screen's fonts
     * lack, and control characters (a tab, an escape code pasted from Word; a line break only
     * where the text is laid out in paragraphs). Zeroed: texts are not checked, so the kiosk
     * re-reading what it imported earlier never refuses it. */
    bt_glyph_probe glyphs;
    /* Issue 15 (appended): reads a video's headers relative to the playlist directory into *facts
     * (BT_ASSET_UNDECODABLE: no container or stream could be read); NULL: videos not checked
     * (the staff tools built without video), their notices last `duration` or the default. */
    bt_asset_status (*probe_video)(void *ctx, const char *relative_path, bt_video_facts *facts);
} bt_asset_probe;

void bt_playlist_init(bt_playlist *p);
void bt_playlist_free(bt_playlist *p);

/* Validates a parsed playlist.cfg. `file` is the name used in messages. On success (no errors)
 * fills *out and returns 0; otherwise returns -1, *out is left empty, and every problem is in
 * diags. Warnings do not fail validation. */
int bt_playlist_from_tree(const bt_node *root, const char *file, const bt_asset_probe *probe,
                          bt_playlist *out, bt_diags *diags);

/* bt_playlist_from_tree for `check`: the same diagnostics, but *out always holds what
 * validated, also when there were errors (-1): a wrong value stays at its default or NULL (a
 * notice without a valid id has id NULL, an item whose audio path was refused has audio NULL,
 * a session's unknown item is left out of its items). `check` runs its later stages (audio,
 * the ward's limits, the screen) on that model, so one run lists every error. Not for showing
 * or airing. The caller frees *out (bt_playlist_free) in both cases. */
int bt_playlist_validate(const bt_node *root, const char *file, const bt_asset_probe *probe,
                         bt_playlist *out, bt_diags *diags);

/* Is the notice within its date range, weekday and hours at local time t (ignores urgency)?
 * Says nothing about `unavailable` (rotation checks that). */
bool bt_notice_in_time(const bt_notice *n, bt_wall t);
/* Is the playlist itself valid on the day of t? */
bool bt_playlist_in_validity(const bt_playlist *p, bt_wall t);
/* Notices that can show (not `unavailable`). */
size_t bt_playlist_usable_notices(const bt_playlist *p);

/* A stable, normalised text dump of the model (for golden tests and `bangtin check --dump`).
 * Returns a malloc'd string the caller frees. */
char *bt_playlist_dump(const bt_playlist *p);

/* "text", "image", "qr", "schedule", "video" */
const char *bt_notice_kind_name(bt_notice_kind kind);

/* A key the validator accepts, named by its own tables. level says where it is written: "" the
 * top of playlist.cfg, "notices", "broadcasts", "broadcasts.items", "broadcasts.sessions",
 * "targets" or "records" (in a list: inside each element's { }). */
typedef struct {
    const char *level;
    const char *name;
} bt_playlist_key;

/* Every key of every level of playlist.cfg: writes at most cap and returns how many there are.
 * Read-only; the documentation test holds the staff guide and the template to it. */
size_t bt_playlist_known_keys(bt_playlist_key *out, size_t cap);

#endif
