/* Measuring broadcast audio once, at load: hash of the bytes, decode, EBU R128 integrated
 * loudness and peaks, and the silence in the same decoded signal. The hash and the decode read
 * the same bytes in memory, so the hash in the airing log is the hash of what was measured and
 * aired. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ebur128.h>

#include "bangtin/bt_diag.h"
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

double bt_loudness_gain_db(double measured_lufs, double peak_dbfs, double target_lufs,
                           double ceiling_dbfs)
{
    if (!isfinite(measured_lufs))
        return 0.0;
    double gain = target_lufs - measured_lufs;
    if (isfinite(peak_dbfs) && peak_dbfs + gain > ceiling_dbfs)
        gain = ceiling_dbfs - peak_dbfs;
    return gain;
}

static int measure_bytes(const unsigned char *data, size_t len, const char *path,
                         bt_loudness *out, char *err, size_t err_size)
{
    int16_t *pcm = NULL;
    size_t frames = 0;
    if (bt_audio_decode(data, len, path, BT_MAX_AUDIO_ITEM_SECONDS, true, &pcm, &frames, err,
                        err_size) != 0)
        return -1;

    double lufs, sample_peak, true_peak;
    int rc = bt_audio_measure_mono(pcm, frames, &lufs, &sample_peak, &true_peak);
    /* Silence from the same decoded signal: a second pass over memory, not a second decode. */
    if (rc == 0)
        rc = bt_silence_measure(pcm, frames, BT_AUDIO_RATE, bt_silence_threshold_dbfs(lufs),
                                &out->silence);
    free(pcm);
    if (rc != 0) {
        bt_set_error(err, err_size, "Không đủ bộ nhớ để đo độ lớn tệp âm thanh “%s”.", path);
        return -1;
    }
    if (!isfinite(lufs) || lufs < BT_LOUDNESS_SILENCE_LUFS) {
        bt_set_error(err, err_size,
                "Tệp âm thanh “%s” chỉ có im lặng (độ lớn dưới %.0f LUFS), không thể phát.", path,
                BT_LOUDNESS_SILENCE_LUFS);
        return -1;
    }
    out->integrated_lufs = lufs;
    out->sample_peak_dbfs = sample_peak;
    out->true_peak_dbtp = true_peak;
    out->duration_seconds = (double)frames / BT_AUDIO_RATE;
    return 0;
}

int bt_loudness_measure(const char *path, bt_loudness *out, char *err, size_t err_size)
{
    memset(out, 0, sizeof(*out));
    if (!path || !path[0]) {
        bt_set_error(err, err_size, "Chưa chỉ định tệp âm thanh.");
        return -1;
    }
    unsigned char *data = NULL;
    size_t len = 0;
    if (bt_audio_read_file(path, BT_MAX_AUDIO_FILE_BYTES, &data, &len, err, err_size) != 0)
        return -1;
    bt_loudness result;
    memset(&result, 0, sizeof(result));
    int rc = -1;
    if (bt_audio_sha256_hex(data, len, result.sha256) != 0)
        bt_set_error(err, err_size, "Không tính được mã SHA-256 của “%s” (libsodium).", path);
    else if (measure_bytes(data, len, path, &result, err, err_size) == 0)
        rc = 0;
    free(data);
    if (rc == 0)
        *out = result;
    return rc;
}

int bt_loudness_measure_item(const char *dir, bt_broadcast_item *item, char *err,
                             size_t err_size)
{
    /* A text bulletin airs its render (speech_path), a recorded item its file in dir. */
    char path[BT_MAX_PATH_BYTES * 2];
    if (!dir || !item || (!item->text && (!item->audio || !item->audio[0]))) {
        bt_set_error(err, err_size, "Mục phát thanh không có tệp âm thanh.");
        return -1;
    }
    if (bt_broadcast_item_file(dir, item, path, sizeof path) != 0) {
        bt_set_error(err, err_size, item->text ? "Văn bản chưa được đọc thành âm thanh."
                                               : "Đường dẫn tệp âm thanh quá dài.");
        return -1;
    }
    bt_loudness l;
    if (bt_loudness_measure(path, &l, err, err_size) != 0)
        return -1;
    snprintf(item->sha256, sizeof(item->sha256), "%s", l.sha256);
    item->duration_seconds = l.duration_seconds;
    item->loudness_lufs = l.integrated_lufs;
    item->silence = l.silence;
    return 0;
}
