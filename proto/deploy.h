/* Deploying a ROMFS image to a board's partition: safely, incrementally, verified.
 * The CLI (`mpromfs deploy`) and the TUI drive the same session:
 *
 *     mr_deploy_plan_make()   read-only: validate, fit, compare units with the board
 *     mr_deploy_plan_text()   what will happen (the whole of --dry-run)
 *     mr_deploy_execute()     erase/write only the units that differ, header last
 *     mr_deploy_verify()      hash the written units on the board
 *     mr_deploy_check_reset() optional: soft reset and list /rom
 *     mr_deploy_summary_text() / mr_deploy_state_text()
 *
 * What a unit must hold after a deploy: the image's bytes, then 0xff (erased flash)
 * up to the end of the erase unit that holds the image's last byte. Units after that
 * are never touched: readers ignore everything after the image record, so an older,
 * longer image's tail may stay there.
 *
 * Write order, so that no interruption (power cut, Ctrl-C, unplugged cable) can leave
 * a valid ROMFS header over partial data:
 *   1. erase unit 0 (the board now mounts nothing: its header is gone), together with
 *      the differing units that follow it, then other runs of differing units;
 *   2. write every other unit that differs (a lone one erased just before);
 *   3. write unit 0 except its first write-size chunk;
 *   4. write the first chunk, which holds the 3 magic bytes: the commit point;
 *   5. complete (rom_ioctl op 5).
 * Re-running after an interruption compares again and sends only what still differs. */
#ifndef MR_DEPLOY_H
#define MR_DEPLOY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "device.h"
#include "error.h"

/* ---- what to deploy (deploy_source.c) --------------------------------------- */

typedef struct mr_deploy_source {
    uint8_t *image;
    size_t len;
    bool built;                 /* from a directory (else read from an image file) */
    size_t mpy_missed;          /* .py files kept because mpy-cross was not found */
    uint64_t padding;           /* bytes the alignment rules added */
    unsigned aligned_files;
} mr_deploy_source;

struct mr_layout_opts;

/* SRC as mpremote reads it: a regular file named *.img or *.romfs is an image; anything
 * else must be a directory, built in memory with `layout` (NULL: mpremote's defaults)
 * for partition `part`: its base address, size and erase unit fill what layout leaves
 * 0. src may be NULL when layout->config (an OpenMV manifest) names the files.
 * Fails before the board is touched. */
int mr_deploy_source_load(const char *src, const struct mr_layout_opts *layout, const mr_part_info *part,
                          mr_deploy_source *out, mr_err *err);
void mr_deploy_source_free(mr_deploy_source *s);

/* ---- the plan (deploy_plan.c, deploy_hash.c, deploy_files.c) ------------------- */

typedef struct mr_deploy_opts {
    unsigned part;
    bool full;                  /* rewrite every unit of the image, differing or not */
    /* The plan lists files added/removed/changed against the board's image. That needs
     * the board's bytes for the units that differ; reading more than this many bytes
     * from the board skips the file list. Over a link it is also capped at a quarter
     * of the payload (at least 16 KiB), unless it is UINT64_MAX: always read. */
    uint64_t diff_read_limit;
} mr_deploy_opts;

/* How the plan and the verification compared units with the board. */
typedef enum { MR_COMPARE_SHA256, MR_COMPARE_CRC32, MR_COMPARE_READBACK } mr_compare_how;

typedef enum { MR_FILE_ADDED, MR_FILE_REMOVED, MR_FILE_CHANGED, MR_FILE_RENAMED } mr_file_change_kind;

typedef struct mr_file_change {
    mr_file_change_kind kind;
    char *path;                 /* directories end with '/' */
    char *from;                 /* MR_FILE_RENAMED: the path on the board; else NULL */
    uint64_t old_size, new_size;
} mr_file_change;

typedef enum {
    MR_BOARD_EMPTY,             /* no ROMFS header */
    MR_BOARD_IMAGE,             /* a valid image */
    MR_BOARD_CORRUPT,           /* a header, but the image does not parse */
    MR_BOARD_UNREAD,            /* not read: over opts.diff_read_limit */
} mr_board_image_state;

