/* The partition map's model: the partition cut into erase units, each classified
 * by what it holds (image header and directory records, file data, alignment
 * padding, free space), plus the units a deploy plan would write, and the link
 * between files and units both ways. Pure computation on a parsed image. */
#ifndef TUI_MODEL_MAP_H
#define TUI_MODEL_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "error.h"
#include "image.h"

typedef enum { TUI_UNIT_FREE, TUI_UNIT_PAD, TUI_UNIT_META, TUI_UNIT_DATA } tui_unit_class;

typedef struct tui_unit {
    uint32_t meta, data, pad;   /* bytes of each kind in this unit */
    uint8_t cls;                /* tui_unit_class: the kind with most bytes; free if none */
    bool write;                 /* the plan writes this unit */
} tui_unit;

typedef struct tui_map {
    uint64_t part_size;
    uint64_t unit;              /* bytes per unit (the erase unit, or a display unit) */
    bool unit_is_erase;         /* false when the board's erase unit is the whole partition */
    uint64_t image_size;
    size_t nunits;
    tui_unit *units;
    size_t *files;              /* entry indices of the image's files, by data offset */
    size_t nfiles;
    size_t nwrite;              /* units with write set */
    /* the screen's state */
    tui_cursor list;            /* cursor in files */
    size_t unit_cur;            /* cursor in the grid */
    bool grid_focus;
} tui_map;

/* Classify. img may be NULL (nothing valid in the partition: every unit free).
 * erase_unit 0 or the whole partition: units of a display size instead. */
int tui_map_build(tui_map *m, const mr_image *img, uint64_t part_size, uint32_t erase_unit, mr_err *err);
void tui_map_free(tui_map *m);

/* Units [*first, *last] holding entry e (a file's data; a directory's record).
 * False when it holds none (an empty file). */
bool tui_map_units_of(const tui_map *m, const mr_entry *e, size_t *first, size_t *last);
/* Files whose data touches unit u: indices into m->files of the first and one past
 * the last (a contiguous run, since files are in data order). */
void tui_map_files_in(const tui_map *m, const mr_image *img, size_t u, size_t *from, size_t *to);
/* Mark the units covering [off, off+len) as written by a plan. */
void tui_map_mark_write(tui_map *m, uint64_t off, uint64_t len);
void tui_map_clear_writes(tui_map *m);

/* The cell's text mark, readable without colour: H # : . and W for writes. */
char tui_unit_mark(const tui_unit *u);
const char *tui_unit_class_name(tui_unit_class c);

/* Aggregate units [from, to) into one cell for a screen too small to show each
 * unit: the kind that holds most bytes, written if any is. */
tui_unit tui_map_group(const tui_map *m, size_t from, size_t to);

#endif
