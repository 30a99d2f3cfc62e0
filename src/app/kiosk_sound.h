/* A video notice's own sound in the running kiosk (issue 15, item 2): which output it goes to,
 * and what the screen's output is told each turn — the clip showing with `sound = true` and
 * where it began, or silence; ducked while the loudspeaker is on air. The output itself is the
 * ui room's (bt_screen_sound.h). */
#ifndef BT_APP_KIOSK_SOUND_H
#define BT_APP_KIOSK_SOUND_H

#include <stdbool.h>

#include "bangtin/bt_config.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_screen_sound.h"
#include "bangtin/bt_time.h"

typedef struct {
    bool opened;              /* kiosk_sound_open ran (after the first frame) */
    bt_screen_sound *out;     /* NULL: clips stay silent (no screen output configured or usable) */
    char why_silent[512];     /* why out is NULL, said once when a clip asks for sound */
    bool said;
    /* What shows, kept from before the output opened (the first notice is picked before the
     * first frame, the output opened after it), so its sound starts with the output. */
    const bt_notice *notice;
    char dir[BT_MAX_PATH_BYTES];
    long long clip_ms;
    bt_mono_ns since;
} kiosk_sound;

/* Opens the screen's output (display.audio_device) once the loudspeaker's is open: never the
 * amplifier's, so an empty display.audio_device, the same name as broadcast.audio_device, or —
 * broadcast.audio_device empty — the system's default output (the amplifier's then) leaves
 * clips silent, and the log says so. */
void kiosk_sound_open(kiosk_sound *ks, const bt_config *cfg);
void kiosk_sound_close(kiosk_sound *ks);
/* The screen now shows notice n (NULL: none, or the screen asleep) of the playlist in dir, its
 * clip clip_ms long (0: none plays), from `since` on. n must stay valid until the next call
 * (the kiosk's playlist). */
void kiosk_sound_show(kiosk_sound *ks, const bt_notice *n, const char *dir, long long clip_ms,
                      bt_mono_ns since);

#endif
