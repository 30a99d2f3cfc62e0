/* Private to the usb room: the receipt and log export written back onto the stick. */
#ifndef BT_USB_EXPORT_H
#define BT_USB_EXPORT_H

#include "bangtin/bt_store.h"
#include "bangtin/bt_usb.h"

/* Writes the receipt of r and the logs (airings and screen proof of play of the current and
 * previous quarter of o->now, CSV) into the results folder beside package_dir
 * (bt_usb_results_open: never through a symlink). store may be NULL (no logs then). Failures
 * go to r->stick_note; the import's outcome never changes. */
void usb_write_back(const char *package_dir, const bt_usb_options *o, bt_store *store,
                    bt_usb_result *r);

/* The CSV texts (UTF-8 with BOM, CRLF, Excel-safe), malloc'd; NULL on error. */
char *usb_airings_csv(bt_store *store, bt_wall from, bt_wall to, size_t *len);
char *usb_impressions_csv(bt_store *store, bt_day first, bt_day last, size_t *len);

#endif
