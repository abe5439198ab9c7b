#include "colors.h"

#include <stdlib.h>

#include "tui_curses.h"

static bool use_color;

struct color_def {
    short fg, bg;
    int attr, mono;
};

static const struct color_def defs[TUI_C_COUNT] = {
#define TUI_COLOR_DEF(name, fg, bg, attr, mono) [TUI_C_##name] = {fg, bg, attr, mono},
    TUI_COLORS(TUI_COLOR_DEF)
#undef TUI_COLOR_DEF
};

void tui_colors_init(void)
{
    const char *no_color = getenv("NO_COLOR");
    use_color = has_colors() && !(no_color && *no_color);
    if (!use_color)
        return;
    start_color();
    bool have_default = use_default_colors() == OK;
    for (int i = 1; i < TUI_C_COUNT; i++) {
        short fg = defs[i].fg, bg = defs[i].bg;
        if (!have_default) {
            if (fg < 0)
                fg = COLOR_WHITE;
            if (bg < 0)
                bg = COLOR_BLACK;
        }
        init_pair((short)i, fg, bg);
    }
}

bool tui_colors_enabled(void)
{
    return use_color;
}

int tui_attr(tui_color c)
{
    if (c <= 0 || c >= TUI_C_COUNT)
        return A_NORMAL;
    if (!use_color)
        return defs[c].mono;
    return (int)COLOR_PAIR(c) | defs[c].attr;
}
