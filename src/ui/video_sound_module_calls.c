/* bt_ui_video_sound.h in a build whose video code is the shared module (BT_VIDEO_MODULE): each
 * call goes through the module's table, as video_module_calls.c does for the pictures. A sound
 * exists only when the module opened, so every call on one finds the table there. */
#include "bangtin/bt_ui_video_sound.h"

#include "bangtin/bt_video_module.h"

bt_ui_video_sound *bt_ui_video_sound_open(const char *path, char *err, size_t err_size)
{
    const bt_video_module *m = bt_video_module_load(err, err_size);
    return m ? m->sound_open(path, err, err_size) : NULL;
}

void bt_ui_video_sound_close(bt_ui_video_sound *s)
{
    if (s)
        bt_video_module_loaded()->sound_close(s);
}

long bt_ui_video_sound_read(bt_ui_video_sound *s, int16_t *out, size_t frames, char *err,
                            size_t err_size)
{
    return bt_video_module_loaded()->sound_read(s, out, frames, err, err_size);
}

int bt_ui_video_sound_seek(bt_ui_video_sound *s, long long ms, char *err, size_t err_size)
{
    return bt_video_module_loaded()->sound_seek(s, ms, err, err_size);
}
