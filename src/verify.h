/* The structural check behind `mpromfs verify`: parse strictly, then report every
 * note; the image passes when it parses and no note is a problem. */
#ifndef MR_VERIFY_H
#define MR_VERIFY_H

#include <stdbool.h>
#include <stdio.h>

#include "image.h"

/* Prints "error: ..." / "note: ..." lines and a verdict to out; returns 0 when the
 * image is sound, 1 when not. `name` labels the lines. */
int mr_verify(const uint8_t *bytes, size_t len, const char *name, FILE *out);

#endif
