/* Speaking a text bulletin (audio room): the words of bt_speech_text.h, read by libespeak-ng's
 * Vietnamese voice, into a WAV file that airs like any recorded item.
 *
 * The render is made once, when its playlist is activated (the app keeps it in the content
 * store under bt_speech_key), never while a session waits for it. What is written is what airs:
 * silence at both ends trimmed to BT_SPEECH_EDGE_SECONDS, and the level brought to the
 * loudspeaker's loudness target (BS.1770 dual mono, as bt_loudness measures), with a look-ahead
 * limiter holding peaks under BT_SPEECH_PEAK_CEILING_DBFS so the target is met rather than cut
 * short by playout's peak ceiling. `bangtin speak` writes the same file for staff to listen to.
 *
 * Threads: any; renders are serialised (espeak-ng keeps one global engine). A render reads
 * nothing but the text and espeak-ng's data, writes nothing but path (through
 * path + ".<pid>.tmp", fsync'd, then renamed). */
#ifndef BT_SPEECH_H
#define BT_SPEECH_H

#include <stddef.h>

#include "bt_sha256.h"
#include "bt_speech_text.h"

/* Silence left before the first and after the last word: enough that the words do not start on
 * the chime's tail, short of anything a listener hears as a gap. */
#define BT_SPEECH_EDGE_SECONDS 0.25
/* Sample peak of a render: playout's ceiling is -1 dBFS (BT_LOUDNESS_PEAK_CEILING_DBFS) after
 * resampling to 48 kHz, whose overshoot on speech stays well under a dB; -2 leaves that room, so
 * playout never has to turn a render down below the target. */
#define BT_SPEECH_PEAK_CEILING_DBFS (-2.0)
/* Renders land within this of the target (the issue asks for ±1 LU). */
#define BT_SPEECH_LOUDNESS_TOLERANCE_LU 0.3

typedef struct {
    double duration_seconds;
    double integrated_lufs;        /* BS.1770 dual mono, at the render's own rate */
    double sample_peak_dbfs;
    double lead_silence_seconds;   /* before the first word, after trimming */
    double tail_silence_seconds;   /* after the last word */
    int sample_rate;               /* espeak-ng's (22 050 Hz) */
    double synthesis_seconds;      /* wall time espeak-ng took */
    char sha256[BT_SHA256_HEX_SIZE]; /* of the WAV file's bytes */
} bt_speech_result;

/* Renders text (as staff wrote it; bt_speech_text_normalise is applied here) with p to a 16-bit
 * mono WAV at path. 0 with *out, or -1 with a Vietnamese reason in err (espeak-ng or its
 * Vietnamese voice missing, a text that reads as nothing or longer than
 * BT_MAX_AUDIO_ITEM_SECONDS, the file not writable); path is then untouched. out may be NULL. */
int bt_speech_render(const char *text, const bt_speech_params *p, const char *path,
                     bt_speech_result *out, char *err, size_t err_size);

/* The version of libespeak-ng in use ("1.51"), for `bangtin speak` and doctor; "" if unknown. */
const char *bt_speech_engine_version(void);

#endif
