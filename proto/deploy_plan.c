/* Planning a deploy: everything is checked and compared before the board is touched.
 * See deploy.h for what a unit must hold afterwards and the order of the writes. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "deploy_internal.h"
#include "image.h"
#include "romfs.h"

static size_t round_up(size_t n, size_t m)
{
    return (n + m - 1) / m * m;
}

/* Bytes of unit u to write after erasing it: up to its last non-0xff byte (erased
 * flash already holds 0xff), rounded up to the write size, never nothing. */
static size_t unit_write_len(const mr_deploy_plan *plan, size_t u)
{
    size_t s, e;
    mr_deploy_unit_range(plan, u, &s, &e);
    size_t last = e;
    while (last > s && plan->target[last - 1] == 0xff)
        last--;
    size_t n = round_up(last - s, plan->write_min);
    if (n == 0)
        n = plan->write_min;
    return n > e - s ? e - s : n;
}

static int add_ops(mr_deploy_plan *plan, size_t *cap, size_t u, size_t off, size_t len, bool erase,
                   mr_err *err)
{
    /* pieces stay write-size aligned: the piece size is a multiple of write_min */
    size_t piece = MR_DEPLOY_PIECE_MAX / plan->write_min * plan->write_min;
    if (piece == 0)
        piece = plan->write_min;
    while (len > 0) {
        size_t n = len < piece ? len : piece;
        if (plan->nops == *cap) {
            size_t ncap = *cap ? *cap * 2 : 64;
            mr_write_op *ops = realloc(plan->ops, ncap * sizeof *ops);
            if (!ops)
                return mr_fail(err, "out of memory for the write plan");
            plan->ops = ops;
            size_t *units = realloc(plan->op_unit, ncap * sizeof *units);
            if (!units)
                return mr_fail(err, "out of memory for the write plan");
            plan->op_unit = units;
            *cap = ncap;
        }
        plan->ops[plan->nops] = (mr_write_op){.offset = off, .data = plan->target + off, .len = n,
                                              .erase_first = erase};
        plan->op_unit[plan->nops] = u;
        plan->nops++;
        plan->payload_bytes += n;
        erase = false; /* the first piece's erase covers the whole unit */
        off += n;
        len -= n;
    }
    return 0;
}

static int add_erase_run(mr_deploy_plan *plan, size_t first, size_t count, mr_err *err)
{
    struct mr_erase_run *r = realloc(plan->erase_runs, (plan->nerase_runs + 1) * sizeof *r);
    if (!r)
        return mr_fail(err, "out of memory for the write plan");
    plan->erase_runs = r;
    r[plan->nerase_runs++] = (struct mr_erase_run){first, count};
    return 0;
}

/* Erases: unit 0 and the dirty units right after it in one call (the invalidation),
 * then every other run of two or more dirty units in one call each: one round trip
 * per run instead of an erase statement per unit. A lone dirty unit is erased by its
 * write op. Writes: other units in order, unit 0 last, its magic chunk very last. */
static int build_ops(mr_deploy_plan *plan, mr_err *err)
{
    if (!plan->dirty[0])
        return 0; /* nothing differs: nothing to do */
    bool *pre = calloc(plan->units, sizeof *pre);
    if (!pre)
        return mr_fail(err, "out of memory for the write plan");
    int rc = 0;
    for (size_t u = 0; u < plan->units && rc == 0;) {
        if (!plan->dirty[u]) {
            u++;
            continue;
        }
        size_t v = u;
        while (v < plan->units && plan->dirty[v])
            v++;
        if (u == 0 || v - u >= 2) {
            rc = add_erase_run(plan, u, v - u, err);
            for (size_t w = u; w < v; w++)
                pre[w] = true;
        }
        u = v;
    }
    size_t cap = 0;
    for (size_t u = 1; u < plan->units && rc == 0; u++) {
        if (!plan->dirty[u])
            continue;
        size_t s, e;
        mr_deploy_unit_range(plan, u, &s, &e);
        rc = add_ops(plan, &cap, u, s, unit_write_len(plan, u), !pre[u], err);
    }
    free(pre);
    if (rc < 0)
        return -1;
    size_t len0 = unit_write_len(plan, 0);
    size_t head = round_up(MR_MAGIC_LEN, plan->write_min);
    if (head > len0)
        head = len0;
    if (add_ops(plan, &cap, 0, head, len0 - head, false, err) < 0)
        return -1;
    return add_ops(plan, &cap, 0, 0, head, false, err);
}

