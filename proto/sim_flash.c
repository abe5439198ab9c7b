/* The simulated board's flash: partitions mapped MAP_SHARED from DIR/partN.bin, with
 * NOR rules (erase whole units to 0xff, writes AND into the cells, aligned writes,
 * read-only partitions) answered as negative errnos like a port's rom_ioctl. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim_internal.h"

/* ---- creating a board ----------------------------------------------------------- */

static int create_part_file(const char *dir, unsigned i, uint64_t size, mr_err *err)
{
    char name[32], path[4096];
    snprintf(name, sizeof name, "part%u.bin", i);
    if (mr_sim_path(path, sizeof path, dir, name, err))
        return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return mr_fail_errno(err, "cannot create %s", path);
    static uint8_t ff[65536];
    memset(ff, 0xff, sizeof ff);
    for (uint64_t done = 0; done < size;) {
        size_t n = size - done < sizeof ff ? (size_t)(size - done) : sizeof ff;
        ssize_t w = write(fd, ff, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            mr_fail_errno(err, "cannot write %s", path);
            close(fd);
            return -1;
        }
        done += (uint64_t)w;
    }
    if (close(fd))
        return mr_fail_errno(err, "cannot write %s", path);
    return 0;
}

/* Undo a create that failed halfway: no half-made board is left behind. */
static void remove_created(const char *dir, unsigned nparts, bool made_dir)
{
    char name[32], path[4096];
    mr_err ignored;
    for (unsigned i = 0; i < nparts; i++) {
        snprintf(name, sizeof name, "part%u.bin", i);
        if (mr_sim_path(path, sizeof path, dir, name, &ignored) == 0)
            unlink(path);
    }
    if (mr_sim_path(path, sizeof path, dir, "counters", &ignored) == 0)
        unlink(path);
    if (made_dir)
        rmdir(dir);
}

int mr_sim_create(const char *dir, const mr_sim_conf *conf, mr_err *err)
{
    if (mr_sim_conf_check(conf, err))
        return -1;
    bool made_dir = mkdir(dir, 0755) == 0;
    if (!made_dir && errno != EEXIST)
        return mr_fail_errno(err, "cannot create directory %s", dir);
    char path[4096];
    if (mr_sim_path(path, sizeof path, dir, "board.conf", err))
        return -1;
    if (access(path, F_OK) == 0)
        return mr_fail(err, "%s already holds a simulated board; remove it first or use another "
                       "directory", dir);
    mr_sim_counters zero[MR_SIM_MAX_PARTS];
    memset(zero, 0, sizeof zero);
    for (unsigned i = 0; i < conf->nparts; i++)
        if (create_part_file(dir, i, conf->part[i].size, err))
            goto fail;
    /* The descriptor last: a board exists only once everything it names does. */
    if (mr_sim_counters_save(dir, conf->nparts, zero, err) || mr_sim_conf_save(dir, conf, err))
        goto fail;
    return 0;
fail:
    remove_created(dir, conf->nparts, made_dir);
    return -1;
}

/* ---- opening ---------------------------------------------------------------------- */

