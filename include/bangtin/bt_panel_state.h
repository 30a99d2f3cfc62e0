/* The staff panel's state machine (core, pure): closed → PIN entry → open (→ clock page) →
 * closed. It is driven by abstract inputs (the configured key, digits, Enter, Esc, a press in
 * the top-left corner and its release) and by the monotonic time in milliseconds passed in, so
 * tests can play a whole session with fake times. The app maps SDL events to these inputs; the
 * ui paints the mode.
 *
 * Rules: an empty (or non-digit) PIN disables the panel; the key or a press held
 * BT_PANEL_LONG_PRESS_MS in the corner asks for the PIN; a wrong PIN clears the digits and says
 * so; the right one opens the panel; Esc closes at any stage; no input for the timeout closes.
 * BT_PANEL_MAX_WRONG_PINS wrong PINs in a row lock the entry for BT_PANEL_LOCKOUT_MS: digits
 * and Enter are ignored meanwhile, and closing and reopening the entry does not lift the lock
 * nor forget the wrong tries (only the right PIN, the end of a lock-out, or
 * BT_PANEL_WRONG_PIN_QUIET_MS without a wrong PIN does).
 *
 * "Màn hình đã chiếu" (proof of play, issue 14): on the open panel, BT_PANEL_IN_PROOF goes to the
 * page of what the screen showed, per notice; Esc (or the same input again) goes back to the
 * panel; the inactivity timeout closes everything.
 *
 * "Ghi nhận kênh khác": on the open panel, BT_PANEL_IN_RECORDS (or the digit 1) opens the records
 * page (bt_panel_records.h); Esc (Huỷ), or Xoá on its first step, goes back to the panel, except
 * while a write is under way; the timeout closes everything.
 *
 * "Đặt ngày giờ": on the open panel, Enter (the remote's OK, or the panel's button for it) goes
 * to the clock page. Staff type the date and time as dd/mm/yyyy hh:mm, twelve digits; Enter with
 * all twelve forming a real day and time asks the app to set the clock
 * (bt_panel_state_clock_request), which says how it went (bt_panel_state_clock_result). Esc goes
 * back to the panel; the inactivity timeout closes everything, as on every page. Setting the
 * clock is the app's: this only says what was typed and what was asked.
 *
 * Approving a stick (usb.unsigned = "pin"): the app asks (bt_panel_state_approval_begin) when a
 * package without a trusted signature passed every check; the entry shows what it would load
 * over the keypad. The right PIN approves; Esc (Huỷ) refuses; the BT_PANEL_MAX_WRONG_PINS-th
 * wrong PIN in a row refuses too and locks the entry as the panel's own lock does (the tries are
 * the panel's: a guesser gains none by plugging a stick); no answer within
 * BT_PANEL_APPROVAL_MS refuses as timed out. Other input (the panel's key, a press in the
 * corner) does nothing meanwhile, and the panel's inactivity timeout does not apply: the two
 * minutes are counted from the question. The app takes the answer once
 * (bt_panel_state_approval_take); the entry is then closed. */
#ifndef BT_PANEL_STATE_H
#define BT_PANEL_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_panel_records.h"
#include "bt_time.h"

/* A long press, not a tap or a passing hand: 3 s in the corner opens the PIN entry. */
#define BT_PANEL_LONG_PRESS_MS 3000
/* A PIN is a few digits; 12 is beyond any office habit and bounds the buffer. */
#define BT_PANEL_MAX_PIN_DIGITS 12
/* Wrong PINs in a row before the entry locks: room for a few slips of the finger, while a
 * four-digit PIN still takes days of guessing at one lock-out per five tries. */
#define BT_PANEL_MAX_WRONG_PINS 5
/* How long the entry stays locked: short enough that a staff member who mistyped waits, not
 * calls for help. */
#define BT_PANEL_LOCKOUT_MS 30000
/* Wrong PINs are forgotten after this long without another wrong one: a slip today must not
 * make tomorrow's first slip lock the entry. Guessing gains nothing from it: waiting 10 minutes
 * for BT_PANEL_MAX_WRONG_PINS - 1 fresh tries is slower than sitting out the lock-outs. */