/* Bytes of raw deflate for len bytes with a 2^wbits window (len when it fails). */
static uint64_t deflated_size(const uint8_t *data, size_t len, int wbits)
{
    uint64_t body = (uint64_t)len;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 9, Z_DEFLATED, -wbits, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return body;
    uLong bound = deflateBound(&z, (uLong)len);
    uint8_t *out = malloc(bound);
    if (out) {
        z.next_in = (Bytef *)(uintptr_t)data;
        z.avail_in = (uInt)len;
        z.next_out = out;
        z.avail_out = (uInt)bound;
        if (deflate(&z, Z_FINISH) == Z_STREAM_END)
            body = z.total_out;
        free(out);
    }
    deflateEnd(&z);
    return body;
}

/* What will cross the link, as the serial backend sends it: batches of about 32 KiB
 * as one deflate stream (4 KiB window) in base64 when the board inflates, else base64
 * or hex, plus some Python around each write and the digests of the verification.
 * An estimate for the plan, not a promise. */
static void estimate(mr_deploy_plan *plan)
{
    plan->est_seconds = -1.0;
    if (!plan->link)
        return; /* an in-process board: nothing crosses a wire */
    uint64_t wire = 0;
    const size_t batch = 32 * 1024;
    uint8_t *buf = plan->caps.deflate ? malloc(batch) : NULL;
    size_t fill = 0;
    for (size_t i = 0; i < plan->nops; i++) {
        const mr_write_op *op = &plan->ops[i];
        wire += 48; /* the statements around one write */
        if (!buf) {
            wire += plan->caps.base64 ? ((uint64_t)op->len + 2) / 3 * 4 : (uint64_t)op->len * 2;
            continue;
        }
        for (size_t done = 0; done < op->len;) {
            size_t k = op->len - done < batch - fill ? op->len - done : batch - fill;
            memcpy(buf + fill, op->data + done, k);
            fill += k;
            done += k;
            if (fill == batch || (i + 1 == plan->nops && done == op->len)) {
                wire += (deflated_size(buf, fill, 12) + 2) / 3 * 4 + 64;
                fill = 0;
            }
        }
    }
    free(buf);
    if (plan->nops > 0)
        wire += 200; /* erase, header, complete, verify */
    plan->est_wire_bytes = wire;
    /* 10 bits a byte on an 8N1 serial line */
    plan->est_seconds = plan->caps.baud ? (double)wire * 10.0 / plan->caps.baud : -1.0;
}

static int check_target(mr_deploy_plan *plan, const uint8_t *image, size_t len, mr_err *err)
{
    mr_image img;
    if (mr_image_parse(&img, image, len, err) < 0)
        return mr_wrap(err, "not a valid ROMFS image");
    plan->image_size = img.image_size;
    plan->dropped_tail = len - img.image_size;
    plan->image_files = img.files;
    plan->image_dirs = img.dirs;
    plan->image_paths = calloc(img.count ? img.count : 1, sizeof *plan->image_paths);
    if (!plan->image_paths) {
        mr_image_free(&img);
        return mr_fail(err, "out of memory");
    }
    for (size_t i = 0; i < img.count; i++) {
        const mr_entry *e = &img.entries[i];
        size_t n = strlen(e->path);
        char *p = malloc(n + 2);
        if (!p) {
            mr_image_free(&img);
            return mr_fail(err, "out of memory");
        }
        memcpy(p, e->path, n);
        if (e->type == MR_ENTRY_DIR)
            p[n++] = '/';
        p[n] = '\0';
        plan->image_paths[plan->npaths++] = p;
    }
    mr_image_free(&img);
    return 0;
}

static int check_partition(mr_deploy_plan *plan, mr_err *err)
{
    const mr_part_info *in = &plan->info;
    if (plan->image_size > in->size)
        return mr_fail(err,
                       "the image is %zu bytes, %llu bytes too big for partition %u (%llu bytes); "
                       "nothing was changed",
                       plan->image_size, (unsigned long long)(plan->image_size - in->size), plan->part,
                       (unsigned long long)in->size);
    if (!in->writable)
        return mr_fail(err,
                       "partition %u cannot be written: the board answers -22 (EINVAL) to erase and "
                       "write (a read-only partition, or firmware without ROMFS write support); "
                       "nothing was changed",
                       plan->part);
    uint64_t unit = in->erase_unit;
    if (unit == 0 || unit > in->size)
        unit = in->size; /* no erase unit given: the whole partition is one */
    if (unit == 0 || unit > UINT32_MAX)
        return mr_fail(err, "partition %u reports an unusable erase unit (%llu bytes)", plan->part,
                       (unsigned long long)unit);
    plan->unit = (uint32_t)unit;
    plan->write_min = in->write_min ? in->write_min : 1;
    if (plan->write_min > plan->unit || plan->unit % plan->write_min != 0)
        return mr_fail(err, "partition %u reports a write size (%u) that does not divide its erase unit (%u)",
                       plan->part, plan->write_min, plan->unit);
    return 0;
}

