/* Video notices' clips with FFmpeg (bt_ui_video.h). Why libavformat/libavcodec rather than
 * libmpv's render API: the screen paints with SDL's renderer, its software renderer included
 * (partial repaints, a turned monitor, headless screenshots), and a frame is a function of time
 * so `screenshot --at` and the kiosk agree. libavcodec hands over a decoded frame we upload into
 * an SDL texture at a time we choose, on any renderer; libmpv is a player with its own clock,
 * threads and audio output, whose render API draws into OpenGL (or its software API) on its own
 * schedule, so a frame at a given time means seeking an asynchronous player. */
#include "bangtin/bt_ui_video.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/hwcontext.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

#include "bangtin/bt_log.h"

#include "video_stream.h"

/* Further ahead than this from the frame shown, seeking to the nearest keyframe before the
 * target is cheaper than decoding every frame on the way (a GOP is 1–2 s in exported clips). */
#define SEEK_AHEAD_MS 2000
/* Decoder threads for the check child's whole decode: the lobby PC has two cores. */
#define DECODE_THREADS 2
/* Playing, the clip's own decode thread is the decoder's only one: a 1080p H.264 frame takes a
 * few ms of one core, well inside its period, and every further decoder thread holds frames of
 * its own in memory. */
#define PLAY_DECODE_THREADS 1
/* The first GPU's render node, which libavutil's VA-API device opens by default. */
#define VAAPI_RENDER_NODE "/dev/dri/renderD128"
/* Pictures of the clip's own in memory: those decoded ahead of the one shown, and the one
 * shown until it is in the texture. The decode thread keeps them ready, so a frame that takes
 * longer than its period to decode (a keyframe at 1080p, a busy moment of the machine) is
 * absorbed by the others and the drawing thread never waits for the decoder in steady play;
 * each is a picture's worth of memory (2.3 MB at the drawn size of a 1080p stage), so no more
 * than that needs. Two: the one shown goes back as soon as it is uploaded, in the turn that took
 * it, so the decoder is two frames ahead between turns; ten kiosk starts mid-clip (1080p30,
 * load 1-3) passed over as many frames with two as with three (7 and 7), 2.3 MB less. On a
 * software renderer the one shown stays in memory (rgb) and is not counted: it stands for the
 * 32-bit texture (four bytes a pixel to its 1.5) that the screen then does without. */
#define QUEUE_FRAMES 2
/* Asked for a time this many frame periods further into the clip than the clock moved since the
 * last time asked for, the drawing thread is not playing the clip but jumping in it (a
 * screenshot's time), and waits for the exact frame. Playing, the clip's time and the clock move
 * together, however late a turn of the loop is, and it never waits: a late frame is skipped. */
#define JUMP_FRAMES 4
/* Catching up to a seek's target, the decoder skips the frames no other frame refers to
 * (AVDISCARD_NONREF) while the last frame it gave is more than this many periods before the
 * target: beyond the frames it holds back for reordering (H.264 at most a few), so that the frame
 * showing at the target is never one skipped. */
#define SKIP_MARGIN_FRAMES 8
/* swscale's YUV-to-RGB converter writes whole blocks of pixels, up to the next multiple of
 * this many past a row's end (821 wide, it wrote 832), and rows in pairs. */
#define CONVERT_BLOCK 32
/* A picture of another width (or an odd height) is converted this many rows at a time into a
 * band of the clip's own and copied from there, so nothing past its rectangle is written: the
 * window's pixels beside it, the end of a texture. */
#define BAND_ROWS 16
/* Live, a seek or a catch-up aims this many periods past the clock, so that live play starts
 * with a frame decoded ahead of the one due rather than racing the decoder for it. */
#define LEAD_FRAMES 1

typedef struct {
    AVFrame *frame;   /* what the texture takes: YUV420P, at the drawn size or the clip's */
    long long ms;     /* when it shows, into the clip */
    unsigned lap;     /* how many times the decoder had gone round the clip */
} queued;

struct bt_ui_video {
    /* The decode thread's own (and open_decoder's, before it starts). */
    AVFormatContext *fmt;
    AVCodecContext *dec;
    AVBufferRef *hw_device;
    enum AVPixelFormat hw_format;
    int stream;
    AVRational time_base;
    long long start_pts;
    long long duration_ms;
    long long period_ms;         /* one frame at the stream's rate */
    AVPacket *pkt;
    AVFrame *out, *sw;           /* the decoder's frame, a VA-API frame copied back */
    bool eof;
    struct SwsContext *sws;      /* to what the texture takes, when the decoder's differs */
    int out_w, out_h;            /* frames scaled to this (bt_ui_video_draw_size); 0: the
                                  * clip's own size */
    AVBufferPool *pool;          /* the planes of the frames take_frame makes */
    int pool_size;
    bool live;                   /* drawn in a shown window: frames never waited for */
    char *name;                  /* the file, for the log */

