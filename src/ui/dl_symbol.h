/* Private to src/ui: a function of a library opened with dlopen, for the display's switches
 * (display_dpms.c, display_cec.c), which load their libraries only when the display first
 * sleeps. */
#ifndef BT_UI_DL_SYMBOL_H
#define BT_UI_DL_SYMBOL_H

#include <dlfcn.h>
#include <stdbool.h>
#include <string.h>

/* Stores name's address from lib into the function pointer at fn (POSIX makes the conversion
 * work; memcpy keeps ISO C quiet); false when lib is NULL or lacks it. */
static inline bool bt_ui_dl_symbol(void *lib, const char *name, void *fn)
{
    void *p = lib ? dlsym(lib, name) : NULL;
    memcpy(fn, &p, sizeof p);
    return p != NULL;
}

#endif
