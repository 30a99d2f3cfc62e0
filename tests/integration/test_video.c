/* Video notices (issue 15, items 1, 3 and 6), on clips Debian's ffmpeg makes here: SMPTE colour
 * bars with the timecode burnt in (drawtext, the project's own font), over a grey band whose
 * brightness is the time (Y = 16 + 35·t), so a frame says when in the clip it is.
 *
 *   - H.264 (MP4, with and without AAC sound) and VP9 (WebM with Opus) validate, last their
 *     clip's length, and `screenshot --at` shows the frame of that second: the band's grey is
 *     the time's; 720p and 1080p clips validate too;
 *   - the crossfade into and out of a clip has no dark frame;
 *   - `bangtin check` refuses, each with its file, line and what to do: HEVC, a 4-hour clip, a
 *     clip cut short, a WebM and a PNG named .mp4, a 1440p clip, a 60 fps clip;
 *   - a decoder that crashes in the child refuses the file; `bangtin check` itself ends
 *     normally and says so;
 *   - in a shown window a clip plays live from its decode thread: the frames due are there
 *     without waiting, one passed over is counted as dropped, and the clip goes round its loop
 *     from frames decoded ahead; in a hidden one every frame asked for is shown; started
 *     mid-clip, as the kiosk starts a notice where the rotation is, it drops no frame and shows
 *     none late;
 *   - the program links no FFmpeg library (readelf), its video module does; when the module is
 *     missing or broken, each video notice is refused with a message saying to reinstall, and
 *     the playlist's other notices are read as ever;
 *   - `sound = true` without display.audio_device is warned by check and doctor. */
#include "bt_test_support.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>

#include "bangtin/bt_config.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_playlist_load.h"
#include "bangtin/bt_rotation.h"
#include "bangtin/bt_screen.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_ui_stats.h"
#include "bangtin/bt_ui_video.h"

#define BANGTIN "env BANGTIN_CONFIG= " BT_BANGTIN_EXE
#define CLIP_S 6
#define FFMPEG "ffmpeg -v error -nostdin -y "

static char dir[512];      /* the playlist of good clips */
static char bad_dir[512];  /* the playlist of clips check refuses */

/* Bars over the time band, with the timecode, `w`×`h` at `fps` for `seconds`, encoded with
 * `codec` (ffmpeg options) into dir/name; `audio`: a 440 Hz tone with `acodec`. */
static void make_clip(const char *in, const char *name, int w, int h, const char *fps,
                      int seconds, const char *codec, const char *acodec)
{
    char cmd[4096], audio[256] = "";
    int band = h / 3;
    if (acodec)
        snprintf(audio, sizeof audio, "-f lavfi -i sine=f=440:d=%d %s -shortest ", seconds,
                 acodec);
    snprintf(cmd, sizeof cmd,
             FFMPEG "-f lavfi -i smptebars=s=%dx%d:r=%s:d=%d "
             "-f lavfi -i \"color=c=gray:s=%dx%d:r=%s:d=%d,format=yuv420p,"
             "geq=lum='16+T*35':cb=128:cr=128\" %s"
             "-filter_complex \"[0][1]overlay=0:%d:shortest=1,drawtext=fontfile=%s:"
             "text='%%{pts\\:hms}':x=8:y=8:fontsize=%d:fontcolor=white:box=1:boxcolor=black\" "
             "%s -pix_fmt yuv420p '%s/%s' 2>&1",
             w, h, fps, seconds, w, band, fps, seconds, audio, h - band, BT_FONT_BOLD,
             h / 9 > 8 ? h / 9 : 8, codec, in, name);
    bt_test_run_ok(cmd);
}

#define H264 "-c:v libx264 -preset ultrafast -g 10 -movflags +faststart"
#define LONG_GOP "-c:v libx264 -preset veryfast -g 200 -movflags +faststart"
#define VP9 "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -g 10"

static void write_playlist(const char *in, const char *notices)
{
    char path[700], cfg[8192];
    snprintf(cfg, sizeof cfg, "id = \"video\";\nversion = 1;\ntitle = \"Video\";\n"
                              "notices = (\n%s\n);\n", notices);
    snprintf(path, sizeof path, "%s/playlist.cfg", in);
    assert_int_equal(bt_test_write_file(path, cfg, strlen(cfg)), 0);
}

