/* The partition manager's shared state and the view interface. A screen is a view:
 * one file with an ops table (draw, act on a bound action, optionally take raw
 * keys); the app loop knows screens only through that table. The state screens
 * show lives in models (model_*.h) that never call ncurses. */
#ifndef TUI_TUI_H
#define TUI_TUI_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "cursor.h"
#include "device.h"
#include "error.h"
#include "keys.h"
#include "model_board.h"
#include "model_local.h"
#include "prompt.h"

typedef enum {
    TUI_VIEW_PANES,
    TUI_VIEW_HELP,
    TUI_VIEW_MAP,
    TUI_VIEW_INSPECT,
    TUI_VIEW_DEPLOY,
    TUI_VIEW_EDIT,
    TUI_VIEW_COUNT
} tui_view_id;

typedef struct tui_app tui_app;

typedef struct tui_view_ops {
    const char *name;
    /* which key bindings apply now (TUI_IN_* bits) */
    unsigned (*scope)(tui_app *);
    /* draw rows [top, top+height) of stdscr from the models */
    void (*draw)(tui_app *, int top, int height);
    /* act on a bound action; false if the view does not use it */
    bool (*action)(tui_app *, tui_action);
    /* optional: see a key before the binding table (text entry); true if consumed */
    bool (*key)(tui_app *, int key);
    /* optional: called when the view is closed (back to the previous one) */
    void (*leave)(tui_app *);
} tui_view_ops;

extern const tui_view_ops tui_view_panes, tui_view_help, tui_view_map, tui_view_inspect,
    tui_view_deploy, tui_view_edit;

typedef enum { TUI_FOCUS_LOCAL, TUI_FOCUS_BOARD } tui_focus;
typedef enum { TUI_MSG_INFO, TUI_MSG_WARN, TUI_MSG_ERROR } tui_msg_level;

struct tui_map_state;
struct tui_inspect_state;
struct tui_deploy_state;
struct tui_edit_state;

/* What to do with a finished prompt (or each change, for incremental search). */
typedef void (*tui_prompt_fn)(tui_app *, const tui_prompt *, bool done);

struct tui_app {
    tui_view_id view;
    tui_view_id stack[8];       /* views to go back to */
    int depth;
    bool quit;
    int rows, cols;

    tui_focus focus;
    tui_local local;
    tui_board board;

    bool prompting;
    tui_prompt prompt;
    tui_prompt_fn on_prompt;
    size_t search_start;        /* cursor when the search began */
    char search[TUI_PROMPT_MAX];

    char msg[1024];
    tui_msg_level msg_level;

    size_t help_top;            /* help screen scroll */

    /* The units the last plan (not carried out) would write, for the map. */
    struct {
        bool valid;
        unsigned part;
        uint32_t unit;
        size_t units;
        bool *dirty;
    } planned;

    struct tui_map_state *map;
    struct tui_inspect_state *inspect;
    struct tui_deploy_state *deploy;
    struct tui_edit_state *edit;

    const char *dump_path;      /* $MPROMFS_TUI_DUMP */
    const char *keys;           /* $MPROMFS_TUI_KEYS, scripted input; NULL: the keyboard */
    size_t keys_pos;
    char exe_dir[4096];         /* where the binary lives, to find examples/app */
};

/* Views. */
void tui_push_view(tui_app *, tui_view_id);
void tui_pop_view(tui_app *);
const tui_view_ops *tui_current_view(const tui_app *);

/* Messages on the status line until the next key. */
void tui_message(tui_app *, tui_msg_level, const char *fmt, ...) MR_PRINTF(3, 4);
void tui_error(tui_app *, const mr_err *err);

/* Ask for a line of text; fn runs on each change and when it ends. */
void tui_ask(tui_app *, const char *label, const char *initial, tui_prompt_fn fn);

/* Long work: draw a progress box and look for a cancel key (Esc, c, ^C) without
 * blocking. Returns true when the user asked to stop. total 0: unknown. */
bool tui_progress(tui_app *, const char *what, uint64_t done, uint64_t total);

/* Say that something is being worked on (no cancel: the work cannot stop midway). */
void tui_busy(tui_app *, const char *what);
/* Has the user asked to stop the work under way (Esc or c typed, ^C, SIGTERM)?
 * Never blocks. */
bool tui_poll_cancel(tui_app *);
/* tui_progress with the signature of tui_progress_fn (ctx is the app). */
bool tui_progress_cb(void *app, const char *what, uint64_t done, uint64_t total);

/* Draw the whole screen once (one refresh per frame). */
void tui_redraw(tui_app *);

/* Set by the signal handlers; the loop and tui_progress look at them. */
extern volatile sig_atomic_t tui_interrupted;
extern volatile sig_atomic_t tui_terminated;

#endif
