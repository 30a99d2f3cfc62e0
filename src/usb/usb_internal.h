/* Private to the usb room: what its modules share beyond bt_usb.h and bt_package.h. */
#ifndef BT_USB_INTERNAL_H
#define BT_USB_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bangtin/bt_config.h"
#include "bangtin/bt_diag.h"
#include "bangtin/bt_package.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_usb.h"
#include "bangtin/bt_sha256.h"

/* Copy buffer: large enough that a syscall moves a lot, small enough to stay in L2. */
#define USB_COPY_CHUNK (1024 * 1024)
/* Start writeback every this many bytes written, so the final fsync finds little to do. */
#define USB_WRITEBACK_BYTES (8 * 1024 * 1024)

/* ---- names and files (files.c) --------------------------------------------------------------- */

/* A file name from the stick made printable for a message: invalid UTF-8 and control bytes
 * become '?'. Returns out. */
const char *usb_printable(const char *raw, char *out, size_t size);
/* Reads a whole regular file (without blocking on a FIFO) of at most max bytes, relative to
 * dirfd; a symlink is refused unless follow (the appliance's own key files may be links, a
 * stick's files never). 0 and a malloc'd NUL-terminated *data; -1 with errno (EFBIG if
 * larger, ELOOP for a symlink, EINVAL if not a regular file). */
int usb_read_small(int dirfd, const char *name, size_t max, bool follow, char **data,
                   size_t *len);
/* Opens the regular file rel (components separated by '/') under dirfd without following any
 * symlink along the way and without blocking on a FIFO. fd, or -1 with errno (ELOOP for a
 * symlink, EINVAL for something that is not a regular file or directory). */
int usb_open_beneath(int dirfd, const char *rel);
/* Copies path without its trailing slashes into out ("a/b//" → "a/b", "/" stays "/"): POSIX
 * resolves "link/" to the link's target even under O_NOFOLLOW, so every path from outside goes
 * through this before anything opens it. 0, or -1 (ENAMETOOLONG; EINVAL for ""). */
int usb_path_trim(const char *path, char *out, size_t size);
/* Splits a trimmed path into the folder that holds its last component and that component:
 * "a/b" → "a" + "b", "b" → "." + "b", "/b" → "/" + "b". *name points into path. 0, or -1
 * (EINVAL for "/", which has no last component; ENAMETOOLONG). */
int usb_path_split(const char *path, char *parent, size_t size, const char **name);
/* fsync of a directory by path or fd. */
int usb_fsync_dir(int dirfd);
/* Vietnamese reason for errno when reading the stick / writing the appliance's disk. */
const char *usb_stick_reason(int err);
const char *usb_disk_reason(int err);
/* A short Vietnamese phrase for errno anywhere else (pack, keys). */
const char *usb_errno_text(int err);

/* Called while copying: bytes just handled. Returns non-zero to stop (cancelled). */
typedef int (*usb_copy_tick)(void *ctx, uint64_t bytes);

typedef enum {
    USB_COPY_OK,
    USB_COPY_READ_ERROR,    /* errno in *err_no: the stick */
    USB_COPY_WRITE_ERROR,   /* errno in *err_no: the appliance's disk */
    USB_COPY_SHORT,         /* the file ended before its size: the stick or a changed file */
    USB_COPY_LONG,          /* the file is longer than its size: changed after signing */
    USB_COPY_CANCELLED
} usb_copy_status;

/* Writes all n bytes at offset off (retrying short writes and EINTR); -1 with errno set, ENOSPC
 * for a write that makes no progress. */
int usb_pwrite_all(int fd, const unsigned char *p, size_t n, uint64_t off);
/* Copies exactly `size` bytes from in to out (out may be -1: hash only), hashing them into
 * hex, starting writeback as it goes. One thread, one buffer: for pack, check and small jobs;
 * the import uses the pipeline below. */
usb_copy_status usb_copy_hash(int in, int out, uint64_t size, char hex[BT_SHA256_HEX_SIZE],
                              usb_copy_tick tick, void *tick_ctx, int *err_no);

