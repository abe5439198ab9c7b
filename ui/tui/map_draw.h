/* Drawing a partition map grid (the map screen and the deploy progress share it). */
#ifndef TUI_MAP_DRAW_H
#define TUI_MAP_DRAW_H

#include <stdbool.h>
#include <stddef.h>

#include "model_map.h"

typedef struct tui_map_grid {
    int y, x;               /* top-left cell */
    int rows, cols;         /* cells */
    int cell_w;             /* characters per cell: 2 when there is room, else 1 */
    int label_w;            /* offset labels at the left of each row */
    size_t per_cell;        /* units per cell (more than 1 on a small screen) */
} tui_map_grid;

void tui_map_grid_layout(tui_map_grid *g, const tui_map *m, int y, int x, int h, int w);
/* Units [hi_a, hi_b] shown highlighted (hi_a > hi_b: none); the cursor cell too
 * when show_cursor. */
void tui_map_grid_draw(const tui_map_grid *g, const tui_map *m, size_t hi_a, size_t hi_b, size_t cursor,
                       bool show_cursor);
/* One line: each mark in its colour and what it means. */
void tui_map_legend(int y, int x, int w, const tui_map *m);

#endif
