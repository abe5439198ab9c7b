/* A board whose ROM partitions live in memory, with NOR rules (erase to 0xff in whole
 * units, writes AND into flash at write_min alignment, -EINVAL as a port answers).
 * The interpreter's tests and fuzz target run against it without touching files. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "py_board_mem.h"

static int mem_count(void *ctx)
{
    return (int)((py_mem_board *)ctx)->nparts;
}

static int mem_info(void *ctx, unsigned part, py_part *out)
{
    py_mem_board *b = ctx;
    if (part >= b->nparts)
        return -EINVAL;
    *out = b->part[part].info;
    return 0;
}

static int in_range(const py_mem_part *p, uint64_t off, uint64_t len)
{
    return off <= p->info.size && len <= p->info.size - off;
}

static int mem_read(void *ctx, unsigned part, uint64_t off, uint8_t *buf, size_t len)
{
    py_mem_board *b = ctx;
    if (part >= b->nparts || !in_range(&b->part[part], off, len))
        return -EINVAL;
    if (len)
        memcpy(buf, b->part[part].bytes + off, len);
    return 0;
}

static int mem_erase(void *ctx, unsigned part, uint64_t off, uint64_t len)
{
    py_mem_board *b = ctx;
    if (part >= b->nparts)
        return -EINVAL;
    py_mem_part *p = &b->part[part];
    uint64_t u = p->info.erase_unit;
    if (!p->info.writable || !in_range(p, off, len) || off % u || len % u)
        return -EINVAL;
    if (b->power_cut_after && ++b->ops >= b->power_cut_after)
        return PY_BOARD_POWER_CUT;
    memset(p->bytes + off, 0xff, (size_t)len);
    p->erases++;
    return 0;
}

static int mem_write(void *ctx, unsigned part, uint64_t off, const uint8_t *data, size_t len)
{
    py_mem_board *b = ctx;
    if (part >= b->nparts)
        return -EINVAL;
    py_mem_part *p = &b->part[part];
    uint64_t w = p->info.write_min;
    if (!p->info.writable || !in_range(p, off, len) || off % w || len % w)
        return -EINVAL;
    if (b->power_cut_after && ++b->ops >= b->power_cut_after)
        return PY_BOARD_POWER_CUT;
    for (size_t i = 0; i < len; i++)
        p->bytes[off + i] &= data[i];
    p->writes++;
    return 0;
}

static int mem_complete(void *ctx, unsigned part)
{
    py_mem_board *b = ctx;
    return part < b->nparts ? 0 : -EINVAL;
}

const py_board_ops py_mem_board_ops = {
    .count = mem_count,
    .info = mem_info,
    .read = mem_read,
    .erase = mem_erase,
    .write = mem_write,
    .complete = mem_complete,
};

int py_mem_board_add(py_mem_board *b, const py_part *info)
{
    if (b->nparts >= PY_MEM_MAX_PARTS || !info->size || info->size > (64u << 20) ||
        !info->erase_unit || info->size % info->erase_unit || !info->write_min ||
        info->erase_unit % info->write_min)
        return -1;
    uint8_t *bytes = malloc((size_t)info->size);
    if (!bytes)
        return -1;
    memset(bytes, 0xff, (size_t)info->size);
    py_mem_part *p = &b->part[b->nparts++];
    memset(p, 0, sizeof *p);
    p->info = *info;
    p->bytes = bytes;
    return 0;
}

void py_mem_board_free(py_mem_board *b)
{
    for (unsigned i = 0; i < b->nparts; i++)
        free(b->part[i].bytes);
    memset(b, 0, sizeof *b);
}
