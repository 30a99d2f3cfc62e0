/* A build without video (BT_VIDEO=OFF): no clip plays, so none sounds either. */
#include "bangtin/bt_ui_video_sound.h"

#include <stdio.h>

bt_ui_video_sound *bt_ui_video_sound_open(const char *path, char *err, size_t err_size)
{
    snprintf(err, err_size, "bản bangtin này không có bộ giải mã video (không phát tiếng \"%s\")",
             path);
    return NULL;
}

void bt_ui_video_sound_close(bt_ui_video_sound *s)
{
    (void)s;
}

long bt_ui_video_sound_read(bt_ui_video_sound *s, int16_t *out, size_t frames, char *err,
                            size_t err_size)
{
    (void)s;
    (void)out;
    (void)frames;
    snprintf(err, err_size, "bản bangtin này không có bộ giải mã video");
    return -1;
}

int bt_ui_video_sound_seek(bt_ui_video_sound *s, long long ms, char *err, size_t err_size)
{
    (void)s;
    (void)ms;
    snprintf(err, err_size, "bản bangtin này không có bộ giải mã video");
    return -1;
}
