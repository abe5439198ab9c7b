#include "model_map.h"

#include <stdlib.h>
#include <string.h>

#include "romfs.h"

static int by_data_offset(const void *a, const void *b, void *ctx)
{
    const mr_image *img = ctx;
    const mr_entry *x = &img->entries[*(const size_t *)a];
    const mr_entry *y = &img->entries[*(const size_t *)b];
    if (x->data_offset != y->data_offset)
        return x->data_offset < y->data_offset ? -1 : 1;
    return x->record_offset < y->record_offset ? -1 : x->record_offset > y->record_offset;
}

/* Add len bytes starting at off to field (0 meta, 1 data, 2 pad) of the units they
 * fall in, moving them out of meta for data and pad. */
static void account(tui_map *m, uint64_t off, uint64_t len, int field)
{
    if (off >= m->part_size)
        return;
    if (len > m->part_size - off)
        len = m->part_size - off;
    while (len > 0) {
        size_t u = (size_t)(off / m->unit);
        uint64_t room = (u + 1) * m->unit - off;
        uint32_t n = (uint32_t)(len < room ? len : room);
        tui_unit *t = &m->units[u];
        if (field == 0) {
            t->meta += n;
        } else {
            uint32_t moved = n < t->meta ? n : t->meta;
            t->meta -= moved;
            if (field == 1)
                t->data += moved;
            else
                t->pad += moved;
        }
        off += n;
        len -= n;
    }
}

static uint8_t classify(uint32_t meta, uint32_t data, uint32_t pad)
{
    if (!meta && !data && !pad)
        return TUI_UNIT_FREE;
    if (data >= meta && data >= pad)
        return TUI_UNIT_DATA;
    if (meta >= pad)
        return TUI_UNIT_META;
    return TUI_UNIT_PAD;
}

int tui_map_build(tui_map *m, const mr_image *img, uint64_t part_size, uint32_t erase_unit, mr_err *err)
{
    memset(m, 0, sizeof *m);
    if (part_size == 0)
        return mr_fail(err, "the partition is empty (size 0)");
    m->part_size = part_size;
    m->unit = erase_unit;
    m->unit_is_erase = true;
    if (erase_unit == 0 || erase_unit >= part_size || part_size / erase_unit < 4) {
        /* one unit for the whole partition says nothing: show 1/256ths, at least 256 B */
        uint64_t u = 256;
        while (u * 256 < part_size)
            u *= 2;
        m->unit = u;
        m->unit_is_erase = false;
    }
    if (m->unit > UINT32_MAX)
        return mr_fail(err, "erase unit too large to map");
    m->nunits = (size_t)((part_size + m->unit - 1) / m->unit);
    m->units = calloc(m->nunits, sizeof *m->units);
    if (!m->units)
        return mr_fail(err, "out of memory mapping %zu units", m->nunits);
    if (img) {
        m->image_size = img->image_size;
        account(m, 0, img->image_size, 0);
        size_t nf = 0;
        for (size_t i = 0; i < img->count; i++)
            nf += img->entries[i].type == MR_ENTRY_FILE;
        m->files = malloc((nf ? nf : 1) * sizeof *m->files);
        if (!m->files) {
            tui_map_free(m);
            return mr_fail(err, "out of memory");
        }
        for (size_t i = 0; i < img->count; i++) {
            const mr_entry *e = &img->entries[i];
            if (e->type != MR_ENTRY_FILE)
                continue;
            m->files[m->nfiles++] = i;
            account(m, e->data_offset, e->size, 1);
        }
        for (size_t i = 0; i < img->nnotes; i++)
            if (img->notes[i].kind == MR_KIND_PADDING)
                account(m, img->notes[i].offset, img->notes[i].size, 2);
        qsort_r(m->files, m->nfiles, sizeof *m->files, by_data_offset, (void *)img);
    }
    for (size_t u = 0; u < m->nunits; u++)
        m->units[u].cls = classify(m->units[u].meta, m->units[u].data, m->units[u].pad);
    return 0;
}

