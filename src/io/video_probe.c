/* A video's headers through libavformat (issue 15): what container it really is (not what its
 * name says), the codecs of its first video and audio streams, the picture's size, frame rate
 * and duration, read without decoding a frame. The file comes from a stick, so its size is
 * checked before libavformat opens it; the whole decode happens in a child (check_video.c). */
#include "video_probe.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <libavformat/avformat.h>
#include <libavutil/log.h>

#include "bangtin/bt_limits.h"

/* The demuxers of what the screen plays: MP4/MOV and Matroska/WebM. libavformat opens a file
 * with whichever demuxer recognises its header, so a fake extension is told by name; only these
 * two go on to read stream parameters (avformat_find_stream_info), the others are handed back
 * by name for the validator to refuse. */
static const char *const demuxers[] = {"mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"};

static bool demuxer_allowed(const char *name)
{
    for (size_t i = 0; i < sizeof demuxers / sizeof demuxers[0]; i++)
        if (strcmp(name, demuxers[i]) == 0)
            return true;
    return false;
}

static void copy_name(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

bt_asset_status io_video_probe(const char *path, bt_video_facts *f)
{
    AVFormatContext *fmt = NULL;
    struct stat st;
    memset(f, 0, sizeof *f);
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return BT_ASSET_MISSING;
    f->bytes = (long long)st.st_size;
    if (f->bytes > BT_MAX_VIDEO_FILE_BYTES)
        return BT_ASSET_TOO_LARGE;
    av_log_set_level(AV_LOG_QUIET); /* its English goes nowhere; the validator speaks */
    if (avformat_open_input(&fmt, path, NULL, NULL) != 0)
        return BT_ASSET_UNDECODABLE;
    if (!fmt->iformat || !demuxer_allowed(fmt->iformat->name)) {
        copy_name(f->container, sizeof f->container, fmt->iformat ? fmt->iformat->name : "");
        avformat_close_input(&fmt);
        return BT_ASSET_OK; /* the validator names the container it is */
    }
    copy_name(f->container, sizeof f->container, fmt->iformat->name);
    /* Enough to read each stream's parameters; the whole decode is the child's (check_video). */
    fmt->probesize = 5 * 1024 * 1024;
    if (avformat_find_stream_info(fmt, NULL) < 0) {
        avformat_close_input(&fmt);
        return BT_ASSET_UNDECODABLE;
    }
    int v = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    int a = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
    if (v >= 0) {
        AVStream *s = fmt->streams[v];
        copy_name(f->video_codec, sizeof f->video_codec, avcodec_get_name(s->codecpar->codec_id));
        f->width = s->codecpar->width;
        f->height = s->codecpar->height;
        AVRational r = s->avg_frame_rate.num > 0 ? s->avg_frame_rate : s->r_frame_rate;
        if (r.num > 0 && r.den > 0)
            f->fps_milli = (int)av_rescale(1000, r.num, r.den);
        if (s->duration > 0 && s->time_base.den > 0)
            f->duration_ms = av_rescale_q(s->duration, s->time_base, (AVRational){1, 1000});
    }
    if (a >= 0)
        copy_name(f->audio_codec, sizeof f->audio_codec,
                  avcodec_get_name(fmt->streams[a]->codecpar->codec_id));
    if (f->duration_ms <= 0 && fmt->duration > 0)
        f->duration_ms = fmt->duration / (AV_TIME_BASE / 1000);
    avformat_close_input(&fmt);
    return BT_ASSET_OK;
}

bool io_video_probes(void)
{
    return true;
}
