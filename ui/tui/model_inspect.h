/* What the inspector shows, as text: a file's bytes in hex and text, its .mpy
 * header decoded, the records of an image from an offset, and the difference
 * between two images. Every decoder is bounded by the buffer it is given. */
#ifndef TUI_MODEL_INSPECT_H
#define TUI_MODEL_INSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image.h"
#include "lines.h"

/* One hex dump row: 16 bytes from data[row*16], labelled with off0 + row*16.
 * "00000010  4d 06 00 1f ...  |M...|" */
void tui_hex_row(const uint8_t *data, size_t len, size_t row, uint64_t off0, char *out, size_t cap);
size_t tui_hex_rows(size_t len);

/* The .mpy header: magic, version, architecture, small-int bits, the counts that
 * follow and the source file name (the first qstr). */
void tui_mpy_lines(const uint8_t *data, size_t len, tui_lines *out);

/* The image's records from byte 0: header, then each record (kind, length, name,
 * data) indented by nesting, each line tagged with its offset. Stops with a line
 * saying why at the first record that does not fit. */
void tui_records_lines(const uint8_t *img, size_t len, tui_lines *out);

/* Files and directories added (+), removed (-), changed (~) and moved (>) from old
 * to new, as the core's comparison finds them. */
typedef struct tui_diff_count {
    size_t added, removed, changed, moved, same;
} tui_diff_count;
void tui_diff_lines(const mr_image *old_img, const mr_image *new_img, tui_lines *out, tui_diff_count *count);

#endif
