/* The store's writer thread (see bt_store_writer.h).
 *
 * Shape: the owner queues requests (jobs); the thread takes them one at a time, in order, and
 * puts each, done, on the finished list that the owner's poll runs the callbacks of. Log rows
 * go into the store while the fallback journal is empty, else behind it into the journal, so
 * rows reach the log in the order they happened. Tokens name start rows for their end rows:
 * the store's airing id once written, or the journal entry that holds it. */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bangtin/bt_buf.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_records_store.h"
#include "bangtin/bt_store_writer.h"
#include "bangtin/bt_time.h"
#include "pending.h"
#include "store_internal.h"

/* Start rows remembered for their end rows: far more than one session's items can be open. */
#define TOKEN_SLOTS 256
/* Journal rows listed for the scheduler get ids after every stored row, keeping their order. */
#define JOURNAL_ID_BASE (INT64_MAX / 2)

typedef enum { JOB_LOG, JOB_IMPRESSIONS, JOB_QUERY, JOB_AIRINGS, JOB_STAFF } job_kind;

typedef struct job {
    job_kind kind;
    pending_entry e;            /* JOB_LOG: the row (run and seq filled when journaled) */
    uint64_t token;             /* PENDING_BEGIN: its token; PENDING_END: the one it ends */
    bool must_store;
    bt_write_done done;
    void *ctx;
    bt_write_result result;
    bt_proof_row *rows;         /* JOB_IMPRESSIONS */
    size_t count;
    void (*run)(bt_store *s, void *arg); /* JOB_QUERY */
    void (*query_done)(void *arg);
    void *arg;
    bt_wall from, to;           /* JOB_AIRINGS */
    bt_airings_done airings_done;
    bt_staff_done staff_done;   /* JOB_STAFF (its request in e) */
    bt_staff_result *staff;
    bt_airing_row *list;
    size_t list_count;
    bool list_ok;
    struct job *next;
} job;

typedef struct {
    uint64_t token;             /* 0: free */
    int64_t airing;             /* > 0 once the start row is in the store */
    char run[BT_PENDING_RUN_BYTES];
    uint64_t seq;               /* else: its journal entry */
    bool open;                  /* its end row not yet asked for */
} token_slot;

struct bt_store_writer {
    bt_store *store;
    char db_path[BT_MAX_PATH_BYTES + 1];
    void (*wake)(void *ctx);
    void *wake_ctx;

    pthread_t thread;
    bool started;
    bool inline_mode;           /* BT_STORE_WRITER_INLINE_ENV: no thread, jobs done at submit */
    pthread_mutex_t mu;
    pthread_cond_t work, idle;
    job *queue, *queue_tail;
    job *finished, *finished_tail;
    size_t busy;                /* queued or being done */
    bool stopping;
    bt_store_writer_state state;

    uint64_t next_token;        /* the owner's */

    /* The thread's own (and open's, before the thread exists). */
    pending_journal journal;
    char run[BT_PENDING_RUN_BYTES];
    uint64_t seq;
    bool recovered;             /* crash recovery done (it waits for the journal to drain) */
    token_slot tokens[TOKEN_SLOTS];
    bt_proof_row *impressions;  /* refused by the store: added again once it takes writes */
    size_t impression_count, impression_cap;
};

static void lock(bt_store_writer *w) { pthread_mutex_lock(&w->mu); }
static void unlock(bt_store_writer *w) { pthread_mutex_unlock(&w->mu); }

/* ---- where the journal lives ---------------------------------------------------------------- */

void bt_store_writer_journal_path(const char *db_path, const char *journal_dir, char *out,
                                  size_t size)
{
    char dir[BT_MAX_PATH_BYTES];
    const char *runtime = getenv("RUNTIME_DIRECTORY");
    if (journal_dir && journal_dir[0]) {
        snprintf(dir, sizeof dir, "%s", journal_dir);
    } else if (runtime && runtime[0]) {
        /* systemd may list several folders separated by ':'; ours is the first. */
        snprintf(dir, sizeof dir, "%.*s", (int)strcspn(runtime, ":"), runtime);
    } else {
        bt_store_folder_of(db_path, dir, sizeof dir);
    }
    snprintf(out, size, "%s/%s", dir, BT_PENDING_FILE);
}