static int setup(void **state)
{
    (void)state;
    char *d = bt_test_temp_dir("video");
    assert_non_null(d);
    snprintf(dir, sizeof dir, "%s/good", d);
    snprintf(bad_dir, sizeof bad_dir, "%s/bad", d);
    free(d);
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(mkdir(bad_dir, 0755), 0);
    make_clip(dir, "tc.mp4", 320, 180, "10", CLIP_S, H264, NULL);
    make_clip(dir, "tc-sound.mp4", 320, 180, "10", CLIP_S, H264, "-c:a aac");
    make_clip(dir, "tc.webm", 320, 180, "10", CLIP_S, VP9, "-c:a libopus");
    /* 720p and 1080p: two frames each, as cheap as a clip of that size gets. */
    make_clip(dir, "hd.mp4", 1280, 720, "1", 2, H264, "-c:a aac");
    make_clip(dir, "fullhd.mp4", 1920, 1080, "1", 2, H264, NULL);
    /* One keyframe in 12 s of 720p with B-frames: a start 10 s in decodes 100 frames first. */
    make_clip(dir, "long-gop.mp4", 1280, 720, "10", 12, LONG_GOP, NULL);
    write_playlist(dir,
                   "  { id = \"h264\"; kind = \"video\"; video = \"tc.mp4\"; },\n"
                   "  { id = \"h264-tieng\"; kind = \"video\"; video = \"tc-sound.mp4\"; },\n"
                   "  { id = \"vp9\"; kind = \"video\"; video = \"tc.webm\"; },\n"
                   "  { id = \"hd\"; kind = \"video\"; video = \"hd.mp4\"; },\n"
                   "  { id = \"fullhd\"; kind = \"video\"; video = \"fullhd.mp4\"; duration = 4;\n"
                   "    loop = true; }");
    return 0;
}

static void load(const char *in, bt_playlist *p)
{
    bt_diags d;
    bt_diags_init(&d);
    bt_playlist_init(p);
    int rc = bt_playlist_load(in, p, &d);
    for (size_t i = 0; i < d.count; i++) {
        char line[2048];
        fprintf(stderr, "%s\n", bt_diag_format(&d.items[i], line, sizeof line));
    }
    bt_diags_free(&d);
    assert_int_equal(rc, 0);
}

/* The good clips' playlist, and the screen of a default config. */
static void load_with_screen(bt_playlist *p, bt_screen_config *sc)
{
    static bt_config cfg; /* sc points into it */
    load(dir, p);
    bt_config_defaults(&cfg);
    bt_config_screen(&cfg, sc);
}

static void good_clips_last_their_length(void **state)
{
    (void)state;
    bt_playlist p;
    load(dir, &p);
    assert_int_equal(p.notice_count, 5);
    for (size_t i = 0; i < 3; i++) {
        const bt_notice *n = &p.notices[i];
        assert_int_equal(n->kind, BT_NOTICE_VIDEO);
        assert_true(llabs(n->video_ms - CLIP_S * 1000) <= 100);
        assert_int_equal(n->duration_seconds, CLIP_S); /* the clip's own length */
        assert_int_equal(n->image_width, 320);
        assert_int_equal(n->image_height, 180);
        assert_false(n->sound); /* muted unless asked */
    }
    assert_int_equal(p.notices[3].image_width, 1280);
    assert_int_equal(p.notices[4].image_height, 1080);
    assert_int_equal(p.notices[4].duration_seconds, 4); /* cut by `duration` */
    assert_true(p.notices[4].loop);
    bt_playlist_free(&p);
}

/* Mean of the grey band's green over its middle, in a PNG `screenshot --at` wrote, where the
 * plan puts the picture. */
static double band_grey(const char *png, const bt_layout_slide *plan)
{
    SDL_Surface *raw = IMG_Load(png);
    assert_non_null(raw);
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    assert_non_null(s);
    bt_rect im = plan->image;
    int y0 = im.y + im.h * 5 / 6 - im.h / 24, y1 = im.y + im.h * 5 / 6 + im.h / 24;
    double sum = 0;
    int n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = im.x + im.w / 4; x < im.x + im.w * 3 / 4; x++) {
            Uint32 px = ((Uint32 *)((Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch))[x];
            sum += (px >> 8) & 0xFF;
            n++;
        }
    SDL_FreeSurface(s);
    return sum / n;
}

/* The plan a 1920×1080 screen lays notice `index` out with. */
static bt_layout_slide plan_of(const bt_screen_config *sc, const bt_playlist *p, size_t index)
{
    char err[512];
    SDL_Window *w = SDL_CreateWindow("t", 0, 0, 1920, 1080, SDL_WINDOW_HIDDEN);
    assert_non_null(w);
    SDL_Renderer *r = SDL_CreateRenderer(w, -1, SDL_RENDERER_SOFTWARE);
    assert_non_null(r);
    bt_screen *screen = NULL;
    assert_int_equal(bt_screen_create(r, 1920, 1080, sc, &screen, err, sizeof err), 0);
    bt_screen_set_playlist(screen, p, dir);
    bt_screen_show(screen, index, false, 0);
    bt_layout_slide plan = *bt_screen_current_plan(screen);
    bt_screen_destroy(screen);
    SDL_DestroyRenderer(r);
    SDL_DestroyWindow(w);
    return plan;
}

