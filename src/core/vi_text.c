/* The one table of Vietnamese words for codes and for library errors (bt_vi.h). Every status,
 * reason and error a person reads is looked up here, so a new code without words fails
 * tests/unit/test_vi_text.c instead of reaching the lobby or the stick in English. */
#include "bangtin/bt_vi.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bangtin/bt_log.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char UNKNOWN[] = "không rõ";

/* ---- codes the program keeps -------------------------------------------------------------- */

/* The airing log's statuses by their stored code (store/airing.c and core/schedule.c keep the
 * codes; core may not include the store's header, so the code is the key). */
static const struct {
    const char *code, *vi;
} airing_status[] = {
    {"airing", "đang phát"}, {"completed", "đã phát"}, {"interrupted", "bị ngắt"},
    {"failed", "lỗi"},       {"missed", "bỏ lỡ"},
};

static const char *const miss_reason[] = {
    [BT_MISS_NONE] = "",
    [BT_MISS_OFF] = "máy tắt",
    [BT_MISS_CLOCK_JUMP] = "đồng hồ bị chỉnh",
    [BT_MISS_NO_DEVICE] = "không có thiết bị âm thanh",
    [BT_MISS_PLAYBACK] = "lỗi phát âm thanh",
    [BT_MISS_EMERGENCY] = "bị ngắt bởi bản tin khẩn cấp",
    [BT_MISS_CRASH] = "chương trình dừng đột ngột",
    [BT_MISS_QUEUE] = "quá giờ chờ",
    [BT_MISS_STORE] = "không ghi được nhật ký phát thanh",
    [BT_MISS_CLOCK_UNTRUSTED] = "đồng hồ của máy chưa đúng",
};
_Static_assert(COUNT_OF(miss_reason) == BT_MISS_REASON_COUNT, "a miss reason without words");

static const char *const slot_state[] = {
    [BT_SLOT_UPCOMING] = "sắp phát", [BT_SLOT_AIRING] = "đang phát", [BT_SLOT_AIRED] = "đã phát",
    [BT_SLOT_MADE_UP] = "đã phát bù", [BT_SLOT_MISSED] = "bỏ lỡ",
};
_Static_assert(COUNT_OF(slot_state) == BT_SLOT_STATE_COUNT, "a slot state without words");

static const char *const target_state[] = {
    [BT_TARGET_MET] = "đã đạt",
    [BT_TARGET_ON_TRACK] = "đang thực hiện",
    [BT_TARGET_AT_RISK] = "có nguy cơ không đạt",
    [BT_TARGET_MISSED] = "không đạt",
};
_Static_assert(COUNT_OF(target_state) == BT_TARGET_STATE_COUNT, "a target state without words");

static const char *const sim_event[] = {
    [BT_SIM_AIRED] = "đã phát",     [BT_SIM_MADE_UP] = "phát bù", [BT_SIM_INTERRUPTED] = "bị ngắt",
    [BT_SIM_MISSED] = "bỏ lỡ",      [BT_SIM_OFF] = "máy tắt",     [BT_SIM_ON] = "máy bật",
};
_Static_assert(COUNT_OF(sim_event) == BT_SIM_EVENT_COUNT, "a simulated event without words");

const char *bt_vi_airing_status(const char *code)
{
    for (size_t i = 0; code && i < COUNT_OF(airing_status); i++)
        if (strcmp(code, airing_status[i].code) == 0)
            return airing_status[i].vi;
    return NULL;
}

const char *bt_vi_attempt_status(bt_attempt_status s)
{
    const char *vi = bt_vi_airing_status(bt_attempt_status_name(s));
    return vi ? vi : UNKNOWN;
}

const char *bt_vi_miss_reason(bt_miss_reason r)
{
    return (size_t)r < COUNT_OF(miss_reason) ? miss_reason[r] : UNKNOWN;
}

const char *bt_vi_slot_state(bt_slot_state st)
{
    return (size_t)st < COUNT_OF(slot_state) ? slot_state[st] : UNKNOWN;
}

const char *bt_vi_target_state(bt_target_state s)
{
    return (size_t)s < COUNT_OF(target_state) ? target_state[s] : UNKNOWN;
}

const char *bt_vi_sim_event(bt_sim_event e)
{
    return (size_t)e < COUNT_OF(sim_event) ? sim_event[e] : UNKNOWN;
}

