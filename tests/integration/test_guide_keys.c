/* The staff guide (playlists/README.md) and the commented template (playlists/template) cover
 * everything a playlist can hold, and stay valid:
 *   - every key the validator accepts, taken from its own tables (bt_playlist_known_keys), has a
 *     row "| `key` |" in the guide's table for its level (the section under the heading that
 *     starts with "Các khoá" and names the level in backticks; the top level's heading names
 *     none), and is written at that level in the template itself (not only in a comment);
 *   - every word a value may take (kinds, item priorities, makeup scopes, target channels,
 *     periods and counts), from the validator's own name functions, is in the guide and the
 *     template;
 *   - `bangtin check` accepts the template and each worked example in playlists/examples/
 *     (warnings allowed), with the ward limits of a default configuration.
 * So a key or a word added to the validator later fails here until it is documented. */
#include "bt_test_support.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bangtin/bt_broadcast.h"
#include "bangtin/bt_cfgfile.h"
#include "bangtin/bt_diag.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_tree.h"

#define PLAYLISTS_DIR BT_SOURCE_DIR "/playlists"
#define GUIDE PLAYLISTS_DIR "/README.md"
#define TEMPLATE_DIR PLAYLISTS_DIR "/template"
#define EXAMPLES_DIR PLAYLISTS_DIR "/examples"
#define MAX_KEYS 256
#define MAX_WORDS 64

static char *read_text(const char *path)
{
    char *text = bt_test_read_file(path, NULL);
    if (!text)
        fail_msg("cannot read %s", path);
    return text;
}

static size_t known_keys(bt_playlist_key *keys)
{
    size_t n = bt_playlist_known_keys(keys, MAX_KEYS);
    assert_true(n > 0 && n <= MAX_KEYS);
    return n;
}

/* ---- the guide ---------------------------------------------------------------------------- */

/* Start of the line after the one p is on (or the terminating NUL). */
static const char *next_line(const char *p)
{
    const char *nl = strchr(p, '\n');
    return nl ? nl + 1 : p + strlen(p);
}

/* The section of the guide holding the key table of a level: from its heading (a Markdown
 * heading starting "Các khoá" that names the level in backticks, or names no backticked word at
 * all for the top level) to the next heading. Sets *end; NULL if there is no such heading. */
static const char *level_section(const char *guide, const char *level, const char **end)
{
    char marker[96];
    snprintf(marker, sizeof marker, "`%s`", level);
    const char *found = NULL;
    for (const char *line = guide; *line; line = next_line(line)) {
        if (line[0] != '#')
            continue;
        const char *text = line + strspn(line, "#");
        text += strspn(text, " ");
        size_t len = (size_t)(next_line(line) - line);
        char heading[256];
        snprintf(heading, sizeof heading, "%.*s", (int)(len < sizeof heading ? len : 255), line);
        if (strncmp(text, "Các khoá", strlen("Các khoá")) != 0)
            continue;
        bool match = level[0] ? strstr(heading, marker) != NULL : strchr(heading, '`') == NULL;
        if (!match)
            continue;
        if (found)
            fail_msg("two key tables for level \"%s\" in the guide", level);
        found = next_line(line);
    }
    if (!found)
        return NULL;
    const char *p = found;
    while (*p && p[0] != '#')
        p = next_line(p);
    *end = p;
    return found;
}

/* Is there a table row "| `name` |" between section and end? */
static bool section_has_row(const char *section, const char *end, const char *name)
{
    char row[96];
    snprintf(row, sizeof row, "| `%s` |", name);
    for (const char *line = section; line < end; line = next_line(line))
        if (strncmp(line, row, strlen(row)) == 0)
            return true;
    return false;
}

static void test_every_key_is_in_the_guide(void **state)
{
    (void)state;
    bt_playlist_key keys[MAX_KEYS];
    size_t n = known_keys(keys);
    char *guide = read_text(GUIDE);
    size_t missing = 0;
    for (size_t i = 0; i < n; i++) {
        const char *end = NULL;
        const char *section = level_section(guide, keys[i].level, &end);
        if (!section) {
            print_error("the guide has no table \"Các khoá …\" for level \"%s\" (key \"%s\")\n",
                        keys[i].level, keys[i].name);
            missing++;
        } else if (!section_has_row(section, end, keys[i].name)) {
            print_error("the guide's table for level \"%s\" has no row \"| `%s` |\"\n",
                        keys[i].level, keys[i].name);
            missing++;
        }
    }
    free(guide);
    assert_int_equal(missing, 0);
}

