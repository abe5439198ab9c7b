#include "model_board.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tui_board_init(tui_board *b)
{
    memset(b, 0, sizeof *b);
    b->dir = MR_NO_PARENT;
    b->sort = TUI_SORT_ADDR;
}

static void drop_image(tui_board *b)
{
    if (b->parsed) {
        for (size_t i = 0; i < b->img.count; i++)
            free(b->types ? b->types[i] : NULL);
        mr_image_free(&b->img);
    }
    free(b->types);
    free(b->types_done);
    free(b->rows);
    free(b->bytes);
    b->types = NULL;
    b->types_done = NULL;
    b->rows = NULL;
    b->nrows = 0;
    b->bytes = NULL;
    b->len = 0;
    b->parsed = false;
    b->problem[0] = '\0';
    b->dir = MR_NO_PARENT;
    b->cur.cur = b->cur.top = 0;
}

void tui_board_free(tui_board *b)
{
    drop_image(b);
    b->in_part = false;
}

int tui_board_attach(tui_board *b, mr_device *dev, mr_err *err)
{
    unsigned n;
    if (mr_device_count(dev, &n, err) < 0)
        return -1;
    if (n > MR_MAX_PARTITIONS)
        n = MR_MAX_PARTITIONS;
    mr_part_info parts[MR_MAX_PARTITIONS];
    for (unsigned i = 0; i < n; i++)
        if (mr_device_info(dev, i, &parts[i], err) < 0)
            return mr_wrap(err, "partition %u", i);
    b->dev = dev;
    b->nparts = n;
    memcpy(b->parts, parts, n * sizeof parts[0]);
    tui_cursor_set(&b->pcur, n, b->pcur.cur);
    return 0;
}

/* ---- sorting the rows of one directory ------------------------------------- */

static int by_order(const void *pa, const void *pb, void *ctx)
{
    const tui_board *bd = ctx;
    const mr_entry *a = &bd->img.entries[*(const size_t *)pa];
    const mr_entry *b = &bd->img.entries[*(const size_t *)pb];
    int c = 0;
    switch (bd->sort) {
    case TUI_SORT_NAME:
        if (a->type != b->type)
            return a->type == MR_ENTRY_DIR ? -1 : 1;
        c = strcmp(a->name, b->name);
        break;
    case TUI_SORT_SIZE:
        if (a->type != b->type)
            return a->type == MR_ENTRY_DIR ? -1 : 1;
        c = a->size == b->size ? strcmp(a->name, b->name) : (a->size < b->size ? 1 : -1);
        break;
    case TUI_SORT_ADDR:
        c = a->record_offset < b->record_offset ? -1 : a->record_offset > b->record_offset;
        break;
    }
    return bd->reverse ? -c : c;
}

static void build_rows(tui_board *b)
{
    free(b->rows);
    b->rows = NULL;
    b->nrows = 0;
    if (!b->parsed)
        return;
    size_t n = 0;
    for (size_t i = 0; i < b->img.count; i++)
        if (b->img.entries[i].parent == b->dir)
            n++;
    b->rows = malloc((n ? n : 1) * sizeof *b->rows);
    if (!b->rows)
        return;
    for (size_t i = 0; i < b->img.count; i++)
        if (b->img.entries[i].parent == b->dir)
            b->rows[b->nrows++] = i;
    qsort_r(b->rows, b->nrows, sizeof *b->rows, by_order, b);
    tui_cursor_set(&b->cur, b->nrows, b->cur.cur);
}

void tui_board_show_image(tui_board *b, const char *source, uint8_t *bytes, size_t len,
                          uint64_t part_size, uint32_t erase_unit, uint64_t base,
                          bool base_known)
{
    drop_image(b);
    snprintf(b->source, sizeof b->source, "%s", source);
    b->bytes = bytes;
    b->len = len;
    b->part_size = part_size;
    b->erase_unit = erase_unit;
    b->base = base;
    b->base_known = base_known;
    b->in_part = true;
    mr_err err;
    mr_err_clear(&err);
    if (len == 0) {
        snprintf(b->problem, sizeof b->problem, "no ROMFS image here (erased or never written)");
    } else if (mr_image_parse(&b->img, bytes, len, &err) < 0) {
        snprintf(b->problem, sizeof b->problem, "not a valid image: %s", err.msg);
    } else {
        b->parsed = true;
        b->types = calloc(b->img.count ? b->img.count : 1, sizeof *b->types);
        b->types_done = calloc(b->img.count ? b->img.count : 1, sizeof *b->types_done);
        if (!b->types || !b->types_done) {
            mr_image_free(&b->img);
            b->parsed = false;
            snprintf(b->problem, sizeof b->problem, "out of memory");
        }
    }
    build_rows(b);
}

