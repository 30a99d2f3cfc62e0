/* The loudspeaker part of a playlist: recorded items and the sessions that air them, plus the
 * ward's limits from the appliance config. Plain data shared by the validator (core/playlist),
 * the scheduler (core/schedule), playout (audio) and the airing log (store). */
#ifndef BT_BROADCAST_H
#define BT_BROADCAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_diag.h"
#include "bt_limits.h"
#include "bt_silence.h"
#include "bt_time.h"
#include "bt_tree.h"

/* Circular 39/2020/TT-BTTTT distinguishes normal, priority and emergency bulletins. */
typedef enum {
    BT_BROADCAST_NORMAL = 0,
    BT_BROADCAST_PRIORITY = 1,
    BT_BROADCAST_EMERGENCY = 2
} bt_broadcast_priority;

/* Until when a missed session may still be made up: never, or by the end of the same day,
 * week, month or quarter (quarters are what the ward's targets count). */
typedef enum {
    BT_MAKEUP_NONE, BT_MAKEUP_DAY, BT_MAKEUP_WEEK, BT_MAKEUP_MONTH, BT_MAKEUP_QUARTER
} bt_makeup_scope;

typedef struct {
    char *id;                  /* owned, unique among items */
    char *title;               /* owned NFC, shown as "Đang phát: <title>" */
    char *audio;               /* owned, path relative to the playlist directory; NULL for a
                                * text bulletin */
    char *topic;               /* owned, may be NULL */
    /* A text bulletin (issue 11): the words the appliance speaks instead of a file. Exactly one
     * of audio and text is set. */
    char *text;                /* owned NFC, trimmed; NULL for a recorded item */
    char text_sha256[64 + 1];  /* hex of text's bytes (logged with each airing); "" without */
    char *speech_path;         /* owned: the rendered bulletin (a WAV in the content store),
                                * set by the shell that renders or finds it; NULL until then */
    bt_broadcast_priority priority;
    int line;
    /* Filled by the shell when the playlist is loaded (audio decoded and measured once). */
    char sha256[64 + 1];       /* hex of the file's content; "" until measured */
    double duration_seconds;   /* 0 until measured */
    double loudness_lufs;      /* integrated EBU R128 loudness; 0 until measured */
    bt_silence silence;        /* dead air, measured with the loudness; zero until measured */
    /* Issue 14: the words of a recorded item, shown on the lobby screen as captions while it
     * airs (bt_caption.h); owned NFC, trimmed; NULL without (and always for a text bulletin,
     * whose captions are its text). */
    char *transcript;
} bt_broadcast_item;

typedef struct {
    char *id;                  /* owned, unique among sessions; part of every slot's identity */
    char *name;                /* owned NFC, e.g. "Bản tin sáng" */
    int16_t times[BT_MAX_SESSION_TIMES]; /* minutes of the local day at which it airs */
    size_t time_count;
    uint8_t weekdays;          /* bit 0 = Thứ Hai … bit 6 = Chủ Nhật */
    bt_day from_day, until_day;/* inclusive; BT_DAY_NONE_FROM / BT_DAY_NONE_UNTIL */
    bt_wall at[BT_MAX_SESSION_ONE_OFFS]; /* one-off local date-times, besides `times` */
    size_t at_count;
    size_t items[BT_MAX_SESSION_ITEMS]; /* indices into bt_broadcasts.items, in airing order */
    size_t item_count;
    bt_makeup_scope makeup;
    int line;
} bt_broadcast_session;

/* The ward's limits on the loudspeaker. The appliance config's `broadcast` group sets them all;
 * a playlist may add permitted hours and days of its own (`broadcasts.limits`). Where both set
 * hours or days, both hold: the stricter wins. Emergency-only sessions may air outside the hours
 * and on any day; nothing may break the other limits. A zeroed struct restricts nothing. */
typedef struct {
    struct { int16_t start_minute, end_minute; } windows[BT_MAX_HOUR_SPANS];
    size_t window_count;             /* 0 = no window restriction */
    uint8_t closed_weekdays;         /* days nothing but emergencies may air: bit 0 = Thứ Hai …
                                      * bit 6 = Chủ Nhật; 0 = every day permitted */
    int max_sessions_per_day;
    int max_session_minutes;
    bt_silence_limits silence;       /* dead air in an item (bt_silence.h) */
    /* Where the hours and days were written, so a message can say which line a session breaks:
     * the file ("bangtin.cfg", "playlist.cfg"; "" = unknown) and lines (0 = the default). */
    bool appliance;                  /* true: the appliance config's; false: a playlist's */
    char origin[64];
    int windows_line, weekdays_line;
} bt_broadcast_limits;

typedef struct {
    bt_broadcast_item *items;        /* owned */
    size_t item_count;
    bt_broadcast_session *sessions;  /* owned */
    size_t session_count;
    /* `broadcasts.limits`: the hours and days the ward permits, written in the playlist (only
     * windows and closed_weekdays; zero = none). */
    bt_broadcast_limits limits;
} bt_broadcasts;

/* The priority of a session: the highest of its items'. */
bt_broadcast_priority bt_broadcast_session_priority(const bt_broadcasts *b, size_t session);
const char *bt_broadcast_priority_name(bt_broadcast_priority p); /* "normal" … */
void bt_broadcasts_free(bt_broadcasts *b);

/* ---- added for issue 3 (core/broadcast.c): parsing, limits, small queries ------------------
 * Additive: nothing above changed. */
