/* Fuzz target: playlist.cfg as a stick or a staff member supplies it. The bytes go through the
 * whole reader (src/io/cfgfile.c: BOM, NUL, @include, libconfig, the tree) and then through every
 * validator behind bt_playlist_from_tree: notices, ticker, the loudspeaker part (broadcasts) and
 * the targets, with an asset probe that answers from the path alone, so a run is pure and fast.
 * A playlist with errors is read again as `check` reads it (the partial model of
 * bt_playlist_validate, with a glyph probe), and the ward's limits run on what it kept.
 *
 * Beyond the sanitizers it checks what the model promises: the tree is well formed, diagnostics
 * are well formed and valid UTF-8, a playlist that validated has no error, its numbers are in
 * their ranges, and its dump (every string of the model) is valid UTF-8 — libconfig passes
 * invalid UTF-8 through, the validators must not. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_broadcast.h"
#include "bangtin/bt_cfgfile.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_time.h"
#include "fuzz.h"

/* Every answer the shell's probe can give, chosen by the path's bytes so each input always gets
 * the same one (the validator reports each kind differently). */
static bt_asset_status probe_image(void *ctx, const char *relative_path, int *width, int *height)
{
    unsigned sum = 0;
    (void)ctx;
    FUZZ_CHECK(relative_path != NULL);
    FUZZ_CHECK(bt_text_utf8_valid(relative_path, strlen(relative_path)));
    for (const char *p = relative_path; *p; p++)
        sum = sum * 31u + (unsigned char)*p;
    switch (sum % 8) {
    case 4:
        return BT_ASSET_MISSING;
    case 5:
        return BT_ASSET_UNSAFE_PATH;
    case 6:
        return BT_ASSET_UNDECODABLE;
    case 7:
        *width = BT_MAX_IMAGE_SIDE + 1;
        *height = 600;
        return BT_ASSET_TOO_LARGE;
    default:
        *width = 1920;
        *height = 1080;
        return BT_ASSET_OK;
    }
}

/* What a validated playlist must look like. */
static void check_model(const bt_playlist *p)
{
    FUZZ_CHECK(p->notice_count <= BT_MAX_NOTICES);
    FUZZ_CHECK(p->ticker_count <= BT_MAX_TICKER_LINES);
    FUZZ_CHECK(p->broadcasts.item_count <= BT_MAX_BROADCAST_ITEMS);
    FUZZ_CHECK(p->broadcasts.session_count <= BT_MAX_BROADCAST_SESSIONS);
    FUZZ_CHECK(p->targets.count <= BT_MAX_TARGETS);
    for (size_t i = 0; i < p->notice_count; i++) {
        const bt_notice *n = &p->notices[i];
        FUZZ_CHECK(n->id != NULL);
        FUZZ_CHECK(n->hour_count <= BT_MAX_HOUR_SPANS);
        for (size_t h = 0; h < n->hour_count; h++)
            FUZZ_CHECK(n->hours[h].start_minute >= 0 &&
                       n->hours[h].start_minute < n->hours[h].end_minute &&
                       n->hours[h].end_minute <= 1440);
        FUZZ_CHECK(n->priority >= BT_MIN_PRIORITY && n->priority <= BT_MAX_PRIORITY);
        FUZZ_CHECK(n->from_day <= n->until_day);
        /* The rotation asks this of every notice at every slide: any time must do. */
        bt_notice_in_time(n, 1764547200); /* 2025-12-01 00:00 UTC */
        bt_notice_in_time(n, 0);
    }
    for (size_t s = 0; s < p->broadcasts.session_count; s++) {
        const bt_broadcast_session *session = &p->broadcasts.sessions[s];
        FUZZ_CHECK(session->time_count <= BT_MAX_SESSION_TIMES);
        FUZZ_CHECK(session->at_count <= BT_MAX_SESSION_ONE_OFFS);
        FUZZ_CHECK(session->item_count <= BT_MAX_SESSION_ITEMS);
        for (size_t i = 0; i < session->item_count; i++)
            FUZZ_CHECK(session->items[i] < p->broadcasts.item_count);
        for (size_t t = 0; t < session->time_count; t++)
            FUZZ_CHECK(session->times[t] >= 0 && session->times[t] < 1440);
        bt_broadcast_session_priority(&p->broadcasts, s);
    }
    bt_playlist_in_validity(p, 1764547200);

    char *dump = bt_playlist_dump(p);
    FUZZ_CHECK(dump != NULL);
    FUZZ_CHECK(bt_text_utf8_valid(dump, strlen(dump)));
    free(dump);
}