static void screenshot_at_shows_the_frame_of_that_time(void **state)
{
    (void)state;
    bt_playlist p;
    bt_screen_config sc;
    load_with_screen(&p, &sc);
    bt_wall day = bt_time_from_civil(2026, 11, 23, 9, 0, 0);
    for (size_t i = 0; i < 3; i++) {
        bt_layout_slide plan = plan_of(&sc, &p, i);
        assert_int_equal(plan.kind, BT_SLIDE_IMAGE);
        /* Letterboxed 16:9 in the stage, under the slim header. */
        assert_true(plan.slim_header);
        assert_true(abs(plan.image.w * 9 - plan.image.h * 16) <= 32);
        bt_wall start = day;
        while (bt_rotation_at(&p, start).notice != i || bt_rotation_at(&p, start).shown_since != start)
            start++;
        for (int t = 1; t < CLIP_S; t += 2) {
            char png[700], err[512];
            snprintf(png, sizeof png, "%s/%s-%d.png", dir, p.notices[i].id, t);
            assert_int_equal(bt_screen_render_png(&sc, &p, dir, start + t, 1920, 1080, png, err,
                                                  sizeof err),
                             0);
            /* Y = 16 + 35t in the clip, shown as full-range RGB. */
            double want = 35.0 * t * 255.0 / 219.0;
            double got = band_grey(png, &plan);
            if (fabs(got - want) > 8)
                fail_msg("%s at %d s: band %.1f, the timecode's %.1f", p.notices[i].id, t, got,
                         want);
        }
    }
    bt_playlist_free(&p);
}

/* Both screens drawn at mono, then their surfaces the same, pixel for pixel (the colours: the
 * fourth byte of SDL_PIXELFORMAT_RGB888 is unused, and the display never reads it). */
static void draw_both_same(bt_screen *const screen[2], SDL_Renderer *const r[2],
                           SDL_Surface *const surf[2], bt_wall wall, bt_mono_ns mono,
                           const char *when)
{
    for (int i = 0; i < 2; i++) {
        bt_screen_draw(screen[i], wall, mono);
        SDL_RenderFlush(r[i]);
    }
    const SDL_PixelFormat *f = surf[0]->format;
    Uint32 colour = f->Rmask | f->Gmask | f->Bmask;
    for (int y = 0; y < surf[0]->h; y++) {
        const Uint32 *a = (const Uint32 *)((const Uint8 *)surf[0]->pixels + (size_t)y * (size_t)surf[0]->pitch);
        const Uint32 *b = (const Uint32 *)((const Uint8 *)surf[1]->pixels + (size_t)y * (size_t)surf[1]->pitch);
        for (int x = 0; x < surf[0]->w; x++)
            if ((a[x] & colour) != (b[x] & colour))
                fail_msg("%s (%lld ms): pixel %d,%d is %06x through the texture, %06x in the "
                         "window's pixels", when, (long long)(mono / 1000000), x, y,
                         a[x] & colour, b[x] & colour);
    }
}

/* On SDL's software renderer painting the kiosk's window surface (bt_screen_set_target_surface),
 * a clip's frames go straight into its pixels and its texture goes once nothing fades it: the
 * pixels are those of the texture route, byte for byte, through a crossfade in, play (the clip's
 * rectangle alone repainted), a full frame and a crossfade out to another clip. */
static void frames_go_into_the_window_as_through_a_texture(void **state)
{
    (void)state;
    const int w = 960, h = 540;
    const bt_mono_ns ms = 1000000;
    bt_playlist p;
    bt_screen_config sc;
    char err[512];
    load_with_screen(&p, &sc);
    SDL_Surface *surf[2];
    SDL_Renderer *r[2];
    bt_screen *screen[2] = {NULL, NULL};
    for (int i = 0; i < 2; i++) {
        surf[i] = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888);
        assert_non_null(surf[i]);
        r[i] = SDL_CreateSoftwareRenderer(surf[i]);
        assert_non_null(r[i]);
        assert_int_equal(bt_screen_create(r[i], w, h, &sc, &screen[i], err, sizeof err), 0);
        bt_screen_set_playlist(screen[i], &p, dir);
    }
    bt_screen_set_target_surface(screen[1], surf[1]); /* the window's pixels: the kiosk's case */
    bt_wall wall = bt_time_from_civil(2026, 11, 23, 9, 0, 0);
    bt_mono_ns t0 = 20000 * ms, t1 = t0 + 4000 * ms;
    for (int i = 0; i < 2; i++)
        bt_screen_show(screen[i], BT_ROTATION_NONE, false, t0 - 3000 * ms);
    draw_both_same(screen, r, surf, wall, t0 - 10 * ms, "idle");
    for (int i = 0; i < 2; i++)
        bt_screen_show(screen[i], 0, true, t0);
    for (int k = 0; k <= 10; k++)
        draw_both_same(screen, r, surf, wall,
                       t0 + (bt_mono_ns)(sc.transition_ms * k / 10) * ms, "fade in");
    /* Playing at 10 fps: each 100 ms a new frame, its rectangle alone repainted. */
    for (bt_mono_ns t = t0 + (sc.transition_ms + 50) * ms; t < t1 - 500 * ms; t += 100 * ms)
        draw_both_same(screen, r, surf, wall, t, "playing");
    bt_ui_stats with_texture, direct;
    bt_screen_stats(screen[0], &with_texture);
    bt_screen_stats(screen[1], &direct);
    const bt_layout_slide *plan = bt_screen_current_plan(screen[0]);
    assert_non_null(plan);
    assert_true(with_texture.partial_frames > 5 && direct.partial_frames > 5);
    /* The texture of the drawn size went: nothing else differs between the two. */
    assert_int_equal(with_texture.texture_bytes - direct.texture_bytes,
                     (size_t)plan->image.w * (size_t)plan->image.h * 4);
    for (int i = 0; i < 2; i++)
        bt_screen_invalidate(screen[i]);
    draw_both_same(screen, r, surf, wall, t1 - 450 * ms, "a full frame");
    for (int i = 0; i < 2; i++)
        bt_screen_show(screen[i], 2, true, t1);
    for (int k = 0; k <= 10; k++)
        draw_both_same(screen, r, surf, wall,
                       t1 + (bt_mono_ns)(sc.transition_ms * k / 10) * ms, "fade to VP9");
    draw_both_same(screen, r, surf, wall, t1 + (sc.transition_ms + 150) * ms, "VP9 playing");
    for (int i = 0; i < 2; i++) {
        bt_screen_destroy(screen[i]);
        SDL_DestroyRenderer(r[i]);
        SDL_FreeSurface(surf[i]);
    }
    bt_playlist_free(&p);
}

