/* The lobby screen: header (ward, Vietnamese date, clock), the current notice, a scrolling
 * ticker, a corner QR to the public-service portal. Paints with an SDL_Renderer it is given;
 * knows nothing of the store. Which notice to show is decided by core/rotation in the caller. */
#ifndef BT_SCREEN_H
#define BT_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL2/SDL.h>

#include "bt_diag.h"
#include "bt_screen_config.h"
#include "bt_playlist.h"
#include "bt_schedule.h"
#include "bt_time.h"

typedef struct bt_screen bt_screen;

/* The screen keeps pointers to cfg's strings: they must outlive it. Fonts are opened here.
 * Returns 0, or -1 with a message in err. */
int bt_screen_create(SDL_Renderer *renderer, int width, int height, const bt_screen_config *cfg,
                     bt_screen **out, char *err, size_t err_size);
void bt_screen_destroy(bt_screen *s); /* NULL is fine */

/* Sets the playlist to paint (NULL = none: the idle screen). The screen keeps the pointer; the
 * caller keeps the playlist alive until the next call or destroy. dir resolves image paths.
 * Drops every cached texture. */
void bt_screen_set_playlist(bt_screen *s, const bt_playlist *p, const char *dir);
/* From now on show notice `index` (BT_ROTATION_NONE = idle screen: ward, clock, portal QR).
 * animate: crossfade from what was shown, starting at `now`. */
void bt_screen_show(bt_screen *s, size_t index, bool animate, bt_mono_ns now);
/* When the current notice's showing began on the monotonic clock (bt_screen_show sets `now`):
 * the rotation's shown_since, so a scrolling infographic is where the rotation's time says
 * (the kiosk started mid-notice, `screenshot --at`). */
void bt_screen_set_shown_since(bt_screen *s, bt_mono_ns since);
/* "Đang phát: <title>" banner while a broadcast airs; NULL hides it. Copied; the same title again
 * is a no-op (cheap to call on every loop). It fills the bottom
 * band (the ticker pauses meanwhile); a title too long for the band scrolls there. Without a
 * ticker the band is reserved whenever the playlist has broadcast sessions, so the banner never
 * covers a notice. */
void bt_screen_set_now_playing(bt_screen *s, const char *title);

/* false: the wall clock cannot be believed (before the build date, behind the airing log): the
 * header and the idle screen show no date or time, rather than a wrong one to the lobby;
 * notices go on. true again restores them. */
void bt_screen_set_clock_trusted(bt_screen *s, bool trusted);

/* A discreet notice for staff (issue 10), e.g. "Lỗi lưu dữ liệu: đĩa đầy — xem bảng theo dõi":
 * a small amber dot and the text on one line, at the bottom right of the stage just above the
 * bottom band, at a size read by someone standing at the screen (20 px at 1080 px of the short
 * side, a pixel less in portrait's shallower strip), never over a notice, a QR code, the clock
 * or the band; it does not fade with the slides. NULL or "" removes it. Copied (at most
 * BT_SCREEN_STAFF_NOTICE_MAX_BYTES; line breaks become spaces); a text too long for the mark's
 * plate is cut with "…". The same text again is a no-op (cheap to call on every loop); a new
 * one rasterises only the mark, and on the software renderer the next frame repaints only the
 * old and the new plate (bt_ui_stats.mark_frames). */
void bt_screen_set_staff_notice(bt_screen *s, const char *text);
/* More is never shown: the plate holds about 80 characters. */
#define BT_SCREEN_STAFF_NOTICE_MAX_BYTES 512

/* Issue 14: the words of the bulletin on air as it is spoken, one phrase at a time (the app
 * paces them, bt_caption.h): a plate across the screen just above the bottom band, in the band's
 * colours, the phrase large, bold and centred, never cut (bt_ui_caption.h). NULL or "" removes
 * it. Copied (at most BT_SCREEN_CAPTION_MAX_BYTES, on one line, NFC); the same text again is a
 * no-op (cheap to call on every loop), a new one rasterises only the phrase and makes the next
 * frame full. While it shows, the staff mark (which shares its strip) waits under it. */
void bt_screen_set_caption(bt_screen *s, const char *text);
/* A phrase is at most BT_CAPTION_MAX_CHARS characters (4 bytes at most each). */
#define BT_SCREEN_CAPTION_MAX_BYTES 1024

/* The labels of the corner panel's information block (issue 14, bt_screen_config.corner_shows). */
#define BT_SCREEN_INFO_NEXT "Phát thanh tiếp theo"
#define BT_SCREEN_INFO_ON_AIR "Đang phát thanh"
#define BT_SCREEN_INFO_HOTLINE "Đường dây nóng"

/* ---- "Lịch phát thanh hôm nay" (issue 3) ---------------------------------------------------- */

/* One loudspeaker session of the day as the schedule notice shows it. */
typedef struct {
    int minute;                            /* minute of the local day it is scheduled, 0..1439 */
    char name[BT_MAX_TITLE_BYTES + 1];     /* the session's name, e.g. "Bản tin sáng" */
    bt_slot_state state;                   /* đã phát, đã phát bù, bỏ lỡ, đang phát, sắp phát */
} bt_screen_schedule_row;

/* Today's sessions for every schedule notice, in time order (as bt_schedule_day gives them), and
 * the local day they belong to (shown under the title). Copied. The slide is laid out and
 * rasterised again only when rows or day differ from the last call, so calling this on every
 * scheduler decision is cheap. Until the first call a schedule notice says that nothing airs
 * today. The rows outlive bt_screen_set_playlist: call again for a new playlist. The ui never
 * runs the scheduler: the app does and passes the result in. */
