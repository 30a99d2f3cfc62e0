/* Text bulletins end to end (issue 11, item 5), with the built program:
 *   - `bangtin speak`: a 60-word bulletin becomes speech — its length, its loudness at the
 *     target (±1 LU, measured by the project's own loudness code as an item is measured before
 *     airing), no silence at the ends beyond the limit, sound that pauses like speech; the same
 *     text gives the same bytes; --target; what the synthesiser was given to read;
 *   - a playlist with text items passes `check`, simulates, is spoken into the content store by
 *     `activate`, airs on SDL's disk driver in `run`, and its airing rows carry the text's hash
 *     and the render's, the render being byte for byte what `speak` wrote for staff.
 * Nothing is listened to: everything is measured. */
#include "bt_test_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_audio.h"
#include "bangtin/bt_loudness.h"
#include "bangtin/bt_sha256.h"
#include "bangtin/bt_speech_text.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_time.h"

#define BANGTIN BT_BANGTIN_EXE
/* The default broadcast.loudness_target. */
#define TARGET_LUFS (-16.0)
/* The dead-air limit at either end of an item (issue 11, item 4's default). */
#define EDGE_LIMIT_SECONDS 2.0
/* Seconds from start to the session: start-up, measuring and the engine's lead fit easily. */
#define LEAD_SECONDS 6

/* 60 words, as a ward writes them: numbers, a date, a time, abbreviations. */
static const char bulletin[] =
    "UBND phường Bạch Mai thông báo: từ ngày 01/10/2025, người dân làm TTHC trên Cổng "
    "Dịch vụ công quốc gia, không phải đến trụ sở. Năm 2025, phường nhận 1.250 hồ sơ, "
    "đạt 98,5% đúng hạn. Bộ phận một cửa làm việc từ 7h30 đến 17h hằng ngày. "
    "Mọi vướng mắc về CCHC xin hỏi cán bộ tiếp dân phường.";

static char *run(const char *cmd, int *status)
{
    char *out = bt_test_run(cmd, status);
    assert_non_null(out);
    return out;
}

static size_t words(const char *s)
{
    size_t n = 0;
    bool in = false;
    for (; *s; s++) {
        bool space = *s == ' ' || *s == '\n';
        n += !space && !in;
        in = !space;
    }
    return n;
}

/* ---- reading a rendered WAV back ------------------------------------------------------------ */

typedef struct {
    int16_t *pcm;
    size_t frames;
    int rate;
} wav;