/* Mean luma of the stage between the header and the band. */
static double stage_luma(const Uint32 *px, int w, int h)
{
    double sum = 0;
    for (int y = h / 10; y < h * 8 / 10; y++)
        for (int x = 0; x < w; x++) {
            Uint32 c = px[(size_t)y * (size_t)w + (size_t)x];
            sum += 0.299 * ((c >> 16) & 0xFF) + 0.587 * ((c >> 8) & 0xFF) + 0.114 * (c & 0xFF);
        }
    return sum / ((double)w * (h * 8 / 10 - h / 10));
}

/* From notice `from` to `to` with a crossfade: every frame's stage at least as bright as the
 * darker end, less a tenth of its lift over the bare background (as test_screen.c holds every
 * other fade to). */
static void fade_between(SDL_Renderer *r, bt_screen *screen, const bt_screen_config *sc,
                         size_t from, size_t to)
{
    const int w = 960, h = 540;
    const bt_mono_ns ms = 1000000;
    Uint32 *px = malloc((size_t)w * h * 4);
    assert_non_null(px);
    bt_wall wall = bt_time_from_civil(2026, 11, 23, 9, 0, 0);
    bt_mono_ns t0 = 20000 * ms;
    bt_screen_show(screen, from, false, t0 - 3000 * ms);
    bt_screen_draw(screen, wall, t0 - 10 * ms);
    assert_int_equal(SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_ARGB8888, px, w * 4), 0);
    double a = stage_luma(px, w, h), lowest = 1e9;
    bt_screen_show(screen, to, true, t0);
    for (int k = 0; k <= 10; k++) {
        bt_screen_draw(screen, wall, t0 + (bt_mono_ns)(sc->transition_ms * k / 10) * ms);
        assert_int_equal(SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_ARGB8888, px, w * 4), 0);
        double l = stage_luma(px, w, h);
        lowest = l < lowest ? l : lowest;
    }
    bt_screen_draw(screen, wall, t0 + (bt_mono_ns)(sc->transition_ms + 50) * ms);
    assert_int_equal(SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_ARGB8888, px, w * 4), 0);
    double b = stage_luma(px, w, h);
    double bare = 0.299 * sc->background.r + 0.587 * sc->background.g + 0.114 * sc->background.b;
    double low_end = a < b ? a : b;
    if (lowest < low_end - 0.1 * (low_end - bare) || lowest < bare + 2.0)
        fail_msg("fade %zu → %zu: a frame at luma %.2f, ends %.2f and %.2f (bare %.2f)", from, to,
                 lowest, a, b, bare);
    free(px);
}

static void crossfades_have_no_dark_frame(void **state)
{
    (void)state;
    bt_playlist p;
    bt_screen_config sc;
    char err[512];
    load_with_screen(&p, &sc);
    assert_true(sc.transition_ms > 0);
    SDL_Window *w = SDL_CreateWindow("t", 0, 0, 960, 540, SDL_WINDOW_HIDDEN);
    assert_non_null(w);
    SDL_Renderer *r = SDL_CreateRenderer(w, -1, SDL_RENDERER_SOFTWARE);
    assert_non_null(r);
    bt_screen *screen = NULL;
    assert_int_equal(bt_screen_create(r, 960, 540, &sc, &screen, err, sizeof err), 0);
    bt_screen_set_playlist(screen, &p, dir);
    fade_between(r, screen, &sc, BT_ROTATION_NONE, 0); /* idle → H.264 */
    fade_between(r, screen, &sc, 0, 2);                 /* H.264 → VP9 */
    fade_between(r, screen, &sc, 2, BT_ROTATION_NONE);  /* VP9 → idle */
    bt_screen_destroy(screen);
    SDL_DestroyRenderer(r);
    SDL_DestroyWindow(w);
    bt_playlist_free(&p);
}

