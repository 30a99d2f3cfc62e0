/* `bangtin doctor`: for the installer at the console of a freshly installed appliance. Each check
 * prints one line — "ok", or what is wrong and how to fix it — and a summary ends the report.
 * Exit 0 when nothing is wrong (warnings allowed), 1 otherwise.
 *
 * It must run anywhere and change nothing: no display or audio device is needed (SDL's video and
 * audio are probed in a child process that is killed if a driver hangs, so a dead X server or a
 * stuck sound server cannot freeze the console), the data directory and the store are never
 * created, and the store is read through a snapshot (bt_app_open_store_snapshot).
 *
 * SDL_VIDEODRIVER / SDL_AUDIODRIVER set explicitly to offscreen, dummy or disk are warnings, not
 * errors: that is a test rig or a preview run saying on purpose that nothing shows or sounds.
 * The same drivers reached by SDL's own fallback (no display, no sound card) are errors: the
 * appliance would run and show or air nothing (PITFALLS: SDL falls back to offscreen silently). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_app.h"
#include "bangtin/bt_app_check.h"
#include "bangtin/bt_app_panel.h"
#include "bangtin/bt_app_speech.h"
#include "bangtin/bt_cli.h"
#include "bangtin/bt_device_key.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_package.h"
#include "bangtin/bt_playlist_load.h"
#include "bangtin/bt_speech.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_ui_display_power.h"
#include "bangtin/bt_usb.h"
#include "bangtin/bt_vi.h"

/* A display or audio driver that has not answered by then never will (an X server that does not
 * answer, a hung sound server): the probe is killed and the check says so. */
#define DOCTOR_PROBE_TIMEOUT_MS 5000
/* A probe's report: a driver, a mode and a few dozen device names. */
#define DOCTOR_PROBE_BYTES 8192
#define DOCTOR_LINE_BYTES 1024
/* Below this much free space an import may not fit: it copies a whole package (at most
 * BT_MAX_PACKAGE_BYTES) into the content store before the old playlists are pruned. */
#define DOCTOR_MIN_FREE_BYTES ((uint64_t)BT_MAX_PACKAGE_BYTES)
/* The airing log's last month is checked (its rows, their link and the chain heads): enough to
 * see a store that was edited or cut, fast on years of log. `bangtin log verify` walks it all. */
#define DOCTOR_LOG_CHECK_DAYS 31
/* Any size will do to open a face and ask for glyphs. */
#define DOCTOR_FONT_PT 24
#define DOCTOR_DRI_DIR "/dev/dri"
/* Where packaging/99-bangtin-usb.rules mounts sticks (/media/bangtin/sdb1), and where the rule
 * is installed (packaging/README.md) or shipped by a package. */
#define DOCTOR_STICK_MOUNT_DIR "/media/bangtin"
static const char *const UDEV_RULES[] = {"/etc/udev/rules.d/99-bangtin-usb.rules",
                                         "/usr/lib/udev/rules.d/99-bangtin-usb.rules",
                                         "/lib/udev/rules.d/99-bangtin-usb.rules"};
/* Letters only a Vietnamese font has: đ, ư, ả, ệ (the screen cannot show a notice without). */
static const Uint32 VIETNAMESE_LETTERS[] = {0x0111, 0x01B0, 0x1EA3, 0x1EC7};
#define MS_PER_SECOND 1000

typedef enum { DOCTOR_OK, DOCTOR_WARN, DOCTOR_ERROR, DOCTOR_LEVELS } doctor_level;

/* Each tag padded to the same width on screen (in characters, not bytes). */
static const char *const TAGS[DOCTOR_LEVELS] = {"ok        ", "CẢNH BÁO  ", "LỖI       "};
#define DETAIL_INDENT "          "

typedef struct {
    size_t count[DOCTOR_LEVELS];
} doctor;

