/* Private to the video code (video.c, video_sound.c): the one loop over FFmpeg's decoding API
 * that the pictures and the sound both read their frames through. */
#ifndef BT_UI_VIDEO_STREAM_H
#define BT_UI_VIDEO_STREAM_H

#include <stdbool.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

/* The next frame of stream `stream` of fmt, decoded by dec, into frame (pkt is scratch for the
 * packets read): 1, 0 at the stream's end, -1 when the decoder fails. A packet the decoder
 * refuses as invalid data is skipped (a glitch, not the end). *draining turns true once the
 * container is read to its end and the decoder gives what it still holds; a seek sets it back
 * to false. */
int video_stream_next_frame(AVFormatContext *fmt, AVCodecContext *dec, int stream, AVPacket *pkt,
                            bool *draining, AVFrame *frame);

#endif
