/* Fuzz target: what a text bulletin is read as (bt_speech_text_normalise), the reader of the
 * `text` staff write into playlist.cfg for the synthesiser. The input is the text itself.
 * Promises checked beyond the sanitizers, for every input:
 *   - invalid UTF-8 or a text over BT_SPEECH_MAX_TEXT_BYTES is refused (NULL), nothing else is;
 *   - what espeak-ng is given is valid UTF-8, holds no ASCII digit (every digit run is read out
 *     as words by some rule) and no control character (each is read as a space);
 *   - it is no longer than the rules can make it: each input byte becomes at most
 *     MAX_WORDS_PER_BYTE bytes (a lone digit "7" becomes " bảy ", a date byte a few words);
 *   - the text hash and the render key are the same when asked twice. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_speech_text.h"
#include "bangtin/bt_text.h"
#include "fuzz.h"

/* The longest reading per input byte: "1/1/1111" (8 bytes) reads as 60 bytes of words, a lone
 * "0" as 6; 64 leaves room for any rule. */
#define MAX_WORDS_PER_BYTE 64

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > BT_SPEECH_MAX_TEXT_BYTES + 16)
        return 0;
    char *text = fuzz_strndup(data, size);
    size_t len = strlen(text); /* up to the first NUL, as a playlist string would be */
    char *words = bt_speech_text_normalise(text);
    bool readable = bt_text_utf8_valid(text, len) && len <= BT_SPEECH_MAX_TEXT_BYTES;
    FUZZ_CHECK((words != NULL) == readable);
    if (words) {
        size_t n = strlen(words);
        FUZZ_CHECK(bt_text_utf8_valid(words, n));
        FUZZ_CHECK(n <= MAX_WORDS_PER_BYTE * len + 1);
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(!(words[i] >= '0' && words[i] <= '9'));
            FUZZ_CHECK((unsigned char)words[i] >= 0x20 && words[i] != 0x7F);
        }
        FUZZ_CHECK(n == 0 || (words[0] != ' ' && words[n - 1] != ' '));
    }
    char a[BT_SHA256_HEX_SIZE], b[BT_SHA256_HEX_SIZE];
    bt_speech_params p = bt_speech_default_params(-16);
    bt_speech_key(text, &p, a);
    bt_speech_key(text, &p, b);
    FUZZ_CHECK(strcmp(a, b) == 0 && strlen(a) == BT_SHA256_HEX_BYTES);
    bt_speech_text_hash(text, a);
    bt_speech_text_hash(text, b);
    FUZZ_CHECK(strcmp(a, b) == 0);
    free(words);
    free(text);
    return 0;
}