/* ---- the import's copy pipeline (copy.c) ---------------------------------------------------- */

/* Reads each file once into large aligned buffers (the caller's thread), hashes them on one
 * thread and writes the very same buffers into the store on another, while the next file is
 * read: what is checked against MANIFEST is exactly what the store holds. */
typedef struct usb_copier usb_copier;

typedef struct {
    size_t tag;                /* the caller's tag of the first file that failed */
    usb_copy_status status;    /* LONG: not the signed bytes; READ_ERROR/SHORT: the stick;
                                * WRITE_ERROR: the appliance's disk; CANCELLED: tick said so */
    int err_no;
} usb_copy_failure;

/* A copier for at most max_files files. 0, or -1 (out of memory or threads). */
int usb_copier_start(usb_copier **out, size_t max_files);
/* Reads exactly size bytes of in (the stick's file; the caller closes it) and queues them to be
 * hashed and compared with expected (hex) and written to out (taken: closed once written; -1
 * to hash only, for an object already stored). cached: write out through the page cache, for
 * a file read again right away (the validation's images); otherwise it bypasses the cache.
 * Returns once the file is read; tick is called per chunk read. 0, or -1 with the first
 * failure so far (this file's or an earlier one's). */
int usb_copier_add(usb_copier *c, int in, int out, bool cached, uint64_t size,
                   const char *expected, size_t tag, usb_copy_tick tick, void *tick_ctx,
                   usb_copy_failure *failure);
/* Waits until every file added is hashed and written. 0, or -1 with the first failure. */
int usb_copier_wait(usb_copier *c, usb_copy_failure *failure);
/* Stops the threads (dropping what is still queued), closes what is open, frees. c may be
 * NULL. */
void usb_copier_finish(usb_copier *c);

/* ---- the package on the stick (scan.c) ------------------------------------------------------- */

typedef struct {
    int dirfd;                       /* the package folder */
    char *manifest_text;             /* owned */
    size_t manifest_len;
    char key[BT_SHA256_HEX_SIZE];    /* SHA-256 of the MANIFEST bytes */
    bt_manifest manifest;
    bt_signature_status signature;
    char signer[BT_PACKAGE_KEY_ID_SIZE];
} usb_package;

typedef enum { USB_PACKAGE_OK, USB_PACKAGE_NOT_PACKAGE, USB_PACKAGE_REFUSED,
               USB_PACKAGE_UNREADABLE, USB_PACKAGE_MISSING } usb_package_status;

/* What a package without a trusted signature gets: refused (usb.require_signature, the
 * default), a warning and read on (usb.require_signature = false, for testing), or a warning
 * and read on to be approved with the PIN (usb.unsigned = "pin"; missing or untrusted only: a
 * signature that does not match its MANIFEST is refused whatever the policy). */
typedef enum { USB_SIGNATURE_REQUIRED, USB_SIGNATURE_OPTIONAL, USB_SIGNATURE_PIN }
    usb_signature_policy;

/* The policy of cfg; asks_pin: something can ask staff (the kiosk), else "pin" refuses. */
usb_signature_policy usb_signature_policy_of(const bt_config *cfg, bool asks_pin);
/* Is the package's signature one that staff may approve with the PIN (missing, untrusted)? */
bool usb_signature_approvable(bt_signature_status st);

/* Opens the package at dir (trailing slashes dropped first): reads and verifies MANIFEST and
 * its signature, parses it, walks every entry (symlinks, devices, FIFOs, unlisted and missing
 * files, sizes, limits). Every problem goes to diags. UNREADABLE: the folder or MANIFEST could
 * not be read (stick pulled); MISSING: dir does not exist or is not a folder; a reason in
 * diags too. A symlinked dir is REFUSED. pkg is usable (and must be closed) whatever the
 * result. */
usb_package_status usb_package_open(const char *dir, const bt_config_paths *trusted,
                                    usb_signature_policy policy, usb_package *pkg,
                                    bt_diags *diags);
void usb_package_close(usb_package *pkg);

