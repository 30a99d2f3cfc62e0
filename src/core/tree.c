/* The parsed-configuration tree: plain data built by the io room, read by core validators.
 * Everything a node points to is owned by it, so freeing the root frees the whole file. */
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_tree.h"

void bt_node_clear(bt_node *node)
{
    size_t i;
    if (!node)
        return;
    for (i = 0; i < node->child_count; i++)
        bt_node_clear(&node->children[i]);
    free(node->children);
    free(node->name);
    free(node->string_value);
    memset(node, 0, sizeof(*node));
}

void bt_node_destroy(bt_node *root)
{
    if (!root)
        return;
    bt_node_clear(root);
    free(root);
}

const bt_node *bt_node_child(const bt_node *group, const char *name)
{
    size_t i;
    if (!group || !name || group->type != BT_NODE_GROUP)
        return NULL;
    for (i = 0; i < group->child_count; i++) {
        const bt_node *child = &group->children[i];
        if (child->name && strcmp(child->name, name) == 0)
            return child;
    }
    return NULL;
}

const char *bt_node_type_vi(bt_node_type type)
{
    switch (type) {
    case BT_NODE_GROUP:
        return "nhóm { }";
    case BT_NODE_LIST:
        return "danh sách ( )";
    case BT_NODE_ARRAY:
        return "mảng [ ]";
    case BT_NODE_INT:
        return "số nguyên";
    case BT_NODE_FLOAT:
        return "số thực";
    case BT_NODE_BOOL:
        return "đúng/sai (true/false)";
    case BT_NODE_STRING:
        return "chuỗi";
    }
    return "không rõ";
}
