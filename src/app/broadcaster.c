/* The loudspeaker runtime (see bt_broadcaster.h for what it does in words).
 *
 * Shape: a `plan` is one playlist's broadcasts with its measurements and scheduler. A new plan
 * is measured on a worker thread (its own store connection) while the old one keeps airing; it
 * takes over when measured and nothing is on air. The `attempt` is the one session handed to the
 * audio engine: its per-item rows go to the airing log as the engine reports them, and when the
 * engine says SESSION_ENDED the rows are condensed (the same rule as at start-up, from the log)
 * into one record for the scheduler.
 *
 * Starting on the second: the scheduler decides on whole wall seconds and only says START when
 * a slot is due. So when it says WAIT until N, we ask it again as if it were N (it is pure); if
 * it would start a slot then, the session goes to the engine bt_audio_lead_ms before N with a
 * monotonic deadline computed from this tick's (wall, mono) sample. While that session is armed
 * the scheduler is told it is airing, so nothing else starts in between; an emergency still cuts
 * in. A session cancelled before any sound (re-armed after a clock jump, cut by an emergency
 * before its time, stopped at shutdown) leaves no row: it never aired, and the scheduler decides
 * about it again as if it had never been armed. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <SDL2/SDL.h>
#include <sodium.h>

#include "bangtin/bt_buf.h"
#include "bangtin/bt_app.h"
#include "bangtin/bt_app_speech.h"
#include "bangtin/bt_audio.h"
#include "bangtin/bt_broadcaster.h"
#include "bangtin/bt_decode_isolated.h"
#include "bangtin/bt_measure_isolated.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_loudness.h"
#include "bangtin/bt_measurements.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_store_writer.h"
#include "bangtin/bt_vi.h"

/* Ask the scheduler ahead about a start at most this far away: more than any lead time
 * (amplifier hook timeout + longest warm-up + preparing 15 minutes of audio). */
#define LOOKAHEAD_MS (120 * 1000)
/* Arm a session this much earlier than the engine's lead, for a main loop that wakes late. */
#define ARM_MARGIN_MS 250
/* Decide/act rounds per tick: an airing ending, a record, a start, each needs one. */
#define ROUNDS_PER_TICK 6
/* While stopping at shutdown, wait at most this long for the engine beyond its hook timeout. */
#define SHUTDOWN_GRACE_MS 2000
/* At shutdown, wait at most this long for the store's writer to take the last rows. */
#define WRITER_FLUSH_MS 5000
/* A session whose start row became durable this late after its first sound was due does not
 * air: its row names a time that would no longer be true. */
#define LATE_START_MS 2000
#define NS_PER_MS 1000000LL

typedef struct {
    char *playlist_id;
    int version;
    char *dir;
    bt_broadcasts model;
    bt_wall active_since;
    bt_validity validity;    /* the playlist's days: nothing airs outside them */
    char **problem;          /* per item: why it cannot air (measurement), NULL when fine */
    bt_schedule *sched;      /* NULL until measured, or when the limits reject the playlist */
    bool measured;
    bool rejected;
} plan;

typedef struct {
    char *path;
    size_t rel;                /* path + rel: the path inside the playlist, as staff wrote it */
    char *text;                /* a text bulletin's words: spoken to path if it is missing */
    bool ok, cached;
    bt_loudness loudness;
    char err[512];
} measure_item;

typedef struct measure_job {
    plan *p;                   /* not used by the worker: a retired job outlives its plan */
    measure_item *items;
    size_t count;
    bt_speech_params speech;   /* how a missing text bulletin is spoken */
    char *store_path;
    SDL_Thread *thread;
    SDL_atomic_t done, cancel;
    void (*wake)(void *ctx);
    void *wake_ctx;
    bt_mono_ns started;
    char *chime_path;          /* the chime to measure too (until one job has), or NULL */
    double chime_lufs;         /* NAN when it could not be measured */
    struct measure_job *next;  /* in the retired list */
} measure_job;

/* One item's row as the condenser sees it (from the log at start-up, or the attempt on air). */
typedef struct {
    size_t position;         /* in the session's item list */
    bt_airing_status status;
    bt_miss_reason reason;
    int64_t started_ms, ended_ms;
} attempt_row;

typedef struct {
    bool on;                 /* handed to the engine; over at SESSION_ENDED */
    bool arming;             /* waiting for its start row to be durable before going to the
                                engine (the scheduler already counts it as airing) */
    bool emergency;          /* airs at once, whatever the store does */
    uint64_t tag;
    bt_slot slot;
    bool makeup;
    size_t first_item, count;
    bt_wall deadline;
    bt_mono_ns deadline_mono;/* when the first sound (the chime) is due */
    int64_t planned_ms;      /* wall time the first item is due: its start row says so */
    bool sounded;            /* the chime or an item went out */
    bt_mono_ns first_sound;  /* when (the engine's estimate of the session's frame 0) */
    bool stopping;
    bt_miss_reason stop_reason; /* NONE: cancelled before any sound, leaves no row */
    bool untrusted;          /* the wall clock jumped while it was on */
    uint64_t airing_id[BT_MAX_SESSION_ITEMS]; /* the writer's tokens of the start rows */
    bt_mono_ns item_start[BT_MAX_SESSION_ITEMS];
    bool have[BT_MAX_SESSION_ITEMS];
    attempt_row rows[BT_MAX_SESSION_ITEMS];
} attempt;

struct bt_broadcaster {
    bt_store_writer *writer;   /* every log row goes through it, in order */
    bool own_writer;
    char *store_path;
    bt_audio *audio;
    char *chime_path;          /* measured with the first playlist's items (bt_audio_config) */
    bool chime_measured;
    bt_broadcast_limits lim;   /* the schedulers borrow it: lives as long as we do */
    int loudness_target;       /* text bulletins are spoken to it */
    void (*wake)(void *ctx);
    void *wake_ctx;

    plan *active;
    plan *pending;             /* set, not yet measured or waiting for the air to clear */
    measure_job *job;
    measure_job *retired;      /* replaced while measuring: joined once they notice */

    bool sampled;
    bool clock_untrusted;      /* the kiosk's verdict (bt_broadcaster_set_clock_trusted) */
    bool history_asked;        /* the pending plan's history is being read */
    bt_wall history_from;
    bt_mono_ns tick_mono;      /* this tick's sample, for the writer's callbacks */
    int64_t tick_wall_ms;
    bt_clock_sample last;
    int64_t last_wall_ms;
    bt_wall awake_since;
    bt_miss_reason gap_reason;

    attempt cur;
    uint64_t next_tag;
    int misses_left;           /* budget of this tick */
    char now_playing[BT_MAX_TITLE_BYTES + 1];
    /* The item sounding now and when its first sound was (issue 14: the screen's captions);
     * NULL while a chime sounds or nothing airs. Points into the active plan's model, which a
     * session on air keeps. */
    const bt_broadcast_item *airing_item;
    bt_mono_ns airing_from;
    /* The reason (a problem) after "Không phát phiên <label>: …" (label ≤ title + 64). */
    char problem[BT_STORE_WRITER_PROBLEM_BYTES + BT_MAX_TITLE_BYTES + 192];
};

/* ---- small helpers ------------------------------------------------------------------------ */

