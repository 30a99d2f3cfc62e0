/* The reports module's one exported function (report/report_module.h): the table of
 * report_xlsx.c and report_docx.c, compiled into bangtin-reports.so with every other symbol
 * hidden. What the writers call of the program (program_symbols.list) is resolved from the
 * program when the module is opened. */
#include "report_module.h"

static const bt_report_module table = {
    .abi = BT_REPORT_MODULE_ABI,
    .write_xlsx = bt_report_write_xlsx,
    .write_docx = bt_report_write_docx,
};

/* Declared here, not in a header: the program reaches it by name through dlsym only. */
__attribute__((visibility("default"))) const bt_report_module *bt_report_module_get(unsigned abi);

const bt_report_module *bt_report_module_get(unsigned abi)
{
    return abi == BT_REPORT_MODULE_ABI ? &table : NULL;
}
