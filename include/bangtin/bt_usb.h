/* The USB room: a stick's signed package becomes the active playlist, or nothing changes.
 *
 * Import pipeline (bt_usb_import), nothing active changing before its last step:
 *   1. verify  the MANIFEST's signature against the trusted keys; parse MANIFEST; walk the
 *              package refusing symlinks, devices, FIFOs, anything not a regular file or
 *              directory, anything not listed; check sizes against bt_limits.h
 *   2. copy    each file into the content store (data_dir/content/objects/<sha256>): copied
 *              in the kernel, the stored copy hashed on a second thread against MANIFEST,
 *              fsync'd, temp file then rename; and a directory of hard links
 *              (data_dir/content/playlists/<key>/) laid out as the package
 *              The package's signing time (BT_PACKAGE_SIGNED_AT_FILE, when it has one) is
 *              compared with the appliance's clock: a clock behind it is wrong, and the result
 *              says so (a warning; the import goes on).
 *   3. validate that directory with the validator of `bangtin check` (bt_playlist_load), which
 *              decodes every image once (every PNG/JPEG is first checked to be whole); then
 *              every text bulletin is spoken into the content store (injected speak callback)
 *              and every audio item measured (injected measure callback), then the ward's
 *              limits. This runs on a thread while the files that are neither images nor audio
 *              are copied.
 *   4. activate in one SQLite transaction (bt_content_activate), then keep only the last
 *              usb.keep_playlists playlists on disk
 *   5. write back a receipt and the logs (airings, screen proof of play: current and previous
 *              quarter, CSV) onto the stick, atomically, into BT_USB_RESULTS_DIR beside the
 *              package folder, never through a symlink; a read-only or full stick is noted
 *              and the import still counts. A package path that does not exist (or is a file)
 *              gets nothing written anywhere.
 * A crash or kill at any moment leaves the old playlist active; the next import sweeps the
 * debris. Imports into one data directory are serialised by a lock file.
 *
 * Threads: bt_usb_import may run on a worker thread; it opens its own database connection.
 * Progress comes back through a callback on that thread; cancellation through an atomic flag.
 * Stick detection (bt_usb_poller) is cheap enough for the kiosk's main loop every 2 s. */
#ifndef BT_USB_H
#define BT_USB_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_broadcast.h"
#include "bt_config.h"
#include "bt_diag.h"
#include "bt_package.h"
#include "bt_playlist.h"
#include "bt_playlist_diff.h"
#include "bt_time.h"

/* The kiosk polls the mount roots this often. */
#define BT_USB_POLL_MS 2000
/* Receipts and logs go into this folder beside `bangtin/` on the stick (not inside it: the
 * package must hold only what MANIFEST lists). */
#define BT_USB_RESULTS_DIR "bangtin-ket-qua"
/* Under data_dir. */
#define BT_USB_CONTENT_DIR "content"
/* The line every refusal ends with. */
#define BT_USB_KEPT_MESSAGE "Danh sách đang phát được giữ nguyên."

typedef enum {
    BT_USB_STAGE_VERIFY,      /* signature, MANIFEST, the package's entries */
    BT_USB_STAGE_COPY,        /* into the content store; bytes_done / bytes_total */
    BT_USB_STAGE_VALIDATE,    /* playlist.cfg, images (decoded once), audio (measured) */
    BT_USB_STAGE_ACTIVATE,    /* the one transaction, then pruning */
    BT_USB_STAGE_WRITE_BACK,  /* receipt and logs onto the stick */
    BT_USB_STAGE_DONE,
    BT_USB_STAGE_COUNT
} bt_usb_stage;

typedef struct {
    bt_usb_stage stage;
    uint64_t bytes_done, bytes_total;  /* COPY: bytes of the package handled so far */
    size_t files_done, files_total;
    const char *file;                  /* the file being handled; valid during the call only */
} bt_usb_progress;

typedef void (*bt_usb_progress_fn)(void *ctx, const bt_usb_progress *p);

/* Decodes and measures one audio file (the app passes bt_loudness_measure: the usb room must
 * not link SDL_mixer). The file is the stored copy, already checked against MANIFEST.
 * *duration_seconds receives its length (the ward's session limits need it), *silence its dead
 * air (judged against the limits' silence: a mostly silent item refuses the package). 0, or -1
 * with a Vietnamese reason in err. */
typedef int (*bt_usb_measure_audio_fn)(void *ctx, const char *path, double *duration_seconds,
                                       bt_silence *silence, char *err, size_t err_size);

/* Speaks a text bulletin (or finds it already spoken) and sets item->speech_path to the render
 * in the content store (the app passes its speech cache: the usb room must not link
 * espeak-ng). 0, or -1 with a Vietnamese reason in err. */
typedef int (*bt_usb_speak_fn)(void *ctx, bt_broadcast_item *item, char *err, size_t err_size);
/* Issue 15: decodes a video notice's clip whole, where a decoder's crash cannot take the caller
 * with it (the app passes bt_app_video_check_file: a child process). 0, or -1 with a Vietnamese
 * reason ending in what to do. */
typedef int (*bt_usb_decode_video_fn)(void *ctx, const char *path, char *err, size_t err_size);