size_t bt_store_writer_journal_rows(const char *path)
{
    pending_journal j;
    memset(&j, 0, sizeof j);
    size_t skipped = 0;
    bt_pending_load(&j, path, &skipped);
    size_t n = j.count;
    bt_pending_free(&j);
    return n;
}

/* ---- why the store refuses ------------------------------------------------------------------ */

static void describe_failure(bt_store_writer *w, char *out, size_t size)
{
    char dir[BT_MAX_PATH_BYTES];
    struct statvfs vfs;
    bt_store_folder_of(w->db_path, dir, sizeof dir);
    int code = bt_store_last_failure() & 0xff;
    /* Paths are cut to fit the sentence (BT_STORE_WRITER_PROBLEM_BYTES); the reason leads. */
    if (access(dir, W_OK) != 0 || code == SQLITE_READONLY)
        snprintf(out, size, "thư mục dữ liệu chỉ đọc (%.240s)", dir);
    else if ((statvfs(dir, &vfs) == 0 && vfs.f_bavail == 0) || code == SQLITE_FULL)
        snprintf(out, size, "đĩa đầy (%.240s)", dir);
    else if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
        snprintf(out, size, "cơ sở dữ liệu hỏng (%.240s)", w->db_path);
    else if (code == SQLITE_IOERR)
        snprintf(out, size, "lỗi đọc ghi đĩa (%.240s)", w->db_path);
    else
        snprintf(out, size, "không ghi được cơ sở dữ liệu %.200s (mã lỗi %d)", w->db_path, code);
}

/* The state the owner reads: the journal's size and whether the store refuses. */
static void publish(bt_store_writer *w, bool failing)
{
    size_t in_memory = 0;
    for (const pending_entry *e = w->journal.head; e; e = e->next)
        in_memory += !e->written_to_file;
    char problem[BT_STORE_WRITER_PROBLEM_BYTES] = "";
    if (failing)
        describe_failure(w, problem, sizeof problem);
    lock(w);
    bool was_failing = w->state.failing;
    w->state.failing = failing;
    w->state.waiting = w->journal.count;
    w->state.waiting_in_memory = in_memory;
    snprintf(w->state.problem, sizeof w->state.problem, "%s", problem);
    unlock(w);
    if (failing && !was_failing)
        bt_log_error("Không ghi được nhật ký vào cơ sở dữ liệu: %s. Các dòng được giữ trong nhật "
                     "ký chờ ghi (%s) và sẽ được ghi khi cơ sở dữ liệu nhận lại.", problem,
                     w->journal.path[0] ? w->journal.path : "bộ nhớ");
    else if (!failing && was_failing)
        bt_log_warn("Cơ sở dữ liệu đã nhận ghi trở lại; nhật ký chờ ghi đã được ghi hết vào.");
}

/* ---- tokens --------------------------------------------------------------------------------- */

static token_slot *slot_of(bt_store_writer *w, uint64_t token)
{
    token_slot *t = &w->tokens[token % TOKEN_SLOTS];
    return t->token == token ? t : NULL;
}

/* The store id of a token's start row, now that the journal may have written it (0: not yet). */
static int64_t airing_of(const bt_store_writer *w, const token_slot *t)
{
    return t->airing > 0 ? t->airing : bt_pending_resolve(&w->journal, t->run, t->seq);
}

/* ---- the store taking writes again ---------------------------------------------------------- */

static void add_impressions_now(bt_store_writer *w)
{
    if (w->impression_count == 0 || w->journal.count > 0)
        return;
    if (bt_store_add_impressions(w->store, w->impressions, w->impression_count) == 0)
        w->impression_count = 0;
}

/* Crash recovery for airings of earlier runs, once their journal rows are in the log; this
 * run's airings still on air are left open. */
