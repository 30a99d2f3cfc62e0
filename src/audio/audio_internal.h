/* Private to the audio room: the process-wide SDL2_mixer instance, decoding to the one PCM
 * format playout uses, and the measurement helpers shared by bt_loudness and the engine. */
#ifndef BT_AUDIO_INTERNAL_H
#define BT_AUDIO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Frames per audio callback: 1024 at 48 kHz is 21 ms, few wake-ups; the start of a session is
 * placed inside the buffer to the frame, so the size does not limit start precision. */
#define BT_AUDIO_BUFFER_FRAMES 1024

/* Opens SDL's audio subsystem and the mixer in BT_AUDIO_RATE / S16 / stereo (SDL converts for
 * the hardware). use_dummy opens SDL's "dummy" driver whatever SDL_AUDIODRIVER says: a mixer
 * that decodes but never reaches a speaker. 0, or -1 with a reason in err. */
int bt_audio_mixer_open(const char *device, bool use_dummy, char *err, size_t err_size);
void bt_audio_mixer_close(void);
/* Installs the engine's renderer as SDL2_mixer's music hook (NULL removes it). */
void bt_audio_mixer_hook(void (*callback)(void *, uint8_t *, int), void *udata);
/* The engine says a session is (or is no longer) about to sound or sounding: decodes that pass
 * wait_quiet wait meanwhile. */
void bt_audio_mixer_set_sounding(bool on);
/* The SDL driver in use ("alsa", "pulseaudio", "disk", "dummy" …); "" if closed. */
const char *bt_audio_mixer_driver(void);

/* Reads a whole file of at most limit bytes into *data (malloc'd, caller frees). */
int bt_audio_read_file(const char *path, size_t limit, unsigned char **data, size_t *len,
                       char *err, size_t err_size);

/* Decodes an audio file held in memory to mono signed 16-bit at BT_AUDIO_RATE (*pcm malloc'd,
 * caller frees). Thread-safe; uses the engine's mixer or opens a dummy one for the call. With
 * wait_quiet it first waits until no session is sounding. Rejects audio longer than max_seconds
 * (before decoding when the format says its length). name is only used in messages. */
int bt_audio_decode(const unsigned char *data, size_t len, const char *name, int max_seconds,
                    bool wait_quiet, int16_t **pcm, size_t *frames, char *err,
                    size_t err_size);

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
