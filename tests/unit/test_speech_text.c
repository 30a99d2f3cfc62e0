/* What a text bulletin is read as: every case of tests/data/speech/normalise.txt ("< " what
 * staff write, "> " what espeak-ng is given), then the hashes and keys the airing log and the
 * content store use, and the limits. */
#include "bt_test_support.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_speech_text.h"

#define CASES_FILE BT_SOURCE_DIR "/tests/data/speech/normalise.txt"
#define LINE_BYTES 2048

/* "\n" and "\u{XXXX}" in a case's input, so line breaks and decomposed letters can be written. */
static void unescape(const char *in, char *out, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; in[i] && o + 5 < size; i++) {
        unsigned cp;
        int used;
        if (in[i] == '\\' && in[i + 1] == 'n') {
            out[o++] = '\n';
            i++;
        } else if (in[i] == '\\' && sscanf(in + i, "\\u{%x}%n", &cp, &used) == 1) {
            if (cp < 0x80) {
                out[o++] = (char)cp;
            } else if (cp < 0x800) {
                out[o++] = (char)(0xC0 | (cp >> 6));
                out[o++] = (char)(0x80 | (cp & 0x3F));
            } else {
                out[o++] = (char)(0xE0 | (cp >> 12));
                out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                out[o++] = (char)(0x80 | (cp & 0x3F));
            }
            i += (size_t)used - 1;
        } else {
            out[o++] = in[i];
        }
    }
    out[o] = '\0';
}

static void test_cases_file(void **state)
{
    (void)state;
    FILE *f = fopen(CASES_FILE, "r");
    assert_non_null(f);
    char line[LINE_BYTES], input[LINE_BYTES];
    int line_no = 0, cases = 0, failures = 0, input_line = 0;
    bool have_input = false;
    while (fgets(line, sizeof line, f)) {
        line_no++;
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "< ", 2) == 0) {
            assert_false(have_input); /* every input has its expected reading */
            unescape(line + 2, input, sizeof input);
            have_input = true;
            input_line = line_no;
        } else if (strncmp(line, "> ", 2) == 0) {
            assert_true(have_input);
            char *got = bt_speech_text_normalise(input);
            assert_non_null(got);
            if (strcmp(got, line + 2) != 0) {
                printf("normalise.txt:%d: \"%s\"\n  expected \"%s\"\n  got      \"%s\"\n",
                       input_line, input, line + 2, got);
                failures++;
            }
            free(got);
            have_input = false;
            cases++;
        } else {
            assert_true(line[0] == '\0' || line[0] == '#');
        }
    }
    fclose(f);
    assert_false(have_input);
    assert_true(cases >= 80);
    assert_int_equal(failures, 0);
}

/* Every rule's output is plain text espeak-ng reads: no digits survive a number. */
static void test_no_digit_left(void **state)
{
    (void)state;
    const char *text = "Từ ngày 01/10/2025 đến 31/12/2025, UBND phường tiếp nhận 1.250 hồ sơ "
                       "TTHC, đạt 98,5% đúng hạn; giờ làm việc 7h30-17h, hotline 0243 825 3536.";
    char *got = bt_speech_text_normalise(text);
    assert_non_null(got);
    for (const char *p = got; *p; p++)
        assert_false(*p >= '0' && *p <= '9');
    assert_non_null(strstr(got, "Ủy ban nhân dân"));
    assert_non_null(strstr(got, "thủ tục hành chính"));
    free(got);
}

static void test_refused_inputs(void **state)
{
    (void)state;
    assert_null(bt_speech_text_normalise(NULL));
    assert_null(bt_speech_text_normalise("\xC3\x28 bad UTF-8"));
    char *big = malloc(BT_SPEECH_MAX_TEXT_BYTES + 2);
    assert_non_null(big);
    memset(big, 'a', BT_SPEECH_MAX_TEXT_BYTES + 1);
    big[BT_SPEECH_MAX_TEXT_BYTES + 1] = '\0';
    assert_null(bt_speech_text_normalise(big));
    big[BT_SPEECH_MAX_TEXT_BYTES] = '\0';
    char *ok = bt_speech_text_normalise(big);
    assert_non_null(ok);
    free(ok);
    free(big);
    char *empty = bt_speech_text_normalise("");
    assert_non_null(empty);
    assert_string_equal(empty, "");
    free(empty);
}

static void test_hash_and_key(void **state)
{
    (void)state;
    char a[BT_SHA256_HEX_SIZE], b[BT_SHA256_HEX_SIZE];
    /* The text hash is the SHA-256 of the bytes ("abc" is FIPS 180-2's example). */
    bt_speech_text_hash("abc", a);
    assert_string_equal(a, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    bt_speech_params p = bt_speech_default_params(-16);
    assert_string_equal(p.voice, "vi");
    assert_int_equal(p.rate_wpm, BT_SPEECH_RATE_WPM);
    bt_speech_key("Thông báo", &p, a);
    bt_speech_key("Thông báo", &p, b);
    assert_string_equal(a, b);
    assert_int_equal(strlen(a), 64);
    /* Each part of the key changes it. */
    bt_speech_key("Thông báo.", &p, b);
    assert_string_not_equal(a, b);
    bt_speech_params q = p;
    q.loudness_target_lufs = -18;
    bt_speech_key("Thông báo", &q, b);
    assert_string_not_equal(a, b);
    q = p;
    q.rate_wpm = 160;
    bt_speech_key("Thông báo", &q, b);
    assert_string_not_equal(a, b);
    q = p;
    q.voice = "vi-VN-x-south";
    bt_speech_key("Thông báo", &q, b);
    assert_string_not_equal(a, b);
    /* The key is not the text's own hash: the log's text hash names the words, not a render. */
    bt_speech_text_hash("Thông báo", b);
    assert_string_not_equal(a, b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases_file),   cmocka_unit_test(test_no_digit_left),
        cmocka_unit_test(test_refused_inputs),
        cmocka_unit_test(test_hash_and_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
