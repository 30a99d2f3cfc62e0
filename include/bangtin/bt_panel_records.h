/* "Ghi nhận kênh khác" on the staff panel (core, pure): staff record a tin/bài posted or held on
 * a channel the appliance cannot observe — the City's page, the ward website, a conference, the
 * Zalo group — with the keypad alone (a touch screen or a remote has no keyboard). One step at a
 * time, each answered with digits and OK:
 *
 *   1. the channel: a digit from the list (the channels of the playlist's targets first), or 0 to
 *      undo an earlier entry;
 *   2. the day: OK takes today; or ddmmyyyy typed (never after today);
 *   3. the count: OK takes 1; or up to three digits;
 *   4. a note: a digit picks one of the short presets (BT_PANEL_RECORD_NOTES), OK or 0 none;
 *   5. OK records it; the app writes it (bt_panel_records_take) and says how it went.
 *
 * Undo: a digit picks one of the latest entries the app lists, OK undoes it (the app writes a
 * correcting row; nothing is deleted). Xoá removes the last digit, or on an empty field goes
 * back one step; Huỷ (Esc) leaves the page for the panel (the panel's state machine). */
#ifndef BT_PANEL_RECORDS_H
#define BT_PANEL_RECORDS_H

#include <stdbool.h>
#include <stddef.h>

#include "bt_targets.h"
#include "bt_time.h"

/* The recorded channels: city page, ward site, conference, Zalo, other. */
#define BT_PANEL_RECORD_CHANNELS 5
/* Latest entries offered for undoing: what staff may just have mistyped, on one screen. */
#define BT_PANEL_RECORD_RECENT 5
#define BT_PANEL_RECORD_DATE_DIGITS 8
/* Counts up to 999 (bt_records.h's BT_MAX_RECORD_COUNT). */
#define BT_PANEL_RECORD_COUNT_DIGITS 3
/* The short notes a keypad can give, by digit 1..BT_PANEL_RECORD_NOTE_COUNT. */
#define BT_PANEL_RECORD_NOTE_COUNT 6
/* No entry dated before this year: a slip in the year must not file a record decades back. */
#define BT_PANEL_RECORD_MIN_YEAR 2020

typedef enum {
    BT_PANEL_RECORD_CHANNEL = 0, /* pick the channel */
    BT_PANEL_RECORD_DAY,         /* today, or ddmmyyyy */
    BT_PANEL_RECORD_COUNT,       /* 1, or digits */
    BT_PANEL_RECORD_NOTE,        /* a preset, or none */
    BT_PANEL_RECORD_CONFIRM,     /* OK records it */
    BT_PANEL_RECORD_UNDO_PICK,   /* which latest entry to undo */
    BT_PANEL_RECORD_UNDO_CONFIRM /* OK undoes it */
} bt_panel_record_step;

typedef enum {
    BT_PANEL_RECORD_TYPING = 0,  /* nothing to say */
    BT_PANEL_RECORD_NO_CHOICE,   /* OK or a digit that picks nothing in the list */
    BT_PANEL_RECORD_BAD_DAY,     /* not a real day, before BT_PANEL_RECORD_MIN_YEAR, or not 8 digits */
    BT_PANEL_RECORD_FUTURE_DAY,  /* after today */
    BT_PANEL_RECORD_BAD_COUNT,   /* 0 */
    BT_PANEL_RECORD_NOTHING_TO_UNDO,
    BT_PANEL_RECORD_ASKED,       /* the entry (or the undoing) waits for the app */
    BT_PANEL_RECORD_WRITING,     /* the app took it */
    BT_PANEL_RECORD_DONE,        /* written; OK or a digit starts the next entry */
    BT_PANEL_RECORD_FAILED       /* the app could not write it (it says why); OK tries again */
} bt_panel_record_status;

/* Keys of the page (the panel's state machine maps its inputs). */
typedef enum {
    BT_PANEL_RECORD_KEY_DIGIT,
    BT_PANEL_RECORD_KEY_BACK,    /* Xoá, Backspace */
    BT_PANEL_RECORD_KEY_OK       /* OK, Enter */
} bt_panel_record_key;

typedef struct {
    bt_panel_record_step step;
    bt_panel_record_status status;
    bt_target_channel channels[BT_PANEL_RECORD_CHANNELS]; /* offered, in the list's order */
    size_t channel_count;
    size_t recent_count;        /* latest entries the app offers for undoing */
    bt_day today;
    size_t channel_index;       /* chosen (steps after CHANNEL) */
    char day_typed[BT_PANEL_RECORD_DATE_DIGITS + 1];
    size_t day_len;
    bt_day day;                 /* chosen (steps after DAY) */
    char count_typed[BT_PANEL_RECORD_COUNT_DIGITS + 1];
    size_t count_len;
    int count;                  /* chosen (steps after COUNT) */
    int note;                   /* 0 = none, else 1..BT_PANEL_RECORD_NOTE_COUNT */
    size_t undo_index;          /* UNDO_CONFIRM on: the entry picked, 0-based */
    bool undo_asked;            /* ASKED/WRITING/DONE/FAILED are of an undoing */
} bt_panel_records;

/* What the app is asked to write. */
typedef struct {
    bool undo;                  /* undo entry undo_index of the list the app offered */
    size_t undo_index;
    bt_target_channel channel;  /* else: record this */
    bt_day day;
    int count;
    const char *note;           /* a preset (static) or NULL */
} bt_panel_record_request;

/* The channels the page offers, in order: those of `targets` (the playing playlist's) first,
 * then the other recorded channels. Returns how many (BT_PANEL_RECORD_CHANNELS). */
size_t bt_panel_records_channels(const bt_targets *targets, bt_target_channel *out);

/* A fresh form on its first step with the options of the moment. */
void bt_panel_records_begin(bt_panel_records *r, const bt_target_channel *channels, size_t count,
                            size_t recent_count, bt_day today);
/* One key; true when what the page shows changed. */
bool bt_panel_records_key(bt_panel_records *r, bt_panel_record_key key, int digit);
/* Back one step, as Xoá on an empty field; false on the first step (the caller leaves). */
bool bt_panel_records_back(bt_panel_records *r);
/* True once per OK that asks for a write: *out is what to write; the page waits (WRITING). */
bool bt_panel_records_take(bt_panel_records *r, bt_panel_record_request *out);
/* How the write went; recent_count is the app's list after it. */
void bt_panel_records_result(bt_panel_records *r, bool ok, size_t recent_count);

/* Preset note n (1..BT_PANEL_RECORD_NOTE_COUNT), NULL otherwise. */
const char *bt_panel_record_note(int n);
/* pattern ("__/__/____") with its '_' filled by digits[0..count) in order, into buf. The clock
 * page and the records page show what was typed so. Returns buf. */
const char *bt_panel_digits_in_pattern(const char *pattern, const char *digits, size_t count,
                                       char *buf, size_t size);
/* The day field as "dd/mm/yyyy", '_' where no digit is typed yet. */
const char *bt_panel_records_day_text(const bt_panel_records *r, char *buf, size_t size);

#endif
