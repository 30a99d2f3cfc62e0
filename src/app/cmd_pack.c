/* `keygen` (the ward's Ed25519 key pair) and `pack` (a playlist, checked as `check` checks it,
 * becomes a signed package for the stick): the staff tools' USB commands, which run on the
 * office PC (bangtin.exe) as on the appliance. The work is in the usb room (package.c, pack.c). */
#include <stdio.h>
#include <time.h>

#include "bangtin/bt_app.h"
#include "bangtin/bt_app_check.h"
#include "bangtin/bt_cli.h"
#include "bangtin/bt_package.h"

int bt_cmd_keygen(bt_app *app, const struct bt_cli_args *a)
{
    (void)app;
    const char *name = bt_cli_opt(a, "--out");
    char id[BT_PACKAGE_KEY_ID_SIZE], err[BT_MAX_PATH_BYTES + 256];
    if (!name) {
        fprintf(stderr, "bangtin keygen: thiếu \"--out TÊN\" (tạo TÊN.key và TÊN.pub).\n");
        return 2;
    }
    if (bt_package_keygen(name, id, err, sizeof err) != 0) {
        fprintf(stderr, "bangtin keygen: %s\n", err);
        return 1;
    }
    printf("Đã tạo cặp khoá, mã khoá %s:\n"
           "  %s.key  khoá BÍ MẬT — giữ kín trên máy tính của phường, không chép lên USB\n"
           "  %s.pub  khoá công khai — chép vào máy bảng tin và thêm vào trusted_keys trong "
           "bangtin.cfg\n",
           id, name, name);
    return 0;
}

int bt_cmd_pack(bt_app *app, const struct bt_cli_args *a)
{
    const char *src = a->positional[0], *dest = a->positional[1];
    const char *key = bt_cli_opt(a, "--key");
    char id[BT_PACKAGE_KEY_ID_SIZE];
    if (!key) {
        fprintf(stderr, "bangtin pack: thiếu \"--key TÊN.key\" (khoá bí mật của phường; tạo bằng "
                        "\"bangtin keygen --out TÊN\").\n");
        return 2;
    }
    bt_diags d;
    bt_diags_init(&d);
    bt_playlist p;
    bt_app_check_result checked;
    /* Exactly `check`: every error and warning in one pass; a stick is written only when there
     * is no error, and the warnings are shown either way. */
    int rc = bt_app_check_playlist(app, src, &p, &d, &checked);
    bt_playlist_free(&p);
    bt_wall now = time(NULL);
    if (rc == 0)
        rc = bt_package_pack(src, dest, key, now, id, &d);
    bt_cli_print_diags(&d, stdout);
    char hhmm[16], date[32];
    /* The appliance compares its clock with this time on import: staff can see it is right. */
    if (rc == 0)
        printf("Đã đóng gói \"%s\" vào \"%s\", ký bằng khoá %s lúc %s ngày %s (theo đồng hồ "
               "máy tính này). Chép cả thư mục này vào gốc USB với tên \"%s\".\n", src, dest, id,
               bt_time_format_hhmm(now, hhmm, sizeof hhmm),
               bt_time_format_ddmmyyyy(bt_time_day_of(now), date, sizeof date),
               BT_PACKAGE_STICK_DIR);
    if (rc == 0)
        bt_app_check_print_not_checked(&checked, stdout);
    if (rc == 0 && d.warnings)
        printf("Có %zu cảnh báo ở trên: máy vẫn nạp và chạy playlist này, nhưng nên xem lại "
               "trước khi mang USB đi.\n", d.warnings);
    else if (rc != 0 && checked.unread)
        printf("Không đóng gói: máy dừng đọc playlist.cfg ở lỗi trên nên chưa kiểm tra được phần "
               "còn lại. Sửa lỗi đó rồi chạy lại.\n");
    else if (rc != 0)
        printf("Không đóng gói: %zu lỗi. Sửa các dòng trên rồi chạy lại.\n", d.errors);
    bt_diags_free(&d);
    return rc == 0 ? 0 : 1;
}
