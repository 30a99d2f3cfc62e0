/* Loads a playlist directory from disk: reads playlist.cfg, probes its images (exists, stays
 * inside the directory, decodable, sane size) and runs the core validator. */
#ifndef BT_PLAYLIST_LOAD_H
#define BT_PLAYLIST_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_diag.h"
#include "bt_playlist.h"

/* 0 on success with *out filled; -1 with every problem in diags and *out empty. */
int bt_playlist_load(const char *dir, bt_playlist *out, bt_diags *diags);
/* The same, but images are checked from their headers and chunk structure without decoding
 * them (the screen decodes each one when it shows it, and skips one that fails). For the kiosk's
 * start: decoding every image first would delay the first frame (budget 0.2 s); `check`,
 * `activate` and USB import decode everything.
 *
 * Lenient about images, and only about them: an image that is missing, broken or refused by the
 * probe is a warning in diags (naming the notice and the file) and its notice is kept with
 * `unavailable` set, so the kiosk shows the other notices and still airs the broadcasts; every
 * other problem fails the load as in bt_playlist_load. bt_playlist_load stays strict: a missing
 * file is an error for `check`, `pack` and import. */
int bt_playlist_load_for_display(const char *dir, bt_playlist *out, bt_diags *diags);

/* How bt_playlist_load_ex reads a playlist (zeroed: as bt_playlist_load_for_display, strict). */
typedef struct {
    bool decode_images; /* decode every image (check, pack, activate, import) */
    /* `check`: *out keeps whatever validated, also when there are errors (bt_playlist_validate),
     * so the later stages (audio, the ward's limits, the screen) run on it. */
    bool keep_partial;
    /* The screen's fonts (bt_ui_glyph_probe): every character of every text is checked
     * against them. Zeroed: not checked (the kiosk's own start, which must not refuse what
     * was imported). */
    bt_glyph_probe glyphs;
} bt_playlist_load_options;

/* What became of a load beyond its diagnostics. */
typedef enum {
    BT_LOAD_VALID = 0,     /* no error */
    BT_LOAD_INVALID = -1,  /* read and validated, with errors (*out partial with keep_partial) */
    BT_LOAD_UNREAD = -2    /* playlist.cfg missing, unreadable, or a syntax error stopped the
                            * parse: nothing after it was checked, *out is empty */
} bt_load_status;

/* The load every other one is: reads DIR/playlist.cfg, probes its images and validates it as
 * the options say; every problem in diags. *out is filled on BT_LOAD_VALID, and on
 * BT_LOAD_INVALID with keep_partial; otherwise left empty. */
bt_load_status bt_playlist_load_ex(const char *dir, const bt_playlist_load_options *options,
                                   bt_playlist *out, bt_diags *diags);

typedef enum { BT_IMAGE_UNKNOWN, BT_IMAGE_PNG, BT_IMAGE_JPEG } bt_image_format;

/* false in the staff tools' build without SDL (BT_KIOSK=OFF): decode_images then checks each
 * image from its header and structure only, and `check` says the decode was left to the
 * appliance. */
bool bt_playlist_load_decodes_images(void);

/* What the image probe of both loads decides from a file's bytes, data[0..len), before any
 * decode: the format from its header, the size it declares (PNG IHDR, JPEG's first SOFn) and
 * whether it is whole (every PNG chunk inside the data up to IEND; a JPEG's EOI marker in its
 * last 4 KiB). BT_ASSET_OK: a whole PNG or JPEG whose sides are 1..BT_MAX_IMAGE_SIDE;
 * BT_ASSET_TOO_LARGE: more than INT32_MAX bytes, or a side declared larger than
 * BT_MAX_IMAGE_SIDE (the other not 0); BT_ASSET_UNDECODABLE otherwise. *format is what the
 * header says (BT_IMAGE_UNKNOWN for neither, or for too many bytes); *width and *height the
 * declared size, 0 when unknown. The probe reads the file, calls this, then decodes what it
 * passed (bt_playlist_load only). */
bt_asset_status bt_image_header_check(const unsigned char *data, size_t len,
                                      bt_image_format *format, uint32_t *width, uint32_t *height);

/* One image file outside a playlist (the ward's logo, issue 14) checked as the load checks a
 * notice's: a regular file, not a symlink (BT_ASSET_UNSAFE_PATH), at most
 * BT_MAX_IMAGE_FILE_BYTES (BT_ASSET_TOO_LARGE), the header probe above, then decoded where the
 * build has a decoder. *format, *width and *height as the header says, the size as decoded. */
bt_asset_status bt_image_file_check(const char *path, bt_image_format *format, int *width,
                                    int *height);

#endif
