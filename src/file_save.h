/* Writing a whole file so that no partial file is ever left behind: a temp file
 * beside the target, written, flushed to disk, then renamed over it. */
#ifndef MR_FILE_SAVE_H
#define MR_FILE_SAVE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

int mr_file_save(const char *path, const uint8_t *data, size_t len, mr_err *err);

#endif
