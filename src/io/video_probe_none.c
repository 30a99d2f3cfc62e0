/* A build without video (BT_VIDEO=OFF: the staff tools on Windows): the probe is not offered to
 * the validator, so a video notice's path is checked but its file is left to the appliance,
 * which probes and decodes it when the stick is imported. */
#include "video_probe.h"

#include <string.h>

bt_asset_status io_video_probe(const char *path, bt_video_facts *facts)
{
    (void)path;
    memset(facts, 0, sizeof *facts);
    return BT_ASSET_UNDECODABLE;
}

bool io_video_probes(void)
{
    return false;
}
