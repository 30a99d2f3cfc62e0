/* The appliance configuration (bangtin.cfg, libconfig). Every key is described once in a table
 * (type, range, default, help); the same table validates a parsed file, fills the defaults and
 * prints the reference (`bangtin config`). Unknown keys are errors, not silence. */
#ifndef BT_CONFIG_H
#define BT_CONFIG_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bt_broadcast.h"
#include "bt_diag.h"
#include "bt_display_schedule.h"
#include "bt_limits.h"
#include "bt_screen_config.h"
#include "bt_tree.h"

#define BT_CONFIG_NAME_BYTES 256
/* A ward trusts one or two keys; mount roots are a handful of directories. */
#define BT_CONFIG_MAX_PATHS 8

/* The embedded default of ward_name: names no real ward (an appliance shipped unconfigured must
 * not call itself some ward's), reads as a plain heading, and is what `bangtin doctor` flags as
 * not yet set. */
#define BT_CONFIG_WARD_NAME_UNSET "UBND phường"

typedef struct {
    char paths[BT_CONFIG_MAX_PATHS][BT_MAX_PATH_BYTES];
    size_t count;
} bt_config_paths;

typedef struct {
    char ward_name[BT_CONFIG_NAME_BYTES]; /* BT_CONFIG_WARD_NAME_UNSET until the installer sets it */
    char ward_logo[BT_MAX_PATH_BYTES];    /* PNG in the header (issue 14); "" = none. Relative
                                           * in the file: made absolute from its folder at load */
    char data_dir[BT_MAX_PATH_BYTES];
    int display_width, display_height;  /* 0 = the display's own size */
    char display_orientation[16];       /* "auto" | "landscape" | "portrait" */
    bool display_fullscreen;
    char display_renderer[16];          /* "auto" | "software" | "accelerated" */
    char portal_url[BT_MAX_URL_BYTES];
    char portal_caption[BT_MAX_CAPTION_BYTES];
    char corner_shows[16];               /* "next_session" | "hotline" | "none" (issue 14) */
    char hotline[BT_CONFIG_NAME_BYTES];  /* the ward's hotline shown in the corner; "" = none */
    bt_rgb theme_background, theme_foreground, theme_accent;
    bt_rgb theme_header_background, theme_header_foreground;
    bt_rgb theme_ticker_background, theme_ticker_foreground;
    char font_regular[BT_MAX_PATH_BYTES]; /* "" = the bundled Noto Sans */
    char font_bold[BT_MAX_PATH_BYTES];
    int min_text_px;
    bool ticker_enabled;
    int ticker_speed;
    int transition_ms;
    char broadcast_windows[128];          /* "05:30-07:00,16:30-18:30" */
    int broadcast_max_sessions_per_day;
    int broadcast_max_session_minutes;
    char broadcast_chime[BT_MAX_PATH_BYTES]; /* "" = the bundled chime */
    char broadcast_amp_on_command[BT_MAX_PATH_BYTES];
    int broadcast_amp_warmup_ms;
    char broadcast_amp_off_command[BT_MAX_PATH_BYTES];
    char broadcast_audio_device[BT_CONFIG_NAME_BYTES];
    int broadcast_volume;
    int broadcast_loudness_target;       /* LUFS */
    bt_config_paths trusted_keys;        /* public key files (.pub) trusted for USB packages */
    bt_config_paths usb_mount_roots;     /* where the OS mounts sticks */
    bool usb_require_signature;
    int usb_keep_playlists;              /* content store keeps the last N playlists */
    char log_level[8];                   /* "debug" | "info" | "warn" | "error" */
    /* Staff panel (issue 5; appended). */
    char panel_key[32];                  /* SDL key name that opens it, e.g. "F12" */
    char panel_pin[16];                  /* digits; "" = the panel is disabled */
    int panel_timeout_seconds;           /* closes after this long without input */
    /* Dead air in items (issue 11; appended; bt_silence_limits). */
    int broadcast_silence_end_max_seconds;   /* longer at an end: warning; 0 = not checked */
    int broadcast_silence_inside_max_seconds; /* longer inside: warning; 0 = not checked */
    int broadcast_silent_max_percent;        /* more of the item silent: refused */
    /* Permitted days and where the limits were written (issue 11; appended). */
    char broadcast_weekdays[32];             /* "T2-T6"; "" = every day */
    int broadcast_windows_line, broadcast_weekdays_line; /* 0 = the default */
    char file_name[64];                      /* the config file's name, for messages */
    /* The báo cáo's masthead, signature and nơi nhận (issue 13; appended; bt_report_document). */
    char report_issuer[BT_CONFIG_NAME_BYTES];   /* "" = "Ủy ban nhân dân " + the ward */
    char report_parent[BT_CONFIG_NAME_BYTES];
    char report_place[128];                     /* "" = the ward's name without "phường" */
    char report_symbol[32];
    char report_signer[BT_CONFIG_NAME_BYTES];   /* lines split by '/' */
    char report_signer_name[128];
    char report_recipients[512];                /* split by ';' */
    char device_label[128];                     /* "Máy bảng tin sảnh Một cửa"; "" = none */
    /* A stick without a trusted signature (issue 12; appended): BT_CONFIG_USB_UNSIGNED_REFUSE
     * or BT_CONFIG_USB_UNSIGNED_PIN (staff approve it on the screen with panel.pin). */
    char usb_unsigned[8];
    /* When the display is on (issue 14; appended; bt_display_schedule.h): "" = always. */
    char display_on[BT_DISPLAY_SCHEDULE_TEXT_BYTES];
    /* The screen's own sound output, for video notices with `sound = true` (issue 15;
     * appended): "" = none, clips stay silent. Never the amplifier's (broadcast_audio_device). */
    char display_audio_device[BT_CONFIG_NAME_BYTES];
} bt_config;