    /* Shared between the thread and the drawing thread, under sync->lock (apart, so that the
     * const readers lock it too). */
    pthread_t thread;
    bool running;
    struct video_sync {
        pthread_mutex_t lock;
        pthread_cond_t cond;
    } *sync;
    queued queue[QUEUE_FRAMES];
    int head, count;
    bool seek_pending, stop, failed;
    bool seeking;                /* no frame taken since the last seek asked for */
    long long seek_ms;
    long long target_ms;         /* after a seek or a jump: frames that would be passed over
                                  * before this (and, live, before the clock) are not converted
                                  * nor queued (catch_up_to); -1 once a frame is queued */
    bool chase;                  /* the target moves with the clock: live, a showing under way */
    unsigned lap;
    unsigned long decoded;

    /* The drawing thread's own. */
    AVFrame *cur;                /* shown, until it is in tex (then NULL: its memory goes back
                                  * to the decode thread; under sync->lock) */
    bool has_cur;
    long long cur_ms;
    long long asked_ms, asked_at; /* the last time asked for, and when (monotonic ms) */
    unsigned cur_lap;
    bool playing;                /* live play has begun: since the last exact frame, a turn found
                                  * the clip's frames keeping up with the clock */
    unsigned long caught_up;     /* frames due before live play began that never showed (the
                                  * loop busy after the first frame: the kiosk's start) */
    bool uploaded;               /* the frame shown is in tex, or was put into a surface
                                  * (bt_ui_video_frame_into) */
    bool rgb;                    /* tex is 32-bit RGB, converted from cur here (a software
                                  * renderer); else IYUV, converted by the renderer. Then cur
                                  * stays after its upload: the screen may put it straight into
                                  * the window's pixels again (a repaint) or into a texture made
                                  * anew (a crossfade), and holds no texture between */
    Uint32 rgb_format;           /* tex's then: RGB888 or ARGB8888, both B, G, R, X/A in memory */
    struct SwsContext *to_rgb;   /* cur to tex's pixels */
    uint8_t *band;               /* BAND_ROWS converted rows (convert_rgb), when needed */
    unsigned long dropped;
    unsigned long late;          /* shown after the next frame was already due */
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
    AVRational rate = st->avg_frame_rate;
    v->period_ms = rate.num > 0 && rate.den > 0 ? av_rescale(1000, rate.den, rate.num) : 33;
    if (v->period_ms <= 0)
        v->period_ms = 33;
    v->dec = avcodec_alloc_context3(codec);
    if (!v->dec || avcodec_parameters_to_context(v->dec, st->codecpar) < 0) {
        snprintf(err, err_size, "hết bộ nhớ khi mở video \"%s\"", path);
        return -1;
    }
    v->dec->thread_count = hardware ? PLAY_DECODE_THREADS : DECODE_THREADS;
    if (hardware && !try_vaapi(v, codec)) {
        av_buffer_unref(&v->hw_device);
        v->hw_format = AV_PIX_FMT_NONE;
    }
    if (avcodec_open2(v->dec, codec, NULL) < 0) {
        snprintf(err, err_size, "không mở được bộ giải mã %s cho \"%s\"", codec->name, path);
        return -1;
    }
    v->pkt = av_packet_alloc();
    v->out = av_frame_alloc();
    v->sw = av_frame_alloc();
    if (!v->pkt || !v->out || !v->sw) {
        snprintf(err, err_size, "hết bộ nhớ khi mở video \"%s\"", path);
        return -1;
    }
    return 0;
}

/* Frames still queued are released (lock held, or the thread gone). */
static void queue_clear(bt_ui_video *v)
{
    while (v->count > 0) {
        av_frame_free(&v->queue[v->head].frame);
        v->head = (v->head + 1) % QUEUE_FRAMES;
        v->count--;
    }
    v->head = 0;
}

static void video_free(bt_ui_video *v)
{
    if (v->running) {
        pthread_mutex_lock(&v->sync->lock);
        v->stop = true;
        pthread_cond_broadcast(&v->sync->cond);
        pthread_mutex_unlock(&v->sync->lock);
        pthread_join(v->thread, NULL);
        queue_clear(v);
        pthread_cond_destroy(&v->sync->cond);
        pthread_mutex_destroy(&v->sync->lock);
        free(v->sync);
        /* What the benchmark and the operator read: every frame the decoder made, and those
         * that never reached the screen because a later one was due first. */
        bt_log_info("video \"%s\": đã giải mã %lu khung hình, bỏ qua %lu, chiếu muộn %lu; "
                    "bắt kịp trước khi chiếu liền %lu",
                    v->name, v->decoded, v->dropped, v->late, v->caught_up);
    }
    avcodec_free_context(&v->dec);
    av_buffer_unref(&v->hw_device);
    avformat_close_input(&v->fmt);
    av_packet_free(&v->pkt);
    av_frame_free(&v->out);
    av_frame_free(&v->sw);
    av_frame_free(&v->cur);
    sws_freeContext(v->sws);
    sws_freeContext(v->to_rgb);
    av_free(v->band);
    av_buffer_pool_uninit(&v->pool);
    free(v->name);
    free(v);
}

