/* The shared toolkit of the playlist validators in core (broadcast.c, targets_parse.c, and in
 * time playlist.c): a validation context that counts errors, key tables with typo suggestions,
 * and the value readers (texts, ids, words, dates, weekdays, clock times) with their Vietnamese
 * messages. Every validator walks a parsed tree once and reports EVERY problem with file, line
 * and a message saying what is wrong and how to fix it; keeping the readers here keeps those
 * messages identical wherever the same kind of value appears.
 *
 * Private to src/core: the public contracts stay in include/bangtin. Pure: no files, no clock. */
#ifndef BT_CORE_VALIDATE_H
#define BT_CORE_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bangtin/bt_broadcast.h"
#include "bangtin/bt_diag.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_tree.h"

/* The bit of a node type in a set of accepted types. */
#define BT_NODE_BIT(t) (1u << (t))
/* A topic key takes one id or an array of them (bt_validate_take_topics). */
#define BT_TOPIC_BITS                                                                             \
    (BT_NODE_BIT(BT_NODE_STRING) | BT_NODE_BIT(BT_NODE_ARRAY) | BT_NODE_BIT(BT_NODE_LIST))
/* Longest user value echoed back in a message; longer ones are cut with "…". */
#define BT_VALIDATE_ECHO_MAX_BYTES 80
/* A buffer for bt_validate_echo(): the echo, "…" and the terminator. */
#define BT_VALIDATE_SHOWN_BYTES (BT_VALIDATE_ECHO_MAX_BYTES + 8)
/* Longest date, time or weekday token worth analysing; anything longer is simply malformed. */
#define BT_VALIDATE_TOKEN_BYTES 32

/* One validation run. A validator with more state (e.g. an asset probe) embeds this first. */
typedef struct {
    const char *file;      /* named in every diagnostic */
    bt_diags *diags;       /* where diagnostics go; owned by the caller */
    const char *no_memory; /* the whole message said (once) when memory runs out */
    size_t errors;         /* our own count: the caller's diags may already hold errors */
    bool out_of_memory;
} bt_validator;

