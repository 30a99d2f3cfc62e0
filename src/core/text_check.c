/* Every text of playlist.cfg that a person reads, checked against what the screen can draw.
 *
 * SDL_ttf draws a character the font lacks as an empty box, and a tab or an escape code pasted
 * from Word as a box or as nothing; `check` said "Hợp lệ" for both. This pass reads the texts
 * straight from the parsed tree, independently of whether the rest of their notice validated,
 * so each problem carries its key's own line and shows up in the same run as every other error.
 * Which characters the fonts hold is asked through the shell's glyph probe (core opens no
 * font). Pure: no files, no clock. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "bangtin/bt_diag.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_tree.h"

#include "validate.h"

/* A text names at most this many characters the fonts lack, the rest counted: a pasted
 * paragraph of Chinese would otherwise fill the message (and BT_MAX_DIAG_MESSAGE). */
#define MAX_NAMED_CHARS 6
/* One named character: quotes, up to 4 bytes, " (U+10FFFF)", a separator. */
#define NAMED_CHAR_BYTES 32

/* A key whose value is read on the screen (or in the staff's reports), where it is written, and
 * whether the layout breaks it into paragraphs at "\n" (notices' titles, bodies and captions
 * are wrapped blocks; a ticker line, a session's name in the schedule table, an item's title in
 * the "ĐANG PHÁT" banner are one line, where a line break would cut the rest off). */
typedef struct {
    const char *level; /* as bt_playlist_known_keys names levels */
    const char *key;
    bool paragraphs;
} text_key;

static const text_key TEXT_KEYS[] = {
    {"", "title", false},
    {"notices", "title", true},
    {"notices", "body", true},
    {"notices", "qr_caption", true},
    {"notices", "qr_url", false}, /* printed under the code */
    {"broadcasts.items", "title", false},
    /* Issue 14: shown as captions while the item airs, a line break ending a phrase. */
    {"broadcasts.items", "text", true},
    {"broadcasts.items", "transcript", true},
    {"broadcasts.sessions", "name", false},
    {"targets", "label", false},
};
#define TEXT_KEY_COUNT (sizeof TEXT_KEYS / sizeof TEXT_KEYS[0])

/* Symbols staff paste from Word that the bundled Noto Sans lacks, with what to type instead. */
static const struct {
    uint32_t codepoint;
    const char *instead;
} REPLACEMENTS[] = {
    {0x2192, "->"}, {0x2190, "<-"}, {0x21D2, "=>"}, {0x2794, "->"}, {0x27A1, "->"},
    {0x2714, "x"},  {0x2713, "x"},  {0x2605, "*"},  {0x2606, "*"},
};
#define REPLACEMENT_COUNT (sizeof REPLACEMENTS / sizeof REPLACEMENTS[0])

/* The characters of one text that the fonts lack: the first few, distinct, and whether there
 * were others. */
typedef struct {
    uint32_t named[MAX_NAMED_CHARS];
    size_t named_count;
    bool more;
} missing_chars;

static void note_missing(missing_chars *m, uint32_t cp)
{
    for (size_t i = 0; i < m->named_count; i++)
        if (m->named[i] == cp)
            return;
    if (m->named_count < MAX_NAMED_CHARS)
        m->named[m->named_count++] = cp;
    else
        m->more = true;
}

/* "\"通\" (U+901A)": the character as written, then its code point. */
static void name_char(uint32_t cp, char *buf, size_t size)
{
    utf8proc_uint8_t utf8[4];
    utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)cp, utf8);
    snprintf(buf, size, "\"%.*s\" (U+%04X)", (int)(n > 0 ? n : 0), (const char *)utf8,
             (unsigned)cp);
}

static const char *replacement_for(uint32_t cp)
{
    for (size_t i = 0; i < REPLACEMENT_COUNT; i++)
        if (REPLACEMENTS[i].codepoint == cp)
            return REPLACEMENTS[i].instead;
    return NULL;
}

static void report_missing(bt_validator *v, const bt_node *node, const char *where,
                           const missing_chars *m)
{
    char list[MAX_NAMED_CHARS * NAMED_CHAR_BYTES + 64], one[NAMED_CHAR_BYTES], hint[96] = "";
    size_t used = 0;
    list[0] = '\0';
    for (size_t i = 0; i < m->named_count; i++) {
        name_char(m->named[i], one, sizeof one);
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", one);
        const char *instead = replacement_for(m->named[i]);
        if (instead && !hint[0]) {
            char shown[NAMED_CHAR_BYTES];
            name_char(m->named[i], shown, sizeof shown);
            snprintf(hint, sizeof hint, " (thay %s bằng \"%s\")", shown, instead);
        }
    }
    if (m->more)
        snprintf(list + used, sizeof list - used, " và các ký tự khác");
    const char *previous = bt_diags_set_code(v->diags, "glyph");
    bt_validate_report(v, BT_DIAG_ERROR, node->line,
                       "%s có ký tự mà phông chữ của màn hình không có: %s — màn hình sẽ hiện ô "
                       "trống thay cho chúng; hãy xoá hoặc thay bằng chữ tiếng Việt, chữ số hay "
                       "dấu thông thường%s",
                       where, list, hint);
    bt_diags_set_code(v->diags, previous);
}

