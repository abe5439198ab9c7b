#include "build_layout.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "align_plan.h"
#include "mpy_cross.h"
#include "romfs.h"
#include "varuint.h"

void mr_layout_opts_init(mr_layout_opts *o)
{
    memset(o, 0, sizeof *o);
    mr_align_rules_init(&o->rules);
    o->mpy = true;
}

void mr_layout_opts_free(mr_layout_opts *o)
{
    mr_align_rules_free(&o->rules);
    memset(o, 0, sizeof *o);
}

void mr_layout_result_free(mr_layout_result *r)
{
    if (r->have_plan)
        mr_plan_free(&r->plan);
    mr_tree_free(&r->tree);
    mr_omv_free(&r->omv);
    memset(r, 0, sizeof *r);
}

void mr_tree_path(const mr_tree *t, size_t i, char *out, size_t n)
{
    size_t chain[256], k = 0;
    for (size_t j = i; j != MR_NO_NODE && k < 256; j = t->nodes[j].parent)
        chain[k++] = j;
    size_t at = 0;
    out[0] = '\0';
    while (k--) {
        int w = snprintf(out + at, n - at, "%s%s", t->nodes[chain[k]].name, k ? "/" : "");
        if (w < 0 || (size_t)w >= n - at)
            break;
        at += (size_t)w;
    }
}

/* ---- the aligned plan: align_plan's decisions turned into bytes -------------- */

static int add_varuint(mr_plan *plan, size_t node, uint64_t v, size_t width, mr_err *err)
{
    uint8_t b[64];
    size_t n = mr_varuint_encode_padded(v, width, b);
    if (n == 0)
        return mr_fail(err, "internal error: varuint %llu does not fit %zu bytes", (unsigned long long)v, width);
    return mr_plan_add_bytes(plan, node, b, n, err);
}

/* Filler: short runs stay literal bytes, long ones are not stored (MR_ITEM_ZEROS). */
static int add_zeros(mr_plan *plan, size_t node, uint64_t n, mr_err *err)
{
    static const uint8_t zeros[32];
    if (n == 0)
        return 0;
    if (n <= sizeof zeros)
        return mr_plan_add_bytes(plan, node, zeros, (size_t)n, err);
    return mr_plan_add_zeros(plan, node, n, err);
}

static int add_padding(mr_plan *plan, size_t node, uint64_t n, mr_err *err)
{
    uint8_t h[16];
    size_t hl = mr_align_padding_header(n, h);
    if (mr_plan_add_bytes(plan, node, h, hl, err))
        return -1;
    return add_zeros(plan, node, n - hl, err);
}

