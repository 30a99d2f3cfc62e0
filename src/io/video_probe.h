/* Reading a video's headers, private to the io room (issue 15): video_probe.c with libavformat
 * where the build has video (BT_VIDEO), linked in or, on the appliance (BT_VIDEO_MODULE), inside
 * the video module and reached through video_probe_module.c; video_probe_none.c where it has
 * not (the staff tools on Windows), whose loads then leave videos to the appliance. */
#ifndef BT_IO_VIDEO_PROBE_H
#define BT_IO_VIDEO_PROBE_H

#include <stdbool.h>

#include "bangtin/bt_playlist.h"

/* Fills *facts from the file at path (a regular file the caller checked): container, first
 * video and audio stream's codec, size, frame rate, duration, bytes. BT_ASSET_OK (the facts
 * are then for the validator to judge), BT_ASSET_TOO_LARGE (more than BT_MAX_VIDEO_FILE_BYTES,
 * nothing opened), BT_ASSET_UNDECODABLE (no container or stream could be read),
 * BT_ASSET_NO_DECODER (the video module does not open: video_probe_module.c). */
bt_asset_status io_video_probe(const char *path, bt_video_facts *facts);
/* false in a build without video: the probe is not offered to the validator. */
bool io_video_probes(void);

#endif
