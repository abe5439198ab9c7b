/* The strict ROMFS reader. It walks records the way MicroPython's extmod/vfs_rom.c
 * does (skipping padding and unknown kinds), but where the board quietly gives up
 * on corruption this reader names what is wrong and at which byte offset.
 * The walk is iterative with an explicit stack, so a hostile image nesting
 * thousands of directories cannot exhaust the C stack. */
#include "image.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "romfs.h"
#include "varuint.h"

typedef struct frame {
    size_t end;    /* first byte after this directory's records */
    size_t parent; /* entry index of the directory, MR_NO_PARENT for the image */
    unsigned depth;
} frame;

typedef struct parser {
    mr_image *img;
    mr_err *err;
    size_t entries_cap, notes_cap;
    frame *stack;
    size_t depth_used, stack_cap;
} parser;

static int grow(void **p, size_t *cap, size_t need, size_t elem, mr_err *err)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return mr_fail(err, "out of memory while reading the image");
    *p = q;
    *cap = n;
    return 0;
}

static int note(parser *ps, size_t offset, uint64_t kind, size_t size, bool problem,
                const char *fmt, ...) MR_PRINTF(6, 7);
static int note(parser *ps, size_t offset, uint64_t kind, size_t size, bool problem,
                const char *fmt, ...)
{
    mr_image *img = ps->img;
    if (grow((void **)&img->notes, &ps->notes_cap, img->nnotes + 1, sizeof *img->notes, ps->err))
        return -1;
    mr_note *n = &img->notes[img->nnotes++];
    n->offset = offset;
    n->kind = kind;
    n->size = size;
    n->problem = problem;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(n->what, sizeof n->what, fmt, ap);
    va_end(ap);
    if (problem)
        img->problems++;
    return 0;
}

/* Decode a varuint at *pos that must end before `end`; `what` names it in errors. */
static int read_uint(parser *ps, size_t *pos, size_t end, const char *what, uint64_t *out)
{
    size_t used;
    mr_varuint_status st = mr_varuint_decode(ps->img->bytes + *pos, end - *pos, out, &used);
    if (st == MR_VARUINT_TRUNCATED)
        return mr_fail(ps->err, "%s truncated at byte offset %zu (its enclosing record ends at byte offset %zu)",
                       what, *pos, end);
    if (st == MR_VARUINT_OVERFLOW)
        return mr_fail(ps->err, "%s at byte offset %zu does not fit in 64 bits", what, *pos);
    *pos += used;
    return 0;
}

/* A record header: kind and payload length, the payload inside [pos, end). */
static int read_record(parser *ps, size_t *pos, size_t end, uint64_t *kind, size_t *payload_end)
{
    size_t at = *pos;
    uint64_t len;
    if (read_uint(ps, pos, end, "record kind", kind) || read_uint(ps, pos, end, "record length", &len))
        return -1;
    if (len > end - *pos)
        return mr_fail(ps->err,
                       "record at byte offset %zu (kind %llu) claims %llu payload bytes but only %zu remain before byte offset %zu",
                       at, (unsigned long long)*kind, (unsigned long long)len, end - *pos, end);
    if (*kind == MR_KIND_UNUSED)
        return mr_fail(ps->err, "record of kind 0 (unused) at byte offset %zu: the image is corrupt", at);
    *payload_end = *pos + (size_t)len;
    return 0;
}

static bool name_is_plain(const uint8_t *name, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (name[i] < 0x20 || name[i] > 0x7e)
            return false;
    return true;
}

