/* Text bulletins in the app room (issue 11, item 5): where renders are kept, rendering what is
 * missing, and `bangtin speak`.
 *
 * A text item airs a WAV rendered by bt_speech_render. Renders live in the content store, in
 * data_dir/content/speech/<bt_speech_key>.wav: the same text rendered the same way (voice, rate,
 * rules, loudness target) is one file, found again by its key, whichever playlist or stick it
 * came on. They are made at activation — `import` (stick or command), `activate`, `run
 * --playlist` — so no session waits for synthesis; the kiosk only looks them up, and its
 * measuring thread renders one that has gone missing before the plan may air. After an import
 * has pruned the content store, renders no kept playlist reads are deleted with them.
 *
 * Commands that must not change the appliance (check, simulate, screenshot, pack, run on an
 * office PC) use a temporary cache: a render already in the store is used, anything else is
 * rendered into a folder of their own and removed when they finish. */
#ifndef BT_APP_SPEECH_H
#define BT_APP_SPEECH_H

#include <stdbool.h>
#include <stddef.h>

#include "bt_app.h"
#include "bt_broadcast.h"
#include "bt_diag.h"
#include "bt_limits.h"
#include "bt_speech.h"
#include "bt_speech_text.h"

struct bt_cli_args;

/* Under data_dir/content (BT_USB_CONTENT_DIR). */
#define BT_SPEECH_STORE_DIR "speech"
/* A render in a child process gets this long: espeak-ng speaks about ten times faster than
 * real time here, so 15 minutes of speech (the longest item) renders in ~90 s. */
#define BT_SPEECH_TIMEOUT_MS 300000

typedef struct {
    char dir[BT_MAX_PATH_BYTES];     /* where new renders go */
    char store[BT_MAX_PATH_BYTES];   /* the store's folder looked in first; "" = dir is it */
    bool temporary;                  /* dir is removed (with its renders) by close */
    bt_speech_params params;
    size_t rendered, found;          /* counts since open, for messages and figures */
    double render_seconds;           /* wall time spent rendering since open */
} bt_speech_cache;

/* The content store's folder of renders under data_dir into buf. 0, or -1 if it does not fit. */
int bt_speech_store_folder(const char *data_dir, char *buf, size_t size);
/* The content store's cache under data_dir, made if missing (speech_store.c: the appliance
 * only). 0, or -1 with err. */
int bt_speech_cache_open(bt_speech_cache *c, const char *data_dir, int loudness_target_lufs,
                         char *err, size_t err_size);
/* A temporary cache that also reads the store's under data_dir (if there is one). */
int bt_speech_cache_open_temporary(bt_speech_cache *c, const char *data_dir,
                                   int loudness_target_lufs, char *err, size_t err_size);
/* Removes a temporary cache's folder and renders; the store's is left as it is. */
void bt_speech_cache_close(bt_speech_cache *c);

/* Where the render of text is kept in the cache's own folder. 0, or -1 if it does not fit. */
int bt_speech_cache_path(const bt_speech_cache *c, const char *text, char *buf, size_t size);

/* One text item: finds its render (the store's folder, then the cache's) or renders it, and
 * sets item->speech_path. Recorded items are left alone. 0, or -1 with a Vietnamese err. */
int bt_speech_cache_item(bt_speech_cache *c, bt_broadcast_item *item, char *err,
                         size_t err_size);
/* Every text item of b; each failure is an error at the item's line in diags. 0 if none. */
int bt_speech_cache_items(bt_speech_cache *c, bt_broadcasts *b, bt_diags *d);
/* A check's speaking (check, pack, activate): when b has text items, opens a temporary cache in
 * c (reading the store's under data_dir) and speaks them, each failure an error in diags; the
 * caller measures what was spoken and closes c. True if c was opened (close it), false if
 * nothing was to be spoken or the cache could not be made (said in diags). */
bool bt_speech_cache_speak_for_check(bt_speech_cache *c, const char *data_dir,
                                     int loudness_target_lufs, bt_broadcasts *b, bt_diags *d);
/* Sets every text item's speech_path to where its render is kept, rendering nothing. */
int bt_speech_cache_locate(const bt_speech_cache *c, bt_broadcasts *b);

/* Deletes from the store's folder every render that no playlist the appliance keeps reads: the
 * content store's (the last usb.keep_playlists imports) and the active one, at the cache's
 * loudness target. Called after an import has pruned the content store, so renders go with the
 * playlists that used them; one needed again (a playlist activated from a folder, a changed
 * target) is simply spoken again. Renders being written (.tmp) are left alone, unless older than
 * any render may take (debris of a crash). Returns how many files were deleted, or -1 when the
 * store could not be read (nothing is deleted then). */
struct bt_store;
int bt_speech_cache_prune(bt_speech_cache *c, struct bt_store *store);

/* bt_usb_speak_fn over a bt_speech_cache (ctx): the import speaks into the content store. */
int bt_speech_cache_speak(void *ctx, bt_broadcast_item *item, char *err, size_t err_size);

/* bt_speech_render in a child process (`bangtin speak --file - --machine`), as audio is
 * measured (bt_measure_isolated.h): the synthesiser's memory and any crash on a text from a
 * stick stay out of the kiosk. In-process while no executable is set (tests). */
int bt_speech_render_isolated(const char *text, const bt_speech_params *p, const char *path,
                              bt_speech_result *out, char *err, size_t err_size);

/* `bangtin speak "TEXT" -o FILE.wav` (or --file TEXT.txt): what the appliance will air for a
 * text item, for staff to hear before the stick leaves the office. */
int bt_cmd_speak(bt_app *app, const struct bt_cli_args *a);

#endif
