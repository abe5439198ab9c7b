/* The in-process simulated board ("sim:DIR"): the device interface straight onto the
 * flash model, no link in between. Errors read like a real board's: the port's
 * negative errno, what was asked, and why the simulator refused it. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "device.h"
#include "image.h"
#include "sha256.h"
#include "sim.h"

typedef struct {
    mr_sim *sim;
} sim_dev;

static mr_sim *sim_of(mr_device *dev)
{
    return ((sim_dev *)dev->impl)->sim;
}

static const char *errno_name(int e)
{
    switch (e) {
    case EINVAL: return "EINVAL";
    case EIO: return "EIO";
    case ENODEV: return "ENODEV";
    case EPERM: return "EPERM";
    case EROFS: return "EROFS";
    case ENOMEM: return "ENOMEM";
    default: return "errno";
    }
}

/* Turn a flash-level refusal into the message a user reads. */
static int flash_fail(mr_device *dev, int rc, const char *what, uint64_t off, mr_err *err)
{
    mr_sim *sim = sim_of(dev);
    if (rc == MR_SIM_POWER_CUT)
        return mr_fail(err, "the board vanished during %s at 0x%" PRIx64 ": %s; what was written "
                       "before stays on %s", what, off, mr_sim_why(sim), mr_sim_dir(sim));
    return mr_fail(err, "the board answered %d (%s) to %s at 0x%" PRIx64 ": %s", rc,
                   errno_name(-rc), what, off, mr_sim_why(sim));
}

static int gone(mr_device *dev, mr_err *err)
{
    return mr_fail(err, "the simulated board %s vanished (its power was cut); open it again",
                   mr_sim_dir(sim_of(dev)));
}

static int op_count(mr_device *dev, unsigned *n, mr_err *err)
{
    if (mr_sim_powered_off(sim_of(dev)))
        return gone(dev, err);
    *n = mr_sim_nparts(sim_of(dev));
    return 0;
}

static int op_info(mr_device *dev, unsigned part, mr_part_info *info, mr_err *err)
{
    mr_sim *sim = sim_of(dev);
    if (mr_sim_powered_off(sim))
        return gone(dev, err);
    const mr_sim_conf *conf = mr_sim_config(sim);
    if (part >= conf->nparts)
        return mr_fail(err, "partition %u does not exist", part);
    const mr_sim_part_conf *p = &conf->part[part];
    const uint8_t *bytes = mr_sim_bytes(sim, part);
    memset(info, 0, sizeof *info);
    info->index = part;
    info->size = p->size;
    info->base = p->base;
    info->base_known = true;
    info->erase_unit = p->erase_unit;
    info->write_min = p->write_min;
    info->writable = p->writable;
    info->block_device = p->style == MR_SIM_BLOCK;
    size_t head = p->size < sizeof info->head ? (size_t)p->size : sizeof info->head;
    memcpy(info->head, bytes, head);
    size_t image_size;
    if (mr_image_probe(bytes, (size_t)p->size, &image_size)) {
        info->has_image = true;
        info->image_size = image_size;
    }
    return 0;
}

static int op_caps(mr_device *dev, mr_dev_caps *caps, mr_err *err)
{
    if (mr_sim_powered_off(sim_of(dev)))
        return gone(dev, err);
    memset(caps, 0, sizeof *caps);
    caps->sha256 = !mr_sim_config(sim_of(dev))->no_sha256;
    caps->crc32 = true;
    return 0; /* no link: no encodings, no raw paste, no baud */
}

static int op_read(mr_device *dev, unsigned part, uint64_t off, uint8_t *buf, size_t len, mr_err *err)
{
    int rc = mr_sim_read(sim_of(dev), part, off, buf, len);
    return rc ? flash_fail(dev, rc, "read", off, err) : 0;
}

static int op_erase(mr_device *dev, unsigned part, uint64_t off, uint64_t len, mr_err *err)
{
    int rc = mr_sim_erase(sim_of(dev), part, off, len);
    return rc ? flash_fail(dev, rc, "erase", off, err) : 0;
}

static int op_write(mr_device *dev, unsigned part, const mr_write_op *ops, size_t n,
                    mr_progress_fn progress, void *ctx, mr_err *err)
{
    mr_sim *sim = sim_of(dev);
    if (mr_sim_powered_off(sim))
        return gone(dev, err);
    uint32_t unit = mr_sim_config(sim)->part[part].erase_unit;
    uint64_t bytes = 0;
    for (size_t i = 0; i < n; i++) {
        const mr_write_op *op = &ops[i];
        if (op->erase_first && op->len) {
            uint64_t start = op->offset / unit * unit;
            uint64_t end = op->offset + op->len;
            end = (end + unit - 1) / unit * unit;
            int rc = mr_sim_erase(sim, part, start, end - start);
            if (rc)
                return flash_fail(dev, rc, "erase", start, err);
        }
        int rc = mr_sim_write(sim, part, op->offset, op->data, op->len);
        if (rc) {
            char what[64];
            snprintf(what, sizeof what, "write %zu of %zu (%zu bytes)", i + 1, n, op->len);
            return flash_fail(dev, rc, what, op->offset, err);
        }
        bytes += op->len;
        if (progress && progress(ctx, i + 1, bytes))
            return mr_fail(err, "cancelled after %zu of %zu writes", i + 1, n);
    }
    return 0;
}

