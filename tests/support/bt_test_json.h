/* Test support: a small strict JSON reader, so tests read what `--json` commands print the way a
 * tool would (bt_test_json.c). */
#ifndef BT_TEST_JSON_H
#define BT_TEST_JSON_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    BT_TEST_JSON_NULL,
    BT_TEST_JSON_BOOL,
    BT_TEST_JSON_NUMBER,
    BT_TEST_JSON_STRING,
    BT_TEST_JSON_ARRAY,
    BT_TEST_JSON_OBJECT
} bt_test_json_type;

typedef struct bt_test_json {
    bt_test_json_type type;
    bool boolean;
    double number;
    char *string;               /* UTF-8, escapes decoded */
    char **keys;                /* objects: keys[i] names items[i] */
    struct bt_test_json *items; /* arrays and objects */
    size_t count;
} bt_test_json;

/* The one value text holds (white space around it allowed, nothing else); NULL when it is not
 * valid JSON. Free with bt_test_json_free. */
bt_test_json *bt_test_json_parse(const char *text);
void bt_test_json_free(bt_test_json *value);
/* The member named key of an object, or NULL. */
const bt_test_json *bt_test_json_get(const bt_test_json *object, const char *key);

#endif
