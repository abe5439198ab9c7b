#include "compare.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

typedef struct keyed {
    const mr_entry *e;
    uint32_t crc;
    bool used;
} keyed;

static int by_path(const void *x, const void *y)
{
    const mr_entry *a = *(const mr_entry *const *)x, *b = *(const mr_entry *const *)y;
    return strcmp(a->path, b->path);
}

static const mr_entry **sorted(const mr_image *img, mr_err *err)
{
    const mr_entry **v = malloc((img->count ? img->count : 1) * sizeof *v);
    if (!v) {
        mr_fail(err, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < img->count; i++)
        v[i] = &img->entries[i];
    if (img->count > 1)
        qsort(v, img->count, sizeof *v, by_path);
    return v;
}

static bool same_data(const mr_image *ia, const mr_entry *a, const mr_image *ib, const mr_entry *b)
{
    if (a->size != b->size)
        return false;
    const uint8_t *da = mr_entry_data(ia, a), *db = mr_entry_data(ib, b);
    if (!da || !db)
        return da == db;
    return a->size == 0 || memcmp(da, db, a->size) == 0;
}

static uint32_t crc_of(const mr_image *img, const mr_entry *e)
{
    const uint8_t *d = mr_entry_data(img, e);
    uLong c = crc32(0, NULL, 0);
    size_t n = d ? e->size : 0;
    while (n) {
        uInt chunk = n > (1u << 30) ? (1u << 30) : (uInt)n;
        c = crc32(c, d, chunk);
        d += chunk;
        n -= chunk;
    }
    return (uint32_t)c;
}

/* files by (size, crc): renames are found by binary search, not a quadratic scan */
static int by_key(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    bool fa = a->e->type == MR_ENTRY_FILE, fb = b->e->type == MR_ENTRY_FILE;
    if (fa != fb)
        return fa ? -1 : 1;
    if (a->e->size != b->e->size)
        return a->e->size < b->e->size ? -1 : 1;
    if (a->crc != b->crc)
        return a->crc < b->crc ? -1 : 1;
    return strcmp(a->e->path, b->e->path);
}

static size_t first_match(const keyed *v, size_t n, const keyed *k)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const keyed *m = &v[mid];
        bool less = m->e->type != MR_ENTRY_FILE ? false
                    : m->e->size != k->e->size  ? m->e->size < k->e->size
                                                : m->crc < k->crc;
        if (m->e->type != MR_ENTRY_FILE)
            hi = mid;
        else if (less)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int push(mr_diff *d, size_t *cap, mr_diff_kind kind, const mr_entry *a, const mr_entry *b, mr_err *err)
{
    if (d->count == *cap) {
        size_t n = *cap ? *cap * 2 : 32;
        mr_diff_item *q = realloc(d->items, n * sizeof *q);
        if (!q)
            return mr_fail(err, "out of memory");
        d->items = q;
        *cap = n;
    }
    d->items[d->count++] = (mr_diff_item){kind, a, b};
    switch (kind) {
    case MR_DIFF_ADDED: d->added++; break;
    case MR_DIFF_REMOVED: d->removed++; break;
    case MR_DIFF_CHANGED: d->changed++; break;
    case MR_DIFF_MOVED: d->moved++; break;
    }
    return 0;
}

static const char *item_path(const mr_diff_item *it)
{
    return it->b ? it->b->path : it->a->path;
}

static int by_item_path(const void *x, const void *y)
{
    return strcmp(item_path(x), item_path(y));
}

int mr_compare(const mr_image *ia, const mr_image *ib, mr_diff *d, mr_err *err)
{
    memset(d, 0, sizeof *d);
    size_t cap = 0;
    const mr_entry **a = sorted(ia, err), **b = a ? sorted(ib, err) : NULL;
    keyed *removed = NULL, *added = NULL;
    size_t nr = 0, na = 0;
    int rc = -1;
    if (!a || !b)
        goto out;
    removed = malloc((ia->count ? ia->count : 1) * sizeof *removed);
    added = malloc((ib->count ? ib->count : 1) * sizeof *added);
    if (!removed || !added) {
        mr_fail(err, "out of memory");
        goto out;
    }
    size_t i = 0, j = 0;
    while (i < ia->count || j < ib->count) {
        int c = i == ia->count ? 1 : j == ib->count ? -1 : strcmp(a[i]->path, b[j]->path);
        if (c < 0) {
            removed[nr++] = (keyed){a[i++], 0, false};
        } else if (c > 0) {
            added[na++] = (keyed){b[j++], 0, false};
        } else {
            const mr_entry *x = a[i++], *y = b[j++];
            int r = 0;
            if (x->type != y->type || (x->type == MR_ENTRY_FILE && !same_data(ia, x, ib, y)))
                r = push(d, &cap, MR_DIFF_CHANGED, x, y, err);
            else if (x->type == MR_ENTRY_FILE && x->data_offset != y->data_offset)
                r = push(d, &cap, MR_DIFF_MOVED, x, y, err);
            else
                d->same++;
            if (r)
                goto out;
        }
    }
    /* renames: a removed file whose bytes reappear under an added path */
    for (size_t k = 0; k < nr; k++)
        if (removed[k].e->type == MR_ENTRY_FILE)
            removed[k].crc = crc_of(ia, removed[k].e);
    for (size_t k = 0; k < na; k++)
        if (added[k].e->type == MR_ENTRY_FILE)
            added[k].crc = crc_of(ib, added[k].e);
    if (nr > 1)
        qsort(removed, nr, sizeof *removed, by_key);
    for (size_t k = 0; k < na; k++) {
        if (added[k].e->type != MR_ENTRY_FILE)
            continue;
        for (size_t r = first_match(removed, nr, &added[k]); r < nr; r++) {
            keyed *rm = &removed[r];
            if (rm->e->type != MR_ENTRY_FILE || rm->e->size != added[k].e->size || rm->crc != added[k].crc)
                break;
            if (!rm->used && same_data(ia, rm->e, ib, added[k].e)) {
                rm->used = added[k].used = true;
                if (push(d, &cap, MR_DIFF_MOVED, rm->e, added[k].e, err))
                    goto out;
                break;
            }
        }
    }
    for (size_t k = 0; k < nr; k++)
        if (!removed[k].used && push(d, &cap, MR_DIFF_REMOVED, removed[k].e, NULL, err))
            goto out;
    for (size_t k = 0; k < na; k++)
        if (!added[k].used && push(d, &cap, MR_DIFF_ADDED, NULL, added[k].e, err))
            goto out;
    if (d->count > 1)
        qsort(d->items, d->count, sizeof *d->items, by_item_path);
    rc = 0;
out:
    free(a);
    free(b);
    free(removed);
    free(added);
    if (rc)
        mr_diff_free(d);
    return rc;
}

void mr_diff_free(mr_diff *d)
{
    free(d->items);
    memset(d, 0, sizeof *d);
}

static void print_path(FILE *out, const mr_entry *e)
{
    for (const unsigned char *p = (const unsigned char *)e->path; *p; p++)
        if (*p >= 0x20 && *p < 0x7f && *p != '\\')
            putc(*p, out);
        else
            fprintf(out, "\\x%02x", *p);
    if (e->type == MR_ENTRY_DIR)
        putc('/', out);
}

void mr_diff_print(const mr_diff *d, FILE *out)
{
    for (size_t i = 0; i < d->count; i++) {
        const mr_diff_item *it = &d->items[i];
        switch (it->kind) {
        case MR_DIFF_ADDED:
            fputs("added    ", out);
            print_path(out, it->b);
            if (it->b->type == MR_ENTRY_FILE)
                fprintf(out, "  (%zu bytes)", it->b->size);
            break;
        case MR_DIFF_REMOVED:
            fputs("removed  ", out);
            print_path(out, it->a);
            if (it->a->type == MR_ENTRY_FILE)
                fprintf(out, "  (%zu bytes)", it->a->size);
            break;
        case MR_DIFF_CHANGED:
            fputs("changed  ", out);
            print_path(out, it->b);
            if (it->a->type != it->b->type)
                fprintf(out, "  (%s -> %s)", it->a->type == MR_ENTRY_DIR ? "directory" : "file",
                        it->b->type == MR_ENTRY_DIR ? "directory" : "file");
            else
                fprintf(out, "  (%zu -> %zu bytes)", it->a->size, it->b->size);
            break;
        case MR_DIFF_MOVED:
            fputs("moved    ", out);
            if (strcmp(it->a->path, it->b->path) != 0) {
                print_path(out, it->a);
                fputs(" -> ", out);
            }
            print_path(out, it->b);
            fprintf(out, "  (same %zu bytes, offset 0x%zx -> 0x%zx)", it->b->size, it->a->data_offset,
                    it->b->data_offset);
            break;
        }
        putc('\n', out);
    }
    fprintf(out, "%zu added, %zu removed, %zu changed, %zu moved, %zu unchanged\n", d->added, d->removed, d->changed,
            d->moved, d->same);
}
