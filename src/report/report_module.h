/* The reports module (issue 14, item 9): the XLSX and DOCX writers (report_xlsx.c,
 * report_docx.c) with libxlsxwriter, minizip and, through libxlsxwriter, OpenSSL's libcrypto.
 * Mapped into every process, those libraries and their relocations were ~1.7 MB of the lobby
 * kiosk's memory on a quiet machine, for reports it writes onto a stick a few times a quarter.
 * So on the appliance the two writers are a shared module of their own, bangtin-reports.so in
 * the package's lib folder (/usr/lib/bangtin, beside bangtin-video.so), which the program opens
 * the first time it writes an XLSX or a DOCX. This is the whole interface: one exported function
 * handing over a table.
 *
 * Unlike the video module, the writers call back into the program (the báo cáo's text from
 * report_doc.c, bt_buf, Vietnamese errors): the program exports exactly those functions
 * (src/report_module/program_symbols.list) and the module resolves them when it is opened. A
 * build with BT_REPORT_MODULE=OFF links the writers into the program and has no table.
 *
 * The module and the program come from one build: a table of another ABI is refused. */
#ifndef BT_REPORT_MODULE_H
#define BT_REPORT_MODULE_H

#include <stddef.h>

#include "report_internal.h"

/* Raised whenever the table or a function's meaning changes. */
#define BT_REPORT_MODULE_ABI 1u
/* The module's one exported function, a bt_report_module_get_fn. */
#define BT_REPORT_MODULE_ENTRY "bt_report_module_get"

typedef struct {
    unsigned abi;
    /* report_internal.h's writers, function for function. */
    int (*write_xlsx)(const bt_report *r, const char *path, char *err, size_t err_size);
    int (*write_docx)(const bt_report *r, const char *path, char *err, size_t err_size);
} bt_report_module;

/* The table when abi is the module's own, else NULL. */
typedef const bt_report_module *(*bt_report_module_get_fn)(unsigned abi);

#endif
