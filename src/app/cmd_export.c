/* `bangtin export [--from D --to D] -o FILE` (issue 16): the signed export for the city by hand,
 * for an appliance whose stick never reached it or a period the city asks again. Without dates:
 * every row since the last export (as the stick's write-back does), and the next starts after
 * it; with dates: the rows logged on those days, leaving the stick's exports as they were. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bangtin/bt_app.h"
#include "bangtin/bt_cli.h"
#include "bangtin/bt_device_key.h"
#include "bangtin/bt_export.h"
#include "bangtin/bt_store.h"

/* The device's public key beside the export (khoa-thiet-bi-<id>.pub), for the city to enrol the
 * appliance; the same text the stick gets. */
static int write_public_key(const bt_device_key *k, const char *ward, const char *out, char *err,
                            size_t err_size)
{
    char path[BT_MAX_PATH_BYTES + 64];
    const char *slash = strrchr(out, '/');
    int dir_len = slash ? (int)(slash - out) : 1;
    snprintf(path, sizeof path, "%.*s/khoa-thiet-bi-%s.pub", dir_len, slash ? out : ".", k->id);
    char *text = bt_device_key_public_text(k, ward);
    FILE *f = text ? fopen(path, "w") : NULL;
    bool ok = f && fputs(text, f) >= 0;
    if (f && fclose(f) != 0)
        ok = false;
    free(text);
    if (!ok)
        snprintf(err, err_size, "không ghi được khoá công khai \"%s\": %s", path,
                 strerror(errno));
    return ok ? 0 : -1;
}

int bt_cmd_export(bt_app *app, const struct bt_cli_args *a)
{
    const char *out = bt_cli_opt(a, "-o"), *from = bt_cli_opt(a, "--from"),
               *to = bt_cli_opt(a, "--to");
    bt_export_request req = {.since_last = true, .ward = app->cfg.ward_name, .now = time(NULL)};
    if (!out || !out[0]) {
        fprintf(stderr, "bangtin export: thiếu \"-o TỆP\" (tệp xuất; chữ ký ghi vào TỆP.sig).\n");
        return 2;
    }
    if (!from != !to) {
        fprintf(stderr, "bangtin export: cần cả --from và --to (hoặc bỏ cả hai để xuất mọi dòng "
                        "từ lần xuất trước).\n");
        return 2;
    }
    if (from) {
        req.since_last = false;
        if (bt_time_parse_date(from, &req.first) != 0 || bt_time_parse_date(to, &req.last) != 0 ||
            req.last < req.first) {
            fprintf(stderr, "bangtin export: --from \"%s\" --to \"%s\": cần hai ngày "
                            "YYYY-MM-DD, ngày đầu không sau ngày cuối.\n", from, to);
            return 2;
        }
    }
    bt_store *store = bt_app_open_store(app);
    if (!store)
        return 1;
    char err[BT_MAX_PATH_BYTES + 512];
    bt_device_key key;
    bt_export_summary sum;
    int rc = 1;
    if (bt_device_key_ensure(app->data_dir, &key, NULL, err, sizeof err) != 0)
        fprintf(stderr, "bangtin export: %s\n", err);
    else if (bt_export_write_file(store, &key, &req, out, &sum, err, sizeof err) != 0)
        fprintf(stderr, "bangtin export: %s\n", err);
    else
        rc = 0;
    if (rc == 0 && write_public_key(&key, app->cfg.ward_name, out, err, sizeof err) != 0) {
        fprintf(stderr, "bangtin export: %s\n", err);
        rc = 1;
    }
    if (rc == 0) {
        printf("Đã xuất \"%s\" (số %lld, %llu byte) và chữ ký \"%s.sig\", máy %s.\n", out,
               (long long)sum.export_no, (unsigned long long)sum.bytes, out, key.fingerprint);
        if (sum.airing_first)
            printf("Nhật ký phát thanh: dòng #%lld–#%lld", (long long)sum.airing_first,
                   (long long)sum.airing_last);
        else
            printf("Nhật ký phát thanh: không có dòng mới");
        printf(" (đầu chuỗi #%lld); số liệu màn hình: %zu dòng.\n", (long long)sum.airing_head,
               sum.impression_rows);
        printf("Khoá công khai để thành phố đăng ký máy: khoa-thiet-bi-%s.pub (cùng thư mục).\n",
               key.id);
    }
    bt_device_key_wipe(&key);
    bt_store_close(store);
    return rc;
}
