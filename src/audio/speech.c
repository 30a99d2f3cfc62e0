/* Text bulletins through libespeak-ng (bt_speech.h): synthesis into memory, trimming, loudness
 * to the target through a look-ahead limiter, and a WAV written the way every stored file is
 * (temporary name, fsync, rename).
 *
 * espeak-ng keeps one engine per process, so a render holds a lock from initialisation to
 * termination; a render takes about a tenth of its audio's length, so a second caller (the
 * kiosk's import and its measuring thread) waits briefly. */
#include "bangtin/bt_speech.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ebur128.h>
#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include "bangtin/bt_diag.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_sha256.h"
#include "bangtin/bt_vi.h"

/* Speech is found in 10 ms windows louder than this; espeak-ng's pauses are digital silence
 * and its quietest consonants sit around -40 dBFS. */
#define VOICED_WINDOW_SECONDS 0.010
#define VOICED_DBFS (-50.0)
/* The limiter sees this far ahead and ramps its gain over as long, then lets go with this time
 * constant: short enough to leave syllables alone, long enough not to distort a vowel. */
#define LIMITER_LOOKAHEAD_SECONDS 0.005
#define LIMITER_RELEASE_SECONDS 0.080
/* Gain and limiting interact (a louder signal is limited more), so the gain is corrected from
 * the measured result a few times; two rounds usually suffice. */
#define NORMALISE_ROUNDS 6
/* The canonical 44-byte header of a PCM WAV. */
#define WAV_HEADER_BYTES 44

static pthread_mutex_t engine_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct {
    int16_t *pcm;
    size_t frames, cap, limit;
    bool too_long, no_memory;
} capture;

/* espeak-ng's synthesis callback: appends each chunk; a non-zero return stops synthesis. */
static int on_samples(short *wav, int count, espeak_EVENT *events)
{
    capture *c = events ? events->user_data : NULL;
    if (!c || !wav || count <= 0)
        return 0;
    if (c->frames + (size_t)count > c->limit) {
        c->too_long = true;
        return 1;
    }
    if (c->frames + (size_t)count > c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1 << 16;
        while (cap < c->frames + (size_t)count)
            cap *= 2;
        int16_t *grown = realloc(c->pcm, cap * sizeof *grown);
        if (!grown) {
            c->no_memory = true;
            return 1;
        }
        c->pcm = grown;
        c->cap = cap;
    }
    memcpy(c->pcm + c->frames, wav, (size_t)count * sizeof *wav);
    c->frames += (size_t)count;
    return 0;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void engine_error(espeak_ng_STATUS st, const char *what, char *err, size_t err_size)
{
    char msg[256];
    espeak_ng_GetStatusCodeMessage(st, msg, sizeof msg);
    /* espeak-ng's message is English: in words, the original to the journal (bt_vi.h). */
    bt_set_error(err, err_size, "Bộ đọc espeak-ng: %s (%s) — cài lại gói espeak-ng-data.", what,
                 bt_vi_library_error(msg));
}

/* Synthesises words into *c at *rate. Holds the engine for the call. */
static int synthesise(const char *words, const bt_speech_params *p, capture *c, int *rate,
                      char *err, size_t err_size)
{
    espeak_ng_ERROR_CONTEXT context = NULL;
    int rc = -1;
    pthread_mutex_lock(&engine_lock);
    espeak_ng_InitializePath(NULL);
    espeak_ng_STATUS st = espeak_ng_Initialize(&context);
    if (st != ENS_OK) {
        engine_error(st, "không khởi động được", err, err_size);
        espeak_ng_ClearErrorContext(&context);
        pthread_mutex_unlock(&engine_lock);
        return -1;
    }
    if ((st = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL)) != ENS_OK) {
        engine_error(st, "không mở được đầu ra", err, err_size);
        goto done;
    }
    if ((st = espeak_ng_SetVoiceByName(p->voice)) != ENS_OK) {
        char msg[256];
        espeak_ng_GetStatusCodeMessage(st, msg, sizeof msg);
        bt_set_error(err, err_size,
                     "Không có giọng đọc “%s” của espeak-ng (%s) — cài gói espeak-ng-data.",
                     p->voice, bt_vi_library_error(msg));
        goto done;
    }
    espeak_ng_SetParameter(espeakRATE, p->rate_wpm, 0);
    espeak_SetSynthCallback(on_samples);
    *rate = espeak_ng_GetSampleRate();
    c->limit = (size_t)*rate * BT_MAX_AUDIO_ITEM_SECONDS;
    st = espeak_ng_Synthesize(words, strlen(words) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8,
                              NULL, c);
    if (st == ENS_OK)
        st = espeak_ng_Synchronize();
    if (c->too_long)
        bt_set_error(err, err_size, "Văn bản đọc hết hơn %d phút — hãy chia thành nhiều tin ngắn "
                     "hơn.", BT_MAX_AUDIO_ITEM_SECONDS / 60);
    else if (c->no_memory)
        bt_set_error(err, err_size, "Không đủ bộ nhớ để đọc văn bản.");
    else if (st != ENS_OK && st != ENS_SPEECH_STOPPED)
        engine_error(st, "không đọc được văn bản", err, err_size);
    else
        rc = 0;
done:
    espeak_ng_Terminate();
    espeak_ng_ClearErrorContext(&context);
    pthread_mutex_unlock(&engine_lock);
    return rc;
}

