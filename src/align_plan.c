#include "align_plan.h"

#include <stdlib.h>
#include <string.h>

#include "romfs.h"
#include "varuint.h"

static uint64_t name_part(const mr_align_node *n)
{
    return mr_varuint_len(n->name_len) + n->name_len;
}

/* Bytes of a file record's payload before its data: name, data kind, data length. */
static uint64_t file_lead(const mr_align_node *n)
{
    return name_part(n) + mr_varuint_len(MR_KIND_VERBATIM) + mr_varuint_len(n->size);
}

static bool aligned(const mr_align_node *n)
{
    return !n->is_dir && n->align > 1;
}

/* Gap that takes addr up to a multiple of a (a power of two). */
static uint64_t gap(uint64_t addr, uint64_t a)
{
    return (a - (addr & (a - 1))) & (a - 1);
}

size_t mr_align_padding_header(uint64_t n, uint8_t *hdr)
{
    size_t w = 1;
    while (mr_varuint_len(n - 1 - w) > w)
        w++;
    hdr[0] = MR_KIND_PADDING;
    mr_varuint_encode_padded(n - 1 - w, w, hdr + 1);
    return 1 + w;
}

void mr_align_layout_free(mr_align_layout *l)
{
    free(l->moved);
    free(l->pad_before);
    free(l->width);
    free(l->payload);
    free(l->data_offset);
    free(l->area_order);
    memset(l, 0, sizeof *l);
}

/* What one evaluation needs besides the layout it fills. */
typedef struct {
    const mr_align_node *nodes;
    size_t count;
    uint64_t base;
    size_t *site;        /* pad site of each inline-aligned file */
    size_t last_aligned; /* last inline-aligned file, SIZE_MAX if none */
} ctx;

static bool inline_aligned(const mr_align_layout *l, const mr_align_node *n, size_t i)
{
    return aligned(n) && !l->moved[i];
}

/* Bytes of file i's payload, and of its data inside the record. */
static uint64_t file_payload(const mr_align_layout *l, const mr_align_node *n, size_t i)
{
    if (l->moved[i]) /* name, then kind 3, its length, size, offset */
        return name_part(n) + 2 + mr_varuint_len(n->size) + l->off_width;
    return file_lead(n) + n->size;
}

/* Payload lengths bottom-up (children come after their parent in pre-order). */
static uint64_t payloads(mr_align_layout *l, const mr_align_node *nodes, size_t count)
{
    uint64_t top = 0;
    for (size_t i = 0; i < count; i++)
        l->payload[i] = nodes[i].is_dir ? name_part(&nodes[i]) : file_payload(l, &nodes[i], i);
    for (size_t i = count; i-- > 0;) {
        uint64_t rec = l->pad_before[i] + 1 + l->width[i] + l->payload[i];
        if (nodes[i].parent == MR_ALIGN_NO_PARENT)
            top += rec;
        else
            l->payload[nodes[i].parent] += rec;
    }
    return top + l->trail;
}

/* The data area after the top level's records, which end at `end`. Returns the
 * image size. The area's length varuint width and its front filler depend on each
 * other; the smallest consistent width is taken. */
static uint64_t place_area(mr_align_layout *l, const ctx *c, uint64_t end)
{
    uint64_t amax = 1;
    for (size_t k = 0; k < l->area_count; k++)
        if (c->nodes[l->area_order[k]].align > amax)
            amax = c->nodes[l->area_order[k]].align;
    for (uint8_t w = l->area_width ? l->area_width : 1;; w++) {
        uint64_t start = end + 1 + w;
        uint64_t p = start + gap(c->base + start, amax);
        l->area_front = p - start;
        for (size_t k = 0; k < l->area_count; k++) {
            const mr_align_node *n = &c->nodes[l->area_order[k]];
            p += gap(c->base + p, n->align > 1 ? n->align : 1);
            l->data_offset[l->area_order[k]] = p;
            p += n->size;
        }
        l->area_back = p % 2;
        p += l->area_back;
        l->area_payload = p - start;
        if (mr_varuint_len(l->area_payload) <= w) {
            l->area_width = w;
            return p;
        }
    }
}

/* One walk with fixed widths: greedy gaps, the data area, then parity. Returns the
 * image size. */
