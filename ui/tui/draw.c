#include "draw.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "text.h"
#include "tui_curses.h"

void tui_fill(int y, int x, int width, int attr)
{
    if (width <= 0)
        return;
    attrset(attr);
    mvhline(y, x, ' ', width);
    attrset(A_NORMAL);
}

void tui_put(int y, int x, int width, const char *s, int attr)
{
    if (width <= 0)
        return;
    wchar_t buf[1024];
    int used = tui_fit(s ? s : "", width, buf, sizeof buf / sizeof buf[0]);
    attrset(attr);
    mvaddwstr(y, x, buf);
    if (used < width)
        mvhline(y, x + used, ' ', width - used);
    attrset(A_NORMAL);
}

void tui_put_right(int y, int x, int width, const char *s, int attr)
{
    int w = tui_text_width(s);
    if (w >= width) {
        tui_put(y, x, width, s, attr);
        return;
    }
    tui_fill(y, x, width - w, attr);
    tui_put(y, x + width - w, w, s, attr);
}

void tui_putf(int y, int x, int width, int attr, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    tui_put(y, x, width, buf, attr);
}

void tui_vline(int y, int x, int height, int attr)
{
    attrset(attr);
    mvvline(y, x, ACS_VLINE, height);
    attrset(A_NORMAL);
}

void tui_box(int y, int x, int h, int w, const char *title, int attr)
{
    if (h < 2 || w < 2)
        return;
    for (int r = 0; r < h; r++)
        tui_fill(y + r, x, w, attr);
    attrset(attr);
    mvaddch(y, x, ACS_ULCORNER);
    mvhline(y, x + 1, ACS_HLINE, w - 2);
    mvaddch(y, x + w - 1, ACS_URCORNER);
    mvvline(y + 1, x, ACS_VLINE, h - 2);
    mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
    mvaddch(y + h - 1, x, ACS_LLCORNER);
    mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
    mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
    attrset(A_NORMAL);
    if (title && *title) {
        char t[256];
        snprintf(t, sizeof t, " %s ", title);
        int tw = tui_text_width(t);
        if (tw > w - 4)
            tw = w - 4;
        tui_put(y, x + 2, tw, t, attr | A_BOLD);
    }
}

void tui_columns_fit(tui_column *cols, size_t n, int x, int width, int min_flex)
{
    /* show fixed columns by priority while the flexible one keeps min_flex cells */
    int used = 0;
    for (size_t i = 0; i < n; i++)
        cols[i].shown = cols[i].width == 0;
    for (int pr = 0; pr < 16; pr++)
        for (size_t i = 0; i < n; i++)
            if (cols[i].width > 0 && cols[i].priority == pr) {
                int need = cols[i].width + 1;
                if (used + need + min_flex <= width) {
                    cols[i].shown = true;
                    used += need;
                }
            }
    /* each fixed column costs its width plus one blank; the flexible one the rest */
    int flex = width - used;
    if (flex < 0)
        flex = 0;
    int cx = x;
    for (size_t i = 0; i < n; i++) {
        if (!cols[i].shown)
            continue;
        cols[i].x = cx;
        cols[i].w = cols[i].width > 0 ? cols[i].width : flex;
        cx += cols[i].w + 1;
    }
}

void tui_columns_header(const tui_column *cols, size_t n, int y, int attr)
{
    for (size_t i = 0; i < n; i++)
        if (cols[i].shown) {
            if (cols[i].right)
                tui_put_right(y, cols[i].x, cols[i].w, cols[i].title, attr);
            else
                tui_put(y, cols[i].x, cols[i].w, cols[i].title, attr);
        }
}

void tui_column_put(const tui_column *c, int y, const char *s, int attr)
{
    if (!c->shown)
        return;
    if (c->right)
        tui_put_right(y, c->x, c->w, s, attr);
    else
        tui_put(y, c->x, c->w, s, attr);
}

int tui_put_wrapped(int y, int x, int width, int max_rows, const char *s, int attr)
{
    int rows = 0;
    const char *p = s;
    while (rows < max_rows) {
        size_t len = strlen(p);
        if ((int)len <= width || tui_text_width(p) <= width) {
            tui_put(y + rows, x, width, p, attr);
            return rows + 1;
        }
        /* break at the last blank that keeps the piece within width (bytes are a
         * safe bound for the ASCII text wrapped here) */
        int cut = width;
        while (cut > width / 2 && p[cut] != ' ')
            cut--;
        if (cut <= width / 2)
            cut = width;
        char piece[1024];
        snprintf(piece, sizeof piece, "%.*s", cut, p);
        tui_put(y + rows, x, width, piece, attr);
        rows++;
        p += cut;
        while (*p == ' ')
            p++;
        if (!*p)
            return rows;
    }
    return rows;
}
