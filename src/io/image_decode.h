/* Decoding an image in full, private to the io room: image_decode.c with SDL_image on the
 * appliance, image_decode_none.c in the staff tools' build without SDL. */
#ifndef BT_IO_IMAGE_DECODE_H
#define BT_IO_IMAGE_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "bangtin/bt_playlist_load.h"

/* Decodes data[0..len) as the format its header claims; true with the decoded *width and
 * *height (left as they were by the build without a decoder), false when it does not decode. */
bool io_image_decodes(const unsigned char *data, size_t len, bt_image_format format, int *width,
                      int *height);

#endif
