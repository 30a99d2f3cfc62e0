/* A video notice's own sound in the running kiosk (kiosk_sound.h). */
#include "kiosk_sound.h"

#include <stdio.h>
#include <string.h>

#include <SDL2/SDL.h>

#include "bangtin/bt_limits.h"
#include "bangtin/bt_log.h"

/* Why the clips' sound cannot go to device without reaching the amplifier, or NULL when it can. */
static const char *amplifier_output(const bt_config *cfg, char *why, size_t size)
{
    const char *screen = cfg->display_audio_device, *amp = cfg->broadcast_audio_device;
    if (!screen[0]) {
        snprintf(why, size, "display.audio_device trống: video có \"sound = true\" chiếu không "
                 "tiếng (tiếng video không bao giờ ra ampli loa phường) — đặt display.audio_device "
                 "là đầu ra của màn hình (HDMI), xem \"bangtin doctor\"");
        return why;
    }
    if (amp[0] && strcmp(screen, amp) == 0) {
        snprintf(why, size, "display.audio_device trùng broadcast.audio_device (\"%s\", ampli "
                 "loa phường): video chiếu không tiếng — chọn đầu ra của màn hình (HDMI)", screen);
        return why;
    }
    char *name = NULL;
    SDL_AudioSpec spec;
    bool default_is_screen = false;
    if (!amp[0] && SDL_GetDefaultAudioInfo(&name, &spec, 0) == 0) {
        default_is_screen = strcmp(name, screen) == 0;
        SDL_free(name);
    }
    if (default_is_screen) {
        snprintf(why, size, "display.audio_device (\"%s\") là thiết bị mặc định, mà "
                 "broadcast.audio_device trống nên ampli loa phường cũng dùng thiết bị mặc định: "
                 "video chiếu không tiếng — đặt broadcast.audio_device là đầu ra của ampli",
                 screen);
        return why;
    }
    return NULL;
}

static void open_output(kiosk_sound *ks, const bt_config *cfg)
{
    char err[512];
    ks->out = bt_screen_sound_open(cfg->display_audio_device, err, sizeof err);
    if (!ks->out) {
        snprintf(ks->why_silent, sizeof ks->why_silent, "%.400s: video chiếu không tiếng", err);
        bt_log_warn("Tiếng video: %s", ks->why_silent);
        ks->said = true;
        return;
    }
    bt_log_info("Tiếng video (sound = true) ra \"%s\", tắt khi loa phường phát.",
                cfg->display_audio_device);
}

void kiosk_sound_open(kiosk_sound *ks, const bt_config *cfg)
{
    ks->opened = true;
    if (!amplifier_output(cfg, ks->why_silent, sizeof ks->why_silent))
        open_output(ks, cfg);
    kiosk_sound_show(ks, ks->notice, ks->dir, ks->clip_ms, ks->since);
}

void kiosk_sound_close(kiosk_sound *ks)
{
    bt_screen_sound_close(ks->out);
    memset(ks, 0, sizeof *ks);
}

void kiosk_sound_show(kiosk_sound *ks, const bt_notice *n, const char *dir, long long clip_ms,
                      bt_mono_ns since)
{
    ks->notice = n;
    if (n != NULL && dir != ks->dir)
        snprintf(ks->dir, sizeof ks->dir, "%s", dir ? dir : "");
    ks->clip_ms = clip_ms;
    ks->since = since;
    if (!ks->opened)
        return;
    bool wants = n && n->kind == BT_NOTICE_VIDEO && n->sound && n->video && clip_ms > 0;
    if (!wants || !ks->out) {
        if (wants && !ks->said) {
            bt_log_warn("Tiếng video: %s", ks->why_silent);
            ks->said = true;
        }
        bt_screen_sound_stop(ks->out);
        return;
    }
    char path[BT_MAX_PATH_BYTES * 2 + 2];
    if (!dir || !dir[0]) /* as the screen opens it (screen.c) */
        snprintf(path, sizeof path, "%s", n->video);
    else
        snprintf(path, sizeof path, "%s/%s", dir, n->video);
    bt_screen_sound_play(ks->out, path, clip_ms, n->loop, since);
}