static void say(doctor *d, doctor_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(doctor *d, doctor_level level, const char *fmt, ...)
{
    va_list ap;
    d->count[level]++;
    fputs(TAGS[level], stdout);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

static bool is_any(const char *name, const char *const *names, size_t count)
{
    for (size_t i = 0; name && i < count; i++)
        if (SDL_strcasecmp(name, names[i]) == 0)
            return true;
    return false;
}

/* ---- probes in a child process ------------------------------------------------------------- */

typedef void (*probe_fn)(char *report, size_t size);

/* Appends one "key=value" line (printf) to a probe's report. */
static void report_add(char *report, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void report_add(char *report, size_t size, const char *fmt, ...)
{
    va_list ap;
    size_t used = strlen(report);
    va_start(ap, fmt);
    if (used + 1 < size) {
        vsnprintf(report + used, size - used - 1, fmt, ap);
        strcat(report, "\n");
    }
    va_end(ap);
}

static void probe_video(char *report, size_t size)
{
    SDL_DisplayMode mode;
    if (SDL_VideoInit(NULL) != 0) {
        report_add(report, size, "error=%s", bt_vi_library_error(SDL_GetError()));
        return;
    }
    report_add(report, size, "driver=%s", SDL_GetCurrentVideoDriver());
    if (SDL_GetDesktopDisplayMode(0, &mode) == 0)
        report_add(report, size, "mode=%d×%d", mode.w, mode.h);
    report_add(report, size, "displays=%d", SDL_GetNumVideoDisplays());
    SDL_VideoQuit();
}

/* The devices by the names SDL_OpenAudioDevice takes, which is what broadcast.audio_device is
 * handed (src/audio/decode.c opens the mixer with it), with the driver the engine will use. */
static void probe_audio(char *report, size_t size)
{
    char *name = NULL;
    SDL_AudioSpec spec;
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        report_add(report, size, "error=%s", bt_vi_library_error(SDL_GetError()));
        return;
    }
    report_add(report, size, "driver=%s", SDL_GetCurrentAudioDriver());
    int n = SDL_GetNumAudioDevices(0);
    report_add(report, size, "count=%d", n);
    for (int i = 0; i < n; i++)
        report_add(report, size, "device=%s", SDL_GetAudioDeviceName(i, 0));
    if (SDL_GetDefaultAudioInfo(&name, &spec, 0) == 0) {
        report_add(report, size, "default=%s", name);
        SDL_free(name);
    }
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * MS_PER_SECOND + ts.tv_nsec / 1000000;
}

/* Reads what the child writes until it closes the pipe or the deadline passes. 0 at EOF. */
static int read_report(int fd, char *report, size_t size)
{
    size_t used = 0;
    int64_t deadline = mono_ms() + DOCTOR_PROBE_TIMEOUT_MS;
    int rc = -1;
    for (;;) {
        int64_t left = deadline - mono_ms();
        struct pollfd p = {fd, POLLIN, 0};
        int ready = left > 0 ? poll(&p, 1, (int)left) : 0;
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            break;
        ssize_t n = read(fd, report + used, size - 1 - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || (used += (size_t)n) == size - 1) {
            rc = n < 0 ? -1 : 0;
            break;
        }
    }
    report[used] = '\0';
    return rc;
}

/* Runs probe in a child: whatever a driver loads, leaks, prints or waits for stays there, and a
 * child that has not answered by DOCTOR_PROBE_TIMEOUT_MS is killed. 0 with the report, -1 when
 * it timed out or died. */
static int run_probe(probe_fn probe, char *report, size_t size)
{
    int fds[2];
    report[0] = '\0';
    if (pipe(fds) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        /* Drivers complain on stderr ("XDG_RUNTIME_DIR is invalid"); the report says what
         * matters. _exit: nothing of the parent's (buffers, atexit, sanitizers) runs twice. */
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, STDERR_FILENO);
        char out[DOCTOR_PROBE_BYTES] = "";
        probe(out, sizeof out);
        size_t len = strlen(out);
        for (size_t done = 0; done < len;) {
            ssize_t n = write(fds[1], out + done, len - done);
            if (n <= 0 && errno != EINTR)
                break;
            done += n > 0 ? (size_t)n : 0;
        }
        _exit(0);
    }
    close(fds[1]);
    int rc = pid > 0 ? read_report(fds[0], report, size) : -1;
    close(fds[0]);
    if (pid > 0) {
        int status = 0;
        if (rc != 0)
            kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            rc = -1;
    }
    return rc;
}

/* The value of the n-th line "key=..." of a report (n from 0), copied into out; NULL if none. */
static const char *report_value(const char *report, const char *key, int n, char *out,
                                size_t size)
{
    size_t key_len = strlen(key);
    for (const char *line = report; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > key_len && line[key_len] == '=' && strncmp(line, key, key_len) == 0 &&
            n-- == 0) {
            snprintf(out, size, "%.*s", (int)(len - key_len - 1), line + key_len + 1);
            return out;
        }
        line += len + (end ? 1 : 0);
    }
    return NULL;
}

/* ---- display ------------------------------------------------------------------------------- */

/* Drivers that show nothing on a screen. */
static const char *const HEADLESS_VIDEO[] = {"offscreen", "dummy", "evdev"};
#define HEADLESS_VIDEO_COUNT (sizeof HEADLESS_VIDEO / sizeof HEADLESS_VIDEO[0])

static void video_driver_list(char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < SDL_GetNumVideoDrivers() && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%s", i ? ", " : "",
                                 SDL_GetVideoDriver(i));
}

/* KMSDRM (a screen without X) needs a DRM card this user may open. */
static void check_dri(doctor *d, bool needed)
{
    DIR *dir = opendir(DOCTOR_DRI_DIR);
    struct dirent *e;
    char card[sizeof DOCTOR_DRI_DIR + 256] = "", usable[sizeof card] = "";
    while (dir && (e = readdir(dir)) != NULL) {
        if (strncmp(e->d_name, "card", 4) != 0)
            continue;
        snprintf(card, sizeof card, "%s/%s", DOCTOR_DRI_DIR, e->d_name);
        if (access(card, R_OK | W_OK) == 0 && !usable[0])
            snprintf(usable, sizeof usable, "%s", card);
    }
    if (dir)
        closedir(dir);
    doctor_level bad = needed ? DOCTOR_ERROR : DOCTOR_WARN;
    if (usable[0])
        say(d, DOCTOR_OK, "KMSDRM: %s mở được (đọc/ghi) với người dùng này", usable);
    else if (card[0])
        say(d, bad, "KMSDRM: có %s nhưng người dùng này không mở được — thêm vào nhóm video: "
                    "usermod -aG video,render <người dùng của dịch vụ>", card);
    else
        say(d, bad, "KMSDRM: không có %s/card* — máy không có card đồ hoạ DRM (hoặc thiếu "
                    "driver); chạy trong phiên X (DISPLAY=:0) hoặc cài driver đồ hoạ",
            DOCTOR_DRI_DIR);
}

/* What the video probe said. */
typedef struct {
    bool answered;          /* the child reported (did not hang or crash) */
    bool opened;            /* SDL_VideoInit succeeded */
    char driver[64], mode[64], displays[16], error[512];
} video_probe;

static void probe_display(video_probe *v)
{
    char report[DOCTOR_PROBE_BYTES];
    memset(v, 0, sizeof *v);
    v->answered = run_probe(probe_video, report, sizeof report) == 0;
    v->opened = v->answered && report_value(report, "driver", 0, v->driver, sizeof v->driver);
    if (!report_value(report, "mode", 0, v->mode, sizeof v->mode))
        snprintf(v->mode, sizeof v->mode, "?");
    report_value(report, "displays", 0, v->displays, sizeof v->displays);
    report_value(report, "error", 0, v->error, sizeof v->error);
}

