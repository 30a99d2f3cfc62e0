/* The process-wide SDL2_mixer instance and decoding. SDL2_mixer only decodes into the format of
 * an open mixer, so the mixer is always opened in the one format playout uses (48 kHz, S16,
 * stereo, converted by SDL for the hardware). Without a real device it is opened on SDL's dummy
 * driver, which paces itself in real time and costs nothing; with no engine at all, a decode
 * opens one for itself. Decoded audio is folded to mono: the ward's loudspeakers are one channel,
 * and half the memory for a long session.
 *
 * SDL2_mixer holds the audio device's lock while it decodes a compressed file (measured: a
 * 40-second OGG blocks the audio callback for ~110 ms, an audible dropout), and it is not safe
 * to decode from two threads at once. So every decode takes one process-wide lock and waits
 * while a session is sounding; the engine marks that span with bt_audio_mixer_set_sounding. */
#include <errno.h>
#include <pthread.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_mixer.h>
#include <sodium.h>

#include "bangtin/bt_diag.h"
#include "bangtin/bt_audio.h"
#include "bangtin/bt_loudness.h"
#include "bangtin/bt_vi.h"
#include "audio_internal.h"

/* Guards everything below and every use of SDL2_mixer outside the audio callback. */
static pthread_mutex_t mixer_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t quiet = PTHREAD_COND_INITIALIZER; /* signalled when sounding ends */
static bool mixer_open;
static bool sounding;
static char mixer_driver[32];


static int open_locked(const char *device, bool use_dummy, char *err, size_t err_size)
{
    if (mixer_open) {
        bt_set_error(err, err_size, "Bộ trộn âm thanh đã được mở.");
        return -1;
    }
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
    /* Decoders load on demand; a format whose library is missing simply fails to decode. */
    Mix_Init(MIX_INIT_OGG | MIX_INIT_MP3 | MIX_INIT_FLAC | MIX_INIT_OPUS);
    if (Mix_OpenAudioDevice(BT_AUDIO_RATE, AUDIO_S16SYS, BT_AUDIO_CHANNELS,
                            BT_AUDIO_BUFFER_FRAMES, device && device[0] ? device : NULL,
                            0) != 0) {
        bt_set_error(err, err_size, "không mở được thiết bị âm thanh: %s",
                     bt_vi_library_error(Mix_GetError()));
        Mix_Quit();
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return -1;
    }
    const char *driver = SDL_GetCurrentAudioDriver();
    snprintf(mixer_driver, sizeof(mixer_driver), "%s", driver ? driver : "");
    mixer_open = true;
    return 0;
}

static void close_locked(void)
{
    if (!mixer_open)
        return;
    Mix_HookMusic(NULL, NULL);
    Mix_CloseAudio();
    Mix_Quit();
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
    mixer_open = false;
    mixer_driver[0] = '\0';
}

int bt_audio_mixer_open(const char *device, bool use_dummy, char *err, size_t err_size)
{
    pthread_mutex_lock(&mixer_lock);
    int rc = open_locked(device, use_dummy, err, err_size);
    pthread_mutex_unlock(&mixer_lock);
    return rc;
}

void bt_audio_mixer_close(void)
{
    pthread_mutex_lock(&mixer_lock);
    close_locked();
    pthread_mutex_unlock(&mixer_lock);
}

void bt_audio_mixer_hook(void (*callback)(void *, Uint8 *, int), void *udata)
{
    pthread_mutex_lock(&mixer_lock);
    if (mixer_open)
        Mix_HookMusic(callback, udata);
    pthread_mutex_unlock(&mixer_lock);
}

void bt_audio_mixer_set_sounding(bool on)
{
    pthread_mutex_lock(&mixer_lock);
    sounding = on;
    if (!on)
        pthread_cond_broadcast(&quiet);
    pthread_mutex_unlock(&mixer_lock);
}

