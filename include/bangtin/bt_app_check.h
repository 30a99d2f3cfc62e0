/* `bangtin check` and `bangtin pack`: every check the appliance makes of a playlist folder, in
 * one pass (src/app/check.c). Each stage runs on whatever the earlier ones could read, so a
 * staff member sees every error before the stick leaves the office, not one stage per trip;
 * only a syntax error (or an unreadable playlist.cfg) stops everything after it. */
#ifndef BT_APP_CHECK_H
#define BT_APP_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "bt_app.h"
#include "bt_diag.h"
#include "bt_playlist.h"

/* Screen sizes the legibility checks use when the config names none (display.width/height 0):
 * the landscape and portrait full-HD frames `check`'s fit check always uses. */
#define BT_CHECK_MAX_SIZES 2
/* Those two frames, landscape then portrait: every notice must fit both. */
extern const int BT_CHECK_FIT_SIZES[BT_CHECK_MAX_SIZES][2];

/* Stages a build without the screen's fonts and audio decoders cannot run (the staff tools on
 * Windows, BT_KIOSK=OFF): bt_app_check_result.not_checked, said under the result. The appliance
 * runs them all, at import too. */
enum {
    BT_CHECK_NOT_GLYPHS = 1 << 0,       /* texts against the screen's fonts */
    BT_CHECK_NOT_IMAGE_DECODE = 1 << 1, /* images decoded (their headers are still checked) */
    BT_CHECK_NOT_AUDIO = 1 << 2,        /* broadcast audio measured, silence, session lengths */
    BT_CHECK_NOT_LAYOUT = 1 << 3,       /* the fit and legibility checks */
    BT_CHECK_NOT_VIDEO = 1 << 4         /* video clips probed and decoded (issue 15) */
};

typedef struct {
    bool unread;         /* playlist.cfg missing, unreadable or stopped by a syntax error: the
                          * stages after it did not run */
    bool packaged;       /* the folder is a signed package, checked as the appliance imports it */
    int sizes[BT_CHECK_MAX_SIZES][2]; /* screen sizes image and QR legibility was checked at */
    size_t size_count;
    unsigned not_checked; /* BT_CHECK_NOT_*: stages this build left to the appliance */
} bt_app_check_result;

/* Checks the playlist folder dir, in this order, every stage on what the earlier ones read:
 * the package (MANIFEST, signature, hashes) when dir is one; playlist.cfg (syntax, every key
 * and value, every image decoded, every text against the screen's fonts); every broadcast
 * item's audio decoded and measured, its silence judged; the ward's loudspeaker limits
 * (bangtin.cfg); every notice
 * laid out at 1920×1080 and 1080×1920 (fit) and at the configured screen size (an image blown
 * up more than twice, a QR too fine to scan). Every diagnostic, sorted by file and line, goes
 * to d, each stamped with its code ("package", "syntax", "playlist", "image", "glyph",
 * "control-char", "audio", "ward-limits", "layout", "video", "video-sound"). *out receives the
 * model, partial when there were errors (bt_playlist_validate); the caller frees it. 0 when
 * there is no error. */
int bt_app_check_playlist(bt_app *app, const char *dir, bt_playlist *out, bt_diags *d,
                          bt_app_check_result *result);

/* A warning in d (code "video-sound"), on the notice's line of `file`, for every video notice
 * with `sound = true` while the config in force has no display.audio_device: the kiosk would show
 * it mute. Used by `check` (and so `pack`) and by `doctor` on the active playlist. */
void bt_app_check_video_sound(const bt_app *app, const bt_playlist *p, const char *file,
                              bt_diags *d);

/* Says which stages r->not_checked left to the appliance, in Vietnamese; nothing when none. */
void bt_app_check_print_not_checked(const bt_app_check_result *r, FILE *out);

/* Loads dir strictly, as `activate` and the USB import do: every image decoded and every text
 * checked against the screen's fonts (a font that cannot be opened is an error in d). 0 with
 * *out filled, or -1 with *out empty. */
int bt_app_load_playlist(const bt_app *app, const char *dir, bt_playlist *out, bt_diags *d);

/* The screen sizes of the configuration: display.width × display.height turned as
 * display.orientation asks, else one full-HD frame in that orientation, else (auto) both. */
size_t bt_app_check_screen_sizes(const bt_config *cfg, int sizes[BT_CHECK_MAX_SIZES][2]);

#endif
