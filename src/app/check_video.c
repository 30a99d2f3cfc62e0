/* Issue 15: every video notice's clip decoded whole, once, in a child process (bt_app_video.h),
 * for `check`, `pack` and the USB import. The header checks (container, codecs, size, frame
 * rate, length) were the validator's, from the probe; this finds what only decoding finds: a
 * file cut short, a packet the decoder refuses, a decoder that crashes or hangs on it. */
#include "bangtin/bt_app_video.h"

#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_child.h"
#include "bangtin/bt_diag.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_measure_isolated.h"
#include "bangtin/bt_ui_video.h"
#include "bangtin/bt_vi.h"

#include "check_media.h"
#include "cli_internal.h"

#define ANSWER_BYTES 1024
#define REEXPORT "hãy xuất lại video dạng MP4 H.264 (xem mục \"Video\" trong hướng dẫn)"

int bt_app_video_check_print(const char *path, FILE *out)
{
    char err[512];
    long long ms = 0;
    if (bt_ui_video_decode_whole(path, &ms, err, sizeof err) != 0) {
        for (char *p = err; *p; p++)
            if (*p == '\n')
                *p = ' ';
        fprintf(out, "error %s\n", err);
        return 1;
    }
    fprintf(out, "ok %lld\n", ms);
    return 0;
}

/* "ok MS" → 0; "error MESSAGE" → -1 with the message and what to do. */
static int parse_answer(const char *answer, long long *ms, char *err, size_t err_size)
{
    char *end;
    if (strncmp(answer, "ok ", 3) == 0) {
        *ms = strtoll(answer + 3, &end, 10);
        if (end != answer + 3 && (*end == '\n' || *end == '\0'))
            return 0;
    }
    if (strncmp(answer, "error ", 6) == 0) {
        size_t n = strcspn(answer + 6, "\n");
        bt_set_error(err, err_size, "%.*s — " REEXPORT, (int)(n > 400 ? 400 : n), answer + 6);
        return -1;
    }
    bt_set_error(err, err_size, "tiến trình kiểm tra video trả lời không đúng dạng — " REEXPORT);
    return -1;
}

int bt_app_video_check_file(const char *path, long long *decoded_ms, char *err, size_t err_size)
{
    const char *exe = bt_measure_executable();
    *decoded_ms = 0;
    if (!exe) {
        char why[512];
        if (bt_ui_video_decode_whole(path, decoded_ms, why, sizeof why) == 0)
            return 0;
        bt_set_error(err, err_size, "%s — " REEXPORT, why);
        return -1;
    }
    char answer[ANSWER_BYTES];
    bt_child_result res;
    if (bt_measure_run_child(exe, "video-check", path, BT_VIDEO_CHECK_TIMEOUT_MS, answer,
                             sizeof answer, &res) != 0) {
        bt_set_error(err, err_size, "không đủ bộ nhớ để kiểm tra video");
        return -1;
    }
    switch (res.outcome) {
    case BT_CHILD_SPAWN_FAILED:
        bt_set_error(err, err_size, "không chạy được tiến trình kiểm tra video: %s",
                     bt_vi_errno(res.error_number).text);
        return -1;
    case BT_CHILD_TIMED_OUT:
        bt_set_error(err, err_size, "giải mã video quá %d phút, đã dừng — tệp có thể bị hỏng; "
                     REEXPORT, BT_VIDEO_CHECK_TIMEOUT_MS / 60000);
        return -1;
    case BT_CHILD_SIGNALED:
        bt_set_error(err, err_size, "bộ giải mã video bị lỗi khi đọc tệp này (tín hiệu %d) — tệp "
                     "hỏng hoặc mã hoá lạ; " REEXPORT, res.signal_number);
        return -1;
    case BT_CHILD_ANSWERED:
        break;
    }
    return parse_answer(answer, decoded_ms, err, err_size);
}

void check_video(const bt_app *app, const char *dir, const bt_playlist *p, bt_diags *d,
                 bt_app_check_result *result)
{
    (void)app;
    (void)result;
    const char *previous = bt_diags_set_code(d, "video");
    for (size_t i = 0; i < p->notice_count; i++) {
        const bt_notice *n = &p->notices[i];
        char path[BT_MAX_PATH_BYTES * 2 + 2], err[768];
        long long ms;
        /* A clip the probe refused has its error already (and no path in the model). */
        if (n->kind != BT_NOTICE_VIDEO || !n->video || n->video_ms <= 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, n->video);
        if (bt_app_video_check_file(path, &ms, err, sizeof err) != 0)
            bt_diags_add(d, BT_DIAG_ERROR, BT_PLAYLIST_FILE, n->line,
                         "thông báo \"%s\", video \"%s\": %s", n->id ? n->id : "?", n->video, err);
    }
    bt_diags_set_code(d, previous);
}

int bt_app_video_decode_for_usb(void *ctx, const char *path, char *err, size_t err_size)
{
    long long ms;
    (void)ctx;
    return bt_app_video_check_file(path, &ms, err, err_size);
}

static const command VIDEO[] = {
    BT_CLI_CMD_VIDEO_CHECK,
};

const command *bt_cli_video_commands(size_t *count)
{
    *count = sizeof VIDEO / sizeof VIDEO[0];
    return VIDEO;
}