static void check_display(doctor *d)
{
    char drivers[512];
    video_probe v;
    const char *forced = getenv("SDL_VIDEODRIVER");
    bool headless_forced = forced && is_any(forced, HEADLESS_VIDEO, HEADLESS_VIDEO_COUNT);
    video_driver_list(drivers, sizeof drivers);
    probe_display(&v);
    bool headless = v.opened && is_any(v.driver, HEADLESS_VIDEO, HEADLESS_VIDEO_COUNT);
    if (!v.answered)
        say(d, DOCTOR_ERROR, "Màn hình: SDL không trả lời sau %d giây%s — kiểm tra máy chủ "
                             "X/Wayland, hoặc đặt SDL_VIDEODRIVER=kmsdrm (có: %s)",
            DOCTOR_PROBE_TIMEOUT_MS / MS_PER_SECOND, getenv("DISPLAY") ? " (DISPLAY đã đặt)" : "",
            drivers);
    else if (!v.opened)
        say(d, DOCTOR_ERROR, "Màn hình: SDL không mở được màn hình%s%s: %s (có: %s)",
            forced ? " với SDL_VIDEODRIVER=" : "", forced ? forced : "", v.error, drivers);
    else if (headless && headless_forced)
        say(d, DOCTOR_WARN, "Màn hình: SDL_VIDEODRIVER=%s — màn hình sẽ không hiện gì (chỉ để thử "
                            "hoặc chụp ảnh); trên máy thật bỏ biến này", forced);
    else if (headless)
        say(d, DOCTOR_ERROR, "Màn hình: không có màn hình thật — SDL chỉ mở được \"%s\" (không "
                             "hiện gì). Sửa: chạy trong phiên X (DISPLAY=:0), hoặc "
                             "SDL_VIDEODRIVER=kmsdrm trên máy không có X (có: %s)",
            v.driver, drivers);
    else
        say(d, DOCTOR_OK, "Màn hình: SDL dùng \"%s\"%s — %s, %s màn hình (có: %s)", v.driver,
            forced ? " (SDL_VIDEODRIVER)" : "", v.mode, v.displays, drivers);
    /* Without X, KMSDRM is the appliance's way to a screen: say what it lacks. */
    bool kms_forced = forced && SDL_strcasecmp(forced, "kmsdrm") == 0;
    bool no_screen = !headless_forced && (!v.opened || headless);
    if (kms_forced || no_screen || (v.opened && SDL_strcasecmp(v.driver, "kmsdrm") == 0))
        check_dri(d, kms_forced || no_screen);
}

/* ---- the display's sleep (display.on) ------------------------------------------------------- */

/* Which of DPMS and HDMI-CEC this machine can switch the display with; in the child, since
 * libcec starts threads and the X connection is opened for it. */
static void probe_display_power(char *report, size_t size)
{
    char found[BT_DISPLAY_ERROR_BYTES];
    bt_ui_dpms *dpms = bt_ui_dpms_create_system();
    bt_ui_cec *cec = bt_ui_cec_create();
    if (dpms)
        report_add(report, size, "%s=%s", bt_ui_dpms_probe(dpms, found, sizeof found) == 0
                                              ? "dpms" : "dpms_no", found);
    if (cec)
        report_add(report, size, "%s=%s", bt_ui_cec_probe(cec, found, sizeof found) == 0
                                              ? "cec" : "cec_no", found);
    bt_ui_dpms_destroy(dpms);
    bt_ui_cec_destroy(cec);
}

static void check_display_power(doctor *d, const bt_config *cfg)
{
    char report[DOCTOR_PROBE_BYTES], dpms[BT_DISPLAY_ERROR_BYTES], cec[BT_DISPLAY_ERROR_BYTES];
    char text[BT_DISPLAY_SCHEDULE_TEXT_BYTES * 2];
    bt_display_schedule schedule;
    bt_config_display_schedule(cfg, &schedule);
    bt_display_schedule_text(&schedule, text, sizeof text);
    if (run_probe(probe_display_power, report, sizeof report) != 0) {
        say(d, schedule.always ? DOCTOR_OK : DOCTOR_WARN,
            "Tắt màn hình ngoài giờ: không dò được DPMS/HDMI-CEC sau %d giây (lịch: %s)",
            DOCTOR_PROBE_TIMEOUT_MS / MS_PER_SECOND, text);
        return;
    }
    bool has_dpms = report_value(report, "dpms", 0, dpms, sizeof dpms) != NULL;
    bool has_cec = report_value(report, "cec", 0, cec, sizeof cec) != NULL;
    if (!has_dpms)
        report_value(report, "dpms_no", 0, dpms, sizeof dpms);
    if (!has_cec)
        report_value(report, "cec_no", 0, cec, sizeof cec);
    say(d, DOCTOR_OK, "Tắt màn hình ngoài giờ: DPMS %s: %s", has_dpms ? "dùng được" : "không dùng "
        "được", dpms);
    say(d, DOCTOR_OK, "Tắt màn hình ngoài giờ: HDMI-CEC %s: %s", has_cec ? "dùng được" : "không "
        "dùng được", cec);
    if (schedule.always)
        say(d, DOCTOR_OK, "Lịch bật màn hình (display.on): luôn bật — đặt ví dụ display = { on = "
                          "\"T2-T6 07:00-17:30, T7 07:30-11:30\"; }; để tắt màn hình khi cơ quan "
                          "nghỉ");
    else if (has_dpms || has_cec)
        say(d, DOCTOR_OK, "Lịch bật màn hình (display.on): %s — ngoài giờ tắt bằng %s", text,
            has_dpms && has_cec ? "DPMS và HDMI-CEC" : has_dpms ? "DPMS" : "HDMI-CEC");
    else
        say(d, DOCTOR_WARN, "Lịch bật màn hình (display.on): %s — nhưng máy không tắt được màn "
                            "hình, ngoài giờ chỉ tô đen (đèn nền vẫn sáng). Sửa: trong X bật DPMS "
                            "(xset +dpms, hoặc Option \"DPMS\" \"true\" trong xorg.conf); không "
                            "có X thì chạy bằng KMSDRM với quyền mở /dev/dri/card0 (nhóm video); "
                            "hoặc dùng HDMI-CEC: apt install libcec6, bật CEC trên TV (Anynet+, "
                            "SimpLink, Bravia Sync), máy tính thường cần bộ USB-CEC",
            text);
}

/* ---- audio --------------------------------------------------------------------------------- */

/* Drivers that sound nowhere: the engine takes "dummy" for no device; "disk" writes a file. */
static const char *const SILENT_AUDIO[] = {"dummy", "disk"};
#define SILENT_AUDIO_COUNT (sizeof SILENT_AUDIO / sizeof SILENT_AUDIO[0])

