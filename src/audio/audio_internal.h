/* Private to the audio room: the process-wide audio device, decoding to the one PCM format
 * playout uses (SDL for WAV, SDL2_mixer for the compressed formats), and the measurement helpers
 * shared by bt_loudness and the engine. */
#ifndef BT_AUDIO_INTERNAL_H
#define BT_AUDIO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Frames per audio callback: 1024 at 48 kHz is 21 ms, few wake-ups; the start of a session is
 * placed inside the buffer to the frame, so the size does not limit start precision. */
#define BT_AUDIO_BUFFER_FRAMES 1024

/* Starts SDL's audio subsystem (once more: SDL counts), on its "dummy" driver with use_dummy
 * whatever SDL_AUDIODRIVER says. 0, or -1 with a reason in err. */
int bt_audio_sdl_init(bool use_dummy, char *err, size_t err_size);
/* Opens SDL's audio subsystem and the device in BT_AUDIO_RATE / S16 / stereo (SDL converts for
 * the hardware), with SDL alone. use_dummy opens SDL's "dummy" driver whatever SDL_AUDIODRIVER
 * says: a device that never reaches a speaker. 0, or -1 with a reason in err. */
int bt_audio_device_open(const char *device, bool use_dummy, char *err, size_t err_size);
void bt_audio_device_close(void);
/* Installs the engine's renderer on the device (NULL removes it); it gets the buffer silent. */
void bt_audio_device_hook(void (*callback)(void *, uint8_t *, int), void *udata);
/* The engine says a session is (or is no longer) about to sound or sounding: decodes that pass
 * wait_quiet wait meanwhile. */
void bt_audio_device_set_sounding(bool on);
/* The SDL driver in use ("alsa", "pulseaudio", "disk", "dummy" …); "" if closed. */
const char *bt_audio_device_driver(void);

/* Decoded stereo S16 at BT_AUDIO_RATE (bytes of it) folded to mono into *pcm (malloc'd, caller
 * frees), refused when empty or longer than max_seconds. name is only used in messages. */
int bt_audio_fold_mono(const int16_t *stereo, size_t bytes, const char *name, int max_seconds,
                       int16_t **pcm, size_t *frames, char *err, size_t err_size);

/* SDL2_mixer (mixer.c; in the audio module on the appliance), always under decode.c's lock:
 * a mixer opened in the device's format on SDL's dummy driver, and the decoding of a compressed
 * file (OGG, MP3, FLAC, OPUS) through it into mono. Never in a process with the engine's device. */
int bt_audio_mix_open(char *err, size_t err_size);
void bt_audio_mix_close(void);
int bt_audio_mix_decode(const unsigned char *data, size_t len, const char *name,
                        int max_seconds, int16_t **pcm, size_t *frames, char *err,
                        size_t err_size);

/* Room for the module's sentence for staff (a path and what to do). */
#define BT_AUDIO_MODULE_MESSAGE_BYTES 1024
#ifdef BT_AUDIO_MODULE
/* Opens the audio module (audio_module.h) once, the first time it is needed. 0, or -1 with the
 * Vietnamese sentence for staff in err (missing, broken, another version); every later call
 * gives the same answer. */
int bt_audio_module_load(char *err, size_t err_size);
#else
/* Linked into the program (bangtin.exe, the staff tools): nothing to open. */
static inline int bt_audio_module_load(char *err, size_t err_size)
{
    (void)err;
    (void)err_size;
    return 0;
}
#endif

/* Reads a whole file of at most limit bytes into *data (malloc'd, caller frees). */
int bt_audio_read_file(const char *path, size_t limit, unsigned char **data, size_t *len,
                       char *err, size_t err_size);

/* SDL2_mixer's test for a WAV: "RIFF" or "WAVE" first. */
bool bt_audio_is_wav(const unsigned char *data, size_t len);

/* Decodes an audio file held in memory to mono signed 16-bit at BT_AUDIO_RATE (*pcm malloc'd,
 * caller frees). Thread-safe. A WAV needs no device; a compressed file a dummy mixer opened for
 * the call (refused in a process with the engine's device: see decode_elsewhere in bt_audio.h),
 * and with wait_quiet first waits until no session is sounding. Rejects audio longer than max_seconds
 * (before decoding when the format says its length). name is only used in messages. */
int bt_audio_decode(const unsigned char *data, size_t len, const char *name, int max_seconds,
                    bool wait_quiet, int16_t **pcm, size_t *frames, char *err,
                    size_t err_size);

/* A WAV file (the child's decode of a compressed item) loaded as bt_audio_decode loads a WAV,
 * with SDL alone; name (the item) is the one messages give. */
int bt_audio_decode_wav_file(const char *path, const char *name, int max_seconds, int16_t **pcm,
                             size_t *frames, char *err, size_t err_size);

/* Loudness of decoded mono PCM as it airs on both channels (BS.1770 dual mono). Peaks are
 * linear-scale dB; silence gives -HUGE_VAL. 0 or -1 (no memory). */
int bt_audio_measure_mono(const int16_t *pcm, size_t frames, double *lufs,
                          double *sample_peak_dbfs, double *true_peak_dbtp);
double bt_audio_sample_peak_dbfs(const int16_t *pcm, size_t frames);
/* Multiplies in place by gain_db (clamped to the 16-bit range; -HUGE_VAL mutes). */
void bt_audio_apply_gain(int16_t *pcm, size_t frames, double gain_db);

/* Lowercase hex SHA-256 (libsodium) into hex[65]. -1 if libsodium cannot start. */
int bt_audio_sha256_hex(const void *data, size_t len, char *hex);

#endif
