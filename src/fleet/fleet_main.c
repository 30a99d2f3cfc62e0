/* bangtin-fleet: the city's command line (docs/fleet.md).
 *
 *   bangtin-fleet init    --db URL
 *   bangtin-fleet enroll  --db URL --ward "Phường Bạch Mai" KEY.pub
 *   bangtin-fleet ingest  --db URL [--jobs N] FILE…
 *   bangtin-fleet report  --db URL --period 2025-Q4 [--format csv|xlsx|html] [-o FILE]
 *   bangtin-fleet status  --db URL
 *
 * Exit 0 when all went in (or was already there), 1 when something was refused or failed, 2 on a
 * wrong command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bangtin/bt_device_key.h"
#include "bangtin/bt_export.h"
#include "bangtin/bt_report.h"
#include "fleet.h"

#define MAX_FILES 4096
#define MAX_JOBS 8

typedef struct {
    const char *cmd, *db, *ward, *period, *format, *out, *now, *jobs;
    const char *files[MAX_FILES];
    int file_count;
} args;

static int usage(const char *why)
{
    if (why)
        fprintf(stderr, "bangtin-fleet: %s\n", why);
    fprintf(stderr,
            "Cách dùng:\n"
            "  bangtin-fleet init    --db URL\n"
            "  bangtin-fleet enroll  --db URL --ward \"Phường …\" KHOA.pub\n"
            "  bangtin-fleet ingest  --db URL [--jobs N] TỆP.bangtin…   (cần TỆP.bangtin.sig "
            "bên cạnh; N kết nối song song, 1–8)\n"
            "  bangtin-fleet report  --db URL --period 2025-Q4 [--format csv|xlsx|html] "
            "[-o TỆP]\n"
            "  bangtin-fleet status  --db URL\n"
            "URL: chuỗi kết nối PostgreSQL, ví dụ postgresql:///bangtin_fleet\n");
    return 2;
}

static int parse(int argc, char **argv, args *a)
{
    memset(a, 0, sizeof *a);
    if (argc < 2)
        return -1;
    a->cmd = argv[1];
    for (int i = 2; i < argc; i++) {
        const char **slot = strcmp(argv[i], "--db") == 0       ? &a->db
                            : strcmp(argv[i], "--ward") == 0   ? &a->ward
                            : strcmp(argv[i], "--period") == 0 ? &a->period
                            : strcmp(argv[i], "--format") == 0 ? &a->format
                            : strcmp(argv[i], "-o") == 0       ? &a->out
                            : strcmp(argv[i], "--now") == 0    ? &a->now
                            : strcmp(argv[i], "--jobs") == 0   ? &a->jobs
                                                               : NULL;
        if (slot) {
            if (i + 1 >= argc) {
                fprintf(stderr, "bangtin-fleet: thiếu giá trị sau %s\n", argv[i]);
                return -1;
            }
            *slot = argv[++i];
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "bangtin-fleet: không hiểu tuỳ chọn \"%s\"\n", argv[i]);
            return -1;
        } else if (a->file_count < MAX_FILES) {
            a->files[a->file_count++] = argv[i];
        }
    }
    if (!a->db) {
        fprintf(stderr, "bangtin-fleet: thiếu --db URL (ví dụ postgresql:///bangtin_fleet)\n");
        return -1;
    }
    return 0;
}

static int cmd_init(PGconn *db)
{
    char err[FLEET_ERR_BYTES];
    int before = fleet_schema_version(db), after = 0;
    if (fleet_migrate(db, &after, err, sizeof err) != 0) {
        fprintf(stderr, "bangtin-fleet init: %s\n", err);
        return 1;
    }
    if (before == after)
        printf("Cơ sở dữ liệu đã ở phiên bản %d: không đổi gì.\n", after);
    else
        printf("Đã nâng cơ sở dữ liệu từ phiên bản %d lên %d.\n", before < 0 ? 0 : before, after);
    return 0;
}

/* Every command but init needs the schema at this program's version. */
static int schema_ready(PGconn *db, const char *cmd)
{
    int v = fleet_schema_version(db);
    if (v == fleet_schema_latest())
        return 0;
    fprintf(stderr, "bangtin-fleet %s: cơ sở dữ liệu ở phiên bản %d, cần %d: chạy "
                    "\"bangtin-fleet init --db …\" trước.\n", cmd, v, fleet_schema_latest());
    return -1;
}