#define BT_CONFIG_USB_UNSIGNED_REFUSE "refuse"
#define BT_CONFIG_USB_UNSIGNED_PIN "pin"
/* Does the appliance ask for the PIN to approve a stick without a trusted signature? */
static inline bool bt_config_usb_asks_pin(const bt_config *cfg)
{
    return strcmp(cfg->usb_unsigned, BT_CONFIG_USB_UNSIGNED_PIN) == 0;
}

/* Fills every key with its default. */
void bt_config_defaults(bt_config *cfg);
/* Applies a parsed file on top of the defaults; every problem goes to diags with `file` and
 * line. Returns 0 if there was no error. */
int bt_config_apply_tree(bt_config *cfg, const bt_node *root, const char *file, bt_diags *diags);
/* Reads and applies a file (defaults first). */
int bt_config_load(bt_config *cfg, const char *path, bt_diags *diags);
/* Prints the reference of every key: name, type, range, default, help. */
void bt_config_print_reference(FILE *out);
/* A bt_screen_config view of cfg (strings point into cfg; font paths resolved to the bundled
 * fonts when empty). */
void bt_config_screen(const bt_config *cfg, bt_screen_config *out);
/* The ward's loudspeaker limits as the scheduler takes them. */
void bt_config_broadcast_limits(const bt_config *cfg, bt_broadcast_limits *out);
/* The display's schedule (display.on) as the kiosk keeps it. */
void bt_config_display_schedule(const bt_config *cfg, bt_display_schedule *out);
/* The chime file: the configured one, or the bundled assets/chime.wav. Returns buf. */
const char *bt_config_chime_path(const bt_config *cfg, char *buf, size_t size);
/* The read-only data folder (fonts, assets, the demo playlist): $BANGTIN_SHARE_DIR, else
 * share/bangtin beside the program's bin folder (installed or the build tree), else the
 * installed prefix's. Static storage. */
const char *bt_config_share_dir(void);
/* Directory of the bundled assets: $BANGTIN_ASSET_DIR, else the share folder's assets. */
const char *bt_config_asset_dir(void);
/* Directory of the bundled fonts: $BANGTIN_FONT_DIR, else the share folder's fonts. */
const char *bt_config_font_dir(void);

#endif
