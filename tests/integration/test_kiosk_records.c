/* "Ghi nhận kênh khác" driven as staff drive it (issue 13, item 4): the whole kiosk runs in this
 * process (bt_app_main, `run`, the offscreen driver) while a second thread sends the SDL key
 * events the panel's USB keypad sends — F12, the PIN, digits, Enter, Esc — and reads the
 * kiosk's journal (its stderr) to know when each answer came. Staff open the panel, record 3
 * items on the ward website, then, while the data disk is full (the fault VFS of
 * tests/support/bt_fault_vfs.c, as the store's own fault tests do), 1 item on the City's page,
 * which the page says is kept in the writer's journal and which reaches the store once the disk
 * takes writes; then they undo the ward-site entry. Afterwards the store holds the two entries
 * and the correcting row, and `bangtin report` for the quarter counts them "do cán bộ ghi
 * nhận": 1 item, the 3 taken back. */
#include "bt_test_support.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <SDL2/SDL.h>
#include <sqlite3.h>

#include "bangtin/bt_app.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_time.h"
#include "bt_fault_vfs.h"

#define PIN "2468"
/* The kiosk stops by itself after this long, should the keys never come to an end. */
#define RUN_SECONDS 120
/* How long one answer may take to show in the journal. */
#define WAIT_MS 30000

#define PLAYLIST                                                                                 \
    "id = \"ghi-nhan-thu\";\nversion = 1;\ntitle = \"Thử ghi nhận\";\n"                         \
    "notices = ( { id = \"chao\"; kind = \"text\"; title = \"Xin chào\"; duration = 5; } );\n"  \
    "targets = (\n"                                                                              \
    "  { id = \"trang-phuong\"; label = \"tin bài CCHC\"; channel = \"ward-site\";"             \
    " topic = \"cchc\"; period = \"quarter\"; minimum = 2; },\n"                                \
    "  { id = \"trang-tp\"; label = \"tin bài CCHC\"; channel = \"city-page\";"                 \
    " topic = \"cchc\"; period = \"month\"; minimum = 1; }\n"                                    \
    ");\n"

typedef struct {
    char log[1200];    /* the kiosk's stderr */
    bool ok;           /* every step came */
    char failed[256];  /* else the step that did not */
} keypad;

/* The journal so far. */
static char *journal(const keypad *k)
{
    return bt_test_read_file(k->log, NULL);
}

