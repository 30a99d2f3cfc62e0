/* A parsed configuration file as plain data: every setting with its name, type, value and the
 * line it came from. The io room builds it from libconfig; core validates it without knowing
 * libconfig exists. */
#ifndef BT_TREE_H
#define BT_TREE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    BT_NODE_GROUP,  /* { a = 1; b = 2; } named children */
    BT_NODE_LIST,   /* ( {...}, "x", 3 ) heterogeneous, unnamed children */
    BT_NODE_ARRAY,  /* [ "a", "b" ] scalars of one type, unnamed children */
    BT_NODE_INT,
    BT_NODE_FLOAT,
    BT_NODE_BOOL,
    BT_NODE_STRING
} bt_node_type;

typedef struct bt_node {
    char *name;            /* owned; NULL for elements of lists and arrays and for the root */
    bt_node_type type;
    int line;              /* 1-based source line; 0 if unknown */
    long long int_value;
    double float_value;
    bool bool_value;
    char *string_value;    /* owned, raw bytes as in the file (not yet checked for UTF-8) */
    struct bt_node *children; /* owned array */
    size_t child_count;
} bt_node;

/* Frees the node's contents and children (not the node itself, which may live in an array). */
void bt_node_clear(bt_node *node);
/* Frees a heap-allocated root made by the io room. NULL is fine. */
void bt_node_destroy(bt_node *root);
/* Child of a group by name, or NULL. */
const bt_node *bt_node_child(const bt_node *group, const char *name);
/* Human name of a type in Vietnamese, for messages: "số nguyên", "chuỗi", "nhóm { }" … */
const char *bt_node_type_vi(bt_node_type type);

#endif
