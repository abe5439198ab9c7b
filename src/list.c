#include "list.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static bool in_subtree(const mr_image *img, size_t i, size_t root)
{
    for (size_t p = img->entries[i].parent; p != MR_NO_PARENT; p = img->entries[p].parent)
        if (p == root)
            return true;
    return false;
}

int mr_list(mr_listing *l, const mr_image *img, uint64_t base, const char *path, bool types, mr_filetype *ft,
            mr_err *err)
{
    memset(l, 0, sizeof *l);
    l->img = img;
    l->base = base;
    size_t root = MR_NO_PARENT;
    const mr_entry *only = NULL;
    if (path && *path && strspn(path, "/") != strlen(path)) {
        const mr_entry *e = mr_image_find(img, path);
        if (!e)
            return mr_fail(err, "%s: no such file or directory in the image", path);
        if (e->type == MR_ENTRY_FILE)
            only = e;
        else
            root = (size_t)(e - img->entries);
    }
    l->rows = calloc(img->count ? img->count : 1, sizeof *l->rows);
    if (!l->rows)
        return mr_fail(err, "out of memory");
    /* descendants of a directory follow it in pre-order, up to the next non-descendant */
    size_t start = only ? (size_t)(only - img->entries) : root == MR_NO_PARENT ? 0 : root + 1;
    for (size_t i = start; i < img->count; i++) {
        const mr_entry *e = &img->entries[i];
        if (only && e != only)
            break;
        if (root != MR_NO_PARENT && !in_subtree(img, i, root))
            break;
        mr_row *r = &l->rows[l->count++];
        r->e = e;
        if (e->type == MR_ENTRY_DIR) {
            l->dirs++;
            r->offset = e->record_offset;
            r->address = base + r->offset;
            r->align = 0;
            if (types)
                snprintf(r->type, sizeof r->type, "directory");
        } else {
            l->files++;
            r->offset = e->data_kind == MR_DATA_NONE ? e->record_offset : e->data_offset;
            r->address = base + r->offset;
            r->align = mr_alignment(r->address);
            if (types) {
                const uint8_t *d = mr_entry_data(img, e);
                if (d)
                    mr_filetype_describe(ft, d, e->size, r->type, sizeof r->type);
                else
                    snprintf(r->type, sizeof r->type, "no data");
            }
        }
    }
    return 0;
}

void mr_list_free(mr_listing *l)
{
    free(l->rows);
    memset(l, 0, sizeof *l);
}

void mr_print_name(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x20 && *p < 0x7f && *p != '\\')
            putc(*p, out);
        else if (*p == '\\')
            fputs("\\\\", out);
        else
            fprintf(out, "\\x%02x", *p);
    }
}

void mr_json_string(FILE *out, const char *s)
{
    putc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p >= 0x20 && *p < 0x7f)
            putc(*p, out);
        else
            fprintf(out, "\\u%04x", *p);
    }
    putc('"', out);
}

static const char *storage(const mr_entry *e)
{
    if (e->type == MR_ENTRY_DIR)
        return "dir";
    switch (e->data_kind) {
    case MR_DATA_VERBATIM: return "verbatim";
    case MR_DATA_INDIRECT: return "indirect";
    default: return "none";
    }
}

