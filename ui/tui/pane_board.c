/* The board pane: the partition list, or the tree of the partition opened. */
#include "panes.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "colors.h"
#include "draw.h"
#include "text.h"
#include "tui_curses.h"

static void draw_parts(tui_app *app, int y, int x, int h, int w, bool focused)
{
    tui_board *b = &app->board;
    tui_column cols[] = {
        {"#", 2, 0, true, 0, 0, false},     {"Size", 6, 0, true, 0, 0, false},
        {"Unit", 5, 1, true, 0, 0, false},  {"Base", 10, 3, false, 0, 0, false},
        {"Used", 6, 0, true, 0, 0, false},  {"Free", 6, 2, true, 0, 0, false},
        {"Image", 0, 0, false, 0, 0, false},
    };
    size_t nc = sizeof cols / sizeof cols[0];
    tui_columns_fit(cols, nc, x, w, 7);
    tui_columns_header(cols, nc, y + 1, tui_attr(TUI_C_HEADER));
    int list_h = h - 4;
    tui_cursor_scroll(&b->pcur, b->nparts, (size_t)(list_h > 0 ? list_h : 1));
    for (int r = 0; r < list_h; r++) {
        size_t i = b->pcur.top + (size_t)r;
        if (i >= b->nparts)
            break;
        const mr_part_info *p = &b->parts[i];
        int row = y + 2 + r;
        bool sel = i == b->pcur.cur;
        int attr = sel ? tui_attr(focused ? TUI_C_CURSOR : TUI_C_CURSOR_DIM) : 0;
        char idx[8], size[16], unit[16], base[24], used[16], freeb[16];
        snprintf(idx, sizeof idx, "%u", p->index);
        tui_fmt_size(p->size, size);
        tui_fmt_size(p->erase_unit, unit);
        if (p->base_known)
            snprintf(base, sizeof base, "0x%08" PRIx64, p->base);
        else
            snprintf(base, sizeof base, "?");
        uint64_t u = p->has_image ? p->image_size : 0;
        tui_fmt_size(u, used);
        tui_fmt_size(p->size - (u < p->size ? u : p->size), freeb);
        tui_fill(row, x, w, attr);
        tui_column_put(&cols[0], row, idx, attr);
        tui_column_put(&cols[1], row, size, attr);
        tui_column_put(&cols[2], row, unit, attr);
        tui_column_put(&cols[3], row, base, attr);
        tui_column_put(&cols[4], row, used, attr);
        tui_column_put(&cols[5], row, freeb, attr);
        tui_column_put(&cols[6], row, p->has_image ? "ROMFS" : "empty",
                       sel ? attr : tui_attr(p->has_image ? TUI_C_INFO : TUI_C_DIM));
    }
    char line[512] = "";
    if (b->pcur.cur < b->nparts) {
        const mr_part_info *p = &b->parts[b->pcur.cur];
        snprintf(line, sizeof line, "%" PRIu64 " bytes, erase %u, write %u%s%s", p->size,
                 p->erase_unit, p->write_min, p->writable ? "" : ", read-only",
                 p->block_device ? ", block device" : "");
    }
    tui_put(y + h - 2, x, w, line, A_NORMAL);
    snprintf(line, sizeof line, "%u partition%s; Enter opens one", b->nparts, b->nparts == 1 ? "" : "s");
    tui_put(y + h - 1, x, w, line, tui_attr(TUI_C_DIM));
}

