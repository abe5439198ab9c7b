/* Which files a deploy adds, removes, changes and renames, against the image on the
 * board (the comparison itself is the core's, src/compare.h).
 * The board's image is rebuilt from what is already known: a unit the comparison
 * found identical holds the target's bytes, so only differing units are read, and
 * only when that costs less than the caller's limit (over a 115200 baud link,
 * reading a whole image back takes as long as writing it). */
#include <stdlib.h>
#include <string.h>

#include "deploy_internal.h"
#include "compare.h"
#include "image.h"

static int add_change(mr_deploy_plan *plan, size_t *cap, mr_file_change_kind kind, const mr_entry *e,
                      const mr_entry *from, uint64_t old_size, uint64_t new_size, mr_err *err)
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
    char *f = from ? strdup(from->path) : NULL;
    if (!p || (from && !f)) {
        free(p);
        free(f);
        return mr_fail(err, "out of memory for the file list");
    }
    memcpy(p, e->path, n);
    if (e->type == MR_ENTRY_DIR)
        p[n++] = '/';
    p[n] = '\0';
    plan->changes[plan->nchanges++] = (mr_file_change){kind, p, f, old_size, new_size};
    switch (kind) {
    case MR_FILE_ADDED: plan->nadded++; break;
    case MR_FILE_REMOVED: plan->nremoved++; break;
    case MR_FILE_CHANGED: plan->nchanged++; break;
    case MR_FILE_RENAMED: plan->nrenamed++; break;
    }
    return 0;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const mr_file_change *)a)->path, ((const mr_file_change *)b)->path);
}

static uint64_t entry_size(const mr_entry *e)
{
    return e && e->type == MR_ENTRY_FILE ? e->size : 0;
}

/* The core's comparison (src/compare.h), told the way a deploy tells it: a file whose
 * bytes only moved to another offset did not change for the user; a rename did. */
static int diff_images(mr_deploy_plan *plan, const mr_image *old, const mr_image *new, mr_err *err)
{
    size_t cap = 0;
    if (!old) { /* nothing on the board: every entry is new */
        for (size_t i = 0; i < new->count; i++)
            if (add_change(plan, &cap, MR_FILE_ADDED, &new->entries[i], NULL, 0, entry_size(&new->entries[i]),
                           err) < 0)
                return -1;
        return 0;
    }
    mr_diff d;
    if (mr_compare(old, new, &d, err) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < d.count && rc == 0; i++) {
        const mr_diff_item *it = &d.items[i];
        switch (it->kind) {
        case MR_DIFF_ADDED:
            rc = add_change(plan, &cap, MR_FILE_ADDED, it->b, NULL, 0, entry_size(it->b), err);
            break;
        case MR_DIFF_REMOVED:
            rc = add_change(plan, &cap, MR_FILE_REMOVED, it->a, NULL, entry_size(it->a), 0, err);
            break;
        case MR_DIFF_CHANGED:
            rc = add_change(plan, &cap, MR_FILE_CHANGED, it->b, NULL, entry_size(it->a), entry_size(it->b), err);
            break;
        case MR_DIFF_MOVED:
            if (strcmp(it->a->path, it->b->path) != 0)
                rc = add_change(plan, &cap, MR_FILE_RENAMED, it->b, it->a, entry_size(it->a), entry_size(it->b),
                                err);
            break;
        }
    }
    mr_diff_free(&d);
    if (rc == 0 && plan->nchanges > 1)
        qsort(plan->changes, plan->nchanges, sizeof *plan->changes, by_path);
    return rc;
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
