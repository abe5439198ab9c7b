/* How views open each other, and list helpers they share. */
#ifndef TUI_VIEWS_H
#define TUI_VIEWS_H

#include <stdbool.h>
#include <stddef.h>

#include "tui.h"

typedef enum { TUI_INSPECT_HEX, TUI_INSPECT_MPY, TUI_INSPECT_RECORDS, TUI_INSPECT_DIFF } tui_inspect_mode;

void tui_open_map(tui_app *app);
void tui_open_inspect(tui_app *app, tui_inspect_mode mode);
/* Inspect a host file's bytes. */
void tui_inspect_file(tui_app *app, const char *path);
void tui_open_deploy(tui_app *app);
/* Plan a deploy of src (a directory or image file) to partition part and show it;
 * label names src on screen (NULL: its path). */
int tui_deploy_start(tui_app *app, const char *src, const char *label, unsigned part);
void tui_open_edit(tui_app *app);
/* Prompt callback: open the typed path as an image file in the board pane. */
void tui_on_open_image(tui_app *app, const tui_prompt *p, bool done);

/* Re-read the local directory and the board (after a deploy, or ^L). */
void tui_refresh_all(tui_app *app);

/* Rows a page-up/down moves in a full-height list. */
size_t tui_list_page(tui_app *app);
/* Apply a movement action to a cursor over n rows; false if a is not one. */
bool tui_list_move(tui_cursor *c, size_t n, tui_action a, size_t page);

#endif
