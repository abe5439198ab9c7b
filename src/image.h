/* Reading a ROMFS image from memory (a mapped file or a partition's bytes).
 * The parser never reads outside [bytes, bytes+len), never trusts a length from the
 * image, and turns every inconsistency into a diagnostic with its byte offset. */
#ifndef MR_IMAGE_H
#define MR_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef enum { MR_ENTRY_DIR, MR_ENTRY_FILE } mr_entry_type;
typedef enum { MR_DATA_NONE, MR_DATA_VERBATIM, MR_DATA_INDIRECT } mr_data_kind;

typedef struct mr_entry {
    char *path;             /* "lib/helper.py": no leading slash, '/' separated */
    const char *name;       /* last component, points into path */
    mr_entry_type type;
    unsigned depth;         /* 0 for top-level entries */
    size_t parent;          /* index of the parent entry, MR_NO_PARENT at top level */
    size_t record_offset;   /* first byte of this entry's record, from byte 0 of the buffer */
    size_t record_size;     /* whole record: kind, length varuint, payload */
    /* files only: */
    mr_data_kind data_kind;
    size_t data_offset;     /* first byte of the file's data, from byte 0 of the buffer */
    size_t size;            /* file data length; for a directory, its number of children */
    size_t data_record_offset; /* files: first byte of the data record (2 or 3) */
} mr_entry;

#define MR_NO_PARENT ((size_t)-1)

/* A record the parser skipped (padding, unknown kinds) or found suspicious. */
typedef struct mr_note {
    size_t offset;
    uint64_t kind;          /* record kind at that offset */
    size_t size;            /* record size in bytes */
    bool problem;           /* verify rejects the image (odd size, duplicate name, ...);
                               false for what the format allows (padding, unknown kinds) */
    char what[160];         /* "padding", "unknown record kind 9", ... */
} mr_note;

/* Limits that keep a hostile image from costing unbounded memory: a path longer than
 * this or nested deeper is reported as corrupt. */
#define MR_PATH_MAX 1024
#define MR_DEPTH_MAX 128

typedef struct mr_image {
    const uint8_t *bytes;   /* the whole buffer: image plus the tail after it */
    size_t len;
    size_t header_size;     /* magic + length varuint */
    size_t payload_offset;  /* == header_size; indirect offsets count from here */
    size_t payload_len;
    size_t image_size;      /* header_size + payload_len */
    size_t free_bytes;      /* len - image_size: the tail, usually erased 0xff flash */
    mr_entry *entries;      /* pre-order: a directory, then its children in image order */
    size_t count;
    size_t files, dirs;
    mr_note *notes;         /* skipped or unknown records, in image order */
    size_t nnotes;
    size_t problems;        /* notes with problem set */
    size_t tail_unerased;   /* bytes in the tail that are not 0xff */
} mr_image;

/* Does the buffer start with a ROMFS header whose payload fits in len?
 * Sets *image_size when it does. Cheap: reads at most a few bytes. */
bool mr_image_probe(const uint8_t *bytes, size_t len, size_t *image_size);

/* Parse strictly: any corruption (truncation, a length past its parent's end,
 * a kind-0 record, an indirect pointer out of range, a bad name) fails with
 * "what at byte offset N". Unknown kinds are skipped and noted, as the board does. */
int mr_image_parse(mr_image *img, const uint8_t *bytes, size_t len, mr_err *err);
void mr_image_free(mr_image *img);

/* Find an entry by path ("a/b.py", with or without a leading '/'); NULL if none.
 * The empty path or "/" is the root, which has no entry: returns NULL too. */
const mr_entry *mr_image_find(const mr_image *img, const char *path);
/* A file's data, bounds-checked at parse time. */
const uint8_t *mr_entry_data(const mr_image *img, const mr_entry *e);

/* Largest power of two dividing addr, capped at MR_ALIGN_CAP (0 aligns to anything). */
#define MR_ALIGN_CAP ((uint64_t)1 << 30)
uint64_t mr_alignment(uint64_t addr);

#endif