/* ---- shaping the signal -------------------------------------------------------------------- */

/* First and last 10 ms window with speech in it: [*first, *last) in frames. False if none. */
static bool voiced_span(const float *x, size_t n, int rate, size_t *first, size_t *last)
{
    size_t win = (size_t)(rate * VOICED_WINDOW_SECONDS);
    double floor = pow(10.0, VOICED_DBFS / 20.0);
    bool found = false;
    for (size_t at = 0; win > 0 && at < n; at += win) {
        size_t end = at + win < n ? at + win : n;
        double sum = 0;
        for (size_t k = at; k < end; k++)
            sum += (double)x[k] * x[k];
        if (sqrt(sum / (double)(end - at)) < floor)
            continue;
        if (!found)
            *first = at;
        *last = end;
        found = true;
    }
    return found;
}

/* Integrated loudness of mono x as it airs on two channels (BS.1770 dual mono) and its sample
 * peak, the way bt_loudness measures a file. */
static int measure(const float *x, size_t n, int rate, double *lufs, double *peak_dbfs)
{
    ebur128_state *st = ebur128_init(1, (unsigned long)rate, EBUR128_MODE_I);
    if (!st)
        return -1;
    int rc = -1;
    if (ebur128_set_channel(st, 0, EBUR128_DUAL_MONO) == EBUR128_SUCCESS &&
        ebur128_add_frames_float(st, x, n) == EBUR128_SUCCESS &&
        ebur128_loudness_global(st, lufs) == EBUR128_SUCCESS)
        rc = 0;
    ebur128_destroy(&st);
    float peak = 0;
    for (size_t k = 0; k < n; k++)
        peak = fabsf(x[k]) > peak ? fabsf(x[k]) : peak;
    *peak_dbfs = peak > 0 ? 20.0 * log10(peak) : -HUGE_VAL;
    return rc;
}

/* y = x · gain, with a look-ahead limiter holding |y| under ceiling. The gain needed at each
 * sample over the ceiling is spread over the samples around it (a minimum over ±W, averaged
 * over ±W), so every sample gets at most what it needs and the gain moves smoothly into a
 * peak; afterwards it returns to 1 with the release time constant. */
