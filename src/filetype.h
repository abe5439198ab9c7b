/* What a file holds: the project's own .mpy recognition first, then libmagic
 * (magic_buffer on the data, default database loaded once per mr_filetype). */
#ifndef MR_FILETYPE_H
#define MR_FILETYPE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct mr_filetype mr_filetype;

mr_filetype *mr_filetype_open(mr_err *err);
void mr_filetype_close(mr_filetype *ft);
/* A short, printable description into out[n]; ft may be NULL (then only .mpy and
 * "empty" are recognised, anything else is "data"). */
void mr_filetype_describe(mr_filetype *ft, const uint8_t *data, size_t len, char *out, size_t n);

#endif
