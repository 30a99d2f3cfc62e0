/* The program's side of the reports module (report_module.h): opens bangtin-reports.so once, the
 * first time an XLSX or a DOCX is written, and forwards the two writers to it. The lobby kiosk
 * thus maps libxlsxwriter, minizip and libcrypto only after it has written reports onto a stick. */
#include "report_module.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include "bangtin/bt_limits.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_os.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static bool tried;
static const bt_report_module *table;
static char message[BT_MAX_PATH_BYTES + 512];

static const bt_os_module_spec spec = {
    .env_var = "BANGTIN_REPORTS_MODULE",
    .relative = BT_REPORT_MODULE_RELATIVE,
    .installed = BT_REPORT_MODULE_INSTALLED,
    .symbol = BT_REPORT_MODULE_ENTRY,
    .what = "bộ ghi báo cáo XLSX/DOCX",
    .needs = "thư viện",
};

static const bt_report_module *open_module(void)
{
    char path[BT_MAX_PATH_BYTES], why[512];
    bt_report_module_get_fn get = NULL;
    if (bt_os_module_open(&spec, &get, path, sizeof path, why, sizeof why, message,
                          sizeof message) != 0) {
        bt_log_warn("không nạp được mô-đun báo cáo %s: %s", path, why);
        return NULL;
    }
    const bt_report_module *m = get(BT_REPORT_MODULE_ABI);
    if (!m) {
        bt_log_warn("mô-đun báo cáo %s khác phiên bản chương trình", path);
        bt_os_module_stale(&spec, path, message, sizeof message);
        return NULL;
    }
    bt_log_debug("đã nạp mô-đun báo cáo %s", path);
    return m;
}

/* The table, or NULL with the Vietnamese reason in err; opened once (the stick's worker and the
 * loop may both write reports). */
static const bt_report_module *module_load(char *err, size_t err_size)
{
    pthread_mutex_lock(&lock);
    if (!tried) {
        table = open_module();
        tried = true;
    }
    const bt_report_module *m = table;
    if (!m)
        snprintf(err, err_size, "%s", message);
    pthread_mutex_unlock(&lock);
    return m;
}

int bt_report_write_xlsx(const bt_report *r, const char *path, char *err, size_t err_size)
{
    const bt_report_module *m = module_load(err, err_size);
    return m ? m->write_xlsx(r, path, err, err_size) : -1;
}

int bt_report_write_docx(const bt_report *r, const char *path, char *err, size_t err_size)
{
    const bt_report_module *m = module_load(err, err_size);
    return m ? m->write_docx(r, path, err, err_size) : -1;
}
