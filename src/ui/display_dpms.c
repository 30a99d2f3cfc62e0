/* DPMS, the display's own power switch, through the connection the kiosk's window already has:
 * on X11 the server's DPMS extension (DPMSForceLevel), on KMSDRM the connector's "DPMS" property
 * (what the console and Xorg set too). libXext and libdrm are opened with dlopen at the first
 * switch, so a start-up that never sleeps loads nothing more (SDL itself loads X11 lazily).
 * doctor asks the same questions without a window: the X server in $DISPLAY, else /dev/dri. */
#include "bangtin/bt_ui_display_power.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL2/SDL_syswm.h>
#include <X11/Xlib.h>
#include <X11/extensions/dpms.h>
#include <xf86drmMode.h>

#include "bangtin/bt_diag.h"

#include "dl_symbol.h"

/* The cards a doctor looks at when there is no X server: a kiosk has one or two. */
#define DRM_CARDS 4

typedef enum { DPMS_NONE, DPMS_X11, DPMS_DRM } dpms_kind;

struct bt_ui_dpms {
    SDL_Window *window;      /* NULL: the machine's (doctor) */
    bool loaded;             /* the first switch or probe happened */
    char problem[BT_DISPLAY_ERROR_BYTES]; /* why it cannot switch ("" = it can) */
    dpms_kind kind;
    void *lib, *x11;
    Display *dpy;
    bool own_dpy;
    int fd;
    bool own_fd;
    char where[64];
    /* libX11 and libXext */
    Display *(*open_display)(const char *);
    int (*close_display)(Display *);
    int (*flush)(Display *);
    Bool (*query)(Display *, int *, int *);
    Bool (*capable)(Display *);
    Status (*enable)(Display *);
    Status (*disable)(Display *);
    bool was_enabled;        /* X11: DPMS was on before the first sleep (xset -dpms: it was not) */
    Status (*force)(Display *, CARD16);
    Status (*info)(Display *, CARD16 *, BOOL *);
    /* libdrm */
    drmModeResPtr (*get_resources)(int);
    void (*free_resources)(drmModeResPtr);
    drmModeConnectorPtr (*get_connector)(int, uint32_t);
    void (*free_connector)(drmModeConnectorPtr);
    drmModePropertyPtr (*get_property)(int, uint32_t);
    void (*free_property)(drmModePropertyPtr);
    int (*set_property)(int, uint32_t, uint32_t, uint64_t);
};

static int load_x11(bt_ui_dpms *d)
{
    d->x11 = dlopen("libX11.so.6", RTLD_NOW | RTLD_LOCAL);
    d->lib = dlopen("libXext.so.6", RTLD_NOW | RTLD_LOCAL);
    if (!d->x11 || !d->lib) {
        snprintf(d->problem, sizeof d->problem, "không nạp được libX11/libXext (gói libxext6)");
        return -1;
    }
    if (!bt_ui_dl_symbol(d->x11, "XOpenDisplay", &d->open_display) ||
        !bt_ui_dl_symbol(d->x11, "XCloseDisplay", &d->close_display) ||
        !bt_ui_dl_symbol(d->x11, "XFlush", &d->flush) ||
        !bt_ui_dl_symbol(d->lib, "DPMSQueryExtension", &d->query) ||
        !bt_ui_dl_symbol(d->lib, "DPMSCapable", &d->capable) ||
        !bt_ui_dl_symbol(d->lib, "DPMSEnable", &d->enable) ||
        !bt_ui_dl_symbol(d->lib, "DPMSDisable", &d->disable) ||
        !bt_ui_dl_symbol(d->lib, "DPMSForceLevel", &d->force) ||
        !bt_ui_dl_symbol(d->lib, "DPMSInfo", &d->info)) {
        snprintf(d->problem, sizeof d->problem, "libXext thiếu các hàm DPMS");
        return -1;
    }
    if (!d->dpy) {
        d->dpy = d->open_display(NULL);
        d->own_dpy = d->dpy != NULL;
    }
    int event_base, error_base;
    if (!d->dpy)
        snprintf(d->problem, sizeof d->problem, "không kết nối được máy chủ X (DISPLAY=%s)",
                 getenv("DISPLAY") ? getenv("DISPLAY") : "");
    else if (!d->query(d->dpy, &event_base, &error_base) || !d->capable(d->dpy))
        snprintf(d->problem, sizeof d->problem,
                 "máy chủ X không có DPMS (Xvfb, hoặc Option \"DPMS\" \"false\" trong xorg.conf)");
    if (d->problem[0])
        return -1;
    CARD16 level;
    BOOL enabled = False;
    d->info(d->dpy, &level, &enabled);
    d->was_enabled = enabled;
    return 0;
}