static char *dup_str(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static int64_t clamp_ms(int64_t ms)
{
    if (ms < 0)
        return 0;
    return ms > BT_BROADCASTER_IDLE_MS ? BT_BROADCASTER_IDLE_MS : ms;
}

/* "code" or "code: detail", the reason column's form. */
static void reason_text(char *buf, size_t size, bt_miss_reason r, const char *detail)
{
    if (detail && detail[0])
        snprintf(buf, size, "%s: %s", bt_miss_reason_code(r), detail);
    else
        snprintf(buf, size, "%s", bt_miss_reason_code(r));
}

/* The code part of a reason column ("playback: …" → PLAYBACK); unknown text → PLAYBACK. */
static bt_miss_reason reason_parse(const char *text)
{
    char code[32];
    size_t n = 0;
    while (text && text[n] && text[n] != ':' && n < sizeof(code) - 1) {
        code[n] = text[n];
        n++;
    }
    code[n] = '\0';
    bt_miss_reason r;
    if (n == 0 || bt_miss_reason_from_code(code, &r) != 0)
        return text && text[0] ? BT_MISS_PLAYBACK : BT_MISS_NONE;
    return r;
}

static const bt_broadcast_item *session_item(const plan *p, size_t session, size_t position)
{
    return &p->model.items[p->model.sessions[session].items[position]];
}

static void fill_subject(const plan *p, bt_slot slot, size_t position, bt_airing_subject *s)
{
    const bt_broadcast_item *it = session_item(p, slot.session, position);
    memset(s, 0, sizeof(*s));
    snprintf(s->item_id, sizeof(s->item_id), "%s", it->id);
    snprintf(s->title, sizeof(s->title), "%s", it->title);
    snprintf(s->topic, sizeof(s->topic), "%s", it->topic ? it->topic : "");
    snprintf(s->sha256, sizeof(s->sha256), "%s", it->sha256);
    snprintf(s->text_sha256, sizeof(s->text_sha256), "%s", it->text_sha256);
    snprintf(s->playlist_id, sizeof(s->playlist_id), "%s", p->playlist_id);
    s->playlist_version = p->version;
    snprintf(s->session_id, sizeof(s->session_id), "%s", p->model.sessions[slot.session].id);
    s->scheduled_at = slot.scheduled;
}

static void slot_label(const plan *p, bt_slot slot, char *buf, size_t size)
{
    char when[32];
    bt_time_format_iso(slot.scheduled, when, sizeof(when));
    snprintf(buf, size, "“%s” (%s)", p->model.sessions[slot.session].name, when);
}

/* The wall time of a monotonic instant, as the appliance believes it (the latest sample). */
static int64_t wall_of(const bt_broadcaster *b, bt_mono_ns mono)
{
    return b->last_wall_ms + (mono - b->last.mono) / NS_PER_MS;
}

/* What the banner says; an item sounding is named again with set_airing right after. */
static void set_now_playing(bt_broadcaster *b, const char *text)
{
    snprintf(b->now_playing, sizeof(b->now_playing), "%s", text ? text : "");
    b->airing_item = NULL;
}

static void set_airing(bt_broadcaster *b, const bt_broadcast_item *it, bt_mono_ns from)
{
    set_now_playing(b, it->title);
    b->airing_item = it;
    b->airing_from = from;
}

/* ---- condensing rows into slot attempts --------------------------------------------------- */

/* One attempt's rows (in item order) → the scheduler's record. */
static void condense_attempt(const attempt_row *r, size_t n, size_t item_count, bt_slot slot,
                             bool makeup, bt_wall fallback_started, bt_slot_record *out)
{
    memset(out, 0, sizeof(*out));
    out->slot = slot;
    out->makeup = makeup;
    out->started = fallback_started;
    for (size_t i = 0; i < n; i++) {
        if (r[i].started_ms > 0) {
            out->started = r[i].started_ms / 1000;
            break;
        }
    }
    bool completed = false, failed = false;
    size_t first_failed = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        if (r[i].status == BT_AIRING_INTERRUPTED || r[i].status == BT_AIRING_AIRING) {
            out->status = BT_ATTEMPT_INTERRUPTED;
            out->reason = r[i].status == BT_AIRING_AIRING ? BT_MISS_CRASH
                          : r[i].reason != BT_MISS_NONE   ? r[i].reason
                                                          : BT_MISS_PLAYBACK;
            out->next_item = r[i].position;
            return;
        }
        if (r[i].status == BT_AIRING_MISSED && completed) {
            /* Cancelled after items had aired: the cut fell between items. */
            out->status = BT_ATTEMPT_INTERRUPTED;
            out->reason = r[i].reason != BT_MISS_NONE ? r[i].reason : BT_MISS_PLAYBACK;
            out->next_item = r[i].position;
            return;
        }
        if (r[i].status == BT_AIRING_COMPLETED)
            completed = true;
        if (r[i].status == BT_AIRING_FAILED && !failed) {
            failed = true;
            first_failed = i;
        }
    }
    if (completed && r[n - 1].position + 1 < item_count) {
        /* The rows stop before the last item with nothing cut: the program died between two
         * items, before the next one's start row. */
        out->status = BT_ATTEMPT_INTERRUPTED;
        out->reason = BT_MISS_CRASH;
        out->next_item = r[n - 1].position + 1;
    } else if (completed) {
        /* Items that failed on their own (a broken file) do not hold the slot open: trying the
         * rest again would only air the good items twice. They stay `failed` in the log. */
        out->status = BT_ATTEMPT_COMPLETED;
        out->reason = BT_MISS_NONE;
        out->next_item = item_count;
    } else if (failed) {
        out->status = BT_ATTEMPT_FAILED;
        out->reason = r[first_failed].reason != BT_MISS_NONE ? r[first_failed].reason
                                                             : BT_MISS_PLAYBACK;
        out->next_item = n > 0 ? r[0].position : 0;
    } else {
        out->status = BT_ATTEMPT_MISSED;
        out->reason = n > 0 && r[0].reason != BT_MISS_NONE ? r[0].reason : BT_MISS_OFF;
        out->next_item = n > 0 ? r[0].position : 0;
    }
}

/* ---- the log as of a moment -------------------------------------------------------------- */

static bool same_slot_row(const bt_airing_row *a, const bt_airing_row *b)
{
    return a->subject.scheduled_at == b->subject.scheduled_at &&
           strcmp(a->subject.session_id, b->subject.session_id) == 0 &&
           strcmp(a->subject.playlist_id, b->subject.playlist_id) == 0;
}

/* The start of the attempt row i belongs to: rows of its slot before it, begun, each within
 * BT_BROADCASTER_ATTEMPT_GAP_MS of the next (the rows are in slot then id order). */
static int64_t attempt_start_ms(const bt_airing_row *rows, size_t i)
{
    int64_t start = rows[i].started_at_ms;
    for (size_t k = i; k > 0 && same_slot_row(&rows[k - 1], &rows[i]); k--) {
        const bt_airing_row *r = &rows[k - 1];
        if (r->started_at_ms <= 0 || r->ended_at_ms <= 0 ||
            start - r->ended_at_ms > BT_BROADCASTER_ATTEMPT_GAP_MS)
            break;
        start = r->started_at_ms;
    }
    return start;
}

size_t bt_broadcaster_as_of(bt_airing_row *rows, size_t count, bt_wall at,
                            bt_broadcaster_on_air *on_air)
{
    int64_t at_ms = (int64_t)at * 1000;
    memset(on_air, 0, sizeof *on_air);
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        const bt_airing_row *r = &rows[i];
        bool begun = r->started_at_ms > 0 && r->started_at_ms <= at_ms;
        /* A miss is written once its slot is past the grace: before that nobody knew. */
        bool known_miss = r->started_at_ms <= 0 &&
                          r->subject.scheduled_at + BT_SCHEDULE_GRACE_SECONDS <= at;
        if (!begun && !known_miss)
            continue;
        bool open = r->status == BT_AIRING_AIRING && r->ended_at_ms <= 0;
        if (begun && (open || r->ended_at_ms > at_ms)) {
            on_air->on = true;
            snprintf(on_air->session_id, sizeof on_air->session_id, "%s", r->subject.session_id);
            snprintf(on_air->title, sizeof on_air->title, "%s", r->subject.title);
            on_air->scheduled = r->subject.scheduled_at;
            on_air->started = (bt_wall)(attempt_start_ms(rows, i) / 1000);
            continue; /* on air: the scheduler is told so, not given a row */
        }
        rows[kept++] = *r;
    }
    return kept;
}

typedef struct {
    size_t session;
    const bt_airing_row *row;
} keyed_row;

static int compare_keyed(const void *pa, const void *pb)
{
    const keyed_row *a = pa, *b = pb;
    if (a->session != b->session)
        return a->session < b->session ? -1 : 1;
    if (a->row->subject.scheduled_at != b->row->subject.scheduled_at)
        return a->row->subject.scheduled_at < b->row->subject.scheduled_at ? -1 : 1;
    return (a->row->airing > b->row->airing) - (a->row->airing < b->row->airing);
}

/* May row r continue the attempt whose last row is prev (at the expected position)? */
static bool continues(const attempt_row *prev, int64_t last_time_ms, const bt_airing_row *r)
{
    bool aired_prev = prev->status == BT_AIRING_COMPLETED || prev->status == BT_AIRING_FAILED;
    if (r->status == BT_AIRING_MISSED)
        return prev->status == BT_AIRING_MISSED || prev->status == BT_AIRING_INTERRUPTED;
    if (!aired_prev)
        return false;
    if (r->started_at_ms > 0 && last_time_ms > 0 &&
        r->started_at_ms - last_time_ms > BT_BROADCASTER_ATTEMPT_GAP_MS)
        return false;
    return true;
}

static size_t position_of(const bt_broadcasts *m, size_t session, const char *item_id)
{
    const bt_broadcast_session *s = &m->sessions[session];
    for (size_t k = 0; k < s->item_count; k++)
        if (strcmp(m->items[s->items[k]].id, item_id) == 0)
            return k;
    return SIZE_MAX;
}

static bool append_record(bt_slot_record **out, size_t *count, size_t *cap,
                          const bt_slot_record *r)
{
    bt_slot_record *room = bt_grow(*out, cap, *count + 1, sizeof *room);
    if (!room)
        return false;
    *out = room;
    (*out)[(*count)++] = *r;
    return true;
}

int bt_broadcaster_condense(const bt_broadcasts *model, const char *playlist_id,
                            const bt_airing_row *rows, size_t row_count, bt_slot_record **out,
                            size_t *count)
{
    *out = NULL;
    *count = 0;
    size_t cap = 0, n = 0;
    keyed_row *keyed = calloc(row_count ? row_count : 1, sizeof(*keyed));
    if (!keyed)
        return -1;
    for (size_t i = 0; i < row_count; i++) {
        if (strcmp(rows[i].subject.playlist_id, playlist_id) != 0)
            continue;
        size_t s = bt_broadcasts_session_index(model, rows[i].subject.session_id);
        if (s == SIZE_MAX)
            continue;
        keyed[n++] = (keyed_row){s, &rows[i]};
    }
    qsort(keyed, n, sizeof(*keyed), compare_keyed);

    attempt_row ar[BT_MAX_SESSION_ITEMS];
    size_t ar_n = 0, expected = 0, attempt_index = 0;
    int64_t last_time_ms = 0;
    bt_slot slot = {0, 0};
    for (size_t i = 0; i <= n; i++) {
        const keyed_row *k = i < n ? &keyed[i] : NULL;
        bool new_slot = !k || k->session != slot.session ||
                        k->row->subject.scheduled_at != slot.scheduled || ar_n == 0;
        size_t items = k ? model->sessions[k->session].item_count : 0;
        size_t pos = SIZE_MAX;
        bool cont = false;
        if (k && !new_slot && expected < items &&
            strcmp(model->items[model->sessions[k->session].items[expected]].id,
                   k->row->subject.item_id) == 0 &&
            continues(&ar[ar_n - 1], last_time_ms, k->row)) {
            cont = true;
            pos = expected;
        }
        if (!cont && ar_n > 0) {
            bt_slot_record rec;
            condense_attempt(ar, ar_n, model->sessions[slot.session].item_count, slot,
                             attempt_index > 0, slot.scheduled, &rec);
            if (!append_record(out, count, &cap, &rec))
                goto fail;
            attempt_index++;
            ar_n = 0;
        }
        if (!k)
            break;
        if (k->session != slot.session || k->row->subject.scheduled_at != slot.scheduled) {
            slot = (bt_slot){k->session, k->row->subject.scheduled_at};
            attempt_index = 0;
        }
        if (!cont) {
            pos = position_of(model, k->session, k->row->subject.item_id);
            if (pos == SIZE_MAX)
                continue; /* an item no longer in this session */
            last_time_ms = 0;
        }
        if (ar_n == BT_MAX_SESSION_ITEMS)
            continue; /* cannot happen with positions < item_count; keep the array safe */
        attempt_row *a = &ar[ar_n++];
        a->position = pos;
        a->status = k->row->status;
        a->reason = reason_parse(k->row->reason);
        a->started_ms = k->row->started_at_ms;
        a->ended_ms = k->row->ended_at_ms;
        if (a->ended_ms > 0)
            last_time_ms = a->ended_ms;
        else if (a->started_ms > 0)
            last_time_ms = a->started_ms;
        expected = pos + 1;
    }
    free(keyed);
    return 0;

fail:
    free(keyed);
    free(*out);
    *out = NULL;
    *count = 0;
    return -1;
}

