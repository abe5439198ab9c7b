/* Which files a deploy adds, removes and changes, against the image on the board.
 * The board's image is rebuilt from what is already known: a unit the comparison
 * found identical holds the target's bytes, so only differing units are read, and
 * only when that costs less than the caller's limit (over a 115200 baud link,
 * reading a whole image back takes as long as writing it). */
#include <stdlib.h>
#include <string.h>

#include "deploy_internal.h"
#include "image.h"

static int add_change(mr_deploy_plan *plan, size_t *cap, mr_file_change_kind kind, const mr_entry *e,
                      uint64_t old_size, uint64_t new_size, mr_err *err)
{
    if (plan->nchanges == *cap) {
        size_t ncap = *cap ? *cap * 2 : 32;
        mr_file_change *c = realloc(plan->changes, ncap * sizeof *c);
        if (!c)
            return mr_fail(err, "out of memory for the file list");
        plan->changes = c;
        *cap = ncap;
    }
    size_t n = strlen(e->path);
    char *p = malloc(n + 2);
    if (!p)
        return mr_fail(err, "out of memory for the file list");
    memcpy(p, e->path, n);
    if (e->type == MR_ENTRY_DIR)
        p[n++] = '/';
    p[n] = '\0';
    plan->changes[plan->nchanges++] = (mr_file_change){kind, p, old_size, new_size};
    if (kind == MR_FILE_ADDED)
        plan->nadded++;
    else if (kind == MR_FILE_REMOVED)
        plan->nremoved++;
    else
        plan->nchanged++;
    return 0;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const mr_file_change *)a)->path, ((const mr_file_change *)b)->path);
}

static uint64_t entry_size(const mr_entry *e)
{
    return e->type == MR_ENTRY_FILE ? e->size : 0;
}

/* old may be NULL: the board holds no image, everything is added. */
static int diff_images(mr_deploy_plan *plan, const mr_image *old, const mr_image *new, mr_err *err)
{
    size_t cap = 0;
    for (size_t i = 0; i < new->count; i++) {
        const mr_entry *n = &new->entries[i];
        const mr_entry *o = old ? mr_image_find(old, n->path) : NULL;
        int rc = 0;
        if (!o)
            rc = add_change(plan, &cap, MR_FILE_ADDED, n, 0, entry_size(n), err);
        else if (o->type != n->type)
            rc = add_change(plan, &cap, MR_FILE_CHANGED, n, entry_size(o), entry_size(n), err);
        else if (n->type == MR_ENTRY_FILE &&
                 (o->size != n->size || memcmp(mr_entry_data(old, o), mr_entry_data(new, n), n->size) != 0))
            rc = add_change(plan, &cap, MR_FILE_CHANGED, n, o->size, n->size, err);
        if (rc < 0)
            return -1;
    }
    for (size_t i = 0; old && i < old->count; i++) {
        const mr_entry *o = &old->entries[i];
        if (!mr_image_find(new, o->path) &&
            add_change(plan, &cap, MR_FILE_REMOVED, o, entry_size(o), 0, err) < 0)
            return -1;
    }
    if (plan->nchanges > 1)
        qsort(plan->changes, plan->nchanges, sizeof *plan->changes, by_path);
    return 0;
}

/* The board's image bytes [0, size): known units from the target, the rest read. */
static int board_image_bytes(mr_device *dev, const mr_deploy_plan *plan, const bool *same, size_t size,
                             uint8_t *buf, mr_err *err)
{
    size_t nunits = (size + plan->unit - 1) / plan->unit;
    for (size_t u = 0; u < nunits;) {
        size_t s = u * (size_t)plan->unit;
        if (u < plan->units && same[u]) {
            size_t e = s + plan->unit < size ? s + plan->unit : size;
            memcpy(buf + s, plan->target + s, e - s);
            u++;
            continue;
        }
        size_t v = u; /* one read for a run of differing units */
        while (v < nunits && !(v < plan->units && same[v]))
            v++;
        size_t e = v * (size_t)plan->unit < size ? v * (size_t)plan->unit : size;
        if (mr_device_read(dev, plan->part, s, buf + s, e - s, err) < 0)
            return mr_wrap(err, "reading the board's image (bytes %zu-%zu)", s, e);
        u = v;
    }
    return 0;
}

static uint64_t bytes_to_read(const mr_deploy_plan *plan, const bool *same, size_t size)
{
    uint64_t n = 0;
    size_t nunits = (size + plan->unit - 1) / plan->unit;
    for (size_t u = 0; u < nunits; u++) {
        if (u < plan->units && same[u])
            continue;
        size_t s = u * (size_t)plan->unit;
        n += (s + plan->unit < size ? s + plan->unit : size) - s;
    }
    return n;
}

int mr_deploy_diff_files(mr_device *dev, mr_deploy_plan *plan, const bool *same, uint64_t read_limit,
                         mr_err *err)
{
    mr_image new;
    if (mr_image_parse(&new, plan->target, plan->image_size, err) < 0)
        return mr_wrap(err, "parsing the new image");
    int rc = 0;
    if (!plan->info.has_image || plan->info.image_size == 0 || plan->info.image_size > plan->info.size) {
        plan->board = MR_BOARD_EMPTY;
        rc = diff_images(plan, NULL, &new, err);
        mr_image_free(&new);
        return rc;
    }
    size_t size = (size_t)plan->info.image_size;
    plan->board_image_size = size;
    plan->board_read_needed = bytes_to_read(plan, same, size);
    if (plan->board_read_needed > read_limit) {
        plan->board = MR_BOARD_UNREAD;
        mr_image_free(&new);
        return 0;
    }
    uint8_t *buf = malloc(size);
    if (!buf) {
        mr_image_free(&new);
        return mr_fail(err, "out of memory for the board's %zu-byte image", size);
    }
    rc = board_image_bytes(dev, plan, same, size, buf, err);
    if (rc == 0) {
        mr_image old;
        mr_err perr;
        if (mr_image_parse(&old, buf, size, &perr) < 0) {
            plan->board = MR_BOARD_CORRUPT;
        } else {
            plan->board = MR_BOARD_IMAGE;
            rc = diff_images(plan, &old, &new, err);
            mr_image_free(&old);
        }
    }
    free(buf);
    mr_image_free(&new);
    return rc;
}