/* The line of playlist.cfg a message must name, and words it must hold. */
static void expect(const char *out, int line, const char *words)
{
    char where[64];
    snprintf(where, sizeof where, "playlist.cfg:%d:", line);
    for (const char *p = strstr(out, where); p; p = strstr(p + 1, where)) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char *msg = strndup(p, n);
        assert_non_null(msg);
        bool found = strstr(msg, words) != NULL;
        free(msg);
        if (found)
            return;
    }
    fail_msg("no message at %s with \"%s\" in:\n%s", where, words, out);
}

static void check_refuses_bad_clips(void **state)
{
    (void)state;
    char cmd[2048];
    /* HEVC; 4 hours (one frame a minute: a few kB); cut short (moov first, so only the whole
     * decode finds it); WebM and PNG named .mp4; 1440p; 60 fps. */
    make_clip(bad_dir, "hevc.mp4", 160, 90, "10", 2, "-c:v libx265 -preset ultrafast -tag:v hvc1 "
              "-x265-params log-level=none", NULL);
    snprintf(cmd, sizeof cmd, FFMPEG "-f lavfi -i color=c=blue:s=32x32:r=1/60:d=14400 "
             "-c:v libx264 -preset ultrafast '%s/bon-gio.mp4' 2>&1", bad_dir);
    bt_test_run_ok(cmd);
    make_clip(bad_dir, "cat.mp4", 320, 180, "10", CLIP_S, H264, NULL);
    snprintf(cmd, sizeof cmd, "%s/cat.mp4", bad_dir);
    struct stat st;
    assert_int_equal(stat(cmd, &st), 0);
    assert_int_equal(truncate(cmd, st.st_size * 6 / 10), 0);
    make_clip(bad_dir, "webm.mp4", 160, 90, "10", 2, VP9 " -f webm", NULL);
    snprintf(cmd, sizeof cmd, "cp '" BT_SOURCE_DIR "/tests/data/ui/basic/images/anh-4x3.png' "
             "'%s/anh.mp4'", bad_dir);
    bt_test_run_ok(cmd);
    make_clip(bad_dir, "2k.mp4", 2560, 1440, "1", 1, H264, NULL);
    make_clip(bad_dir, "60hinh.mp4", 160, 90, "60", 1, H264, NULL);
    write_playlist(bad_dir,
                   /* Each clip's `video` key on lines 6, 8, 11, 13, 15 and 17; the clip cut
                    * short is a notice of one line, 9 (the decode names the notice's line). */
                   "  { id = \"hevc\"; kind = \"video\";\n    video = \"hevc.mp4\"; },\n"
                   "  { id = \"bon-gio\"; kind = \"video\";\n    video = \"bon-gio.mp4\"; },\n"
                   "  { id = \"cat\"; kind = \"video\"; video = \"cat.mp4\"; },\n"
                   "  { id = \"webm\"; kind = \"video\";\n    video = \"webm.mp4\"; },\n"
                   "  { id = \"anh\"; kind = \"video\";\n    video = \"anh.mp4\"; },\n"
                   "  { id = \"2k\"; kind = \"video\";\n    video = \"2k.mp4\"; },\n"
                   "  { id = \"60\"; kind = \"video\";\n    video = \"60hinh.mp4\"; }");
    int status;
    snprintf(cmd, sizeof cmd, BANGTIN " check '%s' 2>&1", bad_dir);
    char *out = bt_test_run(cmd, &status);
    assert_non_null(out);
    assert_int_not_equal(status, 0);
    expect(out, 6, "mã hoá hình bằng hevc");
    expect(out, 6, "hãy xuất lại video dạng MP4 H.264");
    expect(out, 8, "dài 4:00:00, tối đa 10 phút");
    expect(out, 9, "bị cắt");
    expect(out, 9, "hãy xuất lại video dạng MP4 H.264");
    expect(out, 11, "mang đuôi .mp4 nhưng bên trong không phải MP4");
    expect(out, 13, "hãy xuất lại video dạng MP4 H.264");
    expect(out, 15, "2560×1440, lớn hơn 1920×1080");
    expect(out, 17, "60,00 khung hình/giây, tối đa 30");
    free(out);
}

