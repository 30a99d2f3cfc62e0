/* The process-wide audio device and decoding. The device is opened with SDL alone, in the one
 * format playout uses (48 kHz, S16, stereo, converted by SDL for the hardware), and calls the
 * engine's renderer. WAV (the chime, spoken bulletins, WAV items) is decoded with SDL alone too,
 * the way SDL2_mixer loads a WAV (SDL_LoadWAV_RW, then SDL_BuildAudioCVT/SDL_ConvertAudio to
 * that format), so the samples are the same as before. Only the compressed formats need
 * SDL2_mixer (mixer.c, in the audio module on the appliance: audio_module.h), and SDL2_mixer
 * decodes only through a mixer with an open device, which a process without the engine's device
 * opens on SDL's dummy driver for each such decode. A process with the engine's device keeps it
 * SDL's for its whole run (reopening the amplifier's device is a risk, and SDL2_mixer would stay
 * mapped all day): it never decodes a compressed file itself; its engine has a child process do
 * it into a WAV of the device's format (bt_audio_config.decode_elsewhere, the child's side
 * bt_audio_decode_to_wav). Decoded audio is folded to mono: the ward's loudspeakers are one
 * channel, and half the memory for a long session.
 *
 * SDL2_mixer holds the audio device's lock while it decodes a compressed file (measured: a
 * 40-second OGG blocks the audio callback for ~110 ms, an audible dropout), and it is not safe
 * to decode from two threads at once. So every such decode takes one process-wide lock and waits
 * while a session is sounding; the engine marks that span with bt_audio_device_set_sounding. */
#include <errno.h>
#include <pthread.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <SDL2/SDL.h>
#include <sodium.h>

#include "bangtin/bt_diag.h"
#include "bangtin/bt_audio.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_loudness.h"
#include "bangtin/bt_vi.h"
#include "audio_internal.h"

/* Guards everything below and every use of SDL2_mixer outside the audio callback. */
static pthread_mutex_t device_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t quiet = PTHREAD_COND_INITIALIZER; /* signalled when sounding ends */
static bool device_open;       /* the engine's device, SDL's for the whole run */
static SDL_AudioDeviceID device_id;
static char device_name[256];  /* as asked for; "" for SDL's default */
static bool sounding;
static char device_driver[32];
/* The engine's renderer. Read by the callback under SDL's device lock, written under it. */
static void (*hook_fn)(void *, uint8_t *, int);
static void *hook_udata;

/* SDL calls this with an unfilled buffer (SDL2_mixer filled it with silence before its hook). */
static void device_callback(void *udata, Uint8 *stream, int len)
{
    (void)udata;
    memset(stream, 0, (size_t)len); /* S16: silence is 0 */
    if (hook_fn)
        hook_fn(hook_udata, stream, len);
}

static int open_sdl_device(char *err, size_t err_size)
{
    SDL_AudioSpec want, have;
    memset(&want, 0, sizeof want);
    want.freq = BT_AUDIO_RATE;
    want.format = AUDIO_S16SYS;
    want.channels = BT_AUDIO_CHANNELS;
    want.samples = BT_AUDIO_BUFFER_FRAMES;
    want.callback = device_callback;
    /* No changes allowed: SDL converts for the hardware, as SDL2_mixer's open asked it to. */
    device_id = SDL_OpenAudioDevice(device_name[0] ? device_name : NULL, 0, &want, &have, 0);
    if (device_id == 0) {
        bt_set_error(err, err_size, "không mở được thiết bị âm thanh: %s",
                     bt_vi_library_error(SDL_GetError()));
        return -1;
    }
    SDL_PauseAudioDevice(device_id, 0);
    return 0;
}

int bt_audio_sdl_init(bool use_dummy, char *err, size_t err_size)
{
    /* An override beats the SDL_AUDIODRIVER environment variable; reset right after so a later
     * open for a real device sees the environment again. */
    if (use_dummy)
        SDL_SetHintWithPriority(SDL_HINT_AUDIODRIVER, "dummy", SDL_HINT_OVERRIDE);
    int rc = SDL_InitSubSystem(SDL_INIT_AUDIO);
    if (use_dummy)
        SDL_ResetHint(SDL_HINT_AUDIODRIVER);
    if (rc != 0) {
        bt_set_error(err, err_size, "không khởi động được âm thanh SDL: %s",
                     bt_vi_library_error(SDL_GetError()));
        return -1;
    }
    return 0;
}

