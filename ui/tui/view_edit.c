/* Edit: the board's image (or an image file) as a staged tree beside the local
 * files. Add, delete, rename; the size and the fit update after every change;
 * then commit (deploy), save as an image file, or revert. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colors.h"
#include "draw.h"
#include "model_edit.h"
#include "panes.h"
#include "text.h"
#include "tui.h"
#include "tui_curses.h"
#include "views.h"

struct tui_edit_state {
    tui_edit e;
    bool tree_focus;
    bool confirm_close;         /* q pressed once with changes staged */
    size_t search_start;
};

void tui_open_edit(tui_app *app)
{
    tui_board *b = &app->board;
    mr_err err;
    if (!b->in_part) {
        if (!b->dev || b->pcur.cur >= b->nparts) {
            tui_message(app, TUI_MSG_WARN, "open a partition (or an image file with I) to edit it");
            return;
        }
        if (tui_board_open_part(b, (unsigned)b->pcur.cur, tui_progress_cb, app, &err) < 0) {
            tui_error(app, &err);
            return;
        }
    }
    if (b->len && !b->parsed) {
        tui_message(app, TUI_MSG_ERROR, "%s cannot be edited: %s", b->source, b->problem);
        return;
    }
    struct tui_edit_state *s = calloc(1, sizeof *s);
    if (!s)
        return;
    if (tui_edit_open(&s->e, b->bytes, b->parsed ? b->img.image_size : 0, b->part_size, b->source, &err) < 0) {
        tui_error(app, &err);
        free(s);
        return;
    }
    s->e.tree.typer = app->local.typer;
    s->e.tree.typer_ctx = app->local.typer_ctx;
    s->e.is_part = b->dev && strncmp(b->source, "partition ", 10) == 0;
    s->e.part = b->part;
    s->tree_focus = true;
    app->edit = s;
    tui_push_view(app, TUI_VIEW_EDIT);
}

static unsigned scope(tui_app *app)
{
    (void)app;
    return TUI_IN_EDIT;
}

static void draw(tui_app *app, int top, int height)
{
    struct tui_edit_state *s = app->edit;
    if (!s)
        return;
    int lw = app->cols / 2, rw = app->cols - lw - 1;
    tui_pane_local_draw(app, top, 0, height, lw, !s->tree_focus);
    tui_vline(top, lw, height, tui_attr(TUI_C_DIM));
    char title[2 * PATH_MAX + 64], status[1200], dir[PATH_MAX + 2];
    const char *rel = s->e.tree.dir ? s->e.tree.dir + strlen(s->e.root) : "";
    snprintf(dir, sizeof dir, "%s/", rel);
    snprintf(title, sizeof title, " Staged  %s  %s", s->e.origin, dir);
    tui_edit_status(&s->e, status, sizeof status);
    tui_pane_files_draw(&s->e.tree, title, status, top, lw + 1, height, rw, s->tree_focus);
    if (!s->e.built || (s->e.part_size && s->e.image_size > s->e.part_size))
        tui_put(top + height - 1, lw + 1, rw, status, tui_attr(TUI_C_ERROR));
}

static void on_rename(tui_app *app, const tui_prompt *p, bool done)
{
    mr_err err;
    if (!done || p->state != TUI_PROMPT_DONE || !app->edit)
        return;
    if (tui_edit_rename(&app->edit->e, p->text, &err) < 0)
        tui_error(app, &err);
}

static void on_save(tui_app *app, const tui_prompt *p, bool done)
{
    mr_err err;
    if (!done || p->state != TUI_PROMPT_DONE || !app->edit || !p->text[0])
        return;
    if (tui_edit_save(&app->edit->e, p->text, &err) < 0)
        tui_error(app, &err);
    else {
        tui_message(app, TUI_MSG_INFO, "saved the staged tree as %s", p->text);
        mr_err e2;
        tui_local_reload(&app->local, &e2);
    }
}

static tui_local *focused(tui_app *app)
{
    return app->edit->tree_focus ? &app->edit->e.tree : &app->local;
}

static void on_search(tui_app *app, const tui_prompt *p, bool done)
{
    tui_local *m = focused(app);
    size_t start = app->edit->search_start;
    if (p->state == TUI_PROMPT_CANCELLED) {
        tui_cursor_set(&m->cur, m->n, start);
        return;
    }
    tui_cursor_set(&m->cur, m->n, start == 0 ? (m->n ? m->n - 1 : 0) : start - 1);
    size_t hit = tui_local_search(m, p->text, 1);
    tui_cursor_set(&m->cur, m->n, hit < m->n ? hit : start);
    if (done) {
        snprintf(app->search, sizeof app->search, "%s", p->text);
        if (hit >= m->n && p->text[0])
            tui_message(app, TUI_MSG_WARN, "no name contains '%s'", p->text);
    }
}