/* Empty model: no items, no sessions (what bt_broadcasts_free leaves behind too). */
void bt_broadcasts_init(bt_broadcasts *b);
const char *bt_broadcast_makeup_name(bt_makeup_scope m); /* "none", "day" … "quarter" */

/* Validates the `broadcasts = { items = (...); sessions = (...); };` group of playlist.cfg.
 * Reports EVERY problem (file, line, Vietnamese message) in one pass, like the notice validator.
 * On success (no errors of its own; warnings allowed) fills *out and returns 0; otherwise returns
 * -1 and leaves *out empty. `group` NULL means the playlist has no broadcasts: *out empty, 0. */
int bt_broadcasts_from_tree(const bt_node *group, const char *file, bt_broadcasts *out,
                            bt_diags *diags);

/* Checks a valid model against the ward's limits — lim (the appliance's) and b->limits (the
 * playlist's), each message naming the limit's file and line: every session time (and one-off)
 * inside the windows and on a permitted day unless all its items are emergency; never more than max_sessions_per_day slots on any
 * local day; no session longer than max_session_minutes (only checked when every item of the
 * session has a measured duration). Limits <= 0 are not enforced. Returns 0, or -1 after adding
 * one error per problem to diags (file is the playlist's name in messages). */
int bt_broadcasts_check_limits(const bt_broadcasts *b, const bt_broadcast_limits *lim,
                               const char *file, bt_diags *diags);

/* Judges the silence of every measured item (duration > 0) against lim->silence with
 * bt_silence_check, at each item's line: warnings for long silence at the ends or inside, an
 * error for a mostly silent item. Returns 0, or -1 if an item is refused. */
int bt_broadcasts_check_silence(const bt_broadcasts *b, const bt_broadcast_limits *lim,
                                const char *file, bt_diags *diags);

/* Parses the config's windows ("05:30-07:00,16:30-18:30"; "" = no restriction) into
 * lim->windows, sorted by start. Errors (Vietnamese) go to diags at file:line. 0 or -1 (lim's
 * windows untouched on failure). */
int bt_broadcast_windows_parse(const char *text, const char *file, int line,
                               bt_broadcast_limits *lim, bt_diags *diags);

/* Parses permitted weekdays ("T2-T6", "T2,T4,CN"; "" = every day) into lim->closed_weekdays.
 * Errors (Vietnamese) go to diags at file:line. 0 or -1 (lim untouched on failure). */
int bt_broadcast_weekdays_parse(const char *text, const char *file, int line,
                                bt_broadcast_limits *lim, bt_diags *diags);
/* The limits the scheduler keeps: the appliance's with the playlist's hours and days joined in
 * (windows intersected, closed days united). playlist may be NULL. */
void bt_broadcast_limits_join(const bt_broadcast_limits *appliance,
                              const bt_broadcast_limits *playlist, bt_broadcast_limits *out);
/* A weekday mask (bit 0 = Thứ Hai) as staff write it: runs of three or more as "T2-T6", the
 * rest listed ("T7, CN"). */
const char *bt_broadcast_weekdays_text(unsigned mask, char *buf, size_t size);
/* May a non-emergency session air on this local day? */
bool bt_broadcast_limits_day_open(const bt_broadcast_limits *lim, bt_day day);

/* Index of the session / item with that id, or SIZE_MAX (store rows name sessions by id). */
size_t bt_broadcasts_session_index(const bt_broadcasts *b, const char *id);
size_t bt_broadcasts_item_index(const bt_broadcasts *b, const char *id);
/* True if every item of the session is an emergency: such a session may air outside windows. */
bool bt_broadcast_session_all_emergency(const bt_broadcasts *b, size_t session);
/* Seconds of the session's items from first_item on (chime not included); 0 if any of them is
 * not measured yet (duration 0), meaning "unknown". */
double bt_broadcast_session_seconds(const bt_broadcasts *b, size_t session, size_t first_item);
/* A stable text dump of the model (golden tests, `bangtin check --dump`); malloc'd, NULL on OOM. */
char *bt_broadcasts_dump(const bt_broadcasts *b);

/* ---- added for issue 11 (text bulletins) ----------------------------------------------------- */
/* The file an item airs: dir/audio for a recorded item, speech_path for a text bulletin. 0, or
 * -1 when a text bulletin has not been rendered yet or the path does not fit in size. */
int bt_broadcast_item_file(const char *dir, const bt_broadcast_item *it, char *buf, size_t size);
/* The item's source as staff wrote it, for messages: its audio path, or "văn bản đọc". */
const char *bt_broadcast_item_source(const bt_broadcast_item *it);
/* How messages name an item: "tin \"tin-dvc\"", or "tin thứ 2" when its own id was wrong. */
const char *bt_broadcast_item_label(const bt_broadcast_item *it, size_t index, char *buf,
                                    size_t size);
/* How many items are text bulletins. */
size_t bt_broadcasts_text_count(const bt_broadcasts *b);
/* Sets it->speech_path to a copy of path (NULL clears it). 0, or -1 out of memory. */
int bt_broadcast_item_set_speech(bt_broadcast_item *it, const char *path);

/* ---- added for issue 14 (captions) ----------------------------------------------------------- */
/* The words the screen shows while the item airs: a text bulletin's text, a recorded item's
 * transcript, or NULL (no captions: the title alone). */
const char *bt_broadcast_item_caption_text(const bt_broadcast_item *it);

#endif