const char *bt_vi_reason(const char *stored, char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    buf[0] = '\0';
    if (!stored || !stored[0])
        return buf;
    /* The code is the reason's first word: "crash", "playback: …", "store: …". */
    size_t n = strcspn(stored, ": ");
    char code[32];
    bt_miss_reason why;
    if (n >= sizeof code) {
        snprintf(buf, size, "%s", stored);
        return buf;
    }
    memcpy(code, stored, n);
    code[n] = '\0';
    if (bt_miss_reason_from_code(code, &why) != 0 || why == BT_MISS_NONE) {
        snprintf(buf, size, "%s", stored);
        return buf;
    }
    const char *rest = stored + n;
    if (*rest == ':')
        rest++;
    while (*rest == ' ')
        rest++;
    snprintf(buf, size, "%s%s%s", bt_vi_miss_reason(why), rest[0] ? ": " : "", rest);
    return buf;
}

/* ---- errors of the system and of libraries -------------------------------------------------- */

/* Common errno values in the words an office worker uses. Not every system has every value
 * (Windows' C library lacks some), so the rarer ones are guarded; a value listed twice
 * (EAGAIN and EWOULDBLOCK on Linux) takes its first words. */
static const struct {
    int code;
    const char *vi;
} errno_words[] = {
    {0, "không có lỗi"},
    {ENOENT, "không có tệp hoặc thư mục này"},
    {EACCES, "không có quyền truy cập"},
    {EPERM, "không được phép làm việc này"},
    {ENOSPC, "ổ đĩa đã đầy"},
    {EROFS, "ổ đĩa chỉ cho đọc, không ghi được"},
    {EIO, "lỗi đọc ghi thiết bị (ổ đĩa hoặc USB có thể bị hỏng hoặc đã bị rút ra)"},
    {EEXIST, "đã có tệp hoặc thư mục trùng tên"},
    {ENOTDIR, "một phần của đường dẫn không phải thư mục"},
    {EISDIR, "đây là thư mục, không phải tệp"},
    {ENAMETOOLONG, "tên hoặc đường dẫn quá dài"},
    {EMFILE, "chương trình đang mở quá nhiều tệp"},
    {ENFILE, "hệ thống đang mở quá nhiều tệp"},
    {ENOMEM, "không đủ bộ nhớ"},
    {EXDEV, "không chuyển thẳng được sang ổ đĩa khác"},
    {EINVAL, "giá trị không hợp lệ"},
    {EBUSY, "thiết bị hoặc tệp đang bận"},
    {ENODEV, "không có thiết bị này"},
    {ENXIO, "thiết bị không còn (có thể đã bị rút ra)"},
    {EAGAIN, "tạm thời chưa làm được, hãy thử lại"},
    {EINTR, "bị ngắt giữa chừng"},
    {EFBIG, "tệp quá lớn"},
    {ENOTEMPTY, "thư mục không trống"},
    {EPIPE, "đầu bên kia đã đóng"},
    {EBADF, "tệp không còn mở"},
    {ENOEXEC, "tệp không phải chương trình chạy được"},
    {E2BIG, "danh sách tham số quá dài"},
    {ECHILD, "không có tiến trình con"},
    {ESPIPE, "không dời vị trí đọc được"},
    {ENOSYS, "hệ thống không hỗ trợ việc này"},
    {ESRCH, "không có tiến trình này"},
    {EMLINK, "quá nhiều liên kết"},
    {EDOM, "giá trị ngoài miền cho phép"},
    {ERANGE, "giá trị quá lớn hoặc quá nhỏ"},
    {EILSEQ, "chuỗi ký tự không hợp lệ"},
#ifdef ELOOP
    {ELOOP, "đường dẫn là liên kết (lối tắt) hoặc các liên kết vòng lặp nhau"},
#endif
#ifdef EDQUOT
    {EDQUOT, "hết dung lượng được cấp trên ổ đĩa"},
#endif
#ifdef ETIMEDOUT
    {ETIMEDOUT, "quá thời gian chờ"},
#endif
#ifdef ETXTBSY
    {ETXTBSY, "tệp đang được dùng"},
#endif
#ifdef ENOTSUP
    {ENOTSUP, "thao tác không được hỗ trợ"},
#endif
#ifdef EOPNOTSUPP
    {EOPNOTSUPP, "thao tác không được hỗ trợ"},
#endif
#ifdef ENOMEDIUM
    {ENOMEDIUM, "không có đĩa trong ổ"},
#endif
#ifdef EWOULDBLOCK
    {EWOULDBLOCK, "tạm thời chưa làm được, hãy thử lại"},
#endif
};

