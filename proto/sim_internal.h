/* Shared by the simulator's files (sim_*.c) only: the board's state and small
 * file helpers. Everything else uses sim.h. */
#ifndef MR_SIM_INTERNAL_H
#define MR_SIM_INTERNAL_H

#include <sys/stat.h>

#include "sim.h"

struct mr_sim {
    char dir[4096];
    mr_sim_conf conf;
    uint8_t *map[MR_SIM_MAX_PARTS];
    mr_sim_counters ctr[MR_SIM_MAX_PARTS];
    int ctr_fd;                 /* counters file, rewritten in place (fixed width) */
    struct stat conf_stat;      /* board.conf as last read: faults are re-read when it changes */
    bool dead;                  /* the power was cut */
    char why[256];
};

/* DIR/NAME into out, or a message when it does not fit. */
int mr_sim_path(char *out, size_t size, const char *dir, const char *name, mr_err *err);
/* Whole file, at most max bytes, NUL-terminated. On failure errno is kept for the caller. */
int mr_sim_read_small(const char *path, size_t max, char **text, size_t *len, mr_err *err);
/* DIR/NAME replaced atomically: written to a temp name, fsynced, renamed. */
int mr_sim_write_atomic(const char *dir, const char *name, const void *data, size_t len, mr_err *err);
/* Counters as fixed-width text (the same length whatever the values). */
size_t mr_sim_counters_format(unsigned nparts, const mr_sim_counters *c, char *out, size_t size);
int mr_sim_counters_parse(const char *text, size_t len, unsigned nparts, mr_sim_counters *out,
                          mr_err *err);
/* Re-read the faults when board.conf changed on disk (another process set one). */
void mr_sim_refresh_faults(mr_sim *sim);
/* Write the in-memory faults back to board.conf (a fault fired and is disarmed). */
int mr_sim_save_faults(mr_sim *sim, mr_err *err);

#endif