static long long frame_ms(const bt_ui_video *v, const AVFrame *f)
{
    long long pts = f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp : f->pts;
    if (pts == AV_NOPTS_VALUE)
        return 0;
    return av_rescale_q(pts - v->start_pts, v->time_base, (AVRational){1, 1000});
}

/* The next frame into v->out (a VA-API one copied back to memory): 1, 0 at the end of the
 * clip, -1 on an error. The decode thread's. */
static int decode_next(bt_ui_video *v)
{
    int rc = video_stream_next_frame(v->fmt, v->dec, v->stream, v->pkt, &v->eof, v->out);
    if (rc <= 0 || v->hw_format == AV_PIX_FMT_NONE || v->out->format != v->hw_format)
        return rc;
    av_frame_unref(v->sw);
    if (av_hwframe_transfer_data(v->sw, v->out, 0) < 0)
        return -1;
    av_frame_copy_props(v->sw, v->out);
    av_frame_unref(v->out);
    av_frame_move_ref(v->out, v->sw);
    return 1;
}

/* The decoder back at the keyframe at or before ms. The decode thread's. */
static void seek_to(bt_ui_video *v, long long ms)
{
    long long ts = v->start_pts + av_rescale_q(ms, (AVRational){1, 1000}, v->time_base);
    av_seek_frame(v->fmt, v->stream, ts, AVSEEK_FLAG_BACKWARD);
    avcodec_flush_buffers(v->dec);
    v->eof = false;
}

/* A frame of w×h in YUV420P whose planes come from the clip's pool: the queue's pictures are
 * all one size, so their memory is used again rather than mapped and zeroed for every frame.
 * NULL when memory runs out. */
static AVFrame *pooled_frame(bt_ui_video *v, int w, int h)
{
    int size = av_image_get_buffer_size(AV_PIX_FMT_YUV420P, w, h, 64);
    if (size <= 0)
        return NULL;
    if (!v->pool || v->pool_size != size) {
        av_buffer_pool_uninit(&v->pool); /* frames still out keep their buffers */
        v->pool = av_buffer_pool_init((size_t)size, NULL);
        v->pool_size = size;
    }
    AVFrame *f = av_frame_alloc();
    if (!f || !v->pool || !(f->buf[0] = av_buffer_pool_get(v->pool)) ||
        av_image_fill_arrays(f->data, f->linesize, f->buf[0]->data, AV_PIX_FMT_YUV420P, w, h,
                             64) < 0) {
        av_frame_free(&f);
        return NULL;
    }
    f->format = AV_PIX_FMT_YUV420P;
    f->width = w;
    f->height = h;
    return f;
}

/* v->out as a frame of its own in YUV420P planes, what the texture takes: scaled to the drawn
 * size (bt_ui_video_draw_size), or the decoder's buffer itself at the clip's size when it is in
 * that layout already. NULL when memory runs out. */
static AVFrame *take_frame(bt_ui_video *v)
{
    AVFrame *in = v->out;
    bool scaled = v->out_w > 0 && v->out_h > 0;
    bool yuv420 = in->format == AV_PIX_FMT_YUV420P || in->format == AV_PIX_FMT_YUVJ420P;
    if (!scaled && yuv420) {
        AVFrame *f = av_frame_alloc();
        if (f)
            av_frame_move_ref(f, in);
        return f;
    }
    int w = scaled ? v->out_w : in->width, h = scaled ? v->out_h : in->height;
    /* Planar to planar: swscale's vectorised scaler (to packed RGB it takes a far slower path;
     * the drawing thread converts the planes at the same size, upload_rgb). Bilinear: its fast
     * variant is no faster shrinking (swscale's fast path is for enlarging), and nearest
     * neighbour would make a clip's text jagged. */
    v->sws = sws_getCachedContext(v->sws, in->width, in->height, in->format, w, h,
                                  AV_PIX_FMT_YUV420P, SWS_BILINEAR, NULL, NULL, NULL);
    AVFrame *f = v->sws ? pooled_frame(v, w, h) : NULL;
    if (f)
        sws_scale(v->sws, (const uint8_t *const *)in->data, in->linesize, 0, in->height, f->data,
                  f->linesize);
    av_frame_unref(in);
    return f;
}

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Where the decoder catches up to after a seek or a jump (lock held): -1 when it does not.
 * Hidden, or a showing's first frame, the time asked for. Live later on, the clock too: the drawing thread waits for the first frame
 * and then plays on the clock, which moved meanwhile, so frames before where the clock is when
 * they come out would only be decoded, converted and passed over. Never past the clip's last
 * frames, which must reach the queue for the clip to end or go round. */
