#include "model_edit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "extract.h"
#include "image.h"
#include "text.h"

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return (flag == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT ? -1 : 0;
}

static int remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : -1;
    return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int extract(tui_edit *e, mr_err *err)
{
    mr_image img;
    if (mr_image_parse(&img, e->orig, e->orig_len, err) < 0)
        return mr_wrap(err, "%s", e->origin);
    int rc = mr_extract(&img, e->root, err);
    mr_image_free(&img);
    return rc;
}

int tui_edit_open(tui_edit *e, const uint8_t *img, size_t len, uint64_t part_size, const char *origin,
                  mr_err *err)
{
    memset(e, 0, sizeof *e);
    tui_local_init(&e->tree);
    const char *t = getenv("TMPDIR");
    snprintf(e->tmp, sizeof e->tmp, "%s/mpromfs-edit-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(e->tmp))
        return mr_fail_errno(err, "cannot create a temporary directory %s", e->tmp);
    /* the tree pane shows real paths: compare with the resolved one */
    char real[PATH_MAX];
    if (realpath(e->tmp, real))
        snprintf(e->tmp, sizeof e->tmp, "%s", real);
    if (snprintf(e->root, sizeof e->root, "%s/tree", e->tmp) >= (int)sizeof e->root) {
        rmdir(e->tmp);
        return mr_fail(err, "temporary path too long");
    }
    snprintf(e->origin, sizeof e->origin, "%s", origin);
    e->part_size = part_size;
    e->orig = malloc(len ? len : 1);
    if (!e->orig) {
        rmdir(e->tmp);
        return mr_fail(err, "out of memory");
    }
    memcpy(e->orig, img, len);
    e->orig_len = len;
    if (len == 0) {
        /* an empty partition: start from an empty tree */
        if (mkdir(e->root, 0700) < 0) {
            tui_edit_close(e);
            return mr_fail_errno(err, "cannot create %s", e->root);
        }
    } else if (extract(e, err) < 0) {
        tui_edit_close(e);
        return -1;
    }
    if (tui_local_open(&e->tree, e->root, err) < 0) {
        tui_edit_close(e);
        return -1;
    }
    tui_edit_measure(e);
    return 0;
}

void tui_edit_close(tui_edit *e)
{
    tui_local_free(&e->tree);
    if (e->tmp[0])
        remove_tree(e->tmp);
    free(e->orig);
    e->orig = NULL;
    e->tmp[0] = '\0';
}

int tui_edit_revert(tui_edit *e, mr_err *err)
{
    if (remove_tree(e->root) < 0)
        return mr_fail_errno(err, "cannot remove the staged tree %s", e->root);
    int rc = e->orig_len ? extract(e, err) : (mkdir(e->root, 0700) < 0 ? mr_fail_errno(err, "cannot create %s", e->root) : 0);
    if (rc < 0)
        return -1;
    if (tui_local_open(&e->tree, e->root, err) < 0)
        return -1;
    e->changed = false;
    tui_edit_measure(e);
    return 0;
}

static int copy_file(const char *src, const char *dst, mr_err *err)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return mr_fail_errno(err, "cannot read %s", src);
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (out < 0) {
        mr_fail_errno(err, "cannot create %s", dst);
        close(in);
        return -1;
    }
    char buf[65536];
    int rc = 0;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = mr_fail_errno(err, "cannot read %s", src);
            break;
        }
        if (n == 0)
            break;
        for (ssize_t o = 0; o < n;) {
            ssize_t w = write(out, buf + o, (size_t)(n - o));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                rc = mr_fail_errno(err, "cannot write %s", dst);
                break;
            }
            o += w;
        }
        if (rc)
            break;
    }
    close(in);
    if (close(out) < 0 && rc == 0)
        rc = mr_fail_errno(err, "cannot write %s", dst);
    if (rc)
        unlink(dst);
    return rc;
}

