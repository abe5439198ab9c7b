/* What to deploy, decided as mpremote decides it: a regular file whose name ends in
 * .img or .romfs is an image, read as is; anything else must be a directory, built in
 * memory with the layout options (src/build_layout.h). A directory is built for the
 * partition it goes to: alignment rules hold for the real memory-mapped addresses
 * (the partition's base), and an image that would not fit fails in the builder with
 * its largest contributors named. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "build_layout.h"
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

static int build_dir(const char *dir, const mr_layout_opts *layout, const mr_part_info *part,
                     mr_deploy_source *out, mr_err *err)
{
    mr_layout_opts o;
    if (layout) {
        o = *layout; /* shallow: the rules stay the caller's */
    } else {
        memset(&o, 0, sizeof o);
        o.mpy = true;
    }
    /* build for this partition: its real address, its size, its erase unit */
    if (part && part->base_known && !o.base)
        o.base = part->base;
    if (part && !o.size)
        o.size = part->size;
    if (part && !o.erase_unit)
        o.erase_unit = part->erase_unit;
    mr_layout_result r;
    if (mr_layout_build(&r, dir, &o, err))
        return -1;
    int rc = mr_emit_memory(&r.plan, &r.tree, &out->image, &out->len, err);
    out->built = true;
    out->mpy_missed = r.tree.mpy_missed;
    out->padding = r.padding;
    out->aligned_files = r.aligned_files;
    mr_layout_result_free(&r);
    return rc;
}

int mr_deploy_source_load(const char *src, const mr_layout_opts *layout, const mr_part_info *part,
                          mr_deploy_source *out, mr_err *err)
{
    memset(out, 0, sizeof *out);
    if (!src) { /* --config: the OpenMV manifest lists the files */
        if (!layout || !layout->config)
            return mr_fail(err, "nothing to deploy: give a directory or an image file");
        if (build_dir(NULL, layout, part, out, err) < 0) {
            mr_deploy_source_free(out);
            return mr_wrap(err, "building from %s", layout->config);
        }
        return 0;
    }
    struct stat st;
    if (stat(src, &st) < 0)
        return mr_fail_errno(err, "%s", src);
    if (S_ISREG(st.st_mode) && (ends_with(src, ".img") || ends_with(src, ".romfs")))
        return read_image_file(src, out, err);
    if (!S_ISDIR(st.st_mode))
        return mr_fail(err, "%s is not a directory, and not an image (an image file's name ends in .img or .romfs)",
                       src);
    if (build_dir(src, layout, part, out, err) < 0) {
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
