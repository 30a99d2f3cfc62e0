/* The caption plate of a bulletin on air (bt_ui_caption.h): its place above the bottom band and
 * the phrase fitted into it. Pure geometry over the layout's fitting. */
#include "bangtin/bt_ui_caption.h"

#include <string.h>

int bt_layout_caption_build(const bt_layout_frame *f, const bt_layout_fonts *fonts,
                            const char *text, bt_layout_caption *out)
{
    memset(out, 0, sizeof *out);
    if (!text || !*text)
        return 0;
    int size = bt_layout_px(f, BT_CAPTION_TEXT_PX);
    int floor = f->min_body_px < size ? f->min_body_px : size;
    int lines = f->landscape ? BT_CAPTION_LINES_LANDSCAPE : BT_CAPTION_LINES_PORTRAIT;
    int pad = bt_layout_px(f, BT_CAPTION_PAD_PX);
    int h = lines * bt_layout_line_height(fonts, BT_FACE_BOLD, size) + 2 * pad;
    /* The band's top is the stage's bottom; the plate never reaches into the header. */
    int bottom = f->stage.y + f->stage.h;
    if (h > f->stage.h / 2)
        h = f->stage.h / 2;
    int w = f->width;
    bt_rect corner = f->corner;
    if (f->landscape && corner.w > 0 && corner.x > f->width / 2) {
        /* The corner column keeps its QR code whole and scannable: the plate stops at it. */
        w = corner.x;
    } else if (!f->landscape && corner.h > 0 && corner.y + corner.h >= bottom &&
               corner.y < bottom - h && corner.y >= bottom - f->stage.h / 2) {
        /* Portrait's corner band lies on the bottom band, where the plate goes: covered whole
         * rather than showing a cut QR code, and the phrase centred in the taller plate. */
        h = bottom - corner.y;
    }
    out->plate = (bt_rect){0, bottom - h, w, h};
    bt_rect box = {f->margin, out->plate.y + pad, w - 2 * f->margin, h - 2 * pad};
    if (bt_layout_fit_block(fonts, text, box, BT_FACE_BOLD, floor, size, 0, BT_INK_TICKER,
                            BT_ALIGN_CENTER, &out->text) != 0)
        return -1;
    /* Fewer lines than the plate holds sit in its middle. */
    int used = (int)out->text.line_count * out->text.line_height;
    int shift = (box.h - used) / 2;
    for (size_t i = 0; shift > 0 && i < out->text.line_count; i++)
        out->text.lines[i].y += shift;
    return 0;
}