static int limit(const float *x, float *y, size_t n, double gain, double ceiling, int rate)
{
    size_t w = (size_t)(rate * LIMITER_LOOKAHEAD_SECONDS);
    float *need = malloc(n * sizeof *need);
    double *sum = malloc((n + 1) * sizeof *sum);
    if (!need || !sum) {
        free(need);
        free(sum);
        return -1;
    }
    for (size_t k = 0; k < n; k++) {
        y[k] = (float)(x[k] * gain);
        need[k] = 1.0f;
    }
    /* The minimum over ±w: only the few samples over the ceiling spread their need. */
    for (size_t k = 0; k < n; k++) {
        float a = fabsf(y[k]);
        if (a <= ceiling)
            continue;
        float r = (float)(ceiling / a);
        size_t from = k > w ? k - w : 0, to = k + w < n ? k + w : n - 1;
        for (size_t j = from; j <= to; j++)
            need[j] = r < need[j] ? r : need[j];
    }
    sum[0] = 0;
    for (size_t k = 0; k < n; k++)
        sum[k + 1] = sum[k] + need[k];
    double release = 1.0 - exp(-1.0 / (LIMITER_RELEASE_SECONDS * rate)), g = 1.0;
    for (size_t k = 0; k < n; k++) {
        size_t from = k > w ? k - w : 0, to = k + w < n ? k + w + 1 : n;
        double avg = (sum[to] - sum[from]) / (double)(to - from);
        g = g + (1.0 - g) * release;
        g = avg < g ? avg : g;
        y[k] = (float)(y[k] * g);
        /* The average is within its window's minimum only near the edges of the signal. */
        if (fabsf(y[k]) > ceiling)
            y[k] = y[k] > 0 ? (float)ceiling : (float)-ceiling;
    }
    free(need);
    free(sum);
    return 0;
}

/* Brings x to the target through the limiter, into y; *lufs and *peak are the result's. */
static int normalise(const float *x, float *y, size_t n, int rate, double target, double *lufs,
                     double *peak)
{
    double ceiling = pow(10.0, BT_SPEECH_PEAK_CEILING_DBFS / 20.0), level, top;
    if (measure(x, n, rate, &level, &top) != 0 || !isfinite(level))
        return -1;
    double gain_db = target - level;
    for (int round = 0; round < NORMALISE_ROUNDS; round++) {
        if (limit(x, y, n, pow(10.0, gain_db / 20.0), ceiling, rate) != 0 ||
            measure(y, n, rate, lufs, peak) != 0 || !isfinite(*lufs))
            return -1;
        if (fabs(*lufs - target) < BT_SPEECH_LOUDNESS_TOLERANCE_LU / 3)
            break;
        gain_db += target - *lufs;
    }
    return 0;
}

/* ---- the file ----------------------------------------------------------------------------- */

static void put_le(unsigned char *p, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* The WAV's bytes: header and little-endian 16-bit samples. malloc'd, *len set. */
static unsigned char *wav_bytes(const float *y, size_t n, int rate, size_t *len)
{
    *len = WAV_HEADER_BYTES + n * 2;
    unsigned char *b = malloc(*len);
    if (!b)
        return NULL;
    memcpy(b, "RIFF", 4);
    put_le(b + 4, (uint32_t)(*len - 8), 4);
    memcpy(b + 8, "WAVEfmt ", 8);
    put_le(b + 16, 16, 4);                   /* fmt chunk size */
    put_le(b + 20, 1, 2);                    /* PCM */
    put_le(b + 22, 1, 2);                    /* mono */
    put_le(b + 24, (uint32_t)rate, 4);
    put_le(b + 28, (uint32_t)rate * 2, 4);   /* bytes per second */
    put_le(b + 32, 2, 2);                    /* bytes per frame */
    put_le(b + 34, 16, 2);                   /* bits per sample */
    memcpy(b + 36, "data", 4);
    put_le(b + 40, (uint32_t)(n * 2), 4);
    for (size_t k = 0; k < n; k++) {
        long s = lrintf(y[k] * 32767.0f);
        s = s > 32767 ? 32767 : s < -32768 ? -32768 : s;
        put_le(b + WAV_HEADER_BYTES + 2 * k, (uint32_t)(uint16_t)(int16_t)s, 2);
    }
    return b;
}

/* The folder part of path, for its fsync ("." when there is none). */
static void folder_of(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, size, ".");
    else if (slash == path)
        snprintf(dir, size, "/");
    else
        snprintf(dir, size, "%.*s", (int)(slash - path), path);
}

/* Writes bytes to path through path.<pid>.tmp, fsync'd and renamed, then syncs the folder. The
 * pid keeps two renders of one text (the kiosk's import and its measuring thread, each in its own
 * child) from writing into the same temporary file; both rename whole, identical files. */
