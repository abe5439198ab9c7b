/* gentree DIR FILES BYTES SEED: a deterministic tree of FILES files holding BYTES
 * bytes in total, spread over directories of about 100 files (two levels). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint64_t state;
static uint64_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: gentree DIR FILES BYTES SEED\n");
        return 2;
    }
    const char *root = argv[1];
    long files = atol(argv[2]);
    unsigned long long total = strtoull(argv[3], NULL, 0);
    state = strtoull(argv[4], NULL, 0) * 2654435761u + 1;
    if (files <= 0 || (mkdir(root, 0755) != 0 && errno != EEXIST)) {
        perror(root);
        return 1;
    }
    static uint8_t buf[1 << 16];
    unsigned long long left = total;
    char path[4096];
    for (long i = 0; i < files; i++) {
        long d = i / 100;
        snprintf(path, sizeof path, "%s/g%03ld", root, d / 10);
        mkdir(path, 0755);
        snprintf(path, sizeof path, "%s/g%03ld/d%04ld", root, d / 10, d);
        mkdir(path, 0755);
        snprintf(path, sizeof path, "%s/g%03ld/d%04ld/f%06ld.bin", root, d / 10, d, i);
        /* sizes vary around the mean; the last file takes what is left */
        unsigned long long mean = left / (unsigned long long)(files - i);
        unsigned long long size = i == files - 1 ? left : (mean / 2) + next() % (mean + 1);
        if (size > left)
            size = left;
        left -= size;
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) {
            perror(path);
            return 1;
        }
        while (size) {
            size_t n = size < sizeof buf ? (size_t)size : sizeof buf;
            for (size_t k = 0; k < n; k += 8) {
                uint64_t v = next();
                memcpy(buf + k, &v, n - k < 8 ? n - k : 8);
            }
            if (write(fd, buf, n) != (ssize_t)n) {
                perror(path);
                return 1;
            }
            size -= n;
        }
        close(fd);
    }
    return 0;
}