static int map_part(mr_sim *sim, unsigned i, mr_err *err)
{
    char name[32], path[4096];
    snprintf(name, sizeof name, "part%u.bin", i);
    if (mr_sim_path(path, sizeof path, sim->dir, name, err))
        return -1;
    const mr_sim_part_conf *p = &sim->conf.part[i];
    int fd = open(path, (p->writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (fd < 0)
        return mr_fail_errno(err, "cannot open %s", path);
    struct stat st;
    if (fstat(fd, &st)) {
        mr_fail_errno(err, "cannot stat %s", path);
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size != p->size) {
        close(fd);
        return mr_fail(err, "%s is %jd bytes but board.conf says partition %u has %" PRIu64
                       "; the board is damaged (recreate it with mpromfs sim create)",
                       path, (intmax_t)st.st_size, i, p->size);
    }
    void *m = mmap(NULL, (size_t)p->size, p->writable ? PROT_READ | PROT_WRITE : PROT_READ,
                   MAP_SHARED, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return mr_fail_errno(err, "cannot map %s", path);
    sim->map[i] = m;
    return 0;
}

int mr_sim_open(const char *dir, mr_sim **out, mr_err *err)
{
    mr_sim *sim = calloc(1, sizeof *sim);
    if (!sim)
        return mr_fail(err, "out of memory");
    sim->ctr_fd = -1;
    int n = snprintf(sim->dir, sizeof sim->dir, "%s", dir);
    if (n < 0 || (size_t)n >= sizeof sim->dir) {
        free(sim);
        return mr_fail(err, "path too long: %.80s...", dir);
    }
    char path[4096];
    if (mr_sim_conf_load(dir, &sim->conf, err) ||
        mr_sim_path(path, sizeof path, dir, "board.conf", err))
        goto fail;
    if (stat(path, &sim->conf_stat)) {
        mr_fail_errno(err, "cannot stat %s", path);
        goto fail;
    }
    for (unsigned i = 0; i < sim->conf.nparts; i++)
        if (map_part(sim, i, err))
            goto fail;
    if (mr_sim_counters_load(dir, sim->conf.nparts, sim->ctr, err)) {
        mr_wrap(err, "the counters are damaged ('mpromfs sim reset-counters %s' rewrites them)", dir);
        goto fail;
    }
    if (mr_sim_path(path, sizeof path, dir, "counters", err))
        goto fail;
    sim->ctr_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (sim->ctr_fd < 0) {
        mr_fail_errno(err, "cannot open %s", path);
        goto fail;
    }
    *out = sim;
    return 0;
fail:
    mr_sim_close(sim);
    return -1;
}

void mr_sim_close(mr_sim *sim)
{
    if (!sim)
        return;
    for (unsigned i = 0; i < MR_SIM_MAX_PARTS; i++)
        if (sim->map[i])
            munmap(sim->map[i], (size_t)sim->conf.part[i].size);
    if (sim->ctr_fd >= 0)
        close(sim->ctr_fd);
    free(sim);
}

const char *mr_sim_dir(const mr_sim *sim) { return sim->dir; }
const mr_sim_conf *mr_sim_config(const mr_sim *sim) { return &sim->conf; }
unsigned mr_sim_nparts(const mr_sim *sim) { return sim->conf.nparts; }
const char *mr_sim_why(const mr_sim *sim) { return sim->why; }
bool mr_sim_powered_off(const mr_sim *sim) { return sim->dead; }

const uint8_t *mr_sim_bytes(const mr_sim *sim, unsigned part)
{
    return part < sim->conf.nparts ? sim->map[part] : NULL;
}

const mr_sim_counters *mr_sim_part_counters(const mr_sim *sim, unsigned part)
{
    return part < sim->conf.nparts ? &sim->ctr[part] : NULL;
}

uint64_t mr_sim_total_writes(const mr_sim *sim)
{
    uint64_t t = 0;
    for (unsigned i = 0; i < sim->conf.nparts; i++)
        t += sim->ctr[i].writes;
    return t;
}

/* ---- the rules ---------------------------------------------------------------------- */

static int refuse(mr_sim *sim, int rc, const char *fmt, ...) MR_PRINTF(3, 4);
static int refuse(mr_sim *sim, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sim->why, sizeof sim->why, fmt, ap);
    va_end(ap);
    return rc;
}

/* The checks every operation shares: power, partition, range. */
static int check_range(mr_sim *sim, unsigned part, uint64_t off, uint64_t len)
{
    sim->why[0] = '\0';
    if (sim->dead)
        return refuse(sim, MR_SIM_POWER_CUT, "the board has no power (simulated power cut)");
    if (part >= sim->conf.nparts)
        return refuse(sim, -EINVAL, "partition %u does not exist", part);
    uint64_t size = sim->conf.part[part].size;
    if (off > size || len > size - off)
        return refuse(sim, -EINVAL, "0x%" PRIx64 "+0x%" PRIx64 " is outside the partition (0x%"
                      PRIx64 " bytes)", off, len, size);
    return 0;
}

/* Another process may have reset the counters (or counted on the same board) since
 * the last operation: start from what is on disk. */
static void reload_counters(mr_sim *sim)
{
    char text[8193];
    ssize_t n = pread(sim->ctr_fd, text, sizeof text - 1, 0);
    if (n < 0 || (size_t)n >= sizeof text - 1)
        return;
    mr_sim_counters now[MR_SIM_MAX_PARTS];
    mr_err ignored;
    if (mr_sim_counters_parse(text, (size_t)n, sim->conf.nparts, now, &ignored) == 0)
        memcpy(sim->ctr, now, sizeof now[0] * sim->conf.nparts);
}

static void save_counters(mr_sim *sim)
{
    char text[4096];
    size_t n = mr_sim_counters_format(sim->conf.nparts, sim->ctr, text, sizeof text);
    /* Same length every time, so rewriting in place never leaves a stale tail. A
     * failure here only loses statistics, never flash contents: not worth failing the
     * operation that already happened. */
    if (n && pwrite(sim->ctr_fd, text, n, 0) == (ssize_t)n)
        (void)!ftruncate(sim->ctr_fd, (off_t)n);
}

int mr_sim_read(mr_sim *sim, unsigned part, uint64_t off, uint8_t *buf, size_t len)
{
    int rc = check_range(sim, part, off, len);
    if (rc)
        return rc;
    if (len)
        memcpy(buf, sim->map[part] + off, len);
    return 0;
}

int mr_sim_erase(mr_sim *sim, unsigned part, uint64_t off, uint64_t len)
{
    int rc = check_range(sim, part, off, len);
    if (rc)
        return rc;
    const mr_sim_part_conf *p = &sim->conf.part[part];
    if (!p->writable)
        return refuse(sim, -EINVAL, "partition %u is read-only", part);
    if (off % p->erase_unit || len % p->erase_unit)
        return refuse(sim, -EINVAL, "0x%" PRIx64 "+0x%" PRIx64 " is not on erase-unit boundaries "
                      "(0x%" PRIx32 ")", off, len, p->erase_unit);
    if (!len)
        return 0;
    reload_counters(sim);
    memset(sim->map[part] + off, 0xff, (size_t)len);
    sim->ctr[part].erases++;
    sim->ctr[part].erased_bytes += len;
    save_counters(sim);
    return 0;
}

int mr_sim_write(mr_sim *sim, unsigned part, uint64_t off, const uint8_t *data, size_t len)
{
    int rc = check_range(sim, part, off, len);
    if (rc)
        return rc;
    const mr_sim_part_conf *p = &sim->conf.part[part];
    if (!p->writable)
        return refuse(sim, -EINVAL, "partition %u is read-only", part);
    if (off % p->write_min)
        return refuse(sim, -EINVAL, "offset 0x%" PRIx64 " is not a multiple of the minimum write "
                      "size (%" PRIu32 ")", off, p->write_min);
    if (len % p->write_min)
        return refuse(sim, -EINVAL, "length %zu is not a multiple of the minimum write size (%"
                      PRIu32 ")", len, p->write_min);
    if (!len)
        return 0;
    reload_counters(sim);
    mr_sim_refresh_faults(sim);
    uint64_t number = mr_sim_total_writes(sim) + 1;
    mr_sim_faults *f = &sim->conf.faults;
    if (f->power_cut_at_write && number >= f->power_cut_at_write) {
        sim->dead = true;
        f->power_cut_at_write = 0;
        mr_err ignored;
        (void)mr_sim_save_faults(sim, &ignored); /* the next boot is a normal one */
        return refuse(sim, MR_SIM_POWER_CUT, "power cut by the injected fault (board write #%"
                      PRIu64 " did not happen)", number);
    }
    size_t flip = (size_t)-1;
    if (f->corrupt_write && number == f->corrupt_write) {
        flip = len / 2;
        f->corrupt_write = 0;
        mr_err ignored;
        (void)mr_sim_save_faults(sim, &ignored);
    }
    uint8_t *cell = sim->map[part] + off;
    for (size_t i = 0; i < len; i++)
        cell[i] &= (uint8_t)(i == flip ? data[i] ^ 0x10 : data[i]);
    sim->ctr[part].writes++;
    sim->ctr[part].written_bytes += len;
    save_counters(sim);
    return 0;
}

int mr_sim_complete(mr_sim *sim, unsigned part)
{
    int rc = check_range(sim, part, 0, 0);
    if (rc)
        return rc;
    if (!sim->conf.part[part].writable)
        return refuse(sim, -EINVAL, "partition %u is read-only", part);
    /* A port flushes caches here; the simulator makes the bytes durable. */
    msync(sim->map[part], (size_t)sim->conf.part[part].size, MS_SYNC);
    reload_counters(sim);
    sim->ctr[part].completes++;
    save_counters(sim);
    return 0;
}

int mr_sim_load(const char *dir, unsigned part, const uint8_t *data, size_t len, mr_err *err)
{
    mr_sim_conf conf;
    if (mr_sim_conf_load(dir, &conf, err))
        return -1;
    if (part >= conf.nparts)
        return mr_fail(err, "partition %u does not exist (the board has %u)", part, conf.nparts);
    const mr_sim_part_conf *p = &conf.part[part];
    if (len > p->size)
        return mr_fail(err, "%zu bytes do not fit in partition %u (%" PRIu64 " bytes)", len, part,
                       p->size);
    char name[32], path[4096];
    snprintf(name, sizeof name, "part%u.bin", part);
    if (mr_sim_path(path, sizeof path, dir, name, err))
        return -1;
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return mr_fail_errno(err, "cannot open %s", path);
    /* erased units first, then the data over them */
    uint64_t span = (len + p->erase_unit - 1) / p->erase_unit * p->erase_unit;
    uint8_t *buf = malloc(span ? (size_t)span : 1);
    if (!buf) {
        close(fd);
        return mr_fail(err, "out of memory");
    }
    memset(buf, 0xff, (size_t)span);
    if (len)
        memcpy(buf, data, len);
    size_t done = 0;
    while (done < span) {
        ssize_t w = pwrite(fd, buf + done, (size_t)span - done, (off_t)done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            mr_fail_errno(err, "cannot write %s", path);
            free(buf);
            close(fd);
            return -1;
        }
        done += (size_t)w;
    }
    free(buf);
    int synced = fsync(fd);
    if (close(fd) || synced)
        return mr_fail_errno(err, "cannot write %s", path);
    return 0;
}

int mr_sim_reset_counters(const char *dir, mr_err *err)
{
    mr_sim_conf conf;
    mr_sim_counters c[MR_SIM_MAX_PARTS];
    if (mr_sim_conf_load(dir, &conf, err))
        return -1;
    mr_err ignored;
    /* Damaged counters are what this repairs: count from zero then. */
    if (mr_sim_counters_load(dir, conf.nparts, c, &ignored))
        memset(c, 0, sizeof c);
    uint64_t total = 0;
    for (unsigned i = 0; i < conf.nparts; i++)
        total += c[i].writes;
    /* Keep "after N more writes" true when the write numbers restart from zero. */
    mr_sim_faults *f = &conf.faults;
    if (f->power_cut_at_write)
        f->power_cut_at_write = f->power_cut_at_write > total ? f->power_cut_at_write - total : 1;
    if (f->corrupt_write)
        f->corrupt_write = f->corrupt_write > total ? f->corrupt_write - total : 0;
    memset(c, 0, sizeof c);
    if (mr_sim_counters_save(dir, conf.nparts, c, err))
        return -1;
    return mr_sim_conf_save(dir, &conf, err);
}
