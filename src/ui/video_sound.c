/* A video notice's sound decoded (bt_ui_video_sound.h): libavformat reads the clip's audio
 * packets, libavcodec decodes them (AAC, Opus), libswresample converts whatever layout, rate and
 * sample format the clip has to the screen output's 16-bit stereo at BT_VIDEO_SOUND_RATE. Kept
 * apart from video.c (the pictures): the two are opened on the same file but read it at their
 * own pace, the picture by the time it is asked for, the sound ahead of the device. */
#include "bangtin/bt_ui_video_sound.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>

#include "video_stream.h"

struct bt_ui_video_sound {
    AVFormatContext *fmt;
    AVCodecContext *dec;
    SwrContext *swr;
    AVPacket *pkt;
    AVFrame *frame;
    int stream;
    AVRational time_base;
    long long start_pts;
    bool flushing;           /* the container is read to its end: the decoder is being drained */
    long long skip_to_ms;    /* after a seek: drop what comes before this; -1 none */
    int16_t *buf;            /* the last frame converted, interleaved */
    size_t buf_frames, buf_pos, buf_cap;
    char path[512];          /* for messages */
};

static int make_resampler(bt_ui_video_sound *s)
{
    AVChannelLayout out = AV_CHANNEL_LAYOUT_STEREO;
    swr_free(&s->swr);
    if (s->dec->ch_layout.nb_channels <= 0)
        av_channel_layout_default(&s->dec->ch_layout, 2);
    if (swr_alloc_set_opts2(&s->swr, &out, AV_SAMPLE_FMT_S16, BT_VIDEO_SOUND_RATE,
                            &s->dec->ch_layout, s->dec->sample_fmt, s->dec->sample_rate, 0,
                            NULL) < 0 ||
        swr_init(s->swr) < 0)
        return -1;
    return 0;
}

bt_ui_video_sound *bt_ui_video_sound_open(const char *path, char *err, size_t err_size)
{
    bt_ui_video_sound *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, err_size, "hết bộ nhớ khi mở tiếng của video \"%s\"", path);
        return NULL;
    }
    snprintf(s->path, sizeof s->path, "%s", path);
    s->skip_to_ms = -1;
    av_log_set_level(AV_LOG_QUIET);
    const AVCodec *codec = NULL;
    if (avformat_open_input(&s->fmt, path, NULL, NULL) != 0 ||
        avformat_find_stream_info(s->fmt, NULL) < 0) {
        snprintf(err, err_size, "không đọc được tệp video \"%s\" (tệp hỏng hoặc không phải video)",
                 path);
        goto fail;
    }
    s->stream = av_find_best_stream(s->fmt, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
    if (s->stream < 0 || !codec) {
        snprintf(err, err_size, "video \"%s\" không có tiếng (hoặc tiếng mã hoá kiểu máy không "
                 "giải mã được): chiếu không tiếng", path);
        goto fail;
    }
    AVStream *st = s->fmt->streams[s->stream];
    s->time_base = st->time_base;
    s->start_pts = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;
    s->dec = avcodec_alloc_context3(codec);
    s->pkt = av_packet_alloc();
    s->frame = av_frame_alloc();
    if (!s->dec || !s->pkt || !s->frame ||
        avcodec_parameters_to_context(s->dec, st->codecpar) < 0) {
        snprintf(err, err_size, "hết bộ nhớ khi mở tiếng của video \"%s\"", path);
        goto fail;
    }
    s->dec->pkt_timebase = st->time_base;
    if (avcodec_open2(s->dec, codec, NULL) < 0 || make_resampler(s) != 0) {
        snprintf(err, err_size, "không giải mã được tiếng của video \"%s\" (%s): chiếu không "
                 "tiếng", path, codec->name);
        goto fail;
    }
    return s;

fail:
    bt_ui_video_sound_close(s);
    return NULL;
}

void bt_ui_video_sound_close(bt_ui_video_sound *s)
{
    if (!s)
        return;
    swr_free(&s->swr);
    avcodec_free_context(&s->dec);
    av_packet_free(&s->pkt);
    av_frame_free(&s->frame);
    avformat_close_input(&s->fmt);
    free(s->buf);
    free(s);
}

