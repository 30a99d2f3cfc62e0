/* `bangtin speak`: a text bulletin rendered exactly as the appliance will air it, so staff can
 * hear it on the office PC before the stick leaves, with what the synthesiser was given to read
 * and the figures the appliance will log. Also the child side of bt_speech_render_isolated
 * (--machine: one line to parse instead of the staff's text). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_app_speech.h"
#include "bangtin/bt_cli.h"
#include "bangtin/bt_loudness.h"
#include "bangtin/bt_silence.h"
#include "bangtin/bt_text.h"

/* The configuration's range for broadcast.loudness_target (config.c). */
#define TARGET_MIN_LUFS (-40)
#define TARGET_MAX_LUFS (-5)

/* A number as Vietnamese writes it: decimal comma ("23,4"). */
static const char *vn(double v, int decimals, char *buf, size_t size)
{
    snprintf(buf, size, "%.*f", decimals, v);
    for (char *p = buf; *p; p++)
        if (*p == '.')
            *p = ',';
    return buf;
}

/* Reads the text from a file ("-" is standard input), at most one byte over the limit so a
 * longer one is refused rather than cut. malloc'd; NULL with err. */
static char *read_text(const char *name, char *err, size_t err_size)
{
    FILE *f = strcmp(name, "-") == 0 ? stdin : fopen(name, "rb");
    if (!f) {
        bt_set_error(err, err_size, "không mở được tệp văn bản \"%s\"", name);
        return NULL;
    }
    size_t cap = BT_SPEECH_MAX_TEXT_BYTES + 3 + 2; /* + a BOM + one byte too many + NUL */
    char *buf = malloc(cap);
    size_t len = buf ? fread(buf, 1, cap - 1, f) : 0;
    if (f != stdin)
        fclose(f);
    if (!buf) {
        bt_set_error(err, err_size, "không đủ bộ nhớ");
        return NULL;
    }
    buf[len] = '\0';
    size_t bom = bt_text_bom_length(buf, len); /* Notepad writes one */
    memmove(buf, buf + bom, len - bom + 1);
    return buf;
}

/* The text as a playlist would hold it: valid UTF-8, NFC, without surrounding white space. */
static char *clean_text(const char *raw, char *err, size_t err_size)
{
    char *text = bt_text_nfc(raw);
    if (!text) {
        bt_set_error(err, err_size, "văn bản không phải UTF-8 hợp lệ — lưu tệp với mã hoá UTF-8");
        return NULL;
    }
    /* The white space the playlist validator trims, so the hash printed is the playlist's. */
    const char *space = " \t\r\n\f\v";
    size_t start = strspn(text, space), len = strlen(text);
    while (len > start && strchr(space, text[len - 1]))
        len--;
    memmove(text, text + start, len - start);
    text[len - start] = '\0';
    if (!text[0]) {
        bt_set_error(err, err_size, "văn bản đang trống — hãy viết nội dung bản tin");
    } else if (strlen(text) > BT_SPEECH_MAX_TEXT_BYTES) {
        bt_set_error(err, err_size, "văn bản dài %zu byte, tối đa %d byte — hãy chia thành nhiều "
                     "tin ngắn hơn", strlen(text), BT_SPEECH_MAX_TEXT_BYTES);
    } else {
        return text;
    }
    free(text);
    return NULL;
}

static int fail(bool machine, const char *err)
{
    if (machine) {
        printf("error ");
        for (const char *p = err; *p; p++)
            putchar(*p == '\n' ? ' ' : *p);
        printf("\n");
    } else {
        fprintf(stderr, "bangtin speak: %s\n", err);
    }
    return 1;
}

/* The figures staff read: what was given to espeak-ng, then the file as the appliance measures
 * every item before it airs (decoded at its output rate: loudness, silence) and judged against
 * the ward's silence limits, as `check` would. */
