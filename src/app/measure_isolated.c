/* See bt_measure_isolated.h: the kiosk measures audio through a child process. */
#include "bangtin/bt_measure_isolated.h"

#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_child.h"
#include "bangtin/bt_diag.h"
#include "bangtin/bt_vi.h"

/* One line of the child's answer: "ok" + 4 numbers + hash + 5 silence figures, or "error" + a
 * message. */
#define ANSWER_BYTES 2048

int bt_measure_print(const char *path, FILE *out)
{
    bt_loudness l;
    char err[512];
    if (bt_loudness_measure(path, &l, err, sizeof err) != 0) {
        /* One line: the parent reads up to the first newline. */
        for (char *p = err; *p; p++)
            if (*p == '\n')
                *p = ' ';
        fprintf(out, "error %s\n", err);
        return 1;
    }
    fprintf(out, "ok %.6f %.6f %.6f %.6f %s %.6f %.6f %.6f %.6f %.6f\n", l.integrated_lufs,
            l.sample_peak_dbfs, l.true_peak_dbtp, l.duration_seconds, l.sha256,
            l.silence.leading_seconds, l.silence.trailing_seconds,
            l.silence.longest_inside_seconds, l.silence.longest_inside_at_seconds,
            l.silence.silent_fraction);
    return 0;
}

int bt_measure_print_for_staff(const char *path, FILE *out)
{
    bt_loudness l;
    char err[512];
    if (bt_loudness_measure(path, &l, err, sizeof err) != 0) {
        fprintf(stderr, "bangtin measure: %s\n", err);
        return 1;
    }
    const bt_silence *s = &l.silence;
    fprintf(out,
            "Tệp: %s\n"
            "Độ to tích hợp: %.1f LUFS\n"
            "Đỉnh mẫu: %.1f dBFS\n"
            "Đỉnh thực: %.1f dBTP\n"
            "Độ dài: %.1f giây\n"
            "Im lặng ở đầu: %.1f giây\n"
            "Im lặng ở cuối: %.1f giây\n"
            "Khoảng lặng dài nhất bên trong: %.1f giây (từ giây thứ %.1f)\n"
            "Phần im lặng: %.0f%%\n"
            "Mã SHA-256: %s\n",
            path, l.integrated_lufs, l.sample_peak_dbfs, l.true_peak_dbtp, l.duration_seconds,
            s->leading_seconds, s->trailing_seconds, s->longest_inside_seconds,
            s->longest_inside_at_seconds, s->silent_fraction * 100.0, l.sha256);
    return 0;
}

static int parse_answer(const char *answer, bt_loudness *out, char *err, size_t err_size)
{
    memset(out, 0, sizeof *out);
    if (strncmp(answer, "error ", 6) == 0) {
        bt_set_error(err, err_size, "%.*s", (int)strcspn(answer + 6, "\n"), answer + 6);
        return -1;
    }
    char hash[BT_SHA256_HEX_BYTES + 2];
    bt_silence *sil = &out->silence;
    if (sscanf(answer, "ok %lf %lf %lf %lf %65s %lf %lf %lf %lf %lf", &out->integrated_lufs,
               &out->sample_peak_dbfs, &out->true_peak_dbtp, &out->duration_seconds, hash,
               &sil->leading_seconds, &sil->trailing_seconds, &sil->longest_inside_seconds,
               &sil->longest_inside_at_seconds, &sil->silent_fraction) != 10 ||
        strlen(hash) != BT_SHA256_HEX_BYTES) {
        bt_set_error(err, err_size, "Không đo được tệp âm thanh (tiến trình đo trả lời sai).");
        return -1;
    }
    memcpy(out->sha256, hash, sizeof out->sha256);
    return 0;
}

static const char *measure_executable;

void bt_measure_set_executable(const char *path)
{
    measure_executable = path;
}

const char *bt_measure_executable(void)
{
    return measure_executable;
}

int bt_measure_run_child(const char *exe, const char *command, const char *path, int timeout_ms,
                         char *answer, size_t answer_size, bt_child_result *res)
{
    /* posix_spawn takes char *const argv[]: give it writable copies. */
    char arg0[] = "bangtin", arg3[] = "--machine";
    char *cmd = strdup(command), *file = strdup(path);
    if (!cmd || !file) {
        free(cmd);
        free(file);
        return -1;
    }
    char *argv[] = {arg0, cmd, file, arg3, NULL};
    bt_child_run(exe, argv, NULL, NULL, timeout_ms, answer, answer_size, res);
    free(cmd);
    free(file);
    return 0;
}

int bt_measure_isolated(const char *path, bt_loudness *out, char *err, size_t err_size)
{
    if (!measure_executable)
        return bt_loudness_measure(path, out, err, err_size);
    memset(out, 0, sizeof *out);
    char answer[ANSWER_BYTES];
    bt_child_result res;
    if (bt_measure_run_child(measure_executable, "measure", path, BT_MEASURE_TIMEOUT_MS, answer,
                             sizeof answer, &res) != 0) {
        bt_set_error(err, err_size, "Không đủ bộ nhớ.");
        return -1;
    }
    switch (res.outcome) {
    case BT_CHILD_SPAWN_FAILED:
        bt_set_error(err, err_size, "Không chạy được tiến trình đo âm thanh: %s",
                     bt_vi_errno(res.error_number).text);
        return -1;
    case BT_CHILD_TIMED_OUT:
        bt_set_error(err, err_size, "Đo tệp âm thanh quá %d giây, đã dừng — tệp có thể bị hỏng.",
                     BT_MEASURE_TIMEOUT_MS / 1000);
        return -1;
    case BT_CHILD_SIGNALED:
        bt_set_error(err, err_size, "Tiến trình giải mã tệp âm thanh bị lỗi (tín hiệu %d) — tệp "
                     "có thể bị hỏng; hãy xuất lại tệp.", res.signal_number);
        return -1;
    case BT_CHILD_ANSWERED:
        break;
    }
    return parse_answer(answer, out, err, err_size);
}
