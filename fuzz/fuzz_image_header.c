/* Fuzz target: the checks that read an image file's header and structure before anything
 * decodes it, both on files a stick brings. SDL_image 2.6.3 loops for ever on a PNG cut inside
 * a chunk, so these walks are what stand between a broken file and a hung import or screen.
 *   - usb_image_check (src/usb/imagecheck.c), the import's "is this PNG/JPEG whole" walk,
 *     through usb_image_check_buffer, and through the file path too: the input is also written
 *     to a file in a private folder under $TMPDIR and checked from there;
 *   - bt_image_header_check (src/io/playlist_load.c), the playlist probe's reading of the
 *     format, the declared size (PNG IHDR, JPEG SOFn) and the wholeness before its decode.
 * Checks beyond the sanitizers: the file and the buffer give the same result and reason; a
 * reason is written exactly when the import check refuses, terminated and valid UTF-8; the
 * probe's verdict agrees with what it reports (OK only for a PNG or JPEG with both sides in
 * 1..BT_MAX_IMAGE_SIDE, TOO_LARGE only for a side declared larger); and the two checks agree
 * where they promise the same thing: a PNG the import passes is one the probe does not call
 * broken (unless it declares a side of 0), a JPEG the probe passes is one the import passes. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bangtin/bt_playlist_load.h"
#include "bangtin/bt_text.h"
#include "fuzz.h"
#include "../src/usb/usb_internal.h" /* white box: the import's image check */

#define FILE_NAME "image"

static const unsigned char PNG_SIGNATURE[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

static struct {
    char dir[BT_MAX_PATH_BYTES];
    int dirfd;
    int fd; /* FILE_NAME in dir, open for writing: rewritten in place for each input (closing
               a file truncated and rewritten makes ext4 flush it, ~1 ms an input) */
    bool ready;
} scratch = {.dirfd = -1, .fd = -1};

static void remove_scratch(void)
{
    if (scratch.fd >= 0)
        close(scratch.fd);
    if (scratch.dirfd >= 0) {
        unlinkat(scratch.dirfd, FILE_NAME, 0);
        close(scratch.dirfd);
    }
    rmdir(scratch.dir);
}

/* A private folder under $TMPDIR for the file copy of each input (once per process). */
static void make_scratch(void)
{
    const char *tmp = getenv("TMPDIR");
    if (scratch.ready)
        return;
    snprintf(scratch.dir, sizeof scratch.dir, "%s/bangtin-fuzz-image-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    FUZZ_CHECK(mkdtemp(scratch.dir) != NULL);
    scratch.dirfd = open(scratch.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    FUZZ_CHECK(scratch.dirfd >= 0);
    scratch.fd = openat(scratch.dirfd, FILE_NAME, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    FUZZ_CHECK(scratch.fd >= 0);
    atexit(remove_scratch);
    scratch.ready = true;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    make_scratch();
    return 0;
}

/* The import's check, from memory and from a file: same answer, a reason exactly on refusal. */
static int check_import(const uint8_t *data, size_t size)
{
    char why[BT_MAX_DIAG_MESSAGE], why_file[BT_MAX_DIAG_MESSAGE];
    memset(why, 0, sizeof why);
    memset(why_file, 0, sizeof why_file);
    int rc = usb_image_check_buffer(data, size, why, sizeof why);
    FUZZ_CHECK(rc == 0 || rc == -1);
    if (rc == 0) {
        FUZZ_CHECK(why[0] == '\0');
    } else {
        FUZZ_CHECK(why[0] != '\0');
        FUZZ_CHECK(fuzz_terminated(why, sizeof why));
        FUZZ_CHECK(bt_text_utf8_valid(why, strlen(why)));
    }
    bool png = size >= 8 && memcmp(data, PNG_SIGNATURE, 8) == 0;
    bool jpeg = size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;
    if (!png && !jpeg)
        FUZZ_CHECK(rc == 0); /* not its business */

    make_scratch();
    FUZZ_CHECK(size == 0 || pwrite(scratch.fd, data, size, 0) == (ssize_t)size);
    FUZZ_CHECK(ftruncate(scratch.fd, (off_t)size) == 0);
    int rc_file = usb_image_check(scratch.dirfd, FILE_NAME, why_file, sizeof why_file);
    if (rc_file != rc || strcmp(why, why_file) != 0) {
        fprintf(stderr, "buffer: %d \"%s\"; file: %d \"%s\"\n", rc, why, rc_file, why_file);
        FUZZ_CHECK(!"usb_image_check(file) == usb_image_check_buffer(bytes)");
    }
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int import_rc = check_import(data, size);

    bt_image_format format = (bt_image_format)-1;
    uint32_t w = 1, h = 1;
    bt_asset_status status = bt_image_header_check(data, size, &format, &w, &h);
    FUZZ_CHECK(format == BT_IMAGE_UNKNOWN || format == BT_IMAGE_PNG || format == BT_IMAGE_JPEG);
    switch (status) {
    case BT_ASSET_OK:
        FUZZ_CHECK(format != BT_IMAGE_UNKNOWN);
        FUZZ_CHECK(w >= 1 && w <= BT_MAX_IMAGE_SIDE && h >= 1 && h <= BT_MAX_IMAGE_SIDE);
        break;
    case BT_ASSET_TOO_LARGE:
        /* inputs never reach INT32_MAX bytes here: only a declared side */
        FUZZ_CHECK(format != BT_IMAGE_UNKNOWN);
        FUZZ_CHECK(w >= 1 && h >= 1 && (w > BT_MAX_IMAGE_SIDE || h > BT_MAX_IMAGE_SIDE));
        break;
    case BT_ASSET_UNDECODABLE:
        break;
    default:
        FUZZ_CHECK(!"bt_image_header_check: OK, TOO_LARGE or UNDECODABLE");
    }
    if (format == BT_IMAGE_UNKNOWN)
        FUZZ_CHECK(w == 0 && h == 0 && status == BT_ASSET_UNDECODABLE);
    if (format == BT_IMAGE_PNG)
        FUZZ_CHECK(size >= 24 && memcmp(data, PNG_SIGNATURE, 8) == 0);
    if (format == BT_IMAGE_JPEG)
        FUZZ_CHECK(size >= 4 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF);

    /* Where the two promise the same thing, they agree. */
    bool png = size >= 8 && memcmp(data, PNG_SIGNATURE, 8) == 0;
    if (png && import_rc == 0) {
        FUZZ_CHECK(format == BT_IMAGE_PNG);
        FUZZ_CHECK(w == 0 || h == 0 || status != BT_ASSET_UNDECODABLE);
    }
    if (format == BT_IMAGE_JPEG && status == BT_ASSET_OK)
        FUZZ_CHECK(import_rc == 0);
    return 0;
}