/* ---- the template ------------------------------------------------------------------------- */

#define MAX_GROUPS 512

/* The groups at a dotted level path: the root for "", else each named child down the path, and
 * inside a list or array each of its group elements. Returns how many (at most MAX_GROUPS). */
static size_t groups_at(const bt_node *root, const char *level, const bt_node **out)
{
    const bt_node *cur[MAX_GROUPS], *next[MAX_GROUPS];
    size_t n = 1;
    char path[128];
    cur[0] = root;
    snprintf(path, sizeof path, "%s", level);
    for (char *seg = path[0] ? path : NULL, *dot; seg; seg = dot ? dot + 1 : NULL) {
        dot = strchr(seg, '.');
        if (dot)
            *dot = '\0';
        size_t m = 0;
        for (size_t g = 0; g < n; g++) {
            for (size_t c = 0; c < cur[g]->child_count; c++) {
                const bt_node *child = &cur[g]->children[c];
                if (!child->name || strcmp(child->name, seg) != 0)
                    continue;
                if (child->type == BT_NODE_GROUP && m < MAX_GROUPS) {
                    next[m++] = child;
                    continue;
                }
                for (size_t e = 0; e < child->child_count; e++)
                    if (child->children[e].type == BT_NODE_GROUP && m < MAX_GROUPS)
                        next[m++] = &child->children[e];
            }
        }
        memcpy(cur, next, m * sizeof *cur);
        n = m;
    }
    memcpy(out, cur, n * sizeof *cur);
    return n;
}

static void test_every_key_is_written_in_the_template(void **state)
{
    (void)state;
    bt_playlist_key keys[MAX_KEYS];
    size_t n = known_keys(keys);
    bt_node *root = NULL;
    bt_diags diags;
    bt_diags_init(&diags);
    assert_int_equal(bt_cfgfile_read(TEMPLATE_DIR "/playlist.cfg", "playlist.cfg", &root, &diags),
                     0);
    size_t missing = 0;
    for (size_t i = 0; i < n; i++) {
        const bt_node *groups[MAX_GROUPS];
        size_t count = groups_at(root, keys[i].level, groups);
        bool found = false;
        for (size_t g = 0; g < count && !found; g++)
            for (size_t c = 0; c < groups[g]->child_count && !found; c++)
                found = groups[g]->children[c].name &&
                        strcmp(groups[g]->children[c].name, keys[i].name) == 0;
        if (!found) {
            print_error("the template does not write key \"%s\" at level \"%s\" (outside "
                        "comments)\n",
                        keys[i].name, keys[i].level);
            missing++;
        }
    }
    bt_node_destroy(root);
    bt_diags_free(&diags);
    assert_int_equal(missing, 0);
}

/* ---- value words -------------------------------------------------------------------------- */

static void add_word(const char **words, size_t *n, const char *word)
{
    if (strcmp(word, "?") != 0 && *n < MAX_WORDS)
        words[(*n)++] = word;
}

/* Every word a value may take, from the validator's own name functions (each says "?" past its
 * last value, so a word added to a table is picked up here). */
static size_t value_words(const char **words)
{
    size_t n = 0;
    for (int k = 0; k < 32 && strcmp(bt_notice_kind_name((bt_notice_kind)k), "?") != 0; k++)
        add_word(words, &n, bt_notice_kind_name((bt_notice_kind)k));
    add_word(words, &n, BT_NOTICE_RESULTS_NAME);
    for (int k = 0; k < 32 && strcmp(bt_broadcast_priority_name((bt_broadcast_priority)k), "?");
         k++)
        add_word(words, &n, bt_broadcast_priority_name((bt_broadcast_priority)k));
    for (int k = 0; k < 32 && strcmp(bt_broadcast_makeup_name((bt_makeup_scope)k), "?"); k++)
        add_word(words, &n, bt_broadcast_makeup_name((bt_makeup_scope)k));
    for (int k = 0; k < 32 && strcmp(bt_target_channel_name((bt_target_channel)k), "?"); k++)
        add_word(words, &n, bt_target_channel_name((bt_target_channel)k));
    for (int k = 0; k < 32 && strcmp(bt_target_counts_name((bt_target_counts)k), "?"); k++)
        add_word(words, &n, bt_target_counts_name((bt_target_counts)k));
    /* Not every period kind is a word of playlist.cfg (a day, nine months): those say "?". */
    for (int k = 0; k < 32; k++)
        add_word(words, &n, bt_target_period_name((bt_period_kind)k));
    assert_true(n < MAX_WORDS);
    return n;
}