/* ---- plans and measuring ------------------------------------------------------------------ */

/* Deep copy of a model: the plan keeps its own, measured in place, while the caller's stays as
 * loaded (the screen reads it). 0, or -1 with *dst empty. */
static int copy_broadcasts(const bt_broadcasts *src, bt_broadcasts *dst)
{
    bt_broadcasts_init(dst);
    dst->limits = src->limits; /* plain data: the playlist's permitted hours and days */
    dst->items = calloc(src->item_count ? src->item_count : 1, sizeof(*dst->items));
    dst->sessions = calloc(src->session_count ? src->session_count : 1, sizeof(*dst->sessions));
    if (!dst->items || !dst->sessions)
        goto fail;
    for (size_t i = 0; i < src->item_count; i++, dst->item_count++) {
        const bt_broadcast_item *a = &src->items[i];
        bt_broadcast_item *b = &dst->items[i];
        *b = *a;
        b->id = dup_str(a->id);
        b->title = dup_str(a->title);
        b->audio = dup_str(a->audio);
        b->topic = dup_str(a->topic);
        b->text = dup_str(a->text);
        b->speech_path = dup_str(a->speech_path);
        b->transcript = dup_str(a->transcript);
        if (!b->id || !b->title || (a->audio && !b->audio) || (a->topic && !b->topic) ||
            (a->text && !b->text) || (a->speech_path && !b->speech_path) ||
            (a->transcript && !b->transcript)) {
            dst->item_count++; /* freed with the rest */
            goto fail;
        }
    }
    for (size_t i = 0; i < src->session_count; i++, dst->session_count++) {
        const bt_broadcast_session *a = &src->sessions[i];
        bt_broadcast_session *b = &dst->sessions[i];
        *b = *a;
        b->id = dup_str(a->id);
        b->name = dup_str(a->name);
        if (!b->id || !b->name) {
            dst->session_count++;
            goto fail;
        }
    }
    return 0;
fail:
    bt_broadcasts_free(dst);
    return -1;
}

static void plan_free(plan *p)
{
    if (!p)
        return;
    bt_schedule_destroy(p->sched);
    if (p->problem)
        for (size_t i = 0; i < p->model.item_count; i++)
            free(p->problem[i]);
    free(p->problem);
    bt_broadcasts_free(&p->model);
    free(p->playlist_id);
    free(p->dir);
    free(p);
}

static void job_free(measure_job *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->count; i++) {
        free(j->items[i].path);
        free(j->items[i].text);
    }
    free(j->items);
    free(j->store_path);
    free(j->chime_path);
    free(j);
}

/* SHA-256 of a file, streamed (no whole-file buffer). 0, or -1 if it cannot be read. */
static int hash_file(const char *path, char hex[BT_SHA256_HEX_BYTES + 1])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    unsigned char buf[65536];
    size_t got, total = 0;
    while ((got = fread(buf, 1, sizeof(buf), f)) > 0) {
        crypto_hash_sha256_update(&st, buf, got);
        total += got;
    }
    int rc = ferror(f) || total == 0 ? -1 : 0;
    fclose(f);
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, digest);
    sodium_bin2hex(hex, BT_SHA256_HEX_BYTES + 1, digest, sizeof(digest));
    return rc;
}

/* Measures one file: the stored figures for its content if there are any, else decodes it.
 * A text bulletin whose render is missing (activation spoke it, but the content store lost it)
 * is spoken first, here on the worker: the plan airs only once measured. */
static void measure_one(bt_store *st, const bt_speech_params *speech, measure_item *it)
{
    char hex[BT_SHA256_HEX_BYTES + 1];
    struct stat sb;
    if (!it->path[0])
        return; /* job_start said why */
    int found = stat(it->path, &sb);
    if (found != 0 && it->text) {
        bt_log_warn("Bản tin văn bản chưa có bản đọc “%s”: máy đọc ngay bây giờ.", it->path);
        if (bt_speech_render_isolated(it->text, speech, it->path, NULL, it->err,
                                      sizeof(it->err)) != 0)
            return;
        found = stat(it->path, &sb);
    }
    if ((found != 0 && (errno == ENOENT || errno == ENOTDIR)) ||
        (found == 0 && !S_ISREG(sb.st_mode))) {
        /* Gone from the playlist's folder (issue 10): the airing rows say so in the staff's
         * words, with the path they know, rather than the decoder's errno and an absolute path. */
        snprintf(it->err, sizeof(it->err), "thiếu tệp âm thanh “%s” — hãy nạp lại playlist từ USB",
                 it->path + it->rel);
        return;
    }
    bool small = found == 0 && (uint64_t)sb.st_size <= BT_MAX_AUDIO_FILE_BYTES;
    if (st && small && hash_file(it->path, hex) == 0) {
        bt_measurement m;
        if (bt_measurement_get(st, hex, BT_BROADCASTER_MEASURE_METHOD, &m) == 1 &&
            m.has_silence) {
            memset(&it->loudness, 0, sizeof(it->loudness));
            it->loudness.integrated_lufs = m.integrated_lufs;
            it->loudness.sample_peak_dbfs = m.sample_peak_dbfs;
            it->loudness.true_peak_dbtp = m.true_peak_dbtp;
            it->loudness.duration_seconds = m.duration_seconds;
            it->loudness.silence = m.silence;
            snprintf(it->loudness.sha256, sizeof(it->loudness.sha256), "%s", hex);
            it->ok = it->cached = true;
            return;
        }
    }
    /* In a child process: the decode's memory peak and any decoder crash stay out of the kiosk. */
    if (bt_measure_isolated(it->path, &it->loudness, it->err, sizeof(it->err)) != 0)
        return;
    it->ok = true;
    if (st) {
        bt_measurement m;
        memset(&m, 0, sizeof(m));
        snprintf(m.sha256, sizeof(m.sha256), "%s", it->loudness.sha256);
        snprintf(m.method, sizeof(m.method), "%s", BT_BROADCASTER_MEASURE_METHOD);
        m.integrated_lufs = it->loudness.integrated_lufs;
        m.sample_peak_dbfs = it->loudness.sample_peak_dbfs;
        m.true_peak_dbtp = it->loudness.true_peak_dbtp;
        m.duration_seconds = it->loudness.duration_seconds;
        m.has_silence = true;
        m.silence = it->loudness.silence;
        m.measured_at = (bt_wall)time(NULL);
        if (bt_measurement_put(st, &m) != 0)
            bt_log_warn("Không lưu được kết quả đo “%s”; lần sau sẽ đo lại.", it->path);
    }
}

/* The worker: decoding blocks for seconds and waits while a session sounds (bt_loudness.h), so
 * it never runs on the thread that draws the screen and polls the engine. */
static int measure_worker(void *arg)
{
    measure_job *j = arg;
    bt_store *st = NULL;
    if (j->store_path) {
        char err[512];
        if (bt_store_open(j->store_path, &st, err, sizeof(err)) != 0)
            bt_log_warn("Đo âm thanh không dùng được kết quả đo đã lưu: %s", err);
    }
    for (size_t i = 0; i < j->count; i++) {
        if (SDL_AtomicGet(&j->cancel)) {
            snprintf(j->items[i].err, sizeof(j->items[i].err), "việc đo âm thanh đã bị hủy");
            continue;
        }
        measure_one(st, &j->speech, &j->items[i]);
    }
    if (j->chime_path && !SDL_AtomicGet(&j->cancel)) {
        /* Not kept with the items' figures: the chime is the appliance's, not the playlist's. */
        bt_loudness l;
        char err[512];
        if (bt_measure_isolated(j->chime_path, &l, err, sizeof err) == 0)
            j->chime_lufs = l.integrated_lufs;
        else
            bt_log_warn("Không đo được tiếng chuông: %s", err);
    }
    bt_store_close(st);
    SDL_AtomicSet(&j->done, 1);
    if (j->wake)
        j->wake(j->wake_ctx);
    return 0;
}

static void job_cancel(measure_job *j)
{
    if (!j)
        return;
    SDL_AtomicSet(&j->cancel, 1);
    SDL_WaitThread(j->thread, NULL);
    j->thread = NULL;
}

static bt_mono_ns mono_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (bt_mono_ns)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t wall_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int job_start(bt_broadcaster *b, plan *p)
{
    measure_job *j = calloc(1, sizeof(*j));
    if (!j)
        return -1;
    j->p = p;
    j->wake = b->wake;
    j->wake_ctx = b->wake_ctx;
    j->started = mono_clock();
    j->count = p->model.item_count;
    j->items = calloc(j->count ? j->count : 1, sizeof(*j->items));
    if (!j->items || (b->store_path && !(j->store_path = dup_str(b->store_path))))
        goto fail;
    j->speech = bt_speech_default_params(b->loudness_target);
    j->chime_lufs = NAN;
    if (!b->chime_measured && b->chime_path && !(j->chime_path = dup_str(b->chime_path)))
        goto fail;
    for (size_t i = 0; i < j->count; i++) {
        const bt_broadcast_item *it = &p->model.items[i];
        char path[BT_MAX_PATH_BYTES * 2];
        if (bt_broadcast_item_file(p->dir, it, path, sizeof path) != 0) {
            /* A text bulletin nobody located (no content store): it cannot air. */
            path[0] = '\0';
            snprintf(j->items[i].err, sizeof(j->items[i].err), "chưa có bản đọc của văn bản");
        }
        if (!(j->items[i].path = dup_str(path)))
            goto fail;
        if (it->text && !(j->items[i].text = dup_str(it->text)))
            goto fail;
        /* The path as staff know it: inside the playlist for a file, the render's own name. */
        j->items[i].rel = it->text ? 0 : strlen(p->dir) + 1;
    }
    j->thread = SDL_CreateThread(measure_worker, "bt-measure", j);
    if (!j->thread) {
        bt_log_error("Không tạo được luồng đo âm thanh: %s", bt_vi_library_error(SDL_GetError()));
        goto fail;
    }
    b->job = j;
    return 0;
fail:
    job_free(j);
    return -1;
}