/* The data record of a file: the first record of kind 2 or 3 among its nested records. */
static int read_file_data(parser *ps, mr_entry *e, size_t pos, size_t end)
{
    mr_image *img = ps->img;
    bool found = false;
    while (pos < end) {
        size_t at = pos, pend;
        uint64_t kind;
        if (read_record(ps, &pos, end, &kind, &pend))
            return mr_wrap(ps->err, "in file '%s'", e->path);
        if ((kind == MR_KIND_VERBATIM || kind == MR_KIND_INDIRECT) && found) {
            if (note(ps, at, kind, pend - at, false, "'%s': extra data record ignored", e->path))
                return -1;
        } else if (kind == MR_KIND_VERBATIM) {
            found = true;
            e->data_kind = MR_DATA_VERBATIM;
            e->data_offset = pos;
            e->size = pend - pos;
            e->data_record_offset = at;
        } else if (kind == MR_KIND_INDIRECT) {
            uint64_t size, offset;
            size_t p = pos;
            if (read_uint(ps, &p, pend, "indirect data size", &size) ||
                read_uint(ps, &p, pend, "indirect data offset", &offset))
                return mr_wrap(ps->err, "in file '%s'", e->path);
            if (offset > img->payload_len || size > img->payload_len - offset)
                return mr_fail(ps->err,
                               "file '%s': indirect data at byte offset %zu points to %llu bytes at payload offset %llu, past the image payload (%zu bytes)",
                               e->path, at, (unsigned long long)size, (unsigned long long)offset,
                               img->payload_len);
            found = true;
            e->data_kind = MR_DATA_INDIRECT;
            e->data_offset = img->payload_offset + (size_t)offset;
            e->size = (size_t)size;
            e->data_record_offset = at;
        } else if (kind == MR_KIND_PADDING) {
            if (note(ps, at, kind, pend - at, false, "padding (%zu bytes) in file '%s'", pend - at, e->path))
                return -1;
        } else {
            if (note(ps, at, kind, pend - at, false, "unknown record kind %llu in file '%s' (skipped)",
                     (unsigned long long)kind, e->path))
                return -1;
        }
        pos = pend;
    }
    if (!found)
        return note(ps, e->record_offset, MR_KIND_FILE, e->record_size, true,
                    "file '%s' has no data record: the board cannot open it", e->path);
    return 0;
}

/* A directory or file record whose payload is [*pos_io, pend): adds the entry and
 * leaves *pos_io just after the name (where a directory's children start). */
static int read_entry(parser *ps, uint64_t kind, size_t at, size_t *pos_io, size_t pend, const frame *top)
{
    size_t pos = *pos_io;
    mr_image *img = ps->img;
    uint64_t name_len;
    size_t name_at = pos;
    if (read_uint(ps, &pos, pend, "name length", &name_len))
        return -1;
    if (name_len > pend - pos)
        return mr_fail(ps->err, "name at byte offset %zu claims %llu bytes but its record ends at byte offset %zu",
                       name_at, (unsigned long long)name_len, pend);
    const uint8_t *name = img->bytes + pos;
    size_t nlen = (size_t)name_len;
    if (nlen == 0)
        return mr_fail(ps->err, "empty name at byte offset %zu", name_at);
    if (memchr(name, '/', nlen) || memchr(name, '\0', nlen))
        return mr_fail(ps->err, "name at byte offset %zu contains '/' or a NUL byte", name_at);
    if ((nlen == 1 && name[0] == '.') || (nlen == 2 && name[0] == '.' && name[1] == '.'))
        return mr_fail(ps->err, "name '%.*s' at byte offset %zu is not allowed", (int)nlen, (const char *)name,
                       name_at);
    if (top->depth >= MR_DEPTH_MAX)
        return mr_fail(ps->err, "record at byte offset %zu is nested deeper than %d directories", at, MR_DEPTH_MAX);
    const char *ppath = top->parent == MR_NO_PARENT ? "" : img->entries[top->parent].path;
    size_t plen = strlen(ppath);
    if (plen + 1 + nlen > MR_PATH_MAX)
        return mr_fail(ps->err, "path of the record at byte offset %zu is longer than %d bytes", at, MR_PATH_MAX);

    if (grow((void **)&img->entries, &ps->entries_cap, img->count + 1, sizeof *img->entries, ps->err))
        return -1;
    char *path = malloc(plen + 1 + nlen + 1);
    if (!path)
        return mr_fail(ps->err, "out of memory while reading the image");
    if (plen) {
        memcpy(path, ppath, plen);
        path[plen++] = '/';
    }
    memcpy(path + plen, name, nlen);
    path[plen + nlen] = '\0';

    size_t idx = img->count++;
    mr_entry *e = &img->entries[idx];
    memset(e, 0, sizeof *e);
    e->path = path;
    e->name = path + plen;
    e->type = kind == MR_KIND_DIR ? MR_ENTRY_DIR : MR_ENTRY_FILE;
    e->depth = top->depth;
    e->parent = top->parent;
    e->record_offset = at;
    e->record_size = pend - at;
    e->data_kind = MR_DATA_NONE;
    if (top->parent != MR_NO_PARENT)
        img->entries[top->parent].size++;
    if (!name_is_plain(name, nlen) &&
        note(ps, at, kind, pend - at, true, "name at byte offset %zu has bytes outside printable ASCII", name_at))
        return -1;
    pos += nlen;
    *pos_io = pos;
    if (e->type == MR_ENTRY_FILE) {
        img->files++;
        return read_file_data(ps, e, pos, pend);
    }
    img->dirs++;
    if (grow((void **)&ps->stack, &ps->stack_cap, ps->depth_used + 1, sizeof *ps->stack, ps->err))
        return -1;
    ps->stack[ps->depth_used++] = (frame){.end = pend, .parent = idx, .depth = top->depth + 1};
    return 0;
}

