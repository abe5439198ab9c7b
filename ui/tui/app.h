/* Entry point of the partition manager, called by `mpromfs tui` (and by mpromfs
 * with no command). */
#ifndef TUI_APP_H
#define TUI_APP_H

#include "error.h"

typedef struct tui_options {
    const char *device;     /* -d DEV; NULL: auto, else the built-in simulated board */
    const char *dir;        /* local pane's first directory; NULL: the current one */
    const char *argv0;      /* to find examples/app next to the binary */
} tui_options;

/* Runs until the user quits. Returns 0, or -1 with a message (the terminal is
 * already restored when it returns). */
int tui_run(const tui_options *opts, mr_err *err);

#endif