/* Feeds the scheduler the airing log's history (this playlist's rows). */
static int feed_history(plan *p, const bt_airing_row *rows, size_t n)
{
    size_t rec_n = 0;
    bt_slot_record *recs = NULL;
    int rc = bt_broadcaster_condense(&p->model, p->playlist_id, rows, n, &recs, &rec_n);
    for (size_t i = 0; rc == 0 && i < rec_n; i++)
        rc = bt_schedule_record(p->sched, &recs[i]);
    free(recs);
    return rc;
}

/* The measurements are in: apply them and check the ward's limits (which need durations). */
static void job_finish(bt_broadcaster *b)
{
    measure_job *j = b->job;
    plan *p = j->p;
    SDL_WaitThread(j->thread, NULL);
    j->thread = NULL;
    b->job = NULL;
    if (j->chime_path) {
        b->chime_measured = true;
        bt_audio_set_chime_loudness(b->audio, j->chime_lufs);
    }
    size_t cached = 0, bad = 0;
    for (size_t i = 0; i < j->count; i++) {
        bt_broadcast_item *it = &p->model.items[i];
        char why[BT_MAX_DIAG_MESSAGE];
        const char *problem = NULL;
        if (j->items[i].ok) {
            /* A refused item keeps its figures: its failed rows carry its hash, by which
             * `bangtin log` finds its silence. */
            snprintf(it->sha256, sizeof(it->sha256), "%s", j->items[i].loudness.sha256);
            it->duration_seconds = j->items[i].loudness.duration_seconds;
            it->loudness_lufs = j->items[i].loudness.integrated_lufs;
            it->silence = j->items[i].loudness.silence;
            cached += j->items[i].cached;
            if (bt_silence_refused(&it->silence, it->duration_seconds, &b->lim.silence, why,
                                   sizeof(why)))
                problem = why;
        } else {
            problem = j->items[i].err[0] ? j->items[i].err : "không đo được";
        }
        if (problem) {
            bad++;
            p->problem[i] = dup_str(problem);
            bt_log_error("Tin “%s” (%s): %s. Các phiên có tin này sẽ được ghi là lỗi.", it->id,
                         bt_broadcast_item_source(it), p->problem[i] ? p->problem[i] : "");
        }
    }
    /* Long silence at the ends or inside still airs; staff read why in the journal. (The
     * refused items' errors were logged above.) */
    bt_diags silence;
    bt_diags_init(&silence);
    bt_broadcasts_check_silence(&p->model, &b->lim, BT_PLAYLIST_FILE, &silence);
    for (size_t i = 0; i < silence.count; i++) {
        char line[BT_MAX_PATH_BYTES + BT_MAX_DIAG_MESSAGE + 64];
        if (silence.items[i].severity == BT_DIAG_WARNING)
            bt_log_warn("%s", bt_diag_format(&silence.items[i], line, sizeof(line)));
    }
    bt_diags_free(&silence);
    bt_log_info("Đã đo %zu tin phát thanh của “%s” (%zu lấy từ lần đo trước, %zu lỗi) trong "
                "%.0f ms.", j->count, p->playlist_id, cached, bad,
                (double)(mono_clock() - j->started) / NS_PER_MS);
    job_free(j);
    p->measured = true;

    bt_diags d;
    bt_diags_init(&d);
    if (bt_broadcasts_check_limits(&p->model, &b->lim, BT_PLAYLIST_FILE, &d) != 0) {
        char line[BT_MAX_PATH_BYTES + BT_MAX_DIAG_MESSAGE + 64];
        bt_diags_sort(&d);
        for (size_t i = 0; i < d.count; i++)
            bt_log_error("%s", bt_diag_format(&d.items[i], line, sizeof(line)));
        bt_log_error("Playlist “%s” vượt giới hạn phát thanh của phường: không phát thanh "
                     "playlist này.", p->playlist_id);
        p->rejected = true;
    }
    bt_diags_free(&d);
}

/* Builds the plan's scheduler from the airing log's rows since `from` (the store's and those
 * waiting in the writer's journal). Only when nothing airs: an attempt still on air would
 * otherwise be missing from the history it is built from. */
static void build_schedule(bt_broadcaster *b, plan *p, bt_wall from, const bt_airing_row *rows,
                           size_t n, bool ok)
{
    /* Slots older than the history we read are not ours: their rows were not loaded, and
     * without this they would look unrecorded and be logged missed a second time. */
    bt_wall since = p->active_since > from ? p->active_since : from;
    if (bt_schedule_create(&p->model, &b->lim, since, bt_audio_chime_seconds(b->audio),
                           &p->sched) != 0) {
        bt_log_error("Không đủ bộ nhớ cho lịch phát thanh.");
        return;
    }
    bt_schedule_set_validity(p->sched, p->validity);
    if (!ok)
        bt_log_error("Không đọc được nhật ký phát thanh; lịch phát bắt đầu không có lịch sử.");
    if (!ok || feed_history(p, rows, n) != 0)
        bt_log_warn("Lịch sử phát thanh chưa đầy đủ; lịch phát có thể bỏ sót buổi cần phát bù.");
}

/* ---- create / destroy / playlist ---------------------------------------------------------- */

int bt_broadcaster_create(const bt_broadcaster_config *cfg, bt_broadcaster **out, char *err,
                          size_t err_size)
{
    *out = NULL;
    if (!cfg || (!cfg->writer && !cfg->store_path) || !cfg->cfg) {
        bt_set_error(err, err_size, "Thiếu cấu hình cho phát thanh.");
        return -1;
    }
    if (sodium_init() < 0) {
        bt_set_error(err, err_size, "Không khởi động được libsodium.");
        return -1;
    }
    bt_broadcaster *b = calloc(1, sizeof(*b));
    if (!b || (cfg->store_path && !(b->store_path = dup_str(cfg->store_path)))) {
        bt_set_error(err, err_size, "Không đủ bộ nhớ cho phát thanh.");
        goto fail;
    }
    b->wake = cfg->wake;
    b->wake_ctx = cfg->wake_ctx;
    b->gap_reason = BT_MISS_OFF;
    b->next_tag = 1;
    bt_config_broadcast_limits(cfg->cfg, &b->lim);
    b->loudness_target = cfg->cfg->broadcast_loudness_target;

    /* Opening a writer closes, before anything airs, the airings a crash left open (after the
     * rows an earlier run could not write: bt_store_writer.h). */
    b->writer = cfg->writer;
    if (!b->writer) {
        bt_store_writer_config wc = {cfg->store_path, NULL, cfg->wake, cfg->wake_ctx};
        if (bt_store_writer_open(&wc, &b->writer, err, err_size) != 0)
            goto fail;
        b->own_writer = true;
    }

    const bt_config *c = cfg->cfg;
    char chime[BT_MAX_PATH_BYTES + 32];
    bt_audio_config ac;
    memset(&ac, 0, sizeof(ac));
    ac.device = c->broadcast_audio_device;
    ac.chime_path = bt_config_chime_path(c, chime, sizeof(chime));
    ac.loudness_target_lufs = c->broadcast_loudness_target;
    ac.volume_percent = c->broadcast_volume;
    ac.amp_on_command = c->broadcast_amp_on_command;
    ac.amp_warmup_ms = c->broadcast_amp_warmup_ms;
    ac.amp_off_command = c->broadcast_amp_off_command;
    ac.no_device = cfg->no_device;
    ac.notify = cfg->wake;
    ac.notify_ctx = cfg->wake_ctx;
    /* The chime's loudness comes from the measuring child with the first playlist's items, so
     * the kiosk's own process never loads libebur128 for it (audio/audio_module.h). */
    ac.chime_loudness_later = true;
    /* Compressed items are decoded in a child (bt_decode_isolated.h): the device stays SDL's all
     * day and SDL2_mixer is never mapped here. Without the program to run (tests linking the
     * rooms), only WAV plays on a device. */
    if (bt_measure_executable())
        ac.decode_elsewhere = bt_decode_isolated;
    if (ac.chime_path && ac.chime_path[0] && !(b->chime_path = dup_str(ac.chime_path))) {
        bt_set_error(err, err_size, "Không đủ bộ nhớ cho bộ phát thanh.");
        goto fail;
    }
    if (bt_audio_open(&ac, &b->audio, err, err_size) != 0)
        goto fail;
    *out = b;
    return 0;

fail:
    if (b) {
        if (b->own_writer)
            bt_store_writer_close(b->writer);
        free(b->store_path);
        free(b->chime_path);
    }
    free(b);
    return -1;
}

int bt_broadcaster_set_playlist(bt_broadcaster *b, const char *playlist_id, int version,
                                const bt_broadcasts *broadcasts, const char *dir,
                                bt_wall active_since, bt_validity validity)
{
    if (!b || !playlist_id || !broadcasts || !dir)
        return -1;
    plan *p = calloc(1, sizeof(*p));
    if (!p)
        return -1;
    p->playlist_id = dup_str(playlist_id);
    p->dir = dup_str(dir);
    p->problem = calloc(broadcasts->item_count ? broadcasts->item_count : 1, sizeof(char *));
    if (!p->playlist_id || !p->dir || !p->problem) {
        free(p->playlist_id);
        free(p->dir);
        free(p->problem);
        free(p);
        return -1;
    }
    p->version = version;
    p->active_since = active_since;
    p->validity = validity;
    if (copy_broadcasts(broadcasts, &p->model) != 0) {
        plan_free(p);
        return -1;
    }

    if (b->job) {
        /* A newer playlist replaces one still being measured. Its worker may be waiting for a
         * session to stop sounding (bt_loudness.h): never wait for it here, reap it later. */
        SDL_AtomicSet(&b->job->cancel, 1);
        b->job->p = NULL;
        b->job->next = b->retired;
        b->retired = b->job;
        b->job = NULL;
    }
    plan_free(b->pending);
    b->pending = p;
    if (p->model.session_count == 0) {
        p->measured = true; /* nothing to air: no need to decode anything */
        return 0;
    }
    if (job_start(b, p) != 0) {
        bt_log_error("Không đo được âm thanh của playlist “%s”: không phát thanh.", playlist_id);
        p->measured = true;
        p->rejected = true;
    }
    return 0;
}

