/* Phase 1 of the builder: a source directory becomes a tree model. Mirrors what
 * mpremote's copy_recursively accepts (it follows symlinks with os.stat, sorts each
 * directory with sorted(), needs ASCII names) and rejects, with the path, what
 * mpremote would crash on or silently get wrong. */
#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"

typedef struct ancestor {
    dev_t dev;
    ino_t ino;
    const char *path;
    const struct ancestor *up;
} ancestor;

static char *join(const char *dir, const char *name, mr_err *err)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (!p) {
        mr_fail(err, "out of memory");
        return NULL;
    }
    memcpy(p, dir, a);
    memcpy(p + a, name, b + 1);
    return p;
}

static int cmp_name(const void *a, const void *b)
{
    /* ASCII names: byte order is Python's code-point order */
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* The sorted names of a directory, without "." and "..". */
static int list_dir(const char *path, char ***names_out, size_t *n_out, mr_err *err)
{
    DIR *d = opendir(path);
    if (!d)
        return mr_fail_errno(err, "cannot read directory %s", path);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **q = realloc(names, cap * sizeof *q);
            if (!q)
                goto oom;
            names = q;
        }
        if (!(names[n] = strdup(de->d_name)))
            goto oom;
        n++;
        errno = 0;
    }
    if (errno) {
        mr_fail_errno(err, "cannot read directory %s", path);
        closedir(d);
        free_names(names, n);
        return -1;
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_name);
    *names_out = names;
    *n_out = n;
    return 0;
oom:
    closedir(d);
    free_names(names, n);
    return mr_fail(err, "out of memory while reading %s", path);
}

static const char *special_kind(mode_t m)
{
    if (S_ISFIFO(m))
        return "a fifo";
    if (S_ISSOCK(m))
        return "a socket";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    return "not a regular file";
}

static int add_node(mr_tree *t, mr_err *err)
{
    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        mr_node *q = realloc(t->nodes, cap * sizeof *q);
        if (!q)
            return mr_fail(err, "out of memory");
        t->nodes = q;
        t->cap = cap;
    }
    memset(&t->nodes[t->count], 0, sizeof t->nodes[0]);
    t->count++;
    return 0;
}

static int check_name(const char *full, const char *name, size_t path_len, unsigned depth, mr_err *err)
{
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p >= 0x80)
            return mr_fail(err, "%s: the name is not ASCII; ROMFS names must be ASCII (rename the file)", full);
    if (depth >= MR_DEPTH_MAX)
        return mr_fail(err, "%s: nested deeper than %d directories", full, MR_DEPTH_MAX);
    if (path_len > MR_PATH_MAX)
        return mr_fail(err, "%s: path in the image would be longer than %d bytes", full, MR_PATH_MAX);
    return 0;
}

static int scan_dir(mr_tree *t, const mr_scan_opts *opts, const char *dir, size_t parent, unsigned depth,
                    size_t image_path_len, const ancestor *up, mr_err *err)
{
    char **names = NULL;
    size_t n = 0;
    if (list_dir(dir, &names, &n, err))
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *full = join(dir, names[i], err);
        if (!full) {
            rc = -1;
            break;
        }
        size_t plen = image_path_len + (image_path_len ? 1 : 0) + strlen(names[i]);
        struct stat st;
        if (check_name(full, names[i], plen, depth, err)) {
            rc = -1;
        } else if (stat(full, &st) != 0) {
            struct stat lst;
            if (errno == ELOOP)
                rc = mr_fail(err, "%s: symlink loop", full);
            else if (errno == ENOENT && lstat(full, &lst) == 0)
                rc = mr_fail(err, "%s: dangling symlink (its target does not exist)", full);
            else
                rc = mr_fail_errno(err, "cannot read %s", full);
        } else if (S_ISDIR(st.st_mode)) {
            for (const ancestor *a = up; a && rc == 0; a = a->up)
                if (a->dev == st.st_dev && a->ino == st.st_ino)
                    rc = mr_fail(err, "%s: symlink loop (it leads back to %s)", full, a->path);
            size_t idx = t->count;
            if (rc == 0 && (rc = add_node(t, err)) == 0) {
                mr_node *nd = &t->nodes[idx];
                nd->is_dir = true;
                nd->depth = depth;
                nd->parent = parent;
                nd->dev = st.st_dev;
                nd->ino = st.st_ino;
                nd->src = full;
                full = NULL;
                if (!(nd->name = strdup(names[i])))
                    rc = mr_fail(err, "out of memory");
                t->dirs++;
                char *sub = rc ? NULL : join(nd->src, "/", err);
                if (!sub) {
                    rc = -1;
                } else {
                    ancestor me = {st.st_dev, st.st_ino, t->nodes[idx].src, up};
                    rc = scan_dir(t, opts, sub, idx, depth + 1, plen, &me, err);
                    free(sub);
                }
                t->nodes[idx].end = t->count;
            }
        } else if (S_ISREG(st.st_mode)) {
            int fd = open(full, O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                rc = mr_fail_errno(err, "cannot read %s", full);
            } else {
                close(fd);
                size_t idx = t->count;
                if ((rc = add_node(t, err)) == 0) {
                    mr_node *nd = &t->nodes[idx];
                    nd->depth = depth;
                    nd->parent = parent;
                    nd->size = (uint64_t)st.st_size;
                    nd->dev = st.st_dev;
                    nd->ino = st.st_ino;
                    nd->end = idx + 1;
                    t->files++;
                    rc = mr_build_convert(t, opts, dir, names[i], names, n, nd, err);
                }
            }
        } else {
            rc = mr_fail(err, "%s is %s: only regular files and directories can go in an image", full,
                         special_kind(st.st_mode));
        }
        free(full);
    }
    free_names(names, n);
    return rc;
}

int mr_tree_scan(mr_tree *tree, const char *dir, const mr_scan_opts *opts, mr_err *err)
{
    memset(tree, 0, sizeof *tree);
    size_t n = strlen(dir);
    if (n == 0)
        return mr_fail(err, "no source directory given");
    tree->root = join(dir, n && dir[n - 1] == '/' ? "" : "/", err);
    if (!tree->root)
        return -1;
    struct stat st;
    if (stat(dir, &st) != 0) {
        mr_fail_errno(err, "cannot read source directory %s", dir);
        goto fail;
    }
    if (!S_ISDIR(st.st_mode)) {
        mr_fail(err, "%s is not a directory", dir);
        goto fail;
    }
    ancestor root = {st.st_dev, st.st_ino, dir, NULL};
    if (scan_dir(tree, opts, tree->root, MR_NO_NODE, 0, 0, &root, err) == 0)
        return 0;
fail:
    mr_tree_free(tree);
    return -1;
}

void mr_tree_free(mr_tree *tree)
{
    for (size_t i = 0; i < tree->count; i++) {
        if (tree->tmpdir && tree->nodes[i].converted && tree->nodes[i].src)
            unlink(tree->nodes[i].src);
        free(tree->nodes[i].name);
        free(tree->nodes[i].src);
    }
    free(tree->nodes);
    free(tree->root);
    if (tree->tmpdir)
        rmdir(tree->tmpdir);
    free(tree->tmpdir);
    memset(tree, 0, sizeof *tree);
}
