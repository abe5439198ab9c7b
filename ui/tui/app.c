#include "app.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board_open.h"
#include "colors.h"
#include "draw.h"
#include "dump.h"
#include "input.h"
#include "term.h"
#include "text.h"
#include "tui.h"
#include "tui_curses.h"
#include "typer.h"

static const tui_view_ops *const views[TUI_VIEW_COUNT] = {
    [TUI_VIEW_PANES] = &tui_view_panes,     [TUI_VIEW_HELP] = &tui_view_help,
    [TUI_VIEW_MAP] = &tui_view_map,         [TUI_VIEW_INSPECT] = &tui_view_inspect,
    [TUI_VIEW_DEPLOY] = &tui_view_deploy,   [TUI_VIEW_EDIT] = &tui_view_edit,
};

const tui_view_ops *tui_current_view(const tui_app *app)
{
    return views[app->view];
}

void tui_push_view(tui_app *app, tui_view_id v)
{
    if (v == app->view)
        return;
    if (app->depth < (int)(sizeof app->stack / sizeof app->stack[0]))
        app->stack[app->depth++] = app->view;
    app->view = v;
}

void tui_pop_view(tui_app *app)
{
    const tui_view_ops *cur = views[app->view];
    if (cur->leave)
        cur->leave(app);
    app->view = app->depth > 0 ? app->stack[--app->depth] : TUI_VIEW_PANES;
}