#define BT_PANEL_WRONG_PIN_QUIET_MS (10 * 60 * 1000)

/* How long a stick waits for the PIN that approves it: time to fetch the staff member who has
 * the PIN from the next room, short enough that a stick left in the slot does not hold the
 * import (and the content store's lock) for long. */
#define BT_PANEL_APPROVAL_MS (2 * 60 * 1000)

/* The clock page's entry: dd mm yyyy hh mm. */
#define BT_PANEL_CLOCK_DIGITS 12
/* Years the clock page accepts: a slip in the year (0207 for 2027) must not set the clock
 * decades away, and no appliance of this kind runs before 2020 or after 2099. */
#define BT_PANEL_CLOCK_MIN_YEAR 2020
#define BT_PANEL_CLOCK_MAX_YEAR 2099

typedef enum {
    BT_PANEL_CLOSED = 0,
    BT_PANEL_PIN = 1,
    BT_PANEL_OPEN = 2,
    BT_PANEL_CLOCK = 3,      /* "Đặt ngày giờ", reached from the open panel */
    BT_PANEL_APPROVE = 4,    /* a stick waits for the PIN that approves it */
    BT_PANEL_PROOF = 5,      /* "Màn hình đã chiếu", reached from the open panel */
    BT_PANEL_RECORDS = 6     /* "Ghi nhận kênh khác" (bt_panel_records.h), from the open panel */
} bt_panel_mode;

/* Where a stick's approval stands. */
typedef enum {
    BT_APPROVAL_NONE = 0,    /* nothing asked, or the answer was taken */
    BT_APPROVAL_WAITING,     /* the question is on screen */
    BT_APPROVAL_APPROVED,    /* the right PIN */
    BT_APPROVAL_REFUSED,     /* Esc or Huỷ */
    BT_APPROVAL_LOCKED,      /* BT_PANEL_MAX_WRONG_PINS wrong PINs: refused, the entry locked */
    BT_APPROVAL_TIMED_OUT    /* no answer within BT_PANEL_APPROVAL_MS */
} bt_approval_status;

typedef enum {
    BT_PANEL_CLOCK_TYPING = 0, /* nothing to say yet */
    BT_PANEL_CLOCK_INCOMPLETE, /* Enter before all twelve digits */
    BT_PANEL_CLOCK_BAD_DATE,   /* no such day or time (31/02, 24:00), or a year out of range */
    BT_PANEL_CLOCK_ASKED,      /* a valid time waits for the app */
    BT_PANEL_CLOCK_SETTING,    /* the app took it and is setting the clock */
    BT_PANEL_CLOCK_SET,        /* the app set it */
    BT_PANEL_CLOCK_FAILED      /* the app could not (it says why) */
} bt_panel_clock_status;

typedef enum {
    BT_PANEL_IN_KEY,         /* the configured key (panel.key) */
    BT_PANEL_IN_DIGIT,       /* 0..9 typed */
    BT_PANEL_IN_BACKSPACE,
    BT_PANEL_IN_ENTER,
    BT_PANEL_IN_ESCAPE,
    BT_PANEL_IN_PRESS,       /* finger or mouse button down in the corner */
    BT_PANEL_IN_RELEASE,     /* released, or moved out of the corner */
    BT_PANEL_IN_OTHER,       /* any other key or touch: counts as activity */
    BT_PANEL_IN_PROOF,       /* the open panel's "Màn hình đã chiếu" (its button, or Tab) */
    BT_PANEL_IN_RECORDS      /* the open panel's "Ghi nhận kênh khác" (its button; the digit 1 on
                              * the open panel is the same, for a remote) */
} bt_panel_input;

