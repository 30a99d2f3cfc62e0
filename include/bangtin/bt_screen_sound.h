/* The screen's own sound output (issue 15): a video notice with `sound = true` plays its clip's
 * sound on the lobby display's output (the TV's speakers over HDMI, config display.audio_device),
 * never on the loudspeaker amplifier's (broadcast.audio_device, src/audio). In step with the
 * picture: the screen shows the frame at (now − since) into the clip (again from the start with
 * `loop`), and the sound follows the same clock, set right when it drifts. While a loudspeaker
 * session is on air the sound is ducked to silence with a short fade, and comes back after: the
 * lobby hears the bulletin, not both.
 *
 * An SDL audio device of its own with a callback, and a thread that decodes ahead
 * (bt_ui_video_sound.h); the kiosk only says what shows and whether the loudspeaker is on air. */
#ifndef BT_SCREEN_SOUND_H
#define BT_SCREEN_SOUND_H

#include <stdbool.h>
#include <stddef.h>

#include "bt_time.h"

/* Out of step by more than this, the sound is set right (dropped and taken up again where the
 * picture is): lip sync is noticed beyond about 45 ms late or 125 ms early (ITU-R BT.1359), and
 * a device's buffer (20 ms) comes on top, so 20 + 20 keeps the worst case inside 45 (at 40 the
 * sound was seen 50 ms late). A sound card's clock is off by ~100 ppm: once in several minutes. */
#define BT_SCREEN_SOUND_SYNC_MS 20
/* The duck's fade, and the fade at a clip's start and end: short, so the bulletin's chime is
 * never heard over the clip, but no click. */
#define BT_SCREEN_SOUND_FADE_MS 250

typedef struct bt_screen_sound bt_screen_sound;

/* Opens the output named device (SDL's name, as `bangtin doctor` lists them; with SDL's disk
 * driver, the file written) and starts its thread, silent. NULL with a Vietnamese message in
 * err. */
bt_screen_sound *bt_screen_sound_open(const char *device, char *err, size_t err_size);
void bt_screen_sound_close(bt_screen_sound *s); /* NULL is fine */
/* The clip at path (clip_ms long) shows from `since` on (CLOCK_MONOTONIC): its sound plays in
 * step with it. The same clip and since again changes nothing. */
void bt_screen_sound_play(bt_screen_sound *s, const char *path, long long clip_ms, bool loop,
                          bt_mono_ns since);
/* Nothing with sound shows: fades out. */
void bt_screen_sound_stop(bt_screen_sound *s);
/* A loudspeaker session is on air (true) or not. */
void bt_screen_sound_duck(bt_screen_sound *s, bool on_air);

/* What the output does, for the log and the tests. */
typedef struct {
    bool playing;              /* a clip's sound is asked for */
    bool ducked;
    double gain;               /* 0..1 as the last callback left it */
    unsigned long resyncs;     /* times it was set right (drift, a late decode, a start) */
    unsigned long underruns;   /* callbacks that found nothing decoded */
} bt_screen_sound_view;
void bt_screen_sound_view_get(bt_screen_sound *s, bt_screen_sound_view *out);

#endif
