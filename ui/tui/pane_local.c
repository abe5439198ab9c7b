/* The local pane: draws the local model; the keys for it are in view_panes.c. */
#include "panes.h"

#include <stdio.h>
#include <string.h>

#include "colors.h"
#include "draw.h"
#include "text.h"
#include "tui_curses.h"

static char mark_char(tui_mark m)
{
    switch (m) {
    case TUI_MARK_MPY: return '*';
    case TUI_MARK_SKIP: return '-';
    case TUI_MARK_BADNAME: return '!';
    default: return ' ';
    }
}

const char *tui_mark_text(tui_mark m)
{
    switch (m) {
    case TUI_MARK_MPY: return "* compiled to .mpy by a build";
    case TUI_MARK_SKIP: return "- not a file or directory: a build refuses it";
    case TUI_MARK_BADNAME: return "! name not allowed in ROMFS (ASCII only)";
    default: return "";
    }
}

static tui_color mark_color(tui_mark m)
{
    switch (m) {
    case TUI_MARK_MPY: return TUI_C_MARK_MPY;
    case TUI_MARK_SKIP: return TUI_C_MARK_SKIP;
    case TUI_MARK_BADNAME: return TUI_C_MARK_BAD;
    default: return TUI_C_NORMAL;
    }
}

void tui_pane_local_draw(tui_app *app, int y, int x, int h, int w, bool focused)
{
    char title[4200], dir[4096];
    tui_tilde(app->local.dir ? app->local.dir : "", dir, sizeof dir);
    snprintf(title, sizeof title, " Local  %s", dir);
    tui_pane_files_draw(&app->local, title, NULL, y, x, h, w, focused);
}

void tui_pane_files_draw(tui_local *m, const char *title, const char *footer, int y, int x, int h, int w,
                         bool focused)
{
    tui_put(y, x, w, title, tui_attr(focused ? TUI_C_CURSOR : TUI_C_CURSOR_DIM) | A_BOLD);
    tui_column cols[] = {
        {"", 1, 0, false, 0, 0, false},
        {"Name", 0, 0, false, 0, 0, false},
        {"Size", 6, 0, true, 0, 0, false},
        {"Type", 14, 1, false, 0, 0, false},
    };
    size_t nc = sizeof cols / sizeof cols[0];
    /* the type column grows with the pane */
    if (w >= 70)
        cols[3].width = w / 3;
    tui_columns_fit(cols, nc, x, w, 12);
    tui_columns_header(cols, nc, y + 1, tui_attr(TUI_C_HEADER));
    int list_h = h - 4;
    if (list_h < 1)
        list_h = 1;
    tui_cursor_scroll(&m->cur, m->n, (size_t)list_h);
    for (int r = 0; r < list_h; r++) {
        size_t i = m->cur.top + (size_t)r;
        int row = y + 2 + r;
        const tui_local_entry *e = tui_local_at(m, i);
        if (!e)
            break;
        bool sel = i == m->cur.cur;
        int base = sel ? tui_attr(focused ? TUI_C_CURSOR : TUI_C_CURSOR_DIM) : 0;
        char name[1100], size[16], mk[2] = {mark_char(e->mark), 0};
        snprintf(name, sizeof name, "%s%s", e->name, e->is_dir ? "/" : "");
        if (e->is_dir)
            snprintf(size, sizeof size, "%s", e->mark == TUI_MARK_UP ? "" : "dir");
        else
            tui_fmt_size(e->size, size);
        tui_fill(row, x, w, base);
        tui_column_put(&cols[0], row, mk, sel ? base : tui_attr(mark_color(e->mark)));
        tui_column_put(&cols[1], row, name, sel ? base : (e->is_dir ? tui_attr(TUI_C_DIR) : base));
        tui_column_put(&cols[2], row, size, base);
        if (cols[3].shown)
            tui_column_put(&cols[3], row, tui_local_type(m, i), sel ? base : tui_attr(TUI_C_DIM));
    }
    /* detail of the row under the cursor, then totals */
    const tui_local_entry *e = tui_local_at(m, m->cur.cur);
    char line[1200];
    line[0] = '\0';
    if (e && e->mark != TUI_MARK_UP) {
        const char *type = tui_local_type(m, m->cur.cur);
        const char *mt = tui_mark_text(e->mark);
        snprintf(line, sizeof line, "%s%s%s", type, *type && *mt ? "; " : "", mt);
    }
    tui_put(y + h - 2, x, w, line, tui_attr(e ? mark_color(e->mark) : TUI_C_NORMAL));
    if (footer) {
        tui_put(y + h - 1, x, w, footer, tui_attr(TUI_C_WARN));
        return;
    }
    char total[16];
    tui_fmt_size(m->total_bytes, total);
    snprintf(line, sizeof line, "%zu file%s, %zu dir%s, %s; by %s%s", m->nfiles, m->nfiles == 1 ? "" : "s",
             m->ndirs, m->ndirs == 1 ? "" : "s", total,
             tui_sort_name(m->sort), m->reverse ? " rev" : "");
    tui_put(y + h - 1, x, w, line, tui_attr(TUI_C_DIM));
}