static void recover(bt_store_writer *w)
{
    int64_t keep[TOKEN_SLOTS];
    size_t n = 0;
    for (size_t i = 0; i < TOKEN_SLOTS; i++) {
        const token_slot *t = &w->tokens[i];
        int64_t airing = t->token && t->open ? airing_of(w, t) : 0;
        if (airing > 0)
            keep[n++] = airing;
    }
    if (bt_airing_recover_except(w->store, keep, n, NULL) == 0)
        w->recovered = true;
}

/* Writes the journal into the store if it takes it. True when nothing is left waiting. */
static bool drain(bt_store_writer *w)
{
    if (w->journal.count > 0 && bt_pending_drain(&w->journal, w->store) != 0)
        return false;
    if (!w->recovered)
        recover(w);
    add_impressions_now(w);
    return w->recovered;
}

/* ---- one log row ---------------------------------------------------------------------------- */

static int write_row(bt_store_writer *w, job *j)
{
    const pending_entry *e = &j->e;
    const char *reason = e->reason[0] ? e->reason : NULL;
    switch (e->kind) {
    case PENDING_BEGIN: {
        int64_t airing = 0;
        if (bt_airing_begin(w->store, &e->subject, e->started_ms, e->trusted, &airing) != 0)
            return -1;
        token_slot *t = slot_of(w, j->token);
        if (t)
            t->airing = airing;
        return 0;
    }
    case PENDING_END: {
        token_slot *t = slot_of(w, j->token);
        int64_t airing = t ? airing_of(w, t) : 0;
        if (airing <= 0)
            return 0; /* its start was refused: nothing is open to end */
        return bt_airing_end(w->store, airing, e->status, reason, e->ended_ms, e->duration_ms,
                             e->trusted);
    }
    case PENDING_RECORD:
        return bt_airing_record(w->store, &e->subject, e->status, reason, e->trusted, NULL);
    case PENDING_CLOCK:
        return bt_airing_add_clock_event(w->store, &e->clock, NULL);
    case PENDING_STAFF:
    case PENDING_UNDO: /* JOB_STAFF's (do_staff), never a log row's */
        return bt_pending_apply_staff(w->store, e, NULL, NULL, 0) < 0 ? -1 : 0;
    }
    return -1;
}

/* 0 when the journal file holds the row, 1 when only memory does, -1 when it was lost. */
static int journal_row(bt_store_writer *w, job *j)
{
    pending_entry *e = &j->e;
    snprintf(e->run, sizeof e->run, "%s", w->run);
    e->seq = ++w->seq;
    if (e->kind == PENDING_END) {
        const token_slot *t = slot_of(w, j->token);
        if (!t)
            return 0; /* its start was refused: nothing to end */
        e->ref.airing = airing_of(w, t);
        snprintf(e->ref.run, sizeof e->ref.run, "%s", t->run);
        e->ref.seq = t->seq;
    }
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    e->journaled_ms = (int64_t)wall.tv_sec * 1000 + wall.tv_nsec / 1000000;
    if (e->kind == PENDING_RECORD) {
        snprintf(e->original_reason, sizeof e->original_reason, "%s", e->reason);
        /* The time it was journaled keeps two real records of one slot apart when draining
         * looks for rows already written (pending.h), and tells the auditor it came late. */
        char stamp[32];
        bt_time_format_iso((bt_wall)(e->journaled_ms / 1000), stamp, sizeof stamp);
        size_t len = strlen(e->reason);
        /* After "code: detail", or as the detail of a bare code, so the code still reads. */
        snprintf(e->reason + len, sizeof e->reason - len, "%s(ghi từ nhật ký chờ lúc %s, dòng %"
                 PRIu64 ")", !len ? "" : strchr(e->reason, ':') ? " " : ": ", stamp, e->seq);
    }
    int rc = bt_pending_append(&w->journal, e);
    if (rc < 0) {
        bt_log_error("Hết bộ nhớ: mất một dòng nhật ký phát thanh (tin “%s”).",
                     e->subject.item_id);
        return -1;
    }
    if (e->kind == PENDING_BEGIN) {
        token_slot *t = slot_of(w, j->token);
        if (t) {
            snprintf(t->run, sizeof t->run, "%s", e->run);
            t->seq = e->seq;
        }
    }
    return rc;
}