static int make_target(mr_deploy_plan *plan, const uint8_t *image, mr_err *err)
{
    plan->units = (plan->image_size + plan->unit - 1) / plan->unit;
    plan->part_units = (size_t)((plan->info.size + plan->unit - 1) / plan->unit);
    uint64_t tl = (uint64_t)plan->units * plan->unit;
    if (tl > plan->info.size)
        tl = plan->info.size;
    plan->target_len = (size_t)tl;
    plan->target = malloc(plan->target_len);
    plan->dirty = calloc(plan->units, sizeof *plan->dirty);
    if (!plan->target || !plan->dirty)
        return mr_fail(err, "out of memory for a %zu-byte image", plan->target_len);
    memcpy(plan->target, image, plan->image_size);
    memset(plan->target + plan->image_size, 0xff, plan->target_len - plan->image_size);
    return 0;
}

int mr_deploy_plan_make(mr_device *dev, const mr_deploy_opts *opts, const uint8_t *image, size_t len,
                        mr_deploy_plan *plan, mr_err *err)
{
    memset(plan, 0, sizeof *plan);
    plan->part = opts->part;
    plan->full = opts->full;
    bool *same = NULL;
    if (check_target(plan, image, len, err) < 0)
        goto fail;
    if (mr_device_info(dev, opts->part, &plan->info, err) < 0 || mr_device_caps(dev, &plan->caps, err) < 0)
        goto fail;
    if (check_partition(plan, err) < 0 || make_target(plan, image, err) < 0)
        goto fail;
    same = calloc(plan->units, sizeof *same);
    if (!same) {
        mr_fail(err, "out of memory");
        goto fail;
    }
    mr_link_stats s0 = dev->stats;
    if (mr_deploy_compare_units(dev, plan, 0, plan->units, same, &plan->how, err) < 0)
        goto fail;
    plan->link = dev->stats.round_trips != s0.round_trips || dev->stats.bytes_sent != s0.bytes_sent;
    for (size_t u = 0; u < plan->units; u++) {
        if (!same[u])
            plan->ndiffer++;
        plan->dirty[u] = plan->full || !same[u];
    }
    /* Anything to write means the header goes first (erased) and comes back last. */
    if (plan->ndiffer > 0 || plan->full)
        plan->dirty[0] = true;
    for (size_t u = 0; u < plan->units; u++)
        plan->ndirty += plan->dirty[u];
    if (build_ops(plan, err) < 0)
        goto fail;
    estimate(plan);
    /* Over a link, reading costs as much time as writing: only a little extra. */
    uint64_t limit = opts->diff_read_limit;
    if (plan->link && limit != UINT64_MAX) {
        uint64_t cheap = plan->payload_bytes / 4 > MR_DEPLOY_DIFF_READ_MIN ? plan->payload_bytes / 4
                                                                          : MR_DEPLOY_DIFF_READ_MIN;
        limit = limit < cheap ? limit : cheap;
    }
    if (mr_deploy_diff_files(dev, plan, same, limit, err) < 0)
        goto fail;
    free(same);
    return 0;
fail:
    free(same);
    mr_deploy_plan_free(plan);
    return -1;
}

void mr_deploy_plan_free(mr_deploy_plan *plan)
{
    free(plan->target);
    for (size_t i = 0; i < plan->npaths; i++)
        free(plan->image_paths[i]);
    free(plan->image_paths);
    free(plan->dirty);
    free(plan->erase_runs);
    free(plan->ops);
    free(plan->op_unit);
    for (size_t i = 0; i < plan->nchanges; i++) {
        free(plan->changes[i].path);
        free(plan->changes[i].from);
    }
    free(plan->changes);
    memset(plan, 0, sizeof *plan);
}
