/* Where text bulletins are rendered and found (bt_app_speech.h), and rendering in a child
 * process; the content store's own folder (made, pruned) is speech_store.c's, which only the
 * appliance has. A render is written under its key only once whole (bt_speech_render writes a
 * temporary name, fsyncs, renames), so a file there is always a finished render: finding one is
 * a stat, never a re-render. */
#include "bangtin/bt_app_speech.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bangtin/bt_app.h"
#include "bangtin/bt_buf.h"
#include "bangtin/bt_child.h"
#include "bangtin/bt_measure_isolated.h"
#include "bangtin/bt_os.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_usb.h"
#include "bangtin/bt_vi.h"

extern char **environ;

/* One line of the child's answer: "ok" and the figures, or "error" and a message. */
#define ANSWER_BYTES 2048

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

/* ---- the cache ----------------------------------------------------------------------------- */

int bt_speech_store_folder(const char *data_dir, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s/%s/%s", data_dir, BT_USB_CONTENT_DIR, BT_SPEECH_STORE_DIR);
    return n > 0 && (size_t)n < size ? 0 : -1;
}

int bt_speech_cache_open_temporary(bt_speech_cache *c, const char *data_dir,
                                   int loudness_target_lufs, char *err, size_t err_size)
{
    memset(c, 0, sizeof *c);
    c->params = bt_speech_default_params(loudness_target_lufs);
    char store[BT_MAX_PATH_BYTES];
    struct stat st;
    if (data_dir && bt_speech_store_folder(data_dir, store, sizeof store) == 0 &&
        stat(store, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(c->store, sizeof c->store, "%s", store);
    char tmp[BT_MAX_PATH_BYTES];
    bt_os_temp_dir(tmp, sizeof tmp);
    if (snprintf(c->dir, sizeof c->dir, "%s/bangtin-ban-doc-XXXXXX", tmp) >= (int)sizeof c->dir ||
        !mkdtemp(c->dir)) {
        bt_set_error(err, err_size, "Không tạo được thư mục tạm cho bản đọc: %s.",
                     bt_vi_errno(errno).text);
        c->dir[0] = '\0';
        return -1;
    }
    c->temporary = true;
    return 0;
}

void bt_speech_cache_close(bt_speech_cache *c)
{
    if (!c->temporary || !c->dir[0])
        return;
    /* Only our own flat folder of renders (and a render's .tmp left by a crash). */
    DIR *d = opendir(c->dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        char path[BT_MAX_PATH_BYTES + 300];
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", c->dir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(c->dir);
    c->dir[0] = '\0';
}

static int path_in(const char *dir, const char *text, const bt_speech_params *p, char *buf,
                   size_t size)
{
    char key[BT_SHA256_HEX_SIZE];
    bt_speech_key(text, p, key);
    int n = snprintf(buf, size, "%s/%s.wav", dir, key);
    return n > 0 && (size_t)n < size ? 0 : -1;
}

int bt_speech_cache_path(const bt_speech_cache *c, const char *text, char *buf, size_t size)
{
    return path_in(c->dir, text, &c->params, buf, size);
}

int bt_speech_cache_item(bt_speech_cache *c, bt_broadcast_item *item, char *err,
                         size_t err_size)
{
    char path[BT_MAX_PATH_BYTES + 80];
    if (!item->text)
        return 0;
    if (c->store[0] && path_in(c->store, item->text, &c->params, path, sizeof path) == 0 &&
        is_file(path)) {
        c->found++;
        return bt_broadcast_item_set_speech(item, path) == 0 ? 0 : -1;
    }
    if (bt_speech_cache_path(c, item->text, path, sizeof path) != 0) {
        bt_set_error(err, err_size, "Đường dẫn bản đọc quá dài.");
        return -1;
    }
    if (is_file(path)) {
        c->found++;
    } else {
        double started = now_seconds();
        if (bt_speech_render_isolated(item->text, &c->params, path, NULL, err, err_size) != 0)
            return -1;
        c->render_seconds += now_seconds() - started;
        c->rendered++;
    }
    if (bt_broadcast_item_set_speech(item, path) != 0) {
        bt_set_error(err, err_size, "Không đủ bộ nhớ.");
        return -1;
    }
    return 0;
}

int bt_speech_cache_speak(void *ctx, bt_broadcast_item *item, char *err, size_t err_size)
{
    return bt_speech_cache_item(ctx, item, err, err_size);
}

int bt_speech_cache_items(bt_speech_cache *c, bt_broadcasts *b, bt_diags *d)
{
    size_t before = d->errors;
    for (size_t i = 0; i < b->item_count; i++) {
        char err[512];
        bt_broadcast_item *it = &b->items[i];
        if (it->text && bt_speech_cache_item(c, it, err, sizeof err) != 0)
            bt_diags_add(d, BT_DIAG_ERROR, BT_PLAYLIST_FILE, it->line,
                         "tin \"%s\" (văn bản đọc): %s", it->id, err);
    }
    return d->errors == before ? 0 : -1;
}

int bt_speech_cache_locate(const bt_speech_cache *c, bt_broadcasts *b)
{
    for (size_t i = 0; i < b->item_count; i++) {
        char path[BT_MAX_PATH_BYTES + 80];
        bt_broadcast_item *it = &b->items[i];
        if (it->text && (bt_speech_cache_path(c, it->text, path, sizeof path) != 0 ||
                         bt_broadcast_item_set_speech(it, path) != 0))
            return -1;
    }
    return 0;
}

bool bt_speech_cache_speak_for_check(bt_speech_cache *c, const char *data_dir,
                                     int loudness_target_lufs, bt_broadcasts *b, bt_diags *d)
{
    char err[512];
    if (bt_broadcasts_text_count(b) == 0)
        return false;
    if (bt_speech_cache_open_temporary(c, data_dir, loudness_target_lufs, err, sizeof err) != 0) {
        bt_diags_add(d, BT_DIAG_ERROR, BT_PLAYLIST_FILE, 0, "%s", err);
        return false;
    }
    bt_speech_cache_items(c, b, d);
    return true;
}

/* ---- rendering in a child ------------------------------------------------------------------ */

static int parse_answer(const char *answer, bt_speech_result *out, char *err, size_t err_size)
{
    memset(out, 0, sizeof *out);
    if (strncmp(answer, "error ", 6) == 0) {
        bt_set_error(err, err_size, "%.*s", (int)strcspn(answer + 6, "\n"), answer + 6);
        return -1;
    }
    char hash[BT_SHA256_HEX_SIZE + 1];
    if (sscanf(answer, "ok %65s %lf %lf %lf %lf %lf %d %lf", hash, &out->duration_seconds,
               &out->integrated_lufs, &out->sample_peak_dbfs, &out->lead_silence_seconds,
               &out->tail_silence_seconds, &out->sample_rate, &out->synthesis_seconds) != 8 ||
        strlen(hash) != BT_SHA256_HEX_BYTES) {
        bt_set_error(err, err_size, "Không đọc được văn bản thành âm thanh (tiến trình đọc trả "
                     "lời sai).");
        return -1;
    }
    memcpy(out->sha256, hash, sizeof out->sha256);
    return 0;
}

/* The parent's environment with BANGTIN_CONFIG emptied: the child needs no configuration (the
 * loudness target is on its command line) and must not fail on a file it was not given. */
static char **child_environment(void)
{
    size_t n = 0;
    while (environ && environ[n])
        n++;
    char **env = calloc(n + 2, sizeof *env);
    if (!env)
        return NULL;
    size_t o = 0;
    env[o++] = (char *)"BANGTIN_CONFIG=";
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "BANGTIN_CONFIG=", 15) != 0)
            env[o++] = environ[i];
    env[o] = NULL;
    return env;
}

int bt_speech_render_isolated(const char *text, const bt_speech_params *p, const char *path,
                              bt_speech_result *out, char *err, size_t err_size)
{
    bt_speech_result local;
    const char *exe = bt_measure_executable();
    if (!out)
        out = &local;
    if (!exe)
        return bt_speech_render(text, p, path, out, err, err_size);
    memset(out, 0, sizeof *out);
    char target[16];
    snprintf(target, sizeof target, "%d", p->loudness_target_lufs);
    char arg0[] = "bangtin", arg1[] = "speak", arg2[] = "--file", arg3[] = "-",
         arg4[] = "--machine", arg5[] = "--target", arg7[] = "-o";
    char *file = strdup(path);
    char **env = child_environment();
    char *argv[] = {arg0, arg1, arg2, arg3, arg4, arg5, target, arg7, file, NULL};
    char reply[ANSWER_BYTES];
    bt_child_result res = {BT_CHILD_SPAWN_FAILED, ENOMEM, 0, 0};
    /* A 12 000-byte text fits in the socket's buffer: written whole before the answer is read. */
    if (file && env)
        bt_child_run(exe, argv, env, text, BT_SPEECH_TIMEOUT_MS, reply, sizeof reply, &res);
    free(file);
    free(env);
    switch (res.outcome) {
    case BT_CHILD_SPAWN_FAILED:
        bt_set_error(err, err_size, "Không chạy được tiến trình đọc văn bản: %s",
                     bt_vi_errno(res.error_number).text);
        return -1;
    case BT_CHILD_TIMED_OUT: {
        char tmp[BT_MAX_PATH_BYTES + 32];
        snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)res.pid); /* cut short: never renamed */
        unlink(tmp);
        bt_set_error(err, err_size, "Đọc văn bản quá %d giây, đã dừng.", BT_SPEECH_TIMEOUT_MS / 1000);
        return -1;
    }
    case BT_CHILD_SIGNALED:
        bt_set_error(err, err_size, "Tiến trình đọc văn bản bị lỗi (tín hiệu %d).",
                     res.signal_number);
        return -1;
    case BT_CHILD_ANSWERED:
        break;
    }
    return parse_answer(reply, out, err, err_size);
}
