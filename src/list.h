/* Listing an image: one row per entry with where its data lives and what it is.
 * Works on bytes in memory, so the same code lists an image file, a device's
 * partition or a freshly built tree (CLI, TUI and deploy share it). */
#ifndef MR_LIST_H
#define MR_LIST_H

#include <stdbool.h>
#include <stdio.h>

#include "filetype.h"
#include "image.h"

typedef struct mr_row {
    const mr_entry *e;   /* into the image */
    uint64_t offset;     /* files: data offset; directories: record offset */
    uint64_t address;    /* base + offset */
    uint64_t align;      /* files: largest power of two dividing the address; 0 for directories */
    char type[112];      /* "directory", libmagic's description, "mpy v6 ..." ("" when not asked) */
} mr_row;

typedef struct mr_listing {
    const mr_image *img;
    uint64_t base;       /* address of byte 0 of the buffer */
    mr_row *rows;        /* image order (pre-order) */
    size_t count;
    size_t files, dirs;  /* in the rows */
} mr_listing;

/* Rows for the whole image (path NULL, "" or "/") or for one path: a file, or a
 * directory's whole subtree. ft: compute types with libmagic; NULL: .mpy and "empty"
 * only when types is true. */
int mr_list(mr_listing *l, const mr_image *img, uint64_t base, const char *path, bool types, mr_filetype *ft,
            mr_err *err);
void mr_list_free(mr_listing *l);

/* Aligned columns: SIZE OFFSET ADDRESS ALIGN DATA [TYPE] PATH, then the summary line. */
void mr_list_print_text(const mr_listing *l, bool types, FILE *out);
/* "5 files, 2 directories, image 264 bytes, partition 4096 bytes, 3832 bytes free" */
void mr_list_print_summary(const mr_listing *l, FILE *out);
void mr_list_print_json(const mr_listing *l, FILE *out);
/* Names from an image may hold any byte: print them with \xNN escapes. */
void mr_print_name(FILE *out, const char *s);
/* A JSON string literal, bytes outside printable ASCII escaped as \u00XX. */
void mr_json_string(FILE *out, const char *s);

#endif