/* ---- the attempt on air ------------------------------------------------------------------- */

/* Rows written now can be believed unless the clock is in doubt or jumped during the attempt. */
static bool rows_trusted(const bt_broadcaster *b)
{
    return !b->clock_untrusted && !b->cur.untrusted;
}

/* FAILED rows for the session's items from `first` on, one each, reason `why` with the item's
 * own problem (measurement) or detail_all. */
static void write_failed_rows(bt_broadcaster *b, const plan *p, bt_slot slot, size_t first,
                              bt_miss_reason why, const char *detail_all)
{
    size_t count = p->model.sessions[slot.session].item_count;
    for (size_t k = first; k < count; k++) {
        char reason[BT_AIRING_REASON_BYTES];
        const char *problem = why == BT_MISS_PLAYBACK
                                  ? p->problem[p->model.sessions[slot.session].items[k]]
                                  : NULL;
        reason_text(reason, sizeof(reason), why, problem ? problem : detail_all);
        bt_airing_subject subj;
        fill_subject(p, slot, k, &subj);
        if (bt_store_writer_record(b->writer, &subj, BT_AIRING_FAILED, reason,
                                   rows_trusted(b)) != 0)
            bt_log_error("Hết bộ nhớ: không ghi được nhật ký phát thanh (tin “%s”).",
                         subj.item_id);
    }
}

/* Why a session cannot go to the engine (an item failed measurement), or NULL. */
static const char *session_problem(const plan *p, size_t session, size_t first, size_t *bad_item)
{
    const bt_broadcast_session *s = &p->model.sessions[session];
    for (size_t k = first; k < s->item_count; k++) {
        if (p->problem[s->items[k]]) {
            *bad_item = s->items[k];
            return p->problem[s->items[k]];
        }
    }
    return NULL;
}

/* How long before its deadline a session must go to the engine. */
static int session_lead_ms(const bt_broadcaster *b, const plan *p, size_t session, size_t first)
{
    size_t bad;
    if (!bt_audio_has_device(b->audio) || session_problem(p, session, first, &bad))
        return 0; /* it fails at once: log it at its time, not ahead of it */
    double seconds = bt_broadcast_session_seconds(&p->model, session, first) +
                     2 * bt_audio_chime_seconds(b->audio);
    return bt_audio_lead_ms(b->audio, seconds) + ARM_MARGIN_MS;
}

static int record_attempt(bt_broadcaster *b, const bt_slot_record *r)
{
    if (bt_schedule_record(b->active->sched, r) != 0) {
        char label[BT_MAX_TITLE_BYTES + 64];
        slot_label(b->active, r->slot, label, sizeof(label));
        bt_log_error("Không đủ bộ nhớ cho lịch sử phát thanh: lịch phát không ghi nhận phiên %s "
                     "(%s), nên có thể phát lại hoặc ghi bỏ lỡ phiên này lần nữa cho đến khi "
                     "khởi động lại.", label, bt_attempt_status_name(r->status));
        return -1;
    }
    return 0;
}

/* The attempt ends before it went to the engine or before anything sounded: its pre-written
 * start row (if any) ends FAILED with why, the items after it get FAILED rows when `record`,
 * and the scheduler learns of a failed attempt when `record` (else it decides again as if the
 * session had never been armed). */
static void abandon_attempt(bt_broadcaster *b, bt_miss_reason why, const char *detail,
                            bool record)
{
    attempt *a = &b->cur;
    plan *p = b->active;
    char reason[BT_AIRING_REASON_BYTES];
    reason_text(reason, sizeof(reason), why, detail);
    if (a->airing_id[0] &&
        bt_store_writer_end(b->writer, a->airing_id[0], BT_AIRING_FAILED, reason, 0, -1,
                            rows_trusted(b)) != 0)
        bt_log_error("Hết bộ nhớ: không ghi được kết thúc của lần phát.");
    bt_slot_record r = {a->slot, BT_ATTEMPT_FAILED, why, b->tick_wall_ms / 1000, a->first_item,
                        a->makeup};
    if (record)
        write_failed_rows(b, p, a->slot, a->first_item + (a->airing_id[0] ? 1 : 0), why, detail);
    memset(a, 0, sizeof(*a));
    set_now_playing(b, NULL);
    if (record)
        record_attempt(b, &r);
}

/* Hands the armed attempt to the engine, its first sound at its deadline. */
static void launch(bt_broadcaster *b)
{
    attempt *a = &b->cur;
    plan *p = b->active;
    const bt_broadcast_session *s = &p->model.sessions[a->slot.session];
    a->arming = false;
    bt_audio_item items[BT_MAX_SESSION_ITEMS];
    char paths[BT_MAX_SESSION_ITEMS][BT_MAX_PATH_BYTES + 1];
    for (size_t i = 0; i < a->count; i++) {
        const bt_broadcast_item *it = &p->model.items[s->items[a->first_item + i]];
        bt_broadcast_item_file(p->dir, it, paths[i], sizeof(paths[i]));
        items[i].path = paths[i];
        items[i].loudness_lufs = it->loudness_lufs;
        items[i].sha256 = it->sha256;
    }
    bt_audio_session as = {items, a->count, true, a->deadline_mono};
    char err[512] = "";
    if (bt_audio_start(b->audio, &as, a->tag, err, sizeof(err)) == 0)
        return;
    char label[BT_MAX_TITLE_BYTES + 64];
    slot_label(p, a->slot, label, sizeof(label));
    bt_log_error("Không bắt đầu được phiên %s: %s", label, err);
    abandon_attempt(b, BT_MISS_PLAYBACK, err, true);
}

/* The start row of the armed attempt's first item is in the store, in the journal (an
 * emergency), or was refused. Only a durable row lets a normal or priority session air. */
static void start_row_written(void *ctx, const bt_write_result *r)
{
    bt_broadcaster *b = ctx;
    attempt *a = &b->cur;
    if (!a->on || a->airing_id[0] != r->token)
        return;
    char label[BT_MAX_TITLE_BYTES + 64];
    slot_label(b->active, a->slot, label, sizeof(label));
    if (r->outcome != BT_WRITE_STORED) {
        snprintf(b->problem, sizeof(b->problem), "%s phiên %s: không ghi được nhật ký (%s)",
                 a->emergency ? "Đã phát (ghi vào nhật ký chờ)" : "Không phát", label,
                 r->problem);
        bt_log_error("%s.", b->problem);
    }
    if (!a->arming)
        return; /* an emergency: on air already */
    if (r->outcome == BT_WRITE_REFUSED) {
        a->airing_id[0] = 0; /* nothing was written to end */
        abandon_attempt(b, BT_MISS_STORE, r->problem, true);
        return;
    }
    if (a->stopping) {
        /* Cut before it went to the engine (a clock jump, an emergency, shutdown): it never
         * sounded, and the scheduler decides about it again. */
        bt_miss_reason why = a->stop_reason != BT_MISS_NONE ? a->stop_reason
                                                            : BT_MISS_CLOCK_JUMP;
        abandon_attempt(b, why, "bị hủy trước khi phát", false);
        return;
    }
    int64_t late_ms = (b->tick_mono - a->deadline_mono) / NS_PER_MS;
    if (late_ms > LATE_START_MS) {
        char detail[160];
        snprintf(detail, sizeof(detail), "ghi nhật ký xong trễ %lld ms so với giờ phát",
                 (long long)late_ms);
        bt_log_error("Phiên %s không phát: %s.", label, detail);
        abandon_attempt(b, BT_MISS_STORE, detail, true);
        return;
    }
    b->problem[0] = '\0';
    launch(b);
}

/* Arms the session with its first sound at deadline_mono (or logs why it cannot air): its first
 * item's start row is written first, and only a durable row sends it to the engine
 * (start_row_written); an emergency goes to the engine at once. now: this tick's wall second. */
static void start_attempt(bt_broadcaster *b, bt_slot slot, size_t first, bool makeup,
                          bt_mono_ns deadline_mono, bt_wall now)
{
    plan *p = b->active;
    const bt_broadcast_session *s = &p->model.sessions[slot.session];
    char label[BT_MAX_TITLE_BYTES + 64];
    slot_label(p, slot, label, sizeof(label));
    if (first >= s->item_count)
        first = 0;
    attempt *a = &b->cur;
    memset(a, 0, sizeof(*a));
    a->on = true;
    a->tag = b->next_tag++;
    a->slot = slot;
    a->makeup = makeup;
    a->first_item = first;
    a->count = s->item_count - first;
    a->deadline = slot.scheduled > now ? slot.scheduled : now;
    a->deadline_mono = deadline_mono;
    a->emergency = bt_broadcast_session_priority(&p->model, slot.session) ==
                   BT_BROADCAST_EMERGENCY;
    size_t bad = 0;
    const char *problem = session_problem(p, slot.session, first, &bad);
    if (problem) {
        bt_log_error("Phiên %s không phát được: tin “%s” lỗi (%s).", label, p->model.items[bad].id,
                     problem);
        char err[BT_MAX_ID_BYTES + 64];
        snprintf(err, sizeof(err), "phiên không phát được vì tin “%s” lỗi", p->model.items[bad].id);
        abandon_attempt(b, BT_MISS_PLAYBACK, err, true);
        return;
    }
    bt_log_info("Phiên %s%s: chuẩn bị phát %zu tin từ tin thứ %zu.", label,
                makeup ? " (phát bù)" : "", a->count, first + 1);
    if (!bt_audio_has_device(b->audio)) {
        launch(b); /* fails at once: its rows say "no-device" */
        return;
    }
    bt_airing_subject subj;
    fill_subject(p, slot, first, &subj);
    a->planned_ms = wall_of(b, deadline_mono) +
                    (int64_t)llround(bt_audio_chime_seconds(b->audio) * 1000.0);
    a->arming = true;
    a->airing_id[0] = bt_store_writer_begin(b->writer, &subj, a->planned_ms, rows_trusted(b),
                                            !a->emergency, start_row_written, b);
    if (!a->airing_id[0]) {
        abandon_attempt(b, BT_MISS_STORE, "hết bộ nhớ", true);
        return;
    }
    if (a->emergency)
        launch(b); /* always airs; its rows go to the journal if the store refuses them */
}