static int write_durably(const char *path, const unsigned char *bytes, size_t len, char *err,
                         size_t err_size)
{
    char tmp[BT_MAX_PATH_BYTES + 32], dir[BT_MAX_PATH_BYTES];
    if (snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid()) >= (int)sizeof tmp) {
        bt_set_error(err, err_size, "Đường dẫn tệp quá dài: “%s”.", path);
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        bt_set_error(err, err_size, "Không ghi được tệp “%s”: %s.", path, bt_vi_errno(errno).text);
        return -1;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, bytes + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    int saved = errno;
    bool ok = done == len && fsync(fd) == 0;
    saved = ok ? 0 : (errno ? errno : saved);
    if (close(fd) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = false;
        saved = errno;
    }
    if (!ok) {
        unlink(tmp);
        bt_set_error(err, err_size, "Không ghi được tệp “%s”: %s.", path,
                     bt_vi_errno(saved ? saved : EIO).text);
        return -1;
    }
    folder_of(path, dir, sizeof dir);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

/* ---- the render --------------------------------------------------------------------------- */

int bt_speech_render(const char *text, const bt_speech_params *p, const char *path,
                     bt_speech_result *out, char *err, size_t err_size)
{
    bt_speech_result r;
    memset(&r, 0, sizeof r);
    if (out)
        memset(out, 0, sizeof *out);
    if (!text || !p || !p->voice || !path) {
        bt_set_error(err, err_size, "Thiếu văn bản hoặc tệp để ghi.");
        return -1;
    }
    char *words = bt_speech_text_normalise(text);
    if (!words) {
        bt_set_error(err, err_size, "Văn bản không đọc được: không phải UTF-8 hợp lệ hoặc dài "
                     "quá %d byte.", BT_SPEECH_MAX_TEXT_BYTES);
        return -1;
    }
    capture c = {0};
    float *x = NULL, *y = NULL;
    unsigned char *bytes = NULL;
    size_t len = 0;
    int rc = -1;
    double started = now_seconds();
    if (synthesise(words, p, &c, &r.sample_rate, err, err_size) != 0)
        goto done;
    r.synthesis_seconds = now_seconds() - started;

    x = malloc((c.frames ? c.frames : 1) * sizeof *x);
    if (!x) {
        bt_set_error(err, err_size, "Không đủ bộ nhớ để đọc văn bản.");
        goto done;
    }
    for (size_t k = 0; k < c.frames; k++)
        x[k] = (float)c.pcm[k] / 32768.0f;
    size_t first = 0, last = 0;
    if (!voiced_span(x, c.frames, r.sample_rate, &first, &last)) {
        bt_set_error(err, err_size, "Văn bản không có chữ nào để đọc — hãy viết nội dung bản tin.");
        goto done;
    }
    /* Keep BT_SPEECH_EDGE_SECONDS around the words (less where the synthesis has less). */
    size_t edge = (size_t)(BT_SPEECH_EDGE_SECONDS * r.sample_rate);
    size_t from = first > edge ? first - edge : 0;
    size_t to = last + edge < c.frames ? last + edge : c.frames;
    size_t n = to - from;
    y = malloc(n * sizeof *y);
    if (!y || normalise(x + from, y, n, r.sample_rate, p->loudness_target_lufs,
                        &r.integrated_lufs, &r.sample_peak_dbfs) != 0) {
        bt_set_error(err, err_size, "Không đo được độ lớn của bản đọc (thiếu bộ nhớ hoặc chỉ có "
                     "im lặng).");
        goto done;
    }
    r.duration_seconds = (double)n / r.sample_rate;
    size_t v_first = 0, v_last = n;
    voiced_span(y, n, r.sample_rate, &v_first, &v_last);
    r.lead_silence_seconds = (double)v_first / r.sample_rate;
    r.tail_silence_seconds = (double)(n - v_last) / r.sample_rate;

    if (!(bytes = wav_bytes(y, n, r.sample_rate, &len))) {
        bt_set_error(err, err_size, "Không đủ bộ nhớ để ghi bản đọc.");
        goto done;
    }
    bt_sha256_hex(bytes, len, r.sha256);
    if (write_durably(path, bytes, len, err, err_size) != 0)
        goto done;
    rc = 0;
    if (out)
        *out = r;
done:
    free(bytes);
    free(y);
    free(x);
    free(c.pcm);
    free(words);
    return rc;
}

const char *bt_speech_engine_version(void)
{
    const char *data = NULL;
    const char *v = espeak_Info(&data);
    return v ? v : "";
}
