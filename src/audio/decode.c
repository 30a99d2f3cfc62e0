/* The process-wide audio device and decoding. The device is opened with SDL alone, in the one
 * format playout uses (48 kHz, S16, stereo, converted by SDL for the hardware), and calls the
 * engine's renderer. WAV (the chime, spoken bulletins, WAV items) is decoded with SDL alone too,
 * the way SDL2_mixer loads a WAV (SDL_LoadWAV_RW, then SDL_BuildAudioCVT/SDL_ConvertAudio to
 * that format), so the samples are the same as before. Only the compressed formats need
 * SDL2_mixer (mixer.c, in the audio module on the appliance: audio_module.h), and SDL2_mixer
 * decodes only through a mixer with an open device: in a process with the engine's device, the
 * first such decode hands the device over to SDL2_mixer (the renderer becomes its music hook);
 * elsewhere each such decode opens a mixer on SDL's dummy driver for itself. Decoded audio is
 * folded to mono: the ward's loudspeakers are one channel, and half the memory for a long
 * session.
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
#include "bangtin/bt_log.h"
#include "bangtin/bt_loudness.h"
#include "bangtin/bt_vi.h"
#include "audio_internal.h"

/* Guards everything below and every use of SDL2_mixer outside the audio callback. */
static pthread_mutex_t device_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t quiet = PTHREAD_COND_INITIALIZER; /* signalled when sounding ends */
static bool device_open;       /* the engine's device, with SDL or (handed over) SDL2_mixer */
static bool mixer_holds;       /* handed over to SDL2_mixer by a compressed decode */
static SDL_AudioDeviceID device_id; /* SDL's, while it holds the device */
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
    if (mixer_holds)
        bt_audio_mix_close(); /* removes the hook first */
    else
        SDL_CloseAudioDevice(device_id);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
    device_open = mixer_holds = false;
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
    if (mixer_holds)
        bt_audio_mix_hook(callback, udata);
    else
        SDL_LockAudioDevice(device_id);
    hook_fn = callback; /* also what a hand-over installs */
    hook_udata = udata;
    if (!mixer_holds)
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
static bool is_wav(const unsigned char *data, size_t len)
{
    return len >= 4 && (memcmp(data, "RIFF", 4) == 0 || memcmp(data, "WAVE", 4) == 0);
}

/* A WAV as Mix_LoadWAV_RW loads it into a mixer of BT_AUDIO_RATE / S16 / stereo: SDL's loader,
 * then SDL's converter when the file's format differs, on the whole samples. Needs no device. */
static int decode_wav(const unsigned char *data, size_t len, const char *name, int max_seconds,
                      int16_t **pcm, size_t *frames, char *err, size_t err_size)
{
    SDL_RWops *rw = SDL_RWFromConstMem(data, (int)len);
    if (!rw) {
        bt_set_error(err, err_size, "Không đủ bộ nhớ để giải mã “%s”.", name);
        return -1;
    }
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

/* The engine's device goes to SDL2_mixer, which from now on calls the renderer as its music
 * hook. Runs between sessions (the caller waited for quiet): the device is closed for the few
 * milliseconds SDL2_mixer takes to open it again. */
static int hand_over_locked(char *err, size_t err_size)
{
    SDL_CloseAudioDevice(device_id);
    device_id = 0;
    char why[400];
    if (bt_audio_mix_open(device_name, false, why, sizeof why) != 0) {
        /* SDL2_mixer could not take it: the engine keeps the device as it was. */
        char again[400];
        if (open_sdl_device(again, sizeof again) != 0)
            bt_log_error("Âm thanh: mất thiết bị âm thanh: %s", again);
        bt_set_error(err, err_size, "%s", why);
        return -1;
    }
    bt_audio_mix_hook(hook_fn, hook_udata);
    mixer_holds = true;
    bt_log_info("Âm thanh: thiết bị chuyển cho SDL2_mixer (tệp nén đầu tiên).");
    return 0;
}

/* A compressed file: SDL2_mixer, under the lock, with a mixer open one way or the other. */
static int decode_compressed_locked(const unsigned char *data, size_t len, const char *name,
                                    int max_seconds, int16_t **pcm, size_t *frames, char *err,
                                    size_t err_size)
{
    char why[BT_AUDIO_MODULE_MESSAGE_BYTES];
    if (bt_audio_module_load(why, sizeof why) != 0) {
        bt_set_error(err, err_size, "Không giải mã được “%s”: %s", name, why);
        return -1;
    }
    if (device_open && !mixer_holds && hand_over_locked(why, sizeof why) != 0) {
        bt_set_error(err, err_size, "Không giải mã được “%s”: %s", name, why);
        return -1;
    }
    if (device_open)
        return bt_audio_mix_decode(data, len, name, max_seconds, pcm, frames, err, err_size);
    if (bt_audio_mix_open(NULL, true, why, sizeof(why)) != 0) {
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
    if (is_wav(data, len)) {
        /* SDL's WAV loader never touches the device, but a measurement still leaves the cores
         * to a sounding session, as it always did. */
        while (wait_quiet && sounding)
            pthread_cond_wait(&quiet, &device_lock);
        pthread_mutex_unlock(&device_lock);
        return decode_wav(data, len, name, max_seconds, pcm, frames, err, err_size);
    }
    /* A hand-over closes the device for a moment: never while a session sounds. */
    bool hand_over = device_open && !mixer_holds;
    while ((wait_quiet || hand_over) && sounding)
        pthread_cond_wait(&quiet, &device_lock);
    int rc = decode_compressed_locked(data, len, name, max_seconds, pcm, frames, err, err_size);
    pthread_mutex_unlock(&device_lock);
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
