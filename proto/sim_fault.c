/* Fault injection for the simulated board: armed in board.conf so that a test can set
 * a fault with one process (mpromfs sim fault) and watch another (a deploy) hit it. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sim_internal.h"

void mr_sim_refresh_faults(mr_sim *sim)
{
    char path[4096];
    mr_err err;
    struct stat st;
    if (mr_sim_path(path, sizeof path, sim->dir, "board.conf", &err) || stat(path, &st))
        return;
    if (st.st_ino == sim->conf_stat.st_ino && st.st_size == sim->conf_stat.st_size &&
        st.st_mtim.tv_sec == sim->conf_stat.st_mtim.tv_sec &&
        st.st_mtim.tv_nsec == sim->conf_stat.st_mtim.tv_nsec)
        return;
    mr_sim_conf now;
    if (mr_sim_conf_load(sim->dir, &now, &err))
        return; /* a damaged descriptor does not change a running board */
    sim->conf.faults = now.faults; /* the geometry is fixed while the board is open */
    sim->conf_stat = st;
}

int mr_sim_save_faults(mr_sim *sim, mr_err *err)
{
    if (mr_sim_conf_save(sim->dir, &sim->conf, err))
        return -1;
    char path[4096];
    if (mr_sim_path(path, sizeof path, sim->dir, "board.conf", err) == 0)
        stat(path, &sim->conf_stat);
    return 0;
}

/* Load, change, save: the counters give "now" for write-numbered faults. */
static int with_conf(const char *dir, mr_sim_conf *conf, uint64_t *total, mr_err *err)
{
    mr_sim_counters c[MR_SIM_MAX_PARTS];
    if (mr_sim_conf_load(dir, conf, err) || mr_sim_counters_load(dir, conf->nparts, c, err))
        return -1;
    *total = 0;
    for (unsigned i = 0; i < conf->nparts; i++)
        *total += c[i].writes;
    return 0;
}

int mr_sim_fault_power_cut(const char *dir, uint64_t after_writes, mr_err *err)
{
    mr_sim_conf conf;
    uint64_t total;
    if (with_conf(dir, &conf, &total, err))
        return -1;
    if (after_writes > UINT64_MAX - total - 1)
        return mr_fail(err, "%" PRIu64 " writes is too many", after_writes);
    conf.faults.power_cut_at_write = total + after_writes + 1;
    return mr_sim_conf_save(dir, &conf, err);
}

int mr_sim_fault_corrupt(const char *dir, uint64_t nth_write, mr_err *err)
{
    if (nth_write == 0)
        return mr_fail(err, "the write to corrupt counts from 1 (the next write)");
    mr_sim_conf conf;
    uint64_t total;
    if (with_conf(dir, &conf, &total, err))
        return -1;
    if (nth_write > UINT64_MAX - total)
        return mr_fail(err, "write %" PRIu64 " is too far away", nth_write);
    conf.faults.corrupt_write = total + nth_write;
    return mr_sim_conf_save(dir, &conf, err);
}

int mr_sim_fault_link(const char *dir, bool set_stop, uint64_t stop_after, bool set_baud,
                      uint32_t baud, mr_err *err)
{
    mr_sim_conf conf;
    uint64_t total;
    if (with_conf(dir, &conf, &total, err))
        return -1;
    if (set_stop)
        conf.faults.link_stop_after = stop_after;
    if (set_baud)
        conf.faults.link_baud = baud;
    return mr_sim_conf_save(dir, &conf, err);
}

int mr_sim_fault_clear(const char *dir, mr_err *err)
{
    mr_sim_conf conf;
    uint64_t total;
    if (with_conf(dir, &conf, &total, err))
        return -1;
    memset(&conf.faults, 0, sizeof conf.faults);
    return mr_sim_conf_save(dir, &conf, err);
}

void mr_sim_fault_describe(const mr_sim_faults *f, uint64_t total_writes, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
#define ADD(...)                                                              \
    do {                                                                      \
        int w_ = snprintf(out + n, size - n, "%s", n ? "; " : "");            \
        if (w_ > 0 && (size_t)w_ < size - n)                                  \
            n += (size_t)w_;                                                  \
        w_ = snprintf(out + n, size - n, __VA_ARGS__);                        \
        if (w_ > 0 && (size_t)w_ < size - n)                                  \
            n += (size_t)w_;                                                  \
    } while (0)
    if (f->power_cut_at_write) {
        uint64_t left = f->power_cut_at_write > total_writes ? f->power_cut_at_write - total_writes - 1 : 0;
        ADD("power cut after %" PRIu64 " more write%s (write %" PRIu64 " does not happen)", left,
            left == 1 ? "" : "s", f->power_cut_at_write);
    }
    if (f->corrupt_write) {
        if (f->corrupt_write > total_writes)
            ADD("write %" PRIu64 " from now (1 = the next) stores a flipped bit",
                f->corrupt_write - total_writes);
        else
            ADD("corrupt write %" PRIu64 " already passed", f->corrupt_write);
    }
    if (f->link_stop_after)
        ADD("link stops answering after %" PRIu64 " bytes", f->link_stop_after);
    if (f->link_baud)
        ADD("link slowed to %" PRIu32 " baud", f->link_baud);
#undef ADD
    if (!n)
        snprintf(out, size, "none");
}
