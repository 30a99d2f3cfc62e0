/* Fast, verified copying for the import. The bytes move inside the kernel (sendfile: page cache
 * to page cache, like `cp`, across filesystems, so a FAT stick works too), and a second thread
 * hashes each stored file while the next one is copied: what is checked against MANIFEST is
 * exactly what the content store holds. Writeback of each file starts as soon as it is copied,
 * so the fsync before activation finds little left to do. On two cores this keeps the import
 * close to the speed of `cp -r` although every byte is hashed and made durable. */
#define _GNU_SOURCE /* sync_file_range */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include "usb_internal.h"

/* One sendfile call moves at most this much, so progress and cancellation stay responsive. */
#define SENDFILE_CHUNK (8 * 1024 * 1024)

static bool write_side_error(int err)
{
    return err == ENOSPC || err == EDQUOT || err == EFBIG || err == EROFS;
}

usb_copy_status usb_copy_file(int in, int out, uint64_t size, usb_copy_tick tick, void *tick_ctx,
                              int *err_no)
{
    uint64_t done = 0;
    *err_no = 0;
    posix_fadvise(in, 0, 0, POSIX_FADV_SEQUENTIAL);
    while (done < size) {
        size_t want = size - done > SENDFILE_CHUNK ? SENDFILE_CHUNK : (size_t)(size - done);
        ssize_t n = sendfile(out, in, NULL, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && done == 0 && (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP)) {
            /* A filesystem sendfile cannot read: copy through user space instead. */
            char hex[BT_SHA256_HEX_SIZE];
            return usb_copy_hash(in, out, size, hex, tick, tick_ctx, err_no);
        }
        if (n < 0) {
            *err_no = errno;
            return write_side_error(errno) ? USB_COPY_WRITE_ERROR : USB_COPY_READ_ERROR;
        }
        if (n == 0)
            return USB_COPY_SHORT;
        done += (uint64_t)n;
        if (tick && tick(tick_ctx, (uint64_t)n) != 0)
            return USB_COPY_CANCELLED;
    }
    char extra;
    ssize_t more;
    while ((more = read(in, &extra, 1)) < 0 && errno == EINTR) {
    }
    if (more > 0)
        return USB_COPY_LONG; /* it grew past its signed size */
    sync_file_range(out, 0, 0, SYNC_FILE_RANGE_WRITE);
    return USB_COPY_OK;
}

/* ---- the hashing thread -------------------------------------------------------------------- */

typedef struct {
    int fd;                          /* owned; closed once hashed */
    bool own_disk;                   /* a file the import wrote (may be mapped), not the stick */
    uint64_t size;
    char expected[BT_SHA256_HEX_SIZE];
    size_t tag;
    usb_copy_status status;
    int err_no;
} hash_job;

struct usb_hasher {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    hash_job *jobs;
    size_t count, cap, next;         /* next: the first job not yet taken */
    bool closing, aborting;
};

/* Hashes a file the import just wrote by mapping it: its pages are in the page cache, so this
 * saves copying 500 MB through a buffer. Never used on the stick: reading a mapping of a file
 * whose device vanished raises SIGBUS. -1 if it cannot be mapped (the caller reads instead). */
static int hash_mapped(int fd, uint64_t size, char hex[BT_SHA256_HEX_SIZE])
{
    bt_usb_sha256 h;
    bt_usb_sha256_init(&h);
    if (size > 0) {
        void *p = mmap(NULL, (size_t)size, PROT_READ, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED)
            return -1;
        madvise(p, (size_t)size, MADV_SEQUENTIAL);
        bt_usb_sha256_update(&h, p, (size_t)size);
        munmap(p, (size_t)size);
    }
    bt_usb_sha256_final_hex(&h, hex);
    return 0;
}

usb_copy_status usb_hash_fd(int fd, bool own_disk, uint64_t size, char hex[BT_SHA256_HEX_SIZE],
                            int *err_no)
{
    *err_no = 0;
    if (own_disk && hash_mapped(fd, size, hex) == 0)
        return USB_COPY_OK;
    return usb_copy_hash(fd, -1, size, hex, NULL, NULL, err_no);
}

static void *hasher_main(void *arg)
{
    usb_hasher *h = arg;
    pthread_mutex_lock(&h->lock);
    for (;;) {
        while (h->next == h->count && !h->closing)
            pthread_cond_wait(&h->wake, &h->lock);
        if (h->next == h->count)
            break;
        size_t i = h->next++;
        hash_job job = h->jobs[i];
        bool skip = h->aborting;
        pthread_mutex_unlock(&h->lock);
        char hex[BT_SHA256_HEX_SIZE];
        if (!skip) {
            job.status = usb_hash_fd(job.fd, job.own_disk, job.size, hex, &job.err_no);
            if (job.status == USB_COPY_OK && strcmp(hex, job.expected) != 0)
                job.status = USB_COPY_LONG; /* not the signed bytes */
        } else {
            job.status = USB_COPY_CANCELLED;
        }
        close(job.fd);
        pthread_mutex_lock(&h->lock);
        h->jobs[i].status = job.status;
        h->jobs[i].err_no = job.err_no;
        h->jobs[i].fd = -1;
    }
    pthread_mutex_unlock(&h->lock);
    return NULL;
}

int usb_hasher_start(usb_hasher **out)
{
    usb_hasher *h = calloc(1, sizeof(*h));
    *out = NULL;
    if (!h)
        return -1;
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->wake, NULL);
    if (pthread_create(&h->thread, NULL, hasher_main, h) != 0) {
        pthread_mutex_destroy(&h->lock);
        pthread_cond_destroy(&h->wake);
        free(h);
        return -1;
    }
    *out = h;
    return 0;
}

int usb_hasher_add(usb_hasher *h, int fd, bool own_disk, uint64_t size, const char *expected,
                   size_t tag)
{
    pthread_mutex_lock(&h->lock);
    if (h->count == h->cap) {
        size_t ncap = h->cap ? h->cap * 2 : 64;
        hash_job *bigger = realloc(h->jobs, ncap * sizeof(*bigger));
        if (!bigger) {
            pthread_mutex_unlock(&h->lock);
            close(fd);
            return -1;
        }
        h->jobs = bigger;
        h->cap = ncap;
    }
    hash_job *j = &h->jobs[h->count++];
    memset(j, 0, sizeof(*j));
    j->fd = fd;
    j->own_disk = own_disk;
    j->size = size;
    snprintf(j->expected, sizeof(j->expected), "%s", expected);
    j->tag = tag;
    j->status = USB_COPY_OK;
    pthread_cond_signal(&h->wake);
    pthread_mutex_unlock(&h->lock);
    return 0;
}

int usb_hasher_finish(usb_hasher *h, bool abort, usb_hash_failure *failure)
{
    int failed = 0;
    if (!h)
        return 0;
    pthread_mutex_lock(&h->lock);
    h->closing = true;
    h->aborting = abort;
    pthread_cond_signal(&h->wake);
    pthread_mutex_unlock(&h->lock);
    pthread_join(h->thread, NULL);
    for (size_t i = 0; i < h->count; i++) {
        if (h->jobs[i].status != USB_COPY_OK && h->jobs[i].status != USB_COPY_CANCELLED &&
            !failed) {
            failed = 1;
            if (failure) {
                failure->tag = h->jobs[i].tag;
                failure->status = h->jobs[i].status;
                failure->err_no = h->jobs[i].err_no;
            }
        }
    }
    pthread_mutex_destroy(&h->lock);
    pthread_cond_destroy(&h->wake);
    free(h->jobs);
    free(h);
    return failed;
}