typedef struct {
    bt_panel_mode mode;
    char pin[BT_PANEL_MAX_PIN_DIGITS + 1];   /* the configured PIN; "" = panel disabled */
    char typed[BT_PANEL_MAX_PIN_DIGITS + 1];
    size_t typed_len;
    int64_t timeout_ms;
    int64_t last_input_ms;   /* of the last input while not closed */
    bool pressing;
    int64_t press_ms;        /* when the corner press began */
    bool wrong_pin;          /* the last PIN entered was wrong (the ui says so) */
    unsigned wrong_count;    /* wrong PINs in a row (since the last right PIN, lock-out or
                              * quiet period) */
    int64_t last_wrong_ms;   /* when the last wrong PIN was entered (valid while wrong_count) */
    int64_t locked_until_ms; /* PIN entry locked until then; 0 = not locked */
    int lock_seconds_left;   /* whole seconds of lock-out left, as the ui shows them (updated by
                              * input and tick; 0 = not locked) */
    char clock_typed[BT_PANEL_CLOCK_DIGITS + 1]; /* the clock page's digits */
    size_t clock_len;
    bt_panel_clock_status clock_status;
    bt_wall clock_wanted;    /* ASKED, SETTING, SET: the time typed (local) */
    bt_approval_status approval;
    int64_t approval_until_ms; /* WAITING: the answer is due by then */
    int approval_seconds_shown; /* the countdown as of the last tick */
    bt_panel_records records;   /* the records page's form */
    /* What the records page offers when it opens (bt_panel_state_records_options). */
    bt_target_channel record_channels[BT_PANEL_RECORD_CHANNELS];
    size_t record_channel_count;
    size_t record_recent;
    bt_day record_today;
} bt_panel_state;

/* pin: digits only, else the panel is disabled (bt_panel_state_enabled false). */
void bt_panel_state_init(bt_panel_state *s, const char *pin, int timeout_seconds);
bool bt_panel_state_enabled(const bt_panel_state *s);
/* Feeds one input at now_ms; digit is 0..9 for BT_PANEL_IN_DIGIT. True when what the screen
 * shows changed (mode, digits typed, the wrong-PIN line). */
bool bt_panel_state_input(bt_panel_state *s, bt_panel_input in, int digit, int64_t now_ms);
/* Time passing: a long press completes, the inactivity timeout closes, the lock-out counts down
 * (a second less to show) and ends, old wrong PINs are forgotten. True when what the screen
 * shows changed. */
bool bt_panel_state_tick(bt_panel_state *s, int64_t now_ms);
/* Milliseconds until bt_panel_state_tick may change something; -1 = nothing pending. */
int64_t bt_panel_state_next_ms(const bt_panel_state *s, int64_t now_ms);
/* Wrong PINs that may still be entered before the lock-out (0 while locked), as of the last
 * input or tick. */
unsigned bt_panel_state_tries_left(const bt_panel_state *s);

/* True once per valid time entered on the clock page: *when is it (local time as typed), and
 * the page waits (SETTING) for bt_panel_state_clock_result. */
bool bt_panel_state_clock_request(bt_panel_state *s, bt_wall *when);
/* How the app's setting went: ok clears the digits for a next entry, a failure keeps them so
 * OK can try again. */
void bt_panel_state_clock_result(bt_panel_state *s, bool ok);
/* The digits typed on the clock page as "dd/mm/yyyy hh:mm", '_' where none is typed yet. */
const char *bt_panel_state_clock_text(const bt_panel_state *s, char *buf, size_t size);

/* What the records page offers the next time it opens, and while open the latest entries that
 * may be undone: the app calls it when the panel opens and after each write. */
void bt_panel_state_records_options(bt_panel_state *s, const bt_target_channel *channels,
                                    size_t count, size_t recent, bt_day today);

/* Asks for the PIN that approves a stick, at now_ms, whatever the panel shows (it closes). False
 * when it cannot be asked: the panel is disabled (no PIN configured) or a question is already
 * waiting. */
bool bt_panel_state_approval_begin(bt_panel_state *s, int64_t now_ms);
/* The answer, once: APPROVED, REFUSED, LOCKED or TIMED_OUT, after which the status is NONE;
 * WAITING while the question stands; NONE when nothing was asked. */
bt_approval_status bt_panel_state_approval_take(bt_panel_state *s);
/* Drops a waiting question without an answer (the import stopped): the entry closes. */
void bt_panel_state_approval_cancel(bt_panel_state *s);
/* Whole seconds left to answer (rounded up); 0 when nothing waits. */
int bt_panel_state_approval_seconds_left(const bt_panel_state *s, int64_t now_ms);

#endif
