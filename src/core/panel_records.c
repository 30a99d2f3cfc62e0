/* "Ghi nhận kênh khác", the staff panel's records page (bt_panel_records.h): pure, the day
 * passed in. */
#include "bangtin/bt_panel_records.h"

#include <stdio.h>
#include <string.h>


/* Short notes for the department, chosen by digit: what staff most often add beside a count. */
static const char *const notes[BT_PANEL_RECORD_NOTE_COUNT] = {
    "Tin bài về cải cách hành chính",
    "Dịch vụ công trực tuyến",
    "Định danh điện tử VNeID",
    "Phòng Văn hóa - Xã hội gửi",
    "Hội nghị tổ dân phố",
    "Chuyển tiếp tin của Thành phố",
};

const char *bt_panel_record_note(int n)
{
    return n >= 1 && n <= BT_PANEL_RECORD_NOTE_COUNT ? notes[n - 1] : NULL;
}

size_t bt_panel_records_channels(const bt_targets *targets, bt_target_channel *out)
{
    static const bt_target_channel all[BT_PANEL_RECORD_CHANNELS] = {
        BT_TARGET_CITY_PAGE, BT_TARGET_WARD_SITE, BT_TARGET_CONFERENCE, BT_TARGET_ZALO,
        BT_TARGET_OTHER};
    size_t n = 0;
    /* The plan's channels first, in the order of its targets: what staff came to record. */
    for (size_t i = 0; targets && i < targets->count; i++) {
        bt_target_channel c = targets->items[i].channel;
        bool seen = !bt_target_channel_recorded(c);
        for (size_t k = 0; k < n && !seen; k++)
            seen = out[k] == c;
        if (!seen && n < BT_PANEL_RECORD_CHANNELS)
            out[n++] = c;
    }
    for (size_t i = 0; i < BT_PANEL_RECORD_CHANNELS; i++) {
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++)
            seen = out[k] == all[i];
        if (!seen)
            out[n++] = all[i];
    }
    return n;
}

static void clear_entry(bt_panel_records *r)
{
    memset(r->day_typed, 0, sizeof r->day_typed);
    memset(r->count_typed, 0, sizeof r->count_typed);
    r->day_len = r->count_len = 0;
    r->channel_index = 0;
    r->day = r->today;
    r->count = 1;
    r->note = 0;
    r->undo_index = 0;
    r->undo_asked = false;
}

void bt_panel_records_begin(bt_panel_records *r, const bt_target_channel *channels, size_t count,
                            size_t recent_count, bt_day today)
{
    memset(r, 0, sizeof *r);
    if (count > BT_PANEL_RECORD_CHANNELS)
        count = BT_PANEL_RECORD_CHANNELS;
    memcpy(r->channels, channels, count * sizeof *channels);
    r->channel_count = count;
    r->recent_count = recent_count > BT_PANEL_RECORD_RECENT ? BT_PANEL_RECORD_RECENT
                                                             : recent_count;
    r->today = today;
    clear_entry(r);
    r->step = BT_PANEL_RECORD_CHANNEL;
}

static bool go(bt_panel_records *r, bt_panel_record_step step)
{
    r->step = step;
    r->status = BT_PANEL_RECORD_TYPING;
    return true;
}

/* Types a digit into a field of `cap` digits; false when it is full. */
static bool type_into(char *field, size_t *len, size_t cap, int digit)
{
    if (*len >= cap)
        return false;
    field[(*len)++] = (char)('0' + digit);
    field[*len] = '\0';
    return true;
}

static int two(const char *d, size_t i)
{
    return (d[i] - '0') * 10 + (d[i + 1] - '0');
}

