/* Loads a playlist directory from disk: reads playlist.cfg, probes its images (exists, stays
 * inside the directory, decodable, sane size) and runs the core validator. */
#ifndef BT_PLAYLIST_LOAD_H
#define BT_PLAYLIST_LOAD_H

#include "bt_diag.h"
#include "bt_playlist.h"

/* 0 on success with *out filled; -1 with every problem in diags and *out empty. */
int bt_playlist_load(const char *dir, bt_playlist *out, bt_diags *diags);

#endif
