#include "cursor.h"

#include "text.h"

void tui_cursor_set(tui_cursor *c, size_t n, size_t pos)
{
    c->cur = n == 0 ? 0 : (pos >= n ? n - 1 : pos);
    if (c->top > c->cur)
        c->top = c->cur;
}

void tui_cursor_move(tui_cursor *c, size_t n, long delta)
{
    if (n == 0) {
        c->cur = c->top = 0;
        return;
    }
    if (delta < 0) {
        size_t d = (size_t)(-(delta + 1)) + 1;
        c->cur = d > c->cur ? 0 : c->cur - d;
    } else {
        size_t d = (size_t)delta;
        c->cur = d >= n - 1 - c->cur ? n - 1 : c->cur + d;
    }
    if (c->top > c->cur)
        c->top = c->cur;
}

void tui_cursor_scroll(tui_cursor *c, size_t n, size_t height)
{
    if (height == 0)
        height = 1;
    if (n == 0) {
        c->cur = c->top = 0;
        return;
    }
    if (c->cur >= n)
        c->cur = n - 1;
    if (c->cur < c->top)
        c->top = c->cur;
    if (c->cur >= c->top + height)
        c->top = c->cur - height + 1;
    /* no empty space below the last row when the list could fill the window */
    if (n > height && c->top > n - height)
        c->top = n - height;
    if (n <= height)
        c->top = 0;
}

size_t tui_search(const void *list, size_t n, tui_name_fn name, size_t from, const char *needle,
                  int dir)
{
    if (n == 0 || !needle || !*needle)
        return n;
    if (from >= n)
        from = dir >= 0 ? n - 1 : 0;
    for (size_t k = 1; k <= n; k++) {
        size_t i = dir >= 0 ? (from + k) % n : (from + n - (k % n)) % n;
        if (tui_contains_nocase(name(list, i), needle))
            return i;
    }
    return n;
}

const char *tui_sort_name(tui_sort s)
{
    switch (s) {
    case TUI_SORT_NAME: return "name";
    case TUI_SORT_SIZE: return "size";
    case TUI_SORT_ADDR: return "address";
    }
    return "?";
}