static uint32_t le(const unsigned char *p, int bytes)
{
    uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* A canonical mono 16-bit PCM WAV, as bt_speech_render writes one. */
static wav read_wav(const char *path)
{
    size_t len = 0;
    unsigned char *b = (unsigned char *)bt_test_read_file(path, &len);
    assert_non_null(b);
    assert_true(len > 44);
    assert_memory_equal(b, "RIFF", 4);
    assert_memory_equal(b + 8, "WAVEfmt ", 8);
    assert_int_equal(le(b + 20, 2), 1);  /* PCM */
    assert_int_equal(le(b + 22, 2), 1);  /* mono */
    assert_int_equal(le(b + 34, 2), 16); /* bits */
    assert_memory_equal(b + 36, "data", 4);
    wav w = {NULL, le(b + 40, 4) / 2, (int)le(b + 24, 4)};
    assert_int_equal(44 + w.frames * 2, len);
    w.pcm = malloc(w.frames * sizeof *w.pcm);
    assert_non_null(w.pcm);
    for (size_t i = 0; i < w.frames; i++)
        w.pcm[i] = (int16_t)le(b + 44 + 2 * i, 2);
    free(b);
    return w;
}

typedef struct {
    double lead, tail;      /* seconds of silence before the first / after the last sound */
    double voiced_share;    /* of 10 ms windows between them with sound in */
    size_t pauses;          /* stretches of at least 60 ms without sound between them */
} shape;

/* Windows of 10 ms louder than −50 dBFS RMS are sound; independent of the render's own code. */
static shape shape_of(const wav *w)
{
    size_t win = (size_t)w->rate / 100, n = w->frames / win;
    bool *voiced = calloc(n ? n : 1, sizeof *voiced);
    assert_non_null(voiced);
    size_t first = n, last = 0;
    for (size_t k = 0; k < n; k++) {
        double sum = 0;
        for (size_t i = 0; i < win; i++) {
            double x = w->pcm[k * win + i] / 32768.0;
            sum += x * x;
        }
        voiced[k] = 20 * log10(sqrt(sum / (double)win) + 1e-12) > -50;
        if (voiced[k]) {
            first = first == n ? k : first;
            last = k + 1;
        }
    }
    shape s = {0};
    assert_true(first < n);
    s.lead = (double)(first * win) / w->rate;
    s.tail = (double)(w->frames - last * win) / w->rate;
    size_t on = 0, gap = 0;
    for (size_t k = first; k < last; k++) {
        on += voiced[k];
        gap = voiced[k] ? 0 : gap + 1;
        s.pauses += gap == 6; /* counted once, when a gap reaches 60 ms */
    }
    s.voiced_share = (double)on / (double)(last - first);
    free(voiced);
    return s;
}

/* ---- 1: `bangtin speak` ----------------------------------------------------------------------- */

static void speak_writes_speech_at_the_target(void **state)
{
    (void)state;
    assert_int_equal(words(bulletin), 60);
    char *dir = bt_test_temp_dir("speech-speak");
    assert_non_null(dir);
    char text_path[1024], out[1024], cmd[4096];
    snprintf(text_path, sizeof text_path, "%s/ban-tin.txt", dir);
    snprintf(out, sizeof out, "%s/ban-tin.wav", dir);
    assert_int_equal(bt_test_write_file(text_path, bulletin, strlen(bulletin)), 0);
    snprintf(cmd, sizeof cmd, "BANGTIN_CONFIG= " BANGTIN " speak --file '%s' -o '%s' 2>&1",
             text_path, out);
    int status;
    char *said = run(cmd, &status);
    print_message("%s", said);
    assert_int_equal(status, 0);
    /* What espeak-ng was given: abbreviations, the date and the numbers in words. */
    assert_non_null(strstr(said, "Máy đọc là: Ủy ban nhân dân phường Bạch Mai thông báo: từ "
                                 "ngày mồng một tháng mười năm hai nghìn không trăm hai mươi "
                                 "lăm, người dân làm thủ tục hành chính"));
    assert_non_null(strstr(said, "một nghìn hai trăm năm mươi hồ sơ, đạt chín mươi tám phẩy năm "
                                 "phần trăm"));
    assert_non_null(strstr(said, "bảy giờ ba mươi phút đến mười bảy giờ"));
    char text_hash[BT_SHA256_HEX_SIZE], line[128];
    bt_speech_text_hash(bulletin, text_hash);
    snprintf(line, sizeof line, "Mã SHA-256 văn bản: %s\n", text_hash);
    assert_non_null(strstr(said, line));

    /* Measured as the appliance measures an item before it airs. */
    bt_loudness l;
    char err[512];
    if (bt_loudness_measure(out, &l, err, sizeof err) != 0)
        fail_msg("%s", err);
    print_message("60 words: %.2f s, %.2f LUFS, peak %.2f dBFS (true %.2f dBTP)\n",
                  l.duration_seconds, l.integrated_lufs, l.sample_peak_dbfs, l.true_peak_dbtp);
    assert_true(fabs(l.integrated_lufs - TARGET_LUFS) <= 1.0);
    /* 60 words at 150 a minute is 24 s; pauses at punctuation add a little. */
    assert_true(l.duration_seconds >= 18 && l.duration_seconds <= 40);
    /* Playout never has to turn it down to respect its peak ceiling. */
    assert_true(l.sample_peak_dbfs <= BT_LOUDNESS_PEAK_CEILING_DBFS);
    /* Its dead air as the appliance measures any item: nothing over the default limits. */
    print_message("silence (bt_loudness): %.2f s before, %.2f s after, longest inside %.2f s, "
                  "%.0f %% of it\n", l.silence.leading_seconds, l.silence.trailing_seconds,
                  l.silence.longest_inside_seconds, 100 * l.silence.silent_fraction);
    assert_true(l.silence.leading_seconds <= 0.5 && l.silence.trailing_seconds <= 0.5);
    assert_true(l.silence.longest_inside_seconds < 4.0);
    assert_true(l.silence.silent_fraction < 0.5);
    assert_non_null(strstr(said, "Im lặng: đầu "));
    assert_null(strstr(said, "cảnh báo"));
    snprintf(line, sizeof line, "Mã SHA-256 âm thanh: %s\n", l.sha256);
    assert_non_null(strstr(said, line));
    free(said);

    wav w = read_wav(out);
    shape s = shape_of(&w);
    print_message("lead %.2f s, tail %.2f s, sound in %.0f %% of it, %zu pauses\n", s.lead,
                  s.tail, 100 * s.voiced_share, s.pauses);
    assert_true(s.lead <= 0.5 && s.lead <= EDGE_LIMIT_SECONDS);
    assert_true(s.tail <= 0.5 && s.tail <= EDGE_LIMIT_SECONDS);
    /* Speech: sound most of the time, broken by the pauses of its phrases (a tone has none,
     * silence has no sound). */
    assert_true(s.voiced_share >= 0.6 && s.voiced_share < 0.99);
    assert_true(s.pauses >= 5);
    free(w.pcm);

    /* The same text renders to the same bytes: what staff hear is what the appliance airs. */
    snprintf(cmd, sizeof cmd,
             "BANGTIN_CONFIG= " BANGTIN " speak --file - --machine -o '%s/again.wav' < '%s'", dir,
             text_path);
    said = run(cmd, &status);
    assert_int_equal(status, 0);
    char expect[80];
    snprintf(expect, sizeof expect, "ok %s ", l.sha256);
    assert_int_equal(strncmp(said, expect, strlen(expect)), 0);
    free(said);

    /* Another target. */
    snprintf(cmd, sizeof cmd,
             "BANGTIN_CONFIG= " BANGTIN " speak 'Quý IV năm 2025, UBND phường đạt mọi chỉ tiêu "
             "CCHC.' --target -23 -o '%s/q.wav' >/dev/null", dir);
    free(run(cmd, &status));
    assert_int_equal(status, 0);
    snprintf(out, sizeof out, "%s/q.wav", dir);
    assert_int_equal(bt_loudness_measure(out, &l, err, sizeof err), 0);
    print_message("short text at -23: %.2f LUFS, %.2f s\n", l.integrated_lufs,
                  l.duration_seconds);
    assert_true(fabs(l.integrated_lufs - (-23.0)) <= 1.0);

    /* Nothing to read, or no file: a Vietnamese reason and no file. */
    snprintf(cmd, sizeof cmd, "BANGTIN_CONFIG= " BANGTIN " speak ' ... ' -o '%s/x.wav' 2>&1",
             dir);
    said = run(cmd, &status);
    assert_int_not_equal(status, 0);
    assert_non_null(strstr(said, "Văn bản không có chữ nào để đọc"));
    free(said);
    snprintf(out, sizeof out, "%s/x.wav", dir);
    struct stat st;
    assert_int_not_equal(stat(out, &st), 0);
    said = run("BANGTIN_CONFIG= " BANGTIN " speak 'Tin' 2>&1", &status);
    assert_int_equal(status, 2);
    assert_non_null(strstr(said, "thiếu \"-o TỆP.wav\""));
    free(said);
    free(dir);
}

/* ---- 2: a playlist of text bulletins, from check to the air --------------------------------- */

typedef struct {
    char dir[512];
    bt_wall at;     /* the session's one-off slot */
    double chime;   /* seconds of the bundled chime */
} fixture;

static const char short_text[] = "Thông báo: ngày 10/10/2025 là Ngày Chuyển đổi số quốc gia.";

/* The playlist, its session one-off LEAD_SECONDS from now. */
static void write_playlist(fixture *f)
{
    char path[1200], text[4096];
    f->at = (bt_wall)time(NULL) + LEAD_SECONDS;
    char at[32];
    bt_time_format_iso(f->at, at, sizeof at);
    snprintf(text, sizeof text,
             "id = \"tin-doc\";\nversion = 1;\ntitle = \"Bản tin đọc\";\n"
             "notices = ( { id = \"chao\"; kind = \"text\"; title = \"Xin chào\"; } );\n"
             "broadcasts = {\n"
             "  items = (\n"
             "    { id = \"tin-cds\"; title = \"Ngày Chuyển đổi số\"; topic = \"cchc\";\n"
             "      text = \"%s\"; },\n"
             "    { id = \"tin-dvc\"; title = \"Dịch vụ công\"; text = \"%s\"; }\n"
             "  );\n"
             "  sessions = ( { id = \"doc\"; name = \"Bản tin đọc\"; at = [ \"%s\" ];\n"
             "                 items = [ \"tin-cds\", \"tin-dvc\" ]; } );\n"
             "};\n",
             short_text, bulletin, at);
    snprintf(path, sizeof path, "%s/pl/playlist.cfg", f->dir);
    assert_int_equal(bt_test_write_file(path, text, strlen(text)), 0);
}

static void make_fixture(fixture *f, const char *name)
{
    char *dir = bt_test_temp_dir(name);
    assert_non_null(dir);
    snprintf(f->dir, sizeof f->dir, "%s", dir);
    free(dir);
    char path[1200], cmd[2600];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/pl' '%s/data'", f->dir, f->dir);
    assert_int_equal(system(cmd), 0);
    write_playlist(f);
    const char *cfg = "broadcast = { windows = \"\"; amp_warmup_ms = 0; };\n";
    snprintf(path, sizeof path, "%s/bangtin.cfg", f->dir);
    assert_int_equal(bt_test_write_file(path, cfg, strlen(cfg)), 0);
    bt_loudness chime;
    char err[512];
    if (bt_loudness_measure(BT_STAGE_DIR "/assets/chime.ogg", &chime, err, sizeof err) != 0)
        fail_msg("chime: %s", err);
    f->chime = chime.duration_seconds;
}

/* The content store's render of text at the default target. */
static void render_path(const fixture *f, const char *text, char *buf, size_t size)
{
    char key[BT_SHA256_HEX_SIZE];
    bt_speech_params p = bt_speech_default_params((int)TARGET_LUFS);
    bt_speech_key(text, &p, key);
    snprintf(buf, size, "%s/data/content/speech/%s.wav", f->dir, key);
}

static void text_playlist_checks_simulates_and_airs(void **state)
{
    (void)state;
    fixture f;
    make_fixture(&f, "speech-airing");
    char cmd[4096];
    int status;
    /* check: spoken in a folder of its own, measured, valid; the appliance's store untouched. */
    snprintf(cmd, sizeof cmd, BANGTIN " --config '%s/bangtin.cfg' --data '%s/data' check '%s/pl' 2>&1",
             f.dir, f.dir, f.dir);
    char *out = run(cmd, &status);
    print_message("%s", out);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "Hợp lệ: playlist \"tin-doc\""));
    free(out);
    char render_a[1200], render_b[1200];
    render_path(&f, short_text, render_a, sizeof render_a);
    render_path(&f, bulletin, render_b, sizeof render_b);
    struct stat st;
    assert_int_not_equal(stat(render_a, &st), 0);

    /* simulate: the session with both items and their spoken length. */
    char day[16];
    bt_time_format_iso(f.at, day, sizeof day);
    day[10] = '\0';
    snprintf(cmd, sizeof cmd,
             BANGTIN " --config '%s/bangtin.cfg' --data '%s/data' simulate --playlist '%s/pl' "
             "--from %s --to %s 2>&1", f.dir, f.dir, f.dir, day, day);
    out = run(cmd, &status);
    print_message("%s", out);
    assert_int_equal(status, 0);
    const char *row = strstr(out, "  doc  ");
    assert_non_null(row);
    int minutes = 0, seconds = 0;
    const char *detail = strstr(row, "2 tin, ");
    assert_non_null(detail);
    assert_int_equal(sscanf(detail, "2 tin, %d:%d", &minutes, &seconds), 2);
    assert_true(minutes * 60 + seconds >= 20); /* the 60-word bulletin alone is over 18 s */
    free(out);

    /* activate: both spoken into the content store now. */
    snprintf(cmd, sizeof cmd, BANGTIN " --config '%s/bangtin.cfg' --data '%s/data' activate '%s/pl' 2>&1",
             f.dir, f.dir, f.dir);
    out = run(cmd, &status);
    print_message("%s", out);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "Đã đọc 2 bản tin văn bản (0 có sẵn từ trước)"));
    free(out);
    assert_int_equal(stat(render_a, &st), 0);
    assert_int_equal(stat(render_b, &st), 0);

    /* run: the session airs on SDL's disk driver, in real time (its slot moved to a few
     * seconds from now; the texts, and so their renders, are the same). */
    write_playlist(&f);
    double session = 2 * f.chime + 40;
    double duration = (double)(f.at - (bt_wall)time(NULL)) + session + 2;
    snprintf(cmd, sizeof cmd,
             "SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE='%s/out.raw' "
             BANGTIN " --config '%s/bangtin.cfg' --data '%s/data' run --playlist '%s/pl' "
             "--size 640x360 --duration %.1f 2>&1",
             f.dir, f.dir, f.dir, f.dir, duration);
    out = run(cmd, &status);
    print_message("%s", out);
    assert_int_equal(status, 0);
    assert_null(strstr(out, "chưa có bản đọc")); /* nothing spoken while the kiosk ran */
    free(out);

    char db[1200], err[512];
    snprintf(db, sizeof db, "%s/data/bangtin.db", f.dir);
    bt_store *s = NULL;
    if (bt_store_open(db, &s, err, sizeof err) != 0)
        fail_msg("%s", err);
    bt_airing_row *rows = NULL;
    size_t n = 0;
    assert_int_equal(bt_airing_list(s, INT64_MIN, INT64_MAX, &rows, &n), 0);
    assert_int_equal(n, 2);
    const char *texts[] = {short_text, bulletin};
    const char *renders[] = {render_a, render_b};
    for (size_t i = 0; i < n; i++) {
        if (rows[i].status != BT_AIRING_COMPLETED)
            fail_msg("row %zu: %s (%s)", i, bt_airing_status_name(rows[i].status),
                     rows[i].reason);
        char text_hash[BT_SHA256_HEX_SIZE];
        bt_speech_text_hash(texts[i], text_hash);
        assert_string_equal(rows[i].subject.text_sha256, text_hash);
        bt_loudness l;
        assert_int_equal(bt_loudness_measure(renders[i], &l, err, sizeof err), 0);
        assert_string_equal(rows[i].subject.sha256, l.sha256);
        assert_true(llabs(rows[i].duration_ms - llround(l.duration_seconds * 1000)) <= 100);
        print_message("%s: %lld ms aired, text %.16s…, audio %.16s…\n", rows[i].subject.item_id,
                      (long long)rows[i].duration_ms, rows[i].subject.text_sha256,
                      rows[i].subject.sha256);
    }
    bt_airing_verify_result v;
    assert_int_equal(bt_airing_verify(s, &v), 0);
    free(rows);
    bt_store_close(s);

    /* What `speak` writes for staff is byte for byte what aired. */
    snprintf(cmd, sizeof cmd, "BANGTIN_CONFIG= " BANGTIN " speak '%s' --machine -o '%s/speak.wav'",
             short_text, f.dir);
    out = run(cmd, &status);
    assert_int_equal(status, 0);
    bt_loudness aired;
    assert_int_equal(bt_loudness_measure(render_a, &aired, err, sizeof err), 0);
    char expect[80];
    snprintf(expect, sizeof expect, "ok %s ", aired.sha256);
    assert_int_equal(strncmp(out, expect, strlen(expect)), 0);
    free(out);

    /* The loudspeaker got the bulletin at the target. */
    char raw[1200];
    snprintf(raw, sizeof raw, "%s/out.raw", f.dir);
    size_t len = 0;
    int16_t *pcm = (int16_t *)(void *)bt_test_read_file(raw, &len);
    assert_non_null(pcm);
    size_t frames = len / 4, first = frames;
    for (size_t i = 0; i < frames && first == frames; i++)
        if (abs(pcm[2 * i]) > 100)
            first = i;
    assert_true(first < frames);
    size_t from = first + (size_t)lrint((f.chime + aired.duration_seconds + 1) * BT_AUDIO_RATE);
    size_t span = (size_t)(15 * BT_AUDIO_RATE); /* inside the 60-word bulletin */
    assert_true(from + span <= frames);
    double lufs, peak;
    assert_int_equal(bt_loudness_of_pcm(pcm + 2 * from, span, 2, BT_AUDIO_RATE, &lufs, &peak), 0);
    print_message("bulletin on air: %.2f LUFS\n", lufs);
    assert_true(fabs(lufs - TARGET_LUFS) <= 1.5); /* a 15 s stretch of it, not the whole */
    free(pcm);
}