void tui_map_free(tui_map *m)
{
    free(m->units);
    free(m->files);
    m->units = NULL;
    m->files = NULL;
    m->nunits = m->nfiles = 0;
}

bool tui_map_units_of(const tui_map *m, const mr_entry *e, size_t *first, size_t *last)
{
    uint64_t off, len;
    if (e->type == MR_ENTRY_FILE) {
        off = e->data_offset;
        len = e->size;
    } else {
        off = e->record_offset;
        len = e->record_size;
    }
    if (len == 0 || off >= m->part_size || m->nunits == 0)
        return false;
    uint64_t end = off + len - 1;
    if (end >= m->part_size)
        end = m->part_size - 1;
    *first = (size_t)(off / m->unit);
    *last = (size_t)(end / m->unit);
    return true;
}

void tui_map_files_in(const tui_map *m, const mr_image *img, size_t u, size_t *from, size_t *to)
{
    *from = *to = 0;
    if (!img || u >= m->nunits)
        return;
    uint64_t lo = (uint64_t)u * m->unit, hi = lo + m->unit;
    /* files are sorted by data offset: the first whose data ends after lo, then
     * every one that starts before hi */
    size_t a = 0, b = m->nfiles;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        const mr_entry *e = &img->entries[m->files[mid]];
        if (e->data_offset + e->size <= lo)
            a = mid + 1;
        else
            b = mid;
    }
    /* an earlier, longer file may still reach into the unit when offsets overlap
     * (indirect data): step back over empty and overlapping ones */
    while (a > 0 && img->entries[m->files[a - 1]].data_offset + img->entries[m->files[a - 1]].size > lo)
        a--;
    size_t z = a;
    while (z < m->nfiles && img->entries[m->files[z]].data_offset < hi) {
        z++;
    }
    /* skip empty files at the front: they touch no byte */
    while (a < z && img->entries[m->files[a]].size == 0)
        a++;
    *from = a;
    *to = z < a ? a : z;
}

void tui_map_mark_write(tui_map *m, uint64_t off, uint64_t len)
{
    if (len == 0 || off >= m->part_size)
        return;
    uint64_t end = off + len - 1;
    if (end >= m->part_size)
        end = m->part_size - 1;
    for (size_t u = (size_t)(off / m->unit); u <= (size_t)(end / m->unit); u++)
        if (!m->units[u].write) {
            m->units[u].write = true;
            m->nwrite++;
        }
}

void tui_map_clear_writes(tui_map *m)
{
    for (size_t u = 0; u < m->nunits; u++)
        m->units[u].write = false;
    m->nwrite = 0;
}

char tui_unit_mark(const tui_unit *u)
{
    if (u->write)
        return 'W';
    switch (u->cls) {
    case TUI_UNIT_META: return 'H';
    case TUI_UNIT_DATA: return '#';
    case TUI_UNIT_PAD: return ':';
    default: return '.';
    }
}

const char *tui_unit_class_name(tui_unit_class c)
{
    switch (c) {
    case TUI_UNIT_META: return "header and directories";
    case TUI_UNIT_DATA: return "file data";
    case TUI_UNIT_PAD: return "alignment padding";
    default: return "free (erased)";
    }
}

tui_unit tui_map_group(const tui_map *m, size_t from, size_t to)
{
    tui_unit g = {0, 0, 0, TUI_UNIT_FREE, false};
    uint64_t meta = 0, data = 0, pad = 0;
    for (size_t u = from; u < to && u < m->nunits; u++) {
        meta += m->units[u].meta;
        data += m->units[u].data;
        pad += m->units[u].pad;
        g.write |= m->units[u].write;
    }
    /* scale into 32 bits keeping the proportions */
    while (meta > UINT32_MAX || data > UINT32_MAX || pad > UINT32_MAX)
        meta >>= 1, data >>= 1, pad >>= 1;
    g.meta = (uint32_t)meta;
    g.data = (uint32_t)data;
    g.pad = (uint32_t)pad;
    g.cls = classify(g.meta, g.data, g.pad);
    if (g.cls == TUI_UNIT_FREE && (meta | data | pad))
        g.cls = TUI_UNIT_META;
    return g;
}
