/* The import's copy pipeline: every byte is read once from the stick into a large aligned
 * buffer, hashed from that buffer and written from that same buffer into the content store, so
 * the bytes that land in the store are exactly the bytes hashed (a file changed on the stick
 * while it is copied cannot slip through) and nothing is read twice.
 *
 * Three stages overlap, each on its own thread: the caller reads file N+1 while the hashing
 * thread hashes file N and the writing thread writes it. A buffer returns to the ring once it
 * is both hashed and written.
 *
 * Reads and writes bypass the page cache (O_DIRECT) when the filesystems allow it: the stick's
 * bytes go straight into the buffer and from there straight to the disk, with no copy through
 * the page cache, no dirty pages for writeback to find later, and requests as large as the
 * device takes (the buffers are backed by huge pages where possible, so one request is not cut
 * at every 4 KiB page). On the benchmark VM this moves ~1.7 GB/s where the page cache's
 * 1 MiB requests manage ~1 GB/s (bench/README-import.md). A filesystem that refuses O_DIRECT
 * (or an unaligned tail) is read/written through the page cache instead, with writeback started
 * at once. Durability is not decided here: the import fsyncs every object before it becomes
 * reachable. */
#define _GNU_SOURCE /* O_DIRECT, sync_file_range, MADV_HUGEPAGE */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "usb_internal.h"

/* One read or write moves this much, so several of the device's largest requests (4 MiB on
 * the benchmark VM) are in flight at once; 8 MiB was measurably slower, 32 MiB no faster. */
#define CHUNK_BYTES (16u * 1024 * 1024)
/* Buffers in the ring: one being read, one being hashed, one or two being written (64 MiB in
 * all, only while an import copies). */
#define RING_SLOTS 4
/* O_DIRECT wants offsets, lengths and addresses aligned to the logical block size; 4 KiB
 * covers every disk and stick in use. Huge pages are 2 MiB. */
#define DIRECT_ALIGN 4096u
#define BUFFER_ALIGN (2u * 1024 * 1024)

typedef struct {
    int out;                         /* owned until its last chunk is written; -1: hash only */
    bool out_direct;                 /* out is still in O_DIRECT mode */
    bool buffered_writes;            /* some of out went through the page cache */
    char expected[BT_SHA256_HEX_SIZE];
    size_t tag;
    bt_sha256 sha;                   /* the hashing thread's only */
    usb_copy_status status;
    int err_no;
} copy_job;

typedef struct {
    unsigned char *buf;
    size_t job;
    uint64_t offset;
    size_t len;
    bool last;                       /* the job's last chunk: finish its hash, close its out */
} ring_slot;

struct usb_copier {
    pthread_t hash_thread, write_thread;
    bool hash_started, write_started;
    pthread_mutex_t lock;
    pthread_cond_t changed;          /* any counter below moved, or stopping */
    ring_slot slots[RING_SLOTS];
    uint64_t filled, hashed, written; /* chunks through each stage, ever; slot = count % RING */
    copy_job *jobs;
    size_t job_count, job_cap;
    bool stopping;
    bool failed;                     /* some job failed: stop reading */
    usb_copy_failure failure;        /* the first failure */
};

/* Records the first failure (lock held). */
static void fail_job(usb_copier *c, copy_job *j, usb_copy_status st, int err_no)
{
    if (j->status == USB_COPY_OK) {
        j->status = st;
        j->err_no = err_no;
    }
    if (!c->failed) {
        c->failed = true;
        c->failure = (usb_copy_failure){j->tag, st, err_no};
    }
}

/* Back to the page cache for the rest of fd: after an unaligned length, or where the
 * filesystem turned a direct transfer down. */
static void clear_direct(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_DIRECT);
}

/* Tries O_DIRECT on fd; false if its filesystem does not do it. */
static bool try_direct(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl >= 0 && fcntl(fd, F_SETFL, fl | O_DIRECT) == 0;
}

/* ---- the hashing thread -------------------------------------------------------------------- */