static int open_locked(const char *device, bool use_dummy, char *err, size_t err_size)
{
    if (device_open) {
        bt_set_error(err, err_size, "Bộ trộn âm thanh đã được mở.");
        return -1;
    }
    if (device && strlen(device) >= sizeof device_name) {
        bt_set_error(err, err_size, "không mở được thiết bị âm thanh: tên thiết bị quá dài");
        return -1;
    }
    snprintf(device_name, sizeof device_name, "%s", device ? device : "");
    if (bt_audio_sdl_init(use_dummy, err, err_size) != 0)
        return -1;
    if (open_sdl_device(err, err_size) != 0) {
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return -1;
    }
    const char *driver = SDL_GetCurrentAudioDriver();
    snprintf(device_driver, sizeof(device_driver), "%s", driver ? driver : "");
    device_open = true;
    return 0;
}

static void close_locked(void)
{
    if (!device_open)
        return;
    SDL_CloseAudioDevice(device_id);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
    device_open = false;
    device_id = 0;
    hook_fn = NULL;
    hook_udata = NULL;
    device_driver[0] = '\0';
}

int bt_audio_device_open(const char *device, bool use_dummy, char *err, size_t err_size)
{
    pthread_mutex_lock(&device_lock);
    int rc = open_locked(device, use_dummy, err, err_size);
    pthread_mutex_unlock(&device_lock);
    return rc;
}

void bt_audio_device_close(void)
{
    pthread_mutex_lock(&device_lock);
    close_locked();
    pthread_mutex_unlock(&device_lock);
}

void bt_audio_device_hook(void (*callback)(void *, Uint8 *, int), void *udata)
{
    pthread_mutex_lock(&device_lock);
    if (!device_open) {
        pthread_mutex_unlock(&device_lock);
        return;
    }
    SDL_LockAudioDevice(device_id);
    hook_fn = callback;
    hook_udata = udata;
    SDL_UnlockAudioDevice(device_id);
    pthread_mutex_unlock(&device_lock);
}

void bt_audio_device_set_sounding(bool on)
{
    pthread_mutex_lock(&device_lock);
    sounding = on;
    if (!on)
        pthread_cond_broadcast(&quiet);
    pthread_mutex_unlock(&device_lock);
}

const char *bt_audio_device_driver(void)
{
    return device_driver; /* written only while the engine opens, on its own thread */
}

int bt_audio_read_file(const char *path, size_t limit, unsigned char **data, size_t *len,
                       char *err, size_t err_size)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        bt_set_error(err, err_size, "Không mở được tệp âm thanh “%s”: %s", path,
                     bt_vi_errno(errno).text);
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        bt_set_error(err, err_size, "“%s” không phải là một tệp âm thanh.", path);
        goto fail;
    }
    if ((uint64_t)st.st_size > limit) {
        bt_set_error(err, err_size, "Tệp âm thanh “%s” quá lớn (%.1f MB, tối đa %zu MB).", path,
                (double)st.st_size / (1024.0 * 1024.0), limit / (1024 * 1024));
        goto fail;
    }
    if (st.st_size == 0) {
        bt_set_error(err, err_size, "Tệp âm thanh “%s” rỗng.", path);
        goto fail;
    }
    size_t size = (size_t)st.st_size;
    unsigned char *buf = malloc(size);
    if (!buf) {
        bt_set_error(err, err_size, "Không đủ bộ nhớ để đọc tệp âm thanh “%s”.", path);
        goto fail;
    }
    if (fread(buf, 1, size, f) != size) {
        bt_set_error(err, err_size, "Không đọc hết được tệp âm thanh “%s”.", path);
        free(buf);
        goto fail;
    }
    fclose(f);
    *data = buf;
    *len = size;
    return 0;

