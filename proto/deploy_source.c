/* What to deploy, decided as mpremote decides it: a regular file whose name ends in
 * .img or .romfs is an image, read as is; anything else must be a directory, built in
 * memory. A directory is built for the partition it goes to, so that alignment rules
 * hold for the real memory-mapped addresses (the partition's base). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "deploy.h"

#define MAX_IMAGE_FILE ((uint64_t)1 << 30)

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int read_image_file(const char *path, mr_deploy_source *out, mr_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mr_fail_errno(err, "%s", path);
    struct stat st;
    if (fstat(fd, &st) < 0) {
        mr_fail_errno(err, "%s", path);
        close(fd);
        return -1;
    }
    if ((uint64_t)st.st_size > MAX_IMAGE_FILE) {
        close(fd);
        return mr_fail(err, "%s: %lld bytes is larger than any ROM partition", path, (long long)st.st_size);
    }
    size_t len = (size_t)st.st_size;
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf) {
        close(fd);
        return mr_fail(err, "%s: out of memory for %zu bytes", path, len);
    }
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                mr_fail(err, "%s: the file shrank while being read", path);
            else
                mr_fail_errno(err, "%s", path);
            free(buf);
            close(fd);
            return -1;
        }
        got += (size_t)n;
    }
    close(fd);
    out->image = buf;
    out->len = len;
    out->built = false;
    return 0;
}

static int build_dir(const char *dir, const mr_deploy_build_opts *bo, mr_deploy_source *out, mr_err *err)
{
    mr_scan_opts so = {.mpy = bo->mpy};
    mr_tree tree;
    if (mr_tree_scan(&tree, dir, &so, err))
        return -1;
    mr_plan plan;
    int rc = mr_plan_default(&plan, &tree, err);
    if (rc == 0) {
        rc = mr_emit_memory(&plan, &tree, &out->image, &out->len, err);
        mr_plan_free(&plan);
    }
    out->built = true;
    out->mpy_missed = tree.mpy_missed;
    mr_tree_free(&tree);
    return rc;
}

int mr_deploy_source_load(const char *src, const mr_deploy_build_opts *bo, mr_deploy_source *out, mr_err *err)
{
    memset(out, 0, sizeof *out);
    struct stat st;
    if (stat(src, &st) < 0)
        return mr_fail_errno(err, "%s", src);
    if (S_ISREG(st.st_mode) && (ends_with(src, ".img") || ends_with(src, ".romfs")))
        return read_image_file(src, out, err);
    if (!S_ISDIR(st.st_mode))
        return mr_fail(err, "%s is not a directory, and not an image (an image file's name ends in .img or .romfs)",
                       src);
    if (build_dir(src, bo, out, err) < 0) {
        mr_deploy_source_free(out);
        return mr_wrap(err, "building %s", src);
    }
    return 0;
}

void mr_deploy_source_free(mr_deploy_source *s)
{
    free(s->image);
    memset(s, 0, sizeof *s);
}
