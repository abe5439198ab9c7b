/* The one place ncurses is included, with its wide-character API turned on. Only
 * view_*.c, draw.c, term.c, dump.c, input.c and app.c include this; models never do. */
#ifndef TUI_CURSES_H
#define TUI_CURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#endif