static void *hash_main(void *arg)
{
    usb_copier *c = arg;
    pthread_mutex_lock(&c->lock);
    for (;;) {
        while (c->hashed == c->filled && !c->stopping)
            pthread_cond_wait(&c->changed, &c->lock);
        if (c->stopping)
            break;
        ring_slot s = c->slots[c->hashed % RING_SLOTS];
        copy_job *j = &c->jobs[s.job];
        pthread_mutex_unlock(&c->lock);
        /* The buffer is not refilled before this stage and the writer have both passed it. */
        if (s.offset == 0)
            bt_sha256_init(&j->sha);
        bt_sha256_update(&j->sha, s.buf, s.len);
        char hex[BT_SHA256_HEX_SIZE] = "";
        if (s.last)
            bt_sha256_final_hex(&j->sha, hex);
        pthread_mutex_lock(&c->lock);
        if (s.last && strcmp(hex, j->expected) != 0)
            fail_job(c, j, USB_COPY_LONG, 0); /* not the signed bytes */
        c->hashed++;
        pthread_cond_broadcast(&c->changed);
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

/* ---- the writing thread -------------------------------------------------------------------- */

/* Writes one chunk: the aligned part directly, an unaligned rest (a file's tail) through the
 * page cache. A filesystem that turns a direct write down (EINVAL) gets it buffered. */
static int write_chunk(copy_job *j, const ring_slot *s)
{
    size_t direct = 0;
    if (j->out_direct && s->offset % DIRECT_ALIGN == 0)
        direct = s->len - s->len % DIRECT_ALIGN;
    if (direct > 0 && usb_pwrite_all(j->out, s->buf, direct, s->offset) != 0) {
        if (errno != EINVAL)
            return -1;
        direct = 0;
    }
    if (direct < s->len) {
        if (j->out_direct) {
            clear_direct(j->out);
            j->out_direct = false;
        }
        j->buffered_writes = true;
        if (usb_pwrite_all(j->out, s->buf + direct, s->len - direct, s->offset + direct) != 0)
            return -1;
    }
    return 0;
}

static void *write_main(void *arg)
{
    usb_copier *c = arg;
    pthread_mutex_lock(&c->lock);
    for (;;) {
        while (c->written == c->filled && !c->stopping)
            pthread_cond_wait(&c->changed, &c->lock);
        if (c->stopping)
            break;
        ring_slot s = c->slots[c->written % RING_SLOTS];
        copy_job *j = &c->jobs[s.job];
        bool skip = j->out < 0 || j->status != USB_COPY_OK;
        pthread_mutex_unlock(&c->lock);
        int err = 0;
        if (!skip && write_chunk(j, &s) != 0)
            err = errno;
        if (!skip && s.last && !err && j->buffered_writes)
            /* Start writing the page-cache part now, so the fsync before activation finds
             * little to do. */
            sync_file_range(j->out, 0, 0, SYNC_FILE_RANGE_WRITE);
        pthread_mutex_lock(&c->lock);
        /* Some filesystems report a failed write only at close: the object is then not
         * whole, whatever the fsync on a later descriptor says. */
        if (s.last && j->out >= 0) {
            if (close(j->out) != 0 && !skip && !err)
                err = errno;
            j->out = -1;
        }
        if (err)
            fail_job(c, j, USB_COPY_WRITE_ERROR, err); /* the appliance's disk */
        c->written++;
        pthread_cond_broadcast(&c->changed);
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

/* ---- the reading side (the caller's thread) ------------------------------------------------ */

int usb_copier_start(usb_copier **out, size_t max_files)
{
    usb_copier *c = calloc(1, sizeof(*c));
    *out = NULL;
    if (!c)
        return -1;
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->changed, NULL);
    c->job_cap = max_files ? max_files : 1;
    c->jobs = calloc(c->job_cap, sizeof(*c->jobs));
    bool ok = c->jobs != NULL;
    for (size_t i = 0; ok && i < RING_SLOTS; i++) {
        void *p = NULL;
        ok = posix_memalign(&p, BUFFER_ALIGN, CHUNK_BYTES) == 0;
        c->slots[i].buf = p;
        /* Huge pages: a direct request then spans up to the device's maximum instead of
         * ending after 254 scattered 4 KiB pages; on the benchmark VM that is the difference
         * between ~1 and ~1.7 GB/s. Only a hint: without them everything still works. */
        if (ok)
            madvise(p, CHUNK_BYTES, MADV_HUGEPAGE);
    }
    if (ok) {
        c->hash_started = pthread_create(&c->hash_thread, NULL, hash_main, c) == 0;
        c->write_started = c->hash_started &&
                           pthread_create(&c->write_thread, NULL, write_main, c) == 0;
        ok = c->write_started;
    }
    if (!ok) {
        usb_copier_finish(c);
        return -1;
    }
    *out = c;
    return 0;
}

/* Waits for a free slot (lock held); false if the copier is stopping or a job failed. */
static bool wait_for_slot(usb_copier *c)
{
    for (;;) {
        uint64_t done = c->hashed < c->written ? c->hashed : c->written;
        if (c->failed || c->stopping)
            return false;
        if (c->filled - done < RING_SLOTS)
            return true;
        pthread_cond_wait(&c->changed, &c->lock);
    }
}

/* Reads up to want bytes at the start of buf; stops early only at the end of the file. A
 * direct read the filesystem refuses (EINVAL: alignment it wants otherwise) is retried through
 * the page cache. Bytes read, or -1 with errno. */
static ssize_t read_upto(int in, bool *in_direct, unsigned char *buf, size_t want)
{
    size_t got = 0;
    while (got < want) {
        ssize_t n = read(in, buf + got, want - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EINVAL && *in_direct) {
            clear_direct(in);
            *in_direct = false;
            continue;
        }
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
        if (*in_direct && got % DIRECT_ALIGN != 0 && got < want) {
            /* A short direct read leaves the offset unaligned: go on through the cache. */
            clear_direct(in);
            *in_direct = false;
        }
    }
    return (ssize_t)got;
}

int usb_copier_add(usb_copier *c, int in, int out, bool cached, uint64_t size,
                   const char *expected, size_t tag, usb_copy_tick tick, void *tick_ctx,
                   usb_copy_failure *failure)
{
    pthread_mutex_lock(&c->lock);
    if (c->job_count == c->job_cap && !c->failed) {
        c->failed = true; /* more files than the copier was started for: a caller's bug */
        c->failure = (usb_copy_failure){tag, USB_COPY_WRITE_ERROR, ENOMEM};
    }
    if (c->failed) {
        *failure = c->failure;
        pthread_mutex_unlock(&c->lock);
        if (out >= 0)
            close(out);
        return -1;
    }
    size_t ji = c->job_count++;
    copy_job *j = &c->jobs[ji];
    memset(j, 0, sizeof(*j));
    j->out = out;
    j->out_direct = out >= 0 && !cached && try_direct(out);
    snprintf(j->expected, sizeof(j->expected), "%s", expected);
    j->tag = tag;
    j->status = USB_COPY_OK;
    pthread_mutex_unlock(&c->lock);

    bool in_direct = try_direct(in);
    if (!in_direct)
        posix_fadvise(in, 0, 0, POSIX_FADV_SEQUENTIAL);
    uint64_t done = 0;
    usb_copy_status st = USB_COPY_OK;
    int err_no = 0;
    /* At least one chunk, even for an empty file: its last chunk finishes the hash and
     * closes out. */
    for (bool last = false; !last;) {
        pthread_mutex_lock(&c->lock);
        bool have = wait_for_slot(c);
        pthread_mutex_unlock(&c->lock);
        if (!have)
            break; /* an earlier job failed: that failure is the one to report */
        ring_slot *s = &c->slots[c->filled % RING_SLOTS];
        /* Ask for one byte more than remains (rounded up for O_DIRECT), to see a file that
         * grew since it was signed: the end is only taken as the end when a read came back
         * short of what it asked for (a file ending on a chunk boundary gets one more, empty,
         * last chunk). */
        uint64_t left = size - done;
        size_t want = left >= CHUNK_BYTES ? CHUNK_BYTES
                                          : (size_t)((left + DIRECT_ALIGN) / DIRECT_ALIGN *
                                                     DIRECT_ALIGN);
        ssize_t n = read_upto(in, &in_direct, s->buf, want);
        if (n < 0) {
            st = USB_COPY_READ_ERROR;
            err_no = errno;
            break;
        }
        if ((uint64_t)n > left) {
            st = USB_COPY_LONG;
            break;
        }
        if ((size_t)n < want && (uint64_t)n < left) {
            st = USB_COPY_SHORT;
            break;
        }
        last = (uint64_t)n == left && (size_t)n < want;
        s->job = ji;
        s->offset = done;
        s->len = (size_t)n;
        s->last = last;
        done += (uint64_t)n;
        pthread_mutex_lock(&c->lock);
        c->filled++;
        pthread_cond_broadcast(&c->changed);
        pthread_mutex_unlock(&c->lock);
        if (tick && n > 0 && tick(tick_ctx, (uint64_t)n) != 0) {
            st = USB_COPY_CANCELLED;
            break;
        }
    }
    pthread_mutex_lock(&c->lock);
    if (st != USB_COPY_OK)
        fail_job(c, j, st, err_no);
    int rc = c->failed ? -1 : 0;
    if (rc)
        *failure = c->failure;
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int usb_copier_wait(usb_copier *c, usb_copy_failure *failure)
{
    pthread_mutex_lock(&c->lock);
    while (!c->failed && (c->hashed < c->filled || c->written < c->filled))
        pthread_cond_wait(&c->changed, &c->lock);
    int rc = c->failed ? -1 : 0;
    if (rc)
        *failure = c->failure;
    pthread_mutex_unlock(&c->lock);
    return rc;
}

void usb_copier_finish(usb_copier *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    c->stopping = true;
    pthread_cond_broadcast(&c->changed);
    pthread_mutex_unlock(&c->lock);
    if (c->hash_started)
        pthread_join(c->hash_thread, NULL);
    if (c->write_started)
        pthread_join(c->write_thread, NULL);
    for (size_t i = 0; i < c->job_count; i++)
        if (c->jobs[i].out >= 0)
            close(c->jobs[i].out); /* a job cut short (failure, cancel) */
    for (size_t i = 0; i < RING_SLOTS; i++)
        free(c->slots[i].buf);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->changed);
    free(c->jobs);
    free(c);
}