static void test_every_value_word_is_in_guide_and_template(void **state)
{
    (void)state;
    const char *words[MAX_WORDS];
    size_t n = value_words(words);
    char *guide = read_text(GUIDE);
    char *tmpl = read_text(TEMPLATE_DIR "/playlist.cfg");
    size_t missing = 0;
    /* The validator's words at the time of writing, so a name function that stopped listing
     * would not pass unnoticed. */
    static const char *const expected[] = {"text", "image", "qr", "schedule", "results",
                                           "normal", "priority", "emergency", "none", "day",
                                           "week", "month", "quarter", "year", "loudspeaker",
                                           "screen", "items", "airings", "notices", "minutes"};
    for (size_t e = 0; e < sizeof expected / sizeof expected[0]; e++) {
        bool listed = false;
        for (size_t i = 0; i < n && !listed; i++)
            listed = strcmp(words[i], expected[e]) == 0;
        if (!listed)
            fail_msg("the validator no longer names the word \"%s\"", expected[e]);
    }
    for (size_t i = 0; i < n; i++) {
        char quoted[64];
        snprintf(quoted, sizeof quoted, "\"%s\"", words[i]);
        if (!strstr(guide, quoted)) {
            print_error("the guide never writes the value %s\n", quoted);
            missing++;
        }
        if (!strstr(tmpl, quoted)) {
            print_error("the template never writes the value %s (a comment will do)\n", quoted);
            missing++;
        }
    }
    free(guide);
    free(tmpl);
    assert_int_equal(missing, 0);
}

/* ---- bangtin check ------------------------------------------------------------------------ */

/* Runs `bangtin check` on dir with a configuration that sets nothing (the default ward limits,
 * whatever this machine's own configuration says) and fails with its output if not valid. */
static void check_passes(const char *config, const char *dir)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' --config '%s' check '%s' 2>&1", BT_BANGTIN_EXE, config, dir);
    int status = -1;
    char *out = bt_test_run(cmd, &status);
    assert_non_null(out);
    if (status != 0 || !strstr(out, "Hợp lệ: playlist")) {
        print_error("bangtin check %s (exit %d):\n%s", dir, status, out);
        free(out);
        fail();
    }
    free(out);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_template_and_examples_pass_check(void **state)
{
    (void)state;
    char *tmp = bt_test_temp_dir("guide-keys");
    assert_non_null(tmp);
    char config[1024];
    snprintf(config, sizeof config, "%s/bangtin.cfg", tmp);
    assert_int_equal(bt_test_write_file(config, "", 0), 0);

    check_passes(config, TEMPLATE_DIR);

    char *names[64];
    size_t n = 0;
    DIR *d = opendir(EXAMPLES_DIR);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        char path[1024];
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", EXAMPLES_DIR, e->d_name);
        if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode) || n == 64)
            continue;
        names[n] = malloc(strlen(path) + 1);
        assert_non_null(names[n]);
        memcpy(names[n], path, strlen(path) + 1);
        n++;
    }
    closedir(d);
    /* A quarter's plan, an emergency bulletin and a one-off event, at least. */
    assert_true(n >= 3);
    qsort(names, n, sizeof *names, compare_names);
    for (size_t i = 0; i < n; i++) {
        check_passes(config, names[i]);
        free(names[i]);
    }
    free(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_key_is_in_the_guide),
        cmocka_unit_test(test_every_key_is_written_in_the_template),
        cmocka_unit_test(test_every_value_word_is_in_guide_and_template),
        cmocka_unit_test(test_template_and_examples_pass_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