static long long catch_up_to(const bt_ui_video *v)
{
    if (v->target_ms < 0)
        return -1;
    long long want = v->target_ms;
    if (v->chase) {
        long long clock = v->asked_ms + (mono_ms() - v->asked_at) + LEAD_FRAMES * v->period_ms;
        if (clock > want)
            want = clock;
    }
    long long last = v->duration_ms - 2 * v->period_ms;
    if (v->duration_ms > 0 && want > last)
        want = last;
    return want;
}

/* The decode thread: keeps QUEUE_FRAMES frames ready ahead of the one shown, seeks where the
 * drawing thread asks, and at the clip's end goes round to its start (the next lap), so a
 * looping clip's first frames are ready when its last has shown.
 *
 * A lap's (or a seek's) first frame is decoded as soon as the decoder is there, even with the
 * queue full: it is the costliest of all (a keyframe, and the decoder takes in as many frames
 * again as it holds back for reordering before it gives one), and the queue holds no more than
 * the clip's last 100 ms. Left for the queue to make room, it came 50–150 ms after the loop
 * began (the bench's looping 1080p clip: frames late at every lap). It waits in v->out, a
 * picture the decoder keeps anyway (a keyframe is a reference), until there is room to take
 * it. */
static void *decode_thread(void *arg)
{
    bt_ui_video *v = arg;
    unsigned long lap_frames = 0;
    bool held = false; /* v->out holds decode_next's answer held_rc, not taken yet */
    int held_rc = 0;
    long long last_ms = -1; /* the last frame's time out of the decoder; -1 after a seek */
    pthread_mutex_lock(&v->sync->lock);
    while (!v->stop) {
        if (v->seek_pending) {
            long long ms = v->seek_ms;
            v->seek_pending = false;
            v->failed = false;
            pthread_mutex_unlock(&v->sync->lock);
            av_frame_unref(v->out);
            held = false;
            seek_to(v, ms);
            lap_frames = 0;
            last_ms = -1; /* until the keyframe comes out, where the decoder is is not known */
            pthread_mutex_lock(&v->sync->lock);
            continue;
        }
        /* The frame shown still waiting for its upload counts: its memory is not free yet.
         * Kept as 32-bit RGB's source (rgb) it does not: it stands for the texture it replaces. */
        if (v->count + (v->cur != NULL && !v->rgb) >= QUEUE_FRAMES || v->failed) {
            if (lap_frames == 0 && !held && !v->failed) {
                pthread_mutex_unlock(&v->sync->lock);
                held_rc = decode_next(v);
                held = true;
                pthread_mutex_lock(&v->sync->lock);
                continue;
            }
            pthread_cond_wait(&v->sync->cond, &v->sync->lock);
            continue;
        }
        long long want = catch_up_to(v);
        pthread_mutex_unlock(&v->sync->lock);
        if (!held) {
            /* Far below the target the frames nothing refers to are not even decoded. */
            bool far = want >= 0 && last_ms >= 0 &&
                       last_ms + SKIP_MARGIN_FRAMES * v->period_ms < want;
            v->dec->skip_frame = far ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
        }
        int rc = held ? held_rc : decode_next(v);
        held = false;
        long long ms = rc > 0 ? frame_ms(v, v->out) : 0; /* a converted copy has no pts */
        if (rc > 0)
            last_ms = ms;
        /* Its next frame is due by the target: it would never show. */
        bool behind = rc > 0 && want >= 0 && ms + v->period_ms <= want;
        if (behind)
            av_frame_unref(v->out);
        AVFrame *f = rc > 0 && !behind ? take_frame(v) : NULL;
        bool lap_end = rc == 0 && (lap_frames > 0 || want >= 0);
        if (lap_end)
            seek_to(v, 0);
        pthread_mutex_lock(&v->sync->lock);
        if (v->seek_pending) { /* decoded for a position no longer wanted */
            av_frame_free(&f);
            continue;
        }
        if (behind)
            continue;
        /* Asked to catch up while it was decoded (behind_before_play): too old by now. */
        want = catch_up_to(v);
        if (f && want >= 0 && ms + v->period_ms <= want) {
            av_frame_free(&f);
            continue;
        }
        if (f) {
            v->queue[(v->head + v->count) % QUEUE_FRAMES] = (queued){f, ms, v->lap};
            v->count++;
            v->decoded++;
            lap_frames++;
            v->target_ms = -1;
        } else if (lap_end) {
            v->lap++;
            lap_frames = 0;
            v->target_ms = -1; /* the target was past the clip's end: it shows from its start */
            last_ms = -1;
        } else {
            v->failed = true; /* an error, or a clip with no frame at all: wait for a seek */
        }
        pthread_cond_broadcast(&v->sync->cond);
    }
    pthread_mutex_unlock(&v->sync->lock);
    av_frame_unref(v->out);
    return NULL;
}

