/* Which board the partition manager shows: -d DEV when given; else `auto` (the
 * first MicroPython board attached); else the built-in simulated board kept in the
 * user's state directory, created and preloaded with the example app on first use
 * so that a fresh machine shows something real. */
#ifndef TUI_BOARD_OPEN_H
#define TUI_BOARD_OPEN_H

#include <stddef.h>

#include "device.h"
#include "error.h"

/* note gets why auto found no board when the simulated one is used instead. */
int tui_open_board(const char *device, const char *exe_dir, mr_device **out, char *note, size_t note_cap,
                   mr_err *err);

/* $XDG_STATE_HOME/mpromfs/sim, or ~/.local/state/mpromfs/sim. */
int tui_default_sim_dir(char *out, size_t cap, mr_err *err);
/* Create the simulated board in dir (if it has none) with partition 0 holding the
 * example app found from exe_dir. */
int tui_sim_prepare(const char *dir, const char *exe_dir, mr_err *err);
/* Build the directory app into an image and write it to partition part. */
int tui_preload(mr_device *dev, unsigned part, const char *app, mr_err *err);

/* The directory holding the running binary ("" when unknown). */
void tui_find_exe_dir(const char *argv0, char *out, size_t cap);

#endif
