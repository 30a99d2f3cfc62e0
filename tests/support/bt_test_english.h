/* Finds English in what a person reads (issue: "no English reaches staff or citizens"). A word
 * counts when it is one of a list of English words that error and status texts are made of
 * ("completed", "unable", "database" …), written in ASCII letters, as a whole word, in any case.
 * Vietnamese is never flagged: its words carry diacritics or are not on the list, and an ASCII
 * run glued to a non-ASCII letter is part of a Vietnamese word. Hyphenated words are checked
 * whole and by part ("made-up", "no-device"). Names and paths are not words: a run touching
 * '/', '.', '_' or a digit is part of a file name, a key or a path ("audio/tin.ogg",
 * "SHA-256"), so put no English word in an id. */
#ifndef BT_TEST_ENGLISH_H
#define BT_TEST_ENGLISH_H

#include <stddef.h>

/* The first English word of text, copied into word (NUL-terminated), or NULL if there is none. */
const char *bt_test_english_word(const char *text, char *word, size_t size);

/* Fails the running cmocka test, naming the word and the line, when text holds English. what
 * says where the text came from. */
void bt_test_assert_no_english(const char *text, const char *what);

#endif