static void a_decoder_crash_refuses_the_file_not_the_caller(void **state)
{
    (void)state;
    char cmd[2048];
    int status;
    /* The decoding child dies of SIGSEGV; check (its parent) must end by itself and say so. */
    snprintf(cmd, sizeof cmd,
             "env LD_PRELOAD='" BT_CRASH_DECODER_LIB "' "
             "ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=0:handle_segv=0 " BANGTIN " check '%s' 2>&1; "
             "echo \"exit=$?\"",
             dir);
    char *out = bt_test_run(cmd, &status);
    assert_non_null(out);
    expect(out, 5, "bộ giải mã video bị lỗi khi đọc tệp này (tín hiệu 11)");
    expect(out, 5, "hãy xuất lại video dạng MP4 H.264");
    assert_non_null(strstr(out, "exit=1\n")); /* refused, not crashed (a signal gives 128+) */
    free(out);
    /* Without it the same playlist passes: the crash was the decoder's, not the file's. */
    snprintf(cmd, sizeof cmd, BANGTIN " check '%s' 2>&1", dir);
    out = bt_test_run(cmd, &status);
    assert_non_null(out);
    if (status != 0)
        fail_msg("check of the good clips failed:\n%s", out);
    free(out);
}

/* Asks for the frame at each ms in turn (a pause before each lets the decode thread fill its
 * queue) and returns the clip's dropped count. */
static unsigned long play(bool shown, const long long *at, int n)
{
    char path[700], err[512];
    SDL_Window *w = SDL_CreateWindow("t", 0, 0, 320, 180, shown ? SDL_WINDOW_SHOWN
                                                                  : SDL_WINDOW_HIDDEN);
    assert_non_null(w);
    SDL_Renderer *r = SDL_CreateRenderer(w, -1, SDL_RENDERER_SOFTWARE);
    assert_non_null(r);
    snprintf(path, sizeof path, "%s/tc.mp4", dir);
    bt_ui_video *v = bt_ui_video_open(path, err, sizeof err);
    assert_non_null(v);
    bt_ui_video_draw_size(v, r, 320, 180);
    SDL_Texture *tex = bt_ui_video_texture(v, r, err, sizeof err);
    assert_non_null(tex);
    for (int i = 0; i < n; i++) {
        SDL_Delay(150);
        if (bt_ui_video_frame_at(v, at[i], tex, err, sizeof err) != 1)
            fail_msg("no new frame at %lld ms (%s)", at[i], err);
        /* The next frame's time: one period (10 fps) on, none after the clip's last. */
        long long next = bt_ui_video_next_ms(v);
        long long want = at[i] + 100 < CLIP_S * 1000 ? (at[i] / 100 + 1) * 100 : -1;
        if (next != want)
            fail_msg("after %lld ms the next frame is at %lld", at[i], next);
    }
    unsigned long decoded, dropped;
    bt_ui_video_counts(v, &decoded, &dropped);
    assert_true(decoded >= (unsigned long)n);
    SDL_DestroyTexture(tex);
    bt_ui_video_close(v);
    SDL_DestroyRenderer(r);
    SDL_DestroyWindow(w);
    return dropped;
}

static void playing_live_drops_only_frames_passed_over(void **state)
{
    (void)state;
    /* Every frame in turn, round the 6 s loop: none dropped, shown or hidden. */
    long long each[8] = {0, 100, 200, 300, 5800, 5900, 0, 100};
    assert_int_equal(play(true, each, 8), 0);
    assert_int_equal(play(false, each, 8), 0);
    /* Every other frame (a turn of the loop that came late): each one between is dropped. */
    long long every_other[6] = {0, 200, 400, 600, 800, 1000};
    assert_int_equal(play(true, every_other, 6), 5);
}

/* The clip's own line when it closes: "đã giải mã N khung hình, bỏ qua D, chiếu muộn L". */
static char closing_line[512];

static void keep_closing_line(void *ctx, bt_log_level level, const char *line)
{
    (void)ctx;
    (void)level;
    if (strstr(line, "khung hình, bỏ qua"))
        snprintf(closing_line, sizeof closing_line, "%s", line);
}

static long long now_ms(void)
{
    return (long long)(SDL_GetTicks64());
}

/* As the kiosk starts a notice mid-way (the rotation's time, 4–19 s in): the slide is built with
 * the clip's first frame, then drawn from where the clock is, 10 s in (asked twice, as the screen
 * refreshes the clip and then paints it), the loop busy for 500 ms after that first frame (the
 * kiosk starts its loudspeaker then, longer than the queue's frames last), and played on that
 * clock for 1.5 s. Neither the wait for the seek nor the busy loop is a reason to pass a frame
 * over or show one late once playing; the frames due while the loop was away are told apart. */