/* Writes the MISSED rows of a slot that never started (one per item) and records it. */
static void write_missed(bt_broadcaster *b, bt_slot slot, bt_miss_reason reason, bt_wall now)
{
    plan *p = b->active;
    size_t count = p->model.sessions[slot.session].item_count;
    char code[BT_AIRING_REASON_BYTES];
    reason_text(code, sizeof(code), reason, NULL);
    /* A slot jumped over by the clock happened at a time nobody can vouch for. */
    bool trusted = reason != BT_MISS_CLOCK_JUMP && reason != BT_MISS_CLOCK_UNTRUSTED &&
                   !b->clock_untrusted;
    for (size_t k = 0; k < count; k++) {
        bt_airing_subject subj;
        fill_subject(p, slot, k, &subj);
        if (bt_store_writer_record(b->writer, &subj, BT_AIRING_MISSED, code, trusted) != 0)
            bt_log_error("Hết bộ nhớ: không ghi được nhật ký phát thanh (tin “%s”).",
                         subj.item_id);
    }
    char label[BT_MAX_TITLE_BYTES + 64];
    slot_label(p, slot, label, sizeof(label));
    bt_log_warn("Bỏ lỡ phiên %s: %s.", label, bt_vi_miss_reason(reason));
    bt_slot_record r = {slot, BT_ATTEMPT_MISSED, reason, now, 0, false};
    record_attempt(b, &r);
}

/* Stops the session on air. reason NONE: nothing has sounded, leave no trace. An emergency
 * cutting in takes the amplifier over as it is (no off/on cycle, no second warm-up). A session
 * still waiting for its start row is stopped when the row's result comes back. */
static void stop_attempt(bt_broadcaster *b, bt_miss_reason reason)
{
    attempt *a = &b->cur;
    if (!a->on || a->stopping)
        return;
    a->stopping = true;
    a->stop_reason = a->sounded || a->arming ? reason : BT_MISS_NONE;
    if (a->arming)
        return;
    if (reason == BT_MISS_EMERGENCY)
        bt_audio_stop_and_hold(b->audio);
    else
        bt_audio_stop(b->audio);
}

/* Writes the end row of item i of the attempt on air. An item whose start row was never asked
 * for (token 0) has nothing to end. */
static void end_airing(bt_broadcaster *b, size_t i, bt_airing_status status, const char *reason,
                       int64_t ended_ms, int64_t duration_ms, bool trusted, const char *item_id)
{
    uint64_t token = b->cur.airing_id[i];
    if (token &&
        bt_store_writer_end(b->writer, token, status, reason, ended_ms, duration_ms, trusted) != 0)
        bt_log_error("Hết bộ nhớ: không ghi được kết thúc lần phát (tin “%s”, %s): lần phát còn "
                     "mở, lần khởi động sau sẽ ghi là bị ngắt do sự cố.", item_id,
                     bt_airing_status_label(status));
}

static void finish_attempt(bt_broadcaster *b, bt_wall now)
{
    attempt *a = &b->cur;
    plan *p = b->active;
    attempt_row rows[BT_MAX_SESSION_ITEMS];
    size_t n = 0;
    if (a->airing_id[0] && !a->have[0]) {
        /* Its first item's row was written before any sound, and the engine never started it
         * (cut before its time, or the engine could not): the row must not stay open. */
        bt_miss_reason why = a->stop_reason != BT_MISS_NONE ? a->stop_reason
                             : a->stopping                  ? BT_MISS_CLOCK_JUMP
                                                            : BT_MISS_PLAYBACK;
        char reason[BT_AIRING_REASON_BYTES];
        reason_text(reason, sizeof(reason), why, "không phát được tin nào");
        end_airing(b, 0, BT_AIRING_FAILED, reason, 0, -1, rows_trusted(b),
                   p->model.items[p->model.sessions[a->slot.session].items[a->first_item]].id);
    }
    for (size_t i = 0; i < a->count; i++) {
        if (!a->have[i])
            continue;
        if (a->rows[i].status == BT_AIRING_AIRING) {
            /* The engine always ends what it started; if it did not, do not leave it open. */
            char reason[BT_AIRING_REASON_BYTES];
            reason_text(reason, sizeof(reason), BT_MISS_PLAYBACK, "không rõ kết thúc");
            const bt_broadcast_session *s = &p->model.sessions[a->slot.session];
            end_airing(b, i, BT_AIRING_INTERRUPTED, reason, 0, -1, false,
                       p->model.items[s->items[a->rows[i].position]].id);
            a->rows[i].status = BT_AIRING_INTERRUPTED;
            a->rows[i].reason = BT_MISS_PLAYBACK;
        }
        rows[n++] = a->rows[i];
    }
    if (n > 0) {
        bt_slot_record r;
        condense_attempt(rows, n, p->model.sessions[a->slot.session].item_count, a->slot,
                         a->makeup, now, &r);
        record_attempt(b, &r);
        char label[BT_MAX_TITLE_BYTES + 64];
        slot_label(p, a->slot, label, sizeof(label));
        bt_log_info("Phiên %s kết thúc: %s%s%s.", label, bt_vi_attempt_status(r.status),
                    r.reason != BT_MISS_NONE ? ", " : "",
                    r.reason != BT_MISS_NONE ? bt_vi_miss_reason(r.reason) : "");
    }
    memset(a, 0, sizeof(*a));
    set_now_playing(b, NULL);
}

static void on_event(bt_broadcaster *b, const bt_audio_event *ev, bt_wall now)
{
    attempt *a = &b->cur;
    plan *p = b->active;
    if (!a->on || ev->session_tag != a->tag)
        return; /* a session we already gave up on */
    if (ev->kind == BT_AUDIO_SESSION_ENDED) {
        finish_attempt(b, now);
        return;
    }
    const bt_broadcast_session *s = &p->model.sessions[a->slot.session];
    bool timed = ev->kind == BT_AUDIO_STARTED || ev->kind == BT_AUDIO_ENDED ||
                 ev->kind == BT_AUDIO_INTERRUPTED;
    if (timed && !a->sounded) {
        a->sounded = true;
        a->first_sound = ev->mono;
        /* Measured on the monotonic clock against the deadline it was armed for, which a wall
         * clock jump cannot move; a make-up's own slot lies hours back. */
        bt_log_info("Phiên “%s”%s bắt đầu, lệch %+lld ms so với giờ đã định.", s->name,
                    a->makeup ? " (phát bù)" : "",
                    (long long)((ev->mono - a->deadline_mono) / NS_PER_MS));
    }
    /* Times inside a session come from its frame count (sample-exact, gapless), not from each
     * event's own estimate, which jitters by an audio buffer. */
    bt_mono_ns mono = timed ? a->first_sound + ev->frame * 1000000000LL / BT_AUDIO_RATE
                            : ev->mono;
    if (ev->item < 0) { /* the chime */
        if (ev->kind == BT_AUDIO_STARTED) {
            set_now_playing(b, s->name);
        } else if (ev->kind != BT_AUDIO_CANCELLED && ev->kind != BT_AUDIO_FAILED) {
            set_now_playing(b, NULL);
        }
        return;
    }
    size_t i = (size_t)ev->item;
    if (i >= a->count)
        return;
    size_t position = a->first_item + i;
    const bt_broadcast_item *it = &p->model.items[s->items[position]];
    attempt_row *row = &a->rows[i];
    bool trusted = rows_trusted(b);
    int64_t at_ms = wall_of(b, mono);
    /* The first item's start row was written before any sound (start_attempt). */
    bool prewritten = i == 0 && a->airing_id[0] && !a->have[0];
    char reason[BT_AIRING_REASON_BYTES];
    bt_airing_subject subj;
    switch (ev->kind) {
    case BT_AUDIO_STARTED:
        if (prewritten) {
            if (llabs(at_ms - a->planned_ms) > BT_APP_CLOCK_SLACK_MS)
                bt_log_warn("Tin “%s” bắt đầu lúc khác giờ đã ghi trong nhật ký %+lld ms.", it->id,
                            (long long)(at_ms - a->planned_ms));
        } else {
            fill_subject(p, a->slot, position, &subj);
            a->airing_id[i] = bt_store_writer_begin(b->writer, &subj, at_ms, trusted, false,
                                                    NULL, NULL);
            if (!a->airing_id[i])
                bt_log_error("Hết bộ nhớ: không ghi được nhật ký phát thanh (tin “%s”).",
                             it->id);
        }
        a->item_start[i] = mono;
        a->have[i] = true;
        *row = (attempt_row){position, BT_AIRING_AIRING, BT_MISS_NONE, at_ms, 0};
        set_airing(b, it, mono);
        break;
    case BT_AUDIO_ENDED:
    case BT_AUDIO_INTERRUPTED: {
        bool done = ev->kind == BT_AUDIO_ENDED;
        bt_miss_reason why = a->stopping && a->stop_reason != BT_MISS_NONE ? a->stop_reason
                                                                           : BT_MISS_PLAYBACK;
        reason_text(reason, sizeof(reason), why, a->stopping ? NULL : ev->reason);
        /* What sounded, counted by the audio clock in frames: exact, and as immune to a wall
         * clock change as the monotonic clock (event times jitter by a buffer). */
        int64_t duration = ev->frames > 0 ? ev->frames * 1000 / BT_AUDIO_RATE
                           : a->have[i]   ? (mono - a->item_start[i]) / NS_PER_MS
                                          : -1;
        end_airing(b, i, done ? BT_AIRING_COMPLETED : BT_AIRING_INTERRUPTED,
                   done ? NULL : reason, at_ms, duration, trusted, it->id);
        a->have[i] = true;
        row->position = position;
        row->status = done ? BT_AIRING_COMPLETED : BT_AIRING_INTERRUPTED;
        row->reason = done ? BT_MISS_NONE : why;
        row->ended_ms = at_ms;
        set_now_playing(b, done ? s->name : NULL); /* the next item or the chime follows */
        break;
    }
    case BT_AUDIO_FAILED: {
        bool no_device = strcmp(ev->reason, BT_AUDIO_NO_DEVICE_REASON) == 0;
        bt_miss_reason why = no_device ? BT_MISS_NO_DEVICE : BT_MISS_PLAYBACK;
        reason_text(reason, sizeof(reason), why, no_device ? NULL : ev->reason);
        if (prewritten) {
            end_airing(b, i, BT_AIRING_FAILED, reason, 0, -1, trusted, it->id);
        } else {
            fill_subject(p, a->slot, position, &subj);
            if (bt_store_writer_record(b->writer, &subj, BT_AIRING_FAILED, reason, trusted) != 0)
                bt_log_error("Hết bộ nhớ: không ghi được nhật ký phát thanh (tin “%s”).",
                             it->id);
        }
        a->have[i] = true;
        *row = (attempt_row){position, BT_AIRING_FAILED, why, 0, 0};
        break;
    }
    case BT_AUDIO_CANCELLED:
        /* Cancelled before anything sounded: the session never aired, no row (see top). */
        if (!a->sounded || a->stop_reason == BT_MISS_NONE)
            break;
        reason_text(reason, sizeof(reason), a->stop_reason, NULL);
        a->have[i] = true;
        if (prewritten) {
            /* Its start row exists: the session was cut before this item's turn. */
            end_airing(b, i, BT_AIRING_INTERRUPTED, reason, at_ms, 0, trusted, it->id);
            *row = (attempt_row){position, BT_AIRING_INTERRUPTED, a->stop_reason, 0, at_ms};
            break;
        }
        fill_subject(p, a->slot, position, &subj);
        if (bt_store_writer_record(b->writer, &subj, BT_AIRING_MISSED, reason, trusted) != 0)
            bt_log_error("Hết bộ nhớ: không ghi được nhật ký phát thanh (tin “%s”).", it->id);
        *row = (attempt_row){position, BT_AIRING_MISSED, a->stop_reason, 0, 0};
        break;
    default:
        break;
    }
}

