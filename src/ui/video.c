/* Video notices' clips with FFmpeg (bt_ui_video.h). Why libavformat/libavcodec rather than
 * libmpv's render API: the screen paints with SDL's renderer, its software renderer included
 * (partial repaints, a turned monitor, headless screenshots), and a frame is a function of time
 * so `screenshot --at` and the kiosk agree. libavcodec hands over a decoded frame we upload into
 * an SDL texture at a time we choose, on any renderer; libmpv is a player with its own clock,
 * threads and audio output, whose render API draws into OpenGL (or its software API) on its own
 * schedule, so a frame at a given time means seeking an asynchronous player. */
#include "bangtin/bt_ui_video.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/hwcontext.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

#include "bangtin/bt_log.h"

/* Further ahead than this from the frame shown, seeking to the nearest keyframe before the
 * target is cheaper than decoding every frame on the way (a GOP is 1–2 s in exported clips). */
#define SEEK_AHEAD_MS 2000
/* Decoder threads: the lobby PC has two cores, and the kiosk's own loop needs the rest. */
#define DECODE_THREADS 2
/* The first GPU's render node, which libavutil's VA-API device opens by default. */
#define VAAPI_RENDER_NODE "/dev/dri/renderD128"


struct bt_ui_video {
    AVFormatContext *fmt;
    AVCodecContext *dec;
    AVBufferRef *hw_device;
    enum AVPixelFormat hw_format;
    int stream;
    AVRational time_base;
    long long start_pts;
    long long duration_ms;
    AVPacket *pkt;
    AVFrame *cur, *next, *sw;    /* shown (in tex), decoded ahead, VA-API frame copied back */
    bool has_cur, has_next, eof;
    long long cur_ms, next_ms;
    bool uploaded;               /* tex holds cur */
    struct SwsContext *sws;      /* to YUV420P when the decoder gives another layout */
    AVFrame *yuv;
    unsigned long decoded, dropped;
};

static enum AVPixelFormat pick_hw_format(AVCodecContext *ctx, const enum AVPixelFormat *fmts)
{
    const bt_ui_video *v = ctx->opaque;
    for (const enum AVPixelFormat *p = fmts; *p != AV_PIX_FMT_NONE; p++)
        if (*p == v->hw_format)
            return *p;
    /* The hardware cannot take this stream after all: the first software format offered. */
    for (const enum AVPixelFormat *p = fmts; *p != AV_PIX_FMT_NONE; p++)
        if (!(av_pix_fmt_desc_get(*p)->flags & AV_PIX_FMT_FLAG_HWACCEL))
            return *p;
    return AV_PIX_FMT_NONE;
}

/* VA-API when the decoder has a configuration for it and a device opens; false otherwise (the
 * software decoder then runs as it is). */
static bool try_vaapi(bt_ui_video *v, const AVCodec *codec)
{
    /* VA-API reaches the GPU through a DRM render node: without one (no GPU, a container, the
     * tests) libva is not even loaded. */
    if (access(VAAPI_RENDER_NODE, R_OK | W_OK) != 0)
        return false;
    for (int i = 0;; i++) {
        const AVCodecHWConfig *cfg = avcodec_get_hw_config(codec, i);
        if (!cfg)
            return false;
        if (cfg->device_type == AV_HWDEVICE_TYPE_VAAPI &&
            (cfg->methods & AV_CODEC_HW_CONFIG_METHOD_HW_DEVICE_CTX)) {
            v->hw_format = cfg->pix_fmt;
            break;
        }
    }
    if (av_hwdevice_ctx_create(&v->hw_device, AV_HWDEVICE_TYPE_VAAPI, NULL, NULL, 0) < 0)
        return false;
    v->dec->hw_device_ctx = av_buffer_ref(v->hw_device);
    v->dec->opaque = v;
    v->dec->get_format = pick_hw_format;
    return v->dec->hw_device_ctx != NULL;
}

