/* Captions of bulletins in the real `bangtin run`, headless (offscreen video, SDL's disk audio
 * driver in real time): a session airs a text bulletin (spoken by espeak-ng) and a recorded item
 * with a transcript whose lines carry time stamps; the kiosk writes the first frame after each
 * change of its caption (BANGTIN_TEST_CAPTION_SHOTS). Each phrase of both items is on screen in
 * order, each when its share of the item's airing begins (bt_caption.h, from the durations the
 * airing log kept; the transcript's at its stamps), and its plate in the frame is, pixel for
 * pixel, the screen's own drawing of that phrase; after the airing the caption is gone and the
 * frame there is the notice again. */
#include "bt_test_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_caption.h"
#include "bangtin/bt_config.h"
#include "bangtin/bt_loudness.h"
#include "bangtin/bt_playlist_load.h"
#include "bangtin/bt_screen.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_ui_stats.h"

#define BANGTIN BT_BANGTIN_EXE
/* Seconds from start to the session: start-up, speaking the bulletin, measuring, the lead. */
#define LEAD_SECONDS 7
#define WIDTH 640
#define HEIGHT 360
/* How late a phrase may come on screen after its share begins: the loop wakes for it on time;
 * this is the audio clock's estimate against the loop's and a turn's work, under sanitizers. */
#define LATE_MS 400
#define RECORDED_SECONDS 7.0

static const char *TEXT = "Kính thưa bà con. Từ thứ Hai tới, Bộ phận Một cửa của phường làm "
                          "việc cả sáng thứ Bảy. Bà con mang theo thẻ căn cước khi đến làm thủ "
                          "tục.";
/* Heard from 0:01 (after a second of tone, as after a jingle); the last line at 0:05. */
static const char *TRANSCRIPT = "[0:01] Thông báo về việc thu gom rác thải.\\nTừ ngày mai, xe "
                                "thu gom rác đến lúc mười chín giờ.\\n[0:05] Bà con để rác đúng "
                                "nơi quy định.";

typedef struct {
    char dir[512];
    char shots[600];
} fixture;

static void write_text(const char *path, const char *text)
{
    assert_int_equal(bt_test_write_file(path, text, strlen(text)), 0);
}

static void make_fixture(fixture *f)
{
    char *dir = bt_test_temp_dir("kiosk-captions");
    assert_non_null(dir);
    snprintf(f->dir, sizeof f->dir, "%s", dir);
    free(dir);
    snprintf(f->shots, sizeof f->shots, "%s/shots", f->dir);
    char path[1200], cmd[2600];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/pl/audio' '%s/data' '%s'", f->dir, f->dir, f->shots);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/pl/audio/rac.wav", f->dir);
    bt_test_span tone = {RECORDED_SECONDS, -20};
    assert_int_equal(bt_test_write_wav(path, &tone, 1), 0);
    char at[32], text[4096];
    bt_time_format_iso((bt_wall)time(NULL) + LEAD_SECONDS, at, sizeof at);
    snprintf(text, sizeof text,
             "id = \"phu-de\";\nversion = 1;\ntitle = \"Phụ đề\";\n"
             "notices = ( { id = \"chao\"; kind = \"text\"; title = \"Xin chào\"; } );\n"
             "broadcasts = {\n"
             "  items = (\n"
             "    { id = \"tin-doc\"; title = \"Lịch làm việc thứ Bảy\"; text = \"%s\"; },\n"
             "    { id = \"tin-rac\"; title = \"Thu gom rác\"; audio = \"audio/rac.wav\";\n"
             "      transcript = \"%s\"; }\n"
             "  );\n"
             "  sessions = ( { id = \"thu\"; name = \"Phiên thử\"; at = [ \"%s\" ];\n"
             "                 items = [ \"tin-doc\", \"tin-rac\" ]; } );\n"
             "};\n",
             TEXT, TRANSCRIPT, at);
    snprintf(path, sizeof path, "%s/pl/playlist.cfg", f->dir);
    write_text(path, text);
    snprintf(path, sizeof path, "%s/bangtin.cfg", f->dir);
    write_text(path, "broadcast = { windows = \"\"; amp_warmup_ms = 0; };\n");
}

/* One line of captions.txt: the shot's number, ms since its item's first sound, the phrase. */
typedef struct {
    int number;
    long long elapsed;
    char text[1024];
} shot;

