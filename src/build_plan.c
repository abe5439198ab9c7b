/* Phase 2 of the builder: every byte of the image, decided before any is written.
 * The default planner lays records out exactly as mpremote's VfsRomWriter: a
 * directory is kind 4 holding its children, a file kind 5 holding one kind-2 record,
 * minimal varuints, and the image length varuint padded with 0x80 when that is what
 * it takes to make the whole image even. */
#include "build.h"

#include <stdlib.h>
#include <string.h>

#include "romfs.h"
#include "varuint.h"

static int grow(void **p, size_t *cap, size_t need, size_t elem, mr_err *err)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return mr_fail(err, "out of memory while planning the image");
    *p = q;
    *cap = n;
    return 0;
}

static uint64_t plan_end(const mr_plan *plan)
{
    if (plan->count == 0)
        return 0;
    const mr_item *last = &plan->items[plan->count - 1];
    return last->offset + last->len;
}

int mr_plan_add_bytes(mr_plan *plan, size_t node, const void *bytes, size_t len, mr_err *err)
{
    if (grow((void **)&plan->items, &plan->cap, plan->count + 1, sizeof *plan->items, err) ||
        grow((void **)&plan->lit, &plan->lit_cap, plan->lit_len + len, 1, err))
        return -1;
    /* consecutive literal items of the same node merge into one write */
    mr_item *last = plan->count ? &plan->items[plan->count - 1] : NULL;
    if (last && last->kind == MR_ITEM_BYTES && last->node == node && last->lit + last->len == plan->lit_len) {
        last->len += len;
    } else {
        uint64_t at = plan_end(plan);
        plan->items[plan->count++] =
            (mr_item){.kind = MR_ITEM_BYTES, .node = node, .offset = at, .len = len, .lit = plan->lit_len};
    }
    memcpy(plan->lit + plan->lit_len, bytes, len);
    plan->lit_len += len;
    return 0;
}

int mr_plan_add_data(mr_plan *plan, size_t node, uint64_t len, mr_err *err)
{
    if (grow((void **)&plan->items, &plan->cap, plan->count + 1, sizeof *plan->items, err))
        return -1;
    uint64_t at = plan_end(plan);
    plan->items[plan->count++] = (mr_item){.kind = MR_ITEM_DATA, .node = node, .offset = at, .len = len};
    return 0;
}

int mr_plan_add_zeros(mr_plan *plan, size_t node, uint64_t len, mr_err *err)
{
    if (mr_plan_add_data(plan, node, len, err))
        return -1;
    plan->items[plan->count - 1].kind = MR_ITEM_ZEROS;
    return 0;
}

/* kind, payload length, name length, name: the start of a directory or file record. */
static int add_entry_header(mr_plan *plan, size_t i, uint64_t kind, uint64_t payload, const char *name,
                            mr_err *err)
{
    uint8_t h[3 * MR_VARUINT_MAX_LEN];
    size_t n = mr_varuint_encode(kind, h);
    n += mr_varuint_encode(payload, h + n);
    size_t nl = strlen(name);
    n += mr_varuint_encode(nl, h + n);
    if (mr_plan_add_bytes(plan, i, h, n, err) || mr_plan_add_bytes(plan, i, name, nl, err))
        return -1;
    return 0;
}

static uint64_t name_part(const char *name)
{
    size_t nl = strlen(name);
    return mr_varuint_len(nl) + nl;
}

static uint64_t file_payload(const mr_node *nd)
{
    return name_part(nd->name) + mr_varuint_len(MR_KIND_VERBATIM) + mr_varuint_len(nd->size) + nd->size;
}

int mr_plan_default(mr_plan *plan, const mr_tree *tree, mr_err *err)
{
    memset(plan, 0, sizeof *plan);
    size_t n = tree->count;
    uint64_t *payload = calloc(n ? n : 1, sizeof *payload);
    plan->record_size = calloc(n ? n : 1, sizeof *plan->record_size);
    plan->data_offset = calloc(n ? n : 1, sizeof *plan->data_offset);
    if (!payload || !plan->record_size || !plan->data_offset) {
        free(payload);
        mr_plan_free(plan);
        return mr_fail(err, "out of memory while planning the image");
    }
    /* Sizes bottom-up: in reverse pre-order every child comes before its parent. */
    for (size_t i = 0; i < n; i++)
        if (tree->nodes[i].is_dir)
            payload[i] = name_part(tree->nodes[i].name);
    uint64_t top = 0;
    for (size_t i = n; i-- > 0;) {
        const mr_node *nd = &tree->nodes[i];
        uint64_t p = nd->is_dir ? payload[i] : file_payload(nd);
        payload[i] = p;
        uint64_t kind = nd->is_dir ? MR_KIND_DIR : MR_KIND_FILE;
        plan->record_size[i] = mr_varuint_len(kind) + mr_varuint_len(p) + p;
        if (nd->parent == MR_NO_NODE)
            top += plan->record_size[i];
        else
            payload[nd->parent] += plan->record_size[i];
    }

    /* The image header: magic, then the length, padded so that the image is even. */
    uint8_t h[MR_VARUINT_MAX_LEN + 4] = {MR_MAGIC0, MR_MAGIC1, MR_MAGIC2};
    size_t w = mr_varuint_len(top);
    if ((MR_MAGIC_LEN + w + top) % 2)
        w++;
    mr_varuint_encode_padded(top, w, h + MR_MAGIC_LEN);
    int rc = mr_plan_add_bytes(plan, MR_NO_NODE, h, MR_MAGIC_LEN + w, err);

    for (size_t i = 0; i < n && rc == 0; i++) {
        const mr_node *nd = &tree->nodes[i];
        rc = add_entry_header(plan, i, nd->is_dir ? MR_KIND_DIR : MR_KIND_FILE, payload[i], nd->name, err);
        if (rc || nd->is_dir)
            continue;
        uint8_t d[2 * MR_VARUINT_MAX_LEN];
        size_t dn = mr_varuint_encode(MR_KIND_VERBATIM, d);
        dn += mr_varuint_encode(nd->size, d + dn);
        rc = mr_plan_add_bytes(plan, i, d, dn, err);
        if (rc == 0) {
            plan->data_offset[i] = plan_end(plan);
            rc = mr_plan_add_data(plan, i, nd->size, err);
        }
    }
    free(payload);
    if (rc) {
        mr_plan_free(plan);
        return -1;
    }
    plan->size = plan_end(plan);
    return 0;
}

void mr_plan_free(mr_plan *plan)
{
    free(plan->items);
    free(plan->lit);
    free(plan->data_offset);
    free(plan->record_size);
    memset(plan, 0, sizeof *plan);
}
