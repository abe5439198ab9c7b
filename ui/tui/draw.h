/* Drawing helpers over stdscr: text fitted to a width (UTF-8, wide characters),
 * filled bars, and the column layout the lists share. Only views call these. */
#ifndef TUI_DRAW_H
#define TUI_DRAW_H

#include <stdbool.h>
#include <stddef.h>

#include "colors.h"

/* Draw s at (y, x) in exactly width cells (cut with '~', padded with blanks). */
void tui_put(int y, int x, int width, const char *s, int attr);
/* Right-aligned in width cells. */
void tui_put_right(int y, int x, int width, const char *s, int attr);
void tui_fill(int y, int x, int width, int attr);
/* printf-style tui_put. */
void tui_putf(int y, int x, int width, int attr, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* s over as many rows as it needs (at most max_rows), broken at blanks; returns
 * the rows used. */
int tui_put_wrapped(int y, int x, int width, int max_rows, const char *s, int attr);
/* A vertical line of height cells. */
void tui_vline(int y, int x, int height, int attr);
/* A centred box with a title; returns the inner area. */
void tui_box(int y, int x, int h, int w, const char *title, int attr);

/* Columns of a list: each has a fixed width except one flexible column (width 0)
 * that takes what is left; columns whose priority is too low for the width are
 * hidden. tui_columns_fit sets x and shown. */
typedef struct tui_column {
    const char *title;
    int width;              /* 0: the flexible one */
    int priority;           /* lower shows first; the flexible column is always shown */
    bool right;             /* right-aligned */
    int x;                  /* set by tui_columns_fit */
    int w;
    bool shown;
} tui_column;

void tui_columns_fit(tui_column *cols, size_t n, int x, int width, int min_flex);
void tui_columns_header(const tui_column *cols, size_t n, int y, int attr);
/* Draw one cell of column c on row y. */
void tui_column_put(const tui_column *c, int y, const char *s, int attr);

#endif
