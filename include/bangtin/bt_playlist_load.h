/* Loads a playlist directory from disk: reads playlist.cfg, probes its images (exists, stays
 * inside the directory, decodable, sane size) and runs the core validator. */
#ifndef BT_PLAYLIST_LOAD_H
#define BT_PLAYLIST_LOAD_H

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

#endif
