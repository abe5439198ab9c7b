/* Files for unit tests: golden images, scratch directories. */
#ifndef MR_TESTFILES_H
#define MR_TESTFILES_H

#include <stddef.h>
#include <stdint.h>

/* Whole file into a malloc'd buffer (NULL and *len 0 on failure). */
uint8_t *tf_read(const char *path, size_t *len);
/* Path of a file in tests/golden ($MPROMFS_GOLDEN, else ./tests/golden); static buffer. */
const char *tf_golden(const char *name);
/* A fresh scratch directory (mkdtemp); tf_rmrf removes it with everything in it. */
char *tf_tmpdir(void);
void tf_rmrf(const char *path);
/* Write len bytes to dir/name, creating parents; returns 0 on success. */
int tf_write(const char *dir, const char *name, const void *data, size_t len);

#endif
