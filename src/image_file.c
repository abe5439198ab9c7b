#include "image_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_all(int fd, mr_file_buf *fb, const char *path, mr_err *err)
{
    size_t cap = 65536, len = 0;
    uint8_t *buf = malloc(cap);
    if (!buf)
        return mr_fail(err, "out of memory reading %s", path);
    for (;;) {
        if (len == cap) {
            uint8_t *q = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
            if (!q) {
                free(buf);
                return mr_fail(err, "%s is too large to read into memory", path);
            }
            buf = q;
            cap *= 2;
        }
        ssize_t got = read(fd, buf + len, cap - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            free(buf);
            return mr_fail_errno(err, "cannot read %s", path);
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    fb->bytes = buf;
    fb->len = len;
    fb->mapped = 0;
    return 0;
}

int mr_file_load(mr_file_buf *fb, const char *path, mr_err *err)
{
    memset(fb, 0, sizeof *fb);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mr_fail_errno(err, "cannot open %s", path);
    struct stat st;
    int rc;
    if (fstat(fd, &st) != 0) {
        rc = mr_fail_errno(err, "cannot read %s", path);
    } else if (S_ISDIR(st.st_mode)) {
        rc = mr_fail(err, "%s is a directory, not an image file", path);
    } else if (S_ISREG(st.st_mode) && st.st_size > 0) {
        if ((uint64_t)st.st_size > SIZE_MAX) {
            rc = mr_fail(err, "%s is too large", path);
        } else {
            void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
            if (p == MAP_FAILED) {
                rc = read_all(fd, fb, path, err);
            } else {
                fb->bytes = p;
                fb->len = (size_t)st.st_size;
                fb->mapped = 1;
                rc = 0;
            }
        }
    } else {
        rc = read_all(fd, fb, path, err);
    }
    close(fd);
    return rc;
}

void mr_file_unload(mr_file_buf *fb)
{
    if (fb->mapped)
        munmap((void *)fb->bytes, fb->len);
    else
        free((void *)fb->bytes);
    memset(fb, 0, sizeof *fb);
}