int tui_board_open_part(tui_board *b, unsigned p, tui_progress_fn progress, void *ctx, mr_err *err)
{
    if (!b->dev || p >= b->nparts)
        return mr_fail(err, "no partition %u on this board", p);
    mr_part_info info;
    if (mr_device_info(b->dev, p, &info, err) < 0)
        return -1;
    b->parts[p] = info;
    size_t want = 0;
    if (info.has_image) {
        if (info.image_size > info.size || info.image_size > SIZE_MAX / 2)
            return mr_fail(err, "partition %u: image size %llu is larger than the partition", p,
                           (unsigned long long)info.image_size);
        want = (size_t)info.image_size;
    }
    uint8_t *buf = malloc(want ? want : 1);
    if (!buf)
        return mr_fail(err, "out of memory reading partition %u (%zu bytes)", p, want);
    const size_t chunk = 64 * 1024;
    for (size_t off = 0; off < want; off += chunk) {
        size_t n = want - off < chunk ? want - off : chunk;
        if (progress && progress(ctx, "reading the partition", off, want)) {
            free(buf);
            return mr_fail(err, "reading partition %u cancelled; nothing was changed", p);
        }
        if (mr_device_read(b->dev, p, off, buf + off, n, err) < 0) {
            free(buf);
            return mr_wrap(err, "reading partition %u", p);
        }
    }
    char source[64];
    snprintf(source, sizeof source, "partition %u", p);
    b->part = p;
    tui_board_show_image(b, source, buf, want, info.size, info.erase_unit, info.base,
                         info.base_known);
    return 0;
}

void tui_board_close_part(tui_board *b)
{
    b->in_part = false;
}

const mr_entry *tui_board_row(const tui_board *b, size_t i)
{
    return b->parsed && i < b->nrows ? &b->img.entries[b->rows[i]] : NULL;
}

const mr_entry *tui_board_current(const tui_board *b)
{
    return tui_board_row(b, b->cur.cur);
}

int tui_board_enter(tui_board *b)
{
    const mr_entry *e = tui_board_current(b);
    if (!e || e->type != MR_ENTRY_DIR)
        return 0;
    b->dir = b->rows[b->cur.cur];
    b->cur.cur = b->cur.top = 0;
    build_rows(b);
    return 1;
}

static void select_entry(tui_board *b, size_t entry)
{
    for (size_t i = 0; i < b->nrows; i++)
        if (b->rows[i] == entry) {
            tui_cursor_set(&b->cur, b->nrows, i);
            return;
        }
}

int tui_board_up(tui_board *b)
{
    if (!b->in_part)
        return 0;
    if (!b->parsed || b->dir == MR_NO_PARENT) {
        if (!b->dev)
            return 0;
        b->in_part = false;
        return 1;
    }
    size_t from = b->dir;
    b->dir = b->img.entries[from].parent;
    build_rows(b);
    select_entry(b, from);
    return 1;
}

void tui_board_set_sort(tui_board *b, tui_sort s, bool reverse)
{
    size_t keep = b->cur.cur < b->nrows ? b->rows[b->cur.cur] : MR_NO_PARENT;
    b->sort = s;
    b->reverse = reverse;
    build_rows(b);
    if (keep != MR_NO_PARENT)
        select_entry(b, keep);
}

bool tui_board_select_path(tui_board *b, const char *path)
{
    if (!b->parsed)
        return false;
    const mr_entry *e = mr_image_find(&b->img, path);
    if (!e)
        return false;
    size_t idx = (size_t)(e - b->img.entries);
    b->dir = e->parent;
    build_rows(b);
    select_entry(b, idx);
    return true;
}

static const char *row_name(const void *list, size_t i)
{
    const tui_board *b = list;
    return b->img.entries[b->rows[i]].name;
}

size_t tui_board_search(const tui_board *b, const char *needle, int dir)
{
    size_t r = tui_search(b, b->nrows, row_name, b->cur.cur, needle, dir);
    return r;
}

void tui_board_dir_path(const tui_board *b, char *out, size_t cap)
{
    if (!b->parsed || b->dir == MR_NO_PARENT)
        snprintf(out, cap, "/");
    else
        snprintf(out, cap, "/%s/", b->img.entries[b->dir].path);
}

uint64_t tui_board_addr(const tui_board *b, const mr_entry *e)
{
    uint64_t off = e->type == MR_ENTRY_FILE ? e->data_offset : e->record_offset;
    return (b->base_known ? b->base : 0) + off;
}

const char *tui_board_type(tui_board *b, const mr_entry *e)
{
    if (!b->parsed || e < b->img.entries || e >= b->img.entries + b->img.count)
        return "";
    if (e->type == MR_ENTRY_DIR)
        return "directory";
    size_t i = (size_t)(e - b->img.entries);
    if (!b->types_done[i]) {
        b->types_done[i] = true;
        if (b->typer)
            b->types[i] = b->typer(b->typer_ctx, e->name, mr_entry_data(&b->img, e), e->size);
    }
    return b->types[i] ? b->types[i] : "";
}