static int op_complete(mr_device *dev, unsigned part, mr_err *err)
{
    int rc = mr_sim_complete(sim_of(dev), part);
    return rc ? flash_fail(dev, rc, "complete", 0, err) : 0;
}

static int op_hash(mr_device *dev, unsigned part, uint64_t off, uint32_t unit, size_t count,
                   mr_hash_algo *algo, uint8_t (*out)[32], mr_err *err)
{
    mr_sim *sim = sim_of(dev);
    if (mr_sim_powered_off(sim))
        return gone(dev, err);
    const uint8_t *bytes = mr_sim_bytes(sim, part);
    uint64_t size = mr_sim_config(sim)->part[part].size;
    bool crc = mr_sim_config(sim)->no_sha256; /* the board falls back as a real one would */
    for (size_t i = 0; i < count; i++) {
        uint64_t start = off + (uint64_t)i * unit;
        if (start >= size)
            return mr_fail(err, "hash range %zu starts past the end of partition %u", i, part);
        uint64_t len = size - start < unit ? size - start : unit;
        if (crc) {
            /* binascii.crc32, stored big-endian as the interface says */
            uint32_t c = (uint32_t)crc32(0L, bytes + start, (uInt)len);
            memset(out[i], 0, 32);
            out[i][0] = (uint8_t)(c >> 24);
            out[i][1] = (uint8_t)(c >> 16);
            out[i][2] = (uint8_t)(c >> 8);
            out[i][3] = (uint8_t)c;
        } else {
            mr_sha256(bytes + start, (size_t)len, out[i]);
        }
    }
    *algo = crc ? MR_HASH_CRC32 : MR_HASH_SHA256;
    return 0;
}

static int add_path(char ***paths, size_t *n, size_t *cap, const char *path, bool dir, mr_err *err)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        char **p = realloc(*paths, ncap * sizeof *p);
        if (!p)
            return mr_fail(err, "out of memory");
        *paths = p;
        *cap = ncap;
    }
    size_t len = strlen(path);
    char *s = malloc(len + 2);
    if (!s)
        return mr_fail(err, "out of memory");
    memcpy(s, path, len);
    if (dir)
        s[len++] = '/';
    s[len] = '\0';
    (*paths)[(*n)++] = s;
    return 0;
}

/* A soft reset mounts partition 0 at /rom when it holds a valid image; the listing is
 * what os.listdir would walk there. Nothing mounted: an empty list. */
static int op_reset_and_list(mr_device *dev, char ***paths, size_t *n, mr_err *err)
{
    mr_sim *sim = sim_of(dev);
    if (mr_sim_powered_off(sim))
        return gone(dev, err);
    mr_image img;
    mr_err perr;
    const uint8_t *bytes = mr_sim_bytes(sim, 0);
    if (mr_image_parse(&img, bytes, (size_t)mr_sim_config(sim)->part[0].size, &perr))
        return 0; /* the board would not mount it either */
    size_t cap = 0;
    for (size_t i = 0; i < img.count; i++)
        if (add_path(paths, n, &cap, img.entries[i].path, img.entries[i].type == MR_ENTRY_DIR, err)) {
            mr_image_free(&img);
            for (size_t j = 0; j < *n; j++)
                free((*paths)[j]);
            free(*paths);
            *paths = NULL;
            *n = 0;
            return -1;
        }
    mr_image_free(&img);
    return 0;
}

static void op_close(mr_device *dev)
{
    sim_dev *sd = dev->impl;
    if (sd) {
        mr_sim_close(sd->sim);
        free(sd);
    }
    dev->impl = NULL;
}

static const struct mr_device_ops sim_ops = {
    .count = op_count,
    .info = op_info,
    .caps = op_caps,
    .read = op_read,
    .erase = op_erase,
    .write = op_write,
    .complete = op_complete,
    .hash = op_hash,
    .reset_and_list = op_reset_and_list,
    .close = op_close,
};

int mr_sim_device_open(const char *dir, const char *name, mr_device **out, mr_err *err)
{
    mr_sim *sim;
    if (mr_sim_open(dir, &sim, err))
        return -1;
    mr_device *dev = calloc(1, sizeof *dev);
    sim_dev *sd = calloc(1, sizeof *sd);
    if (!dev || !sd) {
        free(dev);
        free(sd);
        mr_sim_close(sim);
        return mr_fail(err, "out of memory");
    }
    sd->sim = sim;
    dev->ops = &sim_ops;
    dev->impl = sd;
    snprintf(dev->name, sizeof dev->name, "%s", name);
    snprintf(dev->desc, sizeof dev->desc, "simulated board in %s", dir);
    *out = dev;
    return 0;
}
