/* Opening a board by name, and the checked wrappers every caller goes through: they
 * validate the partition index and ranges against the board's partition table (read
 * once per device, cached) so that every backend fails the same way, before anything
 * is sent to the board. */
#include "device.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serial_device.h"
#include "sim.h"

typedef struct {
    bool have_count;
    unsigned count;
    bool have_info[MR_MAX_PARTITIONS];
    mr_part_info info[MR_MAX_PARTITIONS];
} part_cache;

int mr_device_open(const char *name, const mr_open_opts *opts, mr_device **out, mr_err *err)
{
    *out = NULL;
    if (!name || !*name)
        return mr_fail(err, "no device given: name one with -d (/dev/ttyACM0, a0, auto, sim:DIR)");
    if (strncmp(name, "sim:", 4) == 0) {
        if (!name[4])
            return mr_fail(err, "'sim:' needs the board's directory, e.g. sim:board (create one "
                           "with 'mpromfs sim create board')");
        return mr_sim_device_open(name + 4, name, out, err);
    }
    return mr_serial_open(name, opts, out, err);
}

void mr_device_close(mr_device *dev)
{
    if (!dev)
        return;
    free(dev->checked);
    dev->checked = NULL;
    if (dev->ops && dev->ops->close)
        dev->ops->close(dev);
    free(dev);
}

static part_cache *cache_of(mr_device *dev, mr_err *err)
{
    if (!dev->checked) {
        dev->checked = calloc(1, sizeof(part_cache));
        if (!dev->checked)
            mr_fail(err, "out of memory");
    }
    return dev->checked;
}

/* "128 KiB", "1 MiB", "1000 bytes": sizes as a user thinks of partitions. */
static void human_size(uint64_t n, char *out, size_t size)
{
    if (n && n % (1u << 20) == 0)
        snprintf(out, size, "%" PRIu64 " MiB", n >> 20);
    else if (n && n % 1024 == 0)
        snprintf(out, size, "%" PRIu64 " KiB", n >> 10);
    else
        snprintf(out, size, "%" PRIu64 " byte%s", n, n == 1 ? "" : "s");
}

int mr_device_count(mr_device *dev, unsigned *n, mr_err *err)
{
    part_cache *c = cache_of(dev, err);
    if (!c)
        return -1;
    if (!c->have_count) {
        unsigned got;
        if (dev->ops->count(dev, &got, err))
            return -1;
        if (got > MR_MAX_PARTITIONS)
            return mr_fail(err, "%s reports %u ROM partitions; more than %d is not believable",
                           dev->name, got, MR_MAX_PARTITIONS);
        c->count = got;
        c->have_count = true;
    }
    *n = c->count;
    return 0;
}

static int check_part(mr_device *dev, unsigned part, mr_err *err)
{
    unsigned n;
    if (mr_device_count(dev, &n, err))
        return -1;
    if (part < n)
        return 0;
    if (n == 0)
        return mr_fail(err, "partition %u does not exist (the board has no ROM partitions)", part);
    if (n == 1)
        return mr_fail(err, "partition %u does not exist (the board has 1: 0)", part);
    return mr_fail(err, "partition %u does not exist (the board has %u: 0-%u)", part, n, n - 1);
}

int mr_device_info(mr_device *dev, unsigned part, mr_part_info *info, mr_err *err)
{
    if (check_part(dev, part, err))
        return -1;
    part_cache *c = dev->checked;
    mr_part_info got;
    memset(&got, 0, sizeof got);
    if (dev->ops->info(dev, part, &got, err))
        return -1;
    got.index = part;
    if (got.has_image && got.image_size > got.size)
        got.has_image = false; /* a header claiming more than the partition is not an image */
    c->info[part] = got;
    c->have_info[part] = true;
    *info = got;
    return 0;
}

/* The cached size of a partition (its geometry does not change while open). */
static int part_size(mr_device *dev, unsigned part, uint64_t *size, mr_err *err)
{
    if (check_part(dev, part, err))
        return -1;
    part_cache *c = dev->checked;
    if (!c->have_info[part]) {
        mr_part_info tmp;
        if (mr_device_info(dev, part, &tmp, err))
            return -1;
    }
    *size = c->info[part].size;
    return 0;
}

static int check_range(mr_device *dev, unsigned part, uint64_t off, uint64_t len, mr_err *err)
{
    uint64_t size;
    if (part_size(dev, part, &size, err))
        return -1;
    if (off <= size && len <= size - off)
        return 0;
    char hs[32];
    human_size(size, hs, sizeof hs);
    return mr_fail(err, "range 0x%" PRIx64 "+0x%" PRIx64 " is past the end of partition %u (%s)",
                   off, len, part, hs);
}

int mr_device_caps(mr_device *dev, mr_dev_caps *caps, mr_err *err)
{
    memset(caps, 0, sizeof *caps);
    return dev->ops->caps(dev, caps, err);
}

int mr_device_read(mr_device *dev, unsigned part, uint64_t off, uint8_t *buf, size_t len, mr_err *err)
{
    if (check_range(dev, part, off, len, err))
        return -1;
    if (!len)
        return 0;
    return dev->ops->read(dev, part, off, buf, len, err);
}

int mr_device_erase(mr_device *dev, unsigned part, uint64_t off, uint64_t len, mr_err *err)
{
    if (check_range(dev, part, off, len, err))
        return -1;
    return dev->ops->erase(dev, part, off, len, err);
}

int mr_device_write(mr_device *dev, unsigned part, const mr_write_op *ops, size_t n,
                    mr_progress_fn progress, void *ctx, mr_err *err)
{
    for (size_t i = 0; i < n; i++) {
        if (ops[i].len && !ops[i].data)
            return mr_fail(err, "write %zu of %zu has no data", i + 1, n);
        if (check_range(dev, part, ops[i].offset, ops[i].len, err))
            return mr_wrap(err, "write %zu of %zu", i + 1, n);
    }
    if (!n)
        return 0;
    return dev->ops->write(dev, part, ops, n, progress, ctx, err);
}

int mr_device_complete(mr_device *dev, unsigned part, mr_err *err)
{
    if (check_part(dev, part, err))
        return -1;
    return dev->ops->complete(dev, part, err);
}

int mr_device_hash(mr_device *dev, unsigned part, uint64_t off, uint32_t unit, size_t count,
                   mr_hash_algo *algo, uint8_t (*out)[32], mr_err *err)
{
    uint64_t size;
    if (part_size(dev, part, &size, err))
        return -1;
    if (!count)
        return 0;
    if (!unit)
        return mr_fail(err, "hash unit of 0 bytes");
    /* Every range but the last is whole; the last starts inside the partition. */
    uint64_t last = (uint64_t)(count - 1);
    if (last > (UINT64_MAX - off) / unit || off + last * unit >= size) {
        char hs[32];
        human_size(size, hs, sizeof hs);
        return mr_fail(err, "hashing %zu ranges of %" PRIu32 " bytes from 0x%" PRIx64
                       " runs past the end of partition %u (%s)", count, unit, off, part, hs);
    }
    return dev->ops->hash(dev, part, off, unit, count, algo, out, err);
}

int mr_device_reset_and_list(mr_device *dev, char ***paths, size_t *n, mr_err *err)
{
    *paths = NULL;
    *n = 0;
    return dev->ops->reset_and_list(dev, paths, n, err);
}

void mr_device_warn(mr_device *dev, const char *fmt, ...)
{
    if (!dev || !dev->warn)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    dev->warn(dev->warn_ctx, msg);
}
