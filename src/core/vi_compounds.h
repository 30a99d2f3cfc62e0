/* Private to core: the compound words the screen keeps on one line (vi_compounds.c), sorted
 * bytewise (strcmp). */
#ifndef BT_VI_COMPOUNDS_H
#define BT_VI_COMPOUNDS_H

#include <stddef.h>

extern const char *const bt_vi_compounds[];
extern const size_t bt_vi_compound_count;

#endif
