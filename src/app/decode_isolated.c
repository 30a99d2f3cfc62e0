/* See bt_decode_isolated.h: the kiosk's compressed items decoded in a child process. */
#include "bangtin/bt_decode_isolated.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bangtin/bt_audio.h"
#include "bangtin/bt_child.h"
#include "bangtin/bt_diag.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_measure_isolated.h"
#include "bangtin/bt_os.h"
#include "bangtin/bt_vi.h"

/* One line of the child's answer: "ok FRAMES", or "error" + a message (the module's sentence
 * for staff is the longest). */
#define ANSWER_BYTES 2048

static pthread_mutex_t decode_dir_lock = PTHREAD_MUTEX_INITIALIZER;
static char decode_dir[BT_MAX_PATH_BYTES]; /* "" until made */
static atomic_uint decode_count;

/* Answers one line, whatever the message holds. */
static void print_error_line(FILE *answer, char *err)
{
    for (char *p = err; *p; p++)
        if (*p == '\n')
            *p = ' ';
    fprintf(answer, "error %s\n", err);
}

int bt_decode_isolated_print(const char *path, const char *out, const char *max_seconds,
                             FILE *answer)
{
    char err[ANSWER_BYTES - 8]; /* the answer line's room */
    char *end = NULL;
    long seconds = strtol(max_seconds, &end, 10);
    if (!end || *end || seconds <= 0 || seconds > BT_MAX_AUDIO_ITEM_SECONDS) {
        snprintf(err, sizeof err, "Giới hạn độ dài “%s” không hợp lệ (1…%d giây).", max_seconds,
                 BT_MAX_AUDIO_ITEM_SECONDS);
        print_error_line(answer, err);
        return 1;
    }
    /* Tests: a decoder that crashes on the file (the kiosk must only lose the item). */
    const char *fault = getenv("BANGTIN_TEST_FAULT");
    if (fault && strcmp(fault, "crash-decode-audio") == 0)
        abort();
    size_t frames = 0;
    if (bt_audio_decode_to_wav(path, (int)seconds, out, &frames, err, sizeof err) != 0) {
        print_error_line(answer, err);
        return 1;
    }
    fprintf(answer, "ok %zu\n", frames);
    return 0;
}

/* The folder the children write into: private (mkdtemp makes it 0700), made once. */
static int decode_folder(char *err, size_t err_size)
{
    pthread_mutex_lock(&decode_dir_lock);
    if (!decode_dir[0]) {
        char tmp[BT_MAX_PATH_BYTES - 64]; /* room for the folder's name and a file's */
        bt_os_temp_dir(tmp, sizeof tmp);
        snprintf(decode_dir, sizeof decode_dir, "%s/bangtin-giai-ma-XXXXXX", tmp);
        if (!mkdtemp(decode_dir)) {
            bt_set_error(err, err_size, "Không tạo được thư mục tạm trong “%s” để giải mã: %s",
                         tmp, bt_vi_errno(errno).text);
            decode_dir[0] = '\0';
        }
    }
    int rc = decode_dir[0] ? 0 : -1;
    pthread_mutex_unlock(&decode_dir_lock);
    return rc;
}

void bt_decode_isolated_cleanup(void)
{
    pthread_mutex_lock(&decode_dir_lock);
    if (decode_dir[0])
        rmdir(decode_dir);
    decode_dir[0] = '\0';
    pthread_mutex_unlock(&decode_dir_lock);
}

/* Why the child gave no WAV, naming the file and what to do. */
static void child_failure(const bt_child_result *res, const char *path, char *reason,
                          size_t reason_size)
{
    switch (res->outcome) {
    case BT_CHILD_SPAWN_FAILED:
        bt_set_error(reason, reason_size, "Không chạy được tiến trình giải mã “%s”: %s", path,
                     bt_vi_errno(res->error_number).text);
        break;
    case BT_CHILD_TIMED_OUT:
        bt_set_error(reason, reason_size, "Giải mã “%s” quá %d giây, đã dừng — tệp có thể bị "
                     "hỏng; hãy xuất lại tệp.", path, BT_MEASURE_TIMEOUT_MS / 1000);
        break;
    case BT_CHILD_SIGNALED:
        bt_set_error(reason, reason_size, "Tiến trình giải mã “%s” bị lỗi (tín hiệu %d) — tệp có "
                     "thể bị hỏng; hãy xuất lại tệp.", path, res->signal_number);
        break;
    case BT_CHILD_ANSWERED:
        break;
    }
}

int bt_decode_isolated(void *ctx, const char *path, int max_seconds, char *wav,
                       size_t wav_size, char *reason, size_t reason_size)
{
    (void)ctx;
    const char *exe = bt_measure_executable();
    if (!exe) {
        bt_set_error(reason, reason_size, "Không giải mã được “%s”: không có chương trình cho "
                     "tiến trình giải mã.", path);
        return -1;
    }
    if (decode_folder(reason, reason_size) != 0)
        return -1;
    unsigned n = atomic_fetch_add(&decode_count, 1);
    if (snprintf(wav, wav_size, "%s/%u.wav", decode_dir, n) >= (int)wav_size) {
        bt_set_error(reason, reason_size, "Không giải mã được “%s”: đường dẫn tạm quá dài.", path);
        return -1;
    }
    char arg0[] = "bangtin", arg1[] = "decode-audio", seconds[16];
    snprintf(seconds, sizeof seconds, "%d", max_seconds);
    char *file = strdup(path), *out = strdup(wav);
    char *argv[] = {arg0, arg1, file, out, seconds, NULL};
    char answer[ANSWER_BYTES];
    bt_child_result res = {BT_CHILD_SPAWN_FAILED, ENOMEM, 0, 0};
    if (file && out)
        bt_child_run(exe, argv, NULL, NULL, BT_MEASURE_TIMEOUT_MS, answer,
                     sizeof answer, &res);
    free(file);
    free(out);
    unsigned long long frames = 0;
    if (res.outcome != BT_CHILD_ANSWERED)
        child_failure(&res, path, reason, reason_size);
    else if (strncmp(answer, "error ", 6) == 0)
        bt_set_error(reason, reason_size, "%.*s", (int)strcspn(answer + 6, "\n"), answer + 6);
    else if (sscanf(answer, "ok %llu", &frames) != 1 || frames == 0)
        bt_set_error(reason, reason_size, "Không giải mã được “%s” (tiến trình giải mã trả lời "
                     "sai).", path);
    else
        return 0;
    remove(wav); /* a child killed mid-write leaves part of it */
    return -1;
}
