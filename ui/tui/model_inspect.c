#include "model_inspect.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "mpy.h"
#include "romfs.h"
#include "varuint.h"

size_t tui_hex_rows(size_t len)
{
    return (len + 15) / 16;
}

void tui_hex_row(const uint8_t *data, size_t len, size_t row, uint64_t off0, char *out, size_t cap)
{
    if (cap == 0)
        return;
    size_t start = row * 16;
    int o = snprintf(out, cap, "%08" PRIx64 " ", off0 + start);
    char text[17];
    size_t k = 0;
    for (size_t i = 0; i < 16 && o > 0 && (size_t)o < cap; i++) {
        size_t at = start + i;
        if (i == 8)
            o += snprintf(out + o, cap - (size_t)o, " ");
        if (at < len && start < len) {
            o += snprintf(out + o, cap - (size_t)o, " %02x", data[at]);
            text[k++] = data[at] >= 0x20 && data[at] < 0x7f ? (char)data[at] : '.';
        } else {
            o += snprintf(out + o, cap - (size_t)o, "   ");
        }
    }
    text[k] = '\0';
    if (o > 0 && (size_t)o < cap)
        snprintf(out + o, cap - (size_t)o, "  |%s|", text);
}

static bool read_uint(const uint8_t *d, size_t len, size_t *pos, uint64_t *v)
{
    size_t used;
    if (*pos >= len || mr_varuint_decode(d + *pos, len - *pos, v, &used) != MR_VARUINT_OK)
        return false;
    *pos += used;
    return true;
}

void tui_mpy_lines(const uint8_t *d, size_t len, tui_lines *out)
{
    mr_mpy_info mi;
    if (!mr_mpy_decode(d, len, &mi)) {
        tui_lines_add(out, 0, "not a .mpy file: it does not start with 'M' and a version from 1 to 6");
        return;
    }
    char desc[128];
    mr_mpy_describe(&mi, desc, sizeof desc);
    tui_lines_add(out, 0, "%s", desc);
    tui_lines_add(out, 0, "byte 0  magic           'M'");
    tui_lines_add(out, 1, "byte 1  version         %u%s", mi.version, mi.version == 6 ? " (MicroPython 1.19 and later)" : " (older MicroPython)");
    const char *arch = mr_mpy_arch_name(mi.arch);
    tui_lines_add(out, 2, "byte 2  features        0x%02x: arch %u (%s), sub-version %u%s", d[2], mi.arch,
                  arch ? arch : "unknown", mi.sub_version, mi.arch_flags ? ", arch flags follow" : "");
    tui_lines_add(out, 3, "byte 3  small int bits  %u", mi.small_int_bits);
    if (mi.version < 6)
        return;
    size_t pos = 4;
    uint64_t v;
    if (mi.arch_flags) {
        if (!read_uint(d, len, &pos, &v)) {
            tui_lines_add(out, pos, "truncated: the arch flags do not fit");
            return;
        }
        tui_lines_add(out, 4, "        arch flags      0x%" PRIx64, v);
    }
    uint64_t nq, no;
    size_t at = pos;
    if (!read_uint(d, len, &pos, &nq) || !read_uint(d, len, &pos, &no)) {
        tui_lines_add(out, at, "truncated: the table sizes do not fit");
        return;
    }
    tui_lines_add(out, at, "        qstr table      %" PRIu64 " strings", nq);
    tui_lines_add(out, at, "        constants       %" PRIu64 " objects", no);
    if (nq == 0)
        return;
    at = pos;
    if (!read_uint(d, len, &pos, &v)) {
        tui_lines_add(out, at, "truncated: the first string does not fit");
        return;
    }
    if (v & 1) {
        tui_lines_add(out, at, "        source file     static qstr %" PRIu64, v >> 1);
        return;
    }
    v >>= 1;
    if (v > len - pos) {
        tui_lines_add(out, at, "truncated: the source file name (%" PRIu64 " bytes) does not fit", v);
        return;
    }
    char name[256];
    size_t n = v < sizeof name - 1 ? (size_t)v : sizeof name - 1;
    for (size_t i = 0; i < n; i++)
        name[i] = d[pos + i] >= 0x20 && d[pos + i] < 0x7f ? (char)d[pos + i] : '?';
    name[n] = '\0';
    tui_lines_add(out, at, "        source file     %s", name);
}

static const char *kind_name(uint64_t k)
{
    switch (k) {
    case MR_KIND_UNUSED: return "unused (corrupt)";
    case MR_KIND_PADDING: return "padding";
    case MR_KIND_VERBATIM: return "data";
    case MR_KIND_INDIRECT: return "indirect data";
    case MR_KIND_DIR: return "dir";
    case MR_KIND_FILE: return "file";
    case MR_KIND_IMAGE: return "image";
    default: return "unknown";
    }
}

static void safe_name(const uint8_t *p, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 5 < cap; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7f)
            out[o++] = (char)p[i];
        else
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", p[i]);
    }
    out[o] = '\0';
}

/* Records in [pos, end) at nesting depth; explicit stack instead of recursion so a
 * hostile image cannot exhaust the C stack. */
