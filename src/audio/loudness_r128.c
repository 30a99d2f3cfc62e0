/* EBU R128 / BS.1770 loudness with libebur128: decoded items (bt_audio_measure_mono) and any
 * PCM (bt_loudness_of_pcm). In the audio module on the appliance (audio_module.h): only the
 * measuring child and the staff's commands load libebur128, never the kiosk for its lobby. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <ebur128.h>

#include "bangtin/bt_audio.h"
#include "bangtin/bt_loudness.h"
#include "audio_internal.h"

/* One BS.1770 gating block: 400 ms. */
#define SHORTEST_MEASURABLE_FRAMES (BT_AUDIO_RATE * 4 / 10)


static double linear_to_db(double v)
{
    return v > 0 ? 20.0 * log10(v) : -HUGE_VAL;
}

/* Feeds pcm to an initialised state in slices, so a long file needs no second copy. */
static int feed(ebur128_state *st, const int16_t *pcm, size_t frames, int channels)
{
    const size_t slice = 65536;
    for (size_t done = 0; done < frames; done += slice) {
        size_t n = frames - done < slice ? frames - done : slice;
        if (ebur128_add_frames_short(st, pcm + done * (size_t)channels, n) != EBUR128_SUCCESS)
            return -1;
    }
    return 0;
}

/* BS.1770 gates in 400 ms blocks, so a shorter sound (a chime, a jingle) would measure as
 * silence. It is fed repeated up to a second instead: a repetition has the loudness of the
 * sound itself. */
static int feed_looped(ebur128_state *st, const int16_t *pcm, size_t frames)
{
    if (frames == 0 || frames >= SHORTEST_MEASURABLE_FRAMES)
        return feed(st, pcm, frames, 1);
    for (size_t fed = 0; fed < BT_AUDIO_RATE; fed += frames)
        if (feed(st, pcm, frames, 1) != 0)
            return -1;
    return 0;
}

int bt_audio_measure_mono(const int16_t *pcm, size_t frames, double *lufs,
                          double *sample_peak_dbfs, double *true_peak_dbtp)
{
    *lufs = -HUGE_VAL;
    *sample_peak_dbfs = -HUGE_VAL;
    *true_peak_dbtp = -HUGE_VAL;
    ebur128_state *st = ebur128_init(1, BT_AUDIO_RATE, EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK);
    if (!st)
        return -1;
    /* One mono signal on two loudspeaker channels counts twice (BS.1770 dual mono). */
    double sample_peak = 0, true_peak = 0, global = -HUGE_VAL;
    int rc = -1;
    if (ebur128_set_channel(st, 0, EBUR128_DUAL_MONO) == EBUR128_SUCCESS &&
        feed_looped(st, pcm, frames) == 0 &&
        ebur128_loudness_global(st, &global) == EBUR128_SUCCESS &&
        ebur128_sample_peak(st, 0, &sample_peak) == EBUR128_SUCCESS &&
        ebur128_true_peak(st, 0, &true_peak) == EBUR128_SUCCESS) {
        *lufs = global;
        *sample_peak_dbfs = linear_to_db(sample_peak);
        *true_peak_dbtp = linear_to_db(true_peak);
        rc = 0;
    }
    ebur128_destroy(&st);
    return rc;
}

int bt_loudness_of_pcm(const int16_t *pcm, size_t frames, int channels, int rate, double *lufs,
                       double *peak_dbfs)
{
    *lufs = -HUGE_VAL;
    *peak_dbfs = -HUGE_VAL;
    if ((!pcm && frames > 0) || channels < 1 || channels > 2 || rate <= 0)
        return -1;
    ebur128_state *st = ebur128_init((unsigned)channels, (unsigned long)rate,
                                     EBUR128_MODE_I | EBUR128_MODE_SAMPLE_PEAK);
    if (!st)
        return -1;
    int rc = -1;
    double global = -HUGE_VAL, peak = 0;
    if (feed(st, pcm, frames, channels) == 0 &&
        ebur128_loudness_global(st, &global) == EBUR128_SUCCESS) {
        rc = 0;
        for (int c = 0; c < channels; c++) {
            double p = 0;
            if (ebur128_sample_peak(st, (unsigned)c, &p) != EBUR128_SUCCESS)
                rc = -1;
            if (p > peak)
                peak = p;
        }
        *lufs = global;
        *peak_dbfs = linear_to_db(peak);
    }
    ebur128_destroy(&st);
    return rc;
}