static uint64_t walk(mr_align_layout *l, const ctx *c)
{
    const mr_align_node *nodes = c->nodes;
    size_t count = c->count;
    memset(l->pad_before, 0, count * sizeof *l->pad_before);
    l->trail = 0;
    uint64_t pos = MR_MAGIC_LEN + l->header_width;
    for (size_t i = 0; i < count; i++) {
        const mr_align_node *n = &nodes[i];
        pos += 1 + l->width[i];
        if (n->is_dir) {
            pos += name_part(n);
            continue;
        }
        if (l->moved[i]) {
            pos += file_payload(l, n, i);
            continue;
        }
        pos += file_lead(n);
        l->data_offset[i] = pos;
        if (inline_aligned(l, n, i)) {
            uint64_t d = gap(c->base + pos, n->align);
            if (d) {
                l->pad_before[c->site[i]] = d;
                for (size_t j = c->site[i]; j <= i; j++)
                    if (!nodes[j].is_dir && !l->moved[j])
                        l->data_offset[j] += d;
                pos += d;
            }
        }
        pos += n->size;
    }
    uint64_t top = payloads(l, nodes, count);
    uint64_t size = MR_MAGIC_LEN + l->header_width + top;
    if (l->area) {
        size = place_area(l, c, size); /* the area's back filler makes it even */
        top += 1 + l->area_width + l->area_payload;
    } else if (size % 2 && c->last_aligned != SIZE_MAX) {
        /* After the last aligned data, a byte moves nothing that matters. */
        if (c->last_aligned + 1 < count) {
            l->pad_before[c->last_aligned + 1] += 1;
            for (size_t j = c->last_aligned + 1; j < count; j++)
                l->data_offset[j] += 1;
        } else {
            l->trail = 3;
        }
        top = payloads(l, nodes, count);
        size = MR_MAGIC_LEN + l->header_width + top;
    }
    l->top_payload = top;
    return size;
}

static uint64_t plain_size(const mr_align_node *nodes, size_t count)
{
    uint64_t *payload = calloc(count ? count : 1, sizeof *payload);
    if (!payload)
        return 0;
    uint64_t top = 0;
    for (size_t i = 0; i < count; i++)
        payload[i] = nodes[i].is_dir ? name_part(&nodes[i]) : file_lead(&nodes[i]) + nodes[i].size;
    for (size_t i = count; i-- > 0;) {
        uint64_t rec = 1 + mr_varuint_len(payload[i]) + payload[i];
        if (nodes[i].parent == MR_ALIGN_NO_PARENT)
            top += rec;
        else
            payload[nodes[i].parent] += rec;
    }
    free(payload);
    uint64_t size = MR_MAGIC_LEN + mr_varuint_len(top) + top;
    return size + size % 2;
}

static int alloc_layout(mr_align_layout *l, size_t count)
{
    memset(l, 0, sizeof *l);
    size_t n = count ? count : 1;
    l->count = count;
    l->moved = calloc(n, sizeof *l->moved);
    l->pad_before = calloc(n, sizeof *l->pad_before);
    l->width = calloc(n, sizeof *l->width);
    l->payload = calloc(n, sizeof *l->payload);
    l->data_offset = calloc(n, sizeof *l->data_offset);
    l->area_order = calloc(n, sizeof *l->area_order);
    if (!l->moved || !l->pad_before || !l->width || !l->payload || !l->data_offset || !l->area_order) {
        mr_align_layout_free(l);
        return -1;
    }
    return 0;
}

/* The record where the gap for aligned file f goes: the outermost ancestor-or-self
 * of f that starts after the previous aligned file prev (SIZE_MAX: none). */
static size_t pad_site(const mr_align_node *nodes, size_t f, size_t prev)
{
    size_t r = f;
    while (nodes[r].parent != MR_ALIGN_NO_PARENT && (prev == SIZE_MAX || nodes[r].parent > prev))
        r = nodes[r].parent;
    return r;
}

static bool movable(const mr_align_node *n)
{
    return aligned(n) && n->size % n->align == 0;
}

/* The layout with the movable files of alignment >= t in the data area (t = 0:
 * none moved). l is allocated by the caller. */
