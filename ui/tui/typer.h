/* File types for the panes, through the core's libmagic wrapper (one database
 * loaded on first use), and the facts about the build the local pane marks need. */
#ifndef TUI_TYPER_H
#define TUI_TYPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* tui_typer_fn: the type of a host file (reads at most its first 16 KiB). */
char *tui_file_typer(void *ctx, const char *path);
/* tui_buf_typer_fn: the type of a file in an image. */
char *tui_buffer_typer(void *ctx, const char *name, const uint8_t *data, size_t len);
/* Release the libmagic database. */
void tui_typer_close(void);

/* Would a build compile .py files to .mpy (an mpy-cross is available)? */
bool tui_mpy_cross_available(void);

#endif