/* OK on the day step: today when nothing was typed, else the eight digits as a real day. */
static bool day_ok(bt_panel_records *r)
{
    if (r->day_len == 0) {
        r->day = r->today;
        return go(r, BT_PANEL_RECORD_COUNT);
    }
    const char *d = r->day_typed;
    int year = r->day_len == BT_PANEL_RECORD_DATE_DIGITS ? two(d, 4) * 100 + two(d, 6) : 0;
    if (year < BT_PANEL_RECORD_MIN_YEAR || !bt_time_date_valid(year, two(d, 2), two(d, 0))) {
        r->status = BT_PANEL_RECORD_BAD_DAY;
        return true;
    }
    bt_day day = bt_time_day_from_ymd(year, two(d, 2), two(d, 0));
    if (day > r->today) {
        r->status = BT_PANEL_RECORD_FUTURE_DAY;
        return true;
    }
    r->day = day;
    return go(r, BT_PANEL_RECORD_COUNT);
}

static bool count_ok(bt_panel_records *r)
{
    int v = 0;
    for (size_t i = 0; i < r->count_len; i++)
        v = v * 10 + (r->count_typed[i] - '0');
    if (r->count_len && v < 1) {
        r->status = BT_PANEL_RECORD_BAD_COUNT;
        return true;
    }
    r->count = r->count_len ? v : 1;
    return go(r, BT_PANEL_RECORD_NOTE);
}

static bool pick_channel(bt_panel_records *r, bt_panel_record_key key, int digit)
{
    if (key == BT_PANEL_RECORD_KEY_DIGIT && digit == 0) {
        if (!r->recent_count) {
            r->status = BT_PANEL_RECORD_NOTHING_TO_UNDO;
            return true;
        }
        return go(r, BT_PANEL_RECORD_UNDO_PICK);
    }
    if (key == BT_PANEL_RECORD_KEY_DIGIT && digit >= 1 && (size_t)digit <= r->channel_count) {
        r->channel_index = (size_t)digit - 1;
        return go(r, BT_PANEL_RECORD_DAY);
    }
    if (key == BT_PANEL_RECORD_KEY_BACK)
        return false;
    r->status = BT_PANEL_RECORD_NO_CHOICE;
    return true;
}

static bool ask(bt_panel_records *r, bool undo)
{
    r->undo_asked = undo;
    r->status = BT_PANEL_RECORD_ASKED;
    return true;
}

/* After a write: OK or a digit begins the next entry (a digit also picks its channel). */
static bool after_done(bt_panel_records *r, bt_panel_record_key key, int digit)
{
    if (key == BT_PANEL_RECORD_KEY_BACK)
        return false;
    clear_entry(r);
    go(r, BT_PANEL_RECORD_CHANNEL);
    if (key == BT_PANEL_RECORD_KEY_DIGIT)
        pick_channel(r, key, digit);
    return true;
}

bool bt_panel_records_back(bt_panel_records *r)
{
    switch (r->step) {
    case BT_PANEL_RECORD_DAY:
        return go(r, BT_PANEL_RECORD_CHANNEL);
    case BT_PANEL_RECORD_COUNT:
        return go(r, BT_PANEL_RECORD_DAY);
    case BT_PANEL_RECORD_NOTE:
        return go(r, BT_PANEL_RECORD_COUNT);
    case BT_PANEL_RECORD_CONFIRM:
        return go(r, BT_PANEL_RECORD_NOTE);
    case BT_PANEL_RECORD_UNDO_PICK:
        return go(r, BT_PANEL_RECORD_CHANNEL);
    case BT_PANEL_RECORD_UNDO_CONFIRM:
        return go(r, BT_PANEL_RECORD_UNDO_PICK);
    default:
        return false;
    }
}