static void do_log(bt_store_writer *w, job *j)
{
    bool stored = false;
    if (j->e.kind == PENDING_BEGIN) {
        /* Claimed in order on this thread: an end row always finds its start's slot. */
        token_slot *t = &w->tokens[j->token % TOKEN_SLOTS];
        memset(t, 0, sizeof *t);
        t->token = j->token;
        t->open = true;
    }
    if (drain(w) || w->journal.count == 0)
        stored = write_row(w, j) == 0;
    if (j->e.kind == PENDING_END) {
        token_slot *t = slot_of(w, j->token);
        if (t)
            t->open = false;
    }
    j->result.token = j->token;
    if (stored) {
        j->result.outcome = BT_WRITE_STORED;
        publish(w, false);
        return;
    }
    if (j->must_store) {
        j->result.outcome = BT_WRITE_REFUSED;
        token_slot *t = slot_of(w, j->token);
        if (t)
            memset(t, 0, sizeof *t);
    } else {
        journal_row(w, j);
        j->result.outcome = BT_WRITE_JOURNALED;
    }
    publish(w, true);
    lock(w);
    snprintf(j->result.problem, sizeof j->result.problem, "%s", w->state.problem);
    unlock(w);
}

/* ---- the staff panel's records -------------------------------------------------------------- */

/* The latest entries into r, less those an undo waiting in the journal takes back. */
static void staff_recent(bt_store_writer *w, bt_staff_result *r)
{
    bt_record_row rows[BT_STORE_WRITER_RECENT * 2];
    size_t n = 0, max = sizeof rows / sizeof rows[0];
    r->recent_count = 0;
    r->recent_ok = bt_records_store_recent(w->store, rows, max, &n) == 0;
    for (size_t i = 0; r->recent_ok && i < n && r->recent_count < BT_STORE_WRITER_RECENT; i++) {
        bool undoing = false;
        for (const pending_entry *e = w->journal.head; e && !undoing; e = e->next)
            undoing = e->kind == PENDING_UNDO && e->staff.corrects == rows[i].id;
        if (!undoing)
            r->recent[r->recent_count++] = rows[i];
    }
}

/* Like a log row: into the store while the journal is empty, else behind it. */
static void do_staff(bt_store_writer *w, job *j)
{
    bt_staff_result *r = j->staff;
    char why[256] = "";
    int rc = -1;
    if (drain(w) || w->journal.count == 0)
        rc = bt_pending_apply_staff(w->store, &j->e, &r->undone_before, why, sizeof why);
    if (rc == 0) {
        r->outcome = BT_WRITE_STORED;
        publish(w, false);
    } else if (rc == 2) {
        r->outcome = BT_WRITE_REFUSED;
        snprintf(r->problem, sizeof r->problem, "%s", why);
    } else {
        int kept = journal_row(w, j);
        r->outcome = kept < 0 ? BT_WRITE_REFUSED : BT_WRITE_JOURNALED;
        r->in_memory_only = kept == 1;
        publish(w, true);
        lock(w);
        snprintf(r->problem, sizeof r->problem, "%s",
                 kept < 0 ? "hết bộ nhớ" : w->state.problem);
        unlock(w);
    }
    staff_recent(w, r);
}

/* ---- impressions and reads ------------------------------------------------------------------ */

static bool same_key(const bt_proof_row *a, const bt_proof_row *b)
{
    return a->day == b->day && a->clock_untrusted == b->clock_untrusted &&
           strcmp(a->playlist_id, b->playlist_id) == 0 &&
           strcmp(a->notice_id, b->notice_id) == 0;
}