static int copy_tree(const char *src, const char *dst, int depth, mr_err *err)
{
    struct stat st;
    if (stat(src, &st) < 0)
        return mr_fail_errno(err, "cannot read %s", src);
    if (S_ISREG(st.st_mode))
        return copy_file(src, dst, err);
    if (!S_ISDIR(st.st_mode))
        return mr_fail(err, "%s is not a file or directory: it cannot go in an image", src);
    if (depth > MR_DEPTH_MAX)
        return mr_fail(err, "%s: nested deeper than %d directories", src, MR_DEPTH_MAX);
    if (mkdir(dst, 0700) < 0)
        return mr_fail_errno(err, "cannot create %s", dst);
    DIR *d = opendir(src);
    if (!d)
        return mr_fail_errno(err, "cannot read directory %s", src);
    struct dirent *de;
    int rc = 0;
    while (rc == 0 && (de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *s = NULL, *t = NULL;
        if (asprintf(&s, "%s/%s", src, de->d_name) < 0 || asprintf(&t, "%s/%s", dst, de->d_name) < 0)
            rc = mr_fail(err, "out of memory");
        else
            rc = copy_tree(s, t, depth + 1, err);
        free(s);
        free(t);
    }
    closedir(d);
    return rc;
}

int tui_edit_add(tui_edit *e, const char *src, mr_err *err)
{
    const char *base = strrchr(src, '/');
    base = base ? base + 1 : src;
    if (!*base)
        return mr_fail(err, "cannot add %s: no name", src);
    /* adding the staged tree into itself would never end */
    size_t rl = strlen(e->tmp);
    if (strncmp(src, e->tmp, rl) == 0 && (src[rl] == '/' || src[rl] == '\0'))
        return mr_fail(err, "%s is inside the staged tree", src);
    char *dst = NULL;
    if (asprintf(&dst, "%s/%s", e->tree.dir, base) < 0)
        return mr_fail(err, "out of memory");
    struct stat st;
    if (lstat(dst, &st) == 0) {
        mr_fail(err, "%s is already in the staged tree: delete or rename it first", base);
        free(dst);
        return -1;
    }
    int rc = copy_tree(src, dst, 0, err);
    if (rc < 0)
        remove_tree(dst);
    free(dst);
    if (rc == 0) {
        e->changed = true;
        if (tui_local_reload(&e->tree, err) == 0)
            tui_local_select(&e->tree, base);
        tui_edit_measure(e);
    }
    return rc;
}

int tui_edit_delete(tui_edit *e, mr_err *err)
{
    char *p = tui_local_path(&e->tree, e->tree.cur.cur);
    if (!p)
        return mr_fail(err, "nothing to delete here");
    int rc = remove_tree(p) < 0 ? mr_fail_errno(err, "cannot delete %s", p) : 0;
    free(p);
    if (rc == 0) {
        e->changed = true;
        tui_local_reload(&e->tree, err);
        tui_edit_measure(e);
    }
    return rc;
}

int tui_edit_rename(tui_edit *e, const char *name, mr_err *err)
{
    if (!*name || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return mr_fail(err, "'%s' is not a name (one path component, not . or ..)", name);
    char *p = tui_local_path(&e->tree, e->tree.cur.cur);
    char *q = NULL;
    if (!p || asprintf(&q, "%s/%s", e->tree.dir, name) < 0) {
        free(p);
        return mr_fail(err, "nothing to rename here");
    }
    struct stat st;
    int rc;
    if (lstat(q, &st) == 0)
        rc = mr_fail(err, "%s already exists in this directory", name);
    else
        rc = rename(p, q) < 0 ? mr_fail_errno(err, "cannot rename to %s", name) : 0;
    free(p);
    free(q);
    if (rc == 0) {
        e->changed = true;
        if (tui_local_reload(&e->tree, err) == 0)
            tui_local_select(&e->tree, name);
        tui_edit_measure(e);
    }
    return rc;
}

void tui_edit_measure(tui_edit *e)
{
    mr_scan_opts so = {.mpy = false};
    uint8_t *img = NULL;
    size_t len = 0;
    mr_err err;
    mr_err_clear(&err);
    e->built = mr_build_memory(e->root, &so, &img, &len, &err) == 0;
    free(img);
    e->image_size = e->built ? len : 0;
    /* messages name temporary paths: show them relative to the staged root */
    const char *m = err.msg;
    const char *at = strstr(m, e->root);
    if (at)
        snprintf(e->build_err, sizeof e->build_err, "%.*s%s", (int)(at - m), m, at + strlen(e->root));
    else
        snprintf(e->build_err, sizeof e->build_err, "%s", m);
    if (e->built)
        e->build_err[0] = '\0';
}

int tui_edit_save(tui_edit *e, const char *out, mr_err *err)
{
    mr_scan_opts so = {.mpy = false};
    mr_tree tree;
    memset(&tree, 0, sizeof tree);
    if (mr_tree_scan(&tree, e->root, &so, err) < 0)
        return -1;
    mr_plan plan;
    memset(&plan, 0, sizeof plan);
    int rc = mr_plan_default(&plan, &tree, err);
    if (rc == 0)
        rc = mr_emit_file(&plan, &tree, out, err);
    mr_plan_free(&plan);
    mr_tree_free(&tree);
    return rc;
}

bool tui_edit_can_go_up(const tui_edit *e)
{
    return e->tree.dir && strcmp(e->tree.dir, e->root) != 0;
}

void tui_edit_status(const tui_edit *e, char *out, size_t cap)
{
    if (!e->built) {
        snprintf(out, cap, "does not build: %s", e->build_err);
        return;
    }
    char a[16], b[16];
    tui_fmt_size(e->image_size, a);
    tui_fmt_size(e->part_size, b);
    if (!e->part_size)
        snprintf(out, cap, "image %s%s", a, e->changed ? ", changed" : "");
    else if (e->image_size <= e->part_size)
        snprintf(out, cap, "image %s of %s (%u%%), fits%s", a, b,
                 (unsigned)(100.0 * (double)e->image_size / (double)e->part_size + 0.5), e->changed ? ", changed" : "");
    else
        snprintf(out, cap, "image %s does NOT fit %s: %llu bytes too many", a, b,
                 (unsigned long long)(e->image_size - e->part_size));
}
