/* What a person reads, in Vietnamese, for every code the program keeps in English and for every
 * error a library or the system reports in English. Staff and citizens read no English: the
 * airing log, the JSON of `status`/`check` and the database keep their stable ASCII codes
 * ("completed", "crash", "missed" …), and everything shown, printed or written to the stick goes
 * through this one table. A library's own English text (SQLite, libconfig, SDL, strerror) never
 * reaches a person: its code is turned into a Vietnamese sentence here, and the shell may log the
 * original to the journal for IT.
 *
 * Pure: no file, no clock, no library beyond libc. Every function returns a static string, or a
 * bt_vi_text by value (for "lỗi hệ thống số N"), never NULL unless documented. */
#ifndef BT_VI_H
#define BT_VI_H

#include <stddef.h>

#include "bt_schedule.h"
#include "bt_targets.h"

/* Room for the longest sentence of the tables below plus a number. */
#define BT_VI_TEXT_BYTES 128

/* A text that may carry a number ("lỗi hệ thống số 201"); use .text in the same expression or
 * copy it. */
typedef struct {
    char text[BT_VI_TEXT_BYTES];
} bt_vi_text;

/* ---- codes the program keeps -------------------------------------------------------------- */

/* An airing's status by the code the log stores ("airing", "completed", "interrupted",
 * "failed", "missed"): "đang phát", "đã phát" …; NULL for a code it does not know. */
const char *bt_vi_airing_status(const char *code);
/* The same for one attempt (bt_attempt_status_name's codes); "không rõ" if out of range. */
const char *bt_vi_attempt_status(bt_attempt_status s);
/* Why a slot did not (completely) air: "máy tắt", "bị ngắt bởi bản tin khẩn cấp" …; "" for
 * BT_MISS_NONE, "không rõ" if out of range. */
const char *bt_vi_miss_reason(bt_miss_reason r);
/* A slot of today's list: "sắp phát", "đang phát" …; "không rõ" if out of range. */
const char *bt_vi_slot_state(bt_slot_state st);
/* A target's progress: "đã đạt", "đang thực hiện" …; "không rõ" if out of range. */
const char *bt_vi_target_state(bt_target_state s);
/* An event of `bangtin simulate`'s timeline: "đã phát", "phát bù" …; "không rõ" if out of
 * range. */
const char *bt_vi_sim_event(bt_sim_event e);

/* A reason as the airing log stores it ("crash", "playback: <detail>", "store: <detail>") in
 * words for staff: the code in Vietnamese, then the detail. A text that does not start with a
 * known code is copied as it is (the log's detail is written in Vietnamese). Returns buf. */
const char *bt_vi_reason(const char *stored, char *buf, size_t size);

/* ---- errors of the system and of libraries -------------------------------------------------- */

/* An errno value: "không có tệp hoặc thư mục này", "ổ đĩa đã đầy" …; one it does not know is
 * "lỗi hệ thống số N". Instead of strerror(), whose text is English. */
bt_vi_text bt_vi_errno(int err);
/* An SQLite result code, primary or extended (sqlite3_errcode / sqlite3_extended_errcode, or a
 * function's return value): "không mở được tệp cơ sở dữ liệu" …; one it does not know is
 * "lỗi cơ sở dữ liệu số N". Instead of sqlite3_errmsg() / sqlite3_errstr(). */
bt_vi_text bt_vi_sqlite(int code);
/* libconfig's error text (config_error_text: "syntax error", "duplicate setting name",
 * "file I/O error" …) in Vietnamese; NULL or a text it does not know is "lỗi cú pháp". */
const char *bt_vi_config_error(const char *libconfig_text);
/* The text of SDL_GetError, TTF_GetError, IMG_GetError or Mix_GetError in Vietnamese: the
 * common ones in words ("định dạng âm thanh không nhận ra", "không đủ bộ nhớ" …), anything else
 * "lỗi của thư viện (chi tiết trong nhật ký)". SDL's texts have no codes, so the original is
 * logged at debug level (bt_log) for IT. Put it after a Vietnamese sentence that names what
 * failed: "không mở được phông chữ \"%s\": %s". */
const char *bt_vi_library_error(const char *library_text);

#endif