static void keep_impressions(bt_store_writer *w, const bt_proof_row *rows, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        size_t k = 0;
        while (k < w->impression_count && !same_key(&w->impressions[k], &rows[i]))
            k++;
        if (k == w->impression_count) {
            bt_proof_row *room = bt_grow(w->impressions, &w->impression_cap, k + 1,
                                         sizeof *room);
            if (!room) {
                bt_log_error("Hết bộ nhớ: mất số lần hiển thị của “%s”.", rows[i].notice_id);
                continue;
            }
            w->impressions = room;
            w->impressions[k] = rows[i];
            w->impressions[k].shows = 0;
            w->impressions[k].seconds = 0;
            w->impressions[k].video_whole = 0;
            w->impressions[k].video_cut = 0;
            w->impression_count++;
        }
        w->impressions[k].shows += rows[i].shows;
        w->impressions[k].seconds += rows[i].seconds;
        w->impressions[k].video_whole += rows[i].video_whole;
        w->impressions[k].video_cut += rows[i].video_cut;
    }
}

static void do_impressions(bt_store_writer *w, job *j)
{
    drain(w);
    if (w->journal.count == 0 && w->impression_count == 0 &&
        bt_store_add_impressions(w->store, j->rows, j->count) == 0)
        return;
    keep_impressions(w, j->rows, j->count);
    add_impressions_now(w);
}

/* Journal rows as the log will list them, appended to j->list (slot in [from, to)). */
static void list_journal(bt_store_writer *w, job *j)
{
    size_t base = j->list_count, cap = j->list_count;
    for (const pending_entry *e = w->journal.head; e; e = e->next) {
        bt_airing_row *r = NULL;
        if (e->kind == PENDING_BEGIN || e->kind == PENDING_RECORD) {
            if (e->subject.scheduled_at < j->from || e->subject.scheduled_at >= j->to)
                continue;
            bt_airing_row *room = bt_grow(j->list, &cap, j->list_count + 1, sizeof *room);
            if (!room) {
                j->list_ok = false;
                return;
            }
            j->list = room;
            r = &j->list[j->list_count++];
            memset(r, 0, sizeof *r);
            r->airing = JOURNAL_ID_BASE + (int64_t)e->seq;
            r->subject = e->subject;
            r->duration_ms = -1;
            r->clock_trusted = e->trusted;
            if (e->kind == PENDING_BEGIN) {
                r->status = BT_AIRING_AIRING;
                r->started_at_ms = e->started_ms;
            } else {
                r->status = e->status;
                snprintf(r->reason, sizeof r->reason, "%s", e->reason);
            }
        } else if (e->kind == PENDING_END) {
            int64_t id = e->ref.airing > 0 ? e->ref.airing : JOURNAL_ID_BASE + (int64_t)e->ref.seq;
            for (size_t k = e->ref.airing > 0 ? 0 : base; k < j->list_count; k++) {
                if (j->list[k].airing == id) {
                    r = &j->list[k];
                    break;
                }
            }
            if (!r)
                continue;
            r->status = e->status;
            r->ended_at_ms = e->ended_ms;
            r->duration_ms = e->duration_ms;
            snprintf(r->reason, sizeof r->reason, "%s", e->reason);
        }
    }
}

static void do_airings(bt_store_writer *w, job *j)
{
    drain(w);
    j->list_ok = bt_airing_list(w->store, j->from, j->to, &j->list, &j->list_count) == 0;
    if (!j->list_ok) {
        j->list = NULL;
        j->list_count = 0;
    }
    list_journal(w, j);
}

/* ---- the thread ----------------------------------------------------------------------------- */

static void do_job(bt_store_writer *w, job *j)
{
    switch (j->kind) {
    case JOB_LOG: do_log(w, j); break;
    case JOB_IMPRESSIONS: do_impressions(w, j); break;
    case JOB_QUERY: j->run(w->store, j->arg); break;
    case JOB_AIRINGS: do_airings(w, j); break;
    case JOB_STAFF: do_staff(w, j); break;
    }
}

static bool waiting_for_store(const bt_store_writer *w)
{
    return w->journal.count > 0 || w->impression_count > 0 || !w->recovered;
}

