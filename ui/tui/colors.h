/* Every colour the TUI uses, declared once: name, foreground, background, the
 * attribute added in colour, and the attribute used without colour (TERM=vt100,
 * NO_COLOR). Monochrome must stay readable, so the map also carries text marks. */
#ifndef TUI_COLORS_H
#define TUI_COLORS_H

#include <stdbool.h>

/*  X(name,      fg,            bg,            colour attr,  mono attr) */
#define TUI_COLORS(X)                                                    \
    X(NORMAL,    -1,            -1,            0,            0)          \
    X(TITLE,     COLOR_BLACK,   COLOR_CYAN,    0,            A_REVERSE)  \
    X(STATUS,    COLOR_BLACK,   COLOR_WHITE,   0,            A_REVERSE)  \
    X(KEY,       COLOR_YELLOW,  COLOR_BLUE,    A_BOLD,       A_BOLD)     \
    X(HEADER,    COLOR_CYAN,    -1,            A_BOLD,       A_UNDERLINE)\
    X(CURSOR,    COLOR_BLACK,   COLOR_CYAN,    0,            A_REVERSE)  \
    X(CURSOR_DIM, COLOR_BLACK,  COLOR_WHITE,   0,            A_UNDERLINE)\
    X(DIR,       COLOR_BLUE,    -1,            A_BOLD,       A_BOLD)     \
    X(MARK_MPY,  COLOR_GREEN,   -1,            0,            0)          \
    X(MARK_SKIP, COLOR_YELLOW,  -1,            0,            0)          \
    X(MARK_BAD,  COLOR_RED,     -1,            A_BOLD,       A_BOLD)     \
    X(ERROR,     COLOR_WHITE,   COLOR_RED,     A_BOLD,       A_REVERSE)  \
    X(INFO,      COLOR_GREEN,   -1,            0,            0)          \
    X(WARN,      COLOR_YELLOW,  -1,            A_BOLD,       A_BOLD)     \
    X(DIM,       COLOR_WHITE,   -1,            A_DIM,        A_DIM)      \
    X(MAP_META,  COLOR_BLACK,   COLOR_MAGENTA, 0,            0)          \
    X(MAP_DATA,  COLOR_BLACK,   COLOR_GREEN,   0,            0)          \
    X(MAP_PAD,   COLOR_BLACK,   COLOR_YELLOW,  0,            0)          \
    X(MAP_FREE,  COLOR_WHITE,   -1,            A_DIM,        0)          \
    X(MAP_WRITE, COLOR_WHITE,   COLOR_RED,     A_BOLD,       A_BOLD)     \
    X(MAP_HI,    COLOR_BLACK,   COLOR_WHITE,   A_BOLD,       A_REVERSE)  \
    X(BAR,       COLOR_BLACK,   COLOR_GREEN,   0,            A_REVERSE)

typedef enum {
#define TUI_COLOR_ENUM(name, fg, bg, attr, mono) TUI_C_##name,
    TUI_COLORS(TUI_COLOR_ENUM)
#undef TUI_COLOR_ENUM
    TUI_C_COUNT
} tui_color;

/* Decide colour or monochrome (has_colors, NO_COLOR) and set the pairs up. Call
 * after initscr. */
void tui_colors_init(void);
bool tui_colors_enabled(void);
/* The attribute (pair and flags) to draw with; an int to keep ncurses out of callers' headers. */
int tui_attr(tui_color c);

#endif