int mr_plan_aligned(mr_plan *plan, const mr_tree *tree, uint64_t base, bool area, uint64_t *min_padding,
                    size_t *moved, mr_err *err)
{
    memset(plan, 0, sizeof *plan);
    size_t n = tree->count;
    mr_align_node *nodes = calloc(n ? n : 1, sizeof *nodes);
    plan->record_size = calloc(n ? n : 1, sizeof *plan->record_size);
    plan->data_offset = calloc(n ? n : 1, sizeof *plan->data_offset);
    if (!nodes || !plan->record_size || !plan->data_offset) {
        free(nodes);
        mr_plan_free(plan);
        return mr_fail(err, "out of memory while planning the image");
    }
    for (size_t i = 0; i < n; i++) {
        const mr_node *nd = &tree->nodes[i];
        nodes[i] = (mr_align_node){.is_dir = nd->is_dir,
                                   .parent = nd->parent == MR_NO_NODE ? MR_ALIGN_NO_PARENT : nd->parent,
                                   .name_len = strlen(nd->name),
                                   .size = nd->size,
                                   .align = nd->is_dir ? 0 : nd->align};
    }
    mr_align_layout l;
    if (mr_align_plan(&l, nodes, n, base, area, err)) {
        free(nodes);
        mr_plan_free(plan);
        return -1;
    }
    if (min_padding)
        *min_padding = mr_align_min_padding(nodes, n, base);
    if (moved)
        *moved = l.area_count;
    free(nodes);

    uint8_t h[3] = {MR_MAGIC0, MR_MAGIC1, MR_MAGIC2};
    int rc = mr_plan_add_bytes(plan, MR_NO_NODE, h, 3, err);
    if (rc == 0)
        rc = add_varuint(plan, MR_NO_NODE, l.top_payload, l.header_width, err);
    for (size_t i = 0; i < n && rc == 0; i++) {
        const mr_node *nd = &tree->nodes[i];
        uint64_t kind = nd->is_dir ? MR_KIND_DIR : MR_KIND_FILE;
        size_t parent_node = nd->parent; /* padding belongs to the directory it sits in */
        if (l.pad_before[i] >= 2)
            rc = add_padding(plan, parent_node, l.pad_before[i], err);
        if (rc == 0)
            rc = add_varuint(plan, i, kind, l.pad_before[i] == 1 ? 2 : 1, err);
        if (rc == 0)
            rc = add_varuint(plan, i, l.payload[i], l.width[i], err);
        size_t nl = strlen(nd->name);
        if (rc == 0)
            rc = add_varuint(plan, i, nl, mr_varuint_len(nl), err);
        if (rc == 0)
            rc = mr_plan_add_bytes(plan, i, nd->name, nl, err);
        plan->record_size[i] = (l.pad_before[i] == 1) + 1 + l.width[i] + l.payload[i];
        if (rc || nd->is_dir)
            continue;
        if (l.moved[i]) {
            /* kind 3: size and offset (from the image's payload) of the data in the area */
            uint64_t off = l.data_offset[i] - (MR_MAGIC_LEN + l.header_width);
            rc = add_varuint(plan, i, MR_KIND_INDIRECT, 1, err);
            if (rc == 0)
                rc = add_varuint(plan, i, mr_varuint_len(nd->size) + l.off_width, 1, err);
            if (rc == 0)
                rc = add_varuint(plan, i, nd->size, mr_varuint_len(nd->size), err);
            if (rc == 0)
                rc = add_varuint(plan, i, off, l.off_width, err);
            plan->data_offset[i] = l.data_offset[i];
            continue;
        }
        rc = add_varuint(plan, i, MR_KIND_VERBATIM, 1, err);
        if (rc == 0)
            rc = add_varuint(plan, i, nd->size, mr_varuint_len(nd->size), err);
        if (rc == 0) {
            const mr_item *last = &plan->items[plan->count - 1];
            plan->data_offset[i] = last->offset + last->len;
            if (plan->data_offset[i] != l.data_offset[i])
                rc = mr_fail(err, "internal error: %s planned at %llu, placed at %llu", nd->name,
                             (unsigned long long)l.data_offset[i], (unsigned long long)plan->data_offset[i]);
        }
        if (rc == 0)
            rc = mr_plan_add_data(plan, i, nd->size, err);
    }
    if (rc == 0 && l.area) {
        /* the data area: one padding record holding the moved files' data */
        uint8_t kind = MR_KIND_PADDING;
        rc = mr_plan_add_bytes(plan, MR_NO_NODE, &kind, 1, err);
        if (rc == 0)
            rc = add_varuint(plan, MR_NO_NODE, l.area_payload, l.area_width, err);
        for (size_t k = 0; k < l.area_count && rc == 0; k++) {
            size_t i = l.area_order[k];
            const mr_item *last = &plan->items[plan->count - 1];
            uint64_t at = last->offset + last->len;
            if (l.data_offset[i] < at)
                rc = mr_fail(err, "internal error: data area overlaps at %llu", (unsigned long long)at);
            if (rc == 0)
                rc = add_zeros(plan, MR_NO_NODE, l.data_offset[i] - at, err);
            if (rc == 0)
                rc = mr_plan_add_data(plan, i, tree->nodes[i].size, err);
        }
        if (rc == 0)
            rc = add_zeros(plan, MR_NO_NODE, l.area_back, err);
    }
    if (rc == 0 && l.trail)
        rc = add_padding(plan, MR_NO_NODE, l.trail, err);
    if (rc == 0) {
        const mr_item *last = &plan->items[plan->count - 1];
        plan->size = last->offset + last->len;
        if (plan->size != l.size)
            rc = mr_fail(err, "internal error: image planned at %llu bytes, laid out in %llu",
                         (unsigned long long)l.size, (unsigned long long)plan->size);
    }
    mr_align_layout_free(&l);
    if (rc)
        mr_plan_free(plan);
    return rc;
}

