/* The alignment planner: where to put padding so that every file with a required
 * alignment has its data at an address (base + offset) that is a multiple of it,
 * at the fewest added bytes. It works on the shape of the image only (names' lengths,
 * data sizes, nesting); the builder turns the result into bytes.
 *
 * Two ways to align a file, both readable by MicroPython's VfsRom unchanged:
 *   inline: the file keeps its verbatim data record and a gap goes before its record:
 *     one byte is a 0x80 prefix on the record's kind varuint, two or more a padding
 *     record (kind 1), which VfsRom skips when it lists or searches a directory;
 *   moved: the file's record holds an indirect data record (kind 3: size, offset)
 *     pointing into a data area, a padding record at the end of the top level. Only
 *     files whose size is a multiple of their alignment are moved: sorted by
 *     alignment, largest first, they then follow each other with no gap at all.
 * The planner evaluates every choice "move the movable files with alignment >= t"
 * (t over the alignments present, and moving none) exactly and keeps the smallest
 * image; it moves nothing unless that is strictly smaller.
 *
 * Inline placement. Walking the records in image order with a running offset, each
 * aligned file's data gets the smallest gap that aligns it (a greedy choice, which
 * minimises every later offset too); the gap goes before the outermost record that
 * starts after the previous aligned file's data, so only directories containing both
 * files grow, and their length varuints sit before both: already counted. Widths of
 * length varuints start minimal (mpremote's) and only grow when a payload outgrows
 * them; the walk repeats until nothing grows. The image must be even: one more byte
 * in the data area, or before a record that follows the last aligned file (free for
 * alignment), or, when nothing follows it, a 3-byte padding record (the smallest
 * odd-sized record). See mr_align_min_padding for the inline lower bound. */
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
    bool *moved;           /* file i's data is in the data area (indirect record) */
    uint64_t *pad_before;  /* bytes inserted before record i */
    uint8_t *width;        /* width of record i's length varuint */
    uint64_t *payload;     /* record i's payload length */
    uint64_t *data_offset; /* files: offset of the data from byte 0 of the image */
    uint64_t top_payload;  /* the image record's payload */
    uint8_t header_width;  /* width of the image's length varuint */
    uint64_t trail;        /* padding record at the end of the top level: 0 or 3 */
    /* the data area (when some file is moved): a padding record after the top level */
    bool area;
    uint8_t off_width;     /* width of every indirect offset varuint */
    uint8_t area_width;    /* width of the area record's length varuint */
    uint64_t area_payload; /* front filler + data and gaps + back filler */
    uint64_t area_front;   /* filler before the first data (alignment of the area start) */
    uint64_t area_back;    /* filler after the last data (image parity): 0 or 1 */
    size_t *area_order;    /* moved files in area order */
    size_t area_count;
    uint64_t size;         /* whole image */
    uint64_t plain_size;   /* the same tree without any rule, as mpremote builds it */
    uint64_t padding;      /* size - plain_size: what alignment cost */
    unsigned passes;       /* walks until the widths settled */
} mr_align_layout;

/* Plan for base (the partition's address); area: may move files to a data area.
 * Fails only on resource limits. */
int mr_align_plan(mr_align_layout *out, const mr_align_node *nodes, size_t count, uint64_t base, bool area,
                  mr_err *err);
void mr_align_layout_free(mr_align_layout *l);

/* An independent lower bound on the padding any inline layout needs (same records,
 * same order, data verbatim, bytes only inserted): the greedy gaps on mpremote's own
 * offsets, without any varuint growth, plus the parity byte(s), minus mpremote's own
 * parity byte. An inline plan achieving it is optimal; moving files to a data area
 * can go below it, which is why the planner compares both. */
uint64_t mr_align_min_padding(const mr_align_node *nodes, size_t count, uint64_t base);

/* The padding record of exactly n >= 2 bytes: kind 1, length, n-1-w filler bytes.
 * Writes the kind and length varuints to hdr (at most 1 + 10 bytes), returns their
 * count; the filler (n minus that) follows. */
size_t mr_align_padding_header(uint64_t n, uint8_t *hdr);

#endif
