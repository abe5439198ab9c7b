/* Pieces shared by the deploy*.c files; not part of the public deploy interface. */
#ifndef MR_DEPLOY_INTERNAL_H
#define MR_DEPLOY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deploy.h"

/* Ops are cut into pieces of at most this many bytes: small enough for any board's
 * memory and for progress/cancel points, large enough to compress well. */
#define MR_DEPLOY_PIECE_MAX 8192u

/* Units per digest in the first pass of comparing with a board that holds an image,
 * and the most separate hash calls (round trips) the second pass may make. */
#define MR_DEPLOY_HASH_GROUP 16u
#define MR_DEPLOY_MAX_HASH_CALLS 4u

/* Over a link the file comparison reads at most a quarter of the payload, or this. */
#define MR_DEPLOY_DIFF_READ_MIN (16u * 1024u)

/* Host-side digest of one unit, in the form the device hash op returns
 * (CRC-32 big-endian in out[0..3], the rest zero). */
void mr_deploy_digest(mr_hash_algo algo, const uint8_t *data, size_t len, uint8_t out[32]);

/* Compare units [first, first+count) of the plan's target with the board, by the
 * board's hash op or, when it has none, by reading back. same[i] tells whether unit
 * first+i already holds its target bytes. *how says which way was used. */
int mr_deploy_compare_units(mr_device *dev, const mr_deploy_plan *plan, size_t first, size_t count,
                            bool *same, mr_compare_how *how, mr_err *err);

/* One board digest for the whole run of units [first, first+count): *same says
 * whether all of it holds the target (needs a board that hashes). */
int mr_deploy_compare_run(mr_device *dev, const mr_deploy_plan *plan, size_t first, size_t count, bool *same,
                          mr_err *err);

/* Byte range [*start, *end) of unit u in the plan's target. */
void mr_deploy_unit_range(const mr_deploy_plan *plan, size_t u, size_t *start, size_t *end);

/* Fill plan->changes by comparing the new image with the board's current one. */
int mr_deploy_diff_files(mr_device *dev, mr_deploy_plan *plan, const bool *same, uint64_t read_limit,
                         mr_err *err);

/* A growable text buffer for the report functions. */
typedef struct mr_text {
    char *s;
    size_t len, cap;
    bool failed;
} mr_text;
void mr_text_add(mr_text *t, const char *fmt, ...) MR_PRINTF(2, 3);
char *mr_text_take(mr_text *t);

/* "1.5 KiB", "12 bytes": sizes for people. */
void mr_human_bytes(uint64_t n, char *buf, size_t cap);

#endif