static void draw_tree(tui_app *app, int y, int x, int h, int w, bool focused)
{
    tui_board *b = &app->board;
    tui_column cols[] = {
        {"Name", 0, 0, false, 0, 0, false},   {"Size", 6, 0, true, 0, 0, false},
        {"Offset", 7, 2, true, 0, 0, false},  {"Address", 10, 0, false, 0, 0, false},
        {"Align", 5, 1, true, 0, 0, false},   {"Type", 16, 3, false, 0, 0, false},
    };
    size_t nc = sizeof cols / sizeof cols[0];
    if (!b->base_known)
        cols[3].priority = 9;
    tui_columns_fit(cols, nc, x, w, 10);
    tui_columns_header(cols, nc, y + 1, tui_attr(TUI_C_HEADER));
    int list_h = h - 4;
    if (!b->parsed) {
        int r = tui_put_wrapped(y + 3, x + 1, w - 2, 4, b->problem, tui_attr(TUI_C_WARN));
        tui_put_wrapped(y + 4 + r, x + 1, w - 2, 2, "d deploys a directory here; Backspace goes back",
                        tui_attr(TUI_C_DIM));
    }
    tui_cursor_scroll(&b->cur, b->nrows, (size_t)(list_h > 0 ? list_h : 1));
    for (int r = 0; b->parsed && r < list_h; r++) {
        size_t i = b->cur.top + (size_t)r;
        const mr_entry *e = tui_board_row(b, i);
        if (!e)
            break;
        int row = y + 2 + r;
        bool sel = i == b->cur.cur;
        int attr = sel ? tui_attr(focused ? TUI_C_CURSOR : TUI_C_CURSOR_DIM) : 0;
        char name[600], size[16], off[24], addr[24], align[24];
        bool dir = e->type == MR_ENTRY_DIR;
        snprintf(name, sizeof name, "%s%s", e->name, dir ? "/" : "");
        uint64_t a = tui_board_addr(b, e);
        if (dir) {
            snprintf(size, sizeof size, "%zu", e->size);
            snprintf(off, sizeof off, "%zx", e->record_offset);
            addr[0] = align[0] = '\0';
        } else {
            tui_fmt_size(e->size, size);
            snprintf(off, sizeof off, "%zx", e->data_offset);
            snprintf(addr, sizeof addr, "0x%08" PRIx64, a);
            uint64_t al = mr_alignment(a);
            if (al >= 1024)
                snprintf(align, sizeof align, "%" PRIu64 "K", al / 1024);
            else
                snprintf(align, sizeof align, "%" PRIu64, al);
        }
        tui_fill(row, x, w, attr);
        tui_column_put(&cols[0], row, name, sel ? attr : (dir ? tui_attr(TUI_C_DIR) : attr));
        tui_column_put(&cols[1], row, size, attr);
        tui_column_put(&cols[2], row, off, attr);
        tui_column_put(&cols[3], row, addr, attr);
        tui_column_put(&cols[4], row, align, attr);
        if (cols[5].shown)
            tui_column_put(&cols[5], row, tui_board_type(b, e), sel ? attr : tui_attr(TUI_C_DIM));
    }
    char line[1200] = "";
    const mr_entry *e = tui_board_current(b);
    if (e) {
        if (e->type == MR_ENTRY_DIR)
            snprintf(line, sizeof line, "/%s/: %zu entr%s, record at 0x%zx", e->path, e->size,
                     e->size == 1 ? "y" : "ies", e->record_offset);
        else
            snprintf(line, sizeof line, "%s; %zu bytes at offset 0x%zx", tui_board_type(b, e), e->size,
                     e->data_offset);
    }
    tui_put(y + h - 2, x, w, line, A_NORMAL);
    char used[16], total[16];
    tui_fmt_size(b->parsed ? b->img.image_size : 0, used);
    tui_fmt_size(b->part_size, total);
    if (b->parsed)
        snprintf(line, sizeof line, "%s/%s, %zu file%s, %zu dir%s; by %s%s", used, total, b->img.files,
                 b->img.files == 1 ? "" : "s", b->img.dirs, b->img.dirs == 1 ? "" : "s", tui_sort_name(b->sort), b->reverse ? " rev" : "");
    else
        snprintf(line, sizeof line, "%s of %s", used, total);
    tui_put(y + h - 1, x, w, line, tui_attr(TUI_C_DIM));
}

void tui_pane_board_draw(tui_app *app, int y, int x, int h, int w, bool focused)
{
    tui_board *b = &app->board;
    char title[1400];
    if (b->in_part) {
        char dir[600];
        tui_board_dir_path(b, dir, sizeof dir);
        char src[600];
        tui_tilde(b->source, src, sizeof src);
        snprintf(title, sizeof title, " Board  %s  %s", src, dir);
    } else {
        char name[600];
        tui_tilde(b->dev ? b->dev->name : "(none)", name, sizeof name);
        snprintf(title, sizeof title, " Board  %s", name);
    }
    tui_put(y, x, w, title, tui_attr(focused ? TUI_C_CURSOR : TUI_C_CURSOR_DIM) | A_BOLD);
    if (b->in_part) {
        draw_tree(app, y, x, h, w, focused);
    } else if (b->dev) {
        draw_parts(app, y, x, h, w, focused);
    } else {
        tui_put(y + 2, x + 1, w - 1, "No board is open.", tui_attr(TUI_C_WARN));
        tui_put(y + 3, x + 1, w - 1, "Start with -d DEV (a0, /dev/ttyACM0, sim:DIR),", A_NORMAL);
        tui_put(y + 4, x + 1, w - 1, "or I opens an image file.", A_NORMAL);
    }
}
