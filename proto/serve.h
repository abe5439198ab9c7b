/* `mpromfs sim serve`: a simulated board (sim:DIR) answering on a pseudo-terminal
 * like a MicroPython board, so that mpremote and mpromfs's serial backend can talk to
 * it as to real hardware. The link faults of the board's descriptor apply: a baud
 * rate paces both directions, "stop after N bytes" silences the board; a power cut
 * closes the pty (what was written stays in DIR). */
#ifndef MR_SERVE_H
#define MR_SERVE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "py.h"

typedef struct serve_opts {
    const char *dir;
    const char *link;       /* symlink kept pointing at the pty while serving; may be NULL */
    uint32_t baud;          /* 0: the descriptor's link baud, if any, else unthrottled */
    py_caps caps;           /* what the firmware offers */
    FILE *log;              /* one line per program run, and why it stopped; may be NULL */
    FILE *announce;         /* where the pty path is printed (stdout) */
} serve_opts;

/* The board as the interpreter sees it, over the simulator of DIR. */
struct mr_sim;
extern const py_board_ops serve_sim_board_ops;

/* Serve until SIGINT/SIGTERM (returns 0) or a power cut (returns -1 saying so). */
int serve_run(const serve_opts *o, mr_err *err);

#endif