/* ---- approving a stick without a trusted signature (usb.unsigned = "pin") ------------------- */

/* How staff answered (bt_usb_approve_fn). */
typedef enum {
    BT_USB_APPROVAL_NONE = 0,        /* not asked: the package is signed by a trusted key */
    BT_USB_APPROVAL_APPROVED,        /* the right PIN: the import goes on */
    BT_USB_APPROVAL_REFUSED,         /* staff pressed Huỷ (Esc) */
    BT_USB_APPROVAL_LOCKED,          /* BT_PANEL_MAX_WRONG_PINS wrong PINs: the entry locked */
    BT_USB_APPROVAL_TIMED_OUT,       /* nobody answered within BT_PANEL_APPROVAL_MS */
    BT_USB_APPROVAL_UNAVAILABLE,     /* nothing can ask: no PIN set, no screen */
    BT_USB_APPROVAL_CANCELLED        /* the import was stopped while it waited */
} bt_usb_approval;

/* What staff are shown before they approve: the package as checked, and what it changes. */
typedef struct {
    char id[BT_MAX_ID_BYTES + 1];
    char title[BT_MAX_TITLE_BYTES + 1];
    int version;
    size_t notices, sessions, items;
    bt_signature_status signature;   /* MISSING or UNTRUSTED */
    char signer[BT_PACKAGE_KEY_ID_SIZE]; /* UNTRUSTED: the key it was signed with */
    bool has_active;                 /* a playlist is playing (below) */
    char active_id[BT_MAX_ID_BYTES + 1];
    char active_title[BT_MAX_TITLE_BYTES + 1];
    int active_version;
    bool active_unreadable;          /* it could not be read to compare: diff lists everything */
    bt_playlist_diff diff;           /* against the playing playlist (all added if none) */
} bt_usb_preview;

/* Asks staff to approve a package that has no trusted signature and passed every check, and
 * waits for the answer (on the import's thread). *approved_at: when the right PIN was entered.
 * Must return; BT_USB_APPROVAL_CANCELLED when o->cancel was set meanwhile. */
typedef bt_usb_approval (*bt_usb_approve_fn)(void *ctx, const bt_usb_preview *preview,
                                             bt_wall *approved_at);

typedef struct {
    const bt_config *cfg;            /* trusted_keys, usb.*, ward_name */
    const char *data_dir;            /* the database and data_dir/content */
    const bt_broadcast_limits *limits; /* the ward's loudspeaker limits; NULL = not checked */
    bool force;                      /* accept a version older than or equal to the active one */
    bt_wall now;                     /* activation time; which quarters the logs cover */
    bt_usb_measure_audio_fn measure_audio; /* NULL: audio files are only checked by header */
    void *measure_ctx;
    bt_usb_speak_fn speak;           /* NULL: text bulletins are spoken when the kiosk loads */
    void *speak_ctx;
    bt_usb_progress_fn progress;     /* may be NULL */
    void *progress_ctx;
    atomic_bool *cancel;             /* set from another thread to stop; may be NULL */
    bool write_back;                 /* receipt and logs onto the stick (BT_USB_RESULTS_DIR) */
    /* The screen's fonts (the app passes bt_ui_glyphs_probe: the usb room links no SDL_ttf):
     * a text they cannot draw refuses the package, as `check` does. Zeroed: not checked. Used
     * from the import's validation thread, one at a time. */
    bt_glyph_probe glyphs;
    /* usb.unsigned = "pin": a package without a trusted signature (no MANIFEST.sig, or signed
     * by a key the appliance does not trust; a signature that does not match is always
     * refused) is copied and checked like a signed one, then this asks staff before anything
     * is activated. NULL (`bangtin import`, nothing to ask on): such a package is refused as
     * with usb.unsigned = "refuse". */
    bt_usb_approve_fn approve;
    void *approve_ctx;
    /* Issue 15 (appended): NULL: clips are checked from their headers only. */
    bt_usb_decode_video_fn decode_video;
    void *decode_video_ctx;
} bt_usb_options;

typedef enum {
    BT_USB_IMPORTED,     /* the package is the active playlist now */
    BT_USB_REFUSED,      /* the package is wrong (signature, files, limits, playlist, version) */
    BT_USB_FAILED,       /* it could not be read or stored (stick pulled, disk full …) */
    BT_USB_CANCELLED
} bt_usb_outcome;

