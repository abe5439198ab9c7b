#include "keys.h"

#include <string.h>

#include "tui_curses.h"

#define CTRL(c) ((c) & 0x1f)
#define ESC 27

/* Order matters twice: the first match wins, and hints appear in table order. */
const tui_binding tui_bindings[] = {
    {'?', "?", TUI_A_HELP, TUI_IN_ALL & ~TUI_IN_HELP, "show the key bindings", "help"},
    {KEY_F(1), "F1", TUI_A_HELP, TUI_IN_ALL & ~TUI_IN_HELP, "show the key bindings", NULL},
    {'q', "q", TUI_A_QUIT, TUI_IN_PANES, "quit mpromfs", "quit"},
    {'q', "q", TUI_A_BACK, TUI_IN_ALL & ~TUI_IN_PANES, "close this screen", "close"},
    {ESC, "Esc", TUI_A_CANCEL, TUI_IN_ALL & ~TUI_IN_PANES, "cancel / close this screen", NULL},
    {'\t', "Tab", TUI_A_SWITCH, TUI_IN_PANES | TUI_IN_MAP | TUI_IN_EDIT, "switch pane", "pane"},
    {'\t', "Tab", TUI_A_SWITCH, TUI_IN_DEPLOY, "plan for the next partition instead", "partition"},
    {KEY_UP, "Up/k", TUI_A_UP, TUI_IN_LISTS, "move up", NULL},
    {'k', "k", TUI_A_UP, TUI_IN_LISTS, NULL, NULL},
    {KEY_DOWN, "Down/j", TUI_A_DOWN, TUI_IN_LISTS, "move down", NULL},
    {'j', "j", TUI_A_DOWN, TUI_IN_LISTS, NULL, NULL},
    {KEY_LEFT, "Left/h", TUI_A_LEFT, TUI_IN_MAP, "move left in the map", NULL},
    {'h', "h", TUI_A_LEFT, TUI_IN_MAP, NULL, NULL},
    {KEY_RIGHT, "Right/l", TUI_A_RIGHT, TUI_IN_MAP, "move right in the map", NULL},
    {'l', "l", TUI_A_RIGHT, TUI_IN_MAP, NULL, NULL},
    {KEY_PPAGE, "PgUp", TUI_A_PAGE_UP, TUI_IN_LISTS, "page up", NULL},
    {KEY_NPAGE, "PgDn", TUI_A_PAGE_DOWN, TUI_IN_LISTS, "page down", NULL},
    {' ', "Space", TUI_A_PAGE_DOWN, TUI_IN_HELP | TUI_IN_INSPECT, NULL, NULL},
    {KEY_HOME, "Home/g", TUI_A_HOME, TUI_IN_LISTS, "first line", NULL},
    {'g', "g", TUI_A_HOME, TUI_IN_LISTS, NULL, NULL},
    {KEY_END, "End/G", TUI_A_END, TUI_IN_LISTS, "last line", NULL},
    {'G', "G", TUI_A_END, TUI_IN_LISTS, NULL, NULL},
    {'\n', "Enter", TUI_A_OPEN, TUI_IN_PANES | TUI_IN_EDIT, "open the directory, partition, image file (.romfs, .img) or file", "open"},
    {'\r', "Enter", TUI_A_OPEN, TUI_IN_PANES | TUI_IN_EDIT, NULL, NULL},
    {KEY_ENTER, "Enter", TUI_A_OPEN, TUI_IN_PANES | TUI_IN_EDIT, NULL, NULL},
    {KEY_RIGHT, "Right", TUI_A_OPEN, TUI_IN_PANES, NULL, NULL},
    {KEY_BACKSPACE, "Backspace", TUI_A_BACK, TUI_IN_PANES | TUI_IN_EDIT, "go up one level", NULL},
    {127, "Backspace", TUI_A_BACK, TUI_IN_PANES | TUI_IN_EDIT, NULL, NULL},
    {CTRL('h'), "Backspace", TUI_A_BACK, TUI_IN_PANES | TUI_IN_EDIT, NULL, NULL},
    {KEY_LEFT, "Left", TUI_A_BACK, TUI_IN_PANES, NULL, NULL},
    {'/', "/", TUI_A_SEARCH, TUI_IN_PANES | TUI_IN_EDIT, "search names", "search"},
    {'n', "n", TUI_A_SEARCH_NEXT, TUI_IN_PANES | TUI_IN_EDIT, "next match", NULL},
    {'N', "N", TUI_A_SEARCH_PREV, TUI_IN_PANES | TUI_IN_EDIT, "previous match", NULL},
    {'s', "s", TUI_A_SORT_NAME, TUI_IN_PANES, "sort by name", NULL},
    {'z', "z", TUI_A_SORT_SIZE, TUI_IN_PANES, "sort by size", NULL},
    {'a', "a", TUI_A_SORT_ADDR, TUI_IN_BOARD, "sort by address (image order)", NULL},
    {'r', "r", TUI_A_SORT_REVERSE, TUI_IN_PANES, "reverse the sort order", NULL},
    {'m', "m", TUI_A_MAP, TUI_IN_PANES, "partition map (erase units)", "map"},
    {'i', "i", TUI_A_INSPECT, TUI_IN_PANES | TUI_IN_MAP | TUI_IN_EDIT, "inspect the file's bytes", "inspect"},
    {'d', "d", TUI_A_DEPLOY, TUI_IN_PANES | TUI_IN_MAP, "deploy a local directory or image to a partition", "deploy"},
    {'e', "e", TUI_A_EDIT, TUI_IN_PANES, "edit the partition's image as a staged tree", "edit"},
    {'D', "D", TUI_A_DIFF, TUI_IN_PANES, "diff the local build against the board's image", NULL},
    {'R', "R", TUI_A_RECORDS, TUI_IN_PANES | TUI_IN_INSPECT, "image header and records", NULL},
    {'x', "x", TUI_A_HEXVIEW, TUI_IN_INSPECT, "hex and text of the file", "hex"},
    {'M', "M", TUI_A_MPY, TUI_IN_INSPECT, ".mpy header decoded", "mpy"},
    {'o', "o", TUI_A_GOTO, TUI_IN_INSPECT, "go to an offset", "offset"},
    {'I', "I", TUI_A_IMAGE, TUI_IN_PANES, "open an image file (path prompt)", NULL},
    {CTRL('l'), "^L", TUI_A_REFRESH, TUI_IN_ALL, "redraw (on the main screen: re-read the board and the directory)", NULL},
    {KEY_F(5), "F5", TUI_A_REFRESH, TUI_IN_ALL, NULL, NULL},
    {'y', "y", TUI_A_CONFIRM, TUI_IN_DEPLOY, "confirm: write the plan to the board", "confirm"},
    {'\n', "Enter", TUI_A_CONFIRM, TUI_IN_DEPLOY, NULL, NULL},
    {'\r', "Enter", TUI_A_CONFIRM, TUI_IN_DEPLOY, NULL, NULL},
    {'c', "c", TUI_A_CANCEL, TUI_IN_DEPLOY, "cancel (safe at every step)", "cancel"},
    {'+', "+", TUI_A_ADD, TUI_IN_EDIT, "add the local pane's entry to the staged tree", "add"},
    {KEY_DC, "Del", TUI_A_DELETE, TUI_IN_EDIT, "delete from the staged tree", "delete"},
    {'-', "-", TUI_A_DELETE, TUI_IN_EDIT, NULL, NULL},
    {KEY_F(2), "F2", TUI_A_RENAME, TUI_IN_EDIT, "rename in the staged tree", "rename"},
    {'r', "r", TUI_A_RENAME, TUI_IN_EDIT, NULL, NULL},
    {'w', "w", TUI_A_COMMIT, TUI_IN_EDIT, "commit: deploy the staged tree", "commit"},
    {'S', "S", TUI_A_SAVE, TUI_IN_EDIT, "save the staged tree as an image file", "save"},
    {'u', "u", TUI_A_REVERT, TUI_IN_EDIT, "revert to the original image", "revert"},
    {KEY_F(12), "F12", TUI_A_DUMP, TUI_IN_ALL, "write the screen to $MPROMFS_TUI_DUMP", NULL},
};
const size_t tui_nbindings = sizeof tui_bindings / sizeof tui_bindings[0];