fail:
    fclose(f);
    return -1;
}

int bt_audio_fold_mono(const int16_t *stereo, size_t bytes, const char *name, int max_seconds,
                       int16_t **pcm, size_t *frames, char *err, size_t err_size)
{
    size_t n = bytes / (sizeof(int16_t) * BT_AUDIO_CHANNELS);
    if (n == 0) {
        bt_set_error(err, err_size, "Tệp âm thanh “%s” không có âm thanh nào.", name);
        return -1;
    }
    if (n > (size_t)max_seconds * BT_AUDIO_RATE) {
        bt_set_error(err, err_size, "Tệp âm thanh “%s” dài %.0f giây, vượt giới hạn %d giây.", name,
                (double)n / BT_AUDIO_RATE, max_seconds);
        return -1;
    }
    int16_t *mono = malloc(n * sizeof(int16_t));
    if (!mono) {
        bt_set_error(err, err_size, "Không đủ bộ nhớ để giải mã “%s”.", name);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        mono[i] = (int16_t)(((int32_t)stereo[2 * i] + stereo[2 * i + 1]) / 2);
    *pcm = mono;
    *frames = n;
    return 0;
}

/* SDL2_mixer's own test for a WAV (Mix_LoadWAV_RW): "RIFF" or "WAVE" first. */
bool bt_audio_is_wav(const unsigned char *data, size_t len)
{
    return len >= 4 && (memcmp(data, "RIFF", 4) == 0 || memcmp(data, "WAVE", 4) == 0);
}

/* A WAV as Mix_LoadWAV_RW loads it into a mixer of BT_AUDIO_RATE / S16 / stereo: SDL's loader,
 * then SDL's converter when the file's format differs, on the whole samples. Needs no device. */
static int decode_wav(SDL_RWops *rw, const char *name, int max_seconds, int16_t **pcm,
                      size_t *frames, char *err, size_t err_size)
{
    SDL_AudioSpec spec;
    Uint8 *buf = NULL;
    Uint32 buf_len = 0;
    if (!SDL_LoadWAV_RW(rw, 1, &spec, &buf, &buf_len)) {
        bt_set_error(err, err_size,
                "Không giải mã được tệp âm thanh “%s” (hỗ trợ WAV, OGG, MP3, FLAC, OPUS): %s",
                name, bt_vi_library_error(SDL_GetError()));
        return -1;
    }
    /* The length the header declares, before converting: as SDL2_mixer's check did. */
    int frame_bytes = (SDL_AUDIO_BITSIZE(spec.format) / 8) * spec.channels;
    if (frame_bytes > 0 && spec.freq > 0 &&
        (double)buf_len / frame_bytes / spec.freq > (double)max_seconds) {
        bt_set_error(err, err_size, "Tệp âm thanh “%s” dài %.0f giây, vượt giới hạn %d giây.", name,
                (double)buf_len / frame_bytes / spec.freq, max_seconds);
        SDL_FreeWAV(buf);
        return -1;
    }
    if (spec.format != AUDIO_S16SYS || spec.channels != BT_AUDIO_CHANNELS ||
        spec.freq != BT_AUDIO_RATE) {
        SDL_AudioCVT cvt;
        if (SDL_BuildAudioCVT(&cvt, spec.format, spec.channels, spec.freq, AUDIO_S16SYS,
                              BT_AUDIO_CHANNELS, BT_AUDIO_RATE) < 0) {
            bt_set_error(err, err_size, "Không giải mã được tệp âm thanh “%s”: %s", name,
                         bt_vi_library_error(SDL_GetError()));
            SDL_FreeWAV(buf);
            return -1;
        }
        cvt.len = (int)(buf_len & ~(Uint32)(frame_bytes - 1));
        cvt.buf = SDL_calloc(1, (size_t)cvt.len * (size_t)cvt.len_mult);
        if (!cvt.buf) {
            bt_set_error(err, err_size, "Không đủ bộ nhớ để giải mã “%s”.", name);
            SDL_FreeWAV(buf);
            return -1;
        }
        memcpy(cvt.buf, buf, (size_t)cvt.len);
        SDL_FreeWAV(buf);
        if (SDL_ConvertAudio(&cvt) < 0) {
            bt_set_error(err, err_size, "Không giải mã được tệp âm thanh “%s”: %s", name,
                         bt_vi_library_error(SDL_GetError()));
            SDL_free(cvt.buf);
            return -1;
        }
        int rc = bt_audio_fold_mono((const int16_t *)cvt.buf, (size_t)cvt.len_cvt, name,
                                    max_seconds, pcm, frames, err, err_size);
        SDL_free(cvt.buf);
        return rc;
    }
    int rc = bt_audio_fold_mono((const int16_t *)buf, buf_len, name, max_seconds, pcm, frames,
                                err, err_size);
    SDL_FreeWAV(buf);
    return rc;
}

/* A compressed file: SDL2_mixer, under the lock, on a dummy mixer opened for it. Never beside
 * the engine's device: SDL has one audio driver per process, so a second open would reach the
 * engine's own output (its disk file, its ALSA device). */
static int decode_compressed_locked(const unsigned char *data, size_t len, const char *name,
                                    int max_seconds, int16_t **pcm, size_t *frames, char *err,
                                    size_t err_size)
{
    char why[BT_AUDIO_MODULE_MESSAGE_BYTES];
    if (device_open) {
        bt_set_error(err, err_size, "Không giải mã được “%s”: tiến trình phát loa không tự giải "
                     "mã tệp nén (việc của tiến trình con giải mã); hãy dùng tệp WAV.", name);
        return -1;
    }
    if (bt_audio_module_load(why, sizeof why) != 0) {
        bt_set_error(err, err_size, "Không giải mã được “%s”: %s", name, why);
        return -1;
    }
    if (bt_audio_mix_open(why, sizeof(why)) != 0) {
        bt_set_error(err, err_size, "Không giải mã được “%s”: %s", name, why);
        return -1;
    }
    int rc = bt_audio_mix_decode(data, len, name, max_seconds, pcm, frames, err, err_size);
    bt_audio_mix_close();
    return rc;
}

int bt_audio_decode(const unsigned char *data, size_t len, const char *name, int max_seconds,
                    bool wait_quiet, int16_t **pcm, size_t *frames, char *err, size_t err_size)
{
    *pcm = NULL;
    *frames = 0;
    if (len > INT32_MAX) {
        bt_set_error(err, err_size, "Tệp âm thanh “%s” quá lớn.", name);
        return -1;
    }
    pthread_mutex_lock(&device_lock);
    if (bt_audio_is_wav(data, len)) {
        /* SDL's WAV loader never touches the device, but a measurement still leaves the cores
         * to a sounding session, as it always did. */
        while (wait_quiet && sounding)
            pthread_cond_wait(&quiet, &device_lock);
        pthread_mutex_unlock(&device_lock);
        SDL_RWops *rw = SDL_RWFromConstMem(data, (int)len);
        if (!rw) {
            bt_set_error(err, err_size, "Không đủ bộ nhớ để giải mã “%s”.", name);
            return -1;
        }
        return decode_wav(rw, name, max_seconds, pcm, frames, err, err_size);
    }
    while (wait_quiet && sounding)
        pthread_cond_wait(&quiet, &device_lock);
    int rc = decode_compressed_locked(data, len, name, max_seconds, pcm, frames, err, err_size);
    pthread_mutex_unlock(&device_lock);
    return rc;
}

int bt_audio_decode_wav_file(const char *path, const char *name, int max_seconds, int16_t **pcm,
                             size_t *frames, char *err, size_t err_size)
{
    *pcm = NULL;
    *frames = 0;
    /* Read straight from the file by SDL's loader: no second copy of a long item's bytes. */
    SDL_RWops *rw = SDL_RWFromFile(path, "rb");
    if (!rw) {
        bt_set_error(err, err_size, "Không đọc được bản giải mã của “%s”: %s", name,
                     bt_vi_library_error(SDL_GetError()));
        return -1;
    }
    return decode_wav(rw, name, max_seconds, pcm, frames, err, err_size);
}

static void put_le(unsigned char *p, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A canonical 44-byte header of BT_AUDIO_RATE / S16 / stereo with frames frames. */
static void wav_header(unsigned char h[44], size_t frames)
{
    uint32_t data_bytes = (uint32_t)(frames * 2 * BT_AUDIO_CHANNELS);
    memcpy(h, "RIFF", 4);
    put_le(h + 4, 36 + data_bytes, 4);
    memcpy(h + 8, "WAVEfmt ", 8);
    put_le(h + 16, 16, 4);
    put_le(h + 20, 1, 2); /* PCM */
    put_le(h + 22, BT_AUDIO_CHANNELS, 2);
    put_le(h + 24, BT_AUDIO_RATE, 4);
    put_le(h + 28, BT_AUDIO_RATE * 2 * BT_AUDIO_CHANNELS, 4);
    put_le(h + 32, 2 * BT_AUDIO_CHANNELS, 2);
    put_le(h + 34, 16, 2);
    memcpy(h + 36, "data", 4);
    put_le(h + 40, data_bytes, 4);
}

/* The mono signal on both channels: folded again by the engine it is the same mono, sample for
 * sample, as the in-process decode gives. */
static int write_stereo_wav(const char *out, const int16_t *pcm, size_t frames, char *err,
                            size_t err_size)
{
    FILE *f = fopen(out, "wb");
    if (!f) {
        bt_set_error(err, err_size, "Không ghi được “%s”: %s", out, bt_vi_errno(errno).text);
        return -1;
    }
    unsigned char header[44], block[4096];
    wav_header(header, frames);
    bool ok = fwrite(header, 1, sizeof header, f) == sizeof header;
    size_t used = 0;
    for (size_t i = 0; ok && i < frames; i++) {
        put_le(block + used, (uint32_t)(uint16_t)pcm[i], 2);
        put_le(block + used + 2, (uint32_t)(uint16_t)pcm[i], 2);
        used += 4;
        if (used == sizeof block || i + 1 == frames) {
            ok = fwrite(block, 1, used, f) == used;
            used = 0;
        }
    }
    if (fclose(f) != 0)
        ok = false;
    if (!ok) {
        bt_set_error(err, err_size, "Không ghi được “%s”: %s", out, bt_vi_errno(errno).text);
        remove(out);
        return -1;
    }
    return 0;
}

int bt_audio_decode_to_wav(const char *path, int max_seconds, const char *out, size_t *frames,
                           char *err, size_t err_size)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int16_t *pcm = NULL;
    *frames = 0;
    if (bt_audio_read_file(path, BT_MAX_AUDIO_FILE_BYTES, &data, &len, err, err_size) != 0)
        return -1;
    int rc = bt_audio_decode(data, len, path, max_seconds, false, &pcm, frames, err, err_size);
    free(data);
    if (rc == 0)
        rc = write_stereo_wav(out, pcm, *frames, err, err_size);
    free(pcm);
    return rc;
}

double bt_audio_sample_peak_dbfs(const int16_t *pcm, size_t frames)
{
    int peak = 0;
    for (size_t i = 0; i < frames; i++) {
        int v = pcm[i] < 0 ? -(int)pcm[i] : pcm[i];
        if (v > peak)
            peak = v;
    }
    return peak == 0 ? -HUGE_VAL : 20.0 * log10((double)peak / 32768.0);
}

void bt_audio_apply_gain(int16_t *pcm, size_t frames, double gain_db)
{
    double factor = isinf(gain_db) && gain_db < 0 ? 0.0 : pow(10.0, gain_db / 20.0);
    if (factor == 1.0)
        return;
    for (size_t i = 0; i < frames; i++) {
        double v = lrint((double)pcm[i] * factor);
        pcm[i] = (int16_t)(v > 32767.0 ? 32767 : v < -32768.0 ? -32768 : v);
    }
}

int bt_audio_sha256_hex(const void *data, size_t len, char *hex)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    hex[0] = '\0';
    if (sodium_init() < 0)
        return -1;
    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(hex, BT_SHA256_HEX_BYTES + 1, digest, sizeof(digest));
    return 0;
}