void tui_records_lines(const uint8_t *img, size_t len, tui_lines *out)
{
    enum { MAXD = 64 };
    size_t ends[MAXD];
    int depth = 0;
    size_t pos = 0;
    uint64_t kind, plen;
    size_t used;
    if (len < 3 || img[0] != MR_MAGIC0 || img[1] != MR_MAGIC1 || img[2] != MR_MAGIC2) {
        tui_lines_add(out, 0, "no ROMFS header at offset 0 (the magic bytes d2 cd 31 are missing)");
        return;
    }
    pos = 3;
    if (mr_varuint_decode(img + pos, len - pos, &plen, &used) != MR_VARUINT_OK || plen > len - pos - used) {
        tui_lines_add(out, 0, "image header: the length does not fit in %zu bytes", len);
        return;
    }
    pos += used;
    tui_lines_add(out, 0, "%08x  image header  %zu bytes, payload %" PRIu64 " bytes, image %" PRIu64 " bytes", 0,
                  pos, plen, (uint64_t)pos + plen);
    ends[0] = pos + (size_t)plen;
    while (depth >= 0 && out->n < 1000000) {
        if (pos >= ends[depth]) {
            depth--;
            continue;
        }
        size_t at = pos, end = ends[depth];
        if (mr_varuint_decode(img + pos, end - pos, &kind, &used) != MR_VARUINT_OK) {
            tui_lines_add(out, at, "%08zx  %*s(truncated record kind)", at, 2 * depth, "");
            return;
        }
        pos += used;
        if (mr_varuint_decode(img + pos, end - pos, &plen, &used) != MR_VARUINT_OK || plen > end - pos - used) {
            tui_lines_add(out, at, "%08zx  %*s%s: length runs past its parent's end", at, 2 * depth, "",
                          kind_name(kind));
            return;
        }
        pos += used;
        size_t pstart = pos, pend = pos + (size_t)plen;
        if (kind == MR_KIND_DIR || kind == MR_KIND_FILE) {
            uint64_t nlen;
            if (mr_varuint_decode(img + pos, pend - pos, &nlen, &used) != MR_VARUINT_OK ||
                nlen > pend - pos - used) {
                tui_lines_add(out, at, "%08zx  %*s%s: name runs past the record", at, 2 * depth, "",
                              kind_name(kind));
                return;
            }
            char name[512];
            safe_name(img + pos + used, (size_t)nlen, name, sizeof name);
            tui_lines_add(out, at, "%08zx  %*s%-5s %s  (%zu bytes)", at, 2 * depth, "", kind_name(kind), name,
                          pend - at);
            pos += used + (size_t)nlen;
            if (depth + 1 >= MAXD) {
                tui_lines_add(out, at, "          nested deeper than %d: not shown", MAXD);
                pos = pend;
                continue;
            }
            ends[++depth] = pend;
            continue;
        }
        if (kind == MR_KIND_VERBATIM) {
            tui_lines_add(out, at, "%08zx  %*sdata  %" PRIu64 " bytes at 0x%zx", at, 2 * depth, "", plen, pstart);
        } else if (kind == MR_KIND_INDIRECT) {
            uint64_t sz = 0, ioff = 0;
            size_t p = pstart;
            if (read_uint(img, pend, &p, &sz) && read_uint(img, pend, &p, &ioff))
                tui_lines_add(out, at, "%08zx  %*sindirect  %" PRIu64 " bytes at payload+0x%" PRIx64, at, 2 * depth,
                              "", sz, ioff);
            else
                tui_lines_add(out, at, "%08zx  %*sindirect  (bad fields)", at, 2 * depth, "");
        } else {
            tui_lines_add(out, at, "%08zx  %*s%s (kind %" PRIu64 ")  %" PRIu64 " bytes", at, 2 * depth, "",
                          kind_name(kind), kind, plen);
        }
        pos = pend;
    }
}

void tui_diff_lines(const mr_image *old_img, const mr_image *new_img, tui_lines *out, tui_diff_count *count)
{
    memset(count, 0, sizeof *count);
    mr_diff d;
    mr_err err;
    if (mr_compare(old_img, new_img, &d, &err) < 0) {
        tui_lines_add(out, UINT64_MAX, "cannot compare: %s", err.msg);
        return;
    }
    for (size_t i = 0; i < d.count; i++) {
        const mr_diff_item *it = &d.items[i];
        const mr_entry *a = it->a, *b = it->b;
        const char *ad = a && a->type == MR_ENTRY_DIR ? "/" : "";
        const char *bd = b && b->type == MR_ENTRY_DIR ? "/" : "";
        switch (it->kind) {
        case MR_DIFF_ADDED:
            if (*bd)
                tui_lines_add(out, UINT64_MAX, "+ %s/", b->path);
            else
                tui_lines_add(out, UINT64_MAX, "+ %s  (%zu bytes)", b->path, b->size);
            break;
        case MR_DIFF_REMOVED:
            if (*ad)
                tui_lines_add(out, UINT64_MAX, "- %s/", a->path);
            else
                tui_lines_add(out, UINT64_MAX, "- %s  (%zu bytes)", a->path, a->size);
            break;
        case MR_DIFF_CHANGED:
            tui_lines_add(out, UINT64_MAX, "~ %s%s  (%zu -> %zu bytes)", b->path, bd, a->size, b->size);
            break;
        case MR_DIFF_MOVED:
            if (strcmp(a->path, b->path) == 0)
                tui_lines_add(out, UINT64_MAX, "> %s  (same bytes, offset 0x%zx -> 0x%zx)", b->path, a->data_offset,
                              b->data_offset);
            else
                tui_lines_add(out, UINT64_MAX, "> %s -> %s  (same bytes)", a->path, b->path);
            break;
        }
    }
    count->added = d.added;
    count->removed = d.removed;
    count->changed = d.changed;
    count->moved = d.moved;
    count->same = d.same;
    mr_diff_free(&d);
}