typedef struct mr_deploy_plan {
    unsigned part;
    mr_part_info info;
    mr_dev_caps caps;

    uint8_t *target;            /* image, then 0xff to the end of its last unit */
    size_t image_size;          /* the image record's size */
    size_t target_len;          /* units * unit, clipped at the partition end */
    size_t dropped_tail;        /* bytes after the image record in the source, not sent */
    size_t image_files, image_dirs;
    char **image_paths;         /* the new image's paths (dirs end in '/'), image order */
    size_t npaths;

    uint32_t unit;              /* erase unit in bytes */
    uint32_t write_min;
    size_t units;               /* erase units the image covers */
    size_t part_units;          /* erase units in the partition */
    bool *dirty;                /* [units]: the unit will be erased and written */
    size_t ndirty;
    size_t ndiffer;             /* units that differ from the board (ndirty may add unit 0) */
    mr_compare_how how;
    bool full;

    /* Runs of units erased before any write, unit 0's run first: [first, first+count).
     * A unit that differs alone is erased by its own write op (erase_first) instead,
     * which costs no round trip of its own. */
    struct mr_erase_run {
        size_t first, count;
    } *erase_runs;
    size_t nerase_runs;
    mr_write_op *ops;           /* every write, in order; ops[nops-1] is the header chunk */
    size_t nops;
    size_t *op_unit;            /* [nops]: the unit each op writes */
    uint64_t payload_bytes;     /* sum of ops[].len */
    bool link;                  /* the board is behind a link (planning used it) */
    uint64_t est_wire_bytes;    /* estimate of what crosses the link (0 in-process) */
    double est_seconds;         /* at caps.baud; < 0 when the link speed is unknown */

    mr_board_image_state board;
    size_t board_image_size;
    uint64_t board_read_needed; /* bytes the file comparison needed from the board */
    mr_file_change *changes;    /* sorted by path */
    size_t nchanges, nadded, nremoved, nchanged, nrenamed;
} mr_deploy_plan;

/* Build the plan from an image in memory (the caller keeps ownership of `image`):
 * checks it is a valid ROMFS, that it fits, that the partition is writable, and
 * compares every unit with the board. Touches nothing on the board. */
int mr_deploy_plan_make(mr_device *dev, const mr_deploy_opts *opts, const uint8_t *image,
                        size_t len, mr_deploy_plan *plan, mr_err *err);
void mr_deploy_plan_free(mr_deploy_plan *plan);

typedef enum {
    MR_PHASE_PLANNED,           /* nothing touched */
    MR_PHASE_INVALIDATE,        /* erasing unit 0 */
    MR_PHASE_WRITE,             /* writing units (header chunk last) */
    MR_PHASE_COMPLETE,          /* header written; completing */
    MR_PHASE_VERIFY,
    MR_PHASE_DONE,
} mr_deploy_phase;

typedef struct mr_deploy_progress {
    mr_deploy_phase phase;
    uint64_t bytes_done, bytes_total;   /* payload bytes handed to the board */
    size_t units_done, units_total;     /* units fully written / to write */
    double seconds;                     /* since execute started */
    uint64_t wire_bytes;                /* sent on the link since execute started */
} mr_deploy_progress;

/* Called after each batch the board finishes; returning non-zero stops the deploy at
 * the next safe point (between batches). */
typedef int (*mr_deploy_progress_fn)(void *ctx, const mr_deploy_progress *p);

typedef struct mr_deploy_result {
    mr_deploy_phase reached;    /* the phase that finished or was interrupted */
    bool touched;               /* something was erased or written */
    bool header_written;        /* the commit point was passed */
    bool header_unknown;        /* the header write failed midway: it may have landed */
    bool completed;             /* op 5 answered */
    bool cancelled;
    size_t units_written;       /* of plan->ndirty, fully written */
    uint64_t bytes_done;        /* payload bytes the board confirmed */
    mr_link_stats wire;         /* link traffic of execute + verify */
    double seconds;             /* execute + verify */
    bool verified;
    size_t verified_units;
} mr_deploy_result;

/* Run the plan. A plan with nothing dirty returns 0 at once without touching the
 * board. On failure or cancellation *res says how far it got (see state_text). */
int mr_deploy_execute(mr_device *dev, mr_deploy_plan *plan, mr_deploy_progress_fn fn, void *ctx,
                      mr_deploy_result *res, mr_err *err);

/* Hash every written unit on the board and compare with the plan's target; a
 * mismatch fails naming the unit and its first differing byte when it can be read. */
int mr_deploy_verify(mr_device *dev, mr_deploy_plan *plan, mr_deploy_progress_fn fn, void *ctx,
                     mr_deploy_result *res, mr_err *err);

/* Soft-reset the board and check /rom lists exactly the image's paths. */
int mr_deploy_check_reset(mr_device *dev, const mr_deploy_plan *plan, mr_err *err);

/* Text for people, one malloc'd string of '\n'-terminated lines (NULL on no memory). */
char *mr_deploy_plan_text(const mr_deploy_plan *plan, const mr_device *dev);
/* dev may be NULL; when given, the link totals since it was opened are added. */
char *mr_deploy_summary_text(const mr_deploy_plan *plan, const mr_deploy_result *res, const mr_device *dev);
/* One sentence on what the partition holds after an interrupted or failed execute,
 * e.g. "partition 0 holds no valid image; 12 of 40 units written; run the same
 * command again to finish". */
char *mr_deploy_state_text(const mr_deploy_plan *plan, const mr_deploy_result *res);

const char *mr_compare_how_name(mr_compare_how how);

#endif
