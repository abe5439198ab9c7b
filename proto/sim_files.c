/* Small file helpers for the simulator: bounded reads, atomic replacement, and the
 * counters file's fixed-width text. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim_internal.h"

int mr_sim_path(char *out, size_t size, const char *dir, const char *name, mr_err *err)
{
    int n = snprintf(out, size, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= size)
        return mr_fail(err, "path too long: %.80s...", dir);
    return 0;
}

int mr_sim_read_small(const char *path, size_t max, char **text, size_t *len, mr_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mr_fail_errno(err, "cannot open %s", path);
    char *buf = malloc(max + 2);
    if (!buf) {
        close(fd);
        return mr_fail(err, "out of memory");
    }
    size_t got = 0;
    for (;;) {
        ssize_t r = read(fd, buf + got, max + 1 - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int saved = errno;
            free(buf);
            close(fd);
            errno = saved;
            return mr_fail_errno(err, "cannot read %s", path);
        }
        if (r == 0)
            break;
        got += (size_t)r;
        if (got > max) {
            free(buf);
            close(fd);
            errno = EFBIG;
            return mr_fail(err, "%s is larger than %zu bytes; it is not what mpromfs wrote", path, max);
        }
    }
    close(fd);
    buf[got] = '\0';
    *text = buf;
    *len = got;
    return 0;
}

int mr_sim_write_atomic(const char *dir, const char *name, const void *data, size_t len, mr_err *err)
{
    char path[4096], tmp[4096];
    if (mr_sim_path(path, sizeof path, dir, name, err))
        return -1;
    int n = snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof tmp)
        return mr_fail(err, "path too long: %.80s...", dir);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return mr_fail_errno(err, "cannot create %s", tmp);
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            mr_fail_errno(err, "cannot write %s", tmp);
            close(fd);
            unlink(tmp);
            return -1;
        }
        p += w;
        left -= (size_t)w;
    }
    int synced = fsync(fd);
    if (close(fd) || synced) {
        mr_fail_errno(err, "cannot write %s", tmp);
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, path)) {
        mr_fail_errno(err, "cannot replace %s", path);
        unlink(tmp);
        return -1;
    }
    return 0;
}

static const char *const ctr_names[5] = {"erases", "erased_bytes", "writes", "written_bytes",
                                         "completes"};

static uint64_t *ctr_field(mr_sim_counters *c, int f)
{
    switch (f) {
    case 0: return &c->erases;
    case 1: return &c->erased_bytes;
    case 2: return &c->writes;
    case 3: return &c->written_bytes;
    default: return &c->completes;
    }
}

size_t mr_sim_counters_format(unsigned nparts, const mr_sim_counters *c, char *out, size_t size)
{
    size_t n = 0;
    int w = snprintf(out, size, "# what reached the simulated flash (mpromfs sim reset-counters)\n");
    if (w < 0 || (size_t)w >= size)
        return 0;
    n = (size_t)w;
    for (unsigned i = 0; i < nparts; i++)
        for (int f = 0; f < 5; f++) {
            mr_sim_counters tmp = c[i];
            w = snprintf(out + n, size - n, "part%u.%s=%020" PRIu64 "\n", i, ctr_names[f],
                         *ctr_field(&tmp, f));
            if (w < 0 || (size_t)w >= size - n)
                return 0;
            n += (size_t)w;
        }
    return n;
}

int mr_sim_counters_parse(const char *text, size_t len, unsigned nparts, mr_sim_counters *out,
                          mr_err *err)
{
    memset(out, 0, sizeof *out * nparts);
    size_t pos = 0;
    unsigned line = 0;
    while (pos < len) {
        line++;
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        char buf[128];
        size_t n = end - pos;
        if (n >= sizeof buf)
            return mr_fail(err, "counters line %u is too long", line);
        memcpy(buf, text + pos, n);
        buf[n] = '\0';
        pos = end + 1;
        if (!buf[0] || buf[0] == '#')
            continue;
        unsigned idx;
        char name[32];
        char num[32];
        int used = 0;
        if (sscanf(buf, "part%1u.%31[a-z_]=%31[0-9]%n", &idx, name, num, &used) != 3 ||
            (size_t)used != n || idx >= nparts)
            return mr_fail(err, "counters line %u is not partN.counter=number: '%.60s'", line, buf);
        int f = -1;
        for (int i = 0; i < 5; i++)
            if (strcmp(name, ctr_names[i]) == 0)
                f = i;
        if (f < 0)
            return mr_fail(err, "counters line %u: unknown counter '%s'", line, name);
        errno = 0;
        char *e;
        unsigned long long v = strtoull(num, &e, 10);
        if (errno || *e)
            return mr_fail(err, "counters line %u: '%s' is out of range", line, num);
        *ctr_field(&out[idx], f) = v;
    }
    return 0;
}

int mr_sim_counters_load(const char *dir, unsigned nparts, mr_sim_counters *out, mr_err *err)
{
    char path[4096];
    if (mr_sim_path(path, sizeof path, dir, "counters", err))
        return -1;
    char *text;
    size_t len;
    if (mr_sim_read_small(path, 8192, &text, &len, err)) {
        if (errno == ENOENT) {
            memset(out, 0, sizeof *out * nparts);
            return 0;
        }
        return -1;
    }
    int rc = mr_sim_counters_parse(text, len, nparts, out, err);
    free(text);
    return rc ? mr_wrap(err, "%s", dir) : 0;
}

/* Rewritten in place, not renamed: a process that has the board open (sim serve)
 * keeps its descriptor of this file and must see the new values. */
int mr_sim_counters_save(const char *dir, unsigned nparts, const mr_sim_counters *c, mr_err *err)
{
    char text[4096], path[4096];
    size_t n = mr_sim_counters_format(nparts, c, text, sizeof text);
    if (!n)
        return mr_fail(err, "counters do not fit");
    if (mr_sim_path(path, sizeof path, dir, "counters", err))
        return -1;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return mr_fail_errno(err, "cannot open %s", path);
    int bad = pwrite(fd, text, n, 0) != (ssize_t)n || ftruncate(fd, (off_t)n) != 0;
    if (close(fd) || bad)
        return mr_fail_errno(err, "cannot write %s", path);
    return 0;
}
