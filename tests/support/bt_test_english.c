/* See bt_test_english.h. */
#include "bt_test_english.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "bt_test_support.h"

/* English words that the texts of libc, SQLite, libconfig and SDL, and our own codes, are made
 * of. Short Vietnamese words that are also English ("to", "do", "in", "an", "con", "ban") are left
 * out on purpose; "no" and "on" stay (they are not Vietnamese without their marks). "video" is
 * Vietnamese too (the ward's plan asks for "video clip ngắn"; reports count "lượt video"). */
static const char *const ENGLISH[] = {
    "about",      "access",    "aired",     "airing",    "already",    "and",
    "are",       "array",      "at-risk",   "audio",     "available", "bad",        "broken",
    "busy",      "by",         "can",       "cannot",    "clock",     "completed",  "corrupt",
    "could",     "couldn",     "crash",     "database",  "deep",      "denied",     "device",
    "directory", "disk",       "done",      "duplicate", "element",   "emergency",  "empty",
    "error",     "errors",     "exhausted", "exists",    "failed",    "failure",    "file",
    "format",    "found",      "from",      "full",      "has",       "image",      "include",
    "input",     "interrupted","invalid",   "is",        "jump",      "large",      "library",
    "locked",    "long",       "made-up",   "malformed", "many",      "memory",     "met",
    "mismatched","missed",     "name",      "nesting",   "no",        "not",        "of",
    "off",       "on",         "only",      "open",      "operation", "or",         "out",
    "output",    "pending",    "permission","permitted", "pipe",      "playback",   "queue",
    "range",     "read",       "ready",       "read-only", "resource",  "setting",   "space",      "store",
    "success",   "such",       "supported", "syntax",    "system",    "the",        "timed",
    "too",       "track",      "type",      "unable",    "unavailable","unknown",   "unrecognized",
    "unsupported","untrusted", "warning",   "with",      "write",      "wrong",
};

static bool letter(unsigned char c)
{
    return c < 0x80 && isalpha(c) != 0;
}

/* Whether [i, j) (letters joined by single hyphens) is on the list, whole or any part of it. */
static bool listed(const unsigned char *s, size_t i, size_t j)
{
    for (size_t k = 0; k < sizeof ENGLISH / sizeof ENGLISH[0]; k++)
        if (strlen(ENGLISH[k]) == j - i && strncasecmp((const char *)s + i, ENGLISH[k], j - i) == 0)
            return true;
    for (size_t a = i; a < j;) {
        size_t b = a;
        while (b < j && s[b] != '-')
            b++;
        if (b - a < j - i) /* a part, not the whole */
            for (size_t k = 0; k < sizeof ENGLISH / sizeof ENGLISH[0]; k++)
                if (strlen(ENGLISH[k]) == b - a &&
                    strncasecmp((const char *)s + a, ENGLISH[k], b - a) == 0)
                    return true;
        a = b + 1;
    }
    return false;
}

/* A byte that makes an ASCII run part of something that is not an English word: a Vietnamese
 * letter (any non-ASCII byte), a digit, or what joins names, paths and ids (a hyphen
 * only here, at the end of a run: "SHA-256"; between letters it joins words, all checked). */
static bool glue(unsigned char c)
{
    return c >= 0x80 || isdigit(c) || strchr("/._-\\@", c) != NULL;
}

const char *bt_test_english_word(const char *text, char *word, size_t size)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = strlen(text);
    for (size_t i = 0; i < n;) {
        if (!letter(s[i])) {
            i++;
            continue;
        }
        /* A word, or hyphenated words ("made-up", "no-device"): letters joined by '-'. */
        size_t j = i;
        while (j < n && (letter(s[j]) || (s[j] == '-' && j + 1 < n && letter(s[j + 1]))))
            j++;
        bool glued = (i > 0 && glue(s[i - 1])) || (j < n && glue(s[j]));
        if (!glued && listed(s, i, j)) {
            snprintf(word, size, "%.*s", (int)(j - i), (const char *)s + i);
            return word;
        }
        i = j;
    }
    return NULL;
}

void bt_test_assert_no_english(const char *text, const char *what)
{
    char word[64];
    const char *line = text;
    while (line && *line) {
        size_t len = strcspn(line, "\n");
        char buf[2048];
        snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf - 1 ? len : sizeof buf - 1),
                 line);
        if (bt_test_english_word(buf, word, sizeof word))
            fail_msg("%s: English word \"%s\" in: %s", what, word, buf);
        line += len + (line[len] == '\n');
    }
}
