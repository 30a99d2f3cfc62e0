/* Memory of the lobby screen at 1920×1080: the whole process (SDL, fonts, the window's frame
 * buffer, the cached textures of the current and previous notice, the ticker) must peak below
 * 50 MB while every notice is shown with crossfades and the ticker scrolls. Its own executable,
 * so the peak (VmHWM) is this scenario's alone. */
#include "ui_fixture.h"

/* The budget of the issue for the whole process. */
#define PEAK_RSS_BUDGET_KB (50 * 1024)

static long status_kb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    size_t n = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, n) == 0 && line[n] == ':')
            kb = strtol(line + n + 1, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

static void test_peak_rss(void **state)
{
    (void)state;
    ui_fixture f;
    memset(&f, 0, sizeof f);
    ui_video_init();
    ui_config(&f);
    ui_load_playlist(&f.playlist, UI_PLAYLIST_DIR);
    ui_open(&f, 1920, 1080, true);
    free(f.pixels); /* no read-back here: the kiosk never reads pixels */
    f.pixels = NULL;
    bt_wall wall = bt_time_from_civil(2026, 11, 23, 9, 5, 0);
    bt_mono_ns t = 0, frame = 50000000; /* 20 frames a second is enough to walk the fades */
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i <= f.playlist.notice_count; i++) {
            size_t index = i < f.playlist.notice_count ? i : BT_ROTATION_NONE;
            bt_screen_show(f.screen, index, true, t);
            for (int k = 0; k < 16; k++, t += frame) {
                bt_screen_draw(f.screen, wall + (t / 1000000000), t);
                SDL_RenderPresent(f.renderer);
            }
        }
    }
    bt_screen_set_now_playing(f.screen, "Bản tin cải cách hành chính");
    bt_screen_draw(f.screen, wall, t);
    long peak = status_kb("VmHWM");
    ui_close(&f);
    bt_playlist_free(&f.playlist);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    fprintf(stderr, "peak RSS %ld kB (budget %d kB)\n", peak, PEAK_RSS_BUDGET_KB);
    assert_true(peak > 0);
#if defined(__SANITIZE_ADDRESS__)
    skip(); /* sanitizer shadow memory is not the appliance's footprint */
#else
    assert_true(peak < PEAK_RSS_BUDGET_KB);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_peak_rss),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
