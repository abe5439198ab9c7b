/* Running mpy-cross, the MicroPython cross-compiler, as mpremote does for each x.py
 * without a sibling x.mpy. The compiler is $MPY_CROSS when set, else `mpy-cross`
 * on PATH. Output always goes to a path the caller chooses (a temporary directory),
 * never beside the source; the source name recorded in the .mpy is the file's path
 * inside the image, so the output does not depend on where the tree was. */
#ifndef MR_MPY_CROSS_H
#define MR_MPY_CROSS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef struct mr_mpy_cross {
    char *exe;      /* absolute or as given in $MPY_CROSS */
    char **extra;   /* --mpy-cross-args, split at whitespace */
    size_t nextra;
    unsigned compiled;
} mr_mpy_cross;

/* Find the compiler. Sets *found false (and returns 0) when there is none; fails when
 * $MPY_CROSS names something that is not an executable file, or args is too long. */
int mr_mpy_cross_find(mr_mpy_cross *mc, const char *args, bool *found, mr_err *err);
void mr_mpy_cross_free(mr_mpy_cross *mc);

/* Compile src to out. On failure the message names the file and carries the
 * compiler's own output (its error and line number). */
int mr_mpy_cross_compile(mr_mpy_cross *mc, const char *src, const char *source_name, const char *out,
                         mr_err *err);

#endif