static int count_of(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; p && (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* Waits until the journal holds `needle` `times` times. */
static bool wait_for(keypad *k, const char *needle, int times)
{
    for (int waited = 0; waited < WAIT_MS; waited += 50) {
        char *text = journal(k);
        int n = count_of(text, needle);
        free(text);
        if (n >= times)
            return true;
        usleep(50 * 1000);
    }
    snprintf(k->failed, sizeof k->failed, "\"%s\" (%d lần) không xuất hiện", needle, times);
    return false;
}

/* One key press as the keypad sends it: down, then up. */
static void press(SDL_Keycode sym)
{
    SDL_Event ev;
    SDL_zero(ev);
    ev.type = SDL_KEYDOWN;
    ev.key.state = SDL_PRESSED;
    ev.key.keysym.sym = sym;
    ev.key.keysym.scancode = SDL_GetScancodeFromKey(sym);
    SDL_PushEvent(&ev);
    ev.type = SDL_KEYUP;
    ev.key.state = SDL_RELEASED;
    SDL_PushEvent(&ev);
    usleep(20 * 1000); /* a person's pace, and the frames between */
}

/* "1K" = 1 then OK (Enter); X = Xoá (Backspace); H = Huỷ (Esc); P = the panel key (F12). */
static void keys(const char *typed)
{
    for (const char *c = typed; *c; c++)
        press(*c == 'K'   ? SDLK_RETURN
              : *c == 'X' ? SDLK_BACKSPACE
              : *c == 'H' ? SDLK_ESCAPE
              : *c == 'P' ? SDLK_F12
                          : SDLK_0 + (*c - '0'));
}

static void *staff_member(void *arg)
{
    keypad *k = arg;
    const char *done = "ghi nhận kênh khác: Đã ghi";
    k->ok = wait_for(k, "bangtin: first-frame", 1);
    if (k->ok) {
        keys("P" PIN "K"); /* the panel */
        k->ok = wait_for(k, "bảng theo dõi của cán bộ được mở", 1);
    }
    if (k->ok) {
        /* Its "Ghi nhận kênh khác" (1); the ward site, the playing plan's first channel (1);
         * today (OK); 3 items; the first preset note; OK on the check. */
        keys("11K3K1K");
        k->ok = wait_for(k, done, 1);
    }
    if (k->ok) {
        /* The disk fills: the next entry (the City's page, 1 item, no note) waits in the
         * writer's journal, and the page says so. */
        bt_fault_vfs_arm(BT_FAULT_WRITE | BT_FAULT_SYNC, 1, SQLITE_FULL, true);
        keys("2KKKK");
        k->ok = wait_for(k, "ghi nhận kênh khác: Đã nhận", 1) &&
                wait_for(k, "nhật ký chờ ghi", 1);
    }
    if (k->ok) {
        /* Space returns; the writer's next try writes it. */
        bt_fault_vfs_disarm();
        k->ok = wait_for(k, "Cơ sở dữ liệu đã nhận ghi trở lại", 1);
    }
    if (k->ok) {
        /* Back to the panel (which reads the latest entries again, the City's now among them)
         * and into the page; undo (0) the second line of the list, newest first: the
         * ward-site entry; OK. Then back to the panel, and closed. */
        keys("H102K");
        k->ok = wait_for(k, "ghi nhận kênh khác: Đã hủy", 1);
    }
    keys("HH");
    SDL_Event quit;
    SDL_zero(quit);
    quit.type = SDL_QUIT;
    SDL_PushEvent(&quit);
    return NULL;
}

static int64_t count_sql(const char *db_path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void must_show(const char *text, const char *needle, const char *what)
{
    if (!text || !strstr(text, needle))
        fail_msg("%s lacks \"%s\":\n%s", what, needle, text ? text : "(nothing)");
}

static void staff_record_and_undo_on_the_keypad(void **state)
{
    (void)state;
    char *dir = bt_test_temp_dir("kiosk-records");
    assert_non_null(dir);
    char pl[1100], data[1100], run[1100], cfg[1100], path[1200];
    snprintf(pl, sizeof pl, "%s/pl", dir);
    snprintf(data, sizeof data, "%s/data", dir);
    snprintf(run, sizeof run, "%s/run", dir);
    snprintf(cfg, sizeof cfg, "%s/bangtin.cfg", dir);
    assert_int_equal(mkdir(pl, 0755), 0);
    assert_int_equal(mkdir(data, 0755), 0);
    assert_int_equal(mkdir(run, 0755), 0);
    snprintf(path, sizeof path, "%s/playlist.cfg", pl);
    assert_int_equal(bt_test_write_file(path, PLAYLIST, strlen(PLAYLIST)), 0);
    const char *config = "panel = { pin = \"" PIN "\"; };\n"
                         "broadcast = { windows = \"\"; amp_warmup_ms = 0; };\n";
    assert_int_equal(bt_test_write_file(cfg, config, strlen(config)), 0);
    /* The writer's journal goes to the runtime folder, as under systemd. */
    setenv("RUNTIME_DIRECTORY", run, 1);

    keypad k = {0};
    snprintf(k.log, sizeof k.log, "%s/kiosk.log", dir);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    int fd = open(k.log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, STDERR_FILENO);
    close(fd);

    pthread_t staff;
    assert_int_equal(pthread_create(&staff, NULL, staff_member, &k), 0);
    char duration[16];
    snprintf(duration, sizeof duration, "%d", RUN_SECONDS);
    char *argv[] = {"bangtin", "--config", cfg,      "--data",     data,     "run",
                    "--playlist", pl,   "--size", "640x360", "--duration", duration, NULL};
    int rc = bt_app_main((int)(sizeof argv / sizeof argv[0]) - 1, argv);
    pthread_join(staff, NULL);
    bt_fault_vfs_disarm();
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    char *log = journal(&k);
    if (!k.ok || rc != 0)
        fail_msg("kiosk exit %d; %s:\n%s", rc, k.ok ? "" : k.failed, log ? log : "");
    /* What the page said, in the journal too. */
    must_show(log, "Đã ghi: ", "the journal");
    must_show(log, "3 tin bài · Trang thông tin điện tử của phường", "the journal");
    must_show(log, "Trang thông tin CCHC của Thành phố — cơ sở dữ liệu chưa ghi được (đĩa đầy",
              "the journal");
    must_show(log, "đã giữ trong nhật ký chờ ghi", "the journal");
    must_show(log, "Đã hủy: ", "the journal");
    free(log);

    /* The store: the two entries, the correcting row naming the first, nothing waiting. */
    char db[1200];
    snprintf(db, sizeof db, "%s/%s", data, BT_STORE_FILE);
    assert_int_equal(count_sql(db, "SELECT count(*) FROM staff_records"), 3);
    assert_int_equal(count_sql(db, "SELECT count(*) FROM staff_records WHERE source = 'panel'"
                                   " AND channel = 'ward-site' AND count = 3 AND topic = 'cchc'"
                                   " AND note IS NOT NULL"),
                     1);
    assert_int_equal(count_sql(db, "SELECT count(*) FROM staff_records WHERE source = 'panel'"
                                   " AND channel = 'city-page' AND count = 1 AND note IS NULL"),
                     1);
    assert_int_equal(count_sql(db, "SELECT count(*) FROM staff_records c JOIN staff_records e"
                                   " ON c.corrects = e.id WHERE c.count = -3 AND"
                                   " e.channel = 'ward-site' AND c.note = 'hủy ghi nhận'"),
                     1);
    snprintf(path, sizeof path, "%s/bangtin.db.pending", run);
    assert_int_equal(access(path, F_OK), -1);

    /* The department's report of this quarter counts them as staff recorded them. */
    bt_civil today = bt_time_to_civil((bt_wall)time(NULL));
    char cmd[4096], csv[1200];
    snprintf(csv, sizeof csv, "%s/quy.csv", dir);
    snprintf(cmd, sizeof cmd,
             "BANGTIN_CONFIG= '%s' --data '%s' report --period %d-Q%d --format csv -o '%s' 2>&1",
             BT_BANGTIN_EXE, data, today.year, (today.month - 1) / 3 + 1, csv);
    int status = 0;
    char *out = bt_test_run(cmd, &status);
    if (status != 0)
        fail_msg("%s\n%s", cmd, out ? out : "");
    free(out);
    char *text = bt_test_read_file(csv, NULL);
    must_show(text, ";Trang thông tin điện tử của phường;3;", "the report");
    must_show(text, ";Trang thông tin điện tử của phường;-3;", "the report");
    must_show(text, ";Trang thông tin CCHC của Thành phố;1;", "the report");
    must_show(text, "hủy ghi nhận;bảng theo dõi tại máy", "the report");
    must_show(text, "do cán bộ ghi nhận", "the report");
    must_show(text, "1 tin bài trong kỳ", "the report");
    free(text);
    free(dir);
}

static int setup(void **state)
{
    (void)state;
    /* Before the kiosk opens its store: every connection of this process goes through it. */
    return bt_fault_vfs_register() == SQLITE_OK ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(staff_record_and_undo_on_the_keypad),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