/* broadcast.audio_device against the names the driver lists. */
static void check_audio_device(doctor *d, const bt_app *app, const char *report, int count)
{
    const char *wanted = app->cfg.broadcast_audio_device;
    char name[DOCTOR_LINE_BYTES];
    if (!wanted[0]) {
        bool named = report_value(report, "default", 0, name, sizeof name) != NULL;
        say(d, DOCTOR_OK, "Loa: broadcast.audio_device trống — dùng thiết bị mặc định%s%s%s",
            named ? " (\"" : "", named ? name : "", named ? "\")" : "");
        return;
    }
    if (count < 0) {
        say(d, DOCTOR_WARN, "Loa: không kiểm tra được thiết bị \"%s\" (broadcast.audio_device): "
                            "trình điều khiển không liệt kê thiết bị", wanted);
        return;
    }
    for (int i = 0; i < count; i++)
        if (report_value(report, "device", i, name, sizeof name) && strcmp(name, wanted) == 0) {
            say(d, DOCTOR_OK, "Loa: có thiết bị \"%s\" (broadcast.audio_device)", wanted);
            return;
        }
    say(d, DOCTOR_ERROR, "Loa: không có thiết bị \"%s\" (broadcast.audio_device trong %s) — chép "
                         "đúng một tên ở trên, hoặc để trống để dùng thiết bị mặc định",
        wanted, app->config_path ? app->config_path : "cấu hình");
}

static void check_audio(doctor *d, const bt_app *app)
{
    char report[DOCTOR_PROBE_BYTES], driver[64], count_text[16], name[DOCTOR_LINE_BYTES];
    const char *forced = getenv("SDL_AUDIODRIVER");
    if (run_probe(probe_audio, report, sizeof report) != 0) {
        say(d, DOCTOR_ERROR, "Loa: âm thanh SDL không trả lời sau %d giây — máy chủ âm thanh "
                             "(PulseAudio/PipeWire) bị treo? Thử SDL_AUDIODRIVER=alsa",
            DOCTOR_PROBE_TIMEOUT_MS / MS_PER_SECOND);
        return;
    }
    if (!report_value(report, "driver", 0, driver, sizeof driver)) {
        report_value(report, "error", 0, name, sizeof name);
        say(d, DOCTOR_ERROR, "Loa: không khởi động được âm thanh SDL%s%s: %s — kiểm tra card âm "
                             "thanh (aplay -l) và nhóm audio của người dùng dịch vụ",
            forced ? " với SDL_AUDIODRIVER=" : "", forced ? forced : "", name);
        return;
    }
    int count = atoi(report_value(report, "count", 0, count_text, sizeof count_text)
                         ? count_text : "0");
    if (is_any(driver, SILENT_AUDIO, SILENT_AUDIO_COUNT)) {
        if (forced && is_any(forced, SILENT_AUDIO, SILENT_AUDIO_COUNT))
            say(d, DOCTOR_WARN, "Loa: SDL_AUDIODRIVER=%s — không phát ra loa (để thử); trên máy "
                                "thật bỏ biến này", forced);
        else
            say(d, DOCTOR_ERROR, "Loa: không có thiết bị âm thanh — SDL chỉ có \"%s\"; các buổi "
                                 "phát sẽ bị ghi là lỗi. Kiểm tra card âm thanh (aplay -l)",
                driver);
        return;
    }
    if (count < 0) {
        say(d, DOCTOR_WARN, "Loa: trình điều khiển \"%s\" không liệt kê được thiết bị — để trống "
                            "broadcast.audio_device (thiết bị mặc định)", driver);
    } else if (count == 0) {
        say(d, DOCTOR_ERROR, "Loa: trình điều khiển \"%s\" không thấy thiết bị ra nào — cắm/bật "
                             "card âm thanh (aplay -l), thêm người dùng dịch vụ vào nhóm audio",
            driver);
        return;
    } else {
        say(d, DOCTOR_OK, "Loa: trình điều khiển \"%s\", %d thiết bị ra (tên dùng cho "
                          "broadcast.audio_device):", driver, count);
        for (int i = 0; i < count; i++)
            if (report_value(report, "device", i, name, sizeof name))
                printf(DETAIL_INDENT "\"%s\"\n", name);
    }
    check_audio_device(d, app, report, count);
}

static void check_chime(doctor *d, const bt_config *cfg)
{
    char path[BT_MAX_PATH_BYTES + 32];
    bt_config_chime_path(cfg, path, sizeof path);
    if (access(path, R_OK) == 0)
        say(d, DOCTOR_OK, "Nhạc hiệu: %s", path);
    else
        say(d, DOCTOR_ERROR, "Nhạc hiệu: không đọc được \"%s\": %s — sửa broadcast.chime hoặc "
                             "cài lại bangtin", path, bt_vi_errno(errno).text);
}

/* Text bulletins are spoken at activation: a ward that writes `text = "…"` needs espeak-ng and
 * its Vietnamese voice here, on this machine, or the bulletin is refused when the stick comes.
 * A one-sentence render into a temporary file proves both, as a render would run. */
static void check_speech(doctor *d, const bt_config *cfg)
{
    char dir[BT_MAX_PATH_BYTES], path[BT_MAX_PATH_BYTES + 16], err[512];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/bangtin-doctor-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        say(d, DOCTOR_WARN, "Giọng đọc: không tạo được thư mục tạm để thử (%s)",
            bt_vi_errno(errno).text);
        return;
    }
    snprintf(path, sizeof path, "%s/thu.wav", dir);
    bt_speech_params p = bt_speech_default_params(cfg->broadcast_loudness_target);
    bt_speech_result r;
    if (bt_speech_render_isolated("Kiểm tra giọng đọc tiếng Việt.", &p, path, &r, err,
                                  sizeof err) == 0)
        say(d, DOCTOR_OK, "Giọng đọc: espeak-ng %s, giọng tiếng Việt đọc được (câu thử dài %.1f "
                          "giây, độ to %.1f LUFS)",
            bt_speech_engine_version(), r.duration_seconds, r.integrated_lufs);
    else
        say(d, DOCTOR_ERROR, "Giọng đọc: tin máy đọc (text = \"…\") sẽ bị từ chối khi nạp — %s",
            err);
    unlink(path);
    rmdir(dir);
}

/* ---- keys, data, clock --------------------------------------------------------------------- */

static const char *config_name(const bt_app *app)
{
    return app->config_path ? app->config_path : "tệp cấu hình";
}

