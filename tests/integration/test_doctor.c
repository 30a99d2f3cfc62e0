/* `bangtin doctor` and `bangtin status` as an installer runs them at the console of a fresh
 * appliance: the built program, a config and a data directory under a temp dir. Both commands
 * only look: what they find missing stays missing, and the store is byte for byte what it was.
 *
 * ctest runs every test with SDL_VIDEODRIVER=offscreen and SDL_AUDIODRIVER=dummy: doctor takes
 * those, set on purpose, as warnings (nothing shows or sounds, and it says so), so a setup that is
 * otherwise good passes with exit 0. */
#include "bt_test_support.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_store.h"

#define BANGTIN BT_BANGTIN_EXE
#define PATH_BYTES 1200
#define CMD_BYTES 4096
/* A WAV header: RIFF, fmt (PCM) and data chunk headers. */
#define WAV_HEADER_BYTES 44
/* 0.1 s of 8 kHz mono 16-bit silence: enough for a file that loads; activate does not play it. */
#define WAV_RATE 8000
#define WAV_SAMPLES 800
/* Display numbers for the silent X server: far above what Xvfb -a picks (99 up). */
#define HUNG_DISPLAY_FIRST 4200
/* A display number nothing listens on, in the same unused range. */
#define NO_X_DISPLAY 4199
#define ENV_BYTES 128
#define HUNG_DISPLAY_TRIES 50
#define HUNG_DISPLAY_BACKLOG 4
/* doctor gives a driver 5 s; the rest of its checks take well under a second. */
#define HUNG_DOCTOR_MAX_SECONDS 20.0

typedef struct {
    char *dir;
    char config[PATH_BYTES];
    char data[PATH_BYTES];
} fixture;

static char *run(const char *cmd, int *status)
{
    char *out = bt_test_run(cmd, status);
    assert_non_null(out);
    return out;
}

/* `env bangtin --config <the fixture's> args`: env sets variables for this run ("" for none). */
static char *bangtin(const fixture *f, const char *env, const char *args, int *status)
{
    char cmd[CMD_BYTES];
    snprintf(cmd, sizeof cmd, "%s " BANGTIN " --config %s %s", env, f->config, args);
    return run(cmd, status);
}

