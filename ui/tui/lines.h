/* A growing list of text lines (what the inspector shows), each with the byte
 * offset it describes so that "go to offset" can find it. No ncurses. */
#ifndef TUI_LINES_H
#define TUI_LINES_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct tui_lines {
    char **v;
    uint64_t *off;      /* per line; UINT64_MAX when it describes no offset */
    size_t n, cap;
    int oom;            /* an add failed: the list is short */
} tui_lines;

void tui_lines_add(tui_lines *l, uint64_t off, const char *fmt, ...) MR_PRINTF(3, 4);
void tui_lines_free(tui_lines *l);
/* The last line whose offset is <= off (0 when none). */
size_t tui_lines_find(const tui_lines *l, uint64_t off);

#endif
