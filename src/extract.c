#include "extract.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int dir_is_empty(const char *dir, bool *exists, mr_err *err)
{
    struct stat st;
    *exists = false;
    if (lstat(dir, &st) != 0) {
        if (errno == ENOENT)
            return 0;
        return mr_fail_errno(err, "cannot use %s", dir);
    }
    if (!S_ISDIR(st.st_mode))
        return mr_fail(err, "%s exists and is not a directory", dir);
    *exists = true;
    DIR *d = opendir(dir);
    if (!d)
        return mr_fail_errno(err, "cannot read %s", dir);
    struct dirent *de;
    bool empty = true;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            empty = false;
    closedir(d);
    if (!empty)
        return mr_fail(err, "%s is not empty: extract into a new or empty directory", dir);
    return 0;
}

/* Remove what we created, deepest first (entries are in pre-order). */
static void undo(const mr_image *img, size_t created, const char *tmp)
{
    size_t n = strlen(tmp);
    for (size_t i = created; i-- > 0;) {
        const char *p = img->entries[i].path;
        char *full = malloc(n + strlen(p) + 2);
        if (!full)
            continue;
        sprintf(full, "%s/%s", tmp, p);
        if (img->entries[i].type == MR_ENTRY_DIR)
            rmdir(full);
        else
            unlink(full);
        free(full);
    }
    rmdir(tmp);
}

int mr_extract(const mr_image *img, const char *dir, mr_err *err)
{
    for (size_t i = 0; i < img->nnotes; i++)
        if (img->notes[i].problem && strstr(img->notes[i].what, "duplicate name"))
            return mr_fail(err, "refusing to extract: %s", img->notes[i].what);
    bool exists;
    if (dir_is_empty(dir, &exists, err))
        return -1;
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    char *tmp = malloc(n + 40);
    if (!tmp)
        return mr_fail(err, "out of memory");
    snprintf(tmp, n + 40, "%.*s.tmp-%ld", (int)n, dir, (long)getpid());
    if (mkdir(tmp, 0755) != 0) {
        mr_fail_errno(err, "cannot create %s", tmp);
        free(tmp);
        return -1;
    }
    int fds[MR_DEPTH_MAX + 2];
    for (size_t k = 0; k < sizeof fds / sizeof fds[0]; k++)
        fds[k] = -1;
    fds[0] = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int rc = fds[0] < 0 ? mr_fail_errno(err, "cannot open %s", tmp) : 0;
    size_t created = 0;
    for (size_t i = 0; i < img->count && rc == 0; i++) {
        const mr_entry *e = &img->entries[i];
        int parent = e->depth <= MR_DEPTH_MAX ? fds[e->depth] : -1;
        if (parent < 0) {
            rc = mr_fail(err, "internal error: no parent directory for %s", e->path);
            break;
        }
        if (e->type == MR_ENTRY_DIR) {
            if (mkdirat(parent, e->name, 0755) != 0) {
                rc = mr_fail_errno(err, "cannot create %s/%s", dir, e->path);
                break;
            }
            created = i + 1;
            int fd = openat(parent, e->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0) {
                rc = mr_fail_errno(err, "cannot open %s/%s", dir, e->path);
                break;
            }
            if (fds[e->depth + 1] >= 0)
                close(fds[e->depth + 1]);
            fds[e->depth + 1] = fd;
        } else {
            int fd = openat(parent, e->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
            if (fd < 0) {
                rc = mr_fail_errno(err, "cannot create %s/%s", dir, e->path);
                break;
            }
            created = i + 1;
            const uint8_t *d = mr_entry_data(img, e);
            if ((d && write_all(fd, d, e->size) != 0))
                rc = mr_fail_errno(err, "cannot write %s/%s", dir, e->path);
            if (close(fd) != 0 && rc == 0)
                rc = mr_fail_errno(err, "cannot write %s/%s", dir, e->path);
        }
    }
    for (size_t k = 0; k < sizeof fds / sizeof fds[0]; k++)
        if (fds[k] >= 0)
            close(fds[k]);
    if (rc == 0 && exists && rmdir(dir) != 0)
        rc = mr_fail_errno(err, "cannot replace the empty directory %s", dir);
    if (rc == 0 && rename(tmp, dir) != 0) {
        rc = mr_fail_errno(err, "cannot rename %s to %s", tmp, dir);
        if (exists)
            mkdir(dir, 0755); /* put the empty directory back */
    }
    if (rc)
        undo(img, created, tmp);
    free(tmp);
    return rc;
}
