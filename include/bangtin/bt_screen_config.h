/* What the lobby screen is configured with (colours, fonts, ticker), apart from the screen
 * itself (bt_screen.h): the configuration and the theme's contrast checks use it in builds
 * without SDL too (the staff tools, BT_KIOSK=OFF). */
#ifndef BT_SCREEN_CONFIG_H
#define BT_SCREEN_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

typedef struct { uint8_t r, g, b; } bt_rgb;

/* What the corner panel shows besides the portal QR, or in its place when a notice brings its
 * own QR (issue 14; config key corner.shows). */
typedef enum {
    BT_CORNER_NEXT_SESSION = 0, /* the loudspeaker session on air or next today, else hotline */
    BT_CORNER_HOTLINE,          /* the ward's hotline only */
    BT_CORNER_NOTHING           /* the portal QR alone, as before */
} bt_corner_shows;

typedef struct {
    const char *ward_name;       /* "UBND phường Bạch Mai" */
    const char *portal_url;      /* corner QR, e.g. "https://dichvucong.gov.vn" */
    const char *portal_caption;  /* under the corner QR */
    const char *font_regular;    /* TTF paths with full Vietnamese coverage */
    const char *font_bold;
    bt_rgb background, foreground, accent;
    bt_rgb header_background, header_foreground;
    bt_rgb ticker_background, ticker_foreground;
    int min_text_px;             /* legibility floor for body text at 1080 px of the short side */
    bool ticker_enabled;
    int ticker_speed_px;         /* pixels per second at 1080 px of the short side */
    int transition_ms;           /* crossfade length; 0 = cut */
    /* Issue 14 (appended): the corner panel's information block. */
    bt_corner_shows corner_shows;
    const char *hotline;         /* the ward's hotline, "024 3869 0000"; NULL or "" = none */
    /* Issue 14 (appended): the ward's logo, a PNG checked when the config was loaded, drawn in
     * the header (both) and beside the hotline in the corner; NULL or "" = none. */
    const char *ward_logo;
} bt_screen_config;

#endif