void tui_message(tui_app *app, tui_msg_level level, const char *fmt, ...)
{
    char raw[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    tui_tilde(raw, app->msg, sizeof app->msg);
    app->msg_level = level;
}

void tui_error(tui_app *app, const mr_err *err)
{
    tui_message(app, TUI_MSG_ERROR, "%s", err->msg[0] ? err->msg : "failed");
}

void tui_ask(tui_app *app, const char *label, const char *initial, tui_prompt_fn fn)
{
    tui_prompt_start(&app->prompt, label, initial);
    app->prompting = true;
    app->on_prompt = fn;
}

/* ---- the frame: title, the view, the status line ------------------------------ */

static void draw_title(tui_app *app)
{
    int attr = tui_attr(TUI_C_TITLE);
    char left[1500], what[700];
    if (app->board.dev) {
        tui_tilde(app->board.dev->desc[0] ? app->board.dev->desc : app->board.dev->name, what, sizeof what);
        snprintf(left, sizeof left, " mpromfs  board: %s", what);
    }
    else
        snprintf(left, sizeof left, " mpromfs  board: none (%s)", app->board.problem[0] ? app->board.problem : "not connected");
    const char *right = views[app->view]->name;
    int rw = tui_text_width(right) + 2;
    if (rw > app->cols / 3 || tui_text_width(left) + rw > app->cols)
        rw = 0; /* the board's name matters more than the screen's */
    tui_put(0, 0, app->cols - rw, left, attr | A_BOLD);
    if (rw) {
        char r[64];
        snprintf(r, sizeof r, "%s ", right);
        tui_put_right(0, app->cols - rw, rw, r, attr);
    }
}

static void draw_status(tui_app *app)
{
    int y = app->rows - 1;
    if (app->prompting) {
        char line[TUI_PROMPT_MAX + 80];
        snprintf(line, sizeof line, "%s%s", app->prompt.label, app->prompt.text);
        tui_put(y, 0, app->cols, line, A_NORMAL);
        int x = tui_text_width(line);
        if (x < app->cols)
            mvaddch(y, x, ' ' | A_REVERSE);
        return;
    }
    if (app->msg[0]) {
        tui_color c = app->msg_level == TUI_MSG_ERROR  ? TUI_C_ERROR
                      : app->msg_level == TUI_MSG_WARN ? TUI_C_WARN
                                                       : TUI_C_INFO;
        char line[1100];
        snprintf(line, sizeof line, "%s%s", app->msg_level == TUI_MSG_ERROR ? "error: " : "",
                 app->msg);
        /* a message must be read whole: up to 3 rows, over the bottom of the view */
        int w = tui_text_width(line);
        int n = (w + app->cols - 1) / app->cols;
        if (n > 3)
            n = 3;
        if (n < 1)
            n = 1;
        for (int r = 0; r < n; r++)
            tui_fill(y - n + 1 + r, 0, app->cols, tui_attr(c));
        tui_put_wrapped(y - n + 1, 0, app->cols, n, line, tui_attr(c));
        return;
    }
    char hints[512];
    tui_key_hints(views[app->view]->scope(app), hints, (size_t)app->cols < sizeof hints ? (size_t)app->cols : sizeof hints);
    tui_put(y, 0, app->cols, hints, tui_attr(TUI_C_STATUS));
}

void tui_redraw(tui_app *app)
{
    getmaxyx(stdscr, app->rows, app->cols);
    erase();
    if (app->rows < 10 || app->cols < 40) {
        tui_put(0, 0, app->cols, "mpromfs: the window is too small (40x10 at least)", A_BOLD);
        refresh();
        return;
    }
    draw_title(app);
    views[app->view]->draw(app, 1, app->rows - 2);
    draw_status(app);
    refresh();
}

/* ---- long work ------------------------------------------------------------------ */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void draw_progress_box(tui_app *app, const char *what, uint64_t done, uint64_t total, bool cancellable)
{
    int w = app->cols > 60 ? 56 : app->cols - 4, h = 5;
    int y = (app->rows - h) / 2, x = (app->cols - w) / 2;
    tui_box(y, x, h, w, what, tui_attr(TUI_C_STATUS));
    char line[128];
    char a[16], b[16];
    tui_fmt_size(done, a);
    tui_fmt_size(total, b);
    int bar = w - 4;
    int fill = total ? (int)((double)bar * (double)done / (double)total) : 0;
    if (fill > bar)
        fill = bar;
    tui_fill(y + 1, x + 2, fill, tui_attr(TUI_C_BAR));
    tui_fill(y + 1, x + 2 + fill, bar - fill, tui_attr(TUI_C_DIM));
    if (total)
        snprintf(line, sizeof line, "%s of %s bytes (%d%%)", a, b, (int)(100.0 * (double)done / (double)total));
    else if (cancellable)
        snprintf(line, sizeof line, "%s bytes", a);
    else
        snprintf(line, sizeof line, "a moment...");
    tui_put(y + 2, x + 2, w - 4, line, tui_attr(TUI_C_STATUS));
    tui_put(y + 3, x + 2, w - 4, cancellable ? "Esc or c cancels" : "", tui_attr(TUI_C_STATUS));
    refresh();
}

void tui_busy(tui_app *app, const char *what)
{
    draw_progress_box(app, what, 0, 0, false);
}

bool tui_progress(tui_app *app, const char *what, uint64_t done, uint64_t total)
{
    static double last_draw;
    double t = now_s();
    if (t - last_draw >= 0.05 || done == 0 || (total && done >= total)) {
        last_draw = t;
        draw_progress_box(app, what, done, total, true);
    }
    return tui_poll_cancel(app);
}

bool tui_poll_cancel(tui_app *app)
{
    if (tui_interrupted || tui_terminated) {
        tui_interrupted = 0;
        return true;
    }
    if (app->keys) {
        /* scripted: a cancel key next in the script is taken now, as typed during the work */
        size_t pos = app->keys_pos;
        int cols, rows;
        int k = tui_script_key(app->keys, &pos, &cols, &rows);
        if (k == 27 || k == 'c') {
            app->keys_pos = pos;
            return true;
        }
        if (k == TUI_KEY_NONE) /* <Wait>: one more step of the work before what follows */
            app->keys_pos = pos;
        return false;
    }
    int k = tui_next_key(NULL, NULL, 0);
    if (k == 27 || k == 'c' || k == 'q')
        return true;
    /* typed ahead: keep it for the loop once the work is done */
    if (k >= 0)
        ungetch(k);
    else if (k == TUI_KEY_RESIZED)
        ungetch(KEY_RESIZE);
    return false;
}

bool tui_progress_cb(void *app, const char *what, uint64_t done, uint64_t total)
{
    return tui_progress(app, what, done, total);
}

/* ---- keys ------------------------------------------------------------------------ */

static void dump(tui_app *app)
{
    mr_err err;
    if (!app->dump_path) {
        tui_message(app, TUI_MSG_WARN, "set MPROMFS_TUI_DUMP=FILE to save the screen");
        return;
    }
    /* the screen as the user sees it, without this key's own message */
    tui_redraw(app);
    if (tui_dump_screen(app->dump_path, &err) < 0)
        tui_error(app, &err);
}

static void handle_key(tui_app *app, int key)
{
    if (app->prompting) {
        bool changed = tui_prompt_key(&app->prompt, key, KEY_BACKSPACE);
        if (app->prompt.state != TUI_PROMPT_EDITING)
            app->prompting = false;
        if (app->on_prompt && (changed || app->prompt.state != TUI_PROMPT_EDITING))
            app->on_prompt(app, &app->prompt, app->prompt.state != TUI_PROMPT_EDITING);
        return;
    }
    app->msg[0] = '\0';
    const tui_view_ops *v = views[app->view];
    if (v->key && v->key(app, key))
        return;
    tui_action a = tui_key_action(key, v->scope(app));
    if (a == TUI_A_DUMP) {
        dump(app);
        return;
    }
    if (a == TUI_A_NONE)
        return;
    if (v->action(app, a))
        return;
    switch (a) {
    case TUI_A_QUIT:
        app->quit = true;
        break;
    case TUI_A_HELP:
        app->help_top = 0;
        tui_push_view(app, TUI_VIEW_HELP);
        break;
    case TUI_A_BACK:
    case TUI_A_CANCEL:
        if (app->view != TUI_VIEW_PANES)
            tui_pop_view(app);
        break;
    case TUI_A_REFRESH:
        clearok(stdscr, TRUE);
        break;
    default:
        break;
    }
}

static void app_free(tui_app *app)
{
    free(app->planned.dirty);
    app->planned.dirty = NULL;
    tui_local_free(&app->local);
    tui_board_free(&app->board);
    for (int v = 0; v < TUI_VIEW_COUNT; v++)
        if (views[v]->leave && (v == TUI_VIEW_MAP || v == TUI_VIEW_INSPECT || v == TUI_VIEW_DEPLOY || v == TUI_VIEW_EDIT))
            views[v]->leave(app);
}


static void show_device_warning(void *ctx, const char *msg)
{
    tui_message((tui_app *)ctx, TUI_MSG_INFO, "%s", msg);
}

int tui_run(const tui_options *opts, mr_err *err)
{
    static tui_app app; /* static: the crash handler's endwin is all it needs */
    memset(&app, 0, sizeof app);
    tui_local_init(&app.local);
    tui_board_init(&app.board);
    app.dump_path = getenv("MPROMFS_TUI_DUMP");
    if (app.dump_path && !*app.dump_path)
        app.dump_path = NULL;
    app.keys = getenv("MPROMFS_TUI_KEYS");
    tui_find_exe_dir(opts->argv0, app.exe_dir, sizeof app.exe_dir);

    app.local.typer = tui_file_typer;
    app.board.typer = tui_buffer_typer;
    app.local.compile_mpy = tui_mpy_cross_available();
    if (tui_local_open(&app.local, opts->dir ? opts->dir : ".", err) < 0)
        return -1;

    mr_device *dev = NULL;
    if (tui_term_start(app.keys != NULL, err) < 0) {
        tui_local_free(&app.local);
        return -1;
    }
    getmaxyx(stdscr, app.rows, app.cols);
    /* Opening a board can take a moment (auto probes ports, the first run builds the
     * example image): say so on the screen instead of leaving it blank. */
    tui_put(0, 0, app.cols, " mpromfs  opening the board...", tui_attr(TUI_C_TITLE));
    refresh();
    mr_err derr;
    mr_err_clear(&derr);
    char note[1024];
    int opened = tui_open_board(opts->device, app.exe_dir, &dev, note, sizeof note, &derr);
    if (opened == 0) {
        /* The board's warnings (e.g. no uctypes) go to the status line, never stderr. */
        dev->warn = show_device_warning;
        dev->warn_ctx = &app;
    }
    if (opened < 0 || tui_board_attach(&app.board, dev, &derr) < 0) {
        tui_error(&app, &derr);
        snprintf(app.board.problem, sizeof app.board.problem, "%s", opts->device ? opts->device : "auto");
        if (dev)
            mr_device_close(dev);
        dev = NULL;
        app.board.dev = NULL;
    } else if (note[0]) {
        tui_message(&app, TUI_MSG_INFO, "%s", note);
    }

    bool dirty = true;
    while (!app.quit) {
        if (dirty)
            tui_redraw(&app);
        dirty = false;
        int key = tui_next_key(app.keys, &app.keys_pos, 250);
        if (tui_terminated)
            break;
        if (tui_interrupted) {
            tui_interrupted = 0;
            if (app.view == TUI_VIEW_PANES)
                break;
            tui_pop_view(&app);
            dirty = true;
            continue;
        }
        if (key == TUI_KEY_EOF)
            break;
        if (key == TUI_KEY_NONE)
            continue;
        dirty = true;
        if (key == TUI_KEY_RESIZED)
            continue;
        handle_key(&app, key);
    }
    if (app.dump_path) {
        tui_redraw(&app);
        mr_err e2;
        tui_dump_screen(app.dump_path, &e2);
    }
    app_free(&app);
    tui_term_stop();
    if (dev)
        mr_device_close(dev);
    tui_typer_close();
    if (tui_terminated) {
        /* the terminal is back: now die of SIGTERM as the sender expects */
        signal(SIGTERM, SIG_DFL);
        raise(SIGTERM);
    }
    return 0;
}