static void report_control(bt_validator *v, const bt_node *node, const char *where, uint32_t cp,
                           bool paragraphs)
{
    const char *previous = bt_diags_set_code(v->diags, "control-char");
    if (cp == '\t')
        bt_validate_report(v, BT_DIAG_ERROR, node->line,
                           "%s có ký tự tab (U+0009, \\t) — màn hình không hiển thị được ký tự "
                           "này; hãy thay bằng một dấu cách",
                           where);
    else if (cp == '\n' && !paragraphs)
        bt_validate_report(v, BT_DIAG_ERROR, node->line,
                           "%s có ký tự xuống dòng (\\n), nhưng chữ này hiện trên một dòng nên "
                           "phần sau sẽ bị cắt — hãy bỏ \\n (chỉ nội dung, tiêu đề và chú thích "
                           "của thông báo mới được xuống dòng)",
                           where);
    else
        bt_validate_report(v, BT_DIAG_ERROR, node->line,
                           "%s có ký tự điều khiển U+%04X không hiển thị được (thường do chép từ "
                           "Word hay Excel) — hãy gõ lại đoạn chữ đó hoặc xoá ký tự này",
                           where, (unsigned)cp);
    bt_diags_set_code(v->diags, previous);
}

/* A control character the screen cannot show: C0 (a line break only in paragraphs), DEL, C1. */
static bool refused_control(uint32_t cp, bool paragraphs)
{
    if (cp == '\n')
        return !paragraphs;
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0);
}

static void check_text(bt_validator *v, const bt_node *node, const char *element, bool paragraphs,
                       const bt_glyph_probe *glyphs)
{
    char where[128];
    const char *s = bt_validate_string(node);
    /* Wrong types and invalid UTF-8 are the validators' to report. */
    if (node->type != BT_NODE_STRING || !bt_text_utf8_valid(s, strlen(s)))
        return;
    char *text = bt_text_nfc(s);
    if (!text) {
        bt_validate_no_memory(v, node->line);
        return;
    }
    /* As the validators store it: white space around the text (a final "\n") is dropped. */
    bt_validate_trim_in_place(text);
    bt_validate_where(node, element, where, sizeof where);
    missing_chars missing = {{0}, 0, false};
    bool control_reported = false;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(text);
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0)
            break;
        p += n;
        left -= n;
        uint32_t c = (uint32_t)cp;
        if (c == '\n' && paragraphs)
            continue;
        if (refused_control(c, paragraphs)) {
            /* One message per text: the first such character says what to look for. */
            if (!control_reported)
                report_control(v, node, where, c, paragraphs);
            control_reported = true;
            continue;
        }
        /* Default-ignorable characters (zero-width space, joiners) are never drawn: HarfBuzz
         * hides them, so a font without them shows nothing wrong. */
        if (utf8proc_get_property(cp)->ignorable)
            continue;
        if (glyphs && glyphs->covers && !glyphs->covers(glyphs->ctx, c))
            note_missing(&missing, c);
    }
    if (missing.named_count)
        report_missing(v, node, where, &missing);
    free(text);
}

static const text_key *text_key_of(const char *level, const char *name)
{
    for (size_t i = 0; i < TEXT_KEY_COUNT; i++)
        if (strcmp(TEXT_KEYS[i].level, level) == 0 && strcmp(TEXT_KEYS[i].key, name) == 0)
            return &TEXT_KEYS[i];
    return NULL;
}

/* The texts among one group's keys (a notice, an item, a session, a target, the file's top). */
static void check_group(bt_validator *v, const bt_node *group, const char *level,
                        const bt_glyph_probe *glyphs)
{
    if (group->type != BT_NODE_GROUP)
        return;
    for (size_t i = 0; i < group->child_count; i++) {
        const bt_node *child = &group->children[i];
        const text_key *k = child->name ? text_key_of(level, child->name) : NULL;
        if (k)
            check_text(v, child, child->name, k->paragraphs, glyphs);
    }
}

/* The groups of a list, e.g. notices = ( { … }, { … } ). */
static void check_list(bt_validator *v, const bt_node *list, const char *level,
                       const bt_glyph_probe *glyphs)
{
    if (!list || (list->type != BT_NODE_LIST && list->type != BT_NODE_ARRAY))
        return;
    for (size_t i = 0; i < list->child_count; i++)
        check_group(v, &list->children[i], level, glyphs);
}

void bt_validate_playlist_texts(bt_validator *v, const bt_node *root,
                                const bt_glyph_probe *glyphs)
{
    if (!root || root->type != BT_NODE_GROUP)
        return;
    check_group(v, root, "", glyphs);
    check_list(v, bt_node_child(root, "notices"), "notices", glyphs);
    check_list(v, bt_node_child(root, "targets"), "targets", glyphs);
    const bt_node *broadcasts = bt_node_child(root, "broadcasts");
    if (broadcasts && broadcasts->type == BT_NODE_GROUP) {
        check_list(v, bt_node_child(broadcasts, "items"), "broadcasts.items", glyphs);
        check_list(v, bt_node_child(broadcasts, "sessions"), "broadcasts.sessions", glyphs);
    }
    const bt_node *ticker = bt_node_child(root, "ticker");
    if (ticker && (ticker->type == BT_NODE_ARRAY || ticker->type == BT_NODE_LIST)) {
        for (size_t i = 0; i < ticker->child_count; i++) {
            char element[64];
            snprintf(element, sizeof element, "dòng chữ chạy thứ %zu", i + 1);
            check_text(v, &ticker->children[i], element, false, glyphs);
        }
    }
}