static void check_config(doctor *d, const bt_app *app)
{
    if (app->config_path && app->config_errors)
        say(d, DOCTOR_ERROR, "Cấu hình: tệp \"%s\" có %zu lỗi (in ở trên, kèm số dòng) — sửa "
                             "rồi chạy lại; các kiểm tra dưới đây dùng cấu hình nhúng sẵn",
            app->config_path, app->config_errors);
    else if (app->config_path)
        say(d, DOCTOR_OK, "Cấu hình: tệp \"%s\" (đọc được, không có lỗi)", app->config_path);
    else
        say(d, DOCTOR_WARN, "Cấu hình: không có tệp cấu hình — đang dùng cấu hình nhúng sẵn. "
                            "Sửa: tạo %s từ packaging/bangtin.cfg.example", BT_SYSTEM_CONFIG);
}

/* The ward's name heads the screen, the panel and the báo cáo: an appliance still on the embedded
 * default calls itself no ward at all. */
static void check_ward_name(doctor *d, const bt_app *app)
{
    const char *name = app->cfg.ward_name;
    bool unset = !name[0] || strcmp(name, BT_CONFIG_WARD_NAME_UNSET) == 0;
    if (unset)
        say(d, DOCTOR_WARN, "Tên đơn vị: chưa đặt ward_name — màn hình sảnh, bảng theo dõi và báo "
                            "cáo chỉ ghi \"%s\". Sửa: thêm dòng  ward_name = \"UBND phường …\";  "
                            "vào %s rồi khởi động lại bangtin",
            name[0] ? name : "", config_name(app));
    else
        say(d, DOCTOR_OK, "Tên đơn vị: \"%s\"", name);
}

/* The ward's logo (issue 14): the config's load checked the file (its message is among the
 * config's lines when it failed, and doctor then runs on the defaults: no logo); checked again
 * here, since the file may have changed since. */
static void check_logo(doctor *d, const bt_app *app)
{
    const char *path = app->cfg.ward_logo;
    bt_image_format format;
    int w, h;
    if (!path[0]) {
        say(d, DOCTOR_OK, "Logo: không dùng (ward_logo trống%s)",
            app->config_errors ? ", hoặc tệp cấu hình có lỗi ở trên" : "");
        return;
    }
    bt_asset_status status = bt_image_file_check(path, &format, &w, &h);
    if (status != BT_ASSET_OK || format != BT_IMAGE_PNG)
        say(d, DOCTOR_ERROR, "Logo: \"%s\" không còn là ảnh PNG đọc được — chép lại logo PNG vào "
                             "đó hoặc sửa ward_logo trong %s (bangtin config %s nói rõ lỗi)",
            path, config_name(app), config_name(app));
    else
        say(d, DOCTOR_OK, "Logo: \"%s\" (PNG %d×%d px)", path, w, h);
}

static void check_keys(doctor *d, const bt_app *app)
{
    const bt_config *cfg = &app->cfg;
    char err[BT_MAX_PATH_BYTES + 256];
    bool pin = cfg->usb_require_signature && bt_config_usb_asks_pin(cfg);
    if (pin && !cfg->panel_pin[0])
        say(d, DOCTOR_ERROR, "Duyệt USB bằng mã PIN: usb.unsigned = \"pin\" nhưng chưa đặt "
                             "panel.pin — không ai duyệt được gói chưa ký nên máy từ chối chúng. "
                             "Sửa: đặt panel = { pin = \"…\"; }; (chỉ chữ số) trong %s",
            config_name(app));
    else if (pin)
        say(d, DOCTOR_OK, "Duyệt USB bằng mã PIN: gói chưa có chữ ký tin cậy được kiểm tra đủ rồi "
                          "chỉ nạp khi cán bộ nhập đúng mã PIN trên màn hình (usb.unsigned = "
                          "\"pin\")");
    if (cfg->trusted_keys.count == 0 && pin && cfg->panel_pin[0])
        say(d, DOCTOR_OK, "Khoá tin cậy: trusted_keys trống — mọi gói USB cần cán bộ duyệt bằng "
                          "mã PIN");
    else if (cfg->trusted_keys.count == 0)
        say(d, cfg->usb_require_signature ? DOCTOR_ERROR : DOCTOR_WARN,
            "Khoá tin cậy: trusted_keys trống — máy sẽ từ chối mọi gói USB có chữ ký. Sửa: chép "
            "tệp .pub của phường vào máy (ví dụ /etc/bangtin/keys/phuong.pub) và thêm "
            "trusted_keys = [ \"/etc/bangtin/keys/phuong.pub\" ]; vào %s", config_name(app));
    for (size_t i = 0; i < cfg->trusted_keys.count; i++) {
        bt_package_public_key key;
        if (bt_package_read_public_key(cfg->trusted_keys.paths[i], &key, err, sizeof err) == 0)
            say(d, DOCTOR_OK, "Khoá tin cậy: \"%s\" (mã khoá %s)", key.path, key.id);
        else
            say(d, DOCTOR_ERROR, "Khoá tin cậy: %s — sửa trusted_keys trong %s hoặc chép lại tệp "
                                 ".pub do \"bangtin keygen\" tạo", err, config_name(app));
    }
    if (!cfg->usb_require_signature)
        say(d, DOCTOR_WARN, "Khoá tin cậy: usb.require_signature = false — máy nhận cả gói không "
                            "ký; chỉ dùng để thử nghiệm");
}

/* " (tức /x/y: …)" for a relative path, which counts from wherever bangtin is started (the
 * service and a shell at the console may differ); "" for an absolute one. */
static const char *relative_note(const char *dir, char *buf, size_t size)
{
    char cwd[BT_MAX_PATH_BYTES];
    buf[0] = '\0';
    if (dir[0] != '/' && getcwd(cwd, sizeof cwd))
        snprintf(buf, size, " (tức %s/%s: đường dẫn tương đối, tính từ thư mục đang chạy)", cwd,
                 dir);
    return buf;
}

/* The device key that signs the exports for the city (bt_device_key.h): read, never made. */
static void check_device_key(doctor *d, const bt_app *app)
{
    char err[BT_MAX_PATH_BYTES + 512];
    bt_device_key key;
    int found = bt_device_key_read(app->data_dir, &key, err, sizeof err);
    bt_device_key_wipe(&key);
    if (found == 1)
        say(d, DOCTOR_OK, "Khoá thiết bị: dấu vân tay %s (ký các bản xuất gửi thành phố; đối "
                          "chiếu khi thành phố đăng ký máy)", key.fingerprint);
    else if (found == 0)
        say(d, DOCTOR_WARN, "Khoá thiết bị: chưa có — được tạo khi bangtin chạy lần đầu (hoặc khi "
                            "nạp USB, bangtin export); doctor không tạo");
    else
        say(d, DOCTOR_ERROR, "Khoá thiết bị: %s", err);
}

