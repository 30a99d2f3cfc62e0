/* The video stage of `check` in a build without video (BT_VIDEO=OFF, e.g. bangtin.exe on
 * Windows): no decoder, so clips are neither probed nor decoded; the result says the stage was
 * left to the appliance, which runs it when it imports the stick. */
#include "bangtin/bt_app_video.h"

#include "bangtin/bt_diag.h"

#include "check_media.h"
#include "cli_internal.h"

int bt_app_video_check_file(const char *path, long long *decoded_ms, char *err, size_t err_size)
{
    *decoded_ms = 0;
    bt_set_error(err, err_size, "bản bangtin này không có bộ giải mã video (không kiểm tra "
                 "\"%s\")", path);
    return -1;
}

int bt_app_video_check_print(const char *path, FILE *out)
{
    fprintf(out, "error bản bangtin này không có bộ giải mã video (không kiểm tra \"%s\")\n",
            path);
    return 1;
}

void check_video(const bt_app *app, const char *dir, const bt_playlist *p, bt_diags *d,
                 bt_app_check_result *result)
{
    (void)app;
    (void)dir;
    (void)d;
    for (size_t i = 0; i < p->notice_count; i++)
        if (p->notices[i].kind == BT_NOTICE_VIDEO)
            result->not_checked |= BT_CHECK_NOT_VIDEO;
}

int bt_app_video_decode_for_usb(void *ctx, const char *path, char *err, size_t err_size)
{
    long long ms;
    (void)ctx;
    return bt_app_video_check_file(path, &ms, err, err_size);
}

const command *bt_cli_video_commands(size_t *count)
{
    /* No decoder, so no child to run: the staff tools' table has no video-check. */
    *count = 0;
    return NULL;
}
