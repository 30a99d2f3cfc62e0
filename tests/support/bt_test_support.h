/* Helpers shared by the tests: cmocka's headers in the right order, temp dirs, file reading. */
#ifndef BT_TEST_SUPPORT_H
#define BT_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Reads a whole file into a malloc'd NUL-terminated buffer; NULL if it cannot. */
char *bt_test_read_file(const char *path, size_t *len);
/* Writes len bytes to path (creating it); 0 on success. */
int bt_test_write_file(const char *path, const void *data, size_t len);
/* Makes a fresh empty directory under the build tree and returns its path (static buffer per
 * call site is not needed: the returned string is malloc'd, caller frees). */
char *bt_test_temp_dir(const char *name);
/* Runs a shell command and returns its stdout (malloc'd) and exit status in *status. */
char *bt_test_run(const char *command, int *status);
/* Runs a shell command that must succeed: a failure fails the test with its output. */
void bt_test_run_ok(const char *command);
/* Runs a shell command that must exit with want_status and returns its stdout (malloc'd); any
 * other status fails the test with the command and its output. */
char *bt_test_run_expect(const char *command, int want_status);

/* A span of test audio: `seconds` of a 440 Hz tone of RMS `dbfs`, or of digital silence when
 * dbfs is -INFINITY. */
typedef struct {
    double seconds;
    double dbfs;
} bt_test_span;
/* Writes a 48 kHz mono 16-bit WAV of the spans, in order; 0 on success. The tone runs on
 * across spans, so two tone spans make one tone. */
int bt_test_write_wav(const char *path, const bt_test_span *spans, size_t count);

#endif
