/* The public results notices (kind "results"), filled with today's progress of their target:
 * in the kiosk, in `screenshot` on the appliance, and in the staff tools' preview (which has no
 * log and says figures will come), so all three show the same notice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_results_notice.h"

/* A sentence or two of bt_target_public_text; the panel's line is as long. */
#define RESULTS_BODY_BYTES 512

static bool set_owned(char **field, const char *text)
{
    if (*field && strcmp(*field, text) == 0)
        return false;
    char *copy = strdup(text);
    if (!copy)
        return false;
    free(*field);
    *field = copy;
    return true;
}

bool bt_app_results_fill(bt_playlist *p, const bt_target_progress *progress, size_t count)
{
    bool changed = false;
    for (size_t i = 0; p && i < p->notice_count; i++) {
        bt_notice *n = &p->notices[i];
        if (!n->target)
            continue;
        char body[RESULTS_BODY_BYTES] = "";
        for (size_t k = 0; k < count; k++) {
            if (progress[k].target && strcmp(progress[k].target->id, n->target) == 0) {
                bt_target_public_text(&progress[k], body, sizeof body);
                break;
            }
        }
        if (!body[0])
            snprintf(body, sizeof body, "Kết quả sẽ được cập nhật khi kỳ báo cáo bắt đầu.");
        if (!n->title)
            changed |= set_owned(&n->title, BT_RESULTS_NOTICE_TITLE);
        changed |= set_owned(&n->body, body);
    }
    return changed;
}