/* ---- the tree from an OpenMV config: flat, in the config's order -------------- */

static int tree_from_config(mr_tree *t, const mr_omv_partition *p, const char *top, mr_err *err)
{
    memset(t, 0, sizeof *t);
    /* Output may go anywhere: the config lists its files, it does not own a tree. */
    t->root = NULL;
    (void)top;
    t->nodes = calloc(p->n ? p->n : 1, sizeof *t->nodes);
    if (!t->nodes)
        return mr_fail(err, "out of memory");
    for (size_t i = 0; i < p->n; i++) {
        struct stat st;
        if (stat(p->files[i].path, &st) != 0) {
            mr_fail_errno(err, "cannot read %s", p->files[i].path);
            mr_tree_free(t);
            return -1;
        }
        mr_node *nd = &t->nodes[t->count++];
        nd->name = strdup(p->files[i].name);
        nd->src = strdup(p->files[i].path);
        nd->size = (uint64_t)st.st_size;
        nd->align = p->files[i].align;
        nd->parent = MR_NO_NODE;
        nd->end = i + 1;
        nd->dev = st.st_dev;
        nd->ino = st.st_ino;
        t->files++;
        if (!nd->name || !nd->src) {
            mr_tree_free(t);
            return mr_fail(err, "out of memory");
        }
    }
    return 0;
}

/* ---- fitting ---------------------------------------------------------------- */

static int fit(const mr_layout_result *r, mr_err *err)
{
    if (!r->partition || r->size <= r->partition)
        return 0;
    /* the five largest files */
    size_t top[5];
    size_t k = 0;
    for (size_t i = 0; i < r->tree.count; i++) {
        if (r->tree.nodes[i].is_dir)
            continue;
        size_t at = k < 5 ? k++ : 5;
        while (at > 0 && r->tree.nodes[top[at - 1]].size < r->tree.nodes[i].size) {
            if (at < 5)
                top[at] = top[at - 1];
            at--;
        }
        if (at < 5)
            top[at] = i;
    }
    char list[700] = "";
    size_t used = 0;
    for (size_t j = 0; j < k; j++) {
        char path[256];
        mr_tree_path(&r->tree, top[j], path, sizeof path);
        int w = snprintf(list + used, sizeof list - used, "\n  %10llu  %s",
                         (unsigned long long)r->tree.nodes[top[j]].size, path);
        if (w < 0 || (size_t)w >= sizeof list - used)
            break;
        used += (size_t)w;
    }
    return mr_fail(err,
                   "the image does not fit: %llu bytes for a partition of %llu, %llu bytes too many "
                   "(data %llu, metadata %llu, alignment padding %llu); largest files:%s",
                   (unsigned long long)r->size, (unsigned long long)r->partition,
                   (unsigned long long)(r->size - r->partition), (unsigned long long)r->data,
                   (unsigned long long)r->metadata, (unsigned long long)r->padding, list);
}

/* ---- the whole build -------------------------------------------------------- */

