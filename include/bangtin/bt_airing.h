/* The airing log: what went out on the ward's loudspeakers, when, and what did not. The culture
 * department audits it, so it is append only and tamper-evident: every write is a new row
 * (an airing's start, its end, or a whole record of one that never started), each row carries
 * SHA-256(previous row's hash, its own content), and bt_airing_verify names any row that was
 * edited or deleted. Writes are durable (synchronous=FULL) before the call returns.
 *
 * Times: scheduled_at is the slot (bt_wall seconds); actual start/end are wall-clock
 * milliseconds as the appliance believed them (clock_trusted says whether to believe it);
 * duration_ms comes from the monotonic clock. */
#ifndef BT_AIRING_H
#define BT_AIRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_limits.h"
#include "bt_store.h"
#include "bt_time.h"

typedef enum {
    BT_AIRING_AIRING,      /* started, not ended (yet, or the appliance died: see recover) */
    BT_AIRING_COMPLETED,
    BT_AIRING_INTERRUPTED,
    BT_AIRING_FAILED,
    BT_AIRING_MISSED,
    BT_AIRING_STATUS_COUNT /* not a status: how many there are (each has words in bt_vi.h) */
} bt_airing_status;

/* Reason written by bt_airing_recover for an airing that was cut by a crash or power loss. */
#define BT_AIRING_REASON_CRASH "crash"
#define BT_AIRING_REASON_BYTES 256
#define BT_AIRING_MAX_PROBLEMS 50

/* What airs (or should have) and in which slot. Strings are copied; "" for an unknown topic or
 * hash (an item missed before it was ever measured). */
typedef struct {
    char item_id[BT_MAX_ID_BYTES + 1];
    char title[BT_MAX_TITLE_BYTES + 1];
    char topic[BT_MAX_TOPICS_BYTES + 1];
    char sha256[64 + 1];              /* of the audio that aired (a text bulletin's render) */
    char text_sha256[64 + 1];         /* of a text bulletin's words; "" for a recorded item */
    char playlist_id[BT_MAX_ID_BYTES + 1];
    int playlist_version;
    char session_id[BT_MAX_ID_BYTES + 1];
    bt_wall scheduled_at;
} bt_airing_subject;

/* One airing as the log tells it (the `airings` view). */
typedef struct {
    int64_t airing;            /* its id: the sequence number of its first row */
    bt_airing_subject subject;
    int64_t started_at_ms;     /* wall; 0 = never started */
    int64_t ended_at_ms;       /* wall; 0 = not ended or unknown (crash) */
    int64_t duration_ms;       /* monotonic; -1 = unknown */
    bt_airing_status status;
    char reason[BT_AIRING_REASON_BYTES];
    bool clock_trusted;        /* false if the wall clock jumped around it */
} bt_airing_row;

/* An airing starts: writes its start row (status AIRING). *airing receives its id. */
int bt_airing_begin(bt_store *s, const bt_airing_subject *subject, int64_t started_at_ms,
                    bool clock_trusted, int64_t *airing);
/* An airing ends: status COMPLETED, INTERRUPTED or FAILED (reason may be NULL for COMPLETED);
 * duration_ms < 0 = unknown. -1 if the airing does not exist, is not open, or on error. */
int bt_airing_end(bt_store *s, int64_t airing, bt_airing_status status, const char *reason,
                  int64_t ended_at_ms, int64_t duration_ms, bool clock_trusted);
/* An airing that never started, in one row: MISSED (appliance off, clock jump, …) or FAILED
 * (no audio device, undecodable file …), with its reason. */
int bt_airing_record(bt_store *s, const bt_airing_subject *subject, bt_airing_status status,
                     const char *reason, bool clock_trusted, int64_t *airing);
/* At start-up, before anything airs: every airing left open by a crash or power loss ends as
 * INTERRUPTED with reason BT_AIRING_REASON_CRASH (end time unknown). *recovered may be NULL. */
int bt_airing_recover(bt_store *s, size_t *recovered);
/* The same, except the airings in keep: those this run began itself and that are still on air
 * (the store's writer recovers late, once rows a failing store refused have been written). */
