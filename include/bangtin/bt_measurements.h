/* Loudness and silence measurements of broadcast audio, kept in the store so an item is decoded
 * and measured once, when its playlist is first loaded, not at every start of the appliance.
 * Keyed by the file's content hash (SHA-256) and the measuring method, so a renamed or
 * re-copied file is found again and a changed measuring method never reuses old figures. Plain
 * numbers (the silence in core's bt_silence): the store does not know the audio room; the app
 * converts from and to bt_loudness. */
#ifndef BT_MEASUREMENTS_H
#define BT_MEASUREMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "bt_silence.h"
#include "bt_store.h"
#include "bt_time.h"

#define BT_MEASUREMENT_METHOD_BYTES 64

typedef struct {
    char sha256[64 + 1];        /* lowercase hex of the file's bytes */
    char method[BT_MEASUREMENT_METHOD_BYTES + 1]; /* what measured it, e.g. "r128-48k-mono v1" */
    double integrated_lufs;
    double sample_peak_dbfs;
    double true_peak_dbtp;
    double duration_seconds;    /* > 0 */
    bt_wall measured_at;
    bool has_silence;           /* false for rows measured before silence was (schema step 7) */
    bt_silence silence;
} bt_measurement;

/* The measurement of (sha256, method): 1 and *out filled, 0 if none, -1 on error. */
int bt_measurement_get(bt_store *s, const char *sha256, const char *method, bt_measurement *out);
/* The silence figures of this content as last measured by any method (the airing log names
 * content by hash; its rows may predate the current method): 1 and *out, 0 if none has them,
 * -1 on error. */
int bt_measurement_latest_silence(bt_store *s, const char *sha256, bt_measurement *out);
/* Stores (or replaces) a measurement, its silence too when has_silence. 0, or -1 on error or a
 * malformed record. */
int bt_measurement_put(bt_store *s, const bt_measurement *m);

#endif