static void a_clip_started_mid_way_drops_nothing(void **state)
{
    (void)state;
    char path[700], err[512];
    SDL_Window *w = SDL_CreateWindow("t", 0, 0, 1280, 720, SDL_WINDOW_SHOWN);
    assert_non_null(w);
    SDL_Renderer *r = SDL_CreateRenderer(w, -1, SDL_RENDERER_SOFTWARE);
    assert_non_null(r);
    snprintf(path, sizeof path, "%s/long-gop.mp4", dir);
    bt_log_set_level(BT_LOG_INFO);
    bt_log_set_sink(keep_closing_line, NULL);
    closing_line[0] = '\0';
    bt_ui_video *v = bt_ui_video_open(path, err, sizeof err);
    assert_non_null(v);
    bt_ui_video_draw_size(v, r, 1280, 720);
    SDL_Texture *tex = bt_ui_video_texture(v, r, err, sizeof err);
    assert_non_null(tex);
    assert_int_equal(bt_ui_video_frame_at(v, 0, tex, err, sizeof err), 1);
    long long start = now_ms(), first_wait = -1;
    for (long long at = 10000; at < 11500; at = 10000 + now_ms() - start) {
        if (bt_ui_video_frame_at(v, at, tex, err, sizeof err) < 0 ||
            bt_ui_video_frame_at(v, at, tex, err, sizeof err) < 0)
            fail_msg("no frame at %lld ms (%s)", at, err);
        if (first_wait < 0) {
            first_wait = now_ms() - start;
            SDL_Delay(500);
        }
        SDL_Delay(5);
    }
    unsigned long decoded, dropped;
    bt_ui_video_counts(v, &decoded, &dropped);
    SDL_DestroyTexture(tex);
    bt_ui_video_close(v);
    bt_log_set_sink(NULL, NULL);
    SDL_DestroyRenderer(r);
    SDL_DestroyWindow(w);
    fprintf(stderr, "first frame 10 s in after %lld ms; %s\n", first_wait, closing_line);
    const char *caught = strstr(closing_line, "bắt kịp trước khi chiếu liền ");
    if (dropped != 0 || !strstr(closing_line, "chiếu muộn 0;") || !caught ||
        atoi(caught + strlen("bắt kịp trước khi chiếu liền ")) < 1)
        fail_msg("started mid-clip: %lu passed over (%s)", dropped, closing_line);
}

/* The NEEDED entries of an ELF file, one per line ("" when readelf fails). */
static char *needed_of(const char *file)
{
    char cmd[1024];
    int status;
    snprintf(cmd, sizeof cmd, "readelf -d '%s' | grep NEEDED", file);
    char *out = bt_test_run(cmd, &status);
    assert_non_null(out);
    return out;
}

static void the_program_links_no_ffmpeg(void **state)
{
    (void)state;
#ifdef BT_VIDEO_MODULE_FILE
    /* The ~80 ms FFmpeg's libraries cost every start are paid only where a clip is decoded. */
    char *program = needed_of(BT_BANGTIN_EXE), *module = needed_of(BT_VIDEO_MODULE_FILE);
    assert_non_null(strstr(program, "libSDL2")); /* readelf did read it */
    if (strstr(program, "libav") || strstr(program, "libsw"))
        fail_msg("bangtin links FFmpeg:\n%s", program);
    assert_non_null(strstr(module, "libavcodec"));
    assert_non_null(strstr(module, "libavformat"));
    free(program);
    free(module);
#else
    skip(); /* BT_VIDEO_MODULE=OFF: linked in on purpose */
#endif
}

static void a_missing_module_refuses_the_clips_only(void **state)
{
    (void)state;
    char in[600], cmd[2048];
    int status;
    snprintf(in, sizeof in, "%s/../khong-mo-dun", dir);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp '%s/tc.mp4' '%s/'", in, dir, in);
    bt_test_run_ok(cmd);
    /* The video's `video` key on line 7; the text notice on line 5 must pass. */
    write_playlist(in, "  { id = \"chu\"; kind = \"text\"; title = \"Giờ làm việc\"; body = \"Sáng 7:30\"; },\n"
                       "  { id = \"clip\"; kind = \"video\";\n    video = \"tc.mp4\"; }");
    /* Missing: the file named is not there. */
    snprintf(cmd, sizeof cmd,
             "env BANGTIN_VIDEO_MODULE='%s/khong-co.so' " BANGTIN " check '%s' 2>&1", in, in);
    char *out = bt_test_run(cmd, &status);
    assert_non_null(out);
    assert_int_equal(status, 1);
    expect(out, 7, "không nạp được bộ giải mã video của bangtin");
    expect(out, 7, "sudo apt install --reinstall bangtin");
    assert_null(strstr(out, "playlist.cfg:5:"));
    free(out);
    /* Broken: a file that is no module (here the playlist itself). */
    snprintf(cmd, sizeof cmd,
             "env BANGTIN_VIDEO_MODULE='%s/playlist.cfg' " BANGTIN " check '%s' 2>&1", in, in);
    out = bt_test_run(cmd, &status);
    assert_non_null(out);
    assert_int_equal(status, 1);
    expect(out, 7, "không nạp được bộ giải mã video của bangtin");
    free(out);
    /* The same playlist with the module: valid. */
    snprintf(cmd, sizeof cmd, BANGTIN " check '%s' 2>&1", in);
    bt_test_run_ok(cmd);
}

