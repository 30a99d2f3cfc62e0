/* Captions of a bulletin (issue 14, item 8): while an item airs on the loudspeaker, the lobby
 * screen shows its words as they are spoken, so that people inside, and those who cannot hear
 * well, can follow it. The words are a text bulletin's own text (what the synthesiser reads) or a
 * recorded item's `transcript`.
 *
 * The text is cut into phrases a reader takes in at a glance (a sentence, or a clause of a long
 * one, at most BT_CAPTION_MAX_CHARS characters), and the item's measured duration is shared out
 * among them by how long each takes to say: its syllables as the synthesiser reads them (numbers,
 * dates and abbreviations spelt out, bt_speech_text_normalise) and the pause after it. Pure: the
 * duration is passed in. */
#ifndef BT_CAPTION_H
#define BT_CAPTION_H

#include <stddef.h>
#include <stdint.h>

/* The longest phrase shown at once, in characters: two lines of a television subtitle (2 × 42).
 * It fills two lines across a landscape screen and three in portrait at a size read from the
 * back of a lobby (ui/caption.c). */
#define BT_CAPTION_MAX_CHARS 84
/* A phrase shorter than this ("Kính thưa bà con.", "TP.") is shown with the next one when both
 * fit: on its own it would flash by in a second. */
#define BT_CAPTION_MIN_CHARS 24
/* How long the pacing counts for one syllable and the pauses, in weight units; measured on
 * espeak-ng's Vietnamese voice at BT_SPEECH_RATE_WPM: 40 syllables take 9.9 s (0.25 s each), a
 * comma adds 0.26 s (one syllable), a full stop 0.46 s (two). */
#define BT_CAPTION_WEIGHT_SYLLABLE 2
#define BT_CAPTION_WEIGHT_COMMA 2
#define BT_CAPTION_WEIGHT_SENTENCE 4
/* Milliseconds per weight unit, for a duration not measured yet (0.25 s a syllable). */
#define BT_CAPTION_MS_PER_WEIGHT 124

typedef struct {
    const char *text;   /* the phrase, NUL-terminated, inside the captions' own buffer */
    int64_t from_ms;    /* shown from this many ms after the item's first sound … */
    int64_t until_ms;   /* … until this one (the next phrase's from_ms; the last: the end) */
    int weight;         /* what it takes to say, in weight units (syllables and its pause) */
} bt_caption_cue;

typedef struct {
    char *buffer;           /* owned: the phrases, each followed by a NUL */
    bt_caption_cue *cues;   /* owned, in order; from_ms of the first is 0, or a transcript's
                             * first time stamp */
    size_t count;
    int64_t duration_ms;    /* the last cue's until_ms */
} bt_captions;

/* Cuts text (valid UTF-8, NFC, as the validator keeps it) into phrases and paces them over
 * duration_ms (<= 0: not measured; estimated at BT_CAPTION_MS_PER_WEIGHT). Line breaks always
 * end a phrase. *out owns its memory (bt_captions_free); an empty or blank text gives no cues.
 * 0, or -1 (not UTF-8, out of memory) with *out empty. */
int bt_captions_build(const char *text, int64_t duration_ms, bt_captions *out);
/* The same for a recorded item's transcript, whose lines may begin with the time they are
 * heard at in the recording, "[m:ss] " ("[0:12] Kính thưa bà con."): the stamp is not shown,
 * the line's first phrase starts then, and the phrases between two stamps are paced between
 * them. Before a first stamp after 0:00 (a jingle) nothing shows. A stamp not after the one
 * before, or not before the end, is left out (the validator refuses the first kind). */
int bt_captions_build_transcript(const char *text, int64_t duration_ms, bt_captions *out);
void bt_captions_free(bt_captions *c);
/* A time stamp "[m:ss]" (minutes 0-999, seconds 00-59) at the start of line, with the spaces
 * after it: its length in bytes and *ms; 0 when the line does not begin with one; -1 when it
 * looks like one but its seconds are 60 or more. */
int bt_caption_stamp(const char *line, int64_t *ms);

/* The cue shown elapsed_ms after the first sound: an index, or SIZE_MAX before 0 and from the
 * end on (nothing is shown). */
size_t bt_captions_at(const bt_captions *c, int64_t elapsed_ms);
/* Milliseconds from elapsed_ms until what bt_captions_at returns next changes; -1 when it never
 * does again (past the end, or no cues). */
int64_t bt_captions_next_change(const bt_captions *c, int64_t elapsed_ms);

#endif
