/* The content store's index in the appliance database (store room). Playlists imported from
 * USB live under data_dir/content: every file once, named by its SHA-256 (objects/), and each
 * playlist as a directory of hard links to them (playlists/<key>/), which is what the kiosk
 * loads. These tables say what is kept; the usb room does the disk work and asks the index
 * what may be deleted. Activation and history stay in the `playlists` table of bt_store.h.
 *
 * Every function takes a store opened by the calling thread (one connection per thread). */
#ifndef BT_CONTENT_STORE_H
#define BT_CONTENT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_playlist.h"
#include "bt_limits.h"
#include "bt_proof.h"
#include "bt_store.h"
#include "bt_time.h"

/* 64 hex digits of a SHA-256, plus NUL. */
#define BT_CONTENT_HASH_SIZE 65
/* The id of an Ed25519 key as staff see it: 16 hex digits, plus NUL. */
#define BT_CONTENT_SIGNER_SIZE 17

/* One imported playlist. */
typedef struct {
    char key[BT_CONTENT_HASH_SIZE];   /* SHA-256 of its signed MANIFEST; names its directory */
    char id[BT_MAX_ID_BYTES + 1];
    int version;
    char title[BT_MAX_TITLE_BYTES + 1];
    char dir[BT_MAX_PATH_BYTES];      /* the materialised directory (absolute path) */
    int notices, items;               /* notices and broadcast items, for messages */
    char signer[BT_CONTENT_SIGNER_SIZE]; /* key id that signed it; "" = unsigned */
    bt_wall imported_at;
    bool rolled_back;                 /* `rollback` left it; it is not a rollback target */
    int64_t last_activation;          /* playlists.activation of its latest activation; 0 none */
    bool active;                      /* it is the active playlist */
    /* Staff approved it with the PIN (usb.unsigned = "pin") at this time; 0 = it was signed by a
     * trusted key (or activated by other means). Read: of its latest activation. */
    bt_wall pin_approved_at;
} bt_content_playlist;

/* One file of an imported playlist. Strings are borrowed for the call. */
typedef struct {
    const char *path;                 /* relative to the playlist directory */
    const char *sha256;               /* object name */
    uint64_t size;
} bt_content_file;

/* In ONE transaction, durably (synchronous=FULL): records the playlist, its files and any new
 * objects (if the playlist is not already known), clears its rolled_back mark, marks the
 * playlist that was active as rolled back when rolling_back is true, makes p the active
 * playlist (a new `playlists` row; the previous one stays in history), and records what the
 * loaded playlist `model` brings to reports (its targets and notices, as bt_store_activate does;
 * NULL: nothing). Nothing changes on failure. p->dir must be the directory the kiosk will load. */
int bt_content_activate(bt_store *s, const bt_content_playlist *p, const bt_content_file *files,
                        size_t file_count, bt_wall now, bool rolling_back,
                        const bt_playlist *model);

/* The stored playlist with this key: 1 and *out, 0 if unknown, -1 on error. */
int bt_content_get(bt_store *s, const char *key, bt_content_playlist *out);
/* The stored playlist that is active now: 1, 0 (none active, or the active one was not imported
 * into the content store, e.g. `bangtin activate DIR`), -1 on error. */
int bt_content_active(bt_store *s, bt_content_playlist *out);
/* Where `rollback` goes: the most recently activated stored playlist that is not the active one
 * and not rolled back. 1 and *out, 0 if there is none, -1 on error. */
int bt_content_rollback_target(bt_store *s, bt_content_playlist *out);
/* Every stored playlist, latest activation first. *out malloc'd (caller frees). */
int bt_content_list(bt_store *s, bt_content_playlist **out, size_t *count);

/* Is this object (or directory key) in the index? 1, 0, -1 on error. Used to sweep debris. */
int bt_content_has_object(bt_store *s, const char *sha256);
int bt_content_has_playlist(bt_store *s, const char *key);

/* Keeps the `keep` most recently activated playlists (the active one always) and forgets the
 * others, their files, and every object no kept playlist uses, in one transaction. The caller
 * then deletes from disk what is returned: *keys (directories) and *objects, each a malloc'd
 * array of malloc'd strings (free with bt_content_free_strings). 0 or -1 (nothing forgotten). */
int bt_content_prune(bt_store *s, int keep, char ***keys, size_t *key_count, char ***objects,
                     size_t *object_count);
void bt_content_free_strings(char **list, size_t count);

/* Screen proof of play of the days [first, last] (local days, inclusive), by day then playlist
 * then notice, for the log export on the stick. *rows malloc'd (caller frees). 0 or -1. */
int bt_store_impressions_list(bt_store *s, bt_day first, bt_day last, bt_proof_row **rows,
                              size_t *count);

#endif