static bool action(tui_app *app, tui_action a)
{
    struct tui_edit_state *s = app->edit;
    if (!s)
        return false;
    tui_edit *e = &s->e;
    tui_local *m = focused(app);
    mr_err err;
    if (a != TUI_A_BACK && a != TUI_A_CANCEL)
        s->confirm_close = false;
    if (tui_list_move(&m->cur, m->n, a, tui_list_page(app)))
        return true;
    switch (a) {
    case TUI_A_SWITCH:
        s->tree_focus = !s->tree_focus;
        return true;
    case TUI_A_OPEN: {
        const tui_local_entry *le = tui_local_at(m, m->cur.cur);
        if (le && le->mark == TUI_MARK_UP && m == &e->tree && !tui_edit_can_go_up(e))
            return true;
        if (tui_local_enter(m, &err) < 0)
            tui_error(app, &err);
        return true;
    }
    case TUI_A_BACK:
        if (m == &e->tree) {
            if (tui_edit_can_go_up(e)) {
                if (tui_local_up(m, &err) < 0)
                    tui_error(app, &err);
                return true;
            }
            break; /* at the staged root: Backspace closes like q */
        }
        if (tui_local_up(m, &err) < 0)
            tui_error(app, &err);
        return true;
    case TUI_A_ADD: {
        char *src = tui_local_path(&app->local, app->local.cur.cur);
        if (!src) {
            tui_message(app, TUI_MSG_WARN, "put the local cursor on a file or directory to add");
            return true;
        }
        if (tui_edit_add(e, src, &err) < 0)
            tui_error(app, &err);
        else {
            char shown[PATH_MAX];
            tui_tilde(src, shown, sizeof shown);
            tui_message(app, TUI_MSG_INFO, "added %.400s", shown);
        }
        free(src);
        return true;
    }
    case TUI_A_DELETE:
        if (!s->tree_focus) {
            tui_message(app, TUI_MSG_WARN, "delete works in the staged tree (Tab to it); local files are never deleted");
            return true;
        }
        if (tui_edit_delete(e, &err) < 0)
            tui_error(app, &err);
        return true;
    case TUI_A_RENAME: {
        const tui_local_entry *le = tui_local_at(&e->tree, e->tree.cur.cur);
        if (!s->tree_focus || !le || le->mark == TUI_MARK_UP) {
            tui_message(app, TUI_MSG_WARN, "rename works on an entry of the staged tree");
            return true;
        }
        tui_ask(app, "Rename to: ", le->name, on_rename);
        return true;
    }
    case TUI_A_SAVE: {
        char initial[PATH_MAX + 32];
        snprintf(initial, sizeof initial, "%s/edited.romfs", app->local.dir ? app->local.dir : ".");
        tui_ask(app, "Save image as: ", initial, on_save);
        return true;
    }
    case TUI_A_REVERT:
        if (tui_edit_revert(e, &err) < 0)
            tui_error(app, &err);
        else
            tui_message(app, TUI_MSG_INFO, "reverted to %s", e->origin);
        return true;
    case TUI_A_COMMIT:
        if (!e->built) {
            tui_message(app, TUI_MSG_ERROR, "the staged tree does not build: %s", e->build_err);
            return true;
        }
        if (e->is_part) {
            char label[PATH_MAX + 32];
            snprintf(label, sizeof label, "the staged tree (edited %s)", e->origin);
            tui_deploy_start(app, e->root, label, e->part);
        } else {
            if (tui_edit_save(e, e->origin, &err) < 0)
                tui_error(app, &err);
            else
                tui_message(app, TUI_MSG_INFO, "wrote the staged tree to %s", e->origin);
        }
        return true;
    case TUI_A_SEARCH:
        s->search_start = m->cur.cur;
        tui_ask(app, "Search: ", "", on_search);
        return true;
    case TUI_A_SEARCH_NEXT:
    case TUI_A_SEARCH_PREV: {
        size_t hit = tui_local_search(m, app->search, a == TUI_A_SEARCH_NEXT ? 1 : -1);
        if (hit < m->n)
            tui_cursor_set(&m->cur, m->n, hit);
        return true;
    }
    case TUI_A_INSPECT: {
        char *path = tui_local_path(m, m->cur.cur);
        const tui_local_entry *le = tui_local_at(m, m->cur.cur);
        if (path && le && !le->is_dir)
            tui_inspect_file(app, path);
        else
            tui_message(app, TUI_MSG_WARN, "put the cursor on a file to inspect it");
        free(path);
        return true;
    }
    default:
        break;
    }
    if (a == TUI_A_BACK || a == TUI_A_CANCEL) {
        if (e->changed && !s->confirm_close) {
            s->confirm_close = true;
            tui_message(app, TUI_MSG_WARN, "staged changes are not committed: q again discards them (w commits, S saves)");
            return true;
        }
        tui_pop_view(app);
        return true;
    }
    return false;
}

static void leave(tui_app *app)
{
    if (app->edit) {
        tui_edit_close(&app->edit->e);
        free(app->edit);
        app->edit = NULL;
    }
}

const tui_view_ops tui_view_edit = {
    .name = "edit",
    .scope = scope,
    .draw = draw,
    .action = action,
    .leave = leave,
};