void bt_screen_set_schedule(bt_screen *s, const bt_screen_schedule_row *rows, size_t n,
                            bt_day day);
/* Fills rows from the scheduler's view of a day (bt_schedule_day): minute, session name, state.
 * Pure; returns n. out must hold n rows. */
size_t bt_screen_schedule_rows(const bt_broadcasts *b, const bt_slot_view *views, size_t n,
                               bt_screen_schedule_row *out);
/* Paints the frame for wall time `wall` (header clock/date) and monotonic `mono` (ticker,
 * crossfade) into the renderer's current target, without presenting. Returns the milliseconds
 * until the screen next needs a frame for animation (ticker or scrolling banner ~30 per second,
 * on a grid of the monotonic clock; crossfade ~60 per second), or -1 when it is static until the
 * clock's next minute or a new show() call.
 *
 * It may paint only part of the frame: on SDL's software renderer (SDL_GetRendererInfo name
 * "software"), when the previous frame it drew is still in the target and only the bottom band
 * (ticker or banner) can have changed since, it repaints just that band; the result is pixel
 * for pixel the full frame. The first draw, and the first after any show(), set_playlist(),
 * set_now_playing() or set_schedule() that changed something, a crossfade, a new minute or
 * bt_screen_invalidate(), is full. After a set_staff_notice() that changed the mark, and nothing
 * else, it repaints the mark's old and new rectangle and the band. Other renderers always get
 * full frames. */
int bt_screen_draw(bt_screen *s, bt_wall wall, bt_mono_ns mono);
/* What the last bt_screen_draw changed in the target, in its pixels (w = 0: nothing): every
 * pixel that differs from the frame before lies inside it. The whole frame after a full draw;
 * after a band-only draw, the band's rows that carry text in either frame, with the staff
 * mark's rectangle when it changed. Presenting only this keeps the display identical to a
 * whole present (the kiosk, src/app/kiosk.c). */
SDL_Rect bt_screen_damage(const bt_screen *s);
/* The surface SDL's software renderer paints into (its window's surface, or the surface it was
 * made for), in the renderer's own pixels; NULL: not known. With it, a band-only ticker frame
 * moves the band's pixels by the distance scrolled and paints only the strip that comes in,
 * with the same result. Set it again when that surface changes (the window's, after a resize). */
void bt_screen_set_target_surface(bt_screen *s, SDL_Surface *target);
/* The target no longer holds the last frame drawn (window exposed or resized, its surface
 * recreated, something else drawn into it, another target): the next draw paints everything.
 * Cheap; call it whenever in doubt. */
void bt_screen_invalidate(bt_screen *s);
/* True if the current notice's asset failed to load (it is skipped visually and logged). */
bool bt_screen_current_failed(const bt_screen *s);
/* The length in ms of the clip the current slide plays (a video notice whose clip opened), 0
 * when it plays none: what proof of play counts a video play against (bt_proof_video). */
long long bt_screen_current_clip_ms(const bt_screen *s);

/* Checks that every notice's text fits its boxes at or above the legibility floor at the given
 * size, adding a warning per notice that does not (for a schedule notice: per session whose name
 * cannot show whole, at the session's line). Needs only SDL_ttf (no window). */
int bt_screen_check_fit(const bt_screen_config *cfg, const bt_playlist *p, int width, int height,
                        const char *file, bt_diags *diags);

/* Checks what blurs or will not scan at the given size, one warning per notice: an image shown
 * at more than BT_MAX_IMAGE_UPSCALE times its own pixels (needs the probe's image_width and
 * image_height), and a QR code (a qr notice's, or a text notice's qr_url) whose modules come out
 * under BT_MIN_QR_MODULE_PX_AT_1080 scaled to the size. Notices `unavailable`, or lacking a text
 * their slide needs, are passed over. 0, or -1 after an error in diags (fonts, frame). */
int bt_screen_check_legibility(const bt_screen_config *cfg, const bt_playlist *p, int width,
                               int height, const char *file, bt_diags *diags);

/* Renders exactly what the screen shows at `at` (no crossfade, ticker at its start) into a PNG,
 * using SDL's offscreen driver and the software renderer; no display needed. p may be NULL. */
int bt_screen_render_png(const bt_screen_config *cfg, const bt_playlist *p, const char *dir,
                         bt_wall at, int width, int height, const char *png_path,
                         char *err, size_t err_size);

/* What a screenshot shows besides the playlist (issue 3): the schedule rows of the day of `at`
 * (bt_screen_set_schedule) and the now-playing banner. Zeroed = none. */
typedef struct {
    const bt_screen_schedule_row *schedule;
    size_t schedule_count;
    bool has_schedule;         /* false: the schedule notice says nothing airs (as before any
                                * bt_screen_set_schedule) */
    const char *now_playing;   /* NULL: no banner */
    /* Show notice `notice` instead of the rotation's pick at `at`, e.g. so that `screenshot`
     * can show the schedule slide whatever the time. */
    bool pick_notice;
    size_t notice;
} bt_screen_extras;

/* bt_screen_render_png with extras (NULL = none, the same as bt_screen_render_png). */
int bt_screen_render_png_ex(const bt_screen_config *cfg, const bt_playlist *p, const char *dir,
                            bt_wall at, int width, int height, const bt_screen_extras *extras,
                            const char *png_path, char *err, size_t err_size);

#endif