/* The data directory: 1 if it exists (the store may then be looked at), else 0. */
static int check_data_dir(doctor *d, const bt_app *app)
{
    struct stat st;
    const char *dir = app->data_dir;
    char note[2 * BT_MAX_PATH_BYTES];
    relative_note(dir, note, sizeof note);
    int found = stat(dir, &st) == 0 ? S_ISDIR(st.st_mode) : errno == ENOENT ? 0 : -1;
    if (found != 1) {
        say(d, DOCTOR_ERROR, "Thư mục dữ liệu: %s \"%s\"%s (data_dir trong %s, hoặc --data) — "
                             "doctor không tạo. Tạo: install -d -o bangtin -g bangtin %s",
            found == 0 ? "không có" : "không dùng được", dir, note, config_name(app), dir);
        return 0;
    }
    const struct passwd *owner = getpwuid(st.st_uid), *me = getpwuid(geteuid());
    char owner_name[64], me_name[64];
    snprintf(owner_name, sizeof owner_name, "%s", owner ? owner->pw_name : "?");
    snprintf(me_name, sizeof me_name, "%s", me ? me->pw_name : "?");
    if (access(dir, W_OK | X_OK) == 0)
        say(d, DOCTOR_OK, "Thư mục dữ liệu: \"%s\"%s — ghi được với người dùng %s (chủ: %s)", dir,
            note, me_name, owner_name);
    else
        say(d, DOCTOR_ERROR, "Thư mục dữ liệu: người dùng %s không ghi được vào \"%s\" (chủ: %s) "
                             "— chown -R bangtin:bangtin %s", me_name, dir, owner_name, dir);
    uint64_t avail, total;
    char text[128];
    if (bt_app_disk_space(dir, &avail, &total) != 0)
        say(d, DOCTOR_WARN, "Dung lượng: không đọc được dung lượng của \"%s\"", dir);
    else if (avail < DOCTOR_MIN_FREE_BYTES)
        say(d, DOCTOR_WARN, "Dung lượng: %s — dưới %.1f GB, một lần nạp USB lớn có thể không đủ "
                            "chỗ; xoá bớt tệp hoặc dùng thẻ nhớ lớn hơn",
            bt_app_disk_text(avail, total, text, sizeof text),
            (double)DOCTOR_MIN_FREE_BYTES / BT_APP_PANEL_BYTES_PER_GB);
    else
        say(d, DOCTOR_OK, "Dung lượng: %s", bt_app_disk_text(avail, total, text, sizeof text));
    return 1;
}

static void check_log(doctor *d, bt_store *store, bt_wall now)
{
    bt_airing_verify_result *r = malloc(sizeof *r);
    int rc = r ? bt_airing_verify_slots(store, now - DOCTOR_LOG_CHECK_DAYS * BT_SECONDS_PER_DAY,
                                        now + 1, r)
               : -1;
    if (rc == 0)
        say(d, DOCTOR_OK, "Nhật ký phát thanh: %d ngày gần nhất và đầu chuỗi khớp (%zu dòng; "
                          "kiểm tra toàn bộ: bangtin log verify)", DOCTOR_LOG_CHECK_DAYS,
            r->rows_checked);
    else if (rc > 0)
        say(d, DOCTOR_ERROR, "Nhật ký phát thanh: %zu vấn đề, ví dụ: %s — xem tất cả: bangtin log "
                             "verify", r->problem_count, r->problems[0].message);
    else
        say(d, DOCTOR_ERROR, "Nhật ký phát thanh: không đọc được (xem dòng lỗi ở trên)");
    free(r);
}

/* A video notice with `sound = true` in the active playlist while the config has no
 * display.audio_device: the kiosk shows it mute (kiosk_sound.c). Said as `check` says it, with the
 * line of the notice in the active playlist's file. */
static void check_video_sound(doctor *d, const bt_app *app, const char *dir)
{
    if (app->cfg.display_audio_device[0])
        return;
    bt_playlist p;
    bt_diags diags;
    char file[BT_MAX_PATH_BYTES + 32];
    snprintf(file, sizeof file, "%s/" BT_PLAYLIST_FILE, dir);
    bt_playlist_init(&p);
    bt_diags_init(&diags);
    if (bt_playlist_load(dir, &p, &diags) == 0) {
        bt_diags_free(&diags);
        bt_diags_init(&diags);
        bt_app_check_video_sound(app, &p, file, &diags);
        for (size_t i = 0; i < diags.count; i++)
            say(d, DOCTOR_WARN, "Tiếng video: %s dòng %d: %s", diags.items[i].file,
                diags.items[i].line, diags.items[i].message);
    }
    bt_diags_free(&diags);
    bt_playlist_free(&p);
}

static void check_active_playlist(doctor *d, const bt_app *app, bt_store *store)
{
    bt_store_playlist p;
    struct stat st;
    int found = bt_store_active_playlist(store, &p);
    if (found != 1)
        say(d, DOCTOR_WARN, "Playlist: chưa có playlist nào được kích hoạt — màn hình chỉ hiện "
                            "trang chờ; cắm USB có gói của phường (hoặc bangtin activate DIR)");
    else if (stat(p.dir, &st) != 0)
        say(d, DOCTOR_ERROR, "Playlist: \"%s\" phiên bản %d đang kích hoạt nhưng thư mục \"%s\" "
                             "không còn — nạp lại từ USB hoặc bangtin rollback", p.id, p.version,
            p.dir);
    else {
        say(d, DOCTOR_OK, "Playlist: \"%s\" phiên bản %d — %s", p.id, p.version, p.title);
        check_video_sound(d, app, p.dir);
    }
}

