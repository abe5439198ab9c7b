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

void mr_list_print_text(const mr_listing *l, bool types, FILE *out)
{
    int wsize = 4, walign = 5, wtype = 4, whex = 6;
    uint64_t maxaddr = 0;
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
        if (types && (int)strlen(r->type) > wtype)
            wtype = (int)strlen(r->type);
    }
    int waddr = maxaddr > 0xffffffffu ? 16 : 8;
    fprintf(out, "%*s  %-*s  %-*s  %*s  %-8s  ", wsize, "SIZE", whex + 2, "OFFSET", waddr + 2, "ADDRESS", walign,
            "ALIGN", "DATA");
    if (types)
        fprintf(out, "%-*s  ", wtype, "TYPE");
    fprintf(out, "PATH\n");
    for (size_t i = 0; i < l->count; i++) {
        const mr_row *r = &l->rows[i];
        bool dir = r->e->type == MR_ENTRY_DIR;
        if (dir)
            fprintf(out, "%*s  ", wsize, "-");
        else
            fprintf(out, "%*zu  ", wsize, r->e->size);
        fprintf(out, "0x%0*" PRIx64 "  0x%0*" PRIx64 "  ", whex, r->offset, waddr, r->address);
        if (dir)
            fprintf(out, "%*s  ", walign, "-");
        else
            fprintf(out, "%*" PRIu64 "  ", walign, r->align);
        fprintf(out, "%-8s  ", storage(r->e));
        if (types)
            fprintf(out, "%-*s  ", wtype, r->type);
        mr_print_name(out, r->e->path);
        fputs(dir ? "/\n" : "\n", out);
    }
    mr_list_print_summary(l, out);
}

void mr_list_print_summary(const mr_listing *l, FILE *out)
{
    const mr_image *img = l->img;
    fprintf(out, "%zu file%s, %zu director%s, image %zu bytes, partition %zu bytes, %zu bytes free\n", l->files,
            l->files == 1 ? "" : "s", l->dirs, l->dirs == 1 ? "y" : "ies", img->image_size, img->len,
            img->free_bytes);
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
    fputs(l->count ? "\n]}\n" : "]}\n", out);
}