/* Opens the container and the video stream's decoder; hardware only when asked. */
static int open_decoder(bt_ui_video *v, const char *path, bool hardware, char *err,
                        size_t err_size)
{
    av_log_set_level(AV_LOG_QUIET);
    v->hw_format = AV_PIX_FMT_NONE;
    if (avformat_open_input(&v->fmt, path, NULL, NULL) != 0 ||
        avformat_find_stream_info(v->fmt, NULL) < 0) {
        snprintf(err, err_size, "không đọc được tệp video \"%s\" (tệp hỏng hoặc không phải video)",
                 path);
        return -1;
    }
    const AVCodec *codec = NULL;
    v->stream = av_find_best_stream(v->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (v->stream < 0 || !codec) {
        snprintf(err, err_size, "tệp \"%s\" không có hình máy giải mã được", path);
        return -1;
    }
    AVStream *st = v->fmt->streams[v->stream];
    v->time_base = st->time_base;
    v->start_pts = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;
    if (st->duration > 0)
        v->duration_ms = av_rescale_q(st->duration, st->time_base, (AVRational){1, 1000});
    else if (v->fmt->duration > 0)
        v->duration_ms = v->fmt->duration / (AV_TIME_BASE / 1000);
    v->dec = avcodec_alloc_context3(codec);
    if (!v->dec || avcodec_parameters_to_context(v->dec, st->codecpar) < 0) {
        snprintf(err, err_size, "hết bộ nhớ khi mở video \"%s\"", path);
        return -1;
    }
    v->dec->thread_count = DECODE_THREADS;
    if (hardware && !try_vaapi(v, codec)) {
        av_buffer_unref(&v->hw_device);
        v->hw_format = AV_PIX_FMT_NONE;
    }
    if (avcodec_open2(v->dec, codec, NULL) < 0) {
        snprintf(err, err_size, "không mở được bộ giải mã %s cho \"%s\"", codec->name, path);
        return -1;
    }
    v->pkt = av_packet_alloc();
    v->cur = av_frame_alloc();
    v->next = av_frame_alloc();
    v->sw = av_frame_alloc();
    v->yuv = av_frame_alloc();
    if (!v->pkt || !v->cur || !v->next || !v->sw || !v->yuv) {
        snprintf(err, err_size, "hết bộ nhớ khi mở video \"%s\"", path);
        return -1;
    }
    return 0;
}

static void video_free(bt_ui_video *v)
{
    avcodec_free_context(&v->dec);
    av_buffer_unref(&v->hw_device);
    avformat_close_input(&v->fmt);
    av_packet_free(&v->pkt);
    av_frame_free(&v->cur);
    av_frame_free(&v->next);
    av_frame_free(&v->sw);
    av_frame_free(&v->yuv);
    sws_freeContext(v->sws);
    free(v);
}

bt_ui_video *bt_ui_video_open(const char *path, char *err, size_t err_size)
{
    bt_ui_video *v = calloc(1, sizeof *v);
    if (!v) {
        snprintf(err, err_size, "hết bộ nhớ khi mở video");
        return NULL;
    }
    if (open_decoder(v, path, true, err, err_size) != 0) {
        video_free(v);
        return NULL;
    }
    bt_log_info("video \"%s\": %d×%d %s, giải mã bằng %s", path, v->dec->width, v->dec->height,
                v->dec->codec->name,
                v->hw_device ? "phần cứng (VA-API)" : "phần mềm (không có VA-API)");
    return v;
}

void bt_ui_video_close(bt_ui_video *v)
{
    if (v)
        video_free(v);
}

void bt_ui_video_size(const bt_ui_video *v, int *w, int *h)
{
    *w = v->dec->width;
    *h = v->dec->height;
}

long long bt_ui_video_duration_ms(const bt_ui_video *v)
{
    return v->duration_ms;
}

bool bt_ui_video_hardware(const bt_ui_video *v)
{
    return v->hw_device != NULL;
}

SDL_Texture *bt_ui_video_texture(bt_ui_video *v, SDL_Renderer *r, char *err, size_t err_size)
{
    SDL_Texture *tex = SDL_CreateTexture(r, SDL_PIXELFORMAT_IYUV, SDL_TEXTUREACCESS_STREAMING,
                                         v->dec->width, v->dec->height);
    if (!tex)
        snprintf(err, err_size, "không tạo được khung hình video %d×%d: %s", v->dec->width,
                 v->dec->height, SDL_GetError());
    else
        SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    v->uploaded = false;
    return tex;
}

static long long frame_ms(const bt_ui_video *v, const AVFrame *f)
{
    long long pts = f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp : f->pts;
    if (pts == AV_NOPTS_VALUE)
        return 0;
    return av_rescale_q(pts - v->start_pts, v->time_base, (AVRational){1, 1000});
}

/* The next frame into v->next: 1, 0 at the end of the clip, -1 on an error. */
static int decode_next(bt_ui_video *v)
{
    for (;;) {
        int rc = avcodec_receive_frame(v->dec, v->next);
        if (rc == 0) {
            if (v->next->format == v->hw_format && v->hw_format != AV_PIX_FMT_NONE) {
                av_frame_unref(v->sw);
                if (av_hwframe_transfer_data(v->sw, v->next, 0) < 0)
                    return -1;
                av_frame_copy_props(v->sw, v->next);
                av_frame_unref(v->next);
                av_frame_move_ref(v->next, v->sw);
            }
            v->next_ms = frame_ms(v, v->next);
            v->decoded++;
            return 1;
        }
        if (rc == AVERROR_EOF)
            return 0;
        if (rc != AVERROR(EAGAIN))
            return -1;
        if (v->eof)
            return 0;
        rc = av_read_frame(v->fmt, v->pkt);
        if (rc < 0) {
            v->eof = true;
            avcodec_send_packet(v->dec, NULL); /* drain what the decoder holds */
            continue;
        }
        if (v->pkt->stream_index == v->stream)
            rc = avcodec_send_packet(v->dec, v->pkt);
        av_packet_unref(v->pkt);
        if (rc < 0 && rc != AVERROR(EAGAIN) && rc != AVERROR_INVALIDDATA)
            return -1;
    }
}

static void seek_to(bt_ui_video *v, long long ms)
{
    long long ts = v->start_pts + av_rescale_q(ms, (AVRational){1, 1000}, v->time_base);
    av_seek_frame(v->fmt, v->stream, ts, AVSEEK_FLAG_BACKWARD);
    avcodec_flush_buffers(v->dec);
    av_frame_unref(v->cur);
    av_frame_unref(v->next);
    v->has_cur = v->has_next = v->eof = false;
    v->uploaded = false;
}

/* cur in YUV420P planes: as decoded, or converted once through swscale. */
static const AVFrame *as_yuv420(bt_ui_video *v)
{
    AVFrame *f = v->cur;
    if (f->format == AV_PIX_FMT_YUV420P || f->format == AV_PIX_FMT_YUVJ420P)
        return f;
    v->sws = sws_getCachedContext(v->sws, f->width, f->height, f->format, f->width, f->height,
                                  AV_PIX_FMT_YUV420P, SWS_BILINEAR, NULL, NULL, NULL);
    if (!v->sws)
        return NULL;
    if (v->yuv->width != f->width || v->yuv->height != f->height) {
        av_frame_unref(v->yuv);
        v->yuv->format = AV_PIX_FMT_YUV420P;
        v->yuv->width = f->width;
        v->yuv->height = f->height;
        if (av_frame_get_buffer(v->yuv, 0) < 0)
            return NULL;
    }
    sws_scale(v->sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, v->yuv->data,
              v->yuv->linesize);
    return v->yuv;
}

int bt_ui_video_frame_at(bt_ui_video *v, long long ms, SDL_Texture *tex, char *err,
                         size_t err_size)
{
    if (ms < 0)
        ms = 0;
    if (!v->has_cur || ms < v->cur_ms || ms > v->cur_ms + SEEK_AHEAD_MS)
        seek_to(v, ms);
    bool changed = false;
    for (;;) {
        if (!v->has_next) {
            int rc = decode_next(v);
            if (rc < 0 && !v->has_cur) {
                snprintf(err, err_size, "không giải mã được khung hình ở %lld ms", ms);
                return -1;
            }
            if (rc <= 0)
                break; /* the end (or a broken tail): the last good frame stays */
            v->has_next = true;
        }
        if (v->has_cur && v->next_ms > ms)
            break;
        if (changed)
            v->dropped++; /* a frame decoded and passed over without being shown */
        av_frame_unref(v->cur);
        av_frame_move_ref(v->cur, v->next);
        v->cur_ms = v->next_ms;
        v->has_cur = true;
        v->has_next = false;
        changed = true;
    }
    if (changed)
        v->uploaded = false;
    if (v->uploaded)
        return 0;
    const AVFrame *y = as_yuv420(v);
    if (!y || SDL_UpdateYUVTexture(tex, NULL, y->data[0], y->linesize[0], y->data[1],
                                   y->linesize[1], y->data[2], y->linesize[2]) != 0) {
        snprintf(err, err_size, "không đưa được khung hình video lên màn hình: %s",
                 SDL_GetError());
        return -1;
    }
    v->uploaded = true;
    return 1;
}

long long bt_ui_video_next_ms(const bt_ui_video *v)
{
    if (v->has_next)
        return v->next_ms;
    if (v->eof && !v->has_next)
        return -1;
    /* Not decoded yet: one frame period on. */
    AVRational r = v->fmt->streams[v->stream]->avg_frame_rate;
    long long period = r.num > 0 ? av_rescale(1000, r.den, r.num) : 33;
    return v->cur_ms + (period > 0 ? period : 33);
}

void bt_ui_video_counts(const bt_ui_video *v, unsigned long *decoded, unsigned long *dropped)
{
    *decoded = v->decoded;
    *dropped = v->dropped;
}

/* ---- the check child's whole decode ------------------------------------------------------- */

/* Sends pkt (NULL: drain) to dec and takes every frame it gives; the last frame's end in *end_ms
 * (video). -1 when the decoder refuses the data. */
static int decode_packet(AVCodecContext *dec, const AVPacket *pkt, AVFrame *frame,
                         AVRational tb, long long start, long long *end_ms)
{
    int rc = avcodec_send_packet(dec, pkt);
    if (rc < 0 && rc != AVERROR_EOF)
        return -1;
    while ((rc = avcodec_receive_frame(dec, frame)) == 0) {
        long long pts = frame->best_effort_timestamp;
        if (end_ms && pts != AV_NOPTS_VALUE) {
            long long end = av_rescale_q(pts - start + frame->pkt_duration, tb, (AVRational){1, 1000});
            if (end > *end_ms)
                *end_ms = end;
        }
        av_frame_unref(frame);
    }
    return rc == AVERROR(EAGAIN) || rc == AVERROR_EOF ? 0 : -1;
}

/* A clip that ends this much before the length its header declares was cut short (a copy
 * interrupted, a download stopped): a frame's length of slack, and the audio's. */
#define CUT_SHORT_SLACK_MS 500

int bt_ui_video_decode_whole(const char *path, long long *decoded_ms, char *err,
                             size_t err_size)
{
    bt_ui_video *v = calloc(1, sizeof *v);
    AVCodecContext *audio = NULL;
    AVFrame *frame = av_frame_alloc();
    int rc = -1;
    *decoded_ms = 0;
    if (!v || !frame) {
        snprintf(err, err_size, "hết bộ nhớ khi giải mã video");
        goto done;
    }
    if (open_decoder(v, path, false, err, err_size) != 0)
        goto done;
    const AVCodec *acodec = NULL;
    int a = av_find_best_stream(v->fmt, AVMEDIA_TYPE_AUDIO, -1, -1, &acodec, 0);
    if (a >= 0 && acodec) {
        audio = avcodec_alloc_context3(acodec);
        if (!audio || avcodec_parameters_to_context(audio, v->fmt->streams[a]->codecpar) < 0 ||
            avcodec_open2(audio, acodec, NULL) < 0) {
            snprintf(err, err_size, "không mở được bộ giải mã tiếng %s", acodec->name);
            goto done;
        }
    }
    AVStream *st = v->fmt->streams[v->stream];
    long long vstart = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;
    bool broken = false;
    while (!broken && av_read_frame(v->fmt, v->pkt) >= 0) {
        if (v->pkt->stream_index == v->stream)
            broken = decode_packet(v->dec, v->pkt, frame, st->time_base, vstart, decoded_ms) != 0;
        else if (audio && v->pkt->stream_index == a)
            broken = decode_packet(audio, v->pkt, frame, (AVRational){1, 1}, 0, NULL) != 0;
        av_packet_unref(v->pkt);
    }
    if (!broken)
        broken = decode_packet(v->dec, NULL, frame, st->time_base, vstart, decoded_ms) != 0;
    if (broken) {
        snprintf(err, err_size, "tệp video hỏng hoặc bị cắt: bộ giải mã không đọc được dữ liệu từ khoảng "
                 "giây %lld", *decoded_ms / 1000);
        goto done;
    }
    if (*decoded_ms <= 0) {
        snprintf(err, err_size, "tệp video không có khung hình nào giải mã được");
        goto done;
    }
    if (v->duration_ms > 0 && *decoded_ms + CUT_SHORT_SLACK_MS < v->duration_ms) {
        snprintf(err, err_size, "tệp video bị cắt: chỉ giải mã được %lld,%lld giây trong %lld,%lld "
                 "giây mà tệp ghi", *decoded_ms / 1000, *decoded_ms % 1000 / 100,
                 v->duration_ms / 1000, v->duration_ms % 1000 / 100);
        goto done;
    }
    rc = 0;
done:
    avcodec_free_context(&audio);
    av_frame_free(&frame);
    if (v)
        video_free(v);
    return rc;
}
