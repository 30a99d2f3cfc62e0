/* The staff tools' build without SDL (BT_KIOSK=OFF): no decoder here. The probe has already
 * checked each image's header, declared size and chunk structure (bt_image_header_check);
 * the full decode happens on the appliance when it imports the stick, and `check` says so. */
#include "image_decode.h"

bool io_image_decodes(const unsigned char *data, size_t len, bt_image_format format, int *width,
                      int *height)
{
    (void)data;
    (void)len;
    (void)format;
    (void)width;
    (void)height;
    return true;
}

bool bt_playlist_load_decodes_images(void)
{
    return false;
}
