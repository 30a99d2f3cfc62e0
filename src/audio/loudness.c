/* Measuring broadcast audio once, at load: hash of the bytes, decode, EBU R128 integrated
 * loudness and peaks, and the silence in the same decoded signal. The hash and the decode read
 * the same bytes in memory, so the hash in the airing log is the hash of what was measured and
 * aired. The BS.1770 measurement itself is libebur128's (loudness_r128.c, in the audio module on
 * the appliance). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_diag.h"
#include "bangtin/bt_audio.h"
#include "bangtin/bt_loudness.h"
#include "audio_internal.h"

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
    char why[BT_AUDIO_MODULE_MESSAGE_BYTES];
    if (bt_audio_module_load(why, sizeof why) != 0) { /* libebur128 measures */
        bt_set_error(err, err_size, "Không đo được độ lớn tệp âm thanh “%s”: %s", path, why);
        return -1;
    }
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