const tui_scope_info tui_scopes[] = {
    {TUI_IN_LOCAL, "Local pane"},   {TUI_IN_BOARD, "Board pane"}, {TUI_IN_MAP, "Partition map"},
    {TUI_IN_INSPECT, "Inspect"},    {TUI_IN_DEPLOY, "Deploy"},    {TUI_IN_EDIT, "Edit"},
    {TUI_IN_HELP, "Help"},
};
const size_t tui_nscopes = sizeof tui_scopes / sizeof tui_scopes[0];

static const char *const action_names[TUI_A_COUNT] = {
#define TUI_ACTION_NAME(name) #name,
    TUI_ACTIONS(TUI_ACTION_NAME)
#undef TUI_ACTION_NAME
};

tui_action tui_key_action(int key, unsigned scope)
{
    for (size_t i = 0; i < tui_nbindings; i++)
        if (tui_bindings[i].key == key && (tui_bindings[i].scope & scope))
            return tui_bindings[i].action;
    return TUI_A_NONE;
}

const char *tui_action_name(tui_action a)
{
    return (unsigned)a < TUI_A_COUNT ? action_names[a] : "?";
}

void tui_key_hints(unsigned scope, char *out, size_t width)
{
    size_t len = 0;
    if (width)
        out[0] = '\0';
    /* the screen's own keys first, then help and quit, which every screen has */
    for (size_t k = 0; k < 2 * tui_nbindings; k++) {
        size_t i = k % tui_nbindings;
        const tui_binding *b = &tui_bindings[i];
        if (!b->hint || !(b->scope & scope))
            continue;
        bool common = b->action == TUI_A_HELP || b->action == TUI_A_QUIT || b->action == TUI_A_BACK ||
                      b->action == TUI_A_CANCEL;
        if (common != (k >= tui_nbindings))
            continue;
        char one[64];
        int n = snprintf(one, sizeof one, "%s%s:%s", len ? " " : "", b->label, b->hint);
        if (n < 0 || len + (size_t)n + 1 > width)
            break;
        memcpy(out + len, one, (size_t)n + 1);
        len += (size_t)n;
    }
}

static void scope_names(unsigned scope, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    if ((scope & TUI_IN_ALL) == TUI_IN_ALL) {
        snprintf(out, cap, "everywhere");
        return;
    }
    if ((scope & TUI_IN_ALL) == (TUI_IN_ALL & ~TUI_IN_HELP)) {
        snprintf(out, cap, "everywhere but help");
        return;
    }
    for (size_t s = 0; s < tui_nscopes; s++) {
        if (!(scope & tui_scopes[s].bit))
            continue;
        int n = snprintf(out + len, cap - len, "%s%s", len ? ", " : "", tui_scopes[s].title);
        if (n < 0 || (size_t)n >= cap - len)
            return;
        len += (size_t)n;
    }
}

void tui_keys_markdown(FILE *out)
{
    fprintf(out, "| Key | Where | What it does |\n|---|---|---|\n");
    for (size_t i = 0; i < tui_nbindings; i++) {
        const tui_binding *b = &tui_bindings[i];
        if (!b->help)
            continue;
        /* one row per key and meaning: later duplicates (F1 for ?) stay separate */
        char where[256];
        scope_names(b->scope, where, sizeof where);
        fprintf(out, "| `%s` | %s | %s |\n", b->label, where, b->help);
    }
}
