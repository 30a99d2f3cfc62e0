/* The probe of a build whose video code is the shared module (BT_VIDEO_MODULE, the appliance):
 * video_probe.c's io_video_probe, run in the module, which opens on the first video probed. A
 * module that does not open refuses the clip with its own message (BT_ASSET_NO_DECODER), and
 * every other notice is read as usual. */
#include "video_probe.h"

#include <string.h>

#include "bangtin/bt_video_module.h"

bt_asset_status io_video_probe(const char *path, bt_video_facts *facts)
{
    char err[8];
    const bt_video_module *m = bt_video_module_load(err, sizeof err); /* its log says why */
    if (!m) {
        memset(facts, 0, sizeof *facts);
        return BT_ASSET_NO_DECODER;
    }
    return m->probe(path, facts);
}

bool io_video_probes(void)
{
    return true;
}
