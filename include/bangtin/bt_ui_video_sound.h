/* A video notice's own sound (issue 15, `sound = true`): the clip's audio stream (AAC in MP4,
 * Opus in WebM) decoded with libavcodec and converted with libswresample to what the screen's
 * output plays (bt_screen_sound.h): interleaved signed 16-bit at BT_VIDEO_SOUND_RATE Hz,
 * BT_VIDEO_SOUND_CHANNELS channels. Only decoding: no device, no clock, no thread; the caller
 * reads it forward and seeks.
 *
 * In a build without video (BT_VIDEO=OFF) video_sound_none.c opens nothing and says so. */
#ifndef BT_UI_VIDEO_SOUND_H
#define BT_UI_VIDEO_SOUND_H

#include <stddef.h>
#include <stdint.h>

/* The screen output's format: what the clips of the ward's exports carry (AAC at 48 kHz, Opus
 * always 48 kHz), so most clips are only converted to 16 bits. */
#define BT_VIDEO_SOUND_RATE 48000
#define BT_VIDEO_SOUND_CHANNELS 2

typedef struct bt_ui_video_sound bt_ui_video_sound;

/* Opens path's audio stream at its start. NULL with a Vietnamese message in err when the file
 * cannot be read or has no sound a decoder takes. Caller closes. */
bt_ui_video_sound *bt_ui_video_sound_open(const char *path, char *err, size_t err_size);
void bt_ui_video_sound_close(bt_ui_video_sound *s); /* NULL is fine */
/* Up to `frames` frames (a frame = one sample per channel) from where the stream is into out.
 * The number written, 0 at the end of the stream, -1 with err when the stream cannot be decoded
 * further. */
long bt_ui_video_sound_read(bt_ui_video_sound *s, int16_t *out, size_t frames, char *err,
                            size_t err_size);
/* Moves to `ms` into the clip, to the frame (the decoder starts at the packet before and drops
 * what comes before ms). 0, or -1 with err. */
int bt_ui_video_sound_seek(bt_ui_video_sound *s, long long ms, char *err, size_t err_size);

#endif
