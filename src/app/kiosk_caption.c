/* Captions of the bulletin on air (kiosk_caption.h). */
#include "kiosk_caption.h"

#include <stdint.h>
#include <string.h>

#include "bangtin/bt_log.h"

#define NS_PER_MS 1000000LL

void kiosk_caption_init(kiosk_caption *c)
{
    memset(c, 0, sizeof *c);
    c->shown = SIZE_MAX;
}

void kiosk_caption_free(kiosk_caption *c)
{
    bt_captions_free(&c->cues);
    kiosk_caption_init(c);
}

/* A new airing (or none): its phrases, paced over the item's measured duration. */
static void follow(kiosk_caption *c, const bt_broadcast_item *it, bt_mono_ns from)
{
    bt_captions_free(&c->cues);
    c->item = it;
    if (it)
        c->from = from; /* kept after the item: how long ago it began (tests' shots) */
    const char *words = it ? bt_broadcast_item_caption_text(it) : NULL;
    if (!words)
        return;
    int64_t ms = (int64_t)(it->duration_seconds * 1000.0 + 0.5);
    /* A transcript's lines may carry the time they are heard at; a bulletin's text is words. */
    int rc = it->text ? bt_captions_build(words, ms, &c->cues)
                      : bt_captions_build_transcript(words, ms, &c->cues);
    if (rc != 0)
        bt_log_warn("không chia được lời của tin “%s” thành câu để hiện trên màn hình", it->id);
}

int kiosk_caption_turn(kiosk_caption *c, const bt_broadcaster *b, bt_screen *screen,
                       bt_mono_ns now, bool *redraw)
{
    c->changed = false;
    bt_mono_ns from = 0;
    const bt_broadcast_item *it = bt_broadcaster_now_airing(b, &from);
    if (it != c->item || (it && from != c->from))
        follow(c, it, from);
    int64_t elapsed = (now - c->from) / NS_PER_MS;
    /* A first phrase due at the first sound shows from the moment the item is announced, a few
     * ms before it sounds. */
    bool early = elapsed < 0 && c->cues.count && c->cues.cues[0].from_ms == 0;
    size_t at = !c->item ? SIZE_MAX : early ? 0 : bt_captions_at(&c->cues, elapsed);
    if (at != c->shown) {
        c->shown = at;
        c->changed = true;
        bt_screen_set_caption(screen, at != SIZE_MAX ? c->cues.cues[at].text : NULL);
        *redraw = true;
    }
    int64_t next = !c->item ? -1 : bt_captions_next_change(&c->cues, early ? 0 : elapsed);
    if (next < 0 || next > BT_BROADCASTER_IDLE_MS)
        return BT_BROADCASTER_IDLE_MS;
    return next < 1 ? 1 : (int)next;
}

const char *kiosk_caption_shown(const kiosk_caption *c, bt_mono_ns now, long long *elapsed_ms)
{
    *elapsed_ms = (long long)((now - c->from) / NS_PER_MS);
    return c->shown != SIZE_MAX ? c->cues.cues[c->shown].text : NULL;
}