/* ---- 2b: a render gone missing ----------------------------------------------------------------- */

/* `run --playlist` of a playlist never activated (or whose render the content store lost): the
 * broadcaster's measuring thread speaks it, off the screen's thread, and the session airs. */
static void kiosk_speaks_a_missing_render(void **state)
{
    (void)state;
    fixture f;
    make_fixture(&f, "speech-missing");
    char path[1200], text[2048], cmd[4096], at[32];
    f.at = (bt_wall)time(NULL) + LEAD_SECONDS;
    bt_time_format_iso(f.at, at, sizeof at);
    snprintf(text, sizeof text,
             "id = \"tin-doc\";\nversion = 1;\ntitle = \"Bản tin đọc\";\n"
             "notices = ( { id = \"chao\"; kind = \"text\"; title = \"Xin chào\"; } );\n"
             "broadcasts = {\n"
             "  items = ( { id = \"tin-cds\"; title = \"Ngày Chuyển đổi số\"; text = \"%s\"; } );\n"
             "  sessions = ( { id = \"doc\"; name = \"Bản tin đọc\"; at = [ \"%s\" ];\n"
             "                 items = [ \"tin-cds\" ]; } );\n"
             "};\n",
             short_text, at);
    snprintf(path, sizeof path, "%s/pl/playlist.cfg", f.dir);
    assert_int_equal(bt_test_write_file(path, text, strlen(text)), 0);
    double duration = (double)(f.at - (bt_wall)time(NULL)) + 2 * f.chime + 10;
    snprintf(cmd, sizeof cmd,
             "SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE='%s/out.raw' "
             BANGTIN " --config '%s/bangtin.cfg' --data '%s/data' run --playlist '%s/pl' "
             "--size 640x360 --duration %.1f 2>&1",
             f.dir, f.dir, f.dir, f.dir, duration);
    int status;
    char *out = run(cmd, &status);
    print_message("%s", out);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "chưa có bản đọc"));
    free(out);
    char render[1200];
    struct stat st;
    render_path(&f, short_text, render, sizeof render);
    assert_int_equal(stat(render, &st), 0);

    char db[1200], err[512];
    snprintf(db, sizeof db, "%s/data/bangtin.db", f.dir);
    bt_store *s = NULL;
    if (bt_store_open(db, &s, err, sizeof err) != 0)
        fail_msg("%s", err);
    bt_airing_row *rows = NULL;
    size_t n = 0;
    assert_int_equal(bt_airing_list(s, INT64_MIN, INT64_MAX, &rows, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].status, BT_AIRING_COMPLETED);
    char text_hash[BT_SHA256_HEX_SIZE];
    bt_speech_text_hash(short_text, text_hash);
    assert_string_equal(rows[0].subject.text_sha256, text_hash);
    free(rows);
    bt_store_close(s);
}

