/* The program's side of the audio module (audio_module.h): opened once, the first time a
 * compressed file, a loudness measurement or a text to speak needs it, and the functions the
 * module holds called through its table. A module that does not open makes each of them fail
 * with the sentence for staff (bt_os_module_open's), and the caller goes on: a session with such
 * an item is logged failed with it, the kiosk keeps running. */
#include <math.h>
#include <stdio.h>

#include "bangtin/bt_diag.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_loudness.h"
#include "bangtin/bt_os.h"
#include "bangtin/bt_speech.h"
#include "audio_internal.h"
#include "audio_module.h"

static const bt_os_module_spec spec = {
    .env_var = "BANGTIN_AUDIO_MODULE",
    .relative = BT_AUDIO_MODULE_RELATIVE,
    .installed = BT_AUDIO_MODULE_INSTALLED,
    .symbol = BT_AUDIO_MODULE_ENTRY,
    .what = "bộ giải mã và đo âm thanh",
    .needs = "thư viện SDL2_mixer, libebur128 hoặc libespeak-ng",
};

static const void *table_of(bt_os_module_fn entry)
{
    return ((bt_audio_module_get_fn)entry)(BT_AUDIO_MODULE_ABI);
}

static bt_os_module_once once = {
    .spec = &spec, .noun = "âm thanh", .table_of = table_of, .log = bt_log_note};

int bt_audio_module_load(char *err, size_t err_size)
{
    return bt_os_module_load(&once, err, err_size) ? 0 : -1;
}

/* The table, opening the module if needed; NULL (with the reason logged once) when it cannot. */
static const bt_audio_module *module(void)
{
    return bt_os_module_load(&once, NULL, 0);
}

/* The mixer's functions are called only after bt_audio_module_load succeeded (decode.c). */
int bt_audio_mix_open(char *err, size_t err_size)
{
    return module()->mix_open(err, err_size);
}

void bt_audio_mix_close(void)
{
    module()->mix_close();
}

int bt_audio_mix_decode(const unsigned char *data, size_t len, const char *name,
                        int max_seconds, int16_t **pcm, size_t *frames, char *err,
                        size_t err_size)
{
    return module()->mix_decode(data, len, name, max_seconds, pcm, frames, err, err_size);
}

int bt_audio_measure_mono(const int16_t *pcm, size_t frames, double *lufs,
                          double *sample_peak_dbfs, double *true_peak_dbtp)
{
    const bt_audio_module *m = module();
    if (!m) {
        *lufs = *sample_peak_dbfs = *true_peak_dbtp = -HUGE_VAL;
        return -1;
    }
    return m->measure_mono(pcm, frames, lufs, sample_peak_dbfs, true_peak_dbtp);
}

int bt_loudness_of_pcm(const int16_t *pcm, size_t frames, int channels, int rate, double *lufs,
                       double *peak_dbfs)
{
    const bt_audio_module *m = module();
    if (!m) {
        *lufs = *peak_dbfs = -HUGE_VAL;
        return -1;
    }
    return m->loudness_of_pcm(pcm, frames, channels, rate, lufs, peak_dbfs);
}

int bt_speech_render(const char *text, const bt_speech_params *p, const char *path,
                     bt_speech_result *out, char *err, size_t err_size)
{
    const bt_audio_module *m = bt_os_module_load(&once, err, err_size);
    if (!m)
        return -1;
    return m->speech_render(text, p, path, out, err, err_size);
}

const char *bt_speech_engine_version(void)
{
    const bt_audio_module *m = module();
    return m ? m->speech_engine_version() : "";
}
