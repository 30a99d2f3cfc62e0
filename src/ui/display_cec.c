/* HDMI-CEC: the TV itself goes to standby and comes back, which DPMS cannot do for a TV that
 * shows "no signal" and stays lit. Through libcec's C interface, opened with dlopen at the first
 * switch: libcec6 pulls libstdc++, libp8-platform and udev into the process, which a ward whose
 * TV has no CEC (or a monitor) should not carry; the package only recommends it. The adapter is
 * the first libcec finds: the Raspberry Pi's own (/dev/cec0 or the firmware's), or a USB one
 * (Pulse-Eight). bangtin joins the bus as a recording device that never asks to be the source,
 * so switching the TV on does not steal its input from another box. */
#include "bangtin/bt_ui_display_power.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libcec/cecc.h>

#include "bangtin/bt_diag.h"

#include "dl_symbol.h"

/* Adapters looked at: a kiosk has one. */
#define CEC_MAX_ADAPTERS 4
/* Opening an adapter waits for the bus: a few seconds at most on a live TV. */
#define CEC_OPEN_TIMEOUT_MS 5000

struct bt_ui_cec {
    bool loaded;
    bool opened;
    char problem[BT_DISPLAY_ERROR_BYTES];
    void *lib;
    libcec_connection_t conn;
    libcec_configuration config;
    cec_adapter_descriptor adapters[CEC_MAX_ADAPTERS];
    int adapter_count;
    libcec_connection_t (*initialise)(libcec_configuration *);
    void (*destroy)(libcec_connection_t);
    int (*open)(libcec_connection_t, const char *, uint32_t);
    void (*close)(libcec_connection_t);
    void (*clear)(libcec_configuration *);
    int8_t (*detect)(libcec_connection_t, cec_adapter_descriptor *, uint8_t, const char *, int);
    int (*power_on)(libcec_connection_t, cec_logical_address);
    int (*standby)(libcec_connection_t, cec_logical_address);
};

/* Loads libcec and finds the adapters; 0 when there is one. */
static int load(bt_ui_cec *c)
{
    if (c->loaded)
        return c->problem[0] ? -1 : 0;
    c->loaded = true;
    c->lib = dlopen("libcec.so.6", RTLD_NOW | RTLD_LOCAL);
    if (!c->lib) {
        snprintf(c->problem, sizeof c->problem, "chưa cài libcec (apt install libcec6)");
        return -1;
    }
    if (!bt_ui_dl_symbol(c->lib, "libcec_initialise", &c->initialise) ||
        !bt_ui_dl_symbol(c->lib, "libcec_destroy", &c->destroy) ||
        !bt_ui_dl_symbol(c->lib, "libcec_open", &c->open) ||
        !bt_ui_dl_symbol(c->lib, "libcec_close", &c->close) ||
        !bt_ui_dl_symbol(c->lib, "libcec_clear_configuration", &c->clear) ||
        !bt_ui_dl_symbol(c->lib, "libcec_detect_adapters", &c->detect) ||
        !bt_ui_dl_symbol(c->lib, "libcec_power_on_devices", &c->power_on) ||
        !bt_ui_dl_symbol(c->lib, "libcec_standby_devices", &c->standby)) {
        snprintf(c->problem, sizeof c->problem, "libcec thiếu các hàm cần dùng");
        return -1;
    }
    c->clear(&c->config);
    c->config.clientVersion = LIBCEC_VERSION_CURRENT;
    snprintf(c->config.strDeviceName, sizeof c->config.strDeviceName, "bangtin");
    c->config.deviceTypes.types[0] = CEC_DEVICE_TYPE_RECORDING_DEVICE;
    c->config.bActivateSource = 0;
    c->conn = c->initialise(&c->config);
    if (!c->conn) {
        snprintf(c->problem, sizeof c->problem, "libcec không khởi động được");
        return -1;
    }
    int8_t n = c->detect(c->conn, c->adapters, CEC_MAX_ADAPTERS, NULL, 1);
    c->adapter_count = n > 0 ? n : 0;
    if (c->adapter_count == 0) {
        snprintf(c->problem, sizeof c->problem,
                 "không thấy bộ chuyển HDMI-CEC (Raspberry Pi: /dev/cec0; máy tính thường cần bộ "
                 "USB-CEC như Pulse-Eight)");
        return -1;
    }
    return 0;
}

static int cec_switch(bt_ui_cec *c, bool sleep, char *err, size_t size)
{
    if (load(c) != 0) {
        bt_set_error(err, size, "%s", c->problem);
        return -1;
    }
    if (!c->opened && !c->open(c->conn, c->adapters[0].strComName, CEC_OPEN_TIMEOUT_MS)) {
        bt_set_error(err, size, "không mở được bộ chuyển HDMI-CEC \"%s\"",
                     c->adapters[0].strComName);
        return -1;
    }
    c->opened = true;
    if (!(sleep ? c->standby : c->power_on)(c->conn, CECDEVICE_TV)) {
        bt_set_error(err, size, "TV không nhận lệnh %s qua HDMI-CEC (TV tắt CEC: Anynet+, "
                                "SimpLink, Bravia Sync…)", sleep ? "chờ" : "bật");
        return -1;
    }
    return 0;
}

static int cec_sleep(void *ctx, char *err, size_t size)
{
    return cec_switch(ctx, true, err, size);
}

static int cec_wake(void *ctx, char *err, size_t size)
{
    return cec_switch(ctx, false, err, size);
}

bt_ui_cec *bt_ui_cec_create(void)
{
    return calloc(1, sizeof(bt_ui_cec));
}

void bt_ui_cec_destroy(bt_ui_cec *c)
{
    if (!c)
        return;
    if (c->opened)
        c->close(c->conn);
    if (c->conn)
        c->destroy(c->conn);
    /* libcec's threads and statics are not made to be unloaded: the library stays mapped. */
    free(c);
}

void bt_ui_cec_backend(bt_ui_cec *c, bt_display_backend *out)
{
    out->name = "HDMI-CEC";
    out->sleep = cec_sleep;
    out->wake = cec_wake;
    out->ctx = c;
}

int bt_ui_cec_probe(bt_ui_cec *c, char *found, size_t size)
{
    if (load(c) != 0) {
        bt_set_error(found, size, "%s", c->problem);
        return -1;
    }
    bt_set_error(found, size, "bộ chuyển %s (%s)", c->adapters[0].strComName,
                 c->adapters[0].strComPath);
    return 0;
}
