/* Bringing an image file into memory: mapped read-only when it is a regular file,
 * read whole otherwise (a pipe, a device). */
#ifndef MR_IMAGE_FILE_H
#define MR_IMAGE_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct mr_file_buf {
    const uint8_t *bytes;
    size_t len;
    int mapped;   /* munmap when freeing, else free */
} mr_file_buf;

int mr_file_load(mr_file_buf *fb, const char *path, mr_err *err);
void mr_file_unload(mr_file_buf *fb);

#endif