static void drain_events(bt_broadcaster *b, bt_wall now)
{
    bt_audio_event ev;
    while (bt_audio_poll(b->audio, &ev))
        on_event(b, &ev, now);
}

/* ---- clock trust -------------------------------------------------------------------------- */

/* The wall clock against the log's last row, once at start. Across a power cycle there is no
 * monotonic reference, so a clock set back while the appliance was off (a flat RTC battery, a
 * wrong manual setting) shows only as "now" before what was already logged. It is logged as a
 * clock event, so `bangtin log` and the reports show why times look wrong; aired slots stay in
 * the history, so nothing airs twice. */
typedef struct {
    bt_broadcaster *b;
    int64_t wall_ms, last_ms;
    bt_mono_ns mono;
    int rc;
} start_check;

static void start_check_run(bt_store *s, void *arg)
{
    start_check *c = arg;
    c->rc = bt_airing_last_time_ms(s, &c->last_ms);
}

static void start_check_done(void *arg)
{
    start_check *c = arg;
    bt_broadcaster *b = c->b;
    int64_t wall_ms = c->wall_ms, last_ms = c->last_ms;
    bt_mono_ns mono = c->mono;
    bool behind = c->rc == 0 && last_ms - wall_ms > BT_APP_CLOCK_SLACK_MS;
    free(c);
    if (!behind)
        return;
    bt_clock_event ce;
    memset(&ce, 0, sizeof(ce));
    ce.detected_at_ms = wall_ms;
    ce.jump_ms = wall_ms - last_ms;
    ce.mono = mono;
    snprintf(ce.note, sizeof(ce.note),
             "lúc khởi động, đồng hồ sớm hơn dòng cuối của nhật ký %.0f giây (bị chỉnh lùi khi "
             "máy tắt?)",
             (double)(last_ms - wall_ms) / 1000.0);
    if (bt_store_writer_clock_event(b->writer, &ce) != 0)
        bt_log_error("Hết bộ nhớ: không ghi được sự kiện đồng hồ vào nhật ký.");
    bt_log_warn("Đồng hồ hệ thống: %s. Hãy kiểm tra ngày giờ và pin đồng hồ của máy.", ce.note);
}

/* Asks the writer for the log's last time (after every row before it), compared when read. */
static void check_clock_at_start(bt_broadcaster *b, int64_t wall_ms, bt_mono_ns mono)
{
    start_check *c = calloc(1, sizeof(*c));
    if (!c)
        return;
    *c = (start_check){b, wall_ms, 0, mono, -1};
    if (bt_store_writer_query(b->writer, start_check_run, start_check_done, c) != 0)
        free(c);
}

static void sample_clock(bt_broadcaster *b, int64_t wall_ms, bt_mono_ns mono)
{
    bt_clock_sample cur = {wall_ms / 1000, mono};
    if (!b->sampled) {
        b->sampled = true;
        b->awake_since = cur.wall;
        b->gap_reason = BT_MISS_OFF;
        check_clock_at_start(b, wall_ms, mono);
    } else {
        bt_clock_jump j = bt_clock_check(b->last, cur);
        if (j.kind != BT_CLOCK_STEADY) {
            int64_t skew = (wall_ms - b->last_wall_ms) - (mono - b->last.mono) / NS_PER_MS;
            bt_clock_event ce;
            memset(&ce, 0, sizeof(ce));
            ce.detected_at_ms = wall_ms;
            ce.jump_ms = skew;
            ce.mono = mono;
            snprintf(ce.note, sizeof(ce.note), "đồng hồ %s %.1f giây%s",
                     j.kind == BT_CLOCK_FORWARD ? "nhảy tới" : "lùi lại",
                     fabs((double)skew) / 1000.0,
                     b->cur.on && b->cur.sounded ? " trong lúc đang phát" : "");
            if (bt_store_writer_clock_event(b->writer, &ce) != 0)
                bt_log_error("Hết bộ nhớ: không ghi được sự kiện đồng hồ vào nhật ký.");
            bt_log_warn("Đồng hồ hệ thống bị chỉnh: %s.", ce.note);
            /* Slots the jump passed over are missed (not aired in a burst); aired slots stay in
             * the history, so a backward jump airs nothing twice. */
            b->awake_since = cur.wall;
            b->gap_reason = BT_MISS_CLOCK_JUMP;
            if (b->cur.on) {
                if (b->cur.sounded)
                    b->cur.untrusted = true;
                else
                    stop_attempt(b, BT_MISS_NONE); /* armed for a wall time that moved */
            }
            /* A clock set back by more than the slack shows hours that already passed: until
             * the kiosk's check (bt_broadcaster_set_clock_trusted) finds it believable again,
             * nothing is made up or aired at them. */
            if (j.kind == BT_CLOCK_BACKWARD && -skew > BT_APP_CLOCK_SLACK_MS &&
                !b->clock_untrusted) {
                b->clock_untrusted = true;
                bt_log_warn("Đồng hồ bị chỉnh lùi: tạm dừng phát thanh theo lịch cho đến khi "
                            "ngày giờ được xác nhận đúng.");
            }
        }
    }
    b->last = cur;
    b->last_wall_ms = wall_ms;
}

/* ---- deciding ----------------------------------------------------------------------------- */

static void input_at(const bt_broadcaster *b, bt_wall now, bt_schedule_input *in)
{
    memset(in, 0, sizeof(*in));
    in->now = now;
    in->awake_since = b->awake_since;
    in->gap_reason = b->gap_reason;
    in->airing = b->cur.on;
    in->airing_slot = b->cur.slot;
}

/* Looks ahead from a WAIT: arms the session that will start at the next decision time if its
 * lead time has come (true: it did); lowers *wake_at_ms to when to look again. */
static bool look_ahead(bt_broadcaster *b, bt_wall next_check, int64_t now_ms, bt_mono_ns mono,
                       int64_t *wake_at_ms)
{
    plan *p = b->active;
    bt_wall look = next_check;
    for (int k = 0; k < 4 && look != BT_WALL_NEVER; k++) {
        int64_t look_ms = look * 1000;
        if (look_ms - now_ms > LOOKAHEAD_MS) {
            if (look_ms - LOOKAHEAD_MS < *wake_at_ms)
                *wake_at_ms = look_ms - LOOKAHEAD_MS;
            return false;
        }
        bt_schedule_input in;
        bt_schedule_decision d;
        input_at(b, look, &in);
        in.airing = false;
        if (bt_schedule_decide(p->sched, &in, &d) != 0 || d.missed_count > 0)
            return false;
        if (d.action == BT_SCHEDULE_START) {
            int64_t arm_at = look_ms - session_lead_ms(b, p, d.start.session, d.first_item);
            if (now_ms >= arm_at) {
                bt_mono_ns deadline = mono + (look_ms - now_ms) * NS_PER_MS;
                start_attempt(b, d.start, d.first_item, d.makeup, deadline, now_ms / 1000);
                return true;
            }
            if (arm_at < *wake_at_ms)
                *wake_at_ms = arm_at;
            return false;
        }
        if (d.action != BT_SCHEDULE_WAIT || d.next_check <= look)
            return false;
        look = d.next_check;
    }
    return false;
}

