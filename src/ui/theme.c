/* Ink colours and WCAG contrast. */
#include "bangtin/bt_ui_theme.h"

#include <math.h>

/* How far the muted ink (printed URLs) moves from the foreground towards the background. */
#define MUTED_MIX 56
/* The corner panel is the background lifted slightly towards the foreground. */
#define CORNER_MIX 18

/* Plates of the schedule's state labels: light, clearly different hues, so that the label's
 * dark text stays far above 7:1 and the state reads from across the hall; the words are always
 * on the plate too (colour alone never carries the meaning). "đang phát" uses the header's red,
 * like the "ĐANG PHÁT" banner; "sắp phát" is an outline on the background. */
static const bt_rgb SLOT_AIRED_PLATE = {0x9B, 0xE3, 0xA6};   /* green */
static const bt_rgb SLOT_MADE_UP_PLATE = {0xA9, 0xD8, 0xFF}; /* blue */

/* The staff mark's dot: a light amber on a dark plate, a dark one on a light theme's plate,
 * whichever stands out more. */
static const bt_rgb STAFF_DOT_LIGHT = {0xFF, 0xB0, 0x20};
static const bt_rgb STAFF_DOT_DARK = {0x9A, 0x5A, 0x00};

/* The table rule halfway between background and foreground. */
#define RULE_MIX 70

/* Dark text for a light plate: the theme's background when it is dark enough on it, else
 * black or white, whichever contrasts more. */
static bt_rgb text_on(const bt_screen_config *cfg, bt_rgb plate)
{
    bt_rgb black = {0, 0, 0}, white = {255, 255, 255};
    if (bt_ui_contrast(cfg->background, plate) >= BT_UI_MIN_CONTRAST)
        return cfg->background;
    return bt_ui_contrast(black, plate) >= bt_ui_contrast(white, plate) ? black : white;
}

static double channel(uint8_t v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double bt_ui_luminance(bt_rgb c)
{
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

double bt_ui_contrast(bt_rgb a, bt_rgb b)
{
    double la = bt_ui_luminance(a), lb = bt_ui_luminance(b);
    double hi = la > lb ? la : lb, lo = la > lb ? lb : la;
    return (hi + 0.05) / (lo + 0.05);
}

bt_rgb bt_ui_mix(bt_rgb a, bt_rgb b, int t)
{
    bt_rgb out = {(uint8_t)((a.r * (255 - t) + b.r * t + 127) / 255),
                  (uint8_t)((a.g * (255 - t) + b.g * t + 127) / 255),
                  (uint8_t)((a.b * (255 - t) + b.b * t + 127) / 255)};
    return out;
}

bt_rgb bt_ui_ink_text(const bt_screen_config *cfg, bt_ink ink)
{
    switch (ink) {
    case BT_INK_TEXT: return cfg->foreground;
    case BT_INK_ACCENT:
        /* A theme whose accent is too weak for text keeps titles in the foreground colour. */
        return bt_ui_contrast(cfg->accent, cfg->background) >= BT_UI_MIN_CONTRAST ? cfg->accent
                                                                                 : cfg->foreground;
    case BT_INK_MUTED: {
        bt_rgb muted = bt_ui_mix(cfg->foreground, cfg->background, MUTED_MIX);
        return bt_ui_contrast(muted, cfg->background) >= BT_UI_MIN_CONTRAST ? muted
                                                                           : cfg->foreground;
    }
    case BT_INK_HEADER: return cfg->header_foreground;
    case BT_INK_TICKER: return cfg->ticker_foreground;
    case BT_INK_BADGE: return cfg->background;
    case BT_INK_CORNER: return cfg->foreground;
    case BT_INK_SLOT_UPCOMING: return cfg->foreground;
    case BT_INK_SLOT_AIRING: return cfg->header_foreground;
    case BT_INK_SLOT_AIRED: return text_on(cfg, SLOT_AIRED_PLATE);
    case BT_INK_SLOT_MADE_UP: return text_on(cfg, SLOT_MADE_UP_PLATE);
    case BT_INK_COUNT: break;
    }
    return cfg->foreground;
}

bt_rgb bt_ui_ink_ground(const bt_screen_config *cfg, bt_ink ink)
{
    switch (ink) {
    case BT_INK_HEADER: return cfg->header_background;
    case BT_INK_TICKER: return cfg->ticker_background;
    case BT_INK_BADGE: return cfg->accent;
    case BT_INK_CORNER: return bt_ui_corner_background(cfg);
    case BT_INK_SLOT_AIRING: return cfg->header_background;
    case BT_INK_SLOT_AIRED: return SLOT_AIRED_PLATE;
    case BT_INK_SLOT_MADE_UP: return SLOT_MADE_UP_PLATE;
    default: return cfg->background;
    }
}

bt_rgb bt_ui_corner_background(const bt_screen_config *cfg)
{
    bt_rgb tint = bt_ui_mix(cfg->background, cfg->foreground, CORNER_MIX);
    return bt_ui_contrast(cfg->foreground, tint) >= BT_UI_MIN_CONTRAST ? tint : cfg->background;
}

bt_rgb bt_ui_staff_mark_dot(const bt_screen_config *cfg)
{
    bt_rgb plate = bt_ui_ink_ground(cfg, BT_INK_CORNER);
    return bt_ui_contrast(STAFF_DOT_LIGHT, plate) >= bt_ui_contrast(STAFF_DOT_DARK, plate)
               ? STAFF_DOT_LIGHT
               : STAFF_DOT_DARK;
}

bt_rgb bt_ui_table_rule(const bt_screen_config *cfg)
{
    return bt_ui_mix(cfg->background, cfg->foreground, RULE_MIX);
}
