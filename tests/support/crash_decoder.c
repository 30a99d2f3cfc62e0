/* A decoder that crashes, for the test that a crash refuses the file and not the process that
 * asked (tests/integration/test_video.c). Preloaded (LD_PRELOAD) into `bangtin check`, it lets
 * every call through except in the child that decodes a clip whole (`bangtin video-check`),
 * where the first packet sent to a decoder dies of SIGSEGV, as a decoder bug on a hostile file
 * would. Test code only: nothing in the program knows it exists. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

struct AVCodecContext;
struct AVPacket;
int avcodec_send_packet(struct AVCodecContext *ctx, const struct AVPacket *pkt);

/* Whether this process was started as `bangtin video-check …` (its arguments are NUL-separated
 * in /proc/self/cmdline). */
static int in_video_check(void)
{
    char buf[4096];
    int fd = open("/proc/self/cmdline", O_RDONLY);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    for (ssize_t i = 0; i < n;) {
        if (strcmp(buf + i, "video-check") == 0)
            return 1;
        i += (ssize_t)strlen(buf + i) + 1;
    }
    return 0;
}

/* Where the real function is: after this library in the global scope when the program links
 * libavcodec, else in the copy the video module opened with RTLD_LOCAL (bt_video_module.h),
 * which RTLD_NEXT does not search: found by its file among the loaded objects. */
static int find_libavcodec(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    if (!strstr(info->dlpi_name, "/libavcodec.so"))
        return 0;
    *(void **)data = dlopen(info->dlpi_name, RTLD_NOW | RTLD_NOLOAD);
    return 1;
}

static void *libavcodec(void)
{
    void *lib = NULL;
    if (dlsym(RTLD_NEXT, "avcodec_send_packet"))
        return RTLD_NEXT;
    dl_iterate_phdr(find_libavcodec, &lib);
    return lib;
}

int avcodec_send_packet(struct AVCodecContext *ctx, const struct AVPacket *pkt)
{
    if (in_video_check())
        raise(SIGSEGV);
    int (*real)(struct AVCodecContext *, const struct AVPacket *) =
        (int (*)(struct AVCodecContext *, const struct AVPacket *))dlsym(libavcodec(),
                                                                        "avcodec_send_packet");
    return real(ctx, pkt);
}
