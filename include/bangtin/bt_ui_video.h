/* Video notices' clips (issue 15), decoded with FFmpeg's libavformat/libavcodec into an SDL
 * texture the screen copies letterboxed like an image. The frame shown is a function of the time
 * into the showing, so the kiosk and `screenshot --at` show the same frame: playing forward
 * decodes the next frames, a jump back or far ahead seeks. VA-API decodes when the machine has
 * it (the frame is copied back to memory, so every SDL renderer takes it, the software one
 * included), libavcodec's software decoders otherwise; the log says which.
 *
 * On the appliance (BT_VIDEO_MODULE) video.c is in the video module, opened on the first clip,
 * and these calls go through its table (video_module_calls.c, bt_video_module.h); when the
 * module does not open, bt_ui_video_open and bt_ui_video_decode_whole fail with a message that
 * says so. In a build without video (BT_VIDEO=OFF) video_none.c opens nothing and says so. */
#ifndef BT_UI_VIDEO_H
#define BT_UI_VIDEO_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL2/SDL.h>

typedef struct bt_ui_video bt_ui_video;

/* Opens path to play. NULL with a Vietnamese message in err. Caller closes. */
bt_ui_video *bt_ui_video_open(const char *path, char *err, size_t err_size);
void bt_ui_video_close(bt_ui_video *v); /* NULL is fine */
/* The picture's size in pixels. */
void bt_ui_video_size(const bt_ui_video *v, int *w, int *h);
/* The clip's length as its container says, ms. */
long long bt_ui_video_duration_ms(const bt_ui_video *v);
/* Decoded on the GPU (VA-API) rather than by the CPU. */
bool bt_ui_video_hardware(const bt_ui_video *v);

/* The clip will be drawn at w×h on r. On SDL's software renderer its frames are then scaled to
 * that size by the decode thread, so that the drawing thread does not scale every frame; a GPU
 * renderer takes them as they are. In a shown window the clip
 * plays live: bt_ui_video_frame_at never waits for the decoder once it shows a frame (a late
 * frame stays, one passed over is dropped), except after a jump in time. In a hidden one (a
 * screenshot, the tests) each time asked for gets its own frame. Before bt_ui_video_texture. */
void bt_ui_video_draw_size(bt_ui_video *v, SDL_Renderer *r, int w, int h);
/* A streaming texture for the clip's frames (SDL_PIXELFORMAT_IYUV at the clip's size, or at
 * the drawn size after bt_ui_video_draw_size on a software renderer): NULL with a
 * message in err. The first one starts the clip's decode thread, which keeps a few frames
 * ready ahead of the one shown. The caller destroys it. */
SDL_Texture *bt_ui_video_texture(bt_ui_video *v, SDL_Renderer *r, char *err, size_t err_size);
/* Puts the frame showing at `ms` into the clip (the last frame at or before it; past the end,
 * the last frame) into tex. 1 when tex changed, 0 when it holds that frame already, -1 when
 * nothing could be decoded (err says why; tex keeps what it had). With tex NULL the frame is
 * only picked: 1 when it is not yet in a texture or a surface, for bt_ui_video_frame_into. */
int bt_ui_video_frame_at(bt_ui_video *v, long long ms, SDL_Texture *tex, char *err,
                         size_t err_size);
/* The frame showing at `ms` written straight into dst's pixels at `at` (after
 * bt_ui_video_draw_size on a software renderer, `at` of the drawn size, dst 32-bit B, G, R, X/A
 * as SDL's software renderer paints): what copying its texture there gives, without the
 * texture. 1, or -1 with err when it cannot be (nothing decoded, another size or format, `at`
 * not wholly in dst): the caller draws the texture instead. */
int bt_ui_video_frame_into(bt_ui_video *v, long long ms, SDL_Surface *dst, SDL_Rect at,
                           char *err, size_t err_size);
/* When the frame after the one in tex begins, ms into the clip; -1 when tex holds the last. */
long long bt_ui_video_next_ms(const bt_ui_video *v);
/* Frames decoded since open (the benchmark's count), and frames decoded but never shown
 * because a later one was asked for first (dropped). */
void bt_ui_video_counts(const bt_ui_video *v, unsigned long *decoded, unsigned long *dropped);

/* The whole clip decoded once in software, every video and audio packet (the check child's
 * work: `bangtin video-check FILE`). 0 with the ms up to the last frame's end in *decoded_ms,
 * or -1 with a Vietnamese reason in err: a packet the decoder refuses, or a file that ends well
 * before the length its header declares (cut short). */
int bt_ui_video_decode_whole(const char *path, long long *decoded_ms, char *err,
                             size_t err_size);

#endif
