/* The editor's model: an image opened as a staged tree (extracted into a private
 * temporary directory), changed by adding host files, deleting and renaming, with
 * the size of the image it would build and whether that fits, kept current after
 * every change. Commit deploys the staged tree; save builds it into a file; revert
 * extracts the original again. No ncurses. */
#ifndef TUI_MODEL_EDIT_H
#define TUI_MODEL_EDIT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "model_local.h"

typedef struct tui_edit {
    char tmp[PATH_MAX];         /* private temporary directory */
    char root[PATH_MAX];        /* tmp/tree: the staged tree */
    char origin[PATH_MAX];      /* "partition 0" or the image file's path */
    bool is_part;
    unsigned part;
    uint64_t part_size;         /* what the image must fit in */
    uint8_t *orig;              /* the original image, for revert */
    size_t orig_len;
    tui_local tree;             /* browsing the staged tree */
    bool changed;               /* differs from the original (as far as we know) */
    bool built;                 /* image_size is valid */
    uint64_t image_size;
    char build_err[1024];       /* why the staged tree does not build */
} tui_edit;

/* Stage the image img (copied). part_size 0: no limit known. */
int tui_edit_open(tui_edit *e, const uint8_t *img, size_t len, uint64_t part_size, const char *origin,
                  mr_err *err);
void tui_edit_close(tui_edit *e);
int tui_edit_revert(tui_edit *e, mr_err *err);

/* Copy a host file or directory (recursively) into the directory shown. */
int tui_edit_add(tui_edit *e, const char *src, mr_err *err);
/* Remove the entry under the cursor (a directory with everything in it). */
int tui_edit_delete(tui_edit *e, mr_err *err);
int tui_edit_rename(tui_edit *e, const char *name, mr_err *err);
/* Build the staged tree in memory: image_size and fit, or build_err. */
void tui_edit_measure(tui_edit *e);
/* Build the staged tree into an image file (temp name, rename). */
int tui_edit_save(tui_edit *e, const char *out, mr_err *err);
/* May the tree go up from the directory shown (not above the staged root)? */
bool tui_edit_can_go_up(const tui_edit *e);
/* "image 1.2K of 128K (1%), fits" or why not. */
void tui_edit_status(const tui_edit *e, char *out, size_t cap);

#endif
