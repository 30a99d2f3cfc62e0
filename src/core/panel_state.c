/* The staff panel's state machine (bt_panel_state.h): pure, time passed in. */
#include "bangtin/bt_panel_state.h"

#include <string.h>

static bool all_digits(const char *s)
{
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

void bt_panel_state_init(bt_panel_state *s, const char *pin, int timeout_seconds)
{
    memset(s, 0, sizeof *s);
    s->mode = BT_PANEL_CLOSED;
    if (pin && *pin && strlen(pin) <= BT_PANEL_MAX_PIN_DIGITS && all_digits(pin))
        memcpy(s->pin, pin, strlen(pin) + 1);
    s->timeout_ms = (int64_t)(timeout_seconds > 0 ? timeout_seconds : 60) * 1000;
}

bool bt_panel_state_enabled(const bt_panel_state *s)
{
    return s->pin[0] != '\0';
}

static void clear_typed(bt_panel_state *s)
{
    memset(s->typed, 0, sizeof s->typed);
    s->typed_len = 0;
}

/* Whole seconds left, rounded up: "29" until the last millisecond of the 29th second. */
static int seconds_left(int64_t until_ms, int64_t now_ms)
{
    return until_ms > now_ms ? (int)((until_ms - now_ms + 999) / 1000) : 0;
}

/* Brings the lock-out up to now_ms: ends it when due. True when what is shown changed. */
static bool update_lock(bt_panel_state *s, int64_t now_ms)
{
    if (!s->locked_until_ms)
        return false;
    int left = seconds_left(s->locked_until_ms, now_ms);
    if (left == 0) {
        s->locked_until_ms = 0;
        s->lock_seconds_left = 0;
        s->wrong_count = 0;
        s->wrong_pin = false;
        return true;
    }
    bool changed = left != s->lock_seconds_left;
    s->lock_seconds_left = left;
    return changed;
}

/* Forgets the wrong tries after a quiet period (BT_PANEL_WRONG_PIN_QUIET_MS): yesterday's slip
 * does not count against today. True when what is shown changed (the wrong-PIN line goes). */
static bool forget_old_tries(bt_panel_state *s, int64_t now_ms)
{
    if (s->locked_until_ms || s->wrong_count == 0 ||
        now_ms - s->last_wrong_ms < BT_PANEL_WRONG_PIN_QUIET_MS)
        return false;
    s->wrong_count = 0;
    bool shown = s->wrong_pin;
    s->wrong_pin = false;
    return shown;
}

/* The wrong tries and a running lock-out outlive the entry: closing it with Esc and opening it
 * again must not give a guesser fresh tries. */
static void clear_clock(bt_panel_state *s)
{
    memset(s->clock_typed, 0, sizeof s->clock_typed);
    s->clock_len = 0;
    s->clock_status = BT_PANEL_CLOCK_TYPING;
}

static void close_panel(bt_panel_state *s)
{
    s->mode = BT_PANEL_CLOSED;
    clear_typed(s);
    clear_clock(s);
    s->wrong_pin = false;
    s->pressing = false;
}

static void ask_pin(bt_panel_state *s, int64_t now_ms)
{
    s->mode = BT_PANEL_PIN;
    clear_typed(s);
    s->wrong_pin = false;
    s->last_input_ms = now_ms;
    update_lock(s, now_ms);
    forget_old_tries(s, now_ms);
}

/* Compares the whole buffer whatever matches first, so timing says nothing about the PIN. */
static bool pin_matches(const bt_panel_state *s)
{
    unsigned diff = (unsigned)(s->typed_len ^ strlen(s->pin));
    for (size_t i = 0; i < sizeof s->pin; i++)
        diff |= (unsigned)(s->typed[i] ^ s->pin[i]);
    return diff == 0;
}

static bool input_closed(bt_panel_state *s, bt_panel_input in, int64_t now_ms)
{
    switch (in) {
    case BT_PANEL_IN_KEY:
        ask_pin(s, now_ms);
        return true;
    case BT_PANEL_IN_PRESS:
        s->pressing = true;
        s->press_ms = now_ms;
        return false;
    case BT_PANEL_IN_RELEASE:
        s->pressing = false;
        return false;
    default:
        return false;
    }
}

static void wrong_entry(bt_panel_state *s, int64_t now_ms)
{
    s->wrong_pin = true;
    s->last_wrong_ms = now_ms;
    if (++s->wrong_count >= BT_PANEL_MAX_WRONG_PINS) {
        s->locked_until_ms = now_ms + BT_PANEL_LOCKOUT_MS;
        s->lock_seconds_left = seconds_left(s->locked_until_ms, now_ms);
    }
}

/* The digits, ← and Enter of a PIN entry (the panel's or a stick's approval): true when what is
 * shown changed; *right tells a right PIN (the caller decides what it opens). */
static bool type_pin(bt_panel_state *s, bt_panel_input in, int digit, int64_t now_ms, bool *right)
{
    *right = false;
    bool lock_changed = update_lock(s, now_ms);
    lock_changed |= forget_old_tries(s, now_ms);
    if (s->locked_until_ms)
        return lock_changed; /* locked: digits, ← and Enter do nothing */
    switch (in) {
    case BT_PANEL_IN_DIGIT:
        if (digit < 0 || digit > 9 || s->typed_len >= BT_PANEL_MAX_PIN_DIGITS)
            return false;
        s->typed[s->typed_len++] = (char)('0' + digit);
        s->wrong_pin = false;
        return true;
    case BT_PANEL_IN_BACKSPACE:
        if (s->typed_len == 0)
            return false;
        s->typed[--s->typed_len] = '\0';
        return true;
    case BT_PANEL_IN_ENTER:
        if (pin_matches(s)) {
            *right = true;
            s->wrong_pin = false;
            s->wrong_count = 0;
        } else {
            wrong_entry(s, now_ms);
        }
        clear_typed(s);
        return true;
    default:
        return lock_changed;
    }
}

static bool input_pin(bt_panel_state *s, bt_panel_input in, int digit, int64_t now_ms)
{
    bool right;
    bool changed = type_pin(s, in, digit, now_ms, &right);
    if (right)
        s->mode = BT_PANEL_OPEN;
    return changed;
}

/* The question ends with an answer: the entry closes, the status waits for the app. */
static void answer_approval(bt_panel_state *s, bt_approval_status answer)
{
    close_panel(s);
    s->approval = answer;
    s->approval_until_ms = 0;
}

static bool input_approve(bt_panel_state *s, bt_panel_input in, int digit, int64_t now_ms)
{
    if (in == BT_PANEL_IN_ESCAPE) {
        answer_approval(s, BT_APPROVAL_REFUSED);
        return true;
    }
    if (in != BT_PANEL_IN_DIGIT && in != BT_PANEL_IN_BACKSPACE && in != BT_PANEL_IN_ENTER) {
        bool changed = update_lock(s, now_ms);
        return forget_old_tries(s, now_ms) || changed;
    }
    bool was_locked = s->locked_until_ms != 0, right;
    bool changed = type_pin(s, in, digit, now_ms, &right);
    if (right)
        answer_approval(s, BT_APPROVAL_APPROVED);
    else if (!was_locked && s->locked_until_ms)
        answer_approval(s, BT_APPROVAL_LOCKED);
    return changed;
}

/* Two digits of the clock page's entry, from index i. */
static int two_digits(const char *d, size_t i)
{
    return (d[i] - '0') * 10 + (d[i + 1] - '0');
}

/* The twelve digits as a local time, or false when they are not a real day and time. */
static bool clock_entry_time(const bt_panel_state *s, bt_wall *out)
{
    const char *d = s->clock_typed;
    int day = two_digits(d, 0), month = two_digits(d, 2);
    int year = two_digits(d, 4) * 100 + two_digits(d, 6);
    int hour = two_digits(d, 8), minute = two_digits(d, 10);
    if (year < BT_PANEL_CLOCK_MIN_YEAR || year > BT_PANEL_CLOCK_MAX_YEAR ||
        !bt_time_date_valid(year, month, day) || hour > 23 || minute > 59)
        return false;
    *out = bt_time_from_civil(year, month, day, hour, minute, 0);
    return true;
}

static bool input_clock(bt_panel_state *s, bt_panel_input in, int digit)
{
    if (s->clock_status == BT_PANEL_CLOCK_ASKED || s->clock_status == BT_PANEL_CLOCK_SETTING)
        return false; /* the app is at it: one request at a time */
    switch (in) {
    case BT_PANEL_IN_DIGIT:
        if (digit < 0 || digit > 9)
            return false;
        if (s->clock_status == BT_PANEL_CLOCK_SET)
            clear_clock(s); /* a new entry after one that was set */
        if (s->clock_len >= BT_PANEL_CLOCK_DIGITS)
            return false;
        s->clock_typed[s->clock_len++] = (char)('0' + digit);
        s->clock_status = BT_PANEL_CLOCK_TYPING;
        return true;
    case BT_PANEL_IN_BACKSPACE:
        if (s->clock_len == 0)
            return false;
        s->clock_typed[--s->clock_len] = '\0';
        s->clock_status = BT_PANEL_CLOCK_TYPING;
        return true;
    case BT_PANEL_IN_ENTER:
        if (s->clock_len < BT_PANEL_CLOCK_DIGITS)
            s->clock_status = BT_PANEL_CLOCK_INCOMPLETE;
        else if (!clock_entry_time(s, &s->clock_wanted))
            s->clock_status = BT_PANEL_CLOCK_BAD_DATE;
        else
            s->clock_status = BT_PANEL_CLOCK_ASKED;
        return true;
    default:
        return false;
    }
}

/* The records page: its keys go to the form; Huỷ, or Xoá on the first step, back to the panel
 * (not while a write is under way: its answer is still to be shown). */
static bool input_records(bt_panel_state *s, bt_panel_input in, int digit)
{
    bool writing = s->records.status == BT_PANEL_RECORD_ASKED ||
                   s->records.status == BT_PANEL_RECORD_WRITING;
    switch (in) {
    case BT_PANEL_IN_DIGIT:
        return bt_panel_records_key(&s->records, BT_PANEL_RECORD_KEY_DIGIT, digit);
    case BT_PANEL_IN_ENTER:
        return bt_panel_records_key(&s->records, BT_PANEL_RECORD_KEY_OK, 0);
    case BT_PANEL_IN_BACKSPACE:
        if (writing)
            return false;
        if (bt_panel_records_key(&s->records, BT_PANEL_RECORD_KEY_BACK, 0))
            return true;
        if (s->records.step != BT_PANEL_RECORD_CHANNEL)
            return false;
        s->mode = BT_PANEL_OPEN;
        return true;
    case BT_PANEL_IN_ESCAPE:
    case BT_PANEL_IN_RECORDS:
        if (writing)
            return false;
        s->mode = BT_PANEL_OPEN;
        return true;
    default:
        return false; /* other input only keeps the page open */
    }
}

void bt_panel_state_records_options(bt_panel_state *s, const bt_target_channel *channels,
                                    size_t count, size_t recent, bt_day today)
{
    if (count > BT_PANEL_RECORD_CHANNELS)
        count = BT_PANEL_RECORD_CHANNELS;
    memcpy(s->record_channels, channels, count * sizeof *channels);
    s->record_channel_count = count;
    s->record_recent = recent;
    s->record_today = today;
}

bool bt_panel_state_input(bt_panel_state *s, bt_panel_input in, int digit, int64_t now_ms)
{
    if (!bt_panel_state_enabled(s))
        return false;
    if (s->mode == BT_PANEL_CLOSED)
        return input_closed(s, in, now_ms);
    if (s->mode == BT_PANEL_APPROVE)
        return input_approve(s, in, digit, now_ms);
    s->last_input_ms = now_ms;
    if (s->mode == BT_PANEL_PROOF) {
        if (in != BT_PANEL_IN_ESCAPE && in != BT_PANEL_IN_PROOF)
            return false; /* a read-only page: other input only keeps it open */
        s->mode = BT_PANEL_OPEN; /* back to the panel, not out of it */
        return true;
    }
    if (s->mode == BT_PANEL_RECORDS)
        return input_records(s, in, digit);
    if (in == BT_PANEL_IN_ESCAPE && s->mode == BT_PANEL_CLOCK &&
        s->clock_status != BT_PANEL_CLOCK_SETTING) {
        s->mode = BT_PANEL_OPEN; /* back to the panel, not out of it */
        clear_clock(s);
        return true;
    }
    if (in == BT_PANEL_IN_ESCAPE) {
        close_panel(s);
        return true;
    }
    if (in == BT_PANEL_IN_PRESS || in == BT_PANEL_IN_RELEASE) {
        s->pressing = false;
        return false;
    }
    if (s->mode == BT_PANEL_PIN)
        return input_pin(s, in, digit, now_ms);
    if (s->mode == BT_PANEL_CLOCK)
        return input_clock(s, in, digit);
    if (in == BT_PANEL_IN_ENTER) {
        s->mode = BT_PANEL_CLOCK;
        clear_clock(s);
        return true;
    }
    if (in == BT_PANEL_IN_PROOF && s->mode == BT_PANEL_OPEN) {
        s->mode = BT_PANEL_PROOF;
        return true;
    }
    if (s->mode == BT_PANEL_OPEN &&
        (in == BT_PANEL_IN_RECORDS || (in == BT_PANEL_IN_DIGIT && digit == 1))) {
        s->mode = BT_PANEL_RECORDS;
        bt_panel_records_begin(&s->records, s->record_channels, s->record_channel_count,
                               s->record_recent, s->record_today);
        return true;
    }
    return false; /* open: any other input only keeps it open */
}

bool bt_panel_state_tick(bt_panel_state *s, int64_t now_ms)
{
    if (!bt_panel_state_enabled(s))
        return false;
    if (s->mode == BT_PANEL_CLOSED) {
        if (s->pressing && now_ms - s->press_ms >= BT_PANEL_LONG_PRESS_MS) {
            s->pressing = false;
            ask_pin(s, now_ms);
            return true;
        }
        return false;
    }
    if (s->mode == BT_PANEL_APPROVE && now_ms >= s->approval_until_ms) {
        answer_approval(s, BT_APPROVAL_TIMED_OUT);
        return true;
    }
    if (s->mode != BT_PANEL_APPROVE && now_ms - s->last_input_ms >= s->timeout_ms) {
        close_panel(s);
        return true;
    }
    bool changed = false;
    if (s->mode == BT_PANEL_APPROVE) { /* its countdown shows whole seconds */
        int left = seconds_left(s->approval_until_ms, now_ms);
        changed = left != s->approval_seconds_shown;
        s->approval_seconds_shown = left;
    } else if (s->mode != BT_PANEL_PIN) {
        return false;
    }
    changed |= update_lock(s, now_ms);
    return forget_old_tries(s, now_ms) || changed;
}

int64_t bt_panel_state_next_ms(const bt_panel_state *s, int64_t now_ms)
{
    if (!bt_panel_state_enabled(s))
        return -1;
    int64_t due;
    if (s->mode == BT_PANEL_CLOSED) {
        if (!s->pressing)
            return -1;
        due = s->press_ms + BT_PANEL_LONG_PRESS_MS;
    } else if (s->mode == BT_PANEL_APPROVE) {
        /* The countdown to the answer's deadline shows whole seconds, like the lock-out's. */
        int64_t left = s->approval_until_ms - now_ms;
        due = left > 0 ? now_ms + (left - 1) % 1000 + 1 : now_ms;
    } else {
        due = s->last_input_ms + s->timeout_ms;
        /* While locked, the PIN entry counts the seconds down: the next whole second. */
        if (s->mode == BT_PANEL_PIN && s->locked_until_ms) {
            int64_t left = s->locked_until_ms - now_ms;
            int64_t step = left > 0 ? now_ms + (left - 1) % 1000 + 1 : now_ms;
            if (step < due)
                due = step;
        }
        /* An entry left open longer than the quiet period (a long timeout) stops saying
         * "còn … lần thử" when the wrong tries are forgotten. */
        if (s->mode == BT_PANEL_PIN && !s->locked_until_ms && s->wrong_count &&
            s->last_wrong_ms + BT_PANEL_WRONG_PIN_QUIET_MS < due)
            due = s->last_wrong_ms + BT_PANEL_WRONG_PIN_QUIET_MS;
    }
    return due > now_ms ? due - now_ms : 0;
}

bool bt_panel_state_clock_request(bt_panel_state *s, bt_wall *when)
{
    if (s->mode != BT_PANEL_CLOCK || s->clock_status != BT_PANEL_CLOCK_ASKED)
        return false;
    s->clock_status = BT_PANEL_CLOCK_SETTING;
    *when = s->clock_wanted;
    return true;
}

void bt_panel_state_clock_result(bt_panel_state *s, bool ok)
{
    if (s->clock_status != BT_PANEL_CLOCK_SETTING)
        return;
    s->clock_status = ok ? BT_PANEL_CLOCK_SET : BT_PANEL_CLOCK_FAILED;
}

const char *bt_panel_state_clock_text(const bt_panel_state *s, char *buf, size_t size)
{
    return bt_panel_digits_in_pattern("__/__/____ __:__", s->clock_typed, s->clock_len, buf, size);
}

unsigned bt_panel_state_tries_left(const bt_panel_state *s)
{
    if (s->locked_until_ms || s->wrong_count >= BT_PANEL_MAX_WRONG_PINS)
        return 0;
    return BT_PANEL_MAX_WRONG_PINS - s->wrong_count;
}

bool bt_panel_state_approval_begin(bt_panel_state *s, int64_t now_ms)
{
    if (!bt_panel_state_enabled(s) || s->approval == BT_APPROVAL_WAITING)
        return false;
    close_panel(s);
    s->mode = BT_PANEL_APPROVE;
    s->approval = BT_APPROVAL_WAITING;
    s->approval_until_ms = now_ms + BT_PANEL_APPROVAL_MS;
    s->approval_seconds_shown = seconds_left(s->approval_until_ms, now_ms);
    s->last_input_ms = now_ms;
    update_lock(s, now_ms);
    forget_old_tries(s, now_ms);
    return true;
}

bt_approval_status bt_panel_state_approval_take(bt_panel_state *s)
{
    bt_approval_status st = s->approval;
    if (st != BT_APPROVAL_WAITING)
        s->approval = BT_APPROVAL_NONE;
    return st;
}

void bt_panel_state_approval_cancel(bt_panel_state *s)
{
    if (s->approval != BT_APPROVAL_WAITING)
        return;
    close_panel(s);
    s->approval = BT_APPROVAL_NONE;
    s->approval_until_ms = 0;
}

int bt_panel_state_approval_seconds_left(const bt_panel_state *s, int64_t now_ms)
{
    if (s->mode != BT_PANEL_APPROVE)
        return 0;
    return seconds_left(s->approval_until_ms, now_ms);
}