/* Ingests the files whose worker is `job` (all of them when job < 0), in command-line order;
 * adds to *rows and *refused. */
static void ingest_files(PGconn *db, const args *a, const int *worker, int job, int64_t *rows,
                         int *refused)
{
    char msg[FLEET_ERR_BYTES];
    for (int i = 0; i < a->file_count; i++) {
        if (job >= 0 && worker[i] != job)
            continue;
        fleet_ingest_counts c;
        fleet_ingest_outcome o = fleet_ingest(db, a->files[i], &c, msg, sizeof msg);
        bool ok = o == FLEET_INGEST_LOADED || o == FLEET_INGEST_NOTHING;
        fprintf(ok ? stdout : stderr, "%s%s\n", ok ? "" : "TỪ CHỐI: ", msg);
        fflush(ok ? stdout : stderr);
        *refused += !ok;
        *rows += c.airing_rows + c.clock_rows + c.impression_rows + c.other_rows;
    }
}

/* --jobs N: the server's work on N connections at once (each ingest is one transaction of one
 * device, so they do not wait on each other). Every device's files go to one worker, in their
 * command-line order, so a device's exports still go in one after another: the device is read
 * from FILE.sig; a file without a readable one goes to worker 0 and is refused there. */
static int ingest_parallel(const args *a, int jobs, int64_t *rows, int *refused)
{
    static int worker[MAX_FILES];
    static char ids[MAX_FILES][BT_DEVICE_ID_SIZE];
    int distinct = 0;
    for (int i = 0; i < a->file_count; i++) {
        char sig_path[BT_MAX_PATH_BYTES + 8], id[BT_DEVICE_ID_SIZE] = "", err[512], *sig = NULL;
        size_t len = 0;
        snprintf(sig_path, sizeof sig_path, "%s.sig", a->files[i]);
        if (bt_export_read_file(sig_path, BT_DEVICE_KEY_FILE_MAX_BYTES, &sig, &len, err,
                                sizeof err) != 0 ||
            bt_device_key_signature_id(sig, len, id) != 0) {
            free(sig);
            worker[i] = 0;
            continue;
        }
        free(sig);
        int k = 0;
        while (k < distinct && strcmp(ids[k], id) != 0)
            k++;
        if (k == distinct)
            memcpy(ids[distinct++], id, sizeof id);
        worker[i] = k % jobs;
    }
    int64_t done[MAX_JOBS][2] = {{0}};
    int fds[MAX_JOBS][2];
    pid_t pids[MAX_JOBS];
    fflush(NULL);
    for (int j = 0; j < jobs; j++) {
        if (pipe(fds[j]) != 0 || (pids[j] = fork()) < 0) {
            perror("bangtin-fleet ingest: fork");
            return -1;
        }
        if (pids[j] == 0) {
            /* The child's own connection; the parent's is left alone (_exit, no PQfinish). */
            char err[FLEET_ERR_BYTES];
            int64_t out[2] = {0, 0};
            int bad = 0;
            PGconn *db = fleet_connect(a->db, err, sizeof err);
            if (!db) {
                fprintf(stderr, "bangtin-fleet ingest: %s\n", err);
                for (int i = 0; i < a->file_count; i++)
                    bad += worker[i] == j;
            } else {
                ingest_files(db, a, worker, j, &out[0], &bad);
                PQfinish(db);
            }
            out[1] = bad;
            fflush(NULL);
            _exit(write(fds[j][1], out, sizeof out) == (ssize_t)sizeof out ? 0 : 1);
        }
        close(fds[j][1]);
    }
    for (int j = 0; j < jobs; j++) {
        int status = 0;
        ssize_t got = read(fds[j][0], done[j], sizeof done[j]);
        close(fds[j][0]);
        waitpid(pids[j], &status, 0);
        if (got != (ssize_t)sizeof done[j] || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "bangtin-fleet ingest: tiến trình nạp số %d dừng bất thường; "
                            "chạy lại lệnh (tệp đã nạp sẽ không bị nạp hai lần).\n", j + 1);
            (*refused)++;
            continue;
        }
        *rows += done[j][0];
        *refused += (int)done[j][1];
    }
    return 0;
}

