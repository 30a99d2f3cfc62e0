/* Captions of a bulletin (bt_caption.h): the phrases cut from a text and the times they show,
 * from the text and the item's duration. */
#include "bt_test_support.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_caption.h"
#include "bangtin/bt_text.h"

#define DEMO_TEXTS BT_SOURCE_DIR "/playlists/demo/audio/"

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The text with every run of white space made one space, trimmed: what the phrases, joined by
 * spaces, must give back (nothing lost, nothing repeated, nothing reordered). */
static char *squeeze(const char *s)
{
    char *out = malloc(strlen(s) + 1);
    assert_non_null(out);
    size_t o = 0;
    for (; *s; s++) {
        bool space = *s == ' ' || *s == '\n' || *s == '\t' || *s == '\r';
        if (space && (o == 0 || out[o - 1] == ' '))
            continue;
        out[o++] = space ? ' ' : *s;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    return out;
}

/* Phrases joined with single spaces. */
static char *joined(const bt_captions *c)
{
    size_t n = 1;
    for (size_t i = 0; i < c->count; i++)
        n += strlen(c->cues[i].text) + 1;
    char *out = calloc(1, n);
    assert_non_null(out);
    for (size_t i = 0; i < c->count; i++) {
        if (i)
            strcat(out, " ");
        strcat(out, c->cues[i].text);
    }
    return out;
}

/* What holds for every text: phrases in order cover it exactly, none longer than a phrase may
 * be (unless a single word), times start at 0, follow on without gaps, end at the duration, and
 * each phrase's share is its weight's. */
static void check_whole(const char *text, const bt_captions *c, int64_t duration_ms)
{
    char *a = squeeze(text), *b = joined(c);
    assert_string_equal(a, b);
    free(a);
    free(b);
    assert_true(c->count > 0);
    assert_int_equal(c->cues[0].from_ms, 0);
    assert_int_equal(c->cues[c->count - 1].until_ms, duration_ms);
    assert_int_equal(c->duration_ms, duration_ms);
    int64_t total = 0;
    for (size_t i = 0; i < c->count; i++)
        total += c->cues[i].weight;
    int64_t before = 0;
    for (size_t i = 0; i < c->count; i++) {
        const bt_caption_cue *q = &c->cues[i];
        assert_true(chars(q->text) <= BT_CAPTION_MAX_CHARS || !strchr(q->text, ' '));
        assert_true(q->from_ms <= q->until_ms);
        if (i + 1 < c->count)
            assert_int_equal(q->until_ms, c->cues[i + 1].from_ms);
        /* Exactly the share of the weights before it, to the millisecond. */
        int64_t want = before * duration_ms / total;
        assert_true(q->from_ms >= want && q->from_ms <= want + 1);
        before += q->weight;
        assert_null(strchr(q->text, '\n'));
    }
}

static void test_sentences_and_their_times(void **state)
{
    (void)state;
    /* 10 syllables and a full stop, then 9 and a full stop: 10·2+4 = 24 and 9·2+4 = 22. */
    const char *text = "Bà con mang thẻ căn cước đến công an phường. Cán bộ không hỏi mật khẩu "
                       "qua điện thoại.";
    bt_captions c;
    assert_int_equal(bt_captions_build(text, 46000, &c), 0);
    assert_int_equal(c.count, 2);
    assert_string_equal(c.cues[0].text, "Bà con mang thẻ căn cước đến công an phường.");
    assert_string_equal(c.cues[1].text, "Cán bộ không hỏi mật khẩu qua điện thoại.");
    assert_int_equal(c.cues[0].weight, 24);
    assert_int_equal(c.cues[1].weight, 22);
    assert_int_equal(c.cues[0].from_ms, 0);
    assert_int_equal(c.cues[0].until_ms, 24000);
    assert_int_equal(c.cues[1].from_ms, 24000);
    assert_int_equal(c.cues[1].until_ms, 46000);
    check_whole(text, &c, 46000);

    /* What shows when, and when it next changes. */
    assert_int_equal(bt_captions_at(&c, -1), SIZE_MAX);
    assert_int_equal(bt_captions_at(&c, 0), 0);
    assert_int_equal(bt_captions_at(&c, 23999), 0);
    assert_int_equal(bt_captions_at(&c, 24000), 1);
    assert_int_equal(bt_captions_at(&c, 45999), 1);
    assert_int_equal(bt_captions_at(&c, 46000), SIZE_MAX);
    assert_int_equal(bt_captions_next_change(&c, -300), 300);
    assert_int_equal(bt_captions_next_change(&c, 1000), 23000);
    assert_int_equal(bt_captions_next_change(&c, 30000), 16000);
    assert_int_equal(bt_captions_next_change(&c, 46000), -1);
    bt_captions_free(&c);

    /* The same text over another duration: the same shares. */
    assert_int_equal(bt_captions_build(text, 9200, &c), 0);
    assert_int_equal(c.cues[1].from_ms, 4800);
    check_whole(text, &c, 9200);
    bt_captions_free(&c);

    /* Not measured yet: estimated at the voice's pace. */
    assert_int_equal(bt_captions_build(text, 0, &c), 0);
    assert_int_equal(c.duration_ms, 46 * BT_CAPTION_MS_PER_WEIGHT);
    assert_int_equal(c.cues[1].from_ms, 24 * BT_CAPTION_MS_PER_WEIGHT);
    bt_captions_free(&c);
}

static void test_numbers_weigh_as_spoken(void **state)
{
    (void)state;
    /* Dates, decimals and document numbers are not cut at their dots or slashes, and take as
     * long as their spoken words ("ngày mồng mười tháng mười năm hai nghìn …"). */
    const char *text = "Ngày 10.10.2025 là Ngày Chuyển đổi số quốc gia theo Quyết định "
                       "505/QĐ-TTg. Tiếp theo là các thông tin khác của phường.";
    bt_captions c;
    assert_int_equal(bt_captions_build(text, 60000, &c), 0);
    assert_int_equal(c.count, 2);
    assert_string_equal(c.cues[0].text, "Ngày 10.10.2025 là Ngày Chuyển đổi số quốc gia theo "
                                        "Quyết định 505/QĐ-TTg.");
    /* 11 written words, far more spoken syllables. */
    assert_true(c.cues[0].weight > 2 * 20);
    check_whole(text, &c, 60000);
    bt_captions_free(&c);
}

static void test_long_sentence_at_clauses(void **state)
{
    (void)state;
    /* Cut after a comma, else before a word that starts a phrase ("trên", "như"), never inside
     * "giấy tờ" or "đăng nhập". */
    const char *text =
        "Tài khoản định danh điện tử mức hai trên ứng dụng VNeID giúp bà con đăng nhập Cổng "
        "Dịch vụ công, làm thủ tục hành chính trực tuyến và sử dụng các giấy tờ điện tử được "
        "tích hợp như thẻ bảo hiểm y tế, giấy phép lái xe.";
    bt_captions c;
    assert_int_equal(bt_captions_build(text, 20000, &c), 0);
    assert_int_equal(c.count, 4);
    assert_string_equal(c.cues[0].text, "Tài khoản định danh điện tử mức hai");
    assert_string_equal(c.cues[1].text,
                        "trên ứng dụng VNeID giúp bà con đăng nhập Cổng Dịch vụ công,");
    assert_string_equal(c.cues[2].text, "làm thủ tục hành chính trực tuyến và sử dụng các giấy tờ "
                                        "điện tử được tích hợp");
    assert_string_equal(c.cues[3].text, "như thẻ bảo hiểm y tế, giấy phép lái xe.");
    /* A comma's pause where a phrase ends at one, none inside, the full stop's at the end. */
    assert_int_equal(c.cues[0].weight, 8 * BT_CAPTION_WEIGHT_SYLLABLE);
    assert_int_equal(c.cues[1].weight, 13 * BT_CAPTION_WEIGHT_SYLLABLE + BT_CAPTION_WEIGHT_COMMA);
    assert_int_equal(c.cues[3].weight,
                     10 * BT_CAPTION_WEIGHT_SYLLABLE + BT_CAPTION_WEIGHT_SENTENCE);
    check_whole(text, &c, 20000);
    bt_captions_free(&c);
}

static void test_long_clause_between_words(void **state)
{
    (void)state;
    /* 200 characters without a comma: cut before "và" and "tại". */
    const char *text =
        "Ủy ban nhân dân phường đề nghị các hộ gia đình cơ quan đơn vị trường học và cơ sở kinh "
        "doanh trên địa bàn thực hiện nghiêm việc phân loại rác thải sinh hoạt tại nguồn theo "
        "hướng dẫn của thành phố từ tháng mười";
    bt_captions c;
    assert_int_equal(bt_captions_build(text, 30000, &c), 0);
    assert_int_equal(c.count, 3);
    assert_string_equal(c.cues[0].text,
                        "Ủy ban nhân dân phường đề nghị các hộ gia đình cơ quan đơn vị trường học");
    assert_string_equal(c.cues[2].text, "tại nguồn theo hướng dẫn của thành phố từ tháng mười");
    check_whole(text, &c, 30000);
    bt_captions_free(&c);

    /* No word to cut before: two phrases of about even length. */
    text = "Ủy ban nhân dân phường đề nghị các hộ gia đình cơ quan đơn vị trường học cơ sở kinh "
           "doanh thực hiện nghiêm việc phân loại rác thải sinh hoạt đúng quy định hiện hành";
    assert_int_equal(bt_captions_build(text, 30000, &c), 0);
    assert_int_equal(c.count, 2);
    long diff = (long)chars(c.cues[0].text) - (long)chars(c.cues[1].text);
    assert_true(labs(diff) <= 8);
    check_whole(text, &c, 30000);
    bt_captions_free(&c);
}

static void test_lines_and_short_phrases(void **state)
{
    (void)state;
    /* A heading line stands alone (even short); short sentences join the next on their line;
     * "TP." is no sentence of its own; tabs become spaces. */
    const char *text = "THÔNG BÁO\nKính thưa bà con. Từ ngày mai, TP. Hà Nội cắt điện\tkhu vực "
                       "chợ.\n\nXin cảm ơn.";
    bt_captions c;
    assert_int_equal(bt_captions_build(text, 10000, &c), 0);
    assert_int_equal(c.count, 3);
    assert_string_equal(c.cues[0].text, "THÔNG BÁO");
    assert_string_equal(c.cues[1].text,
                        "Kính thưa bà con. Từ ngày mai, TP. Hà Nội cắt điện khu vực chợ.");
    assert_string_equal(c.cues[2].text, "Xin cảm ơn.");
    check_whole(text, &c, 10000);
    bt_captions_free(&c);

    /* A control character pasted from Word separates words as a space does. */
    assert_int_equal(bt_captions_build("Xin\x01" "chào\x7f" " bà con.\x1b", 3000, &c), 0);
    assert_int_equal(c.count, 1);
    assert_string_equal(c.cues[0].text, "Xin chào  bà con.");
    bt_captions_free(&c);

    /* Quotes and an ellipsis stay with their sentence. */
    text = "Cán bộ nhắc: “Không chia sẻ mã OTP cho bất kỳ ai.” Bà con hãy ghi nhớ điều này…";
    assert_int_equal(bt_captions_build(text, 10000, &c), 0);
    assert_int_equal(c.count, 2);
    assert_string_equal(c.cues[0].text, "Cán bộ nhắc: “Không chia sẻ mã OTP cho bất kỳ ai.”");
    assert_string_equal(c.cues[1].text, "Bà con hãy ghi nhớ điều này…");
    bt_captions_free(&c);
}

static void test_nothing_to_show(void **state)
{
    (void)state;
    bt_captions c;
    assert_int_equal(bt_captions_build("  \n\t ", 5000, &c), 0);
    assert_int_equal(c.count, 0);
    assert_int_equal(bt_captions_at(&c, 0), SIZE_MAX);
    assert_int_equal(bt_captions_next_change(&c, 0), -1);
    bt_captions_free(&c);
    assert_int_equal(bt_captions_build("Thông b\xe1o", 5000, &c), -1);
    assert_int_equal(c.count, 0);
    assert_null(c.cues);
}

/* A transcript's lines may say when they are heard: phrases between two stamps are paced
 * between them, nothing shows before a first stamp after 0:00, a stamp out of order is left
 * out, and a text bulletin's text is never read for stamps. */
static void test_transcript_time_stamps(void **state)
{
    (void)state;
    int64_t ms = -1;
    assert_int_equal(bt_caption_stamp("[0:12] Kính thưa", &ms), 7);
    assert_int_equal(ms, 12000);
    assert_int_equal(bt_caption_stamp("[12:05]x", &ms), 7);
    assert_int_equal(ms, 725000);
    assert_int_equal(bt_caption_stamp("[1:75] x", &ms), -1);
    assert_int_equal(bt_caption_stamp("[1:5] x", &ms), 0);
    assert_int_equal(bt_caption_stamp("[a:05] x", &ms), 0);
    assert_int_equal(bt_caption_stamp("Kính thưa [0:12]", &ms), 0);

    /* A jingle until 0:05; two sentences paced between 0:05 and 0:25; then one from 0:25. */
    const char *text = "[0:05] Bà con mang thẻ căn cước đến công an phường. Cán bộ không hỏi "
                       "mật khẩu qua điện thoại.\n[0:25] Xin cảm ơn bà con đã lắng nghe.";
    bt_captions c;
    assert_int_equal(bt_captions_build_transcript(text, 40000, &c), 0);
    assert_int_equal(c.count, 3);
    assert_string_equal(c.cues[0].text, "Bà con mang thẻ căn cước đến công an phường.");
    assert_string_equal(c.cues[2].text, "Xin cảm ơn bà con đã lắng nghe.");
    assert_int_equal(c.cues[0].from_ms, 5000);
    /* 24 and 22 weight units share the 20 s between the stamps. */
    assert_int_equal(c.cues[1].from_ms, 5000 + (24 * 20000 + 23) / 46);
    assert_int_equal(c.cues[1].until_ms, 25000);
    assert_int_equal(c.cues[2].from_ms, 25000);
    assert_int_equal(c.cues[2].until_ms, 40000);
    assert_int_equal(bt_captions_at(&c, 4999), SIZE_MAX);
    assert_int_equal(bt_captions_next_change(&c, 1000), 4000);
    assert_int_equal(bt_captions_at(&c, 5000), 0);
    bt_captions_free(&c);

    /* Out of order, and past the end: left out, the phrases paced by weight instead. */
    text = "Bà con mang thẻ căn cước đến công an phường.\n[0:30] Cán bộ không hỏi mật khẩu "
           "qua điện thoại.\n[0:20] Xin cảm ơn bà con đã lắng nghe.\n[9:00] Hết tin.";
    assert_int_equal(bt_captions_build_transcript(text, 60000, &c), 0);
    assert_int_equal(c.count, 4);
    assert_int_equal(c.cues[0].from_ms, 0);
    assert_int_equal(c.cues[1].from_ms, 30000);
    /* The last three phrases share 0:30 to the end by their weights. */
    int64_t run = c.cues[1].weight + c.cues[2].weight + c.cues[3].weight;
    assert_int_equal(c.cues[2].from_ms, 30000 + (c.cues[1].weight * 30000 + run / 2) / run);
    assert_string_equal(c.cues[3].text, "Hết tin.");
    bt_captions_free(&c);

    /* A text bulletin is spoken as written: "[0:05]" is words, not a stamp. */
    assert_int_equal(bt_captions_build("[0:05] Xin chào bà con.", 5000, &c), 0);
    assert_string_equal(c.cues[0].text, "[0:05] Xin chào bà con.");
    assert_int_equal(c.cues[0].from_ms, 0);
    bt_captions_free(&c);
}

/* The demo's five bulletins, as a transcript would carry them: no phrase too long, none lost. */
static void test_demo_texts(void **state)
{
    (void)state;
    const char *names[] = {"tin-chi-so-hai-long", "tin-chinh-quyen-hai-cap",
                           "tin-dvc-truc-tuyen", "tin-ngay-chuyen-doi-so", "tin-vneid"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, DEMO_TEXTS "%s.txt", names[i]);
        size_t len = 0;
        char *text = bt_test_read_file(path, &len);
        assert_non_null(text);
        bt_captions c;
        assert_int_equal(bt_captions_build(text, 50000, &c), 0);
        check_whole(text, &c, 50000);
        /* Every phrase is on screen long enough to read (over 1.5 s at this bulletin's pace). */
        for (size_t k = 0; k < c.count; k++)
            assert_true(c.cues[k].until_ms - c.cues[k].from_ms > 1500);
        bt_captions_free(&c);
        free(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sentences_and_their_times),
        cmocka_unit_test(test_numbers_weigh_as_spoken),
        cmocka_unit_test(test_long_sentence_at_clauses),
        cmocka_unit_test(test_long_clause_between_words),
        cmocka_unit_test(test_lines_and_short_phrases),
        cmocka_unit_test(test_nothing_to_show),
        cmocka_unit_test(test_transcript_time_stamps),
        cmocka_unit_test(test_demo_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
