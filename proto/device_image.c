/* See device_image.h. Reads go in 128 KiB steps: progress a user can see, few round trips. */
#include <stdlib.h>

#include "device_image.h"

#define STEP (128u * 1024u)

int mr_device_read_part(mr_device *dev, unsigned part, bool image_only, uint8_t **out,
                        size_t *len, mr_part_info *info, mr_read_progress_fn fn, void *ctx,
                        mr_err *err)
{
    *out = NULL;
    *len = 0;
    if (mr_device_info(dev, part, info, err) != 0)
        return -1;
    uint64_t want = info->size;
    if (image_only) {
        if (!info->has_image)
            return mr_fail(err, "partition %u holds no ROMFS image (it starts with %02x %02x %02x, "
                                "not d2 cd 31)", part, info->head[0], info->head[1], info->head[2]);
        want = info->image_size;
    }
    if (want > SIZE_MAX / 2 || want > ((uint64_t)1 << 32))
        return mr_fail(err, "partition %u is too large to read into memory (%llu bytes)", part,
                       (unsigned long long)want);
    uint8_t *buf = malloc(want ? (size_t)want : 1);
    if (!buf)
        return mr_fail(err, "out of memory reading %llu bytes", (unsigned long long)want);
    for (uint64_t done = 0; done < want;) {
        size_t k = want - done < STEP ? (size_t)(want - done) : STEP;
        if (mr_device_read(dev, part, done, buf + done, k, err) != 0) {
            free(buf);
            return -1;
        }
        done += k;
        if (fn && fn(ctx, done, want) != 0 && done < want) {
            free(buf);
            return mr_fail(err, "read of partition %u cancelled", part);
        }
    }
    *out = buf;
    *len = (size_t)want;
    return 0;
}