bool bt_panel_records_key(bt_panel_records *r, bt_panel_record_key key, int digit)
{
    if (r->status == BT_PANEL_RECORD_ASKED || r->status == BT_PANEL_RECORD_WRITING)
        return false; /* one write at a time */
    if (r->status == BT_PANEL_RECORD_DONE)
        return after_done(r, key, digit);
    if (key == BT_PANEL_RECORD_KEY_DIGIT && (digit < 0 || digit > 9))
        return false;
    bool digit_key = key == BT_PANEL_RECORD_KEY_DIGIT, ok = key == BT_PANEL_RECORD_KEY_OK;
    switch (r->step) {
    case BT_PANEL_RECORD_CHANNEL:
        return pick_channel(r, key, digit);
    case BT_PANEL_RECORD_DAY:
        r->status = BT_PANEL_RECORD_TYPING;
        if (digit_key)
            return type_into(r->day_typed, &r->day_len, BT_PANEL_RECORD_DATE_DIGITS, digit);
        if (ok)
            return day_ok(r);
        if (r->day_len) {
            r->day_typed[--r->day_len] = '\0';
            return true;
        }
        return bt_panel_records_back(r);
    case BT_PANEL_RECORD_COUNT:
        r->status = BT_PANEL_RECORD_TYPING;
        if (digit_key)
            return type_into(r->count_typed, &r->count_len, BT_PANEL_RECORD_COUNT_DIGITS, digit);
        if (ok)
            return count_ok(r);
        if (r->count_len) {
            r->count_typed[--r->count_len] = '\0';
            return true;
        }
        return bt_panel_records_back(r);
    case BT_PANEL_RECORD_NOTE:
        if (digit_key && digit > BT_PANEL_RECORD_NOTE_COUNT) {
            r->status = BT_PANEL_RECORD_NO_CHOICE;
            return true;
        }
        if (digit_key || ok) {
            r->note = digit_key ? digit : 0;
            return go(r, BT_PANEL_RECORD_CONFIRM);
        }
        return bt_panel_records_back(r);
    case BT_PANEL_RECORD_CONFIRM:
        if (ok)
            return ask(r, false);
        return digit_key ? false : bt_panel_records_back(r);
    case BT_PANEL_RECORD_UNDO_PICK:
        if (digit_key && digit >= 1 && (size_t)digit <= r->recent_count) {
            r->undo_index = (size_t)digit - 1;
            return go(r, BT_PANEL_RECORD_UNDO_CONFIRM);
        }
        if (!digit_key && !ok)
            return bt_panel_records_back(r);
        r->status = BT_PANEL_RECORD_NO_CHOICE;
        return true;
    case BT_PANEL_RECORD_UNDO_CONFIRM:
        if (ok)
            return ask(r, true);
        return digit_key ? false : bt_panel_records_back(r);
    default:
        return false;
    }
}

bool bt_panel_records_take(bt_panel_records *r, bt_panel_record_request *out)
{
    if (r->status != BT_PANEL_RECORD_ASKED)
        return false;
    memset(out, 0, sizeof *out);
    out->undo = r->undo_asked;
    out->undo_index = r->undo_index;
    out->channel = r->channels[r->channel_index];
    out->day = r->day;
    out->count = r->count;
    out->note = bt_panel_record_note(r->note);
    r->status = BT_PANEL_RECORD_WRITING;
    return true;
}

void bt_panel_records_result(bt_panel_records *r, bool ok, size_t recent_count)
{
    if (r->status != BT_PANEL_RECORD_WRITING)
        return;
    r->recent_count = recent_count > BT_PANEL_RECORD_RECENT ? BT_PANEL_RECORD_RECENT
                                                             : recent_count;
    /* A failure keeps the entry on its confirm step: OK tries again. */
    r->status = ok ? BT_PANEL_RECORD_DONE : BT_PANEL_RECORD_FAILED;
}

const char *bt_panel_digits_in_pattern(const char *pattern, const char *digits, size_t count,
                                       char *buf, size_t size)
{
    size_t k = 0, n = 0;
    for (const char *c = pattern; *c && n + 1 < size; c++)
        buf[n++] = *c == '_' && k < count ? digits[k++] : *c;
    if (size > 0)
        buf[n] = '\0';
    return buf;
}

const char *bt_panel_records_day_text(const bt_panel_records *r, char *buf, size_t size)
{
    return bt_panel_digits_in_pattern("__/__/____", r->day_typed, r->day_len, buf, size);
}
