/* Stick detection for the kiosk: every 2 s, look for a stick's `bangtin/` folder under the mount
 * roots at the depths automounters use: our udev rule's /media/bangtin/sdb1, udisks2's
 * /media/USER/LABEL and /run/media/USER/LABEL, /media/LABEL, a stick mounted straight on /mnt.
 * Reports each folder once while it stays, so a stick is imported once per plug. Cheap: a few
 * readdir and stat calls, bounded by MAX_SCAN_ENTRIES per directory so a crowded /mnt cannot
 * make it slow. Every folder is opened from its parent's fd with O_NOFOLLOW and checked with
 * fstat: a symlink (a stick can hold them) is never followed, not even a mount root's.
 *
 * Which folder named bangtin is a package? The udev rule mounts sticks *inside* a folder of
 * that very name (/media/bangtin/sdb1), so the name alone cannot tell. What can:
 *   1. A folder on another filesystem than its parent (st_dev differs) is a mount point: a
 *      stick's root, never a package. It is looked into like any folder (a stick mounted on a
 *      folder called bangtin holds its package one level down).
 *   2. A bangtin folder in a mount point below the mount root (/media/bangtin/sdb1/bangtin,
 *      /media/USER/LABEL/bangtin) sits at a stick's root: it is the package, whatever it holds,
 *      so a folder copied without `bangtin pack` still gets the receipt that says so.
 *   3. Where no mount point tells (a stick mounted on the mount root itself, a mount root that
 *      is its own filesystem, plain folders): a bangtin folder is a package when it holds a
 *      package's file (MANIFEST, MANIFEST.sig or playlist.cfg); otherwise it is the rule's
 *      container (sdb1, sdc1 … or nothing once they are pulled) and its subfolders are looked
 *      into. An empty /media/bangtin left after the last stick is pulled is thus never taken
 *      for a package. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bangtin/bt_package.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_usb.h"
#include "usb_internal.h"

/* Directory entries looked at per directory: mount roots hold a few users or sticks. */
#define MAX_SCAN_ENTRIES 64
/* Sticks seen at once: a hub full of them is still a handful. */
#define MAX_PRESENT 16
/* Levels below a mount root whose folders may hold bangtin/: ROOT/X/Y (/media/bangtin/sdb1,
 * /run/media/USER/LABEL). */
#define MAX_SCAN_DEPTH 2

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

/* A folder being scanned: open, with its stat and its place. */
typedef struct {
    int fd;
    const char *path;
    struct stat st;
    int depth;                       /* 0: the mount root */
    bool stick_root;                 /* a mount point below the mount root */
} scan_dir;

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

/* Opens the real folder name in parent (never a symlink) and fstats it. fd, or -1. */
static int open_dir_at(int parent, const char *name, struct stat *st)
{
    int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0 && (fstat(fd, st) != 0 || !S_ISDIR(st->st_mode))) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* Rule 3 of the file's comment: does the folder hold one of a package's own files? Any kind of
 * entry counts (a symlinked MANIFEST is the import's to refuse). */
static bool holds_package_file(int fd)
{
    static const char *const names[] = {BT_PACKAGE_MANIFEST, BT_PACKAGE_SIGNATURE,
                                        BT_PLAYLIST_FILE};
    struct stat st;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (fstatat(fd, names[i], &st, AT_SYMLINK_NOFOLLOW) == 0)
            return true;
    return false;
}

static void record(bt_usb_poller *p, const char *path, const struct stat *st)
{
    if (p->present_count >= MAX_PRESENT)
        return;
    found_dir *f = &p->present[p->present_count++];
    snprintf(f->path, sizeof(f->path), "%s", path);
    f->dev = st->st_dev;
    f->ino = st->st_ino;
}

static void scan(bt_usb_poller *p, const scan_dir *dir);

/* One subfolder of dir: the package if it is one (rules 1–3), else looked into. Takes fd. */
static void visit(bt_usb_poller *p, const scan_dir *dir, const char *name, int fd,
                  const struct stat *st)
{
    char path[BT_MAX_PATH_BYTES];
    bool mount_point = st->st_dev != dir->st.st_dev;
    if (snprintf(path, sizeof(path), "%s/%s", dir->path, name) >= (int)sizeof(path)) {
        close(fd);
        return;
    }
    if (strcmp(name, BT_PACKAGE_STICK_DIR) == 0 && !mount_point &&
        (dir->stick_root || holds_package_file(fd))) {
        record(p, path, st);
        close(fd);
        return;
    }
    if (dir->depth >= MAX_SCAN_DEPTH) {
        close(fd);
        return;
    }
    scan_dir sub = {fd, path, *st, dir->depth + 1, mount_point};
    scan(p, &sub);
}

/* Looks at the subfolders of dir (its fd is closed here). */
static void scan(bt_usb_poller *p, const scan_dir *dir)
{
    DIR *d = fdopendir(dir->fd);
    if (!d) {
        close(dir->fd);
        return;
    }
    struct dirent *ent;
    int seen = 0;
    while ((ent = readdir(d)) != NULL && seen++ < MAX_SCAN_ENTRIES) {
        struct stat st;
        if (ent->d_name[0] == '.' ||
            (ent->d_type != DT_DIR && ent->d_type != DT_UNKNOWN)) /* DT_LNK is not followed */
            continue;
        int fd = open_dir_at(dirfd(d), ent->d_name, &st);
        if (fd >= 0)
            visit(p, dir, ent->d_name, fd, &st);
    }
    closedir(d);
}

static void scan_root(bt_usb_poller *p, const char *root)
{
    char path[BT_MAX_PATH_BYTES];
    scan_dir dir = {-1, path, {0}, 0, false};
    /* "/media/" would let O_NOFOLLOW follow a symlinked /media. */
    if (usb_path_trim(root, path, sizeof(path)) != 0)
        return;
    dir.fd = open_dir_at(AT_FDCWD, path, &dir.st);
    if (dir.fd >= 0)
        scan(p, &dir);
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
        scan_root(p, p->roots.paths[i]);

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
