/* Stick detection for the kiosk: every 2 s, look for a `bangtin/` folder under the mount roots
 * at the depths desktop automounters use (/media/LABEL, /media/USER/LABEL,
 * /run/media/USER/LABEL, a stick mounted straight on /mnt). Reports each folder once while it
 * stays, so a stick is imported once per plug. Cheap: a few readdir and stat calls, bounded
 * by MAX_SCAN_ENTRIES per directory so a crowded /mnt cannot make it slow. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bangtin/bt_package.h"
#include "bangtin/bt_usb.h"

/* Directory entries looked at per directory: mount roots hold a few users or sticks. */
#define MAX_SCAN_ENTRIES 64
/* Sticks seen at once: a hub full of them is still a handful. */
#define MAX_PRESENT 16

typedef struct {
    char path[BT_MAX_PATH_BYTES];
    dev_t dev;
    ino_t ino;
} found_dir;

struct bt_usb_poller {
    bt_config_paths roots;
    found_dir reported[MAX_PRESENT]; /* reported and still present at the last poll */
    size_t reported_count;
    found_dir present[MAX_PRESENT];  /* this poll's findings */
    size_t present_count;
};

int bt_usb_poller_create(const bt_config_paths *roots, bt_usb_poller **out)
{
    *out = calloc(1, sizeof(**out));
    if (!*out)
        return -1;
    if (roots)
        (*out)->roots = *roots;
    return 0;
}

void bt_usb_poller_destroy(bt_usb_poller *p)
{
    free(p);
}

/* Records dir/bangtin if it is a real directory. */
static void try_candidate(bt_usb_poller *p, const char *dir)
{
    char path[BT_MAX_PATH_BYTES];
    struct stat st;
    if (p->present_count >= MAX_PRESENT ||
        snprintf(path, sizeof(path), "%s/%s", dir, BT_PACKAGE_STICK_DIR) >= (int)sizeof(path))
        return;
    if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return;
    found_dir *f = &p->present[p->present_count++];
    snprintf(f->path, sizeof(f->path), "%s", path);
    f->dev = st.st_dev;
    f->ino = st.st_ino;
}

/* Looks in dir and, depth levels further down, in its subdirectories. */
static void scan(bt_usb_poller *p, const char *dir, int depth)
{
    try_candidate(p, dir);
    if (depth == 0)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *ent;
    int seen = 0;
    while ((ent = readdir(d)) != NULL && seen++ < MAX_SCAN_ENTRIES) {
        char sub[BT_MAX_PATH_BYTES];
        struct stat st;
        if (ent->d_name[0] == '.' || strcmp(ent->d_name, BT_PACKAGE_STICK_DIR) == 0)
            continue;
        if (snprintf(sub, sizeof(sub), "%s/%s", dir, ent->d_name) >= (int)sizeof(sub))
            continue;
        /* Mount points are directories; a symlink in /media is not followed. */
        if (lstat(sub, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        scan(p, sub, depth - 1);
    }
    closedir(d);
}

static bool same(const found_dir *a, const found_dir *b)
{
    return a->dev == b->dev && a->ino == b->ino && strcmp(a->path, b->path) == 0;
}

int bt_usb_poller_poll(bt_usb_poller *p, char *path, size_t size)
{
    if (!p)
        return -1;
    p->present_count = 0;
    for (size_t i = 0; i < p->roots.count; i++)
        scan(p, p->roots.paths[i], 2);

    /* Forget what was pulled out, so plugging it in again counts. */
    size_t kept = 0;
    for (size_t i = 0; i < p->reported_count; i++) {
        bool still = false;
        for (size_t j = 0; j < p->present_count && !still; j++)
            still = same(&p->reported[i], &p->present[j]);
        if (still)
            p->reported[kept++] = p->reported[i];
    }
    p->reported_count = kept;

    for (size_t j = 0; j < p->present_count; j++) {
        bool known = false;
        for (size_t i = 0; i < p->reported_count && !known; i++)
            known = same(&p->reported[i], &p->present[j]);
        if (known || p->reported_count >= MAX_PRESENT)
            continue;
        p->reported[p->reported_count++] = p->present[j];
        snprintf(path, size, "%s", p->present[j].path);
        return 1;
    }
    return 0;
}
