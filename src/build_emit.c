/* Phase 3 of the builder: the plan streamed to a sink. File data is copied in
 * bounded chunks, so memory does not grow with the tree; a file whose size changed
 * since the scan stops the build rather than producing an image that lies. */
#include "build.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK (1u << 20)

static int copy_file(const mr_node *nd, uint64_t len, mr_sink *sink, uint8_t **buf, mr_err *err)
{
    int fd = open(nd->src, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mr_fail_errno(err, "cannot read %s", nd->src);
    struct stat st;
    int rc = 0;
    if (fstat(fd, &st) != 0) {
        rc = mr_fail_errno(err, "cannot read %s", nd->src);
    } else if ((uint64_t)st.st_size != nd->size || len != nd->size) {
        rc = mr_fail(err, "%s changed size during the build (%llu bytes when scanned, %llu now): build again",
                     nd->src, (unsigned long long)nd->size, (unsigned long long)st.st_size);
    } else if (!*buf && len && !(*buf = malloc(CHUNK))) {
        rc = mr_fail(err, "out of memory");
    }
    uint64_t done = 0;
    while (rc == 0 && done < len) {
        size_t want = len - done < CHUNK ? (size_t)(len - done) : CHUNK;
        ssize_t got = read(fd, *buf, want);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            rc = mr_fail_errno(err, "cannot read %s", nd->src);
        } else if (got == 0) {
            rc = mr_fail(err, "%s changed size during the build (%llu bytes when scanned, ended after %llu): build again",
                         nd->src, (unsigned long long)len, (unsigned long long)done);
        } else {
            done += (uint64_t)got;
            rc = sink->write(sink, *buf, (size_t)got, err);
        }
    }
    if (rc == 0) {
        /* nothing may follow the size we planned for */
        uint8_t extra;
        ssize_t got;
        while ((got = read(fd, &extra, 1)) < 0 && errno == EINTR)
            ;
        if (got > 0)
            rc = mr_fail(err, "%s changed size during the build (grew past %llu bytes): build again", nd->src,
                         (unsigned long long)len);
    }
    close(fd);
    return rc;
}

static int write_zeros(mr_sink *sink, uint64_t len, mr_err *err)
{
    static const uint8_t zeros[4096];
    for (uint64_t left = len; left;) {
        size_t n = left < sizeof zeros ? (size_t)left : sizeof zeros;
        if (sink->write(sink, zeros, n, err))
            return -1;
        left -= n;
    }
    return 0;
}

int mr_emit(const mr_plan *plan, const mr_tree *tree, mr_sink *sink, mr_err *err)
{
    uint8_t *buf = NULL;
    int rc = 0;
    for (size_t i = 0; i < plan->count && rc == 0; i++) {
        const mr_item *it = &plan->items[i];
        if (it->kind == MR_ITEM_BYTES)
            rc = sink->write(sink, plan->lit + it->lit, (size_t)it->len, err);
        else if (it->kind == MR_ITEM_ZEROS)
            rc = write_zeros(sink, it->len, err);
        else if (it->node >= tree->count || tree->nodes[it->node].is_dir)
            rc = mr_fail(err, "internal error: plan item %zu has no file", i);
        else
            rc = copy_file(&tree->nodes[it->node], it->len, sink, &buf, err);
    }
    free(buf);
    return rc;
}

/* ---- sinks ------------------------------------------------------------------ */

typedef struct mem_sink {
    mr_sink base;
    uint8_t *buf;
    size_t len, cap;
} mem_sink;

static int mem_write(mr_sink *s, const void *p, size_t n, mr_err *err)
{
    mem_sink *m = (mem_sink *)s;
    if (n > m->cap - m->len)
        return mr_fail(err, "internal error: the image outgrew its plan (%zu bytes)", m->cap);
    memcpy(m->buf + m->len, p, n);
    m->len += n;
    return 0;
}

int mr_emit_memory(const mr_plan *plan, const mr_tree *tree, uint8_t **out, size_t *len, mr_err *err)
{
    if (plan->size > SIZE_MAX - 1)
        return mr_fail(err, "the image (%llu bytes) does not fit in memory", (unsigned long long)plan->size);
    mem_sink m = {.base = {mem_write}, .cap = (size_t)plan->size};
    if (!(m.buf = malloc(m.cap ? m.cap : 1)))
        return mr_fail(err, "out of memory for a %zu-byte image", m.cap);
    if (mr_emit(plan, tree, &m.base, err) || m.len != m.cap) {
        if (m.len != m.cap && !err->msg[0])
            mr_fail(err, "internal error: the image is shorter than its plan");
        free(m.buf);
        return -1;
    }
    *out = m.buf;
    *len = m.len;
    return 0;
}

