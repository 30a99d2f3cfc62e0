/* The content store's folder of text bulletin renders (bt_app_speech.h), on the appliance only:
 * made when an activation speaks into it, pruned with the playlists after an import. A check's
 * temporary renders are speech_cache.c's. */
#include "bangtin/bt_app_speech.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bangtin/bt_app.h"
#include "bangtin/bt_buf.h"
#include "bangtin/bt_cfgfile.h"
#include "bangtin/bt_content_store.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_vi.h"

int bt_speech_cache_open(bt_speech_cache *c, const char *data_dir, int loudness_target_lufs,
                         char *err, size_t err_size)
{
    memset(c, 0, sizeof *c);
    c->params = bt_speech_default_params(loudness_target_lufs);
    if (!data_dir || bt_speech_store_folder(data_dir, c->dir, sizeof c->dir) != 0) {
        bt_set_error(err, err_size, "Đường dẫn thư mục dữ liệu quá dài.");
        return -1;
    }
    if (bt_app_ensure_dir(c->dir) != 0) {
        bt_set_error(err, err_size, "Không tạo được thư mục bản đọc \"%s\": %s.", c->dir,
                     bt_vi_errno(errno).text);
        return -1;
    }
    return 0;
}

/* ---- pruning ------------------------------------------------------------------------------- */

typedef struct {
    char (*names)[BT_SHA256_HEX_SIZE + 4];   /* "<key>.wav" */
    size_t count, cap;
} name_set;

static bool set_add(name_set *set, const char *name)
{
    void *room = bt_grow(set->names, &set->cap, set->count + 1, sizeof *set->names);
    if (!room)
        return false;
    set->names = room;
    snprintf(set->names[set->count++], sizeof *set->names, "%s", name);
    return true;
}

static bool set_has(const name_set *set, const char *name)
{
    for (size_t i = 0; i < set->count; i++)
        if (strcmp(set->names[i], name) == 0)
            return true;
    return false;
}

/* The render names of the text items of dir's playlist.cfg into set. A playlist that no longer
 * reads keeps nothing: it cannot be loaded to air anyway. false only when out of memory. */
static bool add_renders_of(const bt_speech_cache *c, const char *dir, name_set *set)
{
    char path[BT_MAX_PATH_BYTES + 32];
    snprintf(path, sizeof path, "%s/%s", dir, BT_PLAYLIST_FILE);
    bt_node *root = NULL;
    bt_diags d;
    bt_diags_init(&d);
    bt_broadcasts b;
    bt_broadcasts_init(&b);
    bool ok = true;
    if (bt_cfgfile_read(path, BT_PLAYLIST_FILE, &root, &d) == 0 &&
        bt_broadcasts_from_tree(bt_node_child(root, "broadcasts"), BT_PLAYLIST_FILE, &b, &d) == 0) {
        for (size_t i = 0; ok && i < b.item_count; i++) {
            char key[BT_SHA256_HEX_SIZE], name[BT_SHA256_HEX_SIZE + 4];
            if (!b.items[i].text)
                continue;
            bt_speech_key(b.items[i].text, &c->params, key);
            snprintf(name, sizeof name, "%s.wav", key);
            ok = set_add(set, name);
        }
    }
    bt_broadcasts_free(&b);
    bt_node_destroy(root);
    bt_diags_free(&d);
    return ok;
}

int bt_speech_cache_prune(bt_speech_cache *c, struct bt_store *store)
{
    name_set keep = {0};
    bt_content_playlist *kept = NULL;
    size_t kept_count = 0;
    bt_store_playlist active;
    int has_active = bt_store_active_playlist(store, &active);
    if (c->temporary || has_active < 0 || bt_content_list(store, &kept, &kept_count) != 0)
        return -1;
    bool ok = has_active == 0 || add_renders_of(c, active.dir, &keep);
    for (size_t i = 0; ok && i < kept_count; i++)
        ok = add_renders_of(c, kept[i].dir, &keep);
    free(kept);
    int deleted = 0;
    DIR *d = ok ? opendir(c->dir) : NULL;
    struct dirent *e;
    time_t now = time(NULL);
    while (d && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        char path[BT_MAX_PATH_BYTES + 300];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", c->dir, e->d_name);
        bool render = n == BT_SHA256_HEX_BYTES + 4 &&
                      strcmp(e->d_name + BT_SHA256_HEX_BYTES, ".wav") == 0;
        /* A temporary file older than any render may take was left by a crash mid-render. */
        bool debris = n > 4 && strcmp(e->d_name + n - 4, ".tmp") == 0 && stat(path, &st) == 0 &&
                      now - st.st_mtime > 2 * BT_SPEECH_TIMEOUT_MS / 1000;
        if ((render && !set_has(&keep, e->d_name)) || debris)
            deleted += unlink(path) == 0;
    }
    if (d)
        closedir(d);
    free(keep.names);
    if (!ok)
        return -1;
    if (deleted > 0)
        bt_log_info("Đã xoá %d bản đọc không còn playlist nào dùng.", deleted);
    return deleted;
}
