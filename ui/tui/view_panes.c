/* The main screen: local files on the left, the board on the right. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colors.h"
#include "image_file.h"
#include "draw.h"
#include "panes.h"
#include "tui.h"
#include "tui_curses.h"
#include "views.h"

static unsigned scope(tui_app *app)
{
    return app->focus == TUI_FOCUS_LOCAL ? TUI_IN_LOCAL : TUI_IN_BOARD;
}

static void draw(tui_app *app, int top, int height)
{
    int lw = app->cols / 2;
    int rw = app->cols - lw - 1;
    tui_pane_local_draw(app, top, 0, height, lw, app->focus == TUI_FOCUS_LOCAL);
    tui_vline(top, lw, height, tui_attr(TUI_C_DIM));
    tui_pane_board_draw(app, top, lw + 1, height, rw, app->focus == TUI_FOCUS_BOARD);
}

/* The list the focused pane shows: its cursor and length. */
static tui_cursor *focused_list(tui_app *app, size_t *n)
{
    if (app->focus == TUI_FOCUS_LOCAL) {
        *n = app->local.n;
        return &app->local.cur;
    }
    if (app->board.in_part) {
        *n = app->board.nrows;
        return &app->board.cur;
    }
    *n = app->board.nparts;
    return &app->board.pcur;
}

size_t tui_list_page(tui_app *app)
{
    int h = app->rows - 2 - 4;
    return h > 1 ? (size_t)h - 1 : 1;
}

bool tui_list_move(tui_cursor *c, size_t n, tui_action a, size_t page)
{
    switch (a) {
    case TUI_A_UP: tui_cursor_move(c, n, -1); return true;
    case TUI_A_DOWN: tui_cursor_move(c, n, 1); return true;
    case TUI_A_PAGE_UP: tui_cursor_move(c, n, -(long)page); return true;
    case TUI_A_PAGE_DOWN: tui_cursor_move(c, n, (long)page); return true;
    case TUI_A_HOME: tui_cursor_set(c, n, 0); return true;
    case TUI_A_END: tui_cursor_set(c, n, n ? n - 1 : 0); return true;
    default: return false;
    }
}

static size_t search_in(tui_app *app, const char *text, int dir)
{
    if (app->focus == TUI_FOCUS_LOCAL)
        return tui_local_search(&app->local, text, dir);
    if (app->board.in_part)
        return tui_board_search(&app->board, text, dir);
    return (size_t)-1;
}

static void on_search(tui_app *app, const tui_prompt *p, bool done)
{
    size_t n;
    tui_cursor *c = focused_list(app, &n);
    if (p->state == TUI_PROMPT_CANCELLED) {
        tui_cursor_set(c, n, app->search_start);
        return;
    }
    /* incremental: from where the search began, the row itself included */
    tui_cursor_set(c, n, app->search_start == 0 ? (n ? n - 1 : 0) : app->search_start - 1);
    size_t hit = search_in(app, p->text, 1);
    if (hit < n)
        tui_cursor_set(c, n, hit);
    else
        tui_cursor_set(c, n, app->search_start);
    if (done) {
        snprintf(app->search, sizeof app->search, "%s", p->text);
        if (hit >= n && p->text[0])
            tui_message(app, TUI_MSG_WARN, "no name contains '%s'", p->text);
    }
}

static void search_again(tui_app *app, int dir)
{
    size_t n;
    tui_cursor *c = focused_list(app, &n);
    if (!app->search[0]) {
        tui_message(app, TUI_MSG_INFO, "/ starts a search");
        return;
    }
    size_t hit = search_in(app, app->search, dir);
    if (hit < n)
        tui_cursor_set(c, n, hit);
    else
        tui_message(app, TUI_MSG_WARN, "no name contains '%s'", app->search);
}

static void open_board_row(tui_app *app)
{
    tui_board *b = &app->board;
    mr_err err;
    if (!b->in_part) {
        if (!b->dev || b->pcur.cur >= b->nparts)
            return;
        if (tui_board_open_part(b, (unsigned)b->pcur.cur, tui_progress_cb, app, &err) < 0)
            tui_error(app, &err);
        return;
    }
    if (tui_board_enter(b) == 0 && tui_board_current(b))
        tui_open_inspect(app, TUI_INSPECT_HEX);
}

static bool is_image_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 6 && strcmp(name + n - 6, ".romfs") == 0) || (n > 4 && strcmp(name + n - 4, ".img") == 0);
}

static void open_image_path(tui_app *app, const char *path)
{
    mr_file_buf fb;
    mr_err err;
    if (mr_file_load(&fb, path, &err) < 0) {
        tui_error(app, &err);
        return;
    }
    uint8_t *copy = malloc(fb.len ? fb.len : 1);
    if (!copy) {
        mr_file_unload(&fb);
        tui_message(app, TUI_MSG_ERROR, "out of memory");
        return;
    }
    memcpy(copy, fb.bytes, fb.len);
    size_t len = fb.len;
    mr_file_unload(&fb);
    /* an image file has no erase unit of its own: map it in 4 KiB units, as most
     * internal flash erases */
    tui_board_show_image(&app->board, path, copy, len, len, 4096, 0, false);
    app->focus = TUI_FOCUS_BOARD;
}