bt_vi_text bt_vi_errno(int err)
{
    bt_vi_text t;
    for (size_t i = 0; i < COUNT_OF(errno_words); i++) {
        if (errno_words[i].code == err) {
            snprintf(t.text, sizeof t.text, "%s", errno_words[i].vi);
            return t;
        }
    }
    snprintf(t.text, sizeof t.text, "lỗi hệ thống số %d", err);
    return t;
}

/* SQLite's primary result codes, by number: core may not include sqlite3.h, and these numbers
 * are part of SQLite's stable interface (sqlite.h: "will never change"). The store's tests check
 * them against sqlite3.h. An extended code carries its primary code in its low byte. */
static const char *const sqlite_words[] = {
    [0] = "không có lỗi",                                            /* SQLITE_OK */
    [1] = "lỗi khi đọc hoặc ghi cơ sở dữ liệu",                      /* SQLITE_ERROR */
    [2] = "lỗi bên trong thư viện cơ sở dữ liệu",                    /* SQLITE_INTERNAL */
    [3] = "không có quyền truy cập cơ sở dữ liệu",                   /* SQLITE_PERM */
    [4] = "thao tác với cơ sở dữ liệu bị huỷ giữa chừng",            /* SQLITE_ABORT */
    [5] = "cơ sở dữ liệu đang bận (một chương trình khác đang ghi)", /* SQLITE_BUSY */
    [6] = "một bảng của cơ sở dữ liệu đang bị khoá",                 /* SQLITE_LOCKED */
    [7] = "không đủ bộ nhớ",                                         /* SQLITE_NOMEM */
    [8] = "cơ sở dữ liệu chỉ cho đọc (thư mục hoặc ổ đĩa không ghi được)", /* SQLITE_READONLY */
    [9] = "thao tác với cơ sở dữ liệu bị ngắt",                      /* SQLITE_INTERRUPT */
    [10] = "lỗi đọc ghi ổ đĩa",                                      /* SQLITE_IOERR */
    [11] = "tệp cơ sở dữ liệu bị hỏng",                              /* SQLITE_CORRUPT */
    [12] = "không tìm thấy trong cơ sở dữ liệu",                     /* SQLITE_NOTFOUND */
    [13] = "ổ đĩa đã đầy",                                           /* SQLITE_FULL */
    [14] = "không mở được tệp cơ sở dữ liệu",                        /* SQLITE_CANTOPEN */
    [15] = "lỗi khoá tệp cơ sở dữ liệu",                             /* SQLITE_PROTOCOL */
    [16] = "cơ sở dữ liệu trống",                                    /* SQLITE_EMPTY */
    [17] = "cấu trúc cơ sở dữ liệu vừa thay đổi",                    /* SQLITE_SCHEMA */
    [18] = "dữ liệu quá lớn",                                        /* SQLITE_TOOBIG */
    [19] = "dữ liệu trái ràng buộc của cơ sở dữ liệu",               /* SQLITE_CONSTRAINT */
    [20] = "dữ liệu sai kiểu",                                       /* SQLITE_MISMATCH */
    [21] = "chương trình dùng sai thư viện cơ sở dữ liệu",           /* SQLITE_MISUSE */
    [22] = "hệ thống không hỗ trợ tệp lớn",                          /* SQLITE_NOLFS */
    [23] = "không được phép truy cập cơ sở dữ liệu",                 /* SQLITE_AUTH */
    [24] = "sai định dạng cơ sở dữ liệu",                            /* SQLITE_FORMAT */
    [25] = "số thứ tự tham số ngoài phạm vi",                        /* SQLITE_RANGE */
    [26] = "tệp không phải cơ sở dữ liệu hoặc đã bị hỏng",           /* SQLITE_NOTADB */
    [27] = "thông báo của thư viện cơ sở dữ liệu",                   /* SQLITE_NOTICE */
    [28] = "cảnh báo của thư viện cơ sở dữ liệu",                    /* SQLITE_WARNING */
};

bt_vi_text bt_vi_sqlite(int code)
{
    bt_vi_text t;
    int primary = code & 0xff;
    if (code == 100) /* SQLITE_ROW: not an error, but a caller may pass any step's result */
        snprintf(t.text, sizeof t.text, "còn dòng dữ liệu chưa đọc");
    else if (code == 101) /* SQLITE_DONE */
        snprintf(t.text, sizeof t.text, "đã xong");
    else if (code >= 0 && (size_t)primary < COUNT_OF(sqlite_words) && sqlite_words[primary])
        snprintf(t.text, sizeof t.text, "%s", sqlite_words[primary]);
    else
        snprintf(t.text, sizeof t.text, "lỗi cơ sở dữ liệu số %d", code);
    return t;
}