/* One decision and what follows from it. Returns true if something changed (decide again). */
static bool decide_and_act(bt_broadcaster *b, int64_t now_ms, bt_mono_ns mono,
                           int64_t *wake_at_ms)
{
    plan *p = b->active;
    bt_wall now = now_ms / 1000;
    bt_schedule_input in;
    bt_schedule_decision d;
    input_at(b, now, &in);
    if (bt_schedule_decide(p->sched, &in, &d) != 0) {
        bt_log_error("Lịch phát thanh từ chối quyết định lúc %lld.", (long long)now);
        return false;
    }
    if (b->clock_untrusted) {
        /* No slot is due at an hour nobody can vouch for; once the time is right the slots that
         * passed meanwhile are logged missed ("clock-untrusted"). Only an emergency airs. */
        if (d.action == BT_SCHEDULE_START && !b->cur.on &&
            bt_broadcast_session_priority(&p->model, d.start.session) == BT_BROADCAST_EMERGENCY) {
            start_attempt(b, d.start, d.first_item, d.makeup, mono, now);
            return true;
        }
        if (d.action == BT_SCHEDULE_INTERRUPT)
            stop_attempt(b, BT_MISS_EMERGENCY);
        *wake_at_ms = now_ms + BT_BROADCASTER_IDLE_MS;
        return false;
    }
    if (d.missed_count > 0) {
        for (size_t i = 0; i < d.missed_count; i++) {
            if (b->misses_left <= 0) {
                *wake_at_ms = now_ms; /* the rest on the next tick, after a frame */
                return false;
            }
            b->misses_left--;
            write_missed(b, d.missed[i].slot, d.missed[i].reason, now);
        }
        return true;
    }
    if (d.action == BT_SCHEDULE_INTERRUPT) {
        char label[BT_MAX_TITLE_BYTES + 64];
        slot_label(p, d.start, label, sizeof(label));
        if (!b->cur.stopping)
            bt_log_warn("Bản tin khẩn cấp %s: ngắt phiên đang phát.", label);
        stop_attempt(b, BT_MISS_EMERGENCY);
        return false; /* the engine's SESSION_ENDED wakes us; then the emergency starts */
    }
    if (d.action == BT_SCHEDULE_START && !b->cur.on) {
        start_attempt(b, d.start, d.first_item, d.makeup, mono, now);
        return true;
    }
    if (d.next_check != BT_WALL_NEVER && d.next_check * 1000 < *wake_at_ms)
        *wake_at_ms = d.next_check * 1000;
    return !b->cur.on && look_ahead(b, d.next_check, now_ms, mono, wake_at_ms);
}

static void reap_retired(bt_broadcaster *b, bool wait)
{
    measure_job **link = &b->retired;
    while (*link) {
        measure_job *j = *link;
        if (wait || SDL_AtomicGet(&j->done)) {
            *link = j->next;
            job_cancel(j);
            job_free(j);
        } else {
            link = &j->next;
        }
    }
}

static void install_pending(bt_broadcaster *b)
{
    plan_free(b->active);
    b->active = b->pending;
    b->pending = NULL;
}

/* The history the pending plan asked for (maybe_install), read by the writer after every row
 * asked for before it. */
static void history_read(void *ctx, const bt_airing_row *rows, size_t n, bool ok)
{
    bt_broadcaster *b = ctx;
    b->history_asked = false;
    plan *p = b->pending;
    if (!p || !p->measured || p->rejected || b->cur.on)
        return; /* changed meanwhile: maybe_install asks again */
    build_schedule(b, p, b->history_from, rows, n, ok);
    install_pending(b);
}

/* A measured playlist takes over when nothing of the old one is on air, once its history is
 * read (by the store's writer, so the render thread never waits for it). */
static void maybe_install(bt_broadcaster *b, bt_wall now)
{
    reap_retired(b, false);
    if (b->job && SDL_AtomicGet(&b->job->done))
        job_finish(b);
    if (!b->pending || !b->pending->measured || b->cur.on || b->history_asked)
        return;
    if (b->pending->rejected) {
        install_pending(b);
        return;
    }
    b->history_from = now - (bt_wall)BT_BROADCASTER_HISTORY_DAYS * BT_SECONDS_PER_DAY;
    b->history_asked = true;
    if (bt_store_writer_airings(b->writer, b->history_from, INT64_MAX, history_read, b) != 0) {
        b->history_asked = false;
        bt_log_error("Không đọc được nhật ký phát thanh (hết bộ nhớ); thử lại sau.");
    }
}

int bt_broadcaster_tick(bt_broadcaster *b, int64_t wall_ms, bt_mono_ns mono)
{
    if (!b)
        return BT_BROADCASTER_IDLE_MS;
    b->tick_wall_ms = wall_ms;
    b->tick_mono = mono;
    sample_clock(b, wall_ms, mono);
    bt_store_writer_poll(b->writer);
    bt_wall now = wall_ms / 1000;
    int64_t wake_at = wall_ms + BT_BROADCASTER_IDLE_MS;
    b->misses_left = BT_BROADCASTER_MISSES_PER_TICK;
    for (int round = 0; round < ROUNDS_PER_TICK; round++) {
        drain_events(b, now);
        maybe_install(b, now);
        if (!b->active || !b->active->sched)
            break;
        if (!decide_and_act(b, wall_ms, mono, &wake_at))
            break;
    }
    drain_events(b, now);
    if (b->cur.on && b->cur.stopping)
        wake_at = wall_ms + 50; /* SESSION_ENDED also wakes us; this only bounds a lost one */
    return (int)clamp_ms(wake_at - wall_ms);
}

const char *bt_broadcaster_now_playing(const bt_broadcaster *b)
{
    return b && b->now_playing[0] ? b->now_playing : NULL;
}

const bt_broadcast_item *bt_broadcaster_now_airing(const bt_broadcaster *b,
                                                   bt_mono_ns *first_sound)
{
    if (!b || !b->airing_item)
        return NULL;
    if (first_sound)
        *first_sound = b->airing_from;
    return b->airing_item;
}

bool bt_broadcaster_ready(const bt_broadcaster *b)
{
    return b && b->active && b->active->measured && !b->pending;
}

bool bt_broadcaster_busy(const bt_broadcaster *b)
{
    return b && b->cur.on;
}

bool bt_broadcaster_emergency(const bt_broadcaster *b)
{
    return b && (b->cur.on || b->cur.arming) && b->cur.emergency;
}

bool bt_broadcaster_stuck(const bt_broadcaster *b, bt_mono_ns now)
{
    return b && bt_audio_stuck(b->audio, now);
}

size_t bt_broadcaster_day(const bt_broadcaster *b, bt_day day, bt_wall now, bt_slot_view *out,
                          size_t cap)
{
    if (!b || !b->active || !b->active->sched)
        return 0;
    const bt_slot *airing = b->cur.on && b->cur.sounded ? &b->cur.slot : NULL;
    /* Where a make-up of an earlier day stands in today's list: its first item's start, as its
     * start row and the history condensed from the log say (bt_broadcaster_as_of). */
    bt_wall since = airing ? (bt_wall)(b->cur.planned_ms / 1000) : 0;
    return bt_schedule_day(b->active->sched, day, now, airing, since, out, cap);
}

void bt_broadcaster_set_clock_trusted(bt_broadcaster *b, bool trusted)
{
    if (!b || trusted == !b->clock_untrusted)
        return;
    b->clock_untrusted = !trusted;
    if (!trusted) {
        bt_log_warn("Đồng hồ của máy chưa tin được: tạm dừng phát thanh theo lịch (bản tin khẩn "
                    "cấp vẫn phát); các buổi đến giờ trong lúc này sẽ được ghi bỏ lỡ.");
        if (b->cur.on && !b->cur.sounded)
            stop_attempt(b, BT_MISS_NONE); /* armed for an hour that cannot be believed */
        else if (b->cur.on)
            b->cur.untrusted = true;
        return;
    }
    /* Slots that fell due while the clock was in doubt are missed, not aired in a burst. */
    b->awake_since = b->tick_wall_ms / 1000;
    b->gap_reason = BT_MISS_CLOCK_UNTRUSTED;
    bt_log_info("Đồng hồ của máy đã đúng trở lại: phát thanh theo lịch tiếp tục.");
}

const char *bt_broadcaster_problem(const bt_broadcaster *b)
{
    return b && b->problem[0] ? b->problem : NULL;
}

const bt_broadcasts *bt_broadcaster_model(const bt_broadcaster *b)
{
    return b && b->active ? &b->active->model : NULL;
}

void bt_broadcaster_destroy(bt_broadcaster *b)
{
    if (!b)
        return;
    if (b->cur.on) {
        /* Shutting down mid-session: what was cut is logged now, not left to crash recovery. */
        stop_attempt(b, BT_MISS_OFF);
        bt_mono_ns give_up = mono_clock() +
                             (bt_mono_ns)(BT_AUDIO_DEFAULT_HOOK_TIMEOUT_MS + SHUTDOWN_GRACE_MS) *
                                 NS_PER_MS;
        while (b->cur.on && mono_clock() < give_up) {
            int64_t wall_ms = wall_clock_ms();
            b->last = (bt_clock_sample){wall_ms / 1000, mono_clock()};
            b->last_wall_ms = wall_ms;
            b->tick_wall_ms = wall_ms;
            b->tick_mono = b->last.mono;
            bt_store_writer_poll(b->writer); /* a session waiting for its start row */
            drain_events(b, wall_ms / 1000);
            if (b->cur.on)
                SDL_Delay(10);
        }
    }
    bt_audio_close(b->audio); /* nothing sounds any more: workers waiting for quiet go on */
    bt_decode_isolated_cleanup();
    /* The last rows (the cut, the amplifier's end) are written before we go; their callbacks
     * still find us. */
    if (bt_store_writer_flush(b->writer, WRITER_FLUSH_MS) != 0) {
        bt_log_error("Luồng ghi cơ sở dữ liệu chưa xong sau %d ms khi dừng phát thanh; chờ "
                     "tiếp để không mất dòng nào.", WRITER_FLUSH_MS);
        while (bt_store_writer_flush(b->writer, WRITER_FLUSH_MS) != 0)
            continue;
    }
    bt_store_writer_poll(b->writer);
    if (b->own_writer)
        bt_store_writer_close(b->writer);
    if (b->job) {
        job_cancel(b->job);
        job_free(b->job);
    }
    reap_retired(b, true);
    plan_free(b->active);
    plan_free(b->pending);
    free(b->store_path);
    free(b->chime_path);
    free(b);
}