static size_t read_shots(const fixture *f, shot *out, size_t cap)
{
    char path[700];
    snprintf(path, sizeof path, "%s/captions.txt", f->shots);
    size_t len = 0;
    char *all = bt_test_read_file(path, &len);
    assert_non_null(all);
    size_t n = 0;
    for (char *line = strtok(all, "\n"); line && n < cap; line = strtok(NULL, "\n")) {
        char *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        assert_non_null(tab2);
        out[n].number = atoi(line);
        out[n].elapsed = atoll(tab1 + 1);
        snprintf(out[n].text, sizeof out[n].text, "%s", tab2 + 1);
        n++;
    }
    free(all);
    return n;
}

/* The frame the screen itself draws for the playlist's notice with a caption (NULL: none), in
 * the kiosk's size and theme (the appliance defaults: the config sets only the loudspeaker). */
static Uint32 *reference(const fixture *f, const char *caption, bt_rect *plate)
{
    bt_config cfg;
    bt_screen_config sc;
    bt_config_defaults(&cfg);
    bt_config_screen(&cfg, &sc);
    bt_playlist p;
    bt_diags d;
    bt_diags_init(&d);
    bt_playlist_init(&p);
    char dir[700];
    snprintf(dir, sizeof dir, "%s/pl", f->dir);
    assert_int_equal(bt_playlist_load(dir, &p, &d), 0);
    bt_diags_free(&d);
    SDL_Window *w = SDL_CreateWindow("ref", 0, 0, WIDTH, HEIGHT, SDL_WINDOW_HIDDEN);
    SDL_Renderer *r = w ? SDL_CreateRenderer(w, -1, SDL_RENDERER_SOFTWARE) : NULL;
    assert_non_null(r);
    bt_screen *s = NULL;
    char err[512];
    if (bt_screen_create(r, WIDTH, HEIGHT, &sc, &s, err, sizeof err) != 0)
        fail_msg("%s", err);
    bt_screen_set_playlist(s, &p, dir);
    bt_screen_show(s, 0, false, 0);
    bt_screen_set_caption(s, caption);
    if (caption)
        *plate = bt_screen_caption_plan(s)->plate;
    bt_screen_draw(s, bt_time_from_civil(2026, 11, 23, 9, 5, 0), 0);
    Uint32 *px = malloc((size_t)WIDTH * HEIGHT * 4);
    assert_non_null(px);
    assert_int_equal(SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_ARGB8888, px, WIDTH * 4), 0);
    bt_screen_destroy(s);
    SDL_DestroyRenderer(r);
    SDL_DestroyWindow(w);
    bt_playlist_free(&p);
    return px;
}

/* Pixels of the kiosk's shot that differ from `ref` inside `box`. */
static size_t differing(const fixture *f, int number, const Uint32 *ref, bt_rect box)
{
    char path[700];
    snprintf(path, sizeof path, "%s/caption-%02d.png", f->shots, number);
    SDL_Surface *loaded = IMG_Load(path);
    assert_non_null(loaded);
    SDL_Surface *png = SDL_ConvertSurfaceFormat(loaded, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(loaded);
    assert_non_null(png);
    assert_int_equal(png->w, WIDTH);
    assert_int_equal(png->h, HEIGHT);
    size_t n = 0;
    for (int y = box.y; y < box.y + box.h; y++) {
        const Uint32 *row = (const Uint32 *)((const Uint8 *)png->pixels + (size_t)y * png->pitch);
        for (int x = box.x; x < box.x + box.w; x++)
            n += (row[x] & 0xFFFFFF) != (ref[(size_t)y * WIDTH + x] & 0xFFFFFF);
    }
    SDL_FreeSurface(png);
    return n;
}

/* The durations the log kept for the session's two items, in airing order. */
static void aired(const fixture *f, int64_t ms[2])
{
    char path[700], err[512];
    snprintf(path, sizeof path, "%s/data/bangtin.db", f->dir);
    bt_store *s = NULL;
    if (bt_store_open(path, &s, err, sizeof err) != 0)
        fail_msg("%s", err);
    bt_airing_row *rows = NULL;
    size_t n = 0;
    assert_int_equal(bt_airing_list(s, INT64_MIN, INT64_MAX, &rows, &n), 0);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(rows[i].status, BT_AIRING_COMPLETED);
        ms[i] = rows[i].duration_ms;
    }
    assert_string_equal(rows[0].subject.item_id, "tin-doc");
    free(rows);
    bt_store_close(s);
}

