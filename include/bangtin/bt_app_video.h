/* Issue 15: a video notice's whole clip decoded once before it can reach the screen, in a child
 * process (`bangtin video-check FILE --machine`, run like the audio measure: bt_child.h), so a
 * file that crashes or hangs a decoder refuses the file, never the kiosk or the staff's check.
 * `check` and `pack` run it as a stage (check_video.c); the USB import through its
 * bt_usb_options.decode_video. In a build without video check_video_none.c marks the stage left
 * to the appliance. */
#ifndef BT_APP_VIDEO_H
#define BT_APP_VIDEO_H

#include <stddef.h>
#include <stdio.h>

/* Decodes the clip at path whole in the child (in-process while no executable is set, as in the
 * unit tests: bt_measure_set_executable). 0 with the ms decoded, or -1 with a Vietnamese reason
 * in err that ends with what to do. */
int bt_app_video_check_file(const char *path, long long *decoded_ms, char *err, size_t err_size);
/* bt_app_video_check_file as the USB import's bt_usb_decode_video_fn (ctx unused). */
int bt_app_video_decode_for_usb(void *ctx, const char *path, char *err, size_t err_size);
/* The child's side: decodes path and prints "ok MS" or "error MESSAGE" on one line. Returns
 * the exit status. */
int bt_app_video_check_print(const char *path, FILE *out);

#endif
