/* What a new playlist changes against the one playing (core, pure): notices added, removed and
 * changed, loudspeaker sessions added, removed and changed, matched by their ids. Shown to staff
 * before they approve a stick with the PIN (usb.unsigned = "pin") and written on its receipt.
 * Whether an image's bytes changed under the same name is the shell's to say (core opens no
 * file): an injected comparison, or names only. */
#ifndef BT_PLAYLIST_DIFF_H
#define BT_PLAYLIST_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "bt_playlist.h"

/* Names listed per kind of change: a screen shows a few, the counts say the rest. */
#define BT_PLAYLIST_DIFF_MAX_NAMES 4
/* A name as listed (a notice's title or a session's name, cut on a character boundary). */
#define BT_PLAYLIST_DIFF_NAME_BYTES 96

typedef enum {
    BT_DIFF_NOTICES_ADDED,
    BT_DIFF_NOTICES_REMOVED,
    BT_DIFF_NOTICES_CHANGED,
    BT_DIFF_SESSIONS_ADDED,
    BT_DIFF_SESSIONS_REMOVED,
    BT_DIFF_SESSIONS_CHANGED,
    BT_DIFF_KIND_COUNT
} bt_playlist_diff_kind;

typedef struct {
    size_t count[BT_DIFF_KIND_COUNT];
    char names[BT_DIFF_KIND_COUNT][BT_PLAYLIST_DIFF_MAX_NAMES][BT_PLAYLIST_DIFF_NAME_BYTES];
} bt_playlist_diff;

/* Do the files at old_path (of the playing playlist) and new_path (of the new one) hold the
 * same bytes? */
typedef bool (*bt_playlist_same_file_fn)(void *ctx, const char *old_path, const char *new_path);

/* Fills *out. old may be NULL (nothing playing: everything is added). same_file may be NULL:
 * files are then compared by their names only. */
void bt_playlist_diff_compute(const bt_playlist *old, const bt_playlist *new_playlist,
                              bt_playlist_same_file_fn same_file, void *ctx,
                              bt_playlist_diff *out);
/* True when nothing was added, removed or changed. */
bool bt_playlist_diff_empty(const bt_playlist_diff *d);
/* One Vietnamese line for a kind with changes, e.g. "Thông báo thêm (2): «Lịch tiếp dân»,
 * «Giờ làm việc»"; with more than BT_PLAYLIST_DIFF_MAX_NAMES, "… và 3 mục khác". "" when the
 * kind has none. Returns buf. */
const char *bt_playlist_diff_line(const bt_playlist_diff *d, bt_playlist_diff_kind kind,
                                  char *buf, size_t size);

#endif