static void captions_follow_the_airing(void **state)
{
    (void)state;
    fixture f;
    make_fixture(&f);
    bt_loudness chime;
    char err[512];
    if (bt_loudness_measure(BT_STAGE_DIR "/assets/chime.ogg", &chime, err, sizeof err) != 0)
        fail_msg("chime: %s", err);
    double duration = LEAD_SECONDS + 2 * chime.duration_seconds + 12 + RECORDED_SECONDS + 3;
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "BANGTIN_TEST_CAPTION_SHOTS='%s' SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=disk "
             "SDL_DISKAUDIOFILE='%s/out.raw' " BANGTIN " --config '%s/bangtin.cfg' "
             "--data '%s/data' run --playlist '%s/pl' --size %dx%d --duration %.1f 2>&1",
             f.shots, f.dir, f.dir, f.dir, f.dir, WIDTH, HEIGHT, duration);
    int status;
    char *out = bt_test_run(cmd, &status);
    assert_non_null(out);
    if (status != 0)
        fail_msg("%s", out);
    free(out);

    /* What each item should show: its words paced over what it aired. */
    int64_t ms[2];
    aired(&f, ms);
    const char *words[2] = {TEXT, NULL};
    char transcript[512];
    snprintf(transcript, sizeof transcript, "%s", TRANSCRIPT);
    for (char *esc; (esc = strstr(transcript, "\\n")) != NULL;) {
        esc[0] = '\n';
        memmove(esc + 1, esc + 2, strlen(esc + 2) + 1);
    }
    words[1] = transcript;
    bt_captions cues[2];
    assert_int_equal(bt_captions_build(words[0], ms[0], &cues[0]), 0);
    assert_int_equal(bt_captions_build_transcript(words[1], ms[1], &cues[1]), 0);
    for (int i = 0; i < 2; i++)
        assert_true(cues[i].count >= 3);
    /* The transcript's stamps hold: nothing before 0:01, its last line at 0:05. */
    assert_int_equal(cues[1].cues[0].from_ms, 1000);
    assert_int_equal(cues[1].cues[cues[1].count - 1].from_ms, 5000);

    shot shots[64];
    size_t n = read_shots(&f, shots, 64);
    size_t item = 0, cue = 0;
    bool gone = false;
    bt_rect last_plate = {0, 0, 0, 0};
    for (size_t k = 0; k < n; k++) {
        const shot *s = &shots[k];
        if (!s->text[0]) {
            /* Gone: between the items (a few ms, if at all) or after the last. */
            assert_true(cue == cues[item].count || (item == 1 && cue == cues[1].count));
            gone = item == 1 && cue == cues[1].count;
            if (gone) {
                /* The notice again where the plate was. */
                assert_true(s->elapsed >= ms[1] - LATE_MS && s->elapsed <= ms[1] + LATE_MS);
                Uint32 *ref = reference(&f, NULL, NULL);
                assert_int_equal(differing(&f, s->number, ref, last_plate), 0);
                free(ref);
            }
            continue;
        }
        if (cue == cues[item].count) {
            item++;
            cue = 0;
            assert_true(item < 2);
        }
        const bt_caption_cue *want = &cues[item].cues[cue];
        if (strcmp(s->text, want->text) != 0)
            fail_msg("shot %d: \"%s\", expected phrase %zu of item %zu: \"%s\"", s->number,
                     s->text, cue, item, want->text);
        print_message("item %zu phrase %zu: due %lld ms, shown at %lld ms\n", item, cue,
                      (long long)want->from_ms, s->elapsed);
        assert_true(s->elapsed <= want->from_ms + LATE_MS);
        assert_true(s->elapsed >= want->from_ms - LATE_MS);
        /* On screen as the screen draws it: the plate, pixel for pixel. */
        bt_rect plate;
        Uint32 *ref = reference(&f, s->text, &plate);
        size_t diff = differing(&f, s->number, ref, plate);
        last_plate = plate;
        if (diff != 0)
            fail_msg("shot %d: %zu pixels of the caption's plate differ", s->number, diff);
        free(ref);
        cue++;
    }
    assert_int_equal(item, 1);
    assert_int_equal(cue, cues[1].count);
    assert_true(gone);
    for (int i = 0; i < 2; i++)
        bt_captions_free(&cues[i]);
}

static int setup(void **state)
{
    (void)state;
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    return SDL_InitSubSystem(SDL_INIT_VIDEO);
}

static int teardown(void **state)
{
    (void)state;
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(captions_follow_the_airing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