const char *bt_audio_mixer_driver(void)
{
    return mixer_driver; /* written only while the engine opens, on its own thread */
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

/* Rejects a file whose declared length is over the limit before decoding it whole: a small
 * compressed file can hold hours. -1 only when the length is known and too long. */
static int check_declared_length(SDL_RWops *rw, const char *name, int max_seconds, char *err,
                                 size_t err_size)
{
    Mix_Music *music = Mix_LoadMUS_RW(rw, 0);
    double seconds = music ? Mix_MusicDuration(music) : -1.0;
    if (music)
        Mix_FreeMusic(music);
    SDL_RWseek(rw, 0, RW_SEEK_SET);
    if (seconds > (double)max_seconds) {
        bt_set_error(err, err_size, "Tệp âm thanh “%s” dài %.0f giây, vượt giới hạn %d giây.", name,
                seconds, max_seconds);
        return -1;
    }
    return 0;
}

static int decode_locked(const unsigned char *data, size_t len, const char *name,
                         int max_seconds, int16_t **pcm, size_t *frames, char *err,
                         size_t err_size)
{
    int rate = 0, channels = 0;
    Uint16 format = 0;
    if (!mixer_open || !Mix_QuerySpec(&rate, &format, &channels) || rate != BT_AUDIO_RATE ||
        format != AUDIO_S16SYS || channels != BT_AUDIO_CHANNELS) {
        bt_set_error(err, err_size, "Không giải mã được “%s”: bộ trộn âm thanh chưa sẵn sàng.", name);
        return -1;
    }
    if (len > INT32_MAX) {
        bt_set_error(err, err_size, "Tệp âm thanh “%s” quá lớn.", name);
        return -1;
    }
    SDL_RWops *rw = SDL_RWFromConstMem(data, (int)len);
    if (!rw) {
        bt_set_error(err, err_size, "Không đủ bộ nhớ để giải mã “%s”.", name);
        return -1;
    }
    if (check_declared_length(rw, name, max_seconds, err, err_size) != 0) {
        SDL_RWclose(rw);
        return -1;
    }
    Mix_Chunk *chunk = Mix_LoadWAV_RW(rw, 1);
    if (!chunk) {
        bt_set_error(err, err_size,
                "Không giải mã được tệp âm thanh “%s” (hỗ trợ WAV, OGG, MP3, FLAC, OPUS): %s",
                name, bt_vi_library_error(Mix_GetError()));
        return -1;
    }
    size_t n = chunk->alen / (sizeof(int16_t) * BT_AUDIO_CHANNELS);
    if (n == 0) {
        bt_set_error(err, err_size, "Tệp âm thanh “%s” không có âm thanh nào.", name);
        Mix_FreeChunk(chunk);
        return -1;
    }
    if (n > (size_t)max_seconds * BT_AUDIO_RATE) {
        bt_set_error(err, err_size, "Tệp âm thanh “%s” dài %.0f giây, vượt giới hạn %d giây.", name,
                (double)n / BT_AUDIO_RATE, max_seconds);
        Mix_FreeChunk(chunk);
        return -1;
    }
    int16_t *mono = malloc(n * sizeof(int16_t));
    if (!mono) {
        bt_set_error(err, err_size, "Không đủ bộ nhớ để giải mã “%s”.", name);
        Mix_FreeChunk(chunk);
        return -1;
    }
    const int16_t *stereo = (const int16_t *)chunk->abuf;
    for (size_t i = 0; i < n; i++)
        mono[i] = (int16_t)(((int32_t)stereo[2 * i] + stereo[2 * i + 1]) / 2);
    Mix_FreeChunk(chunk);
    *pcm = mono;
    *frames = n;
    return 0;
}

int bt_audio_decode(const unsigned char *data, size_t len, const char *name, int max_seconds,
                    bool wait_quiet, int16_t **pcm, size_t *frames, char *err, size_t err_size)
{
    *pcm = NULL;
    *frames = 0;
    pthread_mutex_lock(&mixer_lock);
    while (wait_quiet && sounding)
        pthread_cond_wait(&quiet, &mixer_lock);
    bool opened_here = false;
    if (!mixer_open) {
        char why[256];
        if (open_locked(NULL, true, why, sizeof(why)) != 0) {
            pthread_mutex_unlock(&mixer_lock);
            bt_set_error(err, err_size, "Không giải mã được “%s”: %s", name, why);
            return -1;
        }
        opened_here = true;
    }
    int rc = decode_locked(data, len, name, max_seconds, pcm, frames, err, err_size);
    if (opened_here)
        close_locked();
    pthread_mutex_unlock(&mixer_lock);
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
