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
    free(l->pad_before);
    free(l->width);
    free(l->payload);
    free(l->data_offset);
    memset(l, 0, sizeof *l);
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

/* Payload lengths bottom-up (children come after their parent in pre-order). */
static uint64_t payloads(mr_align_layout *l, const mr_align_node *nodes, size_t count)
{
    uint64_t top = 0;
    for (size_t i = 0; i < count; i++)
        l->payload[i] = nodes[i].is_dir ? name_part(&nodes[i]) : file_lead(&nodes[i]) + nodes[i].size;
    for (size_t i = count; i-- > 0;) {
        uint64_t rec = l->pad_before[i] + 1 + l->width[i] + l->payload[i];
        if (nodes[i].parent == MR_ALIGN_NO_PARENT)
            top += rec;
        else
            l->payload[nodes[i].parent] += rec;
    }
    return top + l->trail;
}

/* One walk with fixed widths: greedy gaps, then parity. Returns the image size. */
static uint64_t walk(mr_align_layout *l, const mr_align_node *nodes, size_t count, const size_t *site,
                     size_t last_aligned, uint64_t base)
{
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
        pos += file_lead(n);
        l->data_offset[i] = pos;
        if (aligned(n)) {
            uint64_t d = gap(base + pos, n->align);
            if (d) {
                l->pad_before[site[i]] = d;
                for (size_t j = site[i]; j <= i; j++)
                    if (!nodes[j].is_dir)
                        l->data_offset[j] += d;
                pos += d;
            }
        }
        pos += n->size;
    }
    uint64_t top = payloads(l, nodes, count);
    uint64_t size = MR_MAGIC_LEN + l->header_width + top;
    if (size % 2 && last_aligned != SIZE_MAX) {
        /* After the last aligned data, a byte moves nothing that matters. */
        if (last_aligned + 1 < count) {
            l->pad_before[last_aligned + 1] += 1;
            for (size_t j = last_aligned + 1; j < count; j++)
                l->data_offset[j] += 1;
        } else
            l->trail = 3;
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

int mr_align_plan(mr_align_layout *l, const mr_align_node *nodes, size_t count, uint64_t base, mr_err *err)
{
    memset(l, 0, sizeof *l);
    size_t alloc = count ? count : 1;
    l->count = count;
    l->pad_before = calloc(alloc, sizeof *l->pad_before);
    l->width = calloc(alloc, sizeof *l->width);
    l->payload = calloc(alloc, sizeof *l->payload);
    l->data_offset = calloc(alloc, sizeof *l->data_offset);
    size_t *site = calloc(alloc, sizeof *site);
    if (!l->pad_before || !l->width || !l->payload || !l->data_offset || !site) {
        free(site);
        mr_align_layout_free(l);
        return mr_fail(err, "out of memory while planning the alignment");
    }
    size_t prev = SIZE_MAX;
    for (size_t i = 0; i < count; i++) {
        if (nodes[i].parent != MR_ALIGN_NO_PARENT && nodes[i].parent >= i) {
            free(site);
            mr_align_layout_free(l);
            return mr_fail(err, "internal: node %zu is not in pre-order", i);
        }
        if (aligned(&nodes[i])) {
            site[i] = pad_site(nodes, i, prev);
            prev = i;
        }
    }
    /* Minimal widths first: mpremote's own layout. */
    l->trail = 0;
    uint64_t top = payloads(l, nodes, count); /* pad_before is all zero here */
    for (size_t i = 0; i < count; i++)
        l->width[i] = (uint8_t)mr_varuint_len(l->payload[i]);
    top = payloads(l, nodes, count);
    l->header_width = (uint8_t)mr_varuint_len(top);
    if (prev == SIZE_MAX && (MR_MAGIC_LEN + l->header_width + top) % 2)
        l->header_width++; /* no aligned file: mpremote's own parity fix, byte for byte */
    uint64_t size;
    for (;;) {
        l->passes++;
        size = walk(l, nodes, count, site, prev, base);
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
        if (prev == SIZE_MAX && (MR_MAGIC_LEN + l->header_width + l->top_payload) % 2) {
            l->header_width++;
            grew = true;
        }
        if (!grew)
            break;
    }
    free(site);
    l->size = size;
    l->plain_size = plain_size(nodes, count);
    l->padding = size - l->plain_size;
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
