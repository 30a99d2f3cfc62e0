/* The lobby screen's captions of the bulletin on air (issue 14, item 8): the kiosk loop asks
 * each turn which phrase of the item sounding now to show (bt_caption.h paces them over the
 * item's measured duration from its first sound) and hands it to the screen; it is woken again
 * when the next phrase is due. */
#ifndef BT_APP_KIOSK_CAPTION_H
#define BT_APP_KIOSK_CAPTION_H

#include <stdbool.h>
#include <stddef.h>

#include "bangtin/bt_broadcaster.h"
#include "bangtin/bt_caption.h"
#include "bangtin/bt_screen.h"
#include "bangtin/bt_time.h"

typedef struct {
    bt_captions cues;                 /* of the item captioned (count 0: none) */
    const bt_broadcast_item *item;    /* which airing they belong to: the item … */
    bt_mono_ns from;                  /* … and its first sound */
    size_t shown;                     /* the cue on screen, or SIZE_MAX */
    bool changed;                     /* the screen was given another caption this turn */
} kiosk_caption;

void kiosk_caption_init(kiosk_caption *c);
void kiosk_caption_free(kiosk_caption *c);
/* One turn: follows what the broadcaster airs at `now` (NULL broadcaster: nothing) and sets the
 * screen's caption when it changes (then *redraw). Returns the ms until the next phrase is due,
 * or BT_BROADCASTER_IDLE_MS when none is. */
int kiosk_caption_turn(kiosk_caption *c, const bt_broadcaster *b, bt_screen *screen,
                       bt_mono_ns now, bool *redraw);
/* The phrase on screen (NULL: none) and how far `now` is into its item (the last one, once it
 * is gone), in ms. */
const char *kiosk_caption_shown(const kiosk_caption *c, bt_mono_ns now, long long *elapsed_ms);

#endif
