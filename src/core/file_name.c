/* File names a Windows PC accepts (bt_file_name.h). The rules are Windows' own (Naming Files,
 * Paths, and Namespaces): reserved characters, control characters, a trailing dot or space, and
 * the device names, which are reserved whatever follows the first dot ("nul.txt" is NUL). */
#include "bangtin/bt_file_name.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool refused_byte(unsigned char c)
{
    return c < 0x20 || c == 0x7F || strchr("<>:\"/\\|?*", c) != NULL;
}

/* Is the part of name before its first dot a device name? */
static bool device_name(const char *name)
{
    static const char *const plain[] = {"CON", "PRN", "AUX", "NUL"};
    size_t stem = strcspn(name, ".");
    /* Windows also ignores spaces before the dot: "CON .txt" is CON. */
    while (stem > 0 && name[stem - 1] == ' ')
        stem--;
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (stem == 3 && strncasecmp(name, plain[i], 3) == 0)
            return true;
    return stem == 4 && (strncasecmp(name, "COM", 3) == 0 || strncasecmp(name, "LPT", 3) == 0) &&
           name[3] >= '1' && name[3] <= '9';
}

bool bt_file_name_windows_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > BT_FILE_NAME_MAX_BYTES || name[n - 1] == '.' || name[n - 1] == ' ')
        return false;
    for (size_t i = 0; i < n; i++)
        if (refused_byte((unsigned char)name[i]))
            return false;
    return !device_name(name);
}

const char *bt_file_name_windows(const char *name, char *out, size_t size)
{
    size_t limit = size - 1 < BT_FILE_NAME_MAX_BYTES ? size - 1 : BT_FILE_NAME_MAX_BYTES;
    size_t o = 0;
    if (!name)
        name = "";
    if (device_name(name))
        out[o++] = '_';
    for (size_t i = 0; name[i] && o < limit; i++)
        out[o++] = refused_byte((unsigned char)name[i]) ? '-' : name[i];
    /* Never end inside a character: drop a lead byte whose continuation was cut off. */
    if (name[0] && o == limit) {
        size_t start = o;
        while (start > 0 && ((unsigned char)out[start - 1] & 0xC0) == 0x80)
            start--;
        if (start > 0) {
            unsigned char lead = (unsigned char)out[start - 1];
            size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            if (o - (start - 1) < need)
                o = start - 1;
        }
    }
    while (o > 0 && (out[o - 1] == '.' || out[o - 1] == ' '))
        o--;
    if (o == 0)
        out[o++] = '_';
    out[o] = '\0';
    return out;
}