int bt_airing_recover_except(bt_store *s, const int64_t *keep, size_t keep_count,
                             size_t *recovered);

/* The airing with this id: 1 and *out, 0 if there is none, -1 on error. */
int bt_airing_get(bt_store *s, int64_t airing, bt_airing_row *out);
/* Airings whose slot lies in [from, to), in slot then id order; *rows is malloc'd (caller
 * frees; NULL when count is 0). */
int bt_airing_list(bt_store *s, bt_wall from, bt_wall to, bt_airing_row **rows, size_t *count);

/* Ties each slot's airings together, so a make-up is read as one (bỏ lỡ 03/11 06:00 — đã phát
 * bù 04/11 06:00) and a slot is counted once. rows in bt_airing_list's order (slot, then id).
 * made_up_by[i] = index of the later row that completed row i's slot (same session, slot and
 * item) when row i did not complete, else SIZE_MAX; is_makeup[i] = row i completed or ran as the
 * make-up of an earlier row of its slot. Either array may be NULL. */
void bt_airing_link_makeups(const bt_airing_row *rows, size_t count, size_t *made_up_by,
                            bool *is_makeup);

/* A wall-clock jump detected against the monotonic clock. */
typedef struct {
    int64_t seq;               /* filled by the log */
    int64_t detected_at_ms;    /* wall clock just after the jump */
    int64_t jump_ms;           /* wall minus what the monotonic clock predicted: + forward */
    bt_mono_ns mono;           /* monotonic time of the detection */
    char note[BT_AIRING_REASON_BYTES];
} bt_clock_event;

int bt_airing_add_clock_event(bt_store *s, const bt_clock_event *ev, int64_t *seq);
/* The time of the last row of either chain as the appliance's wall clock gave it (ms): an
 * airing's end, else its start, else its slot; a clock event's detection. 0 for an empty log. */
int bt_airing_last_time_ms(bt_store *s, int64_t *out);
/* The airing chain's head as the log keeps it: its last row's seq (0 for an empty log) and hash
 * (hex, 65 bytes with the NUL). Written on every stick's receipt, so a copy of the head lives
 * outside the appliance too. 0, or -1 on error. */
int bt_airing_head(bt_store *s, int64_t *seq, char *hash, size_t hash_size);
/* All clock events, oldest first; *events malloc'd (caller frees). */
int bt_airing_clock_events(bt_store *s, bt_clock_event **events, size_t *count);

typedef struct {
    char table[24];            /* "airing_events" or "clock_events" */
    int64_t seq;               /* the row named */
    char message[400];         /* Vietnamese, names the row and what is wrong */
} bt_airing_problem;

typedef struct {
    size_t rows_checked;
    size_t problem_count;      /* all problems found; at most BT_AIRING_MAX_PROBLEMS listed */
    bt_airing_problem problems[BT_AIRING_MAX_PROBLEMS];
    /* What was walked: the whole log (bt_airing_verify), or the airing chain's rows
     * first_seq..last_seq (none when first_seq is 0) plus both chains' heads and the whole
     * clock chain (bt_airing_verify_slots). */
    bool whole_log;
    int64_t first_seq, last_seq;
} bt_airing_verify_result;

/* Walks both chains from their first row: 0 if intact, 1 if problems were found (see *out),
 * -1 if the log could not be read. */
int bt_airing_verify(bt_store *s, bt_airing_verify_result *out);
/* The part of the airing log a report on slots in [from, to) reads: every row from the first to
 * the last event of those airings (and whatever lies between), linked to the row before them,
 * then the chain's head (so rows cut from the end show) and the whole clock chain. A report then
 * costs what its period holds, not what years of log hold; `bangtin log verify` and every USB
 * import walk the whole log. Same return values as bt_airing_verify. */
int bt_airing_verify_slots(bt_store *s, bt_wall from, bt_wall to, bt_airing_verify_result *out);

const char *bt_airing_status_name(bt_airing_status st);   /* "completed" … (stored form) */
const char *bt_airing_status_label(bt_airing_status st);  /* "đã phát" … (bt_vi.h's words) */
int bt_airing_status_parse(const char *name, bt_airing_status *out);

#endif