/* The lock, its condition and the decode thread: 0, or -1 with nothing left to undo. */
static int start_thread(bt_ui_video *v)
{
    v->sync = malloc(sizeof *v->sync);
    if (!v->sync)
        return -1;
    if (pthread_mutex_init(&v->sync->lock, NULL) != 0)
        goto no_lock;
    if (pthread_cond_init(&v->sync->cond, NULL) != 0)
        goto no_cond;
    if (pthread_create(&v->thread, NULL, decode_thread, v) != 0)
        goto no_thread;
    v->running = true;
    return 0;
no_thread:
    pthread_cond_destroy(&v->sync->cond);
no_cond:
    pthread_mutex_destroy(&v->sync->lock);
no_lock:
    free(v->sync);
    v->sync = NULL;
    return -1;
}

bt_ui_video *bt_ui_video_open(const char *path, char *err, size_t err_size)
{
    bt_ui_video *v = calloc(1, sizeof *v);
    if (!v || !(v->name = strdup(path))) {
        free(v);
        snprintf(err, err_size, "hết bộ nhớ khi mở video");
        return NULL;
    }
    v->target_ms = -1;
    if (open_decoder(v, path, true, err, err_size) != 0) {
        video_free(v);
        return NULL;
    }
    bt_log_info("video \"%s\": %d×%d %s, giải mã bằng %s", path,
                v->dec->width, v->dec->height, v->dec->codec->name,
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

void bt_ui_video_draw_size(bt_ui_video *v, SDL_Renderer *r, int w, int h)
{
    SDL_RendererInfo info;
    /* A GPU scales and converts YUV itself; SDL's software renderer would do both on the
     * drawing thread, every frame. */
    bool software = SDL_GetRendererInfo(r, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE);
    /* Exactly the drawn size, odd or not: the renderer then copies the texture 1:1 (one
     * pixel off, SDL would stretch it, the costliest copy it has). */
    v->out_w = software && w > 1 && h > 1 ? w : 0;
    v->out_h = software && w > 1 && h > 1 ? h : 0;
    /* The window's own pixels when they are 32-bit BGRX in memory (X11's depth 24): a copy
     * into it is then a plain copy of rows; otherwise ARGB8888, which every blitter takes. */
    SDL_Window *shown = SDL_RenderGetWindow(r);
    v->rgb_format = shown && SDL_GetWindowPixelFormat(shown) == SDL_PIXELFORMAT_RGB888
                        ? SDL_PIXELFORMAT_RGB888
                        : SDL_PIXELFORMAT_ARGB8888;
    /* A window people watch plays the clip live; a hidden one (a screenshot, a test) is drawn
     * at chosen times, each of which must show its own frame. */
    v->live = shown && !(SDL_GetWindowFlags(shown) & SDL_WINDOW_HIDDEN);
}

SDL_Texture *bt_ui_video_texture(bt_ui_video *v, SDL_Renderer *r, char *err, size_t err_size)
{
    bool scaled = v->out_w > 0;
    int w = scaled ? v->out_w : v->dec->width, h = scaled ? v->out_h : v->dec->height;
    /* On SDL's software renderer an IYUV texture is two: the planes as given, and the pixels
     * they are converted to when given (ARGB8888, 4 bytes a pixel). A 32-bit RGB texture
     * converted into here is the second alone: 2.3 MB and a copy of the planes fewer per frame
     * at 1080p. A GPU converts IYUV itself. */
    v->rgb = scaled;
    Uint32 format = v->rgb ? v->rgb_format : SDL_PIXELFORMAT_IYUV;
    SDL_Texture *tex = SDL_CreateTexture(r, format, SDL_TEXTUREACCESS_STREAMING, w, h);
    if (!tex) {
        snprintf(err, err_size, "không tạo được khung hình video %d×%d: %s", w, h,
                 SDL_GetError());
        return NULL;
    }
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    v->uploaded = false;
    /* The frame shown went back to the decode thread once uploaded (IYUV): the new texture takes
     * it from the decoder again. */
    if (v->has_cur && !v->cur)
        v->has_cur = false;
    /* The decoding starts with the first texture: from then on its size and kind are fixed. */
    if (!v->running && start_thread(v) != 0) {
        SDL_DestroyTexture(tex);
        snprintf(err, err_size, "không tạo được luồng giải mã video");
        return NULL;
    }
    return tex;
}

/* The queue's first frame becomes the one shown (lock held). */
static void take_head(bt_ui_video *v)
{
    queued *h = &v->queue[v->head];
    av_frame_free(&v->cur);
    v->cur = h->frame;
    v->cur_ms = h->ms;
    v->cur_lap = h->lap;
    v->has_cur = true;
    v->uploaded = false;
    h->frame = NULL;
    v->head = (v->head + 1) % QUEUE_FRAMES;
    v->count--;
}

/* Whether a frame of a later lap than the one shown is queued (lock held): the clip went round,
 * and a jump back to its start is its loop, not a seek. Frames of the old lap before it never
 * showed (dropped). */
static bool next_lap_queued(bt_ui_video *v)
{
    for (int i = 0; i < v->count; i++)
        if (v->queue[(v->head + i) % QUEUE_FRAMES].lap != v->cur_lap) {
            while (v->queue[v->head].lap == v->cur_lap) {
                av_frame_free(&v->queue[v->head].frame);
                v->head = (v->head + 1) % QUEUE_FRAMES;
                v->count--;
                v->dropped++;
            }
            return true;
        }
    return false;
}

/* Asks the decode thread to start again from the keyframe at or before ms (lock held). The
 * frame shown stays until the first one from there is taken. */
static void request_seek(bt_ui_video *v, long long ms)
{
    queue_clear(v);
    v->seek_pending = true;
    v->seeking = true;
    v->failed = false; /* whatever failed before, the seek tries again */
    v->seek_ms = ms;
    v->target_ms = ms;
    /* A showing's first frame is the one at ms; later, live, the clock has moved on by the time
     * the decoder gets there. */
    v->chase = v->live && v->has_cur;
    pthread_cond_broadcast(&v->sync->cond);
}

/* Forward to ms without a seek (lock held): the decoder goes on from where it is, converting and
 * queueing nothing before ms (live: before the clock, catch_up_to), and the first frame it queues
 * is taken, as after a seek. What is queued is older than that: it would only be passed over. */
static void catch_up(bt_ui_video *v, long long ms)
{
    queue_clear(v);
    v->seeking = true;
    v->target_ms = ms;
    v->chase = v->live;
    pthread_cond_broadcast(&v->sync->cond);
}

/* Live, before play has begun (after the first frame, or a jump): whether the clip's frames
 * fell behind the clock ms while the drawing thread was away, the newest decoded one's
 * successor already due (lock held). Then the decoder catches up to the clock, its frames on
 * the way neither converted nor queued, and the frame at the clock is waited for, as for a jump:
 * live play then begins with a frame ahead instead of chasing the clock frame by frame, passing
 * them over (the kiosk's start: the loudspeaker and the stick watcher start on the loop's
 * thread after the first frame, ~80–150 ms, while the decoder waits with a full queue). */
static bool behind_before_play(bt_ui_video *v, long long ms)
{
    long long newest = v->count > 0 ? v->queue[(v->head + v->count - 1) % QUEUE_FRAMES].ms
                                    : v->cur_ms;
    bool same_lap = v->count == 0 || v->queue[(v->head + v->count - 1) % QUEUE_FRAMES].lap ==
                                         v->cur_lap;
    /* Near the clip's end the decoder is already on its next lap: it plays on. */
    bool ending = v->duration_ms > 0 && ms + 2 * QUEUE_FRAMES * v->period_ms >= v->duration_ms;
    if (v->playing || !same_lap || ending || ms < v->cur_ms || newest + v->period_ms > ms) {
        v->playing = true;
        return false;
    }
    long long skipped = (ms - v->cur_ms) / v->period_ms - 1;
    v->caught_up += skipped > 0 ? (unsigned long)skipped : 0;
    catch_up(v, ms);
    return true;
}

/* The frame showing at ms becomes cur (lock held): -1 when the decoder failed before any.
 *
 * Exact (the first frame, a jump, a hidden window: the drawing thread waits for the decoder
 * until it knows the frame at ms, so the first frame and `screenshot --at` are right) or
 * playing live (it never waits: the newest frame due is taken, those passed over are counted as
 * dropped, and when the next is late the one shown stays). */
static int pick_frame(bt_ui_video *v, long long ms)
{
    /* The same time again, in the same turn (the screen refreshes the clip, then paints it):
     * its frame is picked. Taken as a new ask, it would move the clock this call sees to after
     * the first one's wait, and the next turn would look like a jump and wait again. */
    if (v->has_cur && ms == v->asked_ms)
        return 0;
    long long now = mono_ms();
    bool jump = v->has_cur && ms - v->asked_ms > now - v->asked_at + JUMP_FRAMES * v->period_ms;
    bool exact = !v->has_cur || jump || !v->live;
    if (exact)
        v->playing = false;
    else if (behind_before_play(v, ms))
        exact = true;
    v->asked_ms = ms;
    v->asked_at = now;
    if (!v->has_cur) {
        if (!v->seeking)
            request_seek(v, ms);
    } else if (v->seeking) {
        /* a seek asked for by an earlier call is still on its way */
    } else if (ms < v->cur_ms) {
        if (!next_lap_queued(v))
            request_seek(v, ms); /* back: the start of a loop the decoder has not reached yet */
    } else if (jump && ms > v->cur_ms + SEEK_AHEAD_MS) {
        request_seek(v, ms);
    } else if (jump) {
        catch_up(v, ms); /* forward from here: what comes before it is not converted */
    }
    bool passed = false;       /* a frame was taken in this call */
    bool counted_late = false; /* and counted as shown late */
    for (;;) {
        if (v->count == 0) {
            if (!exact || v->failed)
                break;
            pthread_cond_wait(&v->sync->cond, &v->sync->lock);
            continue;
        }
        const queued *h = &v->queue[v->head];
        bool first = v->seeking || h->lap != v->cur_lap; /* after a seek, or round the loop */
        if (!first && h->ms > ms)
            break; /* the next frame is not due yet */
        if (first && !v->seeking && ms >= v->cur_ms)
            break; /* the clip ended and does not start again yet: its last frame stays */
        if (passed && !exact && !first)
            v->dropped++; /* decoded, and passed over without being shown */
        bool late = !exact && !first && ms >= h->ms + v->period_ms;
        take_head(v);
        v->seeking = false;
        if (passed && counted_late)
            v->late--; /* the one before it was passed over after all, not shown late */
        v->late += late;
        counted_late = late;
        passed = true;
        pthread_cond_broadcast(&v->sync->cond); /* room in the queue */
    }
    return v->has_cur ? 0 : -1;
}

static int upload_yuv(bt_ui_video *v, SDL_Texture *tex)
{
    const AVFrame *y = v->cur;
    return SDL_UpdateYUVTexture(tex, NULL, y->data[0], y->linesize[0], y->data[1], y->linesize[1],
                                y->data[2], y->linesize[2]);
}

/* The colours a clip's YUV means: BT.709 for HD, BT.601 for SD, as tagged, and as SDL guesses
 * an untagged clip (SDL_YUV_CONVERSION_AUTOMATIC: by its height). */
static int clip_colorspace(const bt_ui_video *v)
{
    switch (v->dec->colorspace) {
    case AVCOL_SPC_BT709:
        return SWS_CS_ITU709;
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M:
        return SWS_CS_ITU601;
    default:
        return v->dec->height > 576 ? SWS_CS_ITU709 : SWS_CS_ITU601;
    }
}

/* cur (YUV420P at the drawn size) converted into 32-bit B, G, R, X pixels at `pixels`, rows
 * `pitch` bytes apart, writing nothing past its width and height. */
static int convert_rgb(bt_ui_video *v, uint8_t *pixels, int pitch)
{
    const AVFrame *y = v->cur;
    if (!v->to_rgb) {
        /* Same size: swscale's unscaled YUV-to-RGB converter, vectorised. */
        v->to_rgb = sws_getContext(y->width, y->height, AV_PIX_FMT_YUV420P, y->width, y->height,
                                   AV_PIX_FMT_BGRA, SWS_POINT, NULL, NULL, NULL);
        if (!v->to_rgb)
            return SDL_SetError("swscale");
        const int *coefficients = sws_getCoefficients(clip_colorspace(v));
        sws_setColorspaceDetails(v->to_rgb, coefficients, 0, coefficients, 1, 0, 1 << 16,
                                 1 << 16);
    }
    int w = y->width, h = y->height;
    if (w % CONVERT_BLOCK == 0 && h % 2 == 0) {
        uint8_t *dst[4] = {pixels, NULL, NULL, NULL};
        int dst_pitch[4] = {pitch, 0, 0, 0};
        sws_scale(v->to_rgb, (const uint8_t *const *)y->data, y->linesize, 0, h, dst, dst_pitch);
        return 0;
    }
    int band_pitch = (w / CONVERT_BLOCK + 1) * CONVERT_BLOCK * 4;
    if (!v->band && !(v->band = av_malloc((size_t)band_pitch * (BAND_ROWS + 2))))
        return SDL_OutOfMemory();
    uint8_t *dst[4] = {v->band, NULL, NULL, NULL};
    int dst_pitch[4] = {band_pitch, 0, 0, 0};
    /* Each band as a picture of its own: the converter keeps nothing from one call to the next. */
    for (int row = 0; row < h; row += BAND_ROWS) {
        int n = h - row < BAND_ROWS ? h - row : BAND_ROWS;
        const uint8_t *src[4] = {y->data[0] + (size_t)row * (size_t)y->linesize[0],
                                 y->data[1] + (size_t)(row / 2) * (size_t)y->linesize[1],
                                 y->data[2] + (size_t)(row / 2) * (size_t)y->linesize[2], NULL};
        sws_scale(v->to_rgb, src, y->linesize, 0, n, dst, dst_pitch);
        for (int i = 0; i < n; i++)
            memcpy(pixels + (size_t)(row + i) * (size_t)pitch,
                   v->band + (size_t)i * (size_t)band_pitch, (size_t)w * 4);
    }
    return 0;
}

/* cur converted into tex's 32-bit pixels, in place. */
static int upload_rgb(bt_ui_video *v, SDL_Texture *tex)
{
    void *pixels;
    int pitch;
    if (SDL_LockTexture(tex, NULL, &pixels, &pitch) != 0)
        return -1;
    int rc = convert_rgb(v, pixels, pitch);
    SDL_UnlockTexture(tex);
    return rc;
}

int bt_ui_video_frame_at(bt_ui_video *v, long long ms, SDL_Texture *tex, char *err,
                         size_t err_size)
{
    if (ms < 0)
        ms = 0;
    pthread_mutex_lock(&v->sync->lock);
    int rc = pick_frame(v, ms);
    pthread_mutex_unlock(&v->sync->lock);
    if (rc < 0) {
        snprintf(err, err_size, "không giải mã được khung hình ở %lld ms", ms);
        return -1;
    }
    if (v->uploaded)
        return 0;
    if (!tex)
        return 1; /* picked only: bt_ui_video_frame_into puts it on the screen */
    if ((v->rgb ? upload_rgb(v, tex) : upload_yuv(v, tex)) != 0) {
        snprintf(err, err_size, "không đưa được khung hình video lên màn hình: %s",
                 SDL_GetError());
        return -1;
    }
    v->uploaded = true;
    if (v->rgb)
        return 1;
    /* Its memory back to the decode thread: the texture holds the picture now. */
    pthread_mutex_lock(&v->sync->lock);
    av_frame_free(&v->cur);
    pthread_cond_broadcast(&v->sync->cond);
    pthread_mutex_unlock(&v->sync->lock);
    return 1;
}

int bt_ui_video_frame_into(bt_ui_video *v, long long ms, SDL_Surface *dst, SDL_Rect at,
                           char *err, size_t err_size)
{
    Uint32 format = dst->format->format;
    if (!v->rgb || at.w != v->out_w || at.h != v->out_h || at.x < 0 || at.y < 0 ||
        at.x + at.w > dst->w || at.y + at.h > dst->h ||
        (format != SDL_PIXELFORMAT_RGB888 && format != SDL_PIXELFORMAT_ARGB8888)) {
        snprintf(err, err_size, "khung hình video %d×%d không đặt thẳng được vào màn hình", at.w,
                 at.h);
        return -1;
    }
    if (bt_ui_video_frame_at(v, ms, NULL, err, err_size) < 0)
        return -1;
    if (!v->cur) {
        snprintf(err, err_size, "chưa có khung hình video ở %lld ms", ms);
        return -1;
    }
    if (SDL_LockSurface(dst) != 0) {
        snprintf(err, err_size, "không ghi được vào màn hình: %s", SDL_GetError());
        return -1;
    }
    Uint8 *corner = (Uint8 *)dst->pixels + (size_t)at.y * (size_t)dst->pitch + (size_t)at.x * 4;
    int rc = convert_rgb(v, corner, dst->pitch);
    SDL_UnlockSurface(dst);
    if (rc != 0) {
        snprintf(err, err_size, "không chuyển được khung hình video: %s", SDL_GetError());
        return -1;
    }
    v->uploaded = true;
    return 1;
}

long long bt_ui_video_next_ms(const bt_ui_video *v)
{
    pthread_mutex_lock(&v->sync->lock);
    /* Not decoded yet: a look again a quarter of a period after the time last asked for, so
     * that a decoder running late is not polled by a spinning loop. */
    long long next = v->cur_ms + v->period_ms;
    if (next < v->asked_ms + v->period_ms / 4)
        next = v->asked_ms + v->period_ms / 4;
    if (v->count > 0)
        next = v->queue[v->head].lap == v->cur_lap ? v->queue[v->head].ms : -1;
    pthread_mutex_unlock(&v->sync->lock);
    return next;
}

void bt_ui_video_counts(const bt_ui_video *v, unsigned long *decoded, unsigned long *dropped)
{
    pthread_mutex_lock(&v->sync->lock);
    *decoded = v->decoded;
    *dropped = v->dropped;
    pthread_mutex_unlock(&v->sync->lock);
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