static int load_drm(bt_ui_dpms *d)
{
    d->lib = dlopen("libdrm.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!d->lib) {
        snprintf(d->problem, sizeof d->problem, "không nạp được libdrm (gói libdrm2)");
        return -1;
    }
    if (!bt_ui_dl_symbol(d->lib, "drmModeGetResources", &d->get_resources) ||
        !bt_ui_dl_symbol(d->lib, "drmModeFreeResources", &d->free_resources) ||
        !bt_ui_dl_symbol(d->lib, "drmModeGetConnectorCurrent", &d->get_connector) ||
        !bt_ui_dl_symbol(d->lib, "drmModeFreeConnector", &d->free_connector) ||
        !bt_ui_dl_symbol(d->lib, "drmModeGetProperty", &d->get_property) ||
        !bt_ui_dl_symbol(d->lib, "drmModeFreeProperty", &d->free_property) ||
        !bt_ui_dl_symbol(d->lib, "drmModeConnectorSetProperty", &d->set_property)) {
        snprintf(d->problem, sizeof d->problem, "libdrm thiếu các hàm cần dùng");
        return -1;
    }
    return 0;
}

/* Each connected connector with a "DPMS" property gets level; returns how many did. */
static int drm_set_all(bt_ui_dpms *d, int level, bool dry_run)
{
    drmModeResPtr res = d->get_resources(d->fd);
    int done = 0;
    for (int i = 0; res && i < res->count_connectors; i++) {
        drmModeConnectorPtr c = d->get_connector(d->fd, res->connectors[i]);
        if (!c)
            continue;
        for (int p = 0; c->connection == DRM_MODE_CONNECTED && p < c->count_props; p++) {
            drmModePropertyPtr prop = d->get_property(d->fd, c->props[p]);
            bool dpms = prop && strcmp(prop->name, "DPMS") == 0;
            if (dpms && (dry_run || d->set_property(d->fd, c->connector_id, prop->prop_id,
                                                    (uint64_t)level) == 0))
                done++;
            if (prop)
                d->free_property(prop);
        }
        d->free_connector(c);
    }
    if (res)
        d->free_resources(res);
    return done;
}

/* The window's connection (X display or DRM file) from SDL, or the machine's. */
static void find_connection(bt_ui_dpms *d)
{
    d->fd = -1;
    if (d->window) {
        const char *driver = SDL_GetCurrentVideoDriver();
        SDL_SysWMinfo info;
        if (driver && strcmp(driver, "x11") != 0 && strcmp(driver, "KMSDRM") != 0) {
            snprintf(d->problem, sizeof d->problem,
                     "trình điều khiển màn hình %s không có DPMS (chỉ X11 và KMSDRM)", driver);
            return;
        }
        SDL_VERSION(&info.version);
        if (!SDL_GetWindowWMInfo(d->window, &info)) {
            snprintf(d->problem, sizeof d->problem, "SDL không cho biết kết nối của cửa sổ");
            return;
        }
        if (info.subsystem == SDL_SYSWM_X11) {
            d->kind = DPMS_X11;
            d->dpy = info.info.x11.display;
#if defined(SDL_VIDEO_DRIVER_KMSDRM)
        } else if (info.subsystem == SDL_SYSWM_KMSDRM) {
            d->kind = DPMS_DRM;
            d->fd = info.info.kmsdrm.drm_fd;
#endif
        } else {
            snprintf(d->problem, sizeof d->problem,
                     "trình điều khiển màn hình %s không có DPMS (chỉ X11 và KMSDRM)",
                     SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "?");
        }
        return;
    }
    const char *display = getenv("DISPLAY");
    if (display && *display) {
        d->kind = DPMS_X11;
        return;
    }
    for (int i = 0; i < DRM_CARDS && d->fd < 0; i++) {
        char path[32];
        snprintf(path, sizeof path, "/dev/dri/card%d", i);
        d->fd = open(path, O_RDWR | O_CLOEXEC);
    }
    d->own_fd = d->fd >= 0;
    d->kind = d->fd >= 0 ? DPMS_DRM : DPMS_NONE;
    if (d->fd < 0)
        snprintf(d->problem, sizeof d->problem,
                 "không có máy chủ X ($DISPLAY trống) và không mở được /dev/dri/card*");
}