static void open_local_row(tui_app *app)
{
    mr_err err;
    int rc = tui_local_enter(&app->local, &err);
    const tui_local_entry *e = tui_local_at(&app->local, app->local.cur.cur);
    if (rc < 0) {
        tui_error(app, &err);
    } else if (rc == 0 && e && is_image_name(e->name)) {
        /* an image file opens in the board pane, to walk, map, inspect or edit */
        char *path = tui_local_path(&app->local, app->local.cur.cur);
        if (path)
            open_image_path(app, path);
        free(path);
    } else if (rc == 0 && e) {
        tui_open_inspect(app, TUI_INSPECT_HEX);
    }
}

static void set_sort(tui_app *app, tui_sort s)
{
    if (app->focus == TUI_FOCUS_LOCAL) {
        if (s == TUI_SORT_ADDR)
            s = TUI_SORT_NAME;
        tui_local_set_sort(&app->local, s, app->local.sort == s ? app->local.reverse : false);
    } else {
        tui_board_set_sort(&app->board, s, app->board.sort == s ? app->board.reverse : false);
    }
}

void tui_refresh_all(tui_app *app)
{
    mr_err err;
    if (tui_local_reload(&app->local, &err) < 0)
        tui_error(app, &err);
    tui_board *b = &app->board;
    if (b->dev) {
        if (tui_board_attach(b, b->dev, &err) < 0) {
            tui_error(app, &err);
            return;
        }
        if (b->in_part && strncmp(b->source, "partition ", 10) == 0) {
            char keep[600] = "";
            const mr_entry *e = tui_board_current(b);
            if (e)
                snprintf(keep, sizeof keep, "%s", e->path);
            if (tui_board_open_part(b, b->part, tui_progress_cb, app, &err) < 0)
                tui_error(app, &err);
            else if (keep[0])
                tui_board_select_path(b, keep);
        }
    }
}

static bool action(tui_app *app, tui_action a)
{
    size_t n;
    tui_cursor *c = focused_list(app, &n);
    if (tui_list_move(c, n, a, tui_list_page(app)))
        return true;
    mr_err err;
    switch (a) {
    case TUI_A_SWITCH:
        app->focus = app->focus == TUI_FOCUS_LOCAL ? TUI_FOCUS_BOARD : TUI_FOCUS_LOCAL;
        return true;
    case TUI_A_OPEN:
        if (app->focus == TUI_FOCUS_LOCAL)
            open_local_row(app);
        else
            open_board_row(app);
        return true;
    case TUI_A_BACK:
        if (app->focus == TUI_FOCUS_LOCAL) {
            if (tui_local_up(&app->local, &err) < 0)
                tui_error(app, &err);
        } else {
            tui_board_up(&app->board);
        }
        return true;
    case TUI_A_SEARCH:
        if (app->focus == TUI_FOCUS_BOARD && !app->board.in_part)
            return true;
        app->search_start = c->cur;
        tui_ask(app, "Search: ", "", on_search);
        return true;
    case TUI_A_SEARCH_NEXT:
        search_again(app, 1);
        return true;
    case TUI_A_SEARCH_PREV:
        search_again(app, -1);
        return true;
    case TUI_A_SORT_NAME:
        set_sort(app, TUI_SORT_NAME);
        return true;
    case TUI_A_SORT_SIZE:
        set_sort(app, TUI_SORT_SIZE);
        return true;
    case TUI_A_SORT_ADDR:
        set_sort(app, TUI_SORT_ADDR);
        return true;
    case TUI_A_SORT_REVERSE:
        if (app->focus == TUI_FOCUS_LOCAL)
            tui_local_set_sort(&app->local, app->local.sort, !app->local.reverse);
        else
            tui_board_set_sort(&app->board, app->board.sort, !app->board.reverse);
        return true;
    case TUI_A_REFRESH:
        tui_refresh_all(app);
        clearok(stdscr, TRUE);
        return true;
    case TUI_A_IMAGE:
        tui_ask(app, "Open image file: ", "", tui_on_open_image);
        return true;
    case TUI_A_MAP:
        tui_open_map(app);
        return true;
    case TUI_A_INSPECT:
        tui_open_inspect(app, TUI_INSPECT_HEX);
        return true;
    case TUI_A_RECORDS:
        tui_open_inspect(app, TUI_INSPECT_RECORDS);
        return true;
    case TUI_A_DIFF:
        tui_open_inspect(app, TUI_INSPECT_DIFF);
        return true;
    case TUI_A_DEPLOY:
        tui_open_deploy(app);
        return true;
    case TUI_A_EDIT:
        tui_open_edit(app);
        return true;
    default:
        return false;
    }
}

const tui_view_ops tui_view_panes = {
    .name = "files",
    .scope = scope,
    .draw = draw,
    .action = action,
};

void tui_on_open_image(tui_app *app, const tui_prompt *p, bool done)
{
    if (!done || p->state != TUI_PROMPT_DONE || !p->text[0])
        return;
    open_image_path(app, p->text);
}