/* Issue 15: a clip's sound plays only on display.audio_device (never the amplifier's output).
 * A video notice with `sound = true` on an appliance config without it would be shown mute, so
 * `check` warns on the notice's line and `doctor` on the active playlist's; neither warns once
 * the device is set, and a warning does not fail `check`. */
static void sound_without_screen_device_is_warned(void **state)
{
    (void)state;
    char in[600], cmd[2400], data[640], cfg[640], cfg_hdmi[640];
    snprintf(in, sizeof in, "%s/../tieng", dir);
    assert_int_equal(mkdir(in, 0755), 0);
    snprintf(cmd, sizeof cmd, "cp '%s/tc-sound.mp4' '%s/'", dir, in);
    bt_test_run_ok(cmd);
    /* The notice with sound on line 5; the muted one, on line 7, is not named. */
    write_playlist(in, "  { id = \"co-tieng\"; kind = \"video\"; video = \"tc-sound.mp4\";\n"
                       "    sound = true; },\n"
                       "  { id = \"khong-tieng\"; kind = \"video\"; video = \"tc-sound.mp4\"; }");
    snprintf(data, sizeof data, "%s/../tieng-data", dir);
    snprintf(cfg, sizeof cfg, "%s/../tieng.cfg", dir);
    snprintf(cfg_hdmi, sizeof cfg_hdmi, "%s/../tieng-hdmi.cfg", dir);
    char text[1400];
    snprintf(text, sizeof text, "data_dir = \"%s\";\n", data);
    assert_int_equal(bt_test_write_file(cfg, text, strlen(text)), 0);
    snprintf(text, sizeof text, "data_dir = \"%s\";\ndisplay = { audio_device = \"HDMI 1\"; };\n",
             data);
    assert_int_equal(bt_test_write_file(cfg_hdmi, text, strlen(text)), 0);

    int status;
    snprintf(cmd, sizeof cmd, BANGTIN " --config '%s' check '%s' 2>&1", cfg, in);
    char *out = bt_test_run(cmd, &status);
    assert_non_null(out);
    if (status != 0)
        fail_msg("a warning failed check:\n%s", out);
    expect(out, 5, "cảnh báo: video \"co-tieng\" có sound = true");
    expect(out, 5, "chưa đặt display.audio_device");
    expect(out, 5, "hoặc đặt sound = false");
    assert_non_null(strstr(out, cfg)); /* the file to edit */
    assert_null(strstr(out, "khong-tieng"));
    free(out);
    snprintf(cmd, sizeof cmd, BANGTIN " --config '%s' check '%s' 2>&1", cfg_hdmi, in);
    out = bt_test_run(cmd, &status);
    assert_non_null(out);
    assert_int_equal(status, 0);
    assert_null(strstr(out, "sound = true"));
    free(out);

    /* doctor, on the same folder made the active playlist */
    snprintf(cmd, sizeof cmd, BANGTIN " --config '%s' activate '%s' 2>&1", cfg, in);
    bt_test_run_ok(cmd);
    snprintf(cmd, sizeof cmd, BANGTIN " --config '%s' doctor 2>&1", cfg);
    out = bt_test_run(cmd, &status);
    assert_non_null(out);
    const char *line = strstr(out, "Tiếng video: ");
    if (!line || !strstr(line, "/playlist.cfg dòng 5: video \"co-tieng\" có sound = true") ||
        !strstr(line, cfg))
        fail_msg("doctor does not warn of the mute clip:\n%s", out);
    assert_null(strstr(out, "khong-tieng"));
    free(out);
    snprintf(cmd, sizeof cmd, BANGTIN " --config '%s' doctor 2>&1", cfg_hdmi);
    out = bt_test_run(cmd, &status);
    assert_non_null(out);
    assert_null(strstr(out, "Tiếng video: "));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_clips_last_their_length),
        cmocka_unit_test(screenshot_at_shows_the_frame_of_that_time),
        cmocka_unit_test(crossfades_have_no_dark_frame),
        cmocka_unit_test(frames_go_into_the_window_as_through_a_texture),
        cmocka_unit_test(check_refuses_bad_clips),
        cmocka_unit_test(a_decoder_crash_refuses_the_file_not_the_caller),
        cmocka_unit_test(playing_live_drops_only_frames_passed_over),
        cmocka_unit_test(a_clip_started_mid_way_drops_nothing),
        cmocka_unit_test(the_program_links_no_ffmpeg),
        cmocka_unit_test(a_missing_module_refuses_the_clips_only),
        cmocka_unit_test(sound_without_screen_device_is_warned),
    };
    /* As the screen tests do: no hidden OpenGL window (its driver's leaks are not ours). */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    assert_int_equal(SDL_InitSubSystem(SDL_INIT_VIDEO), 0);
    int rc = cmocka_run_group_tests(tests, setup, NULL);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    return rc;
}