static int read_header(parser *ps)
{
    mr_image *img = ps->img;
    const uint8_t *b = img->bytes;
    if (img->len < MR_MAGIC_LEN + 1 || b[0] != MR_MAGIC0 || b[1] != MR_MAGIC1 || b[2] != MR_MAGIC2) {
        if (img->len < MR_MAGIC_LEN + 1)
            return mr_fail(ps->err, "not a ROMFS image: only %zu bytes, a header needs at least 4", img->len);
        return mr_fail(ps->err, "not a ROMFS image: bytes %02x %02x %02x at byte offset 0, expected d2 cd 31", b[0],
                       b[1], b[2]);
    }
    size_t pos = MR_MAGIC_LEN;
    uint64_t len;
    if (read_uint(ps, &pos, img->len, "image length", &len))
        return -1;
    if (len > img->len - pos)
        return mr_fail(ps->err,
                       "image header claims %llu payload bytes from byte offset %zu but only %zu bytes follow (truncated image?)",
                       (unsigned long long)len, pos, img->len - pos);
    img->header_size = pos;
    img->payload_offset = pos;
    img->payload_len = (size_t)len;
    img->image_size = pos + (size_t)len;
    img->free_bytes = img->len - img->image_size;
    for (size_t i = img->image_size; i < img->len; i++)
        img->tail_unerased += b[i] != 0xff;
    if (img->image_size % 2)
        return note(ps, 0, MR_KIND_IMAGE, img->image_size, true,
                    "image size %zu is odd: ROMFS images must have an even size", img->image_size);
    return 0;
}

static int cmp_path(const void *a, const void *b)
{
    const mr_entry *x = *(const mr_entry *const *)a, *y = *(const mr_entry *const *)b;
    int c = strcmp(x->path, y->path);
    if (c)
        return c;
    return x->record_offset < y->record_offset ? -1 : x->record_offset > y->record_offset;
}

/* Two entries with the same path: the board only ever finds the first one. */
static int check_duplicates(parser *ps)
{
    mr_image *img = ps->img;
    if (img->count < 2)
        return 0;
    const mr_entry **v = malloc(img->count * sizeof *v);
    if (!v)
        return mr_fail(ps->err, "out of memory while reading the image");
    for (size_t i = 0; i < img->count; i++)
        v[i] = &img->entries[i];
    qsort(v, img->count, sizeof *v, cmp_path);
    int rc = 0;
    for (size_t i = 1; i < img->count && rc == 0; i++)
        if (strcmp(v[i]->path, v[i - 1]->path) == 0)
            rc = note(ps, v[i]->record_offset, v[i]->type == MR_ENTRY_DIR ? MR_KIND_DIR : MR_KIND_FILE,
                      v[i]->record_size, true, "duplicate name '%s' at byte offset %zu (the board only sees the first)",
                      v[i]->path, v[i]->record_offset);
    free(v);
    return rc;
}

