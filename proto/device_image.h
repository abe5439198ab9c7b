/* Reading a partition, or just the ROMFS image at its start, from any board. */
#ifndef MR_DEVICE_IMAGE_H
#define MR_DEVICE_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "device.h"

/* Called after each chunk with bytes done and total; non-zero stops the read. */
typedef int (*mr_read_progress_fn)(void *ctx, uint64_t done, uint64_t total);

/* Read partition `part` into a malloc'd buffer: the whole partition, or with
 * image_only just the image record at its start (failing when there is none).
 * *info receives the partition's description. */
int mr_device_read_part(mr_device *dev, unsigned part, bool image_only, uint8_t **out,
                        size_t *len, mr_part_info *info, mr_read_progress_fn fn, void *ctx,
                        mr_err *err);

#endif