/* The store and what it says; returns it (a snapshot; NULL when missing or unreadable). */
static bt_store *check_store(doctor *d, const bt_app *app, bt_wall now)
{
    char err[BT_MAX_PATH_BYTES + 256], quick[512] = "";
    bt_store *store = NULL;
    int found = bt_app_open_store_snapshot(app, &store, quick, sizeof quick, err, sizeof err);
    if (found == 0) {
        say(d, DOCTOR_WARN, "Cơ sở dữ liệu: %s — được tạo khi bangtin chạy lần đầu (hoặc khi nạp "
                            "USB, bangtin activate); doctor không tạo", err);
        return NULL;
    }
    if (found < 0) {
        say(d, DOCTOR_ERROR, "Cơ sở dữ liệu: %s", err);
        return NULL;
    }
    if (strcmp(quick, "ok") == 0) {
        say(d, DOCTOR_OK, "Cơ sở dữ liệu: mở được (chỉ đọc), kiểm tra toàn vẹn: tốt");
    } else {
        /* SQLite's report is English: the journal keeps it for IT, the screen says what to do. */
        bt_log_warn("PRAGMA quick_check: %s", quick);
        say(d, DOCTOR_ERROR, "Cơ sở dữ liệu: kiểm tra toàn vẹn báo lỗi — tệp bị hỏng; dừng "
                             "bangtin, sao lưu thư mục dữ liệu rồi liên hệ người bảo trì");
    }
    check_log(d, store, now);
    check_active_playlist(d, app, store);
    return store;
}

/* How to set the clock of an offline box (docs/install.md, section 8). */
#define DOCTOR_CLOCK_FIX                                                                         \
    "Sửa: timedatectl set-time \"YYYY-MM-DD HH:MM:SS\" (giờ Việt Nam; ghi cả vào đồng hồ phần "  \
    "cứng), rồi kiểm tra pin đồng hồ trên bo mạch"

static void check_clock(doctor *d, bt_store *store, bt_wall now)
{
    bt_app_clock c;
    char date[64], hhmm[16], when[96], other[64];
    bt_app_clock_check(store, now, &c);
    snprintf(when, sizeof when, "%s %s", bt_time_format_date_vi(now, date, sizeof date),
             bt_time_format_hhmm(now, hhmm, sizeof hhmm));
    if (c.before_build)
        say(d, DOCTOR_ERROR, "Đồng hồ: %s (giờ Việt Nam) — sớm hơn ngày biên dịch bangtin (%s): "
                             "đồng hồ chưa được đặt hoặc pin đồng hồ hết. " DOCTOR_CLOCK_FIX,
            when, bt_time_format_ddmmyyyy(c.build_day, other, sizeof other));
    else if (c.behind_log)
        say(d, DOCTOR_ERROR, "Đồng hồ: %s (giờ Việt Nam) — sớm hơn dòng cuối của nhật ký phát "
                             "thanh (%s): đồng hồ bị chỉnh lùi. " DOCTOR_CLOCK_FIX, when,
            bt_time_format_iso(c.log_last_ms / MS_PER_SECOND, other, sizeof other));
    else
        say(d, DOCTOR_OK, "Đồng hồ: %s — giờ Việt Nam (Asia/Ho_Chi_Minh, UTC+7), giờ bangtin "
                          "hiện và ghi, bất kể múi giờ của hệ điều hành", when);
}

/* A clock set back while the box was off is caught once, at the kiosk's start, and logged as a
 * clock event; after that the log's last row is that event, so only the event still tells. */
static void check_clock_events(doctor *d, bt_store *store, bt_wall now)
{
    bt_clock_event *events = NULL;
    size_t count = 0, recent = 0;
    char when[64];
    if (bt_airing_clock_events(store, &events, &count) != 0) {
        say(d, DOCTOR_ERROR, "Đồng hồ: không đọc được các sự kiện đồng hồ trong nhật ký");
        return;
    }
    bt_wall since = now - DOCTOR_LOG_CHECK_DAYS * BT_SECONDS_PER_DAY;
    for (size_t i = 0; i < count; i++)
        recent += events[i].detected_at_ms / MS_PER_SECOND >= since;
    if (recent)
        say(d, DOCTOR_WARN, "Đồng hồ: nhật ký ghi %zu lần giờ bị chỉnh trong %d ngày qua, gần nhất "
                            "%s — %s. Kiểm tra ngày giờ và pin đồng hồ trên bo mạch", recent,
            DOCTOR_LOG_CHECK_DAYS,
            bt_time_format_iso(events[count - 1].detected_at_ms / MS_PER_SECOND, when,
                               sizeof when),
            events[count - 1].note);
    else
        say(d, DOCTOR_OK, "Đồng hồ: nhật ký không ghi lần chỉnh giờ nào trong %d ngày qua",
            DOCTOR_LOG_CHECK_DAYS);
    free(events);
}

/* ---- fonts and sticks ---------------------------------------------------------------------- */

static void check_font(doctor *d, const char *what, const char *key, const char *path)
{
    TTF_Font *font = TTF_OpenFont(path, DOCTOR_FONT_PT);
    if (!font) {
        say(d, DOCTOR_ERROR, "Phông chữ %s: không mở được \"%s\": %s — sửa %s hoặc cài lại "
                             "bangtin (phông kèm theo ở %s)", what, path,
                             bt_vi_library_error(TTF_GetError()), key,
            bt_config_font_dir());
        return;
    }
    size_t missing = 0;
    for (size_t i = 0; i < sizeof VIETNAMESE_LETTERS / sizeof VIETNAMESE_LETTERS[0]; i++)
        missing += !TTF_GlyphIsProvided32(font, VIETNAMESE_LETTERS[i]);
    if (missing)
        say(d, DOCTOR_ERROR, "Phông chữ %s: \"%s\" thiếu chữ tiếng Việt (đ, ư, ả, ệ) — chọn phông "
                             "đủ dấu (ví dụ Noto Sans) trong %s", what, path, key);
    else
        say(d, DOCTOR_OK, "Phông chữ %s: \"%s\"", what, path);
    TTF_CloseFont(font);
}

static void check_fonts(doctor *d, const bt_config *cfg)
{
    if (TTF_Init() != 0) {
        say(d, DOCTOR_ERROR, "Phông chữ: không khởi động được SDL_ttf: %s",
            bt_vi_library_error(TTF_GetError()));
        return;
    }
    check_font(d, "thường", "fonts.regular", cfg->font_regular);
    check_font(d, "đậm", "fonts.bold", cfg->font_bold);
    TTF_Quit();
}

