/* The terminal's life: start curses, and give the terminal back on every way out
 * (quit, error, ^C, SIGTERM, a crash, exit()). While the screen is up, stderr goes
 * to a log file so that no library can scribble over it; what was logged is
 * printed after the screen is gone. */
#ifndef TUI_TERM_H
#define TUI_TERM_H

#include <stdbool.h>

#include "error.h"

/* scripted: draw to /dev/null (keys come from a script), for whole-screen tests. */
int tui_term_start(bool scripted, mr_err *err);
/* endwin, restore stderr, print the log; safe to call twice. */
void tui_term_stop(void);
bool tui_term_active(void);

#endif
