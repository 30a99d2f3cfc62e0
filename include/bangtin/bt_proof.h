/* Screen proof of play: how many times each notice was shown per local day and for how many
 * seconds. Accumulated in memory by the running kiosk and flushed to the store in batches.
 * Pure bookkeeping: the caller passes the times in. */
#ifndef BT_PROOF_H
#define BT_PROOF_H

#include <stddef.h>
#include <stdint.h>

#include "bt_time.h"

typedef struct {
    char playlist_id[64 + 1];
    char notice_id[64 + 1];
    bt_day day;
    int64_t shows;       /* showings that began on that day */
    double seconds;      /* seconds on screen that fell on that day */
} bt_proof_row;

typedef struct {
    bt_proof_row *rows; /* owned */
    size_t count, capacity;
    char current_playlist[64 + 1];
    char current_notice[64 + 1];
    bt_wall current_since;  /* start of the open showing, or -1 if none */
    bt_wall accounted_until;/* seconds up to here are already in rows */
} bt_proof;

void bt_proof_init(bt_proof *p);
void bt_proof_free(bt_proof *p);
/* The screen now shows notice_id of playlist_id (NULL = idle screen) from time t on. Closes the
 * previous showing at t. Showing the same notice again without a change in between is not a new
 * showing. Returns 0, or -1 on allocation failure (nothing recorded). */
int bt_proof_show(bt_proof *p, const char *playlist_id, const char *notice_id, bt_wall t);
/* Accounts the open showing's seconds up to t (splitting at local midnight) so rows can be
 * flushed without closing it. */
void bt_proof_advance(bt_proof *p, bt_wall t);
/* Rows gathered since the last bt_proof_clear_rows; the caller writes them, then they are cleared. */
size_t bt_proof_pending(const bt_proof *p);
void bt_proof_clear_rows(bt_proof *p);

#endif