static void deadline_after(struct timespec *ts, int ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* Puts a done job on the finished list and wakes the owner. Called without the lock. */
static void finish_job(bt_store_writer *w, job *j)
{
    lock(w);
    j->next = NULL;
    if (w->finished_tail)
        w->finished_tail->next = j;
    else
        w->finished = j;
    w->finished_tail = j;
    w->busy--;
    pthread_cond_broadcast(&w->idle);
    unlock(w);
    if (w->wake)
        w->wake(w->wake_ctx);
}

static void *writer_main(void *arg)
{
    bt_store_writer *w = arg;
    lock(w);
    for (;;) {
        while (!w->queue && !w->stopping) {
            if (!waiting_for_store(w)) {
                pthread_cond_wait(&w->work, &w->mu);
                continue;
            }
            struct timespec until;
            deadline_after(&until, BT_STORE_WRITER_RETRY_MS);
            if (pthread_cond_timedwait(&w->work, &w->mu, &until) == ETIMEDOUT) {
                unlock(w);
                publish(w, !drain(w));
                lock(w);
            }
        }
        job *j = w->queue;
        if (!j)
            break; /* stopping, nothing queued */
        w->queue = j->next;
        if (!w->queue)
            w->queue_tail = NULL;
        unlock(w);
        do_job(w, j);
        finish_job(w, j);
        lock(w);
    }
    unlock(w);
    /* A last try, so a store that came back in the last seconds gets the rows now. */
    if (waiting_for_store(w))
        publish(w, !drain(w));
    return NULL;
}

/* ---- the owner's side ----------------------------------------------------------------------- */

static void finish_job(bt_store_writer *w, job *j);

static int submit(bt_store_writer *w, job *j)
{
    if (w->inline_mode) {
        /* The benchmark's "before": the caller's thread waits for the disk, as it once did. */
        do_job(w, j);
        lock(w);
        w->busy++;
        unlock(w);
        finish_job(w, j);
        return 0;
    }
    lock(w);
    if (w->stopping) {
        unlock(w);
        free(j->rows);
        free(j->staff);
        free(j);
        return -1;
    }
    j->next = NULL;
    if (w->queue_tail)
        w->queue_tail->next = j;
    else
        w->queue = j;
    w->queue_tail = j;
    w->busy++;
    pthread_cond_signal(&w->work);
    unlock(w);
    return 0;
}

/* A request for w (NULL when there is no writer or no memory). */
static job *new_job(bt_store_writer *w, job_kind kind)
{
    job *j = w ? calloc(1, sizeof *j) : NULL;
    if (j)
        j->kind = kind;
    return j;
}

int bt_store_writer_open(const bt_store_writer_config *cfg, bt_store_writer **out, char *err,
                         size_t err_size)
{
    *out = NULL;
    bt_store_writer *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, err_size, "Không đủ bộ nhớ cho luồng ghi cơ sở dữ liệu.");
        return -1;
    }
    snprintf(w->db_path, sizeof w->db_path, "%s", cfg->db_path);
    w->wake = cfg->wake;
    w->wake_ctx = cfg->wake_ctx;
    w->next_token = 1;
    pthread_mutex_init(&w->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->work, &ca);
    pthread_cond_init(&w->idle, &ca);
    pthread_condattr_destroy(&ca);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    snprintf(w->run, sizeof w->run, "%lld-%ld", (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000,
             (long)getpid());
    if (bt_store_open(cfg->db_path, &w->store, err, err_size) != 0)
        goto fail;
    bt_store_set_cache_kib(w->store, BT_KIOSK_STORE_CACHE_KIB); /* the kiosk's: a small cache */
    char journal[sizeof w->journal.path];
    bt_store_writer_journal_path(cfg->db_path, cfg->journal_dir, journal, sizeof journal);
    size_t skipped = 0;
    if (bt_pending_load(&w->journal, journal, &skipped) != 0) {
        snprintf(err, err_size, "Không đủ bộ nhớ để đọc nhật ký chờ ghi \"%s\".", journal);
        goto fail;
    }
    if (skipped > 0)
        bt_log_warn("Nhật ký chờ ghi \"%s\": %zu dòng bị cắt dở (máy mất điện khi đang ghi), "
                    "bỏ qua.", journal, skipped);
    size_t waiting = w->journal.count;
    /* Before anything airs: rows an earlier run could not write go into the log first, then
     * airings a crash left open are closed. */
    bool drained = drain(w);
    if (waiting > 0 && drained)
        bt_log_info("Đã ghi %zu dòng từ nhật ký chờ ghi vào nhật ký phát thanh.", waiting);
    publish(w, !drained);
    const char *inline_env = getenv(BT_STORE_WRITER_INLINE_ENV);
    w->inline_mode = inline_env && strcmp(inline_env, "1") == 0;
    if (w->inline_mode) {
        *out = w;
        return 0;
    }
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        snprintf(err, err_size, "Không tạo được luồng ghi cơ sở dữ liệu.");
        goto fail;
    }
    w->started = true;
    *out = w;
    return 0;