/* libconfig 1.5's error texts (its grammar, scanner and file reader: `strings libconfig.so`),
 * matched as written; the flex scanner's internal errors all start with "fatal". */
static const struct {
    const char *text, *vi;
} config_words[] = {
    {"syntax error", "lỗi cú pháp"},
    {"duplicate setting name", "một khoá được khai báo hai lần trong cùng một nhóm"},
    {"file I/O error", "lỗi đọc tệp"},
    {"memory exhausted", "các ngoặc lồng nhau quá sâu"},
    {"mismatched element type in array", "một mảng [ ] chứa các giá trị khác kiểu nhau"},
    {"include file nesting too deep", "các tệp @include lồng nhau quá sâu"},
    {"cannot open include file", "không mở được tệp @include"},
    {"invalid include path", "đường dẫn @include không hợp lệ"},
    {"fatal", "lỗi bên trong bộ đọc tệp cấu hình"},
};

const char *bt_vi_config_error(const char *libconfig_text)
{
    for (size_t i = 0; libconfig_text && i < COUNT_OF(config_words); i++)
        if (strncmp(libconfig_text, config_words[i].text, strlen(config_words[i].text)) == 0)
            return config_words[i].vi;
    return config_words[0].vi;
}

/* SDL and its libraries' texts that a person may meet (a file that is not audio or not an
 * image, no display, no sound card), matched as a part of the text, case-insensitively: the
 * libraries build their texts with printf, e.g. "Couldn't open %s". First match wins. */
static const struct {
    const char *part, *vi;
} library_words[] = {
    {"Unrecognized audio format", "định dạng âm thanh không nhận ra"},
    {"Unsupported image format", "định dạng ảnh không được hỗ trợ"},
    {"Unsupported", "định dạng không được hỗ trợ"},
    {"out of memory", "không đủ bộ nhớ"},
    {"No available video device", "không có màn hình nào dùng được"},
    {"video subsystem has not been initialized", "phần hiển thị chưa khởi động"},
    {"No such device", "không có thiết bị này"},
    {"audio device", "không mở được thiết bị âm thanh"},
    {"Audio subsystem is not initialized", "phần âm thanh chưa khởi động"},
    {"render driver", "không có bộ vẽ phù hợp"},
    {"Couldn't open", "không mở được tệp"},
    {"Couldn't read", "không đọc được tệp"},
    {"Error reading", "không đọc được tệp"},
    {"Error writing", "không ghi được tệp"},
    {"Couldn't create", "không tạo được"},
    {"zero width", "dòng chữ trống"},
    {"not initialized", "thư viện chưa khởi động"},
    {"Invalid", "giá trị không hợp lệ"},
    {"display", "không mở được màn hình"},
    /* libpng and libjpeg, for a picture that is cut short or damaged */
    {"Premature end", "tệp ảnh bị cắt cụt"},
    {"CRC error", "tệp ảnh bị hỏng"},
    {"Not a JPEG", "tệp không phải ảnh JPEG"},
    {"Not a PNG", "tệp không phải ảnh PNG"},
    {"Corrupt", "tệp ảnh bị hỏng"},
    {"Truncated", "tệp ảnh bị cắt cụt"},
};

/* strcasestr is not C11 (nor on Windows): a small one for short ASCII library texts. */
static bool contains_nocase(const char *text, const char *part)
{
    for (const char *p = text; *p; p++) {
        size_t k = 0;
        while (part[k] && p[k] &&
               tolower((unsigned char)p[k]) == tolower((unsigned char)part[k]))
            k++;
        if (!part[k])
            return true;
    }
    return false;
}

const char *bt_vi_library_error(const char *library_text)
{
    if (!library_text || !library_text[0])
        return "lỗi của thư viện (không rõ nguyên nhân)";
    bt_log_debug("chi tiết cho kỹ thuật viên: %s", library_text);
    for (size_t i = 0; i < COUNT_OF(library_words); i++)
        if (contains_nocase(library_text, library_words[i].part))
            return library_words[i].vi;
    return "lỗi của thư viện (chi tiết trong nhật ký)";
}
