/* The main screen's two panes, drawn side by side by view_panes.c. */
#ifndef TUI_PANES_H
#define TUI_PANES_H

#include <stdbool.h>

#include "tui.h"

void tui_pane_local_draw(tui_app *app, int y, int x, int h, int w, bool focused);
/* A file list pane over any local model (the staged tree of the editor too);
 * footer replaces the totals line when given. */
void tui_pane_files_draw(tui_local *m, const char *title, const char *footer, int y, int x, int h, int w,
                         bool focused);
void tui_pane_board_draw(tui_app *app, int y, int x, int h, int w, bool focused);
const char *tui_mark_text(tui_mark m);

#endif
