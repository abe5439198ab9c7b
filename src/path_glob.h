/* Glob patterns over image paths ("lib/net/http.mpy": '/'-separated, relative to the
 * source root). Syntax:
 *   *        any run of characters within one path component
 *   **       a whole component: any run across components; followed by a slash it
 *            also matches no directory at all ("a/" "**" "/b" matches a/b and a/x/y/b)
 *   ?        one character other than '/'
 *   [a-z]    one character of a class, [!a-z] or [^a-z] negated (never '/')
 *   \c       the character c
 * A pattern without '/' matches the last component anywhere ("*.tflite" matches
 * m.tflite and models/m.tflite); a pattern with '/' is anchored at the root (one
 * leading '/' is allowed and ignored). Matching is dynamic programming over (pattern
 * token, path position): pattern length times path length, never exponential. */
#ifndef MR_PATH_GLOB_H
#define MR_PATH_GLOB_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define MR_GLOB_MAX 512 /* longest accepted pattern, in bytes */

typedef struct mr_glob_tok mr_glob_tok;

typedef struct mr_glob {
    mr_glob_tok *toks;
    size_t ntoks;
    bool basename_only; /* no '/' in the pattern: match the last component */
} mr_glob;

/* Compile pattern (NUL-terminated) or fail with what is wrong and where. */
int mr_glob_compile(mr_glob *g, const char *pattern, mr_err *err);
void mr_glob_free(mr_glob *g);
/* Does the compiled glob match path (no leading '/')? */
bool mr_glob_match(const mr_glob *g, const char *path);

#endif
