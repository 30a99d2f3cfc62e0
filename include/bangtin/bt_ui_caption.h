/* Where the lobby screen shows a bulletin's captions (issue 14, item 8): the words spoken on the
 * loudspeaker, one phrase at a time (bt_caption.h paces them).
 *
 * The caption sits on a plate directly above the bottom band that says "ĐANG PHÁT: <title>",
 * across the screen (in landscape up to the corner column, whose QR code stays whole and
 * scannable; in portrait over the whole corner band, rather than cutting its QR code), in the
 * band's own colours (the ticker's pair, whose
 * contrast the config holds at 7:1 or more): band and caption read as one block, the loudspeaker's
 * strip grown upwards, while the notice above goes on. The plate has room for two lines in
 * landscape and three in portrait at BT_CAPTION_TEXT_PX (large enough to read from the back of a
 * lobby, larger than body text), in bold, centred as subtitles are; a phrase that needs more lines
 * is set smaller, never below the legibility floor, and never cut (a phrase holds at most
 * BT_CAPTION_MAX_CHARS characters). The plate's size does not change from phrase to phrase, so
 * the words below it never jump. Pure geometry: no SDL. */
#ifndef BT_UI_CAPTION_H
#define BT_UI_CAPTION_H

#include "bt_layout.h"

/* The caption's size at 1080 px of the short side: above the body text (40-56 px) and the
 * banner's title, as for a line that must be read while it is spoken. */
#define BT_CAPTION_TEXT_PX 64
/* Lines the plate holds: the width of a landscape screen takes a phrase in two, a portrait one
 * in three. */
#define BT_CAPTION_LINES_LANDSCAPE 2
#define BT_CAPTION_LINES_PORTRAIT 3
/* Space above and below the lines inside the plate, at 1080 px of the short side. */
#define BT_CAPTION_PAD_PX 18

typedef struct {
    bt_rect plate;        /* everything the caption paints, opaque (w = 0: no caption) */
    bt_layout_text text;  /* the phrase, lines centred; its box inside the plate */
} bt_layout_caption;

/* Lays out the caption for text (one phrase, NFC) in the frame: plate.w = 0 for NULL or "".
 * text.text points into `text`. 0, or -1 if measuring failed. */
int bt_layout_caption_build(const bt_layout_frame *frame, const bt_layout_fonts *fonts,
                            const char *text, bt_layout_caption *out);

#endif