typedef struct {
    bt_usb_outcome outcome;
    bt_usb_stage stage;              /* where it ended */
    char id[BT_MAX_ID_BYTES + 1];    /* of the package's playlist, once known ("" before) */
    int version;
    char title[BT_MAX_TITLE_BYTES + 1];
    size_t notices, items;           /* notices and broadcast items (bản tin) */
    char signer[BT_PACKAGE_KEY_ID_SIZE];
    bt_wall signed_at;               /* when the package was signed (BT_PACKAGE_SIGNED_AT_FILE);
                                      * 0 when it does not say (packed by an older bangtin) */
    int64_t clock_behind_seconds;    /* > 0: the appliance's clock read this much earlier than
                                      * the signing time, beyond BT_PACKAGE_CLOCK_SLACK_SECONDS:
                                      * it is wrong (a warning in diags says so) */
    bt_usb_approval approval;        /* NONE: signed by a trusted key; else how staff answered */
    bt_wall pin_approved_at;         /* APPROVED: when the right PIN was entered; else 0 */
    bt_playlist_diff asked_diff;     /* approval asked: what staff were shown it changes */
    char headline[1024];             /* one Vietnamese sentence: what happened */
    bt_diags diags;                  /* every reason (file, line, what to fix) and warnings */
    char stick_note[1024];           /* "" or why the receipt or logs are not on the stick */
    bool package_missing;            /* the package path does not exist or is not a folder:
                                      * nothing was written, and the caller writes nothing */
    char receipt_path[BT_MAX_PATH_BYTES]; /* "" if none was written */
    uint64_t bytes_total;            /* of the package's files */
    uint64_t bytes_copied;           /* written into the content store (new objects only) */
    double stage_seconds[BT_USB_STAGE_COUNT];
} bt_usb_result;

void bt_usb_result_init(bt_usb_result *r);
void bt_usb_result_free(bt_usb_result *r);
/* The whole message for staff: headline, each reason as "file:line: lỗi: …", the closing
 * line (BT_USB_KEPT_MESSAGE unless imported) and the stick note. malloc'd; NULL on OOM. */
char *bt_usb_result_text(const bt_usb_result *r);

/* "được duyệt bằng mã PIN lúc 09:05 ngày 24/11/2025": how the journal, the screen and the
 * receipt say a package was approved. Returns buf. */
const char *bt_usb_approved_text(bt_wall at, char *buf, size_t size);

/* Imports the package folder (a stick's bangtin/). Trailing slashes are dropped first, so
 * "stick/bangtin/" opens exactly what "stick/bangtin" does (a symlinked package folder is
 * refused either way). 0 when imported; -1 otherwise, with the outcome and reasons in *out
 * (which the caller frees with bt_usb_result_free). */
int bt_usb_import(const char *package_dir, const bt_usb_options *o, bt_usb_result *out);

/* Returns to the previous stored playlist (bt_content_rollback_target) in one transaction and
 * prunes the store. Uses o->data_dir, o->cfg (keep_playlists), o->now. 0 or -1 with *out. */
int bt_usb_rollback(const bt_usb_options *o, bt_usb_result *out);

/* ---- stick detection ----------------------------------------------------------------------- */

typedef struct bt_usb_poller bt_usb_poller;

/* roots: directories where the OS mounts sticks (usb.mount_roots). */
int bt_usb_poller_create(const bt_config_paths *roots, bt_usb_poller **out);
void bt_usb_poller_destroy(bt_usb_poller *p); /* NULL is fine */
/* Looks for a stick's package folder at ROOT/bangtin, ROOT/X/bangtin and ROOT/X/Y/bangtin
 * (/media/bangtin/sdb1/bangtin as our udev rule mounts sticks, /media/USER/LABEL/bangtin and
 * /run/media/USER/LABEL/bangtin as udisks2 does, /media/LABEL/bangtin), never following a
 * symlink. A folder named bangtin is a package at a stick's root (a mount point) or when it
 * holds a package's file; otherwise, like the rule's /media/bangtin, it is looked into (the
 * rules are in poller.c). 1 and *path when a folder appeared that was not there at the
 * previous call; 0 when nothing new. A folder is reported once while it stays; pulled and
 * plugged again, it is new again. A few readdir/stat calls: cheap every 2 s. */
int bt_usb_poller_poll(bt_usb_poller *p, char *path, size_t size);

/* ---- writing onto the stick ---------------------------------------------------------------- */

/* Opens the stick's results folder BT_USB_RESULTS_DIR beside package_dir, making it if needed,
 * without following a symlink anywhere a stick could hold one: the folder holding package_dir
 * (the stick's root) is opened with O_NOFOLLOW, the results folder made and opened from it with
 * O_NOFOLLOW|O_DIRECTORY and checked with fstat. A symlink or a file named BT_USB_RESULTS_DIR
 * is left as it is, and so is whatever it points to. package_dir's trailing slashes are
 * dropped; package_dir must exist (a folder, or a symlink the import refused). The folder's fd
 * (the caller closes it) and its path in path (may be NULL); or -1 and a Vietnamese reason in
 * err that names what is wrong and what to do ("xoá liên kết …", "USB đang ở chế độ chỉ đọc"). */
int bt_usb_results_open(const char *package_dir, char *path, size_t path_size, char *err,
                        size_t err_size);
/* Writes name (as Windows accepts it: bt_file_name_windows; every name the appliance writes
 * already is) atomically into the folder dirfd (from bt_usb_results_open): a new temp file
 * (O_CREAT|O_EXCL|O_NOFOLLOW), fsync, renameat, fsync of the folder. 0, or -1 with a Vietnamese
 * reason in err ("USB đang ở chế độ chỉ đọc", "USB đã đầy" …). */
int bt_usb_write_atomic(int dirfd, const char *name, const void *data, size_t len, char *err,
                        size_t err_size);

#endif