static int ndigits(uint64_t v)
{
    int n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

/* Row formatting by hand: a listing of 20,000 entries should cost little more
 * than reading the image, and printf's format parsing is most of that cost. */
typedef struct line {
    char buf[MR_PATH_MAX * 4 + 512];
    size_t n;
} line;

static void put_str(line *l, const char *s, int width, bool right)
{
    size_t len = strlen(s);
    if (right)
        for (int i = (int)len; i < width; i++)
            l->buf[l->n++] = ' ';
    memcpy(l->buf + l->n, s, len);
    l->n += len;
    if (!right)
        for (int i = (int)len; i < width; i++)
            l->buf[l->n++] = ' ';
}

static void put_dec(line *l, uint64_t v, int width)
{
    char tmp[24];
    int k = 0;
    do {
        tmp[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (int i = k; i < width; i++)
        l->buf[l->n++] = ' ';
    while (k)
        l->buf[l->n++] = tmp[--k];
}

static void put_hex(line *l, uint64_t v, int digits)
{
    static const char hex[] = "0123456789abcdef";
    char tmp[20];
    int k = 0;
    do {
        tmp[k++] = hex[v & 15];
        v >>= 4;
    } while (v);
    l->buf[l->n++] = '0';
    l->buf[l->n++] = 'x';
    for (int i = k; i < digits; i++)
        l->buf[l->n++] = '0';
    while (k)
        l->buf[l->n++] = tmp[--k];
}

static void put_name(line *l, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x20 && *p < 0x7f && *p != '\\') {
            l->buf[l->n++] = (char)*p;
        } else if (*p == '\\') {
            l->buf[l->n++] = '\\';
            l->buf[l->n++] = '\\';
        } else {
            l->buf[l->n++] = '\\';
            l->buf[l->n++] = 'x';
            l->buf[l->n++] = hex[*p >> 4];
            l->buf[l->n++] = hex[*p & 15];
        }
    }
}

void mr_list_print_text(const mr_listing *l, bool types, FILE *out)
{
    int wsize = 4, walign = 5, wtype = 4, whex = 6;
    uint64_t maxaddr = 0, maxoff = 0;
    for (size_t i = 0; i < l->count; i++) {
        const mr_row *r = &l->rows[i];
        if (r->e->type == MR_ENTRY_FILE) {
            if (ndigits(r->e->size) > wsize)
                wsize = ndigits(r->e->size);
            if (ndigits(r->align) > walign)
                walign = ndigits(r->align);
        }
        if (r->address > maxaddr)
            maxaddr = r->address;
        if (r->offset > maxoff)
            maxoff = r->offset;
        if (types && (int)strlen(r->type) > wtype)
            wtype = (int)strlen(r->type);
    }
    while (whex < 16 && (maxoff >> (4 * whex)))
        whex++;
    int waddr = maxaddr > 0xffffffffu ? 16 : 8;
    line *ln = malloc(sizeof *ln);
    if (!ln)
        return;
    ln->n = 0;
    put_str(ln, "SIZE", wsize, true);
    put_str(ln, "  ", 0, false);
    put_str(ln, "OFFSET", whex + 2, false);
    put_str(ln, "  ", 0, false);
    put_str(ln, "ADDRESS", waddr + 2, false);
    put_str(ln, "  ", 0, false);
    put_str(ln, "ALIGN", walign, true);
    put_str(ln, "  DATA      ", 0, false);
    if (types) {
        put_str(ln, "TYPE", wtype, false);
        put_str(ln, "  ", 0, false);
    }
    put_str(ln, "PATH\n", 0, false);
    fwrite(ln->buf, 1, ln->n, out);
    for (size_t i = 0; i < l->count; i++) {
        const mr_row *r = &l->rows[i];
        bool dir = r->e->type == MR_ENTRY_DIR;
        ln->n = 0;
        if (dir)
            put_str(ln, "-", wsize, true);
        else
            put_dec(ln, r->e->size, wsize);
        put_str(ln, "  ", 0, false);
        put_hex(ln, r->offset, whex);
        put_str(ln, "  ", 0, false);
        put_hex(ln, r->address, waddr);
        put_str(ln, "  ", 0, false);
        if (dir)
            put_str(ln, "-", walign, true);
        else
            put_dec(ln, r->align, walign);
        put_str(ln, "  ", 0, false);
        put_str(ln, storage(r->e), 8, false);
        put_str(ln, "  ", 0, false);
        if (types) {
            put_str(ln, r->type, wtype, false);
            put_str(ln, "  ", 0, false);
        }
        put_name(ln, r->e->path);
        put_str(ln, dir ? "/\n" : "\n", 0, false);
        fwrite(ln->buf, 1, ln->n, out);
    }
    free(ln);
    mr_list_print_summary(l, out);
}

void mr_list_print_summary(const mr_listing *l, FILE *out)
{
    const mr_image *img = l->img;
    fprintf(out, "%zu file%s, %zu director%s, image %zu bytes, partition %zu bytes, %zu bytes free", l->files,
            l->files == 1 ? "" : "s", l->dirs, l->dirs == 1 ? "y" : "ies", img->image_size, img->len,
            img->free_bytes);
    if (img->tail_unerased)
        fprintf(out, " (%zu not erased)", img->tail_unerased);
    /* what the board skips: say so, as the board would not */
    size_t skipped = img->nnotes - img->problems;
    if (skipped)
        fprintf(out, "; %zu other record%s (padding, data areas, unknown kinds)", skipped, skipped == 1 ? "" : "s");
    if (img->problems)
        fprintf(out, "; %zu problem%s (see mpromfs verify)", img->problems, img->problems == 1 ? "" : "s");
    fputc('\n', out);
}

void mr_list_print_json(const mr_listing *l, FILE *out)
{
    const mr_image *img = l->img;
    fprintf(out,
            "{\"image_size\": %zu, \"partition_size\": %zu, \"free\": %zu, \"base\": %" PRIu64
            ", \"files\": %zu, \"dirs\": %zu, \"entries\": [",
            img->image_size, img->len, img->free_bytes, l->base, l->files, l->dirs);
    for (size_t i = 0; i < l->count; i++) {
        const mr_row *r = &l->rows[i];
        fputs(i ? ",\n  {\"path\": " : "\n  {\"path\": ", out);
        mr_json_string(out, r->e->path);
        if (r->e->type == MR_ENTRY_DIR) {
            fprintf(out, ", \"type\": \"dir\", \"children\": %zu, \"offset\": %" PRIu64 ", \"address\": %" PRIu64,
                    r->e->size, r->offset, r->address);
        } else {
            fprintf(out,
                    ", \"type\": \"file\", \"size\": %zu, \"offset\": %" PRIu64 ", \"address\": %" PRIu64
                    ", \"alignment\": %" PRIu64 ", \"storage\": \"%s\"",
                    r->e->size, r->offset, r->address, r->align, storage(r->e));
        }
        if (r->type[0]) {
            fputs(", \"content\": ", out);
            mr_json_string(out, r->type);
        }
        fputc('}', out);
    }
    fputs(l->count ? "\n], \"notes\": [" : "], \"notes\": [", out);
    for (size_t i = 0; i < img->nnotes; i++) {
        const mr_note *n = &img->notes[i];
        fprintf(out, "%s{\"offset\": %zu, \"kind\": %" PRIu64 ", \"size\": %zu, \"problem\": %s, \"what\": ",
                i ? ",\n  " : "\n  ", n->offset, n->kind, n->size, n->problem ? "true" : "false");
        mr_json_string(out, n->what);
        fputc('}', out);
    }
    fprintf(out, "%s], \"tail_unerased\": %zu}\n", img->nnotes ? "\n" : "", img->tail_unerased);
}