static int fd_flush(mr_fd_sink *f, mr_err *err)
{
    size_t off = 0;
    while (off < f->used) {
        ssize_t w = write(f->fd, f->buf + off, f->used - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return mr_fail_errno(err, "cannot write %s", f->name);
        }
        off += (size_t)w;
    }
    f->used = 0;
    return 0;
}

static int fd_write(mr_sink *s, const void *p, size_t n, mr_err *err)
{
    mr_fd_sink *f = (mr_fd_sink *)s;
    if (n <= sizeof f->buf - f->used) {
        memcpy(f->buf + f->used, p, n);
        f->used += n;
        return 0;
    }
    if (fd_flush(f, err))
        return -1;
    if (n <= sizeof f->buf) {
        memcpy(f->buf, p, n);
        f->used = n;
        return 0;
    }
    /* large chunks of file data go straight through */
    const uint8_t *q = p;
    while (n) {
        ssize_t w = write(f->fd, q, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return mr_fail_errno(err, "cannot write %s", f->name);
        }
        q += w;
        n -= (size_t)w;
    }
    return 0;
}

void mr_fd_sink_init(mr_fd_sink *f, int fd, const char *name)
{
    f->base.write = fd_write;
    f->fd = fd;
    f->name = name;
    f->used = 0;
}

int mr_fd_sink_finish(mr_fd_sink *f, mr_err *err)
{
    return fd_flush(f, err);
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static bool is_under(const char *p, const char *d)
{
    size_t n = strlen(d);
    if (strcmp(d, "/") == 0)
        return true;
    return strncmp(p, d, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

int mr_path_inside(const char *out, const char *dir, bool *inside, mr_err *err)
{
    char *rdir = realpath(dir, NULL);
    if (!rdir)
        return mr_fail_errno(err, "cannot resolve %s", dir);
    const char *base = strrchr(out, '/') ? strrchr(out, '/') + 1 : out;
    char *target = NULL;
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        target = realpath(out, NULL); /* names a directory: resolve it whole */
        if (!target)
            mr_fail_errno(err, "cannot write %s", out);
    } else {
        char *odir = dir_of(out);
        char *rodir = odir ? realpath(odir, NULL) : NULL;
        if (!rodir)
            mr_fail_errno(err, "cannot write %s: directory %s", out, odir ? odir : "?");
        else if ((target = malloc(strlen(rodir) + strlen(base) + 2)))
            sprintf(target, "%s/%s", strcmp(rodir, "/") == 0 ? "" : rodir, base);
        else
            mr_fail(err, "out of memory");
        free(rodir);
        free(odir);
    }
    bool ok = target != NULL;
    if (ok)
        *inside = is_under(target, rdir);
    free(target);
    free(rdir);
    return ok ? 0 : -1;
}

int mr_emit_file(const mr_plan *plan, const mr_tree *tree, const char *out, mr_err *err)
{
    bool inside = false; /* a tree built from a list (OpenMV config) has no root */
    if (tree->root && mr_path_inside(out, tree->root, &inside, err))
        return -1;
    if (inside)
        return mr_fail(err, "output %s is inside the source directory %s: write it elsewhere", out, tree->root);
    size_t n = strlen(out);
    char *tmp = malloc(n + 48);
    if (!tmp)
        return mr_fail(err, "out of memory");
    int fd = -1;
    for (unsigned k = 0; k < 100 && fd < 0; k++) {
        snprintf(tmp, n + 48, "%s.tmp-%ld-%u", out, (long)getpid(), k);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        mr_fail_errno(err, "cannot create %s", out);
        free(tmp);
        return -1;
    }
    mr_fd_sink f;
    mr_fd_sink_init(&f, fd, out);
    int rc = mr_emit(plan, tree, &f.base, err);
    if (rc == 0)
        rc = mr_fd_sink_finish(&f, err);
    if (close(fd) != 0 && rc == 0)
        rc = mr_fail_errno(err, "cannot write %s", out);
    if (rc == 0 && rename(tmp, out) != 0)
        rc = mr_fail_errno(err, "cannot write %s", out);
    if (rc)
        unlink(tmp);
    free(tmp);
    return rc;
}

int mr_build_memory(const char *dir, const mr_scan_opts *opts, uint8_t **out, size_t *len, mr_err *err)
{
    mr_tree tree;
    if (mr_tree_scan(&tree, dir, opts, err))
        return -1;
    mr_plan plan;
    int rc = mr_plan_default(&plan, &tree, err);
    if (rc == 0) {
        rc = mr_emit_memory(&plan, &tree, out, len, err);
        mr_plan_free(&plan);
    }
    mr_tree_free(&tree);
    return rc;
}