/* Loads what the first switch needs; 0 when it can switch. */
static int load(bt_ui_dpms *d)
{
    if (d->loaded)
        return d->problem[0] ? -1 : 0;
    d->loaded = true;
    find_connection(d);
    if (d->problem[0])
        return -1;
    if (d->kind == DPMS_X11) {
        if (load_x11(d) != 0)
            return -1;
        snprintf(d->where, sizeof d->where, "X11 %s", getenv("DISPLAY") ? getenv("DISPLAY") : "");
        return 0;
    }
    if (load_drm(d) != 0)
        return -1;
    if (drm_set_all(d, DRM_MODE_DPMS_ON, true) == 0) {
        snprintf(d->problem, sizeof d->problem,
                 "không có cổng màn hình nào đang nối có thuộc tính DPMS (KMSDRM)");
        return -1;
    }
    snprintf(d->where, sizeof d->where, "KMSDRM");
    return 0;
}

static int dpms_switch(bt_ui_dpms *d, bool sleep, char *err, size_t size)
{
    if (load(d) != 0) {
        bt_set_error(err, size, "%s", d->problem);
        return -1;
    }
    if (d->kind == DPMS_X11) {
        /* Forcing a level needs DPMS enabled on the server; a session that turned it off
         * (xset -dpms, so that the server's own timers never blank the lobby) gets it off again
         * once the display is back on. */
        d->enable(d->dpy);
        d->force(d->dpy, sleep ? DPMSModeOff : DPMSModeOn);
        if (!sleep && !d->was_enabled)
            d->disable(d->dpy);
        d->flush(d->dpy);
        return 0;
    }
    if (drm_set_all(d, sleep ? DRM_MODE_DPMS_OFF : DRM_MODE_DPMS_ON, false) == 0) {
        bt_set_error(err, size, "KMSDRM từ chối đặt DPMS (bangtin không giữ quyền điều khiển "
                                "màn hình?)");
        return -1;
    }
    return 0;
}

static int dpms_sleep(void *ctx, char *err, size_t size)
{
    return dpms_switch(ctx, true, err, size);
}

static int dpms_wake(void *ctx, char *err, size_t size)
{
    return dpms_switch(ctx, false, err, size);
}

bt_ui_dpms *bt_ui_dpms_create(SDL_Window *window)
{
    bt_ui_dpms *d = calloc(1, sizeof *d);
    if (d)
        d->window = window;
    return d;
}

bt_ui_dpms *bt_ui_dpms_create_system(void)
{
    return bt_ui_dpms_create(NULL);
}

void bt_ui_dpms_destroy(bt_ui_dpms *d)
{
    if (!d)
        return;
    if (d->own_dpy && d->close_display)
        d->close_display(d->dpy);
    if (d->own_fd)
        close(d->fd);
    if (d->lib)
        dlclose(d->lib);
    if (d->x11)
        dlclose(d->x11);
    free(d);
}

void bt_ui_dpms_backend(bt_ui_dpms *d, bt_display_backend *out)
{
    out->name = "DPMS";
    out->sleep = dpms_sleep;
    out->wake = dpms_wake;
    out->ctx = d;
}

int bt_ui_dpms_probe(bt_ui_dpms *d, char *found, size_t size)
{
    if (load(d) != 0) {
        bt_set_error(found, size, "%s", d->problem);
        return -1;
    }
    if (d->kind == DPMS_X11) {
        CARD16 level = DPMSModeOn;
        BOOL enabled = False;
        d->info(d->dpy, &level, &enabled);
        bt_set_error(found, size, "%s, màn hình đang %s", d->where,
                     level == DPMSModeOn ? "bật" : "tắt");
    } else {
        bt_set_error(found, size, "%s, %d cổng màn hình có DPMS", d->where,
                     drm_set_all(d, DRM_MODE_DPMS_ON, true));
    }
    return 0;
}
