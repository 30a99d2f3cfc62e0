/* The video module (issue 15): FFmpeg's libavformat, libavcodec and libswscale cost every start
 * of the program about 80 ms of dynamic linking, and most starts (report, status, the kiosk
 * without a video notice) never decode a clip. So on the appliance the video code (ui/video.c,
 * io/video_probe.c) is a shared module of its own, bangtin-video.so in the package's lib folder
 * (/usr/lib/bangtin), which the program opens on the first video it probes or plays; the
 * program itself links no libav*. This is the whole interface between them: one exported
 * function handing over a table. A build with BT_VIDEO_MODULE=OFF (bangtin.exe, static) links
 * the same files directly and has no table.
 *
 * The module and the program come from one build: a table of another ABI is refused. */
#ifndef BT_VIDEO_MODULE_H
#define BT_VIDEO_MODULE_H

#include <stdbool.h>
#include <stddef.h>

#include "bangtin/bt_playlist.h"
#include "bangtin/bt_ui_video.h"
#include "bangtin/bt_ui_video_sound.h"

/* Raised whenever the table or a function's meaning changes. */
#define BT_VIDEO_MODULE_ABI 3u
/* The module's one exported function, a bt_video_module_get_fn. */
#define BT_VIDEO_MODULE_ENTRY "bt_video_module_get"

/* Where the module's log lines go: the program's log (bt_log.h levels). */
typedef void (*bt_video_module_log_fn)(int level, const char *line);

typedef struct {
    unsigned abi;
    /* bt_ui_video.h, function for function. */
    bt_ui_video *(*open)(const char *path, char *err, size_t err_size);
    void (*close)(bt_ui_video *v);
    void (*size)(const bt_ui_video *v, int *w, int *h);
    long long (*duration_ms)(const bt_ui_video *v);
    bool (*hardware)(const bt_ui_video *v);
    void (*draw_size)(bt_ui_video *v, SDL_Renderer *r, int w, int h);
    SDL_Texture *(*texture)(bt_ui_video *v, SDL_Renderer *r, char *err, size_t err_size);
    int (*frame_at)(bt_ui_video *v, long long ms, SDL_Texture *tex, char *err, size_t err_size);
    int (*frame_into)(bt_ui_video *v, long long ms, SDL_Surface *dst, SDL_Rect at, char *err,
                      size_t err_size);
    long long (*next_ms)(const bt_ui_video *v);
    void (*counts)(const bt_ui_video *v, unsigned long *decoded, unsigned long *dropped);
    int (*decode_whole)(const char *path, long long *decoded_ms, char *err, size_t err_size);
    /* io/video_probe.h's io_video_probe. */
    bt_asset_status (*probe)(const char *path, bt_video_facts *facts);
    /* bt_ui_video_sound.h (ABI 2): a clip's own sound for the screen's output. */
    bt_ui_video_sound *(*sound_open)(const char *path, char *err, size_t err_size);
    void (*sound_close)(bt_ui_video_sound *s);
    long (*sound_read)(bt_ui_video_sound *s, int16_t *out, size_t frames, char *err,
                       size_t err_size);
    int (*sound_seek)(bt_ui_video_sound *s, long long ms, char *err, size_t err_size);
} bt_video_module;

/* The table when abi is the module's own, else NULL; log receives the module's log lines. */
typedef const bt_video_module *(*bt_video_module_get_fn)(unsigned abi, bt_video_module_log_fn log);

/* The program's side (io/video_module.c): opens the module once, the first time it is asked
 * for, from $BANGTIN_VIDEO_MODULE when set (the tests' missing module) or else beside the
 * program (bin/../lib/bangtin/, the same in the build tree and installed). NULL when it cannot
 * be opened, with a Vietnamese message for staff in err (the system's reason goes to the log,
 * once); every later call gives the same answer. */
const bt_video_module *bt_video_module_load(char *err, size_t err_size);
/* The table bt_video_module_load opened, for calls on a clip or a sound: those exist only when
 * it did, so this is never NULL where they are. */
const bt_video_module *bt_video_module_loaded(void);

#endif