fail:
    bt_store_close(w->store);
    bt_pending_free(&w->journal);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->work);
    pthread_cond_destroy(&w->idle);
    free(w);
    return -1;
}

size_t bt_store_writer_poll(bt_store_writer *w)
{
    if (!w)
        return 0;
    lock(w);
    job *list = w->finished;
    w->finished = w->finished_tail = NULL;
    unlock(w);
    size_t n = 0;
    while (list) {
        job *j = list;
        list = j->next;
        switch (j->kind) {
        case JOB_LOG:
            if (j->done)
                j->done(j->ctx, &j->result);
            break;
        case JOB_QUERY:
            if (j->query_done)
                j->query_done(j->arg);
            break;
        case JOB_AIRINGS:
            j->airings_done(j->ctx, j->list, j->list_count, j->list_ok);
            free(j->list);
            break;
        case JOB_IMPRESSIONS:
            free(j->rows);
            break;
        case JOB_STAFF:
            if (j->staff_done)
                j->staff_done(j->ctx, j->staff);
            free(j->staff);
            break;
        }
        free(j);
        n++;
    }
    return n;
}

int bt_store_writer_flush(bt_store_writer *w, int timeout_ms)
{
    if (!w)
        return 0;
    struct timespec until;
    deadline_after(&until, timeout_ms);
    int rc = 0;
    lock(w);
    while (w->busy > 0 && rc == 0)
        rc = pthread_cond_timedwait(&w->idle, &w->mu, &until) == ETIMEDOUT ? -1 : 0;
    if (w->busy == 0)
        rc = 0;
    unlock(w);
    return rc;
}

void bt_store_writer_close(bt_store_writer *w)
{
    if (!w)
        return;
    lock(w);
    w->stopping = true;
    pthread_cond_signal(&w->work);
    unlock(w);
    if (w->started)
        pthread_join(w->thread, NULL);
    bt_store_writer_poll(w);
    if (w->journal.count > 0)
        bt_log_error("Dừng với %zu dòng nhật ký chưa ghi được vào cơ sở dữ liệu; chúng được giữ "
                     "trong \"%s\" và sẽ được ghi ở lần chạy sau.", w->journal.count,
                     w->journal.path);
    if (w->impression_count > 0)
        bt_log_warn("Dừng khi chưa ghi được %zu dòng số lần hiển thị (cơ sở dữ liệu không nhận).",
                    w->impression_count);
    bt_store_close(w->store);
    bt_pending_free(&w->journal);
    free(w->impressions);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->work);
    pthread_cond_destroy(&w->idle);
    free(w);
}

static int submit_log(bt_store_writer *w, job *j)
{
    j->kind = JOB_LOG;
    return submit(w, j);
}

uint64_t bt_store_writer_begin(bt_store_writer *w, const bt_airing_subject *subject,
                               int64_t started_at_ms, bool clock_trusted, bool must_store,
                               bt_write_done done, void *ctx)
{
    job *j = new_job(w, JOB_LOG);
    if (!j)
        return 0;
    uint64_t token = w->next_token++;
    j->e.kind = PENDING_BEGIN;
    j->e.subject = *subject;
    j->e.started_ms = started_at_ms;
    j->e.trusted = clock_trusted;
    j->token = token;
    j->must_store = must_store;
    j->done = done;
    j->ctx = ctx;
    return submit_log(w, j) == 0 ? token : 0;
}

