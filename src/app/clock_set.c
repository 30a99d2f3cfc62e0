/* Setting the clock from the staff panel (bt_clock_set.h). Staff who can read a wall clock or a
 * phone are the only time source an offline box has, so the panel lets them set it: the system
 * clock first (that is what the kiosk, the log and the loudspeaker read), then the hardware
 * clock, without which the next power cut would bring the old time back. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/rtc.h>

#include "bangtin/bt_app.h"
#include "bangtin/bt_clock_set.h"
#include "bangtin/bt_vi.h"

/* util-linux's /etc/adjtime: its third line is "UTC" or "LOCAL"; no file means UTC. */
static bool rtc_keeps_local_time(void)
{
    FILE *f = fopen(BT_CLOCK_ADJTIME_FILE, "re");
    char line[64];
    bool local = false;
    for (int n = 0; f && fgets(line, sizeof line, f); n++)
        if (n == 2)
            local = strncmp(line, "LOCAL", 5) == 0;
    if (f)
        fclose(f);
    return local;
}

/* The hardware clock. 0, or -1 with what went wrong in note. */
static int write_rtc(bt_wall when, char *note, size_t size)
{
    time_t t = (time_t)when;
    struct tm tm;
    if (!(rtc_keeps_local_time() ? localtime_r(&t, &tm) : gmtime_r(&t, &tm))) {
        snprintf(note, size, "ngày giờ ngoài khoảng đồng hồ phần cứng ghi được");
        return -1;
    }
    /* Read-only is enough: RTC_SET_TIME is allowed by CAP_SYS_TIME, not by the open's mode. */
    int fd = open(BT_CLOCK_RTC_DEVICE, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(note, size, "không mở được %s (%s)", BT_CLOCK_RTC_DEVICE, bt_vi_errno(errno).text);
        return -1;
    }
    struct rtc_time rt;
    memset(&rt, 0, sizeof rt);
    rt.tm_sec = tm.tm_sec;
    rt.tm_min = tm.tm_min;
    rt.tm_hour = tm.tm_hour;
    rt.tm_mday = tm.tm_mday;
    rt.tm_mon = tm.tm_mon;
    rt.tm_year = tm.tm_year;
    rt.tm_isdst = -1;
    int rc = ioctl(fd, RTC_SET_TIME, &rt);
    int err = errno;
    close(fd);
    if (rc != 0) {
        snprintf(note, size, "%s từ chối (%s)", BT_CLOCK_RTC_DEVICE, bt_vi_errno(err).text);
        return -1;
    }
    return 0;
}

int bt_clock_set_system(void *ctx, bt_wall when, char *err, size_t err_size)
{
    (void)ctx;
    struct timespec ts = {(time_t)when, 0};
    char hhmm[16], date[32], note[200];
    err[0] = '\0';
    if (clock_settime(CLOCK_REALTIME, &ts) != 0) {
        int e = errno;
        bt_civil c = bt_time_to_civil(when);
        if (e == EPERM)
            snprintf(err, err_size,
                     "bangtin không có quyền đổi đồng hồ của máy (dịch vụ cần CAP_SYS_TIME). Báo "
                     "cán bộ kỹ thuật, hoặc đặt bằng lệnh: sudo timedatectl set-time "
                     "\"%04d-%02d-%02d %02d:%02d\"",
                     c.year, c.month, c.day, c.hour, c.minute);
        else
            snprintf(err, err_size, "hệ điều hành từ chối đặt %s ngày %s (%s)",
                     bt_time_format_hhmm(when, hhmm, sizeof hhmm),
                     bt_time_format_ddmmyyyy(bt_time_day_of(when), date, sizeof date),
                     bt_vi_errno(e).text);
        return -1;
    }
    if (write_rtc(when, note, sizeof note) != 0)
        snprintf(err, err_size,
                 "chưa ghi được vào đồng hồ phần cứng: %s — nếu mất điện, máy có thể lại chạy "
                 "sai giờ; báo cán bộ kỹ thuật",
                 note);
    return 0;
}

bt_clock_set_outcome bt_clock_set_from_panel(bt_panel_state *s, bt_clock_setter set, void *ctx,
                                             char *message, size_t size, bt_wall *set_to)
{
    bt_wall when;
    char hhmm[16], date[48], why[512] = "";
    if (!bt_panel_state_clock_request(s, &when))
        return BT_CLOCK_SET_NONE;
    bt_time_format_hhmm(when, hhmm, sizeof hhmm);
    bt_time_format_date_vi(when, date, sizeof date);
    bt_app_clock judged;
    bt_app_clock_check(NULL, when, &judged);
    if (judged.before_build) {
        char built[16];
        snprintf(message, size,
                 "Không đặt: %s sớm hơn ngày làm ra phần mềm bangtin này (%s), nên không thể "
                 "đúng — kiểm tra lại năm rồi nhập lại.",
                 date, bt_time_format_ddmmyyyy(judged.build_day, built, sizeof built));
        bt_panel_state_clock_result(s, false);
        return BT_CLOCK_SET_REFUSED;
    }
    if (set(ctx, when, why, sizeof why) != 0) {
        snprintf(message, size, "Không đặt được ngày giờ: %s.", why[0] ? why : "lỗi không rõ");
        bt_panel_state_clock_result(s, false);
        return BT_CLOCK_SET_REFUSED;
    }
    if (why[0])
        snprintf(message, size, "Đã đặt: %s, %s. Lưu ý: %s.", hhmm, date, why);
    else
        snprintf(message, size, "Đã đặt: %s, %s.", hhmm, date);
    bt_panel_state_clock_result(s, true);
    *set_to = when;
    return BT_CLOCK_SET_DONE;
}
