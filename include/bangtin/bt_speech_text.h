/* Text bulletins (issue 11, item 5): what the synthesiser is given to read, and the names a
 * rendered bulletin is kept and logged under.
 *
 * espeak-ng's Vietnamese voice reads words well but not what officials write: "10/10/2025"
 * comes out as "mười mười hai ngàn…", "UBND" in English, "Quý IV" as "roman four". So before
 * synthesis the text is rewritten into the words a listener in Hanoi expects: numbers
 * ("hai mươi mốt", "một trăm linh năm", "hai nghìn không trăm hai mươi lăm"), dates
 * ("ngày mồng một tháng mười năm …"), times ("bảy giờ ba mươi phút"), ranges, percentages,
 * units, document numbers ("30/2020/NĐ-CP" → "ba mươi năm hai nghìn không trăm hai mươi của
 * Chính phủ"), Roman numerals after "quý", and administrative abbreviations (UBND, CCHC,
 * TTHC…). The rules are tables in speech_text.c; tests/data/speech/normalise.txt holds each
 * rule's cases. Any change to what the rules produce bumps BT_SPEECH_RULES_VERSION, so bulletins
 * rendered under the old rules are rendered again rather than reused.
 *
 * Pure: no files, no clock, no synthesiser. */
#ifndef BT_SPEECH_TEXT_H
#define BT_SPEECH_TEXT_H

#include <stddef.h>

#include "bt_sha256.h"

/* Bump whenever a rule or table below changes what a text reads as. */
#define BT_SPEECH_RULES_VERSION 1
/* espeak-ng's Vietnamese voice (Northern; Debian's espeak-ng-data ships it). */
#define BT_SPEECH_VOICE "vi"
/* Words per minute. espeak-ng's default (175) is quick for an outdoor loudspeaker, where echo
 * between horns blurs syllables and many listeners are old; news readers on ward systems speak
 * at about 140-150. */
#define BT_SPEECH_RATE_WPM 150
/* A bulletin's text as staff write it: 15 minutes (BT_MAX_AUDIO_ITEM_SECONDS) at 150 words a
 * minute is about 2 250 Vietnamese syllables of 4-6 bytes with their space: 12 000 bytes holds
 * that, and bounds what the synthesiser is handed. */
#define BT_SPEECH_MAX_TEXT_BYTES 12000

/* How a bulletin is rendered; every field is part of its key. */
typedef struct {
    const char *voice;        /* BT_SPEECH_VOICE */
    int rate_wpm;             /* BT_SPEECH_RATE_WPM */
    int loudness_target_lufs; /* the render is brought to the loudspeaker's target */
} bt_speech_params;

/* The defaults above with the given loudness target. */
bt_speech_params bt_speech_default_params(int loudness_target_lufs);

/* The words espeak-ng is given for text (valid UTF-8; NFC is applied first). malloc'd (caller
 * frees); NULL if text is not valid UTF-8, longer than BT_SPEECH_MAX_TEXT_BYTES, or memory runs
 * out. */
char *bt_speech_text_normalise(const char *text);

/* SHA-256 (hex) of the text as the playlist holds it (NFC, trimmed by the validator): the
 * "text hash" the airing log keeps beside the audio's. */
void bt_speech_text_hash(const char *text, char hex[BT_SHA256_HEX_SIZE]);

/* The render's key: SHA-256 (hex) over the text, the voice, the rate, the rules' version and
 * the loudness target. A rendered bulletin is stored under it, so the same text rendered the
 * same way is found again and any change renders afresh. */
void bt_speech_key(const char *text, const bt_speech_params *p, char hex[BT_SHA256_HEX_SIZE]);

#endif
