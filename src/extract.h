/* Writing an image's tree out to a directory, safely whatever the image holds:
 * names are single components (the reader rejects '/', '.', '..', empty names),
 * duplicates are refused, every file is created relative to its parent's
 * descriptor with O_EXCL|O_NOFOLLOW, and the tree is built in a temporary sibling
 * directory that is renamed into place only when everything was written. */
#ifndef MR_EXTRACT_H
#define MR_EXTRACT_H

#include "image.h"

/* dir must not exist or be an empty directory. On failure nothing is left behind. */
int mr_extract(const mr_image *img, const char *dir, mr_err *err);

#endif
