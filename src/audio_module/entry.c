/* The audio module's one exported function (audio/audio_module.h): the table of audio/mixer.c,
 * audio/loudness_r128.c and audio/speech.c, compiled into bangtin-audio.so with every other
 * symbol hidden, so nothing in it can be confused with the program's own functions. */
#include "audio_internal.h"
#include "audio_module.h"

#include "bangtin/bt_loudness.h"

static const bt_audio_module table = {
    .abi = BT_AUDIO_MODULE_ABI,
    .mix_open = bt_audio_mix_open,
    .mix_close = bt_audio_mix_close,
    .mix_decode = bt_audio_mix_decode,
    .measure_mono = bt_audio_measure_mono,
    .loudness_of_pcm = bt_loudness_of_pcm,
    .speech_render = bt_speech_render,
    .speech_engine_version = bt_speech_engine_version,
};

/* Declared here, not in a header: the program reaches it by name through dlsym only. */
__attribute__((visibility("default"))) const bt_audio_module *bt_audio_module_get(unsigned abi);

const bt_audio_module *bt_audio_module_get(unsigned abi)
{
    return abi == BT_AUDIO_MODULE_ABI ? &table : NULL;
}
