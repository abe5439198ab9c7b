/* Comparing two images entry by entry: what a deploy would change, what `diff`
 * prints. Paths present on one side only are added/removed; files on both sides
 * with different bytes are changed; the same bytes at a different offset, or under
 * another path (a rename: a removed and an added file with identical data), are
 * moved. */
#ifndef MR_COMPARE_H
#define MR_COMPARE_H

#include <stdio.h>

#include "image.h"

typedef enum {
    MR_DIFF_ADDED,
    MR_DIFF_REMOVED,
    MR_DIFF_CHANGED, /* different data, or a file became a directory or back */
    MR_DIFF_MOVED,   /* same data, different offset and/or path */
} mr_diff_kind;

typedef struct mr_diff_item {
    mr_diff_kind kind;
    const mr_entry *a;  /* NULL for added */
    const mr_entry *b;  /* NULL for removed */
} mr_diff_item;

typedef struct mr_diff {
    mr_diff_item *items; /* ordered by path (b's path for added and moved) */
    size_t count;
    size_t added, removed, changed, moved, same;
} mr_diff;

int mr_compare(const mr_image *a, const mr_image *b, mr_diff *out, mr_err *err);
void mr_diff_free(mr_diff *d);
/* One line per item ("added    path  N bytes", ...) and a summary line. */
void mr_diff_print(const mr_diff *d, FILE *out);

#endif