static void must_show(const char *out, const char *needle)
{
    if (!strstr(out, needle))
        fail_msg("output lacks \"%s\":\n%s", needle, out);
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The config in force: data_dir, trusted_keys (a libconfig array body, may be empty) and mount
 * roots (/media, which the udev rule's mounts need, and the fixture's own sticks folder). */
static void write_config(fixture *f, const char *data_dir, const char *keys)
{
    char text[CMD_BYTES];
    snprintf(f->data, sizeof f->data, "%s", data_dir);
    snprintf(f->config, sizeof f->config, "%s/bangtin.cfg", f->dir);
    snprintf(text, sizeof text,
             "data_dir = \"%s\";\ntrusted_keys = [ %s ];\n"
             "usb = { mount_roots = [ \"/media\", \"%s/media\" ]; };\n",
             data_dir, keys, f->dir);
    assert_int_equal(bt_test_write_file(f->config, text, strlen(text)), 0);
}

static void fixture_init(fixture *f, const char *name)
{
    memset(f, 0, sizeof *f);
    f->dir = bt_test_temp_dir(name);
    char media[PATH_BYTES];
    snprintf(media, sizeof media, "%s/media", f->dir);
    assert_int_equal(mkdir(media, 0755), 0);
}

/* A little-endian 16/32-bit field of the WAV header. */
static void put_le(unsigned char *p, unsigned value, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(value >> (8 * i));
}

static void write_wav(const char *path)
{
    unsigned char wav[WAV_HEADER_BYTES + WAV_SAMPLES * 2] = {0};
    memcpy(wav, "RIFF", 4);
    put_le(wav + 4, sizeof wav - 8, 4);
    memcpy(wav + 8, "WAVEfmt ", 8);
    put_le(wav + 16, 16, 4);              /* fmt chunk size */
    put_le(wav + 20, 1, 2);               /* PCM */
    put_le(wav + 22, 1, 2);               /* mono */
    put_le(wav + 24, WAV_RATE, 4);
    put_le(wav + 28, WAV_RATE * 2, 4);    /* bytes per second */
    put_le(wav + 32, 2, 2);               /* block align */
    put_le(wav + 34, 16, 2);              /* bits per sample */
    memcpy(wav + 36, "data", 4);
    put_le(wav + 40, WAV_SAMPLES * 2, 4);
    assert_int_equal(bt_test_write_file(path, wav, sizeof wav), 0);
}

/* A playlist with one notice and one daily 06:00 session; its title needs JSON escaping. */
static void write_playlist(const fixture *f, char *dir, size_t size)
{
    char path[PATH_BYTES + 32]; /* dir and the longest name after it */
    snprintf(dir, size, "%s/playlist", f->dir);
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(path, sizeof path, "%s/audio", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/audio/tin.wav", dir);
    write_wav(path);
    static const char text[] =
        "id = \"thu-status\";\nversion = 3;\ntitle = \"Thử \\\"trích\\\" \\\\ gạch\";\n"
        "notices = (\n  { id = \"a\"; kind = \"text\"; title = \"Xin chào\"; body = \"Nội dung\";"
        " duration = 10; }\n);\n"
        "broadcasts = {\n  items = ( { id = \"tin\"; title = \"Tin thử\"; audio = \"audio/tin.wav\";"
        " } );\n  sessions = ( { id = \"sang\"; name = \"Bản tin sáng\"; times = \"06:00\";"
        " items = [ \"tin\" ]; } );\n};\n";
    snprintf(path, sizeof path, "%s/playlist.cfg", dir);
    assert_int_equal(bt_test_write_file(path, text, strlen(text)), 0);
}

/* A store in f->data with the fixture's playlist active. */
static void activate_playlist(const fixture *f)
{
    char dir[PATH_BYTES], cmd[CMD_BYTES];
    int status;
    write_playlist(f, dir, sizeof dir);
    snprintf(cmd, sizeof cmd, BANGTIN " --config %s activate %s", f->config, dir);
    free(run(cmd, &status));
    assert_int_equal(status, 0);
}

/* Names, sizes, times to the nanosecond and the store's checksum: any file made, removed or
 * written in the data directory changes it. */
static char *listing(const char *dir)
{
    char cmd[CMD_BYTES];
    int status;
    snprintf(cmd, sizeof cmd, "cd %s && ls -la --time-style=full-iso && md5sum bangtin.db", dir);
    return run(cmd, &status);
}

/* The data directory is as `before` (a listing, freed here) says. */
static void assert_unchanged(const char *dir, char *before)
{
    char *after = listing(dir);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void test_doctor_missing_data_dir_reported_not_created(void **state)
{
    (void)state;
    fixture f;
    char data[PATH_BYTES], line[PATH_BYTES * 2];
    int status;
    fixture_init(&f, "doctor-nodata");
    snprintf(data, sizeof data, "%s/chua-co/data", f.dir);
    write_config(&f, data, "");
    char *out = bangtin(&f, "", "doctor", &status);
    assert_int_equal(status, 1);
    snprintf(line, sizeof line, "LỖI       Thư mục dữ liệu: không có \"%s\"", data);
    must_show(out, line);
    must_show(out, "doctor không tạo");
    must_show(out, "CHƯA SẴN SÀNG");
    snprintf(line, sizeof line, "%s/chua-co", f.dir);
    assert_false(exists(line));
    free(out);
    free(f.dir);
}

/* Text bulletins are spoken on this machine: doctor speaks a sentence to prove espeak-ng and its
 * Vietnamese voice are there, and says so plainly when the voice data is missing. */
static void test_doctor_checks_the_vietnamese_voice(void **state)
{
    (void)state;
    fixture f;
    int status;
    char env[PATH_BYTES + 32];
    fixture_init(&f, "doctor-voice");
    write_config(&f, f.dir, "");
    char *out = bangtin(&f, "", "doctor", &status);
    must_show(out, "ok        Giọng đọc: espeak-ng ");
    must_show(out, "giọng tiếng Việt đọc được (câu thử dài ");
    free(out);
    /* No voice data where espeak-ng looks: the line turns to an error. */
    snprintf(env, sizeof env, "ESPEAK_DATA_PATH='%s'", f.dir);
    out = bangtin(&f, env, "doctor", &status);
    assert_int_equal(status, 1);
    must_show(out, "LỖI       Giọng đọc: tin máy đọc (text = \"…\") sẽ bị từ chối khi nạp — ");
    free(out);
    free(f.dir);
}

/* A config file with a mistake: every other command stops, doctor says so among its lines (with
 * the file's own error and line above) and still checks the rest of the machine. */
static void test_doctor_reports_a_broken_config_and_goes_on(void **state)
{
    (void)state;
    fixture f;
    int status;
    fixture_init(&f, "doctor-badcfg");
    snprintf(f.config, sizeof f.config, "%s/bangtin.cfg", f.dir);
    static const char text[] = "ward_name = \"UBND phường\";\nlog_level = \"nhieu\";\n";
    assert_int_equal(bt_test_write_file(f.config, text, strlen(text)), 0);
    char *out = bangtin(&f, "", "doctor 2>&1", &status);
    assert_int_equal(status, 1);
    must_show(out, "bangtin.cfg:2:");
    must_show(out, "LỖI       Cấu hình: tệp");
    must_show(out, "có 1 lỗi");
    must_show(out, "Phông chữ thường");
    free(out);
    out = bangtin(&f, "", "status 2>&1", &status);
    assert_int_equal(status, 1);
    must_show(out, "có lỗi; sửa rồi chạy lại");
    free(out);
    free(f.dir);
}

/* A ward without a key that approves sticks with the PIN: doctor says so when panel.pin is set,
 * and calls it an error when it is not, since nobody could then approve anything. */
static void test_doctor_reports_pin_approval(void **state)
{
    (void)state;
    fixture f;
    int status;
    fixture_init(&f, "doctor-pin");
    char data[PATH_BYTES], text[CMD_BYTES];
    snprintf(data, sizeof data, "%s/data", f.dir);
    snprintf(f.config, sizeof f.config, "%s/bangtin.cfg", f.dir);
    static const char *const panels[] = {"", "panel = { pin = \"2468\"; };\n"};
    for (int i = 0; i < 2; i++) {
        snprintf(text, sizeof text,
                 "data_dir = \"%s\";\ntrusted_keys = [ ];\n%s"
                 "usb = { unsigned = \"pin\"; mount_roots = [ \"%s/media\" ]; };\n",
                 data, panels[i], f.dir);
        assert_int_equal(bt_test_write_file(f.config, text, strlen(text)), 0);
        char *out = bangtin(&f, "", "doctor 2>&1", &status);
        if (i == 0) {
            must_show(out, "LỖI       Duyệt USB bằng mã PIN: usb.unsigned = \"pin\" nhưng chưa "
                           "đặt panel.pin");
            assert_int_equal(status, 1);
        } else {
            must_show(out, "ok        Duyệt USB bằng mã PIN: gói chưa có chữ ký tin cậy");
            must_show(out, "ok        Khoá tin cậy: trusted_keys trống — mọi gói USB cần cán bộ "
                           "duyệt bằng mã PIN");
            assert_null(strstr(out, "máy sẽ từ chối mọi gói USB có chữ ký"));
        }
        free(out);
    }
    free(f.dir);
}

/* An appliance still on the embedded ward name (which names no real ward) is told to set its
 * own, with the file to put it in; a set name is said as it is. */
static void test_doctor_flags_an_unconfigured_ward_name(void **state)
{
    (void)state;
    fixture f;
    int status;
    fixture_init(&f, "doctor-ward");
    char text[CMD_BYTES], line[CMD_BYTES];
    snprintf(f.config, sizeof f.config, "%s/bangtin.cfg", f.dir);
    static const char *const wards[] = {"", "ward_name = \"UBND phường Việt Hưng\";\n"};
    for (int i = 0; i < 2; i++) {
        snprintf(text, sizeof text, "data_dir = \"%s/data\";\n%s", f.dir, wards[i]);
        assert_int_equal(bt_test_write_file(f.config, text, strlen(text)), 0);
        char *out = bangtin(&f, "", "doctor 2>&1", &status);
        if (i == 0) {
            snprintf(line, sizeof line,
                     "CẢNH BÁO  Tên đơn vị: chưa đặt ward_name — màn hình sảnh, bảng theo dõi và "
                     "báo cáo chỉ ghi \"UBND phường\". Sửa: thêm dòng  ward_name = \"UBND phường "
                     "…\";  vào %s rồi khởi động lại bangtin", f.config);
            must_show(out, line);
        } else {
            must_show(out, "ok        Tên đơn vị: \"UBND phường Việt Hưng\"");
            assert_null(strstr(out, "chưa đặt ward_name"));
        }
        assert_null(strstr(out, "Bạch Mai"));
        free(out);
    }
    /* The embedded default names no ward either (the help's examples may). */
    char *out = run("BANGTIN_CONFIG= " BANGTIN " config 2>&1", &status);
    must_show(out, "ward_name                  chuỗi; mặc định \"UBND phường\"\n");
    free(out);
    free(f.dir);
}

/* Which of DPMS and HDMI-CEC works: neither on a build machine (Xvfb has no DPMS extension, no
 * CEC adapter), said with why; with a display.on schedule that is a warning with what to do,
 * without one a plain line suggesting the key. */
static void test_doctor_says_how_the_display_sleeps(void **state)
{
    (void)state;
    fixture f;
    int status;
    fixture_init(&f, "doctor-display-sleep");
    char text[CMD_BYTES];
    snprintf(f.config, sizeof f.config, "%s/bangtin.cfg", f.dir);
    static const char *const schedules[] = {"", "display = { on = \"T2-T6 07:00-17:30\"; };\n"};
    for (int i = 0; i < 2; i++) {
        snprintf(text, sizeof text, "data_dir = \"%s/data\";\n%s", f.dir, schedules[i]);
        assert_int_equal(bt_test_write_file(f.config, text, strlen(text)), 0);
        char *out = bangtin(&f, "DISPLAY=", "doctor 2>&1", &status);
        must_show(out, "ok        Tắt màn hình ngoài giờ: DPMS không dùng được: không có máy chủ X "
                       "($DISPLAY trống)");
        must_show(out, "ok        Tắt màn hình ngoài giờ: HDMI-CEC không dùng được: ");
        if (i == 0)
            must_show(out, "ok        Lịch bật màn hình (display.on): luôn bật — đặt ví dụ");
        else
            must_show(out, "CẢNH BÁO  Lịch bật màn hình (display.on): T2-T6 07:00-17:30 — nhưng "
                           "máy không tắt được màn hình, ngoài giờ chỉ tô đen (đèn nền vẫn sáng). "
                           "Sửa: trong X bật DPMS");
        free(out);
    }
    free(f.dir);
}

static void test_doctor_names_bad_key_files(void **state)
{
    (void)state;
    fixture f;
    char keys[PATH_BYTES * 3], garbage[PATH_BYTES], missing[PATH_BYTES], cmd[CMD_BYTES],
        line[PATH_BYTES * 2];
    int status;
    fixture_init(&f, "doctor-badkeys");
    snprintf(garbage, sizeof garbage, "%s/rac.pub", f.dir);
    snprintf(missing, sizeof missing, "%s/khong-co.pub", f.dir);
    assert_int_equal(bt_test_write_file(garbage, "xin chào\n", strlen("xin chào\n")), 0);
    snprintf(keys, sizeof keys, "\"%s\", \"%s\"", garbage, missing);
    snprintf(line, sizeof line, "%s/data", f.dir);
    write_config(&f, line, keys);
    char *out = bangtin(&f, "", "doctor", &status);
    assert_int_equal(status, 1);
    snprintf(line, sizeof line, "LỖI       Khoá tin cậy: tệp \"%s\" không phải tệp khoá công khai",
             garbage);
    must_show(out, line);
    snprintf(line, sizeof line, "LỖI       Khoá tin cậy: không đọc được tệp khoá \"%s\": không có "
             "tệp này", missing);
    must_show(out, line);
    free(out);
    /* A key this user may not read (root reads everything, so only as another user). */
    if (geteuid() != 0) {
        assert_int_equal(chmod(garbage, 0), 0);
        out = run(cmd, &status);
        snprintf(line, sizeof line, "\"%s\": không có quyền đọc", garbage);
        must_show(out, line);
        free(out);
    }
    free(f.dir);
}

/* keygen's public key, a store with a playlist, a stick in the sticks folder. */
static void good_setup(fixture *f, char *pub, size_t size)
{
    char cmd[CMD_BYTES], keys[PATH_BYTES + 8], data[PATH_BYTES], stick[PATH_BYTES];
    int status;
    fixture_init(f, "doctor-good");
    snprintf(cmd, sizeof cmd, BANGTIN " keygen --out %s/phuong", f->dir);
    free(run(cmd, &status));
    assert_int_equal(status, 0);
    snprintf(pub, size, "%s/phuong.pub", f->dir);
    snprintf(keys, sizeof keys, "\"%s\"", pub);
    snprintf(data, sizeof data, "%s/data", f->dir);
    write_config(f, data, keys);
    activate_playlist(f);
    snprintf(stick, sizeof stick, "%s/media/USB-PHUONG", f->dir);
    assert_int_equal(mkdir(stick, 0755), 0);
    snprintf(stick, sizeof stick, "%s/media/USB-PHUONG/bangtin", f->dir);
    assert_int_equal(mkdir(stick, 0755), 0);
    /* Not a mount point here: the poller knows a package by its own files. */
    snprintf(stick, sizeof stick, "%s/media/USB-PHUONG/bangtin/MANIFEST", f->dir);
    assert_int_equal(bt_test_write_file(stick, "", 0), 0);
}

static void test_doctor_good_setup_passes_and_changes_nothing(void **state)
{
    (void)state;
    fixture f;
    char pub[PATH_BYTES], line[PATH_BYTES * 2];
    int status;
    good_setup(&f, pub, sizeof pub);
    char *before = listing(f.data);
    char *out = bangtin(&f, "SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy", "doctor", &status);
    if (status != 0)
        fail_msg("doctor failed on a good setup:\n%s", out);
    snprintf(line, sizeof line, "ok        Cấu hình: tệp \"%s\"", f.config);
    must_show(out, line);
    snprintf(line, sizeof line, "ok        Khoá tin cậy: \"%s\" (mã khoá ", pub);
    must_show(out, line);
    snprintf(line, sizeof line, "ok        Thư mục dữ liệu: \"%s\" — ghi được", f.data);
    must_show(out, line);
    must_show(out, "ok        Dung lượng: Còn trống ");
    must_show(out, "ok        Cơ sở dữ liệu: mở được (chỉ đọc), kiểm tra toàn vẹn: tốt");
    must_show(out, "ok        Nhật ký phát thanh: ");
    must_show(out, "ok        Playlist: \"thu-status\" phiên bản 3");
    must_show(out, "ok        Đồng hồ: ");
    must_show(out, "giờ Việt Nam (Asia/Ho_Chi_Minh, UTC+7)");
    must_show(out, "ok        Phông chữ thường: ");
    must_show(out, "ok        Phông chữ đậm: ");
    must_show(out, "ok        Nhạc hiệu: ");
    snprintf(line, sizeof line, "ok        USB: đang cắm, có gói tại \"%s/media/USB-PHUONG/bangtin\"",
             f.dir);
    must_show(out, line);
    /* Offscreen and dummy were asked for: said, but not errors. */
    must_show(out, "CẢNH BÁO  Màn hình: SDL_VIDEODRIVER=offscreen — màn hình sẽ không hiện gì");
    must_show(out, "CẢNH BÁO  Loa: SDL_AUDIODRIVER=dummy");
    must_show(out, ", 0 lỗi — máy sẵn sàng");
    assert_null(strstr(out, "\nLỖI"));
    assert_unchanged(f.data, before);
    free(out);
    free(f.dir);
}

/* Without a display SDL falls back to offscreen by itself: the appliance would show nothing. */
static void test_doctor_no_display_is_an_error(void **state)
{
    (void)state;
    fixture f;
    char pub[PATH_BYTES], env[ENV_BYTES];
    int status;
    good_setup(&f, pub, sizeof pub);
    if (!exists("/dev/dri")) { /* with a DRM card SDL would take KMSDRM instead */
        char *out =
            bangtin(&f, "env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER", "doctor", &status);
        assert_int_equal(status, 1);
        must_show(out, "LỖI       Màn hình: không có màn hình thật — SDL chỉ mở được \"offscreen\"");
        must_show(out, "LỖI       KMSDRM: không có /dev/dri/card*");
        free(out);
    }
    /* An X display that is not there fails at once, with SDL's reason. */
    snprintf(env, sizeof env, "SDL_VIDEODRIVER=x11 DISPLAY=:%d", NO_X_DISPLAY);
    char *out = bangtin(&f, env, "doctor", &status);
    assert_int_equal(status, 1);
    must_show(out, "LỖI       Màn hình: SDL không mở được màn hình với SDL_VIDEODRIVER=x11: ");
    free(out);
    free(f.dir);
}

/* An X server that takes the connection and never answers (a listening socket nobody accepts
 * from: the client's setup request waits for ever). The abstract socket name is the one libxcb
 * tries first for DISPLAY=:N, so nothing is made in /tmp/.X11-unix. Returns the display number,
 * *fd the socket to close. */
static int silent_x_server(int *fd)
{
    for (int n = HUNG_DISPLAY_FIRST; n < HUNG_DISPLAY_FIRST + HUNG_DISPLAY_TRIES; n++) {
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        int len = snprintf(a.sun_path + 1, sizeof a.sun_path - 1, "/tmp/.X11-unix/X%d", n);
        *fd = socket(AF_UNIX, SOCK_STREAM, 0);
        assert_true(*fd >= 0);
        if (bind(*fd, (struct sockaddr *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
                                                           1 + (size_t)len)) == 0 &&
            listen(*fd, HUNG_DISPLAY_BACKLOG) == 0)
            return n;
        close(*fd);
    }
    fail_msg("no free abstract X socket name");
    return -1;
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A display driver that hangs is given up on, and the report goes on to its end. */
static void test_doctor_hung_display_does_not_hang(void **state)
{
    (void)state;
    fixture f;
    char pub[PATH_BYTES], env[ENV_BYTES];
    int status, fd;
    good_setup(&f, pub, sizeof pub);
    int display = silent_x_server(&fd);
    snprintf(env, sizeof env, "SDL_VIDEODRIVER=x11 DISPLAY=:%d", display);
    double start = seconds_now();
    char *out = bangtin(&f, env, "doctor", &status);
    double took = seconds_now() - start;
    close(fd);
    assert_int_equal(status, 1);
    must_show(out, "LỖI       Màn hình: SDL không trả lời sau 5 giây (DISPLAY đã đặt)");
    must_show(out, "ok        Cơ sở dữ liệu: mở được (chỉ đọc)");
    must_show(out, "Kết quả: ");
    assert_true(took < HUNG_DOCTOR_MAX_SECONDS);
    free(out);
    free(f.dir);
}

/* ---- status -------------------------------------------------------------------------------- */

/* A JSON value's syntax, strictly (RFC 8259), without building anything: enough to prove the
 * output parses. Advances *p past the value; false at the first error. */
static bool json_value(const char **p);

static void json_space(const char **p)
{
    while (**p == ' ' || **p == '\n' || **p == '\t' || **p == '\r')
        (*p)++;
}

static bool json_string_ok(const char **p)
{
    if (*(*p)++ != '"')
        return false;
    for (; **p != '"'; (*p)++) {
        if ((unsigned char)**p < 0x20)
            return false;
        if (**p == '\\') {
            (*p)++;
            if (**p == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (!strchr("0123456789abcdefABCDEF", (*p)[i]) || !(*p)[i])
                        return false;
                *p += 4;
            } else if (!**p || !strchr("\"\\/bfnrt", **p)) {
                return false;
            }
        }
    }
    (*p)++;
    return true;
}

static bool json_members(const char **p, char close, bool keys)
{
    (*p)++;
    json_space(p);
    if (**p == close) {
        (*p)++;
        return true;
    }
    for (;;) {
        json_space(p);
        if (keys) {
            if (!json_string_ok(p))
                return false;
            json_space(p);
            if (*(*p)++ != ':')
                return false;
        }
        if (!json_value(p))
            return false;
        json_space(p);
        if (**p == close) {
            (*p)++;
            return true;
        }
        if (*(*p)++ != ',')
            return false;
    }
}

static bool json_value(const char **p)
{
    json_space(p);
    if (**p == '{')
        return json_members(p, '}', true);
    if (**p == '[')
        return json_members(p, ']', false);
    if (**p == '"')
        return json_string_ok(p);
    static const char *const literals[] = {"true", "false", "null"};
    for (size_t i = 0; i < 3; i++)
        if (strncmp(*p, literals[i], strlen(literals[i])) == 0) {
            *p += strlen(literals[i]);
            return true;
        }
    char *end;
    strtod(*p, &end);
    if (end == *p || **p == '+' || **p == '.')
        return false;
    *p = end;
    return true;
}

static bool json_document(const char *text)
{
    const char *p = text;
    if (*p != '{' || !json_value(&p))
        return false;
    json_space(&p);
    return *p == '\0';
}

static void test_json_checker_itself(void **state)
{
    (void)state;
    assert_true(json_document("{\"a\": [1, -2.5e3, \"x\\\"\\u00e9\", true, null, {}]}\n"));
    assert_false(json_document("{\"a\": \"unescaped \" quote\"}"));
    assert_false(json_document("{\"a\": 1,}"));
    assert_false(json_document("{\"a\": \"tab\there\"}"));
}

static void test_status_prints_active_playlist_text_and_json(void **state)
{
    (void)state;
    fixture f;
    char data[PATH_BYTES];
    int status;
    fixture_init(&f, "status-active");
    snprintf(data, sizeof data, "%s/data", f.dir);
    write_config(&f, data, "");
    activate_playlist(&f);
    char *before = listing(f.data);
    char *out = bangtin(&f, "", "status", &status);
    assert_int_equal(status, 0);
    must_show(out, "Playlist đang phát: 'Thử \"trích\" \\ gạch' (thu-status, phiên bản 3) — kích "
                   "hoạt lúc ");
    must_show(out, "Lần nạp USB gần nhất: Playlist đang phát không được nạp từ USB.");
    must_show(out, " 06:00 — Bản tin sáng (sang, 1 tin)\n");
    must_show(out, "Đồng hồ: tin được");
    must_show(out, "Dung lượng thư mục dữ liệu: Còn trống ");
    free(out);

    out = bangtin(&f, "", "status --json", &status);
    assert_int_equal(status, 0);
    if (!json_document(out))
        fail_msg("status --json is not one JSON object:\n%s", out);
    must_show(out, "\"id\": \"thu-status\"");
    must_show(out, "\"version\": 3,");
    must_show(out, "\"title\": \"Thử \\\"trích\\\" \\\\ gạch\"");
    must_show(out, "\"session_id\": \"sang\"");
    must_show(out, "\"session_name\": \"Bản tin sáng\"");
    must_show(out, "T06:00:00+07:00\"");
    must_show(out, "\"trusted\": true");
    must_show(out, "\"free_bytes\": ");
    must_show(out, "\"recent_airings\": []");
    assert_unchanged(f.data, before);
    free(out);
    free(f.dir);
}

/* A clock event two days ahead of now: the log's last row is later than the clock, as after a
 * clock set back while the box was off. Doctor fails the clock, status does not trust it. */
static void test_clock_behind_log_is_reported(void **state)
{
    (void)state;
    fixture f;
    char pub[PATH_BYTES], path[PATH_BYTES + 16], err[512];
    int status;
    good_setup(&f, pub, sizeof pub);
    snprintf(path, sizeof path, "%s/" BT_STORE_FILE, f.data);
    bt_store *store = NULL;
    assert_int_equal(bt_store_open(path, &store, err, sizeof err), 0);
    bt_clock_event ev = {.detected_at_ms = ((int64_t)time(NULL) + 2 * BT_SECONDS_PER_DAY) * 1000,
                         .jump_ms = 3600 * 1000};
    snprintf(ev.note, sizeof ev.note, "đồng hồ nhảy tới (thử)");
    assert_int_equal(bt_airing_add_clock_event(store, &ev, NULL), 0);
    bt_store_close(store);

    char *out = bangtin(&f, "", "doctor", &status);
    assert_int_equal(status, 1);
    must_show(out, "— sớm hơn dòng cuối của nhật ký phát thanh (");
    must_show(out, "Sửa: timedatectl set-time");
    must_show(out, "CẢNH BÁO  Đồng hồ: nhật ký ghi 1 lần giờ bị chỉnh trong 31 ngày qua");
    must_show(out, "đồng hồ nhảy tới (thử)");
    free(out);

    out = bangtin(&f, "", "status", &status);
    assert_int_equal(status, 0);
    must_show(out, "Đồng hồ: KHÔNG tin được — sớm hơn dòng cuối của nhật ký");
    must_show(out, "Sự kiện đồng hồ trong nhật ký: 1, gần nhất ");
    free(out);
    out = bangtin(&f, "", "status --json", &status);
    assert_true(json_document(out));
    must_show(out, "\"trusted\": false");
    must_show(out, "\"behind_log\": true");
    must_show(out, "\"events\": 1");
    must_show(out, "\"jump_ms\": 3600000");
    must_show(out, "\"note\": \"đồng hồ nhảy tới (thử)\"");
    free(out);
    free(f.dir);
}

static void test_status_without_store_says_so_and_creates_nothing(void **state)
{
    (void)state;
    fixture f;
    char data[PATH_BYTES], cmd[CMD_BYTES];
    int status;
    fixture_init(&f, "status-nostore");
    snprintf(data, sizeof data, "%s/data", f.dir);
    write_config(&f, data, "");
    char *out = bangtin(&f, "", "status 2>&1", &status);
    assert_int_equal(status, 1);
    must_show(out, "chưa có cơ sở dữ liệu");
    must_show(out, data);
    assert_false(exists(data));
    free(out);
    /* An empty data directory stays empty. */
    assert_int_equal(mkdir(data, 0755), 0);
    out = bangtin(&f, "", "status 2>&1", &status);
    assert_int_equal(status, 1);
    must_show(out, "chưa có cơ sở dữ liệu");
    free(out);
    snprintf(cmd, sizeof cmd, "ls -A %s | wc -l", data);
    out = run(cmd, &status);
    assert_int_equal(atoi(out), 0);
    free(out);
    free(f.dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doctor_missing_data_dir_reported_not_created),
        cmocka_unit_test(test_doctor_says_how_the_display_sleeps),
        cmocka_unit_test(test_doctor_flags_an_unconfigured_ward_name),
        cmocka_unit_test(test_doctor_names_bad_key_files),
        cmocka_unit_test(test_doctor_reports_pin_approval),
        cmocka_unit_test(test_doctor_reports_a_broken_config_and_goes_on),
        cmocka_unit_test(test_doctor_good_setup_passes_and_changes_nothing),
        cmocka_unit_test(test_doctor_no_display_is_an_error),
        cmocka_unit_test(test_doctor_hung_display_does_not_hang),
        cmocka_unit_test(test_json_checker_itself),
        cmocka_unit_test(test_status_prints_active_playlist_text_and_json),
        cmocka_unit_test(test_status_without_store_says_so_and_creates_nothing),
        cmocka_unit_test(test_clock_behind_log_is_reported),
        cmocka_unit_test(test_doctor_checks_the_vietnamese_voice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