static void print_figures(const bt_app *app, const char *text, const char *out,
                          const bt_speech_result *r, int target)
{
    char a[32], b[32], c[32], d[32], e[32], text_hash[BT_SHA256_HEX_SIZE];
    char *words = bt_speech_text_normalise(text);
    printf("Máy đọc là: %s\n", words ? words : text);
    free(words);
    bt_loudness l;
    char err[512];
    if (bt_loudness_measure(out, &l, err, sizeof err) != 0) {
        printf("Đã ghi \"%s\", nhưng máy không đo lại được: %s\n", out, err);
        return;
    }
    printf("Đã ghi \"%s\": dài %s giây; độ lớn %s LUFS (mức phát của máy: %d LUFS); đỉnh %s "
           "dBFS.\n",
           out, vn(l.duration_seconds, 1, a, sizeof a), vn(l.integrated_lufs, 1, b, sizeof b),
           target, vn(l.sample_peak_dbfs, 1, c, sizeof c));
    printf("Im lặng: đầu %s giây, cuối %s giây, đoạn dài nhất bên trong %s giây, %s%% thời "
           "lượng.\n",
           bt_silence_seconds_text(l.silence.leading_seconds, a, sizeof a),
           bt_silence_seconds_text(l.silence.trailing_seconds, b, sizeof b),
           bt_silence_seconds_text(l.silence.longest_inside_seconds, d, sizeof d),
           vn(100 * l.silence.silent_fraction, 0, e, sizeof e));
    bt_broadcast_limits lim;
    bt_diags diags;
    bt_config_broadcast_limits(&app->cfg, &lim);
    bt_diags_init(&diags);
    bt_silence_check(&l.silence, l.duration_seconds, &lim.silence, "đọc thử", "văn bản đọc",
                     out, 0, &diags);
    bt_cli_print_diags(&diags, stdout);
    bt_diags_free(&diags);
    bt_speech_text_hash(text, text_hash);
    printf("Mã SHA-256 văn bản: %s\nMã SHA-256 âm thanh: %s\n", text_hash, l.sha256);
    printf("Đọc mất %s giây (espeak-ng %s, giọng %s, %d từ/phút). Nghe thử tệp này trước khi "
           "chép lên USB.\n",
           vn(r->synthesis_seconds, 2, a, sizeof a), bt_speech_engine_version(), BT_SPEECH_VOICE,
           BT_SPEECH_RATE_WPM);
}

int bt_cmd_speak(bt_app *app, const struct bt_cli_args *a)
{
    const char *out = bt_cli_opt(a, "-o");
    const char *file = bt_cli_opt(a, "--file");
    const char *target_text = bt_cli_opt(a, "--target");
    bool machine = bt_cli_opt(a, "--machine") != NULL;
    char err[1024];
    int target = app->cfg.broadcast_loudness_target;
    if (!out) {
        fprintf(stderr, "bangtin speak: thiếu \"-o TỆP.wav\" (tệp âm thanh để ghi).\n");
        return 2;
    }
    if ((a->positional_count == 1) == (file != NULL)) {
        fprintf(stderr, "bangtin speak: viết văn bản trong dấu ngoặc kép, hoặc chỉ tệp văn bản "
                        "bằng \"--file TỆP.txt\" (một trong hai).\n");
        return 2;
    }
    if (target_text) {
        char *end;
        long t = strtol(target_text, &end, 10);
        if (*end || end == target_text || t < TARGET_MIN_LUFS || t > TARGET_MAX_LUFS) {
            fprintf(stderr, "bangtin speak: --target \"%s\" không hợp lệ — một số nguyên từ %d "
                            "đến %d (LUFS).\n", target_text, TARGET_MIN_LUFS, TARGET_MAX_LUFS);
            return 2;
        }
        target = (int)t;
    }
    char *raw = file ? read_text(file, err, sizeof err) : strdup(a->positional[0]);
    if (!raw)
        return fail(machine, file ? err : "không đủ bộ nhớ");
    char *text = clean_text(raw, err, sizeof err);
    free(raw);
    if (!text)
        return fail(machine, err);
    bt_speech_params p = bt_speech_default_params(target);
    bt_speech_result r;
    int rc = bt_speech_render(text, &p, out, &r, err, sizeof err);
    if (rc != 0) {
        free(text);
        return fail(machine, err);
    }
    if (machine)
        printf("ok %s %.6f %.6f %.6f %.6f %.6f %d %.6f\n", r.sha256, r.duration_seconds,
               r.integrated_lufs, r.sample_peak_dbfs, r.lead_silence_seconds,
               r.tail_silence_seconds, r.sample_rate, r.synthesis_seconds);
    else
        print_figures(app, text, out, &r, target);
    free(text);
    return 0;
}
