/* The board pane's model: the partitions a device reports and, inside one, its
 * ROMFS tree walked a directory at a time with a cursor and a sort order. The same
 * model shows an image file (no device, no base address). Never calls ncurses. */
#ifndef TUI_MODEL_BOARD_H
#define TUI_MODEL_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "device.h"
#include "error.h"
#include "image.h"

/* Long reads report here; returning true asks to stop (the read then fails). */
typedef bool (*tui_progress_fn)(void *ctx, const char *what, uint64_t done, uint64_t total);
/* Type of a file from its name and bytes ("Python source", "MicroPython .mpy v6"),
 * malloc'd; NULL when unknown. */
typedef char *(*tui_buf_typer_fn)(void *ctx, const char *name, const uint8_t *data, size_t len);

typedef struct tui_board {
    mr_device *dev;                 /* not owned; NULL when showing an image file */
    unsigned nparts;
    mr_part_info parts[MR_MAX_PARTITIONS];
    tui_cursor pcur;                /* on the partition list */

    bool in_part;                   /* walking an image's tree */
    unsigned part;                  /* which partition (when dev) */
    char source[512];               /* "partition 0" or the image file's path */
    uint8_t *bytes;                 /* the image as read: image_size bytes */
    size_t len;
    uint64_t part_size;             /* partition size (the file's size for an image file) */
    uint32_t erase_unit;
    uint64_t base;
    bool base_known;
    bool parsed;                    /* img is valid */
    mr_image img;
    char problem[1200];              /* why there is no tree: erased, corrupt at offset N */

    size_t dir;                     /* entry index of the directory shown, MR_NO_PARENT: root */
    size_t *rows;                   /* entry indices of its children, in display order */
    size_t nrows;
    tui_cursor cur;
    tui_sort sort;
    bool reverse;

    char **types;                   /* per entry, filled lazily */
    bool *types_done;
    tui_buf_typer_fn typer;
    void *typer_ctx;
} tui_board;

void tui_board_init(tui_board *b);
void tui_board_free(tui_board *b);

/* Read the partition table of dev (count and info of each). */
int tui_board_attach(tui_board *b, mr_device *dev, mr_err *err);
/* Read partition p's image through the device and show its root. */
int tui_board_open_part(tui_board *b, unsigned p, tui_progress_fn, void *ctx, mr_err *err);
/* Show an image held in memory (takes ownership of bytes, malloc'd). A parse
 * failure is not an error: the model keeps the reason in problem. */
void tui_board_show_image(tui_board *b, const char *source, uint8_t *bytes, size_t len,
                          uint64_t part_size, uint32_t erase_unit, uint64_t base,
                          bool base_known);
/* Leave the tree for the partition list. */
void tui_board_close_part(tui_board *b);

/* Enter the directory under the cursor: 1 moved, 0 not a directory. */
int tui_board_enter(tui_board *b);
/* Up one directory; at the root, back to the partition list (when dev). 1 moved. */
int tui_board_up(tui_board *b);
void tui_board_set_sort(tui_board *b, tui_sort s, bool reverse);
size_t tui_board_search(const tui_board *b, const char *needle, int dir);
/* Select the entry by path ("lib/x.py"): opens its directory, puts the cursor on it. */
bool tui_board_select_path(tui_board *b, const char *path);

const mr_entry *tui_board_row(const tui_board *b, size_t i);
const mr_entry *tui_board_current(const tui_board *b);
/* "/" or "/lib/" for the directory shown. */
void tui_board_dir_path(const tui_board *b, char *out, size_t cap);
uint64_t tui_board_addr(const tui_board *b, const mr_entry *e);
const char *tui_board_type(tui_board *b, const mr_entry *e);

#endif
