/* The alignment planner: where to put padding so that every file with a required
 * alignment has its data at an address (base + offset) that is a multiple of it,
 * at the fewest added bytes. It works on the shape of the image only (names' lengths,
 * data sizes, nesting); the builder turns the result into bytes.
 *
 * What it may change, relative to mpremote's layout (the records, their order and
 * their contents stay the same, so MicroPython's VfsRom reads the image unchanged):
 *   - pad_before[i] bytes just before record i, inside its parent directory: one byte
 *     is a 0x80 prefix on the record's kind varuint, two or more a padding record
 *     (kind 1), which VfsRom skips when it lists or searches a directory;
 *   - the width of a record's length varuint (0x80-padded) when the padding inside a
 *     directory makes its length need more bytes;
 *   - trail bytes: a padding record at the end of the top level (image size parity).
 *
 * Method. Walking the records in image order with a running offset, each aligned
 * file's data gets the smallest gap that aligns it (a greedy choice, which minimises
 * every later offset too); the gap goes before the outermost record that starts after
 * the previous aligned file's data, so only directories containing both files grow,
 * and their length varuints sit before both: already counted. Widths start minimal and
 * only grow when a payload outgrows them; the walk is repeated until nothing grows.
 * The image must be even: one more byte before a record that follows the last aligned
 * file (free for alignment), or, when nothing follows it, a 3-byte padding record
 * (the smallest odd-sized record). See mr_align_min_padding for the lower bound. */
#ifndef MR_ALIGN_PLAN_H
#define MR_ALIGN_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define MR_ALIGN_NO_PARENT ((size_t)-1)

/* One directory or file, in pre-order (a directory, then its subtree). */
typedef struct mr_align_node {
    bool is_dir;
    size_t parent;      /* MR_ALIGN_NO_PARENT at top level; always < own index */
    uint64_t name_len;
    uint64_t size;      /* file data bytes; ignored for directories */
    uint64_t align;     /* required alignment of the data: 0 or 1 none, else a power of two */
} mr_align_node;

typedef struct mr_align_layout {
    size_t count;
    uint64_t *pad_before;  /* bytes inserted before record i */
    uint8_t *width;        /* width of record i's length varuint */
    uint64_t *payload;     /* record i's payload length */
    uint64_t *data_offset; /* files: offset of the data from byte 0 of the image */
    uint64_t top_payload;  /* the image record's payload */
    uint8_t header_width;  /* width of the image's length varuint */
    uint64_t trail;        /* padding record at the end of the top level: 0 or 3 */
    uint64_t size;         /* whole image */
    uint64_t plain_size;   /* the same tree without any rule, as mpremote builds it */
    uint64_t padding;      /* size - plain_size: what alignment cost */
    unsigned passes;       /* walks until the widths settled */
} mr_align_layout;

/* Plan for base (the partition's address). Fails only on resource limits. */
int mr_align_plan(mr_align_layout *out, const mr_align_node *nodes, size_t count, uint64_t base,
                  mr_err *err);
void mr_align_layout_free(mr_align_layout *l);

/* An independent lower bound on the padding any layout needs (same records, same
 * order, bytes only inserted): the greedy gaps on mpremote's own offsets, without
 * any varuint growth, plus the parity byte(s), minus mpremote's own parity byte.
 * A plan achieving it is optimal. */
uint64_t mr_align_min_padding(const mr_align_node *nodes, size_t count, uint64_t base);

/* The padding record of exactly n >= 2 bytes: kind 1, length, n-1-w filler bytes.
 * Writes the kind and length varuints to hdr (at most 1 + 10 bytes), returns their
 * count; the filler (n minus that) follows. */
size_t mr_align_padding_header(uint64_t n, uint8_t *hdr);

#endif
