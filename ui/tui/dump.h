/* The display-dump hook, as tig's save-display: the screen's text rows written to
 * a file (UTF-8, trailing blanks trimmed), so tests compare whole screens. */
#ifndef TUI_DUMP_H
#define TUI_DUMP_H

#include "error.h"

/* Write stdscr's rows to path (via a temp file and rename). */
int tui_dump_screen(const char *path, mr_err *err);

#endif