/* The decoded frame in s->frame converted into s->buf; what a seek asked to drop is dropped. */
static int convert(bt_ui_video_sound *s)
{
    int room = swr_get_out_samples(s->swr, s->frame->nb_samples);
    if (room < 0)
        return -1;
    if ((size_t)room > s->buf_cap) {
        int16_t *grown = realloc(s->buf, (size_t)room * BT_VIDEO_SOUND_CHANNELS * sizeof *grown);
        if (!grown)
            return -1;
        s->buf = grown;
        s->buf_cap = (size_t)room;
    }
    uint8_t *out = (uint8_t *)s->buf;
    /* swr_convert takes const uint8_t **; the frame's planes, read only, are uint8_t *. */
    const uint8_t *in[AV_NUM_DATA_POINTERS];
    int planes = av_sample_fmt_is_planar(s->frame->format) ? s->frame->ch_layout.nb_channels : 1;
    for (int i = 0; i < planes && i < AV_NUM_DATA_POINTERS; i++)
        in[i] = s->frame->extended_data[i];
    int n = swr_convert(s->swr, &out, room, in, s->frame->nb_samples);
    if (n < 0)
        return -1;
    s->buf_frames = (size_t)n;
    s->buf_pos = 0;
    if (s->skip_to_ms >= 0) {
        long long pts = s->frame->best_effort_timestamp;
        long long at_ms = pts == AV_NOPTS_VALUE
                              ? s->skip_to_ms
                              : av_rescale_q(pts - s->start_pts, s->time_base,
                                             (AVRational){1, 1000});
        long long drop = (s->skip_to_ms - at_ms) * BT_VIDEO_SOUND_RATE / 1000;
        if (drop >= (long long)s->buf_frames) {
            s->buf_pos = s->buf_frames; /* all of it before the target: the next frame */
            return 0;
        }
        s->buf_pos = drop > 0 ? (size_t)drop : 0;
        s->skip_to_ms = -1;
    }
    return 0;
}

/* The next decoded frame into s->buf: 1, 0 at the end of the stream, -1 when it breaks. */
static int decode_next(bt_ui_video_sound *s)
{
    for (;;) {
        int rc = video_stream_next_frame(s->fmt, s->dec, s->stream, s->pkt, &s->flushing,
                                         s->frame);
        if (rc <= 0)
            return rc;
        rc = convert(s);
        av_frame_unref(s->frame);
        if (rc != 0)
            return -1;
        if (s->buf_pos < s->buf_frames)
            return 1; /* else all of it lay before a seek's target: the next one */
    }
}

long bt_ui_video_sound_read(bt_ui_video_sound *s, int16_t *out, size_t frames, char *err,
                            size_t err_size)
{
    size_t done = 0;
    while (done < frames) {
        if (s->buf_pos < s->buf_frames) {
            size_t n = s->buf_frames - s->buf_pos;
            if (n > frames - done)
                n = frames - done;
            memcpy(out + done * BT_VIDEO_SOUND_CHANNELS,
                   s->buf + s->buf_pos * BT_VIDEO_SOUND_CHANNELS,
                   n * BT_VIDEO_SOUND_CHANNELS * sizeof *out);
            s->buf_pos += n;
            done += n;
            continue;
        }
        int rc = decode_next(s);
        if (rc < 0) {
            snprintf(err, err_size, "tiếng của video \"%s\" bị hỏng giữa chừng", s->path);
            return done ? (long)done : -1;
        }
        if (rc == 0)
            break;
    }
    return (long)done;
}

int bt_ui_video_sound_seek(bt_ui_video_sound *s, long long ms, char *err, size_t err_size)
{
    if (ms < 0)
        ms = 0;
    long long ts = s->start_pts + av_rescale_q(ms, (AVRational){1, 1000}, s->time_base);
    if (av_seek_frame(s->fmt, s->stream, ts, AVSEEK_FLAG_BACKWARD) < 0) {
        snprintf(err, err_size, "không tua được tiếng của video \"%s\"", s->path);
        return -1;
    }
    avcodec_flush_buffers(s->dec);
    /* What the resampler holds belongs to the old place. */
    if (make_resampler(s) != 0) {
        snprintf(err, err_size, "hết bộ nhớ khi tua tiếng của video \"%s\"", s->path);
        return -1;
    }
    s->flushing = false;
    s->buf_frames = s->buf_pos = 0;
    s->skip_to_ms = ms;
    return 0;
}
