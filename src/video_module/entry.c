/* The video module's one exported function (bt_video_module.h): the table of ui/video.c and
 * io/video_probe.c, compiled into bangtin-video.so with every other symbol hidden, so nothing
 * in it can be confused with the program's own functions of the same name. */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bangtin/bt_log.h"
#include "bangtin/bt_video_module.h"

#include "video_probe.h"

static bt_video_module_log_fn host_log;

/* video.c logs through bt_log as in the static build; here its lines go to the program's log,
 * which the module does not link (the program's sink, level and journald priorities apply). */
void bt_log(bt_log_level level, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    if (!host_log)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    host_log((int)level, line);
}

/* ---- the pages loading touched and playing never reads again ------------------------------ */

/* Debian's libavcodec and libavformat link every library FFmpeg can use: some 85 of them come
 * with this module (x265, rav1e and SVT-AV1 encoders, librsvg, libopenmpt, SRT, ZeroMQ, …), and
 * loading them, relocating them and probing a file's container against every demuxer makes
 * about 20 MB of their read-only pages resident — symbol tables, constructors, probe functions,
 * each rounded up to the kernel's fault-around — which nothing reads again. Once a clip plays,
 * those pages are let go: a read-only segment is never written (a library with text
 * relocations is left alone), so its pages are the file's own, still in the page cache, and
 * whatever decoding does use comes back on its first touch as a minor fault. Only what this
 * module brought is touched: it and the objects after it in the list dl_iterate_phdr gives (in
 * load order) as that list stood when the program took the table, right after loading it; not
 * the program's own libraries, nor one opened later. */
typedef struct {
    uintptr_t module_base; /* this module's load address */
    bool reached;          /* it was met: the objects from here on came with it */
    int index;             /* of the object being walked */
    int end;               /* objects listed when the table was taken: those after are not ours */
    long page;
} release_walk;

/* How many objects the list held when the table was taken (bt_video_module_get). */
static int objects_at_load;

static int count_object(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)info;
    (void)size;
    ++*(int *)data;
    return 0;
}

static bool has_text_relocations(const struct dl_phdr_info *info)
{
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_DYNAMIC)
            continue;
        for (const ElfW(Dyn) *d = (const ElfW(Dyn) *)(info->dlpi_addr + ph->p_vaddr);
             d->d_tag != DT_NULL; d++)
            if (d->d_tag == DT_TEXTREL || (d->d_tag == DT_FLAGS && (d->d_un.d_val & DF_TEXTREL)))
                return true;
    }
    return false;
}

static int release_object(struct dl_phdr_info *info, size_t size, void *data)
{
    release_walk *w = data;
    (void)size;
    if (w->index++ >= w->end)
        return 1; /* the rest loaded after this module */
    if (info->dlpi_addr == w->module_base)
        w->reached = true;
    if (!w->reached || has_text_relocations(info))
        return 0;
    uintptr_t mask = ~(uintptr_t)(w->page - 1);
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W) || ph->p_memsz == 0)
            continue;
        /* Whole pages inside the segment: a page it shares with a writable neighbour stays. */
        uintptr_t start = (info->dlpi_addr + ph->p_vaddr + (uintptr_t)w->page - 1) & mask;
        uintptr_t end = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz) & mask;
        if (end > start)
            madvise((void *)start, end - start, MADV_DONTNEED);
    }
    return 0;
}

static void release_loading_pages(void)
{
    Dl_info self;
    release_walk w = {0, false, 0, objects_at_load, sysconf(_SC_PAGESIZE)};
    if (w.page <= 0 || !dladdr((void *)release_loading_pages, &self))
        return;
    w.module_base = (uintptr_t)self.dli_fbase;
    dl_iterate_phdr(release_object, &w);
}

static pthread_once_t released = PTHREAD_ONCE_INIT;

/* bt_ui_video_texture, after which the first clip plays: its probe and its decoder's opening
 * are done, the pages they touched can go. */
static SDL_Texture *texture_then_release(bt_ui_video *v, SDL_Renderer *r, char *err,
                                         size_t err_size)
{
    SDL_Texture *tex = bt_ui_video_texture(v, r, err, err_size);
    if (tex)
        pthread_once(&released, release_loading_pages);
    return tex;
}

static const bt_video_module table = {
    .abi = BT_VIDEO_MODULE_ABI,
    .open = bt_ui_video_open,
    .close = bt_ui_video_close,
    .size = bt_ui_video_size,
    .duration_ms = bt_ui_video_duration_ms,
    .hardware = bt_ui_video_hardware,
    .draw_size = bt_ui_video_draw_size,
    .texture = texture_then_release,
    .frame_at = bt_ui_video_frame_at,
    .next_ms = bt_ui_video_next_ms,
    .counts = bt_ui_video_counts,
    .decode_whole = bt_ui_video_decode_whole,
    .probe = io_video_probe,
    .sound_open = bt_ui_video_sound_open,
    .sound_close = bt_ui_video_sound_close,
    .sound_read = bt_ui_video_sound_read,
    .sound_seek = bt_ui_video_sound_seek,
};

/* Declared here, not in a header: the program reaches it by name through dlsym only. */
__attribute__((visibility("default"))) const bt_video_module *
bt_video_module_get(unsigned abi, bt_video_module_log_fn log);

const bt_video_module *bt_video_module_get(unsigned abi, bt_video_module_log_fn log)
{
    if (abi != BT_VIDEO_MODULE_ABI)
        return NULL;
    host_log = log;
    if (objects_at_load == 0)
        dl_iterate_phdr(count_object, &objects_at_load);
    return &table;
}
