/* The partition map: a grid of erase units coloured (and marked) by content, with
 * the partition's files beside it; the cursor on a file lights its units, the
 * cursor on a unit lights its files. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colors.h"
#include "draw.h"
#include "map_draw.h"
#include "model_map.h"
#include "text.h"
#include "tui.h"
#include "tui_curses.h"
#include "views.h"

struct tui_map_state {
    tui_map map;
};

static tui_map *model(tui_app *app)
{
    return app->map ? &app->map->map : NULL;
}

static const mr_image *image(tui_app *app)
{
    return app->board.parsed ? &app->board.img : NULL;
}

/* Put the grid cursor on the list's file, or the list cursor on the grid's unit. */
static void sync_from_list(tui_app *app)
{
    tui_map *m = model(app);
    const mr_image *img = image(app);
    if (!img || m->list.cur >= m->nfiles)
        return;
    size_t a, b;
    if (tui_map_units_of(m, &img->entries[m->files[m->list.cur]], &a, &b))
        m->unit_cur = a;
}

static void sync_from_grid(tui_app *app)
{
    tui_map *m = model(app);
    size_t a, b;
    tui_map_files_in(m, image(app), m->unit_cur, &a, &b);
    if (a < b)
        tui_cursor_set(&m->list, m->nfiles, a);
}

/* Mark the units the last plan for this partition would write. */
static void mark_planned(tui_app *app)
{
    tui_map *m = &app->map->map;
    tui_board *bd = &app->board;
    tui_map_clear_writes(m);
    if (!app->planned.valid || !bd->dev || strncmp(bd->source, "partition ", 10) != 0 ||
        app->planned.part != bd->part)
        return;
    for (size_t u = 0; u < app->planned.units; u++)
        if (app->planned.dirty[u])
            tui_map_mark_write(m, (uint64_t)u * app->planned.unit, app->planned.unit);
}

void tui_open_map(tui_app *app)
{
    tui_board *bd = &app->board;
    mr_err err;
    if (!bd->in_part) {
        if (!bd->dev || bd->pcur.cur >= bd->nparts) {
            tui_message(app, TUI_MSG_WARN, "open a partition (or an image file with I) first");
            return;
        }
        if (tui_board_open_part(bd, (unsigned)bd->pcur.cur, tui_progress_cb, app, &err) < 0) {
            tui_error(app, &err);
            return;
        }
    }
    if (!app->map) {
        app->map = calloc(1, sizeof *app->map);
        if (!app->map) {
            tui_message(app, TUI_MSG_ERROR, "out of memory");
            return;
        }
    } else {
        tui_map_free(&app->map->map);
    }
    uint64_t size = bd->part_size ? bd->part_size : bd->len;
    if (tui_map_build(&app->map->map, image(app), size, bd->erase_unit, &err) < 0) {
        tui_error(app, &err);
        free(app->map);
        app->map = NULL;
        return;
    }
    mark_planned(app);
    /* start on the file under the board pane's cursor */
    tui_map *m = &app->map->map;
    const mr_entry *cur = tui_board_current(bd);
    for (size_t i = 0; cur && i < m->nfiles; i++)
        if (&bd->img.entries[m->files[i]] == cur)
            tui_cursor_set(&m->list, m->nfiles, i);
    sync_from_list(app);
    tui_push_view(app, TUI_VIEW_MAP);
}

static unsigned scope(tui_app *app)
{
    (void)app;
    return TUI_IN_MAP;
}