/* True if the kiosk's poller (ROOT/bangtin, ROOT/X/bangtin, ROOT/X/Y/bangtin) reaches a package
 * on a stick the udev rule mounts at DOCTOR_STICK_MOUNT_DIR/<device>. */
static bool roots_reach_udev_mounts(const bt_config_paths *roots)
{
    char parent[sizeof DOCTOR_STICK_MOUNT_DIR];
    snprintf(parent, sizeof parent, "%s", DOCTOR_STICK_MOUNT_DIR);
    *strrchr(parent, '/') = '\0';
    for (size_t i = 0; i < roots->count; i++) {
        char root[BT_MAX_PATH_BYTES];
        snprintf(root, sizeof root, "%s", roots->paths[i]);
        for (size_t n = strlen(root); n > 1 && root[n - 1] == '/'; n--)
            root[n - 1] = '\0';
        if (strcmp(root, parent) == 0 || strcmp(root, DOCTOR_STICK_MOUNT_DIR) == 0)
            return true;
    }
    return false;
}

static void check_mount_roots(doctor *d, const bt_config_paths *roots)
{
    char list[BT_CONFIG_MAX_PATHS * (BT_MAX_PATH_BYTES + 24)] = "";
    size_t used = 0, present = 0;
    struct stat st;
    for (size_t i = 0; i < roots->count; i++) {
        bool here = stat(roots->paths[i], &st) == 0 && S_ISDIR(st.st_mode);
        present += here;
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s (%s)", i ? ", " : "",
                                 roots->paths[i], here ? "có" : "không có");
    }
    if (present)
        say(d, DOCTOR_OK, "USB: thư mục theo dõi (usb.mount_roots): %s", list);
    else
        say(d, DOCTOR_ERROR, "USB: không thư mục nào trong usb.mount_roots tồn tại (%s) — USB sẽ "
                             "không bao giờ được thấy; thêm \"/media\" vào usb.mount_roots",
            roots->count ? list : "trống");
}

static void check_usb(doctor *d, const bt_config *cfg)
{
    struct stat st;
    check_mount_roots(d, &cfg->usb_mount_roots);
    const char *rule = NULL;
    for (size_t i = 0; i < sizeof UDEV_RULES / sizeof UDEV_RULES[0] && !rule; i++)
        if (stat(UDEV_RULES[i], &st) == 0)
            rule = UDEV_RULES[i];
    bool mount_dir = stat(DOCTOR_STICK_MOUNT_DIR, &st) == 0;
    if (!roots_reach_udev_mounts(&cfg->usb_mount_roots))
        say(d, DOCTOR_ERROR, "USB: usb.mount_roots không có \"/media\" — USB gắn ở %s/<thiết bị> "
                             "(quy tắc udev của bangtin) sẽ không được thấy", DOCTOR_STICK_MOUNT_DIR);
    else if (rule)
        say(d, DOCTOR_OK, "USB: quy tắc udev %s đã cài; USB được gắn ở %s/<thiết bị>%s", rule,
            DOCTOR_STICK_MOUNT_DIR, mount_dir ? "" : " (thư mục được tạo khi cắm USB đầu tiên)");
    else
        say(d, DOCTOR_WARN, "USB: chưa cài quy tắc udev (%s) — máy không có giao diện đồ hoạ sẽ "
                            "không tự gắn USB ở %s. Sửa: install -m 644 "
                            "packaging/99-bangtin-usb.rules /etc/udev/rules.d/ && udevadm control "
                            "--reload", UDEV_RULES[0], DOCTOR_STICK_MOUNT_DIR);
    bt_usb_poller *poller = NULL;
    char package[BT_MAX_PATH_BYTES];
    if (bt_usb_poller_create(&cfg->usb_mount_roots, &poller) == 0 &&
        bt_usb_poller_poll(poller, package, sizeof package) == 1)
        say(d, DOCTOR_OK, "USB: đang cắm, có gói tại \"%s\"", package);
    else
        say(d, DOCTOR_OK, "USB: không có USB nào có thư mục %s/ đang cắm (cắm một USB để thử)",
            BT_PACKAGE_STICK_DIR);
    bt_usb_poller_destroy(poller);
}

/* ---- the command --------------------------------------------------------------------------- */

static bt_wall wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (bt_wall)ts.tv_sec;
}

static void print_heading(void)
{
    const struct passwd *me = getpwuid(geteuid());
    printf("bangtin doctor — kiểm tra máy sau khi cài (bangtin %s, người dùng %s)\n", BT_VERSION,
           me ? me->pw_name : "?");
    if (geteuid() == 0)
        printf("(Đang chạy với root: quyền có thể khác người dùng của dịch vụ; "
               "\"sudo -u bangtin bangtin doctor\" kiểm tra đúng quyền của nó.)\n");
    putchar('\n');
}

static int print_summary(const doctor *d)
{
    printf("\nKết quả: %zu ok, %zu cảnh báo, %zu lỗi — ", d->count[DOCTOR_OK],
           d->count[DOCTOR_WARN], d->count[DOCTOR_ERROR]);
    if (d->count[DOCTOR_ERROR])
        printf("CHƯA SẴN SÀNG: sửa các dòng LỖI rồi chạy lại \"bangtin doctor\".\n");
    else if (d->count[DOCTOR_WARN])
        printf("máy sẵn sàng; xem lại các dòng CẢNH BÁO.\n");
    else
        printf("máy sẵn sàng.\n");
    return d->count[DOCTOR_ERROR] ? 1 : 0;
}

int bt_cmd_doctor(bt_app *app, const bt_cli_args *a)
{
    doctor d = {{0}};
    bt_wall now = wall_now();
    (void)a;
    print_heading();
    check_config(&d, app);
    check_ward_name(&d, app);
    check_logo(&d, app);
    check_display(&d);
    check_display_power(&d, &app->cfg);
    check_audio(&d, app);
    check_chime(&d, &app->cfg);
    check_speech(&d, &app->cfg);
    check_keys(&d, app);
    bt_store *store = NULL;
    if (check_data_dir(&d, app)) {
        check_device_key(&d, app);
        store = check_store(&d, app, now);
    }
    check_clock(&d, store, now);
    if (store)
        check_clock_events(&d, store, now);
    bt_store_close(store);
    check_fonts(&d, &app->cfg);
    check_usb(&d, &app->cfg);
    return print_summary(&d);
}
