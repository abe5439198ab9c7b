/* Scratch directories for unit tests: a fresh one per test, removed with everything
 * in it afterwards. */
#ifndef MR_TEST_SCRATCH_H
#define MR_TEST_SCRATCH_H

/* mkdtemp under $TMPDIR (or /tmp); aborts the test program when that fails. The
 * string is malloc'd. */
char *scratch_dir(void);
/* rm -rf dir, then free it. */
void scratch_remove(char *dir);
/* Write a whole file; 0 or -1. */
int scratch_write(const char *dir, const char *name, const void *data, unsigned long len);

#endif
