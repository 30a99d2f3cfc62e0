/* The stages of `check` that need the screen's fonts and an audio decoder; check.c runs them on
 * whatever the earlier stages read. check_screen.c and check_audio.c run them as the appliance
 * does. The staff tools' build (BT_KIOSK=OFF) has no audio decoder: check_audio_none.c marks
 * the audio not checked; without the screen too (BT_STAFF_SCREEN=OFF) check_screen_none.c
 * does the same for the fonts and the layout, and `check` says so under its result. */
#ifndef BT_APP_CHECK_MEDIA_H
#define BT_APP_CHECK_MEDIA_H

#include <stdbool.h>

#include "bangtin/bt_app.h"
#include "bangtin/bt_app_check.h"
#include "bangtin/bt_diag.h"
#include "bangtin/bt_playlist.h"

typedef struct {
    void *glyphs;         /* the screen's faces (bt_ui_glyphs), NULL when none */
    bt_glyph_probe probe; /* zeroed: texts not checked against fonts */
} check_fonts;

/* Opens the screen's fonts for the glyph probe; an error in d when they cannot be opened. */
void check_fonts_open(const bt_app *app, check_fonts *f, bt_diags *d, bt_app_check_result *r);
void check_fonts_close(check_fonts *f);
/* Speaks the text bulletins into a temporary cache, measures every item whose path validated
 * (an error at its line for one that cannot be measured) and judges each one's silence. True if
 * every item was measured, so the ward's limits can judge the sessions' length. check_audio and
 * the appliance's own commands (activate, the schedule notice) share it. */
bool check_measure_items(const bt_app *app, const char *dir, bt_playlist *p, bt_diags *d);
/* Measures every broadcast item (text bulletins spoken first) and judges its silence. */
void check_audio(const bt_app *app, const char *dir, bt_playlist *p, bt_diags *d,
                 bt_app_check_result *result);
/* Issue 15: each video notice's clip decoded whole in a child (check_video.c); in a build
 * without video, marked not checked (check_video_none.c). */
void check_video(const bt_app *app, const char *dir, const bt_playlist *p, bt_diags *d,
                 bt_app_check_result *result);
/* Fit at both full-HD frames, legibility at the configured screen size(s). */
void check_screen(const bt_app *app, const bt_playlist *p, bt_diags *d,
                  bt_app_check_result *result);

#endif