static void draw(tui_app *app, int top, int height)
{
    tui_map *m = model(app);
    const mr_image *img = image(app);
    if (!m)
        return;
    /* back from a plan made here: show what it would write */
    mark_planned(app);
    int lw = app->cols / 3 > 36 ? 36 : app->cols / 3;
    /* the list of files, in data order */
    tui_put(top, 0, lw, " Files (data order)", tui_attr(m->grid_focus ? TUI_C_CURSOR_DIM : TUI_C_CURSOR) | A_BOLD);
    int list_h = height - 4;
    tui_cursor_scroll(&m->list, m->nfiles, (size_t)(list_h > 0 ? list_h : 1));
    size_t ua, ub;
    tui_map_files_in(m, img, m->unit_cur, &ua, &ub);
    for (int r = 0; r < list_h && img; r++) {
        size_t i = m->list.top + (size_t)r;
        if (i >= m->nfiles)
            break;
        const mr_entry *e = &img->entries[m->files[i]];
        bool sel = i == m->list.cur;
        bool in_unit = m->grid_focus && i >= ua && i < ub && e->size > 0;
        int attr = sel ? tui_attr(m->grid_focus ? TUI_C_CURSOR_DIM : TUI_C_CURSOR) : 0;
        if (in_unit)
            attr = tui_attr(TUI_C_MAP_HI);
        char size[16], line[1200];
        tui_fmt_size(e->size, size);
        snprintf(line, sizeof line, "%c%s", in_unit ? '>' : ' ', e->path);
        tui_fill(top + 1 + r, 0, lw, attr);
        tui_put(top + 1 + r, 0, lw - 7, line, attr);
        tui_put_right(top + 1 + r, lw - 7, 6, size, attr);
    }
    if (!img)
        tui_put(top + 2, 1, lw - 1, app->board.problem, tui_attr(TUI_C_WARN));
    tui_vline(top, lw, height - 3, tui_attr(TUI_C_DIM));

    /* the grid */
    int gx = lw + 1, gw = app->cols - gx;
    char head[1400], us[16], ps[16], is[16], src[600];
    tui_tilde(app->board.source, src, sizeof src);
    tui_fmt_size(m->unit, us);
    tui_fmt_size(m->part_size, ps);
    tui_fmt_size(m->image_size, is);
    snprintf(head, sizeof head, " %s  %s in %zu units of %s%s, image %s", src, ps, m->nunits, us,
             m->unit_is_erase ? "" : " (display units)", is);
    tui_put(top, gx, gw, head, tui_attr(m->grid_focus ? TUI_C_CURSOR : TUI_C_CURSOR_DIM) | A_BOLD);
    tui_map_grid g;
    tui_map_grid_layout(&g, m, top + 1, gx, height - 4, gw);
    size_t hi_a = 1, hi_b = 0;
    if (!m->grid_focus && img && m->list.cur < m->nfiles)
        tui_map_units_of(m, &img->entries[m->files[m->list.cur]], &hi_a, &hi_b);
    tui_map_grid_draw(&g, m, hi_a, hi_b, m->unit_cur, m->grid_focus);

    /* the unit under the cursor, then the legend */
    tui_unit *u = m->unit_cur < m->nunits ? &m->units[m->unit_cur] : NULL;
    char line[1024] = "";
    if (u) {
        uint64_t off = (uint64_t)m->unit_cur * m->unit;
        int n = snprintf(line, sizeof line, "unit %zu @0x%" PRIx64 ": %s (data %u, headers %u, padding %u)%s",
                         m->unit_cur, (app->board.base_known ? app->board.base : 0) + off,
                         tui_unit_class_name((tui_unit_class)u->cls), u->data, u->meta, u->pad,
                         u->write ? ", written by the plan" : "");
        if (img && ua < ub && n > 0 && (size_t)n < sizeof line)
            snprintf(line + n, sizeof line - (size_t)n, "; %s%s", img->entries[m->files[ua]].path,
                     ub - ua > 1 ? " ..." : "");
    }
    tui_put(top + height - 3, 0, app->cols, line, 0);
    tui_map_legend(top + height - 2, 0, app->cols, m);
    char foot[256];
    snprintf(foot, sizeof foot, "%zu file%s; Tab switches list/grid, arrows move, i inspects, d deploys", m->nfiles,
             m->nfiles == 1 ? "" : "s");
    tui_put(top + height - 1, 0, app->cols, foot, tui_attr(TUI_C_DIM));
}

static bool action(tui_app *app, tui_action a)
{
    tui_map *m = model(app);
    if (!m)
        return false;
    if (a == TUI_A_SWITCH) {
        m->grid_focus = !m->grid_focus;
        return true;
    }
    if (!m->grid_focus) {
        if (a == TUI_A_LEFT || a == TUI_A_RIGHT)
            return true;
        if (tui_list_move(&m->list, m->nfiles, a, tui_list_page(app))) {
            sync_from_list(app);
            return true;
        }
    } else {
        int gw = app->cols - (app->cols / 3 > 36 ? 36 : app->cols / 3) - 1;
        tui_map_grid g;
        tui_map_grid_layout(&g, m, 0, 0, app->rows - 6, gw);
        long step = 0;
        switch (a) {
        case TUI_A_LEFT: step = -(long)g.per_cell; break;
        case TUI_A_RIGHT: step = (long)g.per_cell; break;
        case TUI_A_UP: step = -(long)(g.per_cell * (size_t)g.cols); break;
        case TUI_A_DOWN: step = (long)(g.per_cell * (size_t)g.cols); break;
        case TUI_A_HOME: step = -(long)m->unit_cur; break;
        case TUI_A_END: step = (long)(m->nunits - 1 - m->unit_cur); break;
        case TUI_A_PAGE_UP: step = -(long)(g.per_cell * (size_t)g.cols * (size_t)g.rows); break;
        case TUI_A_PAGE_DOWN: step = (long)(g.per_cell * (size_t)g.cols * (size_t)g.rows); break;
        default: break;
        }
        if (step) {
            tui_cursor c = {m->unit_cur, 0};
            tui_cursor_move(&c, m->nunits, step);
            m->unit_cur = c.cur;
            sync_from_grid(app);
            return true;
        }
    }
    switch (a) {
    case TUI_A_INSPECT:
        if (image(app) && m->list.cur < m->nfiles) {
            tui_board_select_path(&app->board, app->board.img.entries[m->files[m->list.cur]].path);
            tui_open_inspect(app, TUI_INSPECT_HEX);
        }
        return true;
    case TUI_A_DEPLOY:
        tui_open_deploy(app);
        return true;
    default:
        return false;
    }
}

static void leave(tui_app *app)
{
    if (app->map) {
        tui_map_free(&app->map->map);
        free(app->map);
        app->map = NULL;
    }
}

const tui_view_ops tui_view_map = {
    .name = "map",
    .scope = scope,
    .draw = draw,
    .action = action,
    .leave = leave,
};
