/* Alignment rules: which files' data must start at an address that is a multiple of N.
 * Sources, in the order given (the last matching rule wins):
 *   --align N          every file                        (origin "--align 16")
 *   --align GLOB=N     files matching GLOB (see glob.h)   (origin "--align '*.bin=16'")
 *   --layout FILE      one "GLOB align=N" per line        (origin "FILE:LINE")
 * N is a power of two from 1 to the cap: the erase unit when it is known, else
 * MR_ALIGN_DEFAULT_MAX. N = 1 means "no requirement" and can undo an earlier rule. */
#ifndef MR_ALIGN_RULES_H
#define MR_ALIGN_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "path_glob.h"

#define MR_ALIGN_DEFAULT_MAX ((uint64_t)64 * 1024)
#define MR_ALIGN_MAX_RULES 4096

typedef struct mr_align_rule {
    char *pattern;   /* as written; NULL for "every file" */
    mr_glob glob;
    uint64_t align;
    char origin[96]; /* where it came from, for messages */
} mr_align_rule;

typedef struct mr_align_rules {
    mr_align_rule *v;
    size_t n, cap;
} mr_align_rules;

void mr_align_rules_init(mr_align_rules *r);
void mr_align_rules_free(mr_align_rules *r);

/* One --align argument: "N" or "GLOB=N" (split at the last '='). */
int mr_align_rules_add_arg(mr_align_rules *r, const char *arg, mr_err *err);
/* Add one rule from parts (pattern NULL = every file); origin names its source. */
int mr_align_rules_add(mr_align_rules *r, const char *pattern, uint64_t align,
                       const char *origin, mr_err *err);
/* A layout file's text: lines "GLOB align=N", '#' comments, blank lines.
 * name is used in messages ("layout.txt:3: ..."). text need not be NUL-terminated. */
int mr_align_rules_parse_layout(mr_align_rules *r, const char *name, const char *text,
                                size_t len, mr_err *err);
/* Read and parse a layout file from disk (at most 1 MiB). */
int mr_align_rules_load_layout(mr_align_rules *r, const char *path, mr_err *err);
/* Every rule's N must be at most max (the erase unit of the target partition). */
int mr_align_rules_check_max(const mr_align_rules *r, uint64_t max, const char *what, mr_err *err);

/* Required alignment of the file at path (1 when no rule matches); *rule gets the
 * winning rule or NULL. */
uint64_t mr_align_rules_lookup(const mr_align_rules *r, const char *path, const mr_align_rule **rule);

/* Parse an alignment value "16" or "0x10": a power of two in [1, max]. */
int mr_align_parse_value(const char *s, size_t len, uint64_t max, uint64_t *out, mr_err *err);

#endif