static void plan_with(mr_align_layout *l, const mr_align_node *nodes, size_t count, uint64_t base, uint64_t t,
                      size_t *site)
{
    ctx c = {.nodes = nodes, .count = count, .base = base, .site = site, .last_aligned = SIZE_MAX};
    size_t prev = SIZE_MAX;
    for (size_t i = 0; i < count; i++) {
        l->moved[i] = t && movable(&nodes[i]) && nodes[i].align >= t;
        if (l->moved[i]) {
            l->area_order[l->area_count++] = i;
        } else if (aligned(&nodes[i])) {
            site[i] = pad_site(nodes, i, prev);
            prev = i;
        }
    }
    c.last_aligned = prev;
    l->area = l->area_count > 0;
    /* area order: largest alignment first, then image order (a stable insertion sort) */
    for (size_t k = 1; k < l->area_count; k++) {
        size_t v = l->area_order[k], j = k;
        while (j > 0 && nodes[l->area_order[j - 1]].align < nodes[v].align) {
            l->area_order[j] = l->area_order[j - 1];
            j--;
        }
        l->area_order[j] = v;
    }
    /* Minimal widths first: mpremote's own layout (moved files' records are smaller). */
    l->off_width = 1;
    uint64_t top = payloads(l, nodes, count); /* pad_before is all zero here */
    for (size_t i = 0; i < count; i++)
        l->width[i] = (uint8_t)mr_varuint_len(l->payload[i]);
    top = payloads(l, nodes, count);
    l->header_width = (uint8_t)mr_varuint_len(top);
    bool any = prev != SIZE_MAX || l->area;
    if (!any && (MR_MAGIC_LEN + l->header_width + top) % 2)
        l->header_width++; /* no aligned file: mpremote's own parity fix, byte for byte */
    uint64_t size;
    for (;;) {
        l->passes++;
        size = walk(l, &c);
        bool grew = false;
        for (size_t i = 0; i < count; i++) {
            uint8_t need = (uint8_t)mr_varuint_len(l->payload[i]);
            if (need > l->width[i]) {
                l->width[i] = need;
                grew = true;
            }
        }
        uint8_t hneed = (uint8_t)mr_varuint_len(l->top_payload);
        if (hneed > l->header_width) {
            l->header_width = hneed;
            grew = true;
        }
        if (!any && (MR_MAGIC_LEN + l->header_width + l->top_payload) % 2) {
            l->header_width++;
            grew = true;
        }
        /* indirect offsets count from the image's payload */
        for (size_t k = 0; k < l->area_count; k++) {
            uint64_t off = l->data_offset[l->area_order[k]] - (MR_MAGIC_LEN + l->header_width);
            if (mr_varuint_len(off) > l->off_width) {
                l->off_width = (uint8_t)mr_varuint_len(off);
                grew = true;
            }
        }
        if (!grew)
            break;
    }
    l->size = size;
}

int mr_align_plan(mr_align_layout *best, const mr_align_node *nodes, size_t count, uint64_t base, bool area,
                  mr_err *err)
{
    size_t *site = calloc(count ? count : 1, sizeof *site);
    mr_align_layout cand;
    if (!site || alloc_layout(best, count)) {
        free(site);
        return mr_fail(err, "out of memory while planning the alignment");
    }
    for (size_t i = 0; i < count; i++) {
        if (nodes[i].parent != MR_ALIGN_NO_PARENT && nodes[i].parent >= i) {
            free(site);
            mr_align_layout_free(best);
            return mr_fail(err, "internal: node %zu is not in pre-order", i);
        }
    }
    plan_with(best, nodes, count, base, 0, site);
    /* Candidates: move the movable files whose alignment is at least t. */
    for (uint64_t t = (uint64_t)1 << 63; area && t > 1; t >>= 1) {
        bool present = false;
        for (size_t i = 0; i < count && !present; i++)
            present = movable(&nodes[i]) && nodes[i].align == t;
        if (!present)
            continue;
        if (alloc_layout(&cand, count)) {
            free(site);
            mr_align_layout_free(best);
            return mr_fail(err, "out of memory while planning the alignment");
        }
        plan_with(&cand, nodes, count, base, t, site);
        if (cand.size < best->size) {
            mr_align_layout_free(best);
            *best = cand;
        } else {
            mr_align_layout_free(&cand);
        }
    }
    free(site);
    best->plain_size = plain_size(nodes, count);
    best->padding = best->size - best->plain_size;
    return 0;
}

uint64_t mr_align_min_padding(const mr_align_node *nodes, size_t count, uint64_t base)
{
    /* mpremote's offsets without its parity byte: sizes bottom-up, then one walk. */
    uint64_t *payload = calloc(count ? count : 1, sizeof *payload);
    if (!payload)
        return 0;
    uint64_t top = 0;
    for (size_t i = 0; i < count; i++)
        payload[i] = nodes[i].is_dir ? name_part(&nodes[i]) : file_lead(&nodes[i]) + nodes[i].size;
    for (size_t i = count; i-- > 0;) {
        uint64_t rec = 1 + mr_varuint_len(payload[i]) + payload[i];
        if (nodes[i].parent == MR_ALIGN_NO_PARENT)
            top += rec;
        else
            payload[nodes[i].parent] += rec;
    }
    uint64_t unpadded = MR_MAGIC_LEN + mr_varuint_len(top) + top;
    uint64_t pos = MR_MAGIC_LEN + mr_varuint_len(top), shift = 0;
    size_t last = SIZE_MAX;
    for (size_t i = 0; i < count; i++) {
        pos += 1 + mr_varuint_len(payload[i]);
        if (nodes[i].is_dir) {
            pos += name_part(&nodes[i]);
            continue;
        }
        pos += file_lead(&nodes[i]);
        if (aligned(&nodes[i])) {
            shift += gap(base + pos + shift, nodes[i].align);
            last = i;
        }
        pos += nodes[i].size;
    }
    free(payload);
    uint64_t best = unpadded + shift;
    if (best % 2)
        best += last == SIZE_MAX || last + 1 < count ? 1 : 3;
    return best - (unpadded + unpadded % 2);
}
