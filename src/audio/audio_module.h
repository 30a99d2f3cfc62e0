/* The audio module (issue 14, item 9): Debian's SDL2_mixer links libfluidsynth with glib, pulse,
 * jack, libsndfile and more, and with libebur128 and libespeak-ng that is ~5 MB of the kiosk's
 * memory that its lobby never uses. So on the appliance SDL2_mixer's decoding of the compressed
 * formats (mixer.c), libebur128's loudness (loudness_r128.c) and libespeak-ng's speech
 * (speech.c) are a shared module of their own, bangtin-audio.so beside the video module
 * (/usr/lib/bangtin), opened on first use: a compressed item about to air (in the session's
 * preparation, never at its deadline), measure, speak, check's audio stage. The program opens
 * the device and decodes WAV with SDL alone (decode.c) and links none of the three. A build with
 * BT_AUDIO_MODULE=OFF (bangtin.exe, the staff tools) links the same files directly.
 *
 * The module and the program come from one build: a table of another ABI is refused. What the
 * module calls of the program is exported by it (src/audio_module/program_symbols.list). */
#ifndef BT_AUDIO_MODULE_H
#define BT_AUDIO_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bangtin/bt_speech.h"

/* Raised whenever the table or a function's meaning changes. */
#define BT_AUDIO_MODULE_ABI 2u
/* The module's one exported function, a bt_audio_module_get_fn. */
#define BT_AUDIO_MODULE_ENTRY "bt_audio_module_get"

typedef struct {
    unsigned abi;
    /* audio_internal.h's bt_audio_mix_*, function for function. */
    int (*mix_open)(char *err, size_t err_size);
    void (*mix_close)(void);
    int (*mix_decode)(const unsigned char *data, size_t len, const char *name, int max_seconds,
                      int16_t **pcm, size_t *frames, char *err, size_t err_size);
    /* audio_internal.h's bt_audio_measure_mono and bt_loudness.h's bt_loudness_of_pcm. */
    int (*measure_mono)(const int16_t *pcm, size_t frames, double *lufs,
                        double *sample_peak_dbfs, double *true_peak_dbtp);
    int (*loudness_of_pcm)(const int16_t *pcm, size_t frames, int channels, int rate,
                           double *lufs, double *peak_dbfs);
    /* bt_speech.h. */
    int (*speech_render)(const char *text, const bt_speech_params *p, const char *path,
                         bt_speech_result *out, char *err, size_t err_size);
    const char *(*speech_engine_version)(void);
} bt_audio_module;

/* The table when abi is the module's own, else NULL. */
typedef const bt_audio_module *(*bt_audio_module_get_fn)(unsigned abi);

#endif