/* Checks the manifest's counts and sizes against bt_limits.h; adds one error per problem. */
void usb_manifest_check_limits(const bt_manifest *m, bt_diags *diags);

/* ---- images (imagecheck.c) ------------------------------------------------------------------ */

/* If the file rel under dirfd is a PNG or JPEG (by its header), checks that it is whole: every
 * PNG chunk inside the file up to IEND (IHDR first, chunk types letters; CRCs are left to
 * libpng), a JPEG's EOI marker in its last 4 KiB. Decoding a cut PNG hangs SDL_image 2.6.3, so
 * this runs before any decode. 0 (also for a file it cannot open or that is neither), or -1
 * with a reason in why. */
int usb_image_check(int dirfd, const char *rel, char *why, size_t why_size);
/* The same check on a file's bytes already in memory, data[0..len): usb_image_check reads the
 * file through the same code. The entry point of fuzz/fuzz_image_header.c. */
int usb_image_check_buffer(const unsigned char *data, size_t len, char *why, size_t why_size);

/* ---- validation (validate.c) ----------------------------------------------------------------- */

typedef enum { USB_FILES_ALL, USB_FILES_MEDIA, USB_FILES_OTHER } usb_file_set;

/* playlist.cfg and files named like images or audio: what the validator reads. */
bool usb_path_is_media(const char *path);
/* usb_image_check over the manifest's files of one set under dirfd; -1 after diagnostics. */
int usb_check_images(int dirfd, const bt_manifest *m, usb_file_set which, bt_diags *diags);

typedef enum { USB_VALIDATION_OK, USB_VALIDATION_REFUSED, USB_VALIDATION_FAILED,
               USB_VALIDATION_CANCELLED } usb_validation_status;

typedef struct {
    const bt_usb_options *o;         /* cancel flag, audio measure, ward limits */
    const bt_manifest *manifest;
    char dir[BT_MAX_PATH_BYTES + 96];
    usb_file_set images;             /* which files' structure to check */
    bt_playlist playlist;            /* owned; valid when rc is OK */
    bt_diags diags;                  /* owned */
    usb_validation_status rc;
    int err_no;                      /* FAILED: why the directory could not be opened */
} usb_validation;

void usb_validation_init(usb_validation *v, const bt_usb_options *o, const bt_manifest *m,
                         const char *dir, usb_file_set images);
/* Validates v->dir (any thread; touches nothing but v). */
void usb_validate(usb_validation *v);
void usb_validation_free(usb_validation *v);

/* ---- the content store on disk (cstore.c) ---------------------------------------------------- */

struct bt_store;

typedef struct {
    char root[BT_MAX_PATH_BYTES];    /* absolute data_dir/content */
    int rootfd, objfd, plfd, tmpfd;  /* content/, objects/, playlists/, tmp/ */
    int lockfd;                      /* content/.lock, flock'd for the store's whole use */
} usb_cstore;

/* Creates data_dir/content if needed and takes its lock (one import or rollback at a time).
 * -1 with a reason in diags (busy: another import is running). */
int usb_cstore_open(const char *data_dir, usb_cstore *cs, bt_diags *diags);
void usb_cstore_close(usb_cstore *cs);
/* Deletes what the index does not know: temp files, objects and playlist directories left by
 * an import that was interrupted (killed, power cut) or refused. */
void usb_cstore_sweep(usb_cstore *cs, struct bt_store *s);
/* Is the object in the index and on disk with this size? */
bool usb_cstore_has_object(usb_cstore *cs, struct bt_store *s, const char *sha256,
                           uint64_t size);
/* Absolute path of the directory of a stored playlist. */
void usb_cstore_playlist_dir(const usb_cstore *cs, const char *key, char *out, size_t size);
/* Removes a stored playlist's directory / an object file (after the index forgot them). */
void usb_cstore_remove_playlist(usb_cstore *cs, const char *key);
void usb_cstore_remove_object(usb_cstore *cs, const char *sha256);
/* Recursively removes dirfd/name (not following symlinks). */
void usb_remove_tree(int dirfd, const char *name);

#endif
