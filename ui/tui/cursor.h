/* A cursor in a list of n rows shown in a window of some height: the position
 * and the first visible row. Pure arithmetic, shared by every list on screen. */
#ifndef TUI_CURSOR_H
#define TUI_CURSOR_H

#include <stddef.h>

typedef struct tui_cursor {
    size_t cur;
    size_t top;
} tui_cursor;

/* Move by delta rows, clamped to [0, n). */
void tui_cursor_move(tui_cursor *c, size_t n, long delta);
void tui_cursor_set(tui_cursor *c, size_t n, size_t pos);
/* Adjust top so that cur is visible in a window of height rows. */
void tui_cursor_scroll(tui_cursor *c, size_t n, size_t height);

/* Index of the next row (forward or backward from `from`, excluding it, wrapping)
 * whose name contains needle ignoring case; n when none does. */
typedef const char *(*tui_name_fn)(const void *list, size_t i);
size_t tui_search(const void *list, size_t n, tui_name_fn name, size_t from, const char *needle,
                  int dir);

#endif

#ifndef TUI_SORT_DEFINED
#define TUI_SORT_DEFINED
/* Sort orders shared by the lists (address order is the image's own order). */
typedef enum { TUI_SORT_NAME, TUI_SORT_SIZE, TUI_SORT_ADDR } tui_sort;
const char *tui_sort_name(tui_sort s);
#endif
