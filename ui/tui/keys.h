/* Key bindings are data: one table maps keys to actions per screen, and the same
 * table feeds the key handler, the help screen, the status-line hints and
 * `mpromfs tui --keys` (the README's key list). */
#ifndef TUI_KEYS_H
#define TUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define TUI_ACTIONS(X)                                                          \
    X(NONE) X(QUIT) X(HELP) X(UP) X(DOWN) X(PAGE_UP) X(PAGE_DOWN) X(HOME) X(END) \
    X(LEFT) X(RIGHT) X(OPEN) X(BACK) X(SWITCH) X(SEARCH) X(SEARCH_NEXT)         \
    X(SEARCH_PREV) X(SORT_NAME) X(SORT_SIZE) X(SORT_ADDR) X(SORT_REVERSE)       \
    X(MAP) X(INSPECT) X(DEPLOY) X(EDIT) X(REFRESH) X(DUMP) X(CANCEL) X(CONFIRM) \
    X(ADD) X(DELETE) X(RENAME) X(SAVE) X(REVERT) X(COMMIT) X(DIFF) X(RECORDS)   \
    X(MPY) X(HEXVIEW) X(GOTO) X(IMAGE)

typedef enum {
#define TUI_ACTION_ENUM(name) TUI_A_##name,
    TUI_ACTIONS(TUI_ACTION_ENUM)
#undef TUI_ACTION_ENUM
    TUI_A_COUNT
} tui_action;

/* Where a binding applies: one bit per screen (and per pane of the main screen). */
enum {
    TUI_IN_LOCAL = 1u << 0,   /* main screen, local pane focused */
    TUI_IN_BOARD = 1u << 1,   /* main screen, board pane focused */
    TUI_IN_MAP = 1u << 2,
    TUI_IN_INSPECT = 1u << 3,
    TUI_IN_DEPLOY = 1u << 4,
    TUI_IN_EDIT = 1u << 5,
    TUI_IN_HELP = 1u << 6,
    TUI_IN_PANES = TUI_IN_LOCAL | TUI_IN_BOARD,
    TUI_IN_LISTS = TUI_IN_PANES | TUI_IN_MAP | TUI_IN_INSPECT | TUI_IN_EDIT | TUI_IN_HELP | TUI_IN_DEPLOY,
    TUI_IN_ALL = 0x7f,
};

typedef struct tui_binding {
    int key;                 /* ncurses key code or character */
    const char *label;       /* how help shows the key: "Tab", "^L", "/" */
    tui_action action;
    unsigned scope;          /* TUI_IN_* bits */
    const char *help;        /* what it does there */
    const char *hint;        /* short word for the status line, NULL: not shown */
} tui_binding;

extern const tui_binding tui_bindings[];
extern const size_t tui_nbindings;

/* The action bound to key in scope, TUI_A_NONE if none. */
tui_action tui_key_action(int key, unsigned scope);
const char *tui_action_name(tui_action a);

/* The scopes, in help order, with titles. */
typedef struct tui_scope_info {
    unsigned bit;
    const char *title;
} tui_scope_info;
extern const tui_scope_info tui_scopes[];
extern const size_t tui_nscopes;

/* "Tab:pane  Enter:open ..." for the status line, at most width bytes. */
void tui_key_hints(unsigned scope, char *out, size_t width);
/* The whole table as a Markdown table, for the README. */
void tui_keys_markdown(FILE *out);

#endif
