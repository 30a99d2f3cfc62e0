/* Compressed loudspeaker items (OGG, MP3, FLAC, OPUS) decoded for the kiosk's engine in a child
 * process (issue 14, item 9): SDL2_mixer decodes only through an open mixer, and the kiosk's
 * device is SDL's for the whole run, so the child decodes with the audio module into a WAV of
 * the device's format that the engine loads with SDL alone. The kiosk never maps SDL2_mixer or
 * its fluidsynth chain, and a decoder that crashes or hangs on a file loses only that item.
 * The appliance's only (the child is the program found by bt_measure_executable). */
#ifndef BT_DECODE_ISOLATED_H
#define BT_DECODE_ISOLATED_H

#include <stddef.h>
#include <stdio.h>

/* The kiosk's engine's decode_elsewhere (bt_audio.h): a compressed item decoded by
 * `bangtin decode-audio FILE OUT.wav SECONDS` run from the executable (killed at
 * BT_MEASURE_TIMEOUT_MS), into a folder of this process's own under the temporary folder (0700,
 * made at the first call). 0 with the WAV's path in wav, or -1 with a Vietnamese reason naming
 * the file: the child's own, or its crash or timeout. ctx is unused. */
int bt_decode_isolated(void *ctx, const char *path, int max_seconds, char *wav,
                       size_t wav_size, char *reason, size_t reason_size);
/* Removes that folder (emptied by the engine) when the engine is closed. */
void bt_decode_isolated_cleanup(void);
/* The child's side: decodes path into out and prints "ok FRAMES" or "error MESSAGE". Returns the
 * exit status. */
int bt_decode_isolated_print(const char *path, const char *out, const char *max_seconds,
                             FILE *answer);

#endif
