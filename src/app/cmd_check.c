/* `bangtin check DIR`: every check of a playlist folder in one pass (check.c), printed for
 * staff (sorted diagnostics, then the verdict on one line) or as one JSON object for tools. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_app.h"
#include "bangtin/bt_app_check.h"
#include "bangtin/bt_cli.h"

#include "cli_internal.h"
#include "json.h"

/* The note under the list when playlist.cfg could not be read at all: nothing after it ran. */
#define CHECK_UNREAD_NOTE                                                                       \
    "Máy dừng đọc tệp playlist.cfg ở lỗi trên (lỗi cú pháp hoặc không đọc được tệp) nên chưa "  \
    "kiểm tra được phần còn lại: nội dung, ảnh, chữ, âm thanh, giới hạn phát thanh, màn hình. "  \
    "Sửa lỗi đó rồi chạy lại để thấy mọi lỗi khác."

/* `check --json`: one object, {"diagnostics": [...], "summary": {...}}, documented in the
 * command's help and in playlists/README.md. Keys are English for tools; messages are the
 * Vietnamese ones staff read. */
static void print_check_json(const char *dir, const bt_playlist *p, const bt_diags *d,
                             const bt_app_check_result *r, bool valid)
{
    bt_json_writer w = {.out = stdout};
    bt_json_open(&w, NULL, '{');
    bt_json_open(&w, "diagnostics", '[');
    for (size_t i = 0; i < d->count; i++) {
        const bt_diag *x = &d->items[i];
        bt_json_open(&w, NULL, '{');
        bt_json_text(&w, "file", x->file);
        if (x->line > 0)
            bt_json_raw(&w, "line", "%d", x->line);
        else
            bt_json_raw(&w, "line", "null");
        bt_json_text(&w, "severity", x->severity == BT_DIAG_WARNING ? "warning" : "error");
        if (x->code[0])
            bt_json_text(&w, "code", x->code);
        bt_json_text(&w, "message", x->message);
        bt_json_close(&w, '}');
    }
    bt_json_close(&w, ']');
    bt_json_open(&w, "summary", '{');
    bt_json_text(&w, "directory", dir);
    bt_json_bool(&w, "valid", valid);
    bt_json_raw(&w, "errors", "%zu", d->errors);
    bt_json_raw(&w, "warnings", "%zu", d->warnings);
    bt_json_raw(&w, "not_listed", "%zu", d->dropped);
    bt_json_bool(&w, "stopped_at_syntax", r->unread);
    bt_json_bool(&w, "packaged", r->packaged);
    bt_json_open(&w, "screen_sizes", '[');
    for (size_t i = 0; i < r->size_count; i++) {
        bt_json_member(&w, NULL);
        fprintf(stdout, "\"%dx%d\"", r->sizes[i][0], r->sizes[i][1]);
    }
    bt_json_close(&w, ']');
    if (r->not_checked) { /* only in a build without some of the appliance's decoders */
        static const struct { unsigned bit; const char *name; } stages[] = {
            {BT_CHECK_NOT_GLYPHS, "glyph"}, {BT_CHECK_NOT_IMAGE_DECODE, "image"},
            {BT_CHECK_NOT_AUDIO, "audio"}, {BT_CHECK_NOT_VIDEO, "video"},
            {BT_CHECK_NOT_LAYOUT, "layout"}};
        bt_json_open(&w, "not_checked", '[');
        for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++) {
            if (r->not_checked & stages[i].bit) {
                bt_json_member(&w, NULL);
                fprintf(stdout, "\"%s\"", stages[i].name);
            }
        }
        bt_json_close(&w, ']');
    }
    if (valid) {
        bt_json_open(&w, "playlist", '{');
        bt_json_text(&w, "id", p->id);
        bt_json_raw(&w, "version", "%d", p->version);
        bt_json_raw(&w, "notices", "%zu", p->notice_count);
        bt_json_raw(&w, "ticker_lines", "%zu", p->ticker_count);
        bt_json_raw(&w, "broadcast_items", "%zu", p->broadcasts.item_count);
        bt_json_raw(&w, "broadcast_sessions", "%zu", p->broadcasts.session_count);
        bt_json_close(&w, '}');
    } else {
        bt_json_raw(&w, "playlist", "null");
    }
    bt_json_close(&w, '}');
    bt_json_close(&w, '}');
    fputc('\n', stdout);
}

/* What staff read: every diagnostic (sorted), then the verdict on one line. */
static void print_check_text(const cmd_args *a, const char *dir, const bt_playlist *p,
                             bt_diags *d, const bt_app_check_result *r, bool valid)
{
    bt_cli_print_diags(d, stdout);
    if (r->unread)
        printf("%s\n", CHECK_UNREAD_NOTE);
    if (!valid) {
        printf("Không hợp lệ: %zu lỗi", d->errors);
        if (d->warnings)
            printf(" và %zu cảnh báo", d->warnings);
        printf(" trong \"%s\". Sửa các dòng trên rồi chạy lại \"bangtin check %s\".\n", dir,
               dir);
        bt_app_check_print_not_checked(r, stdout);
        return;
    }
    printf("Hợp lệ: playlist \"%s\" phiên bản %d — %zu thông báo, %zu dòng chữ chạy", p->id,
           p->version, p->notice_count, p->ticker_count);
    if (d->warnings)
        printf(" (%zu cảnh báo)", d->warnings);
    printf(".\n");
    bt_app_check_print_not_checked(r, stdout);
    if (bt_cli_opt(a, "--dump")) {
        char *dump = bt_playlist_dump(p);
        if (dump)
            fputs(dump, stdout);
        free(dump);
    }
}

int bt_cmd_check(bt_app *app, const cmd_args *a)
{
    /* "DIR/" (as tab completion writes it) would make the kernel follow a final symlink that
     * "DIR" refuses (PITFALLS): checked without its trailing slashes. */
    char dir_buf[BT_MAX_PATH_BYTES];
    snprintf(dir_buf, sizeof dir_buf, "%s", a->positional[0]);
    for (size_t n = strlen(dir_buf); n > 1 && dir_buf[n - 1] == '/'; n--)
        dir_buf[n - 1] = '\0';
    const char *dir = dir_buf;
    bool json = bt_cli_opt(a, "--json") != NULL;
    bt_diags d;
    bt_diags_init(&d);
    bt_playlist p;
    bt_app_check_result result;
    int rc = bt_app_check_playlist(app, dir, &p, &d, &result);
    if (json)
        print_check_json(dir, &p, &d, &result, rc == 0);
    else
        print_check_text(a, dir, &p, &d, &result, rc == 0);
    bt_playlist_free(&p);
    bt_diags_free(&d);
    return rc == 0 ? 0 : 1;
}
