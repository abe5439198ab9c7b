/* The local pane's model: one directory of the host, its entries sorted, a cursor,
 * and for each entry what a ROMFS build would do with it. Never calls ncurses, so
 * tests drive it directly. File types are looked up lazily (libmagic is slow over
 * 10,000 files) through a callback, only for rows that are shown. */
#ifndef TUI_MODEL_LOCAL_H
#define TUI_MODEL_LOCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "error.h"

typedef enum {
    TUI_MARK_NONE,      /* copied as is */
    TUI_MARK_MPY,       /* .py compiled to .mpy by the build */
    TUI_MARK_SKIP,      /* not a file or directory (fifo, socket, device, broken link): the build refuses it */
    TUI_MARK_BADNAME,   /* name not allowed in ROMFS (non-ASCII, control characters) */
    TUI_MARK_UP,        /* the ".." row */
} tui_mark;

typedef struct tui_local_entry {
    char *name;
    bool is_dir;
    uint64_t size;
    tui_mark mark;
    char *type;         /* NULL until asked for */
    bool type_done;
} tui_local_entry;

/* Describe the file at path in a few words ("Python script", "JSON data"); the
 * result is malloc'd, NULL when unknown. */
typedef char *(*tui_typer_fn)(void *ctx, const char *path);

typedef struct tui_local {
    char *dir;                  /* absolute */
    tui_local_entry *v;
    size_t n;
    tui_cursor cur;
    tui_sort sort;
    bool reverse;
    bool compile_mpy;           /* a build would run mpy-cross on .py files */
    tui_typer_fn typer;
    void *typer_ctx;
    size_t nfiles, ndirs;
    uint64_t total_bytes;
} tui_local;

void tui_local_init(tui_local *m);
/* Read dir (made absolute), sort, cursor on the first row. On failure the model
 * keeps what it showed before. */
int tui_local_open(tui_local *m, const char *dir, mr_err *err);
/* Re-read the same directory, keeping the cursor on the same name if it is still there. */
int tui_local_reload(tui_local *m, mr_err *err);
/* Enter the directory under the cursor (or go up on ".."). 1 if it moved, 0 if the
 * row is not a directory, -1 on error. */
int tui_local_enter(tui_local *m, mr_err *err);
/* Open the parent directory with the cursor on the one we came from; 0 at "/" too. */
int tui_local_up(tui_local *m, mr_err *err);
void tui_local_set_sort(tui_local *m, tui_sort s, bool reverse);
/* Put the cursor on name; false if it is not listed. */
bool tui_local_select(tui_local *m, const char *name);
const tui_local_entry *tui_local_at(const tui_local *m, size_t i);
const char *tui_local_type(tui_local *m, size_t i);
/* dir + "/" + name of row i, malloc'd; NULL for the ".." row. */
char *tui_local_path(const tui_local *m, size_t i);
size_t tui_local_search(const tui_local *m, const char *needle, int dir);
void tui_local_free(tui_local *m);

/* What a build would do with a file or directory called name in a directory
 * where sibling_mpy says whether NAME.mpy exists next to a NAME.py. */
tui_mark tui_build_mark(const char *name, bool is_dir, bool is_file, bool sibling_mpy,
                        bool compile_mpy);

#endif
