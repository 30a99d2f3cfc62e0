/* Fuzz target: a bulletin's captions (bt_captions_build, bt_captions_build_transcript), which
 * cut and pace the `text` and `transcript` staff write into playlist.cfg. The first byte picks
 * the mode and the duration, the rest is the text. Promises checked beyond the sanitizers, for
 * every input:
 *   - invalid UTF-8 is refused, nothing else is;
 *   - each phrase is valid UTF-8 without control characters, not empty, at most
 *     BT_CAPTION_MAX_CHARS characters unless it is one word;
 *   - the cues follow one another without gap or overlap, end at the duration, and what
 *     bt_captions_at and bt_captions_next_change say agree with them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_caption.h"
#include "bangtin/bt_text.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void check_cues(const bt_captions *c, int64_t duration)
{
    if (c->count == 0)
        return;
    FUZZ_CHECK(c->duration_ms == (duration > 0 ? duration : c->duration_ms));
    for (size_t i = 0; i < c->count; i++) {
        const bt_caption_cue *q = &c->cues[i];
        size_t n = strlen(q->text);
        FUZZ_CHECK(n > 0 && bt_text_utf8_valid(q->text, n));
        for (size_t k = 0; k < n; k++)
            FUZZ_CHECK((unsigned char)q->text[k] >= 0x20 && q->text[k] != 0x7F);
        FUZZ_CHECK(chars(q->text) <= BT_CAPTION_MAX_CHARS || !strchr(q->text, ' '));
        FUZZ_CHECK(q->from_ms >= 0 && q->from_ms <= q->until_ms && q->weight > 0);
        FUZZ_CHECK(i + 1 == c->count ? q->until_ms == c->duration_ms
                                     : q->until_ms == c->cues[i + 1].from_ms);
        /* Inside a cue that lasts, the cue shown is one that starts no later (a cue of no
         * length is passed over) and the next change is its end or before. */
        if (q->until_ms > q->from_ms) {
            size_t at = bt_captions_at(c, q->from_ms);
            FUZZ_CHECK(at != SIZE_MAX && at >= i);
            FUZZ_CHECK(c->cues[at].from_ms == q->from_ms);
            int64_t next = bt_captions_next_change(c, q->from_ms);
            FUZZ_CHECK(next > 0 && next <= q->until_ms - q->from_ms);
        }
    }
    FUZZ_CHECK(bt_captions_at(c, c->duration_ms) == SIZE_MAX);
    FUZZ_CHECK(bt_captions_next_change(c, c->duration_ms) == -1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > BT_MAX_TRANSCRIPT_BYTES + 16)
        return 0;
    bool transcript = data[0] & 1;
    /* 0 (not measured) or up to about 15 minutes. */
    int64_t duration = (int64_t)(data[0] >> 1) * 7000;
    char *text = fuzz_strndup(data + 1, size - 1);
    bt_captions c;
    int rc = transcript ? bt_captions_build_transcript(text, duration, &c)
                        : bt_captions_build(text, duration, &c);
    FUZZ_CHECK((rc == 0) == bt_text_utf8_valid(text, strlen(text)));
    if (rc == 0)
        check_cues(&c, duration);
    else
        FUZZ_CHECK(c.count == 0 && c.cues == NULL);
    bt_captions_free(&c);
    free(text);
    return 0;
}