/* The ward's limits as a typical bangtin.cfg sets them, so the limit checks run on what the
 * validator let through. */
static void check_limits(const bt_playlist *p)
{
    bt_broadcast_limits lim;
    bt_diags d;
    memset(&lim, 0, sizeof lim);
    bt_diags_init(&d);
    FUZZ_CHECK(bt_broadcast_windows_parse("05:30-07:00,16:30-18:30", "bangtin.cfg", 1, &lim,
                                          &d) == 0);
    lim.max_sessions_per_day = 6;
    lim.max_session_minutes = 30;
    bt_broadcasts_check_limits(&p->broadcasts, &lim, BT_PLAYLIST_FILE, &d);
    fuzz_check_diags(&d);
    bt_diags_free(&d);
}

/* The bundled Noto Sans, roughly: Latin and Vietnamese yes, arrows, CJK and emoji no. */
static bool covers(void *ctx, uint32_t codepoint)
{
    (void)ctx;
    return codepoint < 0x2190;
}

/* What `check` does with a playlist that has errors (bt_playlist_validate): the partial model
 * must still be safe for the later stages (the ward's limits, the dump), its sessions may only
 * name items that exist, and the glyph probe is asked only about what is drawn. */
static void check_partial(const bt_node *root)
{
    bt_diags d;
    bt_playlist p;
    bt_asset_probe probe = {.probe_image = probe_image, .glyphs = {covers, NULL}};
    bt_diags_init(&d);
    int rc = bt_playlist_validate(root, BT_PLAYLIST_FILE, &probe, &p, &d);
    FUZZ_CHECK(rc == -1 && d.errors > 0);
    for (size_t s = 0; s < p.broadcasts.session_count; s++)
        for (size_t k = 0; k < p.broadcasts.sessions[s].item_count; k++)
            FUZZ_CHECK(p.broadcasts.sessions[s].items[k] < p.broadcasts.item_count);
    check_limits(&p);
    char *dump = bt_playlist_dump(&p);
    FUZZ_CHECK(dump != NULL);
    FUZZ_CHECK(bt_text_utf8_valid(dump, strlen(dump)));
    free(dump);
    fuzz_check_diags(&d);
    bt_playlist_free(&p);
    bt_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bt_node *root = NULL;
    bt_diags diags;
    bt_playlist playlist;
    bt_asset_probe probe = {.probe_image = probe_image, .ctx = NULL};

    bt_diags_init(&diags);
    int rc = bt_cfgfile_parse((const char *)data, size, BT_PLAYLIST_FILE, &root, &diags);
    FUZZ_CHECK((rc == 0) == (root != NULL));
    FUZZ_CHECK(rc == 0 || diags.errors > 0);
    if (rc == 0) {
        size_t before = diags.errors;
        fuzz_check_tree(root);
        rc = bt_playlist_from_tree(root, BT_PLAYLIST_FILE, &probe, &playlist, &diags);
        FUZZ_CHECK(rc == 0 ? diags.errors == before : diags.errors > before);
        if (rc == 0) {
            check_model(&playlist);
            check_limits(&playlist);
        } else {
            FUZZ_CHECK(playlist.notice_count == 0 && playlist.id == NULL);
            check_partial(root);
        }
        bt_playlist_free(&playlist);
    }
    fuzz_check_diags(&diags);
    bt_node_destroy(root);
    bt_diags_free(&diags);
    return 0;
}
