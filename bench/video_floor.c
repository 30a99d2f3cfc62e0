/* The memory floor of playing a clip with Debian's FFmpeg (issue 15's memory budget): the
 * smallest process that decodes it as the kiosk does (libavformat, libavcodec with one thread,
 * nothing queued, scaled or drawn), so what it holds is what any player built on these
 * libraries must hold. Prints, at the clip's end with the decoder still open:
 *
 *   pss_kb, pss_anon_kb, pss_file_kb   its PSS and the split (smaps_rollup)
 *   ffmpeg_file_kb, ffmpeg_files       PSS of the pages of FFmpeg's libraries and of those they
 *                                      bring in (every mapped file but this program, the C
 *                                      library and the loader), and how many there are
 *   pictures, picture_kb               the decoder's pictures (reference and reordering), which
 *                                      no player of this stream can do without
 *   frames                             frames decoded
 *
 * Used by bench/lobby_video.py; alone: video_floor CLIP. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/log.h>

/* Distinct picture buffers the decoder asked for: a pool reuses them, so their count is how many
 * pictures it holds at once. */
#define MAX_PICTURES 64

static const void *pictures[MAX_PICTURES];
static size_t picture_bytes[MAX_PICTURES];
static int picture_count;

static int counting_get_buffer(AVCodecContext *ctx, AVFrame *frame, int flags)
{
    int rc = avcodec_default_get_buffer2(ctx, frame, flags);
    if (rc < 0)
        return rc;
    for (int i = 0; i < picture_count; i++)
        if (pictures[i] == frame->buf[0]->data)
            return rc;
    if (picture_count < MAX_PICTURES) {
        size_t bytes = 0;
        for (int p = 0; p < AV_NUM_DATA_POINTERS && frame->buf[p]; p++)
            bytes += frame->buf[p]->size;
        pictures[picture_count] = frame->buf[0]->data;
        picture_bytes[picture_count++] = bytes;
    }
    return rc;
}

/* Whether a mapped file is the C runtime every process maps anyway, or this program. */
static bool not_ffmpeg(const char *path)
{
    static const char *const common[] = {"/libc.so", "/ld-linux", "/libm.so", "video_floor"};
    for (size_t i = 0; i < sizeof common / sizeof *common; i++)
        if (strstr(path, common[i]))
            return true;
    return false;
}

/* PSS of the mapped files that come with FFmpeg, and how many there are (smaps). */
static void ffmpeg_files(long *kb, int *count)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[4096], path[4096] = "", seen[4096] = "";
    *kb = 0;
    *count = 0;
    bool counted = false;
    while (f && fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char perms[8];
        int name_at = 0;
        if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %n", &lo, &hi, perms, &name_at) == 3 &&
            name_at > 0) {
            snprintf(path, sizeof path, "%s", line + name_at);
            path[strcspn(path, "\n")] = '\0';
            counted = path[0] == '/' && !not_ffmpeg(path);
            if (counted && strcmp(path, seen) != 0) {
                (*count)++;
                snprintf(seen, sizeof seen, "%s", path);
            }
            continue;
        }
        long v;
        if (counted && sscanf(line, "Pss: %ld kB", &v) == 1)
            *kb += v;
    }
    if (f)
        fclose(f);
}

static void print_rollup(void)
{
    FILE *f = fopen("/proc/self/smaps_rollup", "r");
    char line[256];
    long v;
    while (f && fgets(line, sizeof line, f)) {
        if (sscanf(line, "Pss: %ld kB", &v) == 1)
            printf("pss_kb %ld\n", v);
        else if (sscanf(line, "Pss_Anon: %ld kB", &v) == 1)
            printf("pss_anon_kb %ld\n", v);
        else if (sscanf(line, "Pss_File: %ld kB", &v) == 1)
            printf("pss_file_kb %ld\n", v);
    }
    if (f)
        fclose(f);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: video_floor CLIP\n");
        return 2;
    }
    av_log_set_level(AV_LOG_QUIET); /* as the kiosk (src/ui/video.c) */
    AVFormatContext *fmt = NULL;
    const AVCodec *codec = NULL;
    if (avformat_open_input(&fmt, argv[1], NULL, NULL) != 0 ||
        avformat_find_stream_info(fmt, NULL) < 0) {
        fprintf(stderr, "video_floor: cannot read %s\n", argv[1]);
        return 1;
    }
    int stream = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    AVCodecContext *dec = stream >= 0 && codec ? avcodec_alloc_context3(codec) : NULL;
    if (!dec || avcodec_parameters_to_context(dec, fmt->streams[stream]->codecpar) < 0) {
        fprintf(stderr, "video_floor: no video stream in %s\n", argv[1]);
        return 1;
    }
    dec->thread_count = 1; /* as the kiosk plays (src/ui/video.c, PLAY_DECODE_THREADS) */
    dec->get_buffer2 = counting_get_buffer;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    if (avcodec_open2(dec, codec, NULL) < 0 || !pkt || !frame) {
        fprintf(stderr, "video_floor: cannot open the %s decoder\n", codec->name);
        return 1;
    }
    long frames = 0;
    bool more = true;
    while (more) {
        more = av_read_frame(fmt, pkt) >= 0;
        if (more && pkt->stream_index != stream) {
            av_packet_unref(pkt);
            continue;
        }
        avcodec_send_packet(dec, more ? pkt : NULL);
        av_packet_unref(pkt);
        while (avcodec_receive_frame(dec, frame) == 0) {
            frames++;
            av_frame_unref(frame);
        }
    }
    /* Measured here, the decoder still open with its pictures, as in a clip that loops. */
    print_rollup();
    long file_kb;
    int files;
    ffmpeg_files(&file_kb, &files);
    printf("ffmpeg_file_kb %ld\nffmpeg_files %d\n", file_kb, files);
    size_t bytes = 0;
    for (int i = 0; i < picture_count; i++)
        bytes += picture_bytes[i];
    printf("pictures %d\npicture_kb %zu\nframes %ld\n", picture_count, bytes / 1024, frames);
    av_frame_free(&frame);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    return 0;
}
