/* What a new playlist changes against the one playing (bt_playlist_diff.h): notices and
 * sessions matched by id; a notice changed when anything staff would see or its timing differs,
 * a session when its times, days or items do. */
#include "bangtin/bt_playlist_diff.h"

#include <stdio.h>
#include <string.h>

static bool same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static const bt_notice *find_notice(const bt_playlist *p, const char *id)
{
    for (size_t i = 0; p && id && i < p->notice_count; i++)
        if (p->notices[i].id && strcmp(p->notices[i].id, id) == 0)
            return &p->notices[i];
    return NULL;
}

static const bt_broadcast_session *find_session(const bt_playlist *p, const char *id)
{
    for (size_t i = 0; p && id && i < p->broadcasts.session_count; i++)
        if (p->broadcasts.sessions[i].id && strcmp(p->broadcasts.sessions[i].id, id) == 0)
            return &p->broadcasts.sessions[i];
    return NULL;
}

typedef struct {
    bt_playlist_same_file_fn same_file;
    void *ctx;
} file_compare;

static bool same_image(const file_compare *fc, const char *a, const char *b)
{
    if (!a || !b)
        return !a && !b;
    if (fc->same_file)
        return fc->same_file(fc->ctx, a, b);
    return strcmp(a, b) == 0;
}

static bool notice_changed(const bt_notice *a, const bt_notice *b, const file_compare *fc)
{
    if (a->kind != b->kind || !same_text(a->title, b->title) || !same_text(a->body, b->body) ||
        !same_text(a->qr_url, b->qr_url) || !same_text(a->qr_caption, b->qr_caption) ||
        !same_text(a->topic, b->topic) || !same_text(a->target, b->target) ||
        !same_image(fc, a->image, b->image) || !same_image(fc, a->video, b->video) ||
        a->loop != b->loop || a->sound != b->sound)
        return true;
    if (a->duration_seconds != b->duration_seconds || a->from_day != b->from_day ||
        a->until_day != b->until_day || a->weekdays != b->weekdays ||
        a->priority != b->priority || a->urgent != b->urgent || a->caption != b->caption ||
        a->fit_whole != b->fit_whole ||
        a->hour_count != b->hour_count)
        return true;
    return memcmp(a->hours, b->hours, a->hour_count * sizeof a->hours[0]) != 0;
}

/* The id of the session's i-th item, through its playlist's items. */
static const char *session_item_id(const bt_playlist *p, const bt_broadcast_session *s, size_t i)
{
    size_t k = s->items[i];
    return k < p->broadcasts.item_count ? p->broadcasts.items[k].id : NULL;
}

static bool session_changed(const bt_playlist *pa, const bt_broadcast_session *a,
                            const bt_playlist *pb, const bt_broadcast_session *b)
{
    if (!same_text(a->name, b->name) || a->time_count != b->time_count ||
        a->at_count != b->at_count || a->item_count != b->item_count ||
        a->weekdays != b->weekdays || a->from_day != b->from_day ||
        a->until_day != b->until_day || a->makeup != b->makeup)
        return true;
    if (memcmp(a->times, b->times, a->time_count * sizeof a->times[0]) != 0 ||
        memcmp(a->at, b->at, a->at_count * sizeof a->at[0]) != 0)
        return true;
    for (size_t i = 0; i < a->item_count; i++)
        if (!same_text(session_item_id(pa, a, i), session_item_id(pb, b, i)))
            return true;
    return false;
}

/* Copies at most size - 1 bytes of s, never cutting a UTF-8 character. */
static void copy_name(char *dst, size_t size, const char *s)
{
    size_t n = strlen(s);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static void note(bt_playlist_diff *d, bt_playlist_diff_kind kind, const char *name,
                 const char *id)
{
    size_t i = d->count[kind]++;
    if (i < BT_PLAYLIST_DIFF_MAX_NAMES)
        copy_name(d->names[kind][i], sizeof d->names[kind][i], name && *name ? name : id ? id : "?");
}

void bt_playlist_diff_compute(const bt_playlist *old, const bt_playlist *new_playlist,
                              bt_playlist_same_file_fn same_file, void *ctx,
                              bt_playlist_diff *out)
{
    const file_compare fc = {same_file, ctx};
    const bt_playlist *n = new_playlist;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; n && i < n->notice_count; i++) {
        const bt_notice *b = &n->notices[i];
        const bt_notice *a = find_notice(old, b->id);
        if (!a)
            note(out, BT_DIFF_NOTICES_ADDED, b->title, b->id);
        else if (notice_changed(a, b, &fc))
            note(out, BT_DIFF_NOTICES_CHANGED, b->title, b->id);
    }
    for (size_t i = 0; old && i < old->notice_count; i++)
        if (!find_notice(n, old->notices[i].id))
            note(out, BT_DIFF_NOTICES_REMOVED, old->notices[i].title, old->notices[i].id);
    for (size_t i = 0; n && i < n->broadcasts.session_count; i++) {
        const bt_broadcast_session *b = &n->broadcasts.sessions[i];
        const bt_broadcast_session *a = find_session(old, b->id);
        if (!a)
            note(out, BT_DIFF_SESSIONS_ADDED, b->name, b->id);
        else if (session_changed(old, a, n, b))
            note(out, BT_DIFF_SESSIONS_CHANGED, b->name, b->id);
    }
    for (size_t i = 0; old && i < old->broadcasts.session_count; i++) {
        const bt_broadcast_session *a = &old->broadcasts.sessions[i];
        if (!find_session(n, a->id))
            note(out, BT_DIFF_SESSIONS_REMOVED, a->name, a->id);
    }
}

bool bt_playlist_diff_empty(const bt_playlist_diff *d)
{
    for (int k = 0; k < BT_DIFF_KIND_COUNT; k++)
        if (d->count[k])
            return false;
    return true;
}

static const char *const KIND_LABELS[BT_DIFF_KIND_COUNT] = {
    [BT_DIFF_NOTICES_ADDED] = "Thông báo thêm",
    [BT_DIFF_NOTICES_REMOVED] = "Thông báo bỏ",
    [BT_DIFF_NOTICES_CHANGED] = "Thông báo sửa",
    [BT_DIFF_SESSIONS_ADDED] = "Buổi phát loa thêm",
    [BT_DIFF_SESSIONS_REMOVED] = "Buổi phát loa bỏ",
    [BT_DIFF_SESSIONS_CHANGED] = "Buổi phát loa sửa",
};

const char *bt_playlist_diff_line(const bt_playlist_diff *d, bt_playlist_diff_kind kind,
                                  char *buf, size_t size)
{
    if (size == 0)
        return buf;
    buf[0] = '\0';
    if ((int)kind < 0 || kind >= BT_DIFF_KIND_COUNT || d->count[kind] == 0)
        return buf;
    size_t used = (size_t)snprintf(buf, size, "%s (%zu):", KIND_LABELS[kind], d->count[kind]);
    size_t shown = d->count[kind] < BT_PLAYLIST_DIFF_MAX_NAMES ? d->count[kind]
                                                                : BT_PLAYLIST_DIFF_MAX_NAMES;
    for (size_t i = 0; i < shown && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s «%s»", i ? "," : "",
                                 d->names[kind][i]);
    if (d->count[kind] > shown && used < size)
        snprintf(buf + used, size - used, " … và %zu mục khác", d->count[kind] - shown);
    return buf;
}
