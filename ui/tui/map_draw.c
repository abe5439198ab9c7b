#include "map_draw.h"

#include <inttypes.h>
#include <stdio.h>

#include "colors.h"
#include "draw.h"
#include "tui_curses.h"

void tui_map_grid_layout(tui_map_grid *g, const tui_map *m, int y, int x, int h, int w)
{
    g->y = y;
    g->label_w = w >= 40 ? 7 : 0;
    g->x = x + g->label_w;
    g->cols = w - g->label_w - 1;
    g->rows = h;
    if (g->cols < 1)
        g->cols = 1;
    if (g->rows < 1)
        g->rows = 1;
    /* whole rows of 8 or 16 cells read better; the unit count decides */
    if (g->cols >= 64)
        g->cols = 64;
    else if (g->cols >= 32)
        g->cols = 32;
    else if (g->cols >= 16)
        g->cols = 16;
    g->cell_w = 1;
    /* few units: wider cells read better (16 per row of 32 characters) */
    if (g->cols >= 32 && m->nunits <= (size_t)(g->cols / 2) * (size_t)g->rows && m->nunits <= 256) {
        g->cell_w = 2;
        g->cols = g->cols >= 64 ? 32 : 16;
        if (m->nunits <= 64 && g->cols > 16)
            g->cols = 16;
    }
    size_t cells = (size_t)g->cols * (size_t)g->rows;
    g->per_cell = m->nunits <= cells ? 1 : (m->nunits + cells - 1) / cells;
}

static int cell_attr(const tui_unit *u)
{
    if (u->write)
        return tui_attr(TUI_C_MAP_WRITE);
    switch (u->cls) {
    case TUI_UNIT_META: return tui_attr(TUI_C_MAP_META);
    case TUI_UNIT_DATA: return tui_attr(TUI_C_MAP_DATA);
    case TUI_UNIT_PAD: return tui_attr(TUI_C_MAP_PAD);
    default: return tui_attr(TUI_C_MAP_FREE);
    }
}

void tui_map_grid_draw(const tui_map_grid *g, const tui_map *m, size_t hi_a, size_t hi_b, size_t cursor,
                       bool show_cursor)
{
    size_t k = g->per_cell;
    size_t ncells = (m->nunits + k - 1) / k;
    for (int r = 0; r < g->rows; r++) {
        size_t first = (size_t)r * (size_t)g->cols;
        if (first >= ncells)
            break;
        if (g->label_w) {
            char lab[16];
            snprintf(lab, sizeof lab, "%6" PRIx64, (uint64_t)first * k * m->unit);
            tui_put(g->y + r, g->x - g->label_w, g->label_w, lab, tui_attr(TUI_C_DIM));
        }
        for (int c = 0; c < g->cols; c++) {
            size_t cell = first + (size_t)c;
            if (cell >= ncells)
                break;
            size_t ua = cell * k, ub = ua + k;
            tui_unit u = k == 1 ? m->units[ua] : tui_map_group(m, ua, ub);
            int attr = cell_attr(&u);
            bool hi = hi_a <= hi_b && ua <= hi_b && ub > hi_a;
            bool cur = show_cursor && cursor >= ua && cursor < ub;
            if (hi)
                attr = tui_attr(TUI_C_MAP_HI);
            if (cur)
                attr = tui_attr(TUI_C_CURSOR) | A_BOLD;
            chtype ch = (chtype)(unsigned char)tui_unit_mark(&u);
            if (cur && !tui_colors_enabled())
                attr |= A_REVERSE | A_BOLD;
            for (int dx = 0; dx < g->cell_w; dx++)
                mvaddch(g->y + r, g->x + c * g->cell_w + dx, ch | (chtype)attr);
        }
    }
}

void tui_map_legend(int y, int x, int w, const tui_map *m)
{
    static const struct {
        tui_unit u;
        const char *text;
    } items[] = {
        {{1, 0, 0, TUI_UNIT_META, false}, "header+dirs"},
        {{0, 1, 0, TUI_UNIT_DATA, false}, "file data"},
        {{0, 0, 1, TUI_UNIT_PAD, false}, "padding"},
        {{0, 0, 0, TUI_UNIT_FREE, false}, "free"},
        {{0, 0, 0, TUI_UNIT_FREE, true}, "to write"},
    };
    tui_fill(y, x, w, 0);
    int cx = x;
    tui_put(y, cx, 8, "Legend:", A_BOLD);
    cx += 8;
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        char text[64];
        int n = snprintf(text, sizeof text, " %s", items[i].text);
        if (cx + 2 + n > x + w)
            break;
        mvaddch(y, cx, (chtype)(unsigned char)tui_unit_mark(&items[i].u) | (chtype)cell_attr(&items[i].u));
        tui_put(y, cx + 1, n + 1, text, 0);
        cx += n + 2;
    }
    (void)m;
}