static int cmd_ingest(PGconn *db, const args *a)
{
    int refused = 0, jobs = 1;
    int64_t rows = 0;
    if (a->file_count == 0)
        return usage("ingest: thiếu TỆP.bangtin");
    if (a->jobs) {
        char *end = NULL;
        long n = strtol(a->jobs, &end, 10);
        if (!end || *end || n < 1 || n > MAX_JOBS)
            return usage("ingest: --jobs là một số từ 1 đến 8");
        jobs = (int)n;
    }
    if (jobs > a->file_count)
        jobs = a->file_count;
    if (jobs == 1)
        ingest_files(db, a, NULL, -1, &rows, &refused);
    else if (ingest_parallel(a, jobs, &rows, &refused) != 0)
        return 1;
    /* The planner's statistics, so the first report after a big load reads by index. */
    if (rows > 0)
        PQclear(PQexec(db, "ANALYZE"));
    if (a->file_count > 1)
        printf("%d tệp: %d nạp được, %d bị từ chối; %lld dòng mới.\n", a->file_count,
               a->file_count - refused, refused, (long long)rows);
    return refused ? 1 : 0;
}

static int cmd_report(PGconn *db, const args *a)
{
    bt_period p;
    char err[FLEET_ERR_BYTES], name[128];
    fleet_report_format f = FLEET_REPORT_CSV;
    const char *ext = "csv";
    bt_wall now = time(NULL);
    if (!a->period || bt_report_period_parse(a->period, &p) != 0)
        return usage("report: --period cần dạng 2025-Q4, 2025-11, 2025 hoặc 2025-10-01..2025-12-31");
    if (a->format && strcmp(a->format, "xlsx") == 0)
        f = FLEET_REPORT_XLSX, ext = "xlsx";
    else if (a->format && strcmp(a->format, "html") == 0)
        f = FLEET_REPORT_HTML, ext = "html";
    else if (a->format && strcmp(a->format, "csv") != 0)
        return usage("report: --format là csv, xlsx hoặc html");
    if (a->now && bt_time_parse_datetime(a->now, &now) != 0)
        return usage("report: --now cần dạng \"2025-12-31 17:00\"");
    snprintf(name, sizeof name, "bao-cao-thanh-pho-%s.%s", a->period, ext);
    const char *out = a->out ? a->out : name;
    if (fleet_report(db, &p, f, out, now, err, sizeof err) != 0) {
        fprintf(stderr, "bangtin-fleet report: %s\n", err);
        return 1;
    }
    printf("Đã ghi báo cáo \"%s\".\n", out);
    return 0;
}

int main(int argc, char **argv)
{
    args a;
    if (parse(argc, argv, &a) != 0)
        return usage(NULL);
    bool known = strcmp(a.cmd, "init") == 0 || strcmp(a.cmd, "enroll") == 0 ||
                 strcmp(a.cmd, "ingest") == 0 || strcmp(a.cmd, "report") == 0 ||
                 strcmp(a.cmd, "status") == 0;
    if (!known)
        return usage("lệnh không có; chọn init, enroll, ingest, report hoặc status");
    char err[FLEET_ERR_BYTES], msg[FLEET_ERR_BYTES];
    PGconn *db = fleet_connect(a.db, err, sizeof err);
    if (!db) {
        fprintf(stderr, "bangtin-fleet %s: %s\n", a.cmd, err);
        return 1;
    }
    int rc = 1;
    if (strcmp(a.cmd, "init") == 0) {
        rc = cmd_init(db);
    } else if (schema_ready(db, a.cmd) != 0) {
        rc = 1;
    } else if (strcmp(a.cmd, "enroll") == 0) {
        if (!a.ward || !a.ward[0] || a.file_count != 1) {
            PQfinish(db);
            return usage("enroll: cần --ward \"Phường …\" và đúng một tệp KHOA.pub");
        }
        rc = fleet_enroll(db, a.ward, a.files[0], msg, sizeof msg) == 0 ? 0 : 1;
        fprintf(rc ? stderr : stdout, "%s\n", msg);
    } else if (strcmp(a.cmd, "ingest") == 0) {
        rc = cmd_ingest(db, &a);
    } else if (strcmp(a.cmd, "report") == 0) {
        rc = cmd_report(db, &a);
    } else if (fleet_status(db, time(NULL), err, sizeof err) != 0) {
        fprintf(stderr, "bangtin-fleet status: %s\n", err);
    } else {
        rc = 0;
    }
    PQfinish(db);
    return rc;
}
