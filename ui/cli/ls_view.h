/* The listing as the ls command prints it, over bytes in memory: an image file,
 * or a partition read from a device (`ls -d DEV -p N`). Returns an exit code. */
#ifndef MR_LS_VIEW_H
#define MR_LS_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "list.h"

int cli_ls_buffer(const uint8_t *bytes, size_t len, uint64_t base, const char *path, bool lng, bool json);

#endif
