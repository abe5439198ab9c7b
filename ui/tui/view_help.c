/* Help: every key binding, from the same table the key handler uses. */
#include <stdio.h>
#include <string.h>

#include "colors.h"
#include "draw.h"
#include "keys.h"
#include "tui.h"
#include "tui_curses.h"
#include "views.h"

/* The help text as lines: a title per screen, then "key  what it does". */
typedef struct help_line {
    const char *key;        /* NULL: a title line */
    const char *text;
} help_line;

static size_t help_lines(help_line *out, size_t cap)
{
    size_t n = 0;
    for (size_t s = 0; s < tui_nscopes; s++) {
        if (n < cap)
            out[n] = (help_line){NULL, tui_scopes[s].title};
        n++;
        for (size_t i = 0; i < tui_nbindings; i++) {
            const tui_binding *b = &tui_bindings[i];
            if (!b->help || !(b->scope & tui_scopes[s].bit))
                continue;
            if (n < cap)
                out[n] = (help_line){b->label, b->help};
            n++;
        }
        if (n < cap)
            out[n] = (help_line){"", ""};
        n++;
    }
    return n;
}

static const char *const legend[] = {
    "Marks in the local pane: * compiled to .mpy by a build, - not a file or",
    "directory (a build refuses it), ! name not allowed in ROMFS (ASCII only).",
    "Map cells: H image header and directories, # file data, : alignment padding,",
    ". free (erased), W a unit the deploy plan writes; the file under the cursor is",
    "shown in reverse video.",
    "",
};

static unsigned scope(tui_app *app)
{
    (void)app;
    return TUI_IN_HELP;
}

static void draw(tui_app *app, int top, int height)
{
    help_line lines[256];
    size_t n = help_lines(lines, sizeof lines / sizeof lines[0]);
    if (n > sizeof lines / sizeof lines[0])
        n = sizeof lines / sizeof lines[0];
    size_t nleg = sizeof legend / sizeof legend[0];
    size_t total = nleg + n;
    if (app->help_top + (size_t)height > total)
        app->help_top = total > (size_t)height ? total - (size_t)height : 0;
    for (int r = 0; r < height; r++) {
        size_t i = app->help_top + (size_t)r;
        int y = top + r;
        if (i < nleg) {
            tui_put(y, 1, app->cols - 1, legend[i], A_NORMAL);
            continue;
        }
        i -= nleg;
        if (i >= n)
            break;
        if (!lines[i].key) {
            tui_put(y, 1, app->cols - 1, lines[i].text, tui_attr(TUI_C_HEADER));
        } else {
            tui_put(y, 3, 12, lines[i].key, tui_attr(TUI_C_KEY));
            tui_put(y, 16, app->cols - 16, lines[i].text, A_NORMAL);
        }
    }
}

static bool action(tui_app *app, tui_action a)
{
    tui_cursor c = {app->help_top, app->help_top};
    size_t page = (size_t)(app->rows > 4 ? app->rows - 4 : 1);
    switch (a) {
    case TUI_A_UP: c.cur = c.cur ? c.cur - 1 : 0; break;
    case TUI_A_DOWN: c.cur++; break;
    case TUI_A_PAGE_UP: c.cur = c.cur > page ? c.cur - page : 0; break;
    case TUI_A_PAGE_DOWN: c.cur += page; break;
    case TUI_A_HOME: c.cur = 0; break;
    case TUI_A_END: c.cur = (size_t)-1 / 2; break;
    case TUI_A_HELP: return true;
    default: return false;
    }
    app->help_top = c.cur; /* draw clamps it to the text */
    return true;
}

const tui_view_ops tui_view_help = {
    .name = "help",
    .scope = scope,
    .draw = draw,
    .action = action,
};
