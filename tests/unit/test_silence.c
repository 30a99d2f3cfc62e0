/* Dead air (bt_silence.h) on signals built here sample by sample: where the silence is, how
 * long, how much of the item; the threshold for loud and quiet recordings; and what staff read
 * (exact messages, warnings against errors, the limits as shown). */
#include "bt_test_support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_diag.h"
#include "bangtin/bt_silence.h"

#define RATE 48000

/* A signal assembled from spans of tone and of silence (or of low noise). */
typedef struct {
    int16_t *pcm;
    size_t frames, capacity;
} signal_t;

static void append(signal_t *s, double seconds, double dbfs, double freq)
{
    size_t n = (size_t)lround(seconds * RATE);
    if (s->frames + n > s->capacity) {
        s->capacity = (s->frames + n) * 2;
        s->pcm = realloc(s->pcm, s->capacity * sizeof(int16_t));
        assert_non_null(s->pcm);
    }
    double amp = isinf(dbfs) ? 0.0 : 32767.0 * sqrt(2.0) * pow(10.0, dbfs / 20.0);
    for (size_t i = 0; i < n; i++) {
        double v = amp * sin(2.0 * M_PI * freq * (double)(s->frames + i) / RATE);
        s->pcm[s->frames + i] = (int16_t)lrint(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
    s->frames += n;
}

/* Tone of RMS `dbfs` (sine amplitude √2 higher), 440 Hz. */
static void tone(signal_t *s, double seconds, double dbfs)
{
    append(s, seconds, dbfs, 440.0);
}

static void quiet(signal_t *s, double seconds)
{
    append(s, seconds, -INFINITY, 440.0);
}

static bt_silence measure(const signal_t *s, double threshold)
{
    bt_silence out;
    assert_int_equal(bt_silence_measure(s->pcm, s->frames, RATE, threshold, &out), 0);
    return out;
}

static void assert_seconds(double got, double want)
{
    if (fabs(got - want) > 1e-9)
        fail_msg("%.6f s, expected %.6f s", got, want);
}

static void finds_ends_inside_and_share(void **state)
{
    (void)state;
    signal_t s = {0};
    quiet(&s, 3.0);
    tone(&s, 10.0, -20);
    quiet(&s, 5.0); /* the longest gap, from 0:13 */
    tone(&s, 10.0, -20);
    quiet(&s, 1.0);
    tone(&s, 10.0, -20);
    quiet(&s, 1.5);
    bt_silence v = measure(&s, BT_SILENCE_FLOOR_DBFS);
    assert_seconds(v.leading_seconds, 3.0);
    assert_seconds(v.trailing_seconds, 1.5);
    assert_seconds(v.longest_inside_seconds, 5.0);
    assert_seconds(v.longest_inside_at_seconds, 13.0);
    assert_seconds(v.silent_fraction, 10.5 / 40.5);
    free(s.pcm);
}

/* A block with any sound in it is sound: the edges fall on 50 ms blocks, towards the sound. */
static void edges_fall_on_blocks(void **state)
{
    (void)state;
    signal_t s = {0};
    quiet(&s, 1.23);
    tone(&s, 2.0, -20);
    quiet(&s, 0.77);
    bt_silence v = measure(&s, BT_SILENCE_FLOOR_DBFS);
    assert_seconds(v.leading_seconds, 1.20);
    /* The sound ends at 3.23 s, inside the block 3.20–3.25; the rest (0.75 s) is silent. */
    assert_seconds(v.trailing_seconds, 0.75);
    assert_seconds(v.longest_inside_seconds, 0.0);
    free(s.pcm);
}

static void silence_only_and_empty(void **state)
{
    (void)state;
    signal_t s = {0};
    quiet(&s, 2.0);
    bt_silence v = measure(&s, BT_SILENCE_FLOOR_DBFS);
    assert_seconds(v.leading_seconds, 2.0);
    assert_seconds(v.trailing_seconds, 2.0);
    assert_seconds(v.longest_inside_seconds, 0.0);
    assert_seconds(v.silent_fraction, 1.0);
    free(s.pcm);
    assert_int_equal(bt_silence_measure(NULL, 0, RATE, -50, &v), 0);
    assert_seconds(v.silent_fraction, 0.0);
    assert_int_equal(bt_silence_measure(NULL, 10, RATE, -50, &v), -1);
}

/* Room tone under −50 dBFS is silence; a quietly recorded voice is not, thanks to the threshold
 * that follows the item's own loudness. */
static void threshold_follows_quiet_recordings(void **state)
{
    (void)state;
    assert_true(bt_silence_threshold_dbfs(-16.0) == BT_SILENCE_FLOOR_DBFS);
    assert_true(bt_silence_threshold_dbfs(-19.9) == BT_SILENCE_FLOOR_DBFS);
    assert_true(fabs(bt_silence_threshold_dbfs(-40.0) - -70.0) < 1e-9);
    assert_true(bt_silence_threshold_dbfs(-HUGE_VAL) == BT_SILENCE_FLOOR_DBFS);

    signal_t s = {0};
    append(&s, 2.0, -62, 3000); /* hiss of a recorder */
    tone(&s, 6.0, -20);
    bt_silence v = measure(&s, bt_silence_threshold_dbfs(-17.0));
    assert_seconds(v.leading_seconds, 2.0);
    free(s.pcm);

    /* Soft passages 55 dB under full scale in a recording whose loudness is −40 LUFS: sound. */
    memset(&s, 0, sizeof(s));
    tone(&s, 3.0, -40);
    tone(&s, 2.0, -55);
    tone(&s, 3.0, -40);
    v = measure(&s, bt_silence_threshold_dbfs(-40.0));
    assert_seconds(v.silent_fraction, 0.0);
    /* The fixed floor alone would have called them a 2-second silence. */
    v = measure(&s, BT_SILENCE_FLOOR_DBFS);
    assert_seconds(v.longest_inside_seconds, 2.0);
    free(s.pcm);
}

static const bt_silence_limits LIMITS = {2, 4, 50};

static void expect_messages(const bt_silence *v, double duration, const char *const *want,
                            size_t count, int rc_want)
{
    bt_diags d;
    bt_diags_init(&d);
    assert_int_equal(bt_silence_check(v, duration, &LIMITS, "tin-a", "audio/a.ogg",
                                      "playlist.cfg", 12, &d),
                     rc_want);
    char line[1024];
    if (d.count != count) {
        for (size_t i = 0; i < d.count; i++)
            print_error("%s\n", bt_diag_format(&d.items[i], line, sizeof(line)));
        fail_msg("%zu messages, expected %zu", d.count, count);
    }
    for (size_t i = 0; i < count; i++)
        assert_string_equal(bt_diag_format(&d.items[i], line, sizeof(line)), want[i]);
    bt_diags_free(&d);
}

static void warns_on_long_ends_and_inside(void **state)
{
    (void)state;
    /* Below or at the limits, as shown: nothing. */
    bt_silence v = {1.5, 2.04, 4.0, 10.0, 0.2};
    expect_messages(&v, 30.0, NULL, 0, 0);

    bt_silence w = {3.0, 2.5, 5.0, 13.0, 0.35};
    static const char *const want[] = {
        "playlist.cfg:12: cảnh báo: tin \"tin-a\" (audio/a.ogg): im lặng 3,0 giây ở đầu tệp, dài "
        "hơn 2 giây cho phép — cắt bớt khoảng lặng ở đầu tệp rồi xuất lại tệp",
        "playlist.cfg:12: cảnh báo: tin \"tin-a\" (audio/a.ogg): im lặng 2,5 giây ở cuối tệp, dài "
        "hơn 2 giây cho phép — cắt bớt khoảng lặng ở cuối tệp rồi xuất lại tệp",
        "playlist.cfg:12: cảnh báo: tin \"tin-a\" (audio/a.ogg): khoảng lặng 5,0 giây giữa tệp (từ "
        "0:13 đến 0:18), dài hơn 4 giây cho phép — cắt bớt khoảng lặng đó rồi xuất lại tệp, hoặc "
        "nghe lại xem bản ghi có bị mất tiếng đoạn đó không",
    };
    expect_messages(&w, 30.0, want, 3, 0);
    assert_int_equal(bt_silence_over(&w, &LIMITS),
                     BT_SILENCE_LONG_LEADING | BT_SILENCE_LONG_TRAILING | BT_SILENCE_LONG_INSIDE);

    /* 2.06 s shows as "2,1": over. A limit of 0 is not checked. */
    bt_silence x = {2.06, 0, 0, 0, 0.1};
    assert_int_equal(bt_silence_over(&x, &LIMITS), BT_SILENCE_LONG_LEADING);
    bt_silence_limits off = {0, 0, 50};
    bt_silence y = {30, 30, 30, 1, 0.45};
    assert_int_equal(bt_silence_over(&y, &off), 0);
}

static void refuses_mostly_silent_items(void **state)
{
    (void)state;
    char why[512];
    /* 90 % and 98 % of a minute: refused, with the figures; no warnings besides. */
    bt_silence ninety = {27.0, 27.0, 0.0, 0.0, 0.9};
    static const char *const want90[] = {
        "playlist.cfg:12: lỗi: tin \"tin-a\" (audio/a.ogg): 90 % thời lượng là im lặng "
        "(54,0/60,0 giây), quá 50 % cho phép: không phát được — nghe lại bản ghi (micrô, mức "
        "thu) rồi xuất lại tệp",
    };
    expect_messages(&ninety, 60.0, want90, 1, -1);
    bt_silence ninety_eight = {0.0, 0.0, 58.8, 0.6, 0.98};
    assert_true(bt_silence_refused(&ninety_eight, 60.0, &LIMITS, why, sizeof(why)));
    assert_string_equal(why, "98 % thời lượng là im lặng (58,8/60,0 giây), quá 50 % cho phép: "
                             "không phát được — nghe lại bản ghi (micrô, mức thu) rồi xuất lại "
                             "tệp");
    /* The reason fits an airing row's reason with its "playback: " code (256 bytes). */
    assert_true(strlen(why) + strlen("playback: ") < 256);
    /* The share is judged as shown: 50,4 % is "50 %", not over 50 %. */
    bt_silence half = {0, 0, 0, 0, 0.504};
    assert_false(bt_silence_refused(&half, 60.0, &LIMITS, why, sizeof(why)));
    half.silent_fraction = 0.506;
    assert_true(bt_silence_refused(&half, 60.0, &LIMITS, NULL, 0));
    bt_silence_limits never = {2, 4, 100};
    bt_silence all = {60, 60, 0, 0, 1.0};
    assert_false(bt_silence_refused(&all, 60.0, &never, NULL, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finds_ends_inside_and_share),
        cmocka_unit_test(edges_fall_on_blocks),
        cmocka_unit_test(silence_only_and_empty),
        cmocka_unit_test(threshold_follows_quiet_recordings),
        cmocka_unit_test(warns_on_long_ends_and_inside),
        cmocka_unit_test(refuses_mostly_silent_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