int bt_store_writer_end(bt_store_writer *w, uint64_t token, bt_airing_status status,
                        const char *reason, int64_t ended_at_ms, int64_t duration_ms,
                        bool clock_trusted)
{
    if (token == 0)
        return -1;
    job *j = new_job(w, JOB_LOG);
    if (!j)
        return -1;
    j->e.kind = PENDING_END;
    j->e.status = status;
    snprintf(j->e.reason, sizeof j->e.reason, "%s", reason ? reason : "");
    j->e.ended_ms = ended_at_ms;
    j->e.duration_ms = duration_ms;
    j->e.trusted = clock_trusted;
    j->token = token;
    return submit_log(w, j);
}

int bt_store_writer_record(bt_store_writer *w, const bt_airing_subject *subject,
                           bt_airing_status status, const char *reason, bool clock_trusted)
{
    job *j = new_job(w, JOB_LOG);
    if (!j)
        return -1;
    j->e.kind = PENDING_RECORD;
    j->e.subject = *subject;
    j->e.status = status;
    snprintf(j->e.reason, sizeof j->e.reason, "%s", reason ? reason : "");
    j->e.trusted = clock_trusted;
    return submit_log(w, j);
}

int bt_store_writer_clock_event(bt_store_writer *w, const bt_clock_event *ev)
{
    job *j = new_job(w, JOB_LOG);
    if (!j)
        return -1;
    j->e.kind = PENDING_CLOCK;
    j->e.clock = *ev;
    j->e.trusted = false;
    return submit_log(w, j);
}

int bt_store_writer_impressions(bt_store_writer *w, const bt_proof_row *rows, size_t count)
{
    if (count == 0)
        return 0;
    job *j = new_job(w, JOB_IMPRESSIONS);
    if (!j)
        return -1;
    j->rows = malloc(count * sizeof *rows);
    if (!j->rows) {
        free(j);
        return -1;
    }
    memcpy(j->rows, rows, count * sizeof *rows);
    j->count = count;
    return submit(w, j);
}

int bt_store_writer_query(bt_store_writer *w, void (*run)(bt_store *s, void *arg),
                          void (*done)(void *arg), void *arg)
{
    if (!run)
        return -1;
    job *j = new_job(w, JOB_QUERY);
    if (!j)
        return -1;
    j->run = run;
    j->query_done = done;
    j->arg = arg;
    return submit(w, j);
}

int bt_store_writer_airings(bt_store_writer *w, bt_wall from, bt_wall to, bt_airings_done done,
                            void *ctx)
{
    if (!done)
        return -1;
    job *j = new_job(w, JOB_AIRINGS);
    if (!j)
        return -1;
    j->from = from;
    j->to = to;
    j->airings_done = done;
    j->ctx = ctx;
    return submit(w, j);
}

int bt_store_writer_staff(bt_store_writer *w, const bt_staff_request *q, bt_staff_done done,
                          void *ctx)
{
    job *j = new_job(w, JOB_STAFF);
    if (!j)
        return -1;
    if (!(j->staff = calloc(1, sizeof *j->staff))) {
        free(j);
        return -1;
    }
    pending_staff *e = &j->e.staff;
    j->e.kind = q->undo ? PENDING_UNDO : PENDING_STAFF;
    e->corrects = q->undo ? q->entry : 0;
    e->channel = q->channel;
    e->day = q->day;
    e->count = q->count;
    snprintf(e->topic, sizeof e->topic, "%s", q->topic ? q->topic : "");
    snprintf(e->note, sizeof e->note, "%s", q->note ? q->note : "");
    /* Unique across runs: the run is its start time and process id. */
    if (!q->undo)
        snprintf(e->key, sizeof e->key, "panel:%s:%" PRIu64, w->run, w->next_token++);
    e->at = q->at;
    j->staff_done = done;
    j->ctx = ctx;
    return submit(w, j);
}

void bt_store_writer_state_get(bt_store_writer *w, bt_store_writer_state *out)
{
    memset(out, 0, sizeof *out);
    if (!w)
        return;
    lock(w);
    *out = w->state;
    unlock(w);
    snprintf(out->journal_path, sizeof out->journal_path, "%s", w->journal.path);
}
