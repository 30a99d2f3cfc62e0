/* Test support: libconfig-like text to a bt_node tree without libconfig (see bt_test_tree.c). */
#ifndef BT_TEST_TREE_H
#define BT_TEST_TREE_H

#include "bangtin/bt_tree.h"

/* Parses text into a heap tree (free with bt_node_destroy); fails the test on a syntax error. */
bt_node *bt_test_parse_cfg(const char *text);

#endif
