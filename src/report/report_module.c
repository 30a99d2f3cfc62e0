/* The program's side of the reports module (report_module.h): opens bangtin-reports.so once, the
 * first time an XLSX or a DOCX is written, and forwards the two writers to it. The lobby kiosk
 * thus maps libxlsxwriter, minizip and libcrypto only after it has written reports onto a stick. */
#include "report_module.h"

#include "bangtin/bt_log.h"
#include "bangtin/bt_os.h"

static const bt_os_module_spec spec = {
    .env_var = "BANGTIN_REPORTS_MODULE",
    .relative = BT_REPORT_MODULE_RELATIVE,
    .installed = BT_REPORT_MODULE_INSTALLED,
    .symbol = BT_REPORT_MODULE_ENTRY,
    .what = "bộ ghi báo cáo XLSX/DOCX",
    .needs = "thư viện",
};

static const void *table_of(bt_os_module_fn entry)
{
    return ((bt_report_module_get_fn)entry)(BT_REPORT_MODULE_ABI);
}

/* Opened once: the stick's worker and the loop may both write reports. */
static bt_os_module_once once = {
    .spec = &spec, .noun = "báo cáo", .table_of = table_of, .log = bt_log_note};

static const bt_report_module *module_load(char *err, size_t err_size)
{
    return bt_os_module_load(&once, err, err_size);
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
