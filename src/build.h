/* Building a ROMFS image from a directory, in three phases (see README.md here):
 *   1. scan:  the source directory becomes a tree model (mr_tree), names sorted as
 *             Python's sorted() does, every bad input rejected with its path;
 *   2. plan:  every byte-to-be of the image as an explicit list of items (headers,
 *             padding, file data) at known offsets (mr_plan);
 *   3. emit:  the plan streamed to a sink (a file via temp name + rename, or memory),
 *             file data copied in bounded chunks.
 * The default planner reproduces `mpremote romfs build` byte for byte. A planner that
 * aligns data (issue 4) sets per-node requests in the tree and emits padding items. */
#ifndef MR_BUILD_H
#define MR_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "error.h"

#define MR_NO_NODE ((size_t)-1)

typedef struct mr_node {
    char *name;        /* name in the image (may differ from the source: x.py -> x.mpy) */
    char *src;         /* path of the source file or directory */
    bool is_dir;
    bool converted;    /* the image name/data come from a conversion (mpy-cross) */
    uint64_t size;     /* file size at scan time; 0 for directories */
    uint64_t align;    /* requested alignment of the file's data (0 or 1: none) */
    unsigned depth;    /* 0 for top-level entries */
    size_t parent;     /* MR_NO_NODE at top level */
    size_t end;        /* index just past this node's subtree (pre-order) */
    dev_t dev;         /* identity at scan time, to notice replaced files */
    ino_t ino;
} mr_node;

/* Nodes in pre-order: a directory, then its subtree, children sorted by name. */
typedef struct mr_tree {
    char *root;        /* source directory as given, with a trailing '/' */
    mr_node *nodes;
    size_t count, cap;
    size_t files, dirs;
    size_t mpy_missed; /* .py files that would have been compiled had mpy-cross existed */
    char *tmpdir;      /* converted files live here; mr_tree_free removes them and it */
} mr_tree;

struct mr_mpy_cross;
typedef struct mr_scan_opts {
    bool mpy;          /* compile .py to .mpy (mpremote's default) */
    struct mr_mpy_cross *mpy_cross; /* the compiler (mpy_cross.h); NULL: none was found */
} mr_scan_opts;

/* Phase 1. Fails naming the path: missing or unreadable, non-ASCII name, symlink
 * loop, special file (fifo, socket, device). */
int mr_tree_scan(mr_tree *tree, const char *dir, const mr_scan_opts *opts, mr_err *err);
void mr_tree_free(mr_tree *tree);
/* mpremote's listing: "/", then "|-- name", "\-- name/" lines. */
void mr_tree_print(const mr_tree *tree, FILE *out);

/* The seam for conversions: decides the image name and source of a file `name` in
 * directory `dir` (whose sorted entries are names[0..n)). Without a compiler it keeps
 * the file and counts a .py in tree->mpy_missed, as mpremote does. */
int mr_build_convert(mr_tree *tree, const mr_scan_opts *opts, const char *dir, const char *name,
                     char *const *names, size_t n, mr_node *node, mr_err *err);

typedef enum {
    MR_ITEM_BYTES, /* literal bytes: record headers, names, padding */
    MR_ITEM_DATA,  /* a file's data, copied from its source */
    MR_ITEM_ZEROS, /* len zero bytes (alignment filler), not stored in the plan */
} mr_item_kind;

typedef struct mr_item {
    mr_item_kind kind;
    size_t node;       /* the node this item belongs to, MR_NO_NODE for the image header */
    uint64_t offset;   /* from byte 0 of the image */
    uint64_t len;
    size_t lit;        /* MR_ITEM_BYTES: start in plan->lit */
} mr_item;

typedef struct mr_plan {
    mr_item *items;    /* contiguous and in offset order: items[i+1].offset == items[i].offset + len */
    size_t count, cap;
    uint8_t *lit;      /* literal bytes of all MR_ITEM_BYTES items */
    size_t lit_len, lit_cap;
    uint64_t size;     /* total image size (even) */
    uint64_t *data_offset; /* per node: offset of the file's data in the image */
    uint64_t *record_size; /* per node: size of its whole record */
} mr_plan;

/* Phase 2, the mpremote-compatible planner: no padding, minimal varuints, the image
 * length varuint padded with one 0x80 when needed to make the image even. */
int mr_plan_default(mr_plan *plan, const mr_tree *tree, mr_err *err);
void mr_plan_free(mr_plan *plan);
/* Helpers for planners: append items. */
int mr_plan_add_bytes(mr_plan *plan, size_t node, const void *bytes, size_t len, mr_err *err);
int mr_plan_add_data(mr_plan *plan, size_t node, uint64_t len, mr_err *err);
int mr_plan_add_zeros(mr_plan *plan, size_t node, uint64_t len, mr_err *err);

/* Phase 3. A sink receives the image in order. */
typedef struct mr_sink {
    int (*write)(struct mr_sink *sink, const void *p, size_t n, mr_err *err);
} mr_sink;

int mr_emit(const mr_plan *plan, const mr_tree *tree, mr_sink *sink, mr_err *err);

/* A sink writing to a file descriptor through a small buffer (headers are tiny). */
typedef struct mr_fd_sink {
    mr_sink base;
    int fd;
    const char *name; /* for messages */
    size_t used;
    uint8_t buf[65536];
} mr_fd_sink;
void mr_fd_sink_init(mr_fd_sink *f, int fd, const char *name);
int mr_fd_sink_finish(mr_fd_sink *f, mr_err *err); /* flush what is buffered */

/* Emit to a file: written to a temporary name in the same directory, renamed on
 * success, removed on any failure. Refuses an output inside the source tree. */
int mr_emit_file(const mr_plan *plan, const mr_tree *tree, const char *out, mr_err *err);
/* Emit to a new malloc'd buffer of plan->size bytes. */
int mr_emit_memory(const mr_plan *plan, const mr_tree *tree, uint8_t **out, size_t *len, mr_err *err);

/* Is `out` (a path to be created) inside directory `dir`? Resolves symlinks of the
 * parts that exist. */
int mr_path_inside(const char *out, const char *dir, bool *inside, mr_err *err);

/* All three phases with the default planner, into memory (deploy, diff of a directory). */
int mr_build_memory(const char *dir, const mr_scan_opts *opts, uint8_t **out, size_t *len, mr_err *err);

#endif