int mr_layout_build(mr_layout_result *r, const char *dir, const mr_layout_opts *o, mr_err *err)
{
    memset(r, 0, sizeof *r);
    if (!o->config && !dir)
        return mr_fail(err, "no source directory given");
    if (!o->config && (o->top || o->partition))
        return mr_fail(err, "--top and --config-partition only apply to --config");
    uint64_t max = o->erase_unit ? o->erase_unit : MR_ALIGN_DEFAULT_MAX;
    if (mr_align_rules_check_max(&o->rules, max, o->erase_unit ? "the erase unit" : "the largest alignment",
                                 err))
        return -1;
    mr_mpy_cross mc;
    bool have_mc = false;
    if (o->config) {
        if (mr_omv_load(&r->omv, o->config, o->top, o->partition, max, err))
            return -1;
        if (tree_from_config(&r->tree, &r->omv, o->top, err))
            goto fail;
        r->partition = r->omv.size;
    } else {
        if (o->mpy && mr_mpy_cross_find(&mc, o->mpy_cross_args, &have_mc, err))
            return -1;
        mr_scan_opts so = {.mpy = o->mpy, .mpy_cross = have_mc ? &mc : NULL};
        int rc = mr_tree_scan(&r->tree, dir, &so, err);
        if (have_mc) {
            r->compiled = mc.compiled;
            mr_mpy_cross_free(&mc);
        }
        if (rc)
            return -1;
        r->no_compiler = r->tree.mpy_missed > 0;
    }
    if (o->size)
        r->partition = o->size;

    /* rules: the config's alignment first, then --align/--layout, last match wins */
    char path[4096];
    for (size_t i = 0; i < r->tree.count; i++) {
        mr_node *nd = &r->tree.nodes[i];
        if (nd->is_dir)
            continue;
        mr_tree_path(&r->tree, i, path, sizeof path);
        const mr_align_rule *rule;
        uint64_t a = mr_align_rules_lookup(&o->rules, path, &rule);
        if (rule)
            nd->align = a;
        if (nd->align > 1)
            r->aligned_files++;
        r->data += nd->size;
    }
    r->aligned = r->aligned_files > 0;
    if (r->aligned) {
        if (mr_plan_aligned(&r->plan, &r->tree, o->base, !o->no_indirect, &r->min_padding, &r->moved_files, err))
            goto fail;
    } else if (mr_plan_default(&r->plan, &r->tree, err)) {
        goto fail;
    }
    r->have_plan = true;
    r->size = r->plan.size;
    if (r->aligned) {
        /* what the same tree costs without alignment: mpremote's size */
        mr_plan plain;
        uint64_t *saved = malloc((r->tree.count ? r->tree.count : 1) * sizeof *saved);
        if (!saved) {
            mr_fail(err, "out of memory");
            goto fail;
        }
        for (size_t i = 0; i < r->tree.count; i++) {
            saved[i] = r->tree.nodes[i].align;
            r->tree.nodes[i].align = 0;
        }
        int rc = mr_plan_default(&plain, &r->tree, err);
        for (size_t i = 0; i < r->tree.count; i++)
            r->tree.nodes[i].align = saved[i];
        free(saved);
        if (rc)
            goto fail;
        r->padding = r->size - plain.size;
        mr_plan_free(&plain);
    }
    r->metadata = r->size - r->data - r->padding;
    if (fit(r, err))
        goto fail;
    return 0;
fail:
    mr_layout_result_free(r);
    return -1;
}

void mr_layout_print_summary(const mr_layout_result *r, FILE *out)
{
    fprintf(out, "Image: %llu bytes = %llu data + %llu metadata + %llu alignment padding\n",
            (unsigned long long)r->size, (unsigned long long)r->data, (unsigned long long)r->metadata,
            (unsigned long long)r->padding);
    if (r->aligned && r->moved_files)
        fprintf(out, "Aligned files: %u, %zu of them through a data area; padding %llu bytes (inline layouts need "
                     "at least %llu)\n",
                r->aligned_files, r->moved_files, (unsigned long long)r->padding, (unsigned long long)r->min_padding);
    else if (r->aligned)
        fprintf(out, "Aligned files: %u; padding %llu bytes, lower bound %llu\n", r->aligned_files,
                (unsigned long long)r->padding, (unsigned long long)r->min_padding);
    if (r->partition) {
        uint64_t used = r->size, p = r->partition;
        fprintf(out, "Partition: %llu bytes, %llu used (%.1f%%), %llu free\n", (unsigned long long)p,
                (unsigned long long)used, p ? 100.0 * (double)used / (double)p : 0.0,
                (unsigned long long)(p - used));
    }
}
