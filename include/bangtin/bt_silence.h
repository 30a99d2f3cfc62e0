/* Dead air in broadcast audio: how long an item is silent before its first sound, after its
 * last, in its longest stretch in between, and in all. Measured once per item from the same
 * decoded signal as its loudness (bt_loudness.h), kept with the measurement in the store, and
 * judged here against the ward's limits (appliance config, `broadcast.silence_*`): long silence
 * at the ends or inside is a warning for staff, an item that is mostly silence is refused.
 * Pure: plain PCM in, plain figures and diagnostics out. */
#ifndef BT_SILENCE_H
#define BT_SILENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_diag.h"

/* The signal is judged in blocks of 50 ms: shorter than a spoken syllable (150–250 ms), so the
 * edges of a pause are placed within a twentieth of a second, and long enough that the RMS of
 * a block covers a whole period of any audible tone (down to 20 Hz), so the trough of a low
 * voice is not taken for a pause. */
#define BT_SILENCE_BLOCK_MS 50
/* A block is silent when its RMS is under −50 dBFS: 34 dB below the default loudness target
 * (−16 LUFS), where a pause sounds like nothing on a street loudspeaker, while the room tone
 * of a voice recorder or phone (−60…−70 dBFS) and a lossy encoder's silence (lower still)
 * are found. */
#define BT_SILENCE_FLOOR_DBFS (-50.0)
/* … or, for an item recorded quietly, under its own integrated loudness minus 30 dB, whichever
 * is lower: the quiet parts of speech (soft consonants, the end of a phrase) sit 20–25 dB under
 * its integrated loudness in 50 ms blocks, so a recording made at −40 LUFS, which playout
 * raises to the target, is not mistaken for silence. */
#define BT_SILENCE_BELOW_LOUDNESS_DB 30.0

typedef struct {
    double leading_seconds;           /* before the first sound (the whole item if silent) */
    double trailing_seconds;          /* after the last sound (the whole item if silent) */
    double longest_inside_seconds;    /* the longest silence between two sounds; 0 if none */
    double longest_inside_at_seconds; /* where it starts, from the item's start */
    double silent_fraction;           /* silent share of the item, 0…1 (ends included) */
} bt_silence;

/* The ward's limits. A limit <= 0 is not enforced. */
typedef struct {
    int end_max_seconds;    /* leading or trailing silence longer than this: warning */
    int inside_max_seconds; /* a silence inside longer than this: warning */
    int max_percent;        /* silent for more than this % of its length: refused */
} bt_silence_limits;

/* The level (dBFS) under which a block of an item with this integrated loudness is silent:
 * BT_SILENCE_FLOOR_DBFS, or integrated − BT_SILENCE_BELOW_LOUDNESS_DB when that is lower
 * (a non-finite loudness gives the floor). */
double bt_silence_threshold_dbfs(double integrated_lufs);

/* Finds the silence in mono signed 16-bit PCM at `rate` Hz: blocks of BT_SILENCE_BLOCK_MS
 * (the last one may be shorter) whose RMS is under threshold_dbfs. 0 with *out, or -1 (bad
 * arguments; *out zeroed). No frames: all figures 0. */
int bt_silence_measure(const int16_t *pcm, size_t frames, int rate, double threshold_dbfs,
                       bt_silence *out);

/* Which limits an item's silence goes over (bt_silence_over): the checks, the journal and
 * `bangtin log` judge alike. */
enum {
    BT_SILENCE_LONG_LEADING = 1,
    BT_SILENCE_LONG_TRAILING = 2,
    BT_SILENCE_LONG_INSIDE = 4,
    BT_SILENCE_MOSTLY_SILENT = 8 /* refused */
};

/* The BT_SILENCE_* flags of the limits this item's silence exceeds, judged on the figures as
 * staff read them (seconds to a tenth, whole percent): "2,0 giây" is never over "2 giây". */
unsigned bt_silence_over(const bt_silence *s, const bt_silence_limits *lim);

/* Whether an item of this length and silence is refused under lim (more than max_percent
 * silent, the percentage rounded as shown). If so and buf is not NULL, the reason in
 * Vietnamese, naming the figures and what to do, without the item's name (the caller says
 * which item): for the airing log's reason and for bt_silence_check. */
bool bt_silence_refused(const bt_silence *s, double duration_seconds,
                        const bt_silence_limits *lim, char *buf, size_t size);

/* Judges one measured item: an error if it is refused, else a warning per limit its silence
 * exceeds (leading, trailing, inside), each naming the item `item_id` and its file `audio`,
 * the figures and the fix, at file:line (where the item is written). Returns -1 if refused,
 * else 0. */
int bt_silence_check(const bt_silence *s, double duration_seconds, const bt_silence_limits *lim,
                     const char *item_id, const char *audio, const char *file, int line,
                     bt_diags *diags);

/* "3,0" (one decimal, the Vietnamese decimal comma); returns buf. */
const char *bt_silence_seconds_text(double seconds, char *buf, size_t size);

#endif