/* ---- 3: a stick ------------------------------------------------------------------------------ */

/* `pack` speaks every text to check it and refuses one that reads as nothing, naming its line;
 * `import` speaks into the content store at activation, a later version with the same texts
 * finds every render there, and a render no kept playlist reads any more is deleted. */
static void stick_import_speaks_at_activation(void **state)
{
    (void)state;
    fixture f;
    make_fixture(&f, "speech-stick");
    char cmd[8192], cfg[1200];
    int status;
    snprintf(cmd, sizeof cmd, BANGTIN " keygen --out '%s/ward' >/dev/null && mkdir '%s/stick'",
             f.dir, f.dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cfg, sizeof cfg,
             "trusted_keys = [ \"%s/ward.pub\" ];\nbroadcast = { windows = \"\"; };\n"
             "usb = { keep_playlists = 1; };\n", f.dir);
    char path[1200];
    snprintf(path, sizeof path, "%s/bangtin.cfg", f.dir);
    assert_int_equal(bt_test_write_file(path, cfg, strlen(cfg)), 0);

    /* A text with nothing to say is refused by pack, at its line. */
    snprintf(path, sizeof path, "%s/pl/playlist.cfg", f.dir);
    char *good = bt_test_read_file(path, NULL);
    assert_non_null(good);
    char *bad = malloc(strlen(good) + 64);
    assert_non_null(bad);
    const char *at = strstr(good, "text = \"Thông báo");
    assert_non_null(at);
    snprintf(bad, strlen(good) + 64, "%.*stext = \" ... \"; },\n%s", (int)(at - good), good,
             strstr(at, "    { id = \"tin-dvc\""));
    assert_int_equal(bt_test_write_file(path, bad, strlen(bad)), 0);
    snprintf(cmd, sizeof cmd, BANGTIN " --config '%s/bangtin.cfg' --data '%s/data' pack '%s/pl' "
             "'%s/stick/bangtin' --key '%s/ward.key' 2>&1", f.dir, f.dir, f.dir, f.dir, f.dir);
    char *out = run(cmd, &status);
    print_message("%s", out);
    assert_int_equal(status, 1);
    assert_non_null(strstr(out, "playlist.cfg:7: lỗi: tin \"tin-cds\" (văn bản đọc): Văn bản "
                                "không có chữ nào để đọc — hãy viết nội dung bản tin.\n"));
    free(out);
    free(bad);

    assert_int_equal(bt_test_write_file(path, good, strlen(good)), 0);
    out = run(cmd, &status);
    assert_int_equal(status, 0);
    free(out);
    snprintf(cmd, sizeof cmd, BANGTIN " --config '%s/bangtin.cfg' --data '%s/data' import "
             "'%s/stick/bangtin' --no-write-back 2>&1", f.dir, f.dir, f.dir);
    out = run(cmd, &status);
    print_message("%s", out);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "Bản tin văn bản: đọc mới 2, có sẵn 0"));
    free(out);
    char render[1200];
    struct stat st;
    render_path(&f, short_text, render, sizeof render);
    assert_int_equal(stat(render, &st), 0);
    render_path(&f, bulletin, render, sizeof render);
    assert_int_equal(stat(render, &st), 0);

    /* Version 2, the same texts: nothing is spoken again. */
    char *v2 = malloc(strlen(good) + 8);
    assert_non_null(v2);
    const char *version = strstr(good, "version = 1;");
    assert_non_null(version);
    snprintf(v2, strlen(good) + 8, "%.*sversion = 2;%s", (int)(version - good), good,
             version + strlen("version = 1;"));
    assert_int_equal(bt_test_write_file(path, v2, strlen(v2)), 0);
    snprintf(cmd, sizeof cmd, "rm -rf '%s/stick/bangtin' && " BANGTIN " --config '%s/bangtin.cfg' --data "
             "'%s/data' pack '%s/pl' '%s/stick/bangtin' --key '%s/ward.key' >/dev/null && "
             BANGTIN " --config '%s/bangtin.cfg' --data '%s/data' import '%s/stick/bangtin' "
             "--no-write-back 2>&1", f.dir, f.dir, f.dir, f.dir, f.dir, f.dir, f.dir, f.dir,
             f.dir);
    out = run(cmd, &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "Bản tin văn bản: đọc mới 0, có sẵn 2"));
    free(out);

    /* Version 3 drops the long bulletin; the store keeps one playlist: its render goes too. */
    const char *long_item = strstr(v2, "    { id = \"tin-dvc\"");
    assert_non_null(long_item);
    snprintf(v2 + (long_item - v2), strlen(good) + 8 - (size_t)(long_item - v2),
             "  );\n  sessions = ( { id = \"doc\"; name = \"Bản tin đọc\"; times = \"06:00\";\n"
             "                 items = [ \"tin-cds\" ]; } );\n};\n");
    char *comma = strstr(v2, "; },\n  );");
    assert_non_null(comma);
    memmove(comma + 3, comma + 4, strlen(comma + 4) + 1); /* no comma after the last item */
    char *ver = strstr(v2, "version = 2;");
    ver[strlen("version = ")] = '3';
    assert_int_equal(bt_test_write_file(path, v2, strlen(v2)), 0);
    out = run(cmd, &status);
    print_message("%s", out);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "Bản tin văn bản: đọc mới 0, có sẵn 1"));
    free(out);
    render_path(&f, short_text, render, sizeof render);
    assert_int_equal(stat(render, &st), 0);
    render_path(&f, bulletin, render, sizeof render);
    assert_int_not_equal(stat(render, &st), 0);
    free(v2);
    free(good);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(speak_writes_speech_at_the_target),
        cmocka_unit_test(text_playlist_checks_simulates_and_airs),
        cmocka_unit_test(kiosk_speaks_a_missing_render),
        cmocka_unit_test(stick_import_speaks_at_activation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
