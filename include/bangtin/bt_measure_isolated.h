/* Measuring broadcast audio in a child process (`bangtin measure FILE --machine`) instead of inside the
 * kiosk. Decoding a 40 s item holds tens of MB of PCM for a moment; in a child that peak never
 * counts against the lobby screen's memory, and a file that crashes or hangs a decoder (audio
 * comes from USB sticks) takes down only the child, which is killed after a timeout. */
#ifndef BT_MEASURE_ISOLATED_H
#define BT_MEASURE_ISOLATED_H

#include <stddef.h>
#include <stdio.h>

#include "bt_child.h"
#include "bt_loudness.h"

/* A child gets this long per file before it is killed (decoding 15 min of MP3 takes ~2 s). */
#define BT_MEASURE_TIMEOUT_MS 60000

/* The bangtin executable to run as the child (the app sets "/proc/self/exe" at start). While
 * none is set (unit tests linking the rooms directly) measuring happens in-process. */
void bt_measure_set_executable(const char *path);
/* The executable set above, or NULL (text bulletins are rendered by the same child program). */
const char *bt_measure_executable(void);

/* Runs `bangtin COMMAND PATH --machine` from exe as a child with the deadline (the one way a
 * file from a stick is opened by a decoder away from the caller: measure, video-check); its
 * answer line into answer, what happened into *res. -1 only when out of memory (res untouched). */
int bt_measure_run_child(const char *exe, const char *command, const char *path, int timeout_ms,
                         char *answer, size_t answer_size, bt_child_result *res);

/* Measures path in `bangtin measure --machine` run from the bangtin executable. 0 with *out, or
 * -1 with a Vietnamese reason in err (the child's own, or why the child failed). */
int bt_measure_isolated(const char *path, bt_loudness *out, char *err, size_t err_size);

/* The child's side (`bangtin measure FILE --machine`): measures path and prints one line,
 * "ok LUFS PEAK TRUEPEAK SECONDS SHA256 LEADING TRAILING INSIDE INSIDE_AT SILENT_FRACTION" (silence in seconds, the fraction 0…1;
 * bt_silence) or "error MESSAGE", which bt_measure_isolated parses. Returns the exit status. */
int bt_measure_print(const char *path, FILE *out);
/* `bangtin measure FILE` for staff: every figure on its own line, named in Vietnamese with its
 * unit (LUFS, dBFS, dBTP, giây, %); a failure's reason goes to stderr. Returns the exit status. */
int bt_measure_print_for_staff(const char *path, FILE *out);

#endif