static int walk(parser *ps)
{
    mr_image *img = ps->img;
    if (grow((void **)&ps->stack, &ps->stack_cap, 1, sizeof *ps->stack, ps->err))
        return -1;
    ps->stack[ps->depth_used++] = (frame){.end = img->image_size, .parent = MR_NO_PARENT, .depth = 0};
    size_t pos = img->payload_offset;
    while (ps->depth_used) {
        frame top = ps->stack[ps->depth_used - 1];
        if (pos >= top.end) {
            ps->depth_used--;
            continue;
        }
        size_t at = pos, pend;
        uint64_t kind;
        if (read_record(ps, &pos, top.end, &kind, &pend))
            return -1;
        if (kind == MR_KIND_DIR || kind == MR_KIND_FILE) {
            if (read_entry(ps, kind, at, &pos, pend, &top))
                return -1;
            /* a directory's children follow its name (read_entry pushed its frame) */
            if (kind == MR_KIND_FILE)
                pos = pend;
            continue;
        }
        if (kind == MR_KIND_PADDING) {
            if (note(ps, at, kind, pend - at, false, "padding (%zu bytes)", pend - at))
                return -1;
        } else if (kind == MR_KIND_VERBATIM || kind == MR_KIND_INDIRECT) {
            if (note(ps, at, kind, pend - at, false, "data record outside a file (%zu bytes, a data area)", pend - at))
                return -1;
        } else if (note(ps, at, kind, pend - at, false, "unknown record kind %llu (%zu bytes, skipped)",
                        (unsigned long long)kind, pend - at)) {
            return -1;
        }
        pos = pend;
    }
    return check_duplicates(ps);
}

bool mr_image_probe(const uint8_t *bytes, size_t len, size_t *image_size)
{
    if (len < MR_MAGIC_LEN + 1 || bytes[0] != MR_MAGIC0 || bytes[1] != MR_MAGIC1 || bytes[2] != MR_MAGIC2)
        return false;
    uint64_t v;
    size_t used;
    if (mr_varuint_decode(bytes + MR_MAGIC_LEN, len - MR_MAGIC_LEN, &v, &used) != MR_VARUINT_OK)
        return false;
    if (v > len - MR_MAGIC_LEN - used)
        return false;
    if (image_size)
        *image_size = MR_MAGIC_LEN + used + (size_t)v;
    return true;
}

int mr_image_parse(mr_image *img, const uint8_t *bytes, size_t len, mr_err *err)
{
    memset(img, 0, sizeof *img);
    img->bytes = bytes;
    img->len = len;
    parser ps = {.img = img, .err = err};
    int rc = read_header(&ps);
    if (rc == 0)
        rc = walk(&ps);
    free(ps.stack);
    if (rc) {
        mr_image_free(img);
        img->bytes = bytes;
        img->len = len;
    }
    return rc;
}

void mr_image_free(mr_image *img)
{
    for (size_t i = 0; i < img->count; i++)
        free(img->entries[i].path);
    free(img->entries);
    free(img->notes);
    memset(img, 0, sizeof *img);
}

const mr_entry *mr_image_find(const mr_image *img, const char *path)
{
    while (*path == '/')
        path++;
    size_t n = strlen(path);
    while (n && path[n - 1] == '/')
        n--;
    if (n == 0)
        return NULL;
    for (size_t i = 0; i < img->count; i++)
        if (strncmp(img->entries[i].path, path, n) == 0 && img->entries[i].path[n] == '\0')
            return &img->entries[i];
    return NULL;
}

const uint8_t *mr_entry_data(const mr_image *img, const mr_entry *e)
{
    if (e->type != MR_ENTRY_FILE || e->data_kind == MR_DATA_NONE)
        return NULL;
    return img->bytes + e->data_offset;
}

uint64_t mr_alignment(uint64_t addr)
{
    if (addr == 0)
        return MR_ALIGN_CAP;
    uint64_t a = addr & (~addr + 1);
    return a > MR_ALIGN_CAP ? MR_ALIGN_CAP : a;
}
