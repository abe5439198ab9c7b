/* See file_save.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_save.h"

int mr_file_save(const char *path, const uint8_t *data, size_t len, mr_err *err)
{
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 16);
    if (!tmp)
        return mr_fail(err, "out of memory");
    snprintf(tmp, pl + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        mr_fail_errno(err, "cannot create %s", path);
        free(tmp);
        return -1;
    }
    /* mkstemp makes 0600; an ordinary output file gets the usual umask'd 0666 */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            mr_fail_errno(err, "cannot write %s", path);
            goto fail;
        }
        done += (size_t)w;
    }
    if (fsync(fd) != 0) {
        mr_fail_errno(err, "cannot write %s", path);
        goto fail;
    }
    if (close(fd) != 0) {
        fd = -1;
        mr_fail_errno(err, "cannot write %s", path);
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        mr_fail_errno(err, "cannot write %s", path);
        goto fail;
    }
    free(tmp);
    return 0;
fail:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    return -1;
}
