/* Loudness of broadcast audio (EBU R128 / ITU-R BS.1770 through libebur128) and the content hash
 * of the file, measured once when a playlist is loaded. The figures describe the item exactly as
 * playout will send it: decoded by SDL2_mixer, resampled to BT_AUDIO_RATE, folded to mono and
 * sent identically on both output channels (loudspeaker systems are mono). So the gain
 * target − integrated_lufs brings the aired item to the target.
 *
 * Threads: any thread, with or without an audio engine open. Decoding borrows SDL2_mixer,
 * which is process-global, so decodes are serialised, and a measurement WAITS while a session
 * is sounding: SDL2_mixer holds the audio device while it decodes OGG/MP3, which would cut the
 * loudspeakers for ~0.1 s per minute of audio. Measure on a worker thread (a playlist loaded
 * during a broadcast is measured after it), never on the thread that polls the engine. */
#ifndef BT_LOUDNESS_H
#define BT_LOUDNESS_H

#include <stddef.h>
#include <stdint.h>

#include "bt_broadcast.h"
#include "bt_sha256.h"
#include "bt_silence.h"

/* Below the BS.1770 absolute gate nothing counts as programme: the file is silence. */
#define BT_LOUDNESS_SILENCE_LUFS (-70.0)
/* Gain never pushes a sample peak above this, which leaves room for inter-sample overs in the
 * amplifier's DAC. */
#define BT_LOUDNESS_PEAK_CEILING_DBFS (-1.0)

typedef struct {
    double integrated_lufs;      /* as aired at unity gain (mono on both channels) */
    double sample_peak_dbfs;     /* highest |sample| of the decoded mono signal */
    double true_peak_dbtp;       /* 4× oversampled peak (BS.1770 annex 2) */
    double duration_seconds;     /* decoded length */
    bt_silence silence;          /* dead air, found in the same decoded signal */
    char sha256[BT_SHA256_HEX_BYTES + 1]; /* of the file's bytes, lowercase hex */
} bt_loudness;

/* Reads the file at path (at most BT_MAX_AUDIO_FILE_BYTES), hashes it, decodes it (WAV, OGG, MP3,
 * FLAC, OPUS) and measures it: loudness, peaks, length and silence (bt_silence_measure at
 * bt_silence_threshold_dbfs of the item's loudness; judging it is the caller's business). Rejects, with a Vietnamese reason in err: unreadable, empty or
 * oversized files, undecodable audio, audio longer than BT_MAX_AUDIO_ITEM_SECONDS, and
 * silence-only audio. 0 on success; -1 with *out zeroed. */
int bt_loudness_measure(const char *path, bt_loudness *out, char *err, size_t err_size);

/* Measures a broadcast item of a playlist loaded from dir (item->audio is relative to it) and
 * fills item->sha256, duration_seconds, loudness_lufs and silence. 0 or -1 with err (item unchanged). */
int bt_loudness_measure_item(const char *dir, bt_broadcast_item *item, char *err,
                             size_t err_size);

/* Integrated loudness and sample peak of interleaved signed 16-bit PCM, channels 1 or 2, each
 * channel weighted 1 (BS.1770 left/right). Tests and benchmarks use it on captured output.
 * Silence gives -HUGE_VAL loudness. 0 or -1 (bad arguments, out of memory). */
int bt_loudness_of_pcm(const int16_t *pcm, size_t frames, int channels, int rate,
                       double *lufs, double *peak_dbfs);

/* The gain in dB that brings measured_lufs to target_lufs, lowered if needed so that
 * peak_dbfs + gain stays at or below ceiling_dbfs. Pure. */
double bt_loudness_gain_db(double measured_lufs, double peak_dbfs, double target_lufs,
                           double ceiling_dbfs);

#endif