/* Adds a diagnostic (cut to BT_MAX_DIAG_MESSAGE) and counts it if it is an error. */
void bt_validate_report(bt_validator *v, bt_diag_severity sev, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Reports v->no_memory the first time; later calls only count an error. */
void bt_validate_no_memory(bt_validator *v, int line);

/* ---- key tables --------------------------------------------------------------------------- */

typedef struct {
    const char *name;
    bt_node_type type;   /* the type named in messages */
    unsigned accepts;    /* BT_NODE_BIT set of node types accepted */
    unsigned required;   /* non-zero: the key must be there (a caller may keep a set of variants) */
    const char *what;    /* Vietnamese name of the value, for messages */
    const char *example; /* a correct line to copy */
} bt_key_spec;

typedef struct bt_key_level bt_key_level;

/* Reports a key this level does not take but knows to belong elsewhere (another level, another
 * group) and returns true; false when it has nothing special to say. shown is the echoed name. */
typedef bool (*bt_misplaced_key_fn)(bt_validator *v, const bt_node *node, const char *shown,
                                    const bt_key_level *level);

/* One level of a group (the top of a file, a notice, a session…) and the keys it takes. */
struct bt_key_level {
    const bt_key_spec *keys;
    size_t count;
    const char *who;               /* "một tin (trong items = ( ... ))", for the key list */
    bt_misplaced_key_fn misplaced; /* NULL: no key belongs elsewhere */
    int tag;                       /* the caller's own name for the level */
};

/* A level and where it is written in playlist.cfg ("broadcasts.items"), for
 * bt_playlist_known_keys: each validator lists its own levels, read-only. */
typedef struct {
    const char *path;
    const bt_key_level *level;
} bt_key_place;

/* The levels of the loudspeaker group (broadcast.c) and of a target (targets_parse.c): write at
 * most cap and return how many there are. */
size_t bt_broadcasts_key_places(bt_key_place *out, size_t cap);
size_t bt_targets_key_places(bt_key_place *out, size_t cap);
size_t bt_records_key_places(bt_key_place *out, size_t cap);

/* The loudspeaker group and the targets as bt_broadcasts_from_tree and bt_targets_from_tree
 * read them, except that *out holds whatever validated even when there were errors (-1): a
 * value that was wrong stays at its default or NULL. For the playlist's partial model
 * (bt_playlist_validate), on which `check` runs its later stages. The caller frees *out. */
int bt_broadcasts_validate(const bt_node *group, const char *file, bt_broadcasts *out,
                           bt_diags *diags);
int bt_targets_validate(const bt_node *group, const char *file, bt_targets *out, bt_diags *d);

/* Every text of playlist.cfg that a person reads (titles, bodies, captions, printed URLs,
 * ticker lines, item titles, session names, target labels), straight from the tree so each
 * problem has its key's line: control characters refused (a line break only in paragraph
 * texts), and, when glyphs->covers is set, every character the screen's fonts lack named with
 * its code point (text_check.c). Errors counted in v. */
void bt_validate_playlist_texts(bt_validator *v, const bt_node *root,
                                const bt_glyph_probe *glyphs);

const bt_key_spec *bt_validate_find_key(const char *name, const bt_key_spec *keys, size_t count);
/* "id, kind, title, …" into buf: the keys a staff member may use at this level. */
const char *bt_validate_key_list(const bt_key_spec *keys, size_t count, char *buf, size_t size);
/* Sorts a group's children into found[] (indexed like level->keys, zeroed by the caller);
 * reports unknown keys (case slip, misplaced, typo, or the list of keys) and repeated ones. */
void bt_validate_scan_group(bt_validator *v, const bt_node *group, const bt_key_level *level,
                            const bt_node **found);
/* False after reporting a value of the wrong type, with the spec's example. */
bool bt_validate_check_type(bt_validator *v, const bt_key_spec *spec, const bt_node *node);
/* "<label> thiếu khoá bắt buộc …" with the spec's example. */
void bt_validate_report_missing(bt_validator *v, int line, const char *label,
                                const bt_key_spec *spec);

/* ---- strings ------------------------------------------------------------------------------ */

/* The node's string, "" when it has none. */
const char *bt_validate_string(const bt_node *node);
/* A malloc'd copy (caller frees), NULL when out of memory. */
char *bt_validate_copy_string(const char *s);
/* Copies a user value for quoting: cut at a character boundary with "…", control characters and
 * bytes of invalid UTF-8 shown as '?', so a message is always one line of valid UTF-8. */
const char *bt_validate_echo(const char *s, char *buf, size_t size);
char bt_validate_lower_ascii(char ch);
bool bt_validate_ascii_iequal(const char *a, const char *b);
/* The candidate closest to name if close enough to be a typo (1 edit, 2 from six letters),
 * case-insensitive, transpositions count as one edit; NULL candidates are skipped. */
const char *bt_validate_nearest(const char *name, const char *const *candidates, size_t count);
void bt_validate_trim_in_place(char *s);
/* Copies s[0..s_len) without surrounding white space into buf; false if it does not fit. */
bool bt_validate_trimmed_copy(const char *s, size_t s_len, char *buf, size_t size);
/* Names the value for messages: `khoá "title"` for a key, or element for an unnamed element. */
const char *bt_validate_where(const bt_node *node, const char *element, char *buf, size_t size);
/* False after reporting that the value is not UTF-8 (where names it, as bt_validate_where). */
bool bt_validate_require_utf8(bt_validator *v, const bt_node *node, const char *where);

/* ---- values ------------------------------------------------------------------------------- */

/* How a text heard or shown is read. */
typedef struct {
    const char *what;     /* "tiêu đề tin" */
    const char *element;  /* names an unnamed element in messages; NULL: what */
    size_t max_bytes;
    const char *if_empty; /* advice after "đang để trống — "; NULL: "hãy điền nội dung" */
    const char *if_long;  /* advice after "quá dài … — "; NULL: "hãy rút gọn" */
    bool optional;        /* empty is a warning and *out stays NULL, instead of an error */
} bt_text_rule;

/* A text: valid UTF-8, NFC, trimmed, non-empty, within max_bytes; *out malloc'd (caller frees). */
int bt_validate_take_text(bt_validator *v, const bt_node *node, const bt_text_rule *rule,
                          char **out);
/* An identifier: [a-z0-9-_], 1..max_bytes; example is a valid id shown when it is empty. */
int bt_validate_take_id(bt_validator *v, const bt_node *node, const char *what, size_t max_bytes,
                        const char *example, char **out);
/* The topics of an item or notice: one id ("cchc") or an array of them (["cchc", "dich-vu-cong"]),
 * at most BT_MAX_TOPICS, a repeated one warned and dropped; *out is the ids joined by ", "
 * (bt_topics_has reads it). */
int bt_validate_take_topics(bt_validator *v, const bt_node *node, const char *example,
                            char **out);
/* One of a fixed set of words; -1 after reporting with a suggestion and the choices. */
int bt_validate_take_word(bt_validator *v, const bt_node *node, const char *const *words,
                          size_t count, const char *what, const char *choices, int *out);

/* A run of min..max digits at *p into *value, advancing *p; false (and *p kept) otherwise. */
bool bt_validate_digit_run(const char **p, int min, int max, int *value);
/* Reads something shaped like a date in either order, so "31/02" can be explained;
 * year_first (may be NULL) says whether it was written yyyy-mm-dd. */
bool bt_validate_loose_date(const char *s, int *year, int *month, int *day, bool *year_first);
/* A date "dd/mm/yyyy" or "yyyy-mm-dd"; -1 after saying what is wrong with it. */
int bt_validate_take_date(bt_validator *v, const bt_node *node, bt_day *out);

/* "T2".."T7", "CN": index 0..6 is bit 0..6 of a weekday mask. */
extern const char *const bt_validate_weekday_codes[7];
/* "T2".."T7" → 0..5, "CN" → 6 (case-insensitive); -1 otherwise. */
int bt_validate_weekday_index(const char *token);
/* Splits at the next comma: copies the trimmed piece into buf (false if too long), advances *p
 * past the comma and says whether another piece follows (so a trailing comma is seen). */
bool bt_validate_next_piece(const char **p, char *buf, size_t size, bool *more);
/* "T2-T6", "T2,T4,CN" into a mask; if_empty is the whole message for an empty value;
 * wrap_hint: an inverted range ("CN-T2") is answered with how to write it across the weekend. */
int bt_validate_take_weekdays(bt_validator *v, const bt_node *node, const char *if_empty,
                              bool wrap_hint, uint8_t *out);

typedef enum { BT_CLOCK_OK, BT_CLOCK_SHAPE, BT_CLOCK_RANGE, BT_CLOCK_24_START } bt_clock_status;

/* "07:30" → minutes of the day; "24:00" only as the end of a span. */
bt_clock_status bt_validate_clock_minutes(const char *s, bool is_end, int *minutes);
/* "07:30" for messages. */
const char *bt_validate_hhmm_text(int minutes, char *buf, size_t size);

/* One "HH:MM-HH:MM" span read apart, for the caller to explain in its own words. */
typedef struct {
    char first[BT_VALIDATE_TOKEN_BYTES], last[BT_VALIDATE_TOKEN_BYTES]; /* trimmed halves */
    bt_clock_status start_status, end_status; /* BT_CLOCK_SHAPE if a half did not fit */
    int start, end;                           /* minutes, where the status is BT_CLOCK_OK */
} bt_clock_span;

/* False if span has no '-'; otherwise fills out. span is restored before returning. */
bool bt_validate_clock_span(char *span, bt_clock_span *out);

#endif
